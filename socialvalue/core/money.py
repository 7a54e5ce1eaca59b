"""Money and percentage helpers, and the limits of stored decimals: money and scores are exact
Decimals rounded half-up only for display; quantities and amounts keep at most 15 digits."""

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext

PENCE = Decimal("0.01")
HUNDRED = Decimal(100)
# Room for any value a person can type: quantizing a huge number never fails in it.
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# A percentage can have endless decimals (1/3): it is worked out to 28 significant digits
# (the decimal module's default), far more than any display rounds to.
PERCENT_CONTEXT = Context(prec=28, Emax=MAX_EMAX, Emin=MIN_EMIN)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round to ``places`` decimal places, half-up, however large the figure: the one
    rounding for display or transport (money to pence, percentages to 2 or 1 places)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


def round_money(value: Decimal) -> Decimal:
    """Round to pence, half-up, for display or transport."""
    return round_half_up(value, 2)


def round_2dp(value: Decimal) -> Decimal:
    """Round a score or percentage to two decimal places, half-up."""
    return round_half_up(value, 2)


def percent(part: Decimal, whole: Decimal, *, context: Context = PERCENT_CONTEXT) -> Decimal | None:
    """``part / whole × 100``, unrounded for display (28 significant digits, or as many as
    ``context`` gives); ``None`` when there is no whole to divide by."""
    if not whole:
        return None
    with localcontext(context):
        return part * HUNDRED / whole


def plain(value: Decimal) -> str:
    """Fixed-point text without an exponent: Decimal("1E+5") → "100000"."""
    return f"{value:f}"


def money_text(value: Decimal) -> str:
    """An amount as plain text in pence, half-up: "1234.57" (the API's money)."""
    return plain(round_money(value))


def exact_money_text(value: Decimal) -> str:
    """An amount as plain text in pence when that is exact ("31285.00"), else with every
    digit it has ("0.1234"): proxy values can be finer than a penny."""
    pence = round_money(value)
    if pence == value:
        return plain(pence)
    return plain(value.normalize(_WIDE))


def percent_text(value: Decimal | None, places: int = 2) -> str | None:
    """A percentage as plain text to ``places`` decimal places, half-up: "12.35"; ``None``
    for no percentage."""
    return None if value is None else plain(round_half_up(value, places))


def format_gbp(value: Decimal | None) -> str:
    """£1,234.57 (half-up to pence), or an em dash for no value."""
    if value is None:
        return "—"
    rounded = round_money(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


def format_gbp_exact(value: Decimal) -> str:
    """£1,234.57 when the amount is whole pence, else with every digit it has: £0.1234."""
    if value == round_money(value):
        return format_gbp(value)
    return f"£{value.normalize(_WIDE):,f}"


def format_percent(value: Decimal | None, places: int = 2, *, missing: str = "—") -> str:
    """12.35% (half-up, with thousands separators), or ``missing`` for no percentage."""
    if value is None:
        return missing
    return f"{round_half_up(value, places):,.{places}f}%"


# --- What a stored decimal may hold -----------------------------------------------------------
#
# SQLite keeps a decimal that is not a whole number as an 8-byte float, exact to 15
# significant digits (Django reads it back through a 15-digit context), and a whole number
# as a 64-bit integer; PostgreSQL's numeric is exact at any size. So every quantity and
# amount we store has at most 15 digits in all, and comes back from either database with
# every digit it went in with. Each limit below is the one place its digits are decided:
# model fields, forms, the API and the imports all take them, and their messages, from here.

SQLITE_EXACT_DIGITS = 15

ERR_TOO_LARGE = "{label} must be {largest} or less"
ERR_TOO_PRECISE = "{label} must have at most {places} decimal places"
ERR_PENCE = "{label} must be in pounds and pence, with at most 2 decimal places"
ERR_TOO_LARGE_OR_PRECISE = "{limit}, with at most {places} decimal places"


@dataclass(frozen=True)
class DecimalLimit:
    """At most ``digits`` digits, ``places`` of them after the point: the largest value is
    all nines (15 digits and 6 places: 999,999,999.999999). ``pounds`` shows limits as £."""

    digits: int
    places: int
    pounds: bool = False

    @property
    def step(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    @property
    def largest(self) -> Decimal:
        return Decimal(10**self.digits - 1).scaleb(-self.places)

    @property
    def below(self) -> Decimal:
        """The first value too large: 10 to the power of the digits before the point."""
        return Decimal(10) ** (self.digits - self.places)

    def show(self, value: Decimal) -> str:
        sign = "-" if value < 0 else ""
        return f"{sign}{'£' if self.pounds else ''}{abs(value):,.{self.places}f}"

    def too_large(self, label: str) -> str:
        """The message for a value beyond the limit, naming it."""
        return ERR_TOO_LARGE.format(label=label, largest=self.show(self.largest))

    def too_precise(self, label: str) -> str:
        if self.pounds and self.places == 2:
            return ERR_PENCE.format(label=label)
        return ERR_TOO_PRECISE.format(label=label, places=self.places)

    def problem(self, value: Decimal, label: str) -> str | None:
        """Why ``value`` cannot be stored (too large, or too many decimal places), or None.

        Only the size is checked, of negative values too: whether a negative or zero value
        makes sense is the field's own rule. Infinity is too large; NaN is not a number,
        which is the caller's to say.
        """
        if value.is_nan():
            return None
        if value.is_infinite() or value.copy_abs() > self.largest:
            return self.too_large(label)
        exponent = value.as_tuple().exponent
        too_many_places = isinstance(exponent, int) and exponent < -self.places
        if too_many_places and value != value.quantize(self.step, context=_WIDE):
            return self.too_precise(label)
        return None

    def error_messages(self, label: str) -> dict[str, str]:
        """Messages for Django's own digit checks (``DecimalValidator``, form and model
        ``DecimalField``), so that they name the limit too."""
        too_large = self.too_large(label)
        return {
            "max_digits": ERR_TOO_LARGE_OR_PRECISE.format(limit=too_large, places=self.places),
            "max_whole_digits": too_large,
            "max_decimal_places": self.too_precise(label),
        }


# A quantity of a measure's unit (hours, people, £ spent, tonnes): up to 999,999,999.999999.
QUANTITY = DecimalLimit(digits=15, places=6)
# An amount of money in pounds and pence: up to £999,999,999,999.99.
MONEY = DecimalLimit(digits=14, places=2, pounds=True)
# A proxy value, £ of social value per unit: up to £99,999,999,999.9999.
PROXY = DecimalLimit(digits=15, places=4, pounds=True)
# A KPI target (£, a percentage or a count): up to 999,999,999,999.99.
KPI_TARGET = DecimalLimit(digits=14, places=2)
# A case study's outcome figure ("Apprentices recruited: 6", "Volunteering: 1,240.5 hours").
FIGURE = DecimalLimit(digits=14, places=2)
