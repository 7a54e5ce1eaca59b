"""Return lines from a file: all or nothing, with a message for every bad row.

The same rows come from the XLSX template and from CSV files. Columns (headings in any
case and order; others are ignored, so the template's guidance columns do no harm):

- ``contract`` — the contract reference (required);
- ``buyer`` — the buying organisation, needed only when two of the supplier's contracts
  share a reference;
- ``measure`` — a measure code such as ``NT1`` (required);
- ``quantity`` — what was delivered, 0 or more, at most 6 decimal places (required);
- ``district`` — a Lancashire district's name or code, or ``outside`` (required);
- ``narrative`` — what was done (optional).

Blank rows are skipped. An upload replaces the return's draft lines (and their evidence);
it is only possible while the return has not been submitted. Nothing is saved unless every
row is right.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    ImportBatch,
    Return,
    ReturnLine,
)
from socialvalue.contracts.returns import (
    ERR_RETURN_SUBMITTED,
    contracts_in_period,
    delete_files_on_commit,
)
from socialvalue.core.geography import District, district_from_text
from socialvalue.core.money import QUANTITY
from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_quantity,
)
from socialvalue.framework.models import Measure

REQUIRED_COLUMNS = ("contract", "measure", "quantity", "district")
OPTIONAL_COLUMNS = ("buyer", "narrative")
MAX_NARRATIVE = 5000

ERR_NO_ROWS = "The file has no lines to import."
ERR_TOO_MANY_ROWS = "The file has more than {limit:,} lines; split it into smaller files."
ERR_MISSING_COLUMNS = "The file has no {columns} column. Use the template's headings."
ERR_CONTRACT_MISSING = "Contract is required: the contract reference."
ERR_CONTRACT_UNKNOWN = "{supplier} has no contract {reference} in {period}."
ERR_CONTRACT_AMBIGUOUS = (
    "{reference} is the reference of contracts with {buyers}: fill in the buyer column."
)
ERR_BUYER_UNKNOWN = "{supplier} has no contract {reference} with {buyer} in {period}."
ERR_MEASURE_MISSING = "Measure is required: a measure code such as NT1."
ERR_MEASURE_UNKNOWN = "{code} is not a measure of {version}, the framework of {reference}."
ERR_QUANTITY = {
    NOT_A_NUMBER: "Quantity must be a number, such as 2.5.",
    NOT_FINITE: "Quantity must be a number, such as 2.5.",
    NEGATIVE: "Quantity must be 0 or more.",
    TOO_LARGE: f"{QUANTITY.too_large('Quantity')}.",
    TOO_PRECISE: f"{QUANTITY.too_precise('Quantity')}.",
}
ERR_QUANTITY_MISSING = "Quantity is required: what was delivered, such as 2.5."
ERR_DISTRICT_MISSING = "District is required: a Lancashire district's name or code, or 'outside'."
ERR_DISTRICT_UNKNOWN = (
    "'{text}' is not a Lancashire district; use a district's name or code, or 'outside'."
)
ERR_NARRATIVE_LONG = "Narrative must be {limit:,} characters or fewer."
ERR_NOT_TEXT_FILE = "The file is not a CSV file in UTF-8 text."
ERR_CSV_BROKEN = (
    "Line {line} of the file cannot be read: a cell is longer than {limit:,} characters, "
    "or a quotation mark is not closed."
)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it, heading row included
    messages: tuple[str, ...]

    def __str__(self) -> str:
        return f"Row {self.row}: " + " ".join(self.messages)


class ImportFailed(Exception):
    """Nothing was imported. ``errors`` has one entry per bad row (or a file-level one)."""

    def __init__(self, errors: list[RowError] | list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


@dataclass(frozen=True)
class RawRow:
    number: int
    cells: dict[str, str]


def normalise_heading(text: object) -> str:
    return " ".join(str(text or "").split()).casefold().replace(" ", "_")


def rows_from_table(
    table: Iterable[Iterable[object]], *, first_row_number: int = 1
) -> Iterator[RawRow]:
    """Rows of a table whose first row holds the headings (as in CSV or a worksheet).

    Raises ``ImportFailed`` if a required heading is missing.
    """
    iterator = iter(table)
    heading_number = first_row_number - 1
    headings: list[str] = []
    for heading_row in iterator:
        heading_number += 1
        headings = [normalise_heading(h) for h in heading_row]
        if any(headings):
            break
    if not any(headings):
        raise ImportFailed([ERR_NO_ROWS])
    missing = [c for c in REQUIRED_COLUMNS if c not in headings]
    if missing:
        raise ImportFailed([ERR_MISSING_COLUMNS.format(columns=", ".join(missing))])
    wanted = {
        name: headings.index(name)
        for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        if name in headings
    }
    for number, row in enumerate(iterator, start=heading_number + 1):
        values = list(row)
        cells = {}
        for name, index in wanted.items():
            value = values[index] if index < len(values) else None
            cells[name] = "" if value is None else _cell_text(value)
        if not any(cells.values()):
            continue
        yield RawRow(number, cells)


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


def rows_from_csv(data: bytes) -> Iterator[RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([ERR_NOT_TEXT_FILE]) from None
    if "\x00" in text:
        raise ImportFailed([ERR_NOT_TEXT_FILE])
    return rows_from_table(_csv_records(text))


def _csv_records(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error:
        raise ImportFailed(
            [ERR_CSV_BROKEN.format(line=reader.line_num, limit=csv.field_size_limit())]
        ) from None


@dataclass(frozen=True, slots=True)
class ValidLine:
    """A row that passed every check, ready to be saved as a draft return line."""

    contract_id: int
    measure_id: int
    quantity: Decimal
    district: str
    narrative: str


@dataclass
class _Context:
    return_record: Return
    by_reference: dict[str, list[Contract]]
    measures: dict[int, dict[str, Measure]]  # framework version id -> code -> measure


def _context(return_record: Return) -> _Context:
    contracts = list(contracts_in_period(return_record.supplier, return_record.period))
    by_reference: dict[str, list[Contract]] = {}
    for contract in contracts:
        by_reference.setdefault(contract.reference.casefold(), []).append(contract)
    version_ids = {c.framework_version_id for c in contracts}
    measures: dict[int, dict[str, Measure]] = {vid: {} for vid in version_ids}
    for measure in Measure.objects.filter(version_id__in=version_ids):
        measures[measure.version_id][measure.code.upper()] = measure
    return _Context(return_record, by_reference, measures)


_DISTRICTS: dict[str, str] = {}


def _district(text: str) -> str | None:
    key = text.casefold()
    found = _DISTRICTS.get(key)
    if found is None:
        if key in {"outside", "outside lancashire"}:
            found = District.OUTSIDE.value
        else:
            found = district_from_text(text)
        if found is not None:
            _DISTRICTS[key] = found
    return found


def _validate(ctx: _Context, raw: RawRow) -> tuple[ValidLine | None, list[str]]:
    cells = raw.cells
    messages: list[str] = []
    period = ctx.return_record.period
    supplier = ctx.return_record.supplier
    contract: Contract | None = None
    reference = cells.get("contract", "")
    if not reference:
        messages.append(ERR_CONTRACT_MISSING)
    else:
        matches = ctx.by_reference.get(reference.casefold(), [])
        buyer = cells.get("buyer", "")
        if buyer and matches:
            matches = [c for c in matches if c.organisation.name.casefold() == buyer.casefold()]
            if not matches:
                messages.append(
                    ERR_BUYER_UNKNOWN.format(
                        supplier=supplier.name,
                        reference=reference,
                        buyer=buyer,
                        period=period.short_label,
                    )
                )
        elif not matches:
            messages.append(
                ERR_CONTRACT_UNKNOWN.format(
                    supplier=supplier.name, reference=reference, period=period.short_label
                )
            )
        if len(matches) > 1:
            messages.append(
                ERR_CONTRACT_AMBIGUOUS.format(
                    reference=reference,
                    buyers=" and ".join(sorted(c.organisation.name for c in matches)),
                )
            )
        elif len(matches) == 1:
            contract = matches[0]
    measure: Measure | None = None
    code = cells.get("measure", "")
    if not code:
        messages.append(ERR_MEASURE_MISSING)
    elif contract is not None:
        measure = ctx.measures[contract.framework_version_id].get(code.upper())
        if measure is None:
            messages.append(
                ERR_MEASURE_UNKNOWN.format(
                    code=code, version=contract.framework_version, reference=contract.reference
                )
            )
    quantity: Decimal | None = None
    quantity_text = cells.get("quantity", "")
    if not quantity_text:
        messages.append(ERR_QUANTITY_MISSING)
    else:
        try:
            quantity = parse_quantity(_without_thousands_commas(quantity_text))
        except AmountError as exc:
            messages.append(ERR_QUANTITY.get(exc.kind, ERR_QUANTITY[NOT_A_NUMBER]))
    district_text = cells.get("district", "")
    district: str | None = None
    if not district_text:
        messages.append(ERR_DISTRICT_MISSING)
    else:
        district = _district(district_text)
        if district is None:
            messages.append(ERR_DISTRICT_UNKNOWN.format(text=district_text[:60]))
    narrative = cells.get("narrative", "")
    if len(narrative) > MAX_NARRATIVE:
        messages.append(ERR_NARRATIVE_LONG.format(limit=MAX_NARRATIVE))
    if "\x00" in narrative:
        narrative = narrative.replace("\x00", "")
    if messages or contract is None or measure is None or quantity is None or district is None:
        return None, messages
    return ValidLine(contract.pk, measure.pk, quantity, district, narrative), []


_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _without_thousands_commas(text: str) -> str:
    """ "1,250.5" → "1250.5". Commas anywhere else are left for the number check to refuse,
    so that "1,5" (one and a half, written with a decimal comma) is not read as 15."""
    if "," in text and _THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    return text


def validate_rows(return_record: Return, rows: Iterable[RawRow]) -> list[ValidLine]:
    """The checked values of every row, or ``ImportFailed`` naming each bad row."""
    if return_record.status != Return.Status.DRAFT:
        raise ImportFailed([ERR_RETURN_SUBMITTED])
    ctx = _context(return_record)
    lines: list[ValidLine] = []
    errors: list[RowError] = []
    limit = settings.IMPORT_MAX_ROWS
    for count, raw in enumerate(rows, start=1):
        if count > limit:
            raise ImportFailed([ERR_TOO_MANY_ROWS.format(limit=limit)])
        line, messages = _validate(ctx, raw)
        if messages:
            errors.append(RowError(raw.number, tuple(messages)))
        elif line is not None:
            lines.append(line)
    if errors:
        raise ImportFailed(errors)
    if not lines:
        raise ImportFailed([ERR_NO_ROWS])
    return lines


@transaction.atomic
def lines_import(
    return_record: Return, rows: Iterable[RawRow], *, file_name: str, by: User | None
) -> ImportBatch:
    """Replace the return's draft lines with the file's rows, all or nothing."""
    return_record = (
        Return.objects.select_for_update()
        .select_related("supplier", "period")
        .get(pk=return_record.pk)
    )
    lines = validate_rows(return_record, rows)
    replaced = ReturnLine.objects.filter(
        return_record=return_record, status=ReturnLine.Status.DRAFT
    )
    files = list(Evidence.objects.filter(line__in=replaced).values_list("file", flat=True))
    replaced.delete()
    batch = ImportBatch.objects.create(
        return_record=return_record,
        file_name=file_name[:255],
        line_count=len(lines),
        imported_by=by,
    )
    _insert_lines(return_record, batch, lines)
    delete_files_on_commit(files)
    return batch


_INSERT_COLUMNS = (
    "return_record_id",
    "contract_id",
    "measure_id",
    "quantity",
    "district",
    "narrative",
    "status",
    "import_batch_id",
    "created_at",
    "updated_at",
)
_INSERT_CHUNK = 5000


def _insert_lines(return_record: Return, batch: ImportBatch, lines: list[ValidLine]) -> None:
    """Save the checked rows with one parameterised INSERT run over all of them.

    Every value has already been checked and converted, so building a model instance per
    row (and its ``bulk_create`` bookkeeping) would only add work: a large upload is
    dominated by that overhead. Return lines have no signals or history of their own; the
    import batch records who imported them and when.
    """
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    draft = ReturnLine.Status.DRAFT.value
    field = ReturnLine._meta.get_field("quantity")
    digits, places = field.max_digits, field.decimal_places
    adapt = ops.adapt_decimalfield_value
    params = [
        (
            return_record.pk,
            line.contract_id,
            line.measure_id,
            adapt(line.quantity, digits, places),
            line.district,
            line.narrative,
            draft,
            batch.pk,
            now,
            now,
        )
        for line in lines
    ]
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(ReturnLine._meta.db_table)} "
        f"({', '.join(quote(c) for c in _INSERT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(params), _INSERT_CHUNK):
            cursor.executemany(sql, params[start : start + _INSERT_CHUNK])
