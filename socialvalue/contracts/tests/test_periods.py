"""Reporting periods: UK financial-year quarters, made as they are needed, each with the date
its returns are due (30 days after the quarter ends unless the lead changes it)."""

from datetime import date

import pytest

from socialvalue.contracts.models import ReportingPeriod, ReportingSettings
from socialvalue.contracts.periods import (
    current_period,
    due_dates_refresh,
    period_for,
    period_from_slug,
    period_of,
    periods_between,
)
from socialvalue.core.quarters import Quarter

pytestmark = pytest.mark.django_db

Q3_2026 = Quarter(2026, 3)  # October to December 2026


def set_due_days(days: int) -> None:
    settings_row = ReportingSettings.current()
    settings_row.return_due_days = days
    settings_row.save()


def test_it_makes_a_period_due_30_days_after_the_quarter_ends() -> None:
    period = period_for(Q3_2026)
    # 31 December 2026 + 30 days = 30 January 2027.
    assert (period.year, period.number) == (2026, 3)
    assert (period.start_date, period.end_date) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period.due_date == date(2027, 1, 30)
    assert period.label == "Q3 2026-27 (October to December 2026)"
    assert period.short_label == "Q3 2026-27"
    assert period.slug == "2026-q3"


def test_it_makes_each_period_once() -> None:
    first = period_for(Q3_2026)
    assert period_for(Quarter(2026, 3)) == first
    assert period_of(date(2026, 11, 5)) == first
    assert ReportingPeriod.objects.count() == 1


def test_it_puts_january_to_march_in_the_fourth_quarter_of_the_year_before() -> None:
    period = period_of(date(2027, 2, 14))
    assert (period.year, period.number) == (2026, 4)
    # 31 March 2027 + 30 days = 30 April 2027.
    assert period.due_date == date(2027, 4, 30)


def test_it_knows_the_current_period() -> None:
    assert current_period(date(2026, 7, 1)).slug == "2026-q2"
    assert current_period(date(2026, 6, 30)).slug == "2026-q1"


def test_it_uses_the_changed_due_days_for_new_periods_only() -> None:
    q3 = period_for(Q3_2026)
    set_due_days(45)
    q4 = period_for(Quarter(2026, 4))
    # Q4 ends 31 March 2027; + 45 days = 15 May 2027. Q3 was made before the change.
    assert q4.due_date == date(2027, 5, 15)
    q3.refresh_from_db()
    assert q3.due_date == date(2027, 1, 30)


def test_it_moves_only_the_due_dates_that_have_not_passed() -> None:
    q2 = period_for(Quarter(2026, 2))  # due 30 October 2026
    q3 = period_for(Q3_2026)  # due 30 January 2027
    q4 = period_for(Quarter(2026, 4))  # due 30 April 2027
    set_due_days(45)

    # On its due date a return is not yet late, so Q3's due date still moves.
    changed = due_dates_refresh(today=date(2027, 1, 30))

    assert changed == 2
    for period in (q2, q3, q4):
        period.refresh_from_db()
    assert q2.due_date == date(2026, 10, 30)  # passed: "on time" never changes afterwards
    assert q3.due_date == date(2027, 2, 14)  # 31 December 2026 + 45 days
    assert q4.due_date == date(2027, 5, 15)  # 31 March 2027 + 45 days
    assert due_dates_refresh(today=date(2027, 1, 30)) == 0


def test_it_does_not_move_a_due_date_the_day_after_it_passed() -> None:
    q3 = period_for(Q3_2026)
    set_due_days(10)
    assert due_dates_refresh(today=date(2027, 1, 31)) == 0
    q3.refresh_from_db()
    assert q3.due_date == date(2027, 1, 30)


def test_it_lists_every_period_overlapping_two_dates_in_order() -> None:
    existing = period_for(Q3_2026)
    periods = periods_between(date(2026, 5, 15), date(2027, 1, 2))
    assert [p.slug for p in periods] == ["2026-q1", "2026-q2", "2026-q3", "2026-q4"]
    assert periods[2].pk == existing.pk
    assert ReportingPeriod.objects.count() == 4


def test_it_lists_one_period_for_dates_in_the_same_quarter() -> None:
    periods = periods_between(date(2026, 10, 1), date(2026, 12, 31))
    assert [p.slug for p in periods] == ["2026-q3"]


def test_it_lists_no_periods_when_the_last_date_is_before_the_first() -> None:
    assert periods_between(date(2027, 1, 2), date(2026, 5, 15)) == []
    assert not ReportingPeriod.objects.exists()


def test_it_finds_a_period_by_its_slug() -> None:
    period = period_for(Q3_2026)
    assert period_from_slug("2026-q3") == period


def test_it_does_not_make_a_period_from_a_slug() -> None:
    assert period_from_slug("2030-q1") is None
    assert not ReportingPeriod.objects.exists()


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "2026",
        "q3",
        "2026q3",
        "2026-Q3",
        "2026-q0",
        "2026-q5",
        "2026-q33",
        "2026-q3-x",
        "-2026-q3",
        "20x6-q3",
        "2026-q",
        "２０２６-q3",  # full-width digits
        "²⁰²⁶-q3",  # superscript digits: isdigit() but not int()
        "2026-q³",
        "99999999999999999999999-q1",
    ],
)
def test_it_finds_no_period_for_a_bad_slug(slug: str) -> None:
    period_for(Q3_2026)
    assert period_from_slug(slug) is None
