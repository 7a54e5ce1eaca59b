"""A contract's targets: add one, change a quantity, remove one, and profile a target across
the contract's quarters. Officers and the lead of the buying organisation only."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.contract_forms import (
    ProfileForm,
    TargetAddForm,
    TargetChangeForm,
    add_service_errors,
    plain,
)
from socialvalue.contracts.models import Contract, Target
from socialvalue.contracts.services import (
    contract_periods,
    profile_even,
    profile_set,
    target_delete,
    target_save,
)
from socialvalue.contracts.views.contract_manage import managed_contract, posted
from socialvalue.core.access import MANAGERS, Reach, access

MSG_ADDED = "{code} has been added with a target of {quantity}, spread evenly across the quarters."
MSG_CHANGED = "{code} now has a target of {quantity}, spread evenly across the quarters."
MSG_UNCHANGED = "{code} already has a target of {quantity}: nothing changed."
MSG_REMOVED = "The {code} target has been removed."
MSG_PROFILE_SAVED = "The quarterly profile of {code} has been saved."
MSG_PROFILE_EVEN = "{code} has been spread evenly across the contract’s {count} quarters."


def _targets(contract: Contract) -> list[Target]:
    return list(
        contract.targets.select_related("measure__theme").order_by(
            "measure__theme__order", "measure__outcome__order", "measure__order"
        )
    )


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def targets_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = managed_contract(request, pk)
    targets = _targets(contract)
    add_form = TargetAddForm(contract=contract)
    change_forms = {t.pk: TargetChangeForm(target=t) for t in targets}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            add_form = TargetAddForm(request.POST, contract=contract)
            if add_form.is_valid():
                measure = add_form.cleaned_data["measure"]
                quantity = add_form.cleaned_data["quantity"]
                try:
                    target_save(contract, measure, quantity, by=user)
                except ValidationError as exc:
                    add_service_errors(add_form, exc)
                else:
                    messages.success(
                        request, MSG_ADDED.format(code=measure.code, quantity=plain(quantity))
                    )
                    return redirect("contracts:targets_edit", pk=contract.pk)
        elif action in {"change", "delete"}:
            target = next((t for t in targets if str(t.pk) == request.POST.get("target")), None)
            if target is None:
                raise Http404("No such target.")
            code = target.measure.code
            if action == "delete":
                target_delete(target, by=user)
                messages.success(request, MSG_REMOVED.format(code=code))
                return redirect("contracts:targets_edit", pk=contract.pk)
            form = TargetChangeForm(request.POST, target=target)
            change_forms[target.pk] = form
            if form.is_valid():
                quantity = form.cleaned_data["quantity"]
                unchanged = quantity == target.quantity
                try:
                    target_save(contract, target.measure, quantity, by=user)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    text = MSG_UNCHANGED if unchanged else MSG_CHANGED
                    messages.success(request, text.format(code=code, quantity=plain(quantity)))
                    return redirect("contracts:targets_edit", pk=contract.pk)
    failed = add_form.errors or any(f.errors for f in change_forms.values())
    return render(
        request,
        "contracts/contracts/targets.html",
        {
            "contract": contract,
            "rows": [(t, change_forms[t.pk]) for t in targets],
            "add_form": add_form,
            "error_forms": [add_form, *change_forms.values()],
            "failed": failed,
            "total_value": sum((t.value for t in targets), Decimal(0)),
        },
        status=400 if failed else 200,
    )


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def target_profile(request: AuthenticatedRequest, pk: int, target_pk: int) -> HttpResponse:
    user = request.user
    contract = managed_contract(request, pk)
    target = (
        Target.objects.filter(contract=contract, pk=target_pk).select_related("measure").first()
    )
    if target is None:
        raise Http404("No such target.")
    periods = contract_periods(contract)
    current = {tq.period_id: tq.quantity for tq in target.quarters.all()}
    code = target.measure.code
    if request.method == "POST" and request.POST.get("action") == "even":
        profile_even(target, by=user)
        messages.success(request, MSG_PROFILE_EVEN.format(code=code, count=len(periods)))
        return redirect("contracts:target_profile", pk=contract.pk, target_pk=target.pk)
    form = ProfileForm(posted(request), periods=periods, quantities=current)
    if request.method == "POST" and form.is_valid():
        try:
            profile_set(target, form.quantities(), by=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_PROFILE_SAVED.format(code=code))
            return redirect("contracts:target_profile", pk=contract.pk, target_pk=target.pk)
    today = timezone.localdate()
    return render(
        request,
        "contracts/contracts/profile.html",
        {
            "contract": contract,
            "target": target,
            "form": form,
            "rows": [
                (period, field, period.end_date < today, period.start_date <= today)
                for period, field in form.rows()
            ],
            "profiled_total": sum(current.values(), Decimal(0)),
        },
        status=400 if form.errors else 200,
    )
