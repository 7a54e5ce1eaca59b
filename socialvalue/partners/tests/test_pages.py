"""A partner's own profile pages and the lead's approvals, and who may use them."""

from collections.abc import Callable

import pytest
from django.http import HttpResponseBase
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.framework.models import FrameworkVersion
from socialvalue.partners.forms import (
    ERR_DECISION_REQUIRED,
    ERR_EMAIL_INVALID,
    ERR_PHONE_INVALID,
    ERR_SUMMARY_REQUIRED,
)
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision
from socialvalue.partners.services import ERR_NO_DISTRICTS, ERR_NO_MEASURES, ERR_REJECT_NOTE
from socialvalue.partners.tests.conftest import BURNLEY, PRESTON, form_data

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
CastMember = Callable[[str | None], User | None]

NOT_PARTNER_USERS = ["lead_lucy", "officer_alice", "evaluator_erin", "supplier_bob"]
NOT_LEAD = ["partner_priya", "officer_alice", "evaluator_erin", "supplier_bob"]


def sign_in_redirect(response: HttpResponseBase, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={path}"


# --- Who may use which page ------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(
    public_dave: Client, priya_submitted: PartnerProfileRevision
) -> None:
    pk = priya_submitted.pk
    for path in (
        "/partners/profile/",
        f"/partners/profile/changes/{pk}/",
        "/partners/approvals/",
        "/partners/approvals/new/",
        f"/partners/approvals/{pk}/",
    ):
        sign_in_redirect(public_dave.get(path), path)
    for path in (f"/partners/profile/changes/{pk}/withdraw/",):
        sign_in_redirect(public_dave.post(path), path)
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.SUBMITTED


@pytest.mark.parametrize("who", NOT_PARTNER_USERS)
def test_it_keeps_the_profile_editor_for_partner_users(
    client_as: ClientAs, cast_member: CastMember, priya_draft: PartnerProfileRevision, who: str
) -> None:
    client = client_as(cast_member(who))
    pk = priya_draft.pk
    assert client.get("/partners/profile/").status_code == 403
    assert client.post("/partners/profile/", form_data()).status_code == 403
    assert client.get(f"/partners/profile/changes/{pk}/").status_code == 403
    assert client.post(f"/partners/profile/changes/{pk}/submit/").status_code == 403
    priya_draft.refresh_from_db()
    assert priya_draft.status == PartnerProfileRevision.Status.DRAFT


@pytest.mark.parametrize("who", NOT_LEAD)
def test_it_keeps_approvals_for_the_lead(
    client_as: ClientAs,
    cast_member: CastMember,
    priya_submitted: PartnerProfileRevision,
    who: str,
) -> None:
    client = client_as(cast_member(who))
    pk = priya_submitted.pk
    assert client.get("/partners/approvals/").status_code == 403
    assert client.get("/partners/approvals/new/").status_code == 403
    assert client.get(f"/partners/approvals/{pk}/").status_code == 403
    response = client.post(f"/partners/approvals/{pk}/", {"decision": "approve"})
    assert response.status_code == 403
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.SUBMITTED
    assert not PartnerProfile.objects.filter(status="published").exists()


def test_it_hides_another_partners_changes_with_404(
    client_as: ClientAs, partner_raj: User, priya_submitted: PartnerProfileRevision
) -> None:
    raj = client_as(partner_raj)
    pk = priya_submitted.pk
    assert raj.get(f"/partners/profile/changes/{pk}/").status_code == 404
    assert raj.post(f"/partners/profile/changes/{pk}/withdraw/").status_code == 404
    assert raj.post(f"/partners/profile/changes/{pk}/submit/").status_code == 404
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.SUBMITTED


def test_it_lets_a_partner_edit_only_their_own_organisations_profile(
    client_as: ClientAs, partner_raj: User, priya_draft: PartnerProfileRevision
) -> None:
    raj = client_as(partner_raj)
    html = raj.get("/partners/profile/").content.decode()
    assert "Ribble Rivers Nature Trust" in html
    assert "Priya's draft summary." not in html
    response = raj.post("/partners/profile/", form_data(summary="Raj's change."))
    assert response.status_code == 302
    priya_draft.refresh_from_db()
    assert priya_draft.summary == "Priya's draft summary."
    raj_revision = PartnerProfileRevision.objects.get(summary="Raj's change.")
    assert raj_revision.profile.organisation.name == "Ribble Rivers Nature Trust"


