"""Saving is crash-safe: a process killed at any point of a save over a model leaves the old or the
new model, and no temporary files pile up.

The kill is deterministic: a forked copy of this process saves with a line tracer that sends
itself SIGKILL when the save reaches its k-th line, for every k from the first line of the save to
the last, so every step (creating the temporary, writing, flushing, syncing, renaming) is
interrupted once, with no cleanup code allowed to run.
"""

import os
import signal
import sys

import numpy as np
import pytest

import ffnn
from ffnn.persistence import _atomic

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def _network(seed):
    return ffnn.Network([40, 30, 3], ["tanh", "linear"], "rss", random_state=seed)


def _probe(net):
    return net.forward(np.ones((1, 40)))


def _lines_of_a_save(model, target, kill_at=None):
    """In a forked child, save `model` to `target`, counting the lines executed in the module
    that writes atomically; with `kill_at`, SIGKILL the child on reaching that line. Returns the
    count (from a child that finished) and the child's exit status."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test runner
        os.close(read)
        count = 0

        def tracer(frame, event, arg):
            nonlocal count
            if frame.f_code.co_filename != _atomic.__file__:
                return None
            if event == "line":
                if count == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                count += 1
            return tracer

        sys.settrace(tracer)
        try:
            ffnn.save(model, target)
        finally:
            sys.settrace(None)
        os.write(write, str(count).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reported = pipe.read()
    _, status = os.waitpid(pid, 0)
    return (int(reported) if reported else None), status


def test_a_save_killed_at_any_line_leaves_the_old_or_the_new_model(tmp_path):
    target = tmp_path / "model.ffnn"
    old, new = _network(0), _network(1)
    expected = [_probe(old), _probe(new)]
    ffnn.save(old, target)
    lines, status = _lines_of_a_save(new, target)  # a save over the old model, to the end
    assert status == 0 and lines > 10 and np.array_equal(_probe(ffnn.load(target)), expected[1])
    outcomes = set()
    for k in range(lines):
        ffnn.save(old, target)
        _, status = _lines_of_a_save(new, target, kill_at=k)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        loaded = _probe(ffnn.load(target))
        assert any(np.array_equal(loaded, e) for e in expected)
        leftovers = [p for p in tmp_path.iterdir() if p.name != "model.ffnn"]
        assert len(leftovers) <= 1  # at most the killed save's temporary
        outcomes.add(("new" if np.array_equal(loaded, expected[1]) else "old", len(leftovers)))
    # Some kills left the old model and a temporary (killed while writing), and some the new
    # model (killed after the rename): the kills covered the whole save.
    assert ("old", 1) in outcomes and ("new", 0) in outcomes
    ffnn.save(old, target)
    assert [p.name for p in tmp_path.iterdir()] == ["model.ffnn"]  # the next save cleans up
