"""Romanisation families: one name written the ways different transliteration systems write it.

Two mechanisms, both built from general rules or maintained tables, never from list rows:

- Spelling keys for names transliterated from Russian and Arabic. :func:`family_key` folds the
  spellings that transliteration systems disagree on (-ov/-off/-ow, -iy/-ii/-y, Yu/Iu/Ju,
  Ya/Ia/Ja, Kh/H, Ye/E, ts/tz, x/ks, w/v, ou/u, ee/i, q/k, doubled letters) so that Klyuyev,
  Kliuiev and Klyujew share one key; :func:`skeleton` keeps a name's first letter and its
  consonants, which is what Arabic script writes (Mohammed, Muhammad, Mohamad: ``mhmd``).
- Readings of Chinese syllables written in other romanisations: Taiwan's Tongyong pinyin
  (rules of the 2002 standard applied to pypinyin's syllable list) and Hong Kong Government
  spellings (the cantonese-romanisation package's readings of the GB2312 level-1 characters,
  mapped to those characters' pinyin by pypinyin). Wade-Giles comes from pypinyin itself
  (:func:`chipbridge.screening.cjk.wade_giles_table`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from chipbridge.screening import tablecache

# (pattern, replacement), applied in order to a lower-case ASCII word.
_FAMILY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"(?<=[a-z])(?:ff|w)$", "v"),  # Ivanoff, Ivanow -> Ivanov
        (r"(?<=[a-z])(?:ij|iy|yy|yi|ii|y)$", "i"),  # Yuriy, Yurii, Yury -> Yuri
        (r"(?<=[a-z])jew(?=ich|na|$)", "yev"),  # Aleksejewich -> Alekseyevich
        # German and French systems: Щ as sch, Ш as sch, Ж as j, Х as ch inside a word
        # (Kanischew, Jelyazkov, Barchanow). Word-initial ch stays: it is Ч more often.
        (r"shch|sch", "sh"),
        (r"zh", "j"),
        (r"(?<=[a-z])(?<![st])ch", "kh"),
        (r"^(?:iu|ju)", "yu"),
        (r"^(?:ia|ja)", "ya"),
        (r"(?<=[aeiouy])j(?=[aeiou])", "y"),  # Klyujew -> Klyuyew
        (r"(?<=[bcdfgklmnprstvz])j(?=[aeiou])", "y"),  # Ovsjannikov -> Ovsyannikov
        (r"(?<=[a-z])(?:iu)", "yu"),
        (r"(?<=[a-z])(?:ia)", "ya"),
        (r"ye", "e"),
        (r"kh", "h"),
        (r"tz", "ts"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"ou", "u"),
        (r"ee", "i"),
        (r"q", "k"),
        (r"ph", "f"),
        (r"dh", "d"),
        (r"([a-z])\1", r"\1"),
    )
)
# What a word holds when each rule above can match it (one of these substrings), in the
# same order: a rule is tried only then, so that a word pays a substring test, not a
# regular expression's search, for each rule that cannot apply. "" always holds.
_FAMILY_NEEDLES: tuple[tuple[str, ...], ...] = (
    ("ff", "w"),
    ("y", "ij", "ii"),
    ("jew",),
    ("sch", "shch"),
    ("zh",),
    ("ch",),
    ("iu", "ju"),
    ("ia", "ja"),
    ("j",),
    ("j",),
    ("iu",),
    ("ia",),
    ("ye",),
    ("kh",),
    ("tz",),
    ("x",),
    ("w",),
    ("ou",),
    ("ee",),
    ("q",),
    ("ph",),
    ("dh",),
    ("",),
)
_FAMILY_STEPS = tuple(
    (pattern, replacement, needles)
    for (pattern, replacement), needles in zip(_FAMILY_RULES, _FAMILY_NEEDLES, strict=True)
)
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"([a-z])\1")
MIN_KEYED = 4
# Consonant skeletons only for words this long: short ones collide ("Fang", "Feng", "Fung").
MIN_SKELETON_WORD = 5
# Two syllables run together are twelve letters at most ("zhuangzhuang").
MAX_JOINED = 12


# Arabic's article as romanisations write it, assimilated or not (al-, el-, ul-, ad-, ash-).
ARTICLES = frozenset({"al", "el", "ul", "ad", "an", "ar", "as", "ash", "at", "az"})


# "Abd al-" ("servant of") as romanisations write it: Abd al-, Abd el-, Abdul, Abdel, Abdol,
# Abdur; joined to the name that follows or not (Abdulrahman, Abd el-Rahman).
_ABD_JOINED = re.compile(r"^abd(?:al|el|ul|ol|oul|il|l|ur|ar|us|as|un|an|ad|at|az|ash|er|es)")
# The name after it from this many letters, and not Allah ("Abdullah", "Abdullahi").
_ABD_NAME = 4


def arabic_compounds(tokens: list[str]) -> list[str]:
    """Tokens with "Abd al-" written one way, "abd al", apart from the name it joins.

    "Abd el-Rahman", "Abdel Rahman", "Abdulrahman" and "Abdurrahman" are one name in as
    many romanisations; written one way on both sides, they meet word for word (and a
    query that drops "Abd", "al-Rahman", still meets the article).
    """
    out: list[str] = []
    for token in tokens:
        if token in ARTICLES and out[-1:] == ["abd"]:
            out.append("al")
            continue
        joined = _ABD_JOINED.match(token)
        rest = token[joined.end() :] if joined else ""
        if joined and (not rest or (len(rest) >= _ABD_NAME and rest[0] != "l")):
            out += ["abd", "al", rest] if rest else ["abd", "al"]
            continue
        out.append(token)
    return out


def family_key(word: str) -> str:
    """One key for the spellings of a Russian or Arabic name part that systems disagree on."""
    for pattern, replacement, needles in _FAMILY_STEPS:
        for needle in needles:
            if needle in word:
                word = pattern.sub(replacement, word)
                break
    return word


def skeleton(key: str) -> str:
    """A word's first letter and its consonants, doubled letters once ("mhmd").

    Takes the word's :func:`family_key`, which callers have worked out already.
    """
    key = _DOUBLE.sub(r"\1", key)
    return key[0] + _VOWELS.sub("", key[1:])


@cache  # static data: built once a process, never changed
def _syllables() -> set[str]:
    """Every pinyin syllable of pypinyin's character table (ü written v).

    Made from the lattice's copy of the table, and kept in the user cache too: gathering
    the few hundred syllables from every character's readings took 0.02 s of a fresh
    process's first Chinese query.
    """
    from chipbridge.screening.lattice import read_char_readings

    return tablecache.cached(
        "pinyin-syllables", "pypinyin", _read_syllables, uses=(read_char_readings,)
    )


def _read_syllables() -> set[str]:
    from chipbridge.screening.lattice import char_readings

    return {s for found in char_readings().values() for s in found if s.isalpha()}


def tongyong(syllable: str) -> str:
    """A Hanyu pinyin syllable (ü written v) as Tongyong pinyin writes it."""
    whole = {"zhi": "jhih", "chi": "chih", "shi": "shih", "ri": "rih", "zi": "zih", "ci": "cih"}
    whole["si"] = "sih"
    if syllable in whole:
        return whole[syllable]
    s = syllable
    if s.startswith("zh"):
        s = "jh" + s[2:]
    elif s[:1] == "q":
        s = "c" + s[1:]
    elif s[:1] == "x":
        s = "s" + s[1:]
    if s[:1] in "jcs" and s[1:2] in ("u", "v") and s[:2] != "sh":
        s = s[0] + "yu" + s[2:]
    s = s.replace("v", "yu")
    for old, new in (("iu", "iou"), ("ui", "uei"), ("wen", "wun")):
        if s.endswith(old):
            return s[: -len(old)] + new
    if s.endswith("eng") and s[:1] in "bpmfw":
        return s[:-3] + "ong"
    return s


def common_characters() -> list[str]:
    """The 3,755 characters of GB2312 level 1, the most common in Chinese text and names."""
    found = []
    for first in range(0xB0, 0xD8):
        for second in range(0xA1, 0xFF):
            try:
                found.append(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def _readings_of(char: str) -> list[str]:
    """A character's toneless pinyin readings (ü written v), commonest first."""
    from chipbridge.screening.lattice import char_readings

    return [r for r in char_readings().get(char, ()) if r.isalpha()]


