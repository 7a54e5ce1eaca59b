"""The supplier's lines of a return: add, change, delete, and answer an officer's query.

Lines are added and deleted only while the return is a draft; a queried line of a
submitted return can still be changed, and is then answered to go back for verification.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.models import Contract, LineEvent, Return, ReturnLine
from socialvalue.contracts.return_forms import AnswerForm, LineForm, add_service_errors
from socialvalue.contracts.returns import (
    ERR_LINE_LOCKED,
    ERR_NOT_QUERIED,
    ERR_RETURN_SUBMITTED,
    ReturnLocked,
    contracts_in_period,
    line_add,
    line_answer,
    line_delete,
    line_update,
)
from socialvalue.contracts.views.supplier_common import (
    back_to_return,
    line_tag,
    line_url,
    line_value,
    own_line,
    own_return,
    return_url,
    supplier_user,
)
from socialvalue.core.access import SUPPLIERS, Reach, access

ERR_NO_CONTRACTS = "You had no contracts in this quarter, so there is nothing to report on."
MSG_ADDED = "The line for {reference} {code} has been added."
MSG_UPDATED = "The line for {reference} {code} has been changed."
MSG_UNCHANGED = "Nothing was changed on the line for {reference} {code}."
MSG_DELETED = "The line for {reference} {code} has been deleted."
MSG_ANSWERED = (
    "Your answer has been sent. The line for {reference} {code} is awaiting verification again."
)
MSG_QUERIED_CHANGED = "When you have made your changes, answer the query to send the line back."


def _locked(line: ReturnLine) -> str:
    return ERR_LINE_LOCKED.format(status=line.get_status_display().lower())


def _contracts_for(return_record: Return, line: ReturnLine | None = None) -> list[Contract]:
    contracts = list(contracts_in_period(return_record.supplier, return_record.period))
    if line is not None and line.contract_id not in {c.pk for c in contracts}:
        contracts.append(line.contract)
    return contracts


def _initial_from_query(request: HttpRequest, contracts: list[Contract]) -> dict[str, Any]:
    """``?contract=…&measure=…`` (from a target on the return page) choose them already."""
    initial: dict[str, Any] = {}
    contract = request.GET.get("contract", "")
    if contract.isdigit() and int(contract) in {c.pk for c in contracts}:
        initial["contract"] = contract
    elif len(contracts) == 1:
        initial["contract"] = str(contracts[0].pk)
    measure = request.GET.get("measure", "")
    if measure.isdigit():
        initial["measure"] = measure
    return initial


def _line_page(
    request: AuthenticatedRequest, return_record: Return, form: LineForm, line: ReturnLine | None
) -> HttpResponse:
    return render(
        request,
        "contracts/supplier/line_form.html",
        {
            "return": return_record,
            "period": return_record.period,
            "form": form,
            "line": line,
            "query": (
                _latest_query(line)
                if line is not None and line.status == ReturnLine.Status.QUERIED
                else None
            ),
            "cancel_url": (
                line_url(supplier_user(request), return_record, line.pk)
                if line is not None
                else return_url(return_record)
            ),
        },
    )


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def line_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    if return_record.status != Return.Status.DRAFT:
        return back_to_return(request, return_record, ERR_RETURN_SUBMITTED)
    contracts = _contracts_for(return_record)
    if not contracts:
        return back_to_return(request, return_record, ERR_NO_CONTRACTS)
    form = LineForm(
        request.POST if request.method == "POST" else None,
        contracts=contracts,
        initial=_initial_from_query(request, contracts),
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = line_add(return_record, form.line_input(), by=user)
        except ReturnLocked as exc:
            return back_to_return(request, return_record, exc.messages[0])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, MSG_ADDED.format(reference=line.contract.reference, code=line.measure.code)
            )
            if "add_another" in request.POST:
                url = reverse("contracts:line_add", args=[return_record.pk])
                return redirect(f"{url}?contract={line.contract_id}")
            return redirect(line_url(user, return_record, line.pk))
    return _line_page(request, return_record, form, None)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def line_edit_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    line = own_line(request, return_record, line_pk)
    if not line.is_editable_by_supplier:
        return back_to_return(request, return_record, _locked(line))
    initial = {
        "contract": str(line.contract_id),
        "measure": str(line.measure_id),
        "quantity": f"{line.quantity.normalize():f}",
        "district": line.district,
        "narrative": line.narrative,
    }
    form = LineForm(
        request.POST if request.method == "POST" else None,
        contracts=_contracts_for(return_record, line),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        before = line.updated_at
        try:
            saved = line_update(line, form.line_input(), by=user)
        except ReturnLocked as exc:
            return back_to_return(request, return_record, exc.messages[0])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            names = {"reference": saved.contract.reference, "code": saved.measure.code}
            changed = saved.updated_at != before
            messages.success(request, (MSG_UPDATED if changed else MSG_UNCHANGED).format(**names))
            if saved.status == ReturnLine.Status.QUERIED:
                messages.info(request, MSG_QUERIED_CHANGED)
                return redirect("contracts:line_answer", pk=return_record.pk, line_pk=saved.pk)
            return redirect(line_url(user, return_record, saved.pk))
    return _line_page(request, return_record, form, line)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def line_delete_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    line = own_line(request, return_record, line_pk)
    if line.status != ReturnLine.Status.DRAFT or return_record.status != Return.Status.DRAFT:
        return back_to_return(request, return_record, _locked(line))
    if request.method == "POST":
        try:
            line_delete(line, by=user)
        except ValidationError as exc:
            return back_to_return(request, return_record, exc.messages[0])
        messages.success(
            request, MSG_DELETED.format(reference=line.contract.reference, code=line.measure.code)
        )
        return redirect(return_url(return_record))
    return render(
        request,
        "contracts/supplier/line_delete.html",
        {
            "return": return_record,
            "period": return_record.period,
            "line": line,
            "value": line_value(line),
            "evidence_count": line.evidence.count(),
            "cancel_url": line_url(user, return_record, line.pk),
        },
    )


def _latest_query(line: ReturnLine) -> LineEvent | None:
    return (
        line.events.filter(action=LineEvent.Action.QUERIED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def line_answer_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    line = own_line(request, return_record, line_pk)
    if line.status != ReturnLine.Status.QUERIED:
        return back_to_return(
            request,
            return_record,
            ERR_NOT_QUERIED.format(status=line.get_status_display().lower()),
        )
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            line_answer(line, by=user, message=form.cleaned_data["message"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_ANSWERED.format(reference=line.contract.reference, code=line.measure.code),
            )
            return redirect(line_url(user, return_record, line.pk))
    return render(
        request,
        "contracts/supplier/line_answer.html",
        {
            "return": return_record,
            "period": return_record.period,
            "line": line,
            "tag": line_tag(line),
            "value": line_value(line),
            "query": _latest_query(line),
            "evidence": list(line.evidence.all()),
            "form": form,
            "cancel_url": line_url(user, return_record, line.pk),
        },
    )
