"""Fits, predictions and scores on Dask inputs against the in-memory estimator on the same rows:
where the two could part without a word (names of features, early stopping's held-out rows)."""

import dataclasses
import re
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import pandas as pd  # noqa: E402

from ffnn import FFNNClassifier, FFNNRegressor  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, X @ [1.0, -1.0, 0.5]


def quiet(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **kwargs)


PARAMS = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=2, random_state=0)


def test_column_names_of_numpy_strings_name_no_features_as_in_memory(client, rows):
    """scikit-learn takes a table's column names for feature names only where all are of type
    str: NumPy's str_ names none, and a mix of the two is refused. The cluster took both for
    names, so that the model then warned of the same table in memory."""
    X, y = rows
    numpy_names = pd.DataFrame(X, columns=pd.Index([np.str_(c) for c in "abc"], dtype=object))
    memory = quiet(FFNNRegressor(**PARAMS).fit, numpy_names, y)
    cluster = quiet(FFNNRegressor(**PARAMS).fit, dd.from_pandas(numpy_names, npartitions=2), y)
    assert not hasattr(memory, "feature_names_in_")
    assert not hasattr(cluster, "feature_names_in_")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no word of feature names, as for the memory's model
        np.testing.assert_allclose(cluster.predict(numpy_names), memory.predict(numpy_names),
                                   rtol=1e-10)
    mixed = pd.DataFrame(X, columns=pd.Index(["a", np.str_("b"), "c"], dtype=object))
    for given in (mixed, dd.from_pandas(mixed, npartitions=2)):
        with pytest.raises(TypeError, match=r"only supported if all input features have string "
                                            r"names, but your input has \['str', 'str_'\]"):
            quiet(FFNNRegressor(**PARAMS).fit, given, y)


