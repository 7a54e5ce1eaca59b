"""The pure scoring engine: marks, values, exclusions, scores, ranks, flags and refusals.

Every expected figure is worked out by hand in the comments beside it, with the proxy values
the Lancashire TOMs print: NT1 £31,285.00 per FTE, NT4 £15,382.90 per FTE, NT18 £1.00 per
£ spent, NT29 £1.00 per volunteering hour, NT41 no proxy.
"""

from decimal import Decimal

import pytest

from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_POSITIVE,
    UNKNOWN_MEASURE,
    MeasureInfo,
    ThemeValue,
)
from socialvalue.procurement.scoring.engine import quantitative_marks, score_bids
from socialvalue.procurement.scoring.model import (
    FTE_ANNUAL_COST,
    OUT_OF_RANGE,
    UNKNOWN_BASIS,
    BidInput,
    CommitmentScore,
    CommitmentScoreInput,
    Exclusion,
    ScoringError,
    ScoringParameters,
)
from socialvalue.procurement.scoring.present import present, present_bid

EMPLOYMENT = "Employment and skills"
PROSPERITY = "Economic prosperity"
COMMUNITY = "Community building: health & wellbeing"

MEASURES = {
    m.code: m
    for m in [
        MeasureInfo(
            "NT1",
            "Local FTE employees",
            "Number of people (FTE)",
            Decimal("31285.00"),
            EMPLOYMENT,
            1,
            1,
        ),
        MeasureInfo(
            "NT4",
            "Long-term unemployed FTE",
            "Number of people (FTE)",
            Decimal("15382.90"),
            EMPLOYMENT,
            1,
            4,
        ),
        MeasureInfo(
            "NT18", "Local supply chain spend", "Per £ spent", Decimal("1.00"), PROSPERITY, 2, 22
        ),
        MeasureInfo("NT41", "Real Living Wage", "%", None, PROSPERITY, 2, 27),
        MeasureInfo(
            "NT29",
            "Volunteering for local communities",
            "Number of staff volunteering hours",
            Decimal("1.00"),
            COMMUNITY,
            3,
            33,
        ),
    ]
}

DEFAULTS = ScoringParameters(sv_weighting=Decimal(10))


def c(measure: str, quantity: str, quality_score: int | None) -> CommitmentScoreInput:
    return CommitmentScoreInput(measure, Decimal(quantity), quality_score)


def bid(bidder: str, price: str, *commitments: CommitmentScoreInput) -> BidInput:
    return BidInput(bidder=bidder, price=Decimal(price), commitments=list(commitments))


# Three bids used for both bases (W = 10, s = 50, so Q = 5 and L = 5; d = 2):
# - Acme: NT1 2 FTE × 31,285 = 62,570 (q 4) + NT18 £50,000 × 1 = 50,000 (q 3)
#   → offered = counted = 112,570; mean q = (4 + 3) / 2 = 3.5.
# - Bolt: NT1 1 FTE = 31,285 (q 5) + NT18 £100,000 (q 1 < 2: excluded)
#   → offered 131,285, counted 31,285; mean q = (5 + 1) / 2 = 3.
# - Cobb: NT29 30,000 hours × 1 = 30,000 (q 2 = d: counts) + NT41 100% (no proxy: 0, q 5)
#   → offered = counted = 30,000; mean q = (2 + 5) / 2 = 3.5.
THREE_BIDS = [
    bid("Acme Ltd", "1000000", c("NT1", "2", 4), c("NT18", "50000", 3)),
    bid("Bolt plc", "800000", c("NT1", "1", 5), c("NT18", "100000", 1)),
    bid("Cobb CIC", "200000", c("NT29", "30000", 2), c("NT41", "100", 5)),
]


