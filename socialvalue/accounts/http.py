"""Requests as the views see them once an access rule has let them through.

A view whose rule admits only signed-in people (every audience but ``ANYONE``) takes an
``AuthenticatedRequest``: its ``user`` is the platform's ``User``, never the anonymous user,
so views read ``request.user.organisation`` without casts or ignored type errors.
"""

from django.http import HttpRequest

from socialvalue.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in user (the view's access rule refused everyone else)."""

    user: User
