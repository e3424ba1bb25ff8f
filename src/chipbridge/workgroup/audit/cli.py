"""``chipbridge audit``: check the audit log's hash chain, and print a checkpoint to keep
elsewhere (a signed e-mail, a ticket) so that a truncated or rewritten log is detected."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _parse(value: str) -> tuple[int, str]:
    rows, _, head = value.partition(":")
    if not rows.isdecimal() or len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        raise typer.BadParameter("expected ROWS:HEAD as printed by `chipbridge audit checkpoint`")
    return int(rows), head


@app.command("verify")
def verify(
    checkpoint: Annotated[
        str | None,
        typer.Option(help="A saved checkpoint (ROWS:HEAD) the log must still contain."),
    ] = None,
) -> None:
    """Recompute the whole chain; exit 1 naming the first broken row."""
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.audit import service

    saved = _parse(checkpoint) if checkpoint else None
    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine), write=False) as session:
        verdict = service.verify(session, saved)
    if verdict.broken:
        typer.echo(f"audit log BROKEN: {verdict.broken}", err=True)
        raise typer.Exit(1)
    against = " and matches the checkpoint" if saved else ""
    typer.echo(f"audit log intact: {verdict.rows} rows, head {verdict.head}{against}")


@app.command("checkpoint")
def checkpoint() -> None:
    """Print the row count and head hash; the last line is ROWS:HEAD for `verify`."""
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.audit import service

    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine), write=False) as session:
        rows, head = service.checkpoint(session)
    typer.echo(f"rows {rows}, head hash {head}; keep this line:")
    typer.echo(f"{rows}:{head}")
