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


# -- descriptions that save never writes, each field consistent on its own --------------------

def _tabular(key, value, part="read"):
    def change(d):
        d["tabular"][part][key] = value
    return change


def _column(kind, key, value):
    def change(d):
        d["tabular"][kind][0][key] = value
    return change


def _fitted(**values):
    def change(d):
        d["estimator"]["fitted"].update(values)
    return change


@pytest.mark.parametrize("sep", ["\n", "\r", '"', "'"])
def test_a_separator_the_command_line_refuses_is_refused(tmp_path, files, sep):
    from ffnn.tabular import parse_separator

    with pytest.raises(ValueError):
        parse_separator(sep)
    _refused(_file(tmp_path, with_description(files["tabular"], _tabular("sep", sep))),
             "tabular", "read.sep")


def test_read_names_must_fit_the_header_and_cover_the_features(tmp_path, files):
    def options(header, names):
        def change(d):
            d["tabular"]["read"].update(header=header, names=names)
        return change

    _refused(_file(tmp_path, with_description(files["tabular"], options(True, ["size", "colour"]))),
             "tabular", "read.names")
    _refused(_file(tmp_path, with_description(files["tabular"], options(False, ["size", "x"]))),
             "tabular", "'colour'")
    # what fit records for a file without a header: every column's name, the target's too
    for names in (["size", "colour", "direction"], ["colour", "size"], None):
        raw = with_description(files["tabular"], options(False, names))
        assert ffnn.load(_file(tmp_path, raw)).read_options.names == names


def test_a_fill_that_fit_never_learns_is_refused(tmp_path, files):
    _refused(_file(tmp_path, with_description(files["tabular"],
                                              _column("categorical", "fill", "purple"))),
             "tabular", "'purple'")
    _refused(_file(tmp_path, with_description(files["tabular"], _column("numeric", "fill", 1.5))),
             "tabular", "fill")


@pytest.mark.parametrize("scale", [5e-324, 1e-310, 2.2e-308])
def test_a_scale_that_is_not_a_normal_float_is_refused(tmp_path, files, scale):
    _refused(_file(tmp_path, with_description(files["tabular"],
                                              _column("numeric", "scale", scale))),
             "tabular", "scale")


def test_standardising_that_overflows_names_the_column(tmp_path, files):
    model = ffnn.load(_file(tmp_path, with_description(files["tabular_regression"],
                                                       _column("numeric", "scale", 0.5))))
    frame = pd.DataFrame({"size": [0.0, 1.79e308], "colour": ["red", "blue"]})
    with pytest.raises(ValueError, match=r"column 'size'.* row\(s\) 2\b"):
        model.predict(frame)


def test_standardising_beyond_float32_names_the_column():
    from ffnn.tabular import Preprocessor

    frame = pd.DataFrame({"x1": [0.0, 1.0, 2.0], "x2": [1.0, 0.0, 1.0]})
    pre = Preprocessor().fit(frame)
    assert np.isfinite(pre.transform(pd.DataFrame({"x1": [1e39], "x2": [0.0]}))).all()
    with pytest.raises(ValueError, match=r"column 'x1'.*float32"):
        pre.transform(pd.DataFrame({"x1": [1.0, 1e39], "x2": [0.0, 0.0]}), np.float32)


def test_a_class_weight_fit_refuses_is_refused(tmp_path, files):
    X, y = np.zeros((4, 4)), np.array(["no", "yes", "no", "yes"])
    with pytest.raises(ValueError, match="class_weight"):
        FFNNClassifier(class_weight={"no": 1.0, "maybe": 2.0}).fit(X, y)
    with pytest.raises(ValueError, match="class_weight"):
        FFNNClassifier(class_weight={"no": -1.0, "yes": 2.0}).fit(X, y)
    for weights in ([["no", 1.0], ["maybe", 2.0]], [["maybe", 2.0]], [["no", -1.0]]):
        _refused(_file(tmp_path, with_description(files["binary"],
                                                  _param("class_weight", weights))),
                 "estimator", "class_weight")
    _refused(_file(tmp_path, with_description(files["multilabel"],
                                              _param("class_weight", [[0, 2.0]]))),
             "estimator", "class_weight")
    # every class weighted, and one more: fit takes it (as scikit-learn does), so load does
    weights = [["no", 1.0], ["yes", 2.0], ["maybe", 3.0]]
    FFNNClassifier((2,), max_iter=2, class_weight=dict(weights)).fit(X, y)
    assert ffnn.load(_file(tmp_path, with_description(
        files["binary"], _param("class_weight", weights)))).class_weight == dict(weights)


