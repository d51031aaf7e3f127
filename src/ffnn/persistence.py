"""Model files: a safetensors container whose metadata holds a JSON description of the model.

    ffnn.save(model, path)      a Network, a fitted FFNNRegressor/FFNNClassifier, or a TabularModel
    ffnn.load(path)             the same object back, predicting bit for bit as it did

The container is standard safetensors: an 8-byte little-endian header length, a JSON header that
gives each tensor's dtype, shape and byte range, then the bytes. The header's `__metadata__` has
one entry, "ffnn": the description (format and version, architecture, activations, loss, task,
classes, feature names, training summary, preprocessing). The tensors are the weights,
"layers.<ℓ>.W" and "layers.<ℓ>.c" for ℓ = 1 … L.

Loading never runs code and never trusts the file: the header is read as JSON and checked field
by field, names are looked up in allow-lists, each tensor's dtype, shape and byte range must be
exactly what the description implies and lie inside the file, before any tensor is read; weights
must be finite. Any failure raises ModelFileError naming the file and the field. Saving writes a
temporary file beside the target, flushes it to disk and renames it over the target, so the
target always holds a complete model.
"""

import json
import math
import os
import struct
import tempfile
from pathlib import Path

import numpy as np

from . import __version__
from .activations import ACTIVATIONS
from .exceptions import ModelFileError
from .losses import LOSSES
from .network import Network

FORMAT = "ffnn-model"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 16 * 2**20
MAX_LAYERS = 1000
MAX_LAYER_SIZE = 2**24
DTYPES = {"float32": ("F32", np.dtype("<f4")), "float64": ("F64", np.dtype("<f8"))}
KINDS = ("network", "regressor", "classifier", "tabular")
TEMP_SUFFIX = ".ffnn-tmp"


# -- saving ---------------------------------------------------------------------------------


def save(model, path):
    """Write `model` to `path` atomically (a temporary file in the same folder, then a rename)."""
    description, net = _describe(model)
    tensors = {}
    for ell, layer in enumerate(net.layers, start=1):
        tensors[f"layers.{ell}.W"] = np.ascontiguousarray(layer.W)
        tensors[f"layers.{ell}.c"] = np.ascontiguousarray(layer.c)
    if not all(np.isfinite(t).all() for t in tensors.values()):
        raise ValueError("the model has non-finite weights and cannot be saved")
    import safetensors.numpy

    text = json.dumps(description, allow_nan=False, ensure_ascii=True)
    payload = safetensors.numpy.save(tensors, metadata={"ffnn": text})
    _write_atomically(Path(path), payload)
    return Path(path)


