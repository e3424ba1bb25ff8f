"""Korean names in Hangul -> the Latin spellings lists write them in.

A Hangul syllable is one initial consonant, one vowel and an optional final consonant,
packed into one code point by the Unicode Standard's arithmetic (section 3.12, "Conjoining
Jamo Behavior"): ``0xAC00 + (initial * 21 + vowel) * 28 + final``. Each letter has a
spelling in each of the systems names are written in, and a name mixes them freely ("Park
Ji-sung": a conventional surname, a Revised Romanization given name with the popular "u"
for ㅓ), so a syllable is read in all of them at once:

- the Revised Romanization of Korean (South Korea, 2000): 김정은 Gim Jeong-eun;
- McCune-Reischauer (1939), without its diacritics as lists write it (ŏ, ŭ -> o, u):
  Kim Chong-un; North Korea's own 1992 system, which lists use for North Korean names, is
  McCune-Reischauer with ㅈ written j: Kim Jong Un, Ri, Choe, Pak;
- the popular spellings of personal names (ㅓ and ㅕ as u, yu: Jung, Sung, Hyun; ㅜ as oo:
  Joo, Koo; 시 as shi: Shin);
- for surnames, the conventional spellings in ``chipbridge/data/ko_surnames.yml`` (Lee,
  Park, Choi, Rhee), each cited there.

A Korean name is written without spaces between its syllables' readings in Hangul and with
them, joined or hyphenated in Latin ("Jong Un", "Jong-un", "Jongun"), so normalisation
splits a Hangul word into its syllables (one token each) and the index also looks up two
neighbouring syllables read together (:func:`readings` of the pair).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

_FIRST = 0xAC00
_LAST = 0xD7A3
_VOWELS = 21
_FINALS = 28
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The kind of match, as explanations show it.
KIND = "hangul"
# A word of more syllables than this is not a name read syllable by syllable in pairs.
MAX_JOINED = 2

# Initial consonants in code-point order (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ):
# Revised Romanization first, then McCune-Reischauer's (and the DPRK's) spellings.
_INITIALS: tuple[tuple[str, ...], ...] = (
    ("g", "k"),
    ("kk", "gg", "k"),
    ("n",),
    ("d", "t"),
    ("tt", "dd"),
    ("r", "l"),
    ("m",),
    ("b", "p"),
    ("pp", "bb"),
    ("s",),
    ("ss", "s"),
    ("",),
    ("j", "ch"),
    ("jj", "tch"),
    ("ch",),
    ("k",),
    ("t",),
    ("p",),
    ("h",),
)
# Vowels in code-point order (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ):
# Revised Romanization, McCune-Reischauer without diacritics, popular spellings of names.
_MEDIALS: tuple[tuple[str, ...], ...] = (
    ("a",),
    ("ae",),
    ("ya",),
    ("yae",),
    ("eo", "o", "u"),
    ("e",),
    ("yeo", "yo", "yu"),
    ("ye",),
    ("o",),
    ("wa",),
    ("wae",),
    ("oe",),
    ("yo",),
    ("u", "oo"),
    ("wo", "weo"),
    ("we",),
    ("wi",),
    ("yu",),
    ("eu", "u"),
    ("ui", "i", "ee"),
    ("i",),
)
# Final consonants in code-point order (none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ
# ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ), as both systems write them at the end of a syllable.
_FINAL_SPELLINGS: tuple[str, ...] = (
    *("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l"),
    *("p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"),
)
# ㅅ before ㅣ is "shi" in McCune-Reischauer and in names (Shin, Shim); a silent ㅇ before
# ㅜ is written w in names (Woo, Woong, Wook).
_S = 9
_I = 20
_SILENT = 11
_U = 13


def has_hangul(text: str) -> bool:
    return HANGUL.search(text) is not None


def is_syllables(word: str) -> bool:
    """Whether ``word`` is made of Hangul syllables only."""
    return bool(word) and all(_FIRST <= ord(c) <= _LAST for c in word)


def split(word: str) -> list[str]:
    """A word's Hangul syllables as separate tokens; other letters stay together."""
    out: list[str] = []
    rest = ""
    for c in word:
        if _FIRST <= ord(c) <= _LAST:
            if rest:
                out.append(rest)
                rest = ""
            out.append(c)
        else:
            rest += c
    return [*out, rest] if rest else out


@cache  # static data: read once a process
def surnames() -> dict[str, tuple[str, ...]]:
    """Conventional Latin spellings of common surnames (``ko_surnames.yml``)."""
    import yaml

    raw = resources.files("chipbridge").joinpath("data/ko_surnames.yml").read_text("utf-8")
    data: dict[str, list[object]] = yaml.safe_load(raw)
    # YAML reads a bare "no" (노 No) as false: every spelling must be quoted text.
    wrong = [k for k, v in data.items() if not all(isinstance(x, str) for x in v)]
    if wrong:
        raise ValueError(f"ko_surnames.yml: spellings of {wrong} must be strings")
    return {k: tuple(str(x) for x in v) for k, v in data.items()}


@cache  # 11,172 syllables at most, each a handful of strings
def syllable_readings(syllable: str) -> tuple[str, ...]:
    """Every Latin spelling of one Hangul syllable, Revised Romanization first."""
    code = ord(syllable) - _FIRST
    initial, rest = divmod(code, _VOWELS * _FINALS)
    medial, final = divmod(rest, _FINALS)
    heads = _INITIALS[initial]
    if initial == _S and medial == _I:
        heads += ("sh",)
    elif initial == _SILENT and medial == _U:
        heads += ("w",)
    tail = _FINAL_SPELLINGS[final]
    found = [h + m + tail for h in heads for m in _MEDIALS[medial]]
    found += surnames().get(syllable, ())
    # One letter is an initial on a list ("I. Kim"), not a reading (이 I, 오 O).
    return tuple(dict.fromkeys(f for f in found if len(f) > 1))


@cache  # static data: built once a process
def _latin_syllables() -> tuple[frozenset[str], frozenset[str]]:
    """Every Latin spelling of any Hangul syllable, and of a surname's."""
    every = frozenset(s for code in range(_FIRST, _LAST + 1) for s in syllable_readings(chr(code)))
    return every, frozenset(s.lower() for k in surnames() for s in syllable_readings(k))


def reads_as_korean(tokens: Sequence[str]) -> bool:
    """Whether a name of two words or more is a Korean name in Latin letters, surname first
    as lists write it: a surname's spelling, then the spellings of Hangul syllables ("PAK,
    Pong Nam", "KIM, Sang-ho"). Many Hong Kong and Wade-Giles spellings are Korean ones too:
    the caller weighs what else it knows of the person."""
    every, family = _latin_syllables()
    return len(tokens) >= 2 and tokens[0] in family and all(t in every for t in tokens)


def readings(word: str) -> tuple[str, ...]:
    """Latin spellings of a Hangul syllable, or of up to :data:`MAX_JOINED` written as one
    word ("jongun" for 정은); nothing for anything else."""
    if not is_syllables(word) or len(word) > MAX_JOINED:
        return ()
    parts = [syllable_readings(c) for c in word]
    return tuple(dict.fromkeys("".join(p) for p in itertools.product(*parts)))
