"""``chipbridge meetings``: the working group's meeting cycle from the command line.

Planning, listing, packs and calendars run as the operator (a system actor). A step of the
lifecycle is a person's act - counsel's sign-off, a head's approval - so ``step`` names the
account it is taken for (``--as EMAIL``), and that account's role must allow it. A refused
step prints one line and exits 2, having written nothing.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chipbridge.accounts.permissions import Actor

app = typer.Typer(help="The working group's meeting cycle.", no_args_is_help=True)


class StepName(StrEnum):
    sign_off_agenda = "sign-off-agenda"
    circulate = "circulate"
    lock = "lock"
    sign_off_minutes = "sign-off-minutes"
    approve_minutes = "approve-minutes"


@contextmanager
def _unit_of_work(write: bool = True) -> Iterator[Session]:
    """A transaction on the configured database; a refusal becomes one line and exit 2."""
    from chipbridge.accounts.permissions import Forbidden
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.web.pdf import PdfUnavailable
    from chipbridge.workgroup.errors import NotFound, Refused

    engine = make_engine()
    migrate(engine)
    try:
        with transaction(session_factory(engine), write=write) as session:
            yield session
    except (Refused, NotFound, Forbidden, PdfUnavailable, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def _operator() -> Actor:
    from chipbridge.accounts.permissions import Actor

    return Actor.system(f"cli ({getpass.getuser()})")


@app.command("plan")
def plan(
    count: Annotated[int, typer.Option(min=1, max=10, help="How many meetings.")] = 2,
) -> None:
    """Plan the next meetings, about six months apart, each on a working day of both sides
    (no weekend, no public holiday of either country); hosts alternate."""
    from chipbridge.workgroup.meetings import service

    with _unit_of_work() as session:
        service.ensure_tracks(session)
        for meeting in service.plan(session, _operator(), count):
            host = meeting.host.code if meeting.host else "-"
            typer.echo(
                f"planned meeting {meeting.id} on {meeting.starts_on.isoformat()} "
                f"({meeting.timezone}, hosted by {host})"
            )


@app.command("create")
def create(
    day: Annotated[str, typer.Argument(metavar="DATE", help="YYYY-MM-DD, in the venue's zone.")],
    track: Annotated[
        list[str], typer.Option(help="A policy track by name (repeatable); at least one.")
    ],
    host: Annotated[str | None, typer.Option(help="Host delegation (default: alternate).")] = None,
    venue: Annotated[str | None, typer.Option(help="Default: the host's city.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA zone; default: the host's.")] = None,
) -> None:
    """Create a meeting in draft; its agenda opens with the antitrust statement."""
    from sqlalchemy import select

    from chipbridge.workgroup.meetings import service
    from chipbridge.workgroup.meetings.models import Track

    try:
        starts_on = date.fromisoformat(day)
    except ValueError:
        typer.echo(f"error: the date must be YYYY-MM-DD, not {day!r}", err=True)
        raise typer.Exit(2) from None
    with _unit_of_work() as session:
        ids = []
        for name in track:
            found = session.scalar(select(Track).where(Track.name == name))
            if found is None:
                raise ValueError(f"no track {name!r}")
            ids.append(found.id)
        meeting = service.create_meeting(
            session, _operator(), starts_on, ids, host, venue, timezone
        )
        typer.echo(f"created meeting {meeting.id} on {meeting.starts_on} ({meeting.timezone})")


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every meeting: id, date, venue, time zone, state."""
    from chipbridge.workgroup.meetings import service

    with _unit_of_work(write=False) as session:
        rows = [
            {
                "id": m.id,
                "date": m.starts_on.isoformat(),
                "start": m.start_time.strftime("%H:%M"),
                "end": m.end_time.strftime("%H:%M"),
                "venue": m.location,
                "host": m.host.code if m.host else None,
                "timezone": m.timezone,
                "state": m.status,
            }
            for m in service.meetings(session, _operator())
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Meetings")
    for column in ("id", "date", "time", "venue", "host", "time zone", "state"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["date"]),
            f"{row['start']}-{row['end']}",
            str(row["venue"] or "-"),
            str(row["host"] or "-"),
            str(row["timezone"]),
            service.label(str(row["state"])),
        )
    Console().print(table)


@app.command("pack")
def pack(
    meeting_id: Annotated[int, typer.Argument(min=1, help="The meeting's id.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
) -> None:
    """Write the meeting's bilingual pack (PDF); the file appears whole or not at all."""
    from chipbridge.store.files import atomic_write
    from chipbridge.workgroup.meetings import pack as packs

    with _unit_of_work(write=False) as session:
        data = packs.render(session, _operator(), meeting_id)
    with atomic_write(out) as handle:
        handle.write(data)
    typer.echo(f"wrote the pack of meeting {meeting_id} to {out} ({len(data):,} bytes)")


@app.command("ical")
def ical(out: Annotated[Path, typer.Option("--out", help="Where to write the .ics file.")]) -> None:
    """Write every meeting as an iCalendar file, each in its own time zone."""
    from chipbridge.store.files import atomic_write
    from chipbridge.workgroup.meetings import ical as feed

    with _unit_of_work(write=False) as session:
        data = feed.feed(session, _operator())
    with atomic_write(out) as handle:
        handle.write(data)
    typer.echo(f"wrote {data.count(b'BEGIN:VEVENT')} meetings to {out}")


@app.command("step")
def step(
    meeting_id: Annotated[int, typer.Argument(min=1, help="The meeting's id.")],
    name: Annotated[StepName, typer.Argument(metavar="STEP", help="The step to take.")],
    as_: Annotated[
        str, typer.Option("--as", help="The account the step is taken for (its role counts).")
    ],
) -> None:
    """Take one step of the lifecycle for an account: sign-off-agenda and sign-off-minutes
    (counsel), circulate and lock (secretariat), approve-minutes (a delegation's head)."""
    from chipbridge.accounts import service as accounts
    from chipbridge.workgroup.meetings import service

    actions = {
        StepName.sign_off_agenda: service.sign_off_agenda,
        StepName.circulate: service.circulate,
        StepName.lock: service.lock,
        StepName.sign_off_minutes: service.sign_off_minutes,
        StepName.approve_minutes: service.approve_minutes,
    }
    with _unit_of_work() as session:
        user = accounts.get_user(session, as_)
        if not user.active:
            raise ValueError(f"{user.email} is disabled")
        actions[name](session, accounts.actor_for(user), meeting_id)
        state = service.get(session, accounts.actor_for(user), meeting_id).status
    typer.echo(
        f"meeting {meeting_id}: {name.value} done as {user.email}; now {service.label(state)}"
    )
