"""Run the app with uvicorn on loopback."""

from __future__ import annotations

import uvicorn
from sqlalchemy import Engine

from chipbridge.screening import Screener
from chipbridge.store.lists import ActiveLists, ListStore
from chipbridge.web.app import create_app


def serve(
    engine: Engine,
    screener: Screener,
    lists: ActiveLists,
    port: int,
    store: ListStore,
    host: str = "127.0.0.1",
) -> None:
    """Serve until stopped, picking up list imports as they happen (web/live.py)."""
    app = create_app(engine, screener, lists, store=store)
    uvicorn.run(app, host=host, port=port, log_level="warning")
