"""Downloading the ITT pack: who may, what they get, and never someone else's offer."""

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import OrganisationFactory, UserFactory
from socialvalue.procurement.models import Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

ClientAs = Callable[[User | None], Client]

DOWNLOADS = [
    (
        "procurement:itt_docx",
        "itt.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "social-value-itt.docx",
    ),
    (
        "procurement:qdp_docx",
        "delivery-plan.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "delivery-plan.docx",
    ),
    (
        "procurement:offer_template_xlsx",
        "offer-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "offer-template.xlsx",
    ),
]
URL_NAMES = [name for name, _path, _type, _suffix in DOWNLOADS]


@pytest.fixture
def partner_pat(db: None) -> User:
    organisation = OrganisationFactory.create(
        name="Preston Youth Trust", kind=Organisation.Kind.PARTNER
    )
    return UserFactory.create(
        email="pat@prestonyouth.example", role=User.Role.PARTNER, organisation=organisation
    )


def _cast(request: pytest.FixtureRequest, name: str) -> User | None:
    return None if name == "public_dave" else request.getfixturevalue(name)


@pytest.mark.parametrize(("name", "path", "content_type", "suffix"), DOWNLOADS)
def test_it_serves_each_download_at_its_address(
    make_tender: TenderMaker,
    client_as: ClientAs,
    officer_alice: User,
    name: str,
    path: str,
    content_type: str,
    suffix: str,
) -> None:
    tender = make_tender()
    url = reverse(name, args=[tender.pk])
    assert url == f"/tenders/{tender.pk}/pack/{path}"
    response = client_as(officer_alice).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="LCC-T-001-{suffix}"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert len(response.content) > 5000


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("officer_alice", Tender.Status.DRAFT, 200),
        ("officer_alice", Tender.Status.OPEN, 200),
        ("evaluator_erin", Tender.Status.OPEN, 200),
        ("lead_lucy", Tender.Status.CLOSED, 200),
        ("lead_lucy", Tender.Status.CANCELLED, 200),
        ("officer_olga", Tender.Status.OPEN, 404),
        ("officer_olga", Tender.Status.DRAFT, 404),
        ("supplier_bob", Tender.Status.OPEN, 200),
        ("supplier_bob", Tender.Status.DRAFT, 404),
        ("supplier_bob", Tender.Status.CLOSED, 404),
        ("supplier_carol", Tender.Status.OPEN, 200),
        ("partner_pat", Tender.Status.OPEN, 403),  # the pack is for staff and suppliers
    ],
)
def test_it_lets_in_only_those_who_may_see_the_tender(
    request: pytest.FixtureRequest,
    make_tender: TenderMaker,
    client_as: ClientAs,
    name: str,
    who: str,
    status: str,
    expected: int,
) -> None:
    tender = make_tender(status=status)
    response = client_as(_cast(request, who)).get(reverse(name, args=[tender.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_sends_anonymous_visitors_to_sign_in(
    make_tender: TenderMaker, public_dave: Client, name: str
) -> None:
    url = reverse(name, args=[make_tender().pk])
    response = public_dave.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={url}"


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_keeps_a_closed_tender_open_to_a_supplier_who_bid(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    client_as: ClientAs,
    supplier_bob: User,
    bobs_building: Organisation,
    name: str,
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "1", None)])
    assert client_as(supplier_bob).get(reverse(name, args=[tender.pk])).status_code == 200


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_gives_404_for_a_tender_that_does_not_exist(
    client_as: ClientAs, officer_alice: User, name: str
) -> None:
    assert client_as(officer_alice).get(reverse(name, args=[999999])).status_code == 404


def test_it_refuses_a_post(
    make_tender: TenderMaker, client_as: ClientAs, officer_alice: User
) -> None:
    url = reverse("procurement:itt_docx", args=[make_tender().pk])
    assert client_as(officer_alice).post(url).status_code == 405


# --- Filled in with the supplier's own offer, never anyone else's ------------------------


def _quantities(response: Any) -> dict[str, Any]:
    sheet = load_workbook(io.BytesIO(response.content))["Offer"]
    return {
        sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=6).value
        for row in range(9, 52)
        if sheet.cell(row=row, column=6).value is not None
    }


@pytest.fixture
def bobs_offer(make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation) -> Tender:
    tender = make_tender()
    make_bid(tender, bobs_building, status="draft", lines=[("NT1", "2.5", None)])
    return tender


def test_it_fills_in_the_suppliers_own_offer_when_asked(
    bobs_offer: Tender, client_as: ClientAs, supplier_bob: User
) -> None:
    url = reverse("procurement:offer_template_xlsx", args=[bobs_offer.pk])
    bob = client_as(supplier_bob)
    assert _quantities(bob.get(url + "?prefill=1")) == {"NT1": 2.5}
    assert _quantities(bob.get(url)) == {}
    plan_url = reverse("procurement:qdp_docx", args=[bobs_offer.pk]) + "?prefill=1"
    plan = Document(io.BytesIO(bob.get(plan_url).content))
    assert "Tenderer: Bob's Building Ltd" in [p.text for p in plan.paragraphs]


@pytest.mark.parametrize("who", ["supplier_carol", "officer_alice", "lead_lucy"])
def test_it_never_fills_in_someone_elses_offer(
    request: pytest.FixtureRequest, bobs_offer: Tender, client_as: ClientAs, who: str
) -> None:
    client = client_as(_cast(request, who))
    xlsx = client.get(
        reverse("procurement:offer_template_xlsx", args=[bobs_offer.pk]) + "?prefill=1"
    )
    assert xlsx.status_code == 200
    assert _quantities(xlsx) == {}
    docx = client.get(reverse("procurement:qdp_docx", args=[bobs_offer.pk]) + "?prefill=1")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Bob's Building" not in text
    assert "Commitment 1: NT1" not in text


def test_it_fills_in_even_after_the_deadline_for_the_supplier_only(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    client_as: ClientAs,
    supplier_bob: User,
    officer_alice: User,
    bobs_building: Organisation,
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT4", "4", 3)])
    url = reverse("procurement:offer_template_xlsx", args=[tender.pk]) + "?prefill=1"
    assert _quantities(client_as(supplier_bob).get(url)) == {"NT4": 4}
    assert _quantities(client_as(officer_alice).get(url)) == {}
