"""The audit log: page and JSON (read only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from chipbridge.web.deps import render, session
from chipbridge.workgroup.audit.service import recent

router = APIRouter()
Db = Annotated[Session, Depends(session)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, db: Db) -> HTMLResponse:
    return render(request, "audit.html", entries=recent(db))


@router.get("/api/v1/audit")
def api_audit(db: Db) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
        }
        for e in recent(db)
    ]
