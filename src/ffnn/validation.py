"""Checks at the core's boundary: X and Y become finite float arrays of the expected shapes, or a
ValueError says what is wrong with them."""

import numpy as np


def _as_float_array(A, name, dtype):
    try:
        A = np.asarray(A)
    except Exception as error:  # ragged nested lists and the like
        raise ValueError(f"{name} could not be read as a numeric array: {error}") from None
    if A.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must hold numbers, got an array of dtype {A.dtype}; convert or encode it first"
        )
    return A.astype(dtype, copy=False)


def _check_finite(A, name):
    if not np.isfinite(A).all():
        bad = ~np.isfinite(A)
        rows = np.unique(np.nonzero(bad)[0])
        kinds = [k for k, present in (("NaN", np.isnan(A).any()), ("infinity", np.isinf(A).any()))
                 if present]
        raise ValueError(
            f"{name} contains {' and '.join(kinds)} in {len(rows)} row(s) (first: row {rows[0]}); "
            "remove or impute them"
        )


def check_X(X, D_x, dtype):
    """X as a finite (N, D_x) array of `dtype`."""
    X = _as_float_array(X, "X", dtype)
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D, (n_samples, {D_x}); got shape {X.shape}. "
            "Reshape a single feature with X.reshape(-1, 1), a single sample with X.reshape(1, -1)"
        )
    if X.shape[1] != D_x:
        raise ValueError(f"X has {X.shape[1]} features per sample, but the network expects {D_x}")
    if X.shape[0] == 0:
        raise ValueError("X has no samples (0 rows); at least one is required")
    _check_finite(X, "X")
    return X


def check_Y(Y, N, D_y, dtype):
    """Y as a finite (N, D_y) array of `dtype`; a 1-D Y is accepted when D_y = 1."""
    Y = _as_float_array(Y, "Y", dtype)
    if Y.ndim == 1 and D_y == 1:
        Y = Y.reshape(-1, 1)
    if Y.ndim != 2 or Y.shape[1] != D_y:
        raise ValueError(f"Y must have shape ({N}, {D_y}), one column per output; got {Y.shape}")
    if Y.shape[0] != N:
        raise ValueError(f"X has {N} samples but Y has {Y.shape[0]}; they must match row for row")
    _check_finite(Y, "Y")
    return Y
