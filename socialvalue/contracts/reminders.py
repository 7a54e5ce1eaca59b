"""Reminders to suppliers whose quarterly return is due soon or overdue.

Run daily from cron (``socialvalue send_return_reminders``). A draft return whose quarter
has ended gets at most two reminders, each once:

- *due soon*, when its due date is within ``reminder_days`` days (the reporting settings'
  value unless the command says otherwise): from exactly that many days before the due date
  up to and including the due date;
- *overdue*, from the day after the due date until the return is submitted.

A return first seen after its due date (the command did not run in time, or the return
was opened late) gets only the overdue reminder. A submitted return gets none, and so does
a return left with no contract in its quarter (its only contract was terminated before).

Why a reminder is never lost and never sent twice. Each reminder is recorded
(``ReminderSent``, unique per return and stage) and sent in one transaction: the row is
inserted first, then the email is sent, then the transaction commits.

- If sending fails, the transaction rolls back and the row goes with it, so the next run
  tries again; the other reminders of the run are not affected.
- If two runs overlap, the second one's insert waits on the unique index until the first
  commits and then fails, so it does not send.
- If the process dies after the email has gone but before the commit, that one reminder
  is sent again on the next run. This window is only the commit itself, and a duplicate
  reminder does less harm than a reminder never sent, which is what sending after the
  commit would risk.
"""

import argparse
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from socialvalue.contracts.models import (
    Contract,
    ReminderSent,
    ReportingPeriod,
    ReportingSettings,
    Return,
)
from socialvalue.contracts.returns import contracts_in_period, returns_open, supplier_recipients

logger = logging.getLogger(__name__)

ERR_DAY = "'{text}' is not a date: use the form YYYY-MM-DD, such as 2026-07-31."
ERR_DAYS = "The number of days must be 0 or more."

SENT, ALREADY_SENT, FAILED = "sent", "already_sent", "failed"

SUMMARY = (
    "Reminders: {due_soon} due soon, {overdue} overdue, {already_sent} already sent, "
    "{without_recipients} without recipients, {failed} failed."
)


def day_argument(text: str) -> date:
    """A ``--today`` value (YYYY-MM-DD) for the management commands."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(ERR_DAY.format(text=text)) from None


def days_argument(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(ERR_DAYS) from None
    if days < 0:
        raise argparse.ArgumentTypeError(ERR_DAYS)
    return days


def reminder_stage(period: ReportingPeriod, today: date, days: int) -> str | None:
    """The reminder a draft return of ``period`` is due for on ``today``, if any."""
    if today <= period.end_date:
        return None
    if today > period.due_date:
        return ReminderSent.Stage.OVERDUE
    if today >= period.due_date - timedelta(days=days):
        return ReminderSent.Stage.DUE_SOON
    return None


@dataclass
class ReminderSummary:
    due_soon: int = 0
    overdue: int = 0
    already_sent: int = 0
    without_recipients: int = 0
    failed: int = 0

    def line(self) -> str:
        return SUMMARY.format(**self.__dict__)


def reminders_send(*, today: date | None = None, days: int | None = None) -> ReminderSummary:
    """Open the returns up to ``today`` and send every reminder due that has not been sent.

    Idempotent: a reminder already recorded for a return's current stage is not sent again.
    """
    today = today or timezone.localdate()
    if days is None:
        days = ReportingSettings.current().reminder_days
    returns_open(today)
    summary = ReminderSummary()
    candidates = (
        Return.objects.filter(
            status=Return.Status.DRAFT,
            period__end_date__lt=today,
            period__due_date__lte=today + timedelta(days=days),
        )
        .select_related("supplier", "period")
        .prefetch_related("reminders")
        .order_by("period__start_date", "supplier__name", "pk")
    )
    recipients_of: dict[int, list[str]] = {}
    connection = get_connection()
    for return_record in candidates:
        stage = reminder_stage(return_record.period, today, days)
        if stage is None:
            continue
        if any(r.stage == stage for r in return_record.reminders.all()):
            summary.already_sent += 1
            continue
        contracts = list(contracts_in_period(return_record.supplier, return_record.period))
        if not contracts:
            continue
        supplier_id = return_record.supplier_id
        if supplier_id not in recipients_of:
            recipients_of[supplier_id] = supplier_recipients(return_record.supplier)
        recipients = recipients_of[supplier_id]
        if not recipients:
            summary.without_recipients += 1
            continue
        subject, body = reminder_email(return_record, stage, today, contracts)
        outcome = _send_once(return_record, stage, recipients, subject, body, connection)
        if outcome == SENT:
            if stage == ReminderSent.Stage.DUE_SOON:
                summary.due_soon += 1
            else:
                summary.overdue += 1
        elif outcome == ALREADY_SENT:
            summary.already_sent += 1
        else:
            summary.failed += 1
    return summary


def _send_once(
    return_record: Return,
    stage: str,
    recipients: list[str],
    subject: str,
    body: str,
    connection: BaseEmailBackend,
) -> str:
    """Record and send one reminder in one transaction (see the module docstring)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                return_record=return_record, stage=stage, recipients=", ".join(recipients)
            )
            send_mail(subject, body, None, recipients, connection=connection)
    except IntegrityError:
        return ALREADY_SENT  # an overlapping run recorded it first
    except Exception:
        logger.exception("Could not send the %s reminder for return %s", stage, return_record.pk)
        return FAILED
    return SENT


def reminder_email(
    return_record: Return, stage: str, today: date, contracts: list[Contract]
) -> tuple[str, str]:
    """The subject and body of a reminder about ``return_record`` covering ``contracts``."""
    period = return_record.period
    context: dict[str, Any] = {
        "return_record": return_record,
        "period": period,
        "supplier": return_record.supplier,
        "contracts": contracts,
        "days_left": (period.due_date - today).days,
        "days_late": (today - period.due_date).days,
        "url": f"{settings.SITE_URL}/returns/{return_record.pk}/",
        "service_name": settings.SERVICE_NAME,
    }
    template = f"contracts/email/return_{stage}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return subject, body
