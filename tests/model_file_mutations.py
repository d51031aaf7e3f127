"""Mutations of valid model files, by family: generic damage (truncation, bit flips, wrong JSON
values, tensor entries) and, one family each, the attacks a red team made by hand (mixed labels,
odd dtypes, repeated keys, float shapes, lone surrogates, huge headers, too many categories,
sparse files, special files, huge finite weights, extreme target scaling).

FAMILIES maps a family's name to (the valid files it applies to, the function that mutates one
of them). A function takes the file's bytes and a Generator and returns bytes, or a Mutant for a
file that is more than bytes (a sparse file, a FIFO, a folder…)."""

import functools
import json
import struct
from dataclasses import dataclass

import numpy as np


@dataclass
class Mutant:
    raw: bytes
    apparent_size: int = None  # a sparse file: `raw`, then a hole up to this many bytes
    special: str = None  # "fifo", "fifo without writer", "folder", "device", "socket"


WRONG_VALUES = [None, True, False, 0, -1, 1, 2**31, 2**63, 10**400, 1.5, -1e308, 1e308, "", "x",
                "relu", "softmax", "__import__('os').system('echo pwned')", "os.system", [],
                [1, 2], ["relu"], {}, {"__reduce__": ["os.system", ["id"]]}, [[1]], "inf", -0.0,
                "yes", [1], "evil"]


# -- the container ---------------------------------------------------------------------------

def split(raw):
    """(header, data) of a model file's bytes."""
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def join(header, data, length=None):
    return join_text(json.dumps(header), data, length)


def join_text(text, data, length=None):
    text = text.encode("utf-8", "surrogatepass")
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def description_of(header):
    return json.loads(header["__metadata__"]["ffnn"])


def with_description(raw, change):
    """The file with `change(description)` applied to its description."""
    header, data = split(raw)
    description = description_of(header)
    change(description)
    header["__metadata__"]["ffnn"] = json.dumps(description)
    return join(header, data)


def _paths(obj, prefix=()):
    """Every path to a value inside a JSON structure."""
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _paths(value, prefix + (i,))


def _get(obj, path):
    for key in path:
        obj = obj[key]
    return obj


def _pick(rng, items):
    return items[rng.integers(len(items))]


def _reshaped(header, data, shapes):
    """(header, data) with the tensors named in `shapes` given those shapes (zeros), every
    tensor's byte range moved to match."""
    order = sorted((k for k in header if k != "__metadata__"),
                   key=lambda k: header[k]["data_offsets"][0])
    chunks, position = [], 0
    for name in order:
        entry = header[name]
        begin, end = entry["data_offsets"]
        chunk = data[begin:end]
        if name in shapes:
            size = 4 if entry["dtype"] == "F32" else 8
            entry["shape"] = shapes[name](entry["shape"])
            chunk = bytes(size * int(np.prod(entry["shape"])))
        entry["data_offsets"] = [position, position + len(chunk)]
        position += len(chunk)
        chunks.append(chunk)
    return header, b"".join(chunks)


def resize_input(header, data, D_x):
    """(header, data) with the first layer's W widened or narrowed to D_x inputs (zeros)."""
    return _reshaped(header, data, {"layers.1.W": lambda shape: [shape[0], D_x]})


def resize_output(header, data, D_y):
    """(header, data) with the last layer widened or narrowed to D_y outputs (zeros); the
    description's layer sizes follow."""
    description = description_of(header)
    sizes = description["network"]["layer_sizes"]
    last = len(sizes) - 1
    sizes[-1] = D_y
    header["__metadata__"]["ffnn"] = json.dumps(description)
    return _reshaped(header, data, {f"layers.{last}.{p}": lambda shape: [D_y] + shape[1:]
                                    for p in ("W", "c")})


# -- generic damage -------------------------------------------------------------------------

def _truncate(raw, rng):
    return raw[:rng.integers(0, len(raw))]


def _bit_flip(part):
    def flip(raw, rng):
        (n,) = struct.unpack("<Q", raw[:8])
        low, high = (0, 8 + n) if part == "header" else (8 + n, len(raw))
        if high <= low:
            return raw
        flipped = bytearray(raw)
        flipped[int(rng.integers(low, high))] ^= 1 << int(rng.integers(8))
        return bytes(flipped)
    return flip


