"""Who is recorded in the history, and the history read back newest first with its changes."""

import pytest
from simple_history.models import ModelChange

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.history import HistoryEntry, history_entries, set_history_user

pytestmark = pytest.mark.django_db


def _fields(delta: list[ModelChange]) -> list[str]:
    return [f"{change.field}: {change.old or ''} → {change.new}" for change in delta]


def test_set_history_user_names_the_author_of_the_next_history_entry(
    bobs_building: Organisation, lead_lucy: User
) -> None:
    bobs_building.website = "https://bobs.example"
    set_history_user(bobs_building, lead_lucy)
    bobs_building.save()
    assert bobs_building.history.latest().history_user == lead_lucy

    set_history_user(bobs_building, None)
    bobs_building.save()
    assert bobs_building.history.latest().history_user is None


def test_history_entries_are_newest_first_with_the_changes_since_the_one_before(
    bobs_building: Organisation, lead_lucy: User
) -> None:
    bobs_building.website = "https://bobs.example"
    bobs_building.is_vcse = True
    set_history_user(bobs_building, lead_lucy)
    bobs_building.save()

    entries = history_entries(bobs_building, describe=_fields, hidden=["is_vcse"])

    assert len(entries) == 2
    newest, first = entries
    assert newest == HistoryEntry(
        when=newest.when,
        who="Lucy Lead",
        action="Changed",
        changes=["website:  → https://bobs.example"],
    )
    assert (first.who, first.action, first.changes) == ("", "Created", [])
    assert newest.when >= first.when
