"""Speed-ups that must not change answers: word-by-word transliteration, hash-seed order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rigour._core import maybe_ascii
from rigour.text import translit as rigour_translit

from chipbridge.screening import translit

MIXED = [
    "Société Générale Trading",
    "ООО «Панов, Петров и Третьякова»",
    "Шевченко Тарас Григорович",
    "Παπαδόπουλος Γεώργιος",
    "충주시(주) 국민시스템즈",
    "Сидоров Engineering Corporation",
    "Hoàng Trần Công ty Hợp danh",
    "中芯国际 SMIC Шанхай",  # an admitted script beside one that is not
    "محمد علي  Trading\u00a0LLC",  # a non-ASCII space between words
    "Mesude Çamurcuoğlu",
    "plain ascii, unchanged",
    "山田 たろう",
    "  leading and trailing  ",
    "საქართველო Шевченко",  # Georgian beside Cyrillic: rigour lowercases both
    "Шевченко 中",
    "Société Шевченко",
    "ქართული ენა",
]


@pytest.mark.parametrize("text", MIXED)
def test_word_by_word_transliteration_equals_rigour(text: str) -> None:
    # Twice: the second answer comes from the remembered words.
    assert translit.ascii_text(text) == rigour_translit.ascii_text(text)
    assert translit.ascii_text(text) == rigour_translit.ascii_text(text)


def test_accented_letters_lose_their_accents_as_rigour_takes_them_off() -> None:
    # Every letter the table unaccents, alone and beside letters, digits, a hyphen and
    # itself, in both cases: rigour's answer is the letter's, whatever stands beside it.
    assert len(translit._UNACCENTED) > 400
    for cp in translit._UNACCENTED:
        letter = chr(cp)
        for text in (letter, f"a{letter}b", f"A{letter}B", letter * 2, f"x{letter}-1{letter}Z"):
            assert text.translate(translit._UNACCENTED) == maybe_ascii(text), text


# Twelve listed firms whose first words share a prefix and are equally common: the truncation
# table keeps eight of them for "Alp", and which eight once depended on the string hash seed.
_PROGRAM = """
import json, sys
from chipbridge.screening import EntityType, Screener
from chipbridge.screening.model import Entry

words = ["alpha", "alpine", "alpaca", "alpen", "alpinist", "alphorn", "alpheus", "alpert",
         "alpino", "alpax", "alpova", "alpumi"]
entries = [
    Entry(str(i), "test", "Test list", EntityType.COMPANY, f"{w.title()} Trading Co Ltd")
    for i, w in enumerate(words)
]
screener = Screener.from_entries(entries)
out = [[h.entry.id, round(h.score, 6), h.reason]
       for q in ("Alp Trading", "Alpi Co", "Alphe")
       for h in screener.screen(q, threshold=0.0, limit=10)]
