"""An iCalendar (RFC 5545) writer for events: pure functions, no database access.

What calendar programs rely on, and RFC 5545 requires:
- lines end with CRLF (section 3.1);
- a content line longer than 75 octets is folded: CRLF then one space, never splitting a
  multi-octet UTF-8 character (section 3.1);
- in TEXT values a backslash, semicolon and comma are escaped with a backslash and a line
  break is written as ``\\n`` (section 3.3.11);
- date-times are in UTC with a trailing ``Z`` (section 3.3.5, form 2);
- each VEVENT has a UID and a DTSTAMP (section 3.6.1).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODID = "-//Social Value Platform//Events//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    dtstamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def format_utc(moment: datetime) -> str:
    """``20260312T093000Z``: an aware date-time in UTC."""
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware.")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold_line(line: str) -> str:
    """Split a content line into pieces of at most 75 octets joined by CRLF and a space.

    The leading space of a continuation line counts towards its 75 octets.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1
        current += char
        size += octets
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{format_utc(event.dtstamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        # URL is of type URI, not TEXT: it is not escaped.
        lines.append(f"URL:{event.url}")
    lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[CalendarEvent], *, prodid: str = PRODID) -> str:
    """A VCALENDAR with the events, every line folded and ended with CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
