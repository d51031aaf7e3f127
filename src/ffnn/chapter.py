"""The chapter's worked examples: the |x| network of section 1.3, and fitting y = |x| + ε by plain
gradient descent on the chapter's summed loss, using nothing but `Network.gradients`."""

import math
import numbers

import numpy as np

from .network import Network


def abs_network():
    """The network of section 1.3, which computes ŷ = ReLU(x) + ReLU(−x) = |x| exactly:

        W^(1) = (1, −1)ᵀ,  c^(1) = (0, 0)ᵀ,  W^(2) = (1  1),  c^(2) = 0.
    """
    net = Network([1, 2, 1], ["relu", "linear"], "rss")
    net.layers[0].W = [[1.0], [-1.0]]
    net.layers[0].c = [0.0, 0.0]
    net.layers[1].W = [[1.0, 1.0]]
    net.layers[1].c = [0.0]
    return net


def abs_data(n=200, noise=0.1, random_state=0):
    """n observations of y = |x| + ε, x ~ U(−2, 2), ε ~ N(0, noise²)."""
    rng = np.random.default_rng(random_state)
    x = rng.uniform(-2, 2, size=(n, 1))
    y = np.abs(x) + rng.normal(0, noise, size=(n, 1))
    return x, y


def fit_abs(x, y, hidden=8, steps=2000, learning_rate=0.05, random_state=0, report_every=100,
            on_report=None):
    """Fit a [1, hidden, 1] ReLU network to (x, y) by full-batch gradient descent.

    Each step is the chapter's update θ ← θ − η ∂L/∂θ on the summed RSS, divided by N so that
    η does not depend on the number of observations. Every `report_every` steps (and after the
    last) the mean squared error is recorded and passed to `on_report(step, mse)` if given.
    Returns the network and the recorded [(step, mse), ...].
    """
    _check_schedule(steps, learning_rate, report_every)
    net = Network([1, hidden, 1], ["relu", "linear"], "rss", random_state=random_state)
    N = x.shape[0]
    history = []
    for step in range(steps + 1):
        if step % report_every == 0 or step == steps:
            history.append((step, float(net.loss(x, y)[0]) / N))
            if on_report is not None:
                on_report(*history[-1])
        if step == steps:
            break
        for layer, (dW, dc) in zip(net.layers, net.gradients(x, y)):
            layer.W -= learning_rate * dW / N
            layer.c -= learning_rate * dc / N
    return net, history


def _check_schedule(steps, learning_rate, report_every):
    """ValueError for a schedule that cannot fit: a negative learning rate climbs the loss, and
    no number of steps below 0 or reports every 0 steps means anything."""
    for name, value, low in (("steps", steps, 0), ("report_every", report_every, 1)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    if not (isinstance(learning_rate, numbers.Real) and 0 < learning_rate < math.inf):
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
