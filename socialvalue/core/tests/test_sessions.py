"""Signed-in sessions end after a time without activity, and at most hours after signing in.

Time is moved with the ``clock`` fixture (no sleeping). The defaults: 120 minutes idle, a
12-hour session.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client

from socialvalue.accounts.models import ApiToken, User
from socialvalue.accounts.services import api_token_create
from socialvalue.conftest import PASSWORD, Clock
from socialvalue.core.middleware import (
    LAST_ACTIVITY,
    MSG_SIGNED_OUT_IDLE,
    MSG_SIGNED_OUT_MAX_AGE,
    SIGNED_IN_AT,
)

MINUTE = 60
IDLE_NOTICE = "You were signed out after 120 minutes without activity."
MAX_AGE_NOTICE = "You were signed out because you signed in more than 12 hours ago."


def signed_in(user: User) -> Client:
    """A browser that has just signed in as ``user`` through the sign-in form."""
    browser = Client()
    response = browser.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_its_notices_say_how_long() -> None:
    assert MSG_SIGNED_OUT_IDLE.format(minutes=120) == IDLE_NOTICE
    assert MSG_SIGNED_OUT_MAX_AGE.format(hours=12) == MAX_AGE_NOTICE


def test_it_keeps_a_session_that_is_used_within_the_idle_time(
    clock: Clock, officer_alice: User
) -> None:
    browser = signed_in(officer_alice)
    for _ in range(5):
        clock.advance(119 * MINUTE)
        assert browser.get("/account/profile/").status_code == 200


def test_it_signs_out_after_the_idle_time_and_says_why(clock: Clock, officer_alice: User) -> None:
    browser = signed_in(officer_alice)
    session_key = browser.session.session_key
    clock.advance(120 * MINUTE + 1)

    response = browser.get("/account/profile/?tab=tokens")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/profile/%3Ftab%3Dtokens"
    assert not Session.objects.filter(session_key=session_key).exists()
    page = browser.get(response["Location"])
    html = page.content.decode()
    assert page.context["user"].is_anonymous
    assert '<div class="govuk-notification-banner" role="region"' in html
    assert f'<p class="govuk-notification-banner__heading">{IDLE_NOTICE}</p>' in html


def test_it_serves_the_sign_in_page_itself_with_the_notice(
    clock: Clock, officer_alice: User
) -> None:
    browser = signed_in(officer_alice)
    clock.advance(121 * MINUTE)

    response = browser.get("/account/sign-in/")

    assert response.status_code == 200
    assert response.context["user"].is_anonymous
    assert [str(m) for m in get_messages(response.wsgi_request)] == [IDLE_NOTICE]


def test_it_signs_out_after_twelve_hours_however_active(clock: Clock, officer_alice: User) -> None:
    browser = signed_in(officer_alice)
    for _ in range(12):
        clock.advance(60 * MINUTE)
        assert browser.get("/account/").status_code == 200

    clock.advance(1)
    response = browser.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/"
    html = browser.get(response["Location"]).content.decode()
    assert MAX_AGE_NOTICE in html


def test_it_restarts_the_clocks_when_someone_signs_in_again(
    clock: Clock, officer_alice: User
) -> None:
    browser = signed_in(officer_alice)
    clock.advance(3 * 60 * MINUTE)
    browser.post("/account/sign-in/", {"username": officer_alice.email, "password": PASSWORD})

    assert browser.session[SIGNED_IN_AT] == clock.now
    assert browser.session[LAST_ACTIVITY] == clock.now


def test_it_writes_the_last_activity_at_most_once_a_minute(
    clock: Clock, officer_alice: User
) -> None:
    browser = signed_in(officer_alice)
    started = clock.now
    clock.advance(59)
    browser.get("/account/")
    assert browser.session[LAST_ACTIVITY] == started
    clock.advance(1)
    browser.get("/account/")
    assert browser.session[LAST_ACTIVITY] == started + 60


def test_it_starts_the_clocks_of_a_session_from_before_the_limits(
    clock: Clock, officer_alice: User
) -> None:
    browser = signed_in(officer_alice)
    session = browser.session
    del session[SIGNED_IN_AT]
    del session[LAST_ACTIVITY]
    session.save()

    assert browser.get("/account/").status_code == 200
    assert browser.session[SIGNED_IN_AT] == clock.now
    assert browser.session[LAST_ACTIVITY] == clock.now


def test_it_tells_htmx_to_go_to_the_sign_in_page(clock: Clock, officer_alice: User) -> None:
    browser = signed_in(officer_alice)
    clock.advance(121 * MINUTE)

    response = browser.post("/calculator/", {"NT1": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/account/sign-in/"
    assert SESSION_KEY not in browser.session


def test_it_answers_the_api_as_signed_out(clock: Clock, officer_alice: User) -> None:
    browser = signed_in(officer_alice)
    assert browser.get("/api/v1/me").status_code == 200
    clock.advance(121 * MINUTE)

    response = browser.get("/api/v1/me")

    assert response.status_code == 401
    assert SESSION_KEY not in browser.session


def test_it_leaves_api_tokens_alone(clock: Clock, officer_alice: User) -> None:
    _, raw = api_token_create(user=officer_alice, name="Reporting")
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert caller.get("/api/v1/me").status_code == 200
    clock.advance(13 * 60 * MINUTE)

    assert caller.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get().is_active


@pytest.mark.django_db
def test_it_does_not_touch_the_session_of_someone_not_signed_in(public_dave: Client) -> None:
    response = public_dave.get("/api/v1/frameworks")

    assert "Cookie" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies


def test_it_signs_out_on_the_server_not_just_in_the_browser(officer_alice: User) -> None:
    browser = signed_in(officer_alice)
    session_key = browser.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()

    response = browser.post("/account/sign-out/")

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    # Replaying the old cookie does not sign anyone in.
    replay = Client()
    replay.cookies["sessionid"] = session_key
    assert replay.get("/account/").status_code == 302


def test_the_session_cookie_lasts_as_long_as_the_browser(officer_alice: User) -> None:
    response = Client().post(
        "/account/sign-in/", {"username": officer_alice.email, "password": PASSWORD}
    )

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
