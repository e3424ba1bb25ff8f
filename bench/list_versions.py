"""List versions: what keeping every import costs, in time and disk.

Imports the reference CSL and OFAC SDN snapshots, then a year of weekly versions in which 1%
of each list's entries change (half edited, a quarter added, a quarter removed), and prints:
the time of one import (hash, check, store, swap), the store's size against a full copy per
version, and the time to read an old version, diff two versions, find the lists active at a
past moment, and check whether anything changed. Runs in a temporary CHIPBRIDGE_HOME.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from chipbridge.screening.model import Entry, ListSnapshot
from chipbridge.store.lists import ListStore
from chipbridge.store.versions import parse_moment
from common import reference_snapshots

WEEKS = 52
SHARE = 0.01


def next_week(snapshot: ListSnapshot, week: int, rng: random.Random) -> ListSnapshot:
    entries = list(snapshot.entries)
    changes = max(4, int(len(entries) * SHARE))
    for i in rng.sample(range(len(entries)), changes // 2):
        entries[i] = dataclasses.replace(entries[i], remarks=f"amended in week {week}")
    for _ in range(changes // 4):
        entries.pop(rng.randrange(len(entries)))
    for n in range(changes // 4):
        template = rng.choice(entries)
        entries.append(
            dataclasses.replace(template, id=f"new-{week}-{n}", name=f"{template.name} {week}")
        )
    return dataclasses.replace(snapshot, entries=entries)


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    rng = random.Random(2021)
    snapshots = reference_snapshots()
    with tempfile.TemporaryDirectory() as tmp:
        store = ListStore(Path(tmp))
        naive = 0  # bytes a store keeping a full JSON copy of every version would hold
        times: list[float] = []
        for week in range(WEEKS):
            if week:
                snapshots = [next_week(s, week, rng) for s in snapshots]
            started = time.perf_counter()
            store.save_all(snapshots)
            times.append(time.perf_counter() - started)
            naive += sum(len(orjson.dumps([e.to_dict() for e in s.entries])) for s in snapshots)
        entries = sum(len(s.entries) for s in snapshots)
        print(
            f"{len(snapshots)} lists, {entries:,} entries, {WEEKS} weekly versions with "
            f"{SHARE:.0%} changed each"
        )
        print(
            f"import (hash, check, store, swap; no index build): first {times[0]:.2f}s, "
            f"then median {statistics.median(times[1:]):.2f}s"
        )
        stored = size(store.dir)
        print(
            f"store on disk: {stored / 1e6:.1f} MB for {WEEKS} versions; a full copy per "
            f"version: {naive / 1e6:.1f} MB ({naive / stored:.1f}x)"
        )
        history = store.history("us_csl")
        started = time.perf_counter()
        old: list[Entry] = store.versions.snapshot(history[0]).entries
        print(
            f"read version 1 of us_csl ({len(old):,} entries): {time.perf_counter() - started:.2f}s"
        )
        started = time.perf_counter()
        diff = store.diff("us_csl", 1, WEEKS)
        print(
            f"diff us_csl 1 -> {WEEKS} ({len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed): {time.perf_counter() - started:.2f}s"
        )
        started = time.perf_counter()
        changes = store.changes(store.generation() - 1)
        touched = sum(len(d.added) + len(d.changed) + len(d.removed) for d in changes)
        print(
            f"changes since the previous generation ({touched} entries): "
            f"{time.perf_counter() - started:.3f}s"
        )
        middle = history[WEEKS // 2].imported_at
        assert middle is not None
        at = parse_moment(middle)
        started = time.perf_counter()
        for _ in range(100):
            active = store.active(at)
        print(
            f"lists active at a past moment ({active.used}): "
            f"{(time.perf_counter() - started) * 10:.1f} ms"
        )
        started = time.perf_counter()
        for _ in range(1000):
            store.generation()
        print(f"has anything changed (generation): {time.perf_counter() - started:.3f} ms")


if __name__ == "__main__":
    main()
