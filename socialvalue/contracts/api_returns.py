"""Quarterly returns: listing, reading and submitting them (their lines: ``api_lines``).

- Suppliers see their own organisation's returns and every line in them, and submit a
  return once its quarter has ended.
- Council staff see the returns of suppliers holding one of their organisation's contracts
  in the quarter, and in them only the lines of their organisation's contracts.
- The wrong role gets 403, a return the caller may not see 404, a submission the return's
  state does not allow 409 (nothing changes), and a body with mistakes 422.
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.api_common import (
    ERRORS,
    Errors,
    Page,
    ReturnId,
    boolean_field,
    caller,
    json_schema_body,
    raise_if,
    read_body,
    refusals,
    supplier_user,
)
from socialvalue.contracts.api_schemas import (
    ReturnDetailOut,
    ReturnOut,
    contract_ref_out,
    line_out,
    return_out,
    with_details,
)
from socialvalue.contracts.models import Return
from socialvalue.contracts.returns import (
    contracts_in_period,
    return_submit,
    returns_open,
)
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    get_return_for_user,
    lines_of_return_for_user,
    returns_visible_to,
)
from socialvalue.core.access import STAFF_AND_SUPPLIERS, SUPPLIERS, Reach, api_access
from socialvalue.core.api_body import Pagination

router = Router(tags=["returns"])


SUBMIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "nil": {
            "type": "boolean",
            "description": "true confirms a nil return: nothing to report this quarter.",
        }
    },
    "example": {"nil": False},
}


class ReturnFilters(Schema):
    period: str | None = Field(
        None, pattern=r"^\d{4}-q[1-4]$", description="A period slug such as 2026-q3."
    )
    status: Literal["draft", "submitted"] | None = None


# --- Returns ------------------------------------------------------------------------------


def _return_detail(request: HttpRequest, user: User, return_record: Return) -> dict[str, Any]:
    held = contracts_in_period(return_record.supplier, return_record.period)
    contracts = contracts_visible_to(user).filter(pk__in=held.values("pk"))
    lines = with_details(lines_of_return_for_user(user, return_record))
    return {
        **return_out(return_record),
        "contracts": [contract_ref_out(c) for c in contracts.order_by("reference", "pk")],
        "lines": [line_out(request, line) for line in lines],
    }


@router.get(
    "/returns",
    auth=api_auth,
    response=list[ReturnOut],
    summary="Returns you can see",
    description="Suppliers: their organisation's returns (opening any that are due to "
    "open). Council staff: the returns of suppliers holding one of their organisation's "
    "contracts in the quarter. Latest quarter first; filter by `period` and `status`.",
)
@paginate(Pagination)
@api_access(STAFF_AND_SUPPLIERS)
def returns_return_list(request: AuthenticatedRequest, filters: Query[ReturnFilters]) -> Any:
    user = caller(request)
    if user.is_supplier_user and user.organisation is not None:
        returns_open(supplier=user.organisation)
    returns = returns_visible_to(user)
    if filters.period:
        year, _, number = filters.period.partition("-q")
        returns = returns.filter(period__year=int(year), period__number=int(number))
    if filters.status:
        returns = returns.filter(status=filters.status)
    returns = returns.order_by("-period__start_date", "supplier__name", "pk")
    return Page(returns, lambda page: [return_out(r) for r in page])


@router.get(
    "/returns/{return_id}",
    auth=api_auth,
    response={200: ReturnDetailOut, **ERRORS},
    summary="One return, with the lines you may see",
    description="Each line with its state, value, district, narrative, evidence files and "
    "history. Council staff see only the lines of their organisation's contracts, and only "
    "once the supplier has submitted the return: until then its lines are its own.",
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def returns_return_detail(request: AuthenticatedRequest, return_id: int = ReturnId) -> Any:
    user = caller(request)
    return _return_detail(request, user, get_return_for_user(user, return_id))


@router.post(
    "/returns/{return_id}/submit",
    auth=api_auth,
    response={200: ReturnDetailOut, **ERRORS},
    summary="Submit your return",
    description="Suppliers only, once the quarter has ended: every draft line goes for "
    'verification. `{"nil": true}` submits a nil return (only when it has no lines). 409 '
    "when the return is already submitted, the quarter has not ended, it has no lines "
    "(and is not nil) or is nil with lines.",
    openapi_extra=json_schema_body(SUBMIT_SCHEMA),
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_return_submit(request: AuthenticatedRequest, return_id: int = ReturnId) -> Any:
    user = supplier_user(request)
    return_record = get_return_for_user(user, return_id)
    errors: Errors = []
    nil = boolean_field(read_body(request, allow_empty=True), "nil", "Nil", errors)
    raise_if(errors)
    with refusals():
        return_record = return_submit(return_record, by=user, nil=nil)
    return _return_detail(request, user, get_return_for_user(user, return_record.pk))
