"""Cross-script screening: Chinese (and other scripts) against Latin list names.

    .venv/bin/python bench/cross_script.py

Three sets, none used to tune the engine:
1. bench/data/zh_queries.csv (ours): Chinese-script queries for the built-in list's Chinese
   parties and for unlisted companies; rank-1 rate for listed ones, flags for unlisted ones.
2. ../shared/data/pairs/watchman_cross_script_pairs.csv: 22 positive pairs in eight scripts.
3. The CJK rows of ../shared/data/pairs/watchman_cascade_name_pairs.csv (positives and
   negatives).
Sets 2 and 3 are screened with each expected name added as an entry to the built-in list
plus, when present, the reference lists (CSL + OFAC SDN) as distractors.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import DEFAULT_THRESHOLD, EntityType, Entry, Screener
from chipbridge.screening.sources import builtin, load
from common import LISTS, PAIRS

OWN = Path(__file__).resolve().parent / "data" / "zh_queries.csv"
HAN = re.compile(r"[\u3400-\u9fff]")


def top_ids(screener: Screener, query: str) -> tuple[list[str], float]:
    hits = screener.screen(query, threshold=0.0, limit=10)
    if not hits:
        return [], 0.0
    return [h.entry.id for h in hits if h.score == hits[0].score], hits[0].score


def main() -> None:
    entries = list(builtin.load().entries)
    distractors = [LISTS / "us_csl.csv", LISTS / "ofac_sdn"]
    if all(p.exists() for p in distractors):
        for path in distractors:
            entries.extend(load(path).entries)
    pairs: list[tuple[str, str, bool, str]] = []  # query, expected id, is_match, group
    cross = PAIRS / "watchman_cross_script_pairs.csv"
    if cross.exists():
        for n, row in enumerate(csv.reader(cross.open(encoding="utf-8"))):
            if row and not row[0].startswith("#") and len(row) >= 2:
                entries.append(Entry(f"xs-{n}", "pairs", "pairs", EntityType.UNKNOWN, row[1]))
                pairs.append((row[0], f"xs-{n}", True, "cross-script"))
    cascade = PAIRS / "watchman_cascade_name_pairs.csv"
    if cascade.exists():
        for n, row in enumerate(csv.DictReader(cascade.open(encoding="utf-8"))):
            if HAN.search(row["name1"] + row["name2"]):
                entries.append(Entry(f"cc-{n}", "pairs", "pairs", EntityType.COMPANY, row["name2"]))
                pairs.append((row["name1"], f"cc-{n}", row["is_match"] == "true", "cascade-cjk"))
    screener = Screener.from_entries(entries)
    print(f"screening against {len(screener):,} entries, threshold {DEFAULT_THRESHOLD}")

    rows = list(csv.DictReader(OWN.open(encoding="utf-8")))
    known = {e.id for e in entries}
    absent = [r for r in rows if r["expected"] and r["expected"] not in known]
    if absent:
        print(f"  {len(absent)} queries expect entries of lists not present here; skipped")
    listed = [r for r in rows if r["expected"] and r["expected"] in known]
    unlisted = [r for r in rows if not r["expected"]]
    found = 0
    for row in listed:
        ids, score = top_ids(screener, row["query"])
        ok = row["expected"] in ids and score >= DEFAULT_THRESHOLD
        found += ok
        if not ok:
            print(f"  missed: {row['query']} ({row['note']}) -> {ids[:2]} {score:.2f}")
    flagged = 0
    for row in unlisted:
        hits = screener.screen(row["query"])
        flagged += bool(hits)
        if hits:
            print(f"  flagged unlisted: {row['query']} -> {hits[0].entry.name} {hits[0].score:.2f}")
    print(
        f"own Chinese set: {found}/{len(listed)} listed found at rank 1 "
        f"({found / len(listed):.0%}); {flagged}/{len(unlisted)} unlisted flagged"
    )

    for group in ("cross-script", "cascade-cjk"):
        chosen = [p for p in pairs if p[3] == group]
        if not chosen:
            print(f"{group}: data not present, skipped")
            continue
        tp = fn = fp = tn = 0
        for query, expected, is_match, _ in chosen:
            ids, score = top_ids(screener, query)
            flagged_pair = expected in ids and score >= DEFAULT_THRESHOLD
            if is_match:
                tp += flagged_pair
                fn += not flagged_pair
                if not flagged_pair:
                    print(
                        f"  {group} missed: {query} -> expected {expected}, "
                        f"got {ids[:1]} {score:.2f}"
                    )
            else:
                fp += flagged_pair
                tn += not flagged_pair
        print(
            f"{group}: {tp}/{tp + fn} positives found at rank 1, {fp}/{fp + tn} negatives flagged"
        )


if __name__ == "__main__":
    main()
