"""Chinese names -> a translation lattice that meets names the lists write only in English.

Most Chinese parties on the CSL, the SDN and the CMIC list are published in English only:
translated ("China Aerospace Science and Industry Corporation" for 中国航天科工集团有限公司),
romanised ("Zhonghang Electronic Measuring Instruments"), or both. No single reading of the
Chinese name meets all of these, so a name is read as a lattice: every span the segmenter
finds on its best paths is a segment, and each segment carries its alternatives:

- English glosses from CC-CEDICT (航天 -> space flight), as embedded in the lindera
  segmenter's CC-CEDICT dictionary (package ``lindera-python-cc-cedict``; nothing is
  downloaded at run time), chosen by :func:`select_glosses`;
- the curated domain glossary ``chipbridge/data/zh_glossary.yml`` (航天 -> aerospace,
  astronautics; 集团 -> group, corporation) and its place names;
- pinyin, joined (中芯 -> zhongxin) and split (zhong xin), with surname readings for
  person names (薄 -> Bo).

:func:`align` then matches a Latin name against the lattice: each listed word may align to
one word of one alternative of one segment, one segment may cover several listed words
(科技 -> science and technology), segments may not overlap, and IDF weights decide what a
match is worth. A segment weighs what its cheapest reading weighs, so 中国 (China) and 集团
(group) weigh little and a hit needs the distinctive segments. Every match keeps its path
(航天 -> aerospace (glossary)) for the explanation.

The segmenter and its dictionary load on first use (about a tenth of a second), only when a
query or a listed name contains a Chinese character.
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from chipbridge.screening import cjk, qualifiers, shortforms, slips, soundalike, tablecache
from chipbridge.screening.model import EntityType
from chipbridge.screening.qualifiers import UNIT_WORDS

if TYPE_CHECKING:
    from chipbridge.screening.index import IndexedName, NameIndex


# A short name keeps the first character of this many words (二重 for 第二重型).
SHORT_NAME_WORDS = (2, 3)
MIN_SHORT_NAME = 5  # letters: shorter ones (jide) are as often a person's name
# How many segmentations of a name the segmenter is asked for; their union is the lattice.
NBEST = 24
# Spans of up to this many characters outside the dictionary also get their joined pinyin
# (distinctive names such as 中芯 or 景嘉 are not dictionary words).
MAX_PINYIN_SPAN = 4
# A run of lone characters on the best path this long at least may stand with its initials.
MIN_LONE_INITIALS = 3
# Pieces of up to this many characters are looked up as dictionary words of their own.
MAX_WORD_SPAN = 4
# The fewest characters of a dictionary word whose own words are also read apart (国际货运代理).
MIN_COMPOUND = 4
# Readings a dictionary gives for what a word means (a place's name aside).
_DICTIONARY_WORDS = frozenset({"glossary", "CC-CEDICT"})
# Readings offered for a lone character (most have one or two).
MAX_CHAR_READINGS = 3
# Readings of a lone character in an organisation's name (都: dou, du): a trade name may use
# the other reading of a character that has two. Runs of up to MAX_VARIANT_SPAN characters
# are read with them too, in at most MAX_VARIANTS other ways.
ORGANISATION_CHAR_READINGS = 2
MAX_VARIANT_SPAN = 3
MAX_VARIANTS = 4
# CC-CEDICT senses kept per word, and the longest gloss kept (in words).
MAX_GLOSSES = 4
MAX_GLOSS_WORDS = 4
# Proper nouns (CC-CEDICT writes their pinyin capitalised) are names of places, bodies and
# people, whose English name may be long ("Beijing University of Aeronautics and ...").
MAX_NAME_WORDS = 8
# Similarity given to matches through a CC-CEDICT gloss or a pinyin reading relative to the
# curated glossary: a dictionary sense may not be the one a company name means.
SOURCE_SIMILARITY = {
    "glossary": 1.0,
    "place": 1.0,
    "surname": 1.0,
    "numeral": 1.0,
    "CC-CEDICT": 1.0,
    # A proper noun's gloss (美的 -> Midea, 中国农业银行 -> Agricultural Bank of China) is a
    # name: spelled, so matched exactly, and found only when its every word is.
    "CC-CEDICT name": 1.0,
    # Two readings written as one word ("Silverstar" for 银星, "Greatwall" for 长城).
    "compound": 0.9,
    # The initials of translated words (CPMIEC): the translation may not be the list's.
    "acronym": 0.9,
    "pinyin": 0.95,
    # A lone character's other reading (都 as du): the commoner one is more likely.
    "other reading": 0.9,
    # A registry name is one inference away from what was typed.
    "alias registry": 0.95,
    # A registry name's short form (兵装 for 兵器装备, 海康 for 海康威视): two inferences.
    "short form": 0.9,
    # A character read as the head of a word it may abbreviate (沈 for 沈阳) is a guess, and
    # so are a name's pinyin initials (彩虹 -> CH).
    "abbreviation": 0.85,
    "initials": 0.85,
    "short pinyin": 0.85,
    "short name": 0.85,
    # A listed acronym (CSSC) read into a short name (中船) by the words it spells out.
    "group acronym": 0.85,
    # A lone character's own dictionary sense (测 -> measure): characters have many senses.
    "character": 0.85,
    # A Latin brand that sounds like the trade name (柏科 -> Pico): a skeleton of sounds.
    "brand sound": 0.8,
    # A word read through one character typed for another of the same sound (海样 for 海洋,
    # see :func:`slips.add_typos`): a slip is likely, but the characters say something else.
    "typo": 0.9,
}
# Guesses, each from its own segment and meeting its own listed word, that make a reading
# together (Alignment.distinctive).
AGREEING_GUESSES = 3
# Readings of the alias registry's: its names, and their short forms (shortforms.py).
_REGISTERED = frozenset({"alias registry", "short form"})
# Readings that guess at what was meant rather than read what was written.
GUESSES = frozenset(
    {
        "abbreviation",
        "initials",
        "character",
        "short pinyin",
        "short name",
        "group acronym",
        "brand sound",
    }
)
# Words that carry nothing in an alternative ("a torch" -> torch).
_ARTICLES = frozenset({"a", "an", "the", "to"})
# Senses that are about the word rather than a translation of it.
_NOT_A_GLOSS = re.compile(
    r"^\s*(?:(?:old |archaic |ancient )?variant of|surname |see |also |abbr\b|cl:|pr\.|"
    r"taiwan pr|used in|used as|erhua|classifier|\(?literary\)?|\(?old\)? |to )",
    re.IGNORECASE,
)
# ... or name a letter ("chi (Greek letter Χχ)" for 凯): a spelling, not a meaning.
_LETTER = re.compile(r"\([^)]*\bletter\b[^)]*\)", re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)|\[[^]]*\]")
# A parenthesised list names a body's members, not the body: "South Central China (Henan,
# Hubei, Hunan, ...)" for 中南 is no name for Hunan.
_LISTED_MEMBERS = re.compile(r"\([^)]*[,;][^)]*\)")
# A cross-reference to another headword ("... 內蒙古自治區|内蒙古自治区[Nei4 meng3 gu3 ...]").
_CROSS_REFERENCE = re.compile(r"[\u3400-\u9fff|]+\[[^]]*\]")
# "Inner Mongolia or Inner Mongolia autonomous region": two senses in one.
_OR = re.compile(r"\s+or\s+")
# "abbr. for 中远集团[Zhong1 yuan3 Ji2 tuan2], COSCO (China Ocean Shipping Company)": the
# English after the Chinese full name is the body's.
_ABBREVIATION = re.compile(r"^\s*abbr\. (?:for|of) [^,/]*?(?:\[[^\]]*\])?,\s*(?P<english>\S.*)$")
_NAME_PARTS = re.compile(r"[(),;]")
_NAME_FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "&"})
_GLOSS = re.compile(r"[a-z][a-z' -]*")
# CC-CEDICT names a county, city or district by its romanised name and its kind ("Xinghe
# county in Ulaanchab", "Jiangyin county level city in Wuxi", "Haidian inner district of
# northeast Beijing"): the dictionary's places, which the curated glossary cannot list all of.
_ADMINISTRATIVE = re.compile(
    r"^\s*(?P<name>[A-Z][a-z]+),? (?:inner |outer )?(?:county|district|(?:prefecture|county|sub"
    r"provincial)[ -]level city|subprovincial city|prefecture level city|city|town|township)\b"
)
_TONE = re.compile(r"[1-5]")


@dataclass(frozen=True, slots=True)
class Alternative:
    """One reading of a segment: Latin words and where they come from."""

    words: tuple[str, ...]
    source: str  # glossary | place | CC-CEDICT | pinyin | surname | legal | typo
    # What the characters are taken for when they are read as other ones (a typo's word
    # 海洋 for 海样, a legal form 有限公司 for 有限公), and the source of that word's reading.
    meant: str = ""
    origin: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of the name (character offsets) with its alternative readings."""

    start: int
    end: int
    han: str
    alternatives: tuple[Alternative, ...]

    @property
    def legal(self) -> bool:
        # A plain loop (read a quarter of a million times over a few thousand Chinese names):
        # any() over a generator costs three times as much.
        for a in self.alternatives:  # noqa: SIM110
            if a.source == "legal":
                return True
        return False


@dataclass(frozen=True, slots=True)
class Lattice:
    """Every segment of a Chinese name, and the segmenter's best path through it."""

    han: str
    segments: tuple[Segment, ...]
    path: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One aligned piece of the path: a segment, the alternative used and the words matched."""

    segment: Segment
    alternative: Alternative
    pairs: tuple[tuple[int, int, float], ...]  # (word in the alternative, latin position, sim)

    def describe(self, latin: Sequence[str]) -> str:
        if not self.pairs:  # met the listed name's legal form
            return f"{self.segment.han} -> {self.alternative.text} (legal form)"
        matched = " ".join(latin[j] for _, j, _ in self.pairs)
        if self.alternative.source == "short form":
            return f"{self.segment.han} -> {matched} (short form of {self.alternative.meant})"
        if self.alternative.meant:
            meant = f"{self.alternative.meant}, {self.alternative.origin}"
            return f"{self.segment.han} -> {matched} (typo for {meant})"
        return f"{self.segment.han} -> {matched} ({self.alternative.source})"


@dataclass(frozen=True, slots=True)
class Alignment:
    """How well a Latin name and a lattice cover each other."""

    latin_coverage: float  # weighted share of the Latin words matched
    han_coverage: float  # weighted share of the Chinese name matched
    steps: tuple[Step, ...]
    # The listed place a name that says none left unsaid, weighed as a legal form (unplaced).
    unsaid_place: tuple[str, ...] = ()

    def said(self) -> list[Step]:
        """The steps that met a listed word through what the name says of its own: not its
        country, its descriptors (中国, 集团) nor its legal form."""
        return [
            step
            for step in self.steps
            if step.pairs and step.segment.han not in generic_words() and not step.segment.legal
        ]

    @property
    def distinctive(self) -> bool:
        """Whether anything but generic words (China, group, legal forms) was matched, by a
        reading that is more than a guess: a character taken for the head of a word or a
        brand's initials (英特尔 -> YTE) may support a match, never make one alone.

        Guesses that agree are a reading, though: an abbreviated name (中航沈飞, short for
        中航 | 沈阳 | 飞机) is all guesses, and when AGREEING_GUESSES of its characters or
        short names, each guessed apart, meet as many different words of one listed name
        found whole, each word by a guess ("AVIC Shenyang Aircraft"), chance is no likely
        cause."""
        # A body's number and the word for what it numbers (四 | 院, the 4th Academy) say
        # which unit of a body, not which body: unless the listed name says no more.
        said = self.said()
        found = [
            step
            for step in said
            if step.alternative.source != "numeral" and step.segment.han not in _NUMBERED_BODIES
        ]
        if len(found) < len(said) and math.isclose(self.latin_coverage, 1.0):
            return True
        if any(step.alternative.source not in GUESSES for step in found):
            return True
        met = {j for step in found for _, j, _ in step.pairs}
        return (
            len({step.segment.start for step in found}) >= AGREEING_GUESSES
            and len(met) >= AGREEING_GUESSES
            and self.latin_coverage >= WHOLE * SOURCE_SIMILARITY["abbreviation"]
        )


@cache
def char_readings() -> dict[str, tuple[str, ...]]:
    """Every pinyin reading of each character, commonest first (竺: zhu, du).

    The segmenter's dictionary gives a lone character one reading, often a rare one, while
    a given name needs its usual reading. pypinyin's character table has them all; the table
    is made once and kept in the user cache (:mod:`chipbridge.screening.tablecache`), since
    importing pypinyin takes half a second.
    """
    return tablecache.cached("han-readings", "pypinyin", read_char_readings)


def read_char_readings() -> dict[str, tuple[str, ...]]:
    """:func:`char_readings` made from pypinyin's character table (slow: use that one)."""
    from pypinyin import pinyin_dict
    from pypinyin.contrib.tone_convert import to_normal

    # One object for each distinct reading and each distinct tuple of them: pickle then
    # stores the 42,000 characters' rows as references to 5,200 shared tuples, and the table
    # loads in 0.02 s, not 0.03 s, in a fresh process.
    spellings: dict[str, str] = {}
    rows: dict[tuple[str, ...], tuple[str, ...]] = {}
    table: dict[str, tuple[str, ...]] = {}
    for code, found in pinyin_dict.pinyin_dict.items():
        row = tuple(dict.fromkeys(to_normal(r).replace("ü", "v") for r in found.split(",")))
        row = tuple(spellings.setdefault(r, r) for r in row)
        table[chr(code)] = rows.setdefault(row, row)
    return table


def _char_reading(char: str) -> str:
    found = char_readings().get(char)
    return found[0] if found else ""


@cache
def tokenizer() -> Any:
    import lindera

    return lindera.Tokenizer(lindera.load_dictionary("embedded://cc-cedict"), mode="normal")


@dataclass(frozen=True, slots=True)
class DictionaryEntry:
    """A word's CC-CEDICT entry, as the segmenter gives it."""

    reading: str  # pinyin with tones ("Zhong1 guo2"); a capital opens a proper name's
    definition: str  # the senses, comma-joined

    @property
    def proper(self) -> bool:
        return self.reading[:1].isupper()


# Where lindera's CC-CEDICT details hold the pinyin and the first sense.
_READING, _SENSES = 4, 7


def dictionary_entry(details: Sequence[str]) -> DictionaryEntry | None:
    """The CC-CEDICT entry in a token's details, or None where the dictionary has none (a
    character the segmenter left unknown: "*")."""
    if len(details) <= _SENSES or details[_READING] == "*":
        return None
    return DictionaryEntry(details[_READING], ",".join(details[_SENSES:]))


def cedict_syllables(reading: str) -> list[str]:
    """CC-CEDICT pinyin ("Zhong1 guo2", "lu:4") -> toneless lower-case syllables."""
    return [
        _TONE.sub("", s).lower().replace("u:", "v").replace("ü", "v")
        for s in reading.split()
        if s != "*"
    ]


def select_glosses(
    definition: str, max_words: int = MAX_GLOSS_WORDS, verbs: bool = False, proper: bool = False
) -> list[str]:
    """English glosses worth matching from a CC-CEDICT definition ("/sense/sense/").

    CC-CEDICT glosses are written for learners: classifiers, "variant of", "surname X",
    cross-references and verb senses ("to hit") say nothing about what a company name means.
    Kept: short noun-like senses, with parenthesised notes and anything after a comma or
    semicolon dropped ("Harbin, subprovincial city..." -> "harbin"). With ``verbs``, a verb
    sense is kept as its bare verb ("to measure" -> "measure"): a character standing for a
    word in an abbreviated name (电测, electronic measuring) is often the verb. With
    ``proper`` (a place's or body's name), a description after the name is dropped ("Hunan
    province in south central China" -> "hunan province"): its words are not the name's, and
    "X or Y" gives both. A parenthesised list names members, not the body, and a
    cross-reference to another headword is no gloss.
    """
    out: list[str] = []
    definition = _CROSS_REFERENCE.sub(" ", _LISTED_MEMBERS.sub(" ", definition))
    # A name's "X or Y" is two names; a common word's is one sense ("more or less").
    senses = _OR.split(definition) if proper else [definition]
    for sense in (s for part in senses for s in part.split("/")):
        if verbs and sense.startswith("to "):
            sense = sense[3:]
        abbreviated = _ABBREVIATION.match(sense)
        if abbreviated and max_words > 1:
            sense = abbreviated["english"]
        if max_words > 1 and (abbreviated or _names_a_body(sense)):
            # A body's English name, its acronym or short form beside it: "COSCO (China Ocean
            # Shipping Company)", "China Petroleum and Chemical Corporation, Sinopec". A
            # part that is only a place is where the body stands ("Fudan University,
            # Shanghai", "Nankai University (Tianjin)"), not another name for it.
            for part in _NAME_PARTS.split(sense):
                if _NOT_A_GLOSS.match(part.strip()):
                    continue  # "CNPC, China National Petroleum Corporation (abbr.)"
                # "Shanghai Automotive Industry Corp. (SAIC)": a name's full stops abbreviate.
                gloss = _gloss(part.replace(".", ""), max(max_words, MAX_NAME_WORDS))
                if gloss in _place_words():
                    continue
                if gloss and gloss not in out:
                    out.append(gloss)
            continue
        if not sense.strip() or _NOT_A_GLOSS.match(sense) or _LETTER.search(sense):
            continue
        text = _PAREN.sub(" ", sense).split(",")[0].split(";")[0]
        if proper:
            text = text.split(" in ")[0]
        gloss = _gloss(text, max_words)
        if gloss and gloss not in out:
            out.append(gloss)
        if len(out) >= MAX_GLOSSES:
            break
    return out[:MAX_GLOSSES]


def _gloss(text: str, max_words: int) -> str:
    """A sense's text as a gloss: ASCII, lower case, articles out; empty when it is no
    noun-like phrase of at most ``max_words`` words."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = " ".join(text.lower().replace("’", "'").split())
    if not text or not _GLOSS.fullmatch(text):
        return ""
    words = [w for w in re.split(r"[ -]", text.replace("'", "")) if w]
    if not words or len(words) > max_words or words[0] in _ARTICLES - {"a", "the"}:
        return ""
    if "etc" in words:  # "Taiwan etc": the rest of a list, no name
        return ""
    return " ".join(w for w in words if w not in _ARTICLES)


def _names_a_body(sense: str) -> bool:
    """Whether a sense is a body's English name, as CC-CEDICT gives those of firms and
    institutions whatever the case of its pinyin: capitalised words, two at least, or an
    acronym ("China Southern Airlines", "China National Offshore Oil Corporation", "CNOOC")."""
    words = re.findall(r"[A-Za-z][A-Za-z'&.-]*", _PAREN.sub(" ", sense))
    if not words or any(w[0].islower() and w not in _NAME_FUNCTION_WORDS for w in words):
        return False
    named = [w for w in words if w[0].isupper()]
    return len(named) >= 2 or any(len(w) >= 3 and w.isupper() for w in named)


@cache
def glossary_alternatives() -> dict[str, tuple[Alternative, ...]]:
    """Chinese term -> alternatives from the curated glossary (values may list several, |)."""
    out: dict[str, tuple[Alternative, ...]] = {}
    for section, source in (("places", "place"), ("terms", "glossary"), ("legal_forms", "legal")):
        for zh, alternatives in _section(section, source).items():
            out[zh] = out.get(zh, ()) + alternatives
    return out


@cache
def _after_numbers() -> dict[str, tuple[Alternative, ...]]:
    """Characters the glossary reads so only after a number (八院, the 8th Academy)."""
    return _section("after_numbers", "glossary")


def _section(section: str, source: str) -> dict[str, tuple[Alternative, ...]]:
    """One section of the glossary as alternatives (values may list several, |)."""
    return {
        zh: tuple(Alternative(tuple(_words(text)), source) for text in str(english).split("|"))
        for zh, english in cjk.glossary()[section].items()
    }


def _registered_otherwise(piece: str, run: str, end: int) -> tuple[Alternative, ...]:
    """The English names the registry pairs with ``piece`` under another limited-liability
    form than the one that follows it in ``run`` (at ``end``): the firm is the same whichever
    such form a contract writes (北京百慕航材高科技股份有限公司 or 有限公司, as a branch's
    parent is rebuilt, see :mod:`branches`)."""
    if not run.startswith(_limited_forms(), end):
        return ()
    registry = registry_alternatives()
    return tuple(a for form in _limited_forms() for a in registry.get(piece + form, ()))


@cache
def _limited_forms() -> tuple[str, ...]:
    """The limited-liability legal forms (有限公司, 股份有限公司), longest first."""
    return tuple(sorted((f for f in cjk.glossary()["legal_forms"] if "有限" in f), key=len)[::-1])


@cache
def _descriptors() -> frozenset[str]:
    """Glossary terms that name the kind of body (集团 group, 工业 industry)."""
    return frozenset(cjk.glossary()["descriptors"])


@cache
def generic_words() -> frozenset[str]:
    """Descriptors and the country (中国): what alone never makes a match."""
    return _descriptors() | frozenset(cjk.glossary()["countries"])


@cache
def _place_words() -> frozenset[str]:
    """The glossary's places named in one English word (beijing, shenzhen, andorra): the
    words of longer names (north, united, new) are other names' words too."""
    return frozenset(
        name
        for names in cjk.glossary()["places"].values()
        for name in str(names).split("|")
        if len(_words(name)) == 1
    )


def _own_word(word: str) -> bool:
    """Whether an English word is a name's own: no place, no glossary term, not unsaid."""
    return word not in _place_words() and word not in _term_words() and word not in _implicit()


@cache
def _implicit() -> frozenset[str]:
    """English words a Chinese name usually leaves unsaid (China, group, of)."""
    return frozenset(cjk.glossary()["implicit"])


@cache
def _said_by_descriptors() -> frozenset[str]:
    """Listed words for a kind of body that a Chinese name says with a descriptor (industry:
    工业, holding: 控股): of the ``implicit`` words, these are unsaid only when the Chinese
    name has the descriptor."""
    return frozenset(cjk.glossary()["said_by_descriptors"])


@cache
def registry_alternatives() -> dict[str, tuple[Alternative, ...]]:
    """Chinese name -> the English names the alias registry pairs with it."""
    from chipbridge.screening.normalize import analyse

    out: dict[str, tuple[Alternative, ...]] = {}
    for zh, english, _source in cjk.registry():
        alternatives = tuple(
            Alternative(analyse(name, False).tokens, "alias registry") for name in english
        )
        out[zh] = out.get(zh, ()) + alternatives
    return out


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ORDINALS = (
    *("first", "second", "third", "fourth", "fifth"),
    *("sixth", "seventh", "eighth", "ninth", "tenth"),
)
_NUMERAL = re.compile(r"第?[零〇一二两三四五六七八九十百千]+")
_NUMERAL_CHARS = frozenset("第零〇一二两三四五六七八九十百千")


