"""The ``screen-file`` command: batch screening of a CSV or Parquet file, locally or on Spark."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from chipbridge.batch.files import Format
from chipbridge.cliutil import AsOf, fail, list_store, parse_as_of, store_errors

app = typer.Typer()


class Engine(StrEnum):
    local = "local"
    spark = "spark"


@app.command("screen-file")
def screen_file(
    input: Annotated[
        Path, typer.Argument(help="CSV (UTF-8) or Parquet file with one name per row.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The file to write the hits to.")],
    column: Annotated[str, typer.Option(help="Column holding the names.")] = "name",
    id_column: Annotated[
        str | None, typer.Option(help="Column holding your row ids (default: row number).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Local processes (default: number of cores).")
    ] = None,
    format: Annotated[
        Format | None,
        typer.Option(help="Output format (default: parquet for a .parquet name, else csv)."),
    ] = None,
    engine: Annotated[
        Engine, typer.Option(help="Local processes, or Apache Spark (extra 'spark').")
    ] = Engine.local,
    spark_master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[*]",
    as_of: AsOf = None,
) -> None:
    """Screen every row of a file; write one row per hit at or above the threshold."""
    from chipbridge.batch.files import InputError
    from chipbridge.batch.screen_file import Summary
    from chipbridge.batch.screen_file import screen_file as run

    if not input.is_file():
        raise fail(f"{input}: no such file")
    with store_errors():
        screener = list_store().screener(parse_as_of(as_of))
    summary: Summary
    try:
        if engine is Engine.spark:
            try:
                from chipbridge.batch.spark import screen_file_spark
            except ImportError:
                raise fail("Spark is not installed: pip install 'chipbridge[spark]'") from None
            summary = screen_file_spark(
                screener, input, out, column, id_column, format, spark_master
            )
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
                    format,
                    progress=lambda n: bar.update(task, description=f"screened {n:,} rows"),
                )
        else:
            summary = run(screener, input, out, column, id_column, workers, format)
    except InputError as exc:
        raise fail(str(exc)) from None
    typer.echo(summary.text(out))
