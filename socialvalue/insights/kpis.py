"""The KPIs of the dashboard, the cabinet report and the annual statement.

Every figure is computed from the records, exactly (``Decimal``), for a *scope*: the buying
organisations whose figures are wanted, a range of financial quarters, and optional filters
(directorate, category, supplier, district, theme).

Definitions (all in the scope's quarters):

- **Committed** (£): the targets of contracts that *started* in the quarters (awarded or
  registered), valued at their pinned proxies; **awarded value** (£): those contracts'
  values. *Committed SV Add %* = committed ÷ awarded × 100.
- **Delivered** (£): verified return lines of the quarters, valued at their contract's
  proxies (only verified quantities count).
- **Contract spend** (£): each contract's value spread evenly over its days, counting the
  days inside the quarters. *Delivered SV Add %* = delivered ÷ spend × 100.
- **Local, MSME and VCSE spend** (£): verified quantities of NT18, NT19 and NT14 (each is
  "£ spent"), and each as a % of contract spend.
- **Returns on time %**: of the returns due in the quarters (due date passed) from suppliers
  holding a contract in scope, those submitted by their due date.
- **Officers trained %**: of the organisations' active council staff (lead, officers,
  evaluators), those who completed at least one training course by the end of the range.
- **Case studies**: published per quarter (about the organisations' contracts or by the
  organisations themselves), against the target of one a quarter.
- **Tenders applying social value %**: of the tenders opened in the quarters with an
  estimated value at or above the organisation's policy threshold, those with a social
  value weighting above 0.

Sums of quantities are done in the database, exactly: PostgreSQL sums ``numeric`` exactly;
on SQLite quantities (at most 6 decimal places) are summed as whole millionths.

Delivered figures are read from the delivered rollup (``insights.rollups``: verified
quantities already summed per organisation, quarter or financial year and measure, kept
exact by triggers) whenever the scope has no filter the rollup cannot answer (directorate,
category, supplier, district); otherwise, and on databases without the triggers, from the
lines themselves. Both give the same figures.

Values (Σ quantity × proxy) are worked out in whole millionths × ten-thousandths of a
pound: summed by the database where it can do so exactly (PostgreSQL ``numeric``; SQLite's
64-bit integers with the proxy split into base-1000 limbs), otherwise per measure in Python
integers. Either way the result is exact and identical.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import BigIntegerField, Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine, Target
from socialvalue.core.geography import District
from socialvalue.core.money import percent
from socialvalue.core.quarters import Quarter, quarter_of, quarters_between
from socialvalue.framework.models import Measure, Theme

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


def uses_rollup(scope: Scope) -> bool:
    """Whether the scope's delivered figures can be read from the rollup."""
    from socialvalue.insights import rollups

    filtered = scope.directorate_id or scope.category or scope.supplier_id or scope.district
    return not filtered and rollups.is_supported()


def _scope_periods(scope: Scope) -> list[tuple[int, int]]:
    """(period id, financial year) of the scope's reporting periods."""
    return list(
        ReportingPeriod.objects.filter(
            start_date__gte=scope.start, end_date__lte=scope.end
        ).values_list("pk", "year")
    )


