"""The objective J and its minibatch estimates J_B (training.objective): values against the
formula, gradients against finite differences, the batch estimates averaging to J."""

import re

import numpy as np
import pytest

import ffnn
from ffnn.training import Objective, mean_loss
from ffnn.training.objective import penalty, row_factors, weight_shares


def _problem(seed=0, N=23, D_x=4, D_y=3):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(N, D_x)), rng.normal(size=(N, D_y))
    net = ffnn.Network([D_x, 6, D_y], ["tanh", "linear"], "squared_error", random_state=seed)
    return rng, X, Y, net


def test_objective_gradient_matches_central_differences_with_weights_and_penalty():
    rng, X, Y, net = _problem()
    weights = rng.uniform(0.2, 3.0, size=X.shape[0])
    objective = Objective(net, alpha=0.7, n_samples=X.shape[0], sum_weights=weights.sum())

    def J(theta):
        net.params[...] = theta
        return objective(X, Y, weights)[0]

    theta = net.params.copy()
    value, grad = objective(X, Y, weights)
    analytic = grad.copy()
    numeric = np.array([(J(theta + e) - J(theta - e)) / 2e-6 for e in np.eye(theta.size) * 1e-6])
    assert np.linalg.norm(analytic - numeric) / np.linalg.norm(numeric) < 1e-7
    # And the value is the documented objective: (Σ w L + α/2 ‖W‖²) / Σw.
    net.params[...] = theta
    Yhat = net.forward(X)
    expected = (0.5 * (weights[:, None] * (Y - Yhat) ** 2).sum()
                + 0.35 * (net.weights**2).sum()) / weights.sum()
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_minibatch_objectives_average_to_the_full_objective(weighted):
    """Σ_B (|B|/N) J_B = J at fixed θ: alpha means the same for every batch size."""
    rng, X, Y, net = _problem(N=23)
    w = rng.uniform(0.2, 3.0, size=23) if weighted else None
    objective = Objective(net, alpha=0.5, n_samples=23, sum_weights=None if w is None else w.sum())
    full, full_grad = objective(X, Y, w)
    full_grad = full_grad.copy()
    for B in (1, 5, 7, 23):
        total, grad = 0.0, np.zeros_like(full_grad)
        for start in range(0, 23, B):
            rows = slice(start, min(start + B, 23))
            b = rows.stop - rows.start
            J_B, g_B = objective(X[rows], Y[rows], None if w is None else w[rows])
            total += b / 23 * J_B
            grad += b / 23 * g_B
        assert total == pytest.approx(full, rel=1e-12)
        np.testing.assert_allclose(grad, full_grad, rtol=1e-10, atol=1e-14)


def test_objective_at_zero_is_the_loss_of_the_constant_prediction():
    rng, X, Y, net = _problem()
    w = rng.uniform(0.5, 2.0, size=X.shape[0])
    objective = Objective(net, alpha=3.0, n_samples=X.shape[0], sum_weights=w.sum())
    # A linear output predicts 0 at θ = 0: J(0) = Σ w ½‖y‖² / Σw, with no penalty.
    assert objective.at_zero(Y, w) == pytest.approx((0.5 * w @ (Y**2).sum(axis=1)) / w.sum())
    net.params[...] = 0
    assert objective(X, Y, w)[0] == pytest.approx(objective.at_zero(Y, w), rel=1e-12)
    sigmoid = ffnn.Network([4, 3, 2], ["relu", "sigmoid"], "log_loss")
    Y01 = (Y[:, :2] > 0).astype(float)
    assert Objective(sigmoid, 0.0, X.shape[0]).at_zero(Y01) == pytest.approx(2 * np.log(2))