def test_a_warm_start_whose_rows_are_held_otherwise_says_its_split_is_not_the_last_one(client,
                                                                                      rows):
    """A network's early-stopping split is drawn once from one seed, so that a warm start holds
    out the rows held out before; but the rows a seed holds out in memory are not those it holds
    out partition by partition on a cluster, nor in partitions of other sizes. A warm start
    whose rows are held otherwise than an earlier fit's is scored on rows that fit trained on:
    said, not left silent."""
    from sklearn.model_selection import train_test_split

    from ffnn.training.batches import held_out_plan, held_out_rows

    X, y = rows
    params = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0, early_stopping=True,
                  warm_start=True, validation_fraction=0.2)
    model = quiet(FFNNRegressor(**params).fit, X, y)
    in_memory = set(train_test_split(np.arange(40), test_size=0.2,
                                     random_state=model._split_seed)[1])
    counts, seeds = held_out_plan([10] * 4, 0.2, model._split_seed)
    on_cluster = {10 * p + r for p in range(4)
                  for r in held_out_rows(10, counts[p], seeds[p])[1]}
    assert len(in_memory) == len(on_cluster) == 8 and in_memory != on_cluster

    def split_warnings(model, *inputs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(*inputs)
        said = [w for w in caught if "holds out other rows" in str(w.message)]
        assert all(w.filename == __file__ for w in said)  # the caller's line
        return [str(w.message) for w in said]

    by_tens = [da.from_array(a, chunks=10) for a in (X, y)]
    by_twenties = [a.rechunk(20) for a in by_tens]
    tens = "Dask partitions of 10, 10, 10, 10 rows"
    for inputs, earlier, now in [(by_tens, "in memory", tens),
                                 (by_tens, "in memory", tens),  # trained on memory's rows
                                 (by_twenties, f"in memory and in {tens}", "20, 20 rows"),
                                 ((X, y), f"in {tens} and in Dask partitions of 20", "memory")]:
        said = split_warnings(model, *inputs)
        assert len(said) == 1 and re.search(
            r"early stopping holds out other rows than earlier fits of this network held out: "
            rf"they split its 40 rows {earlier}.*, this fit .*{now}, so some of the rows this "
            r"fit scores the network on were trained on", said[0])
    # rows held alike, or other rows (of another number), are split as in memory: nothing said
    for inputs in ((X, y), by_tens):
        model = quiet(FFNNRegressor(**params).fit, *inputs)
        assert split_warnings(model, *inputs) == []
        assert split_warnings(model, *[a[:30] for a in by_tens]) == []


def test_early_stopping_after_a_cluster_fit_on_every_row_says_it_scores_rows_trained_on(client,
                                                                                       rows):
    """A network trained on all its rows on a cluster, then warm-started with early stopping (in
    memory or on the cluster), is scored on rows it was trained on: said, as in memory."""
    X, y = rows
    by_tens = [da.from_array(a, chunks=10) for a in (X, y)]
    for inputs in ((X, y), by_tens):
        model = quiet(FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit,
                      *by_tens)
        model.set_params(warm_start=True, early_stopping=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(*inputs)
        said = [str(w.message) for w in caught if "may hold out rows this network" in str(w.message)]
        assert len(said) == 1 and "all of its 40 rows" in said[0]


def _said(fit, *inputs):
    """The warnings of fit(*inputs) that early stopping scores rows the network trained on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(*inputs)
    return [str(w.message) for w in caught if "holds out other rows" in str(w.message)
            or "may hold out rows this network" in str(w.message)]


@pytest.mark.parametrize("Model", [FFNNRegressor, FFNNClassifier])
@pytest.mark.parametrize("before", ["all rows", "split"])
def test_a_cluster_warm_start_on_new_rows_of_the_same_number_is_not_warned_of(client, before,
                                                                             Model):
    """Rows on a cluster are told by their digest, as in memory: a warm start on new rows, as
    many as an earlier fit's and in other partitions, holds out no row the network was trained
    on, and is not warned of; the earlier rows again, in other partitions and another order,
    still are."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 3))
    y = X @ [1.0, -1.0, 0.5]
    target = y if Model is FFNNRegressor else np.digitize(y, [-1, 1])
    old, new = slice(0, 40), slice(40, 80)
    model = Model(hidden_layer_sizes=(3,), max_iter=2, random_state=0, warm_start=True,
                  early_stopping=before == "split", validation_fraction=0.1)
    quiet(model.fit, da.from_array(X[old], chunks=10), da.from_array(target[old], chunks=10))
    model.set_params(early_stopping=True, validation_fraction=0.3)
    assert _said(model.fit, da.from_array(X[new], chunks=20),
                 da.from_array(target[new], chunks=20)) == []
    order = rng.permutation(40)
    model.set_params(validation_fraction=0.5)
    assert _said(model.fit, da.from_array(X[old][order], chunks=(15, 25)),
                 da.from_array(target[old][order], chunks=(15, 25)))


@pytest.mark.parametrize("Model", [FFNNRegressor, FFNNClassifier])
def test_a_cluster_fit_and_an_in_memory_warm_start_know_the_same_rows(client, rows, Model):
    """The digest of rows on a cluster is the digest of the same rows in memory: after a fit on
    a cluster, an in-memory warm start on its rows (in any order) is warned of, one on new rows
    of the same number is not (nor, on other new rows, a warm start on a cluster), and the other
    way round."""
    X, y = rows
    target = y if Model is FFNNRegressor else np.digitize(y, [-1, 1])
    new = np.random.default_rng(4).normal(size=(80, 3))
    new_target = new @ [1.0, -1.0, 0.5]
    new_target = new_target if Model is FFNNRegressor else np.digitize(new_target, [-1, 1])
    order = np.random.default_rng(5).permutation(len(X))
    params = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0, warm_start=True,
                  validation_fraction=0.2)
    on_cluster = [da.from_array(a, chunks=10) for a in (X, target)]
    for first, again in [(on_cluster, (X[order], target[order])),
                         ((X, target), [a.rechunk(15) for a in on_cluster])]:
        for early_stopping in (False, True):
            model = quiet(Model(**params, early_stopping=early_stopping).fit, *first)
            model.set_params(early_stopping=True)
            assert _said(model.fit, new[:40], new_target[:40]) == []
            assert _said(model.fit, da.from_array(new[40:], chunks=10),
                         da.from_array(new_target[40:], chunks=10)) == []
            assert len(_said(model.fit, *again)) == 1


def test_rows_streamed_from_their_source_are_known_by_the_same_digest(client, rows, monkeypatch):
    """Rows read again for every pass (over the workers' memory share) give the digest they give
    in memory: an in-memory warm start on them is warned of, one on new rows is not."""
    from ffnn.training import dask_engine

    monkeypatch.setattr(dask_engine, "RESIDENT_SHARE", 0.0)
    X, y = rows
    model = quiet(FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0,
                                warm_start=True).fit, *[da.from_array(a, chunks=10) for a in (X, y)])
    model.set_params(early_stopping=True)
    assert _said(model.fit, X[::-1] + 1.0, y[::-1]) == []
    assert len(_said(model.fit, X[::-1], y[::-1])) == 1


