"""Request guards shared by every page and endpoint."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

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
