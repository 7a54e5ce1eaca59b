"""Evaluation, moderation, results and award of a tender (writes and reads).

Implements "Consistent evaluation and marking" of the Social Value Strategy 2024-28:

1. After the deadline, with the tender closed, each member of the tender's panel scores
   every qualitative response on the quality profile (0 to 5) with a justification
   (``score_record``). Scoring is independent: until an evaluator submits their scores
   (``scores_submit``) they can change them, and they see nobody else's.
2. When every panel member has submitted, the moderator (or the organisation's social
   value lead) records one consensus score per response with its rationale
   (``consensus_record``); the tender is then marked evaluated
   (``services.tender_mark_evaluated``).
3. ``tender_results`` scores the stored bids with the pure engine in ``scoring.py``.
4. ``tender_award`` turns the highest-ranked bid into a contract whose targets are its
   counted commitments (the contracts app creates it on the ``tender_awarded`` signal,
   ``signals.py``); the other bids close as unsuccessful.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.framework.calculator import MeasureInfo, measure_infos_for_version
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import (
    Bid,
    Commitment,
    PanelMember,
    Policy,
    QualitativeResponse,
    QualityLevel,
    QualityScore,
    Tender,
)
from socialvalue.procurement.scoring import (
    BidInput,
    BidScore,
    CommitmentScore,
    CommitmentScoreInput,
    ScoringParameters,
    ScoringResult,
    score_bids,
)
from socialvalue.procurement.selectors import can_moderate, is_sealed, submitted_bids
from socialvalue.procurement.services import (
    ACTION_NAMES,
    ERR_TRANSITION,
    TRANSITIONS,
    policy_for_organisation,
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

# Why a commitment does not count when its response exists but has no consensus score yet.
REASON_NOT_YET_SCORED = (
    "No consensus score yet (counts as 0), below the deliverability threshold of {threshold}"
)

EVALUABLE_STATUSES = (Bid.Status.SUBMITTED, Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL)


def _signed_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")


def _set_history_user(instance: Any, user: User) -> None:
    # simple_history takes the user from the request; services also run outside requests.
    instance._history_user = user


# --- Reads: the panel and its scores ----------------------------------------------------------


def quality_levels(tender: Tender) -> list[QualityLevel]:
    """The buying organisation's quality profile, 0 to 5."""
    policy: Policy = policy_for_organisation(organisation=tender.organisation)
    return list(policy.quality_levels.order_by("score"))


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
    _set_history_user(record, evaluator)
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
    _set_history_user(member, evaluator)
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
    _set_history_user(record, by)
    record.full_clean()
    record.save()
    return record


# --- Results: the stored bids through the scoring engine --------------------------------------


@dataclass(frozen=True)
class CommitmentResult:
    """One commitment of a bid as scored, with what the pages show about it."""

    commitment: Commitment
    line: CommitmentScore
    response: QualitativeResponse | None
    consensus: QualityScore | None
    reason: str

    @property
    def counted(self) -> bool:
        return self.line.counted

    @property
    def measure(self) -> Measure:
        return self.commitment.measure


@dataclass(frozen=True)
class BidResult:
    bid: Bid
    score: BidScore
    commitments: list[CommitmentResult]
    bid_count: int

    @property
    def excluded(self) -> list[CommitmentResult]:
        return [line for line in self.commitments if not line.counted]

    @property
    def flags(self) -> tuple[str, ...]:
        return self.score.flags

    @property
    def rank(self) -> int:
        return self.score.rank


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    values: list[Decimal]


@dataclass(frozen=True)
class MeasureCell:
    quantity: Decimal
    counted_value: Decimal
    offered_value: Decimal

    @property
    def partly_excluded(self) -> bool:
        return self.counted_value != self.offered_value


@dataclass(frozen=True)
class MeasureRow:
    info: MeasureInfo
    cells: list[MeasureCell | None]


@dataclass(frozen=True)
class TenderResults:
    """Every submitted bid of a tender scored by the evaluation methodology."""

    tender: Tender
    scoring: ScoringResult | None
    bids: list[BidResult] = field(default_factory=list)
    unscored: int = 0

    @property
    def provisional(self) -> bool:
        """Until the evaluation is complete, consensus scores may still change."""
        return self.tender.status not in (Tender.Status.EVALUATED, Tender.Status.AWARDED)

    @property
    def top(self) -> list[BidResult]:
        return [result for result in self.bids if result.rank == 1]

    @property
    def themes(self) -> tuple[str, ...]:
        return self.scoring.themes if self.scoring else ()

    def by_theme(self) -> list[ThemeRow]:
        """Counted value per theme per bid (bids in rank order)."""
        rows = []
        for position, theme in enumerate(self.themes):
            rows.append(
                ThemeRow(
                    theme,
                    [result.score.counted_by_theme[position].value for result in self.bids],
                )
            )
        return rows

    def by_measure(self) -> list[MeasureRow]:
        """Per measure offered by any bid: each bid's quantity, counted and offered value."""
        if self.scoring is None:
            return []
        cells: dict[str, list[MeasureCell | None]] = {}
        for position, result in enumerate(self.bids):
            sums: dict[str, list[Decimal]] = {}
            for line in result.score.lines:
                quantity, counted, offered = sums.setdefault(
                    line.measure, [Decimal(0), Decimal(0), Decimal(0)]
                )
                sums[line.measure] = [
                    quantity + line.quantity,
                    counted + (line.value if line.counted else Decimal(0)),
                    offered + line.value,
                ]
            for code, (quantity, counted, offered) in sums.items():
                row = cells.setdefault(code, [None] * len(self.bids))
                row[position] = MeasureCell(quantity, counted, offered)
        measures = self.scoring.measures
        return [MeasureRow(measures[code], cells[code]) for code in measures if code in cells]


