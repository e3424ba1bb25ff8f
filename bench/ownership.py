"""Ownership: what applying the rules and checking an import cost on a large graph.

Builds a random ownership forest-with-joint-ventures (N parties, each owned by one to three
others of lower number, so it is acyclic; 1% of parties listed on the Entity List, 1% on the
SDN list) and prints the time to apply both rules on one day (graph, fixpoint, chains and
look-through shares of every finding), to run the import checks (cycles, over-100%,
repeated links), and to import a CSV of the same links through the CLI path (parse,
resolve, check, store) with the reference of an empty list store. Single process.
"""

from __future__ import annotations

import csv
import math
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TypeVar

from chipbridge.ownership.graph import (
    Graph,
    Link,
    Listing,
    Party,
    evaluate,
    find_cycle,
    over_owned,
    overlapping,
)
from chipbridge.ownership.rules import parse
from chipbridge.ownership.service import import_file
from chipbridge.store.lists import ListStore

T = TypeVar("T")

SIZES = (10_000, 100_000)
EL = Listing("us_csl", "el", "Entity List (EL) - Bureau of Industry and Security")
SDN = Listing("ofac_sdn", "sdn", "Specially Designated Nationals (SDN) - Treasury Department")
RULES = parse(
    resources.files("chipbridge").joinpath("data/ownership_rules.yml").read_text("utf-8"),
    "shipped",
)


def build(n: int, rng: random.Random) -> tuple[dict[str, Party], list[Link]]:
    parties: dict[str, Party] = {}
    links: list[Link] = []
    for i in range(n):
        roll = rng.random()
        listings = (EL,) if roll < 0.01 else (SDN,) if roll < 0.02 else ()
        parties[f"p{i}"] = Party(f"p{i}", f"Party {i}", listings)
        if i < 10:
            continue
        owners = rng.sample(range(max(0, i - 500), i), rng.choice((1, 1, 2, 3)))
        shares = [rng.choice((100, 60, 51, 50, 40, 25, 10)) for _ in owners]
        scale = min(1.0, 100 / sum(shares))
        for owner, share in zip(owners, shares, strict=True):
            share = math.floor(share * scale * 100) / 100  # never over 100% in total
            links.append(Link(f"p{owner}", f"p{i}", share, where=f"line {i}"))
    return parties, links


def timed(what: str, run: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = run()
    print(f"  {what}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    rng = random.Random(7)
    day = date(2026, 12, 1)
    for n in SIZES:
        parties, links = build(n, rng)
        print(f"{n:,} parties, {len(links):,} links:")
        result = timed(
            "apply both rules (graph, fixpoint, chains, look-through)",
            lambda p=parties, li=links: evaluate(Graph(p, li, day), RULES.applying(day)),
        )
        print(f"    caught: {len(result.findings):,} findings")
        timed(
            "import checks (cycles, over 100%, repeats)",
            lambda li=links: (find_cycle(li), over_owned(li), overlapping(li)),
        )
    with tempfile.TemporaryDirectory() as tmp:
        n = SIZES[0]
        parties, links = build(n, rng)
        path = Path(tmp) / "links.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(
                [
                    "owner_name",
                    "owner_id",
                    "owned_name",
                    "owned_id",
                    "percent",
                    "start_date",
                    "end_date",
                ]
            )
            for link in links:
                out.writerow(
                    [
                        parties[link.owner].name,
                        link.owner,
                        parties[link.owned].name,
                        link.owned,
                        link.percent,
                        "",
                        "",
                    ]
                )
        store = ListStore(Path(tmp) / "home")
        print(f"import of a {len(links):,}-link CSV (own ids) into an empty store:")
        timed("parse, resolve, check, store", lambda: import_file(store, path, None, "main"))
        timed("first screener build with the derived entries", lambda: store.screener())


if __name__ == "__main__":
    main()