def test_the_penalty_is_on_the_weights_only():
    rng, X, Y, net = _problem()
    one = Objective(net, alpha=23.0, n_samples=23)  # α/Σw = 1 exactly
    J_one = one(X, Y)[0]
    plain = Objective(net, alpha=0.0, n_samples=23)
    J0, g0 = plain(X, Y)
    g0 = g0.copy()
    penalised = Objective(net, alpha=2.3, n_samples=23, sum_weights=11.5)
    J1, g1 = penalised(X, Y)
    assert g1 is net.grad and penalised.scratch.shape == net.params.shape
    W = net.weights
    # J_B = N/(|B| Σw) Σ L + (α/(2Σw)) ‖W‖²; with |B| = N: (1/Σw) Σ L + (α/(2Σw)) ‖W‖².
    assert J1 == pytest.approx(J0 * 23 / 11.5 + 2.3 / (2 * 11.5) * (W @ W), rel=1e-12)
    assert J_one == pytest.approx(J0 + 0.5 * (W @ W), rel=1e-12)
    np.testing.assert_allclose(g1[: W.size], g0[: W.size] * 23 / 11.5 + 2.3 / 11.5 * W,
                               rtol=1e-12)
    np.testing.assert_allclose(g1[W.size:], g0[W.size:] * 23 / 11.5, rtol=1e-12)  # biases


def test_a_batch_larger_than_any_before_gets_room(monkeypatch):
    rng, X, Y, net = _problem(N=23)
    w = rng.uniform(0.5, 2.0, size=23)
    objective = Objective(net, alpha=0.1, n_samples=23, sum_weights=w.sum())
    small = objective(X[:3], Y[:3], w[:3])[0]
    full, grad = objective(X, Y, w)
    fresh = Objective(net, alpha=0.1, n_samples=23, sum_weights=w.sum())
    assert full == fresh(X, Y, w)[0]
    assert small == pytest.approx(fresh(X[:3], Y[:3], w[:3])[0], rel=1e-15)
    # Each row's factor in J_B: w_n N / (|B| Σw).
    Yhat = net.forward(X[:3])
    expected = (w[:3] * 0.5 * ((Y[:3] - Yhat) ** 2).sum(axis=1)).sum() * 23 / (3 * w.sum())
    assert small == pytest.approx(expected + 0.05 / w.sum() * net.weights @ net.weights,
                                  rel=1e-12)


def test_float32_networks_get_float32_row_factors():
    rng, X, Y, _ = _problem()
    net = ffnn.Network([4, 6, 3], ["tanh", "linear"], "squared_error", random_state=0,
                       dtype="float32")
    w = rng.uniform(0.5, 2.0, size=23)
    J32, g32 = Objective(net, 0.1, 23, w.sum())(X.astype(np.float32), Y.astype(np.float32), w)
    assert g32.dtype == np.float32 and isinstance(J32, float)
    net64 = ffnn.Network([4, 6, 3], ["tanh", "linear"], "squared_error", random_state=0)
    J64 = Objective(net64, 0.1, 23, w.sum())(X, Y, w)[0]
    assert J32 == pytest.approx(J64, rel=1e-5)


@pytest.mark.parametrize("output, loss, D_y, expected", [
    ("sigmoid", "log_loss", 2, 2 * np.log(2)),          # ŷ = ½ for every label
    ("softmax", "cross_entropy", 4, np.log(4)),          # ŷ = ¼ for every class
    ("exp", "poisson", 1, None),                         # ŷ = 1: y log y − y + 1
    ("linear", "rss", 2, None),                          # ŷ = 0: Σ y²
])
def test_objective_at_zero_for_each_output(output, loss, D_y, expected):
    rng = np.random.default_rng(1)
    N = 10
    if loss == "cross_entropy":
        Y = np.eye(D_y)[rng.integers(0, D_y, N)]
    elif loss == "log_loss":
        Y = rng.integers(0, 2, size=(N, D_y)).astype(float)
    elif loss == "poisson":
        Y = rng.poisson(2.0, size=(N, D_y)).astype(float)
        expected = np.mean(np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1)), 0) - Y + 1)
    else:
        Y = rng.normal(size=(N, D_y))
        expected = np.mean((Y**2).sum(axis=1))
    net = ffnn.Network([3, 4, 5, D_y], ["relu", "tanh", output], loss, random_state=0)
    w = rng.uniform(0.5, 2.0, size=N)
    objective = Objective(net, 5.0, N)
    assert objective.at_zero(Y) == pytest.approx(expected, rel=1e-12)
    weighted = Objective(net, 5.0, N, w.sum())
    net.params[...] = 0
    assert weighted.at_zero(Y, w) == pytest.approx(weighted(np.ones((N, 3)), Y, w)[0], rel=1e-12)


