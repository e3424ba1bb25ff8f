"""The screening engine: names -> normalised forms -> candidate index -> scores -> explained hits.

A pure library: it reads list files through :mod:`chipbridge.screening.sources` and knows
nothing about the web app or the database.
"""

from chipbridge.screening.model import Alias, AliasKind, EntityType, Entry, Identifier, ListSnapshot
from chipbridge.screening.normalize import UnscreenableName
from chipbridge.screening.screener import DEFAULT_THRESHOLD, Hit, Screener

__all__ = [
    "DEFAULT_THRESHOLD",
    "Alias",
    "AliasKind",
    "EntityType",
    "Entry",
    "Hit",
    "Identifier",
    "ListSnapshot",
    "Screener",
    "UnscreenableName",
]
