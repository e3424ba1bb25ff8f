"""``chipbridge ownership ...``: import ownership, and see what the 50% rules catch, by date.

Exit codes: 0 done; 2 bad input or a refused file (nothing changed); 1 the store or the
rules file could not be read or written, or the ownership was stored but re-screening the
working group failed (it stays pending and is retried).
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chipbridge.cliutil import AsOf, fail, list_store, parse_as_of, store_errors

if TYPE_CHECKING:
    from chipbridge.ownership.service import Findings

app = typer.Typer(
    help="Import ownership and see which parties the 50% rules catch, on any date.",
    no_args_is_help=True,
)
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Source = Annotated[
    str,
    typer.Option(help="The source this file replaces (several sources are kept side by side)."),
]


class FileFormat(StrEnum):
    csv = "csv"
    ftm = "ftm"


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A CSV of links, or FtM entities (JSON lines).")],
    source: Source = "main",
    format: Annotated[FileFormat | None, typer.Option(help="Default: detected.")] = None,
) -> None:
    """Check an ownership file, then store it as its source's new version (all or nothing)."""
    from chipbridge.ownership.files import ImportRefused
    from chipbridge.ownership.service import import_file
    from chipbridge.store.lists_cli import after_swap

    store = list_store()
    with store_errors():
        try:
            done = import_file(store, path, format.value if format else None, source)
        except ImportRefused as exc:
            raise fail(str(exc)) from None
        item = done.item
        how = ", ".join(f"{n} by {how}" for how, n in sorted(done.resolved.items()))
        typer.echo(
            f"imported {item.links:,} ownership links into source {item.source} "
            f"(generation {item.generation}); parties told {how}"
        )
        _summary(store)
        after_swap(store, "ownership import", "the ownership was imported")


@app.command("drop")
def drop_command(source: Annotated[str, typer.Argument(help="The source to stop using.")]) -> None:
    """Stop using a source's links from now on (answers as of earlier moments keep them)."""
    from chipbridge.ownership.files import ImportRefused
    from chipbridge.ownership.service import drop
    from chipbridge.store.lists_cli import after_swap
    from chipbridge.store.versions import StoreError

    store = list_store()
    with store_errors():
        try:
            item = drop(store, source)
        except (ImportRefused, StoreError) as exc:
            raise fail(str(exc)) from None
        typer.echo(f"source {item.source} dropped (generation {item.generation})")
        after_swap(store, "ownership drop", "the source was dropped")


def _summary(store: Any) -> None:
    from chipbridge.ownership.service import findings

    found = findings(store)
    if found is None:
        return
    counts: dict[str, int] = {}
    for finding in found.result.findings:
        counts[finding.rule.name] = counts.get(finding.rule.name, 0) + 1
    caught = ", ".join(f"{rule}: {n}" for rule, n in counts.items()) or "none"
    typer.echo(f"caught on {found.state.day}: {caught}")


@app.command("history")
def history_command(as_json: Json = False) -> None:
    """Every ownership import and drop, oldest first."""
    import dataclasses

    from chipbridge.ownership.store import OwnershipStore

    with store_errors():
        items = OwnershipStore(list_store().versions).imports()
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(i) for i in items], indent=2))
        return
    if not items:
        typer.echo("no ownership has been imported yet")
        return
    for i in items:
        what = "dropped" if i.dropped else f"{i.links:,} links from {i.file} ({i.format})"
        typer.echo(
            f"{i.imported_at[:19].replace('T', ' ')}  generation {i.generation}  {i.source}: {what}"
        )


@app.command("show")
def show_command(
    as_of: AsOf = None,
    on: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Apply the rules and link dates of this day to the ownership known at "
            "--as-of (default: the day of --as-of): what would be caught then.",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """The rules and their state on the day, and every party they catch, with the chains."""
    from chipbridge.ownership.service import findings
    from chipbridge.ownership.store import load_rules

    moment = parse_as_of(as_of)
    day = None
    if on is not None:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise fail(f"--on: {on!r} is not a date (YYYY-MM-DD)") from None
    with store_errors():
        found = findings(list_store(), moment, day)
        rules = load_rules() if found is None else found.state.rules
    if found is None:
        if as_json:
            typer.echo(json.dumps({"ownership": None, "findings": [], "red_flags": []}))
        else:
            typer.echo("no ownership is in use" + (f" at {as_of}" if as_of else ""))
        return
    payload = _payload(found)
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(f"ownership on {found.state.day} (rules: {rules.source})")
    for rule in payload["rules"]:
        typer.echo(f"  {rule['name']}: {rule['state']} ({rule['dates']})")
    for item in payload["findings"]:
        typer.echo(f"caught: {item['name']} ({item['rule']}, {item['share']}%)")
        typer.echo(f"  {item['explanation']}")
        typer.echo(f"  {item['look_through_text']}")
    for flag in payload["red_flags"]:
        owners = ", ".join(f"{o['name']} ({o['percent']})" for o in flag["owners"])
        typer.echo(f"red flag: {flag['name']} ({flag['rule']}): owned by {owners}, share unknown")
    if not payload["findings"] and not payload["red_flags"]:
        typer.echo("no party is caught on this day")


def _payload(found: Findings) -> dict[str, Any]:
    from chipbridge.ownership import derive

    graph, state = found.graph, found.state

    def party(key: str) -> dict[str, Any]:
        return {
            "key": key,
            "name": graph.name(key),
            "listings": [
                {
                    "dataset": x.dataset,
                    "entry_id": x.entry_id,
                    "list": x.list_name,
                    "citation": x.citation,
                }
                for x in graph.parties[key].listings
            ],
        }

    return {
        "day": state.day.isoformat(),
        "lists": found.active.used,
        "rules": [
            {
                "id": r.id,
                "name": r.name,
                "state": r.state(state.day).value,
                "dates": r.dates(cited=True),
                "citation": r.citation,
                "title": r.title,
            }
            for r in state.rules.rules
        ],
        "findings": [
            {
                **party(f.party),
                "rule": f.rule.name,
                "rule_id": f.rule.id,
                "entry_id": f"{f.rule.id}:{f.party}",
                "share": round(f.share, 4),
                "holdings": [
                    {**party(link.owner), "percent": link.percent, "where": link.where}
                    for link in f.holdings
                ],
                "chains": [
                    {
                        "parties": [party(k) for k in c.parties],
                        "percents": list(c.percents),
                        "look_through": round(c.look_through, 4),
                    }
                    for c in f.chains
                ],
                "look_through": [{**party(k), "percent": round(v, 4)} for k, v in f.look_through],
                "together": round(f.together, 4),
                "explanation": derive.explain(graph, f),
                "look_through_text": derive.look_through_text(graph, f),
            }
            for f in found.result.findings
        ],
        "red_flags": [
            {
                **party(flag.party),
                "rule": flag.rule.name,
                "owners": [{**party(link.owner), "percent": None} for link in flag.owners],
            }
            for flag in found.result.red_flags
        ],
    }
