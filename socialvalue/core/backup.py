"""Backup and restore of the whole platform: the database and the uploaded files.

A backup is a directory holding

- ``database.pgdump`` (PostgreSQL: ``pg_dump`` custom format, without owners or privileges,
  so it restores into any database) or ``database.sqlite3`` (SQLite: a copy made with
  SQLite's online backup API, safe while the service runs);
- ``media/`` and ``private/``: the public uploaded files (``MEDIA_ROOT``) and the private
  evidence files (``PRIVATE_MEDIA_ROOT``), copied as they are;
- ``manifest.json``: the format, when, the platform version, the database vendor, the
  latest applied migration of each app, the rows of every table, and a size and SHA-256
  for every other file in the directory.

The manifest is written last, so a backup that stopped half way has none and is never
restored. A restore checks every file against the manifest before it changes anything,
and checks the restored rows and files against it afterwards.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

import socialvalue

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_PARTIAL = ".manifest.json.partial"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Folder in a backup → the file storage whose files it holds.
MEDIA_TREES = {"media": "default", "private": "evidence"}
STORAGE_SETTINGS = {"default": "MEDIA_ROOT", "evidence": "PRIVATE_MEDIA_ROOT"}
# Everything a backup directory may hold: only these are replaced by ``backup --force``.
BACKUP_ENTRIES = {MANIFEST, MANIFEST_PARTIAL, *DATABASE_FILES.values(), *MEDIA_TREES}
PROJECT_PACKAGE = socialvalue.__name__
CHUNK = 1024 * 1024
# Connection settings passed to pg_dump and pg_restore through libpq's environment, never
# on their command line (where any user of the machine could read the password).
LIBPQ_SETTINGS = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "NAME": "PGDATABASE"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

ERR_VENDOR_UNSUPPORTED = "Backups support PostgreSQL and SQLite databases, not {vendor}."
ERR_DATABASE_UNREACHABLE = "The database cannot be reached: {reason}"
ERR_STORAGE_NOT_FILESYSTEM = (
    "The '{alias}' file storage ({setting}) is {backend}, not a filesystem storage: this "
    "command copies only local files. Back up that storage with its provider's own tools "
    "(versioning or replication of the bucket, say)."
)
ERR_DIRECTORY_NOT_DIRECTORY = "{directory} exists and is not a directory."
ERR_IN_TRANSACTION = (
    "A SQLite backup copies what is committed, so it cannot be made from inside a "
    "transaction that is writing. Run it on its own (socialvalue backup DIR)."
)
ERR_DIRECTORY_NOT_EMPTY = (
    "The backup directory {directory} is not empty. Choose a new or empty directory, or "
    "use --force to replace the backup it holds."
)
ERR_DIRECTORY_FOREIGN = (
    "The backup directory {directory} holds {name}, which is not part of a backup: "
    "choose a new or empty directory (--force replaces only an earlier backup)."
)
ERR_DIRECTORY_OVERLAPS = (
    "The backup directory {directory} overlaps {what} ({path}): keep backups outside the "
    "platform's own data."
)
ERR_TOOL_MISSING = (
    "{tool} was not found. Install the PostgreSQL client tools (Debian: postgresql-client) "
    "in the same major version as the server."
)
ERR_TOOL_FAILED = "{tool} failed (exit status {status}):\n{output}"
ERR_BACKUP_FAILED = (
    "The backup in {directory} failed: {reason}. It has no manifest, so it can never be "
    "restored; run the backup again with --force once the cause is fixed."
)

ERR_NOT_A_DIRECTORY = "{directory} is not a directory. Nothing was restored."
ERR_MANIFEST_MISSING = (
    "{path} is missing: this is not a complete backup (the manifest is written last). "
    "Nothing was restored."
)
ERR_MANIFEST_UNREADABLE = "The manifest {path} cannot be read: {reason}. Nothing was restored."
ERR_FILE_MISSING = "{name} is listed in the manifest but missing. Nothing was restored."
ERR_FILE_UNLISTED = (
    "{name} is in the backup directory but not in the manifest. Nothing was restored."
)
ERR_FILE_SIZE = (
    "{name} has {actual} bytes where the manifest says {expected}: the file was changed "
    "or damaged. Nothing was restored."
)
ERR_FILE_HASH = (
    "{name} does not match its SHA-256 in the manifest: the file was changed or damaged. "
    "Nothing was restored."
)
ERR_FILE_UNREADABLE = "{name} cannot be read: {reason}. Nothing was restored."
ERR_VENDOR_MISMATCH = (
    "This is a {backup} backup and the configured database is {target}: a backup restores "
    "only into the same kind of database. Nothing was restored."
)
ERR_NEWER_BACKUP = (
    "The backup was made by a newer version of the platform (migration {migration} is "
    "unknown here): upgrade the platform before restoring. Nothing was restored."
)
ERR_TARGET_NOT_EMPTY = (
    "The target is not empty: {what}. Use --force to replace everything (the database and "
    "the uploaded files) with the backup. Nothing was restored."
)
ERR_VERIFY_TABLES = "After restoring, the tables differ from the backup's: {difference}."
ERR_VERIFY_ROWS = "After restoring, {table} has {actual} rows where the backup had {expected}."
ERR_VERIFY_FILE = "After restoring, {name} does not match its SHA-256 in the manifest."
ERR_RESTORE_FAILED = (
    "The restore failed part way: {reason}. Fix the cause and restore again with --force."
)


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    platform_version: str
    vendor: str
    database_file: str
    migrations: dict[str, str]
    tables: dict[str, int]
    files: tuple[FileEntry, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "created_at": self.created_at,
            "platform_version": self.platform_version,
            "database": {"vendor": self.vendor, "file": self.database_file},
            "migrations": self.migrations,
            "tables": self.tables,
            "files": [
                {"path": entry.path, "size": entry.size, "sha256": entry.sha256}
                for entry in self.files
            ],
        }

    def summary(self) -> str:
        rows = sum(self.tables.values())
        size = sum(entry.size for entry in self.files)
        return f"{len(self.tables)} tables, {rows} rows, {len(self.files)} files, {size} bytes"


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    # Migrations of this version of the platform that the restored database lacks.
    pending_migrations: int


# Backup


def backup_create(
    *, directory: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> Manifest:
    """Write a backup of the database ``using`` and of the uploaded files into
    ``directory``. The database is copied first, then the files: a file uploaded while the
    backup runs is at worst an extra file nothing refers to."""
    connection = connections[using]
    vendor = _vendor(connection)
    roots = media_roots()
    directory = directory.resolve()
    _refuse_overlap(directory, roots, connection)
    try:
        _prepare_directory(directory, force=force)
        return _write_backup(directory, connection, vendor, roots)
    except OSError as exc:
        reason = _reason(exc)
        raise BackupError(ERR_BACKUP_FAILED.format(directory=directory, reason=reason)) from exc


def _write_backup(
    directory: Path, connection: BaseDatabaseWrapper, vendor: str, roots: dict[str, Path]
) -> Manifest:
    database_file = DATABASE_FILES[vendor]
    dump = directory / database_file
    if vendor == "postgresql":
        tables, migrations = _dump_postgresql(connection, dump)
    else:
        tables, migrations = _dump_sqlite(connection, dump)
    files = [FileEntry(database_file, dump.stat().st_size, file_sha256(dump))]
    for folder, root in roots.items():
        files.extend(_copy_tree(root, directory / folder, folder))

    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        platform_version=socialvalue.__version__,
        vendor=vendor,
        database_file=database_file,
        migrations=migrations,
        tables=tables,
        files=tuple(files),
    )
    partial = directory / MANIFEST_PARTIAL
    partial.write_text(json.dumps(manifest.as_json(), indent=2) + "\n", encoding="utf-8")
    partial.replace(directory / MANIFEST)
    return manifest


def _prepare_directory(directory: Path, *, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise BackupError(ERR_DIRECTORY_NOT_DIRECTORY.format(directory=directory))
    directory.mkdir(parents=True, exist_ok=True)
    entries = sorted(child.name for child in directory.iterdir())
    if not entries:
        return
    if not force:
        raise BackupError(ERR_DIRECTORY_NOT_EMPTY.format(directory=directory))
    foreign = [name for name in entries if name not in BACKUP_ENTRIES]
    if foreign:
        raise BackupError(ERR_DIRECTORY_FOREIGN.format(directory=directory, name=foreign[0]))
    for name in entries:
        path = directory / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _dump_postgresql(
    connection: BaseDatabaseWrapper, dump: Path
) -> tuple[dict[str, int], dict[str, str]]:
    # pg_dump reads the snapshot this transaction exports, so the rows counted here are
    # exactly the rows dumped even while the service keeps writing. A session of its own,
    # whatever transaction the caller's connection is in.
    with separate_connection(connection.settings_dict) as session:
        _connect(session)
        session.set_autocommit(False)
        try:
            with session.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run_tool(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                session,
            )
            return table_row_counts(session), migration_state(session)
        finally:
            session.rollback()


def _dump_sqlite(
    connection: BaseDatabaseWrapper, dump: Path
) -> tuple[dict[str, int], dict[str, str]]:
    _connect(connection)
    if connection.connection.in_transaction:
        # SQLite answers "busy" to a backup from a connection holding a write transaction,
        # and the backup would wait for it for ever.
        raise BackupError(ERR_IN_TRANSACTION)
    copy = sqlite3.connect(dump)
    try:
        # One step: the source is read under one lock, so the copy is consistent.
        connection.connection.backup(copy)
    finally:
        copy.close()
    # Counted in the copy itself: whatever the service wrote since is not in the backup.
    copied = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump)}
    with separate_connection(copied) as backup:
        return table_row_counts(backup), migration_state(backup)


def _copy_tree(root: Path, destination: Path, folder: str) -> list[FileEntry]:
    entries = []
    for path in files_under(root):
        relative = path.relative_to(root).as_posix()
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            size, digest = _copy_and_hash(path, target)
        except FileNotFoundError:
            continue  # deleted by the running service since the folder was listed
        entries.append(FileEntry(f"{folder}/{relative}", size, digest))
    return entries


# Restore


def backup_restore(
    *, directory: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Replace the database ``using`` and the uploaded files with the backup in
    ``directory``. Everything is checked before anything changes: the backup's files
    against its manifest, the kind of database, the platform version, and (without
    ``force``) that the target holds no data. The restored rows and files are then
    checked against the manifest."""
    directory = directory.resolve()
    manifest = manifest_verify(directory)
    connection = connections[using]
    vendor = _vendor(connection)
    if manifest.vendor != vendor:
        raise BackupError(
            ERR_VENDOR_MISMATCH.format(
                backup=VENDOR_NAMES[manifest.vendor], target=VENDOR_NAMES[vendor]
            )
        )
    _refuse_unknown_migrations(manifest)
    roots = media_roots()
    _refuse_overlap(directory, roots, connection)
    if not force:
        _refuse_non_empty(connection, roots)

    dump = directory / manifest.database_file
    try:
        if vendor == "postgresql":
            _restore_postgresql(connection, dump, manifest)
        else:
            _restore_sqlite(connection, dump)
        for folder, root in roots.items():
            _restore_tree(directory / folder, root, _entries_in(manifest, folder))
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(ERR_RESTORE_FAILED.format(reason=_reason(exc))) from exc

    _verify_tables(connection, manifest)
    for folder, root in roots.items():
        _verify_tree(root, _entries_in(manifest, folder))
    return RestoreResult(manifest, pending_migrations(connection))


