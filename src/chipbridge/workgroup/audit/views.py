"""The audit log: page and JSON (read only, compliance roles), paged through the whole log
and filtered by actor, object and date."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.web.auth import permit
from chipbridge.web.deps import MAX_ID, Day, Db, Id, Utc, render
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.audit.service import Filters, page

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.AUDIT_READ))]


def filters(
    actor: Annotated[str | None, Query(max_length=200, description="Part of the actor")] = None,
    entity: Annotated[
        str | None, Query(max_length=50, description="Kind of object, e.g. company")
    ] = None,
    entity_id: Annotated[Id | None, Query(description="The object's id")] = None,
    since: Annotated[Day | None, Query(description="From this day (UTC), YYYY-MM-DD")] = None,
    until: Annotated[Day | None, Query(description="Up to this day (UTC), YYYY-MM-DD")] = None,
) -> Filters:
    return Filters(actor or None, entity or None, entity_id, since, until)


Filtered = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


class AuditEntryOut(BaseModel):
    id: int
    at: Utc = Field(description="When, in UTC")
    actor: str = Field(description="The user's e-mail, or the system job")
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str = Field(description="SHA-256 over the previous entry's hash and this entry")


class AuditPage(BaseModel):
    total: int = Field(description="Entries matching the filters")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The next page's offset; null on the last")
    entries: list[AuditEntryOut] = Field(description="Newest first")


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "hash": entry.hash,
    }


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: Db,
    actor: Reader,
    wanted: Filtered,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HTMLResponse:
    total, entries = page(db, actor, wanted, limit, offset)
    query = {k: v for k, v in request.query_params.items() if k not in ("offset", "lang")}

    def link(to: int) -> str:
        return "/audit?" + urlencode({**query, "offset": to})

    return render(
        request,
        "audit.html",
        entries=entries,
        total=total,
        offset=offset,
        filters=wanted,
        newer=link(max(offset - limit, 0)) if offset > 0 else None,
        older=link(offset + limit) if offset + limit < total else None,
    )


@router.get("/api/v1/audit", response_model=AuditPage)
def api_audit(
    db: Db, actor: Reader, wanted: Filtered, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Newest first; ``next_offset`` is the offset of the next page (None on the last)."""
    total, entries = page(db, actor, wanted, limit, offset)
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
        "entries": [entry_dict(e) for e in entries],
    }
