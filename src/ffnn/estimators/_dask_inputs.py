"""Dask collections as the estimators take them: recognised without importing Dask, turned into
dask arrays chunked by rows (one chunk of columns), checked as scikit-learn checks arrays."""

import collections
import math
import numbers
import threading
import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning

from ._dask_types import categories_as_numbers, typed_as_in_memory

# dask.config.set puts back, as it ends, the value it found when it began: two threads inside
# it at once may leave one's value set for the whole process. One thread at a time.
_CONFIGURING = threading.Lock()


def is_dask(obj):
    """Whether obj is a Dask collection (array, DataFrame, Series), without importing Dask."""
    return hasattr(obj, "__dask_graph__") and type(obj).__module__.startswith("dask")


def client():
    from distributed import get_client
    try:
        return get_client()
    except ValueError:
        raise ValueError("fitting on Dask collections needs a distributed Client: start one with "
                         "`from distributed import Client; client = Client()` (a local cluster) "
                         "or `Client('tcp://SCHEDULER:8786')`") from None


def together(*inputs, names=("X", "y", "sample_weight")):
    """The inputs (None where not given) as Dask collections where one of them is: the ones in
    memory (NumPy arrays, pandas objects, lists: a NumPy y beside a dask X, say) split into the
    rows of the first Dask input's blocks, as though they had come so. In-memory SciPy matrices
    are refused: only X can be sparse, as a dask array of sparse blocks."""
    dask_ones = [(data, name) for data, name in zip(inputs, names) if is_dask(data)]
    if not dask_ones or all(data is None or is_dask(data) for data in inputs):
        return inputs
    import dask.array as da
    first, _ = dask_ones[0]
    counted = as_array(*dask_ones[0])[0]
    rows = counted.chunks[0]
    # a dask array's rows, once counted (a filter's result), are not counted again
    return tuple(counted if data is first and isinstance(data, da.Array) else
                 data if data is None or is_dask(data) else _split_as(data, name, rows)
                 for data, name in zip(inputs, names))


def _split_as(data, name, rows):
    """One in-memory input of `together` in blocks of `rows` (one block where its length is
    not theirs: like_rows then says so)."""
    import dask.array as da
    import dask.dataframe as dd
    import pandas as pd
    import scipy.sparse as sp

    if sp.issparse(data):
        raise TypeError(f"{name} is a SciPy sparse matrix in memory, and the other inputs Dask "
                        "collections: pass all inputs in memory, or X as a dask array of sparse "
                        "blocks (`da.from_array(X, chunks=(rows, -1))` of a CSR matrix)")
    if isinstance(data, (pd.DataFrame, pd.Series)):  # its names and types kept, objects too:
        # Dask would make them text, labels 1 and 2 (which scikit-learn refuses) '1' and '2'
        import dask
        with _CONFIGURING, dask.config.set({"dataframe.convert-string": False}):
            return dd.from_pandas(data, npartitions=max(1, min(len(rows), len(data))),
                                  sort=False)
    array = np.asarray(data)
    if array.ndim == 0 and name == "sample_weight" and isinstance(data, numbers.Number):
        return da.full(sum(rows), data, dtype=np.float64, chunks=(tuple(rows),))  # as in memory
    if array.ndim == 0:
        raise ValueError(f"{name} must be an array of one value per row, got {data!r}")
    blocks = tuple(rows) if array.shape[0] == sum(rows) else (array.shape[0],)
    return da.from_array(array, chunks=(blocks,) + array.shape[1:])


def as_numbers(array, name):
    """Targets of a regressor, or weights, as scikit-learn takes them in memory: floats where
    they are text or objects (numbers in text, or None and NaN for missing ones), complex numbers
    refused (their imaginary parts would be dropped unsaid)."""
    refuse_complex(array, name)
    return array.astype(np.float64) if array.dtype.kind in "OUS" else array


