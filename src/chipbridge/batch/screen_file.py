"""Screen every row of a CSV or Parquet file and write one row per hit.

The local batch engine. It streams: rows are read in chunks, at most two chunks per worker
are in flight, and hits are written as they come back, so memory stays flat whatever the
size of the input. Workers are forked after the index is loaded, so they share it
copy-on-write instead of each loading their own. The output goes to a temporary file that is
renamed into place only when every row was screened, so a failure never leaves a
half-written result.

``OUTPUT_COLUMNS`` and ``hit_record`` define the output of every batch engine: the Spark job
derives its schema from them too (``arrow_schema``), so a new column is added there only.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chipbridge import collector
from chipbridge.batch.files import (
    Chunk,
    CsvHitWriter,
    Format,
    HitWriter,
    InputError,
    ParquetHitWriter,
    atomic_output,
    check_paths,
    output_format,
    read_chunks,
)
from chipbridge.screening import Hit, Screener, UnscreenableName

if TYPE_CHECKING:
    import pyarrow as pa

OUTPUT_COLUMNS = (
    "row_id",
    "query",
    "rank",
    "score",
    "entry_id",
    "source",
    "listed_name",
    "matched_name",
    "reason",
    "also_listed",
)
# Rows per chunk. A run ends when the last worker's last chunk does, the other worker idle
# meanwhile for half a chunk on average: at 1,000 rows that was 0.15-0.6 s of a 20,000-row
# run on two workers, at 250 rows a quarter of it; a chunk's own cost (a task sent, its
# records pickled back) is a few milliseconds either way.
CHUNK = 250
# The input's last chunks are cut into pieces of this many rows, so that the workers finish
# within a piece of each other (about 15 ms of screening) rather than a chunk.
TAIL_PIECE = 25
LIMIT = 5
# Chunks queued per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT = 2
# After this many chunks a worker is replaced by a fresh fork of the parent. The engine's
# caches grow with every new name up to their caps (hundreds of MB after a million unique
# names); a fresh worker starts from the parent's state, so a worker holds what 20,000 rows
# build up whatever the size of the input, for the cost of a fork and re-warmed caches.
RECYCLE = 20_000 // CHUNK
# Names in the scripts the engine reads, screened once before workers are forked: what the
# engine loads on first use (the segmenter and its dictionary, pinyin and Cantonese tables,
# the transliteration tables of each script) is then loaded once and shared by every worker,
# instead of being loaded again by each fresh worker.
WARM_UP = (
    "Société Générale Trading Co Ltd",
    "Шевченко Тарас Григорович",
    "Παπαδόπουλος Γεώργιος",
    "Հայաստան",
    "საქართველო",
    "김민수 주식회사",
    "中芯国际集成电路制造有限公司",
    "陳大文",
    "山田 たろう",
    # A kanji ICU reads only through its Han-Latin table (々, the iteration mark, which the
    # pinyin reading leaves as it is): loading that table costs about 0.2 s, once.
    "佐々木 ガス株式会社",
    "محمد علي",
    "Nguyễn Văn An",
    "Chan Tai Man",
)


@dataclass(slots=True)
class Counts:
    """What a batch saw: rows read, rows with at least one hit, hits, and blank names."""

    rows: int = 0
    rows_with_hits: int = 0
    hits: int = 0
    unscreenable: int = 0

    def add(self, other: Counts) -> None:
        self.rows += other.rows
        self.rows_with_hits += other.rows_with_hits
        self.hits += other.hits
        self.unscreenable += other.unscreenable


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    rows_with_hits: int
    hits: int
    unscreenable: int
    seconds: float

    @classmethod
    def of(cls, counts: Counts, started: float) -> Summary:
        """The summary of a run that began at ``started`` (``time.perf_counter()``)."""
        return cls(
            counts.rows,
            counts.rows_with_hits,
            counts.hits,
            counts.unscreenable,
            time.perf_counter() - started,
        )

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def text(self, out: object) -> str:
        """The one-line report the command line prints."""
        line = (
            f"screened {self.rows:,} rows in {self.seconds:.1f}s ({self.rate:,.0f}/s): "
            f"{self.rows_with_hits:,} with hits, {self.hits:,} hits written to {out}"
        )
        if self.unscreenable:
            line += f"; {self.unscreenable:,} rows had no name to screen (blank or symbols only)"
        return line


def hit_record(row_id: str, query: str, rank: int, hit: Hit) -> tuple[Any, ...]:
    """One output row, typed, in the order of OUTPUT_COLUMNS (every batch engine uses it)."""
    return (
        row_id,
        query,
        rank,
        hit.score,
        hit.entry.id,
        hit.entry.list_name,
        hit.entry.name,
        hit.matched_name,
        hit.reason,
        "; ".join(f"{e.dataset}:{e.id}" for e in hit.also_listed),
    )


def csv_row(record: tuple[Any, ...]) -> list[str]:
    """A typed output row as the CSV shows it: scores to four decimals, None as empty."""
    row_id, query, rank, score, *rest = record
    return [
        row_id,
        query,
        str(rank),
        f"{score:.4f}",
        *("" if value is None else str(value) for value in rest),
    ]


def screen_rows(
    screener: Screener, rows: Iterable[tuple[str | None, str | None]]
) -> tuple[Counts, list[tuple[Any, ...]]]:
    """Screen (row id, name) pairs: the counts and the output records, in input order.

    Blank names (and names of symbols only) cannot be screened; they are counted, so a
    summary can say how many rows were not checked, and produce no record. A missing row id
    (a null in Parquet) is written as an empty one.
    """
    counts = Counts()
    records: list[tuple[Any, ...]] = []
    # Screening makes no reference cycles (a full collection after 20,000 unique names
    # screened with the collector off finds no garbage): collections would only walk the
    # engine's caches as they grow, 5-6% of the CPU on unique names even at one collection
    # every 50,000 allocations.
    with collector.paused():
        for row_id, query in rows:
            counts.rows += 1
            name = query or ""
            try:
                found = screener.screen(name, limit=LIMIT)
            except UnscreenableName:
                counts.unscreenable += 1
                continue
            if found:
                counts.rows_with_hits += 1
                counts.hits += len(found)
            key = row_id or ""
            records.extend(hit_record(key, name, rank, hit) for rank, hit in enumerate(found, 1))
    return counts, records


def arrow_schema(screener: Screener) -> pa.Schema:
    """The typed output schema, read off a real ``hit_record`` so it always matches it.

    One listed name is screened against its own list to get a record; each column takes the
    Arrow type of its value there (text when the value is None).
    """
    import pyarrow as pa

    for position in range(len(screener.index)):
        entry = screener.index.entry(position)
        try:
            found = screener.screen(entry.name, limit=1, threshold=0.0)
        except UnscreenableName:
            continue
        if found:
            record = hit_record("", entry.name, 1, found[0])
            return pa.schema(
                [
                    (name, pa.string() if value is None else pa.array([value]).type)
                    for name, value in zip(OUTPUT_COLUMNS, record, strict=True)
                ]
            )
    raise ValueError("the index has no name that finds itself: cannot derive the schema")


def text_schema() -> pa.Schema:
    """The output columns as CSV text (``csv_row``), for writers that only take strings."""
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in OUTPUT_COLUMNS])


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


_SCREENER: Screener | None = None


def _screen_chunk(chunk: Chunk) -> tuple[Counts, list[tuple[Any, ...]]]:
    assert _SCREENER is not None
    return screen_rows(_SCREENER, chunk)


Results = Generator[tuple[Counts, list[tuple[Any, ...]]], None, None]


def _fine_tail(chunks: Iterator[Chunk], last: int) -> Iterator[Chunk]:
    """``chunks`` as they come, but the ``last`` ones cut into pieces of TAIL_PIECE rows.

    A run ends when its last chunk is screened, the other workers idle meanwhile (half a
    chunk on average, 0.07-0.25 s on two workers): pieces queued at the end share the last
    rows out evenly. To know which chunks are the last, ``last`` chunks are read ahead.
    """
    ahead: deque[Chunk] = deque()
    for chunk in chunks:
        ahead.append(chunk)
        if len(ahead) > last:
            yield ahead.popleft()
    for chunk in ahead:
        for start in range(0, len(chunk), TAIL_PIECE):
            yield chunk[start : start + TAIL_PIECE]


def _in_workers(chunks: Iterator[Chunk], workers: int) -> Results:
    """Results of ``_screen_chunk`` in input order, with a bounded number of chunks queued.

    ``Pool.imap`` would read the whole input ahead of the workers; here a chunk is read only
    when one comes back, so memory does not grow with the input.
    """
    assert _SCREENER is not None
    for name in WARM_UP:
        _SCREENER.screen(name, limit=LIMIT)
    # The pool counts tasks, and the tail's pieces are tasks too: room for all of them, so a
    # worker is not replaced, cold, in the middle of the tail it is meant to finish quickly.
    # Before the tail, a worker may so take that many more chunks (a quarter more rows
    # between replacements at two workers).
    tasks = RECYCLE + workers * (CHUNK // TAIL_PIECE)
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=tasks) as pool:
        pending: deque[Any] = deque()
        for chunk in _fine_tail(chunks, workers):
            pending.append(pool.apply_async(_screen_chunk, (chunk,)))
            if len(pending) >= IN_FLIGHT * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _writer(handle: Any, fmt: Format, screener: Screener) -> HitWriter:
    if fmt is Format.parquet:
        return ParquetHitWriter(handle, arrow_schema(screener))
    return CsvHitWriter(handle, OUTPUT_COLUMNS, csv_row)


def screen_file(
    screener: Screener,
    source: Path,
    out: Path,
    column: str = "name",
    id_column: str | None = None,
    workers: int | None = None,
    fmt: Format | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Screen ``source`` (CSV or Parquet) into ``out``; bad input raises InputError, writes nothing.

    ``workers`` defaults to the number of cores; ``fmt`` to Parquet for a ``.parquet`` name.
    """
    global _SCREENER
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise InputError("--workers must be at least 1")
    check_paths(source, out)
    started = time.perf_counter()
    counts = Counts()
    _SCREENER = screener
    try:
        # Paused for the whole run, so forked workers start with it paused too; the caches
        # the run built are kept out of later collections.
        with collector.paused(keep=True), atomic_output(out) as handle:
            chunks = read_chunks(source, column, id_column, CHUNK)
            results: Results = (
                _in_workers(chunks, workers)
                if workers > 1
                else (_screen_chunk(chunk) for chunk in chunks)
            )
            writer = _writer(handle, output_format(out, fmt), screener)
            try:
                with contextlib.closing(results):  # on an error, stops the worker pool at once
                    for chunk_counts, records in results:
                        writer.write(records)
                        counts.add(chunk_counts)
                        if progress is not None:
                            progress(counts.rows)
            except BaseException:
                writer.discard()
                raise
            writer.close()
    finally:
        _SCREENER = None
    return Summary.of(counts, started)
