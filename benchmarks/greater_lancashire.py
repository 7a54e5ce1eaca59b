"""A Greater Lancashire scale data set, seeded, written straight into the database.

Twenty buying organisations (the county council, the unitary and district councils, the
ICB, universities, police and fire) report together as one place. Their 5,000 contracts
with suppliers each carry targets (profiled by quarter); sixteen quarters of returns hold
about a million return lines in mixed states, most of them verified.

The rows are worked out once, in Python, as plain tuples (``generate``) and inserted with
one ``executemany`` per table (``COPY`` on PostgreSQL) by ``load``; the benchmark loads the
same tuples into DuckDB. The small tables (organisations, directorates, staff, the place,
the framework) go through the ORM first, so their ids are known to the generator.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from socialvalue.accounts.models import Directorate, Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.contracts.services import even_split
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter, quarters_between
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.insights import rollups
from socialvalue.insights.models import Place
from socialvalue.procurement.models import Tender

SEED = 20240401
DUE_DAYS = 30

# The buying organisations and the district most of their delivery is in ("" for all).
BUYERS: list[tuple[str, str]] = [
    ("Lancashire County Council", ""),
    ("Blackburn with Darwen Borough Council", District.BLACKBURN_WITH_DARWEN),
    ("Blackpool Council", District.BLACKPOOL),
    ("Burnley Borough Council", District.BURNLEY),
    ("Chorley Council", District.CHORLEY),
    ("Fylde Council", District.FYLDE),
    ("Hyndburn Borough Council", District.HYNDBURN),
    ("Lancaster City Council", District.LANCASTER),
    ("Pendle Borough Council", District.PENDLE),
    ("Preston City Council", District.PRESTON),
    ("Ribble Valley Borough Council", District.RIBBLE_VALLEY),
    ("Rossendale Borough Council", District.ROSSENDALE),
    ("South Ribble Borough Council", District.SOUTH_RIBBLE),
    ("West Lancashire Borough Council", District.WEST_LANCASHIRE),
    ("Wyre Council", District.WYRE),
    ("Lancashire and South Cumbria ICB", ""),
    ("Lancaster University", District.LANCASTER),
    ("University of Central Lancashire", District.PRESTON),
    ("Lancashire Constabulary", ""),
    ("Lancashire Fire and Rescue Service", ""),
]
DIRECTORATES = [
    "Adult services",
    "Children and family wellbeing",
    "Growth, environment and transport",
    "Resources",
    "Public health",
]
STAFF_ROLES = [User.Role.LEAD, User.Role.OFFICER, User.Role.OFFICER, User.Role.EVALUATOR]
PLACE_NAME = "Greater Lancashire"
# Verified most of the time; the rest are still with the officer or were sent back.
LINE_STATES = [
    (ReturnLine.Status.VERIFIED, 86),
    (ReturnLine.Status.SUBMITTED, 6),
    (ReturnLine.Status.QUERIED, 4),
    (ReturnLine.Status.REJECTED, 4),
]


@dataclass(frozen=True)
class Scale:
    organisations: int
    suppliers: int
    contracts: int
    first: Quarter
    quarters: int
    lines: int  # about this many return lines in all

    @property
    def reporting_quarters(self) -> list[Quarter]:
        result = [self.first]
        while len(result) < self.quarters:
            result.append(result[-1].next())
        return result

    @property
    def today(self) -> date:
        """A day after the last quarter's returns were due: every return is due by then."""
        return self.reporting_quarters[-1].due_date(DUE_DAYS) + timedelta(days=20)


FULL = Scale(
    organisations=20,
    suppliers=1_200,
    contracts=5_000,
    first=Quarter(2022, 1),
    quarters=16,
    lines=1_000_000,
)
SMALL = Scale(
    organisations=3,
    suppliers=6,
    contracts=12,
    first=Quarter(2025, 1),
    quarters=4,
    lines=400,
)


