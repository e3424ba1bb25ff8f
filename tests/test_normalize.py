"""Names -> normalised forms."""

from __future__ import annotations

import pytest

from chipbridge.screening.normalize import analyse, clean_text, own_acronym, party_name, stem


def test_cp1252_control_byte_repaired() -> None:
    text, rules = clean_text("Gui\x92an New District")
    assert text == "Gui’an New District"
    assert rules == ["repaired cp1252 control bytes"]
    assert analyse("Gui\x92an New District Huawei").tokens == ("guian", "new", "district", "huawei")


def test_nfkc_case_diacritics_and_control_characters() -> None:
    assert analyse("ＳＭＩＣ").tokens == ("smic",)  # full-width letters
    assert analyse("Müller\u200b Maschinenbau").tokens == ("muller", "maschinenbau")
    assert analyse("São  Paulo\tTrading").tokens == ("sao", "paulo", "trading")


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Huawei Technologies Co., Ltd.", ("huawei", "technologies")),
        ("Huawei Technologies Company Limited", ("huawei", "technologies")),
        ("Siemens Gamesa GmbH", ("siemens", "gamesa")),
        ("Multiservicios Agsa, S.A. de C.V.", ("multiservicios", "agsa")),
        ("OOO Romashka", ("romashka",)),
        ("Obshchestvo s Ogranichennoy Otvetstvennostyu Ekran", ("ekran",)),
        ("华为技术有限公司", ("huawei", "technologies")),
        # Japanese forms, which rigour's table lacks.
        ("Zorblax Japan K.K.", ("zorblax", "japan")),
        ("Zorblax Kabushiki Kaisha", ("zorblax",)),
        ("Zorblax G.K.", ("zorblax",)),
    ],
)
def test_legal_forms_removed_for_companies(name: str, tokens: tuple[str, ...]) -> None:
    form = analyse(name, False)
    assert form.tokens == tokens
    assert form.legal, "the legal form is kept apart, not dropped silently"


def test_legal_form_spellings_agree() -> None:
    short = set(analyse("Acme Co., Ltd.", False).legal)
    assert short & set(analyse("Acme Company Limited", False).legal)
    assert analyse("Acme Co., Ltd.", False).tokens == analyse("ACME COMPANY LIMITED", False).tokens


def test_short_legal_lookalikes_stay_soft_when_type_unknown() -> None:
    form = analyse("Zorvex SA")
    assert form.tokens == ("zorvex", "sa")
    assert "sa" in form.soft
    assert analyse("Zorvex SA", True).soft == frozenset()


def test_a_given_name_in_pinyin_is_no_legal_form() -> None:
    # "Yu" is a legal form's abbreviation too; in a Chinese person's name written in pinyin
    # it is a given name, and weighs as one.
    for name in ("Wang Yu", "Yu Ji", "Gao Na", "Wang Xiao Yu"):
        form = analyse(name)
        assert form.soft == frozenset(), name
        assert "yu" in form.tokens or "na" in form.tokens, name
    # A word of two syllables beside it is a firm's name as often: "Huawei SA".
    assert "sa" in analyse("Huawei SA").soft
    assert "yu" in analyse("Zorvex Yu").soft


def test_a_trade_names_first_syllable_is_no_legal_form() -> None:
    # "Yu" and "Ao" also abbreviate legal forms; opening a firm's trade name written
    # syllable by syllable, before its legal form, they are its first syllable.
    for type_known in (False, None):
        assert analyse("Yu Pei Lan Co Ltd", type_known).tokens == ("yu", "pei", "lan")
        assert analyse("Ao Rui Tong Trading Co Ltd", type_known).tokens[:3] == ("ao", "rui", "tong")
    # A legal form before a name that is no pinyin stays one, as does one with no legal form
    # after the name.
    assert analyse("AO Zorvex Tong Co Ltd", False).tokens == ("zorvex", "tong")
    assert analyse("AO Pei Lan", False).tokens == ("pei", "lan")


def test_abbreviations_expanded() -> None:
    form = analyse("Semiconductor Mfg Intl Corp", False)
    assert form.tokens == ("semiconductor", "manufacturing", "international")
    assert "abbreviation intl->international" in form.rules


def test_titles_removed_for_people() -> None:
    assert analyse("Dr. Sergey Ivanov", True).tokens == ("sergey", "ivanov")
    # Of unknown type, a title may be an organisation's word ("General Bureau of Atomic
    # Energy"): kept, but weighed lightly.
    form = analyse("Mr Kim Jong Un")
    assert form.tokens == ("mr", "kim", "jong", "un")
    assert form.soft == {"mr"}
    assert "general" in analyse("General Bureau of Atomic Energy").soft


