"""The types of targets, weights and categorical features that come as dask Series or
DataFrames: those that scikit-learn gives the same pandas objects in memory."""

import numpy as np


def typed_as_in_memory(data):
    """A dask Series or DataFrame of targets or weights with the types scikit-learn gives them
    in memory: pandas' nullable numbers and booleans as float64, categories as their values
    (see `_value_types`), text as objects. (Left to Dask they become arrays of objects, whose
    labels are of no known type.)"""
    values = _value_types(data)
    if data.ndim == 1:
        dtype = values.get(None, _typed(data.dtype))
        return data if dtype is data.dtype else data.astype(dtype)
    changed = {c: values.get(c, _typed(t)) for c, t in data.dtypes.items()}
    changed = {c: t for c, t in changed.items() if t is not data.dtypes[c]}
    return data.astype(changed) if changed else data


def categories_as_numbers(frame):
    """A dask DataFrame of features whose categorical columns of numbers (or booleans) are
    their values, as scikit-learn takes them in memory; those of text are left to be refused."""
    numbers = {c: t for c, t in _value_types(frame).items() if t.kind in "biuf"}
    return frame.astype(numbers) if numbers else frame


def _value_types(data):
    """{column (None for a Series): the type of its values} for the categorical columns of a
    dask Series or DataFrame, found in one pass over the partitions: their categories' type
    (booleans' as float64), floats where a value is missing among whole numbers (as pandas
    gives them in memory, where the NaN is then refused). Dask's astype("category") leaves the
    categories unknown (a placeholder of text, which would make labels 0, 1, 2 objects of no
    known kind), and its own as_known counted the placeholder among them on a distributed
    cluster: the partitions' categories are gathered here."""
    import dask
    import pandas as pd

    columns = {None: data.dtype} if data.ndim == 1 else dict(data.dtypes.items())
    categorical = [c for c, t in columns.items() if isinstance(t, pd.CategoricalDtype)]
    if not categorical:
        return {}
    found = dask.compute(*[dask.delayed(_categories, pure=True)(part, categorical)
                           for part in data.to_delayed()])
    values = {}
    for c in categorical:
        known = data if c is None else data[c]
        categories = columns[c].categories if known.cat.known else \
            _union(part[c][0] for part in found)
        dtype = _typed(pd.CategoricalDtype(categories))
        missing = any(part[c][1] for part in found)
        values[c] = np.dtype(np.float64) if missing and dtype.kind in "biu" else dtype
    return values


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


def _categories(part, columns):
    """{column: (its categories, whether a value is missing)} of one partition (a Series's
    under None)."""
    return {c: (column.cat.categories, bool(column.isna().any()))
            for c, column in ((c, part if c is None else part[c]) for c in columns)}


def _union(indexes):
    """The categories of all the partitions, of their values' type: an empty partition's
    (of objects, say) leaves it as it is."""
    indexes = list(indexes)
    kept = [index for index in indexes if len(index)] or indexes[:1]
    union = kept[0]
    for index in kept[1:]:
        union = union.union(index)
    return union
