"""Reads of case studies, and who may see what.

The public only ever reads published case studies (``case_studies_published`` and what is
built on it). An unpublished case study is seen only by its own organisation and the social
value lead (``case_study_get_visible``); anyone else gets a 404 and never learns it exists.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from socialvalue.accounts.models import Organisation
from socialvalue.contracts.models import Contract
from socialvalue.core.access import is_service_owner_lead, require_lead, require_signed_in
from socialvalue.framework.models import FrameworkVersion, Measure, Theme
from socialvalue.framework.selectors import framework_version_current
from socialvalue.stories.models import (
    DISTRICT_NAMES,
    CaseStudy,
    CaseStudyFigure,
    CaseStudyMeasure,
    CaseStudyTheme,
)

ERR_NOT_AUTHOR = "Only supplier users and council staff can write case studies."
ERR_NO_ORGANISATION = (
    "Your account is not linked to an organisation. Ask the social value lead to link it."
)
ERR_NO_CASE_STUDY = "There is no published case study '{slug}'."

# Tag colours for the framework's themes, in order (the text says the theme; the colour only
# helps tell tags apart at a glance).
THEME_TAG_CLASSES = ("govuk-tag--blue", "govuk-tag--purple", "govuk-tag--green", "govuk-tag--teal")


# --- Access ----------------------------------------------------------------------------------


def can_write_case_studies(user: Any) -> bool:
    """Supplier users and council staff (officers, evaluators and the lead) write them."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (getattr(user, "is_supplier_user", False) or getattr(user, "is_officer", False))
    )


def case_study_author_organisation(user: Any) -> Organisation:
    """The organisation ``user`` writes case studies for, or PermissionDenied."""
    require_signed_in(user)
    if not can_write_case_studies(user):
        raise PermissionDenied(ERR_NOT_AUTHOR)
    organisation: Organisation | None = user.organisation
    if organisation is None:
        raise PermissionDenied(ERR_NO_ORGANISATION)
    return organisation


