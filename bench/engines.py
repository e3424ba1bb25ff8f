"""Engines side by side: CPU time per query of two or more source trees, on the same names.

    .venv/bin/python bench/engines.py --engine /tmp/base/src --engine src [--rows 6000]

On a shared machine wall time says more about the neighbours than about the code, so this
measures CPU time (``time.process_time``: user + system of the screening process) and runs
the engines back to back, alternating, ``--rounds`` times. Each engine runs in its own
process with its tree first on ``sys.path`` (an older commit: ``git archive COMMIT | tar -x
-C /tmp/base``), builds its index over the built-in list, the CSL and the OFAC SDN, warms
up on 500 names and screens the rest of the unique names of bench/names.py once each (no
name repeats, so no result cache answers twice). Printed per engine: index build CPU
seconds, queries per CPU-second (all, names with Chinese characters, the others), and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HAN = re.compile(r"[\u3400-\u9fff]")
WARM = 500


def child(names_file: Path) -> None:
    """Runs inside the engine's process (its tree first on sys.path)."""
    sys.path.insert(1, str(HERE))
    from chipbridge.screening import Screener
    from chipbridge.screening.sources import builtin, load
    from common import LISTS

    names = names_file.read_text(encoding="utf-8").splitlines()
    snapshots = [builtin.load(), load(LISTS / "us_csl.csv"), load(LISTS / "ofac_sdn")]
    started = time.process_time()
    screener = Screener.from_snapshots(snapshots)
    build = time.process_time() - started
    for name in names[:WARM]:
        screener.screen(name)
    spent = {"han": 0.0, "latin": 0.0}
    count = {"han": 0, "latin": 0}
    for name in names[WARM:]:
        kind = "han" if HAN.search(name) else "latin"
        started = time.process_time()
        with contextlib.suppress(ValueError):  # a name with nothing to screen
            screener.screen(name)
        spent[kind] += time.process_time() - started
        count[kind] += 1
    print(
        json.dumps(
            {
                "build_s": build,
                "all": sum(count.values()) / sum(spent.values()),
                "han": count["han"] / (spent["han"] or 1e-9),
                "latin": count["latin"] / (spent["latin"] or 1e-9),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", action="append", required=True, help="a tree's src folder")
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from names import unique_names

    with tempfile.TemporaryDirectory(prefix="chipbridge-engines-") as tmp:
        names_file = Path(tmp) / "names.txt"
        names_file.write_text("\n".join(unique_names(args.rows + WARM)), encoding="utf-8")
        results: dict[str, list[dict[str, float]]] = {e: [] for e in args.engine}
        for _ in range(args.rounds):
            for engine in args.engine:
                src = str(Path(engine).resolve())
                env = dict(os.environ, PYTHONPATH=src)
                done = subprocess.run(
                    [sys.executable, __file__, "--child", str(names_file)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results[engine].append(json.loads(done.stdout.strip().splitlines()[-1]))
        one, five, _ = os.getloadavg()
        print(f"{args.rows:,} unique names; load average {one:.1f} (1 min), {five:.1f} (5 min)")
        for engine, runs in results.items():
            best = {k: max(r[k] for r in runs) for k in ("all", "han", "latin")}
            build = min(r["build_s"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            print(
                f"{engine}: build {build:.2f} CPU-s; {best['all']:,.0f} queries/CPU-s "
                f"(Chinese {best['han']:,.0f}, other {best['latin']:,.0f}); peak {peak:.0f} MB"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
    else:
        main()