@cache  # static data: built once a process, never changed
def pinyin_table() -> dict[str, tuple[str, ...]]:
    """The pinyin syllables of common characters (ü written u), to tell pinyin names apart.

    Common characters only: pypinyin's full list has readings of rare characters ("wong")
    that would make a Hong Kong spelling look like pinyin.
    """
    return {r.replace("v", "u"): () for c in common_characters() for r in _readings_of(c)}


@cache
def common_pinyin() -> frozenset[str]:
    """:func:`pinyin_table`'s syllables."""
    return frozenset(pinyin_table())


@cache  # static data: built once a process, never changed
def tongyong_table() -> dict[str, tuple[str, ...]]:
    """Tongyong syllable -> the pinyin syllables it writes (only those that differ)."""
    table: dict[str, set[str]] = {}
    for syllable in _syllables():
        written = tongyong(syllable)
        if written != syllable.replace("v", "u"):
            table.setdefault(written, set()).add(syllable.replace("v", "u"))
    return {k: tuple(sorted(v)) for k, v in table.items()}


@cache  # static data: built once a process, never changed
def hong_kong_table() -> dict[str, tuple[str, ...]]:
    """Hong Kong Government syllable -> pinyin syllables of the common characters it spells."""
    from chipbridge.screening.cjk import hong_kong_readings, to_traditional

    table: dict[str, set[str]] = {}
    for char in common_characters():
        readings = _readings_of(char)
        # The package reads traditional characters (孫, 華), which Hong Kong writes: a
        # simplified one (孙, 华) is read through its traditional form.
        for found in hong_kong_readings(char) or hong_kong_readings(to_traditional(char)):
            for roman in with_or(found):
                for reading in readings:
                    if roman != reading:
                        table.setdefault(roman, set()).add(reading.replace("v", "u"))
    return {k: tuple(sorted(v)) for k, v in table.items()}


