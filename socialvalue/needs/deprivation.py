"""The "high to severe" rule of the council's needs analysis, as plain functions.

An LSOA is in high to severe deprivation for a domain when it is in national deciles 1 to 3
of that domain: among the most deprived 30% of the 32,844 LSOAs in England. An area's
figure is the share of its LSOAs that are, counted by LSOA and not weighted by population.
This is the only definition that reproduces the strategy's figures (Burnley employment
68.3%, Hyndburn 65.4%, Preston outdoor living environment 50.0%, North West 20.4%).
"""

from decimal import Decimal

from socialvalue.core.money import percent, percent_text

HIGH_TO_SEVERE_MAX_DECILE = 3
ENGLAND_LSOA_COUNT = 32_844
DECILES = range(1, 11)

HIGH_TO_SEVERE_EXPLAINED = (
    "An area is in high to severe deprivation when it is among the most deprived 30% of "
    "neighbourhoods in England (national deciles 1 to 3). A district's figure is the share of "
    "its neighbourhoods (LSOAs) that are, counted by neighbourhood, not by population."
)


def is_high_to_severe(decile: int) -> bool:
    return 1 <= decile <= HIGH_TO_SEVERE_MAX_DECILE


def high_to_severe_percent(count: int, lsoa_count: int) -> Decimal | None:
    """Exact ``count / lsoa_count × 100``; ``None`` for an area with no LSOAs."""
    if lsoa_count <= 0:
        return None
    return percent(Decimal(count), Decimal(lsoa_count))


def percent_1dp(value: Decimal | None) -> str:
    """A percentage to one decimal place, half-up, as text: 68.333… → "68.3"; None → ""."""
    return percent_text(value, places=1) or ""


def decile_for_rank(rank: int, total: int = ENGLAND_LSOA_COUNT) -> int:
    """The national decile of a rank (1 = most deprived): ``ceil(rank × 10 / total)``."""
    if not 1 <= rank <= total:
        raise ValueError(f"A rank must be between 1 and {total}.")
    return -(-rank * 10 // total)


def share_band(percent: Decimal | None) -> int | None:
    """The colour band of a share, 1 (90% or more) to 10 (under 10%), matching the decile
    palette so that darker always means more deprived."""
    if percent is None:
        return None
    return max(1, min(10, 10 - int(percent // 10)))
