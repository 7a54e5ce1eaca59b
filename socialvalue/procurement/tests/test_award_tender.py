"""Award: the highest-ranked offer becomes a contract whose targets are its counted
commitments; the other offers close. Figures from the scenario in test_evaluation_scenario."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, Target
from socialvalue.procurement.evaluation.services import (
    ERR_BID_NOT_IN_TENDER,
    contract_end_default,
    tender_award,
)
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.test_evaluation_scenario import build_three_bids

S = Tender.Status
ClientAs = Callable[[User | None], Client]
START = date(2025, 4, 1)


@pytest.fixture
def evaluated(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> tuple[Tender, Bid, Bid, Bid]:
    return build_three_bids(
        make_tender, make_bid, bobs_building, carols_care, moderator=lead_lucy, status=S.EVALUATED
    )


def targets(contract: Contract) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (target.measure.code, target.quantity, target.value)
        for target in Target.objects.filter(contract=contract).order_by("measure__code")
    ]


def test_it_awards_the_top_offer_with_targets_for_its_counted_commitments(
    evaluated: tuple[Tender, Bid, Bid, Bid], officer_alice: User
) -> None:
    tender, bob, carol, dan = evaluated
    contract = tender_award(tender=tender, by=officer_alice, start_date=START)
    # Bob's NT1 lines (1.5 + 0.5 FTE) become one target of 2 FTE × £31,285 = £62,570;
    # NT8 100 hours × £16.93 = £1,693; NT31 (quality 1, excluded) gets no target.
    assert targets(contract) == [
        ("NT1", Decimal("2.000000"), Decimal("62570.000000")),
        ("NT8", Decimal("100.000000"), Decimal("1693.000000")),
    ]
    contract.refresh_from_db()
    assert (contract.supplier, contract.value, contract.reference, contract.title) == (
        bob.supplier,
        Decimal("500000.00"),
        tender.reference,
        tender.title,
    )
    assert (contract.start_date, contract.end_date) == (START, date(2028, 3, 31))
    assert (contract.tender, contract.bid, contract.organisation) == (
        tender,
        bob,
        tender.organisation,
    )
    assert contract.framework_version == tender.framework_version
    assert contract.lever == Contract.Lever.PROCUREMENT
    tender.refresh_from_db()
    assert tender.status == S.AWARDED
    assert tender.awarded_at is not None
    statuses = {b.supplier.name: b.status for b in Bid.objects.filter(tender=tender)}
    assert statuses == {
        "Bob's Building Ltd": "successful",
        "Carol's Care CIC": "unsuccessful",
        "Dan's Digital Ltd": "unsuccessful",
    }
    # History keeps who did it.
    assert tender.history.first().history_user == officer_alice
    assert carol.history.count() == 2
    assert contract.history.get().history_user == officer_alice


@pytest.mark.parametrize("status", [S.OPEN, S.CLOSED, S.AWARDED, S.CANCELLED])
def test_it_refuses_to_award_a_tender_that_is_not_evaluated(
    evaluated: tuple[Tender, Bid, Bid, Bid], lead_lucy: User, status: str
) -> None:
    tender, *_ = evaluated
    Tender.objects.filter(pk=tender.pk).update(status=status)
    with pytest.raises(ValidationError) as caught:
        tender_award(tender=tender, by=lead_lucy, start_date=START)
    label = dict(Tender.Status.choices)[status].lower()
    assert caught.value.messages == [f"A tender that is {label} cannot be awarded."]
    assert not Contract.objects.exists()
    assert set(Bid.objects.values_list("status", flat=True)) == {"submitted"}


def test_it_awards_only_the_highest_ranked_offer(
    evaluated: tuple[Tender, Bid, Bid, Bid], lead_lucy: User
) -> None:
    tender, _, carol, _ = evaluated
    with pytest.raises(ValidationError) as caught:
        tender_award(tender=tender, by=lead_lucy, bid=carol, start_date=START)
    assert caught.value.message_dict == {
        "bid": ["Only the highest-ranked offer can be awarded: Carol's Care CIC is ranked 2 of 3."]
    }
    assert not Contract.objects.exists()
    tender.refresh_from_db()
    assert tender.status == S.EVALUATED


def test_it_refuses_an_offer_from_another_tender(
    evaluated: tuple[Tender, Bid, Bid, Bid],
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    lead_lucy: User,
) -> None:
    tender, *_ = evaluated
    other = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    stray = make_bid(other, bobs_building, lines=[("NT1", "9", 5)], moderator=lead_lucy)
    with pytest.raises(ValidationError) as caught:
        tender_award(tender=tender, by=lead_lucy, bid=stray, start_date=START)
    assert caught.value.message_dict == {"bid": [ERR_BID_NOT_IN_TENDER]}


def test_it_makes_the_officer_choose_between_tied_offers(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
    officer_alice: User,
) -> None:
    # Identical offers: NT1 1 FTE, q 3 each → both 5 + 3 = 8.00, both rank 1.
    tender = make_tender(status=S.EVALUATED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "1", 3)], moderator=lead_lucy)
    carol = make_bid(tender, carols_care, lines=[("NT1", "1", 3)], moderator=lead_lucy)
    with pytest.raises(ValidationError) as caught:
        tender_award(tender=tender, by=officer_alice, start_date=START)
    assert caught.value.message_dict == {
        "bid": ["2 offers share the highest total score. Choose which one to award."]
    }
    contract = tender_award(tender=tender, by=officer_alice, bid=carol, start_date=START)
    assert contract.supplier == carol.supplier
    assert targets(contract) == [("NT1", Decimal("1.000000"), Decimal("31285.000000"))]


def test_it_refuses_an_end_before_the_start_and_changes_nothing(
    evaluated: tuple[Tender, Bid, Bid, Bid], lead_lucy: User
) -> None:
    tender, *_ = evaluated
    with pytest.raises(ValidationError) as caught:
        tender_award(tender=tender, by=lead_lucy, start_date=START, end_date=date(2025, 3, 31))
    assert caught.value.message_dict == {
        "end_date": ["The end date must be on or after the start date."]
    }
    assert not Contract.objects.exists()
    tender.refresh_from_db()
    assert tender.status == S.EVALUATED
    assert set(Bid.objects.values_list("status", flat=True)) == {"submitted"}


def test_it_lets_only_the_lead_or_an_officer_award(
    evaluated: tuple[Tender, Bid, Bid, Bid], evaluator_erin: User, officer_olga: User
) -> None:
    tender, *_ = evaluated
    for user in (evaluator_erin, officer_olga):
        with pytest.raises(ValidationError) as caught:
            tender_award(tender=tender, by=user, start_date=START)
        assert caught.value.messages == [
            "Only the social value lead or an officer of Lancashire County Council can award "
            "a tender."
        ]
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 4, 1), 36, date(2028, 3, 31)),
        (date(2025, 3, 1), 1, date(2025, 3, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 30 February: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 11, 15), 2, date(2026, 1, 14)),
        (date(2025, 4, 1), 1, date(2025, 4, 30)),
    ],
)
def test_it_ends_a_contract_at_the_end_of_its_term(start: date, months: int, end: date) -> None:
    assert contract_end_default(start, months) == end


def test_it_awards_through_the_page(
    evaluated: tuple[Tender, Bid, Bid, Bid],
    client_as: ClientAs,
    officer_alice: User,
) -> None:
    tender, bob, *_ = evaluated
    client = client_as(officer_alice)
    url = reverse("procurement:award", args=[tender.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Bob&#x27;s Building Ltd" in page.content.decode()
    assert "Award and create the contract" in page.content.decode()

    refused = client.post(url, {"start_date": "not a date", "contract_manager": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "There is a problem" in text
    assert "Enter the start date as a real date, for example 1 April 2025." in text
    assert not Contract.objects.exists()

    done = client.post(
        url,
        {"start_date": "2025-04-01", "end_date": "", "contract_manager": officer_alice.pk},
        follow=True,
    )
    assert done.status_code == 200
    text = done.content.decode()
    assert "Tender awarded" in text
    assert tender.reference in text
    assert "NT1" in text
    assert "£62,570.00" in text
    assert "NT31" not in text
    contract = Contract.objects.get()
    assert contract.contract_manager == officer_alice
    assert contract.end_date == date(2028, 3, 31)
    assert contract.bid == bob
    contract_url = reverse("contracts:contract_detail", args=[contract.pk])
    assert f'<a class="govuk-link" href="{contract_url}">Go to the contract' in text
    assert "/admin/" not in text.split("<footer")[0]
    assert client.get(contract_url).status_code == 200


def test_it_explains_why_an_unevaluated_tender_cannot_be_awarded_yet(
    evaluated: tuple[Tender, Bid, Bid, Bid], client_as: ClientAs, lead_lucy: User
) -> None:
    tender, *_ = evaluated
    Tender.objects.filter(pk=tender.pk).update(status=S.CLOSED)
    client = client_as(lead_lucy)
    url = reverse("procurement:award", args=[tender.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "It can be awarded once the evaluation is complete" in page.content.decode()
    assert "Award and create the contract" not in page.content.decode()
    posted = client.post(url, {"start_date": "2025-04-01"})
    assert posted.status_code == 200
    assert not Contract.objects.exists()
