"""The screening console and the review queue: pages and JSON (compliance roles only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.screening import Screener, UnscreenableName
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Id, render, screener
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.reviews import service

router = APIRouter()
Screen = Annotated[Screener, Depends(screener)]
Querier = Annotated[Actor, Depends(permit(Action.SCREEN_QUERY))]
Reader = Annotated[Actor, Depends(permit(Action.SCREENING_READ))]
Decider = Annotated[Actor, Depends(permit(Action.REVIEW_DECIDE))]


class DecisionIn(BaseModel):
    decision: str = Field(pattern="^(confirmed match|false positive)$")
    reason: str = Field(min_length=1, max_length=2000)


def screen_json(screen: Screener, name: str, limit: int) -> dict[str, Any]:
    try:
        hits = screen.screen(name, limit=limit)
    except UnscreenableName as exc:
        raise Refused(str(exc)) from None
    return {"query": name, "hits": [h.summary() for h in hits]}


@router.get("/api/v1/screen")
def api_screen(
    screen: Screen,
    _: Querier,
    name: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    return screen_json(screen, name, limit)


@router.get("/screen", response_class=HTMLResponse)
def console(
    request: Request,
    screen: Screen,
    _: Querier,
    name: Annotated[str, Query(max_length=300)] = "",
) -> HTMLResponse:
    try:
        hits = screen.screen(name, limit=10) if name else []
    except UnscreenableName as exc:
        return render(request, "screen.html", name=name, hits=[], error=str(exc))
    return render(request, "screen.html", name=name, hits=hits)


@router.get("/reviews", response_class=HTMLResponse)
def queue_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    return render(request, "reviews.html", records=service.queue(db, actor))


@router.post("/reviews/{record_id}")
def decide_form(
    record_id: Id,
    db: Db,
    actor: Decider,
    decision: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)],
) -> RedirectResponse:
    service.decide(db, actor, record_id, decision, reason)
    return RedirectResponse("/reviews", status_code=303)


@router.get("/api/v1/reviews")
def api_queue(db: Db, actor: Reader) -> list[dict[str, Any]]:
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
        for r in service.queue(db, actor)
    ]


@router.post("/api/v1/reviews/{record_id}")
def api_decide(record_id: Id, body: DecisionIn, db: Db, actor: Decider) -> dict[str, Any]:
    record = service.decide(db, actor, record_id, body.decision, body.reason)
    return {"id": record.id, "status": record.status}
