"""Quarterly returns: opening, lines, submission and verification.

One return per supplier per quarter covers every contract the supplier held in that quarter
(any contract whose dates overlap it). Returns open automatically (``returns_open``) and are
filled line by line or from a file; the supplier submits the whole return once the quarter
has ended, or submits a nil return when there is nothing to report.

Line states (every change is a ``LineEvent`` with who and when)::

    draft ──submit return──▶ submitted ──verify──▶ verified
                                 │ ├──reject──▶ rejected
                                 │ └──query───▶ queried ──answer──▶ submitted
    (only draft and queried lines can be changed by the supplier)

Only verified quantities count as delivered.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import current_period, periods_between
from socialvalue.core.geography import District
from socialvalue.core.history import set_history_user
from socialvalue.core.money import QUANTITY
from socialvalue.framework.models import Measure

ERR_RETURN_SUBMITTED = "This return has been submitted, so it can no longer be changed."
ERR_LINE_LOCKED = "This line is {status}, so it can no longer be changed."
ERR_NOT_YET = (
    "You can submit the return for {period} from {day:%-d %B %Y}, once the quarter has ended."
)
ERR_NOTHING = (
    "The return has no lines. Add what you delivered, or confirm that this is a nil return "
    "(nothing to report this quarter)."
)
ERR_NIL_WITH_LINES = (
    "A nil return has nothing to report, but this return has {count} line(s). Delete them "
    "or submit the lines instead."
)
ERR_CONTRACT = "{reference} is not one of {supplier}'s contracts in {period}."
ERR_MEASURE = "{code} is not a measure of {version}, the framework of contract {reference}."
ERR_DISTRICT = "Choose one of the 14 Lancashire districts, or outside Lancashire."
ERR_QUANTITY_NEGATIVE = "The quantity must be 0 or more."
ERR_QUANTITY_NUMBER = "The quantity must be a number."
ERR_QUANTITY_LARGE = f"{QUANTITY.too_large('The quantity')}."
ERR_QUANTITY_PRECISE = f"{QUANTITY.too_precise('The quantity')}."
ERR_NOT_AWAITING = "Only a line awaiting verification can be {action}; this one is {status}."
ERR_NOT_QUERIED = "Only a queried line can be answered; this one is {status}."
ERR_MESSAGE_REQUIRED = "Say what the supplier needs to answer or change."
ERR_REASON_REQUIRED = "Give the reason for rejecting the line."
ERR_ANSWER_REQUIRED = "Answer the query: say what you changed or why the line is right."
ERR_NOT_YOURS = "Only {organisation}'s staff can verify lines of its contracts."


class ReturnLocked(ValidationError):
    pass


@dataclass(frozen=True)
class LineInput:
    contract: Contract
    measure: Measure
    quantity: Decimal
    district: str
    narrative: str = ""


def contracts_in_period(supplier: Organisation, period: ReportingPeriod) -> QuerySet[Contract]:
    """The supplier's contracts that ran at some point in the quarter."""
    return (
        Contract.objects.filter(
            supplier=supplier, start_date__lte=period.end_date, end_date__gte=period.start_date
        )
        .select_related("organisation", "framework_version")
        .order_by("reference", "pk")
    )


