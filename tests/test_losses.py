"""Losses: values and gradients against the chapter's formulas, finite differences, and the fused
output gradients against the unfused chain."""

import re

import numpy as np
import pytest

from ffnn import Network, activations, losses
from ffnn.training.objective import Objective


def _targets(name, rng, D_y, N):
    if name == "log_loss":
        return rng.integers(0, 2, size=(D_y, N)).astype(float)
    if name == "cross_entropy":
        return np.eye(D_y)[:, rng.integers(0, D_y, size=N)]
    if name == "poisson":
        return rng.poisson(2.0, size=(D_y, N)).astype(float)
    return rng.normal(size=(D_y, N))


def _predictions(name, rng, D_y, N):
    if name in ("log_loss",):
        return rng.uniform(0.1, 0.9, size=(D_y, N))
    if name == "cross_entropy":
        P = rng.uniform(0.1, 1.0, size=(D_y, N))
        return P / P.sum(axis=0)
    if name == "poisson":
        return rng.uniform(0.5, 3.0, size=(D_y, N))
    return rng.normal(size=(D_y, N))


def test_rss_and_log_loss_follow_the_chapter():
    Y = np.array([[1.0, 0.0, 2.0]])
    Yhat = np.array([[0.5, 0.25, 2.0]])
    rss = losses.get("rss")
    np.testing.assert_allclose(rss.value(Y, Yhat), [0.25 + 0.0625 + 0])
    np.testing.assert_allclose(rss.gradient(Y, Yhat), -2 * (Y - Yhat))
    P = np.array([[0.8, 0.3]])
    T = np.array([[1.0, 0.0]])
    log = losses.get("log_loss")
    np.testing.assert_allclose(log.value(T, P), [-np.log(0.8) - np.log(0.7)])
    # Section 2.2.1's form, (−y/ŷ + (1 − y)/(1 − ŷ)); the worked example of 2.3 has a sign error.
    np.testing.assert_allclose(log.gradient(T, P), [[-1 / 0.8, 1 / 0.7]])


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_gradient_matches_central_differences(name):
    rng = np.random.default_rng(1)
    D_y = 3
    Y, Yhat = _targets(name, rng, D_y, 5), _predictions(name, rng, D_y, 5)
    weights = rng.uniform(0.5, 2.0, size=5)
    loss = losses.get(name)
    eps = 1e-6
    numeric = np.zeros_like(Yhat)
    for idx in np.ndindex(*Yhat.shape):
        up, down = Yhat.copy(), Yhat.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (loss.value(Y, up, weights).sum() - loss.value(Y, down, weights).sum()) / (
            2 * eps
        )
    np.testing.assert_allclose(loss.gradient(Y, Yhat, weights), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_value_is_per_output_and_total_is_its_sum(name):
    rng = np.random.default_rng(2)
    Y, Yhat = _targets(name, rng, 3, 7), _predictions(name, rng, 3, 7)
    loss = losses.get(name)
    value = loss.value(Y, Yhat)
    assert value.shape == (3,)
    np.testing.assert_allclose(value, loss.pointwise(Y, Yhat).sum(axis=1))
    out, scratch = np.empty_like(Yhat), np.empty_like(Yhat)
    assert loss.total(Y, Yhat, out=out, scratch=scratch) == pytest.approx(value.sum())
    w = rng.uniform(size=7)
    assert loss.total(Y, Yhat, w) == pytest.approx((loss.pointwise(Y, Yhat) * w).sum())


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("layout", ["columns", "buffers"])
def test_total_and_gradient_agree_with_the_two_apart(name, weighted, layout):
    rng = np.random.default_rng(4)
    Y, Yhat = _targets(name, rng, 3, 9), _predictions(name, rng, 3, 9)
    w = rng.uniform(0.5, 2.0, size=9) if weighted else None
    loss = losses.get(name)
    if layout == "buffers":  # the training layout: N × D_y buffers used through their transposes
        Y, Yhat = np.ascontiguousarray(Y.T).T, np.ascontiguousarray(Yhat.T).T
        out, scratch = np.empty((9, 3)).T, np.empty((9, 3)).T
    else:
        out = scratch = None
    Yhat_before = Yhat.copy()
    total, gradient = loss.total_and_gradient(Y, Yhat, w, out, scratch)
    assert total == pytest.approx(loss.total(Y, Yhat, w), rel=1e-12)
    np.testing.assert_allclose(gradient, loss.gradient(Y, Yhat, w), rtol=1e-12)
    np.testing.assert_array_equal(Yhat, Yhat_before)
    if out is not None:
        assert gradient is out


@pytest.mark.parametrize(
    "loss_name, activation_name", [("log_loss", "sigmoid"), ("cross_entropy", "softmax"),
                                   ("poisson", "exp")]
)
def test_fused_output_gradient_equals_unfused_chain(loss_name, activation_name):
    rng = np.random.default_rng(3)
    D_y, N = (3, 6) if loss_name == "cross_entropy" else (2, 6)
    loss, f = losses.get(loss_name), activations.get(activation_name)
    H = rng.normal(scale=3.0, size=(D_y, N))
    Yhat = f.value(H)
    Y = _targets(loss_name, rng, D_y, N)
    fused = loss.output_gradient(Y, Yhat)
    dL = loss.gradient(Y, Yhat)  # ∂L/∂Ŷᵀ
    # The chapter's chain for each observation: the row ∂L/∂ŷ times the Jacobian ∂ŷ/∂h.
    unfused = np.column_stack([dL[:, n] @ f.jacobian(H[:, n]) for n in range(N)])
    np.testing.assert_allclose(fused, unfused, rtol=1e-10, atol=1e-12)


def test_fused_gradient_stays_finite_when_the_output_saturates():
    H = np.array([[-40.0, 40.0, -500.0, 500.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    P = activations.get("sigmoid").value(H)
    with np.errstate(all="ignore"):
        unfused = losses.get("log_loss").gradient(Y, P) * activations.get("sigmoid").derivative(H)
    fused = losses.get("log_loss").output_gradient(Y, P)
    assert np.all(np.isfinite(fused))
    np.testing.assert_allclose(fused, [[-1, 1, 0, 0]], atol=1e-15)
    assert not np.all(np.isfinite(unfused))  # the unfused chain is 0·inf there
    assert np.isfinite(losses.get("log_loss").value(Y, P)).all()


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError) as error:
        losses.get("hinge")
    for name in ["rss", "log_loss", "cross_entropy"]:
        assert name in str(error.value)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_pointwise_and_total_write_into_the_buffers_given(name):
    """Training hands its batch buffers to the loss: the loss entries are computed in `out`
    (with `scratch` as the second buffer) and the inputs are left as they were."""
    rng = np.random.default_rng(5)
    Y, Yhat = _targets(name, rng, 3, 8), _predictions(name, rng, 3, 8)
    Y_before, Yhat_before = Y.copy(), Yhat.copy()
    loss = losses.get(name)
    out, scratch = np.empty((8, 3)).T, np.empty((8, 3)).T
    L = loss.pointwise(Y, Yhat, out=out, scratch=scratch)
    assert L is out
    np.testing.assert_allclose(L, loss.pointwise(Y, Yhat), rtol=1e-15)
    w = rng.uniform(0.5, 2.0, size=8)
    assert loss.total(Y, Yhat, w, out=out, scratch=scratch) == pytest.approx(
        float(loss.pointwise(Y, Yhat) @ w @ np.ones(3)), rel=1e-12)
    G = np.empty((8, 3)).T
    assert loss.gradient(Y, Yhat, w, out=G) is G
    np.testing.assert_array_equal(Y, Y_before)
    np.testing.assert_array_equal(Yhat, Yhat_before)


@pytest.mark.parametrize(
    "loss_name, activation_name", [("log_loss", "sigmoid"), ("cross_entropy", "softmax"),
                                   ("poisson", "exp")])
def test_fused_output_gradient_is_weighted_per_observation(loss_name, activation_name):
    rng = np.random.default_rng(8)
    D_y, N = 3, 7
    loss, f = losses.get(loss_name), activations.get(activation_name)
    Yhat = f.value(rng.normal(size=(D_y, N)))
    Y = _targets(loss_name, rng, D_y, N)
    w = rng.uniform(0.2, 3.0, size=N)
    out = np.empty((N, D_y)).T
    weighted = loss.output_gradient(Y, Yhat, w, out=out)
    assert weighted is out
    np.testing.assert_allclose(weighted, loss.output_gradient(Y, Yhat) * w, rtol=1e-14)


def test_the_squared_total_is_the_same_whatever_the_memory_layout():
    """The total's dot product takes a fast path when both arrays share a layout, and a general
    one when they do not; both give Σ w (ŷ − y)²/2 for squared_error."""
    rng = np.random.default_rng(9)
    Y, Yhat = rng.normal(size=(3, 50)), rng.normal(size=(3, 50))
    w = rng.uniform(0.5, 2.0, size=50)
    expected = 0.5 * float(((Yhat - Y) ** 2) @ w @ np.ones(3))
    loss = losses.get("squared_error")
    for A, B, scratch, out in [
        (Y, Yhat, None, None),                                                 # both C-order
        (np.asfortranarray(Y), np.asfortranarray(Yhat), None, None),           # both F-order
        (Y, Yhat, np.empty((50, 3)).T, np.empty((50, 3)).T),                   # mixed layouts
        (np.asfortranarray(Y), Yhat, np.empty((3, 50)), np.empty((50, 3)).T),  # mixed again
    ]:
        assert loss.total_and_gradient(A, B, w, out, scratch)[0] == pytest.approx(expected,
                                                                                  rel=1e-13)
        assert loss.total(A, B, w) == pytest.approx(expected, rel=1e-13)
    unweighted = 0.5 * float(((Yhat - Y) ** 2).sum())
    assert loss.total_and_gradient(Y, Yhat, None, np.empty((50, 3)).T)[0] == pytest.approx(
        unweighted, rel=1e-13)


def test_losses_at_the_edges_of_their_domain():
    with np.errstate(all="raise"):  # the losses handle their edges without numpy warnings
        # y log(y/ŷ) − y + ŷ: 0 at y = ŷ = 0 (0 log 0 = 0), infinite at ŷ = 0 < y.
        P = losses.get("poisson").pointwise(np.array([[0.0, 2.0, 1.0]]),
                                            np.array([[0.0, 0.0, 1.0]]))
        np.testing.assert_array_equal(P, [[0.0, np.inf, 0.0]])
        L = losses.get("log_loss").pointwise(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    # Probabilities are kept at least the smallest normal number and at most the largest number
    # below 1: log loss stays finite.
    tiny, epsneg = np.finfo(float).tiny, np.finfo(float).epsneg
    np.testing.assert_array_equal(L, [[-np.log(tiny), -np.log(epsneg)]])
    E = losses.get("cross_entropy").pointwise(np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]]))
    assert E[0, 0] == -np.log(tiny) and E[1, 0] == 0


def test_loss_equality_and_names():
    assert losses.RSS() == losses.RSS() and losses.RSS() != losses.SquaredError()
    assert len({losses.RSS(), losses.RSS(), losses.LogLoss()}) == 2
    assert hash(losses.RSS()) != hash(losses.LogLoss())
    assert repr(losses.CrossEntropy()) == "CrossEntropy()"
    assert losses.get(losses.RSS()) == losses.RSS()
    assert (losses.RSS.factor, losses.SquaredError.factor) == (2.0, 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_certain_wrong_probabilities_cost_a_finite_log_loss_in_every_precision(dtype):
    # Clipped to the smallest normal number and the largest number below 1, of the array's own
    # precision: in float32 a float64 epsilon would round 1 − ε back to 1, and log(1 − 1) is −inf.
    Y = np.array([[0.0, 1.0]], dtype)
    Yhat = np.array([[1.0, 0.0]], dtype)
    tiny, epsneg = np.finfo(dtype).tiny, np.finfo(dtype).epsneg
    for loss, expected in ((losses.LogLoss(), -np.log(epsneg) - np.log(tiny)),
                           (losses.CrossEntropy(), -np.log(tiny))):
        total = loss.total(Y.T, Yhat.T)
        assert np.isfinite(total)
        assert total == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_confidently_wrong_probabilities_cost_their_true_loss(dtype):
    # A sigmoid output at h = −30 for y = 1: ŷ = σ(−30) = 9.36e-14, a normal number in both
    # precisions, so −log ŷ = log(1 + e³⁰) = 30.0000000000000936. Clipping ŷ at ε capped it at
    # −log ε = 15.94 in float32 (36.04 in float64), while the gradient ŷ − y = −1 kept
    # saying that the loss rises as h falls.
    net = Network([1, 1], ["sigmoid"], "log_loss", dtype=dtype, init=None)
    net.layers[0].W = [[1.0]]
    assert net.loss([[-30.0]], [[1.0]])[0] == pytest.approx(30.0, rel=1e-6)
    # A softmax whose true class trails the other by 40: −log ŷ = 40 + log(1 + e⁻⁴⁰) = 40 (the
    # old clip said 36.04 in float64 and 15.94 in float32; e⁻⁴⁰ = 4.2e-18 is normal in both).
    net = Network([1, 2], ["softmax"], "cross_entropy", dtype=dtype, init=None)
    net.layers[0].W = [[1.0], [-1.0]]
    assert net.loss([[20.0]], [[0.0, 1.0]]).sum() == pytest.approx(40.0, rel=1e-6)
    # and a certain, right answer costs nothing: ŷ = 1 is not lowered to 1 − ε, which would
    # charge −log(1 − ε) = ε for it.
    assert losses.CrossEntropy().total(np.array([[0.0], [1.0]], dtype),
                                       np.array([[0.0], [1.0]], dtype)) == 0.0
    # Training's objective agrees: J = (1/N) Σ_n L_n falls where its gradient says it falls.
    # Rows x = −30 (y = 1) and x = 1 (y = 1), no bias: J(w) = (softplus(30w) + softplus(−w))/2.
    net = Network([1, 1], ["sigmoid"], "log_loss", dtype=dtype, init=None)
    objective = Objective(net, 0.0, 2)
    X, Y = np.array([[-30.0], [1.0]], dtype), np.ones((2, 1), dtype)
    values = []
    for w in (0.6, 1.0, 1.5):
        net.layers[0].W = [[w]]
        J, grad = objective(X, Y)
        assert grad[0] > 0
        assert J == pytest.approx((np.logaddexp(0, 30 * w) + np.logaddexp(0, -w)) / 2, rel=1e-5)
        values.append(J)
    assert values == sorted(values)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_confidently_right_probabilities_cost_their_true_log_loss(dtype):
    # For y = 1 the loss is −log ŷ, which is about 1 − ŷ when ŷ is near 1. Written as
    # y (log ŷ − log(1 − ŷ)) + log(1 − ŷ), it came from two numbers near −log(1 − ŷ) that
    # cancel, each rounded to a unit of their own size: ŷ = 1 − 10⁻⁵ in float32 cost 1.049e-5
    # instead of 1.000e-5, and ŷ = 1 − ε cost nothing.
    eps = np.finfo(dtype).eps
    P = np.array([1 - 1e-2, 1 - 1e-5, 1 - 1e-7, 1 - eps, 1e-2, 1e-5, eps], dtype)
    Y = np.array([1, 1, 1, 1, 0, 0, 0], dtype)
    p = P.astype(np.float64)  # the probabilities as stored, whose losses are then exact
    true = np.where(Y == 1, -np.log(p), -np.log1p(-p))
    L = losses.LogLoss().pointwise(Y[None, :], P[None, :])[0]
    assert L.dtype == dtype
    np.testing.assert_allclose(L, true, rtol=8 * eps)
    # soft targets: both terms count, neither cancels the other
    y, q = np.array([0.3, 0.999], dtype), np.array([0.999, 0.3], dtype)
    soft = -(y * np.log(q.astype(np.float64)) + (1 - y) * np.log1p(-q.astype(np.float64)))
    np.testing.assert_allclose(losses.LogLoss().pointwise(y[None, :], q[None, :])[0], soft,
                               rtol=8 * eps)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_probability_one_step_below_1_costs_its_true_log_loss(dtype):
    # The largest probability below 1 is 1 − ε/2 (`epsneg`), where 1 − ŷ = ε/2 is exact: for
    # y = 0 its loss is −log(ε/2) = 36.74 (16.64 in float32). Lowering ŷ to 1 − ε charged
    # −log ε = 36.04 (15.94) for it, and for y = 1 twice its −log ŷ ≈ ε/2. A ŷ that rounded to
    # 1 costs what the step below 1 does, the most that a probability of this precision can tell.
    info = np.finfo(dtype)
    P = np.array([[1 - info.epsneg, 1 - info.epsneg, 1.0, 1.0]], dtype)
    Y = np.array([[0.0, 1.0, 0.0, 1.0]], dtype)
    L = losses.LogLoss().pointwise(Y, P)
    step = -np.log(np.float64(info.epsneg))
    np.testing.assert_allclose(L, [[step, info.epsneg, step, info.epsneg]], rtol=4 * info.eps)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_poisson_loss_near_a_good_fit_of_large_counts_is_accurate(dtype):
    # Near ŷ = y the loss is about (ŷ − y)²/(2y), far below y log y: summing y log(y/ŷ) and
    # ŷ − y apart left float32 losses as noise (many negative, their sum off by 200% here).
    rng = np.random.default_rng(0)
    Y = np.round(rng.uniform(500, 1000, size=(2, 500))).astype(dtype)
    P = (Y * (1 + rng.uniform(-1e-3, 1e-3, size=Y.shape))).astype(dtype)
    y, p = Y.astype(np.longdouble), P.astype(np.longdouble)
    exact = (p - y) - y * np.log1p((p - y) / y)  # in extended precision, from the same inputs
    L = losses.Poisson().pointwise(Y, P)
    assert L.dtype == dtype and np.all(L >= 0)
    eps = np.finfo(dtype).eps
    assert np.all(np.abs(L - exact) <= 4 * eps * np.abs(p - y))
    np.testing.assert_allclose(L.sum(), float(exact.sum()), rtol=100 * eps)


def test_a_row_of_weight_zero_adds_nothing_even_where_its_loss_is_infinite():
    # A count of 2 predicted as exactly 0 (an exp output that underflowed) costs ∞; weighed by 0
    # it must cost nothing, not 0·∞ = NaN, which training would take for divergence.
    Y, P = np.array([[2.0, 0.0, 1.0]]), np.array([[0.0, 0.0, 1.5]])
    poisson = losses.get("poisson")
    with np.errstate(all="raise"):
        total = poisson.total(Y, P, np.array([0.0, 1.0, 2.0]))
    assert total == pytest.approx(2 * poisson.total(Y[:, 2:], P[:, 2:]), rel=1e-15)
    net = Network([1, 1], ["exp"], "poisson", init=None)
    net.layers[0].W = [[-800.0]]  # ŷ = exp(−800) = 0 for x = 1
    X, Yrows = np.array([[1.0], [0.0]]), np.array([[2.0], [3.0]])
    with np.errstate(under="ignore"):
        J, grad = Objective(net, 0.0, 2, 1.0)(X, Yrows, np.array([0.0, 1.0]))
    assert J == pytest.approx(3 * np.log(3) - 3 + 1) and np.isfinite(grad).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_poisson_loss_of_a_prediction_far_above_a_small_count_is_about_the_prediction(dtype):
    # (ŷ − y)/y overflows where ŷ is huge and y below 1: y log1p(inf) made the loss −inf
    big = np.finfo(dtype).max / 2
    Y = np.array([[0.5, 1e-5, 0.0, 5.0]], dtype)
    P = np.array([[big, big, big, big]], dtype)
    L = losses.Poisson().pointwise(Y, P)
    np.testing.assert_allclose(L, P - Y, rtol=1e-6)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-13), (np.float32, 1e-6)])
