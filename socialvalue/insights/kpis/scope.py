"""Scopes, the lines and targets they reach, and exact sums of their values.

Part of ``socialvalue.insights.kpis`` (its docstring defines every figure)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, F, Max, QuerySet, Sum
from django.db.models.functions import Cast, Round

from socialvalue.contracts.models import Contract, ReturnLine, Target
from socialvalue.core.quarters import Quarter, quarters_between
from socialvalue.framework.models import Measure

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
ZERO = Decimal(0)
MILLIONTH = Decimal("0.000001")
LOCAL_CODE, MSME_CODE, VCSE_CODE = "NT18", "NT19", "NT14"
CASE_STUDIES_PER_QUARTER = 1


@dataclass(frozen=True)
class Scope:
    organisation_ids: frozenset[int]
    first: Quarter
    last: Quarter
    directorate_id: int | None = None
    category: str = ""
    supplier_id: int | None = None
    district: str = ""
    theme_slug: str = ""

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        return self.last.end

    @property
    def quarters(self) -> list[Quarter]:
        return list(quarters_between(self.start, self.end))

    def with_quarters(self, first: Quarter, last: Quarter) -> "Scope":
        return Scope(
            self.organisation_ids,
            first,
            last,
            self.directorate_id,
            self.category,
            self.supplier_id,
            self.district,
            self.theme_slug,
        )


def exact_sum(field_name: str) -> Any:
    """An aggregate summing a 6-decimal-place quantity exactly on either database."""
    if connection.vendor == "sqlite":
        return Sum(
            Cast(Round(F(field_name) * 1_000_000), BigIntegerField()),
            output_field=BigIntegerField(),
        )
    return Sum(field_name)


def from_sum(raw: Any) -> Decimal:
    if raw is None:
        return ZERO
    if connection.vendor == "sqlite":
        return Decimal(int(raw)) * MILLIONTH
    return Decimal(raw)


def _proxies(measure_ids: Iterable[int]) -> dict[int, Decimal | None]:
    return dict(Measure.objects.filter(pk__in=set(measure_ids)).values_list("pk", "proxy_value"))


PROXY_PLACES = 4  # a proxy value has at most 4 decimal places, a quantity at most 6
# A proxy in ten-thousandths, as base-1000 limbs for 64-bit sums on SQLite.
LIMB = 1000


def _limbs() -> int:
    """How many limbs the largest proxy value needs, and one more: SQLite may read the
    largest back a little under its true value."""
    largest = Measure.objects.aggregate(largest=Max("proxy_value"))["largest"] or 0
    units, count = int(largest * 10**PROXY_PLACES), 1
    while units >= LIMB**count:
        count += 1
    return count + 1


def _proxy_units(measure_ids: Iterable[int]) -> dict[int, int | None]:
    """Each measure's proxy value in ten-thousandths of a pound (None when not monetised)."""
    with localcontext(_EXACT):
        return {
            pk: None if proxy is None else int(proxy.scaleb(PROXY_PLACES))
            for pk, proxy in _proxies(measure_ids).items()
        }


# Where each breakdown dimension lives, from a return line / a target.
LINE_DIMENSIONS = {
    "theme": "measure__theme__slug",
    "organisation": "contract__organisation_id",
    "directorate": "contract__directorate_id",
    "category": "contract__category",
    "supplier": "contract__supplier_id",
    "district": "district",
    "quarter": "return_record__period_id",
    "measure": "measure__code",
}
TARGET_DIMENSIONS = {
    "theme": "measure__theme__slug",
    "organisation": "contract__organisation_id",
    "directorate": "contract__directorate_id",
    "category": "contract__category",
    "supplier": "contract__supplier_id",
    "measure": "measure__code",
}
DIMENSION_LABELS = {
    "theme": "Theme",
    "organisation": "Organisation",
    "directorate": "Directorate",
    "category": "Category",
    "supplier": "Supplier",
    "district": "District",
    "quarter": "Quarter",
    "measure": "Measure",
}


