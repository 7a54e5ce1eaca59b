"""The delivered rollup (``DeliveredRollup``): verified quantities summed ahead of time.

A dashboard sums every verified return line of its quarters; at Greater Lancashire scale
that is a million lines. The rollup holds the same sums per (organisation, quarter or whole
financial year, measure) and per one more dimension, so the dashboard reads a few thousand
rows.

It is kept exact by database triggers, in the transaction of the change itself, whatever
makes it (the services, the API, imports, the admin, a cascade, plain SQL):

- a return line inserted, deleted or updated (status, quantity, measure, district, contract,
  return) moves its quantity out of the old cell and into the new one when it is, or was,
  verified;
- a contract whose organisation, supplier, directorate or category changes moves its
  verified lines' sums to the new cells.

A return's quarter and a reporting period's year never change, so nothing watches them;
``rebuild()`` would put the rollup right if they did.

Quantities have at most 6 decimal places and are held as whole millionths, summed the way
``kpis.exact_sum`` sums them. Cells whose lines all left stay with ``lines = 0`` and are
ignored when read; ``rebuild()`` recomputes the whole table from the lines.
"""

from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SUPPORTED = frozenset({"sqlite", "postgresql"})
TABLE = "insights_deliveredrollup"
LINES, CONTRACTS, RETURNS = "contracts_returnline", "contracts_contract", "contracts_return"
VERIFIED = "verified"
PERIODS = "contracts_reportingperiod"
COLUMNS = "kind, year, period_id, organisation_id, measure_id, item, micro_units, lines"
CONFLICT = (
    "ON CONFLICT (kind, period_id, year, organisation_id, measure_id, item) DO UPDATE SET "
    f"micro_units = {TABLE}.micro_units + excluded.micro_units, "
    f"lines = {TABLE}.lines + excluded.lines"
)
KINDS = (
    "(SELECT 'total' AS kind UNION ALL SELECT 'district' UNION ALL SELECT 'directorate' "
    "UNION ALL SELECT 'category' UNION ALL SELECT 'supplier') k, "
    "(SELECT 0 AS whole UNION ALL SELECT 1) g"
)
# Each line counts in its quarter's cell and in its financial year's (period 0).
PERIOD = "CASE g.whole WHEN 1 THEN 0 ELSE p.id END"


def _item(district: str, c: str) -> str:
    """The cell's dimension value, from a line's district and its contract ``c``."""
    return (
        f"CASE k.kind WHEN 'district' THEN {district} "
        f"WHEN 'directorate' THEN COALESCE(CAST({c}.directorate_id AS TEXT), '') "
        f"WHEN 'category' THEN {c}.category "
        f"WHEN 'supplier' THEN CAST({c}.supplier_id AS TEXT) ELSE '' END"
    )


def _micro(quantity: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"CAST(ROUND({quantity} * 1000000) AS INTEGER)"
    return f"({quantity} * 1000000)"


def _line_delta(row: str, sign: str, vendor: str) -> str:
    """Add (sign "") or take away (sign "-") one line, ``row`` (NEW or OLD), to its cells."""
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) "
        f"SELECT k.kind, p.year, {PERIOD}, c.organisation_id, {row}.measure_id, "
        f"{_item(f'{row}.district', 'c')}, {sign}{_micro(f'{row}.quantity', vendor)}, {sign}1 "
        f"FROM {CONTRACTS} c, {RETURNS} r, {PERIODS} p, {KINDS} "
        f"WHERE c.id = {row}.contract_id AND r.id = {row}.return_record_id "
        "AND p.id = r.period_id "
        f"{CONFLICT}"
    )


def _contract_delta(row: str, sign: str, vendor: str) -> str:
    """Add or take away every verified line of a contract, with ``row``'s attributes."""
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) "
        f"SELECT k.kind, p.year, {PERIOD}, {row}.organisation_id, l.measure_id, "
        f"{_item('l.district', row)}, {sign}SUM({_micro('l.quantity', vendor)}), "
        f"{sign}COUNT(*) "
        f"FROM {LINES} l JOIN {RETURNS} r ON r.id = l.return_record_id "
        f"JOIN {PERIODS} p ON p.id = r.period_id, {KINDS} "
        f"WHERE l.contract_id = {row}.id AND l.status = '{VERIFIED}' "
        f"GROUP BY 1, 2, 3, 4, 5, 6 "
        f"{CONFLICT}"
    )


def rebuild_sql(vendor: str) -> list[str]:
    return [
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} ({COLUMNS}) "
        f"SELECT k.kind, p.year, {PERIOD}, c.organisation_id, l.measure_id, "
        f"{_item('l.district', 'c')}, SUM({_micro('l.quantity', vendor)}), COUNT(*) "
        f"FROM {LINES} l JOIN {RETURNS} r ON r.id = l.return_record_id "
        f"JOIN {PERIODS} p ON p.id = r.period_id "
        f"JOIN {CONTRACTS} c ON c.id = l.contract_id, {KINDS} "
        f"WHERE l.status = '{VERIFIED}' "
        "GROUP BY 1, 2, 3, 4, 5, 6",
    ]


CONTRACT_CHANGED = (
    "(OLD.organisation_id <> NEW.organisation_id OR OLD.supplier_id <> NEW.supplier_id "
    "OR OLD.category <> NEW.category OR {directorate_differs})"
)
LINE_COLUMNS = "status, quantity, measure_id, district, contract_id, return_record_id"
TRIGGERS = [
    "insights_rollup_line_insert",
    "insights_rollup_line_delete",
    "insights_rollup_line_update",
    "insights_rollup_contract_update",
]


