"""The quarterly Cabinet report: what goes in it, for whom, and for which quarter.

Strategy section 6 "Social value governance" reports the KPIs to Cabinet each quarter. A
report is for one choice of whose figures (an organisation, or a place for its lead's staff,
as on the dashboard) and one financial quarter. It holds:

- the KPIs for the quarter and for the financial year to date, against the year's targets
  (``dashboard.headline_cards``, from ``kpis``);
- social value committed and delivered by theme in the year to date, and committed and
  delivered quarter by quarter over the last two years, each a table (and a chart);
- the ten contracts that delivered the most in the quarter;
- the exceptions as they stand on the day the report is prepared: live contracts rated red
  or amber (``contracts.performance``), and returns past their due date and not submitted.

Nothing is computed here that ``kpis`` or ``performance`` already computes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.contracts.contract_selectors import (
    ContractRow,
    OverdueReturn,
    behind_target,
    late_returns,
)
from socialvalue.contracts.models import Contract
from socialvalue.contracts.performance import ContractPerformance, Rag, performance_for
from socialvalue.contracts.periods import periods_between
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights import kpis
from socialvalue.insights.dashboard import (
    PLACE_PREFIX,
    TABLES,
    Card,
    OrganisationOption,
    Table,
    build_table,
    headline_cards,
    organisation_options,
    period_label,
    targets_for,
)
from socialvalue.insights.models import Kpi

ALL_SLUG = "all"
TOP_CONTRACTS = 10
TREND_QUARTERS = 8
NOT_YOURS = "This report is not available to you."
NO_QUARTER = "There is no report for that quarter."

THEME_SPEC = next(t for t in TABLES if t.name == "theme")
QUARTER_SPEC = next(t for t in TABLES if t.name == "quarter")


# --- Whose report, which quarter -------------------------------------------------------------


@dataclass(frozen=True)
class ReportChoice:
    """Whose figures, named in the report's address: an organisation's slug, ``place-`` and
    a place's slug, or ``all`` for everything the user may see when no place covers it."""

    slug: str
    option: OrganisationOption

    @property
    def label(self) -> str:
        return self.option.label


def report_choices(user: User) -> list[ReportChoice]:
    """The dashboard's choices of whose figures, the default first."""
    choices = []
    for option in organisation_options(user):
        if option.organisation is not None:
            slug = option.organisation.slug
        elif option.place is not None:
            slug = f"{PLACE_PREFIX}{option.place.slug}"
        else:
            slug = ALL_SLUG
        choices.append(ReportChoice(slug, option))
    return choices


def get_choice_for_user(user: User, slug: str) -> ReportChoice:
    """The choice ``slug`` names, or 404 when it is not one the user may see."""
    for choice in report_choices(user):
        if choice.slug == slug:
            return choice
    raise Http404(NOT_YOURS)


def quarter_slug(quarter: Quarter) -> str:
    return f"{quarter.year}-q{quarter.number}"


def quarter_from_slug(slug: str) -> Quarter | None:
    year, sep, number = slug.partition("-q")
    if not sep or len(year) != 4 or not (year.isascii() and year.isdigit()):
        return None
    if number not in {"1", "2", "3", "4"}:
        return None
    return Quarter(int(year), int(number))


def latest_completed_quarter(today: date | None = None) -> Quarter:
    return quarter_of(today or timezone.localdate()).previous()


