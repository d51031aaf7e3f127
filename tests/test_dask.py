"""Training on a Dask cluster is the in-memory training: full-batch solvers to rounding (the
objective is a sum over partitions), minibatch solvers step for step against the in-memory run
that takes the same partitions in the same order (training.batches.PartitionedBatches)."""

import collections
import contextvars
import dataclasses
import re
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from own_activations import DataclassTanh, EqualByName  # noqa: E402
from sklearn.exceptions import DataConversionWarning, UndefinedMetricWarning  # noqa: E402

from ffnn import DivergenceError, FFNNClassifier, FFNNRegressor, Network  # noqa: E402
from ffnn import load as ffnn_load  # noqa: E402
from ffnn.training import dask_engine  # noqa: E402
from ffnn.training.batches import (  # noqa: E402
    PartitionedBatches,
    held_out_counts,
    held_out_rows,
    partition_plan,
)

CHUNK = 70
ROWS = (CHUNK,) * 4 + (20,)  # partitions of unequal sizes, the last smaller than a batch


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = sum(ROWS)
    X = rng.normal(size=(n, 4))
    y = X @ [1.0, -2.0, 0.5, 0.0] + np.sin(X[:, 0]) + rng.normal(scale=0.1, size=n)
    w = rng.uniform(0.2, 3.0, size=n)
    return X, y, w


def dask(*arrays):
    return [da.from_array(a, chunks=(ROWS,) + a.shape[1:]) for a in arrays]


def in_memory_twin(Model, **params):
    """An estimator training in memory on the cluster's partitions, in the cluster's order."""
    model = Model(**params)
    model._settings = lambda: dataclasses.replace(Model._settings(model), partitions=ROWS)
    return model


def results(out):
    """What a command printed, without its notes (such as one saying the files were trained on)."""
    return "\n".join(line for line in out.splitlines() if not line.startswith("note:"))


def quiet(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **kwargs)


@pytest.mark.parametrize("solver", ["lbfgs", "gd"])
def test_full_batch_solvers_reproduce_the_in_memory_fit(client, data, solver):
    X, y, w = data
    params = dict(hidden_layer_sizes=(8, 5), solver=solver, max_iter=25, random_state=0,
                  alpha=1e-3, activation="tanh")
    memory = quiet(FFNNRegressor(**params).fit, X, y, sample_weight=w)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y), sample_weight=dask(w)[0])
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10,
                               atol=1e-10 * np.abs(memory.network_.params).max())
    np.testing.assert_allclose(cluster.loss_curve_, memory.loss_curve_, rtol=1e-10)
    assert cluster.n_iter_ == memory.n_iter_ and isinstance(cluster.network_.params, np.ndarray)


def test_the_objective_is_the_sum_of_the_partitions(client, data):
    """One evaluation of J and ∇J over partitions against the in-memory one, with the penalty."""
    from ffnn.training import Objective
    X, y, w = data
    model = quiet(FFNNRegressor(hidden_layer_sizes=(6,), max_iter=2, random_state=1).fit, X, y)
    net = model.network_
    parts = [(X[a:b], y[a:b, None], w[a:b]) for a, b in zip(np.cumsum((0,) + ROWS[:-1]),
                                                             np.cumsum(ROWS))]
    partitions = dask_engine.Partitions(client, net, [client.scatter(p, hash=False)
                                                      for p in parts], ROWS,
                                        weighted=True)
    assert partitions.n == len(X) and partitions.sum_weights == pytest.approx(w.sum(), 1e-14)
    J, grad = Objective(net, 0.3, len(X), w.sum())(X, y[:, None], w)
    expected = (J, grad.copy())
    J, grad = partitions.full_objective(Objective(net, 0.3, len(X), w.sum()))()
    assert J == pytest.approx(expected[0], rel=1e-13)
    np.testing.assert_allclose(grad, expected[1], rtol=1e-12, atol=1e-15)


def test_a_trainer_refuses_an_unknown_schedule_for_data_on_a_cluster_too(client, data):
    """As for data in memory: Settings(learning_rate='bogus') trained at a constant rate."""
    from ffnn.training import Settings, Trainer
    X, y, _ = data
    net = Network([X.shape[1], 4, 1], ["relu", "linear"], "squared_error", random_state=0)
    bounds = np.cumsum((0,) + ROWS)
    # hash=False: the same rows scattered by the next test must not share this one's keys
    parts = [client.scatter((X[a:b], y[a:b, None], None), hash=False)
             for a, b in zip(bounds[:-1], bounds[1:])]
    partitions = dask_engine.Partitions(client, net, parts, ROWS)
    before = net.params.copy()
    trainer = Trainer(net, Settings(solver="sgd", learning_rate="bogus", max_iter=1),
                      np.random.default_rng(0))
    with pytest.raises(ValueError, match="learning_rate must be one of constant, invscaling, "
                                         "adaptive, got 'bogus'"):
        trainer.run(partitions, None)
    np.testing.assert_array_equal(net.params, before)


def test_partitions_are_spread_over_the_workers_and_the_objective_is_unchanged(client, data):
    """Partitions all computed on one worker end split between the two (140 and 160 of 300
    rows here), so that neither waits on the other at every evaluation."""
    from ffnn.training import Objective
    X, y, _ = data
    net = quiet(FFNNRegressor(hidden_layer_sizes=(6,), max_iter=2, random_state=1).fit, X,
                y).network_
    first = sorted(client.nthreads())[0]
    bounds = np.cumsum((0,) + ROWS)
    parts = [client.scatter((X[a:b], y[a:b, None], None), workers=[first], hash=False)
             for a, b in zip(bounds[:-1], bounds[1:])]
    partitions = dask_engine.Partitions(client, net, parts, ROWS)
    rows = dict.fromkeys(client.nthreads(), 0)
    for part, m in zip(partitions.parts, ROWS):
        (worker,) = client.who_has([part])[part.key]
        rows[worker] += m
    assert sorted(rows.values()) == [140, 160]
    J, grad = Objective(net, 0.3, len(X))(X, y[:, None])
    expected = (J, grad.copy())
    J, grad = partitions.full_objective(Objective(net, 0.3, len(X)))()
    assert J == pytest.approx(expected[0], rel=1e-13)
    np.testing.assert_allclose(grad, expected[1], rtol=1e-12, atol=1e-15)



def test_an_evaluation_sends_one_task_per_worker_thread(client, data):
    """Five partitions on two one-thread workers: an evaluation is two tasks, each taking the
    partitions its worker holds, and J is the sum in partition order as before."""
    from ffnn.training import Objective
    X, y, _ = data
    net = quiet(FFNNRegressor(hidden_layer_sizes=(6,), max_iter=2, random_state=1).fit, X,
                y).network_
    bounds = np.cumsum((0,) + ROWS)
    # hash=False: the same rows scattered by another test may be being forgotten right now
    parts = [client.scatter((X[a:b], y[a:b, None], None), hash=False)
             for a, b in zip(bounds[:-1], bounds[1:])]
    partitions = dask_engine.Partitions(client, net, parts, ROWS)
    with distributed.get_task_stream(client) as stream:
        J, _ = partitions.full_objective(Objective(net, 0.3, len(X)))()
    tasks = [t["worker"] for t in stream.data if "on_partitions" in str(t["key"])]
    assert sorted(tasks) == sorted(client.nthreads())
    assert J == pytest.approx(Objective(net, 0.3, len(X))(X, y[:, None])[0], rel=1e-13)


def test_thread_groups_split_each_workers_partitions_by_rows():
    groups = dask_engine.thread_groups({"a": 2, "b": 1}, ["a", "a", "b", None, "a", "b"],
                                       [50, 30, 10, 7, 25, 10])
    assert sorted(groups, key=str) == sorted([("a", [0]), ("a", [1, 4]), ("b", [2, 5]),
                                              (None, [3])], key=str)
    # never more groups than partitions; a worker the scheduler does not list gets one
    assert dask_engine.thread_groups({"a": 8}, ["a", "c", "c"], [1, 2, 3]) == [
        ("a", [0]), ("c", [1, 2])]
    # partitions without rows are shared out too: no task with nothing to do
    assert dask_engine.thread_groups({"a": 2}, ["a", "a", "a"], [0, 0, 5]) == [
        ("a", [2]), ("a", [0, 1])]


def test_every_worker_is_counted_where_dask_lists_five_by_default():
    """distributed's scheduler_info() listed the first five workers unless asked for all; older
    releases, without the argument, list them all."""
    listed = {f"tcp://10.0.0.{i}:8786": {"memory_limit": 2**30, "nthreads": 4} for i in range(20)}

    class Client:
        def scheduler_info(self, n_workers=5):
            return {"workers": dict(list(listed.items())[:n_workers]) if n_workers >= 0 else
                    listed}

    class Older:
        def scheduler_info(self, **kwargs):
            assert not kwargs
            return {"workers": listed}

    for cluster in (Client(), Older()):
        assert dask_engine.workers(cluster) == listed
        assert dask_engine.memory_limit(dask_engine.workers(cluster)) == 20 * 2**30


def test_the_partitions_stay_on_their_workers(client, data):
    """Each task runs on the worker holding its partition: the scheduler moved partitions to a
    worker idle for the moment, at every evaluation (full batch) and hop (minibatches). What
    may travel is θ and, between hops, the update rule."""
    X, y, _ = data

    def received(dask_worker):
        return [key for entry in dask_worker.transfer_incoming_log for key in entry["keys"]]

    for solver in ("lbfgs", "adam"):
        seen = []  # the keys received by the end of the first epoch and of the last

        def callback(info):
            seen[1:] = [client.run(received)]

        model = FFNNRegressor(hidden_layer_sizes=(6,), solver=solver, max_iter=4,
                              random_state=0, batch_size=20)
        quiet(model.fit, *dask(X, y), callback=lambda info: seen.append(client.run(received))
              if not seen else callback(info))
        first, last = seen
        moved = [key for worker in last for key in last[worker][len(first[worker]):]
                 if str(key).startswith(("_assemble", "_same"))]
        assert len(last) == 2 and moved == []


def test_the_engine_works_on_the_client_it_is_given(client, data, monkeypatch):
    """A client that is not the process's default one (Client(..., set_as_default=False)) is
    the one the engine waits on: with no default client at all, training still runs."""
    X, y, _ = data
    net = quiet(FFNNRegressor(hidden_layer_sizes=(6,), max_iter=2, random_state=1).fit, X,
                y).network_
    with distributed.Client(client.scheduler.address, set_as_default=False) as own:
        monkeypatch.setattr(distributed.client, "_global_clients", {})
        monkeypatch.setattr(distributed.client, "_current_client",
                            contextvars.ContextVar("no client", default=None))
        parts = [own.scatter((X[:150], y[:150, None], None)),
                 own.scatter((X[150:], y[150:, None], None))]
        partitions = dask_engine.Partitions(own, net, parts, (150, len(X) - 150))
        from ffnn.training import Objective
        J, _ = partitions.full_objective(Objective(net, 0.0, len(X)))()
        assert J == pytest.approx(Objective(net, 0.0, len(X))(X, y[:, None])[0], rel=1e-13)


@pytest.mark.parametrize("solver, extra", [("adam", {}), ("sgd", {"momentum": 0.8}),
                                           ("sgd", {"shuffle": False, "learning_rate":
                                                    "invscaling"}),
                                           ("adam", {"batch_size": 10_000})])
def test_minibatch_solvers_are_the_in_memory_training_in_the_same_order(client, data, solver,
                                                                         extra):
    X, y, _ = data
    params = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=4, random_state=0,
                  batch_size=32, learning_rate_init=0.01)
    params.update(extra)  # a batch larger than a partition is the partition
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y))
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)
    assert cluster.loss_curve_ == memory.loss_curve_
    assert cluster.t_ == memory.t_ == 4 * len(X)


def test_sample_weights_in_minibatches(client, data):
    """The same steps; Σw, a sum of the partitions' sums on the cluster, may differ from the
    in-memory sum in its last bit, and so may every step after."""
    X, y, w = data
    params = dict(hidden_layer_sizes=(8,), max_iter=4, random_state=0, batch_size=32)
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y, sample_weight=w)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y), sample_weight=dask(w)[0])
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-12,
                               atol=1e-14)
    np.testing.assert_allclose(cluster.loss_curve_, memory.loss_curve_, rtol=1e-12)


def test_whole_number_targets_and_weights_are_taken_as_in_memory(client, data):
    """Counts (int64) as the targets of the poisson loss, weighted by whole numbers."""
    X, y, w = data
    counts, whole = np.round(np.abs(y)).astype(np.int64), np.round(w).astype(np.int64)
    params = dict(hidden_layer_sizes=(4,), loss="poisson", solver="lbfgs", max_iter=5,
                  random_state=0)
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, counts, sample_weight=whole)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, counts), sample_weight=dask(whole)[0])
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10,
                               atol=1e-12)
    with pytest.raises(ValueError, match="poisson loss needs targets >= 0"):
        FFNNRegressor(loss="poisson", max_iter=1).fit(*dask(X, counts - 3))


def test_partitioned_batches_visit_every_row_once_per_epoch():
    X = np.arange(len(ROWS) and sum(ROWS), dtype=float)[:, None]
    batches = PartitionedBatches(X, X, None, 32, True, np.random.default_rng(3), ROWS)
    seen = np.concatenate([X_B[:, 0] for X_B, _, _ in batches])
    assert sorted(seen) == list(X[:, 0])
    order, seeds = partition_plan(np.random.default_rng(3), len(ROWS), True)
    starts = np.concatenate([[0], np.cumsum(ROWS)])
    first = seen[:min(32, ROWS[order[0]])]  # the first batch comes from the first partition
    assert ((first >= starts[order[0]]) & (first < starts[order[0] + 1])).all()


def test_string_labels_found_with_dask_and_trained_alike(client, data):
    X, y, _ = data
    labels = np.where(y > 0.5, "high", np.where(y < -1, "low", "mid"))
    params = dict(hidden_layer_sizes=(8,), max_iter=4, random_state=0, batch_size=40)
    memory = quiet(in_memory_twin(FFNNClassifier, **params).fit, X, labels)
    dX, dlabels = dask(X, labels)
    cluster = quiet(FFNNClassifier(**params).fit, dX, dlabels)
    assert list(cluster.classes_) == ["high", "low", "mid"]
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)
    predicted = cluster.predict(dX)
    assert isinstance(predicted, da.Array)
    np.testing.assert_array_equal(predicted.compute(), memory.predict(X))
    np.testing.assert_allclose(cluster.predict_proba(dX).compute(), memory.predict_proba(X))
    assert cluster.score(dX, dlabels) == pytest.approx(memory.score(X, labels), abs=1e-15)


def test_pandas_typed_labels_and_targets_are_taken_as_in_memory(client, data):
    X, y, _ = data
    X = pd.DataFrame(X[:90])
    params = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=2, random_state=0)
    for labels in (pd.Series(y[:90] > 0, dtype="boolean"),  # nullable: classes 0.0 and 1.0
                   pd.Series(np.where(y[:90] > 0, 3, 5)).astype("category"),
                   pd.Series(np.where(y[:90] > 0, "up", "down"), dtype="string")):
        memory = quiet(FFNNClassifier(**params).fit, X, labels)
        with warnings.catch_warnings():  # Dask's of converting pandas' text types: none
            warnings.simplefilter("ignore")
            warnings.filterwarnings("error", message=".*extension dtypes")
            cluster = FFNNClassifier(**params).fit(dd.from_pandas(X, npartitions=2),
                                                   dd.from_pandas(labels, npartitions=3))
        np.testing.assert_array_equal(cluster.classes_, memory.classes_)
        assert cluster.classes_.dtype == memory.classes_.dtype
    target = pd.Series(np.round(y[:90] * 10), dtype="Int64")
    memory = quiet(FFNNRegressor(**params).fit, X, target)
    cluster = quiet(FFNNRegressor(**params).fit, dd.from_pandas(X, npartitions=2),
                    dd.from_pandas(target, npartitions=3))
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10)


def test_class_weights_and_binary_labels(client, data):
    X, y, w = data
    labels = (y > 0).astype(int)
    params = dict(hidden_layer_sizes=(5,), max_iter=3, random_state=2, batch_size=50,
                  class_weight="balanced")
    memory = quiet(in_memory_twin(FFNNClassifier, **params).fit, X, labels, sample_weight=w)
    cluster = quiet(FFNNClassifier(**params).fit, *dask(X, labels), sample_weight=dask(w)[0])
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-12,
                               atol=1e-14)


def test_class_weights_that_weigh_every_class_zero_say_so_on_the_cluster(client, data):
    # refused as "the sample weights sum to zero", where none were given
    X, y, _ = data
    model = FFNNClassifier(max_iter=2, class_weight={0: 0, 1: 0})
    with pytest.raises(ValueError, match=r"class_weight gives weight 0 to every class of y "
                                         r"\(0, 1\)"):
        model.fit(*dask(X, (y > 0).astype(int)))


def test_class_weights_weigh_validation_rows_given_apart_as_in_memory(client, data):
    X, y, _ = data
    labels, X_val = (y > 0.5).astype(int), X[:60] + 0.1
    y_val = labels[:60]
    params = dict(hidden_layer_sizes=(5,), max_iter=4, random_state=2, solver="gd",
                  class_weight={0: 1.0, 1: 6.0})
    memory = quiet(FFNNClassifier(**params).fit, X, labels, validation_data=(X_val, y_val))
    assert memory.validation_scores_[-1] != pytest.approx(
        np.mean(memory.predict(X_val) == y_val))  # weighed
    for validation in ((X_val, y_val), (da.from_array(X_val, chunks=25),
                                        da.from_array(y_val, chunks=25))):
        cluster = quiet(FFNNClassifier(**params).fit, *dask(X, labels),
                        validation_data=validation)
        np.testing.assert_allclose(cluster.validation_scores_, memory.validation_scores_,
                                   rtol=1e-12)
        np.testing.assert_allclose(cluster.validation_loss_curve_,
                                   memory.validation_loss_curve_, rtol=1e-10)