def contracts_in_scope(scope: Scope) -> QuerySet[Contract]:
    qs = Contract.objects.filter(organisation_id__in=scope.organisation_ids)
    if scope.directorate_id:
        qs = qs.filter(directorate_id=scope.directorate_id)
    if scope.category:
        qs = qs.filter(category=scope.category)
    if scope.supplier_id:
        qs = qs.filter(supplier_id=scope.supplier_id)
    return qs


def verified_lines(scope: Scope) -> QuerySet[ReturnLine]:
    qs = ReturnLine.objects.filter(
        status=ReturnLine.Status.VERIFIED,
        contract__organisation_id__in=scope.organisation_ids,
        return_record__period__start_date__gte=scope.start,
        return_record__period__end_date__lte=scope.end,
    )
    if scope.directorate_id:
        qs = qs.filter(contract__directorate_id=scope.directorate_id)
    if scope.category:
        qs = qs.filter(contract__category=scope.category)
    if scope.supplier_id:
        qs = qs.filter(contract__supplier_id=scope.supplier_id)
    if scope.district:
        qs = qs.filter(district=scope.district)
    if scope.theme_slug:
        qs = qs.filter(measure__theme__slug=scope.theme_slug)
    return qs


def committed_targets(scope: Scope) -> QuerySet[Target]:
    qs = Target.objects.filter(
        contract__in=contracts_in_scope(scope),
        contract__start_date__gte=scope.start,
        contract__start_date__lte=scope.end,
    )
    if scope.theme_slug:
        qs = qs.filter(measure__theme__slug=scope.theme_slug)
    return qs


def _micro(raw: Any) -> int:
    """A database sum of quantities (``exact_sum``) in whole millionths."""
    if connection.vendor == "sqlite":
        return int(raw)
    with localcontext(_EXACT):
        return int(Decimal(raw).scaleb(6))


def _valued(rows: list[tuple[int, Any, int]]) -> dict[Any, Decimal]:
    """Σ quantity × proxy per key, from (measure id, key, Σ quantity in millionths).

    Summed in Python integers (millionths × ten-thousandths of a pound: exact, unbounded),
    shown in pounds at the end; a key with only unmonetised measures is worth 0.
    """
    proxies = _proxy_units(m for m, _, _ in rows)
    totals: dict[Any, int | None] = {}
    for measure_id, key, micro in rows:
        proxy = proxies[measure_id]
        if proxy is None:
            totals.setdefault(key, None)
        else:
            totals[key] = (totals.get(key) or 0) + micro * proxy
    with localcontext(_EXACT):
        return {
            key: ZERO if units is None else Decimal(units).scaleb(-6 - PROXY_PLACES)
            for key, units in totals.items()
        }


def _grouped_values(qs: QuerySet[Any], dimension_field: str | None) -> dict[Any, Decimal]:
    """Σ quantity × proxy per dimension key (one key, None, when no dimension)."""
    keys = ["measure_id"] + ([dimension_field] if dimension_field else [])
    grouped = qs.order_by().values(*keys).annotate(total=exact_sum("quantity"))
    rows = [
        (row[0], row[1] if dimension_field else None, _micro(row[-1]))
        for row in grouped.values_list(*keys, "total")
    ]
    return _valued(rows)


# Where each breakdown dimension lives in the rollup: the cells' kind and the column grouped
# by (theme and measure are looked up from the measure).
ROLLUP_DIMENSIONS: dict[str | None, tuple[str, str | None]] = {
    None: ("total", None),
    "theme": ("total", None),
    "measure": ("total", None),
    "organisation": ("total", "organisation_id"),
    "quarter": ("total", "period_id"),
    "district": ("district", "item"),
    "directorate": ("directorate", "item"),
    "category": ("category", "item"),
    "supplier": ("supplier", "item"),
}


def _from_item(dimension: str | None, item: Any) -> Any:
    """A rollup cell's text ``item`` as the lines give the dimension's key."""
    if dimension == "supplier":
        return int(item)
    if dimension == "directorate":
        return int(item) if item else None
    return item