def test_poisson_is_exact_where_the_prediction_is_far_below_the_count(dtype, tol):
    """ŷ − y rounds to −y once ŷ < y ε/2, and y log1p((ŷ − y)/y) became −inf: a loss of inf (taken
    for divergence) at ŷ = exp(−18), y = 1 in float32, and 35.7 for 36 at exp(−37) in float64."""
    h = np.array([[-5.0, -18.0, -37.0, -60.0, -80.0, -2.0]])
    Y = np.array([[1.0, 1.0, 5.0, 3.0, 1e6, 0.0]])
    Yhat = np.exp(h).astype(dtype)
    expected = Yhat.astype(np.float64) - Y - Y * (np.log(Yhat.astype(np.float64)) - np.log(Y))
    expected[0, -1] = Yhat[0, -1]
    L = losses.Poisson().pointwise(Y.astype(dtype), Yhat)
    assert L.dtype == dtype
    np.testing.assert_allclose(L, expected, rtol=tol)


@pytest.mark.parametrize("loss", [losses.SquaredError(), losses.RSS(), losses.LogLoss(),
                                  losses.Poisson()], ids=lambda loss: loss.name)
def test_a_row_of_weight_0_adds_nothing_even_where_its_loss_is_infinite(loss):
    """0·∞ is NaN, which training takes for divergence: a row of weight 0 is left out of J
    instead, for every loss, in `total` and in `total_and_gradient` alike."""
    Y = np.array([[1.0, 1.0, 0.0]])
    Yhat = np.array([[0.5, np.inf if loss.name in ("squared_error", "rss") else 0.0, 0.25]])
    w = np.array([2.0, 0.0, 1.0])
    with np.errstate(all="ignore"):  # as in training
        expected = loss.total(Y[:, [0, 2]], Yhat[:, [0, 2]], w[[0, 2]])
        assert np.isfinite(expected)
        assert loss.total(Y, Yhat, w) == pytest.approx(expected, rel=1e-15)
        assert loss.total_and_gradient(Y, Yhat, w)[0] == pytest.approx(expected, rel=1e-15)


