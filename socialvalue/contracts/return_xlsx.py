"""The quarterly return as a spreadsheet: a pre-filled template, and reading a completed one.

The template's "Return" sheet has the import headings (contract, buyer, measure, quantity,
district, narrative) followed by guidance columns the importer ignores (contract title,
measure description, unit, the quarter's target). It lists one row per contract and
target measure of the quarter with the quantity left empty, or, when the return already
has draft lines, those lines, so that downloading and uploading again changes nothing.
"Guidance" explains how to fill it in; "Lists" holds the districts, measures and contracts
the drop-downs offer.

``rows_from_upload`` reads a completed XLSX (or a CSV with the same headings) into the
rows ``imports.lines_import`` takes. Template rows left untouched (no quantity, district
or narrative) are skipped, so a supplier only fills in the rows it delivered on.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.contracts.imports import (
    ERR_TOO_MANY_ROWS,
    ImportFailed,
    RawRow,
    normalise_heading,
    rows_from_csv,
    rows_from_table,
)
from socialvalue.contracts.models import (
    Contract,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.contracts.returns import contracts_in_period
from socialvalue.core.geography import District
from socialvalue.core.spreadsheets import active_sheet, append_row, xlsx_bytes
from socialvalue.core.xlsx_reader import (
    ZIP_ERRORS,
    XlsxDamaged,
    XlsxLimits,
    XlsxRefused,
    XlsxTooManyRows,
    open_workbook,
    sheet_rows,
)
from socialvalue.framework.models import Measure

RETURN_SHEET = "Return"
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"
HEADINGS = ("contract", "buyer", "measure", "quantity", "district", "narrative")
GUIDANCE_HEADINGS = ("contract title", "measure description", "unit", "target this quarter")
WIDTHS = (16, 28, 10, 12, 22, 60, 36, 60, 28, 18)
LISTS_WIDTHS = (22, 2, 10, 24, 60, 28, 14, 2, 16, 28, 40)
INPUT_COLUMNS = ("quantity", "district", "narrative")
EXTRA_ROWS = 300  # room below the listed rows, with the drop-downs, for more lines
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
# The headings are found by name in any order, among the first MAX_COLUMNS columns.
MAX_COLUMNS = 50
XLSX_LIMITS = XlsxLimits(
    max_file_bytes=MAX_UPLOAD_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_sheet_bytes=MAX_UNPACKED_BYTES,
    max_part_bytes=10 * 1024 * 1024,
)

ERR_NOT_A_TABLE = (
    "The file is not an Excel workbook (.xlsx) or a CSV file in UTF-8 text. Download the "
    "return template, fill it in and upload it as an .xlsx file."
)
ERR_DAMAGED = (
    "The Excel workbook could not be read: it may be damaged. Save it again and upload it."
)

# The Guidance sheet after its title; "## " marks a heading.
GUIDANCE = (
    "For each measure you delivered on, type the quantity delivered in the quarter, choose "
    "the district and describe what you did.",
    "Rows left with no quantity, district and narrative are ignored. Delete a row, or leave "
    "it empty, if you have nothing to report on it.",
    "To report on a measure without a target, or in more than one district, add a row: copy "
    "the contract, buyer and measure code from another row or the Lists sheet.",
    "",
    "## Columns",
    "contract: the contract reference (required).",
    "buyer: the buying organisation; needed only when two contracts share a reference.",
    "measure: the measure code, such as NT1 (required).",
    "quantity: what was delivered this quarter, in the measure's unit: 0 or more, up to 6 "
    "decimal places (required).",
    "district: one of the 14 Lancashire districts, or Outside Lancashire (required).",
    "narrative: what you did, for the council to check against your evidence.",
    "The grey columns (contract title, measure description, unit, target this quarter) are "
    "guidance and are not imported.",
    "",
    "## Uploading",
    "Save the workbook as .xlsx (or as CSV UTF-8) and upload it on your return's page. The "
    "upload replaces the return's draft lines and their evidence files.",
    "If any row has a problem, nothing is imported and every problem is listed with its row "
    "number, so you can correct the file and upload it again.",
    "Evidence files are attached to each line on the return's page after uploading.",
)
LISTS_HEADINGS = (
    *("district", None, "measure", "theme", "measure description", "unit", "proxy value (£)"),
    *(None, "contract", "buyer", "contract title"),
)
HEADING_FONT = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
KEY_FILL = PatternFill("solid", fgColor="DCE6F2")
GUIDANCE_FILL = PatternFill("solid", fgColor="F3F2F1")
GUIDANCE_FONT = Font(color="505A5F", italic=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class TemplateRow:
    contract: Contract
    measure: Measure
    quantity: Decimal | None = None
    district: str = ""
    narrative: str = ""


def template_file_name(return_record: Return) -> str:
    return f"social-value-return-{return_record.period.slug}.xlsx"


def quantity_cell(quantity: Decimal) -> int | float | str:
    """A quantity as a spreadsheet number, or as text when a number would lose digits."""
    value = quantity.normalize()
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return f"{value:f}"


def _template_rows(
    return_record: Return, contracts: list[Contract], targets: list[Target]
) -> list[TemplateRow]:
    drafts = list(
        return_record.lines.filter(status=ReturnLine.Status.DRAFT)
        .select_related("contract__organisation", "contract__framework_version", "measure")
        .order_by("contract__reference", "measure__order", "pk")
    )
    if drafts:
        return [
            TemplateRow(line.contract, line.measure, line.quantity, line.district, line.narrative)
            for line in drafts
        ]
    by_contract = {c.pk: c for c in contracts}
    return [TemplateRow(by_contract[t.contract_id], t.measure) for t in targets]


def return_template_xlsx(return_record: Return) -> bytes:
    """The return template for ``return_record``'s quarter, pre-filled as described above."""
    period = return_record.period
    contracts = list(contracts_in_period(return_record.supplier, period))
    targets = list(
        Target.objects.filter(contract__in=contracts)
        .select_related("measure")
        .order_by("contract__reference", "contract_id", "measure__order", "measure__code")
    )
    quarter_targets = {
        (tq.target.contract_id, tq.target.measure_id): tq.quantity
        for tq in TargetQuarter.objects.filter(target__in=targets, period=period).select_related(
            "target"
        )
    }
    rows = _template_rows(return_record, contracts, targets)
    measures = list(
        Measure.objects.filter(version_id__in={c.framework_version_id for c in contracts})
        .select_related("theme")
        .order_by("version_id", "theme__order", "outcome__order", "order", "code")
    )
    workbook = Workbook()
    sheet = active_sheet(workbook)
    sheet.title = RETURN_SHEET
    _return_sheet(sheet, rows, quarter_targets)
    lists = workbook.create_sheet(LISTS_SHEET)
    ranges = _lists_sheet(lists, measures, contracts)
    _validations(sheet, len(rows) + 1 + EXTRA_ROWS, ranges)
    _guidance_sheet(workbook.create_sheet(GUIDANCE_SHEET, 1), return_record, len(rows))
    workbook.active = 0
    workbook.properties.title = f"Social value return {period.short_label}"
    workbook.properties.creator = settings.SERVICE_NAME
    return xlsx_bytes(workbook)


