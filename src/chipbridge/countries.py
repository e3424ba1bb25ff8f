"""Country codes: the one check every input that names a country passes (a party file, the
parties API, a company, a screening hint).

A code must be a country or territory's ISO 3166-1 alpha-2 code, taken from rigour's
territory table (maintained with the lists' own country data) rather than a list of our own:
the shape alone let ``XX`` or ``ZZ`` through as a hint that then matched nothing. The table
also holds the few codes ISO reserves for territories the lists name (``AC``, ``DG``...) and
``XK`` (Kosovo), which the sanctions lists use; it leaves out historical codes (``AN``,
``DD``) and groupings (``EU``, ``UN``, ``ZZ``).
"""

from __future__ import annotations

from functools import cache


class UnknownCountry(ValueError):
    """Not an ISO 3166-1 alpha-2 code; the message says what was given."""


@cache
def iso_codes() -> frozenset[str]:
    """Upper-case alpha-2 codes of current countries and territories."""
    from rigour.territories import get_territories

    return frozenset(
        t.code.upper()
        for t in get_territories()
        if len(t.code) == 2 and t.alpha3 is not None and not t.is_historical
    )


def country_code(value: str) -> str:
    """``value`` as an upper-case ISO 3166-1 alpha-2 code (``cn`` -> ``CN``), or
    :class:`UnknownCountry`."""
    code = value.strip().upper()
    if code not in iso_codes():
        raise UnknownCountry(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. CN, US)")
    return code
