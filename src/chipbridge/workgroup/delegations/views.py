"""Dashboard, companies and participants: pages and JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.screening import Screener
from chipbridge.web.deps import actor, lists_key, render, screener, session
from chipbridge.workgroup.delegations import service
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.reviews import service as reviews

router = APIRouter()
Db = Annotated[Session, Depends(session)]


class CompanyIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    name_zh: str | None = Field(default=None, max_length=300)
    aliases: list[Annotated[str, Field(max_length=300)]] = Field(default=[], max_length=20)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    delegation: str | None = Field(default=None, max_length=20)
    parent_id: int | None = None
    ownership_percent: float | None = Field(default=None, ge=0, le=100)


def company_view(db: Session, company: Any) -> dict[str, Any]:
    status = reviews.current(db, "company", company.id)
    return {
        **service.company_dict(company),
        "delegation": company.delegation.code if company.delegation else None,
        "screening_status": status.status if status else "not screened",
        "hits": status.hits if status else [],
        "owned_by_listed": reviews.owned_by_listed(db, company),
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, db: Db) -> HTMLResponse:
    upcoming = [m for m in meetings.meetings(db) if m.status == "planned"]
    sides = []
    for delegation in service.delegations(db):
        sides.append(
            {
                "delegation": delegation,
                "companies": [company_view(db, c) for c in delegation.companies],
            }
        )
    return render(
        request,
        "dashboard.html",
        sides=sides,
        next_meeting=upcoming[0] if upcoming else None,
        warning=meetings.warning(db),
        open_reviews=reviews.queue(db),
    )


@router.get("/companies/{company_id}", response_class=HTMLResponse)
def company_page(request: Request, company_id: int, db: Db) -> HTMLResponse:
    company = service.get_company(db, company_id)
    people = []
    for person in company.participants:
        status = reviews.current(db, "participant", person.id)
        people.append(
            {
                "person": person,
                "status": status.status if status else "not screened",
                "hits": status.hits if status else [],
                "flags": service.role_flags(person.title),
            }
        )
    return render(request, "company.html", company=company_view(db, company), people=people)


@router.get("/participants/{participant_id}", response_class=HTMLResponse)
def participant_page(request: Request, participant_id: int, db: Db) -> HTMLResponse:
    person = service.get_participant(db, participant_id)
    status = reviews.current(db, "participant", person.id)
    return render(
        request,
        "participant.html",
        person=person,
        status=status.status if status else "not screened",
        hits=status.hits if status else [],
        flags=service.role_flags(person.title),
    )


@router.get("/api/v1/companies")
def api_companies(db: Db) -> list[dict[str, Any]]:
    return [company_view(db, c) for c in service.companies(db)]


@router.get("/api/v1/companies/{company_id}")
def api_company(company_id: int, db: Db) -> dict[str, Any]:
    return company_view(db, service.get_company(db, company_id))


@router.post("/api/v1/companies", status_code=201)
def api_add_company(
    body: CompanyIn,
    db: Db,
    screen: Annotated[Screener, Depends(screener)],
    key: Annotated[str, Depends(lists_key)],
    who: Annotated[str, Depends(actor)],
) -> dict[str, Any]:
    delegation = service.get_delegation(db, body.delegation) if body.delegation else None
    parent = service.get_company(db, body.parent_id) if body.parent_id else None
    company = service.add_company(
        db,
        who,
        body.name,
        body.country,
        delegation,
        body.name_zh,
        body.aliases,
        parent,
        body.ownership_percent,
    )
    reviews.screen_company(db, screen, key, company, who)
    return company_view(db, company)


@router.get("/api/v1/participants")
def api_participants(db: Db) -> list[dict[str, Any]]:
    out = []
    for person in service.participants(db):
        status = reviews.current(db, "participant", person.id)
        out.append(
            {
                **service.participant_dict(person),
                "screening_status": status.status if status else "not screened",
                "role_flags": service.role_flags(person.title),
            }
        )
    return out
