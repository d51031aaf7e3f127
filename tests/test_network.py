"""The network: finite-difference gradient checks, a hand-worked example, shapes, dtypes, errors."""

import itertools
import pickle
import re
import warnings
import zlib

import numpy as np
import pytest

import ffnn
import ffnn.chapter
from ffnn import activations, losses
from ffnn.network import Network
from ffnn.workspace import Unbuffered

HIDDEN = ["relu", "sigmoid", "linear", "tanh", "leaky_relu"]


def _allowed_output_pairs():
    """Every (output activation, loss) that Network accepts."""
    pairs = []
    for f, loss in itertools.product(sorted(activations.ACTIVATIONS), sorted(losses.LOSSES)):
        try:
            ffnn.Network([2, 3], [f], loss)
        except ValueError:
            continue
        pairs.append((f, loss))
    return pairs


OUTPUT_PAIRS = _allowed_output_pairs()


def _targets(loss, rng, N, D_y):
    if loss == "log_loss":
        return rng.integers(0, 2, size=(N, D_y)).astype(float)
    if loss == "cross_entropy":
        return np.eye(D_y)[rng.integers(0, D_y, size=N)]
    if loss == "poisson":
        return rng.poisson(1.5, size=(N, D_y)).astype(float)
    return rng.normal(size=(N, D_y))


def _pre_activations(net, X):
    Z, H = X.T, []
    for layer in net.layers:
        H.append(layer.W @ Z + layer.c[:, None])
        Z = layer.activation.value(H[-1])
    return H


def _network_away_from_kinks(sizes, acts, loss, rng, X):
    """A random network whose pre-activations all keep a margin from ReLU's kink at 0."""
    for seed in range(200):
        net = ffnn.Network(sizes, acts, loss, random_state=seed)
        for layer in net.layers:
            layer.c = rng.normal(scale=0.5, size=layer.c.shape)
        if all(np.abs(H).min() > 1e-3 for H in _pre_activations(net, X)):
            return net
    raise AssertionError("no network away from the kinks found")


def _numeric_gradient(net, X, Y, eps=1e-6):
    g = np.zeros_like(net.params)
    for k in range(net.params.size):
        saved = net.params[k]
        net.params[k] = saved + eps
        up = net.loss(X, Y).sum()
        net.params[k] = saved - eps
        down = net.loss(X, Y).sum()
        net.params[k] = saved
        g[k] = (up - down) / (2 * eps)
    return g


def _flat(grads):
    """The gradients laid out as `params`: each dW column-major, then each dc."""
    return np.concatenate([dW.ravel(order="F") for dW, _ in grads] + [dc for _, dc in grads])


CASES = [
    (hidden, f, loss, D_y)
    for hidden in HIDDEN
    for f, loss in OUTPUT_PAIRS
    for D_y in (1, 3)
    if not (f == "softmax" and D_y == 1)
]


def test_every_allowed_output_pair_is_covered():
    assert ("linear", "rss") in OUTPUT_PAIRS and ("sigmoid", "log_loss") in OUTPUT_PAIRS
    assert ("softmax", "cross_entropy") in OUTPUT_PAIRS and ("sigmoid", "rss") in OUTPUT_PAIRS
    assert ("softmax", "rss") not in OUTPUT_PAIRS and ("linear", "log_loss") not in OUTPUT_PAIRS


@pytest.mark.parametrize("hidden, output, loss, D_y", CASES)
def test_gradients_match_central_differences(hidden, output, loss, D_y):
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{output}-{loss}-{D_y}".encode()))
    N, D_x = 5, 3
    X = rng.normal(size=(N, D_x))
    Y = _targets(loss, rng, N, D_y)
    sizes = [D_x, 4, 3, D_y]
    net = _network_away_from_kinks(sizes, [hidden, hidden, output], loss, rng, X)
    analytic = _flat(net.gradients(X, Y))
    numeric = _numeric_gradient(net, X, Y)
    error = np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic + numeric), 1e-12)
    assert error < 1e-7


