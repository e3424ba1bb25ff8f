"""Screening many parties at once: in forked processes that share the screener (copy-on-write,
as screen-file does), in chunks, in order. Only from the command line: a server process has
threads, and forking one is unsafe."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Hashable, Iterator
from typing import TypeVar

from chipbridge.screening import Screener
from chipbridge.screening.delta import Delta, Screened, Spelling, screen_names
from chipbridge.screening.model import EntityType

# Fewer parties than this are screened in this process: forking costs more than it saves.
PARALLEL_FROM = 2000
Work = tuple[list[str], EntityType | None, str | None]  # names, type hint, country hint
_SCREENER: Screener | None = None
Known = tuple[tuple[Spelling, ...], float] | None  # a party's remembered profile and near score
_PLAN: tuple[Delta, list[Known]] | None = None
_T = TypeVar("_T", bound=Hashable)


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
    """Each party's screening, in order; ``workers`` processes (default: one per core).
    Parties screened alike (the same names, type and country) are screened once."""
    global _SCREENER
    count = workers or os.cpu_count() or 1
    distinct, places = _distinct([(tuple(names), kind, country) for names, kind, country in work])
    unique: list[Work] = [(list(names), kind, country) for names, kind, country in distinct]
    _SCREENER = screener
    try:
        if count < 2 or len(unique) < PARALLEL_FROM:
            done = _screen_chunk(unique)
        else:
            size = max(50, len(unique) // (count * 8))
            chunks = [unique[i : i + size] for i in range(0, len(unique), size)]
            with frozen(), multiprocessing.get_context("fork").Pool(count) as pool:
                done = [r for chunk in pool.imap(_screen_chunk, chunks) for r in chunk]
    finally:
        _SCREENER = None
    return [done[i] for i in places]


def _distinct(items: list[_T]) -> tuple[list[_T], list[int]]:
    """The distinct items, first seen first, and where each item is among them: parties that
    are the same to screening (several member companies watching one supplier, a name
    imported twice) are worked out once. Screening and planning are pure functions of them."""
    where: dict[_T, int] = {}
    places = [where.setdefault(item, len(where)) for item in items]
    return list(where), places


def _plan_chunk(bounds: tuple[int, int]) -> list[str | None]:
    assert _PLAN is not None
    delta, known = _PLAN
    return ["new" if k is None else delta.affects(*k) for k in known[bounds[0] : bounds[1]]]


def plan_many(delta: Delta, known: list[Known], workers: int | None = None) -> list[str | None]:
    """Why each party must be screened again (None: it need not), in order, in ``workers``
    forked processes sharing the delta: most of the work is per distinct word, so each
    process takes a contiguous part. Parties with equal profiles are planned once. (Sharing
    out the distinct words first was tried: it saved about 5% of the plan at 100,000 parties
    and cost time at 30,000.)"""
    global _PLAN
    count = workers or os.cpu_count() or 1
    unique, places = _distinct(known)
    _PLAN = (delta, unique)
    try:
        if count < 2 or len(unique) < PARALLEL_FROM:
            why = _plan_chunk((0, len(unique)))
        else:
            size = -(-len(unique) // count)
            bounds = [(i, min(i + size, len(unique))) for i in range(0, len(unique), size)]
            with frozen(), multiprocessing.get_context("fork").Pool(count) as pool:
                why = [w for part in pool.map(_plan_chunk, bounds) for w in part]
    finally:
        _PLAN = None
    return [why[i] for i in places]