def _rollup_where(
    scope: Scope, kind: str, measure_ids: Iterable[int] | None = None, years: bool = True
) -> tuple[str, list[Any]] | None:
    """The WHERE clause choosing the scope's cells of ``kind`` (None when there are none):
    the whole-year cells of the financial years the scope covers entirely (unless
    ``years`` is false), the quarters' cells for the rest."""
    periods = _scope_periods(scope)
    quarters = set(scope.quarters)
    whole = sorted(
        {y for _, y in periods if all(Quarter(y, n) in quarters for n in range(1, 5))}
        if years
        else set()
    )
    rest = [pk for pk, y in periods if y not in whole]
    organisations = sorted(scope.organisation_ids)
    if scope.theme_slug:
        themed = Measure.objects.filter(theme__slug=scope.theme_slug).values_list("pk", flat=True)
        measure_ids = set(themed) if measure_ids is None else set(measure_ids) & set(themed)
    measures = None if measure_ids is None else sorted(measure_ids)
    if not periods or not organisations or measures == []:
        return None

    def placeholders(values: list[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    from socialvalue.insights.models import DeliveredRollup

    if whole and rest:
        # Whole years' cells have period 0; the rest are quarters of other years.
        grain = (
            f"r.period_id IN (%s, {placeholders(rest)}) "
            f"AND (r.period_id <> %s OR r.year IN ({placeholders(whole)}))"
        )
        grain_params = [DeliveredRollup.WHOLE_YEAR, *rest, DeliveredRollup.WHOLE_YEAR, *whole]
    elif whole:
        grain = f"r.period_id = %s AND r.year IN ({placeholders(whole)})"
        grain_params = [DeliveredRollup.WHOLE_YEAR, *whole]
    else:
        grain = f"r.period_id IN ({placeholders(rest)})"
        grain_params = rest
    sql = (
        f"r.kind = %s AND {grain} "
        f"AND r.organisation_id IN ({placeholders(organisations)}) AND r.lines > 0"
    )
    params: list[Any] = [kind, *grain_params, *organisations]
    if measures is not None:
        sql += f" AND r.measure_id IN ({placeholders(measures)})"
        params += measures
    return sql, params


def _rollup_table() -> str:
    from socialvalue.insights.models import DeliveredRollup

    return connection.ops.quote_name(DeliveredRollup._meta.db_table)


def rollup_sums(
    scope: Scope, kind: str, column: str | None, measure_ids: Iterable[int] | None = None
) -> list[tuple[int, Any, int]]:
    """(measure id, the column's value, Σ quantity in millionths) of the scope's cells.

    Read with one grouped query over a few thousand cells; the sums are whole numbers.
    """
    where = _rollup_where(scope, kind, measure_ids, years=column != "period_id")
    if where is None:
        return []
    key = f"r.{column}" if column else "''"
    group = f"r.measure_id, r.{column}" if column else "r.measure_id"
    sql = (
        f"SELECT r.measure_id, {key}, SUM(r.micro_units) FROM {_rollup_table()} r "
        f"WHERE {where[0]} GROUP BY {group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, where[1])
        return [(m, k, int(total)) for m, k, total in cursor.fetchall()]


class _Inexact(Exception):
    """A sum the database could not hold exactly: worked out in Python instead."""


def _rollup_valued(scope: Scope, kind: str, column: str) -> list[tuple[Any, int | None]]:
    """(the column's value, Σ millionths × proxy ten-thousandths, or None when only
    unmonetised measures) per value, summed by the database.

    PostgreSQL sums ``numeric`` exactly. SQLite works in 64-bit integers, so the proxy is
    split into base-1000 digits (limbs) and each limb's Σ millionths × limb is summed on
    its own, put together in Python. Were a sum to outgrow 64 bits anyway (an overflowing
    product turns into a float, an overflowing sum is an error) ``_Inexact`` is raised and
    the caller sums in Python.
    """
    where = _rollup_where(scope, kind, years=column != "period_id")
    if where is None:
        return []
    if connection.vendor == "sqlite":
        units = f"CAST(ROUND(m.proxy_value * {10**PROXY_PLACES}) AS INTEGER)"
        sums = [f"SUM(r.micro_units * (({units} / {LIMB**i}) %% {LIMB}))" for i in range(_limbs())]
    else:
        units = f"CAST(m.proxy_value * {10**PROXY_PLACES} AS numeric(38, 0))"
        sums = [f"SUM(r.micro_units * {units})"]
    measures = connection.ops.quote_name(Measure._meta.db_table)
    sql = (
        f"SELECT r.{column}, COUNT(m.proxy_value), {', '.join(sums)} "
        f"FROM {_rollup_table()} r JOIN {measures} m ON m.id = r.measure_id "
        f"WHERE {where[0]} GROUP BY r.{column}"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, where[1])
            rows = cursor.fetchall()
    except OperationalError as error:  # SQLite's "integer overflow"
        raise _Inexact from error
    result: list[tuple[Any, int | None]] = []
    for key, monetised, *limbs in rows:
        if any(isinstance(limb, float) for limb in limbs):
            raise _Inexact
        total = sum(int(limb or 0) * LIMB**i for i, limb in enumerate(limbs))
        result.append((key, total if monetised else None))
    return result


def _rollup_values(scope: Scope, dimension: str | None) -> dict[Any, Decimal]:
    """As ``_grouped_values`` over the verified lines, read from the rollup."""
    kind, column = ROLLUP_DIMENSIONS[dimension]
    if column is not None:
        try:
            valued = _rollup_valued(scope, kind, column)
        except _Inexact:
            pass
        else:
            with localcontext(_EXACT):
                return {
                    _from_item(dimension, key) if column == "item" else key: (
                        ZERO if units is None else Decimal(units).scaleb(-6 - PROXY_PLACES)
                    )
                    for key, units in valued
                }
    rows = rollup_sums(scope, kind, column)
    if dimension in {"theme", "measure"}:
        field_name = "theme__slug" if dimension == "theme" else "code"
        keys = dict(
            Measure.objects.filter(pk__in={m for m, _, _ in rows}).values_list("pk", field_name)
        )
        rows = [(m, keys[m], micro) for m, _, micro in rows]
    elif column is None:
        rows = [(m, None, micro) for m, _, micro in rows]
    elif column == "item":
        rows = [(m, _from_item(dimension, item), micro) for m, item, micro in rows]
    return _valued(rows)


def delivered_value(scope: Scope) -> Decimal:
    if uses_rollup(scope):
        return _rollup_values(scope, None).get(None, ZERO)
    return _grouped_values(verified_lines(scope), None).get(None, ZERO)


def delivered_by(scope: Scope, dimension: str) -> dict[Any, Decimal]:
    if uses_rollup(scope):
        return dict(_rollup_values(scope, dimension))
    return dict(_grouped_values(verified_lines(scope), LINE_DIMENSIONS[dimension]))


def delivered_by_contract(
    scope: Scope, contracts: Iterable[Contract] | None = None
) -> dict[int, Decimal]:
    """Delivered (verified) value per contract id, from the lines (the rollup has no
    per-contract cells); only ``contracts`` when given."""
    lines = verified_lines(scope)
    if contracts is not None:
        lines = lines.filter(contract__in=list(contracts))
    return dict(_grouped_values(lines, "contract_id"))


# Where each committed dimension lives in the targets query below.
TARGET_COLUMNS = {
    "start_date": "c.start_date",
    "theme": "th.slug",
    "organisation": "c.organisation_id",
    "directorate": "c.directorate_id",
    "category": "c.category",
    "supplier": "c.supplier_id",
    "measure": "m.code",
}


def _committed_valued(scope: Scope, dimension: str | None) -> dict[Any, Decimal]:
    """As ``_grouped_values(committed_targets(scope), …)``, valued by the database: one
    query, one row per key (see ``_rollup_valued`` for how the sums stay exact)."""
    ops = connection.ops
    table = {m: ops.quote_name(m._meta.db_table) for m in (Target, Contract, Measure, Theme)}
    key = TARGET_COLUMNS[dimension] if dimension else "''"
    if connection.vendor == "sqlite":
        micro = "CAST(ROUND(t.quantity * 1000000) AS INTEGER)"
        units = f"CAST(ROUND(m.proxy_value * {10**PROXY_PLACES}) AS INTEGER)"
        sums = [f"SUM({micro} * (({units} / {LIMB**i}) %% {LIMB}))" for i in range(_limbs())]
        scale = 1
    else:
        sums = ["SUM(t.quantity * m.proxy_value)"]
        scale = 10 ** (6 + PROXY_PLACES)
    organisations = sorted(scope.organisation_ids)
    if not organisations:
        return {}
    where = [
        f"c.organisation_id IN ({', '.join(['%s'] * len(organisations))})",
        "c.start_date >= %s",
        "c.start_date <= %s",
    ]
    dates = [ops.adapt_datefield_value(scope.start), ops.adapt_datefield_value(scope.end)]
    params: list[Any] = [*organisations, *dates]
    for condition, value in (
        ("c.directorate_id = %s", scope.directorate_id),
        ("c.category = %s", scope.category),
        ("c.supplier_id = %s", scope.supplier_id),
        ("th.slug = %s", scope.theme_slug),
    ):
        if value:
            where.append(condition)
            params.append(value)
    sql = (
        f"SELECT {key}, COUNT(m.proxy_value), {', '.join(sums)} "
        f"FROM {table[Target]} t JOIN {table[Contract]} c ON c.id = t.contract_id "
        f"JOIN {table[Measure]} m ON m.id = t.measure_id "
        f"JOIN {table[Theme]} th ON th.id = m.theme_id "
        f"WHERE {' AND '.join(where)}" + (f" GROUP BY {key}" if dimension else "")
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    except OperationalError as error:
        raise _Inexact from error
    result: dict[Any, Decimal] = {}
    with localcontext(_EXACT):
        for row_key, monetised, *limbs in rows:
            if any(isinstance(limb, float) for limb in limbs):
                raise _Inexact
            units = sum(int(Decimal(limb or 0) * scale) * LIMB**i for i, limb in enumerate(limbs))
            k = None if dimension is None else row_key
            result[k] = Decimal(units).scaleb(-6 - PROXY_PLACES) if monetised else ZERO
    return result


def _committed(scope: Scope, dimension: str | None) -> dict[Any, Decimal]:
    try:
        return _committed_valued(scope, dimension)
    except _Inexact:
        field_name = TARGET_DIMENSIONS[dimension] if dimension else None
        return dict(_grouped_values(committed_targets(scope), field_name))


def committed_value(scope: Scope) -> Decimal:
    return _committed(scope, None).get(None, ZERO)


def committed_by(scope: Scope, dimension: str) -> dict[Any, Decimal]:
    if dimension == "quarter":
        # By the quarter the contract started in.
        result: dict[Any, Decimal] = defaultdict(lambda: ZERO)
        try:
            by_start = _committed_valued(scope, "start_date")
        except _Inexact:
            by_start = dict(_grouped_values(committed_targets(scope), "contract__start_date"))
        with localcontext(_EXACT):
            for start, value in by_start.items():
                day = start if isinstance(start, date) else date.fromisoformat(start)
                result[quarter_of(day)] += value
        return dict(result)
    if dimension not in TARGET_DIMENSIONS:
        return {}
    return _committed(scope, dimension)


def awarded_value(scope: Scope) -> Decimal:
    total = ZERO
    for value in (
        contracts_in_scope(scope)
        .filter(start_date__gte=scope.start, start_date__lte=scope.end)
        .values_list("value", flat=True)
    ):
        total += value
    return total


def contract_spend(scope: Scope) -> Decimal:
    """Each contract's value spread evenly over its days, for the days in the scope."""
    total = ZERO
    with localcontext() as ctx:
        ctx.prec = 40
        for value, start, end in (
            contracts_in_scope(scope)
            .filter(start_date__lte=scope.end, end_date__gte=scope.start)
            .values_list("value", "start_date", "end_date")
        ):
            days = (end - start).days + 1
            inside = (min(end, scope.end) - max(start, scope.start)).days + 1
            total += value * inside / days
    return total


def spend_by_code(scope: Scope, code: str) -> Decimal:
    """Verified "£ spent" quantity of a measure code (NT18 local, NT19 MSME, NT14 VCSE)."""
    if uses_rollup(scope):
        coded = Measure.objects.filter(code=code).values_list("pk", flat=True)
        micro = sum(total for _, _, total in rollup_sums(scope, "total", None, coded))
        return Decimal(micro) * MILLIONTH if micro else ZERO
    row = (
        verified_lines(scope)
        .filter(measure__code=code)
        .order_by()
        .aggregate(total=exact_sum("quantity"))
    )
    return from_sum(row["total"])


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return percent(Decimal(self.numerator), Decimal(self.denominator))


def returns_on_time(scope: Scope, today: date | None = None) -> Ratio:
    today = today or timezone.localdate()
    # A return is due from a supplier holding a contract in scope during its quarter.
    held = contracts_in_scope(scope).filter(
        supplier_id=OuterRef("supplier_id"),
        start_date__lte=OuterRef("period__end_date"),
        end_date__gte=OuterRef("period__start_date"),
    )
    due = Return.objects.filter(
        Exists(held),
        period__start_date__gte=scope.start,
        period__end_date__lte=scope.end,
        period__due_date__lt=today,
    )
    # As ``Return.submitted_on_time``: submitted by the end of the due date, local time.
    tz = timezone.get_current_timezone()
    due_dates = ReportingPeriod.objects.filter(
        start_date__gte=scope.start, end_date__lte=scope.end, due_date__lt=today
    ).values_list("due_date", flat=True)
    in_time = Q(pk__in=[])
    for due_date in set(due_dates):
        deadline = datetime.combine(due_date + timedelta(days=1), time.min, tz)
        in_time |= Q(period__due_date=due_date, submitted_at__lt=deadline)
    counts = due.aggregate(total=Count("pk"), on_time=Count("pk", filter=in_time))
    total, on_time = counts["total"], counts["on_time"]
    return Ratio(on_time, total)


def officers_trained(scope: Scope, today: date | None = None) -> Ratio:
    from socialvalue.insights.models import TrainingCompletion

    as_of = min(scope.end, today or timezone.localdate())
    staff = User.objects.filter(
        organisation_id__in=scope.organisation_ids,
        is_active=True,
        role__in=[User.Role.LEAD, User.Role.OFFICER, User.Role.EVALUATOR],
    )
    trained = (
        TrainingCompletion.objects.filter(user__in=staff, completed_on__lte=as_of)
        .values("user_id")
        .distinct()
        .count()
    )
    return Ratio(trained, staff.count())


def case_studies_by_quarter(scope: Scope) -> dict[Quarter, int]:
    from socialvalue.stories.models import CaseStudy

    tz = timezone.get_current_timezone()
    start = datetime.combine(scope.start, time.min, tzinfo=tz)
    end = datetime.combine(scope.end, time.max, tzinfo=tz)
    qs = CaseStudy.objects.filter(
        status=CaseStudy.Status.PUBLISHED, published_at__gte=start, published_at__lte=end
    ).filter(
        Q(organisation_id__in=scope.organisation_ids)
        | Q(contract__organisation_id__in=scope.organisation_ids)
    )
    counts = dict.fromkeys(scope.quarters, 0)
    for published_at in qs.values_list("published_at", flat=True):
        quarter = quarter_of(timezone.localtime(published_at).date())
        if quarter in counts:
            counts[quarter] += 1
    return counts


def tenders_with_sv(scope: Scope) -> Ratio:
    from socialvalue.procurement.models import Policy, Tender

    tz = timezone.get_current_timezone()
    tenders = Tender.objects.filter(
        organisation_id__in=scope.organisation_ids,
        opened_at__gte=datetime.combine(scope.start, time.min, tzinfo=tz),
        opened_at__lte=datetime.combine(scope.end, time.max, tzinfo=tz),
    )
    if scope.directorate_id:
        tenders = tenders.filter(directorate_id=scope.directorate_id)
    if scope.category:
        tenders = tenders.filter(category=scope.category)
    thresholds = dict(
        Policy.objects.filter(organisation_id__in=scope.organisation_ids).values_list(
            "organisation_id", "threshold"
        )
    )
    default = Policy._meta.get_field("threshold").get_default()
    above = applied = 0
    for organisation_id, value, weighting in tenders.values_list(
        "organisation_id", "estimated_value", "sv_weighting"
    ):
        if value >= thresholds.get(organisation_id, default):
            above += 1
            if weighting and weighting > 0:
                applied += 1
    return Ratio(applied, above)


class ValueShares:
    """The percentages derived from a set of value figures: exact, None when undefined."""

    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal

    @property
    def committed_sv_add(self) -> Decimal | None:
        return percent(self.committed_value, self.awarded_value)

    @property
    def delivered_sv_add(self) -> Decimal | None:
        return percent(self.delivered_value, self.contract_spend)

    @property
    def local_spend_percent(self) -> Decimal | None:
        return percent(self.local_spend, self.contract_spend)

    @property
    def msme_spend_percent(self) -> Decimal | None:
        return percent(self.msme_spend, self.contract_spend)

    @property
    def vcse_spend_percent(self) -> Decimal | None:
        return percent(self.vcse_spend, self.contract_spend)


@dataclass
class Headline(ValueShares):
    """The KPIs for a scope, all exact; percentages are None when undefined."""

    scope: Scope
    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal
    returns_on_time: Ratio
    officers_trained: Ratio
    case_studies: dict[Quarter, int]
    tenders_with_sv: Ratio
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def case_studies_total(self) -> int:
        return sum(self.case_studies.values())

    @property
    def quarters_meeting_case_study_target(self) -> int:
        return sum(1 for n in self.case_studies.values() if n >= CASE_STUDIES_PER_QUARTER)


def headline(scope: Scope, today: date | None = None) -> Headline:
    return Headline(
        scope=scope,
        committed_value=committed_value(scope),
        awarded_value=awarded_value(scope),
        delivered_value=delivered_value(scope),
        contract_spend=contract_spend(scope),
        local_spend=spend_by_code(scope, LOCAL_CODE),
        msme_spend=spend_by_code(scope, MSME_CODE),
        vcse_spend=spend_by_code(scope, VCSE_CODE),
        returns_on_time=returns_on_time(scope, today),
        officers_trained=officers_trained(scope, today),
        case_studies=case_studies_by_quarter(scope),
        tenders_with_sv=tenders_with_sv(scope),
    )


@dataclass(frozen=True)
class BreakdownRow:
    key: Any
    label: str
    committed: Decimal | None
    delivered: Decimal


def _labels(dimension: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None and k != ""]
    if dimension == "theme":
        return dict(Theme.objects.filter(slug__in=keys).values_list("slug", "name").distinct())
    if dimension in {"organisation", "supplier"}:
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "directorate":
        from socialvalue.accounts.models import Directorate

        return dict(Directorate.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "category":
        from socialvalue.procurement.models import Tender

        return {k: dict(Tender.Category.choices).get(k, k) for k in keys}
    if dimension == "district":
        return {k: District(k).label for k in keys if k in District.values}
    if dimension == "measure":
        return {k: k for k in keys}
    return {}


def breakdown(scope: Scope, dimension: str) -> list[BreakdownRow]:
    """Committed and delivered by one dimension, largest delivery first.

    ``quarter`` lists every quarter of the scope in order, including empty ones; committed
    is not broken down by district (targets have none), so it is None there.
    """
    if dimension == "quarter":
        delivered_periods = delivered_by(scope, "quarter")
        quarters = {
            pk: Quarter(year, number)
            for pk, year, number in ReportingPeriod.objects.filter(
                pk__in=delivered_periods.keys()
            ).values_list("pk", "year", "number")
        }
        delivered_q: dict[Quarter, Decimal] = defaultdict(lambda: ZERO)
        with localcontext(_EXACT):
            for period_id, value in delivered_periods.items():
                delivered_q[quarters[period_id]] += value
        committed_q = committed_by(scope, "quarter")
        return [
            BreakdownRow(q, q.short_label, committed_q.get(q, ZERO), delivered_q.get(q, ZERO))
            for q in scope.quarters
        ]
    delivered = delivered_by(scope, dimension)
    committed = committed_by(scope, dimension) if dimension != "district" else None
    keys = set(delivered) | set(committed or {})
    labels = _labels(dimension, keys)
    rows = [
        BreakdownRow(
            key,
            labels.get(key, "Not set" if key in (None, "") else str(key)),
            None if committed is None else committed.get(key, ZERO),
            delivered.get(key, ZERO),
        )
        for key in keys
    ]
    rows.sort(key=lambda r: (-r.delivered, -(r.committed or ZERO), r.label))
    return rows