@pytest.mark.parametrize("categories", [np.float32, np.int8])
def test_float32_columns_beside_categories_train_a_float64_network_as_in_memory(client,
                                                                               categories):
    """scikit-learn keeps a table's float32 only where every column is of a NumPy type: one of
    categories makes the whole table float64, whatever the categories' type. The cluster read
    the categories as their values first, and trained a float32 network on float32 beside
    float32 or int8 categories."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=30).astype(np.float32),
                          "b": pd.Categorical(rng.integers(0, 3, 30).astype(categories))})
    y = frame["a"].to_numpy(np.float64) - frame["b"].to_numpy(np.float64)
    memory = quiet(FFNNRegressor(**PARAMS).fit, frame, y)
    cluster = quiet(FFNNRegressor(**PARAMS).fit, dd.from_pandas(frame, npartitions=3), y)
    assert memory.network_.dtype == cluster.network_.dtype == np.float64
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10)


def twin(Model, partitions, **params):
    """An estimator training in memory on partitions of these rows, in the cluster's order."""
    model = Model(**params)
    model._settings = lambda: dataclasses.replace(Model._settings(model),
                                                  partitions=tuple(partitions))
    return model


def layouts(X, y):
    """(name, X, y as Dask inputs, the rows of X's non-empty partitions, the rows kept): rows
    counted by no one (a filter's), among them an empty partition and one of one row; X in
    blocks of columns beside a y in blocks of other rows."""
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=y, k=np.arange(len(y)))
    kept = (frame.k < 10) | (frame.k >= 20) & (frame.k != 31)
    lazy = dd.from_pandas(frame, npartitions=4)  # of 10 rows each
    lazy = lazy[(lazy.k < 10) | (lazy.k >= 20) & (lazy.k != 31)]
    lazy = lazy[(lazy.k < 21) | (lazy.k > 29)]  # the third partition keeps one row
    kept &= (frame.k < 21) | (frame.k > 29)
    yield ("filtered", lazy[["a", "b", "c"]], lazy["t"], (10, 1, 9), kept.to_numpy())
    yield ("columns", da.from_array(X, chunks=((12, 0, 1, 27), 1)), da.from_array(y, chunks=7),
           (12, 1, 27), np.ones(len(y), bool))


@pytest.mark.parametrize("Model, solver", [(FFNNRegressor, "lbfgs"), (FFNNClassifier, "adam")])
def test_rows_held_in_any_blocks_train_the_in_memory_network(client, rows, solver, Model):
    """Full-batch solvers to rounding, minibatch ones step for step against the in-memory run
    over the same partitions; the predictions and score alike."""
    X, y = rows
    target = y if Model is FFNNRegressor else np.digitize(y, [-1, 1])
    params = dict(hidden_layer_sizes=(4,), solver=solver, max_iter=3, random_state=0,
                  batch_size=4)
    for name, dX, dy, partitions, kept in layouts(X, target):
        memory = quiet(twin(Model, partitions, **params).fit, X[kept], target[kept])
        cluster = quiet(Model(**params).fit, dX, dy)
        if solver == "lbfgs":
            np.testing.assert_allclose(cluster.network_.params, memory.network_.params,
                                       rtol=1e-10, atol=1e-13, err_msg=name)
        else:
            np.testing.assert_array_equal(cluster.network_.params, memory.network_.params,
                                          err_msg=name)
            assert cluster.loss_curve_ == memory.loss_curve_, name
        predicted = cluster.predict(dX).compute()
        np.testing.assert_allclose(predicted, memory.predict(X[kept]), rtol=1e-10, atol=1e-13,
                                   err_msg=name)
        assert cluster.score(dX, dy) == pytest.approx(memory.score(X[kept], target[kept]),
                                                      rel=1e-12)


