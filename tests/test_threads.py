"""Threads of one process: estimators fitted at once train as one after the other, one model
answers many threads as it answers one, saves to one path leave whole files, and none of it
changes the process's NumPy error state, random state or warning filters."""

import threading
import warnings

import numpy as np
import pytest

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor


def _at_once(work, count):
    """Run work(k) for k < count, each in a thread of its own, all started before any joins."""
    threads = [threading.Thread(target=work, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _process_state(filters=True):
    """NumPy's error state and global random state, and the warning filters: which fit in
    threads may change through scikit-learn's checks, as the README says."""
    return np.geterr(), repr(np.random.get_state()), list(warnings.filters) if filters else None


@pytest.fixture()
def data():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(120, 4))
    return X, X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * rng.normal(size=120)


CASES = [(Estimator, solver, dtype) for Estimator in (FFNNRegressor, FFNNClassifier)
         for solver in ("adam", "sgd", "lbfgs") for dtype in (np.float32, np.float64)]


def _fit(case, X, y):
    Estimator, solver, dtype = case
    model = Estimator(hidden_layer_sizes=(6, 5), solver=solver, max_iter=8, tol=0,
                      random_state=1, early_stopping=solver == "adam")
    return model.fit(X.astype(dtype), y if Estimator is FFNNRegressor else y > 0)


def test_estimators_fitted_in_threads_at_once_train_as_one_after_the_other(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (set before the threads start, left after they end)
        alone = [_fit(case, *data) for case in CASES]
        before, together = _process_state(filters=False), [None] * len(CASES)
        _at_once(lambda k: together.__setitem__(k, _fit(CASES[k], *data)), len(CASES))
        assert _process_state(filters=False) == before
    for one, other in zip(alone, together):
        assert one.loss_curve_ == other.loss_curve_
        for a, b in zip(one.coefs_ + one.intercepts_, other.coefs_ + other.intercepts_):
            np.testing.assert_array_equal(a, b)


def test_one_model_answers_many_threads_as_it_answers_one(data):
    # (predict and predict_proba of a float array set no warning filter)
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNClassifier(hidden_layer_sizes=(7,), max_iter=10, random_state=0).fit(
            X, np.digitize(y, [-1, 1]))
    rows = np.random.default_rng(5).normal(size=(3000, 4))
    parts = [rows[k * 300:] for k in range(8)]
    expected = [(model.predict(p), model.predict_proba(p)) for p in parts]
    before, answers = _process_state(), [None] * 8
    _at_once(lambda k: answers.__setitem__(k, (model.predict(parts[k]),
                                               model.predict_proba(parts[k]))), 8)
    assert _process_state() == before
    for (labels, proba), (labels_, proba_) in zip(expected, answers):
        np.testing.assert_array_equal(labels, labels_)
        np.testing.assert_array_equal(proba, proba_)


def test_saves_from_threads_to_one_path_leave_one_whole_file_that_loads_meanwhile_read(
        tmp_path, data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = [FFNNRegressor(hidden_layer_sizes=(k + 2,), max_iter=3, random_state=k).fit(X, y)
                  for k in range(4)]
    predictions = [m.predict(X) for m in models]
    path = tmp_path / "model.ffnn"
    ffnn.save(models[0], path)
    read, saving = [], threading.Event()

    def work(k):
        if k < 4:
            for _ in range(20):
                ffnn.save(models[k], path)
        else:  # a reader: loads until every save has ended (at least once)
            while True:
                done = not saving.is_set()
                read.append(ffnn.load(path).predict(X))
                if done:
                    return

    saving.set()
    savers = threading.Thread(target=lambda: (_at_once(work, 4), saving.clear()))
    reader = threading.Thread(target=work, args=(4,))
    savers.start()
    reader.start()
    savers.join()
    reader.join()
    assert read and all(any(np.array_equal(p, q) for q in predictions) for p in read)
    assert [p.name for p in tmp_path.iterdir()] == ["model.ffnn"]
