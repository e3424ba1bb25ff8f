"""The ownership rules and the graph, without I/O: aggregation, dates as data, import checks."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from chipbridge.ownership.graph import (
    Graph,
    Link,
    Listing,
    Party,
    Result,
    evaluate,
    find_cycle,
    over_owned,
    overlapping,
)
from chipbridge.ownership.rules import DERIVED, RulesError, RuleSet, State, parse

SHIPPED = resources.files("chipbridge").joinpath("data/ownership_rules.yml").read_text("utf-8")
RULES = parse(SHIPPED, "shipped")
SDN = Listing("ofac_sdn", "100", "Specially Designated Nationals (SDN) - Treasury Department")
EL = Listing("us_csl", "el-1", "Entity List (EL) - Bureau of Industry and Security")
MEU = Listing("us_csl", "meu-1", "Military End User (MEU) List - Bureau of Industry and Security")
UVL = Listing("us_csl", "uvl-1", "Unverified List (UVL) - Bureau of Industry and Security")
AFTER = date(2026, 12, 1)  # the Affiliates Rule applies again


def run(
    listed: dict[str, Listing],
    links: list[tuple[str, str, float | None]],
    day: date = AFTER,
    rules: RuleSet = RULES,
) -> tuple[Graph, Result]:
    keys = set(listed) | {k for a, b, _ in links for k in (a, b)}
    parties = {k: Party(k, k, (listed[k],) if k in listed else ()) for k in keys}
    graph = Graph(parties, [Link(a, b, p) for a, b, p in links], day)
    return graph, evaluate(graph, rules.applying(day))


def caught(result: Result, rule: str = "ofac_50") -> dict[str, float]:
    return {f.party: f.share for f in result.findings if f.rule.id == rule}


# --- aggregation --------------------------------------------------------------------------


def test_chain_counts_through_caught_parties_and_multiplies_for_look_through() -> None:
    """OFAC FAQ 401, example 1: X owns 50% of A, A owns 50% of B: A and B are blocked, though
    X's look-through share of B is only 25%."""
    _, result = run({"X": SDN}, [("X", "A", 50), ("A", "B", 50)])
    assert caught(result) == {"A": 50, "B": 50}
    b = next(f for f in result.findings if f.party == "B")
    assert [(c.parties, c.percents, c.look_through) for c in b.chains] == [
        (("X", "A", "B"), (50, 50), 25)
    ]
    assert b.look_through == (("X", 25),) and b.together == 25


def test_longer_chain_multiplies_along_it() -> None:
    _, result = run({"X": SDN}, [("X", "A", 80), ("A", "B", 70), ("B", "C", 90)])
    c = next(f for f in result.findings if f.party == "C")
    assert c.chains[0].parties == ("X", "A", "B", "C")
    assert c.look_through == (("X", pytest.approx(50.4)),)


def test_two_listed_owners_add_up() -> None:
    """Two SDNs with 30% and 25%: blocked in the aggregate, though neither holds 50%."""
    _, result = run({"X": SDN, "Y": SDN}, [("X", "C", 30), ("Y", "C", 25), ("Z", "C", 45)])
    assert caught(result) == {"C": 55}
    c = result.findings[0]
    assert dict(c.look_through) == {"X": 30, "Y": 25} and c.together == 55
    _, result = run({"X": SDN, "Y": SDN}, [("X", "C", 30), ("Y", "C", 19.9)])
    assert caught(result) == {}


def test_shares_from_direct_and_caught_owners_add_up() -> None:
    """FAQ 401, examples 2 and 3: X owns 50% of A and of B, which own 25% of C each; X owns
    50% of A and 10% of D, A owns 40% of D."""
    _, result = run(
        {"X": SDN},
        [
            ("X", "A", 50),
            ("X", "B", 50),
            ("A", "C", 25),
            ("B", "C", 25),
            ("X", "D", 10),
            ("A", "D", 40),
        ],
    )
    assert caught(result) == {"A": 50, "B": 50, "C": 50, "D": 50}
    c = next(f for f in result.findings if f.party == "C")
    assert sorted(ch.parties for ch in c.chains) == [("X", "A", "C"), ("X", "B", "C")]
    assert c.together == 25  # 50% x 25% twice


def test_ownership_through_a_party_not_caught_does_not_count() -> None:
    """FAQ 401, example 4: X owns 25% of A and of B, which own 50% of C each: nothing is
    blocked. And X owns 40% of A (not blocked) which owns all of B, X owns 20% of B directly:
    B is not blocked, though the look-through product says 60%."""
    _, result = run({"X": SDN}, [("X", "A", 25), ("X", "B", 25), ("A", "C", 50), ("B", "C", 50)])
    assert caught(result) == {}
    _, result = run({"X": SDN}, [("X", "A", 40), ("A", "B", 100), ("X", "B", 20)])
    assert caught(result) == {}


