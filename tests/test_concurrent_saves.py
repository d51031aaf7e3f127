"""Saves to one path at once all succeed, and the temporary sweep touches only its own files
(issue 13, points 6 and 7). The races are replayed deterministically: another save runs (or
another save's sweep holds the lock) exactly between a save's creation of its temporary and its
lock, where the race was; then many processes save and load at once."""

import os
import stat

import numpy as np
import pytest
from concurrent_saving import PROBE, hammer

import ffnn

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs flock and fork (POSIX)")


def _network(seed):
    return ffnn.Network([8, 16, 4], ["tanh", "linear"], "rss", random_state=seed)


def _writing(fd):
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY


def _name_of(fd, folder):
    held = os.fstat(fd)
    return next(p for p in folder.iterdir() if p.stat().st_ino == held.st_ino)


@pytest.fixture()
def before_the_first_lock(monkeypatch):
    """Run `action(fd)` once, just before a save takes the lock of its own temporary."""
    import fcntl

    real, pending = fcntl.flock, []

    def flock(fd, operation):
        if pending and operation & fcntl.LOCK_EX and _writing(fd):
            pending.pop()(fd)
        return real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    return pending.append


def test_a_save_whose_temporary_another_save_sweeps_away_still_succeeds(tmp_path,
                                                                        before_the_first_lock):
    target, first, second = tmp_path / "m.ffnn", _network(1), _network(2)
    ffnn.save(_network(0), target)
    before_the_first_lock(lambda fd: ffnn.save(second, target))  # sweeps the unlocked file
    ffnn.save(first, target)
    np.testing.assert_array_equal(ffnn.load(target).forward(PROBE), first.forward(PROBE))
    assert [p.name for p in tmp_path.iterdir()] == ["m.ffnn"]


def test_a_save_whose_temporary_a_sweep_holds_locked_still_succeeds(tmp_path,
                                                                    before_the_first_lock):
    import fcntl

    target, model, sweeper = tmp_path / "m.ffnn", _network(1), []
    ffnn.save(_network(0), target)

    def sweep_holds_the_lock(fd):  # another save's sweep, between its lock and its unlink
        held = os.open(_name_of(fd, tmp_path), os.O_RDONLY)
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        sweeper.append(held)

    before_the_first_lock(sweep_holds_the_lock)
    ffnn.save(model, target)
    os.close(sweeper.pop())
    np.testing.assert_array_equal(ffnn.load(target).forward(PROBE), model.forward(PROBE))
    assert [p.name for p in tmp_path.iterdir()] == ["m.ffnn"]


def test_concurrent_saves_and_loads_all_succeed(tmp_path):
    result = hammer(tmp_path / "m.ffnn", savers=4, saves=60, readers=2)
    assert result["saves"] == 240 and result["loads"] >= 2
    assert (result["failed saves"], result["failed loads"]) == (0, 0), result["errors"][:2]
    assert [p.name for p in tmp_path.iterdir()] == ["m.ffnn"]


@pytest.mark.slow
@pytest.mark.stress
def test_four_processes_saving_500_times_with_two_readers_all_succeed(tmp_path):
    """The README's reliability figure: 4 × 500 saves to one path while 2 processes load it."""
    result = hammer(tmp_path / "m.ffnn", savers=4, saves=500, readers=2)
    assert result["saves"] == 2000 and result["loads"] >= 2
    assert (result["failed saves"], result["failed loads"]) == (0, 0), result["errors"][:2]
    assert [p.name for p in tmp_path.iterdir()] == ["m.ffnn"]


# -- point 7: the sweep touches only its own kind of file --------------------------------------

def test_a_fifo_named_like_a_temporary_is_neither_opened_nor_removed(tmp_path, opens):
    fifo = tmp_path / ".m.ffnn.abcdefgh.ffnn-tmp"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # so that no open of it could block
    opens[:] = ["<after the writer>"]
    try:
        ffnn.save(_network(0), tmp_path / "m.ffnn")
    finally:
        os.close(writer)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert str(fifo) not in opens


def test_a_fifo_without_a_writer_does_not_block_a_save(tmp_path):
    fifo = tmp_path / f".m.ffnn.{'0' * 16}.ffnn-tmp"
    os.mkfifo(fifo)
    ffnn.save(_network(0), tmp_path / "m.ffnn")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("target, other", [
    ("m[1].ffnn", ".m1.ffnn.abcdefgh.ffnn-tmp"),         # a glob's character class
    ("m*.ffnn", ".mx.ffnn.abcdefgh.ffnn-tmp"),           # a glob's wildcard
    ("m.ffnn", ".m.ffnn.x.ffnn.abcdefgh.ffnn-tmp"),      # a temporary of m.ffnn.x.ffnn
    ("m.ffnn", ".m.ffnn.abcdefgh.ffnn-tmp.keep"),        # not a temporary at all
])
def test_the_sweep_removes_only_the_targets_own_temporaries(tmp_path, target, other):
    (tmp_path / other).write_bytes(b"another model's temporary")
    own = [tmp_path / f".{target}.abcdefgh.ffnn-tmp", tmp_path / f".{target}.{'ab' * 8}.ffnn-tmp"]
    for path in own:
        path.write_bytes(b"a dead save's temporary")
    ffnn.save(_network(0), tmp_path / target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target, other])
