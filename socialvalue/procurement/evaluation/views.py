"""The panel's pages: scoring by each evaluator and moderation to consensus scores.

Who sees what: a council role (403 otherwise) and a tender of the user's organisation (404
otherwise); before the deadline each page says the offers are sealed and shows nothing of
them; scoring is for panel members, moderation for the moderator or the social value lead.
Both list the offers with how many of their responses are scored (``bid_progress``).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import STAFF, Reach, access
from socialvalue.procurement.evaluation.forms import ConsensusForm, ScoreForm
from socialvalue.procurement.evaluation.pages import (
    bid_page,
    page_context,
    response_blocks,
    score_round,
    sealed_page,
    staff_tender,
)
from socialvalue.procurement.evaluation.selectors import (
    bid_progress,
    consensus_scores,
    evaluator_progress,
    individual_scores_visible_to,
    moderation_scores,
    panel_all_submitted,
    panel_members,
    responses_for_evaluation,
)
from socialvalue.procurement.evaluation.services import (
    consensus_record,
    score_record,
    scores_submit,
)
from socialvalue.procurement.models import Bid, QualitativeResponse, Tender
from socialvalue.procurement.selectors import (
    can_moderate,
    is_sealed,
    panel_membership,
    submitted_bids,
)
from socialvalue.procurement.services import quality_levels, tender_mark_evaluated

NOT_ON_PANEL_PAGE = "Only members of this tender's evaluation panel can score its offers."
NOT_MODERATOR_PAGE = "Only the panel's moderator or the social value lead can moderate scores."
MSG_SCORE_SAVED = "Your score for {code} ({supplier}) is saved."
MSG_SCORES_SUBMITTED = "Your scores are submitted. You can now see the other submitted scores."
MSG_CONSENSUS_SAVED = "The consensus score for {code} ({supplier}) is saved."
MSG_EVALUATED = "The evaluation is complete. The results are final."


# --- Scoring by the panel --------------------------------------------------------------------


@access(STAFF, Reach.PANEL)
@require_http_methods(["GET", "POST"])
def evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    user = request.user
    member = panel_membership(user, tender)
    if member is None:
        raise PermissionDenied(NOT_ON_PANEL_PAGE)
    if is_sealed(tender):
        return sealed_page(request, tender, "Scoring")

    levels = quality_levels(tender)
    bids = list(submitted_bids(tender))
    page = bid_page(request, bids)
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

    def save(response: QualitativeResponse, data: dict[str, Any]) -> None:
        score_record(
            response=response,
            evaluator=user,
            score=data["score"],
            justification=data["justification"],
        )

    scores = score_round(
        request,
        tender,
        page,
        responses,
        levels,
        form_class=ScoreForm,
        prefix="r",
        saved=own,
        can_change=can_score,
        closed_message="Your scores can no longer be changed.",
        url_name="procurement:evaluation",
        save=save,
        saved_message=MSG_SCORE_SAVED,
    )
    if scores.done is not None:
        return scores.done
    failed = scores.failed

    scored, total = evaluator_progress(tender, user)
    members = panel_members(tender)
    context = page_context(
        request,
        tender,
        page_title="Scoring",
        member=member,
        members=members,
        levels=levels,
        page_obj=page,
        bid=bid,
        bids=bid_progress(bids, responses_for_evaluation(tender), own),
        blocks=response_blocks(responses, scores.forms, visible, {}, own),
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
def evaluation_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    user = request.user
    if panel_membership(user, tender) is None:
        raise PermissionDenied(NOT_ON_PANEL_PAGE)
    if is_sealed(tender):
        return sealed_page(request, tender, "Scoring")
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
def moderation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    user = request.user
    if not can_moderate(user, tender):
        raise PermissionDenied(NOT_MODERATOR_PAGE)
    if is_sealed(tender):
        return sealed_page(request, tender, "Moderation")

    members = panel_members(tender)
    ready = panel_all_submitted(tender)
    base = page_context(request, tender, page_title="Moderation", members=members, ready=ready)
    if not ready:
        return render(request, "procurement/evaluation/moderation.html", base)

    levels = quality_levels(tender)
    bids = list(submitted_bids(tender))
    page = bid_page(request, bids)
    bid: Bid | None = page.object_list[0] if bids else None
    responses = list(responses_for_evaluation(tender).filter(commitment__bid=bid)) if bid else []
    consensus = consensus_scores(tender)
    can_record = tender.status == Tender.Status.CLOSED

    def save(response: QualitativeResponse, data: dict[str, Any]) -> None:
        consensus_record(
            response=response,
            by=user,
            score=data["score"],
            rationale=data["justification"],
        )

    scores = score_round(
        request,
        tender,
        page,
        responses,
        levels,
        form_class=ConsensusForm,
        prefix="c",
        saved=consensus,
        can_change=can_record,
        closed_message="Consensus scores can no longer be changed.",
        url_name="procurement:moderation",
        save=save,
        saved_message=MSG_CONSENSUS_SAVED,
    )
    if scores.done is not None:
        return scores.done
    failed = scores.failed

    all_responses = list(responses_for_evaluation(tender))
    agreed_count = sum(1 for response in all_responses if response.pk in consensus)
    context = {
        **base,
        "levels": levels,
        "page_obj": page,
        "bid": bid,
        "bids": bid_progress(bids, all_responses, consensus),
        "blocks": response_blocks(
            responses, scores.forms, moderation_scores(tender), consensus, {}
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
def moderation_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    if not can_moderate(request.user, tender):
        raise PermissionDenied(NOT_MODERATOR_PAGE)
    if is_sealed(tender):
        return sealed_page(request, tender, "Moderation")
    try:
        tender_mark_evaluated(tender=tender)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("procurement:moderation", pk=tender.pk)
    messages.success(request, MSG_EVALUATED)
    return redirect("procurement:results", pk=tender.pk)
