"""The KPIs, worked out by hand on ``kpi_world`` (see conftest.py for every record).

Proxies: NT1 £31,285; NT18 and NT19 £1; NT14 £0.12; NT41 none.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from socialvalue.core.money import round_2dp
from socialvalue.core.quarters import Quarter
from socialvalue.insights.kpis import Ratio, Scope, breakdown, contract_spend, headline
from socialvalue.insights.tests.conftest import Q1, Q2, Q3, Q4, KpiWorld

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2025, 6, 30)  # every 2024-25 due date has passed; 2025-26 Q1's has not


def scope(
    world: KpiWorld, *orgs: str, first: Quarter = Q1, last: Quarter = Q4, **filters: Any
) -> Scope:
    ids = frozenset(getattr(world, name).pk for name in (orgs or ("council",)))
    return Scope(ids, first, last, **filters)


def rows(world: KpiWorld, dimension: str, **filters: Any) -> list[tuple[object, D | None, D]]:
    return [
        (r.label, r.committed, r.delivered) for r in breakdown(scope(world, **filters), dimension)
    ]


def r2(value: Decimal | None) -> Decimal:
    assert value is not None
    return round_2dp(value)


def close(value: Decimal, expected: Fraction) -> bool:
    """Equal to 30 decimal places: contract spend divides by a contract's days."""
    return abs(Fraction(value) - expected) < Fraction(1, 10**30)


# --- Headline, the council's 2024-25 ---------------------------------------------------------


def test_it_computes_every_headline_kpi_of_the_year(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world), today=TODAY)

    # A: NT1 2 × 31,285 = 62,570 + NT18 200,000 × 1 + NT41 10 × no proxy = 262,570;
    # B: NT14 100,000 × 0.12 = 12,000 + NT19 50,000 = 62,000; E has no targets; C began in
    # 2023-24.
    assert h.committed_value == D("324570")
    # A 1,000,000 + B 365,000 + E 3,000.
    assert h.awarded_value == D("1368000")
    # Q1 15,642.50 (A NT1 0.5) + 40,000 (A NT18) + 7,821.25 (C NT1 0.25) = 63,463.75;
    # Q2 31,285 (A NT1 1) + 0 (NT41); Q3 2,400 + 10,000; Q4 5,000. Submitted, queried and
    # rejected lines, Blackpool's D and the 2023-24 line do not count.
    assert h.delivered_value == D("112148.75")
    # A 1,000,000 × 365/730 = 500,000; B 365,000 × 182/365 = 182,000;
    # C 120,000 × 183/549 = 40,000; E 3,000 × 30/30 = 3,000.
    assert h.contract_spend == D("725000")
    assert h.committed_sv_add == D("324570") * 100 / D("1368000")
    assert r2(h.committed_sv_add) == D("23.73")  # 23.7258…
    assert r2(h.delivered_sv_add) == D("15.47")  # 112,148.75 / 725,000 = 15.4688…%
    assert h.local_spend == D("40000")  # NT18 verified; not the submitted 5,000 or queried
    assert h.msme_spend == D("15000")  # NT19 10,000 + 5,000
    assert h.vcse_spend == D("20000")  # NT14 20,000; the submitted 1,000 does not count
    assert r2(h.local_spend_percent) == D("5.52")  # 40,000 / 725,000
    assert r2(h.msme_spend_percent) == D("2.07")  # 15,000 / 725,000
    assert r2(h.vcse_spend_percent) == D("2.76")  # 20,000 / 725,000
    # Bob Q1 on time, Q2 late, Q3 never submitted, Q4 on time (on its due date); Carol Q3
    # and Q4 on time; Carol's Q2 draft does not count (she held no contract then).
    assert h.returns_on_time == Ratio(4, 6)
    # Lucy, Alice and Erin are the active staff; only Alice trained by 31 March 2025.
    assert h.officers_trained == Ratio(1, 3)
    # Q1 the council's own; Q2 Bob's about contract A; Carol's has no contract of ours.
    assert h.case_studies == {Q1: 1, Q2: 1, Q3: 0, Q4: 0}
    assert h.case_studies_total == 2
    assert h.quarters_meeting_case_study_target == 2
    # T1 £1m at 10% applies; T2 at exactly £100,000 with 0% does not; T3 is below the
    # threshold, T4 opened in 2023-24, T5 never opened.
    assert h.tenders_with_sv == Ratio(1, 2)
    assert h.tenders_with_sv.percent == D(50)


