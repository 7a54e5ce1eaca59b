"""Partner directory endpoints: published profiles only, no sign-in needed."""

import math
import re
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from socialvalue.core.access import ANYONE, Reach, api_access
from socialvalue.core.api_body import DistrictOut, ErrorItemOut, ErrorOut
from socialvalue.core.geography import district_from_text
from socialvalue.framework.selectors import themes_for_version
from socialvalue.partners.models import DISTRICT_NAMES
from socialvalue.partners.selectors import (
    ERR_NO_PARTNER,
    MeasureIndex,
    PartnerDisplay,
    partner_display,
    partner_profiles_filtered,
    partner_profiles_published,
)

router = Router(tags=["partners"])

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
ERR_UNKNOWN_MEASURE = "No measure '{code}' in {slug}."
ERR_UNKNOWN_THEME = "No theme '{theme}' in {slug}. Choose one of: {choices}."
ERR_UNKNOWN_DISTRICT = "No Lancashire district '{district}'. Use an ONS code such as E07000117."
ERR_NO_FRAMEWORK = "There is no published framework to filter by {name}."
ERR_PAGE_OUT_OF_RANGE = "Page {page} does not exist; there {verb} {pages} page{plural}."


class MeasureRefOut(Schema):
    code: str
    description: str | None = Field(
        description="From the current framework version; null when the code is no longer in it."
    )
    theme: str | None


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class PartnerOut(Schema):
    slug: str
    name: str
    type: str
    type_label: str
    summary: str
    description: str
    serves_all_lancashire: bool
    districts: list[DistrictOut]
    measures: list[MeasureRefOut]
    example_offers: list[str]
    contact: ContactOut
    website: str
    updated_at: datetime | None


class PartnerPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    framework: str | None = Field(description="The framework version measure codes resolve in.")
    items: list[PartnerOut]


class PartnerFilters(Schema):
    measure: str | None = Field(None, description="A measure code such as NT1 (any case).")
    theme: str | None = Field(None, description="A theme slug or name of the current framework.")
    district: str | None = Field(
        None, description="A Lancashire district's ONS code (or name), such as E07000117."
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _partner_out(partner: PartnerDisplay) -> PartnerOut:
    return PartnerOut(
        slug=partner.slug,
        name=partner.name,
        type=partner.partner_type,
        type_label=partner.type_label,
        summary=partner.summary,
        description=partner.description,
        serves_all_lancashire=partner.serves_all_lancashire,
        districts=[
            DistrictOut(code=code, name=DISTRICT_NAMES[code])
            for code in partner.district_codes
            if code in DISTRICT_NAMES
        ],
        measures=[
            MeasureRefOut(
                code=ref.code,
                description=ref.description or None,
                theme=ref.theme_name or None,
            )
            for ref in partner.measures
        ],
        example_offers=partner.example_offers,
        contact=ContactOut(
            name=partner.contact_name, email=partner.contact_email, phone=partner.contact_phone
        ),
        website=partner.website,
        updated_at=partner.published_at,
    )


def _errors(loc: list[str | int], msg: str) -> ErrorOut:
    return ErrorOut(detail=[ErrorItemOut(loc=loc, msg=msg)])


@router.get(
    "/partners",
    response={200: PartnerPageOut, 422: ErrorOut},
    summary="Partner organisations",
    description=(
        "Published partner organisations, by name, 20 to a page. Filter by `measure` (code), "
        "`theme` (slug or name of the current framework version) and `district` (ONS code); "
        "a partner working across all of Lancashire serves every district."
    ),
)
@api_access(ANYONE)
def partners(
    request: HttpRequest, filters: Query[PartnerFilters]
) -> Status[PartnerPageOut | ErrorOut]:
    index = MeasureIndex.current()
    version = index.version
    errors: list[ErrorItemOut] = []
    measure = ""
    if filters.measure and filters.measure.strip():
        wanted = filters.measure.strip()
        found = {code.casefold(): code for code in index.by_code}.get(wanted.casefold())
        if version is None:
            errors.append(
                ErrorItemOut(loc=["query", "measure"], msg=ERR_NO_FRAMEWORK.format(name="measure"))
            )
        elif found is None:
            msg = ERR_UNKNOWN_MEASURE.format(code=wanted, slug=version.slug)
            errors.append(ErrorItemOut(loc=["query", "measure"], msg=msg))
        else:
            measure = found
    theme_slug = ""
    if filters.theme and filters.theme.strip():
        wanted = filters.theme.strip()
        if version is None:
            errors.append(
                ErrorItemOut(loc=["query", "theme"], msg=ERR_NO_FRAMEWORK.format(name="theme"))
            )
        else:
            themes = list(themes_for_version(version))
            # Matched in Python: the raw text never reaches the database.
            theme = next(
                (t for t in themes if wanted == t.slug or wanted.casefold() == t.name.casefold()),
                None,
            )
            if theme is None:
                choices = ", ".join(t.slug for t in themes)
                msg = ERR_UNKNOWN_THEME.format(theme=wanted, slug=version.slug, choices=choices)
                errors.append(ErrorItemOut(loc=["query", "theme"], msg=msg))
            else:
                theme_slug = theme.slug
    district = ""
    if filters.district and filters.district.strip():
        code = district_from_text(filters.district)
        if code is None or code not in DISTRICT_NAMES:
            msg = ERR_UNKNOWN_DISTRICT.format(district=filters.district.strip())
            errors.append(ErrorItemOut(loc=["query", "district"], msg=msg))
        else:
            district = code
    if errors:
        return Status(422, ErrorOut(detail=errors))

    profiles = partner_profiles_filtered(
        measure=measure, theme_slug=theme_slug, district=district, version=version
    )
    count = profiles.count()
    pages = max(1, math.ceil(count / filters.page_size))
    if filters.page > pages:
        msg = ERR_PAGE_OUT_OF_RANGE.format(
            page=filters.page,
            verb="is" if pages == 1 else "are",
            pages=pages,
            plural="" if pages == 1 else "s",
        )
        return Status(422, _errors(["query", "page"], msg))
    start = (filters.page - 1) * filters.page_size
    items = [
        _partner_out(partner_display(profile, index))
        for profile in profiles[start : start + filters.page_size]
    ]
    return Status(
        200,
        PartnerPageOut(
            count=count,
            page=filters.page,
            pages=pages,
            page_size=filters.page_size,
            framework=version.slug if version else None,
            items=items,
        ),
    )


@router.get(
    "/partners/{slug}",
    response={200: PartnerOut, 404: ErrorOut},
    summary="One partner organisation",
    description="A published partner profile in full. Unpublished profiles are not found.",
)
@api_access(ANYONE, Reach.PUBLIC)
def partner(request: HttpRequest, slug: str) -> Status[PartnerOut | ErrorOut]:
    profile = (
        partner_profiles_published().filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    )
    if profile is None:
        return Status(404, _errors(["path", "slug"], ERR_NO_PARTNER.format(slug=slug)))
    return Status(200, _partner_out(partner_display(profile, MeasureIndex.current())))
