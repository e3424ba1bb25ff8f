"""Screening on Apache Spark: a lazy DataFrame API and a job that ``spark-submit`` runs.

No input row passes through the driver. Spark's own readers load the input on the executors,
each partition is screened in Arrow batches by ``mapInArrow`` with the same code as the local
``screen-file`` (``screen_rows``), and Spark's writers store the hits from the executors. The
index is pickled once on the driver and broadcast; each Python worker unpickles it on first
use and keeps it for every later task (Spark reuses its Python workers).

Output schema (``output_schema()``), one row per hit, the columns of ``OUTPUT_COLUMNS`` typed
as ``hit_record`` fills them; today::

    row_id string, query string, rank bigint, score double, entry_id string,
    source string, listed_name string, matched_name string, reason string

The job (see docs/batch.md for spark-submit on a cluster)::

    python -m chipbridge.batch.spark --input URI --output URI --format parquet
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import hashlib
import os
import pickle
import re
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chipbridge import collector
from chipbridge.batch.files import (
    Format,
    InputError,
    check_paths,
    file_mode,
    input_format,
    output_format,
    record_batch,
)
from chipbridge.batch.screen_file import (
    Counts,
    Summary,
    arrow_schema,
    csv_row,
    screen_rows,
    text_schema,
)
from chipbridge.screening import Screener

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

# The column holding row numbers when the input has no id column of its own.
ROW_NUMBER = "__chipbridge_row"
# CSV as Python's csv module and the local engine read and write it (RFC 4180).
CSV_OPTIONS = {"header": "true", "escape": '"', "encoding": "UTF-8"}
CSV_READ = {**CSV_OPTIONS, "mode": "FAILFAST"}
CSV_WRITE = {
    **CSV_OPTIONS,
    "emptyValue": "",
    "ignoreLeadingWhiteSpace": "false",
    "ignoreTrailingWhiteSpace": "false",
    "lineSep": "\r\n",
}
# With column pruning Spark parses only the columns it needs and so accepts rows with too
# few fields; the local engine refuses them, and so does the job.
CSV_PRUNING = "spark.sql.csv.parser.columnPruning.enabled"
# The low 33 bits of monotonically_increasing_id() count rows within a partition.
PARTITION_SHIFT = 33
# Screening costs about a millisecond of CPU per row, reading it microseconds: the job
# spreads rows over at least this many tasks per core (one shuffle of ids and names), so a
# few large input splits cannot leave cores idle or make one straggler task run for hours.
TASKS_PER_CORE = 4


@dataclass(frozen=True, slots=True)
class _Plan:
    """What each executor needs to screen a partition; pickled once into the task."""

    key: str
    index: Any  # a Broadcast of the pickled NameIndex
    schema: pa.Schema
    as_text: bool
    counters: tuple[Any, ...]  # Accumulators for the fields of Counts, or ()


_EXECUTOR_SCREENER: dict[str, Screener] = {}


def _screener_for(plan: _Plan) -> Screener:
    """The screener of this Python worker, unpickled from the broadcast on first use."""
    found = _EXECUTOR_SCREENER.get(plan.key)
    if found is None:
        _EXECUTOR_SCREENER.clear()  # a worker keeps one index, the current one
        with collector.paused():  # unpickling allocates millions of objects, none garbage
            found = Screener(pickle.loads(plan.index.value))
        gc.freeze()  # keep the collector from walking the index on every full collection
        _EXECUTOR_SCREENER[plan.key] = found
    return found


def _screen_batches(plan: _Plan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` body: (row_id, name) batches in, hit batches out."""
    screener = _screener_for(plan)
    total = Counts()
    for batch in batches:
        ids = batch.column(0).to_pylist()
        names = batch.column(1).to_pylist()
        counts, records = screen_rows(screener, zip(ids, names, strict=True))
        total.add(counts)
        if records:
            if plan.as_text:
                records = [tuple(csv_row(record)) for record in records]
            yield record_batch(records, plan.schema)
    for counter, value in zip(plan.counters, astuple(total), strict=False):
        counter.add(value)


