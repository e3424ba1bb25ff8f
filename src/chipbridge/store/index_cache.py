"""Built indexes on disk, each with a checksum, so a damaged file is rebuilt, never trusted.

A file is ``index-<key>.pickle``: a magic line, the SHA-256 of the payload, then the pickled
index. The key names the engine code and every list's content (see ``ListStore.index_key``),
so a file can never serve stale results; the checksum catches a truncated or corrupted one,
which is discarded with a warning and rebuilt. The few most recently used files are kept, so
screening "as of" a past date does not evict the index of the current lists.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import IO

from chipbridge import collector
from chipbridge.screening.index import NameIndex
from chipbridge.store.files import atomic_write

log = logging.getLogger(__name__)
MAGIC = b"chipbridge index v1\n"
_DIGEST = 32
KEEP = 3


def path_for(folder: Path, key: str) -> Path:
    return folder / f"index-{key}.pickle"


def load(folder: Path, key: str) -> NameIndex | None:
    """The cached index for ``key``; None when there is none or it was damaged (then removed)."""
    path = path_for(folder, key)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("index cache %s cannot be read (%s); rebuilding it", path, exc)
        return None
    head = len(MAGIC) + _DIGEST
    problem: str | None = None
    if not data.startswith(MAGIC) or len(data) < head:
        problem = "not an index cache file, or cut short"
    elif hashlib.sha256(memoryview(data)[head:]).digest() != data[len(MAGIC) : head]:
        problem = "checksum mismatch: truncated or corrupted"
    else:
        # Unpickling allocates millions of objects, none of them garbage: the cyclic
        # collector would only slow it down.
        with collector.paused():
            try:
                index = pickle.loads(memoryview(data)[head:])
            except Exception as exc:  # a checksummed file from other code: never trusted
                problem = f"does not load ({type(exc).__name__})"
        if problem is None and not isinstance(index, NameIndex):
            problem = "does not hold an index"
        if problem is None:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: kept by prune()
            found: NameIndex = index
            return found
    log.warning("index cache %s is damaged (%s); discarding and rebuilding it", path, problem)
    with contextlib.suppress(OSError):
        path.unlink()
    return None


class _Hashing:
    """A file that hashes what is written to it: the index streams to disk, never held whole
    in memory beside itself (tens of megabytes at the build's memory peak)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def save(folder: Path, key: str, index: NameIndex) -> None:
    """Write the index with its checksum, then drop all but the most recently used files."""
    path = path_for(folder, key)
    with atomic_write(path) as handle:
        handle.write(MAGIC)
        handle.write(bytes(_DIGEST))  # the checksum, filled in once the payload is written
        payload = _Hashing(handle)
        pickle.dump(index, payload, protocol=pickle.HIGHEST_PROTOCOL)
        handle.seek(len(MAGIC))
        handle.write(payload.digest.digest())
    prune(folder, keep=path)


def prune(folder: Path, keep: Path) -> None:
    """Keep ``keep`` and the most recently used others; drop temporary files that a killed
    writer left (callers hold the store's lock, so no live writer has one open)."""
    for stale in folder.glob(".index-*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()

    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    others = sorted((p for p in folder.glob("index-*.pickle") if p != keep), key=used)
    for old in others[: max(0, len(others) - (KEEP - 1))]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
