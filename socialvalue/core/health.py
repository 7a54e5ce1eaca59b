"""``/healthz``: whether this web process can serve, for load balancers and monitoring."""

import logging

from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from socialvalue.core.access import ANYONE, access

logger = logging.getLogger(__name__)

#: Storages the platform cannot work without: uploads, and the returns' evidence files.
CHECKED_STORAGES = ("default", "evidence")
#: A name looked up in each storage. It need not exist: asking is what proves the storage
#: answers (an object store is asked over the network; a local directory is asked the disk).
PROBE_NAME = "healthz-probe"


def _problem() -> str | None:
    """What is not working, for the log (never for the response), or None."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer.")
        return "database"
    for alias in CHECKED_STORAGES:
        try:
            storages[alias].exists(PROBE_NAME)
        except Exception:
            logger.exception("Health check: the %s storage did not answer.", alias)
            return f"{alias} storage"
    return None


@access(ANYONE)
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database and the storages answer, 503 otherwise.

    The body never says what failed (the log does): the address is public. The view
    touches no session, so it sets no cookie, and the answer is never cached.
    """
    healthy = _problem() is None
    response = HttpResponse(
        "ok" if healthy else "unavailable",
        status=200 if healthy else 503,
        content_type="text/plain; charset=utf-8",
    )
    add_never_cache_headers(response)
    return response