def _write_atomically(path, payload):
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(folder, path.name)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            _lock(handle)  # held until closed: tells other savers this file is in use
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def _file_mode(path):
    """The target's mode if it exists, else what a plain open() would give (0o666 less umask);
    mkstemp's private 0o600 would otherwise outlive the rename."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _lock(handle):
    try:
        import fcntl
    except ImportError:  # not on POSIX: stale temporaries are then removed by age only
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_stale_temporaries(folder, name):
    """Remove temporaries of earlier saves of `name` that were killed before their rename.

    A temporary still being written by a live process is locked; one whose writer died is not
    (the operating system drops a dead process's locks), or, without locks, is over an hour old.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None
    import time

    for candidate in folder.glob(f".{name}.*{TEMP_SUFFIX}"):
        try:
            if fcntl is None:
                if time.time() - candidate.stat().st_mtime > 3600:
                    candidate.unlink()
                continue
            with open(candidate, "rb") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live save owns it
                candidate.unlink()
        except OSError:
            continue


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _describe(model):
    """(description, network) for any savable model."""
    from .tabular import TabularModel

    description = {"format": FORMAT, "format_version": FORMAT_VERSION, "ffnn_version": __version__}
    tabular = None
    if isinstance(model, TabularModel):
        tabular, model = model, model.estimator
    if isinstance(model, Network):
        description["kind"] = "network"
        net = model
    else:
        net = getattr(model, "network_", None)
        if not isinstance(net, Network) or type(model).__name__ not in ("FFNNRegressor",
                                                                         "FFNNClassifier"):
            raise ValueError(f"save needs a Network, a fitted ffnn estimator or a command-line "
                             f"model, got {type(model).__name__}")
        description["kind"] = "classifier" if type(model).__name__ == "FFNNClassifier" else "regressor"
        description["estimator"] = _describe_estimator(model)
    description["network"] = _describe_network(net)
    if tabular is not None:
        description["kind"] = "tabular"
        description["tabular"] = _describe_tabular(tabular)
    return description, net


def _describe_network(net):
    for f in net.activations:
        if type(f) is not ACTIVATIONS.get(f.name) or f != ACTIVATIONS[f.name]():
            raise ValueError(f"cannot save the custom activation {f!r}; only the built-in ones "
                             f"({', '.join(sorted(ACTIVATIONS))}) with default settings")
    if type(net.loss_function) is not LOSSES.get(net.loss_function.name):
        raise ValueError(f"cannot save the custom loss {net.loss_function!r}")
    return {"layer_sizes": list(net.layer_sizes), "activations": [f.name for f in net.activations],
            "loss": net.loss_function.name, "dtype": net.dtype.name}


def _finite_or_none(value):
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _describe_estimator(est):
    params = {}
    for name, value in est.get_params().items():
        if name == "random_state" and not (value is None or isinstance(value, (int, np.integer))):
            value = None  # a generator object is not data; the fitted weights are what matter
        elif name == "n_iter_no_change" and value == np.inf:
            value = "inf"
        elif name == "hidden_layer_sizes":
            value = [int(v) for v in np.atleast_1d(value)]
        elif name == "activation" and not isinstance(value, str):
            value = list(value)
        elif name == "class_weight" and isinstance(value, dict):
            value = [[_plain(k), float(v)] for k, v in value.items()]
        elif isinstance(value, np.generic):
            value = value.item()
        params[name] = value
    fitted = {
        "n_features_in_": int(est.n_features_in_),
        "feature_names_in_": ([str(v) for v in est.feature_names_in_]
                              if hasattr(est, "feature_names_in_") else None),
        "n_iter_": int(est.n_iter_), "t_": int(est.t_),
        "loss_": _finite_or_none(est.loss_), "best_loss_": _finite_or_none(est.best_loss_),
        "loss_curve_": [_finite_or_none(v) for v in est.loss_curve_],
        "validation_scores_": (None if est.validation_scores_ is None
                               else [_finite_or_none(v) for v in est.validation_scores_]),
        "validation_loss_curve_": (None if est.validation_loss_curve_ is None
                                   else [_finite_or_none(v) for v in est.validation_loss_curve_]),
        "best_validation_score_": _finite_or_none(est.best_validation_score_),
    }
    if hasattr(est, "classes_"):
        fitted["classes_"] = {"dtype": est.classes_.dtype.str if est.classes_.dtype.kind != "O"
                              else "object", "values": [_plain(c) for c in est.classes_]}
        fitted["y_type"] = est._label_binarizer.y_type_
    return {"class": type(est).__name__, "params": params, "fitted": fitted}


def _plain(value):
    """A label as a JSON value (numpy scalars become Python ones)."""
    return value.item() if isinstance(value, np.generic) else value


def _describe_tabular(model):
    p = model.preprocessor
    return {
        "target": str(model.target), "task": model.task,
        "target_mean": float(model.target_mean), "target_scale": float(model.target_scale),
        "impute": bool(p.impute),
        "numeric": [{"name": n, "mean": m, "scale": s, "fill": f} for n, m, s, f in p.numeric],
        "categorical": [{"name": n, "categories": list(c), "fill": f}
                        for n, c, f in p.categorical],
        "metrics": {part: {k: _finite_or_none(v) for k, v in values.items()}
                    for part, values in model.metrics.items()},
    }


# -- loading --------------------------------------------------------------------------------


def load(path):
    """Read a model file written by `save`; raises ModelFileError for anything else."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            return _load(handle, path)
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a model file") from None
    except PermissionError:
        raise ModelFileError(f"{path}: permission denied") from None
    except MemoryError:
        raise ModelFileError(f"{path}: the file describes more data than fits in memory") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None


class _Checker:
    """Raises ModelFileError("<file>: <field>: <problem>") and checks JSON fields' types."""

    def __init__(self, path):
        self.path = path

    def fail(self, field, problem):
        raise ModelFileError(f"{self.path}: {field}: {problem}")

    def field(self, obj, key, where, kinds, allow_none=False):
        where = f"{where}.{key}" if where else key
        if not isinstance(obj, dict):
            self.fail(where.rsplit(".", 1)[0] or "description", "must be a JSON object")
        if key not in obj:
            self.fail(where, "is missing")
        value = obj[key]
        if value is None and allow_none:
            return None
        if not _is_kind(value, kinds):
            self.fail(where, f"must be {_kind_name(kinds)}, got {type(value).__name__}")
        return value

    def keys(self, obj, where, allowed):
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            self.fail(where or "description", f"unexpected field(s) {', '.join(unknown)}")

    def number(self, obj, key, where, low=None, high=None, integer=False, allow_none=False):
        value = self.field(obj, key, where, int if integer else (int, float), allow_none)
        if value is None:
            return None
        if not _finite(value):
            self.fail(f"{where}.{key}", "must be finite")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(f"{where}.{key}", f"must lie in [{low}, {high}], got {value}")
        return value

    def numbers(self, obj, key, where, allow_none=False):
        values = self.field(obj, key, where, list, allow_none)
        if values is None:
            return None
        for i, v in enumerate(values):
            if not (v is None or (_is_kind(v, (int, float)) and _finite(v))):
                self.fail(f"{where}.{key}[{i}]", "must be a finite number or null")
        return values


def _finite(value):
    # JSON integers may be huge; only floats can be NaN or infinite.
    return not isinstance(value, float) or math.isfinite(value)


def _is_kind(value, kinds):
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def _kind_name(kinds):
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false",
             list: "a list", dict: "an object"}
    return " or ".join(names[k] for k in kinds)


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def _load(handle, path):
    check = _Checker(path)
    size = os.fstat(handle.fileno()).st_size
    start = handle.read(8)
    if len(start) < 8:
        check.fail("header", f"the file is {size} bytes long, too short to be a model file")
    (header_length,) = struct.unpack("<Q", start)
    if header_length > min(MAX_HEADER_BYTES, size - 8):
        if start[:1] == b"\x80" or start[:2] in (b"PK", b"\x1f\x8b"):
            kind = "a Python pickle" if start[:1] == b"\x80" else "a zip or gzip archive"
            check.fail("file", f"is {kind}, not a model file (pickle and joblib files are "
                               "never loaded: unpickling can run arbitrary code); save models "
                               "with ffnn.save")
        check.fail("header", f"claims {header_length} bytes but the file has {size - 8} after "
                             "the length field; the file is truncated or not a model file")
    raw = handle.read(header_length)
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        check.fail("header", f"is not valid JSON ({type(error).__name__}); not a model file")
    if not isinstance(header, dict):
        check.fail("header", "must be a JSON object")
    metadata = check.field(header, "__metadata__", "header", dict)
    check.keys(metadata, "header.__metadata__", ["ffnn"])
    text = check.field(metadata, "ffnn", "header.__metadata__", str)
    try:
        description = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        check.fail("description", f"is not valid JSON ({type(error).__name__})")
    if not isinstance(description, dict):
        check.fail("description", "must be a JSON object")

    layer_sizes, activations, loss, dtype = _check_description(check, description)
    tensors = _read_tensors(check, handle, header, size, header_length, layer_sizes, dtype)
    net = Network.__new__(Network)
    try:
        net._build(layer_sizes, activations, loss, dtype)
    except ValueError as error:
        check.fail("network", str(error))
    for ell, layer in enumerate(net.layers, start=1):
        layer.W[...] = tensors[f"layers.{ell}.W"]
        layer.c[...] = tensors[f"layers.{ell}.c"]
    kind = description["kind"]
    if kind == "network":
        return net
    estimator = _build_estimator(check, description, net)
    if kind == "tabular":
        return _build_tabular(check, description, estimator)
    return estimator


