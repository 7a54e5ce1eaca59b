"""Offer uploads cannot be turned against the server, and procurement downloads (the offer
template and the evaluation report) cannot be turned against the people who open them."""

import io
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.tests.xlsx_files import padded_sheet, whole_sheet_dimension
from socialvalue.procurement.models import Bid, QualitativeResponse, QualityScore, Tender
from socialvalue.procurement.offers.services import bid_start
from socialvalue.procurement.offers.xlsx_layout import HEADER_ROW
from socialvalue.procurement.offers.xlsx_template import offer_template_xlsx
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.offers_support import ANSWERS, add_line

ClientAs = Callable[[User | None], Client]
EVIL = '=HYPERLINK("http://evil","x")'
FORMULA_ANSWERS = {
    "activity": EVIL,
    "who_delivers": "+1+1",
    "timing": "-2+3",
    "partners": "\uff1d1+1",  # a full-width equals sign
    "evidence": "@SUM(A1)",
}
NOTHING_CHANGED = "Nothing in your offer has changed."


@pytest.fixture
def bid(make_tender: TenderMaker, supplier_bob: User) -> Bid:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=10))
    return bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


def upload(client: Client, bid: Bid, data: bytes) -> Any:
    return client.post(
        reverse("procurement:offer_upload", args=[bid.pk]),
        {"file": SimpleUploadedFile("offer.xlsx", data)},
    )


def commitments(bid: Bid) -> list[tuple[str, Decimal, str]]:
    return [
        (c.measure.code, c.quantity, c.response.activity)
        for c in bid.commitments.select_related("measure", "response").order_by("order")
    ]


def offer_cells(data: bytes, code: str) -> dict[str, Any]:
    """The cells of ``code``'s row of the Offer sheet, by header."""
    sheet = load_workbook(io.BytesIO(data))["Offer"]
    headers = {cell.column: cell.value for cell in sheet[HEADER_ROW]}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value == code:
            return {headers[cell.column]: cell for cell in row}
    raise AssertionError(f"{code} is not in the template")


# --- Uploads --------------------------------------------------------------------------------


def test_it_reads_an_offer_declaring_the_whole_sheet_in_well_under_a_second(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT1", "2.5")
    plain = offer_template_xlsx(tender=bid.tender, bid=bid)
    assert upload(bob, bid, plain).status_code == 302  # the page and reader warmed up
    data = whole_sheet_dimension(plain)
    started = time.monotonic()
    response = upload(bob, bid, data)
    assert time.monotonic() - started < 1
    assert response.status_code == 302
    assert commitments(bid) == [("NT1", Decimal("2.5"), ANSWERS["activity"])]


def test_it_refuses_a_zip_bomb_and_changes_nothing(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT4", "1")
    data = padded_sheet(offer_template_xlsx(tender=bid.tender, bid=bid), megabytes=21)
    assert len(data) < 200_000
    response = upload(bob, bid, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "The Excel workbook holds too much data to read: unpacked, it is more than 20 MB." in html
    )
    assert NOTHING_CHANGED in html
    assert commitments(bid) == [("NT4", Decimal("1"), ANSWERS["activity"])]


# --- Downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("procurement:offer_template_download", ""),
        ("procurement:offer_template_xlsx", "?prefill=1"),
    ],
)
def test_it_writes_the_suppliers_answers_into_the_offer_template_as_text(
    bob: Client, bid: Bid, supplier_bob: User, url_name: str, query: str
) -> None:
    add_line(bid, supplier_bob, "NT1", "2.5", **FORMULA_ANSWERS)
    target = bid.pk if url_name == "procurement:offer_template_download" else bid.tender.pk
    download = bob.get(reverse(url_name, args=[target]) + query)
    assert download.status_code == 200
    cells = offer_cells(download.content, "NT1")
    answers = {
        key: cells[header]
        for key, header in [
            ("activity", "Activity"),
            ("who_delivers", "Who delivers"),
            ("timing", "When"),
            ("partners", "Partners"),
            ("evidence", "Evidence to be provided"),
        ]
    }
    assert {key: (c.value, c.data_type, c.quotePrefix) for key, c in answers.items()} == {
        key: (text, "s", True) for key, text in FORMULA_ANSWERS.items()
    }
    assert (cells["Quantity"].value, cells["Quantity"].data_type) == (2.5, "n")
    # The template's own formulas stay formulas.
    assert cells["Value (£)"].data_type == "f"
    assert cells["Value (£)"].value.startswith("=IF(ISNUMBER(F")
    # Uploaded again unchanged, the answers read back exactly.
    assert upload(bob, bid, download.content).status_code == 302
    response = bid.commitments.get().response
    assert {key: getattr(response, key) for key in FORMULA_ANSWERS} == FORMULA_ANSWERS


def test_it_writes_justifications_and_names_into_the_evaluation_report_as_text(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    lead_lucy: User,
    evaluator_erin: User,
    panel: Callable[[Tender], Any],
    client_as: ClientAs,
) -> None:
    tender = make_tender(status=Tender.Status.EVALUATED, deadline_in=timedelta(days=-7))
    bobs_building.name = "+Bob's Building Ltd"
    bobs_building.save()
    make_bid(tender, bobs_building, lines=[("NT1", "2.5", 3)], moderator=lead_lucy)
    QualityScore.objects.filter(kind=QualityScore.Kind.CONSENSUS).update(justification="-2+3")
    panel(tender)
    QualityScore.objects.create(
        response=QualitativeResponse.objects.get(),
        evaluator=evaluator_erin,
        score=3,
        justification=EVIL,
    )
    tender.panel.update(scores_submitted_at=tender.deadline)
    response = client_as(lead_lucy).get(reverse("procurement:report_xlsx", args=[tender.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    results = workbook["Results"][2]
    assert [(c.value, c.data_type) for c in results[:3]] == [
        (1, "n"),
        ("+Bob's Building Ltd", "s"),
        (500000, "n"),
    ]
    assert results[1].quotePrefix
    scores = workbook["Evaluator scores"][2]
    assert (scores[4].value, scores[4].data_type, scores[4].quotePrefix) == (EVIL, "s", True)
    assert (scores[3].value, scores[3].data_type) == (3, "n")
    moderation = workbook["Moderation"][2]
    assert (moderation[3].value, moderation[3].data_type) == ("-2+3", "s")
    assert moderation[3].quotePrefix
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
