"""Reporting periods: UK financial-year quarters, made as they are needed.

A period's due date is the quarter's end plus the reporting settings' ``return_due_days``
(30 by default). Changing that setting moves the due date of every period whose due date
has not yet passed; due dates already passed stay as they were, so "on time" never changes
after the event.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from socialvalue.contracts.models import ReportingPeriod, ReportingSettings
from socialvalue.core.quarters import Quarter, quarter_of, quarters_between


def period_for(quarter: Quarter) -> ReportingPeriod:
    """The period of ``quarter``, made if it does not exist yet."""
    period = ReportingPeriod.objects.filter(year=quarter.year, number=quarter.number).first()
    if period is not None:
        return period
    days = ReportingSettings.current().return_due_days
    period, _ = ReportingPeriod.objects.get_or_create(
        year=quarter.year,
        number=quarter.number,
        defaults={
            "start_date": quarter.start,
            "end_date": quarter.end,
            "due_date": quarter.due_date(days),
        },
    )
    return period


def period_of(day: date) -> ReportingPeriod:
    return period_for(quarter_of(day))


def current_period(today: date | None = None) -> ReportingPeriod:
    return period_of(today or timezone.localdate())


def periods_between(first: date, last: date) -> list[ReportingPeriod]:
    """Every period overlapping ``first``..``last``, made where missing, in order."""
    quarters = list(quarters_between(first, last))
    if not quarters:
        return []
    existing = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(
            start_date__lte=quarters[-1].start, end_date__gte=quarters[0].start
        )
    }
    result = []
    for quarter in quarters:
        period = existing.get((quarter.year, quarter.number)) or period_for(quarter)
        result.append(period)
    return result


def period_from_slug(slug: str) -> ReportingPeriod | None:
    """``2026-q3`` → that period if it exists."""
    year, sep, number = slug.partition("-q")
    if not sep or not (year.isascii() and year.isdigit()) or number not in {"1", "2", "3", "4"}:
        return None
    return ReportingPeriod.objects.filter(year=int(year), number=int(number)).first()


@transaction.atomic
def due_dates_refresh(today: date | None = None) -> int:
    """Apply the current ``return_due_days`` to periods whose due date has not passed."""
    today = today or timezone.localdate()
    days = ReportingSettings.current().return_due_days
    changed = 0
    for period in ReportingPeriod.objects.filter(due_date__gte=today).select_for_update():
        due = period.quarter.due_date(days)
        if due != period.due_date:
            period.due_date = due
            period.save(update_fields=["due_date"])
            changed += 1
    return changed


def labels(periods: Iterable[ReportingPeriod]) -> list[str]:
    return [p.short_label for p in periods]
