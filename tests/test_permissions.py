"""The role x action matrix, driven from the app's route list.

Every route must name an action of the permission module, and every state-changing route
must have an example request below: a new route without either fails here. Each role then
sends each request; the matrix says whether it must succeed or be refused with 403 (nothing
written, the attempt in the audit log). Anonymous requests are refused everywhere except on
the login page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from chipbridge.accounts.permissions import RULES, Action, Actor, Role, allowed, matrix_markdown
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import session_factory, transaction
from chipbridge.store.models import Base
from chipbridge.web.auth import endpoints
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.documents import service as documents
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.meetings.models import Meeting, State
from chipbridge.workgroup.reviews.models import ScreeningRecord
from tests.lifecycle import attendees, begun, meeting_in, next_day
from tests.pdfcheck import PDF_MISSING
from tests.webapp import PEOPLE, Web, csrf_of, login, make_web, open_engine, use_cheap_passwords

DOCS = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"
SYSTEM = Actor.system("test")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Tables whose rows a refused request may touch: the audit log (the refusal is recorded) and
# the accounts' own bookkeeping (a token's last use).
BOOKKEEPING = {"audit_log", "api_tokens", "login_sessions", "login_failures"}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture
def world(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> tuple[Engine, Web]:
    """A fresh seeded database with every account, and the app over it."""
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    return engine, make_web(engine, screener)


def _meeting(engine: Engine, state: State, signed: bool = False, late: bool = False) -> int:
    """A fresh meeting in ``state`` (a new one per request: each step can be taken once)."""
    return meeting_in(engine, state, signed, late)


def _item(engine: Engine, meeting_id: int, late: bool = False) -> int:
    """The meeting's last item (its late item when ``late``)."""
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None
        return [i for i in meeting.agenda if (i.late is not None) == late][-1].id


def _block(engine: Engine, meeting_id: int) -> int:
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None and meeting.minutes is not None
        return meeting.minutes.live_blocks[-1].id


def _begun(engine: Engine) -> int:
    meeting = _meeting(engine, State.AGENDA_LOCKED)
    begun(engine, meeting)
    return meeting


def _free_day(engine: Engine) -> str:
    with transaction(session_factory(engine), write=False) as db:
        return next_day(db).isoformat()


def _attendance(engine: Engine) -> dict[str, Any]:
    with transaction(session_factory(engine), write=False) as db:
        people = attendees(db)
    return {
        "attendance": [{"participant_id": p, "capacity": c} for p, c in people],
        "counsel_present": True,
        "counsel_name": "Counsel",
    }


_made = iter(range(1, 10_000))


def _track(engine: Engine) -> int:
    with transaction(session_factory(engine)) as db:
        return meetings.add_track(db, SYSTEM, f"Matrix track {next(_made)}").id


def _company(engine: Engine) -> int:
    with transaction(session_factory(engine)) as db:
        return delegations.add_company(db, SYSTEM, f"Matrix Company {next(_made)}", "US").id


def _person(engine: Engine) -> int:
    with transaction(session_factory(engine)) as db:
        return delegations.add_participant(db, SYSTEM, f"Matrix Person {next(_made)}", None).id


BLOCK = {"attributed_to": "SIA", "text_en": "Public rules.", "text_zh": "公开规则。"}


def _held_document(engine: Engine) -> int:
    with transaction(session_factory(engine)) as db:
        return documents.submit(
            db, SYSTEM, "Pricing", "https://example.org/x", dt.date(2021, 3, 1), "prices"
        ).id


def _open_record(engine: Engine, index: int) -> int:
    """An open potential match (a different one per route: a reviewer decides each once)."""
    with transaction(session_factory(engine)) as db:
        records = db.scalars(
            select(ScreeningRecord.id)
            .where(ScreeningRecord.current.is_(True), ScreeningRecord.status == "potential match")
            .order_by(ScreeningRecord.id)
        ).all()
        return records[index]


Example = Callable[[Engine, str], tuple[str, dict[str, Any]]]
CSRF_FREE: dict[str, Any] = {}

