from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import ApiToken, User
from socialvalue.accounts.services import api_token_create, api_token_revoke

ME = "/api/v1/me"
UNAUTHORISED = {
    "detail": [{"loc": ["header", "Authorization"], "msg": "A valid bearer token is required."}]
}


def test_it_tells_a_token_holder_who_they_are(public_dave: Client, supplier_bob: User) -> None:
    token, raw = api_token_create(user=supplier_bob, name="Bid tool")
    response = public_dave.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == {
        "email": "bob@bobsbuilding.example",
        "full_name": "Bob Builder",
        "role": "supplier",
        "organisation": "Bob's Building Ltd",
    }
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_tells_a_signed_in_browser_who_it_is(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    response = client_as(officer_alice).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == "alice@lancashire.example"
    assert response.json()["role"] == "officer"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ", "Bearer sv_not-a-real-token", "Bearer garbage", "Token abc", "Basic xyz"],
)
def test_it_refuses_without_a_valid_token(public_dave: Client, db: None, header: str) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = public_dave.get(ME, headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == UNAUTHORISED


def test_it_refuses_a_revoked_token(public_dave: Client, supplier_bob: User) -> None:
    token, raw = api_token_create(user=supplier_bob, name="Bid tool")
    api_token_revoke(token=token, by=supplier_bob)
    response = public_dave.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == UNAUTHORISED


def test_it_refuses_the_token_of_a_deactivated_user(
    public_dave: Client, supplier_bob: User
) -> None:
    _, raw = api_token_create(user=supplier_bob, name="Bid tool")
    supplier_bob.is_active = False
    supplier_bob.save()
    assert public_dave.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_refuses_the_stored_hash_used_as_a_token(
    public_dave: Client, supplier_bob: User
) -> None:
    token, _ = api_token_create(user=supplier_bob, name="Bid tool")
    stored = ApiToken.objects.get(pk=token.pk)
    response = public_dave.get(ME, HTTP_AUTHORIZATION=f"Bearer {stored.key_hash}")
    assert response.status_code == 401


SUBMIT = "/api/v1/returns/1/submit"


def test_it_asks_a_caller_without_credentials_for_a_token_on_a_change(
    public_dave: Client, db: None
) -> None:
    response = public_dave.post(SUBMIT, data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == UNAUTHORISED


def test_it_still_refuses_a_browser_change_without_its_csrf_token(supplier_bob: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(supplier_bob)
    response = browser.post(SUBMIT, data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": [{"loc": [], "msg": "CSRF check Failed"}]}


def test_it_accepts_a_token_on_a_change_without_any_csrf_token(supplier_bob: User) -> None:
    _, raw = api_token_create(user=supplier_bob, name="Returns tool")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        SUBMIT, data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 404  # authenticated: there is no such return of Bob's
