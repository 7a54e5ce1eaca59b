"""Writes for events, registrations and the message board.

Registrations never take more places than an event has, even when many arrive at once: each
registration and cancellation locks the event's row first (``select_for_update``) and counts
the confirmed places while holding the lock, so they happen one after another for each event.
(SQLite has no row locks, but lets only one transaction write at a time.) Emails go out only
once the change is committed, so nobody is told about a place that was rolled back.

Events and posts are published and taken down through transition tables of the shared workflow
(``socialvalue.core.workflow``).
"""

import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Max, Model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import User
from socialvalue.core.history import set_history_user
from socialvalue.core.workflow import Transition, Workflow
from socialvalue.engagement.display import moment_text, when_text
from socialvalue.engagement.models import RESERVED_SLUGS, Event, Post, Registration
from socialvalue.engagement.selectors import (
    event_calendar,
    event_confirmed_count,
    event_url,
    events_url,
    registration_url,
    waiting_place,
)

logger = logging.getLogger(__name__)

ERR_EVENT_NOT_PUBLISHED = "This event is not open for registration."
ERR_EVENT_CANCELLED = "This event has been cancelled, so you cannot register for it."
ERR_EVENT_STARTED = "This event has already started, so you cannot register for it."
ERR_REGISTRATION_NOT_OPEN = "Registration for this event opens at {when}."
ERR_REGISTRATION_CLOSED = "Registration for this event closed at {when}."
ERR_ALREADY_REGISTERED = (
    "{email} is already registered for this event. Use the link in the email we sent to see "
    "or cancel your place."
)
ERR_ALREADY_CANCELLED = "This place has already been cancelled."
ERR_CANCEL_AFTER_START = "This event has already started, so places can no longer be cancelled."
ERR_NAME_REQUIRED = "Enter your full name."
ERR_EMAIL_REQUIRED = "Enter your email address."
ERR_CAPACITY_BELOW_CONFIRMED = (
    "The number of places cannot be fewer than the {count} places already confirmed."
)
ERR_PUBLISH_NOT_DRAFT = "Only a draft event can be published; this one is {status}."
ERR_PUBLISH_PAST = "This event has already started, so it cannot be published."
ERR_UNPUBLISH_NOT_PUBLISHED = "Only a published event can be taken back to draft."
ERR_UNPUBLISH_REGISTRATIONS = (
    "People have registered for this event, so it cannot go back to draft. Cancel it instead: "
    "they will be told by email."
)
ERR_CANCEL_NOT_PUBLISHED = "Only a published event can be cancelled; this one is {status}."
ERR_CANCELLED_NOT_EDITABLE = "A cancelled event cannot be changed."
ERR_POST_ALREADY_PUBLISHED = "This post is already published."
ERR_POST_NOT_PUBLISHED = "This post is not published."

EVENT_FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "is_online",
    "venue_name",
    "address",
    "postcode",
    "joining_instructions",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "organiser",
)
POST_FIELDS = ("title", "kind", "summary", "body")

# An event is published from draft (dated the first time), taken back to draft, or cancelled.
EVENT_WORKFLOW = Workflow(
    field="status",
    transitions={
        "publish": Transition(
            sources=(Event.Status.DRAFT,),
            target=Event.Status.PUBLISHED,
            refused=ERR_PUBLISH_NOT_DRAFT,
            first_at=("published_at",),
        ),
        "unpublish": Transition(
            sources=(Event.Status.PUBLISHED,),
            target=Event.Status.DRAFT,
            refused=ERR_UNPUBLISH_NOT_PUBLISHED,
        ),
        "cancel": Transition(
            sources=(Event.Status.PUBLISHED,),
            target=Event.Status.CANCELLED,
            refused=ERR_CANCEL_NOT_PUBLISHED,
        ),
    },
)

# A post is published (dated the first time) and taken back to draft.
POST_WORKFLOW = Workflow(
    field="status",
    transitions={
        "publish": Transition(
            sources=(Post.Status.DRAFT,),
            target=Post.Status.PUBLISHED,
            refused=ERR_POST_ALREADY_PUBLISHED,
            first_at=("published_at",),
        ),
        "unpublish": Transition(
            sources=(Post.Status.PUBLISHED,),
            target=Post.Status.DRAFT,
            refused=ERR_POST_NOT_PUBLISHED,
        ),
    },
)


# --- Helpers ---------------------------------------------------------------------------------


def _unique_slug(model: type[Model], title: str, *, reserved: frozenset[str] = frozenset()) -> str:
    base = slugify(title)[:180].strip("-") or "item"
    slug, n = base, 1
    while slug in reserved or model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _after_commit(send: Callable[[], None]) -> None:
    transaction.on_commit(send)