def _check_description(check, d):
    check.keys(d, "", ["format", "format_version", "ffnn_version", "kind", "network",
                       "estimator", "tabular"])
    if check.field(d, "format", "", str) != FORMAT:
        check.fail("format", f"must be {FORMAT!r}, got {d['format']!r}")
    version = check.field(d, "format_version", "", int)
    if version != FORMAT_VERSION:
        check.fail("format_version", f"version {version} is not supported (this ffnn reads "
                                     f"version {FORMAT_VERSION}); upgrade ffnn")
    check.field(d, "ffnn_version", "", str)
    kind = check.field(d, "kind", "", str)
    if kind not in KINDS:
        check.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    needs = {"network": [], "regressor": ["estimator"], "classifier": ["estimator"],
             "tabular": ["estimator", "tabular"]}[kind]
    for key in ("estimator", "tabular"):
        if (key in d) != (key in needs):
            check.fail(key, f"is {'missing' if key in needs else 'not expected'} for kind {kind!r}")
    net = check.field(d, "network", "", dict)
    check.keys(net, "network", ["layer_sizes", "activations", "loss", "dtype"])
    sizes = check.field(net, "layer_sizes", "network", list)
    if not 2 <= len(sizes) <= MAX_LAYERS + 1:
        check.fail("network.layer_sizes", f"must list 2 to {MAX_LAYERS + 1} sizes")
    for i, D in enumerate(sizes):
        if not _is_kind(D, int) or not 1 <= D <= MAX_LAYER_SIZE:
            check.fail(f"network.layer_sizes[{i}]", f"must be an integer in [1, {MAX_LAYER_SIZE}]")
    activations = check.field(net, "activations", "network", list)
    if len(activations) != len(sizes) - 1:
        check.fail("network.activations", f"must list {len(sizes) - 1} names")
    for i, name in enumerate(activations):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            check.fail(f"network.activations[{i}]", f"unknown activation {name!r}; valid names "
                                                     f"are {', '.join(sorted(ACTIVATIONS))}")
    loss = check.field(net, "loss", "network", str)
    if loss not in LOSSES:
        check.fail("network.loss", f"unknown loss {loss!r}; valid names are "
                                   f"{', '.join(sorted(LOSSES))}")
    dtype = check.field(net, "dtype", "network", str)
    if dtype not in DTYPES:
        check.fail("network.dtype", f"must be float32 or float64, got {dtype!r}")
    return sizes, activations, loss, dtype


