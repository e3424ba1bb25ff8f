"""Monitored parties and alerts: pages and JSON (compliance roles; imports: secretariat)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.monitoring import service
from chipbridge.monitoring.models import PARTY_TYPES
from chipbridge.screening import Screener
from chipbridge.store.lists import ActiveLists
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Filled, Utc, lists_in_use, render, screener
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.reviews.views import PartyStatus, StoredHit

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.PARTIES_READ))]
Manager = Annotated[Actor, Depends(permit(Action.PARTIES_MANAGE))]
AlertReader = Annotated[Actor, Depends(permit(Action.ALERTS_READ))]
PAGE = 100
OWNER = "The member company: its id, or its name, Chinese name or an alias."


PartyType = Literal["supplier", "customer", "distributor", "other"]
Lists = dict[str, int]  # {dataset: version} a screening used


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Filled = Field(max_length=100, description="The owner's own id for the party")
    name: Filled = Field(max_length=300)
    country: str | None = Field(default=None, max_length=2)
    type: str | None = Field(
        default=None, max_length=20, description="supplier, customer, distributor or other"
    )


class PartiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: Filled = Field(max_length=300, description=OWNER)
    parties: list[PartyIn] = Field(min_length=1, max_length=10_000)


class PartyOut(BaseModel):
    """A monitored party and its latest screening (a compliance record)."""

    id: int
    owner_id: int
    owner: str = Field(description="The member company whose party it is")
    external_id: str
    name: str
    country: str | None
    type: PartyType | None
    status: PartyStatus
    hits: list[StoredHit]
    screened_at: Utc | None
    lists_used: Lists | None


class PartiesOut(BaseModel):
    total: int = Field(description="Parties matching the filters, on every page")
    offset: int
    parties: list[PartyOut]


class ImportOut(BaseModel):
    owner: str
    added: int
    updated: int
    unchanged: int
    kept: int = Field(description="Already monitored, not in this request: kept as they were")
    alerts: int
    lists: Lists


class AlertOut(BaseModel):
    """A new potential match: a party hit an entry it did not hit before, or an entry it
    hit changed."""

    id: int
    subject: Literal["party", "company", "participant"]
    subject_id: int
    name: str
    owner_id: int | None
    owner: str | None = Field(
        description="The member company that monitors the party (none for the group's own "
        "companies and participants)"
    )
    dataset: str
    entry_id: str
    listed_name: str
    score: float
    citation: str | None
    cause: Literal["new match", "entry changed"]
    record_id: int | None = Field(description="The screening record in the review queue")
    lists_used: Lists
    created_at: Utc


Status = Annotated[PartyStatus | None, Query()]


@router.get(
    "/parties",
    response_class=HTMLResponse,
    responses={400: {"description": "No such owner, or an owner name two companies share"}},
)
def parties_page(
    request: Request,
    db: Db,
    actor: Reader,
    owner: Annotated[str | None, Query(max_length=300, description=OWNER)] = None,
    status: Status = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    owner_id = service.find_owner(db, owner).id if owner else None
    total, found = service.parties(db, actor, owner_id, status, q, (page - 1) * PAGE, PAGE)
    companies = {c.id: c.name for c in db.query(Company).order_by(Company.name)}
    return render(
        request,
        "parties.html",
        parties=[service.party_dict(p) for p in found],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        owner=owner_id,
        status=status or "",
        q=q or "",
        companies=companies,
        types=PARTY_TYPES,
    )


@router.get(
    "/api/v1/parties",
    response_model=PartiesOut,
    responses={400: {"description": "No such owner, or an owner name two companies share"}},
)
def api_parties(
    db: Db,
    actor: Reader,
    owner: Annotated[str | None, Query(max_length=300, description=OWNER)] = None,
    status: Status = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE,
) -> dict[str, Any]:
    """Monitored parties with their latest screening, closest to a hit first."""
    owner_id = service.find_owner(db, owner).id if owner else None
    total, found = service.parties(db, actor, owner_id, status, q, offset, limit)
    return {"total": total, "offset": offset, "parties": [service.party_dict(p) for p in found]}


@router.post(
    "/api/v1/parties",
    status_code=201,
    response_model=ImportOut,
    responses={
        400: {"description": "No such owner, an owner name two companies share, or a bad row"}
    },
)
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


@router.get("/api/v1/alerts", response_model=list[AlertOut])
def api_alerts(
    db: Db, actor: AlertReader, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[dict[str, Any]]:
    """New potential matches raised by re-screens and imports, newest first."""
    return [service.alert_dict(a) for a in service.alerts(db, actor, limit=limit)]
