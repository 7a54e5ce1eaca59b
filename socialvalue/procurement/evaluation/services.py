"""Writes of a tender's evaluation: panel scores, their submission, consensus scores and the
award (the contracts app creates the contract on the ``tender_awarded`` signal).
"""

import calendar
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.core.history import set_history_user
from socialvalue.procurement.evaluation.results import tender_results
from socialvalue.procurement.evaluation.selectors import (
    EVALUABLE_STATUSES,
    can_award,
    evaluator_progress,
)
from socialvalue.procurement.models import (
    Bid,
    PanelMember,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.selectors import can_moderate, is_sealed
from socialvalue.procurement.services import (
    ACTION_NAMES,
    ERR_TRANSITION,
    TRANSITIONS,
)
from socialvalue.procurement.signals import Award, tender_awarded

ERR_NOT_ON_PANEL = "Only members of this tender's evaluation panel can score its responses."
ERR_SEALED = "Offers are sealed until {deadline}. Scoring starts after the deadline."
ERR_NOT_CLOSED = (
    "Responses can only be scored while the tender is closed for evaluation; this one is {status}."
)
ERR_ALREADY_SUBMITTED = (
    "You submitted your scores for this tender on {when}, so they can no longer be changed."
)
ERR_SCORE_RANGE = "Choose a score from 0 to 5."
ERR_JUSTIFICATION = "Give a justification for your score."
ERR_RATIONALE = "Give the rationale for the consensus score."
ERR_RESPONSE_NOT_EVALUATED = "This response is not part of an offer submitted to this tender."
ERR_SCORES_INCOMPLETE = (
    "You have scored {scored} of {total} responses. Score every response before you submit."
)
ERR_CANNOT_MODERATE = (
    "Only the panel's moderator or the social value lead can record consensus scores."
)
ERR_NO_PANEL = "This tender has no evaluation panel, so there are no scores to moderate."
ERR_PANEL_NOT_SUBMITTED = (
    "Consensus scores can be recorded once every panel member has submitted their scores. "
    "Still to submit: {names}."
)
ERR_CANNOT_AWARD = "Only the social value lead or an officer of {organisation} can award a tender."
ERR_BID_NOT_IN_TENDER = "That offer was not submitted to this tender."
ERR_NOT_TOP_RANKED = (
    "Only the highest-ranked offer can be awarded: {supplier} is ranked {rank} of {count}."
)
ERR_CHOOSE_TIED = "{count} offers share the highest total score. Choose which one to award."


def _signed_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")


# --- Writes: scoring, submitting, moderating --------------------------------------------------


def _evaluable_response(response: QualitativeResponse) -> Tender:
    """The response's tender, if the response belongs to a submitted bid after the deadline.

    Both are read afresh, the tender locked, so a score never slips in after the tender has
    moved on (the lifecycle services lock the same row).
    """
    bid = Bid.objects.get(commitments__response=response)
    tender = Tender.objects.select_for_update().get(pk=bid.tender_id)
    if is_sealed(tender):
        raise ValidationError(ERR_SEALED.format(deadline=_signed_time(tender.deadline)))
    if bid.status not in EVALUABLE_STATUSES:
        raise ValidationError(ERR_RESPONSE_NOT_EVALUATED)
    return tender


def _require_closed(tender: Tender) -> None:
    if tender.status != Tender.Status.CLOSED:
        raise ValidationError(ERR_NOT_CLOSED.format(status=tender.get_status_display().lower()))


def _score_errors(score: Any, text: str, text_field: str, text_error: str) -> None:
    errors: dict[str, list[str]] = {}
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        errors["score"] = [ERR_SCORE_RANGE]
    if not (text or "").strip():
        errors[text_field] = [text_error]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def score_record(
    *, response: QualitativeResponse, evaluator: User, score: int, justification: str
) -> QualityScore:
    """Record (or change) ``evaluator``'s own score of one response.

    Only a panel member of the response's tender may score, after the deadline and while the
    tender is closed, and only until they submit their scores.
    """
    tender = _evaluable_response(response)
    member = PanelMember.objects.select_for_update().filter(tender=tender, user=evaluator).first()
    if member is None:
        raise ValidationError(ERR_NOT_ON_PANEL)
    _require_closed(tender)
    if member.scores_submitted_at is not None:
        raise ValidationError(
            ERR_ALREADY_SUBMITTED.format(when=_signed_time(member.scores_submitted_at))
        )
    _score_errors(score, justification, "justification", ERR_JUSTIFICATION)
    record = QualityScore.objects.filter(
        response=response, evaluator=evaluator, kind=QualityScore.Kind.INDIVIDUAL
    ).first() or QualityScore(
        response=response, evaluator=evaluator, kind=QualityScore.Kind.INDIVIDUAL
    )
    record.score = score
    record.justification = justification.strip()
    set_history_user(record, evaluator)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def scores_submit(*, tender: Tender, evaluator: User, now: Any = None) -> PanelMember:
    """Submit ``evaluator``'s scores: every response must be scored; then they are final."""
    # Lock the tender, then the member, in the same order as ``score_record``.
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    member = PanelMember.objects.select_for_update().filter(tender=tender, user=evaluator).first()
    if member is None:
        raise ValidationError(ERR_NOT_ON_PANEL)
    if is_sealed(tender):
        raise ValidationError(ERR_SEALED.format(deadline=_signed_time(tender.deadline)))
    _require_closed(tender)
    if member.scores_submitted_at is not None:
        raise ValidationError(
            ERR_ALREADY_SUBMITTED.format(when=_signed_time(member.scores_submitted_at))
        )
    scored, total = evaluator_progress(tender, evaluator)
    if scored < total:
        raise ValidationError(ERR_SCORES_INCOMPLETE.format(scored=scored, total=total))
    member.scores_submitted_at = now or timezone.now()
    set_history_user(member, evaluator)
    member.save()
    return member


@transaction.atomic
def consensus_record(
    *, response: QualitativeResponse, by: User, score: int, rationale: str
) -> QualityScore:
    """Record (or change) the consensus score of one response, with its rationale.

    Only the panel's moderator or the organisation's social value lead, only once every
    panel member has submitted their scores, and only while the tender is closed.
    """
    tender = _evaluable_response(response)
    if not can_moderate(by, tender):
        raise ValidationError(ERR_CANNOT_MODERATE)
    _require_closed(tender)
    members = list(PanelMember.objects.select_for_update().filter(tender=tender))
    if not members:
        raise ValidationError(ERR_NO_PANEL)
    waiting = [m for m in members if m.scores_submitted_at is None]
    if waiting:
        names = ", ".join(sorted(m.user.full_name or m.user.email for m in waiting))
        raise ValidationError(ERR_PANEL_NOT_SUBMITTED.format(names=names))
    _score_errors(score, rationale, "rationale", ERR_RATIONALE)
    record = QualityScore.objects.filter(
        response=response, kind=QualityScore.Kind.CONSENSUS
    ).first() or QualityScore(response=response, kind=QualityScore.Kind.CONSENSUS)
    record.evaluator = by
    record.score = score
    record.justification = rationale.strip()
    set_history_user(record, by)
    record.full_clean()
    record.save()
    return record


# --- Award -------------------------------------------------------------------------------------


def contract_end_default(start: date, months: int) -> date:
    """The last day of a ``months``-month term from ``start``: the day before its
    anniversary. A 36-month contract from 1 April 2025 ends on 31 March 2028; one month from
    1 March ends on 31 March, and from 31 January on the last day of February."""
    eve = start - timedelta(days=1)
    month_index = eve.month - 1 + months
    year, month = eve.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if eve.day == calendar.monthrange(eve.year, eve.month)[1]:
        return date(year, month, last_day)
    return date(year, month, min(eve.day, last_day))


@transaction.atomic
def tender_award(
    *,
    tender: Tender,
    by: User,
    start_date: date,
    end_date: date | None = None,
    bid: Bid | None = None,
    contract_manager: User | None = None,
    now: Any = None,
) -> Any:
    """Award an evaluated tender to its highest-ranked bid, in one transaction, and return the
    contract that the ``tender_awarded`` receiver (the contracts app) created for it.

    ``bid`` defaults to the bid ranked 1; when several share rank 1 it must be one of them.
    The contract takes the bid's price as its value and one target per measure of its
    counted commitments (quantities of a measure summed, valued at the pinned proxy). The
    winning bid becomes successful and every other submitted bid unsuccessful.
    ``end_date`` defaults to the day before the end of the tender's duration.
    """
    if not can_award(by, tender):
        raise ValidationError(ERR_CANNOT_AWARD.format(organisation=tender.organisation.name))
    tender = (
        Tender.objects.select_for_update().select_related("framework_version").get(pk=tender.pk)
    )
    if Tender.Status.AWARDED not in TRANSITIONS[tender.status]:
        raise ValidationError(
            ERR_TRANSITION.format(
                current=tender.get_status_display().lower(),
                action=ACTION_NAMES[Tender.Status.AWARDED],
            )
        )
    results = tender_results(tender)
    top = results.top
    if bid is None:
        if len(top) > 1:
            raise ValidationError({"bid": [ERR_CHOOSE_TIED.format(count=len(top))]})
        chosen = top[0]
    else:
        found = [result for result in results.bids if result.bid.pk == bid.pk]
        if not found:
            raise ValidationError({"bid": [ERR_BID_NOT_IN_TENDER]})
        chosen = found[0]
        if chosen.rank != 1:
            raise ValidationError(
                {
                    "bid": [
                        ERR_NOT_TOP_RANKED.format(
                            supplier=chosen.bid.supplier.name,
                            rank=chosen.rank,
                            count=len(results.bids),
                        )
                    ]
                }
            )
    if end_date is None:
        end_date = contract_end_default(start_date, tender.duration_months)
    award = Award(
        bid=chosen.bid,
        start_date=start_date,
        end_date=end_date,
        commitments=[line.commitment for line in chosen.commitments if line.counted],
        contract_manager=contract_manager,
        by=by,
    )
    responses = tender_awarded.send(sender=Tender, award=award)
    if len(responses) != 1:
        raise ImproperlyConfigured(
            f"tender_awarded needs one receiver to create the contract, not {len(responses)}"
        )
    contract = responses[0][1]
    for result in results.bids:
        other = result.bid
        other.status = (
            Bid.Status.SUCCESSFUL if other.pk == chosen.bid.pk else Bid.Status.UNSUCCESSFUL
        )
        set_history_user(other, by)
        other.save(update_fields=["status", "updated_at"])
    tender.status = Tender.Status.AWARDED
    tender.awarded_at = now or timezone.now()
    set_history_user(tender, by)
    tender.save()
    return contract
