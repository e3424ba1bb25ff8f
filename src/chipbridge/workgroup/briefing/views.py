"""The meeting briefing: page, PDF (English or Chinese, from the same HTML) and JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from chipbridge import config
from chipbridge.accounts.permissions import Action, Actor
from chipbridge.store.lists import ListStore
from chipbridge.web import i18n
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Id, Utc, list_store, render
from chipbridge.web.pdf import render_pdf
from chipbridge.workgroup.briefing import service

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.BRIEFING_READ))]
Store = Annotated[ListStore | None, Depends(list_store)]
Lang = Annotated[str | None, Query(pattern="^(en|zh)$")]


Lists = dict[str, int]  # {dataset: version}


class MeetingRef(BaseModel):
    id: int
    starts_on: date


class TouchOut(BaseModel):
    """Whom a list change concerns: a member company, a participant or a monitored party."""

    subject: Literal["company", "participant", "party"]
    id: int
    name: str
    owner: str | None = Field(description="The member company whose party it is")


class ChangeOut(BaseModel):
    kind: Literal["added", "changed", "delisted"]
    dataset: str
    entry_id: str
    listed_name: str
    list_name: str = Field(alias="list", description="The list's name")
    citation: str | None
    source_url: str | None
    touches: list[TouchOut]


class OpenReviewOut(BaseModel):
    id: int
    subject: str
    name: str
    top_score: float


class DecisionOut(BaseModel):
    reviewer: str
    decision: str
    reason: str


class DecidedOut(BaseModel):
    record_id: int
    name: str
    status: str
    decisions: list[DecisionOut]


class DocumentOut(BaseModel):
    id: int
    title: str
    published_on: date


class AgendaOut(BaseModel):
    track: str | None
    title: str
    title_zh: str | None


class BriefingOut(BaseModel):
    """What changed on the lists since the previous meeting and whom it touches, the review
    queue, the documents admitted and the agenda (a compliance record)."""

    meeting: MeetingRef
    since: Utc | None = Field(description="The previous meeting; null before the first")
    until: Utc
    lists_before: Lists
    lists_after: Lists
    changed_entries: int = Field(description="Every list change in the period, touching anyone")
    changes: list[ChangeOut] = Field(description="The changes that touch someone watched")
    open_reviews: list[OpenReviewOut]
    decided: list[DecidedOut]
    documents: list[DocumentOut]
    agenda: list[AgendaOut]


def _store(store: ListStore | None) -> ListStore:
    return store if store is not None else ListStore(config.home())


@router.get("/meetings/{meeting_id}/briefing", response_class=HTMLResponse)
def briefing_page(
    request: Request, meeting_id: Id, db: Db, actor: Reader, store: Store
) -> HTMLResponse:
    found = service.briefing(db, actor, _store(store), meeting_id)
    return render(request, "briefing.html", b=found)


@router.get(
    "/meetings/{meeting_id}/briefing.pdf",
    response_class=Response,
    responses={
        200: {"description": "The briefing as a PDF", "content": {"application/pdf": {}}},
    },
)
def briefing_pdf(
    request: Request, meeting_id: Id, db: Db, actor: Reader, store: Store, lang: Lang = None
) -> Response:
    found = service.briefing(db, actor, _store(store), meeting_id)
    language = i18n.pick(lang, request.cookies.get("lang"), actor.language)
    pdf = render_pdf("briefing_pdf.html", b=found, lang=language, _=i18n.translator(language))
    name = f"briefing-{found.meeting.starts_on}-{language}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/api/v1/meetings/{meeting_id}/briefing", response_model=BriefingOut)
def api_briefing(meeting_id: Id, db: Db, actor: Reader, store: Store) -> dict[str, Any]:
    found = service.briefing(db, actor, _store(store), meeting_id)
    return {
        "meeting": {"id": found.meeting.id, "starts_on": found.meeting.starts_on.isoformat()},
        "since": found.since.isoformat() if found.since else None,
        "until": found.until.isoformat(),
        "lists_before": found.lists_before,
        "lists_after": found.lists_after,
        "changed_entries": found.changed_entries,
        "changes": [
            {
                "kind": c.kind,
                "dataset": c.dataset,
                "entry_id": c.entry.id,
                "listed_name": c.entry.name,
                "list": c.entry.list_name,
                "citation": c.entry.citation,
                "source_url": c.entry.source_url,
                "touches": [
                    {"subject": t.subject, "id": t.subject_id, "name": t.name, "owner": t.owner}
                    for t in c.touched
                ],
            }
            for c in found.changes
        ],
        "open_reviews": [
            {"id": r.id, "subject": r.subject, "name": r.name, "top_score": r.top_score}
            for r in found.open_reviews
        ],
        "decided": [
            {
                "record_id": d["record"].id,
                "name": d["record"].name,
                "status": d["record"].status,
                "decisions": [
                    {"reviewer": x.reviewer, "decision": x.decision, "reason": x.reason}
                    for x in d["decisions"]
                ],
            }
            for d in found.decided
        ],
        "documents": [
            {"id": d.id, "title": d.title, "published_on": d.published_on.isoformat()}
            for d in found.documents
        ],
        "agenda": [
            {"track": i.track.name if i.track else None, "title": i.title, "title_zh": i.title_zh}
            for i in found.meeting.agenda
            if i.on_agenda
        ],
    }
