"""Crash tests that really kill: ``lists import`` and ``lists update`` in a subprocess, SIGKILLed
at random moments. After every kill the store shows the old lists or the new ones, never a
mix (for an update of several lists: all old or all new), every stored version still
matches its content hash, the SQLite file passes its integrity check, and the next import
succeeds.

A first run, watched, gives the moment of the swap and the length of a whole run. Half the
kills are then drawn close around the swap, half over the whole run, so they land before,
during and after it; each test checks that both outcomes were seen.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipbridge.cli import app
from chipbridge.screening.sources import load
from chipbridge.store import lists
from chipbridge.store.lists import ListStore
from chipbridge.store.update import update
from chipbridge.store.versions import content_hash

from .conftest import FIXTURES

RUNS = 20
EXE = Path(sys.executable).parent / "chipbridge"
WORDS = ("Alpha", "Beta", "Gamma", "Sigma", "Orion", "Vega", "Nova", "Helix", "Photon", "Wafer")


def csl_file(path: Path, tag: str, rows: int = 2000) -> Path:
    """A CSL export; the two tags differ in one entry in ten."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["_id", "source", "name", "start_date"])
        for i in range(rows):
            words = " ".join(rng.choice(WORDS) for _ in range(3))
            mark = tag if i % 10 == 0 else ""
            out.writerow([f"id-{i}", "Entity List (EL)", f"{words} {mark}{i} Co Ltd", "2024-05-06"])
    return path


