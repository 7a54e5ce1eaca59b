"""KPI targets (/insights/targets/): the social value lead sets a target per KPI per
financial year for their organisation, and for each place partnership it leads; other
council staff see them. Every change is listed with who made it and when."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import Organisation, User
from socialvalue.core.access import LEADS, NOT_LEAD, STAFF_AND_CABINET, Reach, access
from socialvalue.core.quarters import Quarter
from socialvalue.insights.access import places_led_by
from socialvalue.insights.dashboard import (
    PLACE_PREFIX,
    OrganisationOption,
    current_financial_year,
    target_text,
)
from socialvalue.insights.dashboard_forms import KpiTargetsForm, TargetChoiceForm
from socialvalue.insights.models import Kpi, KpiTarget
from socialvalue.insights.services import kpi_targets_save

NOT_YOURS = "These targets are not available to you."
HISTORY_SHOWN = 50
YEARS_BEFORE, YEARS_AFTER = 4, 2
SAVED = "The targets for {year} have been saved."


def target_owners(user: User) -> list[OrganisationOption]:
    """Whose targets ``user`` may see (and, for the lead, set): their organisation first,
    then each place it leads."""
    if user.organisation_id is None:
        return []
    own = Organisation.objects.get(pk=user.organisation_id)
    return [
        OrganisationOption("", own.name, frozenset({own.pk}), organisation=own),
        *(
            OrganisationOption(
                f"{PLACE_PREFIX}{place.slug}",
                place.name,
                frozenset(place.members.values_list("pk", flat=True)),
                place=place,
            )
            for place in places_led_by(user)
        ),
    ]


def _owner_filter(option: OrganisationOption) -> dict[str, Any]:
    if option.place is not None:
        return {"place": option.place}
    return {"organisation": option.organisation}


def _years(option: OrganisationOption) -> list[int]:
    this_year = current_financial_year()
    years = set(range(this_year - YEARS_BEFORE, this_year + YEARS_AFTER + 1))
    years |= set(KpiTarget.objects.filter(**_owner_filter(option)).values_list("year", flat=True))
    return sorted(years, reverse=True)


def _initial(target: Decimal) -> str:
    return f"{target.normalize():f}" if target == target.to_integral_value() else f"{target:f}"


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    kpi: str
    year: str
    what: str


def _changes(records: QuerySet[Any]) -> list[Change]:
    changes = []
    for record in records.select_related("history_user")[:HISTORY_SHOWN]:
        new = target_text(record.kpi, record.target)
        if record.history_type == "+":
            what = f"Set to {new}"
        elif record.history_type == "-":
            what = f"Removed (it was {new})"
        else:
            previous = record.prev_record
            old = target_text(record.kpi, previous.target) if previous else ""
            what = f"Changed from {old} to {new}" if old else f"Set to {new}"
        user = record.history_user
        changes.append(
            Change(
                record.history_date,
                user.full_name if user else "Unknown",
                Kpi(record.kpi).label,
                Quarter(record.year, 1).financial_year,
                what,
            )
        )
    return changes


@access(STAFF_AND_CABINET, Reach.PLACE, writes=LEADS)
@require_http_methods(["GET", "POST"])
def targets(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    owners = target_owners(user)
    if not owners:
        return render(request, "insights/dashboard/no_organisation.html")
    wanted = request.GET.get("owner", "")
    if wanted and wanted not in {o.value for o in owners}:
        raise Http404(NOT_YOURS)
    owner = next(o for o in owners if o.value == wanted)
    choice = TargetChoiceForm(request.GET or None, owners=owners, years=_years(owner))
    year = choice.year_value
    whose = _owner_filter(owner)
    current = dict(KpiTarget.objects.filter(year=year, **whose).values_list("kpi", "target"))
    can_edit = user.is_lead
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(NOT_LEAD)
        form = KpiTargetsForm(request.POST)
        if form.is_valid():
            try:
                kpi_targets_save(by=user, year=year, targets=form.targets, **whose)
            except ValidationError as error:
                for kpi, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(kpi if kpi in form.fields else None, problem)
            else:
                label = Quarter(year, 1).financial_year
                messages.success(request, SAVED.format(year=label))
                query = {"year": str(year), **({"owner": owner.value} if owner.value else {})}
                return redirect(f"{reverse('insights:targets')}?{urlencode(query)}")
    else:
        form = KpiTargetsForm(initial={kpi: _initial(t) for kpi, t in current.items()})
    rows = [
        {
            "kpi": kpi,
            "field": form[kpi.value],
            "unit": form.unit(kpi.value),
            "target": target_text(kpi.value, current.get(kpi.value)),
        }
        for kpi in Kpi
    ]
    history = KpiTarget.history.filter(**{f"{k}_id": v.pk for k, v in whose.items()}).order_by(
        "-history_date", "-history_id"
    )
    return render(
        request,
        "insights/dashboard/targets.html",
        {
            "choice": choice,
            "form": form,
            "rows": rows,
            "owner": owner,
            "year": year,
            "year_label": Quarter(year, 1).financial_year,
            "can_edit": can_edit,
            "changes": _changes(history),
            "action": request.get_full_path(),
        },
    )
