"""The twice-yearly meeting cycle, agendas by policy track, and minutes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.errors import NotFound, Refused, require
from chipbridge.workgroup.meetings.models import AgendaItem, Meeting, Minutes, Track

DEFAULT_TRACKS = ("Export restrictions", "Supply chain security", "Encryption technology")
INTERVAL = timedelta(days=182)  # twice a year
WARN_AFTER = timedelta(days=213)  # about seven months


def ensure_tracks(session: Session) -> list[Track]:
    existing = {t.name for t in session.scalars(select(Track))}
    for name in DEFAULT_TRACKS:
        if name not in existing:
            session.add(Track(name=name))
    session.flush()
    return list(session.scalars(select(Track).order_by(Track.id)))


def add_track(session: Session, actor: str, name: str) -> Track:
    if not name.strip():
        raise Refused("a track needs a name")
    if session.scalar(select(Track).where(Track.name == name)):
        raise Refused(f"track {name!r} exists")
    track = Track(name=name.strip())
    session.add(track)
    session.flush()
    record(session, actor, "create", "track", track.id, None, {"name": name})
    return track


def meetings(session: Session) -> list[Meeting]:
    return list(session.scalars(select(Meeting).order_by(Meeting.starts_on)))


def propose(session: Session, count: int = 2, today: date | None = None) -> list[date]:
    """The next ``count`` meeting dates, about six months apart, after the last meeting."""
    today = today or date.today()
    last = session.scalar(select(Meeting.starts_on).order_by(Meeting.starts_on.desc()))
    start = (last + INTERVAL) if last and last + INTERVAL > today else today + timedelta(days=30)
    return [start + i * INTERVAL for i in range(count)]


def plan(session: Session, actor: str, count: int = 2, today: date | None = None) -> list[Meeting]:
    planned = []
    for day in propose(session, count, today):
        meeting = Meeting(starts_on=day, status="planned")
        session.add(meeting)
        session.flush()
        record(session, actor, "plan", "meeting", meeting.id, None, {"starts_on": day.isoformat()})
        planned.append(meeting)
    return planned


def warning(session: Session, today: date | None = None) -> str | None:
    """A warning when no meeting is planned within seven months."""
    today = today or date.today()
    upcoming = session.scalar(
        select(Meeting.starts_on)
        .where(Meeting.starts_on >= today, Meeting.status == "planned")
        .order_by(Meeting.starts_on)
    )
    if upcoming is None or upcoming - today > WARN_AFTER:
        return "No meeting is planned within the next seven months."
    return None


def get(session: Session, meeting_id: int) -> Meeting:
    return require(session, Meeting, meeting_id, "meeting")


def add_agenda_item(
    session: Session, actor: str, meeting_id: int, track_id: int, title: str
) -> AgendaItem:
    get(session, meeting_id)
    require(session, Track, track_id, "track")
    if not title.strip():
        raise Refused("an agenda item needs a title")
    item = AgendaItem(meeting_id=meeting_id, track_id=track_id, title=title.strip())
    session.add(item)
    session.flush()
    record(session, actor, "create", "agenda_item", item.id, None, {"title": title})
    return item


def record_minutes(session: Session, actor: str, meeting_id: int, text: str) -> Minutes:
    meeting = get(session, meeting_id)
    if meeting.minutes is not None:
        raise Refused("minutes exist for this meeting")
    minutes = Minutes(meeting_id=meeting_id, text=text, approved_by=[])
    session.add(minutes)
    session.flush()
    record(session, actor, "create", "minutes", minutes.id, None, {"meeting": meeting_id})
    return minutes


def approve_minutes(session: Session, meeting_id: int, delegation_code: str, head: str) -> Minutes:
    """Each delegation head approves; minutes are final once both have."""
    meeting = get(session, meeting_id)
    if meeting.minutes is None:
        raise NotFound(f"no minutes for meeting {meeting_id}")
    before = list(meeting.minutes.approved_by)
    if delegation_code in before:
        raise Refused(f"{delegation_code} has already approved these minutes")
    meeting.minutes.approved_by = [*before, delegation_code]
    record(
        session,
        head,
        "approve",
        "minutes",
        meeting.minutes.id,
        {"approved_by": before},
        {"approved_by": meeting.minutes.approved_by},
    )
    return meeting.minutes
