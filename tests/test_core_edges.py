"""Edge cases of the core's numbers, against the objective's formula
J = (1/Σw) [Σ_n w_n Σ_d L_d(ŷ_n) + (α/2) ‖W‖²] and values worked by hand: sample weights at the
ends of float64's range, a float32 network given float64 inputs, inputs that are views of the
network's own arrays or hide numbers under a mask, and losses where ŷ reaches 0 or 1."""

import warnings

import numpy as np
import pytest

from ffnn import FFNNRegressor, Network, losses, reference
from ffnn.exceptions import DivergenceError
from ffnn.training import Settings, Trainer

_rng = np.random.default_rng(0)
_X = _rng.normal(size=(20, 2))
_Y = (_X[:, :1] - _X[:, 1:]) / 2


def _net(dtype="float64"):
    return Network([2, 3, 1], ["tanh", "linear"], "squared_error", random_state=0, dtype=dtype)


def _one_gd_step(weights, dtype="float64"):
    """θ and J after one full-batch gradient descent step from the same start."""
    net = _net(dtype)
    trainer = Trainer(net, Settings(solver="gd", alpha=0.0, max_iter=1, learning_rate_init=0.1),
                      np.random.default_rng(0))
    trainer.run(_X.astype(dtype), _Y.astype(dtype), weights)
    return net.params.copy(), trainer.history.loss_curve[-1]


@pytest.mark.parametrize("weights", [np.full(20, 1e308), np.full(20, 1e-310),
                                     np.full(20, 2.3e-310)])
def test_sample_weights_whose_share_of_their_sum_overflows_are_refused(weights):
    """Each row's factor in J is w_n · N/Σw. A Σw that overflows made every factor 0 (a loss
    of 0, a step taken by the penalty alone, without a word); one so small that N/Σw overflows
    (20 / 4.6e-309 is above 1.8e308) made them inf, reported as divergence of the inputs."""
    net = _net()
    before = net.params.copy()
    trainer = Trainer(net, Settings(solver="gd", max_iter=1), np.random.default_rng(0))
    said = "too large: their sum overflows" if weights[0] > 1 else "too small: their sum"
    with pytest.raises(ValueError, match=f"^the sample weights are {said}") as info:
        trainer.run(_X, _Y, weights)
    assert not isinstance(info.value, DivergenceError)
    assert np.array_equal(net.params, before)


def test_the_estimator_refuses_weights_whose_sum_is_normal_but_too_small_for_their_count():
    """100 rows of 2.3e-310 sum to 2.3e-308, above the smallest normal float64 (2.2e-308), but
    N/Σw = 100/2.3e-308 overflows: the fit raised DivergenceError, blaming the inputs."""
    X = np.random.default_rng(1).normal(size=(100, 2))
    with pytest.raises(ValueError, match="sample weights are too small") as info:
        FFNNRegressor(max_iter=2).fit(X, X[:, 0], sample_weight=np.full(100, 2.3e-310))
    assert not isinstance(info.value, DivergenceError)


def test_the_bound_of_a_sum_of_weights_and_the_whole_messages():
    """Σw must be a normal float64 and N/Σw finite: below the smallest normal number (2.2e-308)
    whatever N, and below N over the largest float64 where that is higher. One row of 1e-308
    is subnormal though 1/1e-308 is finite; the overflow of the sum itself is refused without a
    RuntimeWarning of NumPy's on the way."""
    from ffnn.checks import check_weight_sum

    with pytest.raises(ValueError) as info:
        check_weight_sum(1e-308, 1)
    assert str(info.value) == (
        "the sample weights are too small: their sum, 1e-308, is below 2.23e-308 (the smallest "
        "normal float64), where Σw loses digits or N/Σw, in each row's factor w·N/Σw, "
        "overflows; multiply them by a common factor")
    with pytest.raises(ValueError, match=r"below 5.56e-306 \(N = 1000 rows over the largest "
                                         r"float64\)"):
        check_weight_sum(5e-306, 1000)
    check_weight_sum(2.3e-308, 1)
    check_weight_sum(float(np.finfo(np.float64).tiny), 1)  # the bound itself is normal
    check_weight_sum(5.6e-306, 1000)
    net = _net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError) as info:
            Trainer(net, Settings(solver="gd", max_iter=1), np.random.default_rng(0)).run(
                _X, _Y, np.full(20, 1e308))
    assert str(info.value) == ("the sample weights are too large: their sum overflows "
                               "float64; divide them by a common factor")


