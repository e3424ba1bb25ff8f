"""Evasion by qualifying: listed Chinese firms named as a branch in a city, or as an arm abroad.

    .venv/bin/python bench/evasion.py [--sample 300] [--show 10]

Appending "Shenzhen Branch" to a listed name, or naming the firm's arm in another country,
is the cheapest way past a screen. For a fixed sample (seed 3) of the CSL and OFAC SDN
companies listed in China, this screens two variants of each name against those lists and
counts how often the listed party is the top hit at the default threshold:

- city: the listed name as written, plus a Chinese city and "Branch"
  ("CNOOC Limited Xi'an Branch");
- abroad: the name without its legal form, plus a country, a region or Hong Kong and a
  foreign legal form ("Huawei Technologies Deutschland GmbH", "... Europe B.V.").

A hit on another listing of the same party (the CSL republishes SDN entries) counts as found.

Then the same in Chinese, on the listed companies of the Chinese query set's tuning half
(bench/data/zh_tuning.csv; never the held-out half): each name as written, with 深圳分公司
(Shenzhen branch), 美国分公司 (US branch) or 北京研发中心 (Beijing R&D centre) appended, with
its legal form replaced by （德国）有限公司 (the German arm) or （香港）有限公司 (the Hong Kong
company), and with its characters spaced apart; found when an expected entry is the top hit.

The variants were written while fixing what they showed (stops 20 and 22), so these are
tuning figures, not held-out ones.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipbridge.screening import EntityType
from common import reference_screener

CITIES = ["Shanghai", "Shenzhen", "Beijing", "Guangzhou", "Chengdu", "Wuhan", "Hangzhou"]
CITIES += ["Xi'an", "Tianjin", "Nanjing"]
ABROAD = ["Deutschland GmbH", "Italia S.r.l.", "(Hong Kong) Limited", "USA Inc.", "Japan K.K."]
ABROAD += ["Europe B.V.", "(Singapore) Pte. Ltd."]
LEGAL = (", Ltd.", " Co.", " Ltd.", " Limited", " Corporation", " Company")
TUNING = Path(__file__).resolve().parent / "data" / "zh_tuning.csv"
HAN_LEGAL = re.compile(r"(股份)?有限(责任)?公司$")
CHINESE: dict[str, Callable[[str], str]] = {
    "as written": lambda name: name,
    "深圳分公司": lambda name: name + "深圳分公司",
    "美国分公司": lambda name: name + "美国分公司",
    "北京研发中心": lambda name: name + "北京研发中心",
    "（德国）有限公司": lambda name: HAN_LEGAL.sub("", name) + "（德国）有限公司",
    "（香港）有限公司": lambda name: HAN_LEGAL.sub("", name) + "（香港）有限公司",
    "spaced apart": " ".join,
}


def bare(name: str) -> str:
    """The name without its legal form, as an arm's name drops it for its own."""
    name = name.split(",")[0]
    for form in LEGAL:
        name = name.removesuffix(form)
    return name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--show", type=int, default=0, help="misses to print per variant")
    args = parser.parse_args()
    screener = reference_screener()
    index = screener.index
    rng = random.Random(3)
    firms = [
        entry
        for entry in (index.entry(i) for i in range(len(index)))
        if entry.type is EntityType.COMPANY and "CN" in entry.countries
    ]
    rng.shuffle(firms)
    found = {"city": 0, "abroad": 0}
    missed: dict[str, list[str]] = {"city": [], "abroad": []}
    for entry in firms[: args.sample]:
        variants = {
            "city": f"{entry.name} {rng.choice(CITIES)} Branch",
            "abroad": f"{bare(entry.name)} {rng.choice(ABROAD)}",
        }
        for kind, query in variants.items():
            hits = screener.screen(query)
            same = hits and (
                hits[0].entry.id == entry.id
                or any(f"{entry.dataset}:{entry.id}" == also for also in hits[0].also_listed)
                or hits[0].entry.name.lower() == entry.name.lower()
            )
            if same:
                found[kind] += 1
            else:
                top = f"{hits[0].score:.2f} {hits[0].entry.name}" if hits else "no hit"
                missed[kind].append(f"{query!r} -> {top}")
    count = min(args.sample, len(firms))
    print(f"{len(firms)} listed Chinese companies; sample of {count} (seed 3)")
    for kind in found:
        print(f"  {kind:<7} found {found[kind]}/{count} ({found[kind] / count:.1%})")
        for line in missed[kind][: args.show]:
            print(f"    {line}")
    with TUNING.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["expected"] and r["kind"] == "company"]
    print(f"Chinese: the tuning half's {len(rows)} listed companies")
    for kind, variant in CHINESE.items():
        hits_found = 0
        lost: list[str] = []
        for row in rows:
            expected = set(row["expected"].split("|"))
            query = variant(row["query"])
            hits = screener.screen(query)
            top = hits[0] if hits else None
            if top is not None and (
                f"{top.entry.dataset}:{top.entry.id}" in expected
                or not expected.isdisjoint(top.also_listed)
            ):
                hits_found += 1
            else:
                lost.append(
                    f"{query} -> {f'{top.score:.2f} {top.entry.name}' if top else 'no hit'}"
                )
        print(f"  {kind} found {hits_found}/{len(rows)} ({hits_found / len(rows):.1%})")
        for line in lost[: args.show]:
            print(f"    {line}")


if __name__ == "__main__":
    main()
