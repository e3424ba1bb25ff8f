"""Accounts and sessions: login, CSRF, Origin, throttling and lockout, idle timeout, API
tokens and their scopes, security headers, the `users` and `tokens` commands."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from chipbridge.accounts import service as accounts
from chipbridge.accounts.models import LoginSession, User
from chipbridge.accounts.permissions import Actor, Role
from chipbridge.cli import app as cli
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import make_engine, session_factory, transaction
from chipbridge.web.auth import SESSION_COOKIE
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.documents.models import Document
from tests.webapp import Web, csrf_of, login, make_web, open_engine, use_cheap_passwords

SYSTEM = Actor.system("test")
STATEMENT = {
    "title": "Statement",
    "source_url": "https://example.org/s",
    "published_on": "2021-03-11",
    "text": "General matters.",
}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine("sqlite", tmp_path)


@pytest.fixture
def web(engine: Engine, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    return make_web(engine, screener)


def documents(engine: Engine) -> int:
    with transaction(session_factory(engine), write=False) as db:
        return db.scalar(select(func.count()).select_from(Document)) or 0


def audit_reasons(engine: Engine) -> list[str]:
    with transaction(session_factory(engine), write=False) as db:
        return [
            str((e.after or {}).get("reason"))
            for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "refused"))
        ]


def test_passwords_are_hashed_with_argon2id(engine: Engine) -> None:
    with transaction(session_factory(engine)) as db:
        user, password = accounts.add_user(db, SYSTEM, "A@Example.org", Role.OBSERVER)
        assert user.email == "a@example.org"
        assert user.password_hash.startswith("$argon2id$") and password not in user.password_hash
        assert accounts.PASSWORDS.verify(password, user.password_hash)


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(web: Web, engine: Engine) -> None:
    client = web.browser("reviewer")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    home = client.get("/")
    assert home.status_code == 200 and web.people["reviewer"].email.split("@")[0] in home.text
    fresh = login(web.anonymous, web.people["observer"].email, web.people["observer"].password)
    header = next(
        h for h in fresh.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)
    ).lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header
    # The session token is stored only as a digest.
    with transaction(session_factory(engine), write=False) as db:
        stored = list(db.scalars(select(LoginSession.token_hash)))
        assert cookie not in stored and accounts.digest(cookie) in stored
    out = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    client.cookies.set(SESSION_COOKIE, cookie)  # replaying the old cookie does not work
    assert client.get("/").headers["location"].startswith("/login")
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_is_401_and_logged(web: Web, engine: Engine) -> None:
    answer = login(web.anonymous, web.people["reviewer"].email, "wrong")
    assert answer.status_code == 401 and "wrong e-mail or password" in answer.text
    unknown = login(web.anonymous, "nobody@x.org", "wrong")
    assert unknown.status_code == 401 and "wrong e-mail or password" in unknown.text
    assert sum("failed login" in r for r in audit_reasons(engine)) == 2


def test_the_login_form_needs_its_csrf_token(web: Web, engine: Engine) -> None:
    person = web.people["reviewer"]
    bare = web.anonymous.post("/login", data={"email": person.email, "password": person.password})
    assert bare.status_code == 403 and "CSRF" in bare.text
    web.anonymous.get("/login")  # a cookie, but a form token from elsewhere
    forged = web.anonymous.post(
        "/login", data={"email": person.email, "password": person.password, "csrf_token": "x"}
    )
    assert forged.status_code == 403
    assert sum("CSRF" in r for r in audit_reasons(engine)) == 2
    assert login(web.anonymous, person.email, person.password).status_code == 303


def test_next_only_redirects_within_the_site(web: Web) -> None:
    person = web.people["observer"]
    for target, expected in (
        ("/meetings", "/meetings"),
        ("//evil.example", "/"),
        ("http://x", "/"),
        ("/\\evil.example", "/"),  # a browser goes to //evil.example
        ("/\t/evil.example", "/"),
        ("/audit?entity=company", "/audit?entity=company"),
    ):
        fresh = TestClient(web.app, follow_redirects=False)
        answer = login(fresh, person.email, person.password, target)
        assert answer.headers["location"] == expected


def test_csrf_missing_or_forged_is_403_and_nothing_is_written(web: Web, engine: Engine) -> None:
    client = web.browser("secretariat")
    before = documents(engine)
    for token in (None, "0" * 64, csrf_of(web.browser("counsel"))):
        data = dict(STATEMENT, **({"csrf_token": token} if token else {}))
        answer = client.post("/documents", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    assert documents(engine) == before
    assert sum("CSRF" in r for r in audit_reasons(engine)) == 3
    # A cookie-authenticated JSON write needs the token too (as a header).
    assert client.post("/api/v1/documents", json=STATEMENT).status_code == 403
    with_header = client.post(
        "/api/v1/documents", json=STATEMENT, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert with_header.status_code == 201
    ok = client.post("/documents", data=dict(STATEMENT, csrf_token=csrf_of(client)))
    assert ok.status_code == 303 and documents(engine) == before + 2


def test_cross_site_posts_are_refused(web: Web, engine: Engine) -> None:
    client = web.browser("reviewer")
    record = client.get("/api/v1/reviews").json()[0]["id"]
    token = csrf_of(client)
    forged = client.post(
        f"/reviews/{record}",
        data={"decision": "false positive", "reason": "x", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403 and "cross-site" in forged.text
    cross = client.post(
        f"/reviews/{record}",
        data={"decision": "false positive", "reason": "x", "csrf_token": token},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert cross.status_code == 403
    assert client.get("/api/v1/reviews").json()[0]["id"] == record  # still open
    same = client.post(
        f"/reviews/{record}",
        data={"decision": "false positive", "reason": "x", "csrf_token": token},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 303


def test_login_throttling_and_lockout(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_passwords(monkeypatch)
    factory = session_factory(engine)
    with transaction(factory) as db:
        _, password = accounts.add_user(db, SYSTEM, "lock@example.org", Role.OBSERVER)
    start = accounts.now()

    def attempt(secret: str, seconds: float, address: str = "10.0.0.1") -> int:
        with transaction(factory) as db:
            outcome = accounts.login(
                db, "lock@example.org", secret, address, start + timedelta(seconds=seconds)
            )
        return outcome.status

    # Per account: three failures in a minute, then even the right password must wait.
    assert [attempt("bad", s) for s in (0, 1, 2)] == [401, 401, 401]
    assert attempt(password, 3) == 429
    assert attempt(password, 70) == 200  # after the minute: fine, and the count is reset
    # Five failures in a row lock the account for LOCK_FOR.
    assert [attempt("bad", 200 + 61 * i) for i in range(5)] == [401] * 5
    locked_at = 200 + 61 * 4
    assert attempt(password, locked_at + 61) == 423
    unlock = locked_at + accounts.LOCK_FOR.total_seconds() + 1
    assert attempt(password, unlock) == 200
    # Per address: twenty failures from one address, whatever the accounts, then it waits.
    later = start + timedelta(hours=2)
    with transaction(factory) as db:
        for i in range(accounts.ADDRESS_RATE):
            accounts.login(db, f"u{i}@example.org", "x", "10.9.9.9", later)
    assert attempt(password, 7201, address="10.9.9.9") == 429
    assert attempt(password, 7202, address="10.0.0.2") == 200
    # The secretariat's reset lifts a lockout.
    with transaction(factory) as db:
        db.execute(update(User).values(locked_until=start + timedelta(days=1)))
        fresh = accounts.reset_password(db, SYSTEM, "lock@example.org")
    assert attempt(fresh, 7300) == 200


def test_throttled_login_over_http(web: Web) -> None:
    email = web.people["counsel"].email
    statuses = [login(web.anonymous, email, "x").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    right = login(web.anonymous, email, web.people["counsel"].password)
    assert right.status_code == 429 and int(right.headers["retry-after"]) > 0


def test_idle_session_expires(engine: Engine, screener: Screener, monkeypatch) -> None:
    use_cheap_passwords(monkeypatch)
    web = make_web(engine, screener, idle=timedelta(minutes=5))
    client = web.browser("counsel")
    assert client.get("/audit").status_code == 200
    with transaction(session_factory(engine)) as db:
        db.execute(update(LoginSession).values(last_seen_at=accounts.now() - timedelta(minutes=6)))
    expired = client.get("/audit")
    assert expired.status_code == 303 and expired.headers["location"] == "/login?next=/audit"
    assert "expired" in audit_reasons(engine)[-1]
    with transaction(session_factory(engine), write=False) as db:
        assert db.scalar(select(LoginSession.ended_at)) is not None
    assert client.get("/api/v1/me").status_code == 401


def test_active_session_is_kept_alive(engine: Engine, screener: Screener, monkeypatch) -> None:
    use_cheap_passwords(monkeypatch)
    web = make_web(engine, screener, idle=timedelta(minutes=5))
    client = web.browser("counsel")
    with transaction(session_factory(engine)) as db:
        db.execute(update(LoginSession).values(last_seen_at=accounts.now() - timedelta(minutes=4)))
    assert client.get("/").status_code == 200  # within the timeout: refreshed
    with transaction(session_factory(engine), write=False) as db:
        seen = db.scalar(select(LoginSession.last_seen_at))
        assert seen is not None and accounts.now() - seen < timedelta(minutes=1)


def test_tokens_revoked_unknown_and_read_only(web: Web, engine: Engine) -> None:
    with transaction(session_factory(engine)) as db:
        token, raw = accounts.create_token(
            db, SYSTEM, web.people["secretariat"].email, "read", accounts.Scope.READ
        )
    reader = {"Authorization": f"Bearer {raw}"}
    assert web.anonymous.get("/api/v1/companies", headers=reader).status_code == 200
    write = web.anonymous.post(
        "/api/v1/companies", json={"name": "X Co", "country": "US"}, headers=reader
    )
    assert write.status_code == 403 and "read-only token" in write.json()["error"]
    with transaction(session_factory(engine)) as db:
        accounts.revoke_token(db, SYSTEM, token.id)
    revoked = web.anonymous.get("/api/v1/companies", headers=reader)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["error"]
    bogus = web.anonymous.get("/api/v1/companies", headers={"Authorization": "Bearer cb_nope"})
    assert bogus.status_code == 401
    with transaction(session_factory(engine), write=False) as db:
        assert (
            db.scalar(select(func.count()).select_from(Company).where(Company.name == "X Co")) == 0
        )
    reasons = audit_reasons(engine)
    assert any("revoked" in r for r in reasons) and any("unknown API token" in r for r in reasons)


def test_disabled_user_is_refused(web: Web, engine: Engine) -> None:
    client = web.browser("observer")
    with transaction(session_factory(engine)) as db:
        accounts.disable_user(db, SYSTEM, web.people["observer"].email)
    assert client.get("/").status_code == 303
    assert web.as_("observer").get("/api/v1/me").status_code == 401


def test_the_old_user_header_is_gone(web: Web) -> None:
    headers = {"x-chipbridge-user": "secretariat"}
    assert web.anonymous.get("/api/v1/companies", headers=headers).status_code == 401
    me = web.as_("observer").get("/api/v1/me", headers=headers).json()
    assert (me["email"], me["role"]) == (web.people["observer"].email, "observer")


def test_security_headers_on_every_answer(web: Web) -> None:
    for answer in (
        web.anonymous.get("/login"),
        web.anonymous.get("/"),
        web.as_("observer").get("/api/v1/companies"),
        web.as_("observer").get("/api/v1/reviews"),  # a 403
        web.anonymous.get("/static/app.css"),
        web.as_("observer").get("/api/v1/companies?q=a&q=b"),  # a 422
    ):
        headers = answer.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "default-src 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_a_query_parameter_given_twice_is_refused(web: Web) -> None:
    # The framework would keep one of the two values and answer as if the other were not asked.
    for path in ("/api/v1/screen?name=Huawei&name=SMIC", "/parties?q=Zeta&q=Huawei"):
        answer = web.as_("secretariat").get(path)
        assert answer.status_code == 422, path
        assert "given more than once" in answer.text
    assert web.as_("secretariat").get("/api/v1/screen?name=Huawei&limit=2").status_code == 200
    assert web.as_("secretariat").get("/parties?q=Zeta").status_code == 200


def test_users_and_tokens_commands(home: Path) -> None:
    runner = CliRunner()
    make_engine().dispose()
    added = runner.invoke(cli, ["users", "add", "Head@Example.org", "--role", "delegate"])
    assert added.exit_code == 2 and "--delegation" in added.output
    assert (
        runner.invoke(cli, ["users", "add", "sec@example.org", "--role", "secretariat"]).exit_code
        == 0
    )
    made = runner.invoke(cli, ["users", "add", "obs@example.org", "--role", "observer"])
    assert made.exit_code == 0, made.output
    password = made.output.strip().splitlines()[-1]
    assert len(password) >= 16 and " " not in password
    listed = runner.invoke(cli, ["users", "list"]).output
    assert "obs@example.org\tobserver\t-\tactive" in listed
    created = runner.invoke(cli, ["tokens", "create", "obs@example.org", "--name", "ci"])
    assert created.exit_code == 0
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("cb_") and len(token) > 40
    assert "ci\tread\tactive" in runner.invoke(cli, ["tokens", "list"]).output
    assert token not in runner.invoke(cli, ["tokens", "list"]).output
    assert runner.invoke(cli, ["tokens", "revoke", "1"]).exit_code == 0
    assert "ci\tread\trevoked" in runner.invoke(cli, ["tokens", "list"]).output
    reset = runner.invoke(cli, ["users", "reset-password", "obs@example.org"])
    assert reset.exit_code == 0 and reset.output.strip().splitlines()[-1] != password
    assert runner.invoke(cli, ["users", "disable", "obs@example.org"]).exit_code == 0
    assert "obs@example.org\tobserver\t-\tdisabled" in runner.invoke(cli, ["users", "list"]).output
    missing = runner.invoke(cli, ["users", "disable", "nobody@example.org"])
    assert missing.exit_code == 2 and "no user" in missing.output
    assert runner.invoke(cli, ["tokens", "revoke", str(2**63)]).exit_code == 2
