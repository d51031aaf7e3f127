"""FFNNRegressor and FFNNClassifier inside scikit-learn's meta-estimators and tools: what their
tags promise, and what the estimators do with the weights those tools pass."""

import warnings

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
