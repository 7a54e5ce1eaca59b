"""Reads of the social value policy: its changes, from its history and its quality levels'
history, for the policy page."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from socialvalue.core.money import format_gbp
from socialvalue.procurement.models import Policy, QualityLevel
from socialvalue.procurement.tenders.pages import (
    plain_figure,
)

# --- Policy -----------------------------------------------------------------------------------

POLICY_LABELS = {
    "threshold": "Threshold",
    "minimum_weighting": "Minimum social value weighting",
    "default_quantitative_share": "Default quantitative share",
    "default_deliverability_threshold": "Default deliverability threshold",
}
SAME_CHANGE = timedelta(seconds=5)


@dataclass
class PolicyChange:
    """One save of the policy page (or the admin): who, when and what changed."""

    when: datetime
    who: str  # "" when the platform made the change itself
    lines: list[str] = field(default_factory=list)


def _policy_value(name: str, value: Any) -> str:
    if value is None:
        return "not set"
    if name == "threshold":
        return format_gbp(Decimal(value))
    if name in {"minimum_weighting", "default_quantitative_share"}:
        return f"{plain_figure(Decimal(value))}%"
    return str(value)


def _who(record: Any) -> str:
    user = record.history_user
    return (user.full_name or user.email) if user is not None else ""


def _pairs(records: Iterable[Any], key: str) -> list[tuple[Any, Any]]:
    """Each historical record with the one before it for the same object (or None)."""
    previous: dict[Any, Any] = {}
    pairs = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        pairs.append((record, previous.get(getattr(record, key))))
        previous[getattr(record, key)] = record
    return pairs


def policy_changes(policy: Policy) -> list[PolicyChange]:
    """The policy's history, newest first, with each save's changes in words.

    Records written by one person within a few seconds of each other are one save (the page
    saves the figures and the levels together).
    """
    events: list[tuple[Any, str]] = []
    created_at = None
    for record, before in _pairs(
        Policy.history.filter(id=policy.pk).select_related("history_user"), "id"
    ):
        if before is None:
            created_at = record.history_date
            events.append((record, "Policy set up with the strategy’s defaults"))
            continue
        delta = record.diff_against(before, included_fields=list(POLICY_LABELS))
        for change in delta.changes:
            old = _policy_value(change.field, change.old)
            new = _policy_value(change.field, change.new)
            events.append((record, f"{POLICY_LABELS[change.field]}: {old} → {new}"))
    for record, before in _pairs(
        QualityLevel.history.filter(policy_id=policy.pk).select_related("history_user"), "id"
    ):
        if before is None:
            if created_at is None or abs(record.history_date - created_at) > SAME_CHANGE:
                events.append((record, f"Score {record.score} set to “{record.label}”"))
            continue  # the default levels written with a new policy need no lines
        delta = record.diff_against(before, included_fields=["label", "descriptor"])
        for change in delta.changes:
            events.append(
                (record, f"Score {record.score} {change.field}: “{change.old}” → “{change.new}”")
            )
    events.sort(key=lambda e: (e[0].history_date, e[0].history_id))
    changes: list[PolicyChange] = []
    latest = None
    for record, line in events:
        last = changes[-1] if changes else None
        if (
            last is not None
            and latest is not None
            and last.who == _who(record)
            and record.history_date - latest <= SAME_CHANGE
        ):
            last.lines.append(line)
        else:
            changes.append(PolicyChange(when=record.history_date, who=_who(record), lines=[line]))
        latest = record.history_date
    return list(reversed(changes))
