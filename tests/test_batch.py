"""The local batch engine: Parquet in and out, counted blank names, output paths, streaming."""

from __future__ import annotations

import csv
import gc
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from chipbridge import collector
from chipbridge.batch.files import InputError
from chipbridge.batch.screen_file import (
    CHUNK,
    OUTPUT_COLUMNS,
    TAIL_PIECE,
    _fine_tail,
    arrow_schema,
    csv_row,
    default_workers,
    screen_file,
    screen_rows,
)
from chipbridge.cli import app
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin

NAMES = ["SMIC", "Intel Corporation", "", "Huawei Technologies", "  ", "中芯国际", "Acme Widgets"]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture
def umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows(rows)
    return path


def sample(count: int = 70) -> list[tuple[str, str]]:
    return [(f"id{i}", NAMES[i % len(NAMES)]) for i in range(count)]


def csv_body(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_parquet_in_and_out_match_csv(screener: Screener, tmp_path: Path) -> None:
    rows = sample()
    source_csv = write_csv(tmp_path / "in.csv", rows)
    source_pq = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [r[0] for r in rows], "name": [r[1] for r in rows]}), source_pq)
    a = screen_file(screener, source_csv, tmp_path / "a.csv", id_column="id", workers=1)
    b = screen_file(screener, source_pq, tmp_path / "b.csv", id_column="id", workers=2)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (a.rows, a.hits, a.unscreenable) == (b.rows, b.hits, b.unscreenable)
    screen_file(screener, source_pq, tmp_path / "c.parquet", id_column="id")
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.schema == arrow_schema(screener)
    assert table.schema.field("score").type == pa.float64()
    assert table.schema.field("rank").type == pa.int64()
    typed = list(zip(*(table.column(c).to_pylist() for c in OUTPUT_COLUMNS), strict=True))
    assert [csv_row(r) for r in typed] == csv_body(tmp_path / "a.csv")[1:]


def test_parquet_row_numbers_and_types(screener: Screener, tmp_path: Path) -> None:
    """Integer ids are written as text; without an id column rows are numbered from 1."""
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"key": [7, 8, None], "name": ["SMIC", "Nobody", "SMIC"]}), source)
    screen_file(screener, source, tmp_path / "ids.csv", id_column="key", workers=1)
    ids = {row[0] for row in csv_body(tmp_path / "ids.csv")[1:]}
    assert ids == {"7", ""}
    screen_file(screener, source, tmp_path / "numbers.csv", workers=1)
    assert {row[0] for row in csv_body(tmp_path / "numbers.csv")[1:]} == {"1", "3"}


