"""Monitored parties, delta re-screening (equal to a full re-screen), alerts, hot swap."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from chipbridge.accounts.permissions import Actor
from chipbridge.monitoring import service
from chipbridge.monitoring.models import Alert, MonitoredParty
from chipbridge.monitoring.rescreen import Summary, cache_path, rescreen
from chipbridge.screening.delta import Screened, screen_names
from chipbridge.screening.model import Alias, AliasKind, Entry, ListSnapshot
from chipbridge.store.db import session_factory, transaction
from chipbridge.store.lists import ListStore
from chipbridge.web.app import create_app
from chipbridge.web.live import Current
from chipbridge.workgroup import seed
from chipbridge.workgroup.delegations.models import Company
from chipbridge.workgroup.reviews.models import ScreeningRecord

from .conftest import ENTRIES, company, person
from .webapp import BACKENDS, add_accounts, open_engine, served, use_cheap_passwords

SYSTEM = Actor.system("test")
# Common words of listed names, and a long tail of rare ones as real lists have.
COMMON = (
    "photonics wafer lithography microsystems semiconductor electronics optics precision "
    "materials logistics trading industrial aerospace shipping energy technology"
)
SYLLABLES = (
    "ka lo vin ser tai hua xin mor dak ul ren sho bel qi zan per ix mu tor gal "
    "bran dov fes gim hol jut kep lam nir opt quen rast sul tev urm vok wen yad zor"
)
FIRST = "ivan sergey olga li wei ahmad omar maria elena chen zhang hassan yusuf"
# Parties written in Chinese, and the English names a later version lists them under: only
# the translation lattice (and the delta's reading of it) connects the two.
HAN = (
    ("华芯光学有限公司", "Huaxin Optics Co., Ltd."),
    ("精密光学有限公司", "Precision Optics Co., Ltd."),  # listed words only
    ("金龙电子科技有限公司", "Jinlong Electronic Technology Co., Ltd."),
    ("东方精密材料有限公司", "Dongfang Precision Materials Co., Ltd."),
    ("长江光电有限公司", "Changjiang Optoelectronics Co., Ltd."),
    ("星河微电子有限公司", "Xinghe Microelectronics Co., Ltd."),
)
LEGAL = ("Co., Ltd.", "LLC", "GmbH", "Limited", "JSC", "Corporation", "")


def _rare(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.choice((2, 3)))).capitalize()


def _company_name(rng: random.Random) -> str:
    words = [_rare(rng) for _ in range(rng.choice((1, 2)))] + [
        rng.choice(COMMON.split()).capitalize()
    ]
    return " ".join(words) + " " + rng.choice(LEGAL)


def _person_name(rng: random.Random) -> str:
    return f"{_rare(rng).upper()}, {rng.choice(FIRST.split()).capitalize()}"


def _misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(name) - 1))
    return name[:i] + name[i + 1 :]


def _listed(n: int, rng: random.Random) -> list[Entry]:
    out = []
    for i in range(n):
        if rng.random() < 0.3:
            out.append(person(f"p{i}", _person_name(rng)))
        else:
            aliases = (_company_name(rng),) if rng.random() < 0.3 else ()
            out.append(company(f"c{i}", _company_name(rng).strip(), *aliases))
    return [dataclasses.replace(e, dataset="us_csl") for e in out]


def snap(entries: list[Entry]) -> ListSnapshot:
    return ListSnapshot("us_csl", "US CSL", "csl", entries)


def next_version(
    entries: list[Entry], rng: random.Random, parties: list[str], version: int
) -> list[Entry]:
    """About 5% changed: aliases added (some a monitored party's name), entries removed,
    entries added: some named after monitored parties, among them parties whose words are
    common words (their weights barely move: only the reverse lookup finds them), the rest
    new names."""
    out = list(entries)
    for i in rng.sample(range(len(out)), len(out) // 40):
        alias = rng.choice(parties) if rng.random() < 0.5 else _company_name(rng)
        out[i] = dataclasses.replace(out[i], aliases=(*out[i].aliases, Alias(alias)))
    for _ in range(len(out) // 80):
        out.pop(rng.randrange(len(out)))
    common = set(COMMON.split())
    known = [p for p in parties if all(w.lower() in common for w in p.split())]
    for n in range(len(out) // 60):
        name = (rng.choice(parties), rng.choice(known), _company_name(rng))[n % 3]
        out.append(
            dataclasses.replace(company(f"n{rng.random():.8f}", name.strip()), dataset="us_csl")
        )
    for _, english in HAN[2 * (version - 2) : 2 * (version - 1)]:
        out.append(
            dataclasses.replace(company(f"h{version}{english[:4]}", english), dataset="us_csl")
        )
    return out


def _parties(listed: list[Entry], rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Mostly unlisted names from the same words, some listed names and misspellings."""
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.03:
            name = rng.choice(listed).name
        elif roll < 0.06:
            name = _misspell(rng.choice(listed).name, rng)
        elif roll < 0.16:  # listed words, recombined
            words = [w for e in rng.sample(listed, 2) for w in e.name.split()[:1]]
            name = " ".join(words) + " " + rng.choice(COMMON.split()).capitalize()
        elif roll < 0.2:  # common words only ("Precision Optics")
            name = " ".join(w.capitalize() for w in rng.sample(COMMON.split(), 2))
        elif roll < 0.35:
            name = _person_name(rng).replace(",", "")
        else:
            name = _company_name(rng).strip()
        out.append((f"P{i}", name))
    return out + [(f"H{i}", chinese) for i, (chinese, _) in enumerate(HAN)]


def results(engine: Engine) -> dict[tuple[str, int], list[tuple[str, float]]]:
    """Every party's current hits: (entry id, score), as stored."""
    with transaction(session_factory(engine), write=False) as db:
        out = {
            ("party", p.id): [(h["entry_id"], h["score"]) for h in p.hits]
            for p in db.scalars(select(MonitoredParty))
        }
        for r in db.scalars(select(ScreeningRecord).where(ScreeningRecord.current.is_(True))):
            if r.subject != "party":
                out[(r.subject, r.subject_id)] = [(h["entry_id"], h["score"]) for h in r.hits]
        return out


def run(engine: Engine, store: ListStore, full: bool = False) -> Summary:
    active = store.active()
    with transaction(session_factory(engine)) as db:
        return rescreen(db, store, store.screener_for(active), active, SYSTEM, full)


@pytest.fixture(params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path: Path, home: Path
) -> Iterator[tuple[Engine, ListStore]]:
    engine = open_engine(request.param, tmp_path)
    with transaction(session_factory(engine)) as db:
        seed.seed(db)
    yield engine, ListStore(home)
    engine.dispose()


def import_parties(
    engine: Engine, store: ListStore, rows: list[tuple[str, str]], owner: str
) -> None:
    data = ("id,name\n" + "".join(f'{i},"{n}"\n' for i, n in rows)).encode()
    active = store.active()
    with transaction(session_factory(engine)) as db:
        service.import_parties(
            db,
            SYSTEM,
            service.find_owner(db, owner),
            service.read_parties(data),
            store.screener_for(active),
            active,
        )


def test_delta_rescreen_equals_a_full_rescreen(world: tuple[Engine, ListStore]) -> None:
    engine, store = world
    rng = random.Random(9)
    listed = _listed(600, rng)
    store.save(snap(listed))
    rows = _parties(listed, rng, 500)
    import_parties(engine, store, rows, "1")
    first = run(engine, store)
    assert first.mode == "full"
    names = [n for _, n in rows]
    current = listed
    for version in (2, 3, 4):
        current = next_version(current, rng, names, version)
        store.save(snap(current))
        with transaction(session_factory(engine), write=False) as db:
            alerts_before = db.scalar(select(func.count()).select_from(Alert))
        delta = run(engine, store)
        assert delta.mode == "delta", delta.reason
        # Only what the change can reach was screened...
        assert 0 < delta.screened < delta.parties / 2, delta.line()
        after_delta = results(engine)
        with transaction(session_factory(engine), write=False) as db:
            raised = db.scalar(select(func.count()).select_from(Alert)) - (alerts_before or 0)
        assert raised == delta.alerts > 0  # parties named by new entries were caught
        with transaction(session_factory(engine), write=False) as db:
            caught = {
                p.name for p in db.scalars(select(MonitoredParty)) if p.external_id[0] == "H"
            } & {p.name for p in db.scalars(select(MonitoredParty)) if p.hits}
        assert caught == {chinese for chinese, _ in HAN[: 2 * (version - 1)]}
        # ...and screening everyone on the same data gives the same results, and no alert
        # the delta had not already raised.
        full = run(engine, store, full=True)
        assert full.mode == "full" and full.screened == full.parties
        assert results(engine) == after_delta, f"version {version}"
        assert full.alerts == 0
        assert store.active().used["us_csl"] == version


def test_a_delta_that_fails_after_writing_some_chunks_leaves_nothing_written(
    world: tuple[Engine, ListStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delta writes each chunk's results as its processes finish it: when a later chunk
    fails, the error reaches the caller and the chunks written before are rolled back with
    the rest (no result, alert, monitoring state or profile cache of the failed run)."""
    from chipbridge.monitoring import parallel
    from chipbridge.monitoring.models import MonitoringState

    engine, store = world
    rng = random.Random(4)
    listed = _listed(300, rng)
    store.save(snap(listed))
    rows = _parties(listed, rng, 300)
    last = listed[-1].name
    rows.append(("LAST", last))  # a hit: screened by every delta, in the last chunk
    import_parties(engine, store, rows, "1")
    run(engine, store)
    store.save(snap(next_version(listed, rng, [n for _, n in rows], 2)))
    before = results(engine)
    with transaction(session_factory(engine), write=False) as db:
        alerts = db.scalar(select(func.count()).select_from(Alert))
        state = db.get(MonitoringState, 1)
        assert state is not None
        run_before = state.run
    cached = cache_path(store).read_bytes()

    def failing(screener: object, names: list[str], *rest: object) -> Screened:
        if last in names:
            raise RuntimeError("screening failed")
        return screen_names(screener, names, *rest)  # type: ignore[arg-type]

    written: list[int] = []
    apply = service.apply_parties

    def counted(*args: object, **kwargs: object) -> int:
        written.append(len(args[1]))  # type: ignore[arg-type]
        return apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "screen_names", failing)  # the forked processes' too
    monkeypatch.setattr("chipbridge.monitoring.rescreen.apply_parties", counted)
    active = store.active()
    with (
        pytest.raises(RuntimeError, match="screening failed"),
        transaction(session_factory(engine)) as db,
    ):
        rescreen(db, store, store.screener_for(active), active, SYSTEM, workers=2)
    assert sum(written) > 0  # chunks were written before the failing one
    assert results(engine) == before
    with transaction(session_factory(engine), write=False) as db:
        assert db.scalar(select(func.count()).select_from(Alert)) == alerts
        state = db.get(MonitoringState, 1)
        assert state is not None and state.run == run_before
    assert cache_path(store).read_bytes() == cached


def test_removed_or_changed_hit_entry_queues_the_party_again(
    world: tuple[Engine, ListStore],
) -> None:
    engine, store = world
    target = company("t1", "Orion Helios Photonics Co., Ltd.")
    other = company("t2", "Zenith Volga Trading LLC")
    store.save(snap([dataclasses.replace(e, dataset="us_csl") for e in (target, other)]))
    import_parties(engine, store, [("A", "Orion Helios Photonics"), ("B", "Acme Widgets")], "1")
    run(engine, store)
    changed = dataclasses.replace(
        target, dataset="us_csl", aliases=(Alias("Orion Photonics", AliasKind.STRONG),)
    )
    store.save(snap([changed, dataclasses.replace(other, dataset="us_csl")]))
    summary = run(engine, store)
    assert summary.mode == "delta"
    with transaction(session_factory(engine), write=False) as db:
        alert = db.scalars(select(Alert).order_by(Alert.id.desc())).first()
        assert alert is not None and alert.cause == "entry changed" and alert.entry_id == "t1"
        assert alert.lists_used["us_csl"] == 2
    store.save(snap([dataclasses.replace(other, dataset="us_csl")]), allow_shrink=True)
    run(engine, store)
    with transaction(session_factory(engine), write=False) as db:
        party = db.scalars(select(MonitoredParty).where(MonitoredParty.external_id == "A")).one()
        assert party.hits == [] and party.status == "clear"
        assert party.lists_used is not None and party.lists_used["us_csl"] == 3


def test_a_renamed_party_or_company_is_screened_by_the_next_delta(
    world: tuple[Engine, ListStore],
) -> None:
    """A rename outside a re-screen (a parties import, a company edit) leaves the profile of
    the old name in the cache: the next delta must screen the new name, not plan from the old
    one, and find what a full re-screen finds."""
    engine, store = world
    listed = [company(f"f{i}", f"Filler{i} Kalo Trading LLC") for i in range(40)]
    store.save(snap(listed))
    import_parties(engine, store, [("A1", "Vinser Marine Works"), ("A2", "Other Party")], "1")
    assert run(engine, store, full=True).mode == "full"
    import_parties(engine, store, [("A1", "Zorblat Quixmere Holdings"), ("A2", "Other Party")], "1")
    with transaction(session_factory(engine)) as db:
        member = db.scalars(select(Company).order_by(Company.id)).first()
        assert member is not None
        member.name, member.name_zh, member.aliases = "Pellucid Varnox Foundry", None, []
        member_key = ("company", member.id)
    renamed = [
        company("z", "Zorblat Quixmere Holdings Ltd"),
        company("p", "Pellucid Varnox Foundry Inc"),
    ]
    store.save(snap([*listed, *renamed]))
    delta = run(engine, store)
    assert delta.mode == "delta", delta.reason
    after_delta = results(engine)
    with transaction(session_factory(engine), write=False) as db:
        party = db.scalars(select(MonitoredParty).where(MonitoredParty.external_id == "A1")).one()
        party_key = ("party", party.id)
    assert [entry for entry, _ in after_delta[party_key]] == ["z"]
    assert [entry for entry, _ in after_delta[member_key]] == ["p"]
    assert run(engine, store, full=True).mode == "full"
    assert results(engine) == after_delta


def test_a_damaged_profile_cache_means_a_full_rescreen(world: tuple[Engine, ListStore]) -> None:
    engine, store = world
    store.save(snap([dataclasses.replace(company("x", "Vega Lyra Optics"), dataset="us_csl")]))
    import_parties(engine, store, [("A", "Vega Lyra Optics")], "1")
    run(engine, store)
    cache_path(store).write_bytes(b"not a pickle")
    store.save(snap([dataclasses.replace(company("y", "Nova Astra GmbH"), dataset="us_csl")]))
    summary = run(engine, store)
    assert summary.mode == "full" and summary.reason == "no profile cache"


# --- importing parties -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"id,name,colour\n1,A,red\n", "unknown column(s) 'colour'"),
        (b"name,country\nA,CN\n", "missing column(s) id"),
        (b"id,name,country\n1,Acme,CN\n2,Beta", "2 fields, expected 3"),
        (b'id,name\n1,"Acme\n', "unexpected end of data"),
        (b"id,name,country\n1,Acme,China\n", "'China' is not an ISO 3166-1 alpha-2"),
        (b"id,name,country\n1,Acme,XX\n", "line 2: country 'XX' is not an ISO 3166-1 alpha-2"),
        (b"id,name,country\n1,Acme,zz\n", "country 'zz' is not an ISO 3166-1 alpha-2"),
        (b"id,name,type\n1,Acme,friend\n", "type 'friend' is not one of"),
        (b"id,name\n1,Acme\n1,Beta\n", "id '1' already on line 2"),
        (b"id,name\n1,!!!\n", "no letters or digits"),
        (b"id,name\n", "holds no parties"),
        (b"id,name\n1,\xff\n", "not UTF-8"),
    ],
)
def test_a_bad_parties_file_is_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(service.PartiesFileError, match=None) as caught:
        service.read_parties(data, "f.csv")
    assert message in str(caught.value)


def test_a_country_is_read_upper_case() -> None:
    rows = service.read_parties(b"id,name,country\n1,Acme,cn\n2,Beta,\n3,Gamma, xk \n")
    assert [r.country for r in rows] == ["CN", None, "XK"]


def test_cli_import_updates_in_place_and_refuses_bad_files(
    world: tuple[Engine, ListStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from chipbridge.cli import app

    engine, _ = world
    monkeypatch.setenv("CHIPBRIDGE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    cli = CliRunner()
    good = tmp_path / "parties.csv"
    good.write_text(
        "id,name,country,type\nS1,Acme Widgets,DE,supplier\nS2,Huawei Technologies,CN,customer\n"
    )
    out = cli.invoke(app, ["parties", "import", str(good), "--owner", "Intel Corporation"])
    assert out.exit_code == 0, out.output
    assert "2 added, 0 updated" in out.output and "new alert" in out.output
    good.write_text("id,name,country,type\nS1,Acme Widgets AG,DE,supplier\nS3,Foo Bar,,\n")
    out = cli.invoke(app, ["parties", "import", str(good), "--owner", "1"])
    assert out.exit_code == 0 and "1 added, 1 updated, 0 unchanged, 1 not in this file kept" in (
        out.output
    )
    with transaction(session_factory(engine), write=False) as db:
        names = {p.external_id: p.name for p in db.scalars(select(MonitoredParty))}
    assert names == {"S1": "Acme Widgets AG", "S2": "Huawei Technologies", "S3": "Foo Bar"}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nS1,Renamed\nS4")
    out = cli.invoke(app, ["parties", "import", str(bad), "--owner", "1"])
    assert out.exit_code == 2 and "line 3: 1 fields, expected 2" in out.output
    out = cli.invoke(app, ["parties", "import", str(good), "--owner", "Nobody Inc"])
    assert out.exit_code == 2 and "no member company 'Nobody Inc'; `chipbridge" in out.output
    # An alias names the company; a near miss is answered with the close companies.
    out = cli.invoke(app, ["parties", "import", str(good), "--owner", "intel"])
    assert out.exit_code == 0 and out.output.startswith("Intel Corporation: 0 added")
    out = cli.invoke(app, ["parties", "import", str(good), "--owner", "Intell"])
    assert out.exit_code == 2
    assert "no member company 'Intell'; did you mean 'Intel Corporation' (1)?" in out.output
    with transaction(session_factory(engine), write=False) as db:
        assert {p.external_id: p.name for p in db.scalars(select(MonitoredParty))} == names
    out = cli.invoke(app, ["alerts", "--json"])
    assert out.exit_code == 0 and '"listed_name"' in out.output and "Huawei" in out.output
    assert {a["owner"] for a in json.loads(out.output)} == {"Intel Corporation"}
    out = cli.invoke(app, ["alerts"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "company" in out.output and "Intel Corporation" in out.output


def test_parties_and_alerts_api(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    from .webapp import Web, seed_group

    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    store = ListStore(home)
    active = store.active()
    seed_group(engine, store.screener_for(active))
    web = Web(
        create_app(engine, store.screener_for(active), active, store=store), add_accounts(engine)
    )
    secretariat, delegate = web.as_("secretariat"), web.as_("delegate")
    body = {"owner": "Intel Corporation", "parties": [{"id": "S1", "name": "Huawei Technologies"}]}
    answer = secretariat.post("/api/v1/parties", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["added"] == 1 and answer.json()["alerts"] >= 1
    listed = web.as_("counsel").get("/api/v1/parties").json()
    assert listed["total"] == 1 and listed["parties"][0]["status"] == "potential match"
    # The owner filter takes what the import takes: an id, a name, an alias.
    for owner in ("1", "Intel Corporation", "英特尔公司", "intel"):
        mine = web.as_("counsel").get("/api/v1/parties", params={"owner": owner})
        assert mine.status_code == 200 and mine.json()["total"] == 1, (owner, mine.text)
    assert web.as_("counsel").get("/api/v1/parties?owner=2").json()["total"] == 0
    nobody = web.as_("counsel").get("/api/v1/parties?owner=abc")
    assert nobody.status_code == 400 and "no member company 'abc'" in nobody.json()["error"]
    page = web.as_("counsel").get("/parties", params={"owner": "intel"})  # the page as well
    assert page.status_code == 200 and "Huawei Technologies" in page.text
    assert web.as_("counsel").get("/parties", params={"owner": "abc"}).status_code == 400
    assert listed["parties"][0]["lists_used"] == {"chipbridge_builtin": 1}
    assert delegate.get("/api/v1/parties").status_code == 403
    assert delegate.get("/api/v1/alerts").status_code == 403
    alerts = web.as_("reviewer").get("/api/v1/alerts").json()
    assert alerts and alerts[0]["name"] == "Huawei Technologies"
    assert alerts[0]["owner"] == "Intel Corporation"
    # The alert entered the review queue, which the API lists beside companies and people.
    queue = web.as_("reviewer").get("/api/v1/reviews")
    assert queue.status_code == 200, queue.text
    assert ("party", "Huawei Technologies") in [(r["subject"], r["name"]) for r in queue.json()]
    # Bad rows: 400, nothing written.
    bad = {"owner": "1", "parties": [{"id": "S2", "name": "Fine"}, {"id": "S2", "name": "Dup"}]}
    answer = secretariat.post("/api/v1/parties", json=bad)
    assert answer.status_code == 400 and "already on item 1" in answer.json()["error"]
    nowhere = {"owner": "1", "parties": [{"id": "S9", "name": "X", "country": "ZZ"}]}
    answer = secretariat.post("/api/v1/parties", json=nowhere)
    assert answer.status_code == 400 and "'ZZ' is not an ISO 3166-1" in answer.json()["error"]
    unknown = {"owner": "1", "parties": [{"id": "S9", "name": "X", "colour": "red"}]}
    assert secretariat.post("/api/v1/parties", json=unknown).status_code == 422
    assert web.as_("counsel").get("/api/v1/parties").json()["total"] == 1
    page = web.browser("reviewer").get("/parties")
    assert page.status_code == 200 and "Huawei Technologies" in page.text
    page = web.browser("reviewer").get("/alerts?lang=zh").text
    assert "Huawei" in page and "<th>成员公司</th>" in page and "<td>Intel Corporation</td>" in page


# --- hot swap ----------------------------------------------------------------------------


def test_hot_swap_while_requests_run(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A running server picks up an import without a restart; requests running meanwhile
    all succeed, each answered wholly from the old lists or wholly from the new."""
    use_cheap_passwords(monkeypatch)
    store = ListStore(home)
    old = dataclasses.replace(company("o", "Orion Vega Photonics"), dataset="us_csl")
    new = dataclasses.replace(company("n", "Kestrel Nimbus Microsystems"), dataset="us_csl")
    store.save(snap([old]))
    engine = open_engine("sqlite", tmp_path)
    people = add_accounts(engine, ["reviewer"])
    active = store.active()
    app = create_app(engine, store.screener_for(active), active, store=store)
    live = app.state.live
    live.check_every = 0.05
    headers = {"Authorization": f"Bearer {people['reviewer'].token}"}
    answers: list[tuple[int, set[str], float, float]] = []  # version, hits, sent, answered
    failures: list[str] = []
    stop = threading.Event()

    def ask(base: str) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while not stop.is_set():
                sent = time.monotonic()
                response = client.get("/api/v1/screen", params={"name": "Kestrel Nimbus"})
                if response.status_code != 200:
                    failures.append(response.text)
                    continue
                body = response.json()
                hits = {h["entry_id"] for h in body["hits"]}
                answers.append((body["lists"]["us_csl"], hits, sent, time.monotonic()))

    with served(app) as base:
        threads = [threading.Thread(target=ask, args=(base,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        held: Current = live.get()  # as a request in flight holds it
        store.save(snap([old, new]))
        deadline = time.monotonic() + 60
        while not any(version == 2 for version, *_ in answers[-20:]):
            assert time.monotonic() < deadline, "the new lists were never picked up"
            time.sleep(0.05)
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not failures
    versions = [v for v, *_ in answers]
    assert 1 in versions and 2 in versions
    # Once the new lists have answered, a request sent after that never gets the old ones
    # (one swap, one reference); requests already running may finish on the old.
    first_new = min(answered for version, _, _, answered in answers if version == 2)
    assert all(version == 2 for version, _, sent, _ in answers if sent > first_new)
    for version, hits, _, _ in answers:
        assert ("n" in hits) == (version == 2)  # never the new list named with the old hits
    # The request that held the old pair still screens against the old lists.
    assert held.lists.used["us_csl"] == 1
    assert not held.screener.screen("Kestrel Nimbus Microsystems")
    assert live.get().lists.used["us_csl"] == 2
    engine.dispose()


def test_a_failed_swap_keeps_answering_from_the_old_lists(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from chipbridge.web.live import LiveScreener

    store = ListStore(home)
    store.save(snap([dataclasses.replace(company("o", "Orion Vega"), dataset="us_csl")]))
    active = store.active()
    live = LiveScreener(Current(store.screener_for(active), active), store, check_every=0)
    store.save(snap([dataclasses.replace(company("n", "Nimbus Kestrel"), dataset="us_csl")]))

    def broken(_: object) -> None:
        raise OSError("disk gone")

    store.screener_for = broken  # type: ignore[method-assign,assignment]
    assert live.wait().lists.generation == active.generation
    assert "still answering from the old" in caplog.text


def test_the_near_margin_covers_the_drift_volatile_allows() -> None:
    from chipbridge.screening.delta import (
        LISTED_SPREAD,
        NEAR,
        QUERY_SPREAD,
        VOLATILE,
        drift_bound,
    )
    from chipbridge.screening.score import QUERY_SHARE

    assert drift_bound(VOLATILE * VOLATILE) < NEAR
    # The query side moves QUERY_SHARE of a score, the listed side the rest.
    assert (
        QUERY_SHARE * drift_bound(QUERY_SPREAD) + (1 - QUERY_SHARE) * drift_bound(LISTED_SPREAD)
        < NEAR
    )
    assert drift_bound(1.0) == 0.0 and drift_bound(3.0) == 0.5


def test_a_near_miss_is_screened_only_when_drift_could_lift_it() -> None:
    """A hit is screened on every delta; a near miss only when its near score plus the
    drift its weights allow reaches the threshold, or when it has slack words (their
    discount can jump)."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import NEAR, QUERY_SPREAD, Delta, ListStats, near_drift
    from chipbridge.screening.screener import DEFAULT_THRESHOLD as T

    assert near_drift(QUERY_SPREAD) < NEAR
    screener = Screener.from_entries([company(str(i), f"Filler{i} Trading") for i in range(30)])
    stats = ListStats.of(screener.index)
    delta = Delta([], [], stats, screener.index, stats)  # nothing changed, nothing moved
    latin = screen_names(screener, ["Quorvane Lumen"], None, None).profile
    han = screen_names(screener, ["精密光学有限公司"], None, None).profile
    margin = near_drift(1.0)
    assert delta.affects(latin, 0.0) is None
    assert delta.affects(latin, T - margin - 0.001) is None
    assert delta.affects(latin, T - margin + 0.001) == "near miss"
    assert delta.affects(latin, T) == "hit"
    assert delta.affects(han, T - margin - 0.001) is None
    assert delta.affects(han, T - margin + 0.001) == "near miss"
    # Branch and place words are discounted once a listed name is covered enough: a jump
    # drift does not bound, so such a near miss is always screened.
    branch = screen_names(screener, ["Quorvane Lumen Shenzhen Branch"], None, None).profile
    assert any(spelling.slack for spelling in branch)
    assert delta.affects(branch, T - margin - 0.001) == "near miss"
    assert delta.affects(branch, T - NEAR - 0.01) is None


def test_spreads_follow_each_word_since_the_last_full_rescreen() -> None:
    """A word's weights at every re-screen since the last full one are remembered as a
    lowest and a highest: a party screened at either end is measured from there, and a
    name whose words moved apart by more than LISTED_SPREAD joins the changed names."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    base = [company(str(i), f"Filler{i} Trading") for i in range(30)]
    base += [company("a", "Quorvane Trading"), company("b", "Quorvane Helix")]
    first = Screener.from_entries(base)
    reference = ListStats.of(first.index)
    # "Quorvane" becomes twice as common: its weight drops, "Helix" stays.
    grown = [*base, company("c", "Quorvane Delta Works")]
    second = Screener.from_entries(grown)
    now = ListStats.of(second.index)
    assert now.weights["quorvane"] < reference.weights["quorvane"] / 1.1
    delta = Delta([grown[-1]], [], reference, second.index, reference)
    assert "quorvane" in delta.volatile
    assert delta.shifted >= 1  # "Quorvane Helix": its words moved apart
    # The envelope keeps both ends, whichever way the word moves afterwards.
    envelope = reference.extended(now).extended(reference)
    assert envelope.low["quorvane"] == now.weights["quorvane"]
    assert envelope.high["quorvane"] == reference.weights["quorvane"]
    # A party screened on the first list whose own word moved that far is screened again.
    party = screen_names(first, ["Quorvane Lumen"], None, None)
    assert delta.spread(party.profile[0]) > 1.1
    assert delta.affects(party.profile, party.near) is not None


def test_names_of_a_word_that_crossed_the_distinctive_line_count_as_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Chinese name that leaves a distinctive listed word unsaid scores less against it
    (lattice.UNSAID_TERM): a word whose weight crossed DISTINCTIVE since the last full
    re-screen may switch that factor, a jump drift does not bound, so the names holding it
    join the changed names, and a Chinese near miss is screened again through them."""
    from chipbridge.screening import Screener
    from chipbridge.screening import delta as delta_module
    from chipbridge.screening.delta import Delta, ListStats

    base = [company(str(i), f"Filler{i} Trading") for i in range(30)]
    base.append(company("o", "Precision Optics Co., Ltd."))
    screener = Screener.from_entries(base)
    stats = ListStats.of(screener.index)
    # The same list, remembered with "optics" weighing 1% less at a re-screen since (far
    # within LISTED_SPREAD), and the line between the two weights.
    weight = stats.weights["optics"]
    monkeypatch.setattr(delta_module, "DISTINCTIVE", weight / 1.005)
    delta = Delta([], [], stats, screener.index, stats)
    assert not delta.crossed and delta.shifted == 0
    low = dict(stats.weights, optics=weight / 1.01)
    before = dataclasses.replace(stats, low=low, high=dict(stats.weights))
    crossed = Delta([], [], stats, screener.index, before)
    assert crossed.crossed == {"optics"} and crossed.shifted == 1
    party = screen_names(screener, ["精密光学有限公司"], None, None)
    assert party.hits, "the Chinese name reads as Precision Optics"
    assert delta.affects(party.profile, 0.0) is None
    assert crossed.affects(party.profile, 0.0) == "a changed entry in reach"


def test_dashboard_warns_when_a_list_is_older_than_seven_days(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from chipbridge.store.versions import stage

    from .webapp import Web, seed_group

    use_cheap_passwords(monkeypatch)
    store = ListStore(home)
    listed = snap([dataclasses.replace(company("o", "Orion Vega Photonics"), dataset="us_csl")])
    store.versions.commit([stage(listed)], "test", datetime.now(UTC) - timedelta(days=10))
    engine = open_engine("sqlite", tmp_path)
    active = store.active()
    seed_group(engine, store.screener_for(active))
    web = Web(
        create_app(engine, store.screener_for(active), active, store=store), add_accounts(engine)
    )
    page = web.browser("observer").get("/").text
    assert 'class="warn stale-list"' in page and "us_csl v1 (10 days)" in page
    assert "名单已超过 7 天未更新" in web.browser("observer").get("/?lang=zh").text
    # The publisher's file, fetched again and unchanged, brings the list up to date.
    assert not store.save_all([listed])[0].new
    assert "stale-list" not in web.browser("observer").get("/").text
    engine.dispose()


def test_the_reverse_lookup_reaches_a_chinese_party_through_its_lattice() -> None:
    """A changed entry whose words a Chinese name's lattice offers ("Precision Optics" for
    精密光学) is in that party's reach, with no vocabulary change to give it away; an
    unrelated Chinese party is not."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    listed = [
        company("po", "Precision Optics Co., Ltd."),
        company("x", "Kalo Trading LLC"),
        company("y", "Vinser Precision Machinery GmbH"),
    ]
    screener = Screener.from_entries(listed)
    stats = ListStats.of(screener.index)
    delta = Delta([listed[0]], [listed[0]], stats, screener.index, stats)
    assert not delta.vocabulary and not delta.volatile
    near = screen_names(screener, ["精密光学有限公司"], None, None)
    assert near.hits and near.hits[0].entry.id == "po"
    assert delta.affects(near.profile, 0.0) == "a changed entry in reach"
    far = screen_names(screener, ["星河微电子有限公司"], None, None)
    assert delta.affects(far.profile, far.near) is None


def test_a_registered_chinese_name_reaches_a_new_trade_name_entry() -> None:
    """A Chinese registered name adds place and industry words to its trade name (乌鲁木齐
    ... 网络科技 around 依图); against a listed name found whole those weigh next to nothing,
    so the reverse lookup's bound must not count them unmatched, or a new entry is missed."""
    # The vocabulary must not give the change away ("yitu" a new word every party holds).
    fillers = [*ENTRIES, *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30))]
    _delta_reaches_what_full_finds(
        fillers, "乌鲁木齐依图电子信息网络科技有限公司", company("yitu", "Yitu Limited")
    )


def test_a_new_brand_restyling_of_a_chinese_partys_pinyin_is_in_its_reach() -> None:
    """A new entry whose trade name restyles a Chinese party's pinyin by a letter (泰兴
    taixing, "Thaixing") is in that party's reach, as a full re-screen finds it."""
    fillers = [*ENTRIES, *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30))]
    _delta_reaches_what_full_finds(fillers, "泰兴有限公司", company("t", "Thaixing Co., Ltd."))


def test_a_new_hong_kong_firm_is_in_the_reach_of_its_chinese_name() -> None:
    """A Chinese name leaves a Hong Kong firm's place unsaid (lattice.unplaced): a new entry
    that adds "Hong Kong" to the party's trade name and trade is in its reach, as a full
    re-screen finds it."""
    fillers = [*ENTRIES, *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30))]
    _delta_reaches_what_full_finds(
        fillers, "青岚贸易有限公司", company("q", "QINGLAN TRADING HONG KONG LTD")
    )


