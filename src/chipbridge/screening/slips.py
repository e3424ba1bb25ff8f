"""One character typed for another in a Chinese name, read as what was meant.

Names are typed through an input method, which offers every character of the syllable typed:
a slip puts 样 for 洋 (海样石油, meant 海洋石油, offshore oil), 线 for 限 (有线公司, meant
有限公司), or drops or doubles a legal form's last character (有限公, 有限公司司). Read as
typed, the slip's characters are a word of nothing, charged as an unmet word, and the party
clears. :func:`add_typos` offers the lattice (lattice.build) the word meant as a ``typo``
reading of the typed characters, and :func:`damaged_legal_form` the legal form meant; a hit
through either says what was read for what. Only where the typed characters are no word
themselves: a name spelled right keeps its readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from chipbridge.screening import cjk, lattice, tablecache

# A legal form is charged as one only when whole; these are the shortest pieces of one that
# still say which (有限, 有限公 for 有限公司).
MIN_DAMAGED_FORM = 2


def damaged_legal_form(han: str) -> tuple[int, str] | None:
    """Where a name's legal form, damaged by one slip, begins, and the form it was meant to
    be (else None): cut short (有限公, 有限责任公: a proper prefix of MIN_DAMAGED_FORM
    characters at least that is no form of its own), its last character doubled (有限公司司),
    or one character typed for another of the same sound (有线公司 for 有限公司). Only where
    the name ends, with a name before it, and only a form longer than the whole one the name
    ends in (有线公司 ends in 公司)."""
    whole = max((len(f) for f in cjk.glossary()["legal_forms"] if han.endswith(f)), default=0)
    forms = sorted((f for f in cjk.glossary()["legal_forms"] if len(f) > 1), key=len)[::-1]
    forms = [f for f in forms if len(f) > whole]
    for form in forms:
        doubled = form + form[-1]
        if whole == 0 and han.endswith(doubled) and len(han) > len(doubled):
            return len(han) - len(doubled), form
    # The longest piece cut short, of the shortest form it begins (有限 of 有限公司).
    cut = max(
        (
            (size, -len(form), form)
            for form in forms
            for size in range(max(MIN_DAMAGED_FORM, whole + 1), len(form))
            if form[:size] not in cjk.glossary()["legal_forms"]
            and han.endswith(form[:size])
            and len(han) > size
        ),
        default=None,
    )
    if cut is not None:
        return len(han) - cut[0], cut[2]
    for form in forms:
        tail = han[-len(form) :]
        if len(han) <= len(form) or _known(tail):
            continue  # a word of its own (公差, tolerance) is no slip for 公司
        typed = [k for k in range(len(form)) if tail[k] != form[k]]
        if len(typed) == 1 and _sound_alike(tail[typed[0]], form[typed[0]]):
            return len(han) - len(form), form
    return None


def repaired_legal_form(read: lattice.Lattice) -> str:
    """How a damaged legal form ending the name was read (有限公 -> 有限公司), else ''."""
    for segment in read.path[-1:]:
        for a in segment.alternatives:
            if a.source == "legal" and a.meant:
                return f"{segment.han} -> {a.meant}"
    return ""


def _sound_alike(typed: str, meant: str) -> bool:
    """Whether two characters share a toneless reading (线 and 限: xian)."""
    table = lattice.char_readings()
    return not set(table.get(typed, ())).isdisjoint(table.get(meant, ()))


def _read_homophones() -> dict[str, tuple[str, ...]]:
    """:func:`homophones` made from the character readings (slow: use that one)."""
    out: dict[str, list[str]] = {}
    table = lattice.char_readings()
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if 0xB0 <= encoded[0] <= 0xD7:  # GB2312's first level: the 3,755 common characters
            for reading in table.get(char, ()):
                out.setdefault(reading, []).append(char)
    return {reading: tuple(chars) for reading, chars in out.items()}


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    """Toneless syllable -> the common characters read so (yang: 羊 阳 杨 洋 ...), as an
    input method offers them for the syllable typed: the characters a slip may put in place
    of the one meant. GB2312's first level (the 3,755 commonest characters)."""
    return tablecache.cached(
        "han-homophones", "pypinyin", _read_homophones, (lattice.read_char_readings,)
    )


