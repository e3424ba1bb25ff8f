"""Error answers at the edge of the web layer: what the schema fuzzing found, pinned, and
what no rule of the group covers (a body too large, a refusal the audit log cannot take).
Every one is a 4xx or 503, in the API's one error shape except the body limit's 413 (plain
text, from Starlette, as the schema says), never a 500."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.web.app import MAX_BODY
from tests.webapp import Web, make_web, open_engine, use_cheap_passwords

JSON = {"content-type": "application/json"}
DOCUMENT = {
    "title": "Statement",
    "source_url": "https://example.org/s",
    "published_on": "2021-03-11",
}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture
def web(tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    return make_web(open_engine("sqlite", tmp_path, busy_timeout=0.2), screener)


def problem(answer: object, status: int) -> str:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    return str(body["error"])


def test_a_source_url_urllib_cannot_parse_is_refused(web: Web) -> None:
    for url in ("http://[", "https://a]b/c"):
        answer = web.as_("secretariat").post(
            "/api/v1/documents", json={**DOCUMENT, "source_url": url}
        )
        assert "not a valid address" in problem(answer, 400)


def test_framework_errors_have_the_api_shape(web: Web) -> None:
    secretariat = web.as_("secretariat")
    garbled = secretariat.post("/api/v1/meetings/1/agenda", content=b"\xff\xfe{", headers=JSON)
    problem(garbled, 400)
    problem(secretariat.get("/api/v1/no-such-thing"), 404)
    problem(secretariat.put("/api/v1/companies"), 405)
    page = secretariat.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_a_body_over_the_limit_is_413_before_it_is_read(web: Web) -> None:
    big = b'{"title": "' + b"x" * MAX_BODY + b'"}'
    refused = web.as_("secretariat").post("/api/v1/documents", content=big, headers=JSON)
    assert refused.status_code == 413 and refused.text == "Content Too Large"
    text = "y" * 200_000  # the largest document text fits
    answer = web.as_("secretariat").post("/api/v1/documents", json={**DOCUMENT, "text": text})
    assert answer.status_code == 201, answer.text


def test_dates_are_days_not_numbers(web: Web) -> None:
    reviewer = web.as_("reviewer")
    for value in ("0", "0.0", "1700000000", "2021-3-1"):
        problem(reviewer.get(f"/api/v1/audit?until={value}"), 422)
    assert reviewer.get("/api/v1/audit?until=2099-01-01").status_code == 200
    late = {**DOCUMENT, "published_on": 1615420800}
    problem(web.as_("secretariat").post("/api/v1/documents", json=late), 422)


def test_audit_times_say_they_are_utc(web: Web) -> None:
    entry = web.as_("reviewer").get("/api/v1/audit?limit=1").json()["entries"][0]
    assert entry["at"].endswith("Z"), entry["at"]


def test_a_refusal_the_audit_log_cannot_record_is_503(web: Web, tmp_path: Path) -> None:
    """A refused request is written to the audit log; when the database is locked, the
    answer says so (503) instead of failing with a 500 inside the error handler."""
    blocker = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        answer = web.as_("observer").post("/api/v1/companies", json={"name": "X", "country": "US"})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "busy" in problem(answer, 503)
    assert answer.headers["retry-after"]
    refused = web.as_("observer").post("/api/v1/companies", json={"name": "X", "country": "US"})
    problem(refused, 403)


def test_an_error_page_is_titled_an_error_in_both_languages(web: Web) -> None:
    browser = web.browser("secretariat")
    page = browser.get("/companies/99999")
    assert page.status_code == 404
    assert (
        "<title>chipbridge — Error 404</title>" in page.text
        and "Dashboard</title>" not in page.text
    )
    page = browser.get("/companies/99999?lang=zh")
    assert "<title>chipbridge — 错误 404</title>" in page.text and "<h1>错误 404</h1>" in page.text
