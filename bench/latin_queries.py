"""A Latin-script query set derived from the real lists, split into tuning and held-out halves.

    .venv/bin/python bench/latin_queries.py [--out bench/out/latin_queries.csv]

FROZEN: this generator and its split were committed before any engine change they measure.
Changing a rule here, the seed or the split makes every earlier figure incomparable; add a
new generator instead.

The queries are derived at bench time from ../shared/data/lists (CSL + OFAC SDN), never
committed. Each positive is one listed party's name changed the way names are really typed
or written elsewhere; each negative is a name of a party that is not listed.

Positives (``expected`` = the party key, see :func:`party_key`):
- ``run_together``: two adjacent words written as one ("Ming Zheng" -> "Mingzheng").
- ``split_word``: one long word split in two ("Rosoboronexport" -> "Rosoboron Export").
- ``abbreviation``: words replaced by trade abbreviations (Intl, Natl, Mfg, Elec, Eng, Tech,
  Assn, Inst, Univ, ...), with or without a full stop.
- ``truncation``: one long word cut short ("Information" -> "Info.").
- ``initialism``: the acronym (four letters or more) of a multi-word organisation name,
  alone or with its legal form, where no listed name of the party already carries it.
- ``translit_arabic`` / ``translit_russian`` / ``translit_chinese``: person names written in
  another romanisation (Mohammed/Muhammad, al-/el-, Abdul/Abd al; -ov/-off, -iy/-y, Yu/Iu,
  Kh/H; pinyin -> Wade-Giles, Hong Kong or Tongyong spellings).
- ``branch``: an organisation's name inside a longer one (place, branch, office, plant,
  division, R&D centre, legal form).

Negatives (``expected`` empty):
- ``made_up_company`` / ``made_up_person``: invented names, and person names recombined from
  listed given names and surnames that belong to no listed person.
- ``near_miss``: an unlisted firm of the same industry that shares exactly one distinctive
  word with a listed organisation and no other.

Split: a party is HELD-OUT when the first hex digit of sha256(party key) is 8-f, else it is
for TUNING; a negative goes by sha256 of its query. Held-out rows are only ever reported in
aggregate, and no rule or constant of the engine is written for one of them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening.model import EntityType, Entry
from common import LISTS, OUT, require

SEED = 20261125
PER_VARIANT = 300
NEGATIVES = 500
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def party_key(entry: Entry) -> str:
    """One key per party: the OFAC entity number when it has one, else dataset and id.

    The CSL republishes OFAC's lists with the OFAC number as its id, so an SDN party falls
    in the same split whichever file it was read from.
    """
    if entry.dataset.startswith("ofac") or (
        entry.dataset == "us_csl" and "Treasury" in entry.list_name and entry.id.isdigit()
    ):
        return f"ofac:{entry.id}"
    return f"{entry.dataset}:{entry.id}"


def split_of(key: str) -> str:
    """'heldout' or 'tuning', by a fixed hash: frozen, see the module docstring."""
    return "heldout" if hashlib.sha256(key.encode()).hexdigest()[0] in "89abcdef" else "tuning"


@dataclass(frozen=True, slots=True)
class Query:
    query: str
    expected: str  # party key, empty for a negative
    variant: str
    kind: str  # person | company
    split: str


# --- data the generator writes variants with (the engine never reads these) ---

ABBREVIATIONS = {
    "international": ["Intl", "Int'l", "Intl."],
    "national": ["Natl", "Nat'l", "Natl."],
    "manufacturing": ["Mfg", "Mfg."],
    "electronics": ["Elec", "Electr.", "Elecs"],
    "electronic": ["Elec", "Elec."],
    "electric": ["Elec", "Elec."],
    "electrical": ["Elec", "Elect."],
    "engineering": ["Eng", "Engg", "Eng."],
    "technology": ["Tech", "Tech."],
    "technologies": ["Tech", "Techs"],
    "technical": ["Tech"],
    "association": ["Assn", "Assoc."],
    "institute": ["Inst", "Inst."],
    "university": ["Univ", "Univ."],
    "industries": ["Inds", "Ind."],
    "industrial": ["Ind", "Indl"],
    "industry": ["Ind", "Indus"],
    "research": ["Res", "Res."],
    "development": ["Dev", "Devt"],
    "machinery": ["Mach", "Mach."],
    "equipment": ["Equip", "Eqpt"],
    "science": ["Sci", "Sci."],
    "scientific": ["Sci", "Sci."],
    "academy": ["Acad", "Acad."],
    "construction": ["Constr", "Const."],
    "communications": ["Comms", "Comm."],
    "communication": ["Comm"],
    "trading": ["Trdg"],
    "management": ["Mgmt"],
    "services": ["Svcs", "Servs"],
    "systems": ["Sys", "Syst."],
    "laboratory": ["Lab"],
    "chemical": ["Chem", "Chem."],
    "chemicals": ["Chems"],
    "corporation": ["Corp", "Corp."],
    "company": ["Co", "Co."],
    "limited": ["Ltd", "Ltd."],
    "brothers": ["Bros"],
    "group": ["Grp"],
    "holding": ["Hldg"],
    "holdings": ["Hldgs"],
    "investment": ["Invest", "Inv."],
    "aviation": ["Avn"],
    "aerospace": ["Aero"],
    "petroleum": ["Petrol", "Pet."],
    "shipping": ["Shpg"],
    "department": ["Dept"],
    "government": ["Govt"],
    "center": ["Ctr"],
    "centre": ["Ctr"],
    "organization": ["Org"],
    "general": ["Gen"],
    "import": ["Imp"],
    "export": ["Exp"],
}
STOP = {"of", "the", "and", "for", "de", "del", "la", "le", "des", "du", "da", "do", "&", "in"}
LEGAL = {
    "co", "co.", "ltd", "ltd.", "limited", "company", "corp", "corp.", "corporation", "inc",
    "inc.", "llc", "plc", "sa", "s.a.", "gmbh", "ag", "jsc", "ojsc", "cjsc", "pjsc", "ooo",
    "oao", "zao", "llp", "fze", "fzco", "bv", "srl", "pte", "pvt", "sdn", "bhd",
}  # fmt: skip
CITIES = [
    "Shenzhen", "Shanghai", "Beijing", "Guangzhou", "Wuhan", "Chengdu", "Xi'an", "Nanjing",
    "Hangzhou", "Tianjin", "Suzhou", "Dalian", "Qingdao", "Xiamen", "Harbin", "Hefei",
    "Hong Kong", "Kowloon", "Macau", "Taipei", "Singapore", "Kuala Lumpur", "Bangkok",
    "Jakarta", "Manila", "Seoul", "Tokyo", "Osaka", "Mumbai", "New Delhi", "Karachi",
    "Lahore", "Dubai", "Abu Dhabi", "Sharjah", "Doha", "Riyadh", "Jeddah", "Kuwait City",
    "Muscat", "Tehran", "Isfahan", "Baghdad", "Damascus", "Beirut", "Amman", "Istanbul",
    "Ankara", "Cairo", "Moscow", "Saint Petersburg", "Novosibirsk", "Minsk", "Kyiv",
    "Almaty", "Tashkent", "Baku", "Yerevan", "Tbilisi", "Berlin", "Hamburg", "Frankfurt",
    "Paris", "London", "Milan", "Madrid", "Vienna", "Zurich", "Geneva", "Amsterdam",
    "Rotterdam", "Brussels", "Warsaw", "Prague", "Caracas", "Bogota", "Panama City",
    "Mexico City", "Havana", "Lagos", "Nairobi", "Johannesburg", "Toronto", "Houston",
]  # fmt: skip
BRANCH_FORMS = [
    "{name} {place} Branch",
    "{name} {place} Branch Office",
    "{name} {place} Representative Office",
    "{name} ({place} Office)",
    "{name}, {place} Division",
    "{name} {place} Research and Development Center",
    "{name} R&D Center {place}",
    "{name} {place} Plant",
    "{name} Co., Ltd. {place} Branch",
    "{name} Ltd {place} Sales Office",
    "{place} {name}",
    "{name} ({place})",
]
INDUSTRY = [
    "Solar", "Textile", "Foods", "Logistics", "Pharmaceutical", "Apparel", "Ceramics",
    "Furniture", "Optics", "Plastics", "Paper", "Packaging", "Fisheries", "Dairy", "Tea",
    "Garments", "Footwear", "Toys", "Cosmetics", "Jewelry", "Printing", "Rubber", "Glass",
    "Cement", "Steel", "Tobacco", "Seafood", "Agricultural", "Medical", "Biotech", "Software",
    "Marine", "Automotive", "Energy", "Power", "Mining", "Water", "Lighting", "Bearings",
    "Valves", "Pumps", "Cables", "Batteries", "Sensors", "Robotics", "Semiconductor",
    "Telecom", "Aviation", "Shipping", "Construction", "Consulting", "Media", "Hotels",
]  # fmt: skip
LEGAL_FORMS = ["Co., Ltd.", "Ltd", "LLC", "Corporation", "Inc.", "GmbH", "FZE", "JSC", ""]
SYLLABLES = [
    "ka", "zor", "vel", "min", "tra", "lo", "ne", "rix", "sa", "bel", "qua", "dor", "fen",
    "tal", "mo", "vi", "ren", "go", "lu", "xan", "pri", "del", "sto", "ma", "ri", "ven",
]  # fmt: skip
ARABIC_FAMILIES = [
    ["muhammad", "mohammed", "mohammad", "mohamed", "muhammed", "mohamad"],
    ["ahmad", "ahmed"],
    ["mahmud", "mahmoud", "mahmood"],
    ["husayn", "hussein", "hussain", "husain", "hosein"],
    ["hasan", "hassan"],
    ["yusuf", "yousef", "youssef", "yousif"],
    ["uthman", "othman", "osman"],
    ["umar", "omar"],
    ["said", "saeed", "sa'id", "sayed"],
    ["abdallah", "abdullah"],
    ["ibrahim", "ebrahim"],
    ["ismail", "ismael", "esmail"],
    ["khalid", "khaled"],
    ["rashid", "rasheed"],
    ["qasim", "kassem", "qassem", "kasim"],
    ["jafar", "jaafar", "ja'far"],
    ["mustafa", "mostafa", "moustafa"],
    ["mahdi", "mehdi"],
    ["reza", "rida", "riza"],
    ["abbas", "abas"],
    ["karim", "kareem"],
    ["nasser", "nasir", "naser"],
    ["salih", "saleh"],
    ["sulayman", "suleiman", "soliman", "sulaiman"],
    ["yahya", "yehia"],
    ["aziz", "azeez"],
    ["hamid", "hameed"],
    ["majid", "majeed"],
    ["walid", "waleed"],
    ["faisal", "faysal"],
]
CHINESE_HK = {
    "chen": "chan", "zhang": "cheung", "wang": "wong", "huang": "wong", "li": "lee",
    "liu": "lau", "zhou": "chow", "wu": "ng", "xu": "hui", "lin": "lam", "guo": "kwok",
    "he": "ho", "gao": "ko", "luo": "law", "zheng": "cheng", "liang": "leung", "xie": "tse",
    "song": "sung", "tang": "tong", "han": "hon", "feng": "fung", "deng": "tang", "cao": "tso",
    "peng": "pang", "zeng": "tsang", "xiao": "siu", "tian": "tin", "dong": "tung",
    "pan": "poon", "yuan": "yuen", "cai": "choi", "jiang": "chiang", "du": "to", "ye": "yip",
    "cheng": "ching", "wei": "wai", "su": "so", "lu": "lo", "ding": "ting", "ren": "yam",
    "shen": "sum", "yao": "yiu", "cui": "tsui", "zhong": "chung", "tan": "tam", "yang": "yeung",
    "zhu": "chu", "hu": "wu", "zhao": "chiu", "sun": "suen", "mo": "mok", "qiu": "yau",
    "kong": "hung", "bai": "pak", "fang": "fong", "shi": "sze", "xiong": "hung", "jin": "kam",
    "wen": "man", "zhi": "chi", "ming": "ming", "hua": "wah", "jian": "kin", "guang": "kwong",
    "qiang": "keung", "hong": "hung", "jun": "chun", "xin": "san",
    "yong": "wing", "hui": "wai", "ying": "ying", "lei": "lui", "bin": "pan", "jie": "kit",
    "ping": "ping", "hai": "hoi", "xiang": "heung", "qing": "ching",
    "bo": "po", "zi": "chi", "xue": "suet", "yu": "yu", "chun": "chun", "kai": "hoi",
}  # fmt: skip
RUSSIAN_RULES: list[tuple[str, str]] = [
    (r"ov$", "off"),
    (r"ev$", "eff"),
    (r"iy$", "y"),
    (r"iy$", "ii"),
    (r"yy$", "y"),
    (r"y$", "iy"),
    (r"ii$", "y"),
    (r"^yu", "iu"),
    (r"yu", "ju"),
    (r"^ya", "ia"),
    (r"ya", "ja"),
    (r"kh", "h"),
    (r"kh", "ch"),
    (r"ye", "e"),
    (r"yev", "jew"),
    (r"ts", "tz"),
    (r"shch", "sch"),
    (r"ks", "x"),
    (r"ei$", "ey"),
    (r"ey$", "ei"),
    (r"zh", "j"),
    (r"ov$", "ow"),
]
RUSSIAN_HINT = re.compile(r"^\w{2,}(ov|ev|yev|in|sky|skiy|skii|enko|vich|ovna|evna|aya|iy|ii)$")


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _pinyin_syllables() -> set[str]:
    from pypinyin import pinyin_dict
    from pypinyin.contrib.tone_convert import to_normal

    out: set[str] = set()
    for readings in pinyin_dict.pinyin_dict.values():
        for reading in readings.split(","):
            syllable = to_normal(reading).replace("ü", "v")
            if syllable.isalpha():
                out.add(syllable)
    return out


def _segment(word: str, syllables: set[str]) -> list[str] | None:
    """Split a pinyin word into syllables, longest first (None if it is not pinyin)."""
    if not word:
        return []
    for size in range(min(6, len(word)), 0, -1):
        head = word[:size]
        if head in syllables:
            rest = _segment(word[size:], syllables)
            if rest is not None:
                return [head, *rest]
    return None


def _tongyong(s: str) -> str:
    for hanyu, tongyong in (
        ("zhi", "jhih"), ("chi", "chih"), ("shi", "shih"), ("ri", "rih"), ("zi", "zih"),
        ("ci", "cih"), ("si", "sih"),
    ):  # fmt: skip
        if s == hanyu:
            return tongyong
    if s.startswith("zh"):
        s = "jh" + s[2:]
    elif s.startswith("q"):
        s = "c" + s[1:]
    elif s.startswith("x"):
        s = "s" + s[1:]
    for old, new in (("iu", "iou"), ("ui", "uei"), ("eng", "ong"), ("wen", "wun")):
        if s.endswith(old) and not (old == "eng" and s[:1] not in "bpmfw"):
            s = s[: -len(old)] + new
            break
    if s[:1] in "jcs" and s[1:2] == "u" and s[:2] != "sh":
        s = s[0] + "yu" + s[2:]
    return s


class Generator:
    def __init__(self, entries: list[Entry], seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        parties: dict[str, Entry] = {}
        for entry in entries:
            if entry.type in (EntityType.PERSON, EntityType.COMPANY):
                parties.setdefault(party_key(entry), entry)
        self.parties = sorted(parties.items())
        self.tokens: set[str] = set()
        self.name_sets: list[frozenset[str]] = []
        for entry in entries:
            for alias in entry.names():
                words = frozenset(w.lower().strip("'-") for w in _WORD.findall(alias.name))
                self.tokens |= words
                self.name_sets.append(words)
        counts: dict[str, int] = {}
        for words in self.name_sets:
            for w in words:
                counts[w] = counts.get(w, 0) + 1
        self.counts = counts
        self.syllables = _pinyin_syllables()
        persons = [e for _, e in self.parties if e.type is EntityType.PERSON]
        self.given: list[str] = []
        self.family: list[str] = []
        for entry in persons:
            if "," in entry.name:
                family, given = entry.name.split(",", 1)
                self.family.extend(family.split()[:1])
                self.given.extend(given.split()[:1])

    # --- helpers ---
    def _listed(self, name: str) -> bool:
        """Whether a made-up name's words all belong to one listed name (so it is listed)."""
        words = frozenset(w.lower().strip("'-") for w in _WORD.findall(name))
        words -= LEGAL
        return any(words and words <= listed for listed in self.name_sets)

    def _made_up_word(self) -> str:
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3)))
            if word not in self.tokens and len(word) >= 4:
                return _title(word)

    def _significant(self, name: str) -> list[str]:
        return [w for w in name.split() if w.lower().strip(".,()") not in STOP | LEGAL]

    # --- positive variants; each returns None when the name does not lend itself ---
    def run_together(self, entry: Entry) -> str | None:
        words = entry.name.replace(",", "").split()
        spots = [
            i
            for i in range(len(words) - 1)
            if words[i].isalpha()
            and words[i + 1].isalpha()
            and len(words[i]) >= 2
            and len(words[i + 1]) >= 2
            and words[i].lower() not in STOP | LEGAL
            and words[i + 1].lower() not in STOP | LEGAL
        ]
        if not spots:
            return None
        i = self.rng.choice(spots)
        second = words[i + 1] if words[i].isupper() else words[i + 1].lower()
        joined = words[i] + second
        return " ".join([*words[:i], joined, *words[i + 2 :]])

    def split_word(self, entry: Entry) -> str | None:
        words = entry.name.replace(",", "").split()
        spots = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 8]
        if not spots:
            return None
        i = self.rng.choice(spots)
        word = words[i]
        # Where a syllable ends (a vowel before a consonant), as people split words.
        cuts = [
            c
            for c in range(3, len(word) - 2)
            if word[c - 1].lower() in "aeiouy" and word[c].lower() not in "aeiouy"
        ]
        cut = self.rng.choice(cuts) if cuts else self.rng.randint(3, len(word) - 3)
        tail = word[cut:] if word.isupper() else _title(word[cut:])
        return " ".join([*words[:i], word[:cut], tail, *words[i + 1 :]])

    def abbreviation(self, entry: Entry) -> str | None:
        words = entry.name.split()
        spots = [i for i, w in enumerate(words) if w.lower().strip(",.") in ABBREVIATIONS]
        spots = [i for i in spots if words[i].lower().strip(",.") not in LEGAL]
        if not spots:
            return None
        chosen = self.rng.sample(spots, min(len(spots), self.rng.randint(1, 2)))
        out = list(words)
        for i in chosen:
            tail = "," if words[i].endswith(",") else ""
            out[i] = self.rng.choice(ABBREVIATIONS[words[i].lower().strip(",.")]) + tail
        return " ".join(out)

    def truncation(self, entry: Entry) -> str | None:
        words = entry.name.split()
        spots = [
            i
            for i, w in enumerate(words)
            if w.isalpha() and len(w) >= 8 and w.lower() not in ABBREVIATIONS
        ]
        if not spots:
            return None
        i = self.rng.choice(spots)
        cut = self.rng.randint(4, min(6, len(words[i]) - 3))
        out = list(words)
        out[i] = words[i][:cut] + self.rng.choice(["", "."])
        return " ".join(out)

    def initialism(self, entry: Entry) -> str | None:
        words = [w.strip(",.()") for w in entry.name.split()]
        significant = [w for w in words if w and w.lower() not in STOP | LEGAL and w.isalpha()]
        if not 4 <= len(significant) <= 7:
            return None
        acronym = "".join(w[0] for w in significant).upper()
        carried = {w.lower() for a in entry.names() for w in re.findall(r"[A-Za-z]+", a.name)}
        if acronym.lower() in carried:
            return None
        legal = [w for w in words if w.lower() in LEGAL]
        if legal and self.rng.random() < 0.5:
            return f"{acronym} {' '.join(legal)}"
        return acronym

    def branch(self, entry: Entry) -> str | None:
        name = entry.name.strip()
        if len(self._significant(name)) < 1 or len(name) < 5:
            return None
        form = self.rng.choice(BRANCH_FORMS)
        if "Ltd" in form:
            words = name.split()
            while len(words) > 1 and words[-1].lower().strip(",.") in LEGAL:
                words.pop()
            name = " ".join(words).rstrip(",")
        return form.format(name=name, place=self.rng.choice(CITIES))

    def translit_arabic(self, entry: Entry) -> str | None:
        words = re.split(r"(\s+|,|-)", entry.name)
        lowered = [w.lower() for w in words]
        changes = []
        for i, w in enumerate(lowered):
            for family in ARABIC_FAMILIES:
                if w in family:
                    changes.append((i, self.rng.choice([f for f in family if f != w])))
            if w == "al" and i + 1 < len(words) and words[i + 1] == "-":
                changes.append((i, self.rng.choice(["el", "al ", "al"])))
            if w in ("abdul", "abdel"):
                changes.append((i, self.rng.choice(["abd al ", "abd-al-", "abd el "])))
            if w == "abd" and i + 2 < len(words) and lowered[i + 2] in ("al", "el"):
                changes.append((i, "abdul"))
        if not changes:
            return None
        out = list(words)
        for i, new in self.rng.sample(changes, min(len(changes), self.rng.randint(1, 2))):
            if new == "abdul" and i + 2 < len(out):
                out[i + 1] = out[i + 2] = ""
                if i + 3 < len(out) and out[i + 3] == "-":
                    out[i + 3] = ""
            out[i] = _title(new) if words[i][:1].isupper() else new
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def translit_russian(self, entry: Entry) -> str | None:
        words = entry.name.replace(",", " ,").split()
        if not any(RUSSIAN_HINT.search(w.lower()) for w in words):
            return None
        options = []
        for i, w in enumerate(words):
            low = w.lower()
            for pattern, repl in RUSSIAN_RULES:
                if re.search(pattern, low):
                    options.append((i, pattern, repl))
        if not options:
            return None
        out = list(words)
        for i, pattern, repl in self.rng.sample(options, min(len(options), 2)):
            new = re.sub(pattern, repl, out[i].lower(), count=1)
            out[i] = new.upper() if words[i].isupper() else _title(new)
        result = " ".join(out).replace(" ,", ",")
        return result if result.lower() != entry.name.lower() else None

    def translit_chinese(self, entry: Entry) -> str | None:
        from pypinyin.style.wadegiles import to_wade_glides

        words = entry.name.replace(",", " ").split()
        if not 2 <= len(words) <= 4:
            return None
        segmented = [_segment(w.lower(), self.syllables) for w in words]
        if any(s is None or not s or len(s) > 3 for s in segmented):
            return None
        if not any(len(s) == 1 for s in segmented if s):  # a one-syllable surname
            return None
        system = self.rng.choice(["wade-giles", "hong-kong", "tongyong"])
        out = []
        for syllables in segmented:
            assert syllables is not None
            if system == "wade-giles":
                parts = [
                    to_wade_glides(s).replace("v", "u").replace("'", self.rng.choice(["", "'"]))
                    for s in syllables
                ]
                joiner = "-"
            elif system == "hong-kong":
                parts = [CHINESE_HK.get(s, s) for s in syllables]
                joiner = self.rng.choice([" ", "-"])
            else:
                parts = [_tongyong(s) for s in syllables]
                joiner = ""
            out.append(joiner.join(parts))
        result = " ".join(_title(w) for w in out)
        return result if result.lower() != " ".join(words).lower() else None

    # --- negatives ---
    def made_up_company(self) -> str:
        parts = []
        if self.rng.random() < 0.4:
            parts.append(self.rng.choice(CITIES))
        parts.append(self._made_up_word())
        parts.extend(self.rng.sample(INDUSTRY, self.rng.randint(1, 2)))
        parts.append(self.rng.choice(LEGAL_FORMS))
        return " ".join(p for p in parts if p)

    def made_up_person(self) -> str:
        while True:
            if self.rng.random() < 0.5 and self.given and self.family:
                name = f"{self.rng.choice(self.given)} {self.rng.choice(self.family)}"
            else:
                name = f"{self._made_up_word()} {self._made_up_word()}"
            if not self._listed(name):
                return name

    def near_miss(self, entry: Entry) -> str | None:
        words = [w.strip(",.()") for w in entry.name.split()]
        significant = [
            w for w in words if w.isalpha() and w.lower() not in STOP | LEGAL and len(w) >= 4
        ]
        if len(significant) < 2:
            return None
        keep = min(significant, key=lambda w: self.counts.get(w.lower(), 0))
        if self.counts.get(keep.lower(), 0) > 3:
            return None  # no distinctive word to share
        others = [w for w in INDUSTRY if w.lower() not in {s.lower() for s in significant}]
        parts = [keep, *self.rng.sample(others, self.rng.randint(1, 2))]
        if self.rng.random() < 0.3:
            parts.insert(0, self.rng.choice(CITIES))
        parts.append(self.rng.choice(LEGAL_FORMS))
        name = " ".join(p for p in parts if p)
        return None if self._listed(name) else name

    # --- the set ---
    def positives(self) -> Iterator[Query]:
        variants: list[tuple[str, Callable[[Entry], str | None], EntityType]] = [
            ("run_together", self.run_together, EntityType.COMPANY),
            ("split_word", self.split_word, EntityType.COMPANY),
            ("abbreviation", self.abbreviation, EntityType.COMPANY),
            ("truncation", self.truncation, EntityType.COMPANY),
            ("initialism", self.initialism, EntityType.COMPANY),
            ("branch", self.branch, EntityType.COMPANY),
            ("run_together_person", self.run_together, EntityType.PERSON),
            ("translit_arabic", self.translit_arabic, EntityType.PERSON),
            ("translit_russian", self.translit_russian, EntityType.PERSON),
            ("translit_chinese", self.translit_chinese, EntityType.PERSON),
        ]
        for variant, make, kind in variants:
            pool = [(k, e) for k, e in self.parties if e.type is kind]
            self.rng.shuffle(pool)
            made = 0
            for key, entry in pool:
                if made >= PER_VARIANT:
                    break
                query = make(entry)
                if query and query.strip().lower() != entry.name.strip().lower():
                    made += 1
                    yield Query(query, key, variant, kind.value, split_of(key))

    def negatives(self) -> Iterator[Query]:
        for _ in range(NEGATIVES):
            q = self.made_up_company()
            yield Query(q, "", "made_up_company", "company", split_of(q))
        for _ in range(NEGATIVES):
            q = self.made_up_person()
            yield Query(q, "", "made_up_person", "person", split_of(q))
        pool = [e for _, e in self.parties if e.type is EntityType.COMPANY]
        self.rng.shuffle(pool)
        made = 0
        for entry in pool:
            if made >= NEGATIVES:
                break
            q = self.near_miss(entry)
            if q:
                made += 1
                yield Query(q, "", "near_miss", "company", split_of(q))


def generate() -> list[Query]:
    """The whole set, both splits, in a fixed order."""
    from chipbridge.screening.sources import load

    require(LISTS / "us_csl.csv", LISTS / "ofac_sdn")
    entries = [*load(LISTS / "us_csl.csv").entries, *load(LISTS / "ofac_sdn").entries]
    generator = Generator(entries)
    return [*generator.positives(), *generator.negatives()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT / "latin_queries.csv")
    args = parser.parse_args()
    rows = generate()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query", "expected", "variant", "kind", "split"])
        writer.writerows([q.query, q.expected, q.variant, q.kind, q.split] for q in rows)
    counts: dict[tuple[str, str], int] = {}
    for q in rows:
        counts[(q.variant, q.split)] = counts.get((q.variant, q.split), 0) + 1
    print(f"{len(rows)} queries written to {args.out}")
    for (variant, split), n in sorted(counts.items()):
        print(f"  {variant:22} {split:8} {n}")


if __name__ == "__main__":
    main()
