"""A database busy with someone else's change: SQLite's options, and the 409 that pages and
the API answer with instead of a server error."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from socialvalue.accounts.models import Organisation
from socialvalue.core.database import BUSY_MESSAGE, is_busy, sqlite_options
from socialvalue.core.middleware import BusyDatabaseMiddleware


def postgresql_error(sqlstate_class_name: str) -> OperationalError:
    """A Django OperationalError as psycopg's error of that class becomes one."""
    errors = pytest.importorskip("psycopg.errors")
    cause = getattr(errors, sqlstate_class_name)("could not do it")
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


# --- Telling busy from broken --------------------------------------------------------------


@pytest.mark.parametrize("message", ["database is locked", "database table is locked"])
def test_it_knows_sqlite_is_busy(message: str) -> None:
    assert is_busy(OperationalError(message))


@pytest.mark.parametrize(
    "class_name", ["SerializationFailure", "DeadlockDetected", "LockNotAvailable"]
)
def test_it_knows_postgresql_is_busy(class_name: str) -> None:
    assert is_busy(postgresql_error(class_name))


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: contracts_returnline"),
        OperationalError("disk I/O error"),
        IntegrityError("UNIQUE constraint failed"),
        ValueError("database is locked"),
    ],
)
def test_it_does_not_take_other_failures_for_busy(error: Exception) -> None:
    assert not is_busy(error)


def test_it_does_not_take_another_postgresql_failure_for_busy() -> None:
    assert not is_busy(postgresql_error("QueryCanceled"))


# --- SQLite's options ----------------------------------------------------------------------


def test_it_takes_the_write_lock_up_front_and_waits_for_it() -> None:
    assert sqlite_options("/srv/socialvalue/db.sqlite3", timeout=20, journal_mode="wal") == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


def test_it_keeps_full_synchronous_writes_without_wal() -> None:
    options = sqlite_options("var/db.sqlite3", timeout=5, journal_mode="DELETE")
    assert options["init_command"] == "PRAGMA journal_mode=DELETE"


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_default?mode=memory&cache=shared"])
def test_it_leaves_the_journal_of_an_in_memory_database_alone(name: str) -> None:
    assert sqlite_options(name, timeout=20, journal_mode="WAL") == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_it_refuses_a_journal_mode_it_does_not_know() -> None:
    with pytest.raises(ImproperlyConfigured, match="SQLITE_JOURNAL_MODE must be one of"):
        sqlite_options("db.sqlite3", timeout=20, journal_mode="WAL; DROP TABLE x")


def test_it_refuses_a_negative_timeout() -> None:
    with pytest.raises(ImproperlyConfigured, match="SQLITE_BUSY_TIMEOUT must be 0 or more"):
        sqlite_options("db.sqlite3", timeout=-1, journal_mode="WAL")


def test_the_settings_read_the_timeout_and_journal_mode_from_the_environment() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'socialvalue.settings'; "
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DEBUG": "1",
            "DATABASE_URL": "sqlite:////tmp/socialvalue-options.sqlite3",
            "SQLITE_BUSY_TIMEOUT": "7",
            "SQLITE_JOURNAL_MODE": "delete",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'transaction_mode': 'IMMEDIATE', 'timeout': 7, "
        "'init_command': 'PRAGMA journal_mode=DELETE'}"
    )


# --- 409, never 500 ------------------------------------------------------------------------


@pytest.fixture
def busy_home(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked() -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("socialvalue.site.views.homepage.policy_figures", locked)


@pytest.fixture
def busy_api(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked() -> None:
        raise postgresql_error("SerializationFailure")

    monkeypatch.setattr("socialvalue.framework.api.framework_versions_public", locked)


@pytest.mark.django_db
@pytest.mark.usefixtures("busy_home")
def test_a_page_answers_a_busy_database_with_a_409_page() -> None:
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "<title>Sorry, the service is busy" in html
    assert '<h1 class="govuk-heading-l">Sorry, the service is busy</h1>' in html
    assert BUSY_MESSAGE.replace("'", "&#x27;") in html
    assert "database is locked" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("busy_api")
def test_the_api_answers_a_busy_database_with_a_409() -> None:
    response = Client(raise_request_exception=False).get("/api/v1/frameworks")
    assert response.status_code == 409
    assert response.json() == {"detail": [{"loc": [], "msg": BUSY_MESSAGE}]}


@pytest.mark.django_db
def test_a_broken_database_is_still_a_server_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise OperationalError("no such table: procurement_policy")

    monkeypatch.setattr("socialvalue.site.views.homepage.policy_figures", broken)
    monkeypatch.setattr("socialvalue.framework.api.framework_versions_public", broken)
    client = Client(raise_request_exception=False)
    assert client.get("/").status_code == 500
    assert client.get("/api/v1/frameworks").status_code == 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/returns/1/lines", "application/json"), ("/returns/1/", "text/html; charset=utf-8")],
)
def test_the_middleware_answers_a_busy_database_and_nothing_else(
    rf: RequestFactory, path: str, content_type: str
) -> None:
    middleware = BusyDatabaseMiddleware(lambda request: HttpResponse())
    request = rf.post(path)
    request.user = AnonymousUser()
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response is not None
    assert (response.status_code, response["Content-Type"]) == (409, content_type)
    assert middleware.process_exception(request, OperationalError("disk I/O error")) is None
    assert middleware.process_exception(request, KeyError("database is locked")) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's row locks")
def test_it_knows_a_real_postgresql_lock_it_may_not_wait_for(council: Organisation) -> None:
    """Django's error for a row locked by another session, as the app meets it."""
    psycopg = pytest.importorskip("psycopg")
    params = connection.get_connection_params()
    other = psycopg.connect(**params, autocommit=False)
    try:
        table = Organisation._meta.db_table
        other.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [council.pk])
        with pytest.raises(OperationalError) as caught, transaction.atomic():
            Organisation.objects.select_for_update(nowait=True).get(pk=council.pk)
        assert is_busy(caught.value)
    finally:
        other.rollback()
        other.close()
