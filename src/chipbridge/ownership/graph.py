"""Ownership as a graph, and the 50% rules applied to it: pure functions, no I/O.

A rule catches a party when the parties that own it directly, and are listed under the
rule or already caught by it, hold at least the rule's threshold in total (a party listed
under the rule is caught too when that holds: it bears its owners' restrictions as well).
So ownership counts indirectly only through parties the rule has caught: OFAC FAQ 401 (X
owns 50% of A, A owns 50% of B: B is blocked, although X's look-through share of B is 25%;
X owns 25% of A and of B, A and B own 50% of C each: C is not blocked) and BIS's Affiliates
Rule, which adopts Treasury's practice. Catching is monotone (a caught party only adds
owners that count), so a worklist reaches the one fixpoint whatever the order.

Beside the rule's own test every finding carries the look-through shares the compliance
officer also asks for: percentages multiplied along each chain of ownership and added
across chains, for each listed owner and for all listed owners together.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chipbridge.ownership.rules import Rule

# Shares are added as floats: 25.1 + 24.9 must reach 50.
EPSILON = 1e-9
# Chains shown per finding; a dense web of holdings is summarised, never enumerated.
MAX_CHAINS = 20


@dataclass(frozen=True, slots=True)
class Listing:
    """One list entry a party is on, as an explanation names it."""

    dataset: str
    entry_id: str
    list_name: str
    programs: tuple[str, ...] = ()
    citation: str | None = None
    note: str | None = None  # e.g. how the party was found on the list

    def text(self) -> str:
        parts = [self.list_name, f"{self.dataset}:{self.entry_id}"]
        parts += [p for p in (self.citation, self.note) if p]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Party:
    key: str
    name: str
    listings: tuple[Listing, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """``owner`` holds ``percent`` of ``owned`` (None: share unknown) from ``start`` to
    ``end``, both days included (None: open)."""

    owner: str
    owned: str
    percent: float | None
    start: date | None = None
    end: date | None = None
    where: str = ""  # where the link came from, for messages ("line 7")

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Chain:
    """One path of ownership from a listed owner down to the party caught."""

    parties: tuple[str, ...]  # party keys: the listed owner first, the caught party last
    percents: tuple[float, ...]  # percents[i]: the share parties[i] holds of parties[i + 1]

    @property
    def look_through(self) -> float:
        return 100 * math.prod(p / 100 for p in self.percents)


@dataclass(frozen=True, slots=True)
class Finding:
    """A party caught by a rule, and why."""

    rule: Rule
    party: str
    share: float  # held directly by owners listed under the rule or caught by it
    holdings: tuple[Link, ...]  # those direct holdings
    chains: tuple[Chain, ...]  # from each listed owner down, through caught parties
    more_chains: int  # chains left out of ``chains`` (beyond MAX_CHAINS)
    look_through: tuple[tuple[str, float], ...]  # (listed owner, share), largest first
    together: float  # the look-through share of all listed owners together


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A party not caught, with an owner listed under the rule (or caught by it) whose share
    is unknown: BIS calls this a red flag to resolve before an export."""

    rule: Rule
    party: str
    owners: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Result:
    findings: tuple[Finding, ...]
    red_flags: tuple[RedFlag, ...]


class Graph:
    """The parties and the links valid on one day."""

    def __init__(self, parties: Mapping[str, Party], links: Iterable[Link], day: date) -> None:
        self.parties = dict(parties)
        self.day = day
        # One link per (owner, owned): when two sources disagree the larger share is kept,
        # the cautious reading for a compliance check.
        pairs: dict[tuple[str, str], Link] = {}
        for link in links:
            if link.owner == link.owned or not link.valid_on(day):
                continue
            current = pairs.get((link.owner, link.owned))
            if current is None or _larger(link, current):
                pairs[(link.owner, link.owned)] = link
        self.owners: dict[str, list[Link]] = {}
        self.holdings: dict[str, list[Link]] = {}
        for link in pairs.values():
            self.owners.setdefault(link.owned, []).append(link)
            self.holdings.setdefault(link.owner, []).append(link)
        self.order = self._owners_first()

    def _owners_first(self) -> list[str]:
        """Every party after all its owners (Kahn). Imports refuse cycles; should one exist
        anyway, its parties come last and see their owners in the cycle as not yet known."""
        waiting = {key: len(self.owners.get(key, [])) for key in self.parties}
        ready = deque(key for key, n in waiting.items() if n == 0)
        order: list[str] = []
        while ready:
            key = ready.popleft()
            order.append(key)
            for link in self.holdings.get(key, []):
                waiting[link.owned] -= 1
                if waiting[link.owned] == 0:
                    ready.append(link.owned)
        placed = set(order)
        return order + [key for key in self.parties if key not in placed]

    def name(self, key: str) -> str:
        party = self.parties.get(key)
        return party.name if party else key

    def listings(self, key: str, rule: Rule) -> tuple[Listing, ...]:
        """The party's list entries that count under ``rule``."""
        party = self.parties.get(key)
        if party is None:
            return ()
        return tuple(x for x in party.listings if rule.counts(x.dataset, x.list_name, x.programs))


