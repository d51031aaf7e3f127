"""The compiled engine under JAX settings a caller may have made strict for code of their own:
training moves θ and the rows between the host and the device on purpose, as the NumPy engine
trains whatever NumPy's error settings, and trains exactly as it does without them."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNRegressor
from ffnn.training import Settings, Trainer

jax = pytest.importorskip("jax")


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    return X, np.sin(X[:, 0]) + X[:, 1] * X[:, 2]


def _fit(backend, **settings):
    """A regressor fitted twice (the second time incrementally), and its history."""
    X, y = _data()
    model = FFNNRegressor(hidden_layer_sizes=(5,), random_state=0, max_iter=6, backend=backend,
                          learning_rate_init=0.01, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        if model.solver != "lbfgs" and not model.early_stopping:
            model.partial_fit(X, y)
    params = np.concatenate([a.ravel() for a in model.coefs_ + model.intercepts_])
    return params, list(model.loss_curve_)


@pytest.mark.parametrize("settings", [dict(solver="adam", early_stopping=True),
                                      dict(solver="sgd"), dict(solver="lbfgs")])
def test_a_callers_transfer_guard_neither_stops_nor_changes_training(settings):
    """A caller who forbids implicit transfers between host and device, for their own JAX
    code, still trains: the engine's transfers are its own, not theirs."""
    expected, curve = _fit("numpy", **settings)
    with jax.transfer_guard("disallow"):
        got, jax_curve = _fit("jax", **settings)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    np.testing.assert_allclose(jax_curve, curve, rtol=1e-9)


def test_divergence_under_a_callers_transfer_guard_keeps_the_last_finite_weights():
    X, y = _data()
    kept = {}
    for backend in ("numpy", "jax"):
        net = ffnn.Network([4, 6, 1], ["relu", "linear"], "squared_error", random_state=0)
        trainer = Trainer(net, Settings(solver="sgd", backend=backend, learning_rate_init=1e3,
                                        max_iter=20), np.random.default_rng(0))
        with jax.transfer_guard("disallow"), pytest.raises(ffnn.DivergenceError) as caught:
            trainer.run(X * 1e3, y[:, None] * 1e3)
        kept[backend] = caught.value.epoch, net.params.copy()
    assert kept["jax"][0] == kept["numpy"][0]
    np.testing.assert_allclose(kept["jax"][1], kept["numpy"][1], rtol=1e-9)
