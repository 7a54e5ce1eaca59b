"""Evaluation pages: panel scoring, moderation, results, comparison, the evaluation report,
award and supplier debriefs.

Who sees what:
- every page needs a council role (403 otherwise) and a tender of the user's organisation
  (404 otherwise), except the debrief, which only the bid's supplier sees (404 for anyone
  else);
- before the deadline each page says the offers are sealed and shows nothing of them;
- scoring is for panel members; moderation for the moderator or the social value lead;
  award for the lead or an officer.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts.models import User
from socialvalue.accounts.security import personal_data_export_record
from socialvalue.core.access import MANAGERS, STAFF, SUPPLIERS, Reach, access
from socialvalue.procurement.evaluation import (
    can_award,
    consensus_record,
    consensus_scores,
    contract_end_default,
    debrief_for,
    evaluator_progress,
    individual_scores_visible_to,
    moderation_scores,
    panel_all_submitted,
    panel_members,
    quality_levels,
    responses_for_evaluation,
    score_record,
    scores_submit,
    tender_award,
    tender_results,
)
from socialvalue.procurement.models import (
    Bid,
    QualitativeResponse,
    QualityLevel,
    QualityScore,
    Tender,
)
from socialvalue.procurement.reports import (
    evaluation_report_context,
    evaluation_report_pdf,
    evaluation_report_xlsx,
    report_filename,
)
from socialvalue.procurement.selectors import (
    can_moderate,
    get_bid_for_user,
    get_tender_for_user,
    is_sealed,
    panel_membership,
    submitted_bids,
)
from socialvalue.procurement.services import tender_mark_evaluated

NOT_ON_PANEL_PAGE = "Only members of this tender's evaluation panel can score its offers."
NOT_MODERATOR_PAGE = "Only the panel's moderator or the social value lead can moderate scores."
NOT_AWARDER_PAGE = "Only the social value lead or an officer can award a tender."
MSG_SCORE_SAVED = "Your score for {code} ({supplier}) is saved."
MSG_SCORES_SUBMITTED = "Your scores are submitted. You can now see the other submitted scores."
MSG_CONSENSUS_SAVED = "The consensus score for {code} ({supplier}) is saved."
MSG_EVALUATED = "The evaluation is complete. The results are final."
MSG_AWARDED = "The tender is awarded to {supplier}. Contract {reference} is created."
ERR_RESPONSE_MISSING = "That response is not part of this offer. Reload the page and try again."

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Forms ----------------------------------------------------------------------------------


class ScoreForm(forms.Form):
    """One evaluator's score of one response (also the consensus score, with a rationale)."""

    score = forms.TypedChoiceField(
        label="Score",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 0 to 5."},
    )
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Explain your score against the profile: what gives you confidence and "
        "what is missing.",
        error_messages={"required": "Give a justification for your score."},
    )

    def __init__(self, *args: Any, levels: list[QualityLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        score_field = self.fields["score"]
        assert isinstance(score_field, forms.ChoiceField)
        score_field.choices = [(level.score, f"{level.score} – {level.label}") for level in levels]

    def radio_items(self) -> list[tuple[Any, QualityLevel]]:
        return list(zip(self["score"].subwidgets, self.levels, strict=False))


class ConsensusForm(ScoreForm):
    justification = forms.CharField(
        label="Rationale for the consensus score",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Record how the panel reached this score, especially where scores differed.",
        error_messages={"required": "Give the rationale for the consensus score."},
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class AwardForm(forms.Form):
    bid = forms.TypedChoiceField(
        label="Which offer do you want to award the contract to?",
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": "Choose the offer to award the contract to."},
    )
    start_date = forms.DateField(
        label="Contract start date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the contract start date.",
            "invalid": "Enter the start date as a real date, for example 1 April 2025.",
        },
    )
    end_date = forms.DateField(
        label="Contract end date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the end date as a real date, for example 31 March 2028."},
    )
    contract_manager = StaffChoiceField(
        label="Contract manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose later",
        help_text="The officer who will manage the contract and check its returns.",
    )

    def __init__(self, *args: Any, tender: Tender, top: list[Bid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bid_field = self.fields["bid"]
        assert isinstance(bid_field, forms.ChoiceField)
        bid_field.choices = [(bid.pk, bid.supplier.name) for bid in top]
        self.fields["bid"].required = len(top) > 1
        example = _default_start()
        example_end = contract_end_default(example, tender.duration_months)
        self.fields["start_date"].help_text = f"For example, {example:%-d %B %Y}."
        self.fields["end_date"].help_text = (
            f"Leave blank for the end of the {tender.duration_months}-month term: a contract "
            f"starting on {example:%-d %B %Y} would end on {example_end:%-d %B %Y}."
        )
        manager_field = self.fields["contract_manager"]
        assert isinstance(manager_field, forms.ModelChoiceField)
        manager_field.queryset = User.objects.filter(
            organisation_id=tender.organisation_id,
            is_active=True,
            role__in=[User.Role.LEAD, User.Role.OFFICER],
        ).order_by("full_name")


# --- Shared helpers --------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str | None:
    """The URL of a page another part of the app may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _page_links(request: HttpRequest, tender: Tender) -> list[dict[str, Any]]:
    """The evaluation pages this user may open, for the navigation above each page."""
    user = request.user
    links: list[tuple[str, str, bool]] = [
        ("Scoring", "procurement:evaluation", panel_membership(user, tender) is not None),  # type: ignore[arg-type]
        ("Moderation", "procurement:moderation", can_moderate(user, tender)),  # type: ignore[arg-type]
        ("Results", "procurement:results", True),
        ("Compare offers", "procurement:compare", True),
        ("Evaluation report", "procurement:report", True),
        ("Award", "procurement:award", can_award(user, tender)),  # type: ignore[arg-type]
    ]
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [
        {
            "label": label,
            "href": reverse(name, args=[tender.pk]),
            "current": name == current,
        }
        for label, name, allowed in links
        if allowed
    ]


def _context(request: HttpRequest, tender: Tender, **extra: Any) -> dict[str, Any]:
    return {
        "tender": tender,
        "tender_list_url": _url("procurement:tender_list"),
        "tender_url": _url("procurement:tender_detail", tender.pk),
        "page_links": _page_links(request, tender),
        "sealed": is_sealed(tender),
        **extra,
    }


def _sealed(request: HttpRequest, tender: Tender, title: str) -> HttpResponse:
    return render(
        request,
        "procurement/evaluation/sealed.html",
        _context(request, tender, page_title=title),
    )


def _staff_tender(request: HttpRequest, pk: int) -> Tender:
    return get_tender_for_user(request.user, pk)  # type: ignore[arg-type]


def _bid_page(request: HttpRequest, bids: list[Bid]) -> Page:
    """One offer per page: panels score offer by offer."""
    return Paginator(bids, 1).get_page(request.GET.get("page"))


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _response_blocks(
    responses: Iterable[QualitativeResponse],
    forms_by_response: dict[int, ScoreForm],
    scores: dict[int, list[QualityScore]],
    consensus: dict[int, QualityScore],
    own: dict[int, QualityScore],
) -> list[dict[str, Any]]:
    return [
        {
            "response": response,
            "commitment": response.commitment,
            "form": forms_by_response.get(response.pk),
            "scores": scores.get(response.pk, []),
            "consensus": consensus.get(response.pk),
            "own": own.get(response.pk),
        }
        for response in responses
    ]


def _redirect_to(name: str, tender: Tender, page: int, anchor: str = "") -> HttpResponse:
    url = f"{reverse(name, args=[tender.pk])}?page={page}"
    return redirect(f"{url}#{anchor}" if anchor else url)


def _next_anchor(responses: list[QualitativeResponse], current: QualitativeResponse) -> str:
    ids = [response.pk for response in responses]
    position = ids.index(current.pk)
    following = ids[position + 1] if position + 1 < len(ids) else current.pk
    return f"response-{following}"


# --- Scoring by the panel --------------------------------------------------------------------


@access(STAFF, Reach.PANEL)
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    user: User = request.user  # type: ignore[assignment]
    member = panel_membership(user, tender)
    if member is None:
        raise PermissionDenied(NOT_ON_PANEL_PAGE)
    if is_sealed(tender):
        return _sealed(request, tender, "Scoring")

    levels = quality_levels(tender)
    bids = list(submitted_bids(tender))
    page = _bid_page(request, bids)
    bid: Bid | None = page.object_list[0] if bids else None
    responses = list(responses_for_evaluation(tender).filter(commitment__bid=bid)) if bid else []
    visible = individual_scores_visible_to(user, tender)
    own = {
        response_id: score
        for response_id, scores in visible.items()
        for score in scores
        if score.evaluator_id == user.pk
    }
    can_score = member.scores_submitted_at is None and tender.status == Tender.Status.CLOSED

    forms_by_response: dict[int, ScoreForm] = {}
    if can_score:
        for response in responses:
            mine = own.get(response.pk)
            forms_by_response[response.pk] = ScoreForm(
                prefix=f"r{response.pk}",
                levels=levels,
                initial={"score": mine.score, "justification": mine.justification}
                if mine
                else None,
            )
    failed: ScoreForm | None = None
    if request.method == "POST":
        if not can_score:
            messages.error(request, "Your scores can no longer be changed.")
            return _redirect_to("procurement:evaluation", tender, page.number)
        posted = next((r for r in responses if str(r.pk) == request.POST.get("response", "")), None)
        if posted is None:
            messages.error(request, ERR_RESPONSE_MISSING)
            return _redirect_to("procurement:evaluation", tender, page.number)
        form = ScoreForm(request.POST, prefix=f"r{posted.pk}", levels=levels)
        forms_by_response[posted.pk] = form
        if form.is_valid():
            try:
                score_record(
                    response=posted,
                    evaluator=user,
                    score=form.cleaned_data["score"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    MSG_SCORE_SAVED.format(
                        code=posted.commitment.measure.code,
                        supplier=bid.supplier.name,  # type: ignore[union-attr]
                    ),
                )
                return _redirect_to(
                    "procurement:evaluation",
                    tender,
                    page.number,
                    _next_anchor(responses, posted),
                )
        failed = form

    scored, total = evaluator_progress(tender, user)
    members = panel_members(tender)
    per_bid = {bid_row.pk: {"total": 0, "scored": 0} for bid_row in bids}
    for response in responses_for_evaluation(tender):
        counts = per_bid[response.commitment.bid_id]
        counts["total"] += 1
        if response.pk in own:
            counts["scored"] += 1
    context = _context(
        request,
        tender,
        page_title="Scoring",
        member=member,
        members=members,
        levels=levels,
        page_obj=page,
        bid=bid,
        bids=[(bid_row, per_bid[bid_row.pk], number) for number, bid_row in enumerate(bids, 1)],
        blocks=_response_blocks(responses, forms_by_response, visible, {}, own),
        can_score=can_score,
        failed=failed,
        scored=scored,
        total=total,
        complete=scored == total,
        others_hidden=member.scores_submitted_at is None,
    )
    return render(
        request,
        "procurement/evaluation/evaluation.html",
        context,
        status=400 if failed is not None else 200,
    )


@access(STAFF, Reach.PANEL)
@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    user: User = request.user  # type: ignore[assignment]
    if panel_membership(user, tender) is None:
        raise PermissionDenied(NOT_ON_PANEL_PAGE)
    if is_sealed(tender):
        return _sealed(request, tender, "Scoring")
    try:
        scores_submit(tender=tender, evaluator=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, MSG_SCORES_SUBMITTED)
    return redirect("procurement:evaluation", pk=tender.pk)


# --- Moderation ------------------------------------------------------------------------------


@access(STAFF, Reach.PANEL)
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    user: User = request.user  # type: ignore[assignment]
    if not can_moderate(user, tender):
        raise PermissionDenied(NOT_MODERATOR_PAGE)
    if is_sealed(tender):
        return _sealed(request, tender, "Moderation")

    members = panel_members(tender)
    ready = panel_all_submitted(tender)
    base = _context(request, tender, page_title="Moderation", members=members, ready=ready)
    if not ready:
        return render(request, "procurement/evaluation/moderation.html", base)

    levels = quality_levels(tender)
    bids = list(submitted_bids(tender))
    page = _bid_page(request, bids)
    bid: Bid | None = page.object_list[0] if bids else None
    responses = list(responses_for_evaluation(tender).filter(commitment__bid=bid)) if bid else []
    consensus = consensus_scores(tender)
    can_record = tender.status == Tender.Status.CLOSED
    forms_by_response: dict[int, ScoreForm] = {}
    if can_record:
        for response in responses:
            agreed = consensus.get(response.pk)
            forms_by_response[response.pk] = ConsensusForm(
                prefix=f"c{response.pk}",
                levels=levels,
                initial={"score": agreed.score, "justification": agreed.justification}
                if agreed
                else None,
            )
    failed: ScoreForm | None = None
    if request.method == "POST":
        if not can_record:
            messages.error(request, "Consensus scores can no longer be changed.")
            return _redirect_to("procurement:moderation", tender, page.number)
        posted = next((r for r in responses if str(r.pk) == request.POST.get("response", "")), None)
        if posted is None:
            messages.error(request, ERR_RESPONSE_MISSING)
            return _redirect_to("procurement:moderation", tender, page.number)
        form = ConsensusForm(request.POST, prefix=f"c{posted.pk}", levels=levels)
        forms_by_response[posted.pk] = form
        if form.is_valid():
            try:
                consensus_record(
                    response=posted,
                    by=user,
                    score=form.cleaned_data["score"],
                    rationale=form.cleaned_data["justification"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    MSG_CONSENSUS_SAVED.format(
                        code=posted.commitment.measure.code,
                        supplier=bid.supplier.name,  # type: ignore[union-attr]
                    ),
                )
                return _redirect_to(
                    "procurement:moderation", tender, page.number, _next_anchor(responses, posted)
                )
        failed = form

    all_responses = list(responses_for_evaluation(tender))
    per_bid = {bid_row.pk: {"total": 0, "scored": 0} for bid_row in bids}
    for response in all_responses:
        counts = per_bid[response.commitment.bid_id]
        counts["total"] += 1
        if response.pk in consensus:
            counts["scored"] += 1
    agreed_count = sum(1 for response in all_responses if response.pk in consensus)
    context = {
        **base,
        "levels": levels,
        "page_obj": page,
        "bid": bid,
        "bids": [(bid_row, per_bid[bid_row.pk], n) for n, bid_row in enumerate(bids, 1)],
        "blocks": _response_blocks(
            responses, forms_by_response, moderation_scores(tender), consensus, {}
        ),
        "can_record": can_record,
        "failed": failed,
        "agreed": agreed_count,
        "total": len(all_responses),
        "complete": agreed_count == len(all_responses),
    }
    return render(
        request,
        "procurement/evaluation/moderation.html",
        context,
        status=400 if failed is not None else 200,
    )


@access(STAFF, Reach.PANEL)
@require_POST
def moderation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if not can_moderate(request.user, tender):  # type: ignore[arg-type]
        raise PermissionDenied(NOT_MODERATOR_PAGE)
    if is_sealed(tender):
        return _sealed(request, tender, "Moderation")
    try:
        tender_mark_evaluated(tender=tender)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("procurement:moderation", pk=tender.pk)
    messages.success(request, MSG_EVALUATED)
    return redirect("procurement:results", pk=tender.pk)


# --- Results, comparison and the report ------------------------------------------------------


@access(STAFF, Reach.ORGANISATION)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if is_sealed(tender):
        return _sealed(request, tender, "Results")
    outcome = tender_results(tender)
    return render(
        request,
        "procurement/evaluation/results.html",
        _context(request, tender, page_title="Results", results=outcome),
    )


@access(STAFF, Reach.ORGANISATION)
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if is_sealed(tender):
        return _sealed(request, tender, "Compare offers")
    outcome = tender_results(tender)
    return render(
        request,
        "procurement/evaluation/compare.html",
        _context(
            request,
            tender,
            page_title="Compare offers",
            results=outcome,
            theme_rows=outcome.by_theme(),
            measure_rows=outcome.by_measure(),
        ),
    )


@access(STAFF, Reach.ORGANISATION)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if is_sealed(tender):
        return _sealed(request, tender, "Evaluation report")
    return render(
        request,
        "procurement/evaluation/report.html",
        _context(
            request, tender, page_title="Evaluation report", **evaluation_report_context(tender)
        ),
    )


def _record_report_download(request: HttpRequest, tender: Tender, fmt: str) -> None:
    """The report names the panel's evaluators with their scores: personal data."""
    personal_data_export_record(
        request,
        export="evaluation report",
        rows=tender.panel.count(),
        tender=tender.reference,
        format=fmt,
    )


@access(STAFF, Reach.ORGANISATION)
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if is_sealed(tender):
        return _sealed(request, tender, "Evaluation report")
    response = HttpResponse(evaluation_report_xlsx(tender), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(tender, "xlsx")}"'
    _record_report_download(request, tender, "xlsx")
    return response


@access(STAFF, Reach.ORGANISATION)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    if is_sealed(tender):
        return _sealed(request, tender, "Evaluation report")
    response = HttpResponse(evaluation_report_pdf(tender), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(tender, "pdf")}"'
    _record_report_download(request, tender, "pdf")
    return response


# --- Award -----------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def award(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    user: User = request.user  # type: ignore[assignment]
    if not can_award(user, tender):
        raise PermissionDenied(NOT_AWARDER_PAGE)
    if is_sealed(tender):
        return _sealed(request, tender, "Award")
    template = "procurement/evaluation/award.html"
    if tender.status == Tender.Status.AWARDED:
        contract = getattr(tender, "contract", None)
        targets = list(contract.targets.select_related("measure")) if contract else []
        return render(
            request,
            "procurement/evaluation/awarded.html",
            _context(
                request,
                tender,
                page_title="Tender awarded",
                contract=contract,
                targets=targets,
                targets_total=sum((target.value for target in targets), Decimal(0)),
                contract_url=_url("contracts:contract_detail", contract.pk) if contract else None,
            ),
        )
    if tender.status != Tender.Status.EVALUATED:
        return render(request, template, _context(request, tender, page_title="Award", form=None))

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
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_AWARDED.format(supplier=contract.supplier.name, reference=contract.reference),
            )
            return redirect("procurement:award", pk=tender.pk)
    return render(
        request,
        template,
        _context(
            request,
            tender,
            page_title="Award",
            form=form,
            results=outcome,
            top=outcome.top,
        ),
        status=400 if form.errors else 200,
    )


def _default_start() -> date:
    """The first day of next month: an example for the start-date hint."""
    today = timezone.localdate()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


# --- Debrief ---------------------------------------------------------------------------------


@access(SUPPLIERS, Reach.ORGANISATION)
def debrief(request: HttpRequest, bid_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_supplier_user:
        raise Http404("No such offer.")
    bid = get_bid_for_user(user, bid_pk)
    if bid.status not in (Bid.Status.SUBMITTED, Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL):
        raise Http404("No such offer.")
    found = debrief_for(bid)
    context: dict[str, Any] = {
        "bid": bid,
        "tender": bid.tender,
        "offer_list_url": _url("procurement:offer_list"),
        "offer_url": _url("procurement:offer_edit", bid.pk),
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


urlpatterns = [
    path("tenders/<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("tenders/<int:pk>/evaluation/submit/", evaluation_submit, name="evaluation_submit"),
    path("tenders/<int:pk>/moderation/", moderation, name="moderation"),
    path(
        "tenders/<int:pk>/moderation/complete/",
        moderation_complete,
        name="moderation_complete",
    ),
    path("tenders/<int:pk>/results/", results, name="results"),
    path("tenders/<int:pk>/compare/", compare, name="compare"),
    path("tenders/<int:pk>/report/", report, name="report"),
    path("tenders/<int:pk>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("tenders/<int:pk>/report.pdf", report_pdf, name="report_pdf"),
    path("tenders/<int:pk>/award/", award, name="award"),
    path("offers/<int:bid_pk>/debrief/", debrief, name="debrief"),
]
