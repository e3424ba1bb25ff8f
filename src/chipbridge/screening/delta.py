"""Delta re-screening: which parties a new list version can affect, found without screening
them all, so that screening only those gives what screening everyone would.

A party's result changes between two list versions in three ways, and each is caught:

1. **It can now reach a changed entry.** The names of the added and changed entries are
   indexed on their own (a small :class:`NameIndex`), and each party's words are related to
   their words by the word matching of the index the screener uses (typos, plurals,
   phonetics, truncations, abbreviations, transliterations, split and joined words, readings
   in other romanisations). For every changed name a party's words touch, the party's query
   coverage is bounded from above with the word weights remembered from its last screening
   (branch, office and place words counted as weighing nothing beside a name they could
   make whole); a party that cannot reach
   the screening floor against any changed name is not screened. This is reverse
   screening: list entries looked up against the parties, with the screener's threshold
   semantics as the test.
2. **Its words match differently.** A word that enters or leaves the list's vocabulary (or
   its legal-form words, its common words, its qualifiers, the words only acronyms hold)
   changes how a party's words match even unchanged names: every party with such a word,
   or a word related to one, is screened. Some word tables depend on the whole list
   (truncation groups, abbreviation buckets, transliteration families): a listed word that
   joins one makes the unchanged names holding it count as changed for way 1.
3. **Its scores drift.** Word weights are IDF over all listed names, so any change moves
   every score a little. If no weight moved by more than a factor ``r``, no score moved by
   more than ``(r - 1) / (r + 1)`` (each coverage is a weighted mean of similarities). A word
   whose weight moved by more than ``VOLATILE`` since the last full re-screen is volatile:
   parties whose words relate to one are screened, and unchanged entries holding one join
   the changed names of way 1. Every other weight moved by at most ``VOLATILE**2`` since any
   party's last screening, so its scores by less than ``NEAR``. Every screening keeps the
   best score down to ``threshold - NEAR``; parties at or above it are screened again on
   every delta, and the others cannot have reached the threshold. Way 1 uses the same floor.

One residue is not bounded: a party with more than ``CANDIDATES`` candidate names has the
top ones ranked by an estimate that drifts with the weights. ``bench/delta_rescreen.py``
compares a delta with a full re-screen on 100,000 parties and prints any difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from chipbridge.screening import cjk, lattice, romanise
from chipbridge.screening.index import (
    CUT_SIMILARITY,
    MIN_FUZZY_LEN,
    MIN_SPLIT_PART,
    MIN_TRUNCATION,
    RARE,
    SOFT_WEIGHT,
    NameIndex,
    person_flag,
)
from chipbridge.screening.model import EntityType, Entry
from chipbridge.screening.normalize import analyse
from chipbridge.screening.score import CLOSE_MATCH, CUT_KINDS, FULL_COVERAGE, QUERY_SHARE
from chipbridge.screening.screener import (
    COUNTRY_MATCH_BONUS,
    DEFAULT_THRESHOLD,
    Hit,
    Screener,
)

# Scores are kept down to this much below the threshold; a party at or above it is screened
# again on every delta. It must exceed the most a score can drift between two screenings
# (see VOLATILE).
NEAR = 0.02
# Hits kept per spelling (best first).
LIMIT = 10
# A word whose weight moved by more than this factor since the last full re-screen is
# volatile. Every other weight moved by at most VOLATILE**2 since any party's last screening,
# so its scores by at most drift_bound(VOLATILE**2) = 0.0198 < NEAR.
VOLATILE = 1.02
# What a changed list means for one word (Delta._state).
REMATCH = 1
WEIGHT = 2


class HanProfile(NamedTuple):
    """A name in Chinese characters as its translation lattice weighs it (lattice.py): per
    character, its weight, whether it belongs to a legal form, and every Latin word the
    readings of the segments covering it offer."""

    weights: tuple[float, ...]
    legal: tuple[bool, ...]
    words: tuple[frozenset[str], ...]
    word_weights: tuple[tuple[str, float], ...]  # what each offered word weighed then


class Spelling(NamedTuple):
    """One spelling of a party's name as the screener weighed it (named tuples: a hundred
    thousand parties' profiles pickle and load several times faster than dataclasses)."""

    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    readings: tuple[tuple[str, ...], ...]  # per token: its readings in other romanisations
    han: HanProfile | None = None  # for a name in Chinese characters: its lattice
    # Positions that weigh little when the rest finds a whole listed name (branch, office and
    # place words, repeated words, patronymics): the screener's slack.
    slack: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Screened:
    """A party's screening: the hits at or above the threshold (best per entry, best first),
    the best score down to ``threshold - NEAR``, and its spellings for the next delta."""

    hits: list[Hit]
    near: float
    profile: tuple[Spelling, ...]


