"""Short forms of the alias registry's Chinese names, derived, not listed.

Chinese usage shortens a name in regular ways that no reading of its characters produces:
the first character of each word of a name made of common terms (兵器装备集团 -> 兵装集团),
and a firm's trade name alone, without the place, industry and legal form the registered
name adds (旷视科技 -> 旷视). :func:`short_forms` derives them from each registry name, so
the lattice (lattice.build) offers the English names the registry pairs with the whole name as a
``short form`` reading of the short one, weighed below the registry's own (a short form is
one inference away from what was typed), and a hit through it says which name it shortens.

Guards, since a two-character form is easily another firm's name: a form that is a common
word of the dictionary, a place, a glossary term or another registry name is none; a form
two parties' names both yield is none; a form is read only where the query's words begin
and end (大华 in 浙江 | 大 | 华, not the 大华 of 伟大 | 华人); and a form is derived only from a
registered name (with its legal form: 航天电子 shortened again, 航电, is avionics). What else
the query says is weighed as the lattice weighs it around any registry name.

Not derived: a four-character trade name's head (海康威视 -> 海康). Tried, it flagged a
made-up 海康实业有限公司 as Hikvision (zh_unlisted --names 30000 --seed 9: 39 -> 40), and the
subsidiary it was for (杭州海康汽车技术, automotive) stays under the threshold anyway (0.78).
"""

from __future__ import annotations

import re
from functools import cache

from chipbridge.screening import cjk, lattice

# Words of a name whose first characters make its short form (兵器装备: 2; 中国联合网络通信
# shortened so, 联网通, says nothing anyone writes).
MIN_INITIALS = 2
MAX_INITIALS = 3
# Words of an English name that say what kind of body, not which.
_PLAIN = frozenset({"co", "ltd", "limited", "group", "corporation", "company", "inc", "technology"})


def _generic(word: str) -> bool:
    """A word that says where or what kind of body, not which: the country, a descriptor
    (集团, 科技), a legal form, a place, a bracket."""
    glossary = cjk.glossary()
    return (
        word in glossary["countries"]
        or word in glossary["descriptors"]
        or word in glossary["legal_forms"]
        or any(word in form for form in glossary["legal_forms"])  # 有限 | 责任 | 公司
        or word in glossary["places"]
        or word[:-1] in glossary["places"]  # 深圳市
        or not cjk.has_han(word)
    )


def _term(word: str) -> bool:
    """A glossary term of two characters at least (兵器 weapons, 装备 equipment)."""
    return len(word) >= 2 and word in cjk.glossary()["terms"]


def derive(name: str) -> list[str]:
    """The short forms a Chinese name yields, guards aside (see the module's docstring)."""
    # The country or a place the name opens with is no word of its own (中国交通建设 is one
    # word to the segmenter).
    glossary = cjk.glossary()
    opening = True
    while opening:
        opening = False
        for size in range(min(len(name) - 1, lattice.MAX_PLACE), 1, -1):
            head = name[:size]
            if head in glossary["countries"] or head in glossary["places"]:
                name, opening = name[size:], True
                break
    words = [t.surface for t in lattice.tokenizer().tokenize(name)]
    # The name's own words: the longest run of words that are not generic.
    runs: list[list[str]] = [[]]
    for word in words:
        if _generic(word):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(word)
    own = max(runs, key=lambda run: len("".join(run)))
    out: list[str] = []
    if MIN_INITIALS <= len(own) <= MAX_INITIALS and all(map(_term, own)):
        out.append("".join(word[0] for word in own))
    # The trade name: the words of the run that are no term (旷视 of 旷视 | 科技, 中芯 of
    # 中 | 芯 | 国际), when they stand together.
    trade = [word for word in own if not _term(word)]
    text = "".join(trade)
    if trade and text in name and len(text) >= 2 and text != name and not _common(text):
        out.append(text)
    return out


def _common(form: str, english: tuple[str, ...] = ()) -> bool:
    """Whether a form says something of its own: a common word of the dictionary (中兴
    resurgence), a glossary term, place or descriptor, or a name the dictionary gives to
    something else (复旦 Fudan University, 东方红 a folk song, 长江 the river). A dictionary
    name stands for the firm only where the dictionary says so: a sense that calls it a
    company name or says a word of the firm's English names."""
    if _generic(form) or form in cjk.glossary()["terms"]:
        return True
    tokens = lattice.tokenizer().tokenize(form)
    if len(tokens) != 1:
        return False
    entry = lattice.dictionary_entry(tokens[0].details)
    if entry is None:
        return False
    if not entry.proper:
        return True
    definition = entry.definition.lower()
    own = {word for name in english for word in re.findall(r"[a-z]+", name.lower())}
    said = set(re.findall(r"[a-z]+", definition))
    return "company name" not in definition and not (own - _PLAIN) & said


def _unambiguous(form: str, zh: str) -> bool:
    """Whether a form of first characters reads back to its name's words alone: each of its
    characters heads one glossary term or place only (兵装: 兵器, 装备), not several (移通 is
    移动 with 通信, 通讯 or 通用). A trade name's form (its characters in the name, together)
    needs no such check."""
    if form in zh:
        return True
    heads = _heads()
    return all(len(heads.get(char, ())) == 1 for char in form)


@cache
def _heads() -> dict[str, frozenset[str]]:
    """Character -> the glossary's terms, places and descriptors of two characters or more
    that it begins."""
    glossary = cjk.glossary()
    out: dict[str, set[str]] = {}
    for section in ("terms", "places", "descriptors"):
        for word in glossary[section]:
            if len(word) >= 2:
                out.setdefault(word[0], set()).add(word)
    return {char: frozenset(words) for char, words in out.items()}


@cache
def short_forms() -> dict[str, tuple[lattice.Alternative, ...]]:
    """Short form -> the English names the registry pairs with the name it shortens (as
    ``short form`` readings whose ``meant`` is that name), for the forms exactly one party's
    names yield (see the module's docstring)."""
    from chipbridge.screening.normalize import analyse

    registry = {zh for zh, _, _ in cjk.registry()}
    # Form -> each party's English names (one registry entry's) -> its longest name yielding
    # the form (the registry lists names longest first).
    found: dict[str, dict[tuple[str, ...], str]] = {}
    forms = cjk.glossary()["legal_forms"]
    for zh, english, _source in cjk.registry():
        if not any(form in zh for form in forms if len(form) > 2):
            # A registered name (with its legal form), not a short name the registry knows
            # (航天电子 shortened again is 航电, avionics; 中科曙光's 中科 is the Academy's).
            continue
        for form in derive(zh):
            found.setdefault(form, {}).setdefault(english, zh)
    out: dict[str, tuple[lattice.Alternative, ...]] = {}
    for form, parties in found.items():
        if len(parties) != 1 or form in registry:
            continue
        ((english, zh),) = parties.items()
        if _common(form, english) or not _unambiguous(form, zh):
            continue
        out[form] = tuple(
            lattice.Alternative(analyse(name, False).tokens, "short form", meant=zh)
            for name in english
        )
    return out
