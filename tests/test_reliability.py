"""Nothing lost: a 2xx means committed, a failed commit is an error, concurrent writes obey
the rules (the ten-company cap, both heads' approvals), on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Actor
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import session_factory, transaction
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.meetings.models import Meeting, State
from chipbridge.workgroup.reviews.models import ScreeningRecord
from tests.lifecycle import meeting_in
from tests.webapp import BACKENDS, make_web, open_engine, served, use_cheap_passwords

SYSTEM = Actor.system("test")
DECISION = {"decision": "false positive", "reason": "a different company"}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


def audit_rows(engine: Engine) -> int:
    with transaction(session_factory(engine), write=False) as db:
        return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


def status_of(engine: Engine, record_id: int) -> str:
    with transaction(session_factory(engine), write=False) as db:
        record = db.get(ScreeningRecord, record_id)
        assert record is not None
        return record.status


def test_locked_database_is_503_and_nothing_is_written(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path, busy_timeout=0.2)
    web = make_web(engine, screener)
    reviewer = web.as_("reviewer")
    record = reviewer.get("/api/v1/reviews").json()[0]["id"]
    before = audit_rows(engine)
    blocker = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        answer = reviewer.post(f"/api/v1/reviews/{record}", json=DECISION)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert answer.status_code == 503, answer.text
    assert "nothing was written" in answer.json()["error"]
    assert answer.headers["retry-after"]
    assert status_of(engine, record) == "potential match"
    assert audit_rows(engine) == before
    assert reviewer.post(f"/api/v1/reviews/{record}", json=DECISION).status_code == 200


def test_a_failed_commit_is_an_error_never_a_200(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    web = make_web(engine, screener)
    reviewer = web.as_("reviewer")
    record = reviewer.get("/api/v1/reviews").json()[0]["id"]
    before = audit_rows(engine)

    def wrote(session: Session, _context: object) -> None:
        session.info["wrote"] = True

    def fail_after_writing(session: Session) -> None:
        session.flush()
        if session.info.pop("wrote", False):  # the statements reached the database ...
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    factory = web.app.state.sessions
    event.listen(factory, "after_flush", wrote)
    event.listen(factory, "before_commit", fail_after_writing)
    try:
        answer = reviewer.post(f"/api/v1/reviews/{record}", json=DECISION)
    finally:
        event.remove(factory, "before_commit", fail_after_writing)
        event.remove(factory, "after_flush", wrote)
    assert answer.status_code == 503, answer.text
    assert audit_rows(engine) == before  # neither the decision nor its audit row
    assert reviewer.get("/api/v1/reviews").json()[0]["awaiting_second_review"] is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_approvals_sent_one_after_the_other_both_land(
    backend: str, tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_cheap_passwords(monkeypatch)
    engine = open_engine(backend, tmp_path)
    web = make_web(engine, screener)
    meeting = _minutes(engine)
    with served(web.app) as base:
        for label in ("sia_head", "csia_head"):
            answer = httpx.post(
                f"{base}/api/v1/meetings/{meeting}/minutes/approve",
                headers={"Authorization": f"Bearer {web.people[label].token}"},
            )
            assert answer.status_code == 200, answer.text
    assert sorted(_approvals(engine, meeting)) == ["CSIA", "SIA"]
    engine.dispose()


def _minutes(engine: Engine) -> int:
    """A meeting whose minutes counsel signed off, awaiting both heads."""
    return meeting_in(engine, State.MINUTES_DRAFTED, signed=True)


def _approvals(engine: Engine, meeting_id: int) -> list[str]:
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None and meeting.minutes is not None
        return list(meeting.minutes.approved_by)


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_writes_obey_the_cap_and_keep_both_approvals(
    backend: str, tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 threads add companies to one delegation at once through the real server: exactly
    ten land. Then both heads approve the same minutes at the same instant: both count."""
    use_cheap_passwords(monkeypatch)
    engine = open_engine(backend, tmp_path)
    web = make_web(engine, screener)
    with transaction(session_factory(engine)) as db:
        delegations.create_delegation(db, SYSTEM, "TEST", "Test association", None, "US")
    meeting = _minutes(engine)
    secretariat = {"Authorization": f"Bearer {web.people['secretariat'].token}"}

    def at_once(count: int, send: Any) -> list[int]:
        barrier = threading.Barrier(count)
        statuses: list[int] = [0] * count

        def run(i: int) -> None:
            barrier.wait()
            statuses[i] = send(i)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return statuses

    with served(web.app) as base, httpx.Client(base_url=base, timeout=60) as client:
        added = at_once(
            20,
            lambda i: (
                client.post(
                    "/api/v1/companies",
                    json={"name": f"Concurrent {i} Co", "country": "US", "delegation": "TEST"},
                    headers=secretariat,
                ).status_code
            ),
        )
        heads = ["sia_head", "csia_head"]
        approved = at_once(
            2,
            lambda i: (
                client.post(
                    f"/api/v1/meetings/{meeting}/minutes/approve",
                    headers={"Authorization": f"Bearer {web.people[heads[i]].token}"},
                ).status_code
            ),
        )
    assert sorted(added) == [201] * 10 + [400] * 10, added
    with transaction(session_factory(engine), write=False) as db:
        test = delegations.get_delegation(db, "TEST")
        query = select(func.count()).select_from(Company).where(Company.delegation_id == test.id)
        assert db.scalar(query) == 10
    assert approved == [200, 200]
    assert sorted(_approvals(engine, meeting)) == ["CSIA", "SIA"]
    engine.dispose()
