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
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import orjson
from rapidfuzz import process
from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone

from chipbridge.screening import cjk, lattice
from chipbridge.screening.model import AliasKind, EntityType, Entry
from chipbridge.screening.normalize import NameForm, analyse, stem

# Fuzzy and phonetic matching only for tokens long enough that one edit is a typo rather
# than a different word ("li" vs "lu").
MIN_FUZZY_LEN = 4
MIN_PHONETIC_LEN = 4
MIN_SPLIT_PART = 2
# Truncations ("Info", "Intl"-style cut words) from this length, looked up up to this length,
# and only where the prefix begins at most this many listed words.
MIN_TRUNCATION = 3
MAX_TRUNCATION = 6
MAX_TRUNCATION_FANOUT = 8
# Words this long are also compared with listed words sharing their first letters.
LONG_WORD = 8
PREFIX_LEN = 5
# Weight of a token that may be a short legal form rather than a name part ("SA", "Yu").
SOFT_WEIGHT = 0.5
# Similarity kept by a match made through another reading of the query (Wade-Giles -> pinyin).
READING_FACTOR = 0.95
# How many listed variants of one query word may bring in candidate names.
SEED_VARIANTS = 6
# Per-word lookups remembered between queries (cleared when full).
WORD_CACHE_SIZE = 200_000


class TokenMatch(NamedTuple):
    """One way a query token (or adjacent pair) can stand for a listed token.

    A named tuple rather than a dataclass: a query creates dozens, and tuples are cheapest.
    """

    positions: tuple[int, ...]
    similarity: float
    kind: str  # exact | plural | typo | phonetic | joined | split
    # Share of the query token this match covers: 1, except for the halves of a split word.
    share: float = 1.0


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


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


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


_KINDS = tuple(AliasKind)
# Entries are kept as zlib-compressed JSON in blocks of this many: a hit decodes one block.
ENTRY_BLOCK = 8
# Decoded entries remembered (hits cluster on the same parties).
ENTRY_CACHE_SIZE = 8192
# Assembled names remembered (the same candidates come up for many queries).
NAME_CACHE_SIZE = 50_000
# Per-process memories, never pickled with the index.
_CACHES = ("_entries", "_word_cache", "_name_cache")


