"""A Chinese person's name in pinyin against a listed Chinese person whose name the list writes
only in Hong Kong or Wade-Giles spelling (romanise.spellings, NameIndex.romanised_people).
Made-up names that are in no data file."""

from __future__ import annotations

import pytest

from chipbridge.screening import DEFAULT_THRESHOLD, EntityType, Entry, Screener, hangul, romanise
from chipbridge.screening.index import NameIndex


def person(entry_id: str, name: str, countries: tuple[str, ...] = ("HK",)) -> Entry:
    return Entry(entry_id, "t", "Test", EntityType.PERSON, name, countries=countries)


OTHERS = [person(f"o{n}", f"ORTHO{n}, Vasilii", ()) for n in range(40)]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_entries(
        [person("h", "CHAN, Tai-man"), person("w", "CHEN, Mei Hsiang", ("TW",)), *OTHERS]
    )


@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("Chen Dawen", "h"),  # 陈大文: chen -> Chan, da -> Tai, wen -> Man
        ("Dawen Chen", "h"),
        ("Chen Da Wen", "h"),
        ("Chen Meixiang", "w"),  # xiang -> Hsiang in Wade-Giles; mei met as it is
    ],
)
def test_a_pinyin_name_meets_its_other_spelling(screener: Screener, name: str, entry: str) -> None:
    hits = screener.screen(name)
    assert hits and hits[0].entry.id == entry
    assert hits[0].score >= DEFAULT_THRESHOLD
    assert any(s in hits[0].reason for s in ("hong kong", "wade-giles"))


@pytest.mark.parametrize(
    "name",
    [
        "Chen Wenda",  # the given name's syllables in the other order: another name
        "Chen Da",  # half the given name
        "Da Wen",  # the given name without the surname
        "Wen Chen",  # a given syllable for the surname
        "Mei Xiang",
        "Chen Dawei",
    ],
)
def test_only_the_whole_name_in_order_is_met(screener: Screener, name: str) -> None:
    assert screener.screen(name) == []


@pytest.mark.parametrize(
    ("countries", "found"),
    [(("HK",), True), (("CN",), True), (("KP", "CN"), False), ((), False), (("SG",), False)],
)
def test_only_chinese_people_are_spelled_so(countries: tuple[str, ...], found: bool) -> None:
    # 张小明: zhang -> Cheung, xiao -> Siu, ming -> Ming. A North Korean agent living in China
    # and a person of no stated country are not read as Chinese: Korean names share these
    # spellings.
    screener = Screener.from_entries([person("s", "CHEUNG, Siu-ming", countries), *OTHERS])
    assert bool(screener.screen("Zhang Xiaoming")) is found


def test_romanised_people_are_chinese_and_not_in_pinyin() -> None:
    index = NameIndex(
        [
            person("h", "LAU, Kwok-wing"),
            person("k", "YIP, Wo'n-chol", ("CN",)),  # McCune-Reischauer's breve: Korean
            person("p", "ZHANG, Wenbo", ("CN",)),  # pinyin: met as it is
            Entry("c", "t", "Test", EntityType.COMPANY, "LAU KWOK WING LTD", countries=("HK",)),
            *OTHERS,
        ]
    )
    kept = {index.name_tokens[n] for n in index.romanised_people}
    assert kept == {"lau kwok wing"}


def test_a_name_is_spelled_in_one_system() -> None:
    # 蔡展华 is "CHOI, Chin-wah" in Hong Kong spelling. "Cai Jinhua" meets it only with jin
    # spelled "chin" in Wade-Giles beside choi and wah in Hong Kong spelling: another name.
    screener = Screener.from_entries([person("c", "CHOI, Chin-wah"), *OTHERS])
    assert screener.screen("Cai Zhanhua")[0].entry.id == "c"
    assert screener.screen("Cai Jinhua") == []
    assert screener.screen("Cai Jin Hua") == []


def test_a_korean_name_on_the_mainland_is_korean() -> None:
    # A North Korean agent listed with the country of his address in China alone: a name that
    # reads as Korean is not spelled from pinyin. The same name of a Hong Kong person is.
    index = NameIndex(
        [person("k", "PAK, Song Nam", ("CN",)), person("h", "PAK, Song Nam"), *OTHERS]
    )
    assert {index.name_entry[n] for n in index.romanised_people} == {1}
    assert hangul.reads_as_korean(("pak", "song", "nam"))
    assert not hangul.reads_as_korean(("lo", "wai", "chung"))