LOSS_METHODS = ["value", "total", "gradient", "pointwise", "total_and_gradient", "output_gradient"]


@pytest.mark.parametrize("method", LOSS_METHODS)
@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_targets_and_predictions_of_other_shapes_are_refused_not_broadcast(name, method):
    """Yᵀ (N × 1) beside Ŷᵀ (1 × N) broadcast to N × N losses, a number that looked right;
    weights of another length than N broadcast as well."""
    loss, rng = losses.get(name), np.random.default_rng(0)
    Y, Yhat = _targets(name, rng, 2, 3), _predictions(name, rng, 2, 3)
    call = getattr(loss, method)
    with pytest.raises(ValueError, match=r"the targets \(shape \(3, 2\)\) and the predictions "
                                         r"\(shape \(2, 3\)\)"):
        call(Y.T, Yhat)
    one, one_hat = Y[:1], Yhat[:1]  # D_y = 1, in the chapter's 1 × N layout
    with pytest.raises(ValueError, match=r"\(shape \(3, 1\)\).*\(shape \(1, 3\)\)"):
        call(one.T, one_hat)
    with pytest.raises(ValueError, match=r"\(shape \(3,\)\).*\(shape \(1, 3\)\).*reshape"):
        call(one[0], one_hat)
    if method != "pointwise":
        for weights in (np.ones(1), np.ones((3, 1)), np.ones(4)):
            said = f"the sample weights must have shape (3,), one per observation; got {weights.shape}"
            with pytest.raises(ValueError, match=re.escape(said)):
                call(Y, Yhat, weights)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
