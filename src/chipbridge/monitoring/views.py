"""Monitored parties and alerts: pages and JSON (compliance roles; imports: secretariat)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.monitoring import service
from chipbridge.monitoring.models import PARTY_TYPES
from chipbridge.screening import Screener
from chipbridge.store.lists import ActiveLists
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Id, lists_in_use, render, screener
from chipbridge.workgroup.delegations.models import Company

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.PARTIES_READ))]
Manager = Annotated[Actor, Depends(permit(Action.PARTIES_MANAGE))]
AlertReader = Annotated[Actor, Depends(permit(Action.ALERTS_READ))]
PAGE = 100


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    country: str | None = Field(default=None, max_length=2)
    type: str | None = Field(default=None, max_length=20)


class PartiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: str = Field(min_length=1, max_length=300, description="Company id or name.")
    parties: list[PartyIn] = Field(min_length=1, max_length=10_000)


@router.get("/parties", response_class=HTMLResponse)
def parties_page(
    request: Request,
    db: Db,
    actor: Reader,
    owner: Id | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    total, found = service.parties(db, actor, owner, status, q, (page - 1) * PAGE, PAGE)
    companies = {c.id: c.name for c in db.query(Company).order_by(Company.name)}
    return render(
        request,
        "parties.html",
        parties=[service.party_dict(p) for p in found],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        owner=owner,
        status=status or "",
        q=q or "",
        companies=companies,
        types=PARTY_TYPES,
    )


@router.get("/api/v1/parties")
def api_parties(
    db: Db,
    actor: Reader,
    owner: Id | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE,
) -> dict[str, Any]:
    """Monitored parties with their latest screening, closest to a hit first."""
    total, found = service.parties(db, actor, owner, status, q, offset, limit)
    return {"total": total, "offset": offset, "parties": [service.party_dict(p) for p in found]}


@router.post("/api/v1/parties", status_code=201)
def api_import_parties(
    body: PartiesIn,
    db: Db,
    actor: Manager,
    screen: Annotated[Screener, Depends(screener)],
    lists: Annotated[ActiveLists, Depends(lists_in_use)],
) -> dict[str, Any]:
    """Import a member company's parties (the same checks as the CLI's file import): new ones
    are added, those with the same id updated in place, both screened."""
    owner = service.find_owner(db, body.owner)
    records = [(i, p.model_dump()) for i, p in enumerate(body.parties, 1)]
    rows = service.check_rows(records, "the request")
    summary, _ = service.import_parties(db, actor, owner, rows, screen, lists)
    return {
        "owner": summary.owner,
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "kept": summary.kept,
        "alerts": summary.alerts,
        "lists": lists.used,
    }


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, db: Db, actor: AlertReader) -> HTMLResponse:
    found = [service.alert_dict(a) for a in service.alerts(db, actor)]
    return render(request, "alerts.html", alerts=found)


@router.get("/api/v1/alerts")
def api_alerts(
    db: Db, actor: AlertReader, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[dict[str, Any]]:
    """New potential matches raised by re-screens and imports, newest first."""
    return [service.alert_dict(a) for a in service.alerts(db, actor, limit=limit)]
