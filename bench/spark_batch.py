"""Spark local[2] against the local engine on the same unique names, and the driver's memory.

    .venv/bin/python bench/spark_batch.py [--rows 200000,2000000] [--master local[2]]

For each input size (bench/names.py unique names, CSV, against CSL + OFAC SDN) it runs
`chipbridge screen-file --workers 2` and the Spark job (bench/spark_driver.py: the job
`spark-submit` runs, reading the CSV with Spark's reader and writing Parquet with Spark's
writer), each as a fresh process, and prints:
- rows/s: whole process, and screening only (local: as screen-file reports it; Spark: the
  job once the session is up, index broadcast and Python workers' start included);
- the Spark driver's peak memory: its Python process and its JVM (in local mode the JVM also
  runs the executors' tasks), and the largest Python worker (the executor side, which holds
  the index). The driver must stay flat as rows grow: no row passes through it;
- rows per CPU-second of each (see batch_common.py).
Target: Spark >= 1/3 of the local rate once the session is up.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_common import load, measure, prepare_home, screen_file, write_input

HERE = Path(__file__).resolve().parent


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=numbers, default=[200_000, 2_000_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--no-local", action="store_true", help="Spark only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chipbridge-bench-") as tmp:
        env = prepare_home(Path(tmp))
        print(f"before: {load()}", flush=True)
        for rows in args.rows:
            source = write_input(Path(tmp) / f"in-{rows}.csv", rows)
            local_rate = None
            if not args.no_local:
                out = Path(tmp) / "hits.csv"
                run = measure(screen_file(source, out, 2), env)
                local_rate = float(run.stdout.split("(")[1].split("/s")[0].replace(",", ""))
                print(
                    f"  local, 2 workers: {rows / run.seconds:,.0f} rows/s whole process, "
                    f"{local_rate:,.0f} rows/s screening, {rows / run.cpu_seconds:,.0f} rows per "
                    f"CPU-second; max RSS {run.max_rss_mib:.0f} MiB",
                    flush=True,
                )
                out.unlink()
            output = Path(tmp) / "spark-out"
            run = measure(
                [sys.executable, HERE / "spark_driver.py", args.master, source, output], env
            )
            figures = json.loads(run.stdout.splitlines()[-1])
            rate = rows / figures["job_seconds"]
            print(
                f"  spark {args.master}: {rows / run.seconds:,.0f} rows/s whole process "
                f"(session up in {figures['session_seconds']:.0f}s), {rate:,.0f} rows/s once "
                f"the session is up"
                + (f" = {rate / local_rate:.2f} of local" if local_rate else "")
                + f"; {rows / figures['cpu_seconds']:,.0f} rows per CPU-second",
                flush=True,
            )
            print(
                f"  spark driver peak: Python {figures['driver_python_mib']:.0f} MiB, "
                f"JVM {figures['driver_jvm_mib']:.0f} MiB; largest Python worker "
                f"{figures['python_worker_mib']:.0f} MiB ({figures['python_workers']} "
                f"processes); whole run peak PSS {run.peak_pss_mib:.0f} MiB",
                flush=True,
            )
            source.unlink()
            for part in sorted(output.rglob("*"), reverse=True):
                part.unlink() if part.is_file() else part.rmdir()
            output.rmdir()
        print(f"after: {load()}")


if __name__ == "__main__":
    main()
