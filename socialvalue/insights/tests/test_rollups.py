"""The delivered rollup stays equal to the lines through every change, worked out by hand on
``kpi_world`` (see conftest.py).

The council's 2024-25 delivered value starts at £112,148.75: Q1 63,463.75 (A NT1 0.5 =
15,642.50, A NT18 40,000, C NT1 0.25 = 7,821.25), Q2 31,285 (A NT1 1; A NT41 4 is not
monetised), Q3 12,400 (B NT14 20,000 × 0.12 = 2,400, B NT19 10,000), Q4 5,000 (B NT19).
Waiting: A NT18 5,000 submitted (Q1), A NT18 30,000 queried (Q2), B NT14 1,000 submitted
(Q4).
"""

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Return, ReturnLine
from socialvalue.contracts.returns import line_answer, line_query, line_reject, line_verify
from socialvalue.contracts.services import contract_update
from socialvalue.insights import kpis, rollups
from socialvalue.insights.models import DeliveredRollup
from socialvalue.insights.tests.conftest import Q1, Q2, Q3, Q4, KpiWorld

pytestmark = pytest.mark.django_db

D = Decimal
DIMENSIONS = list(kpis.LINE_DIMENSIONS)


def council_year(world: KpiWorld, **filters: Any) -> kpis.Scope:
    return kpis.Scope(frozenset({world.council.pk}), Q1, Q4, **filters)


def from_lines(scope: kpis.Scope, dimension: str | None) -> dict[object, Decimal]:
    """The figure straight from the verified lines, as without the rollup."""
    field = kpis.LINE_DIMENSIONS[dimension] if dimension else None
    return kpis._grouped_values(kpis.verified_lines(scope), field)


def assert_rollup_matches_lines(world: KpiWorld) -> None:
    for organisations in ({world.council.pk}, {world.blackpool.pk}, set()):
        for theme in ("", "economic-prosperity"):
            scope = kpis.Scope(frozenset(organisations), Q1, Q4, theme_slug=theme)
            assert kpis.uses_rollup(scope)
            assert kpis.delivered_value(scope) == from_lines(scope, None).get(None, 0)
            for dimension in DIMENSIONS:
                assert kpis.delivered_by(scope, dimension) == from_lines(scope, dimension)
            for code in (kpis.LOCAL_CODE, kpis.MSME_CODE, kpis.VCSE_CODE):
                lines = kpis.verified_lines(scope).filter(measure__code=code)
                expected = sum((line.quantity for line in lines), D(0))
                assert kpis.spend_by_code(scope, code) == expected


def line(world: KpiWorld, contract: str, code: str, status: str) -> ReturnLine:
    return ReturnLine.objects.get(
        contract=getattr(world, contract), measure__code=code, status=status
    )


def test_it_reads_delivered_figures_from_the_rollup_when_the_scope_allows(
    kpi_world: KpiWorld,
) -> None:
    assert kpis.uses_rollup(council_year(kpi_world))
    assert kpis.uses_rollup(council_year(kpi_world, theme_slug="economic-prosperity"))
    assert not kpis.uses_rollup(council_year(kpi_world, district="E07000123"))
    assert not kpis.uses_rollup(council_year(kpi_world, supplier_id=kpi_world.bob.pk))
    assert not kpis.uses_rollup(council_year(kpi_world, category="highways"))
    assert not kpis.uses_rollup(council_year(kpi_world, directorate_id=kpi_world.growth.pk))
    assert DeliveredRollup.objects.filter(lines__gt=0).exists()


def test_it_starts_equal_to_the_lines(kpi_world: KpiWorld) -> None:
    assert kpis.delivered_value(council_year(kpi_world)) == D("112148.75")
    assert_rollup_matches_lines(kpi_world)