def test_it_computes_blackpool_alone_from_blackpool_records_only(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, "blackpool"), today=TODAY)

    assert h.committed_value == D("256425")  # NT1 5 × 31,285 = 156,425 + NT18 100,000
    assert h.awarded_value == D("500000")
    assert h.delivered_value == D("153855")  # NT1 3 × 31,285 = 93,855 + NT18 60,000
    assert h.contract_spend == D("500000")  # D runs the whole year
    assert h.local_spend == D("60000")
    assert h.msme_spend == h.vcse_spend == D(0)
    assert h.returns_on_time == Ratio(2, 4)  # Bob's four returns: Q1 and Q4 on time
    assert h.officers_trained == Ratio(1, 1)  # Olga
    assert h.case_studies == {Q1: 0, Q2: 0, Q3: 1, Q4: 0}
    # Blackpool's threshold is £250,000: T6 (£200,000) is below it, T7 applies 15%.
    assert h.tenders_with_sv == Ratio(1, 1)


def test_it_adds_up_a_place_without_counting_a_suppliers_return_twice(
    kpi_world: KpiWorld,
) -> None:
    h = headline(scope(kpi_world, "council", "blackpool"), today=TODAY)

    assert h.committed_value == D("580995")  # 324,570 + 256,425
    assert h.awarded_value == D("1868000")
    assert h.delivered_value == D("266003.75")  # 112,148.75 + 153,855
    assert h.contract_spend == D("1225000")
    assert h.local_spend == D("100000")
    assert h.returns_on_time == Ratio(4, 6)  # Bob's 4 returns once, Carol's 2
    assert h.officers_trained == Ratio(2, 4)
    assert h.case_studies == {Q1: 1, Q2: 1, Q3: 1, Q4: 0}
    assert h.tenders_with_sv == Ratio(2, 3)


def test_it_gives_zero_and_no_percentages_for_a_year_with_no_data(kpi_world: KpiWorld) -> None:
    first, last = Quarter(2022, 1), Quarter(2022, 4)
    h = headline(scope(kpi_world, first=first, last=last), today=TODAY)

    assert h.committed_value == h.awarded_value == h.delivered_value == D(0)
    assert h.contract_spend == D(0)  # C began on 1 April 2023
    assert h.local_spend == h.msme_spend == h.vcse_spend == D(0)
    assert h.committed_sv_add is None
    assert h.delivered_sv_add is None
    assert h.local_spend_percent is h.msme_spend_percent is h.vcse_spend_percent is None
    assert h.returns_on_time.percent is None
    assert h.officers_trained == Ratio(0, 3)  # the staff exist; nobody had trained
    assert h.officers_trained.percent == D(0)
    assert h.case_studies == dict.fromkeys([Quarter(2022, n) for n in range(1, 5)], 0)
    assert h.tenders_with_sv.percent is None
    assert [r.delivered for r in breakdown(h.scope, "quarter")] == [D(0)] * 4
    for dimension in ("theme", "organisation", "directorate", "category", "supplier"):
        assert breakdown(h.scope, dimension) == []
    assert breakdown(h.scope, "district") == []


def test_it_counts_only_returns_whose_due_date_has_passed(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world), today=date(2025, 2, 15))

    # Q4's due date (30 April 2025) is still ahead: Bob Q1 on time, Q2 late, Q3 missing;
    # Carol Q3 on time.
    assert h.returns_on_time == Ratio(2, 4)