def _return_sheet(
    sheet: Worksheet,
    rows: list[TemplateRow],
    quarter_targets: dict[tuple[int, int], Decimal],
) -> None:
    headings = HEADINGS + GUIDANCE_HEADINGS
    append_row(sheet, headings)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADING_FONT
        if heading in INPUT_COLUMNS:
            cell.fill = INPUT_FILL
        elif heading in HEADINGS:
            cell.fill = KEY_FILL
        else:
            cell.fill = GUIDANCE_FILL
    for row in rows:
        target = quarter_targets.get((row.contract.pk, row.measure.pk))
        append_row(
            sheet,
            [
                row.contract.reference,
                row.contract.organisation.name,
                row.measure.code,
                quantity_cell(row.quantity) if row.quantity is not None else None,
                District(row.district).label if row.district else None,
                row.narrative or None,
                row.contract.title,
                row.measure.description,
                row.measure.unit,
                quantity_cell(target) if target is not None else None,
            ],
        )
    for row_cells in sheet.iter_rows(min_row=2, max_row=len(rows) + 1):
        for cell in row_cells:
            heading = headings[cell.column - 1]
            cell.alignment = WRAP if heading in {"narrative", "measure description"} else TOP
            if heading in GUIDANCE_HEADINGS:
                cell.font = GUIDANCE_FONT
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(rows) + 1, 2)}"


def _column_range(letter: str, count: int) -> str:
    return f"{LISTS_SHEET}!${letter}$2:${letter}${count + 1}"


