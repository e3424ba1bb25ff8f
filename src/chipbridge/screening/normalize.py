"""Names -> normalised forms.

Pure functions. The heavy lifting (transliteration, tokenisation, legal-form tables) comes from
``rigour``, OpenSanctions' name library; this module only decides how the pieces combine and
records which rules fired so that every hit can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile

from rapidfuzz.distance import OSA
from rigour.names import extract_org_types, remove_person_prefixes, tokenize_name

from chipbridge.screening import abjad, cjk, hangul, romanise
from chipbridge.screening.translit import ascii_text

# C1 control code points (U+0080..U+009F) almost always come from cp1252 text decoded as
# latin-1, e.g. "Gui\x92an" for "Gui'an" in the 2019 CSL. Map them back to what was meant.
_C1_REPAIR = {cp: bytes([cp]).decode("cp1252", errors="ignore") or " " for cp in range(0x80, 0xA0)}
APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4]")
# "R&D" would otherwise read as the three words "r and d"; it and the words it stands for
# become one word, which the branch and office words know.
_R_AND_D = re.compile(r"\b(?:R\s*&\s*D|research\s+(?:and|&)\s+development)\b", re.IGNORECASE)
# Dotted acronyms ("S.A.C.", "C.V.") are read as one word so legal-form tables see "sac".
# What a list appends to a party's name to cover its successors ("... and any successor,
# sub-unit, or subsidiary thereof", "..., and its sub-units and successors"), and the "and" a
# name keeps when a list's "A; and B" is split into names: no words of the party's name.
_SUCCESSORS = re.compile(
    r"[\s,;]*\band\s+(?:any|its)\s+(?:\w+\s+){0,2}?(?:successors?|sub[-\s]?units?|subsidiar\w*)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_HYPHENED = re.compile(r"[a-z]+(?=-[a-z])|(?<=[a-z]-)[a-z]+")
_VOWELLESS = re.compile(r"[^aeiouy]+$")
_LEADING_AND = re.compile(r"^\s*and\s+(?=\S)", re.IGNORECASE)
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}(?:[a-z]\b)?")
# A word of three letters or more followed by a full stop was cut short by its writer.
_CUT = re.compile(r"(?<![a-z.])([a-z]{3,})\.")
# A legal form this short at the head of a name of unknown type may be a person's surname
# ("Sia" is a Latvian company form and a Chinese surname in Tongyong spelling).
HEAD_LEGAL = 3
# Long legal words, recognised even when mistyped ("Corloration", "Incorwporated").
_LONG_LEGAL = {"corporation": "corp", "incorporated": "llc", "company": "co", "limited": "llc"}

# Words that say what kind of body a party is rather than which one. rigour's legal-form
# table covers "Ltd", "GmbH", "OOO", "S.A. de C.V." and hundreds more; these are the
# generic English words it deliberately leaves alone.
_CORPORATE_WORDS = {
    "co": "co",
    "company": "co",
    "corp": "corp",
    "corporation": "corp",
    "incorporated": "llc",
    "inc": "llc",
    # UAE free-zone forms ("FZE", "FZCO", "FZ-LLC") that the table only knows in part.
    "fz": "llc",
    "fzco": "llc",
    # Japanese forms, which the table lacks: Kabushiki Kaisha ("K.K.", a joint-stock
    # company) and Godo Kaisha ("G.K.", a limited liability company).
    "kk": "jsc",
    "kabushiki": "jsc",
    "kaisha": "jsc",
    "gk": "llc",
}

# Legal forms that are one only at a name's end, and may be a name's letters elsewhere: the
# close corporation of South Africa and Namibia ("Qingdao Construction (Namibia) CC"), which
# rigour's table lacks.
_FINAL_LEGAL = {"cc": "llc"}

# Chinese legal forms as lists romanise them ("Beijing Haili Lianhe Keji Youxian Gongsi" for
# 北京海力联合科技有限公司), which rigour's table lacks: 有限公司 and 有限责任公司 (limited
# company), 股份有限公司 (joint-stock limited company), 公司 (company). Whole phrases only
# where a word could be a given name ("Youxian" alone is one).
_PINYIN_LEGAL = re.compile(r"\b(?:gufen )?youxian (?:zeren )?gongsi\b|\b(?:gufen )?gongsi\b")

# Abbreviations common in trade and list data, expanded before matching. Legal forms are not
# here: rigour owns those.
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int'l": "international",
    "internat": "international",
    "mfg": "manufacturing",
    "mfr": "manufacturer",
    "mfrs": "manufacturers",
    "tech": "technology",
    "techs": "technologies",
    "technol": "technology",
    "eng": "engineering",
    "engg": "engineering",
    "engr": "engineering",
    "inds": "industries",
    "indus": "industries",
    "ind": "industrial",
    "natl": "national",
    "assn": "association",
    "assoc": "association",
    "univ": "university",
    "inst": "institute",
    "grp": "group",
    "hldg": "holding",
    "hldgs": "holdings",
    "svc": "service",
    "svcs": "services",
    "sys": "systems",
    "elec": "electric",
    "electr": "electronics",
    "equip": "equipment",
    "dev": "development",
    "mgmt": "management",
    "bros": "brothers",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "telecom": "telecommunications",
    "telecomm": "telecommunications",
    "comm": "communications",
    "comms": "communications",
    "sci": "science",
    "res": "research",
    "ent": "enterprise",
    "mach": "machinery",
    "trdg": "trading",
    "semicond": "semiconductor",
    "microelec": "microelectronics",
    "ctr": "center",
    "dept": "department",
    "govt": "government",
    # Arabic particles written two ways ("Usama ibn Laden", "Osama bin Laden").
    "ibn": "bin",
}


class UnscreenableName(ValueError):
    """A name with nothing to compare: empty, blank, or only controls and punctuation.

    Screening such a name would find nothing and so "clear" it, which is a false answer;
    callers refuse it with this message instead.
    """


def party_name(name: str) -> str:
    """A name without the clause that extends a listing to the party's successors and
    sub-units, and without an "and" left at its start by splitting a list's names: what
    names the party ("Zhengzhou Nanbei Instrument Equipment Co. Ltd"), on both sides (a
    query copied from the list holds the clause too); a hit still shows the listed name as
    published. Empty when nothing else is left."""
    return _LEADING_AND.sub("", _SUCCESSORS.sub("", name))


def check_screenable(name: str) -> None:
    """Raise :class:`UnscreenableName` unless ``name`` holds at least one letter or digit."""
    text, _ = clean_text(name)
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        shown = repr(name) if len(name) <= 40 else repr(name[:40]) + "..."
        raise UnscreenableName(f"the name {shown} has no letters or digits to screen")


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name reduced to what matching compares.

    ``tokens`` carry the identity (ASCII, lower case, abbreviations expanded); ``legal`` holds
    legal-form words in rigour's generic spelling ("llc", "jsc"), which carry almost no
    evidence; ``soft`` are tokens that may be a short legal form or a name part ("Wang Yu",
    "Acme SA") when the party type is unknown: kept, but weighed lightly; ``legal_words`` are
    the words of the legal forms removed ("joint", "stock"), which the index learns so that a
    reordered or mistyped legal form still weighs little; ``cut`` are words written with a
    closing full stop ("Petr.", "Admin."), which marks a word cut short; ``written`` pairs
    the position of each token an abbreviation was expanded to with the word as written
    ("comm" for "communications"), which may also begin another word ("Commercial");
    ``rules`` records every normalisation step that changed something.
    """

    tokens: tuple[str, ...]
    legal: tuple[str, ...]
    rules: tuple[str, ...]
    soft: frozenset[str] = frozenset()
    legal_words: frozenset[str] = frozenset()
    cut: frozenset[str] = frozenset()
    written: tuple[tuple[int, str], ...] = ()


