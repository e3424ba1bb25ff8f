"""Transliteration to ASCII, remembered word by word.

rigour's ``maybe_ascii`` costs a tenth of a millisecond or more for each new string outside
ASCII (with pauses of several milliseconds every few dozen calls), and a batch of unique
names never repeats a string. Their words do repeat (given names, surnames, trade words,
legal forms). In a string whose letters outside ASCII are all of one script, the
transliteration of the string is the transliterations of its whitespace-separated parts put
back together: each script is transliterated within a word, and a space is a word boundary
either way. So such a string's non-ASCII parts are transliterated once and remembered; the
result is what ``rigour.text.translit.ascii_text`` gives for the whole string, and whatever
stays non-ASCII sends the whole string through ``normality``, as rigour does. A part whose
letters outside ASCII are all accented ASCII letters (é, ş, ễ) loses its accents without
rigour: that is what rigour gives for each of them, in any context. A string
mixing scripts is left to rigour whole: it decides for the whole string (Georgian beside
Cyrillic lowercases both; an admitted script beside another is left to ``normality``).
"""

from __future__ import annotations

import re
import threading
import unicodedata

import normality

# Private to rigour (pinned exactly in pyproject.toml): tests/test_speed_invariants.py checks
# that this module gives what rigour's public ascii_text gives, so an upgrade that moves it fails.
from rigour._core import maybe_ascii
from rigour.text import translit

# Parts remembered (emptied when full).
WORDS = 200_000
_SPACES = re.compile(r"(\s+)")
_words: dict[str, str] = {}
_lock = threading.Lock()


def _accents_off(letter: str) -> str:
    """A letter without the accents Unicode composes it with (é -> e, ễ -> e, ß -> ß)."""
    return "".join(c for c in unicodedata.normalize("NFD", letter) if not unicodedata.combining(c))


# The letters of Unicode's Latin blocks that are an ASCII letter with accents (é, ş, ễ), as
# ``str.translate`` takes them. rigour transliterates each to that letter, whatever stands
# beside it (tests/test_speed_invariants.py checks every one), and a call to rigour costs
# about a million instructions for a new word of a Latin name (Mendizábal, Erdoğan).
_UNACCENTED = {
    cp: base
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
    if (base := _accents_off(chr(cp))).isascii() and base.isalpha()
}


def ascii_text(text: str) -> str:
    """``rigour.text.translit.ascii_text(text)``, from remembered word transliterations."""
    if text.isascii():
        return text
    if len(_scripts(text)) > 1:
        return translit.ascii_text(text)
    parts = _SPACES.split(text)
    for i, part in enumerate(parts):
        if not part.isascii():
            parts[i] = _word(part)
    out = "".join(parts)
    if out.isascii():
        return out
    return normality.ascii_text(out)


def _scripts(text: str) -> set[str]:
    """The scripts of the letters outside ASCII, by the first word of their Unicode names."""
    return {
        unicodedata.name(c, "?").split(" ", 1)[0] for c in text if c.isalpha() and not c.isascii()
    }


def _word(part: str) -> str:
    found = _words.get(part)
    if found is None:
        found = part.translate(_UNACCENTED)
        if not found.isascii():
            found = maybe_ascii(part)
        with _lock:
            if len(_words) >= WORDS:
                _words.clear()
            _words[part] = found
    return found