def test_mean_loss_is_the_data_term_of_the_objective():
    rng, X, Y, net = _problem()
    w = rng.uniform(0.5, 2.0, size=23)
    per_row = 0.5 * ((Y - net.forward(X)) ** 2).sum(axis=1)
    assert mean_loss(net, X, Y) == pytest.approx(per_row.mean(), rel=1e-12)
    assert mean_loss(net, X, Y, w) == pytest.approx((w @ per_row) / w.sum(), rel=1e-12)
    small = w / (4 * w.sum())  # weights summing to 1/4 mean the same
    assert mean_loss(net, X, Y, small) == pytest.approx((w @ per_row) / w.sum(), rel=1e-12)


@pytest.mark.parametrize("rows, weights, said", [
    (0, None, r"the mean loss of no rows \(X of shape \(0, 4\)\) is 0/0; give at least one row"),
    (0, [], r"the mean loss of no rows \(X of shape \(0, 4\)\) is 0/0; give at least one row"),
    (3, [0.0, 0.0, 0.0], r"the sample weights sum to 0\.0, .* give at least one row a positive"),
    (3, [1.0, -1.0, 0.0], r"the sample weights sum to 0\.0, .* give at least one row a positive"),
    (3, [1.0, -2.0, 0.0], r"the sample weights sum to -1\.0, .* give at least one row a positive"),
    (3, [np.nan, 1.0, 1.0], r"the sample weights sum to nan"),
    (3, [np.inf, 1.0, 1.0], r"^the sample weights sum to inf, and the mean loss divides by their "
                            r"sum; give at least one row a positive weight, and none a negative, "
                            r"infinite or NaN one$"),
])
def test_a_mean_loss_without_rows_or_weight_is_refused_with_what_to_give(rows, weights, said):
    """Σ w L / Σw over no rows, or over weights summing to 0, divided by zero
    (ZeroDivisionError); a negative sum turned the loss's sign, an infinite one made it NaN."""
    rng, X, Y, net = _problem(N=3)
    w = None if weights is None else np.asarray(weights, float)
    with pytest.raises(ValueError, match=said):
        mean_loss(net, X[:rows], Y[:rows], w)


def test_row_factors_and_penalty_fill_the_buffers_they_are_given():
    # The NumPy engine hands both its own buffers so that an epoch allocates nothing: the
    # results must be those buffers, holding w_n N/(|B| Σw) and (α/Σw) W.
    w = np.array([1.0, 2.0, 0.5])
    out = np.full(3, np.nan)
    factors = row_factors(w, 10, 5.0, 4, out=out)
    assert factors is out
    np.testing.assert_allclose(out, w * 10 / (4 * 5.0), rtol=1e-15)
    W = np.array([1.0, -2.0, 3.0])
    grad_out = np.full(3, np.nan)
    value, grad = penalty(W, 0.5, out=grad_out)
    assert grad is grad_out and value == pytest.approx(0.25 * 14)
    np.testing.assert_array_equal(grad_out, 0.5 * W)