def _with_links(qs: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    return qs.select_related(
        "organisation", "contract__organisation", "author", "reviewed_by"
    ).prefetch_related(
        Prefetch("theme_links", queryset=CaseStudyTheme.objects.order_by("order", "slug")),
        Prefetch("measure_links", queryset=CaseStudyMeasure.objects.order_by("order", "code")),
        Prefetch("figures", queryset=CaseStudyFigure.objects.order_by("order", "pk")),
    )


def moderated_by(user: Any) -> Q:
    """The case studies ``user`` moderates. Case studies are platform-wide content: the leads
    of the organisation running the service moderate every one; another organisation's lead
    moderates only its own organisation's, and those about contracts it let."""
    if is_service_owner_lead(user):
        return Q()
    organisation_id = getattr(user, "organisation_id", None)
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_lead", False)):
        return Q(pk__in=[])
    if not organisation_id:
        return Q(pk__in=[])
    return Q(organisation_id=organisation_id) | Q(contract__organisation_id=organisation_id)


def can_moderate(user: Any, case_study: CaseStudy) -> bool:
    return CaseStudy.objects.filter(moderated_by(user), pk=case_study.pk).exists()


def case_study_get_visible(user: Any, slug: str) -> CaseStudy:
    """A case study ``user`` may read: any published one; an unpublished one only for its
    own organisation and, once sent for review, for the leads who moderate it. Anything else
    is a 404."""
    qs = _with_links(CaseStudy.objects.all())
    visible = Q(status=CaseStudy.Status.PUBLISHED)
    if getattr(user, "is_authenticated", False) and getattr(user, "is_lead", False):
        visible |= moderated_by(user) & ~Q(status=CaseStudy.Status.DRAFT)
    organisation_id = getattr(user, "organisation_id", None)
    if (
        getattr(user, "is_authenticated", False)
        and organisation_id
        and can_write_case_studies(user)
    ):
        visible |= Q(organisation_id=organisation_id)
    case_study = qs.filter(visible, slug=slug).first()
    if case_study is None:
        raise Http404(ERR_NO_CASE_STUDY.format(slug=slug))
    return case_study


def case_study_get_for_author(user: Any, slug: str) -> CaseStudy:
    """One of the caller's own organisation's case studies; anyone else's is a 404."""
    organisation = case_study_author_organisation(user)
    return get_object_or_404(
        _with_links(CaseStudy.objects.filter(organisation=organisation)), slug=slug
    )


def case_study_get_for_review(user: Any, slug: str) -> CaseStudy:
    """A case study that has been sent for review (or decided), for a lead who moderates it
    (``moderated_by``); anyone else's is a 404."""
    require_lead(user)
    qs = _with_links(
        CaseStudy.objects.filter(moderated_by(user)).exclude(status=CaseStudy.Status.DRAFT)
    )
    return get_object_or_404(qs, slug=slug)


def contracts_for_author(user: Any) -> QuerySet[Contract]:
    """The contracts a case study by ``user`` may be about: a supplier's own contracts, or
    the contracts a council officer's organisation let."""
    organisation = case_study_author_organisation(user)
    contracts = Contract.objects.select_related("organisation", "supplier")
    if getattr(user, "is_supplier_user", False):
        return contracts.filter(supplier=organisation).order_by("reference")
    return contracts.filter(organisation=organisation).order_by("reference")


# --- Lists -----------------------------------------------------------------------------------


def case_studies_published() -> QuerySet[CaseStudy]:
    """Every case study the public may see, latest published first."""
    return _with_links(CaseStudy.objects.filter(status=CaseStudy.Status.PUBLISHED)).order_by(
        "-published_at", "-pk"
    )


def case_studies_filtered(
    *, theme_slug: str = "", district: str = "", year: int | None = None
) -> QuerySet[CaseStudy]:
    """Published case studies about a theme (by slug), in a district and delivered in a year."""
    qs = case_studies_published()
    if theme_slug:
        tagged = CaseStudyTheme.objects.filter(slug=theme_slug).values("case_study_id")
        qs = qs.filter(pk__in=tagged)
    if district:
        qs = qs.filter(district=district)
    if year:
        qs = qs.filter(year=year)
    return qs


def case_study_years() -> list[int]:
    """The years of delivery of published case studies, latest first."""
    years = (
        CaseStudy.objects.filter(status=CaseStudy.Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def case_studies_published_between(start: datetime, end: datetime) -> QuerySet[CaseStudy]:
    """Case studies published now whose publication fell in [start, end): the indicator of
    "at least one case study per quarter" counts these."""
    return CaseStudy.objects.filter(
        status=CaseStudy.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
    )


def case_studies_for_organisation(organisation: Organisation) -> QuerySet[CaseStudy]:
    """An organisation's case studies, in any state, latest change first."""
    return (
        CaseStudy.objects.filter(organisation=organisation)
        .select_related("author")
        .order_by("-updated_at", "-pk")
    )


def case_studies_submitted(user: Any) -> QuerySet[CaseStudy]:
    """Case studies waiting for ``user``'s review (see ``moderated_by``), oldest first."""
    return (
        CaseStudy.objects.filter(moderated_by(user), status=CaseStudy.Status.SUBMITTED)
        .select_related("organisation", "author")
        .order_by("submitted_at", "pk")
    )


def case_studies_decided(user: Any) -> QuerySet[CaseStudy]:
    """Published and returned case studies ``user`` moderates, latest decision first."""
    return (
        CaseStudy.objects.filter(
            moderated_by(user),
            status__in=[CaseStudy.Status.PUBLISHED, CaseStudy.Status.RETURNED],
            reviewed_at__isnull=False,
        )
        .select_related("organisation", "reviewed_by")
        .order_by("-reviewed_at", "-pk")
    )


# --- Display ---------------------------------------------------------------------------------


class FrameworkIndex:
    """The themes and measures of one framework version, to resolve stored slugs and codes."""

    def __init__(self, version: FrameworkVersion | None) -> None:
        self.version = version
        self.themes: dict[str, Theme] = {}
        self.measures: dict[str, Measure] = {}
        if version is not None:
            themes = Theme.objects.filter(version=version).order_by("order", "name")
            self.themes = {t.slug: t for t in themes}
            measures = Measure.objects.filter(version=version).select_related("theme")
            self.measures = {m.code: m for m in measures.order_by("theme__order", "order", "code")}

    @classmethod
    def current(cls) -> "FrameworkIndex":
        return cls(framework_version_current())

    def sort_theme_slugs(self, slugs: Iterable[str]) -> list[str]:
        """Framework order; slugs no longer in the framework last."""
        position = {slug: n for n, slug in enumerate(self.themes)}
        return sorted(slugs, key=lambda s: (s not in position, position.get(s, 0), s))

    def sort_measure_codes(self, codes: Iterable[str]) -> list[str]:
        position = {code: n for n, code in enumerate(self.measures)}
        return sorted(codes, key=lambda c: (c not in position, position.get(c, 0), c))

    def theme_name(self, slug: str) -> str:
        theme = self.themes.get(slug)
        return theme.name if theme else slug.replace("-", " ").capitalize()

    def theme_tag_class(self, slug: str) -> str:
        """A tag colour per theme, by its place in the framework (grey if no longer in it)."""
        position = list(self.themes).index(slug) if slug in self.themes else -1
        if position < 0:
            return "govuk-tag--grey"
        return THEME_TAG_CLASSES[position % len(THEME_TAG_CLASSES)]

    def theme_refs(self, slugs: Iterable[str]) -> list["ThemeRef"]:
        return [
            ThemeRef(slug=s, name=self.theme_name(s), tag_class=self.theme_tag_class(s))
            for s in self.sort_theme_slugs(slugs)
        ]

    def measure_refs(self, codes: Iterable[str]) -> list["MeasureRef"]:
        refs = []
        for code in self.sort_measure_codes(codes):
            measure = self.measures.get(code)
            url = None
            if measure is not None and self.version is not None:
                url = reverse("framework:measure", args=[self.version.slug, code])
            refs.append(
                MeasureRef(
                    code=code,
                    description=measure.description if measure else "",
                    theme_name=measure.theme.name if measure else "",
                    url=url,
                )
            )
        return refs


@dataclass(frozen=True)
class ThemeRef:
    slug: str
    name: str
    tag_class: str = "govuk-tag--grey"


@dataclass(frozen=True)
class MeasureRef:
    """A measure code resolved against the current framework (description empty if gone)."""

    code: str
    description: str
    theme_name: str
    url: str | None


@dataclass(frozen=True)
class CaseStudyDisplay:
    """A case study as its pages show it."""

    case_study: CaseStudy
    themes: list[ThemeRef]
    measures: list[MeasureRef]
    figures: list[CaseStudyFigure]

    @property
    def district_name(self) -> str:
        return DISTRICT_NAMES.get(self.case_study.district, self.case_study.district)

    @property
    def image_url(self) -> str:
        """The image through the view that checks who may see it; changes with the file."""
        case_study = self.case_study
        if not case_study.image:
            return ""
        url = reverse("stories:image", args=[case_study.slug])
        version = case_study.image.name.rsplit("/", 1)[-1].split(".", 1)[0][:12]
        return f"{url}?v={version}"


def case_study_display(case_study: CaseStudy, index: FrameworkIndex) -> CaseStudyDisplay:
    return CaseStudyDisplay(
        case_study=case_study,
        themes=index.theme_refs(case_study.theme_slugs),
        measures=index.measure_refs(case_study.measure_codes),
        figures=list(case_study.figures.all()),
    )
