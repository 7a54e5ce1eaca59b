"""How events are described in words: pure functions, no database access."""

from datetime import datetime

from django.utils import timezone


def clock(moment: datetime) -> str:
    """A time of day as GOV.UK writes it, in Europe/London: 9am, 9:30am, midday, 5:15pm."""
    local = timezone.localtime(moment)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def day(moment: datetime) -> str:
    """A date in full, in Europe/London: Thursday 12 March 2026."""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def when_text(starts_at: datetime, ends_at: datetime) -> str:
    """When an event happens: "Thursday 12 March 2026, 9:30am to 12:30pm"; an event over
    several days gives both dates."""
    if same_day(starts_at, ends_at):
        return f"{day(starts_at)}, {clock(starts_at)} to {clock(ends_at)}"
    return f"{day(starts_at)}, {clock(starts_at)} to {day(ends_at)}, {clock(ends_at)}"


def same_day(starts_at: datetime, ends_at: datetime) -> bool:
    return timezone.localtime(starts_at).date() == timezone.localtime(ends_at).date()


def time_range_text(starts_at: datetime, ends_at: datetime) -> str:
    """The times of an event on one day ("9:30am to 12:30pm"), or the full range."""
    if same_day(starts_at, ends_at):
        return f"{clock(starts_at)} to {clock(ends_at)}"
    return when_text(starts_at, ends_at)


def moment_text(moment: datetime) -> str:
    """A moment in full: "5pm on Friday 13 March 2026"."""
    return f"{clock(moment)} on {day(moment)}"
