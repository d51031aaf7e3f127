"""The estimators on Dask inputs answer as they do in memory where inputs are unusual: weights
of both signs, a Series for X, categories Dask has not listed, labels that are not finite,
splits that leave nothing to train on, columns of one name, blocks whose prediction fails."""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import pandas as pd  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402

from ffnn import FFNNClassifier, FFNNRegressor  # noqa: E402


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -1.0, 0.5]
    labels = np.digitize(y, [-1, 1])
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (X, y, labels, FFNNRegressor(**params).fit(X, y),
                FFNNClassifier(**params).fit(X, labels))


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_scores_refuse_weights_that_sum_to_zero_as_in_memory(client, fitted, kind):
    X, y, labels, regressor, classifier = fitted
    model, target = (regressor, y) if kind == "regressor" else (classifier, labels)
    w = np.r_[np.ones(20), -np.ones(20)]  # not all zero, but Σw = 0: no mean to take
    with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
        model.score(X, target, sample_weight=w)
    with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
        model.score(da.from_array(X, chunks=(10, 3)), da.from_array(target, chunks=10),
                    sample_weight=da.from_array(w, chunks=10))


def test_a_series_for_x_is_refused_as_in_memory(client, fitted):
    X, y, _, regressor, _ = fitted
    series = pd.Series(X[:, 0], name="a")
    one = FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1)
    with pytest.raises(ValueError, match="2-dimensional"):
        one.fit(series, y)
    with pytest.raises(ValueError, match="2-dimensional"):
        regressor.predict(series)
    for call in (lambda X: one.fit(X, da.from_array(y, chunks=20)), regressor.predict,
                 lambda X: regressor.score(X, y)):
        with pytest.raises(ValueError, match=r"Expected a 2D table, got a dask Series "
                                             r"instead: pass X\.to_frame\(\)"):
            call(dd.from_pandas(series, npartitions=2))


@pytest.mark.parametrize("labels", [np.array([0, 1, 2]), np.array([0.0, 1.0, 2.0]),
                                    np.array([False, True, True])])
def test_labels_of_categories_dask_has_not_listed_are_classes_as_in_memory(client, fitted,
                                                                           labels):
    """Dask's astype("category") leaves the categories unknown (a placeholder of text) until
    they are computed; the labels are their values, of the values' type, as in memory."""
    X, _, digits, _, _ = fitted
    y = pd.Series(labels[digits % len(labels)])
    params = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        memory = FFNNClassifier(**params).fit(X, y.astype("category"))
        categories = dd.from_pandas(y, npartitions=3).astype("category")
        assert not categories.cat.known
        cluster = FFNNClassifier(**params).fit(da.from_array(X, chunks=(14, 3)), categories)
    np.testing.assert_array_equal(cluster.classes_, memory.classes_)
    assert cluster.classes_.dtype == memory.classes_.dtype
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10)


def test_categories_of_booleans_are_floats_in_a_frame_and_where_known_as_in_memory(client,
                                                                                  fitted):
    X, _, digits, _, _ = fitted
    y = pd.Series(digits > 0)
    params = dict(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=1, random_state=0)
    frame = dd.from_pandas(y.to_frame("label"), npartitions=3).astype("category")
    known = dd.from_pandas(y.astype("category"), npartitions=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        memory = FFNNClassifier(**params).fit(X, y.astype("category"))
        assert memory.classes_.dtype == np.float64  # scikit-learn's, in memory
        for labels in (frame, known):
            cluster = FFNNClassifier(**params).fit(da.from_array(X, chunks=(14, 3)), labels)
            assert cluster.classes_.dtype == memory.classes_.dtype


def test_categorical_columns_of_numbers_in_x_are_their_values_as_in_memory(client):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=30).astype(np.float32),
                          "b": pd.Categorical(rng.integers(0, 3, 30)),
                          "c": pd.Categorical(rng.integers(0, 2, 30).astype(bool))})
    y = frame["a"].to_numpy(np.float64) + frame["b"].to_numpy(np.float64)
    params = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        memory = FFNNRegressor(**params).fit(frame, y)
        known = dd.from_pandas(frame, npartitions=3)
        unknown = dd.from_pandas(frame.astype({"b": "int64", "c": bool}), npartitions=3)
        unknown = unknown.astype({"b": "category", "c": "category"})
        assert not unknown["b"].cat.known
        for X in (known, unknown):
            cluster = FFNNRegressor(**params).fit(X, da.from_array(y, chunks=10))
            assert cluster.network_.dtype == memory.network_.dtype
            np.testing.assert_allclose(cluster.network_.params, memory.network_.params,
                                       rtol=1e-10)
            np.testing.assert_allclose(cluster.predict(X).compute(), memory.predict(frame),
                                       rtol=1e-12)
    text = dd.from_pandas(frame.assign(b=pd.Categorical(["x", "y", "z"] * 10)), npartitions=3)
    with pytest.raises(ValueError, match=r"non-numeric columns \(b \(category\)\)"):
        FFNNRegressor(**params).fit(text, da.from_array(y, chunks=10))