def _first_contract_quarter(organisation_ids: frozenset[int]) -> Quarter | None:
    first = (
        Contract.objects.filter(organisation_id__in=organisation_ids)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return None if first is None else quarter_of(first)


def report_quarters(organisation_ids: frozenset[int], today: date | None = None) -> list[Quarter]:
    """The completed quarters since the organisations' first contract started, newest first;
    just the latest completed quarter when they have no contracts yet."""
    latest = latest_completed_quarter(today)
    first = _first_contract_quarter(organisation_ids)
    if first is None or first > latest:
        return [latest]
    quarters = []
    quarter = latest
    while quarter >= first:
        quarters.append(quarter)
        quarter = quarter.previous()
    return quarters


def get_quarter(slug: str, today: date | None = None) -> Quarter:
    """The quarter ``slug`` names, if it has started; 404 otherwise."""
    quarter = quarter_from_slug(slug)
    if quarter is None or quarter > quarter_of(today or timezone.localdate()):
        raise Http404(NO_QUARTER)
    return quarter


# --- The report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    """One KPI: its figure for the quarter and for the year to date (with the target)."""

    quarter: Card
    year: Card

    @property
    def title(self) -> str:
        return self.year.title


@dataclass(frozen=True)
class TopContract:
    contract: Contract
    delivered_in_quarter: Decimal
    delivered_in_year: Decimal
    performance: ContractPerformance


@dataclass
class CabinetReport:
    choice: ReportChoice
    quarter: Quarter
    prepared_on: date
    quarter_headline: kpis.Headline
    year_headline: kpis.Headline
    kpis: list[KpiRow]
    targets_set: bool
    themes: Table
    trend: Table
    top_contracts: list[TopContract]
    exceptions: list[ContractRow]
    overdue: list[OverdueReturn]
    several_organisations: bool

    @property
    def option(self) -> OrganisationOption:
        return self.choice.option

    @property
    def year_label(self) -> str:
        return self.quarter.financial_year

    @property
    def year_to_date(self) -> str:
        return period_label(Quarter(self.quarter.year, 1), self.quarter)

    @property
    def trend_period(self) -> str:
        return period_label(self.trend.rows[0].key, self.trend.rows[-1].key)

    @property
    def has_data(self) -> bool:
        h = self.year_headline
        return bool(h.committed_value or h.delivered_value or h.contract_spend)

    @property
    def red_count(self) -> int:
        return sum(1 for row in self.exceptions if row.performance.rag == Rag.RED)

    @property
    def amber_count(self) -> int:
        return sum(1 for row in self.exceptions if row.performance.rag == Rag.AMBER)


def top_contracts(
    quarter_scope: kpis.Scope, year_scope: kpis.Scope, as_of: date, limit: int = TOP_CONTRACTS
) -> list[TopContract]:
    """The contracts that delivered the most (verified) in the quarter, largest first."""
    # Delivered value per contract, valued exactly as every other delivered figure.
    in_quarter = kpis.delivered_by_contract(quarter_scope)
    ranked = sorted((v, pk) for pk, v in in_quarter.items() if v > 0)
    contracts = {
        c.pk: c
        for c in Contract.objects.filter(pk__in=[pk for _, pk in ranked]).select_related(
            "organisation", "supplier"
        )
    }
    ranked.sort(key=lambda item: (-item[0], contracts[item[1]].reference))
    chosen = [contracts[pk] for _, pk in ranked[:limit]]
    if not chosen:
        return []
    in_year = kpis.delivered_by_contract(year_scope, chosen)
    performance = performance_for(chosen, as_of)
    return [
        TopContract(c, in_quarter[c.pk], in_year.get(c.pk, kpis.ZERO), performance[c.pk])
        for c in chosen
    ]


def rag_exceptions(scope: kpis.Scope, as_of: date) -> list[ContractRow]:
    """Live contracts that had started by the end of the quarter and are red or amber on
    ``as_of``, the furthest behind first (as the contracts' own exceptions list)."""
    live = kpis.contracts_in_scope(scope).filter(
        status=Contract.Status.LIVE, start_date__lte=scope.end
    )
    return behind_target(live.select_related("organisation", "supplier"), as_of)


def overdue_returns(scope: kpis.Scope, today: date) -> list[OverdueReturn]:
    """Returns for quarters up to the scope's last that are past due on ``today`` and not
    submitted, from suppliers holding one of the organisations' contracts in that quarter.
    Oldest first."""
    contracts = list(
        kpis.contracts_in_scope(scope)
        .filter(start_date__lte=scope.end)
        .select_related("supplier")
        .order_by("reference")
    )
    if not contracts:
        return []
    last = min(scope.end, today, max(c.end_date for c in contracts))
    periods = [
        p
        for p in periods_between(min(c.start_date for c in contracts), last)
        if p.due_date < today and p.end_date <= scope.end
    ]
    return late_returns(contracts, periods, today)


def _trend_first(quarter: Quarter, organisation_ids: frozenset[int]) -> Quarter:
    first = quarter
    for _ in range(TREND_QUARTERS - 1):
        first = first.previous()
    started = _first_contract_quarter(organisation_ids)
    if started is None or started > quarter:
        return quarter
    return max(first, started)


def build_report(
    choice: ReportChoice, quarter: Quarter, today: date | None = None
) -> CabinetReport:
    """The Cabinet report of ``choice`` for ``quarter``, prepared on ``today``."""
    today = today or timezone.localdate()
    ids = choice.option.ids
    quarter_scope = kpis.Scope(ids, quarter, quarter)
    year_scope = kpis.Scope(ids, Quarter(quarter.year, 1), quarter)
    targets = targets_for(choice.option, quarter.year)
    quarter_h = kpis.headline(quarter_scope, today=today)
    year_h = kpis.headline(year_scope, today=today)
    # Targets are for the whole year, so only the year to date is judged against them; the
    # case studies target is a quarter's, so the quarter is judged against that one too.
    per_quarter = {k: v for k, v in targets.items() if k == Kpi.CASE_STUDIES}
    quarter_cards = headline_cards(quarter_h, per_quarter, today, whole_year=False)
    year_cards = headline_cards(year_h, targets, today, whole_year=quarter.number == 4)
    year_period = period_label(year_scope.first, year_scope.last)
    trend_scope = kpis.Scope(ids, _trend_first(quarter, ids), quarter)
    trend = build_table(
        trend_scope, QUARTER_SPEC, period_label(trend_scope.first, trend_scope.last)
    )
    return CabinetReport(
        choice=choice,
        quarter=quarter,
        prepared_on=today,
        quarter_headline=quarter_h,
        year_headline=year_h,
        kpis=[KpiRow(q, y) for q, y in zip(quarter_cards, year_cards, strict=True)],
        targets_set=bool(targets),
        themes=build_table(year_scope, THEME_SPEC, year_period),
        trend=trend,
        top_contracts=top_contracts(quarter_scope, year_scope, today),
        exceptions=rag_exceptions(quarter_scope, today),
        overdue=overdue_returns(quarter_scope, today),
        several_organisations=len(ids) > 1,
    )
