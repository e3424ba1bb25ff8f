"""The meeting cycle: the state machine with every illegal step, its guards, working days of
both sides, the pack PDF (read back with pdftotext), the iCalendar feed (parsed back), the
meetings CLI, and the migration that carries old meetings into the lifecycle."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from chipbridge.accounts import service as accounts
from chipbridge.accounts.permissions import Actor, Forbidden, Role
from chipbridge.cli import app
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import downgrade, make_engine, migrate, session_factory, transaction
from chipbridge.workgroup import seed
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations import service as delegations
from chipbridge.workgroup.errors import Refused
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import Meeting, State
from chipbridge.workgroup.meetings.workdays import day_off, next_working_day
from tests.lifecycle import COUNSEL, SECRETARIAT, attendees, head, meeting_in, next_day
from tests.pdfcheck import needs_pdf
from tests.webapp import BACKENDS, Web, make_web, open_engine, use_cheap_passwords

SYSTEM = Actor.system("test")
BLOCK = service.Block("SIA delegation", "Public rules were summarised.", "概述了公开规则。")
runner = CliRunner()


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_snapshots([builtin.load()])


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path, screener: Screener) -> Iterator[Engine]:
    """A seeded group on SQLite and, when CI provides one, on PostgreSQL."""
    engine = open_engine(request.param, tmp_path)
    with transaction(session_factory(engine)) as session:
        seed.seed(session)
    yield engine
    engine.dispose()


@pytest.fixture
def web(tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Web:
    use_cheap_passwords(monkeypatch)
    return make_web(open_engine("sqlite", tmp_path), screener)


def audit_rows(engine: Engine) -> int:
    with transaction(session_factory(engine), write=False) as db:
        return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


def state_of(engine: Engine, meeting_id: int) -> str:
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.status


def refused(
    engine: Engine, act: Callable[[Session], object], expect: type[Exception] = Refused
) -> str:
    """Run ``act`` in a transaction; it must be refused and write nothing."""
    before = audit_rows(engine)
    with pytest.raises(expect) as caught, transaction(session_factory(engine)) as session:
        act(session)
    assert audit_rows(engine) == before, "a refused step wrote to the audit log"
    return str(caught.value)


def start_of(engine: Engine, meeting_id: int) -> dt.datetime:
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None
        return service.starts_at(meeting)


# --- the state machine -------------------------------------------------------------------


def steps(engine: Engine, meeting_id: int) -> dict[str, Callable[[Session], object]]:
    """Every step of the machine, taken on this meeting with a plausible actor and input."""
    start = start_of(engine, meeting_id)
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, meeting_id)
        assert meeting is not None
        track = meeting.tracks[0].id
        item = meeting.agenda[-1].id
        people = attendees(db)
    m = meeting_id
    return {
        "edit_agenda": lambda s: service.add_agenda_item(s, SECRETARIAT, m, track, "Standards"),
        "sign_off_agenda": lambda s: service.sign_off_agenda(s, COUNSEL, m),
        "circulate": lambda s: service.circulate(
            s, SECRETARIAT, m, now=start - dt.timedelta(days=30)
        ),
        "lock": lambda s: service.lock(s, SECRETARIAT, m, now=start - dt.timedelta(days=2)),
        "propose_late_item": lambda s: service.propose_late_item(
            s, SECRETARIAT, m, track, "Late", "临时", "a rule published yesterday"
        ),
        "decide_late_item": lambda s: service.decide_late_item(s, COUNSEL, m, item, True),
        "hold": lambda s: service.hold(
            s, SECRETARIAT, m, people, True, "Counsel", now=start + dt.timedelta(hours=1)
        ),
        "record_attendance": lambda s: service.record_attendance(
            s, SECRETARIAT, m, people, True, "Counsel"
        ),
        "draft_minutes": lambda s: service.draft_minutes(s, SECRETARIAT, m, [BLOCK]),
        "edit_minutes": lambda s: service.add_minutes_block(s, SECRETARIAT, m, BLOCK),
        "sign_off_minutes": lambda s: service.sign_off_minutes(s, COUNSEL, m),
        "approve_minutes": lambda s: service.approve_minutes(s, head("SIA"), m),
    }


PATH = [  # the legal steps, in order, and the state each leaves the meeting in
    ("edit_agenda", State.DRAFT),
    ("sign_off_agenda", State.DRAFT),
    ("circulate", State.AGENDA_CIRCULATED),
    ("lock", State.AGENDA_LOCKED),
    ("hold", State.HELD),
    ("draft_minutes", State.MINUTES_DRAFTED),
    ("sign_off_minutes", State.MINUTES_DRAFTED),
    ("approve_minutes", State.MINUTES_DRAFTED),
]


def test_the_whole_lifecycle_and_every_illegal_step(engine: Engine) -> None:
    """Walk a meeting from draft to minutes approved; in every state, every step the machine
    does not allow there is refused naming the state, and writes nothing."""
    with transaction(session_factory(engine)) as db:
        meeting = service.create_meeting(
            db,
            SECRETARIAT,
            next_day(db),
            [t.id for t in service.active_tracks(db)],
            now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        )
        m = meeting.id
    actions = steps(engine, m)
    tried = set()

    def illegal_here() -> None:
        state = State(state_of(engine, m))
        for name, act in actions.items():
            if state in service.STEPS[name].sources:
                continue
            message = refused(engine, act)
            assert message.startswith(f"cannot {service.STEPS[name].what}: meeting {m} is "), (
                name,
                message,
            )
            assert service.label(state) in message
            assert state_of(engine, m) == state
            tried.add((name, state))

    for name, after in PATH:
        illegal_here()
        with transaction(session_factory(engine)) as db:
            actions[name](db)
        assert state_of(engine, m) == after, name
    illegal_here()
    with transaction(session_factory(engine)) as db:
        service.approve_minutes(db, head("CSIA"), m)
    assert state_of(engine, m) == State.MINUTES_APPROVED
    illegal_here()
    # Every step was refused in each state it is not allowed in.
    expected = {
        (name, state)
        for name in actions
        for state in State
        if state not in service.STEPS[name].sources
    }
    assert tried == expected
    # Each step is in the audit log with its actor and the states before and after.
    with transaction(session_factory(engine), write=False) as db:
        rows = db.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "meeting", AuditEntry.entity_id == m)
            .order_by(AuditEntry.id)
        ).all()
    logged = [
        (r.action, r.actor, r.before and r.before["state"], r.after and r.after["state"])
        for r in rows
    ]
    assert logged == [
        ("create", SECRETARIAT.name, None, "draft"),
        ("edit_agenda", SECRETARIAT.name, "draft", "draft"),
        ("sign_off_agenda", COUNSEL.name, "draft", "draft"),
        ("circulate", SECRETARIAT.name, "draft", "agenda_circulated"),
        ("lock", SECRETARIAT.name, "agenda_circulated", "agenda_locked"),
        ("hold", SECRETARIAT.name, "agenda_locked", "held"),
        ("draft_minutes", SECRETARIAT.name, "held", "minutes_drafted"),
        ("sign_off_minutes", COUNSEL.name, "minutes_drafted", "minutes_drafted"),
        ("approve_minutes", head("SIA").name, "minutes_drafted", "minutes_drafted"),
        ("approve_minutes", head("CSIA").name, "minutes_drafted", "minutes_approved"),
    ]


def test_each_step_needs_its_role(engine: Engine) -> None:
    """Secretariat runs the meeting, counsel signs off, heads approve: not the other way."""
    m = meeting_in(engine, State.DRAFT)
    delegate = Actor("d@example.org", Role.DELEGATE, delegation="SIA")
    for act in (
        lambda s: service.sign_off_agenda(s, SECRETARIAT, m),
        lambda s: service.circulate(s, COUNSEL, m),
        lambda s: service.add_agenda_item(s, COUNSEL, m, 1, "x"),
        lambda s: service.remove_agenda_item(s, delegate, m, 1),
    ):
        assert "may not" in refused(engine, act, Forbidden)
    drafted = meeting_in(engine, State.MINUTES_DRAFTED)
    for act in (
        lambda s: service.sign_off_minutes(s, SECRETARIAT, drafted),
        lambda s: service.approve_minutes(s, delegate, drafted),  # not the head
        lambda s: service.approve_minutes(s, COUNSEL, drafted),
    ):
        assert "may not" in refused(engine, act, Forbidden)


def test_the_docs_show_the_state_machine_of_the_module() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "meetings.md"
    assert service.steps_markdown() in docs.read_text(encoding="utf-8"), (
        "docs/meetings.md is out of date: python -m chipbridge.workgroup.meetings.service"
    )


# --- the guards ----------------------------------------------------------------------------


def test_new_meetings_are_refused_with_a_reason(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime(2026, 11, 2, 12, 0)
    tracks = [1, 2]

    def create(day: dt.date, ids: list[int] = tracks, **kw: Any) -> Callable[[Session], object]:
        return lambda s: service.create_meeting(s, SECRETARIAT, day, ids, now=now, **kw)

    assert "in the past" in refused(engine, create(dt.date(2026, 10, 30)))
    assert "at least one policy track" in refused(engine, create(dt.date(2027, 1, 12), []))
    soon = refused(engine, create(dt.date(2026, 11, 10)))
    assert "too soon" in soon and "at least 14 days" in soon
    assert "public holiday in US (Christmas Day)" in refused(engine, create(dt.date(2026, 12, 25)))
    assert "National Day" in refused(engine, create(dt.date(2027, 10, 1)))
    assert "is a Saturday" in refused(engine, create(dt.date(2027, 1, 9)))
    assert "not an IANA time zone" in refused(
        engine, create(dt.date(2027, 1, 12), timezone="Mars/Olympus")
    )
    # The next meeting after the seeded ones is hosted by the other side: SIA hosted... so
    # whoever hosted the last one cannot host this one.
    with transaction(session_factory(engine), write=False) as db:
        last = db.scalars(select(Meeting).order_by(Meeting.starts_on.desc())).first()
        assert last is not None and last.host is not None
        day, same = next_day(db), last.host.code
    assert "venues alternate" in refused(
        engine, lambda s: service.create_meeting(s, SECRETARIAT, day, tracks, host=same)
    )
    # The notice period is configurable.
    monkeypatch.setenv("CHIPBRIDGE_AGENDA_NOTICE_DAYS", "60")
    assert "at least 60 days" in refused(engine, create(dt.date(2026, 12, 15)))
    monkeypatch.setenv("CHIPBRIDGE_AGENDA_NOTICE_DAYS", "soon")
    assert "whole number of days" in refused(engine, create(dt.date(2027, 1, 12)), ValueError)


def test_agenda_rules(engine: Engine) -> None:
    m = meeting_in(engine, State.DRAFT)
    start = start_of(engine, m)
    with transaction(session_factory(engine), write=False) as db:
        meeting = db.get(Meeting, m)
        assert meeting is not None
        statement, item = meeting.agenda[0], meeting.agenda[-1]
        assert (statement.antitrust, statement.title, statement.title_zh) == (
            True,
            "Antitrust statement",
            "反垄断声明",
        )
        statement_id, item_id = statement.id, item.id
    # The antitrust statement is first, and fixed.
    assert "cannot be removed" in refused(
        engine, lambda s: service.remove_agenda_item(s, SECRETARIAT, m, statement_id)
    )
    assert "cannot be changed" in refused(
        engine, lambda s: service.update_agenda_item(s, SECRETARIAT, m, statement_id, title="x")
    )
    # Circulation needs counsel's sign-off of the agenda as it stands.
    circulate = lambda s: service.circulate(s, SECRETARIAT, m, now=start - dt.timedelta(days=30))  # noqa: E731
    assert "counsel must sign off the agenda" in refused(engine, circulate)
    with transaction(session_factory(engine)) as db:
        service.sign_off_agenda(db, COUNSEL, m)
        service.update_agenda_item(db, SECRETARIAT, m, item_id, title="Published standards (2)")
    stale = refused(engine, circulate)
    assert "changed after counsel signed it off" in stale and COUNSEL.name in stale
    with transaction(session_factory(engine)) as db:
        service.sign_off_agenda(db, COUNSEL, m)
    # ... at least N days before the meeting.
    late = refused(
        engine, lambda s: service.circulate(s, SECRETARIAT, m, now=start - dt.timedelta(days=13))
    )
    assert "too late to circulate" in late and "at least 14 days" in late
    with transaction(session_factory(engine)) as db:
        service.circulate(db, SECRETARIAT, m, now=start - dt.timedelta(days=15))
        # Between circulation and the lock, a change needs counsel again before the lock.
        service.add_agenda_item(db, SECRETARIAT, m, 2, "Public supply chain data")
    assert "changed after counsel" in refused(engine, lambda s: service.lock(s, SECRETARIAT, m))
    with transaction(session_factory(engine)) as db:
        service.sign_off_agenda(db, COUNSEL, m)
        service.lock(db, SECRETARIAT, m)
    # After the lock, no item is added or changed; a late item needs counsel's approval.
    locked = refused(engine, lambda s: service.add_agenda_item(s, SECRETARIAT, m, 1, "More"))
    assert "agenda is locked: propose a late item" in locked
    assert "is agenda locked" in refused(
        engine, lambda s: service.update_agenda_item(s, SECRETARIAT, m, item_id, title="x")
    )
    with transaction(session_factory(engine)) as db:
        wanted = service.propose_late_item(db, SECRETARIAT, m, 1, "New public rule", None, "new")
        unwanted = service.propose_late_item(db, SECRETARIAT, m, 1, "Pricing", None, "asked")
        wanted_id, unwanted_id = wanted.id, unwanted.id
    hold = lambda s: service.hold(  # noqa: E731
        s, SECRETARIAT, m, attendees(s), True, "Counsel", now=start + dt.timedelta(hours=1)
    )
    assert "awaits counsel's decision" in refused(engine, hold)
    with transaction(session_factory(engine)) as db:
        service.decide_late_item(db, COUNSEL, m, wanted_id, True)
        service.decide_late_item(db, COUNSEL, m, unwanted_id, False)
        meeting = db.get(Meeting, m)
        assert meeting is not None
        on_agenda = [i.title for i in service.agenda_items(meeting)]
        assert "New public rule" in on_agenda and "Pricing" not in on_agenda
    assert "not a late item awaiting" in refused(
        engine, lambda s: service.decide_late_item(s, COUNSEL, m, wanted_id, False)
    )
    with transaction(session_factory(engine), write=False) as db:
        decisions = db.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "agenda_item", AuditEntry.actor == COUNSEL.name
            )
        ).all()
        assert sorted(decisions) == ["late approved", "late refused"]
    # The meeting is held only once it has begun.
    assert "has not begun" in refused(
        engine,
        lambda s: service.hold(
            s, SECRETARIAT, m, attendees(s), True, "C", now=start - dt.timedelta(minutes=1)
        ),
    )


def test_minutes_rules(engine: Engine) -> None:
    m = meeting_in(engine, State.HELD)
    assert "in English and Chinese" in refused(
        engine,
        lambda s: service.draft_minutes(
            s, SECRETARIAT, m, [service.Block("SIA", "Only English.", " ")]
        ),
    )
    assert "attribute each block" in refused(
        engine,
        lambda s: service.draft_minutes(s, SECRETARIAT, m, [service.Block(" ", "a", "乙")]),
    )
    with transaction(session_factory(engine)) as db:
        service.draft_minutes(db, SECRETARIAT, m, [BLOCK])
        service.sign_off_minutes(db, COUNSEL, m)
        # A change after counsel's sign-off: counsel signs again before the heads approve.
        service.add_minutes_block(
            db, SECRETARIAT, m, service.Block("CSIA", "Public statistics.", "公开统计。")
        )
    stale = refused(engine, lambda s: service.approve_minutes(s, head("SIA"), m))
    assert "minutes changed after counsel signed it off" in stale
    with transaction(session_factory(engine)) as db:
        service.sign_off_minutes(db, COUNSEL, m)
        service.approve_minutes(db, head("SIA"), m)
    assert "SIA approved these minutes" in refused(
        engine, lambda s: service.add_minutes_block(s, SECRETARIAT, m, BLOCK)
    )
    assert "already approved" in refused(
        engine, lambda s: service.approve_minutes(s, head("SIA"), m)
    )


def test_the_meeting_page_shows_attendance_and_bilingual_minutes(web: Web) -> None:
    page = web.browser("counsel").get("/meetings/1")
    assert page.status_code == 200
    html = page.text
    assert 'id="counsel-present"' in html and "Antitrust counsel (illustrative)" in html
    assert "head of delegation" in html and "technical expert" in html
    assert "SIA 2, CSIA 3" in html or "CSIA 3, SIA 2" in html  # who was present, per side
    assert "CSIA presented published industry statistics" in html
    assert "中国半导体行业协会介绍了已公开的供应链韧性行业统计数据" in html
    assert 'href="/meetings/1/pack.pdf"' in html
    zh = web.browser("counsel").get("/meetings/1?lang=zh").text
    assert "反垄断声明" in zh and "纪要已批准" in zh


# --- working days --------------------------------------------------------------------------


def test_holidays_and_weekends_of_both_sides() -> None:
    both = ["US", "CN"]
    assert day_off(dt.date(2026, 10, 1), both) == (
        "2026-10-01 is a public holiday in CN (National Day)"
    )
    assert "US (Christmas Day)" in str(day_off(dt.date(2026, 12, 25), both))
    assert day_off(dt.date(2026, 12, 26), both) == "2026-12-26 is a Saturday"
    assert day_off(dt.date(2026, 12, 25), ["CN"]) is None
    # Golden Week (1-7 October, 2026) and a weekend: the next working day on both sides.
    assert next_working_day(dt.date(2026, 10, 1), both) == dt.date(2026, 10, 8)
    assert next_working_day(dt.date(2026, 12, 25), both) == dt.date(2026, 12, 28)
    assert next_working_day(dt.date(2026, 7, 3), both) == dt.date(2026, 7, 6)  # US, observed
    assert next_working_day(dt.date(2026, 10, 12), both) == dt.date(2026, 10, 13)  # Columbus Day
    assert next_working_day(dt.date(2026, 10, 14), both) == dt.date(2026, 10, 14)


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (dt.date(2026, 4, 2), dt.date(2026, 10, 8)),  # +182 days is 1 October
        (dt.date(2026, 6, 26), dt.date(2026, 12, 28)),  # +182 days is 25 December
    ],
)
def test_plan_avoids_holidays(tmp_path: Path, last: dt.date, expected: dt.date) -> None:
    engine = open_engine("sqlite", tmp_path)
    with transaction(session_factory(engine)) as db:
        seed_sides(db)
        tracks = [t.id for t in service.ensure_tracks(db)]
        service.create_meeting(db, SYSTEM, last, tracks, now=dt.datetime(2026, 1, 1))
        planned = service.plan(db, SYSTEM, count=2, today=last + dt.timedelta(days=10))
        assert planned[0].starts_on == expected
        assert day_off(planned[1].starts_on, ["US", "CN"]) is None
        hosts = [m.host.code for m in service.meetings(db, SYSTEM) if m.host]
        assert hosts == ["SIA", "CSIA", "SIA"]  # venues alternate
        assert [m.timezone for m in planned] == ["Asia/Shanghai", "America/New_York"]


def seed_sides(db: Session) -> None:
    delegations.create_delegation(
        db, SYSTEM, "SIA", "SIA", None, "US", venue="Washington, D.C.", timezone="America/New_York"
    )
    delegations.create_delegation(
        db, SYSTEM, "CSIA", "CSIA", None, "CN", venue="Beijing", timezone="Asia/Shanghai"
    )


# --- packs, calendars and the CLI ----------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seeded_home(home: Path) -> Path:
    """The CLI's own database (in CHIPBRIDGE_HOME), seeded."""
    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine)) as db:
        seed.seed(db)
        accounts.add_user(db, SYSTEM, "counsel@cli.test", Role.COUNSEL, None, None, False)
        accounts.add_user(db, SYSTEM, "sec@cli.test", Role.SECRETARIAT, None, None, False)
    engine.dispose()
    return home


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_pdf
def test_pack_pdf_is_bilingual_with_the_cjk_font_embedded(
    seeded_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "packs" / "pack.pdf"
    code, printed, err = run("meetings", "pack", "1", "--out", str(out))
    assert code == 0, err
    assert "wrote the pack of meeting 1" in printed
    content = pdf_text(out)
    for english, chinese in (
        ("Antitrust statement", "反垄断声明"),
        ("Export restrictions", "出口管制"),
        ("Public export-control rules and their effect on trade", "公开的出口管制规则"),
        ("Zhou Zixue", "周子学"),
        ("China Semiconductor Industry Association", "中国半导体行业协会"),
        ("head of delegation", "代表团团长"),
    ):
        assert english in content and chinese in content, (english, chinese)
    assert "https://www.semiconductors.org/" in content  # the admitted document's source
    assert "3E001" not in content  # the held document is not in the pack
    assert "must not discuss or exchange" in content and "不得讨论或" in content
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded
    # A failing pack leaves the earlier file as it was.
    before = out.read_bytes()
    code, _, err = run("meetings", "pack", "999", "--out", str(out))
    assert code == 2 and "no meeting 999" in err
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["pack.pdf"]


@needs_pdf
def test_pack_download_from_the_page(web: Web) -> None:
    answer = web.browser("observer").get("/meetings/3/pack.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert "attachment" in answer.headers["content-disposition"]


def test_calendar_feed_parses_back_with_time_zones(web: Web, tmp_path: Path) -> None:
    answer = web.as_("observer").get("/meetings.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.content)
    zones = {tz.tz_name for tz in calendar.timezones}
    assert zones == {"America/New_York", "Asia/Shanghai"}
    meetings = {m["id"]: m for m in web.as_("observer").get("/api/v1/meetings").json()}
    events = calendar.events
    assert len(events) == len(meetings) == 4
    for event in events:
        meeting = meetings[int(str(event["uid"]).split("-")[1].split("@")[0])]
        start = event.start
        assert str(start.tzinfo) == meeting["timezone"]
        at = dt.datetime.fromisoformat(meeting["starts_at_utc"])
        assert at.tzinfo is not None and at == start  # the right instant, DST included
        assert event["location"] == meeting["location"]
        assert event["dtstart"].params["TZID"] == meeting["timezone"]
    assert web.anonymous.get("/meetings.ics").status_code == 303  # to the login page


def test_meetings_cli_list_ical_and_steps(seeded_home: Path, tmp_path: Path) -> None:
    code, out, _ = run("meetings", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["state"] for r in rows] == [
        "minutes_approved",
        "minutes_drafted",
        "agenda_circulated",
        "draft",
    ]
    assert set(rows[0]) >= {"id", "date", "venue", "timezone", "state"}
    assert [r["timezone"] for r in rows[:2]] == ["America/New_York", "Asia/Shanghai"]
    code, out, _ = run("meetings", "list")
    assert code == 0 and "Asia/Shang" in out and "draft" in out
    ics = tmp_path / "meetings.ics"
    code, out, _ = run("meetings", "ical", "--out", str(ics))
    assert code == 0 and "wrote 4 meetings" in out
    assert len(icalendar.Calendar.from_ical(ics.read_bytes()).events) == 4
    # Steps are taken for an account, whose role must allow them.
    code, _, err = run("meetings", "step", "4", "circulate", "--as", "sec@cli.test")
    assert code == 2 and "counsel must sign off the agenda" in err
    code, _, err = run("meetings", "step", "4", "sign-off-agenda", "--as", "sec@cli.test")
    assert code == 2 and "may not sign off an agenda" in err
    code, out, _ = run("meetings", "step", "4", "sign-off-agenda", "--as", "counsel@cli.test")
    assert code == 0 and "now draft" in out
    code, out, _ = run("meetings", "step", "4", "circulate", "--as", "sec@cli.test")
    assert code == 0 and "now agenda circulated" in out
    code, _, err = run("meetings", "step", "4", "circulate", "--as", "sec@cli.test")
    assert code == 2 and "cannot circulate the agenda: meeting 4 is agenda circulated" in err
    code, _, err = run("meetings", "create", "2020-01-06", "--track", "Export restrictions")
    assert code == 2 and "in the past" in err
    code, _, err = run("meetings", "create", "2099-01-05", "--track", "Nope")
    assert code == 2 and "no track 'Nope'" in err


# --- the migration --------------------------------------------------------------------------


def test_migration_carries_old_meetings_into_the_lifecycle(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0003")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO delegations (id, code, association, country) VALUES "
            "(1, 'SIA', 'SIA', 'US'), (2, 'CSIA', 'CSIA', 'CN')",
            "INSERT INTO tracks (id, name) VALUES (1, 'Export restrictions'), (2, 'Other')",
            "INSERT INTO meetings (id, starts_on, status) VALUES (1, '2021-09-01', 'held'), "
            "(2, '2031-03-03', 'planned')",
            "INSERT INTO agenda_items (id, meeting_id, track_id, title) VALUES "
            "(1, 1, 1, 'Rules'), (2, 2, 2, 'Next')",
            "INSERT INTO minutes (id, meeting_id, text) VALUES (1, 1, 'Public matters.')",
            "INSERT INTO minutes_approvals (minutes_id, delegation_id, approved_by, approved_at) "
            "VALUES (1, 1, 'a', '2021-09-02'), (1, 2, 'b', '2021-09-03')",
        ):
            connection.exec_driver_sql(statement)
    migrate(engine)
    with transaction(session_factory(engine), write=False) as db:
        held, planned = db.scalars(select(Meeting).order_by(Meeting.id)).all()
        assert held.status == "minutes_approved" and planned.status == "draft"
        assert [t.name for t in held.tracks] == ["Export restrictions"]
        assert [i.antitrust for i in planned.agenda] == [True, False]
        assert service.agenda_items(planned)[0].antitrust  # the statement opens it
        assert held.minutes is not None and held.minutes.live_blocks[0].text_en == "Public matters."
        sia = db.scalars(select(text("venue")).select_from(text("delegations"))).first()
        assert sia == "Washington, D.C."
    downgrade(engine, "0003")
    with engine.begin() as connection:
        assert connection.exec_driver_sql("SELECT text FROM minutes").scalar() == "Public matters."
        statuses = connection.exec_driver_sql("SELECT status FROM meetings ORDER BY id").scalars()
        assert list(statuses) == ["held", "planned"]
        assert connection.exec_driver_sql("SELECT count(*) FROM agenda_items").scalar() == 2
    engine.dispose()
