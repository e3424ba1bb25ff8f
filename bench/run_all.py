"""Run every benchmark in turn (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "accuracy.py",
    "latin.py",
    "cross_script.py",
    "pairs.py",
    "latency.py",
    "throughput.py",
    "scaling.py",
    "load.py",
    "list_versions.py",
    "ownership.py",
)

if __name__ == "__main__":
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, HERE / script], check=True)
