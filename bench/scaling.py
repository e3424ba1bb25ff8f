"""Cost per query and memory as the list grows: 1x, 3x and 10x the reference lists.

    .venv/bin/python bench/scaling.py

The reference lists (CSL + OFAC SDN, about 13k entries) are grown with synthetic entries made
the way real lists grow: new parties whose names mix existing name words with new ones
(seeded, reproducible). Each size is built in its own process and saved through the index
cache as `chipbridge lists import` saves it, reporting the build time and the peak memory of
build and save. A fresh screening process then loads it as `chipbridge screen-file` would and
reports microseconds per query over the same 2,000 dev-set queries, then over the Chinese
tuning queries (which load the segmenter's CC-CEDICT dictionary), and its own peak resident
memory (ru_maxrss) with the dictionary loaded. Sublinear growth means the 10x list costs far
less than 10x per query.
"""

from __future__ import annotations

import csv
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import Screener
from chipbridge.screening.index import NameIndex
from chipbridge.screening.model import Alias, Entry
from chipbridge.store import index_cache
from common import DEV_SET, reference_snapshots, require

ZH_QUERIES = Path(__file__).resolve().parent / "data" / "zh_tuning.csv"
KEY = "scaling"
SYLLABLES = ["ka", "ri", "mo", "lan", "tech", "sun", "vor", "zel", "pra", "quin", "dor", "mei"]


def peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def grow(entries: list[Entry], factor: int, seed: int = 11) -> list[Entry]:
    rng = random.Random(seed)
    words = [w for e in entries for w in e.name.split() if w.isalpha()]
    out = list(entries)
    for copy in range(1, factor):
        for entry in entries:
            new = [
                rng.choice(words)
                if rng.random() < 0.5
                else "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()
                for _ in entry.name.split()
            ]
            aliases = tuple(Alias(" ".join(reversed(new))) for _ in entry.aliases[:2])
            out.append(
                replace(entry, id=f"{entry.id}-syn{copy}", name=" ".join(new), aliases=aliases)
            )
    return out


def build(factor: int, cache: Path) -> None:
    grown = grow([e for s in reference_snapshots() for e in s.entries], factor)
    started = time.perf_counter()
    index = NameIndex(grown)
    built = time.perf_counter() - started
    index_cache.save(cache, KEY, index)
    print(
        json.dumps(
            {
                "entries": len(grown),
                "names": len(index.name_entry),
                "build_s": round(built, 1),
                "build_peak_mb": peak_mb(),
            }
        )
    )


def serve(cache: Path) -> None:
    index = index_cache.load(cache, KEY)
    assert index is not None, "the build step saved no index"
    screener = Screener(index)
    gc.collect()
    gc.freeze()
    queries = [r["query"] for r in csv.DictReader(DEV_SET.open(encoding="utf-8"))][:2000]
    for q in queries[:200]:
        screener.screen(q)
    started = time.perf_counter()
    for q in queries:
        screener.screen(q)
    per_query = (time.perf_counter() - started) / len(queries) * 1e6
    # Chinese queries load the segmenter's dictionary: the peak is taken with it loaded.
    chinese = [r["query"] for r in csv.DictReader(ZH_QUERIES.open(encoding="utf-8"))]
    started = time.perf_counter()
    for q in chinese:
        screener.screen(q)
    per_chinese = (time.perf_counter() - started) / len(chinese) * 1e6
    print(
        json.dumps(
            {
                "us_per_query": round(per_query),
                "us_per_chinese_query": round(per_chinese),
                "peak_mb": peak_mb(),
            }
        )
    )


def run(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    require(DEV_SET)
    if len(sys.argv) == 4:
        {
            "build": lambda: build(int(sys.argv[2]), Path(sys.argv[3])),
            "serve": lambda: serve(Path(sys.argv[3])),
        }[sys.argv[1]]()
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="chipbridge-scaling-") as tmp:
        for factor in (1, 3, 10):
            cache = Path(tmp) / f"cache-{factor}"
            row = {"factor": factor, **run("build", str(factor), str(cache))}
            row.update(run("serve", str(factor), str(cache)))
            rows.append(row)
    base = float(rows[0]["us_per_query"])  # type: ignore[arg-type]
    for row in rows:
        print(
            f"{row['factor']:>2}x: {row['entries']:>7,} entries, {row['names']:>7,} names, "
            f"build {row['build_s']:>5}s (peak {row['build_peak_mb']} MB); screening: "
            f"{row['us_per_query']:>4} us/query ({float(row['us_per_query']) / base:.2f}x), "  # type: ignore[arg-type]
            f"Chinese {row['us_per_chinese_query']} us/query (first loads the dictionary); "
            f"peak {row['peak_mb']} MB with the dictionary loaded"
        )


if __name__ == "__main__":
    main()
