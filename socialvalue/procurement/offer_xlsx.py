"""The offer spreadsheet of a tender: a template listing the menu, and its all-or-nothing reader.

Part of the ITT pack ("10. Social value templates" of the Social Value Strategy 2024-28).
A supplier downloads the template, types a quantity and the delivery plan answers against
each measure it offers, and uploads the file. ``offer_xlsx_parse`` reads it back into
``OfferLine`` values, or raises ``OfferImportError`` naming every offending row; it never
writes anything, so whoever saves the lines can save all of them or none.

Columns are found by their header text, so a supplier may reorder them. The formulas in
the template are a convenience for the supplier; the reader ignores them.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.core.geography import District, district_from_text
from socialvalue.core.money import QUANTITY
from socialvalue.core.spreadsheets import Formula, set_cell, write_cell, xlsx_bytes
from socialvalue.core.xlsx_reader import (
    XlsxDamaged,
    XlsxLimits,
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
from socialvalue.procurement.documents import (
    QDP_QUESTIONS,
    basis_sentence,
    deadline_text,
    deliverability_sentence,
    framework_url,
    menu_for,
    needs_url,
    partners_url,
    quality_levels,
    scoring_formulas,
    weighting_sentence,
)
from socialvalue.procurement.models import Bid, Commitment, Tender

MAX_LINES = 100
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_SHEET_ROWS = 2000
# A stray entry far below the offer is reported rather than silently ignored: only this
# many blank rows in a row end the sheet. Blank rows cost next to nothing to skip.
BLANK_ROWS_END = 20_000
HEADER_SEARCH_ROWS = 30
# The header is looked for, and columns read, among the first MAX_COLUMNS columns only.
MAX_COLUMNS = 40
XLSX_LIMITS = XlsxLimits(
    max_file_bytes=MAX_FILE_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_sheet_bytes=MAX_UNPACKED_BYTES,
    max_part_bytes=MAX_FILE_BYTES,
)
EXTRA_ROWS = 20
TEMPLATE_FORMAT = "social-value-offer-template/1"

OFFER_SHEET = "Offer"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "meta"
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1

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


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    width: float
    editable: bool = False
    wrap: bool = True


COLUMNS: list[_Column] = [
    _Column("code", "Code", 9, wrap=False),
    _Column("theme", "Theme", 16),
    _Column("description", "Measure", 50),
    _Column("unit", "Unit", 18),
    _Column("proxy", "Proxy value (£)", 13, wrap=False),
    _Column("quantity", "Quantity", 11, editable=True, wrap=False),
    _Column("district", "Target district", 20, editable=True),
    _Column("activity", "Activity", 40, editable=True),
    _Column("who_delivers", "Who delivers", 28, editable=True),
    _Column("timing", "When", 24, editable=True),
    _Column("partners", "Partners", 26, editable=True),
    _Column("evidence", "Evidence to be provided", 36, editable=True),
    _Column("value", "Value (£)", 15, wrap=False),
]
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
LETTER = {key: get_column_letter(index) for key, index in COLUMN_INDEX.items()}
LAST_LETTER = get_column_letter(len(COLUMNS))

# Header texts the reader accepts for each column it needs (compared without case).
HEADER_ALIASES: dict[str, set[str]] = {
    "code": {"code", "measure code"},
    "quantity": {"quantity"},
    "district": {"target district", "district"},
    "activity": {"activity"},
    "who_delivers": {"who delivers"},
    "timing": {"when", "timing"},
    "partners": {"partners"},
    "evidence": {"evidence to be provided", "evidence"},
}
REQUIRED_COLUMNS = ("code", "quantity", "activity", "who_delivers", "timing", "evidence")
REQUIRED_ANSWERS = ("activity", "who_delivers", "timing", "evidence")
ANSWER_LABELS = {key: label for key, label, _guidance in QDP_QUESTIONS}

GBP_FORMAT = '"£"#,##0.00'
PROXY_FORMAT = '"£"#,##0.00##'
FONT = "Arial"
LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
INPUT_HEADER_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="B1B4B6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
# Arial 10 fits a little more than one character per unit of column width.
CHARS_PER_WIDTH = 1.15
LINE_HEIGHT = 12.75
INSTRUCTIONS_WIDTH = 70


# --- The template -----------------------------------------------------------------------


def offer_template_xlsx(*, tender: Tender, bid: Bid | None = None) -> bytes:
    """The offer spreadsheet for ``tender``: one row per menu measure for the supplier to
    fill in, an Instructions sheet and a hidden ``meta`` sheet naming the tender. With
    ``bid``, its commitments and delivery plan answers are filled in already."""
    menu = menu_for(tender)
    placed, extra = _place_commitments(menu, bid)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = OFFER_SHEET
    _title_block(sheet, tender)
    _header_row(sheet)
    last_menu_row = FIRST_ROW + len(menu) - 1
    for offset, measure in enumerate(menu):
        _menu_row(sheet, FIRST_ROW + offset, measure, placed.get(measure.pk))
    extra_heading = last_menu_row + 1
    first_extra = extra_heading + 1
    extra_count = max(EXTRA_ROWS, len(extra) + 5)
    last_extra = first_extra + extra_count - 1
    _extra_rows(sheet, extra_heading, first_extra, last_extra, last_menu_row, extra)
    _total_row(sheet, last_extra + 2, last_extra)
    _validations(sheet, last_menu_row, first_extra, last_extra)
    _finish_offer_sheet(sheet)
    _instructions_sheet(workbook.create_sheet(INSTRUCTIONS_SHEET), tender)
    _meta_sheet(workbook.create_sheet(META_SHEET), tender)
    workbook.active = 0
    workbook.properties.title = f"Social value offer: {tender.reference} {tender.title}"
    workbook.properties.creator = settings.SERVICE_NAME
    return xlsx_bytes(workbook, formulas=True)


def _place_commitments(
    menu: list[Measure], bid: Bid | None
) -> tuple[dict[int, Commitment], list[Commitment]]:
    """The first commitment of each menu measure goes on its row; the rest on extra rows."""
    placed: dict[int, Commitment] = {}
    extra: list[Commitment] = []
    if bid is None:
        return placed, extra
    menu_ids = {measure.pk for measure in menu}
    for commitment in bid.commitments.select_related("measure", "response").order_by("order", "id"):
        if commitment.measure_id in menu_ids and commitment.measure_id not in placed:
            placed[commitment.measure_id] = commitment
        else:
            extra.append(commitment)
    return placed, extra


def _style(cell: Cell, *, editable: bool, wrap: bool = True, bold: bool = False) -> None:
    cell.font = Font(name=FONT, size=10, bold=bold)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    cell.border = BORDER
    if editable:
        cell.protection = UNLOCKED
    else:
        cell.fill = LOCKED_FILL


def _title_block(sheet: Worksheet, tender: Tender) -> None:
    lines: list[tuple[str, str | None]] = [
        (f"Social value offer: {tender.reference} {tender.title}", None),
        (
            f"Buyer: {tender.organisation.name}. Offers must be submitted by "
            f"{deadline_text(tender)} (UK time).",
            None,
        ),
        (weighting_sentence(tender), None),
        (f"{basis_sentence(tender)} {deliverability_sentence(tender)}", None),
        (
            f"Framework: {tender.framework_version.name} (measures, units, proxy values and "
            f"evidence): {framework_url(tender)}",
            framework_url(tender),
        ),
        (
            f"Local needs map: {needs_url()}   Partners directory: {partners_url()}",
            needs_url(),
        ),
        (
            "Columns A to E and M are filled in for you. Type your offer in columns F to L: "
            "leave the quantity blank for measures you are not offering. Read the "
            "Instructions sheet first.",
            None,
        ),
    ]
    full_width = sum(column.width for column in COLUMNS)
    for row, (text, link) in enumerate(lines, start=1):
        height = 22 if row == 1 else LINE_HEIGHT * _line_count(text, full_width) + 3
        sheet.merge_cells(f"A{row}:{LAST_LETTER}{row}")
        cell = write_cell(sheet, row, 1, text)
        cell.font = Font(name=FONT, size=14 if row == 1 else 10, bold=row in (1, 7))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if link:
            cell.hyperlink = link
            cell.font = Font(name=FONT, size=10, color="1D70B8", underline="single")
        sheet.row_dimensions[row].height = height


def _header_row(sheet: Worksheet) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, HEADER_ROW, index, column.header)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        cell.fill = INPUT_HEADER_FILL if column.editable else HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 28


def _quantity_cell_value(quantity: Decimal) -> float | int | str:
    """A number Excel shows as typed; text when a float would change it (over 15 digits)."""
    if quantity == quantity.to_integral_value() and abs(quantity) < 10**15:
        return int(quantity)
    as_float = float(quantity)
    if Decimal(repr(as_float)) == quantity:
        return as_float
    return f"{quantity.normalize():f}"


def _answers(commitment: Commitment | None) -> dict[str, Any]:
    if commitment is None:
        return {}
    response = getattr(commitment, "response", None)
    values: dict[str, Any] = {
        "quantity": _quantity_cell_value(commitment.quantity),
        "district": (
            District(commitment.target_district).label if commitment.target_district else None
        ),
    }
    if response is not None:
        for key in ("activity", "who_delivers", "timing", "partners", "evidence"):
            values[key] = getattr(response, key) or None
    return values


def _value_formula(row: int) -> Formula:
    quantity, proxy = f"{LETTER['quantity']}{row}", f"{LETTER['proxy']}{row}"
    return Formula(f'=IF(ISNUMBER({quantity}),IF(ISNUMBER({proxy}),{quantity}*{proxy},0),"")')


def _menu_row(sheet: Worksheet, row: int, measure: Measure, commitment: Commitment | None) -> None:
    values: dict[str, Any] = {
        "code": measure.code,
        "theme": measure.theme.name,
        "description": measure.description,
        "unit": measure.unit,
        "proxy": measure.proxy_value if measure.proxy_value is not None else "No proxy value",
        "value": _value_formula(row),
        **_answers(commitment),
    }
    _write_row(sheet, row, values)


def _write_row(
    sheet: Worksheet, row: int, values: dict[str, Any], *, code_editable: bool = False
) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, row, index, values.get(column.key))
        editable = column.editable or (code_editable and column.key == "code")
        _style(cell, editable=editable, wrap=column.wrap)
        if column.key == "proxy":
            cell.number_format = PROXY_FORMAT
        elif column.key == "value":
            cell.number_format = GBP_FORMAT
    sheet.row_dimensions[row].height = _row_height(values)


def _row_height(values: dict[str, Any]) -> float:
    lines = 1
    for column in COLUMNS:
        text = values.get(column.key)
        if column.wrap and isinstance(text, str) and not isinstance(text, Formula):
            lines = max(lines, _line_count(text, column.width))
    return min(LINE_HEIGHT * lines + 3, 400.0)


def _line_count(text: str, width: float) -> int:
    """Roughly how many lines ``text`` wraps to in a column ``width`` characters wide."""
    per_line = max(width * CHARS_PER_WIDTH, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _extra_rows(
    sheet: Worksheet,
    heading_row: int,
    first: int,
    last: int,
    last_menu_row: int,
    extra: list[Commitment],
) -> None:
    sheet.merge_cells(f"A{heading_row}:{LAST_LETTER}{heading_row}")
    heading = write_cell(
        sheet,
        heading_row,
        1,
        "Extra lines: to offer a measure more than once (for example in a second "
        "district), type its code in the Code column of a row below and fill in the row.",
    )
    heading.font = Font(name=FONT, size=10, bold=True)
    heading.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[heading_row].height = 28
    code_range = f"${LETTER['code']}${FIRST_ROW}:${LETTER['code']}${last_menu_row}"
    for offset, row in enumerate(range(first, last + 1)):
        commitment = extra[offset] if offset < len(extra) else None
        code_cell = f"${LETTER['code']}{row}"
        values: dict[str, Any] = {"value": _value_formula(row), **_answers(commitment)}
        if commitment is not None:
            values["code"] = commitment.measure.code
        for key in ("theme", "description", "unit", "proxy"):
            lookup_range = f"${LETTER[key]}${FIRST_ROW}:${LETTER[key]}${last_menu_row}"
            values[key] = Formula(
                f'=IF({code_cell}="","",IFERROR(INDEX({lookup_range},'
                f'MATCH({code_cell},{code_range},0)),"Not on the menu"))'
            )
        _write_row(sheet, row, values, code_editable=True)
        if commitment is None:
            sheet.row_dimensions[row].height = 17


def _total_row(sheet: Worksheet, row: int, last_row: int) -> None:
    label = sheet.cell(row=row, column=COLUMN_INDEX["description"])
    set_cell(label, "Total value of your offer, before the deliverability check")
    label.font = Font(name=FONT, size=10, bold=True)
    total = sheet.cell(row=row, column=COLUMN_INDEX["value"])
    value_column = LETTER["value"]
    set_cell(total, Formula(f"=SUM({value_column}{FIRST_ROW}:{value_column}{last_row})"))
    total.font = Font(name=FONT, size=10, bold=True)
    total.number_format = GBP_FORMAT
    total.border = BORDER


def _validations(sheet: Worksheet, last_menu_row: int, first_extra: int, last_extra: int) -> None:
    districts = ",".join(district.label for district in District)
    district_rule = DataValidation(
        type="list",
        formula1=f'"{districts}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Target district",
        error="Choose a Lancashire district or Outside Lancashire from the list, or leave it "
        "blank.",
        showInputMessage=True,
        promptTitle="Target district",
        prompt="Optional: the district that will mostly benefit.",
    )
    quantity_rule = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Quantity",
        error="Type a number of 0 or more, in the unit shown for the measure.",
    )
    code_rule = DataValidation(
        type="list",
        formula1=f"${LETTER['code']}${FIRST_ROW}:${LETTER['code']}${last_menu_row}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Code",
        error="Choose a measure code from the menu.",
    )
    district_rule.add(f"{LETTER['district']}{FIRST_ROW}:{LETTER['district']}{last_extra}")
    quantity_rule.add(f"{LETTER['quantity']}{FIRST_ROW}:{LETTER['quantity']}{last_extra}")
    code_rule.add(f"{LETTER['code']}{first_extra}:{LETTER['code']}{last_extra}")
    for rule in (district_rule, quantity_rule, code_rule):
        sheet.add_data_validation(rule)


def _finish_offer_sheet(sheet: Worksheet) -> None:
    sheet.freeze_panes = f"B{FIRST_ROW}"
    # Without a password: the protection stops accidental edits of the council's columns.
    sheet.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, selectLockedCells=False
    )
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddFooter.center.text = "Page &P of &N"


def _instructions_sheet(sheet: Worksheet, tender: Tender) -> None:
    sheet.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    blocks: list[tuple[str, Iterable[str]]] = [
        (
            f"How to fill in the social value offer for {tender.reference} {tender.title}",
            [
                "The Offer sheet lists every measure on the menu for this tender, one per row, "
                "with its unit and proxy value (£ per unit).",
                "For each measure you offer, type the quantity you commit to in the Quantity "
                "column, in the unit shown. Rows with the quantity left blank are ignored.",
                "You may pick a target district from the list: the district that will mostly "
                "benefit. It is optional.",
                "Every row with a quantity needs its delivery plan answers: Activity, Who "
                "delivers, When and Evidence to be provided. Partners is optional.",
                "To offer a measure more than once (for example in two districts), type its "
                "code in one of the extra lines below the menu.",
                "The Value (£) column and the total work out quantity × proxy value for you. "
                "They are only a guide: the council works out every value itself.",
                "The council's columns are protected against accidental changes (there is no "
                "password). You may move the columns you fill in; keep their headings.",
                "Upload the file on your offer page. If any row has a problem, nothing is "
                "saved and you get a list of the rows to fix. Uploading replaces the "
                "commitments in your draft offer.",
            ],
        ),
        (
            "How to answer the delivery plan questions",
            [f"{label}: {guidance}" for _key, label, guidance in QDP_QUESTIONS],
        ),
        (
            "How your offer is scored",
            [
                weighting_sentence(tender),
                basis_sentence(tender),
                deliverability_sentence(tender),
                *scoring_formulas(tender),
            ],
        ),
        (
            "Quality scoring profile",
            [
                f"{level.score} {level.label}: {level.descriptor}"
                for level in quality_levels(tender)
            ],
        ),
        (
            "Where to find help",
            [
                f"The framework, with the evidence each measure needs: {framework_url(tender)}",
                f"Local needs map: {needs_url()}",
                f"Partners who can help you deliver: {partners_url()}",
            ],
        ),
    ]
    row = 1
    for heading, lines in blocks:
        cell = write_cell(sheet, row, 1, heading)
        cell.font = Font(name=FONT, size=14 if row == 1 else 12, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 20 * _line_count(heading, INSTRUCTIONS_WIDTH * 0.8)
        row += 1
        for line in lines:
            cell = write_cell(sheet, row, 1, line)
            cell.font = Font(name=FONT, size=10)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[row].height = (
                LINE_HEIGHT * _line_count(line, INSTRUCTIONS_WIDTH * 1.2) + 3
            )
            row += 1
        row += 1
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _meta_sheet(sheet: Worksheet, tender: Tender) -> None:
    rows = [
        ("format", TEMPLATE_FORMAT),
        ("tender_id", tender.pk),
        ("tender_reference", tender.reference),
        ("organisation", tender.organisation.name),
        ("framework_version", tender.framework_version.slug),
        ("framework_version_name", tender.framework_version.name),
        ("generated_at", timezone.now().isoformat(timespec="seconds")),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        write_cell(sheet, row, 1, key)
        write_cell(sheet, row, 2, value)
    sheet.sheet_state = "hidden"
    sheet.protection = SheetProtection(sheet=True)


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