@dataclass
class Reference:
    """The ids of the small tables the big ones point at."""

    version_id: int
    measures: list[tuple[int, str, Decimal | None]]  # (id, code, proxy)
    buyers: list[tuple[int, str]]  # (id, home district or "")
    directorates: dict[int, list[int]]  # buyer id → its directorate ids
    suppliers: list[int]
    periods: dict[Quarter, int]
    place_id: int


@dataclass
class Dataset:
    """Every row of the big tables, as inserted (ids included)."""

    scale: Scale
    reference: Reference
    contracts: list[tuple[Any, ...]] = field(default_factory=list)
    targets: list[tuple[Any, ...]] = field(default_factory=list)
    target_quarters: list[tuple[Any, ...]] = field(default_factory=list)
    returns: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[tuple[Any, ...]] = field(default_factory=list)


CONTRACT_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "organisation_id",
    "supplier_id",
    "reference",
    "title",
    "directorate_id",
    "service_area_id",
    "category",
    "lever",
    "value",
    "start_date",
    "end_date",
    "contract_manager_id",
    "framework_version_id",
    "tender_id",
    "bid_id",
    "status",
]
TARGET_COLUMNS = ["id", "contract_id", "measure_id", "quantity"]
TARGET_QUARTER_COLUMNS = ["id", "target_id", "period_id", "quantity"]
RETURN_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "supplier_id",
    "period_id",
    "status",
    "is_nil",
    "submitted_at",
    "submitted_by_id",
]
LINE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "return_record_id",
    "contract_id",
    "measure_id",
    "quantity",
    "district",
    "narrative",
    "status",
    "import_batch_id",
]


# --- The small tables, through the ORM ---------------------------------------------------------


def seed_reference(scale: Scale) -> Reference:
    """The framework, organisations, staff, the place and the reporting periods."""
    from socialvalue.framework.services import framework_default_ensure

    framework_default_ensure()
    version = FrameworkVersion.objects.get(slug="lancashire-toms-2024")
    measures = list(
        Measure.objects.filter(version=version)
        .order_by("pk")
        .values_list("pk", "code", "proxy_value")
    )
    buyers = Organisation.objects.bulk_create(
        Organisation(name=name, slug=f"bench-buyer-{n}", kind=Organisation.Kind.BUYER, size="large")
        for n, (name, _) in enumerate(BUYERS[: scale.organisations], start=1)
    )
    directorates = Directorate.objects.bulk_create(
        Directorate(organisation=buyer, name=name) for buyer in buyers for name in DIRECTORATES
    )
    by_buyer: dict[int, list[int]] = {b.pk: [] for b in buyers}
    for directorate in directorates:
        by_buyer[directorate.organisation_id].append(directorate.pk)
    sizes = ["micro", "small", "medium", "large"]
    suppliers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench Supplier {n:04d} Ltd",
            slug=f"bench-supplier-{n}",
            kind=Organisation.Kind.SUPPLIER,
            size=sizes[n % 4],
            is_vcse=n % 9 == 0,
        )
        for n in range(1, scale.suppliers + 1)
    )
    User.objects.bulk_create(
        User(
            email=f"staff{n}@buyer{b.pk}.bench.invalid",
            full_name=f"Staff member {n}",
            organisation=b,
            role=role,
            password="!",
        )
        for b in buyers
        for n, role in enumerate(STAFF_ROLES, start=1)
    )
    place = Place.objects.create(
        name=PLACE_NAME, slug="greater-lancashire", lead_organisation=buyers[0]
    )
    place.members.set(buyers)
    quarters = _period_quarters(scale)
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            year=q.year,
            number=q.number,
            start_date=q.start,
            end_date=q.end,
            due_date=q.due_date(DUE_DAYS),
        )
        for q in quarters
    )
    return Reference(
        version_id=version.pk,
        measures=measures,
        buyers=[(b.pk, home) for b, (_, home) in zip(buyers, BUYERS, strict=False)],
        directorates=by_buyer,
        suppliers=[s.pk for s in suppliers],
        periods={q: p.pk for q, p in zip(quarters, periods, strict=True)},
        place_id=place.pk,
    )