@pytest.mark.parametrize("change, match", [
    (_fitted(n_iter_=6), "n_iter_"),
    (_fitted(n_iter_=10**6), "n_iter_"),
    (_fitted(t_=2**63), "t_"),
    (_fitted(loss_curve_=[], loss_=None, best_loss_=None, n_iter_=0), "t_"),
])
def test_iteration_counts_the_curve_cannot_hold_are_refused(tmp_path, files, change, match):
    _refused(_file(tmp_path, with_description(files["regressor"], change)), "estimator", match)


def _regressor(**params):
    return ffnn.FFNNRegressor(hidden_layer_sizes=(3,), random_state=0, **params)


def test_every_iteration_count_fit_leaves_loads(tmp_path):
    # n_iter_ counts the last run's iterations (scikit-learn's warm_start and partial_fit),
    # loss_curve_ every run's; t_ only a minibatch solver's rows
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    models = []
    for solver in ("sgd", "adam", "lbfgs"):
        models.append(_regressor(solver=solver, max_iter=4).fit(X, y))
        models.append(_regressor(solver=solver, max_iter=3, warm_start=True).fit(X, y).fit(X, y))
    partial = _regressor()
    for _ in range(3):
        partial.partial_fit(X, y)
    models.append(partial)
    diverged = _regressor(solver="sgd")
    with pytest.raises(ffnn.DivergenceError):  # in its first epoch: no loss is recorded
        diverged.fit(X, y * 1e200)
    models.append(diverged)
    for model in models:
        loaded = ffnn.load(ffnn.save(model, tmp_path / "m.ffnn"))
        assert (loaded.n_iter_, loaded.t_, loaded.loss_curve_) == (
            model.n_iter_, model.t_, model.loss_curve_)
    assert {m.n_iter_ < len(m.loss_curve_) for m in models} == {True, False}
    assert diverged.loss_curve_ == [] and diverged.t_ == 0


def test_feature_names_on_a_tables_estimator_are_refused(tmp_path, files):
    names = ["size", "colour=blue", "colour=red"]
    _refused(_file(tmp_path, with_description(files["tabular"],
                                              _fitted(feature_names_in_=names))),
             "tabular", "feature_names_in_")


