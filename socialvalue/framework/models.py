"""The Themes, Outcomes and Measures (TOMs) framework.

Implements "1. Lancashire TOMs" and "8. Social value evolution" of the Social Value
Strategy 2024-28: themes aligned to corporate priorities, outcomes for objectives, and
measures as measurable activities with £ proxy values. Versions evolve, but a published
version is reference data in use by tenders and contracts and is never edited: a new
version is published and the old one is retired.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.core.models import TimeStampedModel
from socialvalue.core.money import PROXY

VERSION_LOCKED = (
    "Framework version {slug} is {status} and can no longer be changed. "
    "Create a new draft version instead."
)


class FrameworkLocked(ValidationError):
    """Raised on any attempt to change a published or retired framework version."""


class Framework(TimeStampedModel):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersionQuerySet(models.QuerySet):
    """Bulk writes obey the same rule as ``save()``/``delete()``: a version that has left
    draft keeps its content, and only its lifecycle fields may move."""

    def _first_locked(self) -> "FrameworkVersion | None":
        return self.exclude(status=FrameworkVersion.Status.DRAFT).first()

    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - FrameworkVersion.LIFECYCLE_FIELDS:
            locked = self._first_locked()
            if locked is not None:
                raise locked.locked_error()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        locked = self._first_locked()
        if locked is not None:
            raise locked.locked_error()
        return super().delete()


class FrameworkVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    # Fields that may still change once a version has left draft (its lifecycle only).
    LIFECYCLE_FIELDS = frozenset({"status", "published_at", "retired_at", "updated_at"})

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    label = models.CharField(max_length=50, help_text="Short version label, e.g. 2024.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    source = models.TextField(blank=True, help_text="Where the content of this version came from.")
    licence = models.TextField(blank=True)
    attribution = models.TextField(blank=True, help_text="Shown on every page using this version.")
    notes = models.TextField(
        blank=True, help_text="What changed in this version, in plain English."
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    history = HistoricalRecords()

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework__name", "-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def locked_error(self) -> FrameworkLocked:
        return FrameworkLocked(
            VERSION_LOCKED.format(slug=self.slug, status=self.get_status_display().lower())
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = FrameworkVersion.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if getattr(self, f.attname) != stored[f.attname]
                }
                if changed - self.LIFECYCLE_FIELDS:
                    raise FrameworkVersion(**stored).locked_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        stored_status = (
            FrameworkVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        )
        if stored_status and stored_status != self.Status.DRAFT:
            raise self.locked_error()
        return super().delete(*args, **kwargs)


def _assert_version_is_draft(version_id: int | None) -> None:
    if version_id is None:
        return
    version = FrameworkVersion.objects.filter(pk=version_id).only("slug", "status").first()
    if version is not None and version.status != FrameworkVersion.Status.DRAFT:
        raise version.locked_error()


class VersionContentQuerySet(models.QuerySet):
    """Bulk writes are refused too when they would touch a version that has left draft."""

    def _assert_all_draft(self) -> None:
        locked = (
            FrameworkVersion.objects.filter(pk__in=self.values("version_id"))
            .exclude(status=FrameworkVersion.Status.DRAFT)
            .first()
        )
        if locked is not None:
            raise locked.locked_error()

    def update(self, **kwargs: Any) -> int:
        self._assert_all_draft()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._assert_all_draft()
        return super().delete()


class VersionContent(models.Model):
    """Base for rows that belong to a framework version and share its immutability."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        _assert_version_is_draft(self.version_id)
        if self.pk:
            old_version_id = (
                type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first()
            )
            _assert_version_is_draft(old_version_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _assert_version_is_draft(self.version_id)
        return super().delete(*args, **kwargs)


class Theme(VersionContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="uniq_theme_slug_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class Outcome(VersionContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="outcomes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "name"], name="uniq_outcome_name_per_theme")
        ]

    def __str__(self) -> str:
        return self.name


class Measure(VersionContent):
    class ValueType(models.TextChoices):
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"
        ENVIRONMENTAL = "environmental", "Environmental"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="measures")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="measures")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=20)
    description = models.TextField()
    unit = models.CharField(max_length=200)
    proxy_value = models.DecimalField(
        max_digits=PROXY.digits,
        decimal_places=PROXY.places,
        error_messages=PROXY.error_messages("Proxy value"),
        validators=[MinValueValidator(Decimal(0))],
        null=True,
        blank=True,
        help_text="£ of social value per unit; empty when the measure is not monetised.",
    )
    value_type = models.CharField(max_length=20, choices=ValueType.choices)
    evidence_required = models.TextField(
        help_text="What a supplier must keep to evidence delivery, in plain English."
    )
    examples = models.TextField(blank=True, help_text="Examples of qualifying activity.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__order", "outcome__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="uniq_measure_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"

    @property
    def is_monetised(self) -> bool:
        return self.proxy_value is not None