def test_it_follows_verify_query_answer_and_reject(
    kpi_world: KpiWorld, officer_alice: User, supplier_bob: User
) -> None:
    scope = council_year(kpi_world)

    line_verify(line(kpi_world, "a", "NT18", ReturnLine.Status.SUBMITTED), by=officer_alice)
    assert kpis.delivered_value(scope) == D("117148.75")  # + A NT18 5,000 in Q1
    assert kpis.spend_by_code(scope, kpis.LOCAL_CODE) == D("45000")

    queried = line(kpi_world, "a", "NT18", ReturnLine.Status.QUERIED)
    line_answer(queried, by=supplier_bob, message="Invoices attached.")
    assert kpis.delivered_value(scope) == D("117148.75")  # awaiting again: no change
    line_verify(queried, by=officer_alice)
    assert kpis.delivered_value(scope) == D("147148.75")  # + A NT18 30,000 in Q2

    rejected = line(kpi_world, "b", "NT14", ReturnLine.Status.SUBMITTED)
    line_reject(rejected, by=officer_alice, message="No evidence of the spend.")
    assert kpis.delivered_value(scope) == D("147148.75")

    by_quarter = {r.key: r.delivered for r in kpis.breakdown(scope, "quarter")}
    assert by_quarter == {
        Q1: D("68463.75"),
        Q2: D("61285"),
        Q3: D("12400"),
        Q4: D("5000"),
    }
    assert_rollup_matches_lines(kpi_world)