def clean_text(text: str) -> tuple[str, list[str]]:
    """Repair encoding damage and apply NFKC; return the text and the repairs made."""
    rules: list[str] = []
    printable = text.isprintable()
    if printable and text.isascii():
        return text, rules
    # A printable text has no character of category Cc or Cf (str.isprintable), so no C1
    # control byte either: the scans below, a Python step per character, are skipped.
    if not printable and any(0x80 <= ord(ch) < 0xA0 for ch in text):
        text = text.translate(_C1_REPAIR)
        rules.append("repaired cp1252 control bytes")
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable() and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    return text, rules


@lru_cache(maxsize=65536)
def analyse(name: str, person: bool | None = None) -> NameForm:
    """Normalise one name. ``person`` is True/False when the party type is known, else None."""
    text, rules = clean_text(name)
    if "and" in text.lower():
        party = party_name(text)
        if party != text:
            text = party
            rules.append("successor clause left out")
    text = _R_AND_D.sub(" rnd ", APOSTROPHES.sub("", text))
    text = text.replace("&", " and ")
    if cjk.has_han(text):
        text, han_rules = cjk.latinise(text, person)
        rules.extend(han_rules)
    # Hangul, Arabic and Hebrew words are read by their own modules (the index meets them
    # with every spelling lists use), not by one letter-by-letter transliteration.
    scripts = not text.isascii() and (hangul.has_hangul(text) or abjad.has_abjad(text))
    latin = (_kept_scripts(text) if scripts else ascii_text(text)).lower()
    if scripts:
        rules.append("script read for its Latin spellings (Hangul, Arabic, Hebrew)")
    elif not latin.isascii() or (latin != text.lower() and not text.isascii()):
        rules.append("transliterated to latin")
    latin = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", latin)
    cut = frozenset(_CUT.findall(latin)) if "." in latin else frozenset()
    # Tokenise first so legal forms and titles are found whatever the punctuation and spacing.
    words = " ".join(tokenize_name(latin))
    legal: list[str] = []
    legal_words: set[str] = set()
    soft: set[str] = set()
    if person is not True:
        found: dict[str, list[str]] = {}  # matched text -> generic forms, one per occurrence
        pinyin_name: bool | None = None  # asked once, of a name holding a short legal form
        # Words joined to another by a hyphen: a syllable of a given name (Pao-lung,
        # Yuet-ngo), never a legal form on its own, when the party may be a person. A
        # syllable has a vowel: a legal form written without one stays a legal form
        # (Efo-Ltd., Thrust Aviation FZ-LLC).
        hyphened = frozenset(_HYPHENED.findall(latin)) if person is None and "-" in latin else ()
        whole = words.split()
        forms = extract_org_types(words, generic=True)
        head = _syllable_head(whole, forms)
        if head:
            # Kept out of the legal forms' reach, and put back in front after them.
            words = words[len(head) :]
            forms = extract_org_types(words, generic=True)
        for matched, generic in forms:
            if matched in hyphened and not _VOWELLESS.match(matched):
                continue
            if person is None and len(matched) <= 2:
                if pinyin_name is None:
                    pinyin_name = romanise.given_name_syllables(whole, romanise.common_pinyin())
                if not pinyin_name:
                    soft.add(matched)
                # else a syllable of a Chinese person's name ("Tan Yu"), no legal form
            else:
                found.setdefault(matched, []).append(generic)
        stripped = _strip_legal(words, found) if found else words
        # A name made only of legal forms keeps them: it still has to match itself.
        if found and stripped.strip():
            words = stripped
            legal.extend(g for generics in found.values() for g in generics)
            legal_words.update(w for matched in found for w in matched.split())
            rules.append("legal form normalised")
        romanised = _PINYIN_LEGAL.findall(words) if "gongsi" in words else []
        stripped = _PINYIN_LEGAL.sub(" ", words) if romanised else words
        if romanised and stripped.strip():
            words = " ".join(stripped.split())
            legal.extend("llc" if "youxian" in form else "co" for form in romanised)
            legal_words.update(w for form in romanised for w in form.split())
            rules.append("romanised Chinese legal form normalised")
        if head:
            words = f"{head} {words}"
    if person is not False and _starts_with_title(words.split(" ", 1)[0] if words else ""):
        unprefixed = remove_person_prefixes(words.strip())
        if unprefixed != words.strip() and unprefixed.strip():
            if person is None:
                # A person's title or an organisation's word ("General Bureau of Atomic
                # Energy", "Lord. Urea"): kept, but weighed lightly.
                soft.update(words.split()[: len(words.split()) - len(unprefixed.split())])
                rules.append("title weighed lightly")
            else:
                words = unprefixed
                rules.append("title removed")
    tokens: list[str] = []
    written: list[tuple[int, str]] = []
    split = words.split()
    for at, token in enumerate(split):
        if person is not True:
            if at and at == len(split) - 1 and token in _FINAL_LEGAL:
                # Not a legal word the index learns: elsewhere it is a name's letters.
                legal.append(_FINAL_LEGAL[token])
                continue
            corporate = _CORPORATE_WORDS.get(token)
            if corporate is None:
                corporate = _mistyped_legal(token)
                if corporate is not None:
                    rules.append(f"mistyped legal form {token}")
            else:
                legal_words.add(token)
            if corporate is not None:
                legal.append(corporate)
                continue
        expanded = ABBREVIATIONS.get(token)
        if expanded is not None:
            rules.append(f"abbreviation {token}->{expanded}")
            written.extend((len(tokens) + i, token) for i in range(len(expanded.split())))
            tokens.extend(expanded.split())
        else:
            tokens.append(token)
    if any(t.startswith("abd") for t in tokens):
        written_as = tokens
        tokens = romanise.arabic_compounds(tokens)
        if tokens != written_as:
            rules.append("Arabic Abd al- written one way")
            written = [] if len(tokens) != len(written_as) else written
    if scripts:
        written_as = tokens
        tokens = _script_tokens(tokens)
        if tokens != written_as:
            written = [] if len(tokens) != len(written_as) else written
    if not tokens and legal:
        # A name made only of legal-form words ("Company Limited") still has to match itself.
        tokens, legal = legal, []
    return NameForm(
        tuple(tokens),
        tuple(sorted(set(legal))),
        tuple(rules),
        frozenset(soft),
        frozenset(legal_words),
        cut,
        tuple(written),
    )


