"""Writes of the needs app: loading the reference data and editing measure ↔ need links."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.framework.models import Measure
from socialvalue.needs.data_files import (
    DATA_DIR,
    ENGLAND_CODE,
    DataFileError,
    NeedsData,
    read_needs_data,
)
from socialvalue.needs.domains import DOMAINS
from socialvalue.needs.models import (
    Area,
    AreaDeprivation,
    ComparatorCount,
    MeasureNeedLink,
    NeedsDataset,
)

DATASET_KEY = "iod2019-lancashire14"

ERR_UNKNOWN_MEASURE = "There is no measure {code} in any framework version."
ERR_UNKNOWN_DOMAIN = "Choose a need from the list."
ERR_LINK_EXISTS = "{code} is already linked to the {domain}."
ERR_MEASURE_EMPTY = "Choose a measure."

#: The links added when the data is first loaded: measure code → (domains, why).
DEFAULT_LINKS: dict[str, tuple[tuple[str, ...], str]] = {
    "NT1": (("employment",), "Jobs for local people."),
    "NT3": (("employment",), "Jobs for long-term unemployed local people."),
    "NT3d": (("employment",), "Jobs for survivors of modern slavery and domestic abuse."),
    "NT4": (("employment", "cyp"), "Jobs for young people not in employment or education."),
    "NT4a": (("employment", "cyp"), "Jobs for young care leavers."),
    "NT5": (("employment", "crime"), "Jobs for people leaving prison or rehabilitating."),
    "NT6": (("employment", "health"), "Jobs for disabled people."),
    "NT6a": (("employment",), "Jobs for armed forces veterans."),
    "NT76": (("employment",), "Jobs for people on benefits or out of work."),
    "NT8": (("education", "cyp"), "Support for pupils in local schools and colleges."),
    "NT9": (("education", "adult_skills"), "Training towards qualifications."),
    "NT9a": (("education", "adult_skills"), "Training for disadvantaged people."),
    "NT10": (("education", "adult_skills"), "Apprenticeships and T-Levels."),
    "NT10a": (("education", "adult_skills"), "Apprenticeships for disadvantaged people."),
    "NT11": (("employment", "adult_skills"), "Support into work for unemployed people."),
    "NT12": (("education", "cyp"), "Work placements and pre-employment courses."),
    "NT13": (("education", "cyp"), "Paid work placements."),
    "NT14": (("income",), "Spend with voluntary and community organisations."),
    "NT18": (("income", "employment"), "Spend in the local supply chain."),
    "NT19": (("income", "employment"), "Spend with local small businesses."),
    "NT20": (("health",), "Mental health and wellbeing support for staff."),
    "NT41": (("income",), "Staff paid at least the Real Living Wage."),
    "NT26": (("health",), "Health interventions such as stop smoking or healthy eating."),
    "NT27": (("idaopi", "health"), "Support for older, disabled and vulnerable people."),
    "NT28": (("imd",), "Donations to local community projects."),
    "NT29": (("imd",), "Volunteering for local community projects."),
    "NT52": (("health", "crime"), "Healthier, safer and more resilient communities."),
    "NT31": (("outdoors", "living_env"), "Lower carbon emissions and cleaner air."),
    "NT32": (("outdoors", "living_env"), "Fewer car miles: cleaner air and safer roads."),
    "NT82": (("outdoors", "living_env"), "Lower emissions from energy use."),
    "NT85": (("outdoors", "living_env"), "Green spaces and biodiversity."),
    "NT86": (("outdoors", "living_env"), "Conservation of the local natural environment."),
}


@dataclass(frozen=True)
class NeedsLoadResult:
    loaded: bool  # False when the same data was already loaded
    district_count: int
    lsoa_count: int
    comparator_count: int
    links_added: int

    @property
    def summary(self) -> str:
        links = f", {self.links_added} default measure links added" if self.links_added else ""
        if not self.loaded:
            return (
                f"Local-needs data already loaded ({self.district_count} districts, "
                f"{self.lsoa_count} LSOAs){links}."
            )
        return (
            f"Loaded local-needs data: {self.district_count} districts, {self.lsoa_count} LSOAs, "
            f"{self.comparator_count} comparator areas{links}."
        )


def _ids(*levels: str) -> dict[str, int]:
    return dict(Area.objects.filter(level__in=levels).values_list("code", "id"))


def _store(data: NeedsData) -> int:
    """Replace every area and its figures with ``data``; returns the comparator area count."""
    Area.objects.all().delete()
    england = Area.objects.create(code=ENGLAND_CODE, name="England", level=Area.Level.COUNTRY)
    Area.objects.bulk_create(
        Area(code=code, name=name, level=Area.Level.REGION, parent=england)
        for code, name, level in sorted(
            {(c.area_code, c.area_name, c.level) for c in data.comparators}
        )
        if level == Area.Level.REGION
    )
    # Primary keys of bulk-created rows are not set on every database: read them back.
    region_ids = _ids(Area.Level.REGION)
    region_of = {r.district_code: r.region_code for r in data.lsoas}
    Area.objects.bulk_create(
        Area(
            code=code,
            name=name,
            level=Area.Level.DISTRICT,
            parent_id=region_ids.get(region_of[code]),
            geometry=data.district_geometries[code],
        )
        for code, name in sorted(data.districts.items(), key=lambda item: item[1])
    )
    district_ids = _ids(Area.Level.DISTRICT)
    Area.objects.bulk_create(
        (
            Area(
                code=r.code,
                name=r.name,
                level=Area.Level.LSOA,
                parent_id=district_ids[r.district_code],
                geometry=data.lsoa_geometries[r.code],
            )
            for r in data.lsoas
        ),
        batch_size=500,
    )
    ids = _ids(Area.Level.LSOA)
    AreaDeprivation.objects.bulk_create(
        (
            AreaDeprivation(
                area_id=ids[r.code], domain=key, rank=r.ranks[key], decile=r.deciles[key]
            )
            for r in data.lsoas
            for key in DOMAINS
        ),
        batch_size=2000,
    )
    comparator_ids = _ids(Area.Level.REGION, Area.Level.COUNTRY)
    ComparatorCount.objects.bulk_create(
        ComparatorCount(
            area_id=comparator_ids[c.area_code],
            domain=c.domain,
            lsoa_count=c.lsoa_count,
            high_to_severe_count=c.high_to_severe_count,
        )
        for c in data.comparators
    )
    return len(comparator_ids)


def _seed_default_links() -> int:
    existing = set(MeasureNeedLink.objects.values_list("measure_code", "domain"))
    new = [
        MeasureNeedLink(measure_code=code, domain=domain, note=note)
        for code, (domains, note) in DEFAULT_LINKS.items()
        for domain in domains
        if (code, domain) not in existing
    ]
    MeasureNeedLink.objects.bulk_create(new)
    return len(new)


def needs_data_load(*, data_dir: Path = DATA_DIR, force: bool = False) -> NeedsLoadResult:
    """Load the local-needs data from ``data_dir``: all of it, or nothing.

    Idempotent: when the files are unchanged since the last load, nothing is written
    (``force`` reloads anyway). The default measure ↔ need links are added on the first
    load only, so links the social value lead has removed stay removed. Links are kept by
    measure code and survive a reload. Raises ``DataFileError`` listing every problem.
    """
    data = read_needs_data(data_dir)
    with transaction.atomic():
        dataset = NeedsDataset.objects.select_for_update().filter(key=DATASET_KEY).first()
        unchanged = dataset is not None and dataset.checksum == data.checksum
        if dataset is not None and unchanged and not force:
            comparator_areas = Area.objects.filter(
                level__in=[Area.Level.REGION, Area.Level.COUNTRY]
            ).count()
        else:
            comparator_areas = _store(data)
            if dataset is None:
                dataset = NeedsDataset(key=DATASET_KEY)
            dataset.checksum = data.checksum
            dataset.loaded_at = timezone.now()
            dataset.district_count = len(data.districts)
            dataset.lsoa_count = len(data.lsoas)
        links_added = 0
        if not dataset.default_links_seeded:
            links_added = _seed_default_links()
            dataset.default_links_seeded = True
        dataset.save()
    return NeedsLoadResult(
        loaded=not unchanged or force,
        district_count=dataset.district_count,
        lsoa_count=dataset.lsoa_count,
        comparator_count=comparator_areas,
        links_added=links_added,
    )


def _domain_label(domain: str) -> str:
    found = DOMAINS.get(domain)
    return found.label[0].lower() + found.label[1:] if found else domain


def measure_need_link_create(
    *, measure_code: str, domain: str, note: str = "", user: Any = None
) -> MeasureNeedLink:
    """Link a measure (by code, in any framework version) to a need domain."""
    code = measure_code.strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["measure_code"] = [ERR_MEASURE_EMPTY]
    elif not Measure.objects.filter(code=code).exists():
        errors["measure_code"] = [ERR_UNKNOWN_MEASURE.format(code=code)]
    if domain not in DOMAINS:
        errors["domain"] = [ERR_UNKNOWN_DOMAIN]
    elif code and MeasureNeedLink.objects.filter(measure_code=code, domain=domain).exists():
        errors["domain"] = [ERR_LINK_EXISTS.format(code=code, domain=_domain_label(domain))]
    if errors:
        raise ValidationError(errors)
    link = MeasureNeedLink(
        measure_code=code,
        domain=domain,
        note=note.strip(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    link.full_clean()
    with transaction.atomic():
        link.save()
    return link


def measure_need_link_delete(*, link: MeasureNeedLink) -> None:
    """Remove a link; its history keeps who removed it and when."""
    with transaction.atomic():
        link.delete()


__all__ = [
    "DataFileError",
    "NeedsLoadResult",
    "measure_need_link_create",
    "measure_need_link_delete",
    "needs_data_load",
]
