"""Loading hardened against crafted files (issue 13, points 1-5): every failure is a short
ModelFileError naming the file and the field; only what `save` writes is accepted; what a load
allocates is bounded by the checked description; special files are never opened; no prediction
path returns inf or NaN silently."""

import json
import os
import socket
import struct
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from model_file_fuzzer import valid_files
from model_file_mutations import join, join_text, resize_input, split, with_description

import ffnn
from ffnn import FFNNClassifier, ModelFileError

MiB = 2**20


@pytest.fixture(scope="module")
def files():
    return valid_files()


def _file(tmp_path, raw):
    path = tmp_path / "m.ffnn"
    path.write_bytes(raw)
    return path


def _refused(path, field, match=""):
    """Load `path`, expecting a ModelFileError that names the file and `field`, in short."""
    with pytest.raises(ModelFileError) as info:
        ffnn.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {field}"), message[:300]
    assert match in message, message[:300]
    assert len(message) - len(str(path)) < 400
    return message


def _classes(values, dtype=None):
    def change(d):
        classes = d["estimator"]["fitted"]["classes_"]
        classes["values"] = values
        if dtype:
            classes["dtype"] = dtype
    return change


def _param(name, value):
    def change(d):
        d["estimator"]["params"][name] = value
    return change


# -- point 1: every failure is a ModelFileError -----------------------------------------------

@pytest.mark.parametrize("name, change, field", [
    ("binary", _classes([1, "a"], "object"), "estimator"),
    ("binary", _classes([1, "a"]), "estimator.fitted.classes_.values"),
    ("binary", _classes(["a", 0.5], "object"), "estimator"),
    ("multiclass", _classes([0.5, 1.5, 2.5], "<f8"), "estimator"),
    ("binary", _classes([True, 0.5], "object"), "estimator"),
    ("binary", _classes([True, 0.5], "<f8"), "estimator.fitted.classes_.values"),
    ("binary", _param("class_weight", [[[1], 2.0]]), "estimator.params.class_weight"),
    ("multiclass", _param("class_weight", [[0, 1.0], [0, 2.0]]),
     "estimator.params.class_weight[1]"),
    ("binary", _param("random_state", -1), "estimator.params.random_state"),
    ("binary", _param("random_state", 2**40), "estimator.params.random_state"),
    ("binary", _classes(["no", "yes"], "(-1,)i4"), "estimator.fitted.classes_.dtype"),
    ("multiclass", _classes([0, 1, 2], "(2,)<i8"), "estimator.fitted.classes_.dtype"),
    ("multiclass", _classes([0, 1, 2], "i4,i4"), "estimator.fitted.classes_.dtype"),
])
def test_crafted_fields_fail_as_model_file_errors(tmp_path, files, name, change, field):
    _refused(_file(tmp_path, with_description(files[name], change)), field)


@pytest.mark.parametrize("param, value", [
    ("early_stopping", "yes"), ("shuffle", [1]), ("class_weight", "evil"), ("alpha", -1.0),
    ("solver", "newton"), ("batch_size", 0), ("momentum", 2.0), ("hidden_layer_sizes", [0]),
    ("activation", "swish"), ("verbose", "loud"), ("max_iter", 0),
])
def test_parameters_fit_refuses_are_refused_by_load(tmp_path, files, param, value):
    X, y = np.zeros((4, 4)), np.array(["no", "yes", "no", "yes"])
    with pytest.raises(ValueError, match=param):
        FFNNClassifier(**{param: value}).fit(X, y)
    _refused(_file(tmp_path, with_description(files["binary"], _param(param, value))),
             "estimator", param)


# -- point 2: only what save writes -----------------------------------------------------------

