"""Reading a model file without trusting it: the header is parsed as JSON and checked field by
field, and every tensor's dtype, shape and byte range must match the description and lie inside
the file before any tensor is read."""

import json
import os
import struct

import numpy as np

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..network import Network
from ._build import build_estimator, build_tabular
from ._checker import Checker, is_kind
from ._format import DTYPES, FORMAT, FORMAT_VERSION, KINDS, MAX_HEADER_BYTES, MAX_LAYER_SIZE, MAX_LAYERS


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def read(handle, path):
    check = Checker(path)
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
    try:
        net = Network(layer_sizes, activations, loss, dtype=dtype, init=None)
    except ValueError as error:
        check.fail("network", str(error))
    for ell, layer in enumerate(net.layers, start=1):
        layer.W[...] = tensors[f"layers.{ell}.W"]
        layer.c[...] = tensors[f"layers.{ell}.c"]
    kind = description["kind"]
    if kind == "network":
        return net
    estimator = build_estimator(check, description, net)
    if kind == "tabular":
        return build_tabular(check, description, estimator)
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
        if not is_kind(D, int) or not 1 <= D <= MAX_LAYER_SIZE:
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
        if len(offsets) != 2 or not all(is_kind(o, int) for o in offsets):
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
