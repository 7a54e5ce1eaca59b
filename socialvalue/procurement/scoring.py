"""Tender scoring: the social value marks of every bid, by the evaluation methodology.

Implements "Consistent evaluation and marking" of the Social Value Strategy 2024-28 (the
quantitative "what" and the qualitative "how") as the design's evaluation methodology:

- W is the social value weighting (% of the tender's marks); the quantitative marks are
  Q = W × s / 100 for a quantitative share s, and the qualitative marks L = W − Q.
- A commitment is worth v = quantity × proxy value (0 when the measure has no proxy). Its
  quality score q (0 to 5) is the consensus score of its qualitative response, 0 when there
  is none. It counts towards the quantitative value only if q ≥ d, the deliverability
  threshold; otherwise it is listed as excluded, with the reason.
- Offered value = Σ v over all commitments; counted value V = Σ v over counted ones.
- The metric is V (basis ``value``) or V / price (basis ``sv_add``). Quantitative score =
  Q × metric / the best metric of all bids, 0 for every bid when the best is 0.
- Qualitative score = L × mean q over all the bid's commitments / 5, 0 without commitments.
- Total = quantitative + qualitative; SV Add % = V / price × 100.

Everything here is a plain function on plain values: the tender pages score stored bids
with it and ``POST /api/v1/score`` scores bids sent to it; nothing reads the database.

Exactness: values are sums of exact products. Each score is worked out as one fraction of
exact products and divided once, to 60 significant digits, truncated. Truncation never
carries a figure across a half-penny boundary, so rounding it half-up to 2 decimal places
(``present``, ``to_2dp``) gives exactly what rounding the true fraction would give. The best
metric is found by cross-multiplying (V₁ × price₂ against V₂ × price₁), never by comparing
rounded quotients. Nothing is rounded until it is shown.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any, Literal

from socialvalue.core.money import PENCE, format_gbp
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
    ThemeValue,
    plain,
    to_2dp,
    to_pence,
)

QuantBasis = Literal["value", "sv_add"]
BASIS_VALUE: QuantBasis = "value"
BASIS_SV_ADD: QuantBasis = "sv_add"
BASES: tuple[QuantBasis, ...] = (BASIS_VALUE, BASIS_SV_ADD)

# The methodology's defaults; a tender (the procurement policy) may set each of them.
DEFAULT_SV_WEIGHTING = Decimal(10)
DEFAULT_QUANTITATIVE_SHARE = Decimal(50)
DEFAULT_QUANT_BASIS: QuantBasis = BASIS_VALUE
DEFAULT_DELIVERABILITY_THRESHOLD = 2

# The quality scoring profile: 0 unacceptable or no response … 5 excellent.
QUALITY_MIN = 0
QUALITY_MAX = 5

# A conservative (low) annual cost of employing one full-time equivalent, wages and on-costs
# together. A bid whose FTEs for one measure would cost more than its whole price for a
# single year at this rate is flagged as implausible; a higher figure would flag more bids.
FTE_ANNUAL_COST = Decimal(20000)
FTE_UNIT_MARKER = "FTE"

# Why a parameter, a bid or a line was refused (``ScoringProblem.kind``), besides the
# calculator's kinds (NOT_A_NUMBER, NOT_FINITE, NEGATIVE, NOT_POSITIVE, UNKNOWN_MEASURE).
OUT_OF_RANGE = "out_of_range"
UNKNOWN_BASIS = "unknown_basis"

ERR_WEIGHTING = (
    "The social value weighting must be a number from 0 to 100 (% of the tender's marks), "
    "not {value}."
)
ERR_SHARE = (
    "The quantitative share must be a number from 0 to 100 (% of the social value marks), "
    "not {value}."
)
ERR_BASIS = "The quantitative basis must be 'value' or 'sv_add', not {value!r}."
ERR_THRESHOLD = "The deliverability threshold must be a whole number from 0 to 5, not {value!r}."
ERR_MENU_MEASURE = "Unknown measure code '{code}' in the menu of {framework}."
ERR_PRICE = "The price of {bidder}'s bid must be an amount of more than £0, not {value}."
ERR_QUANTITY_TYPE = "The quantity for {code} must be a Decimal, not {value!r}."
ERR_QUALITY_SCORE = (
    "The quality score for {code} must be a whole number from 0 to 5, or None for no "
    "response, not {value!r}."
)

# Why a commitment does not count (``Exclusion.reason``).
REASON_BELOW_THRESHOLD = (
    "Quality score {score} is below the deliverability threshold of {threshold}"
)
REASON_NO_RESPONSE = (
    "No qualitative response (scored 0), below the deliverability threshold of {threshold}"
)

# Plausibility flags: warnings for the evaluators, never a change to the score.
FLAG_SV_ADD = "SV Add of {percent}% is over 100% of the bid price"
FLAG_FTE = "{code}: {quantity} FTE would cost more than the {price} contract value"
FLAG_OFF_MENU = "{code} is not on this tender's menu of measures"

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_INFINITY = Decimal("Infinity")
FIVE = Decimal(QUALITY_MAX)

# Products and sums never round here, and trapping Inexact makes any rounding an error.
_EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Inexact, Overflow]
)
# The one division behind each score: sixty significant digits, truncated (see above).
_DIVIDE = Context(
    prec=60,
    rounding=ROUND_DOWN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
# Half-up to pence for totals of at most 100 marks (``to_2dp`` allows any size).
_SHOWN_TOTAL = Context(prec=60, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])

# Quality score → q as counted in the mean; any other key is not a quality score.
_Q_OF: dict[int | None, int] = {None: 0, **{q: q for q in range(QUALITY_MIN, QUALITY_MAX + 1)}}


@dataclass(frozen=True, slots=True)
class ScoringParameters:
    """How a tender scores social value (every figure is per tender)."""

    sv_weighting: Decimal
    quantitative_share: Decimal = DEFAULT_QUANTITATIVE_SHARE
    quant_basis: QuantBasis = DEFAULT_QUANT_BASIS
    deliverability_threshold: int = DEFAULT_DELIVERABILITY_THRESHOLD
    # The measures the tender asks for; None when the whole framework is on the menu.
    menu: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class CommitmentScoreInput:
    """A quantity of one measure with the quality score of its qualitative response.

    ``quality_score`` is the consensus score 0 to 5, or None when there is no qualitative
    response (scored 0).
    """

    measure: str
    quantity: Decimal
    quality_score: int | None = None


@dataclass(frozen=True, slots=True)
class BidInput:
    bidder: str
    price: Decimal
    commitments: Sequence[CommitmentScoreInput]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A commitment that does not count towards the quantitative value, and why."""

    index: int
    measure: str
    quality_score: int | None
    value: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class CommitmentScore:
    """One commitment of a bid as scored: its value, its q and whether it counts."""

    index: int
    measure: str
    quantity: Decimal
    quality_score: int | None
    q: int
    value: Decimal
    counted: bool


