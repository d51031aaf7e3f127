"""The objective that training minimises, whatever the solver or the batch size (MATH.md §5):

    J(θ) = (1/Σw) [ Σ_n w_n Σ_d L_d(ŷ_n) + (α/2) Σ_ℓ ‖W^(ℓ)‖² ]

over the N training rows with sample weights w_n (all 1 without weights, so Σw = N): the mean
loss plus an L2 penalty on the weights, not the biases. A minibatch B of those rows estimates it by

    J_B(θ) = N/(|B| Σw) · Σ_{n∈B} w_n Σ_d L_d(ŷ_n)  +  (α/(2Σw)) ‖W‖²,

whose mean over the batches of an epoch is J, and whose gradient is the chapter's backpropagated
gradient of the summed loss (`Network.loss_and_gradient`) scaled the same way, plus (α/Σw) W.
With B = all rows, J_B = J. So `alpha` and the learning rate mean the same for every solver and
batch size; scikit-learn instead divides the penalty by the batch size in SGD and Adam.
"""

import numbers

import numpy as np

from ..arrays import namespace
from ..checks import check_weight_sum
from .setting_checks import check_number


class Objective:
    """J and ∇J for a network over a training set of `n_samples` rows whose weights sum to
    `sum_weights` (n_samples without weights).

    `objective(X_B, Y_B, w_B)` evaluates J_B on any subset of the rows and its gradient, which it
    leaves in `net.grad` (and returns: a view, overwritten by the next evaluation). `scratch`, a
    vector shaped like θ, is free between evaluations: training lends it to the update rule, so
    that a step touches less memory. The sample weights of each call are taken as they are
    (`checks.check_training_rows` checks a training set's once: none below 0, a usable sum).
    """

    def __init__(self, net, alpha, n_samples, sum_weights=None):
        check_number("alpha", alpha, 0, high_open=True)  # a negative one rewards large weights
        check_number("n_samples", n_samples, 1, integer=True)
        if sum_weights is not None:
            if not (isinstance(sum_weights, numbers.Real) and sum_weights > 0):
                raise ValueError("sum_weights must be a number > 0, the sum of the rows' sample "
                                 f"weights (None without them), got {sum_weights!r}")
            check_weight_sum(float(sum_weights), n_samples)
        self.net = net
        self.n_samples = int(n_samples)
        self.sum_weights = float(n_samples if sum_weights is None else sum_weights)
        # Python floats keep float32 arithmetic in float32 (a NumPy float64 scalar would not).
        self.penalty = float(alpha) / self.sum_weights
        self.scratch = np.empty_like(net.params)
        self._workspace = None
        self._uniform = {}  # |B| -> the row factors of an unweighted batch
        self._row_weights = None

    def __call__(self, X, Y, weights=None):
        """(J_B, ∇J_B) for rows X (|B| × D_x, dense or sparse), Y (|B| × D_y, or (|B|,) for one
        output) of the network's dtype, and their sample weights (|B|,) or None."""
        net, b, Y = self.net, X.shape[0], rows(Y)
        if b == 0:  # J_B = N/(|B| Σw) Σ_{n∈B} … divides by |B|
            raise ValueError(f"a batch of no rows (X of shape {X.shape}) has no objective; give "
                             "at least one row")
        ws = self._workspace
        if ws is None or (ws.N < b and ws.N < net.chunk_rows()):
            ws = self._workspace = net.workspace(b)
        J = net.loss_and_gradient(X, Y, ws, self._scaled_weights(weights, b))
        return J + self.add_penalty(), net.grad

    def _scaled_weights(self, weights, b):
        """Each row's factor in J_B (see `row_factors`), in buffers of the network's dtype."""
        dtype = self.net.dtype
        if weights is None:
            if b not in self._uniform:
                self._uniform[b] = row_factors(np.ones(b, dtype), self.n_samples,
                                               self.sum_weights, b)
            return self._uniform[b]
        if np.shape(weights) != (b,):  # NumPy would broadcast one weight to every row
            raise ValueError(f"the sample weights must have shape ({b},), one per row of X; got "
                             f"{np.shape(weights)}")
        if self._row_weights is None or self._row_weights.size < b:
            self._row_weights = np.empty(b, dtype)
        return row_factors(weights, self.n_samples, self.sum_weights, b, self._row_weights[:b])

    def add_penalty(self):
        """Add the penalty's gradient (α/Σw) W to the weights' in `net.grad` and return its value
        (see `penalty`): a call adds it to the data term's gradient, and so does an engine that
        computes that term itself (the Dask engine's sum over partitions)."""
        if self.penalty == 0:
            return 0.0
        W, dW = self.net.weights, self.net.weight_grads
        value, gradient = penalty(W, self.penalty, out=self.scratch[: W.size])
        dW += gradient
        return value

    def at_zero(self, Y, weights=None):
        """J at θ = 0, where every W and c is zero and the network predicts the constant f^(L)(0)
        (0 for a linear output, ½ for a sigmoid, 1/D_y each for a softmax) for every row: the
        loss of a network that has learned nothing. It needs only the targets."""
        net, Y = self.net, rows(Y)
        constant = net.activations[-1].value(np.zeros((net.D_y, 1), net.dtype))
        Yhat = np.broadcast_to(constant, (net.D_y, Y.shape[0]))
        return net.loss_function.total(Y.T, Yhat, weights) / self.sum_weights


