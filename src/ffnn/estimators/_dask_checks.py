"""What fit checks of Dask rows before training (finite values, the classes and their counts,
by sample weight where given, the least target and weight), found with one delayed task per
partition and combined on the client: Dask's reductions of arrays make a tree of tasks per
quantity, which took three times as long on small data."""

import numpy as np
import scipy.sparse as sp

from ._dask_inputs import blocks
from ._labels import incomparable_labels_message, missing_labels, missing_labels_message


def row_checks(X, y, w, classifier):
    """The partitions' `_summary`s of dask arrays X, y (and w, or None) chunked alike by rows
    (of known sizes), as delayed values for `combined`."""
    import dask

    summary = dask.delayed(_summary, pure=True)
    starts = np.cumsum((0,) + X.chunks[0][:-1])
    return [summary(X_p, y_p, w_p, classifier, int(start))
            for (X_p, y_p, w_p), start in zip(blocks(X, y, w), starts)]


def _summary(X, y, w, classifier, start):
    """One partition's part of `row_checks`: whether X, y and w are finite, y's classes and
    their counts (a classifier) or its least value, and w's least value. Labels that cannot be
    classes are noted (their types, or where the missing ones are: `start` is the partition's
    first row) rather than left to fail in np.unique with a TypeError."""
    def least(values):  # of whole numbers too (np.min's `initial` of inf is no integer)
        return float(values.min()) if values.size else np.inf

    # a sparse block's stored values (its zeros are finite), in one array (a LIL or DOK
    # block holds them otherwise)
    if sp.issparse(X) and X.format not in ("csr", "csc", "coo"):
        X = X.tocsr()
    found = {"X finite": bool(np.isfinite(X.data if sp.issparse(X) else X).all())}
    if classifier:
        if y.dtype == object:
            missing = missing_labels(y)
            if missing.size:
                found["missing labels"] = start + missing[:5], missing.size
                y = np.delete(y, missing)
                w = None if w is None else np.delete(w, missing)
        # each class's rows counted by their weight, for class_weight="balanced"
        found["classes"] = _classes(y, None if w is None else np.asarray(w, np.float64))
    else:
        found["y finite"], found["y min"] = bool(np.isfinite(y).all()), least(y)
    if w is not None:
        found["w finite"], found["w min"] = bool(np.isfinite(w).all()), least(w)
    return found


def _classes(y, counts=None):
    """(classes, counts) of labels y, each counted once unless their `counts` (whole numbers,
    or sample weights: then sums of weights) are given; or (None, the labels' type names)
    where the labels' types do not compare (1 and "a")."""
    try:
        if counts is None:
            return np.unique(y, return_counts=True)
        classes, inverse = np.unique(y, return_inverse=True)
    except TypeError:
        return None, {type(v).__name__ for v in np.ravel(y)}
    summed = np.bincount(inverse.ravel(), counts, len(classes))
    return classes, summed if counts.dtype.kind == "f" else summed.astype(np.int64)


def combined(summaries):
    """`_summary` of all the rows, from those of their partitions."""
    first = summaries[0]
    found = {key: all(part[key] for part in summaries) for key in first if "finite" in key}
    found.update({key: min(part[key] for part in summaries) for key in first if "min" in key})
    missing = [part["missing labels"] for part in summaries if "missing labels" in part]
    if missing:
        found["missing labels"] = (np.concatenate([where for where, _ in missing])[:5],
                                   sum(count for _, count in missing))
    if "classes" in first:
        parts = [part["classes"] for part in summaries]
        kinds = set().union(*(kinds for classes, kinds in parts if classes is None))
        if kinds:
            found["classes"] = None, kinds
        else:  # each partition's classes may be of a type; together they must compare too
            found["classes"] = _classes(np.concatenate([classes for classes, _ in parts]),
                                        np.concatenate([counts for _, counts in parts]))
    return found


def check_labels(found, name="y"):
    """Refuse, as in memory, labels that `combined` found cannot be classes: a missing one,
    labels of types that do not compare, or floats that are not finite."""
    if "missing labels" in found:
        raise ValueError(missing_labels_message(*found["missing labels"], name=name))
    classes, kinds = found["classes"]
    if classes is None:
        raise ValueError(incomparable_labels_message(kinds, name=name))
    # in scikit-learn's words, before its check of the classes casts them to integers (with
    # NumPy's RuntimeWarning for a NaN)
    if classes.dtype.kind == "f" and np.isnan(classes).any():
        raise ValueError(f"Input {name} contains NaN.")
    if classes.dtype.kind == "f" and np.isinf(classes).any():
        raise ValueError(f"Input {name} contains infinity or a value too large for "
                         f"dtype('float64').")