def _kept_scripts(text: str) -> str:
    """``text`` transliterated to ASCII except its Hangul, Arabic and Hebrew words."""
    return " ".join(
        w if hangul.has_hangul(w) or abjad.has_abjad(w) else ascii_text(w) for w in text.split()
    )


def _script_tokens(tokens: list[str]) -> list[str]:
    """Hangul words split into syllables, Arabic and Hebrew words as abjad.tokens sets them
    out (the article and "Abd al-" apart)."""
    out: list[str] = []
    for token in abjad.tokens(tokens):
        out += hangul.split(token) if hangul.has_hangul(token) else [token]
    return out


def legal_head(name: str) -> bool:
    """Whether a name starts with a legal form short enough to be a surname ("Sia Baolong")."""
    first = name.split(None, 1)[0].strip(".,;:()").lower() if name.strip() else ""
    if not (first.isascii() and first.isalpha()) or len(first) > HEAD_LEGAL:
        return False
    form = analyse(name, None)  # as the screener analyses it: one cache entry
    return bool(form.legal and form.tokens) and first not in form.tokens


def _syllable_head(words: Sequence[str], forms: Sequence[tuple[str, str]]) -> str:
    """The short legal form opening a firm's name that is the first syllable of a Chinese
    trade name written syllable by syllable ("Yu Hong De Co Ltd", where "Yu" also abbreviates
    a legal form), else "": it is a pinyin syllable, so are the two words or more after it,
    and another legal form is found, as a name rarely holds two ("Yu Hong De Trading Co
    Ltd")."""
    head = words[0] if words else ""
    syllables = romanise.common_pinyin()
    if len(head) > 2 or head not in syllables or not any(m == head for m, _ in forms):
        return ""
    trade = list(takewhile(syllables.__contains__, words[1 : MIN_SYLLABLE_RUN + 1]))
    found = len(trade) == MIN_SYLLABLE_RUN and any(m != head for m, _ in forms)
    return head if found else ""


