"""The estimators on Dask collections: `fit` on dask arrays or DataFrames trains on the cluster
of the active `distributed.Client` (training.dask_engine), with the data left on the workers;
`predict`, `predict_proba` and `score` run blockwise there. Dask is imported only when such
inputs arrive.

What fit learns from the data before training (its size, Σw, the classes, whether the values
are finite) is found with Dask reductions; the rows are never gathered on the client. The
held-out rows of early stopping are drawn per partition (`held_out_rows`), not stratified by
class as in memory.
"""

import copy
import functools
import math

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ..training import STOCHASTIC_SOLVERS, Validation
from ..training.batches import held_out_counts, held_out_rows
from ._labels import labels_from_outputs
from .scores import r2_from_sums


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


def as_array(data, name, lengths=True):
    """A dask array from a dask array, DataFrame or Series (partition lengths computed when
    asked), and the DataFrame's column names (None otherwise)."""
    import dask.array as da
    if isinstance(data, da.Array):
        return data, None
    if not hasattr(data, "to_dask_array"):
        raise TypeError(f"{name} must be a dask array, DataFrame or Series (or all inputs NumPy "
                        f"arrays), got {type(data).__name__}")
    names = list(data.columns) if hasattr(data, "columns") else None
    if names is not None and name == "X":
        import pandas as pd
        text = [f"{c} ({t})" for c, t in data.dtypes.items()
                if not (pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t))]
        if text:
            raise ValueError(f"{name} has non-numeric columns ({', '.join(text[:5])}); encode "
                             "them first (the command line's `ffnn fit --dask` one-hot encodes "
                             "text)")
        if not all(isinstance(t, np.dtype) and t in (np.float32, np.float64)
                   for t in data.dtypes):
            data = data.astype(np.float64)  # as in memory (pandas' nullable dtypes too)
    if lengths and hasattr(data, "optimize"):
        # Optimising may merge partitions (a few columns of many small Parquet files): count
        # the rows of the partitions that will be computed, not of those before.
        data = data.optimize()
    return data.to_dask_array(lengths=True if lengths else None), names


def _features(est, X, first):
    """X as a 2-D float dask array with one chunk of columns, and its feature names."""
    X, names = as_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-dimensional, got {X.ndim} dimensions")
    if any(math.isnan(m) for m in X.chunks[0]):
        X = X.compute_chunk_sizes()
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    D = X.shape[1]
    if first:
        est.n_features_in_ = D
        if names is not None and all(isinstance(n, str) for n in names):
            est.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
    else:
        if D != est.n_features_in_:
            raise ValueError(f"X has {D} features, but {type(est).__name__} is expecting "
                             f"{est.n_features_in_} features as input.")
        check_names(est, names)
    return X.rechunk({1: -1})


def check_names(est, names):
    """scikit-learn's rule: columns named in fit must come under the same names, in order."""
    fitted = getattr(est, "feature_names_in_", None)
    if names is not None and fitted is not None and list(names) != list(fitted):
        raise ValueError("The feature names should match those that were passed during fit.")


def _like_rows(data, X, name):
    """data (y or weights) as a dask array chunked by rows as X is."""
    array, _ = as_array(data, name)
    if any(math.isnan(m) for m in array.chunks[0]):
        array = array.compute_chunk_sizes()
    if array.shape[0] != X.shape[0]:
        raise ValueError(f"{name} has {array.shape[0]} rows but X has {X.shape[0]}")
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    return array.rechunk({0: X.chunks[0]} | ({1: -1} if array.ndim == 2 else {}))


def _assemble(X, y, w, encode, class_weights, dtype):
    """One partition as training takes it: (X_p, Y_p, w_p) in the network's dtype (the weights
    in float64, as in memory), w_p None without sample or class weights."""
    if class_weights is not None:
        classes, values = class_weights
        by_class = values[np.searchsorted(classes, y)]
        w = by_class if w is None else np.asarray(w, np.float64) * by_class
    return (np.ascontiguousarray(X, dtype), encode(y).astype(dtype, copy=False),
            None if w is None else np.asarray(w, np.float64))


def _columns(y):
    return y.reshape(-1, 1) if y.ndim == 1 else y


def _binarize(binarizer, y):
    return binarizer.transform(y)


