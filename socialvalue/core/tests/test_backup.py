"""Backup and restore: nothing is ever lost.

A backup is restored into a fresh database set up beside the configured ones as the
``restored`` connection: a new SQLite file, or a throwaway PostgreSQL database. pg_dump
reads the database from its own session, so a test that backs up data it wrote commits it
(``transaction=True``); the others use copies of one backup of the database as
``migrate`` left it, made once for the module.
"""

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.test import override_settings

from socialvalue.accounts.models import Organisation
from socialvalue.bootstrap.demo import demo_load
from socialvalue.contracts.models import Evidence
from socialvalue.core import backup
from socialvalue.framework.services import framework_default_ensure
from socialvalue.insights import rollups
from socialvalue.needs.services import needs_data_load

# On SQLite a test's own transaction holds the write lock (writes take it up front), and a
# backup cannot be made from inside a writing transaction: those tests commit instead.
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "sqlite")

RESTORED = "restored"
GUIDE = "resources/guide.pdf"
EVIDENCE = "evidence/ab/abcdef"


# Fixtures and helpers


def storage_settings(base: Path) -> dict[str, Any]:
    """Public and private files on the filesystem under ``base`` (the test settings keep
    them in memory)."""
    return {
        "MEDIA_ROOT": str(base / "media"),
        "PRIVATE_MEDIA_ROOT": str(base / "private"),
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "evidence": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(base / "private")},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture
def use_storages(settings: LazySettings, monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    def use(base: Path) -> None:
        for name, value in storage_settings(base).items():
            setattr(settings, name, value)
        # The evidence field resolved its storage once, when the models were loaded.
        monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storages["evidence"])

    return use


@pytest.fixture
def source(tmp_path: Path, use_storages: Callable[[Path], None]) -> Path:
    """The files of the platform being backed up."""
    base = tmp_path / "source"
    use_storages(base)
    return base


@pytest.fixture
def target(tmp_path: Path, use_storages: Callable[[Path], None]) -> Path:
    """The (empty) files of the platform being restored."""
    base = tmp_path / "target"
    use_storages(base)
    return base


def _admin_connection(database: str = "postgres") -> psycopg.Connection[Any]:
    settings = connections["default"].settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=database,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def postgresql_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for the module (creating and dropping one is slow)."""
    name = f"{connections['default'].settings_dict['NAME']}_restored"
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restored(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database as the ``restored`` connection."""
    default = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        name = request.getfixturevalue("postgresql_database")
        with _admin_connection(name) as admin:
            admin.execute("DROP SCHEMA public CASCADE")
            admin.execute("CREATE SCHEMA public")
    else:
        name = str(tmp_path / "restored.sqlite3")
    # Beside the configured databases, which the test runner keeps tests away from.
    backend = load_backend(default["ENGINE"])
    connections[RESTORED] = backend.DatabaseWrapper({**default, "NAME": name}, RESTORED)
    try:
        yield RESTORED
    finally:
        connections[RESTORED].close()
        del connections[RESTORED]