def _read_tensors(check, handle, header, size, header_length, layer_sizes, dtype):
    """Check every tensor's entry against the architecture, then read them."""
    expected = {}
    for ell, (D_out, D_in) in enumerate(zip(layer_sizes[1:], layer_sizes[:-1]), start=1):
        expected[f"layers.{ell}.W"] = (D_out, D_in)
        expected[f"layers.{ell}.c"] = (D_out,)
    names = set(header) - {"__metadata__"}
    if names != set(expected):
        missing, extra = sorted(set(expected) - names), sorted(names - set(expected))
        check.fail("tensors", (f"missing {', '.join(missing)}" if missing else "")
                   + ("; " if missing and extra else "")
                   + (f"unexpected {', '.join(extra)}" if extra else ""))
    code, np_dtype = DTYPES[dtype]
    data_start = 8 + header_length
    spans = []
    for name, shape in expected.items():
        entry = header[name]
        if not isinstance(entry, dict):
            check.fail(f"tensors.{name}", "must be a JSON object")
        check.keys(entry, f"tensors.{name}", ["dtype", "shape", "data_offsets"])
        if check.field(entry, "dtype", f"tensors.{name}", str) != code:
            check.fail(f"tensors.{name}.dtype", f"must be {code} for a {dtype} network, got "
                                                f"{entry['dtype']!r}")
        if check.field(entry, "shape", f"tensors.{name}", list) != list(shape):
            check.fail(f"tensors.{name}.shape", f"must be {list(shape)} for this architecture, "
                                                f"got {entry['shape']!r}")
        offsets = check.field(entry, "data_offsets", f"tensors.{name}", list)
        if len(offsets) != 2 or not all(_is_kind(o, int) for o in offsets):
            check.fail(f"tensors.{name}.data_offsets", "must be two integers")
        begin, end = offsets
        if end - begin != int(np.prod(shape)) * np_dtype.itemsize or begin < 0:
            check.fail(f"tensors.{name}.data_offsets", "do not match the tensor's shape and dtype")
        spans.append((begin, end, name))
    spans.sort()
    position = 0
    for begin, end, name in spans:
        if begin != position:
            check.fail(f"tensors.{name}.data_offsets", "leave a gap or overlap another tensor")
        position = end
    if data_start + position != size:
        check.fail("tensors", f"the description implies {data_start + position} bytes but the "
                              f"file has {size}; it is truncated or has extra data")
    tensors = {}
    for begin, end, name in spans:
        handle.seek(data_start + begin)
        raw = handle.read(end - begin)
        if len(raw) != end - begin:
            check.fail(f"tensors.{name}", "the file ends inside this tensor")
        array = np.frombuffer(raw, dtype=np_dtype).reshape(expected[name])
        if not np.isfinite(array).all():
            check.fail(f"tensors.{name}", "holds NaN or infinite values")
        tensors[name] = array.astype(np_dtype.newbyteorder("="), copy=True)
    return tensors


