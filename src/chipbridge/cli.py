"""The ``chipbridge`` command line: a thin layer over the library.

Every command turns bad input into a one-line message and a non-zero exit code; no command
prints a traceback for a user error.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chipbridge import config
from chipbridge.accounts import cli as accounts_cli
from chipbridge.screening.model import EntityType
from chipbridge.workgroup.audit import cli as audit_cli
from chipbridge.workgroup.meetings import cli as meetings_cli

if TYPE_CHECKING:
    from chipbridge.store.lists import ListStore

app = typer.Typer(
    help="Restricted-party screening and the SIA-CSIA working group, with compliance built in.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Import, show and update the screening lists.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")
db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(meetings_cli.app, name="meetings")
app.add_typer(accounts_cli.users, name="users")
app.add_typer(accounts_cli.tokens, name="tokens")
app.add_typer(audit_cli.app, name="audit")


class PartyType(StrEnum):
    person = "person"
    company = "company"


class BatchEngine(StrEnum):
    local = "local"
    spark = "spark"


class ListFormat(StrEnum):
    csl = "csl"
    ofac = "ofac"
    un = "un"
    ftm = "ftm"


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _store() -> ListStore:
    from chipbridge.store.lists import ListStore

    return ListStore(config.home())


@app.command()
def screen(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    type: Annotated[PartyType | None, typer.Option(help="Hint: person or company.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Hint: ISO 3166 alpha-2 country code, e.g. CN.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most hits to show.")] = 5,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Minimum score (default: calibrated).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screen one name against every active list and explain each hit."""
    from chipbridge.screening import UnscreenableName
    from chipbridge.screening.normalize import check_screenable

    try:
        check_screenable(name)
    except UnscreenableName as exc:
        raise fail(str(exc)) from None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise fail(f"--country must be a two-letter ISO code, not {country!r}")
    screener = _store().screener()
    kind = EntityType(type.value) if type else None
    hits = screener.screen(name, type=kind, country=country, limit=limit, threshold=threshold)
    if as_json:
        typer.echo(
            json.dumps(
                {"query": name, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=2
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not hits:
        console.print(f"No hit for [bold]{name}[/bold] at or above the threshold.")
        return
    table = Table(title=f"Hits for {name}", show_lines=True)
    for column in ("score", "listed name", "list", "citation", "why"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(
            f"{hit.score:.3f}",
            f"{hit.entry.name}\n[dim]{hit.entry.dataset}:{hit.entry.id}[/dim]",
            hit.entry.list_name,
            hit.entry.citation or "-",
            hit.reason,
        )
    console.print(table)


@app.command("screen-file")
def screen_file(
    input: Annotated[Path, typer.Argument(help="CSV file with one name per row (UTF-8).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the hits (CSV).")],
    column: Annotated[str, typer.Option(help="Column holding the names.")] = "name",
    id_column: Annotated[
        str | None, typer.Option(help="Column holding your row ids (default: row number).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes to use.")] = 1,
    engine: Annotated[
        BatchEngine, typer.Option(help="Local processes, or Apache Spark (extra 'spark').")
    ] = BatchEngine.local,
    spark_master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[*]",
) -> None:
    """Screen every row of a CSV file; write one row per hit at or above the threshold."""
    from chipbridge.batch.screen_file import InputError
    from chipbridge.batch.screen_file import screen_file as run

    if not input.is_file():
        raise fail(f"{input}: no such file")
    screener = _store().screener()
    try:
        if engine is BatchEngine.spark:
            try:
                from chipbridge.batch.spark import screen_file_spark
            except ImportError:
                raise fail("Spark is not installed: pip install 'chipbridge[spark]'") from None
            summary = screen_file_spark(screener, input, out, column, id_column, spark_master)
        elif sys.stderr.isatty():
            from rich.progress import Progress, SpinnerColumn, TextColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}")) as bar:
                task = bar.add_task("screening", total=None)
                summary = run(
                    screener,
                    input,
                    out,
                    column,
                    id_column,
                    workers,
                    progress=lambda n: bar.update(task, description=f"screened {n:,} rows"),
                )
        else:
            summary = run(screener, input, out, column, id_column, workers)
    except InputError as exc:
        raise fail(str(exc)) from None
    typer.echo(
        f"screened {summary.rows:,} rows in {summary.seconds:.1f}s ({summary.rate:,.0f}/s): "
        f"{summary.rows_with_hits:,} with hits, {summary.hits:,} hits written to {out}"
    )


@lists_app.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(help="A list file, or an OFAC folder.")],
    format: Annotated[ListFormat | None, typer.Option(help="Default: detected.")] = None,
) -> None:
    """Import a published list file; the previous import of that list is replaced atomically."""
    from chipbridge.screening.sources import Format, SourceError, load

    try:
        snapshot = load(path, Format(format.value) if format else None)
    except SourceError as exc:
        raise fail(str(exc)) from None
    info = _store().save(snapshot)
    typer.echo(f"imported {info.entries:,} entries into {info.dataset} ({info.title})")
    _rescreen()
    for skipped in info.skipped[:20]:
        typer.echo(f"  skipped line {skipped['line']}: {skipped['reason']}")
    if len(info.skipped) > 20:
        typer.echo(f"  ... and {len(info.skipped) - 20} more skipped rows")


@lists_app.command("show")
def lists_show(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Each active list: entries, as-of date, import time, content hash."""
    infos = _store().infos()
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(i) for i in infos], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Active lists")
    for column in ("dataset", "title", "entries", "as of", "imported", "skipped", "content hash"):
        table.add_column(column)
    for info in infos:
        table.add_row(
            info.dataset,
            info.title,
            f"{info.entries:,}",
            info.as_of or "-",
            info.imported_at or "built in",
            str(len(info.skipped)),
            info.content_hash[:16],
        )
    Console().print(table)


@lists_app.command("update")
def lists_update(
    dataset: Annotated[
        list[str] | None, typer.Option("--list", help="Only this list (repeatable).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Fetch every file from this address instead.")
    ] = None,
) -> None:
    """Download the official lists from their publishers and import them."""
    from chipbridge.store.update import UpdateError, update

    try:
        infos = update(_store(), dataset or None, base_url, report=typer.echo)
    except UpdateError as exc:
        raise fail(str(exc)) from None
    for info in infos:
        typer.echo(f"imported {info.entries:,} entries into {info.dataset}")
    _rescreen()


def _rescreen() -> None:
    """Lists changed: screen every company and participant of the working group again."""
    from chipbridge.store.db import database_url, make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.reviews.service import rescreen_all

    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return  # no working group database yet: nothing to re-screen
    store = _store()
    engine = make_engine(url)
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        count = rescreen_all(session, store.screener(), store.index_key(), "lists import")
    if count:
        typer.echo(f"re-screened {count} companies and participants")


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, envvar="PORT")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes serving requests (one per core).")
    ] = 1,
) -> None:
    """Serve the web app and API at http://127.0.0.1:PORT."""
    from chipbridge.store.db import make_engine, migrate
    from chipbridge.web.server import serve as run

    engine = make_engine()
    migrate(engine)
    engine.dispose()
    _store().screener()  # builds the index cache once, before the workers read it
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
