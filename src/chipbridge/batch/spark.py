"""Screening on Apache Spark, for files too large for one machine.

The index is pickled once on the driver and broadcast; each executor process unpickles it
once and screens its partitions with the same engine as ``screen-file``, producing the same
columns. ``screen_dataframe`` returns a Spark DataFrame for cluster jobs (write it as Parquet
or CSV where the cluster keeps its data); ``screen_file_spark`` is the command-line path,
which collects the hits in input order into one CSV written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chipbridge.batch.screen_file import (
    OUTPUT_COLUMNS,
    InputError,
    Summary,
    check_paths,
    csv_row,
    hit_record,
    read_rows,
)
from chipbridge.screening import Screener, UnscreenableName
from chipbridge.store.files import atomic_write

_EXECUTOR_SCREENERS: dict[str, Screener] = {}


def _screener_for(key: str, broadcast: Any) -> Screener:
    """One screener per executor process and index, unpickled on first use."""
    found = _EXECUTOR_SCREENERS.get(key)
    if found is None:
        found = Screener(pickle.loads(broadcast.value))
        _EXECUTOR_SCREENERS[key] = found
    return found


def _screen_partition(key: str, broadcast: Any, rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
    screener = _screener_for(key, broadcast)
    for seq, row_id, query in rows:
        try:
            found = screener.screen(query)
        except UnscreenableName:
            continue
        for rank, hit in enumerate(found, start=1):
            yield (seq, *hit_record(row_id, query, rank, hit))


def screen_dataframe(spark: Any, screener: Screener, rows: Any) -> Any:
    """Screen an RDD of (seq, row_id, query) and return the hits as a DataFrame."""
    from pyspark.sql.types import (
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    payload = pickle.dumps(screener.index, protocol=pickle.HIGHEST_PROTOCOL)
    key = hashlib.sha256(payload).hexdigest()
    broadcast = spark.sparkContext.broadcast(payload)
    schema = StructType(
        [StructField("seq", LongType())]
        + [
            StructField(
                name, {"rank": IntegerType(), "score": DoubleType()}.get(name, StringType())
            )
            for name in OUTPUT_COLUMNS
        ]
    )
    hits = rows.mapPartitions(lambda part: _screen_partition(key, broadcast, part))
    return spark.createDataFrame(hits, schema)


def screen_file_spark(
    screener: Screener,
    source: Path,
    out: Path,
    column: str = "name",
    id_column: str | None = None,
    master: str = "local[*]",
) -> Summary:
    """``screen-file`` on Spark: same input checks, same output, written atomically."""
    import os
    import sys
    import time

    from pyspark.sql import SparkSession

    # Local executors must run this interpreter, which has chipbridge installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    check_paths(source, out)
    started = time.perf_counter()
    rows = [row for chunk in read_rows(source, column, id_column) for row in chunk]
    spark = (
        SparkSession.builder.master(master)
        .appName("chipbridge screen-file")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        rdd = spark.sparkContext.parallelize(
            [(seq, row_id, query) for seq, (row_id, query) in enumerate(rows)]
        )
        found = screen_dataframe(spark, screener, rdd).orderBy("seq", "rank").collect()
    except Exception as exc:  # Spark reports every failure as a Java or Py4J error
        raise InputError(f"Spark job failed: {exc}") from exc
    finally:
        spark.stop()
    with atomic_write(out) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(OUTPUT_COLUMNS)
        for hit in found:
            writer.writerow(csv_row(tuple(hit)[1:]))  # drop the ordering column
        text.flush()
        text.detach()
    return Summary(
        len(rows), len({h.seq for h in found}), len(found), time.perf_counter() - started
    )
