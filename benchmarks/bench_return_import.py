"""Importing 100,000 return lines from CSV against a raw bulk insert of the same rows.

A supplier holds 200 contracts live in one quarter; its draft return is filled from a
100,000-line CSV file (contract reference, measure code, quantity, district name,
narrative), seeded so every run imports the same file.

- Measured: ``contracts.imports.lines_import(return, rows_from_csv(data), ...)`` as the
  upload page uses it: decoding and parsing the file, checking every row (contract in the
  quarter, measure of its framework, quantity, district, narrative) and saving the lines in
  one transaction.
- Baseline: the floor for the same rows in the same database: the already-parsed tuples
  inserted with one ``executemany`` of an INSERT into the return line table, in one
  transaction.

Both run in a throwaway database (migrated for the run and removed afterwards), alternately,
with the lines deleted between runs (untimed), and the best run of each is kept. The figure
is a rate, so higher is better: the target is at least half the raw rate.
"""

import csv
import io
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from benchmarks.common import BenchResult, best_time_ms
from socialvalue.accounts.models import Organisation
from socialvalue.contracts.imports import lines_import, rows_from_csv
from socialvalue.contracts.models import Contract, ImportBatch, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure

ROWS = 100_000
CONTRACTS = 200
ROUNDS = 3
TARGET_RATIO = 0.5
QUARTER = Quarter(2025, 1)


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Point the default connection at a new, migrated database for the block's length.

    SQLite gets a file in a temporary directory; another database gets a ``test_`` one.
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-return-import-"))
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(folder / "bench.sqlite3")
    try:
        with override_settings(DEBUG=False):
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                yield
            finally:
                creation.destroy_test_db(old_name, verbosity=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _setup() -> tuple[Return, FrameworkVersion]:
    from socialvalue.framework.services import framework_default_ensure

    framework_default_ensure()
    version = FrameworkVersion.objects.get(slug="lancashire-toms-2024")
    buyer = Organisation.objects.create(
        name="Bench County Council", slug="bench-county", kind=Organisation.Kind.BUYER
    )
    supplier = Organisation.objects.create(
        name="Bench Supplier Ltd", slug="bench-supplier", kind=Organisation.Kind.SUPPLIER
    )
    Contract.objects.bulk_create(
        Contract(
            organisation=buyer,
            supplier=supplier,
            reference=f"BENCH-{n:04d}",
            title=f"Contract {n}",
            value=Decimal("100000.00"),
            start_date=date(2025, 4, 1),
            end_date=date(2027, 3, 31),
            framework_version=version,
        )
        for n in range(1, CONTRACTS + 1)
    )
    return_record = Return.objects.create(supplier=supplier, period=period_for(QUARTER))
    return return_record, version


def _csv(version: FrameworkVersion) -> bytes:
    rng = random.Random(20243)
    codes = list(Measure.objects.filter(version=version).values_list("code", flat=True))
    districts = [d.label for d in District]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["contract", "measure", "quantity", "district", "narrative"])
    for n in range(ROWS):
        writer.writerow(
            [
                f"BENCH-{rng.randint(1, CONTRACTS):04d}",
                rng.choice(codes),
                Decimal(rng.randint(0, 5_000_000)) / 1000,
                rng.choice(districts),
                f"Delivered at site {rng.randint(1, 999)}, week {n % 13 + 1}",
            ]
        )
    return out.getvalue().encode()


def _raw_rows(return_record: Return, data: bytes) -> tuple[str, list[tuple[Any, ...]]]:
    """The INSERT statement and its parameters, worked out once, outside the timing."""
    contracts = dict(
        Contract.objects.filter(supplier=return_record.supplier).values_list("reference", "pk")
    )
    version_id = Contract.objects.filter(supplier=return_record.supplier).values_list(
        "framework_version_id", flat=True
    )[0]
    measures = dict(Measure.objects.filter(version_id=version_id).values_list("code", "pk"))
    districts = {d.label: d.value for d in District}
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple[Any, ...]] = []
    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    next(reader)
    for reference, code, quantity, district, narrative in reader:
        rows.append(
            (
                return_record.pk,
                contracts[reference],
                measures[code],
                ops.adapt_decimalfield_value(Decimal(quantity), 21, 6),
                districts[district],
                narrative,
                ReturnLine.Status.DRAFT.value,
                None,
                now,
                now,
            )
        )
    table = ReturnLine._meta.db_table
    columns = [
        "return_record_id",
        "contract_id",
        "measure_id",
        "quantity",
        "district",
        "narrative",
        "status",
        "import_batch_id",
        "created_at",
        "updated_at",
    ]
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    return sql, rows


def _saved() -> list[tuple[Any, ...]]:
    return list(
        ReturnLine.objects.order_by("pk").values_list(
            "contract_id", "measure_id", "quantity", "district", "narrative", "status"
        )
    )


def run() -> list[BenchResult]:
    with throwaway_database():
        return [_measure()]


def _measure() -> BenchResult:
    return_record, version = _setup()
    data = _csv(version)
    sql, rows = _raw_rows(return_record, data)

    def clear() -> None:
        # Straight to SQL: the ORM's delete would first read the 100,000 rows back.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(ReturnLine._meta.db_table)}")
        ImportBatch.objects.all().delete()

    def product() -> object:
        return lines_import(return_record, rows_from_csv(data), file_name="bench.csv", by=None)

    def raw() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    # Same rows first: the comparison is only fair if both sides save the same lines.
    product()
    imported = _saved()
    clear()
    raw()
    inserted = _saved()
    clear()
    assert len(imported) == ROWS
    assert imported == inserted

    best_product = best_raw = float("inf")
    for _ in range(ROUNDS):
        best_product = min(best_product, best_time_ms(product, repeat=1))
        clear()
        best_raw = min(best_raw, best_time_ms(raw, repeat=1))
        clear()
    return BenchResult(
        name="return_import_100k",
        value=ROWS / (best_product / 1000),
        unit="rows/s",
        baseline=ROWS / (best_raw / 1000),
        target=TARGET_RATIO,
        better="higher",
    )
