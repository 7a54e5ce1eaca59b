"""Pure helpers for the security settings (no Django models: settings.py imports them)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def csp_source_for(url: str) -> str | None:
    """The Content Security Policy source that allows loading from ``url``'s site.

    A map tile template such as ``https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png`` gives
    ``https://*.tile.openstreetmap.org``: Leaflet fills ``{s}`` with a sub-domain letter.
    None for an empty URL; a URL that is not http(s) with a host is a configuration mistake.
    """
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"Expected an http(s) address with a host name; got {url!r}")
    host = parts.netloc.replace("subdomain-placeholder", "*")
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(f"Only {{s}} may stand in the host name; got {url!r}")
    return f"{parts.scheme}://{host}"
