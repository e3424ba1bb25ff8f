"""One loader per published list format, each producing a :class:`ListSnapshot`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from chipbridge.screening.model import ListSnapshot
from chipbridge.screening.sources.errors import SourceError

# The parsers are imported where a list is read, not here: screening against the stored
# lists imports this package for the built-in list alone (0.006-0.009 s of a fresh
# ``chipbridge screen`` went to importing the parsers).


class Format(StrEnum):
    CSL = "csl"
    OFAC = "ofac"
    UN = "un"
    FTM = "ftm"


def detect(path: Path) -> Format:
    """Guess a list's format from its name and first bytes."""
    from chipbridge.screening.sources import ofac

    if path.is_dir():
        if (path / "sdn.csv").exists() or (path / "cons_prim.csv").exists():
            return Format.OFAC
        raise SourceError(path, "folder holds no OFAC set (sdn.csv or cons_prim.csv)")
    if not path.exists():
        raise SourceError(path, "no such file")
    if path.name.lower() in ofac.SDN_FILES + ofac.CONS_FILES:
        return Format.OFAC
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<") and b"CONSOLIDATED_LIST" in head:
        return Format.UN
    if head.startswith(b"{") and b'"schema"' in head.split(b"\n", 1)[0]:
        return Format.FTM
    if head.startswith((b"{", b"[")):
        return Format.CSL
    first = head.split(b"\n", 1)[0]
    if b"name" in first and b"source" in first:
        return Format.CSL
    raise SourceError(path, "cannot tell the list format; pass --format csl|ofac|un|ftm")


def load(path: Path, fmt: Format | None = None) -> ListSnapshot:
    """Load one list file (or OFAC folder) into a snapshot; raise SourceError when unusable."""
    from chipbridge.screening.sources import csl, ftm, ofac, un

    fmt = fmt or detect(path)
    if fmt is Format.OFAC:
        return ofac.load(path)
    if not path.is_file():
        raise SourceError(path, "no such file")
    if fmt is Format.UN:
        return un.load(path)
    if fmt is Format.FTM:
        return ftm.load(path)
    if path.suffix.lower() == ".json":
        return csl.load_json(path)
    return csl.load_csv(path)


__all__ = ["Format", "SourceError", "detect", "load"]
