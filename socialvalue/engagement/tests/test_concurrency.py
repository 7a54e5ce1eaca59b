"""Registrations arriving at the same moment never take more places than the event has.

Each thread registers through its own database connection, all released together by a
barrier; the event's row lock makes them take their turn. PostgreSQL only: SQLite lets one
transaction write at a time anyway, and its in-memory test database is not shared between
threads.
"""

import threading

import pytest
from django.db import connection, connections

from socialvalue.accounts.models import User
from socialvalue.engagement.models import Event, Registration
from socialvalue.engagement.services import registration_create
from socialvalue.engagement.tests.conftest import EventMaker

ATTEMPTS = 10
CAPACITY = 3


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks and a database shared between threads",
)
@pytest.mark.django_db(transaction=True)
def test_it_never_confirms_more_places_than_the_capacity_under_concurrent_requests(
    make_event: EventMaker, lead_lucy: User
) -> None:
    event = make_event(capacity=CAPACITY)
    barrier = threading.Barrier(ATTEMPTS)
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            registration_create(
                event=Event(pk=event.pk),
                name=f"Attendee {n}",
                email=f"attendee{n}@example.org",
            )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == 10
    assert registrations.filter(status=Registration.Status.CONFIRMED).count() == 3
    waiting = registrations.filter(status=Registration.Status.WAITING)
    assert waiting.count() == 7
    positions = [p for p in waiting.values_list("position", flat=True) if p is not None]
    assert sorted(positions) == [1, 2, 3, 4, 5, 6, 7]
