"""The metrics `evaluation` computes in memory, for rows spread over a cluster: each partition
returns the sums they are made of, and the client adds them (the same numbers, to rounding).
ROC AUC, which ranks all rows together, is the one left out."""

import math

import numpy as np

from ..estimators import scores
from ..tabular import class_codes
from ..tabular.unseen import listed_counts
from .evaluation import confusion, unknown_counts


def regression(n, residual_squares, residual_absolutes, total_squares, scale=1.0,
               spread=(-math.inf, math.inf)):
    """R², RMSE and MAE from n rows' Σ(y − ŷ)², Σ|y − ŷ| and Σ(y − ȳ)², for targets and
    predictions measured in units of `scale` (standardised targets: their scale); `spread`,
    the least and the greatest y."""
    # scikit-learn's r2_score gives NaN for fewer than two rows, and for rows whose y are all
    # equal its convention, 1 for exact predictions, else 0: told by the extremes
    r2 = math.nan if n < 2 else scores.r2_from_sums(
        residual_squares, scores.exact_spread(total_squares, *spread))
    return {"R²": r2,
            "RMSE": scale * math.sqrt(residual_squares / n),
            "MAE": scale * residual_absolutes / n}


def regression_sums(y, predictions):
    """What one partition adds to the regression metrics: its n, Σy, Σ(y − ȳ)² about its own
    mean, Σ(y − ŷ)², Σ|y − ŷ|, and its least and greatest y."""
    residuals, centred = y - predictions, y - (y.mean() if len(y) else 0.0)
    return {"n": len(y), "sum": float(y.sum()), "spread": float(centred @ centred),
            "res": float(residuals @ residuals), "abs": float(np.abs(residuals).sum()),
            **extremes(y)}


def total_squares(sums):
    """Σ(y − ȳ)² over all the partitions' rows, from each one's n, Σy and Σ(y − ȳ)² about its
    own mean (Chan et al.'s pairwise update): not Σy² − (Σy)²/n, which keeps only the first
    digits of a spread small beside the mean."""
    n = sum(s["n"] for s in sums)
    mean = sum(s["sum"] for s in sums) / n
    return sum(s["spread"] + s["n"] * (s["sum"] / s["n"] - mean) ** 2 for s in sums if s["n"])


def extremes(y):
    """{"low": min y, "high": max y} of a partition's targets (inf and −inf where it has none)."""
    low, high = scores.extremes(y)
    return {"low": float(low), "high": float(high)}


def spread(sums):
    """(least y, greatest y) over the partitions' sums."""
    return min(s["low"] for s in sums), max(s["high"] for s in sums)


def classification_sums(labels, probabilities, classes):
    """What accuracy, log loss and the confusion matrix add up from, for one partition's true
    labels and predicted probabilities (columns following `classes`): its rows, those predicted
    right, those whose label is one of `classes` with their summed log loss, the matrix (with
    its row of labels that are none of the classes) and those labels' {label: rows}."""
    import pandas as pd
    from sklearn.metrics import log_loss

    labels = pd.Series(np.asarray(labels, dtype=object))
    k = len(classes)
    sums = {"rows": len(labels), "right": 0, "known": 0, "log loss": 0.0,
            "confusion": np.zeros((k + 1, k), dtype=np.int64), "unknown": {}}
    if not len(labels):
        return sums
    codes, predicted = class_codes(labels, classes), np.argmax(probabilities, axis=1)
    known = codes >= 0
    sums["right"] = int(np.sum(predicted == codes))
    sums["known"] = int(known.sum())
    if known.any():
        sums["log loss"] = float(log_loss(codes[known], probabilities[known],
                                          labels=np.arange(k), normalize=False))
    sums["confusion"] = confusion(codes, predicted, k)
    sums["unknown"] = unknown_counts(labels, codes)
    return sums


def classification(sums):
    """(metrics, confusion matrix, {label: rows} of labels none of the classes) from the
    partitions' `classification_sums`."""
    total = {key: sum(s[key] for s in sums) for key in ("rows", "right", "known", "log loss",
                                                        "confusion")}
    metrics = {"accuracy": total["right"] / total["rows"]}
    if total["known"]:
        metrics["log loss"] = total["log loss"] / total["known"]
    unknown = {}
    for s in sums:
        for label, rows in s["unknown"].items():
            unknown[label] = unknown.get(label, 0) + rows
    return metrics, total["confusion"], unknown


def of_parts(estimator, parts, target_scale):
    """({part: the metrics `ffnn fit` prints in memory, but ROC AUC}, {part: {label: rows} of
    the labels that are none of the classes}) of the estimator on each of `parts`, {name: (X,
    y)} of dask arrays (targets standardised, for regression), from sums over the partitions:
    one computation for all the parts, which reads the files once."""
    import dask

    (sums,) = dask.compute({name: _part_sums(estimator, X, y) for name, (X, y) in
                            parts.items()})
    metrics, unknown = {}, {}
    for name, found in sums.items():
        if hasattr(estimator, "classes_"):
            values, _, unknown[name] = classification(found)
        else:
            n, residual_squares, residual_absolutes = (
                sum(part[key] for part in found) for key in ("n", "res", "abs"))
            values = regression(n, residual_squares, residual_absolutes, total_squares(found),
                                target_scale, spread(found))
        metrics[name] = {metric: float(value) for metric, value in values.items()}
    return metrics, unknown


def unseen_classes_warning(unknown, n_test):
    """The warning of a fit whose test rows (`n_test`) hold labels that no other row holds,
    {label: rows}, or None: the split is not stratified by class on a cluster (in memory, a
    class is never left to the test rows alone), so the model knows no such class."""
    if not unknown:
        return None
    rows = sum(unknown.values())
    one = rows == 1
    return (f"warning: {rows} of the {n_test} test rows {'has a label' if one else 'have labels'}"
            f" that no training or validation row holds: {listed_counts(unknown)}; the model "
            "knows no such class (with --dask the test rows are not drawn by class), so "
            f"{'such a row counts' if one else 'such rows count'} as an error in the test "
            f"accuracy and {'is' if one else 'are'} left out of its log loss")


def _part_sums(estimator, X, y):
    """What `of_parts` adds up over the partitions of X, y: one task per partition."""
    import dask

    if hasattr(estimator, "classes_"):
        sums, predicted = classification_sums, estimator.predict_proba(X)
        extra = (estimator.classes_,)
    else:
        sums, predicted, extra = regression_sums, estimator.predict(X), ()
    return [dask.delayed(sums)(labels, predictions, *extra) for labels, predictions in
            zip(y.to_delayed().ravel(), predicted.to_delayed().ravel())]
