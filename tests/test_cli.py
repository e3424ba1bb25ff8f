"""The command line, end to end, against a private CHIPBRIDGE_HOME."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipbridge.batch.screen_file import OUTPUT_COLUMNS
from chipbridge.cli import app

from .conftest import FIXTURES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_screen_builtin_chinese_name(home: Path) -> None:
    code, out, _ = run("screen", "中芯国际", "--json")
    assert code == 0
    data = json.loads(out)
    top = data["hits"][0]
    assert top["listed_name"] == "Semiconductor Manufacturing International Corporation"
    assert top["citation"] == "85 FR 83416 (December 22, 2020)"
    assert "中芯国际" in top["reason"]


def test_screen_table_output(home: Path) -> None:
    code, out, _ = run("screen", "Huawei Technologies")
    assert code == 0
    assert "84 FR 22961" in out


def test_screen_bad_input(home: Path) -> None:
    code, _, err = run("screen", "   ")
    assert code == 2 and "no letters or digits to screen" in err
    code, _, err = run("screen", "\u200b\u200b")
    assert code == 2 and "no letters or digits to screen" in err
    code, _, err = run("screen", "Huawei", "--country", "China")
    assert code == 2 and "two-letter ISO code" in err
    code, _, _ = run("screen", "Huawei", "--limit", "0")
    assert code != 0


def test_lists_import_show_and_screen(home: Path) -> None:
    code, out, _ = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 0
    assert "imported 3 entries into us_csl" in out
    assert "skipped line 2: repeated header line" in out
    code, out, _ = run("lists", "show", "--json")
    shown = {i["dataset"]: i for i in json.loads(out)}
    assert shown["us_csl"]["entries"] == 3
    assert shown["us_csl"]["as_of"] == "2020-01-02"
    assert len(shown["us_csl"]["content_hash"]) == 64
    assert shown["chipbridge_builtin"]["imported_at"] is None
    code, out, _ = run("screen", "Northstar Micro Electronics", "--json")
    assert json.loads(out)["hits"][0]["entry_id"] == "el-1"


def test_failed_import_leaves_previous_state(home: Path, tmp_path: Path) -> None:
    assert run("lists", "import", str(FIXTURES / "csl_defects.csv"))[0] == 0
    before = (home / "lists" / "manifest.json").read_bytes()
    files = sorted(p.name for p in (home / "lists").iterdir())
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name,source\nJos\xe9,DPL\n".encode("latin-1"))
    code, _, err = run("lists", "import", str(bad), "--format", "csl")
    assert code == 2
    assert "line 2: not valid UTF-8" in err
    assert (home / "lists" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in (home / "lists").iterdir()) == files


def test_import_missing_file(home: Path, tmp_path: Path) -> None:
    code, _, err = run("lists", "import", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in err
    assert not (home / "lists" / "manifest.json").exists()


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_screen_file(home: Path, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [
            ["id", "name"],
            ["a1", "中芯国际"],
            ["a2", "Intel Corporation"],
            ["a3", "Huawei Technologies Co Ltd"],
        ],
    )
    out = tmp_path / "hits.csv"
    code, stdout, _ = run("screen-file", str(source), "--out", str(out), "--id-column", "id")
    assert code == 0, stdout
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert {r["row_id"] for r in body} == {"a1", "a3"}  # Intel has no hit, so no row
    smic = [r for r in body if r["row_id"] == "a1"]
    assert smic[0]["rank"] == "1" and smic[0]["entry_id"] == "CB-EL-SMIC"
    assert float(smic[0]["score"]) >= 0.84
    assert "screened 3 rows" in stdout


def test_screen_file_row_numbers_and_workers(home: Path, tmp_path: Path) -> None:
    rows = [["name"]] + [["SMIC"] if i % 50 == 0 else [f"Unlisted Party {i}"] for i in range(2500)]
    source = write_csv(tmp_path / "in.csv", rows, encoding="utf-8")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("screen-file", str(source), "--out", str(one))[0] == 0
    assert run("screen-file", str(source), "--out", str(two), "--workers", "2")[0] == 0
    assert one.read_bytes() == two.read_bytes()
    ids = {r[0] for r in list(csv.reader(one.open(encoding="utf-8")))[1:]}
    assert ids == {str(i + 1) for i in range(0, 2500, 50)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        ("id,name\n1,Jos\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"id,party\n1,Acme\n", "no column 'name'"),
    ],
)
def test_screen_file_bad_input_writes_nothing(
    home: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    out = tmp_path / "hits.csv"
    code, _, err = run("screen-file", str(source), "--out", str(out))
    assert code == 2
    assert message in err
    assert not out.exists()
    assert not list(tmp_path.glob(".hits.csv*")), "no temporary file is left behind"


def test_screen_file_missing_id_column(home: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["name"], ["SMIC"]])
    out = tmp_path / "hits.csv"
    code, _, err = run("screen-file", str(source), "--out", str(out), "--id-column", "ref")
    assert code == 2 and "no id column 'ref'" in err
    assert not out.exists()


@pytest.fixture
def list_server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server publishing fixture files under the official file names."""
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


