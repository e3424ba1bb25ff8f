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
   make whole, a person's further names as half beside a listed person, a split word's half
   as its share); a party that cannot reach
   the screening floor against any changed name is not screened. This is reverse
   screening: list entries looked up against the parties, with the screener's threshold
   semantics as the test.
2. **Its words match differently.** Only changes that can raise a score count: a party
   word that left the vocabulary (it may now split in two), stopped being common or became
   acronym-only, or became a qualifier; an unknown word one edit from (or the start of) a
   legal-form word that entered or left; run-together pairs that entered, left or moved
   (``Delta._state``). Some word tables depend on the whole list (truncation groups,
   abbreviation buckets, transliteration families): a listed word that joins one makes the
   unchanged names holding it count as changed for way 1.
3. **Its scores drift.** Word weights are IDF over all listed names, so any change moves
   every score a little. If no weight moved by more than a factor ``r``, no score moved by
   more than ``(r - 1) / (r + 1)`` (each coverage is a weighted mean of similarities). The
   bound is split by side: a party whose own weights spread by more than ``QUERY_SPREAD``
   since its last screening is screened; an unchanged listed name whose words' weights may
   have spread by more than ``LISTED_SPREAD`` since the last full re-screen joins the changed
   names of way 1. Together the rest move a score by less than ``NEAR``. Every screening
   keeps the best score down to :func:`near_floor` (``threshold - NEAR``, lower for a name in
   Chinese characters, whose unsaid-term factor can jump); the others cannot have reached
   the threshold. Way 1 uses the same floor. A party with a hit is screened again on every
   delta (its scores move with any weight); one with a near miss when it is in Chinese
   characters or has slack words (both can jump by more than drift), or when its near
   score plus :func:`near_drift` reaches the threshold.

Residues not bounded: a party with more than the candidate cut (``screener.CANDIDATES`` Latin names,
``lattice.CANDIDATES`` for a Chinese name) has the top ones ranked by an estimate that drifts
with the weights; the discount for branch and middle-name words switches on when listed
coverage crosses ``FULL_COVERAGE``, and a Chinese registered name's place and industry relief
when it crosses ``lattice.WHOLE``, lines that drift alone could cross. ``bench/delta_rescreen.py``
compares a delta with a full re-screen on 100,000 parties and prints any difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA

from chipbridge.screening import cjk, hangul, lattice
from chipbridge.screening.index import (
    CUT_SIMILARITY,
    MIN_FUZZY_LEN,
    MIN_SPLIT_PART,
    PREFIX_LEN,
    RARE,
    SOFT_WEIGHT,
    NameIndex,
    person_flag,
)
from chipbridge.screening.model import EntityType, Entry
from chipbridge.screening.normalize import analyse
from chipbridge.screening.score import (
    CLOSE_MATCH,
    CUT_KINDS,
    DESCRIPTORS,
    DISTINCTIVE,
    FULL_COVERAGE,
    MIDDLE_NAME_SHARE,
    QUALIFIER_CAP,
    QUALIFIER_WEIGHT,
    QUERY_SHARE,
    UNSAID_DESCRIPTOR,
    phrases,
    qualifiers_keep,
)
from chipbridge.screening.screener import (
    COUNTRY_MATCH_BONUS,
    DEFAULT_THRESHOLD,
    Hit,
    Screener,
    _weigh_alias,
)

# Scores are kept down to this much below the threshold; a party at or above it is screened
# again on every delta. It must exceed the most a score can drift between two screenings
# (see LISTED_SPREAD and QUERY_SPREAD).
NEAR = 0.02
# Hits kept per spelling (best first).
LIMIT = 10
# The largest weight (of a word no list holds) may move by this factor before every party
# must be screened again (Delta.everything).
VOLATILE = 1.02
# Way 3 split by side: a score is QUERY_SHARE x query coverage (the party's weights) plus
# the rest x listed coverage (the listed name's weights), and a weighted mean moves by at
# most drift_bound(spread) when its weights move by factors within a spread. An unchanged
# name whose weights' spread since any party's last screening may exceed LISTED_SPREAD joins
# the changed names (way 1); a party whose own weights' spread exceeds QUERY_SPREAD is
# screened. Together they move a score by less than NEAR (a test checks the sum).
LISTED_SPREAD = 1.06
QUERY_SPREAD = 1.028
# What a changed list means for one word (Delta._state).
REMATCH = 1


class HanProfile(NamedTuple):
    """A name in Chinese characters as its translation lattice weighs it (lattice.py): per
    character, its weight, whether it belongs to a legal form, and every Latin word the
    readings of the segments covering it offer."""

    weights: tuple[float, ...]
    legal: tuple[bool, ...]
    words: tuple[frozenset[str], ...]  # a segment's characters share one set
    # The words the characters' weights were worked out from, with what each weighed then.
    weighed: tuple[tuple[str, float], ...] = ()
    # Place and glossary-term characters (lattice.described), and those that may name a
    # part of a body (lattice.part_tail): beside a listed name found whole they may weigh
    # next to nothing, so a bound counts them unmatched as nothing.
    described: frozenset[int] = frozenset()
    # The words :func:`lattice.align` meets only exactly or as a plural (those of the readings
    # it tries spelled by rule; none of its looser readings offers them), and the words of
    # the readings that can make a match distinctive (Alignment.distinctive): a changed name
    # none of these reaches cannot be a match. None: every word may.
    strict: frozenset[str] = frozenset()
    anchors: frozenset[str] | None = None
    # The words lattice.with_group_acronyms looked up for the name's opening short name: a
    # group acronym can be read into it only if all its distinctive words are among them.
    # None: any may.
    heads: frozenset[str] | None = None


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
        # A Latin name read as pinyin is screened in Chinese characters too (spellings).
        floor = near_floor(threshold, screener.screened_in_chinese(name, kind))
        found = screener.screen(name, type=kind, country=country, limit=LIMIT, threshold=floor)
        for hit in found:
            near = max(near, hit.score)
            key = (hit.entry.dataset, hit.entry.id)
            if hit.score >= threshold and (key not in best or hit.score > best[key].score):
                best[key] = hit
    hits = sorted(best.values(), key=lambda h: -h.score)
    return Screened(hits, near, profile(screener, names, kind))


def near_floor(threshold: float, han: bool) -> float:
    """How far below the threshold a party's best score is kept and makes it a near miss.

    A name in Chinese characters may lose lattice.UNSAID_TERM (up to MAX_UNSAID times) when a
    listed term word is unsaid: its score may jump by that factor, not only drift by NEAR
    (kept so although the factor no longer depends on a weight threshold drift can cross)."""
    floor = threshold - NEAR
    return floor * lattice.UNSAID_TERM**lattice.MAX_UNSAID if han else floor


