"""Latin-script generality: recall and false positives on bench/latin_queries.py's set.

    .venv/bin/python bench/latin.py [--split tuning|heldout|both] [--threshold T] [--show N]

Screens the generated queries against CSL + OFAC SDN at the threshold, as a user's screen
runs (the candidate index prunes by it). A positive is found when its party is the rank-1
hit (hits tied at the top score share rank 1); a negative is a false positive when any hit
reaches the threshold. Tuning and held-out figures
are printed apart; misses are shown for the tuning split only, so that nothing is ever
written for a held-out row.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import DEFAULT_THRESHOLD, Hit, Screener
from common import reference_screener
from latin_queries import Query, generate, party_key


def parties(hit: Hit) -> set[str]:
    """The party keys of every listing a hit carries."""
    listings = getattr(hit, "listings", None) or (hit.entry,)
    return {party_key(e) for e in listings}


def evaluate(
    screener: Screener, rows: list[Query], threshold: float
) -> tuple[dict[str, tuple[int, int]], list[tuple[Query, list[Hit]]]]:
    """Per variant (found or flagged, total), and the rows that went wrong with their hits."""
    per: dict[str, list[int]] = {}
    wrong: list[tuple[Query, list[Hit]]] = []
    for row in rows:
        # Screened as a user would be, at the threshold: the index prunes by it.
        hits = screener.screen(row.query, threshold=threshold, limit=10)
        top = [h for h in hits if hits and h.score == hits[0].score]
        flagged = bool(top)
        if row.expected:
            ok = flagged and any(row.expected in parties(h) for h in top)
            good = ok
        else:
            ok = flagged  # counted: a false positive
            good = not flagged
        counts = per.setdefault(row.variant, [0, 0])
        counts[0] += ok
        counts[1] += 1
        if not good:
            # A miss is shown with its best near misses.
            wrong.append((row, screener.screen(row.query, threshold=0.0, limit=2)))
    return {k: (v[0], v[1]) for k, v in per.items()}, wrong


def report(name: str, per: dict[str, tuple[int, int]]) -> None:
    pos = [(v, c) for v, c in per.items() if not _negative(v)]
    neg = [(v, c) for v, c in per.items() if _negative(v)]
    found = sum(c[0] for _, c in pos)
    total = sum(c[1] for _, c in pos)
    flagged = sum(c[0] for _, c in neg)
    negatives = sum(c[1] for _, c in neg)
    print(
        f"{name}: recall {found / max(total, 1):.4f} ({found}/{total}), "
        f"false-positive rate {flagged / max(negatives, 1):.2%} ({flagged}/{negatives})"
    )
    for variant, (ok, n) in sorted(per.items()):
        label = "flagged" if _negative(variant) else "found"
        print(f"  {variant:22} {label} {ok:4}/{n:<4} ({ok / max(n, 1):.1%})")


def _negative(variant: str) -> bool:
    return variant in ("made_up_company", "made_up_person", "near_miss")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["tuning", "heldout", "both"], default="both")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show", type=int, default=0, help="misses per variant (tuning only)")
    args = parser.parse_args()
    rows = generate()
    screener = reference_screener()
    splits = ["tuning", "heldout"] if args.split == "both" else [args.split]
    for split in splits:
        chosen = [r for r in rows if r.split == split]
        per, wrong = evaluate(screener, chosen, args.threshold)
        report(f"{split} (threshold {args.threshold:.2f})", per)
        if args.show and split == "tuning":
            shown: Counter[str] = Counter()
            for row, hits in wrong:
                if shown[row.variant] >= args.show:
                    continue
                shown[row.variant] += 1
                top = hits[0] if hits else None
                print(
                    f"  [{row.variant}] {row.query!r} (expected {row.expected or '-'}) ->",
                    f"{top.score:.3f} {party_key(top.entry)} {top.entry.name!r} | {top.reason}"
                    if top
                    else "no hit",
                )


if __name__ == "__main__":
    main()
