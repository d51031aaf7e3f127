"""The compiled engine (backend="jax") on JAX's CPU device: the same training as the NumPy engine,
gradients against jax.grad as an independent oracle, scikit-learn's estimator checks, and no
change to JAX's or the process's settings."""

import contextlib
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor, activations, losses
from ffnn.arrays import namespace
from ffnn.training import Settings, Trainer

jax = pytest.importorskip("jax")
jnp = jax.numpy
from ffnn.training import jax_device, jax_engine  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _data(loss, n=103, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    if loss == "cross_entropy":
        Y = np.eye(3)[rng.integers(0, 3, n)]
    elif loss == "log_loss":
        Y = rng.integers(0, 2, size=(n, 2)).astype(float)
    elif loss == "poisson":
        Y = rng.poisson(1.5, size=(n, 2)).astype(float)
    else:
        Y = np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])
    return X, Y, rng.uniform(0.5, 2.0, size=n)


OUTPUTS = {"squared_error": "linear", "log_loss": "sigmoid", "cross_entropy": "softmax",
           "poisson": "exp", "rss": "tanh"}


def _train(backend, solver, loss, dtype, weighted, epochs=5, weight_scale=1.0, **settings):
    X, Y, w = _data(loss)
    w = w * weight_scale
    net = ffnn.Network([4, 7, 5, Y.shape[1]], ["tanh", "relu", OUTPUTS[loss]], loss,
                       random_state=1, dtype=dtype)
    options = dict(batch_size=20, max_iter=epochs, alpha=0.01, learning_rate_init=0.05,
                   n_iter_no_change=100)
    options.update(settings)
    trainer = Trainer(net, Settings(solver=solver, backend=backend, **options),
                      np.random.default_rng(3))
    result = trainer.run(X.astype(dtype), Y.astype(dtype), w if weighted else None)
    return net.params.copy(), list(trainer.history.loss_curve), result


@pytest.mark.parametrize("solver", ["sgd", "adam", "gd", "lbfgs"])
@pytest.mark.parametrize("loss", ["squared_error", "log_loss", "cross_entropy", "poisson"])
@pytest.mark.parametrize("dtype, tolerance", [("float64", 1e-9), ("float32", 1e-4)])
def test_the_same_training_as_the_numpy_engine(solver, loss, dtype, tolerance):
    weighted = loss != "poisson"  # with and without sample weights
    expected, curve, result = _train("numpy", solver, loss, dtype, weighted)
    got, jax_curve, jax_result = _train("jax", solver, loss, dtype, weighted)
    assert np.abs(got - expected).max() <= tolerance * np.abs(expected).max()
    np.testing.assert_allclose(jax_curve, curve, rtol=tolerance)
    assert (jax_result.stopped, jax_result.epoch) == (result.stopped, result.epoch)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("scale", [1e37, 1e-40, 1e40])
def test_float32_trains_as_in_numpy_with_weights_whose_sum_or_size_float32_cannot_hold(
        solver, scale):
    """Each row's factor w_n · N/Σw is computed in float64 and only then rounded, as the NumPy
    engine does: a Σw above float32's range (1e37 · 103 rows) made every factor 0 and training a
    silent no-op; weights subnormal in float32 (1e-40) or above its range (1e40) diverged."""
    expected, curve, result = _train("numpy", solver, "squared_error", "float32", True,
                                     weight_scale=scale, alpha=0.0)
    got, jax_curve, jax_result = _train("jax", solver, "squared_error", "float32", True,
                                        weight_scale=scale, alpha=0.0)
    assert result.stopped == "max_iter" and curve[-1] < 0.9 * curve[0]  # NumPy trains
    assert np.abs(got - expected).max() <= 1e-4 * np.abs(expected).max()
    np.testing.assert_allclose(jax_curve, curve, rtol=1e-4)
    assert (jax_result.stopped, jax_result.epoch) == (result.stopped, result.epoch)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_large_products_compiled_for_cublas_train_the_same(monkeypatch, solver):
    """Batches large enough for cuBLAS-only kernels (every batch here, with the threshold at 1)
    are compiled separately; the training is the same."""
    net = ffnn.Network([4, 7, 5, 2], ["relu", "relu", "linear"], "rss")
    assert not jax_device.large(net, 20) and jax_device.large(net, 2**20)
    monkeypatch.setattr(jax_device, "LARGE_PRODUCT", 1)
    calls = []

    def only_cublas(compiled):
        def default(*args):
            raise AssertionError("compiled with XLA's default kernels")

        def cublas(*args):
            calls.append(1)
            return compiled[True](*args)
        return (default, cublas)

    for name in ("STEPS", "FULL_OBJECTIVE"):
        monkeypatch.setattr(jax_engine, name, only_cublas(getattr(jax_engine, name)))
    expected, curve, _ = _train("numpy", solver, "squared_error", "float64", True)
    got, jax_curve, _ = _train("jax", solver, "squared_error", "float64", True)
    assert np.abs(got - expected).max() <= 1e-9 * np.abs(expected).max()
    np.testing.assert_allclose(jax_curve, curve, rtol=1e-9)
    assert calls


