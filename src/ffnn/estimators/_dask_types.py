"""The types of targets, weights and categorical features that come as dask Series or
DataFrames: those that scikit-learn gives the same pandas objects in memory."""

import numpy as np


def typed_as_in_memory(data):
    """A dask Series or DataFrame of targets or weights with the types scikit-learn gives them
    in memory: pandas' nullable numbers and booleans as float64, categories as their values'
    type (booleans' as float64), text as objects. (Left to Dask they become arrays of objects,
    whose labels are of no known type.)"""
    data = _known_categories(data)
    if data.ndim == 2:
        changed = {c: _typed(t) for c, t in data.dtypes.items() if _typed(t) is not t}
        return data.astype(changed) if changed else data
    return data if _typed(data.dtype) is data.dtype else data.astype(_typed(data.dtype))


def categories_as_numbers(frame):
    """A dask DataFrame of features whose categorical columns of numbers (or booleans) are
    their values, as scikit-learn takes them in memory; those of text are left to be refused."""
    import pandas as pd

    if not any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes):
        return frame
    frame = _known_categories(frame)
    numbers = {c: _typed(t) for c, t in frame.dtypes.items()
               if isinstance(t, pd.CategoricalDtype) and _typed(t).kind in "biuf"}
    return frame.astype(numbers) if numbers else frame


def _typed(t):
    """The type scikit-learn gives a pandas column of type t in memory (see
    `typed_as_in_memory`)."""
    import pandas as pd

    if isinstance(t, pd.CategoricalDtype):  # bool categories too are numbers in memory
        return np.dtype(np.float64) if t.categories.dtype == bool else \
            _typed(t.categories.dtype)
    if isinstance(t, pd.StringDtype):  # as pandas' to_numpy gives them (Dask warned)
        return np.dtype(object)
    if not isinstance(t, np.dtype) and (pd.api.types.is_numeric_dtype(t) or
                                        pd.api.types.is_bool_dtype(t)):
        return np.dtype(np.float64)
    return t


def _known_categories(data):
    """A dask Series or DataFrame whose categorical columns list their categories. Dask's
    astype("category") leaves them unknown (a placeholder of text, whose type would make labels
    0, 1, 2 objects of no known kind), and its own as_known counted the placeholder among them
    on a distributed cluster: the partitions' categories are gathered here, in one pass."""
    import dask

    columns = [None] if data.ndim == 1 else list(data.columns)
    unknown = [c for c in columns if _unknown(data if c is None else data[c])]
    if not unknown:
        return data
    found = dask.compute(*[dask.delayed(_categories, pure=True)(part, unknown)
                           for part in data.to_delayed()])
    if data.ndim == 1:
        return data.cat.set_categories(_union(part[None] for part in found))
    data = data.copy()
    for c in unknown:
        data[c] = data[c].cat.set_categories(_union(part[c] for part in found))
    return data


def _unknown(column):
    import pandas as pd
    return isinstance(column.dtype, pd.CategoricalDtype) and not column.cat.known


def _categories(part, columns):
    """{column: its categories} of one partition (a Series's under None)."""
    return {c: (part if c is None else part[c]).cat.categories for c in columns}


def _union(indexes):
    """The categories of all the partitions, of their values' type: an empty partition's
    (of objects, say) leaves it as it is."""
    indexes = list(indexes)
    kept = [index for index in indexes if len(index)] or indexes[:1]
    union = kept[0]
    for index in kept[1:]:
        union = union.union(index)
    return union
