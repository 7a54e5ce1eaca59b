"""Needs against delivery: where verified social value was delivered, beside where the
deprivation is.

For the buying organisations shown and a range of financial quarters, each of the 14
Lancashire districts (and "Outside Lancashire") has:

- **Delivered** (£): the verified return lines of the quarters reported in the district,
  valued at their contracts' proxies (``kpis.delivered_by(scope, "district")``, the
  dashboard's delivered by district), and its **share of delivered** (÷ the total × 100).
- **High to severe** %: the share of the district's LSOAs in national deciles 1 to 3 of the
  chosen IoD2019 domain (``needs.deprivation``; the index of multiple deprivation by
  default), as the local-needs pages show it.
- **Share of Lancashire's high to severe LSOAs** %: the district's LSOAs in deciles 1 to 3
  ÷ all such LSOAs in the 14 districts × 100. It is on the same footing as the share of
  delivered, so the two can be compared directly: a district whose share of delivered is
  below its share of need is receiving less than its share.

The map shades each district by the value delivered there, in ``BANDS`` equal steps of a
round amount up to the largest district's delivery (band 0 is nothing delivered).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from socialvalue.core.geography import LANCASHIRE_DISTRICT_CODES, District
from socialvalue.core.money import format_gbp, percent
from socialvalue.insights import kpis
from socialvalue.needs.deprivation import high_to_severe_percent
from socialvalue.needs.selectors import SummaryRow, district_rows

ZERO = Decimal(0)
BANDS = 5
#: Band 0 (nothing delivered) then bands 1 to 5, lightest to darkest; each is at least
#: 3:1 against the next so the steps can be told apart.
BAND_COLOURS = ["#f3f2f1", "#c6dbef", "#85bcdb", "#4292c6", "#1d5fa8", "#08306b"]
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))

SORTS = {
    "district": "District",
    "delivered": "Delivered",
    "need": "High to severe",
    "need_share": "Share of Lancashire's high to severe LSOAs",
}
DEFAULT_SORT = "delivered"


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    delivered: Decimal
    delivered_share: Decimal | None
    lsoa_count: int | None  # None: no local-needs figures (outside Lancashire, or not loaded)
    high_count: int | None
    need_share: Decimal | None
    band: int

    @property
    def high_percent(self) -> Decimal | None:
        if self.lsoa_count is None or self.high_count is None:
            return None
        return high_to_severe_percent(self.high_count, self.lsoa_count)

    @property
    def is_outside(self) -> bool:
        return self.code == District.OUTSIDE.value

    @property
    def gap(self) -> Decimal | None:
        """Share of delivered − share of need, in percentage points."""
        if self.delivered_share is None or self.need_share is None:
            return None
        return self.delivered_share - self.need_share


@dataclass(frozen=True)
class Band:
    number: int
    colour: str
    label: str


@dataclass
class NeedsDelivery:
    scope: kpis.Scope
    domain: str
    districts: list[DistrictRow]  # the 14, in the order asked for
    outside: DistrictRow
    bands: list[Band]
    has_needs_data: bool

    @property
    def rows(self) -> list[DistrictRow]:
        return [*self.districts, self.outside]

    @property
    def delivered_total(self) -> Decimal:
        return sum((r.delivered for r in self.rows), ZERO)

    @property
    def high_total(self) -> int:
        return sum(r.high_count or 0 for r in self.districts)

    @property
    def lsoa_total(self) -> int:
        return sum(r.lsoa_count or 0 for r in self.districts)

    @property
    def high_percent(self) -> Decimal | None:
        return high_to_severe_percent(self.high_total, self.lsoa_total)


def band_step(largest: Decimal, bands: int = BANDS) -> Decimal:
    """A round amount (1, 2, 2.5 or 5 × a power of ten) that ``bands`` steps of reach
    ``largest``: £153,855 in 5 bands → £50,000."""
    if largest <= 0:
        return Decimal(1)
    rough = largest / bands
    power = Decimal(10) ** (rough.adjusted())
    for step in NICE_STEPS:
        if step * power >= rough:
            return step * power
    return NICE_STEPS[-1] * power  # pragma: no cover - the loop always returns


def band_for(value: Decimal, step: Decimal, bands: int = BANDS) -> int:
    """0 for nothing delivered, else 1 to ``bands``: band n holds (step × (n−1), step × n]."""
    if value <= 0:
        return 0
    n = int((value / step).to_integral_value(rounding=ROUND_CEILING))
    return max(1, min(bands, n))


def _whole_pounds(value: Decimal) -> str:
    return format_gbp(value).removesuffix(".00")


def legend(step: Decimal, bands: int = BANDS) -> list[Band]:
    rows = [Band(0, BAND_COLOURS[0], "Nothing delivered")]
    for n in range(1, bands + 1):
        low, high = step * (n - 1), step * n
        text = (
            f"Up to {_whole_pounds(high)}"
            if n == 1
            else f"Over {_whole_pounds(low)} to {_whole_pounds(high)}"
        )
        rows.append(Band(n, BAND_COLOURS[n], text))
    return rows


SORT_VALUES: dict[str, Callable[[DistrictRow], Any]] = {
    "district": lambda r: r.name,
    "delivered": lambda r: r.delivered,
    "need": lambda r: r.high_percent,
    "need_share": lambda r: r.need_share,
}


def sort_rows(rows: list[DistrictRow], sort: str, descending: bool) -> list[DistrictRow]:
    """The districts by ``sort`` (equal figures by name); those with no figure go last."""
    value = SORT_VALUES[sort]
    known = sorted((r for r in rows if value(r) is not None), key=lambda r: r.name)
    known.sort(key=value, reverse=descending)
    return known + sorted((r for r in rows if value(r) is None), key=lambda r: r.name)


def needs_delivery(
    scope: kpis.Scope, domain: str, sort: str = DEFAULT_SORT, descending: bool = True
) -> NeedsDelivery:
    """Delivered by district beside high to severe deprivation in ``domain``."""
    delivered = kpis.delivered_by(scope, "district")
    total = sum(delivered.values(), ZERO)
    needs: dict[str, SummaryRow] = {row.code: row for row in district_rows(domain)}
    high_total = sum(row.high_to_severe_count for row in needs.values())
    step = band_step(
        max((v for k, v in delivered.items() if k in LANCASHIRE_DISTRICT_CODES), default=ZERO)
    )

    def row(district: District) -> DistrictRow:
        value = delivered.get(district.value, ZERO)
        need = needs.get(district.value)
        if need is not None and not need.lsoa_count:
            need = None  # the district has no figures for this domain
        return DistrictRow(
            code=district.value,
            name=district.label,
            delivered=value,
            delivered_share=percent(value, total),
            lsoa_count=need.lsoa_count if need else None,
            high_count=need.high_to_severe_count if need else None,
            need_share=percent(Decimal(need.high_to_severe_count), Decimal(high_total))
            if need
            else None,
            band=band_for(value, step),
        )

    districts = [row(d) for d in District if d != District.OUTSIDE]
    return NeedsDelivery(
        scope=scope,
        domain=domain,
        districts=sort_rows(districts, sort, descending),
        outside=row(District.OUTSIDE),
        bands=legend(step),
        has_needs_data=bool(needs),
    )
