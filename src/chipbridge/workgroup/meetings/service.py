"""The twice-yearly meeting cycle as one state machine.

draft -> agenda circulated -> agenda locked -> held -> minutes drafted -> minutes approved.

Every change to a meeting goes through ``_begin``: it applies the permission matrix, locks
the meeting's row, and refuses a step the meeting's state does not allow, naming the state
and what the step needs, before anything is written. ``STEPS`` is the whole machine: which
action each step needs, from which states, and to which state it leads. Every step is
recorded in the audit log with its actor and the state before and after.

Counsel's sign-off (of the agenda, of the minutes) holds while the content it signed is
unchanged: it stores the content's hash, so an edit after the sign-off needs a new one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipbridge import config
from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.audit.chain import canonical
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Delegation, Participant
from chipbridge.workgroup.errors import NotFound, Refused, find
from chipbridge.workgroup.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesBlock,
    SignOff,
    State,
    Track,
)
from chipbridge.workgroup.meetings.workdays import day_off, next_working_day

DEFAULT_TRACKS = (
    ("Export restrictions", "出口管制"),
    ("Supply chain security", "供应链安全"),
    ("Encryption technology", "加密技术"),
)
INTERVAL = timedelta(days=182)  # twice a year
WARN_AFTER = timedelta(days=213)  # about seven months
CAPACITIES = ("head of delegation", "delegate", "technical expert", "observer")

# Written for chipbridge after the antitrust guidelines that industry associations publish
# for their meetings: an agenda followed, no competitively sensitive exchange, counsel present.
ANTITRUST_TITLE = ("Antitrust statement", "反垄断声明")
ANTITRUST_STATEMENT = (
    "This meeting is held in compliance with the antitrust and competition laws of the United "
    "States, the People's Republic of China and every other applicable jurisdiction. "
    "Participants must not discuss or exchange information on prices, pricing policies, costs, "
    "capacity or output plans, customers, territories or bids, or any other competitively "
    "sensitive matter, and must not reach any agreement or understanding that restricts "
    "competition. Only public information is shared. The discussion follows the circulated "
    "agenda; antitrust counsel attends, and any participant may stop a discussion that raises "
    "a concern. Counsel reviews the minutes before they are approved.",
    "本次会议遵守美国、中华人民共和国及其他所有适用法域的反垄断和竞争法律。与会者不得讨论或"
    "交换有关价格、定价政策、成本、产能或产量计划、客户、地域、投标或任何其他竞争敏感事项的"
    "信息，也不得达成任何限制竞争的协议或默契。会议仅分享公开信息。讨论按照事先分发的议程"
    "进行；反垄断法律顾问出席会议，任何与会者均可叫停引起疑虑的讨论。会议纪要在批准前须经"
    "法律顾问审阅。",
)


@dataclass(frozen=True, slots=True)
class Step:
    action: Action
    sources: tuple[State, ...]
    target: State | None  # None: the step leaves the state as it is
    what: str


S = State
STEPS: dict[str, Step] = {
    "create": Step(Action.MEETING_PLAN, (), S.DRAFT, "create a meeting"),
    "edit_agenda": Step(
        Action.AGENDA_EDIT, (S.DRAFT, S.AGENDA_CIRCULATED), None, "change the agenda"
    ),
    "sign_off_agenda": Step(
        Action.AGENDA_SIGN_OFF, (S.DRAFT, S.AGENDA_CIRCULATED), None, "sign off the agenda"
    ),
    "circulate": Step(Action.MEETING_RUN, (S.DRAFT,), S.AGENDA_CIRCULATED, "circulate the agenda"),
    "lock": Step(Action.MEETING_RUN, (S.AGENDA_CIRCULATED,), S.AGENDA_LOCKED, "lock the agenda"),
    "propose_late_item": Step(
        Action.AGENDA_EDIT, (S.AGENDA_LOCKED,), None, "propose a late agenda item"
    ),
    "decide_late_item": Step(
        Action.AGENDA_SIGN_OFF, (S.AGENDA_LOCKED,), None, "decide on a late agenda item"
    ),
    "hold": Step(Action.MEETING_RUN, (S.AGENDA_LOCKED,), S.HELD, "mark the meeting held"),
    "record_attendance": Step(
        Action.MEETING_RUN, (S.HELD, S.MINUTES_DRAFTED), None, "change the attendance"
    ),
    "draft_minutes": Step(Action.MINUTES_RECORD, (S.HELD,), S.MINUTES_DRAFTED, "draft the minutes"),
    "edit_minutes": Step(Action.MINUTES_RECORD, (S.MINUTES_DRAFTED,), None, "change the minutes"),
    "sign_off_minutes": Step(
        Action.MINUTES_SIGN_OFF, (S.MINUTES_DRAFTED,), None, "sign off the minutes"
    ),
    # The approval that completes the set moves the meeting to minutes approved.
    "approve_minutes": Step(
        Action.MINUTES_APPROVE, (S.MINUTES_DRAFTED,), S.MINUTES_APPROVED, "approve the minutes"
    ),
}
HINTS = {
    ("edit_agenda", S.AGENDA_LOCKED): (
        "the agenda is locked: propose a late item instead, which counsel must approve"
    ),
    ("approve_minutes", S.HELD): "the minutes have not been drafted yet",
    ("sign_off_minutes", S.HELD): "the minutes have not been drafted yet",
    ("hold", S.AGENDA_CIRCULATED): "lock the agenda first",
    ("hold", S.DRAFT): "circulate and lock the agenda first",
}


def label(state: str) -> str:
    return state.replace("_", " ")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Block:
    """One passage of minutes as submitted: both languages and whom it records."""

    attributed_to: str
    text_en: str
    text_zh: str
    agenda_item_id: int | None = None


# --- the state machine -----------------------------------------------------------------------


def _begin(session: Session, actor: Actor, meeting_id: int, step: str) -> Meeting:
    """Check the actor's permission and the meeting's state for ``step``, with the meeting's
    row locked, before anything is written."""
    rule = STEPS[step]
    require(actor, rule.action)
    meeting = find(session, Meeting, meeting_id, "meeting", lock=True)
    state = State(meeting.status)
    if state not in rule.sources:
        needs = " or ".join(label(s) for s in rule.sources)
        hint = HINTS.get((step, state), f"that needs it to be {needs}")
        raise Refused(f"cannot {rule.what}: meeting {meeting.id} is {label(state)}; {hint}")
    return meeting


def _finish(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    step: str,
    details: dict[str, Any] | None = None,
    move: bool = True,
) -> Meeting:
    """Move the meeting to the step's target state (when ``move``) and audit the step."""
    before = meeting.status
    target = STEPS[step].target
    if move and target is not None:
        meeting.status = target
    session.flush()
    record(
        session,
        actor.name,
        step,
        "meeting",
        meeting.id,
        {"state": before},
        {"state": meeting.status, **(details or {})},
    )
    return meeting


