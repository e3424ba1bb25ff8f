"""A Latin name typed as the toneless pinyin of a Chinese firm's name (pinyin_reading.py).

Every name here is made up for the test and is in no data file of the project.
"""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener, pinyin_reading
from chipbridge.screening.model import Alias
from chipbridge.screening.normalize import analyse


def _entry(entry_id: str, kind: EntityType, name: str, *aliases: str) -> Entry:
    return Entry(entry_id, "t", "Test", kind, name, tuple(Alias(a) for a in aliases))


# Forty unrelated firms, so that a test list's own words are rare and weigh as on a real list.
OTHERS = tuple(
    _entry(f"o{n}", EntityType.COMPANY, f"Ortho{chr(97 + n % 26)}{n} Trading") for n in range(40)
)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_entries(
        [
            _entry("xl", EntityType.COMPANY, "Xunlan Aerospace Industry Group Co., Ltd."),
            _entry("ruan", EntityType.PERSON, "RUAN, Haiyang"),
            *OTHERS,
        ]
    )


def _read(name: str) -> pinyin_reading.Reading | None:
    return pinyin_reading.read(analyse(name).tokens)


def test_a_firm_listed_in_english_is_found_by_its_chinese_name_in_pinyin(
    screener: Screener,
) -> None:
    # The list writes the firm in English only: spelling alone meets "xunlan" and nothing else.
    for typed in ("Xunlan Hangtian Gongye Jituan", "xunlanhangtiangongye jituan"):
        hits = screener.screen(typed)
        assert [h.entry.id for h in hits] == ["xl"], typed
        assert hits[0].score >= 0.9
        assert "read as pinyin: " in hits[0].reason
        assert "航天" in hits[0].reason  # hangtian read as the word for aerospace
    # Split syllables and a legal form typed in pinyin read the same.
    assert screener.screen("Xun Lan Hang Tian Gong Ye Youxian Gongsi")[0].entry.id == "xl"


def test_a_person_in_pinyin_is_matched_as_before_and_not_read_as_a_firm(
    screener: Screener,
) -> None:
    # 海洋 (ocean) is a glossary term, but a surname and a given name make a person's name.
    assert pinyin_reading.person_shaped(analyse("Ruan Haiyang").tokens)
    for typed in ("Ruan Haiyang", "Haiyang Ruan"):
        hits = screener.screen(typed)
        assert [h.entry.id for h in hits] == ["ruan"]
        assert hits[0].score == 1.0
        assert "read as pinyin" not in hits[0].reason
        assert len(screener.spellings(typed)) == len(screener.spellings(typed, EntityType.PERSON))
    # The same words as a firm's, said to be one, are read.
    assert any(
        s[2].startswith("read as pinyin")
        for s in screener.spellings("Ruan Haiyang", EntityType.COMPANY)
    )


def test_an_unlisted_firm_sharing_only_generic_words_is_not_flagged(screener: Screener) -> None:
    # Another trade name (Boxin) in the same trade: aerospace, industry and group are not a name.
    assert _read("Boxin Hangtian Gongye Jituan") is not None
    assert screener.screen("Boxin Hangtian Gongye Jituan") == []
    assert screener.screen("Boxinhangtiangongye Youxian Gongsi") == []


def test_a_name_that_is_not_pinyin_is_not_read_as_chinese(screener: Screener) -> None:
    for name in ("Brightwater Aerospace Industry", "Xunlan Trading", "Hangtian Smith"):
        assert _read(name) is None, name
    # Syllables that translate nothing ("Xunlan", a trade name) read as they are spelled.
    assert _read("Xunlan Kehong") is None
    assert all(not s[2].startswith("read as pinyin") for s in screener.spellings("Xunlan Kehong"))
    hits = screener.screen("Brightwater Aerospace Industry", threshold=0.0)
    assert all("read as pinyin" not in h.reason for h in hits)


def test_an_apostrophe_parts_two_syllables(screener: Screener) -> None:
    # Pinyin writes an apostrophe before a syllable opening with a, e or o: Xi'an is 西安, two
    # syllables, where "xian" run together is one (鲜, 先...). Normalisation joins the word,
    # as the lists' matching wants; the reading still cuts it where the apostrophe stood.
    for typed in ("Xi'an Qiaomu Hangtian Gongye", "Xi\u2019an Qiaomu Hangtian Gongye"):
        assert any(s[0].startswith("西安") for s in screener.spellings(typed)), typed
        read = pinyin_reading.read(analyse(typed).tokens, pinyin_reading.separated(typed))
        assert read is not None
        assert read.words[0].han == "西安", typed
    assert pinyin_reading.separated("Xi'anqiaomu Keji") == {"xianqiaomu": ("xi", "anqiaomu")}
    read = _read_typed("Xi'anqiaomu Keji")
    assert read is not None and read.han.startswith("西安")
    # Without one, a typed word is cut as before: nothing is guessed.
    assert pinyin_reading.separated("Xian Qiaomu Keji") == {}


def _read_typed(name: str) -> pinyin_reading.Reading | None:
    return pinyin_reading.read(analyse(name).tokens, pinyin_reading.separated(name))


def test_a_city_opening_a_name_reads_as_the_city(screener: Screener) -> None:
    # Cities the curated glossary does not list read as the dictionary's cities when they
    # open a firm's name (after its province, if any), however their syllables could be
    # read one by one (jinan: 济南, not 击男).
    cases = {
        "Jinan Qiaomu Keji": "济南",
        "Shijiazhuang Qiaomu Hangtian": "石家庄",
        "Shandong Jinan Qiaomu Keji": "济南",
        "Mudanjiangqiaomu Keji": "牡丹江",
    }
    for typed, city in cases.items():
        read = _read(typed)
        assert read is not None, typed
        assert city in [w.han for w in read.words if w.source == pinyin_reading.PLACE], typed
        assert any(s[0].startswith(read.han) for s in screener.spellings(typed))
    # Within a name a city's syllables may be a trade name's: only an opening one is a city.
    read = _read("Qiaomu Jinan Keji")
    assert read is not None and "济南" not in read.han


def test_sounds_read_back_are_not_met_in_another_order() -> None:
    # A trade name's syllables typed in pinyin (Muqiao) are read back as characters chosen
    # by their sound: only the order they were typed in says which name it is. QIAO MU is
    # another firm's name, however the two words sound alike.
    screener = Screener.from_entries(
        [_entry("qm", EntityType.COMPANY, "QIAO MU CO., LTD."), *OTHERS]
    )
    for typed in ("Muqiao Xinxijishu Youxian Gongsi", "Mu Qiao Xinxi Jishu Youxian Gongsi"):
        assert any(s[2].startswith("read as pinyin") for s in screener.spellings(typed))
        hits = screener.screen(typed, threshold=0.8)
        assert all("read as pinyin" not in h.reason for h in hits), typed
    # Typed in the listed order, the same sounds meet it.
    hits = screener.screen("Qiaomu Xinxijishu Youxian Gongsi", threshold=0.8)
    assert [h.entry.id for h in hits] == ["qm"]
    assert "read as pinyin" in hits[0].reason
