"""The demonstration insight data: Greater Lancashire, training, targets and a statement."""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.bootstrap.demo import demo_load
from socialvalue.bootstrap.demo.insights import COUNCIL_TARGETS, PLACE_TARGETS, insights_demo
from socialvalue.core.quarters import quarter_of
from socialvalue.framework.services import framework_default_ensure
from socialvalue.insights import kpis
from socialvalue.insights.models import (
    KpiTarget,
    Place,
    Statement,
    StatementSection,
    TrainingCompletion,
    TrainingCourse,
)
from socialvalue.insights.services import kpi_target_set
from socialvalue.insights.tests.conftest import main_of

pytestmark = pytest.mark.django_db

COUNCIL = "Lancashire County Council"


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The whole demo and this step, twice; loaded once for a class and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        framework_default_ensure()
        demo_load()
        insights_demo()
        insights_demo()
        yield
        transaction.set_rollback(True)


def _counts() -> tuple[int, ...]:
    return (
        Place.objects.count(),
        Place.members.through.objects.count(),
        TrainingCourse.objects.count(),
        TrainingCompletion.objects.count(),
        KpiTarget.objects.count(),
        KpiTarget.history.count(),
        Statement.objects.count(),
        StatementSection.objects.count(),
        StatementSection.history.count(),
    )


def _this_year() -> int:
    return quarter_of(timezone.localdate()).year


@pytest.mark.usefixtures("demo")
class TestTheInsightDemo:
    def test_it_loads_twice_without_duplicates(self) -> None:
        first = _counts()
        insights_demo()
        assert _counts() == first
        # 1 place of 2 members; 3 courses with 7 completions; 11 + 7 targets, each saved
        # once; 1 statement of 7 sections, each created then written.
        assert first == (1, 2, 3, 7, 18, 18, 1, 7, 14)

    def test_it_sets_up_greater_lancashire_led_by_the_council(self) -> None:
        place = Place.objects.get()
        assert (place.name, place.slug, place.is_public) == (
            "Greater Lancashire",
            "greater-lancashire",
            True,
        )
        assert place.lead_organisation.name == COUNCIL
        assert sorted(place.members.values_list("name", flat=True)) == [
            "Blackpool Council",
            COUNCIL,
        ]

    def test_it_records_training_for_the_demo_staff(self) -> None:
        today = timezone.localdate()
        courses = {
            c.title: (c.organisation.name, c.kind)
            for c in TrainingCourse.objects.select_related("organisation")
        }
        assert courses == {
            "TOMs Academy: social value in procurement": (COUNCIL, "toms_academy"),
            "Lunch and learn: verifying quarterly returns": (COUNCIL, "lunch_and_learn"),
            "Lunch and learn: the Lancashire TOMs": ("Blackpool Council", "lunch_and_learn"),
        }
        trained = set(TrainingCompletion.objects.values_list("user__email", flat=True))
        assert trained == {
            "lead@lancashire.example",
            "officer@lancashire.example",
            "officer2@lancashire.example",
            "evaluator@lancashire.example",
            "officer@blackpool.example",
        }
        days = TrainingCompletion.objects.values_list("completed_on", flat=True)
        assert all(today - timedelta(days=400) <= day <= today for day in days)
        # Every completion is of the officer's own organisation's course.
        for completion in TrainingCompletion.objects.select_related("course", "user"):
            assert completion.user.organisation_id == completion.course.organisation_id

    def test_it_sets_this_years_targets_for_the_council_and_the_place(self) -> None:
        year = _this_year()
        council = dict(
            KpiTarget.objects.filter(year=year, organisation__name=COUNCIL).values_list(
                "kpi", "target"
            )
        )
        place = dict(
            KpiTarget.objects.filter(year=year, place__slug="greater-lancashire").values_list(
                "kpi", "target"
            )
        )
        assert council == {k: Decimal(v) for k, v in COUNCIL_TARGETS.items()}
        assert place == {k: Decimal(v) for k, v in PLACE_TARGETS.items()}
        assert council["committed_value"] == Decimal("2500000.00")
        assert place["case_studies"] == Decimal("2.00")
        assert not KpiTarget.objects.exclude(year=year).exists()
        lead = User.objects.get(email="lead@lancashire.example")
        assert set(KpiTarget.history.values_list("history_user", flat=True)) == {lead.pk}

    def test_it_drafts_last_years_statement_with_every_section_written(self) -> None:
        statement = Statement.objects.get()
        assert statement.organisation.name == COUNCIL
        assert statement.year == _this_year() - 1
        assert statement.status == Statement.Status.DRAFT
        sections = {s.key: s.body for s in statement.sections.all()}
        assert set(sections) == set(StatementSection.Key.values)
        assert all(body.strip() for body in sections.values())

    def test_it_keeps_what_the_lead_changed_since(self) -> None:
        lead = User.objects.get(email="lead@lancashire.example")
        assert lead.organisation is not None
        kpi_target_set(
            by=lead,
            kpi="delivered_value",
            year=_this_year(),
            target=Decimal("1750000"),
            organisation=lead.organisation,
        )
        insights_demo()
        kept = KpiTarget.objects.get(
            kpi="delivered_value", year=_this_year(), organisation=lead.organisation
        )
        assert kept.target == Decimal("1750000.00")

    def test_it_trains_every_member_of_the_councils_staff(self) -> None:
        council_id = Place.objects.get().lead_organisation_id
        current = quarter_of(timezone.localdate())
        ratio = kpis.officers_trained(kpis.Scope(frozenset({council_id}), current, current))
        assert ratio.numerator == ratio.denominator > 0

    def test_it_gives_the_public_page_figures(self) -> None:
        response = Client().get(reverse("insights:in_numbers"))
        assert response.status_code == 200
        body = main_of(response)
        assert "Greater Lancashire in numbers" in body
        assert "Lancashire County Council (lead)" in body
        assert "No social value was committed or delivered" not in body

    def test_it_gives_the_dashboard_figures_against_targets(self) -> None:
        client = Client()
        client.force_login(User.objects.get(email="lead@lancashire.example"))
        response = client.get(reverse("insights:dashboard"))
        assert response.status_code == 200
        body = main_of(response)
        assert "All of Greater Lancashire" in body
        assert "Target: £3,000,000.00" in body  # the place's committed value target


def test_it_is_registered_once_as_a_demo_step() -> None:
    from socialvalue.bootstrap import demo

    assert demo.DEMO_STEPS.count(insights_demo) == 1