def test_it_refuses_a_partner_user_without_a_partner_organisation(
    client_as: ClientAs, toms: FrameworkVersion, supplier_bob: User
) -> None:
    misfiled = UserFactory.create(
        email="misfiled@example.org",
        role=User.Role.PARTNER,
        organisation=supplier_bob.organisation,
    )
    response = client_as(misfiled).get("/partners/profile/")
    assert response.status_code == 403
    assert not PartnerProfile.objects.exists()


# --- The partner's journey -------------------------------------------------------------------


def test_it_saves_a_partners_changes_as_a_draft_and_previews_them(
    client_as: ClientAs, toms: FrameworkVersion, partner_priya: User
) -> None:
    priya = client_as(partner_priya)
    page = priya.get("/partners/profile/").content.decode()
    assert "Not published yet" in page
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>'
    assert legend.format("Employment and skills") in page
    assert 'id="id_measure_codes_0"' in page
    response = priya.post(
        "/partners/profile/",
        form_data(summary="Our new summary.", districts=[PRESTON, BURNLEY], measure_codes=["NT29"]),
    )
    revision = PartnerProfileRevision.objects.get()
    assert response["Location"] == f"/partners/profile/changes/{revision.pk}/"
    assert revision.status == PartnerProfileRevision.Status.DRAFT
    assert revision.created_by == partner_priya
    assert revision.districts == [PRESTON, BURNLEY]
    preview = priya.get(response["Location"]).content.decode()
    assert "Our new summary." in preview
    assert "It is not public yet." in preview
    assert "Send for approval" in preview
    profile = revision.profile
    assert profile.status == PartnerProfile.Status.UNPUBLISHED


