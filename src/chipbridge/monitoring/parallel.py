"""Screening many parties at once: in forked processes that share the screener (copy-on-write,
as screen-file does), in chunks, in order. Only from the command line: a server process has
threads, and forking one is unsafe."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Generator, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from chipbridge.screening import Screener
from chipbridge.screening.delta import Delta, Screened, Spelling, screen_names
from chipbridge.screening.model import EntityType

# Fewer parties than this are screened in this process: forking costs more than it saves.
PARALLEL_FROM = 2000
Work = tuple[list[str], EntityType | None, str | None]  # names, type hint, country hint
_Key = tuple[tuple[str, ...], EntityType | None, str | None]  # a Work, hashable
_SCREENER: Screener | None = None
Known = tuple[tuple[Spelling, ...], float] | None  # a party's remembered profile and near score
_PLAN: _Plan | None = None
# The next chunk at each end of a plan's order [front, back], shared by the forked processes,
# and which end this process takes from (_plan_from_its_end).
_ENDS: Any = None
_SIDES: Any = None
_FRONT = True
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


# What a process found for one distinct profile: its place, why it must be screened again,
# and the screening of each of its distinct works (only profiles that must be are returned).
Planned = tuple[int, str, tuple[Screened, ...]]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the forked processes share (copy-on-write): the delta, the distinct profiles,
    each one's first party, for the few profiles several parties share their distinct
    works, and the order the profiles are planned in, in chunks of ``size``."""

    delta: Delta
    profiles: list[Known]
    first: list[int]
    shared: dict[int, list[_Key]]
    work: list[Work]
    order: list[int]
    size: int

    def works(self, place: int) -> list[Work]:
        keys = self.shared.get(place)
        if keys is None:
            return [self.work[self.first[place]]]
        return [(list(names), kind, country) for names, kind, country in keys]


def _vocabulary(profile: Known) -> tuple[bool, str]:
    """Where a profile is planned: names in Latin letters by their first word, then names in
    Chinese characters (whose lattices offer words of their own)."""
    if profile is None or not profile[0]:
        return False, ""
    spellings = profile[0]
    return any(s.han is not None for s in spellings), spellings[0].tokens[0]


def _plan_chunk(chunk: int) -> list[Planned]:
    """Plan chunk ``chunk`` of the plan's order, then screen the parties it must."""
    assert _PLAN is not None and _SCREENER is not None
    plan = _PLAN
    # What the chunks before this one left (the delta's per-word memories, the index's
    # look-ups) lives on: out of the collector's sight, as the heap before the fork is
    # (else the screening's collections walk it again and again).
    gc.freeze()
    whys: list[tuple[int, str]] = []
    for place in plan.order[chunk * plan.size : (chunk + 1) * plan.size]:
        known = plan.profiles[place]
        why = "new" if known is None else plan.delta.affects(*known)
        if why is not None:
            whys.append((place, why))
    # Planned first, then screened: each keeps its own memories warm in the processor.
    done = iter(_screen_chunk([w for place, _ in whys for w in plan.works(place)]))
    return [(place, why, tuple(next(done) for _ in plan.works(place))) for place, why in whys]


def _take_side() -> None:
    """A pool process's start: the first takes chunks from the front of the order, the
    next from the back, and so on."""
    global _FRONT
    with _SIDES.get_lock():
        _FRONT = _SIDES.value % 2 == 0
        _SIDES.value += 1


def _plan_from_its_end(_: int) -> list[Planned]:
    """The next chunk from this process's end of the order: the processes meet somewhere
    in the middle, each having related mostly words of its own (a word's first look-up is
    half of what planning costs, and taking chunks in turn, both met most words)."""
    with _ENDS.get_lock():
        if _FRONT:
            chunk = _ENDS[0]
            _ENDS[0] += 1
        else:
            _ENDS[1] -= 1
            chunk = _ENDS[1]
    return _plan_chunk(chunk)


def plan_and_screen(
    screener: Screener,
    delta: Delta,
    known: list[Known],
    work: list[Work],
    workers: int | None = None,
) -> Generator[list[tuple[int, str, Screened]], None, None]:
    """The parties that must be screened again, each with why and its screening, in
    ``workers`` forked processes sharing the screener and the delta: a list of (party's
    place in ``work``, why, screening) as each chunk of parties is done, so that the caller
    can write them while the processes work on.

    A process screens the parties it planned, chunk by chunk: one pool, not one to plan
    and another to screen, and the word look-ups the plan made (most of its work is per
    distinct word) are warm in its index when it screens. Small chunks keep every process
    busy to the end. Parties with equal profiles are planned once, and screened once per
    distinct (names, type, country).

    The profiles are planned in an order that keeps one script's words together (Latin
    names by their first word, then Chinese names), one process taking chunks from its
    front and the other from its back until they meet: each relates mostly words of its
    own, where two processes taking chunks in turn both related most words."""
    global _PLAN, _SCREENER, _ENDS, _SIDES
    count = workers or os.cpu_count() or 1
    # One pass over a hundred thousand parties: each distinct profile's first party, and
    # the other parties of the few profiles several share.
    where: dict[Known, int] = {}
    first: list[int] = []
    others: dict[int, list[int]] = {}
    for party, profile in enumerate(known):
        place = where.setdefault(profile, len(first))
        if place == len(first):
            first.append(party)
        else:
            others.setdefault(place, []).append(party)
    spots: dict[int, list[int]] = {}  # per shared profile: each party's work among its own
    shared: dict[int, list[_Key]] = {}
    for place, rest in others.items():
        parties = (first[place], *rest)
        keys = [(tuple(work[p][0]), work[p][1], work[p][2]) for p in parties]
        shared[place], spots[place] = _distinct(keys)

    def parties_of(planned: list[Planned]) -> list[tuple[int, str, Screened]]:
        out: list[tuple[int, str, Screened]] = []
        for place, why, done in planned:
            if place in spots:
                parties = (first[place], *others[place])
                out += [
                    (party, why, done[spot])
                    for party, spot in zip(parties, spots[place], strict=True)
                ]
            else:
                out.append((first[place], why, done[0]))
        return out

    profiles = list(where)
    order = sorted(range(len(first)), key=lambda place: _vocabulary(profiles[place]))
    parallel = count >= 2 and len(first) >= PARALLEL_FROM
    size = max(50, len(first) // (count * 16)) if parallel else max(1, len(first))
    chunks = -(-len(first) // size)
    _PLAN, _SCREENER = _Plan(delta, profiles, first, shared, work, order, size), screener
    try:
        with frozen():
            if not parallel:
                for chunk in range(chunks):
                    yield parties_of(_plan_chunk(chunk))
            else:
                context = multiprocessing.get_context("fork")
                _ENDS, _SIDES = context.Array("i", [0, chunks]), context.Value("i", 0)
                with context.Pool(count, initializer=_take_side) as pool:
                    # One task per chunk, each taking the next chunk at its process's end:
                    # every chunk once; the caller writes them in the order they come.
                    for planned in pool.imap_unordered(_plan_from_its_end, range(chunks)):
                        yield parties_of(planned)
    finally:
        _PLAN, _SCREENER, _ENDS, _SIDES = None, None, None, None
