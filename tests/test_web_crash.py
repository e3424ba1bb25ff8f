"""Web writes survive SIGKILL: the real server (`chipbridge serve`, SQLite in a temporary
CHIPBRIDGE_HOME) takes writes from several clients at once - companies added (each
screened, most of them hits), reviewers deciding those hits, documents submitted - and is
killed with SIGKILL after a random delay, then started again, RUNS times.

After every kill: SQLite's integrity and foreign-key checks pass, `chipbridge audit verify`
accepts the hash chain, every write that was answered 2xx is in the database, and no request
is half-written (a company without its creation audit row or its screening record, a
decision or a document without its audit row).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from chipbridge.accounts import service as accounts
from chipbridge.store.db import make_engine, migrate
from chipbridge.store.lists import ListStore
from tests.webapp import CHEAP_PASSWORDS, add_accounts, free_port, seed_group

RUNS = 20
SEED = 20210311  # the kill delays are drawn from this seed: the same schedule every run
KILL_AFTER = (0.05, 1.2)  # seconds after the first write is sent
CHIPBRIDGE = Path(sys.executable).with_name("chipbridge")  # the console script users run
# Listed names (the built-in list): a company named after one is a potential match, which
# gives the reviewers something to decide.
HITS = ("Huawei Technologies", "Semiconductor Manufacturing International", "Hangzhou Hikvision")


@dataclass
class Answers:
    """What the server answered 2xx, per kind of write; shared by the client threads."""

    companies: list[int] = field(default_factory=list)
    decisions: list[tuple[int, str]] = field(default_factory=list)  # (record, reviewer)
    documents: list[int] = field(default_factory=list)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A CHIPBRIDGE_HOME with the seeded group and three accounts with write tokens."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("CHIPBRIDGE_HOME", str(path))
    monkeypatch.delenv("CHIPBRIDGE_DATABASE_URL", raising=False)
    monkeypatch.setattr(accounts, "PASSWORDS", CHEAP_PASSWORDS)
    engine = make_engine(f"sqlite:///{path / 'chipbridge.db'}")
    migrate(engine)
    seed_group(engine, ListStore(path).screener())
    made = add_accounts(engine, ["secretariat", "reviewer", "reviewer2"])
    engine.dispose()
    (path / "tokens").write_text("\n".join(f"{k} {a.email} {a.token}" for k, a in made.items()))
    yield path


def _tokens(home: Path) -> dict[str, tuple[str, str]]:
    rows = (line.split() for line in (home / "tokens").read_text().splitlines())
    return {label: (email, token) for label, email, token in rows}


def _start(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`chipbridge serve` on a free loopback port; returns once it answers."""
    assert CHIPBRIDGE.exists(), f"{CHIPBRIDGE}: the chipbridge console script is not installed"
    port = free_port()
    server = subprocess.Popen(
        [str(CHIPBRIDGE), "serve", "--port", str(port)],
        env={**os.environ, "CHIPBRIDGE_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError("the server did not start within 60 s")


def _writers(
    base: str, tokens: dict[str, tuple[str, str]], run: int, answers: Answers
) -> list[Callable[[threading.Event], None]]:
    """Three clients, each writing until the server stops answering."""

    def client(label: str) -> httpx.Client:
        return httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {tokens[label][1]}"},
            timeout=30,
        )

    def add_companies(stop: threading.Event) -> None:
        with client("secretariat") as http:
            i = 0
            while not stop.is_set():
                name = f"{HITS[i % len(HITS)]} Crash {run}-{i}" if i % 3 else f"Crash {run}-{i} Co"
                with answers.lock:
                    answers.sent += 1
                answer = http.post("/api/v1/companies", json={"name": name, "country": "CN"})
                if answer.status_code == 201:
                    with answers.lock:
                        answers.companies.append(answer.json()["id"])
                i += 1

    def decide(stop: threading.Event) -> None:
        with client("reviewer") as first, client("reviewer2") as second:
            while not stop.is_set():
                queue = first.get("/api/v1/reviews").json()
                for record in queue[:5]:
                    pending = record["awaiting_second_review"]
                    label, http = ("reviewer", first) if pending is None else ("reviewer2", second)
                    if pending is not None and pending["reviewer"] == tokens[label][0]:
                        continue
                    body = {"decision": "false positive", "reason": f"crash run {run}"}
                    with answers.lock:
                        answers.sent += 1
                    answer = http.post(f"/api/v1/reviews/{record['id']}", json=body)
                    if answer.status_code == 200:
                        with answers.lock:
                            answers.decisions.append((record["id"], tokens[label][0]))

    def submit(stop: threading.Event) -> None:
        with client("secretariat") as http:
            i = 0
            while not stop.is_set():
                body = {
                    "title": f"Crash {run}-{i} statement",
                    "source_url": f"https://example.org/crash/{run}/{i}",
                    "published_on": "2021-03-11",
                    "text": "General matters." if i % 2 else "Pricing and capacity.",
                }
                with answers.lock:
                    answers.sent += 1
                answer = http.post("/api/v1/documents", json=body)
                if answer.status_code == 201:
                    with answers.lock:
                        answers.documents.append(answer.json()["id"])
                i += 1

    return [add_companies, decide, submit]


def _run_until_killed(
    server: subprocess.Popen[bytes],
    work: list[Callable[..., None]],
    delay: float,
    sent: Callable[[], int],
) -> None:
    """Run the writers and kill the server ``delay`` seconds after the first write is sent
    (``sent`` counts the writes sent so far): on a loaded machine the clients may take longer
    than the delay to send anything, and a kill before any write tests nothing."""
    stop = threading.Event()
    before = sent()

    def guarded(write: Callable[[threading.Event], None]) -> None:
        with contextlib.suppress(httpx.TransportError):  # the server died: no answer
            write(stop)

    threads = [threading.Thread(target=guarded, args=(w,), daemon=True) for w in work]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while sent() == before and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a client thread hung after the kill"


def _check(home: Path, answers: Answers) -> None:
    db = sqlite3.connect(home / "chipbridge.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        companies = {row[0] for row in db.execute("SELECT id FROM companies")}
        assert set(answers.companies) <= companies, "a company answered 201 was lost"
        decided = set(db.execute("SELECT record_id, reviewer FROM review_decisions"))
        assert set(answers.decisions) <= decided, "a decision answered 200 was lost"
        documents = {row[0] for row in db.execute("SELECT id FROM documents")}
        assert set(answers.documents) <= documents, "a document answered 201 was lost"

        def audited(entity: str, action: str, actor: str | None = None) -> set[int]:
            query = "SELECT entity_id FROM audit_log WHERE entity = ? AND action LIKE ?"
            args = [entity, action]
            if actor is not None:
                query += " AND actor = ?"
                args.append(actor)
            return {row[0] for row in db.execute(query, args)}

        # Nothing half-written: each row has what its request wrote with it.
        assert companies <= audited("company", "create"), "a company without its audit row"
        screened = {
            row[0]
            for row in db.execute(
                "SELECT subject_id FROM screening_records WHERE subject = 'company' AND current"
            )
        }
        assert companies <= screened, "a company without its screening record"
        assert companies <= audited("company", "screen"), "a screening without its audit row"
        for record, reviewer in decided:
            assert record in audited("screening_record", "d%", reviewer), (
                f"decision by {reviewer} on record {record} without its audit row"
            )
        assert documents <= audited("document", "submit"), "a document without its audit row"
    finally:
        db.close()
    verify = subprocess.run(
        [str(CHIPBRIDGE), "audit", "verify"],
        env={**os.environ, "CHIPBRIDGE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
    assert "audit log intact" in verify.stdout


def test_web_writes_survive_sigkill(home: Path) -> None:
    tokens = _tokens(home)
    delays = random.Random(SEED)
    answers = Answers()
    for run in range(RUNS):
        server, base = _start(home)
        sent_before = answers.sent
        _run_until_killed(
            server,
            _writers(base, tokens, run, answers),
            delays.uniform(*KILL_AFTER),
            lambda: answers.sent,
        )
        assert answers.sent > sent_before, f"run {run}: no write was sent before the kill"
        _check(home, answers)
    # The kills landed while writes were under way, and most writes were answered.
    assert answers.companies and answers.decisions and answers.documents
    assert answers.sent > len(answers.companies) + len(answers.decisions) + len(answers.documents)
