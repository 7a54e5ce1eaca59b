"""The rules of a supplier's social value offer (bid), and reads of where an offer stands.

The rules, from the Social Value Strategy's standardised approach (section 9) and its
qualitative delivery plan (section 17):

- Only users of the supplier organisation change its offer, and only while the tender is
  open and before its deadline. From the deadline on, every offer is read-only.
- Submitting needs a bid price, at least one commitment, every commitment's measure on the
  tender's menu with a quantity of more than 0, and every delivery plan answer (what, who,
  when, evidence) given. It records a receipt reference and emails a receipt.
- A submitted offer can still be changed until the deadline, and it stays submitted: the
  buyer opens the offer as it stands at the deadline, so a supplier who changes a detail
  and forgets to resubmit is never left without an offer. Every change is kept in history,
  and a change must keep the offer complete (a submitted offer cannot lose its price or its
  last commitment: withdraw it instead). Submitting again issues a new receipt that covers
  the changes.
- A withdrawn offer is not evaluated. Until the deadline it can be reopened as a draft and
  submitted again.

This module holds the messages and errors of those rules and the reads that apply them (may
the offer change now, can it be submitted, what is it worth); ``services.py`` writes.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone

from socialvalue.framework.calculator import (
    Calculation,
    CommitmentInput,
    calculate,
    measure_infos_for_version,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, QualitativeResponse, Tender

logger = logging.getLogger(__name__)

ERR_NOT_SUPPLIER_ORG = "Only a supplier organisation can make an offer."
ERR_NOT_YOUR_OFFER = "Only users of {supplier} can change this offer."
ERR_TENDER_NOT_OPEN = "This tender is {status}, so offers cannot be made or changed."
ERR_DEADLINE_PASSED = (
    "The deadline for offers ({deadline}) has passed, so this offer can no longer be changed."
)
ERR_WITHDRAWN = "This offer has been withdrawn. Reopen it as a draft to change it."
ERR_OFFER_CLOSED = "This offer is {status} and can no longer be changed."
ERR_NOT_SUBMITTED = "Only a submitted offer can be withdrawn; this one is {status}."
ERR_NOT_WITHDRAWN = "Only a withdrawn offer can be reopened; this one is {status}."
ERR_PRICE_MISSING = "Enter your bid price."
ERR_PRICE_NOT_POSITIVE = "Enter a bid price of more than £0."
ERR_NO_COMMITMENTS = "Add at least one commitment to your offer."
ERR_MEASURE_NOT_ON_MENU = "Choose a measure from this tender's menu; {code} is not on it."
ERR_QUANTITY_NOT_POSITIVE = "Enter a quantity of more than 0."
ERR_LINE_MEASURE_NOT_ON_MENU = "Commitment {position}: {code} is not on this tender's menu."
ERR_LINE_QUANTITY = "Commitment {position} ({code}): enter a quantity of more than 0."
ERR_LINE_ANSWER_MISSING = "Commitment {position} ({code}): {missing}."
ERR_LINE_INVALID = "{label} ({code}): {message}"
ERR_MUST_STAY_COMPLETE = (
    "Your offer is submitted, so it must stay complete. {problem} "
    "If you no longer want to make this offer, withdraw it instead."
)

# The delivery plan answers a submitted offer needs, with what to ask for when one is blank.
REQUIRED_ANSWERS: tuple[tuple[str, str, str], ...] = (
    ("activity", "activity", "say what you will do"),
    ("who_delivers", "who_delivers", "say who will deliver it"),
    ("timing", "when", "say when it will happen"),
    ("evidence", "evidence", "say what evidence you will provide"),
)
RESPONSE_FIELDS = ("activity", "who_delivers", "timing", "partners", "evidence")
COMMITMENT_FIELDS = ("measure", "quantity", "target_district")

# Receipt references avoid characters that are easily confused (0/O, 1/I/L).
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_CODE_LENGTH = 5
RECEIPT_MAX_LENGTH = 40

EDITABLE_STATUSES = (Bid.Status.DRAFT, Bid.Status.SUBMITTED)


class OfferLocked(ValidationError):
    """The offer cannot be changed now: the deadline has passed, the tender is not open, or
    the offer is withdrawn or decided. Nothing about the request itself is wrong."""


@dataclass(frozen=True)
class SubmissionProblem:
    """Why an offer cannot be submitted. ``loc`` names the part of the offer: ("price",),
    ("commitments",) or ("commitments", index from 0, field) with the API's field names."""

    loc: tuple[str | int, ...]
    message: str
    commitment_id: int | None = None
    field: str = ""


