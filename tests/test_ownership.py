"""Ownership end to end: import, refusals that change nothing, screening the caught parties,
``--as-of`` by the rules of that day, the rules file as data, the working group's parents."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select

from chipbridge.accounts.permissions import Actor
from chipbridge.ownership.graph import Link
from chipbridge.ownership.store import RULES_ENV, OwnershipStore, load_rules
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import session_factory, transaction
from chipbridge.store.lists import ListStore
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.reviews.service import owned_by_listed

from .test_cli import run, write_csv
from .webapp import make_web, open_engine, seed_group, use_cheap_passwords

HEADER = ["owner_name", "owner_id", "owned_name", "owned_id", "percent", "start_date", "end_date"]
SHIPPED = resources.files("chipbridge").joinpath("data/ownership_rules.yml").read_text("utf-8")
SDN_LIST = "Specially Designated Nationals (SDN) - Treasury Department"
UVL = "Unverified List (UVL) - Bureau of Industry and Security"


def write_links(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    return write_csv(path, [header, *rows], encoding="utf-8")


def import_sdn_list(tmp_path: Path, *more: list[str]) -> None:
    """A CSL file with one SDN-listed company (OFAC's rule is in force on every day), and
    ``more`` rows: a later version of the list."""
    path = write_csv(
        tmp_path / "csl.csv",
        [
            ["_id", "source", "name", "type", "federal_register_notice", "addresses"],
            ["sdn-77", SDN_LIST, "Volkov Industrial Holdings LLC", "Entity", "89 FR 1234", ""],
            # Two parties of one name, in two countries.
            ["uvl-1", UVL, "Orion Trading Company", "Entity", "", "Shanghai, CN"],
            ["uvl-2", UVL, "Orion Trading Company", "Entity", "", "Dubai, AE"],
            *more,
        ],
        encoding="utf-8",
    )
    code, _, err = run("lists", "import", str(path))
    assert code == 0, err


CHAIN = [
    ["Volkov Industrial Holdings LLC", "sdn-77", "Norden Capital AG", "NC-1", "70", "", ""],
    ["Norden Capital AG", "NC-1", "Baltic Wafer Services OU", "BWS-9", "60", "2020-01-01", ""],
    ["Kallas Family Trust", "KFT", "Baltic Wafer Services OU", "BWS-9", "40", "", ""],
]


def screen(*args: str) -> dict[str, object]:
    code, out, err = run("screen", *args, "--json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def ownership_hits(data: dict[str, object]) -> list[dict[str, object]]:
    hits = data["hits"]
    assert isinstance(hits, list)
    return [h for h in hits if h["dataset"] == "ownership"]


def test_a_caught_party_is_a_screening_hit_with_the_explained_chain(
    home: Path, tmp_path: Path
) -> None:
    import_sdn_list(tmp_path)
    code, out, err = run("ownership", "import", str(write_links(tmp_path / "o.csv", CHAIN)))
    assert code == 0, err
    assert "imported 3 ownership links into source main" in out
    assert "OFAC 50 Percent Rule: 2" in out
    data = screen("Baltic Wafer Services")
    [hit] = ownership_hits(data)
    assert data["lists"] == {"chipbridge_builtin": 1, "us_csl": 1, "ownership": 2}
    assert hit["listed_name"] == "Baltic Wafer Services OU"
    assert (
        hit["source"] == "Owned 50% or more by blocked (SDN-listed) persons - OFAC 50 Percent Rule"
    )
    why = str(hit["citation"])
    # The rule, its dates, the share held, the chain with its percentages, the owner's listing.
    assert why.startswith("OFAC 50 Percent Rule (OFAC guidance of August 13, 2014 (FAQ 401); ")
    assert "in force from 2014-08-13" in why
    assert "60% of Baltic Wafer Services OU is held by owners listed under the rule" in why
    assert (
        f"Volkov Industrial Holdings LLC [{SDN_LIST}, us_csl:sdn-77, 89 FR 1234] 70% > "
        "Norden Capital AG 60% > Baltic Wafer Services OU" in why
    )
    # The unlisted intermediate holding is caught too; the minority holder is not.
    assert [h["listed_name"] for h in ownership_hits(screen("Norden Capital AG"))] == [
        "Norden Capital AG"
    ]
    assert ownership_hits(screen("Kallas Family Trust")) == []
    # The table shows the same explanation.
    code, out, _ = run("screen", "Baltic Wafer Services")
    assert code == 0 and "OFAC 50 Percent" in out and "Volkov" in out
    # The structured view: holdings, chains and look-through shares.
    code, out, _ = run("ownership", "show", "--json")
    found = {f["name"]: f for f in json.loads(out)["findings"]}
    bws = found["Baltic Wafer Services OU"]
    assert [(h["name"], h["percent"]) for h in bws["holdings"]] == [("Norden Capital AG", 60)]
    assert [[p["name"] for p in c["parties"]] for c in bws["chains"]] == [
        ["Volkov Industrial Holdings LLC", "Norden Capital AG", "Baltic Wafer Services OU"]
    ]
    assert bws["chains"][0]["look_through"] == 42
    assert [(x["name"], x["percent"]) for x in bws["look_through"]] == [
        ("Volkov Industrial Holdings LLC", 42)
    ]


def test_screen_file_finds_caught_parties(home: Path, tmp_path: Path) -> None:
    import_sdn_list(tmp_path)
    assert run("ownership", "import", str(write_links(tmp_path / "o.csv", CHAIN)))[0] == 0
    source = write_csv(tmp_path / "in.csv", [["name"], ["Baltic Wafer Services OU"]])
    out = tmp_path / "out.csv"
    code, _, err = run("screen-file", str(source), "--out", str(out))
    assert code == 0, err
    assert "OFAC 50 Percent Rule" in out.read_text(encoding="utf-8")


def save_past(home: Path, rows: list[tuple[str, str, str, str, float, date | None]]) -> None:
    """Links imported on 2025-01-01 (an import stores now; the store takes the moment)."""
    links = [
        (n, Link(a, b, pct, start, None, f"line {n}"), an, bn)
        for n, (a, an, b, bn, pct, start) in enumerate(rows, start=2)
    ]
    store = ListStore(home)
    OwnershipStore(store.versions).save(
        "main", "past.csv", "csv", links, "k", datetime(2025, 1, 1, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("as_of", "caught"),
    [
        ("2024-12-31", None),  # before the import: no ownership known then
        ("2025-09-28", False),  # the Affiliates Rule is not yet in force
        ("2025-09-29", True),
        ("2025-11-09", True),
        ("2025-11-10", False),  # suspended
        ("2026-11-09", False),
        ("2026-11-10", True),  # in force again
    ],
)
def test_as_of_applies_the_rule_in_force_that_day(
    home: Path, as_of: str, caught: bool | None
) -> None:
    huawei = "chipbridge_builtin:CB-EL-HUAWEI"
    save_past(home, [(huawei, "Huawei", "own:LT", "Lumen Photonics (Dongguan) Ltd", 51, None)])
    data = screen("Lumen Photonics Dongguan", "--as-of", as_of)
    lists = data["lists"]
    assert isinstance(lists, dict)
    assert ("ownership" in lists) is (caught is not None)
    assert bool(ownership_hits(data)) is bool(caught)


def test_as_of_follows_the_links_own_dates(home: Path) -> None:
    huawei = "chipbridge_builtin:CB-EL-HUAWEI"
    save_past(home, [(huawei, "Huawei", "own:LT", "Lumen Photonics Ltd", 80, date(2026, 12, 1))])
    assert ownership_hits(screen("Lumen Photonics", "--as-of", "2026-11-30")) == []
    assert ownership_hits(screen("Lumen Photonics", "--as-of", "2026-12-01"))


def rules_with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED
    path = tmp_path / "rules.yml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return path


def test_rule_dates_changed_in_the_data_file_change_the_answer(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["Huawei Technologies Co., Ltd.", "CB-EL-HUAWEI", "Lumen Photonics Ltd", "LT", "75"]]
    assert (
        run(
            "ownership",
            "import",
            str(write_links(tmp_path / "o.csv", [[*r, "", ""] for r in rows])),
        )[0]
        == 0
    )
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    later = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()

    def caught(as_of: str) -> bool:
        return bool(ownership_hits(screen("Lumen Photonics", "--as-of", as_of)))

    assert caught(tomorrow) and caught(later)
    # The suspension extended by data alone: the same question, another answer.
    extended = rules_with(
        tmp_path, "to: 2026-11-09", f"to: {(datetime.now(UTC) + timedelta(days=200)).date()}"
    )
    monkeypatch.setenv(RULES_ENV, str(extended))
    assert not caught(tomorrow) and caught(later)
    code, out, _ = run("ownership", "show", "--as-of", tomorrow)
    assert "BIS Affiliates Rule: suspended" in out and "no party is caught" in out
    # A rules file that cannot be used is a one-line error, never a traceback.
    monkeypatch.setenv(RULES_ENV, str(rules_with(tmp_path, "threshold: 50", "threshold: 500")))
    code, _, err = run("screen", "Lumen Photonics")
    assert code == 1 and "threshold must be a number" in err and "Traceback" not in err


GOOD = [["Volkov Industrial Holdings LLC", "sdn-77", "Norden Capital AG", "NC-1", "70", "", ""]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            'A,A1,B,B1,60,,\nC,C1,"D Co',
            "line 3: unreadable CSV: unexpected end of data (a truncated file?)",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "A,A1,B,B1,60,,\nC,C1,D",
            "line 3: 3 fields, expected 7 (a truncated file?)",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date,country\n",
            "unknown column(s) 'country'",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date\nA,A1,B,B1,60,\n",
            "missing column(s) end_date",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,B,B1,120,,\n",
            "line 2: percent '120' is outside 0-100",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,B,B1,-5,,\n",
            "line 2: percent '-5' is outside 0-100",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,B,B1,half,,\n",
            "line 2: percent 'half' is not a number",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,B,B1,50,2025-02-30,\n",
            "line 2: start_date '2025-02-30' is not a date",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,B,B1,50,2025-02-01,2024-01-01\n",
            "line 2: end_date 2024-01-01 is before start_date 2025-02-01",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n,,B,B1,50,,\n",
            "line 2: the owner has neither a name nor an id",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "A,A1,B,B1,60,,\nB,B1,C,C1,60,,\nC,C1,A,A1,10,,\n",
            "line 2, line 3, line 4: a cycle of ownership (A > B > C > A)",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\nA,A1,A,A1,60,,\n",
            "line 2: 'A' cannot own itself",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "A,A1,C,C1,60,,\nB,B1,C,C1,50,2024-01-01,\n",
            "line 2, line 3: the owners of C hold 110% of it from 2024-01-01",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "A,A1,C,C1,60,,2024-12-31\nA,A1,C,C1,30,2024-06-01,\n",
            "line 2 and line 3: A owns C twice, for overlapping periods",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "Orion Trading Company,,B,B1,60,,\n",
            "line 2: owner_name 'Orion Trading Company' is ambiguous: it is the name of 2 "
            "listed parties (us_csl:uvl-1 (Orion Trading Company); us_csl:uvl-2",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "Semiconductor Manufacturing Internationale Corporation,,B,B1,60,,\n",
            "is ambiguous: it is close to listed chipbridge_builtin:CB-EL-SMIC",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "Acme Holdings,CB-EL-HUAWEI,B,B1,60,,\n",
            "line 2: owner_name 'Acme Holdings' does not match owner_id 'CB-EL-HUAWEI'",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n"
            "A,us_csl:nope,B,B1,60,,\n",
            "line 2: owner_id 'us_csl:nope': us_csl has no entry 'nope' on the active lists",
        ),
        (
            "owner_name,owner_id,owned_name,owned_id,percent,start_date,end_date\n",
            "no ownership links in the file",
        ),
        (
            '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{"id": "o1", "sch',
            "line 2: invalid JSON",
        ),
        (
            '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n'
            '{"id": "b", "schema": "Company", "properties": {"name": ["B"]}}\n'
            '{"id": "o", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], '
            '"percentage": ["150"]}}\n',
            "line 3: percent '150' is outside 0-100",
        ),
    ],
)
def test_a_refused_file_changes_nothing(
    home: Path, tmp_path: Path, content: str, message: str
) -> None:
    import_sdn_list(tmp_path)
    assert run("ownership", "import", str(write_links(tmp_path / "good.csv", GOOD)))[0] == 0
    before = state(home)
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run("ownership", "import", str(bad))
    assert code == 2, err
    assert message in err and "nothing was imported" in err and "Traceback" not in err
    assert state(home) == before


def state(home: Path) -> tuple[object, ...]:
    """Everything an import could change: generations, imports, links, the re-screen mark."""
    with sqlite3.connect(home / "lists" / "versions.sqlite") as db:
        return tuple(
            db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("generation", "ownership_import", "ownership_link", "meta")
        )


def test_a_cycle_with_another_source_is_refused(home: Path, tmp_path: Path) -> None:
    one = write_links(tmp_path / "one.csv", [["A", "A1", "B", "B1", "60", "", ""]])
    two = write_links(tmp_path / "two.csv", [["B", "B1", "A", "A1", "60", "", ""]])
    assert run("ownership", "import", str(one), "--source", "registry")[0] == 0
    code, _, err = run("ownership", "import", str(two), "--source", "mine")
    assert code == 2
    assert "line 2, registry line 2: a cycle of ownership (B > A > B)" in err
    # The same file replacing its own source is no cycle: the old links go.
    assert run("ownership", "import", str(two), "--source", "registry")[0] == 0


def test_names_resolve_through_the_screener(home: Path, tmp_path: Path) -> None:
    rows = [
        [
            "Yangtze Memory Technologies Co., Ltd.",
            "",
            "Hubei Storage Materials Co.",
            "",
            "55",
            "",
            "",
        ],
        ["中芯国际", "", "Xinyuan Photomask Ltd", "", "51", "", ""],
        ["SMIC", "CB-EL-SMIC;CB-CMIC-30951", "Xinyuan Optics Ltd", "", "51", "", ""],
        # One party on two lists: the name brings both listings.
        ["Huawei Technologies Co., Ltd.", "", "Kirin Test Labs Ltd", "", "51", "", ""],
    ]
    code, out, err = run("ownership", "import", str(write_links(tmp_path / "o.csv", rows)))
    assert code == 0, err
    assert "parties told 1 by list id, 3 by name, 4 by unlisted name" in out
    code, out, _ = run("ownership", "show", "--on", "2026-12-01", "--json")
    found = {f["name"]: f for f in json.loads(out)["findings"]}
    assert set(found) == {
        "Hubei Storage Materials Co.",
        "Xinyuan Photomask Ltd",
        "Xinyuan Optics Ltd",
        "Kirin Test Labs Ltd",
    }
    for party, ids in (
        ("Xinyuan Optics Ltd", {"CB-EL-SMIC", "CB-CMIC-30951"}),
        ("Kirin Test Labs Ltd", {"CB-EL-HUAWEI", "CB-CMIC-30947"}),
    ):
        owner = found[party]["holdings"][0]
        assert {x["entry_id"] for x in owner["listings"]} == ids


def test_ftm_ownership(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "own.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"id": "CB-EL-SMIC", "schema": "Company", "properties": {"name": ["SMIC"]}}',
                '{"id": "fx-sub", "schema": "Company", "properties": {"name": '
                '["Lithotech (Wuxi) Co., Ltd."]}}',
                '{"id": "fx-own", "schema": "Ownership", "properties": {"owner": ["CB-EL-SMIC"], '
                '"asset": ["fx-sub"], "percentage": ["75"], "startDate": ["2020"]}}',
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run("ownership", "import", str(path))
    assert code == 0, err
    code, out, _ = run("ownership", "show", "--on", "2026-12-01")
    assert "caught: Lithotech (Wuxi) Co., Ltd. (BIS Affiliates Rule, 75.0%)" in out
    code, out, _ = run("ownership", "show", "--on", "2026-01-01")
    assert "BIS Affiliates Rule: suspended" in out and "no party is caught" in out
    code, out, _ = run("ownership", "show", "--on", "2019-12-31")
    assert "no party is caught" in out  # the link starts in 2020 (and the rule in 2025)


def test_an_owner_listed_after_the_import_catches_what_it_owns(home: Path, tmp_path: Path) -> None:
    """The owner was on no list when the file came in; next week's list names it."""
    import_sdn_list(tmp_path)
    rows = [
        ["Kestrel Holdings Ltd", "KH-1", "Fenwick Probe Cards Ltd", "FPC-1", "60", "", ""],
        ["Kestrel Holding Ltd", "KH-2", "Ardent Substrates Ltd", "AS-1", "60", "", ""],
    ]
    code, _, err = run("ownership", "import", str(write_links(tmp_path / "o.csv", rows)))
    assert code == 0, err
    assert ownership_hits(screen("Fenwick Probe Cards Ltd")) == []
    # The imported name exactly, written the list's way.
    import_sdn_list(
        tmp_path, ["sdn-90", SDN_LIST, "KESTREL HOLDINGS, LTD.", "Entity", "90 FR 999", ""]
    )
    [hit] = ownership_hits(screen("Fenwick Probe Cards Ltd"))
    why = str(hit["citation"])
    assert "us_csl:sdn-90" in why and "listed under the exact name 'KESTREL HOLDINGS, LTD.'" in why
    # A near name is a question for the importer, never a guess.
    assert ownership_hits(screen("Ardent Substrates Ltd")) == []


def test_drop_keeps_earlier_answers(home: Path, tmp_path: Path) -> None:
    import_sdn_list(tmp_path)
    assert run("ownership", "import", str(write_links(tmp_path / "o.csv", CHAIN)))[0] == 0
    code, out, _ = run("ownership", "history", "--json")
    imported = json.loads(out)[0]["imported_at"]
    code, out, err = run("ownership", "drop", "main")
    assert code == 0, err
    assert ownership_hits(screen("Baltic Wafer Services")) == []
    assert ownership_hits(screen("Baltic Wafer Services", "--as-of", imported))
    code, _, err = run("ownership", "drop", "main")
    assert code == 2 and "no ownership source 'main' is in use" in err


def test_the_index_key_names_the_ownership_and_the_rules_day(home: Path, tmp_path: Path) -> None:
    store = ListStore(home)
    plain = store.active().key
    save_past(home, [("chipbridge_builtin:CB-EL-HUAWEI", "Huawei", "own:LT", "Lumen", 51, None)])
    moments = ["2025-10-01", "2025-10-02", "2025-12-01", "2026-12-01"]
    keys = [store.active(datetime.fromisoformat(m).replace(tzinfo=UTC)).key for m in moments]
    assert plain not in keys
    # Same links and the same rules in force: one cached index; inside the suspension,
    # another.
    assert keys[0] == keys[1] == keys[3] != keys[2]


# --- the working group's own parent links ---------------------------------------------------


def test_company_parents_go_through_the_same_rules(tmp_path: Path) -> None:
    engine = open_engine("sqlite", tmp_path)
    seed_group(engine, Screener.from_snapshots([builtin.load()]))
    actor = Actor.system("test")
    with transaction(session_factory(engine)) as session:
        hisilicon = session.scalars(select(Company).where(Company.name.like("HiSilicon%"))).one()
        ymtc = session.scalars(select(Company).where(Company.name.like("Yangtze%"))).one()
        assert owned_by_listed(session, actor, hisilicon, date(2025, 10, 1)) is not None
        assert owned_by_listed(session, actor, hisilicon, date(2026, 1, 1)) is None  # suspended
        found = owned_by_listed(session, actor, hisilicon, date(2026, 12, 1))
        assert found is not None and "100% > HiSilicon" in found
        assert owned_by_listed(session, actor, ymtc, date(2026, 12, 1)) is None  # 24.1%
        # An unlisted member whose parent is listed: caught, not caught, or a red flag.
        intel = session.scalars(select(Company).where(Company.name == "Intel Corporation")).one()
        intel.parent_id = hisilicon.parent_id
        for percent, expected in ((60.0, "60% > Intel Corporation"), (40.0, None)):
            intel.ownership_percent = percent
            found = owned_by_listed(session, actor, intel, date(2026, 12, 1))
            assert found == expected or (expected is not None and expected in (found or ""))
        intel.ownership_percent = None
        flag = owned_by_listed(session, actor, intel, date(2026, 12, 1))
        assert flag is not None and "owned (an unknown share) by Huawei" in flag
        assert "a red flag" in flag
    engine.dispose()


def test_the_api_finds_caught_parties_by_the_rules_of_the_day(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huawei = "chipbridge_builtin:CB-EL-HUAWEI"
    save_past(home, [(huawei, "Huawei", "own:LT", "Lumen Photonics (Dongguan) Ltd", 51, None)])
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    web = make_web(engine, ListStore(home).screener())
    reviewer = web.as_("reviewer")

    def ask(**params: str) -> list[dict[str, object]]:
        answer = reviewer.get("/api/v1/screen", params={"name": "Lumen Photonics", **params})
        assert answer.status_code == 200, answer.text
        return [h for h in answer.json()["hits"] if str(h["entry_id"]).startswith("bis_")]

    [hit] = ask(as_of="2025-10-15")
    assert "BIS Affiliates Rule (90 FR 47201" in str(hit["citation"])
    assert "CB-EL-HUAWEI, 84 FR 22961 (May 21, 2019)] 51% > Lumen Photonics" in str(hit["citation"])
    assert not ask(as_of="2025-12-01")
    # Without as_of: the screener the server started with, built with the rules of today.
    affiliates = next(r for r in load_rules().rules if r.id == "bis_affiliates")
    assert bool(ask()) is affiliates.applies(datetime.now(UTC).date())
    engine.dispose()
