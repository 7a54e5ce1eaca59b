"""What the supplier's offer pages share: their messages, an offer's status tag, the signed-in
supplier and their own offer, and the context an offer page is drawn from.

Every bid is fetched with ``get_bid_for_user``, so another supplier (always) and the
buyer's staff (before the deadline, and for drafts at any time) get 404.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.core.access import NOT_SUPPLIER
from socialvalue.framework.calculator import Calculation, CalculationError
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.offers.forms import ANSWERS
from socialvalue.procurement.offers.rules import (
    london_time,
    offer_changed_since_submission,
    offer_lock_reason,
)
from socialvalue.procurement.offers.selectors import (
    commitments_of,
    days_to_close,
    running_total,
)
from socialvalue.procurement.selectors import get_bid_for_user

OPPORTUNITIES_PER_PAGE = 20
OFFERS_PER_PAGE = 25
ERR_TEMPLATE_PROBLEMS = (
    "Your template has {count} {problems}, listed above. Nothing in your offer has changed."
)
MSG_STARTED = "You have started an offer. Add your bid price and your commitments."
MSG_PRICE_SAVED = "Your bid price has been saved."
MSG_ADDED = "Commitment {code} has been added to your offer."
MSG_UPDATED = "Commitment {code} has been updated."
MSG_REMOVED = "Commitment {code} has been removed from your offer."
MSG_UPLOADED = "Your offer now has the {count} commitments from your completed template."
MSG_UPLOADED_ONE = "Your offer now has the 1 commitment from your completed template."
MSG_WITHDRAWN = "Your offer has been withdrawn. It will not be evaluated."
MSG_REOPENED = "Your offer is a draft again. Submit it before the deadline to be evaluated."
MSG_STILL_SUBMITTED = (
    "Your offer is still submitted with this change. Submit it again to get a new receipt "
    "that covers your changes."
)
SUPPLIER = User.Role.SUPPLIER


STATUS_TAGS: dict[str, str] = {
    Bid.Status.DRAFT: "govuk-tag--grey",
    Bid.Status.SUBMITTED: "govuk-tag--blue",
    Bid.Status.WITHDRAWN: "govuk-tag--orange",
    Bid.Status.SUCCESSFUL: "govuk-tag--green",
    Bid.Status.UNSUCCESSFUL: "govuk-tag--red",
}


# --- Helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusTag:
    label: str
    css: str


def status_tag(bid: Bid) -> StatusTag:
    if bid.status == Bid.Status.DRAFT and timezone.now() >= bid.tender.deadline:
        return StatusTag("Not submitted", "govuk-tag--grey")
    return StatusTag(bid.get_status_display(), STATUS_TAGS.get(bid.status, "govuk-tag--grey"))


def require_supplier(request: AuthenticatedRequest) -> User:
    user = request.user
    if not user.is_supplier_user:
        raise PermissionDenied(NOT_SUPPLIER)
    return user


def own_bid(request: AuthenticatedRequest, pk: int) -> Bid:
    """The signed-in supplier's own bid (404 for anyone else's)."""
    return get_bid_for_user(request.user, pk)


def tender_context(tender: Tender) -> dict[str, Any]:
    return {
        "tender": tender,
        "deadline_text": london_time(tender.deadline),
        "closes_text": days_to_close(tender.deadline),
    }


def safe_total(
    tender: Tender, lines: list[tuple[str, Decimal]], price: Decimal | None
) -> Calculation | None:
    try:
        return running_total(tender=tender, lines=lines, price=price)
    except CalculationError:
        return None


def saved_lines(
    commitments: list[Commitment], *, leave_out: int | None = None
) -> list[tuple[str, Decimal]]:
    return [(c.measure.code, c.quantity) for c in commitments if c.pk != leave_out]


def locked_redirect(request: AuthenticatedRequest, bid: Bid, reason: str) -> HttpResponse:
    messages.error(request, reason)
    return redirect("procurement:offer_edit", pk=bid.pk)


@dataclass(frozen=True)
class OfferRow:
    """One commitment as the offer pages show it: its value and its delivery plan."""

    position: int
    commitment: Commitment
    value: Decimal | None
    district: str
    answers: list[tuple[str, str, str]]  # (field, label, text)
    missing: list[str]


def offer_rows(commitments: list[Commitment], total: Calculation | None) -> list[OfferRow]:
    values: list[Decimal | None] = list(total.values) if total is not None else []
    values += [None] * (len(commitments) - len(values))
    rows = []
    for position, (commitment, value) in enumerate(zip(commitments, values, strict=True), 1):
        response = getattr(commitment, "response", None)
        answers = [(name, label, getattr(response, name, "") or "") for name, label, *_ in ANSWERS]
        rows.append(
            OfferRow(
                position=position,
                commitment=commitment,
                value=value,
                district=commitment.get_target_district_display()
                if commitment.target_district
                else "",
                answers=answers,
                missing=[
                    label
                    for (name, label, text), (*_, required) in zip(answers, ANSWERS, strict=True)
                    if required and not text.strip()
                ],
            )
        )
    return rows


def offer_context(bid: Bid, commitments: list[Commitment] | None = None) -> dict[str, Any]:
    commitments = commitments if commitments is not None else commitments_of(bid)
    total = safe_total(bid.tender, saved_lines(commitments), bid.price)
    lock_reason = offer_lock_reason(bid)
    return {
        **tender_context(bid.tender),
        "bid": bid,
        "status_tag": status_tag(bid),
        "lock_reason": lock_reason,
        "editable": lock_reason is None,
        "can_reopen": bid.status == Bid.Status.WITHDRAWN
        and bid.tender.status == Tender.Status.OPEN
        and timezone.now() < bid.tender.deadline,
        "commitments": commitments,
        "rows": offer_rows(commitments, total),
        "total": total,
        "price": bid.price,
        "changed_since_submission": offer_changed_since_submission(bid),
        "submitted_text": london_time(bid.submitted_at) if bid.submitted_at else "",
        "withdrawn_text": london_time(bid.withdrawn_at) if bid.withdrawn_at else "",
    }


def price_text(price: Decimal | None) -> str:
    """A saved price as someone would type it: 1250000 or 1250000.50."""
    if price is None:
        return ""
    return f"{price:.0f}" if price == price.to_integral_value() else f"{price:f}"