def _send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    connection: BaseEmailBackend,
    ics: str | None = None,
) -> None:
    context = {**context, "service_name": settings.SERVICE_NAME}
    subject = " ".join(
        render_to_string(f"engagement/email/{template}_subject.txt", context).split()
    )
    body = render_to_string(f"engagement/email/{template}.txt", context)
    message = EmailMessage(subject, body, None, [to], connection=connection)
    if ics is not None:
        event: Event = context["event"]
        message.attach(f"{event.slug}.ics", ics, "text/calendar")
    try:
        message.send()
    except Exception:  # the place stands; the attendee's page shows the same information
        logger.exception("Could not email %s about %s", to, template)


def _registration_email(registration: Registration, template: str) -> Callable[[], None]:
    """An email to send once the change is committed. The mail backend is chosen now, while
    the settings in force are those of the change (the demo loader switches email off)."""
    event = registration.event
    connection = get_connection()

    def send() -> None:
        context: dict[str, Any] = {
            "event": event,
            "registration": registration,
            "when": when_text(event.starts_at, event.ends_at),
            "event_link": event_url(event),
            "events_link": events_url(),
            "manage_link": registration_url(registration),
        }
        ics = None
        if registration.is_confirmed:
            ics = event_calendar(event, dtstamp=timezone.now(), for_attendee=True)
        if registration.is_waiting:
            context["place"] = waiting_place(registration)
        _send(
            to=registration.email,
            template=template,
            context=context,
            connection=connection,
            ics=ics,
        )

    return send


def _lock_event(event: Event) -> Event:
    """The event's row, locked until the transaction ends."""
    if connection.vendor == "sqlite":
        # SQLite ignores FOR UPDATE. Writing first takes its database write lock now, so a
        # concurrent registration waits for this one (up to the busy timeout) instead of
        # failing when both have read and then try to write.
        Event.objects.filter(pk=event.pk).update(status=F("status"))
    return Event.objects.select_for_update().get(pk=event.pk)


# --- Events ----------------------------------------------------------------------------------


def _apply_event_fields(event: Event, data: dict[str, Any]) -> None:
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if event.is_online:
        event.venue_name = event.address = event.postcode = ""
    event.postcode = " ".join(event.postcode.upper().split())


@transaction.atomic
def event_create(*, by: User, data: dict[str, Any]) -> Event:
    """A new draft event; the public sees it only once it is published."""
    event = Event(status=Event.Status.DRAFT, created_by=by)
    _apply_event_fields(event, data)
    event.slug = _unique_slug(Event, event.title, reserved=RESERVED_SLUGS)
    event.full_clean()
    set_history_user(event, by)
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, by: User, data: dict[str, Any]) -> Event:
    """Change an event's details. More places (or no limit) go to people waiting, in order."""
    locked = _lock_event(event)
    if locked.is_cancelled:
        raise ValidationError(ERR_CANCELLED_NOT_EDITABLE)
    _apply_event_fields(locked, data)
    confirmed = event_confirmed_count(locked)
    if locked.capacity is not None and locked.capacity < confirmed:
        raise ValidationError({"capacity": ERR_CAPACITY_BELOW_CONFIRMED.format(count=confirmed)})
    locked.full_clean()
    set_history_user(locked, by)
    locked.save()
    _fill_free_places(locked)
    return locked


@transaction.atomic
def event_publish(*, event: Event, by: User, now: datetime | None = None) -> Event:
    locked = _lock_event(event)
    now = now or timezone.now()
    EVENT_WORKFLOW.check(locked, "publish")
    if locked.starts_at <= now:
        raise ValidationError(ERR_PUBLISH_PAST)
    return EVENT_WORKFLOW.move(locked, "publish", by=by, at=now)


@transaction.atomic
def event_unpublish(*, event: Event, by: User) -> Event:
    """Back to draft: only while nobody has registered."""
    locked = _lock_event(event)
    EVENT_WORKFLOW.check(locked, "unpublish")
    if locked.registrations.exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(ERR_UNPUBLISH_REGISTRATIONS)
    return EVENT_WORKFLOW.move(locked, "unpublish", by=by)


@transaction.atomic
def event_cancel(*, event: Event, by: User) -> Event:
    """Call an event off: it stays on the events page as cancelled, and everyone registered
    or waiting is told by email."""
    locked = _lock_event(event)
    EVENT_WORKFLOW.move(locked, "cancel", by=by)
    active = list(locked.registrations.exclude(status=Registration.Status.CANCELLED))
    for registration in active:
        registration.event = locked
        _after_commit(_registration_email(registration, "event_cancelled"))
    return locked


