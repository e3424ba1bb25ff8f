"""Editing and removing companies, participants, tracks and agenda items through the API and
the pages: the checks of creation, re-screening on rename, soft removal kept in the audit
log, and nothing written when a change is refused. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import session_factory, transaction
from chipbridge.store.models import Base
from chipbridge.workgroup.meetings.models import State
from tests.lifecycle import meeting_in
from tests.webapp import BACKENDS, Web, csrf_of, make_web, open_engine, use_cheap_passwords


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def web(engine: Engine, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    return make_web(engine, screener)


def counts(engine: Engine) -> dict[str, int]:
    with transaction(session_factory(engine), write=False) as db:
        return {
            name: db.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
            if name not in ("api_tokens", "login_sessions")
        }


def audit(web: Web, entity: str, entity_id: int) -> list[dict[str, Any]]:
    answer = web.as_("counsel").get(
        "/api/v1/audit", params={"entity": entity, "entity_id": entity_id}
    )
    return list(reversed(answer.json()["entries"]))


def company_named(web: Web, name: str) -> dict[str, Any]:
    companies = web.as_("secretariat").get("/api/v1/companies").json()
    return next(c for c in companies if c["name"] == name)


def test_renaming_a_company_screens_it_again_at_once(web: Web) -> None:
    secretariat = web.as_("secretariat")
    added = secretariat.post("/api/v1/companies", json={"name": "Harbour Optics", "country": "CN"})
    assert added.json()["screening_status"] == "clear"
    company = added.json()["id"]
    renamed = secretariat.patch(
        f"/api/v1/companies/{company}", json={"name": "中芯国际集成电路制造有限公司"}
    )
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert body["name"] == "中芯国际集成电路制造有限公司"
    assert body["screening_status"] == "potential match"  # screened before the answer
    assert body["hits"][0]["entry_id"] == "CB-EL-SMIC"
    assert body["country"] == "CN" and body["aliases"] == []  # fields not sent are kept
    actions = [(e["action"], e["actor"]) for e in audit(web, "company", company)]
    me = web.people["secretariat"].email
    assert actions == [("create", me), ("screen", me), ("update", me), ("screen", me)]
    update = audit(web, "company", company)[2]
    assert update["before"]["name"] == "Harbour Optics"
    # A change that does not touch a name does not screen again.
    secretariat.patch(f"/api/v1/companies/{company}", json={"ownership_percent": 10})
    assert [e["action"] for e in audit(web, "company", company)][-1] == "update"


def test_renaming_a_participant_screens_again(web: Web) -> None:
    secretariat = web.as_("secretariat")
    intel = company_named(web, "Intel Corporation")
    person = secretariat.post(
        "/api/v1/participants",
        json={"name": "Maria Chen", "title": "Engineer", "company_id": intel["id"]},
    ).json()
    assert person["screening_status"] == "clear"
    renamed = secretariat.patch(
        f"/api/v1/participants/{person['id']}", json={"name": "Zhou Wenbin", "name_zh": "周文斌"}
    ).json()
    assert renamed["name_zh"] == "周文斌" and renamed["title"] == "Engineer"
    actions = [e["action"] for e in audit(web, "participant", person["id"])]
    assert actions == ["create", "screen", "update", "screen"]


def test_edits_get_the_checks_of_creation_and_write_nothing_when_refused(
    engine: Engine, web: Web
) -> None:
    secretariat = web.as_("secretariat")
    smic = company_named(web, "Semiconductor Manufacturing International Corporation")
    unaffiliated = secretariat.post(
        "/api/v1/companies", json={"name": "Unaffiliated Co", "country": "US"}
    ).json()
    url = f"/api/v1/companies/{smic['id']}"
    before = counts(engine)
    for body, status, message in (
        ({"name": ""}, 422, "name"),
        ({"name": "A" * 301}, 422, "name"),
        ({"country": "USA"}, 422, "country"),
        ({"ownership_percent": 101}, 422, "ownership_percent"),
        ({"name": "\u200b "}, 400, "no letters or digits"),
        ({"delegation": "SIA"}, 400, "does not move to SIA"),
        ({"delegation": None}, 400, "does not move out of it"),
        ({"parent_id": smic["id"]}, 400, "its own owner"),
        ({"delegation": "XX"}, 404, "no delegation"),
    ):
        answer = secretariat.patch(url, json=body)
        assert answer.status_code == status, (body, answer.text)
        assert message in answer.json()["error"], (body, answer.json())
    # An eleventh company joining a delegation is refused like an eleventh one added.
    joining = secretariat.patch(
        f"/api/v1/companies/{unaffiliated['id']}", json={"delegation": "SIA"}
    )
    assert joining.status_code == 400 and "already has 10" in joining.json()["error"]
    assert counts(engine) == before
    assert company_named(web, "Semiconductor Manufacturing International Corporation") == smic
    person = secretariat.get("/api/v1/participants").json()[0]
    moved = secretariat.patch(
        f"/api/v1/participants/{person['id']}",
        json={"company_id": company_named(web, "Intel Corporation")["id"]},
    )
    assert moved.status_code == 400 and "does not move between delegations" in moved.json()["error"]


def test_removal_is_soft_and_audited(engine: Engine, web: Web) -> None:
    secretariat = web.as_("secretariat")
    fudan = company_named(web, "Shanghai Fudan Microelectronics Group Co., Ltd.")
    url = f"/api/v1/companies/{fudan['id']}"
    busy = secretariat.delete(url)
    assert busy.status_code == 400 and "remove or move them first" in busy.json()["error"]
    people = [
        p for p in secretariat.get("/api/v1/participants").json() if p["company_id"] == fudan["id"]
    ]
    for person in people:
        assert secretariat.delete(f"/api/v1/participants/{person['id']}").status_code == 200
    assert secretariat.delete(url).status_code == 200
    assert secretariat.get(url).status_code == 404
    assert "was removed" in secretariat.get(url).json()["error"]
    names = [c["name"] for c in secretariat.get("/api/v1/companies").json()]
    assert fudan["name"] not in names and len(names) == 19
    removal = audit(web, "company", fudan["id"])[-1]
    assert removal["action"] == "remove" and removal["before"]["name"] == fudan["name"]
    assert secretariat.delete(url).status_code == 404
    # A place is free in CSIA now.
    joined = secretariat.post(
        "/api/v1/companies", json={"name": "New Member Co", "country": "CN", "delegation": "CSIA"}
    )
    assert joined.status_code == 201
    page = web.browser("secretariat").get("/")
    assert fudan["name"] not in page.text and "New Member Co" in page.text


def test_tracks_and_agenda_items_are_edited_and_removed(engine: Engine, web: Web) -> None:
    secretariat = web.as_("secretariat")
    meeting = meeting_in(engine, State.DRAFT)
    base = f"/api/v1/meetings/{meeting}"
    track = secretariat.post("/api/v1/tracks", json={"name": "Standards", "name_zh": "标准"})
    assert track.status_code == 201
    duplicate = secretariat.post("/api/v1/tracks", json={"name": "Standards"})
    assert duplicate.status_code == 400 and "exists" in duplicate.json()["error"]
    renamed = secretariat.patch(
        f"/api/v1/tracks/{track.json()['id']}", json={"name": "Published standards"}
    )
    assert renamed.json() == {
        "id": track.json()["id"],
        "name": "Published standards",
        "name_zh": "标准",
    }
    item = secretariat.get(base).json()["agenda"][-1]
    edited = secretariat.patch(f"{base}/agenda/{item['id']}", json={"title_zh": "已发布的标准"})
    assert edited.json()["agenda"][-1]["title_zh"] == "已发布的标准"
    empty = secretariat.patch(f"{base}/agenda/{item['id']}", json={"title": ""})
    assert empty.status_code == 422
    foreign = secretariat.patch(
        f"{base}/agenda/{item['id']}", json={"track_id": track.json()["id"]}
    )
    assert foreign.status_code == 400 and "not a track of this meeting" in foreign.json()["error"]
    # A track in use on an agenda still to be held is not removed.
    used = secretariat.delete(f"/api/v1/tracks/{item['track_id']}")
    assert used.status_code == 400 and "move or remove them first" in used.json()["error"]
    removed = secretariat.delete(f"{base}/agenda/{item['id']}")
    assert removed.status_code == 200
    assert item["id"] not in [i["id"] for i in removed.json()["agenda"]]
    history = audit(web, "agenda_item", item["id"])
    assert history[-1]["action"] == "remove" and history[-1]["before"]["title_zh"]
    statement = removed.json()["agenda"][0]
    assert statement["antitrust"] is True
    kept = secretariat.delete(f"{base}/agenda/{statement['id']}")
    assert kept.status_code == 400 and "cannot be removed" in kept.json()["error"]
    assert secretariat.delete(f"/api/v1/tracks/{track.json()['id']}").status_code == 200
    assert "Published standards" not in [
        t["name"] for t in secretariat.get("/api/v1/tracks").json()
    ]


def test_editing_from_the_pages(engine: Engine, web: Web) -> None:
    browser = web.browser("secretariat")
    intel = company_named(web, "Intel Corporation")
    page = browser.get(f"/companies/{intel['id']}")
    assert 'id="edit-company"' in page.text
    token = csrf_of(browser, f"/companies/{intel['id']}")
    form = {
        "csrf_token": token,
        "name": "Intel Corporation",
        "name_zh": "英特尔",
        "country": "US",
        "aliases": "Intel\nIntel Corp",
        "delegation": "SIA",
    }
    saved = browser.post(f"/companies/{intel['id']}", data=form)
    assert saved.status_code == 303
    assert company_named(web, "Intel Corporation")["aliases"] == ["Intel", "Intel Corp"]
    moved = browser.post(f"/companies/{intel['id']}", data=form | {"delegation": "CSIA"})
    assert moved.status_code == 400 and "does not move to CSIA" in moved.text
    # A delegate sees no edit form, and cannot post one.
    delegate = web.browser("delegate")
    assert 'id="edit-company"' not in delegate.get(f"/companies/{intel['id']}").text
    denied = delegate.post(
        f"/companies/{intel['id']}", data=form | {"csrf_token": csrf_of(delegate)}
    )
    assert denied.status_code == 403
