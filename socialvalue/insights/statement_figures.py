"""The "social value achievements to date" of an annual statement, from the records.

While a statement is a draft its figures are computed each time they are shown, from the
KPIs of its organisation and financial year (``kpis.headline`` and ``kpis.breakdown``).
When it is published they are frozen: a snapshot is written into the body of the
achievements section, after the lead's narrative, as an HTML comment holding the figures as
JSON (which the pages and the PDF read) followed by the same figures as Markdown tables (for
anyone reading the record itself, in the admin or its history). Withdrawing the statement
removes the snapshot again; publishing it again takes a new one.
"""

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from socialvalue.accounts.models import Organisation
from socialvalue.core.money import format_gbp, format_percent
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import Measure
from socialvalue.insights import kpis

TOP_MEASURES = 5
SNAPSHOT_VERSION = 1
SNAPSHOT_START = "<!-- achievements-snapshot "
SNAPSHOT_END = " -->"
_SNAPSHOT = re.compile(r"<!-- achievements-snapshot (\{.*?\}) -->", re.S)


@dataclass(frozen=True)
class MeasureFigure:
    code: str
    description: str
    delivered: Decimal


@dataclass(frozen=True)
class ThemeFigure:
    name: str
    committed: Decimal
    delivered: Decimal


@dataclass(frozen=True)
class StoryFigure:
    title: str
    slug: str
    summary: str
    published_on: date


@dataclass(frozen=True)
class Achievements(kpis.ValueShares):
    """The figures of one organisation's financial year, exact; percentages are derived."""

    organisation: str
    year: int
    as_of: date
    committed_value: Decimal
    awarded_value: Decimal
    delivered_value: Decimal
    contract_spend: Decimal
    local_spend: Decimal
    msme_spend: Decimal
    vcse_spend: Decimal
    top_measures: list[MeasureFigure] = field(default_factory=list)
    themes: list[ThemeFigure] = field(default_factory=list)
    case_studies: list[StoryFigure] = field(default_factory=list)
    frozen_at: datetime | None = None

    @property
    def financial_year(self) -> str:
        return Quarter(self.year, 1).financial_year

    @property
    def year_complete(self) -> bool:
        return self.as_of >= Quarter(self.year, 4).end

    @property
    def case_study_target(self) -> int:
        return 4 * kpis.CASE_STUDIES_PER_QUARTER

    def figure_rows(self) -> list[tuple[str, str]]:
        """The headline figures as label and formatted value, for tables and Markdown."""

        return [
            ("Social value committed in contracts awarded", format_gbp(self.committed_value)),
            ("Value of the contracts awarded", format_gbp(self.awarded_value)),
            (
                "Social Value Add committed (% of value awarded)",
                format_percent(self.committed_sv_add),
            ),
            ("Social value delivered and verified", format_gbp(self.delivered_value)),
            ("Contract spend in the year", format_gbp(self.contract_spend)),
            (
                "Social Value Add delivered (% of contract spend)",
                format_percent(self.delivered_sv_add),
            ),
            ("Spend with local suppliers (NT18)", format_gbp(self.local_spend)),
            ("Local spend (% of contract spend)", format_percent(self.local_spend_percent)),
            (
                "Spend with local micro, small and medium enterprises (NT19)",
                format_gbp(self.msme_spend),
            ),
            (
                "Spend with voluntary, community and social enterprises (NT14)",
                format_gbp(self.vcse_spend),
            ),
            (
                "Case studies published",
                f"{len(self.case_studies)} (target {self.case_study_target})",
            ),
        ]


# --- Computing --------------------------------------------------------------------------------


def _descriptions(codes: list[str]) -> dict[str, str]:
    # The newest framework version's wording wins where a code appears in several.
    found: dict[str, str] = {}
    for code, description in (
        Measure.objects.filter(code__in=codes)
        .order_by("version_id")
        .values_list("code", "description")
    ):
        found[code] = description
    return found


def _case_studies(organisation_id: int, year: int) -> list[StoryFigure]:
    """Published case studies of the year: the same rule as ``kpis.case_studies_by_quarter``."""
    from socialvalue.stories.models import CaseStudy

    tz = timezone.get_current_timezone()
    start = datetime.combine(Quarter(year, 1).start, time.min, tzinfo=tz)
    end = datetime.combine(Quarter(year, 4).end, time.max, tzinfo=tz)
    stories = (
        CaseStudy.objects.filter(
            status=CaseStudy.Status.PUBLISHED, published_at__gte=start, published_at__lte=end
        )
        .filter(Q(organisation_id=organisation_id) | Q(contract__organisation_id=organisation_id))
        .order_by("published_at", "pk")
    )
    return [
        StoryFigure(s.title, s.slug, s.summary, timezone.localtime(s.published_at).date())
        for s in stories
        if s.published_at is not None
    ]


