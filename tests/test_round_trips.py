"""Model files give back the model that was saved: every fitted attribute, parameter and
prediction of every kind of model, the numbers of its training history included, and its
summary."""

import pickle
import re
import warnings
from unittest import mock

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor
from ffnn.training.epochs import NumpyEpochs

# scikit-learn's fitted attributes of an MLP, and ffnn's own (stop_reason_ is None after a load,
# as documented)
ATTRIBUTES = ("coefs_", "intercepts_", "n_iter_", "t_", "loss_", "loss_curve_", "best_loss_",
              "validation_scores_", "best_validation_score_", "classes_", "n_features_in_",
              "feature_names_in_", "out_activation_", "n_layers_", "n_outputs_",
              "validation_loss_curve_", "interrupted_")


def _same(a, b):
    """Equal values of equal types, NaN equal to NaN and inf only to inf."""
    if isinstance(a, (list, tuple)) and type(a) is type(b):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    return type(a) is type(b) and a == b


def _differences(model, loaded, X, y):
    """The attributes, parameters and answers in which `loaded` differs from `model`."""
    missing = object()
    names = sorted(set(ATTRIBUTES) | {k for k in vars(model) if k.endswith("_")
                                      and not k.startswith("_")} - {"network_", "stop_reason_"})
    found = [name for name in names
             if not _same(getattr(model, name, missing), getattr(loaded, name, missing))]
    found += [f"get_params()[{k!r}]" for k, v in model.get_params().items()
              if not _same(v, loaded.get_params()[k])]
    for method in ("predict", "predict_proba", "predict_log_proba"):
        if hasattr(model, method) and not _same(getattr(model, method)(X),
                                                getattr(loaded, method)(X)):
            found.append(method)
    if model.score(X, y) != loaded.score(X, y):
        found.append("score")
    if ffnn.summary(model) != ffnn.summary(loaded):
        found.append("summary")
    return found


def _round_trip(model, tmp_path):
    return ffnn.load(ffnn.save(model, tmp_path / "model.ffnn"))


@pytest.fixture()
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, X @ [1.0, -2.0, 0.5]


def _diverged_warm_start(X, y):
    """A regressor whose warm start diverged to an infinite loss after scored epochs: early
    stopping keeps the best-scoring weights, and the curves record the epoch that diverged."""
    model = FFNNRegressor(solver="sgd", early_stopping=True, max_iter=3, hidden_layer_sizes=(4,),
                          random_state=0, validation_fraction=0.25, warm_start=True)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    model.set_params(learning_rate_init=1e100)
    with pytest.warns(UserWarning, match="kept"):
        model.fit(X, y)
    return model


def test_an_infinite_loss_in_the_history_comes_back_infinite_not_nan(tmp_path, data):
    model = _diverged_warm_start(*data)
    assert model.loss_ == np.inf and model.loss_curve_[-1] == np.inf  # as the fit left them
    loaded = _round_trip(model, tmp_path)
    assert loaded.loss_ == np.inf and loaded.loss_curve_[-1] == np.inf
    assert loaded.loss_curve_[:-1] == model.loss_curve_[:-1]
    assert _differences(model, loaded, *data) == []
    assert "last epoch's loss inf" in ffnn.summary(loaded)


def test_the_best_loss_of_a_fit_interrupted_in_its_first_epoch_stays_infinite(tmp_path, data):
    # Ctrl-C during the first epoch: no loss recorded, so the best loss is still infinite. A
    # missing best_loss_ would instead say that early stopping chose the weights.
    def interrupted(self, optimizer):
        raise KeyboardInterrupt

    with mock.patch.object(NumpyEpochs, "epoch", interrupted), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FFNNRegressor(max_iter=3, hidden_layer_sizes=(4,), random_state=0).fit(*data)
    assert (model.interrupted_, model.loss_curve_, model.best_loss_) == (1, [], np.inf)
    loaded = _round_trip(model, tmp_path)
    assert loaded.best_loss_ == np.inf
    assert _differences(model, loaded, *data) == []