def _header_length(raw, rng):
    (n,) = struct.unpack("<Q", raw[:8])
    length = int(rng.choice([0, 1, n - 1, n + 1, len(raw), 2**40, 2**64 - 1]))
    return struct.pack("<Q", length % 2**64) + raw[8:]


def _appended(raw, rng):
    return raw + bytes(rng.integers(0, 256, size=rng.integers(1, 64), dtype=np.uint8))


def _json(kind):
    def mutate(raw, rng):
        def change(d):
            paths = [p for p in _paths(d) if p]
            path = _pick(rng, paths)
            parent = _get(d, path[:-1])
            if kind == "drop":
                del parent[path[-1]]
            elif kind == "add":
                value = _pick(rng, WRONG_VALUES)
                if isinstance(parent, dict):
                    parent[f"extra_{rng.integers(100)}"] = value
                else:
                    parent.append(value)
            elif kind == "wrong":
                parent[path[-1]] = _pick(rng, WRONG_VALUES)
            elif kind == "sizes":
                sizes = d["network"]["layer_sizes"]
                sizes[rng.integers(len(sizes))] = int(rng.choice([-3, 0, 1, 2**20, 2**24 + 1,
                                                                  2**40]))
            elif rng.uniform() < 0.5:
                names = ["swish", "eval", "os.system", "RELU", "", "linear", "sigmoid",
                         "softmax", "exp"]
                acts = d["network"]["activations"]
                acts[rng.integers(len(acts))] = _pick(rng, names)
            else:
                d["network"]["loss"] = _pick(rng, ["hinge", "rss", "log_loss", "pickle",
                                                   "cross_entropy"])
        return with_description(raw, change)
    return mutate


def _tensors(kind):
    def mutate(raw, rng):
        header, data = split(raw)
        name = _pick(rng, [k for k in header if k != "__metadata__"])
        entry = header[name]
        if kind == "drop":
            del header[name]
        elif kind == "add":
            header[f"layers.{rng.integers(1, 9)}.X"] = dict(entry)
        elif kind == "shape":
            entry["shape"] = [int(v) for v in rng.integers(-2, 2**33, size=rng.integers(0, 4))]
        elif kind == "dtype":
            entry["dtype"] = _pick(rng, ["F16", "F32", "F64", "I64", "BOOL", "U8", "str"])
        elif kind == "offsets":
            entry["data_offsets"] = [int(v) for v in rng.integers(-10, 2**40, size=2)]
        elif kind == "non-finite":
            data = _write_values(entry, data, rng, [np.nan, np.inf, -np.inf], count=1)
        return join(header, data)
    return mutate


def _write_values(entry, data, rng, choices, count=None):
    """`data` with `count` values of the tensor `entry` (all, if None) drawn from `choices`."""
    begin, end = entry["data_offsets"]
    dtype = "<f4" if entry["dtype"] == "F32" else "<f8"
    values = np.frombuffer(data[begin:end], dtype=dtype).copy()
    if values.size == 0:
        return data
    spots = np.arange(values.size) if count is None else rng.integers(values.size, size=count)
    with np.errstate(over="ignore"):
        values[spots] = np.array(choices, dtype=np.float64)[rng.integers(len(choices),
                                                                         size=len(spots))]
    return data[:begin] + values.astype(dtype).tobytes() + data[end:]


# -- the red team's attacks, one family each -------------------------------------------------

def _mixed_classes(raw, rng):
    def change(d):
        classes = d["estimator"]["fitted"]["classes_"]
        n = len(classes["values"])
        pool = [[1, "a"], ["a", 0.5], [True, 0.5], [0.5, 1.5], [None, "a"], ["a", "a"],
                [2, 1], [1, 1.0], [True, 1], ["b", "a"]]
        values = list(_pick(rng, pool))
        values += [f"extra{i}" if isinstance(values[0], str) else i + 10 for i in range(n - 2)]
        classes["values"] = values[:max(n, 1)]
        if rng.uniform() < 0.5:
            classes["dtype"] = "object"
    return with_description(raw, change)


