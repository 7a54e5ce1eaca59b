"""Writes for suppliers' social value offers (bids): draft, submit, change, withdraw.

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
"""

import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
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
        response = _response_of(commitment)
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


def _response_of(commitment: Commitment) -> QualitativeResponse | None:
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


# --- Guards shared by every write ------------------------------------------------------------


def _require_member(supplier: Organisation, by: User) -> None:
    if not (
        by.is_authenticated
        and by.is_active
        and by.is_supplier_user
        and by.organisation_id == supplier.pk
    ):
        raise PermissionDenied(ERR_NOT_YOUR_OFFER.format(supplier=supplier))


def _locked_for_change(bid: Bid, by: User, now: datetime | None) -> Bid:
    """The bid row, locked for this transaction, once ``by`` may change it now."""
    locked = (
        Bid.objects.select_for_update(of=("self",))
        .select_related("tender", "supplier")
        .get(pk=bid.pk)
    )
    _require_member(locked.supplier, by)
    reason = offer_lock_reason(locked, now=now)
    if reason:
        raise OfferLocked(reason)
    locked._history_user = by  # type: ignore[attr-defined]
    return locked


def _changed(bid: Bid, by: User | None, fields: Sequence[str] = ()) -> None:
    """Save the offer as changed (its ``fields`` and the time, with history). A submitted
    offer must still be complete afterwards."""
    if bid.status == Bid.Status.SUBMITTED:
        problems = bid_submission_problems(bid)
        if problems:
            raise ValidationError(ERR_MUST_STAY_COMPLETE.format(problem=problems[0].message))
    bid._history_user = by  # type: ignore[attr-defined]
    bid.save(update_fields=[*fields, "updated_at"])


