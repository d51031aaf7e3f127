"""Initial weights (init): He's and Glorot's schemes for Network, and scikit-learn's draw for the
estimators, each from its formula."""

import numpy as np
import pytest

from ffnn import init


def test_scikit_learns_draw_is_its_formula_in_its_order():
    """scikit-learn draws coefs_[ℓ] (fan_in × fan_out), then intercepts_[ℓ], from one stream,
    uniform on ±√(factor/(fan_in + fan_out))."""
    W, c = init.scikit_learn_uniform(np.random.RandomState(5), 3, 4, 2.0)
    rs = np.random.RandomState(5)
    bound = np.sqrt(2.0 / 7)
    np.testing.assert_array_equal(W, rs.uniform(-bound, bound, (4, 3)).T)
    np.testing.assert_array_equal(c, rs.uniform(-bound, bound, 3))
    assert W.shape == (3, 4) and c.shape == (3,)
    W6, _ = init.scikit_learn_uniform(np.random.default_rng(0), 300, 200, 6.0)
    assert np.abs(W6).max() <= np.sqrt(6.0 / 500) and np.var(W6) == pytest.approx(
        6.0 / 500 / 3, rel=0.05)


@pytest.mark.parametrize("scheme, activation, variance", [
    ("he", "relu", 2 / 300), ("he", "leaky_relu", 2 / 300), ("he", "tanh", 2 / 500),
    ("glorot", "relu", 2 / 500), ("glorot", "sigmoid", 2 / 500),
])
def test_network_schemes(scheme, activation, variance):
    W = init.initial_weights(np.random.default_rng(1), 200, 300, activation, scheme)
    assert W.shape == (200, 300) and np.var(W) == pytest.approx(variance, rel=0.05)
    assert abs(np.mean(W)) < 0.01
    if scheme == "glorot" or activation == "tanh":  # uniform: bounded
        assert np.abs(W).max() <= np.sqrt(6 / 500)
    else:  # normal: some draws beyond the uniform bound of the same variance
        assert np.abs(W).max() > np.sqrt(3 * variance)


def test_he_is_the_default_scheme():
    a = init.initial_weights(np.random.default_rng(3), 50, 40, "relu")
    b = init.initial_weights(np.random.default_rng(3), 50, 40, "relu", "he")
    np.testing.assert_array_equal(a, b)


def test_a_network_reinitialised_without_a_scheme_takes_hes():
    import ffnn

    net = ffnn.Network([30, 20, 1], ["relu", "linear"], "rss", random_state=0, init="glorot")
    again = ffnn.Network([30, 20, 1], ["relu", "linear"], "rss", random_state=0)
    np.testing.assert_array_equal(net.initialize(0).params, again.params)
