"""Chinese names -> Latin tokens that meet English list names.

Traditional characters are folded to simplified (OpenCC), then the name is segmented:
person names into surname + given name (read with surname pronunciations, 单 -> Shan), company
names into place | distinctive name | industry words | legal form, with industry words and
legal forms translated through the curated glossary in ``chipbridge/data/zh_glossary.yml`` and
the rest romanised with pypinyin. Every step is returned as a rule so a hit can say how a
Chinese query reached an English listed name.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from chipbridge.screening import tablecache

HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN_CHARS}]")
_HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
# Space between two Chinese characters.
_SPACED_OUT = re.compile(f"(?<=[{HAN_CHARS}])\\s+(?=[{HAN_CHARS}])")
_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def script_parts(text: str) -> list[str]:
    """The Chinese and the Latin part of a name written in both, else nothing."""
    if not has_han(text):
        return []
    han = " ".join(_HAN_RUN.findall(text))
    rest = _HAN_RUN.sub(" ", text).strip()
    if not any(ch.isalpha() for ch in rest):
        return []
    return [rest, han]


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``, in order. Chinese writes no spaces
    between words, so characters only spaced apart (中 芯 国 际, as a form or a copied
    document may space them) are one run: read apart, no word of them would be found."""
    return _HAN_RUN.findall(_SPACED_OUT.sub("", text))


@cache
def glossary() -> dict[str, Any]:
    """The curated glossary (places, terms, legal forms, surnames); values may list several
    English renderings separated by ``|``, the first being the usual one."""
    raw = resources.files("chipbridge").joinpath("data/zh_glossary.yml").read_bytes()
    # Parsed once and kept in the user cache, keyed by the file's content: parsing took
    # 0.006 s of a fresh process's first query that reads the glossary.
    data: dict[str, Any] = tablecache.cached(
        "zh-glossary", "pyyaml", lambda: _parse_yaml(raw), uses=(_parse_yaml,), data=raw
    )
    # Every country's Chinese name, where the curated places say nothing of it.
    data["places"] = {**tablecache.cached("zh-countries", "babel", _countries), **data["places"]}
    return data


def _parse_yaml(raw: bytes) -> Any:
    import yaml  # 0.012 s to import: a process that finds its tables cached never does

    return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _countries() -> dict[str, str]:
    """Countries' Chinese names with their English ones, from Babel's (CLDR's) data: a firm's
    arm abroad is named so (华为技术（德国）有限公司 is Huawei Technologies' German arm)."""
    from babel import Locale

    chinese, english = Locale("zh").territories, Locale("en").territories
    out: dict[str, str] = {}
    for code, name in chinese.items():
        if len(code) != 2 or code not in english or not _HAN_ONLY.fullmatch(name):
            continue  # a region (150 is Europe), or a name with brackets (刚果（金）)
        # "Myanmar (Burma)", "Bosnia & Herzegovina": the bracket's other name is left out.
        out[name] = re.sub(r"\s*\(.*\)", "", english[code]).replace("&", "and").lower()
    return out


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    result: str = _opencc("t2s").convert(text)
    return result


def to_traditional(text: str) -> str:
    result: str = _opencc("s2t").convert(text)
    return result


@cache
def _words() -> dict[str, str]:
    data = glossary()
    words: dict[str, str] = {}
    for section in ("places", "terms", "legal_forms"):
        words.update({zh: str(en).split("|")[0] for zh, en in data[section].items()})
    return words


@cache
def glossary_lengths() -> tuple[int, ...]:
    """Lengths of the glossary's Chinese terms, longest first."""
    return tuple(sorted({len(w) for w in _words()}, reverse=True))


def pinyin(text: str) -> list[str]:
    """Toneless pinyin syllables of ``text``, read word by word by the lattice's segmenter
    (CC-CEDICT readings: 重庆 -> chong qing), so that no second pinyin dictionary loads."""
    from chipbridge.screening import lattice

    return lattice.readings(text)


def split_person(han: str) -> tuple[str, str] | None:
    """Split a Chinese person name into (surname, given name); None if it is not one.

    A given name has one or two characters: 华为深圳 is no surname 华 with a given name
    为深圳, but a brand and a place. Two surnames may open a name, a married woman's in Hong
    Kong (林郑月娥: 林 + 郑 + 月娥); the given name is what follows them."""
    surnames = glossary()["surnames"]
    if not 2 <= len(han) <= 4:
        return None
    for size in (2, 1):
        if han[:size] in surnames and len(han) > size:
            given = han[size:]
            if len(given) <= MAX_GIVEN or given[:1] in surnames:
                return han[:size], given
    return None


def without_title(text: str) -> tuple[str, str] | None:
    """(a Chinese person's name, the title written after it) for a name of Chinese characters
    that ends with one of the glossary's ``honorifics`` (任正非先生, 张三教授), where what is
    left reads as a person's name (:func:`split_person`); else None."""
    if not has_han(text):
        return None  # a Latin name, screened by the thousand: no conversion, no look-up
    han = "".join(to_simplified(text).split())
    if "".join(han_runs(han)) != han:
        return None
    for title in _titles():
        if han.endswith(title) and split_person(han[: -len(title)]) is not None:
            return han[: -len(title)], title
    return None


