"""The audit chain's hash: SHA-256 over the previous row's hash and the row's canonical JSON.

Kept apart from the service so that the migration that hashed the rows written before the
chain existed uses exactly the same definition.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first row


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 kept: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(
    prev_hash: str,
    id: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> str:
    content = canonical(
        {
            "id": id,
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()