class NameIndex:
    """Inverted index over every name and alias of a set of entries. Read-only once built.

    Memory matters at hundreds of thousands of names, so per-name data lives in flat arrays
    and plain strings, weights are computed when a name is scored, and full entries stay
    compressed until a hit needs one.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._entries: dict[int, Entry] = {}
        self._word_cache: dict[str, tuple[tuple[str, float, str, float], ...]] = {}
        self._name_cache: dict[int, IndexedName] = {}
        self.count = len(entries)
        self.entry_blocks = [
            zlib.compress(orjson.dumps([e.to_dict() for e in entries[i : i + ENTRY_BLOCK]]))
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
        postings: dict[str, list[int]] = {}
        han_names: dict[int, tuple[str, bool | None]] = {}
        organisation_words: set[str] = set()
        for e_idx, entry in enumerate(entries):
            person = person_flag(entry.type)
            for a_idx, alias in enumerate(entry.names()):
                spellings: list[tuple[NameForm, tuple[str, ...]]] = [
                    (analyse(alias.name, person), ())
                ]
                if person is not False and cjk.has_han(alias.name):
                    # A Chinese person name is also indexed as Hong Kong records spell it.
                    spellings += [
                        (analyse(form, True), (f"Hong Kong romanisation {alias.name}->{form}",))
                        for form in cjk.hong_kong_forms(alias.name, limit=4)
                    ]
                for form, extra_rules in spellings:
                    if not form.tokens:
                        continue
                    n_idx = len(self.name_entry)
                    self.name_entry.append(e_idx)
                    self.name_alias.append(a_idx)
                    self.name_kind.append(_KINDS.index(alias.kind))
                    self.name_tokens.append(" ".join(form.tokens))
                    self.name_legal.append(form.legal)
                    self.name_rules.append(form.rules + extra_rules)
                    if form.soft:
                        self.name_soft[n_idx] = form.soft
                    self.legal_words.update(form.legal_words)
                    if person is not True:
                        organisation_words.update(form.tokens)
                    for token in set(form.tokens):
                        postings.setdefault(token, []).append(n_idx)
                    if not extra_rules and cjk.has_han(alias.name):
                        han_names[n_idx] = (alias.name, person)
        # Listed names in Chinese characters with their lattices, reachable by the lattices'
        # words (an English or pinyin query meeting a name the list writes in Chinese). Kept
        # built, so that a Latin query never loads the segmenter.
        self.han_lattices = {
            n: lattice.build(text, person) for n, (text, person) in han_names.items()
        }
        lattice.build.cache_clear()
        self.han_postings = lattice.postings(self.han_lattices)
        # The forms were needed once each; do not keep tens of thousands in the cache.
        analyse.cache_clear()
        self.postings = {t: array("i", p) for t, p in postings.items()}
        del postings
        self.size = max(len(self.name_entry), 1)
        self.max_idf = math.log(1 + self.size)
        self.idf = {t: math.log(1 + self.size / len(p)) for t, p in self.postings.items()}
        # key -> listed tokens, space-separated: one string per key unpickles far faster
        # than one list per key, and most keys have a single token.
        deletes: dict[str, list[str]] = {}
        phonetic: dict[str, list[str]] = {}
        stems: dict[str, list[str]] = {}
        prefixes: dict[str, list[str]] = {}
        truncations: dict[str, list[str]] = {}
        for token in organisation_words:
            for cut in range(MIN_TRUNCATION, min(len(token) - 1, MAX_TRUNCATION + 1)):
                truncations.setdefault(token[:cut], []).append(token)
        for token in self.postings:
            if len(token) >= LONG_WORD:
                prefixes.setdefault(token[:PREFIX_LEN], []).append(token)
            if len(token) >= MIN_FUZZY_LEN:
                for key in _deletes(token) | {token}:
                    deletes.setdefault(key, []).append(token)
            if len(token) >= MIN_PHONETIC_LEN and token.isalpha():
                phonetic.setdefault(metaphone(token), []).append(token)
            stems.setdefault(stem(token), []).append(token)
        self.deletes = {k: " ".join(v) for k, v in deletes.items()}
        self.phonetic = {k: " ".join(v) for k, v in phonetic.items()}
        self.stems = {k: " ".join(v) for k, v in stems.items()}
        self.prefixes = {k: " ".join(v) for k, v in prefixes.items()}
        # Truncated words ("Info" for "Information"): only in names of organisations, where
        # words are cut short (people's names are not), and only prefixes few words share.
        self.truncations = {
            k: " ".join(v) for k, v in truncations.items() if len(v) <= MAX_TRUNCATION_FANOUT
        }
        self.organisation_words = frozenset(organisation_words)
        # Past this size a posting list only tops up names found through rarer tokens.
        self.max_postings = max(2000, self.size // 50)
        # Each name's total weight, for ranking candidates before they are scored.
        self.name_total = array("f", (self._assemble(n).total for n in range(len(self.name_entry))))
        self.wade_giles = cjk.wade_giles_table()

    def __getstate__(self) -> dict[str, bytes]:
        # Each attribute pickled on its own: one pickle sharing its memo across millions of
        # strings loads three times slower, and load time is what a fresh process waits for.
        return {
            k: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
            for k, v in self.__dict__.items()
            if k not in _CACHES
        }

    def __setstate__(self, state: dict[str, bytes]) -> None:
        self.__dict__.update({k: pickle.loads(v) for k, v in state.items()})
        self._entries = {}
        self._word_cache = {}
        self._name_cache = {}

    def __len__(self) -> int:
        return self.count

    def entry(self, e_idx: int) -> Entry:
        """The full entry, decoded on first use (most entries are never hit)."""
        found = self._entries.get(e_idx)
        if found is None:
            block, offset = divmod(e_idx, ENTRY_BLOCK)
            rows = orjson.loads(zlib.decompress(self.entry_blocks[block]))
            found = Entry.from_dict(rows[offset])
            if len(self._entries) >= ENTRY_CACHE_SIZE:
                self._entries.clear()
            self._entries[e_idx] = found
        return found

    def name(self, n_idx: int) -> IndexedName:
        """One listed name, assembled from the flat arrays (remembered: candidates recur)."""
        found = self._name_cache.get(n_idx)
        if found is not None:
            return found
        found = self._assemble(n_idx)
        if len(self._name_cache) >= NAME_CACHE_SIZE:
            self._name_cache.clear()
        self._name_cache[n_idx] = found
        return found

    def _assemble(self, n_idx: int) -> IndexedName:
        tokens = tuple(self.name_tokens[n_idx].split(" "))
        soft = self.name_soft.get(n_idx, frozenset())
        weights = tuple(self.token_weight(t, soft) for t in tokens)
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

    def token_weight(self, token: str, soft: frozenset[str] = frozenset()) -> float:
        """IDF of a token, capped for soft and legal-form words; unknown tokens weigh most."""
        weight = self.idf.get(token, self.max_idf)
        if token in soft or token in self.legal_words:
            return min(weight, SOFT_WEIGHT)
        return weight

    def is_legal_typo(self, token: str) -> bool:
        """Whether an unknown word is one edit away from a legal-form word ("Joznt", "OJSGC")."""
        if len(token) < MIN_FUZZY_LEN or not self.legal_words:
            return False
        found = process.extractOne(token, self.legal_words, scorer=OSA.distance, score_cutoff=1)
        return found is not None

    def word_matches(self, token: str) -> tuple[tuple[str, float, str, float], ...]:
        """Listed tokens one query word can stand for: (listed, similarity, kind, share).

        Independent of the word's position, so it is cached: names repeat across a batch.
        """
        cached = self._word_cache.get(token)
        if cached is not None:
            return cached
        found: list[tuple[str, float, str, float]] = []
        seen: set[str] = set()
        postings = self.postings
        if token in postings:
            found.append((token, 1.0, "exact", 1.0))
            seen.add(token)
        for listed in self.stems.get(stem(token), "").split():
            if listed not in seen:
                seen.add(listed)
                found.append((listed, 0.95, "plural", 1.0))
        size = len(token)
        if size == MIN_FUZZY_LEN - 1:
            # A short word with one letter dropped ("Svo" for "Savo").
            for listed in self.deletes.get(token, "").split():
                if listed not in seen and len(listed) == size + 1:
                    seen.add(listed)
                    found.append((listed, typo_similarity(token, listed, 1), "typo", 1.0))
        if size >= MIN_FUZZY_LEN:
            limit = max_edits(size)
            for key in _deletes(token) | {token}:
                for listed in self.deletes.get(key, "").split():
                    if listed in seen:
                        continue
                    seen.add(listed)
                    dist = OSA.distance(token, listed, score_cutoff=limit)
                    if dist <= limit:
                        found.append((listed, typo_similarity(token, listed, dist), "typo", 1.0))
        if size >= LONG_WORD:
            # Two slips in a long word (Agriculture/Agricultural) escape the one-delete
            # table; long words sharing a prefix are compared directly.
            for listed in self.prefixes.get(token[:PREFIX_LEN], "").split():
                if listed not in seen:
                    seen.add(listed)
                    dist = OSA.distance(token, listed, score_cutoff=2)
                    if dist <= 2:
                        found.append((listed, typo_similarity(token, listed, dist), "typo", 1.0))
        if size >= MIN_TRUNCATION and token.isalpha():
            # A word cut short, on either side: "Info" for "Information", "Airlines" where
            # the list says "Air".
            longer = self.truncations.get(token, "").split()
            shorter = [
                token[:cut] for cut in range(MIN_TRUNCATION, size - 1) if token[:cut] in postings
            ]
            for listed in (*longer, *shorter):
                if listed not in seen:
                    seen.add(listed)
                    short, long = sorted((token, listed), key=len)
                    sim = 0.6 + 0.3 * len(short) / len(long)
                    found.append((listed, sim, "truncation", 1.0))
        if size >= MIN_PHONETIC_LEN and token.isalpha():
            for listed in self.phonetic.get(metaphone(token), "").split():
                if listed in seen or listed[0] != token[0]:
                    continue
                seen.add(listed)
                lev = OSA.normalized_similarity(token, listed)
                if lev >= 0.5:
                    found.append((listed, 0.5 + 0.45 * lev, "phonetic", 1.0))
        if size >= 2 * MIN_SPLIT_PART + 1 and token not in postings:
            for cut in range(MIN_SPLIT_PART + 1, size - MIN_SPLIT_PART + 1):
                head, tail = token[:cut], token[cut:]
                if head in postings and tail in postings:
                    found.append((head, 1.0, "split", len(head) / size))
                    found.append((tail, 1.0, "split", len(tail) / size))
        result = tuple(found)
        if len(self._word_cache) >= WORD_CACHE_SIZE:
            self._word_cache.clear()
        self._word_cache[token] = result
        return result

    def token_matches(
        self,
        tokens: Sequence[str],
        readings: Sequence[tuple[str, ...]] | None = None,
    ) -> dict[str, list[TokenMatch]]:
        """For each listed token a query could stand for, the ways it can.

        ``readings`` optionally gives other spellings of each query token (pinyin for a name
        typed in Wade-Giles); they match a little below the spelling typed.
        """
        found: dict[str, list[TokenMatch]] = {}
        for i, token in enumerate(tokens):
            for listed, sim, kind, share in self.word_matches(token):
                found.setdefault(listed, []).append(TokenMatch((i,), sim, kind, share))
            for reading in readings[i] if readings else ():
                for listed, sim, _, share in self.word_matches(reading):
                    match = TokenMatch((i,), sim * READING_FACTOR, "wade-giles", share)
                    found.setdefault(listed, []).append(match)
            if i + 1 < len(tokens):
                firsts = (token, *(readings[i] if readings else ()))
                seconds = (tokens[i + 1], *(readings[i + 1] if readings else ()))
                for first in firsts:
                    for second in seconds:
                        joined = first + second
                        if joined in self.postings:
                            sim = (
                                1.0 if (first, second) == (token, tokens[i + 1]) else READING_FACTOR
                            )
                            kind = "joined" if sim == 1.0 else "wade-giles joined"
                            found.setdefault(joined, []).append(TokenMatch((i, i + 1), sim, kind))
        return found

    def candidates(
        self,
        matches: dict[str, list[TokenMatch]],
        query_weights: tuple[float, ...],
        need: float,
        limit: int,
    ) -> list[int]:
        """Names that can reach ``need`` query weight, most promising first.

        Each listed token can cover at most the query weight of the positions it matches.
        Listed tokens are taken rarest first; once the ones left could not lift a new name to
        ``need`` on their own, their (long) posting lists only top up names already found
        (the "max-score" shortcut of search engines), so common words cost little.
        """
        # What each listed token can add at each query position (usually one position).
        postings = self.postings
        rows: list[tuple[int, str, float, dict[int, float]]] = []
        closest: dict[int, list[tuple[float, str]]] = {}
        for listed, ms in matches.items():
            if len(ms) == 1 and len(ms[0].positions) == 1:  # the common case
                m = ms[0]
                p = m.positions[0]
                value = m.similarity * m.share * query_weights[p]
                per_position = {p: value}
                gain = value
            else:
                per_position = {}
                for m in ms:
                    factor = m.similarity * m.share
                    for p in m.positions:
                        value = factor * query_weights[p]
                        if value > per_position.get(p, 0.0):
                            per_position[p] = value
                gain = sum(per_position.values())
            for p, value in per_position.items():
                closest.setdefault(p, []).append((value, listed))
            rows.append((len(postings[listed]), listed, gain, per_position))
        rows.sort()
        # Common names come with dozens of spelling variants (Mohammed, Muhammad, ...): only
        # the closest few per query position may bring in new names; the rest top them up.
        seeds: set[str] = set()
        for ranked in closest.values():
            if len(ranked) > SEED_VARIANTS:
                ranked = heapq.nlargest(SEED_VARIANTS, ranked)
            seeds.update(listed for _, listed in ranked)
        # For every point in the rarest-first order, the most the tokens still to come can
        # add: one best counterpart per query position, since a position aligns only once.
        still_possible = [0.0] * (len(rows) + 1)
        best_after: dict[int, float] = {}
        total = 0.0
        for k in range(len(rows) - 1, -1, -1):
            for p, value in rows[k][3].items():
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
                get = accum.get
                for n_idx in posting:
                    accum[n_idx] = get(n_idx, 0.0) + gain
            elif size <= 8 * len(accum):
                for n_idx in posting:
                    if n_idx in accum:
                        accum[n_idx] += gain
            else:
                tokens = self.name_tokens
                padded = f" {listed} "
                for n_idx in accum:
                    if padded in f" {tokens[n_idx]} ":
                        accum[n_idx] += gain
        passing = [n for n, g in accum.items() if g >= need]
        if len(passing) <= limit:
            return passing
        # Rank by the score the evidence could give: query coverage and listed-name coverage
        # both count, so a short name fully matched is not crowded out by long names that
        # merely contain the query's words.
        query_total = sum(query_weights) or 1.0
        totals = self.name_total

        def estimate(n_idx: int) -> float:
            gained = accum[n_idx]
            return min(1.0, gained / query_total) + min(1.0, gained / totals[n_idx])

        return heapq.nlargest(limit, passing, key=estimate)