def test_it_does_not_count_a_line_queried_instead_of_verified(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    waiting = line(kpi_world, "a", "NT18", ReturnLine.Status.SUBMITTED)
    line_query(waiting, by=officer_alice, message="Which invoices?")

    assert kpis.delivered_value(council_year(kpi_world)) == D("112148.75")
    assert_rollup_matches_lines(kpi_world)


def test_it_follows_a_verified_line_changed_or_deleted_by_any_path(kpi_world: KpiWorld) -> None:
    scope = council_year(kpi_world)
    verified = line(kpi_world, "a", "NT18", ReturnLine.Status.VERIFIED)

    # A correction straight in the database (a data fix): the triggers still see it.
    ReturnLine.objects.filter(pk=verified.pk).update(quantity=D("40000.5"))
    assert kpis.delivered_value(scope) == D("112149.25")
    ReturnLine.objects.filter(pk=verified.pk).update(district="E07000117")  # to Burnley
    by_district = kpis.delivered_by(scope, "district")
    # Preston keeps A NT1 0.5 = 15,642.50 and B NT19 5,000.
    assert by_district["E07000123"] == D("20642.50")
    # Burnley: C NT1 0.25 = 7,821.25 + A NT18 40,000.5 + B 2,400 + 10,000.
    assert by_district["E07000117"] == D("60221.75")
    ReturnLine.objects.filter(pk=verified.pk).update(status=ReturnLine.Status.QUERIED)
    assert kpis.delivered_value(scope) == D("72148.75")

    ReturnLine.objects.filter(pk=verified.pk).update(status=ReturnLine.Status.VERIFIED)
    verified.refresh_from_db()
    verified.delete()
    assert kpis.delivered_value(scope) == D("72148.75")
    assert_rollup_matches_lines(kpi_world)


def test_it_sums_the_largest_quantities_exactly(kpi_world: KpiWorld) -> None:
    """Quantities of 15 digits are whole millionths below 2^53, so even SQLite's floats
    turn them into exact integers, and cells sum them exactly."""
    largest = D("999999999.999999")
    nt18 = line(kpi_world, "a", "NT18", ReturnLine.Status.VERIFIED)  # was 40,000 at £1
    nt1 = ReturnLine.objects.get(
        contract=kpi_world.a, measure__code="NT1", status="verified", quantity=D("0.5")
    )  # was 0.5 FTE at £31,285 = £15,642.50
    ReturnLine.objects.filter(pk__in=[nt18.pk, nt1.pk]).update(quantity=largest)
    # 112,148.75 − 40,000 − 15,642.50 + 999,999,999.999999 + 999,999,999.999999 × 31,285
    assert kpis.delivered_value(council_year(kpi_world)) == D("31286000056506.218714")
    assert kpis.spend_by_code(council_year(kpi_world), kpis.LOCAL_CODE) == largest
    assert_rollup_matches_lines(kpi_world)


def test_it_drops_the_lines_of_a_deleted_return(kpi_world: KpiWorld) -> None:
    Return.objects.get(supplier=kpi_world.bob, period__year=2024, period__number=1).delete()

    # Q1's 63,463.75 goes; Blackpool loses D NT1 3 = 93,855 and keeps D NT18 60,000.
    assert kpis.delivered_value(council_year(kpi_world)) == D("48685")
    blackpool = kpis.Scope(frozenset({kpi_world.blackpool.pk}), Q1, Q4)
    assert kpis.delivered_value(blackpool) == D("60000")
    assert_rollup_matches_lines(kpi_world)


def test_it_moves_a_contracts_delivery_when_its_directorate_or_category_changes(
    kpi_world: KpiWorld,
) -> None:
    scope = council_year(kpi_world)
    before = kpis.delivered_by(scope, "directorate")
    # A: 15,642.50 + 40,000 + 31,285 = 86,927.50; B: 2,400 + 10,000 + 5,000 = 17,400.
    assert before[kpi_world.growth.pk] == D("86927.50")
    assert before[kpi_world.adults.pk] == D("17400")

    contract_update(kpi_world.a, directorate=kpi_world.adults, service_area=None, category="ict")

    after = kpis.delivered_by(scope, "directorate")
    assert kpi_world.growth.pk not in after
    assert after[kpi_world.adults.pk] == D("104327.50")
    assert kpis.delivered_by(scope, "category")["ict"] == D("86927.50")
    assert "highways" not in kpis.delivered_by(scope, "category")
    assert_rollup_matches_lines(kpi_world)


def test_it_rebuilds_the_rollup_from_the_lines(kpi_world: KpiWorld) -> None:
    fields = ("kind", "year", "period_id", "organisation", "measure", "item", "micro_units")
    cells = set(DeliveredRollup.objects.filter(lines__gt=0).values_list(*fields))
    DeliveredRollup.objects.all().delete()
    assert kpis.delivered_value(council_year(kpi_world)) == 0

    out = StringIO()
    call_command("rebuild_rollups", stdout=out)

    assert kpis.delivered_value(council_year(kpi_world)) == D("112148.75")
    rebuilt = set(DeliveredRollup.objects.values_list(*fields))
    assert rebuilt == cells
    assert out.getvalue().strip() == f"Rebuilt the delivered rollup: {len(rebuilt)} cells."
    assert_rollup_matches_lines(kpi_world)


def test_it_reinstalls_the_triggers_idempotently(kpi_world: KpiWorld, officer_alice: User) -> None:
    rollups.install()
    rollups.install()

    line_verify(line(kpi_world, "b", "NT14", ReturnLine.Status.SUBMITTED), by=officer_alice)
    # + B NT14 1,000 × 0.12 in Q4, counted once.
    assert kpis.delivered_value(council_year(kpi_world)) == D("112268.75")
    assert connection.vendor in rollups.SUPPORTED
    assert_rollup_matches_lines(kpi_world)


def test_it_reinstalls_missing_triggers_after_a_migration(
    kpi_world: KpiWorld, officer_alice: User
) -> None:
    assert rollups.installed_triggers() == set(rollups.TRIGGERS)
    assert not rollups.ensure_installed()
    # As when SQLite rebuilds the return line table in a migration.
    with connection.cursor() as cursor:
        cursor.execute(rollups.drop_triggers_sql(connection.vendor)[0])
    assert rollups.installed_triggers() == set(rollups.TRIGGERS) - {rollups.TRIGGERS[0]}

    # As a post_migrate receiver: called with the database alias.
    assert rollups.ensure_installed(using="default", app_config=None, verbosity=0)

    assert rollups.installed_triggers() == set(rollups.TRIGGERS)
    assert kpis.delivered_value(council_year(kpi_world)) == D("112148.75")
    line_verify(line(kpi_world, "a", "NT18", ReturnLine.Status.SUBMITTED), by=officer_alice)
    assert kpis.delivered_value(council_year(kpi_world)) == D("117148.75")
