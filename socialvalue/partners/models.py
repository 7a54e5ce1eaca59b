"""The partner match-making directory.

Implements the strategy's commitment to "broker relationships" between suppliers and the
local organisations that help deliver social value (employment and skills services, VCSEs,
health and environmental bodies): each partner organisation has a public profile naming the
TOMs measures it helps deliver and the Lancashire districts it serves.

What the public sees is the published ``PartnerProfile``. A partner's own edits are kept as
a ``PartnerProfileRevision`` (draft → submitted → approved or rejected) and reach the
profile only when the social value lead approves them. Measures are stored by code, so a
profile outlives framework versions: codes are resolved against the current version for
display.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Organisation
from socialvalue.core.geography import District
from socialvalue.core.models import TimeStampedModel

# The districts a partner can serve: the Lancashire 14 ("outside" is not a place served).
DISTRICT_CHOICES = [(d.value, d.label) for d in District if d != District.OUTSIDE]
DISTRICT_NAMES = dict(DISTRICT_CHOICES)
ALL_OF_LANCASHIRE = "All of Lancashire"


class PartnerType(models.TextChoices):
    VCSE = "vcse", "Voluntary, community or social enterprise (VCSE)"
    PUBLIC_BODY = "public_body", "Public body"
    EMPLOYMENT_SKILLS = "employment_skills", "Employment and skills service"
    EDUCATION = "education", "Education or training provider"
    HEALTH = "health", "Health and wellbeing"
    BUSINESS_SUPPORT = "business_support", "Business support"
    ENVIRONMENTAL = "environmental", "Environmental"
    OTHER = "other", "Other"


class PartnerContent(models.Model):
    """What a profile says: shared by the published profile and each proposed revision."""

    partner_type = models.CharField(
        "type of organisation", max_length=30, choices=PartnerType.choices
    )
    summary = models.CharField(max_length=300)
    description = models.TextField()
    serves_all_lancashire = models.BooleanField("works across all of Lancashire", default=False)
    example_offers = models.TextField(
        blank=True, help_text="Plain text, one example of what the partner offers per line."
    )
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        abstract = True

    @property
    def example_offer_list(self) -> list[str]:
        return [line.strip() for line in self.example_offers.splitlines() if line.strip()]


class PartnerProfile(PartnerContent, TimeStampedModel):
    """A partner organisation's public entry. Only ``published`` profiles are ever shown."""

    class Status(models.TextChoices):
        UNPUBLISHED = "unpublished", "Not published"
        PUBLISHED = "published", "Published"

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partner_profile",
        limit_choices_to={"kind": Organisation.Kind.PARTNER},
    )
    slug = models.SlugField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNPUBLISHED)
    published_at = models.DateTimeField(null=True, blank=True)
    # A profile is created empty when its organisation first starts a draft.
    partner_type = models.CharField(
        "type of organisation", max_length=30, choices=PartnerType.choices, blank=True
    )
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def measure_codes(self) -> list[str]:
        return [link.code for link in self.measure_links.all()]

    @property
    def district_codes(self) -> list[str]:
        return [link.district for link in self.district_links.all()]


class PartnerMeasure(models.Model):
    """A measure the partner helps deliver, by code (survives framework versions)."""

    profile = models.ForeignKey(
        PartnerProfile, on_delete=models.CASCADE, related_name="measure_links"
    )
    code = models.CharField(max_length=20, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["profile", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="uniq_partner_measure")
        ]

    def __str__(self) -> str:
        return self.code


class PartnerDistrict(models.Model):
    """A Lancashire district the partner serves."""

    profile = models.ForeignKey(
        PartnerProfile, on_delete=models.CASCADE, related_name="district_links"
    )
    district = models.CharField(max_length=9, choices=DISTRICT_CHOICES, db_index=True)

    class Meta:
        ordering = ["profile", "district"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "district"], name="uniq_partner_district")
        ]

    def __str__(self) -> str:
        return self.get_district_display()


class PartnerProfileRevision(PartnerContent, TimeStampedModel):
    """A proposed version of a profile, written by the partner and decided by the lead."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED)

    profile = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    districts = models.JSONField(default=list, blank=True)
    measure_codes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
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
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one revision in progress (draft or submitted) per profile.
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(status__in=["draft", "submitted"]),
                name="uniq_open_partner_revision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def district_codes(self) -> list[str]:
        return list(self.districts)
