"""Keeping automated spam out of the feedback form, without any third-party service.

Two checks, each cheap for people and costly for scripts:

- a honeypot: a field hidden from people (and from screen readers) that a script filling
  in every field will fill in;
- a signed timestamp given out with the form: a submission sent less than 3 seconds after
  the form was shown, or more than a day later, or with a forged timestamp, is refused.

Refusals are silent about which check failed, so a script learns nothing from them. On top
of these, the view limits accepted feedback per client address (``RATE_LIMITS["feedback"]``,
5 an hour by default) with the platform's rate limit helper, ``core/ratelimit.py``.
"""

import time
from datetime import timedelta

from django.core import signing

TOKEN_SALT = "socialvalue.site.feedback"
MIN_SECONDS = 3
MAX_AGE = timedelta(days=1)

# Why a submission was refused, for the log; never shown to the sender.
HONEYPOT = "honeypot"
TOO_FAST = "too fast"
EXPIRED = "expired"
FORGED = "forged"


def form_token(*, issued_at: float | None = None) -> str:
    """A signed token recording when the form was shown."""
    return signing.dumps({"t": time.time() if issued_at is None else issued_at}, salt=TOKEN_SALT)


def token_problem(token: str, *, now: float | None = None) -> str | None:
    """Why a form token is not acceptable (``TOO_FAST``, ``EXPIRED``, ``FORGED``), or None."""
    now = time.time() if now is None else now
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        issued_at = float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return FORGED
    age = now - issued_at
    if age < MIN_SECONDS:
        return TOO_FAST
    if age > MAX_AGE.total_seconds():
        return EXPIRED
    return None
