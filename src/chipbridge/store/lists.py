"""The lists a chipbridge installation screens against, and the screener built from them.

Layout under ``$CHIPBRIDGE_HOME``::

    lists/versions.sqlite        every imported version, and which were active when
                                 (store/versions.py)
    lists/.lock                  held by every writer, across processes (filelock)
    cache/index-<key>.pickle     built indexes, each with a checksum (store/index_cache.py)

An import parses and checks every file before it takes the lock, then stores the new
versions and swaps them in with one transaction. A crash, a kill or a refused file leaves
the previous lists active. The index cache key names the engine code, every active
list's content and, when ownership was imported, the ownership in use and the rules in force
on the day (chipbridge/ownership), so a cached index can never serve stale results.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import orjson

from chipbridge import __version__
from chipbridge.ownership.rules import DERIVED
from chipbridge.ownership.store import OwnershipState, OwnershipStore
from chipbridge.screening import Screener
from chipbridge.screening.model import Entry, ListSnapshot, SkippedRow
from chipbridge.screening.sources import builtin
from chipbridge.store import index_cache
from chipbridge.store.versions import (
    RESCREEN,
    Diff,
    ListInfo,
    StoreError,
    VersionStore,
    content_hash,
    parse_moment,
    stage,
    timestamp,
)

log = logging.getLogger(__name__)


def share(part: float) -> str:
    """``part`` (0 to 1) as a percentage, with as many decimals as it takes not to say 100%
    or 0% of what is not all or nothing (13 entries left of 4,219 are not "100% fewer")."""
    for digits in range(3):
        text = f"{part:.{digits}%}"
        if (part == 1 or text != f"{1:.{digits}%}") and (part == 0 or text != f"{0:.{digits}%}"):
            return text
    return "over 99.99%" if part > 0.5 else "under 0.01%"


# A new version may have at most this share fewer entries than the active one (a truncated
# download, a one-line test file) unless the import says the list really shrank.
MAX_SHRINK = 0.2
# A file may have at most this share of its records unreadable...
MAX_SKIPPED = 0.01
# ...beyond a handful: real exports carry a repeated header line or a cut-off last record.
SKIPPED_TOLERATED = 10
LOCK_TIMEOUT = 600.0
# A list not brought up to date for this long is flagged on the dashboard.
STALE_AFTER = timedelta(days=7)
# meta key prefix: when a list was last imported or found unchanged at its publisher.
CHECKED = "checked:"
_MEMO_SIZE = 2


class ListRefused(ValueError):
    """A new version fails a check before anything is written; the message says why."""


@cache
def engine_fingerprint() -> str:
    """A hash of the screening engine's code and data files.

    Part of the index cache key, so any change to normalisation, the index layout or the
    glossary rebuilds the cache instead of serving an index built by other code.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.glob("screening/**/*.py"), *package.glob("data/*.yml")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)
def builtin_info(day: date | None = None) -> ListInfo:
    """The built-in list as :func:`builtin.load` gives it on ``day``."""
    snapshot = builtin.load(day)
    return ListInfo(
        dataset=snapshot.dataset,
        version=int(builtin.raw()["version"]),
        title=snapshot.title,
        format=snapshot.format,
        entries=len(snapshot.entries),
        as_of=snapshot.as_of.isoformat() if snapshot.as_of else None,
        imported_at=None,
        content_hash=content_hash(snapshot.entries),
        source=snapshot.source,
        skipped=[],
    )


@dataclass(frozen=True, slots=True)
class ActiveLists:
    """The lists active at one moment: what a screening used, and how to name it."""

    generation: int  # the swap that made this set active; 0 before any import
    lists: tuple[ListInfo, ...]  # the built-in list first, then imports by dataset name
    key: str  # names the engine, every list's content and the ownership: the index cache key
    # Imported ownership and the rules on the moment's day, when any ownership is in use:
    # the parties it catches are screened as the derived dataset "ownership".
    ownership: OwnershipState | None = None
    # The moment's day when it is not now: the built-in list holds the entries listed by then.
    day: date | None = None

    @property
    def used(self) -> dict[str, int]:
        """{dataset: version}: what a screening record stores to be reproducible (with
        "ownership": the generation of the newest ownership import in use)."""
        used = {info.dataset: info.version for info in self.lists}
        if self.ownership is not None:
            used[DERIVED] = self.ownership.generation
        return used