# --- Registrations ---------------------------------------------------------------------------


def _check_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise ValidationError(ERR_EVENT_CANCELLED)
    if not event.is_published:
        raise ValidationError(ERR_EVENT_NOT_PUBLISHED)
    if event.starts_at <= now:
        raise ValidationError(ERR_EVENT_STARTED)
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            ERR_REGISTRATION_NOT_OPEN.format(when=moment_text(event.registration_opens_at))
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise ValidationError(
            ERR_REGISTRATION_CLOSED.format(when=moment_text(event.registration_closes_at))
        )


def _next_position(event: Event) -> int:
    waiting = event.registrations.filter(status=Registration.Status.WAITING)
    return (waiting.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    organisation: str = "",
    needs: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register someone for an event: a confirmed place while there is one, else the next
    place on the waiting list. They are emailed either way (with the calendar file when the
    place is confirmed)."""
    name = " ".join(name.split())
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = ERR_NAME_REQUIRED
    if not email:
        errors["email"] = ERR_EMAIL_REQUIRED
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    locked = _lock_event(event)
    _check_open(locked, now)
    active = locked.registrations.exclude(status=Registration.Status.CANCELLED)
    if active.filter(email=email).exists():
        raise ValidationError({"email": ERR_ALREADY_REGISTERED.format(email=email)})
    registration = Registration(
        event=locked,
        name=name,
        email=email,
        organisation_name=" ".join(organisation.split()),
        needs=needs.strip(),
        token=_new_token(),
    )
    confirmed = event_confirmed_count(locked)
    if locked.capacity is None or confirmed < locked.capacity:
        registration.status = Registration.Status.CONFIRMED
    else:
        registration.status = Registration.Status.WAITING
        registration.position = _next_position(locked)
    registration.full_clean(exclude=["token"])
    registration.save()
    template = "confirmed" if registration.is_confirmed else "waiting"
    _after_commit(_registration_email(registration, template))
    return registration


def _fill_free_places(event: Event) -> list[Registration]:
    """Give free places to the people waiting longest; the event's row must be locked."""
    promoted: list[Registration] = []
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("position")
    confirmed = event_confirmed_count(event)
    now = timezone.now()
    for registration in waiting:
        if event.capacity is not None and confirmed >= event.capacity:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.position = None
        registration.promoted_at = now
        registration.save(update_fields=["status", "position", "promoted_at", "updated_at"])
        registration.event = event
        confirmed += 1
        promoted.append(registration)
        _after_commit(_registration_email(registration, "promoted"))
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Give up a place (or a place in the queue). A confirmed place that is freed goes to the
    first person on the waiting list, who is emailed."""
    now = now or timezone.now()
    event = _lock_event(registration.event)
    locked = Registration.objects.get(pk=registration.pk)
    if locked.is_cancelled:
        raise ValidationError(ERR_ALREADY_CANCELLED)
    if event.starts_at <= now:
        raise ValidationError(ERR_CANCEL_AFTER_START)
    was_confirmed = locked.is_confirmed
    locked.status = Registration.Status.CANCELLED
    locked.position = None
    locked.cancelled_at = now
    locked.save(update_fields=["status", "position", "cancelled_at", "updated_at"])
    locked.event = event
    if was_confirmed and event.is_published:
        _fill_free_places(event)
    return locked


# --- The message board -----------------------------------------------------------------------


def _apply_post_fields(post: Post, data: dict[str, Any]) -> None:
    for name in POST_FIELDS:
        if name in data:
            setattr(post, name, data[name])


@transaction.atomic
def post_create(*, by: User, data: dict[str, Any]) -> Post:
    """A new draft post on the message board."""
    post = Post(status=Post.Status.DRAFT, author=by)
    _apply_post_fields(post, data)
    post.slug = _unique_slug(Post, post.title)
    post.full_clean()
    set_history_user(post, by)
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, by: User, data: dict[str, Any]) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    _apply_post_fields(locked, data)
    locked.full_clean()
    set_history_user(locked, by)
    locked.save()
    return locked


@transaction.atomic
def post_publish(*, post: Post, by: User, now: datetime | None = None) -> Post:
    """Publish a post; it is dated the first time it is published."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    return POST_WORKFLOW.move(locked, "publish", by=by, at=now)


@transaction.atomic
def post_unpublish(*, post: Post, by: User) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    return POST_WORKFLOW.move(locked, "unpublish", by=by)
