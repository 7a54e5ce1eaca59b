"""Writes of the partner directory: drafting, submitting and deciding profile changes.

A profile changes in one way only: a revision is approved (``partner_revision_approve``), and
its content is copied onto the public profile. The lead adding a new partner goes through
the same path, with a revision approved at once. The moves of a revision and the publishing
of a profile are transition tables of the shared workflow (``socialvalue.core.workflow``).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.workflow import Transition, Workflow
from socialvalue.partners.models import (
    DISTRICT_NAMES,
    PartnerDistrict,
    PartnerMeasure,
    PartnerProfile,
    PartnerProfileRevision,
)

# The scalar fields a revision carries to the profile; districts and measures are lists.
CONTENT_FIELDS = (
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
LIST_FIELDS = ("districts", "measure_codes")

# Paths under /partners/ that a profile slug must not take.
RESERVED_SLUGS = frozenset({"profile", "approvals", "new"})

ERR_NOT_PARTNER_ORG = "{name} is not a partner organisation."
ERR_REVISION_WAITING = (
    "Your changes are waiting for approval. Withdraw them from review to make more changes."
)
ERR_REVISION_NOT_DRAFT = "Only a draft can be changed or sent for approval; this one is {status}."
ERR_REVISION_NOT_SUBMITTED = (
    "Only changes waiting for approval can be approved, rejected or withdrawn; these are {status}."
)
ERR_REJECT_NOTE = "Say why the changes are not approved, so that the partner can put them right."
ERR_NAME_TAKEN = "There is already an organisation called {name}."
ERR_UNKNOWN_DISTRICT = "{code} is not a Lancashire district."
ERR_NO_DISTRICTS = "Choose the districts the organisation works in, or all of Lancashire."
ERR_NO_MEASURES = "Choose at least one measure the organisation helps deliver."

# A revision's moves: the partner submits a draft and may withdraw it while it waits; the
# lead approves or rejects it.
REVISION_WORKFLOW = Workflow(
    field="status",
    transitions={
        "submit": Transition(
            sources=(PartnerProfileRevision.Status.DRAFT,),
            target=PartnerProfileRevision.Status.SUBMITTED,
            refused=ERR_REVISION_NOT_DRAFT,
            by=("submitted_by",),
            at=("submitted_at",),
        ),
        "withdraw": Transition(
            sources=(PartnerProfileRevision.Status.SUBMITTED,),
            target=PartnerProfileRevision.Status.DRAFT,
            refused=ERR_REVISION_NOT_SUBMITTED,
            cleared=("submitted_at", "submitted_by"),
        ),
        "approve": Transition(
            sources=(PartnerProfileRevision.Status.SUBMITTED,),
            target=PartnerProfileRevision.Status.APPROVED,
            refused=ERR_REVISION_NOT_SUBMITTED,
            by=("reviewed_by",),
            at=("reviewed_at",),
            note="review_note",
        ),
        "reject": Transition(
            sources=(PartnerProfileRevision.Status.SUBMITTED,),
            target=PartnerProfileRevision.Status.REJECTED,
            refused=ERR_REVISION_NOT_SUBMITTED,
            by=("reviewed_by",),
            at=("reviewed_at",),
            note="review_note",
            note_required=ERR_REJECT_NOTE,
        ),
    },
)

# A profile is published, dated as its revision was approved, each time a revision is.
PROFILE_WORKFLOW = Workflow(
    field="status",
    transitions={
        "publish": Transition(
            sources=tuple(PartnerProfile.Status),
            target=PartnerProfile.Status.PUBLISHED,
            at=("published_at",),
        ),
    },
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "partner"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or PartnerProfile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_lists(content: dict[str, Any]) -> dict[str, list[str]]:
    districts = list(dict.fromkeys(content.get("districts") or []))
    for code in districts:
        if code not in DISTRICT_NAMES:
            raise ValidationError({"districts": ERR_UNKNOWN_DISTRICT.format(code=code)})
    if not districts and not content.get("serves_all_lancashire"):
        raise ValidationError({"districts": ERR_NO_DISTRICTS})
    codes = [str(code).strip() for code in content.get("measure_codes") or []]
    codes = list(dict.fromkeys(code for code in codes if code))
    if not codes:
        raise ValidationError({"measure_codes": ERR_NO_MEASURES})
    return {"districts": districts, "measure_codes": codes}


def partner_profile_ensure(*, organisation: Organisation) -> PartnerProfile:
    """The organisation's profile, created empty and unpublished if it has none yet."""
    if organisation.kind != Organisation.Kind.PARTNER:
        raise ValidationError(ERR_NOT_PARTNER_ORG.format(name=organisation.name))
    profile = PartnerProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = PartnerProfile.objects.create(
            organisation=organisation, slug=_unique_slug(organisation.slug or organisation.name)
        )
    return profile


