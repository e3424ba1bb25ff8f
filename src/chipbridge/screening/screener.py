"""Scores -> explained hits: the public face of the engine.

``Screener`` is built once from imported lists and then answers queries with no I/O. It is
safe to share between threads: after construction nothing is mutated except memos, which
are ``functools`` caches or the index's locked :class:`~chipbridge.screening.index.Memo`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from chipbridge.screening import (
    branches,
    cjk,
    lattice,
    pinyin_reading,
    qualifiers,
    romanise,
    slips,
    surround,
)
from chipbridge.screening.index import (
    SOFT_WEIGHT,
    SYLLABLES,
    IndexedName,
    NameIndex,
    TokenMatch,
    is_split,
    person_flag,
)
from chipbridge.screening.model import AliasKind, EntityType, Entry, ListSnapshot
from chipbridge.screening.normalize import analyse, check_screenable, legal_head
from chipbridge.screening.qualifiers import UNIT_WORDS
from chipbridge.screening.score import (
    DESCRIPTORS,
    DISTINCTIVE,
    Alignment,
    Scored,
    min_query_coverage,
    one_letter_words,
    relief,
    score_bound,
    score_name,
)

# Russian, Ukrainian and Belarusian patronymics, Turkic "son of" and "daughter of" words.
_PATRONYMIC = re.compile(r"^\w{3,}(?:ovich|evich|ovna|evna|ovych|ivna)$|^(?:ogly|oglu|kyzy|uly)$")

# Ways a word meets a listed word it is not: a slip of a letter, a cut, another family
# spelling, a sound-alike (index.word_matches' kinds).
_SLIPS = frozenset({"typo", "truncation", "transliteration", "phonetic"})

# The entity types by the value the index stores: a dict look-up per candidate, where
# calling the enum looks the value up through its metaclass.
_ENTITY_TYPES = {t.value: t for t in EntityType}

# Calibrated on the screening development set (bench/accuracy.py): the threshold that gives
# the best F1 there while keeping false positives under 1%. See docs/screening.md.
DEFAULT_THRESHOLD = 0.84

# How many candidate names the index hands to the scorer per query.
CANDIDATES = 20
# What score.score_bound may differ from score_name's score by through rounding alone.
BOUND_MARGIN = 1e-9

# OFAC publishes weak a.k.a.s as broad or generic names that should not be matched on
# their own; an exact match on one alone stays just under the default threshold.
WEAK_ALIAS_FACTOR = 0.8
# Hits through a spelling chipbridge derived rather than the one typed.
DERIVED_FACTOR = 0.95
# Hits through the name of the firm a Chinese branch's or regional company's name extends
# (branches.py): the place and unit left out cost what such words cost a Latin name beside its
# listing ("Huawei Technologies Co., Ltd. Shenzhen Branch" scores 0.977 against Huawei's).
BRANCH_FACTOR = 0.97
# Hits through an acronym derived from a listed name, by its length (0: longer): three
# letters are shared by too many names to flag on their own, four rarely, five hardly.
ACRONYM_FACTORS = {3: 0.8, 4: 0.9, 0: DERIVED_FACTOR}
# OFAC's 50% rule: an entity owned 50% or more, in aggregate, by blocked persons is blocked.
FIFTY_PERCENT = 50.0
TYPE_MISMATCH_FACTOR = 0.85
COUNTRY_MATCH_BONUS = 0.02
COUNTRY_MISMATCH_FACTOR = 0.95


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a hit scored what it did, in terms a compliance officer can check by eye."""

    alignments: tuple[Alignment, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    rules: tuple[str, ...]
    query_coverage: float
    listed_coverage: float

    def text(self, matched_name: str, kind: AliasKind) -> str:
        parts = [f'via {kind.value} name "{matched_name}"']
        shown = []
        for a in self.alignments:
            if a.kind == "exact":
                shown.append(a.listed)
            else:
                shown.append(f"{a.query}~{a.listed} ({a.kind} {a.similarity:.2f})")
        if shown:
            parts.append("matched: " + ", ".join(shown))
        if self.unmatched_query:
            parts.append("query words not on list: " + ", ".join(self.unmatched_query))
        if self.unmatched_listed:
            parts.append("listed words not in query: " + ", ".join(self.unmatched_listed))
        if self.rules:
            parts.append("rules: " + "; ".join(self.rules))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float
    matched_name: str
    alias_kind: AliasKind
    explanation: Explanation = field(repr=False)
    # Listed parties that own this entry (with the published percentage, when known), and
    # listed parties this entry owns: the affiliates a compliance officer must look at too.
    owners: tuple[tuple[Entry, float | None], ...] = ()
    subsidiaries: tuple[Entry, ...] = ()
    # The party's other listings (other lists, or the same list republished), best first.
    also_listed: tuple[Entry, ...] = ()

    @property
    def reason(self) -> str:
        return self.explanation.text(self.matched_name, self.alias_kind)

    @property
    def listings(self) -> tuple[Entry, ...]:
        """Every listing of the party: :attr:`entry` (the best one) first."""
        return (self.entry, *self.also_listed)

    def summary(self) -> dict[str, object]:
        """The fields every consumer shows: which party, on which lists, how close, and why."""
        return {
            "entry_id": self.entry.id,
            "source": self.entry.list_name,
            "listed_name": self.entry.name,
            "score": round(self.score, 4),
            "reason": self.reason,
            "citation": self.entry.citation,
            "also_listed": [
                {
                    "dataset": e.dataset,
                    "entry_id": e.id,
                    "source": e.list_name,
                    "listed_name": e.name,
                    "citation": e.citation,
                }
                for e in self.also_listed
            ],
        }

    def to_dict(self) -> dict[str, object]:
        return {
            **self.summary(),
            "dataset": self.entry.dataset,
            "matched_name": self.matched_name,
            "alias_kind": self.alias_kind.value,
            "type": self.entry.type.value,
            "countries": list(self.entry.countries),
            "programs": list(self.entry.programs),
            "source_url": self.entry.source_url,
            "owners": [{"entry_id": o.id, "name": o.name, "percent": p} for o, p in self.owners],
            "subsidiaries": [{"entry_id": e.id, "name": e.name} for e in self.subsidiaries],
            "explanation": {
                "alignments": [
                    {
                        "query": a.query,
                        "listed": a.listed,
                        "similarity": a.similarity,
                        "kind": a.kind,
                    }
                    for a in self.explanation.alignments
                ],
                "unmatched_query": list(self.explanation.unmatched_query),
                "unmatched_listed": list(self.explanation.unmatched_listed),
                "rules": list(self.explanation.rules),
                "query_coverage": round(self.explanation.query_coverage, 4),
                "listed_coverage": round(self.explanation.listed_coverage, 4),
            },
        }


@dataclass(frozen=True, slots=True)
class _Query:
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    legal: frozenset[str]
    rules: tuple[str, ...]
    matches: dict[str, list[TokenMatch]]
    # Positions of branch, office and place words, and the most they can take off the total.
    qualifiers: tuple[int, ...] = ()
    units: tuple[int, ...] = ()
    extras: tuple[int, ...] = ()
    slack: float = 0.0
    # Positions naming a place, with the countries holding a place of that name, and those
    # naming a country or territory itself.
    places: tuple[tuple[int, frozenset[str]], ...] = ()
    nations: tuple[int, ...] = ()
    # Positions that go on a place phrase begun before them (one qualifier: score.relief).
    joined: frozenset[int] = frozenset()
    # Whether the name is a Chinese person's, in pinyin or another romanisation: it has no
    # middle names, its given name's syllables are one name (score_name's middle_names).
    chinese: bool = False
    # For a Chinese person's name in pinyin (romanise.reads_as_pinyin): ``matches`` without
    # the slips (a typo, a cut, another transliteration, a sound-alike) that meet another
    # pinyin word, for listed names that read as pinyin too: Zheng Lei is not Zhang Lei.
    pinyin_matches: dict[str, list[TokenMatch]] | None = None
    # For such a name, ``pinyin_matches`` with its syllables as other systems spell them
    # (romanise.spellings), for listed Chinese people written so (index.romanised_people):
    # Lu Weicong is "LO, Wai-chung"; and ``matches`` with them, for finding candidates.
    # None when they meet nothing listed.
    spelled_matches: dict[str, list[TokenMatch]] | None = None
    reach_matches: dict[str, list[TokenMatch]] | None = None


# One listing's best showing: score, the query, the listed name, its scoring, extra rules.
_Candidate = tuple[float, _Query, IndexedName, Scored, list[str]]


# Scores are compared rounded to this many digits: two listings of one name summed in
# another order differ in the last bits, and which comes first must not turn on that.
TIE_DIGITS = 9


def _tied(score: float) -> float:
    return round(score, TIE_DIGITS)


def _slip_on_a_guess(scored: Scored, listed: IndexedName, form: str, usual: Sequence[str]) -> bool:
    """Whether a Hong Kong form meets a listed person through a slip (a typo, a cut word)
    on a syllable read in a character's less usual reading: each is one guess, and two on
    one syllable find anyone (陈明 read "chun", as 陳 is not as a surname, then "Chung": the
    alias "MING CHUNG"). Or through a slip onto a listed word that is itself a syllable, in
    Hong Kong or in pinyin spelling: that is another syllable, another character, not the
    same one misspelled (陈燕 "chan yin" is not "YIN CHIN", 曾利 "chang lei" not "ZHANG
    Lei"), as "wong" is not "Wing" for a firm. A slip on a usual reading onto no syllable
    stays, as lists spell a name their own way ("Yuet-ngor" for 月娥, "yuet ngo")."""
    syllables = form.split()
    guessed = {k for k, (s, u) in enumerate(zip(syllables, usual, strict=False)) if s != u}
    return any(
        m.kind in _SLIPS and (guessed.intersection(m.positions) or _a_syllable(listed.tokens[j]))
        for j, m in scored.aligned
    )


def _a_syllable(word: str) -> bool:
    """Whether a listed word is one Chinese syllable as Hong Kong or pinyin spells it."""
    return word in cjk.government_syllables() or word in lattice.pinyin_syllables()


class Screener:
    """Screen names against a fixed set of list entries."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._prepare = lru_cache(maxsize=8192)(self._prepare_uncached)
        # The words of the listed names written in Chinese: the only names a name in Chinese
        # characters meets through its reading (a few dozen, from the built-in list).
        self._han_words = frozenset(
            t for n_idx in index.han_lattices for t in index.name_tokens[n_idx].split(" ")
        )

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Screener:
        return cls(NameIndex(list(entries)))

    @classmethod
    def from_snapshots(cls, snapshots: Iterable[ListSnapshot]) -> Screener:
        return cls.from_entries(e for s in snapshots for e in s.entries)

    @property
    def entries(self) -> list[Entry]:
        """Every entry screened against (decodes them all: for reports, not for queries)."""
        return [self.index.entry(i) for i in range(len(self.index))]

    def __len__(self) -> int:
        return len(self.index)

    def _prepare_uncached(self, name: str, person: bool | None, reread: bool) -> _Query:
        """The query's words, their weights and the listed words they meet; ``reread``: its
        words may also be read as Wade-Giles, Hong Kong or Tongyong spellings of pinyin."""
        form = analyse(name, person)
        readings, spellings = self.respelled(name, form.tokens, person) if reread else (None, None)
        matches = self.index.token_matches(form.tokens, readings, form.cut, form.written)
        idf = self.index.idf
        # The listed words each position reaches only together with its neighbour (a word
        # split in the query), gathered in one pass: per position it would be quadratic.
        joined: dict[int, list[float]] = {}
        for listed, ms in matches.items():
            for m in ms:
                if len(m.positions) > 1:
                    for p in m.positions:
                        joined.setdefault(p, []).append(idf[listed])
        # A Chinese person's name in pinyin: respelled() has asked already when it was asked.
        pinyin_name = (
            spellings is not None if reread else self._pinyin_name(name, form.tokens, person)
        )
        # Its syllables written apart weigh as syllables, whatever legal forms they also
        # abbreviate ("Tan Yu", "Li Na"; analyse keeps them too); so do those of a name read
        # as another romanisation of Chinese ("Lam Cheng Yuet-ngo": no NGO).
        syllables = person is not False and (
            readings is not None or romanise.given_name_syllables(form.tokens, self.index.pinyin)
        )
        weights = []
        for i, token in enumerate(form.tokens):
            if token in idf or token in form.soft or token in self.index.legal_words:
                weights.append(self.index.token_weight(token, form.soft, not syllables))
                continue
            # A legal-form word mistyped, cut short or split weighs what legal forms weigh
            # (whatever listed words it resembles); another unknown word weighs what the
            # listed word it may stand for weighs; any other is as rare as can be, less for
            # one- or two-letter words, which are often initials.
            if self.index.is_legal_part(token, _joined(form.tokens, i)):
                weights.append(SOFT_WEIGHT)
                continue
            known = [idf[listed] for listed, _, _, _ in self.index.word_matches(token)]
            known = known or joined.get(i, [])
            if known:
                weights.append(max(known))
            else:
                weights.append(self.index.max_idf * min(1.0, len(token) / 3))
        qualifying_at, places, national, phrased = qualifiers.positions(
            form.tokens,
            self.index.qualifiers,
            self.index.place_phrases,
            self.index.place_countries,
            self.index.nations,
        )
        qualifying = tuple(sorted(qualifying_at))
        # A word typed twice, and a patronymic ("Vladimirovich"), add nothing to a listed
        # name found whole: lists often leave patronymics out.
        extras = tuple(
            i
            for i, t in enumerate(form.tokens)
            if t in form.tokens[:i] or (person is not False and _PATRONYMIC.search(t))
        )
        slack = sum(weights[i] for i in {*qualifying, *extras})
        if person is not False and len(weights) > 2:
            # Middle names weigh little against a listed person found whole (score_name):
            # a candidate must hold the two rarest words at least.
            slack = max(slack, sum(weights) - sum(sorted(weights)[-2:]))
        pinyin_matches = spelled_matches = reach_matches = None
        if pinyin_name:
            pinyin_matches = {
                listed: kept
                for listed, ms in matches.items()
                if (kept := [m for m in ms if not self._pinyin_slip(form.tokens, m, listed)])
            }
            spelled = self.index.spelled_matches(form.tokens, spellings or ())
            if spelled:
                spelled_matches = _merged(pinyin_matches, spelled)
                reach_matches = _merged(matches, spelled)
        return _Query(
            form.tokens,
            tuple(weights),
            sum(weights) or 1.0,
            frozenset(form.legal),
            form.rules,
            matches,
            qualifying,
            tuple(i for i in qualifying if form.tokens[i] in UNIT_WORDS),
            extras,
            # A candidate matches one word at least, which then counts in full.
            min(slack, sum(weights) - min(weights, default=0.0)),
            tuple(places.items()),
            tuple(sorted(national)),
            frozenset(phrased),
            pinyin_name or readings is not None,
            pinyin_matches,
            spelled_matches,
            reach_matches,
        )

    def respelled(
        self, name: str, tokens: tuple[str, ...], person: bool | None
    ) -> tuple[
        list[tuple[tuple[str, str], ...]] | None, list[tuple[romanise.Spelling, ...]] | None
    ]:
        """A name's words as other romanisations of Chinese have them, for a name that may
        be a person's: a name in Wade-Giles, Hong Kong or Tongyong spelling read as pinyin
        (romanise.readings), or a Chinese name in pinyin spelled in those systems
        (romanise.spellings), to meet listed people written so."""
        if person is False:
            return None, None
        if self._pinyin_name(name, tokens, person):
            return None, romanise.spellings(tokens, self.index.spelled, self.index.pinyin)
        marked = bool(SYLLABLES.search(name))
        return romanise.readings(tokens, self.index.syllables, self.index.pinyin, marked), None

    def _pinyin_name(self, name: str, tokens: tuple[str, ...], person: bool | None) -> bool:
        """Whether a name is a Chinese person's in pinyin (romanise.reads_as_pinyin), not one
        whose syllables are joined by hyphens or apostrophes, as Wade-Giles and Hong Kong
        spellings write them ("Chen Ming-kuo")."""
        return (
            person is not False
            and not SYLLABLES.search(name)
            and romanise.reads_as_pinyin(tokens, self.index.pinyin)
        )

    def _pinyin_slip(self, tokens: tuple[str, ...], match: TokenMatch, listed: str) -> bool:
        """Whether a match of one word of a pinyin name is a slip to another pinyin word.
        Another romanisation's spelling of the syllable is no slip: Chang is Zhang in
        Wade-Giles, as Taiwanese passports write it."""
        return (
            match.kind in _SLIPS
            and len(match.positions) == 1
            and romanise.pinyin_syllables(listed, self.index.pinyin)
            and all(
                reading != listed
                for reading, _ in self.index.syllables.get(tokens[match.positions[0]], ())
            )
        )

    def screen(
        self,
        name: str,
        type: EntityType | None = None,
        country: str | None = None,
        limit: int = 5,
        threshold: float | None = None,
    ) -> list[Hit]:
        """Best hits for ``name``, one per party (with all its listings), best first.

        ``threshold`` defaults to :data:`DEFAULT_THRESHOLD`; pass 0 to see near misses.
        ``type`` and ``country`` (ISO 3166 alpha-2) are hints that move scores when given.
        Raises :class:`UnscreenableName` for a name with no letters or digits.
        """
        check_screenable(name)
        floor = DEFAULT_THRESHOLD if threshold is None else threshold
        cc = country.upper() if country else None
        found = self._best(name, type, cc, floor)
        # A spelling with the name's Chinese characters (its Chinese part) has the name's
        # lattice, so its lattice matches are the name's, already found: scoring no higher
        # (factors are at most 1), they could replace none of them, and are not sought again.
        person = person_flag(type)
        read = (
            (lattice.characters(name), person)
            if cjk.has_han(name) and analyse(name, person).tokens  # as _best reads it
            else None
        )
        usual: list[str] = []  # the name's Hong Kong form in each character's usual reading
        parts = cjk.script_parts(name)
        # What the Chinese part of a name in two scripts says (see _guessed).
        han_says: frozenset[str] | None = None
        for other, kind, rule, factor, placed, in_hong_kong in self.spellings(name, type)[1:]:
            if in_hong_kong and not usual:
                usual = other.split()
            again = read is not None and (lattice.characters(other), person_flag(kind)) == read
            # A Latin name read back into Chinese is read as a firm's (see _pinyin_reading),
            # whether or not the characters its syllables were given say so.
            firm = rule.startswith(pinyin_reading.RULE)
            for e_idx, (score, query, listed, scored, rules) in self._best(
                other, kind, cc, floor, lattices=not again, reread=not in_hong_kong, firm=firm
            ).items():
                score *= factor
                if placed and self._leaves_a_place(listed, scored):
                    continue
                if in_hong_kong and lattice.not_a_person(
                    self.index.entry_type[listed.entry], listed
                ):
                    # One person's name, syllable by syllable: a listed firm or ship one of
                    # its syllables spells (辛秀荣 "sun sau wing", "Sun Wing Ltd.") is found
                    # by no more of the name than it meets, as in the lattice. A syllable the
                    # reading spells is no slip of the pen: met through a typo or another
                    # spelling it is not met (王晨 "wong sun" is not "Sun Wing Ltd.").
                    said = len(
                        {p for _, m in scored.aligned if m.kind not in _SLIPS for p in m.positions}
                    )
                    score = min(score, said / len(query.tokens))
                elif in_hong_kong and _slip_on_a_guess(scored, listed, other, usual):
                    continue
                if parts and other == parts[0] and _guessed(query.tokens, listed, scored):
                    # A name in two scripts names one party twice: "中芯微电子 SMEC" is not
                    # Sahloul Money Exchange Company, whose initials SMEC are, unless its
                    # Chinese part says a word of that party's names too. One Latin word met
                    # only by a guess (a listed name's initials, a slip) is too little
                    # against it. Words, not a score: what a name says does not move when
                    # other entries change the weights (a delta re-screen's bounds).
                    if han_says is None:
                        read_han = lattice.build(parts[1], person_flag(type))
                        han_says = lattice.said_words(read_han)
                    if not self._says_a_name_of(han_says, e_idx):
                        continue
                if score >= floor and (e_idx not in found or _tied(score) > _tied(found[e_idx][0])):
                    rules.append(rule)
                    found[e_idx] = (score, query, listed, scored, rules)
        # One hit per party, ranked by its best listing.
        best: dict[int, int] = {}
        for e_idx, candidate in found.items():
            party = self.index.listings(e_idx)[0]
            current = best.get(party)
            if current is None or (_tied(candidate[0]), -e_idx) > (
                _tied(found[current][0]),
                -current,
            ):
                best[party] = e_idx
        # On a tie, a party found by its own name before one found by an alias: the lists
        # give one party's name as another's alias too (the CSL has "Huawei Investment &
        # Holding" both as that firm and as an a.k.a. of Huawei Technologies).
        ranked = sorted(
            best.values(),
            key=lambda e_idx: (-_tied(found[e_idx][0]), found[e_idx][2].alias, e_idx),
        )
        return [self._hit(*found[e_idx], self._listings(e_idx, found)) for e_idx in ranked[:limit]]

    def _says_a_name_of(self, said: frozenset[str], e_idx: int) -> bool:
        """Whether ``said`` holds a word of one of an entry's names (the name and each alias as
        normalised), other than those a Chinese name leaves unsaid (China, group, of)."""
        entry = self.index.entry(e_idx)
        for text in (entry.name, *(alias.name for alias in entry.aliases)):
            tokens = analyse(text, entry.type is EntityType.PERSON).tokens
            if not said.isdisjoint(tokens):
                return True
        return False

    def _listings(self, matched: int, found: dict[int, _Candidate]) -> tuple[int, ...]:
        """The listings a party's hit shows, the one to report first at the head.

        Official listings come first, best-scoring first. A built-in entry yields to an
        official listing of the party on the same list, and stays when no loaded list has
        the party on its list: the CSL snapshot may hold Huawei's CMIC row and not its Entity
        List row, and the Entity List listing (its citation, the Affiliates Rule) still holds.
        """
        members = self.index.listings(matched)
        if len(members) == 1:
            return members
        builtin = self.index.builtin_entries
        official = [m for m in members if m not in builtin]
        covered = {self.index.entry(m).list_name for m in official}
        kept = [m for m in members if m in builtin and self.index.entry(m).list_name not in covered]

        def order(m: int) -> tuple[float, int]:
            return (-_tied(found[m][0]) if m in found else 1.0, m)

        return (*sorted(official, key=order), *sorted(kept, key=order))

    def spellings(
        self, name: str, type: EntityType | None = None
    ) -> list[tuple[str, EntityType | None, str, float, bool, bool]]:
        """Every spelling :meth:`screen` tries for ``name``: (text, type, the rule a hit
        through it carries, the factor on its score, whether a hit must leave no place of
        the listed name unmatched, whether it is a Chinese person's name spoken in Hong
        Kong romanisation), the name as typed first.

        Other spellings of the same name are screened too, and each entry keeps its best
        showing: a name written in two scripts ("SMIC 中芯国际") is two names for one party,
        and a Chinese person name may be listed in Hong Kong romanisation. Spellings
        chipbridge derives (a Cantonese reading) are one inference away from what was typed,
        so their hits count a little less.
        """
        out: list[tuple[str, EntityType | None, str, float, bool, bool]] = [
            (name, type, "", 1.0, False, False)
        ]
        out += [
            (part, type, f"mixed script: matched on {part!r}", 1.0, False, False)
            for part in cjk.script_parts(name)
        ]
        # What a supplier file writes around the name: a label, a closing note, a code.
        inside = surround.readings(name)
        out += [(inner, type, rule, DERIVED_FACTOR, False, False) for inner, rule in inside]
        titled = cjk.without_title(name) if type in (None, EntityType.PERSON) else None
        if titled is not None:
            # A title after a person's name (任正非先生, Mr Ren Zhengfei) says who the person
            # is, as "Mr" does in Latin, not which person: the name is screened without it.
            person, title = titled
            english = cjk.glossary()["honorifics"][title]
            rule = f"title {title} ({english}) left out"
            out.append((person, EntityType.PERSON, rule, 1.0, False, False))
        if type is None or type is EntityType.PERSON:
            # A character may have one reading twice in the tables (彬: ban, bun, bun): each
            # form is screened once. A title is no part of the name's reading. A form is
            # not read back into pinyin: its characters' pinyin is known, and the lattice
            # meets it; the other characters its syllables could write (wong: 王 wang, but
            # also yu) are not the name's. A person's name inside a note's brackets or after
            # a label (尹国驹（崩牙驹）) is read so too, one inference further from the text.
            spoken = [(titled[0] if titled else name, "", 1.0)]
            spoken += [(inner, f"{rule}; ", DERIVED_FACTOR) for inner, rule in inside]
            out += [
                (
                    form,
                    EntityType.PERSON,
                    f"{before}Hong Kong romanisation {person}->{form}",
                    DERIVED_FACTOR * factor,
                    False,
                    True,
                )
                for person, before, factor in spoken
                for form in dict.fromkeys(cjk.hong_kong_forms(person))
            ]
        branch = branches.parent_name(name) if type is not EntityType.PERSON else None
        if branch is not None:
            # The firm a branch's name extends, not the firm's other regional arms: a hit
            # through it says every place of the listed name (not SMIC's Tianjin company
            # for SMIC's Beijing one).
            parent, added = branch
            rule = f"branch of {parent}: {added} left out"
            out.append((parent, type, rule, BRANCH_FACTOR, True, False))
        if type is None and legal_head(name) and self._reads_chinese(name):
            # "Sia Baolong": the Latvian legal form SIA, or the surname Xia in Tongyong.
            rule = "read as a person's name"
            out.append((name, EntityType.PERSON, rule, DERIVED_FACTOR, False, False))
        reading = self._pinyin_reading(name, type)
        if reading is not None:
            # A firm's Chinese name typed in pinyin ("zhongguo hangtian kegong") meets its
            # English listing through the Chinese it spells, read by the lattice.
            tokens, read = reading
            out.append((read.han, type, read.rule(tokens), DERIVED_FACTOR, False, False))
        return out

    def screened_in_chinese(self, name: str, type: EntityType | None = None) -> bool:
        """Whether one of the name's spellings is in Chinese characters: the name's own, or a
        Latin name's pinyin read back into Chinese (the only Chinese spelling a Latin name
        gets), without working out every spelling."""
        return cjk.has_han(name) or self._pinyin_reading(name, type) is not None

    @staticmethod
    def _pinyin_reading(
        name: str, type: EntityType | None
    ) -> tuple[tuple[str, ...], pinyin_reading.Reading] | None:
        """A Latin name read as the pinyin of a Chinese organisation's name (pinyin_reading),
        with its words, or None: a person's name is not read so, nor one shaped as a Chinese
        person's name in pinyin unless it is known to be an organisation's."""
        if type is EntityType.PERSON or cjk.has_han(name):
            return None
        tokens = analyse(name, person_flag(type)).tokens
        if type is None and pinyin_reading.person_shaped(tokens):
            return None
        read = pinyin_reading.read(tokens, pinyin_reading.separated(name))
        return (tokens, read) if read is not None else None

    def _leaves_a_place(self, listed: IndexedName, scored: Scored) -> bool:
        """Whether a listed name says a place its match left unmatched (the Tianjin of
        "Semiconductor Manufacturing International (Tianjin) Corporation")."""
        matched = {j for j, _ in scored.aligned}
        _, places, _, _ = qualifiers.positions(
            listed.tokens,
            self.index.qualifiers,
            self.index.place_phrases,
            self.index.place_countries,
        )
        return any(j not in matched for j in places)

    def _reads_chinese(self, name: str) -> bool:
        """Whether a name, read as a person's, is a Chinese name in another romanisation."""
        tokens = analyse(name, True).tokens
        return romanise.readings(tokens, self.index.syllables, self.index.pinyin) is not None

    def weighed(
        self, name: str, type: EntityType | None = None, reread: bool = True
    ) -> tuple[tuple[str, ...], tuple[float, ...], tuple[int, ...]]:
        """One spelling's normalised tokens, the weight each carries in this index and the
        positions that may weigh little (qualifiers, repeated words, patronymics): what a
        delta re-screen needs to bound how close the name can come to a changed entry.
        ``reread`` as :meth:`screen` reads the spelling (see :meth:`spellings`)."""
        query = self._prepare(name, person_flag(type), reread)
        return query.tokens, query.weights, tuple(sorted({*query.qualifiers, *query.extras}))

    def _best(
        self,
        name: str,
        type: EntityType | None,
        cc: str | None,
        floor: float,
        lattices: bool = True,
        reread: bool = True,
        firm: bool = False,
    ) -> dict[int, _Candidate]:
        """The best-scoring name of each entry that reaches ``floor``; ``lattices=False``:
        not through the lattice of its Chinese characters (found already); ``reread``: as
        :meth:`_prepare_uncached` takes it; ``firm``: Chinese characters known to name an
        organisation (lattice.match_han)."""
        best: dict[int, _Candidate] = {}
        han = cjk.has_han(name)
        if not analyse(name, person_flag(type)).tokens:
            return best
        # A name in Chinese characters meets names the lists write in Latin letters through
        # its lattice; its Latin reading is compared only with names written in Chinese, so
        # with none listed (the official lists) that pass is skipped: it could find nothing.
        if not han or self.index.han_lattices:
            self._best_read(name, type, cc, floor, han, best, reread)
        # Chinese characters are also read through the translation lattice (against names
        # the lists write in English); a Latin query also meets names written in Chinese.
        if han:
            if lattices:
                self._best_han(name, type, cc, floor, best, firm)
        elif self.index.han_postings:
            query = self._prepare(name, person_flag(type), reread)
            self._best_listed_han(query, type, cc, floor, best)
        return best

    def _best_read(
        self,
        name: str,
        type: EntityType | None,
        cc: str | None,
        floor: float,
        han: bool,
        best: dict[int, _Candidate],
        reread: bool = True,
    ) -> None:
        """Listed names the name's words (for Chinese characters, their reading) meet."""
        person = person_flag(type)
        query = self._prepare(name, person, reread)
        if han and self._han_words.isdisjoint(query.matches):
            return  # it meets no word of a name written in Chinese: no candidate is kept
        reachable = floor - (COUNTRY_MATCH_BONUS if cc else 0.0)
        need = min_query_coverage(reachable) * (query.total - query.slack)
        candidates = self.index.candidates(
            query.reach_matches or query.matches,
            query.weights,
            need,
            CANDIDATES,
            query.qualifiers,
            relief(query.weights, query.qualifiers, query.joined),
        )
        # Most candidates cannot reach the floor (the index ranks them by what their words
        # could add, counting a query word once per listed word that meets it): a bound on
        # their score (score.score_bound), from the matches that found them, skips them
        # before they are scored.
        bound_matches = query.reach_matches or query.matches
        initials = one_letter_words(query.tokens)
        weights = query.weights
        qualifier_weight = sum(weights[p] for p in query.qualifiers)
        slack_weight = sum(weights[p] for p in {*query.qualifiers, *query.extras})
        extra_weight = sum(weights[p] for p in query.extras)
        middle_names = person is not False and not query.chinese
        for n_idx in candidates:
            if han and n_idx not in self.index.han_lattices:
                continue  # a Chinese name meets names written in Latin through its lattice
            listed = self.index.name(n_idx)
            listed_type = _ENTITY_TYPES[self.index.entry_type[listed.entry]]
            person_listed = listed_type is EntityType.PERSON
            if (
                score_bound(
                    weights,
                    query.total,
                    bound_matches,
                    listed,
                    initials,
                    0.0 if person_listed else qualifier_weight,
                    extra_weight if person_listed else slack_weight,
                    person_listed and middle_names,
                )
                < reachable - BOUND_MARGIN
            ):
                continue
            countries = self.index.entry_countries[listed.entry]
            spelled = query.spelled_matches is not None and n_idx in self.index.romanised_people
            # A listed Chinese person is met in one system (_whole_name), pinyin among them.
            pinyin = (
                not spelled
                and query.pinyin_matches is not None
                and romanise.reads_as_pinyin(listed.tokens, self.index.pinyin)
            )
            if spelled and query.spelled_matches is not None:
                matches = query.spelled_matches
            elif pinyin and query.pinyin_matches is not None:
                matches = query.pinyin_matches
            else:
                matches = query.matches
            scored = score_name(
                query.tokens,
                query.weights,
                query.total,
                query.legal,
                matches,
                listed,
                # People have no branches, and many given names are also places.
                *(
                    ((), ())
                    if listed_type is EntityType.PERSON
                    else (query.qualifiers, self._units(query, listed, countries))
                ),
                query.extras,
                # A Chinese given name's syllables written apart are one name, no further ones.
                listed_type is EntityType.PERSON and person is not False and not query.chinese,
                self.index.qualifiers if listed_type is EntityType.COMPANY else None,
                query.joined,
            )
            score = scored.score
            if (
                score < reachable
                or (pinyin and _half_a_given_name(scored, query.tokens, listed.tokens))
                or (spelled and not self._whole_name(scored, query.tokens, listed.tokens))
            ):
                continue
            rules: list[str] = []
            score = _weigh_alias(score, rules, listed)
            score = _apply_hints(
                score,
                rules,
                listed_type,
                countries,
                type,
                cc,
            )
            current = best.get(listed.entry)
            if score < floor or (current is not None and _tied(current[0]) >= _tied(score)):
                continue
            best[listed.entry] = (score, query, listed, scored, rules)

    def _whole_name(self, scored: Scored, tokens: tuple[str, ...], listed: tuple[str, ...]) -> bool:
        """Whether a pinyin name meets a listed Chinese person written in another system
        whole, and in one system. Every listed word is met: the surname, and the given name
        as one name ("Mei Xiang" is not "CHEN, Mei Hsiang", nor "Li Xie" "LI, Kwai-wah").
        Each query word met in parts meets two listed words side by side that spell its two
        syllables in order: neither is the surname (Zhihong Jin is not "WONG, Kam Kong").
        And one system spells every word as the list writes it (romanise.systems): a name
        is written in Hong Kong spelling or in Wade-Giles, not in a mix of them, and not
        through a slip (Cai Jinpeng is not "CHOI, Chin-pang", Hong Kong but for "Chin")."""
        if len({j for j, _ in scored.aligned}) < len(listed):
            return False
        spelled, pinyin = self.index.spelled, self.index.pinyin
        common: frozenset[str] | None = None
        for j, match in scored.aligned:
            if is_split(match.kind):
                continue
            if len(match.positions) == 2:
                first, second = (tokens[p] for p in match.positions)
                found = romanise.joined_systems(first, second, listed[j], spelled, pinyin)
            else:
                found = romanise.systems(tokens[match.positions[0]], listed[j], spelled, pinyin)
            common = found if common is None else common & found
        for p, words in _split_parts(scored).items():
            if len(words) != 2 or words[1] != words[0] + 1:
                return False
            found = romanise.split_systems(
                tokens[p], listed[words[0]], listed[words[1]], spelled, pinyin
            )
            common = found if common is None else common & found
        return bool(common)

    @staticmethod
    def _units(query: _Query, listed: IndexedName, countries: Sequence[str]) -> tuple[int, ...]:
        """The query's unit words, and, for a listed name of one word (a brand: "Huawei",
        "Gazprom"), the places in the listed party's own country and the names of countries:
        "Huawei Shenzhen" is Huawei's Shenzhen arm, "Gazprom Germania" its German one, where
        "Abba Takayama" may be anyone (a town's name is a family's too). A name of more words,
        however generic the others ("National Petrochemical Company"), still needs a unit
        word: "Tabriz Petrochemical" is another company. But a name of one distinctive word
        and soft ones ("Bank Tejarat") that the query says whole, every word closely, takes
        the name of a country as a one-word name does: "Bank Tejarat USA" is the bank's
        American arm. Not a town ("Tabriz Petrochemical Commercial Company" may be another
        firm of that town), and not when the query leaves a soft word out ("Tanzania
        Agricultural" is no Agricultural Cooperative Bank)."""
        if (
            not query.places
            # One word left only because another was read as a mistyped legal form ("Banco
            # Corporativo"): a guess, and the word may be generic.
            or any(rule.startswith("mistyped legal form") for rule in listed.rules)
        ):
            return query.units
        if len(listed.tokens) == 1:
            return (
                query.units
                + tuple(p for p, cc in query.places if not cc.isdisjoint(countries))
                + query.nations
            )
        if query.nations and Screener._one_word_said(query, listed):
            return query.units + query.nations
        return query.units

    @staticmethod
    def _one_word_said(query: _Query, listed: IndexedName) -> bool:
        """Whether a listed name is one distinctive word and soft words (a word weighing
        less than score.DISTINCTIVE: "Bank", "Commercial"), every one of which the query
        says as written (a plural or a typo is not: "Savings Bank of the Republic of
        Armenia" is not the Syrian "Saving Bank"'s Armenian arm). The distinctive word must
        name the party, not say what kind of firm it is (score.DESCRIPTORS): "Industrial
        Bank Germany" is any industrial bank in Germany."""
        distinctive = [
            t for t, w in zip(listed.tokens, listed.weights, strict=True) if w >= DISTINCTIVE
        ]
        return (
            len(distinctive) == 1
            and distinctive[0] not in DESCRIPTORS
            and all(
                any(m.similarity >= 1.0 for m in query.matches.get(token, ()))
                for token in listed.tokens
            )
        )

    def _best_han(
        self,
        name: str,
        type: EntityType | None,
        cc: str | None,
        floor: float,
        best: dict[int, _Candidate],
        firm: bool = False,
    ) -> None:
        """Listed names a name in Chinese characters meets through its lattice (``firm``: as
        lattice.match_han takes it)."""
        reachable = floor - (COUNTRY_MATCH_BONUS if cc else 0.0)
        han = lattice.build(name, person_flag(type))
        simplified = cjk.to_simplified(name)
        base_rules = (
            (f"traditional->simplified {name}->{simplified}",) if simplified != name else ()
        )
        # A name that reads as an organisation's (a legal form, an industry word, a place) is
        # unlikely to be a listed person's, whatever its pinyin meets.
        organisation = type is None and lattice.organisation(han.path)
        repaired = slips.repaired_legal_form(han)
        for match in lattice.match_han(self.index, name, person_flag(type), reachable, firm):
            listed = self.index.name(match.name)
            score = match.score
            rule = f"lattice: {lattice.describe(match.alignment.steps, listed.tokens)}"
            if match.parent:
                rule += f"; parent group unsaid, weighed as a qualifier: {' '.join(match.parent)}"
            if repaired:
                rule += f"; damaged legal form read as one: {repaired}"
            if match.alignment.unsaid_place:
                place = " ".join(match.alignment.unsaid_place)
                rule += f"; place a Chinese name leaves unsaid, weighed as a legal form: {place}"
            if organisation and self.index.entry_type[listed.entry] == EntityType.PERSON.value:
                score *= TYPE_MISMATCH_FACTOR
                rule += "; reads as an organisation, listed as a person"
            query = _Query(tuple(s.han for s in han.path), (), 1.0, frozenset(), base_rules, {})
            aligned = tuple(
                (j, TokenMatch(step_positions(han, step.segment), sim, step.alternative.source))
                for step in match.alignment.steps
                for _, j, sim in step.pairs
            )
            scored = Scored(
                match.score,
                match.alignment.han_coverage,
                match.alignment.latin_coverage,
                aligned,
                False,
            )
            self._keep(best, score, query, listed, scored, rule, type, cc, floor)

    def _best_listed_han(
        self,
        query: _Query,
        type: EntityType | None,
        cc: str | None,
        floor: float,
        best: dict[int, _Candidate],
    ) -> None:
        """Listed names written in Chinese that a Latin query meets through their lattices."""
        reachable = floor - (COUNTRY_MATCH_BONUS if cc else 0.0)
        for match in lattice.match_latin(
            self.index, query.tokens, query.weights, query.legal, reachable
        ):
            found = self.index.name(match.name)
            han = match.lattice
            # The listed side shown as the Chinese name's segments.
            listed = dataclasses.replace(
                found, tokens=tuple(s.han for s in han.path), weights=(), total=1.0
            )
            aligned = tuple(
                (path_index, TokenMatch((j,), sim, step.alternative.source))
                for step in match.alignment.steps
                for _, j, sim in step.pairs
                for path_index in step_positions(han, step.segment)[:1]
            )
            scored = Scored(
                match.score,
                match.alignment.latin_coverage,
                match.alignment.han_coverage,
                aligned,
                False,
            )
            path = lattice.describe(match.alignment.steps, query.tokens)
            self._keep(
                best, match.score, query, listed, scored, f"lattice: {path}", type, cc, floor
            )

    def _keep(
        self,
        best: dict[int, _Candidate],
        score: float,
        query: _Query,
        listed: IndexedName,
        scored: Scored,
        rule: str,
        type: EntityType | None,
        cc: str | None,
        floor: float,
    ) -> None:
        """Weigh a lattice match like any other (weak alias, hints) and keep it if best."""
        rules = [rule]
        score = _weigh_alias(score, rules, listed)
        entry_type = _ENTITY_TYPES[self.index.entry_type[listed.entry]]
        countries = self.index.entry_countries[listed.entry]
        score = _apply_hints(score, rules, entry_type, countries, type, cc)
        current = best.get(listed.entry)
        if score >= floor and (current is None or current[0] < score):
            best[listed.entry] = (
                score,
                query,
                listed,
                dataclasses.replace(scored, score=score),
                rules,
            )

    def _hit(
        self,
        score: float,
        query: _Query,
        listed: IndexedName,
        scored: Scored,
        extra: list[str],
        listings: tuple[int, ...],
    ) -> Hit:
        rules = list(query.rules)
        rules.extend(r for r in listed.rules if r not in rules)
        if scored.reordered:
            rules.append("word order differs")
        if scored.legal_conflict:
            rules.append("legal forms differ")
        if scored.middle:
            names = ", ".join(query.tokens[p] for p in scored.middle)
            rules.append(f"further names the listed name leaves out, weighed at half: {names}")
        if scored.qualified:
            extra_words = ", ".join(query.tokens[p] for p in scored.qualified)
            rules.append(
                f"words beyond the listed name weighed as branch, office or place: {extra_words}"
            )
        rules.extend(extra)
        matched = self.index.entry(listed.entry)
        entry = self.index.entry(listings[0])
        if listings[0] != listed.entry:
            rules.append(f"matched name listed by {matched.dataset}:{matched.id}, same party")
        owner_links = {
            o: p for e in (listed.entry, *listings) for o, p in self.index.owners.get(e, ())
        }
        owners = tuple((self.index.entry(o), percent) for o, percent in owner_links.items())
        known = [p for _, p in owners if p is not None]
        for owner, percent in owners:
            share = "an undisclosed share" if percent is None else f"{percent:g}%"
            rules.append(f"owned ({share}) by listed {owner.name}")
        if sum(known) >= FIFTY_PERCENT:
            rules.append(f"50% rule: listed parties own {sum(known):g}% in aggregate")
        owned = dict.fromkeys(
            s for e in (listed.entry, *listings) for s in self.index.owned.get(e, ())
        )
        subsidiaries = tuple(self.index.entry(e) for e in owned)
        return Hit(
            entry=entry,
            score=round(score, 4),
            matched_name=matched.names()[listed.alias].name,
            alias_kind=listed.kind,
            explanation=Explanation(
                alignments=scored.alignments(query.tokens, listed),
                unmatched_query=scored.unmatched_query(query.tokens),
                unmatched_listed=scored.unmatched_listed(listed),
                rules=tuple(rules),
                query_coverage=scored.query_coverage,
                listed_coverage=scored.listed_coverage,
            ),
            owners=owners,
            subsidiaries=subsidiaries,
            also_listed=tuple(self.index.entry(e) for e in listings[1:]),
        )


