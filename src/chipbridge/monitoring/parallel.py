"""Screening many parties at once: in forked processes that share the screener (copy-on-write,
as screen-file does), in chunks, in order. Only from the command line: a server process has
threads, and forking one is unsafe."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator

from chipbridge.screening import Screener
from chipbridge.screening.delta import Delta, Screened, Spelling, screen_names
from chipbridge.screening.model import EntityType

# Fewer parties than this are screened in this process: forking costs more than it saves.
PARALLEL_FROM = 2000
Work = tuple[list[str], EntityType | None, str | None]  # names, type hint, country hint
_SCREENER: Screener | None = None
Known = tuple[tuple[Spelling, ...], float] | None  # a party's remembered profile and near score
_PLAN: tuple[Delta, list[Known]] | None = None


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """What is alive now (the index, the profiles) out of the cyclic collector's sight while
    a re-screen runs: a full collection neither walks its millions of long-lived objects
    (seconds each time, in the parent) nor, in a forked worker, writes to (and so copies) its
    pages. The outermost use unfreezes afterwards, so a long-lived process keeps no garbage;
    a heap frozen before it (the index, store.lists._settle) stays frozen as it was."""
    before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not before:
            gc.unfreeze()


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
        with frozen(), multiprocessing.get_context("fork").Pool(count) as pool:
            return [r for chunk in pool.imap(_screen_chunk, chunks) for r in chunk]
    finally:
        _SCREENER = None


def _plan_chunk(bounds: tuple[int, int]) -> list[str | None]:
    assert _PLAN is not None
    delta, known = _PLAN
    return ["new" if k is None else delta.affects(*k) for k in known[bounds[0] : bounds[1]]]


def plan_many(delta: Delta, known: list[Known], workers: int | None = None) -> list[str | None]:
    """Why each party must be screened again (None: it need not), in order, in ``workers``
    forked processes sharing the delta: most of the work is per distinct word, so each
    process takes a contiguous part. (Sharing out the distinct words first was tried: it
    saved about 5% of the plan at 100,000 parties and cost time at 30,000.)"""
    global _PLAN
    count = workers or os.cpu_count() or 1
    _PLAN = (delta, known)
    try:
        if count < 2 or len(known) < PARALLEL_FROM:
            return _plan_chunk((0, len(known)))
        size = -(-len(known) // count)
        bounds = [(i, min(i + size, len(known))) for i in range(0, len(known), size)]
        with frozen(), multiprocessing.get_context("fork").Pool(count) as pool:
            return [why for part in pool.map(_plan_chunk, bounds) for why in part]
    finally:
        _PLAN = None