def test_blank_names_are_counted(home: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", sample(14))
    result = CliRunner().invoke(app, ["screen-file", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "screened 14 rows" in result.stdout
    assert "4 rows had no name to screen" in result.stdout


def test_workers_default_to_the_cores(screener: Screener, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", sample(3000))
    assert default_workers() == len(os.sched_getaffinity(0))
    screen_file(screener, source, tmp_path / "default.csv")
    screen_file(screener, source, tmp_path / "one.csv", workers=1)
    assert (tmp_path / "default.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_the_last_chunks_go_out_in_pieces_every_row_once_in_order() -> None:
    """Workers finish within a small piece of each other: the input's last chunks (one per
    worker) are sent cut into pieces, the others as they are."""
    rows: list[tuple[str | None, str | None]] = [(str(i), f"Quill {i}") for i in range(1037)]
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    assert [len(c) for c in chunks] == [CHUNK] * 4 + [37]
    sent = list(_fine_tail(iter(chunks), 2))
    assert [len(c) for c in sent] == [CHUNK] * 3 + [TAIL_PIECE] * 11 + [12]
    assert [row for chunk in sent for row in chunk] == rows
    # Fewer chunks than workers: all of it in pieces.
    assert [len(c) for c in _fine_tail(iter(chunks[-1:]), 2)] == [TAIL_PIECE, 12]
    assert list(_fine_tail(iter([]), 2)) == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (lambda p: p, "is a directory"),
        (lambda p: p / "in.csv" / "hits.csv", "does not exist"),
        (lambda p: p / "nowhere" / "hits.csv", "does not exist"),
        (lambda p: Path("/proc/chipbridge-hits.csv"), "cannot write"),
    ],
    ids=["directory", "below-a-file", "missing-folder", "unwritable"],
)
def test_bad_output_path(home: Path, tmp_path: Path, out: Any, message: str) -> None:
    source = write_csv(tmp_path / "in.csv", sample(5))
    target = out(tmp_path)
    result = CliRunner().invoke(app, ["screen-file", str(source), "--out", str(target)])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "in.csv"]


def test_output_respects_the_umask(screener: Screener, tmp_path: Path, umask: None) -> None:
    source = write_csv(tmp_path / "in.csv", sample(5))
    screen_file(screener, source, tmp_path / "open.csv", workers=1)
    assert (tmp_path / "open.csv").stat().st_mode & 0o777 == 0o644
    os.umask(0o077)
    screen_file(screener, source, tmp_path / "private.parquet", workers=1)
    assert (tmp_path / "private.parquet").stat().st_mode & 0o777 == 0o600


def test_corrupt_parquet_writes_nothing(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    source.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        screen_file(screener, source, tmp_path / "out.csv", workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_unreadable_parquet_into_parquet_leaves_no_traceback(
    screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "in.parquet"
    source.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        screen_file(screener, source, tmp_path / "out.parquet", workers=1)
    gc.collect()  # the writer, had it been left open, would now write into a closed file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]


def test_extra_fields_are_refused(screener: Screener, tmp_path: Path) -> None:
    """A row with more fields than the header is malformed (Spark's reader says so too)."""
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,SMIC\n2,Huawei,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: row has 3 fields, expected 2"):
        screen_file(screener, source, tmp_path / "out.csv", workers=1)
    assert not (tmp_path / "out.csv").exists()


def test_a_quote_never_closed_is_refused(screener: Screener, tmp_path: Path) -> None:
    """Read leniently, the rest of the file would become one long name, and its rows would
    go unscreened while the run reported success."""
    source = tmp_path / "in.csv"
    source.write_text('id,name\n1,"Huawei\n2,SMIC\n3,Acme\n', encoding="utf-8")
    with pytest.raises(InputError, match="unexpected end of data"):
        screen_file(screener, source, tmp_path / "out.csv", workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


# Peak memory of a screen-file run in a fresh process (parent and workers): what the run
# itself costs, without pytest's own memory.
PEAK_RSS = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from chipbridge.batch.screen_file import screen_file
    from chipbridge.screening import Screener
    from chipbridge.screening.sources import builtin

    screener = Screener.from_snapshots([builtin.load()])
    summary = screen_file(screener, Path(sys.argv[1]), Path(sys.argv[2]), "name", "id", 2)
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(summary.rows, peak)
    """
)


def peak_kib(source: Path, out: Path) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(source), str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rows, peak = done.stdout.split()
    return int(rows), int(peak)


def test_streaming_memory_is_bounded(tmp_path: Path) -> None:
    """Twenty times the rows, about the same peak memory.

    Each row carries a 2 KB id, so a run that held its input (or a growing queue of chunks)
    in memory would need tens of MB more for the large file.
    """
    padding = "x" * 2000
    names = ["Acme Widgets Ltd", "Blue River Trading", "Maria Lopez", "SMIC", "Nordic Tools AB"]

    def write(path: Path, count: int) -> Path:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name"])
            writer.writerows((f"{i}{padding}", names[i % len(names)]) for i in range(count))
        return path

    small = peak_kib(write(tmp_path / "small.csv", 2_500), tmp_path / "small-hits.csv")
    large = peak_kib(write(tmp_path / "large.csv", 50_000), tmp_path / "large-hits.csv")
    assert (small[0], large[0]) == (2_500, 50_000)
    # Flat in practice (the same peak to the KiB); 10 MB of slack for allocator noise. Queuing
    # every chunk for the workers instead of two each adds about 26 MB here, holding the
    # input about 100 MB: both fail.
    assert large[1] < small[1] + 10_000, f"peak RSS {small[1]} KiB -> {large[1]} KiB"


def test_rows_are_screened_with_the_collector_paused_and_the_callers_state_restored(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    screen = screener.screen

    def watched(name: str, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return screen(name, **kwargs)

    monkeypatch.setattr(screener, "screen", watched)
    assert gc.isenabled()
    counts, records = screen_rows(screener, [("1", "Huawei Technologies"), ("2", "")])
    assert gc.isenabled()
    gc.disable()
    try:
        screen_rows(screener, [("3", "Huawei Technologies")])
        assert not gc.isenabled()  # a caller's paused collector stays paused
    finally:
        gc.enable()
    assert seen == [False, False, False]
    assert counts.rows == 2 and counts.unscreenable == 1 and records


def test_a_file_screened_in_process_keeps_what_it_built_out_of_later_collections(
    screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Huawei Technologies\n2,Jane Unlisted\n", encoding="utf-8")
    gc.unfreeze()
    try:
        screen_file(screener, source, tmp_path / "out.csv", id_column="id", workers=1)
        frozen = gc.get_freeze_count()
        assert frozen > 0 and gc.isenabled()
        with pytest.raises(RuntimeError), collector.paused(keep=True):
            raise RuntimeError("the block fails")
        assert gc.get_freeze_count() == frozen  # a failed block freezes nothing
        assert gc.isenabled()
    finally:
        gc.unfreeze()
