"""The training objective, its gradient, and the epoch loop's promises."""

import numpy as np
import pytest

import ffnn
from ffnn.training import Objective, Settings, Trainer


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


def test_divergence_raises_naming_the_epoch_and_keeps_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * 1000
    Y = rng.normal(size=(50, 1)) * 1000
    net = ffnn.Network([3, 8, 1], ["relu", "linear"], "squared_error", random_state=0)
    trainer = Trainer(net, Settings(solver="sgd", learning_rate_init=10.0, max_iter=50), rng)
    with pytest.raises(ffnn.DivergenceError, match=r"diverged at epoch \d+.*learning_rate_init"):
        trainer.run(X, Y)
    assert np.isfinite(net.params).all()


def test_keyboard_interrupt_keeps_the_best_weights():
    rng, X, Y, net = _problem()
    trainer = Trainer(net, Settings(solver="adam", learning_rate_init=0.05, max_iter=100), rng)
    snapshots = []

    def callback(info):
        snapshots.append((info.loss, net.params.copy()))
        if info.epoch == 5:
            raise KeyboardInterrupt

    result = trainer.run(X, Y, callback=callback)
    assert result.stopped == "interrupted" and result.epoch == 6
    best_loss, best_params = min(snapshots, key=lambda s: s[0])
    np.testing.assert_array_equal(net.params, best_params)
    assert trainer.history.best_loss == best_loss


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("block_bytes", [1, 200, 2**18])
def test_batches_visit_every_row_once_in_the_seeded_order(monkeypatch, weighted, shuffle,
                                                          block_bytes):
    """Whatever the block size, the batches of an epoch are consecutive slices of
    default_rng(seed).permutation(n) (or of 0 … n−1), with the rows' weights."""
    from ffnn.training import batches

    monkeypatch.setattr(batches, "BLOCK_BYTES", block_bytes)
    rng, X, Y, net = _problem(N=23)
    w = rng.uniform(0.5, 2.0, size=23) if weighted else None
    epochs = batches.Batches(X, Y, w, 5, shuffle, np.random.default_rng(7))
    expected_rng = np.random.default_rng(7)
    for _ in range(2):
        order = expected_rng.permutation(23) if shuffle else np.arange(23)
        seen = [(X_B.copy(), Y_B.copy(), None if w_B is None else w_B.copy())
                for X_B, Y_B, w_B in epochs]
        assert [len(x) for x, _, _ in seen] == [5, 5, 5, 5, 3]
        np.testing.assert_array_equal(np.concatenate([x for x, _, _ in seen]), X[order])
        np.testing.assert_array_equal(np.concatenate([y for _, y, _ in seen]), Y[order])
        if w is None:
            assert all(v is None for _, _, v in seen)
        else:
            np.testing.assert_array_equal(np.concatenate([v for _, _, v in seen]), w[order])