def steps_markdown() -> str:
    """The state machine as the Markdown table in docs/meetings.md (a test keeps them equal;
    regenerate with ``python -m chipbridge.workgroup.meetings.service``)."""
    lines = ["| step | from | to | action |", "| --- | --- | --- | --- |"]
    for name, rule in STEPS.items():
        sources = ", ".join(label(s) for s in rule.sources) or "-"
        target = label(rule.target) if rule.target else "(same)"
        if name == "approve_minutes":
            target = "minutes approved, once every head has approved"
        lines.append(f"| `{name}` | {sources} | {target} | `{rule.action.value}` |")
    return "\n".join(lines) + "\n"


# --- time ------------------------------------------------------------------------------------


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Refused(f"{name!r} is not an IANA time zone (e.g. Asia/Shanghai)") from None


def starts_at(meeting: Meeting) -> datetime:
    """The meeting's start in UTC (naive, like every stored time)."""
    local = datetime.combine(meeting.starts_on, meeting.start_time, zone(meeting.timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def notice(notice_days: int | None = None) -> int:
    """The days of notice an agenda needs: ``notice_days``, else the configured number."""
    if notice_days is not None:
        return notice_days
    try:
        return config.agenda_notice_days()
    except ValueError as exc:
        raise Refused(str(exc)) from None


def circulation_deadline(meeting: Meeting, notice_days: int | None = None) -> datetime:
    """The last moment (UTC) the agenda may be circulated."""
    return starts_at(meeting) - timedelta(days=notice(notice_days))


def _local(meeting: Meeting, moment: datetime) -> str:
    stamp = moment.replace(tzinfo=UTC).astimezone(zone(meeting.timezone))
    return f"{stamp:%Y-%m-%d %H:%M} {meeting.timezone}"


# --- content hashes and sign-offs ------------------------------------------------------------


def _digest(content: Any) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The items on the agenda, in order: the antitrust statement first."""
    live = [i for i in meeting.agenda if i.on_agenda]
    return sorted(live, key=lambda i: (not i.antitrust, i.position, i.id))


def agenda_hash(meeting: Meeting) -> str:
    return _digest(
        {
            "meeting": meeting.id,
            "day": meeting.starts_on.isoformat(),
            "tracks": [t.id for t in meeting.tracks],
            "items": [
                [i.id, i.track_id, i.title, i.title_zh, i.antitrust] for i in agenda_items(meeting)
            ],
        }
    )


def minutes_hash(meeting: Meeting) -> str:
    blocks = meeting.minutes.live_blocks if meeting.minutes else []
    return _digest(
        {
            "meeting": meeting.id,
            "blocks": [
                [b.id, b.attributed_to, b.text_en, b.text_zh, b.agenda_item_id] for b in blocks
            ],
            "attendance": sorted([a.participant_id, a.capacity] for a in meeting.attendance),
            "counsel": [meeting.counsel_present, meeting.counsel_name],
        }
    )


def sign_off(meeting: Meeting, subject: str) -> tuple[SignOff | None, bool]:
    """Counsel's latest sign-off of the agenda or minutes, and whether it still holds."""
    signed = [s for s in meeting.sign_offs if s.subject == subject]
    if not signed:
        return None, False
    current = agenda_hash(meeting) if subject == "agenda" else minutes_hash(meeting)
    return signed[-1], signed[-1].content_hash == current


def _require_sign_off(meeting: Meeting, subject: str, before: str) -> SignOff:
    latest, holds = sign_off(meeting, subject)
    if latest is None:
        raise Refused(f"counsel must sign off the {subject} before {before}")
    if not holds:
        raise Refused(
            f"the {subject} changed after counsel signed it off "
            f"({latest.signed_by}, {latest.signed_at:%Y-%m-%d %H:%M} UTC): counsel must sign "
            f"it off again before {before}"
        )
    return latest


def _sign(session: Session, actor: Actor, meeting: Meeting, subject: str, now: datetime) -> None:
    latest, holds = sign_off(meeting, subject)
    if holds and latest is not None:
        raise Refused(f"counsel has already signed off this {subject} ({latest.signed_by})")
    digest = agenda_hash(meeting) if subject == "agenda" else minutes_hash(meeting)
    meeting.sign_offs.append(
        SignOff(subject=subject, content_hash=digest, signed_by=actor.name, signed_at=now)
    )
    _finish(session, actor, meeting, f"sign_off_{subject}", {"content_hash": digest})


# --- tracks ----------------------------------------------------------------------------------


def ensure_tracks(session: Session) -> list[Track]:
    existing = {t.name for t in session.scalars(select(Track))}
    for name, name_zh in DEFAULT_TRACKS:
        if name not in existing:
            session.add(Track(name=name, name_zh=name_zh))
    session.flush()
    return active_tracks(session)


def active_tracks(session: Session) -> list[Track]:
    return list(session.scalars(select(Track).where(Track.removed_at.is_(None)).order_by(Track.id)))


def tracks(session: Session, actor: Actor) -> list[Track]:
    require(actor, Action.GROUP_READ)
    return active_tracks(session)


def track_dict(track: Track) -> dict[str, Any]:
    return {"id": track.id, "name": track.name, "name_zh": track.name_zh}


def _track_name(session: Session, name: str, name_zh: str | None, track_id: int | None) -> None:
    if not name.strip():
        raise Refused("a track needs a name")
    if len(name) > 200 or (name_zh and len(name_zh) > 200):
        raise Refused("a track's name has at most 200 characters")
    same = session.scalar(select(Track).where(Track.name == name.strip(), Track.id != track_id))
    if same is not None:
        removed = " (removed)" if same.removed_at else ""
        raise Refused(f"track {name.strip()!r} exists{removed}")


def add_track(session: Session, actor: Actor, name: str, name_zh: str | None = None) -> Track:
    require(actor, Action.AGENDA_EDIT)
    _track_name(session, name, name_zh, None)
    track = Track(name=name.strip(), name_zh=(name_zh or "").strip() or None)
    session.add(track)
    session.flush()
    record(session, actor.name, "create", "track", track.id, None, track_dict(track))
    return track


def _live_track(session: Session, track_id: int) -> Track:
    track = find(session, Track, track_id, "track", lock=True)
    if track.removed_at is not None:
        raise NotFound(f"track {track_id} was removed")
    return track


def update_track(
    session: Session, actor: Actor, track_id: int, name: str | None, name_zh: str | None
) -> Track:
    """Rename a track (English, Chinese or both); the agendas that use it show the new name."""
    require(actor, Action.AGENDA_EDIT)
    track = _live_track(session, track_id)
    before = track_dict(track)
    new_name = track.name if name is None else name
    new_zh = track.name_zh if name_zh is None else name_zh
    _track_name(session, new_name, new_zh, track.id)
    track.name, track.name_zh = new_name.strip(), (new_zh or "").strip() or None
    session.flush()
    record(session, actor.name, "update", "track", track.id, before, track_dict(track))
    return track


def remove_track(
    session: Session, actor: Actor, track_id: int, now: datetime | None = None
) -> Track:
    """Remove a track no agenda still to be held uses; draft meetings drop it from their
    tracks (their agendas change, so counsel signs them off again)."""
    require(actor, Action.AGENDA_EDIT)
    track = _live_track(session, track_id)
    upcoming = (S.DRAFT, S.AGENDA_CIRCULATED, S.AGENDA_LOCKED)
    used = session.scalars(
        select(AgendaItem)
        .join(Meeting)
        .where(
            AgendaItem.track_id == track.id,
            AgendaItem.removed_at.is_(None),
            Meeting.status.in_(upcoming),
        )
    ).all()
    if used:
        first = used[0]
        raise Refused(
            f"track {track.name!r} has {len(used)} item(s) on agendas still to be held (e.g. "
            f"{first.title!r} on {first.meeting.starts_on}); move or remove them first"
        )
    for meeting in session.scalars(select(Meeting).where(Meeting.status == S.DRAFT)):
        if track in meeting.tracks:
            if len(meeting.tracks) == 1:
                raise Refused(
                    f"track {track.name!r} is the only track of the meeting on "
                    f"{meeting.starts_on}; a meeting needs at least one"
                )
            meeting.tracks.remove(track)
    track.removed_at, track.removed_by = now or _now(), actor.name
    session.flush()
    record(session, actor.name, "remove", "track", track.id, track_dict(track), None)
    return track


# --- meetings --------------------------------------------------------------------------------


def countries(session: Session) -> list[str]:
    """The delegations' countries: a meeting day is a working day in each."""
    return sorted(set(session.scalars(select(Delegation.country))))


def meetings(session: Session, actor: Actor) -> list[Meeting]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Meeting).order_by(Meeting.starts_on, Meeting.id)))


