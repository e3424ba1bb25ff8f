"""Normalised forms -> a candidate index.

Every listed name is analysed once and its tokens posted in an inverted index. A query looks
up, for each of its tokens, the listed tokens it could stand for (exact, plural, typo within
one or two edits through a symmetric-delete table, same metaphone code, two words run
together, one word split in two) and gathers the names holding them. Tokens are weighted by
rarity (IDF), so "Corporation" or "Trading" gathers little evidence and a name's rare words
decide. The cost of a query depends on its tokens' posting lists, with very common tokens
only topping up names already found, not on the size of the list.

The index is kept in flat lists of plain values so that it pickles and unpickles quickly: a
fresh ``chipbridge screen`` process loads it from the cache instead of rebuilding it.
"""

from __future__ import annotations

import heapq
import math
import pickle
import re
import threading
import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar, cast

import orjson
from rapidfuzz.distance import OSA
from rigour.names import extract_org_types, tokenize_name
from rigour.text.phonetics import metaphone

from chipbridge.screening import (
    abjad,
    cjk,
    hangul,
    lattice,
    parties,
    qualifiers,
    romanise,
    soundalike,
)
from chipbridge.screening.model import AliasKind, EntityType, Entry
from chipbridge.screening.normalize import NameForm, analyse, party_name, stem
from chipbridge.screening.translit import ascii_text

# Fuzzy and phonetic matching only for tokens long enough that one edit is a typo rather
# than a different word ("li" vs "lu").
MIN_FUZZY_LEN = 4
MIN_PHONETIC_LEN = 4
MIN_SPLIT_PART = 2
# Truncations ("Info", "Intl"-style cut words) from this length, looked up up to this length,
# and at most this many listed words per prefix (the most common).
MIN_TRUNCATION = 3
MAX_TRUNCATION = 6
MAX_TRUNCATION_FANOUT = 8
# Unknown words this short may abbreviate a longer organisation word by keeping some of its
# letters in order, first letter first ("Shpg" for "Shipping", "Devt" for "Development").
MIN_ABBREVIATION = 2
MAX_ABBREVIATION = 6
MIN_ABBREVIATED = 5
MIN_ABBREVIATED_NAMES = 2
MAX_BUCKET = 300
# ... and so may words that only this many listed names hold ("Shpg" is one firm's name).
RARE = 8
# Transliterations of one name part: same spelling key (Ivanoff/Ivanov, Klyujew/Klyuyev),
# or same consonants only (Mohammed/Muhammad), which is weaker; a consonant skeleton shared
# by more listed words than this says little. Skeletons need this many letters.
FAMILY_SIMILARITY = 0.92
SKELETON_SIMILARITY = 0.86
MAX_SKELETON = 12
MIN_SKELETON = 3
# Words this long are also compared with listed words sharing their first letters.
LONG_WORD = 8
PREFIX_LEN = 5
# Two long words of one root (all but two letters of the shorter one, six at least).
MIN_ROOT = 6
ROOT_SIMILARITY = 0.88
# Weight of a token that may be a short legal form rather than a name part ("SA", "Yu").
SOFT_WEIGHT = 0.5
# Similarity of a word written cut short with a full stop ("Petr.") to a word it begins or
# abbreviates.
CUT_SIMILARITY = 0.9
_CUT_KINDS = frozenset({"truncation", "abbreviation"})
# Similarity kept by a match made through another reading of the query (Wade-Giles -> pinyin).
READING_FACTOR = 0.95
# Where people's names are written in Chinese romanisations: a listed person of one of these
# is met by a pinyin query through the Hong Kong, Wade-Giles or Tongyong spellings of its
# syllables ("Lu Weicong" -> "LO, Wai-chung"). Not one of no stated country: most of those
# the lists name are not Chinese, and many such names read as syllables ("KING, Sam").
CHINESE_COUNTRIES = frozenset({"CN", "HK", "TW", "MO"})
# Those with spellings of their own, which the mainland's pinyin is not.
LOCAL_SPELLINGS = frozenset({"HK", "TW", "MO"})
# McCune-Reischauer writes a Korean vowel with a breve, which lists give as an apostrophe
# after it ("So'ng", "Wo'n"); Wade-Giles puts its apostrophe after a consonant ("Ch'en").
_KOREAN_VOWEL = re.compile(r"[aeiouAEIOU]['\u2019][a-zA-Z]")
# Syllables joined by a hyphen or an apostrophe ("Ming-kuo", "Ch'en"): Wade-Giles and Hong
# Kong spellings, not pinyin.
SYLLABLES = re.compile(r"[A-Za-z][-'\u2018\u2019][A-Za-z]")
# Kinds of match of a word written in Hangul, Arabic or Hebrew script (_script_matches).
SCRIPT_KINDS = frozenset({hangul.KIND, *abjad.KINDS})
# How many listed variants of one query word may bring in candidate names.
SEED_VARIANTS = 6
# ... and any variant that only this many names hold.
FEW_POSTINGS = 16
# Up to this many items, the best few are picked by sorting them all (in C) rather than by
# heapq's partial selection (a walk in Python); past it the walk is cheaper. Either picks the
# same items in the same order.
SORTED_SELECTION = 1000
# Per-word lookups remembered between queries (cleared when full).
WORD_CACHE_SIZE = 200_000
K = TypeVar("K")
V = TypeVar("V")


class TokenMatch(NamedTuple):
    """One way a query token (or adjacent pair) can stand for a listed token.

    A named tuple rather than a dataclass: a query creates dozens, and tuples are cheapest.
    """

    positions: tuple[int, ...]
    similarity: float
    kind: str  # exact | plural | typo | phonetic | joined | split
    # Share of the query token this match covers: 1, except for the halves of a split word.
    share: float = 1.0


def is_split(kind: str) -> bool:
    """Whether a match is one part of a query word split across listed words (plainly or
    through another system's spelling of its syllable): the parts share the word."""
    return kind == "split" or kind.endswith(" split")