@pytest.mark.parametrize("weight", [3e38, 1e-40])
def test_float32_sample_weights_are_summed_and_scaled_in_float64(weight):
    """Equal weights are the same objective as none. Summed in float32, 20 weights of 3e38
    overflowed to inf (J = 0 reported, the data ignored); scaled in float32, weights of 1e-40
    (subnormal there) took N/Σw = 1e40, beyond float32's range (DivergenceError)."""
    expected, J = _one_gd_step(None, "float32")
    got, J_weighted = _one_gd_step(np.full(20, weight, np.float32), "float32")
    assert J_weighted == pytest.approx(J, rel=1e-6) and J > 0.01
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_a_row_of_weight_zero_adds_nothing_to_the_loss_vector_even_where_its_loss_is_infinite():
    """The loss vector's entry d is Σ_n w_n L_d(ŷ_n), and `total` the sum of its entries. A
    Poisson loss is inf where ŷ underflows to 0 for y > 0: with weight 0, `total` left the row
    out while `value` multiplied, 0 · ∞, and gave NaN."""
    poisson = losses.get("poisson")
    Y, Yhat, w = np.array([[1.0, 0.0]]), np.array([[0.0, 0.5]]), np.array([0.0, 2.0])
    with np.errstate(all="raise"):
        assert poisson.value(Y, Yhat, w).tolist() == [1.0]  # 2 · (ŷ − y) = 2 · 0.5
    assert poisson.total(Y, Yhat, w) == 1.0
    assert losses.get("rss").value(np.array([[1.0, 2.0]]), np.zeros((1, 2)),
                                   np.array([2.0, 1.0])).tolist() == [6.0]  # 2·1² + 1·2²


def test_a_float32_network_computes_in_float32_whatever_the_inputs_dtype():
    """As its docstring says: X and Y are converted to the network's dtype first, so float64
    inputs give exactly what their float32 roundings give, in float32."""
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "log_loss", random_state=0, dtype="float32")
    X = np.array([[0.1, 1 / 3], [2.0, -1e-9]])
    Y = np.array([[1 / 3], [1.0]])
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    assert net.forward(X).dtype == np.float32
    assert np.array_equal(net.forward(X), net.forward(X32))
    assert np.array_equal(net.loss(X, Y), net.loss(X32, Y32)) and net.loss(X, Y).dtype == np.float32
    for (dW, dc), (dW32, dc32) in zip(net.gradients(X, Y), net.gradients(X32, Y32)):
        assert dW.dtype == dc.dtype == np.float32
        assert np.array_equal(dW, dW32) and np.array_equal(dc, dc32)


def _flat(grads):
    return np.concatenate([np.r_[dW.ravel(), dc] for dW, dc in grads])


def test_gradients_of_inputs_that_are_a_view_of_the_networks_own_gradient():
    """X may be a view of `grad`, which the backward pass writes while it reads X: the last
    layer's ∂L/∂W overwrote the inputs before the first layer's ∂L/∂W = ∇H X was formed (an
    error of 1.86 in this example), without a word."""
    rng = np.random.default_rng(3)
    net = Network([2, 2, 2], ["tanh", "linear"], "rss", random_state=1)
    net.grad[...] = rng.normal(size=net.grad.size)
    X, Y = net.layers[1].dW, rng.normal(size=(2, 2))  # X: the last layer's ∂L/∂W
    expected = _flat(net.copy().gradients(X.copy(), Y))
    np.testing.assert_allclose(_flat(net.gradients(X, Y)), expected, rtol=1e-13, atol=1e-13)


