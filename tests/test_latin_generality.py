"""Latin-script mechanisms: spellings, cut-short and split words, acronyms, middle names.

Every name here is made up and appears in no data file; each test fails when its mechanism
is taken out.
"""

from __future__ import annotations

from chipbridge.screening import Screener
from chipbridge.screening.index import acronyms
from chipbridge.screening.normalize import analyse
from chipbridge.screening.romanise import family_key, hong_kong_table

from .conftest import ENTRIES, company, person


def test_a_transliteration_beats_a_typo_of_the_same_word() -> None:
    # "Jury" is one letter from "Yury" (a typo at 0.62) and the same name in another
    # system (0.92): the better reading wins.
    screener = Screener.from_entries([person("p", "PELTRAVIN, Yury"), *ENTRIES])
    found = {listed: (sim, kind) for listed, sim, kind, _ in screener.index.word_matches("jury")}
    assert found["yury"][1] == "transliteration"
    assert found["yury"][0] > 0.9


def test_german_and_french_spellings_of_russian_names_share_a_key() -> None:
    assert family_key("tichonowsky") == family_key("tikhonovsky")  # Х written ch
    assert family_key("juravlenko") == family_key("zhuravlenko")  # Ж written j
    assert family_key("paschenko") == family_key("pashchenko")  # Щ written sch
    # A word-initial ch is Ч as often as not: Chernov is not Khernov.
    assert family_key("chernov") != family_key("khernov")


def test_german_spelling_finds_the_listed_person() -> None:
    screener = Screener.from_entries([person("p", "ZHELVAKHOV, Timofei"), *ENTRIES])
    hits = screener.screen("Timofei Jelvachow")
    assert hits and hits[0].entry.id == "p"
    assert "transliteration" in hits[0].reason


def test_split_and_cut_short_legal_words_weigh_as_legal() -> None:
    screener = Screener.from_entries([company("v", "Velmorin Trading Corporation"), *ENTRIES])
    assert screener.index.is_legal_part("corpo", ("velmorincorpo", "corporation"))
    assert screener.index.is_legal_part("corpor")  # Corporation cut short
    assert not screener.index.is_legal_part("velmo")
    for query in ("Velmorin Trading Corpo Ration", "Velmorin Trading Corpor."):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "v", query


def test_a_common_prefix_keeps_its_most_common_words() -> None:
    # "Aero" begins more listed words than a prefix keeps; the common ones stay reachable.
    rare = [company(f"r{i}", f"Aero{s} Kolvat") for i, s in enumerate("bcdfghjklm")]
    common = [company(f"c{i}", f"Brennik{i} Aerospace Group") for i in range(3)]
    screener = Screener.from_entries([*rare, *common, *ENTRIES])
    found = {listed: kind for listed, _, kind, _ in screener.index.word_matches("aero")}
    assert found.get("aerospace") == "truncation"


def test_acronyms_take_letters_from_longer_legal_phrases_and_bracketed_words() -> None:
    name = "Norvane Capital Holdings Closed Joint Stock Company"
    assert "nchcjs" in acronyms(name, analyse(name, False))
    name = "Talvik Marine (Zona Franca) S.A."
    assert "tmzf" in acronyms(name, analyse(name, False))
    # Two distinctive words make no acronym of fewer than four letters.
    assert acronyms("Orbek Widgets Ltd", analyse("Orbek Widgets Ltd", False)) == []
    screener = Screener.from_entries(
        [company("n", "Norvane Capital Holdings Closed Joint Stock Company"), *ENTRIES]
    )
    hits = screener.screen("NCHCJS")
    assert hits and hits[0].entry.id == "n"
    assert "initials of the listed name" in hits[0].reason


def test_an_acronym_takes_no_lone_letter_of_a_legal_abbreviation() -> None:
    # "Corporation" alone gives its letter (CETC); the last word of "S.A. de C.V." does not:
    # otherwise every query "SMIC" would meet a Mexican importer SIN-MEX.
    name = "Talvik Orno Marvex Importadora, S.A. de C.V."
    assert "tomic" not in acronyms(name, analyse(name, False))
    name = "Talvik Orno Marvex Group Corporation"
    assert "tomc" in acronyms(name, analyse(name, False))


def test_a_word_with_a_full_stop_is_cut_short() -> None:
    assert analyse("Orvalis Petr. Admin. S.A.", False).cut == {"petr", "admin"}
    assert analyse("J. Orvalis", True).cut == frozenset()  # an initial, not a cut word
    listed = [
        company("o", "Orvalis Petrochemical Shipping Company"),
        company("x", "Petrovask Kalden Mining"),
        *ENTRIES,
    ]
    screener = Screener.from_entries(listed)
    # Out of the listed word's place, only the full stop says the word is cut short.
    dotted = screener.screen("Shipping Petr. Orvalis", threshold=0.0)
    bare = screener.screen("Shipping Petr Orvalis", threshold=0.0)
    assert dotted[0].entry.id == "o"
    assert dotted[0].score > bare[0].score
    assert dotted[0].score >= 0.84


def test_a_cut_short_word_in_its_listed_words_place_counts_as_cut() -> None:
    listed = [company("o", "Orvalis Petrochemical Shipping Company"), *ENTRIES]
    screener = Screener.from_entries(listed)
    hits = screener.screen("Orvalis Petr Shipping")
    assert hits and hits[0].entry.id == "o"
    assert "truncation in place" in hits[0].reason
    # Alone, or between other words, a word's first letters may begin any word.
    assert screener.screen("Petr") == []
    moved = screener.screen("Petr Orvalis Shipping", threshold=0.0)
    assert "in place" not in moved[0].reason
    assert moved[0].score < hits[0].score