def _commitments_prefetch() -> Prefetch:
    return Prefetch(
        "commitments",
        queryset=Commitment.objects.select_related(
            "measure", "measure__theme", "response"
        ).order_by("order", "id"),
    )


def tender_results(tender: Tender) -> TenderResults:
    """Score the tender's submitted bids with the engine, from the stored commitments and
    consensus scores. A response without a consensus score yet counts as 0; a commitment
    without a response is "no response" (also 0). Empty before the deadline."""
    bids = list(submitted_bids(tender).prefetch_related(_commitments_prefetch()))
    if not bids:
        return TenderResults(tender=tender, scoring=None)
    consensus = {
        score.response_id: score
        for score in QualityScore.objects.filter(
            kind=QualityScore.Kind.CONSENSUS, response__commitment__bid__in=bids
        ).select_related("evaluator")
    }
    inputs = []
    unscored = 0
    for bid in bids:
        lines = []
        for commitment in bid.commitments.all():
            response = _response_of(commitment)
            if response is None:
                quality: int | None = None
            elif response.pk in consensus:
                quality = consensus[response.pk].score
            else:
                quality = 0
                unscored += 1
            lines.append(
                CommitmentScoreInput(commitment.measure.code, commitment.quantity, quality)
            )
        inputs.append(BidInput(bid.supplier.name, bid.price or Decimal(0), lines))
    measures = measure_infos_for_version(tender.framework_version)
    parameters = ScoringParameters(
        sv_weighting=tender.sv_weighting,
        quantitative_share=tender.quantitative_share,
        quant_basis=tender.quant_basis,  # type: ignore[arg-type]
        deliverability_threshold=tender.deliverability_threshold,
        menu=frozenset(tender.menu.values_list("code", flat=True)),
    )
    scoring = score_bids(
        measures=measures,
        bids=inputs,
        parameters=parameters,
        framework=tender.framework_version.name,
    )
    results = []
    for bid, bid_score in zip(bids, scoring.bids, strict=True):
        commitments = []
        reasons = {exclusion.index: exclusion.reason for exclusion in bid_score.excluded}
        for commitment, line in zip(bid.commitments.all(), bid_score.lines, strict=True):
            response = _response_of(commitment)
            score = consensus.get(response.pk) if response is not None else None
            reason = reasons.get(line.index, "")
            if reason and response is not None and score is None:
                reason = REASON_NOT_YET_SCORED.format(threshold=tender.deliverability_threshold)
            commitments.append(CommitmentResult(commitment, line, response, score, reason))
        results.append(BidResult(bid, bid_score, commitments, len(bids)))
    results.sort(key=lambda result: (-result.score.total_score, result.score.index))
    return TenderResults(tender=tender, scoring=scoring, bids=results, unscored=unscored)


def _response_of(commitment: Commitment) -> QualitativeResponse | None:
    try:
        return commitment.response
    except QualitativeResponse.DoesNotExist:
        return None


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


def can_award(user: User, tender: Tender) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id == tender.organisation_id
        and user.role in (User.Role.LEAD, User.Role.OFFICER)
    )


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
        _set_history_user(other, by)
        other.save(update_fields=["status", "updated_at"])
    tender.status = Tender.Status.AWARDED
    tender.awarded_at = now or timezone.now()
    _set_history_user(tender, by)
    tender.save()
    return contract


def debrief_for(bid: Bid) -> tuple[BidResult, Decimal] | None:
    """A bid's own result and the winning total score, once its tender is awarded."""
    tender = bid.tender
    if tender.status != Tender.Status.AWARDED or bid.status not in EVALUABLE_STATUSES:
        return None
    results = tender_results(tender)
    own = next((result for result in results.bids if result.bid.pk == bid.pk), None)
    if own is None:
        return None
    winner = next(
        (result for result in results.bids if result.bid.status == Bid.Status.SUCCESSFUL),
        results.bids[0],
    )
    return own, winner.score.total_score