# (method, path) -> example request for a role: (url, keyword arguments for the client).
EXAMPLES: dict[tuple[str, str], Example] = {
    ("POST", "/login"): lambda engine, label: ("/login", {}),  # sent by tests.webapp.login
    ("POST", "/logout"): lambda engine, label: ("/logout", CSRF_FREE),
    ("POST", "/api/v1/companies"): lambda engine, label: (
        "/api/v1/companies",
        {"json": {"name": "Matrix Test Co", "country": "US"}},
    ),
    ("POST", "/reviews/{record_id}"): lambda engine, label: (
        f"/reviews/{_open_record(engine, 0)}",
        {"data": {"decision": "false positive", "reason": "different entity"}},
    ),
    ("POST", "/api/v1/reviews/{record_id}"): lambda engine, label: (
        f"/api/v1/reviews/{_open_record(engine, 1)}",
        {"json": {"decision": "false positive", "reason": "different entity"}},
    ),
    ("POST", "/documents"): lambda engine, label: (
        "/documents",
        {
            "data": {
                "title": "Statement",
                "source_url": "https://example.org/s",
                "published_on": "2021-03-11",
                "text": "General matters.",
            }
        },
    ),
    ("POST", "/api/v1/documents"): lambda engine, label: (
        "/api/v1/documents",
        {
            "json": {
                "title": "Statement",
                "source_url": "https://example.org/s",
                "published_on": "2021-03-11",
            }
        },
    ),
    ("POST", "/api/v1/documents/{document_id}/review"): lambda engine, label: (
        f"/api/v1/documents/{_held_document(engine)}/review",
        {"json": {"admit": False, "reason": "sensitive"}},
    ),
    ("POST", "/documents/{document_id}/review"): lambda engine, label: (
        f"/documents/{_held_document(engine)}/review",
        {"data": {"decision": "reject", "reason": "sensitive"}},
    ),
    ("POST", "/meetings"): lambda engine, label: (
        "/meetings",
        {"data": {"starts_on": _free_day(engine), "track_ids": ["1", "2"]}},
    ),
    ("POST", "/api/v1/meetings"): lambda engine, label: (
        "/api/v1/meetings",
        {"json": {"starts_on": _free_day(engine), "track_ids": [1]}},
    ),
    ("POST", "/meetings/{meeting_id}/agenda"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.DRAFT)}/agenda",
        {"data": {"track_id": "1", "title": "Published standards"}},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/agenda"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.DRAFT)}/agenda",
        {"json": {"track_id": 1, "title": "Published standards"}},
    ),
    ("POST", "/meetings/{meeting_id}/agenda/{item_id}"): lambda engine, label: (
        f"/meetings/{(m := _meeting(engine, State.DRAFT))}/agenda/{_item(engine, m)}",
        {"data": {"track_id": "1", "title": "Renamed"}},
    ),
    ("PATCH", "/api/v1/meetings/{meeting_id}/agenda/{item_id}"): lambda engine, label: (
        f"/api/v1/meetings/{(m := _meeting(engine, State.DRAFT))}/agenda/{_item(engine, m)}",
        {"json": {"title": "Renamed"}},
    ),
    ("POST", "/meetings/{meeting_id}/agenda/{item_id}/remove"): lambda engine, label: (
        f"/meetings/{(m := _meeting(engine, State.DRAFT))}/agenda/{_item(engine, m)}/remove",
        {},
    ),
    ("DELETE", "/api/v1/meetings/{meeting_id}/agenda/{item_id}"): lambda engine, label: (
        f"/api/v1/meetings/{(m := _meeting(engine, State.DRAFT))}/agenda/{_item(engine, m)}",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/agenda/sign-off"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.DRAFT)}/agenda/sign-off",
        {},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/agenda/sign-off"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.DRAFT)}/agenda/sign-off",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/circulate"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.DRAFT, signed=True)}/circulate",
        {},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/circulate"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.DRAFT, signed=True)}/circulate",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/lock"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.AGENDA_CIRCULATED)}/lock",
        {},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/lock"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.AGENDA_CIRCULATED)}/lock",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/late-items"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.AGENDA_LOCKED)}/late-items",
        {"data": {"track_id": "1", "title": "Late", "reason": "a new public rule"}},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/late-items"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.AGENDA_LOCKED)}/late-items",
        {"json": {"track_id": 1, "title": "Late", "reason": "a new public rule"}},
    ),
    ("POST", "/meetings/{meeting_id}/late-items/{item_id}"): lambda engine, label: (
        f"/meetings/{(m := _meeting(engine, State.AGENDA_LOCKED, late=True))}/late-items/"
        f"{_item(engine, m, late=True)}",
        {"data": {"decision": "approve"}},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/late-items/{item_id}"): lambda engine, label: (
        f"/api/v1/meetings/{(m := _meeting(engine, State.AGENDA_LOCKED, late=True))}/late-items/"
        f"{_item(engine, m, late=True)}",
        {"json": {"approve": False}},
    ),
    ("POST", "/meetings/{meeting_id}/hold"): lambda engine, label: (
        f"/meetings/{_begun(engine)}/hold",
        {
            "data": {
                f"capacity-{p}": c
                for p, c in (
                    (a["participant_id"], a["capacity"]) for a in _attendance(engine)["attendance"]
                )
            }
            | {"counsel_present": "yes", "counsel_name": "Counsel"}
        },
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/hold"): lambda engine, label: (
        f"/api/v1/meetings/{_begun(engine)}/hold",
        {"json": _attendance(engine)},
    ),
    ("PUT", "/api/v1/meetings/{meeting_id}/attendance"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.HELD)}/attendance",
        {"json": _attendance(engine)},
    ),
    ("POST", "/meetings/{meeting_id}/minutes"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.HELD)}/minutes",
        {"data": BLOCK},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/minutes"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.HELD)}/minutes",
        {"json": {"blocks": [BLOCK]}},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/minutes/blocks"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.MINUTES_DRAFTED)}/minutes/blocks",
        {"json": BLOCK},
    ),
    ("POST", "/meetings/{meeting_id}/minutes/blocks/{block_id}/remove"): lambda engine, label: (
        f"/meetings/{(m := _meeting(engine, State.MINUTES_DRAFTED))}/minutes/blocks/"
        f"{_block(engine, m)}/remove",
        {},
    ),
    ("DELETE", "/api/v1/meetings/{meeting_id}/minutes/blocks/{block_id}"): lambda engine, label: (
        f"/api/v1/meetings/{(m := _meeting(engine, State.MINUTES_DRAFTED))}/minutes/blocks/"
        f"{_block(engine, m)}",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/minutes/sign-off"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.MINUTES_DRAFTED)}/minutes/sign-off",
        {},
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/minutes/sign-off"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.MINUTES_DRAFTED)}/minutes/sign-off",
        CSRF_FREE,
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/minutes/approve"): lambda engine, label: (
        f"/api/v1/meetings/{_meeting(engine, State.MINUTES_DRAFTED, signed=True)}/minutes/approve",
        CSRF_FREE,
    ),
    ("POST", "/meetings/{meeting_id}/minutes/approve"): lambda engine, label: (
        f"/meetings/{_meeting(engine, State.MINUTES_DRAFTED, signed=True)}/minutes/approve",
        {},
    ),
    ("POST", "/tracks"): lambda engine, label: (
        "/tracks",
        {"data": {"name": f"Form track {next(_made)}", "name_zh": "新议题组"}},
    ),
    ("POST", "/api/v1/tracks"): lambda engine, label: (
        "/api/v1/tracks",
        {"json": {"name": f"API track {next(_made)}"}},
    ),
    ("POST", "/tracks/{track_id}"): lambda engine, label: (
        f"/tracks/{_track(engine)}",
        {"data": {"name": f"Renamed track {next(_made)}"}},
    ),
    ("PATCH", "/api/v1/tracks/{track_id}"): lambda engine, label: (
        f"/api/v1/tracks/{_track(engine)}",
        {"json": {"name_zh": "改名"}},
    ),
    ("POST", "/tracks/{track_id}/remove"): lambda engine, label: (
        f"/tracks/{_track(engine)}/remove",
        {},
    ),
    ("DELETE", "/api/v1/tracks/{track_id}"): lambda engine, label: (
        f"/api/v1/tracks/{_track(engine)}",
        CSRF_FREE,
    ),
    ("POST", "/companies/{company_id}"): lambda engine, label: (
        f"/companies/{_company(engine)}",
        {"data": {"name": "Renamed Matrix Company", "country": "US"}},
    ),
    ("PATCH", "/api/v1/companies/{company_id}"): lambda engine, label: (
        f"/api/v1/companies/{_company(engine)}",
        {"json": {"name": "Renamed Matrix Company"}},
    ),
    ("POST", "/companies/{company_id}/remove"): lambda engine, label: (
        f"/companies/{_company(engine)}/remove",
        {},
    ),
    ("DELETE", "/api/v1/companies/{company_id}"): lambda engine, label: (
        f"/api/v1/companies/{_company(engine)}",
        CSRF_FREE,
    ),
    ("POST", "/companies/{company_id}/participants"): lambda engine, label: (
        f"/companies/{_company(engine)}/participants",
        {"data": {"name": "Matrix Expert", "title": "Engineer"}},
    ),
    ("POST", "/api/v1/participants"): lambda engine, label: (
        "/api/v1/participants",
        {"json": {"name": "Matrix Expert", "company_id": _company(engine)}},
    ),
    ("POST", "/participants/{participant_id}"): lambda engine, label: (
        f"/participants/{_person(engine)}",
        {"data": {"name": "Renamed Expert"}},
    ),
    ("PATCH", "/api/v1/participants/{participant_id}"): lambda engine, label: (
        f"/api/v1/participants/{_person(engine)}",
        {"json": {"title": "Engineer"}},
    ),
    ("POST", "/participants/{participant_id}/remove"): lambda engine, label: (
        f"/participants/{_person(engine)}/remove",
        {},
    ),
    ("DELETE", "/api/v1/participants/{participant_id}"): lambda engine, label: (
        f"/api/v1/participants/{_person(engine)}",
        CSRF_FREE,
    ),
}