def _rows_of(part, rows):
    X, Y, w = part
    return X[rows], Y[rows], None if w is None else w[rows]


def _split(part, held, seed, held_out):
    train, val = held_out_rows(part[0].shape[0], held, seed)
    return _rows_of(part, val if held_out else train)


def fit(est, X, y, sample_weight, first, incremental, settings, callback, validation_data):
    """_BaseFFNN._fit for Dask inputs."""
    import dask
    import dask.array as da

    from ..training.dask_engine import Partitions

    cluster = client()
    X = _features(est, X, first)
    y = _like_rows(y, X, "y")
    w = None if sample_weight is None else _like_rows(sample_weight, X, "sample_weight")
    classifier = isinstance(est, ClassifierMixin)
    if classifier and y.ndim != 1:
        raise ValueError("with Dask inputs FFNNClassifier takes one label per row (binary or "
                         "multiclass); multilabel targets need NumPy arrays")
    checks = {"X finite": da.isfinite(X).all()}
    if classifier:
        checks["classes"] = da.unique(y, return_counts=True)
    else:
        checks["y finite"] = da.isfinite(y).all()
        checks["y min"] = y.min()
    if w is not None:
        checks["w min"], checks["w finite"] = w.min(), da.isfinite(w).all()
    (found,) = dask.compute(checks)
    if not found["X finite"]:
        raise ValueError("Input X contains NaN or infinity; impute or drop those rows first")
    dtype = np.dtype(X.dtype) if first else est.network_.dtype

    class_weights = None
    if classifier:
        classes, counts = found["classes"]
        check_classification_targets(classes)
        est._encode_targets(classes, first, incremental)  # fits or checks the classes
        binarizer = est._label_binarizer
        D_y = 1 if binarizer.y_type_ == "binary" else len(binarizer.classes_)
        encode = functools.partial(_binarize, binarizer)
        class_weights = _class_weights(est, classes, counts, incremental)
    else:
        est._check_loss()
        if not found["y finite"]:
            raise ValueError("Input y contains NaN or infinity")
        if est.loss == "poisson" and found["y min"] < 0:
            raise ValueError("the poisson loss needs targets >= 0, but y has negative values; "
                             "use loss='squared_error' or shift the targets")
        D_y = 1 if y.ndim == 1 else y.shape[1]
        if not first and D_y != est.network_.D_y:
            raise ValueError(f"y has {D_y} outputs but the network was trained with "
                             f"{est.network_.D_y}")
        encode = _columns
    if w is not None:
        if found["w min"] < 0:
            raise ValueError("Negative values in data passed to `sample_weight`")
        if not found["w finite"]:
            raise ValueError("Input sample_weight contains NaN or infinity")

    net = est._prepare_network(first, X.shape[1], D_y, dtype, settings)
    assemble = dask.delayed(_assemble, pure=True)
    blocks = zip(X.to_delayed().ravel(), y.to_delayed().ravel(),
                 [None] * X.numblocks[0] if w is None else w.to_delayed().ravel())
    parts = [assemble(Xb, yb, wb, encode, class_weights, net.dtype) for Xb, yb, wb in blocks]
    rows = list(X.chunks[0])
    validation = None
    if validation_data is not None:
        validation = _given_validation(est, validation_data, cluster, net, encode)
    elif est.early_stopping and settings.solver in STOCHASTIC_SOLVERS:
        parts, rows, validation = _held_out(est, cluster, net, parts, rows)
    nonempty = [i for i, m in enumerate(rows) if m > 0]
    weighted = w is not None or class_weights is not None
    data = Partitions(cluster, net, [parts[i] for i in nonempty], [rows[i] for i in nonempty],
                      weighted)
    if weighted:
        _check_weight_sum(data.sum_weights)
    return est._train(data, None, None, validation, incremental, callback, data.n)


def _class_weights(est, classes, counts, incremental):
    """(classes, each class's weight) for class_weight, or None."""
    class_weight = getattr(est, "class_weight", None)
    if class_weight is None:
        return None
    if incremental and class_weight == "balanced":
        raise ValueError("class_weight='balanced' needs the whole data set, so partial_fit does "
                         "not support it; pass a dict of weights")
    if class_weight == "balanced":  # scikit-learn's n / (k · count_c)
        values = counts.sum() / (len(classes) * counts.astype(np.float64))
    else:
        values = np.array([float(class_weight.get(c, 1.0)) for c in classes])
    return classes, values