def returns_open(today: date | None = None, supplier: Organisation | None = None) -> int:
    """Open (create) the return of every quarter up to and including the current one for
    every supplier with a contract in it. Idempotent; returns how many were opened."""
    today = today or timezone.localdate()
    current = current_period(today)
    contracts = Contract.objects.filter(start_date__lte=current.end_date)
    if supplier is not None:
        contracts = contracts.filter(supplier=supplier)
    spans: dict[int, tuple[date, date]] = {}
    for supplier_id, start, end in contracts.values_list("supplier_id", "start_date", "end_date"):
        first, last = spans.get(supplier_id, (start, end))
        spans[supplier_id] = (min(first, start), max(last, end))
    if not spans:
        return 0
    first = min(s for s, _ in spans.values())
    periods = periods_between(first, current.end_date)
    existing = set(
        Return.objects.filter(supplier_id__in=spans, period__in=periods).values_list(
            "supplier_id", "period_id"
        )
    )
    contract_rows = list(
        contracts.filter(supplier_id__in=spans).values_list("supplier_id", "start_date", "end_date")
    )
    to_create = []
    for period in periods:
        suppliers = {
            sid
            for sid, start, end in contract_rows
            if start <= period.end_date and end >= period.start_date
        }
        for sid in suppliers:
            if (sid, period.pk) not in existing:
                to_create.append(Return(supplier_id=sid, period=period))
    Return.objects.bulk_create(to_create, ignore_conflicts=True)
    return len(to_create)


def _log(
    line: ReturnLine, action: str, by: User | None, *, frm: str = "", message: str = ""
) -> None:
    LineEvent.objects.create(
        line=line, action=action, from_status=frm, to_status=line.status, message=message, by=by
    )


def _check_return_open(return_record: Return) -> None:
    if return_record.status != Return.Status.DRAFT:
        raise ReturnLocked(ERR_RETURN_SUBMITTED)


def line_errors(return_record: Return, data: LineInput) -> dict[str, list[str]]:
    """Field errors for a line of ``return_record`` (empty when the line is valid)."""
    errors: dict[str, list[str]] = {}
    period = return_record.period
    contract = data.contract
    if not (
        contract.supplier_id == return_record.supplier_id
        and contract.start_date <= period.end_date
        and contract.end_date >= period.start_date
    ):
        errors["contract"] = [
            ERR_CONTRACT.format(
                reference=contract.reference,
                supplier=return_record.supplier.name,
                period=period.short_label,
            )
        ]
    elif data.measure.version_id != contract.framework_version_id:
        errors["measure"] = [
            ERR_MEASURE.format(
                code=data.measure.code,
                version=contract.framework_version,
                reference=contract.reference,
            )
        ]
    quantity_errors = quantity_problems(data.quantity)
    if quantity_errors:
        errors["quantity"] = quantity_errors
    if data.district not in District.values:
        errors["district"] = [ERR_DISTRICT]
    return errors


def quantity_problems(quantity: Decimal) -> list[str]:
    if quantity.is_nan():
        return [ERR_QUANTITY_NUMBER]
    if quantity < 0:
        return [ERR_QUANTITY_NEGATIVE]
    problem = QUANTITY.problem(quantity, "The quantity")
    return [] if problem is None else [f"{problem}."]


@transaction.atomic
def line_add(return_record: Return, data: LineInput, *, by: User | None = None) -> ReturnLine:
    # Read the return afresh (and lock it): the caller's copy may predate its submission.
    return_record = (
        Return.objects.select_for_update()
        .select_related("supplier", "period")
        .get(pk=return_record.pk)
    )
    _check_return_open(return_record)
    errors = line_errors(return_record, data)
    if errors:
        raise ValidationError(errors)
    line = ReturnLine.objects.create(
        return_record=return_record,
        contract=data.contract,
        measure=data.measure,
        quantity=data.quantity,
        district=data.district,
        narrative=data.narrative,
        status=ReturnLine.Status.DRAFT,
    )
    _log(line, LineEvent.Action.CREATED, by)
    return line


def _describe_changes(line: ReturnLine, data: LineInput) -> str:
    changes = []
    if line.contract_id != data.contract.pk:
        changes.append(f"contract {line.contract.reference} → {data.contract.reference}")
    if line.measure_id != data.measure.pk:
        changes.append(f"measure {line.measure.code} → {data.measure.code}")
    if line.quantity != data.quantity:
        changes.append(f"quantity {line.quantity.normalize():f} → {data.quantity.normalize():f}")
    if line.district != data.district:
        changes.append(
            f"district {District(line.district).label} → {District(data.district).label}"
        )
    if line.narrative != data.narrative:
        changes.append("narrative")
    return "; ".join(changes)


