"""What a screening request may say beyond the name (the party's type, its country, the
lowest score to report), checked one way for the CLI's ``screen`` and the API's
``GET /api/v1/screen``, so that both take the same values and give them the same meaning."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chipbridge.hint_values import (
    COUNTRY_HELP,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    THRESHOLD_HELP,
    TYPE_HELP,
    PartyType,
    screen_options,
)
from chipbridge.screening import Hit, Screener


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
        return screen_options(self.type, self.country, self.threshold)