def test_a_missing_value_among_categories_of_numbers_is_refused_as_missing(client, fitted):
    X, y, digits, _, classifier = fitted
    labels = pd.Series(pd.Categorical(digits)).mask(np.arange(len(digits)) == 3)
    dX = da.from_array(X, chunks=(14, 3))
    with pytest.raises(ValueError, match="contains NaN"):
        FFNNClassifier(max_iter=1).fit(X, labels)
    with pytest.raises(ValueError, match="contains NaN"):
        classifier.score(X, labels)
    for known in (True, False):
        dy = dd.from_pandas(labels, npartitions=3)
        dy = dy if known else dy.cat.as_unknown()
        with pytest.raises(ValueError, match="contains NaN"):
            FFNNClassifier(max_iter=1).fit(dX, dy)
        with pytest.raises(ValueError, match="contains NaN"):
            classifier.score(dX, dy)
        with pytest.raises(ValueError, match="contains NaN"):
            FFNNRegressor(max_iter=1).fit(dX, dy)


@pytest.mark.parametrize("bad, said", [(np.nan, "Input y contains NaN"),
                                       (np.inf, "Input y contains infinity")])
def test_labels_not_finite_are_refused_without_a_numpy_warning_as_in_memory(client, fitted,
                                                                              bad, said):
    X, _, digits, _, _ = fitted
    labels = digits.astype(float)
    labels[5] = bad
    for X_, y_ in ((X, labels), (da.from_array(X, chunks=(14, 3)),
                                 da.from_array(labels, chunks=14))):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a RuntimeWarning of a cast would come first
            with pytest.raises(ValueError, match=said):
                FFNNClassifier(max_iter=1).fit(X_, y_)


def test_a_split_that_leaves_no_training_row_is_refused_as_in_memory(client, fitted):
    X, _, digits, _, _ = fitted
    model = FFNNClassifier(solver="adam", max_iter=1, early_stopping=True,
                           validation_fraction=0.99)
    with pytest.raises(ValueError, match="train set will be empty"):
        model.fit(X, digits)
    with pytest.raises(ValueError, match="train set will be empty"):
        model.fit(da.from_array(X, chunks=(10, 3)), da.from_array(digits, chunks=10))


@pytest.mark.parametrize("names", [["a", "a", "b"], [0, 0, 1]])
def test_columns_of_one_name_are_refused_as_in_memory(client, fitted, names):
    X, y, _, regressor, _ = fitted
    frame = pd.DataFrame(X, columns=names)
    model = FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1)
    with pytest.raises(ValueError, match="Expected unique column names"):
        model.fit(frame, y)
    with pytest.raises(ValueError, match="Expected unique column names"):
        model.fit(dd.from_pandas(frame, npartitions=2), da.from_array(y, chunks=20))
    with pytest.raises(ValueError, match="Expected unique column names"):
        regressor.predict(dd.from_pandas(frame, npartitions=2))


