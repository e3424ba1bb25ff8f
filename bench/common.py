"""Shared set-up for the benchmarks: where the reference data lives and how to load it.

The data in ``../shared`` (beside the project root) is read, never copied into the project.
Every benchmark exits with a message, not a traceback, when it is absent.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from chipbridge.screening import Screener
from chipbridge.screening.model import ListSnapshot
from chipbridge.screening.sources import load

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CHIPBRIDGE_SHARED", ROOT.parent / "shared"))
LISTS = SHARED / "data" / "lists"
PAIRS = SHARED / "data" / "pairs"
DEV_SET = SHARED / "bench" / "screening_dev.csv"
OUT = ROOT / "bench" / "out"


def require(*paths: Path) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"skipped: reference data not found: {', '.join(missing)}")
        sys.exit(0)


def reference_snapshots() -> list[ListSnapshot]:
    """The CSL snapshot plus the OFAC SDN set: about 13k entries and 33k names."""
    require(LISTS / "us_csl.csv", LISTS / "ofac_sdn")
    return [load(LISTS / "us_csl.csv"), load(LISTS / "ofac_sdn")]


def reference_screener() -> Screener:
    started = time.perf_counter()
    snapshots = reference_snapshots()
    loaded = time.perf_counter()
    screener = Screener.from_snapshots(snapshots)
    built = time.perf_counter()
    print(
        f"lists: {sum(len(s.entries) for s in snapshots)} entries, "
        f"{len(screener.index.name_entry)} names; load {loaded - started:.1f}s, "
        f"index {built - loaded:.1f}s"
    )
    return screener
