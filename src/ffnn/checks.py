"""Checks at the core's boundary: an architecture that chains, and X and Y that are finite float
arrays of the expected shapes; otherwise a ValueError that says what to change."""

import numpy as np

from . import activations as _activations

DTYPES = ("float32", "float64")
# Why an output overflowed, for `Network.predict_finite` ("{dtype}" names the network's dtype).
OVERFLOW = "the inputs or weights are too large for {dtype}; scale the inputs, or check the weights"


def as_float_array(A, name, dtype):
    """(A as an array of `dtype`, A as given): ValueError where A is sparse, or not `as_numbers`."""
    if hasattr(A, "toarray"):  # scipy's sparse matrices, which np.asarray makes an object
        raise ValueError(f"{name} is a sparse matrix, and the network's passes take dense arrays: "
                         f"give {name}.toarray() (the estimators take sparse X as it is)")
    A = as_numbers(A, name)
    with np.errstate(over="ignore"):  # a number beyond float32's range: see _check_finite
        return np.asarray(A, dtype=dtype), A


def as_numbers(A, name):
    """A as a NumPy array of real numbers: ValueError where A is masked where a value is hidden
    (np.asarray drops the mask) or holds anything else (complex, text, objects, dates)."""
    if np.ma.isMaskedArray(A) and np.ma.getmaskarray(A).any():
        masked = np.atleast_1d(np.ma.getmaskarray(A))
        rows = np.unique(np.nonzero(masked)[0])
        raise ValueError(f"{name} is a masked array with {masked.sum()} masked value(s) in "
                         f"{len(rows)} row(s) (first: row {rows[0]}); fill them ({name}.filled(v)) "
                         "or drop those rows")
    try:
        A = np.asarray(A)
    except Exception as error:  # ragged nested lists and the like
        raise ValueError(f"{name} could not be read as a numeric array: {error}") from None
    if A.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must hold numbers, got an array of dtype {A.dtype}; convert or encode it first"
        )
    return A


def _check_finite(A, name, given):
    """ValueError where A, `given` as the network's dtype, holds NaN or infinity: said to be
    too large for that dtype where `given` held a finite number there."""
    finite = np.isfinite(A)
    if not finite.all():
        too_large = np.unique(np.nonzero(~finite & np.isfinite(given))[0])
        if len(too_large):
            raise ValueError(
                f"{name} holds numbers too large for {A.dtype} (beyond ±{np.finfo(A.dtype).max:.4g})"
                f" in {len(too_large)} row(s) (first: row {too_large[0]}); scale them"
                + (", or use a float64 network" if A.dtype != np.float64 else ""))
        rows = np.unique(np.nonzero(~finite)[0])
        kinds = [k for k, present in (("NaN", np.isnan(A).any()), ("infinity", np.isinf(A).any()))
                 if present]
        raise ValueError(
            f"{name} contains {' and '.join(kinds)} in {len(rows)} row(s) (first: row {rows[0]}); "
            "remove or impute them"
        )


def apart(A, written):
    """A, or a copy of it where it may share memory with `written`, an array that the caller
    writes while it reads A (the network's parameters or gradient, of which A may be a view)."""
    return A.copy() if written is not None and np.may_share_memory(A, written) else A


def check_X(X, D_x, dtype, apart_from=None):
    """X as a finite (N, D_x) array of `dtype`, `apart` from the array `apart_from`."""
    X, given = as_float_array(X, "X", dtype)
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D, (n_samples, {D_x}); got shape {X.shape}. "
            "Reshape a single feature with X.reshape(-1, 1), a single sample with X.reshape(1, -1)"
        )
    if X.shape[1] != D_x:
        raise ValueError(f"X has {X.shape[1]} features per sample, but the network expects {D_x}")
    if X.shape[0] == 0:
        raise ValueError("X has no samples (0 rows); at least one is required")
    _check_finite(X, "X", given)
    return apart(X, apart_from)


def check_Y(Y, N, D_y, dtype, loss=None, apart_from=None):
    """Y as a finite (N, D_y) array of `dtype`, `apart` from the array `apart_from`; a 1-D Y is
    accepted when D_y = 1. With a `loss`, its targets must lie in the loss's range
    (`Loss.targets`: [0, 1] for log loss, >= 0 for cross-entropy and Poisson), where it is a
    loss at all."""
    Y, given = as_float_array(Y, "Y", dtype)
    if Y.ndim == 1 and D_y == 1:
        Y, given = Y.reshape(-1, 1), given.reshape(-1, 1)
    if Y.ndim != 2 or Y.shape[1] != D_y:
        raise ValueError(f"Y must have shape ({N}, {D_y}), one column per output; got {Y.shape}")
    if Y.shape[0] != N:
        raise ValueError(f"X has {N} samples but Y has {Y.shape[0]}; they must match row for row")
    _check_finite(Y, "Y", given)
    if loss is not None:
        check_targets(Y, loss)
    return apart(Y, apart_from)