def _refuse_unknown_migrations(manifest: Manifest) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    for app, name in sorted(manifest.migrations.items()):
        if (app, name) not in known:
            raise BackupError(ERR_NEWER_BACKUP.format(migration=f"{app}.{name}"))


def _refuse_non_empty(connection: BaseDatabaseWrapper, roots: dict[str, Path]) -> None:
    filled = project_tables_with_rows(connection)
    if filled:
        table, rows = filled[0]
        others = len(filled) - 1
        more = f" and {others} more table{'s' if others > 1 else ''}" if others else ""
        noun = "row" if rows == 1 else "rows"
        what = f"the database has {rows} {noun} in {table}{more}"
        raise BackupError(ERR_TARGET_NOT_EMPTY.format(what=what))
    for folder, root in roots.items():
        count = sum(1 for _ in files_under(root))
        if count:
            setting = STORAGE_SETTINGS[MEDIA_TREES[folder]]
            noun = "file" if count == 1 else "files"
            what = f"{setting} ({root}) holds {count} {noun}"
            raise BackupError(ERR_TARGET_NOT_EMPTY.format(what=what))


def project_tables_with_rows(connection: BaseDatabaseWrapper) -> list[tuple[str, int]]:
    """The tables of the platform's own models (with their many-to-many and history
    tables) that hold rows. A database that was only migrated has none: Django's own
    tables (content types, permissions) are filled by ``migrate`` and do not count."""
    _connect(connection)
    existing = set(connection.introspection.table_names())
    tables = {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith(f"{PROJECT_PACKAGE}.")
        for model in config.get_models(include_auto_created=True)
    }
    counts = table_row_counts(connection, sorted(tables & existing))
    return [(table, rows) for table, rows in counts.items() if rows]


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path, manifest: Manifest) -> None:
    _connect(connection)
    existing = set(connection.introspection.table_names())
    # Tables the backup does not have (from a later migration, say) would be left behind
    # by pg_restore and break the next migrate: the database becomes the backup's.
    leftovers = sorted(existing - set(manifest.tables))
    if leftovers:
        names = ", ".join(connection.ops.quote_name(table) for table in leftovers)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")
    connection.close()
    arguments = ["--no-owner", "--no-acl", "--single-transaction"]
    if existing:
        # Drops every object of the backup before creating it again: the restore
        # replaces what is there, in one transaction, all or nothing.
        arguments += ["--clean", "--if-exists"]
    name = connection.settings_dict["NAME"]
    _run_tool("pg_restore", [*arguments, f"--dbname={name}", str(dump)], connection)


