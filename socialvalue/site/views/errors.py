"""The error pages."""

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from socialvalue.core.access import Refused
from socialvalue.core.context_processors import ACCOUNT_NAVIGATION, NAVIGATION, navigation_links

logger = logging.getLogger(__name__)

# Shown if even the error template cannot be rendered (for example, a broken static files
# manifest). It needs nothing: no database, no context, no static files.
SERVER_ERROR_FALLBACK = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Sorry, there is a problem with the service</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Sorry, there is a problem with the service</h1>
<p>Try again later.</p>
<p><a href="/">Go to the home page</a></p>
</body></html>
"""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A page's access rule says who it is for; other refusals keep the general wording.
    for_whom = exception.for_whom if isinstance(exception, Refused) else ""
    return render(request, "403.html", {"for_whom": for_whom}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without context processors, the database or the session.

    Whatever broke the original request may break those too, so the page gets a minimal
    context of its own, and a plain fallback if even that fails.
    """
    try:
        context: dict[str, Any] = {
            "SERVICE_NAME": settings.SERVICE_NAME,
            "SERVICE_OWNER": settings.SERVICE_OWNER,
            "navigation": navigation_links(NAVIGATION, path=""),
            "account_navigation": navigation_links(ACCOUNT_NAVIGATION, path=""),
        }
        html: str = loader.render_to_string("500.html", context)
    except Exception:
        logger.exception("The 500 page could not be rendered; sending the plain fallback.")
        html = SERVER_ERROR_FALLBACK
    return HttpResponse(html, status=500)