QUERIES = {"/api/v1/screen": "?name=SMIC"}  # reads that need a query


def routes(web: Web) -> list[tuple[str, str, Action | None]]:
    found = endpoints(web.app)
    assert len(found) > 20  # every domain's routers, not only the app's own routes
    return found


def actor_of(label: str) -> Actor:
    email, role, delegation, head = PEOPLE[label]
    return Actor(email, role, 1, delegation, head)


def counts(engine: Engine) -> dict[str, int]:
    with transaction(session_factory(engine), write=False) as db:
        return {
            name: db.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
            if name not in BOOKKEEPING
        }


def refusals(engine: Engine) -> int:
    with transaction(session_factory(engine), write=False) as db:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "refused")
        return db.scalar(query) or 0


def last_refusal(engine: Engine) -> str:
    with transaction(session_factory(engine), write=False) as db:
        entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.after is not None
        return str(entry.after["reason"])


def test_every_route_names_an_action_and_every_write_has_an_example(
    world: tuple[Engine, Web],
) -> None:
    _, web = world
    for method, path, action in routes(web):
        assert action in RULES, f"{method} {path} names no action"
        if method in UNSAFE:
            assert (method, path) in EXAMPLES, f"{method} {path}: add an example"
    assert set(EXAMPLES) <= {(method, path) for method, path, _ in routes(web)}