def test_early_stopping_on_tiny_partitions_is_the_in_memory_run_on_the_same_held_out_rows(
        client, rows, monkeypatch):
    """Each partition holds out its share of validation_fraction (none of the smallest);
    training on the rest, the scores and the best epoch's weights are those of the in-memory run
    that holds out the same rows and trains on the same partitions, class weights and all."""
    from ffnn.estimators import _validation
    from ffnn.training import Validation
    from ffnn.training.batches import held_out_plan, held_out_rows

    X, y = rows
    labels = np.digitize(y, [-1, 1])
    partitions = (2, 1, 7, 2, 10, 18)
    params = dict(hidden_layer_sizes=(4,), max_iter=30, random_state=0, batch_size=3,
                  learning_rate_init=0.05, early_stopping=True, validation_fraction=0.2,
                  n_iter_no_change=2, class_weight="balanced")
    cluster = quiet(FFNNClassifier(**params).fit, da.from_array(X, chunks=(partitions, 3)),
                    da.from_array(labels, chunks=5))
    held, seeds = held_out_plan(partitions, 0.2, cluster._split_seed)
    assert held == [0, 0, 2, 0, 2, 4]  # ceil(0.2 · 40) in all
    starts = np.cumsum((0,) + partitions[:-1])
    train, val = (np.concatenate(rows) for rows in zip(*[
        [start + r for r in held_out_rows(m, h, seed)]
        for start, m, h, seed in zip(starts, partitions, held, seeds)]))

    def same_split(est, X, Y, weights, labels, digest=None):
        _validation.split_seed(est, ("memory", len(X)), stacklevel=2)
        scored = Validation(X[val], Y[val], weights[val],
                            est._validation_scorer(X[val], Y[val], weights[val]))
        return X[train], Y[train], weights[train], scored

    monkeypatch.setattr(_validation, "split", same_split)
    memory = quiet(twin(FFNNClassifier, [m - h for m, h in zip(partitions, held)], **params).fit,
                   X, labels)
    assert 2 < cluster.n_iter_ == memory.n_iter_ < 30
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)
    np.testing.assert_allclose(cluster.validation_scores_, memory.validation_scores_,
                               rtol=1e-12)
    np.testing.assert_allclose(cluster.validation_loss_curve_, memory.validation_loss_curve_,
                               rtol=1e-12)
    assert cluster.loss_curve_ == memory.loss_curve_


def test_fitting_dask_inputs_without_a_client_says_how_to_start_one(rows, monkeypatch):
    """No Client (none started, or the last one closed): the refusal names the fix, and leaves
    the estimator unfitted."""
    import distributed

    def none(cls, allow_global=True):  # what Client.current says where no Client is running
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed.Client, "current", classmethod(none))
    X, y = rows
    model = FFNNRegressor(**PARAMS)
    with pytest.raises(ValueError, match=r"fitting on Dask collections needs a distributed "
                                         r"Client: start one with `from distributed import "
                                         r"Client; client = Client\(\)`"):
        model.fit(da.from_array(X, chunks=10), y)
    assert not hasattr(model, "n_features_in_") and not hasattr(model, "network_")


def test_log_probabilities_of_dask_inputs_are_computed_as_in_memory_without_warnings(client,
                                                                                    rows):
    """log(0) is -inf without a word in memory; on the workers, where the graph was computed
    outside predict_log_proba's silence, every block said "divide by zero"."""
    X, y = rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNClassifier(**dict(PARAMS, max_iter=50)).fit(X * 1000, y > 0)
    memory = model.predict_log_proba(X * 1000)
    assert np.isneginf(memory).any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lazy = model.predict_log_proba(da.from_array(X * 1000, chunks=10))
        assert isinstance(lazy, da.Array) and lazy.chunks == ((10,) * 4, (2,))
        np.testing.assert_array_equal(lazy.compute(), memory)


@pytest.mark.parametrize("dask_inputs", [False, True])
def test_durations_as_sample_weights_are_refused_in_memory_and_on_a_cluster(client, rows,
                                                                              dask_inputs):
    # NumPy would take them as counts of their unit, and on a cluster they failed in float()
    X, y = rows
    w = np.arange(1, len(y) + 1).astype("timedelta64[s]")
    if dask_inputs:
        X, y, w = (da.from_array(A, chunks=20) for A in (X, y, w))
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with pytest.raises(ValueError, match=r"sample_weight holds durations \(timedelta64\[s\]\)"):
        model.fit(X, y, sample_weight=w)
    if dask_inputs:
        fitted = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.fit(X, y)
        with pytest.raises(ValueError, match="sample_weight holds durations"):
            fitted.score(X, y, sample_weight=w)
