"""``chipbridge lists ...`` and ``chipbridge rescreen``: the list store from the command line.

Exit codes: 0 done; 2 bad input or a refused file (nothing changed); 1 the lists changed but
re-screening the working group failed (it stays pending and is retried), or the store could
not be read or written.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
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


# Larger than this, a file is not taken for blank without reading it (it may be a list).
BLANK_MAX = 4096


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


def _fraction(value: float) -> float:
    """A share given as a fraction; typer's own range message ("not in the range 0<=x<=1")
    does not say that 5 was read as 500%."""
    if not 0.0 <= value <= 1.0:
        raise typer.BadParameter(f"{value:g} is not a fraction between 0 and 1 (0.2 means 20%)")
    return value


MaxShrink = Annotated[
    float,
    typer.Option(
        callback=_fraction,
        envvar="CHIPBRIDGE_MAX_SHRINK",
        help="Largest share of entries a new version may drop without --allow-shrink, as a "
        "fraction from 0 to 1 (0.2 = 20%).",
    ),
]
MaxSkipped = Annotated[
    float,
    typer.Option(
        callback=_fraction,
        envvar="CHIPBRIDGE_MAX_SKIPPED",
        help="Largest share of unreadable records a file may have (beyond 10 rows), as a "
        "fraction from 0 to 1 (0.01 = 1%).",
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

    if _blank(path):
        raise fail(f"{path}: the file is empty; nothing was imported")
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


def _blank(path: Path) -> bool:
    """A file with nothing but white space (or a byte-order mark), which no format reads:
    said as such rather than as a format that cannot be told."""
    if not path.is_file() or path.stat().st_size > BLANK_MAX:
        return False
    return not path.read_bytes().strip(b"\xef\xbb\xbf \r\n\t")


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
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DURATION",
            help="Keep running: update again after this long (e.g. 24h, 30m, 7d). A failed "
            "round is logged and the next one tries again; Ctrl-C stops.",
        ),
    ] = None,
    runs: Annotated[
        int | None, typer.Option(min=1, help="With --every: stop after this many rounds.")
    ] = None,
) -> None:
    """Download the official lists from their publishers and import them all, or none."""
    if every is None:
        _update_once(dataset, base_url, allow_shrink, max_shrink, max_skipped)
        return
    try:
        interval = parse_duration(every)
    except ValueError as exc:
        raise fail(f"--every: {exc}") from None
    _every(
        interval,
        runs,
        lambda: _update_once(dataset, base_url, allow_shrink, max_shrink, max_skipped),
    )


def parse_duration(text: str) -> float:
    """Seconds in "90s", "30m", "24h" or "7d"; at least a minute apart, except in seconds
    given as such (tests)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    if len(value) < 2 or value[-1] not in units or not value[:-1].isdecimal():
        raise ValueError(f"{text!r} is not a duration; use e.g. 24h, 30m or 7d")
    seconds = int(value[:-1]) * units[value[-1]]
    if seconds <= 0:
        raise ValueError("the interval must be positive")
    return float(seconds)


def _every(interval: float, runs: int | None, once: Callable[[], None]) -> None:
    """Run ``once`` every ``interval`` seconds, logging each round with the time; a round
    that fails is logged and the loop goes on."""
    import time
    from datetime import UTC, datetime, timedelta

    def log(message: str) -> None:
        typer.echo(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z lists update: {message}")

    done = 0
    try:
        while True:
            started = time.monotonic()
            log("starting")
            try:
                once()
                log("done")
            except typer.Exit as exc:
                if exc.exit_code:
                    log(f"FAILED (exit {exc.exit_code}); the lists in use are unchanged")
            done += 1
            if runs is not None and done >= runs:
                return
            pause = max(0.0, interval - (time.monotonic() - started))
            log(f"next round at {datetime.now(UTC) + timedelta(seconds=pause):%Y-%m-%d %H:%M:%S}Z")
            time.sleep(pause)
    except KeyboardInterrupt:
        log("stopped")


def _update_once(
    dataset: list[str] | None,
    base_url: str | None,
    allow_shrink: bool,
    max_shrink: float,
    max_skipped: float,
) -> None:
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


def _rescreen(store: ListStore, actor: str, done: str | None, full: bool = False) -> None:
    from chipbridge.store.rescreen import RescreenError, rescreen

    try:
        summary = rescreen(store, actor, full)
    except RescreenError as exc:
        what = f"{done}, but re-screening" if done else "re-screening"
        raise fail(
            f"{what} the working group failed ({exc}); it stays pending and "
            "`chipbridge rescreen` or the next import retries it",
            1,
        ) from None
    if summary is None:
        if done is None:
            typer.echo("no working group database yet: nothing to re-screen")
    else:
        typer.echo(summary.line())


def rescreen_command(
    full: Annotated[
        bool, typer.Option("--full", help="Screen everyone, not only what the changes reach.")
    ] = False,
) -> None:
    """Screen the group's companies and participants and every monitored party against the
    active lists: only those the list changes since the last re-screen can affect."""
    with store_errors():
        _rescreen(list_store(), "rescreen", None, full=full)


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
    if not rows and dataset is not None:
        raise fail(
            f"no list {dataset!r} has been imported; `chipbridge lists show` names the lists"
        )
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