@pytest.mark.parametrize("seed", range(6))
def test_batched_gradients_are_the_sum_of_per_observation_gradients(seed):
    rng = np.random.default_rng(seed)
    hidden = rng.choice(HIDDEN, size=rng.integers(1, 4)).tolist()
    output, loss = OUTPUT_PAIRS[seed * 2 % len(OUTPUT_PAIRS)]
    D_y = 3 if output == "softmax" else int(rng.integers(1, 4))
    D_x = int(rng.integers(1, 5))
    sizes = [D_x] + rng.integers(1, 7, size=len(hidden)).tolist() + [D_y]
    net = ffnn.Network(sizes, hidden + [output], loss, random_state=seed)
    N = int(rng.integers(1, 30))
    X = rng.normal(size=(N, D_x))
    Y = _targets(loss, rng, N, D_y)
    for (dW, dc), (rW, rc) in zip(net.gradients(X, Y), ffnn.reference.gradients(net, X, Y)):
        np.testing.assert_allclose(dW, rW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dc, rc, rtol=1e-10, atol=1e-12)


def test_relu_at_exactly_zero_passes_no_gradient():
    """The chapter's convention f'(0) = 0, in the training path: the |x| network at x = 0 has
    h^(1) = (0, 0), so no gradient reaches W^(1) or c^(1). (With f'(0) = 1 it would: ∇h^(1) =
    ∇h^(2) W^(2) = −2 (1, 1).)"""
    net = ffnn.chapter.abs_network()
    (dW1, dc1), (dW2, dc2) = net.gradients([[0.0]], [[1.0]])
    np.testing.assert_array_equal(dW1, [[0.0], [0.0]])
    np.testing.assert_array_equal(dc1, [0.0, 0.0])
    np.testing.assert_array_equal(dc2, [-2.0])  # ŷ = 0, ∂L/∂ŷ = −2 (1 − 0)
    np.testing.assert_array_equal(dW2, [[0.0, 0.0]])  # z^(1) = (0, 0)


def test_hand_worked_example():
    # x = (1, 2), two ReLU hidden neurons, one linear output, RSS, y = 1.
    net = ffnn.Network([2, 2, 1], ["relu", "linear"], "rss")
    net.layers[0].W = [[1.0, -1.0], [0.5, 2.0]]
    net.layers[0].c = [0.0, -1.0]
    net.layers[1].W = [[2.0, -1.0]]
    net.layers[1].c = [0.5]
    x, y = np.array([[1.0, 2.0]]), np.array([[1.0]])
    # h1 = (1 − 2 + 0, 0.5 + 4 − 1) = (−1, 3.5);  z1 = (0, 3.5)
    # h2 = 2·0 − 1·3.5 + 0.5 = −3 = ŷ;  L = (1 − (−3))² = 16
    assert net.forward(x)[0, 0] == -3.0
    assert net.loss(x, y)[0] == 16.0
    # ∂L/∂ŷ = −2(y − ŷ) = −8 = ∇h2;  ∂L/∂W2 = ∇h2 z1ᵀ = (0, −28);  ∂L/∂c2 = −8
    # ∇h1 = ∇h2 W2 diag(f'(h1)) = −8 (2, −1) diag(0, 1) = (0, 8);  ∂L/∂W1 = ∇h1ᵀ xᵀ
    (dW1, dc1), (dW2, dc2) = net.gradients(x, y)
    np.testing.assert_array_equal(dW2, [[0.0, -28.0]])
    np.testing.assert_array_equal(dc2, [-8.0])
    np.testing.assert_array_equal(dW1, [[0.0, 0.0], [8.0, 16.0]])
    np.testing.assert_array_equal(dc1, [0.0, 8.0])


def test_public_surface_and_shapes():
    net = ffnn.Network([4, 8, 8, 2], activations=["relu", "relu", "linear"], loss="rss",
                       random_state=0)
    assert net.layers[0].W.shape == (8, 4) and net.layers[0].c.shape == (8,)
    assert net.layers[2].W.shape == (2, 8)
    X = np.ones((5, 4))
    assert net.forward(X).shape == (5, 2)
    assert net.loss(X, np.zeros((5, 2))).shape == (2,)
    grads = net.gradients(X, np.zeros((5, 2)))
    assert [(dW.shape, dc.shape) for dW, dc in grads] == [
        ((8, 4), (8,)), ((8, 8), (8,)), ((2, 8), (2,))]
    # W and c are writable views into the flat parameter vector.
    net.layers[1].W[0, 0] = 7.0
    assert net.params[4 * 8] == 7.0
    net.layers[1].c = np.arange(8.0)
    np.testing.assert_array_equal(net.layers[1].c, np.arange(8.0))


