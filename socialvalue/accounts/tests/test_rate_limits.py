"""Rate limits on signing in and on asking for a password reset link.

Defaults: 30 failed sign-ins per client address in 15 minutes; 10 reset requests per client
address and 3 per email address in an hour.
"""

import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.conftest import PASSWORD, Clock

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
RESET = "/account/password-reset/"


def sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(SIGN_IN, {"username": email, "password": password}, **extra)


def test_it_refuses_the_31st_failed_sign_in_from_one_address_in_15_minutes(
    public_dave: Client, clock: Clock, officer_alice: User
) -> None:
    # Thirty guesses over thirty accounts from thirty browsers: django-axes locks an account,
    # or an address and browser together, after 5 failures, so it would not stop these.
    for number in range(30):
        response = sign_in(
            public_dave,
            f"guess{number}@example.org",
            "wrong-password",
            HTTP_USER_AGENT=f"Browser {number}",
        )
        assert response.status_code == 200
    attempts = AccessAttempt.objects.count()

    refused = sign_in(public_dave, officer_alice.email, PASSWORD)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert "Too many attempts. Try again in 15 minutes." in refused.content.decode()
    assert SESSION_KEY not in public_dave.session
    assert AccessAttempt.objects.count() == attempts
    # Another address is not held back, and after 15 minutes neither is this one.
    elsewhere = sign_in(Client(), officer_alice.email, PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302
    clock.advance(15 * 60)
    assert sign_in(public_dave, officer_alice.email, PASSWORD).status_code == 302


def test_it_does_not_count_successful_sign_ins(clock: Clock, officer_alice: User) -> None:
    # An office full of people behind one address signs in every morning.
    for _ in range(40):
        assert sign_in(Client(), officer_alice.email, PASSWORD).status_code == 302


def test_it_refuses_the_11th_reset_request_from_one_address_in_an_hour(
    public_dave: Client, clock: Clock, officer_alice: User
) -> None:
    for number in range(9):
        assert public_dave.post(RESET, {"email": f"someone{number}@example.org"}).status_code == 302
    assert public_dave.post(RESET, {"email": officer_alice.email}).status_code == 302
    assert len(mail.outbox) == 1

    refused = public_dave.post(RESET, {"email": officer_alice.email})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many attempts. Try again in 60 minutes." in refused.content.decode()
    assert len(mail.outbox) == 1


def test_it_refuses_the_4th_reset_request_for_one_email_in_an_hour_from_anywhere(
    clock: Clock, officer_alice: User
) -> None:
    for number in range(3):
        response = Client().post(
            RESET, {"email": officer_alice.email}, REMOTE_ADDR=f"192.0.2.{number + 1}"
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 3

    refused = Client().post(RESET, {"email": " Alice@Lancashire.EXAMPLE "}, REMOTE_ADDR="192.0.2.9")

    assert refused.status_code == 429
    assert len(mail.outbox) == 3
    # Another person's address is not held back by Alice's.
    other = Client().post(RESET, {"email": "bob@example.org"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_it_answers_the_same_whether_or_not_the_email_has_an_account(
    clock: Clock, officer_alice: User
) -> None:
    answers = {}
    for email in (officer_alice.email, "nobody@example.org"):
        for _ in range(3):
            Client().post(RESET, {"email": email}, REMOTE_ADDR="192.0.2.1")
        refused = Client().post(RESET, {"email": email}, REMOTE_ADDR="192.0.2.2")
        main = re.search(r"<main.*</main>", refused.content.decode(), re.S)
        assert main is not None
        answers[email] = (refused.status_code, refused["Retry-After"], main.group(0))

    assert answers[officer_alice.email] == answers["nobody@example.org"]
    assert answers["nobody@example.org"][0] == 429


def test_it_does_not_count_a_reset_request_with_a_mistake(
    public_dave: Client, clock: Clock
) -> None:
    for _ in range(12):
        assert public_dave.post(RESET, {"email": "not an email"}).status_code == 200

    assert public_dave.post(RESET, {"email": "someone@example.org"}).status_code == 302
