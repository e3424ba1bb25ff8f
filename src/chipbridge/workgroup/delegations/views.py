"""Dashboard, companies and participants: pages and JSON.

Screening statuses, hits and ownership findings are compliance records: they appear only
for roles allowed ``screening.read``; every other role sees the group without them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.screening import Screener
from chipbridge.web.auth import permit
from chipbridge.web.deps import Db, Filled, Id, lists_key, render, screener
from chipbridge.workgroup.delegations import service
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.reviews import service as reviews
from chipbridge.workgroup.reviews.views import PartyStatus, StoredHit

router = APIRouter()
Reader = Annotated[Actor, Depends(permit(Action.GROUP_READ))]
Editor = Annotated[Actor, Depends(permit(Action.MEMBERS_EDIT))]


class CompanyIn(BaseModel):
    name: Filled = Field(max_length=300)
    name_zh: str | None = Field(default=None, max_length=300)
    aliases: list[Annotated[str, Field(max_length=300)]] = Field(default=[], max_length=20)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    delegation: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")
    parent_id: Id | None = None
    ownership_percent: float | None = Field(default=None, ge=0, le=100)


_COMPLIANCE = "Compliance record: only for roles allowed screening.read."


class CompanyOut(BaseModel):
    id: int
    name: str
    name_zh: str | None
    aliases: list[str]
    country: str
    delegation_id: int | None
    delegation: str | None = Field(description="The delegation's code")
    parent_id: int | None
    ownership_percent: float | None
    illustrative: bool = Field(description="Not from the public record: made up for the demo")
    screening_status: PartyStatus | None = Field(default=None, description=_COMPLIANCE)
    screening_note: str | None = Field(default=None, description=_COMPLIANCE)
    hits: list[StoredHit] | None = Field(default=None, description=_COMPLIANCE)
    owned_by_listed: str | None = Field(
        default=None, description=f"Why it is caught through its owner (50% rule). {_COMPLIANCE}"
    )


class ParticipantOut(BaseModel):
    id: int
    name: str
    name_zh: str | None
    title: str | None
    company_id: int | None
    illustrative: bool = Field(description="Not from the public record: made up for the demo")
    screening_status: PartyStatus | None = Field(default=None, description=_COMPLIANCE)
    screening_note: str | None = Field(default=None, description=_COMPLIANCE)
    hits: list[StoredHit] | None = Field(default=None, description=_COMPLIANCE)
    role_flags: list[str] | None = Field(
        default=None,
        description=f"Why the title does not fit a group of technical experts. {_COMPLIANCE}",
    )


# Compliance fields are left out, not null, for roles that may not see them.
_PARTIAL: dict[str, Any] = {"response_model_exclude_unset": True}


def company_view(db: Session, actor: Actor, company: Company) -> dict[str, Any]:
    view = {
        **service.company_dict(company),
        "delegation": company.delegation.code if company.delegation else None,
    }
    if allowed(actor, Action.SCREENING_READ):
        status = reviews.current(db, actor, "company", company.id)
        view |= {
            "screening_status": status.status if status else "not screened",
            "screening_note": status.note if status else None,
            "hits": status.hits if status else [],
            "owned_by_listed": reviews.owned_by_listed(db, actor, company),
        }
    return view


def participant_view(db: Session, actor: Actor, person: Participant) -> dict[str, Any]:
    view = {**service.participant_dict(person), "person": person}
    if allowed(actor, Action.SCREENING_READ):
        status = reviews.current(db, actor, "participant", person.id)
        view |= {
            "screening_status": status.status if status else "not screened",
            "screening_note": status.note if status else None,
            "hits": status.hits if status else [],
            "role_flags": service.role_flags(person.title),
        }
    return view


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, db: Db, actor: Reader) -> HTMLResponse:
    upcoming = [m for m in meetings.meetings(db, actor) if m.status == "planned"]
    sides = [
        {"delegation": d, "companies": [company_view(db, actor, c) for c in d.companies]}
        for d in service.delegations(db, actor)
    ]
    compliance = allowed(actor, Action.SCREENING_READ)
    return render(
        request,
        "dashboard.html",
        sides=sides,
        next_meeting=upcoming[0] if upcoming else None,
        warning=meetings.warning(db),
        open_reviews=reviews.queue(db, actor) if compliance else None,
    )


@router.get(
    "/companies/{company_id}",
    response_class=HTMLResponse,
    responses={404: {"description": "No such company"}},
)
def company_page(request: Request, company_id: Id, db: Db, actor: Reader) -> HTMLResponse:
    company = service.get_company(db, actor, company_id)
    return render(
        request,
        "company.html",
        company=company_view(db, actor, company),
        people=[participant_view(db, actor, p) for p in company.participants],
    )


@router.get(
    "/participants/{participant_id}",
    response_class=HTMLResponse,
    responses={404: {"description": "No such participant"}},
)
def participant_page(request: Request, participant_id: Id, db: Db, actor: Reader) -> HTMLResponse:
    person = service.get_participant(db, actor, participant_id)
    return render(request, "participant.html", p=participant_view(db, actor, person))


@router.get("/api/v1/companies", response_model=list[CompanyOut], **_PARTIAL)
def api_companies(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [company_view(db, actor, c) for c in service.companies(db, actor)]


@router.get(
    "/api/v1/companies/{company_id}",
    response_model=CompanyOut,
    responses={404: {"description": "No such company"}},
    **_PARTIAL,
)
def api_company(company_id: Id, db: Db, actor: Reader) -> dict[str, Any]:
    return company_view(db, actor, service.get_company(db, actor, company_id))


@router.post(
    "/api/v1/companies",
    status_code=201,
    response_model=CompanyOut,
    responses={
        400: {"description": "Refused by a rule: ten companies a side, a name to screen"},
        404: {"description": "No such delegation or parent company"},
    },
    **_PARTIAL,
)
def api_add_company(
    body: CompanyIn,
    db: Db,
    actor: Editor,
    screen: Annotated[Screener, Depends(screener)],
    key: Annotated[str, Depends(lists_key)],
) -> dict[str, Any]:
    delegation = service.get_delegation(db, body.delegation) if body.delegation else None
    parent = service.get_company(db, actor, body.parent_id) if body.parent_id else None
    company = service.add_company(
        db,
        actor,
        body.name,
        body.country,
        delegation,
        body.name_zh,
        body.aliases,
        parent,
        body.ownership_percent,
    )
    reviews.screen_company(db, screen, key, company, actor)
    return company_view(db, actor, company)


@router.get("/api/v1/participants", response_model=list[ParticipantOut], **_PARTIAL)
def api_participants(db: Db, actor: Reader) -> list[dict[str, Any]]:
    out = []
    for person in service.participants(db, actor):
        view = participant_view(db, actor, person)
        del view["person"]
        out.append(view)
    return out
