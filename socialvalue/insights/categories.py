"""Category plan guidance: what contracts of each procurement category commit to, how much
of it they deliver, and a suggested menu of the measures that get delivered.

The strategy puts all 43 measures on every tender's menu and lets a tender narrow it
("category plan guidance"). This module gives the evidence for narrowing it well.

Definitions, for the buying organisations shown and a range of financial quarters:

- **Contracts**: the contracts that *started* in the quarters (awarded or registered), the
  same contracts whose targets ``kpis.py`` counts as committed. A contract's category is its
  procurement category (``Contract.category``, the ``category`` dimension of ``kpis.py``);
  contracts without one are grouped as "Not set".
- **Committed** (£): those contracts' targets, each quantity × the contract's pinned proxy.
  It equals the dashboard's committed figure by category.
- **Delivered to date** (£): the verified return lines of those same contracts, in any
  quarter reported so far, for the measures each contract committed to, valued at the
  proxies. Delivery against measures a contract never committed to is not counted here.
- **Delivery rate** %: delivered to date ÷ committed × 100, for the category in £; for one
  measure, delivered quantity ÷ committed quantity × 100 (the same unit, so measures
  without a proxy value have a rate too). Contracts still running have not finished
  delivering, so their rates rise as returns are verified.
- **Average SV Add** %: the mean, over the category's contracts, of each contract's
  committed Social Value Add (its committed £ ÷ its contract value × 100, the per-contract
  form of the dashboard's committed SV Add); every contract counts once, whatever its size,
  and a contract with no targets counts as 0%.
- **Suggested menu**: the measures committed on at least ``MENU_MIN_CONTRACTS`` contracts
  with a delivery rate of at least ``MENU_MIN_RATE`` %, highest rate first, then the most
  committed £.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from socialvalue.contracts.models import ReturnLine, Target
from socialvalue.core.money import percent
from socialvalue.insights import kpis
from socialvalue.procurement.models import Tender

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
ZERO = Decimal(0)
MENU_MIN_RATE = Decimal(80)
MENU_MIN_CONTRACTS = 2
TOP_MEASURES = 3
#: How contracts with no category appear in addresses.
NOT_SET_SLUG = "not-set"
NOT_SET_LABEL = "Not set"
CATEGORY_LABELS = dict(Tender.Category.choices)


def category_label(key: str) -> str:
    if not key:
        return NOT_SET_LABEL
    return CATEGORY_LABELS.get(key, key)


def category_slug(key: str) -> str:
    return key or NOT_SET_SLUG


def category_from_slug(slug: str) -> str | None:
    """The category key an address names ("" for not set), or None when it names none."""
    if slug == NOT_SET_SLUG:
        return ""
    return slug if slug in CATEGORY_LABELS else None


@dataclass
class MeasureRow:
    """One measure (by code) across the category's contracts."""

    code: str
    description: str
    unit: str
    contracts: int = 0
    committed_quantity: Decimal = ZERO
    committed_value: Decimal = ZERO
    delivered_quantity: Decimal = ZERO
    delivered_value: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        return percent(self.delivered_quantity, self.committed_quantity)

    @property
    def is_suggested(self) -> bool:
        rate = self.rate
        return rate is not None and rate >= MENU_MIN_RATE and self.contracts >= MENU_MIN_CONTRACTS


@dataclass
class CategoryRow:
    key: str  # Contract.category; "" for not set
    contracts: int = 0
    committed: Decimal = ZERO
    delivered: Decimal = ZERO
    sv_add_total: Decimal = ZERO  # Σ each contract's committed SV Add %
    measures: list[MeasureRow] = field(default_factory=list)  # most committed £ first

    @property
    def label(self) -> str:
        return category_label(self.key)

    @property
    def slug(self) -> str:
        return category_slug(self.key)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.delivered, self.committed)

    @property
    def sv_add_mean(self) -> Decimal | None:
        if not self.contracts:
            return None
        with localcontext() as ctx:
            ctx.prec = 28
            return self.sv_add_total / self.contracts

    @property
    def top_measures(self) -> list[MeasureRow]:
        return [m for m in self.measures if m.committed_value][:TOP_MEASURES]

    @property
    def menu(self) -> list[MeasureRow]:
        suggested = [m for m in self.measures if m.is_suggested]
        return sorted(suggested, key=lambda m: (-(m.rate or ZERO), -m.committed_value, m.code))


