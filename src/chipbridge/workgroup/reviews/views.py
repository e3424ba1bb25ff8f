"""The screening console and the review queue: pages and JSON (compliance roles only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.screening import Screener, UnscreenableName
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Id, render, screener
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.reviews import service
from chipbridge.workgroup.reviews.models import ScreeningRecord

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


def record_dict(db: Session, record: ScreeningRecord) -> dict[str, Any]:
    pending = service.pending_decision(db, record) if record.status == "potential match" else None
    return {
        "id": record.id,
        "subject": record.subject,
        "subject_id": record.subject_id,
        "name": record.name,
        "status": record.status,
        "top_score": record.top_score,
        "hits": record.hits,
        "note": record.note,
        "awaiting_second_review": None
        if pending is None
        else {"reviewer": pending.reviewer, "decision": pending.decision, "reason": pending.reason},
    }


@router.get("/reviews", response_class=HTMLResponse)
def queue_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    records = [record_dict(db, r) for r in service.queue(db, actor)]
    return render(request, "reviews.html", records=records)


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
    """Open potential matches, with any first decision awaiting a second reviewer."""
    return [record_dict(db, r) for r in service.queue(db, actor)]


@router.post("/api/v1/reviews/{record_id}")
def api_decide(record_id: Id, body: DecisionIn, db: Db, actor: Decider) -> dict[str, Any]:
    """Decide a potential match; it takes effect when a second reviewer agrees."""
    record = service.decide(db, actor, record_id, body.decision, body.reason)
    view = record_dict(db, record)
    return {k: view[k] for k in ("id", "status", "note", "awaiting_second_review")}
