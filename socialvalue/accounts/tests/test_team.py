"""The team page: an organisation's people, seen by all of them and managed by the lead (for a
buyer) or by any of them (for a supplier or partner); nobody else's."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from socialvalue.accounts import team
from socialvalue.accounts.invitations import invitation_create
from socialvalue.accounts.models import ApiToken, Invitation, Organisation, ServiceArea, User
from socialvalue.accounts.services import api_token_create
from socialvalue.accounts.team import user_deactivate, user_reactivate, user_role_change
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.conftest import PASSWORD

ClientAs = Callable[[User | None], Client]
TEAM = "/account/team/"


def page_text(response: Any) -> str:
    return response.content.decode()


# --- Seeing the team -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin"])
def test_it_lists_the_organisations_people_to_each_of_them(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    officer_olga: User,
    supplier_bob: User,
    who: str,
) -> None:
    response = client_as(request.getfixturevalue(who)).get(TEAM)
    assert response.status_code == 200
    html = page_text(response)
    for person in ("Lucy Lead", "alice@lancashire.example", "Erin Evaluator", "Highways"):
        assert person in html
    for outsider in ("Olga Officer", "olga@blackpool.example", "Bob Builder"):
        assert outsider not in html


def test_it_shows_officers_the_team_read_only(
    client_as: ClientAs, officer_alice: User, lead_lucy: User
) -> None:
    html = page_text(client_as(officer_alice).get(TEAM))
    assert "Invite a colleague" not in html
    assert "Deactivate" not in html
    assert "Change role" not in html


def test_it_gives_the_lead_the_tools(
    client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    html = page_text(client_as(lead_lucy).get(TEAM))
    assert 'href="/account/team/invite/"' in html
    assert f'href="/account/team/{officer_alice.pk}/role/"' in html
    assert f'href="/account/team/{officer_alice.pk}/deactivate/"' in html
    assert f'href="/account/team/{lead_lucy.pk}/deactivate/"' not in html  # not herself


def test_it_shows_open_invitations(
    client_as: ClientAs, lead_lucy: User, council: Organisation, blackpool: Organisation
) -> None:
    invitation_create(
        organisation=council, email="nina@lancashire.example", role="officer", by=lead_lucy
    )
    html = page_text(client_as(lead_lucy).get(TEAM))
    assert "nina@lancashire.example" in html
    assert "Resend" in html


def test_it_pages_a_large_team(client_as: ClientAs, lead_lucy: User, council: Organisation) -> None:
    for n in range(25):
        UserFactory.create(email=f"p{n:02d}@lancashire.example", organisation=council)
    client = client_as(lead_lucy)
    first = client.get(TEAM)
    assert len(first.context["page"].object_list) == 25
    assert 'class="govuk-pagination"' in page_text(first)
    assert len(client.get(TEAM, {"page": 2}).context["page"].object_list) == 1


def test_it_pages_the_invitations(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    for n in range(12):
        invitation_create(
            organisation=council, email=f"i{n:02d}@lancashire.example", role="officer", by=lead_lucy
        )
    client = client_as(lead_lucy)
    team_page = client.get(TEAM)
    assert len(team_page.context["invitations"]) == 10
    assert "See all 12 invitations" in page_text(team_page)
    assert len(client.get("/account/team/invitations/").context["page"].object_list) == 12


def test_it_refuses_the_team_page_to_someone_without_an_organisation(
    client_as: ClientAs, admin_ada: User
) -> None:
    # A platform administrator belongs to no organisation: the page is for its members.
    response = client_as(admin_ada).get(TEAM)
    assert response.status_code == 403
    assert "This page is for officers, evaluators, social value leads" in response.content.decode()


def test_it_asks_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(TEAM)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# --- Another organisation's people: 404 ---------------------------------------------------


def test_it_never_lets_blackpools_lead_near_lancashires_people(
    client_as: ClientAs,
    lead_bella: User,
    lead_lucy: User,
    officer_alice: User,
    council: Organisation,
) -> None:
    invitation, _ = invitation_create(
        organisation=council, email="nina@lancashire.example", role="officer", by=lead_lucy
    )
    bella = client_as(lead_bella)
    assert "alice@lancashire.example" not in page_text(bella.get(TEAM))
    for url in (
        f"/account/team/{officer_alice.pk}/role/",
        f"/account/team/{officer_alice.pk}/deactivate/",
        f"/account/team/{officer_alice.pk}/reactivate/",
        f"/account/team/invitations/{invitation.pk}/revoke/",
    ):
        assert bella.get(url).status_code == 404, url
        assert bella.post(url, {"role": "lead"}).status_code == 404, url
    assert bella.post(f"/account/team/invitations/{invitation.pk}/resend/").status_code == 404
    officer_alice.refresh_from_db()
    assert (officer_alice.role, officer_alice.is_active) == ("officer", True)
    invitation.refresh_from_db()
    assert invitation.is_open


def test_it_refuses_the_service_to_another_organisations_lead(
    lead_bella: User, officer_alice: User
) -> None:
    with pytest.raises(PermissionDenied):
        user_role_change(user=officer_alice, role="lead", service_area=None, by=lead_bella)
    with pytest.raises(PermissionDenied):
        user_deactivate(user=officer_alice, by=lead_bella)


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin"])
def test_it_refuses_the_tools_to_officers(
    client_as: ClientAs, request: pytest.FixtureRequest, lead_lucy: User, who: str
) -> None:
    client = client_as(request.getfixturevalue(who))
    assert client.get("/account/team/invite/").status_code == 403
    assert client.post(f"/account/team/{lead_lucy.pk}/deactivate/").status_code == 403
    assert (
        client.post(f"/account/team/{lead_lucy.pk}/role/", {"role": "officer"}).status_code == 403
    )
    lead_lucy.refresh_from_db()
    assert (lead_lucy.role, lead_lucy.is_active) == ("lead", True)


# --- Inviting from the page ------------------------------------------------------------------


def test_it_invites_from_the_page(
    client_as: ClientAs,
    lead_lucy: User,
    highways: ServiceArea,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as(lead_lucy)
    form = client.get("/account/team/invite/")
    assert 'value="cabinet"' in page_text(form)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/team/invite/",
            {"email": "cara@lancashire.example", "role": "cabinet", "service_area": ""},
            follow=True,
        )
    assert "Invitation sent to cara@lancashire.example" in page_text(response)
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.invited_by) == ("cabinet", lead_lucy)


def test_it_shows_the_reason_an_invitation_is_refused(
    client_as: ClientAs, lead_lucy: User, supplier_bob: User
) -> None:
    response = client_as(lead_lucy).post(
        "/account/team/invite/", {"email": "bob@bobsbuilding.example", "role": "officer"}
    )
    assert response.status_code == 400
    assert "already has an account" in page_text(response)
    assert not Invitation.objects.exists()


def test_it_offers_a_supplier_no_role_to_choose(
    client_as: ClientAs, supplier_bob: User, bobs_building: Organisation
) -> None:
    client = client_as(supplier_bob)
    assert 'name="role"' not in page_text(client.get("/account/team/invite/"))
    response = client.post("/account/team/invite/", {"email": "sam@bobsbuilding.example"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == "supplier"


# --- Roles -----------------------------------------------------------------------------------


def test_it_changes_a_colleagues_role_and_service_area(
    client_as: ClientAs, lead_lucy: User, evaluator_erin: User, highways: ServiceArea
) -> None:
    response = client_as(lead_lucy).post(
        f"/account/team/{evaluator_erin.pk}/role/",
        {"role": "officer", "service_area": highways.pk},
    )
    assert response.status_code == 302
    evaluator_erin.refresh_from_db()
    assert (evaluator_erin.role, evaluator_erin.service_area) == ("officer", highways)
    assert evaluator_erin.history.first().history_user == lead_lucy


def test_it_refuses_a_service_area_of_another_organisation_on_the_page(
    client_as: ClientAs, lead_bella: User, officer_olga: User, highways: ServiceArea
) -> None:
    response = client_as(lead_bella).post(
        f"/account/team/{officer_olga.pk}/role/", {"role": "officer", "service_area": highways.pk}
    )
    assert response.status_code == 400
    officer_olga.refresh_from_db()
    assert officer_olga.service_area is None


@pytest.mark.parametrize("role", ["supplier", "partner", ""])
def test_it_offers_only_council_roles(
    client_as: ClientAs, lead_lucy: User, evaluator_erin: User, role: str
) -> None:
    response = client_as(lead_lucy).post(f"/account/team/{evaluator_erin.pk}/role/", {"role": role})
    assert response.status_code == 400
    evaluator_erin.refresh_from_db()
    assert evaluator_erin.role == "evaluator"


def test_it_lets_the_last_lead_step_down_only_once_another_lead_is_there(
    client_as: ClientAs, lead_lucy: User, evaluator_erin: User
) -> None:
    client = client_as(lead_lucy)
    refused = client.post(f"/account/team/{lead_lucy.pk}/role/", {"role": "officer"})
    assert refused.status_code == 400
    assert team.LAST_LEAD.format(organisation="Lancashire County Council") in page_text(refused)
    lead_lucy.refresh_from_db()
    assert lead_lucy.role == "lead"
    client.post(f"/account/team/{evaluator_erin.pk}/role/", {"role": "lead"})
    allowed = client.post(f"/account/team/{lead_lucy.pk}/role/", {"role": "officer"})
    assert allowed.status_code == 302
    lead_lucy.refresh_from_db()
    assert lead_lucy.role == "officer"


def test_it_keeps_a_cabinet_member_from_doing_officer_work(
    client_as: ClientAs, lead_lucy: User, evaluator_erin: User
) -> None:
    user_role_change(user=evaluator_erin, role="cabinet", service_area=None, by=lead_lucy)
    evaluator_erin.refresh_from_db()
    assert evaluator_erin.is_cabinet
    assert (evaluator_erin.is_officer, evaluator_erin.is_evaluator, evaluator_erin.is_lead) == (
        False,
        False,
        False,
    )
    html = page_text(client_as(evaluator_erin).get(TEAM))
    assert "Cabinet member" in html
    assert "Invite a colleague" not in html


# --- Deactivating and reactivating -----------------------------------------------------------


def test_it_deactivates_a_colleague_revokes_their_tokens_and_ends_their_sessions(
    client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    alices_browser = client_as(officer_alice)
    assert alices_browser.get("/account/").status_code == 200
    confirm = client_as(lead_lucy).get(f"/account/team/{officer_alice.pk}/deactivate/")
    assert "Deactivate Alice Officer?" in page_text(confirm)
    response = client_as(lead_lucy).post(
        f"/account/team/{officer_alice.pk}/deactivate/", follow=True
    )
    assert "Alice Officer can no longer sign in" in page_text(response)
    officer_alice.refresh_from_db()
    assert officer_alice.is_active is False
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert alices_browser.get("/account/").status_code == 302  # signed out
    # Reactivating lets her sign in again, but neither the old session nor the token comes back.
    client_as(lead_lucy).post(f"/account/team/{officer_alice.pk}/reactivate/")
    officer_alice.refresh_from_db()
    assert officer_alice.is_active is True
    assert alices_browser.get("/account/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    fresh = Client()
    signed_in = fresh.post(
        "/account/sign-in/", {"username": "alice@lancashire.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert fresh.get("/account/").status_code == 200


def test_it_ends_sessions_whatever_the_session_store(officer_alice: User, lead_lucy: User) -> None:
    before = officer_alice.get_session_auth_hash()
    user_deactivate(user=officer_alice, by=lead_lucy)
    officer_alice.refresh_from_db()
    assert officer_alice.get_session_auth_hash() != before
    assert officer_alice.session_generation == 1


def test_it_never_lets_someone_deactivate_themselves(
    client_as: ClientAs, lead_lucy: User, supplier_bob: User
) -> None:
    for person in (lead_lucy, supplier_bob):
        response = client_as(person).post(f"/account/team/{person.pk}/deactivate/", follow=True)
        assert team.NOT_YOURSELF in page_text(response)
        person.refresh_from_db()
        assert person.is_active is True


def test_it_keeps_an_active_lead(lead_lucy: User, council: Organisation) -> None:
    other = UserFactory.create(email="lena@lancashire.example", role="lead", organisation=council)
    user_deactivate(user=other, by=lead_lucy)  # Lucy is still there
    with pytest.raises(ValidationError, match="must keep at least one active social value lead"):
        user_role_change(user=lead_lucy, role="officer", service_area=None, by=lead_lucy)


def test_it_lets_a_supplier_manage_colleagues_of_its_own_organisation_only(
    client_as: ClientAs, supplier_bob: User, supplier_carol: User, bobs_building: Organisation
) -> None:
    sam = UserFactory.create(
        email="sam@bobsbuilding.example", role="supplier", organisation=bobs_building
    )
    bob = client_as(supplier_bob)
    assert bob.post(f"/account/team/{sam.pk}/deactivate/").status_code == 302
    sam.refresh_from_db()
    assert sam.is_active is False
    assert bob.post(f"/account/team/{sam.pk}/reactivate/").status_code == 302
    sam.refresh_from_db()
    assert sam.is_active is True
    assert bob.post(f"/account/team/{supplier_carol.pk}/deactivate/").status_code == 404
    assert bob.get(f"/account/team/{sam.pk}/role/").status_code == 403  # no roles to change
    supplier_carol.refresh_from_db()
    assert supplier_carol.is_active is True


def test_it_keeps_council_staff_and_admins_away_from_a_suppliers_people(
    supplier_bob: User, lead_lucy: User, admin_ada: User
) -> None:
    for outsider in (lead_lucy, admin_ada):
        with pytest.raises(PermissionDenied):
            user_deactivate(user=supplier_bob, by=outsider)
    supplier_bob.refresh_from_db()
    assert supplier_bob.is_active is True


def test_it_lets_a_platform_administrator_shut_out_a_councils_last_lead(
    admin_ada: User, lead_lucy: User
) -> None:
    """A compromised lead's account must be stoppable at once; the administrator then
    appoints another lead in the admin."""
    user_deactivate(user=lead_lucy, by=admin_ada)
    lead_lucy.refresh_from_db()
    assert lead_lucy.is_active is False


def test_it_keeps_a_lead_away_from_a_colleague_who_is_a_platform_administrator(
    lead_lucy: User, officer_alice: User
) -> None:
    from django.contrib.auth.models import Permission

    officer_alice.user_permissions.add(
        Permission.objects.get(codename="administer_platform", content_type__app_label="accounts")
    )
    with pytest.raises(PermissionDenied):
        user_deactivate(user=officer_alice, by=lead_lucy)


def test_it_says_when_there_is_nothing_to_change(lead_lucy: User, officer_alice: User) -> None:
    with pytest.raises(ValidationError, match=team.ALREADY_ACTIVE):
        user_reactivate(user=officer_alice, by=lead_lucy)
    user_deactivate(user=officer_alice, by=lead_lucy)
    with pytest.raises(ValidationError, match=team.ALREADY_INACTIVE):
        user_deactivate(user=officer_alice, by=lead_lucy)
    assert ApiToken.objects.count() == 0
