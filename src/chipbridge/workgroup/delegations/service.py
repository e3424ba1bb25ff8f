"""Rules for delegations, companies and participants.

Creating and editing apply the same checks (``_company_fields``, ``_participant_fields``).
A company never moves from one delegation to another, and a delegation takes at most ten;
renaming a company or a person screens it again at once, in the same transaction; removing
one stamps it removed (the audit log keeps what it was).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.countries import UnknownCountry, country_code
from chipbridge.screening import Screener
from chipbridge.screening.normalize import UnscreenableName, check_screenable
from chipbridge.store.lists import ActiveLists
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company, Delegation, Participant
from chipbridge.workgroup.errors import NotFound, Refused, find
from chipbridge.workgroup.reviews import service as reviews

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
    venue: str | None = None,
    timezone: str | None = None,
) -> Delegation:
    require(actor, Action.MEMBERS_EDIT)
    delegation = Delegation(
        code=code,
        association=association,
        association_zh=association_zh,
        country=country,
        head=head,
        venue=venue,
        timezone=timezone,
    )
    session.add(delegation)
    session.flush()
    record(session, actor.name, "create", "delegation", delegation.id, None, {"code": code})
    return delegation


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _name(value: str | None, what: str, required: bool = True) -> str | None:
    """A name as stored: trimmed, at most 300 characters, and screenable."""
    value = (value or "").strip()
    if not value:
        if required:
            raise Refused(f"{what} needs a name")
        return None
    if len(value) > 300:
        raise Refused(f"{what}'s name has at most 300 characters")
    try:
        check_screenable(value)
    except UnscreenableName as exc:
        raise Refused(f"{what}: {exc}") from None
    return value


def _company_fields(
    session: Session,
    company: Company | None,
    name: str,
    country: str,
    name_zh: str | None,
    aliases: list[str],
    parent: Company | None,
    ownership_percent: float | None,
) -> dict[str, Any]:
    """The checks a company's fields pass, on creation and on every edit."""
    try:
        country = country_code(country)
    except UnknownCountry as exc:
        raise Refused(f"country: {exc}") from None
    if ownership_percent is not None and not 0 <= ownership_percent <= 100:
        raise Refused("ownership_percent must be between 0 and 100")
    if len(aliases) > 20:
        raise Refused("a company has at most 20 aliases")
    cleaned = [_name(a, "an alias") for a in aliases]
    if parent is not None:
        if parent.removed_at is not None:
            raise Refused(f"the parent company {parent.name!r} was removed")
        owner: Company | None = parent
        while owner is not None:  # no company owns itself, directly or through others
            if company is not None and owner.id == company.id:
                raise Refused("a company cannot be its own owner, directly or indirectly")
            owner = session.get(Company, owner.parent_id) if owner.parent_id else None
    return {
        "name": _name(name, "a company"),
        "name_zh": _name(name_zh, "a company's Chinese name", required=False),
        "aliases": [a for a in cleaned if a],
        "country": country,
        "parent_id": parent.id if parent else None,
        "ownership_percent": ownership_percent,
    }


def _admit(session: Session, delegation: Delegation) -> None:
    """Refuse an eleventh company. The delegation's row is locked first (FOR UPDATE on
    PostgreSQL; on SQLite the writing transaction already holds the database's write lock),
    so concurrent additions are counted one after the other."""
    session.execute(select(Delegation.id).where(Delegation.id == delegation.id).with_for_update())
    members = session.scalar(
        select(func.count())
        .select_from(Company)
        .where(Company.delegation_id == delegation.id, Company.removed_at.is_(None))
    )
    if (members or 0) >= MAX_COMPANIES:
        raise Refused(
            f"delegation {delegation.code} already has {MAX_COMPANIES} member companies; "
            "the working group admits ten per side"
        )


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
    """Add a company; a delegation takes at most ten member companies."""
    require(actor, Action.MEMBERS_EDIT)
    fields = _company_fields(
        session, None, name, country, name_zh, aliases or [], parent, ownership_percent
    )
    if delegation is not None:
        _admit(session, delegation)
    company = Company(**fields, delegation=delegation, illustrative=illustrative, note=note)
    session.add(company)
    session.flush()
    record(session, actor.name, "create", "company", company.id, None, company_dict(company))
    return company


_UNSET: Any = object()
SCREENED_COMPANY_FIELDS = ("name", "name_zh", "aliases", "country")


