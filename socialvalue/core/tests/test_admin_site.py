"""Who may use the admin: platform administrators (superusers and holders of the
``accounts.administer_platform`` permission), nobody else, whatever their role."""

from collections.abc import Callable, Iterator

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.services import user_create
from socialvalue.core.admin_site import is_platform_admin

ClientAs = Callable[[User | None], Client]
NOT_ADMINS = ["lead_lucy", "lead_bella", "officer_alice", "supplier_bob"]


def _every_admin_url(user_pk: int) -> Iterator[tuple[str, bool]]:
    """Every URL family of the admin, each with whether it takes a POST that changes
    something: the index, each app, each model's changelist, add, change, delete and
    history pages, a user's password page and the first-user invitation."""
    yield reverse("admin:index"), False
    for app in _app_labels():
        yield reverse("admin:app_list", args=[app]), False
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{base}_changelist"), True  # actions are posted here
        yield reverse(f"{base}_add"), True
        yield reverse(f"{base}_change", args=[1]), True
        yield reverse(f"{base}_delete", args=[1]), True
        yield reverse(f"{base}_history", args=[1]), False
    yield reverse("admin:auth_user_password_change", args=[user_pk]), True
    yield reverse("admin:accounts_organisation_invite_first_user", args=[1]), True


def _app_labels() -> set[str]:
    return {model._meta.app_label for model in admin.site._registry}


def test_it_covers_every_app_with_a_model_admin() -> None:
    assert _app_labels() >= {
        "accounts",
        "framework",
        "needs",
        "partners",
        "procurement",
        "contracts",
        "stories",
        "engagement",
        "site",
    }


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_it_refuses_every_admin_url_to_anyone_who_is_not_a_platform_administrator(
    client_as: ClientAs, request: pytest.FixtureRequest, officer_alice: User, who: str
) -> None:
    person: User = request.getfixturevalue(who)
    client = client_as(person)
    for url, posts in _every_admin_url(officer_alice.pk):
        responses = [client.get(url)]
        if posts:
            responses.append(client.post(url, {"post": "yes", "password1": "x-y-z-1-2-3"}))
        for response in responses:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/"), url
    officer_alice.refresh_from_db()
    assert officer_alice.check_password("correct-horse-battery")


@pytest.mark.parametrize("who", [*NOT_ADMINS, "evaluator_erin", "officer_olga"])
def test_it_does_not_count_anyone_as_a_platform_administrator_for_a_role(
    request: pytest.FixtureRequest, who: str
) -> None:
    person: User = request.getfixturevalue(who)
    assert is_platform_admin(person) is False
    assert person.is_staff is False


def test_it_lets_a_platform_administrator_use_every_model(
    client_as: ClientAs, admin_ada: User, officer_alice: User, toms: object
) -> None:
    client = client_as(admin_ada)
    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.get(reverse(f"{base}_changelist")).status_code == 200, opts.label
        # Read-only records refuse the add page (403) rather than sending Ada to sign in.
        assert client.get(reverse(f"{base}_add")).status_code in (200, 403), opts.label
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        for family in ("change", "history"):
            url = reverse(f"{base}_{family}", args=[record.pk])
            assert client.get(url).status_code == 200, url
    user_page = reverse("admin:accounts_user_change", args=[officer_alice.pk])
    assert client.get(user_page).status_code == 200
    password = reverse("admin:auth_user_password_change", args=[officer_alice.pk])
    assert client.get(password).status_code == 200


def test_it_lets_a_superuser_in(client_as: ClientAs, db: None) -> None:
    root = User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root"
    )
    assert is_platform_admin(root)
    assert client_as(root).get("/admin/").status_code == 200


def test_it_keeps_a_deactivated_platform_administrator_out(
    client_as: ClientAs, admin_ada: User
) -> None:
    client = client_as(admin_ada)
    User.objects.filter(pk=admin_ada.pk).update(is_active=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lets_a_permission_holder_in_through_a_group(
    client_as: ClientAs, officer_alice: User
) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Platform")
    group.permissions.add(
        Permission.objects.get(codename="administer_platform", content_type__app_label="accounts")
    )
    officer_alice.groups.add(group)
    assert client_as(User.objects.get(pk=officer_alice.pk)).get("/admin/").status_code == 200


def test_it_sends_anonymous_visitors_to_the_admin_sign_in(public_dave: Client) -> None:
    response = public_dave.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/accounts/user/"


def test_it_turns_a_lead_away_from_the_admin_sign_in_page(
    public_dave: Client, council: Organisation
) -> None:
    user_create(
        email="lena@lancashire.example",
        full_name="Lena Lead",
        organisation=council,
        role="lead",
        password="a-long-lead-password",
    )
    response = public_dave.post(
        "/admin/login/?next=/admin/",
        {"username": "lena@lancashire.example", "password": "a-long-lead-password"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in public_dave.session


def test_it_lets_a_platform_administrator_sign_in_on_the_admin_sign_in_page(
    public_dave: Client, admin_ada: User
) -> None:
    response = public_dave.post(
        "/admin/login/?next=/admin/",
        {
            "username": "ada@platform.example",
            "password": "correct-horse-battery",
            "next": "/admin/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert public_dave.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [("lead_lucy", False), ("officer_alice", False), ("admin_ada", True)],
)
def test_it_links_to_the_admin_only_for_platform_administrators(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, sees_link: bool
) -> None:
    html = client_as(request.getfixturevalue(who)).get("/account/").content.decode()
    assert ('href="/admin/"' in html) is sees_link
