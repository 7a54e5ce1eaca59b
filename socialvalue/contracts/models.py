"""Contracts and their social value targets.

Implements the Social Value Strategy 2024-28, sections 17 "Qualitative delivery plan" and
18 "Social value reporting": commitments made at bid become contract targets that the
supplier reports against every quarter. Contracts may come from an awarded tender or be
registered directly (contracts let before the platform, planning obligations, grants).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea
from socialvalue.core.models import TimeStampedModel
from socialvalue.framework.models import FrameworkVersion, Measure


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
        max_digits=14,
        decimal_places=2,
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
        max_digits=21, decimal_places=6, validators=[MinValueValidator(Decimal(0))]
    )
    value = models.DecimalField(
        "value (£)", max_digits=30, decimal_places=10, help_text="quantity × proxy, exact."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "measure__order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "measure"], name="uniq_target_measure")
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.measure.code} × {self.quantity}"
