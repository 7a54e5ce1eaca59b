"""Tender and bid endpoints, scoped by the caller's organisation and role.

- Suppliers see open tenders (and those they bid in) and their own bids, and create,
  change, submit, withdraw and reopen their own offers.
- The buyer's staff see their organisation's tenders, and its submitted bids once the
  deadline has passed. They cannot change offers (403).
- Anyone else gets 404 for a tender or bid, so nobody learns that it exists.

Request bodies are read here rather than declared as schemas, so that numbers keep their
exact decimal text and every error names its place, such as
``["body", "commitments", 2, "quantity"]``. Decimals travel as strings.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.models import User
from socialvalue.core.access import (
    STAFF_AND_SUPPLIERS,
    SUPPLIERS,
    Reach,
    api_access,
    require_supplier_user,
)
from socialvalue.core.api_body import ErrorOut, Pagination, body_error, read_json_object
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
    plain,
    proxy_text,
    to_2dp,
    to_pence,
)
from socialvalue.framework.calculator_api import ThemeValueOut
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, QualitativeResponse, Tender
from socialvalue.procurement.offer_forms import MAX_ANSWER_LENGTH
from socialvalue.procurement.offer_selectors import bid_of
from socialvalue.procurement.offers import (
    OfferIncomplete,
    OfferLocked,
    bid_reopen,
    bid_replace,
    bid_start,
    bid_submit,
    bid_withdraw,
    offer_totals,
)
from socialvalue.procurement.selectors import (
    bids_visible_to,
    get_bid_for_user,
    get_tender_for_user,
    tenders_visible_to,
)

router = Router(tags=["tenders"])

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


# --- Output -------------------------------------------------------------------------------


class TenderOut(Schema):
    id: int
    reference: str
    title: str
    buyer: str
    category: str
    status: str
    estimated_value: str
    duration_months: int
    deadline: datetime
    framework: str
    sv_weighting: str
    quantitative_share: str
    quant_basis: str
    deliverability_threshold: int

    @staticmethod
    def resolve_buyer(obj: Tender) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_framework(obj: Tender) -> str:
        return obj.framework_version.slug

    @staticmethod
    def resolve_estimated_value(obj: Tender) -> str:
        return plain(obj.estimated_value)

    @staticmethod
    def resolve_sv_weighting(obj: Tender) -> str:
        return plain(obj.sv_weighting)

    @staticmethod
    def resolve_quantitative_share(obj: Tender) -> str:
        return plain(obj.quantitative_share)


class TenderDetailOut(TenderOut):
    description: str
    quantitative_marks: str
    qualitative_marks: str
    menu: list[str]

    @staticmethod
    def resolve_quantitative_marks(obj: Tender) -> str:
        return plain(to_2dp(obj.quantitative_marks))

    @staticmethod
    def resolve_qualitative_marks(obj: Tender) -> str:
        return plain(to_2dp(obj.qualitative_marks))

    @staticmethod
    def resolve_menu(obj: Tender) -> list[str]:
        return list(
            obj.menu.order_by("theme__order", "order", "code").values_list("code", flat=True)
        )


class _BidFields(Schema):
    id: int
    tender: int
    tender_reference: str
    supplier: str
    status: str
    price: str | None
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    receipt_reference: str | None


class BidSummaryOut(_BidFields):
    @staticmethod
    def resolve_tender(obj: Bid) -> int:
        return obj.tender_id

    @staticmethod
    def resolve_tender_reference(obj: Bid) -> str:
        return obj.tender.reference

    @staticmethod
    def resolve_supplier(obj: Bid) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_price(obj: Bid) -> str | None:
        return None if obj.price is None else plain(obj.price)

    @staticmethod
    def resolve_receipt_reference(obj: Bid) -> str | None:
        return obj.receipt_reference or None


class CommitmentOut(Schema):
    measure: str
    quantity: str
    target_district: str | None
    proxy_value: str | None
    value: str
    activity: str
    who_delivers: str
    when: str
    partners: str
    evidence: str


class BidOut(_BidFields):
    total_value: str
    sv_add_percent: str | None
    by_theme: list[ThemeValueOut]
    commitments: list[CommitmentOut]


def _bid_out(bid: Bid) -> dict[str, Any]:
    """A bid with its commitments, their answers and the offer's value."""
    totals = offer_totals(bid)
    commitments = list(
        bid.commitments.select_related("measure", "response").order_by("order", "id")
    )
    lines = []
    for commitment, value in zip(commitments, totals.values, strict=True):
        try:
            response: QualitativeResponse | None = commitment.response
        except QualitativeResponse.DoesNotExist:
            response = None
        proxy = commitment.measure.proxy_value
        lines.append(
            {
                "measure": commitment.measure.code,
                "quantity": plain(commitment.quantity.normalize()),
                "target_district": commitment.target_district or None,
                "proxy_value": None if proxy is None else proxy_text(proxy),
                "value": plain(to_pence(value)),
                **{
                    api_name: getattr(response, stored, "") or ""
                    for api_name, stored, _label, _required in ANSWER_FIELDS
                },
            }
        )
    sv_add = totals.sv_add_percent
    return {
        "id": bid.pk,
        "tender": bid.tender_id,
        "tender_reference": bid.tender.reference,
        "supplier": bid.supplier.name,
        "status": bid.status,
        "price": None if bid.price is None else plain(bid.price),
        "submitted_at": bid.submitted_at,
        "withdrawn_at": bid.withdrawn_at,
        "receipt_reference": bid.receipt_reference or None,
        "total_value": plain(to_pence(totals.total_value)),
        "sv_add_percent": None if sv_add is None else plain(to_2dp(sv_add)),
        "by_theme": [
            {"theme": theme.theme, "value": plain(to_pence(theme.value))}
            for theme in totals.by_theme
        ],
        "commitments": lines,
    }


