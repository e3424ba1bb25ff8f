"""The working group end to end: API against a real database, migrations, rules.

Every request is made by a signed-in account (an API token per role, see tests/webapp.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from chipbridge.accounts.permissions import Actor, Role
from chipbridge.ownership.store import load_rules
from chipbridge.screening import AliasKind, Screener
from chipbridge.screening.model import Alias, EntityType
from chipbridge.screening.sources import builtin
from chipbridge.store.db import migrate, session_factory, transaction
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.meetings import service as meetings
from chipbridge.workgroup.meetings.models import State
from chipbridge.workgroup.reviews import service as reviews
from chipbridge.workgroup.reviews.models import FalsePositive
from tests.lifecycle import meeting_in
from tests.webapp import BACKENDS, Web, fixed_lists, make_web, open_engine, use_cheap_passwords

SYSTEM = Actor.system("test")


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same tests on SQLite and, when CI provides one, on PostgreSQL."""
    engine = open_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def web(engine: Engine, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    return make_web(engine, screener)


def test_migrations_upgrade_and_downgrade(engine: Engine) -> None:
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"companies", "delegations", "documents", "audit_log", "users", "api_tokens"} <= tables
    migrate(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert "companies" in inspect(engine).get_table_names()


def test_companies_api_shows_delegation_and_status(web: Web) -> None:
    companies = {c["name"]: c for c in web.as_("secretariat").get("/api/v1/companies").json()}
    assert len(companies) == 20
    smic = companies["Semiconductor Manufacturing International Corporation"]
    assert (smic["delegation"], smic["screening_status"]) == ("CSIA", "potential match")
    assert smic["hits"][0]["citation"].startswith("85 FR 83416")
    assert companies["Intel Corporation"]["screening_status"] == "clear"
    hisilicon = companies["HiSilicon Technologies Co., Ltd."]
    # HiSilicon is on the Entity List itself, and its parent's Entity List listing reaches it
    # through the Affiliates Rule as well while that rule is in force (again since
    # 2026-11-10; tests/test_ownership.py covers the other days).
    why = hisilicon["owned_by_listed"]
    affiliates = next(r for r in load_rules().rules if r.id == "bis_affiliates")
    if not affiliates.applies(dt.datetime.now(dt.UTC).date()):
        assert why is None
        return
    assert why.startswith("BIS Affiliates Rule (90 FR 47201")
    assert "CB-EL-HUAWEI, 84 FR 22961 (May 21, 2019), screening: potential match] 100% > " in why


def test_screen_api(web: Web) -> None:
    reviewer = web.as_("reviewer")
    body = reviewer.get("/api/v1/screen", params={"name": "中芯国际"}).json()
    assert body["query"] == "中芯国际"
    assert body["hits"][0]["entry_id"] == "CB-EL-SMIC"
    assert set(body["hits"][0]) == {
        "entry_id",
        "source",
        "listed_name",
        "score",
        "reason",
        "citation",
        "also_listed",
    }
    # One party, one hit: SMIC's listing on the CMIC list rides along under the same hit.
    assert [e["entry_id"] for e in body["hits"][0]["also_listed"]] == ["CB-CMIC-30951"]
    assert all(h["listed_name"] != body["hits"][0]["listed_name"] for h in body["hits"][1:])
    schema = reviewer.get("/openapi.json").json()
    assert schema["paths"]["/api/v1/screen"]
    assert {"HTTPBearer", "APIKeyCookie"} <= set(schema["components"]["securitySchemes"])


def test_screen_api_takes_the_cli_hints(web: Web, screener: Screener) -> None:
    """type, country and threshold mean what they mean to `chipbridge screen`; a bad value is
    a 4xx naming it, and a misspelt parameter is refused rather than silently dropped."""
    reviewer = web.as_("reviewer")

    def hits(**params: object) -> list[tuple[str, float, str]]:
        answer = reviewer.get("/api/v1/screen", params={"name": "Huawei Tech", **params})
        assert answer.status_code == 200, answer.text
        return [(h["entry_id"], h["score"], h["reason"]) for h in answer.json()["hits"]]

    plain = hits()
    for params, kwargs in [
        ({"threshold": "0"}, {"threshold": 0.0}),
        ({"country": "cn"}, {"country": "CN"}),
        ({"type": "person", "threshold": "0.3"}, {"type": EntityType.PERSON, "threshold": 0.3}),
    ]:
        expected = [
            (h.entry.id, h.score, h.reason)
            for h in screener.screen("Huawei Tech", limit=5, **kwargs)  # type: ignore[arg-type]
        ]
        assert hits(**params) == expected, params
        assert expected != plain, f"{params} must change the answer"
    for query, status, message in [
        ("threshold=1.5", 422, "threshold: Input should be less than or equal to 1"),
        ("type=ship", 422, "type: Input should be 'person' or 'company'"),
        ("country=ZZ", 400, "country: 'ZZ' is not an ISO 3166-1 alpha-2"),
        ("country=China", 400, "country: 'China' is not an ISO 3166-1 alpha-2"),
        ("treshold=0.1", 422, "treshold: unknown parameter"),
    ]:
        answer = reviewer.get(f"/api/v1/screen?name=Huawei&{query}")
        assert answer.status_code == status and message in answer.json()["error"], query


BIG = str(2**63)
REVIEW = {"decision": "false positive", "reason": "r"}


@pytest.mark.parametrize(
    ("who", "method", "url", "payload", "status"),
    [
        ("reviewer", "get", "/api/v1/screen?name=", None, 422),
        ("reviewer", "get", "/api/v1/screen?name=" + "x" * 301, None, 422),
        ("reviewer", "get", "/api/v1/screen?name=SMIC&limit=abc", None, 422),
        ("reviewer", "get", "/api/v1/screen?name=%E2%80%8B%20", None, 400),
        ("secretariat", "get", "/api/v1/companies/99999", None, 404),
        ("secretariat", "get", "/api/v1/companies/abc", None, 422),
        ("secretariat", "get", f"/api/v1/companies/{BIG}", None, 422),
        ("secretariat", "get", "/api/v1/companies/0", None, 422),
        ("secretariat", "get", "/companies/99999", None, 404),
        ("secretariat", "get", f"/companies/{BIG}", None, 422),
        ("secretariat", "get", f"/participants/{BIG}", None, 422),
        (
            "secretariat",
            "post",
            "/api/v1/documents",
            {"title": "t", "published_on": "2021-13-45"},
            422,
        ),
        ("secretariat", "post", "/api/v1/companies", {"name": "A" * 400, "country": "US"}, 422),
        ("secretariat", "post", "/api/v1/companies", {"name": "Acme", "country": "USA"}, 422),
        ("secretariat", "post", "/api/v1/companies", {"name": "Acme", "country": "ZZ"}, 400),
        (
            "secretariat",
            "post",
            "/api/v1/companies",
            {"name": "Acme", "country": "US", "delegation": "XX"},
            404,
        ),
        (
            "secretariat",
            "post",
            "/api/v1/companies",
            {"name": "Acme", "country": "US", "delegation": "²"},
            422,
        ),
        (
            "secretariat",
            "post",
            "/api/v1/companies",
            {"name": "Acme", "country": "US", "parent_id": 2**63},
            422,
        ),
        (
            "secretariat",
            "post",
            "/api/v1/companies",
            {"name": "Acme", "country": "US", "parent_id": 2**70},
            422,
        ),
        ("secretariat", "post", f"/api/v1/meetings/{BIG}/minutes", {"text": "t"}, 422),
        (
            "secretariat",
            "post",
            "/api/v1/meetings/1/agenda",
            {"track_id": 2**63, "title": "t"},
            422,
        ),
        ("counsel", "post", f"/api/v1/documents/{BIG}/review", {"admit": True, "reason": "r"}, 422),
        ("sia_head", "post", f"/api/v1/meetings/{BIG}/minutes/approve", None, 422),
        ("reviewer", "post", "/api/v1/reviews/99999", REVIEW, 404),
        ("reviewer", "post", f"/api/v1/reviews/{BIG}", REVIEW, 422),
        ("reviewer", "post", "/api/v1/reviews/1", {"decision": "maybe", "reason": "r"}, 422),
    ],
)
def test_bad_input_is_4xx_with_message(
    web: Web,
    who: str,
    method: str,
    url: str,
    payload: dict[str, object] | None,
    status: int,
) -> None:
    client = web.as_(who)
    response = getattr(client, method)(url, **({"json": payload} if payload is not None else {}))
    assert response.status_code == status, response.text
    if url.startswith("/api/"):
        assert response.json()["error"]


def test_delegation_limit(web: Web) -> None:
    secretariat = web.as_("secretariat")
    before = len(secretariat.get("/api/v1/companies").json())
    response = secretariat.post(
        "/api/v1/companies", json={"name": "Eleventh Co", "country": "US", "delegation": "SIA"}
    )
    assert response.status_code == 400
    assert "already has 10 member companies" in response.json()["error"]
    assert len(secretariat.get("/api/v1/companies").json()) == before  # nothing half-written
    added = secretariat.post("/api/v1/companies", json={"name": "Unaffiliated Co", "country": "US"})
    assert added.status_code == 201 and added.json()["screening_status"] == "clear"


def test_new_company_is_screened_and_audited_under_the_signed_in_user(web: Web) -> None:
    added = web.as_("secretariat").post(
        "/api/v1/companies",
        json={"name": "海思半导体", "country": "CN"},
        headers={"x-chipbridge-user": "someone-else@example.org"},  # ignored
    )
    assert added.json()["screening_status"] == "potential match"
    audit = web.as_("counsel").get(
        "/api/v1/audit", params={"entity": "company", "entity_id": added.json()["id"]}
    )
    assert {e["actor"] for e in audit.json()["entries"]} == {web.people["secretariat"].email}


def test_document_gate(web: Web) -> None:
    delegate, counsel = web.as_("delegate"), web.as_("counsel")
    refused = delegate.post("/api/v1/documents", json={"title": "Roadmap", "text": "public"})
    assert refused.status_code == 422  # the schema requires the public source and its date
    assert "source_url" in refused.json()["error"] and "published_on" in refused.json()["error"]
    ftp = {"title": "Roadmap", "source_url": "ftp://example.org/r", "published_on": "2021-03-11"}
    assert delegate.post("/api/v1/documents", json=ftp).status_code == 422
    ok = delegate.post(
        "/api/v1/documents",
        json={
            "title": "Public statement",
            "source_url": "https://example.org/p",
            "published_on": "2021-03-11",
            "text": "General business matters.",
        },
    ).json()
    assert ok["status"] == "admitted"
    held = counsel.post(
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
    reviewed = counsel.post(
        f"/api/v1/documents/{held['id']}/review",
        json={"admit": False, "reason": "competitively sensitive"},
    )
    assert reviewed.json()["status"] == "rejected"
    assert reviewed.json()["decided_by"] == web.people["counsel"].email
    again = counsel.post(
        f"/api/v1/documents/{held['id']}/review", json={"admit": True, "reason": "x"}
    )
    assert again.status_code == 400


def test_participant_role_flags(web: Web) -> None:
    people = {p["name"]: p for p in web.as_("secretariat").get("/api/v1/participants").json()}
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
        planned = meetings.plan(session, SYSTEM, count=2, today=dt.date(2026, 1, 1))
        assert (planned[1].starts_on - planned[0].starts_on).days == 182
        assert meetings.warning(session, dt.date(2026, 1, 1)) is None
        assert (
            meetings.propose(session, 1, dt.date(2026, 1, 1))[0]
            == planned[1].starts_on + meetings.INTERVAL
        )


def test_failed_write_leaves_no_rows(engine: Engine) -> None:
    factory = session_factory(engine)
    with pytest.raises(Refused), transaction(factory) as session:
        delegation = delegations.create_delegation(session, SYSTEM, "SIA", "SIA", None, "US")
        for i in range(11):
            delegations.add_company(session, SYSTEM, f"Co {i}", "US", delegation)
    with transaction(factory) as session:
        assert session.scalars(select(Company)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []


def test_pages_render_in_both_languages(web: Web) -> None:
    browser = web.browser("secretariat")
    english = browser.get("/")
    assert english.status_code == 200 and "Delegations" in english.text
    chinese = browser.get("/?lang=zh")
    assert "代表团" in chinese.text and "中国半导体行业协会" in chinese.text
    assert browser.cookies.get("lang") == "zh"
    for page in ("/screen?name=中芯国际", "/reviews", "/documents", "/meetings", "/audit"):
        assert web.browser("counsel").get(page).status_code == 200, page
    assert browser.get("/companies/11").status_code == 200
    token = browser.get("/documents").text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = browser.post(
        "/documents", data={"title": "No source", "text": "hello", "csrf_token": token}
    )
    assert refused.status_code == 400 and "public source" in refused.text


def test_minutes_are_approved_by_the_signed_in_head_of_each_delegation(
    engine: Engine, web: Web
) -> None:
    meeting = meeting_in(engine, State.HELD)
    secretariat, counsel = web.as_("secretariat"), web.as_("counsel")
    url = f"/api/v1/meetings/{meeting}/minutes"
    early = web.as_("sia_head").post(url + "/approve")
    assert early.status_code == 400 and "not been drafted" in early.json()["error"]
    block = {
        "attributed_to": "SIA delegation",
        "text_en": "Discussed public export-control rules.",
        "text_zh": "讨论了公开的出口管制规则。",
    }
    assert secretariat.post(url, json={"blocks": [block]}).status_code == 201
    unsigned = web.as_("sia_head").post(url + "/approve")
    assert unsigned.status_code == 400
    assert "counsel must sign off the minutes" in unsigned.json()["error"]
    assert counsel.post(url + "/sign-off").status_code == 200
    # Only a head approves, and only for their own delegation: nobody else, whatever they send.
    for label in ("secretariat", "reviewer", "counsel", "delegate", "observer"):
        refused = web.as_(label).post(url + "/approve", json={"delegation": "SIA", "head": "x"})
        assert refused.status_code == 403, label
    # A delegate who is not the head sees no draft; the head does.
    shown = f"/api/v1/meetings/{meeting}"
    assert web.as_("delegate").get(shown).json()["minutes"]["blocks"] is None
    assert web.as_("csia_head").get(shown).json()["minutes"]["blocks"]
    first = web.as_("sia_head").post(url + "/approve", json={"delegation": "CSIA"}).json()
    assert first["state"] == "minutes_drafted"
    assert first["minutes"]["approved_by"] == ["SIA"]  # the body is ignored: the head's own
    assert first["minutes"]["blocks"][0]["text_zh"] == "讨论了公开的出口管制规则。"
    assert web.as_("sia_head").post(url + "/approve").status_code == 400
    both = web.as_("csia_head").post(url + "/approve").json()
    assert (both["state"], both["minutes"]["final"]) == ("minutes_approved", True)
    assert web.as_("delegate").get(shown).json()["minutes"]["blocks"]
    audit = web.as_("counsel").get("/api/v1/audit", params={"entity": "minutes"}).json()
    approvals = [e["actor"] for e in audit["entries"] if e["action"] == "approve"]
    assert web.people["sia_head"].email in approvals
    assert web.people["csia_head"].email in approvals


def test_participant_page_shows_flags(web: Web) -> None:
    secretariat = web.as_("secretariat")
    people = {p["name"]: p for p in secretariat.get("/api/v1/participants").json()}
    page = secretariat.get(f"/participants/{people['Zhao Weiguo']['id']}")
    assert page.status_code == 200
    assert "top executive" in page.text and "赵伟国" in page.text


def test_four_eyes_review(web: Web) -> None:
    first, second = web.as_("reviewer"), web.as_("reviewer2")
    queue = first.get("/api/v1/reviews").json()
    smic = next(r for r in queue if r["name"].startswith("Semiconductor Manufacturing"))
    url = f"/api/v1/reviews/{smic['id']}"
    assert first.post(url, json={"decision": "confirmed match", "reason": ""}).status_code == 422
    proposed = first.post(url, json={"decision": "confirmed match", "reason": "85 FR 83416"})
    assert proposed.status_code == 200
    assert proposed.json()["status"] == "potential match"  # not yet: one pair of eyes
    assert proposed.json()["awaiting_second_review"]["reviewer"] == web.people["reviewer"].email
    again = first.post(url, json={"decision": "confirmed match", "reason": "sure"})
    assert again.status_code == 400 and "second, different reviewer" in again.json()["error"]
    # A disagreement sends the record back to the queue, saying so.
    disagreed = second.post(url, json={"decision": "false positive", "reason": "other SMIC"})
    assert disagreed.json()["status"] == "potential match"
    assert disagreed.json()["awaiting_second_review"] is None
    assert "reviewers disagreed" in disagreed.json()["note"]
    # A new round: the first reviewer may decide again, and agreement makes it final.
    assert first.post(url, json={"decision": "confirmed match", "reason": "EL"}).status_code == 200
    done = second.post(url, json={"decision": "confirmed match", "reason": "agreed: EL"}).json()
    assert (done["status"], done["note"]) == ("confirmed match", None)
    assert smic["id"] not in [r["id"] for r in first.get("/api/v1/reviews").json()]
    companies = {c["name"]: c for c in first.get("/api/v1/companies").json()}
    smic_company = companies["Semiconductor Manufacturing International Corporation"]
    assert smic_company["screening_status"] == "confirmed match"
    audit = first.get(
        "/api/v1/audit", params={"entity": "screening_record", "entity_id": smic["id"]}
    ).json()["entries"]
    actions = [e["action"] for e in reversed(audit) if e["action"] != "screen"]
    assert actions == ["decide (first)", "disagree", "decide (first)", "decide"]
    final = audit[0]
    assert final["before"] == {"status": "potential match"}
    assert final["after"]["reason"] == "agreed: EL"
    assert final["actor"] == web.people["reviewer2"].email


def test_false_positive_memory_is_voided_when_the_listed_entry_changes(engine: Engine) -> None:
    """Two reviewers clear a party; re-screens keep it cleared until its listed entry's
    content changes, and then it is queued again with the reason."""
    listed = builtin.load()
    factory = session_factory(engine)
    with transaction(factory) as session:
        company = delegations.add_company(session, SYSTEM, "Huawei Technologies Co., Ltd.", "CN")
        record = reviews.screen_company(
            session, Screener.from_snapshots([listed]), fixed_lists("v1"), company, SYSTEM
        )
        assert record.status == "potential match"
        hits = {h["entry_id"] for h in record.hits}
        first = Actor("a@example.org", Role.REVIEWER)
        second = Actor("b@example.org", Role.REVIEWER)
        reviews.decide(session, first, record.id, "false positive", "a phone maker, not listed")
        final = reviews.decide(session, second, record.id, "false positive", "agreed")
        assert final.status == "false positive"
    # The same lists again: the memory holds.
    with transaction(factory) as session:
        again = reviews.screen_company(
            session, Screener.from_snapshots([listed]), fixed_lists("v1"), company, SYSTEM
        )
        assert again.status == "false positive"
        assert again.note is not None and "unchanged" in again.note
    # One of the entries changes (a new alias published): queued again, and why.
    changed_id = sorted(hits)[0]
    entries = [
        dataclasses.replace(e, aliases=(*e.aliases, Alias("Huawei Device", AliasKind.STRONG)))
        if e.id == changed_id
        else e
        for e in listed.entries
    ]
    amended = dataclasses.replace(listed, entries=entries)
    with transaction(factory) as session:
        requeued = reviews.screen_company(
            session, Screener.from_snapshots([amended]), fixed_lists("v2"), company, SYSTEM
        )
        assert requeued.status == "potential match"
        assert requeued.note is not None and "queued again" in requeued.note
        assert changed_id in requeued.note and "changed since" in requeued.note
        voided = session.scalars(
            select(FalsePositive).where(FalsePositive.entry_id == changed_id)
        ).one()
        assert voided.voided_at is not None
    # And it stays queued on the next re-screen (the memory is gone, not revived).
    with transaction(factory) as session:
        later = reviews.screen_company(
            session, Screener.from_snapshots([amended]), fixed_lists("v2"), company, SYSTEM
        )
        assert later.status == "potential match"