def test_an_expanded_abbreviation_as_written_may_begin_another_word() -> None:
    # "Comm" is expanded to Communications; as written it also begins Commercial.
    screener = Screener.from_entries([company("a", "Keltavin Commercial Ventures"), *ENTRIES])
    hits = screener.screen("Keltavin Comm Ventures")
    assert hits and hits[0].entry.id == "a"
    assert "communications~commercial (truncation in place" in hits[0].reason


def test_middle_names_weigh_little_against_a_listed_person_found_whole() -> None:
    screener = Screener.from_entries(
        [person("p", "Tarvek Omundsen"), company("c", "Tarvek Omundsen Trading"), *ENTRIES]
    )
    hits = screener.screen("Tarvek Ilmari Omundsen")
    assert hits and hits[0].entry.id == "p"
    assert "ilmari" in hits[0].reason
    assert screener.screen("Tarvek Omundsen Ilmari")[0].entry.id == "p"  # a father's name
    # Not found whole, or another name before it, or names too short to tell: no hit.
    assert screener.screen("Tarvek Ilmari Jostein") == []
    assert screener.screen("Ilmari Tarvek Omundsen") == []
    short = Screener.from_entries([person("k", "KOR, Vel"), *ENTRIES])
    assert short.screen("Kor Vel Jostein") == []
    # An organisation is not a person with middle names.
    assert all(h.entry.id != "c" for h in screener.screen("Tarvek Ilmari Jostein Omundsen"))


def test_hong_kong_spellings_of_simplified_characters() -> None:
    # 孙 is read through 孫, which the Cantonese romanisation package knows.
    assert "sun" in hong_kong_table()["suen"]


def test_hyphenated_syllables_are_read_as_wade_giles_even_when_each_is_pinyin() -> None:
    # Teng, kuo and chen are pinyin syllables too; the hyphen says the name is not pinyin.
    screener = Screener.from_entries([person("d", "DENG, Guozhen"), *ENTRIES])
    hits = screener.screen("Teng Kuo-chen")
    assert hits and hits[0].entry.id == "d"
    assert "wade-giles" in hits[0].reason
    assert screener.screen("Teng Kuo chen") == []


def test_words_of_one_root_match() -> None:
    screener = Screener.from_entries([company("k", "Korvask Marine Industry Group"), *ENTRIES])
    found = {listed: kind for listed, _, kind, _ in screener.index.word_matches("industrial")}
    assert found.get("industry") == "derivation"
    hits = screener.screen("Korvask Marine Industrial")
    assert hits and hits[0].entry.id == "k"
    # People's names are not derived words: Velbrandi is not Velbrandsen.
    people = Screener.from_entries([person("p", "VELBRANDSEN, Oskar"), *ENTRIES])
    found = {listed for listed, _, kind, _ in people.index.word_matches("velbrandi")}
    assert "velbrandsen" not in found


def test_acronyms_read_without_words_that_carry_marks() -> None:
    # Writers of acronyms often leave out an article joined by a hyphen, a possessive, a
    # number or a dotted abbreviation.
    name = "Ministry of Workers' Velmoran Harbour Bureau"
    found = acronyms(name, analyse(name, False))
    assert {"mwvhb", "mvhb"} <= set(found)
    name = "Al-Tarvek Kolmina 3 Shipping Lines"
    assert "ksl" in acronyms(name, analyse(name, False))
    # A quoted name is the name itself, not a marked word.
    name = "OOO 'Velmar Kostrun Proekt'"
    assert "vkp" in acronyms(name, analyse(name, False))
    # One distinctive word: letters from the legal phrase, never a legal form itself.
    name = "Public Joint Stock Company Velmarovsk"
    assert "pjsv" in acronyms(name, analyse(name, False))
    name = "Public Joint Stock Company Chelmarovsk"
    assert "pjsc" not in acronyms(name, analyse(name, False))


def test_abd_al_is_written_one_way() -> None:
    screener = Screener.from_entries([person("a", "ABD EL-RAHMAN, Tervak Olsund"), *ENTRIES])
    for query in ("Abdulrahman Tervak Olsund", "Abdel Rahman Tervak Olsund"):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "a", query
    # Abdullah is Abd Allah: not split.
    assert analyse("Abdullah Tervak", True).tokens == ("abdullah", "tervak")


def test_a_short_legal_form_at_the_head_may_be_a_surname() -> None:
    # "Sia" is the Latvian SIA and Xia in Tongyong spelling: both readings are tried.
    screener = Screener.from_entries([person("x", "XIA, Wenqiao"), *ENTRIES])
    hits = screener.screen("Sia Wenqiao")
    assert hits and hits[0].entry.id == "x"
    assert "read as a person's name" in hits[0].reason


def test_a_name_said_in_full_need_not_say_its_own_acronym() -> None:
    # Lists append a body's acronym to its name; the name in full is the body.
    listed = company("nimr", "Northern Institute of Marine Robotics (NIMR)")
    screener = Screener.from_entries([listed, *ENTRIES])
    hits = screener.screen("Northern Institute of Marine Robotics")
    assert hits and hits[0].entry.id == "nimr" and hits[0].score > 0.99
    # The acronym still finds it, and a word that is no acronym of the name still counts.
    assert screener.screen("NIMR")[0].entry.id == "nimr"
    other = Screener.from_entries([company("x", "Northern Institute of Marine Robotics Kestrel")])
    assert other.screen("Northern Institute of Marine Robotics")[0].score < 0.99
    # Only the name in full: a query that leaves out a word of it leaves out the acronym too.
    bare = Screener.from_entries([company("b", "Northern Institute of Marine Robotics"), *ENTRIES])
    partial = "Northern Institute of Robotics"
    assert screener.screen(partial, threshold=0.0)[0].score < bare.screen(partial)[0].score