def _whole_numeral(run: str, i: int, j: int) -> bool:
    """Whether run[i:j] is not part of a longer numeral (第十 in 第十一 is not 10th)."""
    return (i == 0 or run[i - 1] not in _NUMERAL_CHARS) and (
        j == len(run) or run[j] not in _NUMERAL_CHARS
    )


# Characters for a numbered body (一院, the 1st Academy; 三所; 五厂): a digit before one is
# that body's number.
_NUMBERED = frozenset("院所厂部")
# Words for what a number numbers: with the number (第四研究院, 四院) they say which unit of
# a body, not which body.
_NUMBERED_BODIES = _NUMBERED | {"研究院", "研究所", "总厂", "分院"}


def _numeral(piece: str, numbered: bool = False) -> tuple[Alternative, ...]:
    """Readings of a Chinese numeral: 第五十四 -> 54th, 54, no 54; 第二 -> second; 七〇二 -> 702.

    Listed names write institutes' and factories' numbers in digits ("54th Research
    Institute", "No. 11 Research Institute", "702 Research Institute"). ``numbered``: the
    numeral stands before a numbered body's character (八院, the 8th Academy).
    """
    if not _NUMERAL.fullmatch(piece):
        return ()
    ordinal = piece.startswith("第")
    digits = piece.lstrip("第")
    if not digits:
        return ()
    if any(c in _UNITS for c in digits):
        value, current = 0, 0
        for c in digits:
            if c in _UNITS:
                value += (current or 1) * _UNITS[c]
                current = 0
            else:
                current = _DIGITS[c]
        value += current
    else:
        value = int("".join(str(_DIGITS[c]) for c in digits))
    number = str(value)
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(
        value % 10 if value % 100 not in (11, 12, 13) else 0, "th"
    )
    out = [Alternative((number,), "numeral")]
    # A body's number written without 第 (29所, 七〇二所, 八院) is still its number: lists
    # write "29th Research Institute", "No. 29", "8th Academy" or "702 Research Institute"
    # either way. Not one digit elsewhere, which is as often a word's character (统一, 三星).
    if ordinal or numbered or len(digits) > 1:
        out += [Alternative((number + suffix,), "numeral"), Alternative(("no", number), "numeral")]
    if (ordinal or numbered) and value <= len(_ORDINALS):
        out.append(Alternative((_ORDINALS[value - 1],), "numeral"))
    return tuple(out)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[ -]", text.lower().replace("'", "")) if w]


# Digits beside Chinese characters (第29研究所, 电科29所), ASCII or full-width: written as
# Chinese digits they are read as a numeral (:func:`_numeral`).
_DIGIT_RUN = re.compile(f"(?<=[{cjk.HAN_CHARS}])[0-9０-９]+|[0-9０-９]+(?=[{cjk.HAN_CHARS}])")
# Zero as 零: 〇 (U+3007) is a CJK symbol, not an ideograph, and would cut 七〇二 in two.
_AS_CHINESE = str.maketrans("0123456789０１２３４５６７８９", "零一二三四五六七八九" * 2)


def characters(text: str) -> tuple[str, ...]:
    """The runs of Chinese characters (simplified) that :func:`build` reads ``text`` by: two
    texts with the same runs have the same lattice (a name and its Chinese part). Digits
    written beside them are part of the run, as Chinese digits."""
    text = _DIGIT_RUN.sub(lambda m: m.group(0).translate(_AS_CHINESE), text.replace("〇", "零"))
    return tuple(cjk.han_runs(cjk.to_simplified(text)))


@lru_cache(maxsize=8192)
def build(text: str, person: bool | None = None) -> Lattice:
    """The lattice of the Chinese characters in ``text`` (other characters are ignored).

    ``person`` is True when the name is known to be a person's, False for an organisation,
    None when unknown; a name that reads as surname + given name (and not as a company)
    gets surname readings.
    """
    runs = characters(text)
    segments: dict[tuple[int, int], Segment] = {}
    path: list[Segment] = []
    readings: dict[int, str] = {}  # character offset -> its pinyin on the best path
    han = ""
    glossary = glossary_alternatives()
    numbered = _after_numbers()
    registry = registry_alternatives()
    # A registry name's short forms are the registry's too: none without it.
    short = shortforms.short_forms() if registry else {}
    for run in runs:
        base = len(han)
        han += run
        found = tokenizer().tokenize_nbest(run, NBEST, unique=True)
        best = _opening_place_kept(found, run) if base == 0 else 0
        for rank, (tokens, _cost) in enumerate(found):
            offset = base
            for token in tokens:
                span = (offset, offset + len(token.surface))
                offset = span[1]
                segment = segments.get(span)
                if segment is None:
                    segment = _segment(span, token.surface, token.details)
                    segments[span] = segment
                if rank == best:
                    path.append(segment)
                    for k, syllable in enumerate(_token_readings(token)):
                        if syllable:
                            readings[span[0] + k] = syllable
        # Glossary terms the segmenter splits differently (科工, 工业大学), registry names and
        # brands (中航 = AVIC), and numerals (第五十四 = 54th) are spans too; so are a registry
        # name's short forms (shortforms.py), where the best path's words begin and end.
        bounds = {s.start - base for s in path if s.start >= base}
        bounds |= {s.end - base for s in path if s.start >= base}
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                piece = run[i:j]
                extra = (
                    *glossary.get(piece, ()),
                    *registry.get(piece, ()),
                    *(short.get(piece, ()) if i in bounds and j in bounds else ()),
                    *_registered_otherwise(piece, run, j),
                    *(numbered.get(piece, ()) if i and run[i - 1] in _NUMERAL_CHARS else ()),
                    *(
                        _numeral(piece, j < len(run) and run[j] in _NUMBERED)
                        if _whole_numeral(run, i, j)
                        else ()
                    ),
                )
                if not extra:
                    continue
                span = (base + i, base + j)
                current = segments.get(span)
                if current is None:
                    segments[span] = Segment(*span, piece, _unique(extra))
                else:
                    merged = _unique([*extra, *current.alternatives])
                    segments[span] = Segment(*span, piece, merged)
    path = _numerals_whole(path, segments)
    # A legal form damaged where the name ends (有限公, 有限公司司, 有线公司) is that form.
    damaged = slips.damaged_legal_form(han) if runs and han.endswith(runs[-1]) else None
    if damaged is not None:
        start, form = damaged
        meant = tuple(
            replace(a, meant=form, origin="legal form")
            for a in glossary.get(form, ())
            if a.source == "legal"
        )
        offer_segment(segments, (start, len(han)), han[start:], meant)
        whole = segments[(start, len(han))]
        if any(s.start == start for s in path):
            path = [s for s in path if s.end <= start] + [whole]
    # Characters of a legal form are never part of the name's reading (有限 is not Xi'an).
    legal_chars = {c for (start, end), s in segments.items() if s.legal for c in range(start, end)}
    personal = _reads_as_person(han, path, person)
    # Dictionary words the segmenter's best paths cut across (商用 in 商用航空发动机) are
    # spans too: each short piece the dictionary knows as one word gets its glosses.
    for i in range(len(han)):
        for size in range(2, MAX_WORD_SPAN + 1):
            span = (i, i + size)
            if span[1] > len(han) or not legal_chars.isdisjoint(range(*span)):
                break
            if span in segments or not all(map(readings.__contains__, range(*span))):
                continue
            word = dictionary_word(han[i : i + size])
            if word is not None:
                segments[span] = Segment(*span, *word)
    if not personal:
        slips.add_typos(han, path, segments, readings, legal_chars)
    # A place may also stand with its pinyin initials, as lists write city codes after a
    # body's name ("National Supercomputing Center Tianjin (NSCC-TJ)"), or by them alone
    # ("SZ DJI Technology" for 深圳大疆). Only the glossary's places: a dictionary place
    # (连江县) is read with its administrative kind, which no code spells.
    coded_places = cjk.glossary()["places"]
    for span, segment in list(segments.items()):
        if (
            span[1] - span[0] < 2
            or segment.han not in coded_places
            or not all(k in readings for k in range(*span))
        ):
            continue
        places = [a for a in segment.alternatives if a.source == "place" and len(a.words) == 1]
        code = "".join(readings[k][0] for k in range(*span))
        coded = [Alternative((*a.words, code), "place") for a in places]
        coded += [Alternative((code,), "place")] if places else []
        if coded:
            segments[span] = Segment(*span, segment.han, _unique([*segment.alternatives, *coded]))
    # A brand on the best path may stand with its pinyin initials ("Aerospace CH UAV" for
    # 航天彩虹无人机: 彩虹 Caihong), and so may a run of lone characters on it, a trade name
    # the dictionary does not know ("Beijing FJR Optoelectronic" for 北京富吉瑞光电): of three
    # at least, as two letters (华亚, HY) spell too many names.
    if not personal:
        singles = [s if s.end - s.start == 1 and not s.legal else None for s in path]
        unknown = [
            (first.start, last.end)
            for i, j in _runs(singles, MIN_LONE_INITIALS, MAX_PINYIN_SPAN)
            if (first := singles[i]) is not None
            and (last := singles[j - 1]) is not None
            and (j == len(singles) or singles[j] is None)
            and (i == 0 or singles[i - 1] is None)
        ]
        for span in (*((s.start, s.end) for s in path), *unknown):
            current = segments.get(span) or Segment(*span, han[slice(*span)], ())
            if (
                2 <= span[1] - span[0] <= MAX_PINYIN_SPAN
                and all(k in readings for k in range(*span))
                and not current.legal
                and current.han not in generic_words()
            ):
                code = "".join(readings[k][0] for k in range(*span))
                initials = Alternative((code,), "initials")
                segments[span] = Segment(
                    *span, current.han, _unique([*current.alternatives, initials])
                )
    if not personal:
        _add_short_pinyin(_words_of_names(path, segments), segments, readings, legal_chars)
    # A single character reads as it does in context (大学: da) or, alone, in its commonest
    # reading; a person's given name also in its other usual readings (竺: zhu, du).
    readings_kept = MAX_CHAR_READINGS if personal else ORGANISATION_CHAR_READINGS
    for (start, end), segment in list(segments.items()):
        if end - start == 1:
            kept = tuple(a for a in segment.alternatives if a.source != "pinyin")
            spoken = [readings[start]] if start in readings else []
            # Other readings of an organisation's character are weaker: past the one in
            # context and the commonest one, each is only a guess at a trade name (都: du).
            usual = len(spoken) + (MAX_CHAR_READINGS if personal else 1)
            spoken += list(char_readings().get(segment.han, ())[:readings_kept])
            pinyin = tuple(
                Alternative((r,), "pinyin" if n < usual else "other reading")
                for n, r in enumerate(r for r in dict.fromkeys(spoken) if r)
            )
            segments[(start, end)] = Segment(start, end, segment.han, (*kept, *pinyin))
    # Abbreviated names keep the first character of each word (沈飞 for 沈阳飞机, 电测 for
    # 电子测量): a character standing alone on the best path of an organisation's name may
    # be the head of any glossary term or place it begins.
    # Such a character may also stand for a word in its own sense (商用 -> commercial, 测 ->
    # measuring): its dictionary senses, verbs included, are guesses too.
    if not personal:
        for segment in path:
            if segment.end - segment.start == 1 and segment.start not in legal_chars:
                heads = (*_abbreviations().get(segment.han, ()), *_character_senses(segment.han))
                if heads:
                    merged = _unique([*segments[(segment.start, segment.end)].alternatives, *heads])
                    segments[(segment.start, segment.end)] = Segment(
                        segment.start, segment.end, segment.han, merged
                    )
    if not personal:
        _add_compounds(path, segments, legal_chars)
        _add_named_stems(han, path, segments, legal_chars)
    # A legal form as romanised lists write it ("Youxian Gongsi" for 有限公司), word by word:
    # its words are two characters long (有限 公司, 股份 有限 公司, 总 公司).
    for (start, end), segment in list(segments.items()):
        if (
            segment.legal
            and all(k in readings for k in range(start, end))
            and not any(a.meant for a in segment.alternatives)
        ):
            cuts = list(range(end, start, -2))[::-1]
            romanised = Alternative(
                tuple(
                    "".join(readings[k] for k in range(max(start, cut - 2), cut)) for cut in cuts
                ),
                "legal pinyin",
            )
            segments[(start, end)] = Segment(
                start, end, segment.han, _unique([*segment.alternatives, romanised])
            )
    # Runs of characters read together: distinctive names are rarely dictionary words.
    # A lone character may be read otherwise too (洪都: hongdou, Hongdu).
    lone = frozenset(s.start for s in path if s.end - s.start == 1)
    spoken_as = _spoken_as(han, readings, lone)
    for i in range(len(han)):
        for size in range(2, MAX_PINYIN_SPAN + 1):
            span = (i, i + size)
            if span[1] > len(han) or not legal_chars.isdisjoint(range(*span)):
                break
            if not all(map(readings.__contains__, range(*span))):
                break
            syllables = tuple(readings[k] for k in range(*span))
            joined = Alternative(("".join(syllables),), "pinyin")
            current = segments.get(span)
            if current is None:
                segments[span] = Segment(*span, han[slice(*span)], (joined,))
            elif not any(a.source == "pinyin" for a in current.alternatives):
                merged = (*current.alternatives, joined)
                segments[span] = Segment(*span, current.han, merged)
            if not personal and size <= MAX_VARIANT_SPAN:
                found = segments[span]
                merged = (*found.alternatives, *_other_readings(spoken_as[i : i + size]))
                segments[span] = Segment(*span, found.han, _unique(merged))
    if personal:
        _add_person(han, readings, segments)
    else:
        _add_acronyms(path, segments)
        _keep_words_whole(path, segments)
    for span, segment in segments.items():
        if spelt := _u_spellings(segment.alternatives):
            segments[span] = replace(segment, alternatives=_unique((*segment.alternatives, *spelt)))
    ordered = tuple(sorted(segments.values(), key=lambda s: (s.start, s.end)))
    return Lattice(han, ordered, tuple(path))


# Readings spelt in pinyin, where ü is written v.
_SPELT_IN_PINYIN = frozenset({"pinyin", "surname", "other reading", "short pinyin"})


def _u_spellings(alternatives: Sequence[Alternative]) -> tuple[Alternative, ...]:
    """The pinyin readings with ü (written v: 吕 lv, 绿地 lvdi) spelt u as well, as English
    names and lists write it more often than v ("LU, Minghao", "Ludi Trading")."""
    return tuple(
        replace(a, words=tuple(w.replace("v", "u") for w in a.words))
        for a in alternatives
        if a.source in _SPELT_IN_PINYIN and any("v" in w for w in a.words)
    )


# Characters of the longest place a name may open with (内蒙古自治区).
MAX_PLACE = 6


def _opening_place_kept(found: Sequence[tuple[Sequence[Any], float]], run: str) -> int:
    """The rank of the segmenter's path to read: its best, unless that cuts the place an
    organisation's name opens with (无锡安德科技 as 无 | 锡安 | 德, "Zion"), as a registered
    Chinese name does by law; then the best that keeps it whole (无锡 | 安 | 德).

    Nor may the word holding the place run on into part of a term after it: 中国化工集团 is
    中国化 ("sinicise") | 工 | 集团 on the best path, which hides the country inside a word
    and reads the industry (化工, chemical) through one character; 中国 | 化工 | 集团 is read.
    A word that holds the place and the terms after it whole (北京航空航天大学) stays.
    The place is the glossary's or the dictionary's (济南通宝来 is 济南 | 通宝 | 来, not
    济 | 南通, "Nantong", | 宝来)."""
    glossary = glossary_alternatives()
    opening = max(
        (k for k in range(2, min(len(run), MAX_PLACE) + 1) if _names_place(run[:k])),
        default=0,
    )
    if not opening:
        return 0
    terms = [
        (i, j)
        for i in range(opening, len(run))
        for j in range(i + 2, min(len(run), i + MAX_PLACE) + 1)
        if any(a.source in ("glossary", "legal", "place") for a in glossary.get(run[i:j], ()))
    ]
    # An organisation's name: a term on the best path, or one after the place that the best
    # path cuts (中国化 | 工 hides 化工).
    if not terms and not any(
        a.source in ("glossary", "legal")
        for token in found[0][0]
        for a in glossary.get(token.surface, ())
    ):
        return 0
    for rank, (tokens, _cost) in enumerate(found):
        ends = list(itertools.accumulate(len(token.surface) for token in tokens))
        if any(0 < end < opening for end in ends):
            continue
        holding = next(end for end in ends if end >= opening)
        if not any(_cuts((0, holding), term) for term in terms):
            return rank
    return 0


def _names_place(piece: str) -> bool:
    """Whether the glossary or the dictionary reads ``piece`` as a place."""
    found = glossary_alternatives().get(piece) or (dictionary_word(piece) or ("", ()))[1]
    return any(a.source == "place" for a in found)


def _keep_words_whole(path: Sequence[Segment], segments: dict[tuple[int, int], Segment]) -> None:
    """Drop the spans that cut into a place or a glossary term of an organisation's best
    path. A place is one proper name and a term one word of the firm's trade: their
    characters read alone or joined to a neighbour's (上海 | 鑫光 as 上 | 海鑫光, "hai xin
    guang"; 中国 | 航发 as 中 | 国航, Air China; 方力 | 物流 as "Fang Liwu") name nothing the
    firm is called. Spans that hold the whole word (北京航空 for the short name 北航) stay."""
    words = [
        (s.start, s.end)
        for s in path
        if s.end - s.start > 1 and any(a.source in ("place", "glossary") for a in s.alternatives)
    ]
    for span in list(segments):
        if any(_cuts(span, word) for word in words):
            del segments[span]


def _cuts(span: tuple[int, int], word: tuple[int, int]) -> bool:
    """Whether a span of characters overlaps a word without holding it whole."""
    overlaps = span[0] < word[1] and word[0] < span[1]
    return overlaps and not (span[0] <= word[0] and word[1] <= span[1])


def _numerals_whole(path: list[Segment], segments: dict[tuple[int, int], Segment]) -> list[Segment]:
    """The best path with each numeral it cuts up (第三十 | 三 for 第三十三) as one segment.

    A number is one word, as a listed name writes it ("33rd"), and weighs what that word
    weighs: cut up, its pieces weigh a dictionary word (thirtieth) and a syllable (san)
    besides, and a number would outweigh the name of the body it numbers.
    """
    starts = {s.start: k for k, s in enumerate(path)}
    ends = {s.end: k for k, s in enumerate(path)}
    out = list(path)
    for (start, end), segment in sorted(segments.items(), reverse=True):
        if not any(a.source == "numeral" for a in segment.alternatives):
            continue
        first, last = starts.get(start), ends.get(end)
        if first is None or last is None or first == last:
            continue
        out[first : last + 1] = [segment]
        starts = {s.start: k for k, s in enumerate(out)}
        ends = {s.end: k for k, s in enumerate(out)}
    return out


def _spoken_as(han: str, readings: dict[int, str], lone: frozenset[int]) -> list[tuple[str, ...]]:
    """How each character of a name may be read in a run: its reading in context and, for a
    lone character, up to two other readings; worked out once per name, for every run."""
    table = char_readings()
    out: list[tuple[str, ...]] = []
    for k, char in enumerate(han):
        if k not in readings:
            out.append(())  # read in no run
        elif k in lone:
            out.append(tuple(dict.fromkeys((readings[k], *table.get(char, ())[:2]))))
        else:
            out.append((readings[k],))
    return out


def _other_readings(options: Sequence[tuple[str, ...]]) -> list[Alternative]:
    """A run's joined pinyin with another reading of its lone characters that have two
    (洪都 -> hongdu beside hongdou), from :func:`_spoken_as` of the run's characters: the
    segmenter's dictionary reads a character alone in its commonest reading, while a trade
    name or an old place name may use the other. Characters of a dictionary word keep the
    word's reading (重庆 is chongqing)."""
    if all(len(o) == 1 for o in options):
        return []  # the one reading is the run's joined pinyin
    variants = itertools.islice(itertools.product(*options), 1, MAX_VARIANTS + 1)
    return [Alternative(("".join(v),), "other reading") for v in variants]


# Words an acronym skips ("China Precision Machinery Import and Export Corporation": CPMIEC).
_UNINITIALLED = frozenset({"and", "of", "the", "for", "in", "&"})
# An acronym spans this many best-path words at least and at most, and has this many letters
# at least; each word offers at most this many initials, and a run this many acronyms.
ACRONYM_WORDS = (3, 7)
MIN_ACRONYM = 4
MAX_ACRONYMS = 16


def _add_acronyms(path: Sequence[Segment], segments: dict[tuple[int, int], Segment]) -> None:
    """The initials of a run of translated words, as lists write state bodies and their
    trading arms (中国精密机械进出口 -> China Precision Machinery Import Export -> CPMIE,
    and CPMIEC with the Corporation the acronym usually ends with)."""
    options: list[set[str] | None] = []
    for segment in path:
        found = {
            "".join(w[0] for w in a.words if w not in _UNINITIALLED)
            for a in segments[(segment.start, segment.end)].alternatives
            # Curated readings only, and no place code (北京 -> Beijing BJ) among them.
            if a.source in ("glossary", "place")
            and a.words
            and all(set(w) & set("aeiouy") for w in a.words)
        }
        found.discard("")
        options.append(found if not segment.legal and found else None)
    for i, j in _runs(options, *ACRONYM_WORDS):
        acronyms = {""}
        for initials in options[i:j]:
            acronyms = {a + f for a in acronyms for f in sorted(initials or ())}
            if len(acronyms) > MAX_ACRONYMS:
                break
        if len(acronyms) > MAX_ACRONYMS:
            continue
        spelled = {a for a in acronyms | {a + "c" for a in acronyms} if len(a) >= MIN_ACRONYM}
        extra = [Alternative((a,), "acronym") for a in sorted(spelled)]
        span = (path[i].start, path[j - 1].end)
        offer_segment(segments, span, "".join(s.han for s in path[i:j]), extra)


def _words_of_names(
    path: Sequence[Segment], segments: Mapping[tuple[int, int], Segment]
) -> list[Segment]:
    """The best path with each long proper name the dictionary knows whole (北京航空航天大学,
    Beihang University) as the words the segmenter also found in it (北京 | 航空 | 航天 |
    大学): a body is often known by the short name of those words (北航, Beihang), which
    :func:`_add_short_pinyin` reads from words."""
    out: list[Segment] = []
    for segment in path:
        inner = _inner_words(segment, segments)
        out.extend(inner or (segment,))
    return out


def _inner_words(
    segment: Segment, segments: Mapping[tuple[int, int], Segment]
) -> tuple[Segment, ...]:
    """The words of two characters at least that tile a proper name of MIN_NAMED_SPAN
    characters at least, longest first from its start; nothing if they do not."""
    if segment.end - segment.start < MIN_NAMED_SPAN or not any(
        a.source == "CC-CEDICT name" for a in segment.alternatives
    ):
        return ()
    words: list[Segment] = []
    at = segment.start
    while at < segment.end:
        found = next(
            (
                segments[(at, end)]
                for end in range(min(segment.end, at + MAX_WORD_SPAN), at + 1, -1)
                if (at, end) in segments and (at, end) != (segment.start, segment.end)
            ),
            None,
        )
        if found is None:
            return ()
        words.append(found)
        at = found.end
    return tuple(words)


