"""Supplier debriefs after award: a supplier's own scores and the winning total only.
Figures from the scenario in test_evaluation_scenario (Bob 7.75 wins; Carol 6.89)."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.evaluation.services import tender_award
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.test_evaluation_scenario import build_three_bids

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def awarded(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> tuple[Tender, Bid, Bid]:
    tender, bob, carol, _ = build_three_bids(
        make_tender,
        make_bid,
        bobs_building,
        carols_care,
        moderator=lead_lucy,
        status=Tender.Status.EVALUATED,
    )
    tender_award(tender=tender, by=lead_lucy, start_date=date(2025, 4, 1))
    return tender, bob, carol


def debrief(client: Client, bid: Bid) -> str:
    response = client.get(reverse("procurement:debrief", args=[bid.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_an_unsuccessful_supplier_its_own_scores_and_the_winning_total(
    awarded: tuple[Tender, Bid, Bid], client_as: ClientAs, supplier_carol: User
) -> None:
    _, _, carol = awarded
    html = debrief(client_as(supplier_carol), carol)
    assert "Your offer was not successful" in html
    assert "2 of 3" in html  # rank
    assert "3.89 of 5" in html  # quantitative
    assert "3.00 of 5" in html  # qualitative
    assert "<strong>6.89</strong> of 10" in html
    assert "7.75 of 10" in html  # the winning total
    assert "£81,285.00" in html  # offered
    assert "£50,000.00" in html  # counted
    # Its excluded NT1 line with the reason, and each consensus score with its rationale.
    assert "Quality score 1 is below the deliverability threshold of 2" in html
    assert "Score: 1 of 5 – Serious reservations" in html
    assert "Score: 5 of 5 – Excellent" in html
    assert "Agreed at moderation." in html
    # Nothing of the winner but its total: not its name, figures or commitments.
    assert "Bob" not in html
    assert "£66,709.30" not in html
    assert "£64,263.00" not in html
    assert "NT8:" not in html
    assert "NT31:" not in html
    assert "Dan" not in html


def test_it_tells_the_winner_it_was_successful(
    awarded: tuple[Tender, Bid, Bid], client_as: ClientAs, supplier_bob: User
) -> None:
    _, bob, _ = awarded
    html = debrief(client_as(supplier_bob), bob)
    assert "Your offer was successful" in html
    assert "1 of 3" in html
    assert "<strong>7.75</strong> of 10" in html
    assert "NT31" in html
    assert "Carol" not in html


def test_it_has_no_debrief_before_the_award(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    client_as: ClientAs,
    supplier_bob: User,
    lead_lucy: User,
) -> None:
    tender = make_tender(status=Tender.Status.EVALUATED, deadline_in=timedelta(days=-1))
    bid = make_bid(tender, bobs_building, lines=[("NT1", "1", 3)], moderator=lead_lucy)
    html = debrief(client_as(supplier_bob), bid)
    assert "Your debrief will be ready when Lancashire County Council awards the contract" in html
    assert "Your total social value score" not in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("supplier_carol", 404),  # another supplier never learns the offer exists
        # Debriefs are for suppliers: staff are refused whatever the offer.
        ("lead_lucy", 403),
        ("officer_alice", 403),
        ("evaluator_erin", 403),
        ("officer_olga", 403),
    ],
)
def test_it_shows_a_debrief_to_nobody_but_the_bids_supplier(
    request: pytest.FixtureRequest,
    awarded: tuple[Tender, Bid, Bid],
    client_as: ClientAs,
    who: str,
    expected: int,
) -> None:
    _, bob, _ = awarded
    user: User = request.getfixturevalue(who)
    response = client_as(user).get(reverse("procurement:debrief", args=[bob.pk]))
    assert response.status_code == expected


def test_it_sends_anonymous_visitors_to_sign_in(
    awarded: tuple[Tender, Bid, Bid], public_dave: Client
) -> None:
    _, bob, _ = awarded
    response = public_dave.get(reverse("procurement:debrief", args=[bob.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("status", [Bid.Status.DRAFT, Bid.Status.WITHDRAWN])
def test_it_has_no_debrief_for_an_offer_that_was_not_evaluated(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    client_as: ClientAs,
    supplier_bob: User,
    status: str,
) -> None:
    tender = make_tender(status=Tender.Status.AWARDED, deadline_in=timedelta(days=-1))
    bid = make_bid(tender, bobs_building, lines=[("NT1", "1", None)], status=status)
    response = client_as(supplier_bob).get(reverse("procurement:debrief", args=[bid.pk]))
    assert response.status_code == 404
