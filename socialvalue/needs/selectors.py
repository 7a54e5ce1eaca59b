"""Reads of the needs app: district summaries, map features, tables and need layers."""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.selectors import framework_version_current, measures_for_version
from socialvalue.needs.deprivation import (
    HIGH_TO_SEVERE_MAX_DECILE,
    high_to_severe_percent,
    is_high_to_severe,
    percent_1dp,
    share_band,
)
from socialvalue.needs.domains import DOMAINS, Domain, domains_in_order
from socialvalue.needs.models import (
    Area,
    AreaDeprivation,
    ComparatorCount,
    MeasureNeedLink,
    NeedsDataset,
)

ERR_NO_AREA = "There is no district or neighbourhood with the code {code}."
MEASURE_LABEL_LENGTH = 70


@dataclass(frozen=True)
class SummaryRow:
    """One area's share of LSOAs in high to severe deprivation for one domain."""

    code: str
    name: str
    level: str
    lsoa_count: int
    high_to_severe_count: int
    high_to_severe_percent: Decimal | None

    @property
    def percent_text(self) -> str:
        """The share to one decimal place, half-up: "68.3"."""
        return percent_1dp(self.high_to_severe_percent)

    @property
    def is_comparator(self) -> bool:
        return self.level in {Area.Level.REGION, Area.Level.COUNTRY}

    @property
    def band(self) -> int | None:
        return share_band(self.high_to_severe_percent)


def _row(area: Area | Any, lsoa_count: int, high: int) -> SummaryRow:
    return SummaryRow(
        code=area.code,
        name=area.name,
        level=area.level,
        lsoa_count=lsoa_count,
        high_to_severe_count=high,
        high_to_severe_percent=high_to_severe_percent(high, lsoa_count),
    )


def districts() -> QuerySet[Area]:
    """The loaded districts, by name (without their boundaries)."""
    return Area.objects.filter(level=Area.Level.DISTRICT).defer("geometry").order_by("name")


def district_rows(domain: str) -> list[SummaryRow]:
    """One row per district, by name: its LSOAs, and how many are in deciles 1 to 3."""
    counts = (
        AreaDeprivation.objects.filter(domain=domain, area__level=Area.Level.LSOA)
        .values("area__parent_id")
        .annotate(
            total=Count("id"),
            high=Count("id", filter=Q(decile__lte=HIGH_TO_SEVERE_MAX_DECILE)),
        )
    )
    by_district = {c["area__parent_id"]: (c["total"], c["high"]) for c in counts}
    return [_row(d, *by_district.get(d.pk, (0, 0))) for d in districts()]


def comparator_rows(domain: str) -> list[SummaryRow]:
    """The regions the districts are in (the North West), then England."""
    region_ids = set(districts().values_list("parent_id", flat=True))
    counts = (
        ComparatorCount.objects.filter(domain=domain)
        .filter(Q(area_id__in=region_ids) | Q(area__level=Area.Level.COUNTRY))
        .select_related("area")
        .order_by("area__level", "area__name")
    )
    # Regions before the country.
    ordered = sorted(counts, key=lambda c: (c.area.level == Area.Level.COUNTRY, c.area.name))
    return [_row(c.area, c.lsoa_count, c.high_to_severe_count) for c in ordered]


def district_summary(domain: str) -> list[SummaryRow]:
    """Every district, then the North West and England, for one domain."""
    return district_rows(domain) + comparator_rows(domain)


@dataclass(frozen=True)
class ProfileRow:
    domain: Domain
    district: SummaryRow
    comparators: list[SummaryRow]