def test_a_dask_dataframe_names_the_features(client, data):
    X, y, _ = data
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(target=y)
    ddf = dd.from_pandas(frame, npartitions=3)
    model = quiet(FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit,
                  ddf[["a", "b", "c", "d"]], ddf["target"])
    assert list(model.feature_names_in_) == ["a", "b", "c", "d"]
    predicted = model.predict(ddf[["a", "b", "c", "d"]])
    np.testing.assert_allclose(predicted.compute(), model.predict(frame[["a", "b", "c", "d"]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the names given: nothing to warn of (score warned)
        assert model.score(ddf[["a", "b", "c", "d"]], ddf["target"]) == pytest.approx(
            model.score(frame[["a", "b", "c", "d"]], frame["target"]), rel=1e-12)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(ddf[["b", "a", "c", "d"]])
    # As in memory (scikit-learn's rule): columns named by numbers are no names, which a model
    # fitted with names warns of (it refused them); a mix of both is refused.
    numbered = ddf[["a", "b", "c", "d"]].rename(columns=dict(zip("abcd", range(4))))
    for given in (numbered, dask(X)[0]):
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            np.testing.assert_allclose(model.predict(given).compute(), predicted.compute())
    with pytest.raises(TypeError, match="all input features have string names"):
        model.predict(numbered.rename(columns={0: "a"}))
    unnamed = quiet(FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit,
                    *dask(X, y))
    with pytest.warns(UserWarning, match="X has feature names, but FFNNRegressor was fitted "
                                         "without"):
        unnamed.predict(ddf[["a", "b", "c", "d"]])


def test_float_columns_of_parquet_files_train_as_in_memory(client, data, tmp_path):
    """Dask merges the partitions of a few float columns of small Parquet files as it makes them
    an array (4 files: 2 blocks): the rows are counted in the array's blocks (the frame's
    partition lengths fitted none, and fit failed)."""
    pytest.importorskip("pyarrow")
    X, y, _ = data
    frame = pd.DataFrame(X[:, :2], columns=["a", "b"]).assign(id=np.arange(len(y)), y=y)
    for i in range(4):
        frame.iloc[i * 75:(i + 1) * 75].to_parquet(tmp_path / f"p{i}.parquet", index=False)
    files = dd.read_parquet(tmp_path / "*.parquet")
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0)
    cluster = quiet(FFNNRegressor(**params).fit, files[["a", "b"]], files["y"])
    memory = quiet(FFNNRegressor(**params).fit, frame[["a", "b"]], frame["y"])
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10,
                               atol=1e-12)


def test_validation_on_the_cluster_stops_early_as_in_memory(client, data, monkeypatch):
    """... with the score and the loss of an epoch from one evaluation on the cluster."""
    X, y, _ = data
    X_val, y_val = X[:60] + 0.1, y[:60]
    params = dict(hidden_layer_sizes=(8,), max_iter=40, random_state=0, batch_size=32,
                  learning_rate_init=0.05, early_stopping=True, n_iter_no_change=3, tol=1e-3)
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y,
                   validation_data=(X_val, y_val))
    evaluations = collections.Counter()  # by the number of rows evaluated
    evaluate = dask_engine.Partitions.map

    def counted(partitions, *args):
        evaluations[partitions.n] += 1
        return evaluate(partitions, *args)

    monkeypatch.setattr(dask_engine.Partitions, "map", counted)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y),
                    validation_data=(da.from_array(X_val, chunks=25),
                                     da.from_array(y_val, chunks=25)))
    assert cluster.n_iter_ == memory.n_iter_ < 40
    # the mean and the spread of the targets once, then the score and the loss each epoch
    assert evaluations[60] == 2 + cluster.n_iter_
    np.testing.assert_allclose(cluster.validation_scores_, memory.validation_scores_, rtol=1e-12)
    np.testing.assert_allclose(cluster.validation_loss_curve_, memory.validation_loss_curve_,
                               rtol=1e-12)
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)


def test_a_validation_row_alone_has_no_r2_on_the_cluster_as_in_memory(client, data):
    """R² of one row is not defined: NaN with scikit-learn's warning every epoch, as in memory
    (the cluster scored it 0). Early stopping refuses so few rows, on both."""
    X, y, _ = data
    params = dict(hidden_layer_sizes=(4,), max_iter=3, random_state=0, batch_size=32)
    one_row = (da.from_array(X[:1], chunks=1), da.from_array(y[:1], chunks=1))
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y,
                   validation_data=(X[:1], y[:1]))
    with pytest.warns(UndefinedMetricWarning, match="not well-defined with less than two"):
        cluster = FFNNRegressor(**params).fit(*dask(X, y), validation_data=one_row)
    assert np.isnan(memory.validation_scores_).all() and len(memory.validation_scores_) == 3
    np.testing.assert_array_equal(cluster.validation_scores_, memory.validation_scores_)
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)
    with pytest.raises(ValueError, match="The validation set is too small"):
        FFNNRegressor(**params, early_stopping=True).fit(*dask(X, y), validation_data=one_row)


def test_validation_rows_whose_weights_are_all_zero_are_refused_as_in_memory(client, data,
                                                                            monkeypatch):
    """scikit-learn's metrics refuse weights all zero (a score of 0/0), and so does the
    cluster's validation, where it failed with a ZeroDivisionError; before training, as in
    memory."""
    X, y, w = data
    labels = (y > 0).astype(int)
    weights = np.zeros_like(w)
    weights[5] = 1.0  # not among the rows that random_state=0 holds out
    message = "Sample weights must contain at least one non-zero number"
    for Model, target in ((FFNNRegressor, y), (FFNNClassifier, labels)):
        params = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0, early_stopping=True)
        for inputs in ((X, target, weights), dask(X, target, weights)):
            with pytest.raises(ValueError, match=message):
                quiet(Model(**params).fit, *inputs[:2], sample_weight=inputs[2])
    given = (X[:20], np.zeros(20, int))  # validation rows of a class weighed 0
    for validation in (given, [da.from_array(a, chunks=10) for a in given]):
        epochs = []
        hop = dask_engine.HopEpochs.epoch
        monkeypatch.setattr(dask_engine.HopEpochs, "epoch",
                            lambda self, rule: epochs.append(rule) or hop(self, rule))
        with pytest.raises(ValueError, match=message):
            quiet(FFNNClassifier(hidden_layer_sizes=(3,), max_iter=2, class_weight={0: 0.0}).fit,
                  *dask(X, labels), validation_data=validation)
        assert epochs == []


def test_early_stopping_holds_out_rows_of_every_partition(client, data):
    train, val = held_out_rows(70, 7, seed=5)
    assert len(val) == 7 and len(train) == 63 and not set(train) & set(val)
    # ceil(fraction · n) in all, as train_test_split, however small the partitions
    assert held_out_counts([5] * 60, 0.1) == [1] * 30 + [0] * 30
    assert sum(held_out_counts(ROWS, 0.1)) == 30 and held_out_counts([1, 1], 0.5) == [1, 0]
    X, y, _ = data
    labels = (y > 0).astype(int)
    epochs = []
    model = quiet(FFNNClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0,
                                 early_stopping=True, n_iter_no_change=2).fit,
                  *dask(X, labels), callback=epochs.append)
    assert len(model.validation_scores_) == len(epochs) == model.n_iter_
    assert model.best_validation_score_ == max(model.validation_scores_)
    assert model.t_ == model.n_iter_ * (sum(ROWS) - 30)
    assert all(info.validation_loss is not None for info in epochs)


def test_warm_start_and_partial_fit_continue_on_the_cluster(client, data):
    X, y, _ = data
    params = dict(hidden_layer_sizes=(6,), max_iter=2, random_state=0, batch_size=50,
                  warm_start=True)
    memory = in_memory_twin(FFNNRegressor, **params)
    cluster = FFNNRegressor(**params)
    dX, dy = dask(X, y)
    for _ in range(2):
        quiet(memory.fit, X, y)
        quiet(cluster.fit, dX, dy)
    memory.partial_fit(X, y)
    cluster.partial_fit(dX, dy)
    np.testing.assert_array_equal(cluster.network_.params, memory.network_.params)
    assert cluster.loss_curve_ == memory.loss_curve_ and len(cluster.loss_curve_) == 5


def test_divergence_is_caught_on_the_cluster(client, data):
    X, y, _ = data
    params = dict(hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=50.0,
                  momentum=0.0, max_iter=20, random_state=0)
    with pytest.raises(DivergenceError) as memory:
        quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y * 100)
    with pytest.raises(DivergenceError) as cluster:
        quiet(FFNNRegressor(**params).fit, *dask(X, y * 100))
    assert cluster.value.epoch == memory.value.epoch


def test_streamed_data_trains_the_same(client, data, monkeypatch):
    """Data over the workers' memory share is read again for every pass, a little ahead."""
    monkeypatch.setattr(dask_engine, "RESIDENT_SHARE", 0.0)
    X, y, w = data
    for solver in ("adam", "lbfgs"):
        params = dict(hidden_layer_sizes=(5,), solver=solver, max_iter=3, random_state=0)
        memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y, sample_weight=w)
        cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y), sample_weight=dask(w)[0])
        np.testing.assert_allclose(cluster.network_.params, memory.network_.params,
                                   rtol=1e-10, atol=1e-12)


def test_bad_inputs_are_refused_before_training(client, data):
    X, y, w = data
    with pytest.warns(UserWarning, match="backend='jax' does not apply to Dask inputs"):
        FFNNRegressor(max_iter=1, backend="jax").fit(*dask(X, y))
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        FFNNRegressor(max_iter=1).fit(*dask(bad, y))
    with pytest.raises(ValueError, match="Negative values"):
        FFNNRegressor(max_iter=1).fit(*dask(X, y), sample_weight=dask(-w)[0])
    for shape in ((-1, 1), (-1, 2)):  # a column of weights, as in memory; two, not cryptically
        weights = np.resize(w, (len(w) * (shape[1]),)).reshape(shape)
        with pytest.raises(ValueError, match="Sample weights must be 1D"):
            FFNNRegressor(max_iter=1).fit(*dask(X, y), sample_weight=dask(weights)[0])
        with pytest.raises(ValueError, match="Sample weights must be 1D"):
            FFNNRegressor(max_iter=1).fit(X, y, sample_weight=weights)
    with pytest.raises(ValueError, match="poisson"):
        FFNNRegressor(loss="poisson", max_iter=1).fit(*dask(X, y))
    odd = w.copy()
    odd[5], odd[290] = -1.0, np.nan  # a negative weight in the first partition, NaN in the last
    for inputs in ((X, y, odd), dask(X, y, odd)):  # NaN named, as in memory
        with pytest.raises(ValueError, match="sample_weight contains NaN"):
            FFNNRegressor(max_iter=1).fit(*inputs[:2], sample_weight=inputs[2])
    # no rows: refused as in memory, before the fitted model is touched
    model = quiet(FFNNRegressor(hidden_layer_sizes=(3,), max_iter=1).fit, X, y)
    before = model.network_.params.copy()
    none = [da.zeros((0,) + a.shape[1:], chunks=(0,) + a.shape[1:]) for a in (X, y, w)]
    for args, kwargs in (((*none[:2],), {}), ((*none[:2],), {"sample_weight": none[2]}),
                         (dask(X, y), {"validation_data": none[:2]})):
        with pytest.raises(ValueError, match=r"Found array with 0 sample\(s\)"):
            model.fit(*args, **kwargs)
    np.testing.assert_array_equal(model.network_.params, before)
    with pytest.raises(ValueError, match="multilabel"):
        FFNNClassifier(max_iter=1).fit(*dask(X, np.c_[y > 0, y > 1].astype(int)))


def test_what_in_memory_refuses_is_refused_on_the_cluster(client, data):
    X, y, _ = data
    frame = dd.from_pandas(pd.DataFrame(X[:, :3], columns=["a", "b", "c"]), npartitions=2)
    target = dd.from_pandas(pd.Series(y), npartitions=2)
    model = quiet(FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0,
                                warm_start=True).fit, frame, target)
    for call in (model.fit, model.score):
        with pytest.raises(ValueError, match="feature names should match"):
            call(frame[["c", "b", "a"]], target)
    with pytest.raises(ValueError, match="1 outputs, the network 2"):
        FFNNRegressor(max_iter=1).fit(*dask(X, np.c_[y, y]), validation_data=dask(X, y))
    with pytest.raises(ValueError, match="NaN or infinity"):
        FFNNRegressor(max_iter=1).fit(*dask(X, y), validation_data=dask(X, y * np.nan))
    labels = (y > 0).astype(int)
    with pytest.raises(ValueError, match=r"validation y has classes \[2\] that are not"):
        FFNNClassifier(max_iter=1).fit(*dask(X, labels), validation_data=dask(X, labels * 2))
    with pytest.raises(ValueError, match="must be a pair"):
        FFNNRegressor(max_iter=1).fit(*dask(X, y), validation_data=dask(X))
    dates = (np.datetime64("2020-01-01") + np.arange(len(y))).astype("datetime64[ns]")
    with pytest.raises(ValueError, match="y holds dates"):  # not trained on as nanoseconds
        FFNNRegressor(max_iter=1).fit(*dask(X, dates))
    with pytest.raises(ValueError, match="validation y holds durations"):
        FFNNRegressor(max_iter=1).fit(*dask(X, y), validation_data=dask(X, dates - dates[0]))
    bad = X.copy()
    bad[3, 1] = np.nan  # said before what is wrong with the validation data, as in memory
    for validation in (dask(X), dask(X[:, :2], y)):
        with pytest.raises(ValueError, match="Input X contains NaN"):
            FFNNRegressor(max_iter=1).fit(*dask(bad, y), validation_data=validation)


def test_predictions_are_of_the_model_as_it_was_and_empty_blocks_are_fine(client, data):
    X, y, _ = data
    dX, dy = dask(X, y)
    model = quiet(FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit,
                  dX, dy)
    lazy, now = model.predict(dX), model.predict(X)
    model.partial_fit(X, y)  # changes the weights in place
    np.testing.assert_array_equal(lazy.compute(), now)
    keep = dX[:, 0] > 10  # no row: every block empty, chunk sizes unknown
    assert model.predict(dX[keep]).compute().shape == (0,)
    some = dX[:, 0] > 0
    assert model.score(dX[some], dy[some]) == pytest.approx(model.score(X[X[:, 0] > 0],
                                                                        y[X[:, 0] > 0]))
    nullable = pd.DataFrame({"a": pd.array([1, 2, 3, 4], dtype="Int64"), "b": [0.5] * 4})
    fitted = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1).fit,
                   dd.from_pandas(nullable, npartitions=2), da.arange(4.0, chunks=2))
    assert fitted.n_features_in_ == 2
    # float32 beside bool columns is float32, as in memory
    mixed = pd.DataFrame({"a": np.arange(4, dtype=np.float32), "b": [True, False] * 2})
    fitted = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1).fit,
                   dd.from_pandas(mixed, npartitions=2), da.arange(4.0, chunks=2))
    assert fitted.network_.dtype == np.float32
    assert fitted.predict(dd.from_pandas(mixed, npartitions=2)).dtype == np.float32


def test_scores_of_dask_inputs_are_the_in_memory_scores(client, data):
    X, y, w = data
    labels = np.c_[y > 0, y > 1, X[:, 0] > 0].astype(int)
    model = quiet(FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5,
                                 random_state=0).fit, X, labels)
    dX, dlabels, dw = dask(X, labels, w)
    # multilabel accuracy is the share of rows with every label right, not of labels
    assert model.score(dX, dlabels) == pytest.approx(model.score(X, labels), rel=1e-12)
    assert model.score(dX, dlabels, sample_weight=dw) == pytest.approx(
        model.score(X, labels, sample_weight=w), rel=1e-12)
    regressor = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1).fit, X, y)
    with pytest.warns(UndefinedMetricWarning):  # R² of one row is not defined
        assert np.isnan(regressor.score(dX[:1], dask(y)[0][:1]))


def test_scores_refuse_values_that_scikit_learn_s_metrics_refuse(client, data):
    """Targets or weights that are not finite, weights all zero, and labels that are NaN or not
    whole numbers: in memory the metrics refuse them; on the cluster they made a score of NaN,
    or of a label counted wrong."""
    X, y, w = data
    labels = (y > 0).astype(float)
    regressor = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0).fit,
                      X, y)
    classifier = quiet(FFNNClassifier(hidden_layer_sizes=(2,), max_iter=1, random_state=0).fit,
                       X, labels)
    dX = dask(X)[0]
    for model, target in ((regressor, y), (classifier, labels)):
        for weights, message in ((np.r_[np.nan, w[1:]], "Input sample_weight contains NaN"),
                                 (np.r_[w[:-1], np.inf], "sample_weight contains infinity"),
                                 (np.zeros_like(w), "at least one non-zero number")):
            for inputs in ((X, target, weights), dask(X, target, weights)):
                with pytest.raises(ValueError, match=message):
                    model.score(*inputs)
    for wrong, message in ((np.nan, "contains NaN"), (np.inf, "contains infinity")):
        target = y.copy()
        target[150] = wrong
        for inputs in ((X, target), (dX, dask(target)[0])):
            with pytest.raises(ValueError, match=message):
                regressor.score(*inputs)
    for wrong, message in ((np.nan, "contains NaN"), (0.5, "mix of continuous and binary"),
                           (np.inf, "infinity|mix of continuous and binary")):
        target = labels.copy()
        target[150] = wrong
        for inputs in ((X, target), (dX, dask(target)[0])):
            with pytest.raises(ValueError, match=message):
                classifier.score(*inputs)


def test_scores_of_no_rows_are_refused_as_in_memory(client, data):
    """In memory predict refuses X without rows; on the cluster the score was NaN (0/0)."""
    X, y, _ = data
    labels = (y > 0).astype(int)
    dX = dask(X)[0]
    none = dX[:, 0] > 10  # every block empty
    for Model, target in ((FFNNRegressor, y), (FFNNClassifier, labels)):
        model = quiet(Model(hidden_layer_sizes=(2,), max_iter=1, random_state=0).fit, X, target)
        for inputs in ((X[:0], target[:0]), (dX[none], dask(target)[0][none])):
            with pytest.raises(ValueError, match=r"Found array with 0 sample\(s\)"):
                model.score(*inputs)


