"""Whole training runs against scikit-learn's MLP, an independent implementation of the same
update rules: with the same initial weights (the same random_state) and no shuffling, every
solver, schedule and momentum variant follows MLPRegressor's and MLPClassifier's weights and loss
curves, with sample weights (some of them 0) in one batch, and on minibatches with `alpha`
converted as the README's porting table says (alpha · n / batch_size)."""

import warnings

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier, MLPRegressor

from ffnn import FFNNClassifier, FFNNRegressor

N = 40
SOLVERS = {
    "nesterov": dict(solver="sgd", momentum=0.9, nesterovs_momentum=True),
    "momentum": dict(solver="sgd", momentum=0.5, nesterovs_momentum=False),
    "invscaling": dict(solver="sgd", learning_rate="invscaling", power_t=0.3),
    # tol so large that every epoch fails to improve: the rate is divided by 5 each time
    "adaptive": dict(solver="sgd", learning_rate="adaptive", tol=0.5, n_iter_no_change=1),
    "adam": dict(solver="adam", beta_1=0.8, beta_2=0.99, epsilon=1e-6),
    "lbfgs": dict(solver="lbfgs"),
}


def _data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(N, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.3 * rng.normal(size=N)
    weights = rng.uniform(0.2, 2.0, N)
    weights[:3] = 0
    return X, y, weights


# L-BFGS has no batches; on classes scikit-learn clips the probabilities in the loss it hands
# the line search (a documented difference), so only its regression is compared.
CASES = [(name, task, batches) for name in SOLVERS
         for task in ("regression", "binary", "multiclass")
         for batches in ("one batch, weighted", "minibatches")
         if name != "lbfgs" or (task, batches) == ("regression", "one batch, weighted")]


@pytest.mark.parametrize("name, task, batches", CASES)
def test_training_follows_scikit_learns(name, task, batches):
    X, y, weights = _data()
    if task == "binary":
        y = (y > 0).astype(int)
    elif task == "multiclass":
        y = np.digitize(y, [-1.0, 1.0])
    ours_type, theirs_type = ((FFNNRegressor, MLPRegressor) if task == "regression"
                              else (FFNNClassifier, MLPClassifier))
    params = dict(hidden_layer_sizes=(5, 4), activation="tanh", shuffle=False, max_iter=12,
                  random_state=3, tol=0.0, learning_rate_init=0.02)
    params.update(SOLVERS[name])
    alpha, B = 0.3, 10
    if batches == "minibatches":
        ours = ours_type(batch_size=B, alpha=alpha * N / B, **params)
        theirs = theirs_type(batch_size=B, alpha=alpha, **params)
        sample_weight = None
    else:
        ours = ours_type(batch_size=N, alpha=alpha, **params)
        theirs = theirs_type(batch_size=N, alpha=alpha, **params)
        sample_weight = weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not converged in 12 epochs
        ours.fit(X, y, sample_weight=sample_weight)
        theirs.fit(X, y, sample_weight=sample_weight)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # (the weights after 12 epochs agree only if every epoch's learning rate did)
    curve = [theirs.loss_] if name == "lbfgs" else theirs.loss_curve_
    np.testing.assert_allclose(ours.loss_curve_[-len(curve):], curve, rtol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_