def test_a_new_mainland_firm_is_in_the_reach_of_its_placeless_chinese_name() -> None:
    """A Chinese name that says no place leaves a listed mainland city unsaid once the rest
    is met in full (lattice.mainland_places): a new entry that adds its city to the party's
    trade name and trade is in its reach, as a full re-screen finds it."""
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        *(company(f"p{i}", f"Kalo Petrochemical {i} LLC") for i in range(30)),
        # The vocabulary must not give the change away: its words are listed already, the
        # trade name's often enough that the place weighs as much as a bound may spare.
        *(company(f"l{i}", f"Lanxinda Vinser Marine {i} LLC") for i in range(10)),
        company("s", "Shandong Kalo Parts LLC"),
    ]
    _delta_reaches_what_full_finds(
        fillers, "岚鑫达石化有限公司", company("q", "SHANDONG LANXINDA PETROCHEMICAL CO LTD")
    )


def test_a_new_firm_whose_kind_a_short_name_leaves_out_is_in_its_reach() -> None:
    """A Chinese name without its legal form leaves the listed kind of business out
    (lattice.short_name_unsaid) as well as the city: a new entry that adds both to the
    party's trade name and trade is in its reach, as a full re-screen finds it."""
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Chongqing Trading {i} LLC") for i in range(30)),
        *(company(f"p{i}", f"Kalo Aero Engines {i} LLC") for i in range(30)),
        *(company(f"l{i}", f"Lanxinda Vinser Marine {i} LLC") for i in range(10)),
        company("s", "Chongqing Kalo Parts LLC"),
    ]
    _delta_reaches_what_full_finds(
        fillers,
        "岚鑫达航空发动机",
        company("q", "CHONGQING LANXINDA AERO ENGINES MANUFACTURING CO LTD"),
    )