# --- Reading an offer document ------------------------------------------------------------


@dataclass(frozen=True)
class ApiLine:
    """One commitment read from a request body (fits ``offers.CommitmentLine``)."""

    measure: Measure
    quantity: Decimal
    target_district: str
    activity: str
    who_delivers: str
    timing: str
    partners: str
    evidence: str


def _read_body(request: HttpRequest) -> dict[str, Any]:
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


def _offer_document(body: dict[str, Any], tender: Tender) -> tuple[Decimal | None, list[ApiLine]]:
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


def _supplier(request: HttpRequest) -> User:
    user = request.user
    require_supplier_user(user)
    assert isinstance(user, User)
    return user


def _submission_errors(exc: OfferIncomplete) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["bid", *problem.loc], "msg": problem.message, "type": "incomplete"}
            for problem in exc.problems
        ]
    )


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Endpoints ----------------------------------------------------------------------------


@router.get(
    "/tenders",
    auth=api_auth,
    response=list[TenderOut],
    summary="Tenders you can see",
    description="Suppliers: open tenders of every buying organisation and the tenders they "
    "have bid in. Council staff: their organisation's tenders in every state.",
)
@paginate(Pagination)
@api_access(STAFF_AND_SUPPLIERS)
def tender_list(request: HttpRequest) -> Any:
    return tenders_visible_to(request.user).order_by("deadline", "reference")  # type: ignore[arg-type]


@router.get(
    "/tenders/{tender_id}",
    auth=api_auth,
    response={200: TenderDetailOut, **ERRORS},
    summary="One tender, with its parameters and menu of measure codes",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def tender_detail(request: HttpRequest, tender_id: int) -> Any:
    return get_tender_for_user(request.user, tender_id)  # type: ignore[arg-type]


@router.get(
    "/bids",
    auth=api_auth,
    response=list[BidSummaryOut],
    summary="Bids you can see",
    description="Suppliers: their own organisation's bids, drafts included. Council staff: "
    "the submitted bids in their organisation's tenders whose deadline has passed.",
)
@paginate(Pagination)
@api_access(STAFF_AND_SUPPLIERS)
def bid_list(request: HttpRequest) -> Any:
    return bids_visible_to(request.user).order_by("-tender__deadline", "tender__reference", "pk")  # type: ignore[arg-type]


@router.get(
    "/bids/{bid_id}",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="One bid, with its commitments and delivery plan answers",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def bid_detail(request: HttpRequest, bid_id: int) -> Any:
    return _bid_out(get_bid_for_user(request.user, bid_id))  # type: ignore[arg-type]


@router.post(
    "/tenders/{tender_id}/bids",
    auth=api_auth,
    response={200: BidOut, 201: BidOut, **ERRORS},
    summary="Create your offer in a tender, or replace your existing one",
    description="Suppliers only. Creates your organisation's offer as a draft, or replaces "
    "the price and every commitment of the offer it already has (a submitted offer stays "
    "submitted and must stay complete). 201 when created, 200 when replaced. 409 when the "
    "tender no longer takes offers.",
    openapi_extra=OFFER_BODY,
)
@api_access(SUPPLIERS, Reach.PARTIES)
def bid_create(request: HttpRequest, tender_id: int) -> Any:
    user = _supplier(request)
    tender = get_tender_for_user(user, tender_id)
    price, lines = _offer_document(_read_body(request), tender)
    existed = bid_of(tender, user) is not None
    try:
        with transaction.atomic():
            bid = bid_start(tender=tender, supplier=user.organisation, by=user)  # type: ignore[arg-type]
            bid = bid_replace(bid=bid, by=user, price=price, lines=lines)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    return Status(200 if existed else 201, _bid_out(bid))


@router.put(
    "/bids/{bid_id}",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="Replace your offer's price and commitments",
    description="Suppliers only, before the deadline. Everything is replaced at once, or "
    "nothing changes.",
    openapi_extra=OFFER_BODY,
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def bid_put(request: HttpRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    price, lines = _offer_document(_read_body(request), bid.tender)
    try:
        bid = bid_replace(bid=bid, by=user, price=price, lines=lines)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    return _bid_out(bid)


@router.post(
    "/bids/{bid_id}/submit",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="Submit your offer and get a receipt reference",
    description="Suppliers only, before the deadline. Needs a price, at least one "
    "commitment and every delivery plan answer; each missing part is a 422 entry such as "
    '`{"loc": ["bid", "commitments", 0, "evidence"], ...}`. Submitting a submitted offer '
    "again issues a new receipt. The receipt is also emailed to you.",
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def bid_submit_endpoint(request: HttpRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    try:
        bid = bid_submit(bid=bid, by=user)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    except OfferIncomplete as exc:
        raise _submission_errors(exc) from None
    return _bid_out(bid)


@router.post(
    "/bids/{bid_id}/withdraw",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="Withdraw your submitted offer",
    description="Suppliers only, before the deadline. A withdrawn offer is not evaluated.",
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def bid_withdraw_endpoint(request: HttpRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    try:
        bid = bid_withdraw(bid=bid, by=user)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    return _bid_out(bid)


@router.post(
    "/bids/{bid_id}/reopen",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="Reopen your withdrawn offer as a draft",
    description="Suppliers only, before the deadline.",
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def bid_reopen_endpoint(request: HttpRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    try:
        bid = bid_reopen(bid=bid, by=user)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    return _bid_out(bid)
