"""More drop-in fidelity, found by comparing ffnn's estimators with scikit-learn's MLP call by
call: where the two differ, ffnn says so (an error that names the problem) rather than answering
differently in silence."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.neural_network import MLPClassifier, MLPRegressor

from ffnn import FFNNClassifier, FFNNRegressor

FITTED_ATTRIBUTES = ["coefs_", "intercepts_", "n_layers_", "n_outputs_", "out_activation_"]


@pytest.mark.parametrize("name", FITTED_ATTRIBUTES)
@pytest.mark.parametrize("ours, theirs", [(FFNNRegressor, MLPRegressor),
                                          (FFNNClassifier, MLPClassifier)])
def test_an_unfitted_estimator_names_the_attribute_it_lacks(ours, theirs, name):
    """scikit-learn's AttributeError names the attribute asked for, not an inner one."""
    with pytest.raises(AttributeError) as expected:
        getattr(theirs(), name)
    with pytest.raises(AttributeError) as got:
        getattr(ours(), name)
    assert str(got.value) == str(expected.value).replace(theirs.__name__, ours.__name__)
    assert not hasattr(ours(), name)


@pytest.mark.parametrize("name", ["coefs_", "intercepts_"])
def test_assigning_layers_to_an_unfitted_estimator_says_to_fit_first(name):
    with pytest.raises(AttributeError, match=f"{name} .*fit"):
        setattr(FFNNRegressor(), name, [np.zeros((2, 1))])


def _multilabel():
    X, Y = make_multilabel_classification(n_samples=40, n_classes=3, random_state=0)
    return X, Y


@pytest.mark.parametrize("labels", [[0, 1], [0, 1, 2]])
@pytest.mark.parametrize("how", ["partial_fit", "warm_start", "validation_data"])
def test_labels_one_per_row_are_refused_by_a_multilabel_model(how, labels):
    """A multilabel model takes one column of 0 and 1 per label. scikit-learn takes a 1-D y of
    labels 0 and 1 for it too and trains on its one-hot encoding (the label columns 0 and 1 set,
    as if they applied), predicting label rows; ffnn refuses it, naming the model's kind."""
    X, Y = _multilabel()
    y = np.resize(labels, len(X))
    model = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=5, random_state=0,
                           warm_start=how == "warm_start").fit(X, Y)
    before = model.predict(X)
    with pytest.raises(ValueError, match="fitted with multilabel input") as refused:
        if how == "partial_fit":
            model.partial_fit(X, y)
        elif how == "warm_start":
            model.fit(X, y)
        else:
            model.fit(X, Y, validation_data=(X, y))
    assert "3 columns" in str(refused.value)
    np.testing.assert_array_equal(model.predict(X), before)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_a_layer_flattened_is_a_view_that_writes_into_the_model(solver):
    """scikit-learn's coefs_ are row-major arrays, so that coefs_[i].ravel() is a view: writing
    into it (pruning small weights, say) changes the model. So it does here."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    model = FFNNRegressor(hidden_layer_sizes=(4,), solver=solver, max_iter=3,
                          random_state=0).fit(X, X[:, 0])
    assert all(W.flags.c_contiguous for W in model.coefs_)
    model.coefs_[0].ravel()[:] = 0
    model.coefs_[1].reshape(-1)[0] = 5.0
    assert not model.coefs_[0].any() and model.coefs_[1][0, 0] == 5.0
    # with no weight from the inputs, every row gets the output of the hidden biases alone
    hidden = np.maximum(model.intercepts_[0], 0)
    np.testing.assert_allclose(model.predict(X), hidden @ model.coefs_[1][:, 0]
                               + model.intercepts_[1][0])
