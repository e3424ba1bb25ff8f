"""The index, the scorer and the screener: behaviour a compliance officer relies on."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipbridge.screening import DEFAULT_THRESHOLD, EntityType, Screener, UnscreenableName

from .conftest import ENTRIES


def top(screener: Screener, name: str, **kw: object) -> tuple[str, float] | None:
    hits = screener.screen(name, threshold=0.0, **kw)  # type: ignore[arg-type]
    return (hits[0].entry.id, hits[0].score) if hits else None


def test_exact_name_scores_one(screener: Screener) -> None:
    assert top(screener, "Banco Nacional de Cuba") == ("bnc", 1.0)


def test_rare_words_decide(screener: Screener) -> None:
    hits = screener.screen("Semiconductor Manufacturing International")
    assert [h.entry.id for h in hits] == ["smic"]
    on = screener.screen("Semiconductor Manufacturing International", threshold=0.0)
    assert all(h.entry.id != "onsemi" or h.score < 0.5 for h in on)


def test_common_words_carry_little(screener: Screener) -> None:
    assert screener.screen("Pacific Trading Corporation Limited") == []


def test_typos(screener: Screener) -> None:
    assert top(screener, "Semiconducter Manufacturing Internatonal")[0] == "smic"  # type: ignore[index]
    hit = screener.screen("Semiconducter Manufacturing International")[0]
    assert hit.score >= DEFAULT_THRESHOLD
    kinds = {a.kind for a in hit.explanation.alignments}
    assert "typo" in kinds


def test_person_order_and_transliteration(screener: Screener) -> None:
    assert screener.screen("Muhammad Abdullah Al Rashid")[0].entry.id == "muhammad"
    assert screener.screen("Mohammed Abdullah Al-Rashid")[0].entry.id == "muhammad"
    assert screener.screen("Sergei Petrovich Ivanov")[0].entry.id == "sergey"


def test_run_together_and_split_words(screener: Screener) -> None:
    joined = screener.screen("Hua Wei Technologies")
    assert joined and joined[0].entry.id == "huawei"
    split = screener.screen("NationalBank of Cuba")
    assert split and split[0].entry.id == "bnc"


def test_legal_forms_do_not_matter_much(screener: Screener) -> None:
    assert top(screener, "Huawei Technologies Company Limited") == ("huawei", 1.0)
    assert top(screener, "Romashka LLC")[0] == "romashka"  # type: ignore[index]


def test_abbreviations(screener: Screener) -> None:
    hit = screener.screen("Semiconductor Mfg Intl Corp")[0]
    assert hit.entry.id == "smic"
    assert any("abbreviation" in r for r in hit.explanation.rules)


def test_every_hit_is_explained(screener: Screener) -> None:
    hit = screener.screen("Sergei IVANOV", threshold=0.0)[0]
    assert hit.entry.id == "sergey"
    assert hit.explanation.alignments
    assert "word order differs" in hit.explanation.rules
    assert "sergei~sergey" in hit.reason
    assert "listed words not in query: petrovich" in hit.reason


def test_alias_named_in_explanation(screener: Screener) -> None:
    hit = screener.screen("National Bank of Cuba")[0]
    assert hit.matched_name == "National Bank of Cuba"
    assert 'via strong name "National Bank of Cuba"' in hit.reason


def test_type_hint_changes_score(screener: Screener) -> None:
    plain = top(screener, "Zhou Wenbin")
    as_company = top(screener, "Zhou Wenbin", type=EntityType.COMPANY)
    assert plain is not None and as_company is not None
    assert as_company[1] < plain[1]


def test_country_hint_changes_score(screener: Screener) -> None:
    base = screener.screen("Maria Elena Garcia", threshold=0.0)[0].score
    same = screener.screen("Maria Elena Garcia", country="CO", threshold=0.0)[0]
    other = screener.screen("Maria Elena Garcia", country="FR", threshold=0.0)[0]
    assert other.score < base <= same.score
    assert "country CO matches" in same.explanation.rules


def test_limit_and_threshold(screener: Screener) -> None:
    assert len(screener.screen("Trading", threshold=0.0, limit=2)) <= 2
    assert all(h.score >= 0.9 for h in screener.screen("Huawei", threshold=0.9))


def test_thread_safe(screener: Screener) -> None:
    expected = {e.name: screener.screen(e.name)[0].entry.id for e in ENTRIES}
    errors: list[str] = []

    def work() -> None:
        for _ in range(20):
            for name, entry_id in expected.items():
                if screener.screen(name)[0].entry.id != entry_id:
                    errors.append(name)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_never_crashes_on_any_unicode(screener: Screener, text: str) -> None:
    try:
        hits = screener.screen(text, threshold=0.0)
    except UnscreenableName:
        return
    for hit in hits:
        assert 0.0 <= hit.score <= 1.0
        assert hit.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ENTRIES), st.sampled_from([str, str.upper, str.lower, str.title]))
def test_listed_name_finds_its_own_entry(screener: Screener, entry, case) -> None:  # type: ignore[no-untyped-def]
    for alias in entry.names():
        hits = screener.screen(case(alias.name), limit=3)
        assert hits, alias.name
        assert hits[0].score == pytest.approx(1.0)
        assert entry.id in [h.entry.id for h in hits if h.score == hits[0].score]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12),
        min_size=1,
        max_size=4,
    )
)
def test_generated_names_find_their_entry(words: list[str]) -> None:
    from chipbridge.screening.normalize import analyse

    from .conftest import company

    name = " ".join(words)
    if not analyse(name, False).tokens:
        return  # nothing left to match on (e.g. only combining marks): not indexed
    screener = Screener.from_entries([company("generated", name), *ENTRIES])
    hits = screener.screen(name, threshold=0.0, limit=20)
    assert hits
    assert "generated" in [h.entry.id for h in hits if h.score == hits[0].score]


def test_ownership_links_and_the_fifty_percent_rule() -> None:
    from chipbridge.screening.sources import builtin, load

    from .conftest import FIXTURES

    screener = Screener.from_snapshots([load(FIXTURES / "ftm_small.jsonl"), builtin.load()])
    sub = screener.screen("Acme Lithography Suzhou")[0]
    assert sub.entry.id == "os-acme-sub"
    assert [(o.id, p) for o, p in sub.owners] == [("os-acme", 60.0)]
    assert "50% rule: listed parties own 60% in aggregate" in sub.explanation.rules
    smic = screener.screen("SMIC")[0]
    assert "CB-EL-SMIC-BEIJING" in {e.id for e in smic.subsidiaries}
    beijing = screener.screen("SMIC Beijing")[0]
    assert any("owned (an undisclosed share) by listed" in r for r in beijing.explanation.rules)
    assert not any(r.startswith("50% rule") for r in beijing.explanation.rules)


@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b", "\x00\x01", "-- ..."])
def test_unscreenable_names_are_refused(screener: Screener, name: str) -> None:
    with pytest.raises(UnscreenableName):
        screener.screen(name)
