"""Latin-script generality: acronyms, abbreviations, transliteration families, romanisations.

Every name here is made up for the test; none is in a data file the engine reads.
"""

from __future__ import annotations

import pytest

from chipbridge.screening import Screener
from chipbridge.screening.romanise import family_key, readings, skeleton, syllables, tongyong

from .conftest import ENTRIES, company, person

LIST = [
    *ENTRIES,
    company("cetc", "China Electronics Technology Group Corporation", countries=("CN",)),
    company("qpe", "Qorvalen Precision Engineering Works Limited"),
    company("bush", "Brelvora Shipping Company Limited"),
    company("dev", "Tamsilo Oil and Gas Industry Development Co."),
    # Abbreviations are of words several names share, as these are.
    company("vsl", "Veltrano Shipping Lines"),
    company("kdc", "Kormanu Development Engineering Corporation"),
    person("kl", "KLYUYEV, Andriy Petrovych"),
    person("sv", "SIVAKOV, Yury"),
    person("mh", "AL-HINDAWI, Muhammad Yusuf"),
    person("hao", "HAO, Mingjin"),
    person("zhu", "ZHU, Hailun"),
    person("wc", "WANG, Chen"),
]


@pytest.fixture(scope="module")
def wide() -> Screener:
    return Screener.from_entries(LIST)


def top_id(screener: Screener, name: str) -> str | None:
    hits = screener.screen(name)
    return hits[0].entry.id if hits else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CETC", "cetc"),
        ("QPEW Ltd", "qpe"),
        ("CETC Co., Ltd.", "cetc"),
    ],
)
def test_acronyms_of_listed_names(wide: Screener, query: str, expected: str) -> None:
    hit = wide.screen(query)[0]
    assert hit.entry.id == expected
    assert any("initials of the listed name" in r for r in hit.explanation.rules)


def test_three_letter_acronyms_do_not_flag_alone(wide: Screener) -> None:
    assert wide.screen("CET") == []
    near = wide.screen("CET", threshold=0.0)
    assert near and near[0].entry.id == "cetc" and near[0].score < 0.83


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Brelvora Shpg Co Ltd", "bush"),
        ("Tamsilo Oil & Gas Industry Devt Co", "dev"),
        ("Qorvalen Precision Engg Works Ltd", "qpe"),
    ],
)
def test_abbreviations_keep_letters_in_order(wide: Screener, query: str, expected: str) -> None:
    assert top_id(wide, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Klyujew, Andrii Petrovych", "kl"),
        ("Sivakoff, Iurii", "sv"),
        ("El-Hindawi, Mohammed Yousef", "mh"),
        ("Hao Ming-chin", "hao"),  # Wade-Giles
        ("Jhu Hailun", "zhu"),  # Tongyong
        ("Wong Chan", "wc"),  # Hong Kong
    ],
)
def test_transliteration_families(wide: Screener, query: str, expected: str) -> None:
    assert top_id(wide, query) == expected


def test_family_keys_and_skeletons() -> None:
    assert family_key("ivanoff") == family_key("ivanov") == family_key("ivanow")
    assert family_key("yuriy") == family_key("yurii") == family_key("yury")
    assert family_key("khodorkovsky") == family_key("hodorkovskii")
    bones = [skeleton(family_key(w)) for w in ("mohammed", "muhammad", "mohamad")]
    assert len(set(bones)) == 1
    assert skeleton(family_key("ivanov")) != skeleton(family_key("petrov"))


def test_romanisations() -> None:
    assert tongyong("zhou") == "jhou" and tongyong("xue") == "syue" and tongyong("qing") == "cing"
    pinyin = {"wang": (), "yu": (), "chen": (), "zhou": (), "chan": ()}
    known = syllables(
        {
            "tongyong": {"jhou": ("zhou",)},
            "hong kong": {"wong": ("wang", "huang"), "chan": ("chen",)},
            "pinyin": pinyin,
        }
    )
    assert readings(("wang", "yu"), known, frozenset(pinyin)) is None  # already pinyin
    assert readings(("john", "smith"), known, frozenset(pinyin)) is None  # not Chinese
    found = readings(("wong", "chan"), known, frozenset(pinyin))
    assert found is not None and ("huang", "hong kong") in found[0]
    assert ("chen", "hong kong") in found[1]