# --- Quarter ranges and contract spend -------------------------------------------------------


def test_it_computes_a_quarter_range(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, first=Q2, last=Q3), today=TODAY)

    assert h.delivered_value == D("43685")  # Q2 31,285 + Q3 12,400
    assert h.committed_value == D("62000")  # only B started in Q2 to Q3
    assert h.awarded_value == D("365000")
    # 1 July to 31 December 2024 is 184 days; B from 1 October 92; C to 30 September 92;
    # E 1 to 10 July 10 of its 30.
    expected = (
        Fraction(1_000_000 * 184, 730)
        + Fraction(365_000 * 92, 365)
        + Fraction(120_000 * 92, 549)
        + Fraction(3_000 * 10, 30)
    )
    assert close(h.contract_spend, expected)
    assert r2(h.contract_spend) == D("365164.08")
    assert h.returns_on_time == Ratio(1, 3)  # Bob Q2 late, Q3 missing; Carol Q3 on time
    assert h.officers_trained == Ratio(1, 3)
    assert h.case_studies == {Q2: 1, Q3: 0}
    assert h.tenders_with_sv == Ratio(0, 1)  # T2 only: at the threshold, no weighting
    assert h.tenders_with_sv.percent == D(0)


def test_it_spreads_contract_spend_over_the_contracts_days(kpi_world: KpiWorld) -> None:
    spend = contract_spend(scope(kpi_world, first=Q1, last=Q1))

    # April to June 2024 is 91 days: A 91 of 730, C 91 of 549, E 20 of 30 (11 to 30 June);
    # B has not started.
    expected = Fraction(1_000_000 * 91, 730) + Fraction(120_000 * 91, 549) + 2000
    assert close(spend, expected)
    assert round_2dp(spend) == D("146548.24")  # 124,657.53… + 19,890.71… + 2,000


# --- Filters ---------------------------------------------------------------------------------


def test_it_narrows_to_a_directorate(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, directorate_id=kpi_world.adults.pk), today=TODAY)

    assert (h.committed_value, h.awarded_value) == (D("62000"), D("365000"))
    assert (h.delivered_value, h.contract_spend) == (D("17400"), D("182000"))
    assert (h.local_spend, h.msme_spend, h.vcse_spend) == (D(0), D("15000"), D("20000"))
    assert h.returns_on_time == Ratio(2, 2)  # Carol, the only supplier of Adult Services
    assert h.tenders_with_sv.percent is None  # no Adult Services tender


def test_it_narrows_to_a_supplier(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, supplier_id=kpi_world.bob.pk), today=TODAY)

    assert h.committed_value == D("262570")  # A
    assert h.delivered_value == D("94748.75")  # A 86,927.50 + C 7,821.25
    assert h.contract_spend == D("543000")  # A 500,000 + C 40,000 + E 3,000
    assert h.returns_on_time == Ratio(2, 4)
    assert h.tenders_with_sv == Ratio(1, 2)  # tenders have no supplier


def test_it_narrows_to_a_category(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, category="construction"), today=TODAY)

    assert h.delivered_value == D("7821.25")  # C NT1 0.25
    assert h.committed_value == h.awarded_value == D(0)  # C began in 2023-24
    assert h.committed_sv_add is None
    assert h.contract_spend == D("40000")


def test_it_narrows_to_a_district(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, district="E07000123"), today=TODAY)  # Preston

    assert h.delivered_value == D("60642.50")  # 15,642.50 + 40,000 + 5,000
    assert (h.local_spend, h.msme_spend, h.vcse_spend) == (D("40000"), D("5000"), D(0))
    # Targets have no district, so commitments are not narrowed.
    assert h.committed_value == D("324570")


