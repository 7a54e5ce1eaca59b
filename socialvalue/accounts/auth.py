"""Bearer-token authentication for the API."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from socialvalue.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sv_…``. Tokens are looked up by their SHA-256 hash."""

    openapi_description = "An API token from your profile page or `socialvalue create_api_token`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The browser session, whose changes must carry the CSRF token.

    The CSRF check only means something when a session cookie is sent: a caller without one
    has no session that could be misused, and is told a token is needed (401), rather than
    that a CSRF check failed (403).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


# Endpoints that need a signed-in caller accept a bearer token or the browser session.
api_auth = [TokenAuth(), SessionAuth()]
