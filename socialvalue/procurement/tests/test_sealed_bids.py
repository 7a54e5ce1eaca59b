"""Sealed bids, through the pages and the API: the buyer's staff see nothing before the
deadline and never a draft; another supplier never sees a bid; anonymous callers are sent
to sign in (pages) or refused (API)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.services import api_token_create
from socialvalue.procurement.models import Bid, PanelMember, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.offers_support import pass_deadline

ClientAs = Callable[[User | None], Client]
COUNCIL_STAFF = ["officer_alice", "evaluator_erin", "lead_lucy"]
ACTIVITY = "Deliver 2.5 of NT1 across the contract."


@pytest.fixture
def tender(make_tender: TenderMaker, panel: Callable[[Tender], list[PanelMember]]) -> Tender:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=3))
    panel(tender)  # Erin and Lucy are on the panel: it makes no difference before the deadline.
    return tender


@pytest.fixture
def bobs_bid(tender: Tender, make_bid: BidMaker, bobs_building: Organisation) -> Bid:
    return make_bid(tender, bobs_building, lines=[("NT1", "2.5", None)])


@pytest.fixture
def carols_draft(tender: Tender, make_bid: BidMaker, carols_care: Organisation) -> Bid:
    return make_bid(tender, carols_care, lines=[("NT4", "1", None)], status=Bid.Status.DRAFT)


def page(bid: Bid) -> str:
    return reverse("procurement:offer_edit", args=[bid.pk])


def api(bid: Bid) -> str:
    return f"/api/v1/bids/{bid.pk}"


@pytest.mark.parametrize("who", COUNCIL_STAFF)
def test_it_hides_a_submitted_bid_from_the_buyers_staff_before_the_deadline(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, bobs_bid: Bid
) -> None:
    client = client_as(request.getfixturevalue(who))
    assert client.get(page(bobs_bid)).status_code == 404
    response = client.get(api(bobs_bid))
    assert response.status_code == 404
    assert response.json() == {"detail": [{"loc": [], "msg": "No such bid."}]}
    listing = client.get("/api/v1/bids").json()
    assert listing == {"items": [], "count": 0}
    assert ACTIVITY not in client.get(f"/api/v1/tenders/{bobs_bid.tender_id}").content.decode()


@pytest.mark.parametrize("who", COUNCIL_STAFF)
def test_it_opens_submitted_bids_to_the_buyers_staff_after_the_deadline_but_never_drafts(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    bobs_bid: Bid,
    carols_draft: Bid,
) -> None:
    pass_deadline(bobs_bid.tender)
    client = client_as(request.getfixturevalue(who))
    response = client.get(page(bobs_bid))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Offer from Bob&#x27;s Building Ltd" in text
    assert ACTIVITY in text
    assert "£78,212.50" in text  # 2.5 × £31,285.00
    detail = client.get(api(bobs_bid))
    assert detail.status_code == 200
    assert detail.json()["commitments"][0]["activity"] == ACTIVITY
    assert detail.json()["total_value"] == "78212.50"
    assert client.get(page(carols_draft)).status_code == 404
    assert client.get(api(carols_draft)).status_code == 404
    listing = client.get("/api/v1/bids").json()
    assert [item["id"] for item in listing["items"]] == [bobs_bid.pk]


def test_it_keeps_a_withdrawn_bid_hidden_after_the_deadline(
    client_as: ClientAs, officer_alice: User, bobs_bid: Bid
) -> None:
    Bid.objects.filter(pk=bobs_bid.pk).update(status=Bid.Status.WITHDRAWN)
    pass_deadline(bobs_bid.tender)
    client = client_as(officer_alice)
    assert client.get(page(bobs_bid)).status_code == 404
    assert client.get(api(bobs_bid)).status_code == 404


def test_it_never_shows_a_bid_to_another_buying_organisation(
    client_as: ClientAs, officer_olga: User, bobs_bid: Bid
) -> None:
    client = client_as(officer_olga)
    for _moment in ("before", "after"):
        assert client.get(page(bobs_bid)).status_code == 404
        assert client.get(api(bobs_bid)).status_code == 404
        assert client.get(f"/api/v1/tenders/{bobs_bid.tender_id}").status_code == 404
        pass_deadline(bobs_bid.tender)


def test_it_never_shows_a_bid_to_another_supplier(
    client_as: ClientAs, supplier_carol: User, bobs_bid: Bid
) -> None:
    client = client_as(supplier_carol)
    _token, raw = api_token_create(user=supplier_carol, name="Bid tool")
    for _moment in ("before", "after"):
        assert client.get(page(bobs_bid)).status_code == 404
        assert (
            client.get(reverse("procurement:offer_submit", args=[bobs_bid.pk])).status_code == 404
        )
        assert client.get(api(bobs_bid)).status_code == 404
        assert Client().get(api(bobs_bid), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
        assert client.put(api(bobs_bid), "{}", content_type="application/json").status_code == 404
        assert client.post(f"{api(bobs_bid)}/submit").status_code == 404
        assert client.post(f"{api(bobs_bid)}/withdraw").status_code == 404
        assert client.get("/api/v1/bids").json() == {"items": [], "count": 0}
        pass_deadline(bobs_bid.tender)


def test_it_shows_the_supplier_its_own_bid_before_and_after_the_deadline(
    client_as: ClientAs, supplier_bob: User, bobs_bid: Bid
) -> None:
    client = client_as(supplier_bob)
    for _moment in ("before", "after"):
        assert ACTIVITY in client.get(page(bobs_bid)).content.decode()
        assert client.get(api(bobs_bid)).json()["commitments"][0]["activity"] == ACTIVITY
        pass_deadline(bobs_bid.tender)


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_anonymous_api_calls(
    public_dave: Client, bobs_bid: Bid
) -> None:
    response = public_dave.get(page(bobs_bid))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    for method, url in [
        ("get", api(bobs_bid)),
        ("get", "/api/v1/bids"),
        ("get", "/api/v1/tenders"),
        ("get", f"/api/v1/tenders/{bobs_bid.tender_id}"),
        ("post", f"/api/v1/tenders/{bobs_bid.tender_id}/bids"),
        ("put", api(bobs_bid)),
        ("post", f"{api(bobs_bid)}/submit"),
        ("post", f"{api(bobs_bid)}/withdraw"),
    ]:
        response = getattr(public_dave, method)(url)
        assert response.status_code == 401, url
        assert response.json()["detail"][0]["loc"] == ["header", "Authorization"]
    pass_deadline(bobs_bid.tender)
    assert public_dave.get(api(bobs_bid)).status_code == 401
    assert public_dave.get(page(bobs_bid)).status_code == 302


def test_it_lets_no_one_but_the_supplier_change_a_bid_even_after_the_deadline(
    client_as: ClientAs, officer_alice: User, lead_lucy: User, bobs_bid: Bid
) -> None:
    pass_deadline(bobs_bid.tender)
    for user in (officer_alice, lead_lucy):
        client = client_as(user)
        assert client.post(page(bobs_bid), {"price": "1"}).status_code == 403
        assert client.put(api(bobs_bid), "{}", content_type="application/json").status_code == 403
        assert client.post(f"{api(bobs_bid)}/withdraw").status_code == 403
    bobs_bid.refresh_from_db()
    assert bobs_bid.status == Bid.Status.SUBMITTED
    assert str(bobs_bid.price) == "500000.00"
