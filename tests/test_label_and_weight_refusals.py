"""Labels and sample weights that NumPy cannot handle are refused with a ValueError that names
the problem (issue 13, point 8), not a TypeError from np.unique or a DivergenceError that blames
the learning rate."""

import numpy as np
import pytest
from scipy import sparse

from ffnn import FFNNClassifier, FFNNRegressor
from ffnn.exceptions import DivergenceError

X = np.random.default_rng(0).normal(size=(12, 3))


@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_none_among_string_labels_is_a_value_error(fit):
    y = np.array(["a", "b", None, "a"] * 3, dtype=object)
    model = FFNNClassifier(max_iter=2)
    kwargs = {"classes": ["a", "b"]} if fit == "partial_fit" else {}
    with pytest.raises(ValueError, match=r"y holds None \(a missing label\) at index 2, 6, 10"):
        getattr(model, fit)(X, y, **kwargs)


def test_labels_of_incomparable_types_are_a_value_error():
    y = np.array(["a", 1, "b", 2] * 3, dtype=object)
    with pytest.raises(ValueError, match=r"y mixes labels of types that cannot be compared "
                                         r"\(int, str\)"):
        FFNNClassifier(max_iter=2).fit(X, y)


@pytest.mark.parametrize("class_weight", [np.array([1.0, 2.0]), [1.0, 2.0]])
def test_class_weight_of_an_array_is_an_invalid_parameter(class_weight):
    """An array compared with "balanced" is an array of booleans, whose truth NumPy refuses to
    tell: the check raised NumPy's ValueError instead of naming the parameter."""
    from ffnn.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="class_weight must be None, 'balanced'"):
        FFNNClassifier(max_iter=2, class_weight=class_weight).fit(X, np.arange(12) % 2)


@pytest.mark.parametrize("Model", [FFNNRegressor, FFNNClassifier])
@pytest.mark.parametrize("weight", [5e-324, 1e-310])
def test_sample_weights_whose_sum_underflows_are_refused(Model, weight):
    y = np.arange(12) % 2
    with pytest.raises(ValueError, match="sample weights are too small") as info:
        Model(max_iter=2).fit(X, y, sample_weight=np.full(12, weight))
    assert not isinstance(info.value, DivergenceError)


def test_tiny_but_normal_sample_weights_still_train():
    """Not refused as weights whose sum underflows. (Without alpha=0 the penalty α/(2Σw)‖W‖²,
    about 1e298, leaves L-BFGS no finite step: see test_porting_more.)"""
    y = np.arange(12) % 2
    model = FFNNClassifier(max_iter=2, solver="lbfgs", random_state=0, alpha=0.0)
    model.fit(X, y, sample_weight=np.full(12, 1e-300))
    assert np.isfinite(model.loss_)
    assert all(np.isfinite(W).all() for W in model.coefs_)
    assert model.predict_proba(X).sum(axis=1) == pytest.approx(np.ones(12))


@pytest.mark.parametrize("times", [
    np.arange("2020-01-01", "2020-01-13", dtype="datetime64[D]").astype("datetime64[ns]"),
    np.arange(12).astype("timedelta64[h]")])
def test_dates_and_durations_as_regression_targets_are_refused(times):
    """They were trained on as counts of nanoseconds (a loss of 1e30) without a word."""
    with pytest.raises(ValueError, match=r"y holds (dates|durations) .* convert them"):
        FFNNRegressor(max_iter=2).fit(X, times)
    import pandas as pd

    with pytest.raises(ValueError, match=r"validation y holds (dates|durations)"):
        FFNNRegressor(max_iter=2).fit(X, np.arange(12.0),
                                      validation_data=(X, pd.Series(times)))


@pytest.mark.parametrize("codes", [(-1, 1), (1, 2), (0, 2)])
@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_multilabel_targets_other_than_0_and_1_are_named(codes, fit):
    """scikit-learn trains on them; the refusal spoke of the loss's targets, not of y."""
    y = np.where(np.c_[np.arange(12) % 2, np.arange(12) % 3 == 0], codes[1], codes[0])
    odd = ", ".join(str(c) for c in codes if c not in (0, 1))
    with pytest.raises(ValueError, match=f"multilabel y must hold only 0 and 1 .*got {odd} "):
        getattr(FFNNClassifier(max_iter=2), fit)(X, y)
    if 0 in codes:  # (a sparse y with other values is not taken for multilabel)
        from scipy import sparse

        with pytest.raises(ValueError, match="multilabel y must hold only 0 and 1"):
            FFNNClassifier(max_iter=2).fit(X, sparse.csr_matrix(y))
    y01 = (y == codes[1]).astype(int)
    with pytest.raises(ValueError, match="multilabel validation y must hold only 0 and 1"):
        FFNNClassifier(max_iter=2).fit(X, y01, validation_data=(X, y))


