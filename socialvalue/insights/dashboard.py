"""The KPI dashboard's figures: whose figures, the headline cards against their targets, the
breakdown tables and the charts drawn from them.

Everything here reads ``kpis.py``; nothing is computed twice. The tables are the figures;
the charts are drawn from the same rows, and the downloads (``exports.py``) write the same
rows, so the page, the charts and the files always agree.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.money import format_gbp, format_percent, round_2dp, round_money
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights import kpis
from socialvalue.insights.access import places_led_by, visible_organisations
from socialvalue.insights.models import Kpi, KpiTarget, Place

PLACE_PREFIX = "place-"
ALL = "all"
MONEY_KPIS = frozenset({Kpi.COMMITTED_VALUE, Kpi.DELIVERED_VALUE})
# Sums that grow through the year: below target is "not met yet" until the year is over.
CUMULATIVE_KPIS = MONEY_KPIS

MET, BELOW, NOT_YET = "met", "below", "not_yet"
STATUS_LABELS = {MET: "Target met", BELOW: "Below target", NOT_YET: "Not met yet"}


# --- Whose figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationOption:
    """One choice of whose figures to show: an organisation, a place, or all one may see."""

    value: str
    label: str
    ids: frozenset[int]
    organisation: Organisation | None = None
    place: Place | None = None


def organisation_options(user: User) -> list[OrganisationOption]:
    """The first option is the default: everything the user may see."""
    organisations = visible_organisations(user)
    if not organisations:
        return []
    everything = frozenset(o.pk for o in organisations)
    singles = [
        OrganisationOption(str(o.pk), o.name, frozenset({o.pk}), organisation=o)
        for o in organisations
    ]
    if len(organisations) == 1:
        return singles
    places = [
        OrganisationOption(
            f"{PLACE_PREFIX}{place.slug}",
            f"All of {place.name}",
            frozenset(place.members.values_list("pk", flat=True)),
            place=place,
        )
        for place in places_led_by(user)
    ]
    if not any(p.ids == everything for p in places):
        places.insert(0, OrganisationOption(ALL, "All your organisations", everything))
    return [*places, *singles]


def current_financial_year(today: date | None = None) -> int:
    return quarter_of(today or timezone.localdate()).year


def period_label(first: Quarter, last: Quarter) -> str:
    if first.year == last.year and (first.number, last.number) == (1, 4):
        return first.financial_year
    if first == last:
        return first.short_label
    return f"{first.short_label} to {last.short_label}"


# --- Targets ---------------------------------------------------------------------------------


def targets_for(option: OrganisationOption, year: int) -> dict[str, Decimal]:
    """The year's targets of the organisation or place shown; none for other mixes."""
    if option.place is not None:
        owner: dict[str, Any] = {"place": option.place}
    elif option.organisation is not None:
        owner = {"organisation": option.organisation}
    else:
        return {}
    return dict(KpiTarget.objects.filter(year=year, **owner).values_list("kpi", "target"))


def target_status(
    kpi: str, actual: Decimal | None, target: Decimal | None, year_over: bool
) -> str | None:
    """Met, below, or not met yet; the figure is compared as shown (to 2 decimal places)."""
    if target is None or actual is None:
        return None
    if round_2dp(actual) >= target:
        return MET
    if kpi in CUMULATIVE_KPIS and not year_over:
        return NOT_YET
    return BELOW


# --- Headline cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    kpi: str
    title: str
    value: str  # shown large
    detail: str  # how it was worked out
    target: str = ""  # "" when none is set
    status: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "")


def _pct(value: Decimal | None) -> str:
    return format_percent(value, missing="No data")


def target_text(kpi: str, target: Decimal | None) -> str:
    if target is None:
        return ""
    if kpi in MONEY_KPIS:
        return format_gbp(target)
    if kpi == Kpi.CASE_STUDIES:
        return f"{target.normalize():f} a quarter"
    return _pct(target)


def _ratio_detail(ratio: kpis.Ratio, what: str) -> str:
    return f"{ratio.numerator} of {ratio.denominator} {what}"