def _never_computed(array, dtype):
    """A dask array of `array`'s shape and chunks whose blocks fail if they are ever computed."""
    def fail(block):
        raise AssertionError("computed")
    return dask(array)[0].map_blocks(fail, dtype=dtype)


def test_scores_refuse_labels_of_another_type_than_the_classes_as_in_memory(client, data):
    """accuracy_score refuses string labels for numeric classes and the other way round; on the
    cluster, from the dtype before anything is computed, or from the values of an array of
    objects in each block (a Dask Series of text comes as one)."""
    X, y, _ = data
    labels = (y > 0).astype(int)
    numbers = quiet(FFNNClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit,
                    X, labels)
    text = quiet(FFNNClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit,
                 X, labels.astype(str))
    dX = dask(X)[0]
    mix = r"Mix of label input types \(string and number\)"
    for model, wrong in ((numbers, labels.astype(str)), (text, labels)):
        with pytest.raises(ValueError, match=mix):
            model.score(X, wrong)
        with pytest.raises(ValueError, match=mix):  # known from the dtype: nothing computed
            model.score(dX, _never_computed(wrong, wrong.dtype))
    for wrong in (dask(labels.astype(str).astype(object))[0],
                  dd.from_pandas(pd.Series(labels.astype(str)), npartitions=3)):
        with pytest.raises(ValueError, match=mix):
            numbers.score(dX, wrong)
    mixed = labels.astype(str).astype(object)
    mixed[290] = 1  # in the last partition
    with pytest.raises(ValueError, match=mix):
        text.score(dX, dask(mixed)[0])
    # labels of the classes' type still score: floats for whole-number classes, as in memory
    assert numbers.score(dX, dask(labels.astype(float))[0]) == pytest.approx(
        numbers.score(X, labels.astype(float)), abs=1e-15)
    assert text.score(dX, dask(labels.astype(str).astype(object))[0]) == pytest.approx(
        text.score(X, labels.astype(str)), abs=1e-15)


def test_scores_refuse_targets_of_another_width_than_the_model_s_as_in_memory(client, data):
    X, y, _ = data
    dX = dask(X)[0]
    one = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0).fit, X, y)
    two = quiet(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0).fit, X,
                np.c_[y, -y])
    for model, Y, message in ((one, np.c_[y, -y], r"\(2!=1\)"), (two, y, r"\(1!=2\)"),
                              (two, np.c_[y, y, y], r"\(3!=2\)")):
        for inputs in ((X, Y), (dX, _never_computed(Y, Y.dtype))):
            with pytest.raises(ValueError, match="y_true and y_pred have different number of "
                                                 "output " + message):
                model.score(*inputs)
    labels = np.c_[y > 0, y > 1, X[:, 0] > 0].astype(int)
    multilabel = quiet(FFNNClassifier(hidden_layer_sizes=(3,), max_iter=1, random_state=0).fit,
                       X, labels)
    binary = quiet(FFNNClassifier(hidden_layer_sizes=(3,), max_iter=1, random_state=0).fit,
                   X, labels[:, 0])
    for model, Y, message in (
            (multilabel, labels[:, :2], "Multi-label binary indicator input with different "
                                        "numbers of labels"),
            (multilabel, labels[:, 0], "Classification metrics can't handle a mix of .* and "
                                       "multilabel-indicator targets"),
            (binary, labels, "Classification metrics can't handle a mix of "
                             "multilabel-indicator and binary targets")):
        for inputs in ((X, Y), (dX, _never_computed(Y, Y.dtype))):
            with pytest.raises(ValueError, match=message):
                model.score(*inputs)


def test_a_column_of_targets_warns_as_in_memory(client, data):
    """fit and partial_fit say that a y of shape (n, 1) is taken for a vector, for a classifier
    and a regressor alike (scikit-learn's DataConversionWarning); score does not."""
    X, y, _ = data
    labels = (y > 0).astype(int)
    for Model, target, kwargs in ((FFNNClassifier, labels, {"classes": [0, 1]}),
                                  (FFNNRegressor, y, {})):
        for inputs in ((X, target[:, None]), dask(X, target[:, None]),
                       (dd.from_array(X, chunksize=CHUNK),
                        dd.from_pandas(pd.DataFrame({"t": target}), npartitions=2))):
            for fit, extra in (("fit", {}), ("partial_fit", kwargs)):
                with pytest.warns(DataConversionWarning, match="A column-vector y was passed "
                                                               "when a 1d array was expected"):
                    model = getattr(Model(hidden_layer_sizes=(2,), max_iter=1), fit)(
                        *inputs, **extra)
            with warnings.catch_warnings():
                warnings.simplefilter("error", DataConversionWarning)
                model.score(*inputs)


@pytest.mark.parametrize("sparse_format", ["csr", "csc", "lil", "dok"])
def test_sparse_blocks_train_as_in_memory(client, data, sparse_format):
    """A dask array of sparse blocks of any format that slices trains as the sparse matrix does
    in memory (both kinds of solver), and a NaN among its stored values is refused before
    training."""
    X, y, _ = data
    X = sp.random(len(X), X.shape[1], density=0.4, random_state=0, format=sparse_format)
    blocks = da.from_array(X, chunks=(ROWS, X.shape[1]), asarray=False)
    for solver in ("lbfgs", "adam"):
        params = dict(hidden_layer_sizes=(4,), solver=solver, max_iter=3, random_state=0,
                      batch_size=32)
        memory = FFNNRegressor(**params) if solver == "lbfgs" else in_memory_twin(
            FFNNRegressor, **params)
        memory = quiet(memory.fit, X, y)
        cluster = quiet(FFNNRegressor(**params).fit, blocks, dask(y)[0])
        np.testing.assert_allclose(cluster.network_.params, memory.network_.params,
                                   rtol=1e-10, atol=1e-13)
    X = X.tocsr()
    X.data[0] = np.nan
    X = X.asformat(sparse_format)
    with pytest.raises(ValueError, match="NaN or infinity"):
        FFNNRegressor(max_iter=1).fit(da.from_array(X, chunks=(ROWS, X.shape[1]),
                                                    asarray=False), dask(y)[0])


def test_a_model_fitted_on_sparse_multilabel_targets_scores_dask_inputs(client, data):
    X, y, _ = data
    labels = np.c_[y > 0, y > 1, X[:, 0] > 0].astype(int)
    model = quiet(FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5,
                                 random_state=0).fit, X, sp.csr_matrix(labels))
    dX, dlabels = dask(X, labels)
    assert model.score(dX, dlabels) == pytest.approx(model.score(X, labels), abs=1e-15)
    assert model.score(dX, dlabels) == pytest.approx(model.score(X, sp.csr_matrix(labels)),
                                                     abs=1e-15)


def test_a_missing_label_is_a_value_error_as_in_memory(client, data):
    """None (pandas' NA once Dask reads the Series as text) among the labels is refused with a
    ValueError that says where, as in memory, not a TypeError from a worker."""
    X, y, _ = data
    labels = np.where(y > 0, "up", "down").astype(object)
    labels[[7, 250]] = None
    with pytest.raises(ValueError, match="Input contains NaN"):  # scikit-learn's, in memory
        FFNNClassifier(max_iter=1).fit(X, pd.Series(labels))
    with pytest.raises(ValueError, match=r"y holds None \(a missing label\) at index 7, 250"):
        FFNNClassifier(max_iter=1).fit(X, labels)
    frame = dd.from_array(X, chunksize=CHUNK)
    missing = r"Input y contains NaN: a missing label \(None, NaN or pandas' NA\) at index " \
              r"7, 250; drop those samples"
    for X_, y_ in ((frame, dd.from_pandas(pd.Series(labels), npartitions=5)),
                   (dask(X)[0], dask(labels)[0])):
        with pytest.raises(ValueError, match=missing):
            FFNNClassifier(max_iter=1).fit(X_, y_)
    good = np.where(y > 0, "up", "down")
    with pytest.raises(ValueError, match=missing.replace("Input y", "Input validation y")):
        FFNNClassifier(max_iter=1).fit(*dask(X, good), validation_data=dask(X, labels))
    model = quiet(FFNNClassifier(hidden_layer_sizes=(2,), max_iter=1).fit, *dask(X, good))
    with pytest.raises(ValueError, match=missing.replace("7, 250", "(7|250)")):  # a block's
        model.score(frame, dd.from_pandas(pd.Series(labels), npartitions=5))
    mixed = good.astype(object)
    mixed[::2] = 1
    with pytest.raises(ValueError, match=r"y mixes labels of types that cannot be compared "
                                         r"\(int, str\)"):
        FFNNClassifier(max_iter=1).fit(*dask(X, mixed))
    apart = good.astype(object)  # every partition of one type: they differ across partitions
    apart[:CHUNK] = 1
    with pytest.raises(ValueError, match="mixes labels of types that cannot be compared"):
        FFNNClassifier(max_iter=1).fit(*dask(X, apart))


def test_two_worker_processes_give_the_same_fit(data):
    X, y, _ = data
    params = dict(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=10, random_state=0)
    memory = quiet(FFNNRegressor(**params).fit, X, y)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster):
        fitted = quiet(FFNNRegressor(**params).fit, *dask(X, y))
        assert len(cluster.workers) == 2
    np.testing.assert_allclose(fitted.network_.params, memory.network_.params, rtol=1e-10,
                               atol=1e-12)


def test_the_command_line_fits_parquet_files_with_categories_on_a_cluster(client, tmp_path,
                                                                          capsys):
    from ffnn import load
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frames = []
    for i in range(3):
        X = rng.normal(size=(120, 2))
        frame = pd.DataFrame(X, columns=["a", "b"])
        frame["colour"] = pd.Categorical(rng.choice(["red", "green", "blue"], size=120))
        frame["y"] = 2 * X[:, 0] - X[:, 1] + 1.5 * (frame["colour"] == "red")
        frame.to_parquet(tmp_path / f"part{i}.parquet", index=False)
        frames.append(frame)
    whole = pd.concat(frames)
    files, model = str(tmp_path / "*.parquet"), tmp_path / "m.ffnn"
    address = client.scheduler.address
    assert main(["fit", files, "--target", "y", "--dask", address, "--epochs", "5",
                 "--hidden", "8", "-o", str(model)]) == 0
    out = capsys.readouterr()
    assert "saved" in out.out and "Dask: 2 workers" in out.err and "in 3 partitions" in out.err
    fitted = load(model)
    (name, mean, scale, _), _ = fitted.preprocessor.numeric
    assert name == "a" and mean == pytest.approx(whole["a"].mean(), rel=1e-12)
    assert scale == pytest.approx(whole["a"].std(ddof=0), rel=1e-12)
    assert fitted.preprocessor.categorical[0][:2] == ("colour", ["blue", "green", "red"])
    assert fitted.target_mean == pytest.approx(whole["y"].mean(), rel=1e-12)

    assert main(["evaluate", str(model), files, "--dask", address]) == 0
    on_cluster = capsys.readouterr().out
    assert main(["evaluate", str(model), str(tmp_path / "part0.parquet")]) == 0
    assert "360 rows" in on_cluster and "R²" in on_cluster
    predictions = tmp_path / "p.csv"
    assert main(["predict", str(model), files, "--dask", address, "--keep", "y",
                 "-o", str(predictions)]) == 0
    predicted = pd.read_csv(predictions)
    np.testing.assert_allclose(predicted["y_predicted"], fitted.predict(whole), rtol=1e-12)
    assert main(["fit", files, "--target", "y", "--dask", address, "--checkpoint",
                 str(tmp_path / "c.ffnn"), "-o", str(tmp_path / "n.ffnn")]) == 2
    assert "not available with --dask" in capsys.readouterr().err


def test_the_statistics_of_the_partitions_are_those_of_the_whole_table(client):
    from ffnn.cli import distributed_data
    from ffnn.tabular import Preprocessor

    # "a" and "b" are equally frequent in all; "b" is the more frequent in the first partition
    whole = pd.DataFrame({"x": [0.5, np.nan, 2.0, -1.0, 3.0, 0.25],
                          "t": ["a", "b", "b", "a", None, "c"], "y": np.arange(6.0)})
    frame = dd.from_pandas(whole, npartitions=2, sort=False)
    stats = distributed_data.statistics(frame, frame[["x", "t"]], "y", "regression")
    assert stats["rows"] == [3, 3]
    found = Preprocessor.from_statistics(
        {"x": (stats["mean"]["x"], stats["std"]["x"], stats["top"]["x"])},
        {"t": stats[("text", "t")]}, stats["missing"], impute=True).state()
    memory = Preprocessor(impute=True).fit(whole[["x", "t"]]).state()
    assert found["categorical"] == memory["categorical"]  # the fill "a", first of the two
    (x,), (x_in_memory,) = found["numeric"], memory["numeric"]
    assert [x[key] for key in ("mean", "scale", "fill")] == pytest.approx(
        [x_in_memory[key] for key in ("mean", "scale", "fill")], rel=1e-15)
    assert (stats["y_mean"], stats["y_std"]) == pytest.approx((2.5, whole["y"].std(ddof=0)))


def test_the_command_line_scores_integer_labels_from_csv_as_in_memory(client, tmp_path,
                                                                      capsys):
    from ffnn.cli import main

    rng = np.random.default_rng(1)
    for i in range(2):
        X = rng.normal(size=(150, 2))
        pd.DataFrame(X, columns=["a", "b"]).assign(y=(X[:, 0] > 0).astype(int) + (
            X[:, 1] > 1)).to_csv(tmp_path / f"part{i}.csv", index=False)
    files, model = str(tmp_path / "*.csv"), str(tmp_path / "m.ffnn")
    address = client.scheduler.address
    assert main(["fit", files, "--target", "y", "--dask", address, "--solver", "lbfgs",
                 "--epochs", "8", "-o", model]) == 0
    capsys.readouterr()
    assert main(["evaluate", model, files, "--dask", address]) == 0, capsys.readouterr().err
    on_cluster = results(capsys.readouterr().out).splitlines()[1]
    accuracy = float(on_cluster.split()[1])
    assert accuracy > 0.5
    scores = []
    for i in range(2):
        assert main(["evaluate", model, str(tmp_path / f"part{i}.csv")]) == 0
        scores.append(float(capsys.readouterr().out.split("accuracy ")[1].split()[0]))
    assert accuracy == pytest.approx(np.mean(scores), abs=1e-4)
    # a quantity with a typo in one row is refused, as in memory, not taken for 150 classes
    for i in range(2):
        frame = pd.read_csv(tmp_path / f"part{i}.csv").assign(
            y=lambda d: d["a"].round(4).astype(str))
        frame.loc[7, "y"] = "?" if i == 0 else frame.loc[7, "y"]
        frame.to_csv(tmp_path / f"part{i}.csv", index=False)
    assert main(["fit", files, "--target", "y", "--dask", address, "-o", model]) == 2
    assert "the target column 'y' holds numbers except in 1 row(s) ('?')" in \
        capsys.readouterr().err


def test_labels_are_matched_to_the_classes_on_the_cluster_as_in_memory(client, tmp_path,
                                                                       capsys):
    """Labels written as text ("1") name the integer classes they spell, and a stray label is
    counted apart and said, in one partition as in memory; none known is refused."""
    from ffnn.cli import main

    rng = np.random.default_rng(2)
    frames = []
    for i in range(2):
        X = rng.normal(size=(100, 2))
        frames.append(pd.DataFrame(X, columns=["a", "b"]).assign(y=(X[:, 0] > 0).astype(int)))
        frames[-1].to_csv(tmp_path / f"part{i}.csv", index=False)
    files, model = str(tmp_path / "part*.csv"), str(tmp_path / "m.ffnn")
    address = client.scheduler.address
    assert main(["fit", files, "--target", "y", "--dask", address, "--epochs", "5", "-q",
                 "-o", model]) == 0
    other = tmp_path / "other"
    other.mkdir()
    for i, frame in enumerate(frames):
        labels = frame["y"].astype(str).astype(object)
        if i == 1:
            labels[:3] = "unknown"
        frame.assign(y=labels).to_csv(other / f"part{i}.csv", index=False)
    pd.concat([pd.read_csv(other / f"part{i}.csv", dtype={"y": str}) for i in range(2)]).to_csv(
        tmp_path / "all.csv", index=False)
    capsys.readouterr()
    assert main(["evaluate", model, str(other / "*.csv"), "--dask", address]) == 0
    cluster = capsys.readouterr()
    assert main(["evaluate", model, str(tmp_path / "all.csv")]) == 0
    memory = capsys.readouterr()
    note = "3 of 200 rows have labels that are none of the model's classes: 'unknown' (3 rows)"
    assert note in cluster.err and note in memory.err
    assert "the log loss is over the other 197 rows" in cluster.err  # no ROC AUC on a cluster
    assert "the log loss and ROC AUC are over the other 197 rows" in memory.err
    metrics = [next(line for line in out.out.splitlines() if line.startswith("accuracy"))
               for out in (cluster, memory)]
    assert metrics[0].split()[:4] == metrics[1].split()[:4]  # accuracy and log loss
    assert cluster.out.split("confusion matrix:\n")[1].splitlines()[:5] == \
        memory.out.split("confusion matrix:\n")[1].splitlines()[:5]
    for i, frame in enumerate(frames):
        frame.assign(y="unknown").to_csv(other / f"part{i}.csv", index=False)
    assert main(["evaluate", model, str(other / "*.csv"), "--dask", address]) == 2
    assert "none is one of the model's classes (0, 1)" in capsys.readouterr().err