def _build_estimator(check, d, net):
    from .estimators import FFNNClassifier, FFNNRegressor
    from .estimators._base import HIDDEN_ACTIVATIONS, SKLEARN_OUTPUT_NAMES
    from .training import Trainer

    e = check.field(d, "estimator", "", dict)
    check.keys(e, "estimator", ["class", "params", "fitted"])
    cls_name = check.field(e, "class", "estimator", str)
    allowed = {"FFNNRegressor": FFNNRegressor, "FFNNClassifier": FFNNClassifier}
    expected_kind = {"FFNNRegressor": "regressor", "FFNNClassifier": "classifier"}
    if cls_name not in allowed:
        check.fail("estimator.class", f"must be FFNNRegressor or FFNNClassifier, got {cls_name!r}")
    if d["kind"] != "tabular" and expected_kind[cls_name] != d["kind"]:
        check.fail("estimator.class", f"{cls_name} does not match kind {d['kind']!r}")
    cls = allowed[cls_name]
    params = check.field(e, "params", "estimator", dict)
    if cls is FFNNRegressor and params.get("loss") not in ("squared_error", "poisson"):
        check.fail("estimator.params.loss", "must be 'squared_error' or 'poisson'")
    defaults = cls().get_params()
    check.keys(params, "estimator.params", defaults)
    values = {}
    for name, value in params.items():
        where = f"estimator.params.{name}"
        if not _plain_json(value):
            check.fail(where, "must be a number, string, boolean, null or list of those")
        if name == "n_iter_no_change" and value == "inf":
            value = np.inf
        elif name == "hidden_layer_sizes":
            value = tuple(value) if isinstance(value, list) else value
        elif name == "class_weight" and isinstance(value, list):
            if not all(isinstance(p, list) and len(p) == 2 for p in value):
                check.fail(where, "must be null, 'balanced' or a list of [class, weight] pairs")
            value = {k: w for k, w in value}
        elif name == "random_state" and not (value is None or _is_kind(value, int)):
            check.fail(where, "must be an integer or null")
        values[name] = value
    estimator = cls(**values)
    try:
        hidden, hidden_activations = estimator._hidden_layers()
        estimator._settings()
    except (ValueError, TypeError) as error:
        check.fail("estimator.params", str(error))
    if hidden != net.layer_sizes[1:-1] or [HIDDEN_ACTIVATIONS[a] for a in hidden_activations] != [
            f.name for f in net.activations[:-1]]:
        check.fail("estimator.params", "hidden_layer_sizes or activation disagree with network")
    output = (net.activations[-1].name, net.loss_function.name)
    if cls is FFNNRegressor:
        expected_output = ("exp", "poisson") if values.get("loss") == "poisson" else (
            "linear", "squared_error")
    else:
        expected_output = None
    fitted = check.field(e, "fitted", "estimator", dict)
    _restore_fitted(check, estimator, fitted, net, expected_output, output)
    estimator.network_ = net
    estimator.out_activation_ = SKLEARN_OUTPUT_NAMES[net.activations[-1].name]
    estimator.n_outputs_ = net.D_y
    estimator.n_layers_ = len(net.layers) + 1
    estimator.interrupted_ = None
    estimator._architecture = (hidden, hidden_activations)
    from .estimators._base import _rng

    estimator._rng = _rng(estimator.random_state)
    estimator._trainer = Trainer(net, estimator._settings(), estimator._rng)
    return estimator


