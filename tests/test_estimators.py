"""FFNNRegressor and FFNNClassifier: scikit-learn's contract, the convex cases against linear
models, reproducibility, dtypes, and what they add to scikit-learn's MLP."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris, make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


# Every check passes for the defaults and for the other solvers listed; none is expected to fail.
@parametrize_with_checks([
    FFNNRegressor(), FFNNClassifier(),
    FFNNRegressor(solver="sgd"), FFNNClassifier(solver="sgd"),
    FFNNRegressor(solver="lbfgs"), FFNNRegressor(solver="gd"), FFNNClassifier(solver="gd"),
    FFNNClassifier(solver="lbfgs", class_weight="balanced"),
    FFNNClassifier(hidden_layer_sizes=(20, 10), activation=["tanh", "relu"]),
])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_same_parameters_and_defaults_as_scikit_learn():
    for ours, theirs in ((FFNNRegressor, MLPRegressor), (FFNNClassifier, MLPClassifier)):
        expected = theirs().get_params()
        got = ours().get_params()
        for name, value in expected.items():
            assert got[name] == value, name
        assert set(got) - set(expected) <= {"class_weight", "weight_init", "backend", "precision"}


def _linear_regression_data(seed=0, n=200, D=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, D))
    w = rng.normal(size=D)
    return X, w, rng


CONVEX_SOLVERS = [
    ("lbfgs", None, dict(tol=1e-10, max_iter=1000), 1e-4),
    ("gd", None, dict(learning_rate_init=0.5, max_iter=3000), 1e-8),
    ("adam", 200, dict(learning_rate_init=0.01, max_iter=3000), 1e-8),
    ("adam", 50, dict(learning_rate_init=0.001, max_iter=2000), 5e-3),
    ("adam", 40, dict(learning_rate_init=0.001, max_iter=2000), 5e-3),
]


@pytest.mark.parametrize("solver, batch_size, options, tolerance", CONVEX_SOLVERS)
def test_no_hidden_layer_regressor_is_ridge(solver, batch_size, options, tolerance):
    # J = (1/n)[Σ ½(y − ŷ)² + (α/2)‖w‖²]: n·J·2 is Ridge's ‖y − Xw − b‖² + α‖w‖².
    X, w, rng = _linear_regression_data()
    y = X @ w + 0.5 + rng.normal(scale=0.3, size=X.shape[0])
    alpha = 2.0
    expected = Ridge(alpha=alpha).fit(X, y).predict(X)
    model = FFNNRegressor(hidden_layer_sizes=(), solver=solver, alpha=alpha, random_state=0,
                          batch_size=batch_size or "auto", n_iter_no_change=np.inf, **options)
    np.testing.assert_allclose(model.fit(X, y).predict(X), expected, atol=tolerance)


@pytest.mark.parametrize("solver, batch_size, options, tolerance", CONVEX_SOLVERS)
def test_no_hidden_layer_binary_classifier_is_logistic_regression(solver, batch_size, options,
                                                                 tolerance):
    # J = (1/n)[Σ log loss + (α/2)‖w‖²]: (n/α)·J is LogisticRegression's C Σ log loss + ½‖w‖²
    # with C = 1/α.
    X, w, rng = _linear_regression_data(seed=1)
    y = (X @ w + rng.normal(size=X.shape[0]) > 0).astype(int)
    alpha = 2.0
    expected = LogisticRegression(C=1 / alpha, tol=1e-12, max_iter=10000).fit(X, y)
    model = FFNNClassifier(hidden_layer_sizes=(), solver=solver, alpha=alpha, random_state=0,
                           batch_size=batch_size or "auto", n_iter_no_change=np.inf, **options)
    np.testing.assert_allclose(model.fit(X, y).predict_proba(X), expected.predict_proba(X),
                               atol=tolerance)


def test_sgd_fit_for_k_epochs_equals_k_partial_fits():
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)
    k = 7
    params = dict(solver="sgd", hidden_layer_sizes=(9,), random_state=3, batch_size=32,
                  learning_rate="invscaling", learning_rate_init=0.05, n_iter_no_change=100)
    fitted = FFNNClassifier(max_iter=k, **params).fit(X, y)
    partial = FFNNClassifier(**params)
    for _ in range(k):
        partial.partial_fit(X, y, classes=[0, 1])
    for a, b in zip(fitted.coefs_ + fitted.intercepts_, partial.coefs_ + partial.intercepts_):
        np.testing.assert_array_equal(a, b)
    assert fitted.loss_curve_ == partial.loss_curve_
    assert fitted.t_ == partial.t_ == k * 300


@pytest.mark.parametrize("solver", ["adam", "sgd", "gd", "lbfgs"])
@pytest.mark.parametrize("Estimator", [FFNNRegressor, FFNNClassifier])
def test_float32_input_gives_float32_model_and_predictions(Estimator, solver):
    X, y = make_classification(n_samples=60, n_features=5, random_state=0)
    model = Estimator(hidden_layer_sizes=(7,), solver=solver, max_iter=20, random_state=0)
    model.fit(X.astype(np.float32), y)
    assert all(c.dtype == np.float32 for c in model.coefs_ + model.intercepts_)
    out = model.predict(X.astype(np.float32))
    if Estimator is FFNNRegressor:
        assert out.dtype == np.float32
    else:
        assert model.predict_proba(X.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("solver", ["adam", "sgd", "gd", "lbfgs"])
def test_same_random_state_gives_identical_models(solver):
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    a = FFNNClassifier(solver=solver, max_iter=15, random_state=42, early_stopping=solver != "lbfgs")
    b = FFNNClassifier(solver=solver, max_iter=15, random_state=42, early_stopping=solver != "lbfgs")
    for p, q in zip(a.fit(X, y).coefs_, b.fit(X, y).coefs_):
        np.testing.assert_array_equal(p, q)
    c = FFNNClassifier(solver=solver, max_iter=15, random_state=43).fit(X, y)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


@pytest.mark.parametrize("solver", ["sgd", "gd"])
def test_divergence_raises_instead_of_nan_weights(solver):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4)) * 100
    y = X @ rng.normal(size=4) * 100
    model = FFNNRegressor(solver=solver, learning_rate_init=1e4, max_iter=50, random_state=0)
    with pytest.raises(ffnn.DivergenceError, match="diverged at epoch"):
        model.fit(X, y)
    assert all(np.isfinite(c).all() for c in model.coefs_)


def test_adam_with_a_huge_learning_rate_never_keeps_non_finite_weights():
    # Adam's step is bounded by the learning rate, so it may end far off but finite.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4)) * 100
    model = FFNNRegressor(learning_rate_init=1e4, max_iter=50, random_state=0)
    try:
        model.fit(X, X @ rng.normal(size=4) * 100)
    except ffnn.DivergenceError:
        pass
    assert all(np.isfinite(c).all() for c in model.coefs_)


def test_coefs_are_in_scikit_learn_layout_and_predict_like_scikit_learn():
    X, y = make_classification(n_samples=80, n_features=4, random_state=0)
    ours = FFNNClassifier(hidden_layer_sizes=(5, 3), max_iter=30, random_state=0).fit(X, y)
    assert [c.shape for c in ours.coefs_] == [(4, 5), (5, 3), (3, 1)]
    assert ours.n_layers_ == 4 and ours.n_outputs_ == 1 and ours.out_activation_ == "logistic"
    # Load our weights into scikit-learn's MLP: the forward passes agree.
    theirs = MLPClassifier(hidden_layer_sizes=(5, 3), max_iter=1).fit(X, y)
    theirs.coefs_ = [c.copy() for c in ours.coefs_]
    theirs.intercepts_ = [c.copy() for c in ours.intercepts_]
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-12)


def test_full_batch_adam_follows_scikit_learns_training_curve():
    """The same random_state gives scikit-learn's initial weights; with full batches and no
    shuffling, Adam then follows the very same loss curve as MLPClassifier: an independent
    implementation of the same mathematics."""
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    params = dict(hidden_layer_sizes=(10,), max_iter=40, shuffle=False, random_state=0,
                  n_iter_no_change=1000)
    theirs = MLPClassifier(**params).fit(X, y)
    ours = FFNNClassifier(**params).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


class TestClassifier:
    def test_string_labels_multiclass_and_probabilities(self):
        X, y = load_iris(return_X_y=True)
        labels = np.array(["setosa", "versicolor", "virginica"])[y]
        model = FFNNClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0)
        model.fit(X, labels)
        assert list(model.classes_) == ["setosa", "versicolor", "virginica"]
        assert model.out_activation_ == "softmax" and model.score(X, labels) > 0.9
        P = model.predict_proba(X)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        np.testing.assert_allclose(model.predict_log_proba(X), np.log(P))
        assert set(model.predict(X)) <= set(model.classes_)

    def test_binary_has_one_sigmoid_output(self):
        X, y = make_classification(n_samples=100, random_state=0)
        model = FFNNClassifier(max_iter=50, random_state=0).fit(X, np.where(y, "yes", "no"))
        assert model.n_outputs_ == 1 and model.network_.loss_function.name == "log_loss"
        P = model.predict_proba(X)
        assert P.shape == (100, 2)
        np.testing.assert_array_equal(model.predict(X), model.classes_[(P[:, 1] > 0.5).astype(int)])

    def test_multilabel(self):
        X, Y = make_multilabel_classification(n_samples=120, n_classes=4, random_state=0)
        model = FFNNClassifier(hidden_layer_sizes=(20,), max_iter=200, random_state=0).fit(X, Y)
        assert model.out_activation_ == "logistic" and model.n_outputs_ == 4
        assert model.predict(X).shape == (120, 4) and model.predict_proba(X).shape == (120, 4)
        assert model.score(X, Y) > 0.3  # subset accuracy

    def test_partial_fit_needs_classes_first(self):
        X, y = make_classification(n_samples=50, random_state=0)
        with pytest.raises(ValueError, match="classes must be passed on the first call"):
            FFNNClassifier().partial_fit(X, y)
        model = FFNNClassifier(random_state=0).partial_fit(X[:10], y[:10], classes=[0, 1])
        model.partial_fit(X[10:], y[10:])
        assert model.n_iter_ == 1 and model.t_ == 50
        with pytest.raises(AttributeError):
            FFNNClassifier(solver="lbfgs").partial_fit

    def test_class_weight_shifts_the_decision(self):
        X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=0)
        plain = FFNNClassifier(max_iter=100, random_state=0).fit(X, y)
        weighted = FFNNClassifier(max_iter=100, random_state=0, class_weight={0: 1, 1: 20})
        weighted.fit(X, y)
        assert (weighted.predict(X) == 1).sum() > (plain.predict(X) == 1).sum()
        balanced = FFNNClassifier(max_iter=100, random_state=0, class_weight="balanced")
        sw = np.where(y == 1, 300 / (2 * y.sum()), 300 / (2 * (300 - y.sum())))
        explicit = FFNNClassifier(max_iter=100, random_state=0).fit(X, y, sample_weight=sw)
        np.testing.assert_allclose(balanced.fit(X, y).coefs_[0], explicit.coefs_[0])

    @pytest.mark.parametrize("class_weight", [{0: 1, 1: 20}, "balanced"])
    def test_class_weights_weigh_validation_rows_given_apart_as_training_rows(self,
                                                                            class_weight):
        """Rows split off by early stopping carried their class weights into the score,
        rows given as validation_data did not: one option, two meanings of the score."""
        from sklearn.metrics import accuracy_score

        X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
        model = FFNNClassifier(max_iter=5, random_state=0, class_weight=class_weight)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X[:200], y[:200], validation_data=(X[200:], y[200:]))
        counts = np.bincount(y[:200])
        factor = ({0: 1.0, 1: 20.0} if class_weight != "balanced"
                  else {c: 200 / (2 * counts[c]) for c in (0, 1)})
        w_val = np.array([factor[c] for c in y[200:]])
        assert model.validation_scores_[-1] == pytest.approx(
            accuracy_score(y[200:], model.predict(X[200:]), sample_weight=w_val), rel=1e-12)
        P = np.clip(model.predict_proba(X[200:])[:, 1], 1e-300, 1)
        losses = -np.where(y[200:] == 1, np.log(P), np.log1p(-P))
        assert model.validation_loss_curve_[-1] == pytest.approx(
            w_val @ losses / w_val.sum(), rel=1e-6)
        column = FFNNClassifier(max_iter=5, random_state=0, class_weight=class_weight)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            column.fit(X[:200], y[:200], validation_data=(X[200:], y[200:].reshape(-1, 1)))
        assert column.validation_scores_ == model.validation_scores_

    def test_early_stopping_is_stratified_and_restores_the_best_weights(self):
        X, y = make_classification(n_samples=400, n_features=8, random_state=0)
        model = FFNNClassifier(early_stopping=True, max_iter=60, random_state=0,
                               n_iter_no_change=5, learning_rate_init=0.01)
        model.fit(X, y)
        assert model.best_loss_ is None
        assert len(model.validation_scores_) == model.n_iter_ == len(model.validation_loss_curve_)
        assert model.best_validation_score_ == max(model.validation_scores_)
        assert len(model.loss_curve_) == model.n_iter_

    @pytest.mark.parametrize("seed", range(12))
    def test_the_early_stopping_split_keeps_the_classes_proportions(self, seed):
        """100 rows, 10 of the minority class: a stratified 10% holds exactly one of them. With
        constant features the network predicts one class for every row, so the validation
        accuracy is the share of that class in the validation part: 0.9 or 0.1, never another
        value, whatever the seed."""
        X = np.zeros((100, 3))
        y = np.array([1] * 10 + [0] * 90)
        model = FFNNClassifier(hidden_layer_sizes=(3,), early_stopping=True, max_iter=3,
                               n_iter_no_change=10, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        assert all(score in (pytest.approx(0.9), pytest.approx(0.1))
                   for score in model.validation_scores_)


class TestRegressor:
    def test_multi_output_loss_matches_its_gradient(self):
        rng = np.random.default_rng(0)
        X = rng.normal(size=(80, 3))
        Y = np.column_stack([X[:, 0] - X[:, 1], X[:, 2] ** 2, np.sin(X[:, 0])])
        model = FFNNRegressor(hidden_layer_sizes=(30,), solver="lbfgs", max_iter=500,
                              random_state=0, alpha=1e-3).fit(X, Y)
        assert model.predict(X).shape == (80, 3) and model.score(X, Y) > 0.9
        # The reported loss is the documented objective at the fitted weights.
        residual = Y - model.predict(X)
        W = model.network_.weights
        expected = (0.5 * (residual**2).sum() + 0.5e-3 * W @ W) / 80
        assert model.loss_ == pytest.approx(expected, rel=1e-9)

    def test_poisson_loss_has_exponential_output(self):
        rng = np.random.default_rng(0)
        X = rng.normal(size=(300, 2))
        y = rng.poisson(np.exp(0.5 * X[:, 0] - 0.3 * X[:, 1]))
        model = FFNNRegressor(loss="poisson", hidden_layer_sizes=(), solver="lbfgs",
                              alpha=0.0).fit(X, y)
        assert model.out_activation_ == "exp" and np.all(model.predict(X) > 0)
        np.testing.assert_allclose(model.coefs_[0].ravel(), [0.5, -0.3], atol=0.15)
        with pytest.raises(ValueError, match="poisson loss needs targets >= 0"):
            FFNNRegressor(loss="poisson").fit(X, -y - 1.0)

    def test_sparse_and_pandas_inputs(self):
        pd = pytest.importorskip("pandas")
        rng = np.random.default_rng(0)
        X = rng.normal(size=(60, 5)) * (rng.uniform(size=(60, 5)) < 0.5)
        y = X.sum(axis=1)
        dense = FFNNRegressor(max_iter=30, random_state=0).fit(X, y)
        for converted in (sp.csr_matrix(X), sp.csc_matrix(X)):
            sparse = FFNNRegressor(max_iter=30, random_state=0).fit(converted, y)
            np.testing.assert_allclose(sparse.predict(converted), dense.predict(X), rtol=1e-9)
        frame = pd.DataFrame(X, columns=list("abcde"))
        model = FFNNRegressor(max_iter=30, random_state=0).fit(frame, pd.Series(y))
        assert list(model.feature_names_in_) == list("abcde")
        np.testing.assert_allclose(model.predict(frame), dense.predict(X))
        listed = FFNNRegressor(max_iter=30, random_state=0).fit(X.tolist(), y.tolist())
        np.testing.assert_allclose(listed.predict(X), dense.predict(X))

    def test_sample_weight_of_two_equals_duplicating_rows(self):
        rng = np.random.default_rng(0)
        X = rng.normal(size=(40, 3))
        y = X @ [1.0, -2.0, 0.5]
        sw = rng.integers(0, 3, size=40)
        weighted = FFNNRegressor(solver="lbfgs", random_state=0, hidden_layer_sizes=(5,))
        repeated = FFNNRegressor(solver="lbfgs", random_state=0, hidden_layer_sizes=(5,))
        weighted.fit(X, y, sample_weight=sw)
        repeated.fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
        np.testing.assert_allclose(weighted.predict(X), repeated.predict(X), rtol=1e-6)


def test_warm_start_continues_the_history_and_a_cold_fit_restarts_it():
    # (How the optimizer restarts or continues: tests/test_fidelity.py.)
    X, y = make_classification(n_samples=100, random_state=0)
    model = FFNNClassifier(max_iter=5, random_state=0, warm_start=True).fit(X, y)
    model.fit(X, y)
    assert len(model.loss_curve_) == 10 and model.n_iter_ == 5 and model.t_ == 1000
    cold = FFNNClassifier(max_iter=5, random_state=0).fit(X, y)
    cold.fit(X, y)
    assert len(cold.loss_curve_) == 5 and cold.t_ == 500


def test_activation_per_hidden_layer():
    X, y = make_classification(n_samples=60, random_state=0)
    model = FFNNClassifier(hidden_layer_sizes=(6, 5, 4), activation=["tanh", "logistic", "relu"],
                           max_iter=5, random_state=0).fit(X, y)
    assert [f.name for f in model.network_.activations] == ["tanh", "sigmoid", "relu", "sigmoid"]
    with pytest.raises(ValueError, match="2 activations for 3 hidden layers"):
        FFNNClassifier(hidden_layer_sizes=(6, 5, 4), activation=["tanh", "relu"]).fit(X, y)
    with pytest.raises(ValueError, match="valid names are.*identity.*logistic"):
        FFNNClassifier(activation="swish").fit(X, y)


@pytest.mark.parametrize("params, message", [
    (dict(solver="newton"), "solver must be one of"),
    (dict(alpha=-1.0), r"alpha must be a number in \[0"),
    (dict(learning_rate_init=0.0), r"learning_rate_init must be a number in \(0"),
    (dict(batch_size=0), "batch_size must be an int"),
    (dict(hidden_layer_sizes=(3, 0)), "hidden_layer_sizes must be positive integers"),
    (dict(hidden_layer_sizes=""), "hidden_layer_sizes must be an integer or a sequence"),
    (dict(learning_rate="cyclic"), "learning_rate must be"),
    (dict(momentum=1.5), "momentum must be"),
    (dict(weight_init="zeros"), "weight_init must be"),
    # scikit-learn's intervals exclude infinity; an infinite tol, epsilon or power_t would
    # return the initial weights untrained, without an error
    (dict(tol=np.inf), r"tol must be a number in \[0, inf\)"),
    (dict(epsilon=np.inf), r"epsilon must be a number in \(0, inf\)"),
    (dict(solver="sgd", learning_rate="invscaling", power_t=np.inf), "power_t must be"),
    (dict(solver="lbfgs", tol=np.inf), "tol must be"),
    (dict(alpha=np.inf), "alpha must be"),
    (dict(learning_rate_init=np.inf), "learning_rate_init must be"),
    (dict(alpha=True), "alpha must be a number"),  # scikit-learn takes it as 1 (README)
    # NumPy's "Seed must be between 0 and 2**32 - 1" named no parameter
    (dict(random_state=-1), r"random_state must be an int in \[0, 4294967295\]"),
    (dict(random_state=2**32), r"random_state must be an int in \[0, 4294967295\]"),
])
def test_bad_parameters_are_named(params, message):
    X, y = make_classification(n_samples=30, random_state=0)
    with pytest.raises(ValueError, match=message):
        FFNNClassifier(**params).fit(X, y)


def test_verbose_prints_and_quiet_prints_nothing(capsys):
    X, y = make_classification(n_samples=40, random_state=0)
    FFNNClassifier(max_iter=3, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""
    FFNNClassifier(max_iter=3, random_state=0, verbose=True).fit(X, y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss = " in out and "Iteration 3, loss = " in out


def test_callback_sees_every_epoch_and_convergence_warning():
    X, y = make_classification(n_samples=40, random_state=0)
    seen = []
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(4\) reached"):
        FFNNClassifier(max_iter=4, random_state=0, n_iter_no_change=100).fit(
            X, y, callback=lambda info: seen.append(info))
    assert [info.epoch for info in seen] == [1, 2, 3, 4]
    assert all(np.isfinite(info.loss) and info.samples_seen > 0 for info in seen)


@pytest.mark.parametrize("callback", [None, lambda info: None])
def test_a_warm_start_that_fails_mid_run_leaves_attributes_that_match_its_weights(
        monkeypatch, callback):
    """An error in the third epoch of a warm start (a worker lost, the device's memory full)
    leaves the model of the two epochs that ran, with the history that led to it, whether or
    not a callback was given: without one, loss_curve_ and n_iter_ were the last fit's."""
    from ffnn.training.epochs import NumpyEpochs

    X, y = make_classification(n_samples=40, n_features=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNClassifier(hidden_layer_sizes=(4,), max_iter=3, warm_start=True,
                               random_state=0, n_iter_no_change=100).fit(X, y)
    epoch, calls = NumpyEpochs.epoch, []

    def failing(self, rule):
        calls.append(1)
        if len(calls) == 3:
            raise MemoryError
        return epoch(self, rule)

    monkeypatch.setattr(NumpyEpochs, "epoch", failing)
    with pytest.raises(MemoryError):
        model.fit(X, y, callback=callback)
    history = model._trainer.history
    assert model.loss_curve_ == history.loss_curve and len(model.loss_curve_) == 5
    assert model.loss_curve_ is not history.loss_curve
    assert model.n_iter_ == 2 and model.t_ == 5 * 40 and model.loss_ == history.loss_curve[-1]
    assert model.stop_reason_ is None


def test_summary_of_a_fitted_estimator():
    X, y = make_classification(n_samples=40, n_features=5, random_state=0)
    text = ffnn.summary(FFNNClassifier(hidden_layer_sizes=(8,), max_iter=3).fit(X, y))
    assert "hidden 1" in text and "W 8×5, c 8" in text and "relu" in text
    assert "total parameters: 57 (48 weights, 9 biases)" in text
    assert "trained: solver adam, 3 epochs" in text
    one = ffnn.summary(ffnn.Network([1, 1], ["linear"], "rss"))
    assert "total parameters: 2 (1 weight, 1 bias)" in one
    with pytest.raises(ValueError, match="fit it first"):
        ffnn.summary(FFNNClassifier())


def test_the_summary_of_a_fitted_scikit_learn_network_does_not_say_to_fit_it():
    from sklearn.neural_network import MLPClassifier

    X, y = make_classification(n_samples=40, n_features=5, random_state=0)
    with pytest.warns(Warning):
        fitted = MLPClassifier(hidden_layer_sizes=(3,), max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=r"^summary needs a Network or a fitted ffnn estimator, "
                                         r"got MLPClassifier \(an ffnn model holds a Network; "
                                         r"train one with FFNNClassifier\)$"):
        ffnn.summary(fitted)


def test_a_summary_counts_every_epoch_of_warm_starts_and_partial_fits():
    """n_iter_ counts the last call's epochs (as scikit-learn's does); the summary says how many
    the model was trained in all, which the loss curve holds, and how many the last call ran."""
    X, y = make_classification(n_samples=40, n_features=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNClassifier(hidden_layer_sizes=(4,), max_iter=3, warm_start=True,
                               random_state=0, n_iter_no_change=100).fit(X, y).fit(X, y)
    assert model.n_iter_ == 3 and len(model.loss_curve_) == 6
    assert "trained: solver adam, 6 epochs (the last call trained 3), last epoch's loss" in (
        ffnn.summary(model))
    model = FFNNClassifier(hidden_layer_sizes=(4,), random_state=0)
    model.partial_fit(X, y, classes=[0, 1])
    assert "trained: solver adam, 1 epoch, last epoch's loss" in ffnn.summary(model)
    for _ in range(4):
        model.partial_fit(X, y)
    assert "trained: solver adam, 5 epochs (the last call trained 1), " in ffnn.summary(model)
    model = FFNNRegressor(hidden_layer_sizes=(), solver="lbfgs", alpha=0, warm_start=True)
    first = model.fit(X, X[:, 0]).n_iter_
    model.fit(X, X[:, 0])  # starts converged: no iteration, and its starting loss recorded
    assert model.n_iter_ == 0 and len(model.loss_curve_) == first + 1
    assert f"trained: solver lbfgs, {first} iterations (the last call trained 0), " in (
        ffnn.summary(model))


def test_a_summary_counts_the_iterations_before_an_l_bfgs_run_interrupted_at_its_start(
        monkeypatch):
    """A warm L-BFGS run interrupted before its first iteration records no loss: none of the
    curve's iterations is its starting loss, which the summary took one of them for."""
    import scipy.optimize

    X, y = make_classification(n_samples=40, n_features=5, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5, warm_start=True,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, X[:, 0])

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(scipy.optimize, "minimize", interrupted)
        model.fit(X, X[:, 0])
    assert model.n_iter_ == 0 and model.interrupted_ is not None and len(model.loss_curve_) == 5
    assert "trained: solver lbfgs, 5 iterations (the last call trained 0), " in (
        ffnn.summary(model))


def test_pickle_round_trip_keeps_views_shared():
    import pickle

    X, y = make_classification(n_samples=40, random_state=0)
    model = FFNNClassifier(max_iter=3, random_state=0).fit(X, y)
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
    net = clone.network_
    net.layers[0].W[0, 0] += 1.0
    assert net.params[0] == net.layers[0].W[0, 0]
    clone.partial_fit(X, y)  # training continues after unpickling


def test_rows_in_column_order_train_the_same_model():
    """A DataFrame's values come as a Fortran-ordered array; training copies them into row
    order (for fast minibatch gathers) and the model is the same."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5)).astype(np.float32)
    y = X[:, 0] - X[:, 1]
    params = dict(hidden_layer_sizes=(6,), max_iter=3, random_state=0, batch_size=32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = FFNNRegressor(**params).fit(X, y)
        columns = FFNNRegressor(**params).fit(np.asfortranarray(X), y)
    np.testing.assert_array_equal(rows.network_.params, columns.network_.params)


@pytest.mark.parametrize("change, said", [
    (dict(hidden_layer_sizes=(3,)), r"but hidden_layer_sizes \(from \[5\] to \[3\]\) changed"),
    (dict(activation="tanh"), r"but activation \(from \['relu'\] to \['tanh'\]\) changed"),
    (dict(hidden_layer_sizes=(3,), activation="tanh"), r"\[3\]\) and activation \(from")])
@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_continuing_after_a_changed_architecture_raises(change, said, how):
    # scikit-learn goes on training the old layers (README, "Porting from scikit-learn")
    X, y = make_classification(n_samples=40, random_state=0)
    model = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=3, random_state=0).fit(X, y)
    model.set_params(warm_start=how == "warm_start", **change)
    with pytest.raises(ValueError, match=said):
        model.fit(X, y) if how == "warm_start" else model.partial_fit(X, y)


@pytest.mark.parametrize("solver", ["lbfgs", "sgd"])
def test_a_row_of_weight_zero_is_as_if_absent_even_where_its_prediction_overflows(solver):
    """An outlier set aside with sample weight 0 (here exp(h) overflows for it) changes nothing:
    it made the gradient NaN, and the fit ended in a DivergenceError."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 1))
    y = rng.poisson(np.exp(0.5 * X[:, 0])).astype(float)
    X[0, 0], weights = 3000.0, np.r_[0.0, np.ones(59)]
    fits = [FFNNRegressor(hidden_layer_sizes=(3,), loss="poisson", solver=solver, max_iter=5,
                          shuffle=False, random_state=0).fit(X_, y_, sample_weight=w_)
            for X_, y_, w_ in ((X, y, weights), (X[1:], y[1:], weights[1:]))]
    assert fits[0].loss_ == pytest.approx(fits[1].loss_, rel=1e-12)
    np.testing.assert_allclose(fits[0].predict(X[1:]), fits[1].predict(X[1:]), rtol=1e-12)


def test_early_stopping_without_a_finite_validation_score_warns_that_it_kept_the_start():
    """Held-out rows whose outputs overflow score R² -inf in every epoch: early stopping has no
    best epoch to go back to but the weights training started from, which was said nowhere."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = X @ [1.0, 2.0, 3.0]
    X_val = X[:20].copy()
    X_val[:, 0] *= 1e300
    model = FFNNRegressor(max_iter=30, early_stopping=True, n_iter_no_change=2, random_state=0)
    with pytest.warns(UserWarning, match=r"no epoch scored a finite validation score \(every "
                                         r"one was -inf or NaN\); the estimator keeps the "
                                         r"weights training started from"):
        model.fit(X, y, validation_data=(X_val, y[:20]))
    assert model.n_iter_ == 3 and model.best_validation_score_ == -np.inf
