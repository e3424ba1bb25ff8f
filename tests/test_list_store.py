"""The list store: versions, as-of answers, diffs, refusals, the index cache, concurrency."""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from chipbridge.screening.model import Entry, ListSnapshot, SkippedRow
from chipbridge.store import index_cache, lists
from chipbridge.store.lists import ListRefused, ListStore
from chipbridge.store.versions import content_hash

from .conftest import company


def snap(dataset: str, *entries: Entry, skipped: int = 0) -> ListSnapshot:
    return ListSnapshot(
        dataset=dataset,
        title=f"{dataset} title",
        format="csl",
        entries=[dataclasses.replace(e, dataset=dataset) for e in entries],
        skipped=[SkippedRow(i + 2, "record has 3 fields, expected 29") for i in range(skipped)],
    )


def moment(stamp: str | None) -> datetime:
    assert stamp is not None
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def numbered(n: int, tag: str = "") -> list[Entry]:
    return [company(f"e{i}", f"Listed Party Number{i} Trading{tag} Ltd") for i in range(n)]


@pytest.fixture
def store(tmp_path: Path) -> ListStore:
    return ListStore(tmp_path / "home")


ALPHA = company("a", "Alpha Photonics Limited", countries=("CN",))
BETA = company("b", "Beta Wafer Fabrication Company", countries=("CN",))
GAMMA = company("c", "Gamma Lithography Systems", countries=("CN",))


def test_as_of_answers_across_three_versions(store: ListStore) -> None:
    store.save(snap("us_csl", ALPHA))
    store.save(snap("us_csl", ALPHA, BETA))
    store.save(snap("us_csl", BETA, GAMMA))
    t1, t2, t3 = (moment(i.imported_at) for i in store.history("us_csl"))
    assert t1 < t2 < t3
    tick = timedelta(microseconds=1)

    def hits(name: str, at: datetime | None) -> set[str]:
        return {h.entry.id for h in store.screener(as_of=at).screen(name) if h.entry.id in "abc"}

    expected = [
        (t1 - tick, None, set(), set(), set()),
        (t1, 1, {"a"}, set(), set()),
        (t2 - tick, 1, {"a"}, set(), set()),
        (t2, 2, {"a"}, {"b"}, set()),
        (t3 - tick, 2, {"a"}, {"b"}, set()),
        (t3, 3, set(), {"b"}, {"c"}),
        (None, 3, set(), {"b"}, {"c"}),
    ]
    for at, version, alpha, beta, gamma in expected:
        assert store.active(at).used.get("us_csl") == version, at
        assert hits("Alpha Photonics Ltd", at) == alpha, at
        assert hits("Beta Wafer Fabrication Co", at) == beta, at
        assert hits("Gamma Lithography Systems", at) == gamma, at
    # Each moment names its own set of lists: the key the working group stores.
    keys = {store.active(at).key for at, *_ in expected}
    assert len(keys) == 4
    assert store.active(t2).generation == 2 and store.generation() == 3


def test_as_of_with_several_lists(store: ListStore) -> None:
    store.save(snap("us_csl", ALPHA))
    store.save(snap("un_sc", BETA))
    store.save(snap("us_csl", ALPHA, GAMMA))
    times = [moment(i.imported_at) for i in store.history()]
    assert store.active(times[1]).used == {"chipbridge_builtin": 1, "un_sc": 1, "us_csl": 1}
    assert store.active(times[2]).used == {"chipbridge_builtin": 1, "un_sc": 1, "us_csl": 2}


def test_as_of_leaves_out_built_in_entries_listed_later(store: ListStore) -> None:
    # SMIC's Entity List listing took effect on 2020-12-22 (85 FR 83416): a screening as of
    # the day before must not find it on the built-in list, nor name it among the entries.
    def smic(at: datetime | None) -> set[str]:
        hits = store.screener(as_of=at).screen("Semiconductor Manufacturing International Corp")
        return {h.entry.id for h in hits}

    before, after = datetime(2020, 12, 21, tzinfo=UTC), datetime(2020, 12, 23, tzinfo=UTC)
    assert "CB-EL-SMIC" not in smic(before)
    assert "CB-EL-SMIC" in smic(after) and "CB-EL-SMIC" in smic(None)
    counts = [store.infos(at)[0].entries for at in (before, after, None)]
    assert counts[0] < counts[1] <= counts[2]
    assert store.index_key(before) != store.index_key(after)
    assert store.infos(datetime(2001, 1, 1, tzinfo=UTC))[0].entries == 0


