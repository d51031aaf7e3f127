"""The compiled engine (backend="jax") against the NumPy engine, combination by combination: every
solver and schedule, early stopping, sample and class weights, every kind of target, warm starts
after set_params (the backend itself among the changes), partial_fit, callbacks, divergence,
sparse and float32 inputs, copies and model files; and the rows a batch gathers, which int32
indices must reach."""

import copy
import io
import pickle
import threading
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor
from ffnn.training import Settings, Trainer

jax = pytest.importorskip("jax")
from ffnn.training import jax_device  # noqa: E402

TOLERANCE = {np.float64: 1e-9, np.float32: 2e-4}


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _data(n=37, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    targets = {"regression": np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]]),
               "binary": (np.sin(X[:, 0]) > 0).astype(int),
               "multiclass": np.array(["a", "b", "c"])[rng.integers(0, 3, n)],
               "multilabel": rng.integers(0, 2, size=(n, 3))}
    weights = rng.uniform(0.0, 2.0, n)
    weights[:5] = 0.0
    return X, targets, weights


# -- the rows a batch gathers --------------------------------------------------------------------

def test_rows_beyond_int32_are_sent_a_block_at_a_time_whose_indices_reach_them():
    """A batch gathers its rows by int32 indices (JAX's integers outside x64 mode): an index past
    2³¹ − 1 wrapped to a negative one, which JAX counts from the end, so that more rows than that
    trained on other rows than the epoch's order drew, without a word. Such data is sent a block
    of batches at a time, each indexed from 0."""
    limit = np.iinfo(np.int32).max
    assert jax_device.block_rows(1000, 16, 56, None) == 1000
    assert jax_device.block_rows(150, 16, 56, 8000) == 64  # half of 8000 bytes: 4 batches
    rows = jax_device.block_rows(2**31 + 5, 200, 12, None)
    assert rows % 200 == 0 and limit - 200 < rows <= limit
    with pytest.raises(ValueError, match=r"2147483648 rows.*int32.*smaller batch_size"):
        jax_device.block_rows(2**31, 2**31, 12, None)


def test_a_limit_of_indexed_rows_trains_in_blocks_as_numpy_does(monkeypatch):
    X, targets, w = _data(n=103)
    Y = targets["regression"]
    monkeypatch.setattr(jax_device, "MAX_INDEXED_ROWS", 40)  # blocks of 2 batches of 20 rows
    sent = []
    dense = jax_device.dense
    monkeypatch.setattr(jax_device, "dense", lambda A: sent.append(A.shape[0]) or dense(A))
    results = {}
    for backend in ("numpy", "jax"):
        net = ffnn.Network([4, 5, 2], ["tanh", "linear"], "squared_error", random_state=0)
        trainer = Trainer(net, Settings(solver="adam", backend=backend, batch_size=20,
                                        max_iter=3), np.random.default_rng(0))
        trainer.run(X, Y, w)
        results[backend] = net.params.copy(), trainer.history.loss_curve
    assert sent and max(sent) == 40
    np.testing.assert_allclose(results["jax"][0], results["numpy"][0], rtol=1e-9)
    np.testing.assert_allclose(results["jax"][1], results["numpy"][1], rtol=1e-9)
    net = ffnn.Network([4, 5, 2], ["tanh", "linear"], "squared_error", random_state=0)
    with pytest.raises(ValueError, match="103 rows.*solver='sgd' or 'adam'"):
        Trainer(net, Settings(solver="gd", backend="jax"), np.random.default_rng(0)).run(X, Y)


# -- estimators, combination by combination ------------------------------------------------------

def _summary(model):
    """What a fit leaves that both engines must agree on: the parameters (NumPy arrays), the
    curves and the counts."""
    for array in model.coefs_ + model.intercepts_:
        assert type(array) is np.ndarray
    return dict(params=np.concatenate([a.ravel() for a in model.coefs_ + model.intercepts_]),
                dtype=model.coefs_[0].dtype, loss_curve=list(model.loss_curve_),
                validation_scores=model.validation_scores_, n_iter=model.n_iter_, t=model.t_,
                stop_reason=model.stop_reason_, best_loss=model.best_loss_)


