"""The scoring engine: every bid's social value marks by the evaluation methodology
(``score_bids``), and the list of every problem when bids cannot be scored.

See the package's docstring for the methodology and how exactness is kept.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import (
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Any

from socialvalue.core.money import HUNDRED, PENCE
from socialvalue.framework.calculator import (
    ERR_NEGATIVE_QUANTITY,
    ERR_NOT_FINITE_QUANTITY,
    ERR_UNKNOWN_MEASURE,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    UNKNOWN_MEASURE,
    MeasureInfo,
)
from socialvalue.procurement.scoring.model import (
    BASES,
    BASIS_VALUE,
    DIVIDE,
    ERR_BASIS,
    ERR_MENU_MEASURE,
    ERR_PRICE,
    ERR_QUALITY_SCORE,
    ERR_QUANTITY_TYPE,
    ERR_SHARE,
    ERR_THRESHOLD,
    ERR_WEIGHTING,
    EXACT,
    FIVE,
    INFINITY,
    ONE,
    OUT_OF_RANGE,
    Q_OF,
    QUALITY_MAX,
    QUALITY_MIN,
    SHOWN_TOTAL,
    UNKNOWN_BASIS,
    ZERO,
    BidInput,
    BidScore,
    CommitmentScoreInput,
    Refused,
    ScoringError,
    ScoringParameters,
    ScoringProblem,
    ScoringResult,
)


def quantitative_marks(parameters: ScoringParameters) -> Decimal:
    """Q = W × s / 100: the marks for the quantitative value (exact)."""
    with localcontext(EXACT):
        return parameters.sv_weighting * parameters.quantitative_share / HUNDRED


def score_bids(
    *,
    measures: Mapping[str, MeasureInfo],
    bids: Sequence[BidInput],
    parameters: ScoringParameters,
    framework: str = "the framework",
) -> ScoringResult:
    """Score ``bids`` against ``measures`` (code → measure) by the evaluation methodology.

    Returns each bid's offered and counted value, SV Add %, quantitative, qualitative and
    total score (all exact) and rank, in the order the bids were given; each ``BidScore``
    also lists its excluded commitments and its plausibility flags. See the module docstring
    for the formulas and ``BidScore`` for how ties are ranked.

    Raises ``ScoringError`` listing every problem: a weighting or quantitative share outside
    0 to 100, an unknown basis, a threshold outside 0 to 5, an unknown code on the menu, a
    price that is not more than 0, an unknown measure code (named in ``framework``), a
    negative or non-finite quantity, or a quality score other than None or 0 to 5. An empty
    list of bids gives an empty result.
    """
    problems = _parameter_problems(parameters, measures, framework)
    if problems:
        raise ScoringError(problems)
    try:
        sums = _bid_sums(measures, bids, parameters.deliverability_threshold)
        scored = _bid_scores(sums, parameters)
    except (KeyError, TypeError, AttributeError, InvalidOperation, Refused) as exc:
        # An unknown code or quality score (KeyError), a negative quantity, a NaN (invalid
        # comparison), an infinity or a value of the wrong type: list every problem.
        problems = [
            problem
            for number, bid in enumerate(bids)
            for problem in _bid_problems(number, bid, measures, framework)
        ]
        if not problems:
            raise
        raise ScoringError(problems) from exc

    # Totals are at most W ≤ 100 marks, so rounding them to 2 places needs few digits.
    ranks = _ranks([SHOWN_TOTAL.quantize(row[8], PENCE) for row in scored])
    results = []
    for number, (row, rank) in enumerate(zip(scored, ranks, strict=True)):
        bid, commitments, offered, counted, quality_sum = row[:5]
        sv_add, quantitative, qualitative, total = row[5:]
        results.append(
            BidScore(
                number,
                bid.bidder,
                bid.price,
                offered,
                counted,
                sv_add,
                quantitative,
                qualitative,
                total,
                rank,
                quality_sum,
                commitments,
                parameters,
                measures,
            )
        )
    marks_q = quantitative_marks(parameters)
    with localcontext(EXACT):
        marks_l = parameters.sv_weighting - marks_q
    return ScoringResult(
        parameters=parameters,
        quantitative_marks=marks_q,
        qualitative_marks=marks_l,
        bids=tuple(results),
        measures=measures,
    )


_Sums = tuple[BidInput, tuple[CommitmentScoreInput, ...], Decimal, Decimal, int]


def _bid_sums(
    measures: Mapping[str, MeasureInfo], bids: Sequence[BidInput], threshold: int
) -> list[_Sums]:
    """Each bid with its commitments, offered value, counted value and sum of q.

    This is the only loop over every commitment, so it does no more than it must: one
    multiplication and one addition per commitment, and no object per line.
    """
    proxy_of = {
        code: ZERO if info.proxy_value is None else info.proxy_value
        for code, info in measures.items()
    }
    q_of = Q_OF
    zero, infinity = ZERO, INFINITY
    sums = []
    with localcontext(EXACT):
        for bid in bids:
            price = bid.price
            if not zero < price < infinity:
                raise Refused
            commitments = tuple(bid.commitments)
            counted = excluded = zero
            quality_sum = 0
            for commitment in commitments:
                quantity = commitment.quantity
                if quantity < zero:
                    raise Refused
                value = quantity * proxy_of[commitment.measure]
                q = q_of[commitment.quality_score]
                quality_sum += q
                if q >= threshold:
                    counted += value
                else:
                    excluded += value
            offered = counted + excluded
            if not offered.is_finite():
                raise Refused
            sums.append((bid, commitments, offered, counted, quality_sum))
    return sums


def _bid_scores(sums: list[_Sums], parameters: ScoringParameters) -> list[tuple[Any, ...]]:
    """Each bid's sums with its SV Add %, quantitative, qualitative and total score.

    Every score is first written as an exact fraction (numerator, denominator):

        quantitative = Q × (counted / scale) / (best_counted / best_scale)
                     = Q × counted × best_scale / (scale × best_counted)
        qualitative  = L × quality_sum / (5 × count)
        total        = both over their common denominator

    where scale is 1 (basis value) or the price (basis sv_add), and 0 / 1 stands for a
    score of 0 (no counted value in any bid, or no commitments). Then each is divided once.
    """
    by_value = parameters.quant_basis == BASIS_VALUE
    marks_q = quantitative_marks(parameters)
    zero = ZERO
    fractions = []
    with localcontext(EXACT):
        marks_l = parameters.sv_weighting - marks_q
        # The best metric, found exactly by cross-multiplying rather than by dividing.
        best_counted, best_scale = zero, ONE
        for bid, _, _, counted, _ in sums:
            scale = ONE if by_value else bid.price
            if counted * best_scale > best_counted * scale:
                best_counted, best_scale = counted, scale
        for bid, commitments, _, counted, quality_sum in sums:
            if best_counted:
                quant_num = marks_q * counted * best_scale
                quant_den = best_counted if by_value else bid.price * best_counted
            else:
                quant_num, quant_den = zero, ONE
            if commitments:
                qual_num = marks_l * quality_sum
                qual_den = FIVE * len(commitments)
            else:
                qual_num, qual_den = zero, ONE
            total_num = quant_num * qual_den + qual_num * quant_den
            total_den = quant_den * qual_den
            fractions.append(
                (quant_num, quant_den, qual_num, qual_den, total_num, total_den, counted * HUNDRED)
            )
    scored = []
    with localcontext(DIVIDE):
        for (bid, commitments, offered, counted, quality_sum), fraction in zip(
            sums, fractions, strict=True
        ):
            quant_num, quant_den, qual_num, qual_den, total_num, total_den, sv_add_num = fraction
            scored.append(
                (
                    bid,
                    commitments,
                    offered,
                    counted,
                    quality_sum,
                    sv_add_num / bid.price,
                    quant_num / quant_den,
                    qual_num / qual_den,
                    total_num / total_den,
                )
            )
    return scored


def _ranks(shown_totals: Sequence[Decimal]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of the totals as shown, highest first."""
    order = sorted(shown_totals, reverse=True)
    first: dict[Decimal, int] = {}
    for position, total in enumerate(order, start=1):
        first.setdefault(total, position)
    return [first[total] for total in shown_totals]