def _restore_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.close()
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        _connect(connection)
        # The backup API replaces the whole database, pages and schema, under a lock.
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


def _restore_tree(source: Path, root: Path, entries: dict[str, FileEntry]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative in entries:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        try:
            _copy_and_hash(source / relative, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    for path in files_under(root):
        if path.relative_to(root).as_posix() not in entries:
            path.unlink()


def _verify_tables(connection: BaseDatabaseWrapper, manifest: Manifest) -> None:
    counts = table_row_counts(connection)
    if set(counts) != set(manifest.tables):
        missing = sorted(set(manifest.tables) - set(counts))
        extra = sorted(set(counts) - set(manifest.tables))
        difference = "; ".join(
            f"{what} {_some(tables)}"
            for what, tables in (("missing", missing), ("not in the backup", extra))
            if tables
        )
        raise BackupError(ERR_VERIFY_TABLES.format(difference=difference))
    for table, expected in manifest.tables.items():
        if counts[table] != expected:
            raise BackupError(
                ERR_VERIFY_ROWS.format(table=table, actual=counts[table], expected=expected)
            )


def _some(names: list[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _verify_tree(root: Path, entries: dict[str, FileEntry]) -> None:
    for relative, entry in entries.items():
        path = root / relative
        if not path.is_file() or file_sha256(path) != entry.sha256:
            raise BackupError(ERR_VERIFY_FILE.format(name=path))


def pending_migrations(connection: BaseDatabaseWrapper) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# The manifest


def manifest_verify(directory: Path) -> Manifest:
    """Read the manifest and check the directory against it: every listed file present
    with its size and SHA-256, and no file that is not listed."""
    if not directory.is_dir():
        raise BackupError(ERR_NOT_A_DIRECTORY.format(directory=directory))
    manifest = manifest_read(directory)
    listed = {entry.path: entry for entry in manifest.files}
    present = {
        path.relative_to(directory).as_posix()
        for path in files_under(directory)
        if path.relative_to(directory).as_posix() != MANIFEST
    }
    for name in sorted(listed.keys() - present):
        raise BackupError(ERR_FILE_MISSING.format(name=name))
    for name in sorted(present - listed.keys()):
        raise BackupError(ERR_FILE_UNLISTED.format(name=name))
    for name, entry in sorted(listed.items()):
        path = directory / name
        try:
            size = path.stat().st_size
            if size != entry.size:
                raise BackupError(ERR_FILE_SIZE.format(name=name, actual=size, expected=entry.size))
            if file_sha256(path) != entry.sha256:
                raise BackupError(ERR_FILE_HASH.format(name=name))
        except OSError as exc:
            raise BackupError(ERR_FILE_UNREADABLE.format(name=name, reason=_reason(exc))) from exc
    return manifest


def manifest_read(directory: Path) -> Manifest:
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_bytes())
        return _manifest_from_json(data)
    except FileNotFoundError as exc:
        raise BackupError(ERR_MANIFEST_MISSING.format(path=path)) from exc
    except OSError as exc:
        raise BackupError(ERR_MANIFEST_UNREADABLE.format(path=path, reason=_reason(exc))) from exc
    except ValueError as exc:  # not JSON, not UTF-8, or not a manifest
        raise BackupError(ERR_MANIFEST_UNREADABLE.format(path=path, reason=exc)) from exc


def _manifest_from_json(data: object) -> Manifest:
    """Raises ``ValueError`` saying what is wrong: a manifest is read before anything is
    trusted, so a damaged one can never name a file outside the backup."""
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"its format is {data.get('format')!r}, this platform reads {FORMAT}")
    database = _field(data, "database", dict)
    vendor = _field(database, "vendor", str)
    if vendor not in DATABASE_FILES:
        raise ValueError(f"the database vendor {vendor!r} is not one this platform restores")
    database_file = _field(database, "file", str)
    if database_file != DATABASE_FILES[vendor]:
        raise ValueError(f"the database file should be {DATABASE_FILES[vendor]}")
    migrations = _field(data, "migrations", dict)
    tables = _field(data, "tables", dict)
    if not all(isinstance(name, str) for name in migrations.values()):
        raise ValueError("'migrations' must name a migration per app")
    if not all(isinstance(rows, int) and not isinstance(rows, bool) for rows in tables.values()):
        raise ValueError("'tables' must give a number of rows per table")
    files = []
    for item in _field(data, "files", list):
        if not isinstance(item, dict):
            raise ValueError("every entry of 'files' must be an object")
        entry = FileEntry(_field(item, "path", str), _field(item, "size", int), "")
        digest = _field(item, "sha256", str)
        if len(digest) != 64 or not set(digest) <= set("0123456789abcdef"):
            raise ValueError(f"the SHA-256 of {entry.path} is not 64 hexadecimal digits")
        if entry.path != database_file and not _is_safe_media_path(entry.path):
            raise ValueError(f"{entry.path!r} is not a file a backup holds")
        files.append(FileEntry(entry.path, entry.size, digest))
    if len({entry.path for entry in files}) != len(files):
        raise ValueError("a file is listed twice")
    if database_file not in {entry.path for entry in files}:
        raise ValueError(f"it does not list the database file {database_file}")
    return Manifest(
        created_at=_field(data, "created_at", str),
        platform_version=_field(data, "platform_version", str),
        vendor=vendor,
        database_file=database_file,
        migrations=migrations,
        tables=tables,
        files=tuple(files),
    )


def _field(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{key!r} is missing or not a {kind.__name__}")
    return value


def _is_safe_media_path(path: str) -> bool:
    """A file below ``media/`` or ``private/``, named plainly (no ``..``, no absolute or
    empty parts), so that restoring it can never write outside the upload folders."""
    parts = path.split("/")
    return (
        len(parts) >= 2
        and parts[0] in MEDIA_TREES
        and all(part not in ("", ".", "..") for part in parts)
        and "\0" not in path
    )


def _entries_in(manifest: Manifest, folder: str) -> dict[str, FileEntry]:
    prefix = f"{folder}/"
    return {
        entry.path.removeprefix(prefix): entry
        for entry in manifest.files
        if entry.path.startswith(prefix)
    }


# Shared helpers


def media_roots() -> dict[str, Path]:
    """The folder of each file storage the platform writes to (``MEDIA_ROOT`` and
    ``PRIVATE_MEDIA_ROOT`` as configured), by its folder in a backup."""
    roots = {}
    for folder, alias in MEDIA_TREES.items():
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            backend = f"{type(storage).__module__}.{type(storage).__qualname__}"
            raise BackupError(
                ERR_STORAGE_NOT_FILESYSTEM.format(
                    alias=alias, setting=STORAGE_SETTINGS[alias], backend=backend
                )
            )
        roots[folder] = Path(storage.location).resolve()
    return roots


def table_row_counts(
    connection: BaseDatabaseWrapper, tables: Iterable[str] | None = None
) -> dict[str, int]:
    """Rows per table; by default of every table the database lists (so Django's own,
    the many-to-many and the history tables are never missed)."""
    _connect(connection)
    counts = {}
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor) if tables is None else tables
        for table in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of each app."""
    table = MigrationRecorder.Migration._meta.db_table
    latest: dict[str, str] = {}
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return latest
        cursor.execute(f"SELECT app, name FROM {connection.ops.quote_name(table)}")
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


@contextmanager
def separate_connection(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection of its own to the database ``settings_dict`` describes,
    outside the configured connections (and their transactions)."""
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(settings_dict)})
    settings = configured[DEFAULT_DB_ALIAS]
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(
        settings, f"backup-{uuid.uuid4().hex}"
    )
    try:
        yield wrapper
    finally:
        wrapper.close()