@dataclass(frozen=True, slots=True)
class Imported:
    info: ListInfo
    new: bool  # False: the file had the active version's content; nothing was stored


# Screeners recently built or loaded in this process, by cache folder and index key (a web
# process answering "as of" questions must not load an index per request).
_RECENT: OrderedDict[tuple[Path, str], Screener] = OrderedDict()
_RECENT_LOCK = threading.Lock()


class ListStore:
    """The lists a chipbridge installation screens against."""

    def __init__(
        self, home: Path, max_shrink: float = MAX_SHRINK, max_skipped: float = MAX_SKIPPED
    ) -> None:
        self.home = home
        self.dir = home / "lists"
        self.cache = home / "cache"
        self.max_shrink = max_shrink
        self.max_skipped = max_skipped
        self.versions = VersionStore(self.dir / "versions.sqlite")
        self._legacy_checked = False

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's lock: one writer at a time, across processes."""
        import filelock  # 0.01 s to import: a screen that only reads the store never does

        self.dir.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(self.dir / ".lock", timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except filelock.Timeout:
            raise StoreError(
                f"another chipbridge process has held {lock.lock_file} for "
                f"{LOCK_TIMEOUT:.0f} s; try again when it has finished"
            ) from None

    # --- what is active --------------------------------------------------------------------

    def active(self, as_of: datetime | None = None) -> ActiveLists:
        """The lists active at ``as_of`` (default: now)."""
        self._migrate_legacy()
        generation, imported = self.versions.active(as_of)
        past = as_of.astimezone(UTC).date() if as_of is not None else None
        lists = (builtin_info(past), *imported)
        parts = [engine_fingerprint()] + [f"{i.dataset}:{i.content_hash}" for i in lists]
        day = (as_of or datetime.now(UTC)).astimezone(UTC).date()
        ownership = OwnershipStore(self.versions).state(generation, day)
        if ownership is not None:
            parts.append(f"{DERIVED}:{ownership.fingerprint}")
        key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
        return ActiveLists(generation, lists, key, ownership, past)

    def infos(self, as_of: datetime | None = None) -> list[ListInfo]:
        """Every active list: the built-in snapshot first, then imports by dataset name."""
        return list(self.active(as_of).lists)

    def generation(self) -> int:
        """Bumped by every swap: a cheap check of whether the active lists changed."""
        self._migrate_legacy()
        return self.versions.generation()

    def index_key(self, as_of: datetime | None = None) -> str:
        return self.active(as_of).key

    # --- importing -------------------------------------------------------------------------

    def save(self, snapshot: ListSnapshot, allow_shrink: bool = False) -> Imported:
        """Store an imported snapshot as its dataset's next version and make it active."""
        return self.save_all([snapshot], allow_shrink)[0]

    def save_all(
        self,
        snapshots: Sequence[ListSnapshot],
        allow_shrink: bool = False,
        reason: str = "lists import",
    ) -> list[Imported]:
        """Check every snapshot, then store them all and swap them in at once, or none."""
        names = [s.dataset for s in snapshots]
        if builtin.DATASET in names:
            raise ListRefused("the built-in list ships with chipbridge and cannot be replaced")
        if len(set(names)) != len(names):
            raise ListRefused(f"one import cannot hold a list twice: {', '.join(names)}")
        for snapshot in snapshots:
            self._check_skipped(snapshot)
        staged = [stage(s) for s in snapshots]  # hashing needs no lock
        self._migrate_legacy()
        with self.writing():
            _, current = self.versions.active()
            before = {info.dataset: info for info in current}
            for snapshot in snapshots:
                self._check_shrink(snapshot, before.get(snapshot.dataset), allow_shrink)
            infos = self.versions.commit(staged, reason)
            for name in names:  # the publisher's current file is in hand, changed or not
                self.versions.set_meta(f"{CHECKED}{name}", timestamp(datetime.now(UTC)))
        return [
            Imported(info, new=before.get(info.dataset) is None or info != before[info.dataset])
            for info in infos
        ]

    def _check_skipped(self, snapshot: ListSnapshot) -> None:
        skipped = len(snapshot.skipped)
        read = skipped + len(snapshot.entries)
        if skipped <= SKIPPED_TOLERATED or skipped <= self.max_skipped * read:
            return
        first = snapshot.skipped[0]
        raise ListRefused(
            f"{snapshot.dataset}: {skipped:,} of {read:,} records could not be read "
            f"({skipped / read:.1%}; at most {self.max_skipped:.0%} may be skipped), the first "
            f"at line {first.line}: {first.reason}. Nothing was imported; check the file, "
            "or download it again"
        )

    def _check_shrink(
        self, snapshot: ListSnapshot, current: ListInfo | None, allow_shrink: bool
    ) -> None:
        new = len(snapshot.entries)
        if allow_shrink or current is None or new >= current.entries * (1 - self.max_shrink):
            return
        raise ListRefused(
            f"{snapshot.dataset}: the new file has {new:,} entries, "
            f"{share(1 - new / current.entries)} fewer than the {current.entries:,} of active "
            f"version {current.version} (at most {share(self.max_shrink)} fewer is accepted). "
            "A truncated download? Nothing was imported; pass --allow-shrink if the list "
            "really shrank"
        )

    def stale(
        self, max_age: timedelta = STALE_AFTER, now: datetime | None = None
    ) -> list[tuple[ListInfo, datetime]]:
        """Active imported lists not brought up to date for ``max_age``: each with the last
        time it was imported or found unchanged at its publisher."""
        moment = now or datetime.now(UTC)
        out = []
        for info in self.active().lists:
            if info.imported_at is None:
                continue  # the built-in list ships with the code
            stamps = [info.imported_at, self.versions.meta(f"{CHECKED}{info.dataset}")]
            last = max(parse_moment(s) for s in stamps if s)
            if moment - last > max_age:
                out.append((info, last))
        return out

    # --- versions --------------------------------------------------------------------------

    def history(self, dataset: str | None = None) -> list[ListInfo]:
        """Every stored version, oldest first, with counts against the version before it."""
        self._migrate_legacy()
        return self.versions.history(dataset)

    def diff(self, dataset: str, before: int | None = None, after: int | None = None) -> Diff:
        """Entries added, changed and removed from ``before`` to ``after`` (default: the
        active version and the version before it)."""
        self._migrate_legacy()
        numbers = [i.version for i in self.versions.history(dataset)]
        if not numbers:
            raise ListRefused(f"no versions of {dataset!r} have been imported")
        if after is None:
            active = {i.dataset: i.version for i in self.versions.active()[1]}
            after = active.get(dataset, numbers[-1])
        if before is None:
            before = after - 1 if after - 1 in numbers else None
        for number in (before, after):
            if number is not None and number not in numbers:
                raise ListRefused(f"{dataset} has no version {number}; it has {_ranges(numbers)}")
        return self.versions.diff(dataset, before, after)

    def changes(self, since: int, until: int | None = None) -> list[Diff]:
        """Per dataset, what changed between two generations (default: up to now): the
        entries a delta re-screen must look at."""
        at_since = self._at_generation(since)
        at_until = self._at_generation(until if until is not None else self.generation())
        out: list[Diff] = []
        for dataset, after in sorted(at_until.items()):
            before = at_since.get(dataset)
            if before != after:
                out.append(self.versions.diff(dataset, before, after))
        return out

    def _at_generation(self, generation: int) -> dict[str, int]:
        return {i.dataset: i.version for i in self.versions.active_at(generation)}

    # --- screening -------------------------------------------------------------------------

    def snapshots(self, as_of: datetime | None = None) -> list[ListSnapshot]:
        """Every list active at ``as_of`` (default: now), loaded."""
        return self._snapshots(self.active(as_of))

    def list_snapshots(self, active: ActiveLists) -> list[ListSnapshot]:
        """The published lists of one active set, loaded (without the derived dataset)."""
        return [
            builtin.load(active.day),
            *(self.versions.snapshot(i) for i in active.lists if i.imported_at is not None),
        ]

    def _snapshots(self, active: ActiveLists) -> list[ListSnapshot]:
        snapshots = self.list_snapshots(active)
        if active.ownership is not None:
            snapshots.append(OwnershipStore(self.versions).derived(active.ownership, snapshots))
        return snapshots

    def screener(self, as_of: datetime | None = None) -> Screener:
        """A screener over the lists active at ``as_of`` (default: now)."""
        return self.screener_for(self.active(as_of))

    def screener_for(self, active: ActiveLists) -> Screener:
        """The screener for one set of lists: from memory, the index cache, or built (and
        then cached, so the next process does not pay for the build)."""
        memo = (self.cache, active.key)
        with _RECENT_LOCK:
            found = _RECENT.get(memo)
            if found is not None:
                _RECENT.move_to_end(memo)
                return found
        index = index_cache.load(self.cache, active.key)
        if index is not None:
            screener = Screener(index)
        else:
            screener = Screener.from_snapshots(self._snapshots(active))
            try:
                with self.writing():
                    index_cache.save(self.cache, active.key, screener.index)
            except (OSError, StoreError) as exc:
                log.warning("could not cache the index in %s: %s", self.cache, exc)
        _settle()
        with _RECENT_LOCK:
            _RECENT[memo] = screener
            while len(_RECENT) > _MEMO_SIZE:
                _RECENT.popitem(last=False)
        return screener

    # --- the working group's re-screen -----------------------------------------------------

    def rescreen_pending(self) -> dict[str, Any] | None:
        """{"generation", "since", "error"} while the working group has not been screened
        against the active lists; None when it has."""
        self._migrate_legacy()
        pending: dict[str, Any] | None = self.versions.meta(RESCREEN)
        return pending

    def rescreen_done(self, generation: int) -> None:
        """The group was screened against ``generation``: clear the mark unless newer."""
        with self.writing():
            pending = self.versions.meta(RESCREEN)
            if pending is not None and pending["generation"] <= generation:
                self.versions.set_meta(RESCREEN, None)

    def rescreen_failed(self, error: str) -> None:
        with self.writing():
            pending = self.versions.meta(RESCREEN)
            if pending is not None:
                self.versions.set_meta(RESCREEN, {**pending, "error": error})

    # --- the single-version layout of earlier releases -------------------------------------

    def _migrate_legacy(self) -> None:
        """Carry lists imported before versions were kept (manifest.json and one entries
        file per list) over as each list's version 1, once."""
        if self._legacy_checked:
            return
        manifest = self.dir / "manifest.json"
        if manifest.exists():
            with self.writing():
                if manifest.exists():
                    records: dict[str, dict[str, Any]] = orjson.loads(manifest.read_bytes())
                    snapshots = [_legacy_snapshot(self.dir, r) for r in records.values()]
                    times = [r["imported_at"] for r in records.values() if r.get("imported_at")]
                    moment = datetime.fromisoformat(max(times)) if times else None
                    self.versions.commit(
                        [stage(s) for s in snapshots], "kept from before versions", moment
                    )
                    for record in records.values():
                        (self.dir / record["file"]).unlink(missing_ok=True)
                    manifest.unlink()
        self._legacy_checked = True


def _legacy_snapshot(folder: Path, record: dict[str, Any]) -> ListSnapshot:
    rows = orjson.loads((folder / record["file"]).read_bytes())
    return ListSnapshot(
        dataset=record["dataset"],
        title=record["title"],
        format=record["format"],
        entries=[Entry.from_dict(r) for r in rows],
        as_of=date.fromisoformat(record["as_of"]) if record["as_of"] else None,
        skipped=[SkippedRow(**s) for s in record["skipped"]],
        source=record["source"],
    )


def _ranges(numbers: list[int]) -> str:
    return f"version {numbers[0]}" if len(numbers) == 1 else f"versions 1 to {numbers[-1]}"


def _settle() -> None:
    """Move the index out of the cyclic garbage collector's sight.

    The index is millions of long-lived objects; without this every full collection walks
    them all, which shows up as pauses of a tenth of a second in the middle of a batch.
    """
    gc.collect()
    gc.freeze()