def _contract_window(scale: Scale) -> tuple[date, date]:
    """Contracts start from three years before the first quarter to the last quarter."""
    quarters = scale.reporting_quarters
    return quarters[0].start.replace(year=quarters[0].start.year - 3), quarters[-1].end


MAX_YEARS = 5


def _period_quarters(scale: Scale) -> list[Quarter]:
    first, last = _contract_window(scale)
    return list(quarters_between(first, last.replace(year=last.year + MAX_YEARS)))


# --- The big tables, as tuples -----------------------------------------------------------------


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def generate(scale: Scale, reference: Reference, seed: int = SEED) -> Dataset:
    rng = random.Random(seed)
    data = Dataset(scale, reference)
    reporting = scale.reporting_quarters
    window_start, window_end = _contract_window(scale)
    window_days = (window_end - window_start).days
    categories = [c.value for c in Tender.Category] + [""]
    districts = [d.value for d in District if d != District.OUTSIDE]
    # The county council lets the most contracts; the others share the rest.
    weights = [6.0] + [1.0] * (len(reference.buyers) - 1)

    contract_rows = []
    # contract id → (buyer id, supplier id, home district, target measure ids, start, end)
    contracts: dict[int, tuple[int, int, str, list[int], date, date]] = {}
    target_id = tq_id = 0
    for contract_id in range(1, scale.contracts + 1):
        buyer_id, home = rng.choices(reference.buyers, weights)[0]
        supplier_id = rng.choice(reference.suppliers)
        start = window_start + timedelta(days=rng.randrange(window_days))
        if (start.month, start.day) == (2, 29):
            start -= timedelta(days=1)
        end = start.replace(year=start.year + rng.randint(1, MAX_YEARS)) - timedelta(days=1)
        value = Decimal(rng.randrange(10_000_000, 2_000_000_000)) / 100
        directorate_id = (
            rng.choice(reference.directorates[buyer_id]) if rng.random() < 0.9 else None
        )
        created = _stamp(start)
        contract_rows.append(
            (
                contract_id,
                created,
                created,
                buyer_id,
                supplier_id,
                f"GL-{contract_id:05d}",
                f"Contract {contract_id}",
                directorate_id,
                None,
                rng.choice(categories),
                Contract.Lever.PROCUREMENT.value,
                value,
                start,
                end,
                None,
                reference.version_id,
                None,
                None,
                (Contract.Status.LIVE if end >= scale.today else Contract.Status.ENDED).value,
            )
        )
        chosen = rng.sample(reference.measures, rng.randint(3, 8))
        contract_quarters = [
            reference.periods[q] for q in quarters_between(start, end) if q in reference.periods
        ]
        for measure_id, _, _ in chosen:
            target_id += 1
            quantity = Decimal(rng.randint(10, 500_000)) / 10
            data.targets.append((target_id, contract_id, measure_id, quantity))
            for period_id, share in zip(
                contract_quarters, even_split(quantity, len(contract_quarters)), strict=True
            ):
                tq_id += 1
                data.target_quarters.append((tq_id, target_id, period_id, share))
        contracts[contract_id] = (
            buyer_id,
            supplier_id,
            home,
            [m for m, _, _ in chosen],
            start,
            end,
        )
    data.contracts = contract_rows

    # Who holds what in each reporting quarter.
    active: dict[Quarter, list[int]] = {
        q: [c for c, (_, _, _, _, s, e) in contracts.items() if s <= q.end and e >= q.start]
        for q in reporting
    }
    pairs = sum(len(v) for v in active.values())
    per_pair = scale.lines / pairs if pairs else 0
    all_measures = [m for m, _, _ in reference.measures]
    states = [s.value for s, _ in LINE_STATES]
    state_weights = [w for _, w in LINE_STATES]
    return_id = line_id = 0
    for quarter in reporting:
        period_id = reference.periods[quarter]
        due = quarter.due_date(DUE_DAYS)
        by_supplier: dict[int, list[int]] = {}
        for contract_id in active[quarter]:
            by_supplier.setdefault(contracts[contract_id][1], []).append(contract_id)
        for supplier_id in sorted(by_supplier):
            return_id += 1
            roll = rng.random()
            if roll < 0.04:
                submitted = None  # never submitted: its lines are still drafts
            elif roll < 0.16:
                submitted = _stamp(due + timedelta(days=rng.randint(1, 40)))
            else:
                submitted = _stamp(quarter.end + timedelta(days=rng.randint(1, DUE_DAYS)))
            created = _stamp(quarter.end + timedelta(days=1))
            data.returns.append(
                (
                    return_id,
                    created,
                    submitted or created,
                    supplier_id,
                    period_id,
                    (Return.Status.SUBMITTED if submitted else Return.Status.DRAFT).value,
                    False,
                    submitted,
                    None,
                )
            )
            for contract_id in by_supplier[supplier_id]:
                _, _, home, measures, _, _ = contracts[contract_id]
                count = int(per_pair * 2 * rng.random() + 0.5)
                for _ in range(count):
                    line_id += 1
                    measure_id = (
                        rng.choice(measures) if rng.random() < 0.9 else rng.choice(all_measures)
                    )
                    district = home if home and rng.random() < 0.7 else rng.choice(districts)
                    quantity = Decimal(rng.randint(0, 2_000_000)) / 1000
                    status = (
                        rng.choices(states, state_weights)[0]
                        if submitted
                        else ReturnLine.Status.DRAFT.value
                    )
                    data.lines.append(
                        (
                            line_id,
                            created,
                            submitted or created,
                            return_id,
                            contract_id,
                            measure_id,
                            quantity,
                            district,
                            "",
                            status,
                            None,
                        )
                    )
    return data


