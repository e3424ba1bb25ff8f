"""The command line, end to end, against a private CHIPBRIDGE_HOME."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
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
    for country in ("China", "XX", "ZZ", "zz"):
        code, _, err = run("screen", "Huawei", "--country", country)
        assert code == 2 and f"--country: {country!r} is not an ISO 3166-1 alpha-2" in err
    code, out, _ = run("screen", "Huawei Tech", "--country", "cn", "--json")
    assert code == 0 and "country CN matches" in json.loads(out)["hits"][0]["reason"]
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


def state() -> tuple[str, str]:
    """What the list store shows: the active lists and every version."""
    show = run("lists", "show", "--json")
    history = run("lists", "history", "--json")
    assert show[0] == 0 and history[0] == 0
    return show[1], history[1]


def test_failed_import_leaves_previous_state(home: Path, tmp_path: Path) -> None:
    assert run("lists", "import", str(FIXTURES / "csl_defects.csv"))[0] == 0
    before = state()
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name,source\nJos\xe9,DPL\n".encode("latin-1"))
    code, _, err = run("lists", "import", str(bad), "--format", "csl")
    assert code == 2
    assert "line 2: not valid UTF-8" in err
    assert state() == before


def test_import_missing_file(home: Path, tmp_path: Path) -> None:
    code, _, err = run("lists", "import", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in err
    assert json.loads(run("lists", "history", "--json")[1]) == []


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


def test_lists_update_every_keeps_running_and_logs_each_round(
    home: Path, list_server: str, tmp_path: Path
) -> None:
    code, out, err = run(
        "lists", "update", "--base-url", list_server, "--list", "us_csl", "--every", "1s",
        "--runs", "3",
    )  # fmt: skip
    assert code == 0, err
    rounds = [line for line in out.splitlines() if "lists update: starting" in line]
    assert len(rounds) == 3 and all(line[:4].isdigit() and "Z lists" in line for line in rounds)
    assert out.count("imported 3 entries into us_csl") == 1
    assert out.count("same content as the active version 1") == 2
    assert out.count("next round at") == 2
    # A failing round is logged and the loop goes on; nothing changes.
    (tmp_path / "www" / "consolidated.csv").write_text("not, a, list\n")
    code, out, err = run(
        "lists", "update", "--base-url", list_server, "--list", "us_csl", "--every", "1s",
        "--runs", "2",
    )  # fmt: skip
    assert code == 0 and out.count("FAILED (exit 2)") == 2 and "no list was changed" in err
    code, _, err = run("lists", "update", "--every", "soon")
    assert code == 2 and "--every: 'soon' is not a duration" in err


def test_lists_update_failure_keeps_state(home: Path, list_server: str, tmp_path: Path) -> None:
    code, _, err = run("lists", "update", "--base-url", list_server, "--list", "ofac_cons")
    assert code == 2
    assert "ofac_cons: " in err and "CONS_PRIM.CSV: HTTP 404" in err
    assert json.loads(run("lists", "history", "--json")[1]) == []
    code, _, err = run("lists", "update", "--list", "eu")
    assert code == 2 and "unknown list(s) eu" in err
    (tmp_path / "www" / "consolidated.csv").write_bytes(b"")  # a publisher's outage page, cut
    code, _, err = run("lists", "update", "--base-url", list_server, "--list", "us_csl")
    assert code == 2 and "consolidated.csv: the publisher sent an empty file" in err
    assert json.loads(run("lists", "history", "--json")[1]) == []


def test_console_script_runs(home: Path) -> None:
    exe = Path(sys.executable).parent / "chipbridge"
    result = subprocess.run(
        [str(exe), "screen", "SMIC", "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hits"][0]["entry_id"].startswith("CB-")


def test_import_rescreens_the_working_group(home: Path, tmp_path: Path) -> None:
    from chipbridge.accounts.permissions import Actor
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.delegations import service as delegations
    from chipbridge.workgroup.reviews.service import current

    engine = make_engine()
    migrate(engine)
    system = Actor.system("test")
    with transaction(session_factory(engine)) as session:
        company = delegations.add_company(session, system, "Northstar Microelectronics", "CN")
        company_id = company.id
    code, out, _ = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 0 and "full re-screen (the first re-screen): screened 1 of 1" in out
    with transaction(session_factory(engine)) as session:
        record = current(session, system, "company", company_id)
        assert record is not None and record.status == "potential match"
        assert record.hits[0]["entry_id"] == "el-1"
        assert record.lists_used == {"chipbridge_builtin": 1, "us_csl": 1}


def test_meetings_plan_command(home: Path) -> None:
    code, out, _ = run("meetings", "plan", "--count", "2")
    assert code == 0
    assert out.count("planned meeting ") == 2


def test_screen_file_truncated_row_writes_nothing(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,note,name\n1,x,SMIC\n2\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    code, _, err = run("screen-file", str(source), "--out", str(out))
    assert code == 2
    assert "line 3: row has 1 fields, expected 3" in err
    assert not out.exists()


# --- issue 11: bad input, all-or-nothing updates, re-screen failures -----------------------


def write_csl(path: Path, rows: list[tuple[str, str]]) -> Path:
    """A CSL CSV with (id, name) rows on the Entity List."""
    return write_csv(
        path,
        [["_id", "source", "name", "start_date"]]
        + [
            [i, "Entity List (EL) - Bureau of Industry and Security", n, "2024-05-06"]
            for i, n in rows
        ],
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "name", ["Nobody [/bold] Ltd", "[bold]Acme[/]", "Evil \\[red] [link=http://x]Corp"]
)
def test_screen_prints_names_literally(home: Path, name: str) -> None:
    code, out, err = run("screen", name)
    assert code == 0, err
    assert name in out


def test_listed_names_with_markup_print_literally(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one table row per hit
    listed = "Evil [/red] Corp [bold]Holdings[/bold]"
    source = write_csl(tmp_path / "csl.csv", [("m-1", listed)])
    assert run("lists", "import", str(source))[0] == 0
    code, out, err = run("screen", listed)
    assert code == 0, err
    assert f"Hits for {listed}" in out
    assert f"│ {listed}" in out


def test_import_csl_json_with_bad_records(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    records = [
        {"id": "j-1", "name": "  ", "source": "EL"},
        {"id": "j-2", "name": "Aliased Trading Co", "source": "EL", "alt_names": 5},
        {"id": "j-3", "name": "Good Trading Co", "source": "EL", "alt_names": ["GTC"]},
    ]
    path.write_text(json.dumps({"results": records}), encoding="utf-8")
    code, out, err = run("lists", "import", str(path))
    assert code == 0, err
    assert "imported 2 entries into us_csl" in out
    assert "skipped line 1: record 1: no name" in out
    path.write_text(json.dumps({"results": [{"name": "X", "alt_names": {"a": 1}}]}))
    code, _, err = run("lists", "import", str(path))
    assert code == 2
    assert "no usable records; the first problem, record 1: alt_names is an object" in err


def test_import_csv_cell_over_128k(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "csl.csv"
    path.write_text('name,source\nAcme,DPL\n"' + "x" * 200_000 + "\n", encoding="utf-8")
    code, _, err = run("lists", "import", str(path))
    assert code == 2
    assert "line 3: unreadable CSV: a field is longer than 131,072 characters" in err


def test_shrinking_list_is_refused_unless_allowed(home: Path, tmp_path: Path) -> None:
    assert run("lists", "import", str(FIXTURES / "csl_defects.csv"))[0] == 0
    before = state()
    one = write_csl(tmp_path / "one.csv", [("el-1", "Northstar Microelectronics Co., Ltd.")])
    code, _, err = run("lists", "import", str(one))
    assert code == 2
    assert "us_csl: the new file has 1 entries, 67% fewer than the 3 of active version 1" in err
    assert "--allow-shrink" in err
    assert state() == before
    code, out, _ = run("lists", "import", str(one), "--max-shrink", "0.7")
    assert code == 0 and "as version 2" in out
    code, out, _ = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 0 and "as version 3" in out
    code, out, _ = run("lists", "import", str(one), "--allow-shrink")
    assert code == 0 and "as version 4: 0 added, 1 changed, 2 removed" in out


def test_ofac_folder_with_hundreds_of_skipped_rows_fails(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    shutil.copytree(FIXTURES / "ofac", folder)
    broken = b"".join(b'%d,"-0-"\r\n' % (9000 + i) for i in range(300))
    (folder / "alt.csv").write_bytes((folder / "alt.csv").read_bytes() + broken)
    code, _, err = run("lists", "import", str(folder))
    assert code == 2
    assert "ofac_sdn: 300 of 304 records could not be read" in err
    assert "alt.csv: 2 fields, expected 5" in err
    assert json.loads(run("lists", "history", "--json")[1]) == []


def test_update_is_all_or_nothing(home: Path, list_server: str) -> None:
    code, out, _ = run("lists", "update", "--base-url", list_server, "--list", "us_csl")
    assert code == 0 and "as version 1" in out
    before = state()
    # A broken UN file: the CSL and OFAC files download and parse, but nothing is swapped in.
    www = home.parent / "www"
    (www / "consolidated.xml").write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n")
    (www / "consolidated.csv").write_bytes(
        (www / "consolidated.csv").read_bytes().replace(b"Northstar Micro;", b"NSM Two;")
    )
    code, _, err = run(
        "lists", "update", "--base-url", list_server,
        "--list", "us_csl", "--list", "ofac_sdn", "--list", "un_sc",
    )  # fmt: skip
    assert code == 2
    assert (
        "un_sc: the file downloaded from" in err and "consolidated.xml, line 3: invalid XML" in err
    )
    assert "no list was changed" in err
    assert state() == before
    # A download that lost most of its rows is refused the same way.
    (www / "consolidated.xml").write_bytes((FIXTURES / "un_small.xml").read_bytes())
    (www / "consolidated.csv").write_text("name,source\nOne Left Ltd,DPL\n")
    code, _, err = run(
        "lists", "update", "--base-url", list_server, "--list", "us_csl", "--list", "un_sc"
    )
    assert code == 2 and "us_csl: the new file has 1 entries" in err
    assert state() == before


def test_import_builds_the_index_cache(home: Path) -> None:
    from chipbridge.store import index_cache
    from chipbridge.store.lists import ListStore

    assert run("lists", "import", str(FIXTURES / "csl_defects.csv"))[0] == 0
    store = ListStore(home)
    assert index_cache.load(store.cache, store.index_key()) is not None


def test_failed_rescreen_is_reported_kept_pending_and_retried(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipbridge.accounts.permissions import Actor
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.store.lists import ListStore
    from chipbridge.workgroup.delegations import service as delegations
    from chipbridge.workgroup.reviews.service import current

    engine = make_engine()
    migrate(engine)
    system = Actor.system("test")
    with transaction(session_factory(engine)) as session:
        company_id = delegations.add_company(session, system, "Northstar Microelectronics", "CN").id
    # The working group's database cannot be reached while the list is imported.
    monkeypatch.setenv("CHIPBRIDGE_DATABASE_URL", "postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    code, out, err = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 1
    assert "imported 3 entries into us_csl" in out
    assert "the lists were imported, but re-screening the working group failed" in err
    assert "OperationalError" in err and "`chipbridge rescreen`" in err
    assert "Traceback" not in err
    pending = ListStore(home).rescreen_pending()
    assert pending is not None and pending["error"].startswith("OperationalError")
    assert run("lists", "show", "--json")[0] == 0  # the list itself was swapped in
    code, _, err = run("rescreen")
    assert code == 1 and "re-screening the working group failed" in err
    # Back on the working group's database: the next import retries the re-screen.
    monkeypatch.delenv("CHIPBRIDGE_DATABASE_URL")
    code, out, _ = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 0
    assert "same content as the active version 1" in out
    assert "screened 1 of 1" in out
    assert ListStore(home).rescreen_pending() is None
    with transaction(session_factory(engine)) as session:
        record = current(session, system, "company", company_id)
        assert record is not None and record.status == "potential match"
    # Nothing changed since: a delta that screens nobody.
    code, out, _ = run("rescreen")
    assert code == 0 and "delta re-screen" in out and "screened 0 of 1" in out


def test_rescreen_without_a_database(home: Path) -> None:
    code, out, _ = run("rescreen")
    assert code == 0 and "no working group database yet" in out


def test_history_and_diff(home: Path, tmp_path: Path) -> None:
    first = write_csl(
        tmp_path / "v1.csv",
        [("x-1", "Alpha Optics Ltd"), ("x-2", "Beta Fab Co"), ("x-3", "Gamma Ltd")],
    )
    second = write_csl(
        tmp_path / "v2.csv",
        [("x-1", "Alpha Optics Limited"), ("x-2", "Beta Fab Co"), ("x-4", "Delta Ltd")],
    )
    assert run("lists", "import", str(first))[0] == 0
    assert run("lists", "import", str(second))[0] == 0
    code, out, _ = run("lists", "history", "--json")
    rows = json.loads(out)
    assert [(r["version"], r["added"], r["changed"], r["removed"], r["active"]) for r in rows] == [
        (1, 3, 0, 0, False),
        (2, 1, 1, 1, True),
    ]
    code, out, _ = run("lists", "history")
    assert code == 0 and "us_csl" in out
    code, out, _ = run("lists", "diff", "us_csl", "--json")
    diff = json.loads(out)
    assert (diff["from"], diff["to"]) == (1, 2)
    assert [e["id"] for e in diff["added"]] == ["x-4"]
    assert [(c["id"], c["fields"], c["before"]["name"]) for c in diff["changed"]] == [
        ("x-1", ["name"], "Alpha Optics Ltd")
    ]
    assert [e["name"] for e in diff["removed"]] == ["Gamma Ltd"]
    code, out, _ = run("lists", "diff", "us_csl", "1", "2")
    assert code == 0
    assert "us_csl: version 1 -> version 2: 1 added, 1 changed, 1 removed" in out
    assert "+ x-4  Delta Ltd" in out and "~ x-1  Alpha Optics Limited" in out and "- x-3" in out
    code, _, err = run("lists", "diff", "us_csl", "1", "9")
    assert code == 2 and "us_csl has no version 9" in err
    code, _, err = run("lists", "diff", "un_sc")
    assert code == 2 and "no versions of 'un_sc'" in err
    code, _, err = run("lists", "history", "--list", "un_sc")
    assert code == 2 and "no list 'un_sc' has been imported" in err


def test_screen_as_of(home: Path, tmp_path: Path) -> None:
    first = write_csl(tmp_path / "v1.csv", [("x-1", "Alpha Optics Ltd"), ("x-2", "Beta Fab Co")])
    second = write_csl(tmp_path / "v2.csv", [("x-2", "Beta Fab Co"), ("x-3", "Gamma Optics Ltd")])
    assert run("lists", "import", str(first))[0] == 0
    assert run("lists", "import", str(second), "--allow-shrink")[0] == 0
    v1, v2 = (r["imported_at"] for r in json.loads(run("lists", "history", "--json")[1]))

    def ids(*extra: str) -> tuple[set[str], dict[str, int]]:
        code, out, err = run("screen", "Alpha Optics Ltd", "--json", *extra)
        assert code == 0, err
        data = json.loads(out)
        return {h["entry_id"] for h in data["hits"]}, data["lists"]

    assert ids("--as-of", v1) == ({"x-1"}, {"chipbridge_builtin": 1, "us_csl": 1})
    assert ids("--as-of", v2) == (set(), {"chipbridge_builtin": 1, "us_csl": 2})
    assert ids() == (set(), {"chipbridge_builtin": 1, "us_csl": 2})
    assert ids("--as-of", "2000-01-01") == (set(), {"chipbridge_builtin": 1})
    code, out, _ = run("lists", "show", "--json", "--as-of", v1)
    assert {i["dataset"]: i["version"] for i in json.loads(out)} == {
        "chipbridge_builtin": 1,
        "us_csl": 1,
    }
    code, _, err = run("screen", "Alpha", "--as-of", "last tuesday")
    assert code == 2 and "--as-of: 'last tuesday' is not a date" in err


def test_screen_file_as_of(home: Path, tmp_path: Path) -> None:
    first = write_csl(tmp_path / "v1.csv", [("x-1", "Alpha Optics Ltd")])
    second = write_csl(tmp_path / "v2.csv", [("x-3", "Gamma Optics Ltd")])
    assert run("lists", "import", str(first))[0] == 0
    assert run("lists", "import", str(second))[0] == 0
    v1 = json.loads(run("lists", "history", "--json")[1])[0]["imported_at"]
    source = write_csv(tmp_path / "in.csv", [["name"], ["Alpha Optics Ltd"]])
    then, now = tmp_path / "then.csv", tmp_path / "now.csv"
    assert run("screen-file", str(source), "--out", str(then), "--as-of", v1)[0] == 0
    assert run("screen-file", str(source), "--out", str(now))[0] == 0
    assert "x-1" in then.read_text(encoding="utf-8")
    assert "x-1" not in now.read_text(encoding="utf-8")


def test_damaged_list_store_is_an_error_not_a_traceback(home: Path) -> None:
    assert run("lists", "import", str(FIXTURES / "csl_defects.csv"))[0] == 0
    path = home / "lists" / "versions.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    for args in (["lists", "show"], ["lists", "history"], ["screen", "SMIC"], ["rescreen"]):
        code, _, err = run(*args)
        assert code == 1, args
        assert f"error: {path}: file is not a database" in err, args
    code, _, err = run("lists", "import", str(FIXTURES / "csl_defects.csv"))
    assert code == 1 and "file is not a database" in err


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


def test_serve_on_a_busy_port_says_so_and_announces_nothing(home: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run("serve", "--port", str(port))
    assert code == 1
    assert "serving at" not in out
    assert f"error: cannot serve at http://127.0.0.1:{port}: Address already in use" in err


def test_lists_import_says_what_is_wrong_in_plain_words(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    for content in (b"", b"\xef\xbb\xbf\n \n"):
        empty.write_bytes(content)
        code, _, err = run("lists", "import", str(empty))
        assert code == 2 and f"{empty}: the file is empty" in err
        assert "cannot tell the list format" not in err
    code, _, err = run("lists", "import", str(FIXTURES / "csl_defects.csv"), "--max-shrink", "5")
    assert code == 2
    assert "5 is not a fraction between 0 and 1 (0.2 means 20%)" in " ".join(
        err.replace("│", " ").split()
    )
    code, out, _ = run("lists", "import", "--help")
    assert code == 0 and "fraction from 0 to 1" in " ".join(out.replace("│", " ").split())
