"""Model files: a safetensors container whose metadata holds a JSON description of the model.

    ffnn.save(model, path)      a Network, a fitted FFNNRegressor/FFNNClassifier, or a TabularModel
    ffnn.load(path)             the same object back, predicting bit for bit as it did

The container is standard safetensors: an 8-byte little-endian header length, a JSON header that
gives each tensor's dtype, shape and byte range, then the bytes. The header's `__metadata__` has
one entry, "ffnn": the description (format and version, architecture, activations, loss, task,
classes, feature names, training history, preprocessing; a number of the history that is not
finite is null for NaN, and the text "inf" or "-inf" for an infinity). The tensors are the weights,
"layers.<ℓ>.W" and "layers.<ℓ>.c" for ℓ = 1 … L.

Loading never runs code and never trusts the file: the header is read as JSON and checked field
by field, names are looked up in allow-lists, each tensor's dtype, shape and byte range must be
exactly what the description implies and lie inside the file, before any tensor is read; weights
must be finite. Any failure raises ModelFileError naming the file and the field. Saving writes a
temporary file beside the target, flushes it to disk and renames it over the target, so the
target always holds a complete model.
"""

from pathlib import Path

from ..exceptions import ModelFileError
from ._atomic import NotReplaceable, atomic_file, replaced_file, write_atomically
from ._describe import check_loadable, describe, tensors_of
from ._read import read

__all__ = ["save", "load", "ModelFileError", "NotReplaceable", "replaced_file", "atomic_file"]


def save(model, path):
    """Write `model` to `path` atomically (a temporary file in the same folder, then a rename)."""
    import json
    import struct

    import safetensors.numpy

    description, net = describe(model)
    tensors = tensors_of(net)
    text = json.dumps(description, allow_nan=False, ensure_ascii=True)
    payload = safetensors.numpy.save(tensors, metadata={"ffnn": text})
    (header_length,) = struct.unpack("<Q", payload[:8])
    check_loadable(description, net, payload[8:8 + header_length].decode("ascii"))
    write_atomically(path, payload)  # as given: a final slash is refused, not dropped
    return Path(path)


def load(path):
    """Read a model file written by `save`; raises ModelFileError for anything else.

    The model predicts bit for bit as the saved one did. A file keeps the weights and the
    training history, not the state training goes on from (the optimizer's moments or
    velocity, the count of epochs without improvement, the random stream): a warm start or
    partial_fit of a loaded stochastic-solver model starts those afresh, and says so in a
    UserWarning. To stop and go on exactly, pickle the model itself."""
    path = Path(path)
    if "\0" in str(path):  # the system's own error names no file
        raise ModelFileError(f"{str(path)!r}: a file name cannot hold a NUL character")
    try:
        return read(path)
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
