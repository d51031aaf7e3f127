"""A model file's tensors: each header entry must be exactly what the architecture implies (its
dtype, its shape, a byte range with no gap or overlap, ending where the file ends), and the bytes
are read in bounded chunks into the network's parameters. A load so holds one copy of the
weights, sized by the checked description, never by what the file's size suggests."""

import sys

import numpy as np

CHUNK_BYTES = 2**20  # read, byte-swapped where needed, and checked for NaN and inf at a time


def expected_shapes(layer_sizes):
    """{"layers.<ℓ>.W": (D_ℓ, D_ℓ₋₁), "layers.<ℓ>.c": (D_ℓ,)} for ℓ = 1 … L."""
    shapes = {}
    for ell, (D_out, D_in) in enumerate(zip(layer_sizes[1:], layer_sizes[:-1]), start=1):
        shapes[f"layers.{ell}.W"] = (D_out, D_in)
        shapes[f"layers.{ell}.c"] = (D_out,)
    return shapes


def check_entries(check, header, shapes, code, itemsize, data_bytes):
    """The tensors' byte ranges [(begin, end, name)], in file order, after checking every
    entry against `shapes` and the `data_bytes` that follow the header."""
    names = set(header) - {"__metadata__"}
    if names != set(shapes):
        missing, extra = sorted(set(shapes) - names), sorted(names - set(shapes))
        extra = [repr(n) for n in extra[:5]] + ([f"{len(extra) - 5} more"] if len(extra) > 5
                                                else [])
        check.fail("tensors", (f"missing {', '.join(missing[:5])}" if missing else "")
                   + ("; " if missing and extra else "")
                   + (f"unexpected {', '.join(extra)}" if extra else ""))
    spans = []
    for name, shape in shapes.items():
        where = f"tensors.{name}"
        entry = header[name]
        if not isinstance(entry, dict):
            check.fail(where, "must be a JSON object")
        check.keys(entry, where, ["dtype", "shape", "data_offsets"])
        dtype = check.field(entry, "dtype", where, str)
        if dtype != code:
            check.fail(f"{where}.dtype", f"must be {code} for this network, got {dtype!r}")
        if check.integers(entry, "shape", where) != list(shape):
            check.fail(f"{where}.shape", f"must be {list(shape)} for this architecture, got "
                                         f"{entry['shape']!r}")
        offsets = check.integers(entry, "data_offsets", where)
        if len(offsets) != 2:
            check.fail(f"{where}.data_offsets", "must be two integers")
        begin, end = offsets
        if begin < 0 or end - begin != int(np.prod(shape)) * itemsize:
            check.fail(f"{where}.data_offsets", "do not match the tensor's shape and dtype")
        spans.append((begin, end, name))
    spans.sort()
    position = 0
    for begin, end, name in spans:
        if begin != position:
            check.fail(f"tensors.{name}.data_offsets", "leave a gap or overlap another tensor")
        position = end
    if position != data_bytes:
        check.fail("tensors", f"the description implies {position} bytes of weights but the "
                              f"file has {data_bytes}; it is truncated or has extra data")
    return spans


def read_into(check, handle, net, spans, data_start):
    """Fill the network's W and c from the file, refusing NaN and infinite values."""
    targets = {}
    for ell, layer in enumerate(net.layers, start=1):
        targets[f"layers.{ell}.W"], targets[f"layers.{ell}.c"] = layer.W, layer.c
    swap = sys.byteorder == "big"  # the file is little-endian
    for begin, end, name in spans:
        target = targets[name]
        # The file holds each W row-major, the network column-major (see Network): a chunk is
        # read into a buffer, then written into the target in the file's (row-major) order.
        buffer = np.empty(max(1, min(target.size, CHUNK_BYTES // target.itemsize)), target.dtype)
        handle.seek(data_start + begin)
        for start in range(0, target.size, buffer.size):
            block = buffer[:min(buffer.size, target.size - start)]
            chunk = memoryview(block).cast("B")
            if handle.readinto(chunk) != len(chunk):
                check.fail(f"tensors.{name}", "the file ends inside this tensor")
            if swap:
                block.byteswap(inplace=True)
            if not np.isfinite(block).all():
                check.fail(f"tensors.{name}", "holds NaN or infinite values")
            target.flat[start:start + block.size] = block

