"""Fuzzing the model-file loader: valid files of every kind ffnn writes (`valid_files`), seeded
mutations of them (`mutate`), and the judgement of each (`judge`, `run`): a load either gives a
model that still works or raises ModelFileError; nothing else escapes, a load's memory stays
bounded and no code runs. tests/test_model_file_fuzzing.py runs a few thousand mutations;
benchmarks/fuzz_model_files.py as many as asked."""

import json
import struct
import sys
import tempfile
import tracemalloc
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

MEMORY_LIMIT = 64 * 2**20  # bytes a single load may allocate at its peak
FORBIDDEN_EVENTS = ("exec", "compile", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                    "subprocess.Popen", "pickle.find_class", "marshal.loads", "ctypes.dlopen")
_events = []


def _audit(event, args):
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
    from ffnn.tabular import Preprocessor, TabularModel

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
    files = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, model in models.items():
            path = Path(folder) / f"{name}.ffnn"
            ffnn.save(model, path)
            files[name] = path.read_bytes()
    return files


# -- mutations ------------------------------------------------------------------------------

WRONG_VALUES = [None, True, False, 0, -1, 1, 2**31, 2**63, 10**400, 1.5, -1e308, 1e308, "", "x",
                "relu", "softmax", "__import__('os').system('echo pwned')", "os.system", [],
                [1, 2], ["relu"], {}, {"__reduce__": ["os.system", ["id"]]}, [[1]], "inf", -0.0]


def _split(raw):
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    return header, raw[8 + n:]


def _join(header, data, length=None):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def _paths(obj, prefix=()):
    """Every path to a value inside a JSON structure."""
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _paths(value, prefix + (i,))


def _set(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def _delete(obj, path):
    for key in path[:-1]:
        obj = obj[key]
    del obj[path[-1]]


def _mutate_description(header, rng, kind):
    description = json.loads(header["__metadata__"]["ffnn"])
    paths = [p for p in _paths(description) if p]
    path = paths[rng.integers(len(paths))]
    if kind == "json: drop a field":
        _delete(description, path)
    elif kind == "json: add a field":
        parent = description
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict):
            parent[f"extra_{rng.integers(100)}"] = WRONG_VALUES[rng.integers(len(WRONG_VALUES))]
        else:
            parent.append(WRONG_VALUES[rng.integers(len(WRONG_VALUES))])
    elif kind == "json: wrong type or value":
        _set(description, path, WRONG_VALUES[rng.integers(len(WRONG_VALUES))])
    elif kind == "json: layer sizes":
        sizes = description["network"]["layer_sizes"]
        sizes[rng.integers(len(sizes))] = int(rng.choice([-3, 0, 1, 2**20, 2**24 + 1, 2**40]))
    elif kind == "json: activation or loss name":
        names = ["swish", "eval", "os.system", "RELU", "", "linear", "sigmoid", "softmax", "exp"]
        if rng.uniform() < 0.5:
            acts = description["network"]["activations"]
            acts[rng.integers(len(acts))] = names[rng.integers(len(names))]
        else:
            description["network"]["loss"] = ["hinge", "rss", "log_loss", "pickle",
                                               "cross_entropy"][rng.integers(5)]
    header["__metadata__"]["ffnn"] = json.dumps(description)