def rows(Y):
    """Targets as rows, N × D_y: a vector of N, one output's, as its column."""
    return Y.reshape(-1, 1) if Y.ndim == 1 else Y


def row_factors(weights, n_samples, sum_weights, size, out=None):
    """Each row's factor in J_B: w_n · N/(|B| Σw), for a batch of `size` rows whose sample
    weights are `weights` (all 1 without sample weights, when Σw = N and the factor is 1/|B|)."""
    xp = namespace(weights)
    out = xp.multiply(weights, n_samples / sum_weights, out=out)
    return xp.multiply(out, 1.0 / size, out=out)


def penalty(W, strength, out=None):
    """The L2 penalty on the weights and its gradient, ((α/(2Σw)) ‖W‖², (α/Σw) W), for
    strength = α/Σw."""
    xp = namespace(W)
    return 0.5 * strength * xp.sum_of_products(W, W), xp.multiply(W, strength, out=out)


def mean_loss(net, X, Y, weights=None):
    """Σ_n w_n Σ_d L_d(ŷ_n) / Σ_n w_n: the data term of J alone, as reported for validation data.
    ValueError over no rows, or where Σw is not a finite number above 0."""
    if X.shape[0] == 0:
        raise ValueError(f"the mean loss of no rows (X of shape {X.shape}) is 0/0; give at "
                         "least one row")
    sum_weights = X.shape[0] if weights is None else float(np.sum(weights))
    if not 0 < sum_weights < np.inf:  # NaN too
        raise ValueError(f"the sample weights sum to {sum_weights}, and the mean loss divides "
                         "by their sum; give at least one row a positive weight, and none a "
                         "negative, infinite or NaN one")
    return net.loss_function.total(rows(Y).T, net.predict_rows(X).T, weights) / sum_weights


def weight_shares(weights, n_samples, sum_weights, dtype):
    """Each row's w_n · N/Σw, its factor in J_B times |B|, in `dtype`: computed in float64 and
    only then rounded, as `row_factors` computes into a buffer of the network's dtype. Rounding
    the weights or Σw to float32 first would lose rows whose weights are subnormal there or above
    its range, and every row where Σw overflows it (N/∞ = 0). `row_factors(shares, 1, 1.0, |B|)`
    then gives the factors of a batch."""
    shares = np.multiply(np.asarray(weights, np.float64), n_samples / sum_weights)
    return shares.astype(dtype)