def test_it_scores_three_bids_on_counted_value():
    result = score_bids(measures=MEASURES, bids=THREE_BIDS, parameters=DEFAULTS)

    acme, bolt, cobb = result.bids
    assert [b.bidder for b in result.bids] == ["Acme Ltd", "Bolt plc", "Cobb CIC"]
    assert (acme.offered_value, acme.counted_value) == (Decimal(112570), Decimal(112570))
    assert (bolt.offered_value, bolt.counted_value) == (Decimal(131285), Decimal(31285))
    assert (cobb.offered_value, cobb.counted_value) == (Decimal(30000), Decimal(30000))
    # The best metric is Acme's 112,570: Acme 5 × 112,570 / 112,570 = 5.
    assert acme.quantitative_score == Decimal(5)
    # Bolt 5 × 31,285 / 112,570 = 31,285 / 22,514 = 1.3895798170027538420538331704…
    # (more digits than the 28 of an ordinary Decimal division: nothing rounds early).
    assert str(bolt.quantitative_score).startswith("1.38957981700275384205383317047170649")
    # Cobb 5 × 30,000 / 112,570 = 15,000 / 11,257 = 1.33250421959669538953540019543…
    assert str(cobb.quantitative_score).startswith("1.33250421959669538953540019543")
    # Qualitative: L × mean q / 5 = 5 × 3.5 / 5 = 3.5; 5 × 3 / 5 = 3; 5 × 3.5 / 5 = 3.5.
    assert [b.qualitative_score for b in result.bids] == [Decimal("3.5"), 3, Decimal("3.5")]
    # Totals: 8.5; 1.38957… + 3 = 4.38957…; 1.33250… + 3.5 = 4.83250…
    assert acme.total_score == Decimal("8.5")
    assert str(bolt.total_score).startswith("4.3895798170027538420538")
    assert str(cobb.total_score).startswith("4.8325042195966953895354")
    assert [b.rank for b in result.bids] == [1, 3, 2]
    # SV Add: 112,570 / 1,000,000 = 11.257%; 31,285 / 800,000 = 3.910625%; 30,000 / 200,000 = 15%.
    assert [b.sv_add_percent for b in result.bids] == [
        Decimal("11.257"),
        Decimal("3.910625"),
        Decimal(15),
    ]
    assert [b.bidder for b in result.ranked] == ["Acme Ltd", "Cobb CIC", "Bolt plc"]


def test_it_presents_the_scores_rounded_half_up():
    result = score_bids(measures=MEASURES, bids=THREE_BIDS, parameters=DEFAULTS)

    assert present(result) == {
        "bids": [
            {
                "bidder": "Acme Ltd",
                "offered_value": "112570.00",
                "counted_value": "112570.00",
                "sv_add_percent": "11.26",
                "quantitative_score": "5.00",
                "qualitative_score": "3.50",
                "total_score": "8.50",
                "rank": 1,
                "excluded": [],
                "flags": [],
            },
            {
                "bidder": "Bolt plc",
                "offered_value": "131285.00",
                "counted_value": "31285.00",
                "sv_add_percent": "3.91",
                "quantitative_score": "1.39",
                "qualitative_score": "3.00",
                "total_score": "4.39",
                "rank": 3,
                "excluded": [
                    {
                        "index": 1,
                        "measure": "NT18",
                        "quality_score": 1,
                        "value": "100000.00",
                        "reason": "Quality score 1 is below the deliverability threshold of 2",
                    }
                ],
                "flags": [],
            },
            {
                "bidder": "Cobb CIC",
                "offered_value": "30000.00",
                "counted_value": "30000.00",
                "sv_add_percent": "15.00",
                "quantitative_score": "1.33",
                "qualitative_score": "3.50",
                "total_score": "4.83",
                "rank": 2,
                "excluded": [],
                "flags": [],
            },
        ]
    }