def test_permission_docs_match_the_module() -> None:
    table = matrix_markdown()
    assert table in DOCS.read_text(encoding="utf-8"), (
        "docs/permissions.md is out of date: python -m chipbridge.accounts.permissions"
    )


@pytest.mark.parametrize("label", [label for label in PEOPLE if label != "reviewer2"])
def test_role_action_matrix_on_every_state_changing_route(
    label: str, world: tuple[Engine, Web]
) -> None:
    engine, web = world
    actor = actor_of(label)
    client = web.browser(label)  # a signed-in browser: forms need its CSRF token
    api = web.as_(label)
    token = csrf_of(client)
    for method, path, action in routes(web):
        if method not in UNSAFE or path == "/logout":
            continue
        assert action is not None
        url, kwargs = EXAMPLES[(method, path)](engine, label)
        before, refused_before = counts(engine), refusals(engine)
        if path == "/login":
            fresh = TestClient(web.app, follow_redirects=False)
            answer = login(fresh, web.people[label].email, web.people[label].password)
        elif url.startswith("/api/"):
            answer = api.request(method, url, **kwargs)
        else:
            form = dict(kwargs.get("data", {}), csrf_token=token)
            answer = client.request(method, url, data=form)
        where = f"{label} {method} {url}: {answer.status_code} {answer.text[:200]}"
        if allowed(actor, action):
            assert answer.status_code in (200, 201, 303), where
        else:
            assert answer.status_code == 403, where
            assert counts(engine) == before, f"{where}: something was written"
            assert refusals(engine) == refused_before + 1, f"{where}: refusal not logged"
            assert "may not" in last_refusal(engine), where  # refused by the matrix


