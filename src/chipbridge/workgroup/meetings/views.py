"""Meetings, agendas by track and minutes: pages and JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.web.deps import actor, render, session
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import Meeting

router = APIRouter()
Db = Annotated[Session, Depends(session)]
Who = Annotated[str, Depends(actor)]


class AgendaIn(BaseModel):
    track_id: int
    title: str = Field(min_length=1, max_length=300)


class MinutesIn(BaseModel):
    text: str = Field(min_length=1, max_length=100_000)


class ApprovalIn(BaseModel):
    delegation: str = Field(pattern="^(SIA|CSIA)$")
    head: str = Field(min_length=1, max_length=200)


def meeting_dict(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "starts_on": meeting.starts_on.isoformat(),
        "status": meeting.status,
        "agenda": [{"track": i.track.name, "title": i.title} for i in meeting.agenda],
        "minutes": None
        if meeting.minutes is None
        else {
            "text": meeting.minutes.text,
            "approved_by": meeting.minutes.approved_by,
            "final": {"SIA", "CSIA"} <= set(meeting.minutes.approved_by),
        },
    }


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, db: Db) -> HTMLResponse:
    return render(
        request,
        "meetings.html",
        meetings=[meeting_dict(m) for m in service.meetings(db)],
        warning=service.warning(db),
    )


@router.get("/api/v1/meetings")
def api_meetings(db: Db) -> list[dict[str, Any]]:
    return [meeting_dict(m) for m in service.meetings(db)]


@router.post("/api/v1/meetings/{meeting_id}/agenda", status_code=201)
def api_agenda(meeting_id: int, body: AgendaIn, db: Db, who: Who) -> dict[str, Any]:
    service.add_agenda_item(db, who, meeting_id, body.track_id, body.title)
    return meeting_dict(service.get(db, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/minutes", status_code=201)
def api_minutes(meeting_id: int, body: MinutesIn, db: Db, who: Who) -> dict[str, Any]:
    service.record_minutes(db, who, meeting_id, body.text)
    return meeting_dict(service.get(db, meeting_id))


@router.post("/api/v1/meetings/{meeting_id}/minutes/approve")
def api_approve(meeting_id: int, body: ApprovalIn, db: Db) -> dict[str, Any]:
    service.approve_minutes(db, meeting_id, body.delegation, body.head)
    return meeting_dict(service.get(db, meeting_id))
