from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.forms import EMAIL_REQUIRED, PASSWORD_REQUIRED, SIGN_IN_FAILED
from socialvalue.accounts.models import User
from socialvalue.conftest import PASSWORD

SIGN_IN = "/account/sign-in/"

ClientAs = Callable[[User | None], Client]


def sign_in(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def test_it_shows_the_sign_in_page_with_a_reset_link(public_dave: Client) -> None:
    response = public_dave.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in html
    assert 'href="/account/password-reset/"' in html
    assert "Forgot your password?" in html
    assert 'type="email"' in html
    assert 'autocomplete="current-password"' in html


def test_it_signs_in_and_goes_to_the_dashboard(public_dave: Client, officer_alice: User) -> None:
    response = sign_in(public_dave, "alice@lancashire.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert public_dave.get("/account/").context["user"] == officer_alice


def test_it_accepts_the_email_in_any_case(public_dave: Client, officer_alice: User) -> None:
    response = sign_in(public_dave, "  Alice@Lancashire.EXAMPLE ", PASSWORD)
    assert response.status_code == 302


def test_it_goes_back_to_the_page_that_asked_for_sign_in(
    public_dave: Client, officer_alice: User
) -> None:
    response = sign_in(public_dave, "alice@lancashire.example", PASSWORD, next="/account/profile/")
    assert response["Location"] == "/account/profile/"


def test_it_ignores_a_next_address_on_another_site(
    public_dave: Client, officer_alice: User
) -> None:
    response = sign_in(
        public_dave, "alice@lancashire.example", PASSWORD, next="https://evil.example/"
    )
    assert response["Location"] == "/account/"


def test_it_sends_someone_already_signed_in_to_the_dashboard(
    client_as: ClientAs, officer_alice: User
) -> None:
    client = client_as(officer_alice)
    response = client.get(SIGN_IN)
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_it_says_the_details_are_wrong_after_a_wrong_password(
    public_dave: Client, officer_alice: User
) -> None:
    response = sign_in(public_dave, "alice@lancashire.example", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"<li>{SIGN_IN_FAILED}</li>" in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in public_dave.session


def test_it_says_the_same_for_an_email_with_no_account(public_dave: Client, db: None) -> None:
    response = sign_in(public_dave, "nobody@example.org", "whatever-password")
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.content.decode()


def test_it_says_the_same_for_a_deactivated_account(
    public_dave: Client, officer_alice: User
) -> None:
    officer_alice.is_active = False
    officer_alice.save()
    response = sign_in(public_dave, "alice@lancashire.example", PASSWORD)
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.content.decode()


def test_it_asks_for_both_fields(public_dave: Client, db: None) -> None:
    response = sign_in(public_dave, "", "")
    html = response.content.decode()
    assert f'<a href="#id_username">{EMAIL_REQUIRED}</a>' in html
    assert f'<a href="#id_password">{PASSWORD_REQUIRED}</a>' in html
    assert "govuk-input--error" in html
    assert 'aria-describedby="id_username-error"' in html


def test_it_locks_the_account_after_five_failures(public_dave: Client, officer_alice: User) -> None:
    for _ in range(4):
        assert sign_in(public_dave, "alice@lancashire.example", "wrong-guess").status_code == 200
    fifth = sign_in(public_dave, "alice@lancashire.example", "wrong-guess")
    assert fifth.status_code == 429
    response = sign_in(public_dave, "alice@lancashire.example", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Your account is locked" in html
    assert "Your account is locked for 30 minutes after 5 failed attempts" in html
    assert 'href="/account/password-reset/"' in html
    assert "_auth_user_id" not in public_dave.session


def test_it_locks_the_account_for_a_different_browser_too(
    public_dave: Client, officer_alice: User
) -> None:
    for _ in range(5):
        sign_in(public_dave, "alice@lancashire.example", "wrong-guess")
    other_browser = Client(HTTP_USER_AGENT="Other browser", REMOTE_ADDR="10.0.0.9")
    response = sign_in(other_browser, "alice@lancashire.example", PASSWORD)
    assert response.status_code == 429


def test_it_does_not_lock_a_colleague_on_another_browser_at_the_same_address(
    public_dave: Client, officer_alice: User, evaluator_erin: User
) -> None:
    for _ in range(5):
        sign_in(public_dave, "alice@lancashire.example", "wrong-guess")
    colleague = Client(HTTP_USER_AGENT="Colleague's browser")
    response = sign_in(colleague, "erin@lancashire.example", PASSWORD)
    assert response.status_code == 302


def test_it_forgets_earlier_failures_after_a_successful_sign_in(
    public_dave: Client, officer_alice: User
) -> None:
    for _ in range(4):
        sign_in(public_dave, "alice@lancashire.example", "wrong-guess")
    assert sign_in(public_dave, "alice@lancashire.example", PASSWORD).status_code == 302
    public_dave.post("/account/sign-out/")
    for _ in range(4):
        assert sign_in(public_dave, "alice@lancashire.example", "wrong-guess").status_code == 200
    assert sign_in(public_dave, "alice@lancashire.example", PASSWORD).status_code == 302


def test_it_signs_out_with_a_post(client_as: ClientAs, officer_alice: User) -> None:
    client = client_as(officer_alice)
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == reverse("site:home")
    assert "_auth_user_id" not in client.session


def test_it_does_not_sign_out_with_a_get(client_as: ClientAs, officer_alice: User) -> None:
    client = client_as(officer_alice)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.session["_auth_user_id"] == str(officer_alice.pk)


def test_it_needs_the_csrf_token_to_sign_out(officer_alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_alice)
    assert client.post("/account/sign-out/").status_code == 403
    assert client.session["_auth_user_id"] == str(officer_alice.pk)


@pytest.mark.parametrize("page", ["/account/", "/account/profile/"])
def test_it_offers_a_sign_out_button(client_as: ClientAs, officer_alice: User, page: str) -> None:
    html = client_as(officer_alice).get(page).content.decode()
    assert 'action="/account/sign-out/"' in html
