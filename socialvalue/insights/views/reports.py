"""The quarterly Cabinet report (/insights/reports/): council staff choose whose figures and
which quarter, and download the report as a PDF. Whose figures follow ``insights.access``:
anything not offered to the user is not found."""

from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import STAFF_AND_CABINET, Reach, access
from socialvalue.core.forms import form_field
from socialvalue.core.quarters import Quarter
from socialvalue.insights import kpis
from socialvalue.insights.cabinet import (
    NOT_YOURS,
    ReportChoice,
    build_report,
    get_choice_for_user,
    get_quarter,
    quarter_slug,
    report_choices,
    report_quarters,
)
from socialvalue.insights.cabinet_pdf import report_filename, report_pdf

ERR_QUARTER = "Choose a quarter from the list"


class ReportForm(forms.Form):
    organisation = forms.ChoiceField(label="Whose figures", required=False)
    quarter = forms.ChoiceField(label="Quarter", error_messages={"invalid_choice": ERR_QUARTER})

    def __init__(
        self, *args: Any, choices: list[ReportChoice], quarters: list[Quarter], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.show_organisation = len(choices) > 1
        form_field(self, "organisation", forms.ChoiceField).choices = [
            (c.slug, c.label) for c in choices
        ]
        form_field(self, "quarter", forms.ChoiceField).choices = [
            (quarter_slug(q), q.label) for q in quarters
        ]


def pdf_url(choice: ReportChoice, quarter: Quarter) -> str:
    return reverse("insights:cabinet_report_pdf", args=[choice.slug, quarter_slug(quarter)])


@access(STAFF_AND_CABINET, Reach.PLACE)
@require_GET
def reports(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    choices = report_choices(user)
    if not choices:
        return render(request, "insights/dashboard/no_organisation.html")
    wanted = request.GET.get("organisation", "")
    choice = get_choice_for_user(user, wanted) if wanted else choices[0]
    quarters = report_quarters(choice.option.ids)
    form = ReportForm(
        {
            "organisation": choice.slug,
            "quarter": request.GET.get("quarter") or quarter_slug(quarters[0]),
        },
        choices=choices,
        quarters=quarters,
    )
    quarter = quarters[0]
    if form.is_valid():
        quarter = next(q for q in quarters if quarter_slug(q) == form.cleaned_data["quarter"])
    # Delivered in each quarter listed, to show which quarters have figures.
    rows = kpis.breakdown(kpis.Scope(choice.option.ids, quarters[-1], quarters[0]), "quarter")
    delivered = {row.key: row.delivered for row in rows}
    return render(
        request,
        "insights/reports/index.html",
        {
            "form": form,
            "choice": choice,
            "quarter": quarter,
            "pdf_url": pdf_url(choice, quarter),
            "quarters": [
                {"quarter": q, "delivered": delivered.get(q, kpis.ZERO), "url": pdf_url(choice, q)}
                for q in quarters
            ],
            "any_delivered": any(delivered.values()),
            "has_errors": bool(form.errors),
        },
    )


@access(STAFF_AND_CABINET, Reach.PLACE)
@require_GET
def cabinet_report_pdf(request: AuthenticatedRequest, who: str, quarter: str) -> HttpResponse:
    user = request.user
    if not report_choices(user):
        raise Http404(NOT_YOURS)
    choice = get_choice_for_user(user, who)
    report = build_report(choice, get_quarter(quarter), today=timezone.localdate())
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_filename(report)}"'
    return response
