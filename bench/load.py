"""Load on the real server: `/api/v1/screen` at a fixed rate, then stepped up to saturation.

    .venv/bin/python bench/load.py                    # 200 req/s for 60 s, then the steps
    .venv/bin/python bench/load.py --rate 300 --duration 20 --no-steps

The server is started the way users start it (`chipbridge serve`, on a free loopback port)
in a scratch CHIPBRIDGE_HOME with the US CSL and OFAC SDN imported (from ../shared; the
built-in list alone when absent), and a reviewer's API token made with `chipbridge users
add` and `chipbridge tokens create`. Nothing but 127.0.0.1 is contacted, every phase is
bounded in time, and the server is stopped at the end.

Open loop: request i is due at start + i/rate whatever earlier requests are doing, and its
latency counts from that instant, waiting for one of the client's connections included (a
backlog is the server's, not hidden).
Names are a fixed mix: half Latin (the dev set's queries, or the built-in list's names),
half Chinese (registered Chinese names and made-up company names of the same shape).
An error is any answer other than 200, a timeout (5 s) or a failed connection.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import chipbridge
from common import DEV_SET, LISTS

CLI = Path(sys.executable).parent / "chipbridge"
DATA = Path(chipbridge.__file__).resolve().parent / "data"
TIMEOUT = 5.0  # seconds from a request's planned instant to its answer
CONNECTIONS = 64
TARGET_P99_MS = 50.0
STEPS = (50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000)
STEP_SECONDS = 15
SEED = 1


@dataclass(frozen=True, slots=True)
class Result:
    rate: int
    seconds: float
    sent: int
    ok: int
    errors: int
    p50: float
    p99: float
    worst: float
    achieved: float  # answers per second over the phase
    lag99: float  # how late the client scheduled (p99, ms): high means the client is starved
    server_cpu: float  # server CPU time per request, ms (user + system)
    client_cpu: float  # this process's CPU time per request, ms

    def line(self) -> str:
        return (
            f"{self.rate:>5} req/s x {self.seconds:.0f} s: {self.sent} sent, {self.errors} errors, "
            f"p50 {self.p50:.1f} ms, p99 {self.p99:.1f} ms, max {self.worst:.1f} ms, "
            f"{self.achieved:.0f} answers/s; CPU per request: server {self.server_cpu:.2f} ms, "
            f"client {self.client_cpu:.2f} ms; client schedule lag p99 {self.lag99:.1f} ms"
        )

    @property
    def keeps_up(self) -> bool:
        return self.errors == 0 and self.p99 <= TARGET_P99_MS


def names(count: int) -> list[str]:
    """A fixed mix of Latin and Chinese names, shuffled with a fixed seed."""
    rng = random.Random(SEED)
    if DEV_SET.exists():
        import csv

        latin = [r["query"] for r in csv.DictReader(DEV_SET.open(encoding="utf-8"))]
    else:
        listed = yaml.safe_load((DATA / "builtin_list.yml").read_text(encoding="utf-8"))
        latin = [e["name"] for e in listed["entries"]]
    registry = yaml.safe_load((DATA / "zh_aliases.yml").read_text(encoding="utf-8"))
    known = [zh for entry in registry["entries"] for zh in entry["zh"]]
    cities = ["北京", "上海", "深圳", "杭州", "武汉", "成都", "苏州", "合肥", "西安", "南京"]
    cores = ["星辰", "远航", "科创", "华芯", "晶微", "海川", "东方", "恒通", "博达", "新宇"]
    kinds = ["科技有限公司", "半导体有限公司", "电子股份有限公司", "微电子有限公司", "集团"]
    made_up = [f"{c}{w}{k}" for c in cities for w in cores for k in kinds]
    chinese = known * 4 + made_up
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in chinese)
    mix = [rng.choice(latin) if i % 2 else rng.choice(chinese) for i in range(count)]
    rng.shuffle(mix)
    return mix


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare(home: Path) -> tuple[str, str]:
    """Lists, an account and its token, as an operator would make them; (lists, token)."""
    env = dict(os.environ, CHIPBRIDGE_HOME=str(home))
    env.pop("CHIPBRIDGE_DATABASE_URL", None)
    imported = []
    for path in (LISTS / "us_csl.csv", LISTS / "ofac_sdn"):
        if path.exists():
            subprocess.run([CLI, "lists", "import", path], env=env, check=True, capture_output=True)
            imported.append(path.name)
    email = "load@bench.example.org"
    subprocess.run(
        [CLI, "users", "add", email, "--role", "reviewer"], env=env, check=True, capture_output=True
    )
    made = subprocess.run(
        [CLI, "tokens", "create", email, "--name", "load", "--scope", "read"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lists = " + ".join(imported) if imported else "the built-in list only (../shared absent)"
    return lists, made.stdout.strip().splitlines()[-1]


def serve(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CHIPBRIDGE_HOME=str(home))
    env.pop("CHIPBRIDGE_DATABASE_URL", None)
    server = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start within 120 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children (its workers), from
    Linux's /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(child)) for child in children)


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """One HTTP/1.1 request on a kept-alive connection; the answer's status."""
    writer.write(request)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def phase(
    base: str, token: str, server: int, rate: int, seconds: float, queries: list[str]
) -> Result:
    """Send rate x seconds requests on a fixed schedule; wait for every answer.

    The client is a minimal HTTP/1.1 one over CONNECTIONS kept-alive sockets, so that it
    costs the shared cores little (httpx spends milliseconds per request, and its pool
    bookkeeping grows with the backlog exactly when the server falls behind). A request
    waiting for a free connection is still timed from its planned instant.
    """
    total = int(rate * seconds)
    latencies: list[float] = []
    lags: list[float] = []
    errors = 0
    cpu_before, own_before = cpu_seconds(server), time.process_time()
    host, port = base.removeprefix("http://").split(":")
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    async def connection() -> None:
        nonlocal errors
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while (item := await queue.get()) is not None:
            i, planned = item
            target = "/api/v1/screen?" + urlencode({"name": queries[i]})
            request = (
                f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {token}\r\n\r\n"
            ).encode()
            status = 0
            try:
                async with asyncio.timeout(max(planned + TIMEOUT - time.perf_counter(), 0.001)):
                    if reader is None or writer is None:
                        reader, writer = await asyncio.open_connection(host, int(port))
                    status = await _exchange(reader, writer, request)
            except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
                if writer is not None:
                    writer.close()  # a broken or late exchange: the next one reconnects
                reader = writer = None
            if status == 200:
                latencies.append((time.perf_counter() - planned) * 1000)
            else:
                errors += 1
        if writer is not None:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(CONNECTIONS)]
    loop_start = time.perf_counter() + 0.05
    for i in range(total):
        planned = loop_start + i / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append((time.perf_counter() - planned) * 1000)
        queue.put_nowait((i % len(queries), planned))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - loop_start
    server_cpu = (cpu_seconds(server) - cpu_before) / total * 1000
    client_cpu = (time.process_time() - own_before) / total * 1000
    latencies.sort()
    lags.sort()

    def pct(p: float, values: list[float] = latencies) -> float:
        return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0

    return Result(
        rate=rate,
        seconds=seconds,
        sent=total,
        ok=len(latencies),
        errors=errors,
        p50=pct(0.50),
        p99=pct(0.99),
        worst=latencies[-1] if latencies else 0.0,
        achieved=len(latencies) / elapsed,
        lag99=pct(0.99, lags),
        server_cpu=server_cpu,
        client_cpu=client_cpu,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=200, help="requests per second")
    parser.add_argument("--duration", type=float, default=60, help="seconds at --rate")
    parser.add_argument("--no-steps", action="store_true", help="skip the saturation steps")
    parser.add_argument("--workers", type=int, default=1, help="chipbridge serve --workers")
    args = parser.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    queries = names(4000)
    with tempfile.TemporaryDirectory(prefix="chipbridge-load-") as tmp:
        home = Path(tmp) / "home"
        lists, token = prepare(home)
        port = free_port()
        server = serve(home, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            print(f"server: chipbridge serve --workers {args.workers} on {base}, lists: {lists}")

            def run(rate: int, seconds: float) -> Result:
                return asyncio.run(phase(base, token, server.pid, rate, seconds, queries))

            run(50, 4)  # warm-up, not reported
            main_result = run(args.rate, args.duration)
            verdict = "meets" if main_result.keeps_up else "MISSES"
            print(f"{main_result.line()}  [{verdict} p99 <= {TARGET_P99_MS:.0f} ms, 0 errors]")
            if not args.no_steps:
                # Up from the main rate while it keeps up, or down until it does.
                up = main_result.keeps_up
                steps = (
                    [r for r in STEPS if r > args.rate]
                    if up
                    else sorted((r for r in STEPS if r < args.rate), reverse=True)
                )
                print(f"steps of {STEP_SECONDS} s, {'up' if up else 'down'}:")
                good = args.rate if up else None
                for rate in steps:
                    result = run(rate, STEP_SECONDS)
                    print("  " + result.line())
                    keeps_up = result.keeps_up and result.achieved >= 0.95 * rate
                    if up and not keeps_up:
                        break
                    if keeps_up:
                        good = rate
                        if not up:
                            break
                print(
                    f"saturation: p99 <= {TARGET_P99_MS:.0f} ms with no errors up to "
                    f"{good or 'below ' + str(STEPS[0])} req/s"
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    load = os.getloadavg()
    print(f"machine load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