def _rewritten(path, change):
    """The model file at `path`, its description changed by `change(description)`."""
    import json
    import struct

    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    description = json.loads(header["__metadata__"]["ffnn"])
    change(description)
    header["__metadata__"]["ffnn"] = json.dumps(description)
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + length:])
    return path


@pytest.mark.parametrize("field, value, problem", [
    ("loss_curve_", "-inf", r"loss_curve_\[4\]: must be a finite number, \"inf\" or null"),
    ("validation_scores_", "inf", r"validation_scores_\[4\]: must be a finite number, "
                                  r"\"-inf\" or null"),
    ("loss_", "-inf", "loss_: must be an integer or a number, got str"),
    ("loss_curve_", "Infinity", r"loss_curve_\[4\]: must be a finite number"),
])
def test_only_a_loss_may_be_inf_and_only_a_score_minus_inf(tmp_path, data, field, value,
                                                            problem):
    path = ffnn.save(_diverged_warm_start(*data), tmp_path / "model.ffnn")

    def change(description):
        fitted = description["estimator"]["fitted"]
        if isinstance(fitted[field], list):
            fitted[field][-1] = value
        else:
            fitted[field] = value

    with pytest.raises(ffnn.ModelFileError, match=problem):
        ffnn.load(_rewritten(path, change))


def test_an_infinite_number_is_written_as_the_text_inf_and_nan_as_null(tmp_path, data):
    import json
    import struct

    path = ffnn.save(_diverged_warm_start(*data), tmp_path / "model.ffnn")
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    fitted = json.loads(json.loads(raw[8:8 + length])["__metadata__"]["ffnn"])[
        "estimator"]["fitted"]
    assert fitted["loss_"] == "inf" and fitted["loss_curve_"][-1] == "inf"
    assert fitted["validation_scores_"][-1] is None  # NaN: the diverged epoch has no score