def test_schedules_momentum_and_adam_state_carry_over_as_in_numpy():
    for settings in (dict(solver="sgd", learning_rate="invscaling", nesterovs_momentum=False),
                     dict(solver="sgd", learning_rate="adaptive", tol=10.0, n_iter_no_change=1),
                     dict(solver="adam", beta_1=0.8, beta_2=0.99, epsilon=1e-6)):
        solver = settings.pop("solver")
        expected, curve, _ = _train("numpy", solver, "squared_error", "float64", False, 8,
                                    **settings)
        got, jax_curve, _ = _train("jax", solver, "squared_error", "float64", False, 8,
                                   **settings)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(jax_curve, curve, rtol=1e-9)


def test_estimators_agree_across_backends_with_early_stopping_and_warm_starts():
    X, y = make_classification(n_samples=240, n_features=6, random_state=0)
    labels = np.array(["no", "yes"])[y]
    models = {}
    for backend in ("numpy", "jax"):
        seen = []
        model = FFNNClassifier(hidden_layer_sizes=(9,), early_stopping=True, max_iter=12,
                               random_state=0, batch_size=32, backend=backend, warm_start=True)
        model.fit(X, labels, callback=lambda info: seen.append(info.epoch))
        model.set_params(solver="sgd", learning_rate_init=0.05, early_stopping=False)
        model.fit(X, labels)
        model.partial_fit(X, labels)
        models[backend] = (model, seen)
    (ours, seen_numpy), (theirs, seen_jax) = models["jax"], models["numpy"]
    assert seen_numpy == seen_jax and ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)
    assert isinstance(ours.coefs_[0], np.ndarray)  # fitted parameters are NumPy arrays
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def _sgd(backend, **settings):
    """A [4, 8, 2] network and an sgd Trainer for it on the given backend."""
    net = ffnn.Network([4, 8, 2], ["relu", "linear"], "squared_error", random_state=0)
    settings = dict(dict(learning_rate_init=0.01, max_iter=10, batch_size=20), **settings)
    return net, Trainer(net, Settings(solver="sgd", backend=backend, **settings),
                        np.random.default_rng(0))


def test_divergence_is_caught_as_in_numpy():
    X, Y, _ = _data("squared_error")
    kept = {}
    for backend in ("numpy", "jax"):
        net, trainer = _sgd(backend, learning_rate_init=1e3, max_iter=20, batch_size="auto")
        with pytest.raises(ffnn.DivergenceError, match="diverged at epoch") as caught:
            trainer.run(X * 1e3, Y * 1e3)
        assert np.isfinite(net.params).all()
        kept[backend] = (caught.value.epoch, net.params.copy(), trainer.history.n_iter)
    assert kept["jax"][0] == kept["numpy"][0] and kept["jax"][2] == kept["numpy"][2]
    np.testing.assert_allclose(kept["jax"][1], kept["numpy"][1], rtol=1e-9)


