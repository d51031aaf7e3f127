"""L-BFGS over the objective (training.lbfgs): the network's parameters are SciPy's x, each
iteration is reported with the accepted iterate in place, and every way of stopping is named."""

import numpy as np
import pytest

import ffnn
from ffnn.training import Objective
from ffnn.training.lbfgs import minimize_lbfgs


def _quadratic(center, overflow_at=(), nan_gradient_at=()):
    """An objective with the interface of Objective: J(θ) = ½‖θ − center‖², whose evaluations
    numbered in `overflow_at` (0 is the first) come back non-finite, as a trial step that
    overflows does."""
    net = ffnn.Network([1, 2], ["linear"], "rss")
    evaluations = []

    class Quadratic:
        def __init__(self):
            self.net = net

        def __call__(self, X, Y, weights=None):
            theta = net.params
            evaluations.append(theta.copy())
            net.grad[...] = theta - center
            if len(evaluations) - 1 in overflow_at:
                net.grad[...] = np.nan
                return np.inf, net.grad
            if len(evaluations) - 1 in nan_gradient_at:  # a finite loss, a broken gradient
                net.grad[0] = np.nan
            return 0.5 * float((theta - center) @ (theta - center)), net.grad

    return Quadratic(), evaluations


def test_a_quadratic_is_minimised_and_every_iteration_reported():
    center = np.array([3.0, -2.0, 0.5, 1.0])
    objective, evaluations = _quadratic(center)
    reported = []

    def on_iteration(loss):
        reported.append((loss, objective.net.params.copy()))

    result = minimize_lbfgs(objective, None, None, None, max_iter=100, max_fun=1000, tol=1e-10,
                            on_iteration=on_iteration)
    np.testing.assert_allclose(objective.net.params, center, atol=1e-8)
    assert result.status == "converged" and result.loss == pytest.approx(0, abs=1e-15)
    assert result.n_iter == len(reported) and result.evaluations == len(evaluations)
    for loss, params in reported:  # the reported loss is that of the weights in place
        assert loss == pytest.approx(0.5 * (params - center) @ (params - center), rel=1e-12)


@pytest.mark.parametrize("broken", ["overflow_at", "nan_gradient_at"])
def test_a_trial_step_that_overflows_is_stepped_back_from(broken):
    center = np.array([3.0, -2.0, 0.5, 1.0])
    objective, evaluations = _quadratic(center, **{broken: {1}})  # the first trial step
    result = minimize_lbfgs(objective, None, None, None, max_iter=100, max_fun=1000, tol=1e-10)
    assert result.status == "converged" and len(evaluations) > 3
    np.testing.assert_allclose(objective.net.params, center, atol=1e-8)


@pytest.mark.parametrize("max_iter, max_fun, status", [(2, 1000, "max_iter"),
                                                       (1000, 3, "max_fun")])
def test_the_limits_are_told_apart(max_iter, max_fun, status):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    net = ffnn.Network([3, 6, 1], ["tanh", "linear"], "squared_error", random_state=0)
    result = minimize_lbfgs(Objective(net, 1e-4, 30), X, np.sin(X[:, :1]), None, max_iter,
                            max_fun, 1e-12)
    assert result.status == status and result.message
    assert result.n_iter <= max_iter and result.evaluations <= max_fun + 1


def test_non_finite_results_keep_the_last_finite_iterate():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 2)) * 1e200
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "squared_error", random_state=0)
    start = net.params.copy()
    with np.errstate(all="ignore"):
        result = minimize_lbfgs(Objective(net, 0.0, 10), X, X[:, :1], None, 5, 100, 1e-8)
    assert result.status == "non_finite" and not np.isfinite(result.loss)
    np.testing.assert_array_equal(net.params, start)


def test_ctrl_c_keeps_the_last_accepted_iterate():
    center = np.array([3.0, -2.0, 0.5, 1.0])
    objective, _ = _quadratic(center)
    objective.net.params[...] = 10.0
    accepted = []

    def on_iteration(loss):
        accepted.append(objective.net.params.copy())
        if len(accepted) == 2:
            raise KeyboardInterrupt

    result = minimize_lbfgs(objective, None, None, None, 100, 1000, 1e-12, on_iteration)
    assert result.status == "interrupted" and np.isnan(result.loss)
    assert result.n_iter == 2 and result.evaluations >= 3
    np.testing.assert_array_equal(objective.net.params, accepted[-1])


