"""The batched gradients against PyTorch's autograd, an independent implementation, for every
hidden activation and every output/loss pair, leaky ReLUs of any slope and soft targets. PyTorch
is not a dependency: without it these tests are skipped (pip install torch to run them)."""

import numpy as np
import pytest

import ffnn
from ffnn import activations

torch = pytest.importorskip("torch")

TORCH_ACTIVATIONS = {
    "relu": torch.relu, "sigmoid": torch.sigmoid, "linear": lambda h: h, "tanh": torch.tanh,
    "exp": torch.exp, "softmax": lambda h: torch.softmax(h, dim=1),
}


def _torch_activation(f):
    if isinstance(f, activations.LeakyReLU):
        return lambda h: torch.where(h > 0, h, f.slope * h)
    return TORCH_ACTIVATIONS[f.name]


def _torch_loss(name, Y, Yhat):
    """The chapter's summed loss, Σ_n Σ_d L_d(ŷ_n), with the same clipping as ffnn's."""
    if name == "rss":
        return ((Y - Yhat) ** 2).sum()
    if name == "squared_error":
        return 0.5 * ((Y - Yhat) ** 2).sum()
    if name == "log_loss":
        return -(Y * torch.log(Yhat) + (1 - Y) * torch.log(1 - Yhat)).sum()
    if name == "cross_entropy":
        return -(Y * torch.log(Yhat)).sum()
    if name == "poisson":
        return (torch.special.xlogy(Y, Y) - torch.special.xlogy(Y, Yhat) - Y + Yhat).sum()
    raise AssertionError(name)


def _targets(loss, rng, N, D_y):
    if loss == "log_loss":
        return rng.uniform(0.0, 1.0, size=(N, D_y))  # soft targets in [0, 1]
    if loss == "cross_entropy":
        return rng.uniform(0.0, 1.0, size=(N, D_y)) * rng.uniform(0.2, 2.0, size=(N, 1))
    if loss == "poisson":
        return rng.uniform(0.0, 4.0, size=(N, D_y))
    return rng.normal(size=(N, D_y))


def _torch_gradients(net, X, Y):
    params = [(torch.tensor(layer.W, requires_grad=True), torch.tensor(layer.c, requires_grad=True))
              for layer in net.layers]
    Z = torch.tensor(X)
    for (W, c), layer in zip(params, net.layers):
        Z = _torch_activation(layer.activation)(Z @ W.T + c)
    _torch_loss(net.loss_function.name, torch.tensor(Y), Z).backward()
    return np.concatenate([W.grad.numpy().ravel() for W, _ in params]
                          + [c.grad.numpy() for _, c in params])


PAIRS = [("linear", "rss"), ("linear", "squared_error"), ("sigmoid", "rss"),
         ("sigmoid", "log_loss"), ("softmax", "cross_entropy"), ("exp", "poisson"),
         ("tanh", "squared_error")]
HIDDEN = ["relu", "sigmoid", "linear", "tanh", activations.LeakyReLU(0.01),
          activations.LeakyReLU(-0.5), activations.LeakyReLU(2.0)]


@pytest.mark.parametrize("output, loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=repr)
def test_gradients_equal_pytorchs(hidden, output, loss):
    rng = np.random.default_rng(len(repr(hidden)) * 31 + PAIRS.index((output, loss)))
    N, D_x, D_y = 9, 4, 3
    X = rng.normal(size=(N, D_x))
    Y = _targets(loss, rng, N, D_y)
    net = ffnn.Network([D_x, 6, 5, D_y], [hidden, hidden, output], loss, random_state=1)
    for layer in net.layers:
        layer.c = rng.normal(scale=0.3, size=layer.c.shape)
    ours = np.concatenate([dW.ravel() for dW, _ in net.gradients(X, Y)]
                          + [dc for _, dc in net.gradients(X, Y)])
    np.testing.assert_allclose(ours, _torch_gradients(net, X, Y), rtol=1e-9, atol=1e-12)
