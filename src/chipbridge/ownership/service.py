"""Importing ownership (all checks first, then one write) and reading what the rules catch."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from chipbridge.ownership import graph as g
from chipbridge.ownership.files import ImportRefused, detect, read
from chipbridge.ownership.resolve import Resolver
from chipbridge.ownership.store import LATEST, Import, OwnershipState, OwnershipStore
from chipbridge.store.lists import ActiveLists, ListStore

SOURCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Imported:
    item: Import
    resolved: Counter[str]  # how the parties were told: "list id", "name", "own id", ...


@dataclass(frozen=True, slots=True)
class Findings:
    """What the rules catch at one moment."""

    active: ActiveLists
    state: OwnershipState
    graph: g.Graph
    result: g.Result


def check_source(source: str) -> str:
    if not SOURCE.match(source):
        raise ImportRefused(
            source, ["a source name is 1-40 letters, digits, '_', '.' or '-', e.g. main"]
        )
    return source


def import_file(store: ListStore, path: Path, fmt: str | None, source: str) -> Imported:
    """Check the file entirely (rows, parties, overlaps, shares over 100%, cycles with the
    other sources' links), then store it as its source's new import. ImportRefused lists
    every problem and nothing is written."""
    check_source(source)
    if not path.is_file():
        raise ImportRefused(path, ["no such file"])
    fmt = fmt or detect(path)
    rows = read(path, fmt)
    active = store.active()
    snapshots = store.list_snapshots(active)
    screener = store.screener_for(active)
    resolver = Resolver(
        (e for s in snapshots for e in s.entries),
        lambda name, threshold: screener.screen(name, limit=10, threshold=threshold),
    )
    problems: list[str] = []
    stored: list[tuple[int, g.Link, str, str]] = []
    resolved: Counter[str] = Counter()
    for row in rows:
        parties = []
        for role, name, ident in (
            ("owner", row.owner_name, row.owner_id),
            ("owned", row.owned_name, row.owned_id),
        ):
            try:
                parties.append(resolver.party(name, ident, role))
            except ValueError as exc:
                problems.append(f"line {row.line}: {exc}")
        if len(parties) < 2:
            continue
        owner, owned = parties
        if owner.key == owned.key:
            problems.append(f"line {row.line}: {owner.name!r} cannot own itself")
            continue
        resolved.update([owner.how, owned.how])
        link = g.Link(owner.key, owned.key, row.percent, row.start, row.end, f"line {row.line}")
        stored.append((row.line, link, owner.name, owned.name))
    if problems:
        raise ImportRefused(path, problems)
    names = {link.owner: name for _, link, name, _ in stored}
    names |= {link.owned: name for _, link, _, name in stored}
    # Under the store's lock, so that no other import can close a cycle in between.
    with store.writing():
        problems = _graph_problems(store, source, [link for _, link, _, _ in stored], names)
        if problems:
            raise ImportRefused(path, problems)
        item = OwnershipStore(store.versions).save(source, str(path), fmt, stored, active.key)
    return Imported(item, resolved)


def _graph_problems(
    store: ListStore, source: str, links: list[g.Link], names: dict[str, str]
) -> list[str]:
    """Overlapping and over-100% links within the file; cycles with every source."""
    problems = [
        f"{a.where} and {b.where}: {names[a.owner]} owns {names[a.owned]} twice, for "
        "overlapping periods"
        for a, b in g.overlapping(links)
    ]
    for party, day, total, held in g.over_owned(links):
        when = f" from {day}" if day else ""
        where = ", ".join(x.where for x in held)
        problems.append(f"{where}: the owners of {names[party]} hold {total:g}% of it{when}")
    ownership = OwnershipStore(store.versions)
    others = [i for i in ownership.imports(LATEST) if i.source != source and not i.dropped]
    stored = ownership.links(others)
    cycle = g.find_cycle([*links, *stored.links])
    if cycle:

        def name(key: str) -> str:
            return names.get(key) or (stored.names.get(key) or [key])[0]

        path = " > ".join([name(cycle[0].owner), *(name(x.owned) for x in cycle)])
        problems.append(
            f"{', '.join(x.where for x in cycle)}: a cycle of ownership ({path}); "
            "a party cannot own itself through others"
        )
    return problems


def drop(store: ListStore, source: str) -> Import:
    check_source(source)
    key = store.active().key
    with store.writing():
        return OwnershipStore(store.versions).drop(source, key)


def findings(
    store: ListStore, as_of: datetime | None = None, day: date | None = None
) -> Findings | None:
    """What the rules catch at ``as_of`` (default: now), or, given ``day``, what the
    ownership and lists known at ``as_of`` would be caught for under the rules and link
    dates of that day. None when no ownership is in use."""
    active = store.active(as_of)
    ownership = OwnershipStore(store.versions)
    state = active.ownership if day is None else ownership.state(active.generation, day)
    if state is None:
        return None
    graph, result = ownership.evaluate(state, store.list_snapshots(active))
    return Findings(active, state, graph, result)
