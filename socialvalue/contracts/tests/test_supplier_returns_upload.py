"""Uploading a completed return: the template round-trips, a 1,000-line file imports in
one go, and a file with one bad row saves nothing and names the row."""

import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    ImportBatch,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.return_forms import MAX_UPLOAD_BYTES
from socialvalue.contracts.return_xlsx import ERR_NOT_A_TABLE, RETURN_SHEET
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District

ClientAs = Callable[[User | None], Client]
AddLine = Callable[..., ReturnLine]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS: list[object] = ["contract", "buyer", "measure", "quantity", "district", "narrative"]
LINE_INSERT = 'INSERT INTO "contracts_returnline"'
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


@pytest.fixture
def last_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, last_period)


def upload_url(return_record: Return) -> str:
    return reverse("contracts:return_upload", args=[return_record.pk])


def upload(client: Client, return_record: Return, data: bytes, name: str = "return.xlsx") -> Any:
    return client.post(
        upload_url(return_record), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = RETURN_SHEET
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def thousand_rows(bad_row: int | None = None) -> list[list[object]]:
    """A heading and 1,000 lines (spreadsheet rows 2 to 1,001); ``bad_row`` says "lots"."""
    districts = [d.label for d in District]
    rows: list[list[object]] = [HEADINGS]
    for number in range(2, 1002):
        quantity: object = "lots" if number == bad_row else number % 7 + 0.5
        measure = "NT1" if number % 2 else "NT18"
        rows.append(
            [
                "LCC-TEST-001",
                "Lancashire County Council",
                measure,
                quantity,
                districts[number % 15],
                f"Row {number}",
            ]
        )
    return rows


# --- The template round trip ----------------------------------------------------------------


def test_it_imports_the_downloaded_template_once_filled_in(
    bob: Client, last_return: Return, supplier_bob: User
) -> None:
    download = bob.get(reverse("contracts:return_template", args=[last_return.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert f"social-value-return-{last_return.period.slug}.xlsx" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    workbook = load_workbook(io.BytesIO(download.content))
    sheet = workbook[RETURN_SHEET]
    by_code = {sheet.cell(row=r, column=3).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(row=by_code["NT1"], column=4, value=1.5)
    sheet.cell(row=by_code["NT1"], column=5, value="Preston")
    sheet.cell(row=by_code["NT1"], column=6, value="Two apprentices")
    sheet.cell(row=by_code["NT18"], column=4, value=2500)
    sheet.cell(row=by_code["NT18"], column=5, value="Outside Lancashire")
    out = io.BytesIO()
    workbook.save(out)
    response = upload(bob, last_return, out.getvalue(), name="Q2 return.xlsx")
    assert response.status_code == 302
    lines = list(last_return.lines.order_by("measure__order"))
    assert [(x.measure.code, x.quantity, x.district, x.narrative) for x in lines] == [
        ("NT1", Decimal("1.5"), District.PRESTON.value, "Two apprentices"),
        ("NT18", Decimal(2500), District.OUTSIDE.value, ""),
    ]
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.line_count, batch.imported_by) == (
        "Q2 return.xlsx",
        2,
        supplier_bob,
    )
    page = bob.get(response["Location"]).content.decode()
    assert "2 lines imported from Q2 return.xlsx." in page
    assert "£49,427.50" in page


def test_it_changes_nothing_when_the_unchanged_template_is_uploaded_again(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(last_return, contract, "NT1", "1.25", district=District.HYNDBURN.value, narrative="N")
    add_line(last_return, contract, "NT18", "0.000001", district=District.OUTSIDE.value)
    before = [
        (x.measure.code, x.quantity, x.district, x.narrative) for x in last_return.lines.all()
    ]
    download = bob.get(reverse("contracts:return_template", args=[last_return.pk]))
    assert upload(bob, last_return, download.content).status_code == 302
    after = [(x.measure.code, x.quantity, x.district, x.narrative) for x in last_return.lines.all()]
    assert after == before


# --- 1,000 lines ----------------------------------------------------------------------------


def test_it_imports_1000_lines_in_one_go(bob: Client, last_return: Return) -> None:
    data = workbook_bytes(thousand_rows())
    with CaptureQueriesContext(connection) as queries:
        response = upload(bob, last_return, data)
    assert response.status_code == 302
    assert last_return.lines.count() == 1000
    batch = ImportBatch.objects.get()
    assert batch.line_count == 1000
    assert last_return.lines.filter(import_batch=batch).count() == 1000
    # Every insert of a line happens inside the one transaction (a savepoint, as the test
    # itself runs in a transaction) opened before the first of them.
    # A statement run over many rows at once is logged as "<n> times: <statement>".
    many = re.compile(r"^(\d+) times: ")
    raw = [q["sql"] for q in queries.captured_queries]
    sql = [many.sub("", text) for text in raw]
    inserts = [i for i, text in enumerate(sql) if text.startswith(LINE_INSERT)]
    assert 1 <= len(inserts) <= 20  # bulk inserts, never one per line
    counts = [many.match(raw[i]) for i in inserts]
    assert sum(int(m[1]) if m else 1 for m in counts) == 1000
    opened = [i for i in range(inserts[0]) if sql[i].startswith("SAVEPOINT ")]
    name = sql[opened[-1]].removeprefix("SAVEPOINT ")
    assert sql.index(f"RELEASE SAVEPOINT {name}") > inserts[-1]
    assert not [text for text in sql if text.startswith("ROLLBACK")]
    row_500 = last_return.lines.get(narrative="Row 500")
    assert (row_500.measure.code, row_500.quantity) == ("NT18", Decimal("3.5"))  # 500 % 7 + 0.5


def test_it_saves_nothing_when_one_of_1000_lines_is_wrong_and_names_it(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    kept = add_line(last_return, contract, "NT1", "2")
    response = upload(bob, last_return, workbook_bytes(thousand_rows(bad_row=500)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your file was not imported: 1 problem to fix" in html
    assert "Row 500: Quantity must be a number, such as 2.5." in html
    assert "The file has 1 problem, listed above. Nothing in your return has changed." in html
    assert list(last_return.lines.all()) == [kept]
    assert not ImportBatch.objects.exists()


def test_it_lists_every_bad_row(bob: Client, last_return: Return) -> None:
    rows: list[list[object]] = [
        HEADINGS,
        ["LCC-TEST-001", "", "NT1", 1, "Preston", ""],
        ["LCC-NOPE", "", "NT1", 1, "Preston", ""],
        ["LCC-TEST-001", "", "NT999", 1, "Preston", ""],
        ["LCC-TEST-001", "", "NT1", -2, "Manchester", ""],
    ]
    html = upload(bob, last_return, workbook_bytes(rows)).content.decode()
    period = last_return.period.short_label
    assert f"Row 3: Bob&#x27;s Building Ltd has no contract LCC-NOPE in {period}." in html
    assert "Row 4: NT999 is not a measure of" in html
    assert (
        "Row 5: Quantity must be 0 or more. &#x27;Manchester&#x27; is not a Lancashire district"
        in html
    )
    assert "3 problems to fix" in html
    assert not last_return.lines.exists()


# --- The file itself ------------------------------------------------------------------------


def test_it_imports_a_csv(bob: Client, last_return: Return) -> None:
    data = b"contract,measure,quantity,district\r\nLCC-TEST-001,NT1,0.5,Chorley\r\n"
    response = upload(bob, last_return, data, name="return.csv")
    assert response.status_code == 302
    [line] = last_return.lines.all()
    assert (line.quantity, line.district) == (Decimal("0.5"), District.CHORLEY.value)


def test_it_tells_the_file_type_from_the_content_not_the_name(
    bob: Client, last_return: Return
) -> None:
    response = upload(bob, last_return, PDF, name="return.xlsx")
    assert ERR_NOT_A_TABLE in response.content.decode()
    assert not last_return.lines.exists()
    # And an XLSX named .csv is still read as a workbook.
    data = workbook_bytes([HEADINGS, ["LCC-TEST-001", "", "NT1", 1, "Wyre", ""]])
    assert upload(bob, last_return, data, name="return.csv").status_code == 302
    assert last_return.lines.count() == 1


def test_it_refuses_a_file_over_5_mb(bob: Client, last_return: Return) -> None:
    response = upload(bob, last_return, b"a" * (MAX_UPLOAD_BYTES + 1))
    assert response.context["form"].errors["file"] == [
        "The selected file is 5 MB; it must be 5 MB or smaller"
    ]
    assert not last_return.lines.exists()


def test_it_warns_how_many_lines_and_files_an_upload_replaces(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine, supplier_bob: User
) -> None:
    line = add_line(last_return, contract, "NT1", "1")
    add_line(last_return, contract, "NT18", "10")
    bob.post(
        reverse("contracts:evidence_upload", args=[last_return.pk, line.pk]),
        {"file": SimpleUploadedFile("payroll.pdf", PDF)},
    )
    assert Evidence.objects.count() == 1
    page = bob.get(upload_url(last_return)).content.decode()
    assert "Uploading replaces the 2 lines in this return and deletes 1 evidence file" in page
