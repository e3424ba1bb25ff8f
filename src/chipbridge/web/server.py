"""Run the app with uvicorn on loopback, in one process or several.

Each worker process builds its own app from the configuration (``app_from_config``): the
database in CHIPBRIDGE_DATABASE_URL or CHIPBRIDGE_HOME, the lists in CHIPBRIDGE_HOME (the
index is read from its cache, which ``chipbridge serve`` has built before the workers
start). Nothing is kept in a process between requests, so workers need no coordination.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI


def app_from_config() -> FastAPI:
    from chipbridge import config
    from chipbridge.store.db import make_engine
    from chipbridge.store.lists import ListStore
    from chipbridge.web.app import create_app

    store = ListStore(config.home())
    active = store.active()
    return create_app(make_engine(), store.screener_for(active), active.key)


def serve(port: int, host: str = "127.0.0.1", workers: int = 1) -> None:
    uvicorn.run(
        "chipbridge.web.server:app_from_config",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
