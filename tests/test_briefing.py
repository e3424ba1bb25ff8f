"""The meeting briefing: list changes since the previous meeting that touch the group (added,
changed, delisted, with citations), reviews, documents, the agenda; page, JSON and the PDF in
English and Chinese (checked with pdftotext); compliance roles only."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from chipbridge.accounts.permissions import Actor, Role
from chipbridge.monitoring import service as monitoring
from chipbridge.monitoring.rescreen import rescreen
from chipbridge.screening.model import Alias, AliasKind, ListSnapshot
from chipbridge.store.db import session_factory, transaction
from chipbridge.store.lists import ListStore
from chipbridge.store.versions import stage
from chipbridge.web.app import create_app
from chipbridge.workgroup.meetings.models import Meeting
from chipbridge.workgroup.reviews import service as reviews
from chipbridge.workgroup.reviews.models import ScreeningRecord
from tests.pdfcheck import needs_pdf

from .conftest import company
from .webapp import Web, add_accounts, open_engine, seed_group, use_cheap_passwords

SYSTEM = Actor.system("test")
ORION = dataclasses.replace(
    company("A-1", "Orion Vega Photonics Co., Ltd."),
    dataset="us_csl",
    list_name="Entity List",
    citation="90 FR 11111 (March 3, 2025)",
)
ZENITH = dataclasses.replace(
    company("C-3", "Zenith Qilin Trading LLC"),
    dataset="us_csl",
    list_name="Entity List",
    citation="89 FR 22222 (April 4, 2024)",
)
HUAXIN = dataclasses.replace(
    company("D-4", "Huaxin Lyra Optics Co., Ltd.", "华芯光学有限公司"),
    dataset="us_csl",
    list_name="Entity List",
    citation="90 FR 47201 (September 29, 2025)",
)


def snap(*entries: object) -> ListSnapshot:
    return ListSnapshot("us_csl", "US CSL", "csl", list(entries))  # type: ignore[arg-type]


@pytest.fixture
def web(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    store = ListStore(home)
    now = datetime.now(UTC)
    store.versions.commit([stage(snap(ORION, ZENITH))], "test", now - timedelta(days=200))
    engine = open_engine("sqlite", tmp_path)
    active = store.active()
    seed_group(engine, store.screener_for(active))
    factory = session_factory(engine)
    with transaction(factory) as db:
        db.add(Meeting(starts_on=date.today() - timedelta(days=100), status="held"))
        rows = monitoring.check_rows(
            [
                (1, {"id": "S1", "name": "Orion Vega Photonics"}),
                (2, {"id": "S2", "name": "Zenith Qilin Trading"}),
                (3, {"id": "S3", "name": "华芯光学有限公司"}),
            ],
            "the request",
        )
        owner = monitoring.find_owner(db, "1")
        monitoring.import_parties(db, SYSTEM, owner, rows, store.screener_for(active), active)
    with transaction(factory) as db:
        rescreen(db, store, store.screener_for(active), active, SYSTEM)
    # Since the last meeting: ORION gains an alias, ZENITH is delisted, HUAXIN is added.
    changed = dataclasses.replace(ORION, aliases=(Alias("Orion Photonics", AliasKind.STRONG),))
    store.save(snap(changed, HUAXIN))
    active = store.active()
    with transaction(factory) as db:
        rescreen(db, store, store.screener_for(active), active, SYSTEM)
    with transaction(factory) as db:  # two reviewers decide the Huaxin party's record
        record = db.scalars(
            select(ScreeningRecord).where(
                ScreeningRecord.name == "华芯光学有限公司", ScreeningRecord.current.is_(True)
            )
        ).one()
        for reviewer in ("r1@example.org", "r2@example.org"):
            reviews.decide(db, Actor(reviewer, Role.REVIEWER), record.id, "confirmed match", "EL")
    app = create_app(engine, store.screener_for(active), active, store=store)
    return Web(app, add_accounts(engine))


def _first_planned(web: Web) -> int:
    """The next meeting: its previous one is the meeting the fixture added 100 days ago."""
    meetings = web.as_("secretariat").get("/api/v1/meetings").json()
    coming = [m for m in meetings if m["starts_on"] > date.today().isoformat()]
    return int(min(coming, key=lambda m: m["starts_on"])["id"])


def test_briefing_names_the_changes_that_touch_the_group(web: Web) -> None:
    meeting = _first_planned(web)
    body = web.as_("counsel").get(f"/api/v1/meetings/{meeting}/briefing").json()
    assert body["lists_before"] == {"chipbridge_builtin": 1, "us_csl": 1}
    assert body["lists_after"] == {"chipbridge_builtin": 1, "us_csl": 2}
    changes = {c["entry_id"]: c for c in body["changes"]}
    assert {k: c["kind"] for k, c in changes.items()} == {
        "A-1": "changed",
        "C-3": "delisted",
        "D-4": "added",
    }
    assert changes["D-4"]["citation"] == "90 FR 47201 (September 29, 2025)"
    touched = {t["name"]: t for c in body["changes"] for t in c["touches"]}
    assert touched["华芯光学有限公司"]["owner"] == "Intel Corporation"
    assert {"Orion Vega Photonics", "Zenith Qilin Trading"} <= set(touched)
    assert any(
        d["name"] == "华芯光学有限公司" and d["status"] == "confirmed match"
        for d in body["decided"]
    )
    assert body["documents"] and body["agenda"]
    assert web.as_("delegate").get(f"/api/v1/meetings/{meeting}/briefing").status_code == 403
    assert web.as_("observer").get(f"/meetings/{meeting}/briefing.pdf").status_code == 403
    page = web.browser("reviewer").get(f"/meetings/{meeting}/briefing")
    assert page.status_code == 200 and "90 FR 47201" in page.text and "delisted" in page.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Compliance briefing", "delisted", "Zenith Qilin Trading LLC", "90 FR 47201"]),
        ("zh", ["合规简报", "已除名", "涉及工作组的名单变更", "华芯光学有限公司", "90 FR 47201"]),
    ],
)
@needs_pdf
def test_briefing_pdf_text(web: Web, tmp_path: Path, lang: str, expected: list[str]) -> None:
    meeting = _first_planned(web)
    answer = web.as_("reviewer").get(f"/meetings/{meeting}/briefing.pdf", params={"lang": lang})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    path = tmp_path / f"briefing-{lang}.pdf"
    path.write_bytes(answer.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # Table cells wrap anywhere (Chinese has no spaces to wrap at): compare without spaces.
    flat = "".join(text.split())
    for phrase in expected:
        assert phrase.replace(" ", "") in flat, (phrase, text)
    assert "华芯光学有限公司" in flat  # the party's Chinese name, in either language
