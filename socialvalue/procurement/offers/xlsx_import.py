"""The all-or-nothing reader of a filled offer spreadsheet.

A supplier downloads the template, types a quantity and the delivery plan answers against
each measure it offers, and uploads the file. ``offer_xlsx_parse`` reads it back into
``OfferLine`` values, or raises ``OfferImportError`` naming every offending row; it never
writes anything, so whoever saves the lines can save all of them or none.

Columns are found by their header text, so a supplier may reorder them. The formulas in
the template are a convenience for the supplier; the reader ignores them.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from socialvalue.core.geography import district_from_text
from socialvalue.core.money import QUANTITY
from socialvalue.core.xlsx_reader import (
    XlsxDamaged,
    XlsxTooBig,
    XlsxTooManyRows,
    first_rows,
    open_workbook,
    sheet_rows,
)
from socialvalue.framework.calculator import (
    NEGATIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_quantity,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Tender
from socialvalue.procurement.offers.xlsx_layout import (
    ANSWER_LABELS,
    BLANK_ROWS_END,
    COLUMNS,
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_SHEET_ROWS,
    META_SHEET,
    OFFER_SHEET,
    REQUIRED_ANSWERS,
    REQUIRED_COLUMNS,
    XLSX_LIMITS,
)

ERR_NOT_XLSX = (
    "This file is not an Excel workbook (.xlsx), or it is damaged. Download the offer "
    "template for this tender, fill it in and upload it as an .xlsx file."
)
ERR_FILE_TOO_LARGE = "The file is larger than 5 MB. An offer template is much smaller than that."
ERR_NO_HEADER = (
    "The file has no sheet with the offer template's header row (Code, Quantity, Activity, "
    "Who delivers, When, Evidence to be provided). Download the offer template for this "
    "tender and copy your answers into it."
)
ERR_MISSING_COLUMNS = (
    "Row {row}: the header row has no column headed {columns}. Put the column back or "
    "download a fresh template."
)
ERR_DUPLICATE_COLUMN = "Row {row}: two columns are headed '{header}'. Keep only one of them."
ERR_OTHER_TENDER = "This file is the offer template for tender {other}, not {this}."
ERR_OTHER_VERSION = (
    "This file lists the measures of {other}, but tender {reference} uses {this}. Download "
    "a fresh template."
)
ERR_SHEET_TOO_LONG = (
    "The '{sheet}' sheet uses {rows:,} rows; an offer needs far fewer. Delete the rows "
    "below your offer and upload the file again."
)
ERR_NO_LINES = (
    "The file has no rows with a quantity. Type a quantity for each measure you offer and "
    "upload it again."
)
ERR_TOO_MANY_LINES = (
    "The file has {count} rows with a quantity; an offer can have at most {limit} lines."
)
ERR_NO_CODE = (
    "Row {row}: there is a quantity but no measure code. Type the code, for example NT1, "
    "in the Code column."
)
ERR_UNKNOWN_CODE = "Row {row}: '{code}' is not a measure of {framework}."
ERR_OFF_MENU = "Row {row}: {code} is not on the menu for this tender, so it cannot be offered."
ERR_QUANTITY = "Row {row}: the quantity for {code} must be a number of 0 or more, not '{value}'."
ERR_QUANTITY_FORMULA = (
    "Row {row}: the quantity for {code} must be typed as a number, not a formula ('{value}')."
)
ERR_QUANTITY_PRECISE = (
    "Row {row}: the quantity for {code} can have at most 6 decimal places, not '{value}'."
)
ERR_QUANTITY_LARGE = (
    "Row {row}: the quantity for {code} is too large ('{value}'); it must be "
    f"{QUANTITY.show(QUANTITY.largest)} or less."
)
ERR_DISTRICT = (
    "Row {row}: '{value}' is not a Lancashire district. Choose one of the 14 districts or "
    "'Outside Lancashire' from the list, or leave it blank."
)
ERR_ANSWERS_MISSING = "Row {row}: {code} has a quantity, so fill in {columns}."


@dataclass(frozen=True)
class OfferLine:
    row: int  # spreadsheet row number (1-based, as Excel shows it)
    measure: Measure  # a Measure of tender.framework_version on the tender's menu
    quantity: Decimal
    target_district: str  # a core.geography.District value or ""
    activity: str
    who_delivers: str
    timing: str
    partners: str
    evidence: str


class OfferImportError(ValidationError):
    """The file cannot be imported. ``row_errors`` lists (row, message) pairs in row order;
    row 0 is a problem with the whole file. Each message names its row already."""

    def __init__(self, row_errors: Sequence[tuple[int, str]]) -> None:
        self.row_errors: list[tuple[int, str]] = sorted(row_errors, key=lambda item: item[0])
        super().__init__([message for _row, message in self.row_errors])


# --- The reader -------------------------------------------------------------------------


def offer_xlsx_parse(*, tender: Tender, data: bytes) -> list[OfferLine]:
    """Read a filled offer template for ``tender``: every row with a quantity, or nothing.

    The workbook is read within ``XLSX_LIMITS`` (see ``core.xlsx_reader``), with formulas
    as their text so that a formula typed as a quantity is refused rather than trusted.
    Raises ``OfferImportError`` with every problem found, each with its row number.
    """
    try:
        with open_workbook(data, XLSX_LIMITS, data_only=False) as workbook:
            return _parse(tender, workbook)
    except XlsxTooManyRows as exc:
        message = ERR_SHEET_TOO_LONG.format(sheet=exc.sheet, rows=exc.row)
        raise OfferImportError([(0, message)]) from None
    except XlsxDamaged:
        raise OfferImportError([(0, ERR_NOT_XLSX)]) from None
    except XlsxTooBig as exc:
        message = ERR_FILE_TOO_LARGE if len(data) > MAX_FILE_BYTES else exc.message
        raise OfferImportError([(0, message)]) from None


def _parse(tender: Tender, workbook: Any) -> list[OfferLine]:
    _check_meta(workbook, tender)
    sheet, header_row, header = _find_header(workbook)
    columns = _columns(header, header_row)
    measures = {
        measure.code.casefold(): measure
        for measure in Measure.objects.filter(version=tender.framework_version).select_related(
            "theme", "outcome"
        )
    }
    menu_ids = set(tender.menu.values_list("pk", flat=True))
    errors: list[tuple[int, str]] = []
    lines: list[OfferLine] = []
    count = 0
    rows = sheet_rows(
        sheet,
        first_row=header_row + 1,
        columns=max(columns.values()),
        max_rows=MAX_SHEET_ROWS,
        blank_rows_end=BLANK_ROWS_END,
    )
    for row, values in enumerate(rows, start=header_row + 1):
        cells = {key: values[index - 1] for key, index in columns.items()}
        if _is_blank(cells["quantity"]):
            continue
        count += 1
        line, row_errors = _read_row(tender, row, cells, measures, menu_ids)
        errors.extend(row_errors)
        if line is not None:
            lines.append(line)
    if count > MAX_LINES:
        errors.append((0, ERR_TOO_MANY_LINES.format(count=count, limit=MAX_LINES)))
    if not errors and not lines:
        errors.append((0, ERR_NO_LINES))
    if errors:
        raise OfferImportError(errors)
    return lines


def _check_meta(workbook: Any, tender: Tender) -> None:
    """Refuse a template made for another tender. A file without the sheet is read as is."""
    if META_SHEET not in workbook.sheetnames:
        return
    meta: dict[str, Any] = {}
    for key, value in first_rows(workbook[META_SHEET], columns=2, count=20):
        if isinstance(key, str):
            meta[key] = value
    tender_id = meta.get("tender_id")
    if tender_id is not None and str(tender_id) != str(tender.pk):
        other = meta.get("tender_reference") or "another tender"
        raise OfferImportError([(0, ERR_OTHER_TENDER.format(other=other, this=tender.reference))])
    slug = meta.get("framework_version")
    if slug and slug != tender.framework_version.slug:
        raise OfferImportError(
            [
                (
                    0,
                    ERR_OTHER_VERSION.format(
                        other=meta.get("framework_version_name") or slug,
                        reference=tender.reference,
                        this=tender.framework_version.name,
                    ),
                )
            ]
        )


def _normalise(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split()).casefold().rstrip(" *")


def _header_keys(value: object) -> str | None:
    text = _normalise(value)
    for key, aliases in HEADER_ALIASES.items():
        if text in aliases:
            return key
    return None


def _find_header(workbook: Any) -> tuple[Any, int, tuple[object, ...]]:
    """The sheet and row holding the header (the Offer sheet first, then any other), and
    the header row's values."""
    sheets = sorted(workbook.worksheets, key=lambda ws: ws.title != OFFER_SHEET)
    for sheet in sheets:
        if sheet.title == META_SHEET:
            continue
        top = first_rows(sheet, columns=MAX_COLUMNS, count=HEADER_SEARCH_ROWS)
        for row, values in enumerate(top, start=1):
            keys = {_header_keys(value) for value in values}
            if {"code", "quantity"} <= keys:
                return sheet, row, values
    raise OfferImportError([(0, ERR_NO_HEADER)])