def _check_line_fields(
    tender: Tender, measure: Measure | None, quantity: Decimal | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if measure is not None and not tender.menu.filter(pk=measure.pk).exists():
        errors["measure"] = [ERR_MEASURE_NOT_ON_MENU.format(code=measure.code)]
    if quantity is not None and quantity <= 0:
        errors["quantity"] = [ERR_QUANTITY_NOT_POSITIVE]
    return errors


def _validate_pair(
    commitment: Commitment, response: QualitativeResponse, extra: dict[str, list[str]]
) -> None:
    """Every problem with a commitment and its answers at once, keyed by field name."""
    errors = {name: list(messages) for name, messages in extra.items()}
    for instance, exclude in ((commitment, ["bid"]), (response, ["commitment"])):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(m for m in messages if m not in errors[name])
    if errors:
        raise ValidationError(errors)


def _clean_text(value: str | None) -> str:
    # Databases refuse NUL characters in text; forms and the API refuse them first.
    return (value or "").replace("\x00", "").strip()


# --- Services ------------------------------------------------------------------------------


@transaction.atomic
def bid_start(
    *, tender: Tender, supplier: Organisation, by: User, now: datetime | None = None
) -> Bid:
    """The supplier's offer in ``tender``: its existing one, or a new empty draft."""
    if supplier.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError(ERR_NOT_SUPPLIER_ORG)
    _require_member(supplier, by)
    existing = Bid.objects.filter(tender=tender, supplier=supplier).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    if now >= tender.deadline:
        raise OfferLocked(ERR_DEADLINE_PASSED.format(deadline=london_time(tender.deadline)))
    if tender.status != Tender.Status.OPEN:
        raise OfferLocked(ERR_TENDER_NOT_OPEN.format(status=tender.get_status_display().lower()))
    bid = Bid(tender=tender, supplier=supplier)
    bid._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            bid.save()
    except IntegrityError:
        # Two people of the same supplier started at the same moment: one offer wins.
        return Bid.objects.get(tender=tender, supplier=supplier)
    return bid


@transaction.atomic
def bid_update(*, bid: Bid, by: User, price: Decimal | None, now: datetime | None = None) -> Bid:
    """Set the bid price (None clears it on a draft)."""
    bid = _locked_for_change(bid, by, now)
    bid.price = price
    if price is not None and price <= 0:
        raise ValidationError({"price": [ERR_PRICE_NOT_POSITIVE]})
    bid.full_clean(exclude=["tender", "supplier", "submitted_by"], validate_unique=False)
    _changed(bid, by, ["price"])
    return bid


@transaction.atomic
def commitment_add(
    *,
    bid: Bid,
    by: User,
    measure: Measure,
    quantity: Decimal,
    activity: str,
    who_delivers: str,
    timing: str,
    evidence: str,
    partners: str = "",
    target_district: str = "",
    now: datetime | None = None,
) -> Commitment:
    """Add a commitment with its delivery plan answers to the end of the offer."""
    bid = _locked_for_change(bid, by, now)
    order = (bid.commitments.aggregate(last=Max("order"))["last"] or 0) + 1
    commitment = Commitment(
        bid=bid,
        measure=measure,
        quantity=quantity,
        target_district=target_district or "",
        order=order,
    )
    response = QualitativeResponse(
        activity=_clean_text(activity),
        who_delivers=_clean_text(who_delivers),
        timing=_clean_text(timing),
        partners=_clean_text(partners),
        evidence=_clean_text(evidence),
    )
    _validate_pair(commitment, response, _check_line_fields(bid.tender, measure, quantity))
    _save_pair(commitment, response, by)
    _changed(bid, by)
    return commitment


def _save_pair(commitment: Commitment, response: QualitativeResponse, by: User | None) -> None:
    commitment._history_user = by  # type: ignore[attr-defined]
    commitment.save()
    response.commitment = commitment
    response._history_user = by  # type: ignore[attr-defined]
    response.save()


@transaction.atomic
def commitment_update(
    *, commitment: Commitment, by: User, now: datetime | None = None, **fields: Any
) -> Commitment:
    """Change a commitment and its answers: any of measure, quantity, target_district,
    activity, who_delivers, timing, partners and evidence."""
    unknown = set(fields) - set(COMMITMENT_FIELDS) - set(RESPONSE_FIELDS)
    if unknown:
        raise ValueError(f"Not a commitment field: {', '.join(sorted(unknown))}")
    bid = _locked_for_change(commitment.bid, by, now)
    commitment = Commitment.objects.select_related("measure").get(pk=commitment.pk, bid=bid)
    response = _response_of(commitment) or QualitativeResponse(commitment=commitment)
    for name in COMMITMENT_FIELDS:
        if name in fields:
            value = fields[name]
            if name == "target_district":
                value = value or ""
            setattr(commitment, name, value)
    for name in RESPONSE_FIELDS:
        if name in fields:
            setattr(response, name, _clean_text(fields[name]))
    _validate_pair(
        commitment,
        response,
        _check_line_fields(
            bid.tender,
            commitment.measure if "measure" in fields else None,
            commitment.quantity if "quantity" in fields else None,
        ),
    )
    _save_pair(commitment, response, by)
    _changed(bid, by)
    return commitment


@transaction.atomic
def commitment_remove(*, commitment: Commitment, by: User, now: datetime | None = None) -> None:
    """Remove a commitment and its answers from the offer."""
    bid = _locked_for_change(commitment.bid, by, now)
    commitment = Commitment.objects.get(pk=commitment.pk, bid=bid)
    commitment._history_user = by  # type: ignore[attr-defined]
    commitment.delete()
    _changed(bid, by)


@transaction.atomic
def bid_replace_commitments(
    *,
    bid: Bid,
    lines: Sequence[CommitmentLine],
    by: User | None = None,
    now: datetime | None = None,
) -> list[Commitment]:
    """Replace all of the offer's commitments with ``lines``, all or nothing.

    Used by the offer template upload and the API. Lines are checked again here (menu,
    quantity, required answers); any problem raises ``ValidationError`` naming the line,
    and nothing changes.
    """
    if by is not None:
        bid = _locked_for_change(bid, by, now)
    else:
        bid = Bid.objects.select_for_update(of=("self",)).select_related("tender").get(pk=bid.pk)
        reason = offer_lock_reason(bid, now=now)
        if reason:
            raise OfferLocked(reason)
    menu = set(bid.tender.menu.values_list("pk", flat=True))
    pairs: list[tuple[Commitment, QualitativeResponse]] = []
    messages: list[str] = []
    for position, line in enumerate(lines, start=1):
        commitment = Commitment(
            bid=bid,
            measure=line.measure,
            quantity=line.quantity,
            target_district=line.target_district or "",
            order=position,
        )
        response = QualitativeResponse(
            activity=_clean_text(line.activity),
            who_delivers=_clean_text(line.who_delivers),
            timing=_clean_text(line.timing),
            partners=_clean_text(line.partners),
            evidence=_clean_text(line.evidence),
        )
        extra: dict[str, list[str]] = {}
        if line.measure.pk not in menu:
            extra["measure"] = [ERR_MEASURE_NOT_ON_MENU.format(code=line.measure.code)]
        if line.quantity is not None and line.quantity <= 0:
            extra["quantity"] = [ERR_QUANTITY_NOT_POSITIVE]
        try:
            _validate_pair(commitment, response, extra)
        except ValidationError as exc:
            row = getattr(line, "row", None)
            label = f"Row {row}" if row else f"Commitment {position}"
            for field_messages in exc.message_dict.values():
                messages.extend(
                    ERR_LINE_INVALID.format(label=label, code=line.measure.code, message=message)
                    for message in field_messages
                )
        pairs.append((commitment, response))
    if messages:
        raise ValidationError(messages)
    for old in bid.commitments.all():
        old._history_user = by  # type: ignore[attr-defined]
        old.delete()
    for commitment, response in pairs:
        _save_pair(commitment, response, by)
    _changed(bid, by)
    return [commitment for commitment, _ in pairs]


@transaction.atomic
def bid_replace(
    *,
    bid: Bid,
    by: User,
    price: Decimal | None,
    lines: Sequence[CommitmentLine],
    now: datetime | None = None,
) -> Bid:
    """Replace the price and every commitment at once (the API's PUT), all or nothing."""
    bid = _locked_for_change(bid, by, now)
    if price is not None and price <= 0:
        raise ValidationError({"price": [ERR_PRICE_NOT_POSITIVE]})
    bid.price = price
    bid.full_clean(exclude=["tender", "supplier", "submitted_by"], validate_unique=False)
    bid.save(update_fields=["price", "updated_at"])
    bid_replace_commitments(bid=bid, lines=lines, by=by, now=now)
    bid.refresh_from_db()
    return bid


def receipt_reference_new(tender: Tender) -> str:
    """A new receipt reference such as SV-LCC-T-001-7Q2K9, never issued before."""
    stem_room = RECEIPT_MAX_LENGTH - len("SV--") - RECEIPT_CODE_LENGTH
    stem = re.sub(r"[^A-Z0-9]+", "-", tender.reference.upper()).strip("-")[:stem_room]
    stem = stem.strip("-") or "OFFER"
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_CODE_LENGTH))
        reference = f"SV-{stem}-{code}"
        if not Bid.history.filter(receipt_reference=reference).exists():
            return reference


