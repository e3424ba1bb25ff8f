"""The screener a running server answers with, swapped without a restart when lists change.

Each request takes the current ``(screener, lists)`` pair once, at its start, and uses it to
the end, so a request in flight finishes on the screener it began with. At most once a
``check_every`` seconds a request asks the list store for its generation (one indexed read
of a small SQLite table); when it moved, a background thread loads the new screener (from the
index cache the import wrote, or by building it) and then replaces the pair with one
assignment. No request waits for a build.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from chipbridge.screening import Screener
from chipbridge.store.lists import ActiveLists, ListStore
from chipbridge.store.versions import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Current:
    """A screener and the lists it was built from: always read and replaced together."""

    screener: Screener
    lists: ActiveLists


class LiveScreener:
    def __init__(
        self, current: Current, store: ListStore | None = None, check_every: float = 1.0
    ) -> None:
        self._current = current
        self.store = store  # None: a fixed screener (tests, a screener not from a store)
        self.check_every = check_every
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None

    def get(self) -> Current:
        """The current pair; starts a swap in the background when the lists changed."""
        if self.store is not None and time.monotonic() - self._checked >= self.check_every:
            self._checked = time.monotonic()
            self._maybe_swap()
        return self._current

    def _maybe_swap(self) -> None:
        assert self.store is not None
        try:
            generation = self.store.generation()
        except StoreError as exc:
            log.warning("cannot check the lists: %s", exc)
            return
        with self._lock:
            if generation == self._current.lists.generation or self._building is not None:
                return
            self._building = threading.Thread(target=self._swap, name="screener-swap", daemon=True)
            self._building.start()

    def _swap(self) -> None:
        assert self.store is not None
        try:
            active = self.store.active()
            screener = self.store.screener_for(active)
            self._current = Current(screener, active)  # one reference assignment
            log.warning(
                "lists changed: now screening against %s (generation %d)",
                ", ".join(f"{d} v{v}" for d, v in active.used.items()),
                active.generation,
            )
        except Exception as exc:  # the old screener keeps answering; the next check retries
            log.warning("could not load the new lists, still answering from the old: %s", exc)
        finally:
            with self._lock:
                self._building = None

    def wait(self, timeout: float = 60.0) -> Current:
        """Check now and wait for a swap in progress to finish (tests, the CLI)."""
        self._checked = 0.0
        self.get()
        thread = self._building
        if thread is not None:
            thread.join(timeout)
        return self._current