@pytest.mark.slow
def test_files_are_read_on_the_cluster_as_in_memory(client, tmp_path, capsys):
    """The cluster reads files as the in-memory command does: dropping columns of small Parquet
    files keeps every partition (Dask merged them, and the row counts named other rows); the
    separator and decimal mark are detected; a file without a header lacks the target, not
    another column; whitespace-separated test rows are written; --proba is kept."""
    from ffnn.cli import main

    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(5)
    address = client.scheduler.address
    for folder in ("pq", "semi", "bare"):
        (tmp_path / folder).mkdir()
    for i in range(3):
        x = rng.normal(size=60)
        colour = rng.choice(["red", "blue"], 60)
        part = pd.DataFrame({"id": np.arange(60 * i, 60 * (i + 1)), "batch": i,
                             "colour": colour, "x": x, "y": 2 * x + (colour == "red")})
        part.to_parquet(tmp_path / "pq" / f"p{i}.parquet", index=False)
        part.to_csv(tmp_path / "semi" / f"p{i}.csv", sep=";", decimal=",", index=False)
        part[["x", "y"]].to_csv(tmp_path / "bare" / f"p{i}.csv", header=False, index=False)
    common = ["--target", "y", "--solver", "lbfgs", "--epochs", "5", "--dask", address, "-q"]
    outs, errs = [], []
    for files, extra in [("pq/*.parquet", []), ("semi/*.csv", [])]:
        assert main(["fit", str(tmp_path / files), "--drop", "id,batch", *common, *extra,
                     "-o", str(tmp_path / "m.ffnn")]) == 0, capsys.readouterr().err
        said = capsys.readouterr()
        outs.append(said.out.splitlines()[:2])
        errs.append(said.err)
    assert outs[0] == outs[1]  # the same rows, the same numbers: decimal commas detected
    # and said so, even with -q, as in memory (Parquet files have no dialect to tell)
    assert "read " not in errs[0]
    assert (f"read {tmp_path / 'semi/*.csv'}: 3 files, semicolon-separated (detected), "
            "decimal commas (detected)") in errs[1]
    # header-less, with the target first in training and absent from new files
    bare = pd.concat(pd.read_csv(tmp_path / "bare" / f"p{i}.csv", header=None)
                     for i in range(3))[[1, 0]]
    bare.to_csv(tmp_path / "train.csv", header=False, index=False)
    model = str(tmp_path / "bare.ffnn")
    assert main(["fit", str(tmp_path / "train.csv"), "--no-header", "--names", "y,x",
                 "--target", "y", "--epochs", "3", "-q", "-o", model]) == 0
    for i in range(3):
        (tmp_path / "bare" / f"p{i}.csv").write_text("\n".join(
            str(v) for v in bare[0].to_numpy()[60 * i:60 * (i + 1)]) + "\n")
    assert main(["predict", model, str(tmp_path / "bare" / "p0.csv"), "-o",
                 str(tmp_path / "memory.csv")]) == 0
    assert main(["predict", model, str(tmp_path / "bare" / "*.csv"), "--dask", address, "-o",
                 str(tmp_path / "cluster.csv")]) == 0
    said = capsys.readouterr().err
    assert f"read {tmp_path / 'bare/*.csv'}: 3 files, comma-separated, no header" in said, said
    memory = pd.read_csv(tmp_path / "memory.csv")["y"]
    np.testing.assert_allclose(pd.read_csv(tmp_path / "cluster.csv")["y"][:60], memory)
    # whitespace-separated files: the test rows are written (a tab-separated file)
    for i in range(3):
        bare.iloc[60 * i:60 * (i + 1)].to_csv(tmp_path / "bare" / f"w{i}.txt", sep=" ",
                                              header=["x", "y"], index=False)
    assert main(["fit", str(tmp_path / "bare" / "w*.txt"), "--sep", "whitespace",
                 "--test-out", str(tmp_path / "t.csv"), *common,
                 "-o", str(tmp_path / "w.ffnn")]) == 0, capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "t.csv", sep=r"\s+")) == 36
    # whole numbers in the first file, missing values in another: read as numbers, as in
    # memory (Dask typed the column from the first rows and failed further on)
    for i in range(3):
        part = pd.read_csv(tmp_path / "semi" / f"p{i}.csv", sep=";", decimal=",")
        part = part.assign(batch=part["batch"].astype(float), y=part["colour"] == "red")
        if i == 2:
            part.loc[:4, "batch"] = np.nan
        part.drop(columns="colour").to_csv(tmp_path / "semi" / f"k{i}.csv", index=False,
                                           float_format="%g")
    assert main(["fit", str(tmp_path / "semi" / "k*.csv"), "--target", "y", "--impute",
                 "--epochs", "2", "--dask", address, "-q", "-o",
                 str(tmp_path / "k.ffnn")]) == 0, capsys.readouterr().err
    assert ffnn_load(tmp_path / "k.ffnn").classes_.dtype == bool
    # --proba, as in memory
    assert main(["fit", str(tmp_path / "pq" / "p0.parquet"), "--target", "colour", "--drop",
                 "id,batch", "--epochs", "3", "-q", "-o", str(tmp_path / "c.ffnn")]) == 0
    assert main(["predict", str(tmp_path / "c.ffnn"), str(tmp_path / "pq" / "*.parquet"),
                 "--proba", "--dask", address, "-o", str(tmp_path / "p.csv")]) == 0
    assert main(["predict", str(tmp_path / "c.ffnn"), str(tmp_path / "pq" / "p0.parquet"),
                 "--proba", "-o", str(tmp_path / "q.csv")]) == 0
    cluster, memory = pd.read_csv(tmp_path / "p.csv"), pd.read_csv(tmp_path / "q.csv")
    assert list(cluster.columns) == ["proba_blue", "proba_red", "colour"]
    pd.testing.assert_frame_equal(cluster.iloc[:60], memory)


def test_the_command_line_predicts_from_text_columns_on_a_cluster(client, tmp_path, capsys):
    """Text (not categorical) feature columns, as most Parquet writers (and every CSV file)
    give them, for a regression and a classification with text labels: predictions and scores
    equal those in memory."""
    suffix = "parquet"
    from ffnn import load
    from ffnn.cli import main

    rng = np.random.default_rng(2)
    frames = []
    for i in range(2):
        X = rng.normal(size=(100, 2))
        frame = pd.DataFrame(X, columns=["a", "b"])
        frame["colour"] = rng.choice(["red", "green", "blue"], size=100).astype(object)
        frame["y"] = 2 * X[:, 0] - X[:, 1] + 1.5 * (frame["colour"] == "red")
        frame["kind"] = np.where(frame["y"] > 0, "up", "down").astype(object)
        path = tmp_path / f"part{i}.{suffix}"
        frame.to_parquet(path, index=False) if suffix == "parquet" else frame.to_csv(
            path, index=False)
        frames.append(frame)
    whole = pd.concat(frames, ignore_index=True)
    files, address = str(tmp_path / f"*.{suffix}"), client.scheduler.address
    (tmp_path / "out").mkdir()
    whole.to_csv(tmp_path / "whole.csv", index=False)
    files = str(tmp_path / f"part*.{suffix}")
    for target, other in (("y", "kind"), ("kind", "y")):
        model = tmp_path / f"{target}.ffnn"
        capsys.readouterr()
        assert main(["fit", files, "--target", target, "--drop", other, "--dask", address,
                     "--epochs", "5", "--hidden", "4", "--validation-fraction", "0",
                     "-o", str(model)]) == 0
        trained = capsys.readouterr().out.splitlines()[0]
        fitted = load(model)
        expected = fitted.predict(whole)
        assert main(["evaluate", str(model), files, "--dask", address]) == 0, \
            capsys.readouterr().err
        printed = results(capsys.readouterr().out)
        assert main(["evaluate", str(model), str(tmp_path / "whole.csv")]) == 0
        in_memory = capsys.readouterr().out
        # every row trained: fit's training metrics are evaluate's on all rows
        assert trained == "training:   " + printed.splitlines()[1]
        if target == "y":  # R², RMSE and MAE as in memory
            assert printed.splitlines()[1] == in_memory.splitlines()[1]
        else:  # accuracy, log loss and the confusion matrix; ROC AUC only in memory
            metrics = in_memory.splitlines()[1].split("  ROC AUC")[0]
            assert printed.splitlines()[1] == metrics and "log loss" in metrics
            assert printed.splitlines()[2:7] == in_memory.splitlines()[2:7]
            assert "ROC AUC" in printed.splitlines()[7]
        # a CSV file for one, a folder of Parquet files for the other
        for out in [tmp_path / "out" / ("y.csv" if target == "y" else target)]:
            assert main(["predict", str(model), files, "--dask", address, "-o", str(out)]) == 0
            predicted = (pd.read_csv(out) if out.suffix == ".csv" else
                         pd.read_parquet(out))[target]
            if target == "y":
                np.testing.assert_allclose(predicted, expected, rtol=1e-6)
            else:
                assert list(predicted) == list(expected)


def test_kept_columns_are_copied_as_the_files_spell_them_on_a_cluster(client, tmp_path,
                                                                      capsys):
    """An identifier kept beside the predictions stays as written (007, not 7 or 7.0; a long
    one not rounded to a float), as in memory."""
    from ffnn.cli import main

    rows = [f"{i},{i}.5,{2 * i}" for i in range(1, 41)]
    (tmp_path / "train.csv").write_text("id,x,y\n" + "\n".join(rows) + "\n")
    model = tmp_path / "m.ffnn"
    assert main(["fit", str(tmp_path / "train.csv"), "--target", "y", "--drop", "id",
                 "--epochs", "2", "-q", "-o", str(model)]) == 0
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a.csv").write_text("id,x\n007,1.5\n12345678901234567,2.5\n,3.5\n")
    out = tmp_path / "p.csv"
    assert main(["predict", str(model), str(tmp_path / "new" / "*.csv"), "--dask",
                 client.scheduler.address, "--keep", "id", "-o", str(out)]) == 0
    capsys.readouterr()
    assert [line.split(",")[0] for line in out.read_text().splitlines()] == [
        "id", "007", "12345678901234567", ""]
    # a decimal comma is written as the output's decimal point, as in memory
    (tmp_path / "semi").mkdir()
    (tmp_path / "semi" / "a.csv").write_text("id;x;w\n007;1,5;0,25\n008;2,5;\n")
    out.unlink()
    assert main(["predict", str(model), str(tmp_path / "semi" / "*.csv"), "--dask",
                 client.scheduler.address, "--keep", "id,w", "-o", str(out)]) == 0
    capsys.readouterr()
    assert [line.split(",")[:2] for line in out.read_text().splitlines()] == [
        ["id", "w"], ["007", "0.25"], ["008", ""]]
    # words that pandas reads as missing ('NA' of Namibia, 'None') are copied too, in the
    # kept columns alone: in the model's, they are missing values still
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "a.csv").write_text("id,x\nNA,0.5\nNone,1.5\n,2.5\nAB,NA\n")
    out.unlink()
    command = ["predict", str(model), str(tmp_path / "words" / "*.csv"), "--dask",
               client.scheduler.address, "--keep", "id", "-o", str(out)]
    assert main(command) == 2 and "'x'" in capsys.readouterr().err and not out.exists()
    (tmp_path / "words" / "a.csv").write_text("id,x\nNA,0.5\nNone,1.5\n,2.5\n")
    assert main(command) == 0
    capsys.readouterr()
    assert [line.split(",")[0] for line in out.read_text().splitlines()] == [
        "id", "NA", "None", ""]


def test_a_parquet_file_s_named_index_is_read_as_columns_on_a_cluster(client, tmp_path,
                                                                      capsys):
    """pandas writes a frame's named index as columns of the file: they are columns, as in
    memory (Dask made them the index, and they trained nothing)."""
    from ffnn import load
    from ffnn.cli import main

    rng = np.random.default_rng(5)
    for i in range(2):
        frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
        frame.assign(y=frame["a"] - frame["b"]).set_index("b").to_parquet(
            tmp_path / f"part{i}.parquet")
    model = tmp_path / "m.ffnn"
    assert main(["fit", str(tmp_path / "*.parquet"), "--target", "y", "--dask",
                 client.scheduler.address, "--epochs", "2", "-q", "-o", str(model)]) == 0
    capsys.readouterr()
    assert sorted(load(model).preprocessor.columns) == ["a", "b"]


def test_rows_of_other_lengths_than_the_header_are_refused_on_a_cluster(client, tmp_path,
                                                                       capsys):
    """A row that lacks a field is refused with its file, row and line, as in memory: Dask read
    the fields it lacks as missing, which --impute filled in, the row's values shifted. A long
    row is named with its file too, in the first file (which Dask samples) or another."""
    from ffnn.cli import main

    rows = [",".join(map(str, (i, i % 3, 2 * i))) for i in range(30)]
    (tmp_path / "p0.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    model, address = str(tmp_path / "m.ffnn"), client.scheduler.address
    assert main(["fit", str(tmp_path / "p0.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", model]) == 0
    for name, odd, saw in (("p1", "12,24", 2), ("p1", "12,0,24,1", 4), ("p0", "12,0,24,1", 4)):
        for k in (0, 1):
            (tmp_path / f"p{k}.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
        bad = rows[:12] + [odd] + rows[13:]
        (tmp_path / f"{name}.csv").write_text("a,b,y\n" + "\n".join(bad) + "\n")
        for command in (["fit", str(tmp_path / "p*.csv"), "--target", "y", "--impute",
                         "--epochs", "2", "-q", "-o", str(tmp_path / "n.ffnn")],
                        ["predict", model, str(tmp_path / "p*.csv"),
                         "-o", str(tmp_path / "out.csv")]):
            assert main([*command, "--dask", address]) == 2
            err = capsys.readouterr().err
            assert f"{name}.csv: row 13 (line 14) has {saw} field" in err, err


def test_a_fractional_target_is_no_classification_target_on_a_cluster(client, tmp_path,
                                                                      capsys):
    """--task classification on numbers that are not whole is refused as in memory, with the
    fix (the cluster gave scikit-learn's "Unknown label type: continuous")."""
    from ffnn.cli import main

    for i in range(2):
        pd.DataFrame({"a": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 2.5 if i else 1.0]}).to_csv(
            tmp_path / f"p{i}.csv", index=False)
    for data, dask_args in ((str(tmp_path / "p1.csv"), []),
                            (str(tmp_path / "p*.csv"), ["--dask", client.scheduler.address])):
        assert main(["fit", data, "--target", "y", "--task", "classification", "-q",
                     *dask_args, "-o", str(tmp_path / "m.ffnn")]) == 2
        err = capsys.readouterr().err
        assert "the target column 'y' holds numbers that are not whole" in err, err
        assert "2.5" in err and "--task regression" in err


def test_labels_spelled_apart_are_refused_on_a_cluster_and_scored_as_in_memory(client,
                                                                             tmp_path, capsys):
    """'007' and '7', which the cluster reads as one number, are refused by fit there (in memory
    they are kept apart, as text, and said); a model of such labels is scored on the cluster as
    in memory. Labels that differ only by spaces around them are said, as in memory."""
    from ffnn.cli import main

    rng = np.random.default_rng(9)
    frames = []
    for i in range(2):
        X = rng.normal(size=(90, 2))
        k = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
        frames.append(pd.DataFrame(X.round(3), columns=["a", "b"]).assign(
            y=np.array(["007", "010", "7"])[k]))
        frames[-1].to_csv(tmp_path / f"p{i}.csv", index=False)
    pd.concat(frames).to_csv(tmp_path / "all.txt", index=False)
    files, model = str(tmp_path / "p*.csv"), str(tmp_path / "m.ffnn")
    address = client.scheduler.address
    assert main(["fit", files, "--target", "y", "--dask", address, "-q", "-o", model]) == 2
    err = capsys.readouterr().err
    assert "the target column 'y' spells one number in more than one way ('007' and '7')" \
        in err and "fit without --dask" in err, err
    assert main(["fit", str(tmp_path / "all.txt"), "--target", "y", "--solver", "lbfgs",
                 "--epochs", "30", "-q", "-o", model]) == 0
    assert "spells one number in more than one way" in capsys.readouterr().err
    assert main(["evaluate", model, files, "--dask", address]) == 0
    cluster = results(capsys.readouterr().out)
    assert main(["evaluate", model, str(tmp_path / "all.txt")]) == 0
    memory = results(capsys.readouterr().out)  # the training file: its parts scored apart
    assert cluster.splitlines()[1].split()[:4] == memory.splitlines()[1].split()[:4]
    assert cluster.splitlines()[1].startswith("accuracy")
    for i, frame in enumerate(frames):
        frame.assign(y=frame["y"].map({"007": "a", "010": "b", "7": "a "})).to_csv(
            tmp_path / f"p{i}.csv", index=False)
    assert main(["fit", files, "--target", "y", "--dask", address, "--epochs", "1", "-q",
                 "-o", model]) == 0
    assert "labels that differ only by spaces around them, each a class of its own: 'a' and " \
        "'a '" in capsys.readouterr().err


def test_values_unseen_in_training_are_reported_as_in_memory(client, tmp_path, capsys):
    """Text values that training never saw are encoded as no category: said on the cluster as
    in memory, counted over every partition."""
    from ffnn.cli import main

    rng = np.random.default_rng(3)
    for i, colours in enumerate((["red", "green"], ["red", "green"], ["red", "purple", "teal"])):
        frame = pd.DataFrame({"a": rng.normal(size=40),
                              "colour": rng.choice(colours, size=40).astype(object)})
        frame.loc[:2, "colour"] = colours[-1]  # at least three rows of the last colour
        frame["y"] = frame["a"] + (frame["colour"] == "red")
        frame.to_csv(tmp_path / (f"train{i}.csv" if i < 2 else "new.csv"), index=False)
    address, model = client.scheduler.address, str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "train*.csv"), "--target", "y", "--dask", address,
                 "--epochs", "3", "--hidden", "3", "-o", model]) == 0
    capsys.readouterr()
    new = pd.read_csv(tmp_path / "new.csv")
    for i in range(2):  # the same rows over two files
        new.iloc[i * 20:(i + 1) * 20].to_csv(tmp_path / f"new_part{i}.csv", index=False)
    files = str(tmp_path / "new_part*.csv")
    assert main(["evaluate", model, str(tmp_path / "new.csv")]) == 0
    in_memory = [line for line in capsys.readouterr().err.splitlines() if "not seen" in line]
    assert len(in_memory) == 1 and "'purple'" in in_memory[0] and "'teal'" in in_memory[0]
    expected = in_memory[0].split(": ", 2)[2]
    for command in (["evaluate", model, files], ["predict", model, files, "-o",
                                                 str(tmp_path / "p.csv")]):
        assert main([*command, "--dask", address]) == 0
        said = [line for line in capsys.readouterr().err.splitlines() if "not seen" in line]
        assert said == [f"warning: {files}: {expected}"]


