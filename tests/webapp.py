"""Shared set-up for the web and database tests: a real database (SQLite, and PostgreSQL when
CHIPBRIDGE_TEST_POSTGRES_URL names one), the seeded working group, one account per role with
an API token, and clients that act as each of them."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine

from chipbridge.accounts import service as accounts
from chipbridge.accounts.permissions import Actor, Role, Scope
from chipbridge.screening import Screener
from chipbridge.store.db import make_engine, migrate, session_factory, transaction
from chipbridge.web.app import create_app
from chipbridge.workgroup import seed
from chipbridge.workgroup.reviews.service import rescreen_all

POSTGRES = os.environ.get("CHIPBRIDGE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]
# argon2id with the cheapest parameters, so that tests creating many accounts stay fast;
# test_accounts checks the production parameters separately.
CHEAP_PASSWORDS = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))

# label: (e-mail, role, delegation, head)
PEOPLE: dict[str, tuple[str, Role, str | None, bool]] = {
    "secretariat": ("secretariat@test.example.org", Role.SECRETARIAT, None, False),
    "reviewer": ("reviewer@test.example.org", Role.REVIEWER, None, False),
    "reviewer2": ("reviewer2@test.example.org", Role.REVIEWER, None, False),
    "counsel": ("counsel@test.example.org", Role.COUNSEL, None, False),
    "sia_head": ("sia.head@test.example.org", Role.DELEGATE, "SIA", True),
    "csia_head": ("csia.head@test.example.org", Role.DELEGATE, "CSIA", True),
    "delegate": ("delegate@test.example.org", Role.DELEGATE, "CSIA", False),
    "observer": ("observer@test.example.org", Role.OBSERVER, None, False),
}


@dataclass
class Account:
    email: str
    password: str
    token: str


def open_engine(kind: str, tmp_path: Path, busy_timeout: float = 5.0) -> Engine:
    """A fresh, migrated database of this kind (PostgreSQL's schema is dropped first)."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}", busy_timeout)
    elif POSTGRES:
        engine = make_engine(POSTGRES)
        with engine.begin() as connection:  # whatever an earlier run or branch left there
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    else:
        pytest.skip("no PostgreSQL (set CHIPBRIDGE_TEST_POSTGRES_URL)")
    migrate(engine)
    return engine


def use_cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORDS", CHEAP_PASSWORDS)


def seed_group(engine: Engine, screener: Screener) -> None:
    with transaction(session_factory(engine)) as session:
        seed.seed(session)
        rescreen_all(session, screener, "test", "test")


def add_accounts(engine: Engine, labels: list[str] | None = None) -> dict[str, Account]:
    made = {}
    operator = Actor.system("test")
    with transaction(session_factory(engine)) as session:
        for label in labels or list(PEOPLE):
            email, role, delegation, head = PEOPLE[label]
            _, password = accounts.add_user(session, operator, email, role, label, delegation, head)
            _, token = accounts.create_token(session, operator, email, "tests", Scope.WRITE)
            made[label] = Account(email, password, token)
    return made


class Web:
    """The app with one client per account (bearer token) and one anonymous client."""

    def __init__(self, app: FastAPI, people: dict[str, Account]) -> None:
        self.app = app
        self.people = people
        self.anonymous = TestClient(app, follow_redirects=False)
        self._clients: dict[str, TestClient] = {}

    def as_(self, label: str) -> TestClient:
        if label not in self._clients:
            self._clients[label] = TestClient(
                self.app,
                headers={"Authorization": f"Bearer {self.people[label].token}"},
                follow_redirects=False,
            )
        return self._clients[label]

    def browser(self, label: str) -> TestClient:
        """A client signed in through the login form, with a session cookie."""
        client = TestClient(self.app, follow_redirects=False)
        person = self.people[label]
        answer = login(client, person.email, person.password)
        assert answer.status_code == 303, answer.text
        return client


def login(client: TestClient, email: str, password: str, next: str = "/") -> httpx.Response:
    """Open the login page, then send its form (with the form's CSRF token)."""
    token = csrf_of(client, "/login")
    form = {"email": email, "password": password, "next": next, "csrf_token": token}
    return client.post("/login", data=form)


def csrf_of(client: TestClient, page: str = "/") -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([\w-]+)"', client.get(page).text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def make_web(engine: Engine, screener: Screener, idle: timedelta = accounts.IDLE_TIMEOUT) -> Web:
    seed_group(engine, screener)
    people = add_accounts(engine)
    return Web(create_app(engine, screener, "test", idle), people)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn server on loopback, as `chipbridge serve` runs it."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