def test_diff_counts_and_entries(store: ListStore) -> None:
    changed_beta = dataclasses.replace(BETA, aliases=(*BETA.aliases,), countries=("HK",))
    store.save(snap("us_csl", ALPHA, BETA, GAMMA))
    generation = store.generation()
    delta = company("d", "Delta Memory Devices Co")
    store.save(snap("us_csl", ALPHA, changed_beta, delta))
    first, second = store.history("us_csl")
    assert (first.added, first.changed, first.removed) == (3, 0, 0)
    assert (second.added, second.changed, second.removed) == (1, 1, 1)
    diff = store.diff("us_csl")
    assert (diff.before, diff.after) == (1, 2)
    assert [e.id for e in diff.added] == ["d"]
    assert [(old.countries, new.countries) for old, new in diff.changed] == [(("CN",), ("HK",))]
    assert [e.id for e in diff.removed] == ["c"]
    assert [e.id for e in store.diff("us_csl", None, 1).added] == ["a", "b", "c"]
    # What a delta re-screen needs: the changes since a generation it has seen.
    (since,) = store.changes(generation)
    assert since == diff
    assert store.changes(store.generation()) == []
    with pytest.raises(ListRefused, match="us_csl has no version 7; it has versions 1 to 2"):
        store.diff("us_csl", 1, 7)
    with pytest.raises(ListRefused, match="no versions of 'un_sc'"):
        store.diff("un_sc")


def test_old_versions_stay_readable_and_unchanged_entries_are_shared(store: ListStore) -> None:
    versions: list[list[Entry]] = []
    entries = numbered(200)
    for round in range(30):
        entries = list(entries)
        for i in range(5):  # each version changes five entries
            k = (round * 5 + i) % 200
            entries[k] = dataclasses.replace(entries[k], remarks=f"revised in round {round}")
        store.save(snap("us_csl", *entries))
        versions.append(entries)
    history = store.history("us_csl")
    assert [i.version for i in history] == list(range(1, 31))
    assert all((i.added, i.changed, i.removed) == (0, 5, 0) for i in history[1:])
    for info, expected in zip(history, versions, strict=True):
        stored = store.versions.snapshot(info)
        assert [dataclasses.replace(e, dataset="us_csl") for e in expected] == stored.entries
        assert info.content_hash == content_hash(stored.entries)
    with sqlite3.connect(store.versions.path) as db:
        (blobs,) = db.execute("SELECT count(*) FROM blob").fetchone()
    assert blobs == 200 + 29 * 5  # unchanged entries are stored once


def test_refused_versions_change_nothing(store: ListStore) -> None:
    store.save(snap("us_csl", *numbered(100)))
    store.save(snap("un_sc", ALPHA))
    before = (store.history(), store.infos(), store.generation())

    with pytest.raises(ListRefused, match=r"us_csl: the new file has 79 entries, 21% fewer"):
        store.save(snap("us_csl", *numbered(79)))
    with pytest.raises(ListRefused, match=r"us_csl: 11 of 101 records could not be read"):
        store.save(snap("us_csl", *numbered(90), skipped=11))
    # All or nothing: a good list in the same swap is not stored either.
    with pytest.raises(ListRefused, match="us_csl: the new file has 1 entries"):
        store.save_all([snap("un_sc", ALPHA, BETA), snap("us_csl", ALPHA)])
    with pytest.raises(ListRefused, match="built-in list"):
        store.save(snap("chipbridge_builtin", ALPHA))
    with pytest.raises(ListRefused, match="cannot hold a list twice"):
        store.save_all([snap("un_sc", ALPHA), snap("un_sc", BETA)])
    assert (store.history(), store.infos(), store.generation()) == before

    # Within the limits, or when told the list really shrank, the version is stored.
    assert store.save(snap("us_csl", *numbered(80))).new
    assert store.save(snap("us_csl", *numbered(3)), allow_shrink=True).info.version == 3
    assert store.save(snap("us_csl", *numbered(90), skipped=10)).info.version == 4
    loose = ListStore(store.home, max_shrink=0.99, max_skipped=0.5)
    assert loose.save(snap("us_csl", *numbered(2), skipped=2)).info.version == 5


def test_same_content_is_not_a_new_version(store: ListStore) -> None:
    first = store.save(snap("us_csl", ALPHA, BETA))
    again = store.save(snap("us_csl", ALPHA, BETA))
    assert first.new and not again.new
    assert again.info == first.info
    assert store.generation() == 1 and len(store.history()) == 1


def test_every_swap_marks_a_rescreen_pending(store: ListStore) -> None:
    assert store.rescreen_pending() is None
    store.save(snap("us_csl", ALPHA))
    pending = store.rescreen_pending()
    assert pending is not None and pending["generation"] == 1
    store.rescreen_failed("OperationalError: database is locked")
    assert store.rescreen_pending() == {**pending, "error": "OperationalError: database is locked"}
    store.save(snap("us_csl", ALPHA, BETA))
    store.rescreen_done(1)  # screened against an older set: still pending
    assert store.rescreen_pending()["generation"] == 2  # type: ignore[index]
    store.rescreen_done(2)
    assert store.rescreen_pending() is None


# --- the index cache ---------------------------------------------------------------------


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"\x80\x05garbage that is not an index")


