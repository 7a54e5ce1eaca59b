"""The draft → review → publish workflow shared by every kind of content.

Partner profile changes, case studies, events, message-board posts and the website's
resources, FAQs and pages each move between states: written as a draft, sent for review,
approved or returned, published, taken down. Each content type keeps its own states (its
``Status`` choices, or a ``published`` flag) and lists where each may go in a ``Workflow``: a
table of named ``Transition``s, each with the states it starts from, the state it ends in
and what it records (who acted, when, the reviewer's note). ``Workflow.move`` is the one
place where such a state changes::

    CASE_STUDY_WORKFLOW.move(case_study, "publish", by=reviewer, note=note)

checks that the move is allowed from the item's state, sets the new state and the recorded
fields, records who acted in the item's history and saves it. A refused move raises
``TransitionRefused`` (a ``ValidationError``) with the content type's own message.

The content type's service keeps what is its own: locking the row, who may act, checks that
are not about the state (consent, dates, registrations) and the emails that follow.

Layer: core; imports no other app.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from socialvalue.core.history import set_history_user

# A state is a value of the item's state field: a ``Status`` value ("draft") or a flag.
State = Hashable


class Stateful(Protocol):
    """What a workflow needs of an item: fields it reads and sets by name, and ``save``.
    In the project, a model instance."""

    def save(self) -> None: ...


Item = TypeVar("Item", bound=Stateful)


class TransitionRefused(ValidationError):
    """A move that the item's state does not allow, or that lacks the note it needs."""


@dataclass(frozen=True)
class Transition:
    """One move of a workflow: from any of ``sources`` to ``target``.

    ``refused`` is the message when the item is in none of ``sources``; ``{status}`` in it
    becomes the item's state in words ("waiting for review"). ``note_required`` is the
    message when the move is made without a note (the reviewer must say why).

    The other fields name the item's fields that the move fills in: ``by`` gets the person
    acting, ``at`` the moment of the move, ``first_at`` the moment only while it is empty (a
    post keeps the date it was first published), ``cleared`` is emptied and ``note`` gets the
    note given.
    """

    sources: tuple[State, ...]
    target: State
    refused: str = ""
    by: tuple[str, ...] = ()
    at: tuple[str, ...] = ()
    first_at: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()
    note: str = ""
    note_required: str = ""


@dataclass(frozen=True)
class Workflow:
    """The moves of one content type, by name, on the model field ``field``."""

    field: str
    transitions: Mapping[str, Transition]

    def state(self, item: Stateful) -> State:
        return getattr(item, self.field)

    def state_text(self, item: Stateful) -> str:
        """The item's state in words, in lower case: "waiting for review"."""
        display = getattr(item, f"get_{self.field}_display", None)
        text = display() if display is not None else self.state(item)
        return str(text).lower()

    def allows(self, item: Stateful, action: str) -> bool:
        return self.state(item) in self.transitions[action].sources

    def check(self, item: Stateful, action: str) -> None:
        """Refuse ``action`` unless the item's state allows it."""
        if not self.allows(item, action):
            message = self.transitions[action].refused
            raise TransitionRefused(message.format(status=self.state_text(item)))

    def move(
        self,
        item: Item,
        action: str,
        *,
        by: models.Model | None,
        note: str = "",
        at: datetime | None = None,
        save: bool = True,
    ) -> Item:
        """Make the move ``action``: ``by`` is who acts, ``at`` when (now if not given).

        With ``save=False`` the caller saves the item (after checks of its own).
        """
        transition = self.transitions[action]
        if transition.note_required and not note.strip():
            raise TransitionRefused({"note": transition.note_required})
        self.check(item, action)
        moment = at or timezone.now()
        setattr(item, self.field, transition.target)
        for name in transition.by:
            setattr(item, name, by)
        for name in transition.at:
            setattr(item, name, moment)
        for name in transition.first_at:
            if getattr(item, name) is None:
                setattr(item, name, moment)
        for name in transition.cleared:
            setattr(item, name, None)
        if transition.note:
            setattr(item, transition.note, note.strip())
        set_history_user(item, by)
        if save:
            item.save()
        return item