def test_the_cluster_knows_the_words_pandas_reads_as_missing():
    """The cluster counts pandas' default markers, listed in the project (pandas keeps its own
    set under a private name): a marker pandas adds or drops would make it say other words
    than the in-memory command, which takes whatever pandas read as missing."""
    from pandas._libs.parsers import STR_NA_VALUES

    from ffnn.tabular.spelling import PANDAS_MISSING

    assert set(PANDAS_MISSING) == set(STR_NA_VALUES) - {""}


def test_words_read_as_missing_are_said_on_the_cluster_as_in_memory(client, tmp_path, capsys):
    """A category spelled 'NA' (no alley) is read as missing: fit on a cluster names it where
    missing values are refused, and warns that --impute fills it, as in memory; a marker given
    with --na-values is no such word."""
    from ffnn.cli import main

    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"a": rng.normal(size=60),
                          "alley": rng.choice(["Grvl", "Pave", "NA", "?"], size=60)})
    frame["y"] = frame["a"] + (frame["alley"] == "NA")
    frame.to_csv(tmp_path / "all.csv", index=False)
    for i in range(2):
        frame.iloc[30 * i:30 * (i + 1)].to_csv(tmp_path / f"part{i}.csv", index=False)
    files, address = str(tmp_path / "part*.csv"), client.scheduler.address
    common = ["--target", "y", "--na-values", "?", "--epochs", "2", "--hidden", "3", "-q"]

    def said(data, *extra):
        code = main(["fit", data, *common, *extra, "-o", str(tmp_path / "m.ffnn"), "--force"])
        err = capsys.readouterr().err
        return code, [line.replace(data, "DATA") for line in err.splitlines()
                      if "NA" in line]

    in_memory = said(str(tmp_path / "all.csv"))
    assert in_memory[0] == 2 and "words that pandas reads as missing: 'alley': 'NA'" in \
        in_memory[1][0]
    assert said(files, "--dask", address) == in_memory
    in_memory = said(str(tmp_path / "all.csv"), "--impute")
    assert in_memory[0] == 0 and in_memory[1][0].startswith("warning: column 'alley': 'NA' (")
    assert said(files, "--impute", "--dask", address) == in_memory
    # with test rows held out, the cluster counts the refused values without them and the
    # words over every row: not said to be "of them"
    code, lines = said(files, "--dask", address, "--test-size", "0.3", "--test-out",
                       str(tmp_path / "test.csv"))
    assert code == 2 and "(in all the rows, test rows included, words that pandas reads as " \
        "missing: 'alley': 'NA'" in lines[0] and "of them" not in lines[0]


def filled_notes(err):
    return [line for line in err.splitlines() if line.startswith("note:") and ": filled " in line]


def test_missing_values_filled_by_imputation_are_said_on_the_cluster_as_in_memory(
        client, tmp_path, capsys):
    """A model trained with --impute fills the missing values of new files: evaluate and
    predict on a cluster say how many, column by column, and the rows that had no value at
    all, as in memory, counted over every partition (an empty file too)."""
    from ffnn.cli import main

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60),
                          "colour": rng.choice(["red", "blue"], size=60).astype(object)})
    frame["y"] = frame["a"] - frame["b"] + (frame["colour"] == "red")
    frame.loc[[3, 40, 50], "a"] = np.nan
    frame.loc[[7, 45, 50], "colour"] = None
    frame.loc[50, "b"] = np.nan
    frame.to_csv(tmp_path / "all.csv", index=False)
    for i, rows in enumerate([slice(0, 30), slice(30, 30), slice(30, 60)]):
        frame.iloc[rows].to_csv(tmp_path / f"part{i}.csv", index=False)
    address, model = client.scheduler.address, str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "all.csv"), "--target", "y", "--impute", "--epochs",
                 "2", "--hidden", "3", "-q", "-o", model]) == 0
    capsys.readouterr()
    files = str(tmp_path / "part*.csv")
    assert main(["evaluate", model, str(tmp_path / "all.csv")]) == 0
    in_memory = filled_notes(capsys.readouterr().err)
    assert in_memory == [f"note: {tmp_path / 'all.csv'}: filled 7 missing value(s) as in "
                         "training (--impute: the training mean, or most frequent category), "
                         "in 'a' (3), 'b' (1), 'colour' (3); 1 row had no value in any column "
                         "the model reads, and is predicted from filled values alone: drop "
                         "such rows if they are no observations"]
    for command in (["evaluate", model, files], ["predict", model, files, "-o",
                                                 str(tmp_path / "p.csv")]):
        assert main([*command, "--dask", address]) == 0
        said = filled_notes(capsys.readouterr().err)
        assert said == [in_memory[0].replace(str(tmp_path / "all.csv"), files)]


def test_files_that_cannot_be_read_are_refused_before_a_cluster_starts(tmp_path, capsys,
                                                                      monkeypatch):
    from ffnn.cli import main

    pytest.importorskip("pyarrow")

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(distributed, "LocalCluster", no_cluster)
    pd.DataFrame({"x": [1.0, 2.0], "y": [0.5, 1.0]}).to_parquet(tmp_path / "p.parquet")
    model = tmp_path / "m.ffnn"
    assert main(["fit", str(tmp_path / "p.parquet"), "--target", "y", "--epochs", "1", "-q",
                 "-o", str(model)]) == 0
    (tmp_path / "test").mkdir()  # a folder of Parquet files, as --test-out writes them
    pd.DataFrame({"x": [1.0], "y": [0.5]}).to_parquet(tmp_path / "test" / "part.0.parquet")
    for name, header in (("q0.csv", "x,y"), ("q1.csv", "y,z"), ("r.csv", "x,y"), ("r", "")):
        (tmp_path / name).write_text(header + "\n1,2\n")
    folder = tmp_path / "test"
    for command, said in (
            (["evaluate", str(model), str(folder)],
             f"{folder} is a folder; with --dask give a glob of the files in it, quoted, such as "
             f"'{folder / '*.parquet'}'"),
            (["fit", str(tmp_path / "r*"), "--target", "y", "-o", str(tmp_path / "n.ffnn")],
             "all CSV (.csv), not .csv, a name without a suffix"),
            (["fit", str(tmp_path / "q*.csv"), "--target", "y", "-o", str(tmp_path / "n.ffnn")],
             "q1.csv: its columns are not those of"),
            (["predict", str(model), str(folder / ".." / "q*.csv"), "-o",
              str(tmp_path / "q_out.csv")], "would read it as data"),  # .. or not
            (["evaluate", str(model), str(tmp_path / "none" / "*.csv")], "no files match"),
            (["predict", str(model), str(tmp_path / "none" / "*.csv"), "-o",
              str(tmp_path / "p.csv")], "no files match"),
            (["fit", str(tmp_path / "*.parquet"), "--target", "y", "--sep", ";", "-o",
              str(tmp_path / "n.ffnn")], "--sep applies to CSV files"),
            (["fit", str(tmp_path / "*.parquet"), "--target", "y", "--decimal", ",", "-o",
              str(tmp_path / "n.ffnn")], "--decimal applies to CSV files")):
        capsys.readouterr()
        assert main([*command, "--dask"]) == 2
        assert said in capsys.readouterr().err


def test_a_decimal_comma_given_reads_csv_files_on_the_cluster_as_in_memory(client, tmp_path,
                                                                         capsys):
    """Numbers written 0,25 beside codes written '0.5', which detection takes for the files'
    decimal mark: --decimal , reads them on the cluster as in memory."""
    from ffnn.cli import main

    rng = np.random.default_rng(6)
    (tmp_path / "parts").mkdir()
    x = rng.normal(size=90).round(3)
    code = rng.choice(["0.5", "010", "2"], 90)
    lines = [f"{str(a).replace('.', ',')};{c};{str(a + (c == '010')).replace('.', ',')}\n"
             for a, c in zip(x, code)]
    for i in range(3):
        (tmp_path / "parts" / f"p{i}.csv").write_text(
            "x;code;y\n" + "".join(lines[30 * i:30 * (i + 1)]))
    files, model = str(tmp_path / "parts" / "*.csv"), str(tmp_path / "m.ffnn")
    assert main(["fit", files, "--target", "y", "--categorical", "code", "--epochs", "3",
                 "--decimal", ",", "--dask", client.scheduler.address, "-q", "-o", model]) == 0
    assert "semicolon-separated (detected), decimal commas\n" in capsys.readouterr().err
    assert ffnn_load(model).read_options.decimal == ","
    assert main(["predict", model, files, "--decimal", ",", "--dask", client.scheduler.address,
                 "-o", str(tmp_path / "on.csv")]) == 0
    in_memory = ffnn_load(model).predict(pd.DataFrame(
        {"x": x, "code": code, "y": x + (code == "010")}))
    np.testing.assert_allclose(pd.read_csv(tmp_path / "on.csv")["y"], in_memory, rtol=1e-12)


def test_scoring_on_the_cluster_refuses_files_without_rows_and_names_the_files(client, tmp_path,
                                                                              capsys):
    from ffnn.cli import main

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=60)})
    frame["y"] = 2 * frame["a"]
    frame.to_parquet(tmp_path / "train.parquet", index=False)
    address, model = client.scheduler.address, str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "train.parquet"), "--target", "y", "--dask", address,
                 "--epochs", "2", "-q", "-o", model]) == 0
    (tmp_path / "empty").mkdir()
    for i in range(2):
        frame.iloc[:0].to_parquet(tmp_path / "empty" / f"e{i}.parquet", index=False)
    capsys.readouterr()
    files = str(tmp_path / "empty" / "*.parquet")
    assert main(["evaluate", model, files, "--dask", address]) == 2
    err = capsys.readouterr().err
    assert "no data rows" in err and "internal error" not in err
    (tmp_path / "gaps").mkdir()
    frame.iloc[:30].to_parquet(tmp_path / "gaps" / "g0.parquet", index=False)
    frame.iloc[30:].assign(a=lambda f: f["a"].where(f.index != 40)).to_parquet(
        tmp_path / "gaps" / "g1.parquet", index=False)
    files = str(tmp_path / "gaps" / "*.parquet")
    for command in (["evaluate", model, files], ["predict", model, files, "-o",
                                                 str(tmp_path / "p.csv")]):
        assert main([*command, "--dask", address]) == 2
        err = capsys.readouterr().err
        assert f"{files}, in one of its partitions" in err and "missing values" in err


def test_the_command_line_holds_out_test_rows_on_a_cluster(client, tmp_path, capsys):
    """--test-size on a cluster: ceil(fraction · n) rows held out of every partition before
    anything is learned (the standardisation statistics are those of the other rows), written
    by --test-out (here to a folder of Parquet files; a CSV file is written in the next test),
    and scored as 'ffnn evaluate' scores them."""
    out = "test-rows"
    from ffnn import load
    from ffnn.cli import main

    rng = np.random.default_rng(5)
    frames = []
    for i, n in enumerate((70, 50, 81)):
        frame = pd.DataFrame({"id": np.arange(n) + 1000 * i, "a": rng.normal(size=n),
                              "b": rng.normal(5, 2, size=n)})
        frame["y"] = frame["a"] - frame["b"] + rng.normal(0, 0.1, n)
        frame.to_csv(tmp_path / f"part{i}.csv", index=False)
        frames.append(frame)
    whole = pd.concat(frames, ignore_index=True)
    files, address = str(tmp_path / "part*.csv"), client.scheduler.address
    model, test_out = tmp_path / "m.ffnn", tmp_path / out
    capsys.readouterr()
    assert main(["fit", files, "--target", "y", "--drop", "id", "--dask", address, "--epochs",
                 "5", "--test-size", "0.25", "--test-out", str(test_out), "-o",
                 str(model)]) == 0
    printed = capsys.readouterr()
    test = pd.read_csv(test_out) if out.endswith(".csv") else pd.read_parquet(test_out)
    assert len(test) == 51 and set(test["id"]) <= set(whole["id"])  # ceil(0.25 · 201)
    assert "51 for testing" in printed.err and "wrote 51 test rows" in printed.out
    pd.testing.assert_frame_equal(test.sort_values("id").reset_index(drop=True),
                                  whole[whole["id"].isin(test["id"])].reset_index(drop=True),
                                  check_dtype=False)
    rest = whole[~whole["id"].isin(test["id"])]
    (name, mean, scale, _), _ = load(model).preprocessor.numeric
    assert name == "a" and mean == pytest.approx(rest["a"].mean(), rel=1e-12)
    assert load(model).target_mean == pytest.approx(rest["y"].mean(), rel=1e-12)
    tested = next(line for line in printed.out.splitlines() if line.startswith("test:"))
    if out.endswith(".csv"):
        assert main(["evaluate", str(model), str(test_out)]) == 0
    else:
        assert main(["evaluate", str(model), str(test_out / "*.parquet"), "--dask",
                     address]) == 0
    evaluated = capsys.readouterr().out
    assert tested == "test:       " + evaluated.splitlines()[-1]
    assert "holds the 51 test rows that 'ffnn fit' held out" in evaluated
    # the training files are recognised by their fingerprint, as a training file in memory
    data = load(model).data
    assert (data.rows, data.test_rows, data.training_rows + data.validation_rows) == (
        201, 51, 150)
    assert main(["evaluate", str(model), files, "--dask", address]) == 0
    assert "holds the files this model was trained on" in capsys.readouterr().out
    # the same seed holds out the same rows
    assert main(["fit", files, "--target", "y", "--drop", "id", "--dask", address, "--epochs",
                 "1", "--test-size", "0.25", "-o", str(tmp_path / "again.ffnn")]) == 0
    assert "51 for testing" in capsys.readouterr().err


def test_test_rows_written_to_csv_copy_dropped_columns_as_the_files_spell_them(client,
                                                                              tmp_path):
    from ffnn.cli import main

    rng = np.random.default_rng(9)
    for i in range(2):
        x = rng.normal(size=20)
        ids = [f"{20 * i + k:03d}" for k in range(19)] + [str(12345678901234567 + i)]
        (tmp_path / f"p{i}.csv").write_text("id,x,y\n" + "\n".join(
            f"{d},{a:.6f},{2 * a:.6f}" for d, a in zip(ids, x)) + "\n")
    out = tmp_path / "t.csv"
    assert main(["fit", str(tmp_path / "p*.csv"), "--target", "y", "--drop", "id", "--dask",
                 client.scheduler.address, "--epochs", "1", "--test-size", "0.5", "--test-out",
                 str(out), "-q", "-o", str(tmp_path / "m.ffnn")]) == 0
    written = [line.split(",")[0] for line in out.read_text().splitlines()[1:]]
    spelled = {line.split(",")[0] for i in range(2)
               for line in (tmp_path / f"p{i}.csv").read_text().splitlines()[1:]}
    assert len(written) == 20 and set(written) <= spelled
    # named by position (0: the first column), or by a name that holds a comma, the same
    for name, drop in (("id", "0"), ('"id, internal"', "id, internal")):
        for i in range(2):
            path = tmp_path / f"p{i}.csv"
            path.write_text(path.read_text().replace(path.read_text().split(",")[0], name, 1))
        assert main(["fit", str(tmp_path / "p*.csv"), "--target", "y", "--drop", drop, "--dask",
                     client.scheduler.address, "--epochs", "1", "--test-size", "0.5",
                     "--test-out", str(out), "-q", "-o", str(tmp_path / "m.ffnn"),
                     "--force"]) == 0
        lines = out.read_text().splitlines()
        assert lines[0].startswith(name + ",")
        assert {line.rsplit(",", 2)[0] for line in lines[1:]} <= spelled, lines


def written(folder):
    """The rows of a folder of Parquet files, file by file (one file's types may not be the
    next's)."""
    return pd.concat([pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))],
                     ignore_index=True)


def test_parquet_outputs_keep_each_files_column_types(client, tmp_path, capsys):
    """Files typing a column differently (whole numbers in one, fractions in the next) give
    test rows and predictions of every file, as the files hold them."""
    from ffnn.cli import main

    rng = np.random.default_rng(6)
    frames = [pd.DataFrame({"x": rng.normal(size=20), "n": np.arange(20) % 3 + shift})
              for shift in (0, 0.5)]  # n: int64 in the first file, float64 in the second
    for i, frame in enumerate(frames):
        frame.assign(y=frame["x"] + frame["n"]).to_parquet(tmp_path / f"p{i}.parquet",
                                                           index=False)
    files, address, model = str(tmp_path / "p*.parquet"), client.scheduler.address, \
        str(tmp_path / "m.ffnn")
    assert main(["fit", files, "--target", "y", "--dask", address, "--epochs", "1", "--hidden",
                 "2", "--test-size", "0.5", "--test-out", str(tmp_path / "test"), "-o",
                 model]) == 0, capsys.readouterr().err
    test = written(tmp_path / "test")
    assert len(test) == 20 and (test["n"] % 1 == 0.5).sum() == 10
    assert main(["predict", model, files, "--dask", address, "--keep", "n", "-o",
                 str(tmp_path / "predicted")]) == 0, capsys.readouterr().err
    predicted = written(tmp_path / "predicted")
    np.testing.assert_array_equal(predicted["n"], pd.concat(frames)["n"])


