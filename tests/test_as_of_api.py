"""GET /api/v1/screen?...&as_of= answers from the lists that were active at that moment."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chipbridge.screening.model import Entry, ListSnapshot
from chipbridge.store.lists import ListStore

from .conftest import company
from .webapp import make_web, open_engine, use_cheap_passwords

ALPHA = company("a", "Alpha Photonics Limited", countries=("CN",))
BETA = company("b", "Beta Wafer Fabrication Company", countries=("CN",))


def snap(*entries: Entry) -> ListSnapshot:
    listed = [dataclasses.replace(e, dataset="us_csl") for e in entries]
    return ListSnapshot("us_csl", "US CSL", "csl", listed)


@pytest.fixture
def client(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, ListStore]]:
    store = ListStore(home)
    store.save(snap(ALPHA))
    store.save(snap(BETA), allow_shrink=True)
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    web = make_web(engine, store.screener())
    yield web.as_("reviewer"), store
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


def test_the_console_takes_as_of_and_hints(client: tuple[TestClient, ListStore]) -> None:
    http, store = client
    first = str(store.history()[0].imported_at)

    def page(**params: str) -> str:
        response = http.get("/screen", params={"name": "Alpha Photonics Ltd", **params})
        assert response.status_code == 200, response.text
        return response.text

    assert "Alpha Photonics Limited" not in page()  # the server's lists: version 2
    then = page(as_of=first)
    assert "Alpha Photonics Limited" in then and "us_csl v1" in then
    assert "Alpha Photonics Limited" in page(as_of=first, type="company", country="cn")
    assert "Alpha Photonics Limited" not in page(as_of=first, type="person")
    assert "is not a date or date-time" in page(as_of="yesterday")
    assert "neither person nor company" in page(type="vessel")
    assert "country: " in page(country="Cathay")
    assert 'value="Cathay"' in page(country="Cathay")  # the form keeps what was typed
