"""Tables derived from a package's data are made once, then read from the user cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipbridge.screening import tablecache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_a_table_is_made_once_then_read_back(cache_home: Path) -> None:
    calls: list[int] = []

    def make() -> dict[str, tuple[str, ...]]:
        calls.append(1)
        return {"chan": ("chen",)}

    assert tablecache.cached("test-table", "pypinyin", make) == {"chan": ("chen",)}
    assert tablecache.cached("test-table", "pypinyin", make) == {"chan": ("chen",)}
    assert len(calls) == 1
    assert len(list(cache_home.rglob("test-table-*.pickle"))) == 1


def test_other_code_makes_its_own_table(cache_home: Path) -> None:
    assert tablecache.cached("test-table", "pypinyin", lambda: {"a": 1}) == {"a": 1}
    # Same name and package, different derivation: never served the other's table.
    assert tablecache.cached("test-table", "pypinyin", lambda: {"a": 2}) == {"a": 2}


def test_a_damaged_or_unwritable_cache_only_costs_a_rebuild(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make() -> list[int]:
        return [1, 2, 3]

    tablecache.cached("test-table", "pypinyin", make)
    (stored,) = cache_home.rglob("test-table-*.pickle")
    stored.write_bytes(b"\x80\x05cut sho")
    assert tablecache.cached("test-table", "pypinyin", make) == [1, 2, 3]
    blocked = cache_home / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert tablecache.cached("test-table", "pypinyin", make) == [1, 2, 3]


def test_a_table_made_from_another_follows_that_ones_code(cache_home: Path) -> None:
    def first() -> int:
        return 1

    def second() -> int:
        return 2

    def make() -> str:
        return "table"

    tablecache.cached("test-table", "pypinyin", make, uses=(first,))
    tablecache.cached("test-table", "pypinyin", make, uses=(first,))
    assert len(list(cache_home.rglob("test-table-*.pickle"))) == 1
    tablecache.cached("test-table", "pypinyin", make, uses=(second,))
    assert len(list(cache_home.rglob("test-table-*.pickle"))) == 2
