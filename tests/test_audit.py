"""The tamper-evident audit log: the chain, `audit verify` naming the first edited, deleted
or reordered row, checkpoints, the append-only triggers, paging and filters; and the
migration from the schema before accounts, with its data, up and down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from chipbridge.accounts.permissions import Actor
from chipbridge.cli import app as cli
from chipbridge.screening import Screener
from chipbridge.screening.sources import builtin
from chipbridge.store.db import downgrade, make_engine, migrate, session_factory, transaction
from chipbridge.workgroup.audit import service as audit
from chipbridge.workgroup.audit.models import AuditEntry
from tests.webapp import BACKENDS, make_web, open_engine, use_cheap_passwords

SYSTEM = Actor.system("test")


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


def write(engine: Engine, count: int, actor: str = "someone@example.org") -> None:
    with transaction(session_factory(engine)) as db:
        for i in range(count):
            audit.record(db, actor, "test", "thing", i + 1, {"n": i}, {"n": i + 1, "x": 0.1})


def verdict(engine: Engine, checkpoint: tuple[int, str] | None = None) -> audit.Verdict:
    with transaction(session_factory(engine), write=False) as db:
        return audit.verify(db, checkpoint)


def tamper(engine: Engine, *statements: str) -> None:
    """Change the table behind the app's back, as someone with database access could."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        for statement in statements:
            connection.exec_driver_sql(statement)
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")


def test_an_intact_chain_verifies(engine: Engine) -> None:
    write(engine, 5)
    result = verdict(engine)
    assert (result.rows, result.broken) == (5, None)
    with transaction(session_factory(engine), write=False) as db:
        assert audit.checkpoint(db) == (5, result.head)
        first = db.get(AuditEntry, 1)
        assert first is not None and first.prev_hash == "0" * 64


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (["UPDATE audit_log SET actor = 'someone-else' WHERE id = 3"], "row 3 was changed"),
        (
            ["UPDATE audit_log SET after = '{\"n\": 99}' WHERE id = 2"],
            "row 2 was changed",
        ),
        (["DELETE FROM audit_log WHERE id = 3"], "row 4 does not follow row 2"),
        (
            [
                "UPDATE audit_log SET id = 100 WHERE id = 2",
                "UPDATE audit_log SET id = 2 WHERE id = 3",
                "UPDATE audit_log SET id = 3 WHERE id = 100",
            ],
            "row 2 does not follow row 1",
        ),
    ],
    ids=["edit-actor", "edit-json", "delete", "reorder"],
)
def test_verify_names_the_first_tampered_row(
    engine: Engine, statements: list[str], named: str
) -> None:
    write(engine, 5)
    assert verdict(engine).broken is None
    tamper(engine, *statements)
    broken = verdict(engine).broken
    assert broken is not None and named in broken, broken


def test_a_checkpoint_catches_rows_deleted_from_the_end(engine: Engine) -> None:
    write(engine, 5)
    with transaction(session_factory(engine), write=False) as db:
        saved = audit.checkpoint(db)
    write(engine, 2)
    assert verdict(engine, saved).broken is None  # the log grew past the checkpoint: fine
    tamper(engine, "DELETE FROM audit_log WHERE id >= 5")
    assert verdict(engine).broken is None  # the rest still chains ...
    broken = verdict(engine, saved).broken  # ... but the checkpoint shows the loss
    assert broken is not None and "checkpoint has 5" in broken


