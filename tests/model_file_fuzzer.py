"""Fuzzing the model-file loader: valid files of every kind ffnn writes (`valid_files`), seeded
mutations of them (model_file_mutations.py, one family per kind of damage or attack), and the
judgement of each (`judge`, `run`): a load either gives a model that still works or raises
ModelFileError, with a short message naming the file; nothing else escapes, a load's memory
stays bounded, no code runs, no special file is opened, nothing hangs.
tests/test_model_file_fuzzing.py runs a few thousand mutations; benchmarks/fuzz_model_files.py
as many as asked."""

import os
import signal
import socket
import sys
import tempfile
import tracemalloc
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from model_file_mutations import FAMILIES, KINDS, mutate

__all__ = ["FAMILIES", "KINDS", "OUTCOMES", "valid_files", "judge", "run"]

# A load may allocate, at its peak, the model it builds (its parameters and their gradients:
# twice the bytes of its weights, which a file of `size` bytes cannot exceed) and this much more.
MEMORY_LIMIT = 64 * 2**20
OUTCOMES = ("loaded", "loaded; prediction refused", "ModelFileError", "FAILURE")
MAX_MESSAGE = 600  # characters of a ModelFileError's message, besides the file's name
FORBIDDEN_EVENTS = ("exec", "compile", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                    "subprocess.Popen", "pickle.find_class", "marshal.loads", "ctypes.dlopen")
_events = []
_special = {"path": None, "hooked": False}


class OpenedSpecialFile(BaseException):
    """Raised by the audit hook when a load opens a FIFO, device or socket: the open never
    happens (it could block), and nothing in the loader can catch this."""


def _audit(event, args):
    if event == "open" and _special["path"] is not None and args and isinstance(
            args[0], (str, bytes, os.PathLike)) and os.fsdecode(args[0]) == _special["path"]:
        _events.append("open of a special file")
        raise OpenedSpecialFile(_special["path"])
    if not event.startswith(FORBIDDEN_EVENTS):
        return
    # Importing a module compiles and executes its file: that is loading ffnn's own code (or a
    # library's), not running anything the model file supplied.
    if event == "compile" and isinstance(args[1], str) and args[1].endswith(".py"):
        return
    if event == "exec" and getattr(args[0], "co_name", None) == "<module>" and str(
            getattr(args[0], "co_filename", "")).endswith(".py"):
        return
    _events.append(event)


def valid_files():
    """{name: bytes} of valid model files of every kind ffnn writes."""
    import pandas as pd
    from sklearn.datasets import make_classification, make_multilabel_classification

    import ffnn
    from ffnn.tabular import Preprocessor, Provenance, TabularModel, row_hashes

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = X @ [1.0, -1.0, 0.5, 2.0]
    Xc, yc = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0,
                                 n_classes=3, random_state=0)
    models = {
        "network": ffnn.Network([4, 5, 3, 2], ["relu", "tanh", "linear"], "rss", random_state=0),
        "network_float32": ffnn.Network([4, 3, 3], ["sigmoid", "softmax"], "cross_entropy",
                                        random_state=0, dtype="float32"),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models["regressor"] = ffnn.FFNNRegressor(hidden_layer_sizes=(5,), max_iter=5,
                                                 random_state=0).fit(X, y)
        models["poisson"] = ffnn.FFNNRegressor(loss="poisson", hidden_layer_sizes=(3,),
                                               max_iter=5, random_state=0).fit(X, np.abs(y))
        models["binary"] = ffnn.FFNNClassifier((4,), max_iter=5, random_state=0).fit(
            X, np.where(y > 0, "yes", "no"))
        models["multiclass"] = ffnn.FFNNClassifier((4, 3), max_iter=5, random_state=0).fit(
            pd.DataFrame(Xc, columns=list("abcd")), yc)
        models["multilabel"] = ffnn.FFNNClassifier((4,), max_iter=5, random_state=0).fit(
            *make_multilabel_classification(n_samples=40, n_features=4, n_classes=3,
                                            random_state=0))
        frame = pd.DataFrame({"size": X[:, 0], "colour": np.where(X[:, 1] > 0, "red", "blue")})
        pre = Preprocessor().fit(frame)
        est = ffnn.FFNNClassifier((3,), max_iter=5, random_state=0).fit(
            pre.transform(frame), np.where(y > 0, "up", "down"))
        models["tabular"] = TabularModel(est, pre, "direction", "classification")
        models["tabular"].metrics["training"] = {"accuracy": 0.5}
        models["tabular"].data = Provenance("t.csv", "a" * 64, 60, 0, 0.1, 0.0, 54, 6, 0)
        models["tabular"].data.keep_rows(row_hashes(frame.assign(direction=np.where(
            y > 0, "up", "down")), ["size", "colour", "direction"]))
        reg = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0).fit(
            pre.transform(frame), (y - y.mean()) / y.std())
        models["tabular_regression"] = TabularModel(reg, pre, "price", "regression",
                                                    float(y.mean()), float(y.std()))
    files = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, model in models.items():
            path = Path(folder) / f"{name}.ffnn"
            ffnn.save(model, path)
            files[name] = path.read_bytes()
    return files


# -- loading and judging --------------------------------------------------------------------