def district_profile(district: Area) -> list[ProfileRow]:
    """A district's share in high to severe deprivation in every domain, with comparators."""
    counts = (
        AreaDeprivation.objects.filter(area__parent=district, area__level=Area.Level.LSOA)
        .values("domain")
        .annotate(
            total=Count("id"),
            high=Count("id", filter=Q(decile__lte=HIGH_TO_SEVERE_MAX_DECILE)),
        )
    )
    by_domain = {c["domain"]: (c["total"], c["high"]) for c in counts}
    comparators: dict[str, list[SummaryRow]] = {key: [] for key in DOMAINS}
    region_filter = Q(area__level=Area.Level.COUNTRY)
    if district.parent_id:
        region_filter |= Q(area_id=district.parent_id)
    for c in (
        ComparatorCount.objects.filter(region_filter)
        .select_related("area")
        .order_by("area__level", "area__name")
    ):
        comparators[c.domain].append(_row(c.area, c.lsoa_count, c.high_to_severe_count))
    for rows in comparators.values():
        rows.sort(key=lambda r: r.level == Area.Level.COUNTRY)
    return [
        ProfileRow(
            domain=domain,
            district=_row(district, *by_domain.get(key, (0, 0))),
            comparators=comparators[key],
        )
        for key, domain in DOMAINS.items()
    ]


def area_get_public(code: str) -> Area:
    """A district or an LSOA by its code; 404 for anything else."""
    area = (
        Area.objects.filter(
            code=code.strip().upper(), level__in=[Area.Level.DISTRICT, Area.Level.LSOA]
        )
        .select_related("parent")
        .defer("geometry", "parent__geometry")
        .first()
    )
    if area is None:
        raise Http404(ERR_NO_AREA.format(code=code))
    return area


@dataclass(frozen=True)
class DecileRow:
    domain: Domain
    rank: int
    decile: int

    @property
    def is_high_to_severe(self) -> bool:
        return is_high_to_severe(self.decile)


def lsoa_deciles(area: Area) -> list[DecileRow]:
    """An LSOA's rank and decile in every domain, in registry order."""
    found = {d.domain: d for d in AreaDeprivation.objects.filter(area=area)}
    return [
        DecileRow(domain=domain, rank=found[key].rank, decile=found[key].decile)
        for key, domain in DOMAINS.items()
        if key in found
    ]


def lsoas_ranked(domain: str, district_code: str = "") -> QuerySet[Area]:
    """LSOAs (of one district, or all), most deprived first in ``domain``, annotated with
    ``domain_rank`` and ``domain_decile``."""
    qs = Area.objects.filter(level=Area.Level.LSOA, deprivation__domain=domain)
    if district_code:
        qs = qs.filter(parent__code=district_code)
    return (
        qs.annotate(domain_rank=F("deprivation__rank"), domain_decile=F("deprivation__decile"))
        .select_related("parent")
        .defer("geometry", "parent__geometry")
        .order_by("domain_rank", "code")
    )


