"""The one internal entry model every list format is turned into.

Kept free of matching logic (rigour/nomenklatura style): loaders produce these records, the
index consumes them, and the store serialises them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

# The dataset name of the list shipped inside the package (sources/builtin.py).
BUILTIN_DATASET = "chipbridge_builtin"


class EntityType(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class AliasKind(StrEnum):
    """How much an alias can be relied on.

    OFAC distinguishes strong a.k.a.s (enough on their own to identify the party) from weak
    ones (nicknames, short forms); the UN says "Good" or "Low" quality. A hit through a weak
    alias is scored lower and says so.
    """

    PRIMARY = "primary"
    STRONG = "strong"
    WEAK = "weak"
    FORMER = "former"
    # Never published: a spelling chipbridge derives from a listed name (its acronym).
    DERIVED = "derived"


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    kind: AliasKind = AliasKind.STRONG
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: str
    value: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Ownership:
    """A published ownership link: ``owner_id`` holds ``percent`` of this entry (None = unknown)."""

    owner_id: str
    percent: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed party, as its list publishes it."""

    id: str
    dataset: str
    list_name: str
    type: EntityType
    name: str
    aliases: tuple[Alias, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()
    citation: str | None = None
    source_url: str | None = None
    remarks: str | None = None
    owners: tuple[Ownership, ...] = ()
    # Cross-reference keys naming the same party on other lists ("ofac:30947": OFAC's entity
    # number, which the CSL republishes). Listings sharing a key are one party.
    refs: tuple[str, ...] = ()

    @property
    def builtin(self) -> bool:
        """Whether this is the shipped demonstration list, which yields to official lists."""
        return self.dataset == BUILTIN_DATASET

    def names(self) -> list[Alias]:
        """The primary name followed by every alias, without duplicates."""
        seen: set[str] = set()
        out: list[Alias] = []
        for alias in (Alias(self.name, AliasKind.PRIMARY), *self.aliases):
            key = alias.name.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                out.append(alias)
        return out

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(
            id=data["id"],
            dataset=data["dataset"],
            list_name=data["list_name"],
            type=EntityType(data["type"]),
            name=data["name"],
            aliases=tuple(
                Alias(a["name"], AliasKind(a["kind"]), a.get("note")) for a in data["aliases"]
            ),
            countries=tuple(data["countries"]),
            addresses=tuple(data["addresses"]),
            identifiers=tuple(Identifier(**i) for i in data["identifiers"]),
            programs=tuple(data["programs"]),
            dates=tuple((k, v) for k, v in data["dates"]),
            citation=data.get("citation"),
            source_url=data.get("source_url"),
            remarks=data.get("remarks"),
            owners=tuple(Ownership(**o) for o in data.get("owners", [])),
            refs=tuple(data.get("refs", [])),
        )


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A record the loader could not use, with where and why, so nothing is dropped silently."""

    line: int
    reason: str


@dataclass(slots=True)
class ListSnapshot:
    """One imported list: its entries plus what the loader had to skip."""

    dataset: str
    title: str
    format: str
    entries: list[Entry]
    as_of: date | None = None
    skipped: list[SkippedRow] = field(default_factory=list)
    source: str | None = None