def test_a_mainland_place_is_relieved_in_the_reach_whatever_the_update_holds() -> None:
    """An index counts a place word as a place only while few of its names hold it: an
    update listing many firms of one province makes the delta's own index take the province
    for a word, while the whole list still takes it for a place that a Chinese name leaves
    unsaid. The reach relieves every place word (lattice.possible_places)."""
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(8000)),
        *(company(f"p{i}", f"Kalo Petrochemical {i} LLC") for i in range(1000)),
        *(company(f"l{i}", f"Lanxinda Vinser Marine {i} LLC") for i in range(300)),
        company("s", "Shandong Kalo Parts LLC"),
    ]
    _delta_reaches_what_full_finds(
        fillers,
        "岚鑫达石化有限公司",
        company("q", "SHANDONG LANXINDA PETROCHEMICAL CO LTD"),
        also=tuple(company(f"sd{i}", f"Shandong Kalo Trading {i} LLC") for i in range(21)),
    )


def test_a_new_brand_that_sounds_like_a_chinese_partys_trade_name_is_in_its_reach() -> None:
    """A new entry whose brand sounds like a Chinese party's trade name (奥利泰 ao li tai,
    "Olitel"), between words the party says, is in that party's reach, as a full re-screen
    finds it: the reverse lookup meets the characters' sound skeleton as align does."""
    # The vocabulary must not give the change away: only "olitel" is a new word.
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        company("nb", "Ningbo Harbour Trading LLC"),
        company("el", "Vinser Electronics LLC"),
    ]
    _delta_reaches_what_full_finds(
        fillers, "宁波奥利泰康电子有限公司", company("o", "Ningbo Olitekon Electronics Co., Ltd.")
    )


