"""Ownership files: a CSV of links, or FollowTheMoney ``Ownership`` entities.

Both are read into :class:`Row` s and checked row by row before anything else happens; every
problem found is reported with its line, and one problem refuses the whole file.

CSV columns (all seven, in any order, nothing else)::

    owner_name, owner_id, owned_name, owned_id, percent, start_date, end_date

An id is a list entry's id (a CSL ``_id``, an OFAC ``ent_num``; ``dataset:id`` when the
same id is on two lists; several ids of one party joined by ``;``) or an id of your own; a
party with a name and no id is looked up by name. ``percent`` is 0-100 (blank: unknown),
dates are YYYY-MM-DD (blank: open-ended), both ends included.
"""

from __future__ import annotations

import csv
import io
import json
import math
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from chipbridge.screening.sources.errors import CsvReader, SourceError, csv_rows, read_text

COLUMNS = ("owner_name", "owner_id", "owned_name", "owned_id", "percent", "start_date", "end_date")
# Problems listed in a refusal; the count of the rest is given.
SHOWN = 20


class ImportRefused(ValueError):
    """The file cannot be imported; ``problems`` says where and why. Nothing was written."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        shown = problems[:SHOWN]
        if len(problems) > SHOWN:
            shown.append(f"... and {len(problems) - SHOWN} more problems")
        count = "a problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{path}: {count}; nothing was imported\n  " + "\n  ".join(shown))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Row:
    """One link as the file gives it."""

    line: int
    owner_name: str
    owner_id: str
    owned_name: str
    owned_id: str
    percent: float | None
    start: date | None
    end: date | None


def detect(path: Path) -> str:
    """ "csv" or "ftm", from the file's first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \r\n\t")
    except OSError as exc:
        raise ImportRefused(path, [f"cannot read the file ({exc.strerror})"]) from None
    return "ftm" if head.startswith(b"{") else "csv"


def read(path: Path, fmt: str | None = None) -> list[Row]:
    """The rows of an ownership file; ImportRefused listing every problem found."""
    if not path.is_file():
        raise ImportRefused(path, ["no such file"])
    fmt = fmt or detect(path)
    try:
        text = read_text(path)
    except SourceError as exc:
        raise ImportRefused(
            path, [exc.reason if exc.line is None else f"line {exc.line}: {exc.reason}"]
        ) from None
    rows, problems = (read_ftm if fmt == "ftm" else read_csv)(path, text)
    if not problems and not rows:
        problems.append("no ownership links in the file")
    if problems:
        raise ImportRefused(path, problems)
    return rows


def read_csv(path: Path, text: str) -> tuple[list[Row], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    problems: list[str] = []
    try:
        records = list(_numbered(path, reader))
    except SourceError as exc:
        return [], [f"line {exc.line}: {exc.reason} (a truncated file?)"]
    if not records:
        return [], ["the file is empty"]
    _, header = records[0]
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in names]
    if unknown or missing or len(set(names)) != len(names):
        why = []
        if unknown:
            why.append(f"unknown column(s) {', '.join(repr(h) for h in unknown)}")
        if missing:
            why.append(f"missing column(s) {', '.join(missing)}")
        if len(set(names)) != len(names):
            why.append("a column appears twice")
        return [], [f"line 1: {'; '.join(why)}; the columns are {', '.join(COLUMNS)}"]
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            problems.append(
                f"line {line}: {len(record)} fields, expected {len(names)} (a truncated file?)"
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(names, record, strict=True)}
        row, found = _row(line, cells)
        problems += found
        if row is not None:
            rows.append(row)
    return rows, problems


def _numbered(path: Path, reader: CsvReader) -> Iterator[tuple[int, list[str]]]:
    """(first line, record) of each CSV record."""
    line = 0
    for record in csv_rows(path, reader):
        yield line + 1, record
        line = reader.line_num


def _row(line: int, cells: dict[str, str]) -> tuple[Row | None, list[str]]:
    problems: list[str] = []
    for role in ("owner", "owned"):
        if not cells[f"{role}_name"] and not cells[f"{role}_id"]:
            problems.append(f"line {line}: the {role} has neither a name nor an id")
    percent = None
    if cells["percent"]:
        try:
            percent = parse_percent(cells["percent"])
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
    days: dict[str, date | None] = {}
    for column in ("start_date", "end_date"):
        try:
            days[column] = _date(cells[column])
        except ValueError:
            problems.append(f"line {line}: {column} {cells[column]!r} is not a date (YYYY-MM-DD)")
    start, end = days.get("start_date"), days.get("end_date")
    if start and end and end < start:
        problems.append(f"line {line}: end_date {end} is before start_date {start}")
    if problems:
        return None, problems
    row = Row(
        line,
        cells["owner_name"],
        cells["owner_id"],
        cells["owned_name"],
        cells["owned_id"],
        percent,
        start,
        end,
    )
    return row, []


def parse_percent(text: str) -> float:
    try:
        value = float(text.strip().removesuffix("%").strip())
    except ValueError:
        raise ValueError(f"percent {text!r} is not a number") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(f"percent {text!r} is outside 0-100")
    return value


def _date(text: str) -> date | None:
    if not text:
        return None
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


# --- FollowTheMoney ------------------------------------------------------------------------


def read_ftm(path: Path, text: str) -> tuple[list[Row], list[str]]:
    """Ownership entities (owner, asset, percentage, startDate, endDate) and the names of
    the parties they link; other entities are read for names only."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    names: dict[str, str] = {}
    ownerships: list[tuple[int, Any]] = []
    problems: list[str] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
                raise ValueError("each line must hold one entity with a schema")
            proxy = model.get_proxy(data, cleaned=False)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON ({exc.msg}; a truncated file?)")
            continue
        except (InvalidData, ValueError, TypeError, AttributeError, RecursionError) as exc:
            problems.append(f"line {n}: not a FollowTheMoney entity ({exc})")
            continue
        if proxy.schema.is_a("Ownership"):
            ownerships.append((n, proxy))
        elif proxy.id and proxy.caption and proxy.schema.is_a("Thing"):
            names[proxy.id] = proxy.caption
    rows: list[Row] = []
    for n, proxy in ownerships:
        owners, assets = proxy.get("owner"), proxy.get("asset")
        if not owners or not assets:
            problems.append(f"line {n}: an Ownership needs an owner and an asset")
            continue
        percent = None
        values = proxy.get("percentage")
        try:
            percent = parse_percent(values[0]) if values else None
            start = _ftm_day(proxy.get("startDate"), last=False)
            end = _ftm_day(proxy.get("endDate"), last=True)
        except ValueError as exc:
            problems.append(f"line {n}: {exc}")
            continue
        if start and end and end < start:
            problems.append(f"line {n}: endDate {end} is before startDate {start}")
            continue
        for owner in owners:
            for asset in assets:
                rows.append(
                    Row(
                        n,
                        names.get(owner, ""),
                        owner,
                        names.get(asset, ""),
                        asset,
                        percent,
                        start,
                        end,
                    )
                )
    return rows, problems


def _ftm_day(values: list[str], last: bool) -> date | None:
    """An FtM date (YYYY, YYYY-MM or a full date, possibly with a time) as a day: the first
    day of a year or month for a start, the last for an end."""
    if not values:
        return None
    text = values[0].strip()
    try:
        if len(text) == 4:
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            return date(year, month, monthrange(year, month)[1] if last else 1)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None
