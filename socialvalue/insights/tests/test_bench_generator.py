"""The Greater Lancashire benchmark's data generator, at its small scale, and the check that
the dashboard's figures equal DuckDB's on the same rows."""

from collections import Counter
from datetime import date

import pytest

from benchmarks import greater_lancashire as gl
from socialvalue.accounts.models import Directorate, Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.core.quarters import Quarter, quarters_between
from socialvalue.insights import kpis
from socialvalue.insights.dashboard import build_dashboard, organisation_options
from socialvalue.insights.models import DeliveredRollup, Place

pytestmark = pytest.mark.django_db

SCALE = gl.SMALL  # 3 buyers, 6 suppliers, 12 contracts, the four quarters of 2025-26


@pytest.fixture
def data() -> gl.Dataset:
    return gl.build(SCALE)


def test_it_writes_the_organisations_staff_and_the_place(data: gl.Dataset) -> None:
    assert Organisation.objects.filter(kind=Organisation.Kind.BUYER).count() == 3
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 6
    assert Directorate.objects.count() == 3 * len(gl.DIRECTORATES)
    assert User.objects.count() == 3 * len(gl.STAFF_ROLES)
    place = Place.objects.get()
    assert place.lead_organisation.name == "Lancashire County Council"
    assert place.members.count() == 3


def test_it_writes_every_generated_row(data: gl.Dataset) -> None:
    assert Contract.objects.count() == len(data.contracts) == 12
    assert Target.objects.count() == len(data.targets)
    assert 12 * 3 <= len(data.targets) <= 12 * 8
    assert TargetQuarter.objects.count() == len(data.target_quarters)
    assert Return.objects.count() == len(data.returns)
    assert ReturnLine.objects.count() == len(data.lines)
    # About the scale's 400 lines: each contract-quarter gets 0 to twice the mean.
    assert 200 <= len(data.lines) <= 600


def test_it_reports_over_the_scales_quarters_with_periods_for_every_contract(
    data: gl.Dataset,
) -> None:
    quarters = {Quarter(y, n) for y, n in ReportingPeriod.objects.values_list("year", "number")}
    reported = Return.objects.values_list("period__year", "period__number").distinct()
    assert {Quarter(y, n) for y, n in reported} == {Quarter(2025, n) for n in range(1, 5)}
    for start, end in Contract.objects.values_list("start_date", "end_date"):
        assert end > start
        assert set(quarters_between(start, end)) <= quarters
    # Every target's profile adds up to the target.
    for target in Target.objects.prefetch_related("quarters"):
        assert sum(q.quantity for q in target.quarters.all()) == target.quantity


def test_it_mixes_line_states_mostly_verified(data: gl.Dataset) -> None:
    states = Counter(ReturnLine.objects.values_list("status", flat=True))
    assert states[ReturnLine.Status.VERIFIED] > len(data.lines) / 2
    assert set(states) <= {s.value for s in ReturnLine.Status}
    # A return never submitted keeps its lines as drafts, and only then.
    drafts = ReturnLine.objects.filter(status=ReturnLine.Status.DRAFT)
    assert not drafts.exclude(return_record__status=Return.Status.DRAFT).exists()


def test_it_generates_the_same_rows_from_the_same_seed(data: gl.Dataset) -> None:
    again = gl.generate(SCALE, data.reference)
    assert again.lines == data.lines
    assert again.contracts == data.contracts
    other = gl.generate(SCALE, data.reference, seed=gl.SEED + 1)
    assert other.lines != data.lines


def test_it_leaves_the_rollup_equal_to_the_lines(data: gl.Dataset) -> None:
    assert DeliveredRollup.objects.exists()
    everyone = frozenset(b for b, _ in data.reference.buyers)
    scope = kpis.Scope(everyone, Quarter(2025, 1), Quarter(2025, 4))
    assert kpis.uses_rollup(scope)
    lines = kpis._grouped_values(kpis.verified_lines(scope), None)
    assert kpis.delivered_value(scope) == lines[None] > 0
    for dimension, field in kpis.LINE_DIMENSIONS.items():
        expected = kpis._grouped_values(kpis.verified_lines(scope), field)
        assert kpis.delivered_by(scope, dimension) == expected


def test_the_benchmark_checks_the_dashboard_against_duckdb(data: gl.Dataset) -> None:
    pytest.importorskip("duckdb")
    from benchmarks import bench_dashboard as bench

    db = bench.duckdb_load(data)
    lead = User.objects.get(organisation_id=data.reference.buyers[0][0], role=User.Role.LEAD)
    option = organisation_options(lead)[0]
    assert option.ids == frozenset(b for b, _ in data.reference.buyers)
    scope = kpis.Scope(option.ids, Quarter(2025, 1), Quarter(2025, 4))
    board = build_dashboard(scope, option, today=SCALE.today)
    duck = bench.DuckFigures(db, scope, SCALE.today).compute()
    periods = {p.pk: p.quarter for p in ReportingPeriod.objects.all()}

    bench._check(board, duck, periods)  # raises on any difference
    assert board.headline.delivered_value > 0
    assert board.headline.returns_on_time.denominator > 0
    assert SCALE.today > date(2026, 4, 30)