def test_a_new_entry_written_short_is_in_a_chinese_partys_reach() -> None:
    """A new entry a Chinese party meets partly through a word written short (Std. for 标准,
    standard) is in that party's reach, as a full re-screen finds it."""
    # The vocabulary must not give the change away: its words are listed already.
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        company("q", "Qinglan Vinser Marine LLC"),
        company("s", "Std. Kalo Parts LLC"),
    ]
    _delta_reaches_what_full_finds(
        fillers, "青岚标准件有限公司", company("sp", "Qinglan Std. Parts Co., Ltd.")
    )


def test_a_new_entry_a_hangul_party_meets_through_two_syllables_is_in_reach() -> None:
    """A name in Hangul is read a syllable at a time, and two syllables also as the one word
    lists write ("Jongun"): a new entry met that way is in the party's reach."""
    # The vocabulary must not give the change away: its words are listed already.
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        # Held by many names, so that one more moves their weights too little to matter.
        *(person(f"j{i}", f"TARKOV{chr(97 + i)}, Jongun") for i in range(20)),
        *(person(f"p{i}", f"PYON, Vinser{chr(97 + i)}") for i in range(20)),
    ]
    _delta_reaches_what_full_finds(fillers, "변정은", person("pj", "PYON, Jongun"))


def test_a_person_named_with_further_names_reaches_a_new_listed_person() -> None:
    """Beside a listed person found whole, a party's further given names weigh half
    (score.middle_names_around): the reverse lookup's bound must count them so, or a new listing
    of "AGHA, Janan" is missed for "Janan Mohammad Ahmed Karim Agha"."""
    # Common middle names, rarer family and given names; none of them new to the list.
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(200)),
        *(person(f"m{i}", f"TARKOV{i:03d}x, Mohammad Ahmed Karim") for i in range(150)),
        *(person(f"j{i}", f"VINSER{chr(97 + i)}, Janan") for i in range(20)),
        *(person(f"a{i}", f"Agha, Orthon{chr(97 + i)}") for i in range(20)),
    ]
    _delta_reaches_what_full_finds(
        fillers, "Janan Mohammad Ahmed Karim Agha", person("ja", "AGHA, Janan")
    )


