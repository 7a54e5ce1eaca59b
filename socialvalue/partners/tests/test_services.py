"""Drafting, submitting and deciding profile changes."""

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.selectors import organisation_of
from socialvalue.accounts.tests.factories import OrganisationFactory
from socialvalue.framework.models import FrameworkVersion
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision
from socialvalue.partners.services import (
    ERR_NO_DISTRICTS,
    ERR_NO_MEASURES,
    ERR_NOT_PARTNER_ORG,
    ERR_REJECT_NOTE,
    ERR_REVISION_WAITING,
    partner_create,
    partner_profile_ensure,
    partner_revision_approve,
    partner_revision_reject,
    partner_revision_save,
    partner_revision_submit,
    partner_revision_withdraw,
)
from socialvalue.partners.tests.conftest import BURNLEY, PENDLE, PRESTON, content, publish

pytestmark = pytest.mark.django_db


def submitted(profile: PartnerProfile, user: User, **overrides: object) -> PartnerProfileRevision:
    revision = partner_revision_save(profile=profile, user=user, content=content(**overrides))
    return partner_revision_submit(revision=revision, user=user)


def test_it_creates_an_unpublished_empty_profile_for_a_partner(
    community_futures: Organisation,
) -> None:
    profile = partner_profile_ensure(organisation=community_futures)
    assert profile.status == PartnerProfile.Status.UNPUBLISHED
    assert profile.slug == "community-futures-lancashire"
    assert partner_profile_ensure(organisation=community_futures).pk == profile.pk


def test_it_refuses_a_profile_for_a_supplier(supplier_bob: User) -> None:
    with pytest.raises(ValidationError) as caught:
        partner_profile_ensure(organisation=organisation_of(supplier_bob))
    assert caught.value.messages == [ERR_NOT_PARTNER_ORG.format(name="Bob's Building Ltd")]


def test_it_keeps_profile_slugs_clear_of_the_directory_pages(db: None) -> None:
    organisation = OrganisationFactory.create(
        name="Profile", slug="profile", kind=Organisation.Kind.PARTNER
    )
    assert partner_profile_ensure(organisation=organisation).slug == "profile-2"


