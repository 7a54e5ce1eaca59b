"""Results of stored bids through the scoring engine, with every figure worked out by hand.

The scenario used here and in the award, report and debrief tests: a £1,000,000 tender,
W = 10, s = 50, so Q = 5 and L = 5; basis value; deliverability threshold d = 2.

Bob's Building Ltd, price £500,000
  NT1  1.5 FTE × £31,285.00 = £46,927.50   q 4
  NT1  0.5 FTE × £31,285.00 = £15,642.50   q 3
  NT8  100 hours × £16.93   = £1,693.00    q 3
  NT31 10 tCO2e × £244.63   = £2,446.30    q 1  → excluded (1 < 2)
  offered £66,709.30, counted £64,263.00, mean q 11/4 = 2.75

Carol's Care CIC, price £400,000
  NT1  1 FTE × £31,285.00   = £31,285.00   q 1  → excluded
  NT18 50,000 × £1.00       = £50,000.00   q 5
  offered £81,285.00, counted £50,000.00, mean q 3

Dan's Digital Ltd, price £250,000
  NT41 10 (no proxy)        = £0.00        q 2
  NT29 1,000 hours × £1.00  = £1,000.00    q 2
  offered £1,000.00, counted £1,000.00, mean q 2

Basis value, best counted value £64,263.00 (Bob):
  Bob   quantitative 5, qualitative 5 × 2.75 / 5 = 2.75, total 7.75, SV Add 12.8526%
  Carol quantitative 5 × 50,000 / 64,263 = 3.890263…, qualitative 3, total 6.890263…
  Dan   quantitative 5 × 1,000 / 64,263 = 0.077805…, qualitative 2, total 2.077805…
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import OrganisationFactory
from socialvalue.core.money import round_2dp, round_money
from socialvalue.framework.models import Measure
from socialvalue.procurement.evaluation.results import TenderResults, tender_results
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

S = Tender.Status

BOB_LINES: list[tuple[str, str, Any]] = [
    ("NT1", "1.5", 4),
    ("NT1", "0.5", 3),
    ("NT8", "100", 3),
    ("NT31", "10", 1),
]
CAROL_LINES: list[tuple[str, str, Any]] = [("NT1", "1", 1), ("NT18", "50000", 5)]
DAN_LINES: list[tuple[str, str, Any]] = [("NT41", "10", 2), ("NT29", "1000", 2)]


def dans_digital() -> Organisation:
    """A third supplier, a medium-sized firm."""
    existing = Organisation.objects.filter(name="Dan's Digital Ltd").first()
    return existing or OrganisationFactory.create(
        name="Dan's Digital Ltd", kind=Organisation.Kind.SUPPLIER, size="medium"
    )


def build_three_bids(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    *,
    moderator: User | None,
    status: str = S.CLOSED,
    **tender_fields: Any,
) -> tuple[Tender, Bid, Bid, Bid]:
    """The scenario above. With ``moderator`` the consensus scores are recorded directly;
    without, every line has a response and no score yet (for the real panel flow)."""
    tender = make_tender(status=status, deadline_in=timedelta(days=-1), **tender_fields)
    bob = make_bid(tender, bobs_building, price="500000.00", lines=BOB_LINES, moderator=moderator)
    carol = make_bid(tender, carols_care, price="400000.00", lines=CAROL_LINES, moderator=moderator)
    dan = make_bid(tender, dans_digital(), price="250000.00", lines=DAN_LINES, moderator=moderator)
    return tender, bob, carol, dan


def shown(results: TenderResults) -> list[tuple[Any, ...]]:
    """Each bid as the pages show it: rounded half-up to pence and 2 places."""
    return [
        (
            result.bid.supplier.name,
            round_money(result.score.offered_value),
            round_money(result.score.counted_value),
            round_2dp(result.score.sv_add_percent),
            round_2dp(result.score.quantitative_score),
            round_2dp(result.score.qualitative_score),
            round_2dp(result.score.total_score),
            result.rank,
        )
        for result in results.bids
    ]


@pytest.fixture
def scored(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> tuple[Tender, Bid, Bid, Bid]:
    return build_three_bids(make_tender, make_bid, bobs_building, carols_care, moderator=lead_lucy)


def test_it_scores_three_bids_as_worked_out_by_hand(scored: tuple[Tender, Bid, Bid, Bid]) -> None:
    tender, *_ = scored
    results = tender_results(tender)
    assert shown(results) == [
        (
            "Bob's Building Ltd",
            Decimal("66709.30"),
            Decimal("64263.00"),
            Decimal("12.85"),
            Decimal("5.00"),
            Decimal("2.75"),
            Decimal("7.75"),
            1,
        ),
        (
            "Carol's Care CIC",
            Decimal("81285.00"),
            Decimal("50000.00"),
            Decimal("12.50"),
            Decimal("3.89"),
            Decimal("3.00"),
            Decimal("6.89"),
            2,
        ),
        (
            "Dan's Digital Ltd",
            Decimal("1000.00"),
            Decimal("1000.00"),
            Decimal("0.40"),
            Decimal("0.08"),
            Decimal("2.00"),
            Decimal("2.08"),
            3,
        ),
    ]
    assert results.unscored == 0
    assert results.provisional is True  # closed, not yet marked evaluated
    assert [r.bid.supplier.name for r in results.top] == ["Bob's Building Ltd"]
    # The exact figures are kept: 5 × 50,000 / 64,263 starts 3.8902634.
    carol = results.bids[1]
    assert str(carol.score.quantitative_score).startswith("3.8902634")


def test_it_lists_excluded_commitments_with_the_reason(
    scored: tuple[Tender, Bid, Bid, Bid],
) -> None:
    tender, *_ = scored
    results = tender_results(tender)
    bob, carol, dan = results.bids
    assert [(line.measure.code, line.line.value, line.reason) for line in bob.excluded] == [
        (
            "NT31",
            Decimal("2446.3000"),
            "Quality score 1 is below the deliverability threshold of 2",
        )
    ]
    assert [line.measure.code for line in carol.excluded] == ["NT1"]
    assert dan.excluded == []
    assert bob.flags == ()
    assert carol.flags == ()
    assert dan.flags == ()


def test_it_excludes_more_when_the_deliverability_threshold_is_higher(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> None:
    # d = 4: Bob counts only NT1 1.5 (q 4) = £46,927.50; Carol counts NT18 = £50,000
    # (the best); Dan counts nothing.
    # Bob   5 × 46,927.50 / 50,000 = 4.69275 + 2.75 = 7.44275 → 7.44
    # Carol 5 + 3 = 8.00; Dan 0 + 2 = 2.00. Carol now ranks first.
    tender, *_ = build_three_bids(
        make_tender,
        make_bid,
        bobs_building,
        carols_care,
        moderator=lead_lucy,
        deliverability_threshold=4,
    )
    results = tender_results(tender)
    assert [
        (
            r.bid.supplier.name,
            round_money(r.score.counted_value),
            round_2dp(r.score.total_score),
            r.rank,
        )
        for r in results.bids
    ] == [
        ("Carol's Care CIC", Decimal("50000.00"), Decimal("8.00"), 1),
        ("Bob's Building Ltd", Decimal("46927.50"), Decimal("7.44"), 2),
        ("Dan's Digital Ltd", Decimal("0.00"), Decimal("2.00"), 3),
    ]
    bob = results.bids[1]
    assert [line.measure.code for line in bob.excluded] == ["NT1", "NT8", "NT31"]
    assert bob.excluded[0].reason == "Quality score 3 is below the deliverability threshold of 4"


def test_it_scores_on_the_sv_add_basis(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> None:
    # Metric V / price: Bob 64,263 / 500,000 = 0.128526 (best), Carol 0.125, Dan 0.004.
    # Carol 5 × 0.125 / 0.128526 = 4.862829… + 3 = 7.862829… → 7.86 (first)
    # Bob   5 + 2.75 = 7.75; Dan 5 × 0.004 / 0.128526 = 0.155610… + 2 = 2.16
    tender, *_ = build_three_bids(
        make_tender,
        make_bid,
        bobs_building,
        carols_care,
        moderator=lead_lucy,
        quant_basis=Tender.Basis.SV_ADD,
    )
    results = tender_results(tender)
    assert [
        (
            r.bid.supplier.name,
            round_2dp(r.score.quantitative_score),
            round_2dp(r.score.total_score),
            r.rank,
        )
        for r in results.bids
    ] == [
        ("Carol's Care CIC", Decimal("4.86"), Decimal("7.86"), 1),
        ("Bob's Building Ltd", Decimal("5.00"), Decimal("7.75"), 2),
        ("Dan's Digital Ltd", Decimal("0.16"), Decimal("2.16"), 3),
    ]


def test_it_counts_responses_without_a_consensus_score_as_zero(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
) -> None:
    # No consensus scores at all: every q is 0, nothing counts, every score is 0.
    tender, *_ = build_three_bids(make_tender, make_bid, bobs_building, carols_care, moderator=None)
    results = tender_results(tender)
    assert results.unscored == 8
    assert results.provisional is True
    assert [(round_2dp(r.score.total_score), r.rank) for r in results.bids] == [
        (Decimal("0.00"), 1),
        (Decimal("0.00"), 1),
        (Decimal("0.00"), 1),
    ]
    assert results.bids[0].excluded[0].reason == (
        "No consensus score yet (counts as 0), below the deliverability threshold of 2"
    )


def test_it_scores_a_commitment_without_a_response_as_no_response(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation, lead_lucy: User
) -> None:
    # NT1 2 FTE = £62,570 with q 3 counts; NT8 100 hours has no response: q 0, excluded.
    # Mean q = 3 / 2 = 1.5 → qualitative 5 × 1.5 / 5 = 1.5; quantitative 5 (the only bid).
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(
        tender,
        bobs_building,
        lines=[("NT1", "2", 3), ("NT8", "100", "no response")],
        moderator=lead_lucy,
    )
    result = tender_results(tender).bids[0]
    assert round_money(result.score.counted_value) == Decimal("62570.00")
    assert round_2dp(result.score.total_score) == Decimal("6.50")
    assert [line.reason for line in result.excluded] == [
        "No qualitative response (scored 0), below the deliverability threshold of 2"
    ]


def test_it_flags_implausible_offers(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation, lead_lucy: User
) -> None:
    # Price £10,000: counted £31,285 + £50,000 + 10 × £16.93 = £81,454.30, SV Add 814.543%;
    # 1 FTE (NT1) at £20,000 a year costs more than the price; NT8 is not on this tender's
    # menu (NT1 and NT18 only).
    menu = list(Measure.objects.filter(code__in=["NT1", "NT18"]))
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1), menu=menu)
    make_bid(
        tender,
        bobs_building,
        price="10000.00",
        lines=[("NT1", "1", 3), ("NT18", "50000", 3), ("NT8", "10", 3)],
        moderator=lead_lucy,
    )
    result = tender_results(tender).bids[0]
    assert result.flags == (
        "SV Add of 814.54% is over 100% of the bid price",
        "NT1: 1 FTE would cost more than the £10,000.00 contract value",
        "NT8 is not on this tender's menu of measures",
    )


def test_it_leaves_out_drafts_and_withdrawn_offers(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "1", 3)], status=Bid.Status.DRAFT)
    make_bid(tender, carols_care, lines=[("NT1", "1", 3)], status=Bid.Status.WITHDRAWN)
    results = tender_results(tender)
    assert results.bids == []
    assert results.scoring is None


def test_it_shows_no_results_before_the_deadline(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation, lead_lucy: User
) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(days=3))
    make_bid(tender, bobs_building, lines=[("NT1", "1", 3)], moderator=lead_lucy)
    assert tender_results(tender).bids == []


def test_it_compares_offers_by_theme_and_by_measure(scored: tuple[Tender, Bid, Bid, Bid]) -> None:
    tender, *_ = scored
    results = tender_results(tender)
    # Columns in rank order: Bob, Carol, Dan. Excluded lines (Bob's NT31, Carol's NT1) add
    # nothing; NT41 has no proxy, so Dan's economic prosperity is £0.
    assert [(row.theme, [round_money(v) for v in row.values]) for row in results.by_theme()] == [
        ("Employment and skills", [Decimal("64263.00"), Decimal("0.00"), Decimal("0.00")]),
        ("Economic prosperity", [Decimal("0.00"), Decimal("50000.00"), Decimal("0.00")]),
        (
            "Community building: health & wellbeing",
            [Decimal("0.00"), Decimal("0.00"), Decimal("1000.00")],
        ),
        ("Environment sustainability", [Decimal("0.00"), Decimal("0.00"), Decimal("0.00")]),
    ]
    rows = {row.info.code: row.cells for row in results.by_measure()}
    assert list(rows) == ["NT1", "NT8", "NT18", "NT41", "NT29", "NT31"]
    bob_nt1, carol_nt1, dan_nt1 = rows["NT1"]
    assert bob_nt1 is not None
    assert carol_nt1 is not None
    assert dan_nt1 is None
    # Bob's two NT1 lines: 2 FTE, £62,570 counted of £62,570 offered.
    assert (bob_nt1.quantity, round_money(bob_nt1.counted_value)) == (
        Decimal("2.000000"),
        Decimal("62570.00"),
    )
    # Carol's NT1 line is excluded: £31,285 offered, nothing counted.
    assert (round_money(carol_nt1.counted_value), round_money(carol_nt1.offered_value)) == (
        Decimal("0.00"),
        Decimal("31285.00"),
    )
    assert carol_nt1.partly_excluded is True
