"""The working group end to end: API against a real SQLite database, migrations, rules."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select

from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.web.app import create_app
from chipbridge.workgroup import seed
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.reviews.service import rescreen_all


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


POSTGRES = os.environ.get("CHIPBRIDGE_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same tests on SQLite and, when CI provides one, on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    elif POSTGRES:
        engine = make_engine(POSTGRES)
        migrate(engine, "base")  # a clean schema for every test
    else:
        pytest.skip("no PostgreSQL (set CHIPBRIDGE_TEST_POSTGRES_URL)")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def client(engine: Engine, screener: Screener) -> Iterator[TestClient]:
    factory = session_factory(engine)
    with transaction(factory) as session:
        seed.seed(session)
        rescreen_all(session, screener, "test", "test")
    with TestClient(create_app(engine, screener, "test")) as test_client:
        yield test_client


def test_migrations_upgrade_and_downgrade(engine: Engine) -> None:
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"companies", "delegations", "documents", "audit_log", "screening_records"} <= tables
    migrate(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert "companies" in inspect(engine).get_table_names()


def test_companies_api_shows_delegation_and_status(client: TestClient) -> None:
    companies = {c["name"]: c for c in client.get("/api/v1/companies").json()}
    assert len(companies) == 20
    smic = companies["Semiconductor Manufacturing International Corporation"]
    assert (smic["delegation"], smic["screening_status"]) == ("CSIA", "potential match")
    assert smic["hits"][0]["citation"].startswith("85 FR 83416")
    assert companies["Intel Corporation"]["screening_status"] == "clear"
    hisilicon = companies["HiSilicon Technologies Co., Ltd."]
    assert "owned (100%) by Huawei" in hisilicon["owned_by_listed"]


def test_screen_api(client: TestClient) -> None:
    body = client.get("/api/v1/screen", params={"name": "中芯国际"}).json()
    assert body["query"] == "中芯国际"
    assert body["hits"][0]["entry_id"] == "CB-EL-SMIC"
    assert set(body["hits"][0]) == {
        "entry_id",
        "source",
        "listed_name",
        "score",
        "reason",
        "citation",
    }
    assert client.get("/openapi.json").json()["paths"]["/api/v1/screen"]


@pytest.mark.parametrize(
    ("method", "url", "payload", "status"),
    [
        ("get", "/api/v1/screen?name=", None, 422),
        ("get", "/api/v1/screen?name=" + "x" * 301, None, 422),
        ("get", "/api/v1/screen?name=SMIC&limit=abc", None, 422),
        ("get", "/api/v1/screen?name=%E2%80%8B%20", None, 400),
        ("get", "/api/v1/companies/99999", None, 404),
        ("get", "/api/v1/companies/abc", None, 422),
        ("get", "/companies/99999", None, 404),
        ("post", "/api/v1/documents", {"title": "t", "published_on": "2021-13-45"}, 422),
        ("post", "/api/v1/companies", {"name": "A" * 400, "country": "US"}, 422),
        ("post", "/api/v1/companies", {"name": "Acme", "country": "USA"}, 422),
        ("post", "/api/v1/companies", {"name": "Acme", "country": "US", "delegation": "XX"}, 404),
        (
            "post",
            "/api/v1/reviews/99999",
            {"decision": "false positive", "reason": "r", "reviewer": "x"},
            404,
        ),
        ("post", "/api/v1/reviews/1", {"decision": "maybe", "reason": "r", "reviewer": "x"}, 422),
    ],
)
def test_bad_input_is_4xx_with_message(
    client: TestClient, method: str, url: str, payload: dict[str, object] | None, status: int
) -> None:
    response = getattr(client, method)(url, **({"json": payload} if payload is not None else {}))
    assert response.status_code == status
    if url.startswith("/api/"):
        assert response.json()["error"]


def test_delegation_limit(client: TestClient) -> None:
    before = len(client.get("/api/v1/companies").json())
    response = client.post(
        "/api/v1/companies", json={"name": "Eleventh Co", "country": "US", "delegation": "SIA"}
    )
    assert response.status_code == 400
    assert "already has 10 member companies" in response.json()["error"]
    assert len(client.get("/api/v1/companies").json()) == before  # nothing half-written
    added = client.post("/api/v1/companies", json={"name": "Unaffiliated Co", "country": "US"})
    assert added.status_code == 201 and added.json()["screening_status"] == "clear"


def test_new_company_is_screened_and_audited(client: TestClient) -> None:
    added = client.post(
        "/api/v1/companies",
        json={"name": "海思半导体", "country": "CN"},
        headers={"x-chipbridge-user": "officer@example.org"},
    ).json()
    assert added["screening_status"] == "potential match"
    audit = client.get("/api/v1/audit").json()
    assert any(e["actor"] == "officer@example.org" and e["entity"] == "company" for e in audit)


def test_document_gate(client: TestClient) -> None:
    refused = client.post("/api/v1/documents", json={"title": "Roadmap", "text": "public"})
    assert refused.status_code == 400
    assert "public source" in refused.json()["error"]
    ok = client.post(
        "/api/v1/documents",
        json={
            "title": "Public statement",
            "source_url": "https://example.org/p",
            "published_on": "2021-03-11",
            "text": "General business matters.",
        },
    ).json()
    assert ok["status"] == "admitted"
    held = client.post(
        "/api/v1/documents",
        json={
            "title": "Pricing outlook",
            "source_url": "https://example.org/q",
            "published_on": "2021-03-11",
            "text": "Our prices and capacity for customers; source code for 5E002 items.",
        },
    ).json()
    assert held["status"] == "held"
    reasons = " ".join(held["reasons"])
    for flag in ("'prices'", "'capacity'", "'customers'", "5E002", "'source code'"):
        assert flag in reasons
    reviewed = client.post(
        f"/api/v1/documents/{held['id']}/review",
        json={"admit": False, "reason": "competitively sensitive", "reviewer": "counsel"},
    )
    assert reviewed.json()["status"] == "rejected"
    again = client.post(
        f"/api/v1/documents/{held['id']}/review",
        json={"admit": True, "reason": "x", "reviewer": "y"},
    )
    assert again.status_code == 400


def test_review_flow(client: TestClient) -> None:
    queue = client.get("/api/v1/reviews").json()
    smic = next(r for r in queue if r["name"].startswith("Semiconductor Manufacturing"))
    missing = client.post(
        f"/api/v1/reviews/{smic['id']}",
        json={"decision": "confirmed match", "reason": "", "reviewer": "a"},
    )
    assert missing.status_code == 422
    done = client.post(
        f"/api/v1/reviews/{smic['id']}",
        json={
            "decision": "confirmed match",
            "reason": "Entity List, 85 FR 83416",
            "reviewer": "officer",
        },
    )
    assert done.json() == {"id": smic["id"], "status": "confirmed match"}
    assert smic["id"] not in [r["id"] for r in client.get("/api/v1/reviews").json()]
    companies = {c["name"]: c for c in client.get("/api/v1/companies").json()}
    assert (
        companies["Semiconductor Manufacturing International Corporation"]["screening_status"]
        == "confirmed match"
    )
    audit = client.get("/api/v1/audit").json()
    decision = next(e for e in audit if e["action"] == "decide")
    assert decision["before"] == {"status": "potential match"}
    assert decision["after"]["reason"] == "Entity List, 85 FR 83416"


def test_participant_role_flags(client: TestClient) -> None:
    people = {p["name"]: p for p in client.get("/api/v1/participants").json()}
    assert any("top executive" in f for f in people["Xu Zhijun"]["role_flags"])
    assert people["Chen Jing"]["role_flags"] == []
    assert delegations.role_flags("Deputy Minister of Industry")[0].startswith(
        "title marks a government"
    )


def test_meetings_plan_and_warning(engine: Engine) -> None:
    factory = session_factory(engine)
    with transaction(factory) as session:
        meetings.ensure_tracks(session)
        assert meetings.warning(session) is not None
        planned = meetings.plan(session, "test", count=2, today=dt.date(2026, 1, 1))
        assert (planned[1].starts_on - planned[0].starts_on).days == 182
        assert meetings.warning(session, dt.date(2026, 1, 1)) is None
        assert (
            meetings.propose(session, 1, dt.date(2026, 1, 1))[0]
            == planned[1].starts_on + meetings.INTERVAL
        )


def test_failed_write_leaves_no_rows(engine: Engine) -> None:
    factory = session_factory(engine)
    with pytest.raises(Refused), transaction(factory) as session:
        delegation = delegations.create_delegation(session, "t", "SIA", "SIA", None, "US")
        for i in range(11):
            delegations.add_company(session, "t", f"Co {i}", "US", delegation)
    with transaction(factory) as session:
        assert session.scalars(select(Company)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []


def test_pages_render_in_both_languages(client: TestClient) -> None:
    english = client.get("/")
    assert english.status_code == 200 and "Delegations" in english.text
    chinese = client.get("/?lang=zh")
    assert "代表团" in chinese.text and "中国半导体行业协会" in chinese.text
    assert client.cookies.get("lang") == "zh"
    for page in (
        "/screen?name=中芯国际",
        "/reviews",
        "/documents",
        "/meetings",
        "/audit",
        "/companies/11",
    ):
        assert client.get(page).status_code == 200, page
    refused = client.post("/documents", data={"title": "No source", "text": "hello"})
    assert refused.status_code == 400 and "public source" in refused.text


def test_minutes_need_both_heads(client: TestClient) -> None:
    meeting = client.get("/api/v1/meetings").json()[0]
    assert [i["track"] for i in meeting["agenda"]] == list(meetings.DEFAULT_TRACKS)
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    assert client.post(url + "/approve", json={"delegation": "SIA", "head": "x"}).status_code == 404
    assert (
        client.post(url, json={"text": "Discussed public export-control rules."}).status_code == 201
    )
    first = client.post(url + "/approve", json={"delegation": "SIA", "head": "SIA head"}).json()
    assert first["minutes"]["final"] is False
    assert (
        client.post(url + "/approve", json={"delegation": "SIA", "head": "again"}).status_code
        == 400
    )
    both = client.post(url + "/approve", json={"delegation": "CSIA", "head": "Zhou Zixue"}).json()
    assert both["minutes"]["final"] is True
    assert client.post(url + "/approve", json={"delegation": "XX", "head": "x"}).status_code == 422


def test_participant_page_shows_flags(client: TestClient) -> None:
    people = {p["name"]: p for p in client.get("/api/v1/participants").json()}
    page = client.get(f"/participants/{people['Zhao Weiguo']['id']}")
    assert page.status_code == 200
    assert "top executive" in page.text and "赵伟国" in page.text
