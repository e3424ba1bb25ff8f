"""Errors and small helpers shared by the list loaders."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from rigour.territories import get_territories, lookup_territory


class SourceError(ValueError):
    """A list file that cannot be imported. The message names the file, line and reason."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        where = f"{path}" if line is None else f"{path}, line {line}"
        super().__init__(f"{where}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


def read_text(path: Path, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """Read a whole file, trying each encoding in turn; fail with the offending line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise SourceError(path, "file is empty")
    last: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    line = data[: last.start].count(b"\n") + 1
    raise SourceError(
        path,
        f"not valid {encodings[0].removesuffix('-sig').upper()} text "
        f"(byte 0x{data[last.start]:02x} at offset {last.start}); "
        "re-save the file as UTF-8",
        line,
    )


def scalar_text(value: object, field: str = "value") -> str:
    """A text field of a JSON record: text or a number; anything else is a bad record."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{field} is {_kind(value)}, expected text")


def split_multi(value: object, sep: str = ";", field: str = "value") -> list[str]:
    """Split a multi-valued cell ("a; b; c") or pass a JSON list through, dropping blanks.

    A JSON record can hold anything; a value that is neither text nor a list of texts
    raises ValueError, which the loader reports as a skipped record.
    """
    if value is None:
        return []
    items = value if isinstance(value, list) else scalar_text(value, field).split(sep)
    out = (scalar_text(item, field) for item in items)
    return [item for item in out if item]


def _kind(value: object) -> str:
    names = {bool: "true/false", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


# No published list has a cell anywhere near this long; one that does has a quote that is
# never closed, which swallows the rest of the file into one field. (The csv module's own
# limit is process-wide and other libraries raise it, so it is not relied on.)
MAX_CELL = 128 * 1024


class CsvReader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


def csv_rows(path: Path, reader: CsvReader) -> Iterator[list[str]]:
    """Rows of a csv reader; a row it cannot read, or a cell over MAX_CELL, is a SourceError."""
    unclosed = f"a field is longer than {MAX_CELL:,} characters (a quote that is never closed?)"
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = unclosed if "field larger than field limit" in str(exc) else str(exc)
            raise SourceError(path, f"unreadable CSV: {reason}", start) from None
        if any(len(cell) > MAX_CELL for cell in row):
            raise SourceError(path, f"unreadable CSV: {unclosed}", start)
        yield row


@cache
def _plain_names() -> dict[str, str]:
    """Codes and common names -> country code, from rigour's territory table."""
    table: dict[str, str] = {}
    for territory in get_territories():
        country = territory.ftm_country
        if not country or len(country) != 2:
            continue
        for key in (territory.code, territory.alpha3, territory.name, territory.full_name):
            if key:
                table.setdefault(key.casefold(), country.upper())
    return table


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO 3166 alpha-2 code (upper case) for a country name or code, or None."""
    if not text or not text.strip():
        return None
    text = text.strip()
    plain = _plain_names().get(text.casefold())
    if plain:
        return plain
    # rigour's fuzzy name lookup knows "Korea, North" and "Burma" but builds a large table on
    # first use, so it is only asked when the plain table has no answer.
    territory = lookup_territory(text)
    if territory is None or territory.ftm_country is None or len(territory.ftm_country) != 2:
        return None
    return territory.ftm_country.upper()


def unique(items: list[str]) -> tuple[str, ...]:
    """Drop blanks and repeats, keeping the first occurrence's order."""
    return tuple(dict.fromkeys(i for i in items if i))
