"""The evaluation's outcome pages: results, comparison, the evaluation report (page, XLSX and
PDF), award, and the supplier's debrief.

Who sees what: results, comparison and report need a council role and a tender of the
user's organisation; award is for the lead or an officer; the debrief only the bid's
supplier sees (404 for anyone else). Before the deadline the offers are sealed.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.security import personal_data_export_record
from socialvalue.core.access import MANAGERS, STAFF, SUPPLIERS, Reach, access
from socialvalue.procurement.evaluation.forms import AwardForm
from socialvalue.procurement.evaluation.pages import (
    apply_errors,
    page_context,
    page_url,
    sealed_page,
    staff_tender,
)
from socialvalue.procurement.evaluation.reports import (
    evaluation_report_context,
    evaluation_report_pdf,
    evaluation_report_xlsx,
    report_filename,
)
from socialvalue.procurement.evaluation.results import debrief_for, tender_results
from socialvalue.procurement.evaluation.selectors import (
    can_award,
)
from socialvalue.procurement.evaluation.services import tender_award
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.selectors import (
    get_bid_for_user,
    is_sealed,
)
from socialvalue.procurement.services import quality_levels

NOT_AWARDER_PAGE = "Only the social value lead or an officer can award a tender."
MSG_AWARDED = "The tender is awarded to {supplier}. Contract {reference} is created."

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Results, comparison and the report ------------------------------------------------------


@access(STAFF, Reach.ORGANISATION)
def results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if is_sealed(tender):
        return sealed_page(request, tender, "Results")
    outcome = tender_results(tender)
    return render(
        request,
        "procurement/evaluation/results.html",
        page_context(request, tender, page_title="Results", results=outcome),
    )


@access(STAFF, Reach.ORGANISATION)
def compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if is_sealed(tender):
        return sealed_page(request, tender, "Compare offers")
    outcome = tender_results(tender)
    return render(
        request,
        "procurement/evaluation/compare.html",
        page_context(
            request,
            tender,
            page_title="Compare offers",
            results=outcome,
            theme_rows=outcome.by_theme(),
            measure_rows=outcome.by_measure(),
        ),
    )


@access(STAFF, Reach.ORGANISATION)
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if is_sealed(tender):
        return sealed_page(request, tender, "Evaluation report")
    return render(
        request,
        "procurement/evaluation/report.html",
        page_context(
            request, tender, page_title="Evaluation report", **evaluation_report_context(tender)
        ),
    )


def _record_report_download(request: AuthenticatedRequest, tender: Tender, fmt: str) -> None:
    """The report names the panel's evaluators with their scores: personal data."""
    personal_data_export_record(
        request,
        export="evaluation report",
        rows=tender.panel.count(),
        tender=tender.reference,
        format=fmt,
    )


@access(STAFF, Reach.ORGANISATION)
def report_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if is_sealed(tender):
        return sealed_page(request, tender, "Evaluation report")
    response = HttpResponse(evaluation_report_xlsx(tender), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(tender, "xlsx")}"'
    _record_report_download(request, tender, "xlsx")
    return response


@access(STAFF, Reach.ORGANISATION)
def report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if is_sealed(tender):
        return sealed_page(request, tender, "Evaluation report")
    response = HttpResponse(evaluation_report_pdf(tender), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(tender, "pdf")}"'
    _record_report_download(request, tender, "pdf")
    return response


# --- Award -----------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def award(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    user = request.user
    if not can_award(user, tender):
        raise PermissionDenied(NOT_AWARDER_PAGE)
    if is_sealed(tender):
        return sealed_page(request, tender, "Award")
    template = "procurement/evaluation/award.html"
    if tender.status == Tender.Status.AWARDED:
        contract = getattr(tender, "contract", None)
        targets = list(contract.targets.select_related("measure")) if contract else []
        return render(
            request,
            "procurement/evaluation/awarded.html",
            page_context(
                request,
                tender,
                page_title="Tender awarded",
                contract=contract,
                targets=targets,
                targets_total=sum((target.value for target in targets), Decimal(0)),
                contract_url=page_url("contracts:contract_detail", contract.pk)
                if contract
                else None,
            ),
        )
    if tender.status != Tender.Status.EVALUATED:
        return render(
            request, template, page_context(request, tender, page_title="Award", form=None)
        )

    outcome = tender_results(tender)
    top = [result.bid for result in outcome.top]
    form = AwardForm(request.POST or None, tender=tender, top=top)
    if request.method == "POST" and form.is_valid():
        chosen_pk = form.cleaned_data.get("bid")
        chosen = next((bid for bid in top if bid.pk == chosen_pk), None)
        try:
            contract = tender_award(
                tender=tender,
                by=user,
                bid=chosen,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data.get("end_date"),
                contract_manager=form.cleaned_data.get("contract_manager"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_AWARDED.format(supplier=contract.supplier.name, reference=contract.reference),
            )
            return redirect("procurement:award", pk=tender.pk)
    return render(
        request,
        template,
        page_context(
            request,
            tender,
            page_title="Award",
            form=form,
            results=outcome,
            top=outcome.top,
        ),
        status=400 if form.errors else 200,
    )


# --- Debrief ---------------------------------------------------------------------------------


@access(SUPPLIERS, Reach.ORGANISATION)
def debrief(request: AuthenticatedRequest, bid_pk: int) -> HttpResponse:
    user = request.user
    if not user.is_supplier_user:
        raise Http404("No such offer.")
    bid = get_bid_for_user(user, bid_pk)
    if bid.status not in (Bid.Status.SUBMITTED, Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL):
        raise Http404("No such offer.")
    found = debrief_for(bid)
    context: dict[str, Any] = {
        "bid": bid,
        "tender": bid.tender,
        "offer_list_url": page_url("procurement:offer_list"),
        "offer_url": page_url("procurement:offer_edit", bid.pk),
        "ready": found is not None,
    }
    if found is not None:
        own, winning_total = found
        levels = {level.score: level for level in quality_levels(bid.tender)}
        context.update(
            own=own,
            winning_total=winning_total,
            lines=[
                (line, levels.get(line.consensus.score) if line.consensus else None)
                for line in own.commitments
            ],
        )
    return render(request, "procurement/evaluation/debrief.html", context)
