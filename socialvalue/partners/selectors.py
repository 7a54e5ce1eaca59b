"""Reads of the partner directory, and who may see what.

The public only ever reads published profiles (``partner_profiles_published`` and the
functions built on it); drafts and submitted changes live in revisions, which are read only
by their own organisation (``partner_revision_get_for_user``) and the social value lead.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from socialvalue.accounts.models import Organisation
from socialvalue.core.access import require_service_owner_lead, require_signed_in
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.selectors import framework_version_current
from socialvalue.partners.models import (
    ALL_OF_LANCASHIRE,
    DISTRICT_NAMES,
    PartnerContent,
    PartnerDistrict,
    PartnerMeasure,
    PartnerProfile,
    PartnerProfileRevision,
    PartnerType,
)

ERR_NOT_PARTNER_USER = "Only staff of a partner organisation can do that."
ERR_NO_PARTNER_ORGANISATION = (
    "Your account is not linked to a partner organisation. Ask the social value lead to link it."
)
ERR_NO_PARTNER = "There is no published partner organisation '{slug}'."


# --- Access ----------------------------------------------------------------------------------


def partner_organisation_for_user(user: Any) -> Organisation:
    """The partner organisation whose profile ``user`` may edit, or PermissionDenied."""
    require_signed_in(user)
    if not getattr(user, "is_partner_user", False):
        raise PermissionDenied(ERR_NOT_PARTNER_USER)
    organisation = user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.PARTNER:
        raise PermissionDenied(ERR_NO_PARTNER_ORGANISATION)
    return organisation


def partner_revision_get_for_user(user: Any, pk: int) -> PartnerProfileRevision:
    """One of the caller's own organisation's revisions; anyone else's is a 404."""
    organisation = partner_organisation_for_user(user)
    revisions = PartnerProfileRevision.objects.select_related("profile__organisation")
    return get_object_or_404(revisions.filter(profile__organisation=organisation), pk=pk)


def partner_revision_get_for_review(user: Any, pk: int) -> PartnerProfileRevision:
    """Any revision that has been sent for approval, for the leads of the organisation
    running the service (the directory is platform-wide)."""
    require_service_owner_lead(user)
    revisions = PartnerProfileRevision.objects.select_related(
        "profile__organisation", "submitted_by", "reviewed_by"
    ).exclude(status=PartnerProfileRevision.Status.DRAFT)
    return get_object_or_404(revisions, pk=pk)


# --- Profiles and revisions ------------------------------------------------------------------


def _with_links(qs: QuerySet[PartnerProfile]) -> QuerySet[PartnerProfile]:
    return qs.select_related("organisation").prefetch_related(
        Prefetch("measure_links", queryset=PartnerMeasure.objects.order_by("order", "code")),
        Prefetch("district_links", queryset=PartnerDistrict.objects.order_by("district")),
    )


def partner_profiles_published() -> QuerySet[PartnerProfile]:
    """Every profile the public may see, by organisation name."""
    return _with_links(
        PartnerProfile.objects.filter(status=PartnerProfile.Status.PUBLISHED)
    ).order_by("organisation__name")


def partner_profiles_filtered(
    *,
    measure: str = "",
    theme_slug: str = "",
    district: str = "",
    version: FrameworkVersion | None = None,
) -> QuerySet[PartnerProfile]:
    """Published profiles that help deliver ``measure`` (a code), any measure of the theme
    ``theme_slug`` in ``version``, and serve ``district`` (a district code; partners working
    across all of Lancashire serve every district)."""
    qs = partner_profiles_published()
    if measure:
        qs = qs.filter(pk__in=PartnerMeasure.objects.filter(code=measure).values("profile_id"))
    if theme_slug:
        codes = Measure.objects.filter(version=version, theme__slug=theme_slug).values("code")
        qs = qs.filter(pk__in=PartnerMeasure.objects.filter(code__in=codes).values("profile_id"))
    if district:
        serving = PartnerDistrict.objects.filter(district=district).values("profile_id")
        qs = qs.filter(Q(serves_all_lancashire=True) | Q(pk__in=serving))
    return qs


