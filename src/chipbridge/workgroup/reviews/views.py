"""The screening console and the review queue: pages and JSON (compliance roles only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.countries import UnknownCountry
from chipbridge.hint_values import PartyType
from chipbridge.hints import ScreenHints
from chipbridge.screening import Screener, UnscreenableName
from chipbridge.store.lists import ActiveLists
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Filled, Id, current, render, screener
from chipbridge.web.live import Current
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.reviews import service
from chipbridge.workgroup.reviews.models import ScreeningRecord

router = APIRouter()
Screen = Annotated[Screener, Depends(screener)]
Querier = Annotated[Actor, Depends(permit(Action.SCREEN_QUERY))]
Reader = Annotated[Actor, Depends(permit(Action.SCREENING_READ))]
Decider = Annotated[Actor, Depends(permit(Action.REVIEW_DECIDE))]


DecisionName = Literal["confirmed match", "false positive"]
RecordStatus = Literal["clear", "potential match", "confirmed match", "false positive"]
PartyStatus = Literal[RecordStatus, "not screened"]


class DecisionIn(BaseModel):
    decision: DecisionName
    reason: Filled = Field(max_length=2000)


class ListingOut(BaseModel):
    """Another listing of the same party (another list, or the same list republished)."""

    dataset: str
    entry_id: str
    source: str = Field(description="The list's name")
    listed_name: str
    citation: str | None


class HitOut(BaseModel):
    """One listed party a name matched (its best listing), and why."""

    entry_id: str
    source: str = Field(description="The list's name")
    listed_name: str
    score: float
    reason: str = Field(description="Why it matched, in words a reviewer can check")
    citation: str | None
    also_listed: list[ListingOut] = Field(
        default=[], description="The party's other listings, best first"
    )


class ScreenOut(BaseModel):
    query: str
    hits: list[HitOut]
    as_of: str | None = Field(default=None, description="Only when asked with as_of")
    lists: dict[str, int] | None = Field(
        default=None, description="{dataset: version} the answer was screened against"
    )


class StoredHit(HitOut):
    """A hit kept in a screening record."""

    matched_name: str
    dataset: str | None = Field(default=None, description="Absent on records before v0.1")
    entry_hash: str | None = Field(
        default=None, description="The listed entry's content hash when it was screened"
    )


class PendingOut(BaseModel):
    reviewer: str
    decision: DecisionName
    reason: str


class DecisionOut(BaseModel):
    id: int
    status: RecordStatus
    note: str | None = Field(description="Why the record is (again) in the queue")
    awaiting_second_review: PendingOut | None = Field(
        description="A first decision that takes effect when a second reviewer agrees"
    )


class RecordOut(DecisionOut):
    subject: Literal["company", "participant", "party"] = Field(
        description="What was screened: a member company, a participant or a monitored party"
    )
    subject_id: int
    name: str
    top_score: float
    hits: list[StoredHit]


class ScreenQuery(ScreenHints):
    """The query of ``GET /api/v1/screen``; any other parameter is refused (422), so that a
    misspelt hint is not silently left out of the answer."""

    name: str = Field(min_length=1, max_length=300)
    limit: int = Field(default=5, ge=1, le=50)
    as_of: str | None = Field(
        default=None, max_length=40, description="ISO 8601: answer from the lists active then."
    )


def screen_json(screen: Screener, query: ScreenQuery) -> dict[str, Any]:
    try:
        hits = query.screen(screen, query.name, query.limit)
    except UnscreenableName as exc:
        raise Refused(str(exc)) from None
    except UnknownCountry as exc:
        raise Refused(f"country: {exc}") from None
    return {"query": query.name, "hits": [h.summary() for h in hits]}


@router.get(
    "/api/v1/screen",
    response_model=ScreenOut,
    response_model_exclude_unset=True,
    responses={
        400: {
            "description": "The name has no letters or digits to screen, the country is not "
            "an ISO 3166-1 alpha-2 code, or as_of is not a date"
        }
    },
)
async def api_screen(
    now: Annotated[Current, Depends(current)],
    _: Querier,
    query: Annotated[ScreenQuery, Query()],
) -> dict[str, Any]:
    """Screening is computation with no I/O (about a millisecond for a usual name, tens for
    300 characters): it runs on the event loop, where a worker thread would only add a
    hand-off per request and still wait for the GIL. An answer as of another moment may read
    that moment's index from the list store: that runs on a worker thread."""
    if query.as_of is None:
        return {**screen_json(now.screener, query), "lists": now.lists.used}
    return await run_in_threadpool(_screen_as_of, query, query.as_of)


