"""Ending sessions: "Sign out of every device", and a new password ending the others."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.accounts.services import api_token_create, user_sessions_end
from socialvalue.accounts.views import MSG_SIGNED_OUT_EVERYWHERE
from socialvalue.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase"
EVERYWHERE = "/account/profile/sign-out-everywhere/"


def signed_in(user: User, password: str = PASSWORD) -> Client:
    """A browser (a device) that has signed in as ``user`` through the sign-in form."""
    browser = Client()
    response = browser.post("/account/sign-in/", {"username": user.email, "password": password})
    assert response.status_code == 302
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get("/account/").status_code == 200


def test_it_offers_to_sign_out_of_every_device_on_the_profile(officer_alice: User) -> None:
    html = signed_in(officer_alice).get("/account/profile/").content.decode()

    assert f'<form method="post" action="{EVERYWHERE}" novalidate>' in html
    assert ">Sign out of every device</button>" in html
    assert "signed out automatically after 120 minutes without activity, and 12 hours" in html


def test_it_signs_out_of_every_device_including_this_one(
    officer_alice: User, supplier_bob: User
) -> None:
    laptop, phone = signed_in(officer_alice), signed_in(officer_alice)
    someone_else = signed_in(supplier_bob)

    response = laptop.post(EVERYWHERE)

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/"
    html = laptop.get(response["Location"]).content.decode()
    assert MSG_SIGNED_OUT_EVERYWHERE in html
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert SESSION_KEY not in phone.session
    assert is_signed_in(someone_else)
    # Signing in again works, and only the new session counts.
    again = signed_in(officer_alice)
    assert is_signed_in(again)
    assert not is_signed_in(phone)


def test_it_keeps_api_tokens_working_after_signing_out_everywhere(officer_alice: User) -> None:
    _, raw = api_token_create(user=officer_alice, name="Reporting")
    signed_in(officer_alice).post(EVERYWHERE)

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")

    assert response.status_code == 200


def test_it_only_signs_out_everywhere_on_a_post(officer_alice: User) -> None:
    browser = signed_in(officer_alice)

    assert browser.get(EVERYWHERE).status_code == 405
    assert is_signed_in(browser)


def test_it_asks_someone_not_signed_in_to_sign_in(public_dave: Client) -> None:
    response = public_dave.post(EVERYWHERE)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_it_raises_the_session_generation_and_keeps_the_password(officer_alice: User) -> None:
    before = officer_alice.get_session_auth_hash()
    password = officer_alice.password

    user_sessions_end(user=officer_alice)
    user_sessions_end(user=officer_alice)

    officer_alice.refresh_from_db()
    assert officer_alice.session_generation == 2
    assert officer_alice.password == password
    assert officer_alice.get_session_auth_hash() != before
    assert officer_alice.check_password(PASSWORD)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(officer_alice: User) -> None:
    laptop, phone = signed_in(officer_alice), signed_in(officer_alice)

    response = laptop.post(
        "/account/change-password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_a_password_reset_ends_every_session(officer_alice: User) -> None:
    laptop = signed_in(officer_alice)
    helper = Client()
    helper.post("/account/password-reset/", {"email": officer_alice.email})
    link = re.search(r"http://testserver(/account/reset/\S+/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form = helper.get(link.group(1), follow=True)

    helper.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert not is_signed_in(laptop)
    assert is_signed_in(signed_in(officer_alice, NEW_PASSWORD))
