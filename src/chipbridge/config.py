"""Where chipbridge keeps its data.

Everything chipbridge writes lives under one directory so that a compliance team can back
it up, inspect it, or wipe it: ``$CHIPBRIDGE_HOME`` when set, else the platform's user data
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def home() -> Path:
    """Return the data directory, creating it on first use."""
    env = os.environ.get("CHIPBRIDGE_HOME")
    path = Path(env) if env else Path(platformdirs.user_data_dir("chipbridge", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


DEFAULT_AGENDA_NOTICE_DAYS = 14


def agenda_notice_days() -> int:
    """How many days before a meeting its agenda must be circulated at the latest:
    ``$CHIPBRIDGE_AGENDA_NOTICE_DAYS`` when set, else 14 (antitrust guidelines ask for an
    agenda circulated well in advance and then followed)."""
    raw = os.environ.get("CHIPBRIDGE_AGENDA_NOTICE_DAYS", "").strip()
    if not raw:
        return DEFAULT_AGENDA_NOTICE_DAYS
    if not raw.isdecimal() or not 1 <= int(raw) <= 180:
        raise ValueError(
            f"CHIPBRIDGE_AGENDA_NOTICE_DAYS must be a whole number of days from 1 to 180, "
            f"not {raw!r}"
        )
    return int(raw)
