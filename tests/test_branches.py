"""A Chinese branch's or regional company's name is screened as the firm's it extends
(screening/branches.py), on made-up names that are in no data file."""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener, branches
from chipbridge.screening.screener import BRANCH_FACTOR


def company(entry_id: str, name: str) -> Entry:
    return Entry(entry_id, "t", "Test", EntityType.COMPANY, name)


# Forty unrelated firms, so that the test list's own words are rare, as on a real list.
OTHERS = tuple(company(f"o{n}", f"Ortho{chr(97 + n % 26)}{n} Trading") for n in range(40))


@pytest.fixture(scope="module")
def screener() -> Screener:
    # Read through guesses (电 -> electronic, 测 -> test, a character's sense): found, but
    # not whole enough for the query's unmatched places and units to weigh little by the
    # lattice's own rule.
    listed = company("q", "Qinglan Electronic Test Instruments Co., Ltd.")
    return Screener.from_entries([listed, *OTHERS])


@pytest.mark.parametrize(
    ("name", "parent", "added"),
    [
        ("青岚电测仪器股份有限公司深圳分公司", "青岚电测仪器股份有限公司", "深圳分公司"),
        ("青岚电测仪器有限公司北京办事处", "青岚电测仪器有限公司", "北京办事处"),
        ("青岚电测仪器（香港）有限公司", "青岚电测仪器有限公司", "（香港）"),
        ("青岚电测仪器(德国)有限公司", "青岚电测仪器有限公司", "（德国）"),
        # A region of the world, as a regional arm names it (中国电信（美洲）公司).
        ("青岚电测仪器（美洲）有限公司", "青岚电测仪器有限公司", "（美洲）"),
        ("青岚电测仪器（亚太）有限公司", "青岚电测仪器有限公司", "（亚太）"),
        ("青嵐電測儀器有限公司深圳分公司", "青岚电测仪器有限公司", "深圳分公司"),
        # After the legal form, a place alone is added too; a place and a unit without one.
        ("青岚电测仪器有限公司上海", "青岚电测仪器有限公司", "上海"),
        ("青岚电测深圳分公司", "青岚电测", "深圳分公司"),
        ("青岚电测天津办事处", "青岚电测", "天津办事处"),
        # A factory before the branch's place is the body's own kind, not the branch's.
        ("青岚阀门厂深圳分公司", "青岚阀门厂", "深圳分公司"),
    ],
)
def test_parent_name(name: str, parent: str, added: str) -> None:
    assert branches.parent_name(name) == (parent, added)


@pytest.mark.parametrize(
    "name",
    [
        "青岚电测仪器股份有限公司",  # nothing added
        "青岚电子研究中心",  # a unit alone, no legal form before it: the body's own name
        "青岚电子上海",  # a place alone, no legal form before it
        "青岚电子天津中心",  # a centre may be the body itself: no legal form says otherwise
        "深圳分公司",  # a place and a unit, and nothing of a firm's own
        "青岚（研发）有限公司",  # brackets round no place
        "Qinglan 深圳分公司",  # two scripts: left as they are
    ],
)
def test_no_parent_name(name: str) -> None:
    assert branches.parent_name(name) is None


def test_a_branch_of_a_listed_firm_scores_as_the_firm_less_a_little(screener: Screener) -> None:
    firm = screener.screen("青岚电测仪器股份有限公司")[0]
    assert firm.entry.id == "q"
    for name in (
        "青岚电测仪器股份有限公司深圳分公司",
        "青岚电测仪器股份有限公司北京研发中心",
        "青岚电测仪器（香港）有限公司",
    ):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "q", name
        assert hits[0].score == pytest.approx(firm.score * BRANCH_FACTOR, abs=0.01), name
        assert "branch of 青岚电测仪器" in hits[0].reason, name


def test_without_the_rule_the_branch_clears(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the rule is for: read whole, the added place and unit weigh as the firm's words.
    monkeypatch.setattr(branches, "parent_name", lambda _text: None)
    assert screener.screen("青岚电测仪器股份有限公司深圳分公司") == []


def test_the_branch_of_an_unlisted_firm_is_not_flagged(screener: Screener) -> None:
    # Another trade name (紫岚) with the same industry words: no more a hit as a branch than
    # as the firm, and never above the firm's own score.
    firm = screener.screen("紫岚电测仪器股份有限公司", threshold=0.0)
    branch = screener.screen("紫岚电测仪器股份有限公司深圳分公司", threshold=0.0)
    assert screener.screen("紫岚电测仪器股份有限公司深圳分公司") == []
    assert max(h.score for h in branch) <= max(h.score for h in firm)


def test_characters_spaced_apart_are_read_as_one_name(screener: Screener) -> None:
    hits = screener.screen("青 岚 电 测 仪 器 股 份 有 限 公 司")
    assert hits and hits[0].entry.id == "q"
