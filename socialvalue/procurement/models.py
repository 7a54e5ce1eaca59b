"""Tenders, social value offers, evaluation and award.

Implements the Social Value Strategy 2024-28, sections 9 "Standardised approach" (£100k
threshold, 10% minimum weighting, all 43 measures with no prioritisation), 10 "Social value
templates", 11 "Consistent evaluation and marking" (quantitative "what" and qualitative
"how", scored on the council's quality profile) and 17 "Qualitative delivery plan".
The exact evaluation method is in DESIGN.md and ``procurement/scoring/``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea
from socialvalue.core.geography import District
from socialvalue.core.models import TimeStampedModel
from socialvalue.core.money import MONEY, QUANTITY
from socialvalue.framework.models import FrameworkVersion, Measure

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]

DEFAULT_QUALITY_PROFILE: list[tuple[int, str, str]] = [
    (
        0,
        "Unacceptable or no response",
        "No response, or the response does not address the commitment at all.",
    ),
    (
        1,
        "Serious reservations",
        "The response gives little confidence that the commitment will be delivered: the "
        "activity, people, timing or evidence are missing or unrealistic.",
    ),
    (
        2,
        "Minor reservations",
        "The response is plausible but thin: some of the activity, people, timing or evidence "
        "are vague, so delivery depends on assumptions.",
    ),
    (
        3,
        "Satisfactory",
        "The response explains what will be done, by whom and when, and how it will be "
        "evidenced, with few gaps.",
    ),
    (
        4,
        "Good",
        "A clear, specific and realistic plan with named roles, dates, partners and evidence, "
        "targeted at local needs.",
    ),
    (
        5,
        "Excellent",
        "A detailed, well-evidenced plan that is specific to Lancashire's needs, names delivery "
        "partners with their agreement, and shows a track record of delivering similar "
        "commitments.",
    ),
]


class Policy(TimeStampedModel):
    """A buying organisation's social value rules, edited by the social value lead."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="social_value_policy"
    )
    threshold = models.DecimalField(
        "threshold (£)",
        max_digits=MONEY.digits,
        decimal_places=MONEY.places,
        error_messages=MONEY.error_messages("Threshold"),
        default=Decimal("100000.00"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Tenders with an estimated value at or above this must include social value.",
    )
    minimum_weighting = models.DecimalField(
        "minimum social value weighting (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=PERCENT_VALIDATORS,
    )
    default_quantitative_share = models.DecimalField(
        "default quantitative share (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=PERCENT_VALIDATORS,
        help_text="The share of the social value marks given to the quantitative offer.",
    )
    default_deliverability_threshold = models.PositiveSmallIntegerField(
        default=2,
        validators=SCORE_VALIDATORS,
        help_text="Commitments whose quality score is below this do not count towards value.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return f"Social value policy of {self.organisation}"


class QualityLevel(models.Model):
    """One level of the quality scoring profile (0 to 5) with its descriptor."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="quality_levels")
    score = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    label = models.CharField(max_length=100)
    descriptor = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "score"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "score"], name="uniq_quality_level")
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.label}"


class Tender(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        EVALUATED = "evaluated", "Evaluated"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Cancelled"

    class Category(models.TextChoices):
        CONSTRUCTION = "construction", "Construction"
        HIGHWAYS = "highways", "Highways"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        PUBLIC_HEALTH = "public_health", "Public health"
        ICT = "ict", "ICT"
        FACILITIES = "facilities", "Facilities management"
        PROFESSIONAL_SERVICES = "professional_services", "Professional services"
        WASTE = "waste", "Waste and environment"
        TRANSPORT = "transport", "Transport"
        GOODS = "goods", "Goods and supplies"
        OTHER = "other", "Other"

    class Basis(models.TextChoices):
        VALUE = "value", "Counted value (£)"
        SV_ADD = "sv_add", "Social Value Add (counted value ÷ bid price)"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tenders")
    reference = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    description = models.TextField()
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="tenders"
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="tenders"
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    estimated_value = models.DecimalField(
        "estimated value (£)",
        max_digits=MONEY.digits,
        decimal_places=MONEY.places,
        error_messages=MONEY.error_messages("Estimated value"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    duration_months = models.PositiveSmallIntegerField(
        "duration (months)", validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    deadline = models.DateTimeField(help_text="Offers must be submitted before this time.")
    sv_weighting = models.DecimalField(
        "social value weighting (% of total marks)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )
    quantitative_share = models.DecimalField(
        "quantitative share (% of the social value marks)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )
    quant_basis = models.CharField(
        "quantitative basis", max_length=10, choices=Basis.choices, default=Basis.VALUE
    )
    deliverability_threshold = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="tenders",
        help_text="Pinned when the tender opens; its proxies value every offer.",
    )
    menu = models.ManyToManyField(
        Measure, related_name="tenders", help_text="The measures suppliers may offer."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords(m2m_fields=[menu])

    class Meta:
        ordering = ["-deadline", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="uniq_tender_reference"
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def quantitative_marks(self) -> Decimal:
        """Q = W × s / 100."""
        return self.sv_weighting * self.quantitative_share / Decimal(100)

    @property
    def qualitative_marks(self) -> Decimal:
        """L = W − Q."""
        return self.sv_weighting - self.quantitative_marks


class PanelMember(models.Model):
    """An evaluator on a tender's panel. The moderator records the consensus scores."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels"
    )
    is_moderator = models.BooleanField(default=False)
    scores_submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this evaluator submitted their scores; until then they can change "
        "them, and they cannot see anyone else's.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "-is_moderator", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="uniq_panel_member")]

    def __str__(self) -> str:
        return f"{self.user} on {self.tender.reference}"


class Bid(TimeStampedModel):
    """A supplier's social value offer in a tender. Sealed until the deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="bids")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bids")
    price = models.DecimalField(
        "bid price (£)",
        max_digits=MONEY.digits,
        decimal_places=MONEY.places,
        error_messages=MONEY.error_messages("Bid price"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    receipt_reference = models.CharField(max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["tender", "supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "supplier"], name="uniq_bid_per_supplier")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.tender.reference}"


class Commitment(models.Model):
    """A quantity of one measure offered in a bid (the quantitative "what")."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="commitments")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="commitments")
    quantity = models.DecimalField(
        max_digits=QUANTITY.digits,
        decimal_places=QUANTITY.places,
        error_messages=QUANTITY.error_messages("Quantity"),
        validators=[MinValueValidator(Decimal(0))],
    )
    target_district = models.CharField(max_length=10, choices=District.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "order", "id"]

    def __str__(self) -> str:
        return f"{self.measure.code} × {self.quantity}"


class QualitativeResponse(models.Model):
    """How a commitment will be delivered (the qualitative "how"): the delivery plan line."""

    commitment = models.OneToOneField(Commitment, on_delete=models.CASCADE, related_name="response")
    activity = models.TextField(help_text="What you will do.")
    who_delivers = models.TextField("who delivers", help_text="Who will deliver it.")
    timing = models.TextField("when", help_text="When it will happen, with milestones.")
    partners = models.TextField(blank=True, help_text="Partners you will work with, if any.")
    evidence = models.TextField(
        "evidence to be provided", help_text="How you will evidence delivery each quarter."
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Response for {self.commitment}"


class QualityScore(models.Model):
    """A score of one qualitative response: each evaluator's own, then the consensus."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        CONSENSUS = "consensus", "Consensus"

    response = models.ForeignKey(
        QualitativeResponse, on_delete=models.CASCADE, related_name="scores"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quality_scores"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    score = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    justification = models.TextField()
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "kind", "evaluator__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "evaluator", "kind"],
                condition=models.Q(kind="individual"),
                name="uniq_individual_score",
            ),
            models.UniqueConstraint(
                fields=["response"],
                condition=models.Q(kind="consensus"),
                name="uniq_consensus_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score} by {self.evaluator}"
