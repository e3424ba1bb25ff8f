"""``chipbridge parties ...`` and ``chipbridge alerts``: monitored counterparties and the
alerts raised on them. Run by the operator on the server (a system job in the audit log)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chipbridge.cliutil import fail, list_store, store_errors, text

parties = typer.Typer(help="Member companies' monitored counterparties.", no_args_is_help=True)
alerts = typer.Typer(help="New potential matches, newest first.", invoke_without_command=True)
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@parties.command("import")
def parties_import(
    path: Annotated[Path, typer.Argument(help="CSV: id,name and optionally country,type.")],
    owner: Annotated[str, typer.Option("--owner", help="The member company: id, name or alias.")],
) -> None:
    """Import a member company's suppliers, customers and distributors. The whole file is
    checked first; a bad file changes nothing. Parties already imported for this company
    (same id) are updated in place; every new or changed party is screened."""
    from chipbridge.accounts.permissions import Actor
    from chipbridge.monitoring import service
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.errors import Refused

    if not path.is_file():
        raise fail(f"{path}: no such file")
    try:
        rows = service.read_parties(path.read_bytes(), str(path))
    except service.PartiesFileError as exc:
        raise fail(str(exc)) from None
    store = list_store()
    with store_errors():
        active = store.active()
        screener = store.screener_for(active)
    engine = make_engine()
    migrate(engine)
    try:
        with transaction(session_factory(engine)) as session:
            company = service.find_owner(session, owner)
            summary, _ = service.import_parties(
                session, Actor.system("parties import"), company, rows, screener, active, None
            )
    except Refused as exc:
        raise fail(str(exc)) from None
    typer.echo(
        f"{summary.owner}: {summary.added:,} added, {summary.updated:,} updated, "
        f"{summary.unchanged:,} unchanged, {summary.kept:,} not in this file kept; "
        f"{summary.alerts} new alert(s)"
    )


@parties.command("list")
def parties_list(
    owner: Annotated[str | None, typer.Option("--owner", help="Only this company.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1_000_000)] = 100,
    as_json: Json = False,
) -> None:
    """Monitored parties, closest to a hit first."""
    from chipbridge.accounts.permissions import Actor
    from chipbridge.monitoring import service
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.errors import Refused

    engine = make_engine()
    migrate(engine)
    actor = Actor.system("parties list")
    try:
        with transaction(session_factory(engine), write=False) as session:
            owner_id = service.find_owner(session, owner).id if owner else None
            total, found = service.parties(session, actor, owner_id, status, limit=limit)
            rows = [service.party_dict(p) for p in found]
    except Refused as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps({"total": total, "parties": rows}, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Monitored parties ({len(rows):,} of {total:,})")
    for column in ("company", "id", "name", "country", "type", "status", "top hit"):
        table.add_column(column, overflow="fold")
    for row in rows:
        hit = row["hits"][0] if row["hits"] else None  # type: ignore[index]
        table.add_row(
            text(row["owner"]),
            text(row["external_id"]),
            text(row["name"]),
            text(row["country"]),
            text(row["type"]),
            text(row["status"]),
            text(f"{hit['listed_name']} ({hit['score']:.2f})" if hit else None),
        )
    Console().print(table)


@parties.command("owners")
def parties_owners() -> None:
    """The member companies a file can be imported for, with their ids."""
    from sqlalchemy import select

    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.delegations.models import Company

    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine), write=False) as session:
        for company in session.scalars(select(Company).order_by(Company.id)):
            typer.echo(f"{company.id}\t{company.name}\t{company.name_zh or ''}")


@alerts.callback()
def alerts_list(
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    as_json: Json = False,
) -> None:
    """New potential matches raised by re-screens and imports, newest first."""
    from chipbridge.accounts.permissions import Actor
    from chipbridge.monitoring import service
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction

    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine), write=False) as session:
        rows = [
            service.alert_dict(a)
            for a in service.alerts(session, Actor.system("alerts"), limit=limit)
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no alerts")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Alerts (newest first)")
    for column in ("when", "company", "party", "listed entry", "score", "why", "citation", "lists"):
        table.add_column(column, overflow="fold")
    for row in rows:
        lists = ", ".join(f"{d} v{v}" for d, v in row["lists_used"].items())  # type: ignore[attr-defined]
        table.add_row(
            text(str(row["created_at"])[:16].replace("T", " ")),
            text(row["owner"]),
            text(f"{row['name']} ({row['subject']} {row['subject_id']})"),
            text(f"{row['listed_name']} {row['dataset']}:{row['entry_id']}"),
            text(f"{row['score']:.2f}"),
            text(row["cause"]),
            text(row["citation"]),
            text(lists),
        )
    Console().print(table)
