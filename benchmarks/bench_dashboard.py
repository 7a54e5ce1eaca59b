"""The KPI dashboard at Greater Lancashire scale, against DuckDB on the same rows.

The data set (``greater_lancashire``: 20 buying organisations, 5,000 contracts, 16 quarters,
about a million return lines) is written into a throwaway database: a SQLite file, then a
PostgreSQL database of its own (``bench_dashboard_<pid>``, dropped afterwards; skipped with
a note when no server answers at ``BENCH_POSTGRES_URL``, by default
postgres://postgres@127.0.0.1:5432). The delivered rollup is rebuilt once after the bulk
load, and PostgreSQL gets the ``VACUUM ANALYZE`` autovacuum would give it.

- Measured: ``insights.dashboard.build_dashboard`` as the dashboard page calls it for the
  place lead's default view, the whole of Greater Lancashire for a financial year: every
  headline KPI, the cards, the seven breakdown tables (quarter, theme, district,
  organisation, directorate, category, supplier) and the charts.
- Baseline: DuckDB (in memory, loaded with the same rows beforehand, load not timed)
  computing the same aggregates from the raw rows with one SQL query each: delivered and
  committed in total and by each dimension, awarded value, contract spend, local/MSME/VCSE
  spend, returns on time and the staff count.

The product's figures are checked against DuckDB's before anything is timed (exactly for
every sum of quantities and values; contract spend, a division, to a thousandth of a penny).
Both are timed alternately and the best run of each is kept. Target: at most twice
DuckDB's time.
"""

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connections
from django.test.utils import override_settings
from django.utils import timezone

from benchmarks import greater_lancashire as gl
from benchmarks.bench_return_import import throwaway_database
from benchmarks.common import BenchResult, interleaved_best_ms
from socialvalue.accounts.models import User
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights import kpis
from socialvalue.insights.dashboard import Dashboard, build_dashboard, organisation_options

TARGET_RATIO = 2.0
ROUNDS = 7
YEAR = 2025  # the financial year shown: the last four of the sixteen quarters
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
SPEND_TOLERANCE = Decimal("0.00001")


# --- The same rows in DuckDB --------------------------------------------------------------------


NULL = "\\N"