def test_repeated_keys_are_refused(tmp_path, files):
    header, data = split(files["binary"])
    text = json.dumps(header)
    twice = text.replace('{"__metadata__": ', '{"__metadata__": {"ffnn": "{}"}, "__metadata__": ',
                         1)
    _refused(_file(tmp_path, join_text(twice, data)), "header", "repeats the key '__metadata__'")
    entry = json.dumps(header["layers.1.c"])
    twice = text.replace('"layers.1.c": ', f'"layers.1.c": {entry}, "layers.1.c": ', 1)
    _refused(_file(tmp_path, join_text(twice, data)), "header", "repeats the key 'layers.1.c'")
    description = header["__metadata__"]["ffnn"]
    header["__metadata__"]["ffnn"] = description.replace(
        '"kind": "classifier"', '"kind": "regressor", "kind": "classifier"')
    _refused(_file(tmp_path, join(header, data)), "description", "repeats the key 'kind'")


@pytest.mark.parametrize("shape", [[5.0, 4.0], [5, 4.0]])
def test_shapes_as_floats_are_refused(tmp_path, files, shape):
    header, data = split(files["network"])
    header["layers.1.W"]["shape"] = shape
    _refused(_file(tmp_path, join(header, data)), "tensors.layers.1.W.shape", "integers")


def test_shapes_as_booleans_are_refused(tmp_path):
    net = ffnn.Network([1, 1, 1], ["tanh", "linear"], "rss")
    header, data = split(ffnn.save(net, tmp_path / "n.ffnn").read_bytes())
    header["layers.1.W"]["shape"] = [True, True]
    _refused(_file(tmp_path, join(header, data)), "tensors.layers.1.W.shape", "integers")


def test_a_label_dtype_that_truncates_is_refused(tmp_path, files):
    raw = with_description(files["binary"], _classes(["ab", "cd"], "<U1"))
    _refused(_file(tmp_path, raw), "estimator.fitted.classes_.values", "as written")


def test_labels_converted_by_their_dtype_are_refused(tmp_path, files):
    raw = with_description(files["multiclass"], _classes([0, True, 2]))
    _refused(_file(tmp_path, raw), "estimator.fitted.classes_.values", "as written")


@pytest.mark.parametrize("name, place, field", [
    ("multiclass", lambda d: d["estimator"]["fitted"]["feature_names_in_"].__setitem__(
        0, "a\ud800"), "estimator.fitted.feature_names_in_[0]"),
    ("binary", _classes(["\udfff", "yes"]), "estimator.fitted.classes_.values[0]"),
    ("tabular", lambda d: d["tabular"]["numeric"][0].__setitem__("name", "\ud800"),
     "tabular.numeric[0].name"),
    ("tabular", lambda d: d["tabular"]["categorical"][0]["categories"].__setitem__(
        0, "\udc80"), "tabular.categorical[0].categories[0]"),
    ("tabular", lambda d: d["tabular"].__setitem__("target", "t\ud800"), "tabular.target"),
])
def test_names_holding_lone_surrogates_are_refused(tmp_path, files, name, place, field):
    _refused(_file(tmp_path, with_description(files[name], place)), field, "lone surrogate")


