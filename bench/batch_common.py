"""Set-up shared by the batch benchmarks: lists, unique input files, and measured processes.

Every figure is for a whole process started the way a user starts it. The machine is shared,
so besides wall-clock rates the benchmarks print rows per CPU-second (user + system time of
every process of the run), which other work on the machine disturbs far less; it is the
per-core rate a dedicated core would reach. Memory is measured from outside: the largest
resident set of any process of the run (``ru_maxrss`` from ``wait4``, exact), and the run's
peak total proportional set size (PSS: shared pages split between the processes sharing
them, so forked workers are not counted twice), sampled twice a second from ``/proc``.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from common import LISTS, require
from names import unique_names

CLI = Path(sys.executable).parent / "chipbridge"


def load() -> str:
    """How busy the machine is (the benchmarks share it with other work)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def prepare_home(root: Path) -> dict[str, str]:
    """A scratch CHIPBRIDGE_HOME with CSL + OFAC SDN imported and the index cache built."""
    require(LISTS / "us_csl.csv", LISTS / "ofac_sdn")
    env = dict(os.environ, CHIPBRIDGE_HOME=str(root / "home"), PYSPARK_PYTHON=sys.executable)
    for path in (LISTS / "us_csl.csv", LISTS / "ofac_sdn"):
        subprocess.run([CLI, "lists", "import", path], env=env, check=True, capture_output=True)
    subprocess.run([CLI, "screen", "warm up the cache"], env=env, check=True, capture_output=True)
    return env


def write_input(path: Path, rows: int) -> Path:
    """An (id, name) CSV of ``rows`` unique queries (see names.py)."""
    started = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows((f"q{i}", name) for i, name in enumerate(unique_names(rows)))
    print(
        f"  input: {rows:,} unique names, {path.stat().st_size / 2**20:.0f} MiB, "
        f"generated in {time.perf_counter() - started:.0f}s",
        flush=True,
    )
    return path


def screen_file(source: Path, out: Path, workers: int) -> list[str | Path]:
    """The command line of a screen-file run on the benchmark input."""
    return [
        CLI,
        "screen-file",
        source,
        "--out",
        out,
        "--id-column",
        "id",
        "--workers",
        str(workers),
    ]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    tree = _children()
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def _kib(pid: int, field: str, file: str = "smaps_rollup") -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time of a running process and of its children it has already reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def peak_kib(pid: int) -> int:
    """A running process's own peak resident set (VmHWM)."""
    return _kib(pid, "VmHWM", "status")


@dataclass(frozen=True)
class Run:
    seconds: float
    stdout: str
    max_rss_mib: float  # the largest single process of the run
    peak_pss_mib: float  # all processes of the run together, at the worst moment
    cpu_seconds: float  # user + system time of every process of the run


def measure(command: list[str | Path], env: dict[str, str]) -> Run:
    """Run ``command`` to the end, timing it and watching the memory of its process tree."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], sum(_kib(p, "Pss") for p in descendants(process.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"{command[:3]} failed ({process.returncode}):\n{err.read()[-3000:]}")
        return Run(
            seconds,
            out.read().strip(),
            usage.ru_maxrss / 1024,
            peak[0] / 1024,
            usage.ru_utime + usage.ru_stime,
        )