def test_a_prediction_refused_in_a_block_says_where_the_block_lies_in_x(client, fitted):
    X, y, _, _, _ = fitted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNRegressor(hidden_layer_sizes=(2,), max_iter=2).fit(X.astype(np.float32), y)
    far = X.copy()
    far[13] = 1e300  # beyond float32: the output overflows at X's row 13, the block's row 3
    with pytest.raises(ValueError, match="first: row 13"):
        model.predict(far)
    with pytest.raises(ValueError, match=r"row 3\).*rows 10 to 19 of X"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            model.predict(da.from_array(far, chunks=(10, 3))).compute()


@pytest.mark.parametrize("columns", [["c", "b", "a"], ["a", "b"], ["a", "b", "e"], ["a", "b", "c", "e"]])
@pytest.mark.parametrize("method", ["predict", "score", "fit"])
def test_columns_other_than_fit_s_are_named_as_in_memory(client, fitted, columns, method):
    X, y, _, _, _ = fitted
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNRegressor(hidden_layer_sizes=(2,), max_iter=2, warm_start=True).fit(frame, y)
    other = frame.rename(columns={"c": "e"}).assign(e=1.0)
    other = other.assign(c=other["e"])[columns]

    def call(X):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(model, method)(X, y) if method != "predict" else model.predict(X)

    with pytest.raises(ValueError) as in_memory:
        call(other)
    with pytest.raises(ValueError) as on_the_cluster:
        out = call(dd.from_pandas(other, npartitions=2))
        out.compute()
    assert str(on_the_cluster.value) == str(in_memory.value)


def test_multilabel_targets_with_dask_inputs_are_refused_saying_what_to_pass(client, fitted):
    """Multilabel training takes no Dask input; the refusal says so of a NumPy y beside a dask X
    too (it asked for NumPy arrays of a user who had given one), and names the fix."""
    X, y, _, _, _ = fitted
    labels = np.c_[y > 0, y > 1].astype(int)
    dX, dlabels = da.from_array(X, chunks=(10, 3)), da.from_array(labels, chunks=(10, 2))
    for inputs in ((dX, dlabels), (dX, labels), (X, dlabels)):
        with pytest.raises(ValueError, match=r"multilabel targets \(y of 2 columns\) train in "
                                             r"memory: pass X and y as NumPy arrays"):
            FFNNClassifier(max_iter=1).fit(*inputs)
    model = FFNNClassifier(hidden_layer_sizes=(2,), max_iter=1).fit(X, labels)
    with pytest.raises(ValueError, match="train in memory"):
        model.partial_fit(dX, dlabels)
    np.testing.assert_array_equal(model.predict(dX).compute(), model.predict(X))


@pytest.mark.parametrize("method", ["fit", "predict", "score"])
def test_an_x_of_other_than_two_dimensions_is_refused_with_its_fix_as_in_memory(client, fitted, method):
    """fit said only 'X must be 2-dimensional' of a 1-D dask X, without the reshape that
    predict suggested; and both suggested that reshape for a 3-D X, which in memory is refused
    in scikit-learn's words."""
    X, y, _, model, _ = fitted
    call = {"fit": lambda X: FFNNRegressor(max_iter=1).fit(X, y), "predict": model.predict,
            "score": lambda X: model.score(X, y)}[method]
    with pytest.raises(ValueError, match=r"got a 1D dask array of shape \(40,\) instead: "
                                         r"reshape it with X\.reshape\(-1, 1\)"):
        call(da.from_array(X[:, 0], chunks=10))
    deep = X[:, :2].reshape(40, 2, 1)
    with pytest.raises(ValueError) as in_memory:
        call(deep)
    with pytest.raises(ValueError) as on_the_cluster:
        call(da.from_array(deep, chunks=10))
    assert str(on_the_cluster.value) == str(in_memory.value)


@pytest.mark.parametrize("signs", ["negative", "mixed"])
def test_r2_with_negative_weights_is_the_in_memory_score(client, fitted, signs):
    """scikit-learn's r2_score takes negative weights; the rule for targets all equal looked
    only at rows of positive weight, so that targets equal on those alone scored 0 (in memory
    and on the cluster) where r2_score gives a score, and on the cluster weights all negative
    failed with NumPy's 'zero-size array to reduction operation minimum'."""
    X, y, _, regressor, _ = fitted
    w = np.linspace(0.5, 2.0, 40) * (-1.0 if signs == "negative" else np.r_[1.0, -0.25][
        np.arange(40) % 2])
    # targets all equal on the rows of positive weight only are not all equal to R²
    level = np.where(w > 0, 1.5, y)
    for target in (y, level):
        expected = regressor.score(X, target, sample_weight=w)
        got = regressor.score(da.from_array(X, chunks=(10, 3)), da.from_array(target, chunks=10),
                              sample_weight=da.from_array(w, chunks=10))
        assert got == pytest.approx(expected, rel=1e-12)
        assert expected == pytest.approx(r2_score(target, regressor.predict(X), sample_weight=w),
                                         rel=1e-12)


@pytest.mark.parametrize("batch_size", [15, 50, "auto"])
def test_batches_larger_than_every_partition_are_warned_of(client, fitted, batch_size):
    """No batch spans two partitions, so a batch_size beyond the training rows of the largest
    partition trains with batches of a partition each, where the same rows in memory train with
    batches of batch_size: said, as `fit --dask` says it, not left to a quiet difference."""
    X, y, _, _, _ = fitted
    dX, dy = da.from_array(X, chunks=(10, 3)), da.from_array(y, chunks=10)
    expected = 40 if batch_size == "auto" else min(batch_size, 40)
    for fit in ("fit", "partial_fit"):
        model = FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1, batch_size=batch_size)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(model, fit)(dX, dy)
        said = [str(w.message) for w in caught if "largest Dask partition" in str(w.message)]
        assert len(said) == 1 and said[0].startswith(
            f"batch_size={batch_size!r} ({expected} rows) is beyond the 10 training rows of the "
            "largest Dask partition")
        assert all(w.filename == __file__ for w in caught if "largest Dask" in str(w.message))
    for params in (dict(batch_size=10), dict(batch_size=50, solver="lbfgs"),
                   dict(batch_size=50, solver="gd")):  # batches that fit, and no batches
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1, **params).fit(dX, dy)
        assert not [w for w in caught if "largest Dask partition" in str(w.message)]