def get(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    require(actor, Action.GROUP_READ)
    return find(session, Meeting, meeting_id, "meeting")


def _host(session: Session, day: date, host: str | None) -> Delegation | None:
    """The side hosting a meeting on ``day``: the one named, else the side that did not host
    the meeting before it (venues alternate)."""
    sides = list(session.scalars(select(Delegation).order_by(Delegation.id)))
    if host is not None:
        chosen = next((d for d in sides if d.code == host), None)
        if chosen is None:
            raise NotFound(f"no delegation {host!r}")
        return chosen
    before = _neighbour(session, day, after=False)
    if before is not None and before.host_delegation_id is not None:
        return next((d for d in sides if d.id != before.host_delegation_id), before.host)
    return sides[0] if sides else None


def _neighbour(session: Session, day: date, after: bool) -> Meeting | None:
    query = select(Meeting).limit(1)
    if after:
        query = query.where(Meeting.starts_on > day).order_by(Meeting.starts_on)
    else:
        query = query.where(Meeting.starts_on <= day).order_by(Meeting.starts_on.desc())
    return session.scalar(query)


def _alternates(session: Session, day: date, side: Delegation) -> None:
    """Refuse a host that hosted the meeting just before or just after this one."""
    if (session.scalar(select(func.count()).select_from(Delegation)) or 0) < 2:
        return
    for after in (False, True):
        other = _neighbour(session, day, after)
        if other is not None and other.host_delegation_id == side.id:
            where = "after" if after else "before"
            raise Refused(
                f"venues alternate between the sides: the meeting {where} this one "
                f"({other.starts_on}) is hosted by {side.code}, so this one cannot be"
            )


def create_meeting(
    session: Session,
    actor: Actor,
    starts_on: date,
    track_ids: list[int],
    host: str | None = None,
    location: str | None = None,
    timezone: str | None = None,
    start_time: time = time(9, 0),
    end_time: time = time(17, 0),
    now: datetime | None = None,
    notice_days: int | None = None,
) -> Meeting:
    """A new meeting in draft, its agenda opening with the antitrust statement.

    Refused: no track, a day that is not a working day on both sides, a day in the past or
    too close to circulate the agenda in time, a host that breaks the alternation.
    """
    require(actor, STEPS["create"].action)
    now = now or _now()
    if not track_ids:
        raise Refused("a meeting needs at least one policy track")
    chosen = [_live_track(session, t) for t in dict.fromkeys(track_ids)]
    if end_time <= start_time:
        raise Refused("a meeting ends after it starts")
    why = day_off(starts_on, countries(session))
    if why:
        raise Refused(f"{why}: a meeting is held on a working day of both sides")
    side = _host(session, starts_on, host)
    zone_name = (timezone or (side.timezone if side else None) or "UTC").strip()
    zone(zone_name)
    venue = (location or (side.venue if side else None) or "").strip() or None
    if venue is not None and len(venue) > 200:
        raise Refused("a venue has at most 200 characters")
    meeting = Meeting(
        starts_on=starts_on,
        start_time=start_time,
        end_time=end_time,
        timezone=zone_name,
        location=venue,
        host=side,
        status=S.DRAFT,
        tracks=chosen,
    )
    start = starts_at(meeting)
    if start <= now:
        raise Refused(f"{starts_on} is in the past: a new meeting is planned ahead")
    deadline = circulation_deadline(meeting, notice_days)
    if deadline < now:
        raise Refused(
            f"{starts_on} is too soon: the agenda must be circulated at least "
            f"{notice(notice_days)} days before the meeting, i.e. by "
            f"{_local(meeting, deadline)}, which has passed"
        )
    if side is not None:
        _alternates(session, starts_on, side)
    session.add(meeting)
    meeting.agenda.append(
        AgendaItem(
            position=0, title=ANTITRUST_TITLE[0], title_zh=ANTITRUST_TITLE[1], antitrust=True
        )
    )
    session.flush()
    record(
        session,
        actor.name,
        "create",
        "meeting",
        meeting.id,
        None,
        {
            "state": meeting.status,
            "starts_on": starts_on.isoformat(),
            "timezone": zone_name,
            "location": venue,
            "host": side.code if side else None,
            "tracks": [t.name for t in chosen],
        },
    )
    return meeting


def propose(session: Session, count: int = 2, today: date | None = None) -> list[date]:
    """The next ``count`` meeting days, about six months apart after the last meeting, each
    moved to the first working day of both sides (no weekend, no public holiday of either)."""
    today = today or _now().date()
    last = session.scalar(select(Meeting.starts_on).order_by(Meeting.starts_on.desc()))
    earliest = today + timedelta(days=max(30, notice() + 2))
    start = last + INTERVAL if last and last + INTERVAL > earliest else earliest
    where = countries(session)
    days = []
    for _ in range(count):
        start = next_working_day(start, where)
        days.append(start)
        start += INTERVAL
    return days


def plan(
    session: Session, actor: Actor, count: int = 2, today: date | None = None
) -> list[Meeting]:
    """Create the next ``count`` meetings on the days ``propose`` gives, with every active
    track; hosts alternate."""
    require(actor, Action.MEETING_PLAN)
    active = [t.id for t in active_tracks(session)]
    if not active:
        raise Refused("there are no policy tracks: add one before planning meetings")
    now = datetime.combine(today, time(0)) if today else None
    return [
        create_meeting(session, actor, day, active, now=now)
        for day in propose(session, count, today)
    ]


def upcoming(session: Session, today: date | None = None) -> list[Meeting]:
    """Meetings not yet held, from today on."""
    today = today or _now().date()
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.starts_on >= today,
                Meeting.status.in_((S.DRAFT, S.AGENDA_CIRCULATED, S.AGENDA_LOCKED)),
            )
            .order_by(Meeting.starts_on)
        )
    )


