"""Screening the working group again when its lists change, and remembering when it could not.

Every swap of the active lists marks a re-screen as pending in the same transaction (see
store/versions.py), so neither a failure nor a crash between the swap and the re-screen can
leave the group screened against lists that are no longer active without anyone knowing:
the next ``lists import``, ``lists update`` or ``rescreen`` retries it.
"""

from __future__ import annotations

from pathlib import Path

from chipbridge.store.lists import ListStore


class RescreenError(RuntimeError):
    """The re-screen failed; it stays pending. The message says why, on one line."""


def rescreen(store: ListStore, actor: str) -> int | None:
    """Screen every company and participant against the active lists.

    Returns how many were screened, or None when there is no working group database yet.
    """
    from chipbridge.store.db import database_url, make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.reviews.service import rescreen_all

    active = store.active()
    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        store.rescreen_done(active.generation)
        return None
    try:
        screener = store.screener_for(active)
        engine = make_engine(url)
        try:
            migrate(engine)
            with transaction(session_factory(engine)) as session:
                count = rescreen_all(session, screener, active.key, actor)
        finally:
            engine.dispose()
    # Whatever the database or the working group raises, the lists are already swapped:
    # the failure is recorded for the retry and reported on one line, not as a traceback.
    except Exception as exc:
        reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
        store.rescreen_failed(reason)
        raise RescreenError(reason) from exc
    store.rescreen_done(active.generation)
    return count
