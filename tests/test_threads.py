"""The choice of BLAS thread count during minibatch training: it keeps whichever count makes
steps faster, measures again as time passes, never exceeds the count it was given, puts the
original back, and never changes what training computes."""

import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from ffnn import FFNNRegressor, threads


class FakeLibrary:
    def __init__(self, n):
        self.n, self.history = n, []

    def get_num_threads(self):
        return self.n

    def set_num_threads(self, n):
        self.n = n
        self.history.append(n)


class FakeClock:
    """Time advances by a step's cost, which depends on the thread count in use."""

    def __init__(self, library, cost):
        self.library, self.cost, self.now = library, cost, 0.0

    def __call__(self):
        return self.now

    def run_step(self, chooser):
        chooser.start_step()
        self.now += self.cost(self.library.n)
        chooser.end_step()


def _chooser(monkeypatch, n, cost):
    library = FakeLibrary(n)
    monkeypatch.setattr(threads, "_blas", lambda: [library])
    clock = FakeClock(library, cost)
    return threads.BlasThreads(clock=clock), library, clock


@pytest.mark.parametrize("faster", [4, 1])
def test_keeps_the_faster_thread_count(monkeypatch, faster):
    chooser, library, clock = _chooser(monkeypatch, 4, lambda n: 1e-3 if n == faster else 2e-3)
    for _ in range(threads.WARMUP_STEPS - 1):  # the first steps run as given
        clock.run_step(chooser)
    assert library.history == []
    for _ in range(threads.TRIAL_BLOCK * threads.TRIAL_BLOCKS):
        clock.run_step(chooser)
    # The trial ran blocks of steps with each count in turn, then settled on the faster.
    assert library.history == [4, 1] * (threads.TRIAL_BLOCKS // 2) + [faster]
    assert chooser.chosen == faster and library.n == faster and chooser.trials == 1
    calls = len(library.history)
    for _ in range(100):  # between trials a step touches nothing (100 ms < RETRIAL_SECONDS)
        clock.run_step(chooser)
    assert len(library.history) == calls
    chooser.restore()
    assert library.n == 4


def test_measures_again_when_the_load_changes(monkeypatch):
    slow_two = {"on": False}
    chooser, library, clock = _chooser(
        monkeypatch, 2, lambda n: (3e-3 if slow_two["on"] else 1e-3) if n == 2 else 1.5e-3)
    while chooser.trials < 1:
        clock.run_step(chooser)
    assert chooser.chosen == 2
    slow_two["on"] = True  # two threads become slow, as on a loaded shared machine
    while chooser.trials < 2:
        clock.run_step(chooser)
    assert chooser.chosen == 1
    assert clock.now >= threads.RETRIAL_SECONDS


def test_a_blocks_first_step_is_not_counted(monkeypatch):
    """Each switch makes one step slow (a waking thread); the choice rests on the others."""
    state = {"last": None}

    def cost(n):
        switched, state["last"] = state["last"] not in (None, n), n
        return (1.0e-3 if n == 2 else 1.2e-3) + (5e-3 if switched and n == 2 else 0.0)

    chooser, library, clock = _chooser(monkeypatch, 2, cost)
    while chooser.trials < 1:
        clock.run_step(chooser)
    assert chooser.chosen == 2


def test_does_nothing_with_one_thread(monkeypatch):
    chooser, library, clock = _chooser(monkeypatch, 1, lambda n: 1e-3)
    for _ in range(50):
        clock.run_step(chooser)
    assert library.history == [] and not chooser.enabled


def _fit(X, y, callback=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FFNNRegressor(hidden_layer_sizes=(32,), max_iter=4, random_state=0,
                             batch_size=10).fit(X, y, callback=callback)


def test_training_restores_the_count_and_respects_a_limit():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(400, 5)), rng.normal(size=400)
    libraries = threads._blas()
    before = [lib.get_num_threads() for lib in libraries]
    _fit(X, y)
    assert [lib.get_num_threads() for lib in libraries] == before
    seen = []
    with threadpool_limits(1, user_api="blas"):
        _fit(X, y, callback=lambda info: seen.append([lib.get_num_threads() for lib in libraries]))
        assert all(n == 1 for counts in seen for n in counts)
    assert [lib.get_num_threads() for lib in libraries] == before


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_thread_count_does_not_change_the_model(dtype):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(600, 20)).astype(dtype), rng.normal(size=600).astype(dtype)
    chosen = _fit(X, y)
    with threadpool_limits(1, user_api="blas"):
        single = _fit(X, y)
    for ours, theirs in zip(chosen.coefs_ + chosen.intercepts_, single.coefs_ + single.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    assert chosen.loss_curve_ == single.loss_curve_


def test_a_model_pickles_during_training():
    """The thread choice holds handles to loaded libraries; pickling leaves it behind."""
    import pickle

    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(400, 5)), rng.normal(size=400)
    model = FFNNRegressor(hidden_layer_sizes=(16,), max_iter=3, batch_size=10, random_state=0)
    snapshots = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, callback=lambda info: snapshots.append(pickle.dumps(model)))
    assert len(snapshots) == 3
    restored = pickle.loads(snapshots[-1])
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