@transaction.atomic
def line_update(line: ReturnLine, data: LineInput, *, by: User | None = None) -> ReturnLine:
    """Change a draft or queried line."""
    line = ReturnLine.objects.select_for_update().get(pk=line.pk)
    if not line.is_editable_by_supplier:
        raise ReturnLocked(ERR_LINE_LOCKED.format(status=line.get_status_display().lower()))
    errors = line_errors(line.return_record, data)
    if errors:
        raise ValidationError(errors)
    summary = _describe_changes(line, data)
    if not summary:
        return line
    line.contract = data.contract
    line.measure = data.measure
    line.quantity = data.quantity
    line.district = data.district
    line.narrative = data.narrative
    line.save()
    _log(line, LineEvent.Action.CHANGED, by, frm=line.status, message=summary)
    return line


@transaction.atomic
def line_delete(line: ReturnLine, *, by: User | None = None) -> None:
    """Delete a draft line (and its evidence files)."""
    line = ReturnLine.objects.select_for_update().get(pk=line.pk)
    if line.status != ReturnLine.Status.DRAFT:
        raise ReturnLocked(ERR_LINE_LOCKED.format(status=line.get_status_display().lower()))
    files = [e.file.name for e in line.evidence.all()]
    line.delete()
    delete_files_on_commit(files)


def delete_files_on_commit(names: list[str]) -> None:
    from django.core.files.storage import storages

    def remove() -> None:
        storage = storages["evidence"]
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)


def can_submit_from(return_record: Return) -> date:
    """The first day a return may be submitted: the day after its quarter ends."""
    return return_record.period.end_date + timedelta(days=1)


@transaction.atomic
def return_submit(
    return_record: Return, *, by: User | None = None, nil: bool = False, today: date | None = None
) -> Return:
    """Submit the return: every draft line goes for verification. ``nil`` confirms that
    there is nothing to report this quarter (only for a return with no lines)."""
    return_record = (
        Return.objects.select_for_update().select_related("period").get(pk=return_record.pk)
    )
    _check_return_open(return_record)
    today = today or timezone.localdate()
    if today <= return_record.period.end_date:
        raise ValidationError(
            ERR_NOT_YET.format(
                period=return_record.period.short_label, day=can_submit_from(return_record)
            )
        )
    lines = list(return_record.lines.select_for_update())
    if nil and lines:
        raise ValidationError(ERR_NIL_WITH_LINES.format(count=len(lines)))
    if not nil and not lines:
        raise ValidationError(ERR_NOTHING)
    now = timezone.now()
    for line in lines:
        line.status = ReturnLine.Status.SUBMITTED
        line.updated_at = now
    ReturnLine.objects.bulk_update(lines, ["status", "updated_at"], batch_size=500)
    LineEvent.objects.bulk_create(
        LineEvent(
            line=line,
            action=LineEvent.Action.SUBMITTED,
            from_status=ReturnLine.Status.DRAFT,
            to_status=ReturnLine.Status.SUBMITTED,
            by=by,
        )
        for line in lines
    )
    return_record.status = Return.Status.SUBMITTED
    return_record.is_nil = nil
    return_record.submitted_at = now
    return_record.submitted_by = by
    if by is not None:
        set_history_user(return_record, by)
    return_record.save()
    return return_record


def _check_officer(line: ReturnLine, by: User) -> None:
    organisation = line.contract.organisation
    if not (by.is_officer and by.organisation_id == organisation.pk):
        raise ValidationError(ERR_NOT_YOURS.format(organisation=organisation.name))