def test_single_observation_feature_and_output():
    net = ffnn.Network([1, 1], ["linear"], "rss", random_state=0)
    assert net.forward([[2.0]]).shape == (1, 1)
    assert net.loss([[2.0]], [1.0]).shape == (1,)
    (dW, dc), = net.gradients([[2.0]], [[1.0]])
    assert dW.shape == (1, 1) and dc.shape == (1,)


def test_float32_stays_float32():
    net = ffnn.Network([3, 5, 2], ["tanh", "sigmoid"], "log_loss", random_state=0, dtype="float32")
    X = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    Y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=np.float32)
    assert net.params.dtype == np.float32 and net.layers[0].W.dtype == np.float32
    assert net.forward(X).dtype == np.float32
    assert net.loss(X, Y).dtype == np.float32
    assert all(dW.dtype == np.float32 and dc.dtype == np.float32 for dW, dc in net.gradients(X, Y))
    ws = net.workspace(4)
    assert all(A.dtype == np.float32 for A in ws.Z + [ws.dH, ws.scratch, ws.ones] + [
        dF for dF in ws.dF if dF is not None])
    big = np.random.default_rng(1).normal(size=(20_000, 3)).astype(np.float32)
    assert net.predict_rows(big).dtype == np.float32  # in chunks of chunk_rows()
    # float64 input to a float32 network is computed in float32, as float32 input is.
    X64 = X.astype(np.float64) + 1e-9
    np.testing.assert_array_equal(net.forward(X64), net.forward(X64.astype(np.float32)))
    np.testing.assert_array_equal(net.loss(X64, Y), net.loss(X64.astype(np.float32), Y))
    for (a, b), (c, d) in zip(net.gradients(X64, Y), net.gradients(X64.astype(np.float32), Y)):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_weighted_batches_through_a_paired_output():
    """With a sigmoid + log loss output (∇H^(L) = ŷ − y directly), the weights multiply each
    observation's gradient: the batched gradient is Σ_n w_n × the per-observation one."""
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(9, 3)), rng.integers(0, 2, size=(9, 2)).astype(float)
    w = rng.uniform(0.2, 3.0, size=9)
    for output, loss in (("sigmoid", "log_loss"), ("softmax", "cross_entropy")):
        Yl = Y if loss == "log_loss" else np.eye(2)[Y[:, 0].astype(int)]
        net = ffnn.Network([3, 4, 2], ["tanh", output], loss, random_state=1)
        total = net.loss_and_gradient(X, Yl, net.workspace(9), w)
        expected = sum(w[n] * _flat(ffnn.reference.gradients(net, X[n:n + 1], Yl[n:n + 1]))
                       for n in range(9))
        np.testing.assert_allclose(net.grad[:net.n_weights], expected[:net.n_weights], rtol=1e-10)
        np.testing.assert_allclose(net.grad, expected, rtol=1e-10)
        assert total == pytest.approx(float(w @ net.loss_function.pointwise(
            Yl.T, net.forward(X).T).sum(axis=0)), rel=1e-12)


def test_repr_copy_and_pickle():
    import pickle

    net = ffnn.Network([3, 5, 2], ["tanh", "softmax"], "cross_entropy", random_state=0,
                       dtype="float32")
    assert repr(net) == ("Network([3, 5, 2], [tanh, softmax], 'cross_entropy', "
                         "dtype='float32')")
    for twin in (net.copy(), pickle.loads(pickle.dumps(net))):
        assert repr(twin) == repr(net) and twin.params is not net.params
        np.testing.assert_array_equal(twin.params, net.params)
        twin.layers[0].W[0, 0] = 42.0  # the layers are still views of the flat vector
        assert twin.params[0] == 42.0 and net.params[0] != 42.0
    assert repr(net.layers[0]) == "Dense(3 -> 5, tanh)"
    glorot = ffnn.Network([300, 200, 1], ["relu", "linear"], "rss", random_state=0,
                          init="glorot")
    he = ffnn.Network([300, 200, 1], ["relu", "linear"], "rss", random_state=0)
    assert np.abs(glorot.layers[0].W).max() <= np.sqrt(6 / 500) < np.abs(he.layers[0].W).max()
    assert not np.any(ffnn.Network([3, 2], ["relu"], "rss", init=None).params)