def _assert_same(got, expected, tolerance):
    assert (got["dtype"], got["n_iter"], got["t"], got["stop_reason"]) == \
        (expected["dtype"], expected["n_iter"], expected["t"], expected["stop_reason"])
    scale = np.abs(expected["params"]).max()
    assert np.abs(got["params"] - expected["params"]).max() <= tolerance * scale
    np.testing.assert_allclose(got["loss_curve"], expected["loss_curve"], rtol=tolerance)
    if expected["validation_scores"] is None:
        assert got["validation_scores"] is None
    else:
        np.testing.assert_allclose(got["validation_scores"], expected["validation_scores"],
                                   rtol=tolerance)
    if expected["best_loss"] is None:
        assert got["best_loss"] is None
    else:
        np.testing.assert_allclose(got["best_loss"], expected["best_loss"], rtol=tolerance)


def _both(train, dtype=np.float64):
    """train(backend) for each engine, whose summaries must agree to the dtype's tolerance."""
    expected, got = _summary(train("numpy")), _summary(train("jax"))
    _assert_same(got, expected, TOLERANCE[dtype])
    return got


SOLVERS = {"gd": dict(solver="gd", learning_rate_init=0.1),
           "sgd": dict(solver="sgd", momentum=0.0),
           "momentum": dict(solver="sgd", nesterovs_momentum=False),
           "nesterov": dict(solver="sgd"),
           "adam": dict(solver="adam"),
           "lbfgs": dict(solver="lbfgs")}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver, schedule", [
    (solver, "constant") for solver in SOLVERS] + [
    (solver, schedule) for solver in ("sgd", "nesterov", "gd", "adam")
    for schedule in ("invscaling", "adaptive")])
def test_every_solver_and_schedule_trains_as_numpy_does(solver, schedule, dtype):
    X, targets, w = _data()
    settings = dict(SOLVERS[solver], learning_rate=schedule, hidden_layer_sizes=(5,),
                    random_state=0, max_iter=8, batch_size=10, alpha=0.01)
    if schedule == "adaptive":  # every epoch fails to improve by tol: the rate falls
        settings.update(tol=10.0, n_iter_no_change=1)
    _both(lambda backend: FFNNRegressor(backend=backend, **settings).fit(
        X.astype(dtype), targets["regression"], sample_weight=w), dtype)


@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_classifiers_with_early_stopping_and_weights_train_as_numpy_does(target, solver):
    """Early stopping on held-out rows (scores, n_iter_no_change, tol, the best epoch's weights
    kept), class and sample weights, a last batch shorter than the others."""
    X, targets, w = _data(n=61)
    settings = dict(SOLVERS[solver], hidden_layer_sizes=(4,), random_state=1, max_iter=15,
                    batch_size=7, learning_rate_init=0.05, early_stopping=True,
                    validation_fraction=0.25, n_iter_no_change=2, tol=1e-3, alpha=0.1)
    if target != "multilabel":
        settings["class_weight"] = "balanced"
    _both(lambda backend: FFNNClassifier(backend=backend, **settings).fit(
        X, targets[target], sample_weight=w))


@pytest.mark.parametrize("case", ["sparse", "batch larger than n", "unshuffled", "float32 X",
                                  "zero weights", "no hidden layer"])
def test_inputs_and_batches_train_as_numpy_does(case):
    X, targets, w = _data()
    y, settings = targets["regression"], dict(hidden_layer_sizes=(4, 3), random_state=0,
                                              max_iter=4, batch_size=8, solver="sgd")
    dtype = np.float32 if case == "float32 X" else np.float64
    if case == "sparse":
        X = sp.csr_matrix(np.where(np.abs(X) > 0.7, X, 0.0))
    elif case == "batch larger than n":  # clipped to n, with scikit-learn's warning
        settings["batch_size"] = 100
        warnings.filterwarnings("ignore", "Got `batch_size`", UserWarning)
    elif case == "unshuffled":
        settings["shuffle"] = False
    elif case == "float32 X":
        X = X.astype(np.float32)
    elif case == "zero weights":  # whole batches of weight 0
        w = np.r_[np.zeros(24), np.ones(13)]
        settings["shuffle"] = False
    elif case == "no hidden layer":
        settings["hidden_layer_sizes"] = ()
    got = _both(lambda backend: FFNNRegressor(backend=backend, **settings).fit(
        X, y, sample_weight=w), dtype)
    assert got["dtype"] == dtype


def _other(backend):
    return "numpy" if backend == "jax" else "jax"


@pytest.mark.parametrize("change", [dict(solver="sgd"), dict(solver="lbfgs"),
                                    dict(learning_rate_init=0.05, alpha=0.5),
                                    dict(early_stopping=True), dict(backend="other")])
