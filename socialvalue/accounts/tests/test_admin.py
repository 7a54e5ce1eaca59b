"""The admin pages for organisations, users and API tokens, as a platform administrator uses
them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import ApiToken, Directorate, Organisation, ServiceArea, User
from socialvalue.accounts.services import (
    EMAIL_TAKEN,
    ROLE_NEEDS_SUPPLIER,
    SERVICE_AREA_OTHER_ORGANISATION,
    api_token_create,
)

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root Admin"
    )


@pytest.fixture
def ada(client_as: ClientAs, admin_ada: User) -> Client:
    """A platform administrator who is not a superuser."""
    return client_as(admin_ada)


def _add_user(client: Client, **fields: object) -> Any:
    data = {
        "email": "new.officer@lancashire.example",
        "full_name": "New Officer",
        "job_title": "",
        "organisation": "",
        "role": "officer",
        "service_area": "",
        "usable_password": "false",
        "password1": "",
        "password2": "",
        "_save": "Save",
    }
    data.update({k: "" if v is None else str(v) for k, v in fields.items()})
    return client.post("/admin/accounts/user/add/", data)


def _change_data(user: User, **fields: object) -> dict[str, str]:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "organisation": str(user.organisation_id or ""),
        "role": user.role,
        "service_area": str(user.service_area_id or ""),
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-04-01",
        "date_joined_1": "09:00:00",
        "_save": "Save",
    }
    data.update({k: str(v) for k, v in fields.items()})
    return data


def test_it_lets_a_platform_administrator_add_an_officer_without_a_password(
    ada: Client, council: Organisation, highways: ServiceArea
) -> None:
    response = _add_user(ada, organisation=council.pk, service_area=highways.pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.officer@lancashire.example")
    assert user.role == "officer"
    assert user.service_area == highways
    assert user.has_usable_password() is False
    assert user.is_staff is False
    assert user.is_superuser is False


def test_it_does_not_make_a_lead_added_in_the_admin_staff(
    ada: Client, council: Organisation
) -> None:
    response = _add_user(
        ada, organisation=council.pk, role="lead", email="second.lead@lancashire.example"
    )
    assert response.status_code == 302
    assert User.objects.get(email="second.lead@lancashire.example").is_staff is False


def test_it_checks_the_role_fits_the_organisation_in_the_admin(
    ada: Client, council: Organisation
) -> None:
    response = _add_user(ada, organisation=council.pk, role="supplier")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [ROLE_NEEDS_SUPPLIER]
    assert not User.objects.filter(email="new.officer@lancashire.example").exists()


def test_it_checks_the_service_area_in_the_admin(
    ada: Client, blackpool: Organisation, highways: ServiceArea
) -> None:
    response = _add_user(ada, organisation=blackpool.pk, service_area=highways.pk)
    assert response.context["adminform"].form.errors["service_area"] == [
        SERVICE_AREA_OTHER_ORGANISATION
    ]


def test_it_refuses_a_taken_email_in_any_case(
    ada: Client, council: Organisation, officer_alice: User
) -> None:
    response = _add_user(ada, organisation=council.pk, email="ALICE@lancashire.example")
    assert response.context["adminform"].form.errors["email"] == [EMAIL_TAKEN]


def test_it_has_no_superuser_box_on_the_add_page(ada: Client) -> None:
    html = ada.get("/admin/accounts/user/add/").content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="is_staff"' not in html


def test_it_shows_the_superuser_box_read_only_to_a_platform_administrator(
    ada: Client, officer_alice: User
) -> None:
    html = ada.get(f"/admin/accounts/user/{officer_alice.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="is_staff"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="full_name"' in html


def test_it_ignores_a_platform_administrator_trying_to_make_a_superuser(
    ada: Client, officer_alice: User
) -> None:
    data = _change_data(officer_alice, is_superuser="on", is_staff="on")
    response = ada.post(f"/admin/accounts/user/{officer_alice.pk}/change/", data)
    assert response.status_code == 302
    officer_alice.refresh_from_db()
    assert officer_alice.is_superuser is False
    assert officer_alice.is_staff is False


def test_it_lets_a_superuser_make_a_superuser(
    client_as: ClientAs, root: User, officer_alice: User
) -> None:
    data = _change_data(officer_alice, is_superuser="on")
    response = client_as(root).post(f"/admin/accounts/user/{officer_alice.pk}/change/", data)
    assert response.status_code == 302
    officer_alice.refresh_from_db()
    assert officer_alice.is_superuser is True
    assert officer_alice.is_staff is True


def test_it_keeps_staff_status_off_when_the_admin_makes_someone_the_lead(
    ada: Client, evaluator_erin: User
) -> None:
    data = _change_data(evaluator_erin, role="lead")
    response = ada.post(f"/admin/accounts/user/{evaluator_erin.pk}/change/", data)
    assert response.status_code == 302
    evaluator_erin.refresh_from_db()
    assert evaluator_erin.role == "lead"
    assert evaluator_erin.is_staff is False


def test_it_refuses_a_wrong_role_change_in_the_admin(ada: Client, officer_alice: User) -> None:
    data = _change_data(officer_alice, role="supplier")
    response = ada.post(f"/admin/accounts/user/{officer_alice.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [ROLE_NEEDS_SUPPLIER]
    officer_alice.refresh_from_db()
    assert officer_alice.role == "officer"


def test_it_keeps_a_platform_administrator_away_from_a_superusers_account(
    ada: Client, root: User
) -> None:
    assert ada.get(f"/admin/accounts/user/{root.pk}/change/").status_code == 200  # view only
    post = ada.post(
        f"/admin/accounts/user/{root.pk}/change/", _change_data(root, full_name="Taken Over")
    )
    assert post.status_code == 403
    password = ada.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {
            "password1": "admin-chose-this-1",
            "password2": "admin-chose-this-1",
            "usable_password": "true",
        },
    )
    assert password.status_code == 403
    assert ada.post(f"/admin/accounts/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.full_name == "Root Admin"
    assert root.check_password("a-long-admin-password")


def test_it_lets_a_platform_administrator_set_an_officers_password(
    ada: Client, officer_alice: User
) -> None:
    response = ada.post(
        f"/admin/accounts/user/{officer_alice.pk}/password/",
        {
            "password1": "an-admin-chosen-password",
            "password2": "an-admin-chosen-password",
            "usable_password": "true",
            "set-password": "1",
        },
    )
    assert response.status_code == 302
    officer_alice.refresh_from_db()
    assert officer_alice.check_password("an-admin-chosen-password")


def test_it_adds_directorates_to_a_buyer_inline(ada: Client, council: Organisation) -> None:
    html = ada.get(f"/admin/accounts/organisation/{council.pk}/change/").content.decode()
    assert "directorates-TOTAL_FORMS" in html


def test_it_has_no_directorates_for_a_supplier(ada: Client, bobs_building: Organisation) -> None:
    html = ada.get(f"/admin/accounts/organisation/{bobs_building.pk}/change/").content.decode()
    assert "directorates-TOTAL_FORMS" not in html


def test_it_offers_only_buyers_for_a_directorate_in_the_admin(
    ada: Client, bobs_building: Organisation
) -> None:
    response = ada.post(
        "/admin/accounts/directorate/add/",
        {
            "organisation": bobs_building.pk,
            "name": "Operations",
            "service_areas-TOTAL_FORMS": "0",
            "service_areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    assert not Directorate.objects.filter(name="Operations").exists()


def test_it_adds_service_areas_inline(ada: Client, council: Organisation) -> None:
    directorate = Directorate.objects.create(organisation=council, name="Resources")
    response = ada.post(
        f"/admin/accounts/directorate/{directorate.pk}/change/",
        {
            "organisation": council.pk,
            "name": "Resources",
            "service_areas-TOTAL_FORMS": "1",
            "service_areas-INITIAL_FORMS": "0",
            "service_areas-0-name": "Procurement",
            "service_areas-0-directorate": directorate.pk,
        },
    )
    assert response.status_code == 302
    assert list(directorate.service_areas.values_list("name", flat=True)) == ["Procurement"]


def test_it_shows_organisation_history(ada: Client, council: Organisation) -> None:
    response = ada.get(f"/admin/accounts/organisation/{council.pk}/history/")
    assert response.status_code == 200


def test_it_never_shows_a_token_hash(ada: Client, officer_alice: User) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    listing = ada.get("/admin/accounts/apitoken/").content.decode()
    detail = ada.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    for html in (listing, detail):
        assert "Contracts system" in html
        assert token.key_hash not in html
    assert f"{token.key_prefix}…" in listing
    assert 'name="name"' not in detail  # read-only


def test_it_does_not_let_anyone_add_or_delete_tokens_in_the_admin(
    ada: Client, officer_alice: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    assert ada.get("/admin/accounts/apitoken/add/").status_code == 403
    assert (
        ada.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_it_revokes_tokens_from_the_admin(
    ada: Client, officer_alice: User, supplier_bob: User
) -> None:
    alice_token, _ = api_token_create(user=officer_alice, name="Contracts system")
    bob_token, _ = api_token_create(user=supplier_bob, name="Bid tool")
    response = ada.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [alice_token.pk, bob_token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Revoked 2 API tokens." in response.content.decode()
    alice_token.refresh_from_db()
    bob_token.refresh_from_db()
    assert alice_token.revoked_at is not None
    assert bob_token.revoked_at is not None


# --- Suppliers' and partners' users: read-only ----------------------------------------------


@pytest.fixture
def partner_pat(db: None) -> User:
    from socialvalue.accounts.tests.factories import OrganisationFactory, UserFactory

    partner = OrganisationFactory.create(
        name="Community Futures Lancashire", kind=Organisation.Kind.PARTNER
    )
    return UserFactory.create(
        email="pat@communityfutures.example", role="partner", organisation=partner
    )


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_shows_a_suppliers_or_partners_user_read_only(
    request: pytest.FixtureRequest, client_as: ClientAs, admin_ada: User, root: User, who: str
) -> None:
    person: User = request.getfixturevalue(who)
    for client in (client_as(admin_ada), client_as(root)):
        page = client.get(f"/admin/accounts/user/{person.pk}/change/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="full_name"' not in html
        assert "/password/" not in html
        change = client.post(
            f"/admin/accounts/user/{person.pk}/change/",
            _change_data(person, full_name="Taken Over", email="evil@evil.example"),
        )
        assert change.status_code == 403
        for method in (client.get, client.post):
            password = method(
                f"/admin/accounts/user/{person.pk}/password/",
                {
                    "password1": "admin-chose-this-1",
                    "password2": "admin-chose-this-1",
                    "usable_password": "true",
                    "set-password": "1",
                },
            )
            assert password.status_code == 403
        delete = client.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"})
        assert delete.status_code == 403
    person.refresh_from_db()
    assert person.full_name != "Taken Over"
    assert person.check_password("correct-horse-battery")


def test_it_offers_no_bulk_delete_of_users(ada: Client, supplier_bob: User) -> None:
    response = ada.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [supplier_bob.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert User.objects.filter(pk=supplier_bob.pk).exists()


@pytest.mark.parametrize("kind", ["supplier", "partner"])
def test_it_refuses_to_add_a_user_to_a_supplier_or_partner(
    client_as: ClientAs, admin_ada: User, root: User, kind: str
) -> None:
    from socialvalue.accounts.tests.factories import OrganisationFactory

    organisation = OrganisationFactory.create(name="Somebody Ltd", kind=kind)
    for client in (client_as(admin_ada), client_as(root)):
        response = _add_user(
            client,
            organisation=organisation.pk,
            role=kind,
            usable_password="true",
            password1="admin-chose-this-1",
            password2="admin-chose-this-1",
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["organisation"]
    assert not User.objects.filter(organisation=organisation).exists()
    assert "Somebody Ltd" not in client_as(root).get("/admin/accounts/user/add/").content.decode()


def test_it_refuses_to_move_someone_into_a_supplier(
    ada: Client, officer_alice: User, bobs_building: Organisation
) -> None:
    data = _change_data(
        officer_alice, organisation=bobs_building.pk, role="supplier", service_area=""
    )
    response = ada.post(f"/admin/accounts/user/{officer_alice.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    officer_alice.refresh_from_db()
    assert officer_alice.organisation is not None
    assert officer_alice.organisation.name == "Lancashire County Council"


def test_it_keeps_an_organisations_kind_once_made(ada: Client, bobs_building: Organisation) -> None:
    response = ada.post(
        f"/admin/accounts/organisation/{bobs_building.pk}/change/",
        {
            "name": bobs_building.name,
            "slug": bobs_building.slug,
            "kind": "buyer",
            "size": "small",
            "postcode": "PR1 2HE",
            "website": "",
            "companies_house_number": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    bobs_building.refresh_from_db()
    assert bobs_building.kind == "supplier"


# --- Inviting the first user ----------------------------------------------------------------


def test_it_lets_a_platform_administrator_invite_a_suppliers_first_user(
    ada: Client, admin_ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from socialvalue.accounts.models import Invitation
    from socialvalue.accounts.tests.factories import OrganisationFactory

    haulage = OrganisationFactory.create(name="Hyndburn Haulage Ltd", kind="supplier")
    change = ada.get(f"/admin/accounts/organisation/{haulage.pk}/change/").content.decode()
    url = f"/admin/accounts/organisation/{haulage.pk}/invite-first-user/"
    assert f'href="{url}"' in change
    form = ada.get(url)
    assert form.status_code == 200
    assert 'name="password' not in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ada.post(url, {"email": "hal@haulage.example", "role": "supplier"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.invited_by, invitation.first_user) == (
        haulage,
        admin_ada,
        True,
    )
    assert mail.outbox[0].to == ["hal@haulage.example"]


def test_it_turns_the_first_user_invitation_away_once_there_are_users(
    ada: Client, supplier_bob: User, bobs_building: Organisation
) -> None:
    from socialvalue.accounts.models import Invitation

    url = f"/admin/accounts/organisation/{bobs_building.pk}/invite-first-user/"
    change = ada.get(f"/admin/accounts/organisation/{bobs_building.pk}/change/").content.decode()
    assert f'href="{url}"' not in change
    response = ada.post(url, {"email": "eve@evil.example", "role": "supplier"}, follow=True)
    assert "already has active users" in response.content.decode()
    assert not Invitation.objects.exists()


# --- Platform administration ---------------------------------------------------------------


def test_it_lets_a_superuser_make_someone_a_platform_administrator(
    client_as: ClientAs, root: User, evaluator_erin: User
) -> None:
    from socialvalue.accounts.models import SecurityEvent

    client = client_as(root)
    url = f"/admin/accounts/user/{evaluator_erin.pk}/change/"
    response = client.post(url, _change_data(evaluator_erin, platform_admin="on"))
    assert response.status_code == 302
    evaluator_erin = User.objects.get(pk=evaluator_erin.pk)
    assert evaluator_erin.is_staff is True
    assert evaluator_erin.has_perm("accounts.administer_platform")
    assert client_as(evaluator_erin).get("/admin/").status_code == 200
    client.post(url, _change_data(evaluator_erin))  # box unticked
    evaluator_erin = User.objects.get(pk=evaluator_erin.pk)
    assert evaluator_erin.is_staff is False
    assert not evaluator_erin.has_perm("accounts.administer_platform")
    kinds = SecurityEvent.objects.filter(subject=evaluator_erin, actor=root)
    assert sorted(kinds.values_list("kind", flat=True)) == [
        "platform_admin_granted",
        "platform_admin_removed",
    ]


def test_it_keeps_platform_administration_for_superusers_to_grant(
    ada: Client, evaluator_erin: User
) -> None:
    url = f"/admin/accounts/user/{evaluator_erin.pk}/change/"
    assert 'name="platform_admin"' not in ada.get(url).content.decode()
    ada.post(url, _change_data(evaluator_erin, platform_admin="on"))
    evaluator_erin = User.objects.get(pk=evaluator_erin.pk)
    assert not evaluator_erin.has_perm("accounts.administer_platform")
    assert evaluator_erin.is_staff is False


def test_it_keeps_one_platform_administrator_away_from_anothers_account(
    client_as: ClientAs, admin_ada: User
) -> None:
    other = User.objects.create_user("max@platform.example", "max-own-password-1", full_name="Max")
    from django.contrib.auth.models import Permission

    other.user_permissions.add(
        Permission.objects.get(codename="administer_platform", content_type__app_label="accounts")
    )
    ada = client_as(admin_ada)
    assert ada.post(f"/admin/accounts/user/{other.pk}/password/", {}).status_code == 403
    assert (
        ada.post(f"/admin/accounts/user/{other.pk}/change/", _change_data(other)).status_code == 403
    )


def test_it_ends_access_when_the_admin_deactivates_someone(
    client_as: ClientAs, ada: Client, officer_alice: User
) -> None:
    from socialvalue.accounts.models import SecurityEvent

    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    alice = client_as(officer_alice)
    data = _change_data(officer_alice)
    del data["is_active"]
    assert ada.post(f"/admin/accounts/user/{officer_alice.pk}/change/", data).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    User.objects.filter(pk=officer_alice.pk).update(is_active=True)
    assert alice.get("/account/").status_code == 302  # the old session has ended
    [event] = SecurityEvent.objects.filter(kind="user_deactivated")
    assert event.detail == {"tokens_revoked": 1}


def test_it_has_no_groups_page(ada: Client, root: User, client_as: ClientAs) -> None:
    assert client_as(root).get("/admin/auth/group/").status_code == 404


def test_it_lets_a_platform_administrator_lift_a_lockout(
    ada: Client, public_dave: Client, officer_alice: User
) -> None:
    from axes.models import AccessAttempt

    for _ in range(5):
        public_dave.post(
            "/account/sign-in/", {"username": "alice@lancashire.example", "password": "nope"}
        )
    attempt = AccessAttempt.objects.get()
    assert ada.get("/admin/axes/accessattempt/").status_code == 200
    response = ada.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    signed_in = public_dave.post(
        "/account/sign-in/",
        {"username": "alice@lancashire.example", "password": "correct-horse-battery"},
    )
    assert signed_in.status_code == 302


def test_it_answers_made_up_addresses_without_an_error(ada: Client) -> None:
    assert ada.get("/admin/accounts/organisation/abc/invite-first-user/").status_code == 404
    assert ada.get("/admin/accounts/organisation/999999/invite-first-user/").status_code == 404
    assert ada.get("/admin/accounts/user/abc/password/").status_code == 404
    assert ada.post("/admin/accounts/user/999999/password/", {}).status_code == 404
