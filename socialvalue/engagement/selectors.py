"""Reads of events, registrations and the message board, and who may see what.

The public sees published events (and cancelled ones, marked as cancelled, so that people
who planned to go find out) and published posts; drafts are only ever read through the
``…_for_lead`` functions. A registration is found only by its secret token.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from simple_history.models import ModelChange

from socialvalue.core.access import require_service_owner_lead
from socialvalue.core.history import HistoryEntry
from socialvalue.core.history import history_entries as core_history_entries
from socialvalue.engagement.display import day, moment_text
from socialvalue.engagement.ical import CalendarEvent, calendar_text
from socialvalue.engagement.models import Event, Post, Registration

ERR_NO_EVENT = "There is no event '{slug}'."
ERR_NO_POST = "There is no post '{slug}'."
ERR_NO_REGISTRATION = "This link is not valid. Check it is the full link from your email."

PUBLIC_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


# --- Events ----------------------------------------------------------------------------------


class EventCounts(TypedDict):
    """The registrations of an event counted by ``_with_counts``."""

    confirmed_count: int
    waiting_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # An event read with its counts (``event.confirmed_count``); for type checking only.
    CountedEvent = WithAnnotations[Event, EventCounts]


def _with_counts(qs: QuerySet[Event]) -> "QuerySet[CountedEvent]":
    return qs.select_related("organiser").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
        ),
    )


def events_public() -> "QuerySet[CountedEvent]":
    return _with_counts(Event.objects.filter(status__in=PUBLIC_STATUSES))


def events_upcoming(*, kind: str = "", now: datetime | None = None) -> QuerySet[Event]:
    """Published (and cancelled) events that have not ended, soonest first."""
    qs = events_public().filter(ends_at__gt=now or timezone.now())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("starts_at", "pk")


def events_past(*, kind: str = "", now: datetime | None = None) -> QuerySet[Event]:
    """Published events that have ended, most recent first (cancelled ones are left out)."""
    qs = events_public().filter(status=Event.Status.PUBLISHED, ends_at__lte=now or timezone.now())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-starts_at", "-pk")


def event_public_get(slug: str) -> "CountedEvent":
    event = events_public().filter(slug=slug).first()
    if event is None:
        raise Http404(ERR_NO_EVENT.format(slug=slug))
    return event


def event_confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


@dataclass(frozen=True)
class Availability:
    """Whether people can register for an event now, in words and as a tag colour."""

    label: str
    colour: str
    can_register: bool = False
    waiting_list: bool = False  # registering now puts you on the waiting list
    places_left: int | None = None
    not_yet_open: bool = False


def event_availability(
    event: Event, *, confirmed: int, now: datetime | None = None
) -> Availability:
    now = now or timezone.now()
    if event.is_cancelled:
        return Availability("Cancelled", "red")
    if not event.is_published:
        return Availability("Not published", "grey")
    if event.ends_at <= now:
        return Availability("Taken place", "grey")
    full = event.capacity is not None and confirmed >= event.capacity
    if event.starts_at <= now:
        return Availability("Registration closed", "grey")
    if event.registration_opens_at and now < event.registration_opens_at:
        return Availability(
            f"Registration opens {day(event.registration_opens_at)}", "blue", not_yet_open=True
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        return Availability("Full" if full else "Registration closed", "grey")
    if event.capacity is None:
        return Availability("Open to all", "green", can_register=True)
    if full:
        return Availability("Waiting list only", "yellow", can_register=True, waiting_list=True)
    left = event.capacity - confirmed
    return Availability(
        f"{left} place{'' if left == 1 else 's'} left",
        "green",
        can_register=True,
        places_left=left,
    )


@dataclass(frozen=True)
class EventListing:
    event: Event
    availability: Availability


def event_listings(events: Any, *, now: datetime | None = None) -> list[EventListing]:
    """Events annotated by ``_with_counts``, each with its availability."""
    now = now or timezone.now()
    return [
        EventListing(event, event_availability(event, confirmed=event.confirmed_count, now=now))
        for event in events
    ]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def events_url() -> str:
    return _absolute(reverse("engagement:events"))


def event_url(event: Event) -> str:
    return _absolute(reverse("engagement:event_detail", args=[event.slug]))


def event_calendar(event: Event, *, dtstamp: datetime, for_attendee: bool = False) -> str:
    """The event as an iCalendar file. For someone with a confirmed place the description
    includes the joining instructions, which the public file never does."""
    host = urlsplit(settings.SITE_URL).hostname or "socialvalue"
    description = [event.summary]
    if for_attendee and event.joining_instructions.strip():
        description.append("How to join:\n" + event.joining_instructions.strip())
    link = event_url(event)
    description.append(f"Details: {link}")
    entry = CalendarEvent(
        uid=f"event-{event.pk}@{host}",
        dtstamp=dtstamp,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=event.location_text,
        description="\n\n".join(description),
        url=link,
        cancelled=event.is_cancelled,
    )
    return calendar_text([entry])


# --- Registrations ---------------------------------------------------------------------------


def registration_get_by_token(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event").filter(token=token).first() if token else None
    )
    if registration is None:
        raise Http404(ERR_NO_REGISTRATION)
    return registration


def registration_url(registration: Registration) -> str:
    return _absolute(reverse("engagement:registration", args=[registration.token]))


def waiting_place(registration: Registration) -> int | None:
    """Where someone waiting is in the queue now (1 is next to be offered a place)."""
    if not registration.is_waiting or registration.position is None:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITING,
        position__lte=registration.position,
    ).count()


# --- The social value lead's pages -----------------------------------------------------------


def events_for_lead(user: Any) -> QuerySet[Event]:
    """Every event, drafts included, latest first."""
    require_service_owner_lead(user)
    return _with_counts(Event.objects.all()).order_by("-starts_at", "-pk")


def event_get_for_lead(user: Any, pk: int) -> "CountedEvent":
    require_service_owner_lead(user)
    return get_object_or_404(_with_counts(Event.objects.all()), pk=pk)


def registrations_for_event(event: Event) -> QuerySet[Registration]:
    """Confirmed places in the order they were taken, then the waiting list in order, then
    cancellations."""
    return event.registrations.annotate(
        status_order=Case(
            When(status=Registration.Status.CONFIRMED, then=Value(0)),
            When(status=Registration.Status.WAITING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("status_order", "position", "created_at", "pk")


# --- The message board -----------------------------------------------------------------------


def posts_published(*, now: datetime | None = None) -> QuerySet[Post]:
    """Published posts, newest first."""
    return (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def post_public_get(slug: str) -> Post:
    post = posts_published().filter(slug=slug).first()
    if post is None:
        raise Http404(ERR_NO_POST.format(slug=slug))
    return post


def posts_for_lead(user: Any) -> QuerySet[Post]:
    require_service_owner_lead(user)
    return Post.objects.select_related("author").order_by("-updated_at", "-pk")


def post_get_for_lead(user: Any, pk: int) -> Post:
    require_service_owner_lead(user)
    return get_object_or_404(Post.objects.select_related("author"), pk=pk)


# --- History ---------------------------------------------------------------------------------


HISTORY_HIDDEN_FIELDS = {"updated_at", "created_at", "slug", "created_by", "author"}


def history_entries(record: Event | Post) -> list[HistoryEntry]:
    """Who changed what and when, latest first, from the record's simple_history table."""

    def describe(delta: list[ModelChange]) -> list[str]:
        return [_field_label(record, c.field, c.old, c.new) for c in delta]

    return core_history_entries(record, describe=describe, hidden=HISTORY_HIDDEN_FIELDS)


def _field_label(record: Model, name: str, old: object, new: object) -> str:
    model_field = record._meta.get_field(name)
    label = str(getattr(model_field, "verbose_name", name))
    label = label[:1].upper() + label[1:]
    if name == "status":
        choices = dict(getattr(model_field, "choices", None) or [])
        return f"Status: {choices.get(old, old)} to {choices.get(new, new)}"
    if isinstance(old, datetime) or isinstance(new, datetime):
        before = moment_text(old) if isinstance(old, datetime) else "none"
        after = moment_text(new) if isinstance(new, datetime) else "none"
        return f"{label}: {before} to {after}"
    return f"{label} changed"
