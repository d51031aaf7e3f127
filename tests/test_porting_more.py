"""Porting code written for scikit-learn's MLP estimators, run side by side with ffnn's: numpy
scalars and containers where scikit-learn's users pass them, with the same result or a clear
refusal where scikit-learn would refuse too."""

import re

import numpy as np
import pytest
from sklearn.neural_network import MLPRegressor

from ffnn import FFNNClassifier, FFNNRegressor
from ffnn.exceptions import DivergenceError, InvalidParameterError

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 3))
y = X[:, 0] - X[:, 1]


@pytest.mark.parametrize("fraction", [np.float32(0.2), np.float16(0.3), np.float64(0.2)])
def test_a_numpy_validation_fraction_holds_out_the_rows_scikit_learn_holds_out(fraction):
    """A NumPy scalar is a number as any other (a grid of np.linspace values gives them); the
    held-out share is ceil(fraction · n) computed in its own type, as scikit-learn's split does:
    np.float32(0.2) of 50 rows is 10, where float(np.float32(0.2)) · 50 would round up to 11."""
    ours = FFNNRegressor(hidden_layer_sizes=(3,), early_stopping=True, max_iter=2,
                         validation_fraction=fraction, random_state=0)
    with pytest.warns(Warning):
        ours.fit(X, y)
    theirs = MLPRegressor(hidden_layer_sizes=(3,), early_stopping=True, max_iter=2,
                          validation_fraction=fraction, random_state=0)
    with pytest.warns(Warning):
        theirs.fit(X, y)
    assert ours.t_ == theirs.t_ == 2 * (50 - int(np.ceil(fraction * 50)))


@pytest.mark.parametrize("Estimator", [FFNNRegressor, FFNNClassifier])
def test_hidden_layer_sizes_given_as_a_generator_is_refused(Estimator):
    """A generator is read once: the network would be built from what the check before it left
    (no hidden layer at all). scikit-learn refuses it as not array-like."""
    with pytest.raises(InvalidParameterError, match="hidden_layer_sizes .*generator.*list"):
        Estimator(hidden_layer_sizes=(D for D in [4, 3]), max_iter=2).fit(X, y > 0)


def test_activations_given_as_a_generator_are_refused():
    with pytest.raises(InvalidParameterError, match="activation .*generator.*list"):
        FFNNRegressor(hidden_layer_sizes=(4, 3), activation=(a for a in ["relu", "tanh"]),
                      max_iter=2).fit(X, y)


def _both_fitted_for_five_epochs():
    """ffnn's regressor and scikit-learn's, from the same seed, each warning that five epochs
    did not converge."""
    ours = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    theirs = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with pytest.warns(Warning):
        ours.fit(X, y)
    with pytest.warns(Warning):
        theirs.fit(X, y)
    return ours, theirs


def test_predict_after_set_params_activation_uses_the_fitted_activation():
    """scikit-learn's predict reads `activation` afresh, applying a new one to weights trained
    under the old; ffnn's predicts with the network fitted (README, porting table)."""
    ours, theirs = _both_fitted_for_five_epochs()
    before = ours.predict(X[:3])
    np.testing.assert_allclose(before, theirs.predict(X[:3]), rtol=1e-12)
    ours.set_params(activation="tanh")
    theirs.set_params(activation="tanh")
    np.testing.assert_array_equal(ours.predict(X[:3]), before)
    assert np.abs(theirs.predict(X[:3]) - before).max() > 1e-3


def test_r2_of_targets_all_equal_follows_r2_scores_convention():
    """An output whose targets are all 0.1 and predicted otherwise scores 0 (r2_score's rule
    for a constant target), where scikit-learn's score, whose mean of the 0.1s is not 0.1 to
    the last bit, falls below -1e30 (README, porting table)."""
    ours, theirs = _both_fitted_for_five_epochs()
    constant = np.full(len(y), 0.1)
    assert ours.score(X, constant) == 0.0
    assert theirs.score(X, constant) < -1e30
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=1e-12)


