"""Candidate names -> scores in [0, 1] with the evidence behind them.

The score is a rarity-weighted agreement between the query's tokens and a listed name's
tokens. Each query token is aligned to at most one listed token (an adjacent pair may align
to one run-together listed word, one query word to the two halves of a split listed word),
best similarities first. Then

    query coverage  = weighted share of the query that found a counterpart
    listed coverage = weighted share of the listed name that was found
    score           = QUERY_SHARE * query coverage + (1 - QUERY_SHARE) * listed coverage

Weights are IDF over every listed name, so a missing "Trading" costs almost nothing and a
missing distinctive word costs a lot. The query side counts more because screeners type short
forms of long listed names, while an extra distinctive word in the query ("Photonics") is
strong evidence of a different party. Legal forms are compared separately and only nudge the
score.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from chipbridge.screening.index import CUT_SIMILARITY, IndexedName, TokenMatch, is_split
from chipbridge.screening.normalize import own_acronym

QUERY_SHARE = 0.6
# What a query word that only qualifies a listed name (a branch, an office, a place) weighs
# when it has no counterpart: "Huawei Technologies Shenzhen Branch" is Huawei Technologies.
QUALIFIER_WEIGHT = 0.3
# ... but only when the query holds the whole listed name: this much of its weight, each word
# found exactly or nearly so (a typo is another name as often as it is a slip).
QUALIFIER_CAP = 2 * QUALIFIER_WEIGHT
FULL_COVERAGE = 0.9
# A word cut short ("Insu" for Insurance) where its listed word stands, between the same
# neighbours: as sure as a word written with a full stop (index.CUT_SIMILARITY), from three
# letters ("Exp", "Gen").
IN_PLACE_SIMILARITY = CUT_SIMILARITY
MIN_IN_PLACE = 3
CUT_KINDS = frozenset({"truncation", "abbreviation"})
# A listed word weighing less than this is a legal form or a soft word, not distinctive.
DISTINCTIVE = 1.0
CLOSE_MATCH = 0.95
LEGAL_FORM_CONFLICT = 0.97
# An initial agrees with a listed word's first letter, which is weak evidence on its own.
INITIAL_SIMILARITY = 0.7
# What a person's further name (a given name, a father's name) the list leaves out keeps of
# its weight when the whole listed name is found.
MIDDLE_NAME_SHARE = 0.5
# Words that say what kind of firm a name is, not which: a firm is called by its name without
# them ("Huawei" for Huawei Technologies, "Inspur" for Inspur Group). Left out after the
# found words of a listed firm's name, they weigh this share of their weight.
DESCRIPTORS = frozenset(
    {"group", "holding", "holdings", "industrial", "industries", "industry"}
    | {"tech", "technologies", "technology"}
)
UNSAID_DESCRIPTOR = 0.5
# What sums of the same terms added in another order may differ by (score_bound).
_ROUNDING = 1e-9


@dataclass(frozen=True, slots=True)
class Alignment:
    """A query token (or adjacent pair) matched to a listed token."""

    query: str
    listed: str
    similarity: float
    kind: str


@dataclass(frozen=True, slots=True)
class Scored:
    """The score of one listed name and the alignment it came from."""

    score: float
    query_coverage: float
    listed_coverage: float
    aligned: tuple[tuple[int, TokenMatch], ...]
    legal_conflict: bool
    # Query positions beyond the listed name that were weighed as qualifiers.
    qualified: tuple[int, ...] = ()
    # Query positions weighed as a person's further names (score_name's ``middle_names``).
    middle: tuple[int, ...] = ()

    def alignments(self, query_tokens: tuple[str, ...], name: IndexedName) -> tuple[Alignment, ...]:
        return tuple(
            Alignment(
                " ".join(query_tokens[p] for p in m.positions),
                name.tokens[j],
                round(m.similarity, 3),
                m.kind,
            )
            for j, m in sorted(self.aligned, key=lambda a: a[1].positions)
        )

    def unmatched_query(self, query_tokens: tuple[str, ...]) -> tuple[str, ...]:
        used = {p for _, m in self.aligned for p in m.positions}
        return tuple(t for i, t in enumerate(query_tokens) if i not in used)

    def unmatched_listed(self, name: IndexedName) -> tuple[str, ...]:
        used = {j for j, _ in self.aligned}
        return tuple(t for j, t in enumerate(name.tokens) if j not in used)

    @property
    def reordered(self) -> bool:
        order = [j for j, _ in sorted(self.aligned, key=lambda a: a[1].positions)]
        return order != sorted(order)


def score_name(
    query_tokens: tuple[str, ...],
    query_weights: tuple[float, ...],
    query_total: float,
    query_legal: frozenset[str],
    matches: dict[str, list[TokenMatch]],
    name: IndexedName,
    qualifiers: tuple[int, ...] = (),
    units: tuple[int, ...] = (),
    extras: tuple[int, ...] = (),
    middle_names: bool = False,
    qualifying: frozenset[str] | None = None,
    joined: Container[int] = (),
) -> Scored:
    """Align the query to one listed name and score the agreement.

    ``qualifiers`` are the query positions holding branch, office or place words, ``units``
    those of them that name a part of an organisation (branch, office, plant). When the query
    holds the whole listed name, qualifiers left without a counterpart weigh
    :data:`QUALIFIER_WEIGHT` at most, if they stand before or after the name. A listed name
    of one distinctive word needs a unit word for that: a bare place after one word ("Abba
    Takayama", "Hanoi Industrial") is as likely another name. (The screener passes a place in
    the listed party's own country as a unit word when the listed name is one word.)
    ``middle_names`` (a person's name against a listed person): the query's further given
    names and forefathers' names (:func:`middle_names_around`) weigh :data:`MIDDLE_NAME_SHARE`
    of their weight.
    ``extras`` are positions that add nothing to who is named once the whole listed name is
    found (a repeated word, a patronymic the list leaves out): they weigh as qualifiers,
    wherever they stand.
    ``qualifying`` (the index's branch, office and place words), given for a listed
    organisation, lets qualifiers weigh so beside its name's head found without the words
    that trail it ("Sensetime Shanghai" is Sensetime Group's Shanghai arm), unless a trailing
    word is itself a place or unit: the query's place then stands for the listed one.
    ``joined``: the qualifier positions that go on a place phrase (see :func:`relief`).
    """
    pairs: list[tuple[float, int, TokenMatch]] = []
    for j, token in enumerate(name.tokens):
        found = matches.get(token)
        if found:
            for match in found:
                pairs.append((match.similarity, j, match))
    if len(pairs) > 1:
        pairs.sort(key=_by_similarity)
    used_listed: set[int] = set()
    used_query: dict[int, str] = {}
    query_sim = [0.0] * len(query_weights)
    listed_matched = 0.0
    aligned: list[tuple[int, TokenMatch]] = []
    for sim, j, match in pairs:
        if j in used_listed:
            continue
        clash = False
        for p in match.positions:
            kind = used_query.get(p)
            if kind is not None and not (is_split(kind) and is_split(match.kind)):
                clash = True
                break
        if clash:
            continue
        used_listed.add(j)
        listed_matched += name.weights[j] * sim
        for p in match.positions:
            used_query[p] = match.kind
            if is_split(match.kind):
                query_sim[p] = min(1.0, query_sim[p] + sim * match.share)
            elif sim > query_sim[p]:
                query_sim[p] = sim
        aligned.append((j, match))
    if len(aligned) < len(name.tokens):
        # An initial ("A. Khamenei", "J.-C. Juncker") stands for a listed word that starts
        # with it and found no other counterpart.
        for p, token in enumerate(query_tokens):
            if len(token) != 1 or p in used_query:
                continue
            for j, listed in enumerate(name.tokens):
                if j not in used_listed and len(listed) > 1 and listed[0] == token:
                    used_listed.add(j)
                    used_query[p] = "initial"
                    query_sim[p] = INITIAL_SIMILARITY
                    listed_matched += name.weights[j] * INITIAL_SIMILARITY
                    aligned.append((j, TokenMatch((p,), INITIAL_SIMILARITY, "initial")))
                    break
    if len(aligned) > 1:
        listed_matched += in_place(aligned, query_sim, query_tokens, name)
    total = name.total
    if len(name.tokens) - 1 == len(used_listed) > 1:
        # The name's own acronym ("... Defense Technology (NUDT)"), left unsaid by a query
        # that names the body in full (every other word found), is no word it misses.
        unsaid = next(j for j in range(len(name.tokens)) if j not in used_listed)
        if own_acronym(name.tokens, unsaid, bool(name.legal)):
            total -= name.weights[unsaid]
    n_cov = listed_matched / total
    if qualifying is not None and aligned and all(sim == 1.0 for sim in query_sim):
        n_cov = listed_matched / (total - unsaid_descriptors(aligned, name, qualifying))
    qualified: tuple[int, ...] = ()
    close = bool(aligned) and all(m.similarity >= CLOSE_MATCH for _, m in aligned)
    whole = close and n_cov >= FULL_COVERAGE
    if (
        qualifiers
        and (whole or (close and qualifying is not None and head_found(aligned, name, qualifying)))
        and (
            sum(1 for w in name.weights if w >= DISTINCTIVE) > 1
            or any(query_sim[p] == 0.0 for p in units)
        )
    ):
        # Qualifiers come before or after the name, not inside it ("International Sahara
        # Tanker" is not a branch of International Tanker).
        held = [p for _, m in aligned for p in m.positions]
        first, last = min(held), max(held)
        qualified = tuple(p for p in qualifiers if query_sim[p] == 0.0 and (p < first or p > last))
    middle = middle_names_around(query_sim, aligned, name) if middle_names and whole else ()
    if extras and whole:
        qualified += tuple(p for p in extras if query_sim[p] == 0.0 and p not in qualified)
    if qualified:
        query_total -= relief(query_weights, qualified, joined)
    middle = tuple(p for p in middle if p not in qualified)
    if middle:
        # Further names count for part of their weight: the listed name is found whole,
        # but someone else may share it, and a listed person holding them all ranks first.
        query_total -= (1.0 - MIDDLE_NAME_SHARE) * sum(query_weights[p] for p in middle)
    q_cov = sum(w * s for w, s in zip(query_weights, query_sim, strict=True)) / query_total
    score = QUERY_SHARE * q_cov + (1.0 - QUERY_SHARE) * n_cov
    legal_conflict = bool(query_legal and name.legal) and query_legal.isdisjoint(name.legal)
    if legal_conflict:
        score *= LEGAL_FORM_CONFLICT
    return Scored(min(1.0, score), q_cov, n_cov, tuple(aligned), legal_conflict, qualified, middle)


def in_place(
    aligned: list[tuple[int, TokenMatch]],
    query_sim: list[float],
    query_tokens: tuple[str, ...],
    name: IndexedName,
) -> float:
    """Raise a cut-short word that stands where its listed word stands; the weight it adds.

    "Iran Insu Company" for "Iran Insurance Company", "Ghav Bank" for "Ghavamin Bank": a
    word that begins or abbreviates a listed word, between the same neighbours as that
    word (found nearly exactly or cut short themselves, on one side at least, no other word
    on the other, one word of the name at least found nearly exactly), is the listed word
    cut short, as sure as one written with a full stop. Alone ("Tempb") it may begin any
    word.
    """
    at = {m.positions[0]: (j, m) for j, m in aligned if len(m.positions) == 1}
    # Cut words side by side ("Exp Devt Bank") stand in place when one word at least is
    # found nearly exactly.
    anchored = any(m.similarity >= CLOSE_MATCH and m.kind not in CUT_KINDS for _, m in aligned)
    added = 0.0
    for k, (j, match) in enumerate(aligned):
        p = match.positions[0]
        if (
            match.kind not in CUT_KINDS
            or match.similarity >= IN_PLACE_SIMILARITY
            or len(match.positions) > 1
            or len(query_tokens[p]) < MIN_IN_PLACE
            # "Mining" where the list says "Min" is a longer word, not one cut short.
            or query_tokens[p].startswith(name.tokens[j])
        ):
            continue
        sides = 0
        for step in (-1, 1):
            q, listed = p + step, j + step
            inside_query = 0 <= q < len(query_tokens)
            inside_name = 0 <= listed < len(name.tokens)
            if not inside_query and not inside_name:
                continue
            neighbour = at.get(q)
            if (
                neighbour is None
                or neighbour[0] != listed
                or (neighbour[1].similarity < CLOSE_MATCH and neighbour[1].kind not in CUT_KINDS)
            ):
                break
            sides += 1
        else:
            if sides and anchored:
                aligned[k] = (
                    j,
                    match._replace(similarity=IN_PLACE_SIMILARITY, kind=f"{match.kind} in place"),
                )
                query_sim[p] = max(query_sim[p], IN_PLACE_SIMILARITY)
                added += name.weights[j] * (IN_PLACE_SIMILARITY - match.similarity)
    return added


def middle_names_around(
    query_sim: list[float], aligned: list[tuple[int, TokenMatch]], name: IndexedName
) -> tuple[int, ...]:
    """Query words that are a person's further names around a listed name found whole.

    Lists often leave out given names and a father's or grandfather's name ("Janan
    Mohammad Ahmed Agha" is listed as "Janan Agha"). Such words stand between the listed
    words, or after them when the query starts where the listed name starts. The listed
    name needs two distinctive words of four letters or more: "Kang Min" inside "Sung-min
    Kang" is part of one given name, and short names are shared by too many people.
    """
    long = sum(
        1
        for t, w in zip(name.tokens, name.weights, strict=True)
        if w >= DISTINCTIVE and len(t) >= 4
    )
    if long < 2:
        return ()
    held = sorted(p for _, m in aligned for p in m.positions)
    first, last = held[0], held[-1]
    end = len(query_sim) if first == 0 else last
    return tuple(p for p in range(first, end) if query_sim[p] == 0.0)


def _by_similarity(pair: tuple[float, int, TokenMatch]) -> tuple[float, int]:
    return (-pair[0], pair[1])


def head_found(
    aligned: list[tuple[int, TokenMatch]], name: IndexedName, qualifying: frozenset[str]
) -> bool:
    """Whether the listed words left unmatched all trail the found ones, and none of them is
    a branch, office or place word: the name's head is found, its last words dropped."""
    last = max(j for j, _ in aligned)
    found = {j for j, _ in aligned}
    return all(
        j > last and token not in qualifying
        for j, token in enumerate(name.tokens)
        if j not in found
    )


def unsaid_descriptors(
    aligned: list[tuple[int, TokenMatch]], name: IndexedName, qualifying: frozenset[str]
) -> float:
    """The listed weight a query that says all it holds, each word as written, leaves unsaid
    without loss: the :data:`DESCRIPTORS` a listed firm's name ends with, when they are all
    the query leaves out (UNSAID_DESCRIPTOR of it). "Huawei" scored 0.84 against Huawei
    Technologies Co., Ltd. and cleared; a name's other words ("Investment" in Huawei
    Investment & Holding) keep their weight, and so does a word met in another form
    ("Chemicals" is not "Chemical Group")."""
    if len(aligned) == len(name.tokens) or not head_found(aligned, name, qualifying):
        return 0.0
    found = {j for j, _ in aligned}
    left = [j for j in range(len(name.tokens)) if j not in found]
    if not all(name.tokens[j] in DESCRIPTORS for j in left):
        return 0.0
    return UNSAID_DESCRIPTOR * sum(name.weights[j] for j in left)


def qualifiers_keep(weights: Iterable[float]) -> float:
    """What qualifiers without a counterpart still weigh beside a good match, of these
    weights: together as much as a place and a unit word at most ("Shenzhen Research and
    Development Branch Office" is one qualifying phrase, however long)."""
    return min(sum(min(w, QUALIFIER_WEIGHT) for w in weights), QUALIFIER_CAP)


def relief(
    weights: Sequence[float], qualified: Iterable[int], joined: Container[int] = ()
) -> float:
    """The query weight that qualifiers without a counterpart shed beside a good match. A
    place phrase is one qualifier: ``joined`` holds the positions that go on the phrase
    begun before them ("Hong Kong" keeps what one place keeps, not two)."""
    shed = phrases(weights, qualified, joined)
    return sum(shed) - qualifiers_keep(shed)


def phrases(
    weights: Sequence[float], positions: Iterable[int], joined: Container[int]
) -> list[float]:
    """The weights of ``positions``, a position in ``joined`` that follows the one before it
    summed with it: one weight per phrase."""
    out: list[float] = []
    last = -2
    for p in sorted(positions):
        if p in joined and p == last + 1 and out:
            out[-1] += weights[p]
        else:
            out.append(weights[p])
        last = p
    return out


def min_query_coverage(floor: float) -> float:
    """The query coverage a name needs to be able to reach ``floor`` at all."""
    return max(0.0, (floor - (1.0 - QUERY_SHARE)) / QUERY_SHARE)


def one_letter_words(query_tokens: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """The query's one-letter words (initials, for :func:`score_bound`): letter -> positions."""
    found: dict[str, tuple[int, ...]] = {}
    for p, token in enumerate(query_tokens):
        if len(token) == 1:
            found[token] = (*found.get(token, ()), p)
    return found


def score_bound(
    query_weights: tuple[float, ...],
    query_total: float,
    matches: dict[str, list[TokenMatch]],
    name: IndexedName,
    initials: dict[str, tuple[int, ...]],
    qualifier_weight: float,
    slack_weight: float,
    middle_names: bool,
) -> float:
    """The most :func:`score_name` can score ``name``, worked out without aligning: a true
    upper bound, so that the screener may skip a candidate it puts out of reach.

    The arguments are score_name's, or looser: ``matches`` must hold every match score_name
    is given (each term below is a maximum over the matches held, so a superset only raises
    it); ``initials`` are the query's one-letter words (:func:`one_letter_words`);
    ``qualifier_weight`` is at least the summed weight of score_name's ``qualifiers``,
    ``slack_weight`` at least that of its ``qualifiers`` and ``extras`` together (each
    position once); ``middle_names`` is False only if score_name's is. Similarities are at
    most 1 (index.word_matches, index.spelled_matches).

    Why each term bounds score_name's:

    * Query similarity. ``query_sim[p]`` is the similarity of the one match aligned at ``p``
      (two aligned matches clash there unless both are split halves), raised to
      IN_PLACE_SIMILARITY by :func:`in_place` for a cut word only, INITIAL_SIMILARITY for a
      one-letter word standing for a listed word of two letters or more that starts with it,
      or, for split halves, their similarities times shares summed and capped at 1. So
      ``query_sim[p] <= top[p]``, the best of these over every match at ``p`` of any word of
      the name (1 for a split half), and INITIAL_SIMILARITY where an initial may stand.
    * Listed similarity. ``listed_matched`` adds ``weights[j]`` times the similarity of the
      match aligned to listed word ``j`` (the in-place raise adds the difference up to
      IN_PLACE_SIMILARITY; an initial counts INITIAL_SIMILARITY), each ``j`` once: at most
      ``weights[j] * best[j]``, the best of those over the word's matches, summed over the
      words (``listed_reach``).
    * Listed coverage's denominator is ``name.total``, less two things. The name's own
      acronym's weight, when every other word of a name of three words or more is aligned:
      with all words but ``j`` holding a match or an initial, ``j`` is the only word that
      can be left unsaid, taken off if it is the name's own acronym (:func:`own_acronym`, as
      score_name asks it); with every word holding one, any may be, and the bound takes
      listed coverage as 1. And UNSAID_DESCRIPTOR of the descriptors left unsaid, when every
      query position ends at similarity 1: it needs ``top[p] >= 1`` at every position, and
      the bound then takes off that share of every descriptor of the name. Listed coverage
      ``n_cov`` is at most ``n_bound = listed_reach / (that denominator)``, and at most 1:
      each word counted above the line is counted in full below it.
    * Query coverage's numerator ``sum(w[p] * query_sim[p])`` is at most
      ``sum(w[p] * top[p])``. Its denominator is ``query_total`` less ``relief`` of the
      qualified positions and less (1 - MIDDLE_NAME_SHARE) of the middle names' weights.
      ``relief`` is at most the qualified positions' summed weight (qualifiers_keep >= 0).
      Qualified positions come from ``qualifiers``, and from ``extras`` only when the name
      is found whole (``n_cov >= FULL_COVERAGE``); middle names, not qualified, are taken
      off only then too. So below FULL_COVERAGE the denominator is at least ``query_total -
      qualifier_weight``; otherwise, with ``a`` the qualified weight (at most
      ``slack_weight``) and the middle names' at most ``query_total - a``, it is at least
      ``query_total - a - (1 - MIDDLE_NAME_SHARE) * (query_total - a) >= MIDDLE_NAME_SHARE
      * (query_total - slack_weight)``, or ``query_total - slack_weight`` without middle
      names. Query coverage is at most 1 too: a position counted above the line is counted
      in full below it (only positions left without a counterpart are taken off).
    * The score is ``QUERY_SHARE * q_cov + (1 - QUERY_SHARE) * n_cov``, increasing in both;
      the legal-form factor and the cap at 1 only lower it.

    The bound adds in another order than score_name: compare it with a rounding margin.
    """
    top: dict[int, float] = {}
    listed_reach = 0.0
    held = 0
    unheld = -1
    descriptors = 0.0
    weights = name.weights
    tokens = name.tokens
    for j, token in enumerate(tokens):
        best = 0.0
        found = matches.get(token)
        if found:
            for match in found:
                sim = match.similarity
                if sim < IN_PLACE_SIMILARITY and match.kind in CUT_KINDS:
                    sim = IN_PLACE_SIMILARITY
                if sim > best:
                    best = sim
                at = 1.0 if is_split(match.kind) else sim
                for p in match.positions:
                    if at > top.get(p, 0.0):
                        top[p] = at
        if initials and len(token) > 1:
            letter = initials.get(token[0])
            if letter is not None:
                best = max(best, INITIAL_SIMILARITY)
                for p in letter:
                    if top.get(p, 0.0) < INITIAL_SIMILARITY:
                        top[p] = INITIAL_SIMILARITY
        if best:
            held += 1
            listed_reach += weights[j] * best
        else:
            unheld = j
        if token in DESCRIPTORS:
            descriptors += weights[j]
    if not top:
        return 0.0  # nothing aligns: both coverages are 0
    size = len(tokens)
    if size >= 3 and held == size:
        n_bound = 1.0
    else:
        total = name.total
        if size >= 3 and held == size - 1 and own_acronym(tokens, unheld, bool(name.legal)):
            total -= weights[unheld]
        if descriptors and len(top) == len(query_weights) and min(top.values()) >= 1.0:
            total -= UNSAID_DESCRIPTOR * descriptors
        n_bound = 1.0 if listed_reach >= total else listed_reach / total
    found_query = 0.0
    for p, sim in top.items():
        found_query += query_weights[p] * sim
    if n_bound < FULL_COVERAGE - _ROUNDING:  # not found whole, even with rounding
        least = query_total - qualifier_weight
    else:
        least = query_total - slack_weight
        if middle_names:
            least *= MIDDLE_NAME_SHARE
    q_bound = 1.0 if found_query >= least else found_query / least
    return QUERY_SHARE * q_bound + (1.0 - QUERY_SHARE) * n_bound