def screen_names(
    screener: Screener,
    names: Sequence[str],
    kind: EntityType | None,
    country: str | None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Screened:
    """Screen every name of one party the way full and delta re-screens both do."""
    best: dict[tuple[str, str], Hit] = {}
    near = 0.0
    for name in names:
        found = screener.screen(
            name, type=kind, country=country, limit=LIMIT, threshold=threshold - NEAR
        )
        for hit in found:
            near = max(near, hit.score)
            key = (hit.entry.dataset, hit.entry.id)
            if hit.score >= threshold and (key not in best or hit.score > best[key].score):
                best[key] = hit
    hits = sorted(best.values(), key=lambda h: -h.score)
    return Screened(hits, near, profile(screener, names, kind))


def profile(
    screener: Screener, names: Iterable[str], kind: EntityType | None
) -> tuple[Spelling, ...]:
    """Every spelling the screener tries for these names, with its tokens' weights."""
    out: list[Spelling] = []
    for name in names:
        for text, spelling_kind, _, _ in screener.spellings(name, kind):
            tokens, weights, slack = screener.weighed(text, spelling_kind)
            if not tokens:
                continue
            index = screener.index
            found = (
                romanise.readings(tokens, index.syllables, index.pinyin)
                if person_flag(spelling_kind) is not False
                else None
            )
            readings = tuple(
                tuple(r for r, _ in alternatives) for alternatives in found or ((),) * len(tokens)
            )
            # An abbreviation as written ("comm") relates to the words it may begin, beside
            # the one it was expanded to (index.token_matches).
            written = analyse(text, person_flag(spelling_kind)).written
            if written:
                more = [list(r) for r in readings]
                for position, short in written:
                    more[position].append(short)
                readings = tuple(tuple(r) for r in more)
            han = _han_profile(screener, text, spelling_kind) if cjk.has_han(text) else None
            out.append(Spelling(tokens, weights, readings, han, slack))
    return tuple(out)


def _han_profile(screener: Screener, text: str, kind: EntityType | None) -> HanProfile:
    found = lattice.build(text, person_flag(kind))
    weigh = lattice._weigher(screener.index)
    weights, legal = lattice.char_weights(found, weigh, SOFT_WEIGHT)
    words: list[set[str]] = [set() for _ in found.han]
    for segment in found.segments:
        offered = {w for a in segment.alternatives if a.source != "legal" for w in a.words}
        for c in range(segment.start, segment.end):
            words[c] |= offered
    every = sorted(set().union(*words))
    return HanProfile(
        weights,
        legal,
        tuple(frozenset(w) for w in words),
        tuple((w, weigh(w)) for w in every),
    )


def _relations(index: NameIndex) -> frozenset[tuple[str, str]]:
    """(table and key, listed word) of the word tables whose content depends on the whole
    list, not on the word alone: truncation groups (bounded in size), abbreviation buckets
    (a bucket keeps its most common words), transliteration families and skeletons (people's
    words only, skeletons bounded). A pair that appears relates a query word to names
    that did not change."""
    tables = {
        "t": index.truncations,
        "a": index.abbreviated,
        "f": index.families,
        "s": index.skeletons,
    }
    found = {
        (tag + key, word)
        for tag, table in tables.items()
        for key, words in table.items()
        for word in words.split()
    }
    # Long organisation words: a word of one root meets only these (Industry, Industrial).
    found.update(("o", word) for word in index.organisation_words)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class ListStats:
    """What a delta needs of an index: every word's weight, the legal-form words, the word
    tables that depend on the whole list, and the candidate cut-off."""

    weights: dict[str, float]
    legal_words: frozenset[str]
    max_postings: int
    max_idf: float
    relations: frozenset[tuple[str, str]] = frozenset()
    derived_only: frozenset[str] = frozenset()  # words only derived acronyms hold
    common: frozenset[str] = frozenset()  # words of more than RARE names (not abbreviated)
    qualifiers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, index: NameIndex) -> ListStats:
        return cls(
            {token: index.token_weight(token) for token in index.idf},
            frozenset(index.legal_words),
            index.max_postings,
            index.max_idf,
            _relations(index),
            index.derived_only,
            frozenset(t for t, p in index.postings.items() if len(p) > RARE),
            index.qualifiers,
        )

    def extended(self, newer: ListStats) -> ListStats:
        """This reference with the words first seen in ``newer`` added at their weight
        there: drift is measured from where each word started."""
        weights = dict(self.weights)
        for token, weight in newer.weights.items():
            weights.setdefault(token, weight)
        return ListStats(weights, self.legal_words, self.max_postings, self.max_idf)