def check_training_rows(X, Y, weights, net):
    """ValueError unless X (N × D_x, dense or sparse), Y (N × D_y, or (N,) when D_y = 1) and the
    sample weights (N,) or None match row for row and hold finite real numbers, none masked
    (`as_numbers`), the weights none below 0 and not all 0: a training run's data, which would
    otherwise be gathered out of step (rows of Y repeated or dropped without a word), report a
    NaN input as divergence, train on the numbers under a mask, or divide J by a weight sum of
    0 or one out of float64's range (`check_weight_sum`).

    Returns (X, Y, the weights as float64, in which training sums and scales them, or None),
    each `apart` from the parameters and gradient of `net`, which training writes."""
    D_x, D_y, N = net.D_x, net.D_y, X.shape[0]
    if X.ndim != 2 or X.shape[1] != D_x:
        raise ValueError(f"X must have shape (n_samples, {D_x}) for this network; got {X.shape}")
    if N == 0:  # J is a mean over the rows
        raise ValueError(f"X has no rows (shape {X.shape}); training needs at least one")
    if not (Y.ndim == 2 and Y.shape[1] == D_y or Y.ndim == 1 and D_y == 1) or len(Y) != N:
        raise ValueError(f"Y must have shape ({N}, {D_y}), a row per row of X; got {Y.shape}")
    if weights is not None and np.shape(weights) != (N,):
        raise ValueError(f"the sample weights must have shape ({N},), one per row of X; got "
                         f"{np.shape(weights)}")
    for name, A in (("X", X.data if hasattr(X, "toarray") else X), ("Y", Y),
                    ("the sample weights", weights)):
        if A is not None and not np.isfinite(as_numbers(A, name.replace("the sample ", ""))).all():
            verb = "contain" if name.endswith("s") else "contains"
            raise ValueError(f"{name} {verb} NaN or infinity; remove or impute those rows")
    if weights is not None and N and np.min(weights) < 0:
        raise ValueError("the sample weights must be >= 0; drop the rows of negative weight")
    X, Y = (apart(apart(A, net.params), net.grad) for A in (X, Y))
    if weights is None:
        return X, Y, None
    weights = apart(apart(np.asarray(weights, dtype=np.float64), net.params), net.grad)
    with np.errstate(over="ignore"):  # an overflow is refused below
        total = float(np.sum(weights))
    if not total > 0:  # J divides by it
        raise ValueError("the sample weights sum to 0, so that no row counts; give some rows "
                         "a positive weight")
    check_weight_sum(total, N)
    return X, Y, weights


def check_weight_sum(total, n):
    """ValueError unless Σw = `total`, the positive sum of n rows' weights, is a normal float64
    and N/Σw is finite: each row's factor in the objective is w_n · N/Σw, which is 0 for every
    row where Σw overflows (the data ignored) and inf where N/Σw does."""
    if not np.isfinite(total):
        raise ValueError("the sample weights are too large: their sum overflows float64; divide "
                         "them by a common factor")
    info = np.finfo(np.float64)
    lowest = max(float(info.tiny), n / float(info.max))
    if total < lowest or not np.isfinite(n / total):
        bound = ("the smallest normal float64" if lowest == info.tiny else
                 f"N = {n} rows over the largest float64")
        raise ValueError(f"the sample weights are too small: their sum, {total:.3g}, is below "
                         f"{lowest:.3g} ({bound}), where Σw loses digits or N/Σw, in each row's "
                         "factor w·N/Σw, overflows; multiply them by a common factor")


def check_targets(Y, loss):
    """ValueError where targets Y (rows of outputs) lie outside the range of `loss`
    (`Loss.targets`), where the loss is no loss: a Poisson loss of y = −1 is a number, but none
    that training should lower."""
    low, high = loss.targets
    # the extremes first: no array of Y's size where every target is in range (training
    # checks its targets on every call, partial_fit's too)
    if Y.size == 0 or ((low == -np.inf or Y.min() >= low) and
                       (high == np.inf or Y.max() <= high)):
        return
    outside = (Y < low) | (Y > high)
    if outside.any():
        rows = np.unique(np.nonzero(outside)[0])
        raise ValueError(f"the {loss.name} loss needs targets in [{low:g}, {high:g}], but Y has "
                         f"others in {len(rows)} row(s) (first: row {rows[0]})")


def refuse_non_finite_output(X, Yhat, why):
    """ValueError naming the rows of Ŷ (N × D_y) that are not finite, for inputs X: a NaN input
    is said to be one, not an overflow (inputs are checked before they get there, unless the
    caller chose not to, as scikit-learn's assume_finite=True does); the other rows overflowed,
    for the reason `why`. (An inf may be a large number cast to float32: that is an overflow.)"""
    rows = np.flatnonzero(~np.isfinite(Yhat).all(axis=1))
    given = X[rows].toarray() if hasattr(X, "toarray") else X[rows]
    bad = rows[np.isnan(given).any(axis=1)]
    if len(bad):
        raise ValueError(f"the input X holds NaN in {len(bad)} of {Yhat.shape[0]} rows "
                         f"(first: row {bad[0]}); predictions need finite inputs")
    raise ValueError(f"the network's output overflowed for {len(rows)} of {Yhat.shape[0]} rows "
                     f"(first: row {rows[0]}): {why}")