def _default_screener() -> Screener:
    from chipbridge import config
    from chipbridge.store.lists import ListStore

    return ListStore(config.home()).screener()


def _quoted(column: str) -> str:
    """A column name for ``col()``, taken literally even with dots or backticks in it."""
    return "`" + column.replace("`", "``") + "`"


def output_schema(screener: Screener | None = None) -> StructType:
    """The Spark schema of ``screen_dataframe``'s result."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema(screener or _default_screener()))


def screen_dataframe(
    df: DataFrame,
    name_col: str = "name",
    id_col: str = "id",
    screener: Screener | None = None,
) -> DataFrame:
    """Screen every row of ``df``: a lazy DataFrame of hits, schema ``output_schema()``.

    Nothing runs until the result is written or otherwise acted on. ``id_col`` is your key
    for each row, cast to text; ``number_rows`` adds row numbers to a DataFrame without one.
    ``screener`` defaults to the lists imported into ``$CHIPBRIDGE_HOME`` on the driver.
    """
    return _screen(df, name_col, id_col, screener or _default_screener(), False, (), None)


def _screen(
    df: DataFrame,
    name_col: str,
    id_col: str,
    screener: Screener,
    as_text: bool,
    counters: tuple[Any, ...],
    partitions: int | None,
) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    for column, what in ((name_col, "column"), (id_col, "id column")):
        if column not in df.columns:
            raise InputError(f"no {what} {column!r} (columns: {', '.join(df.columns)})")
    payload = pickle.dumps(screener.index, protocol=pickle.HIGHEST_PROTOCOL)
    plan = _Plan(
        key=hashlib.sha256(payload).hexdigest(),
        index=df.sparkSession.sparkContext.broadcast(payload),
        schema=text_schema() if as_text else arrow_schema(screener),
        as_text=as_text,
        counters=counters,
    )
    del payload
    rows = df.select(
        F.col(_quoted(id_col)).cast("string").alias("row_id"),
        F.col(_quoted(name_col)).cast("string").alias("name"),
    )
    if partitions is not None:
        rows = rows.repartition(partitions)
    return rows.mapInArrow(functools.partial(_screen_batches, plan), from_arrow_schema(plan.schema))


def number_rows(df: DataFrame, column: str = ROW_NUMBER) -> DataFrame:
    """``df`` with 1-based row numbers, as text, in Spark's read order (for one file: its lines).

    Runs one small job at once: the rows of each partition are counted on the executors and
    only the counts, one per partition, come to the driver. Each row's number is then its
    partition's offset plus its place in the partition, computed where the row is.
    """
    from pyspark.sql import functions as F

    per_partition: dict[int, int] = dict(
        df.select(F.spark_partition_id().alias("p")).groupBy("p").count().collect()
    )
    offsets, total = [], 0
    for partition in range(max(per_partition, default=-1) + 1):
        offsets.append(total)
        total += per_partition.get(partition, 0)
    position = F.col(_quoted(column))
    start = F.element_at(
        F.array(*(F.lit(o) for o in offsets or [0])),
        F.shiftright(position, PARTITION_SHIFT).cast("int") + 1,
    )
    within = position.bitwiseAND(F.lit((1 << PARTITION_SHIFT) - 1))
    return df.withColumn(column, F.monotonically_increasing_id()).withColumn(
        column, (start + within + 1).cast("string")
    )


def guess_format(uri: str) -> Format:
    """The input format from the URI's ending; for anything else say how to choose."""
    name = uri.rstrip("/").lower()
    if name.endswith((".parquet", ".pq")):
        return Format.parquet
    if name.endswith((".csv", ".csv.gz", ".csv.bz2", ".txt")):
        return Format.csv
    raise InputError(f"{uri}: cannot tell the input format; pass --input-format csv|parquet")


