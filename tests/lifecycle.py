"""Meetings walked through the lifecycle for tests, through the same service calls the pages
make. Each step happens at a moment set relative to the meeting (``now=``), so a meeting can
be held and minuted without waiting for its day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Actor, Role
from chipbridge.store.db import session_factory, transaction
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import Meeting, State
from chipbridge.workgroup.meetings.workdays import next_working_day

SECRETARIAT = Actor("secretariat@lifecycle.test", Role.SECRETARIAT)
COUNSEL = Actor("counsel@lifecycle.test", Role.COUNSEL)
ORDER = list(State)


def head(code: str) -> Actor:
    return Actor(f"head.{code.lower()}@lifecycle.test", Role.DELEGATE, delegation=code, head=True)


def next_day(session: Session, after: dt.date | None = None) -> dt.date:
    """A working day of both sides a week after the last meeting (so hosts alternate)."""
    latest = session.scalar(select(func.max(Meeting.starts_on)))
    start = max(d for d in (latest, after, dt.date.today()) if d is not None)
    return next_working_day(start + dt.timedelta(days=7), service.countries(session))


def attendees(session: Session) -> list[tuple[int, str]]:
    """One participant of each delegation."""
    chosen: dict[int, int] = {}
    for person in session.scalars(select(Participant).join(Company).order_by(Participant.id)):
        if person.company and person.company.delegation_id and person.removed_at is None:
            chosen.setdefault(person.company.delegation_id, person.id)
    return [(pid, "delegate") for pid in chosen.values()]


def walk(session: Session, target: State, signed: bool = False, late: bool = False) -> Meeting:
    """A new meeting taken to ``target``. ``signed``: counsel has also signed off what that
    state waits on (the agenda in draft, the minutes once drafted). ``late``: a locked
    meeting with a late item awaiting counsel."""
    day = next_day(session)
    midnight = dt.datetime.combine(day, dt.time(0))
    tracks = [t.id for t in service.active_tracks(session)]
    meeting = service.create_meeting(
        session, SECRETARIAT, day, tracks, now=midnight - dt.timedelta(days=60)
    )
    service.add_agenda_item(
        session, SECRETARIAT, meeting.id, tracks[0], "Published standards", "已发布的标准"
    )
    stop = ORDER.index(target)
    if stop == 0:
        if signed:
            service.sign_off_agenda(session, COUNSEL, meeting.id)
        return meeting
    service.sign_off_agenda(session, COUNSEL, meeting.id)
    service.circulate(session, SECRETARIAT, meeting.id, now=midnight - dt.timedelta(days=30))
    if stop == 1:
        return meeting
    service.lock(session, SECRETARIAT, meeting.id, now=midnight - dt.timedelta(days=2))
    if stop == 2:
        if late:
            service.propose_late_item(
                session, SECRETARIAT, meeting.id, tracks[0], "Late", None, "a new rule"
            )
        return meeting
    started = service.starts_at(meeting) + dt.timedelta(hours=1)
    service.hold(session, SECRETARIAT, meeting.id, attendees(session), True, "Counsel", started)
    if stop == 3:
        return meeting
    blocks = [
        service.Block("SIA delegation", "Public rules were summarised.", "概述了公开规则。"),
        service.Block("CSIA delegation", "Published statistics.", "已公布的统计数据。"),
    ]
    service.draft_minutes(session, SECRETARIAT, meeting.id, blocks, now=started)
    if stop == 4:
        if signed:
            service.sign_off_minutes(session, COUNSEL, meeting.id)
        return meeting
    service.sign_off_minutes(session, COUNSEL, meeting.id)
    for code in ("SIA", "CSIA"):
        service.approve_minutes(session, head(code), meeting.id)
    return meeting


def meeting_in(engine: Engine, target: State, signed: bool = False, late: bool = False) -> int:
    with transaction(session_factory(engine)) as session:
        return walk(session, target, signed, late).id


def begun(engine: Engine, meeting_id: int) -> None:
    """Time passes: the meeting's day is now yesterday (so it can be marked held)."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    with transaction(session_factory(engine)) as session:
        session.execute(update(Meeting).where(Meeting.id == meeting_id).values(starts_on=yesterday))