def test_same_random_state_same_weights_and_initialisation_scales():
    a = ffnn.Network([50, 400, 400, 1], ["relu", "tanh", "linear"], "rss", random_state=3)
    b = ffnn.Network([50, 400, 400, 1], ["relu", "tanh", "linear"], "rss", random_state=3)
    np.testing.assert_array_equal(a.params, b.params)
    # He for the ReLU layer: variance 2 / fan_in; Glorot uniform: variance 2 / (fan_in + fan_out).
    assert np.var(a.layers[0].W) == pytest.approx(2 / 50, rel=0.05)
    assert np.var(a.layers[1].W) == pytest.approx(2 / 800, rel=0.05)
    assert np.all(a.layers[0].c == 0)


def test_sparse_input_matches_dense():
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 5)) * (rng.uniform(size=(6, 5)) < 0.4)
    Y = rng.normal(size=(6, 1))
    net = ffnn.Network([5, 4, 1], ["relu", "linear"], "rss", random_state=0)
    ws = net.workspace(6)
    dense = net.loss_and_gradient(X, Y, ws)
    g_dense = net.grad.copy()
    net.grad[...] = np.nan  # every entry written again by the sparse pass
    sparse = net.loss_and_gradient(sp.csr_matrix(X), Y, ws)
    assert sparse == pytest.approx(dense)
    np.testing.assert_allclose(net.grad, g_dense)


class TestErrors:
    def test_unknown_names(self):
        with pytest.raises(ValueError, match="valid names are.*leaky_relu.*relu.*sigmoid"):
            ffnn.Network([2, 3, 1], ["relu", "swish"], "rss")
        with pytest.raises(ValueError, match="valid names are.*cross_entropy.*log_loss.*rss"):
            ffnn.Network([2, 3, 1], ["relu", "linear"], "mae")

    def test_layer_sizes(self):
        with pytest.raises(ValueError, match="at least the input and output sizes"):
            ffnn.Network([3], [], "rss")
        with pytest.raises(ValueError, match="positive integers"):
            ffnn.Network([3, 0, 1], ["relu", "linear"], "rss")
        with pytest.raises(ValueError, match="positive integers"):
            ffnn.Network([3, 2.5, 1], ["relu", "linear"], "rss")

    def test_activation_list_length(self):
        with pytest.raises(ValueError, match="got 1 activations for 2 layers"):
            ffnn.Network([3, 4, 1], ["linear"], "rss")
        with pytest.raises(ValueError, match="one entry per layer"):
            ffnn.Network([3, 4, 1], "relu", "rss")

    def test_softmax_in_hidden_layer(self):
        with pytest.raises(ValueError, match="softmax is only allowed in the output layer.*layer 1"):
            ffnn.Network([3, 4, 2], ["softmax", "softmax"], "cross_entropy")

    def test_loss_must_fit_output(self):
        with pytest.raises(ValueError, match="log_loss loss needs a sigmoid output.*is linear"):
            ffnn.Network([3, 4, 1], ["relu", "linear"], "log_loss")
        with pytest.raises(ValueError, match="cross_entropy loss needs a softmax output"):
            ffnn.Network([3, 4, 2], ["relu", "sigmoid"], "cross_entropy")
        with pytest.raises(ValueError, match="softmax output layer needs the cross_entropy"):
            ffnn.Network([3, 4, 2], ["relu", "softmax"], "rss")
        with pytest.raises(ValueError, match="at least 2 neurons"):
            ffnn.Network([3, 4, 1], ["relu", "softmax"], "cross_entropy")

    def test_dtype(self):
        with pytest.raises(ValueError, match="float32' or 'float64"):
            ffnn.Network([3, 1], ["linear"], "rss", dtype="int32")

    def test_bad_X_and_Y(self):
        net = ffnn.Network([3, 2], ["linear"], "rss")
        with pytest.raises(ValueError, match="X has 2 features per sample, but the network expects 3"):
            net.forward(np.ones((4, 2)))
        with pytest.raises(ValueError, match="X must be 2-D"):
            net.forward(np.ones(3))
        with pytest.raises(ValueError, match="X contains NaN in 1 row"):
            net.forward([[1.0, np.nan, 0.0]])
        with pytest.raises(ValueError, match="X contains infinity"):
            net.gradients([[1.0, np.inf, 0.0]], [[0.0, 0.0]])
        with pytest.raises(ValueError, match="Y must have shape \\(1, 2\\)"):
            net.loss(np.ones((1, 3)), np.ones((1, 3)))
        with pytest.raises(ValueError, match="X has 2 samples but Y has 3"):
            net.gradients(np.ones((2, 3)), np.ones((3, 2)))
        with pytest.raises(ValueError, match="Y contains NaN"):
            net.gradients(np.ones((1, 3)), [[np.nan, 0.0]])
        with pytest.raises(ValueError, match="must hold numbers"):
            net.forward([["a", "b", "c"]])

    def test_weight_assignment_shape(self):
        net = ffnn.Network([3, 2], ["linear"], "rss")
        with pytest.raises(ValueError, match="W must have shape \\(2, 3\\)"):
            net.layers[0].W = np.ones((3, 2))