def _guessed(tokens: tuple[str, ...], listed: IndexedName, scored: Scored) -> bool:
    """Whether a one-word name met a listed name only by a guess: the initials derived from
    the listed name, or a slip (a typo of an acronym: COMAC for COMEC)."""
    return len(tokens) == 1 and (
        listed.kind is AliasKind.DERIVED or all(m.kind in _SLIPS for _, m in scored.aligned)
    )


def _weigh_alias(score: float, rules: list[str], listed: IndexedName) -> float:
    """A hit through a weak alias or an acronym derived from a listed name counts less, however
    it was reached (a Chinese name's pinyin initials meeting derived initials is two guesses)."""
    if listed.kind is AliasKind.WEAK:
        rules.append("weak alias")
        return score * WEAK_ALIAS_FACTOR
    if listed.kind is AliasKind.DERIVED:
        acronym = listed.tokens[0]
        factor = ACRONYM_FACTORS.get(len(acronym), ACRONYM_FACTORS[0])
        rules.append(f"{acronym.upper()}: initials of the listed name, counted x{factor}")
        return score * factor
    return score


def _half_a_given_name(scored: Scored, tokens: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Whether a word of a pinyin name was split and not met whole, in order: a given name is
    one (Wenbin is not Bin, nor Chenxi Chen, nor Huawen "Wen Hua"), where its syllables met
    apart, side by side, are the same name."""
    for p, words in _split_parts(scored).items():
        if "".join(listed[j] for j in words) != tokens[p] or words[-1] - words[0] != len(words) - 1:
            return True
    return False


def _split_parts(scored: Scored) -> dict[int, list[int]]:
    """Each query word met split across listed words -> those words' positions, in order."""
    parts: dict[int, list[int]] = {}
    for j, match in scored.aligned:
        if is_split(match.kind):
            for p in match.positions:
                parts.setdefault(p, []).append(j)
    return {p: sorted(words) for p, words in parts.items()}


def _merged(
    matches: dict[str, list[TokenMatch]], more: dict[str, list[TokenMatch]]
) -> dict[str, list[TokenMatch]]:
    """Two sets of matches by listed word, as one."""
    merged = {k: list(v) for k, v in matches.items()}
    for k, v in more.items():
        merged.setdefault(k, []).extend(v)
    return merged


def _joined(tokens: tuple[str, ...], i: int) -> tuple[str, ...]:
    """Token ``i`` run together with the word before it and with the word after it."""
    before = (tokens[i - 1] + tokens[i],) if i > 0 else ()
    return before + ((tokens[i] + tokens[i + 1],) if i + 1 < len(tokens) else ())


def step_positions(han: lattice.Lattice, segment: lattice.Segment) -> tuple[int, ...]:
    """The positions on the best path that a lattice segment overlaps (for the explanation)."""
    return tuple(
        i for i, s in enumerate(han.path) if s.start < segment.end and segment.start < s.end
    )


def _apply_hints(
    score: float,
    rules: list[str],
    listed_type: EntityType,
    listed_countries: tuple[str, ...],
    kind: EntityType | None,
    country: str | None,
) -> float:
    if kind is not None and listed_type is not EntityType.UNKNOWN:
        query_person = kind is EntityType.PERSON
        if query_person != (listed_type is EntityType.PERSON):
            score *= TYPE_MISMATCH_FACTOR
            rules.append(f"type differs (query {kind.value}, listed {listed_type.value})")
    if country and listed_countries:
        if country in listed_countries:
            score = min(1.0, score + COUNTRY_MATCH_BONUS)
            rules.append(f"country {country} matches")
        else:
            score *= COUNTRY_MISMATCH_FACTOR
            rules.append(f"country {country} not among listed {', '.join(listed_countries)}")
    return score