def warning(session: Session, today: date | None = None) -> str | None:
    """A warning when no meeting is planned within seven months."""
    today = today or _now().date()
    coming = upcoming(session, today)
    if not coming or coming[0].starts_on - today > WARN_AFTER:
        return "No meeting is planned within the next seven months."
    return None


# --- the agenda ------------------------------------------------------------------------------


def _title(title: str, title_zh: str | None) -> tuple[str, str | None]:
    if not title.strip():
        raise Refused("an agenda item needs a title")
    if len(title) > 300 or (title_zh and len(title_zh) > 300):
        raise Refused("an agenda item's title has at most 300 characters")
    return title.strip(), (title_zh or "").strip() or None


def _meeting_track(session: Session, meeting: Meeting, track_id: int) -> Track:
    track = _live_track(session, track_id)
    if track not in meeting.tracks:
        names = ", ".join(t.name for t in meeting.tracks)
        raise Refused(f"track {track.name!r} is not a track of this meeting ({names})")
    return track


def item_dict(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "track_id": item.track_id,
        "track": item.track.name if item.track else None,
        "track_zh": item.track.name_zh if item.track else None,
        "title": item.title,
        "title_zh": item.title_zh,
        "antitrust": item.antitrust,
        "late": item.late,
        "late_reason": item.late_reason,
        "late_decided_by": item.late_decided_by,
        "removed": item.removed_at is not None,
    }


