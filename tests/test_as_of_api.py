"""GET /api/v1/screen?...&as_of= answers from the lists that were active at that moment."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chipbridge.screening.model import Entry, ListSnapshot
from chipbridge.store.db import make_engine, migrate
from chipbridge.store.lists import ListStore
from chipbridge.web.app import create_app

from .conftest import company

ALPHA = company("a", "Alpha Photonics Limited", countries=("CN",))
BETA = company("b", "Beta Wafer Fabrication Company", countries=("CN",))


def snap(*entries: Entry) -> ListSnapshot:
    listed = [dataclasses.replace(e, dataset="us_csl") for e in entries]
    return ListSnapshot("us_csl", "US CSL", "csl", listed)


@pytest.fixture
def client(home: Path) -> Iterator[tuple[TestClient, ListStore]]:
    store = ListStore(home)
    store.save(snap(ALPHA))
    store.save(snap(BETA), allow_shrink=True)
    engine = make_engine(f"sqlite:///{home / 'web.db'}")
    migrate(engine)
    app = create_app(engine, store.screener(), store.index_key())
    with TestClient(app) as test_client:
        yield test_client, store
    engine.dispose()


def test_screen_as_of(client: tuple[TestClient, ListStore]) -> None:
    http, store = client
    first, second = (i.imported_at for i in store.history())

    def ask(name: str, **params: str) -> dict[str, object]:
        response = http.get("/api/v1/screen", params={"name": name, **params})
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    def ids(body: dict[str, object]) -> set[str]:
        return {h["entry_id"] for h in body["hits"]} & {"a", "b"}  # type: ignore[attr-defined]

    assert ids(ask("Alpha Photonics Ltd")) == set()  # the server's lists: version 2
    then = ask("Alpha Photonics Ltd", as_of=str(first))
    assert ids(then) == {"a"}
    assert then["lists"] == {"chipbridge_builtin": 1, "us_csl": 1}
    assert then["as_of"] == first
    now = ask("Beta Wafer Fabrication Co", as_of=str(second))
    assert ids(now) == {"b"} and now["lists"] == {"chipbridge_builtin": 1, "us_csl": 2}
    before = ask("Alpha Photonics Ltd", as_of="2001-01-01")
    assert ids(before) == set() and before["lists"] == {"chipbridge_builtin": 1}


def test_screen_as_of_bad_value(client: tuple[TestClient, ListStore]) -> None:
    http, _ = client
    response = http.get("/api/v1/screen", params={"name": "Alpha", "as_of": "yesterday"})
    assert response.status_code == 400
    assert "as_of: 'yesterday' is not a date or date-time" in response.json()["error"]