def test_it_narrows_to_a_theme(kpi_world: KpiWorld) -> None:
    h = headline(scope(kpi_world, theme_slug="economic-prosperity"), today=TODAY)

    assert h.delivered_value == D("57400")  # 40,000 + 0 + 2,400 + 10,000 + 5,000
    assert h.committed_value == D("262000")  # 200,000 + 0 + 12,000 + 50,000
    assert h.awarded_value == D("1368000")


# --- Breakdowns ------------------------------------------------------------------------------


def test_it_breaks_down_by_theme(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "theme") == [
        ("Economic prosperity", D("262000"), D("57400")),
        ("Employment and skills", D("62570"), D("54748.75")),
    ]


def test_it_breaks_down_by_organisation(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "organisation") == [
        ("Lancashire County Council", D("324570"), D("112148.75"))
    ]
    both = breakdown(scope(kpi_world, "council", "blackpool"), "organisation")
    assert [(r.label, r.committed, r.delivered) for r in both] == [
        ("Blackpool Council", D("256425"), D("153855")),
        ("Lancashire County Council", D("324570"), D("112148.75")),
    ]


def test_it_breaks_down_by_directorate(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "directorate") == [
        # A: 15,642.50 + 40,000 + 0 + 31,285.
        ("Growth, Environment and Transport", D("262570"), D("86927.50")),
        ("Adult Services", D("62000"), D("17400")),
        ("Not set", D(0), D("7821.25")),  # C
    ]


def test_it_breaks_down_by_category(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "category") == [
        ("Highways", D("262570"), D("86927.50")),
        ("Adult social care", D("62000"), D("17400")),
        ("Construction", D(0), D("7821.25")),
    ]


def test_it_breaks_down_by_supplier(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "supplier") == [
        ("Bob's Building Ltd", D("262570"), D("94748.75")),
        ("Carol's Care CIC", D("62000"), D("17400")),
    ]


def test_it_breaks_down_by_district_without_commitments(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "district") == [
        ("Preston", None, D("60642.50")),  # 15,642.50 + 40,000 + 5,000
        ("Chorley", None, D("31285")),  # 31,285 + NT41 0
        ("Burnley", None, D("20221.25")),  # 7,821.25 + 2,400 + 10,000
    ]


def test_it_breaks_down_by_quarter_including_empty_quarters(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "quarter") == [
        ("Q1 2024-25", D("262570"), D("63463.75")),  # A started on 1 April
        ("Q2 2024-25", D(0), D("31285")),
        ("Q3 2024-25", D("62000"), D("12400")),  # B started on 1 October
        ("Q4 2024-25", D(0), D("5000")),
    ]


def test_it_breaks_down_by_measure(kpi_world: KpiWorld) -> None:
    assert rows(kpi_world, "measure") == [
        ("NT1", D("62570"), D("54748.75")),
        ("NT18", D("200000"), D("40000")),
        ("NT19", D("50000"), D("15000")),
        ("NT14", D("12000"), D("2400")),
        ("NT41", D(0), D(0)),
    ]


@pytest.mark.parametrize(
    "dimension", ["theme", "directorate", "category", "supplier", "district", "quarter"]
)
def test_it_breaks_down_to_the_headline_totals(kpi_world: KpiWorld, dimension: str) -> None:
    s = scope(kpi_world)
    h = headline(s, today=TODAY)
    parts = breakdown(s, dimension)

    assert sum((r.delivered for r in parts), D(0)) == h.delivered_value
    if dimension != "district":
        assert sum((r.committed or D(0) for r in parts), D(0)) == h.committed_value


@pytest.mark.parametrize(
    "dimension", ["theme", "organisation", "directorate", "category", "supplier", "district"]
)
def test_it_never_lets_blackpool_into_the_councils_figures(
    kpi_world: KpiWorld, dimension: str
) -> None:
    council_rows = breakdown(scope(kpi_world), dimension)
    labels = {r.label for r in council_rows}

    assert "Blackpool Council" not in labels
    assert "Blackpool" not in labels  # D's lines were all in Blackpool
    assert sum((r.delivered for r in council_rows), D(0)) == D("112148.75")