def test_the_rows_that_pad_the_last_batch_add_nothing_even_where_a_row_overflows():
    """The last batch, smaller than the others, is padded to their size with rows of factor 0,
    which must add nothing, not even a NaN (0 · ∞): here the output of row 0 (of weight 0)
    overflows at the weights the last batch is taken at, but that batch is finite."""
    X = np.array([[0.0, 1.0]] + [[0.0, 0.0]] * 4)
    Y = np.array([[1.0]] + [[1e6]] * 4)
    w = np.array([0.0, 1.0, 1.0, 1.0, 1.0])
    trained = {}
    for backend in ("numpy", "jax"):
        net = ffnn.Network([2, 1], ["exp"], "poisson", init=None)
        # h = 700 x₂ + c: row 0's exp(h) overflows once c passes 9.78, as it does in batch 2
        net.layers[0].W[...], net.layers[0].c[...] = [[0.0, 700.0]], 9.0
        settings = Settings(solver="sgd", backend=backend, momentum=0.0, batch_size=2,
                            shuffle=False, max_iter=1, alpha=0.0, learning_rate_init=1e-6)
        Trainer(net, settings, np.random.default_rng(0)).run(X, Y, w)
        trained[backend] = net.params.copy()
    np.testing.assert_allclose(trained["jax"], trained["numpy"], rtol=1e-9)


def test_a_squared_error_batch_that_overflows_is_infinite_as_in_numpy_not_nan():
    """The rows that pad the last batch copy its first row with factor 0; where that row's
    squared residual overflows, the batch's loss is ∞, as in NumPy, not 0 · ∞ = NaN: the
    divergence is reported, and a scored run's loss curve ends, with the same number."""
    X = np.array([[0.0, 0.0]] * 4 + [[0.0, 10.0]])
    Y = np.zeros((5, 1))
    errors = {}
    for backend in ("numpy", "jax"):
        net = ffnn.Network([2, 1], ["linear"], "squared_error", init=None)
        net.layers[0].W[...] = [[0.0, 1e308]]  # row 4, alone in the last batch, overflows
        settings = Settings(solver="sgd", backend=backend, batch_size=2, shuffle=False,
                            max_iter=1, learning_rate_init=1e-300)
        with pytest.raises(ffnn.DivergenceError) as caught:
            Trainer(net, settings, np.random.default_rng(0)).run(X, Y)
        errors[backend] = str(caught.value)
    assert "the loss became inf" in errors["numpy"]
    assert errors["jax"] == errors["numpy"]


@pytest.mark.parametrize("weighted", [False, True])
def test_a_row_of_weight_0_adds_nothing_to_the_squared_error_even_where_it_overflows(weighted):
    """As for every loss (`Loss.total`): a row of weight 0 whose residual overflows adds
    nothing to the squared error's total, in NumPy and in JAX, rather than make it NaN."""
    Y = np.zeros((1, 3))
    Yhat = np.array([[1.0, np.inf, 2.0]])
    w = np.array([2.0, 0.0, 1.0]) if weighted else np.array([1.0, 0.0, 1.0])
    for loss in (losses.SquaredError(), losses.RSS()):
        expected = loss.total(Y[:, [0, 2]], Yhat[:, [0, 2]], w[[0, 2]])
        with np.errstate(invalid="ignore"):  # as in training
            assert loss.total(Y, Yhat, w) == pytest.approx(expected, rel=1e-15)
        with jax.enable_x64(True):
            total = loss.total(jnp.asarray(Y), jnp.asarray(Yhat), jnp.asarray(w))
            assert float(total) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("dtype, h", [("float64", -800.0), ("float32", -110.0)])
def test_a_poisson_output_that_underflows_diverges_as_in_numpy(dtype, h):
    """The Poisson loss takes log ŷ of ŷ = exp(h) as computed: when exp(h) underflows to 0 for
    a target y > 0 the loss is infinite in both engines, although XLA could rewrite
    log(exp(h)) as h and find it finite."""
    X, Y = np.array([[1.0], [0.0]], dtype), np.array([[1.0], [2.0]], dtype)
    errors = {}
    for backend in ("numpy", "jax"):
        net = ffnn.Network([1, 1], ["exp"], "poisson", init=None, dtype=dtype)
        net.layers[0].W[...] = h  # row 0's exp(h) is 0
        trainer = Trainer(net, Settings(solver="sgd", backend=backend, max_iter=2, alpha=0.0),
                          np.random.default_rng(0))
        with pytest.raises(ffnn.DivergenceError) as caught:
            trainer.run(X, Y)
        errors[backend] = str(caught.value)
    assert errors["jax"] == errors["numpy"]


