"""The document exchange: pages and JSON.

Everyone sees admitted documents; held and rejected ones, and the reasons a document was
held, are compliance records for the roles allowed ``document.read_held``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Id, render
from chipbridge.workgroup.documents import service
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.errors import Refused

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.DOCUMENT_READ))]
Submitter = Annotated[Actor, Depends(permit(Action.DOCUMENT_SUBMIT))]
Reviewer = Annotated[Actor, Depends(permit(Action.DOCUMENT_REVIEW))]


class DocumentIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    source_url: str | None = Field(default=None, max_length=2000)
    published_on: dt.date | None = None
    text: str = Field(default="", max_length=200_000)


class ReviewIn(BaseModel):
    admit: bool
    reason: str = Field(min_length=1, max_length=2000)


def document_dict(actor: Actor, doc: Document) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "source_url": doc.source_url,
        "published_on": doc.published_on.isoformat(),
        "status": doc.status,
    }
    if allowed(actor, Action.DOCUMENT_READ_HELD):
        view |= {
            "reasons": doc.reasons,
            "submitted_by": doc.submitted_by,
            "decided_by": doc.decided_by,
            "decision_reason": doc.decision_reason,
        }
    return view


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    return render(
        request,
        "documents.html",
        documents=[document_dict(actor, d) for d in service.documents(db, actor)],
        error=None,
    )


@router.post("/documents", response_class=HTMLResponse, response_model=None)
def submit_form(
    request: Request,
    db: Db,
    actor: Submitter,
    title: Annotated[str, Form(max_length=300)],
    text: Annotated[str, Form(max_length=200_000)] = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    published_on: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        day = dt.date.fromisoformat(published_on) if published_on else None
        service.submit(db, actor, title, source_url, day, text)
    except (Refused, ValueError) as exc:
        message = (
            str(exc) if isinstance(exc, Refused) else "the publication date must be YYYY-MM-DD"
        )
        return render(
            request,
            "documents.html",
            status_code=400,
            documents=[document_dict(actor, d) for d in service.documents(db, actor)],
            error=message,
        )
    return RedirectResponse("/documents", status_code=303)


@router.post("/api/v1/documents", status_code=201)
def api_submit(body: DocumentIn, db: Db, actor: Submitter) -> dict[str, Any]:
    document = service.submit(db, actor, body.title, body.source_url, body.published_on, body.text)
    return document_dict(actor, document)


@router.get("/api/v1/documents")
def api_documents(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [document_dict(actor, d) for d in service.documents(db, actor)]


@router.post("/api/v1/documents/{document_id}/review")
def api_review(document_id: Id, body: ReviewIn, db: Db, actor: Reviewer) -> dict[str, Any]:
    return document_dict(actor, service.review(db, actor, document_id, body.admit, body.reason))


@router.post("/documents/{document_id}/review")
def review_form(
    document_id: Id,
    db: Db,
    actor: Reviewer,
    decision: Annotated[str, Form(pattern="^(admit|reject)$")],
    reason: Annotated[str, Form(max_length=2000)],
) -> RedirectResponse:
    service.review(db, actor, document_id, decision == "admit", reason)
    return RedirectResponse("/documents", status_code=303)
