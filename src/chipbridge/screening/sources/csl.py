"""US Consolidated Screening List (trade.gov) in its CSV and JSON exports.

The CSV has one row per listed party with multi-valued cells separated by "; ". Real exports
carry defects that must not stop an import: a header line repeated inside the file and a last
record cut off mid-field. Such rows are skipped and reported, never guessed at.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from chipbridge.screening.model import (
    Alias,
    AliasKind,
    EntityType,
    Entry,
    Identifier,
    ListSnapshot,
    SkippedRow,
)
from chipbridge.screening.sources.errors import (
    SourceError,
    country_code,
    csv_rows,
    read_text,
    scalar_text,
    split_multi,
    unique,
)

DATASET = "us_csl"
TITLE = "US Consolidated Screening List"
REQUIRED = ("name", "source")
_TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.COMPANY,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}


def load_csv(path: Path) -> ListSnapshot:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    rows = csv_rows(path, reader)
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration:
        raise SourceError(path, "file is empty") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(path, f"missing column(s) {', '.join(missing)}; is this a CSL export?", 1)
    entries: dict[str, Entry] = {}
    skipped: list[SkippedRow] = []
    line = reader.line_num
    for row in rows:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if [c.strip() for c in row] == header:
            skipped.append(SkippedRow(start, "repeated header line"))
            continue
        if len(row) != len(header):
            skipped.append(
                SkippedRow(
                    start,
                    f"record has {len(row)} fields, expected {len(header)} (truncated record?)",
                )
            )
            continue
        record = dict(zip(header, row, strict=True))
        try:
            entry = entry_from_record(record)
        except ValueError as exc:
            skipped.append(SkippedRow(start, str(exc)))
            continue
        previous = entries.get(entry.id)
        entries[entry.id] = entry if previous is None else merge(previous, entry)
    if not entries:
        raise SourceError(path, _none_usable(skipped, csv_lines=True))
    found = list(entries.values())
    return ListSnapshot(DATASET, TITLE, "csl", found, _as_of(found), skipped, str(path))


def _none_usable(skipped: list[SkippedRow], csv_lines: bool) -> str:
    """The refusal of a file without one usable record names the first problem."""
    if not skipped:
        return "no usable records"
    first = skipped[0]
    where = f"line {first.line}: " if csv_lines else ""
    return f"no usable records; the first problem, {where}{first.reason}"


def merge(first: Entry, second: Entry) -> Entry:
    """Two rows with one id (the CSL repeats some parties): keep every name and detail."""
    names = {a.name.casefold() for a in first.names()}
    extra = [a for a in second.names() if a.name.casefold() not in names]
    return dataclasses.replace(
        first,
        aliases=first.aliases + tuple(Alias(a.name, AliasKind.STRONG) for a in extra),
        countries=unique([*first.countries, *second.countries]),
        addresses=unique([*first.addresses, *second.addresses]),
        identifiers=tuple(dict.fromkeys(first.identifiers + second.identifiers)),
        programs=unique([*first.programs, *second.programs]),
        dates=tuple(dict.fromkeys(first.dates + second.dates)),
        refs=unique([*first.refs, *second.refs]),
    )


def load_json(path: Path) -> ListSnapshot:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON: {exc.msg}", exc.lineno) from exc
    except RecursionError:
        raise SourceError(path, "invalid JSON: nested too deeply") from None
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise SourceError(path, 'expected a "results" array of CSL records')
    entries: list[Entry] = []
    skipped: list[SkippedRow] = []
    for n, record in enumerate(results, start=1):
        if not isinstance(record, dict):
            skipped.append(SkippedRow(n, f"record {n} is not an object"))
            continue
        try:
            entries.append(entry_from_record(record))
        except ValueError as exc:
            skipped.append(SkippedRow(n, f"record {n}: {exc}"))
    if not entries:
        raise SourceError(path, _none_usable(skipped, csv_lines=False))
    return ListSnapshot(DATASET, TITLE, "csl", entries, _as_of(entries), skipped, str(path))


def _text(record: dict[str, Any], key: str, within: str = "") -> str:
    return scalar_text(record.get(key), f"{within}{key}")


def _many(record: dict[str, Any], key: str) -> list[str]:
    return split_multi(record.get(key), field=key)


def _addresses(value: Any) -> tuple[list[str], list[str]]:
    """Addresses as display strings plus the country codes they end in."""
    texts: list[str] = []
    codes: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                parts = [
                    _text(item, k, "addresses.")
                    for k in ("address", "city", "state", "postal_code")
                ]
                cc = _text(item, "country", "addresses.")
                texts.append(", ".join(p for p in [*parts, cc] if p))
                code = country_code(cc)
                if code:
                    codes.append(code)
            elif item:
                texts.append(scalar_text(item, "addresses"))
        return texts, codes
    for address in split_multi(value, field="addresses"):
        texts.append(address)
        tail = address.rsplit(",", 1)[-1].strip()
        code = country_code(tail) if len(tail) == 2 else None
        if code:
            codes.append(code)
    return texts, codes


def _ids(value: Any) -> list[Identifier]:
    out: list[Identifier] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and _text(item, "number", "ids."):
                out.append(
                    Identifier(
                        _text(item, "type", "ids.") or "id",
                        _text(item, "number", "ids."),
                        country_code(_text(item, "country", "ids.")),
                    )
                )
        return out
    for chunk in split_multi(value, field="ids"):
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) >= 2 and parts[1]:
            country = country_code(parts[2]) if len(parts) > 2 else None
            out.append(Identifier(parts[0], parts[1], country))
    return out


def entry_from_record(record: dict[str, Any]) -> Entry:
    """One CSL record (CSV row or JSON object) -> Entry; ValueError when it is unusable."""
    name = _text(record, "name")
    if not name:
        raise ValueError("no name")
    source = _text(record, "source") or TITLE
    entry_id = _text(record, "_id") or _text(record, "id")
    if not entry_id:
        digest = hashlib.sha1(f"{source}|{name}|{_text(record, 'entity_number')}".encode())
        entry_id = digest.hexdigest()[:16]
    addresses, codes = _addresses(record.get("addresses"))
    for key in ("citizenships", "nationalities"):
        for value in _many(record, key):
            code = country_code(value)
            if code:
                codes.append(code)
    dates = [(key, _text(record, key)) for key in ("start_date", "end_date") if _text(record, key)]
    dates.extend(("date_of_birth", d) for d in _many(record, "dates_of_birth"))
    # Treasury's rows carry OFAC's entity number: the same party as on OFAC's own files.
    number = _text(record, "entity_number")
    return Entry(
        id=entry_id,
        dataset=DATASET,
        list_name=source,
        type=_TYPES.get(_text(record, "type").lower(), EntityType.UNKNOWN),
        name=name,
        aliases=tuple(Alias(a, AliasKind.STRONG) for a in _many(record, "alt_names")),
        countries=unique(codes),
        addresses=unique(addresses),
        identifiers=tuple(_ids(record.get("ids"))),
        programs=unique(_many(record, "programs")),
        dates=tuple(dates),
        citation=_text(record, "federal_register_notice") or None,
        source_url=_text(record, "source_list_url")
        or _text(record, "source_information_url")
        or None,
        remarks=_text(record, "remarks") or None,
        refs=(f"ofac:{number}",) if number.isdigit() else (),
    )


def _as_of(entries: list[Entry]) -> date | None:
    """The newest start date in the list: a lower bound for when it was exported."""
    newest: date | None = None
    for entry in entries:
        for key, value in entry.dates:
            if key != "start_date":
                continue
            try:
                day = date.fromisoformat(value[:10])
            except ValueError:
                continue
            if day.year <= date.today().year and (newest is None or day > newest):
                newest = day
    return newest
