"""The Spark batch path gives the same file as the local one (local[2] Spark, real JVM)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from chipbridge.batch.screen_file import screen_file
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin

pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime")


def test_spark_matches_local(tmp_path: Path) -> None:
    from chipbridge.batch.spark import screen_file_spark

    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        names = [
            "中芯国际",
            "Intel Corporation",
            "Huawei Technologies Co Ltd",
            "SMIC",
            "海思半导体",
        ]
        writer.writerows([f"r{i}", name] for i, name in enumerate(names * 20))
    screener = Screener.from_snapshots([builtin.load()])
    local, spark = tmp_path / "local.csv", tmp_path / "spark.csv"
    expected = screen_file(screener, source, local, "name", "id")
    summary = screen_file_spark(screener, source, spark, "name", "id", master="local[2]")
    assert spark.read_bytes() == local.read_bytes()
    assert (summary.rows, summary.rows_with_hits, summary.hits) == (
        expected.rows,
        expected.rows_with_hits,
        expected.hits,
    )
    assert summary.hits > 0
