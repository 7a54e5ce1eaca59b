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

from datetime import datetime
from typing import Any

from django.db import transaction
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.core.access import (
    STAFF_AND_SUPPLIERS,
    SUPPLIERS,
    Reach,
    api_access,
    require_supplier_user,
)
from socialvalue.core.api_body import ErrorOut, Pagination
from socialvalue.core.money import exact_money_text, plain, round_2dp, round_money
from socialvalue.framework.calculator_api import ThemeValueOut
from socialvalue.procurement.models import Bid, QualitativeResponse, Tender
from socialvalue.procurement.offers.api_body import (
    ANSWER_FIELDS,
    OFFER_BODY,
    offer_document,
    read_offer_body,
)
from socialvalue.procurement.offers.rules import (
    OfferIncomplete,
    OfferLocked,
    offer_totals,
)
from socialvalue.procurement.offers.selectors import bid_of
from socialvalue.procurement.offers.services import (
    bid_reopen,
    bid_replace,
    bid_start,
    bid_submit,
    bid_withdraw,
)
from socialvalue.procurement.selectors import (
    bids_visible_to,
    get_bid_for_user,
    get_tender_for_user,
    tenders_visible_to,
)

router = Router(tags=["tenders"])

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
        return plain(round_2dp(obj.quantitative_marks))

    @staticmethod
    def resolve_qualitative_marks(obj: Tender) -> str:
        return plain(round_2dp(obj.qualitative_marks))

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
                "proxy_value": None if proxy is None else exact_money_text(proxy),
                "value": plain(round_money(value)),
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
        "total_value": plain(round_money(totals.total_value)),
        "sv_add_percent": None if sv_add is None else plain(round_2dp(sv_add)),
        "by_theme": [
            {"theme": theme.theme, "value": plain(round_money(theme.value))}
            for theme in totals.by_theme
        ],
        "commitments": lines,
    }


def _supplier(request: AuthenticatedRequest) -> User:
    user = request.user
    require_supplier_user(user)
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
def tender_list(request: AuthenticatedRequest) -> Any:
    return tenders_visible_to(request.user).order_by("deadline", "reference")


@router.get(
    "/tenders/{tender_id}",
    auth=api_auth,
    response={200: TenderDetailOut, **ERRORS},
    summary="One tender, with its parameters and menu of measure codes",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def tender_detail(request: AuthenticatedRequest, tender_id: int) -> Any:
    return get_tender_for_user(request.user, tender_id)


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
def bid_list(request: AuthenticatedRequest) -> Any:
    return bids_visible_to(request.user).order_by("-tender__deadline", "tender__reference", "pk")


@router.get(
    "/bids/{bid_id}",
    auth=api_auth,
    response={200: BidOut, **ERRORS},
    summary="One bid, with its commitments and delivery plan answers",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def bid_detail(request: AuthenticatedRequest, bid_id: int) -> Any:
    return _bid_out(get_bid_for_user(request.user, bid_id))


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
def bid_create(request: AuthenticatedRequest, tender_id: int) -> Any:
    user = _supplier(request)
    tender = get_tender_for_user(user, tender_id)
    price, lines = offer_document(read_offer_body(request), tender)
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
def bid_put(request: AuthenticatedRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    price, lines = offer_document(read_offer_body(request), bid.tender)
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
def bid_submit_endpoint(request: AuthenticatedRequest, bid_id: int) -> Any:
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
def bid_withdraw_endpoint(request: AuthenticatedRequest, bid_id: int) -> Any:
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
def bid_reopen_endpoint(request: AuthenticatedRequest, bid_id: int) -> Any:
    user = _supplier(request)
    bid = get_bid_for_user(user, bid_id)
    try:
        bid = bid_reopen(bid=bid, by=user)
    except OfferLocked as exc:
        raise HttpError(409, exc.messages[0]) from None
    return _bid_out(bid)
