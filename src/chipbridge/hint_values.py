"""The hints' values and their meaning, without pydantic: what the CLI's ``screen`` imports.

:class:`chipbridge.hints.ScreenHints` (the API's model) checks its fields with pydantic and
gives them meaning through :func:`screen_options`, as the CLI does, so both take the same
values and read them the same way; a fresh ``chipbridge screen`` does not import pydantic.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from chipbridge.countries import country_code
from chipbridge.screening.model import EntityType

MIN_THRESHOLD, MAX_THRESHOLD = 0.0, 1.0
TYPE_HELP = "Hint: person or company."
COUNTRY_HELP = "Hint: ISO 3166-1 alpha-2 country code, e.g. CN (lower case is read as upper)."
THRESHOLD_HELP = "Minimum score, 0 to 1 (default: calibrated)."


class PartyType(StrEnum):
    person = "person"
    company = "company"


def screen_options(
    type: PartyType | None, country: str | None, threshold: float | None
) -> dict[str, Any]:
    """The screener's keyword arguments for these hints; an unknown country raises
    :class:`countries.UnknownCountry`, which each caller words as its own error."""
    return {
        "type": EntityType(type.value) if type else None,
        "country": country_code(country) if country else None,
        "threshold": threshold,
    }