@pytest.mark.parametrize("widest, rows", [
    (5, 8192),  # 2**18 / 5, at most 8192
    (64, 4096),  # 2**18 / 64: 2 MiB of float64 per buffer
    (128, 2048),
    (1000, 2048),  # wide layers keep 2,048 rows, up to 2**22 entries
    (4096, 1024),  # 2**22 / 4096
    (100_000, 256),  # never fewer than 256 rows
])
def test_chunks_fit_a_cache_and_bound_memory(widest, rows):
    net = ffnn.Network([3, widest, 2], ["tanh", "linear"], "rss", init=None)
    assert net.chunk_rows() == rows
    assert net.workspace(10**6).N == rows and net.workspace(7).N == 7


def test_large_batches_are_done_in_chunks_with_the_same_result(monkeypatch):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(23, 4)), rng.normal(size=(23, 2))
    net = ffnn.Network([4, 6, 5, 2], ["tanh", "relu", "linear"], "rss", random_state=0)
    whole = net.workspace(23)
    expected_loss = net.loss_and_gradient(X, Y, whole)
    expected = net.grad.copy()
    unchunked = net.predict_rows(X)
    monkeypatch.setattr(ffnn.Network, "chunk_rows", lambda self: 5)
    chunked = net.workspace(23)
    assert chunked.N == 5
    assert net.loss_and_gradient(X, Y, chunked) == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(net.grad, expected, rtol=1e-12)
    w = rng.uniform(0.5, 2.0, size=23)
    expected_weighted = net.loss_and_gradient(X, Y, whole, w), net.grad.copy()
    assert net.loss_and_gradient(X, Y, chunked, w) == pytest.approx(expected_weighted[0],
                                                                   rel=1e-12)
    np.testing.assert_allclose(net.grad, expected_weighted[1], rtol=1e-12)
    np.testing.assert_allclose(net.predict_rows(X), unchunked, rtol=1e-12)
    for N in (1, 4, 5):  # batches no larger than a chunk use the first rows of the buffers
        net.loss_and_gradient(X[:N], Y[:N], chunked)
        g = net.grad.copy()
        net.loss_and_gradient(X[:N], Y[:N], net.workspace(N))
        np.testing.assert_allclose(g, net.grad, rtol=1e-12)


# -- exact gradients beyond the usual cases: any leaky slope, soft targets -------------------


