"""The twice-yearly meeting cycle, agendas by policy track, and minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Delegation
from chipbridge.workgroup.errors import NotFound, Refused, find
from chipbridge.workgroup.meetings.models import (
    AgendaItem,
    Meeting,
    Minutes,
    MinutesApproval,
    Track,
)

DEFAULT_TRACKS = ("Export restrictions", "Supply chain security", "Encryption technology")
INTERVAL = timedelta(days=182)  # twice a year
WARN_AFTER = timedelta(days=213)  # about seven months


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tracks(session: Session) -> list[Track]:
    existing = {t.name for t in session.scalars(select(Track))}
    for name in DEFAULT_TRACKS:
        if name not in existing:
            session.add(Track(name=name))
    session.flush()
    return list(session.scalars(select(Track).order_by(Track.id)))


def add_track(session: Session, actor: Actor, name: str) -> Track:
    require(actor, Action.AGENDA_EDIT)
    if not name.strip():
        raise Refused("a track needs a name")
    if session.scalar(select(Track).where(Track.name == name)):
        raise Refused(f"track {name!r} exists")
    track = Track(name=name.strip())
    session.add(track)
    session.flush()
    record(session, actor.name, "create", "track", track.id, None, {"name": name})
    return track


def meetings(session: Session, actor: Actor) -> list[Meeting]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Meeting).order_by(Meeting.starts_on)))


def propose(session: Session, count: int = 2, today: date | None = None) -> list[date]:
    """The next ``count`` meeting dates, about six months apart, after the last meeting."""
    today = today or date.today()
    last = session.scalar(select(Meeting.starts_on).order_by(Meeting.starts_on.desc()))
    start = (last + INTERVAL) if last and last + INTERVAL > today else today + timedelta(days=30)
    return [start + i * INTERVAL for i in range(count)]


def plan(
    session: Session, actor: Actor, count: int = 2, today: date | None = None
) -> list[Meeting]:
    require(actor, Action.MEETING_PLAN)
    planned = []
    for day in propose(session, count, today):
        meeting = Meeting(starts_on=day, status="planned")
        session.add(meeting)
        session.flush()
        record(
            session, actor.name, "plan", "meeting", meeting.id, None, {"starts_on": day.isoformat()}
        )
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


def get(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    require(actor, Action.GROUP_READ)
    return find(session, Meeting, meeting_id, "meeting")


def add_agenda_item(
    session: Session, actor: Actor, meeting_id: int, track_id: int, title: str
) -> AgendaItem:
    require(actor, Action.AGENDA_EDIT)
    find(session, Meeting, meeting_id, "meeting")
    find(session, Track, track_id, "track")
    if not title.strip():
        raise Refused("an agenda item needs a title")
    item = AgendaItem(meeting_id=meeting_id, track_id=track_id, title=title.strip())
    session.add(item)
    session.flush()
    record(session, actor.name, "create", "agenda_item", item.id, None, {"title": title})
    return item


def record_minutes(session: Session, actor: Actor, meeting_id: int, text: str) -> Minutes:
    require(actor, Action.MINUTES_RECORD)
    meeting = find(session, Meeting, meeting_id, "meeting", lock=True)
    if meeting.minutes is not None:
        raise Refused("minutes exist for this meeting")
    minutes = Minutes(meeting_id=meeting_id, text=text)
    session.add(minutes)
    session.flush()
    record(session, actor.name, "create", "minutes", minutes.id, None, {"meeting": meeting_id})
    return minutes


def approve_minutes(session: Session, actor: Actor, meeting_id: int) -> Minutes:
    """The signed-in head of a delegation approves for that delegation, and nobody else can;
    minutes are final once every delegation's head has. Each approval is its own row, so
    two heads approving at once both count."""
    require(actor, Action.MINUTES_APPROVE)
    delegation = session.scalar(select(Delegation).where(Delegation.code == actor.delegation))
    if delegation is None:
        raise Refused("only the head of a delegation approves minutes")
    find(session, Meeting, meeting_id, "meeting")
    minutes = session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))
    if minutes is None:
        raise NotFound(f"no minutes for meeting {meeting_id}")
    before = minutes.approved_by
    if delegation.code in before:
        raise Refused(f"{delegation.code} has already approved these minutes")
    session.add(
        MinutesApproval(
            minutes=minutes, delegation=delegation, approved_by=actor.name, approved_at=_now()
        )
    )
    session.flush()
    record(
        session,
        actor.name,
        "approve",
        "minutes",
        minutes.id,
        {"approved_by": before},
        {"approved_by": [*before, delegation.code], "delegation": delegation.code},
    )
    return minutes


def is_final(session: Session, minutes: Minutes) -> bool:
    """Final once the head of every delegation has approved."""
    codes = set(session.scalars(select(Delegation.code)))
    return bool(codes) and codes <= set(minutes.approved_by)
