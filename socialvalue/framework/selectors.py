"""Reads of the framework."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.http import Http404

from socialvalue.core.access import is_platform_admin, is_service_owner_lead
from socialvalue.core.money import exact_money_text
from socialvalue.framework.models import Framework, FrameworkVersion, Measure, Outcome, Theme
from socialvalue.framework.services import FILE_FORMAT


def framework_versions_public() -> QuerySet[FrameworkVersion]:
    """Versions anyone may see: published and retired, newest first."""
    return (
        FrameworkVersion.objects.exclude(status=FrameworkVersion.Status.DRAFT)
        .select_related("framework")
        .order_by("-published_at")
    )


def framework_version_current(slug: str | None = None) -> FrameworkVersion | None:
    """The version asked for if it is public, else the newest published one.

    Without a slug this is the default framework's version in use: the configured default
    version while it is published, and once it is retired the version that replaced it.
    """
    public = framework_versions_public()
    version = public.filter(slug=slug or settings.DEFAULT_FRAMEWORK_SLUG).first()
    if slug is None and version is not None and version.status != FrameworkVersion.Status.PUBLISHED:
        published = public.filter(status=FrameworkVersion.Status.PUBLISHED)
        version = (
            published.filter(framework=version.framework).first() or published.first() or version
        )
    if version is None:
        version = public.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    return version


def measures_for_version(
    version: FrameworkVersion, *, query: str = "", theme_slug: str = ""
) -> QuerySet[Measure]:
    qs = Measure.objects.filter(version=version).select_related("theme", "outcome")
    if theme_slug:
        qs = qs.filter(theme__slug=theme_slug)
    for word in query.split():
        qs = qs.filter(
            Q(code__iexact=word)
            | Q(description__icontains=word)
            | Q(unit__icontains=word)
            | Q(outcome__name__icontains=word)
            | Q(examples__icontains=word)
        )
    return qs.order_by("order")


@dataclass
class VersionDiff:
    old: FrameworkVersion
    new: FrameworkVersion
    added: list[Measure] = field(default_factory=list)
    removed: list[Measure] = field(default_factory=list)
    proxy_changed: list[tuple[Measure, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )
    text_changed: list[tuple[Measure, list[str]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.proxy_changed or self.text_changed)


def framework_versions_diff(old: FrameworkVersion, new: FrameworkVersion) -> VersionDiff:
    """Measures added, removed, with a changed proxy, or with changed wording, old → new."""
    old_by_code = {m.code: m for m in measures_for_version(old)}
    new_by_code = {m.code: m for m in measures_for_version(new)}
    diff = VersionDiff(old=old, new=new)
    diff.added = [m for code, m in new_by_code.items() if code not in old_by_code]
    diff.removed = [m for code, m in old_by_code.items() if code not in new_by_code]
    for code, m in new_by_code.items():
        before = old_by_code.get(code)
        if before is None:
            continue
        if before.proxy_value != m.proxy_value:
            diff.proxy_changed.append((m, before.proxy_value, m.proxy_value))
        changed = [
            name
            for name in ("description", "unit", "evidence_required", "value_type")
            if getattr(before, name) != getattr(m, name)
        ]
        if before.outcome.name != m.outcome.name:
            changed.append("outcome")
        if changed:
            diff.text_changed.append((m, changed))
    return diff


# --- Public access ---------------------------------------------------------------------------

ERR_NO_PUBLIC_VERSION = "No published framework version '{slug}'."


def user_can_preview_drafts(user: Any) -> bool:
    """The framework is platform-wide: its drafts are seen before publication by the leads of
    the organisation running the service and by platform administrators."""
    return is_service_owner_lead(user) or is_platform_admin(user)


def framework_versions_for_user(user: Any) -> QuerySet[FrameworkVersion]:
    """Versions a person may browse: public ones, plus drafts for those who prepare them."""
    qs = FrameworkVersion.objects.select_related("framework", "previous")
    if not user_can_preview_drafts(user):
        qs = qs.exclude(status=FrameworkVersion.Status.DRAFT)
    return qs


def framework_version_get_for_user(*, user: Any, slug: str) -> FrameworkVersion:
    """The version with this slug, or 404: drafts do not exist for anyone else."""
    version = framework_versions_for_user(user).filter(slug=slug).first()
    if version is None:
        raise Http404(ERR_NO_PUBLIC_VERSION.format(slug=slug))
    return version


def framework_version_public_get(slug: str) -> FrameworkVersion | None:
    """A published or retired version by slug (the API never shows drafts)."""
    return framework_versions_public().filter(slug=slug).first()


def framework_version_published_for(framework: Framework) -> FrameworkVersion | None:
    """The version of this framework in use now, if one is published."""
    return (
        framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )


def framework_versions_listing(user: Any) -> QuerySet[FrameworkVersion]:
    """Versions for the versions page, with their measure counts: drafts first, then newest."""
    return (
        framework_versions_for_user(user)
        .annotate(measure_count=Count("measures"))
        .order_by(
            Case(When(status=FrameworkVersion.Status.DRAFT, then=0), default=1),
            F("published_at").desc(nulls_first=True),
            "-created_at",
        )
    )


def themes_for_version(version: FrameworkVersion) -> QuerySet[Theme]:
    return Theme.objects.filter(version=version).order_by("order", "name")


def measure_get_for_version(version: FrameworkVersion, code: str) -> Measure | None:
    """A measure by code, ignoring case (``nt4`` finds NT4)."""
    return (
        Measure.objects.filter(version=version, code__iexact=code.strip())
        .select_related("theme", "outcome", "version")
        .first()
    )


@dataclass
class OutcomeGroup:
    outcome: Outcome
    measures: list[Measure]


@dataclass
class ThemeGroup:
    theme: Theme
    outcomes: list[OutcomeGroup]

    @property
    def measure_count(self) -> int:
        return sum(len(group.measures) for group in self.outcomes)


def measures_grouped(measures: Iterable[Measure]) -> list[ThemeGroup]:
    """Measures in framework order, nested theme → outcome, keeping only non-empty groups."""
    themes: list[ThemeGroup] = []
    for measure in sorted(measures, key=lambda m: (m.theme.order, m.outcome.order, m.order)):
        if not themes or themes[-1].theme.pk != measure.theme_id:
            themes.append(ThemeGroup(theme=measure.theme, outcomes=[]))
        outcomes = themes[-1].outcomes
        if not outcomes or outcomes[-1].outcome.pk != measure.outcome_id:
            outcomes.append(OutcomeGroup(outcome=measure.outcome, measures=[]))
        outcomes[-1].measures.append(measure)
    return themes


# --- Examples of qualifying activity -------------------------------------------------------

DOES_NOT_COUNT_PREFIX = "does not count:"


@dataclass
class MeasureExamples:
    counts: list[str] = field(default_factory=list)
    does_not_count: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.counts or self.does_not_count)


def measure_examples_split(text: str) -> MeasureExamples:
    """Split the ``examples`` text (one "- " line per example) into what counts and what
    does not ("- Does not count: …" lines). A line without a dash continues the one before."""
    examples = MeasureExamples()
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- ") or line == "-":
            item = line[1:].strip()
            if item.lower().startswith(DOES_NOT_COUNT_PREFIX):
                item = item[len(DOES_NOT_COUNT_PREFIX) :].strip()
                item = item[:1].upper() + item[1:]
                current = examples.does_not_count
            else:
                current = examples.counts
            if item:
                current.append(item)
        elif current:
            current[-1] = f"{current[-1]} {line}"
        else:
            current = examples.counts
            current.append(line)
    return examples


# --- The version as a data file --------------------------------------------------------------


def proxy_value_text(value: Decimal | None) -> str | None:
    """A proxy as the data file writes it: at least two decimal places, never rounded away."""
    return None if value is None else exact_money_text(value)


def framework_version_document(version: FrameworkVersion) -> dict[str, Any]:
    """The version in the data-file format, so a download can be loaded again as a draft."""
    doc: dict[str, Any] = {
        "format": FILE_FORMAT,
        "framework": {
            "slug": version.framework.slug,
            "name": version.framework.name,
            "description": version.framework.description,
        },
        "version": {
            "slug": version.slug,
            "name": version.name,
            "label": version.label,
            "source": version.source,
            "licence": version.licence,
            "attribution": version.attribution,
            "notes": version.notes,
        },
        "themes": [],
    }
    for group in measures_grouped(measures_for_version(version)):
        doc["themes"].append(
            {
                "slug": group.theme.slug,
                "name": group.theme.name,
                "description": group.theme.description,
                "outcomes": [
                    {
                        "name": og.outcome.name,
                        "measures": [
                            {
                                "code": m.code,
                                "description": m.description,
                                "unit": m.unit,
                                "proxy_value": proxy_value_text(m.proxy_value),
                                "value_type": m.value_type,
                                "evidence_required": m.evidence_required,
                                "examples": m.examples,
                            }
                            for m in og.measures
                        ],
                    }
                    for og in group.outcomes
                ],
            }
        )
    return doc