def refuse_complex(array, name):
    """Refuse complex numbers, as scikit-learn does in memory (a cast to floats drops their
    imaginary parts, with no more than a NumPy warning)."""
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} is of type {array.dtype}; pass "
                         f"its real part ({name}.real) or its magnitude (abs({name}))")


def as_array(data, name, lengths=True):
    """A dask array from a dask array, DataFrame or Series (partition lengths computed when
    asked), and the DataFrame's column names (None otherwise)."""
    import dask.array as da
    if isinstance(data, da.Array):
        return _counted(data, lengths), None
    if not hasattr(data, "to_dask_array"):
        raise TypeError(f"{name} must be a dask array, DataFrame or Series (or a NumPy array or "
                        f"pandas object beside them), got {type(data).__name__}: turn it into "
                        "a dask array first (a Bag's .to_dataframe(), say)")
    # a dask Series answers to `columns` too, with its one dtype for `dtypes`: no names
    names = list(data.columns) if data.ndim == 2 else None
    if names is not None and name == "X":
        import pandas as pd
        # of NumPy's types before the categories become their values: scikit-learn's rule below
        numpy_types = all(isinstance(t, np.dtype) for t in data.dtypes)
        data = categories_as_numbers(data)
        text = [f"{c} ({t})" for c, t in data.dtypes.items()
                if not (pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t))]
        if text:
            strings = [c for c, t in data.dtypes.items() if isinstance(t, pd.StringDtype)]
            # Dask makes pandas' columns of objects text (its "dataframe.convert-string"
            # setting), numbers among them: such a column is no text to the one who made it.
            hint = (f"; a pandas column of objects becomes text in a Dask DataFrame, numbers "
                    f"too: give columns of numbers a number type before dd.from_pandas "
                    f"(frame.astype({{{strings[0]!r}: 'float64'}}))" if strings else "")
            raise ValueError(f"{name} has non-numeric columns ({', '.join(text[:5])}); encode "
                             "them first (the command line's `ffnn fit --dask` one-hot encodes "
                             f"text){hint}")
        # As in memory (scikit-learn's rule): the columns' common type where it is float32 or
        # float64 (float32 beside int8 or bool columns stays float32), else float64 (pandas'
        # nullable types and categories too, whatever their values' type).
        dtypes = list(data.dtypes)
        common = np.result_type(*dtypes) if dtypes and numpy_types else None
        common = common if common in (np.float32, np.float64) else np.dtype(np.float64)
        if any(t != common for t in dtypes):
            data = data.astype(common)
    # The rows are counted in the array's own blocks: Dask may merge partitions as it builds
    # the array (a few float columns of small Parquet files: 2 blocks of 4 files), and the
    # lengths of the frame's partitions (to_dask_array(lengths=True)) then fit none of them.
    return _counted(data.to_dask_array(), lengths), names


def _counted(array, lengths):
    """The array with the rows of its blocks counted where they are not known (a filter's
    result), when `lengths` are asked for."""
    if lengths and any(math.isnan(m) for m in array.chunks[0]):
        return array.compute_chunk_sizes()
    return array


def features(est, X, first):
    """X as a 2-D float dask array with one chunk of columns, and its feature names."""
    given = X
    X, names = as_array(X, "X")
    refuse_not_2d(est, X, given)
    refuse_empty(est, X)  # before the estimator is touched
    refuse_complex(X, "X")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    D = X.shape[1]
    if D == 0:  # scikit-learn's words
        raise ValueError(f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of 1 "
                         f"is required by {type(est).__name__}.")
    if first:
        est.n_features_in_ = D
        names = _valid_names(names)
        if names is not None:
            est.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
    else:
        check_names(est, names, D)
    return X.rechunk({1: -1})


