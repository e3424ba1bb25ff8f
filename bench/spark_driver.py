"""The Spark side of bench/spark_batch.py: one job in a fresh driver, measured from inside.

    .venv/bin/python bench/spark_driver.py MASTER INPUT OUTPUT

Starts a session, runs the chipbridge job (the same `run_job` that `spark-submit` runs),
then, before stopping the session, reads the peak resident set (VmHWM) of the driver's
Python process, of its JVM (in local mode the JVM runs the executors' tasks too) and of the
largest Python worker (the executor side, which holds the index), and the CPU time of all
of them. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_common import cpu_seconds, descendants, peak_kib
from chipbridge.batch.files import Format
from chipbridge.batch.spark import _default_screener, run_job, spark_session


def main() -> None:
    master, source, output = sys.argv[1:4]
    started = time.perf_counter()
    screener = _default_screener()
    with spark_session(master, quiet=True) as spark:
        up = time.perf_counter() - started
        summary = run_job(spark, source, output, Format.parquet, Format.csv, "name", "id", screener)
        jvm = spark.sparkContext._gateway.proc.pid
        workers = [p for p in descendants(jvm) if p != jvm]
        figures = {
            "session_seconds": up,
            "job_seconds": summary.seconds,
            "rows": summary.rows,
            "hits": summary.hits,
            "driver_python_mib": peak_kib(os.getpid()) / 1024,
            "driver_jvm_mib": peak_kib(jvm) / 1024,
            "python_worker_mib": max((peak_kib(p) for p in workers), default=0) / 1024,
            "python_workers": len(workers),
            "cpu_seconds": sum(cpu_seconds(p) for p in descendants(os.getpid())),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
