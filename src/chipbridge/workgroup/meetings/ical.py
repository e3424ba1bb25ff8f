"""The group's meetings as an iCalendar feed (RFC 5545), built with ``icalendar``: each event
starts and ends in its meeting's IANA time zone, and the calendar carries a VTIMEZONE for
every zone it uses, so calendar programs place the meeting right across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import Meeting, State

NAME = "SIA-CSIA working group · 中美半导体工作组"


def event(meeting: Meeting, stamp: datetime) -> Event:
    zone = ZoneInfo(meeting.timezone)
    host = meeting.host.code if meeting.host else None
    item = Event()
    item.add("uid", f"meeting-{meeting.id}@chipbridge")
    item.add("dtstamp", stamp)
    item.add("dtstart", datetime.combine(meeting.starts_on, meeting.start_time, zone))
    item.add("dtend", datetime.combine(meeting.starts_on, meeting.end_time, zone))
    item.add(
        "summary", "SIA-CSIA working group meeting · 工作组会议" + (f" ({host})" if host else "")
    )
    if meeting.location:
        item.add("location", meeting.location)
    tracks = "; ".join(f"{t.name} / {t.name_zh or t.name}" for t in meeting.tracks)
    item.add("description", f"State: {service.label(meeting.status)}\nTracks: {tracks}")
    item.add("status", "TENTATIVE" if meeting.status == State.DRAFT else "CONFIRMED")
    return item


def feed(session: Session, actor: Actor, now: datetime | None = None) -> bytes:
    require(actor, Action.CALENDAR_READ)
    stamp = (now or datetime.now(UTC).replace(tzinfo=None)).replace(tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//chipbridge//SIA-CSIA working group//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", NAME)
    found = service.meetings(session, actor)
    for meeting in found:
        calendar.add_component(event(meeting, stamp))
    days = [m.starts_on for m in found] or [stamp.date()]
    # Transitions a year either side of the meetings: enough for any program, and short.
    calendar.add_missing_timezones(
        first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
    )
    ical: bytes = calendar.to_ical()
    return ical
