"""The loaders and the screener on the real list snapshots in ../shared/data (skipped if absent)."""

from __future__ import annotations

import csv

import pytest

from chipbridge.screening import Screener
from chipbridge.screening.sources import load

from .conftest import SHARED

LISTS = SHARED / "data" / "lists"
pytestmark = pytest.mark.skipif(not LISTS.exists(), reason="../shared/data is not present")


@pytest.fixture(scope="module")
def real_screener() -> Screener:
    return Screener.from_snapshots([load(LISTS / "us_csl.csv"), load(LISTS / "ofac_sdn")])


def test_real_csl_defects_are_reported() -> None:
    snapshot = load(LISTS / "us_csl.csv")
    assert len(snapshot.entries) == 4219  # 4,226 complete records, 4,219 distinct ids
    reasons = [s.reason for s in snapshot.skipped]
    assert reasons[0] == "repeated header line"
    assert "truncated record" in reasons[-1]
    assert len(reasons) == 2


def test_real_ofac_and_un_counts() -> None:
    sdn = load(LISTS / "ofac_sdn")
    assert len(sdn.entries) == 8976
    assert sum(len(e.aliases) for e in sdn.entries) >= 11910  # every alt.csv row, plus weak akas
    un = load(LISTS / "un_consolidated.xml")
    assert len(un.entries) == 1003
    cons = load(LISTS / "ofac_cons")
    smic = next(e for e in cons.entries if e.id == "30951")
    assert smic.name == "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"


def test_dev_set_sample(real_screener: Screener) -> None:
    dev = SHARED / "bench" / "screening_dev.csv"
    if not dev.exists():
        pytest.skip("../shared/bench is not present")
    rows = list(csv.DictReader(dev.open(encoding="utf-8")))
    positives = [r for r in rows if r["expected_list_id"]][:200]
    found = 0
    for row in positives:
        hits = real_screener.screen(row["query"])
        found += any(h.entry.id == row["expected_list_id"] for h in hits)
    assert found / len(positives) > 0.9
    negatives = [r for r in rows if not r["expected_list_id"]][:200]
    flagged = sum(bool(real_screener.screen(r["query"])) for r in negatives)
    assert flagged / len(negatives) < 0.05
