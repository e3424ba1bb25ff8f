"""The meeting briefing, a compliance record: for one meeting, the list changes since the
previous meeting that touch a member company, a participant or a monitored party (with
citations), the open and decided reviews, the documents admitted, and the agenda.

A listed entry "touches" a party when it is among the party's hits in any screening record
kept (current or past: a delisted entry was hit before it went), in a monitored party's
latest screening, or in an alert. Every party the group watches is screened whenever a list
changes, so the records name everyone a change reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.monitoring.models import Alert, MonitoredParty
from chipbridge.screening.model import Entry
from chipbridge.store.lists import ListStore
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.errors import find
from chipbridge.workgroup.meetings.models import Meeting
from chipbridge.workgroup.reviews.models import Decision, ScreeningRecord

Key = tuple[str, str]  # (dataset, entry id)


@dataclass(frozen=True, slots=True)
class Touched:
    subject: str  # company | participant | party
    subject_id: int
    name: str
    owner: str | None  # the member company a participant or monitored party belongs to


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | changed | delisted
    dataset: str
    entry: Entry
    touched: tuple[Touched, ...]


@dataclass(slots=True)
class Briefing:
    meeting: Meeting
    since: datetime | None  # the previous meeting (None: the first meeting)
    until: datetime
    lists_before: dict[str, int]
    lists_after: dict[str, int]
    changes: list[Change] = field(default_factory=list)
    open_reviews: list[ScreeningRecord] = field(default_factory=list)
    decided: list[dict[str, Any]] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    changed_entries: int = 0  # all list changes in the period, touching anyone or not


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def briefing(
    session: Session, actor: Actor, store: ListStore, meeting_id: int, now: datetime | None = None
) -> Briefing:
    require(actor, Action.BRIEFING_READ)
    meeting = find(session, Meeting, meeting_id, "meeting")
    previous = session.scalar(
        select(Meeting)
        .where(Meeting.starts_on < meeting.starts_on)
        .order_by(Meeting.starts_on.desc())
        .limit(1)
    )
    since = _midnight(previous.starts_on) if previous is not None else None
    until = min(now or datetime.now(UTC), _midnight(meeting.starts_on))
    before = store.active(since).used if since is not None else {}
    after = store.active(until).used
    out = Briefing(meeting, since, until, before, after)
    touched = _touched(session)
    for dataset, version in sorted(after.items()):
        old = before.get(dataset)
        if old == version or dataset not in {i.dataset for i in store.history(dataset)}:
            continue
        diff = store.versions.diff(dataset, old, version)
        out.changed_entries += len(diff.added) + len(diff.changed) + len(diff.removed)
        items = [("added", e) for e in diff.added]
        items += [("changed", new) for _, new in diff.changed]
        items += [("delisted", e) for e in diff.removed]
        for kind, entry in items:
            reached = touched.get((dataset, entry.id))
            if reached:
                out.changes.append(Change(kind, dataset, entry, tuple(sorted(reached, key=str))))
    out.open_reviews = list(
        session.scalars(
            select(ScreeningRecord)
            .where(ScreeningRecord.current.is_(True), ScreeningRecord.status == "potential match")
            .order_by(ScreeningRecord.top_score.desc())
        )
    )
    out.decided = _decided(session, since, until)
    out.documents = _admitted(session, since, until)
    return out


def _naive(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment is not None else None


def _touched(session: Session) -> dict[Key, set[Touched]]:
    companies = {c.id: c.name for c in session.scalars(select(Company))}
    people = {
        p.id: (p.name, companies.get(p.company_id or 0))
        for p in session.scalars(select(Participant))
    }
    out: dict[Key, set[Touched]] = {}

    def who(subject: str, subject_id: int, name: str, owner_id: int | None = None) -> Touched:
        if subject == "company":
            return Touched(subject, subject_id, companies.get(subject_id, name), None)
        if subject == "participant":
            person, company = people.get(subject_id, (name, None))
            return Touched(subject, subject_id, person, company)
        return Touched(subject, subject_id, name, companies.get(owner_id or 0))

    owners = dict(session.execute(select(MonitoredParty.id, MonitoredParty.owner_id)).all())
    for record in session.scalars(select(ScreeningRecord).where(ScreeningRecord.top_score > 0)):
        for hit in record.hits:
            key = (hit.get("dataset", ""), hit["entry_id"])
            party = who(
                record.subject, record.subject_id, record.name, owners.get(record.subject_id)
            )
            out.setdefault(key, set()).add(party)
    for alert in session.scalars(select(Alert)):
        party = who(alert.subject, alert.subject_id, alert.name, alert.owner_id)
        out.setdefault((alert.dataset, alert.entry_id), set()).add(party)
    return out


def _decided(session: Session, since: datetime | None, until: datetime) -> list[dict[str, Any]]:
    """Reviews decided in the period: each record's decisions, in order."""
    query = select(Decision).where(Decision.decided_at <= _naive(until))
    if since is not None:
        query = query.where(Decision.decided_at > _naive(since))
    by_record: dict[int, list[Decision]] = {}
    for decision in session.scalars(query.order_by(Decision.id)):
        by_record.setdefault(decision.record_id, []).append(decision)
    out = []
    for record_id, decisions in by_record.items():
        record = session.get(ScreeningRecord, record_id)
        assert record is not None
        out.append({"record": record, "decisions": decisions})
    return out


def _admitted(session: Session, since: datetime | None, until: datetime) -> list[Document]:
    """Documents admitted in the period (on submission, or by a reviewer), per the audit log."""
    query = select(AuditEntry).where(
        AuditEntry.entity == "document", AuditEntry.at <= _naive(until)
    )
    if since is not None:
        query = query.where(AuditEntry.at > _naive(since))
    ids = [
        e.entity_id
        for e in session.scalars(query.order_by(AuditEntry.id))
        if e.after and e.after.get("status") == "admitted" and e.entity_id is not None
    ]
    found = session.scalars(
        select(Document).where(Document.id.in_(ids), Document.status == "admitted")
    )
    return sorted(found, key=lambda d: d.id)
