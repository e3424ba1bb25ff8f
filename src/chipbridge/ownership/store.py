"""Imported ownership, kept by generation beside the list versions, and the rules file.

Every ``chipbridge ownership import`` (or ``drop``) is one generation of the list store
(``lists/versions.sqlite``): the import and its links are written in the same transaction
that opens the generation and marks the working group's re-screen pending. An import
replaces the links of its source (``--source``, default ``main``); the links in use at a
moment are, per source, those of its last import at or before that moment. Together with
each link's own start and end dates and the rules in force on the day, this makes every
``--as-of`` answer reproducible: the same moment always gives the same derived entries.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from chipbridge.ownership import derive
from chipbridge.ownership.graph import Graph, Link, Result
from chipbridge.ownership.rules import DERIVED, RulesError, RuleSet, parse
from chipbridge.screening.model import Entry, ListSnapshot
from chipbridge.store.versions import StoreError, VersionStore

RULES_ENV = "CHIPBRIDGE_OWNERSHIP_RULES"
RULES_RESOURCE = "data/ownership_rules.yml"

SCHEMA = """
CREATE TABLE IF NOT EXISTS ownership_import (
    generation INTEGER PRIMARY KEY REFERENCES generation (number),
    source TEXT NOT NULL,
    file TEXT,
    format TEXT NOT NULL,
    links INTEGER NOT NULL,
    dropped INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    lists_key TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ownership_link (
    generation INTEGER NOT NULL REFERENCES ownership_import (generation),
    line INTEGER NOT NULL,
    owner TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    owned TEXT NOT NULL,
    owned_name TEXT NOT NULL,
    percent REAL,
    start_date TEXT,
    end_date TEXT,
    PRIMARY KEY (generation, line)
);
"""


def load_rules() -> RuleSet:
    """The rules file in use: ``$CHIPBRIDGE_OWNERSHIP_RULES`` when set, else the one shipped
    in the package. Read on every call (it is small) so an edit applies at once; a file
    that cannot be used is a StoreError naming it."""
    override = os.environ.get(RULES_ENV)
    try:
        if override:
            text, source = Path(override).read_text(encoding="utf-8"), override
        else:
            text = resources.files("chipbridge").joinpath(RULES_RESOURCE).read_text("utf-8")
            source = f"chipbridge/{RULES_RESOURCE}"
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"ownership rules {override}: cannot be read ({exc})") from None
    try:
        return _parsed(text, source)
    except RulesError as exc:
        raise StoreError(f"ownership rules: {exc}") from None


@lru_cache(maxsize=4)
def _parsed(text: str, source: str) -> RuleSet:
    return parse(text, source)


@dataclass(frozen=True, slots=True)
class Import:
    """One import (or drop) of a source."""

    generation: int
    source: str
    file: str | None
    format: str
    links: int
    dropped: bool
    content_hash: str
    lists_key: str
    imported_at: str


@dataclass(frozen=True, slots=True)
class OwnershipState:
    """The ownership in use at one moment, and the rules on its day."""

    imports: tuple[Import, ...]  # the last import of each source that has links
    day: date
    rules: RuleSet
    fingerprint: str  # names everything the derived entries depend on besides the lists

    @property
    def generation(self) -> int:
        """The newest import in use: what a screening record names."""
        return max(i.generation for i in self.imports)


@dataclass(frozen=True, slots=True)
class StoredLinks:
    links: list[Link]
    names: dict[str, list[str]]  # party key -> the names imported for it, first seen first


class OwnershipStore:
    def __init__(self, versions: VersionStore) -> None:
        self.versions = versions

    def imports(self, generation: int | None = None) -> list[Import]:
        """Per source, its last import at or before ``generation`` (default: every import,
        oldest first)."""
        with self.versions.reading() as db:
            if db is None or not _exists(db):
                return []
            if generation is None:
                rows = db.execute(f"SELECT {_COLUMNS} FROM ownership_import ORDER BY generation")
            else:
                rows = db.execute(
                    f"""SELECT {_COLUMNS} FROM ownership_import WHERE generation IN (
                            SELECT max(generation) FROM ownership_import
                            WHERE generation <= ? GROUP BY source)
                        ORDER BY source""",
                    (generation,),
                )
            return [_import(row) for row in rows]

    def state(self, generation: int, day: date) -> OwnershipState | None:
        """The ownership in use at list generation ``generation`` on ``day``; None when no
        source has links then (nothing to derive: the lists' index key stays as it was)."""
        imports = tuple(i for i in self.imports(generation) if not i.dropped)
        if not imports:
            return None
        rules = load_rules()
        digest = hashlib.sha256()
        digest.update(rules.digest.encode())
        digest.update(",".join(r.id for r in rules.applying(day)).encode())
        for item in imports:
            digest.update(f"|{item.generation}:{item.content_hash}".encode())
        with self.versions.reading() as db:
            assert db is not None
            for gen, line in db.execute(
                f"""SELECT generation, line FROM ownership_link
                    WHERE generation IN ({",".join("?" * len(imports))}) AND {_VALID}
                    ORDER BY generation, line""",
                (*(i.generation for i in imports), day.isoformat(), day.isoformat()),
            ):
                digest.update(f"{gen}.{line},".encode())
        return OwnershipState(imports, day, rules, digest.hexdigest()[:16])

    def links(self, imports: Sequence[Import], day: date | None = None) -> StoredLinks:
        """The links of these imports (only those valid on ``day`` when given)."""
        if not imports:
            return StoredLinks([], {})
        marks = ",".join("?" * len(imports))
        where = f"generation IN ({marks})"
        params: list[object] = [i.generation for i in imports]
        if day is not None:
            where += f" AND {_VALID}"
            params += [day.isoformat(), day.isoformat()]
        with self.versions.reading() as db:
            assert db is not None
            rows = db.execute(
                "SELECT generation, line, owner, owner_name, owned, owned_name, percent, "
                f"start_date, end_date FROM ownership_link WHERE {where} "
                "ORDER BY generation, line",
                params,
            ).fetchall()
        sources = {i.generation: i.source for i in imports}
        links: list[Link] = []
        names: dict[str, list[str]] = {}
        for gen, line, owner, owner_name, owned, owned_name, pct, start, end in rows:
            links.append(
                Link(
                    owner,
                    owned,
                    pct,
                    date.fromisoformat(start) if start else None,
                    date.fromisoformat(end) if end else None,
                    f"{sources[gen]} line {line}",
                )
            )
            for key, name in ((owner, owner_name), (owned, owned_name)):
                seen = names.setdefault(key, [])
                if name and name not in seen:
                    seen.append(name)
        return StoredLinks(links, names)

    def evaluate(
        self, state: OwnershipState, snapshots: Sequence[ListSnapshot]
    ) -> tuple[Graph, Result]:
        """The rules of ``state``'s day applied to its links, parties named and listed by
        the lists of ``snapshots``."""
        graph, result, _, _ = self._evaluate(state, snapshots)
        return graph, result

    def derived(self, state: OwnershipState, snapshots: Sequence[ListSnapshot]) -> ListSnapshot:
        """The parties caught on ``state``'s day, as the entries of the derived dataset."""
        graph, result, entries, names = self._evaluate(state, snapshots)
        return derive.snapshot(graph, result, entries, names)

    def _evaluate(
        self, state: OwnershipState, snapshots: Sequence[ListSnapshot]
    ) -> tuple[Graph, Result, dict[tuple[str, str], Entry], dict[str, list[str]]]:
        entries = {
            (e.dataset, e.id): e for s in snapshots if s.dataset != DERIVED for e in s.entries
        }
        stored = self.links(state.imports, state.day)
        graph, result = derive.evaluate_links(
            entries, stored.links, stored.names, state.rules, state.day
        )
        return graph, result, entries, stored.names

    def save(
        self,
        source: str,
        file: str | None,
        fmt: str,
        rows: Sequence[tuple[int, Link, str, str]],
        lists_key: str,
        moment: datetime | None = None,
    ) -> Import:
        """Store the checked links of one file as its source's new import, in a new
        generation (at ``moment``, default now). ``rows``: (line, link, owner name, owned
        name)."""
        digest = hashlib.sha256()
        for line, link, owner_name, owned_name in rows:
            digest.update(repr((line, *_cells(link), owner_name, owned_name)).encode())
        return self._write(source, file, fmt, rows, lists_key, digest.hexdigest(), False, moment)

    def drop(self, source: str, lists_key: str) -> Import:
        """Stop using a source's links from now on (earlier moments keep them)."""
        if not any(i.source == source and not i.dropped for i in self.imports(LATEST)):
            raise StoreError(f"no ownership source {source!r} is in use")
        return self._write(source, None, "drop", [], lists_key, "", True)

    def _write(
        self,
        source: str,
        file: str | None,
        fmt: str,
        rows: Sequence[tuple[int, Link, str, str]],
        lists_key: str,
        content_hash: str,
        dropped: bool,
        moment: datetime | None = None,
    ) -> Import:
        reason = f"ownership {'drop' if dropped else 'import'} ({source})"
        with self.versions.swapping(reason, moment) as (db, generation, at):
            for statement in SCHEMA.split(";"):
                # One by one: executescript() would commit the open transaction first.
                if statement.strip():
                    db.execute(statement)
            item = Import(
                generation, source, file, fmt, len(rows), dropped, content_hash, lists_key, at
            )
            db.execute(
                f"INSERT INTO ownership_import ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.generation,
                    item.source,
                    item.file,
                    item.format,
                    item.links,
                    int(item.dropped),
                    item.content_hash,
                    item.lists_key,
                    item.imported_at,
                ),
            )
            db.executemany(
                "INSERT INTO ownership_link (generation, line, owner_name, owned_name, owner, "
                "owned, percent, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (generation, line, owner_name, owned_name, *_cells(link))
                    for line, link, owner_name, owned_name in rows
                ),
            )
        return item


# A generation beyond any: imports(LATEST) is each source's last import.
LATEST = 2**62
_COLUMNS = "generation, source, file, format, links, dropped, content_hash, lists_key, imported_at"
# A link is valid on a day (two parameters: the day, twice) when it has started and not ended.
_VALID = "(start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)"


def _cells(link: Link) -> tuple[str, str, float | None, str | None, str | None]:
    return (
        link.owner,
        link.owned,
        link.percent,
        link.start.isoformat() if link.start else None,
        link.end.isoformat() if link.end else None,
    )


def _exists(db: sqlite3.Connection) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ownership_import'"
        ).fetchone()
        is not None
    )


def _import(row: Sequence[object]) -> Import:
    generation, source, file, fmt, links, dropped, content_hash, lists_key, at = row
    return Import(
        generation=int(str(generation)),
        source=str(source),
        file=None if file is None else str(file),
        format=str(fmt),
        links=int(str(links)),
        dropped=bool(dropped),
        content_hash=str(content_hash),
        lists_key=str(lists_key),
        imported_at=str(at),
    )
