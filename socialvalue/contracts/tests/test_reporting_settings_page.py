"""The lead's reporting settings page: validation, the due dates it moves, and its history."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.contracts.contract_forms import ERR_AMBER_ABOVE_GREEN
from socialvalue.contracts.models import ReportingPeriod, ReportingSettings
from socialvalue.contracts.periods import period_for
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]
URL = "/contracts/reporting-settings/"
DEFAULTS = {
    "return_due_days": "30",
    "reminder_days": "7",
    "rag_green_percent": "90",
    "rag_amber_percent": "70",
}


@pytest.fixture
def periods(this_quarter: Quarter) -> list[ReportingPeriod]:
    """Two quarters long past, and this quarter with the three after it."""
    quarters = [this_quarter.previous().previous().previous(), this_quarter.previous().previous()]
    quarter = this_quarter
    for _ in range(4):
        quarters.append(quarter)
        quarter = quarter.next()
    return [period_for(q) for q in quarters]


def test_it_shows_the_current_settings_to_the_lead(client_as: ClientAs, lead_lucy: User) -> None:
    response = client_as(lead_lucy).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reporting settings" in html
    for name, value in DEFAULTS.items():
        assert f'name="{name}" value="{value}"' in html


def test_it_saves_the_settings_and_moves_the_due_dates_not_yet_passed(
    client_as: ClientAs, lead_lucy: User, periods: list[ReportingPeriod]
) -> None:
    today = timezone.localdate()
    past = [p for p in periods if p.due_date < today]
    coming = [p for p in periods if p.due_date >= today]
    assert len(past) == 2
    assert len(coming) == 4
    response = client_as(lead_lucy).post(
        URL,
        DEFAULTS | {"return_due_days": "45", "rag_green_percent": "92.5"},
        follow=True,
    )
    html = response.content.decode()
    assert (
        "The reporting settings have been saved. The due date of 4 reporting periods not yet "
        "due has moved." in html
    )
    current = ReportingSettings.current()
    assert current.return_due_days == 45
    assert current.rag_green_percent == Decimal("92.50")
    for period in past:
        before = period.due_date
        period.refresh_from_db()
        assert period.due_date == before  # already passed: stays as it was
    for period in coming:
        period.refresh_from_db()
        assert period.due_date == period.end_date + timedelta(days=45)


def test_it_records_who_changed_what(client_as: ClientAs, lead_lucy: User) -> None:
    client = client_as(lead_lucy)
    client.get(URL)  # the settings are set up with the defaults
    client.post(URL, DEFAULTS | {"reminder_days": "10", "rag_amber_percent": "65"})
    html = client.get(URL).content.decode()
    assert "Changed by Lucy Lead" in html
    assert "First reminder: 7 days → 10 days" in html
    assert "Amber at or above: 70% → 65%" in html
    assert "Settings set up with the defaults" in html
    assert ReportingSettings.history.latest().history_user == lead_lucy


def test_it_says_when_nothing_changed(client_as: ClientAs, lead_lucy: User) -> None:
    response = client_as(lead_lucy).post(URL, DEFAULTS, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert ReportingSettings.history.count() == 1


def test_it_says_when_no_due_date_moved(client_as: ClientAs, lead_lucy: User) -> None:
    response = client_as(lead_lucy).post(URL, DEFAULTS | {"reminder_days": "5"}, follow=True)
    assert "The reporting settings have been saved. No due dates moved." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rag_amber_percent": "91"}, ERR_AMBER_ABOVE_GREEN),
        ({"return_due_days": "0"}, "Return due must be a whole number from 1 to 120"),
        ({"return_due_days": "121"}, "Return due must be a whole number from 1 to 120"),
        ({"return_due_days": "thirty"}, "Return due must be a whole number from 1 to 120"),
        ({"return_due_days": ""}, "Enter the number of days"),
        ({"reminder_days": "61"}, "First reminder must be a whole number from 1 to 60"),
        ({"rag_green_percent": "lots"}, "The green threshold must be a number, like 90 or 87.5"),
        ({"rag_green_percent": "1001"}, "The green threshold must be between 0% and 1000%"),
        ({"rag_amber_percent": ""}, "Enter the amber threshold"),
    ],
)
def test_it_refuses_bad_settings_and_changes_nothing(
    client_as: ClientAs,
    lead_lucy: User,
    periods: list[ReportingPeriod],
    changes: dict[str, Any],
    message: str,
) -> None:
    dues = [p.due_date for p in periods]
    response = client_as(lead_lucy).post(URL, DEFAULTS | {"return_due_days": "60"} | changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    current = ReportingSettings.current()
    assert (current.return_due_days, current.rag_amber_percent) == (30, Decimal(70))
    assert [p.due_date for p in ReportingPeriod.objects.order_by("start_date")] == dues


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "officer_olga", "supplier_bob"])
def test_it_is_for_the_lead_only(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    client = client_as(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, DEFAULTS | {"return_due_days": "60"}).status_code == 403
    assert ReportingSettings.current().return_due_days == 30


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"
