"""The public headline figures of a place partnership (``/in-numbers/``).

Section 16 of the strategy, the Greater Lancashire approach: several buying organisations on
one platform, whose headline figures are published together for the whole place. Everything
is read from ``kpis.py`` for the place's members, so the figures are the dashboard's figures
(verified return lines only, published case studies only).

Two periods are shown: the latest complete financial year, and the current financial year so
far (its first quarter to the current one, as the dashboard counts it). Only figures fit to
publish are worked out here: committed and delivered value, Social Value Add, local, MSME
and VCSE spend, contracts reporting, and each member's committed and delivered value.
Returns on time, training and tenders stay on the dashboard.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from socialvalue.accounts.models import Organisation
from socialvalue.core.money import round_money
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights import kpis
from socialvalue.insights.models import Place
from socialvalue.stories.models import CaseStudy

LATEST_CASE_STUDIES = 6


def today() -> date:
    """The day the figures are worked out for: today, in the service's time zone."""
    return timezone.localdate()


def public_places() -> QuerySet[Place]:
    return Place.objects.filter(is_public=True).order_by("name")


@dataclass(frozen=True)
class MemberFigures:
    """One member organisation's public figures for a period."""

    organisation: Organisation
    committed: Decimal
    delivered: Decimal


@dataclass(frozen=True)
class PeriodFigures(kpis.ValueShares):
    """The place's public figures for a range of quarters, all exact."""

    key: str  # "year" or "to-date": used for element ids
    label: str  # "2025-26", or "2026-27 so far (Q1 to Q3)"
    first: Quarter
    last: Quarter
    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal
    contracts_reporting: int
    case_studies: int
    members: list[MemberFigures]

    @property
    def members_committed(self) -> Decimal:
        return sum((m.committed for m in self.members), kpis.ZERO)

    @property
    def members_delivered(self) -> Decimal:
        return sum((m.delivered for m in self.members), kpis.ZERO)

    @property
    def has_data(self) -> bool:
        return bool(self.committed_value or self.delivered_value or self.contract_spend)

    @property
    def dates(self) -> str:
        """E.g. "1 April 2025 to 31 March 2026"."""
        return f"{self.first.start:%-d %B %Y} to {self.last.end:%-d %B %Y}"

    @property
    def has_chart(self) -> bool:
        return bool(self.members_committed or self.members_delivered)

    @property
    def chart_id(self) -> str:
        return f"chart-members-{self.key}"

    @property
    def chart_data_id(self) -> str:
        """The id of the ``json_script`` element holding the chart's data."""
        return f"{self.chart_id}-data"

    def chart(self) -> dict[str, object]:
        """The member table as a bar chart's data (see ``insights/charts.js``)."""
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [m.organisation.name for m in self.members],
            "datasets": [
                {
                    "label": "Committed",
                    "data": [str(round_money(m.committed)) for m in self.members],
                },
                {
                    "label": "Delivered (verified)",
                    "data": [str(round_money(m.delivered)) for m in self.members],
                },
            ],
        }


@dataclass(frozen=True)
class PlaceFigures:
    place: Place
    members: list[Organisation]
    periods: list[PeriodFigures]  # the latest complete year, then the year so far
    case_studies: list[CaseStudy]  # the latest published in the periods, newest first
    case_studies_total: int

    @property
    def latest_year(self) -> PeriodFigures:
        return self.periods[0]

    @property
    def year_to_date(self) -> PeriodFigures:
        return self.periods[1]

    @property
    def has_charts(self) -> bool:
        return any(p.has_chart for p in self.periods)


def _contracts_reporting(scope: kpis.Scope) -> int:
    """Contracts with at least one verified return line in the scope's quarters."""
    return kpis.verified_lines(scope).order_by().values("contract_id").distinct().count()


def _between(first: Quarter, last: Quarter) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first.start, time.min, tzinfo=tz),
        datetime.combine(last.end, time.max, tzinfo=tz),
    )


def published_case_studies(
    organisation_ids: frozenset[int], first: Quarter, last: Quarter
) -> QuerySet[CaseStudy]:
    """Published case studies of the quarters, by the members or about their contracts: the
    rule of ``kpis.case_studies_by_quarter``, newest first."""
    start, end = _between(first, last)
    return (
        CaseStudy.objects.filter(
            status=CaseStudy.Status.PUBLISHED, published_at__gte=start, published_at__lte=end
        )
        .filter(
            Q(organisation_id__in=organisation_ids)
            | Q(contract__organisation_id__in=organisation_ids)
        )
        .select_related("organisation")
        .order_by("-published_at", "-pk")
    )


def period_figures(
    key: str, label: str, members: list[Organisation], first: Quarter, last: Quarter
) -> PeriodFigures:
    ids = frozenset(m.pk for m in members)
    scope = kpis.Scope(ids, first, last)
    committed = kpis.committed_by(scope, "organisation")
    delivered = kpis.delivered_by(scope, "organisation")
    rows = [
        MemberFigures(m, committed.get(m.pk, kpis.ZERO), delivered.get(m.pk, kpis.ZERO))
        for m in members
    ]
    rows.sort(key=lambda r: (-r.delivered, -r.committed, r.organisation.name))
    return PeriodFigures(
        key=key,
        label=label,
        first=first,
        last=last,
        committed_value=kpis.committed_value(scope),
        awarded_value=kpis.awarded_value(scope),
        delivered_value=kpis.delivered_value(scope),
        contract_spend=kpis.contract_spend(scope),
        local_spend=kpis.spend_by_code(scope, kpis.LOCAL_CODE),
        msme_spend=kpis.spend_by_code(scope, kpis.MSME_CODE),
        vcse_spend=kpis.spend_by_code(scope, kpis.VCSE_CODE),
        contracts_reporting=_contracts_reporting(scope),
        case_studies=sum(kpis.case_studies_by_quarter(scope).values()),
        members=rows,
    )


def place_figures(place: Place, day: date | None = None) -> PlaceFigures:
    """The public figures of ``place`` on ``day`` (default today): its latest complete
    financial year and the current one so far."""
    current = quarter_of(day or today())
    members = list(place.members.order_by("name"))
    ids = frozenset(m.pk for m in members)
    last_year = Quarter(current.year - 1, 1)
    this_year = Quarter(current.year, 1)
    if current == this_year:
        so_far = f"{this_year.financial_year} so far (Q1)"
    else:
        so_far = f"{this_year.financial_year} so far (Q1 to Q{current.number})"
    periods = [
        period_figures(
            "year", last_year.financial_year, members, last_year, Quarter(last_year.year, 4)
        ),
        period_figures("to-date", so_far, members, this_year, current),
    ]
    stories = published_case_studies(ids, last_year, current)
    return PlaceFigures(
        place=place,
        members=members,
        periods=periods,
        case_studies=list(stories[:LATEST_CASE_STUDIES]),
        case_studies_total=stories.count(),
    )