def test_columns_of_labels_other_than_0_and_1_are_not_sent_to_memory(client, fitted):
    """A y of several columns of labels (multiclass-multioutput) trains neither on a cluster nor
    in memory: the refusal on the cluster sent it to memory as multilabel targets, where fit
    then refused it in other words."""
    X, y, labels, _, _ = fitted
    pairs = np.array(["a", "b", "c"])[np.c_[labels, labels[::-1]]]
    with pytest.raises(ValueError, match="Multioutput target data is not supported"):
        FFNNClassifier(max_iter=1).fit(X, pairs)
    with pytest.raises(ValueError, match=r"multilabel targets \(y of 2 columns\) train in "
                                         r"memory.*; other labels in several columns "
                                         r"\(multiclass-multioutput\) train in neither"):
        FFNNClassifier(max_iter=1).fit(da.from_array(X, chunks=(10, 3)),
                                       da.from_array(pairs, chunks=(10, 2)))


def test_inputs_made_dask_collections_in_threads_at_once_leave_dask_s_configuration_as_it_was(
        fitted):
    """A pandas y beside a dask X (in fit, score, validation_data) becomes a Dask collection
    without Dask's conversion of its text, an option set for that call alone; calls in
    several threads at once left it set for the whole process (each put back the value it
    found, which may be another's)."""
    import dask
    from at_once import run_at_once

    from ffnn.estimators._dask_inputs import together

    X, y = da.from_array(fitted[0], chunks=10), pd.Series(fitted[1])
    before, made = repr(dask.config.config), []

    def convert(k):
        for _ in range(40):
            made.append(together(X, y)[1])

    run_at_once(convert, 6)
    assert repr(dask.config.config) == before
    assert len(made) == 240 and all(part.npartitions == 4 for part in made)
