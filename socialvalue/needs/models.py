"""Local needs: where deprivation is, and which TOMs measures address it.

Implements the strategy's evidence of local need ("high to severe" deprivation in the
Lancashire-14 districts, measured with the English Indices of Deprivation 2019) and its aim
that social value is directed to the places and needs where it does most good. The areas,
their ranks and deciles and the region and England comparators are open reference data
loaded from ``data/`` by ``socialvalue load_needs``; the links between TOMs measures and
need domains are kept by the social value lead.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.core.models import TimeStampedModel
from socialvalue.needs.domains import DOMAIN_CHOICES


class Area(models.Model):
    """A place with deprivation figures: England, a region, a district or an LSOA.

    LSOAs (lower layer super output areas, about 1,500 residents each) carry the ranks and
    deciles; districts are counted from their LSOAs; the region and England carry comparator
    counts computed from the England-wide table.
    """

    class Level(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        DISTRICT = "district", "District"
        LSOA = "lsoa", "Neighbourhood (LSOA)"

    code = models.CharField(max_length=9, unique=True, help_text="ONS code, e.g. E07000117.")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    geometry = models.JSONField(
        null=True, blank=True, help_text="GeoJSON geometry in WGS84 (longitude, latitude)."
    )

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaDeprivation(models.Model):
    """One LSOA's national rank (1 = most deprived of 32,844) and decile in one domain."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation")
    domain = models.CharField(max_length=20, choices=DOMAIN_CHOICES)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["area", "domain"], name="uniq_deprivation_per_area"),
            models.CheckConstraint(
                condition=models.Q(decile__gte=1, decile__lte=10), name="deprivation_decile_1_10"
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="deprivation_rank_min_1"),
        ]
        indexes = [models.Index(fields=["domain", "decile"], name="needs_dep_domain_decile")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.domain}: decile {self.decile}"


class ComparatorCount(models.Model):
    """For a region or England: how many LSOAs, and how many in deciles 1 to 3 of a domain."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="comparator_counts")
    domain = models.CharField(max_length=20, choices=DOMAIN_CHOICES)
    lsoa_count = models.PositiveIntegerField()
    high_to_severe_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["area", "domain"], name="uniq_comparator_per_area"),
            models.CheckConstraint(
                condition=models.Q(high_to_severe_count__lte=models.F("lsoa_count")),
                name="comparator_count_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.domain}: {self.high_to_severe_count}/{self.lsoa_count}"


class NeedsDataset(models.Model):
    """What ``load_needs`` last loaded, so that loading the same files again changes nothing."""

    key = models.CharField(max_length=50, unique=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()
    district_count = models.PositiveIntegerField()
    lsoa_count = models.PositiveIntegerField()
    default_links_seeded = models.BooleanField(
        default=False,
        help_text="The default measure ↔ need links are added once; the lead's edits then stay.",
    )

    def __str__(self) -> str:
        return f"{self.key} ({self.lsoa_count} LSOAs, loaded {self.loaded_at:%d %b %Y})"


class MeasureNeedLink(TimeStampedModel):
    """A TOMs measure that addresses a need domain, e.g. NT1 (local jobs) → Employment.

    Linked by measure code rather than by row, so links carry over to new framework versions.
    """

    measure_code = models.CharField(max_length=20, db_index=True)
    domain = models.CharField(max_length=20, choices=DOMAIN_CHOICES)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why this measure addresses this need."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_code", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_code", "domain"], name="uniq_measure_need_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_code} → {self.get_domain_display()}"