def test_a_warm_start_after_set_params_trains_as_numpy_does(change):
    """The second fit continues the first one's weights with the new parameters; changing the
    backend itself between the two trains the same as either engine alone."""
    X, targets, w = _data()

    def train(backend):
        model = FFNNRegressor(backend=backend, hidden_layer_sizes=(5,), random_state=0,
                              max_iter=4, batch_size=10, warm_start=True)
        model.fit(X, targets["regression"], sample_weight=w)
        model.set_params(**{key: _other(backend) if value == "other" else value
                            for key, value in change.items()})
        return model.fit(X, targets["regression"], sample_weight=w)

    got = _both(train)
    assert len(got["loss_curve"]) == 4 + got["n_iter"]


@pytest.mark.parametrize("solver", ["sgd", "adam", "gd"])
def test_partial_fit_in_chunks_switching_backend_trains_as_numpy_does(solver):
    """The update rule's state and schedule carry from one partial_fit to the next, whichever
    engine ran the last one (the compiled engine brings its state home at the end of a run)."""
    X, targets, _ = _data()

    def train(backend):
        model = FFNNClassifier(backend=backend, solver=solver, hidden_layer_sizes=(5,),
                               random_state=0, batch_size=8, learning_rate="invscaling",
                               learning_rate_init=0.1)
        for k, start in enumerate((0, 12, 24, 0)):  # chunks of one size: one compilation
            rows = slice(start, start + 12)
            model.set_params(backend=backend if k % 2 == 0 else _other(backend))
            model.partial_fit(X[rows], targets["multiclass"][rows], classes=["a", "b", "c"])
        return model

    got = _both(train)
    assert got["n_iter"] == 1 and got["t"] == 4 * 12


def test_a_callback_sees_what_it_sees_with_numpy_and_an_interrupt_keeps_the_best_weights():
    X, targets, _ = _data()
    warnings.filterwarnings("ignore", "Training interrupted", UserWarning)
    seen = {}

    def train(backend):
        seen[backend] = []
        model = FFNNClassifier(backend=backend, hidden_layer_sizes=(5,), random_state=0,
                               max_iter=20, batch_size=10, early_stopping=True,
                               learning_rate_init=0.02)

        def callback(info):
            seen[backend].append((info.epoch, info.loss, info.validation_score,
                                  info.learning_rate, info.samples_seen, model.n_iter_,
                                  model.coefs_[0].copy(), list(model.loss_curve_)))
            if info.epoch == 5:
                raise KeyboardInterrupt

        model.fit(X, targets["multiclass"], callback=callback)
        assert model.interrupted_ == 6 and model.stop_reason_ == "interrupted"
        return model

    _both(train)
    assert len(seen["jax"]) == len(seen["numpy"]) == 5
    for got, expected in zip(seen["jax"], seen["numpy"]):
        assert got[0] == expected[0] and got[4:6] == expected[4:6]
        np.testing.assert_allclose(got[1:4], expected[1:4], rtol=1e-9)
        np.testing.assert_allclose(got[6], expected[6], rtol=1e-9)
        np.testing.assert_allclose(got[7], expected[7], rtol=1e-9)


@pytest.mark.parametrize("solver, early_stopping", [("sgd", False), ("sgd", True),
                                                    ("gd", False), ("gd", True)])
def test_divergence_is_caught_in_the_same_epoch_with_the_same_weights_kept(solver,
                                                                          early_stopping):
    X, targets, _ = _data()
    errors = {}

    def train(backend):
        model = FFNNRegressor(backend=backend, solver=solver, hidden_layer_sizes=(4,),
                              random_state=0, max_iter=30, learning_rate_init=0.5,
                              early_stopping=early_stopping)
        try:
            model.fit(X * 30, targets["regression"] * 30)
        except ffnn.DivergenceError as error:
            errors[backend] = (error.epoch, str(error))
        return model

    got = _both(train)
    if early_stopping:  # the best-scoring epoch's weights, and no error
        assert not errors and got["stop_reason"] == "diverged"
    else:
        assert errors["jax"] == errors["numpy"]
        assert "diverged" in errors["jax"][1]


def test_float32_then_float64_rows_warm_start_in_the_first_fits_dtype():
    X, targets, _ = _data()

    def train(backend):
        model = FFNNRegressor(backend=backend, hidden_layer_sizes=(5,), random_state=0,
                              max_iter=3, batch_size=10, warm_start=True)
        model.fit(X.astype(np.float32), targets["regression"])
        return model.fit(X, targets["regression"])

    assert _both(train, np.float32)["dtype"] == np.float32


