"""The social value lead's pages for events and the message board, and who may use them."""

import csv
import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.engagement.forms import (
    ERR_DATE_REQUIRED,
    ERR_EVENT_KIND_REQUIRED,
    ERR_TITLE_REQUIRED,
)
from socialvalue.engagement.models import (
    ERR_ADDRESS_REQUIRED,
    ERR_ENDS_BEFORE_START,
    ERR_VENUE_REQUIRED,
    Event,
    Post,
    Registration,
)
from socialvalue.engagement.services import ERR_CAPACITY_BELOW_CONFIRMED, registration_create
from socialvalue.engagement.tests.conftest import EventMaker, PostMaker, local

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
CastMember = Callable[[str | None], User | None]
Capture = Callable[..., AbstractContextManager[object]]
NOT_LEAD = ["officer_alice", "evaluator_erin", "supplier_bob"]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def event_form(**overrides: Any) -> dict[str, Any]:
    """The event editor as a browser posts it."""
    day = local(20, 0).date()
    values: dict[str, Any] = {
        "title": "Net zero in construction",
        "kind": "workshop",
        "summary": "How to cut carbon on council building sites.",
        "description": "## Who it is for\n\nSite managers and **estimators**.",
        "date": day.isoformat(),
        "start_time": "09:30",
        "end_time": "12:30",
        "end_date": "",
        "event_format": "in_person",
        "venue_name": "County Hall",
        "address": "Fishergate\nPreston",
        "postcode": "pr1 8xj",
        "joining_instructions": "Ask at reception.",
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "organiser": Organisation.objects.get(name="Lancashire County Council").pk,
        "action": "save",
    }
    values.update(overrides)
    return values


def post_form(**overrides: Any) -> dict[str, Any]:
    values = {
        "title": "Call for partners",
        "kind": "opportunity",
        "summary": "Join the partner directory.",
        "body": "Contact the **social value team**.",
        "action": "save",
    }
    values.update(overrides)
    return values


# --- Who may use which page ------------------------------------------------------------------


def manage_paths(event: Event, post: Post) -> list[str]:
    return [
        "/events/manage/",
        "/events/manage/new/",
        f"/events/manage/{event.pk}/",
        f"/events/manage/{event.pk}/cancel/",
        f"/events/manage/{event.pk}/registrations/",
        f"/events/manage/{event.pk}/registrations.csv",
        "/events/manage/news/",
        "/events/manage/news/new/",
        f"/events/manage/news/{post.pk}/",
    ]


def test_it_sends_anonymous_visitors_to_sign_in(
    public_dave: Client, make_event: EventMaker, make_post: PostMaker
) -> None:
    event = make_event(status="draft")
    post = make_post(status="draft")

    for path in manage_paths(event, post):
        response = public_dave.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/account/sign-in/?next={path}"
    for path in (f"/events/manage/{event.pk}/status/", f"/events/manage/news/{post.pk}/status/"):
        assert public_dave.post(path, {"action": "publish"}).status_code == 302
    event.refresh_from_db()
    post.refresh_from_db()
    assert event.is_draft
    assert not post.is_published


@pytest.mark.parametrize("who", NOT_LEAD)
def test_it_keeps_the_manage_pages_for_the_lead(
    client_as: ClientAs,
    cast_member: CastMember,
    make_event: EventMaker,
    make_post: PostMaker,
    who: str,
) -> None:
    event = make_event(status="draft")
    post = make_post(status="draft")
    client = client_as(cast_member(who))

    for path in manage_paths(event, post):
        assert client.get(path).status_code == 403, path
    assert client.post("/events/manage/new/", event_form()).status_code == 403
    assert client.post(f"/events/manage/{event.pk}/", event_form()).status_code == 403
    assert (
        client.post(f"/events/manage/{event.pk}/status/", {"action": "publish"}).status_code == 403
    )
    assert client.post(f"/events/manage/{event.pk}/cancel/").status_code == 403
    assert client.post("/events/manage/news/new/", post_form()).status_code == 403
    assert (
        client.post(f"/events/manage/news/{post.pk}/status/", {"action": "publish"}).status_code
        == 403
    )
    assert Event.objects.count() == 1
    assert Post.objects.count() == 1
    event.refresh_from_db()
    post.refresh_from_db()
    assert event.is_draft
    assert not post.is_published


