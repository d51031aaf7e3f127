"""Hostile inputs (Hypothesis): every case ends in finite predictions or a ValueError that names
the problem. benchmarks/hostile_inputs.py runs the same properties with far more cases."""

import numpy as np
import pytest
from hostile_cases import cases, run_case
from hypothesis import HealthCheck, given, settings

import ffnn


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(cases())
def test_hostile_inputs_end_in_finite_predictions_or_a_named_value_error(case):
    _, X, y, estimator, params = case
    run_case(X, y, estimator, params)


@pytest.mark.parametrize("value, words", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_features_are_named(value, words):
    X = np.ones((5, 2))
    X[3, 1] = value
    for model in (ffnn.FFNNRegressor(max_iter=2), ffnn.FFNNClassifier(max_iter=2)):
        with pytest.raises(ValueError, match=words):
            model.fit(X, [0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match=words):
        ffnn.Network([2, 1], ["linear"], "rss").forward(X)


def test_huge_values_diverge_with_a_named_error_not_nan():
    X = np.full((20, 2), 1e300)
    X[::2] *= -1
    model = ffnn.FFNNRegressor(max_iter=5, random_state=0)
    with pytest.raises(ffnn.DivergenceError, match="diverged at epoch 1"):
        model.fit(X, np.arange(20.0))
    assert all(np.isfinite(c).all() for c in model.coefs_)


def test_a_forward_pass_that_overflows_is_refused_not_nan():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    model = ffnn.FFNNRegressor(hidden_layer_sizes=(8, 8), max_iter=20, random_state=0)
    model.fit(X, X.sum(axis=1))
    assert np.isfinite(model.predict(np.full((1, 3), 1e300))).all()  # large, still finite
    # Rows far beyond float32's range overflow in a float32 model: refused by name.
    small = ffnn.FFNNRegressor(hidden_layer_sizes=(8, 8), max_iter=20, random_state=0)
    small.fit(X.astype(np.float32), X.sum(axis=1))
    with pytest.raises(ValueError, match="overflowed for 1 of 2 rows.*row 1.*float32"):
        small.predict(np.array([[0.0, 0.0, 0.0], [1e300, -1e300, 1e300]]))


def test_sample_weights_that_overflow_are_refused():
    with pytest.raises(ValueError, match="sample weights are too large"):
        ffnn.FFNNRegressor(max_iter=2).fit(np.ones((3, 1)), [1.0, 2.0, 3.0],
                                           sample_weight=[1e308, 1e308, 1e308])


def test_strings_are_named_and_a_single_class_is_fitted():
    with pytest.raises(ValueError, match="convert"):
        ffnn.FFNNRegressor(max_iter=2).fit([["a"], ["b"]], [1.0, 2.0])
    # A single class is fitted and predicted, as scikit-learn does.
    assert list(ffnn.FFNNClassifier(max_iter=2).fit([[1.0], [2.0]], ["x", "x"]).predict(
        [[3.0]])) == ["x"]
