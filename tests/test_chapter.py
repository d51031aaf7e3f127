"""The chapter's worked examples: the |x| network and gradient descent on y = |x| + ε."""

import numpy as np

from ffnn.chapter import abs_data, abs_network, fit_abs


def test_abs_network_computes_abs_exactly():
    x = np.linspace(-5, 5, 101).reshape(-1, 1)
    np.testing.assert_array_equal(abs_network().forward(x), np.abs(x))


def test_gradient_descent_fits_abs_plus_noise():
    x, y = abs_data(n=200, noise=0.1, random_state=0)
    net, history = fit_abs(x, y, hidden=8, steps=2000, learning_rate=0.05, random_state=0)
    # The noise variance is 0.01; the fit reaches it, and recovers |x| on a grid.
    assert history[0][1] > 0.5
    assert history[-1][1] < 0.012
    grid = np.linspace(-1.8, 1.8, 19).reshape(-1, 1)
    assert np.max(np.abs(net.forward(grid) - np.abs(grid))) < 0.1