def test_a_cluster_model_reads_files_as_it_was_trained_on_them(client, tmp_path, capsys,
                                                               monkeypatch):
    """Files without a header, separated by ';': the model records how it read them (columns
    named 0, 1, 2, ... as in memory), so that its test rows, written in the same layout, are
    scored in memory and on the cluster with no option repeated."""
    from ffnn import load
    from ffnn.cli import main

    rng = np.random.default_rng(6)
    for i in range(2):
        X = rng.normal(size=(60, 2))
        pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": X[:, 0] - X[:, 1]}).to_csv(
            tmp_path / f"d{i}.csv", sep=";", header=False, index=False)
    files, address = str(tmp_path / "d*.csv"), client.scheduler.address
    model, test_out = str(tmp_path / "m.ffnn"), str(tmp_path / "test.csv")
    assert main(["fit", files, "--target", "2", "--sep", ";", "--no-header", "--dask", address,
                 "--epochs", "3", "--test-out", test_out, "-o", model]) == 0
    out = capsys.readouterr().out
    assert load(model).preprocessor.columns == ["0", "1"]
    tested = next(line for line in out.splitlines() if line.startswith("test:"))
    assert f"ffnn evaluate {model} '{test_out}' --dask" in out
    for extra in ([], ["--dask", address]):
        assert main(["evaluate", model, test_out, *extra]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert "holds the 24 test rows that 'ffnn fit' held out" in lines[0]  # known by hash
        assert tested == "test:       " + next(line for line in lines if line.startswith("R²"))
    for size, said in (("0.999", "120 rows are too few to hold out 99.9% as test rows; lower "
                                 "--test-size or set it to 0"),  # as in memory
                       ("0.99", "1 row is too few to hold out 20% as validation rows; lower "
                                "--validation-fraction or set it to 0")):
        assert main(["fit", files, "--target", "2", "--sep", ";", "--no-header", "--dask",
                     address, "--test-size", size, "-o", model]) == 2
        assert said in capsys.readouterr().err
    (tmp_path / "old").mkdir()  # a folder for Parquet files must be new
    assert main(["predict", model, files, "--dask", address, "-o", str(tmp_path / "old")]) == 2
    assert "exists; Parquet files are written into a new folder" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)  # no standard output on a cluster, and no folder named '-'
    for output in ([], ["-o", "-"]):
        assert main(["predict", model, files, "--dask", address, *output]) == 2
        assert "with --dask, give -o" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()
    inside = str(tmp_path / "d_test.csv")  # among the files 'd*.csv' names
    assert main(["fit", files, "--target", "2", "--sep", ";", "--no-header", "--dask", address,
                 "--test-out", inside, "-o", model]) == 2
    assert "would read it as data" in capsys.readouterr().err


def test_an_address_that_accepts_and_never_answers_is_said_not_waited_on():
    """A server that accepts the connection but speaks no Dask (a web server on the port, say)
    hung the command; it is given a time and named."""
    import socket

    from ffnn.cli.distributed_cluster import _client
    from ffnn.exceptions import DataError

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(DataError, match="no answer from a Dask scheduler at tcp://127"):
            _client(address, seconds=0.5)


@pytest.mark.parametrize("bokeh, limit, memory", [(False, "1GiB", ", 1.0 GiB; "),
                                                   (True, 0, ", no memory limit; ")])
def test_a_local_cluster_s_dashboard_link_is_given_where_it_works(monkeypatch, bokeh, limit,
                                                                 memory):
    """Without bokeh a scheduler still serves the dashboard's address, with a page saying that
    the dashboard needs bokeh. A worker with memory limit 0 has none: no total is made up."""
    import functools
    import importlib.util
    import io

    from ffnn.cli import distributed_cluster

    monkeypatch.setattr(distributed, "LocalCluster", functools.partial(
        distributed.LocalCluster, processes=False, n_workers=1, dashboard_address=":0",
        memory_limit=limit))
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: (
        (object() if bokeh else None) if name == "bokeh" else find_spec(name, *args)))
    said = io.StringIO()
    with distributed_cluster.connect(distributed_cluster.LOCAL, said) as cluster:
        link = cluster.dashboard_link
    expected = f"dashboard {link}" if bokeh else "dashboard none (Dask's dashboard needs bokeh"
    assert said.getvalue().startswith("Dask: 1 worker, ") and expected in said.getvalue()
    assert memory in said.getvalue()


def test_cluster_models_read_text_codes_and_do_not_claim_in_memory_parts(client, tmp_path,
                                                                        capsys):
    """A text column of codes '1', '2' (Parquet) scored from CSV files on the cluster stays text
    (read as floats it became '1.0', unseen in training); a model fitted on the cluster on one
    file is not split into parts in memory (its split is per partition, not the in-memory one)."""
    from ffnn.cli import main

    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(8)
    code = rng.choice(["1", "2", "3"], 120)
    frame = pd.DataFrame({"x": rng.normal(size=120), "code": code})
    frame["y"] = np.where(code == "1", "yes", "no")
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    frame.to_csv(tmp_path / "t.csv", index=False)
    address = client.scheduler.address
    model = str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "t.parquet"), "--target", "y", "--solver", "lbfgs",
                 "--epochs", "50", "-q", "-o", model]) == 0
    capsys.readouterr()
    assert main(["evaluate", model, str(tmp_path / "t.csv"), "--dask", address]) == 0
    printed = capsys.readouterr()
    assert "not seen in training" not in printed.err
    assert main(["evaluate", model, str(tmp_path / "t.csv")]) == 0
    memory = capsys.readouterr().out  # knows the Parquet file's rows in the CSV file
    assert "all 120 rows of" in memory and "identical to rows that trained" in memory
    assert results(printed.out).splitlines()[1] == \
        results(memory).splitlines()[1].split("  ROC")[0]
    assert main(["fit", str(tmp_path / "t.csv"), "--target", "y", "--dask", address,
                 "--test-size", "0.2", "--epochs", "2", "-q", "-o", model]) == 0
    capsys.readouterr()
    assert main(["evaluate", model, str(tmp_path / "t.csv")]) == 0
    said = capsys.readouterr().out  # optimistic, said without the in-memory parts
    assert "training rows" not in said and "is the file this model was trained on" in said
    assert main(["evaluate", model, str(tmp_path / "t.csv"), "--dask", address]) == 0
    assert "t.csv is the file this model was trained on: " in capsys.readouterr().out


def test_columns_far_from_training_are_said_on_the_cluster_as_in_memory(client, tmp_path,
                                                                        capsys):
    """Counted per partition on the workers and added up: one warning, as in memory; and a
    --dask fit records a column constant in its training rows, as an in-memory fit does."""
    from ffnn.cli import main

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(5, 1, 200), "clinic": 1})
    frame["y"] = 2 * frame["x"] + rng.normal(0, 0.1, 200)
    frame.to_csv(tmp_path / "train.csv", index=False)
    (tmp_path / "new").mkdir()
    for k in range(2):  # the column varies in the second file only; x lies 6 deviations off
        frame.iloc[:20].assign(clinic=[1, 3 * k + 1] * 10, x=frame["x"].iloc[:20] + 6).to_csv(
            tmp_path / "new" / f"part{k}.csv", index=False)
    address, model = client.scheduler.address, str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "train.csv"), "--target", "y", "--dask", address,
                 "--epochs", "3", "-q", "-o", model]) == 0
    assert "warning: column 'clinic' holds one value (1) in every training row" in \
        capsys.readouterr().err  # as in memory
    assert set(ffnn_load(model).preprocessor.constant) == {"clinic"}
    glob = str(tmp_path / "new" / "*.csv")
    for command in (["predict", model, glob, "-o", str(tmp_path / "p.csv")],
                    ["evaluate", model, glob]):
        capsys.readouterr()
        assert main([*command, "--dask", address]) == 0
        err = capsys.readouterr().err
        assert err.count("'x' averages 10.87 here against 5.048") == 1, err
        assert "'clinic' held only 1 in training but other values in 10 of 40 row(s)" in err


def test_rows_an_in_memory_model_trained_on_are_counted_on_the_cluster(client, tmp_path,
                                                                       capsys):
    from ffnn.cli import main

    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=200), "c": rng.choice(["a", "b"], 200)})
    frame["y"] = frame["x"] * 2 + (frame["c"] == "a")
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "train.csv"), "--target", "y", "--epochs", "2", "-q",
                 "--test-size", "0.25", "-o", model]) == 0
    (tmp_path / "parts").mkdir()
    for k in range(2):  # 150 of the 200 rows trained or validated the model
        frame.iloc[100 * k:100 * (k + 1)].to_csv(tmp_path / "parts" / f"{k}.csv", index=False)
    capsys.readouterr()
    glob = str(tmp_path / "parts" / "*.csv")
    assert main(["evaluate", model, glob, "--dask", client.scheduler.address]) == 0
    cluster = capsys.readouterr().out
    assert f"note: 150 of the 200 rows of {glob} are identical to rows that trained" in cluster
    assert "seen rows" not in cluster  # not scored apart on the cluster
    # a classifier of numbers: the cluster reads its labels as text, fit hashed numbers
    frame.assign(y=(frame["x"] > 0).astype(int)).to_csv(tmp_path / "labels.csv", index=False)
    assert main(["fit", str(tmp_path / "labels.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", model]) == 0
    frame.assign(y=(frame["x"] > 0).astype(int))[["y", "c", "x"]].to_csv(
        tmp_path / "reordered.csv", index=False)
    capsys.readouterr()
    assert main(["evaluate", model, str(tmp_path / "reordered.csv"), "--dask",
                 client.scheduler.address]) == 0
    assert "identical to rows that trained or validated" in capsys.readouterr().out
    # booleans spelled true and false, which pandas reads as booleans in memory
    frame.assign(y=np.where(frame["x"] > 0, "true", "false")).to_csv(tmp_path / "flags.csv",
                                                                     index=False)
    assert main(["fit", str(tmp_path / "flags.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", model]) == 0
    frame.assign(y=np.where(frame["x"] > 0, "true", "false"))[["y", "x", "c"]].to_csv(
        tmp_path / "flags_copy.csv", index=False)
    capsys.readouterr()
    assert main(["evaluate", model, str(tmp_path / "flags_copy.csv"), "--dask",
                 client.scheduler.address]) == 0
    assert "identical to rows that trained or validated" in capsys.readouterr().out


def test_a_header_for_a_model_of_files_without_one_is_read_as_in_memory(client, tmp_path,
                                                                       capsys):
    """By the header's names where it holds the model's, else past it by position; the header
    line was read as a row of data on the cluster."""
    from ffnn.cli import main

    rng = np.random.default_rng(10)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["y"] = frame["a"] - 3 * frame["b"]
    frame.to_csv(tmp_path / "bare.csv", header=False, index=False)
    address = client.scheduler.address
    for names, written in ((["--names", "a,b,y"], ["b", "a", "y"]), ([], ["p", "q", "r"])):
        model = str(tmp_path / "m.ffnn")
        assert main(["fit", str(tmp_path / "bare.csv"), "--no-header", *names, "--target",
                     "-1" if not names else "y", "--epochs", "3", "-q", "-o", model]) == 0
        frame[["a", "b", "y"][:2] if not names else ["b", "a"]].to_csv(
            tmp_path / "new.csv", index=False, header=written[:2])
        outputs = []
        for dask in ([], ["--dask", address]):
            out = str(tmp_path / f"p{len(dask)}.csv")
            assert main(["predict", model, str(tmp_path / "new.csv"), "--header", "-o", out,
                         *dask]) == 0
            outputs.append(pd.read_csv(out).iloc[:, -1].to_numpy())
        assert len(outputs[1]) == 80
        np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-12)


def test_cli_categorical_columns_on_a_cluster_as_in_memory(client, tmp_path, capsys):
    """--categorical with --dask: codes spelled as the CSV files spell them ('02139'), and the
    numbers of Parquet files as categories too, the same categories as in memory."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    zips = rng.choice(["02139", "02140", "10001"], 90)
    frame = pd.DataFrame({"zip": zips, "x": rng.normal(size=90)})
    frame["y"] = frame["x"] + (frame["zip"] == "02139")
    frame.to_csv(tmp_path / "zips.csv", index=False)
    frame.astype({"zip": int}).to_parquet(tmp_path / "zips.parquet", index=False)
    address = client.scheduler.address
    for name, categories in (("zips.csv", ["02139", "02140", "10001"]),
                             ("zips.parquet", ["10001", "2139", "2140"])):
        data = str(tmp_path / name)
        for where, model in ((["--dask", address], "d.ffnn"), ([], "m.ffnn")):
            assert main(["fit", data, "--target", "y", "--categorical", "zip", "--epochs", "2",
                         "-q", "-o", str(tmp_path / model), *where]) == 0, capsys.readouterr()
            fitted = ffnn_load(tmp_path / model)
            assert fitted.preprocessor.categorical[0][:2] == ("zip", categories)
            assert [n for n, *_ in fitted.preprocessor.numeric] == ["x"]


def test_cli_categorical_columns_of_a_file_without_a_header_on_a_cluster(client, tmp_path,
                                                                          capsys):
    """A file without a header or names, its codes named by position: spelled as the file
    spells them on a cluster as in memory, not read as the floats 2139.0 (every later file's
    codes were then categories training never saw)."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"zip": rng.choice(["02139", "02140", "10001"], 90),
                          "x": rng.normal(size=90)})
    frame["y"] = frame["x"] + (frame["zip"] == "02139")
    data = str(tmp_path / "bare.csv")
    frame.to_csv(data, index=False, header=False)
    for where, model in ((["--dask", client.scheduler.address], "d.ffnn"), ([], "m.ffnn")):
        assert main(["fit", data, "--no-header", "--target", "2", "--categorical", "0",
                     "--epochs", "2", "-q", "-o", str(tmp_path / model), *where]) == 0, \
            capsys.readouterr()
        fitted = ffnn_load(tmp_path / model)
        assert fitted.preprocessor.categorical[0][:2] == ("0", ["02139", "02140", "10001"])


