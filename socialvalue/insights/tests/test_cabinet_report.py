"""The Cabinet report's figures, worked out by hand on ``kpi_world`` (see conftest.py).

Proxies: NT1 £31,285; NT18 and NT19 £1; NT14 £0.12; NT41 none. The report is prepared on
30 June 2025: every 2024-25 due date has passed, 2025-26 Q1's (30 July 2025) has not.

Contract profiles are even over each contract's quarters:
- A (8 quarters, 2024-25 and 2025-26): NT1 0.25, NT18 25,000 and NT41 1.25 a quarter;
- B (4 quarters from Q3 2024-25): NT14 25,000 and NT19 12,500 a quarter;
- C (6 quarters from Q1 2023-24): NT1 1 over six quarters.
"""

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.contracts.performance import Rag
from socialvalue.core.money import round_2dp
from socialvalue.core.quarters import Quarter
from socialvalue.insights.cabinet import (
    CabinetReport,
    ReportChoice,
    build_report,
    get_choice_for_user,
    get_quarter,
    latest_completed_quarter,
    quarter_from_slug,
    report_choices,
    report_quarters,
)
from socialvalue.insights.models import Kpi, KpiTarget, Place
from socialvalue.insights.tests.conftest import Q1, Q2, Q3, Q4, KpiWorld

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2025, 6, 30)


def council_choice(user: User) -> ReportChoice:
    return report_choices(user)[0]


def report(user: User, quarter: Quarter, slug: str = "") -> CabinetReport:
    choice = get_choice_for_user(user, slug) if slug else council_choice(user)
    return build_report(choice, quarter, today=TODAY)


def kpi(r: CabinetReport, title: str) -> tuple[str, str, str, str | None]:
    row = next(row for row in r.kpis if row.title == title)
    return row.quarter.value, row.year.value, row.year.target, row.year.status


# --- Whose report, which quarter -------------------------------------------------------------


def test_it_offers_alice_her_council_only(kpi_world: KpiWorld, officer_alice: User) -> None:
    choices = report_choices(officer_alice)

    assert [(c.slug, c.label) for c in choices] == [
        (kpi_world.council.slug, "Lancashire County Council")
    ]


def test_it_offers_the_place_lead_the_place_then_each_member(
    kpi_world: KpiWorld, lead_lucy: User, greater_lancashire: Place
) -> None:
    choices = report_choices(lead_lucy)

    assert [c.slug for c in choices] == [
        "place-greater-lancashire",
        kpi_world.council.slug,
        kpi_world.blackpool.slug,
    ]
    assert choices[0].option.ids == {kpi_world.council.pk, kpi_world.blackpool.pk}


def test_it_offers_all_when_no_place_covers_everything(
    kpi_world: KpiWorld, lead_lucy: User, greater_lancashire: Place
) -> None:
    greater_lancashire.members.remove(kpi_world.council)

    assert [c.slug for c in report_choices(lead_lucy)][:2] == ["all", "place-greater-lancashire"]


def test_it_lists_completed_quarters_since_the_first_contract_newest_first(
    kpi_world: KpiWorld,
) -> None:
    quarters = report_quarters(frozenset({kpi_world.council.pk}), today=TODAY)

    # Contract C started on 1 April 2023; Q1 2025-26 has not ended on 30 June 2025.
    assert quarters[0] == Q4 == latest_completed_quarter(TODAY)
    assert quarters[-1] == Quarter(2023, 1)
    assert len(quarters) == 8


def test_it_lists_just_the_latest_quarter_without_contracts(officer_olga: User) -> None:
    assert officer_olga.organisation_id is not None
    assert report_quarters(frozenset({officer_olga.organisation_id}), today=TODAY) == [Q4]


@pytest.mark.parametrize("slug", ["2025-q5", "2025-q0", "25-q1", "2025q1", "２０２５-q1", ""])
def test_it_reads_no_quarter_from_a_bad_slug(slug: str) -> None:
    assert quarter_from_slug(slug) is None


def test_it_has_no_report_for_a_quarter_that_has_not_started() -> None:
    from django.http import Http404

    assert get_quarter("2025-q1", today=TODAY) == Quarter(2025, 1)  # under way
    with pytest.raises(Http404):
        get_quarter("2025-q2", today=TODAY)


# --- The figures -----------------------------------------------------------------------------