_OPEN_O = re.compile(r"[^aeiou]+o")


def with_or(spelling: str) -> tuple[str, ...]:
    """A Hong Kong spelling with its "-or" form where it ends in an open o after a consonant:
    identity cards write both (何 Ho, Hor; 娥 Ngo, Ngor: "LAM CHENG, Yuet-ngor")."""
    return (spelling, spelling + "r") if _OPEN_O.fullmatch(spelling) else (spelling,)


# A Chinese given name is one or two characters, written in pinyin as one or two syllables
# run together (Wei, Zhiqiang); so is a compound surname (Ouyang).
MAX_NAME_SYLLABLES = 2


def reads_as_pinyin(tokens: Sequence[str], pinyin: frozenset[str]) -> bool:
    """Whether a name of two to four words is a Chinese person's name written in pinyin, as
    passports write it: every word a syllable or two run together, and one word (the
    surname) a single syllable ("Zheng Lei", "Wang Zhiqiang"). ``pinyin`` is the syllables of
    common characters (:func:`pinyin_table`), so Hong Kong and Wade-Giles spellings that
    only rare characters read ("wong", "hsiung") keep a name out.

    In such a name a word that is other pinyin is another character, not a slip: Zheng is
    not Zhang mistyped, nor Qin Qingshan cut short (the screener uses it so)."""
    return (
        2 <= len(tokens) <= 4
        and any(t in pinyin for t in tokens)
        and all(pinyin_syllables(t, pinyin) for t in tokens)
    )


def given_name_syllables(tokens: Sequence[str], pinyin: frozenset[str]) -> bool:
    """Whether a name is two or three pinyin syllables written apart, as a Chinese person's
    surname and given name are ("Tan Yu", "Li Na", "Wang Xiao Yu"): then a word that also
    abbreviates a legal form (Yu, Na, Sa) is a name's syllable. A word of two syllables
    beside it is a firm's name as often ("Huawei SA")."""
    return 2 <= len(tokens) <= 3 and all(t in pinyin for t in tokens)


@lru_cache(maxsize=65536)
def pinyin_syllables(word: str, pinyin: frozenset[str]) -> bool:
    """Whether ``word`` is one to :data:`MAX_NAME_SYLLABLES` syllables of ``pinyin`` run
    together. A syllable that begins with a vowel begins the word: inside one, pinyin
    writes an apostrophe before it (Xi'an), so "Suen" and "Lee" are no su-en, le-e."""
    return word in pinyin or bool(
        syllable_counts(word, pinyin, most=MAX_NAME_SYLLABLES, vowel_opens=True)
    )


