"""Each list loader on fixtures written in the real published formats, defects included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipbridge.screening import AliasKind, EntityType
from chipbridge.screening.sources import Format, SourceError, builtin, detect, load

from .conftest import FIXTURES


def by_id(snapshot):  # type: ignore[no-untyped-def]
    return {e.id: e for e in snapshot.entries}


def test_csl_csv_skips_and_reports_defects() -> None:
    snap = load(FIXTURES / "csl_defects.csv")
    assert snap.dataset == "us_csl"
    assert sorted(by_id(snap)) == ["dpl-3", "el-1", "sdn-7"]
    reasons = {s.line: s.reason for s in snap.skipped}
    assert reasons[2] == "repeated header line"
    assert "truncated record" in reasons[max(reasons)]
    assert len(snap.skipped) == 2


def test_csl_csv_fields() -> None:
    entries = by_id(load(FIXTURES / "csl_defects.csv"))
    nsm = entries["el-1"]
    assert nsm.type is EntityType.COMPANY
    assert nsm.citation == "84 FR 22961"
    assert set(nsm.countries) == {"HK", "CN"}
    names = [a.name for a in nsm.aliases]
    # The repeated id was merged, keeping the second row's alias and address.
    assert names == ["Northstar Micro", "NSM", "Northstar Electronics (Wuhan)"]
    assert "9 Gaoxin Road, Wuhan, CN" in nsm.addresses
    assert nsm.identifiers[0].scheme == "Unified Social Credit Code (USCC)"
    garcia = entries["sdn-7"]
    assert garcia.type is EntityType.PERSON
    assert ("date_of_birth", "1970-01-01") in garcia.dates
    assert entries["dpl-3"].type is EntityType.UNKNOWN


def test_csl_json() -> None:
    snap = load(FIXTURES / "csl_small.json")
    entries = by_id(snap)
    polaris = entries["json-1"]
    assert polaris.countries == ("CN",)
    assert polaris.aliases[0].name == "Polaris Wafer"
    assert polaris.identifiers[0].value == "913400001"
    assert entries["json-2"].citation == "87 FR 555"


def test_ofac_legacy_set() -> None:
    snap = load(FIXTURES / "ofac")
    assert snap.dataset == "ofac_sdn"
    entries = by_id(snap)
    assert len(entries) == 4
    bnc = entries["306"]
    assert bnc.type is EntityType.COMPANY
    assert (bnc.aliases[0].name, bnc.aliases[0].kind) == ("NATIONAL BANK OF CUBA", AliasKind.STRONG)
    assert ("BNC", AliasKind.WEAK) in [(a.name, a.kind) for a in bnc.aliases]
    assert bnc.countries == ("CH",)
    assert "correspondent banking" in (bnc.remarks or "")
    munoz = entries["4001"]
    assert munoz.name == "MUÑOZ, José"  # latin-1 decoded
    assert munoz.type is EntityType.PERSON
    assert ("date_of_birth", "12 Mar 1960") in munoz.dates
    vessel = entries["5002"]
    assert vessel.type is EntityType.VESSEL
    assert vessel.aliases[0].kind is AliasKind.FORMER
    assert entries["36"].programs == ("CUBA",)


def test_un_xml() -> None:
    snap = load(FIXTURES / "un_small.xml")
    assert snap.as_of is not None and snap.as_of.isoformat() == "2026-02-27"
    entries = by_id(snap)
    ri = entries["6908001"]
    assert ri.name == "RI WON HO"
    assert [(a.name, a.kind) for a in ri.aliases] == [
        ("리원호", AliasKind.STRONG),
        ("Ri Won-ho", AliasKind.WEAK),
    ]
    assert set(ri.countries) == {"KP", "SY"}
    assert ri.citation == "UN reference KPi.013"
    komid = entries["6908500"]
    assert komid.type is EntityType.COMPANY
    assert komid.aliases[0].name == "KOMID"


def test_ftm_entities_sanctions_and_ownership() -> None:
    snap = load(FIXTURES / "ftm_small.jsonl")
    entries = by_id(snap)
    assert set(entries) == {"os-acme", "os-acme-sub", "os-person"}
    acme = entries["os-acme"]
    assert acme.programs == ("EAR Entity List",)
    assert "Bureau of Industry and Security" in (acme.citation or "")
    sub = entries["os-acme-sub"]
    assert sub.owners[0].owner_id == "os-acme"
    assert sub.owners[0].percent == 60.0
    chen = entries["os-person"]
    assert chen.type is EntityType.PERSON
    assert chen.aliases[0].kind is AliasKind.WEAK


def test_builtin_list_every_entry_cited() -> None:
    snap = builtin.load()
    assert snap.as_of is not None
    ids = [e.id for e in snap.entries]
    assert len(ids) == len(set(ids))
    for entry in snap.entries:
        assert entry.citation, entry.id
        assert entry.list_name and entry.countries, entry.id
        assert any(a.note == "Chinese name" for a in entry.aliases), entry.id
        for owner in entry.owners:
            assert owner.owner_id in ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("csl_defects.csv", Format.CSL),
        ("csl_small.json", Format.CSL),
        ("un_small.xml", Format.UN),
        ("ftm_small.jsonl", Format.FTM),
        ("ofac", Format.OFAC),
    ],
)
def test_detect(name: str, expected: Format) -> None:
    assert detect(FIXTURES / name) is expected


# --- bad input: a clear message naming the file (and line), never a traceback -----------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="file is empty"):
        load(path, Format.CSL)


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name,source\nJos\xe9 Mu\xf1oz,DPL\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"line 2: not valid UTF-8"):
        load(path, Format.CSL)


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "nocol.csv"
    path.write_text("party,list\nAcme,DPL\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"missing column\(s\) name, source"):
        load(path, Format.CSL)


def test_only_truncated_records(tmp_path: Path) -> None:
    path = tmp_path / "trunc.csv"
    path.write_text('name,source,title\n"Acme","DPL\n', encoding="utf-8")
    with pytest.raises(SourceError, match="no usable records"):
        load(path, Format.CSL)


def test_invalid_xml(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</CONSOLIDATED_LIST>\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 3: invalid XML"):
        load(path, Format.UN)


def test_invalid_ftm_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "a", "schema": "Company", "properties": {"name": ["A"]}})
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 2: invalid JSON"):
        load(path, Format.FTM)


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot tell the list format"):
        detect(path)


def test_ofac_folder_without_set(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no OFAC set"):
        load(tmp_path)


def test_csl_json_bad_records_are_skipped_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    records = [
        {"name": "   ", "source": "EL"},
        {"name": "Bad Aliases Ltd", "source": "EL", "alt_names": {"a": 1}},
        {"name": "Good Ltd", "source": "EL", "alt_names": "Good Co; GL", "id": "g"},
        "not an object",
    ]
    path.write_text(json.dumps({"results": records}), encoding="utf-8")
    snap = load(path, Format.CSL)
    assert [e.id for e in snap.entries] == ["g"]
    assert [a.name for a in snap.entries[0].aliases] == ["Good Co", "GL"]
    assert [(s.line, s.reason) for s in snap.skipped] == [
        (1, "record 1: no name"),
        (2, "record 2: alt_names is an object, expected text"),
        (4, "record 4 is not an object"),
    ]


def test_csl_json_no_usable_record_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    path.write_text(json.dumps([{"name": "X", "programs": 7.5, "ids": [{"number": []}]}]))
    with pytest.raises(SourceError, match=r"no usable records; the first problem, record 1: ids"):
        load(path, Format.CSL)


def test_csl_csv_cell_over_the_csv_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('name,source\nAcme,DPL\n"' + "x" * 140_000 + '",DPL\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 3: unreadable CSV: a field is longer than"):
        load(path, Format.CSL)


def test_ofac_row_without_name_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    folder.mkdir()
    rows = (FIXTURES / "ofac" / "sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(
        rows.rstrip(b"\x1a\r\n") + b'\r\n999,"-0-",-0-,"X",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n'
    )
    snap = load(folder)
    assert "999" not in by_id(snap)
    assert snap.skipped[-1].reason == "sdn.csv: record has no name"
