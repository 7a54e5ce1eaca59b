"""Governance and reporting: KPI targets, training records, the annual statement, places.

Implements the Social Value Strategy 2024-28, sections 5 "Social value annual statement"
(aligned to the LGA template), 6 "Social value governance" (Cabinet-level KPIs), 7
"Resource bank and training programme" (training records), 8 "Social value evolution"
(metrics evolved annually, with targets) and 16 "Greater Lancashire approach" (several
buying organisations on one platform, place-level figures).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Organisation
from socialvalue.core.models import TimeStampedModel
from socialvalue.core.money import KPI_TARGET


class Kpi(models.TextChoices):
    """The indicators the dashboard reports, each with a target the lead may set per year."""

    COMMITTED_VALUE = "committed_value", "Social value committed (£)"
    DELIVERED_VALUE = "delivered_value", "Social value delivered (£)"
    DELIVERED_SV_ADD = "delivered_sv_add", "Social Value Add: delivered ÷ contract spend (%)"
    COMMITTED_SV_ADD = "committed_sv_add", "Social Value Add: committed ÷ awarded value (%)"
    LOCAL_SPEND = "local_spend", "Spend with local suppliers, NT18 (% of spend)"
    MSME_SPEND = "msme_spend", "Spend with local MSMEs, NT19 (% of spend)"
    VCSE_SPEND = "vcse_spend", "Spend with VCSEs, NT14 (% of spend)"
    RETURNS_ON_TIME = "returns_on_time", "Returns submitted on time (%)"
    OFFICERS_TRAINED = "officers_trained", "Officers trained (%)"
    CASE_STUDIES = "case_studies", "Case studies published per quarter"
    TENDERS_WITH_SV = (
        "tenders_with_sv",
        "Tenders at or above the threshold applying social value (%)",
    )


class Place(TimeStampedModel):
    """A place partnership (Greater Lancashire): buying organisations reporting together.

    Each member sees its own figures by default; the staff of the lead organisation see the
    figures of every member. ``/in-numbers/`` shows the public headline figures of a place.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="places_led"
    )
    members = models.ManyToManyField(Organisation, related_name="places", blank=True)
    description = models.TextField(blank=True)
    is_public = models.BooleanField(
        default=True, help_text="Show this place's headline figures on the public site."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KpiTarget(TimeStampedModel):
    """The target for one KPI in one financial year, for one organisation or a whole place."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="kpi_targets"
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, null=True, blank=True, related_name="kpi_targets"
    )
    kpi = models.CharField(max_length=30, choices=Kpi.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2026 for 2026-27."
    )
    target = models.DecimalField(
        max_digits=KPI_TARGET.digits,
        decimal_places=KPI_TARGET.places,
        error_messages=KPI_TARGET.error_messages("Target"),
        validators=[MinValueValidator(Decimal(0))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "kpi"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpi", "year"],
                condition=models.Q(organisation__isnull=False),
                name="uniq_kpi_target_organisation",
            ),
            models.UniqueConstraint(
                fields=["place", "kpi", "year"],
                condition=models.Q(place__isnull=False),
                name="uniq_kpi_target_place",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, place__isnull=True)
                    | models.Q(organisation__isnull=True, place__isnull=False)
                ),
                name="kpi_target_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} {self.year}: {self.target}"


class TrainingCourse(TimeStampedModel):
    class Kind(models.TextChoices):
        TOMS_ACADEMY = "toms_academy", "TOMs Academy"
        LUNCH_AND_LEARN = "lunch_and_learn", "Lunch and learn"
        E_LEARNING = "e_learning", "E-learning"
        WEBINAR = "webinar", "Webinar"
        WORKSHOP = "workshop", "Workshop"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_courses"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="uniq_course_title")
        ]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="uniq_course_completion")
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course} on {self.completed_on}"


class Statement(TimeStampedModel):
    """The annual social value statement of an organisation, following the LGA template."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="statements"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year the statement reports on: 2026 for 2026-27."
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="uniq_statement_year")
        ]

    def __str__(self) -> str:
        return self.title


class StatementSection(models.Model):
    """One section of the LGA template, with the lead's narrative (Markdown)."""

    class Key(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction and approach"
        FOCUS = "focus", "Key areas of focus"
        MANAGEMENT = "management", "Communication, co-ordination and internal management"
        STAFF = "staff", "Supporting staff"
        SUPPLIERS = "suppliers", "Supporting suppliers and partners"
        ACHIEVEMENTS = "achievements", "Social value achievements to date"
        ACTION_PLAN = "action_plan", "Action plan"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=30, choices=Key.choices)
    body = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "key"], name="uniq_statement_section")
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.get_key_display()}"

    @property
    def order(self) -> int:
        return list(self.Key.values).index(self.key)


class DeliveredRollup(models.Model):
    """Verified return-line quantities summed per organisation, measure and quarter (and
    per whole financial year), and per one more dimension (``kind``: district, directorate,
    category or supplier; none for ``total``). The dashboard reads delivered figures from
    here instead of every line: a year's figures from the year's cells.

    Kept exact by database triggers on return lines and contracts (``insights.rollups``), in
    the same transaction as the change; ``rebuild_rollups`` recomputes it from the lines.
    Quantities are held in millionths (they have at most 6 decimal places), so sums are
    whole numbers on any database: exact on SQLite up to 2^63 - 1 millionths (about 9.2
    trillion units, over 9,000 lines of the largest quantity in one cell), and on
    PostgreSQL to 38 digits.
    """

    class Kind(models.TextChoices):
        TOTAL = "total", "Total"
        DISTRICT = "district", "District"
        DIRECTORATE = "directorate", "Directorate"
        CATEGORY = "category", "Category"
        SUPPLIER = "supplier", "Supplier"

    WHOLE_YEAR = 0  # the period of a cell summing the whole financial year

    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(help_text="The financial year.")
    # The quarter's reporting period, or WHOLE_YEAR; no foreign key constraints or extra
    # indexes here: the triggers write on every verification, and one index serves reads.
    period_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    measure = models.ForeignKey(
        "framework.Measure",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # The dimension's value as text: district code, directorate id ("" for none), category,
    # supplier id; "" for the total.
    item = models.CharField(max_length=30, blank=True)
    micro_units = models.DecimalField(max_digits=38, decimal_places=0)
    lines = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_id", "year", "organisation", "measure", "item"],
                name="uniq_delivered_rollup",
            )
        ]
        # Covers the dashboard's reads: the sums come from the index alone.
        indexes = [
            models.Index(
                fields=[
                    *("kind", "period_id", "year", "organisation", "measure", "item"),
                    *("lines", "micro_units"),
                ],
                name="delivered_rollup_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} {self.organisation_id}/{self.period_id}/{self.measure_id}"
