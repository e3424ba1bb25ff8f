"""``chipbridge lists ...`` and ``chipbridge rescreen``: the list store from the command line.

Exit codes: 0 done; 2 bad input or a refused file (nothing changed); 1 the lists changed but
re-screening the working group failed (it stays pending and is retried), or the store could
not be read or written.
"""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chipbridge.cliutil import AsOf, fail, list_store, parse_as_of, store_errors, text

if TYPE_CHECKING:
    from chipbridge.screening.model import Entry
    from chipbridge.store.lists import Imported, ListStore

lists_app = typer.Typer(
    help="Import, show, update and compare the screening lists.", no_args_is_help=True
)


class ListFormat(StrEnum):
    csl = "csl"
    ofac = "ofac"
    un = "un"
    ftm = "ftm"


AllowShrink = Annotated[
    bool,
    typer.Option(
        "--allow-shrink", help="Accept a list with many fewer entries than the active one."
    ),
]
MaxShrink = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        envvar="CHIPBRIDGE_MAX_SHRINK",
        help="Largest share of entries a new version may drop without --allow-shrink.",
    ),
]
MaxSkipped = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        envvar="CHIPBRIDGE_MAX_SKIPPED",
        help="Largest share of unreadable records a file may have (beyond 10 rows).",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@lists_app.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(help="A list file, or an OFAC folder.")],
    format: Annotated[ListFormat | None, typer.Option(help="Default: detected.")] = None,
    allow_shrink: AllowShrink = False,
    max_shrink: MaxShrink = 0.2,
    max_skipped: MaxSkipped = 0.01,
) -> None:
    """Import a published list file as that list's next version and make it active."""
    from chipbridge.screening.sources import Format, SourceError, load
    from chipbridge.store.lists import ListRefused

    try:
        snapshot = load(path, Format(format.value) if format else None)
    except SourceError as exc:
        raise fail(str(exc)) from None
    store = list_store(max_shrink, max_skipped)
    with store_errors():
        try:
            imported = store.save(snapshot, allow_shrink)
        except ListRefused as exc:
            raise fail(str(exc)) from None
        _report(imported, detail=True)
        after_swap(store, "lists import")


@lists_app.command("update")
def lists_update(
    dataset: Annotated[
        list[str] | None, typer.Option("--list", help="Only this list (repeatable).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Fetch every file from this address instead.")
    ] = None,
    allow_shrink: AllowShrink = False,
    max_shrink: MaxShrink = 0.2,
    max_skipped: MaxSkipped = 0.01,
) -> None:
    """Download the official lists from their publishers and import them all, or none."""
    from chipbridge.store.lists import ListRefused
    from chipbridge.store.update import UpdateError, update

    store = list_store(max_shrink, max_skipped)
    with store_errors():
        try:
            imported = update(
                store, dataset or None, base_url, report=typer.echo, allow_shrink=allow_shrink
            )
        except (UpdateError, ListRefused) as exc:
            raise fail(f"{exc}; no list was changed") from None
        for item in imported:
            _report(item, detail=False)
        after_swap(store, "lists update")


def _report(item: Imported, detail: bool) -> None:
    info = item.info
    if not item.new:
        typer.echo(
            f"{info.dataset}: same content as the active version {info.version}; nothing imported"
        )
        return
    counts = (
        f": {info.added:,} added, {info.changed:,} changed, {info.removed:,} removed"
        if info.version > 1
        else ""
    )
    typer.echo(
        f"imported {info.entries:,} entries into {info.dataset} ({info.title}) "
        f"as version {info.version}{counts}"
    )
    if not detail:
        return
    for skipped in info.skipped[:20]:
        typer.echo(f"  skipped line {skipped['line']}: {skipped['reason']}")
    if len(info.skipped) > 20:
        typer.echo(f"  ... and {len(info.skipped) - 20} more skipped rows")


def after_swap(store: ListStore, actor: str, done: str = "the lists were imported") -> None:
    """Build and cache the new index (the next screen pays nothing), then re-screen the
    working group if it has not been screened against the active lists. ``done`` says what
    was stored, for the message when the re-screen fails."""
    store.screener()
    if store.rescreen_pending() is not None:
        _rescreen(store, actor, done)


