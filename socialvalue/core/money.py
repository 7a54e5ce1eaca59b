"""Money and percentage helpers. Values stay exact ``Decimal`` until they are shown."""

from decimal import ROUND_HALF_UP, Decimal

PENCE = Decimal("0.01")
HUNDRED = Decimal(100)


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