def test_it_gives_the_quarter_and_the_year_to_date(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Q3)

    # Q3: Carol's B NT14 20,000 × 0.12 = 2,400 + NT19 10,000 = 12,400.
    assert r.quarter_headline.delivered_value == D("12400")
    # Q1 63,463.75 + Q2 31,285 + Q3 12,400.
    assert r.year_headline.delivered_value == D("107148.75")
    # B started in Q3: NT14 12,000 + NT19 50,000; by Q3 A (262,570) and E (none) too.
    assert r.quarter_headline.committed_value == D("62000")
    assert r.year_headline.committed_value == D("324570")
    assert kpi(r, Kpi.DELIVERED_VALUE.label) == ("£12,400.00", "£107,148.75", "", None)
    assert kpi(r, Kpi.COMMITTED_VALUE.label)[:2] == ("£62,000.00", "£324,570.00")
    # 62,000 / 365,000 = 16.986…%; 324,570 / 1,368,000 = 23.725…%.
    assert kpi(r, Kpi.COMMITTED_SV_ADD.label)[:2] == ("16.99%", "23.73%")
    assert r.year_to_date == "Q1 2024-25 to Q3 2024-25"
    assert not r.targets_set


def test_it_judges_the_year_to_date_against_the_years_targets(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    for name, target in [
        (Kpi.DELIVERED_VALUE, "100000"),
        (Kpi.RETURNS_ON_TIME, "80"),
        (Kpi.COMMITTED_VALUE, "400000"),
    ]:
        KpiTarget.objects.create(
            organisation=kpi_world.council, year=2024, kpi=name, target=D(target)
        )

    q3, q4 = report(officer_alice, Q3), report(officer_alice, Q4)

    assert q3.targets_set
    # 107,148.75 by Q3 is above the year's £100,000.
    assert kpi(q3, Kpi.DELIVERED_VALUE.label)[2:] == ("£100,000.00", "met")
    # A sum below its target is "not met yet" until the year is over…
    assert kpi(q3, Kpi.COMMITTED_VALUE.label)[2:] == ("£400,000.00", "not_yet")
    # …and below it once the year has ended.
    assert kpi(q4, Kpi.COMMITTED_VALUE.label)[2:] == ("£400,000.00", "below")
    # Returns: Bob Q1 on time, Q2 late, Q3 never (due 30 January); Carol Q3 on time: 2 of 4.
    assert kpi(q3, Kpi.RETURNS_ON_TIME.label) == ("50.00%", "50.00%", "80.00%", "below")


def test_it_breaks_the_year_to_date_down_by_theme(kpi_world: KpiWorld, officer_alice: User) -> None:
    r = report(officer_alice, Q4)

    assert [(row.label, row.committed, row.delivered) for row in r.themes.rows] == [
        # NT18 200,000 + NT41 (no proxy) + NT14 12,000 + NT19 50,000 committed;
        # NT18 40,000 + NT14 2,400 + NT19 10,000 + 5,000 delivered.
        ("Economic prosperity", D("262000"), D("57400")),
        # A's NT1 2 × 31,285 committed; A 0.5 + 1 and C 0.25 FTE delivered.
        ("Employment and skills", D("62570"), D("54748.75")),
    ]
    assert r.themes.delivered_total == D("112148.75")


def test_it_shows_the_trend_over_the_last_two_years_from_the_first_contract(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Q4)

    assert [(row.label, row.committed, row.delivered) for row in r.trend.rows] == [
        ("Q1 2023-24", D("31285"), D(0)),  # C started
        ("Q2 2023-24", D(0), D(0)),
        ("Q3 2023-24", D(0), D(0)),
        ("Q4 2023-24", D(0), D("15642.5")),  # C NT1 0.5
        ("Q1 2024-25", D("262570"), D("63463.75")),  # A (and E) started
        ("Q2 2024-25", D(0), D("31285")),
        ("Q3 2024-25", D("62000"), D("12400")),  # B started
        ("Q4 2024-25", D(0), D("5000")),
    ]
    assert report(officer_alice, Q1).trend_period == "Q1 2023-24 to Q1 2024-25"


def test_it_ranks_the_contracts_that_delivered_most_in_the_quarter(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Q1)

    assert [
        (t.contract.reference, t.delivered_in_quarter, t.delivered_in_year) for t in r.top_contracts
    ] == [
        ("LCC-A", D("55642.5"), D("55642.5")),  # NT1 0.5 × 31,285 + NT18 40,000
        ("LCC-C", D("7821.25"), D("7821.25")),  # NT1 0.25 × 31,285
    ]
    q4 = report(officer_alice, Q4)
    # Only B delivered in Q4 (NT19 5,000); 17,400 over the year.
    assert [(t.contract.reference, t.delivered_in_year) for t in q4.top_contracts] == [
        ("LCC-B", D("17400"))
    ]


def test_it_ranks_a_places_contracts_together(
    kpi_world: KpiWorld, lead_lucy: User, greater_lancashire: Place
) -> None:
    r = report(lead_lucy, Q1, "place-greater-lancashire")

    # Blackpool's D: NT1 3 × 31,285 = 93,855.
    assert [(t.contract.reference, t.delivered_in_quarter) for t in r.top_contracts] == [
        ("BPC-D", D("93855")),
        ("LCC-A", D("55642.5")),
        ("LCC-C", D("7821.25")),
    ]
    assert r.several_organisations


def test_it_lists_red_and_amber_contracts_the_furthest_behind_first(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Q4)

    rows = [
        (row.contract.reference, row.performance.rag, round_2dp(row.performance.percent or D(0)))
        for row in r.exceptions
    ]
    assert rows == [
        # B: due Q3 and Q4, NT14 50,000 × 0.12 = 6,000 + NT19 25,000 = 31,000; delivered
        # 2,400 + 15,000 = 17,400: 56.13%.
        ("LCC-B", Rag.RED, D("56.13")),
        # A: due four quarters, NT1 1 × 31,285 + NT18 100,000 = 131,285; delivered NT1 1.5
        # = 46,927.50 + NT18 40,000 = 86,927.50: 66.21%.
        ("LCC-A", Rag.RED, D("66.21")),
        # C: all six quarters due, NT1 1 = 31,285; delivered 0.75 = 23,463.75: 75%.
        ("LCC-C", Rag.AMBER, D("75.00")),
    ]
    assert (r.red_count, r.amber_count) == (2, 1)
    # B had not started by the end of Q1, and an ended contract is no exception.
    assert [row.contract.reference for row in report(officer_alice, Q1).exceptions] == [
        "LCC-A",
        "LCC-C",
    ]
    Contract.objects.filter(pk=kpi_world.c.pk).update(status=Contract.Status.ENDED)
    assert "LCC-C" not in [row.contract.reference for row in report(officer_alice, Q4).exceptions]


def test_it_lists_overdue_returns_up_to_the_quarter_oldest_first(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Q4)

    assert [
        (late.supplier.name, late.period.short_label, [c.reference for c in late.contracts])
        for late in r.overdue
    ] == [
        # C ran from April 2023; Bob sent no return for its first three quarters.
        ("Bob's Building Ltd", "Q1 2023-24", ["LCC-C"]),
        ("Bob's Building Ltd", "Q2 2023-24", ["LCC-C"]),
        ("Bob's Building Ltd", "Q3 2023-24", ["LCC-C"]),
        # Bob's Q3 2024-25 return is still a draft (A only: C and E had ended).
        ("Bob's Building Ltd", "Q3 2024-25", ["LCC-A"]),
    ]
    # Due 30 January 2025: 1 + 28 + 31 + 30 + 31 + 30 days to 30 June.
    assert r.overdue[-1].days_overdue == 151
    # Q2's report stops at Q2: Bob's Q3 return is not part of it.
    assert [late.period.short_label for late in report(officer_alice, Q2).overdue] == [
        "Q1 2023-24",
        "Q2 2023-24",
        "Q3 2023-24",
    ]


def test_it_keeps_blackpools_report_to_blackpools_records(
    kpi_world: KpiWorld, officer_olga: User
) -> None:
    r = report(officer_olga, Q2)

    assert r.choice.slug == kpi_world.blackpool.slug
    assert r.year_headline.delivered_value == D("153855")  # D: 93,855 + 60,000
    assert [t.contract.reference for t in r.top_contracts] == ["BPC-D"]
    assert all(row.contract.organisation_id == kpi_world.blackpool.pk for row in r.exceptions)
    assert {c.organisation_id for late in r.overdue for c in late.contracts} <= {
        kpi_world.blackpool.pk
    }


def test_it_gives_empty_sections_for_a_quarter_with_no_data(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    r = report(officer_alice, Quarter(2020, 2))

    assert not r.has_data
    assert r.quarter_headline.delivered_value == r.year_headline.delivered_value == D(0)
    assert r.themes.is_empty
    assert [row.label for row in r.trend.rows] == ["Q2 2020-21"]
    assert r.trend.is_empty
    assert r.top_contracts == r.exceptions == r.overdue == []
    assert kpi(r, Kpi.DELIVERED_SV_ADD.label)[:2] == ("No data", "No data")