def _write_csv(path: Path, rows: Iterator[tuple[Any, ...]]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow([NULL if v is None else v for v in row])


TABLES = {
    "measures": "id INTEGER, code VARCHAR, proxy DECIMAL(16,4), theme VARCHAR",
    "periods": "id INTEGER, year INTEGER, number INTEGER, start_date DATE, end_date DATE, "
    "due_date DATE",
    "contracts": "id INTEGER, organisation_id INTEGER, supplier_id INTEGER, "
    "directorate_id INTEGER, category VARCHAR, value DECIMAL(14,2), start_date DATE, "
    "end_date DATE",
    "targets": "contract_id INTEGER, measure_id INTEGER, quantity DECIMAL(21,6)",
    "returns": "id INTEGER, supplier_id INTEGER, period_id INTEGER, submitted_on DATE",
    "lines": "return_record_id INTEGER, contract_id INTEGER, measure_id INTEGER, "
    "quantity DECIMAL(21,6), district VARCHAR, status VARCHAR",
    "staff": "organisation_id INTEGER, role VARCHAR, is_active BOOLEAN",
}


def duckdb_load(data: gl.Dataset) -> Any:
    """An in-memory DuckDB holding the data set's rows (through CSV files, untimed)."""
    import duckdb

    from socialvalue.contracts.models import ReportingPeriod
    from socialvalue.framework.models import Measure

    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    try:
        sources: dict[str, Any] = {
            "measures": Measure.objects.filter(version_id=data.reference.version_id)
            .order_by("pk")
            .values_list("pk", "code", "proxy_value", "theme__slug"),
            "periods": ReportingPeriod.objects.order_by("pk").values_list(
                "pk", "year", "number", "start_date", "end_date", "due_date"
            ),
            "contracts": (
                (c[0], c[3], c[4], c[7], c[9], c[11], c[12], c[13]) for c in data.contracts
            ),
            "targets": (t[1:4] for t in data.targets),
            "returns": (
                (r[0], r[3], r[4], timezone.localtime(r[7]).date() if r[7] else None)
                for r in data.returns
            ),
            "lines": ((x[3], x[4], x[5], x[6], x[7], x[9]) for x in data.lines),
            "staff": User.objects.filter(organisation__isnull=False).values_list(
                "organisation_id", "role", "is_active"
            ),
        }
        db = duckdb.connect(":memory:")
        for name, columns in TABLES.items():
            path = folder / f"{name}.csv"
            _write_csv(path, iter(sources[name]))
            db.execute(f"CREATE TABLE {name} ({columns})")
            db.execute(f"COPY {name} FROM '{path}' (FORMAT csv, HEADER false, NULLSTR '{NULL}')")
        return db
    finally:
        shutil.rmtree(folder, ignore_errors=True)


LINE_DIMENSIONS = {
    "theme": "m.theme",
    "district": "l.district",
    "organisation": "c.organisation_id",
    "directorate": "c.directorate_id",
    "category": "c.category",
    "supplier": "c.supplier_id",
    "quarter": "r.period_id",
}
TARGET_DIMENSIONS = {
    "theme": "m.theme",
    "organisation": "c.organisation_id",
    "directorate": "c.directorate_id",
    "category": "c.category",
    "supplier": "c.supplier_id",
}


class DuckFigures:
    """The dashboard's aggregates for a scope, straight from the raw rows."""

    def __init__(self, db: Any, scope: kpis.Scope, today: date) -> None:
        self.db = db
        self.orgs = ", ".join(str(i) for i in sorted(scope.organisation_ids))
        self.start, self.end, self.today = scope.start, scope.end, today

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        result: list[tuple[Any, ...]] = self.db.execute(sql).fetchall()
        return result

    def _lines(self, key: str) -> str:
        return (
            f"SELECT {key} AS k, SUM(l.quantity * COALESCE(m.proxy, 0)) AS v "
            "FROM lines l JOIN returns r ON r.id = l.return_record_id "
            "JOIN periods p ON p.id = r.period_id JOIN contracts c ON c.id = l.contract_id "
            "JOIN measures m ON m.id = l.measure_id "
            f"WHERE l.status = 'verified' AND c.organisation_id IN ({self.orgs}) "
            f"AND p.start_date >= DATE '{self.start}' AND p.end_date <= DATE '{self.end}' "
            "GROUP BY 1"
        )

    def _targets(self, key: str) -> str:
        return (
            f"SELECT {key} AS k, SUM(t.quantity * COALESCE(m.proxy, 0)) AS v "
            "FROM targets t JOIN contracts c ON c.id = t.contract_id "
            "JOIN measures m ON m.id = t.measure_id "
            f"WHERE c.organisation_id IN ({self.orgs}) "
            f"AND c.start_date BETWEEN DATE '{self.start}' AND DATE '{self.end}' "
            "GROUP BY 1"
        )

    def compute(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["delivered"] = self._rows(self._lines("0"))
        out["committed"] = self._rows(self._targets("0"))
        for name, key in LINE_DIMENSIONS.items():
            out[f"delivered_by_{name}"] = self._rows(self._lines(key))
        for name, key in TARGET_DIMENSIONS.items():
            out[f"committed_by_{name}"] = self._rows(self._targets(key))
        out["committed_by_quarter"] = self._rows(self._targets("c.start_date"))
        contracts = f"FROM contracts c WHERE c.organisation_id IN ({self.orgs}) "
        out["awarded"] = self._rows(
            f"SELECT SUM(value) {contracts}"
            f"AND c.start_date BETWEEN DATE '{self.start}' AND DATE '{self.end}'"
        )
        out["spend"] = self._rows(
            "SELECT SUM(CAST(value AS DECIMAL(38,10)) * (datediff('day', "
            f"greatest(start_date, DATE '{self.start}'), least(end_date, DATE '{self.end}')) + 1)"
            " / (datediff('day', start_date, end_date) + 1)) "
            f"{contracts}AND start_date <= DATE '{self.end}' AND end_date >= DATE '{self.start}'"
        )
        out["spend_by_code"] = self._rows(
            "SELECT m.code, SUM(l.quantity) FROM lines l "
            "JOIN returns r ON r.id = l.return_record_id JOIN periods p ON p.id = r.period_id "
            "JOIN contracts c ON c.id = l.contract_id JOIN measures m ON m.id = l.measure_id "
            f"WHERE l.status = 'verified' AND c.organisation_id IN ({self.orgs}) "
            f"AND p.start_date >= DATE '{self.start}' AND p.end_date <= DATE '{self.end}' "
            "AND m.code IN ('NT18', 'NT19', 'NT14') GROUP BY 1"
        )
        out["returns_on_time"] = self._rows(
            "SELECT COUNT(*) FILTER (WHERE r.submitted_on <= p.due_date), COUNT(*) "
            "FROM returns r JOIN periods p ON p.id = r.period_id "
            f"WHERE p.start_date >= DATE '{self.start}' AND p.end_date <= DATE '{self.end}' "
            f"AND p.due_date < DATE '{self.today}' AND EXISTS (SELECT 1 FROM contracts c "
            f"WHERE c.supplier_id = r.supplier_id AND c.organisation_id IN ({self.orgs}) "
            "AND c.start_date <= p.end_date AND c.end_date >= p.start_date)"
        )
        out["staff"] = self._rows(
            f"SELECT COUNT(*) FROM staff WHERE organisation_id IN ({self.orgs}) AND is_active "
            "AND role IN ('lead', 'officer', 'evaluator')"
        )
        return out


# --- Checking the product against DuckDB ---------------------------------------------------------


def _as_dict(rows: list[tuple[Any, ...]]) -> dict[Any, Decimal]:
    return {k: Decimal(v) for k, v in rows}


def _check(board: Dashboard, duck: dict[str, Any], periods: dict[int, Quarter]) -> None:
    h = board.headline
    assert h.delivered_value == Decimal(duck["delivered"][0][1]), "delivered"
    assert h.committed_value == Decimal(duck["committed"][0][1]), "committed"
    assert h.awarded_value == Decimal(duck["awarded"][0][0]), "awarded"
    assert abs(h.contract_spend - Decimal(duck["spend"][0][0])) < SPEND_TOLERANCE, "spend"
    spend = _as_dict(duck["spend_by_code"])
    assert h.local_spend == spend.get(kpis.LOCAL_CODE, 0), "local spend"
    assert h.msme_spend == spend.get(kpis.MSME_CODE, 0), "MSME spend"
    assert h.vcse_spend == spend.get(kpis.VCSE_CODE, 0), "VCSE spend"
    on_time, due = duck["returns_on_time"][0]
    assert (h.returns_on_time.numerator, h.returns_on_time.denominator) == (on_time, due)
    assert h.officers_trained.denominator == duck["staff"][0][0], "staff"
    for table in board.tables:
        name = table.name
        delivered = {r.key: r.delivered for r in table.rows if r.delivered}
        expected = _as_dict(duck[f"delivered_by_{name}"])
        if name == "quarter":
            expected = {periods[k]: v for k, v in expected.items()}
        assert delivered == {k: v for k, v in expected.items() if v}, f"delivered by {name}"
        if name == "district":
            continue
        committed = {r.key: r.committed for r in table.rows if r.committed}
        if name == "quarter":
            by_quarter: dict[Quarter, Decimal] = {}
            for start, value in duck["committed_by_quarter"]:
                q = quarter_of(start)
                by_quarter[q] = by_quarter.get(q, Decimal(0)) + Decimal(value)
            expected_committed = by_quarter
        else:
            expected_committed = _as_dict(duck[f"committed_by_{name}"])
        wanted = {k: v for k, v in expected_committed.items() if v}
        assert committed == wanted, f"committed by {name}"


# --- PostgreSQL: a database of its own ------------------------------------------------------------


def _postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_default() -> Iterator[None]:
    """Point the default connection at PostgreSQL (the bench database is made by
    ``throwaway_database`` inside)."""
    import dj_database_url

    old = connections.settings["default"]
    parsed = dj_database_url.parse(f"{POSTGRES_URL}/postgres")
    name = f"bench_dashboard_{os.getpid()}"
    new = {**old, **parsed, "OPTIONS": {}, "TEST": {**old.get("TEST", {}), "NAME": name}}
    connections["default"].close()
    connections.settings["default"] = new
    del connections["default"]
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = old
        del connections["default"]


# --- The run -----------------------------------------------------------------------------------


def _measure(label: str, scale: gl.Scale, seed_data: Callable[[], gl.Dataset]) -> BenchResult:
    from socialvalue.contracts.models import ReportingPeriod

    data = seed_data()
    db = duckdb_load(data)
    lead = User.objects.get(organisation_id=data.reference.buyers[0][0], role=User.Role.LEAD)
    option = organisation_options(lead)[0]
    scope = kpis.Scope(option.ids, Quarter(YEAR, 1), Quarter(YEAR, 4))
    today = scale.today
    duck = DuckFigures(db, scope, today)
    periods = {p.pk: p.quarter for p in ReportingPeriod.objects.all()}

    def product() -> Dashboard:
        return build_dashboard(scope, option, today=today)

    _check(product(), duck.compute(), periods)
    best_product, best_duck = interleaved_best_ms(product, duck.compute, rounds=ROUNDS)
    db.close()
    return BenchResult(
        name=f"dashboard_greater_lancashire_{label}",
        value=best_product,
        unit="ms",
        baseline=best_duck,
        target=TARGET_RATIO,
    )


def run(scale: gl.Scale = gl.FULL) -> list[BenchResult]:
    results = []
    with override_settings(DEBUG=False), throwaway_database():
        results.append(_measure("sqlite", scale, lambda: gl.build(scale)))
    if not _postgres_reachable():
        print(f"PostgreSQL at {POSTGRES_URL} is not reachable: its benchmark is skipped.")
        return results
    with override_settings(DEBUG=False), postgres_default(), throwaway_database():
        results.append(_measure("postgresql", scale, lambda: gl.build(scale)))
    return results
