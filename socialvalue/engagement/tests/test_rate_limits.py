"""The limit on event places taken from one address: 10 an hour by default."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from socialvalue.conftest import Clock
from socialvalue.engagement.models import Registration
from socialvalue.engagement.tests.conftest import EventMaker

pytestmark = pytest.mark.django_db


def register(client: Client, slug: str, number: int, **extra: Any) -> Any:
    return client.post(
        f"/events/{slug}/",
        {
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "organisation": "",
            "needs": "",
        },
        **extra,
    )


def test_it_refuses_the_11th_place_from_one_address_in_an_hour(
    public_dave: Client,
    clock: Clock,
    make_event: EventMaker,
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = make_event(capacity=None)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):
            assert register(public_dave, event.slug, number).status_code == 302

        refused = register(public_dave, event.slug, 10)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many attempts. Try again in 60 minutes." in refused.content.decode()
    assert Registration.objects.count() == 10
    assert not Registration.objects.filter(email="person10@example.org").exists()
    # One confirmation email per place taken, none for the refused attempt.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"person{number}@example.org" for number in range(10)
    )
    # Someone else can still register, and so can this address an hour later.
    assert register(Client(), event.slug, 11, REMOTE_ADDR="192.0.2.7").status_code == 302
    clock.advance(60 * 60)
    assert register(public_dave, event.slug, 12).status_code == 302


def test_it_does_not_count_a_registration_with_a_mistake(
    public_dave: Client, clock: Clock, make_event: EventMaker
) -> None:
    event = make_event(capacity=None)
    for _ in range(12):
        response = public_dave.post(f"/events/{event.slug}/", {"name": "", "email": "nope"})
        assert response.status_code == 200

    assert register(public_dave, event.slug, 1).status_code == 302
    assert Registration.objects.count() == 1


def test_it_shows_the_event_page_to_an_address_over_the_limit(
    public_dave: Client, clock: Clock, make_event: EventMaker
) -> None:
    event = make_event(capacity=None)
    for number in range(10):
        register(public_dave, event.slug, number)

    assert public_dave.get(f"/events/{event.slug}/").status_code == 200
