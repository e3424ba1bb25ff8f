"""One-character slips in Chinese names of listed parties: a damaged legal form where the name
ends, and a character typed for another of the same sound inside a word the lattice
translates or a name the alias registry knows (made-up names, in no data file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chipbridge.screening import DEFAULT_THRESHOLD, EntityType, Entry, Screener, lattice, slips


def company(entry_id: str, name: str) -> Entry:
    return Entry(entry_id, "t", "Test", EntityType.COMPANY, name)


# Forty unrelated firms, so that a test list's own words are rare and weigh as on a real list.
OTHERS = tuple(company(f"o{n}", f"Ortho{chr(97 + n % 26)}{n} Trading") for n in range(40))


@pytest.fixture(scope="module")
def shipping() -> Screener:
    return Screener.from_entries([company("tm", "Tongmao Shipping Co., Ltd."), *OTHERS])


@pytest.mark.parametrize(
    ("han", "meant"),
    [
        ("通茂航运有限公", "有限公 -> 有限公司"),  # cut short
        ("通茂航运有限责任公", "有限责任公 -> 有限责任公司"),
        ("通茂航运有限公司司", "有限公司司 -> 有限公司"),  # its last character doubled
        ("通茂航运有线公司", "有线公司 -> 有限公司"),  # 线 typed for 限 (xian)
    ],
)
def test_a_damaged_legal_form_is_that_legal_form(shipping: Screener, han: str, meant: str) -> None:
    whole = shipping.screen("通茂航运有限公司")[0].score
    hits = shipping.screen(han)
    assert hits and hits[0].entry.id == "tm", han
    # The leftover character is no unmatched word: the name scores as with its form whole.
    assert hits[0].score >= whole - 0.02, (han, hits[0].score, whole)
    assert f"damaged legal form read as one: {meant}" in hits[0].reason


def test_a_whole_legal_form_is_not_read_as_damaged() -> None:
    for han in ("通茂航运有限公司", "通茂航运公司", "通茂航运股份有限公司"):
        assert slips.repaired_legal_form(lattice.build(han)) == ""
    # 公 alone is too little of a form to say which.
    # A word of its own where a legal form would end (公差, tolerance) is no slip.
    assert slips.repaired_legal_form(lattice.build("通茂精密公差")) == ""
    assert slips.repaired_legal_form(lattice.build("通茂航运公")) == ""
    assert slips.repaired_legal_form(lattice.build("通茂航运有限公")) == "有限公 -> 有限公司"


def typos(han: str) -> dict[str, set[str]]:
    """Typed characters -> the words the lattice reads them as typos for."""
    out: dict[str, set[str]] = {}
    for segment in lattice.build(han).segments:
        for a in segment.alternatives:
            if a.source == "typo":
                out.setdefault(segment.han, set()).add(a.meant)
    return out


def test_a_homophone_typo_inside_a_translated_word() -> None:
    # 样 (yang) typed for 洋: 海样 is no word, 海洋 (ocean) is the glossary's.
    assert "海洋" in typos("澜岳海样工程有限公司")["海样"]
    # Spelled right, the name keeps its own readings only.
    assert typos("澜岳海洋工程有限公司") == {}
    screener = Screener.from_entries([company("ly", "Lanyue Ocean Engineering Co., Ltd."), *OTHERS])
    hits = screener.screen("澜岳海样工程有限公司")
    assert hits and hits[0].entry.id == "ly" and hits[0].score >= DEFAULT_THRESHOLD
    assert "海样 -> ocean (typo for 海洋, glossary)" in hits[0].reason
    # Below what the name spelled right scores: a typo is a guess at what was meant.
    assert hits[0].score < screener.screen("澜岳海洋工程有限公司")[0].score


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    found = {"维墨": (lattice.Alternative(("vemoria",), "alias registry"),)}
    monkeypatch.setattr(lattice, "registry_alternatives", lambda: found)
    caches = (lattice.build, slips._sounded_keys, slips._sounded_sizes, slips._meant_words)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


@pytest.mark.usefixtures("registry")
def test_a_homophone_typo_of_a_registry_name() -> None:
    # 默 typed for 墨 (mo): the registry's brand is found through the name it sounds as.
    screener = Screener.from_entries([company("vm", "Vemoria Technology Co., Ltd."), *OTHERS])
    hits = screener.screen("维默科技有限公司")
    assert hits and hits[0].entry.id == "vm" and hits[0].score >= DEFAULT_THRESHOLD
    assert "维默 -> vemoria (typo for 维墨, alias registry)" in hits[0].reason
    # Two characters changed is no slip.
    assert screener.screen("伟默科技有限公司") == []
