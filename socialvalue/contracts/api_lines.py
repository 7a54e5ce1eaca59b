"""Lines of quarterly returns: suppliers add, change, delete and answer; officers verify,
query or reject.

The wrong role gets 403, a line the caller may not see 404, a change the line's state does
not allow 409 (nothing changes), and a body with mistakes 422 naming each field.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.api_common import (
    ERR_MISSING,
    ERRORS,
    Errors,
    LineId,
    ReturnId,
    as_id,
    district_field,
    json_schema_body,
    officer_user,
    quantity_field,
    raise_if,
    read_body,
    refusals,
    supplier_user,
    text_field,
)
from socialvalue.contracts.api_schemas import (
    LineOut,
    line_out,
    with_details,
)
from socialvalue.contracts.models import Contract, Return, ReturnLine
from socialvalue.contracts.returns import (
    ERR_LINE_LOCKED,
    ERR_RETURN_SUBMITTED,
    LineInput,
    line_add,
    line_answer,
    line_delete,
    line_query,
    line_reject,
    line_update,
    line_verify,
)
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    get_line_for_user,
    get_return_for_user,
    lines_visible_to,
)
from socialvalue.core.access import STAFF, SUPPLIERS, Reach, api_access
from socialvalue.core.api_body import body_error
from socialvalue.framework.models import Measure

router = Router(tags=["returns"])

ERR_CONTRACT_TYPE = "Contract must be a contract id (a number) or its reference (text)."
ERR_CONTRACT_UNKNOWN = "You have no contract '{value}'."
ERR_CONTRACT_AMBIGUOUS = (
    "You have {count} contracts with the reference '{value}'; send the contract's id instead."
)
ERR_MEASURE_TYPE = "Measure must be a measure code such as 'NT1'."
ERR_MEASURE_UNKNOWN = "Unknown measure code '{code}' in {version}."


LINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["contract", "measure", "quantity", "district"],
    "properties": {
        "contract": {
            "type": ["integer", "string"],
            "description": "The contract's id (a number) or its reference (text).",
        },
        "measure": {"type": "string", "example": "NT1"},
        "quantity": {"type": "string", "example": "1.5", "description": "0 or more."},
        "district": {
            "type": "string",
            "description": "A Lancashire district code or name, or 'outside'.",
            "example": "Preston",
        },
        "narrative": {"type": "string"},
    },
    "example": {
        "contract": "LCC-T-001",
        "measure": "NT1",
        "quantity": "1.5",
        "district": "Preston",
        "narrative": "Two local apprentices started at the depot.",
    },
}
LINE_PATCH_SCHEMA: dict[str, Any] = {
    **LINE_SCHEMA,
    "required": [],
    "description": "Only the fields sent change.",
    "example": {"quantity": "2"},
}
MESSAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"message": {"type": "string", "maxLength": 10000}},
    "example": {"message": "Please upload the payroll extract for these hires."},
}


# --- Lines --------------------------------------------------------------------------------


def _line(request: HttpRequest, user: User, pk: int) -> dict[str, Any]:
    return line_out(request, with_details(lines_visible_to(user).filter(pk=pk)).get())


def _contract(raw: object, user: User, errors: Errors) -> Contract | None:
    mine = contracts_visible_to(user).select_related("framework_version")
    if isinstance(raw, str):
        if "\x00" in raw or not raw.strip() or len(raw) > 200:
            errors.append(body_error(["contract"], ERR_CONTRACT_TYPE))
            return None
        found = list(mine.filter(reference=raw.strip())[:10])
        if len(found) > 1:
            message = ERR_CONTRACT_AMBIGUOUS.format(count=len(found), value=raw.strip())
            errors.append(body_error(["contract"], message))
            return None
        if not found:
            message = ERR_CONTRACT_UNKNOWN.format(value=raw.strip()[:50])
            errors.append(body_error(["contract"], message))
            return None
        return found[0]
    pk = as_id(raw)
    if pk is None:
        errors.append(body_error(["contract"], ERR_CONTRACT_TYPE))
        return None
    contract = mine.filter(pk=pk).first()
    if contract is None:
        errors.append(body_error(["contract"], ERR_CONTRACT_UNKNOWN.format(value=pk)))
    return contract


def _measure(raw: object, contract: Contract | None, errors: Errors) -> Measure | None:
    if not isinstance(raw, str) or "\x00" in raw or not raw.strip() or len(raw) > 20:
        errors.append(body_error(["measure"], ERR_MEASURE_TYPE))
        return None
    if contract is None:
        return None
    version = contract.framework_version
    code = raw.strip().upper()
    for measure in Measure.objects.filter(version=version):
        if measure.code.upper() == code:
            return measure
    errors.append(
        body_error(["measure"], ERR_MEASURE_UNKNOWN.format(code=raw.strip(), version=version.slug))
    )
    return None


def _line_input(body: dict[str, Any], user: User, current: ReturnLine | None) -> LineInput:
    """The line sent, over ``current`` for a change (absent fields keep their value), or a
    422 listing every problem."""
    errors: Errors = []
    required = ("contract", "measure", "quantity", "district")
    if current is None:
        for name in required:
            if body.get(name) is None:
                errors.append(
                    body_error([name], ERR_MISSING.format(label=name.capitalize()), "missing")
                )
    contract = current.contract if current is not None else None
    if body.get("contract") is not None:
        contract = _contract(body["contract"], user, errors)
    measure = current.measure if current is not None else None
    if body.get("measure") is not None:
        measure = _measure(body["measure"], contract, errors)
    elif current is not None and contract is not None and contract.pk != current.contract_id:
        # Moved to another contract: the same measure code in that contract's framework.
        measure = _measure(current.measure.code, contract, errors)
    quantity = current.quantity if current is not None else None
    if body.get("quantity") is not None:
        quantity = quantity_field(body["quantity"], errors)
    district = current.district if current is not None else None
    if body.get("district") is not None:
        district = district_field(body["district"], errors)
    narrative: str | None = current.narrative if current is not None else ""
    if "narrative" in body:
        narrative = text_field(body, "narrative", "Narrative", errors)
    raise_if(errors)
    if (
        contract is None
        or measure is None
        or quantity is None
        or district is None
        or narrative is None
    ):
        # Without errors, every part has been read: a part missing here is a bug.
        raise RuntimeError("A return line was read without errors but lacks a part.")
    return LineInput(contract, measure, quantity, district, narrative)


@router.post(
    "/returns/{return_id}/lines",
    auth=api_auth,
    response={201: LineOut, **ERRORS},
    summary="Add a line to your return",
    description="Suppliers only, while the return is not submitted (else 409). The "
    "contract must be one you held in the quarter and the measure one of its framework's.",
    openapi_extra=json_schema_body(LINE_SCHEMA),
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_line_add(request: AuthenticatedRequest, return_id: int = ReturnId) -> Any:
    user = supplier_user(request)
    return_record = get_return_for_user(user, return_id)
    if return_record.status != Return.Status.DRAFT:
        raise HttpError(409, ERR_RETURN_SUBMITTED)
    data = _line_input(read_body(request), user, None)
    with refusals():
        line = line_add(return_record, data, by=user)
    return Status(201, _line(request, user, line.pk))


def _editable_line(user: User, return_id: int, line_id: int) -> ReturnLine:
    line = get_line_for_user(user, line_id, return_pk=return_id)
    if not line.is_editable_by_supplier:
        raise HttpError(409, ERR_LINE_LOCKED.format(status=line.get_status_display().lower()))
    return line


@router.patch(
    "/returns/{return_id}/lines/{line_id}",
    auth=api_auth,
    response={200: LineOut, **ERRORS},
    summary="Change a line of your return",
    description="Suppliers only, for a draft or queried line (else 409). Only the fields "
    "sent change. After changing a queried line, answer the query to send it back.",
    openapi_extra=json_schema_body(LINE_PATCH_SCHEMA),
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_line_change(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    user = supplier_user(request)
    line = _editable_line(user, return_id, line_id)
    data = _line_input(read_body(request), user, line)
    with refusals():
        line_update(line, data, by=user)
    return _line(request, user, line.pk)


@router.delete(
    "/returns/{return_id}/lines/{line_id}",
    auth=api_auth,
    response={204: None, **ERRORS},
    summary="Delete a draft line of your return, with its evidence",
    description="Suppliers only; a line that has been submitted is kept (409).",
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_line_delete(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    user = supplier_user(request)
    line = get_line_for_user(user, line_id, return_pk=return_id)
    with refusals():
        line_delete(line, by=user)
    return Status(204, None)


def _message(request: HttpRequest) -> str:
    errors: Errors = []
    message = text_field(read_body(request, allow_empty=True), "message", "Message", errors)
    raise_if(errors)
    return message or ""


@router.post(
    "/returns/{return_id}/lines/{line_id}/answer",
    auth=api_auth,
    response={200: LineOut, **ERRORS},
    summary="Answer a query on a line: it goes back for verification",
    description="Suppliers only, for a queried line (else 409). A message is required.",
    openapi_extra=json_schema_body(MESSAGE_SCHEMA),
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_line_answer(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    user = supplier_user(request)
    line = get_line_for_user(user, line_id, return_pk=return_id)
    message = _message(request)
    with refusals():
        line_answer(line, by=user, message=message)
    return _line(request, user, line.pk)


def _decide(request: AuthenticatedRequest, return_id: int, line_id: int, service: Any) -> Any:
    user = officer_user(request)
    line = get_line_for_user(user, line_id, return_pk=return_id)
    message = _message(request)
    with refusals():
        service(line, by=user, message=message)
    return _line(request, user, line.pk)


DECISION_RULES = (
    "Council staff of the contract's organisation only, for a line awaiting verification "
    "(else 409). The supplier sees the message in the line's history{extra}."
)


@router.post(
    "/returns/{return_id}/lines/{line_id}/verify",
    auth=api_auth,
    response={200: LineOut, **ERRORS},
    summary="Verify a line: its quantity counts as delivered",
    description=DECISION_RULES.format(extra="; it is optional"),
    openapi_extra=json_schema_body(MESSAGE_SCHEMA),
)
@api_access(STAFF, Reach.PARTIES)
def returns_line_verify(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    return _decide(request, return_id, line_id, line_verify)


@router.post(
    "/returns/{return_id}/lines/{line_id}/query",
    auth=api_auth,
    response={200: LineOut, **ERRORS},
    summary="Query a line: the supplier is asked to answer or change it",
    description=DECISION_RULES.format(extra=" and by email; it is required"),
    openapi_extra=json_schema_body(MESSAGE_SCHEMA),
)
@api_access(STAFF, Reach.PARTIES)
def returns_line_query(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    return _decide(request, return_id, line_id, line_query)


@router.post(
    "/returns/{return_id}/lines/{line_id}/reject",
    auth=api_auth,
    response={200: LineOut, **ERRORS},
    summary="Reject a line: it never counts as delivered",
    description=DECISION_RULES.format(extra=" and by email; the reason is required"),
    openapi_extra=json_schema_body(MESSAGE_SCHEMA),
)
@api_access(STAFF, Reach.PARTIES)
def returns_line_reject(
    request: AuthenticatedRequest, return_id: int = ReturnId, line_id: int = LineId
) -> Any:
    return _decide(request, return_id, line_id, line_reject)
