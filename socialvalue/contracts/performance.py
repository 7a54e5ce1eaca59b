"""How a contract is doing: committed against delivered, to date, with a RAG status.

For each target (measure) of a contract:

- *committed*: the target quantity and its value (quantity × the pinned proxy);
- *due to date* (pro-rata): the target's quarterly profile summed over the quarters that
  have been reported on — a quarter counts once the supplier's return for it has been
  submitted or its due date has passed (so a quarter that has just ended does not turn a
  contract red before its return is due);
- *delivered*: the verified quantities of the contract's return lines for that measure, in
  any quarter, and their value. Lines awaiting verification or queried are shown apart and
  do not count; rejected lines never count.

``percent`` = delivered ÷ due to date × 100, and the RAG status is green at or above the
green threshold (90% by default), amber at or above the amber one (70%), red below.
Nothing is due before the first quarter is reported on: the status is then "not yet due".

A contract's status compares values in £: delivered value ÷ value due to date, over its
measures that have a proxy value. A contract whose targets all lack a proxy value takes the
lowest status of its measures.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from django.utils import timezone

from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    ReportingSettings,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.core.money import percent
from socialvalue.framework.models import Measure

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
ZERO = Decimal(0)


class Rag:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_DUE = "not_due"

    LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red", NOT_DUE: "Not yet due"}
    ORDER = {RED: 0, AMBER: 1, GREEN: 2, NOT_DUE: 3}
    CHOICES = [(GREEN, "Green"), (AMBER, "Amber"), (RED, "Red"), (NOT_DUE, "Not yet due")]


def rag_for(percent: Decimal | None, thresholds: ReportingSettings) -> str:
    if percent is None:
        return Rag.NOT_DUE
    if percent >= thresholds.rag_green_percent:
        return Rag.GREEN
    if percent >= thresholds.rag_amber_percent:
        return Rag.AMBER
    return Rag.RED


def _value(quantity: Decimal, measure: Measure) -> Decimal:
    if measure.proxy_value is None:
        return ZERO
    with localcontext(_EXACT):
        return quantity * measure.proxy_value


@dataclass
class MeasurePerformance:
    measure: Measure
    target_quantity: Decimal = ZERO
    target_value: Decimal = ZERO
    due_quantity: Decimal = ZERO
    due_value: Decimal = ZERO
    delivered_quantity: Decimal = ZERO
    delivered_value: Decimal = ZERO
    awaiting_quantity: Decimal = ZERO
    percent: Decimal | None = None
    rag: str = Rag.NOT_DUE
    is_target: bool = True

    @property
    def rag_label(self) -> str:
        return Rag.LABELS[self.rag]


@dataclass
class ContractPerformance:
    contract: Contract
    as_of: date
    measures: list[MeasurePerformance] = field(default_factory=list)
    additional: list[MeasurePerformance] = field(default_factory=list)
    reported_periods: list[ReportingPeriod] = field(default_factory=list)
    target_value: Decimal = ZERO
    due_value: Decimal = ZERO
    delivered_value: Decimal = ZERO
    percent: Decimal | None = None
    rag: str = Rag.NOT_DUE

    @property
    def rag_label(self) -> str:
        return Rag.LABELS[self.rag]

    @property
    def additional_value(self) -> Decimal:
        with localcontext(_EXACT):
            return sum((m.delivered_value for m in self.additional), ZERO)


def reported_period_ids(supplier_ids: Iterable[int], as_of: date) -> dict[int, set[int]]:
    """Per supplier, the periods that count towards "due to date" on ``as_of``."""
    supplier_ids = set(supplier_ids)
    due = set(ReportingPeriod.objects.filter(due_date__lt=as_of).values_list("pk", flat=True))
    result: dict[int, set[int]] = {sid: set(due) for sid in supplier_ids}
    submitted = Return.objects.filter(
        supplier_id__in=supplier_ids,
        status=Return.Status.SUBMITTED,
        period__end_date__lt=as_of,
    ).values_list("supplier_id", "period_id")
    for supplier_id, period_id in submitted:
        result[supplier_id].add(period_id)
    return result


def performance_for(
    contracts: Sequence[Contract], as_of: date | None = None
) -> dict[int, ContractPerformance]:
    """The performance of each contract, by contract id, in a handful of queries."""
    as_of = as_of or timezone.localdate()
    thresholds = ReportingSettings.current()
    ids = [c.pk for c in contracts]
    reported = reported_period_ids({c.supplier_id for c in contracts}, as_of)
    periods = {
        p.pk: p
        for p in ReportingPeriod.objects.filter(
            pk__in=set().union(*reported.values()) if reported else set()
        )
    }

    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(contract_id__in=ids).select_related("measure__theme"):
        targets[target.contract_id].append(target)

    profile: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for target_id, period_id, quantity in TargetQuarter.objects.filter(
        target__contract_id__in=ids
    ).values_list("target_id", "period_id", "quantity"):
        profile[target_id].append((period_id, quantity))

    delivered: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    awaiting: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    line_measures: set[int] = set()
    rows = ReturnLine.objects.filter(
        contract_id__in=ids,
        status__in=[
            ReturnLine.Status.VERIFIED,
            ReturnLine.Status.SUBMITTED,
            ReturnLine.Status.QUERIED,
        ],
    ).values_list("contract_id", "measure_id", "status", "quantity")
    with localcontext(_EXACT):
        for contract_id, measure_id, status, quantity in rows:
            key = (contract_id, measure_id)
            line_measures.add(measure_id)
            if status == ReturnLine.Status.VERIFIED:
                delivered[key] += quantity
            else:
                awaiting[key] += quantity
    measures = {
        m.pk: m for m in Measure.objects.filter(pk__in=line_measures).select_related("theme")
    }

    result: dict[int, ContractPerformance] = {}
    for contract in contracts:
        counted = reported.get(contract.supplier_id, set())
        perf = ContractPerformance(
            contract=contract,
            as_of=as_of,
            reported_periods=sorted(
                (periods[pid] for pid in counted if pid in periods), key=lambda p: p.start_date
            ),
        )
        targeted: set[int] = set()
        with localcontext(_EXACT):
            for target in targets.get(contract.pk, []):
                measure = target.measure
                targeted.add(measure.pk)
                key = (contract.pk, measure.pk)
                due_quantity = sum(
                    (q for pid, q in profile.get(target.pk, []) if pid in counted), ZERO
                )
                row = MeasurePerformance(
                    measure=measure,
                    target_quantity=target.quantity,
                    target_value=target.value,
                    due_quantity=due_quantity,
                    due_value=_value(due_quantity, measure),
                    delivered_quantity=delivered.get(key, ZERO),
                    delivered_value=_value(delivered.get(key, ZERO), measure),
                    awaiting_quantity=awaiting.get(key, ZERO),
                )
                row.percent = percent(row.delivered_quantity, row.due_quantity)
                row.rag = rag_for(row.percent, thresholds)
                perf.measures.append(row)
                if measure.proxy_value is not None:
                    perf.target_value += row.target_value
                    perf.due_value += row.due_value
                    perf.delivered_value += row.delivered_value
            for (contract_id, measure_id), quantity in sorted(delivered.items()):
                if contract_id != contract.pk or measure_id in targeted:
                    continue
                measure = measures[measure_id]
                perf.additional.append(
                    MeasurePerformance(
                        measure=measure,
                        delivered_quantity=quantity,
                        delivered_value=_value(quantity, measure),
                        is_target=False,
                    )
                )
        perf.measures.sort(key=lambda m: (m.measure.theme.order, m.measure.order))
        perf.additional.sort(key=lambda m: (m.measure.theme.order, m.measure.order))
        if perf.due_value > 0:
            perf.percent = percent(perf.delivered_value, perf.due_value)
            perf.rag = rag_for(perf.percent, thresholds)
        else:
            due_rows = [m for m in perf.measures if m.rag != Rag.NOT_DUE]
            if due_rows:
                worst = min(due_rows, key=lambda m: (Rag.ORDER[m.rag], m.percent or ZERO))
                perf.percent = worst.percent
                perf.rag = worst.rag
        result[contract.pk] = perf
    return result


def contract_performance(contract: Contract, as_of: date | None = None) -> ContractPerformance:
    return performance_for([contract], as_of)[contract.pk]


@dataclass(frozen=True)
class QuarterRow:
    period: ReportingPeriod
    profiled_value: Decimal
    delivered_value: Decimal
    awaiting_value: Decimal
    reported: bool


def quarters_of(contract: Contract, as_of: date | None = None) -> list[QuarterRow]:
    """Quarter by quarter: the value profiled, delivered (verified) and awaiting."""
    as_of = as_of or timezone.localdate()
    counted = reported_period_ids([contract.supplier_id], as_of)[contract.supplier_id]
    profiled: dict[int, Decimal] = defaultdict(lambda: ZERO)
    periods: dict[int, ReportingPeriod] = {}
    with localcontext(_EXACT):
        for tq in TargetQuarter.objects.filter(target__contract=contract).select_related(
            "period", "target__measure"
        ):
            periods[tq.period_id] = tq.period
            profiled[tq.period_id] += _value(tq.quantity, tq.target.measure)
        delivered: dict[int, Decimal] = defaultdict(lambda: ZERO)
        awaiting: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in ReturnLine.objects.filter(contract=contract).select_related(
            "measure", "return_record__period"
        ):
            period = line.return_record.period
            periods.setdefault(period.pk, period)
            if line.status == ReturnLine.Status.VERIFIED:
                delivered[period.pk] += _value(line.quantity, line.measure)
            elif line.status in {ReturnLine.Status.SUBMITTED, ReturnLine.Status.QUERIED}:
                awaiting[period.pk] += _value(line.quantity, line.measure)
    return [
        QuarterRow(
            period=p,
            profiled_value=profiled.get(p.pk, ZERO),
            delivered_value=delivered.get(p.pk, ZERO),
            awaiting_value=awaiting.get(p.pk, ZERO),
            reported=p.pk in counted,
        )
        for p in sorted(periods.values(), key=lambda p: p.start_date)
    ]
