"""The "achievements to date" of a statement, worked out by hand on ``statement_world``."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from socialvalue.accounts.models import Organisation
from socialvalue.core.money import round_2dp
from socialvalue.insights.statement_figures import (
    Achievements,
    StoryFigure,
    achievements_compute,
    achievements_from_json,
    body_with_snapshot,
    snapshot_json,
    split_achievements,
)
from socialvalue.insights.tests.statement_support import (
    YEAR,
    StatementWorld,
    statement_world,
)

__all__ = ["statement_world"]

END_OF_YEAR = date(2023, 3, 31)


@pytest.fixture
def figures(statement_world: StatementWorld, council: Organisation) -> Achievements:
    return achievements_compute(council, YEAR, today=date(2023, 6, 1))


def test_it_adds_up_the_commitments_of_contracts_awarded_in_the_year(figures: Achievements) -> None:
    # A: NT1 2 × £31,285 = £62,570 + NT18 100,000 × £1 = £162,570.
    # B: NT14 50,000 × £0.12 = £6,000 + NT19 20,000 × £1 = £26,000.
    assert figures.committed_value == Decimal("188570")
    # Awarded: £731,000 + £100,000 (Blackpool's contract D is not the council's).
    assert figures.awarded_value == Decimal("831000")
    # 188,570 ÷ 831,000 × 100 = 22.6919…%
    assert figures.committed_sv_add is not None
    assert round_2dp(figures.committed_sv_add) == Decimal("22.69")


def test_it_counts_only_verified_delivery_in_the_year(figures: Achievements) -> None:
    # NT1 (0.5 + 1) × £31,285 = £46,927.50; NT18 40,000; NT8 100 × £16.93 = £1,693;
    # NT29 50 × £1 = £50; NT14 20,000 × £0.12 = £2,400; NT19 10,000 + 5,000 = £15,000.
    # Submitted lines, Blackpool's contract and next year's line do not count.
    assert figures.delivered_value == Decimal("106070.50")
    # Spend: A £731,000 × 365/731 = £365,000; B £100,000 (all 182 days in the year).
    assert figures.contract_spend == Decimal("465000")
    # 106,070.50 ÷ 465,000 × 100 = 22.8108…%
    assert figures.delivered_sv_add is not None
    assert round_2dp(figures.delivered_sv_add) == Decimal("22.81")


def test_it_reports_local_msme_and_vcse_spend(figures: Achievements) -> None:
    assert figures.local_spend == Decimal("40000")  # NT18 verified
    assert figures.msme_spend == Decimal("15000")  # NT19 10,000 + 5,000
    assert figures.vcse_spend == Decimal("20000")  # NT14 verified; 1,000 only submitted
    # 40,000 ÷ 465,000 = 8.602…%; 15,000 ÷ 465,000 = 3.225…%; 20,000 ÷ 465,000 = 4.301…%
    assert round_2dp(figures.local_spend_percent or Decimal(0)) == Decimal("8.60")
    assert round_2dp(figures.msme_spend_percent or Decimal(0)) == Decimal("3.23")
    assert round_2dp(figures.vcse_spend_percent or Decimal(0)) == Decimal("4.30")


def test_it_lists_the_five_measures_that_delivered_most(figures: Achievements) -> None:
    # NT1 £46,927.50 > NT18 £40,000 > NT19 £15,000 > NT14 £2,400 > NT8 £1,693 > NT29 £50.
    assert [(m.code, m.delivered) for m in figures.top_measures] == [
        ("NT1", Decimal("46927.5")),
        ("NT18", Decimal("40000")),
        ("NT19", Decimal("15000")),
        ("NT14", Decimal("2400")),
        ("NT8", Decimal("1693")),
    ]
    assert figures.top_measures[0].description.startswith("No. of full time equivalent")


def test_it_lists_the_case_studies_published_in_the_year(figures: Achievements) -> None:
    # The council's own and Bob's about the council's contract; not Carol's (no council
    # contract), not next year's and not the draft.
    assert [(s.slug, s.published_on) for s in figures.case_studies] == [
        ("apprentices", date(2022, 5, 10)),
        ("gully-crews", date(2023, 2, 1)),
    ]
    assert dict(figures.figure_rows())["Case studies published"] == "2 (target 4)"


def test_it_breaks_delivery_down_by_theme(figures: Achievements) -> None:
    themes = {t.name: (t.committed, t.delivered) for t in figures.themes}
    total_delivered = sum((d for _, d in themes.values()), Decimal(0))
    total_committed = sum((c for c, _ in themes.values()), Decimal(0))
    assert total_delivered == Decimal("106070.50")
    assert total_committed == Decimal("188570")


def test_it_shows_a_year_in_progress_up_to_today(
    statement_world: StatementWorld, council: Organisation
) -> None:
    # On 31 October 2022 only Q1 and Q2 have ended; Q3's lines are verified already, but
    # the figures are as they stand, so they count.
    figures = achievements_compute(council, YEAR, today=date(2022, 10, 31))
    assert figures.as_of == date(2022, 10, 31)
    assert not figures.year_complete
    full = achievements_compute(council, YEAR, today=date(2024, 1, 1))
    assert full.as_of == END_OF_YEAR
    assert full.year_complete


def test_it_has_nothing_to_report_for_a_year_without_records(
    statement_world: StatementWorld, council: Organisation
) -> None:
    figures = achievements_compute(council, 2019, today=date(2023, 6, 1))
    assert figures.committed_value == figures.delivered_value == Decimal(0)
    assert figures.committed_sv_add is None
    assert figures.delivered_sv_add is None
    assert figures.top_measures == []
    assert figures.case_studies == []
    assert dict(figures.figure_rows())["Social Value Add delivered (% of contract spend)"] == "—"


def test_it_keeps_the_figures_exactly_in_the_snapshot(figures: Achievements) -> None:
    frozen = replace(figures, frozen_at=timezone.make_aware(datetime(2023, 6, 1, 9, 30)))
    assert achievements_from_json(snapshot_json(frozen)) == frozen


def test_it_never_closes_the_snapshot_comment_early(figures: Achievements) -> None:
    sneaky = replace(
        figures,
        case_studies=[StoryFigure("A --> B <script>", "a-b", "x -->", date(2022, 5, 1))],
    )
    body = body_with_snapshot("Narrative.", sneaky)
    narrative, frozen, generated = split_achievements(body)
    assert narrative == "Narrative."
    assert frozen is not None
    assert frozen.case_studies[0].title == "A --> B <script>"
    assert "### Figures for 2022-23" in generated


def test_it_falls_back_to_the_markdown_when_the_snapshot_is_damaged(
    figures: Achievements,
) -> None:
    body = body_with_snapshot("Narrative.", figures).replace('"year": 2022', '"year": ')
    narrative, frozen, generated = split_achievements(body)
    assert narrative == "Narrative."
    assert frozen is None
    assert "| Social value delivered and verified | £106,070.50 |" in generated
