"""Screening every party, re-screening when lists change, and reviewers' decisions."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.ownership.derive import explain
from chipbridge.ownership.graph import Graph, Link, Listing, Party, evaluate
from chipbridge.ownership.rules import DERIVED
from chipbridge.ownership.store import load_rules
from chipbridge.screening import EntityType, Hit, Screener
from chipbridge.screening.delta import screen_names
from chipbridge.screening.model import Entry
from chipbridge.screening.normalize import UnscreenableName, check_screenable
from chipbridge.store.lists import ActiveLists
from chipbridge.workgroup.audit.chain import canonical
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.errors import Refused, find
from chipbridge.workgroup.reviews.models import Decision, FalsePositive, ScreeningRecord

DECISIONS = ("confirmed match", "false positive")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=8192)
def entry_hash(entry: Entry) -> str:
    """The listed entry's content hash: a false positive holds while it is unchanged.

    Remembered per entry (a frozen dataclass, hashed by its content): a re-screen finds the
    same listed entries for thousands of parties, and hashing one canonically costs far more
    than looking it up."""
    return hashlib.sha256(canonical(entry.to_dict()).encode()).hexdigest()


def hit_dict(hit: Hit) -> dict[str, Any]:
    return {
        **hit.summary(),
        "matched_name": hit.matched_name,
        "dataset": hit.entry.dataset,
        "entry_hash": entry_hash(hit.entry),
    }


def screen_party(
    session: Session,
    screener: Screener,
    lists: ActiveLists,
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
    hits = screen_names(screener, names, kind, country).hits
    return record_screening(session, lists, subject, subject_id, names[0], hits, actor)[0]


def fresh_hits(previous: ScreeningRecord | None, hits: list[Hit]) -> list[tuple[Hit, str]]:
    """The hits a party did not have in its previous record ("new match"), or whose listed
    entry changed since, or whose party is now also listed elsewhere ("entry changed"): what
    raises an alert. A hit is one listed party with all its listings, so a party already hit
    through another of its listings is no new match."""
    before: dict[tuple[str | None, str], str | None] = {}
    for h in previous.hits if previous is not None else ():
        before[(h.get("dataset"), h["entry_id"])] = h.get("entry_hash")
        for other in h.get("also_listed", ()):
            before.setdefault((other["dataset"], other["entry_id"]), None)
    out = []
    for hit in hits:
        keys = [(e.dataset, e.id) for e in hit.listings]
        if not any(k in before for k in keys):
            out.append((hit, "new match"))
        elif any(k not in before for k in keys):
            out.append((hit, "entry changed"))  # listed again, on another list
        else:
            known = before[keys[0]]
            if known is not None and known != entry_hash(hit.entry):
                out.append((hit, "entry changed"))
    return out


def record_screening(
    session: Session,
    lists: ActiveLists,
    subject: str,
    subject_id: int,
    name: str,
    hits: list[Hit],
    actor: Actor,
) -> tuple[ScreeningRecord, list[tuple[Hit, str]]]:
    """Keep one screening of a party as its current record, and say which hits are fresh.

    A confirmed match stands while the hits are the same entries. A party whose every hit is
    a remembered false positive, for an entry whose content is unchanged, stays cleared; a
    changed entry voids its memory and the party is queued again, with a note saying why.
    """
    require(actor, Action.MEMBERS_EDIT)
    previous = session.scalar(
        select(ScreeningRecord).where(
            ScreeningRecord.subject == subject,
            ScreeningRecord.subject_id == subject_id,
            ScreeningRecord.current.is_(True),
        )
    )
    fresh = fresh_hits(previous, hits)
    status, note = "potential match" if hits else "clear", None
    if previous is not None:
        previous.current = False
        same = {h["entry_id"] for h in previous.hits} == {h.entry.id for h in hits}
        if hits and same and previous.status == "confirmed match":
            status = previous.status  # a confirmed match stands while the hits are the same
    if status == "potential match":
        status, note = _remembered(session, subject, subject_id, hits)
    screening = ScreeningRecord(
        subject=subject,
        subject_id=subject_id,
        name=name,
        status=status,
        top_score=hits[0].score if hits else 0.0,
        hits=[hit_dict(h) for h in hits],
        lists_key=lists.key,
        lists_used=lists.used,
        screened_at=_now(),
        note=note,
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
        {"status": status, "hits": len(hits), "lists": lists.used, "note": note},
    )
    return screening, fresh


def _remembered(
    session: Session, subject: str, subject_id: int, hits: list[Hit]
) -> tuple[str, str | None]:
    """The status and note for a party with hits, given its remembered false positives."""
    memories = {
        (m.dataset, m.entry_id): m
        for m in session.scalars(
            select(FalsePositive).where(
                FalsePositive.subject == subject,
                FalsePositive.subject_id == subject_id,
                FalsePositive.voided_at.is_(None),
            )
        )
    }
    changed, unknown = [], []
    for hit in hits:
        memory = memories.get((hit.entry.dataset, hit.entry.id))
        if memory is None:
            unknown.append(hit)
        elif memory.entry_hash != entry_hash(hit.entry):
            memory.voided_at = _now()
            memory.void_reason = "the listed entry changed since the decision"
            changed.append((hit, memory))
    if changed:
        why = "; ".join(
            f"{hit.entry.name} ({hit.entry.dataset}:{hit.entry.id}) changed since it was "
            f"judged a false positive on {memory.decided_at:%Y-%m-%d}"
            for hit, memory in changed
        )
        return "potential match", f"queued again: {why}"[:1000]
    if unknown:
        return "potential match", None
    decided = max(memories[(h.entry.dataset, h.entry.id)].decided_at for h in hits)
    return "false positive", (
        f"cleared: every hit was judged a false positive (latest {decided:%Y-%m-%d}) and the "
        "listed entries are unchanged"
    )


def company_names(company: Company) -> list[str]:
    return [n for n in (company.name, company.name_zh, *company.aliases) if n]


def participant_names(participant: Participant) -> list[str]:
    return [n for n in (participant.name, participant.name_zh) if n]


def screen_company(
    session: Session, screener: Screener, lists: ActiveLists, company: Company, actor: Actor
) -> ScreeningRecord:
    names = company_names(company)
    return screen_party(
        session,
        screener,
        lists,
        "company",
        company.id,
        names,
        EntityType.COMPANY,
        company.country,
        actor,
    )


def screen_participant(
    session: Session,
    screener: Screener,
    lists: ActiveLists,
    participant: Participant,
    actor: Actor,
) -> ScreeningRecord:
    names = participant_names(participant)
    return screen_party(
        session,
        screener,
        lists,
        "participant",
        participant.id,
        names,
        EntityType.PERSON,
        None,
        actor,
    )


def rescreen_all(session: Session, screener: Screener, lists: ActiveLists, job: str) -> int:
    """Screen every company and participant again (after a list import), except those
    removed from the group; a system job run by the operator, recorded under ``job``."""
    actor = Actor.system(job)
    count = 0
    for company in session.scalars(select(Company).where(Company.removed_at.is_(None))):
        screen_company(session, screener, lists, company, actor)
        count += 1
    for participant in session.scalars(select(Participant).where(Participant.removed_at.is_(None))):
        screen_participant(session, screener, lists, participant, actor)
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
    """Four eyes: one reviewer decides (confirmed match or false positive, with a reason);
    the decision takes effect only when a second, different reviewer agrees. A disagreement
    closes the round and the record goes back to the queue.

    The record's row is locked while its round is read and extended.
    """
    require(actor, Action.REVIEW_DECIDE)
    screening = find(session, ScreeningRecord, record_id, "screening record", lock=True)
    if decision not in DECISIONS:
        raise Refused(f"decision must be one of: {', '.join(DECISIONS)}")
    if not reason.strip():
        raise Refused("a decision needs a reason")
    if not screening.current or screening.status != "potential match":
        raise Refused(f"record {record_id} is {screening.status!r}, not an open potential match")
    pending = pending_decision(session, screening)
    if pending is not None and pending.reviewer == actor.name:
        raise Refused(
            "four eyes: you already decided this record; a second, different reviewer must agree"
        )
    session.add(
        Decision(
            record=screening,
            round=screening.review_round,
            decision=decision,
            reason=reason,
            reviewer=actor.name,
            decided_at=_now(),
        )
    )
    before = {"status": screening.status}
    if pending is None:
        action, after = "decide (first)", {"proposed": decision, "reason": reason}
    elif pending.decision == decision:
        screening.status = decision
        screening.note = None
        action, after = "decide", {"status": decision, "reason": reason, "first": pending.reviewer}
        if decision == "false positive":
            _remember(session, screening)
    else:
        screening.review_round += 1
        screening.note = (
            f"reviewers disagreed: {pending.reviewer} said {pending.decision}, "
            f"{actor.name} said {decision}; decide again"
        )[:1000]
        action, after = "disagree", {"first": pending.decision, "second": decision}
    session.flush()
    record(session, actor.name, action, "screening_record", screening.id, before, after)
    return screening


def pending_decision(session: Session, screening: ScreeningRecord) -> Decision | None:
    """The first reviewer's decision awaiting a second reviewer, if any."""
    return session.scalar(
        select(Decision)
        .where(Decision.record_id == screening.id, Decision.round == screening.review_round)
        .order_by(Decision.id)
        .limit(1)
    )


