"""Shared pieces of the JSON API: the error shape, and reading a JSON body exactly.

Endpoints that take money or quantities read their body with ``read_json_object`` instead
of a declared schema, so that JSON numbers keep their exact decimal text (0.1 never passes
through a float) and every error can name its place, e.g. ["body", "commitments", 2,
"quantity"].
"""

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination

ERR_JSON = "The request body is not valid JSON: {error}."
ERR_NOT_UNICODE = (
    "The request body is not valid JSON: its text must be Unicode characters, and a lone "
    "surrogate such as \\ud800 is not one."
)
MAX_PAGE = 100
MAX_OFFSET = 10**9


class PageQuery(LimitOffsetPagination.Input):
    """Bounded, so that a huge offset is a 422 naming the field, not a database error."""

    limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE, description="Records per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Records to skip.")


class Pagination(LimitOffsetPagination):
    """``limit`` (1–100) and ``offset``; the answer is ``{"items": [...], "count": n}``."""

    Input = PageQuery


def _absent_when_none(value: object) -> bool:
    return value is None


def _optional_text(schema: dict[str, Any]) -> None:
    """Document a field that is either left out or text (it is never sent as null)."""
    schema.pop("anyOf", None)
    schema.pop("default", None)
    schema["type"] = "string"


class ErrorItemOut(Schema):
    """One problem: where it is, what is wrong and, for most, a machine-readable kind."""

    loc: list[str | int] = Field(
        description="Where the problem is: a place such as `body`, `query`, `path` or "
        "`header`, then field names (text) and list positions (whole numbers counted from "
        '0), e.g. `["body", "commitments", 2, "quantity"]`. Empty for the whole request.',
        examples=[["body", "commitments", 2, "quantity"]],
    )
    msg: str = Field(description="What is wrong, in plain English.")
    type: str | None = Field(
        default=None,
        description="The kind of problem, such as `missing` or `json_invalid`; left out when "
        "the status code says it all.",
        exclude_if=_absent_when_none,
        json_schema_extra=_optional_text,
    )


class ErrorOut(Schema):
    """Every API error: ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``."""

    detail: list[ErrorItemOut] = Field(description="One entry per problem found.")


class DistrictOut(Schema):
    """A Lancashire district, or outside Lancashire."""

    code: str = Field(description="The district's ONS code, such as E07000117, or 'outside'.")
    name: str


class JsonBodyError(Exception):
    """The body could not be read as JSON at all: answered with a 400 and ``detail``."""

    def __init__(self, detail: list[dict[str, Any]]) -> None:
        super().__init__(detail[0]["msg"])
        self.detail = detail


def body_error(loc: list[str | int], msg: str, kind: str = "value_error") -> dict[str, Any]:
    """One error about the request body, at ``["body", *loc]``."""
    return {"loc": ["body", *loc], "msg": msg, "type": kind}


def json_number(text: str) -> Decimal | str:
    """Read a JSON number from its text, exactly; an impossible exponent stays text."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(document: object) -> list[str | int] | None:
    """Where in a parsed JSON document a string (or key) holds a lone surrogate, or None.

    JSON may escape one (``"\\ud800"``) and Python reads it, but it is not a character:
    no database can store or even look it up, so it must not get past the body reader.
    """
    stack: list[tuple[object, list[str | int]]] = [(document, [])]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return loc
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return loc
                stack.append((item, [*loc, key]))
        elif isinstance(value, list):
            stack.extend((item, [*loc, index]) for index, item in enumerate(value))
    return None


def read_json_object(request: HttpRequest, *, too_big: str, not_object: str) -> dict[str, Any]:
    """The request body as a JSON object, numbers as ``Decimal``.

    Raises ``JsonBodyError`` (a 400) for a body that is too large, not JSON or not Unicode
    text, and a 422 ``ValidationError`` at ``["body"]`` when it is JSON but not an object.
    """
    try:
        body = json.loads(
            request.body, parse_float=json_number, parse_int=json_number, parse_constant=json_number
        )
    except RequestDataTooBig:
        raise JsonBodyError([body_error([], too_big)]) from None
    except (ValueError, RecursionError) as exc:
        raise JsonBodyError([body_error([], ERR_JSON.format(error=exc), "json_invalid")]) from None
    where = lone_surrogate_at(body)
    if where is not None:
        raise JsonBodyError([body_error(where, ERR_NOT_UNICODE, "json_invalid")])
    if not isinstance(body, dict):
        raise ValidationError([body_error([], not_object, "model_type")])
    return body