def _screen_as_of(query: ScreenQuery, as_of: str) -> dict[str, Any]:
    screen, active = _as_of(as_of)
    return {**screen_json(screen, query), "as_of": as_of, "lists": active.used}


def _as_of(as_of: str) -> tuple[Screener, ActiveLists]:
    """The screener over the lists active at ``as_of`` (ISO 8601), from the list store."""
    from chipbridge import config
    from chipbridge.store.lists import ListStore
    from chipbridge.store.versions import parse_moment

    try:
        moment = parse_moment(as_of)
    except ValueError as exc:
        raise Refused(f"as_of: {exc}") from None
    store = ListStore(config.home())
    active = store.active(moment)
    return store.screener_for(active), active


@router.get("/screen", response_class=HTMLResponse)
def console(
    request: Request,
    now: Annotated[Current, Depends(current)],
    _: Querier,
    name: Annotated[str, Query(max_length=300)] = "",
    type: Annotated[str, Query(max_length=20)] = "",
    country: Annotated[str, Query(max_length=20)] = "",
    as_of: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The API's screening with its hints and ``as_of``, as a form; a bad field is said on
    the page beside the form, which keeps what was typed."""
    form: dict[str, Any] = {"name": name, "type": type, "country": country, "as_of": as_of.strip()}
    if not name:
        return render(request, "screen.html", **form, hits=[], lists=None)
    try:
        if type and type not in PartyType.__members__:
            raise Refused(f"type: {type!r} is neither person nor company")
        hints = ScreenHints(type=PartyType(type) if type else None, country=country.strip() or None)
        screen, used = _as_of(form["as_of"]) if form["as_of"] else (now.screener, now.lists)
        hits = hints.screen(screen, name, limit=10)
    except (UnscreenableName, Refused) as exc:
        return render(request, "screen.html", **form, hits=[], lists=None, error=str(exc))
    except UnknownCountry as exc:
        error = f"country: {exc}"
        return render(request, "screen.html", **form, hits=[], lists=None, error=error)
    return render(request, "screen.html", **form, hits=hits, lists=used.used)


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


_DECIDE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not an open potential match, or this reviewer decided it already"},
    404: {"description": "No such screening record"},
}


@router.post(
    "/reviews/{record_id}",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Decided: back to the queue"}, **_DECIDE_ERRORS},
)
def decide_form(
    record_id: Id,
    db: Db,
    actor: Decider,
    decision: Annotated[DecisionName, Form()],
    reason: Annotated[Filled, Form(max_length=2000)],
) -> RedirectResponse:
    service.decide(db, actor, record_id, decision, reason)
    return RedirectResponse("/reviews", status_code=303)


@router.get("/api/v1/reviews", response_model=list[RecordOut])
def api_queue(db: Db, actor: Reader) -> list[dict[str, Any]]:
    """Open potential matches, with any first decision awaiting a second reviewer."""
    return [record_dict(db, r) for r in service.queue(db, actor)]


@router.post("/api/v1/reviews/{record_id}", response_model=DecisionOut, responses=_DECIDE_ERRORS)
def api_decide(record_id: Id, body: DecisionIn, db: Db, actor: Decider) -> dict[str, Any]:
    """Decide a potential match; it takes effect when a second reviewer agrees."""
    record = service.decide(db, actor, record_id, body.decision, body.reason)
    view = record_dict(db, record)
    return {k: view[k] for k in ("id", "status", "note", "awaiting_second_review")}