def test_save_refuses_names_holding_lone_surrogates(tmp_path):
    X = pd.DataFrame(np.random.default_rng(0).normal(size=(20, 2)),
                     columns=pd.Index(["ok", "bad\ud800"], dtype=object))
    model = FFNNClassifier((3,), max_iter=2).fit(X, np.arange(20) % 2)
    with pytest.raises(ValueError, match=r"feature_names_in_\[1\].*lone surrogate"):
        ffnn.save(model, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()


def _with_extra_fields(raw, n):
    header, data = split(raw)
    description = header["__metadata__"]["ffnn"]
    extra = ", ".join(f'"field_{i}": 0' for i in range(n))
    header["__metadata__"]["ffnn"] = description[:-1] + ", " + extra + "}"
    return join(header, data)


def test_messages_stay_short_whatever_the_file_holds(tmp_path, files):
    # A few thousand unknown fields: five are named, the rest counted.
    message = _refused(_file(tmp_path, _with_extra_fields(files["network"], 4000)),
                       "description", "unexpected field")
    assert "and 3995 more" in message
    # A hundred thousand: refused as the JSON is parsed, by the count of one object's keys.
    _refused(_file(tmp_path, _with_extra_fields(files["network"], 100_000)), "description",
             "has an object of 100005 keys, more than the 4096")


# -- point 3: bounded resources ---------------------------------------------------------------

def _with_categories(raw, n):
    """The command line's model with a text column of n categories, its network widened so
    that it is consistent."""
    header, data = split(raw)
    d = json.loads(header["__metadata__"]["ffnn"])
    column = d["tabular"]["categorical"][0]
    D_x = d["network"]["layer_sizes"][0] + n - len(column["categories"])
    column["categories"], column["fill"] = [f"c{i}" for i in range(n)], "c0"
    d["network"]["layer_sizes"][0] = d["estimator"]["fitted"]["n_features_in_"] = D_x
    header["__metadata__"]["ffnn"] = json.dumps(d)
    return join(*resize_input(header, data, D_x))


def test_a_million_category_column_is_refused_before_any_weight_is_read(tmp_path, files,
                                                                         monkeypatch):
    from ffnn.persistence import _read

    def read_into(*args):
        raise AssertionError("the weights were read")

    monkeypatch.setattr(_read, "read_into", read_into)
    path = _file(tmp_path, _with_categories(files["tabular"], 1_000_000))
    _refused(path, "tabular.categorical[0].categories", "1000000 categories, more than the 1000")


def test_a_column_over_fits_category_limit_is_refused(tmp_path, files):
    path = _file(tmp_path, _with_categories(files["tabular"], 1001))
    _refused(path, "tabular.categorical[0].categories", "1001 categories, more than the 1000")
    assert ffnn.load(_file(tmp_path, _with_categories(files["tabular"], 1000))).predict(
        pd.DataFrame({"size": [0.5], "colour": ["c7"]})).shape == (1,)


def test_text_columns_over_fits_one_hot_limit_are_refused(tmp_path, files):
    def eleven_columns(d):  # 11 × 1000 one-hot features: each column within its limit
        column = d["tabular"]["categorical"][0]
        column["categories"], column["fill"] = [f"c{i}" for i in range(1000)], "c0"
        d["tabular"]["categorical"] = [dict(column, name=f"t{k}") for k in range(11)]

    _refused(_file(tmp_path, with_description(files["tabular"], eleven_columns)),
             "tabular.categorical", "11000 categories in all, more than the 10000")


def _sparse_network(path, D_x, D_1, dtype="F64"):
    """A valid network file whose weights are a hole: a few KB on disk, any apparent size."""
    size = 4 if dtype == "F32" else 8
    description = {"format": "ffnn-model", "format_version": 1, "ffnn_version": ffnn.__version__,
                   "kind": "network", "network": {"layer_sizes": [D_x, D_1, 1],
                                                  "activations": ["relu", "linear"],
                                                  "loss": "rss",
                                                  "dtype": "float32" if size == 4 else "float64"}}
    header, position = {"__metadata__": {"ffnn": json.dumps(description)}}, 0
    for name, shape in [("layers.1.W", [D_1, D_x]), ("layers.1.c", [D_1]),
                        ("layers.2.W", [1, D_1]), ("layers.2.c", [1])]:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [position, position + size * int(np.prod(shape))]}
        position = header[name]["data_offsets"][1]
    raw = join(header, b"")
    path.write_bytes(raw)
    os.truncate(path, len(raw) + position)
    return position


def _peak_of_load(path):
    tracemalloc.start()
    try:
        return ffnn.load(path), tracemalloc.get_traced_memory()[1]
    except ModelFileError as error:
        return error, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_sparse_file_beyond_the_parameter_limit_is_refused_before_allocating(tmp_path):
    path = tmp_path / "big.ffnn"
    weights = _sparse_network(path, 2**14, 2**13 + 1, "F32")  # 2**27 + 2**14 weights: 512 MiB
    from ffnn.persistence._format import MAX_PARAMETERS

    assert os.stat(path).st_size > weights > 4 * MAX_PARAMETERS
    error, peak = _peak_of_load(path)
    assert isinstance(error, ModelFileError) and "network.layer_sizes" in str(error)
    assert peak < 4 * MiB


