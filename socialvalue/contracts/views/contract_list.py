"""The contract list (with its CSV download) and the officers' exceptions page.

Council staff see their organisation's contracts and may filter them; suppliers see the
contracts they hold, with a search and a status filter only.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.contract_forms import ContractFilterForm
from socialvalue.contracts.contract_selectors import (
    WAITING_DAYS,
    ContractRow,
    contract_rows,
    contracts_needing_attention,
    lines_waiting,
    overdue_returns,
    queried_lines,
)
from socialvalue.contracts.selectors import contracts_visible_to
from socialvalue.core.access import ROLE_MISSING, STAFF, STAFF_AND_SUPPLIERS, access
from socialvalue.core.money import round_2dp, round_money
from socialvalue.core.spreadsheets import csv_response

CONTRACTS_PER_PAGE = 25
EXCEPTIONS_SHOWN = 50
CSV_COLUMNS = [
    "Reference",
    "Title",
    "Buying organisation",
    "Supplier",
    "Directorate",
    "Lever",
    "Status",
    "Value (£)",
    "Start date",
    "End date",
    "Committed (£)",
    "Due to date (£)",
    "Delivered, verified (£)",
    "% of pro-rata target",
    "RAG",
]


def _contracts_csv(rows: list[ContractRow]) -> HttpResponse:
    records: list[list[object]] = []
    for row in rows:
        contract, perf = row.contract, row.performance
        records.append(
            [
                contract.reference,
                contract.title,
                contract.organisation.name,
                contract.supplier.name,
                contract.directorate.name if contract.directorate else "",
                contract.get_lever_display(),
                contract.get_status_display(),
                round_money(contract.value),
                contract.start_date.isoformat(),
                contract.end_date.isoformat(),
                round_money(perf.target_value),
                round_money(perf.due_value),
                round_money(perf.delivered_value),
                None if perf.percent is None else round_2dp(perf.percent),
                perf.rag_label,
            ]
        )
    return csv_response(
        [CSV_COLUMNS, *records], filename=f"contracts-{timezone.localdate():%Y-%m-%d}.csv"
    )


@access(STAFF_AND_SUPPLIERS)
@require_GET
def contract_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (user.is_officer or user.is_supplier_user):
        raise PermissionDenied(ROLE_MISSING)
    officer = user.is_officer
    everything = contracts_visible_to(user)
    data = request.GET.copy()
    data.pop("page", None)
    wants_csv = data.pop("format", [""])[0] == "csv"
    form = ContractFilterForm(data or None, contracts=everything, officer=officer)
    rows = contract_rows(form.filter(everything), rag=form.rag_wanted)
    if wants_csv:
        return _contracts_csv(rows)
    page = Paginator(rows, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    csv_query = data.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        "contracts/contracts/list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.active,
            "has_contracts": everything.exists(),
            "officer": officer,
            "can_register": user.role in {User.Role.LEAD, User.Role.OFFICER},
            "csv_url": f"?{csv_query.urlencode()}",
        },
    )


@access(STAFF)
@require_GET
def exceptions(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    behind = contracts_needing_attention(user)
    overdue = overdue_returns(user, today)
    queried = queried_lines(user)
    waiting = lines_waiting(user)
    queried_count, waiting_count = queried.count(), waiting.count()
    return render(
        request,
        "contracts/contracts/exceptions.html",
        {
            "today": today,
            "behind": behind[:EXCEPTIONS_SHOWN],
            "behind_count": len(behind),
            "overdue": [(entry, entry.days_overdue) for entry in overdue][:EXCEPTIONS_SHOWN],
            "overdue_count": len(overdue),
            "queried": list(queried[:EXCEPTIONS_SHOWN]),
            "queried_count": queried_count,
            "waiting": list(waiting[:EXCEPTIONS_SHOWN]),
            "waiting_count": waiting_count,
            "waiting_days": WAITING_DAYS,
            "shown": EXCEPTIONS_SHOWN,
            "nothing": not (behind or overdue or queried_count or waiting_count),
        },
    )
