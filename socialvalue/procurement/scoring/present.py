"""Scores as the API and the pages show them: rounded half-up to 2 decimal places."""

from typing import Any

from socialvalue.core.money import plain, round_2dp, round_money
from socialvalue.procurement.scoring.model import (
    BidScore,
    ScoringResult,
)


def present_bid(bid: BidScore) -> dict[str, Any]:
    """One bid as ``POST /api/v1/score`` sends it: money half-up to pence, scores and
    percentages half-up to 2 decimal places, as strings."""
    return {
        "bidder": bid.bidder,
        "offered_value": plain(round_money(bid.offered_value)),
        "counted_value": plain(round_money(bid.counted_value)),
        "sv_add_percent": plain(round_2dp(bid.sv_add_percent)),
        "quantitative_score": plain(round_2dp(bid.quantitative_score)),
        "qualitative_score": plain(round_2dp(bid.qualitative_score)),
        "total_score": plain(round_2dp(bid.total_score)),
        "rank": bid.rank,
        "excluded": [
            {
                "index": exclusion.index,
                "measure": exclusion.measure,
                "quality_score": exclusion.quality_score,
                "value": plain(round_money(exclusion.value)),
                "reason": exclusion.reason,
            }
            for exclusion in bid.excluded
        ],
        "flags": list(bid.flags),
    }


def present(result: ScoringResult) -> dict[str, Any]:
    """The whole result as ``POST /api/v1/score`` sends it, bids in the order given."""
    return {"bids": [present_bid(bid) for bid in result.bids]}
