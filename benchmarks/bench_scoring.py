"""Tender scoring of 200 bids × 43 commitments against a plain-Python loop over the same data.

Every bid offers each of the 43 Lancashire TOMs measures once, with a seeded random quantity
and quality score (0 to 5, None now and then for a missing response). Both sides work out
the same figures from the same (measure, quantity, quality score) tuples: each bid's offered
and counted value, quantitative, qualitative and total score, and the ranks. The baseline is
the loop anyone would write by hand with dicts and Decimals; the measured side is
``procurement.scoring.score_bids`` as the tender pages and ``POST /api/v1/score`` use it
(which also works out SV Add % and the plausibility flags, and checks every input).

Two lines: the ratio to the baseline (target 1.5), and the time against an absolute budget
of 50 ms (target 1.0).
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from benchmarks.bench_calculator import _measures
from benchmarks.common import BenchResult, interleaved_best_ms
from socialvalue.procurement.scoring.engine import score_bids
from socialvalue.procurement.scoring.model import (
    BidInput,
    CommitmentScoreInput,
    ScoringParameters,
)

BIDS = 200
TARGET_RATIO = 1.5
BUDGET_MS = 50.0

SV_WEIGHTING = Decimal(10)
QUANTITATIVE_SHARE = Decimal(50)
THRESHOLD = 2


def run() -> list[BenchResult]:
    measures = _measures()
    codes = list(measures)
    rng = random.Random(20242)
    data: list[tuple[str, Decimal, list[tuple[str, Decimal, int | None]]]] = []
    for number in range(BIDS):
        price = Decimal(rng.randint(50_000_000, 500_000_000)) / 100
        lines: list[tuple[str, Decimal, int | None]] = []
        for code in codes:
            quantity = Decimal(rng.randint(0, 2_000_000)) / 1000
            score = None if rng.random() < 0.05 else rng.randint(0, 5)
            lines.append((code, quantity, score))
        data.append((f"Bidder {number + 1}", price, lines))

    bids = [
        BidInput(
            bidder=bidder,
            price=price,
            commitments=[CommitmentScoreInput(code, qty, score) for code, qty, score in lines],
        )
        for bidder, price, lines in data
    ]
    parameters = ScoringParameters(
        sv_weighting=SV_WEIGHTING,
        quantitative_share=QUANTITATIVE_SHARE,
        quant_basis="value",
        deliverability_threshold=THRESHOLD,
    )
    proxies = {code: info.proxy_value for code, info in measures.items()}
    zero, five, hundred, cent = Decimal(0), Decimal(5), Decimal(100), Decimal("0.01")

    def plain_loop() -> list[tuple[Decimal, Decimal, Decimal, Decimal, Decimal, int]]:
        marks_q = SV_WEIGHTING * QUANTITATIVE_SHARE / hundred
        marks_l = SV_WEIGHTING - marks_q
        sums = []
        for _bidder, _price, lines in data:
            offered = counted = zero
            quality_sum = 0
            for code, quantity, score in lines:
                proxy = proxies[code]
                value = zero if proxy is None else quantity * proxy
                offered += value
                q = 0 if score is None else score
                quality_sum += q
                if q >= THRESHOLD:
                    counted += value
            sums.append((offered, counted, quality_sum, len(lines)))
        best = max((counted for _, counted, _, _ in sums), default=zero)
        rows = []
        for offered, counted, quality_sum, count in sums:
            quantitative = marks_q * counted / best if best else zero
            qualitative = marks_l * quality_sum / (five * count) if count else zero
            rows.append((offered, counted, quantitative, qualitative, quantitative + qualitative))
        shown = [row[4].quantize(cent, rounding=ROUND_HALF_UP) for row in rows]
        ordered = sorted(shown, reverse=True)
        return [(*row, ordered.index(total) + 1) for row, total in zip(rows, shown, strict=True)]

    def platform() -> object:
        return score_bids(measures=measures, bids=bids, parameters=parameters)

    # Same answer first: the comparison is only fair if both compute the same figures. Values
    # are exact on both sides; the baseline divides with the default 28 digits, so scores
    # agree to far below a hundredth, and the ranks (from totals to 2 dp) agree exactly.
    expected = plain_loop()
    result = score_bids(measures=measures, bids=bids, parameters=parameters)
    assert len({row[5] for row in expected}) > 1
    tolerance = Decimal("1e-20")
    for bid, (offered, counted, quantitative, qualitative, total, rank) in zip(
        result.bids, expected, strict=True
    ):
        assert bid.offered_value == offered
        assert bid.counted_value == counted
        assert abs(bid.quantitative_score - quantitative) < tolerance
        assert abs(bid.qualitative_score - qualitative) < tolerance
        assert abs(bid.total_score - total) < tolerance
        assert bid.rank == rank

    value_ms, baseline_ms = interleaved_best_ms(platform, plain_loop, rounds=40)
    return [
        BenchResult(
            name="scoring_200x43",
            value=value_ms,
            unit="ms",
            baseline=baseline_ms,
            target=TARGET_RATIO,
        ),
        BenchResult(
            name="scoring_200x43_abs",
            value=value_ms,
            unit="ms",
            baseline=BUDGET_MS,
            target=1.0,
        ),
    ]
