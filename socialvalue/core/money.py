"""Money and percentage helpers, and the limits of stored decimals: money and scores are exact
Decimals rounded half-up only for display; quantities and amounts keep at most 15 digits."""

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

PENCE = Decimal("0.01")
HUNDRED = Decimal(100)
# Room for any value a person can type: quantizing a huge number never fails in it.
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def round_money(value: Decimal) -> Decimal:
    """Round to pence, half-up, for display or transport."""
    return value.quantize(PENCE, rounding=ROUND_HALF_UP)


def round_2dp(value: Decimal) -> Decimal:
    """Round a score or percentage to two decimal places, half-up."""
    return value.quantize(PENCE, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Exact ``part / whole × 100``; ``None`` when there is no whole to divide by."""
    if not whole:
        return None
    return part * HUNDRED / whole


def format_gbp(value: Decimal | None) -> str:
    """£1,234.57 (half-up to pence), or an em dash for no value."""
    if value is None:
        return "—"
    rounded = round_money(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


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
