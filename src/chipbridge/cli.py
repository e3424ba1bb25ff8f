"""The ``chipbridge`` command line: a thin layer over the library.

Every command turns bad input into a one-line message and a non-zero exit code; no command
prints a traceback for a user error.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from chipbridge.accounts import cli as accounts_cli
from chipbridge.batch import cli as batch_cli
from chipbridge.cliutil import AsOf, fail, list_store, parse_as_of, store_errors, text
from chipbridge.hint_values import (
    COUNTRY_HELP,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    THRESHOLD_HELP,
    TYPE_HELP,
    PartyType,
    screen_options,
)
from chipbridge.monitoring import cli as monitoring_cli
from chipbridge.ownership import cli as ownership_cli
from chipbridge.store.lists_cli import lists_app, rescreen_command
from chipbridge.workgroup.audit import cli as audit_cli
from chipbridge.workgroup.meetings import cli as meetings_cli

app = typer.Typer(
    help="Restricted-party screening and the SIA-CSIA working group, with compliance built in.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(lists_app, name="lists")
app.command("rescreen")(rescreen_command)
db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(meetings_cli.app, name="meetings")
app.add_typer(accounts_cli.users, name="users")
app.add_typer(accounts_cli.tokens, name="tokens")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(monitoring_cli.parties, name="parties")
app.add_typer(monitoring_cli.alerts, name="alerts")
app.add_typer(ownership_cli.app, name="ownership")
app.add_typer(batch_cli.app)


@app.command()
def screen(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    type: Annotated[PartyType | None, typer.Option(help=TYPE_HELP)] = None,
    country: Annotated[str | None, typer.Option(help=COUNTRY_HELP)] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most hits to show.")] = 5,
    threshold: Annotated[
        float | None,
        typer.Option(min=MIN_THRESHOLD, max=MAX_THRESHOLD, help=THRESHOLD_HELP),
    ] = None,
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screen one name against every active list and explain each hit."""
    from chipbridge.countries import UnknownCountry
    from chipbridge.screening import UnscreenableName
    from chipbridge.screening.normalize import check_screenable

    # The API's checks (hints.ScreenHints) without pydantic: typer has checked the threshold.
    try:
        check_screenable(name)
        options = screen_options(type, country, threshold)
    except UnscreenableName as exc:
        raise fail(str(exc)) from None
    except UnknownCountry as exc:
        raise fail(f"--country: {exc}") from None
    store = list_store()
    with store_errors():
        active = store.active(parse_as_of(as_of))
        screener = store.screener_for(active)
    hits = screener.screen(name, limit=limit, **options)
    if as_json:
        payload = {"query": name, "lists": active.used, "hits": [h.to_dict() for h in hits]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    lists = ", ".join(f"{dataset} v{version}" for dataset, version in active.used.items())
    if not hits:
        console.print(
            text("No hit for "), text(name, "bold"), text(" at or above the threshold."), sep=""
        )
    else:
        table = Table(title=text(f"Hits for {name}"), show_lines=True)
        for column in ("score", "listed name", "list", "citation", "why"):
            table.add_column(column, overflow="fold")
        for hit in hits:
            listed = text(hit.entry.name)
            listed.append(f"\n{hit.entry.dataset}:{hit.entry.id}", style="dim")
            table.add_row(
                text(f"{hit.score:.3f}"),
                listed,
                text(hit.entry.list_name),
                text(hit.entry.citation or "-"),
                text(hit.reason),
            )
        console.print(table)
    console.print(text(f"lists{f' as of {as_of}' if as_of else ''}: {lists}", "dim"))


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, envvar="PORT")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes serving requests (one per core).")
    ] = 1,
) -> None:
    """Serve the web app and API at http://127.0.0.1:PORT."""
    from chipbridge.store.db import make_engine, migrate
    from chipbridge.web.server import check_port
    from chipbridge.web.server import serve as run

    try:
        check_port(port)
    except OSError as exc:
        raise fail(
            f"cannot serve at http://127.0.0.1:{port}: {exc.strerror or exc} (another server "
            "running there? stop it, or pick another --port)",
            code=1,
        ) from None
    store = list_store()
    with store_errors():
        # Built (and cached) once here: the workers then read it, and a single worker
        # finds it in this process's memory.
        store.screener_for(store.active())
    engine = make_engine()
    migrate(engine)
    engine.dispose()
    typer.echo(f"serving at http://127.0.0.1:{port}")
    run(port, workers=workers)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest schema."""
    from chipbridge.store.db import database_url, make_engine, migrate

    migrate(make_engine())
    typer.echo(f"database at {database_url()} is up to date")


@db_app.command("downgrade")
def db_downgrade(
    yes: Annotated[bool, typer.Option("--yes", help="Really drop every table.")] = False,
) -> None:
    """Drop the schema (every table). Needs --yes."""
    from chipbridge.store.db import make_engine, migrate

    if not yes:
        raise fail("this drops every table; pass --yes to confirm")
    migrate(make_engine(), "base")
    typer.echo("schema removed")


def main() -> None:
    app()
