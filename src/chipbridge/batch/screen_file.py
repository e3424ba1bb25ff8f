"""Screen every row of a CSV file and write one row per hit.

The input is streamed, the output goes to a temporary file that is renamed into place only
when every row was screened, so a failure never leaves a half-written result. With more than
one worker the screener is shared with forked worker processes (copy-on-write, no reload) and
rows travel in chunks, in order.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipbridge.screening import Hit, Screener, UnscreenableName
from chipbridge.store.files import atomic_write

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
)
CHUNK = 1000


class InputError(ValueError):
    """The input file cannot be screened; the message says why and where."""


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    rows_with_hits: int
    hits: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


_SCREENER: Screener | None = None
_LIMIT = 5


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
    )


def csv_row(record: Sequence[Any]) -> list[str]:
    """A typed output row as the CSV shows it (scores to four decimals)."""
    row_id, query, rank, score, *rest = record
    return [row_id, query, str(rank), f"{score:.4f}", *rest]


def _screen_chunk(chunk: list[tuple[str, str]]) -> tuple[int, int, int, str]:
    """Screen one chunk of (row_id, query).

    Returns rows read, rows with hits, hits, and the hits as CSV text: formatting happens in
    the worker so the parent only writes.
    """
    assert _SCREENER is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    hits = with_hits = 0
    for row_id, query in chunk:
        try:
            found = _SCREENER.screen(query, limit=_LIMIT)
        except UnscreenableName:
            continue  # a blank cell: nothing to screen, and no hit to write
        if found:
            with_hits += 1
            hits += len(found)
        for rank, hit in enumerate(found, start=1):
            writer.writerow(csv_row(hit_record(row_id, query, rank, hit)))
    return len(chunk), with_hits, hits, buffer.getvalue()


def read_rows(path: Path, column: str, id_column: str | None) -> Iterator[list[tuple[str, str]]]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from exc
    with raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason}); re-save it as UTF-8") from exc
        except csv.Error as exc:
            raise InputError(f"{path}, line 1: {exc}") from exc
        if header is None:
            raise InputError(f"{path}: file is empty")
        header = [h.strip() for h in header]
        if column not in header:
            raise InputError(
                f"{path}: no column {column!r} (columns: {', '.join(header)}); use --column"
            )
        if id_column is not None and id_column not in header:
            raise InputError(f"{path}: no id column {id_column!r} (columns: {', '.join(header)})")
        name_at = header.index(column)
        id_at = header.index(id_column) if id_column is not None else None
        chunk: list[tuple[str, str]] = []
        number = 0
        try:
            for row in reader:
                if not row:
                    continue
                number += 1
                if len(row) <= name_at or (id_at is not None and len(row) <= id_at):
                    raise InputError(
                        f"{path}, line {reader.line_num}: row has {len(row)} fields, "
                        f"expected {len(header)}"
                    )
                row_id = row[id_at] if id_at is not None else str(number)
                chunk.append((row_id, row[name_at]))
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}, after line {reader.line_num}: not UTF-8 text ({exc.reason}); "
                "re-save it as UTF-8"
            ) from exc
        except csv.Error as exc:
            raise InputError(f"{path}, line {reader.line_num}: {exc}") from exc
        if chunk:
            yield chunk


def check_paths(source: Path, out: Path) -> None:
    """Refuse to overwrite the input with the output."""
    if out.resolve() == source.resolve():
        raise InputError("the output file must differ from the input file")


def screen_file(
    screener: Screener,
    source: Path,
    out: Path,
    column: str = "name",
    id_column: str | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Screen ``source`` into ``out``; raise InputError (writing nothing) on bad input."""
    global _SCREENER
    if workers < 1:
        raise InputError("--workers must be at least 1")
    check_paths(source, out)
    started = time.perf_counter()
    rows = hits = with_hits = 0
    _SCREENER = screener
    pool = None
    try:
        chunks = read_rows(source, column, id_column)
        if workers > 1:
            pool = multiprocessing.get_context("fork").Pool(workers)
            results: Iterator[tuple[int, int, int, str]] = pool.imap(_screen_chunk, chunks)
        else:
            results = map(_screen_chunk, chunks)
        with atomic_write(out) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(OUTPUT_COLUMNS)
            for count, chunk_with_hits, chunk_hits, text_out in results:
                text.write(text_out)
                hits += chunk_hits
                with_hits += chunk_with_hits
                rows += count
                if progress is not None:
                    progress(rows)
            text.flush()
            text.detach()
    finally:
        _SCREENER = None
        if pool is not None:
            pool.terminate()
    return Summary(rows, with_hits, hits, time.perf_counter() - started)
