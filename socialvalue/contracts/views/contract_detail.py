"""A contract's page: its details, how it is performing against its targets, quarter by
quarter, and the return lines reported against it.

Suppliers see their own contracts read-only; the buying organisation's staff see theirs,
and its officers and the lead get the links to change it. Anyone else gets 404.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.contract_selectors import can_manage_contract, recent_lines
from socialvalue.contracts.models import ReportingSettings
from socialvalue.contracts.performance import contract_performance, quarters_of
from socialvalue.contracts.selectors import get_contract_for_user
from socialvalue.core.access import STAFF_AND_SUPPLIERS, Reach, access
from socialvalue.procurement.models import Tender

LINES_PER_PAGE = 25


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
@require_GET
def contract_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = get_contract_for_user(user, pk)
    performance = contract_performance(contract)
    quarters = quarters_of(contract)
    lines = Paginator(recent_lines(user, contract), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The quarters of this contract that count towards "due to date".
    reported = [row.period for row in quarters if row.reported]
    bid = contract.bid if contract.bid_id else None
    return render(
        request,
        "contracts/contracts/detail.html",
        {
            "contract": contract,
            "performance": performance,
            "quarters": quarters,
            "quarter_totals": {
                "profiled": sum((q.profiled_value for q in quarters), Decimal(0)),
                "delivered": sum((q.delivered_value for q in quarters), Decimal(0)),
                "awaiting": sum((q.awaiting_value for q in quarters), Decimal(0)),
            },
            "lines": lines,
            "thresholds": ReportingSettings.current(),
            "can_manage": can_manage_contract(user, contract),
            "officer": user.is_officer,
            "bid": bid,
            "category_label": dict(Tender.Category.choices).get(
                contract.category, contract.category
            ),
            "reported": reported,
            "reported_first": reported[0] if reported else None,
            "reported_last": reported[-1] if reported else None,
        },
    )