def test_a_new_chinese_person_spelled_the_hong_kong_way_is_in_a_pinyin_partys_reach() -> None:
    """A pinyin name meets a listed Chinese person written in Hong Kong spelling through its
    syllables' spellings (romanise.spellings): "Chen Dawen" is "CHAN, Tai-man". None of the
    words is new to the list, so only those spellings tie the party to the new listing."""
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        *(person(f"c{i}", f"CHAN, Orthon{chr(97 + i)}", countries=("HK",)) for i in range(20)),
        *(person(f"t{i}", f"TAI, Vinser{chr(97 + i)}", countries=("HK",)) for i in range(20)),
        *(person(f"m{i}", f"MAN, Tarkov{chr(97 + i)}", countries=("HK",)) for i in range(20)),
    ]
    _delta_reaches_what_full_finds(
        fillers, "Chen Dawen", person("hk", "CHAN, Tai-man", countries=("HK",))
    )


def test_half_of_a_split_word_stands_for_its_share_only() -> None:
    """A party word the index splits in two (Kramer: Kra + Mer) is covered by a half only
    in part (score_name: similarity x share): a new name holding one half is out of its
    reach, one holding both is in it."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        *(company(f"k{i}", f"Kra Vinser{chr(97 + i)} LLC") for i in range(20)),
        *(company(f"m{i}", f"Mer Orthon{chr(97 + i)} LLC") for i in range(20)),
    ]
    before = Screener.from_entries(fillers)
    old = screen_names(before, ["Kramer"], None, None)
    assert not old.hits
    for name, reached in (("MER", False), ("Kra Mer", True)):
        added = company("new", name)
        after = Screener.from_entries([*fillers, added])
        stats = ListStats.of(before.index)
        delta = Delta([added], [], stats, after.index, stats)
        assert bool(screen_names(after, ["Kramer"], None, None).hits) is reached
        assert (delta.affects(old.profile, old.near) is not None) is reached


def test_a_chinese_partys_profile_offers_the_halves_a_split_translation_could_make() -> None:
    """光电 is optoelectronic(s); a list may write "Opto-Electronics", two words the party
    meets once both are listed and the one-word form is not (lattice.with_split_words). Its
    profile offers the halves before any list holds them, so a new "Opto" is a word the
    party may meet, and the new entry is in its reach."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    fillers = [
        *ENTRIES,
        *(company(f"e{i}", f"Kalo{chr(97 + i)} Electronics LLC") for i in range(20)),
        *(company(f"i{i}", f"Vinser{chr(97 + i)} Instruments Co.") for i in range(20)),
        *(company(f"q{i}", f"Qinglan Orthon{chr(97 + i)} LLC") for i in range(20)),
    ]
    before = Screener.from_entries(fillers)
    old = screen_names(before, ["青岚光电仪器有限公司"], None, None)
    assert "opto" not in before.index.postings and not old.hits
    offered = {w for s in old.profile if s.han is not None for words in s.han.words for w in words}
    assert {"opto", "electronics"} <= offered
    added = company("qo", "Qinglan Opto-Electronics Instruments Co.")
    after = Screener.from_entries([*fillers, added])
    new = screen_names(after, ["青岚光电仪器有限公司"], None, None)
    assert new.hits and new.hits[0].entry.id == "qo"
    delta = Delta([added], [], ListStats.of(before.index), after.index, ListStats.of(before.index))
    assert delta.affects(old.profile, old.near) == "a changed entry in reach"


