"""Event fixtures.

- ``event_data(**overrides)``: what the lead types for an event in person at County Hall,
  Preston, ten days from now, 10am to midday, with 2 places.
- ``make_event(**overrides)``: such an event created by ``lead_lucy`` and published
  (``status="draft"`` leaves it a draft, ``status="cancelled"`` cancels it).
- ``make_post(**overrides)``: a message board post by ``lead_lucy``, published unless
  ``status="draft"``.
- ``cast_member("officer_alice")``: that cast fixture; ``None`` for nobody signed in.
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.engagement.models import Event, Post
from socialvalue.engagement.services import (
    event_cancel,
    event_create,
    event_publish,
    post_create,
    post_publish,
)

EventMaker = Callable[..., Event]
PostMaker = Callable[..., Post]


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """``days`` from today at ``hour:minute`` UK time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def event_data(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Meet the buyer: highways maintenance",
        "kind": Event.Kind.MARKET_ENGAGEMENT,
        "summary": "Hear about the highways maintenance framework before it is advertised.",
        "description": "## Agenda\n\n* The lots\n* Social value\n",
        "starts_at": local(10, 10),
        "ends_at": local(10, 12),
        "is_online": False,
        "venue_name": "County Hall",
        "address": "Fishergate\nPreston",
        "postcode": "PR1 8XJ",
        "joining_instructions": "Ask for the social value team at reception.",
        "capacity": 2,
        "registration_opens_at": None,
        "registration_closes_at": None,
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_event(lead_lucy: User) -> EventMaker:
    def make(**overrides: Any) -> Event:
        status = overrides.pop("status", Event.Status.PUBLISHED)
        overrides.setdefault("organiser", lead_lucy.organisation)
        event = event_create(by=lead_lucy, data=event_data(**overrides))
        if status in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
            event = event_publish(event=event, by=lead_lucy)
        if status == Event.Status.CANCELLED:
            event = event_cancel(event=event, by=lead_lucy)
        return event

    return make


@pytest.fixture
def make_post(lead_lucy: User) -> PostMaker:
    def make(**overrides: Any) -> Post:
        status = overrides.pop("status", Post.Status.PUBLISHED)
        published_at = overrides.pop("published_at", None)
        data = {
            "title": "The Lancashire TOMs are published",
            "kind": Post.Kind.NEWS,
            "summary": "The framework for every tender above £100,000.",
            "body": "Read about the **43 measures**.",
            **overrides,
        }
        post = post_create(by=lead_lucy, data=data)
        if status == Post.Status.PUBLISHED:
            post = post_publish(post=post, by=lead_lucy, now=published_at)
        return post

    return make


@pytest.fixture
def cast_member(request: pytest.FixtureRequest) -> Callable[[str | None], User | None]:
    def get(name: str | None) -> User | None:
        return None if name is None else request.getfixturevalue(name)

    return get
