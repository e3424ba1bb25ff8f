"""Run the app with uvicorn on loopback."""

from __future__ import annotations

import uvicorn
from sqlalchemy import Engine

from chipbridge.screening import Screener
from chipbridge.web.app import create_app


def serve(
    engine: Engine, screener: Screener, lists_key: str, port: int, host: str = "127.0.0.1"
) -> None:
    uvicorn.run(create_app(engine, screener, lists_key), host=host, port=port, log_level="warning")
