"""Meetings: the list, each meeting's page with the lifecycle's actions for the signed-in
role, the pack PDF, the iCalendar feed, and the same as JSON under /api/v1.

Every step goes through ``service`` (the state machine): a page's form and the API call
the same function, so a refused step is the same 400 with the same message either way, and
nothing is written. Minutes are approved by the signed-in head of each delegation for that
delegation; until both heads have approved, the minutes are shown only to the roles allowed
``minutes.read_draft``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Filled, Id, Utc, render
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.meetings import ical, pack, service
from chipbridge.workgroup.meetings.models import Meeting, SignOff

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.GROUP_READ))]
CalendarReader = Annotated[Actor, Depends(permit(Action.CALENDAR_READ))]
Planner = Annotated[Actor, Depends(permit(Action.MEETING_PLAN))]
Runner = Annotated[Actor, Depends(permit(Action.MEETING_RUN))]
AgendaEditor = Annotated[Actor, Depends(permit(Action.AGENDA_EDIT))]
AgendaCounsel = Annotated[Actor, Depends(permit(Action.AGENDA_SIGN_OFF))]
Recorder = Annotated[Actor, Depends(permit(Action.MINUTES_RECORD))]
MinutesCounsel = Annotated[Actor, Depends(permit(Action.MINUTES_SIGN_OFF))]
Approver = Annotated[Actor, Depends(permit(Action.MINUTES_APPROVE))]
Title = Annotated[str, Field(min_length=1, max_length=300)]
OptionalTitle = Annotated[str | None, Field(default=None, max_length=300)]
IANA = Annotated[str | None, Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$")]


class MeetingIn(BaseModel):
    starts_on: dt.date
    track_ids: list[Id] = Field(max_length=50)
    host: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")
    location: str | None = Field(default=None, max_length=200)
    timezone: IANA = None
    start_time: dt.time = dt.time(9, 0)
    end_time: dt.time = dt.time(17, 0)


class AgendaIn(BaseModel):
    track_id: Id
    title: Title
    title_zh: OptionalTitle = None


class AgendaPatch(BaseModel):
    track_id: Id | None = None
    title: Annotated[str | None, Field(default=None, min_length=1, max_length=300)] = None
    title_zh: OptionalTitle = None


class LateItemIn(AgendaIn):
    reason: str = Field(min_length=1, max_length=1000)


class LateDecisionIn(BaseModel):
    approve: bool


class AttendeeIn(BaseModel):
    participant_id: Id
    capacity: str = Field(max_length=30)


class AttendanceIn(BaseModel):
    attendance: list[AttendeeIn] = Field(min_length=1, max_length=200)
    counsel_present: bool
    counsel_name: str | None = Field(default=None, max_length=200)


class BlockIn(BaseModel):
    attributed_to: str = Field(min_length=1, max_length=300)
    text_en: str = Field(min_length=1, max_length=50_000)
    text_zh: str = Field(min_length=1, max_length=50_000)
    agenda_item_id: Id | None = None

    def block(self) -> service.Block:
        return service.Block(self.attributed_to, self.text_en, self.text_zh, self.agenda_item_id)


class MinutesIn(BaseModel):
    blocks: list[BlockIn] = Field(min_length=1, max_length=200)


class TrackIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)


class TrackPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)


class TrackOut(BaseModel):
    id: int
    name: str
    name_zh: str | None


class ItemOut(BaseModel):
    id: int
    position: int
    track_id: int | None
    track: str | None
    track_zh: str | None
    title: str
    title_zh: str | None
    antitrust: bool = Field(description="The antitrust statement every agenda opens with")
    late: Literal["pending", "approved", "refused"] | None
    late_reason: str | None
    late_decided_by: str | None
    removed: bool


class SignOffOut(BaseModel):
    signed_by: str
    signed_at: Utc
    holds: bool = Field(description="False once the signed content changed")


class AttendeeOut(BaseModel):
    participant_id: int
    name: str
    name_zh: str | None
    delegation: str
    capacity: str


class BlockOut(BaseModel):
    id: int
    agenda_item_id: int | None
    attributed_to: str
    text_en: str
    text_zh: str
    recorded_by: str


class MinutesOut(BaseModel):
    blocks: list[BlockOut] | None = Field(
        description="Null until final, for roles that may not read drafts"
    )
    sign_off: SignOffOut | None
    approved_by: list[str] = Field(description="Codes of the delegations whose heads approved")
    final: bool


class MeetingOut(BaseModel):
    id: int
    starts_on: dt.date
    start_time: str = Field(description="HH:MM, local time")
    end_time: str
    timezone: str
    location: str | None
    host: str | None = Field(description="The host delegation's code")
    state: str
    starts_at_utc: Utc
    circulation_deadline_utc: Utc
    circulated_at: Utc | None
    locked_at: Utc | None
    held_at: Utc | None
    tracks: list[TrackOut]
    agenda: list[ItemOut]
    late_items: list[ItemOut]
    agenda_sign_off: SignOffOut | None
    attendance: list[AttendeeOut]
    counsel_present: bool | None
    counsel_name: str | None
    minutes: MinutesOut | None


_MEETING: dict[str, Any] = {"response_model": MeetingOut}
_TRACK: dict[str, Any] = {"response_model": TrackOut}


def _sign_off_dict(found: tuple[SignOff | None, bool]) -> dict[str, Any] | None:
    signed, holds = found
    if signed is None:
        return None
    return {
        "signed_by": signed.signed_by,
        "signed_at": signed.signed_at.isoformat(),
        "holds": holds,
    }


def _at(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def meeting_dict(actor: Actor, meeting: Meeting) -> dict[str, Any]:
    minutes = meeting.minutes
    final = service.is_final(meeting)
    readable = final or allowed(actor, Action.MINUTES_READ_DRAFT)
    return {
        "id": meeting.id,
        "starts_on": meeting.starts_on.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M"),
        "timezone": meeting.timezone,
        "location": meeting.location,
        "host": meeting.host.code if meeting.host else None,
        "state": meeting.status,
        "starts_at_utc": service.starts_at(meeting).isoformat(),
        "circulation_deadline_utc": service.circulation_deadline(meeting).isoformat(),
        "circulated_at": _at(meeting.circulated_at),
        "locked_at": _at(meeting.locked_at),
        "held_at": _at(meeting.held_at),
        "tracks": [service.track_dict(t) for t in meeting.tracks],
        "agenda": [service.item_dict(i) for i in service.agenda_items(meeting)],
        "late_items": [
            service.item_dict(i)
            for i in meeting.agenda
            if i.late in ("pending", "refused") and i.removed_at is None
        ],
        "agenda_sign_off": _sign_off_dict(service.sign_off(meeting, "agenda")),
        "attendance": [
            {
                "participant_id": a.participant_id,
                "name": a.participant.name,
                "name_zh": a.participant.name_zh,
                "delegation": a.delegation.code,
                "capacity": a.capacity,
            }
            for a in meeting.attendance
        ],
        "counsel_present": meeting.counsel_present,
        "counsel_name": meeting.counsel_name,
        "minutes": None
        if minutes is None
        else {
            "blocks": [service.block_dict(b) for b in minutes.live_blocks] if readable else None,
            "sign_off": _sign_off_dict(service.sign_off(meeting, "minutes")),
            "approved_by": list(minutes.approved_by),
            "final": final,
        },
    }


def _attendees(body: AttendanceIn) -> list[tuple[int, str]]:
    return [(a.participant_id, a.capacity) for a in body.attendance]


# --- pages -----------------------------------------------------------------------------------


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    return render(
        request,
        "meetings.html",
        meetings=service.meetings(db, actor),
        tracks=service.tracks(db, actor),
        delegations=delegations.delegations(db, actor),
        label=service.label,
        warning=service.warning(db),
    )


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(request: Request, meeting_id: Id, db: Db, actor: Reader) -> HTMLResponse:
    meeting = service.get(db, actor, meeting_id)
    view = meeting_dict(actor, meeting)
    people = [p for p in delegations.participants(db, actor) if p.company and p.company.delegation]
    return render(
        request,
        "meeting.html",
        view=view,
        people=people,
        capacities=service.CAPACITIES,
        deadline=service.circulation_deadline(meeting),
        agenda_sign_off=service.sign_off(meeting, "agenda"),
        minutes_sign_off=service.sign_off(meeting, "minutes"),
        **pack.context(db, actor, meeting),
    )


def _back(meeting_id: int) -> RedirectResponse:
    return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)


def _parse(parse: Any, value: str, what: str) -> Any:
    try:
        return parse(value)
    except ValueError:
        raise Refused(f"{what} is not valid: {value!r}") from None


@router.post("/meetings", responses={404: {"description": "No such track or host delegation"}})
def create_form(
    db: Db,
    actor: Planner,
    starts_on: Annotated[Filled, Form(max_length=10)],
    track_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI reads the default
    host: Annotated[str, Form(max_length=20)] = "",
    location: Annotated[str, Form(max_length=200)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    start_time: Annotated[str, Form(max_length=5)] = "09:00",
    end_time: Annotated[str, Form(max_length=5)] = "17:00",
) -> RedirectResponse:
    meeting = service.create_meeting(
        db,
        actor,
        _parse(dt.date.fromisoformat, starts_on, "the date (YYYY-MM-DD)"),
        track_ids,
        host or None,
        location or None,
        timezone or None,
        _parse(dt.time.fromisoformat, start_time, "the start time (HH:MM)"),
        _parse(dt.time.fromisoformat, end_time, "the end time (HH:MM)"),
    )
    return _back(meeting.id)


@router.post("/meetings/{meeting_id}/agenda")
def add_item_form(
    meeting_id: Id,
    db: Db,
    actor: AgendaEditor,
    track_id: Annotated[int, Form(ge=1)],
    title: Annotated[Filled, Form(max_length=300)],
    title_zh: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    service.add_agenda_item(db, actor, meeting_id, track_id, title, title_zh or None)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/agenda/sign-off")
def sign_off_agenda_form(meeting_id: Id, db: Db, actor: AgendaCounsel) -> RedirectResponse:
    service.sign_off_agenda(db, actor, meeting_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/agenda/{item_id}")
def edit_item_form(
    meeting_id: Id,
    item_id: Id,
    db: Db,
    actor: AgendaEditor,
    track_id: Annotated[int, Form(ge=1)],
    title: Annotated[Filled, Form(max_length=300)],
    title_zh: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    service.update_agenda_item(db, actor, meeting_id, item_id, track_id, title, title_zh)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/agenda/{item_id}/remove")
def remove_item_form(meeting_id: Id, item_id: Id, db: Db, actor: AgendaEditor) -> RedirectResponse:
    service.remove_agenda_item(db, actor, meeting_id, item_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/circulate")
def circulate_form(meeting_id: Id, db: Db, actor: Runner) -> RedirectResponse:
    service.circulate(db, actor, meeting_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/lock")
def lock_form(meeting_id: Id, db: Db, actor: Runner) -> RedirectResponse:
    service.lock(db, actor, meeting_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/late-items")
def late_item_form(
    meeting_id: Id,
    db: Db,
    actor: AgendaEditor,
    track_id: Annotated[int, Form(ge=1)],
    title: Annotated[Filled, Form(max_length=300)],
    reason: Annotated[Filled, Form(max_length=1000)],
    title_zh: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    service.propose_late_item(db, actor, meeting_id, track_id, title, title_zh or None, reason)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/late-items/{item_id}")
def late_decision_form(
    meeting_id: Id,
    item_id: Id,
    db: Db,
    actor: AgendaCounsel,
    decision: Annotated[str, Form(pattern="^(approve|refuse)$")],
) -> RedirectResponse:
    service.decide_late_item(db, actor, meeting_id, item_id, decision == "approve")
    return _back(meeting_id)


async def _form(request: Request) -> FormData:
    return await request.form()


@router.post("/meetings/{meeting_id}/hold")
def hold_form(
    meeting_id: Id, db: Db, actor: Runner, form: Annotated[FormData, Depends(_form)]
) -> RedirectResponse:
    """The form sends ``capacity-<participant id>`` for each attendee (empty: absent)."""
    attendees = []
    for key, value in form.multi_items():
        ident = key.removeprefix("capacity-")
        if key.startswith("capacity-") and isinstance(value, str) and value:
            attendees.append((_parse(int, ident, "a participant id"), value))
    name = form.get("counsel_name")
    service.hold(
        db,
        actor,
        meeting_id,
        attendees,
        form.get("counsel_present") == "yes",
        name if isinstance(name, str) else None,
    )
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/minutes")
def minutes_form(
    meeting_id: Id,
    db: Db,
    actor: Recorder,
    attributed_to: Annotated[Filled, Form(max_length=300)],
    text_en: Annotated[Filled, Form(max_length=50_000)],
    text_zh: Annotated[Filled, Form(max_length=50_000)],
    agenda_item_id: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:
    """Draft the minutes with this block (after the meeting), or add it to the draft."""
    item = _parse(int, agenda_item_id, "the agenda item") if agenda_item_id else None
    block = service.Block(attributed_to, text_en, text_zh, item)
    meeting = service.get(db, actor, meeting_id)
    if meeting.minutes is None:
        service.draft_minutes(db, actor, meeting_id, [block])
    else:
        service.add_minutes_block(db, actor, meeting_id, block)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/minutes/blocks/{block_id}/remove")
def remove_block_form(meeting_id: Id, block_id: Id, db: Db, actor: Recorder) -> RedirectResponse:
    service.remove_minutes_block(db, actor, meeting_id, block_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/minutes/sign-off")
def sign_off_minutes_form(meeting_id: Id, db: Db, actor: MinutesCounsel) -> RedirectResponse:
    service.sign_off_minutes(db, actor, meeting_id)
    return _back(meeting_id)


@router.post("/meetings/{meeting_id}/minutes/approve")
def approve_form(meeting_id: Id, db: Db, actor: Approver) -> RedirectResponse:
    service.approve_minutes(db, actor, meeting_id)
    return _back(meeting_id)


@router.post("/tracks")
def add_track_form(
    db: Db,
    actor: AgendaEditor,
    name: Annotated[Filled, Form(max_length=200)],
    name_zh: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    service.add_track(db, actor, name, name_zh or None)
    return RedirectResponse("/meetings", status_code=303)


@router.post("/tracks/{track_id}")
def edit_track_form(
    track_id: Id,
    db: Db,
    actor: AgendaEditor,
    name: Annotated[Filled, Form(max_length=200)],
    name_zh: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    service.update_track(db, actor, track_id, name, name_zh)
    return RedirectResponse("/meetings", status_code=303)


@router.post("/tracks/{track_id}/remove")
def remove_track_form(track_id: Id, db: Db, actor: AgendaEditor) -> RedirectResponse:
    service.remove_track(db, actor, track_id)
    return RedirectResponse("/meetings", status_code=303)


@router.get(
    "/meetings/{meeting_id}/pack.pdf",
    response_class=Response,
    responses={200: {"description": "The PDF", "content": {"application/pdf": {}}}},
)
def pack_pdf(meeting_id: Id, db: Db, actor: Reader) -> Response:
    """The bilingual meeting pack (agenda, participants, documents, antitrust statement)."""
    meeting = service.get(db, actor, meeting_id)
    name = f"meeting-pack-{meeting.starts_on.isoformat()}.pdf"
    return Response(
        pack.render(db, actor, meeting_id),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/meetings.ics",
    response_class=Response,
    responses={200: {"description": "iCalendar", "content": {"text/calendar": {}}}},
)
def calendar(db: Db, actor: CalendarReader) -> Response:
    """Every meeting as iCalendar, in its own time zone. Signed-in users and API tokens
    (read scope is enough) only: no token in the URL."""
    return Response(
        ical.feed(db, actor),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="chipbridge-meetings.ics"'},
    )


# --- JSON ------------------------------------------------------------------------------------


def _json(db: Session, actor: Actor, meeting_id: int) -> dict[str, Any]:
    return meeting_dict(actor, service.get(db, actor, meeting_id))


@router.get("/api/v1/meetings", response_model=list[MeetingOut])
def api_meetings(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [meeting_dict(actor, m) for m in service.meetings(db, actor)]


@router.post(
    "/api/v1/meetings",
    status_code=201,
    responses={404: {"description": "No such track or host delegation"}},
    **_MEETING,
)
def api_create(body: MeetingIn, db: Db, actor: Planner) -> dict[str, Any]:
    meeting = service.create_meeting(
        db,
        actor,
        body.starts_on,
        list(body.track_ids),
        body.host,
        body.location,
        body.timezone,
        body.start_time,
        body.end_time,
    )
    return meeting_dict(actor, meeting)


@router.get("/api/v1/meetings/{meeting_id}", **_MEETING)
def api_meeting(meeting_id: Id, db: Db, actor: Reader) -> dict[str, Any]:
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/agenda", status_code=201, **_MEETING)
def api_agenda(meeting_id: Id, body: AgendaIn, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    service.add_agenda_item(db, actor, meeting_id, body.track_id, body.title, body.title_zh)
    return _json(db, actor, meeting_id)


@router.patch("/api/v1/meetings/{meeting_id}/agenda/{item_id}", **_MEETING)
def api_edit_item(
    meeting_id: Id, item_id: Id, body: AgendaPatch, db: Db, actor: AgendaEditor
) -> dict[str, Any]:
    service.update_agenda_item(
        db, actor, meeting_id, item_id, body.track_id, body.title, body.title_zh
    )
    return _json(db, actor, meeting_id)


@router.delete("/api/v1/meetings/{meeting_id}/agenda/{item_id}", **_MEETING)
def api_remove_item(meeting_id: Id, item_id: Id, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    service.remove_agenda_item(db, actor, meeting_id, item_id)
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/agenda/sign-off", **_MEETING)
def api_sign_off_agenda(meeting_id: Id, db: Db, actor: AgendaCounsel) -> dict[str, Any]:
    return meeting_dict(actor, service.sign_off_agenda(db, actor, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/circulate", **_MEETING)
def api_circulate(meeting_id: Id, db: Db, actor: Runner) -> dict[str, Any]:
    return meeting_dict(actor, service.circulate(db, actor, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/lock", **_MEETING)
def api_lock(meeting_id: Id, db: Db, actor: Runner) -> dict[str, Any]:
    return meeting_dict(actor, service.lock(db, actor, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/late-items", status_code=201, **_MEETING)
def api_late_item(meeting_id: Id, body: LateItemIn, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    service.propose_late_item(
        db, actor, meeting_id, body.track_id, body.title, body.title_zh, body.reason
    )
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/late-items/{item_id}", **_MEETING)
def api_late_decision(
    meeting_id: Id, item_id: Id, body: LateDecisionIn, db: Db, actor: AgendaCounsel
) -> dict[str, Any]:
    service.decide_late_item(db, actor, meeting_id, item_id, body.approve)
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/hold", **_MEETING)
def api_hold(meeting_id: Id, body: AttendanceIn, db: Db, actor: Runner) -> dict[str, Any]:
    meeting = service.hold(
        db, actor, meeting_id, _attendees(body), body.counsel_present, body.counsel_name
    )
    return meeting_dict(actor, meeting)


@router.put("/api/v1/meetings/{meeting_id}/attendance", **_MEETING)
def api_attendance(meeting_id: Id, body: AttendanceIn, db: Db, actor: Runner) -> dict[str, Any]:
    meeting = service.record_attendance(
        db, actor, meeting_id, _attendees(body), body.counsel_present, body.counsel_name
    )
    return meeting_dict(actor, meeting)


@router.post("/api/v1/meetings/{meeting_id}/minutes", status_code=201, **_MEETING)
def api_minutes(meeting_id: Id, body: MinutesIn, db: Db, actor: Recorder) -> dict[str, Any]:
    service.draft_minutes(db, actor, meeting_id, [b.block() for b in body.blocks])
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/minutes/blocks", status_code=201, **_MEETING)
def api_add_block(meeting_id: Id, body: BlockIn, db: Db, actor: Recorder) -> dict[str, Any]:
    service.add_minutes_block(db, actor, meeting_id, body.block())
    return _json(db, actor, meeting_id)


@router.delete("/api/v1/meetings/{meeting_id}/minutes/blocks/{block_id}", **_MEETING)
def api_remove_block(meeting_id: Id, block_id: Id, db: Db, actor: Recorder) -> dict[str, Any]:
    service.remove_minutes_block(db, actor, meeting_id, block_id)
    return _json(db, actor, meeting_id)


@router.post("/api/v1/meetings/{meeting_id}/minutes/sign-off", **_MEETING)
def api_sign_off_minutes(meeting_id: Id, db: Db, actor: MinutesCounsel) -> dict[str, Any]:
    return meeting_dict(actor, service.sign_off_minutes(db, actor, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/minutes/approve", **_MEETING)
def api_approve(meeting_id: Id, db: Db, actor: Approver) -> dict[str, Any]:
    service.approve_minutes(db, actor, meeting_id)
    return _json(db, actor, meeting_id)


@router.get("/api/v1/tracks", response_model=list[TrackOut])
def api_tracks(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [service.track_dict(t) for t in service.tracks(db, actor)]


@router.post("/api/v1/tracks", status_code=201, **_TRACK)
def api_add_track(body: TrackIn, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    return service.track_dict(service.add_track(db, actor, body.name, body.name_zh))


@router.patch("/api/v1/tracks/{track_id}", **_TRACK)
def api_edit_track(track_id: Id, body: TrackPatch, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    return service.track_dict(service.update_track(db, actor, track_id, body.name, body.name_zh))


@router.delete("/api/v1/tracks/{track_id}", **_TRACK)
def api_remove_track(track_id: Id, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    return service.track_dict(service.remove_track(db, actor, track_id))
