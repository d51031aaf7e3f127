"""The compiled engine where a caller's own code differs from what it is written for: JAX settings
made strict for code of their own (training moves θ and the rows between the host and the device
on purpose, as the NumPy engine trains whatever NumPy's error settings), and activations of their
own whose equality is not the library's. It trains exactly as the NumPy engine does."""

import copy
import warnings

import numpy as np
import pytest
from own_activations import DataclassTanh, EqualByName
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNRegressor, activations
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


def _trained(backend, activation):
    X, y = _data(n=40)
    net = ffnn.Network([4, 3, 1], [activation, "linear"], "squared_error", random_state=0)
    Trainer(net, Settings(solver="adam", backend=backend, max_iter=2, batch_size=16),
            np.random.default_rng(0)).run(X, y[:, None])
    return net.params.copy()


@pytest.mark.parametrize("activation", [DataclassTanh, EqualByName])
def test_an_activation_of_ones_own_trains_with_its_own_parameters_whatever_its_equality(
        activation):
    """The compiled functions are kept per architecture: an activation of one's own that is
    unhashable (a dataclass) trains as in NumPy, and one whose own equality calls activations
    with other parameters equal does not train with the function compiled for another's."""
    for a in (1.0, 3.0):
        np.testing.assert_allclose(_trained("jax", activation(a)),
                                   _trained("numpy", activation(a)), rtol=1e-9, atol=1e-12)


class _NumpyTanh(activations.Activation):
    """tanh written with NumPy's functions rather than the arrays' namespace."""

    def value(self, H, out=None):
        return np.tanh(H, out=out)

    def derivative(self, H, Z=None, out=None):
        return 1 - np.tanh(H) ** 2


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_an_activation_written_with_numpy_alone_is_refused_saying_what_to_change(solver):
    X, y = _data(n=20)
    net = ffnn.Network([4, 3, 1], [_NumpyTanh(), "linear"], "squared_error", random_state=0)
    trainer = Trainer(net, Settings(solver=solver, backend="jax", max_iter=2),
                      np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"uses NumPy's functions.*namespace\(H\).*'numpy'"):
        trainer.run(X, y[:, None])


class _SlottedTanh(DataclassTanh):
    """The same function, its parameter held in a slot rather than the instance's __dict__."""

    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a

    __eq__, __hash__ = activations.Activation.__eq__, activations.Activation.__hash__


def test_an_activation_whose_parameter_is_in_a_slot_trains_with_its_own_value():
    for a in (1.0, 3.0):
        np.testing.assert_allclose(_trained("jax", _SlottedTanh(a)),
                                   _trained("numpy", _SlottedTanh(a)), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("backend", ["numpy", "jax"])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_a_copy_taken_by_a_callback_goes_on_as_the_fit_does(backend, solver):
    """A model copied from a callback (a checkpoint) holds the update rule's state as that epoch
    left it, as pickle and deepcopy promise: partial_fit on the copy takes the epoch the fit
    takes next. The compiled engine keeps that state on its device during a run."""
    X, y = _data()
    kept = {}

    def keep(info):
        if info.epoch == 2:
            kept["copy"] = copy.deepcopy(model)

    model = FFNNRegressor(hidden_layer_sizes=(5,), random_state=0, max_iter=3, backend=backend,
                          solver=solver, learning_rate_init=0.05, batch_size=16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, callback=keep)
        resumed = kept["copy"].partial_fit(X, y)
    assert resumed.loss_curve_ == model.loss_curve_
    for got, expected in zip(resumed.coefs_ + resumed.intercepts_,
                             model.coefs_ + model.intercepts_):
        np.testing.assert_array_equal(got, expected)
