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
    read_text,
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
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SourceError(path, "file is empty") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(path, f"missing column(s) {', '.join(missing)}; is this a CSL export?", 1)
    entries: dict[str, Entry] = {}
    skipped: list[SkippedRow] = []
    line = reader.line_num
    for row in reader:
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
        raise SourceError(path, "no usable records")
    found = list(entries.values())
    return ListSnapshot(DATASET, TITLE, "csl", found, _as_of(found), skipped, str(path))


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
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise SourceError(path, 'expected a "results" array of CSL records')
    entries: list[Entry] = []
    skipped: list[SkippedRow] = []
    for n, record in enumerate(results, start=1):
        if not isinstance(record, dict) or not record.get("name"):
            skipped.append(SkippedRow(n, f"record {n} has no name"))
            continue
        entries.append(entry_from_record(record))
    if not entries:
        raise SourceError(path, "no usable records")
    return ListSnapshot(DATASET, TITLE, "csl", entries, _as_of(entries), skipped, str(path))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _addresses(value: Any) -> tuple[list[str], list[str]]:
    """Addresses as display strings plus the country codes they end in."""
    texts: list[str] = []
    codes: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                parts = [_text(item.get(k)) for k in ("address", "city", "state", "postal_code")]
                cc = _text(item.get("country"))
                texts.append(", ".join(p for p in [*parts, cc] if p))
                code = country_code(cc)
                if code:
                    codes.append(code)
            elif item:
                texts.append(_text(item))
        return texts, codes
    for address in split_multi(_text(value)):
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
            if isinstance(item, dict) and item.get("number"):
                out.append(
                    Identifier(
                        _text(item.get("type")) or "id",
                        _text(item["number"]),
                        country_code(_text(item.get("country"))),
                    )
                )
        return out
    for chunk in split_multi(_text(value)):
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) >= 2 and parts[1]:
            country = country_code(parts[2]) if len(parts) > 2 else None
            out.append(Identifier(parts[0], parts[1], country))
    return out


def entry_from_record(record: dict[str, Any]) -> Entry:
    """One CSL record (CSV row or JSON object) -> Entry."""
    name = _text(record.get("name"))
    if not name:
        raise ValueError("record has no name")
    source = _text(record.get("source")) or TITLE
    entry_id = _text(record.get("_id")) or _text(record.get("id"))
    if not entry_id:
        digest = hashlib.sha1(f"{source}|{name}|{_text(record.get('entity_number'))}".encode())
        entry_id = digest.hexdigest()[:16]
    addresses, codes = _addresses(record.get("addresses"))
    for key in ("citizenships", "nationalities"):
        for value in split_multi(record.get(key)):
            code = country_code(value)
            if code:
                codes.append(code)
    dates = [
        (key, _text(record.get(key)))
        for key in ("start_date", "end_date")
        if _text(record.get(key))
    ]
    dates.extend(("date_of_birth", d) for d in split_multi(record.get("dates_of_birth")))
    # Treasury's rows carry OFAC's entity number: the same party as on OFAC's own files.
    number = _text(record.get("entity_number"))
    return Entry(
        id=entry_id,
        dataset=DATASET,
        list_name=source,
        type=_TYPES.get(_text(record.get("type")).lower(), EntityType.UNKNOWN),
        name=name,
        aliases=tuple(Alias(a, AliasKind.STRONG) for a in split_multi(record.get("alt_names"))),
        countries=unique(codes),
        addresses=unique(addresses),
        identifiers=tuple(_ids(record.get("ids"))),
        programs=unique(split_multi(record.get("programs"))),
        dates=tuple(dates),
        citation=_text(record.get("federal_register_notice")) or None,
        source_url=_text(record.get("source_list_url"))
        or _text(record.get("source_information_url"))
        or None,
        remarks=_text(record.get("remarks")) or None,
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