def test_several_lists_of_one_rule_add_up_and_other_lists_do_not_count() -> None:
    _, result = run({"E": EL, "M": MEU}, [("E", "C", 30), ("M", "C", 20)])
    assert caught(result, "bis_affiliates") == {"C": 50}
    _, result = run({"E": EL, "S": SDN}, [("E", "C", 30), ("S", "C", 20)])
    assert caught(result, "bis_affiliates") == {} and caught(result, "ofac_50") == {}
    _, result = run({"U": UVL}, [("U", "C", 100)])
    assert result.findings == ()


def test_a_listed_party_owned_by_another_is_caught_too() -> None:
    _, result = run({"E": EL, "F": EL}, [("E", "F", 100)])
    assert caught(result, "bis_affiliates") == {"F": 100}


def test_unknown_share_is_a_red_flag_not_a_catch() -> None:
    _, result = run({"X": SDN}, [("X", "A", None), ("Y", "A", 60)])
    assert caught(result) == {}
    assert [(f.rule.id, f.party, [x.owner for x in f.owners]) for f in result.red_flags] == [
        ("ofac_50", "A", ["X"])
    ]


def test_links_out_of_their_dates_do_not_count() -> None:
    parties = {k: Party(k, k, (SDN,) if k == "X" else ()) for k in "XA"}
    link = Link("X", "A", 60, date(2024, 1, 1), date(2024, 12, 31))
    for day, expected in ((date(2023, 12, 31), 0), (date(2024, 6, 1), 1), (date(2025, 1, 1), 0)):
        assert len(evaluate(Graph(parties, [link], day), RULES.rules).findings) == expected


def test_when_sources_disagree_the_larger_share_counts() -> None:
    parties = {k: Party(k, k, (SDN,) if k == "X" else ()) for k in "XA"}
    graph = Graph(parties, [Link("X", "A", 30), Link("X", "A", 55)], AFTER)
    assert [f.share for f in evaluate(graph, RULES.rules).findings] == [55]


def test_exactly_the_threshold_counts_in_float_arithmetic() -> None:
    _, result = run({"X": SDN, "Y": SDN}, [("X", "C", 25.1), ("Y", "C", 24.9)])
    assert caught(result) == {"C": pytest.approx(50)}


# --- rules by date, as data ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2025, 9, 28), State.NOT_YET),
        (date(2025, 9, 29), State.IN_FORCE),
        (date(2025, 11, 9), State.IN_FORCE),
        (date(2025, 11, 10), State.SUSPENDED),
        (date(2026, 11, 9), State.SUSPENDED),
        (date(2026, 11, 10), State.IN_FORCE),
        (date(2031, 1, 1), State.IN_FORCE),
    ],
)
def test_affiliates_rule_before_inside_and_after_the_suspension(day: date, state: State) -> None:
    rule = next(r for r in RULES.rules if r.id == "bis_affiliates")
    assert rule.state(day) is state
    _, result = run({"E": EL}, [("E", "A", 100)], day)
    assert bool(caught(result, "bis_affiliates")) is (state is State.IN_FORCE)
    # OFAC's rule is in force throughout.
    _, result = run({"X": SDN}, [("X", "A", 100)], day)
    assert caught(result) == {"A": 100}


def test_changing_the_dates_in_the_data_changes_the_answer() -> None:
    extended = parse(SHIPPED.replace("to: 2026-11-09", "to: 2027-11-09"), "extended")
    lifted = parse(SHIPPED.replace("to: 2026-11-09", "to: 2025-12-31"), "lifted early")
    day = date(2026, 12, 1)
    for rules, expected in ((RULES, {"A": 100}), (extended, {}), (lifted, {"A": 100})):
        _, result = run({"E": EL}, [("E", "A", 100)], day, rules)
        assert caught(result, "bis_affiliates") == expected
    _, result = run({"E": EL}, [("E", "A", 100)], date(2026, 1, 15), lifted)
    assert caught(result, "bis_affiliates") == {"A": 100}
    assert extended.digest != RULES.digest


