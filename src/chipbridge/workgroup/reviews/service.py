"""Screening every party, re-screening when lists change, and reviewers' decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.screening import EntityType, Hit, Screener
from chipbridge.screening.normalize import UnscreenableName, check_screenable
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.errors import Refused, find
from chipbridge.workgroup.reviews.models import Decision, ScreeningRecord

DECISIONS = ("confirmed match", "false positive")
OWNERSHIP_THRESHOLD = 50.0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hit_dict(hit: Hit) -> dict[str, Any]:
    return {**hit.summary(), "matched_name": hit.matched_name}


def screen_party(
    session: Session,
    screener: Screener,
    lists_key: str,
    subject: str,
    subject_id: int,
    names: list[str],
    kind: EntityType,
    country: str | None,
    actor: Actor,
) -> ScreeningRecord:
    """Screen every name of one party; keep the best hit per listed entry."""
    require(actor, Action.MEMBERS_EDIT)
    try:
        for name in names:
            check_screenable(name)
    except UnscreenableName as exc:
        raise Refused(f"{subject} {subject_id}: {exc}") from None
    best: dict[tuple[str, str], Hit] = {}
    for name in names:
        for hit in screener.screen(name, type=kind, country=country, limit=5):
            key = (hit.entry.dataset, hit.entry.id)
            if key not in best or hit.score > best[key].score:
                best[key] = hit
    hits = sorted(best.values(), key=lambda h: -h.score)
    previous = session.scalar(
        select(ScreeningRecord).where(
            ScreeningRecord.subject == subject,
            ScreeningRecord.subject_id == subject_id,
            ScreeningRecord.current.is_(True),
        )
    )
    status = "potential match" if hits else "clear"
    if previous is not None:
        previous.current = False
        same = {h["entry_id"] for h in previous.hits} == {h.entry.id for h in hits}
        if same and previous.status in ("confirmed match", "false positive"):
            status = previous.status  # a decision stands while the hits are the same
    screening = ScreeningRecord(
        subject=subject,
        subject_id=subject_id,
        name=names[0],
        status=status,
        top_score=hits[0].score if hits else 0.0,
        hits=[hit_dict(h) for h in hits],
        lists_key=lists_key,
        screened_at=_now(),
    )
    session.add(screening)
    session.flush()
    record(
        session,
        actor.name,
        "screen",
        subject,
        subject_id,
        {"status": previous.status} if previous else None,
        {"status": status, "hits": len(hits), "lists": lists_key},
    )
    return screening


def screen_company(
    session: Session, screener: Screener, lists_key: str, company: Company, actor: Actor
) -> ScreeningRecord:
    names = [n for n in (company.name, company.name_zh, *company.aliases) if n]
    return screen_party(
        session,
        screener,
        lists_key,
        "company",
        company.id,
        names,
        EntityType.COMPANY,
        company.country,
        actor,
    )


def screen_participant(
    session: Session, screener: Screener, lists_key: str, participant: Participant, actor: Actor
) -> ScreeningRecord:
    names = [n for n in (participant.name, participant.name_zh) if n]
    return screen_party(
        session,
        screener,
        lists_key,
        "participant",
        participant.id,
        names,
        EntityType.PERSON,
        None,
        actor,
    )


def rescreen_all(session: Session, screener: Screener, lists_key: str, job: str) -> int:
    """Screen every company and participant again (after a list import); a system job run
    by the operator, recorded under ``job``."""
    actor = Actor.system(job)
    count = 0
    for company in session.scalars(select(Company)):
        screen_company(session, screener, lists_key, company, actor)
        count += 1
    for participant in session.scalars(select(Participant)):
        screen_participant(session, screener, lists_key, participant, actor)
        count += 1
    return count


def current(
    session: Session, actor: Actor, subject: str, subject_id: int
) -> ScreeningRecord | None:
    """The party's latest screening record: a compliance record, so only for roles that see
    those."""
    require(actor, Action.SCREENING_READ)
    return session.scalar(
        select(ScreeningRecord).where(
            ScreeningRecord.subject == subject,
            ScreeningRecord.subject_id == subject_id,
            ScreeningRecord.current.is_(True),
        )
    )


def queue(session: Session, actor: Actor) -> list[ScreeningRecord]:
    require(actor, Action.SCREENING_READ)
    return list(
        session.scalars(
            select(ScreeningRecord)
            .where(ScreeningRecord.current.is_(True), ScreeningRecord.status == "potential match")
            .order_by(ScreeningRecord.top_score.desc())
        )
    )


def decide(
    session: Session, actor: Actor, record_id: int, decision: str, reason: str
) -> ScreeningRecord:
    """A reviewer confirms or dismisses a potential match, with a reason."""
    require(actor, Action.REVIEW_DECIDE)
    screening = find(session, ScreeningRecord, record_id, "screening record", lock=True)
    if decision not in DECISIONS:
        raise Refused(f"decision must be one of: {', '.join(DECISIONS)}")
    if not reason.strip():
        raise Refused("a decision needs a reason")
    if not screening.current or screening.status != "potential match":
        raise Refused(f"record {record_id} is {screening.status!r}, not an open potential match")
    before = screening.status
    screening.status = decision
    session.add(
        Decision(
            record=screening,
            decision=decision,
            reason=reason,
            reviewer=actor.name,
            decided_at=_now(),
        )
    )
    record(
        session,
        actor.name,
        "decide",
        "screening_record",
        screening.id,
        {"status": before},
        {"status": decision, "reason": reason},
    )
    return screening


def owned_by_listed(session: Session, actor: Actor, company: Company) -> str | None:
    """Why a company is caught through its owner (the 50% rule), if it is."""
    require(actor, Action.SCREENING_READ)
    if company.parent_id is None:
        return None
    parent = session.get(Company, company.parent_id)
    if parent is None:
        return None
    status = current(session, actor, "company", parent.id)
    if status is None or status.status not in ("potential match", "confirmed match"):
        return None
    percent = company.ownership_percent
    if percent is not None and percent < OWNERSHIP_THRESHOLD:
        return None
    share = "an unknown share" if percent is None else f"{percent:g}%"
    return f"owned ({share}) by {parent.name}, whose screening status is {status.status}"
