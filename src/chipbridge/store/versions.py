"""Every imported version of every list, kept compactly, and which versions were active when.

One SQLite file, ``lists/versions.sqlite``, holds:

- ``blob``: each distinct entry once (its JSON, compressed), addressed by the hash of that
  JSON, so an entry that did not change between two versions is stored once and shared;
- ``version``: one row per import of a dataset (number, content hash, publisher's as-of date,
  import time, skipped rows, counts against the version before) with its member list, the
  (entry id, blob hash) pairs in the publisher's order;
- ``generation`` and ``activation``: each swap of the active set, with its time and the
  versions it made active. The lists active at a moment are, per dataset, those of the last
  activation at or before it; the newest generation number is a cheap "did anything
  change?" check;
- ``meta``: the pending re-screen mark;
- ``ownership_import`` and ``ownership_link``: imported ownership, one generation per
  import (written by chipbridge/ownership/store.py through :meth:`VersionStore.swapping`).

SQLite makes each swap one transaction: a crash or a kill at any point leaves either the old
active set or the new one, never a mix. Readers see a consistent snapshot (WAL) while a
writer works; writers are serialised by SQLite and, above it, by the list store's file lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from chipbridge.screening.model import Entry, ListSnapshot, SkippedRow

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blob (hash BLOB PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS version (
    dataset TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    entries INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    as_of TEXT,
    imported_at TEXT NOT NULL,
    source TEXT,
    skipped TEXT NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    members BLOB NOT NULL,
    PRIMARY KEY (dataset, number)
);
CREATE TABLE IF NOT EXISTS generation (
    number INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS activation (
    generation INTEGER NOT NULL REFERENCES generation (number),
    dataset TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (generation, dataset),
    FOREIGN KEY (dataset, number) REFERENCES version (dataset, number)
);
"""
# Fixed-width UTC timestamps compare correctly as text.
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_BATCH = 500  # blob hashes per SELECT ... IN (...)
# meta key: {"generation", "since", "error"} while the working group has not been screened
# against the active lists.
RESCREEN = "rescreen_pending"


class StoreError(RuntimeError):
    """The list store cannot be read or written; the message says which file and why."""


def canonical(entry: Entry) -> bytes:
    """An entry's JSON, fields in the model's order (orjson serialises the dataclass itself,
    fifty times faster than going through dataclasses.asdict)."""
    return orjson.dumps(entry)