def _plain_json(value):
    if value is None or _is_kind(value, (bool, int, float, str)):
        return _finite(value)
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return False


def _restore_fitted(check, est, f, net, expected_output, output):
    where = "estimator.fitted"
    keys = ["n_features_in_", "feature_names_in_", "n_iter_", "t_", "loss_", "best_loss_",
            "loss_curve_", "validation_scores_", "validation_loss_curve_", "best_validation_score_"]
    is_classifier = type(est).__name__ == "FFNNClassifier"
    check.keys(f, where, keys + (["classes_", "y_type"] if is_classifier else []))
    n_features = check.number(f, "n_features_in_", where, 1, integer=True)
    if n_features != net.D_x:
        check.fail(f"{where}.n_features_in_", f"is {n_features} but the network has {net.D_x} inputs")
    est.n_features_in_ = n_features
    names = check.field(f, "feature_names_in_", where, list, allow_none=True)
    if names is not None:
        if len(names) != n_features or not all(isinstance(n, str) for n in names):
            check.fail(f"{where}.feature_names_in_", f"must be {n_features} strings")
        est.feature_names_in_ = np.array(names, dtype=object)
    est.n_iter_ = check.number(f, "n_iter_", where, 0, integer=True)
    est.t_ = check.number(f, "t_", where, 0, integer=True)
    est.loss_ = check.number(f, "loss_", where, allow_none=True)
    est.best_loss_ = check.number(f, "best_loss_", where, allow_none=True)
    est.best_validation_score_ = check.number(f, "best_validation_score_", where, allow_none=True)
    est.loss_curve_ = check.numbers(f, "loss_curve_", where)
    est.validation_scores_ = check.numbers(f, "validation_scores_", where, allow_none=True)
    est.validation_loss_curve_ = check.numbers(f, "validation_loss_curve_", where, allow_none=True)
    if not is_classifier:
        if output != expected_output:
            check.fail("network", f"a {est.loss} regressor needs output {expected_output}, "
                                  f"the file has {output}")
        return
    _restore_classes(check, est, f, net, output)


