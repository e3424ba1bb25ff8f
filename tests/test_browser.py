"""A real browser (Debian's chromium driven by Playwright) against the real server.

Skipped when /usr/bin/chromium is absent; `.ci/run` installs it. Screenshots are saved under
bench/out/screenshots/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.web.app import create_app
from chipbridge.workgroup import seed
from chipbridge.workgroup.reviews.service import rescreen_all

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "bench" / "out" / "screenshots"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.db'}")
    migrate(engine)
    screener = Screener.from_snapshots([builtin.load()])
    with transaction(session_factory(engine)) as session:
        seed.seed(session)
        rescreen_all(session, screener, "test", "test")
    port = free_port()
    config = uvicorn.Config(
        create_app(engine, screener, "test"), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def test_dashboard_language_console_and_document_gate(server: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server + "/")
        assert page.locator("h2").first.inner_text() == "Delegations"
        assert "potential match" in page.content()
        page.screenshot(path=str(SHOTS / "dashboard-en.png"), full_page=True)

        page.click("#lang-zh")
        page.wait_for_load_state()
        assert page.locator("h2").first.inner_text() == "代表团"
        page.screenshot(path=str(SHOTS / "dashboard-zh.png"), full_page=True)

        page.goto(server + "/screen")
        page.fill("#name", "中芯国际")
        page.click("#screen")
        page.wait_for_selector("tr.hit")
        first = page.locator("tr.hit").first
        assert "Semiconductor Manufacturing International Corporation" in first.inner_text()
        assert "85 FR 83416" in first.locator("td.citation").inner_text()
        page.screenshot(path=str(SHOTS / "console-smic.png"), full_page=True)

        page.goto(server + "/documents")
        page.fill("#title", "Capacity plans")
        page.fill("#text", "No public source given.")
        page.click("#submit")
        refused = page.wait_for_selector("#refused")
        assert "public source" in refused.inner_text()
        page.screenshot(path=str(SHOTS / "document-refused.png"), full_page=True)
        browser.close()
