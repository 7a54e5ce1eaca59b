"""Cells of CSV and XLSX downloads: text is shown, never run as a formula; numbers stay numbers."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from socialvalue.core.spreadsheets import (
    Formula,
    active_sheet,
    append_row,
    csv_bytes,
    csv_cell,
    csv_response,
    looks_like_formula,
    write_cell,
    xlsx_bytes,
)

DANGEROUS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "=",
]
HARMLESS = ["Apprentices (weeks)", "A-road resurfacing", "1+1", " =1+1", "£2,500", "", "NT1"]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", DANGEROUS)
def test_it_takes_text_starting_with_a_formula_character_for_a_formula(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_other_text_alone(text: str) -> None:
    assert not looks_like_formula(text)
    assert csv_cell(text) == text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-2, -2),
        (3.5, 3.5),
        (Decimal("-2.50"), "-2.50"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.000001"), "0.000001"),
        (None, ""),
        (True, "True"),  # not a number: written as the text it is
    ],
)
def test_it_keeps_numbers_as_numbers_in_csv(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_it_writes_csv_with_a_byte_order_mark_and_every_cell_escaped() -> None:
    data = csv_bytes([["Title", "Value (£)"], ['=HYPERLINK("http://evil","x")', Decimal("-2")]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert _csv_rows(data) == [
        ["Title", "Value (£)"],
        ['\'=HYPERLINK("http://evil","x")', "-2"],
    ]


def test_it_answers_csv_as_an_attachment() -> None:
    response = csv_response([["a"], ["+1"]], filename="things.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things.csv"'
    assert _csv_rows(response.content) == [["a"], ["'+1"]]


def test_it_writes_xlsx_text_as_string_cells_and_numbers_as_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append_row(sheet, [*DANGEROUS[:4], -2, Decimal("-2.5"), None, "plain"])
    write_cell(sheet, 2, 1, "@SUM(A1)")
    data = xlsx_bytes(workbook)
    reloaded = load_workbook(io.BytesIO(data))
    first, second = reloaded.active.iter_rows(max_col=8)
    assert [(c.value, c.data_type) for c in first] == [
        ('=HYPERLINK("http://evil","x")', "s"),
        ("+1+1", "s"),
        ("-2+3", "s"),
        ("@SUM(A1)", "s"),
        (-2, "n"),
        (-2.5, "n"),
        (None, "n"),
        ("plain", "s"),
    ]
    assert [c.quotePrefix for c in first] == [True] * 4 + [False] * 4
    assert (second[0].value, second[0].data_type, second[0].quotePrefix) == ("@SUM(A1)", "s", True)
    xml = _sheet_xml(data)
    assert "<f>" not in xml
    assert '<c r="A1" s="1" t="inlineStr"><is><t>=HYPERLINK("http://evil","x")</t></is></c>' in xml
    assert '<c r="E1" t="n"><v>-2</v></c>' in xml


def test_it_turns_a_formula_written_around_the_helpers_into_text() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(['=HYPERLINK("http://evil","x")'])
    sheet["B1"] = "=1+1"
    reloaded = load_workbook(io.BytesIO(xlsx_bytes(workbook))).active
    assert [(c.value, c.data_type) for c in reloaded[1]] == [
        ('=HYPERLINK("http://evil","x")', "s"),
        ("=1+1", "s"),
    ]


def test_it_keeps_the_formulas_a_workbook_is_meant_to_have() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append_row(sheet, [2, 3, Formula("=A1*B1"), "=A1*B1"])
    reloaded = load_workbook(io.BytesIO(xlsx_bytes(workbook, formulas=True))).active
    assert [(c.value, c.data_type) for c in reloaded[1]] == [
        (2, "n"),
        (3, "n"),
        ("=A1*B1", "f"),
        ("=A1*B1", "s"),
    ]


def test_it_finds_the_active_worksheet_and_refuses_a_chartsheet() -> None:
    workbook = Workbook()
    assert active_sheet(workbook) is workbook.worksheets[0]
    workbook.create_chartsheet("Chart", 0)
    workbook.active = 0
    with pytest.raises(TypeError):
        active_sheet(workbook)