def _check_gradients(net, X, Y):
    """The batched gradients equal central differences and the per-observation reference."""
    analytic = _flat(net.gradients(X, Y))
    numeric = _numeric_gradient(net, X, Y)
    assert np.linalg.norm(analytic - numeric) / np.linalg.norm(numeric) < 1e-7
    np.testing.assert_allclose(analytic, _flat(ffnn.reference.gradients(net, X, Y)),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("slope", [-1.0, -0.5, 0.0, 0.3, 2.0])
def test_leaky_relu_of_any_slope_has_exact_gradients(slope):
    rng = np.random.default_rng(int(100 * (slope + 2)))
    X, Y = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    f = activations.LeakyReLU(slope)
    net = _network_away_from_kinks([3, 5, 4, 2], [f, f, "linear"], "squared_error", rng, X)
    _check_gradients(net, X, Y)


def test_leaky_relu_with_a_negative_slope_is_its_formula():
    f = activations.LeakyReLU(-1.0)  # slope −1: f(h) = |h|, f'(h) = sign(h) away from 0
    H = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(f.value(H), np.abs(H))
    np.testing.assert_array_equal(f.derivative(H, f.value(H)), [[-1, -1, -1, 1, 1]])
    Z, dF = H.copy(), np.empty_like(H)
    f.value_and_derivative(Z, Z, dF)  # in place, as training runs it
    np.testing.assert_array_equal(Z, np.abs(H))
    np.testing.assert_array_equal(dF, [[-1, -1, -1, 1, 1]])


@pytest.mark.parametrize("row_sums", ["one", "1.5", "mixed", "smoothed"])
def test_softmax_cross_entropy_is_exact_for_soft_targets(row_sums):
    rng = np.random.default_rng(len(row_sums))
    N, K = 6, 4
    X = rng.normal(size=(N, 3))
    Y = rng.uniform(size=(N, K))
    scale = {"one": np.ones(N), "1.5": np.full(N, 1.5), "mixed": rng.uniform(0.2, 3.0, N),
             "smoothed": np.ones(N)}[row_sums]
    Y = Y / Y.sum(axis=1, keepdims=True) * scale[:, None]
    if row_sums == "smoothed":  # label smoothing of one-hot labels
        Y = 0.9 * np.eye(K)[rng.integers(0, K, N)] + 0.1 / K
    net = _network_away_from_kinks([3, 5, K], ["tanh", "softmax"], "cross_entropy", rng, X)
    _check_gradients(net, X, Y)


@pytest.mark.parametrize("output, loss", [("sigmoid", "log_loss"), ("exp", "poisson")])
def test_paired_outputs_are_exact_for_soft_targets(output, loss):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 3))
    Y = rng.uniform(0.01, 0.99, size=(6, 2)) * (1 if loss == "log_loss" else 4)
    net = _network_away_from_kinks([3, 5, 2], ["tanh", output], loss, rng, X)
    _check_gradients(net, X, Y)


@pytest.mark.parametrize("hidden, output, loss", [(["tanh", "relu"], "linear", "squared_error"),
                                                  (["sigmoid", "linear"], "softmax",
                                                   "cross_entropy")])
def test_passes_on_layers_of_a_parameter_vector_without_buffers_are_the_buffered_passes(
        hidden, output, loss):
    """What the compiled engine runs (layers made of θ's slices, or of given (W, c), and no
    workspace buffers) gives the buffered engine's loss and gradient, on NumPy arrays too."""
    rng = np.random.default_rng(4)
    net = Network([3, 5, 4, 3], hidden + [output], loss, random_state=2)
    X = rng.normal(size=(7, 3))
    Y = np.eye(3)[rng.integers(0, 3, 7)] if loss == "cross_entropy" else rng.normal(size=(7, 3))
    w = rng.uniform(0.5, 2.0, 7)
    theta = rng.normal(size=net.params.shape)  # not the network's own parameters
    twin = Network([3, 5, 4, 3], hidden + [output], loss, init=None)
    twin.params[...] = theta
    expected = twin.loss_and_gradient(X, Y, twin.workspace(7), w), twin.grad.copy()
    layers = net.layers_of(theta)
    for layer, mine in zip(layers, twin.layers):
        np.testing.assert_array_equal(layer.W, mine.W)
        np.testing.assert_array_equal(layer.c, mine.c)
        assert layer.activation.name == mine.activation.name and layer.dW is None
    ws = Unbuffered(net.derivatives_kept(), np.ones(7))
    assert ws.N == 7 and not ws.in_place
    total, grads = net.batch_loss_and_gradients(X, Y, ws, w, layers)
    flat = _flat(grads)
    assert total == pytest.approx(expected[0], rel=1e-13)
    np.testing.assert_allclose(flat, expected[1], rtol=1e-12, atol=1e-15)
    pairs = [(layer.W.copy(), layer.c.copy()) for layer in layers]
    before = net.params.copy()
    again = net.batch_loss_and_gradients(X, Y, Unbuffered(net.derivatives_kept(), np.ones(7)), w,
                                         net.layers_with(pairs))
    assert again[0] == total
    np.testing.assert_array_equal(before, net.params)  # nothing written into the network


