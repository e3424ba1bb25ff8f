"""Re-screening everyone the group watches when the lists change: the member companies, the
participants and every monitored counterparty.

A delta re-screen screens only the parties a list change can affect (screening/delta.py says
how they are found and why the result equals screening everyone). It needs, per party, the
spellings and word weights of its last screening and, per run, the word weights of the index
it ran against: both are kept in ``$CHIPBRIDGE_HOME/cache/monitor.pickle``, written with the
results and named by a run token that the database's ``monitoring_state`` row also holds. A
cache that is missing, damaged, from other engine code or from another run is not trusted:
that re-screen screens everyone, and writes a cache the next one can use.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import pickle
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge import collector
from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.monitoring.models import MonitoredParty, MonitoringState
from chipbridge.monitoring.parallel import Work, frozen, plan_and_screen, screen_many
from chipbridge.monitoring.service import PARTY_KIND, apply_parties, raise_alerts
from chipbridge.ownership.store import OwnershipStore
from chipbridge.screening import Screener
from chipbridge.screening.delta import Delta, ListStats, Screened, Spelling
from chipbridge.screening.model import EntityType, Entry
from chipbridge.store.files import atomic_write
from chipbridge.store.lists import ActiveLists, ListStore, engine_fingerprint
from chipbridge.workgroup.delegations.models import Company, Participant
from chipbridge.workgroup.reviews.service import (
    company_names,
    participant_names,
    record_screening,
)

log = logging.getLogger(__name__)

CACHE_FILE = "monitor.pickle"
# A delta that must screen more than this share of the parties screens them all instead.
FULL_SHARE = 0.5

Key = tuple[str, int]  # (subject, id): ("party", 7), ("company", 2), ("participant", 5)
# A profile is kept under its subject's key and a digest of what was screened (names, kind,
# country): a party renamed by an import, or a company or participant edited, then has no
# profile, and the next re-screen screens it whatever path changed it.
CacheKey = tuple[str, int, int]


Profile = tuple[tuple[Spelling, ...], float]  # a party's spellings and near score


@dataclass(slots=True)
class ProfileCache:
    run: str
    engine: str
    stats: ListStats  # the index the results answer to
    reference: ListStats  # word weights since the last full re-screen
    profiles: dict[CacheKey, Profile]
    # The parties ownership caught (the derived dataset), by id: a list change can change
    # them too, and the list store's diffs do not cover them.
    derived: dict[str, Entry] = field(default_factory=dict)
    # On disk the profiles are a base file beside the cache (``base``, written whole by a
    # full re-screen or once ``fresh`` grows past REBASE of the parties) and, in the cache
    # file itself, the profiles of ``fresh``, the parties screened or gone since: a delta
    # writes what it screened, not a hundred thousand profiles.
    base: str | None = None
    fresh: set[CacheKey] = field(default_factory=set)
    base_keys: frozenset[CacheKey] = frozenset()  # in memory only: the parties the base holds


# The share of the parties screened since the base file was written past which the next
# save writes a new base.
REBASE = 0.25


@dataclass(slots=True)
class Summary:
    mode: str  # delta | full
    reason: str  # why a full re-screen, or what the delta covered
    parties: int  # everyone watched
    screened: int
    alerts: int
    changed_entries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        took = ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        return (
            f"{self.mode} re-screen ({self.reason}): screened {self.screened:,} of "
            f"{self.parties:,} companies, participants and monitored parties; "
            f"{self.alerts} new alert(s) [{took}]"
        )


@dataclass(slots=True)
class _Subject:
    key: Key
    names: list[str]
    kind: EntityType | None
    country: str | None
    owner_id: int | None
    # The profile cache's key: this subject as it is screened now (worked out once; a
    # re-screen looks it up several times for each of a hundred thousand parties).
    cached: CacheKey = field(init=False)

    def __post_init__(self) -> None:
        screened = repr((self.names, self.kind.value if self.kind else None, self.country))
        digest = hashlib.blake2b(screened.encode(), digest_size=8).digest()
        self.cached = (*self.key, int.from_bytes(digest, "big"))


def cache_path(store: ListStore) -> Path:
    return store.cache / CACHE_FILE


def load_cache(path: Path) -> ProfileCache | None:
    try:
        stored = _read(path)
        if not isinstance(stored, ProfileCache):
            return None
        profiles: dict[CacheKey, Profile] = {}
        if stored.base is not None:
            profiles = _read(path.with_name(stored.base))
            stored.base_keys = frozenset(profiles)
        for key in stored.fresh:  # screened since the base, or gone
            if key in stored.profiles:
                profiles[key] = stored.profiles[key]
            else:
                profiles.pop(key, None)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged or foreign file is a cache miss, never an error
        log.warning("ignoring the profile cache %s: %s", path, exc)
        return None
    stored.profiles = profiles
    return stored


def save_cache(path: Path, cache: ProfileCache) -> None:
    """The base file when there is none or ``fresh`` outgrew it, then the cache file, each
    written whole to a temporary file and renamed over the old one; base files no cache
    names any more are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    base, fresh = cache.base, cache.fresh
    if (
        base is None
        or len(fresh) > REBASE * len(cache.profiles)
        or not path.with_name(base).exists()
    ):
        base, fresh = f"{path.stem}-{uuid.uuid4().hex}{path.suffix}", set()
        _write(path.with_name(base), cache.profiles)
    else:
        fresh = fresh | (cache.base_keys - cache.profiles.keys())
    overlay = {key: cache.profiles[key] for key in fresh if key in cache.profiles}
    stored = ProfileCache(
        cache.run,
        cache.engine,
        cache.stats,
        cache.reference,
        overlay,
        cache.derived,
        base,
        fresh,
    )
    _write(path, stored)
    for old in path.parent.glob(f"{path.stem}-*{path.suffix}"):
        if old.name != base:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