def test_it_shows_the_form_errors_and_saves_nothing(
    client_as: ClientAs, toms: FrameworkVersion, partner_priya: User
) -> None:
    response = client_as(partner_priya).post(
        "/partners/profile/",
        form_data(
            summary="",
            districts=[],
            measure_codes=[],
            contact_email="not an email",
            contact_phone="call us",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Your partner profile" in html
    for anchor, message in (
        ("id_summary", ERR_SUMMARY_REQUIRED),
        ("id_districts_0", ERR_NO_DISTRICTS),
        ("id_measure_codes_0", ERR_NO_MEASURES),
        ("id_contact_email", ERR_EMAIL_INVALID),
        ("id_contact_phone", ERR_PHONE_INVALID),
    ):
        assert f'<a href="#{anchor}">{message}</a>' in html, message
    assert "govuk-input--error" in html
    assert not PartnerProfileRevision.objects.exists()
    assert not PartnerProfile.objects.exists()


def test_it_starts_the_form_from_the_published_profile(
    client_as: ClientAs, partner_raj: User
) -> None:
    html = client_as(partner_raj).get("/partners/profile/").content.decode()
    assert "Restores river banks with volunteers.</textarea>" in html
    assert 'value="NT85" checked' in html
    assert 'value="NT1" checked' not in html
    assert 'value="E07000124" checked' in html


def test_it_sends_a_draft_for_approval_and_waits(
    client_as: ClientAs, partner_priya: User, priya_draft: PartnerProfileRevision
) -> None:
    priya = client_as(partner_priya)
    response = priya.post(f"/partners/profile/changes/{priya_draft.pk}/submit/")
    assert response["Location"] == "/partners/profile/"
    priya_draft.refresh_from_db()
    assert priya_draft.status == PartnerProfileRevision.Status.SUBMITTED
    assert priya_draft.submitted_by == partner_priya
    html = priya.get("/partners/profile/").content.decode()
    assert "Waiting for approval" in html
    assert "Withdraw from review" in html
    assert '<form method="post" novalidate>' not in html
    response = priya.post("/partners/profile/", form_data(summary="Sneaky change."))
    assert response.status_code == 200
    priya_draft.refresh_from_db()
    assert priya_draft.summary == "Priya's draft summary."


def test_it_lets_a_partner_withdraw_changes_from_review(
    client_as: ClientAs, partner_priya: User, priya_submitted: PartnerProfileRevision
) -> None:
    priya = client_as(partner_priya)
    response = priya.post(f"/partners/profile/changes/{priya_submitted.pk}/withdraw/")
    assert response["Location"] == "/partners/profile/"
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.DRAFT
    assert "Priya&#x27;s draft summary." in priya.get("/partners/profile/").content.decode()


def test_it_refuses_to_send_changes_twice(
    client_as: ClientAs, partner_priya: User, priya_submitted: PartnerProfileRevision
) -> None:
    priya = client_as(partner_priya)
    response = priya.post(f"/partners/profile/changes/{priya_submitted.pk}/submit/", follow=True)
    assert "this one is waiting for approval" in response.content.decode()


def test_it_shows_the_partner_why_changes_were_not_approved(
    client_as: ClientAs,
    partner_priya: User,
    lead_lucy: User,
    priya_submitted: PartnerProfileRevision,
) -> None:
    lead = client_as(lead_lucy)
    lead.post(
        f"/partners/approvals/{priya_submitted.pk}/",
        {"decision": "reject", "note": "Please add a contact phone number."},
    )
    html = client_as(partner_priya).get("/partners/profile/").content.decode()
    assert "Not approved" in html
    assert "Why your changes were not approved" in html
    assert "Please add a contact phone number." in html
    # The form starts from the turned-down changes, so they can be put right.
    assert "Priya&#x27;s draft summary.</textarea>" in html


# --- The lead's approvals --------------------------------------------------------------------


def test_it_lists_changes_waiting_for_approval(
    client_as: ClientAs, lead_lucy: User, priya_submitted: PartnerProfileRevision
) -> None:
    html = client_as(lead_lucy).get("/partners/approvals/").content.decode()
    assert "Waiting for approval</caption>" in html
    assert f'href="/partners/approvals/{priya_submitted.pk}/"' in html
    assert "Community Futures Lancashire</a>" in html
    assert "Priya Patel" in html


def test_it_says_when_nothing_is_waiting(client_as: ClientAs, lead_lucy: User) -> None:
    html = client_as(lead_lucy).get("/partners/approvals/").content.decode()
    assert "There are no changes waiting for approval." in html
    assert "No decisions yet." in html


def test_it_shows_the_lead_what_changes_against_the_published_profile(
    client_as: ClientAs, lead_lucy: User, partner_raj: User
) -> None:
    raj = client_as(partner_raj)
    raj.post(
        "/partners/profile/",
        form_data(
            partner_type="environmental",
            summary="Restores river banks and meadows.",
            districts=["E07000124"],
            measure_codes=["NT85", "NT86", "NT87"],
        ),
    )
    revision = PartnerProfileRevision.objects.get(status="draft")
    raj.post(f"/partners/profile/changes/{revision.pk}/submit/")
    html = client_as(lead_lucy).get(f"/partners/approvals/{revision.pk}/").content.decode()
    assert '<h3 class="govuk-summary-card__title">Summary</h3>' in html
    assert "Restores river banks with volunteers." in html
    assert "Restores river banks and meadows." in html
    assert '<h3 class="govuk-summary-card__title">Measures</h3>' in html
    assert "NT87: " in html
    assert '<h3 class="govuk-summary-card__title">Description</h3>' not in html
    assert "<strong>Not changed:</strong> type of organisation, description" in html


def test_it_publishes_changes_the_lead_approves(
    client_as: ClientAs,
    public_dave: Client,
    lead_lucy: User,
    priya_submitted: PartnerProfileRevision,
) -> None:
    assert public_dave.get("/partners/community-futures-lancashire/").status_code == 404
    response = client_as(lead_lucy).post(
        f"/partners/approvals/{priya_submitted.pk}/", {"decision": "approve", "note": ""}
    )
    assert response["Location"] == "/partners/approvals/"
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.APPROVED
    assert priya_submitted.reviewed_by == lead_lucy
    html = public_dave.get("/partners/community-futures-lancashire/").content.decode()
    assert "Priya&#x27;s draft summary." in html


def test_it_needs_a_decision_and_a_reason_to_reject(
    client_as: ClientAs, lead_lucy: User, priya_submitted: PartnerProfileRevision
) -> None:
    lead = client_as(lead_lucy)
    url = f"/partners/approvals/{priya_submitted.pk}/"
    html = lead.post(url, {}).content.decode()
    assert f'<a href="#id_decision_0">{ERR_DECISION_REQUIRED}</a>' in html
    html = lead.post(url, {"decision": "reject", "note": " "}).content.decode()
    assert f'<a href="#id_note">{ERR_REJECT_NOTE}</a>' in html
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.SUBMITTED


def test_it_does_not_decide_the_same_changes_twice(
    client_as: ClientAs, lead_lucy: User, priya_submitted: PartnerProfileRevision
) -> None:
    lead = client_as(lead_lucy)
    url = f"/partners/approvals/{priya_submitted.pk}/"
    lead.post(url, {"decision": "reject", "note": "Not yet."})
    response = lead.post(url, {"decision": "approve"}, follow=True)
    assert "These changes have already been decided." in response.content.decode()
    priya_submitted.refresh_from_db()
    assert priya_submitted.status == PartnerProfileRevision.Status.REJECTED
    assert not PartnerProfile.objects.filter(status="published").exists()


def test_it_does_not_show_the_lead_a_draft(
    client_as: ClientAs, lead_lucy: User, priya_draft: PartnerProfileRevision
) -> None:
    assert client_as(lead_lucy).get(f"/partners/approvals/{priya_draft.pk}/").status_code == 404


def test_it_lets_the_lead_add_a_partner(
    client_as: ClientAs, public_dave: Client, toms: FrameworkVersion, lead_lucy: User
) -> None:
    lead = client_as(lead_lucy)
    assert "Add a partner organisation" in lead.get("/partners/approvals/new/").content.decode()
    response = lead.post(
        "/partners/approvals/new/",
        {"name": "Wyre Coast Foodbank", **form_data(districts=["E07000128"])},
    )
    assert response["Location"] == "/partners/wyre-coast-foodbank/"
    organisation = Organisation.objects.get(name="Wyre Coast Foodbank")
    assert organisation.kind == Organisation.Kind.PARTNER
    assert organisation.is_vcse is True
    assert "Wyre" in public_dave.get("/partners/wyre-coast-foodbank/").content.decode()


def test_it_refuses_to_add_a_partner_with_a_taken_name(
    client_as: ClientAs, lead_lucy: User, partner_raj: User
) -> None:
    response = client_as(lead_lucy).post(
        "/partners/approvals/new/", {"name": "ribble rivers nature trust", **form_data()}
    )
    html = response.content.decode()
    assert (
        '<a href="#id_name">There is already an organisation called ribble rivers nature trust.</a>'
        in html
    )
    assert PartnerProfile.objects.count() == 1


def test_it_links_partners_and_the_lead_from_their_accounts(
    client_as: ClientAs, partner_priya: User, lead_lucy: User, officer_alice: User
) -> None:
    priya = client_as(partner_priya).get("/account/").content.decode()
    assert 'href="/partners/profile/">Your partner profile</a>' in priya
    lead = client_as(lead_lucy).get("/account/").content.decode()
    assert 'href="/partners/approvals/">Partner approvals</a>' in lead
    alice = client_as(officer_alice).get("/account/").content.decode()
    assert "/partners/profile/" not in alice
    assert "/partners/approvals/" not in alice


def test_it_treats_all_of_lancashire_as_excluding_single_districts(
    client_as: ClientAs, toms: FrameworkVersion, partner_priya: User
) -> None:
    client_as(partner_priya).post(
        "/partners/profile/", form_data(serves_all_lancashire=True, districts=[BURNLEY])
    )
    revision = PartnerProfileRevision.objects.get()
    assert revision.serves_all_lancashire is True
    assert revision.districts == []


def test_it_offers_all_of_lancashire_after_the_districts(
    client_as: ClientAs, toms: FrameworkVersion, partner_priya: User
) -> None:
    html = client_as(partner_priya).get("/partners/profile/").content.decode()
    districts = html.index('id="id_districts_13"')
    divider = html.index('<div class="govuk-checkboxes__divider">or</div>')
    everywhere = html.index('id="id_serves_all_lancashire"')
    assert districts < divider < everywhere
    assert 'value="on" data-behaviour="exclusive"' in html