def _larger(a: Link, b: Link) -> bool:
    return b.percent is None or (a.percent is not None and a.percent > b.percent)


def evaluate(graph: Graph, rules: Iterable[Rule]) -> Result:
    """Every party each rule catches in ``graph``, with chains and shares, and red flags.

    The caller passes the rules that apply on ``graph.day``. Linear in the graph's size per
    rule, apart from the look-through shares, which are kept only above MIN_SHARE.
    """
    findings: list[Finding] = []
    flags: list[RedFlag] = []
    for rule in rules:
        listed = {key for key in graph.parties if graph.listings(key, rule)}
        caught = _fixpoint(graph, rule, listed)
        restricted = listed | caught
        # A listed party owned enough by other listed or caught parties is caught too: it
        # then bears their restrictions as well as its own (BIS: the most restrictive apply).
        caught |= {
            party
            for party in listed
            if _share(_counted(graph, party, restricted)) >= rule.threshold - EPSILON
        }
        shares = _Shares(graph, listed, restricted, caught)
        for party in sorted(caught):
            findings.append(shares.finding(rule, party))
        for party in sorted({link.owned for key in restricted for link in _held(graph, key)}):
            if party in restricted:
                continue
            unknown = [
                link
                for link in graph.owners.get(party, [])
                if link.percent is None and link.owner in restricted
            ]
            if unknown:
                flags.append(RedFlag(rule, party, tuple(unknown)))
    return Result(tuple(findings), tuple(flags))


def _held(graph: Graph, key: str) -> list[Link]:
    return graph.holdings.get(key, [])


def _counted(graph: Graph, party: str, restricted: set[str]) -> list[Link]:
    return [
        link
        for link in graph.owners.get(party, [])
        if link.percent is not None and link.owner in restricted
    ]


def _share(links: Iterable[Link]) -> float:
    return math.fsum(link.percent or 0.0 for link in links)


def _fixpoint(graph: Graph, rule: Rule, listed: set[str]) -> set[str]:
    caught: set[str] = set()
    restricted = set(listed)
    queue = deque(link.owned for key in listed for link in _held(graph, key))
    while queue:
        party = queue.popleft()
        if party in restricted:
            continue
        if _share(_counted(graph, party, restricted)) >= rule.threshold - EPSILON:
            caught.add(party)
            restricted.add(party)
            queue.extend(link.owned for link in _held(graph, party))
    return caught


def _ancestors(graph: Graph, parties: set[str]) -> set[str]:
    """``parties`` and every party that owns one of them, directly or not."""
    found = set(parties)
    stack = list(parties)
    while stack:
        for link in graph.owners.get(stack.pop(), []):
            if link.owner not in found:
                found.add(link.owner)
                stack.append(link.owner)
    return found


# Look-through shares below this (in percent) are dropped: they cannot matter to anyone and
# would make the shares of a large, deep web of holdings quadratic to compute.
MIN_SHARE = 0.001


class _Shares:
    """Chain counts and look-through shares for one rule, each computed once per party in
    owners-first order and shared by every finding."""

    def __init__(
        self, graph: Graph, listed: set[str], restricted: set[str], caught: set[str]
    ) -> None:
        self.graph = graph
        self.listed = listed
        self.restricted = restricted
        # Chains from listed owners through caught parties, counted.
        self.count: dict[str, int] = {}
        # Look-through share of each listed owner (a chain stops at that owner but goes on
        # through other listed parties), and of all listed owners together (a chain stops at
        # the first listed owner, so nobody is counted twice).
        self.each: dict[str, dict[str, float]] = {}
        self.together: dict[str, float] = {}
        needed = _ancestors(graph, caught)
        for party in graph.order:
            if party not in needed:
                continue
            count, each, together = 0, dict[str, float](), 0.0
            for link in graph.owners.get(party, []):
                if link.percent is None:
                    continue
                owner, part = link.owner, link.percent / 100
                if owner in restricted and party in restricted:
                    count += 1 if owner in listed else self.count.get(owner, 0)
                if owner in listed:
                    each[owner] = each.get(owner, 0.0) + link.percent
                    together += link.percent
                else:
                    together += part * self.together.get(owner, 0.0)
                for root, share in self.each.get(owner, {}).items():
                    each[root] = each.get(root, 0.0) + part * share
            self.count[party] = count
            kept = {root: share for root, share in each.items() if share >= MIN_SHARE}
            if kept:
                self.each[party] = kept
            if together >= MIN_SHARE:
                self.together[party] = together

    def finding(self, rule: Rule, party: str) -> Finding:
        holdings = sorted(
            _counted(self.graph, party, self.restricted),
            key=lambda link: (-(link.percent or 0), link.owner),
        )
        chains = self._chains(party)
        look = self.each.get(party, {})
        return Finding(
            rule=rule,
            party=party,
            share=_share(holdings),
            holdings=tuple(holdings),
            chains=tuple(chains),
            more_chains=self.count.get(party, 0) - len(chains),
            look_through=tuple(sorted(look.items(), key=lambda item: (-item[1], item[0]))),
            together=self.together.get(party, 0.0),
        )

    def _chains(self, party: str) -> list[Chain]:
        """The first MAX_CHAINS chains from listed owners down to ``party`` through caught
        parties, depth first (every branch ends at a listed owner, so this stops soon)."""
        out: list[Chain] = []
        stack: list[tuple[str, tuple[str, ...], tuple[float, ...]]] = [(party, (), ())]
        while stack and len(out) < MAX_CHAINS:
            key, below, percents = stack.pop()
            path = (key, *below)
            if key != party and key in self.listed:
                out.append(Chain(path, percents))
                continue
            links = _counted(self.graph, key, self.restricted)
            for link in sorted(links, key=lambda x: x.owner, reverse=True):
                if link.owner not in path:
                    stack.append((link.owner, path, (link.percent or 0.0, *percents)))
        return out