@pytest.mark.parametrize("how", ["truncated", "flipped", "empty", "garbage"])
def test_damaged_index_cache_is_discarded_and_rebuilt(
    store: ListStore, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    store.save(snap("us_csl", ALPHA, BETA))
    store.screener()
    path = index_cache.path_for(store.cache, store.index_key())
    assert path.exists()
    _damage(path, how)
    lists._RECENT.clear()
    with caplog.at_level(logging.WARNING):
        screener = store.screener()
    assert "discarding and rebuilding it" in caplog.text
    assert [h.entry.id for h in screener.screen("Alpha Photonics Ltd")][:1] == ["a"]
    assert index_cache.load(store.cache, store.index_key()) is not None  # rewritten, valid


def test_index_cache_keeps_the_recently_used(store: ListStore) -> None:
    for n in range(1, index_cache.KEEP + 2):
        store.save(snap("us_csl", *numbered(n * 10)))
        store.screener()
    assert len(list(store.cache.glob("index-*.pickle"))) == index_cache.KEEP
    assert index_cache.path_for(store.cache, store.index_key()).exists()


# --- earlier releases' single-version layout ------------------------------------------------


def test_lists_imported_before_versions_are_kept(store: ListStore) -> None:
    entries = [dataclasses.replace(e, dataset="us_csl") for e in (ALPHA, BETA)]
    store.dir.mkdir(parents=True)
    (store.dir / "us_csl-abc.json").write_bytes(orjson.dumps([e.to_dict() for e in entries]))
    record = {
        "dataset": "us_csl",
        "title": "US Consolidated Screening List",
        "format": "csl",
        "entries": 2,
        "as_of": "2024-01-02",
        "imported_at": "2025-03-04T05:06:07+00:00",
        "content_hash": content_hash(entries),
        "source": "csl.csv",
        "skipped": [{"line": 2, "reason": "repeated header line"}],
        "file": "us_csl-abc.json",
    }
    (store.dir / "manifest.json").write_text(json.dumps({"us_csl": record}))
    (info,) = [i for i in store.infos() if i.dataset == "us_csl"]
    assert (info.version, info.content_hash, info.as_of) == (
        1,
        record["content_hash"],
        "2024-01-02",
    )
    assert info.imported_at == "2025-03-04T05:06:07.000000Z"
    assert info.skipped == record["skipped"]
    assert not (store.dir / "manifest.json").exists()
    assert not (store.dir / "us_csl-abc.json").exists()


# --- concurrency ---------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import dataclasses, sys
    from pathlib import Path
    from chipbridge.screening.model import ListSnapshot
    from tests.conftest import company
    from chipbridge.store.lists import ListStore

    home, dataset, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = ListStore(home)
    Path(sys.argv[4]).touch()
    while not Path(sys.argv[5]).exists():
        pass
    for n in range(rounds):
        entries = [company(f"{dataset}-{i}", f"{dataset} party {i} round {n}") for i in range(50)]
        entries = [dataclasses.replace(e, dataset=dataset) for e in entries]
        store.save(ListSnapshot(dataset, dataset, "csl", entries))
    """
)


def test_two_processes_importing_at_once_both_land(tmp_path: Path) -> None:
    home = tmp_path / "home"
    go = tmp_path / "go"
    rounds = 8
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(home),
                dataset,
                str(rounds),
                str(tmp_path / dataset),
                str(go),
            ],
            cwd=Path(__file__).resolve().parents[1],
        )
        for dataset in ("us_csl", "un_sc")
    ]
    for dataset in ("us_csl", "un_sc"):
        while not (tmp_path / dataset).exists():
            assert all(p.poll() is None for p in procs), "a writer died before starting"
    go.touch()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = ListStore(home)
    history = store.history()
    for dataset in ("us_csl", "un_sc"):
        assert [i.version for i in history if i.dataset == dataset] == list(range(1, rounds + 1))
    assert store.active().used == {"chipbridge_builtin": 1, "un_sc": rounds, "us_csl": rounds}
    assert store.generation() == 2 * rounds
    last = {i.dataset: i for i in store.infos()}
    for dataset in ("us_csl", "un_sc"):
        entries = store.versions.snapshot(last[dataset]).entries
        assert {e.name.rsplit(" ", 1)[-1] for e in entries} == {str(rounds - 1)}


def test_a_share_says_all_or_nothing_only_when_it_is(store: ListStore) -> None:
    assert [lists.share(p) for p in (0, 0.2, 2 / 3, 1 - 13 / 4219, 0.99999, 1)] == [
        "0%",
        "20%",
        "67%",
        "99.7%",
        "over 99.99%",
        "100%",
    ]
    assert lists.share(0.001) == "0.1%"
    store.save(snap("us_csl", *numbered(300)))
    with pytest.raises(ListRefused, match=r"has 1 entries, 99.7% fewer than the 300 .* 20% fewer"):
        store.save(snap("us_csl", ALPHA))
