"""Engagement: events people can register for, and a message board of news and initiatives.

Implements the strategy's commitments to "engage the market" before procurements (market
engagement sessions, so that local suppliers, SMEs and VCSEs hear about opportunities early),
to hold an annual social value forum, and to "share good practice" with partners and
suppliers through a message board of initiatives and news.

An ``Event`` has a fixed number of places (or none for webinars open to all). Registrations
beyond the capacity join a waiting list in the order they arrive; when a confirmed attendee
cancels, the first person waiting is given the place. The social value lead writes events and
posts in Markdown; every change keeps its history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Organisation
from socialvalue.core.models import TimeStampedModel

ERR_ENDS_BEFORE_START = "The event must end after it starts."
ERR_VENUE_REQUIRED = "Enter the name of the venue for an event in person."
ERR_ADDRESS_REQUIRED = "Enter the address of the venue for an event in person."
ERR_CAPACITY_POSITIVE = "The number of places must be 1 or more, or empty for no limit."
ERR_CLOSES_BEFORE_OPENS = "Registration must close after it opens."
ERR_CLOSES_AFTER_END = "Registration must close before the event ends."

# Paths under /events/ that an event's slug must never take.
RESERVED_SLUGS = frozenset({"manage", "news", "registrations"})


class Event(TimeStampedModel):
    """A session people attend, in person or online, with or without a limit on places."""

    class Kind(models.TextChoices):
        MARKET_ENGAGEMENT = "market_engagement", "Market engagement session"
        FORUM = "forum", "Annual social value forum"
        WEBINAR = "webinar", "Webinar"
        WORKSHOP = "workshop", "Workshop"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField("type of event", max_length=30, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    description = models.TextField(help_text="Markdown.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_online = models.BooleanField("online", default=False)
    venue_name = models.CharField("venue", max_length=200, blank=True)
    address = models.TextField(blank=True, help_text="One line of the address per line.")
    postcode = models.CharField(max_length=10, blank=True)
    joining_instructions = models.TextField(
        blank=True,
        help_text="Shown only to people with a confirmed place: a joining link, or where to go.",
    )
    capacity = models.PositiveIntegerField(
        "number of places",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave empty for no limit.",
    )
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="organised_events"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=ERR_ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=ERR_CAPACITY_POSITIVE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ERR_ENDS_BEFORE_START
        if not self.is_online:
            if not self.venue_name.strip():
                errors["venue_name"] = ERR_VENUE_REQUIRED
            if not self.address.strip():
                errors["address"] = ERR_ADDRESS_REQUIRED
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = ERR_CLOSES_BEFORE_OPENS
        elif closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = ERR_CLOSES_AFTER_END
        if errors:
            raise ValidationError(errors)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def location_text(self) -> str:
        """Where it happens, on one line: "Online", or the venue, address and postcode."""
        if self.is_online:
            return "Online"
        parts = [self.venue_name.strip(), *self.address_lines, self.postcode.strip()]
        return ", ".join(part for part in parts if part)


class Registration(TimeStampedModel):
    """A person's place at an event, or their place in the queue for one."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    needs = models.TextField("accessibility or dietary needs", blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices)
    # Order of arrival on the waiting list (1 is first in the queue); empty when not waiting.
    position = models.PositiveIntegerField("waiting list position", null=True, blank=True)
    # The secret in the link that lets the attendee see and cancel their place.
    token = models.CharField(max_length=64, unique=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="uniq_active_registration_email",
                violation_error_message="This email address is already registered for the event.",
            ),
            models.UniqueConstraint(
                fields=["event", "position"],
                condition=models.Q(status="waiting"),
                name="uniq_waiting_position",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="waiting", position__isnull=False)
                    | (~models.Q(status="waiting") & models.Q(position__isnull=True))
                ),
                name="registration_position_only_when_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event} ({self.get_status_display().lower()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Post(TimeStampedModel):
    """An item on the message board: news, an initiative, or an opportunity to take part."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        INITIATIVE = "initiative", "Initiative"
        OPPORTUNITY = "opportunity", "Opportunity"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField("type of post", max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