# Characters of a proper name at least for its words to be read (北京航空航天大学).
MIN_NAMED_SPAN = 6


def _add_short_pinyin(
    path: Sequence[Segment],
    segments: dict[tuple[int, int], Segment],
    readings: dict[int, str],
    legal_chars: set[int],
) -> None:
    """The pinyin of a short name, which keeps the first character of each word (二重 for
    第二重型, read Erzhong; 北航 for 北京航空): a run of SHORT_NAME_WORDS words on the best
    path, each of two characters or more, reads as their first characters' pinyin, joined.
    An ordinal's head is its number (第二 -> 二). A guess: it supports a match, never makes
    one alone."""
    # Words of the best path, an ordinal's 第 joined to its number (第 三 -> 第三).
    words: list[tuple[int, int, str, str]] = []  # start, end, characters, first character
    for segment in path:
        if words and words[-1][2] == "第" and segment.han[0] in _NUMERAL_CHARS:
            words[-1] = (words[-1][0], segment.end, "第" + segment.han, segment.han[0])
        else:
            words.append((segment.start, segment.end, segment.han, segment.han[0]))
    heads: list[str | None] = []
    for start, end, han, _ in words:
        first = start + 1 if han.startswith("第") else start
        usable = (
            end - start >= 2
            and first < end
            and first in readings
            and han not in _descriptors()  # 集团 stands in no short name
            and not any(c in legal_chars for c in range(start, end))
        )
        heads.append(readings[first] if usable else None)
    # A place's name as its words are read without 市 or 省 (丹东市 is Dandong's city).
    places = frozenset(
        "".join(a.words) for segment in path for a in segment.alternatives if a.source == "place"
    )
    for i, j in _runs(heads, *SHORT_NAME_WORDS):
        spelled = "".join(h for h in heads[i:j] if h)
        if (
            len(spelled) < MIN_SHORT_NAME
            or spelled in _spoken(words[i:j], readings)
            or spelled in places
        ):
            continue
        short = Alternative((spelled,), "short pinyin")
        # Where the short name is a brand of its own (中航 for 中国航空: AVIC).
        brands = tuple(
            Alternative(a.words, "short name")
            for a in registry_alternatives().get("".join(w[3] for w in words[i:j]), ())
        )
        span = (words[i][0], words[j - 1][1])
        offer_segment(segments, span, "".join(w[2] for w in words[i:j]), [short, *brands])


def _spoken(words: Sequence[tuple[int, int, str, str]], readings: dict[int, str]) -> frozenset[str]:
    """The joined pinyin of each of ``words`` (start, end, ...). A short name that spells
    one of its own words as that word is read is no short name (杭州轴承 shortened is hang
    zhou, 杭州's Hangzhou; 大连理工安全 is da li an, 大连's Dalian; nor 丹东市东源 dan dong,
    丹东市's Dandong, a place's reading): the word says it, and the guess would take the
    words after it (轴承 bearing, 理工 Ligong) from the listed words they meet."""
    return frozenset(
        "".join(readings.get(c, "") for c in range(start, end)) for start, end, _, _ in words
    )


# The endings a firm's name takes in the dictionary (保利科技有限公司, 中国石油天然气集团公司,
# 联想集团): its legal form, or its group.
_NAMED_ENDINGS = ("有限公司", "公司", "集团", "集团公司", "集团有限公司", "股份有限公司")


def _add_named_stems(
    han: str,
    path: Sequence[Segment],
    segments: dict[tuple[int, int], Segment],
    legal_chars: set[int],
) -> None:
    """A firm the dictionary knows only with a legal form (保利科技有限公司, Poly
    Technologies) is named by its words before the form too, as a query may leave the form
    out or write another (保利科技, 保利科技股份有限公司): the words before the name's first
    legal form, from its start or after the place it opens with, read as the dictionary's
    name of the firm they are with one of :data:`_NAMED_ENDINGS`, less its legal words."""
    end = min(legal_chars, default=len(han))
    starts = [0]
    if len(path) > 1 and any(a.source == "place" for a in path[0].alternatives):
        starts.append(path[0].end)
    for start in starts:
        stem = han[start:end]
        if len(stem) < 2:
            continue
        names: list[Alternative] = []
        for ending in _NAMED_ENDINGS:
            known = dictionary_word(stem + ending)
            if known is None or known[0] != stem + ending:
                continue
            for a in known[1]:
                if a.source == "CC-CEDICT name":
                    words = tuple(w for w in a.words if not legal_forms(w))
                    if words:
                        names.append(Alternative(words, "CC-CEDICT name"))
        if names:
            offer_segment(segments, (start, end), stem, names)


# Sources whose one-word readings may be written together with a neighbour's.
_COMPOUNDABLE = frozenset({"glossary", "CC-CEDICT", "CC-CEDICT name", "character"})


def _add_compounds(
    path: Sequence[Segment], segments: dict[tuple[int, int], Segment], legal_chars: set[int]
) -> None:
    """Two translated words written as one, as lists write brands ("Silverstar" for 银星,
    "Greatwall" for 长城): a segment's two-word translation joined, and the one-word
    translations of two lone characters next to each other on the best path, joined."""
    for segment in path:
        span = (segment.start, segment.end)
        if segment.legal or segment.han in generic_words():
            continue
        current = segments[span]
        joined = [
            Alternative(("".join(a.words),), "compound")
            for a in current.alternatives
            if len(a.words) == 2 and a.source in _COMPOUNDABLE
        ]
        if joined:
            offer_segment(segments, span, current.han, joined)
    for left, right in itertools.pairwise(path):
        if left.end - left.start != 1 or right.end - right.start != 1:
            continue
        if left.start in legal_chars or right.start in legal_chars:
            continue
        heads, tails = (
            [
                a.words[0]
                for a in segments[(s.start, s.end)].alternatives
                if len(a.words) == 1 and a.source in _COMPOUNDABLE
            ]
            for s in (left, right)
        )
        joined = [Alternative((h + t,), "compound") for h in heads for t in tails]
        if joined:
            offer_segment(segments, (left.start, right.end), left.han + right.han, joined)


@lru_cache(maxsize=32768)
def dictionary_word(piece: str) -> tuple[str, tuple[Alternative, ...]] | None:
    """A piece of a name the dictionary knows as one word: its surface and readings (else
    None). Remembered: the same pieces come back in name after name."""
    tokens = tokenizer().tokenize(piece)
    if len(tokens) != 1:
        return None
    details = tuple(tokens[0].details)
    if dictionary_entry(details) is None:
        return None
    return tokens[0].surface, word_readings(tokens[0].surface, details)


def _segment(span: tuple[int, int], surface: str, details: Sequence[str]) -> Segment:
    return Segment(*span, surface, word_readings(surface, tuple(details)))


@lru_cache(maxsize=32768)
def word_readings(surface: str, details: tuple[str, ...]) -> tuple[Alternative, ...]:
    """A dictionary word's readings (glosses, pinyin): remembered, since the same words
    come back in name after name, and their glosses are sifted once."""
    alternatives: list[Alternative] = list(glossary_alternatives().get(surface, ()))
    if (entry := dictionary_entry(details)) is not None:
        syllables = cedict_syllables(entry.reading)
        proper = entry.proper
        definition = entry.definition
        if len(surface) > 1:
            curated = cjk.glossary()["places"]
            if (
                proper
                and surface not in curated
                and surface[:-1] not in curated  # 深圳市: the glossary's 深圳 reads it
                and (place := _administrative(definition))
            ):
                alternatives.append(Alternative((place,), "place"))
            limit = MAX_NAME_WORDS if proper else MAX_GLOSS_WORDS
            # A word the dictionary glosses only as verbs (上升: to rise, to go up) is read
            # as its one-word verbs: trade names are often such words ("Sky Rise").
            glosses = select_glosses(definition, limit, proper=proper) or (
                [] if proper else select_glosses(definition, 1, verbs=True)
            )
            for gloss in glosses:
                found = tuple(_words(gloss))
                source = "CC-CEDICT name" if proper else "CC-CEDICT"
                alternatives.append(Alternative(found, source))
        if syllables:
            alternatives.append(Alternative(("".join(syllables),), "pinyin"))
            # Split syllables stand for a romanised name ("Zhong Xin"), not a common word
            # (有限 as "you xian" would meet "Xi'an").
            if len(syllables) > 1 and (proper or len(alternatives) == 1):
                alternatives.append(Alternative(tuple(syllables), "pinyin"))
    return _unique(alternatives)


def _administrative(gloss: str) -> str | None:
    """The place a dictionary entry names when one of its senses is an administrative
    division ("Jinan, subprovincial city and capital of Shandong"; 中山: "refers to Dr Sun
    Yat-sen/Zhongshan, prefecture-level city in Guangdong"), else None."""
    for sense in gloss.split("/"):
        if place := _ADMINISTRATIVE.match(sense):
            return place["name"].lower()
    return None


def offer_segment(
    segments: dict[tuple[int, int], Segment],
    span: tuple[int, int],
    han: str,
    extra: Sequence[Alternative],
) -> None:
    """Add ``extra`` readings after those of the segment over ``span`` (made when the
    segmenter's paths had none there)."""
    current = segments.get(span)
    old = current.alternatives if current else ()
    segments[span] = Segment(*span, han, _unique([*old, *extra]))


def _runs(items: Sequence[object | None], lowest: int, highest: int) -> Iterator[tuple[int, int]]:
    """Each run ``items[i:j]`` of ``lowest`` to ``highest`` items, none of them None."""
    for i in range(len(items)):
        for j in range(i + lowest, min(len(items), i + highest) + 1):
            if any(item is None for item in items[i:j]):
                break
            yield i, j


def _unique(alternatives: Sequence[Alternative]) -> tuple[Alternative, ...]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for alternative in alternatives:
        if alternative.words not in seen:
            seen.add(alternative.words)
            out.append(alternative)
    return tuple(out)


def _reads_as_person(han: str, path: Sequence[Segment], person: bool | None) -> bool:
    """Whether a name reads as surname + given name. With the party type unknown, a name
    whose best path holds a glossary term or a legal form (中国电信) is an organisation's."""
    if person is False or cjk.split_person(han) is None:
        return False
    return person is True or not organisation(path)


def organisation(path: Sequence[Segment]) -> bool:
    """Whether a best path reads as an organisation's name: it holds a glossary term or a
    legal form (中国电信, 北京旷视科技有限公司). Places do not count: 中华 and 江山 are also
    given names."""
    return any(a.source in ("glossary", "legal") for s in path for a in s.alternatives)


@lru_cache(maxsize=4096)
def _character_senses(char: str) -> tuple[Alternative, ...]:
    """A lone character's CC-CEDICT senses, verbs as bare verbs (测 -> survey, measure)."""
    tokens = tokenizer().tokenize(char)
    entry = dictionary_entry(tokens[0].details) if len(tokens) == 1 else None
    if entry is None:
        return ()
    glosses = select_glosses(entry.definition, 1, verbs=True)
    return tuple(Alternative((gloss,), "character") for gloss in glosses)


@cache
def _abbreviations() -> dict[str, tuple[Alternative, ...]]:
    """Character -> the readings of the two-character glossary terms and places it begins, as
    abbreviations (沈 -> shenyang, 飞 -> aircraft): an abbreviation keeps one character of
    each two-character word."""
    out: dict[str, list[Alternative]] = {}
    for term, alternatives in glossary_alternatives().items():
        if len(term) == 2:
            for a in alternatives:
                if a.source != "legal" and a.words:
                    out.setdefault(term[0], []).append(Alternative(a.words, "abbreviation"))
    return {char: _unique(found) for char, found in out.items()}


def _add_person(
    han: str,
    readings: dict[int, str],
    segments: dict[tuple[int, int], Segment],
) -> None:
    """Surname + given-name readings for a name that reads as a person's (王明山 -> Wang
    Mingshan, 薄熙来 -> Bo Xilai)."""
    parts = cjk.split_person(han)
    if parts is None:
        return
    surname = parts[0]
    size = len(surname)
    family = cjk.glossary()["surnames"].get(surname) or "".join(
        readings.get(k, "") for k in range(size)
    )
    syllables = [readings.get(k, "") for k in range(size, len(han))]
    if not family or not all(syllables):
        return
    for span, alternatives in (
        ((0, size), [Alternative((family,), "surname")]),
        ((size, len(han)), [Alternative(("".join(syllables),), "pinyin")]),
    ):
        if span[1] - span[0] > 1 and span[0] == size and len(syllables) > 1:
            alternatives.append(Alternative(tuple(syllables), "pinyin"))
        old = segments.get(span)
        merged = _unique([*alternatives, *(old.alternatives if old else ())])
        segments[span] = Segment(*span, han[span[0] : span[1]], merged)


def _token_readings(token: Any) -> tuple[str, ...]:
    """The pinyin of each character of a segmenter token: a word's CC-CEDICT reading
    (重庆: chong qing), a lone character's commonest reading."""
    return _surface_readings(token.surface, token.details[_READING])


@lru_cache(maxsize=32768)
def _surface_readings(surface: str, reading: str) -> tuple[str, ...]:
    """:func:`_token_readings` of a token's surface and CC-CEDICT reading (remembered: the
    same words come back in name after name)."""
    syllables = cedict_syllables(reading)
    if len(surface) > 1 and len(syllables) == len(surface):
        return tuple(syllables)
    return tuple(_char_reading(c) for c in surface)


def readings(text: str) -> list[str]:
    """Toneless pinyin of every Chinese character in ``text``, read on the best path."""
    out: list[str] = []
    for run in cjk.han_runs(text):
        for token in tokenizer().tokenize(run):
            out.extend(r for r in _token_readings(token) if r)
    return out


WordMatcher = Callable[[str, bool], Sequence[tuple[str, float]]]
# Index match kinds a generated reading may use: pinyin is spelled by rule, so only an
# exact or plural match counts; an English gloss may meet an inflected or mistyped word.
STRICT_KINDS = frozenset({"exact", "plural"})
LOOSE_KINDS = frozenset({"exact", "plural", "typo", "truncation"})
MIN_LOOSE_SIMILARITY = 0.8


@lru_cache(maxsize=65536)
def legal_forms(word: str) -> frozenset[str]:
    """The generic legal forms an English word names ("corporation" -> corp), if any."""
    from chipbridge.screening.normalize import analyse

    return frozenset(analyse(f"x {word}", False).legal)


# Readings spelled by rule or names spelled as written: only an exact or plural match counts.
_SPELLED = frozenset(
    {
        *("pinyin", "surname", "numeral", "initials", "compound", "acronym"),
        *("CC-CEDICT name", "legal pinyin", "other reading", "short pinyin", "group acronym"),
        "place",
    }
)
# Readings that spell a trade name (依图 -> Yitu, 银星 -> Silverstar, 美的 -> Midea), rather
# than translate words that other names use too (a group's brand in the alias registry, 中航
# AVIC, is every subsidiary's too).
_TRADE_NAMES = frozenset({"pinyin", "other reading", "CC-CEDICT name", "compound"})
# Characters a trade name found spans at least for the words a registered name adds to count
# as qualifiers (see :func:`align`).
MIN_TRADE_CHARS = 2
# Listed coverage at which a listed name counts as found whole.
WHOLE = 0.9
# Credit for a segment that only meets the listed name's legal form (集团 -> Corporation).
LEGAL_FORM_CREDIT = 0.9


@dataclass(frozen=True, slots=True)
class Plan:
    """What aligning a lattice needs that no Latin name changes, worked out once per lattice.

    A Chinese query is aligned with dozens of listed names, and a listed Chinese name with
    every Latin query that shares a word with it: the readings to try, the legal-form
    characters and the character weights are the same every time.
    """

    # (segment index, segment, alternative, similarity factor, strict) per reading to try.
    readings: tuple[tuple[int, Segment, Alternative, float, bool], ...]
    legal_chars: frozenset[int]
    # Segments outside legal forms with their one-word alternatives that name a legal form.
    legal_readings: tuple[tuple[Segment, tuple[tuple[Alternative, frozenset[str]], ...]], ...]
    weights: tuple[float, ...]  # per character (see char_weights)
    legal: tuple[bool, ...]
    # Characters of a place or a glossary term (上海, 网络, 科技): what a registered name adds
    # to its trade name (依图) by law, place first and industry after.
    described: frozenset[int] = frozenset()
    # Characters of a place that follows other words of the name (中国航发 | 四川 | 燃气涡轮
    # 研究院): where a group's unit stands, which lists leave out of its English name.
    located: frozenset[int] = frozenset()
    # Characters of a place or a unit of an organisation anywhere in the name (深圳, 分公司).
    placed: frozenset[int] = frozenset()
    # Characters of the public body that opens a unit's name (中国人民解放军 | 国防科技大学).
    parented: frozenset[int] = frozenset()
    # Characters that may name a part of a body after its name (see part_tail).
    parts: frozenset[int] = frozenset()

    def ceiling(
        self, only: Sequence[int], latin_legal: frozenset[str], qualify: bool = False
    ) -> float:
        """The most Chinese-side coverage :func:`align` can find using the readings ``only``.

        Only characters those readings span (or a legal form, or a segment that may meet the
        Latin name's legal form) can be credited, and by no more than in full. With
        ``qualify`` (as :func:`align` takes it), place and industry characters left over may
        weigh next to nothing.
        """
        credited = list(self.legal)
        for r in only:
            segment = self.readings[r][1]
            credited[segment.start : segment.end] = [True] * (segment.end - segment.start)
        if latin_legal:
            for segment, _ in self.legal_readings:
                credited[segment.start : segment.end] = [True] * (segment.end - segment.start)
        # Summed in character order, as align sums them (compress keeps the order).
        reached = sum(itertools.compress(self.weights, credited))
        if qualify:
            for k in self.described | self.parts:
                credited[k] = True
        left = sum(itertools.compress(self.weights, map(operator.not_, credited)))
        return reached / ((reached + left) or 1.0)


def plan(lattice: Lattice, weigh: Callable[[str], float], legal_weight: float) -> Plan:
    """The :class:`Plan` of a lattice (``weigh`` and ``legal_weight`` as :func:`align` takes)."""
    legal_spans = [(s.start, s.end) for s in lattice.segments if s.legal]
    legal_chars = frozenset(c for start, end in legal_spans for c in range(start, end))
    readings = []
    for s_idx, segment in enumerate(lattice.segments):
        if segment.legal:
            # A legal form meets only its romanised spelling (youxian gongsi).
            readings += [
                (s_idx, segment, a, 1.0, True)
                for a in segment.alternatives
                if a.source in ("legal pinyin", "pinyin")
            ]
            continue
        if _cuts_legal_form(segment, legal_spans):
            continue  # a legal form's characters are not part of the name (有限 is not Xi'an)
        for alternative in segment.alternatives:
            if alternative.source == "legal" or not alternative.words:
                continue
            factor = SOURCE_SIMILARITY.get(alternative.source, 0.9)
            if alternative.source == "alias registry" and all(
                c in legal_chars or segment.start <= c < segment.end
                for c in range(len(lattice.han))
            ):
                # The registry pairs this very name, whole, with the English one: nothing is
                # inferred, so it counts as exactly as the name's dictionary senses do.
                factor = 1.0
            # Spelled by rule (pinyin, numbers): only an exact or plural match counts.
            # A one-word name (美的 -> Midea, 英特尔 -> Intel) is a spelling too: a typo of
            # it ("Inter") is another name as often as a slip.
            strict = alternative.source in _SPELLED or (
                alternative.source in _REGISTERED and len(alternative.words) == 1
            )
            readings.append((s_idx, segment, alternative, factor, strict))
    readings += [
        (-1, segment, alternative, SOURCE_SIMILARITY["brand sound"], False)
        for segment, alternative in brand_sound_readings(lattice)
    ]
    legal_readings = []
    for segment in lattice.segments:
        if not legal_chars.isdisjoint(range(segment.start, segment.end)):
            continue
        named = tuple(
            (alternative, forms)
            for alternative in segment.alternatives
            if len(alternative.words) == 1
            and alternative.source in _TRANSLATIONS  # not initials: 时代 (SD) is no legal form
            and (forms := legal_forms(alternative.words[0]))
        )
        if named:
            legal_readings.append((segment, named))
    weights, legal = char_weights(lattice, weigh, legal_weight)
    return Plan(
        tuple(readings),
        legal_chars,
        tuple(legal_readings),
        weights,
        legal,
        described(lattice),
        located(lattice),
        frozenset(c for s in lattice.segments if qualifier(s) for c in range(s.start, s.end)),
        parented(lattice),
        part_tail(lattice),
    )


def parented(lattice: Lattice) -> frozenset[int]:
    """The characters of a public body (glossary ``parent_bodies``: 中国人民解放军, 中国科学院)
    that opens the name of one of its units, the country before it included: its official
    name says whose unit it is (中国人民解放军国防科技大学), which lists leave out ("National
    University of Defense Technology"), as they leave out a unit's place. Empty when the
    body is the whole name."""
    path = lattice.path
    first = 1 if path and path[0].han in cjk.glossary()["countries"] else 0
    if len(path) <= first or path[first].han not in cjk.glossary()["parent_bodies"]:
        return frozenset()
    rest = [s for s in path[first + 1 :] if not s.legal]
    return frozenset(range(path[first].end)) if rest else frozenset()


def described(lattice: Lattice) -> frozenset[int]:
    """The characters of a place or a glossary term (see Plan.described): the ones
    :func:`align` may weigh next to nothing beside a listed name found whole."""
    return frozenset(
        c
        for segment in lattice.segments
        if any(a.source in ("place", "glossary") for a in segment.alternatives)
        for c in range(segment.start, segment.end)
    )


def located(lattice: Lattice) -> frozenset[int]:
    """The characters of the places and units on the best path that come after a word that is
    no place, no unit and no legal form (四川 in 中国航发四川燃气涡轮研究院, 西安 in 中国航空工业
    集团有限公司西安飞行自动控制研究所, 深圳 and 分公司 in 华为深圳分公司): where a body or a
    group's unit stands and which branch or office it is, which lists leave out of its English
    name. A place that opens the name (杭州 in 杭州电子科技大学) is not one: it tells bodies of
    the same trade apart. Nor is one after a single character (济 | 南县, "Nan county"): a
    name is MIN_TRADE_CHARS characters at least, and a lone one more likely begins a place
    the segmenter cut (济南)."""
    out: set[int] = set()
    named = 0  # characters of words that are no place, no unit and no legal form, before
    for segment in lattice.path:
        added = qualifier(segment)
        countries = segment.han in cjk.glossary()["countries"]
        if added and named >= MIN_TRADE_CHARS and not countries:
            out.update(range(segment.start, segment.end))
        elif not added and not segment.legal:
            named += segment.end - segment.start
    return frozenset(out)


# What a part of a university or an academy is called (研究院, 学院, 医院, 校区): after the
# body's whole name, a unit of it.
_PARTS_OF_BODIES = frozenset(
    {"institute", "academy", "college", "school", "hospital", "campus", "laboratory", "center"}
)