def test_copies_clones_and_model_files_of_a_jax_model_are_the_numpy_models(tmp_path):
    """A copy taken mid-fit trains on as the fit does; a clone trains afresh alike; a model file
    of a model trained with JAX predicts and trains on as one trained with NumPy."""
    X, targets, _ = _data()
    y = targets["multiclass"]
    warnings.filterwarnings("ignore", "this FFNNClassifier was loaded", UserWarning)

    def train(backend):
        kept = []
        model = FFNNClassifier(backend=backend, hidden_layer_sizes=(5,), random_state=0,
                               max_iter=4, batch_size=10)
        model.fit(X, y, callback=lambda info: kept.append(pickle.dumps(model))
                  if info.epoch == 2 else None)
        copy_ = pickle.loads(kept[0])
        copy_.partial_fit(X, y)
        copy_.partial_fit(X, y)
        clone(model).fit(X, y)
        path = tmp_path / f"{backend}.safetensors"
        ffnn.save(model, path)
        loaded = ffnn.load(path)
        np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
        return copy_, model, loaded.set_params(warm_start=True).fit(X, y)

    results = {}
    for backend in ("numpy", "jax"):
        results[backend] = [_summary(model) for model in train(backend)]
    for got, expected in zip(results["jax"], results["numpy"]):
        _assert_same(got, expected, 1e-9)
    copy_, model, _ = results["jax"]
    np.testing.assert_array_equal(copy_["params"], model["params"])  # bit for bit


def test_verbose_prints_what_numpy_prints():
    X, targets, _ = _data()
    printed = {}
    for backend in ("numpy", "jax"):
        with redirect_stdout(io.StringIO()) as out:
            FFNNClassifier(backend=backend, hidden_layer_sizes=(5,), random_state=0,
                           max_iter=12, batch_size=10, early_stopping=True, verbose=True,
                           solver="sgd", learning_rate="adaptive", n_iter_no_change=1,
                           tol=0.5).fit(X, targets["multiclass"])
        printed[backend] = out.getvalue()
    assert "Setting learning rate to 0.000200" in printed["numpy"]
    assert printed["jax"] == printed["numpy"]


def test_two_fits_at_once_in_two_threads_train_as_alone_and_leave_x64_off():
    """A float64 fit and a float32 fit in two threads at once: each trains as it does alone, and
    neither the other thread nor the caller ever sees JAX's x64 mode on."""
    X, targets, _ = _data(n=60)
    y = targets["regression"]

    def train(dtype, solver):
        return FFNNRegressor(backend="jax", solver=solver, hidden_layer_sizes=(8,),
                             random_state=0, max_iter=6, batch_size=10).fit(X.astype(dtype), y)

    keys = [(np.float64, "adam"), (np.float32, "adam"), (np.float64, "lbfgs")]
    alone = {key: train(*key).coefs_[0] for key in keys}
    together, seen, done = {}, set(), threading.Event()

    def run(key):
        together[key] = train(*key).coefs_[0]

    def watch():
        while not done.wait(0.0005):
            seen.add((jax.config.jax_enable_x64, jax.numpy.zeros(1).dtype.name))

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()
    for key in keys:
        assert together[key].dtype == key[0]
        np.testing.assert_array_equal(together[key], alone[key])
    assert seen == {(False, "float32")}
    assert not jax.config.jax_enable_x64 and jax.numpy.zeros(1).dtype == np.float32


@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_a_copy_taken_mid_fit_with_early_stopping_goes_back_to_the_best_epoch_so_far(backend):
    """A copy taken from a callback (a checkpoint) of a fit that stops early holds the best
    epoch's weights so far, which its own warm start goes back to where no epoch of its own
    scores better: it went back to the weights the fit had started from, the initial ones."""
    X, targets, _ = _data(n=120)
    y, weights, kept = targets["regression"][:, 0], {}, {}

    def callback(info):
        weights[info.epoch] = model.coefs_[0].copy()
        if info.epoch == 6:
            kept["copy"] = copy.deepcopy(model)

    model = FFNNRegressor(backend=backend, hidden_layer_sizes=(8,), random_state=0, max_iter=8,
                          early_stopping=True, learning_rate_init=0.01)
    model.fit(X, y, callback=callback)
    checkpoint = kept["copy"]
    best = int(np.argmax(checkpoint.validation_scores_)) + 1
    assert best == 6  # (the scores still rise at epoch 6)
    checkpoint.set_params(warm_start=True, max_iter=1, learning_rate_init=5.0)
    checkpoint.fit(X, y)  # an epoch that scores far worse
    assert checkpoint.validation_scores_[-1] < checkpoint.best_validation_score_ - 1
    np.testing.assert_array_equal(checkpoint.coefs_[0], weights[best])