def test_the_poisson_loss_far_below_the_count_is_numpy_s():
    """Below ŷ = y/2 the loss is y log(ŷ/y) in both engines (NumPy fills it in place, JAX
    selects it), not y log1p((ŷ − y)/y), which rounds to −inf for ŷ < y ε/2."""
    import jax.numpy as jnp

    h = np.array([[-5.0, -18.0, -30.0, -0.2, 3.0, -2.0]], np.float32)
    Y = np.array([[1.0, 1.0, 5.0, 3.0, 2.0, 0.0]], np.float32)
    Yhat = np.exp(h)
    numpy = losses.Poisson().pointwise(Y, Yhat)
    compiled = np.asarray(losses.Poisson().pointwise(jnp.asarray(Y), jnp.asarray(Yhat)))
    np.testing.assert_allclose(compiled, numpy, rtol=1e-6)
    assert np.isfinite(numpy).all() and numpy[0, 1] == pytest.approx(17.0, rel=1e-6)


def _blow_up_at(epoch, net, factor):
    """A callback that multiplies θ by `factor` at the end of `epoch` (the next epoch starts from
    it, on the device as on the host)."""
    def callback(info):
        if info.epoch == epoch:
            net.params[...] *= factor
    return callback


@pytest.mark.parametrize("early_stopping", [False, True])
def test_the_device_keeps_the_weights_the_trainer_goes_back_to(early_stopping):
    """θ stays on the device between epochs for the trainer's questions (finite? the best
    epoch's copy, the θ an epoch started from): the weights it goes back to after divergence,
    after a callback changed θ, are the NumPy engine's."""
    X, Y, _ = _data("squared_error")
    kept = {}
    for backend in ("numpy", "jax"):
        net, trainer = _sgd(backend)
        validation = ffnn.training.Validation(
            X, Y, None, score=lambda model: -ffnn.training.mean_loss(model, X, Y, None),
            early_stopping=early_stopping)
        callback = _blow_up_at(3, net, 1e200)  # θ·1e200: the next epoch's loss overflows
        if early_stopping:
            result = trainer.run(X, Y, validation=validation, callback=callback)
            assert result.stopped == "diverged" and "weights of epoch 3" in result.message
        else:
            with pytest.raises(ffnn.DivergenceError, match="at epoch 4"):
                trainer.run(X, Y, validation=validation, callback=callback)
        kept[backend] = net.params.copy(), trainer.history.best_params.copy()
    np.testing.assert_allclose(kept["jax"][0], kept["numpy"][0], rtol=1e-9)
    np.testing.assert_allclose(kept["jax"][1], kept["numpy"][1], rtol=1e-9)
    # with early stopping, the best epoch's weights; without, epoch 3's as the callback left them
    assert np.abs(kept["jax"][0]).max() > 1e100 if not early_stopping else \
        np.abs(kept["jax"][0]).max() < 1e3


def test_an_interrupted_run_keeps_the_best_weights_as_numpy_does():
    X, Y, _ = _data("squared_error")
    kept = {}
    for backend in ("numpy", "jax"):
        net, trainer = _sgd(backend)
        losses, fourth = [], []

        def callback(info):
            losses.append(info.loss)
            if info.epoch == 4:  # the best epoch; epoch 5 starts from worse weights
                fourth.append(net.params.copy())
                net.params[...] *= 2.0
            if info.epoch == 5:
                raise KeyboardInterrupt

        assert trainer.run(X, Y, callback=callback).stopped == "interrupted"
        assert np.argmin(losses) == 3
        np.testing.assert_array_equal(net.params, fourth[0])
        kept[backend] = losses
    np.testing.assert_allclose(kept["jax"], kept["numpy"], rtol=1e-9)


@pytest.mark.parametrize("hidden", ["relu", "sigmoid", "linear", "tanh", "leaky_relu",
                                    activations.LeakyReLU(-0.5)], ids=repr)