def _group_fillers() -> list[Entry]:
    """Names holding the words of a made-up group and its subsidiary many times over, so
    that one more entry moves their weights too little to give a change away."""
    return [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        *(company(f"c{i}", f"CNSC Vinser{chr(97 + i)} Marine Co., Ltd.") for i in range(20)),
        *(company(f"s{i}", f"Orthon{chr(97 + i)} Shipbuilding Co., Ltd.") for i in range(20)),
        *(company(f"q{i}", f"Qinglan Tarkov{chr(97 + i)} Co., Ltd.") for i in range(20)),
        *(company(f"n{i}", f"China National Tarkov{chr(97 + i)} Corporation") for i in range(20)),
    ]


def test_a_group_acronym_that_appears_reaches_a_chinese_party_through_an_unchanged_name() -> None:
    """A new entry spelling a group's acronym out (CNSC) makes a Chinese short name (中船)
    read it, so a party meets an unchanged subsidiary listed under the acronym: the party's
    words match differently although no name it could meet changed."""
    group = company("grp", "China National Shipbuilding Corporation", "CNSC")
    sub = company("sub", "CNSC Qinglan Shipbuilding Co., Ltd.")
    _delta_reaches_what_full_finds([*_group_fillers(), sub], "中船青岚造船有限公司", group, "sub")


def test_a_new_entry_under_a_listed_group_acronym_is_in_a_chinese_partys_reach() -> None:
    """With the group spelled out already, a new subsidiary listed under its acronym is in
    the reach of a Chinese party whose short name reads the acronym (its profile offers the
    acronym, as the lattice aligns it)."""
    group = company("grp", "China National Shipbuilding Corporation", "CNSC")
    sub = company("sub", "CNSC Qinglan Shipbuilding Co., Ltd.")
    _delta_reaches_what_full_finds([*_group_fillers(), group], "中船青岚造船有限公司", sub)


def test_a_group_spelled_out_no_more_lets_a_chinese_party_read_its_acronym() -> None:
    """中国精密机械 reads the initials CPMC from its translated words; while the lists spell
    CPMC out with other words (Cangling Polar Mining Corporation) that reading meets nothing
    (lattice.ParentGroups.misread). When that entry goes, a full re-screen finds the unchanged
    CPMC-named entry, and the delta sends the party back to screening: the entry that went
    holds the acronym the party reads."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    group = company("grp", "Cangling Polar Mining Corporation", "CPMC")
    named = company("named", "CPMC Co., Ltd.")
    # The vocabulary must not give the change away: the group's words stay listed.
    fillers = [
        *ENTRIES,
        *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30)),
        *(company(f"c{i}", f"Cangling Vinser{chr(97 + i)} Corporation") for i in range(20)),
        *(company(f"m{i}", f"Orthon{chr(97 + i)} Polar Mining Co., Ltd.") for i in range(20)),
    ]
    before = Screener.from_entries([*fillers, named, group])
    old = screen_names(before, ["中国精密机械有限公司"], None, None)
    assert not old.hits
    after = Screener.from_entries([*fillers, named])
    new = screen_names(after, ["中国精密机械有限公司"], None, None)
    assert new.hits and new.hits[0].entry.id == "named", "a full re-screen finds it"
    delta = Delta([], [group], ListStats.of(before.index), after.index, ListStats.of(before.index))
    assert delta.affects(old.profile, old.near) is not None


def _delta_reaches_what_full_finds(
    fillers: list[Entry],
    party: str,
    added: Entry,
    hit: str | None = None,
    also: tuple[Entry, ...] = (),
) -> None:
    """``party`` has no hit on ``fillers``; once ``added`` is listed (with ``also``, in the
    same update) a full re-screen finds it (or entry ``hit``), so the delta must count the
    update as affecting the party."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    before = Screener.from_entries(fillers)
    old = screen_names(before, [party], None, None)
    assert not old.hits
    after = Screener.from_entries([*fillers, added, *also])
    stats = ListStats.of(before.index)
    delta = Delta([added, *also], [], stats, after.index, stats)
    new = screen_names(after, [party], None, None)
    assert new.hits and new.hits[0].entry.id == (hit or added.id), "a full re-screen finds it"
    assert delta.affects(old.profile, old.near) is not None


