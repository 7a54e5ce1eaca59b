"""Tabular downloads (CSV and XLSX) that a spreadsheet program shows, never runs.

Titles, narratives, justifications and names typed by users end up in downloads. A
spreadsheet program runs a CSV cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, and openpyxl stores any string beginning with
``=`` as a formula: ``=HYPERLINK("http://evil","x")`` in a contract title would become a
live link in the officer's copy. Every download therefore writes its cells through this
module:

- CSV: text that begins with one of ``FORMULA_STARTS`` gets a leading apostrophe, the
  convention spreadsheet programs show as "this is text" (so ``'=1+1`` reads ``=1+1``).
- XLSX: text is always a string cell (never a formula cell); text that begins with one of
  ``FORMULA_STARTS`` also gets Excel's "quote prefix" style, which is what Excel records
  when a person types a leading apostrophe: the cell shows the text as it is and stays text
  when edited. The value itself is unchanged, so a template downloaded and uploaded again
  (returns, offers) reads back exactly.

Only text is escaped. Numbers (``int``, ``float``, ``Decimal``) stay numbers, negative ones
included: a cell holding -2 is a number, not a formula. The formulas a workbook is meant to
have (the offer template's value column, for instance) are written as ``Formula``.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ASCII formula starts (and the tab and carriage return that can hide one), then their
# full-width forms, which Excel with an East Asian input method turns into the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER_TYPES = (int, float, Decimal)


class Formula(str):
    """A formula the workbook is meant to have, such as ``=SUM(M9:M72)``: written as one."""


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def _is_number(value: object) -> bool:
    return isinstance(value, NUMBER_TYPES) and not isinstance(value, bool)


# --- CSV -------------------------------------------------------------------------------------


def csv_cell(value: object) -> object:
    """One CSV cell: numbers as they are (a ``Decimal`` in full, never as an exponent),
    ``None`` as nothing, anything else as text with a leading apostrophe when it could be
    taken for a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if _is_number(value):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """The rows as CSV, every cell through ``csv_cell``, in UTF-8 with a byte-order mark
    (which lets spreadsheet programs read £ signs correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(rows: Iterable[Iterable[object]], *, filename: str) -> HttpResponse:
    """The rows as a CSV attachment named ``filename``."""
    response = HttpResponse(csv_bytes(rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- XLSX ------------------------------------------------------------------------------------


def _as_text(cell: Cell, text: str) -> None:
    cell.value = text  # binds the value; openpyxl makes "=…" a formula cell here
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def set_cell(cell: Cell, value: object) -> Cell:
    """Put ``value`` in ``cell``: text always as text, a ``Formula`` as a formula, and
    anything else (numbers, dates, ``None``) as openpyxl writes it."""
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        _as_text(cell, value)
    else:
        cell.value = value
    return cell


def write_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """``sheet.cell(row, column, value)``, with ``value`` written by ``set_cell``."""
    return set_cell(sheet.cell(row=row, column=column), value)


def active_sheet(workbook: Workbook) -> Worksheet:
    """The workbook's active worksheet (a new workbook's only sheet)."""
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("The workbook's active sheet is not a worksheet.")
    return sheet


def append_row(sheet: Worksheet, values: Iterable[object]) -> list[Cell]:
    """``sheet.append(values)``, with every value written by ``set_cell``."""
    cells = [set_cell(Cell(sheet), value) for value in values]
    sheet.append(cells)
    return cells


def xlsx_bytes(workbook: Workbook, *, formulas: bool = False) -> bytes:
    """The saved workbook.

    Unless the workbook is meant to have formulas (``formulas=True``, and then each was
    written as a ``Formula``), any formula cell left is turned into text first: a cell
    written around ``set_cell`` cannot smuggle a formula into a download.
    """
    if not formulas:
        for sheet in workbook.worksheets:
            # The cells the sheet holds, without creating the empty ones between them.
            for cell in list(sheet._cells.values()):
                if cell.data_type == "f" and isinstance(cell.value, str):
                    _as_text(cell, cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(body: bytes, *, filename: str) -> HttpResponse:
    """A saved workbook as an attachment named ``filename``."""
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