def _sqlite_triggers() -> list[str]:
    v = "sqlite"
    was, now = f"OLD.status = '{VERIFIED}'", f"NEW.status = '{VERIFIED}'"
    changed = CONTRACT_CHANGED.format(
        directorate_differs="OLD.directorate_id IS NOT NEW.directorate_id"
    )
    # A trigger's INSERT … SELECT needs its own WHERE; the guards go in the trigger's WHEN
    # or, for an update, into the SELECT's WHERE (…AND …).
    return [
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {LINES} WHEN {now} "
        f"BEGIN {_line_delta('NEW', '', v)}; END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {LINES} WHEN {was} "
        f"BEGIN {_line_delta('OLD', '-', v)}; END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF {LINE_COLUMNS} ON {LINES} "
        f"WHEN {was} OR {now} BEGIN "
        + _line_delta("OLD", "-", v).replace("WHERE ", f"WHERE {was} AND ", 1)
        + "; "
        + _line_delta("NEW", "", v).replace("WHERE ", f"WHERE {now} AND ", 1)
        + "; END",
        f"CREATE TRIGGER {TRIGGERS[3]} AFTER UPDATE OF organisation_id, supplier_id, "
        f"directorate_id, category ON {CONTRACTS} WHEN {changed} BEGIN "
        f"{_contract_delta('OLD', '-', v)}; {_contract_delta('NEW', '', v)}; END",
    ]


def _postgresql_triggers() -> list[str]:
    v = "postgresql"
    was, now = f"OLD.status = '{VERIFIED}'", f"NEW.status = '{VERIFIED}'"
    changed = CONTRACT_CHANGED.format(
        directorate_differs="OLD.directorate_id IS DISTINCT FROM NEW.directorate_id"
    )
    return [
        f"""CREATE FUNCTION insights_rollup_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND {was} THEN
        {_line_delta("OLD", "-", v)};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND {now} THEN
        {_line_delta("NEW", "", v)};
    END IF;
    RETURN NULL;
END $$""",
        f"""CREATE FUNCTION insights_rollup_contract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_contract_delta("OLD", "-", v)};
    {_contract_delta("NEW", "", v)};
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {LINES} FOR EACH ROW "
        f"WHEN ({now}) EXECUTE FUNCTION insights_rollup_line()",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {LINES} FOR EACH ROW "
        f"WHEN ({was}) EXECUTE FUNCTION insights_rollup_line()",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF {LINE_COLUMNS} ON {LINES} "
        f"FOR EACH ROW WHEN ({was} OR {now}) EXECUTE FUNCTION insights_rollup_line()",
        f"CREATE TRIGGER {TRIGGERS[3]} AFTER UPDATE OF organisation_id, supplier_id, "
        f"directorate_id, category ON {CONTRACTS} FOR EACH ROW WHEN {changed} "
        "EXECUTE FUNCTION insights_rollup_contract()",
    ]


def create_triggers_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_triggers()
    if vendor == "postgresql":
        return _postgresql_triggers()
    return []


def drop_triggers_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]
    if vendor == "postgresql":
        tables = [LINES, LINES, LINES, CONTRACTS]
        return [
            *(f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, t in zip(TRIGGERS, tables, strict=True)),
            "DROP FUNCTION IF EXISTS insights_rollup_line()",
            "DROP FUNCTION IF EXISTS insights_rollup_contract()",
        ]
    return []


def is_supported(using: BaseDatabaseWrapper | None = None) -> bool:
    return (using or connection).vendor in SUPPORTED


def _execute(statements: list[str], using: BaseDatabaseWrapper) -> None:
    with using.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(using: BaseDatabaseWrapper | None = None) -> None:
    """Create the triggers (replacing any) and fill the rollup from the lines."""
    using = using or connection
    with transaction.atomic(using=using.alias):
        _execute(drop_triggers_sql(using.vendor), using)
        _execute(create_triggers_sql(using.vendor), using)
        _execute(rebuild_sql(using.vendor), using)


def uninstall(using: BaseDatabaseWrapper | None = None) -> None:
    using = using or connection
    _execute(drop_triggers_sql(using.vendor), using)


def rebuild(using: BaseDatabaseWrapper | None = None) -> int:
    """Recompute the whole rollup from the verified lines; returns the number of cells."""
    using = using or connection
    if not is_supported(using):
        return 0
    with transaction.atomic(using=using.alias):
        _execute(rebuild_sql(using.vendor), using)
        with using.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])


def installed_triggers(using: BaseDatabaseWrapper | None = None) -> set[str]:
    using = using or connection
    names = ", ".join(f"'{name}'" for name in TRIGGERS)
    if using.vendor == "sqlite":
        sql = f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    elif using.vendor == "postgresql":
        sql = f"SELECT tgname FROM pg_trigger WHERE tgname IN ({names})"
    else:
        return set()
    with using.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def ensure_installed(using: BaseDatabaseWrapper | str | None = None, **kwargs: object) -> bool:
    """Reinstall the triggers (and rebuild) when any is missing; True when it did.

    SQLite drops a table's triggers when a migration rebuilds the table, so this is meant
    to run after every ``migrate``: it is a ``post_migrate`` receiver as it stands (``using``
    is then the database alias).
    """
    using = connections[using] if isinstance(using, str) else using or connection
    if not is_supported(using) or installed_triggers(using) == set(TRIGGERS):
        return False
    install(using)
    return True
