"""FFNNRegressor and FFNNClassifier inside scikit-learn's meta-estimators and tools: what their
tags promise, and what the estimators do with the weights those tools pass."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import get_tags

from ffnn import FFNNClassifier, FFNNRegressor


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def test_a_poisson_regressor_tags_its_targets_as_positive_only():
    """It refuses negative targets, so scikit-learn's tools must not be told it takes them."""
    assert get_tags(FFNNRegressor(loss="poisson")).target_tags.positive_only
    assert not get_tags(FFNNRegressor()).target_tags.positive_only


def test_a_classifier_with_class_weight_is_not_tagged_multilabel():
    """class_weight is refused for multilabel targets, so the tag must not promise them."""
    assert get_tags(FFNNClassifier()).classifier_tags.multi_label
    for class_weight in ("balanced", {0: 2.0}):
        assert not get_tags(FFNNClassifier(class_weight=class_weight)).classifier_tags.multi_label


def _lbfgs_classifier(**params):
    return FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=15, random_state=0,
                          **params)


def test_balanced_class_weights_count_rows_by_their_sample_weights():
    """As scikit-learn's compute_class_weight: a row of weight 2 counts as two rows, so that
    weights equal repeated rows, and rows of weight 0 (a bootstrap's unused rows, as
    BaggingClassifier passes them) count not at all."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0.5).astype(int)
    w = rng.integers(0, 4, size=30)
    weighted = _lbfgs_classifier(class_weight="balanced").fit(X, y, sample_weight=w)
    repeated = _lbfgs_classifier(class_weight="balanced").fit(np.repeat(X, w, axis=0),
                                                              np.repeat(y, w))
    np.testing.assert_allclose(weighted.network_.params, repeated.network_.params, rtol=1e-9)


def test_a_class_whose_rows_all_weigh_zero_leaves_the_others_balanced():
    """Its rows count for nothing; the k of n / (k · n_c) is still the classes of y, as in
    scikit-learn's compute_class_weight."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    y = np.digitize(X[:, 0], [-0.5, 0.5])
    w = np.where(y == 2, 0.0, 1.0)
    balanced = _lbfgs_classifier(class_weight="balanced").fit(X, y, sample_weight=w)
    counts = np.bincount(y, weights=w)
    factors = np.divide(counts.sum(), 3 * counts, out=np.ones(3), where=counts > 0)
    explicit = _lbfgs_classifier().fit(X, y, sample_weight=w * factors[y])
    np.testing.assert_allclose(balanced.network_.params, explicit.network_.params, rtol=1e-12)


def test_full_batch_gradient_descent_is_tagged_a_poor_scorer():
    """With the defaults (200 steps of 0.001) it barely leaves the initial weights, so
    scikit-learn's checks of the score it reaches on easy data do not apply."""
    assert get_tags(FFNNClassifier(solver="gd")).classifier_tags.poor_score
    assert get_tags(FFNNRegressor(solver="gd")).regressor_tags.poor_score
    assert not get_tags(FFNNClassifier()).classifier_tags.poor_score
    assert not get_tags(FFNNRegressor(solver="lbfgs")).regressor_tags.poor_score