def refuse_not_2d(est, X, given):
    """Refuse an X (a dask array, from the collection `given`) of other than two dimensions, as
    scikit-learn refuses one in memory; a vector with what makes it a table."""
    if X.ndim == 1 and given.ndim == 1 and hasattr(given, "to_frame"):
        raise ValueError("Expected a 2D table, got a dask Series instead: "
                         "pass X.to_frame() where it is one feature")
    if X.ndim == 1:
        raise ValueError(f"Expected a 2D array, got a 1D dask array of shape {X.shape} instead: "
                         "reshape it with X.reshape(-1, 1) where it is one feature, or "
                         "X.reshape(1, -1) where it is one sample")
    if X.ndim > 2:  # scikit-learn's words
        raise ValueError(f"Found array with dim {X.ndim}, while dim <= 2 is required by "
                         f"{type(est).__name__}.")


def refuse_empty(est, X):
    """Refuse X (a dask array of counted rows) without rows, as scikit-learn does."""
    if X.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 "
                         f"is required by {type(est).__name__}.")


def blocks(X, y, w):
    """[(X_p, y_p, w_p)] of dask arrays chunked alike by rows, as Delayed (w_p None without w)."""
    weights = [None] * X.numblocks[0] if w is None else w.to_delayed().ravel()
    return list(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), weights))


def _valid_names(names):
    """scikit-learn's rule: a table's column names are feature names where all are of type
    str (not a subclass: NumPy's str_ names are no feature names), none where none is; a mix
    with str is refused, and so are names given to two columns (which would leave which is which
    to their order)."""
    if names is None:
        return None
    twice = {str(n): k for n, k in collections.Counter(names).items() if k > 1}
    if twice:
        raise ValueError("Expected unique column names, got: " + ", ".join(
            f"{n!r} {k} times" for n, k in twice.items()) + "; rename the columns")
    types = sorted({type(n).__qualname__ for n in names})
    if types == ["str"]:
        return names
    if "str" in types:
        raise TypeError("Feature names are only supported if all input features have string "
                        f"names, but your input has {types} as feature name / column name "
                        "types; convert them all to str")
    return None


def check_names(est, names, width):
    """scikit-learn's rule, in its words: columns named in fit must come under the same names,
    in order (those missing or unseen named), and in the fitted number; a model fitted with
    names warns of input without, and one fitted without, of input with. An empty table of the
    columns' names (or an empty array of `width` columns) stands for the Dask X."""
    import pandas as pd
    from sklearn.utils.validation import validate_data

    names = _valid_names(names)
    table = np.empty((0, width)) if names is None else pd.DataFrame(columns=list(names))
    validate_data(est, table, reset=False, skip_check_array=True)


def like_rows(data, X, name, warn=False):
    """data (y or weights) as a dask array chunked by rows as X is; a column (y of shape (n, 1))
    as a vector, with scikit-learn's DataConversionWarning where `warn` (as fit warns in
    memory, not score or the validation data)."""
    if hasattr(data, "to_dask_array"):
        data = typed_as_in_memory(data)
    array, _ = as_array(data, name)
    if array.shape[0] != X.shape[0]:
        raise ValueError(f"{name} has {array.shape[0]} rows but X has {X.shape[0]}")
    if array.ndim == 2 and array.shape[1] == 0:
        raise ValueError(f"{name} has no columns (shape {array.shape}); give it one column per "
                         "output")
    if "sample_weight" in name and array.ndim != 1:
        # scikit-learn's words, as in memory: a column of weights is not taken for one.
        raise ValueError(f"Sample weights must be 1D array or scalar; {name} has shape "
                         f"{array.shape}")
    if array.ndim > 2:  # scikit-learn's words
        raise ValueError(f"Found array with dim {array.ndim}, while dim <= 2 is required: {name} "
                         f"has shape {array.shape}; give it one row per sample and one column "
                         "per output")
    if array.ndim == 2 and array.shape[1] == 1:
        if warn:
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                          "change the shape of y to (n_samples, ), for example using ravel().",
                          DataConversionWarning, stacklevel=2)
        array = array[:, 0]
    if "sample_weight" in name:  # as scikit-learn's _check_sample_weight, floats
        array = as_numbers(array, name)
    return array.rechunk({0: X.chunks[0]} | ({1: -1} if array.ndim == 2 else {}))
