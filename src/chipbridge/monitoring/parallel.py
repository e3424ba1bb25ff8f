"""Screening many parties at once: in forked processes that share the screener (copy-on-write,
as screen-file does), in chunks, in order. Only from the command line: a server process has
threads, and forking one is unsafe."""

from __future__ import annotations

import multiprocessing
import os

from chipbridge.screening import Screener
from chipbridge.screening.delta import Screened, screen_names
from chipbridge.screening.model import EntityType

# Fewer parties than this are screened in this process: forking costs more than it saves.
PARALLEL_FROM = 2000
Work = tuple[list[str], EntityType | None, str | None]  # names, type hint, country hint
_SCREENER: Screener | None = None


def _screen_chunk(chunk: list[Work]) -> list[Screened]:
    assert _SCREENER is not None
    return [screen_names(_SCREENER, names, kind, country) for names, kind, country in chunk]


def screen_many(screener: Screener, work: list[Work], workers: int | None = None) -> list[Screened]:
    """Each party's screening, in order; ``workers`` processes (default: one per core)."""
    global _SCREENER
    count = workers or os.cpu_count() or 1
    _SCREENER = screener
    try:
        if count < 2 or len(work) < PARALLEL_FROM:
            return _screen_chunk(work)
        size = max(50, len(work) // (count * 8))
        chunks = [work[i : i + size] for i in range(0, len(work), size)]
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return [r for chunk in pool.imap(_screen_chunk, chunks) for r in chunk]
    finally:
        _SCREENER = None