def test_mistyped_legal_word() -> None:
    form = analyse("Hesong Trading Corloration", False)
    assert form.tokens == ("hesong", "trading")
    assert any("mistyped legal form" in r for r in form.rules)


def test_person_name_order_does_not_change_tokens() -> None:
    assert sorted(analyse("IVANOV, Sergey", True).tokens) == sorted(
        analyse("Sergey Ivanov", True).tokens
    )


def test_stem() -> None:
    assert stem("technologies") == stem("technology")
    assert stem("glass") == "glass"


@pytest.mark.parametrize(
    ("name", "tokens", "legal"),
    [
        ("Qinglan Keji Youxian Gongsi", ("qinglan", "keji"), ("llc",)),
        ("Qinglan Keji Gufen Youxian Gongsi", ("qinglan", "keji"), ("llc",)),
        ("Qinglan Keji Youxian Zeren Gongsi", ("qinglan", "keji"), ("llc",)),
        ("Qinglan Maoyi Gongsi", ("qinglan", "maoyi"), ("co",)),
        # "Youxian" alone is a given name as often: only the whole phrase is a legal form.
        ("Li Youxian", ("li", "youxian"), ()),
        # A name made of a legal form alone keeps it, to match itself.
        ("Gongsi", ("gongsi",), ()),
    ],
)
def test_romanised_chinese_legal_forms(
    name: str, tokens: tuple[str, ...], legal: tuple[str, ...]
) -> None:
    form = analyse(name)
    assert (form.tokens, form.legal) == (tokens, legal)


def test_a_listings_successor_clause_is_no_part_of_the_name() -> None:
    clause = "Zorvex Instruments Co. Ltd and any successor, sub-unit, or subsidiary thereof"
    assert party_name(clause) == "Zorvex Instruments Co. Ltd"
    sub_units = "Zorvex Technologies Incorporated (ZTI), and its sub-units and successors"
    assert party_name(sub_units) == "Zorvex Technologies Incorporated (ZTI)"
    assert party_name("and Zorvex Institute") == "Zorvex Institute"  # "A; and B" split
    assert party_name("Sand and Gravel Trading") == "Sand and Gravel Trading"
    # The listed party is found whole by its name, and by the name copied with the clause.
    from chipbridge.screening import EntityType, Entry, Screener

    others = [Entry(f"o{n}", "t", "T", EntityType.COMPANY, f"Ortho{n} Trading") for n in range(9)]
    screener = Screener.from_entries([Entry("z", "t", "T", EntityType.COMPANY, clause), *others])
    for query in ("Zorvex Instruments Co. Ltd", clause.upper()):
        hits = screener.screen(query)
        assert hits and hits[0].entry.id == "z" and hits[0].score == 1.0, query


def test_a_syllable_joined_by_a_hyphen_is_no_legal_form() -> None:
    # Pao (ПАО) and Ngo (NGO) are legal forms on their own; joined to another syllable by a
    # hyphen they are a given name's (Hsia Pao-lung, Lam Yuet-ngo), when a person may be meant.
    assert analyse("Hsia Pao-lung").tokens == ("hsia", "pao", "lung")
    assert analyse("Lam Cheng Yuet-ngo").tokens == ("lam", "cheng", "yuet", "ngo")
    assert analyse("PAO Gazprom-Neft").tokens == ("gazprom", "neft")
    assert analyse("Hsia Pao-lung", False).tokens == ("hsia", "lung")
    # A legal form with no vowel is no syllable: it stays a legal form.
    assert analyse("Efo-Ltd.").tokens == ("efo",)
    assert analyse("Thrust Aviation FZ-LLC").tokens == ("thrust", "aviation")


def test_a_listed_acronym_may_end_with_its_legal_forms_letter() -> None:
    # "Zorvex Technologies Incorporated (ZTI)": the I is the legal form's, which the name's
    # words leave out; without a legal form a last letter left over is no acronym's ("Haj").
    tokens = ("zorvex", "technologies", "zti")
    assert own_acronym(tokens, 2, legal=True)
    assert not own_acronym(tokens, 2)
    assert not own_acronym(("al", "haq", "haj", "abd"), 2)


def test_a_close_corporation_is_a_legal_form_at_the_end() -> None:
    # South Africa's and Namibia's close corporation ("... (Namibia) CC"); elsewhere in a
    # name the letters may be its own ("CC Trading").
    assert analyse("Ruritania Construction (Namibia) CC", False).tokens == (
        "ruritania",
        "construction",
        "namibia",
    )
    assert analyse("CC Trading", False).tokens == ("cc", "trading")
    # ... nor does the index learn it as a legal word, to weigh it as one everywhere.
    assert "cc" not in analyse("Ruritania Construction (Namibia) CC", False).legal_words
