"""Drop-in fidelity: where scikit-learn's MLP and ffnn's estimators are both given the same call,
they behave the same (or ffnn says why not). Each test names the behaviour it pins."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import (
    load_diabetes,
    load_iris,
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor


def _regression(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    return X, X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * rng.normal(size=n)


# -- 1. warm_start builds a fresh optimizer from the current parameters ----------------------


def test_warm_start_fit_uses_the_new_solver_and_learning_rate():
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(5,), max_iter=3, random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        start = [c.copy() for c in model.coefs_ + model.intercepts_]
        model.set_params(solver="sgd", learning_rate_init=0.05, momentum=0.0, max_iter=1,
                         shuffle=False, batch_size=len(X))
        model.fit(X, y)
    # One full-batch SGD step without momentum from the warm weights: θ − 0.05 ∇J(θ).
    twin = FFNNRegressor(hidden_layer_sizes=(5,), solver="gd", learning_rate_init=0.05,
                         max_iter=1, random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        twin.fit(X, y)  # builds the network; then overwrite it with the warm weights
        twin.coefs_ = start[:2]
        twin.intercepts_ = start[2:]
        twin.fit(X, y)
    for a, b in zip(model.coefs_ + model.intercepts_, twin.coefs_ + twin.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_warm_start_fit_restarts_adam_but_partial_fit_continues_it():
    X, y = _regression()
    params = dict(hidden_layer_sizes=(5,), max_iter=4, random_state=0, shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warm = FFNNRegressor(warm_start=True, **params).fit(X, y)
        middle = [c.copy() for c in warm.coefs_ + warm.intercepts_]
        warm.fit(X, y)
        assert len(warm.loss_curve_) == 8 and warm.n_iter_ == 4
        # Another model with another past (one epoch on other targets) takes exactly the same
        # steps from the middle weights: each fit starts a fresh Adam.
        fresh = FFNNRegressor(warm_start=True, **dict(params, max_iter=1)).fit(X, -y)
        fresh.set_params(max_iter=4)
        fresh.coefs_, fresh.intercepts_ = middle[:2], middle[2:]
        fresh.fit(X, y)
    for a, b in zip(warm.coefs_ + warm.intercepts_, fresh.coefs_ + fresh.intercepts_):
        np.testing.assert_array_equal(a, b)
    # partial_fit continues the moments: k partial fits are one fit of k epochs.
    once = FFNNRegressor(**params).fit(X, y)
    parts = FFNNRegressor(**params)
    for _ in range(4):
        parts.partial_fit(X, y)
    for a, b in zip(once.coefs_, parts.coefs_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("schedule, change", [
    ("invscaling", dict(learning_rate_init=0.05)),
    ("invscaling", dict(power_t=0.9)),
    ("invscaling", dict(learning_rate="constant")),
    ("constant", dict(learning_rate="invscaling")),
    ("constant", dict(learning_rate="adaptive", tol=0.5, n_iter_no_change=1)),
])
def test_partial_fit_keeps_the_schedule_of_the_update_rule_it_continues(schedule, change):
    # partial_fit goes on with the SGD rule of its first call, and with it the learning-rate
    # schedule it was made with (as its momentum and its constant rate): set_params between
    # calls changes neither, as in scikit-learn. A fit starts a rule of the parameters now set.
    X, y = _regression()
    params = dict(hidden_layer_sizes=(5,), solver="sgd", learning_rate=schedule,
                  learning_rate_init=0.01, power_t=0.25, random_state=0, shuffle=False)
    changed, kept = FFNNRegressor(**params), FFNNRegressor(**params)
    for _ in range(3):
        changed.partial_fit(X, y)
        kept.partial_fit(X, y)
    changed.set_params(**change)
    kept.set_params(**{k: v for k, v in change.items() if k in ("tol", "n_iter_no_change")})
    for _ in range(3):
        changed.partial_fit(X, y)
        kept.partial_fit(X, y)
    for a, b in zip(changed.coefs_ + changed.intercepts_, kept.coefs_ + kept.intercepts_):
        np.testing.assert_array_equal(a, b)


def test_a_warm_fit_that_never_beats_the_best_score_goes_back_to_the_earlier_best():
    # The second fit's epochs all score below the first fit's best: early stopping keeps the
    # weights best_validation_score_ describes, the first fit's (scikit-learn keeps the last
    # epoch's; see the README's porting table).
    X, y = _regression(n=80)
    model = FFNNRegressor(hidden_layer_sizes=(6,), solver="sgd", learning_rate_init=0.05,
                          early_stopping=True, warm_start=True, shuffle=False, alpha=0.0,
                          random_state=1)
    X_val, y_val = X[60:], y[60:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X[:60], y[:60], validation_data=(X_val, y_val))
        best = [c.copy() for c in model.coefs_ + model.intercepts_]
        best_score = model.best_validation_score_
        model.set_params(learning_rate_init=0.5)  # steps too large to improve on it
        model.fit(X[:60], y[:60], validation_data=(X_val, y_val))
    assert max(model.validation_scores_[-model.n_iter_:]) < best_score
    assert model.best_validation_score_ == best_score
    for a, b in zip(model.coefs_ + model.intercepts_, best):
        np.testing.assert_array_equal(a, b)
    assert model.score(X_val, y_val) == pytest.approx(best_score, rel=1e-12)


# -- 2. lbfgs ignores early_stopping and trains on every row ---------------------------------


def test_lbfgs_with_early_stopping_uses_all_rows():
    X, y = _regression()
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = FFNNRegressor(**params).fit(X, y)
        early = FFNNRegressor(early_stopping=True, **params).fit(X, y)
    for a, b in zip(plain.coefs_, early.coefs_):
        np.testing.assert_array_equal(a, b)
    assert early.validation_scores_ is None and early.best_validation_score_ is None


def test_lbfgs_records_scores_of_validation_data_it_is_given():
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=10, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X[:100], y[:100], validation_data=(X[100:], y[100:]))
    assert len(model.validation_scores_) == len(model.loss_curve_) == model.n_iter_
    assert model.validation_scores_[-1] == pytest.approx(model.score(X[100:], y[100:]))


# -- 3. coefs_[i] = W and intercepts_[i] = c change the model --------------------------------


def test_assigning_one_layer_of_coefs_and_intercepts_changes_the_model():
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    W = np.arange(12.0).reshape(4, 3) / 10
    model.coefs_[0] = W
    model.intercepts_[1] = np.array([0.25])
    np.testing.assert_array_equal(model.coefs_[0], W)
    np.testing.assert_array_equal(model.network_.layers[0].W, W.T)
    assert model.network_.layers[1].c[0] == 0.25
    expected = np.maximum(X @ W + model.intercepts_[0], 0) @ model.coefs_[1] + 0.25
    np.testing.assert_allclose(model.predict(X), expected.ravel())
    # In-place writes and whole-list assignment keep working.
    model.coefs_[1][0, 0] = 7.0
    assert model.network_.layers[1].W[0, 0] == 7.0
    model.coefs_[1] += 1.0
    assert model.network_.layers[1].W[0, 0] == 8.0
    model.coefs_ = [np.zeros((4, 3)), np.ones((3, 1))]
    np.testing.assert_array_equal(model.network_.layers[0].W, 0)
    with pytest.raises(ValueError, match="shape"):
        model.coefs_[0] = np.zeros((3, 3))
    with pytest.raises(TypeError, match="number of layers"):
        model.coefs_.append(np.zeros((1, 1)))


@pytest.mark.parametrize("name, value", [("out_activation_", "relu"), ("n_layers_", 2),
                                         ("n_outputs_", 2)])
def test_assigning_what_the_network_fixes_is_refused(name, value):
    """scikit-learn's forward pass reads out_activation_ and n_layers_, so assigning them changes
    its predictions (a known way to bound a regressor's outputs). The network fixes them here;
    the assignment was kept and ignored, and predict went on as before without a word."""
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    before = getattr(model, name)
    with pytest.raises(AttributeError, match=f"{name} cannot be set"):
        setattr(model, name, value)
    assert getattr(model, name) == before
    assert not hasattr(FFNNRegressor(), name)


# -- 4. max_fun is named when L-BFGS stops on it ---------------------------------------------


def test_lbfgs_stopping_on_max_fun_says_so():
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_fun=10, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"function evaluations \(max_fun=10\)") as caught:
        model.fit(X, y)
    assert not any("Maximum iterations" in str(w.message) for w in caught)
    assert model.n_iter_ < model.max_iter


# -- 5. warm_start needs the same classes -------------------------------------------------------


def test_warm_start_with_other_classes_raises_scikit_learns_error():
    X, y = load_iris(return_X_y=True)
    model = FFNNClassifier(hidden_layer_sizes=(2,), solver="lbfgs", warm_start=True,
                           random_state=0, max_iter=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        model.fit(X, np.array([0] * 40 + [1] * 40 + [2] * 70))  # the same classes: fine
    message = ("warm_start can only be used where `y` has the same classes as in the previous "
               "call to fit. Previously got [0 1 2], `y` has [0 1]")
    with pytest.raises(ValueError, match=re.escape(message)):
        model.fit(X, np.array([0] * 75 + [1] * 75))


# -- 6. multilabel partial_fit with classes --------------------------------------------------



def test_warm_start_refuses_a_changed_loss():
    """A changed loss would keep training the old output layer under the old loss while
    get_params named the new one (scikit-learn's loss_ then turns NaN); ffnn says so."""
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(5,), max_iter=3, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        model.set_params(loss="poisson")
        for fit in (model.fit, model.partial_fit):
            with pytest.raises(ValueError, match="loss changed since the last fit .*linear "
                                                 "with squared_error.*warm_start=False"):
                fit(X, np.abs(y))
        model.set_params(warm_start=False).fit(X, np.abs(y))
    assert model.network_.loss_function.name == "poisson"

def test_multilabel_partial_fit_with_classes():
    X, Y = make_multilabel_classification(n_samples=50, n_classes=5, random_state=0)
    model = FFNNClassifier(solver="sgd", hidden_layer_sizes=(20,), random_state=0)
    for _ in range(3):
        model.partial_fit(X, Y, classes=[0, 1, 2, 3, 4])
    assert list(model.classes_) == [0, 1, 2, 3, 4]
    assert model.predict(X).shape == (50, 5)
    with pytest.raises(ValueError, match="classes"):
        FFNNClassifier().partial_fit(X, Y, classes=[0, 1, 2])


# -- 7. a single class -------------------------------------------------------------------------


@pytest.mark.parametrize("label", [1, "only"])
def test_a_single_class_fits_and_predicts_it(label):
    X, _ = _regression(n=30)
    y = np.array([label] * 30, dtype=object if isinstance(label, str) else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = FFNNClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
    assert list(model.classes_) == [label]
    assert (model.predict(X) == label).all()
    np.testing.assert_array_equal(model.predict_proba(X), np.ones((30, 1)))
    assert model.score(X, y) == 1.0


# -- 8. random_state=None follows NumPy's global seed ------------------------------------------


def test_random_state_none_follows_numpys_global_seed():
    X, y = _regression()
    state = np.random.get_state()
    try:
        models = []
        for _ in range(2):
            np.random.seed(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                models.append(FFNNRegressor(hidden_layer_sizes=(5,), max_iter=3).fit(X, y))
        np.testing.assert_array_equal(models[0].coefs_[0], models[1].coefs_[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            third = FFNNRegressor(hidden_layer_sizes=(5,), max_iter=3).fit(X, y)
        assert not np.array_equal(third.coefs_[0], models[0].coefs_[0])
    finally:
        np.random.set_state(state)


# -- 9. scikit-learn's starting weights --------------------------------------------------------


def _initial_parameters(Estimator, **params):
    """The weights a fit starts from: one step with a learning rate of 1e-300 changes none."""
    X = np.random.default_rng(0).normal(size=(10, 30))
    y = np.arange(10) % 2
    model = Estimator(hidden_layer_sizes=(40, 20), max_iter=1, solver="sgd", momentum=0,
                      learning_rate_init=1e-300, alpha=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return [np.array(a) for a in model.coefs_ + model.intercepts_]


@pytest.mark.parametrize("activation", ["relu", "logistic", "tanh", "identity"])
@pytest.mark.parametrize("random_state", [0, 7, "RandomState(3)"])
def test_initial_weights_are_scikit_learns(activation, random_state):
    """The same random_state starts from scikit-learn's very weights and biases, drawn from
    U(±√(factor/(fan_in + fan_out))), factor 2 for logistic and 6 otherwise."""
    from sklearn.neural_network import MLPClassifier

    def state():
        return np.random.RandomState(3) if random_state == "RandomState(3)" else random_state

    ours = _initial_parameters(FFNNClassifier, activation=activation, random_state=state())
    theirs = _initial_parameters(MLPClassifier, activation=activation, random_state=state())
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    factor = 2.0 if activation == "logistic" else 6.0
    for W, c in zip(ours[:3], ours[3:]):
        bound = np.sqrt(factor / sum(W.shape))
        assert np.abs(W).max() <= bound and np.abs(c).max() <= bound
        if c.size >= 20:  # the hidden layers: enough draws to reach near the bound
            assert np.abs(W).max() > 0.9 * bound and np.abs(c).max() > 0.1 * bound


def test_one_activation_per_layer_sets_each_layers_factor():
    """With a list, each hidden layer's bound follows its own activation and the output layer
    the last hidden layer's."""
    params = _initial_parameters(FFNNClassifier, activation=["logistic", "relu"], random_state=0)
    for W, factor in zip(params[:3], (2.0, 6.0, 6.0)):
        bound = np.sqrt(factor / sum(W.shape))
        assert np.abs(W).max() <= bound
        assert W.size < 100 or np.abs(W).max() > 0.9 * bound
    assert np.abs(params[2]).max() > np.sqrt(2.0 / 21)  # the output layer's bound uses 6


# -- 10. batch_size larger than the data ----------------------------------------------------------


def test_batch_size_larger_than_n_samples_is_clipped_with_a_warning():
    X, y = _regression(n=40)
    with pytest.warns(UserWarning, match="Got `batch_size` less than 1 or larger than sample "
                                         "size. It is going to be clipped"):
        FFNNRegressor(batch_size=100, max_iter=1, random_state=0).fit(X, y)


# -- 11. verbose prints scikit-learn's lines -------------------------------------------------------


def test_verbose_prints_the_early_stopping_line(capsys):
    X, y = make_classification(n_samples=200, random_state=0)
    FFNNClassifier(early_stopping=True, n_iter_no_change=2, max_iter=200, random_state=0,
                   verbose=True, learning_rate_init=0.1).fit(X, y)
    out = capsys.readouterr().out
    assert "Validation score: " in out
    assert ("Validation score did not improve more than tol=0.000100 for 2 consecutive "
            "epochs. Stopping.") in out


def test_verbose_prints_the_adaptive_schedule(capsys):
    X, y = make_classification(n_samples=200, random_state=0)
    FFNNClassifier(solver="sgd", learning_rate="adaptive", n_iter_no_change=1, tol=10.0,
                   max_iter=30, random_state=0, verbose=True).fit(X, y)
    out = capsys.readouterr().out
    assert ("Training loss did not improve more than tol=10.000000 for 1 consecutive epochs. "
            "Setting learning rate to 0.000200") in out
    assert "Learning rate too small. Stopping." in out


def test_verbose_numbers_the_iterations_of_each_fit_as_scikit_learn_does(capsys):
    """scikit-learn prints n_iter_, which counts the iterations of the current fit: a warm start
    and every partial_fit begin again at 1 (the loss curve and callbacks go on counting)."""
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, warm_start=True, verbose=True,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        model.fit(X, y)
    model.partial_fit(X, y)
    model.partial_fit(X, y)
    numbers = re.findall(r"Iteration (\d+), loss", capsys.readouterr().out)
    assert numbers == ["1", "2", "1", "2", "1", "1"]
    assert len(model.loss_curve_) == 6


# -- 12. messages that scikit-learn code matches on ------------------------------------------------


def test_non_finite_weights_message_starts_as_scikit_learns():
    rng = np.random.RandomState(0)
    X = np.finfo(np.float64).max * rng.uniform(size=(10, 2))
    with pytest.raises(ValueError, match=re.escape(
            "Solver produced non-finite parameter weights. The input data may contain large "
            "values and need to be preprocessed.")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            FFNNRegressor().fit(X, rng.standard_normal(10))


@pytest.mark.parametrize("limit", [dict(max_iter=3), dict(max_fun=5)])
def test_lbfgs_warning_starts_as_scikit_learns(limit):
    """Code filters L-BFGS's warning by scikit-learn's words (message="lbfgs failed to
    converge"); ffnn's said "L-BFGS: Maximum iterations (3) reached", which no such filter
    caught."""
    X, y = _regression()
    model = FFNNRegressor(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0, **limit)
    with pytest.warns(ConvergenceWarning) as caught:
        model.fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert message.startswith(f"lbfgs failed to converge after {model.n_iter_} iteration(s) "
                              "(status=1):\n")
    with warnings.catch_warnings():
        warnings.filterwarnings("error")
        warnings.filterwarnings("ignore", message="lbfgs failed to converge",
                                category=ConvergenceWarning)
        FFNNRegressor(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0, **limit).fit(X, y)


def test_interrupted_warning_starts_as_scikit_learns():
    """scikit-learn warns "Training interrupted by user." on Ctrl-C; ffnn said "Training
    interrupted by the user ...", which a filter of scikit-learn's words did not catch."""
    X, y = _regression()

    def interrupt(info):
        if info.epoch == 2:
            raise KeyboardInterrupt

    with warnings.catch_warnings():
        warnings.filterwarnings("error")
        warnings.filterwarnings("ignore", message=re.escape("Training interrupted by user."),
                                category=UserWarning)
        model = FFNNRegressor(hidden_layer_sizes=(3,), random_state=0).fit(
            X, y, callback=interrupt)
    assert model.interrupted_ == 3


def test_small_validation_set_message_is_scikit_learns():
    X, y = _regression(n=2)
    with pytest.raises(ValueError, match="The validation set is too small. Increase "
                                         "'validation_fraction' or the size of your dataset."):
        FFNNRegressor(early_stopping=True, random_state=0).fit(X, y)


@pytest.mark.parametrize("params", [
    {"alpha": -1.0}, {"alpha": "big"}, {"solver": "newton"}, {"hidden_layer_sizes": "10"},
    {"hidden_layer_sizes": (0,)}, {"activation": "gelu"}, {"max_iter": 2.5},
    {"shuffle": "yes"}, {"random_state": "seed"}, {"learning_rate": "cyclic"},
    {"batch_size": 0}, {"verbose": -1}, {"loss": "huber"},
    # not sequences where one may stand: list() on them raised a bare TypeError
    {"hidden_layer_sizes": None}, {"hidden_layer_sizes": 2.5}, {"activation": None},
    {"activation": 3}, {"loss": ["squared_error"]}])
def test_bad_parameters_raise_what_scikit_learn_s_callers_catch(params):
    """scikit-learn's InvalidParameterError is both a ValueError and a TypeError: code written
    to catch either (`except TypeError` for a wrong type, say) catches ffnn's error too."""
    from sklearn.neural_network import MLPRegressor

    from ffnn.exceptions import InvalidParameterError

    X, y = _regression(n=20)
    with pytest.raises(ValueError) as theirs:
        MLPRegressor(**params).fit(X, y)
    with pytest.raises(InvalidParameterError, match=next(iter(params))) as ours:
        FFNNRegressor(**params).fit(X, y)
    assert isinstance(ours.value, ValueError) and isinstance(ours.value, TypeError)
    assert isinstance(theirs.value, TypeError) or params == {"hidden_layer_sizes": (0,)}


def test_stratified_split_error_names_the_original_labels():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=r"The least populated classes in y have only 1 "
                                         r"member.*Classes with too few members are: \['b'\]"):
        FFNNClassifier(early_stopping=True).fit(X, ["a", "a", "a", "b"])



def test_a_multiclass_split_is_not_stratified_as_in_scikit_learn():
    """scikit-learn stratifies the early-stopping split only for one output (binary targets):
    a class with one member, or fewer held-out rows than classes, is accepted for three."""
    X = np.random.default_rng(0).normal(size=(40, 3))
    for y, fraction in [(["a"] * 20 + ["b"] * 19 + ["c"], 0.1), (np.arange(40) % 3, 0.05)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = FFNNClassifier(early_stopping=True, validation_fraction=fraction,
                                   max_iter=3, random_state=0).fit(X, y)
        assert len(model.validation_scores_) == 3
    with pytest.raises(ValueError, match="The least populated classes in y have only 1"):
        FFNNClassifier(early_stopping=True).fit(X, ["a"] * 39 + ["b"])

# -- 13. a loss that explodes while staying finite is divergence -----------------------------------


def test_finite_explosion_is_divergence():
    """This fit once returned with loss_ 2.6e147 and no warning: its ReLUs died and the output
    bias ran off, every number finite."""
    X, y = load_iris(return_X_y=True)
    model = FFNNRegressor(solver="sgd", learning_rate_init=1e3, random_state=0)
    with pytest.raises(ffnn.DivergenceError, match=r"diverged at epoch \d+") as error:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, 1e3 * y)
    assert error.value.epoch >= 1
    assert all(np.isfinite(c).all() for c in model.coefs_)



def test_partial_fit_catches_a_loss_that_grows_from_call_to_call():
    """partial_fit runs one epoch per call. With one batch per epoch, a reference taken anew in
    every call is that call's own loss, so the loss once grew to 1e49 (and R² to -1e140) without
    a word; the reference of the first call carries over."""
    X, y = load_diabetes(return_X_y=True)
    X, y = 10 * X[:150], y[:150]
    model = FFNNRegressor(solver="sgd", learning_rate_init=0.1, momentum=0, batch_size=150,
                          hidden_layer_sizes=(10,), random_state=0)
    losses = []
    with pytest.raises(ffnn.DivergenceError, match="is more than 1e[+]04 times"):
        for _ in range(10):
            model.partial_fit(X, y)
            losses.append(model.loss_)
    assert 2 <= len(losses) < 10 and all(np.isfinite(losses))
    assert np.isfinite(model.predict(X)).all()
    # the same epochs in one fit stop at the same epoch
    fitted = FFNNRegressor(solver="sgd", learning_rate_init=0.1, momentum=0, batch_size=150,
                           hidden_layer_sizes=(10,), random_state=0, max_iter=10)
    with pytest.raises(ffnn.DivergenceError) as error:
        fitted.fit(X, y)
    assert error.value.epoch == len(losses) + 1
    np.testing.assert_allclose(fitted.predict(X), model.predict(X), rtol=1e-12)


def test_a_warm_fit_on_other_data_measures_divergence_from_its_own_start():
    """Old weights may start far off on new data (features 1000 times larger here: J 1.4e5
    against 3.9 before); the loss then falls, and that is training, not divergence."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X @ [1.0, 2.0, -1.0] + 0.1 * rng.normal(size=200)
    model = FFNNRegressor(hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=1e-7,
                          max_iter=5, warm_start=True, random_state=0, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        model.fit(1000 * X, y)
    assert model.loss_curve_[5] > 1e4 * model.loss_curve_[4] and model.loss_ < model.loss_curve_[5]

def test_a_loss_that_grows_by_orders_of_magnitude_is_caught_though_finite():
    """The rule itself: an epoch whose loss exceeds DIVERGENCE_FACTOR times the reference (the
    larger of the objective at the starting weights and that of the all-zero network) stops
    training, though every number is finite. Here a callback blows the weights up by 10³ after
    epoch 3, which multiplies the loss of this two-layer ReLU network by about 10¹²."""
    X, y = _regression()
    curve = []

    def blow_up(model):
        def callback(info):
            curve.append(info.loss)
            if info.epoch == 3:
                model.network_.params *= 1e3
        return callback

    model = FFNNRegressor(hidden_layer_sizes=(8,), solver="sgd", max_iter=50, random_state=0)
    with pytest.raises(ffnn.DivergenceError, match=r"diverged at epoch 4: the loss .* times"):
        model.fit(X, y, callback=blow_up(model))
    assert len(curve) == 3 and all(np.isfinite(curve))
    assert np.isfinite(model.network_.params).all()
    # Adam's steps are bounded by its learning rate, and it can come back from such a jump:
    # for Adam a finite loss is not divergence, and training goes on.
    curve.clear()
    adam = FFNNRegressor(hidden_layer_sizes=(8,), solver="adam", learning_rate_init=0.05,
                         max_iter=20, n_iter_no_change=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        adam.fit(X, y, callback=blow_up(adam))
    assert adam.n_iter_ == 20 and max(curve) > 1e6 * curve[0]
    assert curve[-1] < curve[3]


# -- 14. early stopping after a validation score: restore the best weights and warn ------------------


def test_divergence_with_early_stopping_restores_the_best_weights_and_warns():
    """scikit-learn's test_mlp_diverging_loss: no error, a NaN validation score for the epoch
    that diverged, and the weights of the best validation score."""
    X, y = load_iris(return_X_y=True)
    model = FFNNRegressor(hidden_layer_sizes=100, activation="identity", solver="sgd",
                          learning_rate_init=1, max_iter=20, early_stopping=True,
                          random_state=0)
    snapshots = {}
    with pytest.warns(ConvergenceWarning, match=r"diverged at epoch \d+.*best validation score"):
        model.fit(X, y, callback=lambda info: snapshots.update(
            {info.epoch: model.network_.params.copy()}))
    assert np.isnan(model.validation_scores_[-1])
    assert len(model.validation_scores_) == model.n_iter_ == len(model.loss_curve_)
    best = int(np.nanargmax(model.validation_scores_)) + 1
    assert model.best_validation_score_ == model.validation_scores_[best - 1]
    np.testing.assert_array_equal(model.network_.params, snapshots[best])


def test_divergence_in_the_first_epoch_with_early_stopping_still_raises():
    rng = np.random.RandomState(0)
    X = np.finfo(np.float64).max * rng.uniform(size=(30, 2))
    with pytest.raises(ffnn.DivergenceError):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            FFNNRegressor(early_stopping=True, random_state=0).fit(X, rng.standard_normal(30))


def test_partial_fit_of_lbfgs_says_why_it_is_missing():
    model = FFNNClassifier(solver="lbfgs")
    assert not hasattr(model, "partial_fit")
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as error:
        model.partial_fit(np.zeros((2, 1)), [0, 1], classes=[0, 1])
    # as scikit-learn's: the reason is the error's cause
    assert str(error.value.__cause__) == ("partial_fit is only available for stochastic "
                                          "optimizers. lbfgs is not stochastic.")
    assert hasattr(FFNNRegressor(solver="adam"), "partial_fit")


def test_a_negative_verbose_is_refused():
    with pytest.raises(ValueError, match="verbose must be True, False or an int >= 0, got -1"):
        FFNNRegressor(verbose=-1).fit(*_regression(n=10))


def test_a_nan_let_through_by_assume_finite_is_named_as_such():
    """Under scikit-learn's assume_finite=True, X is not checked: a NaN in it made predict say
    that the network's output overflowed, which sends the user to scale inputs or weights."""
    import sklearn

    X, y = make_regression(n_samples=40, n_features=3, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    X[7, 1] = np.nan
    with sklearn.config_context(assume_finite=True):
        with pytest.raises(ValueError, match="input X holds NaN in 1 of 40 rows "
                                             r"\(first: row 7\)"):
            model.predict(X)


def test_a_first_fit_that_fails_after_building_its_network_leaves_no_model():
    """"The validation set is too small" came after the network was built: the estimator then
    predicted from its initial weights as if fitted. A warm fit that fails keeps its model."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    X, y = make_regression(n_samples=12, n_features=3, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(4,), early_stopping=True,
                          validation_fraction=0.05, random_state=0)
    with pytest.raises(ValueError, match="The validation set is too small"):
        model.fit(X, y)
    with pytest.raises(NotFittedError):
        model.predict(X)
    with pytest.raises(NotFittedError):  # n_features_in_ was set before the failure
        check_is_fitted(model)
    fitted = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted.fit(X, y)
    earlier = fitted.predict(X)
    fitted.set_params(early_stopping=True, validation_fraction=0.05)
    with pytest.raises(ValueError, match="The validation set is too small"):
        fitted.fit(X, y)  # a new network, dropped: the earlier model is back
    np.testing.assert_array_equal(fitted.predict(X), earlier)
    warm = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        before = warm.fit(X, y).predict(X)
    warm.set_params(early_stopping=True, validation_fraction=0.05)
    with pytest.raises(ValueError, match="The validation set is too small"):
        warm.fit(X, y)
    np.testing.assert_array_equal(warm.predict(X), before)


@pytest.mark.parametrize("failure", ["weights", "class_weight"])
def test_a_refit_that_fails_leaves_the_earlier_model_whole(failure):
    """A new fit replaced the classes and the features' names before it checked the weights:
    one that failed there left the earlier network answering with the new labels, or reading
    the new column order."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    model = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, np.where(X["a"] > 0, "cat", "dog"))
    before = model.predict_proba(X), model.predict(X)
    refit = {"weights": {"sample_weight": np.r_[-1.0, np.ones(59)]},
             "class_weight": {}}[failure]
    if failure == "class_weight":
        model.set_params(class_weight={"ant": 2.0})
    with pytest.raises(ValueError):
        model.fit(X[["c", "b", "a"]], np.where(X["a"] > 0, "yes", "no"), **refit)
    assert list(model.classes_) == ["cat", "dog"]
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_array_equal(model.predict_proba(X), before[0])
    np.testing.assert_array_equal(model.predict(X), before[1])


def test_a_fit_whose_warning_is_made_an_error_keeps_its_model():
    """With warnings.simplefilter("error"), a fit that reaches max_iter raises its
    ConvergenceWarning once trained; scikit-learn's MLPRegressor keeps the trained model, and
    so does the estimator here (it was removed as if the fit had failed before training)."""
    X, y = make_regression(n_samples=30, n_features=3, random_state=0)
    for solver in ("adam", "lbfgs"):
        model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, solver=solver,
                              random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            with pytest.raises(ConvergenceWarning):
                model.fit(X, y)
        assert model.n_iter_ == 2
        assert model.predict(X).shape == (30,)


def test_the_classifier_names_its_loss_as_scikit_learn_s_does():
    from sklearn.neural_network import MLPClassifier

    assert FFNNClassifier().loss == MLPClassifier().loss == "log_loss"
    assert "loss" not in FFNNClassifier().get_params()


def test_a_first_partial_fit_that_fails_leaves_no_classes():
    """The classes of a first partial_fit were set before its data were checked: after one that
    failed, a call without `classes` trained with those of the failed call, and a call giving
    others was told they differed from the last call's."""
    X, y = make_classification(n_samples=40, n_features=4, n_classes=3, n_informative=3,
                               n_redundant=0, random_state=0)
    bad = X.copy()
    bad[0, 0] = np.nan
    model = FFNNClassifier(hidden_layer_sizes=(4,), random_state=0)
    with pytest.raises(ValueError, match="NaN"):
        model.partial_fit(bad, y, classes=[0, 1, 2, 3])
    assert not hasattr(model, "classes_")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        model.partial_fit(X, y)
    model.partial_fit(X, y, classes=[0, 1, 2])
    assert list(model.classes_) == [0, 1, 2]
    assert model.predict_proba(X).shape == (40, 3)


def test_validation_data_too_small_to_stop_early_on_is_refused():
    """A single row of validation_data has no R²: every score was NaN, none the best, and early
    stopping went back to the initial weights after max_iter epochs, the fit saying only that it
    had not converged. Early stopping refuses fewer than two rows, as it does of its own split."""
    X, y = _regression(n=40)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=5, early_stopping=True,
                          random_state=0)
    with pytest.raises(ValueError, match="The validation set is too small"):
        model.fit(X, y, validation_data=(X[:1], y[:1]))
    with warnings.catch_warnings():  # without early stopping the scores are only recorded
        warnings.simplefilter("ignore")
        model.set_params(early_stopping=False).fit(X, y, validation_data=(X[:1], y[:1]))
    assert model.n_iter_ == 5


@pytest.mark.parametrize("on_held, message", [
    (1.0, "at least one non-zero number in the training rows"),
    (0.0, "at least one non-zero number. The 10 rows held out by early stopping"),
])
def test_a_side_of_the_early_stopping_split_with_no_weight_is_refused(monkeypatch, on_held,
                                                                       message):
    """Where every row of positive weight lands among the held-out rows, the objective's Σw is
    0: the fit ended in a bare ZeroDivisionError. Where none does, the scores are 0/0, which
    scikit-learn's metrics refuse, after a first epoch. Both are refused before any epoch, in
    scikit-learn's words for weights that are all zero, naming the split."""
    X, y = _regression(n=20)
    model = FFNNRegressor(hidden_layer_sizes=(3,), early_stopping=True, validation_fraction=0.5,
                          max_iter=5, random_state=0)
    held = _rows_held_out(monkeypatch, model, X, y)
    w = np.full(len(y), 1.0 - on_held)
    w[held] = on_held
    epochs = []
    with pytest.raises(ValueError, match=message):
        model.fit(X, y, sample_weight=w, callback=epochs.append)
    assert epochs == []


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_validation_curves_have_an_entry_for_every_epoch_of_the_loss_curve(solver, tmp_path):
    """Warm starts with and without validation_data: entry i of each curve is epoch i + 1, the
    epochs not scored NaN (the scores were listed one after the other, so that their index was
    no epoch), and so they stay through a model file."""
    X, y = _regression(n=40)
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=3, warm_start=True, solver=solver,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
        before = len(model.loss_curve_)
        model.fit(X, y, validation_data=(X[:10], y[:10]))
        scored = model.validation_scores_[before:]
        model.fit(X, y)
        if solver != "lbfgs":
            model.partial_fit(X, y)
    epochs, after = len(model.loss_curve_), before + len(scored)
    assert len(scored) == 3 and after < epochs
    for curve in (model.validation_scores_, model.validation_loss_curve_):
        assert len(curve) == epochs
        assert np.isnan(curve[:before]).all() and np.isnan(curve[after:]).all()
        assert np.isfinite(curve[before:after]).all()
    assert model.validation_scores_[before:after] == scored
    assert model.best_validation_score_ == max(scored)
    ffnn.save(model, tmp_path / "m.ffnn")
    loaded = ffnn.load(tmp_path / "m.ffnn")
    np.testing.assert_array_equal(loaded.validation_scores_, model.validation_scores_)


def test_validation_data_of_classes_weighed_zero_is_refused_before_training():
    """Its scores would be 0/0, which scikit-learn's metrics refuse: the fit failed so at the
    first epoch's end, in words that named no validation_data."""
    X, y = _regression(n=40)
    labels = (y > np.median(y)).astype(int)
    model = FFNNClassifier(hidden_layer_sizes=(3,), max_iter=2, class_weight={0: 0.0})
    with pytest.raises(ValueError, match="non-zero number. The 10 rows of validation_data all "
                                         "have weight 0 .their classes' class_weight."):
        model.fit(X, labels, validation_data=(X[:10], np.zeros(10, int)))


def test_early_stopping_refuses_a_validation_fraction_of_zero_naming_it():
    """scikit-learn leaves it to train_test_split, whose message names test_size, a parameter
    the user never gave; validation_data still replaces the split."""
    X, y = _regression(n=20)
    model = FFNNRegressor(hidden_layer_sizes=(3,), early_stopping=True, validation_fraction=0.0,
                          max_iter=2, random_state=0)
    with pytest.raises(ffnn.exceptions.InvalidParameterError, match="validation_fraction"):
        model.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, validation_data=(X[:5], y[:5]))
    assert len(model.validation_scores_) == 2


def _rows_held_out(monkeypatch, model, X, y):
    """The rows early stopping's split holds out when `model` fits X, y (the same on a refit:
    the split is drawn from random_state)."""
    import ffnn.estimators._validation as validation

    held, original = {}, validation.train_test_split

    def split(*args, **kwargs):
        train, val = original(*args, **kwargs)
        held["rows"] = val
        return train, val

    monkeypatch.setattr(validation, "train_test_split", split)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return held["rows"]


def test_a_warm_started_fit_holds_out_the_rows_the_first_fit_held_out(monkeypatch):
    """A split drawn anew at every fit trained the network on the rows it was then scored on:
    after 15 warm fits every row had been trained on, and the validation score (R² 0.83) said
    nothing of new data (R² 0.28). (scikit-learn redraws it from random_state at every fit: see
    the test below.)"""
    import ffnn.estimators._validation as validation

    held, original = [], validation.train_test_split

    def split(*args, **kwargs):
        train, val = original(*args, **kwargs)
        held.append(val)
        return train, val

    monkeypatch.setattr(validation, "train_test_split", split)
    X, y = _regression(n=60)
    model = FFNNRegressor(hidden_layer_sizes=(4,), early_stopping=True, warm_start=True,
                          validation_fraction=0.25, max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            model.fit(X, y)
        assert len(held) == 3
        for rows in held[1:]:
            np.testing.assert_array_equal(rows, held[0])
        # the kept weights are those best_validation_score_ was measured for, on those rows
        assert model.score(X[held[0]], y[held[0]]) == pytest.approx(
            model.best_validation_score_, rel=1e-12)
        model.set_params(warm_start=False).fit(X, y)  # a new network, from the same seed
    np.testing.assert_array_equal(held[-1], held[0])


def _said_of_rows_trained_on(fit, *args,
                             pattern="early stopping may hold out rows this network was trained on"):
    """The warnings of fit(*args) that early stopping scores rows the network trained on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(*args)
    return [str(w.message) for w in caught if pattern in str(w.message)]


@pytest.mark.parametrize("before", ["fit", "partial_fit", "validation_data", "lbfgs"])
def test_early_stopping_after_training_on_every_row_says_it_scores_rows_trained_on(before):
    """A network trained on all its rows (a fit without early stopping, partial_fit, a fit given
    validation_data, L-BFGS) and then warm-started with early stopping is scored on rows it was
    trained on: the scores say little of new data, yet choose the epoch kept. scikit-learn fails
    on this sequence (its validation_scores_ is None); said, not left silent. Rows of another
    number are taken for other data."""
    X, y = _regression(n=60)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0,
                          solver="lbfgs" if before == "lbfgs" else "adam")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if before == "partial_fit":
            model.partial_fit(X, y)
        else:
            model.fit(X, y, validation_data=(X[:5], y[:5]) if before == "validation_data"
                      else None)
    model.set_params(warm_start=True, early_stopping=True, solver="adam")
    said = _said_of_rows_trained_on(model.fit, X, y)
    assert len(said) == 1 and re.search(r": an earlier fit of it .* trained it on all of its "
                                        r"60 rows.*validation_data.*warm_start=False", said[0])
    assert not _said_of_rows_trained_on(model.fit, X[:50], y[:50])  # other rows
    assert not _said_of_rows_trained_on(model.set_params(warm_start=False).fit, X, y)  # new


def test_early_stopping_again_after_a_fit_without_it_says_it_scores_rows_trained_on():
    X, y = _regression(n=60)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0,
                          early_stopping=True, warm_start=True)
    assert not _said_of_rows_trained_on(model.fit, X, y)
    assert not _said_of_rows_trained_on(model.fit, X, y)  # the same rows held out, never trained
    model.set_params(early_stopping=False).fit(X, y)  # trains on them
    assert _said_of_rows_trained_on(model.set_params(early_stopping=True).fit, X, y)


def test_scikit_learns_first_fit_holds_out_other_rows_than_its_warm_starts(monkeypatch):
    """What the README says of scikit-learn's split: redrawn from an integer random_state at
    every fit, after the initial weights at the first fit only, so that its warm starts hold out
    the same rows as one another but not the first fit's; ffnn's hold out the first fit's."""
    import sklearn.neural_network._multilayer_perceptron as theirs
    from sklearn.neural_network import MLPRegressor

    original, held = theirs.train_test_split, []

    def split(*arrays, **kwargs):
        parts = original(*arrays, **kwargs)
        held.append(np.sort(parts[1][:, 0]))  # the held-out rows' first feature: their number
        return parts

    monkeypatch.setattr(theirs, "train_test_split", split)
    X, y = _regression(n=40)
    X[:, 0] = np.arange(40)
    model = MLPRegressor(hidden_layer_sizes=(4,), early_stopping=True, warm_start=True,
                         max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            model.fit(X, y)
    assert not np.array_equal(held[0], held[1])
    np.testing.assert_array_equal(held[1], held[2])


def test_a_random_state_set_after_fit_applies_from_the_next_new_network():
    """The minibatch order of warm starts and partial_fit continues the network's own stream, so
    a random_state that set_params changes applies from the next new network, as the README
    says (scikit-learn shuffles by it at once)."""
    X, y = _regression()
    params = dict(hidden_layer_sizes=(4,), max_iter=3, random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        kept, changed = FFNNRegressor(**params).fit(X, y), FFNNRegressor(**params).fit(X, y)
        kept.fit(X, y)
        changed.set_params(random_state=5).fit(X, y)
        np.testing.assert_array_equal(changed.coefs_[0], kept.coefs_[0])
        changed.set_params(warm_start=False).fit(X, y)
        fresh = FFNNRegressor(**{**params, "random_state": 5}).fit(X, y)
    np.testing.assert_array_equal(changed.coefs_[0], fresh.coefs_[0])


@pytest.mark.parametrize("Estimator", [FFNNRegressor, FFNNClassifier])
def test_a_warm_start_holding_out_a_larger_fraction_says_it_scores_rows_trained_on(Estimator):
    """The split's seed is the network's, and a larger validation_fraction holds out the rows held
    out before and some the earlier fits trained on: said, not left silent. Fewer rows held out
    than before were never trained on, nor, set back, the rows the smallest fraction held out."""
    X, y = _regression(n=60)
    target = y if Estimator is FFNNRegressor else y > 0
    model = Estimator(hidden_layer_sizes=(4,), max_iter=3, random_state=0, early_stopping=True,
                      warm_start=True, validation_fraction=0.1)

    def said(fraction, rows=60):
        model.set_params(validation_fraction=fraction)
        return _said_of_rows_trained_on(model.fit, X[:rows], target[:rows],
                                        pattern="holds out other rows")

    assert not said(0.1)
    larger = said(0.3)
    assert len(larger) == 1 and re.search(
        r"validation_fraction=0\.3 holds out 18 of its 60 rows, where an earlier fit of this "
        r"network held out 6, so some of the rows this fit scores it on were trained on.*"
        r"validation_data", larger[0])
    assert said(0.3) and not said(0.1) and not said(0.05) and said(0.1)
    assert not said(0.3, rows=50)  # other rows (of another number)
    model.set_params(warm_start=False)
    assert not said(0.3)  # a new network


@pytest.mark.parametrize("before", ["fit", "partial_fit", "split"])
def test_early_stopping_on_new_rows_of_the_same_number_is_not_warned_of(before):
    """A warm start on new rows, as many as an earlier fit's, holds out no row the network was
    trained on: not warned of, whether the earlier fit trained on all its rows or held out
    fewer. The same rows again, in another order, still are."""
    X, y = _regression(n=120)
    (X_old, y_old), (X_new, y_new) = (X[:60], y[:60]), (X[60:], y[60:])
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0, warm_start=True,
                          validation_fraction=0.1, early_stopping=before == "split")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        (model.partial_fit if before == "partial_fit" else model.fit)(X_old, y_old)
    model.set_params(early_stopping=True, validation_fraction=0.3)
    pattern = "holds out other rows" if before == "split" else "may hold out rows"
    assert not _said_of_rows_trained_on(model.fit, X_new, y_new, pattern=pattern)
    order = np.random.default_rng(1).permutation(60)
    model.set_params(validation_fraction=0.5)
    assert _said_of_rows_trained_on(model.fit, X_old[order], y_old[order], pattern=pattern)


def test_a_model_recording_rows_by_their_number_alone_still_warns_of_them():
    """A model pickled before rows had a digest records them by their number: its warm starts
    take rows of that number for those rows, as it did, rather than fail."""
    X, y = _regression(n=60)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0, warm_start=True,
                          early_stopping=True, validation_fraction=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    model._unsplit_rows, model._split_held = (60,), {60: 6}
    assert _said_of_rows_trained_on(model.fit, X, y)
    model.set_params(validation_fraction=0.3)
    assert _said_of_rows_trained_on(model.fit, X, y, pattern="holds out other rows")
