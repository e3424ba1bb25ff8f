"""Shared fixtures: a private CHIPBRIDGE_HOME per test and paths to the format fixtures."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipbridge.screening import AliasKind, EntityType, Entry, Screener
from chipbridge.screening.model import Alias

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("CHIPBRIDGE_HOME", str(path))
    return path


def _entry(
    kind: EntityType, id: str, name: str, aliases: tuple[str, ...], countries: tuple[str, ...]
) -> Entry:
    return Entry(
        id=id,
        dataset="test",
        list_name="Test List",
        type=kind,
        name=name,
        aliases=tuple(Alias(a, AliasKind.STRONG) for a in aliases),
        countries=countries,
        citation=f"citation {id}",
    )


def company(id: str, name: str, *aliases: str, countries: tuple[str, ...] = ()) -> Entry:
    return _entry(EntityType.COMPANY, id, name, aliases, countries)


def person(id: str, name: str, *aliases: str, countries: tuple[str, ...] = ()) -> Entry:
    return _entry(EntityType.PERSON, id, name, aliases, countries)


# A small list with the shapes that matter: rare and common words, persons in both orders,
# legal forms, and many near-neighbours so that IDF has something to weigh.
ENTRIES = [
    company(
        "smic", "Semiconductor Manufacturing International Corporation", "SMIC", countries=("CN",)
    ),
    company("onsemi", "ON Semiconductor Corporation", countries=("US",)),
    company("huawei", "Huawei Technologies Co., Ltd.", countries=("CN",)),
    company("bnc", "Banco Nacional de Cuba", "National Bank of Cuba", countries=("CU",)),
    company("sgm", "Siemens Gamesa Maritime GmbH", countries=("DE",)),
    company("agsa", "Multiservicios Agsa, S.A. de C.V.", countries=("MX",)),
    company("romashka", "OOO Romashka", countries=("RU",)),
    company("intl-trading", "International Trading Corporation Limited"),
    company("gt", "Global Trading Company Limited"),
    company("ct", "China Trading Co., Ltd."),
    company("tt", "Tianjin Trading Corporation"),
    person("muhammad", "AL-RASHID, Muhammad Abdullah", countries=("SY",)),
    person("sergey", "IVANOV, Sergey Petrovich", countries=("RU",)),
    person("garcia", "GARCIA LOPEZ, Maria Elena", countries=("CO",)),
    person("kim", "KIM Jong Un", countries=("KP",)),
    person("zhou", "ZHOU Wenbin", countries=("CN",)),
]


@pytest.fixture
def list_server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server publishing the fixture lists under the official file names, from
    ``tmp_path / "www"`` (a test may replace them there)."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(FIXTURES / "csl_defects.csv", root / "consolidated.csv")
    for name in ("sdn", "alt", "add", "sdn_comments"):
        shutil.copy(FIXTURES / "ofac" / f"{name}.csv", root / f"{name.upper()}.CSV")
    shutil.copy(FIXTURES / "un_small.xml", root / "consolidated.xml")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.from_entries(ENTRIES)


# --- CI that means it ---------------------------------------------------------------------
# Under CI=true a skipped test is a failure: chromium, PostgreSQL and Java are components CI
# installs (.ci/run), so a test that skips for want of one would let CI go green untested.
# The one exception is ../shared, data we may read but never ship, which no install provides.
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
ALLOWED_IN_CI = ("../shared",)


def _forbidden_skip(report: pytest.CollectReport | pytest.TestReport) -> str | None:
    """The reason of a skip that CI must not accept, or None."""
    if not CI or not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return None if any(allowed in reason for allowed in ALLOWED_IN_CI) else reason


def _fail_instead(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = _forbidden_skip(report)
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = f"CI=true and this test would be skipped: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield  # type: ignore[misc]
    _fail_instead(report)
    return report  # type: ignore[return-value]


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    report: pytest.CollectReport = yield  # type: ignore[misc]
    _fail_instead(report)
    return report  # type: ignore[return-value]
