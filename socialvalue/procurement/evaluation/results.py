"""A tender's results: its stored offers through the scoring engine (``procurement/scoring``), with
each commitment's line, response and consensus score, by theme and by measure, and the
debrief a supplier sees once the tender is awarded.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from socialvalue.framework.calculator import MeasureInfo, measure_infos_for_version
from socialvalue.framework.models import Measure
from socialvalue.procurement.evaluation.selectors import EVALUABLE_STATUSES
from socialvalue.procurement.models import (
    Bid,
    Commitment,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.scoring.engine import (
    score_bids,
)
from socialvalue.procurement.scoring.model import (
    BidInput,
    BidScore,
    CommitmentScore,
    CommitmentScoreInput,
    ScoringParameters,
    ScoringResult,
)
from socialvalue.procurement.selectors import submitted_bids

# Why a commitment does not count when its response exists but has no consensus score yet.
REASON_NOT_YET_SCORED = (
    "No consensus score yet (counts as 0), below the deliverability threshold of {threshold}"
)


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
