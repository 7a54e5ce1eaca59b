"""Middleware shared by every page and endpoint: request guards, session limits, and no
caching of what is sent to someone signed in."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from socialvalue.core.database import BUSY_MESSAGE, is_busy

logger = logging.getLogger(__name__)

NUL_REFUSED = "The request contains a NUL character, which is not allowed."


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for query in (request.GET,):
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class RejectNulMiddleware:
    """Refuse a NUL character in the address or query string with a 400.

    No text we store may contain one (PostgreSQL refuses it outright), so a NUL can only be
    a mistake or a probe; refusing it here keeps it away from every lookup.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"loc": ["path"], "msg": NUL_REFUSED}]}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED)
        return self.get_response(request)


# --- Signed-in sessions ----------------------------------------------------------------------

#: Session keys: when the user signed in, and when they last sent a request (Unix time).
SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
#: Last activity is written at most once a minute, so that most requests do not save the
#: session.
ACTIVITY_RESOLUTION_SECONDS = 60

MSG_SIGNED_OUT_IDLE = "You were signed out after {minutes} minutes without activity."
MSG_SIGNED_OUT_MAX_AGE = "You were signed out because you signed in more than {hours} hours ago."


def _now() -> float:
    return timezone.now().timestamp()


def _has_session_cookie(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def mark_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On sign-in (``user_logged_in``): start the session's clocks afresh."""
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


def _expiry_message(session: Any, now: float) -> str | None:
    """Why a signed-in session has ended, or None while it is still good."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_activity = session.get(LAST_ACTIVITY)
    if isinstance(signed_in_at, int | float) and now - signed_in_at > settings.SESSION_COOKIE_AGE:
        return MSG_SIGNED_OUT_MAX_AGE.format(hours=settings.SESSION_COOKIE_AGE // 3600)
    idle_seconds = settings.SESSION_IDLE_MINUTES * 60
    if isinstance(last_activity, int | float) and now - last_activity > idle_seconds:
        return MSG_SIGNED_OUT_IDLE.format(minutes=settings.SESSION_IDLE_MINUTES)
    return None


class SessionExpiryMiddleware:
    """End a signed-in session after ``SESSION_IDLE_MINUTES`` without a request, or
    ``SESSION_COOKIE_AGE`` seconds after signing in, whichever comes first.

    Django's own expiry slides forward whenever the session is saved, so it cannot give an
    absolute limit; and it ends a session silently. Here the request that finds the session
    expired is served as signed out: pages redirect to the sign-in page with a notice
    saying why, htmx requests are told to do the same, and API calls simply go on
    without the session (and get 401 where they need a caller).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_session_cookie(request):
            # Nobody is signed in; and not reading the session keeps "Vary: Cookie" off
            # responses that never needed it.
            return self.get_response(request)
        session = request.session
        if SESSION_KEY in session and request.user.is_authenticated:
            now = _now()
            message = _expiry_message(session, now)
            if message is not None:
                return self._signed_out(request, message)
            if not isinstance(session.get(SIGNED_IN_AT), int | float):
                # A session from before these limits: its clocks start now.
                session[SIGNED_IN_AT] = now
            last_activity = session.get(LAST_ACTIVITY)
            if (
                not isinstance(last_activity, int | float)
                or now - last_activity >= ACTIVITY_RESOLUTION_SECONDS
            ):
                session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        messages.info(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.path == login_url:
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return redirect_to_login(request.get_full_path(), login_url)


# --- Responses to signed-in users ------------------------------------------------------------


def _has_credentials(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    # Only a request with a session cookie can be signed in with a session.
    user = getattr(request, "user", None)
    return _has_session_cookie(request) and user is not None and user.is_authenticated


def _cache_directives(response: HttpResponse) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}


class PrivateResponseMiddleware:
    """``Cache-Control: no-store, private`` on every response to a request that carries
    credentials (a signed-in session or an ``Authorization`` header), and on every 401.

    Such a response may hold what only that user may see (a page with their name, an
    evidence file, a CSV of their contracts, an API answer), so no browser or proxy cache
    should keep it. A view that marks its response ``public`` has said it is the same for
    everyone (a published case study's photograph, the map's areas): it is left alone, and
    so is one its view already marked ``no-store``. Responses to anonymous requests keep
    whatever caching their view gave them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        private = response.status_code == 401 or _has_credentials(request)
        if private and not _cache_directives(response) & {"public", "no-store"}:
            add_never_cache_headers(response)
        return response


# --- A busy database ---------------------------------------------------------------------------


class BusyDatabaseMiddleware:
    """Answer a request that failed because the database was busy with someone else's
    change with a 409 and a message to try again: a GOV.UK page, or the API's JSON error.

    The failed transaction was rolled back, so nothing half-saved is left behind.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)


def busy_response(request: HttpRequest) -> HttpResponse:
    """The 409 for a busy database: JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"loc": [], "msg": BUSY_MESSAGE}]}, status=409)
    try:
        return render(request, "409.html", {"message": BUSY_MESSAGE}, status=409)
    except Exception:
        # Rendering needs the database too (the user, the navigation); say it plainly.
        logger.exception("The 409 page could not be rendered; sending plain text.")
        return HttpResponse(BUSY_MESSAGE, status=409, content_type="text/plain; charset=utf-8")
