"""The demonstration case studies."""

from datetime import datetime

import pytest
from django.utils import timezone

from socialvalue.bootstrap import demo
from socialvalue.bootstrap.demo.accounts import load_organisations_and_users
from socialvalue.bootstrap.demo.stories import _published_at, _quarter_start, stories_demo
from socialvalue.framework.models import FrameworkVersion
from socialvalue.stories.models import CaseStudy

pytestmark = pytest.mark.django_db


def test_it_is_registered_once_as_a_demo_step() -> None:
    assert demo.DEMO_STEPS.count(stories_demo) == 1


def test_it_finds_the_start_of_each_quarter() -> None:
    london = timezone.get_current_timezone()
    moment = datetime(2026, 11, 26, 16, 0, tzinfo=london)
    starts = [_quarter_start(moment, back).date().isoformat() for back in range(5)]
    assert starts == ["2026-10-01", "2026-07-01", "2026-04-01", "2026-01-01", "2025-10-01"]
    assert _published_at(moment, 0) == datetime(2026, 10, 29, 13, 0, tzinfo=london)
    assert _published_at(moment, 1).date().isoformat() == "2026-07-31"


def test_it_publishes_one_case_study_a_quarter_and_leaves_one_waiting_and_one_draft(
    toms: FrameworkVersion,
) -> None:
    load_organisations_and_users()
    stories_demo()
    stories_demo()

    published = CaseStudy.objects.filter(status="published").order_by("-published_at")
    assert [cs.title for cs in published] == [
        "Befriending keeps older people in Pendle connected",
        "Six local apprentices join the Hyndburn highways crews",
        "Office furniture finds a second life in community groups",
        "Staff volunteers plant a community orchard in Lancaster",
    ]
    befriending = published.get(title="Befriending keeps older people in Pendle connected")
    assert befriending.contract is not None
    assert befriending.contract.reference == "LCC-2025-044"
    assert [(f.label, f.unit) for f in befriending.figures.all()] == [
        ("Older people matched with a befriender", ""),
        ("Volunteering", "hours"),
        ("Said they felt less lonely", "%"),
    ]
    quarters = {
        (cs.published_at.year, (cs.published_at.month - 1) // 3)  # type: ignore[union-attr]
        for cs in published
    }
    assert len(quarters) == 4
    assert all(cs.image and cs.image_alt for cs in published)
    assert all(cs.published_at <= timezone.now() for cs in published)  # type: ignore[operator]
    waiting = CaseStudy.objects.get(status="submitted")
    assert waiting.organisation.name == "Lancashire County Council"
    draft = CaseStudy.objects.get(status="draft")
    assert draft.organisation.name == "Ribble Highways Ltd"
    assert draft.consent_to_publish is False
    assert CaseStudy.objects.count() == 6
