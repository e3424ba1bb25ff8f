"""One party, one hit: listings of the same party are grouped, built-in entries yield."""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener
from chipbridge.screening.parties import group, party_keys
from chipbridge.screening.sources import builtin, load

from .conftest import FIXTURES

CSL = FIXTURES / "csl_repeats_sdn.csv"


def keys(hit: object) -> list[str]:
    return [f"{e.dataset}:{e.id}" for e in hit.listings]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def official() -> Screener:
    """The CSL fixture (which republishes SDN entry 306) beside OFAC's own SDN files."""
    return Screener.from_snapshots([load(CSL), load(FIXTURES / "ofac")])


def test_csl_row_republishing_the_sdn_is_one_party(official: Screener) -> None:
    hits = official.screen("Banco Nacional de Cuba", threshold=0.0, limit=10)
    bnc = [h for h in hits if "BANCO" in h.entry.name.upper()]
    assert len(bnc) == 1, "the same party must not fill two ranks"
    assert sorted(keys(bnc[0])) == ["ofac_sdn:306", "us_csl:306"]
    assert bnc[0].score == 1.0
    # The listing reported first is the best-scoring one; the other is carried along.
    assert [f"{e.dataset}:{e.id}" for e in bnc[0].also_listed] == keys(bnc[0])[1:]


def test_grouping_frees_ranks_for_other_parties(official: Screener) -> None:
    hits = official.screen("National Bank of Cuba", threshold=0.0, limit=2)
    parties = [frozenset(keys(h)) for h in hits]
    assert len(set(parties)) == len(parties)


def test_summary_lists_every_listing(official: Screener) -> None:
    hit = official.screen("BNC National Bank of Cuba", threshold=0.0)[0]
    summary = hit.summary()
    others = summary["also_listed"]
    assert isinstance(others, list) and len(others) == 1
    assert summary["entry_id"] == others[0]["entry_id"] == "306"
    assert {others[0]["dataset"], hit.entry.dataset} == {"us_csl", "ofac_sdn"}
    assert hit.to_dict()["also_listed"] == others


def test_unrelated_parties_of_one_act_stay_apart() -> None:
    entries = load(CSL).entries
    roots = group(entries)
    by_id = {e.id: roots[i] for i, e in enumerate(entries)}
    # Both rows cite 84 FR 22961, but they name different parties.
    assert by_id["el-huawei"] != by_id["el-northstar"]


def test_builtin_entries_of_one_party_are_grouped() -> None:
    screener = Screener.from_snapshots([builtin.load()])
    hit = screener.screen("Huawei Technologies Co., Ltd.")[0]
    assert hit.entry.id == "CB-EL-HUAWEI"
    assert [e.id for e in hit.also_listed] == ["CB-CMIC-30947"]


def test_builtin_entry_yields_to_the_official_listing() -> None:
    screener = Screener.from_snapshots([builtin.load(), load(CSL)])
    hits = screener.screen("Huawei Technologies Co., Ltd.", limit=10)
    huawei = [h for h in hits if "huawei technologies" in h.entry.name.lower()]
    assert len(huawei) == 1
    hit = huawei[0]
    assert (hit.entry.dataset, hit.entry.id) == ("us_csl", "el-huawei")
    # The built-in Entity List entry yields to the CSL's; the fixture has no CMIC row for
    # Huawei, so the built-in CMIC listing stays: the party is still on that list.
    listings = [(e.dataset, e.id) for e in hit.listings]
    assert listings == [("us_csl", "el-huawei"), ("chipbridge_builtin", "CB-CMIC-30947")]
    # A Chinese name only the built-in entry carries still finds the official listing, and
    # the explanation says where the name came from.
    zh = screener.screen("华为技术有限公司")[0]
    assert (zh.entry.dataset, zh.entry.id) == ("us_csl", "el-huawei")
    assert any("chipbridge_builtin:CB-EL-HUAWEI" in r for r in zh.explanation.rules)


def test_builtin_listing_on_a_list_not_loaded_stays_with_its_citation() -> None:
    # The official lists loaded have the party on another list only (a CSL snapshot older
    # than its Entity List listing): the built-in Entity List entry is still shown.
    cmic_only = [e for e in load(CSL).entries if "huawei" not in e.name.lower()]
    cmic_only.append(
        Entry(
            "30947",
            "ofac_cons",
            "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
            "Treasury Department",
            EntityType.COMPANY,
            "HUAWEI TECHNOLOGIES CO., LTD.",
            refs=("ofac:30947",),
        )
    )
    screener = Screener.from_entries([*builtin.load().entries, *cmic_only])
    hit = screener.screen("Huawei Technologies Co., Ltd.")[0]
    assert (hit.entry.dataset, hit.entry.id) == ("ofac_cons", "30947")
    el = [e for e in hit.listings if e.list_name.startswith("Entity List")]
    assert [(e.id, e.citation) for e in el] == [("CB-EL-HUAWEI", el[0].citation)]
    assert el[0].citation and "FR" in el[0].citation


def test_party_keys_include_cross_references() -> None:
    csl = {e.id: e for e in load(CSL).entries}
    assert "ofac:306" in party_keys(csl["306"])
    huawei = next(e for e in builtin.load().entries if e.id == "CB-EL-HUAWEI")
    assert "ofac:30947" in party_keys(huawei)
    shared = party_keys(huawei) & party_keys(csl["el-huawei"])
    assert any(k.startswith("fr:84/22961:") for k in shared)


def test_a_party_found_by_its_own_name_ranks_before_one_found_by_an_alias() -> None:
    # The lists give one firm's name as another's a.k.a. too (the CSL has a holding company
    # both as its own row and as an alias of its subsidiary). Equal scores: the party whose
    # own name it is comes first, whichever entry the list has first.
    from chipbridge.screening.model import Alias, AliasKind

    def entries(order: int) -> list[Entry]:
        parent = Entry("p", "t", "T", EntityType.COMPANY, "Quorvane Holding Co., Ltd.")
        child = Entry(
            "c",
            "t",
            "T",
            EntityType.COMPANY,
            "Quorvane Instruments Co., Ltd.",
            aliases=(Alias("Quorvane Holding Co., Ltd.", AliasKind.STRONG),),
        )
        return [child, parent] if order else [parent, child]

    for order in (0, 1):
        hits = Screener.from_entries(entries(order)).screen("Quorvane Holding Co Ltd")
        assert [h.entry.id for h in hits] == ["p", "c"], order
        assert hits[0].score == hits[1].score