def _check_weight_sum(total):
    """The checks in-memory fitting makes of Σw (see _BaseFFNN._sample_weights)."""
    if not total > 0:
        raise ValueError("the sample weights sum to zero; at least one sample needs a positive "
                         "weight")
    if not np.isfinite(total):
        raise ValueError("the sample weights are too large: their sum overflows; divide them "
                         "by a common factor")
    if total < np.finfo(np.float64).tiny:
        raise ValueError(f"the sample weights are too small: their sum, {total:.3g}, underflows; "
                         "multiply them by a common factor")


def _held_out(est, cluster, net, parts, rows):
    """Early stopping's split, drawn per partition on the workers: (training parts, their rows,
    the Validation)."""
    import dask

    from ..training.dask_engine import Partitions

    seed = int(est._rng.integers(np.iinfo(np.int32).max))  # one draw, as in memory
    seeds = np.random.default_rng(seed).integers(2**63, size=len(parts)).tolist()
    held_rows = held_out_counts(rows, est.validation_fraction)
    split = dask.delayed(_split, pure=True)
    train = [split(part, v, s, False) for part, v, s in zip(parts, held_rows, seeds)]
    held = [split(part, v, s, True) for part, v, s in zip(parts, held_rows, seeds)]
    if sum(held_rows) < 2:
        raise ValueError("The validation set is too small. Increase 'validation_fraction' or the "
                         f"size of your dataset. ({sum(held_rows)} of {sum(rows)} samples are "
                         "held out; early stopping needs at least 2.)")
    keep = [i for i, m in enumerate(held_rows) if m > 0]
    val = Partitions(cluster, net, [held[i] for i in keep], [held_rows[i] for i in keep])
    train_rows = [m - v for m, v in zip(rows, held_rows)]
    return train, train_rows, _validation(est, val, True)


def _given_validation(est, validation_data, cluster, net, encode):
    """A Validation from the caller's (X_val, y_val): on the cluster when they are Dask
    collections, else in memory as without Dask."""
    try:
        X_val, y_val = validation_data
    except (TypeError, ValueError):
        raise ValueError("validation_data must be a pair (X_val, y_val)") from None
    if not (is_dask(X_val) or is_dask(y_val)):
        return est._given_validation(validation_data)
    import dask
    import dask.array as da

    from ..training.dask_engine import Partitions

    X_val = _features(est, X_val, False)
    y_val = _like_rows(y_val, X_val, "validation y")
    checks = {"X finite": da.isfinite(X_val).all()}
    if isinstance(est, ClassifierMixin):
        checks["classes"] = da.unique(y_val)
    else:
        checks["y finite"] = da.isfinite(y_val).all()
        outputs = 1 if y_val.ndim == 1 else y_val.shape[1]
        if outputs != net.D_y:
            raise ValueError(f"validation y has {outputs} outputs, the network {net.D_y}")
    (found,) = dask.compute(checks)
    if not found["X finite"] or not found.get("y finite", True):
        raise ValueError("validation_data contains NaN or infinity")
    if "classes" in found:
        unseen = np.setdiff1d(found["classes"], est.classes_)
        if len(unseen):
            raise ValueError(f"validation y has classes {unseen} that are not in the training "
                             f"classes {est.classes_}")
    assemble = dask.delayed(_assemble, pure=True)
    blocks = [(Xb, yb, m) for Xb, yb, m in zip(X_val.to_delayed().ravel(),
                                                y_val.to_delayed().ravel(), X_val.chunks[0])
              if m > 0]
    val = Partitions(cluster, net, [assemble(Xb, yb, None, encode, None, net.dtype)
                                    for Xb, yb, _ in blocks], [m for *_, m in blocks])
    return _validation(est, val, bool(est.early_stopping))


def _validation(est, val, early_stopping):
    """Validation whose score and loss are computed on the workers holding the rows."""
    if isinstance(est, ClassifierMixin):
        binarizer = est._label_binarizer

        def score(net):
            correct, total, overflowed = val.total(_correct, binarizer)
            return np.nan if overflowed else correct / total
    else:
        sum_y, total = val.total(_target_sums)
        ss_tot = val.total(_spread, sum_y / total)

        def score(net):
            ss_res, overflowed = val.total(_residuals)
            return np.nan if overflowed else r2_from_sums(ss_res, ss_tot)
    return Validation(None, None, None, score, early_stopping, loss=val.mean_loss)