def test_lists_update_from_local_server(home: Path, list_server: str) -> None:
    code, out, err = run(
        "lists",
        "update",
        "--base-url",
        list_server,
        "--list",
        "us_csl",
        "--list",
        "ofac_sdn",
        "--list",
        "un_sc",
    )
    assert code == 0, err
    assert "imported 3 entries into us_csl" in out
    assert "imported 4 entries into ofac_sdn" in out
    assert "imported 2 entries into un_sc" in out
    code, out, _ = run("screen", "National Bank of Cuba", "--json")
    assert json.loads(out)["hits"][0]["entry_id"] == "306"


def test_lists_update_failure_keeps_state(home: Path, list_server: str) -> None:
    code, _, err = run("lists", "update", "--base-url", list_server, "--list", "ofac_cons")
    assert code == 2
    assert "CONS_PRIM.CSV: HTTP 404" in err
    assert not (home / "lists" / "manifest.json").exists()
    code, _, err = run("lists", "update", "--list", "eu")
    assert code == 2 and "unknown list(s) eu" in err


def test_console_script_runs(home: Path) -> None:
    exe = Path(sys.executable).parent / "chipbridge"
    result = subprocess.run(
        [str(exe), "screen", "SMIC", "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hits"][0]["entry_id"].startswith("CB-")


def test_import_rescreens_the_working_group(home: Path, tmp_path: Path) -> None:
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.delegations import service as delegations
    from chipbridge.workgroup.reviews.service import current

    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        company = delegations.add_company(session, "test", "Northstar Microelectronics", "CN")
        company_id = company.id
    code, out, _ = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 0 and "re-screened 1 companies and participants" in out
    with transaction(session_factory(engine)) as session:
        record = current(session, "company", company_id)
        assert record is not None and record.status == "potential match"
        assert record.hits[0]["entry_id"] == "el-1"


def test_meetings_plan_command(home: Path) -> None:
    code, out, _ = run("meetings", "plan", "--count", "2")
    assert code == 0
    assert out.count("planned meeting on") == 2


def test_screen_file_truncated_row_writes_nothing(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,note,name\n1,x,SMIC\n2\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    code, _, err = run("screen-file", str(source), "--out", str(out))
    assert code == 2
    assert "line 3: row has 1 fields, expected 3" in err
    assert not out.exists()


def test_screen_file_writes_one_row_per_party(home: Path, tmp_path: Path) -> None:
    assert run("lists", "import", str(FIXTURES / "csl_repeats_sdn.csv"))[0] == 0
    assert run("lists", "import", str(FIXTURES / "ofac"))[0] == 0
    source = write_csv(tmp_path / "in.csv", [["id", "name"], ["b1", "Banco Nacional de Cuba"]])
    out = tmp_path / "hits.csv"
    assert run("screen-file", str(source), "--out", str(out), "--id-column", "id")[0] == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][-1] == "also_listed"
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert len(body) == 1, "the CSL row and the SDN row are one party, one output row"
    assert body[0]["entry_id"] == "306"
    assert body[0]["also_listed"] in ("ofac_sdn:306", "us_csl:306")