def _lists_sheet(
    sheet: Worksheet, measures: list[Measure], contracts: list[Contract]
) -> dict[str, str]:
    """Districts in A, measures in C–G, contracts in I–K; the ranges the drop-downs use."""
    append_row(sheet, LISTS_HEADINGS)
    districts = [d.label for d in District]
    height = max(len(districts), len(measures), len(contracts))
    for i in range(height):
        district = districts[i] if i < len(districts) else None
        measure = measures[i] if i < len(measures) else None
        contract = contracts[i] if i < len(contracts) else None
        append_row(
            sheet,
            [
                district,
                None,
                measure.code if measure else None,
                measure.theme.name if measure else None,
                measure.description if measure else None,
                measure.unit if measure else None,
                measure.proxy_value if measure else None,
                None,
                contract.reference if contract else None,
                contract.organisation.name if contract else None,
                contract.title if contract else None,
            ],
        )
    for cell in sheet[1]:
        cell.font = HEADING_FONT
    for letter, width in zip(
        "ABCDEFGHIJK", (22, 2, 10, 24, 60, 28, 14, 2, 16, 28, 40), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    ranges = {"district": _column_range("A", len(districts))}
    if measures:
        ranges["measure"] = _column_range("C", len(measures))
    if contracts:
        ranges["contract"] = _column_range("I", len(contracts))
    return ranges


def _validations(sheet: Worksheet, last_row: int, ranges: dict[str, str]) -> None:
    columns = {heading: get_column_letter(i) for i, heading in enumerate(HEADINGS, start=1)}
    prompts = {
        "contract": "Choose the contract reference from the list.",
        "measure": "Choose the measure code from the list (see the Lists sheet).",
        "district": "Choose a Lancashire district, or Outside Lancashire.",
    }
    for name, source in ranges.items():
        validation = DataValidation(
            type="list",
            formula1=f"={source}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Not a {name} from the list",
            error=prompts[name],
            promptTitle=name.capitalize(),
            prompt=prompts[name],
        )
        validation.add(f"{columns[name]}2:{columns[name]}{last_row}")
        sheet.add_data_validation(validation)
    quantity = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a quantity",
        error="Type the quantity delivered as a number of 0 or more, such as 2.5.",
    )
    quantity.add(f"{columns['quantity']}2:{columns['quantity']}{last_row}")
    sheet.add_data_validation(quantity)


def _guidance_sheet(sheet: Worksheet, return_record: Return, row_count: int) -> None:
    period = return_record.period
    rows = "s" if row_count != 1 else ""
    texts = [
        f"# Social value return: {return_record.supplier.name}",
        f"{period.label}. Due by {period.due_date:%-d %B %Y}.",
        "",
        "## How to fill in the Return sheet",
        f"The Return sheet lists {row_count} row{rows}: each contract you held in the quarter "
        "with each measure it has a target for (or the lines you have already entered).",
        *GUIDANCE,
    ]
    for text in texts:
        level = len(text) - len(text.lstrip("#"))
        append_row(sheet, [text.lstrip("# ")])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.alignment = WRAP
        if level:
            cell.font = Font(bold=True, size=14 if level == 1 else 11)
    sheet.column_dimensions["A"].width = 100


# --- Reading a completed file ---------------------------------------------------------------


def is_xlsx(data: bytes) -> bool:
    """An XLSX is a zip archive holding ``xl/workbook.xml``."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except ZIP_ERRORS:
        return False


def _is_utf8_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _cell(value: object) -> object:
    """Cell values as text the importer reads exactly: 2.5 not 2.4999…, no exponents."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{Decimal(repr(value)):f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def without_untouched(rows: Iterable[RawRow]) -> Iterator[RawRow]:
    """Skip template rows nobody filled in: no quantity, district or narrative."""
    for row in rows:
        cells = row.cells
        if cells.get("quantity") or cells.get("district") or cells.get("narrative"):
            yield row


def _table(rows: Iterable[tuple[object, ...]]) -> Iterator[list[object]]:
    """The rows as the importer reads them; after the heading row, only as wide as the
    headings, so that converting cells costs nothing for the columns nobody named."""
    width: int | None = None
    for row in rows:
        cells = [_cell(value) for value in (row if width is None else row[:width])]
        yield cells
        if width is None:
            named = [index for index, text in enumerate(cells, start=1) if normalise_heading(text)]
            if named:
                width = named[-1]


def _xlsx_rows(data: bytes) -> list[RawRow]:
    """The rows of the Return sheet (or the first sheet), read within ``XLSX_LIMITS``."""
    limit = settings.IMPORT_MAX_ROWS
    try:
        with open_workbook(data, XLSX_LIMITS) as workbook:
            names = workbook.sheetnames
            sheet = workbook[RETURN_SHEET] if RETURN_SHEET in names else workbook.worksheets[0]
            # One row more than the lines allowed: the heading row.
            rows = sheet_rows(sheet, columns=MAX_COLUMNS, max_rows=limit + 1)
            return list(without_untouched(rows_from_table(_table(rows))))
    except ImportFailed:
        raise
    except XlsxTooManyRows:
        raise ImportFailed([ERR_TOO_MANY_ROWS.format(limit=limit)]) from None
    except XlsxDamaged:
        raise ImportFailed([ERR_DAMAGED]) from None
    except XlsxRefused as exc:
        raise ImportFailed([exc.message]) from None
    except Exception:  # noqa: BLE001 - a damaged workbook fails in many ways; all mean the same
        raise ImportFailed([ERR_DAMAGED]) from None


def rows_from_upload(data: bytes) -> list[RawRow]:
    """The rows of an uploaded XLSX or CSV file, told apart by content, not by name.

    Raises ``ImportFailed`` when the file is neither, or has no heading row the importer
    can use."""
    if is_xlsx(data):
        return _xlsx_rows(data)
    if not _is_utf8_text(data):
        raise ImportFailed([ERR_NOT_A_TABLE])
    return list(without_untouched(rows_from_csv(data)))
