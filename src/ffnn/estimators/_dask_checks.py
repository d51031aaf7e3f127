"""What fit checks of Dask rows before training (finite values, the classes and their counts,
the least target and weight), found with one delayed task per partition and combined on the
client: Dask's reductions of arrays make a tree of tasks per quantity, which took three times
as long on small data."""

import numpy as np

from ._dask_inputs import blocks


def row_checks(X, y, w, classifier):
    """The partitions' `_summary`s of dask arrays X, y (and w, or None) chunked alike by rows,
    as delayed values for `combined`."""
    import dask

    summary = dask.delayed(_summary, pure=True)
    return [summary(X_p, y_p, w_p, classifier) for X_p, y_p, w_p in blocks(X, y, w)]


def _summary(X, y, w, classifier):
    """One partition's part of `row_checks`: whether X, y and w are finite, y's classes and
    their counts (a classifier) or its least value, and w's least value."""
    def least(values):  # of whole numbers too (np.min's `initial` of inf is no integer)
        return float(values.min()) if values.size else np.inf

    found = {"X finite": bool(np.isfinite(X).all())}
    if classifier:
        found["classes"] = np.unique(y, return_counts=True)
    else:
        found["y finite"], found["y min"] = bool(np.isfinite(y).all()), least(y)
    if w is not None:
        found["w finite"], found["w min"] = bool(np.isfinite(w).all()), least(w)
    return found


def combined(summaries):
    """`_summary` of all the rows, from those of their partitions."""
    first = summaries[0]
    found = {key: all(part[key] for part in summaries) for key in first if "finite" in key}
    found.update({key: min(part[key] for part in summaries) for key in first if "min" in key})
    if "classes" in first:
        classes, inverse = np.unique(np.concatenate([part["classes"][0] for part in summaries]),
                                     return_inverse=True)
        counts = np.concatenate([part["classes"][1] for part in summaries])
        found["classes"] = classes, np.bincount(inverse, counts, len(classes)).astype(np.int64)
    return found
