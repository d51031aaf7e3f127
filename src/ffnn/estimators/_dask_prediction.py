"""predict, predict_proba and score of the estimators on Dask inputs: block by block on the
workers, the model sent to each once; scores from Dask reductions."""

import copy
import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import ClassifierMixin
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_is_fitted

from ._dask_inputs import (
    as_array,
    as_numbers,
    check_names,
    like_rows,
    refuse_complex,
    refuse_empty,
    refuse_not_2d,
    together,
)
from ._labels import is_text, missing_labels, missing_labels_message, mixed_types_message
from ._validation import NO_WEIGHT, refuse_times
from .scores import exact_spread, r2_from_sums


def _predictor(est):
    """A light copy of a fitted estimator for the workers: no trainer, no feature names (the
    blocks are arrays; the names were checked on the client)."""
    light = copy.copy(est)
    light._trainer = None
    light.network_ = est.network_.copy()  # the weights as they are now, whatever comes later
    if hasattr(light, "feature_names_in_"):
        del light.feature_names_in_
    return light


def _apply(block, model, method, empty, block_info=None):
    if block.shape[0] == 0:  # a partition a filter emptied
        return empty
    try:
        return getattr(model, method)(block)
    except ValueError as error:  # its rows are the block's: say where the block lies in X
        where = f"in {_where(block_info)}; a row number above counts from the block's first row"
        if type(error) is not ValueError:  # a subclass keeps its type and its words
            error.add_note(where)
            raise
        raise ValueError(f"{error} [{where}]") from error


def _where(block_info):
    """Which rows of X a block of `blockwise` holds, from Dask's block_info."""
    if not block_info:
        return "a block of X"
    start, stop = block_info[0]["array-location"][0]
    if start != start or stop != stop:  # NaN: blocks of rows not counted (a filter's)
        return f"block {block_info[0]['chunk-location'][0]} of X's rows"
    return f"the block of rows {start} to {stop - 1} of X"


def blockwise(est, X, method, names_checked=False):
    """est.method(X) for a Dask X, as a dask array computed block by block on the workers, the
    model sent once (`names_checked`: X is the array of a frame whose names were checked)."""
    import dask
    check_is_fitted(est, "network_")
    given = X
    X, names = as_array(X, "X", lengths=False)
    refuse_not_2d(est, X, given)
    if not names_checked:
        check_names(est, names, X.shape[1])
    refuse_complex(X, "X")
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
    """est.score for Dask inputs: R² or accuracy, with Dask reductions on the workers. What
    scikit-learn's metrics refuse in memory is refused here too, from the shapes and types of
    the dask arrays where those tell (before anything is computed), else from what the
    reductions find (targets or weights that are not finite, weights all zero)."""
    import dask
    if isinstance(sample_weight, numbers.Number):  # refused by the metrics in memory
        metric = "accuracy_score" if isinstance(est, ClassifierMixin) else "r2_score"
        raise ValueError(f"The 'sample_weight' parameter of {metric} must be an array-like or "
                         f"None. Got {sample_weight!r} instead.")
    refuse_times(sample_weight, "sample_weight")
    X, y, sample_weight = together(X, y, sample_weight)
    given = X
    X, names = as_array(X, "X")
    refuse_not_2d(est, X, given)
    check_names(est, names, X.shape[1])
    refuse_empty(est, X)  # as predict refuses it in memory (a score of 0/0)
    y = like_rows(y, X, "y")
    if not isinstance(est, ClassifierMixin):
        y = as_numbers(y, "y")
    w = None if sample_weight is None else like_rows(sample_weight, X, "sample_weight")
    predicted = blockwise(est, X, "predict", names_checked=True)
    weights_found = {} if w is None else _values(w, weights=True)
    if isinstance(est, ClassifierMixin):
        right = _right_rows(est, predicted, y)
        total = len(y) if w is None else w.sum()
        correct, total, found = dask.compute((right * (1.0 if w is None else w)).sum(), total,
                                             weights_found)
        _refuse(found, "sample_weight")
        _refuse_no_total(total)
        return float(correct / total)
    outputs = [1 if a.ndim == 1 else a.shape[1] for a in (y, predicted)]
    if outputs[0] != outputs[1]:  # scikit-learn's r2_score's words
        raise ValueError("y_true and y_pred have different number of output "
                         f"({outputs[0]}!={outputs[1]})")
    if len(y) < 2:  # as scikit-learn's r2_score, which the in-memory score is
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning)
        return float("nan")
    weights = 1.0 if w is None else (w[:, None] if y.ndim == 2 else w)
    y64, yhat = y.astype(np.float64), predicted.astype(np.float64)
    wsum = len(y) if w is None else w.sum()
    sum_y, wsum, found, found_weights = dask.compute((y64 * weights).sum(axis=0), wsum,
                                                     _values(y64), weights_found)
    _refuse(found, "y")  # in scikit-learn's order: the targets, then the weights
    _refuse(found_weights, "sample_weight")
    _refuse_no_total(wsum)
    mean = sum_y / wsum
    # the extremes of the rows that carry weight, of either sign: those of weight 0 take no
    # part in R²
    weighed = y64 if w is None else y64[w != 0]
    ss_res, ss_tot, low, high = dask.compute((weights * (y64 - yhat) ** 2).sum(axis=0),
                                             (weights * (y64 - mean) ** 2).sum(axis=0),
                                             weighed.min(axis=0), weighed.max(axis=0))
    return r2_from_sums(ss_res, exact_spread(ss_tot, low, high))


