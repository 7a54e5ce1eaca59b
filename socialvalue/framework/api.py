"""Framework endpoints: the public versions and their measures (no sign-in needed)."""

from datetime import datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from socialvalue.core.access import ANYONE, Reach, api_access
from socialvalue.core.api_body import ErrorItemOut, ErrorOut
from socialvalue.core.money import round_money
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.selectors import (
    ERR_NO_PUBLIC_VERSION,
    framework_version_public_get,
    framework_versions_public,
    measures_for_version,
    themes_for_version,
)

router = Router(tags=["framework"])

ERR_UNKNOWN_THEME = "No theme '{theme}' in {slug}. Choose one of: {choices}."


class VersionOut(Schema):
    slug: str
    name: str
    framework: str
    label: str
    status: str
    published_at: datetime | None
    retired_at: datetime | None
    measure_count: int
    attribution: str


class VersionSummaryOut(Schema):
    slug: str
    name: str
    status: str
    attribution: str


class MeasureOut(Schema):
    code: str
    description: str
    unit: str
    proxy_value: str | None
    value_type: str
    theme: str
    outcome: str
    evidence_required: str


class MeasuresOut(Schema):
    framework: VersionSummaryOut
    measures: list[MeasureOut]


class MeasuresFilter(Schema):
    theme: str | None = None


def _version_out(version: FrameworkVersion, measure_count: int) -> VersionOut:
    return VersionOut(
        slug=version.slug,
        name=version.name,
        framework=version.framework.slug,
        label=version.label,
        status=version.status,
        published_at=version.published_at,
        retired_at=version.retired_at,
        measure_count=measure_count,
        attribution=version.attribution,
    )


def _measure_out(measure: Measure) -> MeasureOut:
    proxy = measure.proxy_value
    return MeasureOut(
        code=measure.code,
        description=measure.description,
        unit=measure.unit,
        proxy_value=None if proxy is None else f"{round_money(proxy):f}",
        value_type=measure.value_type,
        theme=measure.theme.name,
        outcome=measure.outcome.name,
        evidence_required=measure.evidence_required,
    )


@router.get(
    "/frameworks",
    response=list[VersionOut],
    summary="Framework versions",
    description="Published and retired framework versions, newest first. Drafts are never listed.",
)
@api_access(ANYONE)
def frameworks(request: HttpRequest) -> list[VersionOut]:
    versions = framework_versions_public().annotate(measure_count=Count("measures"))
    return [_version_out(v, v.measure_count) for v in versions]


@router.get(
    "/frameworks/{slug}/measures",
    response={200: MeasuresOut, 404: ErrorOut, 422: ErrorOut},
    summary="Measures of a framework version",
    description=(
        "Every measure of a published or retired version, in framework order. Proxy values "
        "are £ per unit as strings with two decimal places, or null when the measure has no "
        "proxy value. `theme` filters by theme slug or name."
    ),
)
@api_access(ANYONE, Reach.PUBLIC)
def framework_measures(
    request: HttpRequest, slug: str, filters: Query[MeasuresFilter]
) -> Status[MeasuresOut | ErrorOut]:
    version = framework_version_public_get(slug)
    if version is None:
        msg = ERR_NO_PUBLIC_VERSION.format(slug=slug)
        return Status(404, ErrorOut(detail=[ErrorItemOut(loc=["path", "slug"], msg=msg)]))
    theme_slug = ""
    if filters.theme:
        wanted = filters.theme.strip()
        themes = themes_for_version(version)
        theme = themes.filter(Q(slug=wanted) | Q(name__iexact=wanted)).first()
        if theme is None:
            choices = ", ".join(t.slug for t in themes)
            msg = ERR_UNKNOWN_THEME.format(theme=wanted, slug=version.slug, choices=choices)
            return Status(422, ErrorOut(detail=[ErrorItemOut(loc=["query", "theme"], msg=msg)]))
        theme_slug = theme.slug
    summary = VersionSummaryOut(
        slug=version.slug,
        name=version.name,
        status=version.status,
        attribution=version.attribution,
    )
    measures = [_measure_out(m) for m in measures_for_version(version, theme_slug=theme_slug)]
    return Status(200, MeasuresOut(framework=summary, measures=measures))