@pytest.mark.parametrize("loss", sorted(OUTPUTS))
def test_the_engines_gradient_is_jax_grads(hidden, loss):
    """The engine's J and ∇J (the chapter's backward pass) against jax.grad of the same J,
    written here directly from the formulas."""
    X, Y, w = _data(loss, n=9)
    net = ffnn.Network([4, 6, Y.shape[1]], [hidden, OUTPUTS[loss]], loss, random_state=2)
    f = activations.get(hidden)
    slope = getattr(f, "slope", None)
    n, alpha, sum_w = 9, 0.3, float(w.sum())

    def layer(h, name):
        return {"relu": lambda: jnp.maximum(h, 0), "sigmoid": lambda: jax.nn.sigmoid(h),
                "linear": lambda: h, "tanh": lambda: jnp.tanh(h), "exp": lambda: jnp.exp(h),
                "softmax": lambda: jax.nn.softmax(h, axis=1),
                "leaky_relu": lambda: jnp.where(h > 0, h, slope * h)}[name]()

    def J(theta):
        W1 = theta[:24].reshape(4, 6).T  # each W column-major, as `params` lays it out
        W2 = theta[24:24 + 6 * Y.shape[1]].reshape(6, Y.shape[1]).T
        c1, c2 = theta[net.n_weights:net.n_weights + 6], theta[net.n_weights + 6:]
        P = layer(layer(X @ W1.T + c1, f.name) @ W2.T + c2, OUTPUTS[loss])
        if loss in ("log_loss", "cross_entropy"):
            P = jnp.clip(P, np.finfo(float).eps, 1 - np.finfo(float).eps)
        per_row = {
            "squared_error": lambda: 0.5 * ((Y - P) ** 2).sum(1),
            "rss": lambda: ((Y - P) ** 2).sum(1),
            "log_loss": lambda: -(Y * jnp.log(P) + (1 - Y) * jnp.log(1 - P)).sum(1),
            "cross_entropy": lambda: -(Y * jnp.log(P)).sum(1),
            "poisson": lambda: (jax.scipy.special.xlogy(Y, Y) - jax.scipy.special.xlogy(Y, P)
                                - Y + P).sum(1)}[loss]()
        return (w @ per_row + 0.5 * alpha * theta[:net.n_weights] @ theta[:net.n_weights]) / sum_w

    with jax.enable_x64(True):
        theta = jnp.asarray(net.params)
        factors = jnp.asarray(w * (n / sum_w) / n)
        value, grad = jax_engine.objective(net, theta, jnp.asarray(X), jnp.asarray(Y), factors,
                                           alpha / sum_w)
        np.testing.assert_allclose(float(value), float(J(theta)), rtol=1e-12)
        np.testing.assert_allclose(np.asarray(grad), np.asarray(jax.grad(J)(theta)),
                                   rtol=1e-9, atol=1e-12)


class _Scaled(activations.Activation):
    """f(h) = a·h;  f'(h) = a: an activation with a parameter of its own."""

    name = "scaled"

    def __init__(self, a):
        self.a = a

    def value(self, H, out=None):
        return namespace(H).multiply(H, self.a, out=out)

    def derivative(self, H, Z=None, out=None):
        return namespace(H).fill(H, self.a, out=out)


class _ScaledSquares(losses.SquaredError):
    """(f/2)(y − ŷ)² per output, for a factor f of its own."""

    def __init__(self, factor):
        self.factor = factor


@pytest.mark.parametrize("parameter", ["activation", "loss"])
def test_activations_and_losses_with_parameters_of_their_own_train_as_in_numpy(parameter):
    """The compiled functions are kept per architecture: two activations (or losses) of one
    type with different parameters make different architectures, not one compiled function."""
    X, Y, _ = _data("squared_error", n=40)
    for value in (1.0, 3.0):
        f, loss = (_Scaled(value), "squared_error") if parameter == "activation" else \
            ("tanh", _ScaledSquares(value))
        trained = {}
        for backend in ("numpy", "jax"):
            net = ffnn.Network([4, 3, 2], [f, "linear"], loss, random_state=0)
            Trainer(net, Settings(solver="adam", backend=backend, max_iter=2, batch_size=16),
                    np.random.default_rng(0)).run(X, Y)
            trained[backend] = net.params.copy()
        np.testing.assert_allclose(trained["jax"], trained["numpy"], rtol=1e-9, atol=1e-12)



class _PerUnit(_Scaled):
    """f(h) = a·h with a slope a per unit: a parameter that is an array (D_ℓ × 1)."""

    def derivative(self, H, Z=None, out=None):
        xp = namespace(H)
        return xp.multiply(xp.fill(H, 1.0, out=out), self.a, out=out)


