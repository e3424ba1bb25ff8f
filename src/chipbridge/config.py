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
