"""The dashboard's downloads: each breakdown table as CSV, or every table in one workbook.

The files hold the rows the page shows, rounded the same way (pounds to pence, half-up), so
a figure in a file is the figure on the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.core import spreadsheets
from socialvalue.core.money import round_money
from socialvalue.core.spreadsheets import active_sheet, append_row, xlsx_bytes
from socialvalue.insights.dashboard import Dashboard, Table

GBP_FORMAT = '"£"#,##0.00'
HEADLINE_SHEET = "Headline"


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_money(value)


def table_header(table: Table) -> list[str]:
    header = [table.spec.heading]
    if table.has_committed:
        header.append(f"{table.spec.committed_heading} (£)")
    header.append("Delivered, verified (£)")
    return header


def table_rows(table: Table) -> list[list[object]]:
    """The table's rows then its total, values rounded to pence."""
    rows: list[list[object]] = []
    for row in table.rows:
        cells: list[object] = [row.label]
        if table.has_committed:
            cells.append(_money(row.committed))
        cells.append(_money(row.delivered))
        rows.append(cells)
    total: list[object] = ["Total"]
    if table.has_committed:
        total.append(_money(table.committed_total))
    total.append(_money(table.delivered_total))
    rows.append(total)
    return rows


def headline_rows(dashboard: Dashboard) -> list[list[str]]:
    return [[c.title, c.value, c.detail, c.target, c.status_label] for c in dashboard.cards]


HEADLINE_HEADER = ["Indicator", "Figure", "How it was worked out", "Target", "Against target"]


def file_name(dashboard: Dashboard, what: str, extension: str) -> str:
    who, period = slugify(dashboard.option.label), slugify(dashboard.period)
    return f"insight-{who}-{period}-{what}.{extension}"


def _about(dashboard: Dashboard, filters: list[str]) -> list[list[str]]:
    rows = [["Figures for", dashboard.option.label], ["Period", dashboard.period]]
    rows += [["Filter", f] for f in filters]
    return rows


def csv_response(dashboard: Dashboard, table_name: str | None, filters: list[str]) -> HttpResponse:
    rows: list[Sequence[object]]
    if table_name is None:
        rows = [HEADLINE_HEADER, *headline_rows(dashboard)]
        what = "headline"
    else:
        table = dashboard.table(table_name)
        rows = [table_header(table), *table_rows(table)]
        what = table_name
    rows += [[], *_about(dashboard, filters)]
    return spreadsheets.csv_response(rows, filename=file_name(dashboard, what, "csv"))


def _bold_first_row(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _table_sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.spec.heading)
    append_row(sheet, table_header(table))
    for cells in table_rows(table):
        append_row(sheet, cells)
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = GBP_FORMAT
    sheet[sheet.max_row][0].font = Font(bold=True)
    _bold_first_row(sheet)
    sheet.column_dimensions["A"].width = 40
    for letter in ("B", "C"):
        sheet.column_dimensions[letter].width = 26


def xlsx_response(dashboard: Dashboard, table_name: str | None, filters: list[str]) -> HttpResponse:
    """One sheet per table (only ``table_name``'s when given), with the headline first."""
    workbook = Workbook()
    workbook.remove(active_sheet(workbook))
    if table_name is None:
        sheet = workbook.create_sheet(HEADLINE_SHEET)
        append_row(sheet, HEADLINE_HEADER)
        for cells in headline_rows(dashboard):
            append_row(sheet, cells)
        _bold_first_row(sheet)
        for letter, width in zip("ABCDE", (48, 20, 70, 18, 16), strict=True):
            sheet.column_dimensions[letter].width = width
        tables = dashboard.tables
    else:
        tables = [dashboard.table(table_name)]
    for table in tables:
        _table_sheet(workbook, table)
    about = workbook.create_sheet("About")
    for cells in _about(dashboard, filters):
        append_row(about, cells)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    name = file_name(dashboard, table_name or "all", "xlsx")
    return spreadsheets.xlsx_response(xlsx_bytes(workbook), filename=name)


# --- Plain tables: category guidance, needs against delivery --------------------------------


@dataclass(frozen=True)
class SheetSpec:
    """One table of a download: cells already rounded as the page shows them."""

    title: str
    header: list[str]
    rows: list[list[object]]
    money_columns: frozenset[int] = frozenset()
    percent_columns: frozenset[int] = frozenset()


PERCENT_FORMAT = '0.00"%"'


def sheet_csv_response(sheet: SheetSpec, about: list[list[str]], name: str) -> HttpResponse:
    """One table as CSV, then a blank line and what the figures are for."""
    rows: list[Sequence[object]] = [sheet.header, *sheet.rows, [], *about]
    return spreadsheets.csv_response(rows, filename=f"{name}.csv")


def sheets_xlsx_response(
    sheets: list[SheetSpec], about: list[list[str]], name: str
) -> HttpResponse:
    """One sheet per table, then an "About" sheet."""
    workbook = Workbook()
    workbook.remove(active_sheet(workbook))
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        append_row(sheet, spec.header)
        for cells in spec.rows:
            append_row(sheet, cells)
            for index, cell in enumerate(sheet[sheet.max_row]):
                if index in spec.money_columns:
                    cell.number_format = GBP_FORMAT
                elif index in spec.percent_columns:
                    cell.number_format = PERCENT_FORMAT
        _bold_first_row(sheet)
        sheet.column_dimensions["A"].width = 40
    about_sheet = workbook.create_sheet("About")
    for texts in about:
        append_row(about_sheet, texts)
    about_sheet.column_dimensions["A"].width = 16
    about_sheet.column_dimensions["B"].width = 80
    return spreadsheets.xlsx_response(xlsx_bytes(workbook), filename=f"{name}.xlsx")
