"""Who each party of an ownership file is: a list entry, found by id or by exact name, or a
party of the importer's own, unlisted.

Resolution happens once, at import, against the lists active then, and is stored as the
party's key, so later answers do not depend on how a name would match later lists. A
listed party is keyed by its entries ("dataset:id", several joined by ";"): whether it
is listed on a given day is then a question for the lists active that day. A party unlisted
at import becomes listed on the day an entry carries its exact name (derive.parties).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chipbridge.ownership.derive import NAME, OWN
from chipbridge.ownership.rules import DERIVED
from chipbridge.screening import Entry, Hit
from chipbridge.screening.sources import builtin, csl, ftm, un

# A name resolves to a list entry by itself only when it is that entry's name (score 1 up
# to rounding): a near match is a question for the importer, never a guess.
EXACT = 0.999
# A name given beside a list id must match that entry at least this well (it may be the
# Chinese name, a former name or an alias): this catches an own id that happens to be some
# list entry's id.
NAME_CHECK = 0.6

Screen = Callable[[str, float | None], list[Hit]]
KNOWN_DATASETS = {builtin.DATASET, csl.DATASET, ftm.DATASET, un.DATASET, "ofac_sdn", "ofac_cons"}


@dataclass(frozen=True, slots=True)
class Resolved:
    key: str
    name: str  # the name stored with the link: as given, else the entry's
    how: str  # "list id", "name", "own id" or "unlisted name"


class Resolver:
    def __init__(self, entries: Iterable[Entry], screen: Screen) -> None:
        self.by_key: dict[tuple[str, str], Entry] = {}
        self.by_id: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.dataset == DERIVED:
                continue
            self.by_key[(entry.dataset, entry.id)] = entry
            self.by_id.setdefault(entry.id, []).append(entry)
        # "dataset:id" names a list entry for every dataset chipbridge imports, active or not,
        # so "us_csl:123" is never taken for an id of the importer's own.
        self.datasets = {dataset for dataset, _ in self.by_key} | KNOWN_DATASETS
        self._screen = screen
        self._hits: dict[tuple[str, float | None], list[tuple[Hit, list[Entry]]]] = {}

    def hits(self, name: str, threshold: float | None = None) -> list[tuple[Hit, list[Entry]]]:
        """Listed parties for a name, each with its list entries (the screener answers one
        hit per party, with all its listings), leaving out entries the rules derived.
        Remembered: files repeat their parties."""
        key = (name, threshold)
        if key not in self._hits:
            found = []
            for hit in self._screen(name, threshold):
                entries = [e for e in hit.listings if e.dataset != DERIVED]
                if entries:
                    found.append((hit, entries))
            self._hits[key] = found
        return self._hits[key]

    def party(self, name: str, ident: str, role: str) -> Resolved:
        """The party a file names; ValueError saying why it cannot be told."""
        return self._by_id(name, ident, role) if ident else self._by_name(name, role)

    def _by_id(self, name: str, ident: str, role: str) -> Resolved:
        parts = [p.strip() for p in ident.split(";") if p.strip()]
        found: list[Entry] = []
        own: list[str] = []
        for part in parts:
            dataset, colon, rest = part.partition(":")
            if colon and dataset in self.datasets:
                entry = self.by_key.get((dataset, rest))
                if entry is None:
                    raise ValueError(
                        f"{role}_id {part!r}: {dataset} has no entry {rest!r} on the active lists"
                    )
                found.append(entry)
                continue
            matches = self.by_id.get(part, [])
            if len(matches) > 1:
                which = ", ".join(f"{e.dataset}:{e.id} ({e.name})" for e in matches)
                raise ValueError(
                    f"{role}_id {part!r} is the id of entries on several lists ({which}); "
                    "write dataset:id"
                )
            if matches:
                found.append(matches[0])
            else:
                own.append(part)
        if own and (found or len(own) > 1):
            raise ValueError(
                f"{role}_id {ident!r}: {own[0]!r} is no active list entry's id, and only the "
                "ids of one party's list entries may be joined with ';'"
            )
        if own:
            return Resolved(OWN + own[0], name or own[0], "own id")
        if name and not self._matches(name, found):
            listed = ", ".join(f"{e.dataset}:{e.id} {e.name!r}" for e in found)
            raise ValueError(
                f"{role}_name {name!r} does not match {role}_id {ident!r}, which is {listed}; "
                "check the id (an id of your own must not be a list entry's id)"
            )
        key = ";".join(sorted({f"{e.dataset}:{e.id}" for e in found}))
        return Resolved(key, name or found[0].name, "list id")

    def _matches(self, name: str, entries: list[Entry]) -> bool:
        folded = name.casefold().strip()
        if any(folded == alias.name.casefold().strip() for e in entries for alias in e.names()):
            return True
        wanted = {(e.dataset, e.id) for e in entries}
        return any(
            (e.dataset, e.id) in wanted for _, listed in self.hits(name, NAME_CHECK) for e in listed
        )

    def _by_name(self, name: str, role: str) -> Resolved:
        hits = self.hits(name)
        if not hits:
            return Resolved(NAME + " ".join(name.casefold().split()), name, "unlisted name")
        exact = [(h, listed) for h, listed in hits if h.score >= EXACT]
        if len(exact) == 1:
            # One party, with every list entry the screener knows it by.
            key = ";".join(sorted({f"{e.dataset}:{e.id}" for e in exact[0][1]}))
            return Resolved(key, name, "name")
        if exact:
            which = "; ".join(
                ", ".join(f"{e.dataset}:{e.id}" for e in listed) + f" ({listed[0].name})"
                for _, listed in exact
            )
            raise ValueError(
                f"{role}_name {name!r} is ambiguous: it is the name of {len(exact)} listed "
                f"parties ({which}); give {role}_id: the ids of the one it is, joined by ';'"
            )
        close = ", ".join(
            f"{listed[0].dataset}:{listed[0].id} {listed[0].name!r} ({h.score:.2f})"
            for h, listed in hits[:3]
        )
        raise ValueError(
            f"{role}_name {name!r} is ambiguous: it is close to listed {close} but not the same "
            f"name; give {role}_id: the entry's id if it is that party, or an id of your own"
        )
