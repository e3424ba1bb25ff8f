"""The cyclic garbage collector, paused while work that makes no reference cycles runs.

Loading an index or profiles, and screening rows, allocate millions of long-lived objects
(memos of tuples and strings) and no cycles: the collector would only walk them again and
again as they grow. Reference counting still frees everything that is dropped.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as the caller had it (a caller's paused
    collector stays paused)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