def content_hash(entries: Iterable[Entry]) -> str:
    """SHA-256 over the entries' canonical JSON, in order: names a version's content."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(canonical(entry))
    return digest.hexdigest()


def blob_hash(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


def timestamp(moment: datetime) -> str:
    """A moment as stored: UTC, microseconds, fixed width. Naive datetimes are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_TIME)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date-time given by a user; a date means midnight UTC at its start.

    Raises ValueError with a message fit to show.
    """
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or date-time; use ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T09:30:00+08:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ListInfo:
    """One version of one list: what was imported, when, and how it differs from the last."""

    dataset: str
    version: int
    title: str
    format: str
    entries: int
    as_of: str | None  # the publisher's date, when the file says
    imported_at: str | None  # None for the built-in list, which ships with chipbridge
    content_hash: str
    source: str | None
    skipped: list[dict[str, Any]]
    added: int = 0
    changed: int = 0
    removed: int = 0


@dataclass(frozen=True, slots=True)
class Diff:
    """The entries added, changed (before, after) and removed between two versions."""

    dataset: str
    before: int | None
    after: int
    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry]] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Staged:
    """A snapshot hashed and ready to store, before any write."""

    snapshot: ListSnapshot
    content_hash: str
    members: list[tuple[str, bytes]]  # (entry id, 16-byte blob hash) in the publisher's order
    bodies: dict[bytes, bytes]  # blob hash -> canonical JSON


def stage(snapshot: ListSnapshot) -> Staged:
    digest = hashlib.sha256()
    members: list[tuple[str, bytes]] = []
    bodies: dict[bytes, bytes] = {}
    for entry in snapshot.entries:
        body = canonical(entry)
        digest.update(body)
        key = blob_hash(body)
        bodies[key] = body
        members.append((entry.id, key))
    return Staged(snapshot, digest.hexdigest(), members, bodies)


def _counts(
    old: dict[str, bytes] | None, new: dict[str, bytes]
) -> tuple[list[str], list[str], list[str]]:
    """Ids added, changed and removed from ``old`` to ``new`` (member maps id -> blob hash)."""
    old = old or {}
    added = [i for i in new if i not in old]
    changed = [i for i in new if i in old and old[i] != new[i]]
    removed = [i for i in old if i not in new]
    return added, changed, removed


class VersionStore:
    """The versions file. Every method opens its own connection: safe across threads and forks."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: IMMEDIATE for writers, a consistent snapshot for readers."""
        if not write and not self.path.exists():
            raise _Empty
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the list store ({exc})") from exc
        try:
            if write:  # the journal mode persists in the file; readers need no pragmas
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA foreign_keys=ON")
                db.executescript(SCHEMA)
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.rollback()
                raise
            db.commit()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        finally:
            db.close()

    # --- reading ---------------------------------------------------------------------------

    def generation(self, at: datetime | None = None) -> int:
        """The newest swap at or before ``at`` (default: now); 0 when nothing was imported."""
        try:
            with self._connect() as db:
                return _generation(db, at)
        except _Empty:
            return 0

    def active(self, at: datetime | None = None) -> tuple[int, list[ListInfo]]:
        """The generation and the versions active at ``at`` (default: now), by dataset name."""
        try:
            with self._connect() as db:
                generation = _generation(db, at)
                return generation, _active(db, generation)
        except _Empty:
            return 0, []

    def active_at(self, generation: int) -> list[ListInfo]:
        """The versions that generation ``generation`` left active."""
        try:
            with self._connect() as db:
                return _active(db, generation)
        except _Empty:
            return []

    def history(self, dataset: str | None = None) -> list[ListInfo]:
        try:
            with self._connect() as db:
                rows = db.execute(
                    f"SELECT {_INFO_COLUMNS} FROM version WHERE ? IS NULL OR dataset = ? "
                    "ORDER BY imported_at, dataset",
                    (dataset, dataset),
                ).fetchall()
        except _Empty:
            return []
        return [_info(row) for row in rows]

    def version(self, dataset: str, number: int) -> ListInfo | None:
        try:
            with self._connect() as db:
                row = db.execute(
                    f"SELECT {_INFO_COLUMNS} FROM version WHERE dataset = ? AND number = ?",
                    (dataset, number),
                ).fetchone()
        except _Empty:
            return None
        return _info(row) if row else None

    def snapshot(self, info: ListInfo) -> ListSnapshot:
        """A stored version's entries, checked against its content hash."""
        with self._connect() as db:
            members = _members(db, info.dataset, info.version)
            bodies = _bodies(db, [h for _, h in members])
        digest = hashlib.sha256()
        entries: list[Entry] = []
        for _, key in members:
            body = bodies.get(key)
            if body is None:
                raise StoreError(f"{self.path}: {info.dataset} version {info.version} is damaged")
            digest.update(body)
            entries.append(Entry.from_dict(orjson.loads(body)))
        if digest.hexdigest() != info.content_hash:
            raise StoreError(
                f"{self.path}: {info.dataset} version {info.version} does not match its hash"
            )
        return ListSnapshot(
            dataset=info.dataset,
            title=info.title,
            format=info.format,
            entries=entries,
            as_of=date.fromisoformat(info.as_of) if info.as_of else None,
            skipped=[SkippedRow(**s) for s in info.skipped],
            source=info.source,
        )

    def diff(self, dataset: str, before: int | None, after: int) -> Diff:
        """What changed from version ``before`` (None: nothing) to version ``after``."""
        with self._connect() as db:
            new = dict(_members(db, dataset, after))
            old = dict(_members(db, dataset, before)) if before is not None else {}
            added, changed, removed = _counts(old, new)
            wanted = [new[i] for i in added + changed] + [old[i] for i in changed + removed]
            bodies = _bodies(db, wanted)

        def entry(key: bytes) -> Entry:
            return Entry.from_dict(orjson.loads(bodies[key]))

        return Diff(
            dataset,
            before,
            after,
            added=[entry(new[i]) for i in added],
            changed=[(entry(old[i]), entry(new[i])) for i in changed],
            removed=[entry(old[i]) for i in removed],
        )

    def meta(self, key: str) -> Any:
        try:
            with self._connect() as db:
                row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except _Empty:
            return None
        return orjson.loads(row[0]) if row else None

    # --- writing ---------------------------------------------------------------------------

    def commit(
        self, staged: Sequence[Staged], reason: str, imported_at: datetime | None = None
    ) -> list[ListInfo]:
        """Store each staged snapshot as its dataset's next version and make them all active
        in one generation, in one transaction, which also marks the working group's
        re-screen as pending (so a crash right after the swap cannot lose it). A snapshot
        identical to its dataset's active version is not stored again; the active version
        is returned for it instead."""
        out: list[ListInfo] = []
        with self._connect(write=True) as db:
            generation = _generation(db, None)
            at = _next_moment(db, imported_at)
            activated: list[tuple[str, int]] = []
            for item in staged:
                snapshot = item.snapshot
                current = db.execute(
                    f"""SELECT {_INFO_COLUMNS} FROM version WHERE dataset = ? AND number = (
                            SELECT number FROM activation WHERE dataset = ?
                            ORDER BY generation DESC LIMIT 1)""",
                    (snapshot.dataset, snapshot.dataset),
                ).fetchone()
                previous = _info(current) if current else None
                if previous is not None and previous.content_hash == item.content_hash:
                    out.append(previous)
                    continue
                old = dict(_members(db, previous.dataset, previous.version)) if previous else None
                added, changed, removed = _counts(old, dict(item.members))
                number = (
                    1
                    + (
                        db.execute(
                            "SELECT coalesce(max(number), 0) FROM version WHERE dataset = ?",
                            (snapshot.dataset,),
                        ).fetchone()[0]
                    )
                )
                stored = _stored(db, list(item.bodies))
                db.executemany(
                    "INSERT INTO blob (hash, body) VALUES (?, ?)",
                    ((k, zlib.compress(b)) for k, b in item.bodies.items() if k not in stored),
                )
                info = ListInfo(
                    dataset=snapshot.dataset,
                    version=number,
                    title=snapshot.title,
                    format=snapshot.format,
                    entries=len(snapshot.entries),
                    as_of=snapshot.as_of.isoformat() if snapshot.as_of else None,
                    imported_at=at,
                    content_hash=item.content_hash,
                    source=snapshot.source,
                    skipped=[{"line": s.line, "reason": s.reason} for s in snapshot.skipped],
                    added=len(added),
                    changed=len(changed),
                    removed=len(removed),
                )
                db.execute(
                    "INSERT INTO version VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        info.dataset,
                        info.version,
                        info.title,
                        info.format,
                        info.entries,
                        info.content_hash,
                        info.as_of,
                        info.imported_at,
                        info.source,
                        orjson.dumps(info.skipped).decode(),
                        info.added,
                        info.changed,
                        info.removed,
                        _pack(item.members),
                    ),
                )
                activated.append((info.dataset, info.version))
                out.append(info)
            if activated:
                generation = _new_generation(db, at, reason)
                db.executemany(
                    "INSERT INTO activation VALUES (?, ?, ?)",
                    [(generation, dataset, number) for dataset, number in activated],
                )
        return out

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection | None]:
        """One consistent read transaction; None when nothing has been written yet."""
        try:
            with self._connect() as db:
                yield db
        except _Empty:
            yield None

    @contextlib.contextmanager
    def swapping(
        self, reason: str, moment: datetime | None = None
    ) -> Iterator[tuple[sqlite3.Connection, int, str]]:
        """A write transaction that opens a new generation, for a change other than a list
        version that changes what screening answers (an ownership import). Yields the
        connection, the generation and its time (now, or ``moment`` if later than the last
        generation, as for :meth:`commit`); like a list swap it marks the working group's
        re-screen pending, in the same transaction."""
        with self._connect(write=True) as db:
            at = _next_moment(db, moment)
            yield db, _new_generation(db, at, reason), at

    def set_meta(self, key: str, value: Any) -> None:
        with self._connect(write=True) as db:
            _set_meta(db, key, value)