def test_the_database_refuses_update_and_delete(engine: Engine) -> None:
    write(engine, 2)
    for statement in (
        "UPDATE audit_log SET actor = 'x' WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 2",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql(statement)
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE audit_log")
    assert verdict(engine) == audit.Verdict(2, verdict(engine).head, None)


def test_audit_commands(home: Path) -> None:
    runner = CliRunner()
    engine = make_engine()
    migrate(engine)
    write(engine, 4)
    made = runner.invoke(cli, ["audit", "checkpoint"])
    assert made.exit_code == 0
    saved = made.output.strip().splitlines()[-1]
    assert saved.startswith("4:") and len(saved) == 2 + 64
    ok = runner.invoke(cli, ["audit", "verify", "--checkpoint", saved])
    assert ok.exit_code == 0 and "intact: 4 rows" in ok.output
    assert runner.invoke(cli, ["audit", "verify", "--checkpoint", "nonsense"]).exit_code == 2
    tamper(engine, "UPDATE audit_log SET action = 'nothing' WHERE id = 2")
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "row 2 was changed" in broken.output
    engine.dispose()


def test_paging_reaches_every_row_and_filters_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_cheap_passwords(monkeypatch)
    engine = open_engine("sqlite", tmp_path)
    web = make_web(engine, Screener.from_snapshots([builtin.load()]))
    counsel = web.as_("counsel")
    first = counsel.get("/api/v1/audit", params={"entity": "delegation"}).json()["entries"]
    assert {e["entity"] for e in first} == {"delegation"} and len(first) == 2
    write(engine, 300, actor="noisy@example.org")  # far more than one page
    seen, offset = [], 0
    while offset is not None:
        page = counsel.get("/api/v1/audit", params={"limit": 100, "offset": offset}).json()
        seen += [e["id"] for e in page["entries"]]
        offset = page["next_offset"]
    assert seen == sorted(seen, reverse=True) and len(seen) == page["total"] == len(set(seen))
    assert min(seen) == 1  # the first row of the log is reachable
    noisy = counsel.get("/api/v1/audit", params={"actor": "noisy", "limit": 1}).json()
    assert noisy["total"] == 300 and noisy["entries"][0]["actor"] == "noisy@example.org"
    today = dt.date.today()
    dated = counsel.get(
        "/api/v1/audit", params={"since": today.isoformat(), "until": today.isoformat()}
    ).json()
    assert dated["total"] == page["total"]
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert counsel.get("/api/v1/audit", params={"until": yesterday}).json()["total"] == 0
    html = counsel.get("/audit", params={"actor": "noisy", "offset": 100}).text
    assert "300 entries, 101–200" in html and 'id="older"' in html and 'id="newer"' in html
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"since": "2021-13-01"}):
        assert counsel.get("/api/v1/audit", params=bad).status_code == 422


def test_migration_from_the_schema_before_accounts_keeps_the_data(engine: Engine) -> None:
    """Down to 0001, write rows the old way, up again: the old audit rows are chained,
    approvals become rows; down again: the approvals go back into the old column."""
    migrate(engine, "base")
    migrate(engine, "0001")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO delegations (id, code, association, country) VALUES "
            "(1, 'SIA', 'SIA', 'US'), (2, 'CSIA', 'CSIA', 'CN')",
            "INSERT INTO meetings (id, starts_on, status) VALUES (1, '2021-09-01', 'held')",
            "INSERT INTO minutes (id, meeting_id, text, approved_by) VALUES "
            "(1, 1, 'Public matters.', '[\"SIA\"]')",
            "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after) "
            "VALUES (1, '2021-09-01 10:00:00', 'secretariat', 'create', 'minutes', 1, NULL, "
            "'{\"meeting\": 1}'), (2, '2021-09-02 10:00:00', 'SIA head', 'approve', "
            "'minutes', 1, '{\"approved_by\": []}', '{\"approved_by\": [\"SIA\"]}')",
        ):
            connection.exec_driver_sql(statement)
    migrate(engine)
    assert {"users", "api_tokens", "minutes_approvals", "false_positives"} <= set(
        inspect(engine).get_table_names()
    )
    result = verdict(engine)
    assert (result.rows, result.broken) == (2, None)
    write(engine, 1)  # the app appends after the migrated rows
    assert verdict(engine).rows == 3 and verdict(engine).broken is None
    with transaction(session_factory(engine), write=False) as db:
        codes = db.execute(
            text(
                "SELECT d.code FROM minutes_approvals a JOIN delegations d "
                "ON d.id = a.delegation_id"
            )
        ).scalars()
        assert list(codes) == ["SIA"]
    downgrade(engine, "0001")
    with engine.begin() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("minutes")}
        assert "approved_by" in columns
        approved = connection.execute(select(text("approved_by")).select_from(text("minutes")))
        assert [list(v) if not isinstance(v, str) else v for (v,) in approved] in (
            [["SIA"]],
            ['["SIA"]'],
        )
        assert "hash" not in {c["name"] for c in inspect(connection).get_columns("audit_log")}
        # Without the trigger the old schema's rows can be changed again, as before.
        connection.exec_driver_sql("UPDATE audit_log SET actor = 'x' WHERE id = 1")
    migrate(engine)
    assert verdict(engine).broken is None


def test_the_migrations_build_exactly_the_models_schema(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from chipbridge.store.models import Base

    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
