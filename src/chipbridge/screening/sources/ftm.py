"""OpenSanctions / FollowTheMoney entities, one JSON object per line.

Read through ``followthemoney`` so property names, schemata and inheritance follow the
published model. Sanction entities contribute programs, dates and source links to the party
they sanction; Ownership entities become owner links (with percentages) used by the
ownership (50% rule) checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chipbridge.screening.model import (
    Alias,
    AliasKind,
    EntityType,
    Entry,
    Identifier,
    ListSnapshot,
    Ownership,
)
from chipbridge.screening.sources.errors import SourceError, read_text, unique

DATASET = "opensanctions"
TITLE = "OpenSanctions (FollowTheMoney entities)"
_PARTY_TYPES = (
    ("Person", EntityType.PERSON),
    ("Vessel", EntityType.VESSEL),
    ("Airplane", EntityType.AIRCRAFT),
    ("Organization", EntityType.COMPANY),
    ("LegalEntity", EntityType.UNKNOWN),
)
_ID_PROPS = (
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "leiCode",
    "imoNumber",
    "isin",
    "innCode",
)


def _percent(values: list[str]) -> float | None:
    for value in values:
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            continue
    return None


def _shaped(data: object) -> dict[str, Any]:
    """One line's entity, checked for the shape FtM assumes (it trusts its input)."""
    if not isinstance(data, dict):
        raise ValueError("each line must hold one JSON object")
    if not isinstance(data.get("schema"), str):
        raise ValueError('"schema" must be a schema name')
    if not isinstance(data.get("id"), str | None):
        raise ValueError('"id" must be text')
    properties = data.get("properties", {})
    if not isinstance(properties, dict) or not all(
        isinstance(values, list) and all(isinstance(v, str) for v in values)
        for values in properties.values()
    ):
        raise ValueError('"properties" must map each property to a list of texts')
    return data


def load(path: Path) -> ListSnapshot:
    # Imported here: followthemoney loads its whole schema model (seconds) on import, and only
    # an FtM import needs it.
    from followthemoney import model
    from followthemoney.exc import InvalidData

    text = read_text(path)
    parties: dict[str, Any] = {}
    sanctions: list[Any] = []
    owners: dict[str, list[Ownership]] = {}
    # Only "\n" ends a line: JSON strings may hold U+2028 and other characters that
    # str.splitlines() would also split on.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(path, f"invalid JSON: {exc.msg}", n) from exc
        except RecursionError:
            raise SourceError(path, "invalid JSON: nested too deeply", n) from None
        try:
            proxy = model.get_proxy(_shaped(data), cleaned=False)
        except (InvalidData, ValueError) as exc:
            raise SourceError(path, f"not a FollowTheMoney entity: {exc}", n) from exc
        if proxy.schema.is_a("Sanction"):
            sanctions.append(proxy)
        elif proxy.schema.is_a("Ownership"):
            for asset in proxy.get("asset"):
                for owner in proxy.get("owner"):
                    owners.setdefault(asset, []).append(
                        Ownership(owner, _percent(proxy.get("percentage")))
                    )
        elif proxy.id and (proxy.schema.is_a("LegalEntity") or proxy.schema.is_a("Vessel")):
            parties[proxy.id] = proxy
    programs: dict[str, list[str]] = {}
    citations: dict[str, list[str]] = {}
    for sanction in sanctions:
        for entity in sanction.get("entity"):
            programs.setdefault(entity, []).extend(sanction.get("program"))
            citations.setdefault(entity, []).extend(
                sanction.get("authority") + sanction.get("sourceUrl")
            )
    entries = [_entry(p, programs, citations, owners) for p in parties.values() if p.caption]
    if not entries:
        raise SourceError(path, "no persons, companies, organisations or vessels")
    return ListSnapshot(DATASET, TITLE, "ftm", entries, None, [], str(path))


def _entry(
    proxy: Any,
    programs: dict[str, list[str]],
    citations: dict[str, list[str]],
    owners: dict[str, list[Ownership]],
) -> Entry:
    from followthemoney import registry

    kind = next((k for schema, k in _PARTY_TYPES if proxy.schema.is_a(schema)), EntityType.UNKNOWN)
    names = proxy.get("name")
    primary = names[0] if names else proxy.caption
    aliases = [Alias(n, AliasKind.STRONG) for n in names[1:]]
    aliases += [Alias(n, AliasKind.STRONG) for n in proxy.get("alias")]
    aliases += [Alias(n, AliasKind.WEAK) for n in proxy.get("weakAlias")]
    aliases += [Alias(n, AliasKind.FORMER) for n in proxy.get("previousName")]
    countries = [c.upper() for c in proxy.get_type_values(registry.country)]
    identifiers = [
        Identifier(prop, value)
        for prop in _ID_PROPS
        if prop in proxy.schema.properties
        for value in proxy.get(prop)
    ]
    dates = [("listing_date", d) for d in proxy.get("createdAt")]
    if kind is EntityType.PERSON:
        dates += [("date_of_birth", d) for d in proxy.get("birthDate")]
    return Entry(
        id=proxy.id,
        dataset=DATASET,
        list_name=", ".join(proxy.get("topics")) or TITLE,
        type=kind,
        name=primary,
        aliases=tuple(aliases),
        countries=unique(countries),
        addresses=unique(proxy.get("address")),
        identifiers=tuple(identifiers),
        programs=unique(programs.get(proxy.id, []) + proxy.get("program", quiet=True)),
        dates=tuple(dates),
        citation="; ".join(unique(citations.get(proxy.id, []))) or None,
        source_url=next(iter(proxy.get("sourceUrl", quiet=True)), None),
        remarks="; ".join(proxy.get("notes")) or None,
        owners=tuple(owners.get(proxy.id, [])),
    )