def read_input(spark: SparkSession, uri: str, fmt: Format) -> DataFrame:
    """Any Hadoop-compatible URI (a file, a folder, a glob), read by Spark's own readers."""
    if fmt is Format.parquet:
        return spark.read.parquet(uri)
    return spark.read.options(**CSV_READ).csv(uri)


class _Output:
    """The job's output folder through Hadoop's FileSystem API (local, HDFS, S3A, ...).

    Spark writes into a hidden sibling folder, which is renamed to the output only when the
    whole job succeeded and removed otherwise: a failed job leaves no output folder.
    """

    def __init__(self, spark: SparkSession, uri: str) -> None:
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        hadoop = jvm.org.apache.hadoop.fs
        self.path = hadoop.Path(uri)
        self.fs = self.path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        parent = self.path.getParent()
        if parent is None:
            raise InputError(f"{uri}: the output must be a folder below a root")
        self.tmp = hadoop.Path(parent, f".{self.path.getName()}.chipbridge-{secrets.token_hex(6)}")
        self.uri = uri

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def commit(self) -> None:
        if not self.fs.rename(self.tmp, self.path):
            raise InputError(f"{self.uri}: cannot move the finished output into place")

    def discard(self) -> None:
        if self.fs.exists(self.tmp):
            self.fs.delete(self.tmp, True)


def run_job(
    spark: SparkSession,
    input_uri: str,
    output_uri: str,
    fmt: Format = Format.parquet,
    input_fmt: Format | None = None,
    column: str = "name",
    id_column: str | None = None,
    screener: Screener | None = None,
    single_file: bool = False,
    partitions: int | None = None,
) -> Summary:
    """Screen ``input_uri`` into the folder ``output_uri``, all or nothing.

    ``partitions`` (default: ``TASKS_PER_CORE`` per core, or the input's splits if more)
    sets how many tasks screen. ``single_file`` gathers the hits into one part file (the
    ``screen-file`` path); a cluster job leaves it off so that every executor writes its own.
    """
    started = time.perf_counter()
    with _failures(f"{output_uri}: "):
        output = _Output(spark, output_uri)
        if output.exists():
            raise InputError(f"{output_uri} already exists; choose a new output")
    screener = screener or _default_screener()
    context = spark.sparkContext
    counters = tuple(context.accumulator(0) for _ in astuple(Counts()))
    try:
        with _failures("Spark job failed: "), _strict_csv(spark):
            df = read_input(spark, input_uri, input_fmt or guess_format(input_uri))
            for name, what in ((column, "column"), (id_column, "id column")):
                if name is not None and name not in df.columns:
                    raise InputError(
                        f"{input_uri}: no {what} {name!r} (columns: {', '.join(df.columns)})"
                    )
            if id_column is None:
                df, id_column = number_rows(df), ROW_NUMBER
            tasks = partitions or max(
                df.rdd.getNumPartitions(), TASKS_PER_CORE * context.defaultParallelism
            )
            hits = _screen(df, column, id_column, screener, fmt is Format.csv, counters, tasks)
            if single_file:
                hits = hits.repartition(1)
            writer = hits.write.mode("errorifexists")
            tmp = output.tmp.toString()
            if fmt is Format.csv:
                writer.options(**CSV_WRITE).csv(tmp)
            else:
                writer.parquet(tmp)
            output.commit()
    finally:
        output.discard()
    return Summary.of(Counts(*(counter.value for counter in counters)), started)