@cache
def _titles() -> tuple[str, ...]:
    """The glossary's honorifics, longest first (总经理 before 经理 would be read)."""
    return tuple(sorted(glossary()["honorifics"], key=len, reverse=True))


# Characters of a Chinese given name, at most.
MAX_GIVEN = 2


def romanise_person(surname: str, given: str) -> tuple[str, str]:
    """Pinyin for a person: surname with its surname reading, given name as one word."""
    readings: dict[str, str] = glossary()["surnames"]
    family = readings[surname] or "".join(pinyin(surname))
    return family, "".join(pinyin(given))


def segment_company(han: str) -> list[tuple[str, str, str]]:
    """Greedy longest-match segmentation into (chinese, english, kind) triples.

    ``kind`` is place, term, legal or name (the distinctive part, romanised).
    """
    words = _words()
    return [
        (piece, "".join(pinyin(piece)) if kind == "name" else words[piece], kind)
        for piece, kind in _glossary_spans(han)
    ]


def _glossary_spans(han: str) -> list[tuple[str, str]]:
    """:func:`segment_company`'s (chinese, kind) pieces, before the names are romanised (the
    pinyin is a segmenter call: a caller asking only the kinds does without it)."""
    data = glossary()
    words = _words()
    out: list[tuple[str, str]] = []
    pending = ""
    i = 0
    while i < len(han):
        for size in glossary_lengths():
            piece = han[i : i + size]
            if len(piece) == size and piece in words:
                if pending:
                    out.append((pending, "name"))
                    pending = ""
                kind = (
                    "place"
                    if piece in data["places"]
                    else "legal"
                    if piece in data["legal_forms"]
                    else "term"
                )
                out.append((piece, kind))
                i += size
                break
        else:
            pending += han[i]
            i += 1
    if pending:
        out.append((pending, "name"))
    return out


@lru_cache(maxsize=16384)
def latinise(text: str, person: bool | None = None) -> tuple[str, list[str]]:
    """Replace every run of Han characters by Latin words; return the text and the path taken."""
    rules: list[str] = []
    simplified = to_simplified(text)
    if simplified != text:
        rules.append(f"traditional->simplified {text}->{simplified}")

    def convert(match: re.Match[str]) -> str:
        han = match.group(0)
        parts = split_person(han) if person is not False else None
        if parts is not None and (person is True or not _is_company_like(han)):
            family, given = romanise_person(*parts)
            surname, given_han = parts
            shown = f"{surname} -> {family} (surname); {given_han} -> {given} (pinyin)"
            rules.append(f"read {han}: {shown}")
            return f" {family} {given} "
        segments = segment_company(han)
        words = [english for _, english, _ in segments]
        shown = "; ".join(f"{zh} -> {en} ({_SOURCES[kind]})" for zh, en, kind in segments if en)
        rules.append(f"read {han}: {shown}")
        return " " + " ".join(words) + " "

    return _HAN_RUN.sub(convert, simplified), rules


# How each kind of segment was read, as the explanation names it.
_SOURCES = {"place": "place", "term": "glossary", "legal": "legal form", "name": "pinyin"}


def _is_company_like(han: str) -> bool:
    return any(kind != "name" for _, kind in _glossary_spans(han))


@cache
def wade_giles_table() -> dict[str, tuple[str, ...]]:
    """Wade-Giles syllable (as typed: no apostrophes, u for ü) -> pinyin syllables.

    Built from pypinyin's own syllable list and its Wade-Giles converter, so the table is
    pypinyin's, not ours. Apostrophes are dropped because people drop them: "chen" is then
    both pinyin zhen (Wade-Giles chen) and chen (Wade-Giles ch'en). The converter imports all
    of pypinyin (a second and 50 MB), so the table is kept in the user cache.
    """
    from chipbridge.screening.lattice import read_char_readings

    return tablecache.cached(
        "wade-giles", "pypinyin", _make_wade_giles_table, uses=(read_char_readings,)
    )


def _make_wade_giles_table() -> dict[str, tuple[str, ...]]:
    from pypinyin.style.wadegiles import to_wade_glides

    from chipbridge.screening.lattice import char_readings

    syllables = {s for found in char_readings().values() for s in found}
    table: dict[str, set[str]] = {}
    for syllable in syllables:
        if not syllable.isalpha():
            continue
        typed = to_wade_glides(syllable).replace("'", "").replace("’", "").replace("v", "u")
        table.setdefault(typed, set()).add(syllable.replace("v", "u"))
    return {wg: tuple(sorted(p)) for wg, p in table.items()}