def profile(
    screener: Screener, names: Iterable[str], kind: EntityType | None
) -> tuple[Spelling, ...]:
    """Every spelling the screener tries for these names, with its tokens' weights."""
    out: list[Spelling] = []
    for name in names:
        for text, spelling_kind, *_, in_hong_kong in screener.spellings(name, kind):
            tokens, weights, slack = screener.weighed(text, spelling_kind, not in_hong_kong)
            if not tokens:
                continue
            # As the screener reads it: a Hong Kong form of a Chinese name is not read back.
            # A pinyin name's spellings in other systems count whole, a syllable's too (a
            # bound: the screener counts it as its share of the word).
            found, spelled = (
                screener.respelled(text, tokens, person_flag(spelling_kind))
                if not in_hong_kong
                else (None, None)
            )
            readings = tuple(
                tuple(r for r, _ in alternatives) for alternatives in found or ((),) * len(tokens)
            )
            if spelled:
                readings = tuple(
                    (*words, *dict.fromkeys(s for s, *_ in alternatives))
                    for words, alternatives in zip(readings, spelled, strict=True)
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
    # As lattice.match_han aligns it: with the listed group acronyms its short name reads.
    built = lattice.build(text, person_flag(kind))
    probe = _AcronymProbe()
    lattice.with_group_acronyms(cast(NameIndex, probe), built)
    found = lattice.with_split_words(
        screener.index, lattice.with_group_acronyms(screener.index, built)
    )
    weigh = lattice.weigher(screener.index)
    consulted: dict[str, float] = {}

    def recording(word: str) -> float:
        consulted[word] = weigh(word)
        return consulted[word]

    weights, legal = lattice.char_weights(found, recording, SOFT_WEIGHT)
    words: list[set[str]] = [set() for _ in found.han]
    respelled: set[str] = set()
    for segment in found.segments:
        offered = {w for a in segment.alternatives if a.source != "legal" for w in a.words}
        # The ways a translation may be split or run together as other lists write it: a
        # listed word that makes one possible, or stops it, is a word the name offers, and
        # one align may meet loosely (a translation's words are not spelled by rule).
        others = {w for a in segment.alternatives for r in lattice.respellings(a) for w in r.words}
        respelled |= others
        offered |= others
        for c in range(segment.start, segment.end):
            words[c] |= offered
    # What align tries (lattice.plan): a word no loose reading offers is matched strictly; a
    # reading anchors a match as Alignment.distinctive says.
    loose: set[str] = set()
    anchors: set[str] = set()
    for _, segment, alternative, _, strict in lattice.plan(found, weigh, SOFT_WEIGHT).readings:
        if alternative.source == "brand sound":
            # Not a segment of the lattice: the characters' sound skeleton (lattice.
            # brand_sound_readings), which may meet a changed name's brand.
            for c in range(segment.start, segment.end):
                words[c] |= set(alternative.words)
        if not strict:
            loose.update(alternative.words)
        if _anchors(segment, alternative):
            anchors.update(alternative.words)
    # One object per distinct set: a hundred thousand profiles pickle and load as fast as
    # they are small.
    shared: dict[frozenset[str], frozenset[str]] = {}
    return HanProfile(
        weights,
        legal,
        tuple(shared.setdefault(frozenset(w), frozenset(w)) for w in words),
        tuple(sorted(consulted.items())),
        lattice.described(found) | lattice.part_tail(found),
        frozenset(set().union(*words) - loose - respelled),
        frozenset(anchors),
        frozenset(probe.group_acronyms.asked),
    )


class _AskedTable:
    """A group acronym table holding none that records the words looked up in it."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def get(
        self, word: str, default: tuple[lattice.GroupAcronym, ...]
    ) -> tuple[lattice.GroupAcronym, ...]:
        self.asked.add(word)
        return default


class _AcronymProbe:
    """Stands in for the index when lattice.with_group_acronyms (which reads only its
    ``group_acronyms``) is asked which words a name's short name may stand for, so that
    the rule stays in lattice.py and a delta can tell which new or lost acronyms the name
    could read."""

    def __init__(self) -> None:
        self.group_acronyms = _AskedTable()


def _anchors(segment: lattice.Segment, alternative: lattice.Alternative) -> bool:
    """Whether a step through this reading makes a match distinctive (asked of
    lattice.Alignment itself, so that the rule stays in one place)."""
    step = lattice.Step(segment, alternative, ((0, 0, 1.0),))
    return lattice.Alignment(0.0, 0.0, (step,)).distinctive


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
    # People's words by their consonants: a word a listed person's name comes to hold is
    # met by a name in Arabic or Hebrew script (index._script_matches).
    found.update(
        ("c" + key, word) for key, words in index.consonants.items() for word in words.split()
    )
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
    # The listed group acronyms (lattice.group_acronyms): one that appears, goes or changes
    # changes what a Chinese name's short name reads, against names that did not change.
    groups: frozenset[lattice.GroupAcronym] = frozenset()
    # For a reference: the lowest and highest weight each word had at any re-screen since
    # the last full one (empty: ``weights``, a full re-screen's).
    low: dict[str, float] = field(default_factory=dict)
    high: dict[str, float] = field(default_factory=dict)

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
            frozenset(g for groups in index.group_acronyms.values() for g in groups),
        )

    def extended(self, newer: ListStats) -> ListStats:
        """This reference with the words first seen in ``newer`` added at their weight
        there (drift is measured from where each word started), and every word's lowest
        and highest weight widened to hold its weight in ``newer``."""
        weights = dict(self.weights)
        low = dict(self.low or self.weights)
        high = dict(self.high or self.weights)
        for token, weight in newer.weights.items():
            weights.setdefault(token, weight)
            if low.get(token, weight) >= weight:
                low[token] = weight
            if high.get(token, weight) <= weight:
                high[token] = weight
        return ListStats(
            weights, self.legal_words, self.max_postings, self.max_idf, low=low, high=high
        )


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
        # Every word's weight now over the weights it had at any screening since the last
        # full re-screen: the lowest and highest factor (new words: only changed names
        # hold them). A word whose factors leave LISTED_SPREAD's square root is volatile:
        # an unchanged name holding one whose weights' spread exceeds LISTED_SPREAD joins
        # the changed names (way 1, with its weights now).
        low = reference.low or reference.weights
        high = reference.high or reference.weights
        limit = LISTED_SPREAD**0.5
        self._factors: dict[str, tuple[float, float]] = {}
        for token, weight in now.weights.items():
            lowest = weight / max(high.get(token, weight), weight)
            highest = weight / min(low.get(token, weight), weight)
            self._factors[token] = (lowest, highest)
        # A name holding none has a spread within LISTED_SPREAD.
        self.volatile = {
            t
            for t, (lowest, highest) in self._factors.items()
            if lowest * limit < 1 or highest > limit
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
        spread: set[int] = set()
        for token in self.volatile:
            spread.update(current.postings[token])
        moved = {
            n_idx
            for n_idx in spread
            if self._spread(current.name_tokens[n_idx].split(" ")) > LISTED_SPREAD
        }
        for token in self.gained & now.weights.keys():
            moved.update(current.postings[token])
        # Scores switch where a listed word's weight crosses DISTINCTIVE: branch and
        # middle-name words are discounted beside names of distinctive words. A word whose
        # weights since the last full re-screen lie on both sides of the line may have
        # switched either for any party: the names holding it join the changed names.
        self.crossed = {
            token
            for token, weight in now.weights.items()
            if min(low.get(token, weight), weight)
            < DISTINCTIVE
            <= max(high.get(token, weight), weight)
        }
        for token in self.crossed:
            moved.update(current.postings[token])
        # A unit's parent may be left unsaid only while few listed names hold all the
        # unit's own words (lattice.parent_relief, MAX_UNIT_NAMES): a changed name holding
        # them all moves that count, so the unit's names join the changed names.
        self._parents = current.parent_groups
        moved |= _units_held_by(current, self._parents, [*new_entries, *old_entries])
        for n_idx in moved:
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
            if not offered.isdisjoint(self.volatile) and self._spread(offered) > LISTED_SPREAD:
                self.han_words |= offered
        reach = [*new_entries, *shifted.values()]
        entries = [*reach, *old_entries]
        self.new_count = len(reach)
        self.index = NameIndex(entries) if entries else None
        # The words of changed people's names (new side): beside a listed person found whole
        # a person's further names weigh less (_may_reach).
        small = self.index
        self._people_words: frozenset[str] = frozenset(
            word
            for n_idx, tokens in enumerate(small.name_tokens if small else ())
            if small is not None
            and (at := small.name_entry[n_idx]) < self.new_count
            and small.entry_type[at] == EntityType.PERSON
            for word in tokens.split(" ")
        )
        # The beginnings of the changed names' words: a word that begins none cannot make
        # one run together with the next.
        self._heads = {
            word[:cut]
            for word in (self.index.postings if self.index else ())
            for cut in range(1, len(word) + 1)
        }
        self._new_side: dict[str, list[int]] | None = None
        # Whether a changed name (new side) is written in Chinese: a Chinese party's Latin
        # reading meets only those.
        self.han_changed = self.index is not None and any(
            self.index.name_entry[n_idx] < self.new_count for n_idx in self.index.han_lattices
        )
        # A one-letter word in another script (a Hangul syllable) is an initial only of a
        # word in that script starting with it (score_name): of a changed name's, here.
        self.script_initials = frozenset(
            t[0] for t in (self.index.postings if self.index else ()) if not t[0].isascii()
        )
        self.current = current
        self.stats = now  # the next delta's ``previous``: kept, not worked out again
        self.known = now.weights.keys()
        self.weights = now.weights
        self.max_weight = now.max_idf
        # Words whose own standing moved. A query word entering the vocabulary is held only by
        # changed names (way 1) and now weighs its IDF: its weight is compared. One leaving
        # it is unknown now and may split into two listed words. One that is common no more
        # (or held only by acronyms now) may be read as an abbreviation again; one that
        # became a branch, office or place word weighs little beside a whole name. Those
        # three may match unchanged names better: parties holding one are screened. The
        # reverse moves (a word turned common, a qualifier no more) only lower scores.
        self.entered = now.weights.keys() - previous.weights.keys()
        self.left = previous.weights.keys() - now.weights.keys()
        self.vocabulary = self.entered | self.left
        eligible_before = previous.common - previous.derived_only
        self.standing = (
            self.left
            | {w for w in eligible_before if w not in now.common or w in now.derived_only}
            | (now.qualifiers - previous.qualifiers)
        )
        # Group acronyms that appeared, went or changed: a Chinese name whose short name
        # could read one (HanProfile.heads) may match unchanged names differently.
        self.groups = previous.groups ^ now.groups
        # The whole list's groups, whose names open listed units' names (lattice.
        # parent_relief); and where one appeared, went or changed, the words of the names
        # it opens: such an unchanged name weighs its parent differently now.
        acronyms_moved = frozenset(g.acronym for g in self.groups)
        self.unit_words: frozenset[str] = frozenset(
            word
            for tokens in (current.name_tokens if acronyms_moved else ())
            if not acronyms_moved.isdisjoint(tokens.split())
            for word in tokens.split()
            if word not in acronyms_moved
        )
        self.legal_moved = previous.legal_words.symmetric_difference(now.legal_words)
        self.legal = sorted(self.legal_moved)
        # The candidate cut-off moved, or every unknown word's weight did: screen everyone.
        self.everything = (
            previous.max_postings != now.max_postings
            or _factor(now.max_idf, reference.max_idf) > VOLATILE
        )
        # Words a pair run together may now or no longer be, or whose weight moved beyond
        # QUERY_SPREAD (an unknown word next to its half may weigh what they weigh).
        limit = QUERY_SPREAD
        self.joinable = self.vocabulary | {
            t
            for t, (lowest, highest) in self._factors.items()
            if lowest < 1 / limit or highest > limit
        }
        # Their beginnings: most words begin none, and need not be joined to every next one.
        self._joinable_heads = {w[:cut] for w in self.joinable for cut in range(1, len(w) + 1)}
        self._weigh_han = lattice.weigher(current)
        self._now: dict[tuple[str, bool], float] = {}
        self._legal_parts: dict[str, bool] = {}
        # (a Chinese name's weighed word, its weight then) -> its factor now (spread)
        self._han_factors: dict[tuple[str, float], float] = {}
        # (lattice word, matched strictly) -> changed name -> its word -> similarity
        self._reach_by_name: dict[tuple[str, bool], dict[int, dict[str, float]]] = {}
        self._lattice_matcher = lattice.word_matcher(current)
        # Per way of matching (strictly or not): the lattice words _reaching has looked at,
        # and those of them that meet a changed name.
        self._looked_at: dict[bool, set[str]] = {True: set(), False: set()}
        self._reaches_some: dict[bool, set[str]] = {True: set(), False: set()}
        self._factors_of: dict[int, float] = {}  # changed name -> _alias_factor
        self._words: dict[str, tuple[int, tuple[tuple[str, float, float], ...]]] = {}
        # word -> its best similarity in _word to other names' words and to people's
        self._closest: dict[str, tuple[float, float]] = {}
        self._names_of: dict[str, tuple[tuple[int, str, float, float], ...]] = {}
        # Per changed name (and acronym mode): its words, their weights now, their sum, and
        # whether it is a listed firm's.
        self._listed: dict[
            tuple[int, bool],
            tuple[tuple[str, ...], tuple[tuple[tuple[float, ...], float], ...], bool],
        ] = {}

    def _spread(self, tokens: Iterable[str]) -> float:
        """The most the weights of these listed words can have moved apart since any
        party's last screening: highest factor over lowest, 1 included (capped weights)."""
        lowest = highest = 1.0
        for token in tokens:
            found = self._factors.get(token)
            if found is not None:
                lowest = min(lowest, found[0])
                highest = max(highest, found[1])
        return highest / lowest

    def _word(self, word: str) -> tuple[int, tuple[tuple[str, float, float], ...]]:
        """(REMATCH or 0, the changed names' words this word relates to with the similarity
        and the share of the word they stand for), worked out once per distinct word, since
        parties share most of their words: the word matching of the index the screener uses
        (some of its tables depend on the whole list), plus either half of a split word (the
        full index may hold the other half). A half stands for its share of the word only,
        as the scorer counts it (score_name: a split match adds similarity x share)."""
        found = self._words.get(word)
        if found is not None:
            return found
        related: list[tuple[str, float, float]] = []
        if self.index is not None:
            postings = self.index.postings
            # A word cut short counts as much as one written with a full stop where it
            # stands in the listed name (score.in_place).
            related = [
                (listed, max(sim, CUT_SIMILARITY) if kind in CUT_KINDS else sim, share)
                for listed, sim, kind, share in self.current.word_matches(word)
                if listed in postings
            ]
            for cut in range(MIN_SPLIT_PART + 1, len(word) - MIN_SPLIT_PART + 1):
                for half in (word[:cut], word[cut:]):
                    if half in postings:
                        related.append((half, 1.0, len(half) / len(word)))
            # A lattice reading also meets listed words derived from it or written short
            # (lattice.word_matcher): measure -> measuring, standard -> Std.
            longer = self.index.prefixes.get(word[:PREFIX_LEN], "").split()
            related += [(t, 1.0, 1.0) for t in lattice.derived_forms(word, longer)]
            related += [(t, 1.0, 1.0) for t in lattice.short_forms(word, postings.__contains__)]
        found = (self._state(word), tuple(related))
        self._words[word] = found
        return found

    def _named(self, word: str) -> tuple[tuple[int, str, float, float], ...]:
        """(changed name (new side), its word, similarity, share) for each changed name this
        word relates to (:meth:`_word`), worked out once per distinct word."""
        found = self._names_of.get(word)
        if found is None:
            index = self.index
            assert index is not None
            new = self.new_count
            found = self._names_of[word] = tuple(
                (n_idx, listed, sim, share)
                for listed, sim, share in self._word(word)[1]
                for n_idx in index.postings[listed]
                if index.name_entry[n_idx] < new
            )
        return found

    def _state(self, word: str) -> int:
        """REMATCH when the word may match unchanged names better: its own standing moved
        (``standing``), or it is an unknown word one edit from (or the start of) a
        legal-form word that entered or left; 0 otherwise. Relations gained to changed
        names are way 1's; relations lost only lower scores. (What the word weighs is
        compared per party: :meth:`spread`.)"""
        if word in self.standing:
            return REMATCH
        if (
            word not in self.known
            and self.legal
            and len(word) >= MIN_FUZZY_LEN
            and (
                self._near_legal(word)
                or any(len(w) > len(word) and w.startswith(word) for w in self.legal)
            )
        ):
            return REMATCH  # a changed legal-form word mistyped or cut short
        return 0

    def _near_legal(self, text: str) -> bool:
        """Whether ``text`` is one edit from a legal-form word that entered or left."""
        return process.extractOne(text, self.legal, scorer=OSA.distance, score_cutoff=1) is not None

    def _weight_now(self, word: str, han: bool) -> float:
        """What this word weighs now, taken alone: a listed word its own weight, an offered
        word of a Chinese name as the lattice weighs it, an unknown query word the largest
        weight of the listed words it may stand for (0: none; see :meth:`_query_weight`)."""
        key = (word, han)
        found = self._now.get(key)
        if found is None:
            if word in self.known:
                found = self.weights[word]
            elif han:
                found = self._weigh_han(word)
            else:
                idf = self.current.idf
                found = max(
                    (idf[listed] for listed, *_ in self.current.word_matches(word)), default=0.0
                )
            self._now[key] = found
        return found

    def _query_weight(self, spelling: Spelling, position: int) -> float:
        """What the screener weighs this token at now (Screener._prepare): a listed word its
        own weight; an unknown word a legal form's part's weight, or the largest weight of
        the listed words it may stand for, or of those it makes run together with a
        neighbour, or an unknown word's."""
        tokens = spelling.tokens
        token = tokens[position]
        if token in self.known:
            return self.weights[token]
        joined = tuple(
            tokens[p] + tokens[p + 1]
            for p in (position - 1, position)
            if p >= 0 and p + 1 < len(tokens)
        )
        if self._legal_part(token, joined):
            return SOFT_WEIGHT
        found = self._weight_now(token, False)
        if found:
            return found
        postings, idf = self.current.postings, self.current.idf
        together = [
            idf[first + second]
            for p in (position - 1, position)
            if p >= 0 and p + 1 < len(tokens)
            for first in (tokens[p], *spelling.readings[p])
            for second in (tokens[p + 1], *spelling.readings[p + 1])
            if first + second in postings
        ]
        return max(together, default=self.max_weight * min(1.0, len(token) / 3))

    def _legal_part(self, token: str, joined: tuple[str, ...]) -> bool:
        """NameIndex.is_legal_part, the word's own part remembered per word."""
        found = self._legal_parts.get(token)
        if found is None:
            found = self._legal_parts[token] = self.current.is_legal_part(token)
        if found or len(token) < MIN_FUZZY_LEN - 1:
            return found
        # A run-together pair is a legal-form part when it is one edit from one (the index
        # remembers the few that may be).
        return any(self.current.legal_typo(whole) for whole in joined)

    @staticmethod
    def _factor_now(now: float, before: float) -> float:
        """A weight now over the weight then (a soft word, capped at SOFT_WEIGHT then, is
        capped now too)."""
        if before <= SOFT_WEIGHT < now:
            now = SOFT_WEIGHT
        if before <= 0:
            return 1.0 if now <= 0 else float("inf")
        return now / before

    def spread(self, spelling: Spelling) -> float:
        """How far apart this spelling's weights moved since it was screened: the highest
        factor over the lowest, 1 included (branch words and legal forms weigh capped
        weights). The characters of a Chinese name weigh what the words char_weights
        consulted weigh (sums, shares, caps and the least of them), so their factors lie
        among those words' factors."""
        # Asked of every party: a listed word's weight is looked up here, not through
        # _query_weight, and a weight above the soft cap is simply divided.
        listed = self.weights
        lowest = highest = 1.0
        for position, (token, before) in enumerate(
            zip(spelling.tokens, spelling.weights, strict=True)
        ):
            now = listed.get(token)
            if now is None:
                now = self._query_weight(spelling, position)
            factor = now / before if before > SOFT_WEIGHT else self._factor_now(now, before)
            if factor < lowest:
                lowest = factor
            elif factor > highest:
                highest = factor
        if spelling.han is not None:
            known = self._han_factors
            for pair in spelling.han.weighed:
                found = known.get(pair)
                if found is None:
                    found = known[pair] = self._factor_now(self._weight_now(pair[0], True), pair[1])
                lowest, highest = min(lowest, found), max(highest, found)
        return highest / lowest

    def rematches(self, spelling: Spelling) -> bool:
        """Whether this spelling may match even unchanged names better (way 2). Other
        readings of a token are matched only as they are: one entering the vocabulary
        meets only changed names (way 1)."""
        forms = [(t, *r) for t, r in zip(spelling.tokens, spelling.readings, strict=True)]
        if (
            self.han_words
            and spelling.han is None
            and not self.han_words.isdisjoint(spelling.tokens)
        ):
            return True
        for position, words in enumerate(forms):
            if self._word(words[0])[0] == REMATCH:
                return True
            if position + 1 < len(forms):
                for first in words:
                    if first in self._joinable_heads and any(
                        first + second in self.joinable for second in forms[position + 1]
                    ):
                        return True
                # A legal-form word split in two ("Corpo ration") weighs as one.
                if self.legal and self._near_legal(words[0] + forms[position + 1][0]):
                    return True
        return spelling.han is not None and (
            self._reads_group(spelling.han)
            or any(self._rematching(offered) for offered in set(spelling.han.words))
        )

    def _reads_group(self, han: HanProfile) -> bool:
        """Whether a group acronym that appeared, went or changed could be read into this
        Chinese name's short name (all its distinctive words looked up for it), or could
        change how unchanged listed names opening with a group's name weigh against it
        (lattice.parent_relief: any Chinese name may meet a unit of the group)."""
        if any(not self.unit_words.isdisjoint(offered) for offered in han.words):
            return True
        heads = han.heads
        return any(heads is None or group.distinctive <= heads for group in self.groups)

    def _rematching(self, words: frozenset[str]) -> bool:
        """Whether any of these words is REMATCH (``_state``): with no legal-form word
        moved, only the words whose standing moved are."""
        if not self.legal:
            return not self.standing.isdisjoint(words)
        return any(self._word(word)[0] == REMATCH for word in words)

    def reaches(self, spelling: Spelling, ratio: float, floor: float) -> bool:
        """Whether this spelling could score ``floor`` or more against a changed entry's
        name when every weight may have moved by ``ratio`` since it was remembered (way 1)."""
        index = self.index
        if index is None:
            return False
        reachable = floor - COUNTRY_MATCH_BONUS
        if spelling.han is not None and not self.han_changed:
            # Its Latin reading meets only names written in Chinese, and none changed.
            return self._han_reaches(spelling.han, ratio, reachable)
        tokens, weights = spelling.tokens, spelling.weights
        # An initial can stand for any word that starts with it: count it as matched.
        initials = {
            p
            for p, t in enumerate(tokens)
            if len(t) == 1 and (t.isascii() or t in self.script_initials)
        }
        if len(initials) == len(tokens):
            return True
        if not self._may_reach(spelling, ratio, reachable, initials):
            return spelling.han is not None and self._han_reaches(spelling.han, ratio, reachable)
        gains: dict[int, dict[int, float]] = {}  # name -> position -> best query gain
        found: dict[int, dict[str, float]] = {}  # name -> listed word -> best similarity

        # A name in Chinese characters meets names written in Latin letters through its
        # lattice only (Screener._best_read).
        han_only = spelling.han is not None

        def gain(n_idx: int, position: int, value: float, listed: str, sim: float) -> None:
            if index.name_entry[n_idx] >= self.new_count:
                return  # a name of a removed entry, or the old side of a changed one
            if han_only and n_idx not in index.han_lattices:
                return
            per = gains.setdefault(n_idx, {})
            if value > per.get(position, 0.0):
                per[position] = value
            words = found.setdefault(n_idx, {})
            if sim > words.get(listed, 0.0):
                words[listed] = sim

        lattices = index.han_lattices
        for position, token in enumerate(tokens):
            high = weights[position] * ratio
            halves: dict[int, dict[str, float]] = {}  # name -> split half -> sim x share
            for word in (token, *spelling.readings[position]):
                # gain() inlined (most of the work: a common word meets dozens of names);
                # _named gives the new side's names only.
                for n_idx, listed, sim, share in self._named(word):
                    if han_only and n_idx not in lattices:
                        continue
                    per = gains.get(n_idx)
                    if per is None:
                        per = gains[n_idx] = {}
                        words = found[n_idx] = {}
                    else:
                        words = found[n_idx]
                    if sim > words.get(listed, 0.0):
                        words[listed] = sim
                    if share < 1.0:
                        per_half = halves.setdefault(n_idx, {})
                        per_half[listed] = max(per_half.get(listed, 0.0), sim * share)
                    elif sim * high > per.get(position, 0.0):
                        per[position] = sim * high
            for n_idx, per_half in halves.items():
                # The halves a name holds cover the word together (each of its words is
                # aligned once: a half the name holds twice counts twice), at most whole.
                tokens_of = index.name(n_idx).tokens
                value = sum(part * tokens_of.count(listed) for listed, part in per_half.items())
                gain(n_idx, position, min(1.0, value) * high, "", 0.0)
            syllables = self._syllables(tokens, position)
            if syllables is not None:
                for listed, sim in syllables:
                    for n_idx in index.postings[listed]:
                        gain(n_idx, position, sim * high, listed, sim)
                        gain(n_idx, position + 1, sim * weights[position + 1] * ratio, listed, sim)
            elif position + 1 < len(tokens):
                for first in (token, *spelling.readings[position]):
                    if first not in self._heads:
                        continue  # no changed name's word begins with it
                    for second in (tokens[position + 1], *spelling.readings[position + 1]):
                        joined = first + second
                        for n_idx in index.postings.get(joined, ()):
                            gain(n_idx, position, high, joined, 1.0)
                            gain(n_idx, position + 1, weights[position + 1] * ratio, joined, 1.0)
        initial_letters = {tokens[p] for p in initials}
        # Worked out once for the names below (a common word meets dozens): each position's
        # weight as it counts unmatched, the slack positions and the rest, in order.
        low = [weight / ratio for weight in weights]
        slack: list[int] = []
        plain: list[int] = []
        for p in range(len(tokens)):
            if p not in initials:
                (slack if p in spelling.slack else plain).append(p)
        slack_set = frozenset(slack)
        tops = [weight * ratio for weight in weights]
        # Most names meet one or two of the words: what the others leave is worked out from
        # the whole, not word by word.
        is_plain = [False] * len(tokens)
        for p in plain:
            is_plain[p] = True
        all_plain = sum(low[p] for p in plain)
        entry_type, name_entry = index.entry_type, index.name_entry
        for n_idx, per in gains.items():
            # Beside a listed person found whole, the query's further names weigh
            # MIDDLE_NAME_SHARE (score.middle_names_around): an unmatched word at least that much.
            # They lie between the words found, or after them when the first is found.
            person = entry_type[name_entry[n_idx]] == EntityType.PERSON
            least = MIDDLE_NAME_SHARE if person and (0 in per or len(per) > 1) else 1.0
            matched = 0.0
            unmatched = all_plain
            rest = 0.0  # what matched words leave unmatched of their own weight, at least
            for p, part in per.items():
                matched += part
                if is_plain[p]:
                    unmatched -= low[p]
                    if part < tops[p]:
                        # A word matched in part counts the rest of its weight unmatched
                        # (score_name), or, if the alignment leaves it out, all of it as
                        # an unmatched word: the lesser of the two, at least.
                        rest += min(1.0 - part / tops[p], least) * low[p]
            if unmatched < 1e-9:  # every plain word met (the sum less its parts)
                unmatched = 0.0
            if initials:
                matched += sum(tops[p] for p in initials if p not in per)
            unfound = [p for p in slack if p not in per] if slack else []
            left = [low[p] for p in unfound]
            loose = sum(left)
            if matched + unmatched <= 0:
                continue
            # Unmatched slack words keep what qualifiers keep beside a found name at least
            # (score.relief), and their whole weight unless the name's closely matched words
            # could make it whole or it is a listed firm's (score.head_found); so do a person's
            # further names.
            # Any run of neighbouring slack words may be one place phrase (score.relief):
            # taken so, they keep no more than the scorer lets them.
            keep = qualifiers_keep(phrases(low, unfound, slack_set)) if left else 0.0
            query_coverage = matched / (matched + least * unmatched + rest + keep)
            if QUERY_SHARE * query_coverage + (1 - QUERY_SHARE) < reachable:
                continue  # out of reach whatever the listed side
            words = found[n_idx]
            company = index.entry_type[index.name_entry[n_idx]] == EntityType.COMPANY
            if ((loose and not company) or (person and unmatched)) and self._listed_coverage(
                n_idx, {w: s for w, s in words.items() if s >= CLOSE_MATCH}
            ) < FULL_COVERAGE:
                query_coverage = matched / (
                    matched + unmatched + rest + (keep if company else loose)
                )
            covered = self._listed_coverage(n_idx, words, initial_letters)
            score = QUERY_SHARE * query_coverage + (1 - QUERY_SHARE) * covered
            if self._alias_factor(n_idx) * score >= reachable:
                return True
        return spelling.han is not None and self._han_reaches(spelling.han, ratio, reachable)

    def _may_reach(
        self, spelling: Spelling, ratio: float, reachable: float, initials: set[int]
    ) -> bool:
        """A quick bound before any changed name is looked at: every position matched that
        any changed name could match, in one name, with a listed side fully covered. Beside
        a changed person's name found whole (its words met closely, none through an
        initial) a person's further names weigh MIDDLE_NAME_SHARE (score.middle_names_around):
        bounded apart."""
        tokens, weights = spelling.tokens, spelling.weights
        forms = [(t, *r) for t, r in zip(tokens, spelling.readings, strict=True)]
        best = [1.0 if p in initials else 0.0 for p in range(len(tokens))]
        whole = [0.0] * len(tokens)  # the best close similarity to a changed person's word
        closest = self._closest
        for position, words in enumerate(forms):
            for word in words:
                sims = closest.get(word)
                if sims is None:
                    sims = closest[word] = self._closest_sims(word)
                if sims[0] > best[position]:
                    best[position] = sims[0]
                if sims[1] > whole[position]:
                    whole[position] = sims[1]
            found: Sequence[float] = ()
            syllables = self._syllables(tokens, position)
            if syllables is not None:
                found = [sim for _, sim in syllables]
            elif position + 1 < len(forms) and self._joins(words, forms[position + 1]):
                found = [1.0]
            for sim in found:
                for bests in (best, whole):
                    bests[position] = max(bests[position], sim)
                    bests[position + 1] = max(bests[position + 1], sim)
        bounds = [(best, 1.0)]
        # Further names lie between the words found, or after them when the first word is
        # found (score.middle_names_around): with one word found past the first, there are none.
        if whole[0] or sum(1 for sim in whole if sim) > 1:
            bounds.append((whole, MIDDLE_NAME_SHARE))
        for bests, least in bounds:
            matched = unmatched = 0.0
            for position, sim in enumerate(bests):
                if sim > 0:
                    matched += weights[position] * ratio * sim
                elif position not in spelling.slack:
                    unmatched += weights[position] / ratio * least
            if matched + unmatched <= 0:
                return True
            if QUERY_SHARE * matched / (matched + unmatched) + (1 - QUERY_SHARE) >= reachable:
                return True
        return False

    def _closest_sims(self, word: str) -> tuple[float, float]:
        """The best similarity of this word (:meth:`_word`) to a changed name's word, and
        its best close one (CLOSE_MATCH or more) to a word of a changed person's name."""
        best = close = 0.0
        for listed, sim, _ in self._word(word)[1]:
            best = max(best, sim)
            if sim >= CLOSE_MATCH and listed in self._people_words:
                close = max(close, sim)
        return best, close

    def _joins(self, firsts: Sequence[str], seconds: Sequence[str]) -> bool:
        """Whether a form of one token run together with a form of the next is a changed
        name's word."""
        assert self.index is not None
        postings = self.index.postings
        for first in firsts:
            if first in self._heads:
                for second in seconds:
                    if first + second in postings:
                        return True
        return False

    def _syllables(
        self, tokens: Sequence[str], position: int
    ) -> tuple[tuple[str, float], ...] | None:
        """The changed names' words two Hangul syllables read together stand for ("Jongun",
        as ``token_matches`` reads them), or None when the two tokens are not syllables. A
        split half counts as the whole word here: the bound stays above the score."""
        first = tokens[position]
        if (
            position + 1 >= len(tokens)
            or (first and first.isascii())  # most words: no Hangul
            or not hangul.is_syllables(first + tokens[position + 1])
        ):
            return None
        return tuple(
            (listed, sim) for listed, sim, _ in self._word(first + tokens[position + 1])[1]
        )

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
            weighed = (
                lattice.listed_weights(name.tokens, plain, SOFT_WEIGHT, bool(name.legal))
                if acronyms
                else plain
            )
            weighings = [tuple(weighed)]
            if acronyms:
                # A parent group the query does not say weighs as a qualifier (lattice.
                # parent_relief): the bound takes the better of both weighings.
                relieved, parent = lattice.parent_relief(
                    name.tokens,
                    weighed,
                    self._parents,
                    {},
                    # The new side's own postings: no more names hold a unit's words than
                    # on the whole list now, so the relief is never smaller than there.
                    # (The old side's names are not on the list now.)
                    self._new_postings(),
                )
                if parent:
                    weighings.append(relieved)
            totals = [(w, sum(w)) for w in weighings]
            if acronyms:
                # A Chinese name that says no place leaves the listed name's place unsaid
                # once its trade name is found (lattice.unplaced), and one without its legal
                # form leaves its kind of business out (lattice.short_name_unsaid): the bound
                # credits every word in full over the total with all of them relieved, which
                # is never less.
                places = lattice.possible_places(name.tokens)
                kinds = lattice.short_name_unsaid()
                totals = [
                    (
                        w,
                        sum(
                            lattice.unplaced(
                                [
                                    min(x, SOFT_WEIGHT) if t in kinds else x
                                    for t, x in zip(name.tokens, w, strict=True)
                                ],
                                places,
                                SOFT_WEIGHT,
                            )
                        ),
                    )
                    for w in weighings
                ]
            # A listed firm's trailing descriptors a query leaves out weigh less
            # (score.unsaid_descriptors): the bound lets every one it does not reach do so.
            firm = not acronyms and self.index.entry_type[name.entry] == EntityType.COMPANY
            known = (name.tokens, tuple(totals), firm)
            self._listed[key] = known
        tokens, weighed_totals, firm = known
        best = 0.0
        for weights, total in weighed_totals:
            if total <= 0:
                return 1.0
            covered = unsaid = 0.0
            for token, weight in zip(tokens, weights, strict=True):
                sim = max(words.get(token, 0.0), 1.0 if token[:1] in initials else 0.0)
                covered += weight * sim
                if firm and not sim and token in DESCRIPTORS:
                    unsaid += weight
            best = max(best, covered / (total - UNSAID_DESCRIPTOR * unsaid))
        return best

    def _new_postings(self) -> dict[str, list[int]]:
        """The delta index's postings of the new side's names only."""
        if self._new_side is None:
            assert self.index is not None
            entry = self.index.name_entry
            self._new_side = {
                token: [n for n in names if entry[n] < self.new_count]
                for token, names in self.index.postings.items()
            }
        return self._new_side

    def _lattice_reached(self, word: str, strict: bool) -> dict[int, dict[str, float]]:
        """The changed names (new side) a lattice word meets as :func:`lattice.align` meets
        listed words (``lattice.word_matcher``: exact and plural only when ``strict``): name ->
        its word -> similarity, worked out once per word."""
        key = (word, strict)
        found = self._reach_by_name.get(key)
        if found is None:
            index = self.index
            assert index is not None
            found = {}
            for listed, sim in self._lattice_matcher(word, strict):
                for n_idx in index.postings.get(listed, ()):
                    if index.name_entry[n_idx] < self.new_count:
                        words = found.setdefault(n_idx, {})
                        words[listed] = max(sim, words.get(listed, 0.0))
            self._reach_by_name[key] = found
        return found

    def _reaching(self, words: frozenset[str], strict: frozenset[str]) -> frozenset[str]:
        """Those of these words that meet a changed name (``strict``: the words met only
        exactly): set operations, since a Chinese name's characters offer many words each
        and parties share most of them."""
        out: set[str] = set()
        for kind, part in ((True, words & strict), (False, words - strict)):
            looked_at, reaching = self._looked_at[kind], self._reaches_some[kind]
            for word in part - looked_at:
                looked_at.add(word)
                if self._lattice_reached(word, kind):
                    reaching.add(word)
            out |= part & reaching
        return frozenset(out)

    def _han_reaches(self, han: HanProfile, ratio: float, reachable: float) -> bool:
        """Way 1 through the lattice: the characters whose readings' words meet a changed
        name's words bound the Chinese side's coverage, those words the listed side's. A
        name only words that cannot make a match distinctive meet (initials, a character
        taken for a word's head, descriptors) is no match."""
        index = self.index
        assert index is not None
        if han.anchors is not None and not self._reaching(han.anchors, han.strict):
            return False  # most parties: only what the Chinese name's anchors meet counts
        reaching = [self._reaching(offered, han.strict) for offered in han.words]
        anchored = set().union(*reaching)
        if han.anchors is not None:
            anchored &= han.anchors
        if not anchored:
            return False
        related = {c for c, words in enumerate(reaching) if words or han.legal[c]}
        high = sum(han.weights[c] * ratio for c in related)
        low = sum(
            w / ratio
            for c, w in enumerate(han.weights)
            if c not in related and c not in han.described
        )
        if high + low > 0 and QUERY_SHARE * high / (high + low) + (1 - QUERY_SHARE) < reachable:
            return False
        strict = han.strict
        # Per changed name an anchor word meets, the characters whose words meet it; then,
        # for the names the Chinese side alone could reach, the best similarity of each of
        # their words.
        names: set[int] = set()
        for word in anchored:
            names.update(self._lattice_reached(word, word in strict))
        chars: dict[int, int] = {}  # name -> bit mask of the characters reaching it
        for c, words in enumerate(reaching):
            bit = 1 << c
            for word in words:
                for n_idx in self._lattice_reached(word, word in strict).keys() & names:
                    chars[n_idx] = chars.get(n_idx, 0) | bit
        weights, legal, described = han.weights, han.legal, han.described
        legal_weight = sum(w for w, is_legal in zip(weights, legal, strict=True) if is_legal)
        free = [not legal[c] and c not in described for c in range(len(weights))]
        # mask -> the Chinese side's matched and unmatched weight at best, and the weight of
        # its place and industry characters left unmatched, in full and relieved.
        coverages: dict[int, tuple[float, float, float, float]] = {}
        for n_idx, mask in chars.items():
            known = coverages.get(mask)
            if known is None:
                covered = [c for c in range(len(weights)) if mask >> c & 1]
                matched = (legal_weight + sum(weights[c] for c in covered if not legal[c])) * ratio
                unmatched = (
                    sum(w for c, w in enumerate(weights) if free[c] and not mask >> c & 1) / ratio
                )
                lefts = [
                    weights[c] / ratio for c in described if not legal[c] and not mask >> c & 1
                ]
                # lattice.align's relief beside a listed name found whole: QUALIFIER_WEIGHT / 2
                # a character at most, QUALIFIER_CAP in all.
                relieved = min(sum(min(w, QUALIFIER_WEIGHT / 2) for w in lefts), QUALIFIER_CAP)
                known = coverages[mask] = (matched, unmatched, sum(lefts), relieved)
            matched, unmatched, left, relieved = known
            factor = self._alias_factor(n_idx)
            best = matched / (matched + unmatched + relieved) if matched > 0 else 0.0
            if factor * (QUERY_SHARE * best + (1 - QUERY_SHARE)) < reachable:
                continue
            found: dict[str, float] = {}
            for c in range(len(weights)):
                if mask >> c & 1:
                    for word in reaching[c]:
                        for listed, sim in (
                            self._lattice_reached(word, word in strict).get(n_idx, {}).items()
                        ):
                            if sim > found.get(listed, 0.0):
                                found[listed] = sim
            listed_coverage = self._listed_coverage(n_idx, found, acronyms=True)
            if listed_coverage < lattice.WHOLE:
                # No relief: the place and industry characters left weigh in full.
                best = matched / (matched + unmatched + left) if matched > 0 else 0.0
            score = QUERY_SHARE * best + (1 - QUERY_SHARE) * listed_coverage
            if factor * score >= reachable:
                return True
        return False

    def _alias_factor(self, n_idx: int) -> float:
        """What a changed name's kind multiplies a score by (a weak alias, a derived acronym:
        the screener's own rule)."""
        found = self._factors_of.get(n_idx)
        if found is None:
            assert self.index is not None
            found = self._factors_of[n_idx] = _weigh_alias(1.0, [], self.index.name(n_idx))
        return found

    def affects(
        self, spellings: Sequence[Spelling], near: float, threshold: float = DEFAULT_THRESHOLD
    ) -> str | None:
        """Why a party must be screened again, or None: it had a hit (its scores move with
        any weight, and a hit's entry may have changed or gone), or a near miss that drift
        could lift to the threshold, or its words match differently, or a changed name is
        in its reach.

        A near miss needs no screening when drift cannot lift it: ``near`` is its best
        score against every name it met then, and every name that did not change since (or
        join the changed names: LISTED_SPREAD, a word that crossed DISTINCTIVE) moved by at
        most :func:`near_drift`
        of its own weights' spread; the changed names are way 1's. A near miss with slack
        words (branch, office, place words) may jump by more than drift, and is always
        screened: their discount switches on when the listed name's coverage crosses
        FULL_COVERAGE."""
        if near >= threshold:
            return "hit"
        han = any(s.han is not None for s in spellings)
        near_miss = near >= near_floor(threshold, han)
        if near_miss and any(s.slack for s in spellings):
            return "near miss"
        if any(self.rematches(s) for s in spellings):
            return "words match differently"
        spread = max((self.spread(s) for s in spellings), default=1.0)
        if spread > QUERY_SPREAD:
            return "its weights moved"
        if near_miss and near + near_drift(spread) >= threshold:
            return "near miss"
        floor = threshold - NEAR
        # Its weights moved by QUERY_SPREAD at most since it was screened.
        if any(self.reaches(s, QUERY_SPREAD, floor) for s in spellings):
            return "a changed entry in reach"
        return None


def near_drift(spread: float) -> float:
    """The most a score can have moved since a party was screened when its own weights
    moved apart by ``spread`` and the listed name's by LISTED_SPREAD at most (the names
    whose words may have moved further are changed names, way 1)."""
    return QUERY_SHARE * drift_bound(spread) + (1 - QUERY_SHARE) * drift_bound(LISTED_SPREAD)


def _units_held_by(
    index: NameIndex, parents: lattice.ParentGroups, entries: Sequence[Entry]
) -> set[int]:
    """Names of listed units (a parent group's name, then the unit's own: see
    lattice.ParentGroups.opening) all of whose own words one of ``entries`` holds, in any
    of its names: such an entry counts among the names holding the unit's words."""
    held = [
        {t for name in entry.names() for t in analyse(name.name, person_flag(entry.type)).tokens}
        for entry in entries
    ]
    if not held or not parents.acronyms:
        return set()
    # A unit's own words are two at least (lattice.ParentGroups.opening): only a name
    # holding two of the entries' own words can have them all among an entry's words.
    postings = index.postings
    words = lattice.own_words(list(set().union(*held)))
    names = Counter(n for t in words for n in postings.get(t, ()))
    found: set[int] = set()
    for n_idx in (n for n, count in names.items() if count >= 2):
        tokens = index.name_tokens[n_idx].split(" ")
        part = parents.opening(tokens)
        if part:
            own = set(lattice.own_words([t for j, t in enumerate(tokens) if j not in part]))
            if any(own <= words for words in held):
                found.add(n_idx)
    return found
