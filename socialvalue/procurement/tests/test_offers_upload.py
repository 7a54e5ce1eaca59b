"""Uploading the completed offer template: it replaces every commitment, all or nothing,
and a file with bad rows names each of them and changes nothing."""

import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import User
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.offers.services import (
    bid_start,
    bid_submit,
    bid_update,
)
from socialvalue.procurement.offers.xlsx_template import offer_template_xlsx
from socialvalue.procurement.tests.conftest import TenderMaker
from socialvalue.procurement.tests.offers_support import ANSWERS, add_line

ClientAs = Callable[[User | None], Client]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The template's columns, as its header row names them.
HEADERS = {
    "quantity": "Quantity",
    "district": "Target district",
    "activity": "Activity",
    "who_delivers": "Who delivers",
    "timing": "When",
    "partners": "Partners",
    "evidence": "Evidence to be provided",
}


@pytest.fixture
def bid(make_tender: TenderMaker, supplier_bob: User) -> Bid:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=10))
    return bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


def filled_template(
    tender: Tender, rows: dict[str, dict[str, Any]]
) -> tuple[bytes, dict[str, int]]:
    """The tender's offer template with ``rows`` (code → column values) typed in, and the
    spreadsheet row number of each code."""
    workbook = load_workbook(io.BytesIO(offer_template_xlsx(tender=tender)))
    sheet = workbook["Offer"]
    header_row = next(
        row[0].row for row in sheet.iter_rows(min_row=1, max_row=30) if row[0].value == "Code"
    )
    columns = {cell.value: cell.column for cell in sheet[header_row] if cell.value}
    row_of = {
        sheet.cell(row=r, column=1).value: r
        for r in range(header_row + 1, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }
    for code, values in rows.items():
        for key, value in values.items():
            sheet.cell(row=row_of[code], column=columns[HEADERS[key]], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), row_of


def complete(quantity: Any, **overrides: Any) -> dict[str, Any]:
    return {"quantity": quantity, **ANSWERS, **overrides}


def upload(client: Client, bid: Bid, data: bytes, name: str = "offer.xlsx") -> Any:
    return client.post(
        reverse("procurement:offer_upload", args=[bid.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def test_it_replaces_the_commitments_with_the_rows_of_the_template(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT15", "40")
    data, _rows = filled_template(
        bid.tender,
        {
            "NT1": complete(2.5, district="Burnley"),
            "NT4": complete("0.5", partners=None),
        },
    )
    response = upload(bob, bid, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:offer_edit", args=[bid.pk])
    commitments = list(bid.commitments.select_related("measure", "response").order_by("order"))
    assert [(c.measure.code, c.quantity, c.target_district) for c in commitments] == [
        ("NT1", Decimal("2.5"), "E07000117"),
        ("NT4", Decimal("0.5"), ""),
    ]
    assert commitments[0].response.evidence == ANSWERS["evidence"]
    assert commitments[1].response.partners == ""
    editor = bob.get(response["Location"]).content.decode()
    assert "Your offer now has the 2 commitments from your completed template." in editor
    assert "£85,903.95" in editor  # 78,212.50 + 7,691.45


def test_it_round_trips_a_downloaded_offer(bob: Client, bid: Bid, supplier_bob: User) -> None:
    add_line(bid, supplier_bob, "NT1", "2.5", target_district="E07000123")
    add_line(bid, supplier_bob, "NT4", "0.5")
    before = [
        (c.measure.code, c.quantity, c.target_district, c.response.activity)
        for c in bid.commitments.select_related("measure", "response").order_by("order")
    ]
    download = bob.get(reverse("procurement:offer_template_download", args=[bid.pk]))
    assert upload(bob, bid, download.content).status_code == 302
    after = [
        (c.measure.code, c.quantity, c.target_district, c.response.activity)
        for c in bid.commitments.select_related("measure", "response").order_by("order")
    ]
    assert after == before


def test_it_saves_nothing_and_names_each_of_three_bad_rows(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT15", "40")
    data, rows = filled_template(
        bid.tender,
        {
            "NT1": complete(2.5),  # fine on its own
            "NT3": complete("lots"),  # not a number
            "NT4": complete(1, activity=None, evidence=None),  # answers missing
            "NT5": complete(1, district="Manchester"),  # not a Lancashire district
        },
    )
    response = upload(bob, bid, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your template was not uploaded: 3 problems to fix" in text
    assert "Nothing in your offer has changed." in text
    for code in ("NT3", "NT4", "NT5"):
        assert f"Row {rows[code]}: Row {rows[code]}:" not in text
        assert f"Row {rows[code]}:" in text
    assert f"Row {rows['NT1']}:" not in text
    assert "govuk-file-upload--error" in text
    assert list(bid.commitments.values_list("measure__code", "quantity")) == [
        ("NT15", Decimal("40"))
    ]


def test_it_refuses_a_file_that_is_not_a_spreadsheet(bob: Client, bid: Bid) -> None:
    response = upload(bob, bid, b"name,quantity\nNT1,2\n", name="offer.csv")
    assert "The selected file must be an XLSX spreadsheet (.xlsx)" in response.content.decode()
    response = upload(bob, bid, b"not really a workbook", name="offer.xlsx")
    assert "not an Excel workbook" in response.content.decode()
    response = bob.post(reverse("procurement:offer_upload", args=[bid.pk]), {})
    assert "Select your completed offer template" in response.content.decode()
    assert not bid.commitments.exists()


def test_it_refuses_a_file_over_5_mb(bob: Client, bid: Bid) -> None:
    response = upload(bob, bid, b"0" * (5 * 1024 * 1024 + 1))
    assert "The selected file must be smaller than 5 MB" in response.content.decode()


def test_it_keeps_a_submitted_offer_submitted_after_an_upload(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT15", "40")
    bid_submit(bid=Bid.objects.get(pk=bid.pk), by=supplier_bob)
    data, _rows = filled_template(bid.tender, {"NT1": complete(2)})
    assert upload(bob, bid, data).status_code == 302
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert list(bid.commitments.values_list("measure__code", flat=True)) == ["NT1"]
