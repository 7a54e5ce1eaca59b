"""Return lines from a file: headings in any case and order, a message naming every bad row,
and all or nothing — one bad row among a thousand saves nothing."""

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.imports import (
    ERR_DISTRICT_MISSING,
    ERR_NO_ROWS,
    ERR_NOT_TEXT_FILE,
    ERR_RETURN_SUBMITTED,
    ImportFailed,
    lines_import,
    rows_from_csv,
    rows_from_table,
)
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    ImportBatch,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District

D = Decimal
HEADINGS = ["contract", "measure", "quantity", "district", "narrative"]


def csv_file(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def bobs_return(
    contract: Contract,
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    make_return: Callable[..., Return],
) -> Return:
    return make_return(bobs_building, last_period)


def saved(return_record: Return) -> list[tuple[Any, ...]]:
    return list(
        ReturnLine.objects.filter(return_record=return_record)
        .order_by("pk")
        .values_list("contract__reference", "measure__code", "quantity", "district", "narrative")
    )


def failure(return_record: Return, data: bytes, by: User | None = None) -> list[str]:
    """The messages of an import that must fail, checking that nothing changed."""
    before = saved(return_record)
    batches = ImportBatch.objects.count()
    with pytest.raises(ImportFailed) as caught:
        lines_import(return_record, rows_from_csv(data), file_name="lines.csv", by=by)
    assert saved(return_record) == before
    assert ImportBatch.objects.count() == batches
    return caught.value.messages


def test_it_imports_headings_in_any_case_and_order_and_ignores_other_columns(
    bobs_return: Return, supplier_bob: User
) -> None:
    data = csv_file(
        [
            ["District", " QUANTITY ", "Guidance", "Measure", "Contract", "NARRATIVE"],
            ["preston", "2.5", "FTE hired", "nt1", "lcc-test-001", "Two apprentices"],
            ["E07000117", "1,250.50", "", "NT18", "LCC-TEST-001", ""],
            ["Outside Lancashire", "0", "", "NT18", "LCC-TEST-001", ""],
            ["outside", "3", "", "NT18", "LCC-TEST-001", ""],
        ]
    )
    batch = lines_import(bobs_return, rows_from_csv(data), file_name="q2.csv", by=supplier_bob)
    assert saved(bobs_return) == [
        ("LCC-TEST-001", "NT1", D("2.5"), District.PRESTON, "Two apprentices"),
        ("LCC-TEST-001", "NT18", D("1250.5"), District.BURNLEY, ""),
        ("LCC-TEST-001", "NT18", D("0"), District.OUTSIDE, ""),
        ("LCC-TEST-001", "NT18", D("3"), District.OUTSIDE, ""),
    ]
    assert set(bobs_return.lines.values_list("status", "import_batch")) == {
        (ReturnLine.Status.DRAFT, batch.pk)
    }


def test_it_records_who_imported_which_file(bobs_return: Return, supplier_bob: User) -> None:
    data = csv_file([HEADINGS, ["LCC-TEST-001", "NT1", "1", "Preston", ""]] * 1)
    long_name = "x" * 300 + ".csv"
    batch = lines_import(bobs_return, rows_from_csv(data), file_name=long_name, by=supplier_bob)
    batch.refresh_from_db()
    assert (batch.return_record, batch.line_count, batch.imported_by) == (
        bobs_return,
        1,
        supplier_bob,
    )
    assert batch.file_name == long_name[:255]
    assert batch.imported_at is not None


def test_it_skips_blank_rows_and_numbers_rows_as_the_spreadsheet_does(
    bobs_return: Return,
) -> None:
    data = csv_file(
        [
            [],
            ["", "", ""],
            HEADINGS,  # row 3
            ["LCC-TEST-001", "NT1", "1", "Preston", ""],  # row 4
            ["", "", "", "", ""],  # row 5
            [],  # row 6
            ["LCC-TEST-001", "NT1", "1", "Mars", ""],  # row 7
        ]
    )
    assert failure(bobs_return, data) == [
        "Row 7: 'Mars' is not a Lancashire district; use a district's name or code, or 'outside'."
    ]


def test_it_names_every_bad_row(
    bobs_return: Return,
    contract: Contract,
    make_contract: ContractMaker,
    blackpool: Organisation,
    last_period: ReportingPeriod,
) -> None:
    make_contract(organisation=blackpool)  # also LCC-TEST-001, let by Blackpool Council
    q = last_period.short_label
    rows: list[list[object]] = [
        [*HEADINGS, "buyer"],
        ["LCC-TEST-001", "NT1", "1", "Preston", "", "Lancashire County Council"],  # 2: fine
        ["LCC-NOPE", "NT1", "1", "Preston", "", ""],
        ["LCC-TEST-001", "NT1", "1", "Preston", "", ""],
        ["LCC-TEST-001", "NT1", "1", "Preston", "", "Burnley Council"],
        ["LCC-TEST-001", "NT999", "1", "Preston", "", "blackpool council"],
        ["LCC-TEST-001", "NT1", "abc", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "-1", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "1.1234567", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "1000000000000000", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "NaN", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "1,5", "Preston", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "", "", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "1", "Manchester", "", "Blackpool Council"],
        ["LCC-TEST-001", "NT1", "1", "Preston", "x" * 5001, "Blackpool Council"],
        ["", "", "1", "Preston", "", ""],
    ]
    assert failure(bobs_return, csv_file(rows)) == [
        f"Row 3: Bob's Building Ltd has no contract LCC-NOPE in {q}.",
        "Row 4: LCC-TEST-001 is the reference of contracts with Blackpool Council and "
        "Lancashire County Council: fill in the buyer column.",
        f"Row 5: Bob's Building Ltd has no contract LCC-TEST-001 with Burnley Council in {q}.",
        "Row 6: NT999 is not a measure of Lancashire TOMs 2024, the framework of LCC-TEST-001.",
        "Row 7: Quantity must be a number, such as 2.5.",
        "Row 8: Quantity must be 0 or more.",
        "Row 9: Quantity must have at most 6 decimal places.",
        "Row 10: Quantity must be 999,999,999.999999 or less.",
        "Row 11: Quantity must be a number, such as 2.5.",
        "Row 12: Quantity must be a number, such as 2.5.",
        "Row 13: Quantity is required: what was delivered, such as 2.5. " + ERR_DISTRICT_MISSING,
        "Row 14: 'Manchester' is not a Lancashire district; use a district's name or code, or "
        "'outside'.",
        "Row 15: Narrative must be 5,000 characters or fewer.",
        "Row 16: Contract is required: the contract reference. Measure is required: a measure "
        "code such as NT1.",
    ]


def test_it_tells_contracts_with_the_same_reference_apart_by_the_buyer(
    bobs_return: Return, make_contract: ContractMaker, blackpool: Organisation
) -> None:
    blackpools = make_contract(organisation=blackpool)
    data = csv_file(
        [
            ["Buyer", *HEADINGS],
            ["blackpool council", "LCC-TEST-001", "NT1", "2", "Blackpool", ""],
            ["Lancashire County Council", "LCC-TEST-001", "NT1", "1", "Preston", ""],
        ]
    )
    lines_import(bobs_return, rows_from_csv(data), file_name="lines.csv", by=None)
    assert [(line.contract, line.quantity) for line in bobs_return.lines.order_by("pk")] == [
        (blackpools, D("2")),
        (Contract.objects.get(organisation__name="Lancashire County Council"), D("1")),
    ]


def test_it_refuses_a_file_without_the_required_columns(bobs_return: Return) -> None:
    data = csv_file([["Contract", "Measure", "Amount"], ["LCC-TEST-001", "NT1", "1"]])
    assert failure(bobs_return, data) == [
        "The file has no quantity, district column. Use the template's headings."
    ]


@pytest.mark.parametrize(
    "data", [b"", b"\n\n", csv_file([HEADINGS]), csv_file([HEADINGS, ["", "", "", "", ""]])]
)
def test_it_refuses_a_file_with_no_lines(bobs_return: Return, data: bytes) -> None:
    assert failure(bobs_return, data) == [ERR_NO_ROWS]


@pytest.mark.parametrize(
    "data",
    [
        "contract,measure,quantity,district\nLCC-TEST-001,NT1,1,Préston\n".encode("latin-1"),
        "contract,measure,quantity,district\n".encode("utf-16"),
        b"contract,measure,quantity,district\nLCC-TEST-001,NT1,1\x00,Preston\n",
    ],
    ids=["latin-1", "utf-16", "nul byte"],
)
def test_it_refuses_a_file_that_is_not_utf8_text(bobs_return: Return, data: bytes) -> None:
    assert failure(bobs_return, data) == [ERR_NOT_TEXT_FILE]


def test_it_reads_utf8_with_a_byte_order_mark(bobs_return: Return) -> None:
    data = "\ufeffcontract,measure,quantity,district,narrative\n".encode() + (
        "LCC-TEST-001,NT1,1,Preston,Café refurbished\n".encode()
    )
    lines_import(bobs_return, rows_from_csv(data), file_name="bom.csv", by=None)
    assert saved(bobs_return) == [
        ("LCC-TEST-001", "NT1", D("1"), District.PRESTON, "Café refurbished")
    ]


def test_it_refuses_a_csv_file_it_cannot_read(bobs_return: Return) -> None:
    # An unclosed quotation mark swallows the rest of the file into one enormous cell.
    data = b'contract,measure,quantity,district,narrative\nLCC-TEST-001,NT1,1,Preston,"' + (
        b"x" * 200_000
    )
    assert failure(bobs_return, data) == [
        "Line 2 of the file cannot be read: a cell is longer than 131,072 characters, or a "
        "quotation mark is not closed."
    ]


def thousand_rows(bad_row: int | None = None) -> list[list[object]]:
    """A heading and 1,000 lines (rows 2 to 1,001); ``bad_row`` has an unknown district."""
    rows: list[list[object]] = [list(HEADINGS)]
    for row in range(2, 1002):
        district = "Atlantis" if row == bad_row else list(District)[row % 15].label
        rows.append(["LCC-TEST-001", "NT18" if row % 2 else "NT1", row / 4, district, f"Row {row}"])
    return rows


def test_it_imports_a_thousand_lines_in_one_go(
    bobs_return: Return, supplier_bob: User, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        batch = lines_import(
            bobs_return, rows_from_csv(csv_file(thousand_rows())), file_name="q.csv", by=None
        )
    assert batch.line_count == bobs_return.lines.count() == 1000
    # 2/4 + 3/4 + … + 1001/4 = (2 + 1001) × 1000 ÷ 2 ÷ 4 = 125,375.
    assert sum(bobs_return.lines.values_list("quantity", flat=True)) == D("125375")


def test_it_imports_a_thousand_line_workbook(bobs_return: Return) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in thousand_rows():
        sheet.append(row)  # quantities stay numbers: 0.5, 0.75, 1.0, …
    table = sheet.iter_rows(values_only=True)
    batch = lines_import(bobs_return, rows_from_table(table), file_name="q.xlsx", by=None)
    assert batch.line_count == 1000
    assert sum(bobs_return.lines.values_list("quantity", flat=True)) == D("125375")


def test_it_saves_nothing_when_one_row_of_a_thousand_is_bad(
    bobs_return: Return, contract: Contract, add_line: Callable[..., ReturnLine]
) -> None:
    add_line(bobs_return, contract, "NT1", "7")
    messages = failure(bobs_return, csv_file(thousand_rows(bad_row=637)))
    assert messages == [
        "Row 637: 'Atlantis' is not a Lancashire district; use a district's name or code, or "
        "'outside'."
    ]
    assert saved(bobs_return) == [("LCC-TEST-001", "NT1", D("7"), District.PRESTON, "")]


def test_it_replaces_the_draft_lines_and_removes_their_evidence_after_commit(
    bobs_return: Return,
    contract: Contract,
    add_line: Callable[..., ReturnLine],
    supplier_bob: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    old = add_line(bobs_return, contract, "NT1", "7")
    upload = SimpleUploadedFile("payroll.csv", b"name,hours\nA,37.5\n", content_type="text/csv")
    stored = evidence_add(old, upload, by=supplier_bob).file.name
    storage = storages["evidence"]
    data = csv_file([HEADINGS, ["LCC-TEST-001", "NT18", "500", "Wyre", ""]])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lines_import(bobs_return, rows_from_csv(data), file_name="q.csv", by=supplier_bob)
    assert storage.exists(stored), "the file stays until the import is committed"
    for callback in callbacks:
        callback()

    assert saved(bobs_return) == [("LCC-TEST-001", "NT18", D("500"), District.WYRE, "")]
    assert not Evidence.objects.exists()
    assert not storage.exists(stored)


def test_it_refuses_to_import_into_a_submitted_return(
    bobs_return: Return, contract: Contract, add_line: Callable[..., ReturnLine]
) -> None:
    add_line(bobs_return, contract, "NT1", "7")
    return_submit(bobs_return)
    data = csv_file([HEADINGS, ["LCC-TEST-001", "NT18", "500", "Wyre", ""]])
    assert failure(bobs_return, data) == [ERR_RETURN_SUBMITTED]
    assert set(bobs_return.lines.values_list("status", flat=True)) == {ReturnLine.Status.SUBMITTED}


def test_it_keeps_the_largest_quantity_to_the_last_digit(
    bobs_return: Return, supplier_bob: User
) -> None:
    data = csv_file([HEADINGS, ["LCC-TEST-001", "NT18", "999,999,999.999999", "Preston", ""]])
    lines_import(bobs_return, rows_from_csv(data), file_name="q2.csv", by=supplier_bob)
    assert saved(bobs_return) == [
        ("LCC-TEST-001", "NT18", D("999999999.999999"), District.PRESTON, "")
    ]


def test_it_refuses_a_quantity_beyond_the_limit_naming_it_and_saves_no_row(
    bobs_return: Return,
) -> None:
    data = csv_file(
        [
            HEADINGS,
            ["LCC-TEST-001", "NT18", "999999999.999999", "Preston", ""],
            ["LCC-TEST-001", "NT18", "1000000000", "Preston", ""],
            ["LCC-TEST-001", "NT18", "999999999.9999999", "Preston", ""],
        ]
    )
    assert failure(bobs_return, data) == [
        "Row 3: Quantity must be 999,999,999.999999 or less.",
        "Row 4: Quantity must have at most 6 decimal places.",
    ]