def _new_item(
    meeting: Meeting, track: Track, title: str, title_zh: str | None, **extra: Any
) -> AgendaItem:
    position = max((i.position for i in meeting.agenda), default=0) + 1
    item = AgendaItem(position=position, track=track, title=title, title_zh=title_zh, **extra)
    meeting.agenda.append(item)
    return item


def add_agenda_item(
    session: Session,
    actor: Actor,
    meeting_id: int,
    track_id: int,
    title: str,
    title_zh: str | None = None,
) -> AgendaItem:
    meeting = _begin(session, actor, meeting_id, "edit_agenda")
    track = _meeting_track(session, meeting, track_id)
    item = _new_item(meeting, track, *_title(title, title_zh))
    session.flush()
    record(session, actor.name, "create", "agenda_item", item.id, None, item_dict(item))
    _finish(session, actor, meeting, "edit_agenda", {"added": item.id})
    return item


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None or item.removed_at is not None:
        raise NotFound(f"no agenda item {item_id} on meeting {meeting.id}")
    return item


def update_agenda_item(
    session: Session,
    actor: Actor,
    meeting_id: int,
    item_id: int,
    track_id: int | None = None,
    title: str | None = None,
    title_zh: str | None = None,
) -> AgendaItem:
    """Change an item's title or track before the lock; the antitrust statement is fixed."""
    meeting = _begin(session, actor, meeting_id, "edit_agenda")
    item = _item(meeting, item_id)
    if item.antitrust:
        raise Refused("the antitrust statement opens every agenda and cannot be changed")
    before = item_dict(item)
    item.title, item.title_zh = _title(
        item.title if title is None else title, item.title_zh if title_zh is None else title_zh
    )
    if track_id is not None:
        item.track = _meeting_track(session, meeting, track_id)
    session.flush()
    record(session, actor.name, "update", "agenda_item", item.id, before, item_dict(item))
    _finish(session, actor, meeting, "edit_agenda", {"changed": item.id})
    return item


