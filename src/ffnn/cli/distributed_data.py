"""A table on a Dask cluster made ready for training (`ffnn fit --dask`): the statistics of one
pass over it (from which `distributed_labels` finds the task), the test rows held out of every
partition, and each partition encoded and split into training and validation rows on its
worker, as dask arrays."""

import operator

import numpy as np

from ..exceptions import DataError
from ..tabular.values import counted
from ..training.batches import held_out_plan, held_out_rows
from .distributed_parquet import spelled, value_counts


def is_numeric(dtype):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def statistics(frame, features, target, task):
    """One pass over the data, one task per partition (`summary`), whose results the client
    adds up: rows per partition, missing values (and rows missing every feature), the numeric
    columns' mean, spread and largest magnitude, the text columns' value counts, and the
    target's. (One reduction per statistic
    made some hundred tasks of a few files, half a second of scheduling.)"""
    import dask

    numeric = [c for c in features.columns if is_numeric(features[c].dtype)]
    text = [c for c in features.columns if c not in numeric]
    numeric_target = is_numeric(frame[target].dtype)
    moments = task == "regression" or (task == "auto" and numeric_target)
    classes = task == "classification" or not numeric_target
    summarise = dask.delayed(summary, pure=True)
    parts = dask.compute(*[summarise(part, list(features.columns), numeric, text, target,
                                     moments, classes) for part in frame.to_delayed()])
    found = {"rows": [p["rows"] for p in parts], "numeric": numeric, "text": text,
             "missing": _added([p["missing"] for p in parts]),
             "no value": sum(p["no value"] for p in parts),
             "target missing": sum(p["target missing"] for p in parts)}
    n, mean, m2 = _merged([p["moments"] for p in parts])
    with np.errstate(invalid="ignore", divide="ignore"):  # a column without values: NaN
        std = np.sqrt(m2 / n)
    top = np.max([p["top"] for p in parts], axis=0) if parts else np.zeros(len(numeric))
    low = high = np.full(len(numeric), np.nan)
    if parts:  # a column of one value is a constant, whatever the rounding of its moments
        low = np.min([p["low"] for p in parts], axis=0)
        high = np.max([p["high"] for p in parts], axis=0)
        single = low == high
        mean, std = np.where(single, low, mean), np.where(single, 0.0, std)
    found.update(mean=dict(zip(numeric, mean)), std=dict(zip(numeric, std)),
                 top=dict(zip(numeric, top)), count=dict(zip(numeric, np.broadcast_to(
                     n, len(numeric)))), low=dict(zip(numeric, low)), high=dict(zip(numeric,
                                                                                    high)))
    for name in text:
        found[("text", name)] = spelled(_added([p["text"][name] for p in parts]),
                                        features[name].dtype)
    if moments:
        (n_y,), (y_mean,), (y_m2,) = _merged([p["y moments"] for p in parts])
        found.update(y_mean=y_mean, y_std=np.sqrt(y_m2 / n_y) if n_y else np.nan,
                     integral=all(p["integral"] for p in parts))
    if classes:
        found["classes"] = _added([p["classes"] for p in parts])
    return found


def summary(part, features, numeric, text, target, moments, classes):
    """One partition's share of `statistics`: its rows, missing values per feature (and rows
    missing all of them) and in the target, per numeric column (count, mean, Σ(x − mean)²) of
    the present values and their largest magnitude and least and largest values, per text
    column {value as text: count}; with `moments` the target's
    (count, mean, Σ(y − mean)²) and whether its values are whole, with `classes` {label:
    count}."""
    y = part[target]
    missing = part[features].isna()
    out = {"rows": len(part), "missing": missing.sum().to_dict(),
           "no value": int(missing.all(axis=1).sum()) if features else 0,
           "target missing": int(y.isna().sum())}
    X = part[numeric].to_numpy(np.float64) if numeric else np.empty((len(part), 0))
    out["moments"] = _moments(X)
    with np.errstate(invalid="ignore"):
        out["top"] = np.where(np.isnan(X), 0.0, np.abs(X)).max(axis=0, initial=0.0)
        # +inf and -inf where a column has no value here, which the least and largest of
        # all partitions pass over
        out["low"] = np.where(np.isnan(X), np.inf, X).min(axis=0, initial=np.inf)
        out["high"] = np.where(np.isnan(X), -np.inf, X).max(axis=0, initial=-np.inf)
    # Counted in the order the values first come (added up partition by partition, in order):
    # imputation fills in the most frequent value, and of values equally frequent the first
    # to come in the table, as in memory; a partition's own most frequent would pick another.
    out["text"] = {name: value_counts(part[name]) for name in text}
    if moments:
        values = y.dropna().to_numpy(np.float64)
        out["y moments"] = _moments(values[:, None])
        out["integral"] = bool(np.all(values % 1 == 0))
    if classes:
        out["classes"] = y.dropna().value_counts().to_dict()
    return out


def _moments(X):
    """Per column of X (NaN: missing): (count, mean, Σ(x − mean)²) of the present values."""
    present = ~np.isnan(X)
    n = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, X, 0.0).sum(axis=0) / n
        m2 = (np.where(present, X - mean, 0.0) ** 2).sum(axis=0)
    return n.astype(np.float64), np.where(n > 0, mean, 0.0), np.where(n > 0, m2, 0.0)


def _merged(moments):
    """(count, mean, Σ(x − mean)²) of the union of sets of which `moments` gives each one's:
    Chan, Golub and LeVeque's pairwise update, which keeps the digits a sum of squares loses."""
    n, mean, m2 = moments[0]
    for n_b, mean_b, m2_b in moments[1:]:
        total = n + n_b
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, n_b / total, 0.0)
        delta = mean_b - mean
        mean, m2, n = mean + delta * share, m2 + m2_b + delta**2 * n * share, total
    with np.errstate(invalid="ignore"):
        return n, np.where(n > 0, mean, np.nan), m2