@contextlib.contextmanager
def _failures(prefix: str) -> Iterator[None]:
    """Spark's errors (Java exceptions through Py4J, or PySpark's own) as one-line InputErrors."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JError, PySparkException) as exc:
        raise InputError(prefix + explain(exc)) from exc


@contextlib.contextmanager
def _strict_csv(spark: SparkSession) -> Iterator[None]:
    """Turn CSV column pruning off for the job, and back to what it was afterwards."""
    before = spark.conf.get(CSV_PRUNING, None)
    spark.conf.set(CSV_PRUNING, "false")
    try:
        yield
    finally:
        if before is None:
            spark.conf.unset(CSV_PRUNING)
        else:
            spark.conf.set(CSV_PRUNING, before)


_NOISE = re.compile(r"^\[[A-Z_.]+\]\s*|\s*SQLSTATE: \w+\.?$")


def explain(exc: BaseException) -> str:
    """A Spark failure in one line: the outermost message and its root cause."""
    java = getattr(exc, "java_exception", None)
    messages: list[str] = []
    while java is not None:
        text = java.getMessage()
        if text:
            messages.append(text)
        java = java.getCause()
    if not messages:
        messages = [str(exc)]
    lines = [_NOISE.sub("", m.strip().splitlines()[0]).strip() for m in messages]
    lines = [line for line in dict.fromkeys(lines) if line]
    return ": ".join(lines[:1] + lines[-1:] if len(lines) > 1 else lines)


@contextlib.contextmanager
def spark_session(master: str | None = None, quiet: bool = False) -> Iterator[SparkSession]:
    """The running Spark session if there is one (left running), else a new one (stopped after).

    A session chipbridge did not create is never stopped here: it belongs to the caller.
    """
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is not None:
        yield SparkSession.builder.getOrCreate()
        return
    builder = SparkSession.builder.appName("chipbridge screening")
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local executors must run this interpreter, the one chipbridge is installed in.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if quiet:
        logging = Path(__file__).with_name("log4j2-quiet.properties")
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logging}")
        )
    spark = builder.getOrCreate()
    try:
        yield spark
    finally:
        spark.stop()


def screen_file_spark(
    screener: Screener,
    source: Path,
    out: Path,
    column: str = "name",
    id_column: str | None = None,
    fmt: Format | None = None,
    master: str = "local[*]",
) -> Summary:
    """``screen-file --engine spark``: the job, with its one part file moved to ``out``."""
    check_paths(source, out)
    staging = out.with_name(f".{out.name}.spark-{secrets.token_hex(4)}")
    try:
        with spark_session(master, quiet=True) as spark:
            summary = run_job(
                spark,
                source.resolve().as_uri(),
                staging.resolve().as_uri(),
                output_format(out, fmt),
                input_format(source),
                column,
                id_column,
                screener,
                single_file=True,
            )
        (part,) = staging.glob("part-*")
        os.chmod(part, file_mode())
        os.replace(part, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def main(argv: list[str] | None = None) -> int:
    """The job's command line, for ``spark-submit`` or ``python -m chipbridge.batch.spark``."""
    parser = argparse.ArgumentParser(
        prog="python -m chipbridge.batch.spark",
        description="Screen every row of a CSV or Parquet dataset on Spark; write the hits.",
    )
    parser.add_argument("--input", required=True, help="file, folder or glob; any Hadoop URI")
    parser.add_argument("--output", required=True, help="a new folder for the hits")
    parser.add_argument("--format", choices=list(Format), default="parquet", help="of the hits")
    parser.add_argument("--input-format", choices=list(Format), help="default: from --input")
    parser.add_argument("--column", default="name", help="column holding the names")
    parser.add_argument("--id-column", help="column holding row ids (default: row numbers)")
    parser.add_argument("--master", help="Spark master (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, help="screening tasks (default: 4 per core)")
    args = parser.parse_args(argv)
    from chipbridge.store.versions import StoreError

    try:
        screener = _default_screener()
        with spark_session(args.master) as spark:
            summary = run_job(
                spark,
                args.input,
                args.output,
                Format(args.format),
                Format(args.input_format) if args.input_format else None,
                args.column,
                args.id_column,
                screener,
                partitions=args.partitions,
            )
    except (InputError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.text(args.output))
    return 0


if __name__ == "__main__":
    # Run the job from the imported module, not from this copy named __main__: functions
    # shipped to executors must refer to chipbridge.batch.spark, which keeps its index.
    from chipbridge.batch.spark import main as job

    sys.exit(job())
