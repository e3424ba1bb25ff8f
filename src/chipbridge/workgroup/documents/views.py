"""The document exchange: pages and JSON.

Everyone sees admitted documents; held and rejected ones, and the reasons a document was
held, are compliance records for the roles allowed ``document.read_held``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.web.auth import permit
from chipbridge.web.deps import Day, Db, Filled, Id, render
from chipbridge.workgroup.documents import service
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.errors import Refused

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.DOCUMENT_READ))]
Submitter = Annotated[Actor, Depends(permit(Action.DOCUMENT_SUBMIT))]
Reviewer = Annotated[Actor, Depends(permit(Action.DOCUMENT_REVIEW))]


class DocumentIn(BaseModel):
    title: Filled = Field(max_length=300)
    source_url: str = Field(
        max_length=2000,
        pattern=r"^https?://[^\s/?#]+",
        description="Where the public can read it (http or https): only public information",
    )
    published_on: Day = Field(description="When it was published (not in the future)")
    text: str = Field(default="", max_length=200_000)


class ReviewIn(BaseModel):
    admit: bool
    reason: Filled = Field(max_length=2000)


_HELD = "Only for roles allowed document.read_held."


class DocumentOut(BaseModel):
    id: int
    title: str
    source_url: str
    published_on: dt.date
    status: Literal["admitted", "held", "rejected"]
    reasons: list[str] | None = Field(default=None, description=f"Why it was held. {_HELD}")
    submitted_by: str | None = Field(default=None, description=_HELD)
    decided_by: str | None = Field(default=None, description=_HELD)
    decision_reason: str | None = Field(default=None, description=_HELD)


# Fields a role may not see are left out, not null.
_PARTIAL: dict[str, Any] = {"response_model_exclude_unset": True}


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


@router.post(
    "/documents",
    status_code=303,
    response_class=RedirectResponse,
    response_model=None,
    responses={
        303: {"description": "Submitted: back to the documents"},
        400: {"description": "Refused: no public source, a date in the future"},
    },
)
def submit_form(
    request: Request,
    db: Db,
    actor: Submitter,
    title: Annotated[Filled, Form(max_length=300)],
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


@router.post(
    "/api/v1/documents",
    status_code=201,
    response_model=DocumentOut,
    responses={400: {"description": "Refused: the publication date is in the future"}},
    **_PARTIAL,
)
def api_submit(body: DocumentIn, db: Db, actor: Submitter) -> dict[str, Any]:
    document = service.submit(db, actor, body.title, body.source_url, body.published_on, body.text)
    return document_dict(actor, document)


@router.get("/api/v1/documents", response_model=list[DocumentOut], **_PARTIAL)
def api_documents(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [document_dict(actor, d) for d in service.documents(db, actor)]


_REVIEW_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The document is not held for review"},
    404: {"description": "No such document"},
}


@router.post(
    "/api/v1/documents/{document_id}/review",
    response_model=DocumentOut,
    responses=_REVIEW_ERRORS,
    **_PARTIAL,
)
def api_review(document_id: Id, body: ReviewIn, db: Db, actor: Reviewer) -> dict[str, Any]:
    return document_dict(actor, service.review(db, actor, document_id, body.admit, body.reason))


@router.post(
    "/documents/{document_id}/review",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Decided: back to the documents"}, **_REVIEW_ERRORS},
)
def review_form(
    document_id: Id,
    db: Db,
    actor: Reviewer,
    decision: Annotated[Literal["admit", "reject"], Form()],
    reason: Annotated[Filled, Form(max_length=2000)],
) -> RedirectResponse:
    service.review(db, actor, document_id, decision == "admit", reason)
    return RedirectResponse("/documents", status_code=303)