# Listed bodies whose parts (institutes, colleges, hospitals) the lists do not name apart, as
# they name a group's numbered institutes and a firm's subsidiaries: a university's or an
# academy's, with no legal form.
_SEATS_OF_LEARNING = frozenset({"university", "academy", "college", "institute"})


def part_tail(lattice: Lattice) -> frozenset[int]:
    """The characters of the longest run of segments ending the best path that may name a
    part of a body: it ends with the word for one (研究院, 学院, 医院) and holds no legal form
    and no number (第八一一研究所 is a numbered unit, which the lists name as a body of its
    own). :func:`align` may relieve any of its characters after a listed name found whole
    (:func:`_part_named_after`), so every bound counts them as relieved."""
    path = lattice.path
    if not path or not any(
        a.source in _COMMON_WORDS and a.words and a.words[-1] in _PARTS_OF_BODIES
        for a in path[-1].alternatives
    ):
        return frozenset()
    start = len(lattice.han)
    for segment in reversed(path):
        if segment.legal or any(a.source == "numeral" for a in segment.alternatives):
            break
        start = segment.start
    return frozenset(range(start, len(lattice.han)))


def _part_named_after(
    lattice: Lattice, tail: frozenset[int], char_credit: Sequence[float]
) -> list[int]:
    """The characters after the last one found, when every character before them is found
    (or a legal form's) and they are a part's name (``tail``, :func:`part_tail`) from a
    segment's start: 电子科技大学 | (深圳)高等研究院 is an institute of the university the
    listed name is, as "Shenzhen Branch" is of a firm; a Latin name adds "Shenzhen
    Institute" so too."""
    found = [c for c, credit in enumerate(char_credit) if credit]
    if not found:
        return []
    end = found[-1] + 1
    if (
        end not in tail
        or not any(s.start == end for s in lattice.path)
        or not all(char_credit[c] for c in range(end))
    ):
        return []
    return list(range(end, len(char_credit)))


def qualifier(segment: Segment) -> bool:
    """Whether a segment is a place or a unit of an organisation (:func:`unit`)."""
    return unit(segment) or is_place(segment)


def is_place(segment: Segment) -> bool:
    """Whether a segment may read as a place (深圳, 德国)."""
    return any(a.source == "place" for a in segment.alternatives)


def unit(segment: Segment) -> bool:
    """Whether a segment is a unit of an organisation (分公司 branch, 办事处 office, 厂
    factory): the glossary translates it to :data:`qualifiers.UNIT_WORDS` alone, the words a
    Latin name may add to a listed one and still be that party (a glossary term, so it is
    among the :func:`described` characters every bound relieves)."""
    return any(map(unit_reading, segment.alternatives))


def unit_reading(alternative: Alternative) -> bool:
    """Whether a reading is the glossary's, in :data:`qualifiers.UNIT_WORDS` alone."""
    return (
        alternative.source == "glossary"
        and bool(alternative.words)
        and all(w in UNIT_WORDS for w in alternative.words)
    )


def reach(prepared: Plan, matcher: WordMatcher) -> dict[str, list[int]]:
    """Latin word -> the positions in ``prepared.readings`` of the readings that may meet it.

    A Chinese query is aligned with dozens of listed names, each meeting only a few of its
    readings: the rest are left out of the alignment instead of being tried and failing.
    """
    out: dict[str, list[int]] = {}
    for r, (_, _, alternative, _, strict) in enumerate(prepared.readings):
        for word in alternative.words:
            for listed, _ in matcher(word, strict):
                found = out.setdefault(listed, [])
                if not found or found[-1] != r:
                    found.append(r)
    return out


def align(
    latin: Sequence[str],
    latin_weights: Sequence[float],
    lattice: Lattice,
    matcher: WordMatcher,
    weigh: Callable[[str], float],
    legal_weight: float,
    latin_legal: frozenset[str] = frozenset(),
    prepared: Plan | None = None,
    only: Sequence[int] | None = None,
    qualify: bool = False,
    one_body: bool = False,
    places: frozenset[int] = frozenset(),
    mainland: frozenset[int] = frozenset(),
) -> Alignment:
    """Align Latin words to the lattice, best matches first, and measure both coverages.

    ``matcher(word)`` gives the Latin words an alternative's word may stand for, with their
    similarity (exact, plural, typo, as the index knows them); ``weigh(word)`` is a word's
    IDF. A segment of the best path weighs what its lightest alternative weighs (a generic
    word is generic in every reading), spread over its characters. ``prepared`` is the
    lattice's :func:`plan`, when the caller keeps it; ``only`` the positions in its readings
    of those that can meet a Latin word at all (see :func:`reach`), when the caller knows.
    With ``qualify`` (a Chinese query against a listed Latin name), the query's unmatched
    place and industry words weigh little once the listed name is found whole. ``places``:
    the listed name's Chinese places, which a query that says no place leaves unsaid once
    its trade name is found (see :func:`unplaced`); ``mainland``: those of them on the
    mainland, which it leaves unsaid only on :func:`_mainland_unsaid`'s terms.
    """
    layout = prepared or plan(lattice, weigh, legal_weight)
    readings = layout.readings if only is None else [layout.readings[r] for r in only]
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(latin):
        positions.setdefault(word, []).append(j)
    weights = layout.weights
    implicit = _implicit()
    listed_kinds = frozenset(latin) & _kinds()
    contradicting: set[int] = set()  # characters whose reading contradicts the listed kind

    def share_found(alternative: Alternative, pairs: Sequence[tuple[int, int, float]]) -> float:
        """The share of an alternative found, by weight: "china mobile communications"
        meeting "China ... Communications" has not found its distinctive word. A proper
        name's every word counts ("Agricultural Bank of China" is not found in "Agricultural
        ... Bank" of another country)."""
        named = alternative.source == "CC-CEDICT name"
        # A registry name's place says where the firm stands, which a list may leave out
        # ("Beijing Baimtec Material", listed "Baimtec Material"), once the name's own word is
        # found: met only through common words, the place is what sets it apart ("Taiwan
        # Semiconductor Manufacturing" is not "Semiconductor Manufacturing International").
        placed = (
            _place_words()
            if alternative.source in _REGISTERED
            and any(_own_word(alternative.words[w]) for w, _, _ in pairs)
            else frozenset()
        )
        word_weights = [
            min(weigh(w), legal_weight)
            if (w in implicit and not named) or w in placed
            else weigh(w)
            for w in alternative.words
        ]
        found = sum(word_weights[w] * sim for w, _, sim in pairs)
        return min(1.0, found / (sum(word_weights) or 1.0))

    candidates: list[tuple[float, int, Step]] = []
    # A brand's sound (see _brand_sounds) only fills what the other readings leave.
    sounding: list[tuple[Segment, Alternative, float]] = []
    for s_idx, segment, alternative, factor, strict in readings:
        if alternative.source == "brand sound":
            sounding.append((segment, alternative, factor))
            continue
        words = alternative.words
        pairs: list[tuple[int, int, float]] = []
        if len(words) == 1:
            # One word: the first of its best counterparts, with no other word to make room for.
            first: tuple[float, int] | None = None
            for listed, sim in matcher(words[0], strict):
                at = positions.get(listed)
                if at is not None and (first is None or sim > first[0]):
                    first = (sim, at[0])
            if first is not None:
                pairs.append((0, first[1], first[0] * factor))
        else:
            used: set[int] = set()
            for w_idx, word in enumerate(words):
                best: tuple[float, int] | None = None
                for listed, sim in matcher(word, strict):
                    for j in positions.get(listed, ()):
                        if j not in used and (best is None or sim > best[0]):
                            best = (sim, j)
                if best is not None:
                    used.add(best[1])
                    pairs.append((w_idx, best[1], best[0] * factor))
        if pairs and all(words[w] in _UNINITIALLED for w, _, _ in pairs):
            continue  # "radio and television" has found nothing in a listed "and"
        if alternative.source == "CC-CEDICT name" and pairs and all(w for w, _, _ in pairs):
            continue  # a name's description without the name: 南京's "capital of China"
        if alternative.source == "numeral" and len(pairs) < len(words):
            continue  # a number is met whole: "no 3" has found nothing in "No. 11"
        if pairs and _field_unmet(words, pairs):
            continue  # "institute of technology" has not found "Institute of Space"
        if pairs and _contradicts(alternative, pairs, listed_kinds):
            contradicting.update(range(segment.start, segment.end))
            continue
        if pairs:
            # What the step finds on both sides: the listed words it meets, and the
            # characters it explains, by the share of the reading found.
            value = sum(latin_weights[j] * sim for _, j, sim in pairs)
            value += share_found(alternative, pairs) * sum(weights[segment.start : segment.end])
            candidates.append((value, s_idx, Step(segment, alternative, tuple(pairs))))
    # Best value first; on a tie the longer segment (大疆创新 over 大疆), which leaves no
    # characters of the same reading unexplained.
    candidates.sort(key=lambda c: (-c[0], c[2].segment.start - c[2].segment.end, c[1]))
    chosen = _select(candidates)
    # A reading of several words at once (an acronym of the whole name, a short name) taken
    # first may leave its words' own readings nothing to meet: 北京自动化控制设备研究所 read
    # "bacei" meets one listed word where its words meet five of "Beijing Automation Control
    # Equipment Institute (BACEI)". The words are read one by one too, by what they say
    # (no guess breaks a trade name up: 通联 is no 通 "communications" and 联 "united"),
    # and the reading that finds more is kept.
    starts = {segment.start for segment in lattice.path}
    spanning = {
        id(step.segment)
        for step in chosen[0]
        if any(step.segment.start < c < step.segment.end for c in starts)
    }
    if spanning:
        chosen = _read_apart(candidates, spanning, chosen, latin_weights)
    # So may a long word of the dictionary, where its own words find more (国际货运代理,
    # "international transport agency", holds 货运 "freight").
    long_steps = {
        id(s.segment) for s in chosen[0] if s.segment.end - s.segment.start >= MIN_COMPOUND
    }
    if long_steps and (compounds := _compounds(candidates)) & long_steps:
        chosen = _read_apart(candidates, compounds, chosen, latin_weights)
    steps, taken_chars, taken_latin = chosen
    steps += _said_again(steps, lattice, latin, positions, taken_latin, matcher)
    steps += _other_senses(steps, latin, positions, taken_latin, matcher, listed_kinds)
    steps += _brand_sounds(
        steps, lattice, latin, taken_latin, layout.legal, sounding, positions, matcher
    )
    # A segment left over that names the listed name's legal form (集团 as "corporation").
    legal_steps: list[Step] = []
    if latin_legal:
        for segment, named in layout.legal_readings:
            chars = range(segment.start, segment.end)
            if any(c in taken_chars for c in chars):
                continue
            for alternative, forms in named:
                if forms & latin_legal:
                    taken_chars.update(chars)
                    legal_steps.append(Step(segment, alternative, ()))
                    break
    contradicting -= {c for step in steps for c in range(step.segment.start, step.segment.end)}
    if contradicting:
        # A kind of business the name says (科技, technology) where the listed name says
        # another (Industry) is not left unsaid but contradicted, as "Aerospace Science and
        # Technology" is not "Aerospace Science and Industry" in Latin: both weigh in full.
        full = char_weights(lattice, weigh, legal_weight, full=True)[0]
        weights = tuple(max(w, full[c]) if c in contradicting else w for c, w in enumerate(weights))
        met = {j for step in steps for _, j, _ in step.pairs}
        latin_weights = [
            weigh(t) if t in listed_kinds and j not in met else w
            for j, (t, w) in enumerate(zip(latin, latin_weights, strict=True))
        ]
    # The trade name found: characters read as a name, not as a place or a term. One
    # syllable (华 -> hua) is no trade name to anchor a match: it spells a listed acronym
    # (HUA) or a surname as often as a firm.
    trade_words = _trade_name_words(steps, layout)
    traded = len({c for s in trade_words for c in range(s.start, s.end)}) >= MIN_TRADE_CHARS
    unsaid_place: tuple[str, ...] = ()
    if places and traded:
        met = {j for step in steps for _, j, _ in step.pairs}
        unsaid = _unsaid_places(places, met)
        if unsaid & mainland and not _mainland_unsaid(
            steps, layout, latin_weights, places, met, legal_weight
        ):
            unsaid -= mainland
        latin_weights = list(unplaced(latin_weights, unsaid, legal_weight))
        unsaid_place = tuple(latin[j] for j in sorted(unsaid))
    # The Latin side: weighted share of its words matched.
    latin_total = sum(latin_weights) or 1.0
    latin_sim = [0.0] * len(latin)
    for step in steps:
        for _, j, sim in step.pairs:
            latin_sim[j] = max(latin_sim[j], sim)
    latin_coverage = sum(w * s for w, s in zip(latin_weights, latin_sim, strict=True)) / latin_total
    # The Chinese side (see char_weights); a matched segment credits its characters by the
    # share of its alternative that found a counterpart.
    char_credit = [1.0 if is_legal else 0.0 for is_legal in layout.legal]
    for step in steps:
        share = share_found(step.alternative, step.pairs)
        for c in range(step.segment.start, step.segment.end):
            char_credit[c] = max(char_credit[c], share)
    for step in legal_steps:
        for c in range(step.segment.start, step.segment.end):
            char_credit[c] = max(char_credit[c], LEGAL_FORM_CREDIT)
    steps.extend(legal_steps)
    if qualify and latin_coverage >= WHOLE and not _person_spans(lattice):
        # The listed name is found whole, trade name and all, in a registered name that adds
        # its place and industry (上海依图网络科技有限公司 for "Yitu Limited"): those words,
        # unmatched, weigh little, as an added branch or place does in a
        # Latin name (at most QUALIFIER_WEIGHT a word, QUALIFIER_CAP in all). A match of
        # places and terms alone has no trade name to anchor it, nor has a group's brand,
        # which its subsidiaries' names hold too: with a registry name, only places and units
        # weigh little. Without either, only a place or unit after words that were found (a
        # group's, before its unit's: 中国航发 | 四川 | 燃气涡轮研究院 for "AECC Gas Turbine
        # Establishment") weighs so little.
        from chipbridge.screening.score import QUALIFIER_CAP, QUALIFIER_WEIGHT

        if traded:
            extra = [c for c in layout.described if not char_credit[c]]
            if _another_trade(latin, latin_sim, lattice, char_credit):
                # The listed name says a trade of its own ("Huali Bank") that the query does
                # not: the query's trade words (华力微电子) name another business, and only
                # its places and units (分公司 branch) weigh little.
                extra = [c for c in extra if c in layout.placed]
                # Its kind of business (科技 technology, 实业 industrial), which weighs as a
                # legal form where lists may drop it, names another business too: unmet, it
                # weighs what its translation weighs, as "Huali Technology" does in Latin.
                full = char_weights(lattice, weigh, legal_weight, full=True)[0]
                kinds = {
                    c
                    for s in lattice.path
                    if s.han in _descriptors()
                    for c in range(s.start, s.end)
                    if not char_credit[c] and not layout.legal[c]
                }
                weights = tuple(max(w, full[c]) if c in kinds else w for c, w in enumerate(weights))
            else:
                # The listed name says its trade, and the query says it too: the query's other
                # trades beside it (管理 in 东海国际船舶管理, against "East Sea Shipping") say
                # another business, as "East Sea International Ship Management" does in
                # Latin, and weigh. Those of a parent's name (第三重型机械集团 | 临溪 | 锻造)
                # still weigh little.
                trade = _trade_beside(steps, lattice, layout, latin)
                extra = [c for c in extra if c in layout.placed or c not in trade]
            if _phrase_named(trade_words):
                # The trade name is a phrase the dictionary translates (新时代, "new age"),
                # met by its sound: many firms are named so, and what tells them apart is
                # their trade (新时代证券, a broker, is not "China Xinshidai Company"). Only
                # places and units weigh little.
                extra = [c for c in extra if c in layout.placed]
        elif any(step.pairs and step.alternative.source in _REGISTERED for step in steps):
            # The registry pairs these characters with the listed firm's English name: a
            # place or unit anywhere around them (深圳 | 华为技术有限公司) says only where
            # that firm stands, as a place added to a listed brand does in a Latin name.
            extra = [c for c in layout.placed if not char_credit[c]]
        else:
            # Found words before the place: not a legal form, nor the country that opens it.
            opening = 2 if lattice.han[:2] in cjk.glossary()["countries"] else 0
            extra = [
                c
                for c in layout.located
                if not char_credit[c]
                and any(char_credit[k] and not layout.legal[k] for k in range(opening, c))
            ]
        if not latin_legal and not _SEATS_OF_LEARNING.isdisjoint(latin):
            parts = _part_named_after(lattice, layout.parts, char_credit)
            extra += [c for c in parts if c not in extra]
        if one_body and layout.parented and not any(char_credit[c] for c in layout.parented):
            # A public body named before its unit, which the listed name does not say, and
            # which names one body (``one_body``), as "Electronics Institute" does not.
            extra += [c for c in layout.parented if c not in extra]
        relieved = {c: min(weights[c], QUALIFIER_WEIGHT / 2) for c in extra}
        scale = min(1.0, QUALIFIER_CAP / (sum(relieved.values()) or 1.0))
        weights = tuple(relieved[c] * scale if c in relieved else w for c, w in enumerate(weights))
    if layout.parented:
        # A public body both names say (中国科学院, "Chinese Academy of Sciences") says whose
        # unit each is, not which: only the units' own words tell them apart, so on both
        # sides the body weighs as a place does.
        from chipbridge.screening.score import QUALIFIER_WEIGHT

        inside = max(layout.parented) + 1
        # Said as the body, not a word of it met by chance (解放军, PRC armed forces, meets
        # the "forces" of "National Defense Forces").
        shared = {
            j
            for step in steps
            if step.segment.end <= inside and share_found(step.alternative, step.pairs) >= WHOLE
            for _, j, _ in step.pairs
        }
        if shared:
            light = QUALIFIER_WEIGHT / 2
            lighter = [min(w, light) if j in shared else w for j, w in enumerate(latin_weights)]
            latin_coverage = sum(w * sim for w, sim in zip(lighter, latin_sim, strict=True)) / (
                sum(lighter) or 1.0
            )
            weights = tuple(
                min(w, light) if c in layout.parented else w for c, w in enumerate(weights)
            )
    han_total = sum(weights) or 1.0
    han_coverage = sum(w * c for w, c in zip(weights, char_credit, strict=True)) / han_total
    steps.sort(key=lambda s: s.segment.start)
    return Alignment(latin_coverage, han_coverage, tuple(steps), unsaid_place)


# Readings of a trade name as it is spelt or named: its pinyin, a proper name's reading.
_NAMED_TRADE = frozenset({"pinyin", "CC-CEDICT name"})


def _mainland_unsaid(
    steps: Sequence[Step],
    layout: Plan,
    latin_weights: Sequence[float],
    places: frozenset[int],
    met: set[int],
    legal_weight: float,
) -> bool:
    """Whether a Chinese name that says no place leaves a listed mainland place unsaid (see
    :func:`mainland_places`). A registered name says its city or province in both scripts,
    and a trade name is unique only within its register's region, so firms of one trade
    name stand in many cities: the place is what tells them apart. It tells nothing more
    only when the rest of the listed name is met in full: its trade name, of two characters
    at least, read as it is spelt or named (齐旺达 as "Qiwangda"; not a character's other
    reading, nor a translation's guess), every other word weighing more than a legal form,
    and at least one such word besides the trade name (石化 as "Petrochemical"): a listed
    name of a place and a trade name alone ("Dandong Chengtai") leaves a name that many
    firms bear. Each of those words is met as spelt or translated, not by a near spelling
    of a translation: with the place gone, nothing else vouches for a near word."""
    named = [
        step
        for step in steps
        if step.pairs
        and step.alternative.source in _NAMED_TRADE
        and len(step.pairs) == len(step.alternative.words)
        and not all(c in layout.described for c in range(step.segment.start, step.segment.end))
    ]
    if sum(len(step.segment.han) for step in named) < MIN_TRADE_CHARS:
        return False
    trade = {j for step in named for _, j, _ in step.pairs}
    best: dict[int, float] = {}
    for step in steps:
        for _, j, sim in step.pairs:
            best[j] = max(sim, best.get(j, 0.0))
    rest = [j for j, w in enumerate(latin_weights) if j not in places and w > legal_weight]
    return all(best.get(j, 0.0) >= _SPELLED_OUT for j in rest) and any(j not in trade for j in rest)


# How closely every listed word besides a place left unsaid must be met: as spelt (pinyin)
# or translated, not a near spelling of a translation (电气 "electric" for "Electronic").
_SPELLED_OUT = SOURCE_SIMILARITY["pinyin"]


# Readings that stand for a short name's words without showing them.
_SHORT_NAMES = frozenset({"group acronym", "short name"})


def _select(
    candidates: Sequence[tuple[float, int, Step]],
) -> tuple[list[Step], set[int], set[int]]:
    """:func:`align`'s steps, best value first, each taking characters and listed words no
    step before it took; with the characters and listed words taken."""
    taken_chars: set[int] = set()
    taken_latin: set[int] = set()
    # Listed words a registry name found: the firm's whole English name may stand for its
    # brand (海康威视 -> Hangzhou Hikvision Digital Technology), and the query may say those
    # words again around it (杭州 | 海康威视 | 数字 | 技术): they explain those characters too.
    registered: set[int] = set()
    steps: list[Step] = []
    for _, _, step in candidates:
        chars = range(step.segment.start, step.segment.end)
        if any(c in taken_chars for c in chars):
            continue
        kept = tuple(p for p in step.pairs if p[1] not in taken_latin)
        if not kept:
            if not all(p[1] in registered for p in step.pairs):
                continue
            kept = step.pairs
        elif step.alternative.source in _REGISTERED:
            registered.update(j for _, j, _ in kept)
        taken_chars.update(chars)
        taken_latin.update(j for _, j, _ in kept)
        steps.append(Step(step.segment, step.alternative, kept))
    return steps, taken_chars, taken_latin


def _read_apart(
    candidates: Sequence[tuple[float, int, Step]],
    apart: set[int],
    chosen: tuple[list[Step], set[int], set[int]],
    latin_weights: Sequence[float],
) -> tuple[list[Step], set[int], set[int]]:
    """:func:`_select` without the segments ``apart`` (by id) and without guesses, where it
    finds more of the listed name than ``chosen`` does; else ``chosen``."""
    other = _select(
        [
            c
            for c in candidates
            if id(c[2].segment) not in apart and c[2].alternative.source not in GUESSES
        ]
    )
    return other if _found(other[0], latin_weights) > _found(chosen[0], latin_weights) else chosen