def test_cli_fit_on_a_cluster_says_which_parts_leave_a_metric_undefined(client, tmp_path,
                                                                        capsys):
    """As in memory: a single validation row's R² is NaN, and fit says why."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=12)})
    frame["y"] = 2 * frame["x"]
    frame.to_csv(tmp_path / "d.csv", index=False)
    capsys.readouterr()
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "--epochs", "2", "-q",
                 "--validation-fraction", "0.05", "-o", str(tmp_path / "m.ffnn"), "--dask",
                 client.scheduler.address]) == 0
    out, err = capsys.readouterr()
    assert "validation: R² nan" in out, (out, err)
    assert "note: validation rows: R² is not defined on a single row" in err
    assert "training rows" not in err


def test_a_column_numbering_the_rows_is_pointed_out_on_the_cluster_as_in_memory(
        client, tmp_path, capsys):
    """Distinct whole numbers spanning no more values than the files hold rows, over files
    whose numbers interleave: warned of with their --drop, as in memory, with or without test
    rows held out; whole numbers that repeat are a feature like any other."""
    from ffnn.cli import main

    rng = np.random.default_rng(4)
    n = 300
    frame = pd.DataFrame({"id": rng.permutation(n) + 1000, "x": rng.normal(size=n),
                          "visits": rng.integers(0, 400, n)})
    frame["y"] = frame["x"] + rng.normal(0, 0.1, n)
    for k in range(3):
        frame.iloc[k::3].to_csv(tmp_path / f"part{k}.csv", index=False)
    glob, address = str(tmp_path / "part*.csv"), client.scheduler.address
    for extra in ([], ["--test-size", "0.2"]):
        assert main(["fit", glob, "--target", "y", "--dask", address, "--epochs", "1", "-q",
                     *extra, "-o", str(tmp_path / "m.ffnn"), "--force"]) == 0
        err = capsys.readouterr().err
        assert "column 'id' holds" in err and "--drop id" in err, err
        assert "'visits'" not in err
    assert main(["fit", glob, "--target", "y", "--dask", address, "--epochs", "1", "-q",
                 "--drop", "id", "-o", str(tmp_path / "m.ffnn"), "--force"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_row_numbers_are_found_by_the_same_rule_on_the_cluster_and_in_memory(
        client, tmp_path, capsys):
    """The saved index of a table filtered before it was saved (0, 2, 4, …: spanning twice the
    rows) and identifiers with a missing value (read as floats) are pointed out in memory and on
    the cluster alike, in the same words; whole numbers spread over more values than rows are
    not, in either."""
    from ffnn.cli import main

    rng = np.random.default_rng(5)
    n = 300
    code = (rng.permutation(n) + 5000).astype(float)
    code[7] = np.nan
    frame = pd.DataFrame({"Unnamed: 0": 2 * rng.permutation(n), "code": code,
                          "spread": 3 * rng.permutation(n), "x": rng.normal(size=n)})
    frame["y"] = frame["x"] + rng.normal(0, 0.1, n)
    frame.to_csv(tmp_path / "all.csv", index=False)
    for k in range(3):
        frame.iloc[k::3].to_csv(tmp_path / f"part{k}.csv", index=False)
    said = {}
    for files, extra in ((tmp_path / "all.csv", []),
                         (tmp_path / "part*.csv", ["--dask", client.scheduler.address])):
        assert main(["fit", str(files), "--target", "y", "--epochs", "1", "-q", "--impute",
                     *extra, "-o", str(tmp_path / "m.ffnn"), "--force"]) == 0
        said[bool(extra)] = sorted(line for line in capsys.readouterr().err.splitlines()
                                   if "whole numbers" in line)
    assert said[True] == said[False], said
    assert len(said[False]) == 2, said
    assert "column 'Unnamed: 0' holds distinct whole numbers (0 to 598) under the name pandas" \
        in said[False][0]
    assert "column 'code' holds 299 distinct whole numbers from 5000 to 5299" in said[False][1]
    # with test rows held out, both look among the other rows (the two draw other test rows)
    for files, extra in ((tmp_path / "all.csv", []),
                         (tmp_path / "part*.csv", ["--dask", client.scheduler.address])):
        assert main(["fit", str(files), "--target", "y", "--epochs", "1", "-q", "--impute",
                     "--test-size", "0.2", "--test-out", str(tmp_path / "test.csv"), *extra,
                     "-o", str(tmp_path / "m.ffnn"), "--force"]) == 0
        lines = [line for line in capsys.readouterr().err.splitlines() if "whole numbers" in line]
        assert len(lines) == 2 and "'Unnamed: 0' holds distinct whole numbers" in lines[0]
        assert re.search(r"'code' holds 2[34]\d distinct whole numbers", lines[1]), lines


def test_workers_that_die_are_said_to_be_out_of_memory_not_a_bug(tmp_path, monkeypatch,
                                                                   capsys):
    """Dask gives up on a task whose workers died running it (the nannies restart workers past
    95% of their memory_limit): said as what to change, not as an internal error."""
    from distributed import KilledWorker

    from ffnn.cli import distributed, main

    def killed(args):
        worker = collections.namedtuple("Worker", "address")("tcp://127.0.0.1:1")
        raise KilledWorker(("read_parquet-1", 13), worker, 3)

    monkeypatch.setattr(distributed, "fit", killed)
    assert main(["fit", "data/*.parquet", "--target", "y", "--dask", "-o",
                 str(tmp_path / "m.ffnn")]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "memory_limit" in err, err


def test_workers_short_of_memory_before_training_are_warned_of(monkeypatch):
    """A worker past Dask's pause threshold runs no task: a fit waited on it without end and
    without a word. Workers that hold most of their memory limit once the data's statistics are
    read are said, with what to change."""
    import io

    from ffnn.cli import distributed_cluster
    from ffnn.training import dask_engine

    known = {"tcp://a:1": {"memory_limit": 350 * 2**20, "metrics": {"memory": 283 * 2**20}},
             "tcp://b:2": {"memory_limit": 350 * 2**20, "metrics": {"memory": 100 * 2**20}},
             "tcp://c:3": {"memory_limit": 0, "metrics": {"memory": 900 * 2**20}}}
    monkeypatch.setattr(dask_engine, "workers", lambda client: known)
    said = io.StringIO()
    distributed_cluster.warn_of_little_memory(None, said)
    assert said.getvalue().startswith(
        "warning: 1 Dask worker already uses more than 60% of its memory limit (worker "
        "tcp://a:1: 283 of 350 MiB); Dask pauses a worker at 80% of its limit")
    known["tcp://a:1"]["metrics"]["memory"] = 100 * 2**20
    said = io.StringIO()
    distributed_cluster.warn_of_little_memory(None, said)
    assert said.getvalue() == ""


def test_looking_for_row_numbers_takes_a_bit_per_value_of_the_span():
    """The bitmap of a column's values takes one bit per value of its span, on the workers and
    on the client: a partition of 30 rows of a span of 8 million values takes 1 MB, not the
    8 MB of a byte per value (a billion rows: 125 MB per partition, not 1 GB); values that
    repeat across partitions are no row number."""
    import tracemalloc

    import dask

    from ffnn.cli.distributed_data import row_numbers

    span, n = 8 * 10**6, 30
    parts = [dask.delayed(pd.DataFrame({"id": np.arange(n) * 1000 + k})) for k in (0, 7)]
    stats = {"count": {"id": 2 * n}, "low": {"id": 0.0}, "high": {"id": span - 1.0}}
    with dask.config.set(scheduler="sync"):
        tracemalloc.start()
        try:
            found = row_numbers(parts, ["id"], stats, span)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert found == [("id", 2 * n, 0, span - 1)]
    assert peak < 4 * span / 8, peak  # two partitions' bitmaps, their union, its count
    parts.append(dask.delayed(pd.DataFrame({"id": [5000]})))  # one value twice
    stats["count"]["id"] += 1
    with dask.config.set(scheduler="sync"):
        assert row_numbers(parts, ["id"], stats, span) == []


def test_values_beyond_two_to_the_53_are_not_looked_at_for_row_numbers():
    """Whole floats of 2**63 and beyond (twenty values 2048 apart, the spacing of floats there,
    among 40,000 rows) are not taken for row numbers: they have no int64, and floats tell
    integers that large apart no more; they failed fit with an internal error."""
    import dask

    from ffnn.cli.distributed_data import row_numbers

    values = 2.0**63 + 2048 * np.arange(20)
    parts = [dask.delayed(pd.DataFrame({"big": values}))]
    stats = {"count": {"big": 20}, "low": {"big": values[0]}, "high": {"big": values[-1]}}
    with dask.config.set(scheduler="sync"):
        assert row_numbers(parts, ["big"], stats, 40_000) == []


def test_no_memory_warning_where_pausing_is_off_or_a_worker_says_nothing(monkeypatch):
    import io

    import dask

    from ffnn.cli import distributed_cluster
    from ffnn.training import dask_engine

    known = {"tcp://a:1": {"memory_limit": 350 * 2**20, "metrics": {"memory": 300 * 2**20}},
             "tcp://b:2": {"memory_limit": 350 * 2**20}}  # no metrics reported yet
    monkeypatch.setattr(dask_engine, "workers", lambda client: known)
    said = io.StringIO()
    with dask.config.set({"distributed.worker.memory.pause": False}):
        distributed_cluster.warn_of_little_memory(None, said)
    assert said.getvalue() == ""
    distributed_cluster.warn_of_little_memory(None, said)
    assert said.getvalue().startswith("warning: 1 Dask worker already uses")


def test_r2_of_a_constant_target_is_scikit_learns_on_the_cluster_as_in_memory(
        client, tmp_path, capsys):
    """A thousand rows whose target is 0.1: their Σ(y − ȳ)² came out as rounding errors, not 0,
    and R² as −1.8e32 (scikit-learn's r2_score, in memory) or −4e32 (the cluster's sums), where
    scikit-learn's convention for rows of one value is 0."""
    from ffnn.cli import main

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=1000), "y": 0.1})
    frame.to_csv(tmp_path / "all.csv", index=False)
    for i in range(4):
        frame.iloc[250 * i:250 * (i + 1)].to_csv(tmp_path / f"p{i}.csv", index=False)
    model, address = tmp_path / "m.ffnn", client.scheduler.address
    assert main(["fit", str(tmp_path / "all.csv"), "--target", "y", "--task", "regression",
                 "--epochs", "2", "-q", "-o", str(model)]) == 0
    capsys.readouterr()
    said = []
    for files, extra in ((tmp_path / "all.csv", []), (tmp_path / "p*.csv", ["--dask", address])):
        assert main(["evaluate", str(model), str(files), *extra]) == 0
        said.append([line.split("R² ")[1].split()[0]
                     for line in capsys.readouterr().out.splitlines() if "R² " in line])
    # (in memory the training file's parts are scored apart; on the cluster, all its rows)
    assert set(said[0]) == set(said[1]) == {"0.0000"}, said
    assert main(["fit", str(tmp_path / "p*.csv"), "--target", "y", "--task", "regression",
                 "--epochs", "2", "--dask", address, "-o", str(model), "--force"]) == 0
    out = capsys.readouterr().out
    assert "R² 0.0000" in out and "R² -" not in out and "R² 1.0000" not in out, out


def test_a_boolean_column_with_missing_values_in_later_files_is_read_as_in_memory(
        client, tmp_path, capsys):
    """Dask types a column from the first rows of the first file: one of booleans there was
    cast to bool in every file, a missing value (and any text, "False" too) becoming True,
    without a word. Missing values stop the fit as in memory, and --impute fills them alike."""
    from ffnn.cli import main

    rng = np.random.default_rng(3)
    parts = []
    for i in range(2):
        x = rng.normal(size=40)
        parts.append(pd.DataFrame({"x": x, "flag": x > 0.3, "y": 2 * x + (x > 0.3)}))
    parts[1]["flag"] = parts[1]["flag"].astype(object)
    parts[1].loc[[2, 5], "flag"] = None
    for i, part in enumerate(parts):
        part.to_csv(tmp_path / f"p{i}.csv", index=False)
    pd.concat(parts).to_csv(tmp_path / "all.csv", index=False)
    common = ["--target", "y", "--solver", "lbfgs", "--epochs", "5", "--hidden", "3",
              "--validation-fraction", "0", "-q"]
    cluster = [str(tmp_path / "p*.csv"), *common, "--dask", client.scheduler.address]
    assert main(["fit", str(tmp_path / "all.csv"), *common, "-o", str(tmp_path / "m")]) == 2
    assert main(["fit", *cluster, "-o", str(tmp_path / "c")]) == 2
    assert "flag" in capsys.readouterr().err
    assert main(["fit", str(tmp_path / "all.csv"), *common, "--impute",
                 "-o", str(tmp_path / "m.ffnn")]) == 0
    assert main(["fit", *cluster, "--impute", "-o", str(tmp_path / "c.ffnn")]) == 0
    memory, cluster = (ffnn_load(tmp_path / name).estimator.network_.params
                       for name in ("m.ffnn", "c.ffnn"))
    np.testing.assert_allclose(cluster, memory, rtol=1e-10, atol=1e-12)


def test_a_later_field_that_the_first_rows_type_cannot_hold_names_the_fix(
        client, tmp_path, capsys):
    """Codes that look like numbers (or True/False) in the first file and are text in a later
    one stop the fit with a message naming the field and --categorical, which reads the column
    as text, as a file read whole in memory would be; pandas' own words named neither."""
    from ffnn.cli import main

    rng = np.random.default_rng(4)
    for i, (codes, flags) in enumerate([(["01", "02", "10"], ["True", "False", "True"]),
                                        (["A1", "B2", "03"], ["False", "maybe", "True"])]):
        x = rng.normal(size=30)
        pd.DataFrame({"code": np.resize(codes, 30), "flag": np.resize(flags, 30), "x": x,
                      "y": 2 * x}).to_csv(tmp_path / f"p{i}.csv", index=False)
    common = [str(tmp_path / "p*.csv"), "--target", "y", "--epochs", "2", "--hidden", "3",
              "-q", "--dask", client.scheduler.address, "-o", str(tmp_path / "m.ffnn")]
    for declared, field in ((["--categorical", "flag"], "'A1'"),
                            (["--categorical", "code"], "'maybe'")):
        assert main(["fit", *common, *declared]) == 2
        err = capsys.readouterr().err
        assert f"holds {field} further on" in err and "--categorical" in err, err
    assert main(["fit", *common, "--categorical", "code,flag"]) == 0, capsys.readouterr().err


def test_ones_and_zeros_after_true_and_false_are_not_taken_for_booleans(
        client, tmp_path, capsys):
    """A file of True/False and a later one of 1/0: pandas reads the column of both as text
    (four categories), where a nullable boolean took 1 and 0 for True and False without a
    word. Refused, naming --categorical, which reads it as text as in memory."""
    from ffnn.cli import main

    rng = np.random.default_rng(5)
    for i, flags in enumerate([["True", "false"], ["1", "0"]]):
        x = rng.normal(size=30)
        pd.DataFrame({"flag": np.resize(flags, 30), "x": x, "y": 2 * x}).to_csv(
            tmp_path / f"p{i}.csv", index=False)
    common = [str(tmp_path / "p*.csv"), "--target", "y", "--epochs", "2", "--hidden", "3",
              "-q", "--dask", client.scheduler.address, "-o", str(tmp_path / "m.ffnn")]
    assert main(["fit", *common]) == 2
    err = capsys.readouterr().err
    assert "a column of True/False in the first rows holds '1' further on" in err, err
    assert main(["fit", *common, "--categorical", "flag"]) == 0, capsys.readouterr().err
    assert ffnn_load(tmp_path / "m.ffnn").preprocessor.categorical[0][1] == [
        "0", "1", "True", "false"]


def test_a_missing_target_is_refused_naming_the_words_read_as_missing_as_in_memory(
        client, tmp_path, capsys):
    """'NA' (North America) among a target's labels is read as missing: the cluster's refusal
    names such words as the in-memory one does, and counts the rows, test rows included, as it
    does."""
    from ffnn.cli import main

    x = np.random.default_rng(0).normal(size=90)
    frame = pd.DataFrame({"x": x, "region": np.where(x > 0.5, "NA", np.where(
        x < -0.5, "EU", "AS"))})
    for i in range(3):
        frame.iloc[30 * i:30 * (i + 1)].to_csv(tmp_path / f"p{i}.csv", index=False)
    frame.to_csv(tmp_path / "all.csv", index=False)
    n = int((x > 0.5).sum())
    common = ["--target", "region", "-q", "-o", str(tmp_path / "m.ffnn")]
    assert main(["fit", str(tmp_path / "all.csv"), *common]) == 2
    words = f"words that pandas reads as missing: 'NA' ({n} rows); if they name classes"
    assert f"(of them, {words}" in capsys.readouterr().err
    cluster = [str(tmp_path / "p*.csv"), *common, "--dask", client.scheduler.address]
    assert main(["fit", *cluster]) == 2
    assert f"is missing in {n} row(s); drop those rows (of them, {words}" in \
        capsys.readouterr().err
    assert main(["fit", *cluster, "--test-size", "0.2"]) == 2
    assert f"is missing in {n} row(s); drop those rows (of them, {words}" in \
        capsys.readouterr().err


def test_validation_targets_all_equal_score_r2_s_convention_on_the_cluster(client, data):
    # their Σ(y − ȳ)² is the rounding errors of their mean (1e-31 for a thousand 0.1s): each
    # epoch scored some −1e32, which chose the epoch kept, where in memory the score is 0
    X, y, _ = data
    rng = np.random.default_rng(0)
    X_val, y_val = rng.normal(size=(1000, X.shape[1])), np.full(1000, 0.1)
    params = dict(hidden_layer_sizes=(4,), max_iter=4, random_state=0)
    memory = quiet(FFNNRegressor(**params).fit, X, y, validation_data=(X_val, y_val))
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y),
                    validation_data=(da.from_array(X_val, chunks=37),
                                     da.from_array(y_val, chunks=37)))
    assert cluster.validation_scores_ == memory.validation_scores_ == [0.0] * 4


def test_score_of_targets_all_equal_is_r2_s_convention_in_memory_and_on_the_cluster(client,
                                                                                   data):
    # r2_score divided by the rounding errors of the mean of a thousand 0.1s (−1e30 in memory,
    # another −1e32 from the cluster's sums), where the validation scores give 0
    from sklearn.metrics import r2_score

    X, y, _ = data
    params = dict(hidden_layer_sizes=(4,), max_iter=4, random_state=0)
    one, two = (quiet(FFNNRegressor(**params).fit, X, target) for target in (y, np.c_[y, y]))
    X_new = np.random.default_rng(0).normal(size=(1000, X.shape[1]))
    equal = np.full(1000, 0.1)
    Y = np.c_[equal, one.predict(X_new)]  # an output of equal targets beside one that varies
    for est, target, expected in (
            (one, equal, 0.0),
            (two, Y, r2_score(Y[:, 1], two.predict(X_new)[:, 1]) / 2)):
        assert est.score(X_new, target) == pytest.approx(expected, abs=1e-12)
        assert est.score(da.from_array(X_new, chunks=(37, -1)),
                         da.from_array(target, chunks=37)) == pytest.approx(expected,
                                                                           abs=1e-9)


def test_rows_of_weight_zero_take_no_part_in_the_rule_for_targets_all_equal(client, data):
    # the rows that carry weight all hold 0.1, the others vary: r2_score divides by the
    # rounding errors of their weighted mean (−5e31), and the rule for equal targets looked
    # at every row, weighed or not, so the score was that number in memory and on the cluster
    from sklearn.metrics import r2_score

    X, y, _ = data
    est = quiet(FFNNRegressor(hidden_layer_sizes=(4,), max_iter=4, random_state=0).fit, X, y)
    X_new = np.random.default_rng(0).normal(size=(2000, X.shape[1]))
    target = np.r_[np.full(1000, 0.1), np.linspace(-5, 5, 1000)]
    w = np.r_[np.ones(1000), np.zeros(1000)]
    assert r2_score(target, est.predict(X_new), sample_weight=w) < -1e20
    assert est.score(X_new, target, sample_weight=w) == 0.0
    assert est.score(da.from_array(X_new, chunks=(300, -1)), da.from_array(target, chunks=300),
                     sample_weight=da.from_array(w, chunks=300)) == 0.0


def test_a_dropped_column_typed_otherwise_in_later_files_is_no_refusal(client, tmp_path,
                                                                       capsys):
    # numbers in the first file, codes in the second: the column is dropped, and in memory
    # goes unnoticed; on the cluster it was refused as files that disagree on its type
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=120), "note": np.r_[np.arange(60), ["a7"] * 60]})
    frame["y"] = 2 * frame["x"]
    (tmp_path / "parts").mkdir()
    for k in range(2):
        frame.iloc[60 * k:60 * (k + 1)].to_csv(tmp_path / "parts" / f"{k}.csv", index=False)
    frame.to_csv(tmp_path / "all.csv", index=False)
    common = ["--target", "y", "--drop", "note", "--epochs", "2", "-q"]
    assert main(["fit", str(tmp_path / "all.csv"), *common, "-o", str(tmp_path / "m.ffnn")]) == 0
    status = main(["fit", str(tmp_path / "parts" / "*.csv"), *common, "--dask",
                   client.scheduler.address, "-o", str(tmp_path / "d.ffnn")])
    assert status == 0, capsys.readouterr().err


def test_in_memory_inputs_beside_dask_ones_are_split_as_their_rows(client, data):
    """A NumPy (or pandas) y, sample_weight or validation half beside a dask X, and a NumPy X
    beside a dask y, are taken as though split into the Dask input's blocks: the same fit and
    the same scores. They were refused with a TypeError."""
    X, y, w = data
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0)
    dX, dy, dw = dask(X, y, w)
    every = quiet(FFNNRegressor(**params).fit, dX, dy, sample_weight=dw)
    for inputs in ((dX, y, w), (dX, pd.Series(y), dw), (X, dy, w), (pd.DataFrame(X), dy, dw)):
        mixed = quiet(FFNNRegressor(**params).fit, *inputs[:2], sample_weight=inputs[2])
        np.testing.assert_allclose(mixed.network_.params, every.network_.params, rtol=1e-10,
                                   atol=1e-12)
        assert mixed.score(*inputs[:2], sample_weight=inputs[2]) == pytest.approx(
            every.score(X, y, sample_weight=w), rel=1e-12)
    labels = np.where(y > 0, "up", "down")
    classifier = quiet(FFNNClassifier(**params).fit, dX, labels)
    assert list(classifier.classes_) == ["down", "up"]
    assert classifier.score(dX, labels, sample_weight=w) == pytest.approx(
        classifier.score(X, labels, sample_weight=w), rel=1e-12)
    for validation in ((X[:60], dask(y)[0][:60]), (dX[:60], y[:60])):
        model = quiet(FFNNRegressor(**params).fit, dX, dy, validation_data=validation)
        assert len(model.validation_scores_) == model.n_iter_
    with pytest.raises(ValueError, match="y has 299 rows but X has 300"):
        FFNNRegressor(max_iter=1).fit(dX, y[:-1])
    with pytest.raises(TypeError, match="sparse matrix in memory"):
        FFNNRegressor(max_iter=1).fit(sp.csr_matrix(X), dy)
    bag = pytest.importorskip("dask.bag").from_sequence(list(y), npartitions=2)
    with pytest.raises(TypeError, match="got Bag: turn it into a dask array first"):
        FFNNRegressor(max_iter=1).fit(dX, bag)


