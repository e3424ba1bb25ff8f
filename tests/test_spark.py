"""The Spark job on a real local[2] cluster (a real JVM): same hits as the local engine.

One session is created here, as a caller of chipbridge would: every test also checks that
chipbridge left it running.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from chipbridge.batch.files import Format, InputError
from chipbridge.batch.screen_file import OUTPUT_COLUMNS, screen_file
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin

if shutil.which("java") is None:
    # CI installs Java (.ci/run); a machine without it cannot run the Spark job at all.
    pytest.fail("no Java runtime: install a JRE (Debian: default-jre-headless)", pytrace=False)

NAMES = [
    "中芯国际",
    "Intel Corporation",
    "Huawei Technologies Co Ltd",
    "SMIC",
    "海思半导体",
    "",
    "Banco Nacional de Cuba",
    "Northwind Precision Components GmbH",
    'Acme "Quoted", Trading',
    "  Semiconductor Manufacturing International Corp  ",
    "Maria Fernanda Lopez",
    "!!!",
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """The caller's session; small splits so that even test files span several partitions."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("chipbridge tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.files.maxPartitionBytes", "2048")
        .config("spark.sql.files.openCostInBytes", "0")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def session_survives(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test the caller's session still runs jobs."""
    yield
    if "spark" in request.fixturenames:
        session = request.getfixturevalue("spark")
        assert session.range(3).count() == 3


def rows(count: int) -> list[tuple[str, str]]:
    """(id, name) rows cycling through NAMES, made distinct except for the unscreenable ones."""
    out = []
    for i in range(count):
        name = NAMES[i % len(NAMES)]
        if i >= len(NAMES) and name.strip(" !"):
            name = f"{name} {i}"
        out.append((f"r{i}", name))
    return out


def write_csv(
    path: Path, data: list[tuple[str, str]], header: tuple[str, str] = ("id", "name")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(data)
    return path


def read_csv(path: Path) -> tuple[list[str], set[tuple[str, ...]]]:
    """The header and the rows of every CSV file at ``path`` (a file or a Spark folder)."""
    files = sorted(path.glob("part-*.csv")) if path.is_dir() else [path]
    header: list[str] = []
    body: set[tuple[str, ...]] = set()
    for file in files:
        with file.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            body.update(tuple(row) for row in reader)
    return header, body


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path) if path.is_file() else ds.dataset(path).to_table()


def records(table: pa.Table) -> set[tuple[Any, ...]]:
    return set(zip(*(table.column(c).to_pylist() for c in OUTPUT_COLUMNS), strict=True))


def local(screener: Screener, source: Path, out: Path, id_column: str | None) -> Any:
    return screen_file(screener, source, out, "name", id_column, workers=1)


def no_leftovers(folder: Path, *allowed: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(allowed)


def test_multi_file_parquet_equals_local(spark: Any, screener: Screener, tmp_path: Path) -> None:
    from chipbridge.batch.spark import run_job

    data = rows(240)
    folder = tmp_path / "in"
    folder.mkdir()
    for part in range(3):
        chunk = data[part * 80 : (part + 1) * 80]
        pq.write_table(
            pa.table({"id": [i for i, _ in chunk], "name": [n for _, n in chunk]}),
            folder / f"part-{part}.parquet",
        )
    pq.write_table(
        pa.table({"id": [i for i, _ in data], "name": [n for _, n in data]}),
        tmp_path / "all.parquet",
    )
    expected = local(screener, tmp_path / "all.parquet", tmp_path / "local.parquet", "id")
    summary = run_job(
        spark,
        str(folder),
        str(tmp_path / "out"),
        Format.parquet,
        Format.parquet,
        "name",
        "id",
        screener,
    )
    got = read_parquet(tmp_path / "out")
    want = read_parquet(tmp_path / "local.parquet")
    assert got.schema.names == list(OUTPUT_COLUMNS)
    assert records(got) == records(want)
    assert len(got) == expected.hits > 0
    assert (summary.rows, summary.rows_with_hits, summary.hits, summary.unscreenable) == (
        expected.rows,
        expected.rows_with_hits,
        expected.hits,
        expected.unscreenable,
    )
    assert summary.unscreenable == 40  # the blank and the symbols-only name, 20 times each
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) > 1, "executors wrote the parts"


def test_csv_row_numbers_equal_local(spark: Any, screener: Screener, tmp_path: Path) -> None:
    """Without an id column, rows are numbered as the local engine numbers them."""
    from chipbridge.batch.spark import run_job

    source = write_csv(tmp_path / "in.csv", rows(300))
    assert spark.read.csv(str(source)).rdd.getNumPartitions() > 2
    local(screener, source, tmp_path / "local.csv", None)
    run_job(spark, str(source), str(tmp_path / "out"), Format.csv, None, "name", None, screener)
    assert read_csv(tmp_path / "out") == read_csv(tmp_path / "local.csv")


def test_screen_file_wrapper(spark: Any, screener: Screener, tmp_path: Path) -> None:
    """``screen-file --engine spark``: one file, like the local engine's, in either format."""
    from chipbridge.batch.spark import screen_file_spark

    source = write_csv(tmp_path / "in.csv", rows(100))
    local(screener, source, tmp_path / "local.csv", "id")
    screen_file_spark(screener, source, tmp_path / "spark.csv", "name", "id")
    assert read_csv(tmp_path / "spark.csv") == read_csv(tmp_path / "local.csv")
    # CSV lines are written alike, only their order may differ
    local_lines = (tmp_path / "local.csv").read_bytes().splitlines()
    spark_lines = (tmp_path / "spark.csv").read_bytes().splitlines()
    assert local_lines[0] == spark_lines[0] and sorted(local_lines) == sorted(spark_lines)
    screen_file_spark(screener, source, tmp_path / "spark.parquet", "name", "id")
    local(screener, source, tmp_path / "local.parquet", "id")
    assert records(read_parquet(tmp_path / "spark.parquet")) == records(
        read_parquet(tmp_path / "local.parquet")
    )
    no_leftovers(tmp_path, "in.csv", "local.csv", "spark.csv", "spark.parquet", "local.parquet")
    assert (tmp_path / "spark.csv").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_lazy_dataframe_api(spark: Any, screener: Screener) -> None:
    from chipbridge.batch.spark import output_schema, screen_dataframe

    df = spark.createDataFrame([(1, "SMIC"), (2, "Nobody Known At All")], "key long, party string")
    hits = screen_dataframe(df, name_col="party", id_col="key", screener=screener)
    assert hits.schema == output_schema(screener)
    assert [f.name for f in hits.schema] == list(OUTPUT_COLUMNS)
    found = hits.where("rank = 1").select("row_id", "entry_id").collect()
    assert [tuple(r) for r in found] == [("1", "CB-EL-SMIC")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: write_csv(p / "in.csv", rows(10), ("id", "party")), "no column 'name'"),
        (lambda p: _corrupt_parquet(p), "Spark job failed"),
        (lambda p: _short_row(p), "Malformed CSV record"),
        (lambda p: p / "missing.csv", "does not exist"),
    ],
    ids=["missing-column", "corrupt-parquet", "short-row", "missing-path"],
)
def test_bad_input_leaves_no_output(
    spark: Any, screener: Screener, tmp_path: Path, make: Any, message: str
) -> None:
    from chipbridge.batch.spark import run_job

    source = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    fmt = Format.parquet if source.is_dir() else Format.csv
    with pytest.raises(InputError, match=message):
        run_job(
            spark, str(source), str(tmp_path / "out"), Format.parquet, fmt, "name", "id", screener
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no output, no staging folder"


def _corrupt_parquet(folder: Path) -> Path:
    data = folder / "in"
    data.mkdir()
    pq.write_table(pa.table({"id": ["1"], "name": ["SMIC"]}), data / "a.parquet")
    (data / "b.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    return data


def _short_row(folder: Path) -> Path:
    path = folder / "in.csv"
    path.write_text("id,name,note\n1,SMIC,x\n2,Huawei\n", encoding="utf-8")
    return path


def test_existing_output_is_refused(spark: Any, screener: Screener, tmp_path: Path) -> None:
    from chipbridge.batch.spark import run_job

    source = write_csv(tmp_path / "in.csv", rows(5))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="already exists"):
        run_job(spark, str(source), str(tmp_path / "out"), Format.csv, None, "name", "id", screener)
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_cli_engine_spark_keeps_the_callers_session(spark: Any, home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chipbridge.cli import app

    source = write_csv(tmp_path / "in.csv", rows(30))
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(
        app,
        ["screen-file", str(source), "--out", str(out), "--engine", "spark", "--id-column", "id"],
    )
    assert result.exit_code == 0, result.output
    assert "screened 30 rows" in result.stdout and "5 rows had no name to screen" in result.stdout
    header, body = read_csv(out)
    assert tuple(header) == OUTPUT_COLUMNS and body


def test_job_entry_point(home: Path, tmp_path: Path) -> None:
    """``python -m chipbridge.batch.spark`` as spark-submit runs it: own session, own exit code."""
    source = write_csv(tmp_path / "in.csv", rows(30))
    command = [sys.executable, "-m", "chipbridge.batch.spark", "--master", "local[1]"]
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    done = subprocess.run(
        [*command, "--input", str(source), "--output", str(tmp_path / "out"), "--id-column", "id"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "screened 30 rows" in done.stdout
    assert records(read_parquet(tmp_path / "out"))


def test_job_bad_input_exit_code(
    spark: Any, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from chipbridge.batch.spark import main

    source = write_csv(tmp_path / "in.csv", rows(3))
    code = main(["--input", str(source), "--output", str(tmp_path / "out"), "--column", "x"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no column 'x'" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