@dataclass(frozen=True, slots=True)
class BidScore:
    """The exact scores of one bid. Nothing here is rounded; see ``present``.

    ``rank`` is 1 for the highest total. Bids whose totals are equal when rounded half-up to
    2 decimal places (the figures evaluators see and compare) share a rank, and the next
    rank is skipped: 1, 2, 2, 4. So 7.004 and 7.001, both shown as 7.00, share a rank.

    The per-commitment detail (``lines``, ``excluded``, ``counted_by_theme``) and the
    plausibility ``flags`` are worked out from ``commitments`` each time they are asked for,
    so that scoring and ranking many bids does not pay for an object per commitment.
    """

    index: int
    bidder: str
    price: Decimal
    offered_value: Decimal
    counted_value: Decimal
    sv_add_percent: Decimal
    quantitative_score: Decimal
    qualitative_score: Decimal
    total_score: Decimal
    rank: int
    # The sum of q over all commitments (no response counts as 0).
    quality_sum: int
    commitments: tuple[CommitmentScoreInput, ...] = field(repr=False)
    parameters: ScoringParameters = field(repr=False)
    measures: Mapping[str, MeasureInfo] = field(repr=False, compare=False)

    @property
    def quality_mean(self) -> Decimal | None:
        """The mean q over all commitments (None without commitments), to 60 digits."""
        if not self.commitments:
            return None
        return _DIVIDE.divide(Decimal(self.quality_sum), Decimal(len(self.commitments)))

    @property
    def lines(self) -> list[CommitmentScore]:
        """Every commitment with its exact value, its q and whether it counts, in order."""
        measures = self.measures
        threshold = self.parameters.deliverability_threshold
        lines = []
        with localcontext(_EXACT):
            for index, commitment in enumerate(self.commitments):
                proxy = measures[commitment.measure].proxy_value
                score = commitment.quality_score
                q = _Q_OF[score]
                value = ZERO if proxy is None else commitment.quantity * proxy
                lines.append(
                    CommitmentScore(
                        index,
                        commitment.measure,
                        commitment.quantity,
                        score,
                        q,
                        value,
                        q >= threshold,
                    )
                )
        return lines

    @property
    def excluded(self) -> list[Exclusion]:
        """Commitments below the deliverability threshold, in the order given."""
        measures = self.measures
        reasons = _exclusion_reasons(self.parameters.deliverability_threshold)
        excluded = []
        with localcontext(_EXACT):
            for index, commitment in enumerate(self.commitments):
                score = commitment.quality_score
                reason = reasons.get(score)
                if reason is None:
                    continue
                proxy = measures[commitment.measure].proxy_value
                value = ZERO if proxy is None else commitment.quantity * proxy
                excluded.append(Exclusion(index, commitment.measure, score, value, reason))
        return excluded

    @property
    def counted_by_theme(self) -> tuple[ThemeValue, ...]:
        """The counted value of every theme of the framework, in framework order (0 for a
        theme without counted commitments), so that bids line up side by side."""
        measures = self.measures
        sums = dict.fromkeys(_themes(measures), ZERO)
        with localcontext(_EXACT):
            for line in self.lines:
                if line.counted:
                    sums[measures[line.measure].theme] += line.value
        return tuple(ThemeValue(theme, value) for theme, value in sums.items())

    @property
    def flags(self) -> tuple[str, ...]:
        """Plausibility warnings; they never change a score.

        - SV Add over 100% of the price;
        - a measure counted in FTEs (its unit says "FTE") whose offered FTEs, all its lines
          together, would cost more than the price in a single year at ``FTE_ANNUAL_COST``;
        - a measure that is not on the tender's menu (when the tender has one).

        Measures are named in the framework's order.
        """
        measures, price, menu = self.measures, self.price, self.parameters.menu
        flags = []
        if self.counted_value > price:
            flags.append(FLAG_SV_ADD.format(percent=plain(to_2dp(self.sv_add_percent))))
        ftes: dict[str, Decimal] = {}
        with localcontext(_EXACT):
            for commitment in self.commitments:
                code = commitment.measure
                if FTE_UNIT_MARKER in measures[code].unit:
                    ftes[code] = ftes.get(code, ZERO) + commitment.quantity
        offered = {commitment.measure for commitment in self.commitments}
        for code in measures:
            if code in ftes and ftes[code] * FTE_ANNUAL_COST > price:
                flags.append(
                    FLAG_FTE.format(
                        code=code,
                        quantity=_quantity_text(ftes[code]),
                        price=format_gbp(Decimal(price)),
                    )
                )
        if menu is not None:
            flags.extend(
                FLAG_OFF_MENU.format(code=code)
                for code in measures
                if code in offered and code not in menu
            )
        return tuple(flags)