class OfferIncomplete(ValidationError):
    """The offer is not ready to submit; ``problems`` lists every reason."""

    def __init__(self, problems: list[SubmissionProblem]) -> None:
        self.problems = problems
        super().__init__([problem.message for problem in problems])


class CommitmentLine(Protocol):
    """One commitment with its delivery plan, as read from an uploaded template or the API."""

    @property
    def measure(self) -> Measure: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def target_district(self) -> str: ...
    @property
    def activity(self) -> str: ...
    @property
    def who_delivers(self) -> str: ...
    @property
    def timing(self) -> str: ...
    @property
    def partners(self) -> str: ...
    @property
    def evidence(self) -> str: ...


# --- Reading the state of an offer ---------------------------------------------------------


def london_time(moment: datetime) -> str:
    """A moment in plain English, Europe/London: "5pm on Friday 13 March 2026"."""
    local = timezone.localtime(moment)
    if local.hour == 0 and local.minute == 0:
        clock = "midnight"
    elif local.hour == 12 and local.minute == 0:
        clock = "midday"
    else:
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        clock = f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{clock} on {local:%A} {local.day} {local:%B %Y}"


def offer_lock_reason(bid: Bid, *, now: datetime | None = None) -> str | None:
    """Why the offer cannot be changed now, or None when its supplier may change it."""
    now = now or timezone.now()
    tender = bid.tender
    if now >= tender.deadline:
        return ERR_DEADLINE_PASSED.format(deadline=london_time(tender.deadline))
    if tender.status != Tender.Status.OPEN:
        return ERR_TENDER_NOT_OPEN.format(status=tender.get_status_display().lower())
    if bid.status == Bid.Status.WITHDRAWN:
        return ERR_WITHDRAWN
    if bid.status not in EDITABLE_STATUSES:
        return ERR_OFFER_CLOSED.format(status=bid.get_status_display().lower())
    return None


def offer_changed_since_submission(bid: Bid) -> bool:
    """A submitted offer changed after its latest receipt (submitting again covers it)."""
    return (
        bid.status == Bid.Status.SUBMITTED
        and bid.submitted_at is not None
        and bid.updated_at > bid.submitted_at
    )


def bid_submission_problems(bid: Bid) -> list[SubmissionProblem]:
    """Everything that stops ``bid`` being submitted, in the order a supplier would fix it."""
    problems: list[SubmissionProblem] = []
    if bid.price is None:
        problems.append(SubmissionProblem(("price",), ERR_PRICE_MISSING, field="price"))
    elif bid.price <= 0:
        problems.append(SubmissionProblem(("price",), ERR_PRICE_NOT_POSITIVE, field="price"))
    commitments = list(
        bid.commitments.select_related("measure", "response").order_by("order", "id")
    )
    if not commitments:
        problems.append(SubmissionProblem(("commitments",), ERR_NO_COMMITMENTS))
    menu = set(bid.tender.menu.values_list("pk", flat=True))
    for index, commitment in enumerate(commitments):
        position, code = index + 1, commitment.measure.code
        if commitment.measure_id not in menu:
            problems.append(
                SubmissionProblem(
                    ("commitments", index, "measure"),
                    ERR_LINE_MEASURE_NOT_ON_MENU.format(position=position, code=code),
                    commitment.pk,
                    "measure",
                )
            )
        if commitment.quantity <= 0:
            problems.append(
                SubmissionProblem(
                    ("commitments", index, "quantity"),
                    ERR_LINE_QUANTITY.format(position=position, code=code),
                    commitment.pk,
                    "quantity",
                )
            )
        response = response_of(commitment)
        for name, api_name, ask in REQUIRED_ANSWERS:
            if not (getattr(response, name, "") or "").strip():
                problems.append(
                    SubmissionProblem(
                        ("commitments", index, api_name),
                        ERR_LINE_ANSWER_MISSING.format(position=position, code=code, missing=ask),
                        commitment.pk,
                        name,
                    )
                )
    return problems


def response_of(commitment: Commitment) -> QualitativeResponse | None:
    try:
        return commitment.response
    except QualitativeResponse.DoesNotExist:
        return None


def offer_totals(bid: Bid) -> Calculation:
    """The offer's value with the tender's pinned proxies (a ``Calculation``)."""
    commitments = bid.commitments.select_related("measure")
    return calculate(
        measures=measure_infos_for_version(bid.tender.framework_version),
        commitments=[CommitmentInput(c.measure.code, c.quantity) for c in commitments],
        contract_value=bid.price,
        framework=bid.tender.framework_version.name,
    )
