"""iCalendar (RFC 5545) feeds of meetings, written by hand: a few properties need no library."""

from datetime import UTC

from django.http import HttpResponse
from django.utils import timezone

PRODID = "-//Gongzhi//Meetings//ZH"
UID_DOMAIN = "meetings.gongzhi"


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(value):
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _event(meeting, stamp, base):
    status = "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"LOCATION:{_escape(meeting.place)}",
        f"DESCRIPTION:{_escape(meeting.description)}",
        f"STATUS:{status}",
        f"URL:{base}{meeting.get_absolute_url()}",
        f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
        "END:VEVENT",
    ]


def ical(meetings, *, title="", base=""):
    stamp = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if title:
        lines.append(f"X-WR-CALNAME:{_escape(title)}")
    for meeting in meetings:
        lines += _event(meeting, stamp, base)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def response(meetings, *, name, title="", request=None):
    base = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    answer = HttpResponse(ical(meetings, title=title, base=base), content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return answer