# -- per partition, on the workers: functions of (net, X_p, Y_p, w_p) --------------------------

def _weights(w, m):
    return np.ones(m) if w is None else w


def _target_sums(net, X, Y, w):
    w = _weights(w, X.shape[0])
    return w @ Y.astype(np.float64), float(w.sum())


def _spread(net, X, Y, w, mean):
    return _weights(w, X.shape[0]) @ (Y.astype(np.float64) - mean) ** 2


def _residuals(net, X, Y, w):
    Yhat = net.predict_rows(X)
    overflowed = int(not np.isfinite(Yhat).all())
    return _weights(w, X.shape[0]) @ (Y.astype(np.float64) - Yhat) ** 2, overflowed


def _correct(net, X, Y, w, binarizer):
    P = net.predict_rows(X)
    if not np.isfinite(P).all():
        return 0.0, 0.0, 1
    right = labels_from_outputs(binarizer, P) == labels_from_outputs(binarizer, Y)
    w = _weights(w, X.shape[0])
    return float(w @ right), float(w.sum()), 0


# -- prediction -------------------------------------------------------------------------------

def _predictor(est):
    """A light copy of a fitted estimator for the workers: no trainer, no feature names (the
    blocks are arrays; the names were checked on the client)."""
    light = copy.copy(est)
    light._trainer = None
    light.network_ = est.network_.copy()  # the weights as they are now, whatever comes later
    if hasattr(light, "feature_names_in_"):
        del light.feature_names_in_
    return light


def _apply(block, model, method, empty):
    if block.shape[0] == 0:  # a partition a filter emptied
        return empty
    return getattr(model, method)(block)


def blockwise(est, X, method):
    """est.method(X) for a Dask X, as a dask array computed block by block on the workers, the
    model sent once."""
    import dask
    check_is_fitted(est, "network_")
    X, names = as_array(X, "X", lengths=False)
    if X.ndim != 2 or X.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {X.shape[-1]} features, but {type(est).__name__} is expecting "
                         f"{est.n_features_in_} features as input.")
    check_names(est, names)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    X = X.rechunk({1: -1})
    light = _predictor(est)
    sample = getattr(light, method)(np.zeros((1, X.shape[1]), X.dtype))
    model = dask.delayed(light, pure=True)
    if sample.ndim == 1:
        return X.map_blocks(_apply, model, method, sample[:0], drop_axis=1, dtype=sample.dtype,
                            meta=sample[:0])
    return X.map_blocks(_apply, model, method, sample[:0],
                        chunks=(X.chunks[0], (sample.shape[1],)), dtype=sample.dtype,
                        meta=sample[:0])


def score(est, X, y, sample_weight=None):
    """est.score for Dask inputs: R² or accuracy, with Dask reductions on the workers."""
    import dask
    check_names(est, as_array(X, "X", lengths=False)[1])
    X = _features_for_prediction(X)
    y = _like_rows(y, X, "y")
    w = None if sample_weight is None else _like_rows(sample_weight, X, "sample_weight")
    predicted = blockwise(est, X, "predict")
    weights = 1.0 if w is None else (w[:, None] if y.ndim == 2 else w)
    if isinstance(est, ClassifierMixin):
        right = predicted == y
        total = len(y) if w is None else w.sum()
        correct, total = dask.compute((right * weights).sum(), total)
        return float(correct / total)
    y64, yhat = y.astype(np.float64), predicted.astype(np.float64)
    if y.ndim == 2 and yhat.ndim == 1:
        yhat = yhat[:, None]
    wsum = len(y) if w is None else w.sum()
    sum_y, wsum = dask.compute((y64 * weights).sum(axis=0), wsum)
    mean = sum_y / wsum
    ss_res, ss_tot = dask.compute((weights * (y64 - yhat) ** 2).sum(axis=0),
                                  (weights * (y64 - mean) ** 2).sum(axis=0))
    return r2_from_sums(ss_res, ss_tot)


def _features_for_prediction(X):
    X, _ = as_array(X, "X")
    if any(math.isnan(m) for m in X.chunks[0]):
        X = X.compute_chunk_sizes()
    return X