def wade_giles_readings(
    tokens: tuple[str, ...], table: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]] | None:
    """Pinyin readings for each token of a name written in Wade-Giles, or None.

    Only names made entirely of two or more Wade-Giles syllables qualify ("Chou Tzu-hsueh"),
    so ordinary Latin names are left alone; a token that is already its own pinyin keeps
    only the readings that differ.
    """
    if len(tokens) < 2:
        return None
    if not all(t in table for t in tokens):
        return None
    readings = [tuple(p for p in table[t] if p != t) for t in tokens]
    return readings if any(readings) else None


# Jyutping and Yale spellings that Hong Kong Government romanisation does not use: it writes
# unaspirated initials as k, t, p, ch, ts (家 Ka, 德 Tak) and no doubled vowels or r-codas.
_NOT_HK = re.compile(r"^[jgdbzc](?!h)|aa|r$|r[kt]$")
# Yale's unaspirated initials as the Government writes them (炳 Yale bing: Ping; 珍 jan: Chan).
_YALE_INITIALS = (("gw", "kw"), ("b", "p"), ("d", "t"), ("g", "k"), ("j", "ch"))


def _as_hong_kong(reading: str) -> str:
    """A Yale reading in Hong Kong Government spelling: its unaspirated initial respelled."""
    for yale, government in _YALE_INITIALS:
        if reading.startswith(yale):
            return government + reading[len(yale) :]
    return reading


@cache
def _hong_kong_syllables() -> dict[str, tuple[str, ...]]:
    # Only the package's character -> Government romanisation table: its Cantonese class
    # also loads five other tables (Yale, LSHK and the reverse maps), some 30 MB we never use.
    # Kept in the user cache: parsing the JSON and filtering every reading took 0.03 s of
    # a fresh process's first Chinese name (screen-file's warm-up, before workers fork).
    raw = resources.files("cantoroman").joinpath("data/charToRoman.json").read_bytes()
    return tablecache.cached(
        "hk-syllables",
        "cantonese-romanisation",
        lambda: _hong_kong_table(raw),
        uses=(_hong_kong_table,),
        data=raw,
    )


def _hong_kong_table(raw: bytes) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for char, found in json.loads(raw).items():
        preferred = [r for r in found if not _NOT_HK.search(r)] or found
        table[char] = tuple(sys.intern(r) for r in preferred)
    return table


def hong_kong_readings(char: str) -> tuple[str, ...]:
    """A traditional character's Hong Kong Government readings ("陳" -> chan), else ().

    Readings the Government system never writes (Jyutping and Yale spellings) are dropped
    unless they are all the package has.
    """
    return _hong_kong_syllables().get(char, ())


def government_readings(char: str) -> tuple[str, ...]:
    """A traditional character's readings as a Hong Kong identity card spells them: those the
    package reads only in Yale have their initial respelled as the Government writes it
    (炳: bing -> ping)."""
    return tuple(dict.fromkeys(map(_as_hong_kong, hong_kong_readings(char))))


@cache
def government_syllables() -> frozenset[str]:
    """Every syllable a Hong Kong identity card writes (chan, chin, cheung, wong ...)."""
    return frozenset(_as_hong_kong(r) for found in _hong_kong_syllables().values() for r in found)


def hong_kong_forms(text: str, limit: int = 8) -> list[str]:
    """Hong Kong Government romanisations of a Chinese person name ("陳家豪" -> "chan ka ho").

    Readings come from the cantonese-romanisation package; a character with several readings
    gives several forms, at most ``limit`` in all. A character the package reads only in Yale
    has its initial respelled as the Government writes it (炳: bing -> Ping), as a Hong Kong
    identity card would. Only names that read as surname + given name are romanised.
    """
    han = "".join(_HAN_RUN.findall(text))
    if not han or split_person(to_simplified(han)) is None:
        return []
    readings: list[list[str]] = []
    for char in to_traditional(han):  # the readings are keyed by traditional characters
        found = government_readings(char)
        if not found:
            return []
        readings.append(list(found))
    forms: list[str] = []
    for combo in itertools.product(*readings):
        forms.append(f"{combo[0]} {' '.join(combo[1:])}")
        if len(forms) >= limit:
            break
    return forms


@cache
def registry() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The alias registry: (Chinese name, English names, source), longest Chinese names first.

    Data for what no mechanism can derive: brands and acronyms (中芯国际 = SMIC, 中航 = AVIC
    as the prefix of AVIC companies' names). The translation lattice offers each English
    name as one more reading of the span that holds the Chinese one.
    """
    raw = resources.files("chipbridge").joinpath("data/zh_aliases.yml").read_bytes()
    # Made once and kept in the user cache, keyed by the file's content and OpenCC's version
    # (the names are folded to simplified characters): 0.01 s of a fresh process's first
    # Chinese query went to parsing and folding them.
    return tablecache.cached(
        "zh-registry",
        "opencc",
        lambda: _registry_rows(raw),
        uses=(_registry_rows, _parse_yaml, to_simplified, _opencc.__wrapped__),
        data=raw,
    )


def _registry_rows(raw: bytes) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    data = _parse_yaml(raw)
    rows = [
        (to_simplified(zh), tuple(item["en"]), str(item["source"]))
        for item in data["entries"]
        for zh in item["zh"]
    ]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))