def _restore_classes(check, est, f, net, output):
    from sklearn.preprocessing import LabelBinarizer

    where = "estimator.fitted"
    classes = check.field(f, "classes_", where, dict)
    check.keys(classes, f"{where}.classes_", ["dtype", "values"])
    dtype = check.field(classes, "dtype", f"{where}.classes_", str)
    values = check.field(classes, "values", f"{where}.classes_", list)
    try:
        np_dtype = np.dtype(object if dtype == "object" else dtype)
    except TypeError:
        check.fail(f"{where}.classes_.dtype", f"{dtype!r} is not a dtype")
    if np_dtype.kind not in "biufUO" or np_dtype.itemsize > 4096:
        check.fail(f"{where}.classes_.dtype", f"labels of dtype {dtype!r} are not supported")
    if len(values) < 2 or not all(_is_kind(v, (bool, int, float, str)) for v in values):
        check.fail(f"{where}.classes_.values", "must list at least 2 labels (numbers or strings)")
    try:
        labels = np.array(values, dtype=np_dtype)
    except (ValueError, TypeError, OverflowError):
        check.fail(f"{where}.classes_.values", f"cannot be read as {dtype}")
    if len(np.unique(labels)) != len(labels):
        check.fail(f"{where}.classes_.values", "has repeated labels")
    y_type = check.field(f, "y_type", where, str)
    expected = {"binary": (1, "sigmoid", 2), "multiclass": (len(labels), "softmax", None),
                "multilabel-indicator": (len(labels), "sigmoid", None)}
    if y_type not in expected:
        check.fail(f"{where}.y_type", "must be binary, multiclass or multilabel-indicator")
    D_y, activation, n_classes = expected[y_type]
    if net.D_y != D_y or output[0] != activation or (n_classes and len(labels) != n_classes):
        check.fail(f"{where}.classes_", f"{len(labels)} {y_type} classes do not fit a network "
                                        f"with {net.D_y} {output[0]} outputs")
    if y_type == "multiclass" and len(labels) < 3:
        check.fail(f"{where}.y_type", "multiclass needs at least 3 classes")
    if y_type == "multilabel-indicator":
        binarizer = LabelBinarizer().fit(np.eye(len(labels), dtype=int))
        if not np.array_equal(labels, np.arange(len(labels))):
            check.fail(f"{where}.classes_.values", "multilabel classes must be 0 … n_labels − 1")
    else:
        binarizer = LabelBinarizer().fit(labels)
    est._label_binarizer = binarizer
    est.classes_ = binarizer.classes_


def _build_tabular(check, d, estimator):
    from .tabular import Preprocessor, TabularModel

    t = check.field(d, "tabular", "", dict)
    where = "tabular"
    check.keys(t, where, ["target", "task", "target_mean", "target_scale", "impute", "numeric",
                          "categorical", "metrics"])
    target = check.field(t, "target", where, str)
    task = check.field(t, "task", where, str)
    expected_task = ("classification" if type(estimator).__name__ == "FFNNClassifier"
                     else "regression")
    if task != expected_task:
        check.fail(f"{where}.task", f"must be {expected_task!r} for {type(estimator).__name__}")
    mean = check.number(t, "target_mean", where)
    scale = check.number(t, "target_scale", where)
    if not scale > 0:
        check.fail(f"{where}.target_scale", "must be positive")
    p = Preprocessor(impute=check.field(t, "impute", where, bool))
    seen = set()
    for i, column in enumerate(check.field(t, "numeric", where, list)):
        w = f"{where}.numeric[{i}]"
        if not isinstance(column, dict):
            check.fail(w, "must be a JSON object")
        check.keys(column, w, ["name", "mean", "scale", "fill"])
        name = check.field(column, "name", w, str)
        s = check.number(column, "scale", w)
        if not s > 0:
            check.fail(f"{w}.scale", "must be positive")
        p.numeric.append((name, check.number(column, "mean", w), s, check.number(column, "fill", w)))
        seen.add(name)
    for i, column in enumerate(check.field(t, "categorical", where, list)):
        w = f"{where}.categorical[{i}]"
        if not isinstance(column, dict):
            check.fail(w, "must be a JSON object")
        check.keys(column, w, ["name", "categories", "fill"])
        name = check.field(column, "name", w, str)
        categories = check.field(column, "categories", w, list)
        if not categories or not all(isinstance(c, str) for c in categories) or len(
                set(categories)) != len(categories):
            check.fail(f"{w}.categories", "must be a non-empty list of distinct strings")
        p.categorical.append((name, categories, check.field(column, "fill", w, str)))
        seen.add(name)
    if len(seen) != len(p.numeric) + len(p.categorical) or target in seen:
        check.fail(where, "column names must be distinct and differ from the target")
    if len(p.feature_names) != estimator.n_features_in_:
        check.fail(where, f"the columns encode {len(p.feature_names)} features but the network "
                          f"takes {estimator.n_features_in_}")
    model = TabularModel(estimator, p, target, task, mean, scale)
    for part, values in check.field(t, "metrics", where, dict).items():
        if part not in ("training", "validation") or not isinstance(values, dict):
            check.fail(f"{where}.metrics", "must map training/validation to metric values")
        for name in values:
            check.number(values, name, f"{where}.metrics.{part}", allow_none=True)
        model.metrics[part] = values
    return model
