"""Scores computed from sums that were gathered piece by piece (from the partitions of a
data set on a cluster, say)."""

import numpy as np


def r2_from_sums(ss_res, ss_tot):
    """scikit-learn's R² (uniform average over outputs) from each output's residual and total
    sums of squares: an output of constant targets scores 1 if predicted exactly, else 0."""
    ss_res, ss_tot = np.atleast_1d(ss_res), np.atleast_1d(ss_tot)
    scores = np.where(ss_tot != 0, 1 - ss_res / np.where(ss_tot != 0, ss_tot, 1),
                      np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))