@pytest.mark.parametrize("label", [label for label in PEOPLE if label != "reviewer2"])
def test_role_action_matrix_on_every_page_and_read(label: str, world: tuple[Engine, Web]) -> None:
    _, web = world
    actor = actor_of(label)
    api = web.as_(label)
    for method, path, action in routes(web):
        if method != "GET":
            continue
        assert action is not None
        url = re.sub(r"\{\w+\}", "1", path) + QUERIES.get(path, "")
        answer = api.get(url)
        where = f"{label} GET {url}: {answer.status_code}"
        if PDF_MISSING and url.endswith(".pdf") and answer.status_code == 503:
            continue  # allowed, but this machine cannot make PDFs (a skip outside CI)
        if action is Action.PUBLIC and path == "/login":
            assert answer.status_code == 303, where  # signed in already: on to the app
        elif allowed(actor, action):
            assert answer.status_code == 200, where
        else:
            assert answer.status_code == 403, where


def test_anonymous_requests_are_refused_everywhere_but_the_login_page(
    world: tuple[Engine, Web],
) -> None:
    engine, web = world
    before = counts(engine)
    for method, path, action in routes(web):
        url = re.sub(r"\{\w+\}", "1", path)
        if action is Action.PUBLIC:
            continue
        if method in UNSAFE:
            answer = web.anonymous.request(method, url, json={}, data=None)
            assert answer.status_code in (401, 403), f"{method} {url}: {answer.status_code}"
        elif url.startswith("/api/") or url == "/openapi.json":
            answer = web.anonymous.get(url)
            assert answer.status_code == 401, f"GET {url}: {answer.status_code}"
            assert answer.headers["www-authenticate"] == "Bearer"
        else:
            answer = web.anonymous.get(url)
            assert answer.status_code == 303, f"GET {url}: {answer.status_code}"
            assert answer.headers["location"].startswith("/login?next=")
    assert counts(engine) == before
    assert web.anonymous.get("/login").status_code == 200


def test_roles_are_the_five_of_the_group() -> None:
    assert [r.value for r in Role] == ["secretariat", "reviewer", "counsel", "delegate", "observer"]
    assert not allowed(actor_of("delegate"), Action.MINUTES_APPROVE)
    assert allowed(actor_of("sia_head"), Action.MINUTES_APPROVE)
    for label in ("delegate", "sia_head", "observer"):
        for action in (Action.SCREENING_READ, Action.DOCUMENT_READ_HELD, Action.AUDIT_READ):
            assert not allowed(actor_of(label), action), (label, action)