def syllable_counts(
    word: str, syllables: frozenset[str], most: int | None = None, vowel_opens: bool = False
) -> frozenset[int]:
    """Every number of ``syllables`` (at most ``most``) that spells ``word`` run together
    (xian: 1 or 2). ``vowel_opens``: a syllable beginning with a, e or o only opens the word,
    as pinyin writes one inside a word after an apostrophe."""
    longest = 6  # zhuang, shuang
    counts: list[set[int]] = [set() for _ in range(len(word) + 1)]  # syllables spelling word[:i]
    counts[0].add(0)
    for i in range(len(word)):
        if not counts[i] or (vowel_opens and i and word[i] in "aeo"):
            continue
        for k in range(1, min(longest, len(word) - i) + 1):
            if word[i : i + k] in syllables:
                counts[i + k].update(n + 1 for n in counts[i] if most is None or n < most)
    return frozenset(counts[-1])


def syllables(
    tables: dict[str, dict[str, tuple[str, ...]]],
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every syllable of any system -> its pinyin readings with their system, in one table.

    Built once with the index: a query then looks each word up once, not once per system.
    """
    merged: dict[str, list[tuple[str, str]]] = {}
    for system, table in tables.items():
        for syllable, pinyins in table.items():
            merged.setdefault(syllable, []).extend((p, system) for p in pinyins if p != syllable)
    return {k: tuple(v) for k, v in merged.items()}


def spelled_as(
    tables: dict[str, dict[str, tuple[str, ...]]],
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per system, pinyin syllable -> its spellings (:func:`turned`, :func:`hong_kong_spellings`,
    :func:`tongyong_spellings`), merged into pinyin syllable -> (spelling, system): for a
    pinyin query to meet a name a list writes only in those spellings ("lu" -> "lo", Hong
    Kong). A system that writes a syllable as pinyin does keeps it too ("mei", Wade-Giles):
    a name is spelled in one system throughout (:func:`systems`)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for system, table in tables.items():
        for reading, spellings in table.items():
            found.setdefault(reading, []).extend((s, system) for s in spellings)
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def tongyong_spellings() -> dict[str, tuple[str, ...]]:
    """Pinyin syllable -> its Tongyong spelling (:func:`tongyong`), the same one or not."""
    return {s.replace("v", "u"): (tongyong(s),) for s in _syllables()}


def turned(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A spelling -> pinyin table turned round: pinyin -> the spellings of it."""
    found: dict[str, list[str]] = {}
    for spelling, pinyins in table.items():
        for reading in pinyins:
            found.setdefault(reading, []).append(spelling)
    return {k: tuple(v) for k, v in found.items()}


def hong_kong_spellings() -> dict[str, tuple[str, ...]]:
    """Pinyin syllable -> the Hong Kong Government spellings (cjk.government_readings) of the
    common characters that read so first. A name in pinyin was written from its characters'
    usual readings: a character's rarer readings (余 as "tu") would tie each syllable to
    twice the spellings, and a made-up name to listed ones (:func:`hong_kong_table` keeps
    them all, for reading a Hong Kong spelling, where any of them may be the one meant)."""
    from chipbridge.screening.cjk import government_readings, to_traditional

    found: dict[str, list[str]] = {}
    for char in common_characters():
        readings = _readings_of(char)
        if readings:
            spelled = government_readings(char) or government_readings(to_traditional(char))
            found.setdefault(readings[0].replace("v", "u"), []).extend(
                variant for spelling in spelled for variant in with_or(spelling)
            )
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


# One way a pinyin word may be written: (spelling, system, share of the word, whether the
# spelling differs from the pinyin).
Spelling = tuple[str, str, float, bool]


def spellings(
    tokens: Sequence[str],
    spelled: dict[str, tuple[tuple[str, str], ...]],
    pinyin: frozenset[str],
) -> list[tuple[Spelling, ...]]:
    """Each word of a pinyin name as the other systems may write it. A word of one syllable
    is spelled whole ("lu" -> "lo"); a given name of two run together is spelled whole
    ("guoji" -> "kwokki") and syllable by syllable, each syllable a share of the word, as
    lists write such names apart ("weicong" -> "wai" and "chung", from "Wai-chung"). Both
    syllables of a word are spelled in one system. A word spelled whole as pinyin writes it
    is left out: it is met as it is."""
    found: list[tuple[Spelling, ...]] = []
    for token in tokens:
        alternatives: list[Spelling] = [
            (s, y, 1.0, True) for s, y in spelled.get(token, ()) if s != token
        ]
        for head, tail in _two_syllables(token, pinyin):
            heads, tails = spelled.get(head, ()), spelled.get(tail, ())
            alternatives += [
                (a + b, x, 1.0, True)
                for a, x in heads
                for b, y in tails
                if x == y and a + b != token
            ]
            for part, ways in ((head, heads), (tail, tails)):
                share = len(part) / len(token)
                alternatives += [(s, y, share, s != part) for s, y in ways]
        found.append(tuple(dict.fromkeys(alternatives)))
    return found


def systems(
    word: str,
    listed: str,
    spelled: dict[str, tuple[tuple[str, str], ...]],
    pinyin: frozenset[str],
) -> frozenset[str]:
    """The systems (:func:`spelled_as`) that write the pinyin word ``word``, a syllable or
    two run together, as ``listed``: both syllables in the same one."""
    found = frozenset(y for s, y in spelled.get(word, ()) if s == listed)
    for head, tail in _two_syllables(word, pinyin):
        found |= joined_systems(head, tail, listed, spelled, pinyin)
    return found


def split_systems(
    word: str,
    first: str,
    second: str,
    spelled: dict[str, tuple[tuple[str, str], ...]],
    pinyin: frozenset[str],
) -> frozenset[str]:
    """The systems in which two listed words, in this order, spell the two syllables of a
    pinyin word: "Wai Chung" does "weicong" in Hong Kong spelling, where "Chung Wai", or a
    surname and one given syllable, are another person's (none)."""
    found: frozenset[str] = frozenset()
    for head, tail in _two_syllables(word, pinyin):
        found |= systems(head, first, spelled, pinyin) & systems(tail, second, spelled, pinyin)
    return found


def joined_systems(
    first: str,
    second: str,
    listed: str,
    spelled: dict[str, tuple[tuple[str, str], ...]],
    pinyin: frozenset[str],
) -> frozenset[str]:
    """The systems in which one listed word spells two pinyin words run together."""
    found: frozenset[str] = frozenset()
    for cut in range(1, len(listed)):
        found |= systems(first, listed[:cut], spelled, pinyin) & systems(
            second, listed[cut:], spelled, pinyin
        )
    return found


def _two_syllables(word: str, pinyin: frozenset[str]) -> list[tuple[str, str]]:
    """The ways ``word`` is two pinyin syllables run together, the second not opening with
    a vowel (:func:`pinyin_syllables`)."""
    return [
        (word[:cut], word[cut:])
        for cut in range(1, len(word))
        if word[cut] not in "aeo" and word[:cut] in pinyin and word[cut:] in pinyin
    ]


def readings(
    tokens: tuple[str, ...],
    known: dict[str, tuple[tuple[str, str], ...]],
    pinyin: frozenset[str],
    marked: bool = False,
) -> list[tuple[tuple[str, str], ...]] | None:
    """Pinyin readings of a name written in other romanisations: (reading, system) per token.

    ``known`` is :func:`syllables`' table, ``pinyin`` the pinyin syllables. Only a name
    whose every word is a syllable, or two syllables run together, of Chinese romanisations,
    and one word at least not pinyin, qualifies ("Chou Tzu-hsueh", "Wong Kwok-ying", "Jhu
    Yuecyun"): ordinary Latin names are left alone, and so are names already written in
    pinyin ("Wang Yu", "Bai Han", "Wang Zhiqiang": :func:`reads_as_pinyin`), unless
    ``marked``: syllables joined by hyphens or apostrophes ("Chen Ming-kuo", "Ch'en") are
    how Wade-Giles and Hong Kong spellings write a given name, and pinyin does not, even
    where each syllable is also a pinyin one (kuo, chen).
    """
    if len(tokens) < 2 or (
        not marked and (all(t in pinyin for t in tokens) or reads_as_pinyin(tokens, pinyin))
    ):
        return None
    found: list[tuple[tuple[str, str], ...]] = []
    for token in tokens:
        alternatives = known.get(token)
        if alternatives is None:
            if len(token) > MAX_JOINED or not token.isalpha():
                return None
            halves = [
                (token[:cut], token[cut:])
                for cut in range(1, len(token))
                if token[:cut] in known and token[cut:] in known
            ]
            if not halves:
                return None
            joined: list[tuple[str, str]] = []
            for head, tail in halves:
                heads = [(head, ""), *known[head]]
                tails = [(tail, ""), *known[tail]]
                joined += [
                    (a + b, x or y)
                    for a, x in heads
                    for b, y in tails
                    if (x or y) and a + b != token
                ]
            alternatives = tuple(dict.fromkeys(joined))
        found.append(alternatives)
    return found if any(found) else None
