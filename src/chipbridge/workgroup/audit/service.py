"""Writing and reading the audit log. Nothing here updates or deletes an entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.workgroup.audit.models import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditEntry(
        at=datetime.now(UTC).replace(tzinfo=None),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def recent(session: Session, actor: Actor, limit: int = 200) -> list[AuditEntry]:
    require(actor, Action.AUDIT_READ)
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
