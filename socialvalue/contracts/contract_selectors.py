"""Reads for the contract pages: the list with its performance, the exceptions officers
should look at, a contract's recent return lines and the reporting settings' history.

Every read starts from ``selectors.py`` (``contracts_visible_to``, ``returns_visible_to``,
``lines_visible_to``), so the access rules stay in one place.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    ReportingSettings,
    Return,
    ReturnLine,
)
from socialvalue.contracts.performance import ContractPerformance, Rag, performance_for
from socialvalue.contracts.periods import periods_between
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    lines_visible_to,
    returns_visible_to,
)

WAITING_DAYS = 14


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    performance: ContractPerformance


def contract_rows(
    contracts: Iterable[Contract], *, rag: str = "", as_of: date | None = None
) -> list[ContractRow]:
    """The contracts with their performance, keeping only those of status ``rag`` if given."""
    contracts = list(contracts)
    performance = performance_for(contracts, as_of)
    rows = [ContractRow(c, performance[c.pk]) for c in contracts]
    if rag:
        rows = [row for row in rows if row.performance.rag == rag]
    return rows


def contracts_needing_attention(user: User, as_of: date | None = None) -> list[ContractRow]:
    """Live contracts that are red or amber, the furthest behind first."""
    return behind_target(contracts_visible_to(user).filter(status=Contract.Status.LIVE), as_of)


def behind_target(contracts: Iterable[Contract], as_of: date | None = None) -> list[ContractRow]:
    """Those of ``contracts`` that are red or amber, the furthest behind first."""
    rows = [
        row
        for row in contract_rows(contracts, as_of=as_of)
        if row.performance.rag in {Rag.RED, Rag.AMBER}
    ]
    return sorted(
        rows,
        key=lambda row: (
            Rag.ORDER[row.performance.rag],
            row.performance.percent if row.performance.percent is not None else Decimal(0),
            row.contract.reference,
        ),
    )


@dataclass
class OverdueReturn:
    """A supplier's return that is past its due date and not submitted."""

    supplier: Organisation
    period: ReportingPeriod
    days_overdue: int  # on the day the list was made
    contracts: list[Contract] = field(default_factory=list)
    return_record: Return | None = None  # None until the return is opened


def overdue_returns(user: User, today: date | None = None) -> list[OverdueReturn]:
    """Returns due from suppliers of the user's contracts that are late: the due date has
    passed and the supplier has not submitted. Oldest first."""
    today = today or timezone.localdate()
    contracts = list(contracts_visible_to(user).order_by("reference"))
    if not contracts:
        return []
    # Every quarter any of these contracts ran in up to today exists as a period.
    periods = periods_between(
        min(c.start_date for c in contracts), min(today, max(c.end_date for c in contracts))
    )
    late = late_returns(contracts, [p for p in periods if p.due_date < today], today)
    by_key = {(entry.supplier.pk, entry.period.pk): entry for entry in late}
    records = returns_visible_to(user).filter(
        period__in=[e.period for e in late], supplier_id__in={e.supplier.pk for e in late}
    )
    for record in records:
        entry_or_none = by_key.get((record.supplier_id, record.period_id))
        if entry_or_none is not None:
            entry_or_none.return_record = record
    return late


def late_returns(
    contracts: list[Contract], periods: list[ReportingPeriod], today: date
) -> list[OverdueReturn]:
    """For each of ``periods`` (past due on ``today``), the suppliers of ``contracts`` running in
    it that have not submitted their return, with those contracts. Oldest first."""
    submitted = set(
        Return.objects.filter(
            supplier_id__in={c.supplier_id for c in contracts},
            period__in=periods,
            status=Return.Status.SUBMITTED,
        ).values_list("supplier_id", "period_id")
    )
    late: dict[tuple[int, int], OverdueReturn] = {}
    for period in periods:
        for contract in contracts:
            if contract.start_date > period.end_date or contract.end_date < period.start_date:
                continue
            key = (contract.supplier_id, period.pk)
            if key in submitted:
                continue
            entry = late.setdefault(
                key, OverdueReturn(contract.supplier, period, (today - period.due_date).days)
            )
            entry.contracts.append(contract)
    return sorted(late.values(), key=lambda e: (e.period.start_date, e.supplier.name))


def _since(status: str) -> Subquery:
    """When the line last moved to ``status``."""
    return Subquery(
        LineEvent.objects.filter(line=OuterRef("pk"), to_status=status)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def queried_lines(user: User) -> QuerySet[ReturnLine]:
    """Lines an officer queried that the supplier has not answered, oldest query first."""
    return (
        lines_visible_to(user)
        .filter(status=ReturnLine.Status.QUERIED)
        .annotate(since=_since(ReturnLine.Status.QUERIED))
        .order_by("since", "pk")
    )


def lines_waiting(
    user: User, *, days: int = WAITING_DAYS, now: datetime | None = None
) -> QuerySet[ReturnLine]:
    """Lines awaiting verification for longer than ``days`` days, the longest first."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        lines_visible_to(user)
        .filter(status=ReturnLine.Status.SUBMITTED)
        .annotate(since=_since(ReturnLine.Status.SUBMITTED))
        .filter(since__lt=cutoff)
        .order_by("since", "pk")
    )


def recent_lines(user: User, contract: Contract) -> QuerySet[ReturnLine]:
    """The contract's return lines the user may see, the latest quarter first."""
    return (
        lines_visible_to(user)
        .filter(contract=contract)
        .order_by(
            "-return_record__period__start_date", "measure__theme__order", "measure__order", "pk"
        )
    )


def can_manage_contract(user: Any, contract: Contract) -> bool:
    """Officers and the lead of the buying organisation change contracts; evaluators look."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", "") in {User.Role.LEAD, User.Role.OFFICER}
        and getattr(user, "organisation_id", None) == contract.organisation_id
    )


# --- Reporting settings history ---------------------------------------------------------------

SETTING_LABELS = {
    "return_due_days": "Return due",
    "reminder_days": "First reminder",
    "rag_green_percent": "Green at or above",
    "rag_amber_percent": "Amber at or above",
}


@dataclass
class SettingsChange:
    when: datetime
    who: str
    lines: list[str] = field(default_factory=list)


def _setting_text(name: str, value: Any) -> str:
    if name.endswith("_days"):
        return f"{value} day{'' if value == 1 else 's'}"
    text = f"{Decimal(value):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return f"{text}%"


def settings_changes() -> list[SettingsChange]:
    """The reporting settings' history, newest first, each save with its changes in words."""
    records = list(
        ReportingSettings.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    changes: list[SettingsChange] = []
    before = None
    for record in records:
        user = record.history_user
        who = (user.full_name or user.email) if user is not None else ""
        if before is None:
            lines = ["Settings set up with the defaults"]
        else:
            delta = record.diff_against(before, included_fields=list(SETTING_LABELS))
            lines = [
                f"{SETTING_LABELS[c.field]}: {_setting_text(c.field, c.old)} → "
                f"{_setting_text(c.field, c.new)}"
                for c in delta.changes
            ]
        if lines:
            changes.append(SettingsChange(when=record.history_date, who=who, lines=lines))
        before = record
    return list(reversed(changes))
