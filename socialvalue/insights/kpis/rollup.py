"""Delivered values read from the delivered rollup, when the scope allows it.

Part of ``socialvalue.insights.kpis`` (its docstring defines every figure)."""

from collections.abc import Iterable
from decimal import Decimal, localcontext
from typing import Any

from django.db import OperationalError, connection, transaction

from socialvalue.contracts.models import ReportingPeriod
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import Measure
from socialvalue.insights.kpis.scope import (
    _EXACT,
    LIMB,
    PROXY_PLACES,
    ROLLUP_DIMENSIONS,
    ZERO,
    Scope,
    _from_item,
    _limbs,
    _valued,
)


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
