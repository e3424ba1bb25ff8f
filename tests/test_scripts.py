"""Names typed in Hangul, Arabic or Hebrew script against lists written in Latin letters.

Every name here is made up (combinations in no data file); each positive test fails when its
mechanism is taken out (the letter-by-letter transliteration gives "byeonhyeogsam", "ysf
'dnan khtab"), and the negative tests check that different names in one script stay apart.
"""

from __future__ import annotations

from chipbridge.screening import DEFAULT_THRESHOLD, Screener
from chipbridge.screening.abjad import latin_key, script_keys, similarity
from chipbridge.screening.hangul import syllable_readings
from chipbridge.screening.normalize import analyse

from .conftest import ENTRIES, person

KOREANS = [
    person("pyon", "PYON, Hyok Sam"),
    person("byeon", "Byeon Hyeok-sam"),
    person("rhee", "Rhee Dong-hwan"),
    person("cho", "CHO, Myong Sik"),
    person("choe", "CHOE Kwang Jin"),
    person("joined", "Seo Jiwoong"),
]
ARABS = [
    person("khattab", "KHATTAB, Yusuf Adnan"),
    person("qasimi", "Abdul Rahman Qasimi"),
    person("salim", "Mohamed Salim Farsi"),
    person("nasser", "Saad Nasser"),
]
HEBREW = [person("tzadok", "Ephraim Tzadok"), person("bar", "Yoav Bar-Lev")]


def _screener() -> Screener:
    return Screener.from_entries([*KOREANS, *ARABS, *HEBREW, *ENTRIES])


def _top(screener: Screener, query: str) -> tuple[str, float]:
    hits = screener.screen(query, threshold=0.0)
    return (hits[0].entry.id, hits[0].score) if hits else ("", 0.0)


def test_a_hangul_syllable_is_read_in_every_system_names_use() -> None:
    assert {"gyeong", "kyong", "kyung"} <= set(syllable_readings("경"))  # RR, MR, popular
    assert {"jeong", "chong", "jong", "jung"} <= set(syllable_readings("정"))
    assert "shin" in syllable_readings("신")  # 시 is "shi" in McCune-Reischauer
    # Surnames add their conventional spellings, cited in ko_surnames.yml.
    assert {"lee", "rhee", "ri", "yi"} <= set(syllable_readings("이"))
    assert "i" not in syllable_readings("이")  # a lone letter is an initial on a list
    assert analyse("변혁삼").tokens == ("변", "혁", "삼")


def test_every_hangul_syllable_has_readings() -> None:
    # All 11,172 syllables, surnames' conventional spellings included (a bare YAML "no"
    # once read as false).
    empty = 0
    for code in range(0xAC00, 0xD7A4):
        found = syllable_readings(chr(code))
        assert all(isinstance(r, str) and r.isascii() and len(r) > 1 for r in found), chr(code)
        empty += not found
    assert empty == 2  # 아 "a", 에 "e": a lone letter is an initial, not a reading
    assert "no" in syllable_readings("노")


def test_hangul_names_meet_north_and_south_korean_spellings() -> None:
    screener = _screener()
    # McCune-Reischauer as North Korean names are listed, and Revised Romanization.
    hits = screener.screen("변혁삼", limit=5)
    assert {h.entry.id for h in hits} == {"pyon", "byeon"}
    assert "hangul" in hits[0].reason
    assert screener.screen("이동환")[0].entry.id == "rhee"  # a conventional surname
    assert screener.screen("최광진")[0].entry.id == "choe"
    # A given name the list writes as one word.
    assert screener.screen("서지웅")[0].entry.id == "joined"


def test_different_korean_names_do_not_meet() -> None:
    screener = _screener()
    # Same surname and first syllable, another given name: not a hit.
    assert not screener.screen("조명철")
    assert not screener.screen("변혁남")


def test_arabic_letters_give_the_consonants_of_every_latin_spelling() -> None:
    for spelling in ("mohammed", "muhammad", "mohamad"):
        assert latin_key(spelling)[0] in {key for key, _ in script_keys("محمد")}
    assert latin_key("abdullah")[0] in {key for key, _ in script_keys("عبدالله")}
    # A long vowel the script writes must be spelled: محمود is Mahmoud, not Mohamed.
    gaps = dict(script_keys("محمود"))["mhmd"]
    assert similarity(gaps, latin_key("mahmoud")[1]) > 0
    assert similarity(gaps, latin_key("mohamed")[1]) == 0


def test_arabic_script_names_meet_their_latin_spellings() -> None:
    screener = _screener()
    hits = screener.screen("يوسف عدنان خطاب")
    assert hits and hits[0].entry.id == "khattab"
    assert "arabic script" in hits[0].reason
    # "Abd al-" joined or apart, as romanise.arabic_compounds writes the Latin spellings.
    for query in ("عبد الرحمن قاسمي", "عبدالرحمن قاسمي"):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "qasimi", query


def test_different_arabic_names_do_not_meet() -> None:
    screener = _screener()
    assert not screener.screen("محمود سليم فارسي")  # Mahmoud, not Mohamed
    assert not screener.screen("سعيد نجار")  # Said Najjar is not Saad Nasser
    # Yunus Adnan Khatib: one word in common; خطيب writes the long i Khattab lacks.
    assert _top(screener, "يونس عدنان خطيب")[1] < DEFAULT_THRESHOLD


def test_hebrew_script_names_meet_their_latin_spellings() -> None:
    screener = _screener()
    hits = screener.screen("אפרים צדוק")
    assert hits and hits[0].entry.id == "tzadok"
    assert "hebrew script" in hits[0].reason
    assert not screener.screen("אפרים כהן")  # same given name, another family


def test_a_name_listed_in_the_same_script_is_met_as_written_or_mistyped() -> None:
    listed = [
        person("he", "אפרים צדוק מזרחי"),
        person("ar", "يوسف عدنان خطاب"),
        person("ko", "변혁삼"),
    ]
    screener = Screener.from_entries([*listed, *ENTRIES])
    assert screener.screen("변혁삼")[0].score == 1.0
    assert screener.screen("يوسف عدنان خطاب")[0].score == 1.0
    hits = screener.screen("אפרים צדוק מזרהי")  # one letter mistyped
    assert hits and hits[0].entry.id == "he"
