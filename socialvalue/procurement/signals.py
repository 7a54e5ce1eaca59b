"""Signals procurement sends so that the apps above it can act without procurement importing them.

``tender_awarded`` is sent by ``evaluation.tender_award`` inside the award's transaction, after
the award's checks pass and before the bids and the tender change status. Its one receiver
(the contracts app, connected in ``contracts/apps.py``) creates the contract and returns it;
a ``ValidationError`` it raises rolls the whole award back and reaches the caller unchanged.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.dispatch import Signal

from socialvalue.accounts.models import User
from socialvalue.procurement.models import Bid, Commitment


@dataclass(frozen=True)
class Award:
    """What the contract for an awarded bid is made from."""

    bid: Bid
    start_date: date
    end_date: date
    # The winning bid's counted commitments: one target per measure among them.
    commitments: Sequence[Commitment]
    contract_manager: User | None
    by: User


# Sent with ``award=Award(...)``; the receiver returns the contract it created.
tender_awarded = Signal()
