"""Template tags for the account pages (the lockout page is rendered by django-axes)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def lockout_minutes() -> int:
    """How long an account stays locked after too many failed sign-ins, in minutes."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@register.simple_tag
def lockout_failure_limit() -> int:
    """How many failed sign-ins in a row lock an account."""
    return int(settings.AXES_FAILURE_LIMIT)
