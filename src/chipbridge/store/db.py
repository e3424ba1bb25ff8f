"""The database: SQLite in CHIPBRIDGE_HOME by default, PostgreSQL when configured.

``CHIPBRIDGE_DATABASE_URL`` selects another database (``postgresql+psycopg://...``). The
schema is owned by Alembic (``chipbridge/store/migrations``); ``migrate()`` brings any
database to the latest revision.

Writes are serialised where the rules need it: on SQLite every writing transaction starts
with ``BEGIN IMMEDIATE`` (it takes the write lock up front, so two writers queue behind the
busy timeout instead of one failing half-way), and on PostgreSQL the services lock the rows
they check (``SELECT ... FOR UPDATE``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, Connection, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from chipbridge import config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# How long a SQLite writer waits for another writer's lock before answering "busy".
BUSY_TIMEOUT = 5.0
_WRITE = "chipbridge_write"


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def database_url() -> str:
    return (
        os.environ.get("CHIPBRIDGE_DATABASE_URL") or f"sqlite:///{config.home() / 'chipbridge.db'}"
    )


def make_engine(url: str | None = None, busy_timeout: float = BUSY_TIMEOUT) -> Engine:
    url = url or database_url()
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off so that "begin" below
        # decides how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; "base" removes it (see ``downgrade``)."""
    if revision == "base":
        downgrade(engine, "base")
        return
    _alembic(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _alembic(engine, "downgrade", revision)


def _alembic(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # SQLite alters a table by copying it; foreign keys are checked once at the end
        # instead of failing on the copy (the pragma only works outside a transaction).
        raw = connection.connection.dbapi_connection
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                getattr(command, direction)(cfg, revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError(f"{direction} to {revision} broke a foreign key")
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], write: bool = True) -> Iterator[Session]:
    """One unit of work: committed if the block succeeds, rolled back whole if it raises.

    A writing unit of work takes SQLite's write lock when it starts; a reading one does not.
    """
    session = factory()
    try:
        session.connection(execution_options={_WRITE: write})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