def test_the_reach_bound_counts_a_firms_unsaid_descriptors_as_the_scorer_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Zorblax" finds Zorblax Technologies Co., Ltd. with "Technologies" unsaid at half its
    weight (score.unsaid_descriptors): the reverse lookup's listed coverage, with the query
    reaching "zorblax" only, must be as much at least, or a new listing is missed."""
    from chipbridge.screening import Screener, score
    from chipbridge.screening.delta import Delta, ListStats

    fillers = [*ENTRIES, *(company(f"f{i}", f"Kalo Trading {i} LLC") for i in range(30))]
    added = company("z", "Zorblax Technologies Co., Ltd.")
    before = Screener.from_entries(fillers)
    after = Screener.from_entries([*fillers, added])
    delta = Delta([added], [], ListStats.of(before.index), after.index, ListStats.of(before.index))
    assert delta.index is not None  # the changed names' own index
    n_idx = next(n for n, t in enumerate(delta.index.name_tokens) if t == "zorblax technologies")
    hit = after.screen("Zorblax")[0]
    listed_coverage = (hit.score - score.QUERY_SHARE) / (1 - score.QUERY_SHARE)
    # (Scores are rounded to four places.)
    assert delta._listed_coverage(n_idx, {"zorblax": 1.0}) >= listed_coverage - 1e-3
    # The rule is what lifts the hit: without it the listed coverage is lower.
    monkeypatch.setattr(score, "UNSAID_DESCRIPTOR", 0.0)
    plain = Screener.from_entries([*fillers, added]).screen("Zorblax", threshold=0.0)[0]
    assert plain.score < hit.score


def test_alerts_follow_parties_not_listings() -> None:
    """A hit is one party with all its listings: the same party hit through another of its
    listings raises nothing; a party newly listed elsewhere raises "entry changed"."""
    from chipbridge.screening import Screener
    from chipbridge.screening.sources import builtin
    from chipbridge.workgroup.reviews.service import fresh_hits, hit_dict

    hit = Screener.from_snapshots([builtin.load()]).screen("中芯国际")[0]
    assert hit.also_listed, "SMIC is listed twice in the built-in list"
    stored = hit_dict(hit)
    assert fresh_hits(None, [hit]) == [(hit, "new match")]
    assert fresh_hits(ScreeningRecord(hits=[stored]), [hit]) == []
    # Stored when the party's other listing was its best one.
    other = stored["also_listed"][0]
    swapped = {**stored, **other, "entry_hash": None, "also_listed": [stored]}
    assert fresh_hits(ScreeningRecord(hits=[swapped]), [hit]) == []
    # Stored before the second listing existed.
    alone = {**stored, "also_listed": []}
    assert fresh_hits(ScreeningRecord(hits=[alone]), [hit]) == [(hit, "entry changed")]


def test_a_delta_finds_parties_ownership_newly_catches(home: Path, tmp_path: Path) -> None:
    """The parties the 50% rules catch are the derived dataset, which the list store's diffs
    do not cover: when an owner moves onto the SDN list, the parties it now catches are
    changed entries of the delta, and the result is a full re-screen's."""
    from chipbridge.store.db import make_engine, migrate

    from .test_cli import run as cli
    from .test_cli import write_csv
    from .test_ownership import CHAIN, HEADER, SDN_LIST, UVL, write_links

    columns = ["_id", "source", "name", "type", "federal_register_notice", "addresses"]
    volkov = ["sdn-77", UVL, "Volkov Industrial Holdings LLC", "Entity", "", ""]
    assert cli("lists", "import", str(write_csv(tmp_path / "v1.csv", [columns, volkov])))[0] == 0
    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine)) as db:
        seed.seed(db)
    store = ListStore(home)
    import_parties(engine, store, [("B1", "Baltic Wafer Services OU"), ("X1", "Acme")], "1")
    code, _, err = cli("ownership", "import", str(write_links(tmp_path / "o.csv", CHAIN, HEADER)))
    assert code == 0, err
    moved = ["sdn-77", SDN_LIST, "Volkov Industrial Holdings LLC", "Entity", "89 FR 1234", ""]
    code, out, err = cli("lists", "import", str(write_csv(tmp_path / "v2.csv", [columns, moved])))
    assert code == 0, err
    # Volkov's listing changed; Norden Capital and Baltic Wafer Services are newly caught.
    assert "delta re-screen (3 list entries added, changed or removed" in out, out
    with transaction(session_factory(engine), write=False) as db:
        party = db.scalars(select(MonitoredParty).where(MonitoredParty.external_id == "B1")).one()
        assert party.status == "potential match"
        assert [h["dataset"] for h in party.hits] == ["ownership"]
    after_delta = results(engine)
    run(engine, store, full=True)
    assert results(engine) == after_delta
    engine.dispose()


def test_the_profile_cache_writes_a_base_and_what_changed_since(tmp_path: Path) -> None:
    """A delta writes the profiles it screened beside an unchanged base file; a party gone
    since the base stays gone; past REBASE of the parties a new base replaces the old."""
    from chipbridge.monitoring import rescreen as monitor
    from chipbridge.screening.delta import ListStats

    stats = ListStats({}, frozenset(), 0, 0.0)
    path = tmp_path / "monitor.pickle"
    profiles = {("party", i): ((), i / 10) for i in range(10)}
    monitor.save_cache(path, monitor.ProfileCache("r1", "e", stats, stats, dict(profiles)))
    first = monitor.load_cache(path)
    assert first is not None and first.profiles == profiles and first.base is not None
    base = path.with_name(first.base)
    written = base.stat().st_mtime_ns
    first.profiles[("party", 1)] = ((), 0.99)
    first.fresh.add(("party", 1))
    del first.profiles[("party", 2)]
    monitor.save_cache(path, first)
    second = monitor.load_cache(path)
    assert second is not None and second.base == first.base
    assert base.stat().st_mtime_ns == written  # the base was not written again
    assert second.profiles[("party", 1)] == ((), 0.99)
    assert ("party", 2) not in second.profiles and len(second.profiles) == 9
    second.fresh |= {("party", i) for i in range(3, 9)}
    monitor.save_cache(path, second)
    third = monitor.load_cache(path)
    assert third is not None and third.base != first.base and not third.fresh
    assert third.profiles == second.profiles and not base.exists()
    path.with_name(third.base or "").unlink()
    assert monitor.load_cache(path) is None  # a base gone: a full re-screen


