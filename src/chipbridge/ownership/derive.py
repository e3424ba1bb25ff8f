"""Parties caught through their owners, as list entries the screener finds like any other.

A finding becomes an :class:`Entry` of the derived dataset ``ownership``: its name and
aliases are the caught party's, its list name names the rule, its citation says why (the
rule, its dates, each chain with its percentages and each owner's listing), and its
``owners`` hold the counted direct holdings in structured form. The list store adds these
entries to the active lists before it builds the index, so ``chipbridge screen``, the API,
``screen-file`` and the working group's re-screens all find them. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from chipbridge.ownership.graph import Chain, Finding, Graph, Link, Listing, Party, Result, evaluate
from chipbridge.ownership.rules import DERIVED, Rule, RuleSet
from chipbridge.screening.model import Alias, AliasKind, EntityType, Entry, ListSnapshot, Ownership

TITLE = "Parties caught by ownership rules (derived)"
# Party keys: list entries are "dataset:id" (several joined by ";"), other parties carry
# one of these prefixes.
OWN = "own:"
NAME = "name:"
_NOT_ALNUM = re.compile(r"[\W_]+")


def entry_keys(key: str) -> list[tuple[str, str]]:
    """The (dataset, id) of each list entry a party key names; [] for other parties."""
    if key.startswith((OWN, NAME)):
        return []
    out: list[tuple[str, str]] = []
    for part in key.split(";"):
        dataset, _, entry_id = part.partition(":")
        out.append((dataset, entry_id))
    return out


def listing(entry: Entry) -> Listing:
    return Listing(entry.dataset, entry.id, entry.list_name, entry.programs, entry.citation)


def parties(
    entries: Mapping[tuple[str, str], Entry], keys: Iterable[str], names: Mapping[str, list[str]]
) -> dict[str, Party]:
    """Each party key as a party: named and listed by the list entries active now (a party
    whose entry has left the lists is unlisted), otherwise by the names imported with it.

    A party that was on no list when its ownership was imported is listed from the day an
    active entry carries one of its imported names exactly (letters and digits, case
    ignored): a supplier's owner added to the SDN next week must catch the supplier without
    the ownership file being imported again. Exact names only, never a fuzzy match, so an
    answer stays reproducible; the listing says how it was found."""
    keys = list(keys)
    wanted = {exact_name(n) for k in keys if k.startswith((OWN, NAME)) for n in names.get(k, [])}
    named = _entries_named(entries, wanted)
    out: dict[str, Party] = {}
    for key in keys:
        found = [entries[k] for k in entry_keys(key) if k in entries]
        if found:
            out[key] = Party(key, found[0].name, tuple(listing(e) for e in found))
            continue
        imported = names.get(key) or [key]
        # A party whose own entry left the lists stays unlisted: only a party the importer
        # could not find on any list is looked for by its exact name.
        later = (
            {(e.dataset, e.id): e for n in imported for e in named.get(exact_name(n), [])}
            if key.startswith((OWN, NAME))
            else {}
        )
        out[key] = Party(
            key,
            imported[0],
            tuple(
                dataclasses.replace(listing(e), note=f"listed under the exact name {e.name!r}")
                for e in later.values()
            ),
        )
    return out


def exact_name(name: str) -> str:
    """A name as exact matching compares it: letters and digits, case folded."""
    return _NOT_ALNUM.sub("", name.casefold())


def _entries_named(
    entries: Mapping[tuple[str, str], Entry], wanted: set[str]
) -> dict[str, list[Entry]]:
    """The active entries carrying each wanted exact name (as their name or an alias)."""
    wanted.discard("")
    found: dict[str, list[Entry]] = {}
    if not wanted:
        return found
    for entry in entries.values():
        for alias in entry.names():
            key = exact_name(alias.name)
            if key in wanted:
                found.setdefault(key, []).append(entry)
                break
    return found


def evaluate_links(
    entries: Mapping[tuple[str, str], Entry],
    links: Sequence[Link],
    names: Mapping[str, list[str]],
    rules: RuleSet,
    day: date,
) -> tuple[Graph, Result]:
    """The rules that apply on ``day``, applied to the links valid on it."""
    keys = {link.owner for link in links} | {link.owned for link in links}
    graph = Graph(parties(entries, keys, names), links, day)
    return graph, evaluate(graph, rules.applying(day))


def snapshot(
    graph: Graph,
    result: Result,
    entries: Mapping[tuple[str, str], Entry],
    names: Mapping[str, list[str]],
) -> ListSnapshot:
    """The derived dataset: one entry per party and rule that catches it, named by every
    name imported for the party and, when it is on a list, every name listed for it."""
    derived = [
        _entry(
            graph,
            finding,
            [entries[k] for k in entry_keys(finding.party) if k in entries],
            names.get(finding.party, []),
        )
        for finding in result.findings
    ]
    return ListSnapshot(DERIVED, TITLE, "derived", derived, None, [], "chipbridge ownership")


def _entry(graph: Graph, finding: Finding, listed: list[Entry], names: list[str]) -> Entry:
    rule = finding.rule
    seen = {graph.name(finding.party).casefold()}
    aliases: list[Alias] = []
    for alias in [
        *(Alias(n, AliasKind.STRONG) for n in names),
        *(a for e in listed for a in e.names()),
    ]:
        if alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            aliases.append(alias)
    owners = tuple(
        Ownership(link.owner, link.percent, _basis(graph, rule, link.owner))
        for link in finding.holdings
    )
    return Entry(
        id=f"{rule.id}:{finding.party}",
        dataset=DERIVED,
        list_name=rule.list_name,
        type=EntityType.COMPANY,
        name=graph.name(finding.party),
        aliases=tuple(aliases),
        countries=tuple(dict.fromkeys(c for e in listed for c in e.countries)),
        programs=(rule.id,),
        dates=(
            *(("in_force", p.text()) for p in rule.in_force),
            *(("suspended", p.text()) for p in rule.suspended),
        ),
        citation=explain(graph, finding),
        source_url=rule.source_url,
        remarks=f"{rule.title}; {rule.dates(cited=True)}. {look_through_text(graph, finding)}",
        owners=owners,
    )


def _basis(graph: Graph, rule: Rule, key: str) -> str:
    listings = graph.listings(key, rule)
    if listings:
        return "listed: " + " / ".join(x.text() for x in listings)
    return f"caught by the {rule.name} itself"


def percent(value: float) -> str:
    return f"{round(value, 4):g}%"


def chain_text(graph: Graph, rule: Rule, chain: Chain) -> str:
    """ "Owner [its listing] 100% > Holding 60% > Party" """
    root = chain.parties[0]
    listings = " / ".join(x.text() for x in graph.listings(root, rule))
    parts = [f"{graph.name(root)} [{listings}]"]
    for share, party in zip(chain.percents, chain.parties[1:], strict=True):
        parts.append(f"{percent(share)} > {graph.name(party)}")
    return " ".join(parts)


def explain(graph: Graph, finding: Finding) -> str:
    """Why the party is caught, in one paragraph: the rule and its dates, the share held,
    every chain with its percentages and each listed owner's listing."""
    rule = finding.rule
    chains = "; ".join(chain_text(graph, rule, c) for c in finding.chains)
    if finding.more_chains:
        chains += f"; and {finding.more_chains} more chains"
    return (
        f"{rule.name} ({rule.citation}; {rule.dates()}): {percent(finding.share)} of "
        f"{graph.name(finding.party)} is held by owners listed under the rule or caught by "
        f"it (threshold {percent(rule.threshold)}). Chains: {chains.rstrip('.')}."
    )


def look_through_text(graph: Graph, finding: Finding) -> str:
    shares = ", ".join(f"{graph.name(k)} {percent(v)}" for k, v in finding.look_through)
    return (
        f"Look-through shares (multiplied along each chain, added across chains): {shares}; "
        f"all listed owners together {percent(finding.together)}."
    )