LABEL_DTYPES = ["(-1,)i4", "(2,)<i8", "i4,i4", "V8", "<M8[s]", "<U1", "<U0", "S3", "O",
                "object", "<c16", "<f16", "<f2", "|b1", "<u1", "float", "int64", "", "U",
                "<U99999", "|O", ">i8", "<i8", "<f8", "<U3"]


def _class_dtype(raw, rng):
    def change(d):
        d["estimator"]["fitted"]["classes_"]["dtype"] = _pick(rng, LABEL_DTYPES)
    return with_description(raw, change)


def _wide_labels(raw, rng):
    """Labels in a text dtype wider than they are (each a few bytes of the file, thousands in
    the array), up to a million of them."""
    def change(d):
        n = int(_pick(rng, [2, 3, 1000, 100_000, 2**20]))
        width = int(_pick(rng, [8, 256, 1024]))
        d["estimator"]["fitted"]["classes_"] = {"dtype": f"<U{width}",
                                                "values": [f"{i:07d}" for i in range(n)]}
    return with_description(raw, change)


def _class_weight(raw, rng):
    pool = [[[[1], 2.0]], "evil", [[1]], [[1, "x"]], [["a", 1.0], ["a", 2.0]], [[None, 1.0]],
            [[1, 1e308]], [[True, 1.0], [1, 2.0]], [["x", -1.0]], [[0, 1.0], [1, 2.0]],
            "balanced", None, [], [[0, 10**400]], {"a": 1}, [[[[[1]]]], 1.0],
            [["no such class", 2.0]], [[0, 1.0], [99, 2.0]], [["yes", 1.0], ["maybe", 2.0]]]

    def change(d):
        d["estimator"]["params"]["class_weight"] = _pick(rng, pool)
    return with_description(raw, change)


def _random_state(raw, rng):
    def change(d):
        d["estimator"]["params"]["random_state"] = _pick(
            rng, [-1, 2**32, 2**40, 1.5, "0", True, None, 0, 2**32 - 1, 10**400, [0]])
    return with_description(raw, change)


def _param_type(raw, rng):
    def change(d):
        params = d["estimator"]["params"]
        params[_pick(rng, sorted(params))] = _pick(rng, WRONG_VALUES)
    return with_description(raw, change)


SENTINEL = "__repeated_key__"


def _duplicate_key(raw, rng):
    """A key written twice in one object (the second with another value), in the header's JSON
    or the description's."""
    header, data = split(raw)
    in_header = rng.uniform() < 0.3
    target = header if in_header else description_of(header)
    objects = [p for p in _paths(target) if isinstance(_get(target, p), dict) and _get(target, p)]
    obj = _get(target, _pick(rng, objects))
    key = _pick(rng, sorted(obj))
    obj[SENTINEL] = _pick(rng, WRONG_VALUES + [obj[key]])
    text = json.dumps(target).replace(json.dumps(SENTINEL), json.dumps(key))
    if in_header:
        return join_text(text, data)
    header["__metadata__"]["ffnn"] = text
    return join(header, data)


def _float_shape(raw, rng):
    header, data = split(raw)
    entry = header[_pick(rng, [k for k in header if k != "__metadata__"])]
    field = "shape" if rng.uniform() < 0.7 else "data_offsets"
    entry[field] = [True if v == 1 and rng.uniform() < 0.5 else float(v) for v in entry[field]]
    return join(header, data)


def _lone_surrogate(raw, rng):
    def change(d):
        paths = [p for p in _paths(d) if p and isinstance(_get(d, p), str)]
        path = _pick(rng, paths)
        parent = _get(d, path[:-1])
        bad = _pick(rng, ["\ud800", "\udfff", "\udc80"])
        if isinstance(path[-1], str) and rng.uniform() < 0.2:  # the key itself
            parent[path[-1] + bad] = parent.pop(path[-1])
        else:
            text = parent[path[-1]]
            spot = int(rng.integers(len(text) + 1))
            parent[path[-1]] = text[:spot] + bad + text[spot:]
    return with_description(raw, change)


