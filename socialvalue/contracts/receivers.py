"""What the contracts app does when other apps send their signals.

Connected in ``ContractsConfig.ready``: procurement sends ``tender_awarded`` and this app
creates the awarded bid's contract, so procurement never imports contracts.
"""

from typing import Any

from socialvalue.contracts.models import Contract
from socialvalue.contracts.services import contract_create_from_bid
from socialvalue.procurement.signals import Award


def contract_for_award(sender: Any, *, award: Award, **kwargs: Any) -> Contract:
    """The contract for an awarded bid, created inside the award's transaction."""
    return contract_create_from_bid(
        bid=award.bid,
        start_date=award.start_date,
        end_date=award.end_date,
        commitments=award.commitments,
        contract_manager=award.contract_manager,
        by=award.by,
    )