# --- Listing every problem (only once the fast path has failed) ----------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _parameter_problems(
    parameters: ScoringParameters, measures: Mapping[str, MeasureInfo], framework: str
) -> list[ScoringProblem]:
    problems: list[ScoringProblem] = []

    def refuse(field_name: str, kind: str, message: str, code: str = "") -> None:
        problems.append(ScoringProblem(None, None, field_name, kind, code, message))

    for field_name, value, message in (
        ("sv_weighting", parameters.sv_weighting, ERR_WEIGHTING),
        ("quantitative_share", parameters.quantitative_share, ERR_SHARE),
    ):
        if not _is_number(value):
            refuse(field_name, NOT_A_NUMBER, message.format(value=repr(value)))
        elif not Decimal(value).is_finite():
            refuse(field_name, NOT_FINITE, message.format(value=value))
        elif not ZERO <= value <= HUNDRED:
            refuse(field_name, OUT_OF_RANGE, message.format(value=value))
    if parameters.quant_basis not in BASES:
        refuse("quant_basis", UNKNOWN_BASIS, ERR_BASIS.format(value=parameters.quant_basis))
    threshold = parameters.deliverability_threshold
    if not (
        isinstance(threshold, int)
        and not isinstance(threshold, bool)
        and QUALITY_MIN <= threshold <= QUALITY_MAX
    ):
        refuse("deliverability_threshold", OUT_OF_RANGE, ERR_THRESHOLD.format(value=threshold))
    if parameters.menu is not None:
        for code in sorted(parameters.menu - measures.keys()):
            refuse(
                "menu",
                UNKNOWN_MEASURE,
                ERR_MENU_MEASURE.format(code=code, framework=framework),
                code,
            )
    return problems


