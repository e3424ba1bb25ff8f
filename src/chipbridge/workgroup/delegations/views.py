"""Dashboard, companies and participants: pages and JSON, with editing and removal.

Screening statuses, hits and ownership findings are compliance records: they appear only
for roles allowed ``screening.read``; every other role sees the group without them. A new
company or participant is screened at once, and so is one whose name changes (the service
does it in the same transaction as the edit).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
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
Screen = Annotated[Screener, Depends(screener)]
Key = Annotated[str, Depends(lists_key)]
Name = Annotated[Filled, Field(max_length=300)]
OptionalName = Annotated[str | None, Field(default=None, max_length=300)]
Aliases = Annotated[list[Annotated[str, Field(max_length=300)]], Field(max_length=20)]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")]
Percent = Annotated[float, Field(ge=0, le=100)]


class CompanyIn(BaseModel):
    name: Name
    name_zh: OptionalName = None
    aliases: Aliases = []
    country: Country
    delegation: Code | None = None
    parent_id: Id | None = None
    ownership_percent: Percent | None = None


class CompanyPatch(BaseModel):
    """The fields to change, with the limits of ``CompanyIn``; a field left out is kept."""

    name: Name | None = None
    name_zh: OptionalName = None
    aliases: Aliases | None = None
    country: Country | None = None
    delegation: Code | None = None
    parent_id: Id | None = None
    ownership_percent: Percent | None = None


class ParticipantIn(BaseModel):
    name: Name
    name_zh: OptionalName = None
    title: OptionalName = None
    company_id: Id | None = None


class ParticipantPatch(BaseModel):
    name: Name | None = None
    name_zh: OptionalName = None
    title: OptionalName = None
    company_id: Id | None = None


def _given(body: BaseModel) -> dict[str, Any]:
    """The fields the request actually sent (an explicit null included)."""
    return {name: getattr(body, name) for name in body.model_fields_set}


_COMPLIANCE = "Compliance record: only for roles allowed screening.read."
_DEMO = "Not from the public record: made up for the demo"


class CompanyRecord(BaseModel):
    id: int
    name: str
    name_zh: str | None
    aliases: list[str]
    country: str
    delegation_id: int | None
    parent_id: int | None
    ownership_percent: float | None
    illustrative: bool = Field(description=_DEMO)


class CompanyOut(CompanyRecord):
    delegation: str | None = Field(description="The delegation's code")
    screening_status: PartyStatus | None = Field(default=None, description=_COMPLIANCE)
    screening_note: str | None = Field(default=None, description=_COMPLIANCE)
    hits: list[StoredHit] | None = Field(default=None, description=_COMPLIANCE)
    owned_by_listed: str | None = Field(
        default=None, description=f"Why it is caught through its owner (50% rule). {_COMPLIANCE}"
    )


class ParticipantRecord(BaseModel):
    id: int
    name: str
    name_zh: str | None
    title: str | None
    company_id: int | None
    illustrative: bool = Field(description=_DEMO)


class ParticipantOut(ParticipantRecord):
    screening_status: PartyStatus | None = Field(default=None, description=_COMPLIANCE)
    screening_note: str | None = Field(default=None, description=_COMPLIANCE)
    hits: list[StoredHit] | None = Field(default=None, description=_COMPLIANCE)
    role_flags: list[str] | None = Field(
        default=None,
        description=f"Why the title does not fit a group of technical experts. {_COMPLIANCE}",
    )


# Compliance fields are left out, not null, for roles that may not see them.
_PARTIAL: dict[str, Any] = {"response_model_exclude_unset": True}
Answers = dict[int | str, dict[str, Any]]
_NO_COMPANY: Answers = {404: {"description": "No such company, delegation or parent company"}}
_NO_PERSON: Answers = {404: {"description": "No such participant (or company)"}}
_RULES: Answers = {400: {"description": "Refused by a rule (ten a side, a name to screen)"}}


def _redirect(what: str, *errors: Answers) -> dict[str, Any]:
    """A form route's declaration: a redirect to the page that shows what it changed, or
    one of ``errors``."""
    responses: Answers = {303: {"description": what}}
    for error in errors:
        responses |= error
    return {"status_code": 303, "response_class": RedirectResponse, "responses": responses}


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
    upcoming = meetings.upcoming(db)
    sides = [
        {"delegation": d, "companies": [company_view(db, actor, c) for c in d.members]}
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


@router.get("/companies/{company_id}", response_class=HTMLResponse, responses=_NO_COMPANY)
def company_page(request: Request, company_id: Id, db: Db, actor: Reader) -> HTMLResponse:
    company = service.get_company(db, actor, company_id)
    return render(
        request,
        "company.html",
        company=company_view(db, actor, company),
        people=[participant_view(db, actor, p) for p in company.people],
        delegations=service.delegations(db, actor),
    )


@router.get("/participants/{participant_id}", response_class=HTMLResponse, responses=_NO_PERSON)
def participant_page(request: Request, participant_id: Id, db: Db, actor: Reader) -> HTMLResponse:
    person = service.get_participant(db, actor, participant_id)
    return render(
        request,
        "participant.html",
        p=participant_view(db, actor, person),
        companies=service.companies(db, actor),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.post("/companies/{company_id}", **_redirect("Changed: the company", _RULES, _NO_COMPANY))
def edit_company_form(
    company_id: Id,
    db: Db,
    actor: Editor,
    screen: Screen,
    key: Key,
    name: Annotated[Filled, Form(max_length=300)],
    country: Annotated[Filled, Form(max_length=2)],
    name_zh: Annotated[str, Form(max_length=300)] = "",
    aliases: Annotated[str, Form(max_length=6200)] = "",
    delegation: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:
    """The edit form sends every field; an empty delegation means none."""
    service.update_company(
        db,
        actor,
        company_id,
        screen,
        key,
        name=name,
        country=country,
        name_zh=name_zh or None,
        aliases=_lines(aliases),
        delegation=delegation or None,
    )
    return RedirectResponse(f"/companies/{company_id}", status_code=303)


@router.post("/companies/{company_id}/remove", **_redirect("Removed: the dashboard", _NO_COMPANY))
def remove_company_form(company_id: Id, db: Db, actor: Editor) -> RedirectResponse:
    service.remove_company(db, actor, company_id)
    return RedirectResponse("/", status_code=303)


@router.post(
    "/companies/{company_id}/participants",
    **_redirect("Added: the participant", _RULES, _NO_COMPANY),
)
def add_participant_form(
    company_id: Id,
    db: Db,
    actor: Editor,
    screen: Screen,
    key: Key,
    name: Annotated[Filled, Form(max_length=300)],
    name_zh: Annotated[str, Form(max_length=300)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    company = service.get_company(db, actor, company_id)
    person = service.add_participant(db, actor, name, company, name_zh or None, title or None)
    reviews.screen_participant(db, screen, key, person, actor)
    return RedirectResponse(f"/participants/{person.id}", status_code=303)


@router.post(
    "/participants/{participant_id}",
    **_redirect("Changed: the participant", _RULES, _NO_PERSON),
)
def edit_participant_form(
    participant_id: Id,
    db: Db,
    actor: Editor,
    screen: Screen,
    key: Key,
    name: Annotated[Filled, Form(max_length=300)],
    name_zh: Annotated[str, Form(max_length=300)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    company_id: Annotated[str, Form(pattern=r"^[0-9]{0,18}$")] = "",
) -> RedirectResponse:
    """The edit form sends every field; an empty company means none."""
    changes: dict[str, Any] = {
        "name": name,
        "name_zh": name_zh or None,
        "title": title or None,
        "company_id": int(company_id) if company_id else None,
    }
    service.update_participant(db, actor, participant_id, screen, key, **changes)
    return RedirectResponse(f"/participants/{participant_id}", status_code=303)


@router.post(
    "/participants/{participant_id}/remove", **_redirect("Removed: the company", _NO_PERSON)
)
def remove_participant_form(participant_id: Id, db: Db, actor: Editor) -> RedirectResponse:
    person = service.get_participant(db, actor, participant_id)
    back = f"/companies/{person.company_id}" if person.company_id else "/"
    service.remove_participant(db, actor, participant_id)
    return RedirectResponse(back, status_code=303)


@router.get("/api/v1/companies", response_model=list[CompanyOut], **_PARTIAL)
def api_companies(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [company_view(db, actor, c) for c in service.companies(db, actor)]


@router.get(
    "/api/v1/companies/{company_id}", response_model=CompanyOut, responses=_NO_COMPANY, **_PARTIAL
)
def api_company(company_id: Id, db: Db, actor: Reader) -> dict[str, Any]:
    return company_view(db, actor, service.get_company(db, actor, company_id))


@router.post(
    "/api/v1/companies",
    status_code=201,
    response_model=CompanyOut,
    responses=_RULES | _NO_COMPANY,
    **_PARTIAL,
)
def api_add_company(
    body: CompanyIn,
    db: Db,
    actor: Editor,
    screen: Screen,
    key: Key,
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


@router.patch(
    "/api/v1/companies/{company_id}",
    response_model=CompanyOut,
    responses=_RULES | _NO_COMPANY,
    **_PARTIAL,
)
def api_edit_company(
    company_id: Id, body: CompanyPatch, db: Db, actor: Editor, screen: Screen, key: Key
) -> dict[str, Any]:
    """Change the fields sent; a new name, Chinese name, alias list or country is screened
    before the answer is sent."""
    company = service.update_company(db, actor, company_id, screen, key, **_given(body))
    return company_view(db, actor, company)


@router.delete(
    "/api/v1/companies/{company_id}",
    response_model=CompanyRecord,
    responses=_RULES | _NO_COMPANY,
)
def api_remove_company(company_id: Id, db: Db, actor: Editor) -> dict[str, Any]:
    return service.company_dict(service.remove_company(db, actor, company_id))


def _person_json(db: Session, actor: Actor, person: Participant) -> dict[str, Any]:
    view = participant_view(db, actor, person)
    del view["person"]
    return view


@router.get("/api/v1/participants", response_model=list[ParticipantOut], **_PARTIAL)
def api_participants(db: Db, actor: Reader) -> list[dict[str, Any]]:
    return [_person_json(db, actor, p) for p in service.participants(db, actor)]


@router.post(
    "/api/v1/participants",
    status_code=201,
    response_model=ParticipantOut,
    responses=_RULES | _NO_PERSON,
    **_PARTIAL,
)
def api_add_participant(
    body: ParticipantIn, db: Db, actor: Editor, screen: Screen, key: Key
) -> dict[str, Any]:
    company = service.get_company(db, actor, body.company_id) if body.company_id else None
    person = service.add_participant(db, actor, body.name, company, body.name_zh, body.title)
    reviews.screen_participant(db, screen, key, person, actor)
    return _person_json(db, actor, person)


@router.patch(
    "/api/v1/participants/{participant_id}",
    response_model=ParticipantOut,
    responses=_RULES | _NO_PERSON,
    **_PARTIAL,
)
def api_edit_participant(
    participant_id: Id, body: ParticipantPatch, db: Db, actor: Editor, screen: Screen, key: Key
) -> dict[str, Any]:
    person = service.update_participant(db, actor, participant_id, screen, key, **_given(body))
    return _person_json(db, actor, person)


@router.delete(
    "/api/v1/participants/{participant_id}",
    response_model=ParticipantRecord,
    responses=_RULES | _NO_PERSON,
)
def api_remove_participant(participant_id: Id, db: Db, actor: Editor) -> dict[str, Any]:
    return service.participant_dict(service.remove_participant(db, actor, participant_id))
