"""The database: SQLite's connection options, and telling a busy database from a broken one.

Two people saving at the same moment is normal; neither should see an error page. On SQLite
every write transaction takes the write lock when it begins (``BEGIN IMMEDIATE``) and waits
up to ``SQLITE_BUSY_TIMEOUT`` seconds for it, instead of starting as a reader and failing
when it first writes. On PostgreSQL a transaction can still lose to another one (a
serialization failure, a deadlock, a lock it may not wait for). Whatever still fails for
being busy is answered with a 409 and a message to try again (``BusyDatabaseMiddleware``,
and the API's exception handler), never a 500.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

BUSY_MESSAGE = "The service is busy saving someone else's change. Please try again."

JOURNAL_MODES = ("WAL", "DELETE", "TRUNCATE", "PERSIST")
# SQLite: the lock was not free within the timeout, or (shared-cache in-memory databases,
# as in the tests) another connection holds the table.
SQLITE_BUSY = ("database is locked", "database table is locked")
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
POSTGRESQL_BUSY = frozenset({"40001", "40P01", "55P03"})


def sqlite_options(name: str, *, timeout: int, journal_mode: str) -> dict[str, Any]:
    """``OPTIONS`` for a SQLite database called ``name`` (a path, or ``:memory:``).

    Writes take the lock up front and wait ``timeout`` seconds for it. A file database also
    gets ``journal_mode`` (write-ahead logging by default: readers never wait for a writer;
    ``DELETE`` where the file lives on a network share, which cannot do WAL) and, in WAL,
    ``synchronous=NORMAL`` (safe in WAL, and fewer waits for the disk).
    """
    mode = journal_mode.strip().upper()
    if mode not in JOURNAL_MODES:
        raise ImproperlyConfigured(
            f"SQLITE_JOURNAL_MODE must be one of {', '.join(JOURNAL_MODES)}; got {journal_mode!r}"
        )
    if timeout < 0:
        raise ImproperlyConfigured(f"SQLITE_BUSY_TIMEOUT must be 0 or more; got {timeout}")
    options: dict[str, Any] = {"transaction_mode": "IMMEDIATE", "timeout": timeout}
    if not is_in_memory(name):
        pragmas = [f"PRAGMA journal_mode={mode}"]
        if mode == "WAL":
            pragmas.append("PRAGMA synchronous=NORMAL")
        options["init_command"] = "; ".join(pragmas)
    return options


def is_in_memory(name: object) -> bool:
    text = str(name or "")
    return text in {"", ":memory:"} or "mode=memory" in text


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means the database was busy with someone else's change (so trying
    again will work), rather than something being wrong."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in POSTGRESQL_BUSY:
        return True
    return str(error).strip().lower() in SQLITE_BUSY
