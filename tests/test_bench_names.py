"""The benchmarks' generated queries (bench/names.py) are the same in every process.

A benchmark run writes its input afresh; if the names followed the process's string hash
seed, two runs of the same code would screen different rows and report different hit
counts, which reads as an irreproducible answer of the engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("faker")

BENCH = Path(__file__).resolve().parent.parent / "bench"

# The name parts every locale's names are drawn from, with the seed unique_names uses.
HARVEST = """
import random, sys
sys.path.insert(0, sys.argv[1])
from names import LOCALES, _Locale
rng = random.Random(7)
for locale in LOCALES:
    parts = _Locale(locale, rng)
    print(locale, parts.first, parts.last, parts.places, parts.companies)
"""


def _harvest(hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    done = subprocess.run(
        [sys.executable, "-c", HARVEST, str(BENCH)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def test_name_parts_do_not_follow_the_hash_seed() -> None:
    first, second = _harvest("1"), _harvest("2")
    assert first.count("\n") == 17
    pairs = zip(first.splitlines(), second.splitlines(), strict=True)
    differing = [a.split(" ", 1)[0] for a, b in pairs if a != b]
    assert differing == []
