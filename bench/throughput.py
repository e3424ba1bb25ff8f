"""screen-file throughput and memory, whole process, on unique names against CSL + OFAC SDN.

    .venv/bin/python bench/throughput.py [--rows 100000] [--workers 1,2]
    .venv/bin/python bench/throughput.py --rows 20000,2000000 --workers 2   # streaming

Imports the reference lists into a scratch CHIPBRIDGE_HOME and builds the index cache once,
writes an input CSV of unique names (bench/names.py: varied listed names and generated
non-listed companies and people; no row repeats, so no cache answers twice), then times
`chipbridge screen-file` as a fresh process: start-up, index load, reading, screening and
writing included. For each run it prints rows/s for the whole process and as the command
reports it (screening only), the largest process's peak RSS, the run's peak total PSS, and
rows per CPU-second (the rate per dedicated core, little disturbed by other work).
Target: >= 6,000 rows/s whole process with 2 workers; memory flat as rows grow (2M rows
within 1.5x of 20k rows).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_common import load, measure, prepare_home, screen_file, write_input


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=numbers, default=[100_000], help="comma-separated")
    parser.add_argument("--workers", type=numbers, default=[1, 2], help="comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chipbridge-bench-") as tmp:
        env = prepare_home(Path(tmp))
        print(f"before: {load()}", flush=True)
        print(
            f"{'rows':>10} {'workers':>7} {'seconds':>8} {'rows/s':>7} {'screening/s':>11} "
            f"{'max RSS MiB':>11} {'peak PSS MiB':>12} {'rows/CPU-s':>10}"
        )
        for rows in args.rows:
            source = write_input(Path(tmp) / f"in-{rows}.csv", rows)
            for workers in args.workers:
                out = Path(tmp) / "hits.csv"
                run = measure(screen_file(source, out, workers), env)
                reported = run.stdout.split("(")[1].split("/s")[0]
                print(
                    f"{rows:>10,} {workers:>7} {run.seconds:>8.1f} {rows / run.seconds:>7,.0f} "
                    f"{reported:>11} {run.max_rss_mib:>11.0f} {run.peak_pss_mib:>12.0f} "
                    f"{rows / run.cpu_seconds:>10,.0f}",
                    flush=True,
                )
                print(f"  {run.stdout}", flush=True)
                out.unlink()
            source.unlink()
        print(f"after: {load()}")


if __name__ == "__main__":
    main()