def update_company(
    session: Session,
    actor: Actor,
    company_id: int,
    screener: Screener,
    lists: ActiveLists,
    *,
    name: str = _UNSET,
    country: str = _UNSET,
    name_zh: str | None = _UNSET,
    aliases: list[str] = _UNSET,
    delegation: str | None = _UNSET,
    parent_id: int | None = _UNSET,
    ownership_percent: float | None = _UNSET,
) -> Company:
    """Edit a company with the checks of creation; a field left out is kept.

    A member company does not move to the other delegation (nor leave its own: remove it
    instead); a company joining a delegation counts against its ten. A change of name,
    Chinese name, aliases or country screens the company again at once.
    """
    require(actor, Action.MEMBERS_EDIT)
    company = get_company(session, actor, company_id, lock=True)
    before = company_dict(company)

    def keep(value: Any, current: Any) -> Any:
        return current if value is _UNSET else value

    parent_ident = keep(parent_id, company.parent_id)
    parent = get_company(session, actor, parent_ident) if parent_ident else None
    fields = _company_fields(
        session,
        company,
        keep(name, company.name),
        keep(country, company.country),
        keep(name_zh, company.name_zh),
        keep(aliases, list(company.aliases)),
        parent,
        keep(ownership_percent, company.ownership_percent),
    )
    if delegation is not _UNSET:
        target = get_delegation(session, delegation) if delegation else None
        current = company.delegation
        if current is not None and (target is None or target.id != current.id):
            where = f"to {target.code}" if target else "out of it"
            raise Refused(
                f"{company.name} is a member of {current.code}; a company does not move "
                f"{where}: remove it and add the company anew"
            )
        if current is None and target is not None:
            _admit(session, target)
            company.delegation = target
    for key, value in fields.items():
        setattr(company, key, value)
    session.flush()
    after = company_dict(company)
    record(session, actor.name, "update", "company", company.id, before, after)
    if any(before[k] != after[k] for k in SCREENED_COMPANY_FIELDS):
        reviews.screen_company(session, screener, lists, company, actor)
    return company


def remove_company(
    session: Session, actor: Actor, company_id: int, now: datetime | None = None
) -> Company:
    """Remove a company that has no participants left (remove or move them first)."""
    require(actor, Action.MEMBERS_EDIT)
    company = get_company(session, actor, company_id, lock=True)
    if company.people:
        raise Refused(
            f"{company.name} has {len(company.people)} participant(s); remove or move them first"
        )
    company.removed_at, company.removed_by = now or _now(), actor.name
    session.flush()
    record(session, actor.name, "remove", "company", company.id, company_dict(company), None)
    return company


def _participant_fields(
    name: str, name_zh: str | None, title: str | None, company: Company | None
) -> dict[str, Any]:
    if company is not None and company.removed_at is not None:
        raise Refused(f"{company.name} was removed")
    if title is not None and len(title) > 300:
        raise Refused("a title has at most 300 characters")
    return {
        "name": _name(name, "a participant"),
        "name_zh": _name(name_zh, "a participant's Chinese name", required=False),
        "title": (title or "").strip() or None,
        "company": company,
    }


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
        **_participant_fields(name, name_zh, title, company), illustrative=illustrative
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


def update_participant(
    session: Session,
    actor: Actor,
    participant_id: int,
    screener: Screener,
    lists: ActiveLists,
    *,
    name: str = _UNSET,
    name_zh: str | None = _UNSET,
    title: str | None = _UNSET,
    company_id: int | None = _UNSET,
) -> Participant:
    """Edit a participant with the checks of creation. A person moves only between companies
    of the same delegation; a new name screens the person again at once."""
    require(actor, Action.MEMBERS_EDIT)
    person = get_participant(session, actor, participant_id, lock=True)
    before = participant_dict(person)
    company = person.company
    if company_id is not _UNSET:
        company = get_company(session, actor, company_id) if company_id else None
        old_side = person.company.delegation_id if person.company else None
        new_side = company.delegation_id if company else None
        if old_side is not None and new_side != old_side:
            raise Refused(
                f"{person.name} belongs to a company of another delegation; a participant "
                "does not move between delegations"
            )
    fields = _participant_fields(
        person.name if name is _UNSET else name,
        person.name_zh if name_zh is _UNSET else name_zh,
        person.title if title is _UNSET else title,
        company,
    )
    for key, value in fields.items():
        setattr(person, key, value)
    session.flush()
    after = participant_dict(person)
    record(session, actor.name, "update", "participant", person.id, before, after)
    if (before["name"], before["name_zh"]) != (after["name"], after["name_zh"]):
        reviews.screen_participant(session, screener, lists, person, actor)
    return person


def remove_participant(
    session: Session, actor: Actor, participant_id: int, now: datetime | None = None
) -> Participant:
    require(actor, Action.MEMBERS_EDIT)
    person = get_participant(session, actor, participant_id, lock=True)
    person.removed_at, person.removed_by = now or _now(), actor.name
    session.flush()
    record(session, actor.name, "remove", "participant", person.id, participant_dict(person), None)
    return person


def get_company(session: Session, actor: Actor, company_id: int, lock: bool = False) -> Company:
    require(actor, Action.GROUP_READ)
    company = find(session, Company, company_id, "company", lock=lock)
    if company.removed_at is not None:
        raise NotFound(f"company {company_id} was removed")
    return company


def get_participant(
    session: Session, actor: Actor, participant_id: int, lock: bool = False
) -> Participant:
    require(actor, Action.GROUP_READ)
    person = find(session, Participant, participant_id, "participant", lock=lock)
    if person.removed_at is not None:
        raise NotFound(f"participant {participant_id} was removed")
    return person


def companies(session: Session, actor: Actor) -> list[Company]:
    require(actor, Action.GROUP_READ)
    return list(
        session.scalars(
            select(Company)
            .where(Company.removed_at.is_(None))
            .order_by(Company.delegation_id, Company.id)
        )
    )


def delegations(session: Session, actor: Actor) -> list[Delegation]:
    require(actor, Action.GROUP_READ)
    return list(session.scalars(select(Delegation).order_by(Delegation.id)))


def participants(session: Session, actor: Actor) -> list[Participant]:
    require(actor, Action.GROUP_READ)
    return list(
        session.scalars(
            select(Participant).where(Participant.removed_at.is_(None)).order_by(Participant.id)
        )
    )
