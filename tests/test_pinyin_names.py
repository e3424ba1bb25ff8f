"""A Chinese person's name written in pinyin, against listed people whose names are pinyin too
(romanise.reads_as_pinyin): another pinyin word is another character, not a slip. Made-up
names that are in no data file."""

from __future__ import annotations

import pytest

from chipbridge.screening import EntityType, Entry, Screener


def person(entry_id: str, name: str) -> Entry:
    return Entry(entry_id, "t", "Test", EntityType.PERSON, name)


@pytest.fixture(scope="module")
def screener() -> Screener:
    others = [person(f"o{n}", f"ORTHO{n}, Vasilii") for n in range(40)]
    return Screener.from_entries(
        [person("q", "QIAO, Lingfeng"), person("z", "ZHANG, Wenbo"), *others]
    )


@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("Qiao Lingfeng", "q"),
        ("Lingfeng Qiao", "q"),
        ("Qiao Lingfneg", "q"),  # a slip that spells no pinyin is still a slip
        ("Chang Wenbo", "z"),  # Zhang as Wade-Giles writes it, and Taiwanese passports
    ],
)
def test_the_same_name_is_found(screener: Screener, name: str, entry: str) -> None:
    hits = screener.screen(name)
    assert hits and hits[0].entry.id == entry


@pytest.mark.parametrize("name", ["Jiao Lingfeng", "Qiao Linfeng", "Zheng Wenbo", "Zhang Wenbao"])
def test_another_syllable_is_another_name(screener: Screener, name: str) -> None:
    assert screener.screen(name) == []


def test_a_company_lookalike_syllable_is_a_given_name() -> None:
    # "Yu" also abbreviates a legal form; in "Lan Yu" it is a given name, so the query is
    # not the one-word firm "Lan" with a legal form added.
    others = [person(f"o{n}", f"ORTHO{n}, Vasilii") for n in range(40)]
    firm = Entry("f", "t", "Test", EntityType.COMPANY, "LAN S.A.")
    screener = Screener.from_entries([firm, *others])
    assert screener.screen("Lan Yu") == []
    assert screener.screen("Lan SA", EntityType.COMPANY)[0].entry.id == "f"


def test_a_given_name_is_one_name() -> None:
    # Wenbin is not Bin: a given name split in two and met by half is another name (on the
    # real lists, Xu Wenbin was flagged as XU, Bin at 0.86). Qiao, Wen and Bin are common
    # on this list, as Xu, Wen and Bin are on the real ones.
    others = [person(f"o{n}", f"QIAO, Orth{n}") for n in range(30)]
    others += [person(f"w{n}", f"WEN, Vasil{n}") for n in range(10)]
    others += [person(f"x{n}", f"ORTHA{n}, Bin") for n in range(10)]
    screener = Screener.from_entries([person("b", "QIAO, Bin"), *others])
    for name in ("Qiao Wenbin", "Wenbin Qiao"):
        assert all(h.entry.id != "b" for h in screener.screen(name, threshold=0.5)), name
    for name in ("Qiao Bin", "Bin Qiao"):
        hits = screener.screen(name)
        assert hits and hits[0].entry.id == "b", name


@pytest.mark.parametrize("countries", [("CN",), ("TW",)])
def test_a_given_names_syllables_meet_in_order(countries: tuple[str, ...]) -> None:
    # Huawen is not Wenhua: run together, a given name's syllables meet the listed ones side
    # by side and in their order (on the real lists "Sun Meishi" was flagged as "SUN, Shi
    # Mei"). On Taiwan's list the name is read in its own spelling too (index.LOCAL_SPELLINGS).
    others = [person(f"o{n}", f"ORTHO{n}, Vasilii") for n in range(40)]
    listed = Entry("l", "t", "Test", EntityType.PERSON, "LIN, Wen Hua", countries=countries)
    screener = Screener.from_entries([listed, *others])
    assert screener.screen("Lin Wenhua")[0].entry.id == "l"
    assert screener.screen("Wenhua Lin")[0].entry.id == "l"
    assert screener.screen("Lin Huawen") == []