def test_add_penalty_adds_the_penalty_gradient_and_returns_its_value():
    """What an engine that sums the data term itself (Dask's partitions) adds once: α/(2Σw)‖W‖²,
    and (α/Σw) W on the weights' gradient, nothing on the biases'."""
    net = ffnn.Network([3, 4, 2], ["tanh", "linear"], "squared_error", random_state=0)
    objective = Objective(net, alpha=0.3, n_samples=10, sum_weights=5.0)
    net.grad[...] = 1.0
    value = objective.add_penalty()
    W = net.weights.copy()
    assert value == pytest.approx(0.5 * 0.3 / 5.0 * float(W @ W))
    np.testing.assert_allclose(net.weight_grads, 1.0 + 0.3 / 5.0 * W)
    assert all((layer.dc == 1.0).all() for layer in net.layers)


def test_weight_shares_are_the_row_factors_times_the_batch_size_rounded_once():
    # w = (1, 2, 3): N/Σw = 1/2, so the shares are w/2, and the factors of a batch of 3 a third.
    shares = weight_shares(np.array([1.0, 2.0, 3.0]), 3, 6.0, np.float64)
    np.testing.assert_array_equal(shares, [0.5, 1.0, 1.5])
    np.testing.assert_allclose(row_factors(shares, 1, 1.0, 3),
                               row_factors(np.array([1.0, 2.0, 3.0]), 3, 6.0, 3), rtol=1e-15)
    # Weights whose sum float32 cannot hold (3e38 each), or that float32 holds only as
    # subnormals (1e-40), given in either precision: in float64 first, each row's share is
    # still 1 (float32 weights times N/Σw = 1e40 would overflow).
    for w, given in [(3e38, np.float64), (1e-40, np.float64), (1e-40, np.float32)]:
        weights = np.full(4, w, dtype=given)
        shares = weight_shares(weights, 4, float(weights.sum()), np.float32)
        assert shares.dtype == np.float32
        np.testing.assert_allclose(shares, 1.0, rtol=1e-6)


@pytest.mark.parametrize("architecture, outlier", [
    # the output overflows: exp(800) = inf, and ∇H^(L) = (ŷ − y) · 0 would be NaN
    (([1, 3, 1], ["relu", "exp"], "poisson"), 800.0),
    # a hidden layer overflows: Z^(1) = inf, and ∂L/∂W^(1) = ∇H^(1) Z^(0)ᵀ would hold 0 · ∞
    (([1, 3, 1], ["relu", "linear"], "squared_error"), 1e308),
    (([1, 3, 2], ["relu", "softmax"], "cross_entropy"), 1e308),
])
def test_a_row_of_weight_zero_adds_nothing_to_the_gradient_even_where_its_output_overflows(
        architecture, outlier):
    """A row of weight 0 leaves J and ∇J as they are without it: an overflowing output of such a
    row (an outlier its weight sets aside) must not make the gradient NaN while J stays finite,
    which L-BFGS and the minibatch solvers took for divergence."""
    sizes, activations, loss = architecture
    net = ffnn.Network(sizes, activations, loss, random_state=0)
    for layer in net.layers:  # every neuron grows with x
        layer.W = np.abs(layer.W) + 0.5
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 1))
    Y = rng.uniform(0.0, 2.0, size=(6, sizes[-1]))
    weights = rng.uniform(0.5, 2.0, size=6)
    X[2, 0], weights[2] = outlier, 0.0
    kept = np.arange(6) != 2
    with np.errstate(all="ignore"):
        J, grad = Objective(net, 0.1, 6, weights.sum())(X, Y, weights)
        grad = grad.copy()
        expected, expected_grad = Objective(net, 0.1, 6, weights.sum())(
            X[kept], Y[kept], weights[kept] * 5 / 6)  # each row's factor w_n N/(|B| Σw) kept
    assert np.isfinite(grad).all()
    assert J == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-15)