def test_save_refuses_a_table_model_that_load_would_refuse(tmp_path):
    from ffnn.tabular import Preprocessor, ReadOptions, TabularModel

    frame = pd.DataFrame({"size": np.arange(10.0), "colour": ["red", "blue"] * 5})
    pre = Preprocessor().fit(frame)
    X = pd.DataFrame(pre.transform(frame), columns=pre.feature_names)
    named = FFNNClassifier((2,), max_iter=2).fit(X, np.arange(10) % 2)
    with pytest.raises(ValueError, match="cannot save the model: .*feature_names_in_"):
        ffnn.save(TabularModel(named, pre, "t", "classification"), tmp_path / "m.ffnn")
    model = TabularModel(FFNNClassifier((2,), max_iter=2).fit(X.to_numpy(), np.arange(10) % 2),
                         pre, "t", "classification")
    model.read_options = ReadOptions(header=False, names=["size"])
    with pytest.raises(ValueError, match="cannot save the model: .*'colour'"):
        ffnn.save(model, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()


def test_a_label_dtype_wider_than_its_labels_is_refused_before_it_is_allocated(tmp_path, files):
    # 100,000 one-character labels in a dtype of 1024 characters: 400 MiB from 1 MiB of text
    labels = [f"{i:06d}" for i in range(100_000)]
    raw = with_description(files["multiclass"], _classes(labels, "<U1024"))
    tracemalloc.start()
    try:
        _refused(_file(tmp_path, raw), "estimator.fitted.classes_.dtype", "'<U6'")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * MiB
    _refused(_file(tmp_path, with_description(files["binary"], _classes(["a", "b"], "<U3"))),
             "estimator.fitted.classes_.dtype", "'<U1'")


def test_labels_beyond_the_limits_are_refused_by_save_as_by_load(tmp_path):
    X = np.random.default_rng(0).normal(size=(20, 2))
    long_labels = np.array(["a" * 1030, "b" * 1030])[np.arange(20) % 2]
    model = FFNNClassifier((2,), max_iter=2, random_state=0).fit(X, long_labels)
    with pytest.raises(ValueError, match="labels of 4120 bytes"):
        ffnn.save(model, tmp_path / "long.ffnn")
    assert not (tmp_path / "long.ffnn").exists()


def test_hidden_layer_sizes_as_text_are_refused_for_a_network_without_hidden_layers(tmp_path):
    # list("") is no hidden layer: the file loaded, and save then failed on it
    X, y = np.random.default_rng(0).normal(size=(20, 2)), np.arange(20) % 2
    raw = ffnn.save(FFNNClassifier((), max_iter=2, random_state=0).fit(X, y),
                    tmp_path / "linear.ffnn").read_bytes()
    _refused(_file(tmp_path, with_description(raw, _param("hidden_layer_sizes", ""))),
             "estimator", "hidden_layer_sizes")


@pytest.mark.parametrize("fields, match", [
    (dict(validation_scores_=[0.5], validation_loss_curve_=None), "validation_loss_curve_"),
    (dict(validation_scores_=None, validation_loss_curve_=[0.5]), "validation_loss_curve_"),
    (dict(validation_scores_=[0.5] * 9, validation_loss_curve_=[0.1] * 9,
          best_validation_score_=0.5), "at most the 5"),
    (dict(validation_scores_=[0.5, 0.7], validation_loss_curve_=[0.1, 0.2],
          best_validation_score_=None), "best of validation_scores_ is 0.7"),
    (dict(validation_scores_=[0.5, 0.7], validation_loss_curve_=[0.1, 0.2],
          best_validation_score_=0.5), "best of validation_scores_ is 0.7"),
])
def test_validation_curves_fit_never_records_are_refused(tmp_path, files, fields, match):
    # a regressor fitted for 5 epochs without validation: the file loaded, dropping or keeping
    # curves that disagreed
    _refused(_file(tmp_path, with_description(files["regressor"], _fitted(**fields))),
             "estimator", match)


def test_validation_curves_shorter_than_the_loss_curve_are_taken_as_its_last_epochs(tmp_path,
                                                                                     files):
    """A file listing fewer scores than epochs (the scored epochs one after the other) loads
    with each curve aligned to loss_curve_, the scores as its last epochs', the others NaN:
    a warm start with validation rows then scored epochs 6 to 8 as entries 2 to 4."""
    fields = dict(validation_scores_=[0.5, 0.7], validation_loss_curve_=[0.1, 0.2],
                  best_validation_score_=0.7)
    model = ffnn.load(_file(tmp_path, with_description(files["regressor"], _fitted(**fields))))
    assert len(model.loss_curve_) == 5
    np.testing.assert_array_equal(model.validation_scores_, [np.nan] * 3 + [0.5, 0.7])
    np.testing.assert_array_equal(model.validation_loss_curve_, [np.nan] * 3 + [0.1, 0.2])
    assert model.best_validation_score_ == 0.7


@pytest.mark.parametrize("name, value", [("binary", False), ("multiclass", True),
                                         ("multilabel", "yes"), ("multilabel", 1)])
def test_the_sparse_flag_of_multilabel_targets_is_refused_elsewhere(tmp_path, files, name,
                                                                    value):
    _refused(_file(tmp_path, with_description(files[name], _fitted(sparse_y=value))),
             "estimator")


def test_a_multilabel_file_without_the_sparse_flag_loads_as_dense(tmp_path, files):
    def drop(d):
        del d["estimator"]["fitted"]["sparse_y"]
    model = ffnn.load(_file(tmp_path, with_description(files["multilabel"], drop)))
    assert isinstance(model.predict(np.zeros((2, 4))), np.ndarray)


@pytest.mark.parametrize("field, value", [
    ("sha256", "a" * 64 + "\n"),
    ("test_sha256", "b" * 64 + "\n"),
    ("seen_hashes", "ffffffffffffffff\n"),
], ids=["sha256", "test_sha256", "seen_hashes"])
def test_a_fingerprint_with_a_line_end_after_its_digits_is_refused(tmp_path, files, field,
                                                                     value):
    # the digits' pattern ended in "$", which also matches before a final line end: the file
    # loaded, and its training or test file was then never recognised by its fingerprint
    def change(d):
        data = d["tabular"]["data"]
        if field == "seen_hashes":
            data[field][-1] = value
        else:
            data[field] = value
            data["test_name"] = data["test_name"] or "test.csv"
            data["test_sha256"] = data["test_sha256"] or "c" * 64
    _refused(_file(tmp_path, with_description(files["tabular"], change)), "tabular",
             "hexadecimal digits")


def test_more_distinct_rows_than_trained_or_validated_are_refused(tmp_path, files):
    # the file loaded, and a table's overlap with the training rows was then scaled up from
    # the kept sample by rows the model never had: up to every row of any table
    def change(d):
        data = d["tabular"]["data"]
        data["seen_hashes"] = [f"{k:016x}" for k in range(2048)]
        data["seen_rows"] = 10**6
    _refused(_file(tmp_path, with_description(files["tabular"], change)), "tabular",
             "seen_rows")


@pytest.mark.parametrize("where, value", [
    ("stopped", "trained all 5 epochs\x1b]0;title\x07\x1b[2J"),
    ("stopped", "trained all 5 epochs\nkept the weights of epoch 5"),
    ("stopped", "x" * 100_000),
    ("metric", "accuracy\x1b[8m"),
    ("metric", "m" * 10_000),
], ids=["escape", "line end", "long", "metric escape", "metric long"])
def test_recorded_text_fit_never_writes_is_refused(tmp_path, files, where, value):
    # `ffnn summary` printed it as it was: a terminal's control sequences (a window title, a
    # cleared screen, hidden text), many lines, or megabytes of one line
    def change(d):
        if where == "stopped":
            d["tabular"]["training"]["stopped"] = value
        else:
            d["tabular"]["metrics"]["training"][value] = 0.5
    _refused(_file(tmp_path, with_description(files["tabular"], change)), "tabular",
             "one line of printable text")


def test_names_from_a_model_file_are_printed_with_control_characters_escaped(tmp_path, files,
                                                                            capsys):
    from cli_runs import run

    def change(d):
        d["tabular"]["numeric"][0]["name"] = "size\x1b[2J"
        d["tabular"]["data"]["name"] = "t\x1b]0;title\x07.csv"
    status, out, _ = run(capsys, "summary", _file(tmp_path, with_description(files["tabular"],
                                                                              change)))
    assert status == 0 and "\x1b" not in out and "\x07" not in out
    assert "size\\x1b[2J" in out and "t\\x1b]0;title\\x07.csv" in out


def test_feature_names_fit_never_records_twice_are_refused(tmp_path, files):
    # fit refuses a table that names a column twice; the file loaded
    _refused(_file(tmp_path, with_description(files["multiclass"], _fitted(
        feature_names_in_=["a", "a", "b", "c"]))), "estimator", "distinct")