def deciles_by_area(area_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """{area id: {domain: (rank, decile)}} for the given LSOAs."""
    result: dict[int, dict[str, tuple[int, int]]] = {pk: {} for pk in area_ids}
    rows = AreaDeprivation.objects.filter(area_id__in=area_ids).values_list(
        "area_id", "domain", "rank", "decile"
    )
    for area_id, domain, rank, decile in rows:
        result[area_id][domain] = (rank, decile)
    return result


def dataset_version() -> str:
    """A short fingerprint of the loaded data, for ETags; empty when nothing is loaded."""
    checksum = NeedsDataset.objects.values_list("checksum", flat=True).first()
    return checksum[:16] if checksum else ""


def etag_for(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _feature(area: Area, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": area.code, "properties": properties, "geometry": area.geometry}


def areas_feature_collection(*, level: str, domain: str, district_code: str = "") -> dict[str, Any]:
    """The map's GeoJSON: districts (with their high-to-severe share) or LSOAs (with the
    domain's rank and decile, and every domain's decile for the pop-up)."""
    features = []
    if level == Area.Level.DISTRICT:
        rows = {r.code: r for r in district_rows(domain)}
        qs = Area.objects.filter(level=Area.Level.DISTRICT).order_by("name")
        if district_code:
            qs = qs.filter(code=district_code)
        for area in qs:
            row = rows[area.code]
            features.append(
                _feature(
                    area,
                    {
                        "code": area.code,
                        "name": area.name,
                        "level": area.level,
                        "district": area.code,
                        "district_name": area.name,
                        "domain": domain,
                        "decile": None,
                        "rank": None,
                        "lsoa_count": row.lsoa_count,
                        "high_to_severe_count": row.high_to_severe_count,
                        "high_to_severe_percent": row.percent_text,
                    },
                )
            )
    else:
        parents = {d.pk: d for d in districts()}
        qs = Area.objects.filter(level=Area.Level.LSOA).order_by("code")
        if district_code:
            qs = qs.filter(parent__code=district_code)
        areas = list(qs)
        figures = deciles_by_area([a.pk for a in areas])
        for area in areas:
            own = figures[area.pk]
            rank, decile = own.get(domain, (None, None))
            parent = parents.get(area.parent_id) if area.parent_id else None
            features.append(
                _feature(
                    area,
                    {
                        "code": area.code,
                        "name": area.name,
                        "level": area.level,
                        "district": parent.code if parent else None,
                        "district_name": parent.name if parent else None,
                        "domain": domain,
                        "decile": decile,
                        "rank": rank,
                        "high_to_severe": decile is not None and is_high_to_severe(decile),
                        "deciles": {key: own[key][1] for key in DOMAINS if key in own},
                    },
                )
            )
    return {"type": "FeatureCollection", "features": features}


# --- Measure ↔ need links and the map's layers -------------------------------------------


def _natural_key(code: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


@dataclass
class LinkGroup:
    """The links of one measure code, with the measure as the current framework has it."""

    measure_code: str
    description: str
    theme: str
    in_current_version: bool
    links: list[MeasureNeedLink] = field(default_factory=list)


def measure_need_link_groups(version: FrameworkVersion | None = None) -> list[LinkGroup]:
    """Every link, grouped by measure: in framework order, then codes the current version
    does not have."""
    version = version or framework_version_current()
    measures = list(measures_for_version(version)) if version else []
    position = {m.code: i for i, m in enumerate(measures)}
    by_code = {m.code: m for m in measures}
    groups: dict[str, LinkGroup] = {}
    links = sorted(
        MeasureNeedLink.objects.all(),
        key=lambda link: (
            position.get(link.measure_code, len(position)),
            _natural_key(link.measure_code),
            list(DOMAINS).index(link.domain) if link.domain in DOMAINS else len(DOMAINS),
        ),
    )
    for link in links:
        measure = by_code.get(link.measure_code)
        group = groups.setdefault(
            link.measure_code,
            LinkGroup(
                measure_code=link.measure_code,
                description=measure.description if measure else "",
                theme=measure.theme.name if measure else "",
                in_current_version=measure is not None,
            ),
        )
        group.links.append(link)
    return list(groups.values())


@dataclass(frozen=True)
class NeedLayer:
    """A TOMs theme or measure shown on the map through the need domains linked to it."""

    key: str  # "theme:<slug>" or "measure:<code>"
    label: str
    domains: list[str]


def _short(text: str, length: int = MEASURE_LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[: length - 1].rstrip()}…"


def need_layers(version: FrameworkVersion | None = None) -> tuple[list[NeedLayer], list[NeedLayer]]:
    """(themes, measures) of the current framework that have at least one linked need."""
    version = version or framework_version_current()
    if version is None:
        return [], []
    linked: dict[str, set[str]] = {}
    for code, domain in MeasureNeedLink.objects.values_list("measure_code", "domain"):
        linked.setdefault(code, set()).add(domain)
    themes: dict[str, tuple[str, set[str]]] = {}
    measure_layers = []
    for measure in measures_for_version(version):
        domains = linked.get(measure.code)
        if not domains:
            continue
        measure_layers.append(
            NeedLayer(
                key=f"measure:{measure.code}",
                label=f"{measure.code}: {_short(measure.description)}",
                domains=domains_in_order(domains),
            )
        )
        name, theme_domains = themes.setdefault(measure.theme.slug, (measure.theme.name, set()))
        theme_domains.update(domains)
    theme_layers = [
        NeedLayer(key=f"theme:{slug}", label=name, domains=domains_in_order(domains))
        for slug, (name, domains) in themes.items()
    ]
    return theme_layers, measure_layers