@pytest.mark.parametrize("Estimator, target", [(FFNNRegressor, y), (FFNNClassifier, y > 0)])
def test_an_lbfgs_step_that_overflows_scipys_arithmetic_leaves_no_nan_weights(Estimator, target):
    """Sample weights of 1e-200 make the penalty's gradient α·W/Σw about 1e193, whose square
    overflows in SciPy's L-BFGS (beyond 1e154): its first trial step is NaN. That step was taken as the
    result, and the model fitted without error held NaN weights, refused only by predict (as
    parameters to "set to finite numbers"). scikit-learn's fit stops at its initial weights
    with loss_ NaN; ffnn's raises the DivergenceError of a non-finite result and keeps finite
    weights."""
    model = Estimator(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0,
                      warm_start=True)
    with pytest.warns(Warning, match="lbfgs failed to converge"):
        model.fit(X, target)
    before = [W.copy() for W in model.coefs_]
    with pytest.raises(DivergenceError, match="^Solver produced non-finite parameter weights"):
        model.fit(X, target, sample_weight=np.full(len(X), 1e-200))
    assert all(np.isfinite(W).all() for W in model.coefs_)
    np.testing.assert_array_equal(model.coefs_[0], before[0])
    assert np.isfinite(model.predict(X[:2]).astype(float)).all()


@pytest.mark.parametrize("unit", ["datetime64[D]", "timedelta64[s]"])
@pytest.mark.parametrize("Estimator", [FFNNRegressor, FFNNClassifier])
def test_features_that_are_dates_or_durations_are_refused(Estimator, unit):
    """NumPy turns dates into counts of their unit (days since 1970: 18,000 and more), features
    of no scale the network can learn from; scikit-learn's fit does so too, and its predict
    then fails in NumPy's matmul. Refused as the regressor refuses such targets."""
    when = (np.arange(len(X)) + 18_000).astype(unit)[:, None]
    what = "dates" if unit.startswith("datetime") else "durations"
    with pytest.raises(ValueError, match=re.escape(f"X holds {what} ({unit}), not numbers")):
        Estimator(hidden_layer_sizes=(3,), max_iter=2).fit(when, y > 0)
    model = Estimator(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with pytest.warns(Warning):
        model.fit(X[:, :1], y > 0)
    with pytest.raises(ValueError, match=f"^X holds {what}"):
        model.predict(when)


@pytest.mark.parametrize("how", ["fit", "partial_fit"])
def test_a_missing_label_first_is_named_as_one_elsewhere_is(how):
    """A None first among object labels made scikit-learn's type_of_target answer "unknown",
    and the refusal read "Unknown label type: unknown. Maybe you are trying to fit a
    classifier, which expects discrete classes on a regression target with continuous
    values", where a None second is named as the missing label it is."""
    kwargs = {"classes": ["a", "b"]} if how == "partial_fit" else {}
    for labels, index in (([None, "a", "b"], "0, 3, 6"), (["a", None, "b"], "1, 4, 7")):
        y_missing = np.array(labels * 10, dtype=object)[:len(X)]
        with pytest.raises(ValueError, match=re.escape(f"y holds None (a missing label) at "
                                                       f"index {index}")):
            getattr(FFNNClassifier(max_iter=2), how)(X[:len(y_missing)], y_missing, **kwargs)


def test_labels_mixing_numbers_and_strings_are_named_whichever_comes_first():
    for labels in ([1, "a", "b"], ["a", 1, "b"]):
        with pytest.raises(ValueError, match=re.escape("y mixes labels of types that cannot be "
                                                       "compared (int, str)")):
            FFNNClassifier(max_iter=2).fit(X[:30], np.array(labels * 10, dtype=object))


def test_labels_of_types_that_compare_keep_scikit_learns_refusal():
    """True, 2 and 3 compare: no mix of types to name; scikit-learn's words stand."""
    with pytest.raises(ValueError, match="^Unknown label type"):
        FFNNClassifier(max_iter=2).fit(X[:30], np.array([True, 2, 3] * 10, dtype=object))