@pytest.mark.parametrize("sparse", [False, True])
def test_a_nan_input_is_named_as_such_not_as_an_overflow(sparse):
    """Inputs not checked before (scikit-learn's assume_finite=True): a NaN is said to be one,
    with its count and first row, dense or sparse."""
    import scipy.sparse as sp

    net = Network([3, 2, 2], ["tanh", "linear"], "squared_error", random_state=0)
    X = np.random.default_rng(0).normal(size=(40, 3))
    X[7, 1] = X[9, 2] = np.nan
    with pytest.raises(ValueError, match=r"^the input X holds NaN in 2 of 40 rows \(first: "
                                         r"row 7\); predictions need finite inputs$"):
        net.predict_finite(sp.csr_matrix(X) if sparse else X, "-")


def test_an_overflowing_prediction_names_its_rows():
    net = Network([2, 3, 1], ["relu", "linear"], "squared_error", random_state=0)
    net.params[...] = 1.0
    X = np.array([[1.0, 1.0], [1e308, 1e308], [2.0, 0.0], [-1e308, 1e308], [1e308, 0.0]])
    with pytest.raises(ValueError, match=r"overflowed for 2 of 5 rows \(first: row 1\): "
                                         r"scale them"):
        net.predict_finite(X, "scale them")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the overflow itself is reported once, as the error
        with pytest.raises(ValueError, match="overflowed for 2 of 5"):
            net.predict_finite(X, "scale them")
    np.testing.assert_array_equal(net.predict_finite(X[[0, 2, 3]], "-"), [[10.0], [10.0], [4.0]])
    with pytest.raises(ValueError, match="the inputs or weights are too large for float64; "
                                         "scale the inputs, or check the weights"):
        net.forward(X)


@pytest.mark.parametrize("where, bad, said", [("c", np.nan, "c of layer 2 holds NaN"),
                                              ("c", -np.inf, "c of layer 2 holds infinity"),
                                              ("W", np.inf, "W of layer 1 holds infinity"),
                                              ("W", np.nan, "W of layer 1 holds NaN")])
def test_non_finite_weights_are_named_as_such_not_as_an_overflow(where, bad, said):
    """Weights a user set to NaN or infinity make every output non-finite: the error says which
    layer's parameters are not finite, not that the inputs were too large."""
    net = Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    if where == "c":
        net.layers[1].c = bad
    else:
        net.layers[0].W[:, 0] = bad  # every hidden unit, so that the output is not finite
    X, Y = [[1.0, 2.0], [0.0, 1.0]], [[0.0], [1.0]]
    message = (rf"^the network's parameters are not finite: {said}; set them to finite numbers "
               r"\(or draw new ones: Network.initialize\(\), an estimator's fit\)$")
    for call in (lambda: net.forward(X), lambda: net.loss(X, Y), lambda: net.gradients(X, Y)):
        with pytest.raises(ValueError, match=message):
            call()


