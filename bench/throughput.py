"""screen-file throughput, whole process, against CSL + OFAC SDN.

    .venv/bin/python bench/throughput.py [--rows 40000] [--workers 2]

Imports the reference lists into a scratch CHIPBRIDGE_HOME, builds the index cache once, writes
an input CSV of unique queries (the dev-set queries plus seeded one-letter mutations of them,
so no result cache can help), then times `chipbridge screen-file` as a fresh process: start-up,
index load, reading, screening and writing included.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEV_SET, LISTS, require

CLI = Path(sys.executable).parent / "chipbridge"


def queries(count: int, seed: int = 7) -> list[str]:
    base = [r["query"] for r in csv.DictReader(DEV_SET.open(encoding="utf-8"))]
    rng = random.Random(seed)
    out = list(base)
    letters = "abcdefghijklmnopqrstuvwxyz"
    while len(out) < count:
        q = rng.choice(base)
        i = rng.randrange(len(q))
        out.append(q[:i] + rng.choice(letters) + q[i + 1 :])
    return out[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    require(DEV_SET, LISTS / "us_csl.csv", LISTS / "ofac_sdn")
    with tempfile.TemporaryDirectory(prefix="chipbridge-bench-") as tmp:
        env = dict(os.environ, CHIPBRIDGE_HOME=str(Path(tmp) / "home"))
        for path in (LISTS / "us_csl.csv", LISTS / "ofac_sdn"):
            subprocess.run([CLI, "lists", "import", path], env=env, check=True, capture_output=True)
        subprocess.run(
            [CLI, "screen", "warm up the index cache"], env=env, check=True, capture_output=True
        )
        source = Path(tmp) / "in.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name"])
            writer.writerows([str(i), q] for i, q in enumerate(queries(args.rows)))
        out = Path(tmp) / "hits.csv"
        started = time.perf_counter()
        done = subprocess.run(
            [
                CLI,
                "screen-file",
                source,
                "--out",
                out,
                "--id-column",
                "id",
                "--workers",
                str(args.workers),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        print(done.stdout.strip())
        print(
            f"screen-file, {args.rows:,} unique queries, {args.workers} workers, whole process: "
            f"{elapsed:.2f}s = {args.rows / elapsed:,.0f} queries/s"
        )


if __name__ == "__main__":
    main()
