"""The REST API at /api/v1/: one NinjaAPI, one router per app, JSON errors everywhere."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from socialvalue.accounts.api import router as accounts_router
from socialvalue.contracts.api import router as contracts_router
from socialvalue.core.access import ANYONE, access
from socialvalue.core.api_body import JsonBodyError
from socialvalue.core.database import BUSY_MESSAGE, is_busy
from socialvalue.core.openapi import DocumentedNinjaAPI
from socialvalue.framework.api import router as framework_router
from socialvalue.framework.calculator_api import router as calculator_router
from socialvalue.needs.api import router as needs_router
from socialvalue.partners.api import router as partners_router
from socialvalue.procurement.api import router as procurement_router
from socialvalue.procurement.scoring_api import router as scoring_router
from socialvalue.stories.api import router as stories_router

logger = logging.getLogger(__name__)

api = DocumentedNinjaAPI(
    title="Social Value Platform API",
    version="1",
    description=(
        "Read the TOMs framework, calculate social value and, with a bearer token, work with "
        "tenders, bids, contracts and returns. Decimals travel as strings; dates as "
        "`YYYY-MM-DD` and times as ISO 8601 with their offset. Errors are JSON, "
        '`{"detail": [{"loc": ["body", "commitments", 2, "quantity"], "msg": "...", '
        '"type": "..."}]}`, with one entry per offending field or line: `loc` holds field '
        "names (text) and list positions (whole numbers), and `type` may be left out. Each "
        "operation lists the error statuses it can answer with."
    ),
    urls_namespace="api",
)


BODY_PARAMETER = "payload"


def error_body(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"detail": messages}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = []
    for err in exc.errors:
        loc = list(err.get("loc", []))
        # django-ninja puts the endpoint's parameter name after "body"; callers know the
        # document, not our parameter names. Body parameters are always called "payload".
        if loc[:2] == ["body", BODY_PARAMETER]:
            loc.pop(1)
        msg = str(err.get("msg", "Invalid value.")).removeprefix("Value error, ")
        details.append({"loc": loc, "msg": msg, "type": err.get("type", "value_error")})
    return api.create_response(request, error_body(details), status=422)


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for msg in errors:
                details.append({"loc": ["body", field], "msg": msg, "type": "value_error"})
    else:
        details = [{"loc": ["body"], "msg": msg, "type": "value_error"} for msg in exc.messages]
    return api.create_response(request, error_body(details), status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, error_body([{"loc": [], "msg": str(exc) or "Not found."}]), status=404
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request,
        error_body([{"loc": [], "msg": str(exc) or "You do not have permission to do that."}]),
        status=403,
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        error_body(
            [{"loc": ["header", "Authorization"], "msg": "A valid bearer token is required."}]
        ),
        status=401,
    )


@api.exception_handler(JsonBodyError)
def on_unreadable_body(request: HttpRequest, exc: JsonBodyError) -> HttpResponse:
    return api.create_response(request, error_body(exc.detail), status=400)


@api.exception_handler(DatabaseError)
def on_database_error(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """A database busy with someone else's change is a 409 to try again; anything else is
    a real failure, left to the server error handling."""
    if not is_busy(exc):
        raise exc
    logger.warning("Busy database on %s %s: %s", request.method, request.path, exc)
    return api.create_response(request, error_body([{"loc": [], "msg": BUSY_MESSAGE}]), status=409)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, error_body([{"loc": [], "msg": str(exc)}]), status=exc.status_code
    )


api.add_router("/", framework_router)
api.add_router("/", calculator_router)
api.add_router("/", scoring_router)
api.add_router("/", accounts_router)
api.add_router("/", procurement_router)
api.add_router("/", contracts_router)
api.add_router("/", needs_router)
api.add_router("/", partners_router)
api.add_router("/", stories_router)


@access(ANYONE)
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/ answers in JSON too."""
    return JsonResponse(
        error_body([{"loc": ["path"], "msg": f"No API endpoint at {request.path}."}]), status=404
    )
