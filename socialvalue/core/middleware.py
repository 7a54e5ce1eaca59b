"""Request guards shared by every page and endpoint."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render

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
