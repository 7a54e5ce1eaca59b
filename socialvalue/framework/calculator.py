"""The social value calculator: the £ value of a set of commitments against a framework version.

Implements the "Social value calculator" of the Social Value Strategy 2024-28 (issue point 8)
and the value rule of the evaluation methodology: each commitment is worth quantity × proxy
value, and a measure without a proxy value is listed but worth £0.

Everything here is a plain function on plain values, shared by the public calculator page,
``POST /api/v1/calculate`` and anything else that needs a total. Arithmetic is exact: line
values, theme sums and the total are never rounded; callers round once, half-up, when they
show or send a figure. The only database read is ``measure_infos_for_version``.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import TYPE_CHECKING

from socialvalue.core.money import (
    MONEY,
    QUANTITY,
    DecimalLimit,
    percent,
)

if TYPE_CHECKING:
    from socialvalue.framework.models import FrameworkVersion

ZERO = Decimal(0)

MAX_COMMITMENTS = 10_000
# The calculator and the scoring API store nothing, so they take figures beyond what a bid
# or a return can hold (``core.money``): 15 digits before the point, 6 (quantities) or 2
# (money) after it. They still have a limit, so that nobody can make them work for ever.
CALCULATOR_QUANTITY = DecimalLimit(digits=21, places=6)
CALCULATOR_MONEY = DecimalLimit(digits=17, places=2, pounds=True)

# Multiplication and addition never round in this context (the precision is the largest the
# decimal module allows), and trapping Inexact makes any rounding an error rather than a
# silently wrong total.
_EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Inexact, Overflow]
)
# Rounding for display is meant to be inexact; it only needs room for the largest figures.
_ROUNDING = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])
# A percentage can have endless decimals (1/3). Sixty significant digits, truncated, keep
# the later half-up rounding to 2 dp exactly right: truncation never crosses a .xx5 boundary.
_PERCENT = Context(
    prec=60,
    rounding=ROUND_DOWN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

# Why a quantity or an amount was refused (``AmountError.kind``, ``LineProblem.kind``).
NOT_A_NUMBER = "not_a_number"
NOT_FINITE = "not_finite"
NEGATIVE = "negative"
NOT_POSITIVE = "not_positive"
TOO_LARGE = "too_large"
TOO_PRECISE = "too_precise"
UNKNOWN_MEASURE = "unknown_measure"

ERR_UNKNOWN_MEASURE = "Unknown measure code '{code}' in {framework}."
ERR_NEGATIVE_QUANTITY = "The quantity for {code} must be 0 or more, not {quantity}."
ERR_NOT_FINITE_QUANTITY = "The quantity for {code} must be a finite number, not {quantity}."
ERR_CONTRACT_VALUE = "The contract value must be a finite amount of £0 or more, not {value}."

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    """What the calculator needs to know about one measure of a framework version."""

    code: str
    description: str
    unit: str
    proxy_value: Decimal | None
    theme: str
    theme_order: int
    order: int

    @property
    def is_monetised(self) -> bool:
        return self.proxy_value is not None


@dataclass(frozen=True, slots=True)
class CommitmentInput:
    """A quantity of one measure, e.g. 2.5 FTE of NT1."""

    measure: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class LineResult:
    """One commitment with its exact value (0 when the measure has no proxy value)."""

    index: int
    measure: MeasureInfo
    quantity: Decimal
    value: Decimal

    @property
    def code(self) -> str:
        return self.measure.code

    @property
    def proxy_value(self) -> Decimal | None:
        return self.measure.proxy_value


@dataclass(frozen=True, slots=True)
class ThemeValue:
    theme: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class Calculation:
    """The exact result of ``calculate``.

    ``values_by_measure`` holds the exact value of every line, grouped by measure code in
    the order given. ``values``, ``lines`` and ``unmonetised`` put them back in line order
    when asked for, so that working out a total does not pay for an object per line.
    """

    commitments: tuple[CommitmentInput, ...]
    values_by_measure: Mapping[str, Sequence[Decimal]]
    total_value: Decimal
    by_theme: tuple[ThemeValue, ...]
    contract_value: Decimal | None
    sv_add_percent: Decimal | None
    measures: Mapping[str, MeasureInfo] = field(repr=False, compare=False)

    @property
    def values(self) -> list[Decimal]:
        """The exact value of each line, in the order the commitments were given."""
        pending = {code: iter(values) for code, values in self.values_by_measure.items()}
        return [next(pending[commitment.measure]) for commitment in self.commitments]

    @property
    def lines(self) -> list[LineResult]:
        measures = self.measures
        return [
            LineResult(index, measures[commitment.measure], commitment.quantity, value)
            for index, (commitment, value) in enumerate(
                zip(self.commitments, self.values, strict=True)
            )
        ]

    @property
    def unmonetised(self) -> list[LineResult]:
        """Commitments to measures without a proxy value: counted, listed, worth £0."""
        measures = self.measures
        if all(measures[code].proxy_value is not None for code in self.values_by_measure):
            return []
        return [line for line in self.lines if line.measure.proxy_value is None]


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Why one commitment (``index`` from 0, or None for the contract value) was refused."""

    index: int | None
    field: str
    kind: str
    code: str
    message: str