def test_an_activation_whose_parameter_is_an_array_trains_with_the_compiled_engine():
    """A per-unit slope is an array, which cannot be hashed: the compiled engine's key of the
    architecture failed with 'unhashable type'; arrays of other values must still make other
    architectures."""
    X, Y, _ = _data("squared_error", n=40)
    for slopes in ([[1.0], [2.0], [3.0]], [[3.0], [3.0], [3.0]]):
        trained = {}
        for backend in ("numpy", "jax"):
            net = ffnn.Network([4, 3, 2], [_PerUnit(np.array(slopes)), "linear"],
                               "squared_error", random_state=0)
            Trainer(net, Settings(solver="adam", backend=backend, max_iter=2, batch_size=16),
                    np.random.default_rng(0)).run(X, Y)
            trained[backend] = net.params.copy()
        np.testing.assert_allclose(trained["jax"], trained["numpy"], rtol=1e-9, atol=1e-12)
    assert _PerUnit(np.ones(3)) == _PerUnit(np.ones(3)) != _PerUnit(np.zeros(3))
    assert hash(_PerUnit(np.ones(3))) == hash(_PerUnit(np.ones(3)))


@pytest.mark.parametrize("change", ["assigned", "in place"])
def test_an_activation_changed_between_fits_trains_with_its_new_parameters(change):
    """The compiled functions are kept per architecture, activations' parameters included: a
    parameter changed after a fit (a new slope, or the slopes' array written in place) must
    train with its new value, as the NumPy engine does, not with the compiled function of
    the old one."""
    X, Y, _ = _data("squared_error", n=40)
    f = _PerUnit(np.array([[1.0], [2.0], [3.0]]))
    for step in range(2):
        if step == 1 and change == "in place":
            f.a[...] = 5.0
        elif step == 1:
            f.a = 5.0
        trained = {}
        for backend in ("numpy", "jax"):
            net = ffnn.Network([4, 3, 2], [f, "linear"], "squared_error", random_state=0)
            Trainer(net, Settings(solver="adam", backend=backend, max_iter=2, batch_size=16),
                    np.random.default_rng(0)).run(X, Y)
            trained[backend] = net.params.copy()
        np.testing.assert_allclose(trained["jax"], trained["numpy"], rtol=1e-9, atol=1e-12)

def test_partitions_are_refused_by_the_compiled_engine():
    X, Y, _ = _data("squared_error", n=40)
    net = ffnn.Network([4, 3, 2], ["tanh", "linear"], "squared_error", random_state=0)
    with pytest.raises(ValueError, match="apply to backend='numpy' only"):
        Trainer(net, Settings(solver="adam", backend="jax", partitions=(20, 20)),
                np.random.default_rng(0)).run(X, Y)


def test_data_larger_than_the_device_is_sent_a_block_at_a_time(monkeypatch):
    X, Y, w = _data("squared_error", n=150)
    results = []
    for free in (None, 8000):  # 8000 bytes: blocks of 4 batches of 16 rows of 56 bytes
        monkeypatch.setattr(jax_device, "free_bytes", lambda device, free=free: free)
        net = ffnn.Network([4, 3, 2], ["tanh", "linear"], "squared_error", random_state=0)
        trainer = Trainer(net, Settings(solver="adam", backend="jax", batch_size=16, max_iter=4),
                          np.random.default_rng(0))
        trainer.run(X, Y, w)
        results.append((net.params.copy(), trainer.history.loss_curve))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-12)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-12)
    monkeypatch.setattr(jax_device, "free_bytes", lambda device: 1000)
    net = ffnn.Network([4, 3, 2], ["tanh", "linear"], "squared_error", random_state=0)
    with pytest.raises(ValueError, match="device memory.*lower batch_size"):
        Trainer(net, Settings(solver="adam", backend="jax", batch_size=16),
                np.random.default_rng(0)).run(X, Y)
    # gd and L-BFGS take every row at once, whatever batch_size says: they say so (L-BFGS
    # went on to XLA's out-of-memory error)
    for solver, fix in (("gd", "solver='sgd' or 'adam' and a batch_size"),
                        ("lbfgs", "solver='sgd' or 'adam', which send the rows a block")):
        net = ffnn.Network([4, 3, 2], ["tanh", "linear"], "squared_error", random_state=0)
        with pytest.raises(ValueError, match=f"150 rows at once.*device memory.*{fix}"):
            Trainer(net, Settings(solver=solver, backend="jax"),
                    np.random.default_rng(0)).run(X, Y)


