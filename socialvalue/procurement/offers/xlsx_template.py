"""The offer spreadsheet template of a tender: its menu of measures, one row each, with the
supplier's commitments filled in when the template is downloaded for an existing offer.

Part of the ITT pack ("10. Social value templates" of the Social Value Strategy 2024-28).
The formulas in the template are a convenience for the supplier; the reader
(``xlsx_import.py``) ignores them.
"""

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.core.geography import District
from socialvalue.core.spreadsheets import Formula, set_cell, write_cell, xlsx_bytes
from socialvalue.framework.models import Measure
from socialvalue.procurement.documents.wording import (
    QDP_QUESTIONS,
    basis_sentence,
    deadline_text,
    deliverability_sentence,
    framework_url,
    menu_for,
    needs_url,
    partners_url,
    scoring_formulas,
    weighting_sentence,
)
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.offers.xlsx_layout import (
    COLUMN_INDEX,
    COLUMNS,
    EXTRA_ROWS,
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LAST_LETTER,
    LETTER,
    META_SHEET,
    OFFER_SHEET,
    TEMPLATE_FORMAT,
)
from socialvalue.procurement.services import quality_levels

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
    if not isinstance(sheet, Worksheet):
        raise TypeError("A new workbook starts with one worksheet")
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