def test_gradients_of_targets_that_are_a_view_of_the_networks_own_gradient_in_chunks():
    """A batch larger than `chunk_rows()` is taken in chunks, each after the gradient of the one
    before was written: targets that are a view of `grad` changed from chunk to chunk."""
    rng = np.random.default_rng(4)
    net = Network([2, 20000, 1], ["relu", "linear"], "rss", random_state=1)
    N = 2 * net.chunk_rows()
    net.grad[...] = rng.normal(size=net.grad.size)
    X, Y = rng.normal(size=(N, 2)), net.grad[-N:].reshape(N, 1)
    expected = _flat(net.copy().gradients(X, Y.copy()))
    np.testing.assert_allclose(_flat(net.gradients(X, Y)), expected, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("solver", ["gd", "lbfgs"])
def test_training_rows_that_are_a_view_of_the_networks_parameters_are_the_rows_as_given(solver):
    """Training writes θ after every step: rows that are a view of it train as the numbers
    they held when the run began, not as numbers that change with each step."""
    net = _net()
    X = net.layers[0].W[:2]  # 2 rows of 2 features, a view of θ
    Y = np.array([[1.0], [-1.0]])
    twin = net.copy()
    settings = Settings(solver=solver, max_iter=5, alpha=0.0, learning_rate_init=0.1)
    Trainer(twin, settings, np.random.default_rng(0)).run(X.copy(), Y)
    Trainer(net, settings, np.random.default_rng(0)).run(X, Y)
    np.testing.assert_allclose(net.params, twin.params, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("solver", ["gd", "lbfgs"])
def test_rows_and_weights_that_are_views_of_the_networks_gradient_or_parameters(solver):
    """The gradient is written at every evaluation and θ at every step: rows that view the
    gradient, and sample weights that view θ or the gradient, are the numbers they held."""
    settings = Settings(solver=solver, max_iter=5, alpha=0.0, learning_rate_init=0.1)
    for where in ("rows", "weights of θ", "weights of the gradient"):
        net = _net()
        net.grad[...] = np.linspace(0.5, 1.5, net.grad.size)
        net.params[-3:] = [0.5, 1.0, 2.0]  # positive, to serve as weights
        X, Y, w = _X[:3], _Y[:3], None
        if where == "rows":
            X = net.grad[:6].reshape(3, 2)
        else:
            w = net.params[-3:] if where == "weights of θ" else net.grad[-3:]
        twin = net.copy()
        Trainer(twin, settings, np.random.default_rng(0)).run(
            X.copy(), Y, None if w is None else w.copy())
        Trainer(net, settings, np.random.default_rng(0)).run(X, Y, w)
        np.testing.assert_allclose(net.params, twin.params, rtol=1e-12, atol=1e-14,
                                   err_msg=where)


def test_loss_gradients_where_a_prediction_is_0_or_1_and_its_term_is_absent():
    """∂L/∂ŷ takes each term y log ŷ of a loss as 0, and so its derivative y/ŷ, where y = 0,
    even at ŷ = 0 (a sigmoid below −745, a softmax class 745 below the largest): log loss
    with y = 0 is −log(1 − ŷ), of derivative 1/(1 − ŷ) = 1 at ŷ = 0, and with y = 1 it is −1 at
    ŷ = 1; cross-entropy's absent classes and a Poisson count of 0 alike. −0/0 made them NaN."""
    Y, Yhat = np.array([[0.0, 1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, 0.5, 0.5]])
    with np.errstate(all="raise"):
        assert losses.get("log_loss").gradient(Y, Yhat).tolist() == [[1.0, -1.0, 2.0, -2.0]]
        assert losses.get("cross_entropy").gradient(Y, Yhat).tolist() == [[0.0, -1.0, 0.0, -2.0]]
        assert losses.get("poisson").gradient(Y, Yhat).tolist() == [[1.0, 0.0, 1.0, -1.0]]
        assert losses.get("poisson").gradient(Y, Yhat, np.array([2.0, 1, 1, 3])).tolist() == [
            [2.0, 0.0, 1.0, -3.0]]


@pytest.mark.parametrize("case", ["softmax", "sigmoid"])
def test_the_one_observation_oracle_agrees_where_an_output_underflows(case):
    """reference.gradients, the chapter's chain ∂L/∂ŷ · ∂ŷ/∂h one observation at a time, gave
    NaN where the batched gradient is 0: a softmax of logits 1000 apart (class probabilities
    of 0, whose targets are 0) and a sigmoid at h = −800 with target 0."""
    if case == "softmax":
        net = Network([1, 3], ["softmax"], "cross_entropy", init=None)
        net.layers[0].W = [[1.0], [0.0], [-1.0]]
        X, Y = np.array([[1e3]]), np.array([[1.0, 0.0, 0.0]])
    else:
        net = Network([1, 1], ["sigmoid"], "log_loss", init=None)
        net.layers[0].W = [[1.0]]
        X, Y = np.array([[-800.0]]), np.array([[0.0]])
    assert _flat(net.gradients(X, Y)).tolist() == [0.0] * net.params.size
    with np.errstate(under="ignore", divide="raise", invalid="raise"):
        assert _flat(reference.gradients(net, X, Y)).tolist() == [0.0] * net.params.size


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_training_on_no_rows_is_refused_with_what_to_give(solver):
    """J is a mean over the rows: with none, Objective divided by N = 0 (ZeroDivisionError)."""
    trainer = Trainer(_net(), Settings(solver=solver, max_iter=2), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"^X has no rows \(shape \(0, 2\)\); training needs at "
                                         "least one"):
        trainer.run(np.zeros((0, 2)), np.zeros((0, 1)))


def test_masked_entries_are_refused_not_read_as_the_numbers_under_the_mask():
    """np.asarray drops a masked array's mask: forward read the hidden number (3 = 1 + 2 here)
    as if it were data. A masked array with nothing masked is its numbers."""
    net = Network([2, 1], ["linear"], "rss", init=None)
    net.layers[0].W = [[1.0, 1.0]]
    with pytest.raises(ValueError, match=r"^X is a masked array with 1 masked value\(s\) in 1 "
                                         r"row\(s\) \(first: row 0\); fill them"):
        net.forward(np.ma.masked_array([[1.0, 2.0]], mask=[[0, 1]]))
    with pytest.raises(ValueError, match=r"^Y is a masked array with 1 masked value\(s\) in 1 "
                                         r"row\(s\) \(first: row 1\); fill them \(Y.filled\(v\)\) "
                                         "or drop those rows$"):
        net.loss(np.ones((2, 2)), np.ma.masked_array([[1.0], [2.0]], mask=[[0], [1]]))
    assert net.forward(np.ma.masked_array([[1.0, 2.0]], mask=[[0, 0]])).tolist() == [[3.0]]


def test_a_row_of_weight_zero_adds_nothing_to_the_loss_gradient_even_where_it_is_infinite():
    """Entry (d, n) of `gradient` is w_n ∂L_d(ŷ_n)/∂ŷ: 0 for a row of weight 0, as that row
    adds 0 to `value` and `total`, even where ∂L/∂ŷ is infinite (ŷ = 0 for y > 0): 0 · ∞ made
    it NaN."""
    Y, Yhat, w = np.array([[1.0, 0.0]]), np.array([[0.0, 0.5]]), np.array([0.0, 2.0])
    with np.errstate(divide="ignore", invalid="raise"):
        assert losses.get("poisson").gradient(Y, Yhat, w).tolist() == [[0.0, 2.0]]
        assert losses.get("log_loss").gradient(Y, Yhat, w).tolist() == [[0.0, 4.0]]
        assert losses.get("cross_entropy").gradient(Y, Yhat, w).tolist() == [[0.0, 0.0]]


def test_the_one_observation_oracle_refuses_a_target_of_another_length_than_its_prediction():
    """∂L/∂ŷ of y = (1, 2) beside ŷ = (1.5,) was the row (1, −1), one entry per target, from
    a prediction that has one."""
    with pytest.raises(ValueError, match=r"the targets \(shape \(2, 1\)\) and the predictions "
                                         r"\(shape \(1, 1\)\)"):
        reference.dL_dyhat(losses.get("rss"), np.array([1.0, 2.0]), np.array([1.5]))
    net = Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    with pytest.raises(ValueError, match=r"the targets \(shape \(2, 1\)\)"):
        reference.observation_gradients(net, np.array([1.0, 2.0]), np.array([1.0, 2.0]))


def test_a_row_of_weight_zero_adds_nothing_to_a_squared_or_fused_gradient_where_it_is_infinite():
    """The squared losses' gradient and the fused output gradient Ŷᵀ − Yᵀ were w_n (ŷ − y)
    with 0 · ∞ = NaN in a row of weight 0 whose prediction overflowed, while `value` and
    `total` leave that row out, as the other losses' gradients do."""
    Y, Yhat, w = np.array([[1.0, 1.0]]), np.array([[np.inf, 0.5]]), np.array([0.0, 2.0])
    with np.errstate(invalid="raise"):
        assert losses.get("squared_error").gradient(Y, Yhat, w).tolist() == [[0.0, -1.0]]
        assert losses.get("rss").gradient(Y, Yhat, w).tolist() == [[0.0, -2.0]]
        assert losses.get("rss").total_and_gradient(Y, Yhat, w)[1].tolist() == [[0.0, -2.0]]
        assert losses.get("poisson").output_gradient(Y, Yhat, w).tolist() == [[0.0, -1.0]]
        Y2, P2 = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[np.inf, 0.5], [0.0, 0.5]])
        assert losses.get("cross_entropy").output_gradient(Y2, P2, w).tolist() == [
            [0.0, 1.0], [0.0, -1.0]]