def test_spellings_of_a_given_name_run_together() -> None:
    table = romanise.spelled_as(
        {"hong kong": romanise.hong_kong_spellings(), "tongyong": romanise.tongyong_spellings()}
    )
    pinyin = romanise.common_pinyin()
    lu, weicong = romanise.spellings(("lu", "weicong"), table, pinyin)
    assert ("lo", "hong kong", 1.0, True) in lu
    assert ("wai", "hong kong", 3 / 7, True) in weicong
    assert ("chung", "hong kong", 4 / 7, True) in weicong
    assert romanise.split_systems("weicong", "wai", "chung", table, pinyin) == {"hong kong"}
    assert not romanise.split_systems("weicong", "chung", "wai", table, pinyin)
    # Tongyong writes wei as pinyin does, and cong as cong: one system for both syllables.
    assert romanise.split_systems("weicong", "wei", "cong", table, pinyin) == {"tongyong"}
    assert not romanise.split_systems("weicong", "wei", "chung", table, pinyin)


def test_a_chinese_name_in_another_romanisation_has_no_middle_names() -> None:
    # "Cheung Kin-chung" read into pinyin is Zhang Jianzhong: its given name is Kin-chung,
    # one name, so "ZHANG, Jian" is another person, not the same one with a middle name left
    # out (on the real lists it was flagged at 0.86). Chung is a common name's word here, as
    # it is on the real lists, so that left out it weighs little as a middle name would.
    chung = [person(f"c{n}", f"CHUNG, Orth{n}", ()) for n in range(20)]
    screener = Screener.from_entries([person("z", "ZHANG, Jian", ("CN",)), *OTHERS, *chung])
    assert screener.screen("Cheung Kin")[0].entry.id == "z"
    assert screener.screen("Cheung Kin-chung") == []
    assert screener.screen("Zhang Jian Zhong") == []


def test_hong_kong_writes_an_open_o_as_or_too() -> None:
    # 林小娥: Hong Kong identity cards write 娥 Ngo or Ngor, 何 Ho or Hor.
    assert romanise.with_or("ngo") == ("ngo", "ngor")
    assert romanise.with_or("kwok") == ("kwok",)
    screener = Screener.from_entries([person("h", "LAM, Siu-ngor"), *OTHERS])
    assert screener.screen("Lin Xiao E")[0].entry.id == "h"


def test_a_syllable_of_a_romanised_name_is_no_legal_form() -> None:
    # In "Lam Cheng Yuet-ngo" NGO is a syllable: weighed as a legal form it let another
    # person who meets the other three words score 0.91 on the real lists. Here the other
    # person ("Yi-Lan Chen" there) meets lam, cheng and yuet, not ngo.
    # Lam, Cheng and Yuet are common names' words here, as they are on the real lists.
    firms = [Entry(f"n{n}", "t", "Test", EntityType.COMPANY, f"Relief{n} NGO") for n in range(5)]
    common = [
        person(f"{w}{n}", f"{w}, Orth{n}") for w in ("LAM", "CHENG", "YUET") for n in range(20)
    ]
    screener = Screener.from_entries([person("y", "LAM, Cheng Yuet"), *firms, *common, *OTHERS])
    hits = screener.screen("Lam Cheng Yuet-ngo", threshold=0.0)
    assert hits[0].entry.id == "y" and hits[0].score < DEFAULT_THRESHOLD


def test_no_slip_on_a_less_usual_reading() -> None:
    # 陈荣 read in Hong Kong spelling: "chan wing", and "chun wing" in 陳's other reading,
    # which it has not as a surname. A typo on that guess (chun -> Chung) finds anyone; a
    # typo on a usual reading is how lists spell names their own way (娥: ngo, "ngor").
    screener = Screener.from_entries(
        [person("c", "WING, Chung"), person("n", "HO, Yuet-ngor"), *OTHERS]
    )
    near = {h.entry.id: h.score for h in screener.screen("陈荣", threshold=0.0)}
    assert near.get("c", 0.0) < DEFAULT_THRESHOLD
    hits = screener.screen("何月娥")
    assert hits and hits[0].entry.id == "n"