@functools.lru_cache(maxsize=None)
def _extra_keys(n):
    return ", ".join(f'"k{i}": 0' for i in range(n))


def _many_keys(raw, rng):
    """An object with a thousand to two million keys (a message listing them all ran to 7 MB),
    in the header or the description: under the limits, over the keys of one object, over the
    items of a header, over its bytes."""
    header, data = split(raw)
    n = int(rng.choice([1000, 5000, 200_000, 600_000, 2_000_000],
                       p=[0.35, 0.3, 0.05, 0.15, 0.15]))
    if rng.uniform() < 0.5:
        text = json.dumps(header)
        return join_text(text[:-1] + ", " + _extra_keys(n) + "}", data)
    text = header["__metadata__"]["ffnn"]
    header["__metadata__"]["ffnn"] = text[:-1] + ", " + _extra_keys(n) + "}"
    return join(header, data)


def _many_categories(raw, rng):
    """Text columns of the command line's model with more categories than fit allows (one
    column over MAX_CATEGORIES, up to a million, or eleven of 1000, over MAX_ONE_HOT together),
    the network widened to match (so that only the limits stand in the way)."""
    header, data = split(raw)
    d = description_of(header)
    columns = d["tabular"]["categorical"]
    before = sum(len(c["categories"]) for c in columns)
    if rng.uniform() < 0.2:
        column = dict(columns[0], categories=[f"c{i:03d}" for i in range(1000)], fill="c000")
        columns[:] = [dict(column, name=f"text{k}") for k in range(11)]
    else:
        n = int(rng.choice([1001, 1500, 5000, 50_000, 1_000_000], p=[0.3, 0.3, 0.2, 0.15, 0.05]))
        columns[0]["categories"] = [f"c{i:07d}" for i in range(n)]
        columns[0]["fill"] = "c0000000"
    D_x = d["network"]["layer_sizes"][0] + sum(len(c["categories"]) for c in columns) - before
    d["network"]["layer_sizes"][0] = D_x
    d["estimator"]["fitted"]["n_features_in_"] = D_x
    header["__metadata__"]["ffnn"] = json.dumps(d)
    return join(*resize_input(header, data, D_x))


def _sparse(raw, rng):
    """A network whose weights are a hole in a sparse file: within the parameter limit (a real
    model of zeros) or beyond it."""
    header, _ = split(raw)
    d = description_of(header)
    code, size = ("F32", 4) if d["network"]["dtype"] == "float32" else ("F64", 8)
    if rng.uniform() < 0.3:  # 2**14 · (2**13 + 1) weights: just beyond the limit of 2**27
        D_x, D_1 = 2**14, 2**13 + 1
    else:  # up to 2**20 weights: 8 MiB in float64
        D_x, D_1 = int(rng.choice([2**8, 2**10, 2**12])), int(rng.choice([2**4, 2**6, 2**8]))
    D_y = d["network"]["layer_sizes"][-1]
    d["network"]["layer_sizes"] = [D_x, D_1, D_y]
    d["network"]["activations"] = [d["network"]["activations"][0],
                                   d["network"]["activations"][-1]]
    shapes = {"layers.1.W": [D_1, D_x], "layers.1.c": [D_1], "layers.2.W": [D_y, D_1],
              "layers.2.c": [D_y]}
    header = {"__metadata__": {"ffnn": json.dumps(d)}}
    position = 0
    for name, shape in shapes.items():
        nbytes = size * int(np.prod(shape))
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [position,
                                                                        position + nbytes]}
        position += nbytes
    raw = join(header, b"")
    return Mutant(raw, apparent_size=len(raw) + position)


def _special(raw, rng):
    return Mutant(raw, special=_pick(rng, ["fifo", "fifo without writer", "folder", "device",
                                          "socket"]))


def _huge_weights(raw, rng):
    header, data = split(raw)
    name = _pick(rng, [k for k in header if k != "__metadata__"])
    big = 3e38 if header[name]["dtype"] == "F32" else 1e308
    return join(header, _write_values(header[name], data, rng, [big, -big]))