# --- Writing ------------------------------------------------------------------------------------


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    table = model._meta.db_table
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the driver's cursor: COPY is the bulk path on PostgreSQL
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops = connection.ops
        adapted = (
            tuple(
                ops.adapt_datetimefield_value(v)
                if isinstance(v, datetime)
                else str(v)
                if isinstance(v, Decimal | date)
                else v
                for v in row
            )
            for row in rows
        )
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        cursor.executemany(sql, list(adapted))


def load(data: Dataset) -> None:
    """Insert the big tables in one transaction, then move the id sequences past them.

    As for any bulk load, the delivered rollup's triggers are set aside while the lines go
    in and the rollup is rebuilt from them once at the end, in the same transaction.
    """
    with transaction.atomic():
        _insert(Contract, CONTRACT_COLUMNS, data.contracts)
        _insert(Target, TARGET_COLUMNS, data.targets)
        _insert(TargetQuarter, TARGET_QUARTER_COLUMNS, data.target_quarters)
        _insert(Return, RETURN_COLUMNS, data.returns)
        rollups.uninstall()
        for chunk in _chunks(data.lines, 100_000):
            _insert(ReturnLine, LINE_COLUMNS, chunk)
        if rollups.is_supported():
            rollups.install()
        models = [Contract, Target, TargetQuarter, Return, ReturnLine]
        statements = connection.ops.sequence_reset_sql(_no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _chunks(rows: list[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _no_style() -> Any:
    from django.core.management.color import no_style

    return no_style()


def build(scale: Scale, seed: int = SEED) -> Dataset:
    """Seed the small tables, generate the big ones and write them: the whole data set."""
    reference = seed_reference(scale)
    data = generate(scale, reference, seed)
    load(data)
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # What autovacuum does after a bulk load: statistics and the visibility map (so
        # index-only scans need not visit the table).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return data