def un_file(path: Path, tag: str) -> Path:
    text = (FIXTURES / "un_small.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("WON HO", f"WON HO {tag}"), encoding="utf-8")
    return path


def hash_of(path: Path) -> str:
    return content_hash(load(path).entries)


@pytest.fixture(autouse=True)
def short_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock left held by a killed process would hang the next import: fail fast instead."""
    monkeypatch.setattr(lists, "LOCK_TIMEOUT", 10.0)


def observe(home: Path, datasets: tuple[str, ...]) -> tuple[str | None, ...]:
    """The active content hash per dataset, as ``lists show`` prints it, after checking that
    the store is whole."""
    result = CliRunner().invoke(app, ["lists", "show", "--json"])
    assert result.exit_code == 0, result.output
    shown = {i["dataset"]: i for i in json.loads(result.stdout)}
    store = ListStore(home)
    history = store.history()
    newest = {i.dataset: i for i in history}  # the version a killed run may have been writing
    wanted = {(i.dataset, i.version): i for i in [*store.infos()[1:], *newest.values()]}
    for info in wanted.values():
        snapshot = store.versions.snapshot(info)  # raises unless it matches its hash
        assert len(snapshot.entries) == info.entries
    for dataset in datasets:
        numbers = [i.version for i in history if i.dataset == dataset]
        assert numbers == list(range(1, len(numbers) + 1))
    if store.versions.path.exists():
        with sqlite3.connect(store.versions.path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    return tuple(shown[d]["content_hash"] if d in shown else None for d in datasets)


def kill_at_random(command: list[str], delay: float) -> int:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    assert "Traceback" not in errors, errors
    return proc.returncode


def timed(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def watch(command: list[str], home: Path) -> tuple[float, float]:
    """Run to the end, noting when the swap became visible: (swap, whole run) in seconds."""
    store = ListStore(home)
    before = store.generation()
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    swap = None
    while proc.poll() is None:
        if swap is None and store.generation() != before:
            swap = time.monotonic() - start
        time.sleep(0.005)
    assert proc.returncode == 0
    span = time.monotonic() - start
    return (span if swap is None else swap), span


def delays(
    swap: float, span: float, seed: int, seen: dict[str, int], outcomes: list[tuple[float, str]]
) -> Iterator[float]:
    """RUNS kill delays, more while either outcome was seen fewer than twice, up to twice as
    many. Every other delay falls anywhere in the run; the rest aim at the swap, whose moment
    is learnt from the outcomes so far (the latest kill that left the old lists and the
    earliest that left the new), because a warm cache or the machine's load moves it away
    from where the watched run saw it."""
    rng = random.Random(seed)
    run = 0
    while run < RUNS or (min(seen.values()) < 2 and run < 2 * RUNS):
        if run % 2:
            yield rng.uniform(0.05 * span, 1.05 * span)
        else:
            olds = [d for d, outcome in outcomes if outcome == "old"]
            news = [d for d, outcome in outcomes if outcome == "new"]
            if olds and news:
                swap = (max(olds) + min(news)) / 2
            elif news:
                swap = min(min(news), swap) - 0.3
            elif olds:
                swap = max(max(olds), swap) + 0.3
            yield max(0.0, rng.uniform(swap - 0.4, swap + 0.15))
        run += 1


def test_killed_imports_leave_old_or_new(home: Path, tmp_path: Path) -> None:
    files = {tag: csl_file(tmp_path / f"{tag}.csv", tag) for tag in "AB"}
    hashes = {tag: hash_of(path) for tag, path in files.items()}
    timed([str(EXE), "lists", "import", str(files["A"])])
    swap, span = watch([str(EXE), "lists", "import", str(files["B"])], home)
    current, seen = "B", {"old": 0, "new": 0}
    outcomes: list[tuple[float, str]] = []
    for run, delay in enumerate(delays(swap, span, 11, seen, outcomes)):
        target = "B" if current == "A" else "A"
        code = kill_at_random([str(EXE), "lists", "import", str(files[target])], delay)
        (found,) = observe(home, ("us_csl",))
        assert found in (hashes[current], hashes[target]), f"run {run}: a mix ({delay:.2f}s)"
        if code == 0:
            assert found == hashes[target]
        outcome = "new" if found == hashes[target] else "old"
        seen[outcome] += 1
        outcomes.append((delay, outcome))
        current = target if found == hashes[target] else current
        # The next import succeeds (in process: the store accepts the write right away).
        store = ListStore(home)
        other = "B" if current == "A" else "A"
        assert store.save(load(files[other])).info.content_hash == hashes[other]
        current = other
    print(f"swap at {swap:.2f}s of {span:.2f}s; kills that left the old lists, the new: {seen}")
    assert sum(seen.values()) >= RUNS and min(seen.values()) >= 2, seen
    # And a whole import from the command line, to the end: index cached, nothing left over.
    final = "B" if current == "A" else "A"
    timed([str(EXE), "lists", "import", str(files[final])])
    assert observe(home, ("us_csl",)) == (hashes[final],)
    assert not list((home / "cache").glob(".*.tmp"))


def test_killed_updates_leave_all_old_or_all_new(
    home: Path, tmp_path: Path, list_server: str
) -> None:
    url, root = list_server, tmp_path / "www"
    versions = {
        tag: (csl_file(tmp_path / f"{tag}.csv", tag), un_file(tmp_path / f"{tag}.xml", tag))
        for tag in "AB"
    }
    hashes = {tag: (hash_of(c), hash_of(u)) for tag, (c, u) in versions.items()}

    def publish(tag: str) -> None:
        csl, un = versions[tag]
        shutil.copy(csl, root / "consolidated.csv")
        shutil.copy(un, root / "consolidated.xml")

    command = [str(EXE), "lists", "update", "--base-url", url]
    for dataset in ("us_csl", "un_sc", "ofac_sdn"):
        command += ["--list", dataset]
    publish("A")
    timed(command)
    publish("B")
    swap, span = watch(command, home)
    current, seen = "B", {"old": 0, "new": 0}
    outcomes: list[tuple[float, str]] = []
    for run, delay in enumerate(delays(swap, span, 13, seen, outcomes)):
        target = "B" if current == "A" else "A"
        publish(target)
        code = kill_at_random(command, delay)
        found = observe(home, ("us_csl", "un_sc"))
        assert found in (hashes[current], hashes[target]), f"run {run}: a mix ({delay:.2f}s)"
        if code == 0:
            assert found == hashes[target]
        outcome = "new" if found == hashes[target] else "old"
        seen[outcome] += 1
        outcomes.append((delay, outcome))
        current = target if found == hashes[target] else current
        # The next update succeeds (in process: the store accepts the swap right away).
        other = "B" if current == "A" else "A"
        publish(other)
        update(ListStore(home), ["us_csl", "un_sc", "ofac_sdn"], url)
        assert observe(home, ("us_csl", "un_sc")) == hashes[other]
        current = other
    print(f"swap at {swap:.2f}s of {span:.2f}s; kills that left the old lists, the new: {seen}")
    assert sum(seen.values()) >= RUNS and min(seen.values()) >= 2, seen
    # And a whole update from the command line, to the end.
    final = "B" if current == "A" else "A"
    publish(final)
    timed(command)
    assert observe(home, ("us_csl", "un_sc")) == hashes[final]