def _target_scaling(raw, rng):
    def change(d):
        t = d["tabular"]
        if rng.uniform() < 0.7:
            t["target_mean"], t["target_scale"] = _pick(
                rng, [(1.79e308, 1e308), (-1.79e308, 1e308), (0.0, 1.79e308), (1e308, 1e-308)])
        else:
            column = t["numeric"][0]
            column["mean"], column["scale"] = _pick(rng, [(1e308, 1e-308), (0.0, 5e-324),
                                                          (-1.79e308, 1.0), (1.79e308, 0.5)])
            column["fill"] = column["mean"]  # as fit writes it: only the scaling is extreme
    return with_description(raw, change)


def _read_options(raw, rng):
    """How the command line's model reads files, as fit never records it: a quote or line end
    as the separator, names beside a header, names leaving out a feature column."""
    def change(d):
        read = d["tabular"]["read"]
        if rng.uniform() < 0.5:
            read["sep"] = _pick(rng, ["\n", "\r", '"', "'", "\r\n", ",,", "", "comma"])
        else:
            columns = [c["name"] for part in ("numeric", "categorical")
                       for c in d["tabular"][part]]
            read["header"], read["names"] = _pick(rng, [
                (True, columns), (True, []), (False, columns[1:]), (False, ["x", "y", "z"])])
    return with_description(raw, change)


def _fills(raw, rng):
    """A numeric column filled with other than its mean, a text column with other than one of
    its categories, a scale that is not a normal positive float, or a numeric column marked
    constant otherwise than fit marks it (true, with scale 1)."""
    def change(d):
        t = d["tabular"]
        kind = _pick(rng, ["numeric fill", "text fill", "scale", "constant"])
        if kind == "numeric fill":
            t["numeric"][0]["fill"] = t["numeric"][0]["mean"] + _pick(rng, [1.0, 1e-12, -5.0])
        elif kind == "text fill":
            t["categorical"][0]["fill"] = _pick(rng, ["", "purple", "RED", "blue "])
        elif kind == "scale":
            t["numeric"][0]["scale"] = _pick(rng, [5e-324, 1e-310, 2.2e-308, 1e-320])
        else:  # the fitted columns vary: their scale is not 1
            t["numeric"][0]["constant"] = _pick(rng, [True, False, None, "yes", 1, [True]])
    return with_description(raw, change)


def _row_hashes(raw, rng):
    """The hashes of the rows a model trained on, as fit never keeps them: out of order,
    repeated, malformed, more than it keeps, miscounted, counting more rows than trained or
    validated the network, or one of the pair alone."""
    def change(d):
        data = d["tabular"]["data"]
        hashes = data["seen_hashes"]
        kind = _pick(rng, ["order", "repeat", "malformed", "too many", "count", "beyond",
                           "alone"])
        if kind == "order":
            data["seen_hashes"] = hashes[::-1]
        elif kind == "repeat":
            data["seen_hashes"] = sorted(hashes + hashes[:1])
        elif kind == "malformed":
            hashes[0] = _pick(rng, ["", "0" * 15, "G" * 16, "0" * 17, 7, None, "0x" + "0" * 14])
        elif kind == "too many":
            data["seen_hashes"] = [f"{k:016x}" for k in range(2049)]
            data["seen_rows"] = 4096
        elif kind == "beyond":  # a full sample, of more rows than the record's
            data["seen_hashes"] = [f"{k:016x}" for k in range(2048)]
            data["seen_rows"] = data["training_rows"] + data["validation_rows"] + int(
                _pick(rng, [1, 10**6, 2**62]))
        elif kind == "count":
            data["seen_rows"] = _pick(rng, [0, len(hashes) + 1, -1, 2**63, 60.0, True, "60"])
        else:
            del data[_pick(rng, ["seen_hashes", "seen_rows"])]
    return with_description(raw, change)


def _fingerprint_line_end(raw, rng):
    """A training file's, test file's or row's hash followed by a line end or other text: a
    pattern anchored with "$" took "…\\n" for the digits alone."""
    def change(d):
        data = d["tabular"]["data"]
        field = _pick(rng, ["sha256", "test_sha256", "seen_hashes"])
        tail = _pick(rng, ["\n", "\r\n", " ", "\n\n", "0", "\x00"])
        if field == "seen_hashes":
            data[field][-1] += tail
        else:
            data.update(test_name=data["test_name"] or "test.csv",
                        test_sha256=data["test_sha256"] or "c" * 64)
            data[field] += tail
    return with_description(raw, change)


