"""The built-in list shipped inside the package (``chipbridge/data/builtin_list.yml``).

A curated demonstration snapshot written by the chipbridge maintainers from public
announcements; every entry carries its citation. It is not a substitute for the official
lists, which ``chipbridge lists update`` / ``lists import`` load.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

from chipbridge.screening import tablecache
from chipbridge.screening.model import (
    BUILTIN_DATASET,
    Alias,
    AliasKind,
    EntityType,
    Entry,
    Identifier,
    ListSnapshot,
    Ownership,
)

DATASET = BUILTIN_DATASET
RESOURCE = "data/builtin_list.yml"


def raw() -> dict[str, Any]:
    """The file as parsed; kept in the user cache, keyed by its content: every screen reads
    it, and a fresh process then neither parses it nor imports yaml (0.012 s)."""
    text = resources.files("chipbridge").joinpath(RESOURCE).read_bytes()
    data: dict[str, Any] = tablecache.cached(
        "builtin-list", "pyyaml", lambda: _parse(text), uses=(_parse,), data=text
    )
    return data


def _parse(text: bytes) -> Any:
    import yaml

    return yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load(day: date | None = None) -> ListSnapshot:
    """The built-in list; on ``day``, only the entries listed by then (``listed_on``).

    Each entry cites the act that listed it, so an answer as of a past date leaves out the
    parties listed later, as the official lists of that day did.
    """
    data = raw()
    entries = [_entry(item) for item in data["entries"] if day is None or _listed_on(item) <= day]
    as_of = data["as_of"]
    return ListSnapshot(
        DATASET,
        data["title"],
        "builtin",
        entries,
        as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of)),
        [],
        f"chipbridge/{RESOURCE} (version {data['version']})",
    )


def _listed_on(item: dict[str, Any]) -> date:
    value = item["listed_on"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _entry(item: dict[str, Any]) -> Entry:
    aliases = (
        [Alias(item["name_zh"], AliasKind.STRONG, "Chinese name")] if item.get("name_zh") else []
    )
    for alias in item.get("aliases", []):
        if isinstance(alias, dict):
            aliases.append(
                Alias(alias["name"], AliasKind(alias.get("kind", "strong")), alias.get("note"))
            )
        else:
            aliases.append(Alias(str(alias), AliasKind.STRONG))
    return Entry(
        id=item["id"],
        dataset=DATASET,
        list_name=item["list"],
        type=EntityType(item.get("type", "company")),
        name=item["name"],
        aliases=tuple(aliases),
        countries=tuple(item.get("countries", [])),
        addresses=tuple(item.get("addresses", [])),
        identifiers=tuple(Identifier(**i) for i in item.get("identifiers", [])),
        programs=tuple(item.get("programs", [])),
        dates=(("listed_on", str(item["listed_on"])),),
        citation=item["citation"],
        source_url=item.get("source_url"),
        remarks=item.get("remarks"),
        owners=tuple(Ownership(**o) for o in item.get("owners", [])),
        refs=tuple(str(r) for r in item.get("refs", [])),
    )
