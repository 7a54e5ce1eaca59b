"""Case study endpoints: published case studies only, no sign-in needed."""

import math
import re
from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from socialvalue.core.access import ANYONE, Reach, api_access
from socialvalue.core.api_body import DistrictOut, ErrorItemOut, ErrorOut
from socialvalue.core.geography import district_from_text
from socialvalue.stories.models import DISTRICT_NAMES
from socialvalue.stories.selectors import (
    ERR_NO_CASE_STUDY,
    CaseStudyDisplay,
    FrameworkIndex,
    case_studies_filtered,
    case_studies_published,
    case_study_display,
)

router = Router(tags=["case studies"])

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
DEFAULT_PAGE_SIZE = 12
MAX_PAGE_SIZE = 100
ERR_UNKNOWN_THEME = "No theme '{theme}' in {slug}. Choose one of: {choices}."
ERR_NO_FRAMEWORK = "There is no published framework to filter by theme."
ERR_UNKNOWN_DISTRICT = "No Lancashire district '{district}'. Use an ONS code such as E07000117."
ERR_PAGE_OUT_OF_RANGE = "Page {page} does not exist; there {verb} {pages} page{plural}."


class ThemeOut(Schema):
    slug: str
    name: str


class CaseStudyMeasureOut(Schema):
    code: str
    description: str | None = Field(
        description="From the current framework version; null when the code is no longer in it."
    )


class CaseStudyContractOut(Schema):
    reference: str
    title: str
    buyer: str


class FigureOut(Schema):
    label: str
    value: str = Field(description="A decimal number, as a string.")
    unit: str


class ImageOut(Schema):
    url: str
    alt: str
    width: int | None
    height: int | None


class QuoteOut(Schema):
    text: str
    attribution: str


class CaseStudyOut(Schema):
    slug: str
    url: str
    title: str
    organisation: str
    contract: CaseStudyContractOut | None
    district: DistrictOut
    year: int
    themes: list[ThemeOut]
    measures: list[CaseStudyMeasureOut]
    summary: str
    challenge: str = Field(description="Markdown.")
    what_was_done: str = Field(description="Markdown.")
    outcomes: str = Field(description="Markdown.")
    figures: list[FigureOut]
    quote: QuoteOut | None
    image: ImageOut | None
    published_at: datetime | None


class CaseStudyPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[CaseStudyOut]


class CaseStudyFilters(Schema):
    theme: str | None = Field(None, description="A theme slug or name of the current framework.")
    district: str | None = Field(
        None, description="A Lancashire district's ONS code (or name), such as E07000122."
    )
    year: int | None = Field(None, ge=1900, le=2999, description="The year of delivery.")
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _number(text: str) -> str:
    """A Decimal as plain text without trailing zeros: 6.00 → "6", 12.50 → "12.5"."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _case_study_out(request: HttpRequest, story: CaseStudyDisplay) -> CaseStudyOut:
    cs = story.case_study
    contract = cs.contract
    return CaseStudyOut(
        slug=cs.slug,
        url=request.build_absolute_uri(reverse("stories:detail", args=[cs.slug])),
        title=cs.title,
        organisation=cs.organisation.name,
        contract=CaseStudyContractOut(
            reference=contract.reference, title=contract.title, buyer=contract.organisation.name
        )
        if contract is not None
        else None,
        district=DistrictOut(code=cs.district, name=story.district_name),
        year=cs.year,
        themes=[ThemeOut(slug=t.slug, name=t.name) for t in story.themes],
        measures=[
            CaseStudyMeasureOut(code=m.code, description=m.description or None)
            for m in story.measures
        ],
        summary=cs.summary,
        challenge=cs.challenge,
        what_was_done=cs.what_was_done,
        outcomes=cs.outcomes,
        figures=[
            FigureOut(label=f.label, value=_number(f"{f.value:f}"), unit=f.unit)
            for f in story.figures
        ],
        quote=QuoteOut(text=cs.quote, attribution=cs.quote_attribution) if cs.quote else None,
        image=ImageOut(
            url=request.build_absolute_uri(story.image_url),
            alt=cs.image_alt,
            width=cs.image_width,
            height=cs.image_height,
        )
        if cs.image
        else None,
        published_at=cs.published_at,
    )


def _errors(loc: list[str | int], msg: str) -> ErrorOut:
    return ErrorOut(detail=[ErrorItemOut(loc=loc, msg=msg)])


@router.get(
    "/case-studies",
    response={200: CaseStudyPageOut, 422: ErrorOut},
    summary="Case studies",
    description=(
        "Published case studies, latest first, 12 to a page. Filter by `theme` (slug or name "
        "of the current framework version), `district` (ONS code or name) and `year` of "
        "delivery."
    ),
)
@api_access(ANYONE)
def case_studies(
    request: HttpRequest, filters: Query[CaseStudyFilters]
) -> Status[CaseStudyPageOut | ErrorOut]:
    index = FrameworkIndex.current()
    errors: list[ErrorItemOut] = []
    theme_slug = ""
    if filters.theme and filters.theme.strip():
        wanted = filters.theme.strip()
        if index.version is None:
            errors.append(ErrorItemOut(loc=["query", "theme"], msg=ERR_NO_FRAMEWORK))
        else:
            # Matched in Python: the raw text never reaches the database.
            theme = next(
                (
                    t
                    for t in index.themes.values()
                    if wanted == t.slug or wanted.casefold() == t.name.casefold()
                ),
                None,
            )
            if theme is None:
                msg = ERR_UNKNOWN_THEME.format(
                    theme=wanted, slug=index.version.slug, choices=", ".join(index.themes)
                )
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

    found = case_studies_filtered(theme_slug=theme_slug, district=district, year=filters.year)
    count = found.count()
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
        _case_study_out(request, case_study_display(cs, index))
        for cs in found[start : start + filters.page_size]
    ]
    return Status(
        200,
        CaseStudyPageOut(
            count=count, page=filters.page, pages=pages, page_size=filters.page_size, items=items
        ),
    )


@router.get(
    "/case-studies/{slug}",
    response={200: CaseStudyOut, 404: ErrorOut},
    summary="One case study",
    description="A published case study in full. Unpublished case studies are not found.",
)
@api_access(ANYONE, Reach.PUBLIC)
def case_study(request: HttpRequest, slug: str) -> Status[CaseStudyOut | ErrorOut]:
    found = case_studies_published().filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if found is None:
        return Status(404, _errors(["path", "slug"], ERR_NO_CASE_STUDY.format(slug=slug)))
    story = case_study_display(found, FrameworkIndex.current())
    return Status(200, _case_study_out(request, story))