class _Empty(Exception):
    """Nothing has been written yet: readers answer as for an empty store."""


_INFO_COLUMNS = (
    "dataset, number, title, format, entries, as_of, imported_at, content_hash, source, "
    "skipped, added, changed, removed"
)


def _info(row: Sequence[Any]) -> ListInfo:
    dataset, number, title, fmt, entries, as_of, imported_at, digest, source, skipped, *counts = row
    return ListInfo(
        dataset=dataset,
        version=number,
        title=title,
        format=fmt,
        entries=entries,
        as_of=as_of,
        imported_at=imported_at,
        content_hash=digest,
        source=source,
        skipped=orjson.loads(skipped),
        added=counts[0],
        changed=counts[1],
        removed=counts[2],
    )


def _generation(db: sqlite3.Connection, at: datetime | None) -> int:
    if at is None:
        row = db.execute("SELECT coalesce(max(number), 0) FROM generation").fetchone()
    else:
        row = db.execute(
            "SELECT coalesce(max(number), 0) FROM generation WHERE at <= ?", (timestamp(at),)
        ).fetchone()
    found: int = row[0]
    return found


def _next_moment(db: sqlite3.Connection, moment: datetime | None) -> str:
    """The time of a new generation: now (or ``moment``), but after the last one, since
    clocks can step back and activation times must not."""
    last = db.execute("SELECT max(at) FROM generation").fetchone()[0]
    moment = datetime.now(UTC) if moment is None else moment
    if last is not None and timestamp(moment) <= last:
        moment = datetime.strptime(last, _TIME).replace(tzinfo=UTC) + timedelta(microseconds=1)
    return timestamp(moment)