@dataclass
class CategoryGuidance:
    scope: kpis.Scope
    rows: list[CategoryRow]  # most committed first

    @property
    def contracts(self) -> int:
        return sum(r.contracts for r in self.rows)

    @property
    def committed(self) -> Decimal:
        return sum((r.committed for r in self.rows), ZERO)

    @property
    def delivered(self) -> Decimal:
        return sum((r.delivered for r in self.rows), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.delivered, self.committed)

    def row(self, key: str) -> CategoryRow:
        """The category's row; an empty one when none of its contracts started in the range."""
        return next((r for r in self.rows if r.key == key), CategoryRow(key))


def _value(quantity: Decimal, proxy: Decimal | None) -> Decimal:
    if proxy is None:
        return ZERO
    with localcontext(_EXACT):
        return quantity * proxy


def category_guidance(scope: kpis.Scope) -> CategoryGuidance:
    """Every category with a contract that started in ``scope``'s quarters.

    Only ``scope``'s organisations and quarters are used; its optional filters are not (the
    page breaks the figures down by category itself).
    """
    contracts = kpis.contracts_in_scope(kpis.Scope(scope.organisation_ids, scope.first, scope.last))
    cohort = {
        pk: (category, value)
        for pk, category, value in contracts.filter(
            start_date__gte=scope.start, start_date__lte=scope.end
        ).values_list("pk", "category", "value")
    }
    rows: dict[str, CategoryRow] = {}
    committed_by_contract: dict[int, Decimal] = defaultdict(lambda: ZERO)
    measures: dict[tuple[str, str], MeasureRow] = {}
    committed_pairs: set[tuple[int, str]] = set()
    for category, _value_gbp in cohort.values():
        rows.setdefault(category, CategoryRow(category)).contracts += 1

    targets = (
        Target.objects.filter(contract_id__in=cohort)
        .order_by("-measure__version__published_at", "measure__order")
        .values_list(
            "contract_id",
            "measure__code",
            "measure__description",
            "measure__unit",
            "measure__proxy_value",
            "quantity",
        )
    )
    with localcontext(_EXACT):
        for contract_id, code, description, unit, proxy, quantity in targets:
            category = cohort[contract_id][0]
            value = _value(quantity, proxy)
            committed_by_contract[contract_id] += value
            measure = measures.setdefault((category, code), MeasureRow(code, description, unit))
            measure.committed_quantity += quantity
            measure.committed_value += value
            if quantity > 0:
                measure.contracts += 1
            committed_pairs.add((contract_id, code))

        delivered = (
            ReturnLine.objects.filter(contract_id__in=cohort, status=ReturnLine.Status.VERIFIED)
            .order_by()
            .values("contract_id", "measure__code", "measure__proxy_value")
            .annotate(total=kpis.exact_sum("quantity"))
        )
        for line in delivered:
            contract_id, code = line["contract_id"], line["measure__code"]
            if (contract_id, code) not in committed_pairs:
                continue
            category = cohort[contract_id][0]
            quantity = kpis.from_sum(line["total"])
            measure = measures[(category, code)]
            measure.delivered_quantity += quantity
            measure.delivered_value += _value(quantity, line["measure__proxy_value"])

    for (category, _code), measure in measures.items():
        row = rows[category]
        row.committed += measure.committed_value
        row.delivered += measure.delivered_value
        row.measures.append(measure)
    with localcontext() as ctx:
        ctx.prec = 28
        for contract_id, (category, contract_value) in cohort.items():
            share = percent(committed_by_contract[contract_id], contract_value) or ZERO
            rows[category].sv_add_total += share
    for row in rows.values():
        row.measures.sort(key=lambda m: (-m.committed_value, -m.contracts, m.code))
    ordered = sorted(rows.values(), key=lambda r: (-r.committed, r.key == "", r.label))
    return CategoryGuidance(scope, ordered)