def test_a_load_holds_one_copy_of_the_weights(tmp_path):
    path = tmp_path / "sparse.ffnn"
    weights = _sparse_network(path, 2**12, 2**10)  # 32 MiB of zeros in a sparse file
    net, peak = _peak_of_load(path)
    assert isinstance(net, ffnn.Network) and not net.params.any()
    # the network's θ and its gradient vector, plus a bounded reading chunk: no second copy
    assert peak < 2 * weights + 4 * MiB


# -- point 4: special files ------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_fifo_is_refused_without_being_opened(tmp_path, files, opens):
    path = tmp_path / "pipe.ffnn"
    os.mkfifo(path)
    writer = os.open(path, os.O_RDWR | os.O_NONBLOCK)  # bytes waiting, so no open could block
    opens[:] = ["<after the writer>"]
    try:
        os.write(writer, files["network"][:4096])
        _refused(path, "file", "FIFO")
    finally:
        os.close(writer)
    assert str(path) not in opens


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_fifo_without_a_writer_does_not_block(tmp_path):
    path = tmp_path / "pipe.ffnn"
    os.mkfifo(path)
    _refused(path, "file", "FIFO")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_devices_folders_and_sockets_are_refused(tmp_path, opens):
    (tmp_path / "null.ffnn").symlink_to("/dev/null")
    _refused(tmp_path / "null.ffnn", "file", "character device")
    _refused(tmp_path, "file", "is a folder")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "socket.ffnn"))
        _refused(tmp_path / "socket.ffnn", "file", "socket")
    finally:
        server.close()
    assert not {str(tmp_path / "null.ffnn"), str(tmp_path / "socket.ffnn")} & set(opens)


# -- point 5: no silent non-finite output -----------------------------------------------------

def test_network_forward_refuses_an_overflowing_output(tmp_path):
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    net.layers[0].W[...] = 1e308
    with pytest.raises(ValueError, match="overflowed for 1 of 2 rows"):
        net.forward(np.array([[0.0, 0.0], [1.0, 1.0]]))
    loaded = ffnn.load(ffnn.save(net, tmp_path / "huge.ffnn"))  # finite weights: a valid file
    with pytest.raises(ValueError, match="overflowed"):
        loaded.forward(np.ones((1, 2)))


def _target_scaling(d):
    d["tabular"]["target_mean"], d["tabular"]["target_scale"] = 1.79e308, 1e308


def test_the_command_lines_model_refuses_an_overflowing_prediction(tmp_path, files):
    from ffnn.cli import main

    path = _file(tmp_path, with_description(files["tabular_regression"], _target_scaling))
    model = ffnn.load(path)
    frame = pd.DataFrame({"size": [0.0, 100.0], "colour": ["red", "blue"]})  # ŷ ≈ -0.6, 26
    with pytest.raises(ValueError, match="overflowed for 1 of 2 rows"):
        model.predict(frame)
    frame.to_csv(tmp_path / "rows.csv", index=False)
    assert main(["predict", str(path), str(tmp_path / "rows.csv"), "-o",
                 str(tmp_path / "out.csv")]) == 2
    assert not (tmp_path / "out.csv").exists()


def test_header_lengths_are_checked_before_reading(tmp_path, files):
    from ffnn.persistence._format import MAX_HEADER_BYTES

    length = MAX_HEADER_BYTES + 1
    path = _file(tmp_path, struct.pack("<Q", length) + files["network"][8:])
    os.truncate(path, 8 + length + MiB)  # a long enough file, all but its start a hole
    error, peak = _peak_of_load(path)
    assert isinstance(error, ModelFileError)
    assert str(error).startswith(f"{path}: header: is {length} bytes, more than the "
                                 f"{MAX_HEADER_BYTES}"), str(error)
    assert peak < MiB


def test_a_text_file_given_as_a_model_is_named_as_text(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("sepal_length;sepal_width;species\n5.1;3.5;setosa\n" * 3)
    with pytest.raises(ModelFileError, match=r"data.csv: file: is a text file \(it begins "
                                             r"'sepal_length;sepal_width;species'\), not a model"):
        ffnn.load(path)
