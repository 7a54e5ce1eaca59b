"""The lessons-learned feedback form and its spam protection."""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialvalue.conftest import Clock
from socialvalue.site import spam
from socialvalue.site.forms import ERR_EMAIL_INVALID, ERR_FEEDBACK_EMPTY, ERR_ROLE_REQUIRED
from socialvalue.site.models import Feedback
from socialvalue.site.views.feedback import MSG_NOT_SENT

pytestmark = pytest.mark.django_db


def answers(**overrides: Any) -> dict[str, Any]:
    """A genuine submission, sent a minute after the form was shown."""
    data = {
        "role": "supplier",
        "went_well": "The briefing was clear.",
        "could_be_better": "The template was hard to find.",
        "suggestion": "",
        "name": "Faye",
        "email": "faye@example.org",
        "organisation": "Fylde Coast Facilities Group",
        "website": "",
        "started": spam.form_token(issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_with_a_hidden_honeypot_and_a_signed_time(public_dave: Client) -> None:
    html = public_dave.get("/feedback/").content.decode()

    honeypot = re.search(r'<div class="app-hp" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot is not None
    assert '<label for="feedback-website">Leave this field empty</label>' in honeypot.group(1)
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in honeypot.group(1)
    token = re.search(r'<input type="hidden" name="started" value="([^"]+)">', html)
    assert token is not None
    assert spam.token_problem(token.group(1), now=time.time() + 5) is None
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Who are you?' in html


def test_it_saves_genuine_feedback_and_thanks_the_sender(public_dave: Client) -> None:
    response = public_dave.post("/feedback/", answers())

    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert feedback.role == "supplier"
    assert feedback.went_well == "The briefing was clear."
    assert feedback.could_be_better == "The template was hard to find."
    assert feedback.organisation == "Fylde Coast Facilities Group"
    assert feedback.status == Feedback.Status.NEW
    html = public_dave.get("/feedback/thanks/").content.decode()
    assert '<h1 class="govuk-panel__title">Feedback sent</h1>' in html


def test_it_accepts_feedback_without_a_name_or_email(public_dave: Client) -> None:
    data = answers(name="", email="", organisation="", went_well="", could_be_better="")
    data["suggestion"] = "More lunch and learn sessions."

    assert public_dave.post("/feedback/", data).status_code == 302
    assert Feedback.objects.get().suggestion == "More lunch and learn sessions."


def test_it_explains_what_is_missing_and_saves_nothing(public_dave: Client) -> None:
    data = answers(role="", went_well="", could_be_better="", email="not-an-email")

    response = public_dave.post("/feedback/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    assert "<title>Error: " in html
    assert f'<a href="#id_role_0">{ERR_ROLE_REQUIRED}</a>' in html
    assert f'<a href="#id_went_well">{ERR_FEEDBACK_EMPTY}</a>' in html
    assert f'<a href="#id_email">{ERR_EMAIL_INVALID}</a>' in html
    assert "govuk-textarea--error" in html


def _token_seconds_ago(seconds: float) -> str:
    return spam.form_token(issued_at=time.time() - seconds)


@pytest.mark.parametrize(
    "spammy",
    [
        lambda: {"website": "https://cheap-pills.example"},
        lambda: {"started": _token_seconds_ago(0)},
        lambda: {"started": _token_seconds_ago(2 * 24 * 60 * 60)},
        lambda: {"started": "made-up-token"},
        lambda: {"started": ""},
    ],
    ids=["honeypot filled", "sent at once", "two days old", "forged time", "no time"],
)
def test_it_refuses_spam_neutrally_and_saves_nothing(
    public_dave: Client, spammy: Callable[[], dict[str, str]]
) -> None:
    response = public_dave.post("/feedback/", answers(**spammy()))

    html = response.content.decode()
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    assert MSG_NOT_SENT in html
    # The answers are kept, the honeypot is emptied and a fresh time is given.
    assert "The template was hard to find." in html
    assert 'name="website" value=""' in html
    assert "cheap-pills" not in html


def test_it_accepts_five_pieces_of_feedback_an_hour_from_one_address(
    public_dave: Client, clock: Clock
) -> None:
    for number in range(1, 6):
        response = public_dave.post("/feedback/", answers(suggestion=f"Idea {number}"))
        assert response.status_code == 302

    sixth = public_dave.post("/feedback/", answers(suggestion="Idea 6"))

    assert sixth.status_code == 429
    assert int(sixth["Retry-After"]) == 60 * 60
    assert "Too many attempts. Try again in 60 minutes." in sixth.content.decode()
    assert Feedback.objects.count() == 5
    assert not Feedback.objects.filter(suggestion="Idea 6").exists()
    other_address = public_dave.post(
        "/feedback/", answers(suggestion="Idea 7"), REMOTE_ADDR="192.0.2.7"
    )
    assert other_address.status_code == 302
    clock.advance(60 * 60)
    assert public_dave.post("/feedback/", answers(suggestion="Idea 8")).status_code == 302


def test_it_does_not_count_refused_or_invalid_submissions(public_dave: Client) -> None:
    for _ in range(6):
        public_dave.post("/feedback/", answers(role=""))
        public_dave.post("/feedback/", answers(website="spam"))

    assert public_dave.post("/feedback/", answers()).status_code == 302


def test_it_judges_the_form_time() -> None:
    now = 1_800_000_000.0
    token = spam.form_token(issued_at=now)

    assert spam.token_problem(token, now=now + 2.9) == spam.TOO_FAST
    assert spam.token_problem(token, now=now + 3) is None
    assert spam.token_problem(token, now=now + 24 * 60 * 60) is None
    assert spam.token_problem(token, now=now + 24 * 60 * 60 + 1) == spam.EXPIRED
    assert spam.token_problem(token + "x", now=now + 10) == spam.FORGED
