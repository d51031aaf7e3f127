"""Early stopping's validation on a cluster: the score and mean loss of held-out rows, summed
per partition on the workers that hold them (`Partitions`) and added on the client, as the
in-memory Validation computes them on the rows at once."""

import warnings

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.exceptions import UndefinedMetricWarning

from ..training import Validation
from ..training.dask_tasks import loss_sums
from ._labels import labels_from_outputs
from ._validation import NO_WEIGHT
from .scores import extremes, r2_from_sums, total_spread


def scores_on_cluster(est, val, early_stopping):
    """Validation whose score and mean loss are computed on the workers holding the rows, both
    by one task per worker thread: the Trainer asks for the score and then for the loss at the
    same θ, and each request costs a round of messages with the cluster."""
    found = {}

    def sums(function, *args):
        """val.total(function, *args) at θ now, computed once for the score and the loss."""
        theta = val.net.params
        if "theta" not in found or not np.array_equal(found["theta"], theta, equal_nan=True):
            found["sums"], found["theta"] = val.total(function, *args), theta.copy()
        _weighed(found["sums"][-1])  # Σw
        return found["sums"]

    # the rows' Σw, refused where it is 0 before training, as in memory
    sum_y, total = val.total(_target_sums)
    _weighed(total)
    if isinstance(est, ClassifierMixin):
        binarizer = est._label_binarizer

        def evaluate():
            return sums(_correct, binarizer)

        def score(net):
            correct, total, overflowed, _, _ = evaluate()
            return np.nan if overflowed else correct / total
    else:
        ss_tot = total_spread(val.map(_spread, sum_y / total))

        def evaluate():
            return sums(_residuals)

        def score(net):
            ss_res, overflowed, _, _ = evaluate()
            if overflowed:
                return np.nan
            if val.n < 2:  # as scikit-learn's r2_score, which scores the rows in memory
                warnings.warn("R^2 score is not well-defined with less than two samples.",
                              UndefinedMetricWarning)
                return np.nan
            return r2_from_sums(ss_res, ss_tot)

    def loss(net):
        *_, total, weights = evaluate()
        return total / weights

    return Validation(None, None, None, score, early_stopping, loss=loss)


def _weighed(total):
    """total, the validation rows' Σw, refused where it is zero, as scikit-learn's metrics
    refuse weights all zero in memory (a score of 0/0)."""
    if total == 0:
        raise ValueError(NO_WEIGHT)
    return total


# -- per partition, on the workers: functions of (net, X_p, Y_p, w_p) --------------------------

def _weights(w, m):
    return np.ones(m) if w is None else w


def _target_sums(net, X, Y, w):
    w = _weights(w, X.shape[0])
    return w @ Y.astype(np.float64), float(w.sum())


def _spread(net, X, Y, w, mean):
    Y = Y.astype(np.float64)  # (Σ w (y − ȳ)², least y, greatest y) of each output
    return _weights(w, X.shape[0]) @ (Y - mean) ** 2, *extremes(Y, w)


def _residuals(net, X, Y, w):
    """(Σ w (y − ŷ)², whether ŷ overflowed, Σ w L(ŷ), Σ w) over the partition."""
    Yhat = net.predict_rows(X)
    overflowed = int(not np.isfinite(Yhat).all())
    return (_weights(w, X.shape[0]) @ (Y.astype(np.float64) - Yhat) ** 2, overflowed,
            *loss_sums(net, Y, Yhat, w))


def _correct(net, X, Y, w, binarizer):
    """(Σ w over rightly labelled rows, Σ w, whether P overflowed, Σ w L(P), Σ w)."""
    P = net.predict_rows(X)
    losses = loss_sums(net, Y, P, w)
    if not np.isfinite(P).all():
        return 0.0, 0.0, 1, *losses
    right = labels_from_outputs(binarizer, P) == labels_from_outputs(binarizer, Y)
    w = _weights(w, X.shape[0])
    return float(w @ right), float(w.sum()), 0, *losses
