"""Demonstration events and message board posts.

- The annual Lancashire Social Value Forum in Preston (150 places, a dozen registered).
- A market engagement webinar on the highways maintenance framework (online, no limit).
- A market engagement session in Burnley for the Pennine care contracts: 2 places, both
  taken, and one person on the waiting list.
- A past workshop on writing social value offers (with its attendees).
- Three posts: the new Lancashire TOMs published, a call for partners, and a news item about
  the first case study.

Dates are set relative to today so that the upcoming events stay upcoming. Idempotent: events
and posts are found by title on a second run.
"""

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import Organisation, User
from socialvalue.bootstrap.demo.accounts import COUNCIL
from socialvalue.core.history import set_history_user
from socialvalue.engagement.models import Event, Post, Registration
from socialvalue.engagement.services import (
    event_create,
    event_publish,
    post_create,
    post_publish,
    registration_create,
)

LEAD_EMAIL = "lead@lancashire.example"

FORUM = "Lancashire Social Value Forum"
WEBINAR = "Highways maintenance framework: market engagement webinar"
BURNLEY = "Pennine home care: market engagement session in Burnley"
PAST = "Writing a strong social value offer: supplier workshop"

FORUM_ATTENDEES = [
    ("Bob Builder", "supplier@ribblehighways.example", "Ribble Highways Ltd", ""),
    ("Carol Carer", "supplier@pendlecare.example", "Pendle Care Partnership CIC", "Vegetarian"),
    ("Ravi Rose", "supplier@redrosedigital.example", "Red Rose Digital Ltd", ""),
    ("Faye Fylde", "supplier@fyldecoastfacilities.example", "Fylde Coast Facilities Group", ""),
    ("Nina North", "supplier@northerncivils.example", "Northern Civils plc", "Step-free access"),
    ("Alice Officer", "officer@lancashire.example", COUNCIL, ""),
    ("Omar Officer", "officer2@lancashire.example", COUNCIL, "Halal meal"),
    ("Olga Officer", "officer@blackpool.example", "Blackpool Council", ""),
    ("Priya Patel", "partner@communityfutures.example", "Community Futures Lancashire", ""),
    ("Sam Hughes", "sam.hughes@skillshub.example", "Lancashire Skills and Employment Hub", ""),
    ("Grace Ashworth", "grace@burnleyyouth.example", "Burnley Youth Employment Project", ""),
    (
        "Tom Whittle",
        "tom@lancasterjoinery.example",
        "Lancaster Joinery Co-operative",
        "Hearing loop",
    ),
]

WEBINAR_ATTENDEES = [
    ("Bob Builder", "supplier@ribblehighways.example", "Ribble Highways Ltd", ""),
    ("Nina North", "supplier@northerncivils.example", "Northern Civils plc", ""),
    ("Hannah Kay", "hannah@chorleysurfacing.example", "Chorley Surfacing Ltd", "Live captions"),
]

BURNLEY_ATTENDEES = [
    ("Carol Carer", "supplier@pendlecare.example", "Pendle Care Partnership CIC", ""),
    ("Imran Shah", "imran@calderhomecare.example", "Calder Valley Home Care", ""),
    (
        "Joan Pickup",
        "joan@rossendalecarers.example",
        "Rossendale Carers Co-operative",
        "Wheelchair user",
    ),
]

PAST_ATTENDEES = [
    ("Ravi Rose", "supplier@redrosedigital.example", "Red Rose Digital Ltd", ""),
    ("Faye Fylde", "supplier@fyldecoastfacilities.example", "Fylde Coast Facilities Group", ""),
    ("Carol Carer", "supplier@pendlecare.example", "Pendle Care Partnership CIC", ""),
]

FORUM_DESCRIPTION = """\
The forum brings together suppliers, the voluntary, community and faith sector, anchor
institutions and council staff from across Greater Lancashire to look back on a year of
social value and plan the next.

## The day

* **Morning:** the year in numbers, and what the Lancashire TOMs have delivered in each district
* **Workshops:** good employment, local supply chains, net zero and volunteering
* **Afternoon:** meet partner organisations who can help you deliver your commitments

Lunch and refreshments are provided. Tell us about any dietary or access needs when you
register.

Read the [social value strategy](https://www.lancashire.gov.uk/) before the day if you can.
"""

WEBINAR_DESCRIPTION = """\
The council will soon procure a new highways maintenance framework. Hear about the
programme before it is advertised, and how social value will be evaluated:

* the lots and the expected value of each
* the social value weighting and the TOMs measures on the menu
* how SMEs and VCSEs can take part as subcontractors

There will be time for questions. A recording will be shared with everyone who registers.
"""

BURNLEY_DESCRIPTION = """\
A small, informal session for care providers in Burnley, Pendle and Rossendale ahead of the
Pennine home care tender. Tell us what would make it easier to bid, and what social value
you could deliver locally.

Places are limited so that everyone can take part in the discussion.
"""

PAST_DESCRIPTION = """\
A practical workshop on the quantitative and qualitative parts of a social value offer:
choosing measures, committing to realistic quantities and describing how you will deliver.
"""

