"""Imported lists on disk, and the screener built from them.

Layout under ``$CHIPBRIDGE_HOME``::

    lists/manifest.json          one record per imported dataset (the source of truth)
    lists/<dataset>-<hash>.json  the entries of that import, as loaded
    cache/index-<key>.pickle     the built index for the current set of lists

An import writes the new entries file first and then swaps the manifest in with one atomic
rename, so a crash or a bad file leaves the previous state untouched. The index cache is
keyed by the content of every active list and the engine version, so it can never serve
stale results; it is rebuilt when missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from chipbridge import __version__
from chipbridge.screening import Screener
from chipbridge.screening.index import NameIndex
from chipbridge.screening.model import Entry, ListSnapshot, SkippedRow
from chipbridge.screening.sources import builtin

MANIFEST = "manifest.json"


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


@dataclass(frozen=True, slots=True)
class ListInfo:
    dataset: str
    title: str
    format: str
    entries: int
    as_of: str | None
    imported_at: str | None
    content_hash: str
    source: str | None
    skipped: list[dict[str, Any]]
    file: str | None = None


def content_hash(snapshot: ListSnapshot) -> str:
    digest = hashlib.sha256()
    for entry in snapshot.entries:
        digest.update(orjson.dumps(entry.to_dict(), option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Any]:
    """Write to a temporary file beside ``path`` and rename it into place on success only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ListStore:
    """The lists a chipbridge installation screens against."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.dir = home / "lists"
        self.cache = home / "cache"

    def _manifest(self) -> dict[str, dict[str, Any]]:
        path = self.dir / MANIFEST
        if not path.exists():
            return {}
        data: dict[str, dict[str, Any]] = orjson.loads(path.read_bytes())
        return data

    def builtin_info(self) -> ListInfo:
        snapshot = builtin.load()
        return ListInfo(
            dataset=snapshot.dataset,
            title=snapshot.title,
            format=snapshot.format,
            entries=len(snapshot.entries),
            as_of=snapshot.as_of.isoformat() if snapshot.as_of else None,
            imported_at=None,
            content_hash=content_hash(snapshot),
            source=snapshot.source,
            skipped=[],
        )

    def infos(self) -> list[ListInfo]:
        """Every active list: the built-in snapshot first, then imports by dataset name."""
        imported = [ListInfo(**record) for _, record in sorted(self._manifest().items())]
        return [self.builtin_info(), *imported]

    def save(self, snapshot: ListSnapshot) -> ListInfo:
        """Store an imported snapshot, replacing the previous import of the same dataset."""
        if snapshot.dataset == builtin.DATASET:
            raise ValueError("the built-in list ships with chipbridge and cannot be replaced")
        digest = content_hash(snapshot)
        name = f"{snapshot.dataset}-{digest[:16]}.json"
        with atomic_write(self.dir / name) as handle:
            handle.write(orjson.dumps([e.to_dict() for e in snapshot.entries]))
        info = ListInfo(
            dataset=snapshot.dataset,
            title=snapshot.title,
            format=snapshot.format,
            entries=len(snapshot.entries),
            as_of=snapshot.as_of.isoformat() if isinstance(snapshot.as_of, date) else None,
            imported_at=datetime.now(UTC).isoformat(timespec="seconds"),
            content_hash=digest,
            source=snapshot.source,
            skipped=[{"line": s.line, "reason": s.reason} for s in snapshot.skipped],
            file=name,
        )
        manifest = self._manifest()
        previous = manifest.get(snapshot.dataset, {}).get("file")
        manifest[snapshot.dataset] = dataclasses.asdict(info)
        with atomic_write(self.dir / MANIFEST) as handle:
            handle.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        if previous and previous != name:
            with contextlib.suppress(FileNotFoundError):
                (self.dir / previous).unlink()
        return info

    def snapshots(self) -> list[ListSnapshot]:
        """Every active list, loaded: the built-in list and each stored import."""
        out = [builtin.load()]
        for record in self._manifest().values():
            rows = orjson.loads((self.dir / record["file"]).read_bytes())
            out.append(
                ListSnapshot(
                    dataset=record["dataset"],
                    title=record["title"],
                    format=record["format"],
                    entries=[Entry.from_dict(r) for r in rows],
                    as_of=date.fromisoformat(record["as_of"]) if record["as_of"] else None,
                    skipped=[SkippedRow(**s) for s in record["skipped"]],
                    source=record["source"],
                )
            )
        return out

    def index_key(self) -> str:
        parts = [engine_fingerprint()] + [f"{i.dataset}:{i.content_hash}" for i in self.infos()]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]

    def screener(self) -> Screener:
        """A screener over every active list, from the index cache when it is current."""
        key = self.index_key()
        path = self.cache / f"index-{key}.pickle"
        if path.exists():
            # Unpickling allocates millions of objects; the cyclic collector would only
            # slow that down, since none of them are garbage.
            gc.disable()
            try:
                index: NameIndex = pickle.loads(path.read_bytes())
                return _settled(Screener(index))
            except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                pass  # a damaged or foreign cache file is rebuilt below
            finally:
                gc.enable()
        screener = Screener.from_snapshots(self.snapshots())
        for old in self.cache.glob("index-*.pickle"):
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
        with atomic_write(path) as handle:
            pickle.dump(screener.index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return _settled(screener)


def _settled(screener: Screener) -> Screener:
    """Move the index out of the cyclic garbage collector's sight.

    The index is millions of long-lived objects; without this every full collection walks
    them all, which shows up as pauses of a tenth of a second in the middle of a batch.
    """
    gc.collect()
    gc.freeze()
    return screener
