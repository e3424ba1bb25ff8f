"""Every loader on corrupted copies of its fixture: truncated, bytes flipped, re-encoded.

A loader either reads what is left (skipping and reporting rows it cannot use) or refuses
the file with a SourceError that names the file and, when the fault has a place, the line.
Any other exception is a bug: it would reach the user as a traceback.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipbridge.screening.model import ListSnapshot
from chipbridge.screening.sources import Format, SourceError, load

from .conftest import FIXTURES

# Refusals about the file as a whole; every other refusal must say where the fault is.
WHOLE_FILE = (
    "file is empty",
    "no usable records",
    "no records",
    "no INDIVIDUAL or ENTITY records",
    "no persons, companies, organisations or vessels",
    'expected a "results" array',
    "root element is",
    "missing column",
)

CASES = [
    ("csl_defects.csv", Format.CSL),
    ("csl_small.json", Format.CSL),
    ("un_small.xml", Format.UN),
    ("ftm_small.jsonl", Format.FTM),
    ("ofac/sdn.csv", Format.OFAC),
    ("ofac/alt.csv", Format.OFAC),
    ("ofac/add.csv", Format.OFAC),
    ("ofac/sdn_comments.csv", Format.OFAC),
]


@st.composite
def corruption(draw: st.DrawFn, data: bytes) -> bytes:
    """The fixture cut short, with bytes flipped or inserted, or re-encoded."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "encode", "mix"]))
    out = bytearray(data)
    if kind in ("truncate", "mix"):
        del out[draw(st.integers(0, len(out))) :]
    if kind in ("flip", "mix") and out:
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(out) - 1))
            out[at] = draw(st.integers(0, 255))
    if kind == "insert":
        at = draw(st.integers(0, len(out)))
        chunk = draw(
            st.one_of(
                st.binary(min_size=1, max_size=16),
                st.sampled_from([b'"', b"\x00", b"\xff\xfe", b"\n,,,\n", b"<", b"}", b"\r"]),
            )
        )
        out[at:at] = chunk
    if kind == "encode":
        text = data.decode("utf-8", errors="replace")
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "gb18030"]))
        return text.encode(codec, errors="replace")
    return bytes(out)


def _check(path: Path, fmt: Format) -> None:
    try:
        snapshot = load(path, fmt)
    except SourceError as exc:
        message = str(exc)
        assert exc.path and message.startswith(exc.path)
        if exc.line is None:
            assert any(reason in exc.reason for reason in WHOLE_FILE), message
        else:
            assert exc.line >= 1 and f"line {exc.line}" in message
        return
    assert isinstance(snapshot, ListSnapshot) and snapshot.entries
    for entry in snapshot.entries:
        assert entry.id and entry.name.strip()


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[c[0] for c in CASES])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_corrupted_input_is_refused_clearly(name: str, fmt: Format, data: st.DataObject) -> None:
    original = (FIXTURES / name).read_bytes()
    damaged = data.draw(corruption(original))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if fmt is Format.OFAC:
            for sibling in (FIXTURES / "ofac").iterdir():
                shutil.copy(sibling, folder / sibling.name)
            target = folder / Path(name).name
            target.write_bytes(damaged)
            _check(folder, fmt)
        else:
            target = folder / Path(name).name
            target.write_bytes(damaged)
            _check(target, fmt)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
CSL_FIELDS = (
    "_id",
    "id",
    "name",
    "source",
    "type",
    "alt_names",
    "addresses",
    "ids",
    "programs",
    "citizenships",
    "nationalities",
    "dates_of_birth",
    "start_date",
    "end_date",
    "federal_register_notice",
    "source_list_url",
    "remarks",
    "entity_number",
)


@settings(max_examples=300, deadline=None)
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(CSL_FIELDS), JSON_VALUES, max_size=10) | JSON_VALUES,
        max_size=4,
    )
)
def test_csl_json_with_any_field_types(records: list[object]) -> None:
    good = {"name": "Acme Ltd", "source": "Entity List"}
    _check_text("csl.json", json.dumps({"results": [good, *records]}), Format.CSL)


FTM_PROPS = (
    "name",
    "alias",
    "country",
    "owner",
    "asset",
    "percentage",
    "entity",
    "program",
    "birthDate",
    "topics",
    "sourceUrl",
    "notes",
    "address",
    "weakAlias",
)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.fixed_dictionaries(
            {
                "id": JSON_VALUES,
                "schema": st.sampled_from(
                    ["Company", "Person", "Ownership", "Sanction", "Thing", "Vessel", "Nope"]
                )
                | JSON_VALUES,
                "properties": st.dictionaries(st.sampled_from(FTM_PROPS), JSON_VALUES, max_size=5)
                | JSON_VALUES,
            }
        )
        | JSON_VALUES,
        max_size=4,
    )
)
def test_ftm_with_any_values(lines: list[object]) -> None:
    good = {"id": "a", "schema": "Company", "properties": {"name": ["Acme Ltd"]}}
    _check_text("ftm.jsonl", "\n".join(json.dumps(x) for x in [good, *lines]) + "\n", Format.FTM)


def _check_text(name: str, text: str, fmt: Format) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        _check(path, fmt)


def test_a_file_whose_every_record_is_unusable_is_refused(tmp_path: Path) -> None:
    # Found by the fuzzing above: a record whose name field was emptied left no entry, and
    # an empty snapshot had been returned as if the list were empty.
    (tmp_path / "sdn.csv").write_bytes(
        b'3,,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    )
    with pytest.raises(SourceError, match="no usable records") as raised:
        load(tmp_path, Format.OFAC)
    assert "record has no name" in str(raised.value)