def test_an_objective_that_overflows_beyond_its_optimum_is_still_minimised():
    """J(θ) = Σ exp(20 θ) − 1000 θ from θ = −3: L-BFGS's trial steps overflow exp. SciPy, given
    inf or NaN there, stops two iterations in and reports convergence 0.3 from the optimum; the
    wall that minimize_lbfgs reports instead makes the search step back and go on."""
    net = ffnn.Network([2, 1], ["linear"], "rss")  # 3 parameters
    overflows = []
    optimum = np.log(1000 / 20) / 20

    class Exponential:
        def __init__(self):
            self.net = net

        def __call__(self, X, Y, weights=None):
            with np.errstate(over="ignore", invalid="ignore"):
                e = np.exp(20 * net.params)
                net.grad[...] = 20 * e - 1000
                J = float(np.sum(e - 1000 * net.params))
            overflows.append(not np.isfinite(J))
            return J, net.grad

    net.params[...] = -3 + 0.1 * np.arange(3)
    result = minimize_lbfgs(Exponential(), None, None, None, 1000, 15000, 1e-10)
    assert result.status in ("converged", "loss_converged") and any(overflows)
    np.testing.assert_allclose(net.params, optimum, atol=1e-6)


def test_the_wall_climbs_steeply_from_the_last_finite_point():
    from ffnn.training.lbfgs import WALL_HEIGHT, wall

    x0, g0 = np.array([1.0, 2.0]), np.array([0.5, -0.25])
    x = np.array([4.0, 6.0])  # d = (3, 4), ‖d‖² = 25
    J, g = wall(x, x0, -3.0, g0)
    height = WALL_HEIGHT * 4.0  # 1 + |J0|
    assert J == -3.0 + height
    np.testing.assert_allclose(g, g0 + 2 * height * np.array([3.0, 4.0]) / 25, rtol=1e-15)
    # The quadratic rising from (x0, J0) by `height` at x has this slope along d at x.
    assert g @ (x - x0) > 0
    near = x0 + np.array([0.3, 0.4])  # ‖d‖² = 0.25
    J_near, g_near = wall(near, x0, -3.0, g0)
    assert J_near == J
    np.testing.assert_allclose(g_near, g0 + 2 * height * np.array([0.3, 0.4]) / 0.25,
                               rtol=1e-15)
    J_same, g_same = wall(x0.copy(), x0, 2.0, g0)  # d = 0: no division by zero
    assert J_same == 2.0 + WALL_HEIGHT * 3.0 and np.isfinite(g_same).all()


def test_tol_is_lbfgs_gradient_tolerance():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    runs = {}
    for tol in (1e-1, 1e-9):
        net = ffnn.Network([3, 6, 1], ["tanh", "linear"], "squared_error", random_state=0)
        runs[tol] = minimize_lbfgs(Objective(net, 1e-4, 30), X, np.sin(X[:, :1]), None, 1000,
                                   15000, tol)
    assert runs[1e-1].status == "converged"
    assert runs[1e-1].n_iter < runs[1e-9].n_iter / 3


def test_a_stop_because_the_loss_stalled_is_not_called_a_small_gradient():
    """SciPy also ends a run, as a success, once a step lowers the loss by less than a relative
    ftol: then the gradient may still be far above tol, and the status says the loss stalled."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    net = ffnn.Network([3, 6, 1], ["tanh", "linear"], "squared_error", random_state=0)
    objective = Objective(net, 1e-4, 30)
    run = minimize_lbfgs(objective, X, np.sin(X[:, :1]), None, 1000, 15000, 1e-9)
    _, gradient = objective(X, np.sin(X[:, :1]))
    assert np.abs(gradient).max() > 1e-9
    assert run.status == "loss_converged"


def test_a_step_that_overflows_scipys_own_arithmetic_keeps_the_last_accepted_iterate():
    """After the first evaluation the gradient is 1e200 times J's own, beyond 1e154, whose
    square SciPy's next step overflows on: its trial x is not finite. The run ends as
    non-finite, with the iterate accepted last in place (not the start, not NaN), and counts
    every evaluation, those of the non-finite x that never reach the objective too."""
    net = ffnn.Network([1, 2], ["linear"], "rss")
    center = np.array([3.0, -2.0, 0.5, 1.0])
    calls, accepted = [], []

    class Steep:
        def __init__(self):
            self.net = net

        def __call__(self, X, Y, weights=None):
            theta = net.params
            calls.append(theta.copy())
            net.grad[...] = (1.0 if len(calls) == 1 else 1e200) * (theta - center)
            return 0.5 * float((theta - center) @ (theta - center)), net.grad

    def on_iteration(loss):
        accepted.append(net.params.copy())

    with np.errstate(all="ignore"):
        result = minimize_lbfgs(Steep(), None, None, None, 100, 1000, 1e-12, on_iteration)
    assert result.status == "non_finite" and np.isnan(result.loss)
    assert len(accepted) == result.n_iter == 1 and np.isfinite(accepted[0]).all()
    np.testing.assert_array_equal(net.params, accepted[0])
    assert not np.array_equal(net.params, np.zeros(4))  # the start
    assert result.evaluations > len(calls) and result.message not in ("", "None", None)
