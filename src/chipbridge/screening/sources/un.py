"""UN Security Council Consolidated List, official XML (CONSOLIDATED_LIST)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from chipbridge.screening.model import (
    Alias,
    AliasKind,
    EntityType,
    Entry,
    ListSnapshot,
    SkippedRow,
)
from chipbridge.screening.sources.errors import SourceError, country_code, unique

DATASET = "un_sc"
TITLE = "UN Security Council Consolidated List"
URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
LIST_NAME = "UN Security Council Consolidated List"


def _text(node: ET.Element | None, tag: str) -> str:
    if node is None:
        return ""
    found = node.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def load(path: Path) -> ListSnapshot:
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise SourceError(path, f"invalid XML: {exc}", line) from exc
    except LookupError as exc:  # the XML declaration names an encoding Python does not know
        raise SourceError(path, f"invalid XML: {exc}", 1) from exc
    except OSError as exc:
        raise SourceError(path, f"cannot read file ({exc.strerror})") from exc
    root = tree.getroot()
    if root.tag != "CONSOLIDATED_LIST":
        raise SourceError(path, f"root element is <{root.tag}>, expected <CONSOLIDATED_LIST>")
    entries: list[Entry] = []
    skipped: list[SkippedRow] = []
    # ElementTree keeps no line numbers, so a skipped record is reported by its position.
    for n, (node, kind, prefix) in enumerate(
        [
            *((node, EntityType.PERSON, "INDIVIDUAL") for node in root.iter("INDIVIDUAL")),
            *((node, EntityType.COMPANY, "ENTITY") for node in root.iter("ENTITY")),
        ],
        start=1,
    ):
        entry = _entry(node, kind, prefix)
        if not entry.id or not entry.name:
            missing = "DATAID" if not entry.id else "name"
            skipped.append(SkippedRow(n, f"{prefix} record {n} has no {missing}"))
            continue
        entries.append(entry)
    if not entries:
        raise SourceError(path, "no INDIVIDUAL or ENTITY records")
    generated = root.get("dateGenerated", "")[:10]
    try:
        as_of: date | None = date.fromisoformat(generated)
    except ValueError:
        as_of = None
    return ListSnapshot(DATASET, TITLE, "un", entries, as_of, skipped, str(path))


def _entry(node: ET.Element, kind: EntityType, prefix: str) -> Entry:
    name_parts = [
        _text(node, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    ]
    name = " ".join(p for p in name_parts if p)
    aliases: list[Alias] = []
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append(Alias(original, AliasKind.STRONG, "original script"))
    for alias in node.iter(f"{prefix}_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name:
            quality = _text(alias, "QUALITY").lower()
            aliases.append(
                Alias(alias_name, AliasKind.WEAK if quality == "low" else AliasKind.STRONG)
            )
    countries: list[str | None] = [country_code(v.text) for v in node.findall("NATIONALITY/VALUE")]
    addresses: list[str] = []
    for address in node.iter(f"{prefix}_ADDRESS"):
        parts = [_text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
        text = ", ".join(p for p in parts if p)
        if text:
            addresses.append(text)
        countries.append(country_code(_text(address, "COUNTRY")))
    dates = [("listed_on", _text(node, "LISTED_ON"))] if _text(node, "LISTED_ON") else []
    for dob in node.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        value = _text(dob, "DATE") or _text(dob, "YEAR")
        if value:
            dates.append(("date_of_birth", value))
    reference = _text(node, "REFERENCE_NUMBER")
    return Entry(
        id=_text(node, "DATAID"),
        dataset=DATASET,
        list_name=LIST_NAME,
        type=kind,
        name=name,
        aliases=tuple(aliases),
        countries=unique([c for c in countries if c]),
        addresses=unique(addresses),
        programs=unique([_text(node, "UN_LIST_TYPE")]),
        dates=tuple(dates),
        citation=f"UN reference {reference}" if reference else None,
        source_url=URL,
        remarks=_text(node, "COMMENTS1") or None,
    )
