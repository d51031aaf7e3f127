"""The compiled engine (backend="jax") against the NumPy engine, combination by combination: every
solver and schedule, early stopping, sample and class weights, every kind of target, warm starts
after set_params (the backend itself among the changes), partial_fit, callbacks, divergence,
sparse and float32 inputs, copies and model files; and the rows a batch gathers, which int32
indices must reach."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import ffnn
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
