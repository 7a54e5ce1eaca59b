"""The social value lead's reporting settings: when returns are due, the first reminder and
the RAG thresholds, with their history."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.contract_forms import ReportingSettingsForm, add_service_errors
from socialvalue.contracts.contract_selectors import settings_changes
from socialvalue.contracts.models import ReportingSettings
from socialvalue.contracts.periods import due_dates_refresh
from socialvalue.contracts.views.contract_manage import posted
from socialvalue.core.access import SERVICE_OWNER_LEADS, Reach, access
from socialvalue.core.history import set_history_user

CHANGES_PER_PAGE = 10
MSG_SAVED = "The reporting settings have been saved."
MSG_UNCHANGED = "Nothing changed: the settings were already as you entered them."
MSG_MOVED = "The due date of {count} reporting period{s} not yet due has moved."
MSG_NOT_MOVED = "No due dates moved."


@transaction.atomic
def reporting_settings_update(*, by: User, **fields: Any) -> tuple[ReportingSettings, bool, int]:
    """Change the reporting settings and move the due dates not yet passed to match.

    Returns the settings, whether anything changed and how many periods' due dates moved.
    """
    row = ReportingSettings.objects.select_for_update().get(pk=ReportingSettings.current().pk)
    changed = any(getattr(row, name) != value for name, value in fields.items())
    if not changed:
        return row, False, 0
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    set_history_user(row, by)
    row.save()
    return row, True, due_dates_refresh()


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_http_methods(["GET", "POST"])
def reporting_settings(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    current = ReportingSettings.current()
    form = ReportingSettingsForm(posted(request), current=current)
    if request.method == "POST" and form.is_valid():
        try:
            current, changed, moved = reporting_settings_update(by=user, **form.settings_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not changed:
                messages.info(request, MSG_UNCHANGED)
            else:
                text = (
                    MSG_MOVED.format(count=moved, s="" if moved == 1 else "s")
                    if moved
                    else MSG_NOT_MOVED
                )
                messages.success(request, f"{MSG_SAVED} {text}")
            return redirect("contracts:reporting_settings")
    changes = Paginator(settings_changes(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/contracts/reporting_settings.html",
        {"form": form, "settings": current, "changes": changes},
        status=400 if form.errors else 200,
    )
