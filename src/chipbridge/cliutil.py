"""What every command module shares: one-line errors, plain text through rich, the list store.

Values printed through rich go in as ``Text``, never as markup strings, so a name such as
"Nobody [/bold] Ltd" is printed as given instead of being read as markup (or crashing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from chipbridge import config

if TYPE_CHECKING:
    from rich.text import Text

    from chipbridge.store.lists import ListStore

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATETIME",
        help="Answer from the lists active at this moment (ISO 8601; a date means 00:00 UTC).",
    ),
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """A one-line error on stderr; exit 2 for bad input, 1 when something else went wrong."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def store_errors() -> Iterator[None]:
    """A list store that cannot be read or written is a one-line error, exit 1."""
    from chipbridge.store.versions import StoreError

    try:
        yield
    except StoreError as exc:
        raise fail(str(exc), 1) from None


def list_store(max_shrink: float | None = None, max_skipped: float | None = None) -> ListStore:
    from chipbridge.store.lists import MAX_SHRINK, MAX_SKIPPED, ListStore

    return ListStore(
        config.home(),
        MAX_SHRINK if max_shrink is None else max_shrink,
        MAX_SKIPPED if max_skipped is None else max_skipped,
    )


def parse_as_of(value: str | None) -> datetime | None:
    from chipbridge.store.versions import parse_moment

    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError as exc:
        raise fail(f"--as-of: {exc}") from None


def text(value: object, style: str = "") -> Text:
    """A value for a rich table or line, printed literally."""
    from rich.text import Text

    return Text("-" if value is None else str(value), style=style)
