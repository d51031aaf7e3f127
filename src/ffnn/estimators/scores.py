"""Scores computed from sums that were gathered piece by piece (from the partitions of a
data set on a cluster, say), and R² of rows in memory with the same rule for constant targets."""

import numpy as np


def r2_from_sums(ss_res, ss_tot):
    """scikit-learn's R² (uniform average over outputs) from each output's residual and total
    sums of squares: an output of constant targets scores 1 if predicted exactly, else 0."""
    ss_res, ss_tot = np.atleast_1d(ss_res), np.atleast_1d(ss_tot)
    scores = np.where(ss_tot != 0, 1 - ss_res / np.where(ss_tot != 0, ss_tot, 1),
                      np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))


def r2(y, predicted, sample_weight=None):
    """scikit-learn's r2_score (uniform average over outputs), but for an output whose targets
    are all equal (on the rows of non-zero weight), which scores its convention, 1 if
    predicted exactly, else 0: r2_score
    compares Σ(y − ȳ)² with 0, and the mean of a thousand 0.1s is not 0.1 to the last bit, which
    made such an output's R² −1e32."""
    from sklearn.metrics import r2_score

    scores = np.atleast_1d(r2_score(y, predicted, sample_weight=sample_weight,
                                    multioutput="raw_values"))  # which checks the arguments
    y, predicted = np.asarray(y, dtype=float), np.asarray(predicted, dtype=float)
    Y, P = y.reshape(len(y), -1), predicted.reshape(len(y), -1)
    if len(y) > 1:
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        low, high = extremes(Y, w)
        constant = low == high
        exact = (w[:, None] * (Y - P) ** 2).sum(axis=0) == 0
        scores = np.where(constant, np.where(exact, 1.0, 0.0), scores)
    return float(np.mean(scores))


def extremes(Y, weights=None):
    """(least, greatest) value of each output of a partition's targets Y (n, outputs), among
    the rows of non-zero weight where `weights` are given: a row of weight 0 takes no part in
    R², so targets equal on the others are all equal (a negative weight, which r2_score takes,
    makes its row count)."""
    if weights is not None:
        Y = Y[np.asarray(weights) != 0]
    return np.min(Y, axis=0, initial=np.inf), np.max(Y, axis=0, initial=-np.inf)


def exact_spread(ss_tot, low, high):
    """Each output's Σ w (y − ȳ)² as `r2_from_sums` needs it, from its sum and its least and
    greatest y: 0 for an output whose targets are all equal, where the sum is the rounding
    errors of their mean (1e-31 for a thousand 0.1s), so that R² scores it by its convention."""
    return np.where(np.asarray(low) == np.asarray(high), 0.0, ss_tot)


def total_spread(parts):
    """Each output's Σ w (y − ȳ)² over the partitions' (spread, least y, greatest y), as
    `exact_spread` gives it."""
    spread = sum(part[0] for part in parts)
    low, high = np.min([part[1] for part in parts], 0), np.max([part[2] for part in parts], 0)
    return exact_spread(spread, low, high)