def run(command: str, *args: str, **options: object) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def every_row(alias: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, ordered by all its columns."""
    connection = connections[alias]
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            width = len(connection.introspection.get_table_description(cursor, table))
            order = ", ".join(str(column) for column in range(1, width + 1))
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {order}")
            rows[table] = cursor.fetchall()
    return rows


def file_hashes(base: Path) -> dict[str, str]:
    return {
        path.relative_to(base).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(base.rglob("*"))
        if path.is_file()
    }


def read_manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / backup.MANIFEST).read_text())


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / backup.MANIFEST).write_text(json.dumps(manifest))


def dump_name() -> str:
    return backup.DATABASE_FILES[connections["default"].vendor]


def assert_nothing_restored(alias: str, base: Path) -> None:
    assert connections[alias].introspection.table_names() == []
    assert file_hashes(base) == {}


@pytest.fixture(scope="module")
def migrated_backup(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> Path:
    """A backup of the test database as ``migrate`` left it, with a public file and an
    evidence file."""
    base = tmp_path_factory.mktemp("migrated")
    with override_settings(**storage_settings(base / "source")), django_db_blocker.unblock():
        storages["default"].save(GUIDE, ContentFile(b"%PDF-1.4 a guide for suppliers"))
        storages["evidence"].save(EVIDENCE, ContentFile(b"learners,hours\n12,340\n"))
        run("backup", str(base / "backup"))
    return base / "backup"


@pytest.fixture
def copy(tmp_path: Path, migrated_backup: Path) -> Path:
    """A copy of the migrated backup, for a test to damage."""
    return Path(shutil.copytree(migrated_backup, tmp_path / "backup"))


# Backing up and restoring the demo


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_demo_row_for_row_and_file_for_file(
    tmp_path: Path, source: Path, restored: str, use_storages: Callable[[Path], None]
) -> None:
    framework_default_ensure()
    needs_data_load()
    demo_load()
    directory = tmp_path / "backup"

    output = run("backup", str(directory))

    manifest = read_manifest(directory)
    counts = backup.table_row_counts(connections["default"])
    rows = sum(counts.values())
    files, size = len(manifest["files"]), sum(entry["size"] for entry in manifest["files"])
    assert output == (
        f"Backed up to {directory}: {len(counts)} tables, {rows} rows, {files} files, "
        f"{size} bytes.\n"
    )
    assert manifest["format"] == 1
    assert manifest["platform_version"] == "0.1.0"
    assert manifest["database"] == {"vendor": connections["default"].vendor, "file": dump_name()}
    latest = MigrationLoader(connections["default"]).graph.leaf_nodes("contracts")
    assert [("contracts", manifest["migrations"]["contracts"])] == latest
    assert manifest["tables"] == counts
    model_tables = connections["default"].introspection.django_table_names(only_existing=True)
    assert set(model_tables) <= set(manifest["tables"])
    # A many-to-many table, a history table and Django's own are counted like the rest.
    assert manifest["tables"]["procurement_tender_menu"] > 0
    assert manifest["tables"]["contracts_historicalreturn"] > 0
    assert manifest["tables"]["django_migrations"] > 0
    source_files = file_hashes(source)
    assert any(path.startswith("private/evidence/") for path in source_files)
    assert any(path.startswith("media/case-studies/") for path in source_files)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == {dump_name(), *source_files}
    for path, entry in listed.items():
        data = (directory / path).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])

    restored_files = tmp_path / "target"
    use_storages(restored_files)
    output = run("restore", str(directory), database=restored)

    assert output == (
        f"Restored from {directory}: {len(counts)} tables, {rows} rows, {files} files, "
        f"{size} bytes, all verified.\n"
    )
    assert every_row(restored) == every_row("default")
    assert file_hashes(restored_files) == source_files
    assert rollups.installed_triggers(connections[restored]) == set(rollups.TRIGGERS)


# Backing up


def test_it_refuses_a_directory_that_is_not_empty(tmp_path: Path, source: Path) -> None:
    directory = tmp_path / "backup"
    directory.mkdir()
    (directory / backup.MANIFEST).write_text("{}")
    with pytest.raises(CommandError) as refused:
        run("backup", str(directory))
    assert str(refused.value) == backup.ERR_DIRECTORY_NOT_EMPTY.format(directory=directory)
    assert (directory / backup.MANIFEST).read_text() == "{}"


def test_it_replaces_an_earlier_backup_with_force(source: Path, copy: Path) -> None:
    storages["evidence"].save("evidence/cd/cdef01", ContentFile(b"a newer file"))

    run("backup", str(copy), "--force")

    manifest = read_manifest(copy)
    assert [entry["path"] for entry in manifest["files"]] == [
        dump_name(),
        "private/evidence/cd/cdef01",
    ]
    assert not (copy / "media" / GUIDE).exists()
    backup.manifest_verify(copy)


def test_it_refuses_with_force_a_directory_holding_anything_else(
    tmp_path: Path, source: Path
) -> None:
    directory = tmp_path / "reports"
    directory.mkdir()
    (directory / "budget.xlsx").write_bytes(b"keep me")
    with pytest.raises(CommandError) as refused:
        run("backup", str(directory), "--force")
    assert str(refused.value) == backup.ERR_DIRECTORY_FOREIGN.format(
        directory=directory, name="budget.xlsx"
    )
    assert (directory / "budget.xlsx").read_bytes() == b"keep me"


def test_it_refuses_a_directory_inside_the_uploaded_files(source: Path) -> None:
    directory = source / "private" / "backups"
    with pytest.raises(CommandError) as refused:
        run("backup", str(directory))
    assert str(refused.value) == backup.ERR_DIRECTORY_OVERLAPS.format(
        directory=directory, what="PRIVATE_MEDIA_ROOT", path=source / "private"
    )
    assert not directory.exists()


def test_it_refuses_file_storages_that_are_not_on_the_filesystem(tmp_path: Path) -> None:
    # The test settings keep uploaded files in memory.
    with pytest.raises(CommandError) as refused:
        run("backup", str(tmp_path / "backup"))
    assert str(refused.value) == backup.ERR_STORAGE_NOT_FILESYSTEM.format(
        alias="default",
        setting="MEDIA_ROOT",
        backend="django.core.files.storage.memory.InMemoryStorage",
    )
    assert not (tmp_path / "backup").exists()


def test_it_gives_pg_dump_the_password_in_its_environment_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(arguments: list[str], **options: Any) -> SimpleNamespace:
        calls.append({"arguments": arguments, **options})
        return SimpleNamespace(returncode=0, stdout="", stderr="")

    monkeypatch.setattr(backup.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    database: Any = SimpleNamespace(
        settings_dict={
            "NAME": "socialvalue",
            "USER": "socialvalue",
            "PASSWORD": "correct-horse-battery",
            "HOST": "db.example.org",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )

    backup._run_tool("pg_dump", ["--format=custom"], database)

    (call,) = calls
    assert call["arguments"] == ["/usr/bin/pg_dump", "--format=custom"]
    environment = call["env"]
    assert environment["PGPASSWORD"] == "correct-horse-battery"
    assert (environment["PGHOST"], environment["PGPORT"]) == ("db.example.org", "5432")
    assert (environment["PGUSER"], environment["PGDATABASE"]) == ("socialvalue", "socialvalue")
    assert environment["PGSSLMODE"] == "require"


def test_it_says_how_to_install_pg_dump_when_it_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda tool: None)
    database: Any = SimpleNamespace(settings_dict={})
    with pytest.raises(backup.BackupError) as refused:
        backup._run_tool("pg_dump", [], database)
    assert str(refused.value) == backup.ERR_TOOL_MISSING.format(tool="pg_dump")


def test_it_leaves_no_manifest_when_a_backup_fails_part_way(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storages["evidence"].save(EVIDENCE, ContentFile(b"learners,hours\n12,340\n"))

    def disk_full(source: Path, target: Path) -> tuple[int, str]:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(backup, "_copy_and_hash", disk_full)
    directory = tmp_path / "backup"
    with pytest.raises(CommandError) as refused:
        run("backup", str(directory))
    reason = f"No space left on device ({directory / 'private' / EVIDENCE})"
    assert str(refused.value) == backup.ERR_BACKUP_FAILED.format(directory=directory, reason=reason)
    assert not (directory / backup.MANIFEST).exists()
    with pytest.raises(backup.BackupError, match="is missing: this is not a complete backup"):
        backup.manifest_verify(directory)


# Restoring


def test_it_restores_a_database_that_was_only_migrated_and_its_files(
    tmp_path: Path, source: Path, restored: str, use_storages: Callable[[Path], None]
) -> None:
    # Backed up here, not taken from the module's backup: compared with the database now.
    storages["default"].save(GUIDE, ContentFile(b"%PDF-1.4 a guide for suppliers"))
    storages["evidence"].save(EVIDENCE, ContentFile(b"learners,hours\n12,340\n"))
    directory = tmp_path / "backup"
    run("backup", str(directory))
    use_storages(tmp_path / "target")

    output = run("restore", str(directory), database=restored)

    summary = backup.manifest_read(directory).summary()
    assert output == f"Restored from {directory}: {summary}, all verified.\n"
    assert every_row(restored) == every_row("default")
    assert file_hashes(tmp_path / "target") == file_hashes(source)
    assert sorted(file_hashes(source)) == [f"media/{GUIDE}", f"private/{EVIDENCE}"]


def test_it_says_when_the_restored_database_needs_migrating(
    tmp_path: Path, copy: Path, restored: str, target: Path
) -> None:
    run("restore", str(copy), database=restored)
    assert backup.pending_migrations(connections[restored]) == 0
    # A backup made before the latest migration of contracts.
    with connections[restored].cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'contracts' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'contracts')"
        )
    older = tmp_path / "older"
    run("backup", str(older), database=restored)

    output = run("restore", str(older), "--force", database=restored)

    assert output.endswith(
        "all verified. 1 migration of this version is not applied yet: run `socialvalue migrate`.\n"
    )


def _rewrite_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def damage(directory: Path) -> None:
        manifest = read_manifest(directory)
        edit(manifest)
        write_manifest(directory, manifest)

    return damage


def _flip_first_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGES: dict[str, tuple[Callable[[Path], object], Callable[[Path], str]]] = {
    "a corrupted manifest": (
        lambda d: (d / backup.MANIFEST).write_text('{"format": 1, "files": ['),
        lambda d: backup.ERR_MANIFEST_UNREADABLE.format(
            path=d / backup.MANIFEST,
            reason="Expecting value: line 1 column 25 (char 24)",
        ),
    ),
    "a missing manifest": (
        lambda d: (d / backup.MANIFEST).unlink(),
        lambda d: backup.ERR_MANIFEST_MISSING.format(path=d / backup.MANIFEST),
    ),
    "a manifest of another format": (
        _rewrite_manifest(lambda m: m.update(format=2)),
        lambda d: backup.ERR_MANIFEST_UNREADABLE.format(
            path=d / backup.MANIFEST, reason="its format is 2, this platform reads 1"
        ),
    ),
    "a manifest naming a file outside the backup": (
        _rewrite_manifest(lambda m: m["files"][-1].update(path="media/../../etc/passwd")),
        lambda d: backup.ERR_MANIFEST_UNREADABLE.format(
            path=d / backup.MANIFEST,
            reason="'media/../../etc/passwd' is not a file a backup holds",
        ),
    ),
    "a manifest naming an absolute path": (
        _rewrite_manifest(lambda m: m["files"][-1].update(path="/etc/passwd")),
        lambda d: backup.ERR_MANIFEST_UNREADABLE.format(
            path=d / backup.MANIFEST, reason="'/etc/passwd' is not a file a backup holds"
        ),
    ),
    "a tampered evidence file": (
        lambda d: _flip_first_byte(d / "private" / EVIDENCE),
        lambda d: backup.ERR_FILE_HASH.format(name=f"private/{EVIDENCE}"),
    ),
    "a tampered database": (
        lambda d: _flip_first_byte(d / dump_name()),
        lambda d: backup.ERR_FILE_HASH.format(name=dump_name()),
    ),
    "a truncated file": (
        lambda d: (d / "media" / GUIDE).write_bytes(b"%PDF"),
        lambda d: backup.ERR_FILE_SIZE.format(name=f"media/{GUIDE}", actual=4, expected=30),
    ),
    "a missing file": (
        lambda d: (d / "media" / GUIDE).unlink(),
        lambda d: backup.ERR_FILE_MISSING.format(name=f"media/{GUIDE}"),
    ),
    "a file the manifest does not list": (
        lambda d: (d / "private" / "evidence" / "planted").write_bytes(b"x"),
        lambda d: backup.ERR_FILE_UNLISTED.format(name="private/evidence/planted"),
    ),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_it_refuses_a_damaged_backup_and_restores_nothing(
    copy: Path,
    restored: str,
    target: Path,
    damage: tuple[Callable[[Path], object], Callable[[Path], str]],
) -> None:
    change, message = damage
    change(copy)
    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value) == message(copy)
    assert_nothing_restored(restored, target)


def test_it_refuses_a_backup_of_another_kind_of_database(
    copy: Path, restored: str, target: Path
) -> None:
    vendor = connections["default"].vendor
    other = "sqlite" if vendor == "postgresql" else "postgresql"
    (copy / dump_name()).rename(copy / backup.DATABASE_FILES[other])
    manifest = read_manifest(copy)
    manifest["database"] = {"vendor": other, "file": backup.DATABASE_FILES[other]}
    manifest["files"][0]["path"] = backup.DATABASE_FILES[other]
    write_manifest(copy, manifest)

    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value) == backup.ERR_VENDOR_MISMATCH.format(
        backup=backup.VENDOR_NAMES[other], target=backup.VENDOR_NAMES[vendor]
    )
    assert_nothing_restored(restored, target)


def test_it_refuses_a_backup_from_a_newer_version(copy: Path, restored: str, target: Path) -> None:
    _rewrite_manifest(lambda m: m["migrations"].update(contracts="9999_from_the_future"))(copy)
    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value) == backup.ERR_NEWER_BACKUP.format(
        migration="contracts.9999_from_the_future"
    )
    assert_nothing_restored(restored, target)


def test_it_refuses_a_database_with_data_without_force_and_replaces_everything_with_it(
    copy: Path, restored: str, target: Path
) -> None:
    run("restore", str(copy), database=restored)
    expected = every_row(restored)
    # A database that was only migrated holds no data, so restoring into it needs no --force.
    assert backup.project_tables_with_rows(connections[restored]) == []
    Organisation.objects.using(restored).create(name="Leftover Ltd", slug="leftover-ltd")
    with connections[restored].cursor() as cursor:
        cursor.execute("CREATE TABLE leftover (id integer)")
    (target / "media" / "stray.txt").write_bytes(b"not in the backup")

    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value) == backup.ERR_TARGET_NOT_EMPTY.format(
        what="the database has 1 row in accounts_organisation"
    )
    assert "--force to replace everything" in str(refused.value)
    assert Organisation.objects.using(restored).filter(name="Leftover Ltd").exists()

    run("restore", str(copy), "--force", database=restored)

    assert every_row(restored) == expected
    assert not (target / "media" / "stray.txt").exists()
    assert sorted(file_hashes(target)) == [f"media/{GUIDE}", f"private/{EVIDENCE}"]


def test_it_refuses_uploaded_files_already_there_without_force(
    copy: Path, restored: str, target: Path
) -> None:
    (target / "private").mkdir(parents=True)
    (target / "private" / "stray.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value) == backup.ERR_TARGET_NOT_EMPTY.format(
        what=f"PRIVATE_MEDIA_ROOT ({target / 'private'}) holds 1 file"
    )
    assert connections[restored].introspection.table_names() == []


@pytest.mark.parametrize(
    ("skipped", "message"),
    [
        (
            "_restore_tree",
            lambda target: backup.ERR_VERIFY_FILE.format(name=target / "media" / GUIDE),
        ),
        (
            "_restore_sqlite",
            lambda target: backup.ERR_VERIFY_TABLES.format(difference="missing"),
        ),
    ],
    ids=["a file", "the database"],
)
def test_it_checks_what_it_restored_against_the_manifest(
    copy: Path,
    restored: str,
    target: Path,
    monkeypatch: pytest.MonkeyPatch,
    skipped: str,
    message: Callable[[Path], str],
) -> None:
    # A restore step that silently did nothing is caught by the checks that follow it.
    if skipped == "_restore_sqlite" and connections["default"].vendor == "postgresql":
        skipped = "_restore_postgresql"
    monkeypatch.setattr(backup, skipped, lambda *args: None)
    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), database=restored)
    assert str(refused.value).startswith(message(target).removesuffix("."))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backup API")
def test_it_refuses_a_sqlite_backup_from_inside_a_writing_transaction(
    tmp_path: Path, source: Path
) -> None:
    with transaction.atomic():
        Organisation.objects.create(name="Fylde Council", slug="fylde", kind="buyer")
        with pytest.raises(CommandError) as refused:
            run("backup", str(tmp_path / "backup"))
    assert str(refused.value) == backup.ERR_IN_TRANSACTION
