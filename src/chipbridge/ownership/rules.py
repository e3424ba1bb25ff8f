"""The ownership rules as data: which listings count under each rule, and on which days.

Parsed from ``data/ownership_rules.yml`` (or the file ``CHIPBRIDGE_OWNERSHIP_RULES`` names)
by :func:`parse`, which takes the file's text: this module does no I/O. A rule's dates are
data so that a suspension's extension or end, a lift or a repeal is an edit of the file, and
``--as-of`` answers with the rule as it stood on that day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

# Entries derived by the rules (parties caught through their owners) form this dataset.
DERIVED = "ownership"


class RulesError(ValueError):
    """The rules file cannot be used; the message names the rule and the field."""


class State(StrEnum):
    IN_FORCE = "in force"
    NOT_YET = "not yet in force"
    SUSPENDED = "suspended"
    NOT_IN_FORCE = "not in force"


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days from ``start`` to ``end`` (both included; None: open-ended)."""

    start: date
    end: date | None
    citation: str

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def text(self) -> str:
        return f"from {self.start}" if self.end is None else f"{self.start} to {self.end}"


@dataclass(frozen=True, slots=True)
class ListingMatch:
    """Which list entries count as listed under a rule: every field given must match."""

    dataset: str | None = None
    list_name: str | None = None
    program: str | None = None

    def matches(self, dataset: str, list_name: str, programs: Iterable[str]) -> bool:
        if self.dataset is not None and dataset != self.dataset:
            return False
        if self.list_name is not None and list_name.strip().casefold() != self.list_name:
            return False
        return self.program is None or self.program in {p.strip().casefold() for p in programs}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    threshold: float
    list_name: str  # the list name of the entries this rule derives
    citation: str  # short, for every explanation
    title: str  # the full reference
    source_url: str | None
    owners: tuple[ListingMatch, ...]
    in_force: tuple[Period, ...]
    suspended: tuple[Period, ...]

    def state(self, day: date) -> State:
        if any(p.holds(day) for p in self.suspended):
            return State.SUSPENDED
        if any(p.holds(day) for p in self.in_force):
            return State.IN_FORCE
        if all(day < p.start for p in self.in_force):
            return State.NOT_YET
        return State.NOT_IN_FORCE

    def applies(self, day: date) -> bool:
        return self.state(day) is State.IN_FORCE

    def counts(self, dataset: str, list_name: str, programs: Iterable[str] = ()) -> bool:
        """Does a list entry count as listed under this rule? Entries this rule derived
        count too: a party it caught passes the restriction on to what that party owns."""
        if dataset == DERIVED:
            return list_name == self.list_name
        programs = tuple(programs)
        return any(m.matches(dataset, list_name, programs) for m in self.owners)

    def dates(self, cited: bool = False) -> str:
        """The rule's dates in one phrase (with each period's citation when ``cited``)."""

        def show(period: Period) -> str:
            return f"{period.text()} ({period.citation})" if cited else period.text()

        parts = ["in force " + " and ".join(show(p) for p in self.in_force)]
        parts += [f"suspended {show(p)}" for p in self.suspended]
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    digest: str  # of the file's text: part of every index cache key built with these rules
    source: str  # where the rules came from, for messages

    def applying(self, day: date) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.applies(day))


_RULE_KEYS = {
    "id",
    "name",
    "threshold",
    "list_name",
    "citation",
    "title",
    "source_url",
    "owners",
    "in_force",
    "suspended",
}
_MATCH_KEYS = {"dataset": "dataset", "list": "list_name", "program": "program"}
_PERIOD_KEYS = {"from", "to", "citation"}


def parse(text: str, source: str) -> RuleSet:
    """The rules in ``text`` (YAML); RulesError naming the rule and field when unusable."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{source}: expected a mapping with a 'rules' list")
    rules: list[Rule] = []
    for n, item in enumerate(data["rules"], start=1):
        where = f"{source}, rule {n}"
        if not isinstance(item, dict):
            raise RulesError(f"{where}: expected a mapping")
        if isinstance(item.get("id"), str):
            where = f"{source}, rule {item['id']!r}"
        rules.append(_rule(item, where))
    ids = [r.id for r in rules]
    names = [r.list_name for r in rules]
    if len(set(ids)) != len(ids) or len(set(names)) != len(names):
        raise RulesError(f"{source}: two rules share an id or a list_name")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return RuleSet(tuple(rules), digest, source)


def _rule(item: Mapping[str, Any], where: str) -> Rule:
    unknown = set(item) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    threshold = item.get("threshold")
    if (
        not isinstance(threshold, int | float)
        or isinstance(threshold, bool)
        or not 0 < threshold <= 100
    ):
        raise RulesError(f"{where}: threshold must be a number above 0 and at most 100")
    owners = item.get("owners")
    if not isinstance(owners, list) or not owners:
        raise RulesError(f"{where}: owners must list at least one dataset/list/program")
    in_force = _periods(item.get("in_force"), f"{where}, in_force")
    if not in_force:
        raise RulesError(f"{where}: in_force needs at least one period")
    return Rule(
        id=_text(item, "id", where),
        name=_text(item, "name", where),
        threshold=float(threshold),
        list_name=_text(item, "list_name", where),
        citation=_text(item, "citation", where),
        title=_text(item, "title", where),
        source_url=_text(item, "source_url", where) if item.get("source_url") else None,
        owners=tuple(_match(o, f"{where}, owners") for o in owners),
        in_force=in_force,
        suspended=_periods(item.get("suspended", []), f"{where}, suspended"),
    )


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: {key} must be text")
    return " ".join(value.split())


def _match(item: object, where: str) -> ListingMatch:
    if not isinstance(item, dict) or not item or set(item) - set(_MATCH_KEYS):
        raise RulesError(f"{where}: each item names dataset, list and/or program, nothing else")
    values: dict[str, str] = {}
    for key, field in _MATCH_KEYS.items():
        if key in item:
            value = item[key]
            if not isinstance(value, str) or not value.strip():
                raise RulesError(f"{where}: {key} must be text")
            values[field] = value.strip() if key == "dataset" else value.strip().casefold()
    return ListingMatch(**values)


def _periods(items: object, where: str) -> tuple[Period, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise RulesError(f"{where}: expected a list of periods")
    out: list[Period] = []
    for item in items:
        if not isinstance(item, dict) or set(item) - _PERIOD_KEYS or "from" not in item:
            raise RulesError(f"{where}: each period has from, optionally to, and a citation")
        start, end = _day(item["from"], where), _day(item.get("to"), where)
        if start is None or (end is not None and end < start):
            raise RulesError(f"{where}: a period ends before it starts")
        out.append(Period(start, end, _text(item, "citation", where)))
    return tuple(sorted(out, key=lambda p: p.start))


def _day(value: object, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RulesError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
