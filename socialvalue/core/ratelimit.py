"""Rate limits on public forms, counted in the shared cache, and the client's address.

Each limit is a rule in ``settings.RATE_LIMITS`` (name → (count, seconds)) counted per key:
a client's address, or an email address a form was sent for. A window opens at the first
counted attempt and lasts the rule's period; once the count is reached, the form answers
429 "Too many attempts" until the window closes. Views decide what counts (an accepted
submission, a failed sign-in), so people correcting a mistake are not punished for it.

The cache is the database cache in production, shared by every web process. Counting is a
read then a write, so a burst of simultaneous requests may slip one or two past a limit;
the limits are there to make abuse slow, not to count exactly.
"""

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

MSG_TOO_MANY = "Too many attempts. Try again in {wait}."
#: What per-client limits count requests without a readable address under, together.
UNKNOWN_ADDRESS = "unknown"
#: IPv6 clients are counted by their /64 network: one connection usually holds a whole one.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``, or None if it has none readable
    (django-axes also calls this, and stores None as no address).

    With ``TRUSTED_PROXY_COUNT`` = N > 0 (N proxies in front of the site, each adding the
    address it got the request from to X-Forwarded-For), the Nth address from the right
    of that header; entries to its left were written by the client and are ignored. With 0
    (the default), or when the header has nothing usable, the connection's own address.
    """
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: every entry was added by a trusted proxy, and
            # the leftmost is the client as the outermost proxy saw it.
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            if _is_ip(candidate):
                return candidate
    remote = str(request.META.get("REMOTE_ADDR") or "")
    return remote if _is_ip(remote) else None


def client_key(request: HttpRequest) -> str:
    """What a per-client limit counts: the client's address (its /64 network for IPv6)."""
    address = client_address(request)
    if address is None:
        return UNKNOWN_ADDRESS
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _now() -> float:
    return time.time()


def _rule(name: str) -> tuple[int, int]:
    count, seconds = settings.RATE_LIMITS[name]
    return int(count), int(seconds)


def _cache_key(name: str, key: str) -> str:
    # Hashed: keys hold addresses and email addresses, which the cache table need not show.
    return f"ratelimit:{name}:" + hashlib.sha256(key.encode()).hexdigest()


def _window(name: str, key: str, now: float) -> tuple[int, float] | None:
    """(attempts counted, when the window closes), or None if no window is open."""
    value = cache.get(_cache_key(name, key))
    if not isinstance(value, tuple | list) or len(value) != 2:
        return None
    attempts, until = int(value[0]), float(value[1])
    return (attempts, until) if until > now else None


def _waits(checks: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Rule name → seconds to wait, for the checks over their limit."""
    now = _now()
    waits: dict[str, int] = {}
    for name, key in checks:
        limit, _ = _rule(name)
        window = _window(name, key, now)
        if window is not None and window[0] >= limit:
            waits[name] = max(waits.get(name, 0), max(1, math.ceil(window[1] - now)))
    return waits


def rate_limit_wait(*checks: tuple[str, str]) -> int | None:
    """Seconds to wait before trying again, or None if no ``(rule name, key)`` is over its
    limit. With several checks, the longest wait."""
    waits = _waits(checks)
    return max(waits.values()) if waits else None


def rate_limit_count(*checks: tuple[str, str]) -> None:
    """Count one attempt against each ``(rule name, key)``."""
    now = _now()
    for name, key in checks:
        _, seconds = _rule(name)
        window = _window(name, key, now)
        attempts, until = (0, now + seconds) if window is None else window
        cache.set(_cache_key(name, key), (attempts + 1, until), timeout=math.ceil(until - now))


def wait_text(seconds: int) -> str:
    """``"1 minute"``, ``"15 minutes"``: a wait rounded up to whole minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def too_many_attempts(request: HttpRequest, seconds: int) -> HttpResponse:
    """The 429 page, with a Retry-After header."""
    message = MSG_TOO_MANY.format(wait=wait_text(seconds))
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limit_refusal(request: HttpRequest, *checks: tuple[str, str]) -> HttpResponse | None:
    """The 429 page if any ``(rule name, key)`` is over its limit, else None."""
    waits = _waits(checks)
    if not waits:
        return None
    logger.warning("Rate limit reached: %s", ", ".join(sorted(waits)))
    return too_many_attempts(request, max(waits.values()))