def test_a_pandas_y_of_objects_beside_dask_x_is_taken_or_refused_as_in_memory(client, data):
    """A pandas Series of objects beside a dask X keeps its objects: Dask's from_pandas made
    them text, so that labels 1 and 2 (or True and False), which scikit-learn refuses in
    memory, trained a classifier of classes '1' and '2' that predicted strings."""
    X, y, _ = data
    dX = dask(X)[0]
    mixed = np.where(y > 0, "up", "down").astype(object)
    mixed[::2] = 1
    for labels in (np.where(y > 0, 1, 2), y > 0, mixed):
        series = pd.Series(labels, dtype=object)
        with pytest.raises(ValueError) as in_memory:
            FFNNClassifier(max_iter=1).fit(X, series)
        with pytest.raises(ValueError) as beside:
            FFNNClassifier(max_iter=1).fit(dX, series)
        assert type(beside.value) is type(in_memory.value)
    words = pd.Series(np.where(y > 0, "up", "down"), dtype=object)
    model = quiet(FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=3,
                                 random_state=0).fit, dX, words)
    assert list(model.classes_) == ["down", "up"]


def test_complex_text_and_three_dimensional_inputs_are_taken_or_refused_as_in_memory(
        client, data):
    """Complex numbers were trained on as their real parts, unsaid; numbers in text as targets
    or weights (taken in memory) failed on the workers with NumPy's TypeError of isfinite; y of
    three dimensions failed in the loss; a 1-D X to predict was said to have n features."""
    X, y, w = data
    params = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=3, random_state=0)
    model = quiet(FFNNRegressor(**params).fit, *dask(X, y))
    complex_ = X + 1j
    for call in (lambda: FFNNRegressor(max_iter=1).fit(*dask(complex_, y)),
                 lambda: FFNNRegressor(max_iter=1).fit(*dask(X, y + 1j)),
                 lambda: FFNNRegressor(max_iter=1).fit(*dask(X, y), sample_weight=dask(w + 0j)[0]),
                 lambda: model.predict(dask(complex_)[0]),
                 lambda: model.score(*dask(X, y + 1j))):
        with pytest.raises(ValueError, match="Complex data not supported"):
            call()
    for Model, target in ((FFNNRegressor, y), (FFNNClassifier, (y > 0).astype(int))):
        with pytest.raises(ValueError, match="Complex data not supported"):
            Model(max_iter=1).fit(complex_, target)  # in memory, for comparison
    for target, weights in ((y.astype(str), w), (y.astype(object), w.astype(str))):
        texts = quiet(FFNNRegressor(**params).fit, *dask(X, target), sample_weight=dask(weights)[0])
        numbers = quiet(FFNNRegressor(**params).fit, *dask(X, y), sample_weight=dask(w)[0])
        np.testing.assert_array_equal(texts.network_.params, numbers.network_.params)
        assert model.score(*dask(X, target), sample_weight=dask(weights)[0]) == \
            model.score(X, y, sample_weight=w)
    deep = np.stack([np.c_[y, y]] * 2, axis=2)
    for Model in (FFNNRegressor, FFNNClassifier):
        with pytest.raises(ValueError, match="dim 3, while dim <= 2 is required"):
            Model(max_iter=1).fit(*dask(X, deep))
    with pytest.raises(ValueError, match="Expected a 2D array, got a 1D dask array"):
        model.predict(dask(X)[0][:, 0])


def test_columns_of_objects_that_dask_made_text_are_said_to_be_so(client, data):
    """pandas takes a column of objects holding numbers as numbers; Dask's from_pandas makes it
    text, and "encode them first" alone pointed at one-hot encoding numbers."""
    X, y, _ = data
    frame = dd.from_pandas(pd.DataFrame(X[:, :2], columns=["a", "b"]).astype(object),
                           npartitions=2)
    with pytest.raises(ValueError, match=r"becomes text in a Dask DataFrame.*astype\(\{'a': "):
        FFNNRegressor(max_iter=1).fit(frame, dask(y)[0])


def test_a_number_for_weights_and_inputs_without_columns_are_taken_as_in_memory(client, data):
    """One number as sample_weight weighs every row, as in memory (fit refused it as no dask
    array); X or y without columns was refused by the network's layer sizes ([0, 5, 1])."""
    X, y, _ = data
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=4, random_state=0)
    memory = quiet(in_memory_twin(FFNNRegressor, **params).fit, X, y, sample_weight=2.5)
    cluster = quiet(FFNNRegressor(**params).fit, *dask(X, y), sample_weight=2.5)
    np.testing.assert_allclose(cluster.network_.params, memory.network_.params, rtol=1e-10,
                               atol=1e-12)
    for inputs in ((X, y), dask(X, y)):  # the metrics refuse one number, in memory and here
        with pytest.raises(ValueError, match="'sample_weight' parameter of r2_score must be"):
            memory.score(*inputs, sample_weight=2.5)
    none = da.zeros((len(y), 0), chunks=(ROWS, 0))
    with pytest.raises(ValueError, match=r"Found array with 0 feature\(s\)"):
        FFNNRegressor(max_iter=1).fit(none, dask(y)[0])
    with pytest.raises(ValueError, match=r"Found array with 0 feature\(s\)"):
        FFNNRegressor(max_iter=1).fit(dd.from_pandas(pd.DataFrame(index=range(len(y))),
                                                     npartitions=2), dask(y)[0])
    with pytest.raises(ValueError, match="y has no columns"):
        FFNNRegressor(max_iter=1).fit(dask(X)[0], none)


def test_the_network_said_before_training_on_a_cluster_has_every_layer(client, tmp_path,
                                                                        capsys):
    """As in memory: the output layer's size is said too, one unit per class past two."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    for i in range(2):
        frame = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
        frame["y"] = np.array(["u", "v", "w"])[np.arange(60) % 3]
        frame.to_parquet(tmp_path / f"part{i}.parquet", index=False)
    assert main(["fit", str(tmp_path / "*.parquet"), "--target", "y", "--dask",
                 client.scheduler.address, "--epochs", "2", "--hidden", "6",
                 "-o", str(tmp_path / "m.ffnn")]) == 0
    assert "classification network [2, 6, 3] on " in capsys.readouterr().err


def test_a_warm_started_fit_on_the_cluster_holds_out_the_rows_held_out_before(client, data,
                                                                           monkeypatch):
    """As in memory: the seed of early stopping's split is drawn once per network, so that a
    warm start is never scored on rows it was trained on."""
    import ffnn.estimators._distributed as distributed_fit

    seeds, plan = [], distributed_fit.held_out_plan

    def recorded(rows, fraction, seed):
        seeds.append(seed)
        return plan(rows, fraction, seed)

    monkeypatch.setattr(distributed_fit, "held_out_plan", recorded)
    X, y, _ = data
    model = FFNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0,
                          early_stopping=True, warm_start=True)
    for _ in range(3):
        quiet(model.fit, *dask(X, y))
    assert len(seeds) == 3 and seeds[1] == seeds[2] == seeds[0]


def test_a_column_typed_otherwise_after_the_first_rows_is_said_with_its_fix(client, tmp_path,
                                                                            capsys):
    """A column of categories empty in the first file (read as numbers there) is refused with
    --categorical, which reads it as in memory, and labels that are numbers in the first file
    and words later are said to be the target's."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=90), "c": rng.choice(["u", "v"], 90)})
    frame["y"] = frame.a

    def written(frame):
        for k in range(3):
            frame[30 * k:30 * (k + 1)].to_csv(tmp_path / f"p{k}.csv", index=False)

    files, address = str(tmp_path / "p*.csv"), client.scheduler.address
    fit = ["fit", files, "--target", "y", "--impute", "--epochs", "2", "-q", "--dask", address,
           "-o", str(tmp_path / "m.ffnn")]
    written(frame.assign(c=frame.c.where(frame.index >= 30)))
    assert main(fit) == 2
    err = capsys.readouterr().err
    assert "column 'c' is float64 in the first rows but holds str values" in err, err
    assert "name it with --categorical" in err
    assert main([*fit, "--categorical", "c"]) == 0, capsys.readouterr().err
    assert ffnn_load(tmp_path / "m.ffnn").preprocessor.categorical[0][:2] == ("c", ["u", "v"])
    written(frame.assign(y=(frame.a > 0).astype(int).astype(str).where(frame.index < 60, "big")))
    assert main([*fit, "--task", "classification"]) == 2
    err = capsys.readouterr().err
    assert "the target column 'y' is int64 in the first rows but holds str values" in err, err
    assert "give the target the same type in every file" in err
    assert "--categorical" not in err


def test_a_folder_of_predictions_reads_back_in_the_order_of_the_rows(client, tmp_path, capsys):
    """Predictions of twelve files written to a folder are read back by pandas, which reads
    a folder's files in the order of their names, in the order of the rows: part.10 came
    before part.2, and the rows of the eleventh and twelfth files before the third's."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60)})
    frame["y"] = 2 * frame.x
    frame.to_csv(tmp_path / "all.csv", index=False)
    (tmp_path / "in").mkdir()
    for k in range(12):
        frame[5 * k:5 * (k + 1)].to_csv(tmp_path / "in" / f"p{k:02d}.csv", index=False)
    model = str(tmp_path / "m.ffnn")
    assert main(["fit", str(tmp_path / "all.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", model]) == 0
    assert main(["predict", model, str(tmp_path / "all.csv"), "--keep", "x", "-o",
                 str(tmp_path / "memory.csv")]) == 0
    assert main(["predict", model, str(tmp_path / "in" / "*.csv"), "--keep", "x", "--dask",
                 client.scheduler.address, "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    back, memory = pd.read_parquet(tmp_path / "out"), pd.read_csv(tmp_path / "memory.csv")
    np.testing.assert_array_equal(back["x"], frame["x"])
    np.testing.assert_allclose(back["y"], memory["y"], rtol=1e-12)
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[:3] == [
        "part.00.parquet", "part.01.parquet", "part.02.parquet"]


def test_csv_files_without_rows_first_in_the_glob_type_no_column(client, tmp_path, capsys):
    """A file of a header alone first in the glob (and an empty one) adds no rows: Dask typed
    every column from its none, as text, and trained a classifier of the regression target's
    values on one-hot numbers; and an empty file first failed in pandas. Both fit as in
    memory on one file of the rows."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=60), "c": rng.choice(["u", "v"], 60)})
    frame["y"] = frame.a + (frame.c == "u")
    frame.to_csv(tmp_path / "all.csv", index=False)
    (tmp_path / "in").mkdir()
    for k in range(2):
        frame[30 * k:30 * (k + 1)].to_csv(tmp_path / "in" / f"p{k}.csv", index=False)
    solved = ["--target", "y", "--solver", "lbfgs", "--validation-fraction", "0", "--epochs",
              "10", "--seed", "0", "-q"]
    assert main(["fit", str(tmp_path / "all.csv"), *solved, "-o",
                 str(tmp_path / "memory.ffnn")]) == 0
    memory = ffnn_load(tmp_path / "memory.ffnn")
    for first in ("a,c,y\n", ""):
        (tmp_path / "in" / "a.csv").write_text(first)
        assert main(["fit", str(tmp_path / "in" / "*.csv"), *solved, "--dask",
                     client.scheduler.address, "-o", str(tmp_path / "dask.ffnn")]) == 0, \
            capsys.readouterr().err
        dask = ffnn_load(tmp_path / "dask.ffnn")
        assert dask.task == "regression"
        assert dask.preprocessor.categorical == memory.preprocessor.categorical
        np.testing.assert_allclose(dask.estimator.network_.params,
                                   memory.estimator.network_.params, rtol=1e-10, atol=1e-12)
        capsys.readouterr()
        assert main(["evaluate", str(tmp_path / "memory.ffnn"), str(tmp_path / "in" / "*.csv"),
                     "--dask", client.scheduler.address]) == 0
        assert "R² " in capsys.readouterr().out


def test_a_target_of_whole_numbers_first_and_fractions_later_is_read_as_numbers(client,
                                                                                tmp_path,
                                                                                capsys):
    """A regression target written as whole numbers in the first file and with fractions in a
    later one: evaluate scores it as in memory, and fit, refused with the fix, fits with
    --task regression as in memory; Dask kept the first rows' integers and refused the later
    fractions."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=90)})
    frame["y"] = (10 * frame.a).round().where(frame.index < 60, 10 * frame.a)
    frame.to_csv(tmp_path / "all.csv", index=False)
    for k in range(3):
        part = frame[30 * k:30 * (k + 1)]
        (part.astype({"y": int}) if k < 2 else part).to_csv(tmp_path / f"p{k}.csv", index=False)
    files, address = str(tmp_path / "p*.csv"), client.scheduler.address
    solved = ["--target", "y", "--solver", "lbfgs", "--validation-fraction", "0", "--epochs",
              "10", "--seed", "0", "-q"]
    assert main(["fit", str(tmp_path / "all.csv"), *solved, "-o", str(tmp_path / "m.ffnn")]) == 0
    scores = []
    for data, dask in ((str(tmp_path / "all.csv"), []), (files, ["--dask", address])):
        assert main(["evaluate", str(tmp_path / "m.ffnn"), data, *dask]) == 0
        scores.append(next(line for line in capsys.readouterr().out.splitlines()
                           if line.startswith("R² ")))
    assert scores[0] == scores[1]
    dask = ["--dask", address, "-o", str(tmp_path / "d.ffnn")]
    assert main(["fit", files, *solved, *dask]) == 2
    assert "a target of quantities: pass --task regression" in capsys.readouterr().err
    assert main(["fit", files, *solved, "--task", "regression", *dask]) == 0
    np.testing.assert_allclose(ffnn_load(tmp_path / "d.ffnn").estimator.network_.params,
                               ffnn_load(tmp_path / "m.ffnn").estimator.network_.params,
                               rtol=1e-10, atol=1e-12)


def test_numbers_written_0_5_in_comma_separated_files_are_not_sent_to_decimal_comma(client,
                                                                                    tmp_path,
                                                                                    capsys):
    """As in memory: "0,5" quoted in comma-separated files cannot be read with --decimal ,,
    which their separator refuses, as a feature or as the target."""
    from ffnn.cli import main

    rng = np.random.default_rng(0)
    for i in range(2):
        (tmp_path / f"{i}.csv").write_text("x,z,y\n" + "".join(
            f'"{j % 7},{j % 50 + 10}",{rng.random():.3f},{rng.random():.3f}\n'
            for j in range(40)))
    for target in ("y", "x"):
        status = main(["fit", str(tmp_path / "*.csv"), "--target", target, "-q", "--dask",
                       client.scheduler.address, "-o", str(tmp_path / "m.ffnn")])
        err = capsys.readouterr().err
        assert status == 2 and "holds numbers written with" in err, err
        assert "--decimal" not in err, err


@pytest.mark.parametrize("Activation", [DataclassTanh, EqualByName])
def test_an_activation_of_ones_own_trains_on_the_cluster_with_its_own_parameters(client, data,
                                                                                 Activation):
    """Workers keep a network per architecture: an unhashable activation (a dataclass) trains,
    and one whose equality calls two slopes equal does not train with the other's network."""
    from ffnn.training import Settings, Trainer
    X, y, _ = data
    bounds = np.cumsum((0,) + ROWS)
    for a in (1.0, 3.0):
        trained = []
        for on_cluster in (True, False):
            net = Network([X.shape[1], 3, 1], [Activation(a), "linear"], "squared_error",
                          random_state=0)
            rows = (X, y[:, None])
            if on_cluster:
                parts = [client.scatter((X[i:j], y[i:j, None], None), hash=False)
                         for i, j in zip(bounds[:-1], bounds[1:])]
                rows = (dask_engine.Partitions(client, net, parts, ROWS), None)
            Trainer(net, Settings(solver="gd", max_iter=3, learning_rate_init=0.01),
                    np.random.default_rng(0)).run(*rows)
            trained.append(net.params.copy())
        np.testing.assert_allclose(trained[0], trained[1], rtol=1e-10, atol=1e-13)


def test_numbers_too_large_for_a_float32_network_are_refused_on_the_cluster_as_in_memory(client,
                                                                                         data):
    """Each partition was cast to float32 without a check, so that such numbers became
    infinite and training stopped with a DivergenceError advising a lower learning rate."""
    X, y, _ = data
    X32, row = X.astype(np.float32), CHUNK + 7  # a row of the second partition
    far_y = y.copy()
    far_y[row] = 1e300
    with pytest.raises(ValueError, match=rf"^y holds numbers too large for float32 .* in 1 "
                                         rf"row\(s\) \(first: row {row}\); scale them, or pass X "
                                         r"as float64$"):
        FFNNRegressor(max_iter=2).fit(*dask(X32, far_y))
    model = quiet(FFNNRegressor(max_iter=2).fit, *dask(X32, y))
    far_X = X.copy()
    far_X[row, 1] = 1e39
    with pytest.raises(ValueError, match=rf"^X holds numbers too large for float32 .* \(first: "
                                         rf"row {row}\); scale them as its earlier data were$"):
        model.partial_fit(*dask(far_X, y))
    with pytest.raises(ValueError, match=rf"^validation X holds numbers too large for float32 "
                                         rf".* \(first: row {row}\); scale them as the training "
                                         "features$"):
        FFNNRegressor(max_iter=2, early_stopping=True).fit(
            *dask(X32, y), validation_data=dask(far_X, y))


def test_a_local_cluster_of_worker_processes_leaves_this_process_s_environment_as_it_was(
        monkeypatch):
    """A nanny sets variables of its own process's environment for the worker it starts
    (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, …) and leaves them: `ffnn fit --dask` called
    in a program would otherwise give every process it starts later one BLAS thread."""
    import functools
    import io
    import os

    from ffnn.cli import distributed_cluster

    monkeypatch.setattr(distributed, "LocalCluster", functools.partial(
        distributed.LocalCluster, processes=True, n_workers=1, threads_per_worker=1,
        dashboard_address=None))
    before = dict(os.environ)
    try:
        with distributed_cluster.connect(distributed_cluster.LOCAL, io.StringIO()) as client:
            assert client.submit(os.getpid).result() != os.getpid()  # a worker process
        changed = {key for key in set(before) | set(os.environ)
                   if before.get(key) != os.environ.get(key)}
        assert changed == set()
    finally:
        os.environ.clear()
        os.environ.update(before)
