"""A real browser (Debian's chromium driven by Playwright) against the real server.

Signs in as a compliance reviewer and as a delegate and checks what each sees; runs a
meeting's agenda from creation to the lock (secretariat and counsel) and downloads its pack.
Skipped when /usr/bin/chromium is absent; `.ci/run` installs it. Screenshots are saved under
bench/out/screenshots/.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.web.app import create_app
from tests.lifecycle import next_day
from tests.pdfcheck import needs_pdf
from tests.webapp import Account, add_accounts, seed_group, served

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "bench" / "out" / "screenshots"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Engine, str, dict[str, Account]]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.db'}")
    migrate(engine)
    screener = Screener.from_snapshots([builtin.load()])
    seed_group(engine, screener)
    people = add_accounts(engine, ["reviewer", "delegate", "secretariat", "counsel"])
    with served(create_app(engine, screener, "test")) as base:
        yield engine, base, people


@pytest.fixture(scope="module")
def server(
    world: tuple[Engine, str, dict[str, Account]],
) -> tuple[str, dict[str, Account]]:
    _, base, people = world
    return base, people


def test_reviewer_and_delegate_see_what_their_roles_allow(
    server: tuple[str, dict[str, Account]],
) -> None:
    from playwright.sync_api import Page, sync_playwright

    base, people = server
    SHOTS.mkdir(parents=True, exist_ok=True)

    def sign_in(page: Page, label: str) -> None:
        page.goto(base + "/")
        assert page.url.startswith(base + "/login")
        page.fill("#email", people[label].email)
        page.fill("#password", people[label].password)
        page.click("#sign-in")
        page.wait_for_load_state()
        assert page.url == base + "/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(base + "/login")
        page.fill("#email", people["reviewer"].email)
        page.fill("#password", "wrong password")
        page.click("#sign-in")
        assert "wrong e-mail or password" in page.locator("#login-error").inner_text()
        page.screenshot(path=str(SHOTS / "login-refused.png"), full_page=True)

        # A compliance reviewer sees screening statuses, the queue and the audit log.
        sign_in(page, "reviewer")
        assert page.locator("h2").first.inner_text() == "Delegations"
        assert "potential match" in page.content()
        assert page.locator("#open-reviews").count() == 1
        assert "reviewer" in page.locator("#who").inner_text()
        page.screenshot(path=str(SHOTS / "dashboard-reviewer.png"), full_page=True)

        page.click("#lang-zh")
        page.wait_for_load_state()
        assert page.locator("h2").first.inner_text() == "代表团"
        page.screenshot(path=str(SHOTS / "dashboard-zh.png"), full_page=True)
        page.click("#lang-en")
        page.wait_for_load_state()

        page.goto(base + "/screen")
        page.fill("#name", "中芯国际")
        page.click("#screen")
        page.wait_for_selector("tr.hit")
        first = page.locator("tr.hit").first
        assert "Semiconductor Manufacturing International Corporation" in first.inner_text()
        assert "85 FR 83416" in first.locator("td.citation").inner_text()
        page.screenshot(path=str(SHOTS / "console-smic.png"), full_page=True)

        page.goto(base + "/documents")
        assert page.locator("tr.document.held").count() == 1  # held documents: visible
        page.goto(base + "/audit")
        assert page.locator("h1").inner_text() == "Audit log"
        page.click("#logout")
        page.wait_for_load_state()
        assert page.url.startswith(base + "/login")

        # A delegate sees the group, but no compliance record.
        sign_in(page, "delegate")
        content = page.content()
        assert page.locator("h2").first.inner_text() == "Delegations"
        assert "Semiconductor Manufacturing International Corporation" in content
        for hidden in ("potential match", "85 FR 83416", "Review queue", "Audit log"):
            assert hidden not in content, hidden
        assert page.locator("#open-reviews").count() == 0
        page.screenshot(path=str(SHOTS / "dashboard-delegate.png"), full_page=True)
        response = page.goto(base + "/reviews")
        assert response is not None and response.status == 403
        page.goto(base + "/documents")
        assert page.locator("tr.document.held").count() == 0
        assert page.locator("tr.document.admitted").count() == 1
        page.fill("#title", "Capacity plans")
        page.fill("#text", "No public source given.")
        page.click("#submit")
        refused = page.wait_for_selector("#refused")
        assert "public source" in refused.inner_text()
        page.screenshot(path=str(SHOTS / "document-refused.png"), full_page=True)
        browser.close()


@needs_pdf
def test_secretariat_and_counsel_take_an_agenda_to_the_lock_and_download_the_pack(
    world: tuple[Engine, str, dict[str, Account]], tmp_path: Path
) -> None:
    from playwright.sync_api import Page, sync_playwright

    engine, base, people = world
    SHOTS.mkdir(parents=True, exist_ok=True)
    with transaction(session_factory(engine), write=False) as db:
        day = next_day(db).isoformat()  # a working day on both sides, after the seeded ones

    def sign_in(page: Page, label: str) -> None:
        page.goto(base + "/login")
        page.fill("#email", people[label].email)
        page.fill("#password", people[label].password)
        page.click("#sign-in")
        page.wait_for_load_state()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        sign_in(page, "secretariat")
        page.goto(base + "/meetings")
        page.fill("#starts_on", day)
        page.click("#create-meeting")
        page.wait_for_load_state()
        assert "/meetings/" in page.url
        meeting_url = page.url
        assert page.locator("#state").inner_text() == "draft"
        assert "反垄断声明" in page.locator("#agenda").inner_text()  # the statement opens it
        page.fill("#item-title", "Published encryption standards")
        page.fill("#item-title-zh", "已发布的加密标准")
        page.click("#add-item-button")
        page.wait_for_load_state()
        assert "已发布的加密标准" in page.locator("#agenda").inner_text()
        page.click("#circulate")  # not yet: counsel has not signed off
        page.wait_for_load_state()
        assert "counsel must sign off the agenda" in page.content()
        page.screenshot(path=str(SHOTS / "circulation-refused.png"), full_page=True)
        page.click("#logout")

        sign_in(page, "counsel")
        page.goto(meeting_url)
        assert page.locator("#circulate").count() == 0  # counsel does not run the meeting
        page.click("#sign-off-agenda")
        page.wait_for_load_state()
        assert people["counsel"].email in page.locator("#agenda-sign-off").inner_text()
        page.click("#logout")

        sign_in(page, "secretariat")
        page.goto(meeting_url)
        page.click("#circulate")
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "agenda circulated"
        page.click("#lock")
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "agenda locked"
        assert page.locator("#add-item").count() == 0  # locked: no more items
        page.screenshot(path=str(SHOTS / "meeting-locked.png"), full_page=True)
        with page.expect_download() as download:
            page.click("#pack")
        pdf = tmp_path / "pack.pdf"
        download.value.save_as(pdf)
        browser.close()
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Published encryption standards" in text and "已发布的加密标准" in text
    assert "Antitrust statement" in text and "反垄断声明" in text
