"""Meetings, agendas by track and minutes: pages and JSON.

Minutes are approved by the signed-in head of each delegation for that delegation; the
request names no delegation and no head. Until both heads have approved, the text is shown
only to the roles allowed ``minutes.read_draft``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Filled, Id, render
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import Meeting

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.GROUP_READ))]
AgendaEditor = Annotated[Actor, Depends(permit(Action.AGENDA_EDIT))]
Recorder = Annotated[Actor, Depends(permit(Action.MINUTES_RECORD))]
Approver = Annotated[Actor, Depends(permit(Action.MINUTES_APPROVE))]


class AgendaIn(BaseModel):
    track_id: Id
    title: Filled = Field(max_length=300)


class MinutesIn(BaseModel):
    text: Filled = Field(max_length=100_000)


class AgendaItemOut(BaseModel):
    track: str
    title: str


class MinutesOut(BaseModel):
    text: str | None = Field(
        description="Null until both heads approved, for roles that may not read drafts"
    )
    approved_by: list[str] = Field(description="Codes of the delegations whose heads approved")
    final: bool


class MeetingOut(BaseModel):
    id: int
    starts_on: dt.date
    status: str
    agenda: list[AgendaItemOut]
    minutes: MinutesOut | None


def meeting_dict(db: Session, actor: Actor, meeting: Meeting) -> dict[str, Any]:
    minutes = meeting.minutes
    final = minutes is not None and service.is_final(db, minutes)
    readable = final or allowed(actor, Action.MINUTES_READ_DRAFT)
    return {
        "id": meeting.id,
        "starts_on": meeting.starts_on.isoformat(),
        "status": meeting.status,
        "agenda": [{"track": i.track.name, "title": i.title} for i in meeting.agenda],
        "minutes": None
        if minutes is None
        else {
            "text": minutes.text if readable else None,
            "approved_by": list(minutes.approved_by),
            "final": final,
        },
    }


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    return render(
        request,
        "meetings.html",
        meetings=[meeting_dict(db, actor, m) for m in service.meetings(db, actor)],
        warning=service.warning(db),
    )


@router.get("/api/v1/meetings", response_model=list[MeetingOut])
def api_meetings(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [meeting_dict(db, actor, m) for m in service.meetings(db, actor)]


@router.post(
    "/api/v1/meetings/{meeting_id}/agenda",
    status_code=201,
    response_model=MeetingOut,
    responses={404: {"description": "No such meeting or track"}},
)
def api_agenda(meeting_id: Id, body: AgendaIn, db: Db, actor: AgendaEditor) -> dict[str, Any]:
    service.add_agenda_item(db, actor, meeting_id, body.track_id, body.title)
    return meeting_dict(db, actor, service.get(db, actor, meeting_id))


@router.post(
    "/api/v1/meetings/{meeting_id}/minutes",
    status_code=201,
    response_model=MeetingOut,
    responses={
        400: {"description": "The meeting has minutes already"},
        404: {"description": "No such meeting"},
    },
)
def api_minutes(meeting_id: Id, body: MinutesIn, db: Db, actor: Recorder) -> dict[str, Any]:
    service.record_minutes(db, actor, meeting_id, body.text)
    return meeting_dict(db, actor, service.get(db, actor, meeting_id))


_APPROVE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "This delegation approved already"},
    404: {"description": "No such meeting, or it has no minutes"},
}


@router.post(
    "/api/v1/meetings/{meeting_id}/minutes/approve",
    response_model=MeetingOut,
    responses=_APPROVE_ERRORS,
)
def api_approve(meeting_id: Id, db: Db, actor: Approver) -> dict[str, Any]:
    service.approve_minutes(db, actor, meeting_id)
    return meeting_dict(db, actor, service.get(db, actor, meeting_id))


@router.post(
    "/meetings/{meeting_id}/minutes/approve",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Approved: back to the meetings"}, **_APPROVE_ERRORS},
)
def approve_form(meeting_id: Id, db: Db, actor: Approver) -> RedirectResponse:
    service.approve_minutes(db, actor, meeting_id)
    return RedirectResponse("/meetings", status_code=303)