@cache
def _sounded_keys() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The toneless syllables of each glossary term and place and each registry name of two
    characters or more -> those words (hai kang wei shi -> 海康威视): the words a name with one
    character typed for another of the same sound was meant to hold."""
    out: dict[tuple[str, ...], list[str]] = {}
    sections = cjk.glossary()
    # Not the country nor a kind of body (中华, 集团): a trade name that sounds as one (众华)
    # would say only what every name says.
    keys = {
        *sections["terms"],
        *sections["places"],
        *lattice.registry_alternatives(),
    } - lattice.generic_words()
    for key in sorted(keys):
        spoken = tuple(lattice.readings(key))
        if len(key) > 1 and len(spoken) == len(key):
            out.setdefault(spoken, []).append(key)
    return {spoken: tuple(found) for spoken, found in out.items()}


@cache
def _sounded_sizes() -> tuple[int, ...]:
    """The lengths of the words :func:`_sounded_keys` holds, shortest first."""
    return tuple(sorted({len(spoken) for spoken in _sounded_keys()}))


# Readings of a word a typo was meant to be that say what it means.
_MEANINGS = frozenset({"glossary", "place", "CC-CEDICT", "CC-CEDICT name", "alias registry"})
# ... of a common word, which a character and its neighbour may be meant as: a proper name
# (a place, a body) is found by its sounds (:func:`_sounded_keys`) or its pinyin.
_COMMON_MEANINGS = frozenset({"glossary", "CC-CEDICT"})


@lru_cache(maxsize=16384)
def _meant_words(piece: str, typed: int, syllable: str) -> tuple[str, ...]:
    """The dictionary's two-character words that ``piece`` is with its character at
    ``typed`` replaced by a common one read ``syllable`` (海样 -> 海洋), when ``piece`` is
    no word itself. Remembered: the same pieces come back in name after name."""
    if len(piece) != 2 or _known(piece):
        return ()
    out = []
    for char in homophones().get(syllable, ()):
        if char == piece[typed]:
            continue
        word = piece[:typed] + char + piece[typed + 1 :]
        # Read so in the word too (大 is tai only in 大夫: 盛泰 is no slip for 盛大).
        if _common_word(word) and lattice.readings(word)[typed : typed + 1] == [syllable]:
            out.append(word)
    return tuple(out)


def _common_word(word: str) -> bool:
    """Whether one of :func:`_meant_readings` of ``word`` says what a common word means
    (:data:`_COMMON_MEANINGS`, a subset of the readings kept there), found without
    remembering the readings or the dictionary's answer: most words a homophone makes are
    no word and never come back, and remembered they crowd the pieces of names out of the
    memos (lattice.dictionary_word)."""
    for found in (
        lattice.glossary_alternatives().get(word, ()),
        lattice.registry_alternatives().get(word, ()),
    ):
        if any(a.source in _COMMON_MEANINGS and a.words for a in found):
            return True
    entry = lattice.dictionary_word.__wrapped__(word)
    return entry is not None and any(a.source in _COMMON_MEANINGS and a.words for a in entry[1])


def _known(piece: str) -> bool:
    """Whether the glossary, the registry or the dictionary knows ``piece`` as a word."""
    return (
        piece in lattice.glossary_alternatives()
        or piece in lattice.registry_alternatives()
        or lattice.dictionary_word(piece) is not None
    )


@lru_cache(maxsize=16384)
def _meant_readings(word: str) -> tuple[lattice.Alternative, ...]:
    """What a word meant in place of a typo says: its glossary, registry and dictionary
    readings (no legal form: a damaged one is :func:`damaged_legal_form`'s)."""
    found = (
        *lattice.glossary_alternatives().get(word, ()),
        *lattice.registry_alternatives().get(word, ()),
        *((lattice.dictionary_word(word) or ("", ()))[1]),
    )
    return tuple(a for a in found if a.source in _MEANINGS and a.words)


# The most words one typo is read as (yang after 太: 太阳 and no other, but some syllables
# make several).
MAX_TYPO_WORDS = 3


def add_typos(
    han: str,
    path: Sequence[lattice.Segment],
    segments: dict[tuple[int, int], lattice.Segment],
    readings: dict[int, str],
    legal_chars: set[int],
) -> None:
    """Words with one character typed for another of the same sound (海样 for 海洋, 海康卫视
    for 海康威视), read as the word meant, as a ``typo`` reading of the typed characters.

    Two ways: a span of the name that sounds as a glossary term, place or registry name does,
    differing from it in one character; and a character the best path leaves untranslated
    (alone, or in a two-character word with no translation) that, replaced by a common
    character read as it is, makes a dictionary word with its neighbour. Only where the typed
    characters are no word themselves: a name spelled right keeps its readings."""
    # Runs of untranslated segments on the best path (a trade name, or a word a slip broke).
    runs: list[tuple[int, int]] = []
    for s in path:
        if s.legal or any(a.source in lattice._TRANSLATIONS for a in s.alternatives):
            continue
        if runs and runs[-1][1] == s.start:
            runs[-1] = (runs[-1][0], s.end)
        else:
            runs.append((s.start, s.end))
    keyed = _sounded_keys()
    sizes = _sounded_sizes()
    found: dict[tuple[int, int], list[str]] = {}  # spans sounding as a term or a registry name
    common: dict[tuple[int, int], list[str]] = {}  # ... and as a dictionary word
    spoken = [readings.get(k, "") for k in range(len(han))]
    for i in range(len(han)):
        for size in sizes:
            j = i + size
            if j > len(han) or not all(spoken[i:j]):
                break
            sounded = keyed.get(tuple(spoken[i:j]))
            if not sounded:
                continue
            piece = han[i:j]
            for word in sounded:
                slips = sum(a != b for a, b in zip(piece, word, strict=True))
                # A legal form is part of a registered name, never of a term.
                legal = not legal_chars.isdisjoint(range(i, j))
                registered = word in lattice.registry_alternatives()
                if slips == 1 and (registered or not legal) and not _known(piece):
                    if not registered and (i, j) in runs:
                        continue  # a trade name (see below), unless a listed brand's
                    found.setdefault((i, j), []).append(word)
    untranslated = [
        k
        for s in path
        if s.end - s.start <= 2
        and not any(a.source in lattice._TRANSLATIONS for a in s.alternatives)
        for k in range(s.start, s.end)
    ]
    for k in untranslated:
        if k not in readings or k in legal_chars:
            continue
        for i in (k - 1, k):
            j = i + 2
            # Two untranslated characters standing alone between the name's words are its
            # trade name as often as a slip (盛达, 安豪 sound as 盛大, 安好): a trade name is
            # chosen for its sound, and read as a homophone's word every name would mean one.
            if i < 0 or j > len(han) or not legal_chars.isdisjoint(range(i, j)) or (i, j) in runs:
                continue
            for word in _meant_words(han[i:j], k - i, readings[k])[:MAX_TYPO_WORDS]:
                common.setdefault((i, j), []).append(word)
    typos: dict[tuple[int, int], list[lattice.Alternative]] = {}
    for kept, spans in ((_MEANINGS, found), (_COMMON_MEANINGS, common)):
        for span, meant in spans.items():
            typos.setdefault(span, []).extend(
                lattice.Alternative(a.words, "typo", word, a.source)
                for word in dict.fromkeys(meant)
                for a in _meant_readings(word)
                if a.source in kept
            )
    for span, read in typos.items():
        lattice.offer_segment(segments, span, han[slice(*span)], read)
