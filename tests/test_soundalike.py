"""A Chinese trade name and the Latin brand made to sound like it.

Every name here is made up for the test and is in no data file of the project.
"""

from __future__ import annotations

import pytest

from chipbridge.screening import Screener
from chipbridge.screening.soundalike import latin_skeleton, pinyin_skeleton, skeleton, table
from tests.test_lattice import OTHERS, company


@pytest.mark.parametrize(
    ("syllables", "skeleton"),
    [
        (("ao", "li", "tai"), "VLT"),  # a name opening on a vowel
        (("bi", "kang"), "PKN"),  # -ng closes the syllable
        (("yi", "tu"), "VT"),  # y opens as a vowel does
        (("zhi", "xin"), "SN"),  # zh and x are one class, said once
        (("wei", "shi"), "WS"),
    ],
)
def test_pinyin_skeleton(syllables: tuple[str, ...], skeleton: str) -> None:
    assert pinyin_skeleton(syllables) == skeleton


@pytest.mark.parametrize(
    ("word", "skeleton"),
    [
        ("olitel", "VLTL"),
        ("pikon", "PKN"),
        ("cynex", "SNS"),  # c before y is s
        ("vortech", "WRTS"),  # v is pinyin's w
        ("tippett", "TPT"),  # doubled letters are one sound
    ],
)
def test_latin_skeleton(word: str, skeleton: str) -> None:
    assert latin_skeleton(word) == skeleton


@pytest.mark.parametrize(
    ("readings", "word", "expected"),
    [
        ([("ao",), ("li",), ("tai",)], "olitel", True),  # a consonant added at the end
        ([("bai", "bo"), ("ke",)], "pako", True),  # b and p alike
        ([("sheng",), ("yuan",)], "saint", False),  # two classes and one added: too loose
        ([("zhong", "yin"), ("yuan",)], "enyo", False),  # a rare reading is no brand's
        ([("ao",), ("li",), ("tai",)], "oltaris", False),  # two added
        ([("ao",), ("li",), ("tai",)], "lotel", False),  # the vowel opening lost
        ([("wu",), ("sun",)], "nondestructive", False),  # a translation, not a sound
        ([("bi",)], "bees", False),  # one consonant says nothing
        ([("bi",), ("ke",)], "pk", False),  # too short for a brand word
    ],
)
def test_a_run_meets_the_brand_words_of_its_skeleton(
    readings: list[tuple[str, ...]], word: str, expected: bool
) -> None:
    # As the lattice's word matcher meets a run's skeleton: through the listed words' table.
    assert (word in table([word]).get(skeleton(readings), ())) is expected


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_entries(
        [
            company("o", "Ningbo Olitel Electronics Co., Ltd."),
            company("a", "Ningbo Armada Electronics Co., Ltd."),
            company("c", "Yunlan Chengdu Aircraft Industry Co., Ltd."),
            company("p", "Xiamen Ruolan Pico Information Co., Ltd."),
            company("s", "Ningbo Saint Logistics Co., Ltd."),
            *OTHERS,
        ]
    )


def test_a_trade_name_meets_the_brand_that_sounds_like_it(screener: Screener) -> None:
    # 奥利泰 (ao li tai) between the found place and industry, "Olitel" between theirs.
    hits = screener.screen("宁波奥利泰电子有限公司")
    assert hits and hits[0].entry.id == "o" and hits[0].score > 0.9
    assert "奥 利 泰~olitel (brand sound" in hits[0].reason
    # Another trade name in the same slot does not sound like it.
    assert not screener.screen("宁波艾美达电子有限公司")


def test_a_place_is_no_brand(screener: Screener) -> None:
    # 西安 (xi an) has the skeleton of "Chengdu" with a consonant added, but the segmenter
    # reads it as a word, a place: another city's firm.
    assert not screener.screen("云岚西安飞机工业有限公司")


def test_a_short_brand_needs_a_trade_name_beside_it(screener: Screener) -> None:
    # 柏科 (bai ke) has the two sounds of "Pico", next to the trade name 若兰 (Ruolan) ...
    hits = screener.screen("厦门若兰柏科信息有限公司")
    assert hits and hits[0].entry.id == "p" and "柏 科~pico (brand sound" in hits[0].reason
    # ... while 芯德 (xin de), between a place and an industry only, has the three of
    # "Saint" and is another firm: so many trade names sound like a short word.
    assert not any(h.entry.id == "s" for h in screener.screen("宁波芯德物流有限公司"))


@pytest.fixture(scope="module")
def echoed() -> Screener:
    return Screener.from_entries([company("l", "Ningbo Lyming Electronics Co., Ltd."), *OTHERS])


def test_a_short_brand_alone_that_spells_a_syllable_of_the_trade_name(echoed: Screener) -> None:
    # 路明 (lu ming) has the three sounds of "Lyming", which also spells its "ming": the
    # vowels agree, so it stands beside a place (its 市 no listed word needs) and an industry.
    hits = echoed.screen("宁波市路明电子有限公司")
    assert hits and hits[0].entry.id == "l" and hits[0].score > 0.9
    assert "路 明~lyming (brand sound" in hits[0].reason
    # 罗敏 (luo min) has the same three sounds and spells neither syllable: another firm.
    assert not echoed.screen("宁波市罗敏电子有限公司")
    # Only a place's kind is passed over: 集团 (group) before the trade name is no place's.
    assert not echoed.screen("宁波集团路明电子有限公司")
