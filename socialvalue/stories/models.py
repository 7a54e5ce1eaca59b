"""Case studies: the stories behind the numbers.

Implements the Social Value Strategy 2024-28's commitment to publish at least one case study
each quarter, showing what social value delivered on Lancashire contracts means for people
and places. A supplier or a council officer writes a ``CaseStudy`` from a fixed template
(the challenge, what was done, the outcomes with figures, a quote and a photograph), confirms
that the people and organisations named agreed to be published, and sends it to the social
value lead, who publishes it or returns it with a note.

Only ``published`` case studies are ever shown to the public. Themes and measures are stored
by slug and code, so a case study outlives framework versions (as partner profiles do).
``published_at`` records when each case study went public, for the "one case study per
quarter" indicator.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Organisation
from socialvalue.core.geography import District
from socialvalue.core.models import TimeStampedModel
from socialvalue.core.money import FIGURE

# Where a case study took place: one of the Lancashire 14.
DISTRICT_CHOICES = [(d.value, d.label) for d in District if d != District.OUTSIDE]
DISTRICT_NAMES = dict(DISTRICT_CHOICES)

MAX_FIGURES = 5
IMAGE_FOLDER = "case-studies"


class CaseStudy(TimeStampedModel):
    """One case study, from first draft to publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for review"
        PUBLISHED = "published", "Published"
        RETURNED = "returned", "Returned for changes"

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=170, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_studies"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
    )
    district = models.CharField(max_length=9, choices=DISTRICT_CHOICES, db_index=True)
    year = models.PositiveSmallIntegerField("year of delivery", db_index=True)
    summary = models.CharField(max_length=400)
    challenge = models.TextField("the challenge")
    what_was_done = models.TextField("what was done")
    outcomes = models.TextField()
    quote = models.TextField(blank=True)
    quote_attribution = models.CharField(max_length=200, blank=True)
    image = models.ImageField(upload_to=IMAGE_FOLDER, blank=True, max_length=200)
    image_alt = models.CharField("image description (alt text)", max_length=250, blank=True)
    # Recorded when the image is stored, so pages can reserve its space before it loads.
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    consent_to_publish = models.BooleanField(default=False)

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def district_name(self) -> str:
        return DISTRICT_NAMES.get(self.district, self.district)

    @property
    def theme_slugs(self) -> list[str]:
        return [link.slug for link in self.theme_links.all()]

    @property
    def measure_codes(self) -> list[str]:
        return [link.code for link in self.measure_links.all()]


class CaseStudyTheme(models.Model):
    """A framework theme the case study illustrates, by slug."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="theme_links")
    slug = models.SlugField(max_length=100, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["case_study", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "slug"], name="uniq_case_study_theme")
        ]

    def __str__(self) -> str:
        return self.slug


class CaseStudyMeasure(models.Model):
    """A measure the case study reports on, by code."""

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="measure_links"
    )
    code = models.CharField(max_length=20, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["case_study", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "code"], name="uniq_case_study_measure")
        ]

    def __str__(self) -> str:
        return self.code


class CaseStudyFigure(models.Model):
    """An outcome in figures: "Apprentices recruited: 6", "Volunteering: 1,240 hours"."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(max_length=100)
    value = models.DecimalField(
        max_digits=FIGURE.digits,
        decimal_places=FIGURE.places,
        error_messages=FIGURE.error_messages("The number"),
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_study", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()


@receiver(post_delete, sender=CaseStudy)
def _delete_image_file(sender: type[CaseStudy], instance: CaseStudy, **kwargs: Any) -> None:
    """A deleted case study takes its photograph with it (consent may have been withdrawn)."""
    if instance.image:
        name = instance.image.name
        storage = instance.image.storage
        transaction.on_commit(lambda: storage.delete(name))
