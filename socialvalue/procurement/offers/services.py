"""Writes for suppliers' social value offers (bids): draft, submit, change, withdraw.

Each write checks the rules in ``rules.py`` under a row lock, records who made the change in
the offer's history, and emails the supplier a receipt when an offer is submitted or
withdrawn.
"""

import logging
import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.history import set_history_user
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, QualitativeResponse, Tender
from socialvalue.procurement.offers.rules import (
    COMMITMENT_FIELDS,
    ERR_DEADLINE_PASSED,
    ERR_LINE_INVALID,
    ERR_MEASURE_NOT_ON_MENU,
    ERR_MUST_STAY_COMPLETE,
    ERR_NOT_SUBMITTED,
    ERR_NOT_SUPPLIER_ORG,
    ERR_NOT_WITHDRAWN,
    ERR_NOT_YOUR_OFFER,
    ERR_PRICE_NOT_POSITIVE,
    ERR_QUANTITY_NOT_POSITIVE,
    ERR_TENDER_NOT_OPEN,
    RECEIPT_ALPHABET,
    RECEIPT_CODE_LENGTH,
    RECEIPT_MAX_LENGTH,
    RESPONSE_FIELDS,
    CommitmentLine,
    OfferIncomplete,
    OfferLocked,
    bid_submission_problems,
    london_time,
    offer_lock_reason,
    offer_totals,
    response_of,
)

logger = logging.getLogger(__name__)


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
    set_history_user(locked, by)
    return locked


def _changed(bid: Bid, by: User | None, fields: Sequence[str] = ()) -> None:
    """Save the offer as changed (its ``fields`` and the time, with history). A submitted
    offer must still be complete afterwards."""
    if bid.status == Bid.Status.SUBMITTED:
        problems = bid_submission_problems(bid)
        if problems:
            raise ValidationError(ERR_MUST_STAY_COMPLETE.format(problem=problems[0].message))
    set_history_user(bid, by)
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
    set_history_user(bid, by)
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
    set_history_user(commitment, by)
    commitment.save()
    response.commitment = commitment
    set_history_user(response, by)
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
    response = response_of(commitment) or QualitativeResponse(commitment=commitment)
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
    set_history_user(commitment, by)
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
        set_history_user(old, by)
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
    set_history_user(locked, by)
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