def _compounds(candidates: Sequence[tuple[float, int, Step]]) -> set[int]:
    """The segments (by id) of MIN_COMPOUND characters or more among ``candidates``, read by
    a dictionary's translation, that hold a shorter candidate's segment: words whose own
    words meet listed words too. Not a registry name (大疆创新科技), which is paired whole."""
    spans = {(c[2].segment.start, c[2].segment.end) for c in candidates}
    return {
        id(segment)
        for _, _, step in candidates
        if (segment := step.segment).end - segment.start >= MIN_COMPOUND
        and step.alternative.source in _DICTIONARY_WORDS
        and any(
            segment.start <= i < j <= segment.end and (i, j) != (segment.start, segment.end)
            for i, j in spans
        )
    }


def _found(steps: Sequence[Step], latin_weights: Sequence[float]) -> float:
    """The weight of the listed words ``steps`` meet, each at its best similarity."""
    best: dict[int, float] = {}
    for step in steps:
        for _, j, sim in step.pairs:
            best[j] = max(best.get(j, 0.0), sim)
    return sum(latin_weights[j] * sim for j, sim in best.items())


def _said_again(
    steps: Sequence[Step],
    lattice: Lattice,
    latin: Sequence[str],
    positions: Mapping[str, Sequence[int]],
    taken: set[int],
    matcher: WordMatcher,
) -> list[Step]:
    """Listed words that a character of a short name stands for, said again beside it: a
    group's subsidiary repeats a word of the group's name (中国航发动力 for "AECC Aviation
    Power": 航 in 中国航发, AECC, is the head of 航空, aviation). Each is met by that
    character's reading as a word's head (a guess), as it would be were the character not
    part of the short name. Only words no other step met; ``taken`` grows with them."""
    short = [step for step in steps if step.pairs and step.alternative.source in _SHORT_NAMES]
    if not short:
        return []
    lone = {(s.start, s.end): s for s in lattice.segments if s.end - s.start == 1}
    found: list[Step] = []
    for step in short:
        for c in range(step.segment.start, step.segment.end):
            segment = lone.get((c, c + 1))
            if segment is None:
                continue
            for alternative in segment.alternatives:
                if alternative.source != "abbreviation" or len(alternative.words) != 1:
                    continue
                best = max(
                    (
                        (sim, j)
                        for listed, sim in matcher(alternative.words[0], False)
                        for j in positions.get(listed, ())
                        if j not in taken
                    ),
                    default=None,
                )
                if best is not None:
                    sim = best[0] * SOURCE_SIMILARITY["abbreviation"]
                    taken.add(best[1])
                    found.append(Step(segment, alternative, ((0, best[1], sim),)))
                    break
    return found


def _trade_beside(
    steps: Sequence[Step], lattice: Lattice, layout: Plan, latin: Sequence[str]
) -> frozenset[int]:
    """The characters of the run of trade words (glossary terms: 国际 | 船舶 | 管理) that
    holds a word meeting the listed name's own trade (船舶, "Shipping"), up to a place, a
    unit, a descriptor (集团), a legal form or a trade name on either side; none when the
    listed name says no trade the query meets."""
    terms = _term_words()
    met = {
        c
        for step in steps
        if any(latin[j] in terms for _, j, _ in step.pairs)
        for c in range(step.segment.start, step.segment.end)
    }
    if not met:
        return frozenset()

    def trade_word(segment: Segment) -> bool:
        chars = range(segment.start, segment.end)
        return (
            all(c in layout.described and c not in layout.placed for c in chars)
            and segment.han not in _descriptors()
            and not segment.legal
        )

    run: set[int] = set()
    path = lattice.path
    for i, segment in enumerate(path):
        if met.isdisjoint(range(segment.start, segment.end)) or not trade_word(segment):
            continue
        low = high = i
        while low > 0 and trade_word(path[low - 1]):
            low -= 1
        while high + 1 < len(path) and trade_word(path[high + 1]):
            high += 1
        run.update(range(path[low].start, path[high].end))
    return frozenset(run)


def _other_senses(
    steps: Sequence[Step],
    latin: Sequence[str],
    positions: Mapping[str, Sequence[int]],
    taken: set[int],
    matcher: WordMatcher,
    listed_kinds: frozenset[str],
) -> list[Step]:
    """Listed words that translate a word twice: beside a listed word a translated word met,
    another of its senses meets the next word no step met (能源, energy and power source:
    "Energy Sources"), as align's readings meet them (not by a function word alone, nor by
    a sense that says another kind of business than the listed name's: ``listed_kinds``).
    ``taken`` grows with them."""
    found: list[Step] = []
    for step in steps:
        if not step.pairs or step.alternative.source not in _DICTIONARY_WORDS:
            continue
        met = {j for _, j, _ in step.pairs}
        beside = {j for k in met for j in (k - 1, k + 1)} - taken - met
        if not beside:
            continue
        for alternative in step.segment.alternatives:
            if alternative is step.alternative or alternative.source not in _DICTIONARY_WORDS:
                continue
            best = max(
                (
                    (sim, w, j)
                    for w, word in enumerate(alternative.words)
                    if word not in _UNINITIALLED
                    for listed, sim in matcher(word, False)
                    for j in positions.get(listed, ())
                    if j in beside and j not in taken
                ),
                default=None,
            )
            if best is None:
                continue
            sim, w, j = best
            pairs = ((w, j, sim),)
            if not _contradicts(alternative, pairs, listed_kinds):
                taken.add(j)
                found.append(Step(step.segment, alternative, pairs))
    return found


# The kind of place a place's name may end on (深圳市, 广东省).
_PLACE_KINDS = frozenset({"市", "省", "区", "县"})


def _brand_sounds(
    steps: Sequence[Step],
    lattice: Lattice,
    latin: Sequence[str],
    taken: set[int],
    legal: Sequence[bool],
    sounding: Sequence[tuple[Segment, Alternative, float]],
    positions: Mapping[str, Sequence[int]],
    matcher: WordMatcher,
) -> list[Step]:
    """A firm's trade name and the Latin brand made to sound like it (美亚柏科, "Meiya
    Pico"): a run of characters no step explained, between two found pieces of the name,
    facing the one listed word left between those pieces' counterparts, when that word has
    the run's sound skeleton (``sounding``: the plan's readings from
    :func:`brand_sound_readings`, with their factors), long enough to stand alone
    (:func:`soundalike.alone`) unless a piece beside it is a trade name. ``taken`` grows
    with the words met."""
    readings = char_readings()
    covered = {c for step in steps for c in range(step.segment.start, step.segment.end)}
    ends = {step.segment.end: step for step in steps if step.pairs}
    starts = {step.segment.start: step for step in steps if step.pairs}
    found: list[Step] = []
    for segment, alternative, factor in sounding:
        start, end = segment.start, segment.end
        if any(c in covered or legal[c] for c in range(start, end)):
            continue
        # The piece before may be a place that ends on its kind, no listed word's (深圳市 |
        # 瑞明).
        before = ends.get(start) or next(
            (
                step
                for at, step in ends.items()
                if step.alternative.source == "place" and lattice.han[at:start] in _PLACE_KINDS
            ),
            None,
        )
        after = starts.get(end)
        if before is None or after is None:
            continue  # not the whole run left between two found pieces
        low = max(j for _, j, _ in before.pairs) + 1
        high = min(j for _, j, _ in after.pairs)
        if high - low != 1 or low in taken or latin[low] in _place_words():
            continue
        beside_trade = any(s.alternative.source in _TRADE_NAMES for s in (before, after))
        first, last = (readings[char][0] for char in (segment.han[0], segment.han[-1]))
        if not beside_trade and not soundalike.alone(latin[low], first, last):
            continue
        sims = [
            sim
            for listed, sim in matcher(alternative.words[0], False)
            if low in positions.get(listed, ())
        ]
        if sims:
            taken.add(low)
            covered.update(range(start, end))
            found.append(Step(segment, alternative, ((0, low, max(sims) * factor),)))
    return found


def brand_sound_readings(lattice: Lattice) -> tuple[tuple[Segment, Alternative], ...]:
    """Each run of two to MAX_PINYIN_SPAN characters among those the segmenter leaves alone
    (a trade name of no dictionary word: 奥 | 普 | 泰), read as its sound skeleton
    (:mod:`chipbridge.screening.soundalike`) for :func:`align` to fill a slot with. Not in a
    person's name, whose given name any word may echo, nor in a legal form."""
    if _person_spans(lattice):
        return ()
    table = char_readings()
    lone = [False] * len(lattice.han)
    for segment in lattice.path:
        if segment.end - segment.start == 1 and not segment.legal and segment.han in table:
            lone[segment.start] = True
    out: list[tuple[Segment, Alternative]] = []
    for start in range(len(lone)):
        if not lone[start]:
            continue
        for end in range(start + 2, min(len(lone), start + MAX_PINYIN_SPAN) + 1):
            if not lone[end - 1]:
                break
            run = lattice.han[start:end]
            word = soundalike.key([table[char] for char in run])
            if word:
                alternative = Alternative((word,), "brand sound")
                out.append((Segment(start, end, run, (alternative,)), alternative))
    return tuple(out)


def _trade_name_words(steps: Sequence[Step], layout: Plan) -> list[Segment]:
    """The segments of the trade name found: met as a name is (by its sound, a dictionary
    name, a compound), not as a place or a term."""
    return [
        step.segment
        for step in steps
        if step.pairs
        and step.alternative.source in _TRADE_NAMES
        and not all(c in layout.described for c in range(step.segment.start, step.segment.end))
    ]


def _phrase_named(named: Sequence[Segment]) -> bool:
    """Whether every word of a trade name found (:func:`_trade_name_words`) is a phrase the
    dictionary or the glossary also translates: a common phrase, not a coined name."""
    return bool(named) and all(
        any(a.source in ("CC-CEDICT", "glossary") and a.words for a in segment.alternatives)
        for segment in named
    )


def _another_trade(
    latin: Sequence[str],
    latin_sim: Sequence[float],
    lattice: Lattice,
    char_credit: Sequence[float],
) -> bool:
    """Whether the listed name says a trade the query does not, so the query names another
    business: a glossary term's word left unmet ("Bank" in "Huali Bank"), or a trade that
    lists add to names at will and a Chinese name leaves unsaid ("Technology": glossary
    ``unsaid_trades``) beside a term of the query's own left unmet (物流 logistics in
    凯凯物流 against "Kaikai Technology"). The word unsaid beside the query's trade is not
    left out but contradicted, as "Kaikai Logistics" is not "Kaikai Technology" in Latin."""
    unmet = [word for j, word in enumerate(latin) if not latin_sim[j]]
    if any(word in _term_words() for word in unmet):
        return True
    if not any(word in _unsaid_trades() for word in unmet):
        return False
    return any(
        any(a.source == "glossary" for a in segment.alternatives)
        and not qualifier(segment)
        and not segment.legal
        and segment.han not in generic_words()
        and not any(char_credit[c] for c in range(segment.start, segment.end))
        for segment in lattice.path
    )


@cache
def _kinds() -> frozenset[str]:
    """Words for a kind of business (glossary ``unsaid_trades`` and ``said_by_descriptors``:
    technology, industry, holding)."""
    return _unsaid_trades() | _said_by_descriptors()


def _contradicts(
    alternative: Alternative, pairs: Sequence[tuple[int, int, float]], listed: frozenset[str]
) -> bool:
    """Whether a reading met in part says a kind of business where the listed name says
    another: "science and technology" (科技) meets the "Science and" of "Aerospace Science
    and Industry" and contradicts its "Industry", as 科工 would not. Such a reading is
    another term, and meets nothing."""
    if not listed:
        return False
    met = {w for w, _, _ in pairs}
    return any(
        word in _kinds() and w not in met and word not in listed
        for w, word in enumerate(alternative.words)
    )


def _field_unmet(words: Sequence[str], pairs: Sequence[tuple[int, int, float]]) -> bool:
    """Whether a reading of a body "of" a field (理工大学, "institute of technology") is met
    with none of its field's words: the field is what the reading means, and "Institute of"
    alone is in the name of any institute."""
    field = _field(words)
    return bool(field) and not any(w in field for w, _, _ in pairs)


@cache
def short_name_unsaid() -> frozenset[str]:
    """Kinds of business a name without its legal form leaves out (trading, manufacturing)."""
    return frozenset(cjk.glossary()["short_name_unsaid"])


@cache
def _unsaid_trades() -> frozenset[str]:
    """Trades a list adds to a name at will (Technology), which a Chinese name need not say."""
    return frozenset(cjk.glossary()["unsaid_trades"])


def char_weights(
    lattice: Lattice, weigh: Callable[[str], float], legal_weight: float, full: bool = False
) -> tuple[tuple[float, ...], tuple[bool, ...]]:
    """What each character of the name weighs, and which belong to a legal form.

    A character weighs its share of the best-path segment that holds it. A segment weighs
    its lightest translation (glossary, place, dictionary, registry, numeral: 中国 weighs
    what "China" weighs although "zhongguo" is rare on the lists); untranslated segments
    next to each other (中芯, 旷视) are one name, which weighs its joined pinyin, as rare as
    an unknown word; a person's name weighs its surname and given-name readings. A legal
    form's characters weigh the legal-form weight and count as found; descriptors (集团, 工业)
    and the country (中国) weigh no more than a legal form. The same for every listed name a
    query is compared with, so it is worked out once per query. With ``full``, the country,
    descriptors and words a Chinese name usually leaves unsaid weigh what their translations
    weigh (see :func:`match_han`: a description has nothing else to say); legal forms still
    weigh the legal-form weight.
    """
    size = len(lattice.han)
    weight_of = [0.0] * size
    pieces: list[tuple[int, int, float]] = []  # (start, end, weight)
    run: list[Segment] = []

    def close_run() -> None:
        if run:
            spoken = "".join(_pinyin_word(s) for s in run)
            pieces.append((run[0].start, run[-1].end, weigh(spoken) if spoken else 0.0))
            run.clear()

    personal = _person_spans(lattice)
    implicit = _implicit()
    for segment in personal or lattice.path:
        readings = [
            sum(
                min(weigh(w), legal_weight) if w in implicit and not full else weigh(w)
                for w in a.words
            )
            for a in segment.alternatives
            if a.words and a.source in _TRANSLATIONS
        ]
        if readings and not personal:
            close_run()
            pieces.append((segment.start, segment.end, min(readings)))
        elif personal:
            spoken = [a for a in segment.alternatives if a.source in ("surname", "pinyin")]
            weight = min(sum(weigh(w) for w in a.words) for a in spoken) if spoken else 0.0
            pieces.append((segment.start, segment.end, weight))
        else:
            run.append(segment)
    close_run()
    for start, end, weight in pieces:
        for c in range(start, end):
            weight_of[c] = weight / (end - start)
    legal = [False] * size
    for segment in lattice.segments:
        span = segment.end - segment.start
        if segment.legal:
            legal[segment.start : segment.end] = [True] * span
        if segment.legal or (segment.han in generic_words() and not personal and not full):
            for c in range(segment.start, segment.end):
                weight_of[c] = min(weight_of[c], legal_weight / span)
    return tuple(weight_of), tuple(legal)


# Readings that translate a segment (rather than spell it out or guess at it).
_TRANSLATIONS = frozenset(
    {"glossary", "place", "CC-CEDICT", "CC-CEDICT name", "alias registry", "numeral", "legal"}
)


def _pinyin_word(segment: Segment) -> str:
    """A segment's joined pinyin (its first one-word pinyin reading)."""
    for a in segment.alternatives:
        if a.source == "pinyin" and len(a.words) == 1:
            return a.words[0]
    return ""


def _person_spans(lattice: Lattice) -> tuple[Segment, ...]:
    """The surname and given-name segments of a lattice read as a person's, else nothing."""
    for segment in lattice.segments:
        if segment.start == 0 and any(a.source == "surname" for a in segment.alternatives):
            given = [
                s for s in lattice.segments if (s.start, s.end) == (segment.end, len(lattice.han))
            ]
            return (segment, *given[:1])
    return ()


def _cuts_legal_form(segment: Segment, legal_spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a segment reads part of a legal form as a name (有限 in 有限公司, 公司 alone).

    A segment holding a whole legal form and more (a registry name such as
    北京旷视科技有限公司) is not cut off: it stands for the name as registered.
    """
    span = (segment.start, segment.end)
    return any(_cuts(span, legal) or span == legal for legal in legal_spans)


def words(lattice: Lattice) -> set[str]:
    """Every Latin word any alternative of the lattice offers (for gathering candidates)."""
    return {w for s in lattice.segments for a in s.alternatives for w in a.words}


def said_words(lattice: Lattice) -> frozenset[str]:
    """The Latin words the readings of a name's own segments offer, guesses aside (中 read
    "middle" by its character's sense): not its legal form, its country or descriptors (中国,
    集团), nor the words a Chinese name leaves unsaid (China, group, of), which any name may
    say."""
    return (
        frozenset(
            w
            for s in lattice.segments
            if not s.legal and s.han not in generic_words()
            for a in s.alternatives
            if a.source != "legal" and a.source not in GUESSES
            for w in a.words
        )
        - _implicit()
    )


def describe(steps: Sequence[Step], latin: Sequence[str]) -> str:
    """The path of a match: 航天 -> aerospace (glossary); 中芯 -> zhongxin (pinyin)."""
    return "; ".join(step.describe(latin) for step in steps)


# A listed acronym and the words it stands for, as the lists spell it out: "China State
# Shipbuilding Corporation" with its alias "CSSC", "China Aerospace Science and Technology
# Corporation (CASC) 1st Academy". An acronym has this many letters; one letter of four or
# more may stand for no word (AVIC: AViation Industry Corporation of China), and this many
# words of the run may have no letter (CGN: China General Nuclear Power).
ACRONYM_LETTERS = (3, 7)
MAX_UNLETTERED = 2
# A group's short name keeps one character of each of this many words (中船 for 中国船舶,
# 中国电科 for 中国电子科技, the country whole).
GROUP_UNITS = (2, 3)


@dataclass(frozen=True, slots=True)
class GroupAcronym:
    """A listed acronym, every word of the name it spells, and the distinctive ones."""

    acronym: str
    words: frozenset[str]
    distinctive: frozenset[str]


# Distinctive word -> the listed acronyms whose spelled-out name holds it.
GroupAcronyms = dict[str, tuple[GroupAcronym, ...]]


def spells(acronym: str, words: Sequence[str]) -> bool:
    """Whether ``acronym`` spells the initials of ``words`` in order, from the first word (see
    ACRONYM_LETTERS and MAX_UNLETTERED); "of" and "and" have no letter."""
    lettered = [w for w in words if w not in _UNINITIALLED]
    if not lettered or acronym[0] != lettered[0][0]:
        return False
    at, missed, used = 0, 0, 0
    for letter in acronym:
        found = next((k for k in range(at, len(lettered)) if lettered[k][0] == letter), None)
        if found is None:
            missed += 1
        else:
            at, used = found + 1, used + 1
    allowed = 1 if len(acronym) >= 4 else 0
    return missed <= allowed and used >= 3 and len(lettered) - used <= MAX_UNLETTERED


def group_acronyms(index: NameIndex) -> GroupAcronyms:
    """The acronyms the listed bodies spell out (see :class:`GroupAcronym`), made once when
    the index is built: an acronym that is a whole name of an entry, spelled by one of its
    other names; or one that follows, inside a name, the words it spells from the name's
    start ("China Aerospace Science and Technology Corporation (CASC) 1st Academy"). A
    group's subsidiaries carry its acronym in their listed names (CSSC Xijiang Shipbuilding)
    and its short name in their Chinese ones (中船西江造船): :func:`with_group_acronyms`
    reads one into the other. Acronyms the index derived itself are not the list's."""
    from chipbridge.screening.index import _KINDS
    from chipbridge.screening.model import AliasKind

    derived = _KINDS.index(AliasKind.DERIVED)
    low, high = ACRONYM_LETTERS
    # Entries with a one-word name that may be an acronym (most names are not looked at).
    short: dict[int, list[str]] = {}
    for n_idx, tokens in enumerate(index.name_tokens):
        if low <= len(tokens) <= high and tokens.isalpha() and index.name_kind[n_idx] != derived:
            short.setdefault(index.name_entry[n_idx], []).append(tokens)
    implicit = _implicit()
    table: dict[str, dict[str, GroupAcronym]] = {}
    for n_idx, tokens in enumerate(index.name_tokens):
        e_idx = index.name_entry[n_idx]
        acronyms = short.get(e_idx, ())
        if not acronyms and tokens.count(" ") < 3:
            continue
        if index.entry_type[e_idx] == EntityType.PERSON.value:
            continue
        name = tokens.split(" ")
        # Spelled by a whole name, or followed by its acronym inside this one.
        tried = [(a, name) for a in acronyms if len(name) >= 3]
        tried += [(t, name[:j]) for j, t in enumerate(name) if j >= 3 and low <= len(t) <= high]
        for acronym, run in tried:
            if acronym[0] != run[0][0] or not acronym.isalpha() or acronym in run:
                continue
            distinctive = frozenset(run) - implicit - _UNINITIALLED
            # A short name of GROUP_UNITS characters says at most so many words.
            if 0 < len(distinctive) <= max(GROUP_UNITS) and spells(acronym, run):
                group = GroupAcronym(acronym, frozenset(run), distinctive)
                for word in distinctive:
                    table.setdefault(word, {})[acronym + " " + " ".join(run)] = group
    return {word: tuple(groups.values()) for word, groups in table.items()}


@cache
def _word_heads() -> dict[str, frozenset[str]]:
    """Character -> the English words of the longer glossary terms one of whose words it
    begins (航空发动机 is 航空 | 发动机, aero engine: 航 and 发 may each stand for aero or
    engine, as 航发 does in 中国航发)."""
    out: dict[str, set[str]] = {}
    for term, alternatives in glossary_alternatives().items():
        if len(term) < 3 or any(a.source == "legal" for a in alternatives):
            continue
        english = {w for a in alternatives for w in a.words}
        for token in tokenizer().tokenize(term):
            out.setdefault(token.surface[0], set()).update(english)
    return {char: frozenset(words) for char, words in out.items()}


def _spelled_by(units: Sequence[frozenset[str]], group: GroupAcronym) -> bool:
    """Whether each unit of a short name can stand for its own word of ``group``'s name, the
    distinctive ones all among them (中航 for China Aviation; 中航航 is not, its second 航
    having no word left)."""
    options = [sorted(read & group.words) for read in units]
    return any(
        len(set(chosen)) == len(chosen) and group.distinctive <= set(chosen)
        for chosen in itertools.product(*options)
    )


