"""``chipbridge meetings``: the working group's meeting cycle from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

app = typer.Typer(help="The working group's meeting cycle.", no_args_is_help=True)


@app.command("plan")
def plan(
    count: Annotated[int, typer.Option(min=1, max=10, help="How many meetings.")] = 2,
) -> None:
    """Plan the next meetings, about six months apart."""
    from chipbridge.accounts.permissions import Actor
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.meetings import service

    engine = make_engine()
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        service.ensure_tracks(session)
        actor = Actor.system(f"cli ({getpass.getuser()})")
        for meeting in service.plan(session, actor, count):
            typer.echo(f"planned meeting on {meeting.starts_on.isoformat()}")
