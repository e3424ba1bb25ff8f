"""``chipbridge lists update``: fetch the official published files and import them.

This is the only code in chipbridge that goes to the network. Every requested list is
downloaded into a temporary folder and parsed first; only when all of them are in hand are
they checked and swapped in together (one transaction, see store/lists.py). A failed
download, a file that does not parse or a list that fails a check leaves every list as it
was, and the error names the list.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from chipbridge.screening.model import ListSnapshot
from chipbridge.screening.sources import Format, SourceError, load
from chipbridge.store.lists import Imported, ListStore


@dataclass(frozen=True, slots=True)
class Official:
    """One official list: where its publisher puts it and which files make it up."""

    dataset: str
    format: Format
    base_url: str
    files: tuple[tuple[str, str], ...]  # (published file name, local file name)


OFFICIAL: tuple[Official, ...] = (
    Official(
        "us_csl",
        Format.CSL,
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1",
        (("consolidated.csv", "consolidated.csv"),),
    ),
    Official(
        "ofac_sdn",
        Format.OFAC,
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports",
        (
            ("SDN.CSV", "sdn.csv"),
            ("ALT.CSV", "alt.csv"),
            ("ADD.CSV", "add.csv"),
            ("SDN_COMMENTS.CSV", "sdn_comments.csv"),
        ),
    ),
    Official(
        "ofac_cons",
        Format.OFAC,
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports",
        (
            ("CONS_PRIM.CSV", "cons_prim.csv"),
            ("CONS_ALT.CSV", "cons_alt.csv"),
            ("CONS_ADD.CSV", "cons_add.csv"),
            ("CONS_COMMENTS.CSV", "cons_comments.csv"),
        ),
    ),
    Official(
        "un_sc",
        Format.UN,
        "https://scsanctions.un.org/resources/xml/en",
        (("consolidated.xml", "consolidated.xml"),),
    ),
)


class UpdateError(RuntimeError):
    """A list could not be fetched; the message names the URL and the reason."""


def update(
    store: ListStore,
    datasets: list[str] | None = None,
    base_url: str | None = None,
    timeout: float = 120.0,
    report: Callable[[str], None] = lambda _: None,
    allow_shrink: bool = False,
) -> list[Imported]:
    """Download every official list (all, or those named in ``datasets``), then import them
    all at once. Raises UpdateError, or ListRefused from the store's checks, and then
    nothing has changed.

    ``base_url`` replaces every publisher's address (a mirror, or a test server), with the
    published file names appended to it.
    """
    unknown = set(datasets or []) - {o.dataset for o in OFFICIAL}
    if unknown:
        known = ", ".join(o.dataset for o in OFFICIAL)
        raise UpdateError(f"unknown list(s) {', '.join(sorted(unknown))}; choose from {known}")
    chosen = [o for o in OFFICIAL if datasets is None or o.dataset in datasets]
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        snapshots = [fetch(client, official, base_url, report) for official in chosen]
    return store.save_all(snapshots, allow_shrink, reason="lists update")


def fetch(
    client: httpx.Client, official: Official, base_url: str | None, report: Callable[[str], None]
) -> ListSnapshot:
    """Download one list's files and parse them; UpdateError names the list, URL and reason."""
    base = (base_url or official.base_url).rstrip("/")
    with tempfile.TemporaryDirectory(prefix="chipbridge-update-") as tmp:
        folder = Path(tmp)
        for published, local in official.files:
            url = f"{base}/{published}"
            report(f"downloading {url}")
            try:
                response = client.get(url)
            except httpx.HTTPError as exc:
                raise UpdateError(f"{official.dataset}: {url}: {exc}") from exc
            if response.status_code != 200:
                raise UpdateError(f"{official.dataset}: {url}: HTTP {response.status_code}")
            if not response.content.strip():
                raise UpdateError(f"{official.dataset}: {url}: the publisher sent an empty file")
            (folder / local).write_bytes(response.content)
        first = folder / official.files[0][1]
        try:
            snapshot = load(folder if official.format is Format.OFAC else first, official.format)
        except SourceError as exc:
            where = f", line {exc.line}" if exc.line else ""
            raise UpdateError(
                f"{official.dataset}: the file downloaded from {base} does not parse "
                f"({Path(exc.path).name}{where}: {exc.reason})"
            ) from exc
    if snapshot.dataset != official.dataset:
        raise UpdateError(f"{official.dataset}: {base} published {snapshot.dataset} files instead")
    snapshot.source = f"{base}/{official.files[0][0]}"
    return snapshot
