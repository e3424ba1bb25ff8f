"""The document exchange: pages and JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.web.deps import actor, render, session
from chipbridge.workgroup.documents import service
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.errors import Refused

router = APIRouter()
Db = Annotated[Session, Depends(session)]
Who = Annotated[str, Depends(actor)]


class DocumentIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    source_url: str | None = Field(default=None, max_length=2000)
    published_on: dt.date | None = None
    text: str = Field(default="", max_length=200_000)


class ReviewIn(BaseModel):
    admit: bool
    reason: str = Field(min_length=1, max_length=2000)
    reviewer: str = Field(min_length=1, max_length=200)


def document_dict(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "source_url": doc.source_url,
        "published_on": doc.published_on.isoformat(),
        "status": doc.status,
        "reasons": doc.reasons,
        "decided_by": doc.decided_by,
        "decision_reason": doc.decision_reason,
    }


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, db: Db) -> HTMLResponse:
    return render(request, "documents.html", documents=service.all_documents(db), error=None)


@router.post("/documents", response_class=HTMLResponse, response_model=None)
def submit_form(
    request: Request,
    db: Db,
    who: Who,
    title: Annotated[str, Form(max_length=300)],
    text: Annotated[str, Form(max_length=200_000)] = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    published_on: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        day = dt.date.fromisoformat(published_on) if published_on else None
        service.submit(db, who, title, source_url, day, text)
    except (Refused, ValueError) as exc:
        message = (
            str(exc) if isinstance(exc, Refused) else "the publication date must be YYYY-MM-DD"
        )
        return render(
            request,
            "documents.html",
            status_code=400,
            documents=service.all_documents(db),
            error=message,
        )
    return RedirectResponse("/documents", status_code=303)


@router.post("/api/v1/documents", status_code=201)
def api_submit(body: DocumentIn, db: Db, who: Who) -> dict[str, Any]:
    return document_dict(
        service.submit(db, who, body.title, body.source_url, body.published_on, body.text)
    )


@router.get("/api/v1/documents")
def api_documents(db: Db) -> list[dict[str, Any]]:
    return [document_dict(d) for d in service.all_documents(db)]


@router.post("/api/v1/documents/{document_id}/review")
def api_review(document_id: int, body: ReviewIn, db: Db) -> dict[str, Any]:
    return document_dict(service.review(db, document_id, body.admit, body.reason, body.reviewer))


@router.post("/documents/{document_id}/review")
def review_form(
    document_id: int,
    db: Db,
    decision: Annotated[str, Form(pattern="^(admit|reject)$")],
    reason: Annotated[str, Form(max_length=2000)],
    reviewer: Annotated[str, Form(max_length=200)],
) -> RedirectResponse:
    service.review(db, document_id, decision == "admit", reason, reviewer)
    return RedirectResponse("/documents", status_code=303)