def _probe(model, rng):
    """Use a loaded model once: None if it predicts finite values, REFUSED if it refuses the
    input with a ValueError (that says why), else a description of the fault."""
    import pandas as pd

    import ffnn
    from ffnn.tabular import TabularModel
    from ffnn.tabular.one_hot import MAX_CATEGORIES

    if isinstance(model, TabularModel) and any(
            len(c) > MAX_CATEGORIES for _, c, _ in model.preprocessor.categorical):
        return "loaded a model with more categories than fit allows (predicting is then " \
               "unbounded)"
    try:
        if isinstance(model, ffnn.Network):
            out = model.forward(rng.normal(size=(3, model.D_x)))
        elif isinstance(model, TabularModel):
            frame = pd.DataFrame({n: rng.normal(size=3) for n, *_ in model.preprocessor.numeric})
            for name, categories, _ in model.preprocessor.categorical:
                frame[name] = categories[0]
            out = model.predict(frame)
            if model.task == "classification":
                out = model.predict_proba(frame)
        else:
            out = model.predict(rng.normal(size=(3, model.n_features_in_)))
            if hasattr(model, "predict_proba"):
                out = model.predict_proba(rng.normal(size=(3, model.n_features_in_)))
    except ValueError:
        return REFUSED  # a clean outcome (an output that overflows, say)
    out = np.asarray(out)
    if out.dtype.kind == "f" and not np.isfinite(out).all():
        return "loaded model predicts non-finite values without an error"
    return None


def _place(mutant, path, keep):
    """Put the mutant at `path`: bytes, a sparse file, or a special file (whose handles go into
    `keep`, to be closed after the load). Returns the file's apparent size."""
    if mutant.special is None:
        path.write_bytes(mutant.raw)
        if mutant.apparent_size is not None:
            os.truncate(path, mutant.apparent_size)  # a hole: no disk, no write time
            return mutant.apparent_size
        return len(mutant.raw)
    if mutant.special.startswith("fifo"):
        os.mkfifo(path)
        # With a writer and bytes waiting, or none (an open would block forever, but the audit
        # hook refuses any open of a special file before it happens).
        if mutant.special == "fifo":
            writer = os.open(path, os.O_RDWR | os.O_NONBLOCK)
            keep.append(lambda: os.close(writer))
            os.write(writer, mutant.raw[:4096])
    elif mutant.special == "folder":
        path.mkdir()
        (path / "model.ffnn").write_bytes(mutant.raw)
    elif mutant.special == "device":
        path.symlink_to(os.devnull)
    elif mutant.special == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        keep.append(server.close)
    _special["path"] = str(path)
    return 0


def _clear(path):
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()


REFUSED = "loaded; prediction refused"


class Hang(BaseException):
    pass


def _on_alarm(signum, frame):
    raise Hang()


def judge(mutant, folder, rng, hang_seconds=None):
    """'loaded' | 'loaded; prediction refused' | 'ModelFileError' | 'FAILURE: …'."""
    import ffnn

    path = Path(folder) / "model.ffnn"
    _clear(path)
    keep = []
    size = _place(mutant, path, keep)
    _events.clear()
    tracemalloc.start()
    if hang_seconds:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(hang_seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ffnn.load(path)
        outcome = "loaded"
    except ffnn.ModelFileError as error:
        message = str(error)
        outcome = "ModelFileError"
        if str(path) not in message:
            outcome = f"FAILURE: unnamed file: {message[:200]}"
        elif len(message) - len(str(path)) > MAX_MESSAGE:
            outcome = f"FAILURE: a message of {len(message)} characters: {message[:200]}…"
        model = None
    except Hang:
        outcome = f"FAILURE: the load hung for over {hang_seconds} s"
        model = None
    except BaseException as error:  # anything else escaping is what this fuzzer looks for
        outcome = f"FAILURE: {type(error).__name__}: {str(error)[:300]}"
        model = None
    finally:
        if hang_seconds:
            signal.alarm(0)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        _special["path"] = None
        for close in keep:
            close()
    if peak > MEMORY_LIMIT + 2 * size:
        return f"FAILURE: a load allocated {peak} bytes for a file of {size}"
    if _events:
        return f"FAILURE: code ran during the load ({', '.join(sorted(set(_events)))})"
    if model is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fault = _probe(model, rng)
        if fault == REFUSED:
            return REFUSED
        if fault:
            return f"FAILURE: {fault}"
    return outcome


def run(mutations, seed=0, files=None, every_family=0, hang_seconds=None):
    """Counter of (mutation kind, outcome) and a list of failures: `mutations` seeded mutations
    of random kinds, then `every_family` more of each kind."""
    if not _special.get("hooked"):  # an audit hook stays for the process's life: add one
        sys.addaudithook(_audit)
        _special["hooked"] = True
    files = files or valid_files()
    counts, failures = Counter(), []
    plan = [None] * mutations + [kind for kind in KINDS for _ in range(every_family)]
    with tempfile.TemporaryDirectory() as folder:
        for i, kind in enumerate(plan):
            rng = np.random.default_rng([seed, i])
            name, kind, mutant = mutate(files, rng, kind)
            outcome = judge(mutant, folder, rng, hang_seconds)
            counts[(kind, outcome if not outcome.startswith("FAILURE") else "FAILURE")] += 1
            if outcome.startswith("FAILURE"):
                failures.append((i, name, kind, outcome))
    return counts, failures