def _case_studies_card(h: kpis.Headline, targets: dict[str, Decimal], today: date) -> Card:
    """Against the strategy's one a quarter until the lead sets another target: each quarter
    of the period that has ended must meet it."""
    per_quarter = targets.get(Kpi.CASE_STUDIES, Decimal(kpis.CASE_STUDIES_PER_QUARTER))
    ended = [n for q, n in h.case_studies.items() if q.end < today]
    meeting = sum(1 for n in ended if n >= per_quarter)
    total = h.case_studies_total
    return Card(
        Kpi.CASE_STUDIES,
        Kpi.CASE_STUDIES.label,
        f"{total} case stud{'y' if total == 1 else 'ies'}",
        f"{meeting} of {len(ended)} quarters ended had at least {per_quarter.normalize():f}",
        target_text(Kpi.CASE_STUDIES, per_quarter),
        None if not ended else (MET if meeting == len(ended) else BELOW),
    )


def headline_cards(
    h: kpis.Headline, targets: dict[str, Decimal], today: date, whole_year: bool
) -> list[Card]:
    gbp, spend = format_gbp, format_gbp(h.contract_spend)
    # (KPI, the figure shown, how it was worked out, the figure compared with the target)
    figures: list[tuple[Kpi, str, str, Decimal | None]] = [
        (
            Kpi.COMMITTED_VALUE,
            gbp(h.committed_value),
            f"Targets of contracts that started in the period, worth {gbp(h.awarded_value)}",
            h.committed_value,
        ),
        (
            Kpi.DELIVERED_VALUE,
            gbp(h.delivered_value),
            "Verified return lines of the period, valued at the contracts’ proxies",
            h.delivered_value,
        ),
        (
            Kpi.DELIVERED_SV_ADD,
            _pct(h.delivered_sv_add),
            f"{gbp(h.delivered_value)} delivered of {spend} contract spend",
            h.delivered_sv_add,
        ),
        (
            Kpi.COMMITTED_SV_ADD,
            _pct(h.committed_sv_add),
            f"{gbp(h.committed_value)} committed of {gbp(h.awarded_value)} awarded",
            h.committed_sv_add,
        ),
        *(
            (kpi, gbp(amount), f"{_pct(share)} of {spend} contract spend went to {who}", share)
            for kpi, amount, share, who in [
                (Kpi.LOCAL_SPEND, h.local_spend, h.local_spend_percent, "local suppliers"),
                (Kpi.MSME_SPEND, h.msme_spend, h.msme_spend_percent, "local MSMEs"),
                (Kpi.VCSE_SPEND, h.vcse_spend, h.vcse_spend_percent, "VCSEs"),
            ]
        ),
        *(
            (kpi, _pct(ratio.percent), _ratio_detail(ratio, what), ratio.percent)
            for kpi, ratio, what in [
                (Kpi.RETURNS_ON_TIME, h.returns_on_time, "returns due were submitted on time"),
                (
                    Kpi.OFFICERS_TRAINED,
                    h.officers_trained,
                    "council staff have completed a course",
                ),
                (
                    Kpi.TENDERS_WITH_SV,
                    h.tenders_with_sv,
                    "tenders at or above the threshold applied it",
                ),
            ]
        ),
    ]
    year_over = whole_year and h.scope.end < today
    cards = [
        Card(
            kpi,
            kpi.label,
            value,
            detail,
            target_text(kpi, targets.get(kpi)),
            target_status(kpi, actual, targets.get(kpi), year_over),
        )
        for kpi, value, detail, actual in figures
    ]
    cards.insert(-1, _case_studies_card(h, targets, today))
    return cards


# --- Breakdown tables and charts -------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    name: str
    heading: str  # the first column
    title: str  # "by theme"
    committed_heading: str = "Committed"


TABLES = [
    TableSpec("quarter", "Quarter", "by quarter", "Committed (contracts starting)"),
    TableSpec("theme", "Theme", "by theme"),
    TableSpec("district", "District", "by district"),
    TableSpec("organisation", "Organisation", "by buying organisation"),
    TableSpec("directorate", "Directorate", "by directorate"),
    TableSpec("category", "Category", "by category"),
    TableSpec("supplier", "Supplier", "by supplier"),
]
TABLE_NAMES = [t.name for t in TABLES]