@pytest.mark.parametrize("dtype", [np.int32, np.int64, bool])
def test_predictions_that_are_not_floating_point_are_refused(name, dtype):
    """Integer predictions were squared in their own type, wrapping around without a word
    (squared_error of ŷ = 2⁴⁰ against y = 0 gave 0.0)."""
    loss = losses.get(name)
    Y, Yhat = np.array([[0, 1]]), np.array([[2**40 if dtype is np.int64 else 1, 1]]).astype(dtype)
    for method in LOSS_METHODS:
        with pytest.raises(ValueError, match=rf"the predictions must be floating-point numbers, "
                                             rf"got {np.dtype(dtype).name}"):
            getattr(loss, method)(Y, Yhat)
    # integer and boolean targets are numbers as they are: labels 0 and 1; complex ones are not
    assert loss.total(Y.astype(dtype), Yhat.astype(float)) == loss.total(Y, Yhat.astype(float))
    with pytest.raises(ValueError, match="the targets must be numbers, got an array of dtype "
                                         "complex128"):
        loss.total(Y + 1j, Yhat.astype(float))


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_the_layout_refusals_say_how_to_mend_the_call_and_nested_lists_are_taken_as_arrays(name):
    """Each refusal of `check_layout` names the call that mends it; targets and weights given as
    nested lists (as NumPy's own functions take them) are read as the arrays they spell."""
    loss, rng = losses.get(name), np.random.default_rng(1)
    Y, Yhat = _targets(name, rng, 1, 3), _predictions(name, rng, 1, 3)
    weights = np.array([1.0, 2.0, 0.5])
    with pytest.raises(ValueError, match=re.escape("got int64; convert them with "
                                                   "np.asarray(Yhat, dtype=float)")):
        loss.total(Y, np.ones((1, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="floating-point numbers, got list; convert"):
        loss.total(Y, Yhat.tolist())
    with pytest.raises(ValueError, match="the targets must be numbers, got an array of dtype <U1"):
        loss.total(np.array([["a", "b", "c"]]), Yhat)
    with pytest.raises(ValueError, match=re.escape("of arrays of rows (Y.reshape(1, -1) for a "
                                                   "vector of one output's targets)")):
        loss.total(Y[0], Yhat)
    assert loss.total(Y.tolist(), Yhat) == loss.total(Y, Yhat)
    assert loss.total(Y.tolist(), Yhat, weights) == loss.total(Y, Yhat, weights)
    with pytest.raises(ValueError, match=re.escape("sample weights must have shape (3,), one per "
                                                   "observation; got (2,)")):
        loss.total(Y.tolist(), Yhat, weights[:2])
