"""The registrations CSV shows names and needs that look like formulas as text, and the
waiting list position as a number."""

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.engagement.services import registration_create
from socialvalue.engagement.tests.conftest import EventMaker

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]


def test_it_writes_what_people_typed_into_the_csv_as_text(
    client_as: ClientAs, lead_lucy: User, make_event: EventMaker
) -> None:
    event = make_event(title="Meet the buyer", capacity=1)
    registration_create(
        event=event,
        name='=HYPERLINK("http://evil","x")',
        email="asha@example.org",
        organisation="+1+1",
        needs="@SUM(A1)",
    )
    registration_create(event=event, name="-2+3", email="ben@example.org")
    response = client_as(lead_lucy).get(f"/events/manage/{event.pk}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[:6] for row in rows[1:]] == [
        [
            '\'=HYPERLINK("http://evil","x")',
            "asha@example.org",
            "'+1+1",
            "'@SUM(A1)",
            "Confirmed",
            "",
        ],
        ["'-2+3", "ben@example.org", "", "", "On the waiting list", "1"],
    ]
