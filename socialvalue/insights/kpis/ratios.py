"""The KPI ratios, the headline figures and the breakdowns of a scope.

Part of ``socialvalue.insights.kpis`` (its docstring defines every figure)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, localcontext
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import ReportingPeriod, Return
from socialvalue.core.geography import District
from socialvalue.core.money import percent
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.framework.models import Theme
from socialvalue.insights.kpis.scope import (
    _EXACT,
    CASE_STUDIES_PER_QUARTER,
    LOCAL_CODE,
    MSME_CODE,
    VCSE_CODE,
    ZERO,
    Scope,
    contracts_in_scope,
)
from socialvalue.insights.kpis.values import (
    awarded_value,
    committed_by,
    committed_value,
    contract_spend,
    delivered_by,
    delivered_value,
    spend_by_code,
)


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return percent(Decimal(self.numerator), Decimal(self.denominator))


def returns_on_time(scope: Scope, today: date | None = None) -> Ratio:
    today = today or timezone.localdate()
    # A return is due from a supplier holding a contract in scope during its quarter.
    held = contracts_in_scope(scope).filter(
        supplier_id=OuterRef("supplier_id"),
        start_date__lte=OuterRef("period__end_date"),
        end_date__gte=OuterRef("period__start_date"),
    )
    due = Return.objects.filter(
        Exists(held),
        period__start_date__gte=scope.start,
        period__end_date__lte=scope.end,
        period__due_date__lt=today,
    )
    # As ``Return.submitted_on_time``: submitted by the end of the due date, local time.
    tz = timezone.get_current_timezone()
    due_dates = ReportingPeriod.objects.filter(
        start_date__gte=scope.start, end_date__lte=scope.end, due_date__lt=today
    ).values_list("due_date", flat=True)
    in_time = Q(pk__in=[])
    for due_date in set(due_dates):
        deadline = datetime.combine(due_date + timedelta(days=1), time.min, tz)
        in_time |= Q(period__due_date=due_date, submitted_at__lt=deadline)
    counts = due.aggregate(total=Count("pk"), on_time=Count("pk", filter=in_time))
    total, on_time = counts["total"], counts["on_time"]
    return Ratio(on_time, total)


def officers_trained(scope: Scope, today: date | None = None) -> Ratio:
    from socialvalue.insights.models import TrainingCompletion

    as_of = min(scope.end, today or timezone.localdate())
    staff = User.objects.filter(
        organisation_id__in=scope.organisation_ids,
        is_active=True,
        role__in=[User.Role.LEAD, User.Role.OFFICER, User.Role.EVALUATOR],
    )
    trained = (
        TrainingCompletion.objects.filter(user__in=staff, completed_on__lte=as_of)
        .values("user_id")
        .distinct()
        .count()
    )
    return Ratio(trained, staff.count())


def case_studies_by_quarter(scope: Scope) -> dict[Quarter, int]:
    from socialvalue.stories.models import CaseStudy

    tz = timezone.get_current_timezone()
    start = datetime.combine(scope.start, time.min, tzinfo=tz)
    end = datetime.combine(scope.end, time.max, tzinfo=tz)
    qs = CaseStudy.objects.filter(
        status=CaseStudy.Status.PUBLISHED, published_at__gte=start, published_at__lte=end
    ).filter(
        Q(organisation_id__in=scope.organisation_ids)
        | Q(contract__organisation_id__in=scope.organisation_ids)
    )
    counts = dict.fromkeys(scope.quarters, 0)
    for published_at in qs.values_list("published_at", flat=True):
        quarter = quarter_of(timezone.localtime(published_at).date())
        if quarter in counts:
            counts[quarter] += 1
    return counts


def tenders_with_sv(scope: Scope) -> Ratio:
    from socialvalue.procurement.models import Policy, Tender

    tz = timezone.get_current_timezone()
    tenders = Tender.objects.filter(
        organisation_id__in=scope.organisation_ids,
        opened_at__gte=datetime.combine(scope.start, time.min, tzinfo=tz),
        opened_at__lte=datetime.combine(scope.end, time.max, tzinfo=tz),
    )
    if scope.directorate_id:
        tenders = tenders.filter(directorate_id=scope.directorate_id)
    if scope.category:
        tenders = tenders.filter(category=scope.category)
    thresholds = dict(
        Policy.objects.filter(organisation_id__in=scope.organisation_ids).values_list(
            "organisation_id", "threshold"
        )
    )
    default = Policy._meta.get_field("threshold").get_default()
    above = applied = 0
    for organisation_id, value, weighting in tenders.values_list(
        "organisation_id", "estimated_value", "sv_weighting"
    ):
        if value >= thresholds.get(organisation_id, default):
            above += 1
            if weighting and weighting > 0:
                applied += 1
    return Ratio(applied, above)


class ValueShares:
    """The percentages derived from a set of value figures: exact, None when undefined."""

    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal

    @property
    def committed_sv_add(self) -> Decimal | None:
        return percent(self.committed_value, self.awarded_value)

    @property
    def delivered_sv_add(self) -> Decimal | None:
        return percent(self.delivered_value, self.contract_spend)

    @property
    def local_spend_percent(self) -> Decimal | None:
        return percent(self.local_spend, self.contract_spend)

    @property
    def msme_spend_percent(self) -> Decimal | None:
        return percent(self.msme_spend, self.contract_spend)

    @property
    def vcse_spend_percent(self) -> Decimal | None:
        return percent(self.vcse_spend, self.contract_spend)


@dataclass
class Headline(ValueShares):
    """The KPIs for a scope, all exact; percentages are None when undefined."""

    scope: Scope
    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal
    returns_on_time: Ratio
    officers_trained: Ratio
    case_studies: dict[Quarter, int]
    tenders_with_sv: Ratio
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def case_studies_total(self) -> int:
        return sum(self.case_studies.values())

    @property
    def quarters_meeting_case_study_target(self) -> int:
        return sum(1 for n in self.case_studies.values() if n >= CASE_STUDIES_PER_QUARTER)


def headline(scope: Scope, today: date | None = None) -> Headline:
    return Headline(
        scope=scope,
        committed_value=committed_value(scope),
        awarded_value=awarded_value(scope),
        delivered_value=delivered_value(scope),
        contract_spend=contract_spend(scope),
        local_spend=spend_by_code(scope, LOCAL_CODE),
        msme_spend=spend_by_code(scope, MSME_CODE),
        vcse_spend=spend_by_code(scope, VCSE_CODE),
        returns_on_time=returns_on_time(scope, today),
        officers_trained=officers_trained(scope, today),
        case_studies=case_studies_by_quarter(scope),
        tenders_with_sv=tenders_with_sv(scope),
    )


@dataclass(frozen=True)
class BreakdownRow:
    key: Any
    label: str
    committed: Decimal | None
    delivered: Decimal


def _labels(dimension: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None and k != ""]
    if dimension == "theme":
        return dict(Theme.objects.filter(slug__in=keys).values_list("slug", "name").distinct())
    if dimension in {"organisation", "supplier"}:
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "directorate":
        from socialvalue.accounts.models import Directorate

        return dict(Directorate.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "category":
        from socialvalue.procurement.models import Tender

        return {k: dict(Tender.Category.choices).get(k, k) for k in keys}
    if dimension == "district":
        return {k: District(k).label for k in keys if k in District.values}
    if dimension == "measure":
        return {k: k for k in keys}
    return {}


def breakdown(scope: Scope, dimension: str) -> list[BreakdownRow]:
    """Committed and delivered by one dimension, largest delivery first.

    ``quarter`` lists every quarter of the scope in order, including empty ones; committed
    is not broken down by district (targets have none), so it is None there.
    """
    if dimension == "quarter":
        delivered_periods = delivered_by(scope, "quarter")
        quarters = {
            pk: Quarter(year, number)
            for pk, year, number in ReportingPeriod.objects.filter(
                pk__in=delivered_periods.keys()
            ).values_list("pk", "year", "number")
        }
        delivered_q: dict[Quarter, Decimal] = defaultdict(lambda: ZERO)
        with localcontext(_EXACT):
            for period_id, value in delivered_periods.items():
                delivered_q[quarters[period_id]] += value
        committed_q = committed_by(scope, "quarter")
        return [
            BreakdownRow(q, q.short_label, committed_q.get(q, ZERO), delivered_q.get(q, ZERO))
            for q in scope.quarters
        ]
    delivered = delivered_by(scope, dimension)
    committed = committed_by(scope, dimension) if dimension != "district" else None
    keys = set(delivered) | set(committed or {})
    labels = _labels(dimension, keys)
    rows = [
        BreakdownRow(
            key,
            labels.get(key, "Not set" if key in (None, "") else str(key)),
            None if committed is None else committed.get(key, ZERO),
            delivered.get(key, ZERO),
        )
        for key in keys
    ]
    rows.sort(key=lambda r: (-r.delivered, -(r.committed or ZERO), r.label))
    return rows
