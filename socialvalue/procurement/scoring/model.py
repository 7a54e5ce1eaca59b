"""The scoring engine's vocabulary: the methodology's defaults and limits, its messages, and
the plain values it takes (parameters, bids, commitments) and gives (scores, exclusions,
problems). ``engine.py`` does the scoring.
"""

from collections.abc import Mapping, Sequence
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
from typing import Literal

from socialvalue.core.money import format_gbp, plain, round_2dp
from socialvalue.framework.calculator import (
    MeasureInfo,
    ThemeValue,
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
INFINITY = Decimal("Infinity")
FIVE = Decimal(QUALITY_MAX)

# Products and sums never round here, and trapping Inexact makes any rounding an error.
EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Inexact, Overflow]
)
# The one division behind each score: sixty significant digits, truncated (see above).
DIVIDE = Context(
    prec=60,
    rounding=ROUND_DOWN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
# Half-up to pence for totals of at most 100 marks (``round_2dp`` allows any size).
SHOWN_TOTAL = Context(prec=60, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])

# Quality score → q as counted in the mean; any other key is not a quality score.
Q_OF: dict[int | None, int] = {None: 0, **{q: q for q in range(QUALITY_MIN, QUALITY_MAX + 1)}}


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
        return DIVIDE.divide(Decimal(self.quality_sum), Decimal(len(self.commitments)))

    @property
    def lines(self) -> list[CommitmentScore]:
        """Every commitment with its exact value, its q and whether it counts, in order."""
        measures = self.measures
        threshold = self.parameters.deliverability_threshold
        lines = []
        with localcontext(EXACT):
            for index, commitment in enumerate(self.commitments):
                proxy = measures[commitment.measure].proxy_value
                score = commitment.quality_score
                q = Q_OF[score]
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
        reasons = exclusion_reasons(self.parameters.deliverability_threshold)
        excluded = []
        with localcontext(EXACT):
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
        sums = dict.fromkeys(themes(measures), ZERO)
        with localcontext(EXACT):
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
            flags.append(FLAG_SV_ADD.format(percent=plain(round_2dp(self.sv_add_percent))))
        ftes: dict[str, Decimal] = {}
        with localcontext(EXACT):
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
                        quantity=quantity_text(ftes[code]),
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
        return themes(self.measures)


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
        super().__init__("; ".join(where(p) + p.message for p in problems))


def where(problem: ScoringProblem) -> str:
    if problem.bid is None:
        return ""
    if problem.index is None:
        return f"Bid {problem.bid}: "
    return f"Bid {problem.bid} line {problem.index}: "


class Refused(Exception):
    """Leaves the fast loop; the problems are then listed by ``_bid_problems``."""


def themes(measures: Mapping[str, MeasureInfo]) -> tuple[str, ...]:
    ordered = sorted(measures.values(), key=lambda info: (info.theme_order, info.theme))
    return tuple(dict.fromkeys(info.theme for info in ordered))


def exclusion_reasons(threshold: int) -> dict[int | None, str]:
    """Quality score → why a commitment with it is excluded, for every score below ``threshold``."""
    reasons: dict[int | None, str] = {
        score: REASON_BELOW_THRESHOLD.format(score=score, threshold=threshold)
        for score in range(QUALITY_MIN, threshold)
    }
    if threshold > 0:
        reasons[None] = REASON_NO_RESPONSE.format(threshold=threshold)
    return reasons


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros or an exponent: 30.50 → "30.5", 30 → "30"."""
    return plain(Decimal(quantity).normalize(WIDE)) if quantity else "0"