def test_pandas_na_in_labels_targets_or_features_is_named_as_missing():
    """NumPy's TypeError ("boolean value of NA is ambiguous") came through from fit and
    partial_fit said the labels mixed types (NAType, str); still a TypeError, as it was."""
    import pandas as pd

    labels = pd.Series(["a", "b", None, "a"] * 3, dtype="string")  # missing as pandas' NA
    said = r"Input y contains NaN: a missing label .* at index 2, 6, 10"
    for fit, kwargs in (("fit", {}), ("partial_fit", {"classes": ["a", "b"]})):
        with pytest.raises(ValueError, match=said):
            getattr(FFNNClassifier(max_iter=2), fit)(X, labels, **kwargs)
    targets = np.arange(12.0).astype(object)
    targets[5] = pd.NA
    with pytest.raises(TypeError, match=r"Input y contains NaN: a missing value .* index 5;"):
        FFNNRegressor(max_iter=2).fit(X, targets)
    features = pd.DataFrame(X).astype(object)
    features.iloc[7, 1] = pd.NA
    with pytest.raises(ValueError, match=r"Input X contains NaN: .* at index 7;"):
        FFNNRegressor(max_iter=2).fit(features, np.arange(12.0))
    model = FFNNRegressor(max_iter=2).fit(X, np.arange(12.0))
    with pytest.raises(TypeError, match=r"Input X contains NaN: .* at index 7;"):
        model.predict(features.to_numpy())
    with pytest.raises(ValueError, match=r"Input validation X contains NaN: .* at index 7;"):
        FFNNRegressor(max_iter=2).fit(X, np.arange(12.0), validation_data=(features, targets))
    with pytest.raises(ValueError, match=r"Input validation y contains NaN: a missing label"):
        FFNNClassifier(max_iter=2).fit(X, labels.fillna("a"), validation_data=(X, labels))


@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_labels_of_bytes_are_refused_in_scikit_learns_words(fit):
    """They were said to mix types that cannot be compared (bytes), a type of one."""
    y = np.array([b"a", b"b"] * 6)
    kwargs = {"classes": [b"a", b"b"]} if fit == "partial_fit" else {}
    with pytest.raises(TypeError, match="labels represented as bytes is not supported"):
        getattr(FFNNClassifier(max_iter=2), fit)(X, y, **kwargs)


@pytest.mark.parametrize("weight, why", [
    (np.nan, "nan"), (-1.0, "-1.0"), (np.inf, "inf"), ("2", "'2'"), (None, "None"),
    (True, "True"), ([1.0], r"\[1.0\]")])
@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_a_class_weight_that_is_no_weight_is_an_invalid_parameter(weight, why, fit):
    """A class's weight must be a finite number >= 0. NaN was refused as "the sample weights
    sum to zero" and -1 as a negative sample weight (none was given), a string or True was
    trained on as the number it spells, and a list was said to name a class the model lacks."""
    from ffnn.exceptions import InvalidParameterError

    model = FFNNClassifier(max_iter=2, solver="sgd", class_weight={0: weight, 1: 1.0})
    kwargs = {"classes": [0, 1]} if fit == "partial_fit" else {}
    with pytest.raises(InvalidParameterError,
                       match=rf"class_weight must give each class a finite number >= 0, got "
                             rf"{why} for class 0"):
        getattr(model, fit)(X, np.arange(12) % 2, **kwargs)
    assert not hasattr(model, "classes_")


@pytest.mark.parametrize("weight", [0, 2, 0.5, np.float32(3.0), np.int64(4)])
def test_class_weights_of_numpy_and_python_numbers_train(weight):
    model = FFNNClassifier(max_iter=2, solver="lbfgs", random_state=0,
                           class_weight={0: weight, 1: 1.0}).fit(X, np.arange(12) % 2)
    assert np.isfinite(model.loss_)


@pytest.mark.parametrize("sample_weight", [None, np.ones(12)])
def test_class_weights_that_weigh_every_row_zero_say_so(sample_weight):
    """They were refused as "the sample weights sum to zero", where none were given or those
    given were all positive."""
    model = FFNNClassifier(max_iter=2, class_weight={0: 0, 1: 0.0})
    with pytest.raises(ValueError, match=r"class_weight gives weight 0 to every class of y "
                                         r"\(0, 1\); give at least one of them a positive "
                                         r"weight"):
        model.fit(X, np.arange(12) % 2, sample_weight=sample_weight)