def _bid_problems(
    number: int, bid: BidInput, measures: Mapping[str, MeasureInfo], framework: str
) -> Iterable[ScoringProblem]:
    price = bid.price
    if not _is_number(price) or not Decimal(price).is_finite() or price <= ZERO:
        yield ScoringProblem(
            number,
            None,
            "price",
            NOT_POSITIVE,
            "",
            ERR_PRICE.format(bidder=bid.bidder, value=price),
        )
    for index, commitment in enumerate(bid.commitments):
        code, quantity, score = commitment.measure, commitment.quantity, commitment.quality_score
        if not isinstance(code, str) or code not in measures:
            yield ScoringProblem(
                number,
                index,
                "measure",
                UNKNOWN_MEASURE,
                str(code),
                ERR_UNKNOWN_MEASURE.format(code=code, framework=framework),
            )
        if not _is_number(quantity):
            yield ScoringProblem(
                number,
                index,
                "quantity",
                NOT_A_NUMBER,
                str(code),
                ERR_QUANTITY_TYPE.format(code=code, value=quantity),
            )
        elif not Decimal(quantity).is_finite():
            yield ScoringProblem(
                number,
                index,
                "quantity",
                NOT_FINITE,
                str(code),
                ERR_NOT_FINITE_QUANTITY.format(code=code, quantity=quantity),
            )
        elif quantity < ZERO:
            yield ScoringProblem(
                number,
                index,
                "quantity",
                NEGATIVE,
                str(code),
                ERR_NEGATIVE_QUANTITY.format(code=code, quantity=quantity),
            )
        if not _is_quality_score(score):
            yield ScoringProblem(
                number,
                index,
                "quality_score",
                OUT_OF_RANGE,
                str(code),
                ERR_QUALITY_SCORE.format(code=code, value=score),
            )


def _is_quality_score(score: object) -> bool:
    """None or a whole number from 0 to 5: exactly what the scoring loop accepts."""
    try:
        return score in Q_OF
    except TypeError:
        return False
