"""A table on a Dask cluster made ready for training (`ffnn fit --dask`): the statistics of one
pass over it, the task, the test rows held out of every partition, and each partition encoded
and split into training and validation rows on its worker, as dask arrays."""

import operator

import numpy as np

from ..exceptions import DataError
from ..training.batches import held_out_plan, held_out_rows


def is_numeric(dtype):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def statistics(frame, features, target, task):
    """One pass over the data: rows per partition, missing values, the numeric columns' mean,
    spread and largest magnitude, the text columns' value counts, and the target's."""
    import dask

    numeric = [c for c in features.columns if is_numeric(features[c].dtype)]
    text = [c for c in features.columns if c not in numeric]
    y = frame[target]
    wanted = {"rows": frame.map_partitions(len), "missing": features.isna().sum(),
              "target missing": y.isna().sum()}
    if numeric:
        block = features[numeric]
        wanted.update(mean=block.mean(), std=block.std(ddof=0), top=block.abs().max())
    for name in text:
        wanted[("text", name)] = features[name].dropna().astype(str).value_counts(split_out=1)
    numeric_target = is_numeric(y.dtype)
    if task == "regression" or (task == "auto" and numeric_target):
        wanted.update(y_mean=y.mean(), y_std=y.std(ddof=0),
                      integral=(y.dropna() % 1 == 0).all())
    if task == "classification" or not numeric_target:
        wanted["classes"] = y.dropna().value_counts(split_out=1)
    (found,) = dask.compute(wanted)
    found["numeric"], found["text"] = numeric, text
    return found


def infer_task(asked, stats, dtype):
    if asked != "auto":
        return asked
    if not is_numeric(dtype):
        return "classification"
    if stats["integral"] and "classes" in stats and len(stats["classes"]) <= 20:
        return "classification"
    return None if stats["integral"] else "regression"


def label_dtype(dtype):
    return dtype if is_numeric(dtype) or str(dtype) == "bool" else object


def encode(frame, preprocessor, target, task, target_mean, target_scale, dtype, rows=None):
    """(X, y) of one partition, on its worker; `rows`, where given, is how many rows the dask
    arrays built from it declare, and a partition of another size is an error, not a silent
    misalignment of rows."""
    if rows is not None and len(frame) != rows:
        raise RuntimeError(f"a partition of {len(frame)} rows was counted as {rows}: Dask "
                           "delivered the partitions otherwise than when they were counted")
    # Values unseen in training (only test rows can hold them) are encoded as no category,
    # without a word, as in memory: 'ffnn evaluate' on the test rows names them.
    X = preprocessor.transform(frame, dtype, unseen={})
    y = frame[target].to_numpy()
    if task == "regression":
        y = (y.astype(np.float64) - target_mean) / target_scale
    elif not np.issubdtype(y.dtype, np.number) and y.dtype != bool:
        y = y.astype(str).astype(object)  # labels as text, as the in-memory command reads them
    return X, y


def split(encoded, held, seed, held_out):
    X, y = encoded
    train, val = held_out_rows(X.shape[0], held, seed)
    rows = val if held_out else train
    return X[rows], y[rows]


def arrays(parts, rows, width, dtype, y_dtype):
    """Dask arrays (X, y) of per-partition delayed (X_p, y_p) pairs of known row counts."""
    import dask
    import dask.array as da

    pick = dask.delayed(operator.getitem, pure=True)
    X = da.concatenate([da.from_delayed(pick(p, 0), (m, width), dtype) for p, m in
                        zip(parts, rows)])
    y = da.concatenate([da.from_delayed(pick(p, 1), (m,), y_dtype) for p, m in
                        zip(parts, rows)])
    return X, y


def rows_of(part, held, seed, held_out):
    """A partition's held-out rows (`held` of them, drawn from its seed), or the others."""
    rest, rows = held_out_rows(len(part), held, seed)
    return part.iloc[rows if held_out else rest]


def hold_out_test_rows(frame, fraction, seed):
    """(the frame without its test rows, its partitions, (the test rows' partitions, their
    counts)): ceil(fraction · n) rows, shared among
    the partitions in proportion to their sizes and drawn in each from a seed of its own, before
    anything is learned from the data (the standardisation statistics and categories are those
    of the other rows). The partitions are taken as Dask delivers them to `to_delayed`, and the
    two frames are built from them, so that no later optimisation can merge partitions and
    renumber them (reading few columns of small Parquet files does). Later steps take the
    partitions as they are, never through the frame's `to_delayed` (Dask's graph optimisation
    loses the dependencies of a frame made from delayed partitions turned back into them)."""
    import dask
    import dask.dataframe as dd

    from ..training.dask_engine import split_partitions

    parts = frame.to_delayed()
    rows = [int(m) for m in dask.compute(*[dask.delayed(len)(part) for part in parts])]
    # A stream of its own (the validation rows' seeds come from args.seed alone).
    held, seeds = held_out_plan(rows, fraction, [seed, 1])
    rest, test = split_partitions(parts, held, seeds, rows_of)
    return dd.from_delayed(rest, meta=frame._meta, verify_meta=False), rest, (test, held)


def validation_split(encoded, rows, fraction, seed, width, dtype, y_dtype):
    """(X, y, (X_val, y_val) or None) of the encoded partitions (delayed (X_p, y_p) of `rows`
    rows each): ceil(fraction · n) validation rows shared among the partitions and drawn in
    each from a seed of its own, on its worker."""
    from ..training.dask_engine import split_partitions

    if fraction == 0:
        return (*arrays(encoded, rows, width, dtype, y_dtype), None)
    held, seeds = held_out_plan(rows, fraction, seed)
    if sum(held) == sum(rows):
        raise DataError(f"holding out {fraction:g} of {sum(rows)} rows for validation leaves "
                        "none to train on; lower --validation-fraction")
    training, validation = split_partitions(encoded, held, seeds, split)
    return (*arrays(training, [m - v for m, v in zip(rows, held)], width, dtype, y_dtype),
            arrays(validation, held, width, dtype, y_dtype))