def _remember(session: Session, screening: ScreeningRecord) -> None:
    """One memory per hit; a record screened before entry hashes were kept has none to
    remember, so its party is simply reviewed again at the next re-screen."""
    for hit in screening.hits:
        if "entry_hash" not in hit:
            continue
        session.add(
            FalsePositive(
                subject=screening.subject,
                subject_id=screening.subject_id,
                dataset=hit["dataset"],
                entry_id=hit["entry_id"],
                entry_hash=hit["entry_hash"],
                record_id=screening.id,
                decided_at=_now(),
            )
        )


def owned_by_listed(
    session: Session, actor: Actor, company: Company, day: date | None = None
) -> str | None:
    """Why a company is caught through its owners by an ownership rule in force on ``day``
    (default: today), if it is, or why its ownership is a red flag.

    The group's own parent links go through the same aggregation and dated rules as
    imported ownership (chipbridge/ownership); a parent counts as listed through the hits
    of its current screening record, while that record is a potential or confirmed match.
    """
    require(actor, Action.SCREENING_READ)
    day = day or datetime.now(UTC).date()
    parties: dict[str, Party] = {}
    links: list[Link] = []
    node: Company | None = company
    while node is not None and _key(node) not in parties:
        parties[_key(node)] = Party(_key(node), node.name, _listings(session, actor, node))
        parent = session.get(Company, node.parent_id) if node.parent_id is not None else None
        if parent is not None:
            links.append(Link(_key(parent), _key(node), node.ownership_percent))
        node = parent
    if not links:
        return None
    graph = Graph(parties, links, day)
    result = evaluate(graph, load_rules().applying(day))
    reasons = [explain(graph, f) for f in result.findings if f.party == _key(company)]
    reasons += [
        f"{flag.rule.name}: owned (an unknown share) by "
        + ", ".join(graph.name(link.owner) for link in flag.owners)
        + ", listed under the rule or caught by it: a red flag until the share is known"
        for flag in result.red_flags
        if flag.party == _key(company)
    ]
    return " ".join(reasons) or None


def _key(company: Company) -> str:
    return f"company:{company.id}"


def _listings(session: Session, actor: Actor, company: Company) -> tuple[Listing, ...]:
    status = current(session, actor, "company", company.id)
    if status is None or status.status not in ("potential match", "confirmed match"):
        return ()
    return tuple(
        Listing(
            hit["dataset"],
            hit["entry_id"],
            hit["source"],
            citation=None if hit["dataset"] == DERIVED else hit.get("citation"),
            note=f"screening: {status.status}",
        )
        for hit in status.hits
    )
