"""Single-query latency: in-process p50/p99, and `chipbridge screen` as a fresh process.

    .venv/bin/python bench/latency.py

In-process: the dev-set queries, each screened once after a warm-up on 500 others (a
long-running service is warm; no query is repeated, so no result cache helps). Fresh process:
the console script, ten times, against CSL + OFAC SDN imported into a scratch home whose index
cache was built by a first call.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEV_SET, LISTS, reference_screener, require

CLI = Path(sys.executable).parent / "chipbridge"


def main() -> None:
    require(DEV_SET)
    screener = reference_screener()
    queries = [r["query"] for r in csv.DictReader(DEV_SET.open(encoding="utf-8"))]
    for q in queries[:500]:
        screener.screen(q)
    times = []
    for q in queries[500:]:
        started = time.perf_counter()
        screener.screen(q)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99)]
    print(
        f"in-process screen(), {len(times)} queries: p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms, max {times[-1]:.2f} ms"
    )

    with tempfile.TemporaryDirectory(prefix="chipbridge-bench-") as tmp:
        env = dict(os.environ, CHIPBRIDGE_HOME=str(Path(tmp) / "home"))
        for path in (LISTS / "us_csl.csv", LISTS / "ofac_sdn"):
            subprocess.run([CLI, "lists", "import", path], env=env, check=True, capture_output=True)
        subprocess.run([CLI, "screen", "warm"], env=env, check=True, capture_output=True)
        runs = []
        for name in (
            "中芯国际",
            "Huawei Technologies",
            "BANCO NACIONAL DE CUBA",
            "Zhou Zixue",
            "Intel",
        ) * 2:
            started = time.perf_counter()
            subprocess.run(
                [CLI, "screen", name, "--json"], env=env, check=True, capture_output=True
            )
            runs.append(time.perf_counter() - started)
        print(
            f"`chipbridge screen` fresh process, {len(runs)} runs: "
            f"median {statistics.median(runs):.2f} s, max {max(runs):.2f} s"
        )


if __name__ == "__main__":
    main()
