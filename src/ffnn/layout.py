"""The batched layout that every loss takes (chapter 3): targets Yᵀ and predictions Ŷᵀ of one
shape, D_y × N, one column per observation, and sample weights w of shape (N,)."""

import numpy as np


def check_layout(Y, Yhat, weights=None):
    """ValueError unless Ŷ holds floating-point numbers as a D_y × N array, Y numbers of its
    shape and the weights, if any, the shape (N,): NumPy would broadcast a Y of N × 1 beside a
    Ŷ of 1 × N into N × N losses, and square integers in their own type, which wraps around,
    without a word."""
    try:  # the usual case, asked up to three times a batch in training: answered first
        if (Y.shape == Yhat.shape and len(Yhat.shape) == 2 and Yhat.dtype.kind == "f"
                and Y.dtype.kind in "biuf" and (weights is None or weights.shape == Y.shape[1:])):
            return
    except AttributeError:  # lists, and the like: the checks below say what is wrong
        pass
    shape, dtype = getattr(Yhat, "shape", ()), getattr(Yhat, "dtype", None)
    if dtype is None or np.dtype(dtype).kind != "f":
        given = type(Yhat).__name__ if dtype is None else np.dtype(dtype).name
        raise ValueError(f"the predictions must be floating-point numbers, got {given}; "
                         "convert them with np.asarray(Yhat, dtype=float)")
    kind = np.dtype(getattr(Y, "dtype", np.float64)).kind
    if kind not in "biuf":
        raise ValueError(f"the targets must be numbers, got an array of dtype {Y.dtype}")
    targets = np.shape(Y)
    if len(shape) != 2 or targets != shape:
        raise ValueError(
            f"the targets (shape {targets}) and the predictions (shape {shape}) must have one "
            "shape, D_y × N, one column per observation: give the transposes, Y.T and Yhat.T, "
            "of arrays of rows (Y.reshape(1, -1) for a vector of one output's targets)")
    if weights is not None and np.shape(weights) != shape[1:]:
        raise ValueError(f"the sample weights must have shape {shape[1:]}, one per observation; "
                         f"got {np.shape(weights)}")
