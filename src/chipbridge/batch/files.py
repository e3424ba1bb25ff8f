"""Reading names from CSV or Parquet in chunks, and writing hits to one file atomically.

Input is read in chunks so memory does not depend on the file's size. Output goes to a
temporary file beside the target, created with the caller's umask like any other file, and
is renamed into place only when every row was screened: a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from chipbridge.store.files import atomic_write

if TYPE_CHECKING:
    import pyarrow as pa

PARQUET_MAGIC = b"PAR1"
# Hits are gathered into Parquet row groups of about this many rows: big enough for
# efficient columns, small enough to keep memory flat.
ROW_GROUP = 65_536

# One chunk of input: (row id, name) pairs; either may be None in Parquet input.
Chunk = list[tuple[str | None, str | None]]


class InputError(ValueError):
    """The input or output cannot be used; the message says why and where."""


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"


def input_format(path: Path) -> Format:
    """Parquet when the file starts with Parquet's magic bytes, CSV otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(PARQUET_MAGIC))
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from exc
    return Format.parquet if head == PARQUET_MAGIC else Format.csv


def output_format(path: Path, given: Format | None) -> Format:
    """The format asked for, else Parquet for a ``.parquet`` name and CSV otherwise."""
    if given is not None:
        return given
    return Format.parquet if path.suffix.lower() in {".parquet", ".pq"} else Format.csv


def read_chunks(path: Path, column: str, id_column: str | None, size: int) -> Iterator[Chunk]:
    """(row id, name) pairs in chunks of ``size``; row ids default to 1-based row numbers."""
    if input_format(path) is Format.parquet:
        return _parquet_chunks(path, column, id_column, size)
    return _csv_chunks(path, column, id_column, size)


def _csv_chunks(path: Path, column: str, id_column: str | None, size: int) -> Iterator[Chunk]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(
            text, strict=True
        )  # a quote never closed is an error, not one long name
        try:
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason}); re-save it as UTF-8") from exc
        except csv.Error as exc:
            raise InputError(f"{path}, line 1: {exc}") from exc
        if header is None:
            raise InputError(f"{path}: file is empty")
        name_at, id_at = _positions(path, [h.strip() for h in header], column, id_column)
        chunk: Chunk = []
        number = 0
        try:
            for row in reader:
                if not row:
                    continue
                number += 1
                if len(row) != len(header):
                    raise InputError(
                        f"{path}, line {reader.line_num}: row has {len(row)} fields, "
                        f"expected {len(header)}"
                    )
                chunk.append((row[id_at] if id_at is not None else str(number), row[name_at]))
                if len(chunk) >= size:
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


def _parquet_chunks(path: Path, column: str, id_column: str | None, size: int) -> Iterator[Chunk]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    with parquet:
        _positions(path, parquet.schema_arrow.names, column, id_column)
        wanted = [column] if id_column is None else [column, id_column]
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=size, columns=wanted):
                names = _strings(batch.column(0))
                if id_column is None:
                    ids: list[str | None] = [str(number + i + 1) for i in range(len(names))]
                else:
                    ids = _strings(batch.column(1))
                number += len(names)
                yield list(zip(ids, names, strict=True))
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{path}: cannot read Parquet data ({exc})") from exc


def _strings(values: pa.Array) -> list[str | None]:
    """A Parquet column as text, the way Spark's ``cast(... as string)`` shows it."""
    import pyarrow as pa

    strings: list[str | None] = values.cast(pa.string()).to_pylist()
    return strings


def _positions(
    path: Path, header: Sequence[str], column: str, id_column: str | None
) -> tuple[int, int | None]:
    if column not in header:
        raise InputError(
            f"{path}: no column {column!r} (columns: {', '.join(header)}); use --column"
        )
    if id_column is not None and id_column not in header:
        raise InputError(f"{path}: no id column {id_column!r} (columns: {', '.join(header)})")
    return header.index(column), header.index(id_column) if id_column is not None else None


def check_paths(source: Path, out: Path) -> None:
    """Refuse an output that is the input, a directory, or in a folder that does not exist."""
    if out.exists() and out.resolve() == source.resolve():
        raise InputError("the output file must differ from the input file")
    if out.is_dir():
        raise InputError(f"{out} is a directory; give --out a file name")
    if not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")


def file_mode() -> int:
    """The mode a new file gets under the process umask (0o644 under the usual 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle on a temporary file that becomes ``path`` when the block succeeds.

    ``atomic_write`` gives the file the mode ``open`` would under the umask; here a path
    that cannot be written becomes a one-line InputError.
    """
    try:
        with atomic_write(path) as handle:
            yield handle
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from exc


class HitWriter(Protocol):
    def write(self, records: list[tuple[Any, ...]]) -> None: ...

    def close(self) -> None: ...

    def discard(self) -> None:
        """Let go of the handle without finishing the output, which is thrown away."""


class CsvHitWriter:
    """Hits as CSV text: a header line, then one line per hit."""

    def __init__(self, handle: IO[bytes], columns: Sequence[str], as_text: Any) -> None:
        self._text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(columns)
        self._as_text = as_text

    def write(self, records: list[tuple[Any, ...]]) -> None:
        self._writer.writerows(map(self._as_text, records))

    def close(self) -> None:
        self._text.flush()
        self._text.detach()

    def discard(self) -> None:
        self._text.detach()


class ParquetHitWriter:
    """Hits as typed Parquet columns, in row groups of about ``ROW_GROUP`` rows."""

    def __init__(self, handle: IO[bytes], schema: pa.Schema) -> None:
        import pyarrow.parquet as pq

        self._schema = schema
        self._writer = pq.ParquetWriter(handle, schema)
        self._pending: list[tuple[Any, ...]] = []

    def write(self, records: list[tuple[Any, ...]]) -> None:
        self._pending.extend(records)
        if len(self._pending) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        self._writer.write_batch(record_batch(self._pending, self._schema))
        self._pending = []

    def close(self) -> None:
        if self._pending:
            self._flush()
        self._writer.close()

    def discard(self) -> None:
        # Closed now, while the handle is open: left to the collector, the writer would
        # write its footer into the closed handle and print a traceback.
        self._pending = []
        self._writer.close()


def record_batch(records: Sequence[tuple[Any, ...]], schema: pa.Schema) -> pa.RecordBatch:
    """Typed records (tuples in the schema's column order) as one Arrow record batch."""
    import pyarrow as pa

    columns = list(zip(*records, strict=True)) if records else [()] * len(schema)
    return pa.RecordBatch.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )
