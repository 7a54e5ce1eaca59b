"""Registrations, the waiting list, cancellations, and the lead's changes to events and posts."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import User
from socialvalue.engagement.models import Event, Post, Registration
from socialvalue.engagement.services import (
    ERR_ALREADY_CANCELLED,
    ERR_ALREADY_REGISTERED,
    ERR_CANCEL_AFTER_START,
    ERR_CANCEL_NOT_PUBLISHED,
    ERR_CAPACITY_BELOW_CONFIRMED,
    ERR_EVENT_CANCELLED,
    ERR_EVENT_NOT_PUBLISHED,
    ERR_EVENT_STARTED,
    ERR_PUBLISH_PAST,
    ERR_REGISTRATION_CLOSED,
    ERR_REGISTRATION_NOT_OPEN,
    ERR_UNPUBLISH_REGISTRATIONS,
    event_cancel,
    event_create,
    event_publish,
    event_unpublish,
    event_update,
    post_publish,
    post_unpublish,
    post_update,
    registration_cancel,
    registration_create,
)
from socialvalue.engagement.tests.conftest import EventMaker, PostMaker, event_data, local

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[object]]


def register(event: Event, name: str, *, email: str = "") -> Registration:
    email = email or f"{name.split()[0].lower()}@example.org"
    return registration_create(event=event, name=name, email=email)


def statuses(event: Event) -> list[tuple[str, str, int | None]]:
    return [
        (r.name, r.status, r.position)
        for r in Registration.objects.filter(event=event).order_by("created_at", "pk")
    ]


# --- Places and the waiting list -------------------------------------------------------------


def test_it_confirms_up_to_the_capacity_then_starts_a_waiting_list(
    make_event: EventMaker,
) -> None:
    event = make_event(capacity=2)

    register(event, "Asha Patel")
    register(event, "Ben Hughes")
    third = register(event, "Cara Jones")
    fourth = register(event, "Dan Kay")

    assert statuses(event) == [
        ("Asha Patel", "confirmed", None),
        ("Ben Hughes", "confirmed", None),
        ("Cara Jones", "waiting", 1),
        ("Dan Kay", "waiting", 2),
    ]
    assert third.is_waiting
    assert third.position == 1
    assert fourth.position == 2


def test_it_confirms_everyone_when_there_is_no_limit(make_event: EventMaker) -> None:
    event = make_event(capacity=None, is_online=True)

    for name in ("Asha Patel", "Ben Hughes", "Cara Jones", "Dan Kay"):
        register(event, name)

    assert [status for _, status, _ in statuses(event)] == ["confirmed"] * 4


def test_it_keeps_what_was_typed_tidy(make_event: EventMaker) -> None:
    event = make_event()

    place = registration_create(
        event=event,
        name="  Asha   Patel ",
        email=" Asha.Patel@Example.ORG ",
        organisation=" Pendle  Care ",
        needs=" Step-free access \n",
    )

    assert (place.name, place.email, place.organisation_name, place.needs) == (
        "Asha Patel",
        "asha.patel@example.org",
        "Pendle Care",
        "Step-free access",
    )
    assert len(place.token) >= 40


def test_it_emails_a_confirmation_with_the_calendar_file(
    make_event: EventMaker, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)

    with django_capture_on_commit_callbacks(execute=True):
        place = register(event, "Asha Patel")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.org"]
    assert message.subject == "Your place is confirmed: Meet the buyer"
    assert f"http://127.0.0.1:8000/events/registrations/{place.token}/" in message.body
    assert "Ask for the social value team at reception." in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "meet-the-buyer.ics"
    assert mimetype.startswith("text/calendar")
    assert "SUMMARY:Meet the buyer\r\n" in content
    assert "Ask for the social value team at reception." in content.replace("\r\n ", "")


def test_it_tells_someone_on_the_waiting_list_their_place_in_the_queue(
    make_event: EventMaker, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    register(event, "Asha Patel")

    with django_capture_on_commit_callbacks(execute=True):
        register(event, "Ben Hughes")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "You are on the waiting list: Meet the buyer"
    assert "You are number 1 in the queue." in message.body
    assert message.attachments == []
    assert "reception" not in message.body


# --- Cancellations ---------------------------------------------------------------------------


def test_it_gives_a_cancelled_place_to_the_first_person_waiting(
    make_event: EventMaker, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=2)
    asha = register(event, "Asha Patel")
    register(event, "Ben Hughes")
    register(event, "Cara Jones")
    register(event, "Dan Kay")

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = registration_cancel(registration=asha)

    assert cancelled.is_cancelled
    assert cancelled.cancelled_at is not None
    assert statuses(event) == [
        ("Asha Patel", "cancelled", None),
        ("Ben Hughes", "confirmed", None),
        ("Cara Jones", "confirmed", None),
        ("Dan Kay", "waiting", 2),
    ]
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
    assert mail.outbox[0].subject == "A place is now yours: Meet the buyer"
    assert mail.outbox[0].attachments[0][0] == "meet-the-buyer.ics"
    cara = Registration.objects.get(name="Cara Jones")
    assert cara.promoted_at is not None


def test_it_moves_nobody_up_when_someone_waiting_leaves(make_event: EventMaker) -> None:
    event = make_event(capacity=1)
    register(event, "Asha Patel")
    ben = register(event, "Ben Hughes")
    cara = register(event, "Cara Jones")

    registration_cancel(registration=ben)

    assert statuses(event) == [
        ("Asha Patel", "confirmed", None),
        ("Ben Hughes", "cancelled", None),
        ("Cara Jones", "waiting", 2),
    ]
    from socialvalue.engagement.selectors import waiting_place

    cara.refresh_from_db()
    assert waiting_place(cara) == 1
    dan = register(event, "Dan Kay")
    assert dan.position == 3


def test_it_refuses_to_cancel_twice_or_after_the_start(make_event: EventMaker) -> None:
    event = make_event(capacity=2)
    asha = register(event, "Asha Patel")
    ben = register(event, "Ben Hughes")
    registration_cancel(registration=asha)

    with pytest.raises(ValidationError) as twice:
        registration_cancel(registration=asha)
    with pytest.raises(ValidationError) as late:
        registration_cancel(registration=ben, now=event.starts_at + timedelta(minutes=1))

    assert twice.value.messages == [ERR_ALREADY_CANCELLED]
    assert late.value.messages == [ERR_CANCEL_AFTER_START]
    ben.refresh_from_db()
    assert ben.is_confirmed


def test_it_lets_someone_register_again_after_cancelling(make_event: EventMaker) -> None:
    event = make_event(capacity=2)
    asha = register(event, "Asha Patel")
    registration_cancel(registration=asha)

    again = register(event, "Asha Patel")

    assert again.is_confirmed
    assert again.pk != asha.pk


# --- Refusals --------------------------------------------------------------------------------


def test_it_refuses_the_same_email_twice_and_changes_nothing(make_event: EventMaker) -> None:
    event = make_event(capacity=1)
    register(event, "Asha Patel", email="asha@example.org")

    with pytest.raises(ValidationError) as refused:
        register(event, "Asha P", email="ASHA@example.org ")

    assert refused.value.message_dict == {
        "email": [ERR_ALREADY_REGISTERED.format(email="asha@example.org")]
    }
    assert statuses(event) == [("Asha Patel", "confirmed", None)]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Event.Status.DRAFT, ERR_EVENT_NOT_PUBLISHED),
        (Event.Status.CANCELLED, ERR_EVENT_CANCELLED),
    ],
)
def test_it_refuses_drafts_and_cancelled_events(
    make_event: EventMaker, status: str, message: str
) -> None:
    event = make_event(status=status)

    with pytest.raises(ValidationError) as refused:
        register(event, "Asha Patel")

    assert refused.value.messages == [message]
    assert not Registration.objects.exists()


def test_it_refuses_an_event_that_has_started(make_event: EventMaker) -> None:
    event = make_event()

    with pytest.raises(ValidationError) as refused:
        registration_create(
            event=event, name="Asha Patel", email="asha@example.org", now=event.starts_at
        )

    assert refused.value.messages == [ERR_EVENT_STARTED]
    assert not Registration.objects.exists()


def test_it_refuses_before_registration_opens_and_after_it_closes(
    make_event: EventMaker,
) -> None:
    # 5 days from now at 9am GMT or BST; the test checks the words, not the clock.
    event = make_event(registration_opens_at=local(2, 9), registration_closes_at=local(5, 17))

    with pytest.raises(ValidationError) as early:
        registration_create(
            event=event, name="Asha Patel", email="asha@example.org", now=local(1, 9)
        )
    with pytest.raises(ValidationError) as late:
        registration_create(
            event=event, name="Asha Patel", email="asha@example.org", now=local(5, 17)
        )
    on_time = registration_create(
        event=event, name="Asha Patel", email="asha@example.org", now=local(3, 12)
    )

    opens = local(2, 9)
    closes = local(5, 17)
    assert early.value.messages == [
        ERR_REGISTRATION_NOT_OPEN.format(when=f"9am on {opens:%A} {opens.day} {opens:%B %Y}")
    ]
    assert late.value.messages == [
        ERR_REGISTRATION_CLOSED.format(when=f"5pm on {closes:%A} {closes.day} {closes:%B %Y}")
    ]
    assert on_time.is_confirmed


def test_it_refuses_a_registration_without_a_name_or_email(make_event: EventMaker) -> None:
    event = make_event()

    with pytest.raises(ValidationError) as refused:
        registration_create(event=event, name="  ", email="")

    assert refused.value.message_dict == {
        "name": ["Enter your full name."],
        "email": ["Enter your email address."],
    }


# --- The lead's events -----------------------------------------------------------------------


def test_it_creates_a_draft_with_a_slug_that_avoids_reserved_paths(lead_lucy: User) -> None:
    organiser = lead_lucy.organisation
    first = event_create(by=lead_lucy, data=event_data(title="News", organiser=organiser))
    second = event_create(by=lead_lucy, data=event_data(title="News", organiser=organiser))
    manage = event_create(by=lead_lucy, data=event_data(title="Manage!", organiser=organiser))

    assert (first.slug, second.slug, manage.slug) == ("news-2", "news-3", "manage-2")
    assert first.status == Event.Status.DRAFT
    assert first.history.first().history_user == lead_lucy


def test_it_refuses_an_event_that_ends_before_it_starts(lead_lucy: User) -> None:
    data = event_data(ends_at=local(10, 9), organiser=lead_lucy.organisation)

    with pytest.raises(ValidationError) as refused:
        event_create(by=lead_lucy, data=data)

    assert refused.value.message_dict == {"ends_at": ["The event must end after it starts."]}
    assert not Event.objects.exists()


def test_it_needs_a_venue_for_an_event_in_person_but_not_online(lead_lucy: User) -> None:
    organiser = lead_lucy.organisation
    with pytest.raises(ValidationError) as refused:
        event_create(by=lead_lucy, data=event_data(venue_name="", address="", organiser=organiser))
    online = event_create(
        by=lead_lucy,
        data=event_data(is_online=True, capacity=None, organiser=organiser),
    )

    assert refused.value.message_dict == {
        "venue_name": ["Enter the name of the venue for an event in person."],
        "address": ["Enter the address of the venue for an event in person."],
    }
    assert (online.venue_name, online.address, online.postcode) == ("", "", "")
    assert online.location_text == "Online"


def test_it_gives_new_places_to_people_waiting_when_the_capacity_grows(
    make_event: EventMaker, lead_lucy: User
) -> None:
    event = make_event(capacity=1)
    for name in ("Asha Patel", "Ben Hughes", "Cara Jones"):
        register(event, name)

    event_update(event=event, by=lead_lucy, data={"capacity": 2})

    assert statuses(event) == [
        ("Asha Patel", "confirmed", None),
        ("Ben Hughes", "confirmed", None),
        ("Cara Jones", "waiting", 2),
    ]


def test_it_refuses_fewer_places_than_are_confirmed(
    make_event: EventMaker, lead_lucy: User
) -> None:
    event = make_event(capacity=2)
    register(event, "Asha Patel")
    register(event, "Ben Hughes")

    with pytest.raises(ValidationError) as refused:
        event_update(event=event, by=lead_lucy, data={"capacity": 1})

    assert refused.value.message_dict == {
        "capacity": [ERR_CAPACITY_BELOW_CONFIRMED.format(count=2)]
    }
    event.refresh_from_db()
    assert event.capacity == 2


def test_it_refuses_to_publish_an_event_in_the_past(lead_lucy: User) -> None:
    event = event_create(by=lead_lucy, data=event_data(organiser=lead_lucy.organisation))

    with pytest.raises(ValidationError) as refused:
        event_publish(event=event, by=lead_lucy, now=event.starts_at)

    assert refused.value.messages == [ERR_PUBLISH_PAST]
    event.refresh_from_db()
    assert event.is_draft


def test_it_takes_an_event_back_to_draft_only_while_nobody_has_registered(
    make_event: EventMaker, lead_lucy: User
) -> None:
    quiet = make_event(title="Quiet")
    busy = make_event(title="Busy")
    register(busy, "Asha Patel")

    event_unpublish(event=quiet, by=lead_lucy)
    with pytest.raises(ValidationError) as refused:
        event_unpublish(event=busy, by=lead_lucy)

    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert quiet.is_draft
    assert busy.is_published
    assert refused.value.messages == [ERR_UNPUBLISH_REGISTRATIONS]


def test_it_emails_everyone_when_an_event_is_cancelled(
    make_event: EventMaker, lead_lucy: User, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    register(event, "Asha Patel")
    register(event, "Ben Hughes")
    gone = register(event, "Cara Jones")
    registration_cancel(registration=gone)

    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, by=lead_lucy)

    event.refresh_from_db()
    assert event.is_cancelled
    assert sorted(m.to[0] for m in mail.outbox) == ["asha@example.org", "ben@example.org"]
    assert {m.subject for m in mail.outbox} == {"Cancelled: Meet the buyer"}
    with pytest.raises(ValidationError) as again:
        event_cancel(event=event, by=lead_lucy)
    assert again.value.messages == [ERR_CANCEL_NOT_PUBLISHED.format(status="cancelled")]


# --- The message board -----------------------------------------------------------------------


def test_it_dates_a_post_when_it_is_first_published(make_post: PostMaker, lead_lucy: User) -> None:
    post = make_post(status="draft")
    assert post.published_at is None

    post = post_publish(post=post, by=lead_lucy)
    first_date = post.published_at
    post = post_unpublish(post=post, by=lead_lucy)
    post = post_publish(post=post, by=lead_lucy)

    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == first_date
    assert [h.status for h in post.history.order_by("history_date", "history_id")] == [
        "draft",
        "published",
        "draft",
        "published",
    ]


def test_it_keeps_the_slug_when_a_post_is_renamed(make_post: PostMaker, lead_lucy: User) -> None:
    post = make_post(title="First title")

    post = post_update(post=post, by=lead_lucy, data={"title": "A better title"})

    assert (post.title, post.slug) == ("A better title", "first-title")