def test_sparse_data_sent_a_block_at_a_time_is_made_dense_a_block_at_a_time(monkeypatch):
    """Sparse rows larger than the device stay sparse on the host and are made dense as each
    block is sent: made dense all at once, they may not fit in the host's memory either, where
    the NumPy engine trains on them as they are."""
    X, Y, w = _data("squared_error", n=150)
    X = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    made_dense = []  # the rows of each array made dense
    dense = jax_device.dense
    monkeypatch.setattr(jax_device, "dense", lambda A: made_dense.append(A.shape[0]) or dense(A))
    results = []
    for backend, free in (("numpy", None), ("jax", 8000)):  # blocks of 4 batches of 16 rows,
        # as in the test above (whose compiled epoch this one then reuses)
        monkeypatch.setattr(jax_device, "free_bytes", lambda device, free=free: free)
        net = ffnn.Network([4, 3, 2], ["tanh", "linear"], "squared_error", random_state=0)
        Trainer(net, Settings(solver="adam", backend=backend, batch_size=16, max_iter=4),
                np.random.default_rng(0)).run(X, Y, w)
        results.append(net.params.copy())
    assert made_dense and max(made_dense) == 64
    np.testing.assert_allclose(results[1], results[0], rtol=1e-12)


def test_settings_of_jax_and_the_process_are_left_as_they_were():
    X, y = make_classification(n_samples=60, random_state=0)
    before = (jax.config.jax_enable_x64, jax.config.jax_default_matmul_precision)
    FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, backend="jax").fit(X, y)
    FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, backend="jax", precision="tf32").fit(
        X.astype(np.float32), y)
    assert (jax.config.jax_enable_x64, jax.config.jax_default_matmul_precision) == before
    code = "import sys, ffnn; ffnn.FFNNRegressor; print('jax' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True).stdout.strip() == "False"


def test_the_first_fit_leaves_numpys_global_random_state_as_the_numpy_engine_does():
    """Importing JAX draws from NumPy's global RandomState (JAX 0.10's k8s_cluster module, at
    import): in a fresh process, after np.random.seed, the first fit with backend="jax" and
    random_state=None, which seeds itself from that state, drew other initial weights than
    backend="numpy", and every draw of the caller's after it came out different."""
    code = ("import json, sys, warnings; import numpy as np; from ffnn import FFNNRegressor\n"
            "warnings.simplefilter('ignore'); np.random.seed(0)\n"
            "model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, backend=sys.argv[1])\n"
            "model.fit(np.eye(4), np.arange(4.0))\n"
            "print(json.dumps([np.random.randint(10**9), model.coefs_[0].tolist()]))")
    runs = {backend: json.loads(subprocess.run(
        [sys.executable, "-c", code, backend], capture_output=True, text=True,
        check=True).stdout) for backend in ("numpy", "jax")}
    assert runs["jax"][0] == runs["numpy"][0]
    np.testing.assert_allclose(runs["jax"][1], runs["numpy"][1], rtol=1e-9)


def test_jax_settings_of_the_callers_own_do_not_change_training():
    """The engine runs under JAX settings of its own, as the NumPy engine runs under an
    np.errstate of its own: a caller's stricter promotion rules or NaN and inf checks neither
    make it fail where the NumPy engine trains nor turn divergence into another error."""
    def strict():
        stack = contextlib.ExitStack()
        for setting in (jax.numpy_rank_promotion("raise"), jax.numpy_dtype_promotion("strict"),
                        jax.debug_nans(True), jax.debug_infs(True)):
            stack.enter_context(setting)
        return stack

    for dtype, tolerance in (("float64", 1e-9), ("float32", 1e-4)):
        expected, curve, _ = _train("numpy", "adam", "cross_entropy", dtype, True, epochs=2)
        with strict():
            got, jax_curve, _ = _train("jax", "adam", "cross_entropy", dtype, True, epochs=2)
        np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance)
        np.testing.assert_allclose(jax_curve, curve, rtol=tolerance)
    X, Y, _ = _data("squared_error")
    net, trainer = _sgd("jax")
    with strict(), pytest.raises(ffnn.DivergenceError, match="at epoch 3"):
        trainer.run(X, Y, callback=_blow_up_at(2, net, 1e200))