def _columns(header: tuple[object, ...], header_row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for index, value in enumerate(header, start=1):
        key = _header_keys(value)
        if key is None:
            continue
        if key in found:
            errors.append(
                (header_row, ERR_DUPLICATE_COLUMN.format(row=header_row, header=str(value).strip()))
            )
        found[key] = index
    missing = [key for key in REQUIRED_COLUMNS if key not in found]
    if missing:
        names = [next(c.header for c in COLUMNS if c.key == key) for key in missing]
        errors.append(
            (header_row, ERR_MISSING_COLUMNS.format(row=header_row, columns=_and_list(names, "'")))
        )
    if errors:
        raise OfferImportError(errors)
    return found


def _and_list(items: Sequence[str], quote: str = "") -> str:
    quoted = [f"{quote}{item}{quote}" for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text: strings stripped, whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _shown(value: object) -> str:
    """A cell's content quoted in a message, cut short if long."""
    if isinstance(value, float):
        text = f"{Decimal(repr(value)).normalize():f}" if math.isfinite(value) else repr(value)
    else:
        text = _text(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _read_row(
    tender: Tender,
    row: int,
    cells: dict[str, Any],
    measures: dict[str, Measure],
    menu_ids: set[int],
) -> tuple[OfferLine | None, list[tuple[int, str]]]:
    errors: list[str] = []
    code_text = _text(cells.get("code"))
    measure = measures.get(code_text.casefold()) if code_text else None
    label = measure.code if measure else (code_text or "this row")
    if not code_text:
        errors.append(ERR_NO_CODE.format(row=row))
    elif measure is None:
        errors.append(
            ERR_UNKNOWN_CODE.format(
                row=row, code=_shown(code_text), framework=tender.framework_version.name
            )
        )
    elif measure.pk not in menu_ids:
        errors.append(ERR_OFF_MENU.format(row=row, code=measure.code))

    quantity = _quantity(row, label, cells["quantity"], errors)

    district_raw = cells.get("district")
    district = ""
    if not _is_blank(district_raw):
        found = district_from_text(_text(district_raw))
        if found is None:
            errors.append(ERR_DISTRICT.format(row=row, value=_shown(district_raw)))
        else:
            district = found

    answers = {key: _text(cells.get(key)) for key in (*REQUIRED_ANSWERS, "partners")}
    missing = [ANSWER_LABELS[key] for key in REQUIRED_ANSWERS if not answers[key]]
    if missing:
        errors.append(ERR_ANSWERS_MISSING.format(row=row, code=label, columns=_and_list(missing)))

    if errors or measure is None or quantity is None:
        return None, [(row, message) for message in errors]
    line = OfferLine(
        row=row,
        measure=measure,
        quantity=quantity,
        target_district=district,
        activity=answers["activity"],
        who_delivers=answers["who_delivers"],
        timing=answers["timing"],
        partners=answers["partners"],
        evidence=answers["evidence"],
    )
    return line, []


def _quantity(row: int, code: str, raw: object, errors: list[str]) -> Decimal | None:
    if isinstance(raw, str) and raw.strip().startswith("="):
        errors.append(ERR_QUANTITY_FORMULA.format(row=row, code=code, value=_shown(raw)))
        return None
    value: object = raw.strip() if isinstance(raw, str) else raw
    if isinstance(value, datetime | date | time):
        value = _text(value)
    try:
        return parse_quantity(value)
    except AmountError as error:
        template = {
            TOO_PRECISE: ERR_QUANTITY_PRECISE,
            TOO_LARGE: ERR_QUANTITY_LARGE,
            NEGATIVE: ERR_QUANTITY,
        }.get(error.kind, ERR_QUANTITY)
        errors.append(template.format(row=row, code=code, value=_shown(raw)))
        return None
