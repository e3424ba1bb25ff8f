"""Accuracy on the screening development set, against CSL + OFAC SDN.

    .venv/bin/python bench/accuracy.py [--threshold T] [--show N]

A positive counts as found when the expected CSL entry is among the listings of the
top-scoring hits (ties share rank 1): a hit is one party with all its listings, so an SDN
party found through OFAC's own file carries its CSL row too. A negative counts as a false
positive when any hit reaches the threshold. Prints F1 and the false-positive rate at the
default threshold and at a sweep of thresholds, then per-variant misses.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import DEFAULT_THRESHOLD, Hit
from common import DEV_SET, reference_screener, require


def same_party(hit: Hit, expected_id: str) -> bool:
    """Whether the hit's party has the expected CSL listing among its listings."""
    return any(e.dataset == "us_csl" and e.id == expected_id for e in hit.listings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show", type=int, default=0, help="print up to N misses per variant")
    args = parser.parse_args()
    require(DEV_SET)
    screener = reference_screener()
    rows = list(csv.DictReader(DEV_SET.open(encoding="utf-8")))
    results: list[tuple[dict[str, str], list[Hit]]] = []
    for row in rows:
        hits = screener.screen(row["query"], threshold=0.0, limit=10)
        top = hits[0].score if hits else 0.0
        results.append((row, [h for h in hits if h.score == top]))

    def evaluate(threshold: float) -> tuple[float, float, Counter[str]]:
        tp = fp = fn = negatives = 0
        misses: Counter[str] = Counter()
        for row, tied in results:
            flagged = bool(tied) and tied[0].score >= threshold
            expected = row["expected_list_id"]
            if not expected:
                negatives += 1
                if flagged:
                    fp += 1
                    misses[row["variant"]] += 1
                continue
            if flagged and any(same_party(h, expected) for h in tied):
                tp += 1
            else:
                fn += 1
                misses[row["variant"]] += 1
                if flagged:
                    fp += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        fpr = sum(
            1 for r, t in results if not r["expected_list_id"] and t and t[0].score >= threshold
        )
        return f1, fpr / max(negatives, 1), misses

    f1, fpr, misses = evaluate(args.threshold)
    print(f"dev set: {len(rows)} queries")
    print(f"threshold {args.threshold:.2f}: F1 {f1:.4f}, false-positive rate {fpr:.2%}")
    for t in [x / 100 for x in range(70, 96)]:
        f, r, _ = evaluate(t)
        print(f"  threshold {t:.2f}: F1 {f:.4f}, FPR {r:.2%}")
    print("misses by variant:", dict(misses))
    if args.show:
        shown: Counter[str] = Counter()
        for row, tied in results:
            expected = row["expected_list_id"]
            flagged = bool(tied) and tied[0].score >= args.threshold
            ok = (not expected and not flagged) or (
                expected and flagged and any(same_party(h, expected) for h in tied)
            )
            if ok or shown[row["variant"]] >= args.show:
                continue
            shown[row["variant"]] += 1
            top = tied[0] if tied else None
            print(
                f"[{row['variant']}] {row['query']!r} ->",
                f"{top.score:.3f} {top.matched_name!r} | {top.reason}" if top else "no hit",
            )


if __name__ == "__main__":
    main()