def test_a_batch_of_weight_zero_is_the_penalty_alone():
    rng, X, Y, net = _problem(N=5)
    objective = Objective(net, alpha=0.4, n_samples=5, sum_weights=2.0)
    J, grad = objective(X, Y, np.zeros(5))
    assert J == pytest.approx(0.5 * 0.4 / 2.0 * (net.weights**2).sum(), rel=1e-12)
    np.testing.assert_allclose(grad[: net.n_weights], 0.4 / 2.0 * net.weights, rtol=1e-12)
    assert not grad[net.n_weights:].any()


def test_the_targets_of_one_output_may_be_a_vector_and_a_row_of_them_is_refused():
    """J, the mean loss and J at θ = 0 take targets as rows, N × D_y, as the trainer gives them,
    or a vector of N for one output; a 1 × N row of them broadcast against the N × 1 rows of
    predictions into an N × N loss, a wrong number given without a word."""
    rng, X, Y, net = _problem(N=5, D_y=1)
    objective = Objective(net, alpha=0.3, n_samples=5)
    J = objective(X, Y)[0]
    assert objective(X, Y.ravel())[0] == J
    assert mean_loss(net, X, Y.ravel()) == mean_loss(net, X, Y)
    assert objective.at_zero(Y.ravel()) == objective.at_zero(Y)
    for call in (lambda: mean_loss(net, X, Y.T), lambda: objective(X, Y.T),
                 lambda: objective.at_zero(Y.T)):
        with pytest.raises(ValueError, match=r"must have one shape, D_y × N"):
            call()


@pytest.mark.parametrize("arguments, said", [
    ((-1.0, 3), r"alpha must be a number in \[0, inf\), got -1.0"),
    ((float("nan"), 3), r"alpha must be a number in \[0, inf\), got nan"),
    ((float("inf"), 3), r"alpha must be a number in \[0, inf\), got inf"),
    ((0.5, 0), r"n_samples must be an int in \[1, inf\], got 0"),
    ((0.5, 2.5), r"n_samples must be an int in \[1, inf\], got 2.5"),
    ((0.5, 3, 0.0), r"sum_weights must be a number > 0, the sum of the rows' sample weights"),
    ((0.5, 3, -2.0), r"sum_weights must be a number > 0"),
    ((0.5, 3, float("nan")), r"sum_weights must be a number > 0"),
    ((0.5, 3, float("inf")), r"the sample weights are too large"),
    ((0.5, 3, 1e-320), r"the sample weights are too small"),
])
def test_an_objective_that_is_no_mean_loss_is_refused(arguments, said):
    """A negative alpha made J reward large weights, a NaN one made J NaN, and a sum of weights
    of 0 or of 0 rows divided by zero (ZeroDivisionError) or, negative, turned the penalty
    into a reward, each where the trainer's checks were not in the way."""
    rng, X, Y, net = _problem(N=3)
    with pytest.raises(ValueError, match=said):
        Objective(net, *arguments)


@pytest.mark.parametrize("weighted", [False, True])
def test_a_batch_of_no_rows_is_refused_with_what_to_give(weighted):
    """J_B of no rows, N/(|B| Σw) Σ_∅, divides by |B| = 0: it raised ZeroDivisionError."""
    rng, X, Y, net = _problem(N=3)
    with pytest.raises(ValueError, match=r"a batch of no rows \(X of shape \(0, 4\)\) has no "
                                         r"objective; give at least one row"):
        Objective(net, 0.5, 3)(X[:0], Y[:0], np.ones(0) if weighted else None)


@pytest.mark.parametrize("weights", [np.array([2.0]), np.ones(4), np.ones((5, 1))])
def test_sample_weights_of_another_length_than_the_batch_are_refused(weights):
    """One weight for a batch of five rows was broadcast to every row: J_B of weights all 2."""
    rng, X, Y, net = _problem(N=5)
    said = f"the sample weights must have shape (5,), one per row of X; got {weights.shape}"
    with pytest.raises(ValueError, match=re.escape(said)):
        Objective(net, 0.5, 5, 10.0)(X, Y, weights)
