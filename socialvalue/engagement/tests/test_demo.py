"""The demonstration events and posts."""

import pytest
from django.utils import timezone

from socialvalue.bootstrap import demo
from socialvalue.bootstrap.demo.accounts import load_organisations_and_users
from socialvalue.bootstrap.demo.engagement import BURNLEY, FORUM, PAST, WEBINAR, engagement_demo
from socialvalue.engagement.models import Event, Post, Registration

pytestmark = pytest.mark.django_db


def test_it_is_registered_once_as_a_demo_step() -> None:
    assert demo.DEMO_STEPS.count(engagement_demo) == 1


def test_it_loads_the_forum_sessions_a_past_event_and_three_posts_once() -> None:
    load_organisations_and_users()
    engagement_demo()
    engagement_demo()

    assert Event.objects.count() == 4
    forum = Event.objects.get(title=FORUM)
    assert (forum.kind, forum.is_online, forum.capacity, forum.postcode) == (
        "forum",
        False,
        150,
        "PR1 1HT",
    )
    assert "Preston" in forum.location_text
    assert forum.registrations.filter(status="confirmed").count() == 12

    webinar = Event.objects.get(title=WEBINAR)
    assert (webinar.kind, webinar.is_online, webinar.capacity) == (
        "market_engagement",
        True,
        None,
    )

    burnley = Event.objects.get(title=BURNLEY)
    assert (burnley.capacity, burnley.postcode) == (2, "BB11 9SA")
    assert sorted(
        burnley.registrations.values_list("status", "position").order_by("status", "position")
    ) == [("confirmed", None), ("confirmed", None), ("waiting", 1)]

    past = Event.objects.get(title=PAST)
    assert past.ends_at < timezone.now()
    assert past.is_published
    assert all(e.starts_at > timezone.now() for e in Event.objects.exclude(pk=past.pk))
    assert Event.objects.filter(status="published").count() == 4

    assert list(Post.objects.filter(status="published").values_list("title", flat=True)) == [
        "First case study: apprenticeships on the A6 resurfacing scheme",
        "Call for partners: help suppliers deliver in your area",
        "The Lancashire TOMs are published",
    ]
    assert len(set(Registration.objects.values_list("token", flat=True))) == (
        Registration.objects.count()
    )
