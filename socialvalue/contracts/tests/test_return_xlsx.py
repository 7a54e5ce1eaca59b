"""The return template: pre-filled rows, drop-downs and guidance; and reading a completed
XLSX or CSV file into rows for the importer, exactly and by content."""

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from socialvalue.accounts.models import Organisation
from socialvalue.contracts.imports import ImportFailed, validate_rows
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.return_xlsx import (
    ERR_NOT_A_TABLE,
    GUIDANCE_SHEET,
    LISTS_SHEET,
    RETURN_SHEET,
    is_xlsx,
    quantity_cell,
    return_template_xlsx,
    rows_from_upload,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District

AddLine = Callable[..., ReturnLine]
HEADINGS = [
    "contract",
    "buyer",
    "measure",
    "quantity",
    "district",
    "narrative",
    "contract title",
    "measure description",
    "unit",
    "target this quarter",
]


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def last_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, last_period)


def sheet_rows(data: bytes, sheet: str = RETURN_SHEET) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- The template ---------------------------------------------------------------------------


def test_it_lists_each_contract_and_target_measure_with_the_quarters_target(
    last_return: Return, make_contract: ContractMaker
) -> None:
    make_contract(reference="LCC-TEST-002", title="Gritting", targets=[("NT4", "4.5")])
    data = return_template_xlsx(last_return)
    assert load_workbook(io.BytesIO(data)).sheetnames == [RETURN_SHEET, GUIDANCE_SHEET, LISTS_SHEET]
    rows = sheet_rows(data)
    assert rows[0] == HEADINGS
    body = [(r[0], r[1], r[2], r[3], r[4], r[6], r[9]) for r in rows[1:]]
    council = "Lancashire County Council"
    assert body == [
        ("LCC-TEST-001", council, "NT1", None, None, "Highways maintenance", 1),
        ("LCC-TEST-001", council, "NT18", None, None, "Highways maintenance", 10000),
        ("LCC-TEST-002", council, "NT4", None, None, "Gritting", 0.5),  # 4.5 over 9 quarters
    ]
    assert rows[1][8] == "Number of people (FTE)"


def test_it_prefills_the_draft_lines_instead(
    last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(
        last_return,
        contract,
        "NT18",
        "2500.25",
        district=District.BURNLEY.value,
        narrative="Local spend",
    )
    add_line(last_return, contract, "NT1", "0.000001", district=District.OUTSIDE.value)
    rows = sheet_rows(return_template_xlsx(last_return))
    assert [r[:6] for r in rows[1:]] == [
        ["LCC-TEST-001", "Lancashire County Council", "NT1", 0.000001, "Outside Lancashire", None],
        ["LCC-TEST-001", "Lancashire County Council", "NT18", 2500.25, "Burnley", "Local spend"],
    ]


def test_it_offers_drop_downs_freezes_the_headings_and_explains_itself(last_return: Return) -> None:
    workbook = load_workbook(io.BytesIO(return_template_xlsx(last_return)))
    sheet = workbook[RETURN_SHEET]
    assert sheet.freeze_panes == "A2"
    formulas = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert formulas["E2"] == f"={LISTS_SHEET}!$A$2:$A$16"  # 14 districts and outside
    assert formulas["C2"].startswith(f"={LISTS_SHEET}!$C$2:$C$")
    assert formulas["A2"] == f"={LISTS_SHEET}!$I$2:$I$2"  # the one contract
    lists = [list(r) for r in workbook[LISTS_SHEET].iter_rows(values_only=True)]
    assert [r[0] for r in lists[1:16]] == [d.label for d in District]
    assert "NT41" in [r[2] for r in lists[1:]]
    assert sheet.column_dimensions["F"].width == 60
    guidance = " ".join(
        str(r[0] or "") for r in workbook[GUIDANCE_SHEET].iter_rows(values_only=True)
    )
    assert "Rows left with no quantity, district and narrative are ignored." in guidance
    assert f"Due by {last_return.period.due_date:%-d %B %Y}" in guidance


@pytest.mark.parametrize(
    ("quantity", "cell"),
    [
        ("2", 2),
        ("2.500000", 2.5),
        ("0.000001", 0.000001),
        ("100000", 100000),
        ("123456789012345.123456", "123456789012345.123456"),  # a float would lose digits
    ],
)
def test_it_writes_quantities_without_losing_digits(quantity: str, cell: object) -> None:
    assert quantity_cell(Decimal(quantity)) == cell


def test_it_round_trips_the_draft_lines(
    last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(last_return, contract, "NT1", "0.000001", district=District.WYRE.value, narrative="A")
    add_line(last_return, contract, "NT18", "999999999.999999", district=District.OUTSIDE.value)
    before = [
        (x.contract_id, x.measure_id, x.quantity, x.district, x.narrative)
        for x in last_return.lines.all()
    ]
    lines = validate_rows(last_return, rows_from_upload(return_template_xlsx(last_return)))
    assert [
        (x.contract_id, x.measure_id, x.quantity, x.district, x.narrative) for x in lines
    ] == before


# --- Reading a completed file ---------------------------------------------------------------


def test_it_reads_numbers_exactly_and_skips_untouched_rows() -> None:
    data = xlsx(
        [
            ["contract", "measure", "quantity", "district", "narrative", "notes"],
            ["LCC-1", "NT1", 0.1, "Preston", None, "ignored"],
            ["LCC-1", "NT18", None, None, None, "a template row left empty"],
            [None, None, None, None, None, None],
            ["LCC-1", "NT4", 3, None, None, None],
        ]
    )
    rows = rows_from_upload(data)
    assert [(r.number, r.cells["measure"], r.cells["quantity"]) for r in rows] == [
        (2, "NT1", "0.1"),
        (5, "NT4", "3"),
    ]
    assert "notes" not in rows[0].cells


def test_it_reads_the_return_sheet_whatever_its_position() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notes"
    first.append(["nothing here"])
    sheet = workbook.create_sheet(RETURN_SHEET)
    sheet.append(["contract", "measure", "quantity", "district"])
    sheet.append(["LCC-1", "NT1", "2", "Wyre"])
    out = io.BytesIO()
    workbook.save(out)
    [row] = rows_from_upload(out.getvalue())
    assert row.cells["district"] == "Wyre"


def test_it_reads_a_utf8_csv() -> None:
    data = (
        "\ufeffcontract,measure,quantity,district,narrative\nLCC-1,NT1,1.5,Preston,Café\n".encode()
    )
    [row] = rows_from_upload(data)
    assert (row.number, row.cells["narrative"]) == (2, "Café")


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40,  # an executable
        b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n",  # a PDF
        "contract,measure\nLCC-1,Café\n".encode("cp1252"),  # a CSV not in UTF-8
    ],
)
def test_it_refuses_a_file_that_is_neither_xlsx_nor_csv(data: bytes) -> None:
    with pytest.raises(ImportFailed) as caught:
        rows_from_upload(data)
    assert caught.value.messages == [ERR_NOT_A_TABLE]


def test_it_tells_an_xlsx_from_another_zip_by_its_content() -> None:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert not is_xlsx(docx.getvalue())
    assert is_xlsx(xlsx([["contract"]]))
    with pytest.raises(ImportFailed):
        rows_from_upload(docx.getvalue())


def test_it_names_missing_columns() -> None:
    with pytest.raises(ImportFailed) as caught:
        rows_from_upload(xlsx([["contract", "measure", "amount"], ["LCC-1", "NT1", 3]]))
    assert caught.value.messages == [
        "The file has no quantity, district column. Use the template's headings."
    ]