def test_it_scores_three_bids_on_sv_add():
    parameters = ScoringParameters(sv_weighting=Decimal(10), quant_basis="sv_add")

    result = score_bids(measures=MEASURES, bids=THREE_BIDS, parameters=parameters)

    acme, bolt, cobb = result.bids
    # Metrics V / price: Acme 0.11257, Bolt 0.03910625, Cobb 0.15 (the best).
    # Cobb 5 × 0.15 / 0.15 = 5; Acme 5 × 0.11257 / 0.15 = 3.752333…;
    # Bolt 5 × 0.03910625 / 0.15 = 1.30354166…
    assert cobb.quantitative_score == Decimal(5)
    assert str(acme.quantitative_score).startswith("3.75233333333333333333333333333333")
    assert str(bolt.quantitative_score).startswith("1.30354166666666666666666666666666")
    # Qualitative scores do not depend on the basis: 3.5, 3, 3.5.
    # Totals: Acme 7.252333…, Bolt 4.303541…, Cobb 8.5.
    assert cobb.total_score == Decimal("8.5")
    assert [present_bid(b)["total_score"] for b in result.bids] == ["7.25", "4.30", "8.50"]
    assert [present_bid(b)["quantitative_score"] for b in result.bids] == ["3.75", "1.30", "5.00"]
    assert [b.rank for b in result.bids] == [2, 3, 1]
    # The values do not depend on the basis either.
    assert [b.counted_value for b in result.bids] == [112570, 31285, 30000]


def test_it_excludes_a_commitment_below_the_threshold_but_offers_its_value():
    # d = 2. NT1 1 FTE q 1 → 31,285 excluded; NT18 £10,000 q 2 → 10,000 counted.
    # No response (None) scores 0 and is excluded too: NT29 500 hours → 500.
    result = score_bids(
        measures=MEASURES,
        bids=[
            bid(
                "Acme Ltd",
                "500000",
                c("NT1", "1", 1),
                c("NT18", "10000", 2),
                c("NT29", "500", None),
            )
        ],
        parameters=DEFAULTS,
    )

    [acme] = result.bids
    assert acme.offered_value == Decimal(41785)  # 31,285 + 10,000 + 500
    assert acme.counted_value == Decimal(10000)
    assert acme.excluded == [
        Exclusion(
            index=0,
            measure="NT1",
            quality_score=1,
            value=Decimal("31285.00"),
            reason="Quality score 1 is below the deliverability threshold of 2",
        ),
        Exclusion(
            index=2,
            measure="NT29",
            quality_score=None,
            value=Decimal("500.00"),
            reason=("No qualitative response (scored 0), below the deliverability threshold of 2"),
        ),
    ]
    # The mean q is over all three commitments: (1 + 2 + 0) / 3 = 1; 5 × 1 / 5 = 1.
    assert acme.qualitative_score == 1
    assert acme.quality_mean == 1


def test_it_counts_everything_including_no_response_with_a_threshold_of_0():
    parameters = ScoringParameters(sv_weighting=Decimal(10), deliverability_threshold=0)

    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "500000", c("NT18", "700", None), c("NT29", "300", 0))],
        parameters=parameters,
    )

    [acme] = result.bids
    assert acme.counted_value == Decimal(1000)
    assert acme.excluded == []
    assert acme.qualitative_score == 0  # mean q 0


def test_it_counts_a_measure_without_proxy_at_zero_but_in_the_quality_mean():
    # Acme: NT41 (no proxy) q 5 and NT18 £1,000 q 3. Value 1,000; mean q = (5 + 3) / 2 = 4,
    # qualitative 5 × 4 / 5 = 4; quantitative 5 (its own metric is the best); total 9.
    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "100000", c("NT41", "95", 5), c("NT18", "1000", 3))],
        parameters=DEFAULTS,
    )

    [acme] = result.bids
    assert acme.lines[0] == CommitmentScore(
        index=0,
        measure="NT41",
        quantity=Decimal(95),
        quality_score=5,
        q=5,
        value=Decimal(0),
        counted=True,
    )
    assert acme.counted_value == Decimal(1000)
    assert acme.qualitative_score == 4
    assert acme.total_score == 9


def test_it_gives_a_bid_without_commitments_nothing():
    # Acme: NT18 £2,000 q 4 → quantitative 5, qualitative 5 × 4 / 5 = 4. Empty: 0 and 0.
    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "100000", c("NT18", "2000", 4)), bid("Empty Ltd", "90000")],
        parameters=DEFAULTS,
    )

    acme, empty = result.bids
    assert acme.total_score == 9
    assert (empty.offered_value, empty.counted_value) == (0, 0)
    assert (empty.quantitative_score, empty.qualitative_score, empty.total_score) == (0, 0, 0)
    assert empty.quality_mean is None
    assert empty.sv_add_percent == 0
    assert (acme.rank, empty.rank) == (1, 2)