class CalculationError(ValueError):
    """The commitments cannot be valued; ``problems`` names every offending line."""

    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = problems
        super().__init__(
            "; ".join(
                p.message if p.index is None else f"Line {p.index}: {p.message}" for p in problems
            )
        )


class _Refused(Exception):
    """Leaves the fast loop; the problems are then listed by ``_line_problems``."""


def calculate(
    *,
    measures: Mapping[str, MeasureInfo],
    commitments: Sequence[CommitmentInput],
    contract_value: Decimal | None,
    framework: str = "the framework",
) -> Calculation:
    """Value ``commitments`` against ``measures`` (code → measure) exactly.

    - each line is worth quantity × proxy value, or 0 when the measure has no proxy value;
    - ``by_theme`` sums the lines of each theme that has at least one line, in the
      framework's theme order; the total is the sum of all lines;
    - SV Add % is total / contract value × 100, or None without a (non-zero) contract value.

    Raises ``CalculationError`` listing every line with an unknown measure code (named in
    ``framework``) or a negative or non-finite quantity. Zero quantities are allowed.
    """
    # Each measure collects the values of its lines in a list, summed once at the end: per
    # line that is one multiplication and one append, so 10,000 lines cost little more than
    # a bare loop over them.
    collected: dict[str, list[Decimal]] = {}
    entries: dict[str, tuple[Decimal, Callable[[Decimal], None]]] = {}
    for code, info in measures.items():
        proxy = ZERO if info.proxy_value is None else info.proxy_value
        entries[code] = (proxy, collected.setdefault(code, []).append)
    zero = ZERO
    try:
        with localcontext(_EXACT):
            for commitment in commitments:
                quantity = commitment.quantity
                if quantity < zero:
                    raise _Refused
                proxy, collect = entries[commitment.measure]
                collect(quantity * proxy)
            theme_sums: dict[str, Decimal] = {}
            for code, values in collected.items():
                if values:
                    theme = measures[code].theme
                    theme_sums[theme] = theme_sums.get(theme, ZERO) + sum(values, ZERO)
            total = sum(theme_sums.values(), ZERO)
    except (KeyError, _Refused, InvalidOperation):
        # NaN quantities fail the comparison and ∞ × 0 is invalid; both end up here.
        raise CalculationError(_line_problems(measures, commitments, framework)) from None
    if not total.is_finite():
        raise CalculationError(_line_problems(measures, commitments, framework))

    theme_rank = {info.theme: (info.theme_order, info.theme) for info in measures.values()}
    by_theme = tuple(
        ThemeValue(theme, theme_sums[theme])
        for theme in sorted(theme_sums, key=theme_rank.__getitem__)
    )
    return Calculation(
        commitments=tuple(commitments),
        values_by_measure={code: values for code, values in collected.items() if values},
        total_value=total,
        by_theme=by_theme,
        contract_value=contract_value,
        sv_add_percent=_sv_add_percent(total, contract_value),
        measures=measures,
    )


