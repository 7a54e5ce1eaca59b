"""Reads of a tender's evaluation: its quality profile, panel, responses and scores, who may
award it, and how far scoring and moderation have got.

Nothing here writes; the writes are in ``evaluation/services.py``.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from socialvalue.accounts.models import User
from socialvalue.procurement.models import (
    Bid,
    PanelMember,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.selectors import is_sealed

EVALUABLE_STATUSES = (Bid.Status.SUBMITTED, Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL)


def panel_members(tender: Tender) -> list[PanelMember]:
    return list(
        PanelMember.objects.filter(tender=tender)
        .select_related("user")
        .order_by("-is_moderator", "user__full_name")
    )


def panel_all_submitted(tender: Tender) -> bool:
    """True when the tender has a panel and every member has submitted their scores."""
    members = PanelMember.objects.filter(tender=tender)
    return members.exists() and not members.filter(scores_submitted_at__isnull=True).exists()


def responses_for_evaluation(tender: Tender) -> QuerySet[QualitativeResponse]:
    """Every qualitative response of the tender's submitted bids, bid by bid, in order.

    Empty before the deadline: bids are sealed until then.
    """
    if is_sealed(tender):
        return QualitativeResponse.objects.none()
    return (
        QualitativeResponse.objects.filter(
            commitment__bid__tender=tender, commitment__bid__status__in=EVALUABLE_STATUSES
        )
        .select_related(
            "commitment", "commitment__measure", "commitment__bid", "commitment__bid__supplier"
        )
        .order_by("commitment__bid__supplier__name", "commitment__order", "commitment__id")
    )


def evaluator_progress(tender: Tender, user: User) -> tuple[int, int]:
    """(responses this evaluator has scored, responses to score)."""
    responses = responses_for_evaluation(tender)
    total = responses.count()
    scored = responses.filter(
        scores__kind=QualityScore.Kind.INDIVIDUAL, scores__evaluator=user
    ).count()
    return scored, total


def individual_scores_visible_to(user: User, tender: Tender) -> dict[int, list[QualityScore]]:
    """Response id → the individual scores ``user`` may see on the evaluation page.

    Before submitting, an evaluator sees only their own scores. After submitting, they also
    see the scores of every other member who has submitted; the scores of members still
    working are never shown to anyone, so nobody's scoring is influenced.
    """
    member = PanelMember.objects.filter(tender=tender, user=user).first()
    if member is None:
        return {}
    scores = QualityScore.objects.filter(
        kind=QualityScore.Kind.INDIVIDUAL,
        response__in=responses_for_evaluation(tender),
    ).select_related("evaluator")
    if member.scores_submitted_at is None:
        scores = scores.filter(evaluator=user)
    else:
        submitted = PanelMember.objects.filter(
            tender=tender, scores_submitted_at__isnull=False
        ).values("user_id")
        scores = scores.filter(evaluator_id__in=submitted)
    visible: dict[int, list[QualityScore]] = defaultdict(list)
    for score in scores.order_by("evaluator__full_name"):
        visible[score.response_id].append(score)
    return dict(visible)


def moderation_scores(tender: Tender) -> dict[int, list[QualityScore]]:
    """Response id → every panel member's individual score, once the whole panel has
    submitted (empty until then, so a moderator who also scores is not influenced)."""
    if not panel_all_submitted(tender):
        return {}
    scores = (
        QualityScore.objects.filter(
            kind=QualityScore.Kind.INDIVIDUAL, response__in=responses_for_evaluation(tender)
        )
        .select_related("evaluator")
        .order_by("evaluator__full_name")
    )
    grouped: dict[int, list[QualityScore]] = defaultdict(list)
    for score in scores:
        grouped[score.response_id].append(score)
    return dict(grouped)


def consensus_scores(tender: Tender) -> dict[int, QualityScore]:
    """Response id → its consensus score."""
    scores = QualityScore.objects.filter(
        kind=QualityScore.Kind.CONSENSUS, response__in=responses_for_evaluation(tender)
    ).select_related("evaluator")
    return {score.response_id: score for score in scores}


def can_award(user: User, tender: Tender) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id == tender.organisation_id
        and user.role in (User.Role.LEAD, User.Role.OFFICER)
    )


# --- Progress: how many responses are scored (by an evaluator, or by consensus) -------------


def bid_progress(
    bids: list[Bid], responses: Iterable[QualitativeResponse], done: Collection[int]
) -> list[tuple[Bid, dict[str, int], int]]:
    """(offer, {"total": its responses, "scored": those in ``done``}, its number from 1) for
    each offer: the list beside the scoring and moderation pages, where ``done`` holds the
    ids of the responses the evaluator (or the moderator, by consensus) has scored."""
    per_bid = {bid.pk: {"total": 0, "scored": 0} for bid in bids}
    for response in responses:
        counts = per_bid[response.commitment.bid_id]
        counts["total"] += 1
        if response.pk in done:
            counts["scored"] += 1
    return [(bid, per_bid[bid.pk], number) for number, bid in enumerate(bids, 1)]