def _factor(a: float, b: float) -> float:
    return a / b if a > b else b / a


def drift_bound(ratio: float) -> float:
    """The most a score can move when every weight moves by at most ``ratio``."""
    return (ratio - 1.0) / (ratio + 1.0)


class Delta:
    """The entries that changed between two list versions, ready to test parties against."""

    def __init__(
        self,
        new_entries: Sequence[Entry],
        old_entries: Sequence[Entry],
        previous: ListStats,
        current: NameIndex,
        reference: ListStats,
    ) -> None:
        """``new_entries``: added entries and the new side of changed ones; ``old_entries``:
        removed entries and the old side of changed ones; ``previous``: the index the
        parties were last screened against; ``reference``: word weights as of the last
        full re-screen (or a word's first appearance since)."""
        now = ListStats.of(current)
        # Words whose weight moved by more than VOLATILE since the reference: parties whose
        # words relate to them are screened, and so are parties that can reach an unchanged
        # name holding one (its listed-side weights moved).
        self.volatile = {
            token
            for token, weight in now.weights.items()
            if token in reference.weights and _factor(weight, reference.weights[token]) > VOLATILE
        }
        changed = {(e.dataset, e.id) for e in new_entries}
        shifted: dict[tuple[str, str], Entry] = {}
        # Listed words a query word may now stand for where it could not before (way 2 seen
        # from the list): a word that joined a truncation group, an abbreviation bucket or a
        # transliteration family, or left the words only acronyms hold. Unchanged names
        # holding one join the changed names. (A relation lost only lowers scores, and a
        # party with a hit or a near miss is screened anyway.)
        self.gained = {
            word for _, word in now.relations - previous.relations if word in now.weights
        } | (previous.derived_only - now.derived_only)
        for token in (self.volatile | self.gained) & now.weights.keys():
            for n_idx in current.postings[token]:
                entry = current.entry(current.name_entry[n_idx])
                if (entry.dataset, entry.id) not in changed:
                    shifted[(entry.dataset, entry.id)] = entry
        self.shifted = len(shifted)
        # A Latin query meets a name written in Chinese through the words its lattice offers
        # (lattice.match_latin gathers candidates by exact word). Such a name that changed,
        # or one whose lattice offers a volatile word, may now score differently against
        # any query holding one of its words.
        self.han_words: set[str] = set()
        changed_han = [
            alias.name
            for entry in (*new_entries, *old_entries)
            for alias in entry.names()
            if cjk.has_han(alias.name)
        ]
        for name in changed_han:
            self.han_words |= lattice.words(lattice.build(name))
        for found in current.han_lattices.values():
            offered = lattice.words(found)
            if not offered.isdisjoint(self.volatile):
                self.han_words |= offered
        reach = [*new_entries, *shifted.values()]
        entries = [*reach, *old_entries]
        self.new_count = len(reach)
        self.index = NameIndex(entries) if entries else None
        self.current = current
        self.known = now.weights.keys()
        self.weights = now.weights
        self.max_weight = now.max_idf
        # Words whose own standing moved: in or out of the vocabulary (or of the words only
        # acronyms hold, which a query word meets as unknown), in or out of the common words
        # (only a rare or unknown word is read as an abbreviation), in or out of the
        # qualifiers (branch, office and place words weigh little beside a whole name).
        self.vocabulary = (
            set(previous.weights).symmetric_difference(now.weights)
            | previous.derived_only.symmetric_difference(now.derived_only)
            | previous.common.symmetric_difference(now.common)
            | previous.qualifiers.symmetric_difference(now.qualifiers)
        )
        self.legal = sorted(previous.legal_words.symmetric_difference(now.legal_words))
        # The candidate cut-off moved, or every unknown word's weight did: screen everyone.
        self.everything = (
            previous.max_postings != now.max_postings
            or _factor(now.max_idf, reference.max_idf) > VOLATILE
        )
        self.moved = self.vocabulary | self.volatile | self.gained
        self._words: dict[str, tuple[int, tuple[tuple[str, float], ...]]] = {}
        # Per changed name (and acronym mode): its words, their weights now, their sum.
        self._listed: dict[tuple[int, bool], tuple[tuple[str, ...], tuple[float, ...], float]] = {}

    def related(self, token: str) -> tuple[tuple[str, float], ...]:
        """Changed names' words this query word can stand for, with the similarity: the
        word matching of the index the screener uses (some of its tables depend on the whole
        list), plus either half of a split word (the full index may hold the other half)."""
        return self._word(token)[1]

    def _word(self, word: str) -> tuple[int, tuple[tuple[str, float], ...]]:
        """(REMATCH, WEIGHT or 0, the changed names' words this word relates to), worked out
        once per distinct word: parties share most of their words."""
        found = self._words.get(word)
        if found is not None:
            return found
        related: list[tuple[str, float]] = []
        if self.index is not None:
            postings = self.index.postings
            # A word cut short counts as much as one written with a full stop where it
            # stands in the listed name (score._in_place).
            related = [
                (listed, max(sim, CUT_SIMILARITY) if kind in CUT_KINDS else sim)
                for listed, sim, kind, _ in self.current.word_matches(word)
                if listed in postings
            ]
            for cut in range(MIN_SPLIT_PART + 1, len(word) - MIN_SPLIT_PART + 1):
                for half in (word[:cut], word[cut:]):
                    if half in postings:
                        related.append((half, 1.0))
        found = (self._state(word, related), tuple(related))
        self._words[word] = found
        return found

    def _state(self, word: str, related: list[tuple[str, float]]) -> int:
        """REMATCH when the word may match unchanged names differently: its own standing
        moved (``vocabulary``), a word it may be a truncation of entered or left the
        vocabulary, or it is an unknown word one edit from a changed legal-form word. WEIGHT
        when only its weight may have moved by more than VOLATILE (it is volatile, or unknown
        and related to a volatile word, a gained word or one entering or leaving the
        vocabulary): compared with the weight it had at the
        party's last screening. 0 otherwise."""
        vocabulary = self.vocabulary
        if word in vocabulary:
            return REMATCH
        if any(word[:cut] in vocabulary for cut in range(MIN_TRUNCATION, len(word) - 1)):
            return REMATCH
        if word in self.known:
            return WEIGHT if word in self.volatile else 0
        if (
            self.legal
            and len(word) >= MIN_FUZZY_LEN
            and (
                self._near_legal(word)
                or any(len(w) > len(word) and w.startswith(word) for w in self.legal)
            )
        ):
            return REMATCH  # a changed legal-form word mistyped or cut short
        # An unknown word related to a word entering or leaving the vocabulary: its new
        # relations are to changed names (way 1), its lost ones to removed names; what is
        # left is its weight.
        moved = self.moved
        return WEIGHT if any(listed in moved for listed, _ in related) else 0

    def _near_legal(self, text: str) -> bool:
        """Whether ``text`` is one edit from a legal-form word that entered or left."""
        return process.extractOne(text, self.legal, scorer=OSA.distance, score_cutoff=1) is not None

    def _weight_moved(self, word: str, before: float) -> bool:
        """Whether this word weighs more than VOLATILE**2 more or less now than ``before``,
        as the screener weighs a query word: its own weight (capped for a soft word), or,
        unknown, the largest weight of the listed words it may stand for."""
        if word in self.known:
            now = self.weights[word]
            if before <= SOFT_WEIGHT < now:
                now = SOFT_WEIGHT
        else:
            known = [self.current.idf[listed] for listed, *_ in self.current.word_matches(word)]
            if not known:
                return True
            now = max(known)
        return _factor(now, before) > VOLATILE * VOLATILE

    def rematches(self, spelling: Spelling) -> bool:
        """Whether this spelling may match even unchanged names differently, or its words'
        weights moved too far (ways 2 and 3)."""
        forms = [(t, *r) for t, r in zip(spelling.tokens, spelling.readings, strict=True)]
        if (
            self.han_words
            and spelling.han is None
            and not self.han_words.isdisjoint(spelling.tokens)
        ):
            return True
        for position, words in enumerate(forms):
            state = self._word(words[0])[0]
            if state == REMATCH or (
                state == WEIGHT and self._weight_moved(words[0], spelling.weights[position])
            ):
                return True
            # Another reading's relations count, not its weight (the token carries that).
            if any(self._word(reading)[0] == REMATCH for reading in words[1:]):
                return True
            if position + 1 < len(forms):
                for first in words:
                    if any(first + second in self.vocabulary for second in forms[position + 1]):
                        return True
                # A legal-form word split in two ("Corpo ration") weighs as one.
                if self.legal and self._near_legal(words[0] + forms[position + 1][0]):
                    return True
        if spelling.han is not None:
            # The characters weigh what the lattice's words weigh (lattice.char_weights).
            for word, weight in spelling.han.word_weights:
                state = self._word(word)[0]
                if state == REMATCH or (state == WEIGHT and self._weight_moved(word, weight)):
                    return True
        return False

    def reaches(self, spelling: Spelling, ratio: float, floor: float) -> bool:
        """Whether this spelling could score ``floor`` or more against a changed entry's
        name when every weight may have moved by ``ratio`` since it was remembered (way 1)."""
        index = self.index
        if index is None:
            return False
        tokens, weights = spelling.tokens, spelling.weights
        # An initial can stand for any word that starts with it: count it as matched.
        initials = {p for p, t in enumerate(tokens) if len(t) == 1}
        if len(initials) == len(tokens):
            return True
        reachable = floor - COUNTRY_MATCH_BONUS
        if not self._may_reach(spelling, ratio, reachable, initials):
            return spelling.han is not None and self._han_reaches(spelling.han, ratio, reachable)
        gains: dict[int, dict[int, float]] = {}  # name -> position -> best query gain
        found: dict[int, dict[str, float]] = {}  # name -> listed word -> best similarity

        def gain(n_idx: int, position: int, value: float, listed: str, sim: float) -> None:
            if index.name_entry[n_idx] >= self.new_count:
                return  # a name of a removed entry, or the old side of a changed one
            per = gains.setdefault(n_idx, {})
            if value > per.get(position, 0.0):
                per[position] = value
            words = found.setdefault(n_idx, {})
            if sim > words.get(listed, 0.0):
                words[listed] = sim

        for position, token in enumerate(tokens):
            high = weights[position] * ratio
            for word in (token, *spelling.readings[position]):
                for listed, sim in self._word(word)[1]:
                    for n_idx in index.postings[listed]:
                        gain(n_idx, position, sim * high, listed, sim)
            if position + 1 < len(tokens):
                for first in (token, *spelling.readings[position]):
                    for second in (tokens[position + 1], *spelling.readings[position + 1]):
                        joined = first + second
                        for n_idx in index.postings.get(joined, ()):
                            gain(n_idx, position, high, joined, 1.0)
                            gain(n_idx, position + 1, weights[position + 1] * ratio, joined, 1.0)
        initial_letters = {tokens[p] for p in initials}
        slack = set(spelling.slack)
        for n_idx, per in gains.items():
            matched = sum(per.values()) + sum(weights[p] * ratio for p in initials if p not in per)
            unmatched = loose = 0.0
            for p in range(len(tokens)):
                if p not in per and p not in initials:
                    if p in slack:
                        loose += weights[p] / ratio
                    else:
                        unmatched += weights[p] / ratio
            if matched + unmatched <= 0:
                continue
            # Unmatched slack words weigh (almost) nothing only beside a whole listed name:
            # bounded as nothing when the name's closely matched words could make it whole.
            query_coverage = matched / (matched + unmatched)
            if QUERY_SHARE * query_coverage + (1 - QUERY_SHARE) < reachable:
                continue  # out of reach whatever the listed side
            words = found[n_idx]
            if loose and (
                self._listed_coverage(n_idx, {w: s for w, s in words.items() if s >= CLOSE_MATCH})
                < FULL_COVERAGE
            ):
                query_coverage = matched / (matched + unmatched + loose)
            covered = self._listed_coverage(n_idx, words, initial_letters)
            if QUERY_SHARE * query_coverage + (1 - QUERY_SHARE) * covered >= reachable:
                return True
        return spelling.han is not None and self._han_reaches(spelling.han, ratio, reachable)

    def _may_reach(
        self, spelling: Spelling, ratio: float, reachable: float, initials: set[int]
    ) -> bool:
        """A quick bound before any changed name is looked at: every position matched that
        any changed name could match, in one name, with a listed side fully covered."""
        tokens, weights = spelling.tokens, spelling.weights
        assert self.index is not None
        postings = self.index.postings
        forms = [(t, *r) for t, r in zip(tokens, spelling.readings, strict=True)]
        best = [1.0 if p in initials else 0.0 for p in range(len(tokens))]
        for position, words in enumerate(forms):
            for word in words:
                for _, sim in self._word(word)[1]:
                    best[position] = max(best[position], sim)
            if position + 1 < len(forms) and any(
                first + second in postings for first in words for second in forms[position + 1]
            ):
                best[position] = best[position + 1] = 1.0
        matched = unmatched = 0.0
        for position, sim in enumerate(best):
            if sim > 0:
                matched += weights[position] * ratio * sim
            elif position not in spelling.slack:
                unmatched += weights[position] / ratio
        if matched + unmatched <= 0:
            return True
        return QUERY_SHARE * matched / (matched + unmatched) + (1 - QUERY_SHARE) >= reachable

    def _listed_coverage(
        self,
        n_idx: int,
        words: dict[str, float],
        initials: frozenset[str] | set[str] = frozenset(),
        acronyms: bool = False,
    ) -> float:
        """The most of a changed name's weight (the index's weights now) a query can cover
        when it reaches these of its words with these similarities (initials: any word
        starting with them). ``acronyms``: weighed as the lattice aligns a Chinese name
        against it (its own acronym nothing, words a Chinese name leaves unsaid as legal
        forms)."""
        key = (n_idx, acronyms)
        known = self._listed.get(key)
        if known is None:
            assert self.index is not None
            name = self.index.name(n_idx)
            soft = self.index.name_soft.get(n_idx, frozenset())
            plain = [
                min(w, SOFT_WEIGHT) if t in soft else w
                for t, w in ((t, self.weights.get(t, self.max_weight)) for t in name.tokens)
            ]
            weighed = lattice.listed_weights(name.tokens, plain, SOFT_WEIGHT) if acronyms else plain
            known = (name.tokens, tuple(weighed), sum(weighed))
            self._listed[key] = known
        tokens, weights, total = known
        if total <= 0:
            return 1.0
        covered = sum(
            weight * max(words.get(token, 0.0), 1.0 if token[:1] in initials else 0.0)
            for token, weight in zip(tokens, weights, strict=True)
        )
        return covered / total

    def _han_reaches(self, han: HanProfile, ratio: float, reachable: float) -> bool:
        """Way 1 through the lattice: the characters whose readings' words relate to a changed
        name's words bound the Chinese side's coverage, those words the listed side's."""
        index = self.index
        assert index is not None
        related = [
            c
            for c, offered in enumerate(han.words)
            if han.legal[c] or any(self._word(w)[1] for w in offered)
        ]
        if not related:
            return False
        high = sum(han.weights[c] * ratio for c in related)
        low = sum(w / ratio for c, w in enumerate(han.weights) if c not in set(related))
        if high + low > 0 and QUERY_SHARE * high / (high + low) + (1 - QUERY_SHARE) < reachable:
            return False
        chars: dict[int, set[int]] = {}
        found: dict[int, dict[str, float]] = {}
        for c, offered in enumerate(han.words):
            for word in offered:
                for listed, sim in self._word(word)[1]:
                    for n_idx in index.postings[listed]:
                        if index.name_entry[n_idx] >= self.new_count:
                            continue
                        chars.setdefault(n_idx, set()).add(c)
                        per = found.setdefault(n_idx, {})
                        per[listed] = max(per.get(listed, 0.0), sim)
        for n_idx, covered in chars.items():
            matched = sum(
                w * ratio for c, w in enumerate(han.weights) if c in covered or han.legal[c]
            )
            unmatched = sum(
                w / ratio
                for c, w in enumerate(han.weights)
                if c not in covered and not han.legal[c]
            )
            han_coverage = matched / (matched + unmatched) if matched + unmatched > 0 else 1.0
            if QUERY_SHARE * han_coverage + (1 - QUERY_SHARE) < reachable:
                continue
            listed_coverage = self._listed_coverage(n_idx, found[n_idx], acronyms=True)
            if QUERY_SHARE * han_coverage + (1 - QUERY_SHARE) * listed_coverage >= reachable:
                return True
        return False

    def affects(
        self, spellings: Sequence[Spelling], near: float, threshold: float = DEFAULT_THRESHOLD
    ) -> str | None:
        """Why a party must be screened again, or None: it had a hit or a near miss (its
        score may drift, and a hit's entry may have changed or gone), or its words match
        differently, or a changed name is in its reach."""
        if near >= threshold - NEAR:
            return "hit or near miss"
        if any(self.rematches(s) for s in spellings):
            return "words match differently"
        floor = threshold - NEAR
        if any(self.reaches(s, VOLATILE * VOLATILE, floor) for s in spellings):
            return "a changed entry in reach"
        return None