@pytest.mark.parametrize("workers", [1, 2])
def test_planning_and_screening_together_gives_each_party_its_reason_and_result(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Every party's reason from the (forked) plan is the one planning it alone gives, and
    every party planned for screening gets the result screening it alone gives."""
    from chipbridge.monitoring import parallel
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    rng = random.Random(5)
    fillers = [*_group_fillers(), *_listed(60, rng)]
    added = [
        company("grp", "China National Shipbuilding Corporation", "CNSC"),
        company("sub", "CNSC Qinglan Shipbuilding Co., Ltd."),
        company("yitu", "Yitu Limited"),
        person("pj", "PYON, Jongun"),
    ]
    before, after = Screener.from_entries(fillers), Screener.from_entries([*fillers, *added])
    names = [name for _, name in _parties(fillers, rng, 40)]
    names += [entry.name for entry in fillers[:3]]  # hits: screened every time
    names += [
        "中船青岚造船有限公司",
        "乌鲁木齐依图电子信息网络科技有限公司",
        "변정은",
        "精密光学有限公司",
    ]
    known: list[parallel.Known] = [None]
    work: list[parallel.Work] = [(["Nobody Known At All"], None, None)]
    for name in names:
        screened = screen_names(before, [name], None, None)
        known.append((screened.profile, screened.near))
        work.append(([name], None, None))

    def delta() -> Delta:
        stats = ListStats.of(before.index)
        return Delta(added, [], stats, after.index, stats)

    def seen(result: Screened | None) -> object:
        return result and (
            [(h.entry.id, h.score) for h in result.hits],
            result.near,
            result.profile,
        )

    alone = ["new" if k is None else delta().affects(*k) for k in known]
    screened_alone = [
        seen(screen_names(after, *w)) if why else None for why, w in zip(alone, work, strict=True)
    ]

    def planned(
        known: list[parallel.Known], work: list[parallel.Work]
    ) -> tuple[list[str | None], list[Screened | None]]:
        whys: list[str | None] = [None] * len(work)
        done: list[Screened | None] = [None] * len(work)
        for chunk in parallel.plan_and_screen(after, shared, known, work, workers):
            for place, why, result in chunk:
                assert whys[place] is None  # each party once
                whys[place], done[place] = why, result
        return whys, done

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    shared = delta()
    whys, done = planned(known, work)
    assert whys == alone
    assert [seen(r) for r in done] == screened_alone
    # Parties with equal profiles are planned once, each keeping its own place; a party
    # screened with another country keeps its own result.
    work_cn = [(n, k, "CN") for n, k, _ in work]
    whys, done = planned(known + known[::-1], work + work_cn[::-1])
    assert whys == alone + alone[::-1]
    cn_alone = [
        seen(screen_names(after, *w)) if why else None
        for why, w in zip(alone, work_cn, strict=True)
    ]
    assert [seen(r) for r in done] == screened_alone + cn_alone[::-1]
    assert "words match differently" in alone and "a changed entry in reach" in alone
    assert "hit" in alone and None in alone


def test_a_nested_freeze_keeps_the_outer_one() -> None:
    """A re-screen freezes what it loaded for its whole run; the pools inside it freeze
    again and must not unfreeze the re-screen's heap (nor one frozen before it, such as the
    index) when they finish."""
    import gc

    from chipbridge.monitoring.parallel import frozen

    before = gc.get_freeze_count()
    try:
        gc.unfreeze()
        with frozen():
            with frozen():
                pass
            assert gc.get_freeze_count() > 0  # the inner one left the outer freeze
        assert gc.get_freeze_count() == 0  # the outermost unfroze
        gc.freeze()  # as store.lists._settle leaves the index
        held = gc.get_freeze_count()
        with frozen():
            pass
        assert gc.get_freeze_count() >= held
    finally:
        if before:
            gc.freeze()
        else:
            gc.unfreeze()


@pytest.mark.parametrize("workers", [1, 2])
def test_parties_screened_alike_are_screened_once_each_keeping_its_result(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """screen_many screens equal work once and gives every party, in its place, what
    screening it alone gives."""
    from chipbridge.monitoring import parallel
    from chipbridge.screening import Screener

    screener = Screener.from_entries(ENTRIES)
    names = [entry.name for entry in ENTRIES[:3]]
    work: list[parallel.Work] = [
        ([names[0]], None, None),
        ([names[1]], None, None),
        ([names[0]], None, "CN"),
        ([names[0]], None, None),
        ([names[2], names[1]], None, None),
        ([names[1]], None, None),
    ]
    calls: list[tuple[str, ...]] = []

    def counted(screener: Screener, names: list[str], kind: object, country: object) -> object:
        calls.append(tuple(names))
        return screen_names(screener, names, kind, country)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    if workers == 1:
        monkeypatch.setattr(parallel, "screen_names", counted)
    done = parallel.screen_many(screener, work, workers)
    alone = [screen_names(screener, n, k, c) for n, k, c in work]

    def seen(result: object) -> object:
        assert isinstance(result, Screened)
        return ([(h.entry.id, h.score) for h in result.hits], result.near, result.profile)

    assert [seen(r) for r in done] == [seen(r) for r in alone]
    assert seen(done[0]) != seen(done[1]) != seen(done[4])  # not one result for all
    if workers == 1:
        assert len(calls) == 4  # six parties, four screened alike


def test_a_group_that_appears_relieves_an_unchanged_unit_named_under_it() -> None:
    """A group spelled out for the first time makes its acronym a parent where it opens an
    unchanged unit's name (lattice.parent_relief): a Chinese party naming the unit alone
    meets that name better now, and the delta must screen it again as a full re-screen
    would (Delta.unit_words; the new acronym's weight moving may flag it too)."""
    group = company("grp", "China National Shipbuilding Heavy Corporation", "CNSHC")
    unit = company("unit", "CNSHC Qinglan Research Institute")
    # Research institutes are many, so that the unit's words weigh as on a real list.
    bodies = [company(f"r{i}", f"Tarkov{chr(97 + i)} Research Institute") for i in range(20)]
    fillers = [*_group_fillers(), *bodies, unit]
    _delta_reaches_what_full_finds(fillers, "青岚研究所", group, "unit")


def test_a_removed_name_that_held_a_units_words_relieves_the_unit() -> None:
    """A unit's parent is left unsaid only while at most lattice.MAX_UNIT_NAMES listed names
    hold all the unit's own words: when one of four is removed, a Chinese party naming the
    unit alone meets the unchanged unit's name better, and the delta must screen it again
    as a full re-screen would. Two parts: the unit joins the changed names (_units_held_by),
    and its bound counts only names on the list now (Delta._new_postings), not the removed
    one. The removed name says too much more to be in the party's reach itself."""
    from chipbridge.screening import Screener
    from chipbridge.screening.delta import Delta, ListStats

    group = company("grp", "China National Shipbuilding Heavy Corporation", "CNSHC")
    unit = company(
        "unit", "China National Shipbuilding Heavy Corporation (CNSHC) Qinglan Research Institute"
    )
    bodies = [company(f"r{i}", f"Tarkov{chr(97 + i)} Research Institute") for i in range(20)]
    holders = [
        company(f"h{i}", f"Qinglan Research Institute {word} Kelmar Durano Fensik Holdings")
        for i, word in enumerate(("Vostra", "Menkal", "Darvio"))
    ]
    fillers = [*_group_fillers(), *bodies, group, unit, *holders[1:]]
    party = "青岚研究所"
    before = Screener.from_entries([*fillers, holders[0]])
    old = screen_names(before, [party], None, None)
    assert not old.hits and not old.near, "four names hold the unit's words"
    after = Screener.from_entries(fillers)
    new = screen_names(after, [party], None, None)
    assert new.hits and new.hits[0].entry.id == "unit", "a full re-screen finds the unit"
    stats = ListStats.of(before.index)
    delta = Delta([], [holders[0]], stats, after.index, stats)
    assert delta.affects(old.profile, old.near) is not None


def test_a_unit_of_two_own_words_is_held_by_an_entry_holding_both() -> None:
    """_units_held_by looks only at names holding two of the entries' own words (a unit
    names itself with two at least): a unit of exactly two is found, one of whose words
    the entry lacks is not."""
    from chipbridge.screening import Screener, lattice
    from chipbridge.screening.delta import _units_held_by

    group = company("grp", "China National Shipbuilding Heavy Corporation", "CNSHC")
    units = [
        company("two", "China National Shipbuilding Heavy Corporation (CNSHC) Qinglan Kelmar"),
        company("other", "CNSHC Qinglan Durano"),
    ]
    holder = company("h", "Qinglan Kelmar Vostra Holdings")
    index = Screener.from_entries([*_group_fillers(), group, *units]).index
    parents = lattice.ParentGroups.of(index.group_acronyms)
    found = {index.entry(index.name_entry[n]).id for n in _units_held_by(index, parents, [holder])}
    assert found == {"two"}
