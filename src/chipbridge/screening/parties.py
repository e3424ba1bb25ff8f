"""Listings -> parties: which listed entries name the same party.

One party is often listed several times: the CSL republishes OFAC's lists, a party sits on
more than one list, and the built-in demonstration list repeats parties of the official
lists. A screen answers with one hit per party carrying all its listings, so the same party
cannot fill the top ranks twice or push another party out of them.

Two listings are one party when they share a key:
- the listing itself, ``dataset:id`` (the same id read from two files of one list);
- an explicit cross-reference in :attr:`Entry.refs` (``ofac:30947``: OFAC's entity number,
  carried by OFAC's files, by the CSL rows that republish them and by built-in entries);
- a Federal Register citation together with a normalised name: the act that listed the
  party, naming it (how a built-in Entity List entry finds its official row);
- for organisations, the same full primary name (words and legal form) in the same country:
  a registered company name is unique within its country ("Private Joint-Stock Company Mako
  Holding" on the Entity List and on the SDN). People are never joined by name alone.
Keys join transitively (union-find), so A~B and B~C make one party of three listings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from chipbridge.screening.model import AliasKind, EntityType, Entry
from chipbridge.screening.normalize import analyse

_FR = re.compile(r"\b(\d{1,3})\s*F\.?\s*R\.?\s*(\d{3,6})\b")


def party_keys(entry: Entry) -> set[str]:
    """Every key that identifies the party this entry lists."""
    keys = {f"{entry.dataset}:{entry.id}", *entry.refs}
    if entry.type in (EntityType.COMPANY, EntityType.UNKNOWN) and entry.countries:
        form = analyse(entry.name, False)
        # An entry of unknown type is taken for an organisation only if it has a legal form.
        if form.tokens and (form.legal or entry.type is EntityType.COMPANY):
            name = " ".join(form.tokens) + "|" + " ".join(form.legal)
            keys.update(f"org:{country}:{name}" for country in entry.countries)
    citations = _FR.findall(entry.citation or "")
    if citations:
        person = entry.type is EntityType.PERSON
        # The primary name, and aliases of several words: a one-word alias ("Huawei") can be
        # shared by several parties listed by one act.
        names = [
            a.name
            for a in entry.names()
            if a.kind is AliasKind.PRIMARY
            or (a.kind is AliasKind.STRONG and len(analyse(a.name, person).tokens) > 1)
        ]
        for name in names:
            # Legal forms count: "Stroytransgaz LLC" and "Stroytransgaz OJSC" are two parties.
            form = analyse(name, person)
            if form.tokens:
                text = " ".join(form.tokens) + "|" + " ".join(form.legal)
                keys.update(f"fr:{vol}/{page}:{text}" for vol, page in citations)
    return keys


def group(entries: Sequence[Entry]) -> list[int]:
    """For each entry, the index of its party's representative (its first listing)."""
    parent = list(range(len(entries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, entry in enumerate(entries):
        for key in party_keys(entry):
            j = owner.setdefault(key, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(len(entries))]


def members(roots: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Representative -> every listing of that party, for parties listed more than once."""
    found: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        found.setdefault(root, []).append(i)
    return {root: tuple(m) for root, m in found.items() if len(m) > 1}