def test_it_approves_a_revision_by_copying_it_onto_the_profile(
    toms: FrameworkVersion, partner_priya: User, lead_lucy: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = submitted(
        profile,
        partner_priya,
        summary="Volunteers for Preston and Burnley.",
        districts=[BURNLEY, PRESTON],
        measure_codes=["NT28", "NT29"],
    )
    published = partner_revision_approve(revision=revision, reviewer=lead_lucy, note="Thanks.")
    assert published.status == PartnerProfile.Status.PUBLISHED
    assert published.summary == "Volunteers for Preston and Burnley."
    assert published.measure_codes == ["NT28", "NT29"]
    assert sorted(published.district_codes) == [BURNLEY, PRESTON]
    assert published.contact_email == "volunteering@example.org"
    revision.refresh_from_db()
    assert revision.status == PartnerProfileRevision.Status.APPROVED
    assert revision.reviewed_by == lead_lucy
    assert revision.review_note == "Thanks."
    assert published.published_at == revision.reviewed_at


def test_it_keeps_the_published_profile_when_changes_are_rejected(
    toms: FrameworkVersion, partner_priya: User, lead_lucy: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    publish(profile, lead_lucy, summary="The approved summary.", measure_codes=["NT29"])
    revision = submitted(
        profile, partner_priya, summary="A rejected summary.", measure_codes=["NT1"]
    )
    partner_revision_reject(
        revision=revision, reviewer=lead_lucy, note="NT1 is not something you do."
    )
    profile.refresh_from_db()
    assert profile.summary == "The approved summary."
    assert profile.measure_codes == ["NT29"]
    revision.refresh_from_db()
    assert revision.status == PartnerProfileRevision.Status.REJECTED
    assert revision.review_note == "NT1 is not something you do."


def test_it_needs_a_reason_to_reject(
    toms: FrameworkVersion, partner_priya: User, lead_lucy: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = submitted(profile, partner_priya)
    with pytest.raises(ValidationError) as caught:
        partner_revision_reject(revision=revision, reviewer=lead_lucy, note="  ")
    assert caught.value.messages == [ERR_REJECT_NOTE]
    revision.refresh_from_db()
    assert revision.status == PartnerProfileRevision.Status.SUBMITTED


def test_it_does_not_publish_a_draft_or_a_rejected_revision(
    toms: FrameworkVersion, partner_priya: User, lead_lucy: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    draft = partner_revision_save(profile=profile, user=partner_priya, content=content())
    with pytest.raises(ValidationError, match="these are draft"):
        partner_revision_approve(revision=draft, reviewer=lead_lucy)
    partner_revision_submit(revision=draft, user=partner_priya)
    partner_revision_reject(revision=draft, reviewer=lead_lucy, note="Not yet.")
    with pytest.raises(ValidationError, match="these are not approved"):
        partner_revision_approve(revision=draft, reviewer=lead_lucy)
    profile.refresh_from_db()
    assert profile.status == PartnerProfile.Status.UNPUBLISHED


def test_it_updates_the_one_draft_in_progress(toms: FrameworkVersion, partner_priya: User) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    first = partner_revision_save(profile=profile, user=partner_priya, content=content())
    second = partner_revision_save(
        profile=profile, user=partner_priya, content=content(summary="Second go.")
    )
    assert second.pk == first.pk
    assert second.summary == "Second go."
    assert profile.revisions.count() == 1


def test_it_refuses_changes_while_earlier_ones_wait_for_approval(
    toms: FrameworkVersion, partner_priya: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = submitted(profile, partner_priya, summary="Sent.")
    with pytest.raises(ValidationError) as caught:
        partner_revision_save(profile=profile, user=partner_priya, content=content(summary="New"))
    assert caught.value.messages == [ERR_REVISION_WAITING]
    revision.refresh_from_db()
    assert revision.summary == "Sent."


def test_it_lets_a_partner_withdraw_changes_to_edit_them(
    toms: FrameworkVersion, partner_priya: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = submitted(profile, partner_priya)
    withdrawn = partner_revision_withdraw(revision=revision, user=partner_priya)
    assert withdrawn.status == PartnerProfileRevision.Status.DRAFT
    assert withdrawn.submitted_at is None
    again = partner_revision_save(
        profile=profile, user=partner_priya, content=content(summary="Better.")
    )
    assert again.pk == revision.pk
    partner_revision_submit(revision=again, user=partner_priya)
    with pytest.raises(ValidationError, match="this one is waiting for approval"):
        partner_revision_submit(revision=again, user=partner_priya)


def test_it_needs_districts_and_measures(toms: FrameworkVersion, partner_priya: User) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    with pytest.raises(ValidationError) as caught:
        partner_revision_save(profile=profile, user=partner_priya, content=content(districts=[]))
    assert caught.value.message_dict == {"districts": [ERR_NO_DISTRICTS]}
    with pytest.raises(ValidationError) as caught:
        partner_revision_save(
            profile=profile, user=partner_priya, content=content(measure_codes=[])
        )
    assert caught.value.message_dict == {"measure_codes": [ERR_NO_MEASURES]}
    assert not profile.revisions.exists()


def test_it_accepts_all_of_lancashire_instead_of_districts(
    toms: FrameworkVersion, partner_priya: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = partner_revision_save(
        profile=profile,
        user=partner_priya,
        content=content(districts=[], serves_all_lancashire=True),
    )
    assert revision.districts == []
    assert revision.serves_all_lancashire is True


def test_it_refuses_a_district_outside_lancashire(
    toms: FrameworkVersion, partner_priya: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    with pytest.raises(ValidationError) as caught:
        partner_revision_save(
            profile=profile, user=partner_priya, content=content(districts=["outside"])
        )
    assert caught.value.message_dict == {"districts": ["outside is not a Lancashire district."]}


def test_it_lets_the_lead_add_a_published_partner(toms: FrameworkVersion, lead_lucy: User) -> None:
    profile = partner_create(
        name="  Hyndburn   Food Network ",
        created_by=lead_lucy,
        content=content(districts=[PENDLE], measure_codes=["NT28"]),
        is_vcse=True,
    )
    assert profile.organisation.name == "Hyndburn Food Network"
    assert profile.organisation.kind == Organisation.Kind.PARTNER
    assert profile.organisation.is_vcse is True
    assert profile.is_published
    assert profile.slug == "hyndburn-food-network"
    revision = profile.revisions.get()
    assert revision.status == PartnerProfileRevision.Status.APPROVED
    assert revision.reviewed_by == lead_lucy


def test_it_refuses_a_partner_named_like_an_existing_organisation(
    toms: FrameworkVersion, lead_lucy: User, supplier_bob: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        partner_create(name="bob's building ltd", created_by=lead_lucy, content=content())
    assert caught.value.message_dict == {
        "name": ["There is already an organisation called bob's building ltd."]
    }
    assert not PartnerProfile.objects.exists()


def test_it_keeps_history_of_profiles_and_revisions(
    toms: FrameworkVersion, partner_priya: User, lead_lucy: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    publish(profile, lead_lucy, summary="First.")
    publish(profile, lead_lucy, summary="Second.")
    summaries = list(profile.history.order_by("history_date").values_list("summary", flat=True))
    assert summaries == ["", "First.", "Second."]
    revision = profile.revisions.first()
    assert revision is not None
    statuses = list(revision.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "approved"]
