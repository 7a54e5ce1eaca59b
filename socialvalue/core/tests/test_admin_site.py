"""Who may use the admin: superusers and the social value lead, nobody else."""

from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.services import user_create

ADMIN_PAGES = [
    "/admin/",
    "/admin/accounts/organisation/",
    "/admin/accounts/user/",
    "/admin/accounts/apitoken/",
]


def _cast(request: pytest.FixtureRequest, name: str) -> User:
    return request.getfixturevalue(name)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_it_lets_the_lead_in(
    client_as: Callable[[User | None], Client], lead_lucy: User, page: str
) -> None:
    response = client_as(lead_lucy).get(page)
    assert response.status_code == 200


def test_it_lets_a_lead_in_without_staff_status_once_signed_in(
    client_as: Callable[[User | None], Client], lead_lucy: User
) -> None:
    assert lead_lucy.is_staff is False
    response = client_as(lead_lucy).get("/admin/")
    assert response.status_code == 200
    assert "Lancashire Social Value administration" in response.content.decode()
    assert 'href="/admin/accounts/organisation/"' in response.content.decode()


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_it_lets_a_superuser_in(
    client_as: Callable[[User | None], Client], db: None, page: str
) -> None:
    root = User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root"
    )
    assert client_as(root).get(page).status_code == 200


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "supplier_bob", "officer_olga"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_it_keeps_everyone_else_out(
    client_as: Callable[[User | None], Client],
    request: pytest.FixtureRequest,
    who: str,
    page: str,
) -> None:
    response = client_as(_cast(request, who)).get(page)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_it_sends_anonymous_visitors_to_the_admin_sign_in(public_dave: Client, page: str) -> None:
    response = public_dave.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={page}"


def test_it_lets_a_lead_sign_in_on_the_admin_sign_in_page(
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
        {
            "username": "lena@lancashire.example",
            "password": "a-long-lead-password",
            "next": "/admin/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert public_dave.get("/admin/").status_code == 200


def test_it_turns_an_officer_away_from_the_admin_sign_in_page(
    public_dave: Client, council: Organisation
) -> None:
    user_create(
        email="otto@lancashire.example",
        full_name="Otto Officer",
        organisation=council,
        role="officer",
        password="a-long-officer-password",
    )
    response = public_dave.post(
        "/admin/login/",
        {"username": "otto@lancashire.example", "password": "a-long-officer-password"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in public_dave.session