@dataclass(frozen=True)
class Table:
    spec: TableSpec
    caption: str
    rows: list[kpis.BreakdownRow]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def has_committed(self) -> bool:
        return self.spec.name != "district"

    @property
    def committed_total(self) -> Decimal:
        return sum((r.committed or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def delivered_total(self) -> Decimal:
        return sum((r.delivered for r in self.rows), Decimal(0))

    @property
    def is_empty(self) -> bool:
        return not any(r.delivered or r.committed for r in self.rows)


def build_table(scope: kpis.Scope, spec: TableSpec, period: str) -> Table:
    rows = kpis.breakdown(scope, spec.name)
    what = "delivered" if spec.name == "district" else "committed and delivered"
    return Table(spec, f"Social value {what} {spec.title}, {period}", rows)


@dataclass(frozen=True)
class Chart:
    id: str
    label: str  # the aria-label: what the chart shows and where its figures are
    table: str
    config: dict[str, Any]

    @property
    def data_id(self) -> str:
        """The id of the ``json_script`` element holding the chart's data."""
        return f"{self.id}-data"


def _money_series(values: list[Decimal | None]) -> list[str]:
    return [str(round_money(v or Decimal(0))) for v in values]


def _chart(
    table: Table, what: str, period: str, series: list[str], horizontal: bool = False
) -> Chart:
    """A bar chart of ``series`` ("committed", "delivered") over the table's rows."""
    rows = table.rows if not horizontal else [r for r in table.rows if r.delivered]
    return Chart(
        f"chart-{table.name}",
        f"Bar chart of social value {what}, {period}. The figures are in the table that follows.",
        table.name,
        {
            "type": "bar",
            "horizontal": horizontal,
            "labels": [r.label for r in rows],
            "datasets": [
                {
                    "label": name.capitalize(),
                    "data": _money_series([getattr(r, name) for r in rows]),
                }
                for name in series
            ],
        },
    )


def charts_for(tables: dict[str, Table], period: str) -> list[Chart]:
    """The trend by quarter, and delivery by theme and by district, when there is any."""
    charts = []
    if not tables["quarter"].is_empty:
        trend = "committed and delivered by quarter"
        charts.append(_chart(tables["quarter"], trend, period, ["committed", "delivered"]))
    for name in ("theme", "district"):
        if tables[name].delivered_total:
            what = f"delivered by {name}"
            charts.append(_chart(tables[name], what, period, ["delivered"], horizontal=True))
    return charts


# --- The whole dashboard ---------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: kpis.Scope
    option: OrganisationOption
    period: str
    headline: kpis.Headline
    cards: list[Card]
    tables: list[Table]
    charts: dict[str, Chart]
    target_year: int | None

    @property
    def has_data(self) -> bool:
        h = self.headline
        return bool(h.committed_value or h.delivered_value or h.contract_spend)

    @property
    def target_year_label(self) -> str:
        return "" if self.target_year is None else Quarter(self.target_year, 1).financial_year

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def build_dashboard(
    scope: kpis.Scope,
    option: OrganisationOption,
    today: date | None = None,
    tables: list[str] | None = None,
) -> Dashboard:
    """The dashboard of ``scope``; ``tables`` limits the breakdowns worked out (downloads)."""
    today = today or timezone.localdate()
    period = period_label(scope.first, scope.last)
    h = kpis.headline(scope, today=today)
    single_year = scope.first.year == scope.last.year
    whole_year = single_year and (scope.first.number, scope.last.number) == (1, 4)
    targets = targets_for(option, scope.first.year) if single_year else {}
    cards = headline_cards(h, targets, today, whole_year)
    wanted = [t for t in TABLES if tables is None or t.name in tables]
    built = {spec.name: build_table(scope, spec, period) for spec in wanted}
    charts = (
        {c.table: c for c in charts_for(built, period)}
        if all(name in built for name in ("quarter", "theme", "district"))
        else {}
    )
    return Dashboard(
        scope=scope,
        option=option,
        period=period,
        headline=h,
        cards=cards,
        tables=list(built.values()),
        charts=charts,
        target_year=scope.first.year if single_year else None,
    )