def bid_submit(*, bid: Bid, by: User, now: datetime | None = None) -> Bid:
    """Submit the offer (or submit it again after changes) and email a receipt to ``by``.

    Raises ``OfferIncomplete`` with every problem when the offer is not ready, and
    ``OfferLocked`` when it can no longer be changed.
    """
    bid = _bid_submit(bid=bid, by=by, now=now)
    # Sent once the submission is committed: a failed email never undoes a submission, and
    # the receipt reference is on the confirmation page either way.
    _email(
        to=by,
        template="procurement/offers/email/receipt",
        context={"bid": bid, "user": by, "totals": offer_totals(bid)},
    )
    return bid


@transaction.atomic
def _bid_submit(*, bid: Bid, by: User, now: datetime | None) -> Bid:
    now = now or timezone.now()
    bid = _locked_for_change(bid, by, now)
    problems = bid_submission_problems(bid)
    if problems:
        raise OfferIncomplete(problems)
    bid.status = Bid.Status.SUBMITTED
    bid.submitted_at = now
    bid.submitted_by = by
    bid.withdrawn_at = None
    bid.receipt_reference = receipt_reference_new(bid.tender)
    bid.save()
    # The receipt covers the offer as it is now; later changes move updated_at past it.
    Bid.objects.filter(pk=bid.pk).update(updated_at=now)
    bid.updated_at = now
    return bid


def bid_withdraw(*, bid: Bid, by: User, now: datetime | None = None) -> Bid:
    """Withdraw a submitted offer before the deadline; it will not be evaluated."""
    bid = _bid_withdraw(bid=bid, by=by, now=now)
    _email(to=by, template="procurement/offers/email/withdrawn", context={"bid": bid, "user": by})
    return bid


@transaction.atomic
def _bid_withdraw(*, bid: Bid, by: User, now: datetime | None) -> Bid:
    now = now or timezone.now()
    bid = _locked_for_change(bid, by, now)
    if bid.status != Bid.Status.SUBMITTED:
        raise OfferLocked(ERR_NOT_SUBMITTED.format(status=bid.get_status_display().lower()))
    bid.status = Bid.Status.WITHDRAWN
    bid.withdrawn_at = now
    bid.save()
    return bid


@transaction.atomic
def bid_reopen(*, bid: Bid, by: User, now: datetime | None = None) -> Bid:
    """Turn a withdrawn offer back into a draft before the deadline."""
    locked = (
        Bid.objects.select_for_update(of=("self",))
        .select_related("tender", "supplier")
        .get(pk=bid.pk)
    )
    _require_member(locked.supplier, by)
    if locked.status != Bid.Status.WITHDRAWN:
        raise OfferLocked(ERR_NOT_WITHDRAWN.format(status=locked.get_status_display().lower()))
    now = now or timezone.now()
    if now >= locked.tender.deadline:
        raise OfferLocked(ERR_DEADLINE_PASSED.format(deadline=london_time(locked.tender.deadline)))
    if locked.tender.status != Tender.Status.OPEN:
        raise OfferLocked(
            ERR_TENDER_NOT_OPEN.format(status=locked.tender.get_status_display().lower())
        )
    locked._history_user = by  # type: ignore[attr-defined]
    locked.status = Bid.Status.DRAFT
    locked.submitted_at = None
    locked.withdrawn_at = None
    locked.receipt_reference = ""
    locked.save()
    return locked


def _email(*, to: User, template: str, context: dict[str, Any]) -> None:
    context = {**context, "service_name": settings.SERVICE_NAME, "london_time": london_time}
    bid: Bid = context["bid"]
    context.setdefault("deadline_text", london_time(bid.tender.deadline))
    if bid.submitted_at:
        context.setdefault("submitted_text", london_time(bid.submitted_at))
    if bid.withdrawn_at:
        context.setdefault("withdrawn_text", london_time(bid.withdrawn_at))
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, None, [to.email])
    except Exception:  # the change stands; the pages show the same information
        logger.exception("Could not email %s about offer %s", to.email, bid.pk)
