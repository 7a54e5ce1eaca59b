"""Delivered, committed and awarded values and contract spend of a scope.

Part of ``socialvalue.insights.kpis`` (its docstring defines every figure)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from django.db import OperationalError, connection, transaction

from socialvalue.contracts.models import Contract, Target
from socialvalue.core.quarters import quarter_of
from socialvalue.framework.models import Measure, Theme
from socialvalue.insights.kpis.rollup import _Inexact, _rollup_values, rollup_sums, uses_rollup
from socialvalue.insights.kpis.scope import (
    _EXACT,
    LIMB,
    LINE_DIMENSIONS,
    MILLIONTH,
    PROXY_PLACES,
    TARGET_DIMENSIONS,
    ZERO,
    Scope,
    _grouped_values,
    _limbs,
    committed_targets,
    contracts_in_scope,
    exact_sum,
    from_sum,
    verified_lines,
)


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
