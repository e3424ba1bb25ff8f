"""What a screening request may say beyond the name (the party's type, its country, the
lowest score to report), checked one way for the CLI's ``screen`` and the API's
``GET /api/v1/screen``, so that both take the same values and give them the same meaning."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chipbridge.countries import country_code
from chipbridge.screening import Hit, Screener
from chipbridge.screening.model import EntityType

MIN_THRESHOLD, MAX_THRESHOLD = 0.0, 1.0
TYPE_HELP = "Hint: person or company."
COUNTRY_HELP = "Hint: ISO 3166-1 alpha-2 country code, e.g. CN (lower case is read as upper)."
THRESHOLD_HELP = "Minimum score, 0 to 1 (default: calibrated)."


class PartyType(StrEnum):
    person = "person"
    company = "company"


class ScreenHints(BaseModel):
    """The hints; :meth:`screen` checks the country (a :class:`countries.UnknownCountry`
    otherwise, which each caller words as its own error)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: PartyType | None = Field(default=None, description=TYPE_HELP)
    # Any text: the one check is countries.country_code, whose message names the code.
    country: str | None = Field(default=None, description=COUNTRY_HELP)
    threshold: float | None = Field(
        default=None, ge=MIN_THRESHOLD, le=MAX_THRESHOLD, description=THRESHOLD_HELP
    )

    def screen(self, screener: Screener, name: str, limit: int) -> list[Hit]:
        return screener.screen(name, limit=limit, **self.options())

    def options(self) -> dict[str, Any]:
        return {
            "type": EntityType(self.type.value) if self.type else None,
            "country": country_code(self.country) if self.country else None,
            "threshold": self.threshold,
        }