def remove_agenda_item(
    session: Session, actor: Actor, meeting_id: int, item_id: int, now: datetime | None = None
) -> AgendaItem:
    meeting = _begin(session, actor, meeting_id, "edit_agenda")
    item = _item(meeting, item_id)
    if item.antitrust:
        raise Refused(
            "the antitrust statement is the first item of every agenda and cannot be removed"
        )
    before = item_dict(item)
    item.removed_at, item.removed_by = now or _now(), actor.name
    session.flush()
    record(session, actor.name, "remove", "agenda_item", item.id, before, None)
    _finish(session, actor, meeting, "edit_agenda", {"removed": item.id})
    return item


def sign_off_agenda(
    session: Session, actor: Actor, meeting_id: int, now: datetime | None = None
) -> Meeting:
    """Counsel signs off the agenda as it stands (before circulation, and again after any
    change before the lock)."""
    meeting = _begin(session, actor, meeting_id, "sign_off_agenda")
    _sign(session, actor, meeting, "agenda", now or _now())
    return meeting


def circulate(
    session: Session,
    actor: Actor,
    meeting_id: int,
    now: datetime | None = None,
    notice_days: int | None = None,
) -> Meeting:
    """Circulate the agenda: it has an item beyond the antitrust statement, counsel signed it
    off as it stands, and the notice period before the meeting has not begun."""
    meeting = _begin(session, actor, meeting_id, "circulate")
    now = now or _now()
    if not any(not i.antitrust for i in agenda_items(meeting)):
        raise Refused("the agenda has no item besides the antitrust statement")
    signed = _require_sign_off(meeting, "agenda", "it is circulated")
    deadline = circulation_deadline(meeting, notice_days)
    if now > deadline:
        raise Refused(
            "too late to circulate: the agenda must be circulated at least "
            f"{notice(notice_days)} days before the meeting, by {_local(meeting, deadline)}; "
            "move the meeting to a later day"
        )
    meeting.circulated_at = now
    return _finish(
        session,
        actor,
        meeting,
        "circulate",
        {"deadline": deadline.isoformat(), "signed_off_by": signed.signed_by},
    )


def lock(session: Session, actor: Actor, meeting_id: int, now: datetime | None = None) -> Meeting:
    """Lock the agenda: from now on it changes only by late items counsel approves."""
    meeting = _begin(session, actor, meeting_id, "lock")
    signed = _require_sign_off(meeting, "agenda", "it is locked")
    meeting.locked_at = now or _now()
    return _finish(session, actor, meeting, "lock", {"signed_off_by": signed.signed_by})


def propose_late_item(
    session: Session,
    actor: Actor,
    meeting_id: int,
    track_id: int,
    title: str,
    title_zh: str | None,
    reason: str,
) -> AgendaItem:
    """An item after the lock: it joins the agenda only when counsel approves it."""
    meeting = _begin(session, actor, meeting_id, "propose_late_item")
    if not reason.strip():
        raise Refused("a late item needs a reason (why it could not wait)")
    track = _meeting_track(session, meeting, track_id)
    item = _new_item(
        meeting, track, *_title(title, title_zh), late="pending", late_reason=reason.strip()[:1000]
    )
    session.flush()
    record(session, actor.name, "propose late", "agenda_item", item.id, None, item_dict(item))
    _finish(session, actor, meeting, "propose_late_item", {"item": item.id})
    return item