@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_targets_too_large_for_a_float32_network_are_refused_as_such(fit):
    """A float32 X trains a float32 network, to whose dtype y is cast: 1e39 became infinity,
    refused as "Y contains NaN or infinity", of a y that holds neither."""
    y = np.r_[np.zeros(10), 1e39, -1e39]
    with pytest.raises(ValueError, match=r"y holds numbers too large for float32 \(beyond "
                                         r"±3\.403e\+38\) in 2 row\(s\) \(first: row 10\); "
                                         r"scale them, or pass X as float64"):
        getattr(FFNNRegressor(max_iter=2, solver="sgd"), fit)(X.astype(np.float32), y)


def test_features_too_large_for_the_float32_network_trained_on_are_refused_as_such():
    model = FFNNRegressor(max_iter=2, solver="sgd").fit(X.astype(np.float32), X[:, 0])
    far = X.copy()
    far[5, 1] = 1e39
    for given in (far, sparse.csr_matrix(far), np.asfortranarray(far)):
        with pytest.raises(ValueError, match=r"X holds numbers too large for float32 .* in 1 "
                                             r"row\(s\) \(first: row 5\); scale them as its "
                                             r"earlier data were"):
            model.partial_fit(given, X[:, 0])
    assert model.partial_fit(np.asfortranarray(X), X[:, 0]).coefs_[0].dtype == np.float32


def test_targets_too_large_for_a_float32_network_trained_on_say_what_to_do_with_float64_x():
    """Training on with float64 X cannot make a float32 network float64: the advice to pass X
    as float64 is for a new network only."""
    x64 = X.astype(np.float64)
    with pytest.raises(ValueError, match=r"y holds .* \(first: row 0\); scale them, or pass X "
                                         r"as float64$"):
        FFNNRegressor(max_iter=2, solver="sgd").fit(X.astype(np.float32), x64[:, 0] * 1e300)
    model = FFNNRegressor(max_iter=2, solver="sgd", warm_start=True).fit(
        X.astype(np.float32), X[:, 0])
    for train_on in (model.fit, model.partial_fit):
        with pytest.raises(ValueError, match=r"y holds .*; scale them: this model's network is "
                                             r"float32, as the X of its first fit was \(fit a "
                                             r"new one to float64 X for a float64 network\)$"):
            train_on(x64, x64[:, 0] * 1e300)


def test_validation_rows_too_large_for_the_float32_network_are_refused_as_such():
    """validation_data was cast to float32 without a check: its overflowed rows scored -inf."""
    far = X.copy()
    far[3, 0] = 1e39
    model = FFNNRegressor(max_iter=2, solver="sgd", early_stopping=True)
    with pytest.raises(ValueError, match=r"validation X holds numbers too large for float32 .* "
                                         r"in 1 row\(s\) \(first: row 3\); scale them as the "
                                         r"training features"):
        model.fit(X.astype(np.float32), X[:, 0], validation_data=(far, X[:, 0]))
    with pytest.raises(ValueError, match=r"validation y holds numbers too large for float32"):
        model.fit(X.astype(np.float32), X[:, 0], validation_data=(X, far[:, 0]))


@pytest.mark.parametrize("class_weight", [{"1": 5.0}, {1: 5.0}, {"0": 1.0, "1": 5.0, "2": 3.0}])
def test_class_weights_of_labels_that_spell_integers_are_applied(class_weight):
    """Labels "0" and "1": the fit's check (scikit-learn's compute_class_weight, which reads
    class "1" as the key 1) took {1: 5} and then weighed no row by it, and refused {"1": 5}
    as naming classes the model does not have."""
    y = (np.arange(12) % 2).astype(str)
    params = dict(max_iter=3, solver="lbfgs", random_state=0)
    weighed = FFNNClassifier(class_weight=class_weight, **params).fit(X, y)
    expected = FFNNClassifier(**params).fit(X, y, sample_weight=np.where(y == "1", 5.0, 1.0))
    np.testing.assert_array_equal(weighed.coefs_[0], expected.coefs_[0])


def test_a_class_weight_naming_no_class_beside_unweighted_ones_says_which():
    y = np.array(["no", "yes"] * 6)
    with pytest.raises(ValueError, match=r"class_weight gives no weight to the classes \['no'\] "
                                         r"of y, and names \['maybe'\], which are none of its "
                                         r"classes \['no', 'yes'\]"):
        FFNNClassifier(max_iter=2, class_weight={"yes": 2.0, "maybe": 1.0}).fit(X, y)
