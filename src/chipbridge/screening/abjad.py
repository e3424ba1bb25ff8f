"""Names in Arabic and Hebrew script -> the Latin spellings lists write them in.

Arabic and Hebrew are abjads: they write a name's consonants and its long vowels, and leave
its short vowels unwritten. Latin spellings of one name differ mostly in those short vowels
(Mohamed, Muhammad, Mohammad), which is why romanise.py already groups Latin spellings by
their consonants. This module reads the script the same way, so محمد meets every listed
spelling whose consonants are m-h-m-d, without a table of names:

- each letter becomes the consonants romanisations write for it (خ kh, ح h and ه h all
  "h", as romanise.family_key folds them; ث th, s or t; ق q, k or g; ج j or g; ש s or sh;
  פ p or f), and a word that starts with a vowel, an alif or an ayin starts with ``'``,
  as :func:`latin_key` writes a Latin word that starts with a vowel;
- و/ו and ي/י are a consonant (w, y) or a long vowel; a long vowel the script writes must
  be written as a vowel of its kind in the Latin spelling too (محمود is Mahmoud, not
  Mohamed), which :func:`similarity` checks;
- the Arabic article and "Abd al-" are written as romanise.arabic_compounds writes their
  Latin spellings: الرحمن is "al" + رحمن, عبد الرحمن and عبدالرحمن are "abd al" + رحمن,
  and عبد الله is one word, as Abdullah is.

The index keeps every listed person word under :func:`latin_key`; a script word looks up
each of its :func:`script_keys`.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

_ARABIC = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
# Marks that are not letters: Arabic short vowels, shadda, sukun, tatweel, superscript alif;
# Hebrew points and cantillation.
_MARKS = re.compile(r"[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u0591-\u05c7]")
START = "'"
# A letter's readings: consonant spellings, or a vowel class written ``=`` + the Latin vowels
# it may be spelled with, or "" (not written in Latin). ``^`` marks a word-initial vowel.
_LONG_A, _LONG_U, _LONG_I = "=ae", "=ou", "=iey"
_ARABIC_LETTERS: dict[str, tuple[str, ...]] = {
    "ا": (_LONG_A,),
    "أ": ("",),
    "إ": ("",),
    "آ": (_LONG_A,),
    "ٱ": ("",),
    "ء": ("",),
    "ؤ": ("",),
    "ئ": ("",),
    "ب": ("b",),
    "ت": ("t",),
    "ث": ("th", "s", "t"),
    "ج": ("j", "g"),
    "ح": ("h",),
    "خ": ("h",),
    "د": ("d",),
    "ذ": ("d", "z"),
    "ر": ("r",),
    "ز": ("z",),
    "س": ("s",),
    "ش": ("sh", "ch"),
    "ص": ("s",),
    "ض": ("d", "z"),
    "ط": ("t",),
    "ظ": ("z", "d"),
    "ع": ("",),
    "غ": ("gh", "g"),
    "ف": ("f",),
    "ق": ("k", "g"),
    "ك": ("k",),
    "ک": ("k",),
    "ل": ("l",),
    "م": ("m",),
    "ن": ("n",),
    "ه": ("h",),
    "ة": ("", "h", "t"),
    "و": ("v", _LONG_U),
    "ي": (_LONG_I,),
    "ی": (_LONG_I,),
    "ى": (_LONG_A,),
    "پ": ("p",),
    "چ": ("ch",),
    "ژ": ("j",),
    "گ": ("g",),
}
_HEBREW_LETTERS: dict[str, tuple[str, ...]] = {
    "א": ("",),
    "ב": ("b", "v"),
    "ג": ("g",),
    "ד": ("d",),
    "ה": ("h",),
    "ו": ("v", _LONG_U),
    "ז": ("z",),
    "ח": ("h", "ch"),
    "ט": ("t",),
    "י": (_LONG_I,),
    "כ": ("k", "h", "ch"),
    "ך": ("k", "h", "ch"),
    "ל": ("l",),
    "מ": ("m",),
    "ם": ("m",),
    "נ": ("n",),
    "ן": ("n",),
    "ס": ("s",),
    "ע": ("",),
    "פ": ("p", "f"),
    "ף": ("p", "f"),
    "צ": ("ts", "tz", "z"),
    "ץ": ("ts", "tz", "z"),
    "ק": ("k",),
    "ר": ("r",),
    "ש": ("sh", "s"),
    "ת": ("t", "s"),
}
# Letters that start a word with a vowel in Latin (alif, hamza seats, ayin; alef, ayin).
_VOWEL_START = frozenset("اأإآٱعאע")
# A final ه / ה / ة is often not written in Latin (Taha, Moshe, Fatima).
_SILENT_FINAL = frozenset("هةה")
# Letters that are a consonant at the start of a word (w, y), a long vowel elsewhere.
_GLIDE_START = {"و": "v", "ו": "v", "ي": "y", "ی": "y", "י": "y"}
# Variants of one word read at most: a word of four ambiguous letters gives 3**4.
MAX_VARIANTS = 81
_ABD = "عبد"
_AL = "ال"
_ALLAH = "الله"
_LATIN_VOWELS = frozenset("aeiouy")
# "Son of", as normalize writes its Latin spellings (ibn -> bin).
_SON_OF = {"بن": "bin", "ابن": "bin", "בן": "ben"}
# Latin spellings folded as romanise.family_key folds them (kh, q, dh, w, ph, x), and
# French spellings of Arabic (Djamel).
_LATIN_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"kh", "h"),
        (r"q", "k"),
        (r"dh", "d"),
        (r"dj", "j"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"x", "ks"),
    )
)
# Latin spellings of a long vowel, which a script word that writes none does not suggest.
_LONG_LATIN = frozenset({"ou", "oo", "ee", "ii", "uu"})
# Kinds of match, as explanations show them.
KINDS = ("arabic script", "hebrew script")
# Similarity of a Latin word to a script word with the same consonants, when the long
# vowels the script writes are spelled as such (and when one is spelled as another vowel).
SIMILARITY = 0.9
LOOSE_SIMILARITY = 0.86


def has_abjad(text: str) -> bool:
    return _ARABIC.search(text) is not None or _HEBREW.search(text) is not None


def tokens(words: list[str]) -> list[str]:
    """Script words with marks removed, the Arabic article and "Abd al-" set apart as
    romanise.arabic_compounds sets them apart in Latin spellings: ``al`` and ``abd al``."""
    out: list[str] = []
    for word in (_MARKS.sub("", w) for w in words):
        if not word:
            continue
        if out[-1:] == ["abd"] and word.startswith(_AL) and word != _ALLAH:
            out += ["al", word[2:]] if len(word) > 2 else ["al"]
        elif word == _ALLAH and out[-1:] == ["abd"]:
            out[-1] = _ABD + _ALLAH  # Abdullah: one word, as romanise writes it
        elif word == _ABD:
            out.append("abd")
        elif word in _SON_OF:
            out.append(_SON_OF[word])
        elif word.startswith(_ABD + _AL) and word != _ABD + _ALLAH and len(word) > 5:
            out += ["abd", "al", word[5:]]
        elif word.startswith(_AL) and len(word) > 3 and _ARABIC.match(word):
            out += ["al", word[2:]]
        else:
            out.append(word)
    return out


def latin_key(word: str) -> tuple[str, tuple[str, ...]]:
    """A Latin word's consonants (``'`` first if it starts with a vowel; doubled letters
    once) and the vowels written between them (one entry per gap, the first before the
    first consonant)."""
    for pattern, replacement in _LATIN_FOLDS:
        word = pattern.sub(replacement, word)
    key = START if word[:1] in _LATIN_VOWELS and word[:1] != "y" else ""
    gaps = [""]
    for i, c in enumerate(word):
        if c in _LATIN_VOWELS and not (c == "y" and i == 0):
            gaps[-1] += c
        elif not (key.endswith(c) and not gaps[-1]):  # doubled letters once
            key += c
            gaps.append("")
    return key, tuple(gaps)


@cache  # script words repeat across a batch
def script_keys(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every consonant key a script word may be written with in Latin, with the long vowel
    each gap must hold (``""``: any or none), as :func:`latin_key` lays them out."""
    letters = _HEBREW_LETTERS if _HEBREW.match(word) else _ARABIC_LETTERS
    if word.startswith(_ABD + _AL):
        # The article's alif is not spoken after "Abd" (Abdullah, Abdul): alif wasla.
        word = _ABD + "ٱ" + word[4:]
    if not all(c in letters for c in word):
        return ()
    options: list[tuple[str, ...]] = []
    for i, c in enumerate(word):
        if i == 0 and c in _GLIDE_START:
            options.append((_GLIDE_START[c],))
        elif i == 0 and c in _VOWEL_START:
            options.append(("^" + (letters[c][0] if letters[c][0].startswith("=") else ""),))
        elif i == len(word) - 1 and c in _SILENT_FINAL:
            options.append(tuple(dict.fromkeys(("", *letters[c]))))
        else:
            options.append(letters[c])
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for combination in itertools.islice(itertools.product(*options), MAX_VARIANTS):
        key = ""
        gaps = [""]
        for part in combination:
            if part.startswith("^"):
                key = START
                gaps[-1] = part[1:]
            elif part.startswith("="):
                gaps[-1] = gaps[-1] or part
            elif part:
                for c in part:
                    if key.endswith(c) and not gaps[-1]:
                        continue  # doubled letters once, as latin_key writes them
                    key += c
                    gaps.append("")
        if len(key.lstrip(START)) >= 1:
            found[(key, tuple(gaps))] = None
    return tuple(found)


def similarity(script_gaps: tuple[str, ...], latin_gaps: tuple[str, ...]) -> float:
    """How well a Latin word's vowels fit the long vowels a script word writes (same
    consonants): 0 when one is left unwritten or written as a vowel of another kind, lower
    when the Latin word spells a long vowel where the script writes none."""
    if len(script_gaps) != len(latin_gaps):
        return 0.0
    sim = SIMILARITY
    for want, have in zip(script_gaps, latin_gaps, strict=True):
        if not want:
            if have in _LONG_LATIN:
                sim = LOOSE_SIMILARITY  # Mahmoud's "ou" where محمد writes no vowel
            continue
        if not have:
            return 0.0
        if not any(v in have for v in want[1:]):
            return 0.0  # و spelled "e" (דוד is not Dedo)
    return sim


def script(word: str) -> str:
    """The kind of match a word of this script makes (shown in explanations)."""
    return KINDS[1] if _HEBREW.match(word) else KINDS[0]
