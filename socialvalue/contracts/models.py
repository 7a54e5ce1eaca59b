"""Contracts and their social value targets.

Implements the Social Value Strategy 2024-28, sections 17 "Qualitative delivery plan" and
18 "Social value reporting": commitments made at bid become contract targets that the
supplier reports against every quarter. Contracts may come from an awarded tender or be
registered directly (contracts let before the platform, planning obligations, grants).
"""

import uuid
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea
from socialvalue.core.geography import District
from socialvalue.core.models import TimeStampedModel
from socialvalue.core.money import MONEY, QUANTITY
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class Contract(TimeStampedModel):
    class Lever(models.TextChoices):
        PROCUREMENT = "procurement", "Procurement"
        PLANNING = "planning", "Planning obligation"
        GRANT = "grant", "Grant"

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts_let"
    )
    supplier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts_held"
    )
    reference = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    category = models.CharField(max_length=30, blank=True)
    lever = models.CharField(max_length=20, choices=Lever.choices, default=Lever.PROCUREMENT)
    value = models.DecimalField(
        "contract value (£)",
        max_digits=MONEY.digits,
        decimal_places=MONEY.places,
        error_messages=MONEY.error_messages("Contract value"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    start_date = models.DateField()
    end_date = models.DateField()
    contract_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_contracts",
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="contracts"
    )
    tender = models.OneToOneField(
        "procurement.Tender",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
    )
    bid = models.OneToOneField(
        "procurement.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="contract"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="uniq_contract_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Target(models.Model):
    """The committed quantity of one measure on a contract, valued at the pinned proxy."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="targets")
    quantity = models.DecimalField(
        max_digits=QUANTITY.digits,
        decimal_places=QUANTITY.places,
        error_messages=QUANTITY.error_messages("Quantity"),
        validators=[MinValueValidator(Decimal(0))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "measure__order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "measure"], name="uniq_target_measure")
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.measure.code} × {self.quantity}"

    @property
    def value(self) -> Decimal:
        """quantity × the pinned proxy value, exact (0 for a measure without one).

        Worked out rather than stored: the product can have 25 digits, more than SQLite
        keeps, and the proxy of a published framework version never changes.
        """
        proxy = self.measure.proxy_value
        if proxy is None or self.quantity is None:
            return Decimal(0)
        with localcontext(_EXACT):
            return self.quantity * proxy


PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))]


class ReportingSettings(models.Model):
    """The platform's quarterly reporting rules, one row, edited by the social value lead."""

    return_due_days = models.PositiveSmallIntegerField(
        "return due (days after quarter end)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="A quarter's return is due this many days after the quarter ends.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "first reminder (days before due date)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Suppliers are reminded when their return is due within this many days.",
    )
    rag_green_percent = models.DecimalField(
        "green at or above (% of pro-rata target)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("90.00"),
        validators=PERCENT_VALIDATORS,
    )
    rag_amber_percent = models.DecimalField(
        "amber at or above (% of pro-rata target)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("70.00"),
        validators=PERCENT_VALIDATORS,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "reporting settings"
        verbose_name_plural = "reporting settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rag_amber_percent__lte=models.F("rag_green_percent")),
                name="rag_amber_not_above_green",
            ),
        ]

    def __str__(self) -> str:
        return "Reporting settings"

    def clean(self) -> None:
        if (
            self.rag_amber_percent is not None
            and self.rag_green_percent is not None
            and self.rag_amber_percent > self.rag_green_percent
        ):
            raise ValidationError(
                {"rag_amber_percent": "The amber threshold must not be above the green one."}
            )

    @classmethod
    def current(cls) -> "ReportingSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class ReportingPeriod(models.Model):
    """A UK financial-year quarter (Q1 = April–June) and the due date of its returns."""

    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts in.")
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="uniq_reporting_period"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, self.number)

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def short_label(self) -> str:
        return self.quarter.short_label

    @property
    def slug(self) -> str:
        """As in URLs: ``2026-q3``."""
        return f"{self.year}-q{self.number}"


class TargetQuarter(models.Model):
    """The part of a target profiled into one quarter; a target's quarters sum to it."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="quarters")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="target_quarters"
    )
    quantity = models.DecimalField(
        max_digits=QUANTITY.digits,
        decimal_places=QUANTITY.places,
        error_messages=QUANTITY.error_messages("Quantity"),
        validators=[MinValueValidator(Decimal(0))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "period__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="uniq_target_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.target} in {self.period}: {self.quantity}"


class Return(TimeStampedModel):
    """One supplier's social value return for one quarter, across all its contracts."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not submitted"
        SUBMITTED = "submitted", "Submitted"

    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_nil = models.BooleanField(
        "nil return", default=False, help_text="Submitted with nothing to report this quarter."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__start_date", "supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period"], name="uniq_return_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.period}"

    @property
    def submitted_on_time(self) -> bool | None:
        """True/False once submitted; None while not submitted."""
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.period.due_date


class ImportBatch(models.Model):
    """One upload of return lines from a file: the record of who imported what, when."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=255)
    line_count = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.line_count} lines)"


class ReturnLine(TimeStampedModel):
    """What one contract delivered against one measure in the quarter, in one district."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        QUERIED = "queried", "Queried"
        REJECTED = "rejected", "Rejected"

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="return_lines")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.DecimalField(
        max_digits=QUANTITY.digits,
        decimal_places=QUANTITY.places,
        error_messages=QUANTITY.error_messages("Quantity"),
        validators=[MinValueValidator(Decimal(0))],
    )
    district = models.CharField(max_length=10, choices=District.choices)
    narrative = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines"
    )

    class Meta:
        ordering = ["return_record", "contract__reference", "measure__order", "pk"]
        indexes = [
            models.Index(fields=["contract", "measure", "status"], name="line_contract_measure"),
            models.Index(fields=["status"], name="line_status"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.measure.code} × {self.quantity}"

    @property
    def is_editable_by_supplier(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.QUERIED}


class LineEvent(models.Model):
    """The history of a return line: every change and every verification decision."""

    class Action(models.TextChoices):
        CREATED = "created", "Added"
        CHANGED = "changed", "Changed"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
        SUBMITTED = "submitted", "Submitted"
        VERIFIED = "verified", "Verified"
        QUERIED = "queried", "Queried"
        REJECTED = "rejected", "Rejected"
        RESUBMITTED = "resubmitted", "Answered and resubmitted"

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Stored under a random name: the supplier's file name is kept only in the database."""
    return f"evidence/{instance.token.hex[:2]}/{instance.token.hex}"


def evidence_storage() -> Storage:
    return storages["evidence"]


class Evidence(models.Model):
    """A file supporting a return line. Stored privately; served only through the platform."""

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="evidence")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=evidence_path, storage=evidence_storage, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class ReminderSent(models.Model):
    """A reminder stage already sent for a return, so reminders go once per stage."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["return_record", "stage"], name="uniq_reminder_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} reminder for {self.return_record}"