def _read(path: Path) -> Any:
    # A hundred thousand profiles are millions of objects, none of them garbage: the cyclic
    # collector would only walk them again and again while they load.
    with collector.paused(), path.open("rb") as handle:
        return pickle.load(handle)


def _write(path: Path, value: object) -> None:
    with atomic_write(path) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _subjects(session: Session) -> list[_Subject]:
    out = [
        _Subject(("company", c.id), company_names(c), EntityType.COMPANY, c.country, c.id)
        for c in session.scalars(
            select(Company).where(Company.removed_at.is_(None)).order_by(Company.id)
        )
    ]
    out += [
        _Subject(("participant", p.id), participant_names(p), EntityType.PERSON, None, p.company_id)
        for p in session.scalars(
            select(Participant).where(Participant.removed_at.is_(None)).order_by(Participant.id)
        )
    ]
    # A hundred thousand parties: only the columns screening needs; rows are loaded for
    # the parties screened.
    rows = session.execute(
        select(
            MonitoredParty.id, MonitoredParty.name, MonitoredParty.country, MonitoredParty.owner_id
        ).order_by(MonitoredParty.id)
    )
    out += [_Subject(("party", i), [n], PARTY_KIND, c, o) for i, n, c, o in rows]
    return out


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@contextlib.contextmanager
def _timed(seconds: dict[str, float], what: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds[what] = seconds.get(what, 0.0) + time.perf_counter() - started


def rescreen(
    session: Session,
    store: ListStore,
    screener: Screener,
    active: ActiveLists,
    actor: Actor,
    full: bool = False,
    workers: int | None = None,
) -> Summary:
    """Screen against ``active`` every party whose result its changes can affect (or
    everyone, when a delta cannot be trusted or ``full`` is asked). Writes the results,
    the alerts and the monitoring state in ``session``, and the profile cache.

    ``workers`` processes screen (default: one per core) when there are many parties."""
    require(actor, Action.MEMBERS_EDIT)
    require(actor, Action.PARTIES_MANAGE)
    with frozen():
        return _rescreen(session, store, screener, active, actor, full, workers)


def _rescreen(
    session: Session,
    store: ListStore,
    screener: Screener,
    active: ActiveLists,
    actor: Actor,
    full: bool,
    workers: int | None,
) -> Summary:
    seconds: dict[str, float] = {}
    with _timed(seconds, "load"), collector.paused():
        subjects = _subjects(session)
        state = session.get(MonitoringState, 1)
        path = cache_path(store)
        cache = load_cache(path)
        # Millions of long-lived objects, none of them garbage: out of the collector's sight
        # until the re-screen is done (rescreen's ``frozen``), before it is on again, else
        # the next collections walk them all (seconds in all).
        gc.freeze()
    reason = _why_full(full, state, cache)
    chosen: list[_Subject] = subjects
    results: dict[Key, Screened] = {}  # a delta screens the parties it chose as it plans
    changed = 0
    reasons: dict[str, int] = {}
    alerts = 0
    written: set[Key] = set()  # the parties whose results a delta wrote as it went
    derived: dict[str, Entry] | None = None
    stats: ListStats | None = None  # the index's, when a delta worked them out
    if reason is None:
        assert state is not None and cache is not None
        with _timed(seconds, "plan and screen"):
            diffs = store.changes(state.generation, active.generation)
            new_entries = [e for d in diffs for e in (*d.added, *(n for _, n in d.changed))]
            old_entries = [e for d in diffs for e in (*d.removed, *(o for o, _ in d.changed))]
            derived = _derived(store, active)
            before = cache.derived
            new_entries += [e for k, e in derived.items() if before.get(k) != e]
            old_entries += [e for k, e in before.items() if derived.get(k) != e]
            changed = len(new_entries) + sum(len(d.removed) for d in diffs)
            changed += sum(1 for k in before if k not in derived)
            if not diffs and state.lists_key != active.key:
                reason = "the built-in list, an ownership import or the engine changed"
            elif not diffs:
                chosen = [s for s in subjects if s.cached not in cache.profiles]
            else:
                delta = Delta(
                    new_entries, old_entries, cache.stats, screener.index, cache.reference
                )
                stats = delta.stats
                if delta.everything:
                    reason = "the index's candidate cut-off or unknown-word weight moved"
                else:
                    chosen = []
                    known = [cache.profiles.get(subject.cached) for subject in subjects]
                    planned = plan_and_screen(
                        screener, delta, known, [_work(s) for s in subjects], workers
                    )
                    # Each chunk written as it comes, while the processes work on.
                    with contextlib.closing(planned):
                        for chunk in planned:
                            done = [subjects[place] for place, _, _ in chunk]
                            for subject, (_, why, result) in zip(done, chunk, strict=True):
                                results[subject.key] = result
                                reasons[why] = reasons.get(why, 0) + 1
                            alerts += _apply(session, done, results, active, actor)
                            chosen += done
                    written = {s.key for s in chosen}
                    if len(chosen) > FULL_SHARE * len(subjects):
                        reason = f"the changes reach {len(chosen):,} of {len(subjects):,} parties"
    if reason is not None:
        chosen = subjects
    with _timed(seconds, "screen"):
        # Everyone (a full re-screen, or a delta that reached too many) but those a delta
        # screened already; or a delta's new parties when no list changed.
        results.update(_screen(screener, [s for s in chosen if s.key not in results], workers))
    with _timed(seconds, "write"):
        rest = [s for s in chosen if s.key not in written]
        alerts += _apply(session, rest, results, active, actor)
        stats = stats or ListStats.of(screener.index)
        if reason is None:
            assert cache is not None
            profiles = cache.profiles
            reference = cache.reference.extended(stats)
        else:
            profiles, reference = {}, stats
        # The profiles of parties gone or renamed dropped (set operations: a hundred
        # thousand keys, almost all kept).
        profiles = dict(profiles)
        for key in profiles.keys() - {s.cached for s in subjects}:
            del profiles[key]
        screened = {s.cached: (results[s.key].profile, results[s.key].near) for s in chosen}
        profiles.update(screened)
        run = uuid.uuid4().hex
        now = _now()
        if state is None:
            state = MonitoringState(id=1, full_at=now)
            session.add(state)
        state.generation, state.lists_key, state.run, state.updated_at = (
            active.generation,
            active.key,
            run,
            now,
        )
        if reason is not None:
            state.full_at = now
        session.flush()
        cache_now = ProfileCache(run, engine_fingerprint(), stats, reference, profiles)
        cache_now.derived = derived if derived is not None else _derived(store, active)
        if reason is None:
            assert cache is not None
            cache_now.base, cache_now.base_keys = cache.base, cache.base_keys
            cache_now.fresh = cache.fresh | screened.keys()
        save_cache(path, cache_now)
    mode = "full" if reason is not None else "delta"
    why = reason or f"{changed:,} list entries added, changed or removed" + "".join(
        f"; {why}: {count:,}" for why, count in reasons.items()
    )
    summary = Summary(mode, why, len(subjects), len(chosen), alerts, changed, seconds)
    log.info("%s", summary.line())
    return summary


def _apply(
    session: Session,
    subjects: list[_Subject],
    results: dict[Key, Screened],
    active: ActiveLists,
    actor: Actor,
) -> int:
    """Write these subjects' screenings (a member's as a screening record, the parties' in
    bulk) and raise their alerts; returns how many."""
    alerts = 0
    for subject in subjects:
        if subject.key[0] != "party":
            alerts += _apply_member(session, subject, results[subject.key], active, actor)
    parties = {s.key[1]: results[s.key] for s in subjects if s.key[0] == "party"}
    return alerts + apply_parties(session, parties, active, actor)


def _derived(store: ListStore, active: ActiveLists) -> dict[str, Entry]:
    """The parties ownership catches under ``active`` (none when no ownership is in use)."""
    if active.ownership is None:
        return {}
    snapshot = OwnershipStore(store.versions).derived(
        active.ownership, store.list_snapshots(active)
    )
    return {e.id: e for e in snapshot.entries}


def _work(subject: _Subject) -> Work:
    return subject.names, subject.kind, subject.country


def _screen(
    screener: Screener, subjects: list[_Subject], workers: int | None
) -> dict[Key, Screened]:
    done = screen_many(screener, [_work(s) for s in subjects], workers)
    return {s.key: r for s, r in zip(subjects, done, strict=True)}


def _why_full(full: bool, state: MonitoringState | None, cache: ProfileCache | None) -> str | None:
    if full:
        return "asked for"
    if state is None:
        return "the first re-screen"
    if cache is None:
        return "no profile cache"
    if cache.run != state.run:
        return "the profile cache is from another run"
    if cache.engine != engine_fingerprint():
        return "the screening engine changed"
    return None


def _apply_member(
    session: Session, subject: _Subject, result: Screened, active: ActiveLists, actor: Actor
) -> int:
    """A member company's or participant's screening, kept as a screening record."""
    kind, subject_id = subject.key
    screening, fresh = record_screening(
        session, active, kind, subject_id, subject.names[0], result.hits, actor
    )
    return raise_alerts(
        session, kind, subject_id, subject.names[0], subject.owner_id, fresh, screening.id, active
    )