# The fewest pinyin syllables after a short legal form that make it a trade name's first.
MIN_SYLLABLE_RUN = 2


def _strip_legal(words: str, found: dict[str, list[str]]) -> str:
    """Remove each legal form as often as it was found, in one pass over the text.

    One pass, not one substitution per form: a pasted cell can hold thousands of legal
    forms, and a substitution per form made normalisation quadratic in the text's length.
    """
    left = {matched: len(generics) for matched, generics in found.items()}
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(m) for m in sorted(left, key=len, reverse=True))
        + r")(?!\w)"
    )

    def cut(match: re.Match[str]) -> str:
        text = match.group(0)
        if left.get(text, 0) > 0:
            left[text] -= 1
            return " "
        return text

    return pattern.sub(cut, words)


@lru_cache(maxsize=4096)
def _starts_with_title(first_word: str) -> bool:
    """Whether a name starting with this word may start with a title (Mr, Dr, General)."""
    probe = f"{first_word} x"
    return bool(first_word) and remove_person_prefixes(probe) != probe


def _mistyped_legal(token: str) -> str | None:
    if len(token) < 6 or token in ABBREVIATIONS:
        return None
    for word, generic in _LONG_LEGAL.items():
        if OSA.distance(token, word, score_cutoff=2) <= (1 if len(word) < 8 else 2):
            return generic
    return None


def stem(token: str) -> str:
    """A light English plural stem, so "technologies" meets "technology"."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def own_acronym(tokens: Sequence[str], j: int, legal: bool = False) -> bool:
    """Whether ``tokens[j]`` is the name's own acronym: its letters the initials of the
    name's other words, in order, with at most one letter left over in an acronym of four
    letters or more ("... Defense Technology (NUDT)", NINTF, NSCC), or, in a name with a
    legal form (``legal``), a last one, which stands for the legal form its words leave out
    ("Poly Technologies Incorporated (PTI)"). Lists append a body's acronym to its name; a
    query that names the body in full need not say it."""
    token = tokens[j]
    if len(token) < 3 or not token.isalpha():
        return False
    initials = [t[0] for k, t in enumerate(tokens) if k != j]
    missed, at = 0, 0
    for i, letter in enumerate(token):
        if letter in initials[at:]:
            at += initials[at:].index(letter) + 1
        elif legal and i == len(token) - 1 and not missed:
            return True
        else:
            missed += 1
    return missed == 0 or (missed == 1 and len(token) >= 4)