def decide_late_item(
    session: Session,
    actor: Actor,
    meeting_id: int,
    item_id: int,
    approve: bool,
    now: datetime | None = None,
) -> AgendaItem:
    """Counsel approves a late item (it joins the agenda) or refuses it; recorded either way."""
    meeting = _begin(session, actor, meeting_id, "decide_late_item")
    item = _item(meeting, item_id)
    if item.late != "pending":
        raise Refused(f"agenda item {item_id} is not a late item awaiting counsel's decision")
    before = item_dict(item)
    item.late = "approved" if approve else "refused"
    item.late_decided_by, item.late_decided_at = actor.name, now or _now()
    session.flush()
    record(
        session, actor.name, f"late {item.late}", "agenda_item", item.id, before, item_dict(item)
    )
    _finish(session, actor, meeting, "decide_late_item", {"item": item.id, "late": item.late})
    return item


# --- the meeting itself ----------------------------------------------------------------------


def _attendance(
    session: Session,
    meeting: Meeting,
    attendees: list[tuple[int, str]],
    counsel_present: bool,
    counsel_name: str | None,
) -> dict[str, Any]:
    """Replace the attendance: who came, for which delegation, in what capacity."""
    if not attendees:
        raise Refused("record who attended: at least one participant")
    if counsel_present and not (counsel_name or "").strip():
        raise Refused("name the counsel who was present")
    seen: set[int] = set()
    rows = []
    for participant_id, capacity in attendees:
        if capacity not in CAPACITIES:
            raise Refused(f"capacity must be one of: {', '.join(CAPACITIES)}")
        if participant_id in seen:
            raise Refused(f"participant {participant_id} is listed twice")
        seen.add(participant_id)
        person = find(session, Participant, participant_id, "participant")
        side = person.company.delegation if person.company else None
        if person.removed_at is not None or side is None:
            raise Refused(f"{person.name} is not a participant of either delegation")
        rows.append(Attendance(participant=person, delegation=side, capacity=capacity))
    for old in list(meeting.attendance):
        meeting.attendance.remove(old)
        session.delete(old)
    session.flush()
    meeting.attendance.extend(rows)
    meeting.counsel_present = counsel_present
    meeting.counsel_name = ((counsel_name or "").strip()[:200] or None) if counsel_present else None
    return {
        "attendance": [[r.participant.name, r.delegation.code, r.capacity] for r in rows],
        "counsel_present": counsel_present,
        "counsel": meeting.counsel_name,
    }