def test_lists_count_by_dataset_list_and_program_fields() -> None:
    text = """
rules:
  - id: r
    name: Test rule
    threshold: 50
    list_name: Caught by the test rule
    citation: test
    title: test rule
    owners:
      - {dataset: ofac_sdn}
      - {dataset: opensanctions, program: US-BIS-EL}
    in_force: [{from: 2020-01-01, citation: test}]
"""
    rule = parse(text, "test").rules[0]
    assert rule.counts("ofac_sdn", "anything")
    assert rule.counts("opensanctions", "sanction", ["US-BIS-EL", "other"])
    assert not rule.counts("opensanctions", "Entity List (EL) - Bureau of Industry and Security")
    assert not rule.counts("us_csl", "Specially Designated Nationals (SDN) - Treasury Department")
    assert rule.counts(DERIVED, "Caught by the test rule")
    assert not rule.counts(DERIVED, "Caught by another rule")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("threshold: 50", "threshold: 150"), "threshold must be a number"),
        (("from: 2025-11-10", "from: 2027-11-10"), "a period ends before it starts"),
        (("from: 2025-09-29", "from: 29 September 2025"), "is not a date"),
        (("    owners:\n      - list: Entity", "    owner:\n      - list: Entity"), "unknown"),
        (("      - dataset: ofac_sdn", "      - name: Huawei"), "dataset, list and/or program"),
        (("id: ofac_50", "id: bis_affiliates"), "two rules share an id"),
        (("\nrules:\n", "\nrules: [\n"), "not valid YAML"),
    ],
)
def test_a_broken_rules_file_is_refused(edit: tuple[str, str], message: str) -> None:
    assert edit[0] in SHIPPED
    with pytest.raises(RulesError, match=message):
        parse(SHIPPED.replace(*edit, 1), "edited")


# --- checks before an import --------------------------------------------------------------


def test_cycles_are_found_only_when_their_links_overlap_in_time() -> None:
    early = (date(2020, 1, 1), date(2020, 12, 31))
    late = (date(2021, 1, 1), None)
    links = [Link("A", "B", 60, *early, "line 2"), Link("B", "A", 60, *late, "line 3")]
    assert find_cycle(links) is None
    links.append(Link("C", "A", 10, where="line 4"))
    assert find_cycle(links) is None
    links.append(Link("B", "C", 10, *early, where="line 5"))
    cycle = find_cycle(links)
    assert cycle is not None and {x.where for x in cycle} == {"line 2", "line 4", "line 5"}


def test_a_long_cycle_is_found_in_a_large_acyclic_graph() -> None:
    links = [Link(f"p{i}", f"p{i + 1}", 51, where=f"line {i}") for i in range(2000)]
    assert find_cycle(links) is None
    links.append(Link("p2000", "p1000", 5, where="back"))
    cycle = find_cycle(links)
    assert cycle is not None and len(cycle) == 1001


def test_owners_holding_over_100_percent_and_repeated_links() -> None:
    links = [
        Link("A", "C", 60, date(2020, 1, 1), date(2020, 12, 31), "line 2"),
        Link("B", "C", 50, date(2021, 1, 1), None, "line 3"),
        Link("D", "C", 45, date(2021, 6, 1), None, "line 4"),
    ]
    assert over_owned(links) == []  # 60%, then 50%, then 95%
    links.append(Link("E", "C", 10, date(2021, 7, 1), None, "line 5"))
    assert [(p, d, t) for p, d, t, _ in over_owned(links)] == [("C", date(2021, 7, 1), 105)]
    assert overlapping(links) == []
    again = Link("A", "C", 60, date(2020, 6, 1), None, "line 6")
    assert overlapping([*links, again]) == [(links[0], again)]


def test_deep_chains_and_dense_webs_stay_cheap() -> None:
    """3,000 parties in one chain are all caught (no recursion limit); a web in which each
    layer holds the next through two caught parties has 2**12 chains: 20 are shown, the rest
    counted."""
    chain = [(f"p{i}", f"p{i + 1}", 100.0) for i in range(3000)]
    _, result = run({"p0": SDN}, chain)
    last = next(f for f in result.findings if f.party == "p3000")
    assert len(result.findings) == 3000 and last.chains[0].parties[0] == "p0"
    assert len(last.chains[0].parties) == 3001 and last.look_through == (("p0", 100),)
    web = [("X", "a0", 100.0), ("X", "b0", 100.0)]
    for i in range(12):
        for top in (f"a{i}", f"b{i}"):
            web += [(top, f"a{i + 1}", 50.0), (top, f"b{i + 1}", 50.0)]
    _, result = run({"X": SDN}, web)
    deep = next(f for f in result.findings if f.party == "a12")
    assert len(deep.chains) == 20 and deep.more_chains == 2**12 - 20
    assert deep.look_through == (("X", pytest.approx(100)),)
