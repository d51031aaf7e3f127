"""Saves to one path from several processes at once while other processes load it in a loop:
every save must succeed (the last rename wins) and every load must give one of the saved
models, complete. tests/test_concurrent_saves.py runs it briefly on every test run, and for
4 processes × 500 saves with 2 readers under the `stress` marker (pytest -m stress)."""

import multiprocessing
import traceback

import numpy as np

import ffnn

PROBE = np.linspace(-1, 1, 24).reshape(3, 8)


def _model(k):
    return ffnn.Network([8, 16, 4], ["tanh", "linear"], "rss", random_state=k)


def _saver(k, path, saves, start, results):
    model, failed, errors = _model(k), 0, []
    start.wait()
    for _ in range(saves):
        try:
            ffnn.save(model, path)
        except Exception:  # counted, not raised: the run reports every failure
            failed += 1
            errors.append(traceback.format_exc(limit=3))
    results.put(("save", saves, failed, errors[:3]))


def _reader(path, expected, start, done, results):
    loads, failed, errors = 0, 0, []
    start.wait()
    while True:
        finished = done.is_set()  # one more load after the last save
        try:
            output = ffnn.load(path).forward(PROBE)
            if not any(np.array_equal(output, e) for e in expected):
                raise AssertionError("the loaded model is none of the saved ones")
        except Exception:
            failed += 1
            errors.append(traceback.format_exc(limit=3))
        loads += 1
        if finished:
            break
    results.put(("load", loads, failed, errors[:3]))


def hammer(path, savers=4, saves=500, readers=2):
    """{"saves", "failed saves", "loads", "failed loads", "errors"} of a run in forked
    processes; `path` must be in a folder the run may fill."""
    context = multiprocessing.get_context("fork")
    expected = [_model(k).forward(PROBE) for k in range(savers)]
    ffnn.save(_model(0), path)  # readers start on a complete file
    start, done, results = context.Barrier(savers + readers), context.Event(), context.Queue()
    saving = [context.Process(target=_saver, args=(k, path, saves, start, results))
              for k in range(savers)]
    reading = [context.Process(target=_reader, args=(path, expected, start, done, results))
               for _ in range(readers)]
    for process in saving + reading:
        process.start()
    reports = [results.get() for _ in saving]
    done.set()
    reports += [results.get() for _ in reading]
    for process in saving + reading:
        process.join()
    totals = {"saves": 0, "failed saves": 0, "loads": 0, "failed loads": 0, "errors": []}
    for kind, count, failed, errors in reports:
        totals[f"{kind}s"] += count
        totals[f"failed {kind}s"] += failed
        totals["errors"] += errors
    return totals
