"""A/B of bench/throughput.py: one input, one scratch home per tree, runs alternated.

    python bench/throughput_ab.py --tree /tmp/old/src --tree src --rows 20000 --rounds 3

Prints each run (rows/s, rows per CPU-second) and the output's digest: equal digests,
equal hits.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_common import load, measure, prepare_home, screen_file, write_input


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", action="append", required=True)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chipbridge-ab-") as tmp:
        source = write_input(Path(tmp) / "in.csv", args.rows)
        envs = {}
        for i, tree in enumerate(args.tree):
            os.environ["PYTHONPATH"] = str(Path(tree).resolve())
            envs[tree] = prepare_home(Path(tmp) / f"t{i}")
        print(f"before: {load()}", flush=True)
        for r in range(args.rounds):
            for tree, env in envs.items():
                out = Path(tmp) / "hits.csv"
                run = measure(screen_file(source, out, args.workers), env)
                digest = hashlib.md5(out.read_bytes()).hexdigest()[:10]
                print(
                    f"round {r} {tree}: {run.seconds:.2f} s, {args.rows / run.seconds:,.0f} "
                    f"rows/s, {args.rows / run.cpu_seconds:,.0f} rows/CPU-s, output {digest}",
                    flush=True,
                )
                out.unlink()
        print(f"after: {load()}")


if __name__ == "__main__":
    main()
