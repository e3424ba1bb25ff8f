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
def paused(keep: bool = False) -> Iterator[None]:
    """The collector off for the block, then as the caller had it (a caller's paused
    collector stays paused).

    ``keep``: what the block leaves alive is long-lived and holds no cycles (the engine's
    caches after a file is screened). When the block succeeds it is frozen before the
    collector resumes, so neither the next collection nor the one at exit walks it (a
    second per 20,000 unique names screened in one process); what was pending before the
    block is collected first, so that no garbage is frozen with it.
    """
    enabled = gc.isenabled()
    if keep:
        gc.collect()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