def test_it_opens_every_manage_page_to_the_lead(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker, make_post: PostMaker
) -> None:
    event = make_event()
    post = make_post()
    lucy = client_as(lead_lucy)

    for path in manage_paths(event, post):
        assert lucy.get(path).status_code == 200, path


def test_it_shows_drafts_to_the_lead_only_in_the_manage_list(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    make_event(title="Published one")
    make_event(title="Draft one", status="draft")

    page = text(client_as(lead_lucy).get("/events/manage/").content.decode())

    assert "Published one" in page
    assert "Draft one" in page
    assert "Draft" in page


# --- Events ----------------------------------------------------------------------------------


def test_it_previews_without_saving(client_as: ClientAs, lead_lucy: User) -> None:
    lucy = client_as(lead_lucy)

    response = lucy.post(
        "/events/manage/new/",
        event_form(action="preview", description="Hello <script>x()</script> **bold**"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Preview – Create an event" in html
    assert 'id="preview-heading"' in html
    assert "<strong>bold</strong>" in html
    assert "<script>x()" not in html
    # What was typed is still in the form.
    assert "Net zero in construction" in html
    assert not Event.objects.exists()


def test_it_creates_a_draft_event_from_the_form(client_as: ClientAs, lead_lucy: User) -> None:
    lucy = client_as(lead_lucy)

    response = lucy.post("/events/manage/new/", event_form())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/manage/{event.pk}/"
    assert event.status == Event.Status.DRAFT
    assert event.slug == "net-zero-in-construction"
    assert event.postcode == "PR1 8XJ"
    assert event.capacity == 30
    assert event.organiser == lead_lucy.organisation
    assert event.created_by == lead_lucy
    assert (event.starts_at, event.ends_at) == (local(20, 9, 30), local(20, 12, 30))
    page = text(lucy.get(response["Location"]).content.decode())
    assert "Created on" in page
    assert "By Lucy Lead" in page


def test_it_shows_every_problem_with_the_event_form(client_as: ClientAs, lead_lucy: User) -> None:
    lucy = client_as(lead_lucy)

    response = lucy.post(
        "/events/manage/new/",
        event_form(title="", kind="", date="", venue_name="", address="", end_time="08:00"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    for message in (ERR_TITLE_REQUIRED, ERR_EVENT_KIND_REQUIRED, ERR_DATE_REQUIRED):
        assert message in html
    assert f'<a href="#id_venue_name">{ERR_VENUE_REQUIRED}</a>' in html
    assert f'<a href="#id_address">{ERR_ADDRESS_REQUIRED}</a>' in html
    assert not Event.objects.exists()

    response = lucy.post("/events/manage/new/", event_form(end_time="08:00"))
    assert f'<a href="#id_end_time">{ERR_ENDS_BEFORE_START}</a>' in response.content.decode()
    assert not Event.objects.exists()


def test_it_edits_an_event_and_keeps_the_history(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    event = make_event(title="Meet the buyer")
    lucy = client_as(lead_lucy)

    response = lucy.post(
        f"/events/manage/{event.pk}/",
        event_form(title="Meet the buyer: highways", capacity="", event_format="online"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Meet the buyer: highways"
    assert event.slug == "meet-the-buyer"
    assert event.capacity is None
    assert event.is_online
    assert event.venue_name == ""
    page = text(lucy.get(f"/events/manage/{event.pk}/").content.decode())
    assert "Change history" in page
    assert "Title changed" in page
    assert "Number of places changed" in page
    assert "Status: Draft to Published" in page
    assert page.count("By Lucy Lead") == 3


def test_it_refuses_fewer_places_than_confirmed_on_the_form(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    event = make_event(capacity=2)
    registration_create(event=event, name="Asha Patel", email="asha@example.org")
    registration_create(event=event, name="Ben Hughes", email="ben@example.org")

    response = client_as(lead_lucy).post(f"/events/manage/{event.pk}/", event_form(capacity="1"))

    message = ERR_CAPACITY_BELOW_CONFIRMED.format(count=2)
    assert f'<a href="#id_capacity">{message}</a>' in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2


def test_it_publishes_and_unpublishes_an_event(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker, public_dave: Client
) -> None:
    event = make_event(status="draft")
    lucy = client_as(lead_lucy)

    lucy.post(f"/events/manage/{event.pk}/status/", {"action": "publish"})
    assert public_dave.get(f"/events/{event.slug}/").status_code == 200
    lucy.post(f"/events/manage/{event.pk}/status/", {"action": "unpublish"})
    assert public_dave.get(f"/events/{event.slug}/").status_code == 404


def test_it_cancels_an_event_after_asking(
    client_as: ClientAs,
    lead_lucy: User,
    make_event: EventMaker,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    event = make_event(title="Meet the buyer")
    registration_create(event=event, name="Asha Patel", email="asha@example.org")
    lucy = client_as(lead_lucy)

    question = text(lucy.get(f"/events/manage/{event.pk}/cancel/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = lucy.post(f"/events/manage/{event.pk}/cancel/")

    assert "Are you sure you want to cancel this event?" in question
    assert "The 1 person with a place and the 0 on the waiting list" in question
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert [m.to for m in mail.outbox] == [["asha@example.org"]]
    page = text(lucy.get(f"/events/manage/{event.pk}/").content.decode())
    assert "This event is cancelled and can no longer be changed." in page


def test_it_lists_registrations_and_exports_them_as_csv(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    registration_create(
        event=event,
        name="Asha Patel",
        email="asha@example.org",
        organisation="Pendle Care",
        needs="Step-free access",
    )
    registration_create(
        event=event, name='=HYPERLINK("x")', email="ben@example.org", organisation="-1"
    )
    lucy = client_as(lead_lucy)

    page = text(lucy.get(f"/events/manage/{event.pk}/registrations/").content.decode())
    response = lucy.get(f"/events/manage/{event.pk}/registrations.csv")

    assert "Confirmed places (1)" in page
    assert "Waiting list (1)" in page
    assert "Asha Patel asha@example.org Pendle Care Step-free access" in page
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="registrations-meet-the-buyer.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Accessibility or dietary needs",
        "Status",
        "Waiting list position",
        "Registered at",
        "Cancelled at",
    ]
    assert rows[1][:6] == [
        "Asha Patel",
        "asha@example.org",
        "Pendle Care",
        "Step-free access",
        "Confirmed",
        "",
    ]
    assert rows[2][:6] == [
        '\'=HYPERLINK("x")',
        "ben@example.org",
        "'-1",
        "",
        "On the waiting list",
        "1",
    ]
    assert len(rows) == 3
    assert Registration.objects.count() == 2


# --- The message board -----------------------------------------------------------------------


def test_it_previews_writes_and_publishes_a_post(
    client_as: ClientAs, lead_lucy: User, public_dave: Client
) -> None:
    lucy = client_as(lead_lucy)

    preview = lucy.post("/events/manage/news/new/", post_form(action="preview"))
    assert "<strong>social value team</strong>" in preview.content.decode()
    assert not Post.objects.exists()

    response = lucy.post("/events/manage/news/new/", post_form())
    post = Post.objects.get()
    assert response["Location"] == f"/events/manage/news/{post.pk}/"
    assert post.author == lead_lucy
    assert public_dave.get(f"/events/news/{post.slug}/").status_code == 404

    lucy.post(f"/events/manage/news/{post.pk}/status/", {"action": "publish"})
    assert public_dave.get(f"/events/news/{post.slug}/").status_code == 200

    lucy.post(f"/events/manage/news/{post.pk}/", post_form(title="Call for local partners"))
    page = text(lucy.get(f"/events/manage/news/{post.pk}/").content.decode())
    assert "Title changed" in page
    assert "Status: Draft to Published" in page


def test_it_shows_problems_with_a_post(client_as: ClientAs, lead_lucy: User) -> None:
    response = client_as(lead_lucy).post("/events/manage/news/new/", post_form(title="", kind=""))

    html = response.content.decode()
    assert f'<a href="#id_title">{ERR_TITLE_REQUIRED}</a>' in html
    assert "Choose the type of post." in html
    assert not Post.objects.exists()


def test_it_records_the_download_of_registrations_in_the_security_log(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    from socialvalue.accounts.models import SecurityEvent

    event = make_event(title="Meet the buyer", capacity=5)
    registration_create(event=event, name="Asha Patel", email="asha@example.org")
    registration_create(event=event, name="Ben Ode", email="ben@example.org")
    client_as(lead_lucy).get(f"/events/manage/{event.pk}/registrations/")
    client_as(lead_lucy).get(f"/events/manage/{event.pk}/registrations.csv")

    downloads = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED)
    assert [(e.actor, e.organisation, e.detail) for e in downloads] == [
        (
            lead_lucy,
            lead_lucy.organisation,
            {"export": "event registrations", "rows": 2, "event": "meet-the-buyer"},
        )
    ]
