"""Registering a contract directly, changing its details and closing it.

Officers and the lead of the buying organisation only: anyone else signed in gets 403 for
the role, and an officer of another organisation gets 404 for the contract.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.contract_forms import (
    ContractCloseForm,
    ContractForm,
    add_service_errors,
)
from socialvalue.contracts.models import Contract
from socialvalue.contracts.selectors import get_contract_for_user
from socialvalue.contracts.services import contract_close, contract_register, contract_update
from socialvalue.core.access import MANAGERS, Reach, access

NOT_BUYER_STAFF = "Only staff of a buying organisation can register contracts."
MSG_REGISTERED = "Contract {reference} has been registered."
MSG_REGISTERED_TARGETS = (
    "Contract {reference} has been registered with {count} target{s}, spread evenly across "
    "its quarters."
)
MSG_SAVED = "Contract {reference} has been saved."
MSG_ENDED = "Contract {reference} has ended."
MSG_TERMINATED = "Contract {reference} has been terminated: its last day was {day}."


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _buyer(user: User) -> Organisation:
    organisation = user.organisation
    if organisation is None or not organisation.is_buyer:
        raise PermissionDenied(NOT_BUYER_STAFF)
    return organisation


def managed_contract(request: AuthenticatedRequest, pk: int) -> Contract:
    """The contract, for officers and the lead of its organisation (404 for others)."""
    return get_contract_for_user(request.user, pk)


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def contract_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = _buyer(user)
    initial = {}
    if user.service_area_id is not None and user.service_area is not None:
        initial = {
            "directorate": user.service_area.directorate_id,
            "service_area": user.service_area_id,
        }
    form = ContractForm(posted(request), organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = contract_register(
                organisation=organisation,
                supplier=data["supplier"],
                framework_version=data["framework_version"],
                targets=data["targets"],
                by=user,
                **form.contract_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(data["targets"])
            text = (
                MSG_REGISTERED_TARGETS.format(
                    reference=contract.reference, count=count, s="" if count == 1 else "s"
                )
                if count
                else MSG_REGISTERED.format(reference=contract.reference)
            )
            messages.success(request, text)
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contracts/form.html",
        {"form": form, "contract": None, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def contract_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = managed_contract(request, pk)
    form = ContractForm(posted(request), organisation=contract.organisation, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_update(contract, by=user, **form.contract_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
            contract.refresh_from_db()
        else:
            messages.success(request, MSG_SAVED.format(reference=contract.reference))
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contracts/form.html",
        {"form": form, "contract": contract, "organisation": contract.organisation},
        status=400 if form.errors else 200,
    )


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def contract_close_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = managed_contract(request, pk)
    form = ContractCloseForm(posted(request))
    live = contract.status == Contract.Status.LIVE
    if request.method == "POST" and live and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        day = form.cleaned_data.get("termination_date")
        try:
            contract = contract_close(
                contract,
                status=outcome,
                end_date=day if outcome == Contract.Status.TERMINATED else None,
                by=user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "end_date" in exc.error_dict:
                form.add_error("termination_date", exc.message_dict["end_date"])
            else:
                form.add_error(None, exc.messages)
            contract.refresh_from_db()
        else:
            text = (
                MSG_TERMINATED.format(reference=contract.reference, day=f"{day:%-d %B %Y}")
                if outcome == Contract.Status.TERMINATED and day
                else MSG_ENDED.format(reference=contract.reference)
            )
            messages.success(request, text)
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contracts/close.html",
        {"form": form, "contract": contract},
        status=400 if live and form.errors else 200,
    )