def hold(
    session: Session,
    actor: Actor,
    meeting_id: int,
    attendees: list[tuple[int, str]],
    counsel_present: bool,
    counsel_name: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Mark the meeting held, once it has begun, with its attendance."""
    meeting = _begin(session, actor, meeting_id, "hold")
    now = now or _now()
    if now < starts_at(meeting):
        raise Refused(
            f"the meeting has not begun: it starts {meeting.starts_on} "
            f"{meeting.start_time:%H:%M} {meeting.timezone}"
        )
    pending = [i for i in meeting.agenda if i.late == "pending" and i.removed_at is None]
    if pending:
        raise Refused(
            f"late item {pending[0].title!r} awaits counsel's decision; counsel approves or "
            "refuses it before the meeting is marked held"
        )
    details = _attendance(session, meeting, attendees, counsel_present, counsel_name)
    meeting.held_at = now
    return _finish(session, actor, meeting, "hold", details)


def _no_approvals(meeting: Meeting) -> None:
    if meeting.minutes is not None and meeting.minutes.approvals:
        codes = ", ".join(meeting.minutes.approved_by)
        raise Refused(f"{codes} approved these minutes; they can no longer change")


def record_attendance(
    session: Session,
    actor: Actor,
    meeting_id: int,
    attendees: list[tuple[int, str]],
    counsel_present: bool,
    counsel_name: str | None = None,
) -> Meeting:
    """Correct the attendance after the meeting, until a head has approved the minutes."""
    meeting = _begin(session, actor, meeting_id, "record_attendance")
    _no_approvals(meeting)
    details = _attendance(session, meeting, attendees, counsel_present, counsel_name)
    return _finish(session, actor, meeting, "record_attendance", details)


def _check_block(meeting: Meeting, block: Block) -> MinutesBlock:
    if not block.attributed_to.strip():
        raise Refused("attribute each block of the minutes (a speaker or a delegation)")
    if not block.text_en.strip() or not block.text_zh.strip():
        raise Refused("each block of the minutes is in English and Chinese, side by side")
    if len(block.attributed_to) > 300:
        raise Refused("an attribution has at most 300 characters")
    if block.agenda_item_id is not None:
        _item(meeting, block.agenda_item_id)
    return MinutesBlock(
        position=0,
        agenda_item_id=block.agenda_item_id,
        attributed_to=block.attributed_to.strip(),
        text_en=block.text_en.strip(),
        text_zh=block.text_zh.strip(),
        recorded_by="",
    )


def _append(minutes: Minutes, block: MinutesBlock, actor: Actor) -> None:
    block.position = max((b.position for b in minutes.blocks), default=0) + 1
    block.recorded_by = actor.name
    minutes.blocks.append(block)


def block_dict(block: MinutesBlock) -> dict[str, Any]:
    return {
        "id": block.id,
        "agenda_item_id": block.agenda_item_id,
        "attributed_to": block.attributed_to,
        "text_en": block.text_en,
        "text_zh": block.text_zh,
        "recorded_by": block.recorded_by,
    }


def draft_minutes(
    session: Session,
    actor: Actor,
    meeting_id: int,
    blocks: list[Block],
    now: datetime | None = None,
) -> Minutes:
    """The first draft of the minutes, in blocks of English and Chinese side by side."""
    meeting = _begin(session, actor, meeting_id, "draft_minutes")
    if not blocks:
        raise Refused("minutes need at least one block")
    checked = [_check_block(meeting, b) for b in blocks]
    minutes = meeting.minutes or Minutes(meeting=meeting)
    minutes.drafted_by, minutes.drafted_at = actor.name, now or _now()
    session.add(minutes)
    for block in checked:
        _append(minutes, block, actor)
    session.flush()
    record(
        session,
        actor.name,
        "create",
        "minutes",
        minutes.id,
        None,
        {"meeting": meeting.id, "blocks": [block_dict(b) for b in checked]},
    )
    _finish(session, actor, meeting, "draft_minutes", {"blocks": len(checked)})
    return minutes


def add_minutes_block(
    session: Session, actor: Actor, meeting_id: int, block: Block
) -> MinutesBlock:
    meeting = _begin(session, actor, meeting_id, "edit_minutes")
    _no_approvals(meeting)
    assert meeting.minutes is not None  # minutes drafted
    checked = _check_block(meeting, block)
    _append(meeting.minutes, checked, actor)
    session.flush()
    record(session, actor.name, "create", "minutes_block", checked.id, None, block_dict(checked))
    _finish(session, actor, meeting, "edit_minutes", {"added": checked.id})
    return checked


def remove_minutes_block(
    session: Session, actor: Actor, meeting_id: int, block_id: int, now: datetime | None = None
) -> MinutesBlock:
    meeting = _begin(session, actor, meeting_id, "edit_minutes")
    _no_approvals(meeting)
    assert meeting.minutes is not None
    block = next((b for b in meeting.minutes.live_blocks if b.id == block_id), None)
    if block is None:
        raise NotFound(f"no block {block_id} in the minutes of meeting {meeting.id}")
    if len(meeting.minutes.live_blocks) == 1:
        raise Refused("the minutes' last block cannot be removed; add its replacement first")
    block.removed_at, block.removed_by = now or _now(), actor.name
    session.flush()
    record(session, actor.name, "remove", "minutes_block", block.id, block_dict(block), None)
    _finish(session, actor, meeting, "edit_minutes", {"removed": block.id})
    return block


def sign_off_minutes(
    session: Session, actor: Actor, meeting_id: int, now: datetime | None = None
) -> Meeting:
    meeting = _begin(session, actor, meeting_id, "sign_off_minutes")
    _sign(session, actor, meeting, "minutes", now or _now())
    return meeting


def approve_minutes(
    session: Session, actor: Actor, meeting_id: int, now: datetime | None = None
) -> Minutes:
    """The signed-in head of a delegation approves for that delegation, and nobody else can,
    after counsel signed off the minutes as they stand. Each approval is its own row, so two
    heads approving at once both count; the one that completes the set moves the meeting to
    minutes approved (the meeting's row is locked while approvals are counted)."""
    require(actor, Action.MINUTES_APPROVE)
    delegation = session.scalar(select(Delegation).where(Delegation.code == actor.delegation))
    if delegation is None:
        raise Refused("only the head of a delegation approves minutes")
    meeting = _begin(session, actor, meeting_id, "approve_minutes")
    minutes = meeting.minutes
    assert minutes is not None
    _require_sign_off(meeting, "minutes", "the heads approve them")
    before = minutes.approved_by
    if delegation.code in before:
        raise Refused(f"{delegation.code} has already approved these minutes")
    minutes.approvals.append(
        MinutesApproval(delegation=delegation, approved_by=actor.name, approved_at=now or _now())
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
    sides = set(session.scalars(select(Delegation.code)))
    _finish(
        session,
        actor,
        meeting,
        "approve_minutes",
        {"delegation": delegation.code},
        move=sides <= set(minutes.approved_by),
    )
    return minutes


def is_final(meeting: Meeting) -> bool:
    """Minutes are final once the head of every delegation has approved them."""
    return meeting.status == S.MINUTES_APPROVED


if __name__ == "__main__":
    print(steps_markdown(), end="")