def refuse_non_finite_parameters(layers):
    """ValueError naming the first W or c of `layers` (numbered from 1) that holds NaN or
    infinity, as a caller may have assigned them: where an output is not finite, such a
    parameter is its cause, and calling it an overflow of the inputs would mislead."""
    for ell, layer in enumerate(layers, start=1):
        for name, A in (("W", layer.W), ("c", layer.c)):
            if not np.isfinite(A).all():
                kind = "NaN" if np.isnan(A).any() else "infinity"
                raise ValueError(f"the network's parameters are not finite: {name} of layer {ell} "
                                 f"holds {kind}; set them to finite numbers (or draw new ones: "
                                 "Network.initialize(), an estimator's fit)")


def check_layer_sizes(layer_sizes):
    try:
        if isinstance(layer_sizes, (set, frozenset)):  # no order: {8, 1, 4} iterates as 8, 1, 4
            raise TypeError
        if any(isinstance(D, (bool, np.bool_)) for D in layer_sizes):  # True is no size
            raise TypeError
        sizes = [int(D) for D in layer_sizes]
        exact = all(int(D) == D for D in layer_sizes)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"layer_sizes must be a list of positive integers such as [4, 8, 1], got {layer_sizes!r}"
        ) from None
    if len(sizes) < 2 or not exact or min(sizes) < 1:
        raise ValueError(
            "layer_sizes must list at least the input and output sizes as positive integers "
            f"(e.g. [D_x, 8, D_y]), got {list(layer_sizes)!r}"
        )
    return sizes


def check_activations(activations, n_layers):
    if isinstance(activations, (str, _activations.Activation)):
        raise ValueError(
            f"activations must be a list with one entry per layer after the input ({n_layers}), "
            f"e.g. {['relu'] * (n_layers - 1) + ['linear']}; got the single value {activations!r}"
        )
    activations = [_activations.get(f) for f in activations]
    if len(activations) != n_layers:
        raise ValueError(
            f"got {len(activations)} activations for {n_layers} layers: give one activation per "
            "layer after the input (hidden layers and the output layer)"
        )
    for ell, f in enumerate(activations[:-1], start=1):
        if not f.elementwise:
            raise ValueError(
                f"{f.name} is only allowed in the output layer, but layer {ell} is hidden; use "
                f"one of {', '.join(_activations.HIDDEN_ACTIVATIONS)} there"
            )
    return activations


def check_output(f, loss, D_y):
    if loss.output_activation is not None and f.name != loss.output_activation:
        raise ValueError(
            f"the {loss.name} loss needs a {loss.output_activation} output layer, but the last "
            f"activation is {f.name}; change the last activation to {loss.output_activation!r} "
            "or choose another loss"
        )
    if not f.elementwise and loss.output_activation != f.name:
        raise ValueError(
            f"a {f.name} output layer needs the cross_entropy loss (got {loss.name}); change the "
            "loss or the output activation"
        )
    if f.name == "softmax" and D_y < 2:
        raise ValueError(
            "a softmax output layer needs at least 2 neurons (one per class); for two classes "
            "either use 2 softmax outputs or 1 sigmoid output with log_loss"
        )


def paired_output(f, loss):
    """Whether the output activation f is the one `loss` is paired with (`output_activation`),
    so that ∇H^(L) is the loss's `output_gradient`, Ŷᵀ − Yᵀ or the like: f must compute that
    built-in activation (its class, or a subclass keeping its formula), not merely share its
    name, for which the fused gradient would be silently wrong."""
    paired = _activations.ACTIVATIONS.get(loss.output_activation)
    if type(f) is paired:  # (the common case, asked once per batch: answered first)
        return True
    return paired is not None and isinstance(f, paired) and all(
        getattr(type(f), method) is getattr(paired, method)
        for method in ("value", "value_and_derivative"))


def seeded_generator(random_state):
    """numpy's default_rng(random_state), with a message that says what a seed may be."""
    try:
        return np.random.default_rng(random_state)
    except (TypeError, ValueError) as error:
        raise ValueError(
            "random_state must be None, a non-negative integer (or a sequence of them) or a "
            f"numpy Generator; got {random_state!r} ({error})") from None


def check_dtype(dtype):
    name = np.dtype(dtype).name if _is_dtype_like(dtype) else None
    if name not in DTYPES:
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return np.dtype(name)


def _is_dtype_like(dtype):
    try:
        np.dtype(dtype)
    except TypeError:
        return False
    return True
