"""Rules for delegations, companies and participants."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company, Delegation, Participant
from chipbridge.workgroup.errors import NotFound, Refused, require

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


def get_delegation(session: Session, code_or_id: str | int) -> Delegation:
    query = select(Delegation).where(
        Delegation.id == int(code_or_id)
        if str(code_or_id).isdigit()
        else Delegation.code == code_or_id
    )
    found = session.scalar(query)
    if found is None:
        raise NotFound(f"no delegation {code_or_id!r}")
    return found


def create_delegation(
    session: Session,
    actor: str,
    code: str,
    association: str,
    association_zh: str | None,
    country: str,
    head: str | None = None,
) -> Delegation:
    delegation = Delegation(
        code=code,
        association=association,
        association_zh=association_zh,
        country=country,
        head=head,
    )
    session.add(delegation)
    session.flush()
    record(session, actor, "create", "delegation", delegation.id, None, {"code": code})
    return delegation


def add_company(
    session: Session,
    actor: str,
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
    """Add a company; a delegation takes at most ten member companies."""
    if delegation is not None:
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
    record(session, actor, "create", "company", company.id, None, company_dict(company))
    return company


def add_participant(
    session: Session,
    actor: str,
    name: str,
    company: Company | None,
    name_zh: str | None = None,
    title: str | None = None,
    illustrative: bool = False,
) -> Participant:
    participant = Participant(
        name=name, name_zh=name_zh, title=title, company=company, illustrative=illustrative
    )
    session.add(participant)
    session.flush()
    record(
        session, actor, "create", "participant", participant.id, None, participant_dict(participant)
    )
    return participant


def get_company(session: Session, company_id: int) -> Company:
    return require(session, Company, company_id, "company")


def get_participant(session: Session, participant_id: int) -> Participant:
    return require(session, Participant, participant_id, "participant")


def companies(session: Session) -> list[Company]:
    return list(session.scalars(select(Company).order_by(Company.delegation_id, Company.id)))


def delegations(session: Session) -> list[Delegation]:
    return list(session.scalars(select(Delegation).order_by(Delegation.id)))


def participants(session: Session) -> list[Participant]:
    return list(session.scalars(select(Participant).order_by(Participant.id)))