def with_group_acronyms(index: NameIndex, lattice: Lattice) -> Lattice:
    """``lattice`` with the listed acronyms its opening short name may stand for (中船 ->
    CSSC, 中国核 -> CNNC): each character of the short name is read as the words it begins
    (船 -> shipbuilding, ship; the country as itself), and a listed acronym is a reading when
    each character stands for its own word of the name the acronym spells and the name's
    distinctive words are all among them. A guess: it supports a match, never makes one alone."""
    if not lattice.han or _person_spans(lattice):
        return lattice
    legal = {c for s in lattice.segments if s.legal for c in range(s.start, s.end)}
    units: list[tuple[int, frozenset[str]]] = []  # (end, words the unit may stand for)
    at = 0
    countries = cjk.glossary()["countries"]
    if lattice.han[:2] in countries:
        country = glossary_alternatives()[lattice.han[:2]]
        units.append((2, frozenset(w for a in country for w in a.words)))
        at = 2
    while at < len(lattice.han) and at not in legal and len(units) < max(GROUP_UNITS):
        char = lattice.han[at]
        heads = (*_abbreviations().get(char, ()), *glossary_alternatives().get(char, ()))
        read = frozenset(w for a in heads if a.source != "legal" for w in a.words)
        read |= _word_heads().get(char, frozenset())
        if not read:
            break
        at += 1
        units.append((at, read))
    table = index.group_acronyms
    # Words of the best path by their first character, with the English words they translate
    # to: a short name's last character may be its word written out (中国航空 for 中国航).
    written = {
        s.start: (s.end, _meaning(s)) for s in lattice.path if s.end - s.start > 1 and not s.legal
    }
    extra: dict[int, list[Alternative]] = {}
    for size in GROUP_UNITS:
        if len(units) < size:
            break
        chosen = [read for _, read in units[:size]]
        said = frozenset().union(*chosen)
        groups = {g for word in said for g in table.get(word, ())}
        end = units[size - 1][0]
        for group in sorted(groups, key=lambda g: g.acronym):
            if _spelled_by(chosen, group):
                reading = Alternative((group.acronym,), "group acronym")
                extra.setdefault(end, []).append(reading)
                whole, meaning = written.get(end - 1, (end, frozenset()))
                if whole > end and meaning & group.words:
                    extra.setdefault(whole, []).append(reading)
    if not extra:
        return lattice
    segments = {(s.start, s.end): s for s in lattice.segments}
    for end, found in extra.items():
        offer_segment(segments, (0, end), lattice.han[:end], found)
    ordered = tuple(sorted(segments.values(), key=lambda s: (s.start, s.end)))
    return Lattice(lattice.han, ordered, lattice.path)


# A translation is met split in two listed words ("Opto-Electronics" for optoelectronics)
# only where both halves are this many letters at least: "co operation" is no split.
MIN_SPLIT_HALF = 4


def with_split_words(index: NameIndex, lattice: Lattice) -> Lattice:
    """``lattice`` with each one-word translation that no listed name holds also read as the
    two listed words it splits into (光电 -> optoelectronics -> opto electronics; 微电子 ->
    micro electronics), and each translation of two words also read run together when a
    listed name writes it so (香港 -> hong kong -> "Hongkong"), as Latin queries meet split
    and run-together words."""
    postings = index.postings
    changed: dict[tuple[int, int], Segment] = {}
    for segment in lattice.segments:
        # Readings made only for the respellings the lists hold (most cuts are not).
        extra = [
            Alternative(respelled, a.source)
            for a in segment.alternatives
            for respelled in _respelled_words(a)
            if (len(a.words) > 1 or a.words[0] not in postings)
            and all(w in postings for w in respelled)
        ]
        if extra:
            span = (segment.start, segment.end)
            changed[span] = Segment(*span, segment.han, _unique([*segment.alternatives, *extra]))
    if not changed:
        return lattice

    def respelled(segment: Segment) -> Segment:
        return changed.get((segment.start, segment.end), segment)

    return Lattice(
        lattice.han, tuple(map(respelled, lattice.segments)), tuple(map(respelled, lattice.path))
    )


def respellings(alternative: Alternative) -> list[Alternative]:
    """Every way :func:`with_split_words` may write a translation otherwise, whatever the
    lists hold: a one-word translation cut in two (halves of MIN_SPLIT_HALF letters at
    least), a two-word one run together."""
    return [Alternative(words, alternative.source) for words in _respelled_words(alternative)]


def _respelled_words(alternative: Alternative) -> list[tuple[str, ...]]:
    """The words of each of :func:`respellings`."""
    if alternative.source not in _WORDS:
        return []
    if len(alternative.words) == 2:
        return [("".join(alternative.words),)]
    if len(alternative.words) != 1:
        return []
    word = alternative.words[0]
    return [
        (word[:cut], word[cut:]) for cut in range(MIN_SPLIT_HALF, len(word) - MIN_SPLIT_HALF + 1)
    ]


# Readings that say what a word means.
_WORDS = _DICTIONARY_WORDS | {"place"}


def _meaning(segment: Segment) -> frozenset[str]:
    """The English words a segment translates to (see :data:`_WORDS`)."""
    return frozenset(w for a in segment.alternatives if a.source in _WORDS for w in a.words)


# How many listed names a Chinese query's lattice words may bring in to be aligned.
CANDIDATES = 48
# The index's kinds of entry as it stores them (see :func:`_firm`); an enum member's value
# is a property, slow to read once per candidate.
_COMPANY = EntityType.COMPANY.value
_UNKNOWN = EntityType.UNKNOWN.value
_BODIES = frozenset({EntityType.VESSEL.value, EntityType.AIRCRAFT.value})


@dataclass(frozen=True, slots=True)
class Match:
    """A listed name and a query aligned through a lattice (the query's or the name's)."""

    name: int  # index of the listed name
    score: float
    alignment: Alignment
    lattice: Lattice
    # The parent group's words opening the listed name, unsaid by the query and weighed as
    # qualifiers (see :func:`parent_relief`).
    parent: tuple[str, ...] = ()


def match_han(
    index: NameIndex, text: str, person: bool | None, floor: float, read_as_firm: bool = False
) -> list[Match]:
    """Listed (Latin) names a Chinese name may be, scored through its lattice.
    ``read_as_firm``: the name is known to be an organisation's (a Latin name read back from
    its pinyin, whose characters for a trade name's syllables are guesses by sound),
    whatever its words say.

    Candidates are the names holding a word some alternative offers (through the index's
    word matching: exact, plural, typo), rarest words first: a word on more than
    ``index.max_postings`` names only adds to names already found, so "China" or "group"
    cannot bring in a name on their own. Score as in :mod:`score`: the Chinese side (the
    query) counts QUERY_SHARE, the listed side the rest.
    """
    from chipbridge.screening.index import SOFT_WEIGHT, SORTED_SELECTION
    from chipbridge.screening.score import QUERY_SHARE

    read = build(text, person)
    if not read.segments:
        return []
    spellings = index.registry_spellings
    if spellings is None:
        spellings = registry_spellings()
    # A group's acronym read into its short name supports the names the other readings bring
    # in: brought in on its own, every subsidiary of a large group would crowd out the party.
    lattice = with_split_words(index, with_group_acronyms(index, read))
    matcher = word_matcher(index)
    gather = word_matcher(index, shortened=False)
    gains: dict[str, float] = {}
    idf = index.idf
    for word in words(read):
        # A listed word written short (Std.) supports a name brought in by its other words:
        # short words are rare, and as many would bring in names of their own as could.
        for listed, sim in gather(word, False):
            # The larger gain, without a call to max() per match.
            gain = idf[listed] * sim
            known = gains.get(listed)
            if known is None or gain > known:
                gains[listed] = gain
    accum: dict[int, float] = {}
    # Rarest first, equally rare words by spelling: the sums below then add up in the same
    # order in every process (``words`` is a set, walked in the string hash seed's order).
    ordered = sorted(gains, key=lambda t: (len(index.postings[t]), t))
    get = accum.get
    for listed in ordered:
        posting = index.postings[listed]
        gain = gains[listed]
        if len(posting) <= index.max_postings:
            if not accum:
                # The rarest word: one C-level fill, in posting order.
                accum.update(dict.fromkeys(posting, gain))
                continue
            # A plain loop, cheaper than accum.update(zip(posting, map(...))) at every
            # posting size (see index.candidates).
            for n_idx in posting:
                accum[n_idx] = get(n_idx, 0.0) + gain
        elif len(posting) <= 8 * len(accum):
            # Each name gets one addition per word, so the order names are visited in does
            # not matter: the set intersection finds them at C speed.
            for n_idx in accum.keys() & posting:
                accum[n_idx] += gain
        else:
            padded = f" {listed} "
            for n_idx in accum:
                if padded in f" {index.name_tokens[n_idx]} ":
                    accum[n_idx] += gain
    # A group's acronym adds to the names the readings brought in (中国航发 | 南方工业 for
    # "AECC South Industry", among the many names that 航's readings, aviation and aero,
    # bring in too).
    acronyms = {
        a.words[0]
        for seg in lattice.segments
        for a in seg.alternatives
        if a.source == "group acronym"
    }
    for group in acronyms - gains.keys():
        if group in index.postings and len(index.postings[group]) <= index.max_postings:
            gain = index.idf[group]
            for n_idx in index.postings[group]:
                if n_idx in accum:
                    accum[n_idx] += gain
    # Names written in Chinese are met through their plain reading instead; what they
    # gathered above changes no other name's sum. Initials the index derived from a listed
    # name are met by no Chinese reading but by chance: 佳泰 reads jiatai, the initials of
    # "Jamiat Ihia al-Turath al-Islamiya", and an acronym read from the query's own words
    # (上海电气集团 -> SEGC) is a second guess meeting the first.
    kind = _derived_kind()
    if index.derived_names is None or index.derived_names[0] != kind:
        # Made once per process (from the names' kinds, never pickled).
        index.derived_names = (
            kind,
            frozenset(n for n, k in enumerate(index.name_kind) if k == kind),
        )
    derived = index.derived_names[1]
    # Set intersections at C speed, each walking the names found (``keys() & frozenset``
    # would walk every derived name); the names left keep their order.
    for n_idx in [*derived.intersection(accum), *(index.han_lattices.keys() & accum.keys())]:
        del accum[n_idx]
    totals = index.name_total
    # -min(1, g / total) - g / 50, without a call per name: g < total gives g / total <= 1.
    keys = [-(g / t if g < (t := totals[n]) else 1.0) - g / 50 for n, g in accum.items()]
    # The CANDIDATES smallest (key, name) pairs (no two are equal: they differ in the name),
    # as sorted(pairs)[:CANDIDATES] gives them. The CANDIDATES-th smallest key is found
    # among the bare floats first, which sort faster than pairs (heapq.nsmallest is
    # sorted(...)[:n]'s documented equivalent, the cheaper of the two past
    # index.SORTED_SELECTION): only the pairs up to it, a few more than CANDIDATES at most
    # where keys tie, are made and sorted.
    if len(keys) > CANDIDATES:
        cutoff = (
            sorted(keys)[CANDIDATES - 1]
            if len(keys) <= SORTED_SELECTION
            else heapq.nsmallest(CANDIDATES, keys)[-1]
        )
        ranked = [(k, n) for k, n in zip(keys, accum, strict=True) if k <= cutoff]
    else:
        ranked = list(zip(keys, accum, strict=True))
    chosen = [n for _, n in sorted(ranked)[:CANDIDATES]]
    weigh = weigher(index)
    prepared = plan(lattice, weigh, SOFT_WEIGHT)
    readings_of = reach(prepared, matcher)
    common = common_word(read)
    nameless = _nameless(read)
    # One common word is weighed with its every word in full too, and a description with
    # its country: 中国 and 集团 are part of what they say (see below). Made when needed.
    full_plans: dict[bool, Plan] = {}

    def in_full(country_only: bool = False) -> Plan:
        if country_only not in full_plans:
            full = char_weights(lattice, weigh, SOFT_WEIGHT, full=True)[0]
            if country_only:
                countries = _country_chars(lattice)
                full = tuple(
                    w if c in countries else light
                    for c, (w, light) in enumerate(zip(full, prepared.weights, strict=True))
                )
            full_plans[country_only] = replace(prepared, weights=full)
        return full_plans[country_only]

    named_body = read_as_firm or organisation(read.path)
    # A name that says no place but its country (秉志国际, 鴻祥海運) leaves the listed name's
    # place unsaid, not contradicted (see unplaced).
    placeless = not any(is_place(s) and s.han not in cjk.glossary()["countries"] for s in read.path)
    short = short_name(read)
    # The share of the Chinese side's weight left once an opening 中国 weighs what "China"
    # weighs (0 when the name does not open with it).
    china = _china_share(read, prepared, weigh)
    spans = _person_spans(read)
    informal = named_body and not spans and not any(s.legal for s in read.path)
    unsaid_kinds = short_name_unsaid()
    firm_read = person is not True and named_body and not spans
    own = own_name(read) if firm_read else frozenset()
    # A name read as a person's, surname and given name (谭宇), is one person's: a listed
    # firm, ship or aircraft whose one word its surname reads (TAN S.A.) is not that person.
    person_read = person is not False and not named_body and len(spans) == 2
    # Many candidates meet the same readings (a surname's): their ceilings are computed once.
    ceilings: dict[tuple[tuple[int, ...], bool, bool], float] = {}
    parents = index.parent_groups
    person_type = EntityType.PERSON.value
    out: list[Match] = []
    for n_idx in chosen:
        listed_name = index.name(n_idx)
        # Each word's readings come in order, once (see reach): a name that meets the
        # lattice through one word, as most do, needs no merging.
        met = [readings_of[t] for t in listed_name.tokens if t in readings_of]
        only = tuple(met[0]) if len(met) == 1 else tuple(sorted({r for rs in met for r in rs}))
        # What the alignment could give at best, from the characters and words it may meet.
        firm = _firm(index.entry_type[listed_name.entry], listed_name)
        key = (only, bool(listed_name.legal), firm)
        ceiling = ceilings.get(key)
        if ceiling is None:
            ceiling = ceilings[key] = prepared.ceiling(
                only, frozenset(listed_name.legal), qualify=firm
            )
        han_ceiling = QUERY_SHARE * ceiling
        if han_ceiling + (1 - QUERY_SHARE) < floor:
            continue
        legal = frozenset(listed_name.legal)
        latin_weights = listed_weights(
            listed_name.tokens, listed_name.weights, SOFT_WEIGHT, bool(listed_name.legal)
        )
        # A kind of body the listed name spells ("Industry") is a word the Chinese name says
        # with a descriptor (工业) when it is that body: unsaid, it weighs in full (中国航空集团
        # is not the Aviation Industry Corporation of China).
        said = frozenset() if short else _said_by_descriptors()
        latin_weights = tuple(
            full if t in said and t not in readings_of else w
            for t, w, full in zip(
                listed_name.tokens, latin_weights, listed_name.weights, strict=True
            )
        )
        if informal and not unsaid_kinds.isdisjoint(listed_name.tokens):
            # A name without its legal form leaves its kind of business out as it leaves
            # the form: a listed word for it that no reading meets weighs as a legal form.
            latin_weights = tuple(
                min(w, SOFT_WEIGHT) if t in unsaid_kinds and t not in readings_of else w
                for t, w in zip(listed_name.tokens, latin_weights, strict=True)
            )
        places: frozenset[int] = frozenset()
        mainland: frozenset[int] = frozenset()
        if placeless and index.entry_type[listed_name.entry] != person_type:
            places = listed_places(index, n_idx, listed_name)
            mainland = mainland_places(index, n_idx, listed_name)
        # A person's name has no parent group (HUA, Shi Yu).
        unrelieved = latin_weights
        latin_weights, parent = (
            (latin_weights, ())
            if index.entry_type[listed_name.entry] == person_type
            else parent_relief(
                listed_name.tokens, latin_weights, parents, readings_of, index.postings
            )
        )
        # The most of the listed side align can find, with the parent relieved or not (it
        # may align twice): the words it can reach over the least total, places left unsaid
        # weighing less (see align's ``places``).
        reachable = 0.0
        for weighing in (latin_weights, unrelieved) if parent else (latin_weights,):
            reached = sum(
                w for t, w in zip(listed_name.tokens, weighing, strict=True) if t in readings_of
            )
            least = sum(unplaced(weighing, places, SOFT_WEIGHT)) if places else sum(weighing)
            reachable = max(reachable, min(1.0, reached / (least or 1.0)))
        if han_ceiling + (1 - QUERY_SHARE) * reachable < floor:
            continue
        one_body = bool(prepared.parented) and names_one_body(listed_name.tokens, index.postings)
        for weights in (latin_weights, unrelieved):
            alignment = align(
                listed_name.tokens,
                weights,
                lattice,
                matcher,
                weigh,
                SOFT_WEIGHT,
                legal,
                prepared,
                only,
                qualify=firm,
                one_body=one_body,
                places=places,
                mainland=mainland,
            )
            if not parent or unit_found(listed_name.tokens, weights, parent, alignment):
                break
            # The unit's own words are not all said plainly: the parent weighs in full.
            parent = ()
        latin_weights = weights
        if firm_read and _sounded_out_of_order(alignment):
            continue
        if index.entry_type[listed_name.entry] in _BODIES and any(
            step.alternative.source == "acronym" for step in alignment.steps
        ):
            # A ship's or aircraft's name is a mark or a name of its own, not the initials of
            # a body's words: 军事医学科学院 read "mma" is not the aircraft EP-MMA.
            continue
        if parents.misread(alignment, lattice, listed_name.tokens):
            continue
        if _spelled_otherwise(index, listed_name.entry, listed_name.tokens, alignment, read):
            continue
        if homophone(alignment, lattice.han, listed_name.tokens, spellings):
            continue
        score = QUERY_SHARE * alignment.han_coverage + (1 - QUERY_SHARE) * alignment.latin_coverage
        unsaid = unsaid_terms(listed_name.tokens, latin_weights, alignment, readings_of)
        if common is not None and _through(alignment, common):
            # The query is one common word: it says what kind of body, not which one, and
            # only the listed name's own coverage may make the hit. Its country and kind of
            # body (中国, 集团, 科技) weigh lightly where a registered name adds them to a name;
            # beside one common word they are all it says, and the ones the listed name does
            # not say count in full: 中国化工集团 (China Chemical Group) is not the listed
            # "Chemical Group" of another country, as in Latin it is not.
            score = min(
                score,
                listed_coverage(alignment, listed_name.weights),
                _weighed_in_full(
                    listed_name,
                    latin_weights,
                    lattice,
                    in_full(),
                    only,
                    firm,
                    matcher,
                    weigh,
                    one_body,
                    places,
                    mainland,
                ),
            )
        elif nameless or _described_only(alignment, lattice):
            # A query of places and common words names no firm; a listed firm whose own
            # name it does not say is not found by its description alone, nor is one whose
            # description's weightiest word it leaves out: 中国机械进出口 (China Machinery
            # Import and Export) is not China Precision Machinery Import-Export.
            if nameless and (
                _unsaid_trade_name(listed_name.tokens, latin_weights, alignment)
                or _weightiest_unsaid(listed_name.tokens, latin_weights, unsaid)
                or _unsaid_field(listed_name.tokens, unsaid)
            ):
                score = min(score, alignment.latin_coverage)
            # A description met by a description: its country is part of what it says, as
            # beside one common word (中国航空器材集团, China Aviation Supplies, is not the
            # listed "Aviation Equipment" of another country, as in Latin it is not).
            score = min(
                score,
                _weighed_in_full(
                    listed_name,
                    latin_weights,
                    lattice,
                    in_full(True),
                    only,
                    firm,
                    matcher,
                    weigh,
                    one_body,
                    places,
                    mainland,
                ),
            )
        if firm_read and _own_name_unmet(own, alignment):
            # The query names a firm (明科 in 深圳明科能源) and the listed name says none of
            # it, or only a guess at it (科 as the head of 科技): what meets the listed name
            # is the query's description, place and industry ("SZ Energy Technology"). The
            # hit may be no better than the share of the query it finds.
            score = min(score, alignment.han_coverage)
        if person_read and _half_a_given_name(alignment, spans[1]):
            # A given name is one name: 徐文斌 met as 徐 | 斌 is not XU, Bin (文 unmet).
            continue
        if person_read and not_a_person(index.entry_type[listed_name.entry], listed_name):
            # ... so the hit may be no better than the share of the name's characters it
            # meets.
            score = min(score, _characters_met(alignment, len(lattice.han)))
        score *= UNSAID_TERM ** min(len(unsaid), MAX_UNSAID)
        if (
            score >= floor
            and china
            and _CHINA_WORDS.isdisjoint(listed_name.tokens)
            and not any(step.pairs and step.segment.start < 2 for step in alignment.steps)
            and not _found_whole(alignment, listed_name)
        ):
            # The name opens with China (中国石油化工, Sinopec), which weighs as little as
            # a descriptor; against a listed name that does not say China, with nothing
            # meeting it (no registry name, no acronym) and not found whole, it is a word
            # left unmet, as "China" is in Latin: Sinopec is not Iran's "National
            # Petrochemical Company", while 中国昆仑石油化工 is "Kunlun Petrochemical".
            unmet = QUERY_SHARE * alignment.han_coverage * china
            score = min(score, unmet + (1 - QUERY_SHARE) * alignment.latin_coverage)
        if score >= floor and alignment.distinctive:
            out.append(Match(n_idx, min(1.0, score), alignment, lattice, parent))
    return out


def listed_places(index: NameIndex, n_idx: int, name: IndexedName) -> frozenset[int]:
    """Positions of the places a Chinese name may leave unsaid that a listed name says: Hong
    Kong and Macau anywhere, a mainland place that opens or closes it (see
    :func:`mainland_places`)."""
    return _listed_places(index, n_idx, name)[0]


def mainland_places(index: NameIndex, n_idx: int, name: IndexedName) -> frozenset[int]:
    """Positions of the mainland places of :func:`listed_places`: a run of Chinese places
    that opens a listed name, as a registered name's city or province does ("Shandong
    Qiwangda Petrochemical"), or closes it ("Reach Holding Group Shanghai"). Not a country
    ("China"), nor a place inside the name, which is more often a word that happens to name
    a town ("Beijing Haili Lianhe Keji": lianhe is "united"). A Chinese name leaves such a
    place unsaid only on :func:`_mainland_unsaid`'s terms."""
    return _listed_places(index, n_idx, name)[1]


def _listed_places(
    index: NameIndex, n_idx: int, name: IndexedName
) -> tuple[frozenset[int], frozenset[int]]:
    """:func:`listed_places` and :func:`mainland_places`, remembered per name."""
    found = index.listed_places.get(n_idx)
    if found is None:
        tables = (index.qualifiers, index.place_phrases, index.place_countries, index.nations)
        found = _places_in(name.tokens, *tables)
        index.listed_places.put(n_idx, found)
    return found


def possible_places(tokens: tuple[str, ...]) -> frozenset[int]:
    """Positions that :func:`listed_places` may give a listed name of these words on any
    list: an index counts a place word as a place only while few of its names hold it
    (qualifiers.qualifier_words), so this takes every place word. A delta re-screen's bound
    relieves them all: the delta's own few names are no guide to the whole list's."""
    return _places_in(tokens, *_every_place())[0]


@cache
def _every_place() -> tuple[frozenset[str], frozenset[str], dict[str, str], frozenset[str]]:
    """The qualifier tables of an index in which no place word is common."""
    words, phrases = qualifiers.qualifier_words({}, 0)
    return (
        words,
        phrases,
        qualifiers.place_countries(words, phrases),
        qualifiers.nation_names(words, phrases),
    )