def test_it_gives_everyone_zero_quantitative_marks_when_no_value_counts():
    # Nothing counts: NT41 has no proxy, and NT18's line is below the threshold. The best
    # metric is 0, so every quantitative score is 0 (and nothing divides by 0). Qualitative:
    # Acme mean q 5 → 5; Bolt mean (1 + 3) / 2 = 2 → 2.
    result = score_bids(
        measures=MEASURES,
        bids=[
            bid("Acme Ltd", "100000", c("NT41", "100", 5)),
            bid("Bolt plc", "100000", c("NT18", "5000", 1), c("NT41", "90", 3)),
        ],
        parameters=DEFAULTS,
    )

    assert [b.quantitative_score for b in result.bids] == [0, 0]
    assert [b.qualitative_score for b in result.bids] == [5, 2]
    assert [b.rank for b in result.bids] == [1, 2]
    assert result.bids[1].offered_value == Decimal(5000)


def test_it_gives_a_single_bid_the_full_quantitative_marks():
    # W = 20, s = 60: Q = 12, L = 8. The only bid's metric is the best: 12 × 1 = 12.
    # Mean q = 3: 8 × 3 / 5 = 4.8. Total 16.8.
    parameters = ScoringParameters(sv_weighting=Decimal(20), quantitative_share=Decimal(60))

    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "250000", c("NT4", "0.5", 3))],
        parameters=parameters,
    )

    [acme] = result.bids
    assert acme.counted_value == Decimal("7691.450")  # 0.5 × 15,382.90
    assert acme.quantitative_score == 12
    assert acme.qualitative_score == Decimal("4.8")
    assert acme.total_score == Decimal("16.8")
    assert acme.rank == 1


def test_it_gives_a_single_bid_without_value_no_quantitative_marks():
    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "250000", c("NT18", "0", 4))],
        parameters=DEFAULTS,
    )

    assert result.bids[0].quantitative_score == 0
    assert result.bids[0].total_score == 4  # 5 × 4 / 5


@pytest.mark.parametrize(
    ("weighting", "share", "expected_q", "expected_l"),
    [
        ("10", "50", "5", "5"),  # 10 × 50 / 100 = 5; 10 − 5 = 5
        ("20", "60", "12", "8"),  # 20 × 60 / 100 = 12; 20 − 12 = 8
        ("12.5", "33.33", "4.16625", "8.33375"),  # 12.5 × 33.33 / 100; 12.5 − 4.16625
        ("10", "0", "0", "10"),
        ("10", "100", "10", "0"),
    ],
)
def test_it_splits_the_weighting_into_quantitative_and_qualitative_marks(
    weighting: str, share: str, expected_q: str, expected_l: str
):
    parameters = ScoringParameters(
        sv_weighting=Decimal(weighting), quantitative_share=Decimal(share)
    )

    result = score_bids(measures=MEASURES, bids=[], parameters=parameters)

    assert quantitative_marks(parameters) == Decimal(expected_q)
    assert result.quantitative_marks == Decimal(expected_q)
    assert result.qualitative_marks == Decimal(expected_l)
    assert result.bids == ()


def test_it_uses_the_default_share_basis_and_threshold():
    assert DEFAULTS.quantitative_share == 50
    assert DEFAULTS.quant_basis == "value"
    assert DEFAULTS.deliverability_threshold == 2
    assert DEFAULTS.menu is None


def test_it_shares_ranks_between_equal_totals():
    # W = 10, s = 50. No value anywhere, so totals are the qualitative scores 5 × mean q / 5:
    # 5, 4, 4 and 3 → ranks 1, 2, 2, 4.
    result = score_bids(
        measures=MEASURES,
        bids=[
            bid("Acme Ltd", "100", c("NT41", "1", 5)),
            bid("Bolt plc", "100", c("NT41", "1", 4)),
            bid("Cobb CIC", "100", c("NT41", "1", 4)),
            bid("Dent Ltd", "100", c("NT41", "1", 3)),
        ],
        parameters=DEFAULTS,
    )

    assert [b.rank for b in result.bids] == [1, 2, 2, 4]