def achievements_compute(
    organisation: Organisation, year: int, today: date | None = None
) -> Achievements:
    """The organisation's figures for financial year ``year``, as they stand today."""
    today = today or timezone.localdate()
    scope = kpis.Scope(frozenset({organisation.pk}), Quarter(year, 1), Quarter(year, 4))
    head = kpis.headline(scope, today)
    measure_rows = [r for r in kpis.breakdown(scope, "measure") if r.delivered > 0]
    top = measure_rows[:TOP_MEASURES]
    descriptions = _descriptions([str(r.key) for r in top])
    return Achievements(
        organisation=organisation.name,
        year=year,
        as_of=min(today, Quarter(year, 4).end),
        committed_value=head.committed_value,
        awarded_value=head.awarded_value,
        delivered_value=head.delivered_value,
        contract_spend=head.contract_spend,
        local_spend=head.local_spend,
        msme_spend=head.msme_spend,
        vcse_spend=head.vcse_spend,
        top_measures=[
            MeasureFigure(str(r.key), descriptions.get(str(r.key), ""), r.delivered) for r in top
        ],
        themes=[
            ThemeFigure(r.label, r.committed or kpis.ZERO, r.delivered)
            for r in kpis.breakdown(scope, "theme")
        ],
        case_studies=_case_studies(organisation.pk, year),
    )


# --- Snapshot: JSON inside the achievements section's body ------------------------------------

_DECIMALS = (
    "committed_value",
    "awarded_value",
    "delivered_value",
    "contract_spend",
    "local_spend",
    "msme_spend",
    "vcse_spend",
)


def _to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"Cannot store {type(value).__name__} in a snapshot")


def snapshot_json(achievements: Achievements) -> str:
    data = {"version": SNAPSHOT_VERSION, **asdict(achievements)}
    text = json.dumps(data, default=_to_json, sort_keys=True, ensure_ascii=False)
    # Never close the HTML comment early, whatever a case study's title says.
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def achievements_from_json(text: str) -> Achievements:
    data = json.loads(text)
    if data.pop("version", None) != SNAPSHOT_VERSION:
        raise ValueError("Unknown snapshot version")
    frozen = data.get("frozen_at")
    return Achievements(
        organisation=data["organisation"],
        year=int(data["year"]),
        as_of=date.fromisoformat(data["as_of"]),
        **{name: Decimal(data[name]) for name in _DECIMALS},
        top_measures=[
            MeasureFigure(m["code"], m["description"], Decimal(m["delivered"]))
            for m in data["top_measures"]
        ],
        themes=[
            ThemeFigure(t["name"], Decimal(t["committed"]), Decimal(t["delivered"]))
            for t in data["themes"]
        ],
        case_studies=[
            StoryFigure(s["title"], s["slug"], s["summary"], date.fromisoformat(s["published_on"]))
            for s in data["case_studies"]
        ],
        frozen_at=datetime.fromisoformat(frozen) if frozen else None,
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def achievements_markdown(achievements: Achievements) -> str:
    """The figures as Markdown tables, as frozen at publication."""
    a = achievements
    when = f" on {timezone.localtime(a.frozen_at):%-d %B %Y}" if a.frozen_at else ""
    lines = [
        f"### Figures for {a.financial_year}",
        "",
        f"As published{when}, for {a.organisation}, to {a.as_of:%-d %B %Y}.",
        "",
        "| Figure | Value |",
        "| --- | --- |",
        *(f"| {_cell(label)} | {value} |" for label, value in a.figure_rows()),
    ]
    if a.top_measures:
        lines += ["", "| Measure | Delivered |", "| --- | --- |"]
        lines += [
            f"| {m.code} {_cell(m.description)} | {format_gbp(m.delivered)} |"
            for m in a.top_measures
        ]
    if a.case_studies:
        lines += ["", "Case studies published:", ""]
        lines += [f"- {_cell(s.title)} ({s.published_on:%-d %B %Y})" for s in a.case_studies]
    return "\n".join(lines)


def split_achievements(body: str) -> tuple[str, Achievements | None, str]:
    """The narrative, the frozen figures (None if there is no usable snapshot) and the
    generated Markdown of an achievements section's body."""
    start = body.find(SNAPSHOT_START)
    if start < 0:
        return body.strip(), None, ""
    narrative, rest = body[:start].rstrip(), body[start:]
    match = _SNAPSHOT.match(rest)
    generated = rest[match.end() :].strip() if match else ""
    try:
        frozen = achievements_from_json(match.group(1)) if match else None
    except (ValueError, KeyError, TypeError, ArithmeticError):
        frozen = None
    return narrative, frozen, generated


def body_with_snapshot(narrative: str, achievements: Achievements) -> str:
    return (
        f"{narrative.strip()}\n\n{SNAPSHOT_START}{snapshot_json(achievements)}{SNAPSHOT_END}\n\n"
        f"{achievements_markdown(achievements)}\n"
    ).lstrip()
