"""Who changed what and when, from the history kept by ``simple_history``.

``simple_history`` takes the user from the current request. Services also run outside
requests (the CLI, the demo data, tasks), so they say who acts with ``set_history_user``
before saving. ``history_entries`` reads an item's history back for its history page,
newest first, each entry with what changed since the one before.

Layer: core; imports no other app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from simple_history.models import ModelChange

HISTORY_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class HistoryEntry:
    """One change to an item: when, who made it (blank if nobody was recorded), whether it
    created, changed or deleted the item, and the changed fields in words."""

    when: datetime
    who: str
    action: str
    changes: list[str] = field(default_factory=list)


def set_history_user(instance: object, user: models.Model | None) -> None:
    """Record ``user`` (a user, or None) as the author of ``instance``'s next history entry."""
    # simple_history reads this attribute when the instance is next saved.
    setattr(instance, "_history_user", user)  # noqa: B010


def history_entries(
    item: models.Model,
    *,
    describe: Callable[[list[ModelChange]], list[str]],
    hidden: Iterable[str] = (),
) -> list[HistoryEntry]:
    """The item's history, newest first. ``describe`` puts the fields changed since the entry
    before into words (the first entry has none); ``hidden`` fields are left out."""
    history = getattr(item, "history")  # noqa: B009 (added by HistoricalRecords)
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[str] = []
        if older is not None:
            changes = describe(record.diff_against(older, excluded_fields=list(hidden)).changes)
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user is not None else "",
                action=HISTORY_ACTIONS.get(record.history_type, "Changed"),
                changes=changes,
            )
        )
    return entries
