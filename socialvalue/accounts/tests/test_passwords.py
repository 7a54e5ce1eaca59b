import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from socialvalue.accounts.forms import (
    CURRENT_PASSWORD_WRONG,
    EMAIL_INVALID,
    EMAIL_REQUIRED,
    PASSWORDS_DIFFERENT,
)
from socialvalue.accounts.models import User
from socialvalue.conftest import PASSWORD

RESET = "/account/password-reset/"
NEW_PASSWORD = "a-brand-new-passphrase"

ClientAs = Callable[[User | None], Client]


def reset_link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/account/reset/[^/\s]+/[^/\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_it_emails_a_reset_link_in_plain_english(public_dave: Client, officer_alice: User) -> None:
    response = public_dave.post(RESET, {"email": "Alice@Lancashire.example"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@lancashire.example"]
    assert message.subject == "Reset your password for Lancashire Social Value"
    assert message.body.startswith("Hello Alice,\n\n")
    assert "your Lancashire Social Value account (alice@lancashire.example)" in message.body
    assert "The link works once, for 24 hours." in message.body
    assert "&#x27;" not in message.body
    reset_link(message)


def test_it_sets_a_new_password_from_the_link_and_signs_in_with_it(
    public_dave: Client, officer_alice: User
) -> None:
    public_dave.post(RESET, {"email": "alice@lancashire.example"})
    link = reset_link(mail.outbox[0])
    form_page = public_dave.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = public_dave.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/account/reset/done/"
    assert "Your password has been reset" in public_dave.get(done["Location"]).content.decode()

    signed_in = Client().post(
        "/account/sign-in/", {"username": "alice@lancashire.example", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/account/"
    old = Client().post(
        "/account/sign-in/", {"username": "alice@lancashire.example", "password": PASSWORD}
    )
    assert old.status_code == 200


def test_it_refuses_a_used_link(public_dave: Client, officer_alice: User) -> None:
    public_dave.post(RESET, {"email": "alice@lancashire.example"})
    link = reset_link(mail.outbox[0])
    form_page = public_dave.get(link, follow=True)
    public_dave.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_it_refuses_a_made_up_link(public_dave: Client, officer_alice: User) -> None:
    response = public_dave.get("/account/reset/MQ/abc-def/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This link does not work" in html
    assert 'href="/account/password-reset/"' in html


def test_it_checks_the_new_password(public_dave: Client, officer_alice: User) -> None:
    public_dave.post(RESET, {"email": "alice@lancashire.example"})
    form_page = public_dave.get(reset_link(mail.outbox[0]), follow=True)
    url = form_page.redirect_chain[-1][0]
    different = public_dave.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert PASSWORDS_DIFFERENT in different.content.decode()
    short = public_dave.post(url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in short.content.decode()
    assert "There is a problem" in short.content.decode()
    officer_alice.refresh_from_db()
    assert officer_alice.check_password(PASSWORD)


def test_it_shows_the_same_page_for_an_unknown_email_and_sends_nothing(
    public_dave: Client, officer_alice: User
) -> None:
    response = public_dave.post(RESET, {"email": "nobody@lancashire.example"}, follow=True)
    assert response.redirect_chain == [("/account/password-reset/sent/", 302)]
    html = response.content.decode()
    assert "Check your email" in html
    assert "If there is an account for the address you entered" in html
    assert mail.outbox == []


def test_it_sends_nothing_to_a_deactivated_account(
    public_dave: Client, officer_alice: User
) -> None:
    officer_alice.is_active = False
    officer_alice.save()
    response = public_dave.post(RESET, {"email": "alice@lancashire.example"})
    assert response["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


@pytest.mark.parametrize(("email", "message"), [("", EMAIL_REQUIRED), ("alice", EMAIL_INVALID)])
def test_it_asks_for_a_proper_email_address(
    public_dave: Client, db: None, email: str, message: str
) -> None:
    response = public_dave.post(RESET, {"email": email})
    assert response.status_code == 200
    assert f'<a href="#id_email">{message}</a>' in response.content.decode()
    assert mail.outbox == []


def test_it_lifts_a_lockout_once_the_password_is_reset(
    public_dave: Client, officer_alice: User
) -> None:
    for _ in range(5):
        public_dave.post(
            "/account/sign-in/", {"username": "alice@lancashire.example", "password": "guess"}
        )
    locked = Client().post(
        "/account/sign-in/", {"username": "alice@lancashire.example", "password": PASSWORD}
    )
    assert locked.status_code == 429
    public_dave.post(RESET, {"email": "alice@lancashire.example"})
    form_page = public_dave.get(reset_link(mail.outbox[0]), follow=True)
    public_dave.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = public_dave.post(
        "/account/sign-in/", {"username": "alice@lancashire.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_it_changes_the_password_of_someone_signed_in(
    client_as: ClientAs, officer_alice: User
) -> None:
    client = client_as(officer_alice)
    page = client.get("/account/change-password/")
    assert page.status_code == 200
    response = client.post(
        "/account/change-password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/account/change-password/done/"
    officer_alice.refresh_from_db()
    assert officer_alice.check_password(NEW_PASSWORD)
    # Still signed in after the change.
    assert client.get("/account/").status_code == 200


def test_it_refuses_a_password_change_with_the_wrong_current_password(
    client_as: ClientAs, officer_alice: User
) -> None:
    client = client_as(officer_alice)
    response = client.post(
        "/account/change-password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert f'<a href="#id_old_password">{CURRENT_PASSWORD_WRONG}</a>' in response.content.decode()
    officer_alice.refresh_from_db()
    assert officer_alice.check_password(PASSWORD)


@pytest.mark.parametrize("page", ["/account/change-password/", "/account/change-password/done/"])
def test_it_needs_sign_in_to_change_a_password(public_dave: Client, page: str) -> None:
    response = public_dave.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={page}"