def _rescreen(store: ListStore, actor: str, done: str | None) -> None:
    from chipbridge.store.rescreen import RescreenError, rescreen

    try:
        count = rescreen(store, actor)
    except RescreenError as exc:
        what = f"{done}, but re-screening" if done else "re-screening"
        raise fail(
            f"{what} the working group failed ({exc}); it stays pending and "
            "`chipbridge rescreen` or the next import retries it",
            1,
        ) from None
    if count is None:
        if done is None:
            typer.echo("no working group database yet: nothing to re-screen")
    else:
        typer.echo(f"re-screened {count} companies and participants")


def rescreen_command() -> None:
    """Screen every company and participant of the working group against the active lists."""
    with store_errors():
        _rescreen(list_store(), "rescreen", None)


@lists_app.command("show")
def lists_show(as_of: AsOf = None, as_json: Json = False) -> None:
    """Each active list: version, entries, as-of date, import time, content hash."""
    with store_errors():
        infos = list_store().infos(parse_as_of(as_of))
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(i) for i in infos], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Active lists" + (f" at {as_of}" if as_of else ""))
    columns = ("dataset", "version", "entries", "as of", "imported", "skipped", "hash")
    for column in columns:
        table.add_column(column)
    for info in infos:
        table.add_row(
            text(info.dataset),
            text(info.version),
            text(f"{info.entries:,}"),
            text(info.as_of),
            text(_when(info.imported_at) or "built in"),
            text(len(info.skipped)),
            text(info.content_hash[:8]),
        )
    Console().print(table)


@lists_app.command("history")
def lists_history(
    dataset: Annotated[str | None, typer.Option("--list", help="Only this list.")] = None,
    as_json: Json = False,
) -> None:
    """Every imported version, oldest first, with entries added, changed and removed."""
    store = list_store()
    with store_errors():
        active = {(i.dataset, i.version) for i in store.infos()}
        rows = [
            {**dataclasses.asdict(i), "active": (i.dataset, i.version) in active}
            for i in store.history(dataset)
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("no list has been imported yet")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="List versions")
    for column in ("dataset", "version", "imported", "as of", "entries", "+", "~", "-", "active"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            text(row["dataset"]),
            text(row["version"]),
            text(_when(row["imported_at"])),
            text(row["as_of"]),
            text(f"{row['entries']:,}"),
            text(row["added"], "green"),
            text(row["changed"], "yellow"),
            text(row["removed"], "red"),
            text("yes" if row["active"] else ""),
        )
    Console().print(table)


@lists_app.command("diff")
def lists_diff(
    dataset: Annotated[str, typer.Argument(help="The list, e.g. us_csl.")],
    before: Annotated[
        int | None, typer.Argument(help="From this version (default: the one before TO).")
    ] = None,
    after: Annotated[
        int | None, typer.Argument(help="To this version (default: the active one).")
    ] = None,
    as_json: Json = False,
) -> None:
    """The entries added, changed and removed between two versions of a list."""
    from chipbridge.store.lists import ListRefused

    with store_errors():
        try:
            diff = list_store().diff(dataset, before, after)
        except ListRefused as exc:
            raise fail(str(exc)) from None
    changed = [(old, new, _changed_fields(old, new)) for old, new in diff.changed]
    if as_json:
        payload = {
            "dataset": diff.dataset,
            "from": diff.before,
            "to": diff.after,
            "added": [e.to_dict() for e in diff.added],
            "changed": [
                {"id": new.id, "fields": fields, "before": old.to_dict(), "after": new.to_dict()}
                for old, new, fields in changed
            ],
            "removed": [e.to_dict() for e in diff.removed],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    start = f"version {diff.before}" if diff.before else "nothing"
    typer.echo(
        f"{diff.dataset}: {start} -> version {diff.after}: {len(diff.added):,} added, "
        f"{len(diff.changed):,} changed, {len(diff.removed):,} removed"
    )
    for entry in diff.added:
        typer.echo(f"+ {_line(entry)}")
    for _, new, fields in changed:
        typer.echo(f"~ {_line(new)}: {', '.join(fields)}")
    for entry in diff.removed:
        typer.echo(f"- {_line(entry)}")


def _when(stamp: str | None) -> str | None:
    """A stored import time, to the second, for tables."""
    return stamp[:19].replace("T", " ") if stamp else None


def _line(entry: Entry) -> str:
    return f"{entry.id}  {entry.name}  ({entry.list_name})"


def _changed_fields(old: Entry, new: Entry) -> list[str]:
    before: dict[str, Any] = old.to_dict()
    after: dict[str, Any] = new.to_dict()
    return [key for key in after if before.get(key) != after[key]]