def _new_generation(db: sqlite3.Connection, at: str, reason: str) -> int:
    generation = _generation(db, None) + 1
    db.execute("INSERT INTO generation VALUES (?, ?, ?)", (generation, at, reason))
    _set_meta(db, RESCREEN, {"generation": generation, "since": at, "error": None})
    return generation


def _active(db: sqlite3.Connection, generation: int) -> list[ListInfo]:
    """Per dataset, the version of its last activation at or before ``generation``."""
    rows = db.execute(
        f"""SELECT {_INFO_COLUMNS} FROM version WHERE (dataset, number) IN (
                SELECT a.dataset, a.number FROM activation a JOIN (
                    SELECT dataset, max(generation) AS generation FROM activation
                    WHERE generation <= ? GROUP BY dataset
                ) AS latest ON a.dataset = latest.dataset AND a.generation = latest.generation
            ) ORDER BY dataset""",
        (generation,),
    ).fetchall()
    return [_info(row) for row in rows]


def _pack(members: list[tuple[str, bytes]]) -> bytes:
    """A member list as stored: the length of the compressed ids, the ids (a JSON array,
    zlib), then the 16-byte blob hashes in the same order (they would not compress)."""
    ids = zlib.compress(orjson.dumps([entry_id for entry_id, _ in members]))
    return struct.pack(">I", len(ids)) + ids + b"".join(key for _, key in members)


def _members(db: sqlite3.Connection, dataset: str, number: int) -> list[tuple[str, bytes]]:
    row = db.execute(
        "SELECT members FROM version WHERE dataset = ? AND number = ?", (dataset, number)
    ).fetchone()
    if row is None:
        raise StoreError(f"{dataset} has no version {number}")
    packed: bytes = row[0]
    (length,) = struct.unpack_from(">I", packed)
    ids: list[str] = orjson.loads(zlib.decompress(packed[4 : 4 + length]))
    keys = packed[4 + length :]
    return [(entry_id, keys[16 * i : 16 * i + 16]) for i, entry_id in enumerate(ids)]


def _bodies(db: sqlite3.Connection, keys: list[bytes]) -> dict[bytes, bytes]:
    """Entry JSON by blob hash (stored zlib-compressed)."""
    found: dict[bytes, bytes] = {}
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        for key, body in db.execute(f"SELECT hash, body FROM blob WHERE hash IN ({marks})", chunk):
            found[key] = zlib.decompress(body)
    return found


def _stored(db: sqlite3.Connection, keys: list[bytes]) -> set[bytes]:
    """Which of these blobs the store already holds (shared, not stored again)."""
    found: set[bytes] = set()
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        found.update(
            k for (k,) in db.execute(f"SELECT hash FROM blob WHERE hash IN ({marks})", chunk)
        )
    return found


def _chunks(keys: list[bytes]) -> Iterator[list[bytes]]:
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _BATCH):
        yield unique[start : start + _BATCH]


def _set_meta(db: sqlite3.Connection, key: str, value: Any) -> None:
    if value is None:
        db.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, orjson.dumps(value).decode()),
        )
