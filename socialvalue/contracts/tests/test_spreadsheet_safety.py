"""Return uploads cannot be turned against the server, and contract downloads cannot be
turned against the people who open them.

Uploads go through the real upload page: a workbook declaring the whole sheet, one over the
row limit and a zip bomb each end quickly with a clear message and change nothing.
Downloads (the return template and the contracts CSV) show titles and narratives that look
like formulas as text, while numbers stay numbers.
"""

import csv
import io
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ImportBatch,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.return_xlsx import ERR_NOT_A_TABLE, LISTS_SHEET, RETURN_SHEET
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District
from socialvalue.core.tests.xlsx_files import (
    padded_sheet,
    unknown_zip_version,
    whole_sheet_dimension,
    workbook_bytes,
)

ClientAs = Callable[[User | None], Client]
AddLine = Callable[..., ReturnLine]
HEADINGS: list[object] = ["contract", "buyer", "measure", "quantity", "district", "narrative"]
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)"]
NOTHING_CHANGED = "Nothing in your return has changed."


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract(title='=HYPERLINK("http://evil","x")')


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


@pytest.fixture
def kept(last_return: Return, contract: Contract, add_line: AddLine) -> ReturnLine:
    """A draft line already in the return: a refused upload must leave it there."""
    return add_line(last_return, contract, "NT1", "2", narrative="Kept")


def upload(client: Client, return_record: Return, data: bytes, name: str = "return.xlsx") -> Any:
    return client.post(
        reverse("contracts:return_upload", args=[return_record.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def lines(count: int) -> list[list[object]]:
    return [HEADINGS] + [
        ["LCC-TEST-001", "", "NT1", n, "Preston", f"Line {n}"] for n in range(1, count + 1)
    ]


def assert_refused(response: Any, message: str, return_record: Return, kept: ReturnLine) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert NOTHING_CHANGED in html
    assert list(return_record.lines.all()) == [kept]
    assert not ImportBatch.objects.exists()


# --- Uploads --------------------------------------------------------------------------------


def test_it_reads_a_workbook_declaring_the_whole_sheet_in_well_under_a_second(
    bob: Client, last_return: Return
) -> None:
    plain = workbook_bytes(
        [HEADINGS, ["LCC-TEST-001", "", "NT1", 1.5, "Wyre", "Two apprentices"]], RETURN_SHEET
    )
    assert upload(bob, last_return, plain).status_code == 302  # the page and reader warmed up
    data = whole_sheet_dimension(plain)
    assert len(data) < 10_000
    started = time.monotonic()
    response = upload(bob, last_return, data)
    assert time.monotonic() - started < 1
    assert response.status_code == 302
    saved = [(x.measure.code, x.quantity, x.district, x.narrative) for x in last_return.lines.all()]
    assert saved == [("NT1", Decimal("1.5"), District.WYRE.value, "Two apprentices")]
    assert ImportBatch.objects.count() == 2


def test_it_imports_as_many_lines_as_the_limit_allows(
    bob: Client, last_return: Return, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 10
    assert upload(bob, last_return, workbook_bytes(lines(10), RETURN_SHEET)).status_code == 302
    assert last_return.lines.count() == 10


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_it_refuses_a_file_over_the_line_limit_and_saves_nothing(
    bob: Client, last_return: Return, kept: ReturnLine, settings: Any, kind: str
) -> None:
    settings.IMPORT_MAX_ROWS = 10
    if kind == "xlsx":
        data = workbook_bytes(lines(11), RETURN_SHEET)
    else:
        out = io.StringIO()
        csv.writer(out).writerows(lines(11))
        data = out.getvalue().encode()
    response = upload(bob, last_return, data, name=f"return.{kind}")
    assert_refused(
        response, "The file has more than 10 lines; split it into smaller files.", last_return, kept
    )


def test_it_refuses_a_zip_bomb_and_saves_nothing(
    bob: Client, last_return: Return, kept: ReturnLine
) -> None:
    data = padded_sheet(workbook_bytes(lines(1), RETURN_SHEET), megabytes=61)
    assert len(data) < 200_000
    started = time.monotonic()
    response = upload(bob, last_return, data)
    assert time.monotonic() - started < 1
    assert_refused(
        response,
        "The Excel workbook holds too much data to read: unpacked, it is more than 60 MB.",
        last_return,
        kept,
    )


def test_it_refuses_an_archive_in_an_unknown_zip_format_and_saves_nothing(
    bob: Client, last_return: Return, kept: ReturnLine
) -> None:
    data = unknown_zip_version(workbook_bytes(lines(1), RETURN_SHEET))
    response = upload(bob, last_return, data)
    assert_refused(response, ERR_NOT_A_TABLE, last_return, kept)


# --- Downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize("narrative", FORMULAS)
def test_it_writes_titles_and_narratives_into_the_template_as_text(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine, narrative: str
) -> None:
    add_line(last_return, contract, "NT1", "2.5", narrative=narrative)
    download = bob.get(reverse("contracts:return_template", args=[last_return.pk]))
    workbook = load_workbook(io.BytesIO(download.content))
    row = workbook[RETURN_SHEET][2]
    quantity, text, title = row[3], row[5], row[6]
    assert (text.value, text.data_type, text.quotePrefix) == (narrative, "s", True)
    assert (title.value, title.data_type) == ('=HYPERLINK("http://evil","x")', "s")
    assert (quantity.value, quantity.data_type) == (2.5, "n")
    lists = workbook[LISTS_SHEET]
    assert (lists["K2"].value, lists["K2"].data_type) == ('=HYPERLINK("http://evil","x")', "s")
    # Uploaded again unchanged, the narrative reads back exactly.
    assert upload(bob, last_return, download.content).status_code == 302
    assert [x.narrative for x in last_return.lines.all()] == [narrative]


def test_it_writes_titles_into_the_contracts_csv_as_text_and_figures_as_numbers(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    for n, title in enumerate(FORMULAS):
        make_contract(reference=f"LCC-90{n}", title=title, targets=(), value="1250.50")
    response = client_as(officer_alice).get("/contracts/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted((row[1], row[7], row[10]) for row in rows[1:]) == sorted(
        ("'" + title, "1250.50", "0.00") for title in FORMULAS
    )