def _places_in(
    tokens: tuple[str, ...],
    words: frozenset[str],
    phrases: frozenset[str],
    countries: dict[str, str],
    nations: frozenset[str],
) -> tuple[frozenset[int], frozenset[int]]:
    """:func:`listed_places` and :func:`mainland_places` of a name, with these qualifier
    tables (qualifiers.positions)."""
    _, located, national, _ = qualifiers.positions(tokens, words, phrases, countries, nations)
    mainland: set[int] = set()
    for run in (range(len(tokens)), range(len(tokens) - 1, -1, -1)):
        for j in run:
            if j in national or _MAINLAND not in located.get(j, ()):
                break
            mainland.add(j)
    places = frozenset(j for j, where in located.items() if where & _UNSAID_PLACES)
    return places | mainland, frozenset(mainland) - places


# Where a place a Chinese name may leave unsaid stands: Hong Kong and Macau firms add it to
# their English names ("Hongxiang Marine Hong Kong Ltd") and not to their Chinese ones
# (鸿祥海运有限公司); a place of that name elsewhere too (Macau, also in Brazil) counts. A
# mainland firm's registered name says its city in both (a made-up 海微通信科技 is not
# "Chengdu Haiwei Technology"): a Chinese name leaves it unsaid on narrower terms
# (_MAINLAND, _mainland_unsaid); a firm elsewhere says its place.
_UNSAID_PLACES = frozenset({"HK", "MO"})
_MAINLAND = "CN"


def _unsaid_places(places: frozenset[int], met: set[int]) -> frozenset[int]:
    """The places of ``places`` (positions) of which no word is met: a place met in part
    (德宏's hong meeting the Hong of "Hong Kong SAR") is not unsaid. A place is a run of
    adjacent positions."""
    return frozenset(j for run in _adjacent(places) if met.isdisjoint(run) for j in run)


def unplaced(
    weights: Sequence[float], places: frozenset[int], legal_weight: float
) -> tuple[float, ...]:
    """A listed name's word weights against a Chinese name that says no place of its own
    and whose trade name is found: the listed place (:func:`listed_places`: the Hong Kong of
    "Hongxiang Marine Hong Kong Ltd" against 鸿祥海运有限公司) weighs as a legal form does.
    Against a name that says another place it weighs in full, as it does against a
    description or a group's brand, which its regional arms share. ``legal_weight``: what a
    legal form weighs (index.SOFT_WEIGHT). A place of several words ("Hong Kong") is one
    place: together its words weigh as one legal form."""
    share = {j: legal_weight / len(run) for run in _adjacent(places) for j in run}
    return tuple(min(w, share[j]) if j in share else w for j, w in enumerate(weights))


def _adjacent(positions: frozenset[int]) -> list[list[int]]:
    """``positions`` in runs of adjacent ones."""
    runs: list[list[int]] = []
    for j in sorted(positions):
        if runs and j == runs[-1][-1] + 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    return runs


# The most characters of a listed firm's short name: the exchanges' limit (中航西飞).
MAX_SHORT_NAME = 4


def short_name(lattice: Lattice) -> bool:
    """Whether a name reads as a short name (中航西飞, 航天彩虹): an organisation's (not a
    person's) of at most MAX_SHORT_NAME characters, with no legal form and no word for a
    kind of body (集团, 工业, 科技). A short
    name leaves its kind of body unsaid, as a registered name does not: the "Industry" of
    "AVIC Xi'an Aircraft Industry Group" weighs as a word lists add, not in full."""
    return (
        len(lattice.han) <= MAX_SHORT_NAME
        and not _person_spans(lattice)
        and not any(s.legal or s.han in _descriptors() for s in lattice.path)
    )


def _found_whole(alignment: Alignment, listed_name: IndexedName) -> bool:
    """Whether a listed name of more than one distinctive word is found whole, so that words
    the query adds around it qualify it (score.score_name's qualifiers, in Latin)."""
    from chipbridge.screening.score import DISTINCTIVE

    distinctive = sum(1 for w in listed_name.weights if w >= DISTINCTIVE)
    return alignment.latin_coverage >= WHOLE and distinctive > 1


def _china_share(lattice: Lattice, layout: Plan, weigh: Callable[[str], float]) -> float:
    """What the Chinese side's coverage keeps when the name's opening country (中国, 中华)
    counts unmet at the weight of "China": its total over the total with that weight added
    (0.0 when the name does not open with the country). Worked out once per query."""
    if lattice.han[:2] not in cjk.glossary()["countries"]:
        return 0.0
    total = sum(layout.weights)
    return total / (total + weigh("china")) if total else 0.0


# Words with which an English name says China.
_CHINA_WORDS = frozenset({"china", "chinese", "sino", "prc", "zhongguo", "zhonghua"})


def _weightiest_unsaid(tokens: Sequence[str], weights: Sequence[float], unsaid: list[str]) -> bool:
    """Whether a word of ``unsaid`` weighs as much as any word of the listed name."""
    top = max(weights, default=0.0)
    return any(w >= top for t, w in zip(tokens, weights, strict=True) if t in unsaid)


def _unsaid_field(tokens: Sequence[str], unsaid: list[str]) -> bool:
    """Whether a word of the field a listed body is "of" is unsaid ("Electronic" in
    "University of Electronic Science and Technology of China"; see :func:`fields_studied`):
    a description that leaves it out (中国科学技术大学) names a body of another field."""
    return any(tokens[j] in unsaid for j in _field(tokens))


def _half_a_given_name(alignment: Alignment, given: Segment) -> bool:
    """Whether an alignment meets some of a given name's characters but not all, or reads
    it in syllables of which it meets some (文斌 as "wen bin" meeting "Bin")."""
    met: set[int] = set()
    for step in alignment.steps:
        if not step.pairs or step.segment.end <= given.start or step.segment.start >= given.end:
            continue
        if len({w for w, _, _ in step.pairs}) < len(step.alternative.words):
            return True
        met.update(range(max(step.segment.start, given.start), min(step.segment.end, given.end)))
    return 0 < len(met) < given.end - given.start


def _characters_met(alignment: Alignment, size: int) -> float:
    """The share of a name's ``size`` characters an alignment's steps read."""
    met = {c for step in alignment.steps for c in range(step.segment.start, step.segment.end)}
    return len(met) / (size or 1)


def _weighed_in_full(
    listed_name: IndexedName,
    latin_weights: Sequence[float],
    lattice: Lattice,
    in_full: Plan,
    only: Sequence[int],
    firm: bool,
    matcher: WordMatcher,
    weigh: Callable[[str], float],
    one_body: bool,
    places: frozenset[int] = frozenset(),
    mainland: frozenset[int] = frozenset(),
) -> float:
    """The score of a listed name aligned with a query whose words a registered name adds
    weigh what their translations weigh: ``in_full`` is the query's plan with its country,
    or its country and descriptors, weighed so (see :func:`char_weights`). The listed
    name's places weigh as :func:`align` weighs them (``places``, ``mainland``)."""
    from chipbridge.screening.index import SOFT_WEIGHT
    from chipbridge.screening.score import QUERY_SHARE

    whole = align(
        listed_name.tokens,
        latin_weights,
        lattice,
        matcher,
        weigh,
        SOFT_WEIGHT,
        frozenset(listed_name.legal),
        in_full,
        only,
        qualify=firm,
        one_body=one_body,
        places=places,
        mainland=mainland,
    )
    return QUERY_SHARE * whole.han_coverage + (1 - QUERY_SHARE) * whole.latin_coverage


def not_a_person(kind: str, name: IndexedName) -> bool:
    """Whether a listed name is a firm's (:func:`_firm`), a ship's or an aircraft's."""
    return kind in _BODIES or _firm(kind, name)


def _firm(kind: str, name: IndexedName) -> bool:
    """Whether a listed name is a firm's, whose place, industry and legal form a Chinese
    query may add (see :func:`align`'s ``qualify``): a listed person, vessel or aircraft
    whose name the query's trade name reads (泰金 -> "Jin Tai", a ship; 方宇 -> "Fang Yu")
    is not found in a firm that adds 厦门, 科技 and 有限公司 to it. A party of unknown kind
    is a firm unless its name is written as a Chinese person's or a ship's is: two or three
    words of pinyin syllables ("Fang Yu", "Zhongda Jin") and no legal form ("HWA Create" is
    a firm)."""
    if kind == _COMPANY:
        return True
    if kind != _UNKNOWN:
        return False
    syllables = pinyin_syllables()
    return (
        bool(name.legal)
        or not 2 <= len(name.tokens) <= 3
        or any(t not in syllables and not spells_pinyin(t) for t in name.tokens)
    )


# Readings that translate a common word (空军 -> air force, 电子 -> electronics, 研究所 ->
# research institute), not a name: a proper noun's gloss, a place, a spelling or a registry
# name says which body is meant.
_COMMON_WORDS = frozenset({"glossary", "CC-CEDICT", "character", "compound"})


def common_word(lattice: Lattice) -> Segment | None:
    """The one segment of a name that says nothing but a word (空军, 电子, 导弹 有限公司, 电子
    分公司, 浪潮 上海), or None: the best path holds no other segment but legal forms, generic
    words (中国, 集团), places and units (分公司 branch).
    Such a query names a kind of body, and many listed bodies hold its translation; where it
    stands adds no name to it."""
    said = [
        s for s in lattice.path if not s.legal and s.han not in generic_words() and not qualifier(s)
    ]
    return said[0] if len(said) == 1 else None


def _through(alignment: Alignment, segment: Segment) -> bool:
    """Whether the alignment meets the listed name only through ``segment`` read as a common
    word (see :data:`_COMMON_WORDS`), generic words and legal forms aside."""
    found = alignment.said()
    return bool(found) and all(
        (step.segment.start, step.segment.end) == (segment.start, segment.end)
        and step.alternative.source in _COMMON_WORDS
        for step in found
    )


def _country_chars(lattice: Lattice) -> frozenset[int]:
    """The characters of the country the name says (中国 in 中国航空器材集团)."""
    countries = cjk.glossary()["countries"]
    return frozenset(c for s in lattice.path if s.han in countries for c in range(s.start, s.end))


def _described_only(alignment: Alignment, lattice: Lattice) -> bool:
    """Whether the alignment reads the whole name as a description: every character but the
    legal forms and generic words is met, and met by a place or a common word (中国 | 航空 |
    器材 | 集团, found as "aviation equipment"), whatever the best path made of it
    (航空器 | 材; see :func:`_nameless`, which reads the best path)."""
    found = alignment.said()
    if not found or any(
        step.alternative.source not in _COMMON_WORDS and step.alternative.source != "place"
        for step in found
    ):
        return False
    met = {c for step in found for c in range(step.segment.start, step.segment.end)}
    return all(
        c in met
        for segment in lattice.path
        if not segment.legal and segment.han not in generic_words()
        for c in range(segment.start, segment.end)
    )


def _nameless(lattice: Lattice) -> bool:
    """Whether a name says nothing but places and common words (上海电子科技有限公司): every
    segment of its best path, legal forms and generic words aside, translates to a place or
    a common word, and none is a number or a proper noun or spells a name (pinyin alone)."""
    said = [s for s in lattice.path if not s.legal and s.han not in generic_words()]
    return bool(said) and all(_meaning(s) and not _names(s) for s in said)


def own_name(lattice: Lattice) -> frozenset[int]:
    """The characters of an organisation's name that name it rather than describe it: those
    of the best path's proper nouns and numbers and of its segments that translate to
    nothing (明科 in 深圳明科能源, read as sound or guessed at one character at a time), but
    none of a place, a term, a legal form, the country or a descriptor (深圳市 is a proper
    noun of the dictionary; 深圳 is a place and 市 a descriptor), in runs of two characters
    at least. Empty for a description (see :func:`_nameless`)."""
    described = {
        c
        for s in lattice.segments
        if s.legal
        or s.han in generic_words()
        or any(a.source in ("place", "glossary") for a in s.alternatives)
        for c in range(s.start, s.end)
    }
    chars = sorted(
        c
        for s in lattice.path
        if not _meaning(s) or _names(s)
        for c in range(s.start, s.end)
        if c not in described
    )
    # A name is MIN_TRADE_CHARS characters at least: one left between terms is a word the
    # dictionary does not gloss (与, "and", in 海洋防务与信息对抗), not a name. One right
    # after the place a name opens with stands where the law puts the trade name: the
    # segmenter gave the name's other character to the term after it (北京 | 宇 | 光电子 for
    # 北京宇光电子, Yuguang Electronics).
    opening = lattice.path[0].end if lattice.path and is_place(lattice.path[0]) else -1
    runs: list[list[int]] = []
    for c in chars:
        if runs and runs[-1][-1] == c - 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return frozenset(
        c for run in runs if len(run) >= MIN_TRADE_CHARS or run[0] == opening for c in run
    )


# Readings that meet a listed name as a name: by its sound, a proper noun's or a
# compound's gloss, the registry, a number (not a guess, nor a translated common word).
_NAMING = _TRADE_NAMES | _REGISTERED | {"numeral", "surname"}


def _own_name_unmet(own: frozenset[int], alignment: Alignment) -> bool:
    """Whether a query names itself (:func:`own_name`) and the alignment meets the listed
    name through no name (only through places, translated words and guesses: 科 as the head
    of 科技) and meets none of the name's characters but through a guess."""
    return bool(own) and not any(
        step.pairs
        and (
            step.alternative.source in _NAMING
            or (
                step.alternative.source not in GUESSES
                and any(c in own for c in range(step.segment.start, step.segment.end))
            )
        )
        for step in alignment.steps
    )


def _names(segment: Segment) -> bool:
    """Whether a segment is a number or a proper noun other than a place's name."""
    sources = {a.source for a in segment.alternatives}
    return "numeral" in sources or ("CC-CEDICT name" in sources and "place" not in sources)


@cache
def pinyin_syllables() -> frozenset[str]:
    """Pinyin syllables with a vowel (not the interjections m, n, ng, hm)."""
    from chipbridge.screening.romanise import _syllables

    return frozenset(s for s in _syllables() if set(s) & set("aeiouv"))


# A romanised trade name is this many pinyin syllables at least (Tian-lang, Hua-li).
MIN_TRADE_SYLLABLES = 2
# Letters a reading has at least for a brand's restyling of it to count (tailong: Thailong).
MIN_RESPELLED = 7


@lru_cache(maxsize=65536)
def syllable_counts(word: str) -> frozenset[int]:
    """Every number of pinyin syllables that spells ``word`` run together (xian: 1 or 2;
    Thailong: none)."""
    from chipbridge.screening.romanise import syllable_counts as counts

    return counts(word, pinyin_syllables())


def spells_pinyin(word: str) -> bool:
    """Whether a listed word is pinyin syllables run together (Tianlang, Huali): the romanised
    trade name of a Chinese body, as English names of Chinese firms keep it."""
    return any(n >= MIN_TRADE_SYLLABLES for n in syllable_counts(word))


def respells(reading: str, listed: str) -> bool:
    """Whether a listed word is a trade name's pinyin restyled by one added letter, as brands
    write it for English readers (tailong -> Thailong, shenrun -> Sheenrun), or with two
    letters swapped, as a list's writer slips (huaying -> Hauying): ``listed`` is ``reading``
    so changed, not at its start, and cannot be read as that many syllables (swapped: as any)
    itself. A letter that makes other syllables (mingheng -> Mingzheng) writes another name,
    not this one restyled."""
    if (
        reading.endswith("i")
        and listed == reading[:-1] + "y"
        and any(n >= MIN_TRADE_SYLLABLES for n in syllable_counts(reading))
    ):
        return True  # a closing i written y (jinli -> Jinly), which no pinyin syllable ends on
    if len(reading) < MIN_RESPELLED or len(listed) - len(reading) not in (0, 1):
        return False
    if listed[0] != reading[0] or listed == reading:
        return False
    counts = syllable_counts(reading)
    if not any(n >= MIN_TRADE_SYLLABLES for n in counts):
        return False
    if len(listed) == len(reading):
        # Two letters swapped by the list's writer, which no pinyin spells (huaying ->
        # Hauying): a slip, as a Latin name's is.
        return not syllable_counts(listed) and any(
            listed == reading[:i] + reading[i + 1] + reading[i] + reading[i + 2 :]
            for i in range(1, len(reading) - 1)
        )
    if counts & syllable_counts(listed):
        return False
    return any(listed[:i] + listed[i + 1 :] == reading for i in range(1, len(listed)))


def _unsaid_trade_name(
    tokens: Sequence[str], weights: Sequence[float], alignment: Alignment
) -> bool:
    """Whether the listed name holds a distinctive word that spells pinyin or is written as
    letters (its trade name, romanised or by its initials: "Beijing FJR Optoelectronic
    Technology") which the alignment does not meet."""
    from chipbridge.screening.score import DISTINCTIVE

    matched = {j for step in alignment.steps for _, j, _ in step.pairs}
    return any(
        j not in matched and w >= DISTINCTIVE and (spells_pinyin(t) or _lettered(t))
        for j, (t, w) in enumerate(zip(tokens, weights, strict=True))
    )


def _lettered(word: str) -> bool:
    """Whether a listed word is letters read one by one, an initialism: no vowel sounds in
    it (FJR, CGN), so it is spoken as no word is."""
    return len(word) >= 2 and word.isalpha() and word.isascii() and _VOWELS.isdisjoint(word)


def listed_coverage(alignment: Alignment, weights: Sequence[float]) -> float:
    """The listed name's share the alignment finds, every word at its full weight (China and
    Group too: a common word does not leave them unsaid, it has nothing else to say)."""
    found = [0.0] * len(weights)
    for step in alignment.steps:
        for _, j, sim in step.pairs:
            found[j] = max(found[j], sim)
    return sum(w * f for w, f in zip(weights, found, strict=True)) / (sum(weights) or 1.0)


# Readings that spell a name by its sound.
_SOUNDED = frozenset({"pinyin", "short pinyin", "other reading", "surname"})


@cache
def registry_spellings() -> dict[str, frozenset[str]]:
    """A trade name the lists spell in pinyin (Huawei, Dahua) -> the characters the alias
    registry writes it with (华为, 大华), for the names the registry pairs."""
    from chipbridge.screening.normalize import analyse

    places = cjk.glossary()["places"]
    out: dict[str, set[str]] = {}
    for zh, english, _source in cjk.registry():
        spans = {
            "".join(readings(zh[i:j])): zh[i:j]
            for i in range(len(zh))
            for j in range(i + 2, min(len(zh), i + MAX_SPELLING) + 1)
            if zh[i:j] not in places  # a place is a word, spelled alike by every firm there
        }
        for name in english:
            for word in analyse(name, False).tokens:
                if word in spans and spells_pinyin(word):
                    out.setdefault(word, set()).add(spans[word])
    return {word: frozenset(chars) for word, chars in out.items()}


# Characters of a trade name the registry spells, at most.
MAX_SPELLING = 4


def homophone(
    alignment: Alignment,
    han: str,
    tokens: Sequence[str],
    spellings: Mapping[str, frozenset[str]],
) -> bool:
    """Whether the alignment meets a listed trade name only by its sound, through characters
    other than those the registry knows it by: 华微 reads huawei, but Huawei is 华为, and
    成都华微电子 is another firm. The sound of a name is shared by many firms; its characters
    are its own. ``spellings``: :func:`registry_spellings`, as the index keeps it."""
    return any(
        (chars := spellings.get(tokens[j])) and not any(c in han for c in chars)
        for step in alignment.steps
        if step.alternative.source in _SOUNDED
        for _, j, _ in step.pairs
    )


@cache
def _derived_kind() -> int | None:
    """The index's code for a name it derived itself (a listed name's initials)."""
    from chipbridge.screening.index import _KINDS
    from chipbridge.screening.model import AliasKind

    return _KINDS.index(AliasKind.DERIVED)


def _sounded_out_of_order(alignment: Alignment) -> bool:
    """Whether the alignment meets listed words by the sound of the query's characters in
    another order than the characters stand: a firm's trade name is read in its own order
    (盛丰 is Shengfeng, not "Feng Sheng"), while a person's name may be written surname last."""
    sounded = sorted(
        (step.segment.start, w, j)
        for step in alignment.steps
        if step.alternative.source in _SOUNDED
        for w, j, _ in step.pairs
    )
    return any(a[2] > b[2] for a, b in itertools.pairwise(sounded))


# How many words from a listed name's start a parent group's name may take.
MAX_PARENT_WORDS = 8