@transaction.atomic
def partner_revision_save(
    *, profile: PartnerProfile, user: User, content: dict[str, Any]
) -> PartnerProfileRevision:
    """Save the partner's changes as the profile's draft (creating it if there is none).

    Refused while earlier changes are waiting for approval: they must be withdrawn first,
    so that the lead never approves something other than what they reviewed.
    """
    PartnerProfile.objects.select_for_update().filter(pk=profile.pk).first()
    revision = (
        PartnerProfileRevision.objects.select_for_update()
        .filter(profile=profile, status__in=PartnerProfileRevision.OPEN_STATUSES)
        .first()
    )
    if revision is not None and revision.is_submitted:
        raise ValidationError(ERR_REVISION_WAITING)
    if revision is None:
        revision = PartnerProfileRevision(profile=profile, created_by=user)
    for name in CONTENT_FIELDS:
        setattr(revision, name, content.get(name, getattr(revision, name)))
    lists = _clean_lists(content)
    revision.districts = lists["districts"]
    revision.measure_codes = lists["measure_codes"]
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def partner_revision_submit(
    *, revision: PartnerProfileRevision, user: User
) -> PartnerProfileRevision:
    """Send a draft to the social value lead for approval."""
    revision = PartnerProfileRevision.objects.select_for_update().get(pk=revision.pk)
    return REVISION_WORKFLOW.move(revision, "submit", by=user)


@transaction.atomic
def partner_revision_withdraw(
    *, revision: PartnerProfileRevision, user: User
) -> PartnerProfileRevision:
    """Take submitted changes back to draft, so that the partner can change them again."""
    revision = PartnerProfileRevision.objects.select_for_update().get(pk=revision.pk)
    return REVISION_WORKFLOW.move(revision, "withdraw", by=user)


def _publish(revision: PartnerProfileRevision) -> PartnerProfile:
    profile = PartnerProfile.objects.select_for_update().get(pk=revision.profile_id)
    for name in CONTENT_FIELDS:
        setattr(profile, name, getattr(revision, name))
    PROFILE_WORKFLOW.move(
        profile, "publish", by=revision.reviewed_by, at=revision.reviewed_at, save=False
    )
    profile.full_clean()
    profile.save()
    profile.measure_links.all().delete()
    PartnerMeasure.objects.bulk_create(
        PartnerMeasure(profile=profile, code=code, order=index)
        for index, code in enumerate(revision.measure_codes)
    )
    profile.district_links.all().delete()
    PartnerDistrict.objects.bulk_create(
        PartnerDistrict(profile=profile, district=code) for code in revision.districts
    )
    return profile


@transaction.atomic
def partner_revision_approve(
    *, revision: PartnerProfileRevision, reviewer: User, note: str = ""
) -> PartnerProfile:
    """Approve submitted changes: they are copied onto the profile, which is published."""
    revision = PartnerProfileRevision.objects.select_for_update().get(pk=revision.pk)
    return _publish(REVISION_WORKFLOW.move(revision, "approve", by=reviewer, note=note))


@transaction.atomic
def partner_revision_reject(
    *, revision: PartnerProfileRevision, reviewer: User, note: str
) -> PartnerProfileRevision:
    """Turn submitted changes down with a reason; the public profile stays as it was."""
    revision = PartnerProfileRevision.objects.select_for_update().get(pk=revision.pk)
    return REVISION_WORKFLOW.move(revision, "reject", by=reviewer, note=note)


@transaction.atomic
def partner_create(
    *, name: str, created_by: User, content: dict[str, Any], is_vcse: bool = False
) -> PartnerProfile:
    """The lead adds a partner organisation with a published profile.

    The content is recorded as a revision approved by the lead, so every published version
    of every profile has a revision saying who approved it and when.
    """
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ERR_NAME_TAKEN.format(name=name)})
    base_slug = slugify(name)[:190] or "partner"
    org_slug, n = base_slug, 1
    while Organisation.objects.filter(slug=org_slug).exists():
        n += 1
        org_slug = f"{base_slug}-{n}"
    organisation = Organisation(
        name=name,
        slug=org_slug,
        kind=Organisation.Kind.PARTNER,
        is_vcse=is_vcse,
        website=content.get("website", ""),
    )
    organisation.full_clean()
    organisation.save()
    profile = partner_profile_ensure(organisation=organisation)
    revision = partner_revision_save(profile=profile, user=created_by, content=content)
    revision = partner_revision_submit(revision=revision, user=created_by)
    return partner_revision_approve(
        revision=revision, reviewer=created_by, note="Added by the social value lead."
    )
