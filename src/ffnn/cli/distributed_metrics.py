"""The metrics `evaluation` computes in memory, for rows spread over a cluster: each partition
returns the sums they are made of, and the client adds them (the same numbers, to rounding).
ROC AUC, which ranks all rows together, is the one left out."""

import math

import numpy as np

from ..estimators.scores import r2_from_sums
from .evaluation import confusion


def regression(n, residual_squares, residual_absolutes, total_squares, scale=1.0):
    """R², RMSE and MAE from n rows' Σ(y − ŷ)², Σ|y − ŷ| and Σ(y − ȳ)², for targets and
    predictions measured in units of `scale` (standardised targets: their scale)."""
    return {"R²": r2_from_sums(residual_squares, total_squares),
            "RMSE": scale * math.sqrt(residual_squares / n),
            "MAE": scale * residual_absolutes / n}


def classification_sums(labels, probabilities, classes):
    """What accuracy, log loss and the confusion matrix add up from, for one partition's true
    labels and predicted probabilities (columns following `classes`): its rows, those predicted
    right, those whose label is one of `classes` with their summed log loss, and the matrix."""
    from sklearn.metrics import log_loss

    labels = np.asarray(labels)
    sums = {"rows": len(labels), "right": 0, "known": 0, "log loss": 0.0,
            "confusion": np.zeros((len(classes), len(classes)), dtype=np.int64)}
    if not len(labels):
        return sums
    predicted = classes[np.argmax(probabilities, axis=1)]
    known = np.isin(labels, classes)
    sums["right"] = int(np.sum(predicted == labels))
    sums["known"] = int(known.sum())
    if known.any():
        sums["log loss"] = float(log_loss(labels[known], probabilities[known], labels=classes,
                                          normalize=False))
    sums["confusion"] = confusion(labels, predicted, classes)
    return sums


def classification(sums):
    """(metrics, confusion matrix) from the partitions' `classification_sums`."""
    total = {key: sum(s[key] for s in sums) for key in sums[0]}
    metrics = {"accuracy": total["right"] / total["rows"]}
    if total["known"]:
        metrics["log loss"] = total["log loss"] / total["known"]
    return metrics, total["confusion"]
