"""Golden answers: every hit of a fixed query set, to show that a speed change changed no result.

    .venv/bin/python bench/golden.py record bench/out/golden.jsonl   # answers of this code
    .venv/bin/python bench/golden.py check bench/out/golden.jsonl    # same answers now?

Another engine's answers (an older commit, main) are recorded by running this script with
that tree's ``src`` first on the path: ``PYTHONPATH=/tmp/main/src .venv/bin/python ...``.
``check`` screens the queries stored in the file, not newly generated ones: the answers of
two engines must be compared on the same queries, and files recorded before bench/names.py
pinned the order of Faker's data hold names that followed that process's string hash seed.

The queries, generated the same way every time: the dev set (../shared/bench), the Latin set
(bench/latin_queries.py), the Chinese sets but the held-out half (bench/data/zh_*.csv: its
rows are never written to a file nor shown) and 3,000 unique names of bench/names.py. The
lists: the built-in list, the CSL, the OFAC SDN and the OFAC consolidated list. Each query
is screened three ways: as screen-file does (default threshold, 5 hits), with every near
miss (threshold 0, 10 hits: the candidate search and the scorer both show), and with a type
hint (dev-set rows, whose kind is known). A hit is recorded as its entry,
score (4 decimals), other listings and reason.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import EntityType, Hit, Screener, UnscreenableName
from chipbridge.screening.sources import builtin, load
from common import DEV_SET, LISTS, require

DATA = Path(__file__).resolve().parent / "data"
UNIQUE = 3000
MODES: dict[str, dict[str, object]] = {
    "default": {},
    "near": {"threshold": 0.0, "limit": 10},
}
KINDS = {"individual": EntityType.PERSON, "entity": EntityType.COMPANY}


def queries() -> Iterator[tuple[str, str, EntityType | None]]:
    """(set, query, type hint or None), in a fixed order."""
    from latin_queries import generate
    from names import unique_names

    for row in csv.DictReader(DEV_SET.open(encoding="utf-8")):
        yield "dev", row["query"], KINDS.get(row["kind"])
    for q in generate():
        yield "latin", q.query, None
    for path in sorted(DATA.glob("zh_*.csv")):
        if path.name == "zh_heldout.csv":
            continue  # held-out rows are never written to a file nor shown as moved
        for row in csv.DictReader(path.open(encoding="utf-8")):
            yield path.stem, row["query"], None
    for name in unique_names(UNIQUE):
        yield "unique", name, None


def stored(lines: list[dict[str, object]]) -> Iterator[tuple[str, str, EntityType | None]]:
    """The queries of a recorded file, in its order, each with its type hint.

    Every query starts with its "default" answer; a "type=..." answer gives its hint.
    """
    for i, line in enumerate(lines):
        if line["mode"] != "default":
            continue
        hint = None
        after = lines[i + len(MODES)] if i + len(MODES) < len(lines) else None
        if after is not None and str(after["mode"]).startswith("type="):
            hint = EntityType(str(after["mode"]).removeprefix("type="))
        yield str(line["set"]), str(line["q"]), hint


def screener() -> Screener:
    require(LISTS / "us_csl.csv", LISTS / "ofac_sdn", LISTS / "ofac_cons")
    snapshots = [
        builtin.load(),
        *(load(LISTS / n) for n in ("us_csl.csv", "ofac_sdn", "ofac_cons")),
    ]
    return Screener.from_snapshots(snapshots)


def record(hit: Hit) -> list[object]:
    return [
        f"{hit.entry.dataset}:{hit.entry.id}",
        f"{hit.score:.4f}",
        [f"{e.dataset}:{e.id}" for e in hit.also_listed],
        hit.reason,
    ]


def answers(
    rows: Iterator[tuple[str, str, EntityType | None]],
) -> Iterator[dict[str, object]]:
    engine = screener()
    for kind, query, hint in rows:
        for mode, options in MODES.items():
            yield {"set": kind, "q": query, "mode": mode, "hits": screen(engine, query, options)}
        if hint is not None:
            hits = screen(engine, query, {"type": hint})
            yield {"set": kind, "q": query, "mode": f"type={hint.value}", "hits": hits}


def screen(engine: Screener, query: str, options: dict[str, object]) -> list[list[object]] | str:
    try:
        return [record(h) for h in engine.screen(query, **options)]  # type: ignore[arg-type]
    except UnscreenableName:
        return "unscreenable"


def changes(recorded: object, now: object) -> list[str]:
    """What differs between two answers: each listing whose rank or score changed, came or
    went, else the first reason that changed (hits are [id, score, also, reason])."""
    if not isinstance(recorded, list) or not isinstance(now, list):
        return [f"recorded {recorded!r:.200}", f"now {now!r:.200}"]
    before = {h[0]: (rank, h[1]) for rank, h in enumerate(recorded, 1)}
    after = {h[0]: (rank, h[1]) for rank, h in enumerate(now, 1)}
    out = [
        f"{key}: {' '.join(map(str, before.get(key, ('-', '-'))))} -> "
        f"{' '.join(map(str, after.get(key, ('-', '-'))))} (rank score)"
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    ]
    if out:
        return out
    for old, new in zip(recorded, now, strict=True):
        if old != new:
            return [
                f"{old[0]}: reason {json.dumps(old[3], ensure_ascii=False)[-300:]}",
                f"{' ' * len(old[0])}  now    {json.dumps(new[3], ensure_ascii=False)[-300:]}",
            ]
    return []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--show", type=int, default=10, help="differences to print")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.action == "record":
        args.file.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with args.file.open("w", encoding="utf-8") as out:
            for line in answers(queries()):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
        print(f"{count} answers recorded in {args.file} ({time.perf_counter() - started:.0f}s)")
        return
    expected = [json.loads(line) for line in args.file.open(encoding="utf-8")]
    got = list(answers(stored(expected)))
    differ = [(e, g) for e, g in zip(expected, got, strict=True) if e != g]
    for e, g in differ[: args.show]:
        print(f"[{e['set']} {e['mode']}] {e['q']!r}")
        for line in changes(e["hits"], g["hits"]):
            print(f"  {line}")
    by_set: dict[str, int] = {}
    for e, _ in differ:
        key = f"{e['set']}/{e['mode']}"
        by_set[key] = by_set.get(key, 0) + 1
    seconds = time.perf_counter() - started
    print(f"{len(differ)} of {len(got)} answers differ {by_set} ({seconds:.0f}s)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