def test_the_one_observation_oracle_takes_lists_as_the_rest_of_the_library_does():
    """Every public function of `reference` raised AttributeError ('list' object has no
    attribute 'astype', 'reshape', 'size') on Python lists, which `Network` and
    `reference.gradients` take; dh_dz handed a list back as it was."""
    net = Network([2, 3, 2], ["tanh", "linear"], "rss", random_state=0)
    x, y = [1.0, -2.0], [0.5, 1]
    expected = reference.observation_gradients(net, np.array(x), np.array(y, float))
    for (dW, dc), (eW, ec) in zip(reference.observation_gradients(net, x, y), expected):
        assert dW.dtype == dc.dtype == np.float64
        np.testing.assert_array_equal(dW, eW)
        np.testing.assert_array_equal(dc, ec)
    rss = losses.get("rss")
    # RSS = Σ_d (y_d − ŷ_d)²: ∂/∂ŷ = 2 (ŷ − y) = 2 (0.5, −1)
    np.testing.assert_array_equal(reference.dL_dyhat(rss, [1, 2], [1.5, 1.0]), [[1.0, -2.0]])
    np.testing.assert_array_equal(reference.dh_dW([1, 2], 2), [[[1.0, 2.0], [0, 0]],
                                                                [[0, 0], [1.0, 2.0]]])
    assert reference.dh_dz([[1, 2]]).dtype == np.float64
    np.testing.assert_array_equal(reference.dz_dh(net.layers[1].activation, [0.5, 2]), np.eye(2))


def test_the_one_observation_oracle_refuses_an_observation_of_another_shape():
    net = Network([2, 3, 2], ["tanh", "linear"], "rss", random_state=0)
    for x in ([[1.0], [2.0]], [[1.0, 2.0]], [1.0, 2.0, 3.0]):
        with pytest.raises(ValueError, match=r"^x must be one observation of shape \(2,\), D_x "
                                             r"numbers; got shape \(\d,( \d)?\)$"):
            reference.observation_gradients(net, x, [0.5, 1.0])