def _recorded_text(raw, rng):
    """Why training stopped, or a metric's name, as fit never writes them: a terminal's control
    sequences, several lines, or megabytes of one (`ffnn summary` printed them as they were)."""
    def change(d):
        t = d["tabular"]
        text = _pick(rng, ["\x1b]0;title\x07", "\x1b[2J\x1b[H", "\n" * 1000, "a\tb", "\r",
                           "\x00", "\u202e", "x" * 2_000_000])
        if rng.uniform() < 0.5:
            t["training"]["stopped"] = f"trained all 5 epochs{text}"
        else:
            t["metrics"].setdefault("training", {})[f"accuracy{text}"] = 0.5
    return with_description(raw, change)


def _iteration_counts(raw, rng):
    """n_iter_ beyond the loss curve's iterations; t_ beyond 2**63, or rows counted without a
    recorded iteration."""
    def change(d):
        f = d["estimator"]["fitted"]
        kind = _pick(rng, ["n_iter_", "t_", "no curve"])
        if kind == "n_iter_":
            f["n_iter_"] = len(f["loss_curve_"]) + int(_pick(rng, [1, 2, 10**6, 2**70]))
        elif kind == "t_":
            f["t_"] = int(_pick(rng, [2**63, 2**64, 10**30]))
        else:
            f.update(loss_curve_=[], loss_=None, best_loss_=None, n_iter_=0,
                     t_=int(_pick(rng, [1, 60])))
            if f["validation_scores_"] is not None:
                f.update(validation_scores_=[], validation_loss_curve_=[],
                         best_validation_score_=None)
    return with_description(raw, change)


def _validation_curves(raw, rng):
    """Validation curves that disagree: one without the other, of other lengths than each
    other or longer than the loss curve, or a best score that is not their best."""
    def change(d):
        f = d["estimator"]["fitted"]
        n = len(f["loss_curve_"])
        scores = [round(float(v), 3) for v in rng.uniform(size=n)]
        kind = _pick(rng, ["one", "lengths", "longer", "best"])
        f.update(validation_scores_=scores, validation_loss_curve_=list(scores),
                 best_validation_score_=max(scores))
        if kind == "one":
            f[_pick(rng, ["validation_scores_", "validation_loss_curve_"])] = None
        elif kind == "lengths":
            f["validation_loss_curve_"] = scores[:-1]
        elif kind == "longer":
            f.update(validation_scores_=scores + [0.0], validation_loss_curve_=scores + [0.0])
        else:
            f["best_validation_score_"] = _pick(rng, [None, min(scores) - 1, 2.0])
    return with_description(raw, change)


def _table_feature_names(raw, rng):
    """feature_names_in_ on the estimator of the command line's model, which fit on the encoded
    matrix never has."""
    def change(d):
        f = d["estimator"]["fitted"]
        f["feature_names_in_"] = [f"f{i}" for i in range(f["n_features_in_"])]
    return with_description(raw, change)


def _repeated_feature_names(raw, rng):
    """Feature names with one named twice or more, which fit (refusing such a table) never
    records."""
    def change(d):
        f = d["estimator"]["fitted"]
        n = f["n_features_in_"]
        names = f["feature_names_in_"] or [f"x{i}" for i in range(n)]
        i, j = sorted(rng.choice(n, size=2, replace=False)) if n > 1 else (0, 0)
        names[j] = names[i]
        f["feature_names_in_"] = names if n > 1 else names * 2
    return with_description(raw, change)


def _several_outputs(raw, rng):
    """The command line's model around an estimator of several outputs (a multilabel classifier,
    a regressor of 2 or 3 targets), which fit on one target column never makes: its predictions
    are no column of the table, and evaluate or plot would score them as one."""
    header, data = split(raw)
    description = description_of(header)
    fitted = description["estimator"]["fitted"]
    if "classes_" in fitted:
        fitted["y_type"] = "multilabel-indicator"
        fitted["classes_"] = {"dtype": "<i8", "values": [0, 1]}
        description["estimator"]["params"]["class_weight"] = None
        header["__metadata__"]["ffnn"] = json.dumps(description)
        return join(*resize_output(header, data, 2))
    return join(*resize_output(header, data, int(rng.integers(2, 4))))


