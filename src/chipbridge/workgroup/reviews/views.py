"""The screening console and the review queue: pages and JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.screening import Screener, UnscreenableName
from chipbridge.web.deps import render, screener, session
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.reviews import service

router = APIRouter()
Db = Annotated[Session, Depends(session)]
Screen = Annotated[Screener, Depends(screener)]


class DecisionIn(BaseModel):
    decision: str = Field(pattern="^(confirmed match|false positive)$")
    reason: str = Field(min_length=1, max_length=2000)
    reviewer: str = Field(min_length=1, max_length=200)


def screen_json(screen: Screener, name: str, limit: int) -> dict[str, Any]:
    try:
        hits = screen.screen(name, limit=limit)
    except UnscreenableName as exc:
        raise Refused(str(exc)) from None
    return {"query": name, "hits": [h.summary() for h in hits]}


@router.get("/api/v1/screen")
def api_screen(
    screen: Screen,
    name: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    as_of: Annotated[
        str | None,
        Query(max_length=40, description="ISO 8601: answer from the lists active then."),
    ] = None,
) -> dict[str, Any]:
    if as_of is None:
        return screen_json(screen, name, limit)
    from chipbridge import config
    from chipbridge.store.lists import ListStore
    from chipbridge.store.versions import parse_moment

    try:
        moment = parse_moment(as_of)
    except ValueError as exc:
        raise Refused(f"as_of: {exc}") from None
    store = ListStore(config.home())
    active = store.active(moment)
    found = screen_json(store.screener_for(active), name, limit)
    return {**found, "as_of": as_of, "lists": active.used}


@router.get("/screen", response_class=HTMLResponse)
def console(
    request: Request, screen: Screen, name: Annotated[str, Query(max_length=300)] = ""
) -> HTMLResponse:
    try:
        hits = screen.screen(name, limit=10) if name else []
    except UnscreenableName as exc:
        return render(request, "screen.html", name=name, hits=[], error=str(exc))
    return render(request, "screen.html", name=name, hits=hits)


@router.get("/reviews", response_class=HTMLResponse)
def queue_page(request: Request, db: Db) -> HTMLResponse:
    return render(request, "reviews.html", records=service.queue(db))


@router.post("/reviews/{record_id}")
def decide_form(
    record_id: int,
    db: Db,
    decision: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)],
    reviewer: Annotated[str, Form(max_length=200)],
) -> RedirectResponse:
    service.decide(db, record_id, decision, reason, reviewer)
    return RedirectResponse("/reviews", status_code=303)


@router.get("/api/v1/reviews")
def api_queue(db: Db) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "subject": r.subject,
            "subject_id": r.subject_id,
            "name": r.name,
            "status": r.status,
            "top_score": r.top_score,
            "hits": r.hits,
        }
        for r in service.queue(db)
    ]


@router.post("/api/v1/reviews/{record_id}")
def api_decide(record_id: int, body: DecisionIn, db: Db) -> dict[str, Any]:
    record = service.decide(db, record_id, body.decision, body.reason, body.reviewer)
    return {"id": record.id, "status": record.status}
