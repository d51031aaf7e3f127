"""The batched gradients against PyTorch's autograd, an independent implementation, for every
hidden activation and every output/loss pair, leaky ReLUs of any slope and soft targets; and
training (minibatches, sample weights, the L2 penalty) against torch.optim's SGD and Adam and
SciPy's L-BFGS on the objective written in PyTorch. PyTorch is not a dependency: without it
these tests are skipped (pip install torch to run them)."""

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


def _torch_objective(net, X, Y, weights, alpha, theta, rows):
    """J_B(θ) and ∇J_B written independently in PyTorch (see training.objective): rows `rows`
    of N, sample weights summing to Σw, N/(|B| Σw) Σ_B w_n Σ_d L_d + α/(2Σw) Σ‖W‖²."""
    theta = torch.tensor(theta, requires_grad=True)
    Z, squares, w_at, c_at = torch.tensor(X[rows]), 0.0, 0, net.n_weights
    for layer in net.layers:
        D_out, D_in = layer.shape
        W = theta[w_at:w_at + D_out * D_in].reshape(D_in, D_out).T  # column-major, as params
        Z = _torch_activation(layer.activation)(Z @ W.T + theta[c_at:c_at + D_out])
        squares = squares + (W ** 2).sum()
        w_at, c_at = w_at + D_out * D_in, c_at + D_out
    w = torch.ones(len(X), dtype=torch.float64) if weights is None else torch.tensor(weights)
    per_row = torch.stack([_torch_loss(net.loss_function.name, torch.tensor(Y[[n]]), Z[[k]])
                           for k, n in enumerate(rows)])
    J = len(X) / (len(rows) * w.sum()) * (w[rows] * per_row).sum() + alpha / (2 * w.sum()) * squares
    J.backward()
    return J.item(), theta.grad.numpy()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver, options", [
    ("gd", {}), ("sgd", {"nesterovs_momentum": False}), ("sgd", {"nesterovs_momentum": True}),
    ("adam", {"epsilon": 1e-30})])
def test_training_epochs_are_pytorchs_steps_on_pytorchs_objective(solver, options, weighted):
    """Three epochs of minibatches (unshuffled, the last batch short), sample weights and an L2
    penalty: the weights ffnn's Trainer reaches are those of torch.optim's SGD (whose momentum
    and Nesterov step are ffnn's for a constant rate) and Adam (with ε so small that where the
    two place it does not matter) on J_B computed by PyTorch, and so is the loss curve."""
    from ffnn.training import Settings, Trainer

    rng = np.random.default_rng(7)
    N, batch = 11, 4 if solver != "gd" else 11
    X, Y = rng.normal(size=(N, 3)), rng.uniform(size=(N, 2)).round()
    weights = rng.uniform(0.2, 2.0, N) if weighted else None
    net = ffnn.Network([3, 5, 2], ["tanh", "sigmoid"], "log_loss", random_state=0)
    theta = torch.tensor(net.params.copy(), requires_grad=True)
    rate, alpha = 0.05, 0.3
    if solver == "adam":
        optimizer = torch.optim.Adam([theta], lr=rate, eps=options["epsilon"])
    else:
        momentum = 0.9 if solver == "sgd" else 0.0
        optimizer = torch.optim.SGD([theta], lr=rate, momentum=momentum,
                                    nesterov=options.get("nesterovs_momentum", False))
    curve = []
    for _ in range(3):
        total = 0.0
        for start in range(0, N, batch):
            rows = list(range(start, min(start + batch, N)))
            J, g = _torch_objective(net, X, Y, weights, alpha, theta.detach().numpy(), rows)
            total += J * len(rows)
            theta.grad = torch.tensor(g)
            optimizer.step()
        curve.append(total / N)
    settings = Settings(solver=solver, alpha=alpha, batch_size=batch, learning_rate_init=rate,
                        max_iter=3, shuffle=False, n_iter_no_change=np.inf, **options)
    trainer = Trainer(net, settings, np.random.default_rng(0))
    trainer.run(X, Y, weights)
    np.testing.assert_allclose(net.params, theta.detach().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(trainer.history.loss_curve, curve, rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_lbfgs_first_iteration_is_scipys_on_pytorchs_objective(weighted):
    import scipy.optimize

    from ffnn.training import Settings, Trainer

    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(9, 2)), rng.normal(size=(9, 2))
    weights = rng.uniform(0.2, 2.0, 9) if weighted else None
    net = ffnn.Network([2, 4, 2], ["relu", "linear"], "squared_error", random_state=0)
    expected = scipy.optimize.minimize(
        lambda theta: _torch_objective(net, X, Y, weights, 0.5, theta, list(range(9))),
        net.params.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 1})
    trainer = Trainer(net, Settings(solver="lbfgs", alpha=0.5, max_iter=1), None)
    trainer.run(X, Y, weights)
    np.testing.assert_allclose(net.params, expected.x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(trainer.history.loss_curve, [expected.fun], rtol=1e-12)


@pytest.mark.parametrize("output, loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=repr)
def test_the_objective_with_sample_weights_and_penalty_equals_pytorchs(hidden, output, loss):
    """J_B and ∇J_B (training.objective) for every hidden activation and output/loss pair, on a
    minibatch holding a row of weight 0, with the L2 penalty: PyTorch's autograd of the formula."""
    from ffnn.training import Objective

    rng = np.random.default_rng(len(repr(hidden)) * 17 + PAIRS.index((output, loss)))
    N, D_x, D_y = 8, 3, 2
    X, Y = rng.normal(size=(N, D_x)), _targets(loss, rng, N, D_y)
    weights = rng.uniform(0.0, 3.0, N)
    weights[2] = 0.0
    net = ffnn.Network([D_x, 5, 4, D_y], [hidden, hidden, output], loss, random_state=2)
    for layer in net.layers:
        layer.c = rng.normal(scale=0.3, size=layer.c.shape)
    rows = [0, 2, 3, 5, 7]
    J, grad = Objective(net, 0.7, N, weights.sum())(X[rows], Y[rows], weights[rows])
    expected, expected_grad = _torch_objective(net, X, Y, weights, 0.7, net.params.copy(), rows)
    assert J == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-9, atol=1e-12)
