"""The rate limit helper and how it finds the client's address."""

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from socialvalue.conftest import Clock
from socialvalue.core.env import parse_rate
from socialvalue.core.ratelimit import (
    client_address,
    client_key,
    rate_limit_count,
    rate_limit_refusal,
    rate_limit_wait,
    wait_text,
)

FEEDBACK = (3, 600)  # 3 in 10 minutes


@pytest.fixture(autouse=True)
def _rules(settings: Any) -> None:
    settings.RATE_LIMITS = {"feedback": FEEDBACK, "other": (1, 60)}


def test_it_lets_attempts_through_up_to_the_limit(clock: Clock) -> None:
    for _ in range(3):
        assert rate_limit_wait(("feedback", "192.0.2.1")) is None
        rate_limit_count(("feedback", "192.0.2.1"))

    assert rate_limit_wait(("feedback", "192.0.2.1")) == 600


def test_it_counts_the_window_from_the_first_attempt(clock: Clock) -> None:
    rate_limit_count(("feedback", "192.0.2.1"))
    clock.advance(300)
    rate_limit_count(("feedback", "192.0.2.1"))
    rate_limit_count(("feedback", "192.0.2.1"))

    assert rate_limit_wait(("feedback", "192.0.2.1")) == 300
    clock.advance(299)
    assert rate_limit_wait(("feedback", "192.0.2.1")) == 1
    clock.advance(1)
    assert rate_limit_wait(("feedback", "192.0.2.1")) is None
    rate_limit_count(("feedback", "192.0.2.1"))
    assert rate_limit_wait(("feedback", "192.0.2.1")) is None


def test_it_counts_each_key_and_each_rule_apart(clock: Clock) -> None:
    for _ in range(3):
        rate_limit_count(("feedback", "192.0.2.1"))

    assert rate_limit_wait(("feedback", "192.0.2.2")) is None
    assert rate_limit_wait(("other", "192.0.2.1")) is None


def test_it_gives_the_longest_wait_of_several_checks(clock: Clock) -> None:
    rate_limit_count(("other", "someone@example.org"))
    clock.advance(30)
    for _ in range(3):
        rate_limit_count(("feedback", "192.0.2.1"))

    checks = (("feedback", "192.0.2.1"), ("other", "someone@example.org"))
    assert rate_limit_wait(*checks) == 600
    clock.advance(590)
    assert rate_limit_wait(*checks) == 10


def test_it_answers_429_with_the_wait_in_minutes(clock: Clock, rf: RequestFactory) -> None:
    for _ in range(3):
        rate_limit_count(("feedback", "192.0.2.1"))
    clock.advance(61)

    response = rate_limit_refusal(rf.post("/feedback/"), ("feedback", "192.0.2.1"))

    assert response is not None
    assert response.status_code == 429
    assert response["Retry-After"] == "539"
    html = response.content.decode()
    assert "<title>Too many attempts – " in html
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in html
    assert "Too many attempts. Try again in 9 minutes." in html


def test_it_answers_nothing_under_the_limit(clock: Clock, rf: RequestFactory) -> None:
    assert rate_limit_refusal(rf.post("/feedback/"), ("feedback", "192.0.2.1")) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")],
)
def test_it_rounds_a_wait_up_to_minutes(seconds: int, text: str) -> None:
    assert wait_text(seconds) == text


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/1h", (5, 3600)), ("30/15m", (30, 900)), ("100/1d", (100, 86400)), (" 3/2H ", (3, 7200))],
)
def test_it_reads_a_rate(text: str, rate: tuple[int, int]) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "5", "5/h", "0/1h", "5/0m", "five/1h", "5/1w", "-1/1h"])
def test_it_refuses_a_rate_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the input
        parse_rate(text)


# --- The client's address --------------------------------------------------------------------


def request_from(rf: RequestFactory, remote: str, forwarded: str | None = None) -> HttpRequest:
    request = rf.get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_it_trusts_no_header_by_default(rf: RequestFactory) -> None:
    request = request_from(rf, "198.51.100.9", "203.0.113.5")

    assert client_address(request) == "198.51.100.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the client wrote the first one
        (2, "192.0.2.66, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # shorter than the chain: the outermost entry
        (1, "not-an-address", "198.51.100.9"),
        (1, "", "198.51.100.9"),
    ],
)
def test_it_reads_the_address_a_trusted_proxy_saw(
    rf: RequestFactory, settings: Any, proxies: int, forwarded: str, address: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(request_from(rf, "198.51.100.9", forwarded)) == address


def test_it_counts_an_ipv6_client_by_its_network(rf: RequestFactory) -> None:
    one = request_from(rf, "2001:db8:1:2:aaaa::1")
    other = request_from(rf, "2001:db8:1:2:bbbb::2")

    assert client_key(one) == client_key(other) == "2001:db8:1:2::/64"
    assert client_key(request_from(rf, "192.0.2.1")) == "192.0.2.1"


def test_it_has_no_address_for_a_request_without_a_readable_one(rf: RequestFactory) -> None:
    assert client_address(request_from(rf, "")) is None
    assert client_key(request_from(rf, "")) == "unknown"