def _added(counts):
    """The item-by-item sum of {key: count} dicts."""
    total = {}
    for part in counts:
        for key, count in part.items():
            total[key] = total.get(key, 0) + count
    return total


def row_numbers(parts, columns, stats, n_rows):
    """[(column, count, first, last)] of the numeric `columns` whose present values, in the
    partitions (delayed) that `stats` describes, are distinct whole numbers that
    `features.numbers_rows` takes for row numbers or an identifier among n_rows rows (the rows
    of the files, test rows included): a second pass over the columns whose statistics allow
    it, which sets each partition's values in a bitmap of the span on its worker and adds up
    the bitmaps (a span/8-byte array each, at most n_rows bytes) in a tree. Of integer columns
    that are features, there are seldom any."""
    import dask

    from .features import numbers_rows

    candidates = []
    for name in columns:
        count, first, last = (stats["count"][name], float(stats["low"][name]),
                              float(stats["high"][name]))
        if numbers_rows(name, int(count), first, last, n_rows):
            candidates.append((name, int(count), int(first), int(last)))
    if not candidates:
        return []
    bits = dask.delayed(_bitmaps, pure=True)
    spans = [(name, first, last) for name, _, first, last in candidates]
    maps = [bits(part, spans) for part in parts]
    either = dask.delayed(_either, pure=True)
    while len(maps) > 1:
        maps = [either(*maps[k:k + 2]) if k + 1 < len(maps) else maps[k]
                for k in range(0, len(maps), 2)]
    (found,) = dask.compute(maps[0])
    return [(name, count, first, last) for (name, count, first, last), bitmap in
            zip(candidates, found) if int(_SET_BITS[bitmap].sum()) == count]


# The number of bits set in each byte value.
_SET_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).sum(axis=1,
                                                                             dtype=np.uint8)


def _bitmaps(part, spans):
    """Per (column, first, last) of `spans`, the packed bitmap (np.packbits' order) of the
    values the partition's column holds, value v at bit v − first (none set where a value is
    not whole: CSV files' whole numbers are read as floats). The bits are set in place: a
    bitmap of one byte per value would take eight times the memory, on every worker."""
    found = []
    for name, first, last in spans:
        values = part[name].dropna().to_numpy(np.float64)
        bitmap = np.zeros((last - first) // 8 + 1, dtype=np.uint8)
        if np.all(values % 1 == 0):
            at = values.astype(np.int64) - first
            np.bitwise_or.at(bitmap, at >> 3, (128 >> (at & 7)).astype(np.uint8))
        found.append(bitmap)
    return found


def _either(a, b):
    return [np.bitwise_or(x, y) for x, y in zip(a, b)]


def encode(frame, preprocessor, target, task, target_mean, target_scale, dtype, rows=None):
    """(X, y) of one partition, on its worker; `rows`, where given, is how many rows the dask
    arrays built from it declare, and a partition of another size is an error, not a silent
    misalignment of rows."""
    if rows is not None and len(frame) != rows:
        raise RuntimeError(f"a partition of {len(frame)} rows was counted as {rows}: Dask "
                           "delivered the partitions otherwise than when they were counted")
    # Values unseen in training (only test rows can hold them) are encoded as no category,
    # without a word, as in memory: 'ffnn evaluate' on the test rows names them.
    X = preprocessor.transform(frame, dtype, unseen={}, shifts=preprocessor.shifts())
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


def _rows_and_missing(part, target):
    """(rows, rows missing the target) of a partition."""
    return len(part), int(part[target].isna().sum())


def hold_out_test_rows(frame, fraction, seed, target):
    """(the frame without its test rows, its partitions, (the test rows' partitions, their
    counts), the rows of every partition, test rows included, whose `target` is missing: the
    statistics count the other rows alone, and a test row without a target is refused as any
    other): ceil(fraction · n) rows, shared among
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
    counts = dask.compute(*[dask.delayed(_rows_and_missing, pure=True)(part, target)
                            for part in parts])
    rows = [int(m) for m, _ in counts]
    # A stream of its own (the validation rows' seeds come from args.seed alone).
    held, seeds = held_out_plan(rows, fraction, [seed, 1])
    rest, test = split_partitions(parts, held, seeds, rows_of)
    return (dd.from_delayed(rest, meta=frame._meta, verify_meta=False), rest, (test, held),
            sum(missing for _, missing in counts))


def validation_split(encoded, rows, fraction, seed, width, dtype, y_dtype):
    """(X, y, (X_val, y_val) or None) of the encoded partitions (delayed (X_p, y_p) of `rows`
    rows each): ceil(fraction · n) validation rows shared among the partitions and drawn in
    each from a seed of its own, on its worker."""
    from ..training.dask_engine import split_partitions

    if fraction == 0:
        return (*arrays(encoded, rows, width, dtype, y_dtype), None)
    held, seeds = held_out_plan(rows, fraction, seed)
    if sum(held) == sum(rows):  # said as in memory (`splits.split_rows`)
        too_few = "is too few" if sum(rows) == 1 else "are too few"
        raise DataError(f"{counted(sum(rows), 'row')} {too_few} to hold out "
                        f"{100 * fraction:.15g}% as validation rows; lower "
                        "--validation-fraction or set it to 0")
    training, validation = split_partitions(encoded, held, seeds, split)
    return (*arrays(training, [m - v for m, v in zip(rows, held)], width, dtype, y_dtype),
            arrays(validation, held, width, dtype, y_dtype))
