"""Rules for delegations, companies and participants."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company, Delegation, Participant
from chipbridge.workgroup.errors import NotFound, Refused, find

MAX_COMPANIES = 10
# The group is led by technical experts with no government involvement: titles that mark a
# government official or a top executive are flagged for the secretariat, with the reason.
_GOVERNMENT = re.compile(
    r"\b(minister|ministry|government|official|bureau|commission|senator|congress|"
    r"party secretary|ambassador|regulator)\b|部长|官员|政府|委员会|书记",
    re.IGNORECASE,
)
_EXECUTIVE = re.compile(
    r"\b(ceo|chief executive|president|chair(man|woman|person)?|vice[- ]chair(man)?|"
    r"board|managing director|founder|general manager)\b|董事长|副董事长|总裁|总经理|董事",
    re.IGNORECASE,
)


def company_dict(company: Company) -> dict[str, Any]:
    return {
        "id": company.id,
        "name": company.name,
        "name_zh": company.name_zh,
        "aliases": list(company.aliases),
        "country": company.country,
        "delegation_id": company.delegation_id,
        "parent_id": company.parent_id,
        "ownership_percent": company.ownership_percent,
        "illustrative": company.illustrative,
    }


def participant_dict(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "name_zh": participant.name_zh,
        "title": participant.title,
        "company_id": participant.company_id,
        "illustrative": participant.illustrative,
    }


def role_flags(title: str | None) -> list[str]:
    """Why a participant's title does not fit a group of technical experts, if it does not."""
    if not title:
        return []
    flags = []
    if _GOVERNMENT.search(title):
        flags.append(f"title marks a government official: {title!r}")
    if _EXECUTIVE.search(title):
        flags.append(f"title marks a top executive: {title!r}")
    return flags


def get_delegation(session: Session, code: str) -> Delegation:
    found = session.scalar(select(Delegation).where(Delegation.code == code))
    if found is None:
        raise NotFound(f"no delegation {code!r}")
    return found


def create_delegation(
    session: Session,
    actor: Actor,
    code: str,
    association: str,
    association_zh: str | None,
    country: str,
    head: str | None = None,
) -> Delegation:
    require(actor, Action.MEMBERS_EDIT)
    delegation = Delegation(
        code=code,
        association=association,
        association_zh=association_zh,
        country=country,
        head=head,
    )
    session.add(delegation)
    session.flush()
    record(session, actor.name, "create", "delegation", delegation.id, None, {"code": code})
    return delegation


def add_company(
    session: Session,
    actor: Actor,
    name: str,
    country: str,
    delegation: Delegation | None = None,
    name_zh: str | None = None,
    aliases: list[str] | None = None,
    parent: Company | None = None,
    ownership_percent: float | None = None,
    illustrative: bool = False,
    note: str | None = None,
) -> Company:
    """Add a company; a delegation takes at most ten member companies.

    The delegation's row is locked first (FOR UPDATE on PostgreSQL; on SQLite the writing
    transaction already holds the database's write lock), so concurrent additions are
    counted one after the other and the eleventh is refused.
    """
    require(actor, Action.MEMBERS_EDIT)
    if delegation is not None:
        session.execute(
            select(Delegation.id).where(Delegation.id == delegation.id).with_for_update()
        )
        members = session.scalar(
            select(func.count()).select_from(Company).where(Company.delegation_id == delegation.id)
        )
        if (members or 0) >= MAX_COMPANIES:
            raise Refused(
                f"delegation {delegation.code} already has {MAX_COMPANIES} member companies; "
                "the working group admits ten per side"
            )
    if ownership_percent is not None and not 0 <= ownership_percent <= 100:
        raise Refused("ownership_percent must be between 0 and 100")
    company = Company(
        name=name,
        name_zh=name_zh,
        aliases=aliases or [],
        country=country.upper(),
        delegation=delegation,
        parent_id=parent.id if parent else None,
        ownership_percent=ownership_percent,
        illustrative=illustrative,
        note=note,
    )
    session.add(company)
    session.flush()
    record(session, actor.name, "create", "company", company.id, None, company_dict(company))
    return company


def add_participant(
    session: Session,
    actor: Actor,
    name: str,
    company: Company | None,
    name_zh: str | None = None,
    title: str | None = None,
    illustrative: bool = False,
) -> Participant:
    require(actor, Action.MEMBERS_EDIT)
    participant = Participant(
        name=name, name_zh=name_zh, title=title, company=company, illustrative=illustrative
    )
    session.add(participant)
    session.flush()
    record(
        session,
        actor.name,
        "create",
        "participant",
        participant.id,
        None,
        participant_dict(participant),
    )
    return participant


def get_company(session: Session, actor: Actor, company_id: int) -> Company:
    require(actor, Action.GROUP_READ)
    return find(session, Company, company_id, "company")


def get_participant(session: Session, actor: Actor, participant_id: int) -> Participant:
    require(actor, Action.GROUP_READ)
    return find(session, Participant, participant_id, "participant")


def companies(session: Session, actor: Actor) -> list[Company]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Company).order_by(Company.delegation_id, Company.id)))


def delegations(session: Session, actor: Actor) -> list[Delegation]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Delegation).order_by(Delegation.id)))


def participants(session: Session, actor: Actor) -> list[Participant]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Participant).order_by(Participant.id)))