def files_under(root: Path) -> Iterator[Path]:
    """Every file below ``root`` (none when it does not exist), in a stable order."""
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file():
                yield path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_and_hash(source: Path, target: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc)


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(ERR_VENDOR_UNSUPPORTED.format(vendor=connection.vendor))
    return connection.vendor


def _connect(connection: BaseDatabaseWrapper) -> None:
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(ERR_DATABASE_UNREACHABLE.format(reason=exc)) from exc


def _refuse_overlap(
    directory: Path, roots: dict[str, Path], connection: BaseDatabaseWrapper
) -> None:
    """A backup inside the uploaded files would be backed up into itself, and a forced
    backup or restore must never delete the platform's own data."""
    guarded = [(STORAGE_SETTINGS[MEDIA_TREES[folder]], root) for folder, root in roots.items()]
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not SQLiteCreation.is_in_memory_db(name):
        guarded.append(("the database", Path(name).resolve()))
    for what, path in guarded:
        if directory == path or directory.is_relative_to(path) or path.is_relative_to(directory):
            raise BackupError(
                ERR_DIRECTORY_OVERLAPS.format(directory=directory, what=what, path=path)
            )


def _libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    settings = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in LIBPQ_SETTINGS.items():
        if settings.get(key):
            environment[variable] = str(settings[key])
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    for option, variable in LIBPQ_OPTIONS.items():
        if settings.get("OPTIONS", {}).get(option):
            environment[variable] = str(settings["OPTIONS"][option])
    return environment


def _run_tool(tool: str, arguments: list[str], connection: BaseDatabaseWrapper) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(ERR_TOOL_MISSING.format(tool=tool))
    result = subprocess.run(
        [executable, *arguments],
        env=_libpq_environment(connection),
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise BackupError(
            ERR_TOOL_FAILED.format(tool=tool, status=result.returncode, output=output)
        )
