"""OFAC legacy CSV sets: the SDN list (sdn.csv, alt.csv, add.csv, sdn_comments.csv) and the
consolidated non-SDN list (cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv).

The files have no header, write "-0-" for an empty cell, are latin-1 encoded and end with a
DOS end-of-file byte (0x1A). Weak a.k.a.s are only given in the remarks ("a.k.a. 'BNC'").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from chipbridge.screening.model import (
    Alias,
    AliasKind,
    EntityType,
    Entry,
    ListSnapshot,
    SkippedRow,
)
from chipbridge.screening.sources.errors import SourceError, country_code, csv_rows, unique

SDN_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONS_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
SDN_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
CONS_URL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"
_TYPES = {
    "individual": EntityType.PERSON,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}
_ALT_KINDS = {"aka": AliasKind.STRONG, "nka": AliasKind.STRONG, "fka": AliasKind.FORMER}
_WEAK_AKA = re.compile(r"a\.k\.a\.,?\s+'([^']+)'")
_DOB = re.compile(r"DOB ([^;.]+)")
# Program tags of the consolidated list -> the list each program belongs to.
_CONS_LISTS = {
    "CMIC-EO13959": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC)",
    "UKRAINE-EO13662": "Sectoral Sanctions Identifications List (SSI)",
    "NS-PLC": "Non-SDN Palestinian Legislative Council List (NS-PLC)",
    "RUSSIA-EO14024": "Non-SDN Menu-Based Sanctions List (NS-MBS List)",
}


@dataclass
class _Parts:
    aliases: dict[str, list[Alias]] = field(default_factory=dict)
    addresses: dict[str, list[str]] = field(default_factory=dict)
    countries: dict[str, list[str]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)


def _cell(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-0-") else value


def _rows(path: Path, width: int, skipped: list[SkippedRow]) -> list[tuple[int, list[str | None]]]:
    """(line, cells) of one legacy file, ``width`` cells each; others are reported and skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read file ({exc.strerror})") from exc
    data = data.rstrip(b"\x1a\r\n ")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    out: list[tuple[int, list[str | None]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    line = 0
    for row in csv_rows(path, reader):
        start, line = line + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width:
            skipped.append(SkippedRow(start, f"{path.name}: {len(row)} fields, expected {width}"))
            continue
        out.append((start, [_cell(c) for c in row[:width]]))
    return out


def _find(folder: Path) -> tuple[str, dict[str, Path]]:
    for dataset, names in (("ofac_sdn", SDN_FILES), ("ofac_cons", CONS_FILES)):
        primary = folder / names[0]
        if primary.exists():
            return dataset, {n: folder / n for n in names}
    raise SourceError(folder, "no sdn.csv or cons_prim.csv in this folder; is it an OFAC set?")


def load(path: Path) -> ListSnapshot:
    folder = path if path.is_dir() else path.parent
    dataset, files = _find(folder)
    prim, alt, add, comments = (
        files[n] for n in (SDN_FILES if dataset == "ofac_sdn" else CONS_FILES)
    )
    skipped: list[SkippedRow] = []
    primary_rows = _rows(prim, 12, skipped)
    if not primary_rows:
        raise SourceError(prim, "no records")
    if not (primary_rows[0][1][0] or "").isdigit():
        raise SourceError(prim, "first column is not an OFAC entity number; is this sdn.csv?", 1)
    parts = _Parts()
    if alt.exists():
        for _, (ent, _num, kind, name, _remarks) in _rows(alt, 5, skipped):
            if ent and name:
                alias = Alias(name, _ALT_KINDS.get((kind or "aka").lower(), AliasKind.STRONG))
                parts.aliases.setdefault(ent, []).append(alias)
    if add.exists():
        for _, (ent, _num, street, city, country, _remarks) in _rows(add, 6, skipped):
            if not ent:
                continue
            text = ", ".join(p for p in (street, city, country) if p)
            if text:
                parts.addresses.setdefault(ent, []).append(text)
            code = country_code(country)
            if code:
                parts.countries.setdefault(ent, []).append(code)
    if comments.exists():
        for _, (ent, remark) in _rows(comments, 2, skipped):
            if ent and remark:
                parts.comments.setdefault(ent, []).append(remark)
    entries: list[Entry] = []
    for line, row in primary_rows:
        if row[0] and row[1]:
            entries.append(_entry(dataset, row, parts))
        else:
            missing = "entity number" if not row[0] else "name"
            skipped.append(SkippedRow(line, f"{prim.name}: record has no {missing}"))
    if not entries:
        # Every record was unusable: an empty list is no snapshot to replace the last one.
        raise SourceError(prim, f"no usable records ({skipped[0].reason}, line {skipped[0].line})")
    title = "OFAC SDN List" if dataset == "ofac_sdn" else "OFAC Consolidated (non-SDN) List"
    return ListSnapshot(dataset, title, "ofac", entries, None, skipped, str(folder))


def _entry(dataset: str, row: list[str | None], parts: _Parts) -> Entry:
    ent, name, kind, program, title, *_vessel, remarks = row
    assert ent is not None and name is not None
    remark_text = " ".join([remarks or "", *parts.comments.get(ent, [])]).strip() or None
    aliases = list(parts.aliases.get(ent, []))
    if remark_text:
        aliases.extend(Alias(m, AliasKind.WEAK) for m in _WEAK_AKA.findall(remark_text))
    programs = [p.strip(" []") for p in re.split(r"\]\s*\[", program or "") if p.strip(" []")]
    if dataset == "ofac_sdn":
        list_name = "Specially Designated Nationals (SDN) - Treasury Department"
        url = SDN_URL
    else:
        list_name = next(
            (_CONS_LISTS[p] for p in programs if p in _CONS_LISTS), "OFAC Consolidated (non-SDN)"
        )
        url = CONS_URL
    dates = [("date_of_birth", d.strip()) for d in _DOB.findall(remark_text or "")]
    return Entry(
        id=ent,
        dataset=dataset,
        list_name=list_name,
        type=_TYPES.get((kind or "").lower(), EntityType.COMPANY),
        name=name,
        aliases=tuple(aliases),
        countries=unique(parts.countries.get(ent, [])),
        addresses=unique(parts.addresses.get(ent, [])),
        programs=tuple(programs),
        dates=tuple(dates),
        citation=None,
        source_url=url,
        remarks=" ".join(filter(None, [title, remark_text])) or None,
        refs=(f"ofac:{ent}",),
    )
