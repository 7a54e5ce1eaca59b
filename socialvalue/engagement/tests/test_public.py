"""The public events pages, registering, an attendee's own place, and the message board."""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.engagement.forms import ERR_EMAIL_INVALID, ERR_NAME_REQUIRED
from socialvalue.engagement.models import Event, Registration
from socialvalue.engagement.services import (
    ERR_ALREADY_REGISTERED,
    registration_cancel,
    registration_create,
)
from socialvalue.engagement.tests.conftest import EventMaker, PostMaker, local

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
Capture = Callable[..., AbstractContextManager[object]]
EVERYONE = [None, "lead_lucy", "officer_alice", "supplier_bob"]


def text(html: str) -> str:
    """The page's words with tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def past_event(lead: User, **extra: object) -> Event:
    """An event that has happened (written directly: the services refuse past dates)."""
    starts = timezone.now() - timedelta(days=20)
    fields = {
        "title": "Last year's forum",
        "slug": "last-years-forum",
        "kind": Event.Kind.FORUM,
        "summary": "The forum that has happened.",
        "description": "It happened.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "venue_name": "Guild Hall",
        "address": "Lancaster Road",
        "status": Event.Status.PUBLISHED,
        "organiser": lead.organisation,
        **extra,
    }
    return Event.objects.create(**fields)


# --- /events/ --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_it_lists_published_events_for_everyone(
    client_as: ClientAs,
    cast_member: Callable[[str | None], User | None],
    make_event: EventMaker,
    who: str | None,
) -> None:
    make_event(title="Meet the buyer: highways")
    make_event(title="Secret draft", status="draft")

    response = client_as(cast_member(who)).get("/events/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Meet the buyer: highways" in html
    assert "Secret draft" not in html


def test_it_shows_date_time_place_and_places_left(
    public_dave: Client, make_event: EventMaker, lead_lucy: User
) -> None:
    starts = local(10, 9, 30)
    room = make_event(title="Room", capacity=3, starts_at=starts, ends_at=local(10, 12, 30))
    full = make_event(title="Full room", capacity=1)
    registration_create(event=full, name="Asha Patel", email="asha@example.org")
    make_event(title="Webinar", capacity=None, is_online=True)
    past_event(lead_lucy)

    page = text(public_dave.get("/events/").content.decode())

    day = f"{starts:%A} {starts.day} {starts:%B %Y}"
    assert (
        f"Room Hear about the highways maintenance framework before it is advertised. "
        f"Date {day} Time 9:30am to 12:30pm Place County Hall, PR1 8XJ Places 3 places left"
    ) in page
    assert "Full room" in page
    assert "Places Waiting list only" in page
    assert "Place Online Places Open to all" in page
    assert "Past events Annual social value forum Last year&#x27;s forum Date" in page
    assert room.slug in public_dave.get("/events/").content.decode()


def test_it_says_full_once_registration_has_closed_on_a_full_event(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event(title="Closing", capacity=1, registration_closes_at=local(3, 17))
    registration_create(event=event, name="Asha Patel", email="asha@example.org", now=local(1, 12))
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now())

    page = text(public_dave.get("/events/").content.decode())

    assert "Places Full" in page


def test_it_filters_by_type_of_event(public_dave: Client, make_event: EventMaker) -> None:
    make_event(title="Highways session")
    make_event(title="Net zero webinar", kind=Event.Kind.WEBINAR, is_online=True)

    html = public_dave.get("/events/?kind=webinar").content.decode()
    bad = public_dave.get("/events/?kind=martians")

    assert "Net zero webinar" in html
    assert "Highways session" not in html
    assert "Upcoming webinars" in html
    assert bad.status_code == 200
    bad_html = bad.content.decode()
    assert "Choose a type of event from the list." in bad_html
    assert "Highways session" in bad_html


def test_it_says_when_there_are_no_events(public_dave: Client) -> None:
    page = text(public_dave.get("/events/").content.decode())

    assert "There are no upcoming events at the moment." in page
    assert "No past events to show." in page
    assert "Nothing has been posted yet." in page


def test_it_shows_a_cancelled_event_as_cancelled(
    public_dave: Client, make_event: EventMaker
) -> None:
    make_event(title="Called off", status="cancelled")

    page = text(public_dave.get("/events/").content.decode())
    detail = text(public_dave.get("/events/called-off/").content.decode())

    assert "Called off" in page
    assert "Places Cancelled" in page
    assert "This event has been cancelled." in detail
    assert "Register" not in detail.split("About this event", 1)[1]


# --- /events/<slug>/ -------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_it_never_shows_a_draft(
    client_as: ClientAs,
    cast_member: Callable[[str | None], User | None],
    make_event: EventMaker,
    who: str | None,
) -> None:
    event = make_event(title="Secret draft", status="draft")
    client = client_as(cast_member(who))

    assert client.get(f"/events/{event.slug}/").status_code == 404
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    response = client.post(
        f"/events/{event.slug}/", {"name": "Asha Patel", "email": "asha@example.org"}
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_it_never_lets_a_script_in_the_description_reach_the_page(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event(
        description=(
            'Hello <script>alert("x")</script> **world** '
            '<img src=x onerror="alert(1)"> [click](javascript:alert(2))'
        )
    )

    html = public_dave.get(f"/events/{event.slug}/").content.decode()

    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<strong>world</strong>" in html


def test_it_shows_the_event_and_a_registration_form(
    public_dave: Client, make_event: EventMaker
) -> None:
    starts = local(10, 10)
    event = make_event(title="Meet the buyer", capacity=40)

    response = public_dave.get(f"/events/{event.slug}/")

    page = text(response.content.decode())
    day = f"{starts:%A} {starts.day} {starts:%B %Y}"
    assert f"Date and time {day}, 10am to midday" in page
    assert "Where County Hall Fishergate Preston PR1 8XJ" in page
    assert "Organised by Lancashire County Council" in page
    assert "Places 40 places left 40 places in all" in page
    assert "Ask for the social value team" not in page
    assert 'name="email"' in response.content.decode()
    assert f'href="/events/{event.slug}/calendar.ics"' in response.content.decode()


def test_it_registers_someone_and_shows_the_confirmation(
    public_dave: Client, make_event: EventMaker, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = public_dave.post(
            f"/events/{event.slug}/",
            {
                "name": "Asha Patel",
                "email": "asha@example.org",
                "organisation": "Pendle Care",
                "needs": "Step-free access",
            },
        )

    place = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/registrations/{place.token}/"
    page = text(public_dave.get(response["Location"]).content.decode())
    assert "Registration complete Your place at Meet the buyer is confirmed" in page
    assert "Ask for the social value team at reception." in page
    assert "Step-free access" in page
    assert len(mail.outbox) == 1
    # The confirmation panel shows once; the link from the email shows the place.
    again = text(public_dave.get(response["Location"]).content.decode())
    assert "Registration complete" not in again
    assert "Status Place confirmed" in again


def test_it_puts_the_next_person_on_the_waiting_list(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    registration_create(event=event, name="Asha Patel", email="asha@example.org")

    form_page = text(public_dave.get(f"/events/{event.slug}/").content.decode())
    response = public_dave.post(
        f"/events/{event.slug}/", {"name": "Ben Hughes", "email": "ben@example.org"}
    )
    page = text(public_dave.get(response["Location"]).content.decode())

    assert "All places are taken." in form_page
    assert "Join the waiting list" in form_page
    assert "You are on the waiting list You are number 1 in the queue for Meet the buyer" in page
    assert "Ask for the social value team" not in page


def test_it_shows_errors_and_registers_nobody_for_bad_input(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event()

    response = public_dave.post(f"/events/{event.slug}/", {"name": "", "email": "not-an-email"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_name">{ERR_NAME_REQUIRED}</a>' in html
    assert f'<a href="#id_email">{ERR_EMAIL_INVALID}</a>' in html
    assert "govuk-input--error" in html
    assert not Registration.objects.exists()


def test_it_refuses_a_second_registration_with_the_same_email(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event()
    registration_create(event=event, name="Asha Patel", email="asha@example.org")

    response = public_dave.post(
        f"/events/{event.slug}/", {"name": "Asha", "email": "Asha@Example.org"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    message = ERR_ALREADY_REGISTERED.format(email="asha@example.org")
    assert f'<a href="#id_email">{message}</a>' in html
    assert Registration.objects.count() == 1


def test_it_says_registration_is_closed_on_a_past_event(
    public_dave: Client, lead_lucy: User
) -> None:
    event = past_event(lead_lucy)

    page = text(public_dave.get(f"/events/{event.slug}/").content.decode())
    response = public_dave.post(
        f"/events/{event.slug}/", {"name": "Asha Patel", "email": "asha@example.org"}
    )

    assert "This event has taken place." in page
    assert 'name="email"' not in page
    assert response.status_code == 200
    assert "This event has already started, so you cannot register for it." in (
        response.content.decode()
    )
    assert not Registration.objects.exists()


def test_it_says_when_registration_opens(public_dave: Client, make_event: EventMaker) -> None:
    opens = local(3, 9)
    event = make_event(registration_opens_at=opens)

    page = text(public_dave.get(f"/events/{event.slug}/").content.decode())

    day = f"{opens:%A} {opens.day} {opens:%B %Y}"
    assert f"Registration opens at 9am on {day}." in page
    assert 'name="email"' not in page


# --- calendar.ics ----------------------------------------------------------------------------


def test_it_offers_the_event_as_an_icalendar_file(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event(title="Meet the buyer, highways", starts_at=local(10, 10))

    response = public_dave.get(f"/events/{event.slug}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert f"UID:event-{event.pk}@127.0.0.1\r\n" in body
    start = event.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\n" in body
    assert "SUMMARY:Meet the buyer\\, highways\r\n" in body
    assert "LOCATION:County Hall\\, Fishergate\\, Preston\\, PR1 8XJ\r\n" in body
    assert f"URL:http://127.0.0.1:8000/events/{event.slug}/\r\n" in body
    # The joining instructions are for people with a place.
    assert "reception" not in body


# --- An attendee's own place -----------------------------------------------------------------


def test_it_lets_an_attendee_cancel_with_their_link(
    public_dave: Client, make_event: EventMaker, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    asha = registration_create(event=event, name="Asha Patel", email="asha@example.org")
    registration_create(event=event, name="Ben Hughes", email="ben@example.org")
    url = f"/events/registrations/{asha.token}/"

    confirm = public_dave.get(url + "cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        response = public_dave.post(url + "cancel/")

    assert "Are you sure you want to cancel your place?" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == url
    page = text(public_dave.get(url).content.decode())
    assert "Your place at Meet the buyer has been cancelled." in page
    assert "Status Cancelled" in page
    assert "Cancel your place" not in page
    ben = Registration.objects.get(email="ben@example.org")
    assert ben.is_confirmed
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]


def test_it_shows_an_error_when_cancelling_twice(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event()
    asha = registration_create(event=event, name="Asha Patel", email="asha@example.org")
    registration_cancel(registration=asha)

    response = public_dave.post(f"/events/registrations/{asha.token}/cancel/", follow=True)

    assert "This place has already been cancelled." in response.content.decode()


def test_it_does_not_find_a_registration_without_the_right_token(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event()
    asha = registration_create(event=event, name="Asha Patel", email="asha@example.org")

    assert public_dave.get("/events/registrations/not-the-token/").status_code == 404
    assert public_dave.post("/events/registrations/not-the-token/cancel/").status_code == 404
    asha.refresh_from_db()
    assert asha.is_confirmed


def test_it_shows_joining_instructions_only_to_confirmed_attendees(
    public_dave: Client, make_event: EventMaker
) -> None:
    event = make_event(
        capacity=1,
        is_online=True,
        joining_instructions="Join at [the webinar](https://teams.example/join).",
    )
    asha = registration_create(event=event, name="Asha Patel", email="asha@example.org")
    ben = registration_create(event=event, name="Ben Hughes", email="ben@example.org")

    confirmed = public_dave.get(f"/events/registrations/{asha.token}/").content.decode()
    waiting = public_dave.get(f"/events/registrations/{ben.token}/").content.decode()
    public = public_dave.get(f"/events/{event.slug}/").content.decode()

    assert 'href="https://teams.example/join"' in confirmed
    assert "teams.example" not in waiting
    assert "Number 1 in the queue" in waiting
    assert "teams.example" not in public


# --- The message board -----------------------------------------------------------------------


def test_it_lists_published_posts_newest_first_with_pages(
    public_dave: Client, make_post: PostMaker
) -> None:
    now = timezone.now()
    for n in range(12):
        make_post(title=f"Post {n:02d}", published_at=now - timedelta(days=n))
    make_post(title="A draft", status="draft")

    first = text(public_dave.get("/events/news/").content.decode())
    second = text(public_dave.get("/events/news/?page=2").content.decode())

    titles = re.findall(r"Post \d\d", first)
    assert titles == [f"Post {n:02d}" for n in range(10)]
    assert re.findall(r"Post \d\d", second) == ["Post 10", "Post 11"]
    assert "A draft" not in first + second


def test_it_shows_a_post_and_hides_drafts(public_dave: Client, make_post: PostMaker) -> None:
    post = make_post(title="Call for partners", body="<script>x()</script>**Join us**")
    draft = make_post(title="Not yet", status="draft")

    html = public_dave.get(f"/events/news/{post.slug}/").content.decode()

    assert "Call for partners" in html
    assert "<strong>Join us</strong>" in html
    assert "<script>x()" not in html
    assert public_dave.get(f"/events/news/{draft.slug}/").status_code == 404


def test_it_says_when_nothing_has_been_posted(public_dave: Client) -> None:
    page = text(public_dave.get("/events/news/").content.decode())

    assert "Nothing has been posted yet." in page