POSTS: list[dict[str, Any]] = [
    {
        "title": "The Lancashire TOMs are published",
        "kind": Post.Kind.NEWS,
        "summary": (
            "The council's own version of the Themes, Outcomes and Measures is now the "
            "framework for every tender above £100,000."
        ),
        "body": (
            "The Lancashire TOMs set out **43 measures** under four themes, each with the "
            "proxy value used to work out the social value of an offer.\n\n"
            "## What changes for suppliers\n\n"
            "* every tender of £100,000 or more asks for a social value offer\n"
            "* social value is worth at least 10% of the marks\n"
            "* you report what you deliver every quarter\n\n"
            "Browse the measures on the framework pages, and try the calculator before you "
            "bid."
        ),
        "days_ago": 40,
    },
    {
        "title": "Call for partners: help suppliers deliver in your area",
        "kind": Post.Kind.OPPORTUNITY,
        "summary": (
            "Are you a community group, charity or social enterprise? Join the partner "
            "directory so suppliers can find you."
        ),
        "body": (
            "Suppliers winning council contracts commit to employment, training, volunteering "
            "and environmental projects, and many want a local partner to do this well.\n\n"
            "If your organisation could host volunteers, offer work placements or take part "
            "in a project, contact the social value team to be added to the partner "
            "directory. There is no charge."
        ),
        "days_ago": 21,
    },
    {
        "title": "First case study: apprenticeships on the A6 resurfacing scheme",
        "kind": Post.Kind.INITIATIVE,
        "summary": (
            "Ribble Highways took on four apprentices from Preston through the Skills and "
            "Employment Hub: the first case study of the programme."
        ),
        "body": (
            "Four local people began apprenticeships with Ribble Highways during the A6 "
            "resurfacing scheme, recruited with the Lancashire Skills and Employment Hub.\n\n"
            "> “We would not have found these candidates without the Hub.”\n\n"
            "The case study shows how a commitment in a tender became jobs for residents of "
            "one of Preston's most deprived neighbourhoods."
        ),
        "days_ago": 6,
    },
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _organisation(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    return Organisation.objects.create(name=name, slug=slugify(name), kind=Organisation.Kind.BUYER)


def _event(
    lead: User, organiser: Organisation, attendees: list[tuple[str, str, str, str]], **data: Any
) -> Event:
    existing = Event.objects.filter(title=data["title"]).first()
    if existing is not None:
        return existing
    event = event_create(by=lead, data={**data, "organiser": organiser})
    event = event_publish(event=event, by=lead)
    for name, email, organisation, needs in attendees:
        registration_create(
            event=event, name=name, email=email, organisation=organisation, needs=needs
        )
    return event


def _past_event(lead: User, organiser: Organisation) -> Event:
    """Services refuse to publish or register for an event in the past, so the workshop
    that has already happened is written as it would stand today."""
    existing = Event.objects.filter(title=PAST).first()
    if existing is not None:
        return existing
    starts = _at(-30, 10)
    event = Event(
        title=PAST,
        slug=slugify(PAST),
        kind=Event.Kind.WORKSHOP,
        summary="How to write a social value offer that scores well and can be delivered.",
        description=PAST_DESCRIPTION,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue_name="County Hall",
        address="Fishergate",
        postcode="PR1 8XJ",
        capacity=30,
        status=Event.Status.PUBLISHED,
        published_at=starts - timedelta(days=30),
        organiser=organiser,
        created_by=lead,
    )
    event.full_clean()
    set_history_user(event, lead)
    event.save()
    for name, email, organisation, needs in PAST_ATTENDEES:
        Registration.objects.create(
            event=event,
            name=name,
            email=email,
            organisation_name=organisation,
            needs=needs,
            status=Registration.Status.CONFIRMED,
            token=secrets.token_urlsafe(32),
        )
    return event


def engagement_demo() -> None:
    lead = User.objects.filter(email=LEAD_EMAIL).first() or User.objects.filter(role="lead").first()
    if lead is None:
        return
    council = _organisation(COUNCIL)
    _event(
        lead,
        council,
        FORUM_ATTENDEES,
        title=FORUM,
        kind=Event.Kind.FORUM,
        summary=(
            "The yearly gathering of everyone delivering social value in Lancashire: results, "
            "workshops and a partner marketplace."
        ),
        description=FORUM_DESCRIPTION,
        starts_at=_at(60, 9, 30),
        ends_at=_at(60, 16),
        is_online=False,
        venue_name="Preston Guild Hall",
        address="Lancaster Road\nPreston",
        postcode="PR1 1HT",
        joining_instructions=(
            "Registration opens at 9am in the main foyer. Bring your confirmation email; "
            "badges are printed on the day."
        ),
        capacity=150,
        registration_closes_at=_at(53, 17),
    )
    _event(
        lead,
        council,
        WEBINAR_ATTENDEES,
        title=WEBINAR,
        kind=Event.Kind.MARKET_ENGAGEMENT,
        summary=(
            "Hear about the new highways maintenance framework before it is advertised, and "
            "how social value will be evaluated."
        ),
        description=WEBINAR_DESCRIPTION,
        starts_at=_at(14, 10),
        ends_at=_at(14, 11, 30),
        is_online=True,
        joining_instructions=(
            "Join on Microsoft Teams: [join the webinar](https://teams.example/highways-webinar). "
            "Meeting ID 123 456 789."
        ),
        capacity=None,
    )
    _event(
        lead,
        council,
        BURNLEY_ATTENDEES,
        title=BURNLEY,
        kind=Event.Kind.MARKET_ENGAGEMENT,
        summary=(
            "An informal session for care providers in East Lancashire ahead of the Pennine "
            "home care tender."
        ),
        description=BURNLEY_DESCRIPTION,
        starts_at=_at(21, 13, 30),
        ends_at=_at(21, 15, 30),
        is_online=False,
        venue_name="Burnley Town Hall, Committee Room 2",
        address="Manchester Road\nBurnley",
        postcode="BB11 9SA",
        joining_instructions="Report to the main reception; you will be shown to the room.",
        capacity=2,
    )
    _past_event(lead, council)
    for spec in POSTS:
        if Post.objects.filter(title=spec["title"]).exists():
            continue
        post = post_create(by=lead, data=spec)
        post_publish(post=post, by=lead, now=timezone.now() - timedelta(days=spec["days_ago"]))
