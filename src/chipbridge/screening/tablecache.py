"""Small tables derived from a maintained package's data, kept as pickles in the user cache.

pypinyin's character and phrase dictionaries cost half a second and about 50 MB to import, yet
the engine needs only small tables made from them (every reading of a character, the
Wade-Giles syllables). Each table is made once and stored in the user cache, keyed by the
package's version and by the code that made it, so an upgrade or a change of the derivation
makes it again; a process that finds it never imports the package. That keeps a fresh
``chipbridge screen`` fast and an index build's peak memory down.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import marshal
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

T = TypeVar("T")


def cached(
    name: str,
    distribution: str,
    build: Callable[[], T],
    uses: tuple[Callable[..., object], ...] = (),
    data: bytes = b"",
) -> T:
    """``build()``, read from the user cache when this version of the code made it before.

    ``uses``: the functions ``build`` derives its table from, whose code is part of the key
    too (a table made from another table is stale when the first one's derivation changes).
    ``data``: the content of a file ``build`` reads, part of the key as well, so that an
    edited data file is read again.
    A cache that cannot be read or written only costs the next process the same build.
    """
    import platformdirs

    code = b"".join(marshal.dumps(f.__code__) for f in (build, *uses))
    made_by = hashlib.sha256(code + hashlib.sha256(data).digest()).hexdigest()[:16]
    version = importlib.metadata.version(distribution)
    path = Path(platformdirs.user_cache_dir("chipbridge")) / f"{name}-{version}-{made_by}.pickle"
    try:
        with path.open("rb") as handle:
            return cast(T, pickle.load(handle))
    except Exception:  # missing or damaged: any failure means make it again
        pass
    table = build()
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
        scratch.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            scratch.unlink()
    return table