def _sv_add_percent(total: Decimal, contract_value: Decimal | None) -> Decimal | None:
    if contract_value is None:
        return None
    if not contract_value.is_finite() or contract_value < ZERO:
        raise CalculationError(
            [
                LineProblem(
                    index=None,
                    field="contract_value",
                    kind=NOT_POSITIVE,
                    code="",
                    message=ERR_CONTRACT_VALUE.format(value=contract_value),
                )
            ]
        )
    if contract_value == ZERO:
        return None
    return percent(total, contract_value, context=_PERCENT)


def _line_problems(
    measures: Mapping[str, MeasureInfo], commitments: Sequence[CommitmentInput], framework: str
) -> list[LineProblem]:
    problems: list[LineProblem] = []
    for index, commitment in enumerate(commitments):
        code, quantity = commitment.measure, commitment.quantity
        if code not in measures:
            problems.append(
                LineProblem(
                    index=index,
                    field="measure",
                    kind=UNKNOWN_MEASURE,
                    code=code,
                    message=ERR_UNKNOWN_MEASURE.format(code=code, framework=framework),
                )
            )
        if not quantity.is_finite():
            problems.append(
                LineProblem(
                    index=index,
                    field="quantity",
                    kind=NOT_FINITE,
                    code=code,
                    message=ERR_NOT_FINITE_QUANTITY.format(code=code, quantity=quantity),
                )
            )
        elif quantity < ZERO:
            problems.append(
                LineProblem(
                    index=index,
                    field="quantity",
                    kind=NEGATIVE,
                    code=code,
                    message=ERR_NEGATIVE_QUANTITY.format(code=code, quantity=quantity),
                )
            )
    return problems


# --- Reading quantities and amounts typed by people or sent as JSON -------------------------


class AmountError(ValueError):
    """A quantity or an amount was refused; ``kind`` says why (one of the kinds above)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


def parse_amount(raw: object, *, below: Decimal, step: Decimal, allow_zero: bool = True) -> Decimal:
    """Read a non-negative decimal from text, an int, a float or a Decimal.

    Text must be a plain number ("2.5", "1e3"); floats are read through their shortest
    text so that 0.1 stays exactly 0.1. The value must be less than ``below`` and a whole
    multiple of ``step`` (so 2.50 passes a step of 0.1). Raises ``AmountError``.
    """
    value: Decimal
    if isinstance(raw, str):
        text = raw.strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            try:
                special = Decimal(text)
            except (InvalidOperation, ValueError):
                raise AmountError(NOT_A_NUMBER) from None
            raise AmountError(NOT_A_NUMBER if special.is_finite() else NOT_FINITE)
        try:
            value = Decimal(text)
        except InvalidOperation:
            # Only an exponent too large for any Decimal gets here.
            raise AmountError(TOO_LARGE) from None
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, bool):
        raise AmountError(NOT_A_NUMBER)
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        raise AmountError(NOT_A_NUMBER)
    if not value.is_finite():
        raise AmountError(NOT_FINITE)
    if value <= ZERO:
        if value < ZERO or not allow_zero:
            raise AmountError(NEGATIVE if allow_zero else NOT_POSITIVE)
        return ZERO
    if value >= below:
        raise AmountError(TOO_LARGE)
    if value.quantize(step, context=_ROUNDING) != value:
        raise AmountError(TOO_PRECISE)
    return value


def parse_quantity(raw: object, limit: DecimalLimit = QUANTITY) -> Decimal:
    """A quantity: 0 or more, within ``limit`` (by default what a bid or a return holds)."""
    return parse_amount(raw, below=limit.below, step=limit.step)


def parse_contract_value(raw: object, limit: DecimalLimit = MONEY) -> Decimal:
    """An amount in £ (a contract value, a bid price): more than 0, in pence, within
    ``limit`` (by default what a contract or a bid holds)."""
    return parse_amount(raw, below=limit.below, step=limit.step, allow_zero=False)


# --- Reading the framework ----------------------------------------------------------------


def measure_infos_for_version(version: "FrameworkVersion") -> dict[str, MeasureInfo]:
    """Code → ``MeasureInfo`` for every measure of ``version``, in framework order (one query)."""
    from socialvalue.framework.models import Measure

    rows = (
        Measure.objects.filter(version=version)
        .order_by("theme__order", "order")
        .values_list(
            "code", "description", "unit", "proxy_value", "theme__name", "theme__order", "order"
        )
    )
    return {row[0]: MeasureInfo(*row) for row in rows}