def test_it_compares_totals_as_shown_to_two_places():
    # W = 100, s = 100: Q = 100 and L = 0, so total = 100 × V / 100,000.
    # 40,004 → 40.004 and 40,001 → 40.001 both show 40.00; 39,995 → 39.995 rounds half-up
    # to 40.00 too. 39,985 → 39.985 shows 39.99 (half-up, where half-even would give 39.98).
    parameters = ScoringParameters(
        sv_weighting=Decimal(100), quantitative_share=Decimal(100), deliverability_threshold=0
    )
    values = ["100000", "40001", "39995", "40004", "39985"]

    result = score_bids(
        measures=MEASURES,
        bids=[bid(f"Bidder {v}", "1000000", c("NT18", v, None)) for v in values],
        parameters=parameters,
    )

    assert [present_bid(b)["total_score"] for b in result.bids] == [
        "100.00",
        "40.00",
        "40.00",
        "40.00",
        "39.99",
    ]
    assert [b.rank for b in result.bids] == [1, 2, 2, 2, 5]
    # Within a shared rank the exact totals still order the list.
    assert [b.bidder for b in result.ranked] == [
        "Bidder 100000",
        "Bidder 40004",
        "Bidder 40001",
        "Bidder 39995",
        "Bidder 39985",
    ]


def test_it_adds_up_counted_value_by_theme_for_every_theme():
    # Acme: NT1 1 FTE 31,285 + NT4 2 FTE 30,765.80 (employment, q 3 and 4), NT18 £500 (q 1:
    # excluded), NT29 40 hours 40 (community, q 2).
    result = score_bids(
        measures=MEASURES,
        bids=[
            bid(
                "Acme Ltd",
                "1000000",
                c("NT1", "1", 3),
                c("NT4", "2", 4),
                c("NT18", "500", 1),
                c("NT29", "40", 2),
            )
        ],
        parameters=DEFAULTS,
    )

    assert result.themes == (EMPLOYMENT, PROSPERITY, COMMUNITY)
    assert result.bids[0].counted_by_theme == (
        ThemeValue(EMPLOYMENT, Decimal("62050.80")),
        ThemeValue(PROSPERITY, Decimal(0)),
        ThemeValue(COMMUNITY, Decimal(40)),
    )


# --- Plausibility flags ---------------------------------------------------------------------


def test_it_flags_sv_add_over_100_percent_without_changing_the_score():
    # NT18 £150,000 on a £100,000 price: SV Add 150%.
    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "100000", c("NT18", "150000", 4))],
        parameters=DEFAULTS,
    )

    [acme] = result.bids
    assert acme.flags == ("SV Add of 150.00% is over 100% of the bid price",)
    assert acme.total_score == 9  # 5 + 5 × 4 / 5


def test_it_does_not_flag_sv_add_of_exactly_100_percent():
    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "100000", c("NT18", "100000", 4))],
        parameters=DEFAULTS,
    )

    assert result.bids[0].flags == ()


def test_it_flags_ftes_the_price_cannot_pay_for():
    # FTE_ANNUAL_COST is £20,000: 30 FTE × 20,000 = £600,000 > £500,000. The flag looks at
    # what is offered, so NT1 is flagged although its q 1 keeps it out of the counted value.
    # NT4 25 FTE × 20,000 = £500,000 is not more than the price, so it is not flagged (and
    # its counted 25 × 15,382.90 = 384,572.50 is 76.91% of the price: no SV Add flag).
    assert Decimal(20000) == FTE_ANNUAL_COST

    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "500000", c("NT4", "25", 3), c("NT1", "30", 1))],
        parameters=DEFAULTS,
    )

    [acme] = result.bids
    assert acme.flags == ("NT1: 30 FTE would cost more than the £500,000.00 contract value",)


