"""Reporting periods and contracts: reading them, and registering a contract directly.

Suppliers see the contracts they hold; council staff see the contracts their organisation
let; anyone else sees none (404 for one). Only council staff register contracts (403 for
suppliers), always for their own organisation. Status codes as in ``api_common``.
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.api_common import (
    ERRORS,
    MAX_ID,
    Page,
    RecordId,
    caller,
    json_schema_body,
    officer_user,
    read_body,
    refusals,
)
from socialvalue.contracts.api_registration import (
    ERR_NOT_BUYER,
    REGISTER_SCHEMA,
    registration_fields,
)
from socialvalue.contracts.api_schemas import (
    ContractDetailOut,
    ContractOut,
    PeriodOut,
    contract_detail_out,
    contract_out,
    period_out,
)
from socialvalue.contracts.models import Contract, ReportingPeriod
from socialvalue.contracts.performance import contract_performance, performance_for
from socialvalue.contracts.periods import current_period
from socialvalue.contracts.selectors import contracts_visible_to, get_contract_for_user
from socialvalue.contracts.services import contract_register
from socialvalue.core.access import SIGNED_IN, STAFF, STAFF_AND_SUPPLIERS, Reach, api_access
from socialvalue.core.api_body import Pagination

router = Router(tags=["contracts"])


class ContractFilters(Schema):
    status: Literal["live", "ended", "terminated"] | None = None
    lever: Literal["procurement", "planning", "grant"] | None = None
    supplier: int | None = Field(None, ge=1, le=MAX_ID, description="A supplier's id.")
    rag: Literal["green", "amber", "red", "not_due"] | None = None


def _with_performance(contracts: list[Contract]) -> list[dict[str, Any]]:
    perf = performance_for(contracts)
    return [contract_out(c, perf[c.pk]) for c in contracts]


@router.get(
    "/reporting-periods",
    auth=api_auth,
    response=list[PeriodOut],
    summary="Reporting periods",
    description="UK financial-year quarters (Q1 = April to June), latest first, with the "
    "date their returns are due.",
)
@paginate(Pagination)
@api_access(SIGNED_IN)
def contracts_period_list(request: HttpRequest) -> Any:
    current_period()  # the current quarter exists even before any contract reaches it
    periods = ReportingPeriod.objects.order_by("-start_date")
    return Page(periods, lambda page: [period_out(p) for p in page])


@router.get(
    "/contracts",
    auth=api_auth,
    response=list[ContractOut],
    summary="Contracts you can see",
    description="Suppliers: the contracts they hold. Council staff: the contracts their "
    "organisation let. Filter by `status`, `lever`, `supplier` (id) and `rag`.",
)
@paginate(Pagination)
@api_access(STAFF_AND_SUPPLIERS)
def contracts_contract_list(request: AuthenticatedRequest, filters: Query[ContractFilters]) -> Any:
    contracts = contracts_visible_to(caller(request))
    if filters.status:
        contracts = contracts.filter(status=filters.status)
    if filters.lever:
        contracts = contracts.filter(lever=filters.lever)
    if filters.supplier:
        contracts = contracts.filter(supplier_id=filters.supplier)
    contracts = contracts.order_by("-start_date", "reference", "pk")
    if not filters.rag:
        return Page(contracts, _with_performance)
    every = list(contracts)
    perf = performance_for(every)
    matching = [c for c in every if perf[c.pk].rag == filters.rag]
    return Page(matching, lambda page: [contract_out(c, perf[c.pk]) for c in page])


@router.get(
    "/contracts/{contract_id}",
    auth=api_auth,
    response={200: ContractDetailOut, **ERRORS},
    summary="One contract, with its targets, their quarterly profile and its performance",
    description="Performance to date: per measure the quantity and value due (the profile "
    "of the quarters reported on), delivered (verified lines only) and awaiting "
    "verification, the percentage delivered and a RAG status.",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def contracts_contract_detail(request: AuthenticatedRequest, contract_id: int = RecordId) -> Any:
    contract = get_contract_for_user(caller(request), contract_id)
    return contract_detail_out(contract, contract_performance(contract))


@router.post(
    "/contracts",
    auth=api_auth,
    response={201: ContractDetailOut, **ERRORS},
    summary="Register a contract let outside the platform",
    description="Council staff only, for their own organisation: an existing contract, a "
    "planning obligation or a grant, with targets profiled evenly across its quarters. "
    "Every problem is a 422 entry naming its field, and nothing is saved.",
    openapi_extra=json_schema_body(REGISTER_SCHEMA),
)
@api_access(STAFF, Reach.ORGANISATION)
def contracts_contract_register(request: AuthenticatedRequest) -> Any:
    user = officer_user(request)
    organisation = user.organisation
    if organisation is None or not organisation.is_buyer:
        raise PermissionDenied(ERR_NOT_BUYER)
    fields = registration_fields(read_body(request), organisation)
    with refusals():
        contract = contract_register(organisation=organisation, by=user, **fields)
    return Status(201, contract_detail_out(contract, contract_performance(contract)))