def _mutate_tensors(header, data, rng, kind):
    names = [k for k in header if k != "__metadata__"]
    name = names[rng.integers(len(names))]
    entry = header[name]
    if kind == "tensors: drop one":
        del header[name]
    elif kind == "tensors: add one":
        header[f"layers.{rng.integers(1, 9)}.X"] = dict(entry)
    elif kind == "tensors: shape":
        entry["shape"] = [int(v) for v in rng.integers(-2, 2**33, size=rng.integers(0, 4))]
    elif kind == "tensors: dtype":
        entry["dtype"] = ["F16", "F32", "F64", "I64", "BOOL", "U8", "str"][rng.integers(7)]
    elif kind == "tensors: offsets":
        entry["data_offsets"] = [int(v) for v in rng.integers(-10, 2**40, size=2)]
    elif kind == "tensors: non-finite weight":
        begin, end = entry["data_offsets"]
        size = 4 if entry["dtype"] == "F32" else 8
        spot = begin + size * rng.integers(max((end - begin) // size, 1))
        bad = np.array([[np.nan, np.inf, -np.inf][rng.integers(3)]],
                       dtype="<f4" if size == 4 else "<f8").tobytes()
        data = data[:spot] + bad + data[spot + size:]
    return header, data


KINDS = ["truncate", "bit flip in header", "bit flip in data", "header length",
         "json: drop a field", "json: add a field", "json: wrong type or value",
         "json: layer sizes", "json: activation or loss name", "tensors: drop one",
         "tensors: add one", "tensors: shape", "tensors: dtype", "tensors: offsets",
         "tensors: non-finite weight", "appended bytes"]


def mutate(raw, rng):
    """(kind of mutation, mutated bytes) for one valid file."""
    kind = KINDS[rng.integers(len(KINDS))]
    (n,) = struct.unpack("<Q", raw[:8])
    if kind == "truncate":
        return kind, raw[:rng.integers(0, len(raw))]
    if kind in ("bit flip in header", "bit flip in data"):
        low, high = (0, 8 + n) if kind == "bit flip in header" else (8 + n, len(raw))
        if high <= low:
            return kind, raw
        position = int(rng.integers(low, high))
        flipped = bytearray(raw)
        flipped[position] ^= 1 << int(rng.integers(8))
        return kind, bytes(flipped)
    if kind == "header length":
        length = int(rng.choice([0, 1, n - 1, n + 1, len(raw), 2**40, 2**64 - 1]))
        return kind, struct.pack("<Q", length % 2**64) + raw[8:]
    if kind == "appended bytes":
        return kind, raw + bytes(rng.integers(0, 256, size=rng.integers(1, 64), dtype=np.uint8))
    header, data = _split(raw)
    if kind.startswith("json"):
        _mutate_description(header, rng, kind)
    else:
        header, data = _mutate_tensors(header, data, rng, kind)
    return kind, _join(header, data)


# -- loading and judging --------------------------------------------------------------------


def _probe(model, rng):
    """Use a loaded model once; return None if it behaves, else a description of the fault."""
    import pandas as pd

    import ffnn
    from ffnn.tabular import TabularModel

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
        return None  # refused with a ValueError that says why: a clean outcome
    out = np.asarray(out)
    if out.dtype.kind == "f" and not np.isfinite(out).all():
        return "loaded model predicts non-finite values without an error"
    return None


def judge(raw, folder, rng):
    """'loaded' | 'ModelFileError' | 'FAILURE: …'."""
    import ffnn

    path = Path(folder) / "model.ffnn"
    path.write_bytes(raw)
    _events.clear()
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ffnn.load(path)
        outcome = "loaded"
    except ffnn.ModelFileError as error:
        outcome = "ModelFileError" if str(path) in str(error) else f"FAILURE: unnamed file: {error}"
        model = None
    except BaseException as error:  # anything else escaping is what this fuzzer looks for
        outcome = f"FAILURE: {type(error).__name__}: {error}"
        model = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if peak > MEMORY_LIMIT:
        return f"FAILURE: a load allocated {peak} bytes"
    if _events:
        return f"FAILURE: code ran during the load ({', '.join(sorted(set(_events)))})"
    if model is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fault = _probe(model, rng)
        if fault:
            return f"FAILURE: {fault}"
    return outcome


def run(mutations, seed=0, files=None):
    """Counter of (file kind, mutation kind, outcome) and a list of failures."""
    sys.addaudithook(_audit)
    files = files or valid_files()
    names = sorted(files)
    counts, failures = Counter(), []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(mutations):
            rng = np.random.default_rng([seed, i])
            name = names[rng.integers(len(names))]
            kind, raw = mutate(files[name], rng)
            outcome = judge(raw, folder, rng)
            counts[(kind, outcome if not outcome.startswith("FAILURE") else "FAILURE")] += 1
            if outcome.startswith("FAILURE"):
                failures.append((i, name, kind, outcome))
    return counts, failures