def _values(a, weights=False):
    """What `_refuse` needs to know of a dask array's values, as Dask reductions: whether any is
    NaN, whether any is infinite, and for `weights`, whether any is not zero."""
    import dask.array as da
    found = {"NaN": da.isnan(a).any(), "infinity": da.isinf(a).any()}
    if weights:
        found["non-zero"] = (a != 0).any()
    return found


def _refuse(found, name):
    """Refuse, in scikit-learn's words, the values in which `_values` found NaN, an infinity,
    or weights all zero (a score would be NaN)."""
    if found.get("NaN"):
        raise ValueError(f"Input {name} contains NaN.")
    if found.get("infinity"):
        raise ValueError(f"Input {name} contains infinity or a value too large for "
                         "dtype('float64').")
    if "non-zero" in found and not found["non-zero"]:
        raise ValueError(NO_WEIGHT)


def _refuse_no_total(total):
    """Refuse weights of both signs that sum to zero, in the words of NumPy's weighted mean,
    which the metrics take in memory (a score would be an infinity or NaN)."""
    if total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized; give the rows "
                                "weights that are not negative")


def _right_rows(est, predicted, y):
    """Whether each row's predicted labels are y's (all of them, multilabel, as accuracy_score
    counts), as a dask array; y refused as accuracy_score refuses it in memory: of another kind
    of target than the model's, or labels strings where the classes are numbers (or the other
    way round). The kind of labels of an array of objects is known only from its values, so
    they are checked in each block, where they are compared."""
    model = type(est).__name__
    if predicted.ndim != y.ndim:
        kind = est._label_binarizer.y_type_
        raise ValueError(
            f"Classification metrics can't handle a mix of multilabel-indicator and {kind} "
            f"targets: y has {y.shape[1]} columns, but {model} was fitted on one label per row; "
            "pass y of shape (n_samples,)" if y.ndim == 2 else
            "Classification metrics can't handle a mix of one label per row and "
            f"multilabel-indicator targets: {model} was fitted on {predicted.shape[1]} label "
            "columns; pass y with a column per label")
    if y.ndim == 2 and y.shape[1] != predicted.shape[1]:
        raise ValueError("Multi-label binary indicator input with different numbers of labels: "
                         f"y has {y.shape[1]} columns, {model} was fitted on "
                         f"{predicted.shape[1]}")
    classes_text = any(is_text(c) for c in est.classes_)
    if y.dtype != object and (y.dtype.kind == "U") != classes_text:
        raise ValueError(mixed_types_message(y.dtype.kind == "U", est.classes_))
    check = y.dtype == object or y.dtype.kind == "f"  # labels that may be missing or not whole
    return predicted.map_blocks(_right, y, est.classes_, check, est._label_binarizer.y_type_,
                                drop_axis=[1] if y.ndim == 2 else [], dtype=bool,
                                meta=np.array([], bool))


def _right(P, y, classes, check, kind, block_info=None):
    """Whether each row of one block is labelled right: P the predicted labels (a sparse matrix
    for a model fitted on sparse multilabel targets), y the true ones, checked (where `check`)
    as scikit-learn checks labels: none missing, all strings or all numbers as the classes, and
    floats whole numbers (others are continuous targets, not labels of the model's `kind`)."""
    if check:
        start = block_info[1]["array-location"][0][0] if block_info else 0
        missing = missing_labels(y)
        if missing.size:
            raise ValueError(missing_labels_message(start + missing[:5], missing.size))
        if y.dtype.kind == "f" and not (np.isfinite(y) & (y == np.round(y))).all():
            raise ValueError(f"Classification metrics can't handle a mix of continuous and "
                             f"{kind} targets: y holds labels that are not whole numbers")
        classes_text = any(is_text(c) for c in classes)
        if _any_label_unlike(y.ravel(), classes_text):
            raise ValueError(mixed_types_message(not classes_text, classes))
    if sp.issparse(P):
        P = P.toarray()
    right = P == y
    return right.all(axis=1) if right.ndim == 2 else right


# pandas' kinds of an array of objects with no str among them
_NUMBERS = {"integer", "floating", "mixed-integer-float", "decimal", "boolean", "complex"}


def _any_label_unlike(labels, text):
    """Whether some label is a string where `text` is False, or not one where it is True. The
    kind of the whole array is inferred by pandas in C; only arrays that mix kinds are looked at
    label by label (a loop over every label took a third of a second a million rows)."""
    import pandas as pd

    kind = pd.api.types.infer_dtype(labels, skipna=False)
    if kind == "empty":
        return False
    if kind == "string" or kind in _NUMBERS:
        return (kind == "string") != text
    return any(is_text(label) != text for label in labels)