def _decide(
    line: ReturnLine, to_status: str, action: str, by: User, message: str, verb: str
) -> ReturnLine:
    line = (
        ReturnLine.objects.select_for_update()
        .select_related("contract__organisation")
        .get(pk=line.pk)
    )
    _check_officer(line, by)
    if line.status != ReturnLine.Status.SUBMITTED:
        raise ValidationError(
            ERR_NOT_AWAITING.format(action=verb, status=line.get_status_display().lower())
        )
    previous = line.status
    line.status = to_status
    line.save()
    _log(line, action, by, frm=previous, message=message.strip())
    return line


@transaction.atomic
def line_verify(line: ReturnLine, *, by: User, message: str = "") -> ReturnLine:
    return _decide(
        line, ReturnLine.Status.VERIFIED, LineEvent.Action.VERIFIED, by, message, "verified"
    )


@transaction.atomic
def line_query(line: ReturnLine, *, by: User, message: str) -> ReturnLine:
    if not message.strip():
        raise ValidationError({"message": [ERR_MESSAGE_REQUIRED]})
    line = _decide(
        line, ReturnLine.Status.QUERIED, LineEvent.Action.QUERIED, by, message, "queried"
    )
    transaction.on_commit(lambda: notify_supplier(line, "queried", message.strip()))
    return line


@transaction.atomic
def line_reject(line: ReturnLine, *, by: User, message: str) -> ReturnLine:
    if not message.strip():
        raise ValidationError({"message": [ERR_REASON_REQUIRED]})
    line = _decide(
        line, ReturnLine.Status.REJECTED, LineEvent.Action.REJECTED, by, message, "rejected"
    )
    transaction.on_commit(lambda: notify_supplier(line, "rejected", message.strip()))
    return line


@transaction.atomic
def line_answer(line: ReturnLine, *, by: User | None, message: str) -> ReturnLine:
    """The supplier answers a query (after any changes to the line): back for verification."""
    line = ReturnLine.objects.select_for_update().get(pk=line.pk)
    if line.status != ReturnLine.Status.QUERIED:
        raise ValidationError(ERR_NOT_QUERIED.format(status=line.get_status_display().lower()))
    if not message.strip():
        raise ValidationError({"message": [ERR_ANSWER_REQUIRED]})
    line.status = ReturnLine.Status.SUBMITTED
    line.save()
    _log(
        line,
        LineEvent.Action.RESUBMITTED,
        by,
        frm=ReturnLine.Status.QUERIED,
        message=message.strip(),
    )
    return line


def supplier_recipients(supplier: Organisation) -> list[str]:
    return list(
        User.objects.filter(
            organisation=supplier, role=User.Role.SUPPLIER, is_active=True
        ).values_list("email", flat=True)
    )


def notify_supplier(line: ReturnLine, what: str, message: str) -> None:
    """Email the supplier's users that an officer queried or rejected one of its lines."""
    return_record = line.return_record
    recipients = supplier_recipients(return_record.supplier)
    if not recipients:
        return
    path = f"/returns/{return_record.pk}/"
    subject = (
        f"Social value return {return_record.period.short_label}: "
        f"{line.contract.reference} {line.measure.code} {what}"
    )
    body = (
        f"{line.contract.organisation.name} has {what} a line of your social value return for "
        f"{return_record.period.label}:\n\n"
        f"Contract: {line.contract.reference} {line.contract.title}\n"
        f"Measure: {line.measure.code} {line.measure.description}\n"
        f"Quantity: {line.quantity.normalize():f}\n\n"
        f"Message from the officer:\n{message}\n\n"
        f"See the return: {settings.SITE_URL}{path}\n"
    )
    send_mail(subject, body, None, recipients)


def lines_awaiting(organisation_id: int) -> QuerySet[ReturnLine]:
    """Lines of the organisation's contracts waiting for an officer."""
    return ReturnLine.objects.filter(
        contract__organisation_id=organisation_id, status=ReturnLine.Status.SUBMITTED
    )


def open_lines_query() -> Q:
    return Q(status__in=[ReturnLine.Status.SUBMITTED, ReturnLine.Status.QUERIED])