# TokenMatch(...) goes through a Python-level __new__; token_matches makes dozens per query
# and builds them straight from a tuple (the same object, half the cost).
_new_match = tuple.__new__


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One listed name as the scorer sees it (built on demand from the flat index)."""

    entry: int
    alias: int  # position in the entry's names(): 0 is the primary name
    kind: AliasKind
    tokens: tuple[str, ...]
    legal: tuple[str, ...]
    rules: tuple[str, ...]
    weights: tuple[float, ...]
    total: float


def _reach(match: TokenMatch) -> float:
    """The most a match can count once scored: a word cut short counts as much as one with a
    full stop where it stands in the listed name (score.in_place)."""
    if match.kind in _CUT_KINDS:
        return max(match.similarity, CUT_SIMILARITY)
    return match.similarity


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _keeper(best: dict[str, tuple[float, str]]) -> Callable[[str, float, str], None]:
    """What adds a listed word to ``best`` as a way finds it: its best (similarity, kind) is
    kept, the first way's unless a later one finds it more similar."""

    def add(listed: str, sim: float, kind: str) -> None:
        current = best.get(listed)
        if current is None or sim > current[0]:
            best[listed] = (sim, kind)

    return add


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` keeps letters of ``long`` in order, the first two included.

    "shpg" abbreviates "shipping" and "elecs" "electronics"; the second letter must come
    early ("ms" is not "mechanics").
    """
    if short[1] not in long[1:4]:
        return False
    position = 1
    for letter in short[1:]:
        position = long.find(letter, position) + 1
        if not position:
            return False
    return True


def _same_root(a: str, b: str) -> bool:
    """Whether two long words share all but their last two letters, six at least."""
    shorter = min(len(a), len(b))
    common = next((i for i in range(shorter) if a[i] != b[i]), shorter)
    return common >= MIN_ROOT and common >= shorter - 2


def _proper_prefixes(words: set[str]) -> frozenset[str]:
    """Every start of a word, shorter than the word and fuzzy-matchable ("liabi", "obshch"):
    a word cut short is one set look-up, not a scan of the words (derived, never pickled)."""
    return frozenset(w[:cut] for w in words for cut in range(MIN_FUZZY_LEN, len(w)))


def _delete_table(words: set[str]) -> dict[str, tuple[str, ...]]:
    """Each word, and each word less one letter -> the words it comes from (derived, never
    pickled): the candidates for a word one edit from one of ``words``."""
    table: dict[str, list[str]] = {}
    for word in sorted(words):
        for key in {word} | _deletes(word):
            table.setdefault(key, []).append(word)
    return {key: tuple(found) for key, found in table.items()}


# From this length on, a word one edit from another keeps its first two letters or its last
# two (an edit at the second letter or later keeps the first two; one at the first or second
# keeps the last two of a word this long).
_ENDS_FROM = 5


def _ends_table(words: set[str]) -> frozenset[tuple[int, str]]:
    """(length, first two letters) and (-length, last two) of every word one edit from one
    of ``words`` (derived, never pickled): most words are not, and a look-up tells."""
    return frozenset(
        key
        for word in words
        for size in (len(word) - 1, len(word), len(word) + 1)
        for key in ((size, word[:2]), (-size, word[-2:]))
    )


def max_edits(length: int) -> int:
    return 1 if length < 8 else 2


def typo_similarity(query: str, listed: str, edits: int) -> float:
    """Similarity of two words ``edits`` typing errors apart.

    One slip in a five-letter word still leaves a name worth a look (0.85); more edits and
    shorter words count for less, and a different first letter (Wang/Kang) for less again,
    since typists rarely miss the first letter but different names often differ there.
    """
    longest = max(len(query), len(listed))
    sim = 1.0 - edits / (2 * longest) - 0.05
    if query[0] != listed[0]:
        # In a short word a different first letter is usually another name (Wang, Kang).
        sim -= 0.1 if longest > 4 else 0.2
    return sim


def person_flag(kind: EntityType | None) -> bool | None:
    """The ``person`` argument :func:`analyse` takes for a party of this type."""
    if kind is EntityType.PERSON:
        return True
    if kind in (EntityType.COMPANY, EntityType.VESSEL, EntityType.AIRCRAFT):
        return False
    return None


class Memo(dict[K, V]):
    """A bounded memo that threads can share: emptied when full, every write under a lock.

    The index answers queries from many threads at once (the web server, screen-file); the
    lock keeps a clear from one thread and a write from another from interleaving. Reads
    take no lock: one ``dict.get`` is atomic, and a read is the hot path of every query, so
    the memo is a dict and ``get`` is the dict's own (a Python-level wrapper cost as much as
    the look-up). Write only through :meth:`put`.
    """

    __slots__ = ("_lock", "_size")

    def __init__(self, size: int) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._size = size

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if len(self) >= self._size:
                self.clear()
            self[key] = value


_KINDS = tuple(AliasKind)
# The rules of a derived acronym: one shared tuple, so tens of thousands cost nothing.
ACRONYM_RULES = ("derived acronym",)
# Words an acronym may or may not take a letter from ("CETC": China Electronics Technology
# Group Corporation skips "Group" but keeps "Corporation").
_GENERIC = frozenset({"group", "holding", "holdings", "corporation", "corp", "company", "co"})
_CONNECTORS = frozenset(
    {"of", "the", "and", "for", "in", "de", "del", "la", "le", "des", "du", "da", "do"}
)
MIN_ACRONYM_WORDS = 3
# Company suffixes acronyms leave out ("CNPC", not "CNPCCL").
_SUFFIXES = frozenset({"co", "company", "corp", "corporation", "inc", "incorporated", "ltd"})
_SUFFIXES |= {"limited", "llc", "plc"}
_BRACKETED = re.compile(r"\([^)]*\)")
_QUOTED = re.compile(r"(?<!\w)['\"]([^'\"]+)['\"](?!\w)")


def acronyms(name: str, form: NameForm) -> list[str]:
    """Acronyms a reader may type for an organisation's name, from its words' initials.

    The distinctive words always give a letter; generic words (legal forms, group,
    corporation) may or may not: all of them, none, only the last one when it is a word
    such as "Corporation" or "Group" (not a legal abbreviation), or all but the bare
    company suffixes (Co., Ltd., Inc., S.A.), which acronyms drop while a longer legal phrase
    gives letters ("JSCB" for Joint Stock Commercial Bank). A name of one distinctive word
    gives only acronyms that take three letters at least from such a phrase ("PJSR" for
    Public Joint Stock Company Rostelecom), and none that reads as a legal form itself.
    An acronym has three letters at least (four when it holds fewer than three distinctive
    words): shorter ones are not how names are written.
    A bracketed part is read both ways: it is often the acronym itself ("... (AASPT)"),
    and sometimes part of the name ("Vida Panama (Zona Libre)"). Words written with marks
    in or after them (an article joined by a hyphen, a possessive, a number, a dotted
    abbreviation: "Al-Amer", "People's", "5", "S.A.L.") are read both ways too: writers of
    acronyms keep some of them and leave others out.
    """
    plain = ascii_text(name).lower().replace("&", " and ")
    bare = _BRACKETED.sub(" ", plain)
    found: list[str] = []
    for text in dict.fromkeys((bare, plain.replace("(", " "), _unmarked(bare))):
        words = [w for w in tokenize_name(text) if w and w not in _CONNECTORS and w[0].isalpha()]
        generic = form.legal_words | _GENERIC
        flags = [w in generic or w not in form.tokens for w in words]
        distinctive = flags.count(False)
        if not distinctive:
            continue
        optional = [i for i, flag in enumerate(flags) if flag]
        # Only the last generic word alone: "Corporation" in CETC, never the last letter of
        # a legal phrase ("SIN-MEX Importadora S.A. de C.V." is not "SMIC").
        last = optional[-1:] if optional and words[optional[-1]] in _GENERIC else []
        keep_sets = [
            set(),
            set(optional),
            set(last),
            {i for i in optional if words[i] not in _SUFFIXES and len(words[i]) > 2},
        ]
        shortest = MIN_ACRONYM_WORDS if distinctive >= MIN_ACRONYM_WORDS else MIN_ACRONYM_WORDS + 1
        for keep in keep_sets:
            if distinctive < MIN_ACRONYM_WORDS - 1 and len(keep) < MIN_ACRONYM_WORDS:
                continue
            letters = "".join(w[0] for i, w in enumerate(words) if not flags[i] or i in keep)
            if len(letters) < shortest or letters in found or letters in words:
                continue
            if distinctive < MIN_ACRONYM_WORDS - 1 and extract_org_types(letters):
                continue  # "PJSC" is a legal form, not Public Joint Stock Company C...
            found.append(letters)
    return found


def _unmarked(text: str) -> str:
    """``text`` without its words that carry marks other than a closing full stop or comma.

    A quoted phrase is the name itself ("OOO 'BM Proekt'"): its quotes are not marks.
    """
    text = _QUOTED.sub(r"\1", text)
    return " ".join(w for w in text.split() if w.strip(",.()").isalpha())


# Entries are kept as zlib-compressed JSON in blocks of this many: a hit decodes one block.
ENTRY_BLOCK = 8
# Decoded entries remembered (hits cluster on the same parties).
ENTRY_CACHE_SIZE = 8192
# Assembled names remembered (the same candidates come up for many queries).
NAME_CACHE_SIZE = 50_000
# Per-process memories, never pickled with the index.
_CACHES = (
    "_entries",
    "_word_cache",
    "_name_cache",
    "han_plans",
    "_legal_typos",
    "_legal_prefixes",
    "_legal_deletes",
    "_legal_ends",
    "parent_groups",
    "lattice_matches",
    "lattice_weights",
    "listed_places",
    "discipline_roots",
    "derived_names",
)

# Attributes without strings inside, pickled as they are (see NameIndex.__getstate__).
_FLAT = frozenset(
    ("entry_blocks", "name_entry", "name_alias", "name_kind", "name_total", "count", "size")
)


class NameIndex:
    """Inverted index over every name and alias of a set of entries. Read-only once built.

    Memory matters at hundreds of thousands of names, so per-name data lives in flat arrays
    and plain strings, weights are computed when a name is scored, and full entries stay
    compressed until a hit needs one.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._memos()
        self.count = len(entries)
        self.entry_blocks = [
            # orjson writes the dataclasses as Entry.to_dict would, without copying them first.
            zlib.compress(orjson.dumps(entries[i : i + ENTRY_BLOCK]))
            for i in range(0, len(entries), ENTRY_BLOCK)
        ]
        self.entry_type = [e.type.value for e in entries]
        # Ownership links between entries of one list, both ways, for the affiliate checks.
        self.owners: dict[int, list[tuple[int, float | None]]] = {}
        self.owned: dict[int, list[int]] = {}
        with_owners = [i for i, e in enumerate(entries) if e.owners]
        keys = {(e.dataset, e.id): i for i, e in enumerate(entries)} if with_owners else {}
        for e_idx in with_owners:
            entry = entries[e_idx]
            for link in entry.owners:
                owner = keys.get((entry.dataset, link.owner_id))
                if owner is not None:
                    self.owners.setdefault(e_idx, []).append((owner, link.percent))
                    self.owned.setdefault(owner, []).append(e_idx)
        self.entry_countries = [e.countries for e in entries]
        # Parallel arrays, one slot per listed name (primary name or alias).
        self.name_entry = array("i")
        self.name_alias = array("H")
        self.name_kind = array("b")
        self.name_tokens: list[str] = []  # space-separated normalised tokens
        self.name_legal: list[tuple[str, ...]] = []
        self.name_rules: list[tuple[str, ...]] = []
        self.name_soft: dict[int, frozenset[str]] = {}  # only names that have soft tokens
        # Words seen inside legal forms anywhere on the list ("joint", "stock",
        # "obshchestvo"): wherever they turn up outside one, they still say little.
        self.legal_words: set[str] = set()
        postings: dict[str, array[int]] = {}
        han_names: dict[int, tuple[str, bool | None]] = {}
        organisation_words: set[str] = set()
        derived_words: set[str] = set()
        person_words: set[str] = set()  # words of names that may be people's
        listed_words: set[str] = set()
        organisation_freq: dict[str, int] = {}
        organisation_names = 0
        # Each listed name is read once: past the query cache, which would otherwise hold
        # tens of thousands of forms while the index grows (the build's memory peak).
        read = analyse.__wrapped__
        # Listed names of people of CHINESE_COUNTRIES, none of them Korean (a DPRK agent in
        # China), with whether their syllables are joined as Wade-Giles and Hong Kong do.
        chinese_people: list[tuple[int, bool]] = []
        for e_idx, entry in enumerate(entries):
            person = person_flag(entry.type)
            # Hong Kong, Macau and Taiwan write names in their own spellings, even where
            # every syllable is a pinyin one too ("KAN, Kai Yan").
            local = not LOCAL_SPELLINGS.isdisjoint(entry.countries)
            chinese = (
                person is True
                and not CHINESE_COUNTRIES.isdisjoint(entry.countries)
                and "KP" not in entry.countries
                and not any(_KOREAN_VOWEL.search(a.name) for a in entry.names())
            )
            if chinese and not local:
                # A North Korean agent living on the mainland, listed with its address's
                # country alone: a name Korean reads whole is Korean. Hong Kong, Macau and
                # Taiwan spellings are those places' own (CHOI, Chin-pang).
                chinese = not any(
                    hangul.reads_as_korean(read(a.name, True).tokens) for a in entry.names()
                )
            for a_idx, alias in enumerate(entry.names()):
                spellings: list[tuple[NameForm, tuple[str, ...]]] = [(read(alias.name, person), ())]
                if person is not False and cjk.has_han(alias.name):
                    # A Chinese person name is also indexed as Hong Kong records spell it.
                    spellings += [
                        (read(form, True), (f"Hong Kong romanisation {alias.name}->{form}",))
                        for form in cjk.hong_kong_forms(alias.name, limit=4)
                    ]
                if not cjk.has_han(alias.name) and (
                    person is False or (person is None and spellings[0][0].legal)
                ):
                    spellings += [
                        (NameForm((acronym,), spellings[0][0].legal, ACRONYM_RULES), ())
                        for acronym in acronyms(party_name(alias.name), spellings[0][0])
                    ]
                for form, extra_rules in spellings:
                    if not form.tokens:
                        continue
                    kind = AliasKind.DERIVED if form.rules is ACRONYM_RULES else alias.kind
                    n_idx = len(self.name_entry)
                    self.name_entry.append(e_idx)
                    self.name_alias.append(a_idx)
                    self.name_kind.append(_KINDS.index(kind))
                    self.name_tokens.append(" ".join(form.tokens))
                    if chinese and not extra_rules:
                        marked = local or bool(SYLLABLES.search(alias.name))
                        chinese_people.append((n_idx, marked))
                    self.name_legal.append(form.legal)
                    self.name_rules.append(form.rules + extra_rules)
                    if form.soft:
                        self.name_soft[n_idx] = form.soft
                    self.legal_words.update(form.legal_words)
                    if kind is AliasKind.DERIVED:
                        derived_words.update(form.tokens)
                    else:
                        listed_words.update(form.tokens)
                    if person is not False and kind is not AliasKind.DERIVED:
                        person_words.update(form.tokens)
                    if person is not True and kind is not AliasKind.DERIVED:
                        organisation_words.update(form.tokens)
                        organisation_names += 1
                        for token in set(form.tokens):
                            organisation_freq[token] = organisation_freq.get(token, 0) + 1
                    for token in set(form.tokens):
                        postings.setdefault(token, array("i")).append(n_idx)
                    if (
                        not extra_rules
                        and kind is not AliasKind.DERIVED
                        and cjk.has_han(alias.name)
                    ):
                        han_names[n_idx] = (alias.name, person)
        # Listed names in Chinese characters with their lattices, reachable by the lattices'
        # words (an English or pinyin query meeting a name the list writes in Chinese). Kept
        # built, so that a Latin query never loads the segmenter.
        self.han_lattices = {
            n: lattice.build(text, person) for n, (text, person) in han_names.items()
        }
        lattice.build.cache_clear()
        self.han_postings = lattice.postings(self.han_lattices)
        # Listed bodies' acronyms and the words they stand for, for Chinese short names.
        self.group_acronyms = lattice.group_acronyms(self)
        self.parent_groups = lattice.ParentGroups.of(self.group_acronyms)
        # Listings of one party (the CSL republishing the SDN, built-in entries repeating
        # official ones): only parties listed more than once are stored.
        self.party_members = parties.members(parties.group(entries))
        self.party_of = {m: root for root, ms in self.party_members.items() for m in ms}
        self.builtin_entries = frozenset(i for i, e in enumerate(entries) if e.builtin)
        # The forms were needed once each; do not keep tens of thousands in the cache.
        analyse.cache_clear()
        self.postings = postings
        # Listed brand words by their sound skeleton, which a Chinese trade name's characters
        # may have (lattice.brand_sound_readings): built with the index, so that a fresh
        # process's first Chinese query does not make it.
        self.sound_table = soundalike.table(postings)
        # Trade names the alias registry writes in characters (lattice.homophone): made
        # from the registry through the segmenter, 0.03-0.05 s that a fresh process's first
        # Chinese query spent; built with the index (whose key names the code and data) when
        # its lists hold Chinese names, which loaded the segmenter already. Lists without
        # any leave it to the first Chinese query: a Latin one never loads the segmenter.
        self.registry_spellings: dict[str, frozenset[str]] | None = (
            lattice.registry_spellings() if self.han_lattices else None
        )
        self.size = max(len(self.name_entry), 1)
        self.max_idf = math.log(1 + self.size)
        self.idf = {t: math.log(1 + self.size / len(p)) for t, p in self.postings.items()}
        # key -> listed tokens, space-separated: one string per key unpickles far faster
        # than one list per key, and most keys have a single token.
        deletes: dict[str, list[str]] = {}
        phonetic: dict[str, list[str]] = {}
        families: dict[str, list[str]] = {}
        skeletons: dict[str, list[str]] = {}
        consonants: dict[str, list[str]] = {}
        stems: dict[str, list[str]] = {}
        prefixes: dict[str, list[str]] = {}
        truncations: dict[str, list[str]] = {}
        # Long words of organisations' names, for words of one root.
        self.organisation_words = frozenset(t for t in organisation_words if len(t) >= LONG_WORD)
        # Sorted wherever a set is walked to fill a table that keeps only its most common words
        # (truncations, abbreviations): words as common as each other then rank in one fixed
        # order, not in the order of the string hash seed, so every process builds the same
        # index and gives the same answers.
        organisation_order = sorted(organisation_words)
        for token in organisation_order:
            for cut in range(MIN_TRUNCATION, min(len(token) - 1, MAX_TRUNCATION + 1)):
                truncations.setdefault(token[:cut], []).append(token)
        # Words only derived acronyms hold: to a query they are still unknown words, and
        # they are matched exactly or not at all (no typo or sound-alike tables).
        self.derived_only = frozenset(derived_words - listed_words)
        del derived_words, listed_words
        for token in self.postings:
            if token in self.derived_only:
                continue
            if len(token) >= LONG_WORD:
                prefixes.setdefault(token[:PREFIX_LEN], []).append(token)
            if len(token) >= MIN_FUZZY_LEN:
                for key in _deletes(token) | {token}:
                    deletes.setdefault(key, []).append(token)
            if len(token) >= MIN_PHONETIC_LEN and token.isalpha():
                phonetic.setdefault(metaphone(token), []).append(token)
            if len(token) >= romanise.MIN_KEYED and token.isalpha() and token in person_words:
                key = romanise.family_key(token)
                if key != token:
                    families.setdefault(key, []).append(token)
                bones = romanise.skeleton(key)
                if len(token) >= romanise.MIN_SKELETON_WORD and len(bones) >= MIN_SKELETON:
                    skeletons.setdefault(bones, []).append(token)
            if token in person_words and token.isalpha() and token not in romanise.ARTICLES:
                consonants.setdefault(abjad.latin_key(token)[0], []).append(token)
            stems.setdefault(stem(token), []).append(token)
        self.deletes = {k: " ".join(v) for k, v in deletes.items()}
        self.families = {k: " ".join(v) for k, v in families.items()}
        self.skeletons = {k: " ".join(v) for k, v in skeletons.items() if len(v) <= MAX_SKELETON}
        # People's words by their consonants, for names written in Arabic or Hebrew script.
        self.consonants = {k: " ".join(v) for k, v in consonants.items()}
        self.phonetic = {k: " ".join(v) for k, v in phonetic.items()}
        self.stems = {k: " ".join(v) for k, v in stems.items()}
        self.prefixes = {k: " ".join(v) for k, v in prefixes.items()}
        # Truncated words ("Info" for "Information"): only in names of organisations, where
        # words are cut short (people's names are not).
        # A prefix many words share keeps its most common ones: those are the words cut
        # short in practice ("Aero" for Aerospace, "Invest" for Investment).
        self.truncations = {
            k: " ".join(
                sorted(v, key=organisation_freq.__getitem__, reverse=True)[:MAX_TRUNCATION_FANOUT]
            )
            for k, v in truncations.items()
        }
        # Organisation words by their first letter and one of the next three, for
        # abbreviations ("Shpg" for "Shipping": bucket "sh").
        # Only words several names share are abbreviated in practice (Shipping, Development,
        # not a firm's own name), and each bucket keeps its most common words: the cost of a
        # lookup stays the same however long the list grows.
        heads: dict[str, list[str]] = {}
        for token in organisation_order:
            if (
                len(token) >= MIN_ABBREVIATED
                and token.isalpha()
                and organisation_freq.get(token, 0) >= MIN_ABBREVIATED_NAMES
            ):
                for letter in set(token[1:4]):
                    heads.setdefault(token[0] + letter, []).append(token)
        self.abbreviated = {
            k: " ".join(sorted(v, key=organisation_freq.__getitem__, reverse=True)[:MAX_BUCKET])
            for k, v in heads.items()
        }
        # Branch, office and place words: what a query may add to a listed name at little cost.
        self.qualifiers, self.place_phrases = qualifiers.qualifier_words(
            organisation_freq, organisation_names
        )
        self.place_countries = qualifiers.place_countries(self.qualifiers, self.place_phrases)
        self.nations = qualifiers.nation_names(self.qualifiers, self.place_phrases)
        del organisation_freq
        # Past this size a posting list only tops up names found through rarer tokens.
        self.max_postings = max(2000, self.size // 50)
        # Each name's total weight, for ranking candidates before they are scored.
        self.name_total = array("f", (self._assemble(n).total for n in range(len(self.name_entry))))
        # Chinese syllables as other romanisations write them -> pinyin.
        romanisations = {
            "wade-giles": cjk.wade_giles_table(),
            "tongyong": romanise.tongyong_table(),
            "hong kong": romanise.hong_kong_table(),
        }
        # pypinyin's own syllables count as known too (a name mixing pinyin and another
        # system), with no other reading.
        pinyin = romanise.pinyin_table()
        self.syllables = romanise.syllables({**romanisations, "pinyin": pinyin})
        self.pinyin = romanise.common_pinyin()
        # Pinyin syllables as other systems spell them, and the listed Chinese people whose
        # names are written so (not in pinyin): the only names those spellings may meet.
        self.spelled = romanise.spelled_as(
            {
                "wade-giles": romanise.turned(romanisations["wade-giles"]),
                "tongyong": romanise.tongyong_spellings(),
                # A name the lists write in pinyin after all (two words of two syllables
                # each, as a Tibetan name may be: "CHILIN, Baima") is met in pinyin.
                "pinyin": {p: (p,) for p in self.pinyin},
                "hong kong": romanise.hong_kong_spellings(),
            }
        )
        self.romanised_people = frozenset(
            n_idx
            for n_idx, marked in chinese_people
            if romanise.readings(
                tuple(self.name_tokens[n_idx].split(" ")), self.syllables, self.pinyin, marked
            )
            is not None
        )
        self._legal_prefixes = _proper_prefixes(self.legal_words)
        self._legal_deletes = _delete_table(self.legal_words)
        self._legal_ends = _ends_table(self.legal_words)

    def __getstate__(self) -> dict[str, object]:
        # Each attribute that holds many strings is pickled on its own: one pickle sharing its
        # memo across millions of strings loads three times slower, and load time is what a
        # fresh process waits for. Flat arrays and the compressed entry blocks hold no strings
        # and are passed as they are, not copied into bytes first (the build's memory peak).
        return {
            k: v if k in _FLAT else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
            for k, v in self.__dict__.items()
            if k not in _CACHES
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(
            {k: v if k in _FLAT else pickle.loads(cast(bytes, v)) for k, v in state.items()}
        )
        self._memos()
        self._legal_prefixes = _proper_prefixes(self.legal_words)
        self._legal_deletes = _delete_table(self.legal_words)
        self._legal_ends = _ends_table(self.legal_words)
        # Derived, not pickled: every Chinese query reads it (lattice.match_han).
        self.parent_groups = lattice.ParentGroups.of(self.group_acronyms)

    def _memos(self) -> None:
        self._entries: Memo[int, Entry] = Memo(ENTRY_CACHE_SIZE)
        self._word_cache: Memo[str, tuple[tuple[str, float, str, float], ...]] = Memo(
            WORD_CACHE_SIZE
        )
        self._name_cache: Memo[int, IndexedName] = Memo(NAME_CACHE_SIZE)
        self._legal_typos: Memo[str, bool] = Memo(WORD_CACHE_SIZE)
        # What lattice.py's word matcher and weigher found for a lattice word.
        self.lattice_matches: Memo[
            tuple[str, bool] | tuple[str, bool, bool], tuple[tuple[str, float], ...]
        ] = Memo(WORD_CACHE_SIZE)
        self.lattice_weights: Memo[str, float] = Memo(WORD_CACHE_SIZE)
        # The positions of a listed name's places (lattice.listed_places).
        self.listed_places: Memo[int, tuple[frozenset[int], frozenset[int]]] = Memo(NAME_CACHE_SIZE)
        # lattice.discipline_roots of the listed words, made on first use.
        self.discipline_roots: dict[str, tuple[str, ...]] | None = None
        # The kind of name the index derives itself and the names of that kind
        # (lattice.match_han), made on first use.
        self.derived_names: tuple[int | None, frozenset[int]] | None = None
        # Listed Chinese names' alignment plans (lattice.match_latin), made on first use.
        self.han_plans: dict[int, tuple[frozenset[str], lattice.Plan]] = {}

    def __len__(self) -> int:
        return self.count

    def listings(self, e_idx: int) -> tuple[int, ...]:
        """Every listing of the party that entry ``e_idx`` lists (itself included)."""
        return self.party_members.get(self.party_of.get(e_idx, e_idx), (e_idx,))

    def entry(self, e_idx: int) -> Entry:
        """The full entry, decoded on first use (most entries are never hit)."""
        found = self._entries.get(e_idx)
        if found is None:
            block, offset = divmod(e_idx, ENTRY_BLOCK)
            rows = orjson.loads(zlib.decompress(self.entry_blocks[block]))
            found = Entry.from_dict(rows[offset])
            self._entries.put(e_idx, found)
        return found

    def name(self, n_idx: int) -> IndexedName:
        """One listed name, assembled from the flat arrays (remembered: candidates recur)."""
        found = self._name_cache.get(n_idx)
        if found is not None:
            return found
        found = self._assemble(n_idx)
        self._name_cache.put(n_idx, found)
        return found

    def _assemble(self, n_idx: int) -> IndexedName:
        tokens = tuple(self.name_tokens[n_idx].split(" "))
        soft = self.name_soft.get(n_idx, frozenset())
        # token_weight(t, soft) inlined: a candidate's name is assembled word by word.
        weight = self.idf.get
        top, legal = self.max_idf, self.legal_words
        weights = tuple(
            min(weight(t, top), SOFT_WEIGHT) if t in soft or t in legal else weight(t, top)
            for t in tokens
        )
        return IndexedName(
            self.name_entry[n_idx],
            self.name_alias[n_idx],
            _KINDS[self.name_kind[n_idx]],
            tokens,
            self.name_legal[n_idx],
            self.name_rules[n_idx],
            weights,
            sum(weights) or 1.0,
        )

    def token_weight(
        self, token: str, soft: frozenset[str] = frozenset(), legal: bool = True
    ) -> float:
        """IDF of a token, capped for soft and (unless ``legal`` is false: a word of a
        person's name in pinyin, "Tan Yu") legal-form words; unknown tokens weigh most."""
        weight = self.idf.get(token, self.max_idf)
        if token in soft or (legal and token in self.legal_words):
            return min(weight, SOFT_WEIGHT)
        return weight

    def is_legal_part(self, token: str, joined: Sequence[str] = ()) -> bool:
        """Whether an unknown word is a legal-form word mistyped, cut short or split.

        One edit away ("Joznt", "OJSGC"), its first letters ("Liabi.", "Obshch."), or one
        half of one: ``joined`` holds the word run together with each neighbour, and one of
        them is a legal-form word ("Corpo ration", "Obshche stvo").
        """
        if len(token) < MIN_FUZZY_LEN - 1 or not self.legal_words:
            return False
        if any(self.legal_typo(whole) for whole in joined):
            return True
        if len(token) < MIN_FUZZY_LEN:
            return False
        if token in self._legal_prefixes:
            return True
        return self.legal_typo(token)

    def legal_typo(self, word: str) -> bool:
        # Remembered: the same unknown words (names, trade words) come back across a batch,
        # and each look-up compares the word with every legal-form word.
        size = len(word)
        if (
            size >= _ENDS_FROM
            and (size, word[:2]) not in self._legal_ends
            and (-size, word[-2:]) not in self._legal_ends
        ):
            return False
        found = self._legal_typos.get(word)
        if found is None:
            # Two words one edit apart (OSA: a slip, a letter missing or extra, two letters
            # swapped) share the word or the word less one letter, so the legal words that
            # share one of those with ``word`` are all there is to compare it with.
            found = any(
                OSA.distance(word, legal, score_cutoff=1) <= 1
                for key in (word, *_deletes(word))
                for legal in self._legal_deletes.get(key, ())
            )
            self._legal_typos.put(word, found)
        return found

    def word_matches(self, token: str) -> tuple[tuple[str, float, str, float], ...]:
        """Listed tokens one query word can stand for: (listed, similarity, kind, share).

        Independent of the word's position, so it is cached: names repeat across a batch.
        """
        cached = self._word_cache.get(token)
        if cached is not None:
            return cached
        return self._word_matches(token, self._spelled_close(token))

    def _word_matches(
        self, token: str, best: dict[str, tuple[float, str]]
    ) -> tuple[tuple[str, float, str, float], ...]:
        """:meth:`word_matches` made from the close ways' matches ``best``, and kept."""
        split: list[tuple[str, float, str, float]] = []
        postings = self.postings
        size = len(token)
        add = _keeper(best)
        if (
            MIN_ABBREVIATION <= size <= MAX_ABBREVIATION
            and token.isalpha()
            and (len(postings.get(token, ())) <= RARE or token in self.derived_only)
        ):
            # _abbreviates inlined: a bucket holds tens of words, and every one of them
            # passes its first test (the bucket is the word's first letter and one of its
            # next three), so only the letters in order are left to check.
            rest = token[1:]
            for listed in self.abbreviated.get(token[:2], "").split():
                if len(listed) > size:
                    position = 1
                    for letter in rest:
                        position = listed.find(letter, position) + 1
                        if not position:
                            break
                    else:
                        add(listed, 0.6 + 0.3 * size / len(listed), "abbreviation")
        if token in romanise.ARTICLES and "al" in postings:
            add("al", FAMILY_SIMILARITY, "transliteration")
        if size >= romanise.MIN_KEYED and token.isalpha():
            # Another transliteration of a Russian or Arabic name part (Ivanoff, Ivanov).
            key = romanise.family_key(token)
            for listed in (*self.families.get(key, "").split(), key):
                if listed != token and listed in postings:
                    add(listed, FAMILY_SIMILARITY, "transliteration")
            bones = romanise.skeleton(key) if size >= romanise.MIN_SKELETON_WORD else ""
            for listed in self.skeletons.get(bones, "").split():
                if listed != token:
                    add(listed, SKELETON_SIMILARITY, "transliteration")
        if size >= MIN_PHONETIC_LEN and token.isalpha():
            # Last, and only for words no other way found: a sound-alike explains less
            # than a slip of one letter does.
            for listed in self.phonetic.get(metaphone(token), "").split():
                if listed in best or listed == token or listed[0] != token[0]:
                    continue
                lev = OSA.normalized_similarity(token, listed)
                if lev >= 0.5:
                    add(listed, 0.5 + 0.45 * lev, "phonetic")
        if size >= 2 * MIN_SPLIT_PART + 1 and token not in postings:
            for cut in range(MIN_SPLIT_PART, size - MIN_SPLIT_PART + 1):
                head, tail = token[:cut], token[cut:]
                if head in postings and tail in postings:
                    split.append((head, 1.0, "split", len(head) / size))
                    split.append((tail, 1.0, "split", len(tail) / size))
        if not token.isascii():
            # A word in Hangul, Arabic or Hebrew script also stands for its Latin spellings
            # (a listed name in the same script is met exactly or through a typo, above).
            for listed, sim, kind in self._script_matches(token):
                add(listed, sim, kind)
        found = [(listed, sim, kind, 1.0) for listed, (sim, kind) in best.items()]
        found += split
        result = tuple(found)
        self._word_cache.put(token, result)
        return result

    def _spelled_close(self, token: str) -> dict[str, tuple[float, str]]:
        """The listed words a query word is spelled close to, each at its best (similarity,
        kind): the word itself, its plural, a typo (or, for a long word, a derivation) and a
        truncation. :meth:`word_matches` starts from these; its other ways only add words or
        replace a kind by a higher similarity."""
        # Each listed word once, at the best similarity any way finds it: a word one typo
        # away may also be another transliteration of the same name (Jury, Yury), which
        # says more than the typo does.
        best: dict[str, tuple[float, str]] = {}
        postings = self.postings
        add = _keeper(best)

        if token in postings:
            add(token, 1.0, "exact")
        for listed in self.stems.get(stem(token), "").split():
            if listed != token:
                add(listed, 0.95, "plural")
        size = len(token)
        if size == MIN_FUZZY_LEN - 1:
            # A short word with one letter dropped ("Svo" for "Savo").
            for listed in self.deletes.get(token, "").split():
                if len(listed) == size + 1:
                    add(listed, typo_similarity(token, listed, 1), "typo")
        if size >= MIN_FUZZY_LEN:
            limit = max_edits(size)
            tried: set[str] = set()
            deletes = self.deletes
            # In a fixed order (not the hash seed's), so the matches come in the same order
            # in every process. Most keys are in no listed word: the set intersection (at C
            # speed, walking the keys) leaves them out before the sort.
            keys = _deletes(token)
            keys.add(token)
            for key in sorted(keys & deletes.keys()):
                for listed in deletes[key].split():
                    if listed in tried or listed == token:
                        continue
                    tried.add(listed)
                    dist = OSA.distance(token, listed, score_cutoff=limit)
                    if dist <= limit:
                        add(listed, typo_similarity(token, listed, dist), "typo")
        if size >= LONG_WORD:
            # Two slips in a long word (Agriculture/Agricultural) escape the one-delete
            # table; long words sharing a prefix are compared directly.
            # Organisation words of one root differing in their ending (Industry, Industrial;
            # Technology, Technological) are another form of the same word; people's names
            # are not (Ebrahimi, Ebrahimzadeh).
            for listed in self.prefixes.get(token[:PREFIX_LEN], "").split():
                if listed not in best and listed != token:
                    dist = OSA.distance(token, listed, score_cutoff=2)
                    if dist <= 2:
                        add(listed, typo_similarity(token, listed, dist), "typo")
                    elif listed in self.organisation_words and _same_root(token, listed):
                        add(listed, ROOT_SIMILARITY, "derivation")
        if size >= MIN_TRUNCATION and token.isalpha():
            # A word cut short, on either side: "Info" for "Information", "Airlines" where
            # the list says "Air".
            longer = self.truncations.get(token, "").split()
            shorter = [
                token[:cut] for cut in range(MIN_TRUNCATION, size - 1) if token[:cut] in postings
            ]
            for listed in (*longer, *shorter):
                short, long = sorted((token, listed), key=len)
                add(listed, 0.6 + 0.3 * len(short) / len(long), "truncation")
        return best

    def close_word_matches(
        self, token: str, kinds: frozenset[str], floor: float
    ) -> tuple[tuple[str, float, str, float], ...]:
        """:meth:`word_matches` of ``token`` when a close way (exact, plural, typo,
        derivation, truncation) finds a listed word of one of ``kinds`` at ``floor`` or
        above, else nothing: a way that comes later keeps a listed word's kind only where it
        finds the word more similar than every close way, so then no match of those kinds
        reaches ``floor`` and the full look-up need not be made."""
        found = self._word_cache.get(token)
        if found is not None:
            return found
        best = self._spelled_close(token)
        if not any(k in kinds and sim >= floor for sim, k in best.values()):
            return ()
        return self._word_matches(token, best)

    def _script_matches(self, token: str) -> list[tuple[str, float, str]]:
        """Listed words a Hangul syllable (or two read together) or a word in Arabic or
        Hebrew script stands for: one of its spellings exactly (hangul.py), or a listed
        person's word with its consonants and long vowels (abjad.py)."""
        best: dict[str, tuple[float, str]] = {}
        for reading in hangul.readings(token):
            if reading in self.postings:
                best.setdefault(reading, (READING_FACTOR, hangul.KIND))
        for key, gaps in abjad.script_keys(token):
            for listed in self.consonants.get(key, "").split():
                sim = abjad.similarity(gaps, abjad.latin_key(listed)[1])
                if sim > best.get(listed, (0.0, ""))[0]:
                    best[listed] = (sim, abjad.script(token))
        return [(listed, sim, kind) for listed, (sim, kind) in best.items()]

    def token_matches(
        self,
        tokens: Sequence[str],
        readings: Sequence[tuple[tuple[str, str], ...]] | None = None,
        cut: frozenset[str] = frozenset(),
        written: Sequence[tuple[int, str]] = (),
    ) -> dict[str, list[TokenMatch]]:
        """For each listed token a query could stand for, the ways it can.

        ``readings`` optionally gives other spellings of each query token with the system
        they come from (pinyin for a name typed in Wade-Giles, Tongyong or Hong Kong
        spelling); they match a little below the spelling typed. Words in ``cut`` were
        written with a full stop ("Petr."): their writer says they are cut short, so a
        longer word they begin or abbreviate is as good as a near-exact match. ``written``
        gives, for tokens an abbreviation was expanded to, the word as written: it may also
        begin or abbreviate another listed word ("Comm" for Commercial).
        """
        found: dict[str, list[TokenMatch]] = {}
        for i, short in written:
            for listed, sim, kind, _ in self.word_matches(short):
                if kind in _CUT_KINDS and listed != tokens[i]:
                    if short in cut:
                        sim = max(sim, CUT_SIMILARITY)
                    found.setdefault(listed, []).append(TokenMatch((i,), sim, kind))
        setdefault = found.setdefault
        for i, token in enumerate(tokens):
            position = (i,)  # one tuple shared by the word's matches
            shortened = token in cut
            for listed, sim, kind, share in self.word_matches(token):
                if shortened and kind in _CUT_KINDS and len(listed) > len(token):
                    sim = max(sim, CUT_SIMILARITY)
                setdefault(listed, []).append(_new_match(TokenMatch, (position, sim, kind, share)))
            # A reading is already an inference: it must be found as it is, not through
            # a further typo or sound-alike.
            for reading, system in readings[i] if readings else ():
                if reading in self.postings:
                    match = TokenMatch((i,), READING_FACTOR, system)
                    found.setdefault(reading, []).append(match)
            if (
                i + 1 < len(tokens)
                and not token.isascii()
                and hangul.is_syllables(token + tokens[i + 1])
            ):
                # Two syllables a list writes as one word ("Jongun").
                for listed, sim, kind, _ in self.word_matches(token + tokens[i + 1]):
                    found.setdefault(listed, []).append(TokenMatch((i, i + 1), sim, kind))
            elif i + 1 < len(tokens):
                firsts = ((token, ""), *(readings[i] if readings else ()))
                seconds = ((tokens[i + 1], ""), *(readings[i + 1] if readings else ()))
                for first, one in firsts:
                    for second, other in seconds:
                        joined = first + second
                        if joined in self.postings:
                            system = one or other
                            sim = READING_FACTOR if system else 1.0
                            kind = f"{system} joined" if system else "joined"
                            found.setdefault(joined, []).append(TokenMatch((i, i + 1), sim, kind))
        return found

    def spelled_matches(
        self, tokens: Sequence[str], spellings: Sequence[tuple[romanise.Spelling, ...]]
    ) -> dict[str, list[TokenMatch]]:
        """The listed words a pinyin name's words meet as other systems spell them
        (:func:`romanise.spellings`): whole, a syllable of a word as a share of it, and two
        words' spellings run together. Like a reading, a spelling is met only as it is."""
        found: dict[str, list[TokenMatch]] = {}
        postings = self.postings
        for i, alternatives in enumerate(spellings):
            for spelling, system, share, respelled in alternatives:
                if spelling in postings:
                    kind = system if share == 1.0 else f"{system} split"
                    sim = READING_FACTOR if respelled else 1.0
                    found.setdefault(spelling, []).append(TokenMatch((i,), sim, kind, share))
            if i + 1 < len(spellings):
                firsts = ((tokens[i], ""), *((s, y) for s, y, w, _ in alternatives if w == 1.0))
                seconds = (
                    (tokens[i + 1], ""),
                    *((s, y) for s, y, w, _ in spellings[i + 1] if w == 1.0),
                )
                for first, one in firsts:
                    for second, other in seconds:
                        joined = first + second
                        if (one or other) and joined in postings:
                            match = TokenMatch((i, i + 1), READING_FACTOR, f"{one or other} joined")
                            found.setdefault(joined, []).append(match)
        return found

    def candidates(
        self,
        matches: dict[str, list[TokenMatch]],
        query_weights: tuple[float, ...],
        need: float,
        limit: int,
        qualifiers: tuple[int, ...] = (),
        shed: float = 0.0,
    ) -> list[int]:
        """Names that can reach ``need`` query weight, most promising first.

        ``qualifiers`` are the query positions of branch, office and place words, which shed
        ``shed`` of their weight beside a good match (score.relief). The ranking weighs them so,
        as the scorer does, so that "Sensetime Hong Kong" keeps Sensetime among the many
        listed names that hold Hong Kong.

        Each listed token can cover at most the query weight of the positions it matches.
        Listed tokens are taken rarest first; once the ones left could not lift a new name to
        ``need`` on their own, their (long) posting lists only top up names already found
        (the "max-score" shortcut of search engines), so common words cost little.
        """
        # What each listed token can add at each query position (usually one position).
        postings = self.postings
        rows: list[tuple[int, str, float, tuple[tuple[int, float], ...]]] = []
        closest: dict[int, list[tuple[float, str, int]]] = {}
        add_row = rows.append
        for listed, ms in matches.items():
            size = len(postings[listed])
            if len(ms) == 1 and len(ms[0].positions) == 1:  # the common case
                # The match's fields unpacked at once, and _reach inlined: one query adds
                # some twenty of these, and attribute reads and a call each cost as much.
                positions, sim, kind, share = ms[0]
                p = positions[0]
                if kind in _CUT_KINDS and sim < CUT_SIMILARITY:
                    sim = CUT_SIMILARITY
                value = sim * share * query_weights[p]
                # Half of a split word: the two halves together cover the word, so each
                # one may reach what the whole word is worth (for the bounds below).
                reach = value / share
                ranked = closest.get(p)
                if ranked is None:
                    closest[p] = [(reach, listed, size)]
                else:
                    ranked.append((reach, listed, size))
                add_row((size, listed, value, ((p, reach),)))
                continue
            per_position: dict[int, float] = {}
            gains: dict[int, float] = {}
            for m in ms:
                for p in m.positions:
                    value = _reach(m) * query_weights[p]
                    if value > per_position.get(p, 0.0):
                        per_position[p] = value
                    if value * m.share > gains.get(p, 0.0):
                        gains[p] = value * m.share
            reaches = tuple(per_position.items())
            for p, value in reaches:
                closest.setdefault(p, []).append((value, listed, size))
            add_row((size, listed, sum(gains.values()), reaches))
        rows.sort()
        # Listed tokens that meet qualifiers only, and what they give each name.
        placing = (
            {listed for _, listed, _, reaches in rows if all(p in qualifiers for p, _ in reaches)}
            if qualifiers
            else set()
        )
        placed: dict[int, float] = {}
        # Common names come with dozens of spelling variants (Mohammed, Muhammad, ...): only
        # the closest few per query position may bring in new names, and any variant few
        # names hold (walking its postings costs nothing); the rest top them up. A word in
        # another script has no spelling of its own to be closest to: all of its listed
        # spellings may (محمد is Mohamed as much as Muhammad).
        seeds: set[str] = set()
        for ranked in closest.values():
            if len(ranked) > SEED_VARIANTS:
                seeds.update(
                    listed
                    for _, listed, size in ranked
                    if size <= FEW_POSTINGS or matches[listed][0].kind in SCRIPT_KINDS
                )
                # heapq.nlargest is sorted(..., reverse=True)[:n] (its documented
                # equivalent), walked in Python: one sort in C is cheaper.
                ranked = sorted(ranked, reverse=True)[:SEED_VARIANTS]
            seeds.update(listed for _, listed, _ in ranked)
        # For every point in the rarest-first order, the most the tokens still to come can
        # add: one best counterpart per query position, since a position aligns only once.
        still_possible = [0.0] * (len(rows) + 1)
        best_after: dict[int, float] = {}
        total = 0.0
        for k in range(len(rows) - 1, -1, -1):
            for p, value in rows[k][3]:
                before = best_after.get(p, 0.0)
                if value > before:
                    best_after[p] = value
                    total += value - before
            still_possible[k] = total
        accum: dict[int, float] = {}
        growing = True
        for k, (size, listed, gain, _) in enumerate(rows):
            posting = postings[listed]
            remaining = still_possible[k]
            if growing and (remaining < need or size > self.max_postings):
                # From here on no new name can qualify: drop those that cannot either.
                growing = False
                accum = {n: g for n, g in accum.items() if g + remaining >= need}
            if growing and listed in seeds:
                if listed in placing:
                    for n_idx in posting:
                        placed[n_idx] = placed.get(n_idx, 0.0) + gain
                if not accum:  # the rarest token: one C-level fill, in posting order
                    accum = dict.fromkeys(posting, gain)
                    continue
                # A plain loop: most postings that seed are a few names long, and building
                # ``accum.update(zip(posting, map(...)))`` costs more than it saves (it is
                # slower at every size measured, 5 to 5,000 names, on CPython 3.11).
                get = accum.get
                for n_idx in posting:
                    accum[n_idx] = get(n_idx, 0.0) + gain
            elif size <= 8 * len(accum):
                # Each name gets one addition per token, so the order names are visited in
                # does not matter: the set intersection finds them at C speed.
                for n_idx in accum.keys() & posting:
                    accum[n_idx] += gain
                    if listed in placing:
                        placed[n_idx] = placed.get(n_idx, 0.0) + gain
            else:
                tokens = self.name_tokens
                padded = f" {listed} "
                for n_idx in accum:
                    if padded in f" {tokens[n_idx]} ":
                        accum[n_idx] += gain
                        if listed in placing:
                            placed[n_idx] = placed.get(n_idx, 0.0) + gain
        passing = [n for n, g in accum.items() if g >= need]
        if len(passing) <= limit:
            return passing
        # Rank by the score the evidence could give: query coverage and listed-name coverage
        # both count, so a short name fully matched is not crowded out by long names that
        # merely contain the query's words.
        totals = self.name_total
        kept = sum(query_weights[p] for p in qualifiers) - shed
        query_total = max(sum(query_weights) - shed, 0.0) or 1.0
        # The estimates in one comprehension rather than a Python call per name: their
        # positions sorted by them keep their order (best first, ties in ``passing`` order).
        place = placed.get
        estimates = [
            min(1.0, ((g := accum[n_idx]) - (b := place(n_idx, 0.0)) + min(b, kept)) / query_total)
            + min(1.0, g / totals[n_idx])
            for n_idx in passing
        ]
        # heapq.nlargest is sorted(..., reverse=True)[:n] (its documented equivalent: a
        # stable sort keeps equal estimates in ``passing`` order, as it does); up to a
        # thousand names one sort in C is cheaper than its walk in Python, past that not.
        at = range(len(passing))
        best = (
            sorted(at, key=estimates.__getitem__, reverse=True)[:limit]
            if len(passing) <= SORTED_SELECTION
            else heapq.nlargest(limit, at, key=estimates.__getitem__)
        )
        return [passing[i] for i in best]
