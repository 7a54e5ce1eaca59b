"""Template filters for events: ``{% load engagement_tags %}``."""

from datetime import datetime

from django import template

from socialvalue.engagement import display

register = template.Library()


@register.filter
def clock(value: datetime | None) -> str:
    """A time of day in Europe/London as GOV.UK writes it: 9:30am, midday."""
    return display.clock(value) if value else ""


@register.filter
def day(value: datetime | None) -> str:
    """A date in full in Europe/London: Thursday 12 March 2026."""
    return display.day(value) if value else ""


@register.filter
def moment(value: datetime | None) -> str:
    """A moment in full: 5pm on Friday 13 March 2026."""
    return display.moment_text(value) if value else ""


@register.simple_tag
def when(starts_at: datetime, ends_at: datetime) -> str:
    """``{% when event.starts_at event.ends_at %}``: Thursday 12 March 2026, 9:30am to 12:30pm."""
    return display.when_text(starts_at, ends_at)


@register.simple_tag
def time_range(starts_at: datetime, ends_at: datetime) -> str:
    """``{% time_range event.starts_at event.ends_at %}``: 9:30am to 12:30pm on one day, or the
    full range for an event over several days."""
    return display.time_range_text(starts_at, ends_at)
