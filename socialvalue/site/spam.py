"""Keeping automated spam out of the feedback form, without any third-party service.

Three checks, each cheap for people and costly for scripts:

- a honeypot: a field hidden from people (and from screen readers) that a script filling
  in every field will fill in;
- a signed timestamp given out with the form: a submission sent less than 3 seconds after
  the form was shown, or more than a day later, or with a forged timestamp, is refused;
- a rate limit per network address: at most 5 pieces of feedback an hour.

Refusals are silent about which check failed, so a script learns nothing from them.
"""

import hashlib
import time
from datetime import timedelta

from django.core import signing
from django.core.cache import cache

TOKEN_SALT = "socialvalue.site.feedback"
MIN_SECONDS = 3
MAX_AGE = timedelta(days=1)
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60

# Why a submission was refused, for the log; never shown to the sender.
HONEYPOT = "honeypot"
TOO_FAST = "too fast"
EXPIRED = "expired"
FORGED = "forged"
RATE_LIMITED = "rate limited"


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


def _rate_key(address: str) -> str:
    return "site:feedback-rate:" + hashlib.sha256(address.encode()).hexdigest()


def rate_limited(address: str) -> bool:
    """Whether ``address`` has already sent the most feedback allowed this hour."""
    return int(cache.get(_rate_key(address), 0)) >= RATE_LIMIT


def rate_count(address: str) -> None:
    """Count one accepted submission from ``address`` (the hour starts at the first)."""
    key = _rate_key(address)
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, RATE_WINDOW_SECONDS)