def test_it_adds_up_the_ftes_of_a_measure_offered_on_several_lines():
    # NT1 10.5 + 10.25 + 5 = 25.75 FTE × 20,000 = £515,000 > £500,000 (none of it counted).
    result = score_bids(
        measures=MEASURES,
        bids=[
            bid(
                "Acme Ltd",
                "500000",
                c("NT1", "10.50", 1),
                c("NT1", "10.25", 1),
                c("NT1", "5", None),
            )
        ],
        parameters=DEFAULTS,
    )

    assert result.bids[0].flags == (
        "NT1: 25.75 FTE would cost more than the £500,000.00 contract value",
    )


def test_it_flags_measures_not_on_the_menu():
    parameters = ScoringParameters(sv_weighting=Decimal(10), menu=frozenset({"NT1", "NT18"}))

    result = score_bids(
        measures=MEASURES,
        bids=[
            bid(
                "Acme Ltd",
                "1000000",
                c("NT29", "10", 3),
                c("NT1", "1", 3),
                c("NT41", "100", 3),
                c("NT29", "5", 3),
            ),
            bid("Bolt plc", "1000000", c("NT18", "10", 3)),
        ],
        parameters=parameters,
    )

    acme, bolt = result.bids
    # Named once each, in framework order; the commitments still count.
    assert acme.flags == (
        "NT41 is not on this tender's menu of measures",
        "NT29 is not on this tender's menu of measures",
    )
    assert acme.counted_value == Decimal(31300)  # 15 + 31,285 + 0
    assert bolt.flags == ()


def test_it_lists_several_flags_in_order():
    parameters = ScoringParameters(sv_weighting=Decimal(10), menu=frozenset({"NT18"}))

    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "10000", c("NT1", "1", 3))],
        parameters=parameters,
    )

    # 31,285 / 10,000 = 312.85%; 1 FTE × 20,000 = £20,000 > £10,000; NT1 is off the menu.
    assert result.bids[0].flags == (
        "SV Add of 312.85% is over 100% of the bid price",
        "NT1: 1 FTE would cost more than the £10,000.00 contract value",
        "NT1 is not on this tender's menu of measures",
    )


# --- Refusals -------------------------------------------------------------------------------


def test_it_names_every_bad_bid_and_line():
    bids = [
        bid("Acme Ltd", "1000", c("NT1", "1", 3)),
        bid("Bolt plc", "0", c("NT999", "1", 3), c("NT1", "-2", 3)),
        bid("Cobb CIC", "100", c("NT18", "1", 6), c("NT18", "1", -1)),
        bid("Dent Ltd", "-5"),
    ]

    with pytest.raises(ScoringError) as caught:
        score_bids(measures=MEASURES, bids=bids, parameters=DEFAULTS, framework="lancs-2024")

    problems = [(p.bid, p.index, p.field, p.kind) for p in caught.value.problems]
    assert problems == [
        (1, None, "price", NOT_POSITIVE),
        (1, 0, "measure", UNKNOWN_MEASURE),
        (1, 1, "quantity", NEGATIVE),
        (2, 0, "quality_score", OUT_OF_RANGE),
        (2, 1, "quality_score", OUT_OF_RANGE),
        (3, None, "price", NOT_POSITIVE),
    ]
    messages = [p.message for p in caught.value.problems]
    assert messages[:3] == [
        "The price of Bolt plc's bid must be an amount of more than £0, not 0.",
        "Unknown measure code 'NT999' in lancs-2024.",
        "The quantity for NT1 must be 0 or more, not -2.",
    ]
    assert messages[3] == (
        "The quality score for NT18 must be a whole number from 0 to 5, or None for no "
        "response, not 6."
    )
    assert str(caught.value).startswith(
        "Bid 1: The price of Bolt plc's bid must be an amount of more than £0, not 0.; "
        "Bid 1 line 0: Unknown measure code 'NT999' in lancs-2024."
    )


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "sNaN"])
def test_it_refuses_quantities_that_are_not_finite(quantity: str):
    with pytest.raises(ScoringError) as caught:
        score_bids(
            measures=MEASURES,
            bids=[bid("Acme Ltd", "1000", c("NT1", quantity, 3))],
            parameters=DEFAULTS,
        )

    [problem] = caught.value.problems
    assert (problem.bid, problem.index, problem.field) == (0, 0, "quantity")


