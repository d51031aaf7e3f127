"""Parquet files on a Dask cluster read as the in-memory commands read one
(`tabular.parquet`): the files' columns checked before any is read, each partition's decimal
columns as float64 numbers, binary ones as UTF-8 text and the markers of missing values given
and a model's as missing (the columns they make numbers decided over all the files); and the
dates and durations of text columns counted as the instants and spans they name, spelled once
every partition's are added up."""

import numpy as np

from ..tabular.parquet import (
    binary_columns,
    decimal_columns,
    decoded,
    mark_missing,
    marker_findings,
    read_schema,
    turned_to_floats,
)
from .distributed_columns import parquet_columns, same_columns


def read_parquet_files(files, pattern, na_values=(), text=()):
    """A dask DataFrame of the Parquet `files` (that `pattern` names), read as in memory: a
    DataError where a file names two columns alike or holds lists, structs or maps; decimal
    columns as float64, binary ones as UTF-8 text, the markers `na_values` as missing
    (`tabular.parquet.read_parquet`, partition by partition, whose rows a refusal counts). A
    column that the markers make numbers is decided over all the files, as in memory over one
    file of their rows: a pass over the partitions finds the columns that hold a marker in some
    partition and nothing but numbers besides it in every one; never those of `text` (declared
    categories, or a model's), which stay text."""
    import dask
    import dask.dataframe as dd

    decimals, binaries = _typed_columns(files)
    files = _with_rows(files)
    # A frame's named index, which pandas stores as columns, read as the columns every
    # other reader sees (as in memory), not as the index
    frame = dd.read_parquet(files, index=False)
    decimals = [name for name in decimals if name in frame.columns]
    binaries = [name for name in binaries if name in frame.columns]
    if not (decimals or binaries or na_values):
        return frame
    meta = frame._meta.copy()
    for name in decimals:
        meta[name] = meta[name].astype(np.float64)
    where = f"{pattern}, {IN_A_PARTITION}"
    frame = frame.map_partitions(_as_read, decimals, binaries, where, meta=meta)
    if not na_values:
        return frame
    na_values = list(na_values)
    find = dask.delayed(marker_findings, pure=True)
    floats = turned_to_floats(dask.compute(*[find(part, na_values)
                                             for part in frame.to_delayed()]))
    return frame.map_partitions(_marked, na_values, floats, list(text),
                                meta=mark_missing(meta.copy(), na_values, floats, text))


def _with_rows(files):
    """The files that hold rows, or all of them where none does. Dask types the columns from
    the first file: one without rows that pandas wrote types every column as doubles, text
    too, whose values further on were then refused."""
    import pyarrow.parquet as pq

    held = [path for path in files if pq.read_metadata(path).num_rows > 0]
    return held or list(files)


# How a refusal of some rows of the files names them
IN_A_PARTITION = "in one of its partitions (rows counted within it)"


def check_parquet_files(files):
    """DataError where a Parquet file cannot be read as in memory: it names two columns alike,
    or holds lists, structs or maps (checked before a cluster is started for them)."""
    _typed_columns(files)


def _typed_columns(files):
    """(the decimal columns, the binary columns) of the files, each file's columns checked."""
    decimals, binaries, named = {}, {}, []
    for path in files:
        schema = read_schema(path)
        named.append(parquet_columns(path, schema))
        decimals.update(dict.fromkeys(decimal_columns(schema)))
        binaries.update(dict.fromkeys(binary_columns(schema)))
    same_columns(named)
    return list(decimals), list(binaries)


def _as_read(part, decimals, binaries, where):
    """A partition's decimal and binary columns as `tabular.parquet.read_parquet` reads a
    file's (its markers of missing values are marked apart, see `read_parquet_files`)."""
    import pandas as pd

    part = part.copy()
    for name in decimals:  # each Decimal rounded as float() does, as in memory
        part[name] = pd.to_numeric(part[name].astype(object)).astype(np.float64)
    for name in binaries:
        part[name] = decoded(where, name, part[name])
    return part


def _marked(part, na_values, floats, text):
    """A partition with the markers `na_values` missing and the columns `floats` numbers, but
    those of `text`."""
    return mark_missing(part.copy(), na_values, floats, text)


def value_counts(column):
    """{value: count} of a partition's column, in the order the values first come: as text, but
    dates and durations as the instants and spans they name (see `spelled`)."""
    present = column.dropna()
    if present.dtype.kind not in "mM":
        present = present.astype(str)
    return present.value_counts(sort=False).to_dict()


def spelled(counts, dtype):
    """`value_counts` added up over the partitions, as text: dates and durations spelled as
    pandas spells them in one column of all of them, as in memory ('2024-01-02', or
    '2024-01-02 00:00:00' where some date has a time of day: a partition's own spelling would
    make two categories of one date)."""
    import pandas as pd

    if dtype.kind not in "mM" or not counts:
        return counts
    text = pd.Series(list(counts), dtype=dtype).astype(str)
    return dict(zip(text, counts.values()))