ALL = None
CLASSIFIERS = ("binary", "multiclass", "multilabel", "tabular")
ESTIMATORS = CLASSIFIERS + ("regressor", "poisson", "tabular_regression")
TABULAR = ("tabular", "tabular_regression")

FAMILIES = {
    "truncate": (ALL, _truncate),
    "bit flip in header": (ALL, _bit_flip("header")),
    "bit flip in data": (ALL, _bit_flip("data")),
    "header length": (ALL, _header_length),
    "json: drop a field": (ALL, _json("drop")),
    "json: add a field": (ALL, _json("add")),
    "json: wrong type or value": (ALL, _json("wrong")),
    "json: layer sizes": (ALL, _json("sizes")),
    "json: activation or loss name": (ALL, _json("names")),
    "tensors: drop one": (ALL, _tensors("drop")),
    "tensors: add one": (ALL, _tensors("add")),
    "tensors: shape": (ALL, _tensors("shape")),
    "tensors: dtype": (ALL, _tensors("dtype")),
    "tensors: offsets": (ALL, _tensors("offsets")),
    "tensors: non-finite weight": (ALL, _tensors("non-finite")),
    "appended bytes": (ALL, _appended),
    # issue 13, point 1: every failure is a ModelFileError
    "classes: mixed or unsortable labels": (CLASSIFIERS, _mixed_classes),
    "classes: dtype": (CLASSIFIERS, _class_dtype),
    "classes: text dtype wider than the labels": (CLASSIFIERS, _wide_labels),
    "params: class_weight": (CLASSIFIERS, _class_weight),
    "params: random_state": (ESTIMATORS, _random_state),
    "params: wrong type": (ESTIMATORS, _param_type),
    # point 2: only what save writes
    "json: repeated key": (ALL, _duplicate_key),
    "tensors: shape or offsets as floats or booleans": (ALL, _float_shape),
    "text: lone surrogate": (ALL, _lone_surrogate),
    "json: many keys": (ALL, _many_keys),
    # point 3: bounded resources
    "tabular: too many categories": (TABULAR, _many_categories),
    "file: sparse, large or beyond the parameter limit": (("network", "network_float32"),
                                                          _sparse),
    # point 4: special files
    "file: FIFO, folder, device or socket": (ALL, _special),
    # point 5: no silent non-finite output
    "weights: huge but finite": (ALL, _huge_weights),
    "tabular: extreme target or column scaling": (("tabular_regression",), _target_scaling),
    # fields each well-formed on its own that fit never writes together
    "tabular: read options fit never records": (TABULAR, _read_options),
    "tabular: fills and scales fit never learns": (TABULAR, _fills),
    "tabular: row hashes fit never keeps": (("tabular",), _row_hashes),
    "tabular: a fingerprint followed by a line end": (("tabular",), _fingerprint_line_end),
    "tabular: control characters or megabytes in recorded text": (TABULAR, _recorded_text),
    "fitted: iteration counts beyond the loss curve": (ESTIMATORS, _iteration_counts),
    "fitted: feature names on a table's estimator": (TABULAR, _table_feature_names),
    "fitted: validation curves that disagree": (ESTIMATORS, _validation_curves),
    "fitted: a feature named twice": (("regressor", "poisson", "binary", "multiclass",
                                       "multilabel"), _repeated_feature_names),
    "tabular: an estimator of several outputs": (TABULAR, _several_outputs),
}
KINDS = list(FAMILIES)


def mutate(files, rng, kind=None):
    """(file name, kind of mutation, Mutant) for one of the valid `files`."""
    kind = kind or _pick(rng, KINDS)
    applies, function = FAMILIES[kind]
    name = _pick(rng, sorted(n for n in files if applies is None or n in applies))
    mutant = function(files[name], rng)
    return name, kind, mutant if isinstance(mutant, Mutant) else Mutant(mutant)