def partner_profile_public_get(slug: str) -> PartnerProfile:
    profile = partner_profiles_published().filter(slug=slug).first()
    if profile is None:
        raise Http404(ERR_NO_PARTNER.format(slug=slug))
    return profile


def partner_profiles_for_measure(code: str) -> QuerySet[PartnerProfile]:
    """Published profiles naming this measure code."""
    return partner_profiles_filtered(measure=code)


def partner_profile_for_organisation(organisation: Organisation) -> PartnerProfile | None:
    return _with_links(PartnerProfile.objects.filter(organisation=organisation)).first()


def partner_revision_open(profile: PartnerProfile) -> PartnerProfileRevision | None:
    """The draft or submitted revision of a profile, if one is in progress."""
    return profile.revisions.filter(status__in=PartnerProfileRevision.OPEN_STATUSES).first()


def partner_revision_latest(profile: PartnerProfile) -> PartnerProfileRevision | None:
    return profile.revisions.select_related("reviewed_by").order_by("-created_at", "-pk").first()


def partner_revisions_submitted() -> QuerySet[PartnerProfileRevision]:
    """Changes waiting for the lead's decision, oldest first."""
    return (
        PartnerProfileRevision.objects.filter(status=PartnerProfileRevision.Status.SUBMITTED)
        .select_related("profile__organisation", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def partner_revisions_decided() -> QuerySet[PartnerProfileRevision]:
    """Approved and rejected changes, latest decision first."""
    return (
        PartnerProfileRevision.objects.filter(
            status__in=[
                PartnerProfileRevision.Status.APPROVED,
                PartnerProfileRevision.Status.REJECTED,
            ]
        )
        .select_related("profile__organisation", "reviewed_by")
        .order_by("-reviewed_at", "-pk")
    )


def partner_content_initial(
    profile: PartnerProfile, revision: PartnerProfileRevision | None
) -> dict[str, Any]:
    """What the edit form starts from: the draft in progress, else the published profile."""
    source: PartnerContent = revision if revision is not None else profile
    initial: dict[str, Any] = {
        name: getattr(source, name)
        for name in (
            "partner_type",
            "summary",
            "description",
            "serves_all_lancashire",
            "example_offers",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
        )
    }
    if revision is not None:
        initial["districts"] = list(revision.districts)
        initial["measure_codes"] = list(revision.measure_codes)
    else:
        initial["districts"] = profile.district_codes
        initial["measure_codes"] = profile.measure_codes
    return initial


# --- Display ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRef:
    """A measure code resolved against the current framework version (if it is still there)."""

    code: str
    measure: Measure | None
    url: str | None

    @property
    def description(self) -> str:
        return self.measure.description if self.measure else ""

    @property
    def theme_name(self) -> str:
        return self.measure.theme.name if self.measure else ""


@dataclass(frozen=True)
class MeasureGroup:
    theme_name: str
    measures: list[MeasureRef]


@dataclass
class PartnerDisplay:
    """A profile, or a proposed revision of one, as the public pages show it."""

    name: str
    slug: str
    partner_type: str
    type_label: str
    summary: str
    description: str
    serves_all_lancashire: bool
    district_codes: list[str]
    measures: list[MeasureRef]
    example_offers: list[str]
    contact_name: str
    contact_email: str
    contact_phone: str
    website: str
    published_at: datetime | None
    measure_groups: list[MeasureGroup] = field(default_factory=list)

    @property
    def description_paragraphs(self) -> list[str]:
        """The description split at blank lines (it is plain text, not Markdown)."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.description) if part.strip()]

    @property
    def district_names(self) -> list[str]:
        if self.serves_all_lancashire:
            return [ALL_OF_LANCASHIRE]
        return [DISTRICT_NAMES[code] for code in self.district_codes if code in DISTRICT_NAMES]


class MeasureIndex:
    """The measures of one framework version by code, to resolve stored codes in one query."""

    def __init__(self, version: FrameworkVersion | None) -> None:
        self.version = version
        self.by_code: dict[str, Measure] = {}
        if version is not None:
            measures = Measure.objects.filter(version=version).select_related("theme", "outcome")
            self.by_code = {m.code: m for m in measures.order_by("order")}

    @classmethod
    def current(cls) -> "MeasureIndex":
        return cls(framework_version_current())

    def ref(self, code: str) -> MeasureRef:
        measure = self.by_code.get(code)
        url = None
        if measure is not None and self.version is not None:
            url = reverse("framework:measure", args=[self.version.slug, measure.code])
        return MeasureRef(code=code, measure=measure, url=url)

    def refs(self, codes: Iterable[str]) -> list[MeasureRef]:
        """Codes in framework order; codes no longer in the framework come last."""
        refs = [self.ref(code) for code in codes]
        position = {code: i for i, code in enumerate(self.by_code)}
        return sorted(refs, key=lambda r: (r.measure is None, position.get(r.code, 0), r.code))

    def groups(self, refs: list[MeasureRef]) -> list[MeasureGroup]:
        groups: list[MeasureGroup] = []
        for ref in refs:
            name = ref.theme_name or "No longer in the current framework"
            if not groups or groups[-1].theme_name != name:
                groups.append(MeasureGroup(theme_name=name, measures=[]))
            groups[-1].measures.append(ref)
        return groups


def partner_display(
    source: PartnerProfile | PartnerProfileRevision, index: MeasureIndex
) -> PartnerDisplay:
    """What the public page shows for a profile, or would show for a revision if approved."""
    profile = source if isinstance(source, PartnerProfile) else source.profile
    refs = index.refs(source.measure_codes)
    return PartnerDisplay(
        name=profile.organisation.name,
        slug=profile.slug,
        partner_type=source.partner_type,
        type_label=PartnerType(source.partner_type).label if source.partner_type else "",
        summary=source.summary,
        description=source.description,
        serves_all_lancashire=source.serves_all_lancashire,
        district_codes=sorted(source.district_codes, key=lambda c: DISTRICT_NAMES.get(c, c)),
        measures=refs,
        measure_groups=index.groups(refs),
        example_offers=source.example_offer_list,
        contact_name=source.contact_name,
        contact_email=source.contact_email,
        contact_phone=source.contact_phone,
        website=source.website,
        published_at=profile.published_at,
    )


@dataclass(frozen=True)
class DiffRow:
    label: str
    published: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.published != self.proposed


DIFF_LABELS = (
    "Type of organisation",
    "Summary",
    "Description",
    "Districts served",
    "Measures",
    "Example offers",
    "Contact name",
    "Email address",
    "Telephone",
    "Website",
)


def _content_values(display: PartnerDisplay | None) -> list[str]:
    """The text of each DIFF_LABELS row (all empty for a profile never published)."""
    if display is None:
        return ["" for _ in DIFF_LABELS]
    measures = "\n".join(
        f"{ref.code}: {ref.description}" if ref.measure else ref.code for ref in display.measures
    )
    return [
        display.type_label,
        display.summary,
        display.description,
        ", ".join(display.district_names),
        measures,
        "\n".join(display.example_offers),
        display.contact_name,
        display.contact_email,
        display.contact_phone,
        display.website,
    ]


def partner_revision_diff(revision: PartnerProfileRevision, index: MeasureIndex) -> list[DiffRow]:
    """The revision beside the published profile, field by field."""
    profile = revision.profile
    published = partner_display(profile, index) if profile.is_published else None
    old = _content_values(published)
    new = _content_values(partner_display(revision, index))
    return [
        DiffRow(label=label, published=before, proposed=after)
        for label, before, after in zip(DIFF_LABELS, old, new, strict=True)
    ]
