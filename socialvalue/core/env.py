"""Small helpers that read settings from the environment and fail loudly on nonsense."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIOD_SECONDS = {"m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def parse_rate(text: str) -> tuple[int, int]:
    """``"5/1h"`` → ``(5, 3600)``: at most COUNT in a PERIOD of minutes, hours or days."""
    count, _, period = text.strip().partition("/")
    unit = period[-1:].lower()
    amount = period[:-1]
    if not (count.isdigit() and amount.isdigit() and unit in _PERIOD_SECONDS):
        raise ValueError(text)
    if int(count) < 1 or int(amount) < 1:
        raise ValueError(text)
    return int(count), int(amount) * _PERIOD_SECONDS[unit]


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit, e.g. ``RATE_LIMIT_FEEDBACK=5/1h``, as (count, seconds)."""
    raw = os.environ.get(name)
    text = default if raw is None or raw.strip() == "" else raw
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be COUNT/PERIOD with a period such as 15m, 1h or 1d; got {raw!r}"
        ) from exc