@pytest.mark.parametrize("price", ["NaN", "Infinity", "-0.01"])
def test_it_refuses_prices_that_are_not_positive_amounts(price: str):
    with pytest.raises(ScoringError) as caught:
        score_bids(measures=MEASURES, bids=[bid("Acme Ltd", price)], parameters=DEFAULTS)

    [problem] = caught.value.problems
    assert (problem.bid, problem.index, problem.field) == (0, None, "price")


@pytest.mark.parametrize(
    ("parameters", "field", "kind", "message"),
    [
        (
            ScoringParameters(sv_weighting=Decimal("100.01")),
            "sv_weighting",
            OUT_OF_RANGE,
            "The social value weighting must be a number from 0 to 100 (% of the tender's "
            "marks), not 100.01.",
        ),
        (
            ScoringParameters(sv_weighting=Decimal(-1)),
            "sv_weighting",
            OUT_OF_RANGE,
            None,
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), quantitative_share=Decimal(101)),
            "quantitative_share",
            OUT_OF_RANGE,
            "The quantitative share must be a number from 0 to 100 (% of the social value "
            "marks), not 101.",
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), quantitative_share=Decimal("NaN")),
            "quantitative_share",
            "not_finite",
            None,
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), quant_basis="price"),  # type: ignore[arg-type]
            "quant_basis",
            UNKNOWN_BASIS,
            "The quantitative basis must be 'value' or 'sv_add', not 'price'.",
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), deliverability_threshold=6),
            "deliverability_threshold",
            OUT_OF_RANGE,
            "The deliverability threshold must be a whole number from 0 to 5, not 6.",
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), deliverability_threshold=-1),
            "deliverability_threshold",
            OUT_OF_RANGE,
            None,
        ),
        (
            ScoringParameters(sv_weighting=Decimal(10), menu=frozenset({"NT1", "NT999"})),
            "menu",
            UNKNOWN_MEASURE,
            "Unknown measure code 'NT999' in the menu of the framework.",
        ),
    ],
)
def test_it_refuses_parameters_out_of_range(
    parameters: ScoringParameters, field: str, kind: str, message: str | None
):
    with pytest.raises(ScoringError) as caught:
        score_bids(measures=MEASURES, bids=THREE_BIDS, parameters=parameters)

    [problem] = caught.value.problems
    assert (problem.bid, problem.index, problem.field, problem.kind) == (None, None, field, kind)
    if message is not None:
        assert problem.message == message


def test_it_accepts_the_limits_of_every_range():
    parameters = ScoringParameters(
        sv_weighting=Decimal(100), quantitative_share=Decimal(0), deliverability_threshold=5
    )

    result = score_bids(
        measures=MEASURES,
        bids=[bid("Acme Ltd", "0.01", c("NT18", "0", 0), c("NT18", "1", 5))],
        parameters=parameters,
    )

    # Q = 0, L = 100; mean q = (0 + 5) / 2 = 2.5 → 100 × 2.5 / 5 = 50.
    assert result.bids[0].total_score == 50
    assert result.bids[0].counted_value == 1  # only the q 5 line reaches d = 5


def test_it_refuses_floats_rather_than_scoring_them_inexactly():
    bids = [
        BidInput("Acme Ltd", 1000.0, [c("NT1", "1", 3)]),  # type: ignore[arg-type]
        BidInput("Bolt plc", Decimal(1000), [CommitmentScoreInput("NT1", 0.1, 3)]),  # type: ignore[arg-type]
    ]

    with pytest.raises(ScoringError) as caught:
        score_bids(measures=MEASURES, bids=bids, parameters=DEFAULTS)

    assert [(p.bid, p.index, p.field) for p in caught.value.problems] == [
        (0, None, "price"),
        (1, 0, "quantity"),
    ]
