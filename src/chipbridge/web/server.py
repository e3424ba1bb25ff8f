"""Run the app with uvicorn on loopback, in one process or several.

Each worker process builds its own app from the configuration (``app_from_config``): the
database in CHIPBRIDGE_DATABASE_URL or CHIPBRIDGE_HOME, the lists in CHIPBRIDGE_HOME (the
index is read from its cache, which ``chipbridge serve`` has built before the workers
start). Each worker follows list imports on its own (web/live.py: it reads the store's
generation at most once a second and loads the new index in the background), so workers
need no coordination.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI


def app_from_config() -> FastAPI:
    """A worker's app; it follows list imports without a restart (web/live.py)."""
    from chipbridge import config
    from chipbridge.store.db import make_engine
    from chipbridge.store.lists import ListStore
    from chipbridge.web.app import create_app

    store = ListStore(config.home())
    active = store.active()
    return create_app(make_engine(), store.screener_for(active), active, store=store)


def check_port(port: int, host: str = "127.0.0.1") -> None:
    """Raise OSError when the address cannot be bound (another server has it), so that the
    command says so before it announces an address it would not serve. Bound the way
    uvicorn binds (SO_REUSEADDR: a closed connection's lingering TIME_WAIT is no conflict)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def serve(port: int, host: str = "127.0.0.1", workers: int = 1) -> None:
    uvicorn.run(
        "chipbridge.web.server:app_from_config",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
