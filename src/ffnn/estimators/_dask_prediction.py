"""predict, predict_proba and score of the estimators on Dask inputs: block by block on the
workers, the model sent to each once; scores from Dask reductions."""

import copy
import warnings

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_is_fitted

from ._dask_inputs import as_array, check_names, like_rows
from .scores import r2_from_sums


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


def blockwise(est, X, method, names_checked=False):
    """est.method(X) for a Dask X, as a dask array computed block by block on the workers, the
    model sent once (`names_checked`: X is the array of a frame whose names were checked)."""
    import dask
    check_is_fitted(est, "network_")
    X, names = as_array(X, "X", lengths=False)
    if X.ndim != 2 or X.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {X.shape[-1]} features, but {type(est).__name__} is expecting "
                         f"{est.n_features_in_} features as input.")
    if not names_checked:
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
    X, names = as_array(X, "X")
    check_names(est, names)
    y = like_rows(y, X, "y")
    w = None if sample_weight is None else like_rows(sample_weight, X, "sample_weight")
    predicted = blockwise(est, X, "predict", names_checked=True)
    if isinstance(est, ClassifierMixin):
        right = predicted == y
        if right.ndim == 2:  # multilabel: a row is right when all its labels are (as in memory)
            right = right.all(axis=1)
        total = len(y) if w is None else w.sum()
        correct, total = dask.compute((right * (1.0 if w is None else w)).sum(), total)
        return float(correct / total)
    if len(y) < 2:  # as scikit-learn's r2_score, which the in-memory score is
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning)
        return float("nan")
    weights = 1.0 if w is None else (w[:, None] if y.ndim == 2 else w)
    y64, yhat = y.astype(np.float64), predicted.astype(np.float64)
    if y.ndim == 2 and yhat.ndim == 1:
        yhat = yhat[:, None]
    wsum = len(y) if w is None else w.sum()
    sum_y, wsum = dask.compute((y64 * weights).sum(axis=0), wsum)
    mean = sum_y / wsum
    ss_res, ss_tot = dask.compute((weights * (y64 - yhat) ** 2).sum(axis=0),
                                  (weights * (y64 - mean) ** 2).sum(axis=0))
    return r2_from_sums(ss_res, ss_tot)

