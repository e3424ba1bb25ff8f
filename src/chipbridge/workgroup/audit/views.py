"""The audit log: page and JSON (read only, compliance roles)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, render
from chipbridge.workgroup.audit.service import recent

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.AUDIT_READ))]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    return render(request, "audit.html", entries=recent(db, actor))


@router.get("/api/v1/audit")
def api_audit(db: Db, actor: Reader) -> list[dict[str, Any]]:
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
        for e in recent(db, actor)
    ]
