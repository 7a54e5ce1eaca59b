"""The iCalendar writer (RFC 5545)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from socialvalue.engagement.ical import (
    CalendarEvent,
    calendar_text,
    escape_text,
    fold_line,
    format_utc,
)

LONDON = ZoneInfo("Europe/London")


def test_it_escapes_backslashes_semicolons_commas_and_line_breaks() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_it_writes_times_in_utc_with_z() -> None:
    # 12 March 2026 is GMT; 10 June 2026 is BST (UTC+1).
    assert format_utc(datetime(2026, 3, 12, 9, 30, tzinfo=LONDON)) == "20260312T093000Z"
    assert format_utc(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)) == "20260610T090000Z"


def test_it_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_utc(datetime(2026, 3, 12, 9, 30))


def test_it_folds_at_75_octets_without_splitting_a_character() -> None:
    # "SUMMARY:" is 8 octets and each "£" is 2: 33 fit on the first line (74 octets).
    assert fold_line("SUMMARY:" + "£" * 40) == "SUMMARY:" + "£" * 33 + "\r\n " + "£" * 7
    assert fold_line("X" * 75) == "X" * 75
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"
    assert fold_line("X" * 150) == "X" * 75 + "\r\n " + "X" * 74 + "\r\n X"


def test_it_writes_an_event_exactly() -> None:
    event = CalendarEvent(
        uid="event-7@socialvalue.example",
        dtstamp=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        starts_at=datetime(2026, 3, 12, 9, 30, tzinfo=LONDON),
        ends_at=datetime(2026, 3, 12, 12, 30, tzinfo=LONDON),
        summary="Meet the buyer: highways, waste; and more",
        location="County Hall, Fishergate, Preston, PR1 8XJ",
        description=(
            "Hear about the highways maintenance framework before it is advertised.\n\n"
            "Details: https://socialvalue.example/events/meet-the-buyer/"
        ),
        url="https://socialvalue.example/events/meet-the-buyer/",
    )

    assert calendar_text([event]) == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//Social Value Platform//Events//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:event-7@socialvalue.example\r\n"
        "DTSTAMP:20260301T090000Z\r\n"
        "DTSTART:20260312T093000Z\r\n"
        "DTEND:20260312T123000Z\r\n"
        "SUMMARY:Meet the buyer: highways\\, waste\\; and more\r\n"
        "LOCATION:County Hall\\, Fishergate\\, Preston\\, PR1 8XJ\r\n"
        "DESCRIPTION:Hear about the highways maintenance framework before it is adve\r\n"
        " rtised.\\n\\nDetails: https://socialvalue.example/events/meet-the-buyer/\r\n"
        "URL:https://socialvalue.example/events/meet-the-buyer/\r\n"
        "STATUS:CONFIRMED\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_it_marks_a_cancelled_event_and_leaves_out_empty_properties() -> None:
    event = CalendarEvent(
        uid="event-8@socialvalue.example",
        dtstamp=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        starts_at=datetime(2026, 6, 10, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2026, 6, 10, 11, 30, tzinfo=LONDON),
        summary="Webinar",
        cancelled=True,
    )

    text = calendar_text([event])

    assert "DTSTART:20260610T090000Z\r\nDTEND:20260610T103000Z\r\n" in text
    assert "STATUS:CANCELLED\r\n" in text
    assert "LOCATION" not in text
    assert "DESCRIPTION" not in text
    assert "URL" not in text


def test_it_keeps_every_line_within_75_octets() -> None:
    event = CalendarEvent(
        uid="event-9@socialvalue.example",
        dtstamp=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        starts_at=datetime(2026, 3, 12, 9, 30, tzinfo=LONDON),
        ends_at=datetime(2026, 3, 12, 12, 30, tzinfo=LONDON),
        summary="Forum – " * 30,
        description="Café, crèche; £5 lunch.\n" * 20,
    )

    lines = calendar_text([event]).split("\r\n")

    assert lines[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "\n" not in "".join(lines)
