"""Reading a model file without trusting it: only a regular file is opened (never a FIFO, a
device or a socket, which could block or never end); the header is parsed as strict JSON and
checked field by field, and every tensor's dtype, shape and byte range must match the
description and the file before a network, sized by the checked description, is filled."""

import os
import stat
import struct

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..network import Network
from ._build import build_estimator, build_tabular, check_one_hot_limits
from ._checker import Checker, is_kind
from ._format import (
    DTYPES,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    MAX_HEADER_BYTES,
    MAX_LAYER_SIZE,
    MAX_LAYERS,
    MAX_PARAMETERS,
)
from ._json import parse_description, parse_header
from ._tensors import check_entries, expected_shapes, read_into

_KIND_OF_FILE = [(stat.S_ISDIR, "is a folder, not a model file"),
                 (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file"),
                 (stat.S_ISSOCK, "is a socket, not a regular file"),
                 (stat.S_ISCHR, "is a character device, not a regular file"),
                 (stat.S_ISBLK, "is a block device, not a regular file")]


def not_regular(mode):
    """Why a file of this mode is not read as a model file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((why for test, why in _KIND_OF_FILE if test(mode)), "is not a regular file")


def open_model_file(check, path):
    """A binary handle on `path`, which must be a regular file. The check comes before the open,
    and the open does not block (a FIFO with no writer would block it forever); the handle's own
    status is checked again, for a file swapped between the two."""
    why = not_regular(os.stat(path).st_mode)
    if why:
        check.fail("file", why)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
        os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        why = not_regular(os.fstat(fd).st_mode)
        if why:
            check.fail("file", why)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read(path):
    check = Checker(path)
    with open_model_file(check, path) as handle:
        return _read(check, handle)


# The first bytes of files that are mistaken for model files and would otherwise be called a
# text file ('BZh91AY&' is printable) or a truncated one.
_OTHER_FORMATS = ((b"PAR1", "a Parquet data file"), (b"BZh", "a bzip2-compressed file"),
                  (b"\xfd7zXZ\x00", "an xz-compressed file"),
                  (b"\x28\xb5\x2f\xfd", "a zstandard-compressed file"))


def _read(check, handle):
    size = os.fstat(handle.fileno()).st_size
    start = handle.read(8)
    if len(start) < 8:
        check.fail("header", f"the file is {size} bytes long, too short to be a model file")
    (header_length,) = struct.unpack("<Q", start)
    if header_length > min(MAX_HEADER_BYTES, size - 8):
        for magic, kind in _OTHER_FORMATS:  # data given for the model, or a compressed file
            if start.startswith(magic):
                check.fail("file", f"is {kind}, not a model file; model files are what "
                                   "ffnn.save and `ffnn fit` write")
        if all(32 <= b < 127 or b in b"\t\n\r" for b in start):  # a length is never all text
            begins = (start + handle.read(32)).decode("ascii", "replace").splitlines()[0]
            check.fail("file", f"is a text file (it begins {begins!r}), not a model file; "
                               "model files are what ffnn.save and `ffnn fit` write")
        if start[:2] == b"\x1f\x8b":  # a model file compressed, or a joblib file
            check.fail("file", "is a gzip-compressed file, not a model file: decompress it "
                               "first (gunzip) if it holds one; pickle and joblib files are "
                               "never loaded (unpickling can run arbitrary code)")
        if start[:1] == b"\x80" or start[:2] == b"PK":
            kind = "a Python pickle" if start[:1] == b"\x80" else "a zip archive"
            check.fail("file", f"is {kind}, not a model file (pickle and joblib files are "
                               "never loaded: unpickling can run arbitrary code); save models "
                               "with ffnn.save")
        if size < 8:  # bytes the system does not count (a file of /proc, say)
            check.fail("header", f"the file is {size} bytes long, too short to be a model file")
        if header_length > MAX_HEADER_BYTES and header_length <= size - 8:
            check.fail("header", f"is {header_length} bytes, more than the {MAX_HEADER_BYTES} a "
                                 "model file may have")
        check.fail("header", f"claims {header_length} bytes but the file has {size - 8} after "
                             "the length field; the file is truncated or not a model file")
    header = parse_header(check, handle, header_length)
    metadata = check.field(header, "__metadata__", "header", dict)
    check.keys(metadata, "header.__metadata__", ["ffnn"])
    description = parse_description(check, check.field(metadata, "ffnn", "header.__metadata__",
                                                        str))
    del metadata["ffnn"]  # the text, now parsed, is no longer needed

    layer_sizes, activations, loss, dtype = _check_description(check, description)
    if description["kind"] == "tabular":
        check_one_hot_limits(check, description)
    code, np_dtype = DTYPES[dtype]
    data_start = 8 + header_length
    spans = check_entries(check, header, expected_shapes(layer_sizes), code, np_dtype.itemsize,
                          size - data_start)
    net = check.build("network", lambda: Network(layer_sizes, activations, loss, dtype=dtype,
                                                 init=None))
    read_into(check, handle, net, spans, data_start)
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
        # only a newer ffnn writes a higher version; no ffnn wrote a lower one
        check.fail("format_version", f"version {version} is not supported (this ffnn reads "
                                     f"version {FORMAT_VERSION})"
                                     f"{'; upgrade ffnn' if version > FORMAT_VERSION else ''}")
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
    parameters = sum(D_out * (D_in + 1) for D_in, D_out in zip(sizes[:-1], sizes[1:]))
    if parameters > MAX_PARAMETERS:
        check.fail("network.layer_sizes", f"describe {parameters} parameters, more than the "
                                          f"{MAX_PARAMETERS} a model file may have")
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
