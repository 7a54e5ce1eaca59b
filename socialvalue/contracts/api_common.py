"""What the contract and return endpoints share: who the caller is, how refusals are
answered, and how the parts of a JSON body are read.

Status codes, the same on every endpoint:

- 401: no valid bearer token or session;
- 403: the caller's role may not do this (a supplier verifying, an officer adding lines);
- 404: the record does not exist or the caller may not see it;
- 409: the record's state does not allow it (a submitted return, a verified line, a quarter
  that has not ended yet); nothing changes;
- 422: something sent is wrong; each entry of ``detail`` names the field, such as
  ``["body", "quantity"]``; nothing changes;
- 400: the body is not JSON at all (``json_invalid``) or is too large.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.core.access import require_officer, require_supplier_user
from socialvalue.core.api_body import ErrorOut, body_error, read_json_object
from socialvalue.core.geography import district_from_text
from socialvalue.core.money import QUANTITY
from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_quantity,
)

MAX_ID = 2**63 - 1
MAX_TEXT = 10_000

ERR_TOO_BIG = "The request body is too large."
ERR_BODY_NOT_OBJECT = "The request body must be a JSON object."
ERR_MISSING = "{label} is required."
ERR_TEXT_TYPE = "{label} must be text."
ERR_TEXT_TOO_LONG = "{label} must be {limit:,} characters or fewer."
ERR_TEXT_NUL = "{label} must not contain NUL characters."
ERR_ID = "{label} must be a whole number id, such as 12."
ERR_BOOLEAN = "{label} must be true or false."
ERR_QUANTITY = {
    NOT_A_NUMBER: 'Quantity must be a number, such as 2.5 or "2.5".',
    NOT_FINITE: "Quantity must be a finite number; NaN and Infinity are not quantities.",
    NEGATIVE: "Quantity must be 0 or more.",
    NOT_POSITIVE: "Quantity must be 0 or more.",
    TOO_LARGE: f"{QUANTITY.too_large('Quantity')}.",
    TOO_PRECISE: f"{QUANTITY.too_precise('Quantity')}.",
}
ERR_DISTRICT = (
    "District must be a Lancashire district code or name (such as 'E07000117' or 'Burnley') "
    "or 'outside' for outside Lancashire."
)

# Every endpoint may answer with these; declared so the OpenAPI document shows them.
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

Errors = list[dict[str, Any]]

# Path parameters: ids beyond what the database can hold are a 422, not a server error.
ReturnId = Path(..., ge=1, le=MAX_ID)
LineId = Path(..., ge=1, le=MAX_ID)
RecordId = Path(..., ge=1, le=MAX_ID)


class Page:
    """Records the paginator slices (a queryset or a list), made into answers one page at a
    time, so that work per record (such as performance) is done for the page only."""

    def __init__(self, records: Any, render: Callable[[list[Any]], list[dict[str, Any]]]):
        self.records = records
        self.render = render

    def __len__(self) -> int:
        if isinstance(self.records, QuerySet):
            return self.records.count()
        return len(self.records)

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return self.render(list(self.records[page]))


def supplier_user(request: AuthenticatedRequest) -> User:
    """The caller, who must be a supplier's user (else 403)."""
    require_supplier_user(request.user)
    return request.user


def officer_user(request: AuthenticatedRequest) -> User:
    """The caller, who must be council staff (else 403)."""
    require_officer(request.user)
    return request.user


def caller(request: AuthenticatedRequest) -> User:
    """The caller (every endpoint here needs a signed-in caller)."""
    return request.user


def read_body(request: HttpRequest, *, allow_empty: bool = False) -> dict[str, Any]:
    """The JSON object sent, numbers as exact ``Decimal``s; ``{}`` for an empty body when
    ``allow_empty``."""
    if allow_empty and not request.body.strip():
        return {}
    return read_json_object(request, too_big=ERR_TOO_BIG, not_object=ERR_BODY_NOT_OBJECT)


def raise_if(errors: Errors) -> None:
    if errors:
        raise NinjaValidationError(errors)


@contextmanager
def refusals() -> Iterator[None]:
    """Answer a service's refusal: field errors (keyed by field) stay a 422 naming each
    field; a refusal of the whole change, because of the record's state, becomes a 409."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise NinjaValidationError(
                [
                    body_error([] if field == NON_FIELD_ERRORS else [field], message)
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from None
        raise HttpError(409, " ".join(exc.messages)) from None


# --- Reading the parts of a body ----------------------------------------------------------


def text_field(
    body: dict[str, Any],
    name: str,
    label: str,
    errors: Errors,
    *,
    required: bool = False,
    limit: int = MAX_TEXT,
) -> str | None:
    """Stripped text, "" when absent and optional, or None after recording an error."""
    raw = body.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.append(body_error([name], ERR_MISSING.format(label=label), "missing"))
            return None
        return ""
    if not isinstance(raw, str):
        errors.append(body_error([name], ERR_TEXT_TYPE.format(label=label), "string_type"))
        return None
    if "\x00" in raw:
        errors.append(body_error([name], ERR_TEXT_NUL.format(label=label)))
        return None
    text = raw.strip()
    if len(text) > limit:
        errors.append(
            body_error([name], ERR_TEXT_TOO_LONG.format(label=label, limit=limit), "too_long")
        )
        return None
    return text


def as_id(raw: object) -> int | None:
    """A record id from a JSON number or digits, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        if not raw.is_finite() or raw != raw.to_integral_value() or not 1 <= raw <= MAX_ID:
            return None
        return int(raw)
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_ID else None
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip()[:20])
        return value if 1 <= value <= MAX_ID else None
    return None


def quantity_field(raw: object, errors: Errors, name: str = "quantity") -> Decimal | None:
    if raw is None:
        errors.append(body_error([name], ERR_MISSING.format(label="Quantity"), "missing"))
        return None
    try:
        return parse_quantity(raw)
    except AmountError as exc:
        errors.append(body_error([name], ERR_QUANTITY[exc.kind], exc.kind))
        return None


def district_field(raw: object, errors: Errors) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors.append(body_error(["district"], ERR_MISSING.format(label="District"), "missing"))
        return None
    found = None
    if isinstance(raw, str) and "\x00" not in raw:
        found = district_from_text(raw)
    if found is None:
        errors.append(body_error(["district"], ERR_DISTRICT))
    return found


def boolean_field(body: dict[str, Any], name: str, label: str, errors: Errors) -> bool:
    raw = body.get(name, False)
    if raw is None:
        return False
    if not isinstance(raw, bool):
        errors.append(body_error([name], ERR_BOOLEAN.format(label=label), "bool_type"))
        return False
    return raw


def json_schema_body(schema: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON body read by hand."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
