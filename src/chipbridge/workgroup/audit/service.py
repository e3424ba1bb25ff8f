"""Writing, reading and verifying the audit log. Nothing here updates or deletes an entry
(and on PostgreSQL and SQLite a trigger refuses UPDATE and DELETE on the table)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.audit.chain import GENESIS, canonical, row_hash
from chipbridge.workgroup.audit.models import AuditEntry

# Appends take this PostgreSQL advisory lock until their transaction ends, so that rows are
# chained one after the other (SQLite's writing transactions are serialised already).
_CHAIN_LOCK = 0x636869706272  # "chipbr"


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction, so it commits or rolls back with the
    change. ``actor`` is the acting user's e-mail (or a system job's name)."""
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    ident, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = datetime.now(UTC).replace(tzinfo=None)
    # Stored exactly as hashed: the JSON columns keep what canonical JSON reads back.
    before = None if before is None else json.loads(canonical(before))
    after = None if after is None else json.loads(canonical(after))
    entry = AuditEntry(
        id=ident,
        at=at,
        actor=actor[:200],
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash=row_hash(prev, ident, at, actor[:200], action, entity, entity_id, before, after),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class Verdict:
    rows: int
    head: str
    broken: str | None  # the first break, naming its row; None when the chain holds


def verify(session: Session, checkpoint: tuple[int, str] | None = None) -> Verdict:
    """Recompute the whole chain; name the first row that was edited, deleted, inserted or
    moved, and check that the chain still contains a saved checkpoint (rows, head hash)."""
    prev, prev_id, rows = GENESIS, None, 0
    at_checkpoint: str | None = None
    for entry in session.scalars(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    ):
        rows += 1
        after_what = f"row {prev_id}" if prev_id is not None else "the start of the log"
        if entry.prev_hash != prev:
            return Verdict(
                rows,
                prev,
                f"row {entry.id} does not follow {after_what}: a row before it was deleted, "
                "inserted or moved",
            )
        expected = row_hash(
            prev,
            entry.id,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.before,
            entry.after,
        )
        if entry.hash != expected:
            return Verdict(
                rows, prev, f"row {entry.id} was changed: its content no longer matches its hash"
            )
        prev, prev_id = entry.hash, entry.id
        if checkpoint is not None and rows == checkpoint[0]:
            at_checkpoint = entry.hash
    if checkpoint is not None:
        count, head = checkpoint
        if rows < count:
            return Verdict(
                rows,
                prev,
                f"the log has {rows} rows but the checkpoint has {count}: rows after row "
                f"{prev_id} were deleted",
            )
        if at_checkpoint != head:
            return Verdict(
                rows, prev, f"row {count}'s hash differs from the checkpoint: the log was rewritten"
            )
    return Verdict(rows, prev, None)


def checkpoint(session: Session) -> tuple[int, str]:
    """The row count and the head hash, to keep somewhere else."""
    rows = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    head = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return rows, head or GENESIS


@dataclass(frozen=True, slots=True)
class Filters:
    actor: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    since: date | None = None
    until: date | None = None


def page(
    session: Session, actor: Actor, filters: Filters, limit: int = 100, offset: int = 0
) -> tuple[int, list[AuditEntry]]:
    """One page of the log, newest first, and how many entries match the filters in all."""
    require(actor, Action.AUDIT_READ)
    query = select(AuditEntry)
    if filters.actor:
        query = query.where(AuditEntry.actor.contains(filters.actor, autoescape=True))
    if filters.entity:
        query = query.where(AuditEntry.entity == filters.entity)
    if filters.entity_id is not None:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEntry.at >= datetime.combine(filters.since, datetime.min.time()))
    if filters.until:
        end = datetime.combine(filters.until, datetime.min.time()) + timedelta(days=1)
        query = query.where(AuditEntry.at < end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = session.scalars(
        query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    ).all()
    return total, list(entries)
