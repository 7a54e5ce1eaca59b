"""Reading an offer sent to the tender API (``procurement/api.py``): its limits, its messages,
the OpenAPI schema of its body, and the reader that checks it against the tender.

Bodies are read here rather than declared as schemas, so that numbers keep their exact
decimal text and every error names its place, such as ``["body", "commitments", 2,
"quantity"]``. Decimals travel as strings.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja.errors import ValidationError

from socialvalue.core.api_body import body_error, read_json_object
from socialvalue.core.geography import district_from_text
from socialvalue.core.money import MONEY, QUANTITY
from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_contract_value,
    parse_quantity,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Tender
from socialvalue.procurement.offers.forms import MAX_ANSWER_LENGTH

MAX_COMMITMENTS = 100

ERR_JSON = "The request body is not valid JSON: {error}."
ERR_TOO_BIG = "The request body is too large."
ERR_BODY_NOT_OBJECT = "The request body must be a JSON object with 'price' and 'commitments'."
ERR_PRICE = {
    NOT_A_NUMBER: 'Price must be an amount in pounds, such as "1250000.00".',
    NOT_FINITE: "Price must be a finite amount; NaN and Infinity are not amounts.",
    NOT_POSITIVE: "Price must be more than 0.",
    TOO_LARGE: f"{MONEY.too_large('Price')}.",
    TOO_PRECISE: "Price must be in pounds and pence, with at most 2 decimal places.",
}
ERR_COMMITMENTS_MISSING = (
    "Commitments are required: a list of commitment objects (it may be empty for a draft)."
)
ERR_COMMITMENTS_TYPE = "Commitments must be a list of commitment objects."
ERR_TOO_MANY = "Send at most {limit} commitments; this offer has {count}."
ERR_COMMITMENT_TYPE = (
    "Each commitment must be an object with measure, quantity, activity, who_delivers, when "
    "and evidence (target_district and partners are optional)."
)
ERR_MEASURE_MISSING = "Measure is required: a measure code from the tender's menu, such as 'NT1'."
ERR_MEASURE_TYPE = "Measure must be a measure code such as 'NT1', as a string."
ERR_UNKNOWN_MEASURE = "Unknown measure code '{code}' in {framework}."
ERR_NOT_ON_MENU = "{code} is not on this tender's menu."
ERR_QUANTITY_MISSING = 'Quantity is required: a number of more than 0, such as "2.5".'
ERR_QUANTITY = {
    NOT_A_NUMBER: 'Quantity must be a number, such as 2.5 or "2.5".',
    NOT_FINITE: "Quantity must be a finite number; NaN and Infinity are not quantities.",
    NEGATIVE: "Quantity must be more than 0.",
    NOT_POSITIVE: "Quantity must be more than 0.",
    TOO_LARGE: f"{QUANTITY.too_large('Quantity')}.",
    TOO_PRECISE: f"{QUANTITY.too_precise('Quantity')}.",
}
ERR_DISTRICT = (
    "Target district must be a Lancashire district code or name (such as 'E07000117' or "
    "'Burnley'), 'outside', or null."
)
ERR_TEXT_MISSING = "{label} is required."
ERR_TEXT_TYPE = "{label} must be text."
ERR_TEXT_TOO_LONG = "{label} must be {limit:,} characters or fewer."
ERR_TEXT_NUL = "{label} must not contain NUL characters."

# (API field, stored field, label, required)
ANSWER_FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("activity", "activity", "Activity (what you will do)", True),
    ("who_delivers", "who_delivers", "Who delivers", True),
    ("when", "timing", "When", True),
    ("partners", "partners", "Partners", False),
    ("evidence", "evidence", "Evidence to be provided", True),
)

OFFER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["commitments"],
    "properties": {
        "price": {
            "type": ["string", "null"],
            "example": "1000000.00",
            "description": "The bid price in £, more than 0; null leaves a draft without one.",
        },
        "commitments": {
            "type": "array",
            "maxItems": MAX_COMMITMENTS,
            "items": {
                "type": "object",
                "required": ["measure", "quantity", "activity", "who_delivers", "when", "evidence"],
                "properties": {
                    "measure": {"type": "string", "example": "NT1"},
                    "quantity": {"type": "string", "example": "2.5"},
                    "target_district": {
                        "type": ["string", "null"],
                        "description": "A Lancashire district code or name, or 'outside'.",
                        "example": "Burnley",
                    },
                    "activity": {"type": "string"},
                    "who_delivers": {"type": "string"},
                    "when": {"type": "string"},
                    "partners": {"type": "string"},
                    "evidence": {"type": "string"},
                },
            },
        },
    },
    "example": {
        "price": "1000000.00",
        "commitments": [
            {
                "measure": "NT1",
                "quantity": "2.5",
                "target_district": "Burnley",
                "activity": "Recruit 2.5 FTE local staff for the depot.",
                "who_delivers": "Our operations manager with the Burnley jobcentre.",
                "when": "From month 1, reviewed quarterly.",
                "partners": "Burnley Jobcentre Plus",
                "evidence": "Payroll extracts with postcodes each quarter.",
            }
        ],
    },
}
OFFER_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": OFFER_SCHEMA}}}
}


@dataclass(frozen=True)
class ApiLine:
    """One commitment read from a request body (fits ``offers.rules.CommitmentLine``)."""

    measure: Measure
    quantity: Decimal
    target_district: str
    activity: str
    who_delivers: str
    timing: str
    partners: str
    evidence: str


def read_offer_body(request: HttpRequest) -> dict[str, Any]:
    return read_json_object(request, too_big=ERR_TOO_BIG, not_object=ERR_BODY_NOT_OBJECT)


def _price(raw: object, errors: list[dict[str, Any]]) -> Decimal | None:
    if raw is None:
        return None
    try:
        price = parse_contract_value(raw)
    except AmountError as exc:
        errors.append(body_error(["price"], ERR_PRICE[exc.kind], exc.kind))
        return None
    return price


def _text(
    item: dict[str, Any], index: int, name: str, label: str, required: bool, errors: list[Any]
) -> str:
    raw = item.get(name)
    loc: list[str | int] = ["commitments", index, name]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.append(body_error(loc, ERR_TEXT_MISSING.format(label=label), "missing"))
        return ""
    if not isinstance(raw, str):
        errors.append(body_error(loc, ERR_TEXT_TYPE.format(label=label), "string_type"))
        return ""
    if "\x00" in raw:
        errors.append(body_error(loc, ERR_TEXT_NUL.format(label=label)))
        return ""
    text = raw.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        errors.append(
            body_error(
                loc, ERR_TEXT_TOO_LONG.format(label=label, limit=MAX_ANSWER_LENGTH), "too_long"
            )
        )
        return ""
    return text


def _measure(
    raw: object,
    index: int,
    tender: Tender,
    measures: dict[str, Measure],
    menu: set[int],
    errors: list[Any],
) -> Measure | None:
    loc: list[str | int] = ["commitments", index, "measure"]
    if raw is None:
        errors.append(body_error(loc, ERR_MEASURE_MISSING, "missing"))
        return None
    if not isinstance(raw, str):
        errors.append(body_error(loc, ERR_MEASURE_TYPE))
        return None
    measure = measures.get(raw.strip().upper())
    if measure is None:
        errors.append(
            body_error(
                loc,
                ERR_UNKNOWN_MEASURE.format(code=raw[:20], framework=tender.framework_version.slug),
                "unknown_measure",
            )
        )
        return None
    if measure.pk not in menu:
        errors.append(body_error(loc, ERR_NOT_ON_MENU.format(code=measure.code), "not_on_menu"))
        return None
    return measure


def _quantity(raw: object, index: int, errors: list[Any]) -> Decimal | None:
    loc: list[str | int] = ["commitments", index, "quantity"]
    if raw is None:
        errors.append(body_error(loc, ERR_QUANTITY_MISSING, "missing"))
        return None
    try:
        quantity = parse_quantity(raw)
    except AmountError as exc:
        errors.append(body_error(loc, ERR_QUANTITY[exc.kind], exc.kind))
        return None
    if quantity <= 0:
        errors.append(body_error(loc, ERR_QUANTITY[NOT_POSITIVE], NOT_POSITIVE))
        return None
    return quantity


def _district(raw: object, index: int, errors: list[Any]) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    found = district_from_text(raw) if isinstance(raw, str) else None
    if found is None:
        errors.append(body_error(["commitments", index, "target_district"], ERR_DISTRICT))
        return ""
    return found


def offer_document(body: dict[str, Any], tender: Tender) -> tuple[Decimal | None, list[ApiLine]]:
    """The price and commitments of an offer body, or a 422 listing every problem."""
    errors: list[dict[str, Any]] = []
    price = _price(body.get("price"), errors)
    lines: list[ApiLine] = []
    raw_lines = body.get("commitments")
    if "commitments" not in body:
        errors.append(body_error(["commitments"], ERR_COMMITMENTS_MISSING, "missing"))
    elif not isinstance(raw_lines, list):
        errors.append(body_error(["commitments"], ERR_COMMITMENTS_TYPE, "list_type"))
    elif len(raw_lines) > MAX_COMMITMENTS:
        errors.append(
            body_error(
                ["commitments"],
                ERR_TOO_MANY.format(limit=MAX_COMMITMENTS, count=len(raw_lines)),
                "too_long",
            )
        )
    else:
        measures = {
            m.code.upper(): m for m in Measure.objects.filter(version=tender.framework_version)
        }
        menu = set(tender.menu.values_list("pk", flat=True))
        for index, item in enumerate(raw_lines):
            if not isinstance(item, dict):
                errors.append(body_error(["commitments", index], ERR_COMMITMENT_TYPE, "model_type"))
                continue
            before = len(errors)
            measure = _measure(item.get("measure"), index, tender, measures, menu, errors)
            quantity = _quantity(item.get("quantity"), index, errors)
            district = _district(item.get("target_district"), index, errors)
            answers = {
                stored: _text(item, index, api_name, label, required, errors)
                for api_name, stored, label, required in ANSWER_FIELDS
            }
            if len(errors) == before and measure is not None and quantity is not None:
                lines.append(
                    ApiLine(measure=measure, quantity=quantity, target_district=district, **answers)
                )
    if errors:
        raise ValidationError(errors)
    return price, lines