# --- checks of an import, before anything is written ---------------------------------------


def find_cycle(links: Sequence[Link]) -> list[Link] | None:
    """Links that form a cycle of ownership valid on one common day, or None.

    The set of links valid on a day is contained in the set valid on the last start day
    before it, so start days are the only days to check, and only inside strongly
    connected components, which are rare.
    """
    for component in _components(links):
        inside = [x for x in links if x.owner in component and x.owned in component]
        for day in sorted({x.start or date.min for x in inside}):
            cycle = _cycle_on([x for x in inside if x.valid_on(day)])
            if cycle:
                return cycle
    return None


def _components(links: Sequence[Link]) -> list[set[str]]:
    """Strongly connected components with more than one party (Tarjan, iterative)."""
    edges: dict[str, list[str]] = {}
    for link in links:
        edges.setdefault(link.owner, []).append(link.owned)
        edges.setdefault(link.owned, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            children = edges[node]
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(component)
    return out


def _cycle_on(links: list[Link]) -> list[Link] | None:
    by_owner: dict[str, list[Link]] = {}
    for link in links:
        by_owner.setdefault(link.owner, []).append(link)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in by_owner:
        if start in state:
            continue
        path: list[Link] = []
        work = [(start, iter(by_owner.get(start, [])))]
        state[start] = 1
        while work:
            node, pending = work[-1]
            step = next(pending, None)
            if step is None:
                work.pop()
                state[node] = 2
                if path:
                    path.pop()
                continue
            if state.get(step.owned) == 1:
                starts = [i for i, x in enumerate(path) if x.owner == step.owned]
                return [*path[starts[0] :], step] if starts else [step]
            if step.owned not in state:
                state[step.owned] = 1
                path.append(step)
                work.append((step.owned, iter(by_owner.get(step.owned, []))))
    return None


def over_owned(links: Sequence[Link]) -> list[tuple[str, date | None, float, list[Link]]]:
    """(party, day, total, links) for every party whose known owners hold more than 100% of
    it on some day (checked on each start day, where the sums can only grow)."""
    by_owned: dict[str, list[Link]] = {}
    for link in links:
        if link.percent is not None:
            by_owned.setdefault(link.owned, []).append(link)
    out: list[tuple[str, date | None, float, list[Link]]] = []
    for party, held in by_owned.items():
        if math.fsum(x.percent or 0.0 for x in held) <= 100 + EPSILON:
            continue
        for day in sorted({x.start or date.min for x in held}):
            valid = [x for x in held if x.valid_on(day)]
            total = math.fsum(x.percent or 0.0 for x in valid)
            if total > 100 + EPSILON:
                out.append((party, None if day == date.min else day, total, valid))
                break
    return out


def overlapping(links: Sequence[Link]) -> list[tuple[Link, Link]]:
    """Pairs of links between the same two parties whose periods overlap: one fact twice,
    or two facts that contradict each other."""
    by_pair: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        by_pair.setdefault((link.owner, link.owned), []).append(link)
    out: list[tuple[Link, Link]] = []
    for held in by_pair.values():
        for i, a in enumerate(held):
            for b in held[i + 1 :]:
                if (a.start or date.min) <= (b.end or date.max) and (b.start or date.min) <= (
                    a.end or date.max
                ):
                    out.append((a, b))
    return out