def test_loss_and_gradients_refuse_an_overflowing_output_as_forward_does():
    """An output that overflows is an error in `loss` and `gradients` too, never an inf or NaN
    returned with only NumPy's warning."""
    net = Network([1, 2, 1], ["relu", "linear"], "rss", init=None)
    net.layers[0].W, net.layers[1].W = [[1e300], [1e300]], [[1e10, -1e10]]
    X, Y = [[1e10], [1e-300]], [[0.0], [0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"overflowed for 1 of 2 rows \(first: row 0\)"):
            net.loss(X, Y)
        with pytest.raises(ValueError, match=r"overflowed for 1 of 2 rows \(first: row 0\)"):
            net.gradients(X, Y)
    np.testing.assert_array_equal(net.loss(X[1:], Y[1:]), [0.0])


@pytest.mark.parametrize("output, loss, Y", [
    ("exp", "poisson", [[2.0], [-1.0]]),
    ("sigmoid", "log_loss", [[0.5], [1.5]]),
    ("sigmoid", "log_loss", [[0.5], [-0.5]]),
    ("softmax", "cross_entropy", [[0.5, 0.5], [-1.0, 2.0]]),
])
def test_loss_and_gradients_refuse_targets_outside_the_loss_domain(output, loss, Y):
    """Half the Poisson deviance of y = −1 came out as 710, and log loss and cross-entropy of
    targets outside [0, 1] or below 0 as numbers that can be negative: none is a loss."""
    net = Network([1, len(Y[0])], [output], loss, random_state=0)
    X = [[0.3], [0.7]]
    for method in (net.loss, net.gradients):
        with pytest.raises(ValueError, match=rf"the {loss} loss needs targets in .*row 1"):
            method(X, Y)
    Y_ok = np.clip(Y, 0, 1)
    assert np.isfinite(net.loss(X, Y_ok)).all()


@pytest.mark.parametrize("output, loss, Y, rows", [
    ("exp", "poisson", [[-1.0]], "1 row(s) (first: row 0)"),  # a single target is checked
    ("exp", "poisson", [[0.0], [-1.0], [0.0]], "1 row(s) (first: row 1)"),
    ("sigmoid", "log_loss", [[1.0], [0.0], [1.5]], "1 row(s) (first: row 2)"),
])
def test_targets_on_the_bounds_of_a_loss_s_range_are_in_it(output, loss, Y, rows):
    """y = 0 of a Poisson loss, and 0 and 1 of log loss, are targets (counted as such in the
    refusal of the others); one target alone is checked as many are."""
    net = Network([1, 1], [output], loss, random_state=0)
    X = np.linspace(0.1, 0.9, len(Y)).reshape(-1, 1)
    with pytest.raises(ValueError, match=re.escape(rows)):
        net.loss(X, Y)
    Y_in = np.clip(Y, 0, 1)
    assert np.isfinite(net.loss(X, Y_in)).all()


def test_a_network_pickled_when_each_w_was_row_major_unpickles_to_the_same_weights():
    """Each W is now laid out column-major in `params` (so that scikit-learn's `coefs_`, each
    Wᵀ, is row-major); a pickle of the earlier layout, whose state holds "params" rather than
    "theta", still gives back its weights."""
    net = Network([3, 4, 2], ["relu", "linear"], "rss", random_state=0)
    state = dict(net.__getstate__())
    del state["theta"]
    state["params"] = np.concatenate([layer.W.ravel() for layer in net.layers]
                                     + [layer.c for layer in net.layers])
    old = Network.__new__(Network)
    old.__setstate__(state)
    for mine, theirs in zip(old.layers, net.layers):
        np.testing.assert_array_equal(mine.W, theirs.W)
        np.testing.assert_array_equal(mine.c, theirs.c)


def test_a_pickled_network_is_not_read_in_the_earlier_layout_by_its_key():
    """A reader of the earlier pickles, which took state["params"] as each W row-major, finds
    no such key in a pickle of today's layout: it fails rather than transpose every W."""
    net = Network([3, 4, 2], ["relu", "linear"], "rss", random_state=0)
    state = pickle.loads(pickle.dumps(net)).__getstate__()
    with pytest.raises(KeyError):
        state["params"]
    twin = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(twin.params, net.params)
    assert all(np.shares_memory(layer.W, twin.params) for layer in twin.layers)


def test_gradients_of_one_network_in_threads_at_once_are_each_call_s_own():
    """Its passes write the network's `grad`: calls from several threads at once returned, now
    and then, the gradients of another thread's rows."""
    from at_once import run_at_once

    net = Network([5, 64, 3], ["tanh", "linear"], "rss", random_state=0)
    rng = np.random.default_rng(0)
    batches = [(rng.normal(size=(500, 5)), rng.normal(size=(500, 3))) for _ in range(6)]
    expected = [net.gradients(X, Y) for X, Y in batches]
    wrong = []

    def work(k):
        for _ in range(40):
            got = net.gradients(*batches[k])
            wrong.extend(k for (dW, dc), (W0, c0) in zip(got, expected[k])
                         if not (np.array_equal(dW, W0) and np.array_equal(dc, c0)))

    run_at_once(work, 6)
    assert wrong == []
