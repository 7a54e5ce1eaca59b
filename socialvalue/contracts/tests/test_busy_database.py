"""Suppliers saving return lines at the same moment, on a SQLite file database with the
platform's own connection options (writes take the lock up front and wait for it).

Each request either succeeds, after waiting for the other change if it must, or is told
with a 409 that the service is busy; none is a server error, and "database is locked" never
reaches anyone.
"""

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, ReportingSettings, Return
from socialvalue.contracts.tests.api_support import LINE, token_client, url
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.database import BUSY_MESSAGE
from socialvalue.core.geography import District
from socialvalue.framework.models import FrameworkVersion, Measure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's file locking"),
]


@dataclass
class Scene:
    path: Path
    return_record: Return
    page: Client
    api: Client
    page_data: dict[str, str]


@pytest.fixture
def scene(
    tmp_path: Path,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    supplier_bob: User,
    toms: FrameworkVersion,
) -> Iterator[Scene]:
    """Bob's return, a signed-in page client and an API client, and the test database
    copied to a file that every request made in another thread uses."""
    contract: Contract = make_contract()
    return_record = make_return(bobs_building, last_period)
    page = Client(raise_request_exception=False)
    page.force_login(supplier_bob)
    api = token_client(supplier_bob)
    api.raise_request_exception = False
    nt1 = Measure.objects.get(version=toms, code="NT1")
    page_data = {
        "contract": str(contract.pk),
        "measure": str(nt1.pk),
        "quantity": "1.5",
        "district": District.PRESTON.value,
        "narrative": "Two apprentices.",
    }

    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    settings_dict = connection.settings_dict
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    # As the first connection to a new database does (write-ahead logging, by default).
    for statement in settings_dict["OPTIONS"].get("init_command", "").split(";"):
        if statement.strip():
            copy.execute(statement)
    copy.close()
    saved_name, saved_options = settings_dict["NAME"], dict(settings_dict["OPTIONS"])
    settings_dict["NAME"] = str(path)
    try:
        yield Scene(path, return_record, page, api, page_data)
    finally:
        settings_dict["NAME"] = saved_name
        settings_dict["OPTIONS"].clear()
        settings_dict["OPTIONS"].update(saved_options)


def in_thread(request: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``request`` on its own connection (to the file), closed afterwards."""

    def run() -> Any:
        try:
            return request()
        finally:
            connections.close_all()

    return run


def line_count(scene: Scene) -> int:
    with sqlite3.connect(scene.path) as db:
        return int(
            db.execute(
                "SELECT COUNT(*) FROM contracts_returnline WHERE return_record_id = ?",
                [scene.return_record.pk],
            ).fetchone()[0]
        )


def hold_write_lock(path: Path, seconds: float, taken: threading.Event) -> None:
    """Someone else's long change: the write lock held for ``seconds``."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE contracts_reportingsettings SET return_due_days = return_due_days")
        taken.set()
        time.sleep(seconds)
        db.execute("COMMIT")
    finally:
        db.close()


def add_by_page(scene: Scene) -> Any:
    return scene.page.post(
        reverse("contracts:line_add", args=[scene.return_record.pk]), scene.page_data
    )


def add_by_api(scene: Scene) -> Any:
    return scene.api.post(url(scene.return_record, "/lines"), LINE, content_type="application/json")


def test_a_change_waits_for_another_and_then_saves(scene: Scene) -> None:
    taken = threading.Event()
    with ThreadPoolExecutor(max_workers=3) as pool:
        holder = pool.submit(hold_write_lock, scene.path, 1.0, taken)
        assert taken.wait(5)
        started = time.monotonic()
        page = pool.submit(in_thread(lambda: add_by_page(scene)))
        api = pool.submit(in_thread(lambda: add_by_api(scene)))
        page_response, api_response = page.result(30), api.result(30)
        waited = time.monotonic() - started
        holder.result(30)
    assert page_response.status_code == 302, page_response.content[:500]
    assert api_response.status_code == 201, api_response.content[:500]
    assert waited >= 0.5  # they waited for the lock rather than failing
    assert line_count(scene) == 2


def test_two_changes_at_once_both_save_or_are_told_to_try_again(scene: Scene) -> None:
    start = threading.Barrier(4)

    def together(request: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            start.wait(5)
            return request()

        return in_thread(run)

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [
            pool.submit(together(lambda: add_by_page(scene))),
            pool.submit(together(lambda: add_by_api(scene))),
            pool.submit(together(lambda: add_by_page(scene))),
            pool.submit(together(lambda: add_by_api(scene))),
        ]
        responses = [future.result(60) for future in futures]
    statuses = [response.status_code for response in responses]
    assert all(status in {201, 302, 409} for status in statuses), statuses
    assert all(b"database is locked" not in response.content for response in responses)
    assert line_count(scene) == sum(status in {201, 302} for status in statuses)


def test_a_change_that_cannot_wait_long_enough_is_told_to_try_again(scene: Scene) -> None:
    connection.settings_dict["OPTIONS"]["timeout"] = 0.2
    taken = threading.Event()
    with ThreadPoolExecutor(max_workers=3) as pool:
        holder = pool.submit(hold_write_lock, scene.path, 2.0, taken)
        assert taken.wait(5)
        page = pool.submit(in_thread(lambda: add_by_page(scene)))
        api = pool.submit(in_thread(lambda: add_by_api(scene)))
        page_response, api_response = page.result(30), api.result(30)
        holder.result(30)

    assert page_response.status_code == 409
    html = page_response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service is busy</h1>' in html
    assert "The service is busy saving someone else&#x27;s change. Please try again." in html
    assert "database is locked" not in html

    assert api_response.status_code == 409
    assert api_response.json() == {"detail": [{"loc": [], "msg": BUSY_MESSAGE}]}
    assert line_count(scene) == 0  # nothing half-saved


def test_a_change_that_reads_before_it_writes_keeps_its_turn(scene: Scene) -> None:
    """Without the lock taken up front, a transaction that has read and then wants to write
    after another has saved fails at once ("database is locked"), whatever the timeout."""
    first_has_read = threading.Event()

    def read_then_write() -> None:
        with transaction.atomic():
            Return.objects.get(pk=scene.return_record.pk)
            first_has_read.set()
            time.sleep(0.5)
            ReportingSettings.objects.update(return_due_days=40)

    def write() -> None:
        assert first_has_read.wait(5)
        with transaction.atomic():
            ReportingSettings.objects.update(reminder_days=10)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(in_thread(read_then_write))
        second = pool.submit(in_thread(write))
        first.result(30), second.result(30)  # neither raises
    with sqlite3.connect(scene.path) as db:
        saved = db.execute(
            "SELECT return_due_days, reminder_days FROM contracts_reportingsettings"
        ).fetchall()
    assert saved == [(40, 10)]
