"""A Chinese trade name and the Latin brand made to sound like it (美亚柏科 -> Meiya Pico).

Many Chinese firms register an English name whose brand is not the pinyin of their trade
name but a Western-looking word chosen to sound like it: 奥普泰 (ao pu tai) is "Optel",
柏科 (bai ke) is "Pico", 曙光 (shu guang) is "Sugon". No dictionary holds these words, and
pinyin similarity does not reach them. What they keep is the sound's skeleton: the
consonants in order, vowels free, a voiced and an unvoiced stop alike (b and p, as
Wade-Giles spells pinyin's b), and often one consonant added at the end, which a Chinese
syllable cannot close on (Opt-el).

A skeleton of two or three consonants is weak evidence by itself, so the caller
(:func:`chipbridge.screening.lattice.align`) uses it only to fill a slot: characters the
alignment left unexplained between two pieces of the name it found, facing the one listed
word left unmatched between those pieces' counterparts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import groupby

# Pinyin initials, longest first, and the sound class each stands for. Affricates and
# sibilants are one class (zh, ch, sh, j, q, x, z, c, s): Latin brands spell them s, z, c,
# ch or x. y opens a syllable as a vowel does.
_INITIALS = (
    ("zh", "S"), ("ch", "S"), ("sh", "S"),
    ("b", "P"), ("p", "P"), ("m", "M"), ("f", "F"), ("d", "T"), ("t", "T"),
    ("n", "N"), ("l", "L"), ("g", "K"), ("k", "K"), ("h", "H"), ("j", "S"),
    ("q", "S"), ("x", "S"), ("r", "R"), ("z", "S"), ("c", "S"), ("s", "S"),
    ("w", "W"), ("y", ""),
)  # fmt: skip
# Latin spellings of more than one letter and their sound classes, in the order they are
# read (a c before e, i or y is an s), then the single letters'. A vowel, or an h after a
# consonant, is no class. v is pinyin's w (威 wei -> "Vision").
_DIGRAPHS = (
    ("sch", "S"), ("ch", "S"), ("sh", "S"), ("zh", "S"), ("ph", "F"), ("th", "T"),
    ("ck", "K"), ("qu", "K"), ("ng", "N"), ("gh", ""), ("ce", "S"), ("ci", "S"), ("cy", "S"),
)  # fmt: skip
_LETTER_CLASSES = str.maketrans("bpdtkqcgxjzsfvwmnlr", "PPTTKKKKSSSSFWWMNLR", "aeiouyh")
_VOWELS = frozenset("aeiouy")
_LETTERS = re.compile(r"[a-z]+")
# The fewest consonant classes a trade name's skeleton must have: one says nothing.
MIN_SKELETON = 2
# The fewest letters of a brand word: shorter words are initials or function words.
MIN_BRAND_LETTERS = 4
# The fewest classes of a brand word met beside nothing but places and industry words
# (Chongqing | Optel | Telecom): shorter ones ("Saint", SNT; "Engy", VN) have the sound of
# too many trade names. Beside a trade name read as such (Meiya | Pico) two do.
MIN_ALONE = 4
# ... or of one class fewer when the brand also spells the first or last syllable of the
# trade name as pinyin does (Ya-son 雅讯, Ray-ming 瑞明): the vowels agree too.
MIN_ECHOED = MIN_ALONE - 1
# The fewest letters of a syllable the brand spells: one vowel agrees with too much.
MIN_ECHO_LETTERS = 2
# The fewest classes a skeleton must keep when the brand adds a consonant at its end: two
# with one added (sheng yuan SN, "Saint" SNT) match too many words to tell anything.
MIN_EXTENDED = 3


def _collapse(classes: str) -> str:
    """Classes in order, a class repeated at once kept once (Pickett -> P K T)."""
    return "".join(k for k, _ in groupby(classes))


@cache
def pinyin_skeleton(syllables: tuple[str, ...]) -> str:
    """Toneless pinyin syllables -> their sound skeleton ("ao pu tai" -> "VPT").

    Each syllable gives its initial's class and, when it closes on -n or -ng, an N; a name
    opening on a vowel (or y) starts with V."""
    classes: list[str] = []
    for i, syllable in enumerate(syllables):
        initial = next(((p, c) for p, c in _INITIALS if syllable.startswith(p)), ("", ""))
        if i == 0 and not initial[1] and initial[0] != "w":
            classes.append("V")
        classes.append(initial[1])
        if syllable.endswith(("n", "ng")) and len(syllable) > len(initial[0]) + 1:
            classes.append("N")
        elif syllable == "er":
            classes.append("R")
    return _collapse("".join(classes))


def latin_skeleton(word: str) -> str:
    """A Latin word -> its sound skeleton ("optel" -> "VPTL", "pico" -> "PK")."""
    opening = "V" if word[:1] in _VOWELS else "H" if word[:1] == "h" else ""
    for spelling, sound in _DIGRAPHS:
        if spelling in word:
            word = word.replace(spelling, sound)
    return _collapse(opening + word.translate(_LETTER_CLASSES))


def _brand_word(word: str) -> bool:
    return len(word) >= MIN_BRAND_LETTERS and _LETTERS.fullmatch(word) is not None


def skeleton(readings: Sequence[tuple[str, ...]]) -> str:
    """The sound skeleton of a run of characters, read each by its commonest pinyin (a rare
    reading, 众 as yin, is no brand's), or "" when it has fewer than MIN_SKELETON classes."""
    if not readings or not all(readings):
        return ""
    found = pinyin_skeleton(tuple(r[0] for r in readings))
    return found if len(found) >= MIN_SKELETON else ""


def key(readings: Sequence[tuple[str, ...]]) -> str:
    """:func:`skeleton` as a lattice word (``~VPT``), which no Latin word spells, so that a
    skeleton travels through the lattice's readings and word matcher like any word; "" for
    none."""
    found = skeleton(readings)
    return KEY_MARK + found if found else ""


KEY_MARK = "~"


def is_key(word: str) -> bool:
    return word.startswith(KEY_MARK)


def skeleton_of(key: str) -> str:
    return key[len(KEY_MARK) :]


def table(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Skeleton -> the brand words (of MIN_BRAND_LETTERS letters at least) that have it, or
    have it with one consonant added at the end to MIN_EXTENDED classes at least (Optel
    under VPT and VPTL)."""
    out: dict[str, list[str]] = {}
    for word in words:
        if not _brand_word(word):
            continue
        spelled = latin_skeleton(word)
        out.setdefault(spelled, []).append(word)
        if len(spelled) > MIN_EXTENDED:
            out.setdefault(spelled[:-1], []).append(word)
    return {k: tuple(v) for k, v in out.items()}


def alone(brand: str, first: str, last: str) -> bool:
    """Whether a brand word is long enough to meet a trade name's sound beside nothing but
    places and industry words: MIN_ALONE classes, or MIN_ECHOED when it spells the trade
    name's ``first`` or ``last`` syllable as pinyin does."""
    size = len(latin_skeleton(brand))
    if size >= MIN_ALONE:
        return True
    return size >= MIN_ECHOED and (
        (len(first) >= MIN_ECHO_LETTERS and brand.startswith(first))
        or (len(last) >= MIN_ECHO_LETTERS and brand.endswith(last))
    )