@dataclass(frozen=True, slots=True)
class ScoringResult:
    """Every bid's scores, in the order the bids were given."""

    parameters: ScoringParameters
    quantitative_marks: Decimal
    qualitative_marks: Decimal
    bids: tuple[BidScore, ...]
    measures: Mapping[str, MeasureInfo] = field(repr=False, compare=False)

    @property
    def ranked(self) -> list[BidScore]:
        """Highest exact total first; bids with equal totals keep the order given."""
        return sorted(self.bids, key=lambda bid: (-bid.total_score, bid.index))

    @property
    def themes(self) -> tuple[str, ...]:
        """The framework's themes in order: the columns of ``BidScore.counted_by_theme``."""
        return _themes(self.measures)


@dataclass(frozen=True, slots=True)
class ScoringProblem:
    """Why a parameter (``bid`` None), a bid (``index`` None) or a commitment was refused."""

    bid: int | None
    index: int | None
    field: str
    kind: str
    code: str
    message: str


class ScoringError(ValueError):
    """The bids cannot be scored; ``problems`` names every offending parameter, bid and line."""

    def __init__(self, problems: list[ScoringProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(_where(p) + p.message for p in problems))


def _where(problem: ScoringProblem) -> str:
    if problem.bid is None:
        return ""
    if problem.index is None:
        return f"Bid {problem.bid}: "
    return f"Bid {problem.bid} line {problem.index}: "


class _Refused(Exception):
    """Leaves the fast loop; the problems are then listed by ``_bid_problems``."""


def quantitative_marks(parameters: ScoringParameters) -> Decimal:
    """Q = W × s / 100: the marks for the quantitative value (exact)."""
    with localcontext(_EXACT):
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
    except (KeyError, TypeError, AttributeError, InvalidOperation, _Refused) as exc:
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
    ranks = _ranks([_SHOWN_TOTAL.quantize(row[8], PENCE) for row in scored])
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
    with localcontext(_EXACT):
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
    q_of = _Q_OF
    zero, infinity = ZERO, _INFINITY
    sums = []
    with localcontext(_EXACT):
        for bid in bids:
            price = bid.price
            if not zero < price < infinity:
                raise _Refused
            commitments = tuple(bid.commitments)
            counted = excluded = zero
            quality_sum = 0
            for commitment in commitments:
                quantity = commitment.quantity
                if quantity < zero:
                    raise _Refused
                value = quantity * proxy_of[commitment.measure]
                q = q_of[commitment.quality_score]
                quality_sum += q
                if q >= threshold:
                    counted += value
                else:
                    excluded += value
            offered = counted + excluded
            if not offered.is_finite():
                raise _Refused
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
    with localcontext(_EXACT):
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
    with localcontext(_DIVIDE):
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


def _exclusion_reasons(threshold: int) -> dict[int | None, str]:
    """Quality score → why a commitment with it is excluded, for every score below ``threshold``."""
    reasons: dict[int | None, str] = {
        score: REASON_BELOW_THRESHOLD.format(score=score, threshold=threshold)
        for score in range(QUALITY_MIN, threshold)
    }
    if threshold > 0:
        reasons[None] = REASON_NO_RESPONSE.format(threshold=threshold)
    return reasons


def _quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros or an exponent: 30.50 → "30.5", 30 → "30"."""
    return plain(Decimal(quantity).normalize(_WIDE)) if quantity else "0"


def _themes(measures: Mapping[str, MeasureInfo]) -> tuple[str, ...]:
    ordered = sorted(measures.values(), key=lambda info: (info.theme_order, info.theme))
    return tuple(dict.fromkeys(info.theme for info in ordered))


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
        return score in _Q_OF
    except TypeError:
        return False


# --- Presenting the scores ------------------------------------------------------------------


def present_bid(bid: BidScore) -> dict[str, Any]:
    """One bid as ``POST /api/v1/score`` sends it: money half-up to pence, scores and
    percentages half-up to 2 decimal places, as strings."""
    return {
        "bidder": bid.bidder,
        "offered_value": plain(to_pence(bid.offered_value)),
        "counted_value": plain(to_pence(bid.counted_value)),
        "sv_add_percent": plain(to_2dp(bid.sv_add_percent)),
        "quantitative_score": plain(to_2dp(bid.quantitative_score)),
        "qualitative_score": plain(to_2dp(bid.qualitative_score)),
        "total_score": plain(to_2dp(bid.total_score)),
        "rank": bid.rank,
        "excluded": [
            {
                "index": exclusion.index,
                "measure": exclusion.measure,
                "quality_score": exclusion.quality_score,
                "value": plain(to_pence(exclusion.value)),
                "reason": exclusion.reason,
            }
            for exclusion in bid.excluded
        ],
        "flags": list(bid.flags),
    }


def present(result: ScoringResult) -> dict[str, Any]:
    """The whole result as ``POST /api/v1/score`` sends it, bids in the order given."""
    return {"bids": [present_bid(bid) for bid in result.bids]}