def _quietly(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (ConvergenceWarning of the few epochs)
        return fit(*args, **kwargs)


SMALL = dict(hidden_layer_sizes=(4,), max_iter=6, random_state=0)


@pytest.mark.parametrize("solver", ["adam", "sgd", "gd", "lbfgs"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("loss, outputs", [("squared_error", 1), ("squared_error", 2),
                                           ("poisson", 1)])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_regressor_comes_back_whole(tmp_path, data, solver, dtype, loss, outputs,
                                      early_stopping):
    X, y = data
    X = X.astype(dtype)
    y = np.abs(y) if loss == "poisson" else y
    y = np.c_[y, X[:, 0] ** 2] if outputs == 2 else y
    model = _quietly(FFNNRegressor(solver=solver, loss=loss, early_stopping=early_stopping,
                                   **SMALL).fit, X, y)
    loaded = _round_trip(model, tmp_path)
    assert _differences(model, loaded, X, y) == []
    assert loaded.predict(X).dtype == dtype


LABELS = {  # y from a boolean rule, as each kind of label
    "int": lambda b: b.astype(int), "bool": lambda b: b, "str": lambda b: np.where(b, "yes", "no"),
    "float": lambda b: b * 2.0, "object": lambda b: np.where(b, "yes", "no").astype(object),
    "uint8": lambda b: b.astype(np.uint8), "float32": lambda b: (b * 3.0).astype(np.float32),
    "negative": lambda b: np.where(b, -3, 7), "one class": lambda b: np.full(len(b), "only"),
}


@pytest.mark.parametrize("labels", LABELS)
@pytest.mark.parametrize("solver, dtype, early_stopping", [
    ("adam", np.float64, False), ("sgd", np.float32, True), ("gd", np.float32, False),
    ("lbfgs", np.float64, True)])
def test_a_binary_classifier_comes_back_whole(tmp_path, data, labels, solver, dtype,
                                              early_stopping):
    X = data[0].astype(dtype)
    y = LABELS[labels](X[:, 0] > 0)
    model = _quietly(FFNNClassifier(solver=solver, early_stopping=early_stopping, **SMALL).fit,
                     X, y)
    loaded = _round_trip(model, tmp_path)
    assert _differences(model, loaded, X, y) == []
    assert loaded.classes_.dtype == model.classes_.dtype


@pytest.mark.parametrize("kind", ["multiclass", "multilabel", "class_weight dict",
                                  "class_weight balanced", "class_weight of text labels",
                                  "data frame", "validation_data"])
def test_other_classifiers_come_back_whole(tmp_path, data, kind):
    import pandas as pd

    X, _ = data
    codes = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    y, fit, params = np.array(["a", "bb", "ccc"])[codes], {}, {}
    if kind == "multilabel":
        y = np.c_[X[:, 0] > 0, X[:, 1] > 0, X[:, 2] > 0].astype(int)
    elif kind == "class_weight dict":
        y, params = codes, {"class_weight": {0: 2, 1: 1.5, 2: 1}}
    elif kind == "class_weight balanced":
        params = {"class_weight": "balanced"}
    elif kind == "class_weight of text labels":
        params = {"class_weight": {"a": 3.0, "bb": 1.0, "ccc": 1.0}}
    elif kind == "data frame":
        X = pd.DataFrame(X, columns=["first", "second", "third"])
    elif kind == "validation_data":
        fit = {"validation_data": (X[:10], y[:10])}
    model = _quietly(FFNNClassifier(**params, **SMALL).fit, X, y, **fit)
    loaded = _round_trip(model, tmp_path)
    assert _differences(model, loaded, X, y) == []


def test_a_model_interrupted_from_its_callback_comes_back_with_the_epoch_it_stopped_in(
        tmp_path, data):
    def stop(info):
        if info.epoch == 3:
            raise KeyboardInterrupt

    model = _quietly(FFNNRegressor(early_stopping=True, **SMALL).fit, *data, callback=stop)
    loaded = _round_trip(model, tmp_path)
    assert (loaded.interrupted_, loaded.n_iter_) == (4, 3)
    assert _differences(model, loaded, *data) == []


@pytest.mark.parametrize("solver", ["gd", "lbfgs", "adam", "sgd"])
@pytest.mark.parametrize("Estimator", [FFNNRegressor, FFNNClassifier])
def test_a_warm_start_after_a_load_goes_on_from_the_loaded_weights(tmp_path, data, solver,
                                                                   Estimator):
    # one batch in the order given and scored on given rows: nothing random, and a warm start
    # builds a fresh optimizer whether loaded or not, so both go on alike
    X, y = data
    y = y if Estimator is FFNNRegressor else y > 0
    params = dict(SMALL, solver=solver, shuffle=False, batch_size=len(X), tol=0,
                  learning_rate_init=0.01, early_stopping=True, warm_start=True)
    given = {"validation_data": (X[:10], y[:10])}
    model = _quietly(Estimator(**params).fit, X, y, **given)
    loaded = _round_trip(model, tmp_path)
    _quietly(model.fit, X, y, **given)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded.fit(X, y, **given)
    said = [str(w.message) for w in caught if "loaded from a model file" in str(w.message)]
    assert len(said) == (solver != "lbfgs")
    assert len(loaded.loss_curve_) == 2 * params["max_iter"]
    assert _differences(model, loaded, X, y) == []


@pytest.mark.parametrize("solver, momentum", [("gd", 0.9), ("sgd", 0.0)])
def test_partial_fit_after_a_load_matches_where_the_solver_keeps_no_state(tmp_path, data,
                                                                          solver, momentum):
    # gd's partial_fit and SGD without momentum at a constant rate have no optimizer state
    # to lose; Adam's moments and SGD's velocity are not saved (see ffnn.load)
    params = dict(SMALL, solver=solver, momentum=momentum, shuffle=False,
                  learning_rate_init=0.01)
    model = _quietly(FFNNRegressor(**params).fit, *data)
    loaded = _round_trip(model, tmp_path)
    model.partial_fit(*data)
    with pytest.warns(UserWarning, match="loaded from a model file"):
        loaded.partial_fit(*data)
    assert _differences(model, loaded, *data) == []


@pytest.mark.parametrize("activations, loss, outputs", [
    (["relu", "linear"], "rss", 1), (["sigmoid", "sigmoid"], "log_loss", 1),
    (["tanh", "softmax"], "cross_entropy", 3), (["leaky_relu", "exp"], "poisson", 1),
    (["relu", "tanh", "linear"], "squared_error", 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_network_comes_back_whole(tmp_path, data, activations, loss, outputs, dtype):
    X = data[0]
    sizes = [3] + [5] * (len(activations) - 1) + [outputs]
    net = ffnn.Network(sizes, activations, loss, random_state=0, dtype=dtype)
    loaded = _round_trip(net, tmp_path)
    assert loaded.layer_sizes == net.layer_sizes and loaded.dtype == net.dtype
    assert [repr(f) for f in loaded.activations] == [repr(f) for f in net.activations]
    assert loaded.loss_function.name == loss
    assert _same(loaded.forward(X), net.forward(X))
    assert ffnn.summary(loaded) == ffnn.summary(net)


def test_a_leaky_relu_of_another_slope_is_refused_not_saved_as_the_default(tmp_path):
    from ffnn.activations import LeakyReLU

    net = ffnn.Network([3, 4, 1], [LeakyReLU(0.2), "linear"], "rss", random_state=0)
    with pytest.raises(ValueError, match=r"custom activation LeakyReLU\(slope=0.2\)"):
        ffnn.save(net, tmp_path / "model.ffnn")
    assert not (tmp_path / "model.ffnn").exists()


def test_a_pipeline_is_refused_naming_its_last_step(tmp_path, data):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = _quietly(make_pipeline(StandardScaler(), FFNNRegressor(**SMALL)).fit, *data)
    with pytest.raises(ValueError, match=r"save its last step, ffnn.save\(pipe\[-1\], path\)"):
        ffnn.save(pipe, tmp_path / "model.ffnn")
    loaded = _round_trip(pipe[-1], tmp_path)
    assert _differences(pipe[-1], loaded, *data) == []


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_model_of_the_compiled_engine_comes_back_whole(tmp_path, data, solver):
    pytest.importorskip("jax")
    X, y = data
    y = np.where(y > 0, "up", "down")
    model = _quietly(FFNNClassifier(backend="jax", solver=solver, **SMALL).fit,
                     X.astype(np.float32), y)
    loaded = _round_trip(model, tmp_path)
    assert loaded.backend == "jax"
    assert _differences(model, loaded, X.astype(np.float32), y) == []


@pytest.mark.parametrize("kind", ["array", "data frame"])
def test_a_model_fitted_on_dask_inputs_comes_back_whole(tmp_path, client, kind):
    import dask.array as da
    import dask.dataframe as dd
    import pandas as pd

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.where(X[:, 0] > 0, "p", "n")
    Xd = da.from_array(X, chunks=(10, 3))
    if kind == "data frame":
        X = pd.DataFrame(X, columns=["a", "b", "c"])
        Xd = dd.from_pandas(X, npartitions=4)
    model = _quietly(FFNNClassifier(solver="gd", **SMALL).fit, Xd, da.from_array(y, chunks=10))
    loaded = _round_trip(model, tmp_path)
    assert _differences(model, loaded, X, y) == []
    np.testing.assert_array_equal(loaded.predict(Xd).compute(), model.predict(X))


def _table(path, sep=",", header=True):
    """A small table with a text column, missing values (one marked '?') and an identifier."""
    rng = np.random.default_rng(1)
    n = 40
    x1, x2 = rng.normal(size=n).round(3), rng.normal(size=n).round(3)
    color = rng.choice(["red", "green", "blue"], size=n)
    y = (2 * x1 - x2 + (color == "red")).round(3)
    rows = [[f"{a}", "" if i in (3, 7) else f"{b}", c, str(i), f"{t}", "pos" if t > 0 else "neg"]
            for i, (a, b, c, t) in enumerate(zip(x1, x2, color, y))]
    rows[5][0] = "?"
    lines = ([sep.join(["x1", "x2", "color", "id", "y", "label"])] if header else []) + [
        sep.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


SEPARATORS = {",": ",", ";": ";", "tab": "\t"}


@pytest.mark.parametrize("target, sep, options", [
    ("y", ",", ["--drop", "id,label", "--dtype", "float32"]),
    ("label", ",", ["--drop", "id,y", "--solver", "lbfgs", "--early-stopping"]),
    ("label", ";", ["--drop", "id", "--drop", "y", "--sep", ";"]),
    ("y", "tab", ["--no-header", "--names", "x1,x2,color,id,y,label", "--drop", "id,label",
                  "--sep", "tab"]),
])
def test_a_command_line_model_predicts_alike_wherever_its_file_is_and_in_python(
        tmp_path, capsys, monkeypatch, target, sep, options):
    import shutil

    import pandas as pd
    from cli_runs import run

    data = _table(tmp_path / "data.csv", SEPARATORS[sep], header="--no-header" not in options)
    model = tmp_path / "model.ffnn"
    status, _, err = run(capsys, "fit", data, "--target", target, "--impute", "--na-values", "?",
                         "--hidden", "4", "--epochs", "8", "-q", *options, "-o", model)
    assert status == 0, err
    given = ["--sep", sep] if "--sep" in options else []
    assert run(capsys, "predict", model, data, *given, "-o", tmp_path / "p1.csv")[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(model, elsewhere / "copy.ffnn")
    monkeypatch.chdir(elsewhere)
    assert run(capsys, "predict", "copy.ffnn", data, *given, "-o", "p2.csv")[0] == 0
    before = (tmp_path / "p1.csv").read_bytes()
    assert (elsewhere / "p2.csv").read_bytes() == before

    loaded = ffnn.load(elsewhere / "copy.ffnn")
    header = 0 if loaded.read_options.header else None
    frame = pd.read_csv(data, sep=SEPARATORS[sep], na_values=["?"], header=header,
                        names=loaded.read_options.names)
    printed = pd.read_csv(tmp_path / "p1.csv")[target].to_numpy()
    predicted = loaded.predict(frame)
    if loaded.task == "regression":  # (the CSV file holds each float as repr writes it)
        np.testing.assert_array_equal(predicted, printed)
    else:
        assert list(predicted) == list(printed)
    # saved again from Python, the same bytes
    assert ffnn.save(loaded, tmp_path / "again.ffnn").read_bytes() == model.read_bytes()

    status, out, _ = run(capsys, "summary", "copy.ffnn")
    estimator = loaded.estimator
    unit = "iteration" if estimator.solver == "lbfgs" else "epoch"
    assert f"total parameters: {estimator.network_.params.size} " in out
    assert f"trained: solver {estimator.solver}, {estimator.n_iter_} {unit}s, last {unit}'s loss " \
           f"{estimator.loss_:.6g}" in out
    assert f"best validation score {estimator.best_validation_score_:.4f}" in out
    assert f"max {unit}s 8, seed 0" in out
    assert f"dtype: {estimator.network_.dtype.name}" in out


@pytest.mark.parametrize("sizes", [4, np.int64(4), (4, 3)])
def test_hidden_layer_sizes_come_back_as_given(tmp_path, data, sizes):
    model = _quietly(FFNNRegressor(hidden_layer_sizes=sizes, max_iter=3, random_state=0).fit,
                     *data)
    loaded = _round_trip(model, tmp_path)
    assert loaded.hidden_layer_sizes == sizes
    assert type(loaded.hidden_layer_sizes) is (tuple if isinstance(sizes, tuple) else int)
    assert _same(loaded.predict(data[0]), model.predict(data[0]))


@pytest.mark.parametrize("name, value, params", [
    ("validation_fraction", np.float32(0.2), {"early_stopping": True}),
    ("power_t", np.float32(0.3), {"solver": "sgd", "learning_rate": "invscaling"}),
    ("tol", np.float16(0.1), {}),
])
def test_a_parameter_given_as_a_numpy_float32_trains_alike_after_a_load(tmp_path, name, value,
                                                                        params):
    # fit computes with such a parameter in its own precision, as scikit-learn does (0.2 of 10
    # rows holds out ceil(float32(0.2) · 10) = 2, where the float64 0.20000000298 makes it 3)
    from sklearn.base import clone

    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 2))
    y = X[:, 0]
    model = _quietly(FFNNRegressor(**{name: value}, **params, **SMALL).fit, X, y)
    loaded = _round_trip(model, tmp_path)
    assert type(getattr(loaded, name)) is type(value) and getattr(loaded, name) == value
    refitted = _quietly(clone(model).fit, X, y)
    assert _differences(refitted, _quietly(clone(loaded).fit, X, y), X, y) == []


@pytest.mark.parametrize("written, problem", [
    ({"float32": 0.1}, "0.1 is not a float32 number"),
    ({"float32": 1e300}, "is not a float32 number"),
    ({"float32": "0.2"}, "must be a finite number"),
    ({"float64": 0.2}, "must be a number, or an object of one number named float32 or float16"),
    ({"float32": 0.25, "float16": 0.25}, "must be a number, or an object of one number"),
])
def test_a_narrow_float_parameter_must_be_what_save_writes(tmp_path, data, written, problem):
    model = _quietly(FFNNRegressor(alpha=np.float32(0.25), **SMALL).fit, *data)
    path = ffnn.save(model, tmp_path / "model.ffnn")

    def change(description):
        assert description["estimator"]["params"]["alpha"] == {"float32": 0.25}
        description["estimator"]["params"]["alpha"] = written

    with pytest.raises(ffnn.ModelFileError, match=f"estimator.params.alpha.*{problem}"):
        ffnn.load(_rewritten(path, change))


def test_class_weights_given_as_whole_numbers_come_back_as_whole_numbers(tmp_path, data):
    X, y = data[0], data[0][:, 0] > 0
    model = _quietly(FFNNClassifier(class_weight={True: 3, False: np.int64(1)}, **SMALL).fit,
                     X, y)
    loaded = _round_trip(model, tmp_path)
    assert repr(loaded.class_weight) == "{True: 3, False: 1}"
    assert _differences(model, loaded, X, y) == []


def test_a_parameter_no_model_file_can_keep_is_refused_by_name(tmp_path, data):
    model = _quietly(FFNNRegressor(alpha=np.longdouble(0.1), **SMALL).fit, *data)
    with pytest.raises(ValueError, match=r"cannot save the model: alpha is a NumPy (float128|"
                                         r"longdouble).*set_params\(alpha=float"):
        ffnn.save(model, tmp_path / "model.ffnn")
    assert not (tmp_path / "model.ffnn").exists()


def _spelled_apart(tmp_path, capsys):
    """A command-line model whose classes are numbers spelled apart in its file ('007' and '7'),
    which it keeps as text, and its training file."""
    from cli_runs import run

    rng = np.random.default_rng(3)
    x = rng.normal(size=60).round(3)
    labels = np.array(["007", "7", "10"])[np.digitize(x, [-0.5, 0.5])]
    data = tmp_path / "data.csv"
    data.write_text("x,y\n" + "".join(f"{a},{b}\n" for a, b in zip(x, labels)))
    status, _, err = run(capsys, "fit", data, "--target", "y", "--hidden", "3", "--epochs", "5",
                         "-q", "-o", tmp_path / "model.ffnn")
    assert status == 0, err
    return ffnn.load(tmp_path / "model.ffnn"), data


def test_scoring_labels_read_as_numbers_that_name_two_classes_spelled_apart_is_refused(
        tmp_path, capsys):
    import pandas as pd

    model, data = _spelled_apart(tmp_path, capsys)
    assert list(model.classes_) == ["007", "10", "7"]
    as_text = pd.read_csv(data, dtype={"y": str})
    expected = float(np.mean(model.predict(as_text) == as_text["y"].to_numpy()))
    assert model.score(as_text) == expected
    # pandas reads 007 and 7 alike, as 7: which class each row names is lost
    with pytest.raises(ValueError, match=r"7 names the classes '007' and '7'.*as text"):
        model.score(pd.read_csv(data))
    # a number that names one class names it
    assert model.score(as_text, y=np.where(as_text["y"] == "10", 10, as_text["y"])) == expected


def test_a_number_names_the_text_class_that_spells_its_value():
    import pandas as pd

    from ffnn.tabular import class_codes

    classes = np.array(["007", "10", str(2**60 + 1)])
    labels = pd.Series([7, 10.0, "7", np.nan, 2**60 + 1, 2.5, "10"], dtype=object)
    np.testing.assert_array_equal(class_codes(labels, classes), [0, 1, -1, -1, 2, -1, 1])
    with pytest.raises(ValueError, match=r"the label 7 names the classes '007' and '7'"):
        class_codes(labels, np.array(["007", "10", "7"]))


def test_the_summary_of_a_model_file_saved_from_python_gives_its_attributes(tmp_path, capsys,
                                                                             data):
    from cli_runs import run

    model = _quietly(FFNNRegressor(hidden_layer_sizes=4, solver="sgd", learning_rate_init=0.05,
                                   batch_size=8, alpha=0.01, max_iter=5,
                                   random_state=3).fit, *data)
    path = ffnn.save(model, tmp_path / "model.ffnn")
    status, out, _ = run(capsys, "summary", path)
    assert status == 0
    assert out.startswith(str(ffnn.summary(model)) + "\n")
    assert "total parameters: 21 (16 weights, 5 biases)" in out
    assert f"trained: solver sgd, 5 epochs, last epoch's loss {model.loss_:.6g}" in out
    assert out.endswith("settings: hidden 4, activation relu, solver sgd, learning rate 0.05, "
                        "batch size 8, alpha 0.01, max epochs 5, seed 3\n")


def test_what_a_file_keeps_of_parameters_it_cannot_hold_as_given(tmp_path, data):
    # as the README says: a random stream is not kept, and JSON has only lists
    model = _quietly(FFNNRegressor(hidden_layer_sizes=[4, 3], activation=("tanh", "relu"),
                                   random_state=np.random.RandomState(0), max_iter=3).fit, *data)
    loaded = _round_trip(model, tmp_path)
    assert (loaded.random_state, loaded.hidden_layer_sizes, loaded.activation) == (
        None, (4, 3), ["tanh", "relu"])
    assert _same(loaded.predict(data[0]), model.predict(data[0]))


@pytest.mark.parametrize("labels", [
    np.array(["2020-01-01", "2021-06-30"], dtype="datetime64[D]"),
    np.array([1, 90], dtype="timedelta64[s]")])
def test_labels_that_are_dates_or_durations_are_refused_by_save_in_plain_words(tmp_path, data,
                                                                              labels):
    # fit takes them as labels (as scikit-learn does); a model file keeps numbers, text and
    # booleans only, and pickle keeps the model whole
    X = data[0]
    model = _quietly(FFNNClassifier(**SMALL).fit, X, labels[(X[:, 0] > 0).astype(int)])
    said = rf"cannot save the model: its classes_ are {re.escape(str(labels.dtype))} \("
    with pytest.raises(ValueError, match=said + r".*numbers, text or booleans.*pickle"):
        ffnn.save(model, tmp_path / "model.ffnn")
    assert not (tmp_path / "model.ffnn").exists()
    assert _differences(model, pickle.loads(pickle.dumps(model)), X,
                        model.predict(X)) == []