json.dump(out, sys.stdout)
"""


def _answers(seed: str) -> list[object]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    answers: list[object] = json.loads(run.stdout)
    return answers


def test_answers_do_not_depend_on_the_string_hash_seed() -> None:
    first = _answers("1")
    assert first, "the near-miss queries found nothing"
    for seed in ("2", "3", "4"):
        assert _answers(seed) == first


def test_legal_typo_table_finds_what_a_scan_of_the_legal_words_finds() -> None:
    # The index finds legal-form words one edit from a word through a table of deletions;
    # a scan of every legal-form word (rapidfuzz) must agree on every kind of edit.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from chipbridge.screening import Screener
    from chipbridge.screening.model import EntityType, Entry

    names = ["Acme Joint Stock Company", "Beta Obshchestvo s Ogranichennoy", "Gamma GmbH & Co KG"]
    names += ["Delta Sociedad Anonima", "Epsilon Aktiengesellschaft", "Zeta Limited Liability Co"]
    index = Screener.from_entries(
        Entry(str(i), "test", "Test", EntityType.COMPANY, n) for i, n in enumerate(names)
    ).index
    legal = sorted(index.legal_words)
    assert len(legal) > 10
    words = ["", "a", "x", "zhang", "technology", *legal]
    for w in legal:
        words += [w[:i] + w[i + 1 :] for i in range(len(w))]
        words += [w[:i] + "x" + w[i:] for i in range(len(w) + 1)]
        words += [w[:i] + "z" + w[i + 1 :] for i in range(len(w))]
        words += [w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1)]
        words += [w[:i] + "xy" + w[i + 2 :] for i in range(len(w) - 1)]
    found = 0
    for word in words:
        scan = process.extractOne(word, legal, scorer=OSA.distance, score_cutoff=1) is not None
        assert index.legal_typo(word) is scan, word
        found += scan
    assert 0 < found < len(words)


# Names in Chinese characters, alone and beside Latin words (bench/names.py writes both).
_CHINESE = [
    "中芯国际 SMIC",
    "SMIC 中芯国际集成电路制造有限公司",
    "华为 Technologies Co., Ltd.",
    "海思 HiSilicon",
    "長江存儲 Memory Technologies",
    "陈 Materials Wafer SARL",
    "中芯北方 Beijing",
    "华为技术有限公司",
    "陳大文",
    "曙光 Information Industry",
]


def test_chinese_name_shortcuts_change_no_answer() -> None:
    # A name's Chinese part is not read through its lattice again (it has the name's
    # lattice), and a Chinese reading that meets no word of a listed name written in
    # Chinese skips the candidate search: without either shortcut the answers are the same.
    from chipbridge.screening import EntityType, Screener
    from chipbridge.screening.screener import _Candidate
    from chipbridge.screening.sources import builtin

    class EveryPass(Screener):
        def _best(
            self,
            name: str,
            type: EntityType | None,
            cc: str | None,
            floor: float,
            lattices: bool = True,
            reread: bool = True,
            firm: bool = False,
        ) -> dict[int, _Candidate]:
            return super()._best(name, type, cc, floor, reread=reread, firm=firm)

    fast = Screener.from_snapshots([builtin.load()])
    slow = EveryPass(fast.index)
    slow._han_words = frozenset(fast.index.postings)  # every listed word: nothing skipped
    found = 0
    for name in _CHINESE:
        for threshold in (None, 0.0):
            answers = [
                [(h.entry.id, h.score, h.reason) for h in s.screen(name, threshold=threshold)]
                for s in (fast, slow)
            ]
            assert answers[0] == answers[1], name
            found += len(answers[0])
    assert found > len(_CHINESE), "the Chinese names met too few listed names to compare"


# Words for made-up lists: distinctive and common words, descriptors, legal forms, places and
# units (qualifiers), people's names (long ones: middle names), short words and initials,
# halves that run together ("Sino" "Tech"), acronyms ("NUDT").
_WORDS = [
    *("sino", "tech", "sinotech", "kaveh", "kavehs", "pars", "zhang", "wei", "zhangwei"),
    *("ali", "mohammed", "muhammad", "hassan", "hasan", "karimi", "rostami", "hosseini"),
    *("farhad", "gholamreza", "petrov", "sergey", "ivanovich", "alexander", "kim", "jong"),
    *("insurance", "international", "industrial", "industries", "technologies", "group"),
    *("holding", "bank", "trading", "shipping", "melli", "iran", "exports", "development"),
    *("shenzhen", "branch", "office", "china", "beijing", "nudt", "national", "defense"),
    *("university", "technology", "company", "ltd", "llc", "co", "gmbh", "a", "k", "m"),
]
_word = st.sampled_from(_WORDS)


def _mistyped(word: str, how: int) -> str:
    """One way a query writes a listed word: as is, cut short (with a full stop or not), a
    letter dropped or doubled, its initial, or split in two."""
    if how == 1 and len(word) > 4:
        return word[:3] + "."
    if how == 2 and len(word) > 4:
        return word[:4]
    if how == 3 and len(word) > 3:
        return word[:2] + word[3:]
    if how == 4:
        return word + word[-1]
    if how == 5:
        return word[0] + "."
    if how == 6 and len(word) > 5:
        return word[:3] + " " + word[3:]
    if how == 7:
        return ""
    return word


@given(
    listed=st.lists(
        st.tuples(st.booleans(), st.lists(_word, min_size=1, max_size=5)),
        min_size=3,
        max_size=12,
    ),
    data=st.data(),
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_skipping_candidates_by_their_score_bound_changes_no_answer(
    listed: list[tuple[bool, list[str]]], data: st.DataObject
) -> None:
    # score.score_bound is at least score_name's score for every candidate the screener
    # scores, and the candidates it skips change no answer, whatever the threshold or hints.
    # Queries are made from listed names (words mistyped, cut, split, left out, others put
    # in: qualifiers, middle names, repeats) and from any words.
    from chipbridge.screening import EntityType, Screener
    from chipbridge.screening.model import Entry

    entries = [
        Entry(
            f"e{i}",
            "t",
            "Test",
            EntityType.PERSON if person else EntityType.COMPANY,
            " ".join(words),
            countries=("CN",) if i % 2 else ("IR",),
        )
        for i, (person, words) in enumerate(listed)
    ]
    names = []
    for _ in range(3):
        words = list(data.draw(st.sampled_from(listed))[1])
        words = [_mistyped(w, data.draw(st.integers(0, 12))) for w in words]
        for _ in range(data.draw(st.integers(0, 2))):
            words.insert(data.draw(st.integers(0, len(words))), data.draw(_word))
        if data.draw(st.booleans()):
            words.reverse()
        names.append(" ".join(words))
    names.append(" ".join(data.draw(st.lists(_word, min_size=1, max_size=5))))
    _bound_changes_nothing(Screener.from_entries(entries), names)


def _bound_changes_nothing(s: Any, names: list[str]) -> None:
    """Screen each name with the candidates score.score_bound puts out of reach skipped and
    with every candidate scored (checking the bound against each score): the same answers."""
    from unittest import mock

    from chipbridge.screening import EntityType, screener

    bound_of, score_of = screener.score_bound, screener.score_name
    seen: list[float] = []

    def every_bound(*args: Any) -> float:
        seen.append(bound_of(*args))
        return 2.0  # nothing skipped

    def checked(*args: Any, **kwargs: Any) -> Any:
        scored = score_of(*args, **kwargs)
        assert seen[-1] >= scored.score - 1e-9, (seen[-1], scored, args)
        return scored

    for name in names:
        if not any(c.isalnum() for c in name):
            continue
        for kind, country, threshold in (
            (None, None, None),
            (EntityType.PERSON, "CN", 0.6),
            (EntityType.COMPANY, "IR", 0.75),
            (None, None, 0.3),
        ):
            fast = [
                (h.entry.id, h.score, h.reason)
                for h in s.screen(name, kind, country, threshold=threshold)
            ]
            with (
                mock.patch.object(screener, "score_bound", every_bound),
                mock.patch.object(screener, "score_name", checked),
            ):
                slow = [
                    (h.entry.id, h.score, h.reason)
                    for h in s.screen(name, kind, country, threshold=threshold)
                ]
            assert fast == slow, name


def test_score_bound_takes_in_what_raises_a_score() -> None:
    # The ways score_name raises a score that made-up lists seldom meet: a descriptor left
    # unsaid, the name's own acronym left unsaid (with and without every other word found),
    # a query word split across two listed words, a word cut short in place, an initial,
    # further names, a qualifier.
    from chipbridge.screening import EntityType, Screener
    from chipbridge.screening.model import Entry

    names = {
        "kaveh": "Kaveh Technologies",
        "nudt": "National University of Defense Technology NUDT",
        "zw": "Zhang Wei Trading",
        "iic": "Iran Insurance Company",
        "karimi": "Karimi Rostami",
        "huawei": "Huawei Technologies Co Ltd",
    }
    entries = [
        Entry(k, "t", "Test", EntityType.PERSON if k == "karimi" else EntityType.COMPANY, v)
        for k, v in names.items()
    ]
    filler = ["Pars Trading", "Defense Industries", "Zhang Shipping", "Wei Holding", "Iran Air"]
    entries += [Entry(f"f{i}", "t", "Test", EntityType.COMPANY, n) for i, n in enumerate(filler)]
    queries = [
        "Kaveh",
        "National University Defense Technology",
        "National University of Defense Technology",
        "National University of Defense",
        "Zhangwei Trading",
        "Iran Insu Company",
        "K. Rostami",
        "Farhad Karimi Gholamreza Rostami",
        "Huawei Technologies Shenzhen Branch",
        "Huawei Shenzhen",
    ]
    _bound_changes_nothing(Screener.from_entries(entries), queries)


def test_abbreviation_scan_finds_what_abbreviates_finds() -> None:
    # word_matches walks a word's abbreviation bucket with index._abbreviates inlined (its
    # first test left out: every word of the bucket passes it); the words it finds as
    # abbreviated are those _abbreviates accepts, for abbreviations and for words that are
    # none (letters out of order, a second letter too late, too long).
    from chipbridge.screening import EntityType, Screener
    from chipbridge.screening.index import _abbreviates
    from chipbridge.screening.model import Entry

    words = ["quorvant", "quelbrisk", "zephtrunal", "zaphorine", "moltravenge", "mirthwold"]
    names = [f"{a.title()} {b.title()} Plc" for a in words for b in words if a != b]
    index = Screener.from_entries(
        Entry(str(i), "test", "Test", EntityType.COMPANY, n) for i, n in enumerate(names)
    ).index
    tokens = ["qrvnt", "qlbrsk", "qvrant", "qunt", "zphtrl", "zprn", "zhprn", "mltrvg", "mrthw"]
    tokens += ["mrwth", "qrvtn", "qb", "zn", "mo", "qe", "mtw", "zephtrunals", "zaphorinex", "qobr"]
    checked = 0
    for token in tokens:
        bucket = index.abbreviated.get(token[:2], "").split()
        expected = {w for w in bucket if len(w) > len(token) and _abbreviates(token, w)}
        found = {w for w, _, kind, _ in index.word_matches(token) if kind == "abbreviation"}
        assert found == expected, token
        checked += bool(expected)
    assert checked >= 6


def test_discipline_table_finds_what_asking_every_ending_finds() -> None:
    # lattice.disciplines looks a gloss's roots up in discipline_roots (one look-up per
    # root) instead of asking for every root and ending; both find the same words in the
    # same order: every ending, a word equal to the gloss, roots too short, -ical to -ics.
    from chipbridge.screening import lattice

    words = {"zorbology", "zorbicology", "zorbological", "zorbologies", "quenology"}
    words |= {"quenologies", "tramicology", "ology", "abology", "plinkics", "flumology"}
    words |= {"flumoxology", "fluology", "zorbiology", "vexolog", "vexologys"}
    roots = lattice.discipline_roots(words)
    glosses = ["zorb", "zorbic", "zorbs", "zorbology", "zorbiological", "quen", "quenical"]
    glosses += ["tramic", "tram", "flum", "flumox", "flumoxed", "plinkical", "ab", "abc"]
    glosses += ["zor", "zo", "vexo", "vex", "zorbi-x", "fluid"]
    found = 0
    for gloss in glosses:
        asked = lattice.disciplines(gloss, words.__contains__)
        assert lattice.disciplines(gloss, words.__contains__, roots) == asked, gloss
        found += len(asked)
    assert found >= 12


def test_picking_the_best_candidates_by_sort_or_by_heap_gives_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The index and the lattice pick their best few candidates by sorting them all up to
    # index.SORTED_SELECTION items and through heapq past it: either way the same names in
    # the same order, ties included (many made-up firms share their words and legal form).
    from chipbridge.screening import EntityType, Screener, index
    from chipbridge.screening.model import Entry

    heads = ["Quorvex", "Zanthel", "Morvayne", "Plistra", "Vendrik", "Oskarel", "Tramvel"]
    heads += ["Brindax", "Culvero", "Dremont", "Elstrav", "Fonwick", "Gavrell", "Hostlyn"]
    trades = ["Technology", "Trading", "Aviation Industry", "Electronics"]
    names = [f"{h} {t} {n} Co Ltd" for h in heads for t in trades for n in ("", "Group")]
    names += [f"{t} Company" for t in trades]
    s = Screener.from_entries(
        Entry(str(i), "test", "Test", EntityType.COMPANY, n) for i, n in enumerate(names)
    )
    queries = ["Technology Co Ltd", "Quorvex Trading", "Electronics Group", "Aviation Industry"]
    queries += ["航空工业集团", "电子科技有限公司", "科技集团"]

    def answers() -> list[list[tuple[str, float]]]:
        s.index._name_cache.clear()
        return [
            [(h.entry.id, h.score) for h in s.screen(q, threshold=0.0, limit=60)] for q in queries
        ]

    monkeypatch.setattr(index, "SORTED_SELECTION", 10**9)
    by_sort = answers()
    monkeypatch.setattr(index, "SORTED_SELECTION", 0)
    assert answers() == by_sort
    assert sum(map(len, by_sort)) > 40


def _clean_text_scanning_every_character(text: str) -> tuple[str, list[str]]:
    """normalize.clean_text as it was before it asked str.isprintable first."""
    import unicodedata

    from chipbridge.screening.normalize import _C1_REPAIR

    rules: list[str] = []
    if text.isascii() and text.isprintable():
        return text, rules
    if any(0x80 <= ord(ch) < 0xA0 for ch in text):
        text = text.translate(_C1_REPAIR)
        rules.append("repaired cp1252 control bytes")
    text = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    return text, rules


@given(st.text(max_size=20))
@settings(max_examples=500, deadline=None)
def test_clean_text_skips_no_control_character(text: str) -> None:
    # clean_text scans for C1 bytes and format characters only in a text that is not
    # printable (str.isprintable is False for every Cc and Cf character): the same text
    # and repairs as scanning every character, for any text, control characters included.
    from chipbridge.screening.normalize import clean_text

    for sample in (text, f"Acme\u0096{text}", f"{text}\u200bLtd", f"\u00ad{text}\x07"):
        assert clean_text(sample) == _clean_text_scanning_every_character(sample)


def _family_key_every_rule(word: str) -> str:
    """romanise.family_key as it was before it tested for each rule's substrings first."""
    from chipbridge.screening.romanise import _FAMILY_RULES

    for pattern, replacement in _FAMILY_RULES:
        word = pattern.sub(replacement, word)
    return word


@given(st.text(alphabet="abcdefhijklnopqrstuvwxyz", max_size=14))
@settings(max_examples=3000, deadline=None)
def test_family_key_tries_every_rule_that_can_apply(word: str) -> None:
    # family_key tries a rule only when the word holds one of its substrings
    # (romanise._FAMILY_NEEDLES): the key of every word is the one all rules in turn give,
    # for made-up words and for words built of the rules' own letter groups.
    from chipbridge.screening.romanise import family_key

    for sample in (word, f"{word}ff", f"ju{word}jew", f"{word}shchia", f"ia{word}ijy"):
        assert family_key(sample) == _family_key_every_rule(sample), sample