@pytest.mark.parametrize("solver", ["sgd", "adam", "gd", "lbfgs"])
def test_float32_trains_in_float32_where_the_caller_has_switched_x64_on(solver):
    """Many JAX users switch x64 on for their whole process: float32 training stays float32
    there, step for step the training it is without x64 (a float64 scalar or array entering a
    formula would make JAX promote the step to float64, as x64 mode allows)."""
    runs = []
    for x64 in (False, True):
        with jax.enable_x64(x64):
            runs.append(_train("jax", solver, "cross_entropy", "float32", True, epochs=3))
    (params, curve, _), (params_x64, curve_x64, _) = runs
    assert params_x64.dtype == np.float32
    np.testing.assert_array_equal(params_x64, params)
    assert curve_x64 == curve


def test_float64_training_leaves_x64_off_for_the_callers_other_threads():
    """x64 mode is switched on for the engine's own calls, in the thread that trains: a thread
    of the caller's that computes with JAX meanwhile keeps JAX's float32 defaults."""
    import threading

    seen, done = set(), threading.Event()

    def watch():
        while not done.is_set():
            seen.add((str(jnp.ones(1).dtype), bool(jax.config.jax_enable_x64)))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for solver in ("adam", "lbfgs"):
            _train("jax", solver, "squared_error", "float64", True, epochs=3)
    finally:
        done.set()
        watcher.join()
    assert seen == {("float32", False)}


def test_without_jax_fit_fails_before_it_changes_the_estimator(monkeypatch):
    """A fit that cannot train leaves no model behind: predict says the estimator is not fitted
    rather than predict from initial weights."""
    monkeypatch.setitem(sys.modules, "ffnn.training.jax_engine", None)  # as if JAX were missing
    monkeypatch.delattr(ffnn.training, "jax_engine")
    X, y = make_classification(n_samples=30, random_state=0)
    for solver in ("adam", "lbfgs"):
        model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, solver=solver, backend="jax")
        with pytest.raises(ImportError, match="backend='jax' needs JAX"):
            model.fit(X, y)
        with pytest.raises(NotFittedError):
            model.predict(X)


def test_float32_stays_float32_and_sparse_input_trains():
    import scipy.sparse as sp

    X, y = make_classification(n_samples=80, n_features=5, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(6,), max_iter=3, backend="jax", random_state=0)
    model.fit(X.astype(np.float32), y)
    assert all(c.dtype == np.float32 for c in model.coefs_)
    dense = FFNNRegressor(hidden_layer_sizes=(6,), max_iter=3, backend="jax", random_state=0)
    sparse = FFNNRegressor(hidden_layer_sizes=(6,), max_iter=3, backend="jax", random_state=0)
    dense.fit(X, y)
    sparse.fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.coefs_[0], dense.coefs_[0], rtol=1e-12)


def test_the_parameters_are_checked():
    X, y = make_classification(n_samples=30, random_state=0)
    with pytest.raises(ValueError, match="backend must be one of numpy, jax"):
        FFNNClassifier(backend="torch").fit(X, y)
    with pytest.raises(ValueError, match="precision must be one of highest, tf32"):
        FFNNClassifier(precision="bf16").fit(X, y)


@pytest.mark.slow
@parametrize_with_checks([FFNNRegressor(backend="jax", max_iter=20),
                          FFNNClassifier(backend="jax", max_iter=20),
                          FFNNRegressor(backend="jax", solver="lbfgs", max_iter=20)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_a_row_of_weight_zero_is_as_if_absent_even_where_its_prediction_overflows(solver):
    """As in the NumPy engine: an outlier set aside with sample weight 0, for which exp(h)
    overflows, changes nothing (0 · ∞ made the compiled gradient NaN, a DivergenceError)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 1))
    y = rng.poisson(np.exp(0.5 * X[:, 0])).astype(float)
    X[0, 0], weights = 3000.0, np.r_[0.0, np.ones(59)]
    fits = [FFNNRegressor(hidden_layer_sizes=(3,), loss="poisson", solver=solver, max_iter=5,
                          shuffle=False, random_state=0, backend="jax").fit(
                              X_, y_, sample_weight=w_)
            for X_, y_, w_ in ((X, y, weights), (X[1:], y[1:], weights[1:]))]
    assert fits[0].loss_ == pytest.approx(fits[1].loss_, rel=1e-12)
    np.testing.assert_allclose(fits[0].predict(X[1:]), fits[1].predict(X[1:]), rtol=1e-12)