@dataclass(frozen=True, slots=True)
class ParentGroups:
    """The groups whose acronyms the lists spell out (see :func:`group_acronyms`): their
    acronyms, and their spelled-out names."""

    acronyms: frozenset[str]
    groups: GroupAcronyms
    # Acronym -> the names it spells out.
    spelled: Mapping[str, tuple[GroupAcronym, ...]] = field(default_factory=dict)
    # Listed names' tokens -> their :meth:`opening`, remembered: every Chinese query weighs
    # dozens of candidates, the same listed names again and again, and a name opening with
    # "China" is compared with every group that word begins. Holds listed names only, so it
    # is as bounded as the index.
    _openings: dict[tuple[str, ...], tuple[int, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, groups: GroupAcronyms) -> ParentGroups:
        spelled: dict[str, set[GroupAcronym]] = {}
        for found in groups.values():
            for group in found:
                spelled.setdefault(group.acronym, set()).add(group)
        return cls(
            frozenset(spelled),
            groups,
            {acronym: tuple(found) for acronym, found in spelled.items()},
        )

    def misread(self, alignment: Alignment, lattice: Lattice, tokens: Sequence[str]) -> bool:
        """Whether the alignment meets a listed acronym that the lists spell out through the
        initials of translated words (:func:`_add_acronyms`) that are not the words it spells:
        成都电子科技 (Chengdu Electronics Technology) reads CETC, but the lists spell CETC out
        as China Electronics Technology Group Corporation, and Chengdu is none of its words."""
        for step in alignment.steps:
            if step.alternative.source != "acronym":
                continue
            for _, j, _ in step.pairs:
                groups = self.spelled.get(tokens[j], ())
                inside = [
                    s
                    for s in lattice.path
                    if step.segment.start <= s.start and s.end <= step.segment.end and not s.legal
                ]
                if groups and not any(
                    all(_meaning(s) & group.words for s in inside) for group in groups
                ):
                    return True
        return False

    def opening(self, tokens: Sequence[str]) -> tuple[int, ...]:
        """Positions of a parent group's name where it opens a listed name and is followed by
        the unit's own name: its acronym ("AVIC Leihua Electronic Technology Research
        Institute"), or its spelled-out words, its acronym after them if there ("China
        Aerospace Science and Technology Corporation (CASC) 8th Academy"). Empty when the
        name is the group itself or names nothing after it."""
        key = tuple(tokens)
        found = self._openings.get(key)
        if found is None:
            found = self._openings[key] = self._opening(key)
        return found

    def _opening(self, tokens: tuple[str, ...]) -> tuple[int, ...]:
        if tokens and tokens[0] in self.acronyms:
            return (0,) if _names_a_unit(tokens[1:]) else ()
        head = tokens[:MAX_PARENT_WORDS]
        for group in sorted(
            {g for t in head for g in self.groups.get(t, ())}, key=lambda g: g.acronym
        ):
            size = next((k for k in range(1, len(head) + 1) if group.words <= set(head[:k])), None)
            if size is None or not set(head[:size]) <= group.words:
                continue
            # A legal form or "Group" between the name and its acronym belongs to the name.
            while (
                size < len(head)
                and tokens[size] in _implicit()
                and tokens[size] not in _UNINITIALLED
            ):
                size += 1
            if size < len(tokens) and tokens[size] == group.acronym:
                size += 1
            if _names_a_unit(tokens[size:]):
                return tuple(range(size))
        return ()


# Words that give an acronym no letter, in the languages lists spell names in ("Groupe
# Salafiste pour la Prédication et le Combat" is GSPC).
_NO_LETTER = _UNINITIALLED | frozenset({"le", "la", "les", "l", "et", "de", "du", "des"})
_NO_LETTER |= frozenset({"el", "los", "las", "y", "del"})


def _spelled_otherwise(
    index: NameIndex, entry: int, tokens: Sequence[str], alignment: Alignment, read: Lattice
) -> bool:
    """Whether the alignment meets a listed acronym through the initials of the query's
    translated words (:func:`_add_acronyms`) while the entry spells that acronym out in
    another of its names, none of whose words the query says: the acronym stands for those
    words, not for any whose initials happen to agree (贵州航天精工, Guizhou Space Precision,
    is not GSPC, the Groupe Salafiste pour la Prédication et le Combat). A query that says
    the words is met through that name itself."""
    acronyms = {
        tokens[j]
        for step in alignment.steps
        if step.alternative.source == "acronym"
        for _, j, _ in step.pairs
    }
    if not acronyms:
        return False
    listed = index.entry(entry)
    offered = words(read)
    for name in (listed.name, *(alias.name for alias in listed.aliases)):
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        lettered = [w for w in re.findall(r"[a-z]+", ascii_name.lower()) if w not in _NO_LETTER]
        if (
            any(a not in lettered and spells(a, lettered) for a in acronyms)
            and not (set(lettered) - _implicit()) & offered
        ):
            return True
    return False


def _names_a_unit(tokens: Sequence[str]) -> bool:
    """Whether these words may name something of their own: two words at least that are
    neither left unsaid by a Chinese name nor numbers ("8th Academy" is not a name)."""
    return len(own_words(tokens)) >= 2


def own_words(tokens: Sequence[str]) -> list[str]:
    implicit = _implicit()
    return [t for t in tokens if t not in implicit and not any(c.isdigit() for c in t)]


# A unit's own words name it when at most this many listed names hold them all: "Flight
# Automatic Control Research Institute" names one body, "Air Force" (after "Islamic
# Revolutionary Guard Corps") dozens.
MAX_UNIT_NAMES = 3


def parent_relief(
    tokens: Sequence[str],
    weights: Sequence[float],
    parents: ParentGroups,
    offered: dict[str, list[int]],
    postings: Mapping[str, Sequence[int]],
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """A listed unit's name opens with its parent group's name ("AVIC Flight Automatic Control
    Research Institute", "AECC Harbin Dongan Engine"), while its Chinese name often names the
    unit alone (西安飞行自动控制研究所): a parent the Chinese name does not say (no reading
    offers a distinctive word of it) qualifies the listed name, as a place qualifies a
    Latin one (QUALIFIER_WEIGHT a word, QUALIFIER_CAP in all). A Chinese name that says
    any of it is measured against all of it; the unit's own words always weigh in full and
    must name it (MAX_UNIT_NAMES: ``postings``, listed word -> names holding it), or any
    query saying "air force" would be the Islamic Revolutionary Guard Corps Air Force.
    Returns the weights and the parent's words so relieved."""
    from chipbridge.screening.score import QUALIFIER_CAP, QUALIFIER_WEIGHT

    part = parents.opening(tokens)
    implicit = _implicit()
    if not part or any(tokens[j] in offered and tokens[j] not in implicit for j in part):
        return tuple(weights), ()
    if not names_one_body([t for j, t in enumerate(tokens) if j not in part], postings):
        return tuple(weights), ()
    relieved = {j: min(weights[j], QUALIFIER_WEIGHT) for j in part}
    scale = min(1.0, QUALIFIER_CAP / (sum(relieved.values()) or 1.0))
    out = tuple(relieved[j] * scale if j in relieved else w for j, w in enumerate(weights))
    return out, tuple(tokens[j] for j in part)


def names_one_body(tokens: Sequence[str], postings: Mapping[str, Sequence[int]]) -> bool:
    """Whether a listed name's own words (:func:`own_words`) are held together by at most
    MAX_UNIT_NAMES listed names (``postings``, listed word -> names holding it): "Flight
    Automatic Control Research Institute" or "University of Defense" names one body, "Air
    Force" or "Electronics Institute" a kind of body many have."""
    own = own_words(tokens)
    if not own:
        return False
    holding = set(postings.get(own[0], ()))
    for word in own[1:]:
        holding &= set(postings.get(word, ()))
    return len(holding) <= MAX_UNIT_NAMES


# How closely each of a unit's own words must be met for its parent to be left unsaid.
UNIT_SIMILARITY = 0.95


def unit_found(
    tokens: Sequence[str], weights: Sequence[float], parent: Sequence[str], alignment: Alignment
) -> bool:
    """Whether the alignment meets every own word of the unit (see :func:`own_words`) as
    spelled or nearly so: a parent may be left unsaid only when the Chinese name names the
    unit itself. 中国航天科技集团 (China Aerospace Science and Technology) meets "AECC Aero
    Science & Technology" only through "aero" read from "aerospace": another group, not
    the unit. Words that weigh nothing (the name's own acronym) need not be met."""
    met = {j: sim for step in alignment.steps for _, j, sim in step.pairs}
    own = set(own_words([t for t in tokens if t not in parent]))
    return all(
        met.get(j, 0.0) >= UNIT_SIMILARITY
        for j, (t, w) in enumerate(zip(tokens, weights, strict=True))
        if t in own and t not in parent and w > 0
    )


# What a match keeps for each listed word (two at most) that a Chinese name would
# have said with a glossary term and this one does not say: "University of Electronic
# Science and Technology of China" is not 中国科学技术大学, which would hold 电子 if it were.
# A listed word no term translates (a brand, an acronym: "Jonhon", "Megvii") costs only its
# coverage, since lists add such words to names that never say them.
UNSAID_TERM = 0.95
MAX_UNSAID = 2
# Readings of a name that stand for more words than they show.
_ABBREVIATED = frozenset({*_REGISTERED, "abbreviation", "initials", "short name", "group acronym"})


@cache
def _term_words() -> frozenset[str]:
    """The English words of the glossary's terms (electronic, university, aerospace), less the
    words a Chinese name leaves unsaid anyway (group, technology, of)."""
    found = {
        word
        for english in cjk.glossary()["terms"].values()
        for text in str(english).split("|")
        for word in _words(text)
    }
    return frozenset(found - _implicit())


def unsaid_terms(
    tokens: Sequence[str],
    weights: Sequence[float],
    alignment: Alignment,
    offered: dict[str, list[int]],
) -> list[str]:
    """Listed words that translate a glossary term and that no reading of the lattice offers
    (``offered``: see :func:`reach`). A word some reading offers is said, if by a segment the
    alignment gave to another word; and a name read through an abbreviation (中国航发 for
    AECC, "Aero Engine Corporation of China") may hide any word. A word the index weighs as
    a legal form's ("Bank", "Military": in "Greatwall Military" against 中国长城科技集团) still
    names the listed body's trade; only words that weigh nothing (the name's own acronym)
    are left out."""
    if any(step.alternative.source in _ABBREVIATED for step in alignment.steps):
        return []
    matched = {j for step in alignment.steps for _, j, _ in step.pairs}
    terms = _term_words()
    studied = fields_studied(tokens)
    return [
        token
        for j, (token, weight) in enumerate(zip(tokens, weights, strict=True))
        if j not in matched
        and weight > 0
        and (token in terms or j in studied)
        and token not in offered
    ]


def fields_studied(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of the trades a body's "of" phrase names ("National University of Defense
    Technology", "Institute of Nuclear Technology"): there "Technology" is the field the body
    is of, one of the few words that tell two such bodies apart, not a word lists add to a
    firm's name at will (glossary ``unsaid_trades``). 国防大学 (National Defense University)
    is not NUDT."""
    trades = _unsaid_trades()
    return frozenset(j for j in _field(tokens) if tokens[j] in trades)


# Words that end the phrase a body is "of" ("Institute of Nuclear Technology in the ...").
_PHRASE_ENDS = frozenset({"of", "in", "for"})


def _field(tokens: Sequence[str]) -> range:
    """Positions of the phrase after a listed name's first "of", up to the next preposition:
    the field or place a body is of."""
    if "of" not in tokens:
        return range(0)
    start = tokens.index("of") + 1
    end = next((j for j in range(start, len(tokens)) if tokens[j] in _PHRASE_ENDS), len(tokens))
    return range(start, end)


def postings(lattices: dict[int, Lattice]) -> dict[str, tuple[int, ...]]:
    """Lattice word -> the listed Chinese names offering it (the reverse direction's index)."""
    found: dict[str, list[int]] = {}
    for n_idx, lattice in lattices.items():
        for word in words(lattice):
            found.setdefault(word, []).append(n_idx)
    return {word: tuple(n) for word, n in found.items()}


def match_latin(
    index: NameIndex,
    tokens: Sequence[str],
    weights: Sequence[float],
    legal: frozenset[str],
    floor: float,
) -> list[Match]:
    """Listed names written in Chinese that a Latin query may be, through their lattices.

    The query's words (and the listed words they may stand for, plural or mistyped) are
    looked up among the words the listed Chinese names' lattices offer; the query side counts
    QUERY_SHARE, as for any query.
    """
    from chipbridge.screening.index import SOFT_WEIGHT
    from chipbridge.screening.normalize import stem
    from chipbridge.screening.score import QUERY_SHARE

    if not index.han_postings:
        return []
    candidates: set[int] = set()
    for token in tokens:
        candidates.update(index.han_postings.get(token, ()))
    if not candidates:
        return []
    weigh = weigher(index)
    stems = [stem(t) for t in tokens]
    memo: dict[str, list[tuple[str, float]]] = {}

    def matcher(word: str, strict: bool) -> Sequence[tuple[str, float]]:
        # The lattice word against the query's own words: exact, or a plural of one.
        found = memo.get(word)
        if found is None:
            root = stem(word)
            found = [
                (t, 1.0 if t == word else 0.95)
                for t, s in zip(tokens, stems, strict=True)
                if t == word or s == root
            ]
            memo[word] = found
        return found

    # The query words a lattice can meet at all bound the score from above (a listed
    # Chinese name counts at most 1 - QUERY_SHARE): most lattices a generic query word
    # reaches ("technology", "co") cannot make a hit and are not aligned.
    total = sum(weights) or 1.0
    out: list[Match] = []
    for n_idx in sorted(candidates):
        lattice = index.han_lattices[n_idx]
        offered, prepared = _listed_plan(index, n_idx, weigh)
        reach = sum(w for w, s in zip(weights, stems, strict=True) if s in offered) / total
        if QUERY_SHARE * reach + (1 - QUERY_SHARE) < floor:
            continue
        alignment = align(tokens, weights, lattice, matcher, weigh, SOFT_WEIGHT, legal, prepared)
        score = QUERY_SHARE * alignment.latin_coverage + (1 - QUERY_SHARE) * alignment.han_coverage
        if score >= floor and alignment.distinctive:
            out.append(Match(n_idx, min(1.0, score), alignment, lattice))
    return out


def _listed_plan(
    index: NameIndex, n_idx: int, weigh: Callable[[str], float]
) -> tuple[frozenset[str], Plan]:
    """A listed Chinese name's lattice words (stemmed) and plan, worked out on first use."""
    from chipbridge.screening.index import SOFT_WEIGHT
    from chipbridge.screening.normalize import stem

    found = index.han_plans.get(n_idx)
    if found is None:
        lattice = index.han_lattices[n_idx]
        found = (frozenset(stem(w) for w in words(lattice)), plan(lattice, weigh, SOFT_WEIGHT))
        index.han_plans[n_idx] = found
    return found


def listed_weights(
    tokens: Sequence[str], weights: Sequence[float], legal_weight: float, legal: bool = False
) -> tuple[float, ...]:
    """A listed name's word weights as a Chinese name is measured against them.

    Words a Chinese name leaves unsaid (the glossary's ``implicit`` words: China, national,
    group, corporation, of) weigh no more than a legal form, and the name's own acronym
    ("... Center (CARDC)") nothing: lists append a body's acronym to its name and a Chinese
    name never spells it. A token is taken for the name's own acronym when its letters are
    the initials of the name's other words (normalize.own_acronym; ``legal``: the name has a
    legal form).
    """
    return _listed_weights(tuple(tokens), tuple(weights), legal_weight, legal)


@lru_cache(maxsize=65536)
def _listed_weights(
    tokens: tuple[str, ...], weights: tuple[float, ...], legal_weight: float, legal: bool
) -> tuple[float, ...]:
    """:func:`listed_weights`, remembered: the same listed names are candidates for query
    after query, and finding a name's own acronym compares each word with the others."""
    implicit = _implicit()
    studied = fields_studied(tokens)
    out = [
        min(w, legal_weight) if t in implicit and j not in studied else w
        for j, (t, w) in enumerate(zip(tokens, weights, strict=True))
    ]
    from chipbridge.screening.normalize import own_acronym

    for j in range(len(tokens)):
        if own_acronym(tokens, j, legal):
            out[j] = 0.0
    return tuple(out)


# English derivational endings a listed word may add to a gloss's stem (measure ->
# measuring, commerce -> commercial, technology -> technological, machine -> machinery),
# and the similarity given.
_DERIVATIONS = (
    *("ing", "ings", "ed", "er", "ers", "ion", "ions", "ation", "ations", "al", "ial"),
    *("ical", "ic", "ics", "ment", "ments", "ive", "ity", "ies", "y", "ry", "ery"),
)
DERIVED_SIMILARITY = 0.85
# A gloss shorter than this is not given derived forms (a short word's "stem" is a guess).
MIN_DERIVABLE = 5


def derived_forms(gloss: str, candidates: Sequence[str]) -> list[str]:
    """The candidates that are ``gloss`` with a derivational ending: the gloss's stem (the
    gloss less a final e or y) followed by one of :data:`_DERIVATIONS`."""
    if len(gloss) < MIN_DERIVABLE or not gloss.isalpha():
        return []
    stems = {gloss, gloss[:-1]} if gloss[-1] in "ey" else {gloss}
    # Every stem begins with the shortest: most candidates fail that one test.
    head = min(stems, key=len)
    return [
        word
        for word in candidates
        if word.startswith(head)
        and word != gloss
        and any(word.startswith(stem) and word[len(stem) :] in _DERIVATIONS for stem in stems)
    ]


# A research body's English name says the discipline where its Chinese name says the subject
# (病毒 virus: Institute of Virology; 毒物 toxin: Toxicology; 药物 pharmaceuticals:
# Pharmacology): a listed word made of a gloss's first letters (at least MIN_DISCIPLINE_ROOT)
# and one of these endings meets the gloss, with DERIVED_SIMILARITY.
_DISCIPLINES = ("ology", "icology", "ological", "ologies")
MIN_DISCIPLINE_ROOT = 3


def disciplines(
    gloss: str,
    known: Callable[[str], bool],
    roots: Mapping[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """The ``known`` (listed) words naming the study of what ``gloss`` names (virus ->
    virology, toxin -> toxicology, immunity -> immunology, optical -> optics).

    ``roots``: :func:`discipline_roots` of every known word, which answers for the endings
    of :data:`_DISCIPLINES` with one look-up per root instead of one per ending (a lattice
    word of eight letters asks 24 words, and next to none is listed)."""
    if not gloss.isalpha():
        return []
    found: list[str] = []
    # An adjective in -ical names the study in -ics (optical: optics; mechanical: mechanics).
    if gloss.endswith("ical") and known(study := gloss[:-4] + "ics"):
        found.append(study)
    for cut in range(len(gloss), MIN_DISCIPLINE_ROOT - 1, -1):
        root = gloss[:cut]
        if roots is None:
            for ending in _DISCIPLINES:
                word = root + ending
                if word != gloss and word not in found and known(word):
                    found.append(word)
            continue
        for ending in roots.get(root, ()):
            word = root + ending
            if word != gloss and word not in found:
                found.append(word)
    return found


def discipline_roots(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Root -> the endings of :data:`_DISCIPLINES` (in its order) that ``words`` put after
    it, for roots of MIN_DISCIPLINE_ROOT letters or more: ``root + ending`` is one of
    ``words`` exactly when the ending is listed under the root (see :func:`disciplines`)."""
    table: dict[str, set[str]] = {}
    for word in words:
        if "olog" not in word:  # in every ending
            continue
        for ending in _DISCIPLINES:
            root = word[: -len(ending)]
            if word.endswith(ending) and len(root) >= MIN_DISCIPLINE_ROOT:
                table.setdefault(root, set()).add(ending)
    return {root: tuple(e for e in _DISCIPLINES if e in endings) for root, endings in table.items()}


# A listed word written short (Std., Man., Imp. & Exp.) meets the translation it shortens
# with this similarity: a gloss at least this long, cut to at least MIN_SHORT_FORM letters
# (at most MAX_SHORT_FORM) and by at least MIN_CUT, or contracted to at most MAX_CONTRACTION
# letters.
SHORT_FORM_SIMILARITY = 0.85
MIN_SHORTENED = 6
MIN_SHORT_FORM = 3
MIN_CUT = 3
MAX_CONTRACTION = 4
MAX_SHORT_FORM = 6
_VOWELS = frozenset("aeiouy")


def short_forms(gloss: str, known: Callable[[str], bool]) -> list[str]:
    """The ``known`` (listed) words that write ``gloss`` short, as lists write the words of
    translated names: its start ("Man." for manufacturing, "Imp." for import) or its
    contraction, which keeps the first and last letters and consonants between them in order
    ("Std." for standard, "Hldg" for holding). The second letter of a contraction comes
    early in the gloss ("Sd" is no contraction of "standard"), and a contraction has no
    vowel after its first letter ("Sad" is a word of its own, not "standard" shortened).

    The index matches a listed word to the query words it may shorten; here the gloss is
    the longer word, so the reverse look-up is made by spelling the short forms out.
    """
    size = len(gloss)
    if size < MIN_SHORTENED or not gloss.isalpha():
        return []
    longest = min(size - MIN_CUT, MAX_SHORT_FORM)
    found = [gloss[:cut] for cut in range(MIN_SHORT_FORM, longest + 1) if known(gloss[:cut])]
    first, last = gloss[0], gloss[-1]
    inner = [(k, c) for k, c in enumerate(gloss[1:-1], 1) if c not in _VOWELS]
    for middle in range(1, MAX_CONTRACTION - 1):
        for chosen in itertools.combinations(inner, middle):
            if chosen[0][0] > 3:
                break  # the second letter comes early (combinations run in order)
            word = first + "".join(c for _, c in chosen) + last
            if word not in found and known(word):
                found.append(word)
    return found


def word_matcher(index: NameIndex, shortened: bool = True) -> WordMatcher:
    """The listed words a lattice word may stand for; ``shortened``: listed words that write
    it short (:func:`short_forms`) too."""
    from chipbridge.screening.index import PREFIX_LEN

    # Kept by the index across queries: a word's matches depend on the word only.
    memo = index.lattice_matches
    roots = index.discipline_roots
    if roots is None:
        # Made once per process (derived from the postings, never pickled).
        roots = index.discipline_roots = discipline_roots(index.postings)

    def plain(word: str, strict: bool) -> tuple[tuple[str, float], ...]:
        known = memo.get((word, strict))
        if known is not None:
            return known
        if soundalike.is_key(word):
            # A sound skeleton (see brand_sound_readings) meets the listed words that have it.
            # Not a word pinyin spells (Sanjiang): a romanised trade name is met by its
            # reading, and one that reads otherwise names other characters.
            known = tuple(
                (t, 1.0)
                for t in index.sound_table.get(soundalike.skeleton_of(word), ())
                if not syllable_counts(t)
            )
            memo.put((word, True), known)
            memo.put((word, False), known)
            return known
        # Most words a lattice offers (pinyin spans, other readings) are spelled close to no
        # listed word: the full look-up, with its transliteration and sound-alike keys, is
        # made only for those that are. A word is met both ways (a reading spelled by rule is
        # strict), so one look-up gives both.
        spelled = [
            (t, sim, kind in STRICT_KINDS)
            for t, sim, kind, share in index.close_word_matches(
                word, LOOSE_KINDS, MIN_LOOSE_SIMILARITY
            )
            if share == 1.0
            and sim >= MIN_LOOSE_SIMILARITY
            and (kind in LOOSE_KINDS or respells(word, t))
        ]
        # A reading spelled by rule meets a brand's restyling of it (Thailong) too.
        exact = tuple((t, sim) for t, sim, strictly in spelled if strictly or respells(word, t))
        found = [(t, sim) for t, sim, _ in spelled]
        # A translation may meet a listed word derived from it (measure -> measuring; the
        # index keeps long listed words by their first letters) ...
        seen = {t for t, _ in found}
        longer = index.prefixes.get(word[:PREFIX_LEN], "").split()
        found += [(t, DERIVED_SIMILARITY) for t in derived_forms(word, longer) if t not in seen]
        # ... or name its study (virus -> virology).
        seen.update(t for t, _ in found)
        studies = disciplines(word, index.postings.__contains__, roots)
        found += [(t, DERIVED_SIMILARITY) for t in studies if t not in seen]
        # Tuples: the memo is shared by every thread that screens.
        loose = tuple(found)
        memo.put((word, True), exact)
        memo.put((word, False), loose)
        return exact if strict else loose

    def matcher(word: str, strict: bool) -> Sequence[tuple[str, float]]:
        found = plain(word, strict)
        if strict or not shortened or len(word) < MIN_SHORTENED:
            return found
        known = memo.get((word, strict, True))
        if known is None:
            # ... and a listed word written short may stand for it (Std. for standard).
            seen = {t for t, _ in found}
            shorts = short_forms(word, index.postings.__contains__)
            known = (*found, *((t, SHORT_FORM_SIMILARITY) for t in shorts if t not in seen))
            memo.put((word, strict, True), known)
        return known

    return plain if not shortened else matcher


def weigher(index: NameIndex) -> Callable[[str], float]:
    # Kept by the index across queries: a word's weight depends on the word only.
    memo = index.lattice_weights

    def weigh(word: str) -> float:
        found = memo.get(word)
        if found is None:
            if word in index.idf:
                found = index.token_weight(word)
            else:
                known = [index.idf[t] for t, _, _, sh in index.word_matches(word) if sh == 1.0]
                found = max(known) if known else index.max_idf * min(1.0, len(word) / 3)
            memo.put(word, found)
        return found

    return weigh
