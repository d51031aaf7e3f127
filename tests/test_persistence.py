"""Model files: exact round trips, and refusal of anything that is not a model ffnn wrote."""

import contextlib
import copy
import json
import os
import pickle
import stat
import struct
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_multilabel_classification, make_regression

import ffnn
from ffnn import FFNNClassifier, FFNNRegressor, ModelFileError


def _header(path):
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def _write(path, header, data):
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)


def _rewrite_description(path, change):
    header, data = _header(path)
    description = json.loads(header["__metadata__"]["ffnn"])
    change(description)
    header["__metadata__"]["ffnn"] = json.dumps(description)
    _write(path, header, data)


@pytest.fixture()
def classifier():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    return FFNNClassifier(hidden_layer_sizes=(7,), max_iter=30, random_state=0).fit(X, labels), X


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_estimators_round_trip_bit_identically(tmp_path, dtype):
    X, y = make_regression(n_samples=80, n_features=4, n_targets=2, random_state=0)
    X = X.astype(dtype)
    models = [
        FFNNRegressor(hidden_layer_sizes=(6, 5), max_iter=20, random_state=0).fit(X, y),
        FFNNClassifier(max_iter=20, random_state=0).fit(X, y[:, 0] > 0),
        FFNNClassifier(max_iter=20, random_state=0).fit(X, np.digitize(y[:, 0], [-50, 50])),
        FFNNClassifier(max_iter=20, random_state=0).fit(
            X, make_multilabel_classification(n_samples=80, n_classes=3, random_state=0)[1]),
        FFNNRegressor(loss="poisson", solver="lbfgs", max_iter=20, random_state=0).fit(
            X, np.random.default_rng(0).poisson(2.0, size=80)),
    ]
    for k, model in enumerate(models):
        path = ffnn.save(model, tmp_path / f"m{k}.ffnn")
        loaded = ffnn.load(path)
        assert type(loaded) is type(model)
        assert loaded.get_params() == model.get_params()
        assert all(c.dtype == dtype for c in loaded.coefs_)
        np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
        if hasattr(model, "predict_proba"):
            np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
            np.testing.assert_array_equal(loaded.classes_, model.classes_)
            assert loaded.classes_.dtype == model.classes_.dtype
        assert loaded.loss_curve_ == model.loss_curve_ and loaded.n_iter_ == model.n_iter_


def test_sparse_multilabel_targets_are_predicted_sparse_after_a_load(tmp_path):
    from scipy import sparse

    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    for kind in (sparse.csr_matrix, np.asarray):
        model = FFNNClassifier((5,), max_iter=10, random_state=0).fit(X, kind(Y))
        loaded = ffnn.load(ffnn.save(model, tmp_path / "m.ffnn"))
        before, after = model.predict(X), loaded.predict(X)
        assert type(after) is type(before)  # as scikit-learn's: y's own kind
        np.testing.assert_array_equal(sparse.csr_matrix(after).toarray(),
                                      sparse.csr_matrix(before).toarray())


def test_loaded_estimator_keeps_training(tmp_path, classifier):
    model, X = classifier
    loaded = ffnn.load(ffnn.save(model, tmp_path / "m.ffnn"))
    loaded.partial_fit(X, model.predict(X))
    assert loaded.score(X, model.predict(X)) > 0.5


def test_network_round_trip(tmp_path):
    net = ffnn.Network([3, 5, 2], ["tanh", "softmax"], "cross_entropy", random_state=1,
                       dtype="float32")
    loaded = ffnn.load(ffnn.save(net, tmp_path / "net.ffnn"))
    assert isinstance(loaded, ffnn.Network) and loaded.dtype == np.float32
    X = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


def test_file_is_standard_safetensors(tmp_path, classifier):
    from safetensors.numpy import load_file

    path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
    tensors = load_file(path)
    assert set(tensors) == {"layers.1.W", "layers.1.c", "layers.2.W", "layers.2.c"}
    description = json.loads(_header(path)[0]["__metadata__"]["ffnn"])
    assert description["format"] == "ffnn-model" and description["kind"] == "classifier"
    assert description["network"]["activations"] == ["relu", "softmax"]
    assert description["estimator"]["fitted"]["classes_"]["values"] == [
        "setosa", "versicolor", "virginica"]


def test_pickling_estimators_still_works(classifier):
    model, X = classifier
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), model.predict(X))


def test_save_replaces_atomically_and_leaves_no_temporary(tmp_path, classifier):
    path = tmp_path / "m.ffnn"
    ffnn.save(classifier[0], path)
    ffnn.save(ffnn.Network([2, 1], ["linear"], "rss"), path)
    assert isinstance(ffnn.load(path), ffnn.Network)
    assert [p.name for p in tmp_path.iterdir()] == ["m.ffnn"]


def test_save_refuses_non_finite_weights(tmp_path):
    net = ffnn.Network([2, 1], ["linear"], "rss")
    net.layers[0].W[0, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        ffnn.save(net, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()


class TestRefusals:
    def test_pickle_renamed_to_model_extension(self, tmp_path, classifier):
        path = tmp_path / "model.ffnn"
        path.write_bytes(pickle.dumps(classifier[0]))
        with pytest.raises(ModelFileError, match="model.ffnn.*Python pickle.*never loaded"):
            ffnn.load(path)

    def test_a_gzipped_model_file_is_told_to_be_decompressed(self, tmp_path, classifier):
        import gzip

        ffnn.save(classifier[0], tmp_path / "m.ffnn")
        packed = tmp_path / "m.ffnn.gz"
        packed.write_bytes(gzip.compress((tmp_path / "m.ffnn").read_bytes()))
        with pytest.raises(ModelFileError, match=r"m.ffnn.gz.*a gzip-compressed file, not a model "
                                                 r"file: decompress it first \(gunzip\)"):
            ffnn.load(packed)

    @pytest.mark.parametrize("field, value", [
        ("estimator.class", "os.system"),
        ("estimator.class", "builtins.eval"),
        ("network.activations", ["relu", "__import__('os').system"]),
        ("network.loss", "subprocess.Popen"),
        ("kind", "pickle"),
    ])
    def test_metadata_naming_a_callable_is_refused(self, tmp_path, classifier, field, value):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")

        def change(d):
            section, _, key = field.rpartition(".")
            (d[section] if section else d)[key] = value

        _rewrite_description(path, change)
        with pytest.raises(ModelFileError, match=field.replace(".", r"\.")):
            ffnn.load(path)

    def test_reduce_style_payload_is_refused(self, tmp_path, classifier):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")

        def change(d):
            d["estimator"]["params"]["activation"] = {"__reduce__": ["os.system", ["echo hi"]]}

        _rewrite_description(path, change)
        with pytest.raises(ModelFileError, match="estimator.params.activation"):
            ffnn.load(path)

    def test_unknown_field_is_refused(self, tmp_path, classifier):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
        _rewrite_description(path, lambda d: d.update({"py/object": "os.system"}))
        with pytest.raises(ModelFileError, match="unexpected field.*py/object"):
            ffnn.load(path)

    @pytest.mark.parametrize("keep", [0, 5, 8, 60, -1])
    def test_truncated_files(self, tmp_path, classifier, keep):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
        raw = path.read_bytes()
        path.write_bytes(raw[:keep] if keep >= 0 else raw[:-1])
        with pytest.raises(ModelFileError, match="m.ffnn"):
            ffnn.load(path)

    def test_mismatched_shapes(self, tmp_path, classifier):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
        _rewrite_description(path, lambda d: d["network"]["layer_sizes"].__setitem__(1, 8))
        with pytest.raises(ModelFileError, match="tensors.layers.1.W.shape"):
            ffnn.load(path)

    def test_huge_claimed_dimensions_are_rejected_before_allocation(self, tmp_path, classifier):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
        header, data = _header(path)
        description = json.loads(header["__metadata__"]["ffnn"])
        description["network"]["layer_sizes"] = [4, 2**24, 3]
        header["__metadata__"]["ffnn"] = json.dumps(description)
        header["layers.1.W"]["shape"] = [2**24, 4]
        header["layers.1.W"]["data_offsets"] = [0, 2**24 * 4 * 8]
        _write(path, header, data)
        with pytest.raises(ModelFileError, match="m.ffnn"):
            ffnn.load(path)

    def test_header_length_beyond_the_file(self, tmp_path, classifier):
        path = ffnn.save(classifier[0], tmp_path / "m.ffnn")
        raw = bytearray(path.read_bytes())
        raw[:8] = struct.pack("<Q", 2**60)
        path.write_bytes(bytes(raw))
        with pytest.raises(ModelFileError, match="header: claims"):
            ffnn.load(path)

    def test_non_finite_weights(self, tmp_path):
        path = ffnn.save(ffnn.Network([2, 1], ["linear"], "rss"), tmp_path / "m.ffnn")
        header, data = _header(path)
        begin = header["layers.1.c"]["data_offsets"][0]
        data = data[:begin] + np.array([np.inf]).tobytes() + data[begin + 8:]
        _write(path, header, data)
        with pytest.raises(ModelFileError, match="tensors.layers.1.c: holds NaN or infinite"):
            ffnn.load(path)

    def test_missing_file_and_folder(self, tmp_path):
        with pytest.raises(ModelFileError, match="no such file"):
            ffnn.load(tmp_path / "absent.ffnn")
        with pytest.raises(ModelFileError, match="is a folder"):
            ffnn.load(tmp_path)

    def test_model_file_error_is_a_value_error(self):
        assert issubclass(ModelFileError, ValueError)


def test_estimators_rebuild_from_their_fitted_state(classifier):
    """What load does, without a file: the owner's constructor from a network and fitted state,
    with the same checks as fit."""
    model, X = classifier
    twin = FFNNClassifier.from_fitted_state(model.network_.copy(), model.get_params(),
                                            model.fitted_state())
    np.testing.assert_array_equal(twin.predict_proba(X), model.predict_proba(X))
    assert twin.loss_curve_ == model.loss_curve_ and twin.t_ == model.t_
    twin.set_params(warm_start=True, max_iter=2).fit(X, model.predict(X))
    assert len(twin.loss_curve_) == len(model.loss_curve_) + 2  # the history carries on
    state = model.fitted_state()
    for change, message in [({"y_type": "binary"}, "y_type"),
                            ({"n_features_in_": 3}, "n_features_in_"),
                            ({"loss_": 123.0}, "loss_"),
                            ({"classes_": np.array(["b", "a", "c"])}, "sorted")]:
        with pytest.raises(ValueError, match=message):
            FFNNClassifier.from_fitted_state(model.network_.copy(), model.get_params(),
                                             {**state, **change})
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        FFNNClassifier.from_fitted_state(model.network_.copy(),
                                         {**model.get_params(), "hidden_layer_sizes": (8,)}, state)
    with pytest.raises(ValueError, match="alpha"):
        FFNNClassifier.from_fitted_state(model.network_.copy(),
                                         {**model.get_params(), "alpha": -1.0}, state)


@pytest.mark.parametrize("change, why", [
    ({"hidden_layer_sizes": (7,)}, "hidden_layer_sizes or activation disagree"),
    ({"activation": "tanh"}, "hidden_layer_sizes or activation disagree"),
    ({"alpha": -1.0}, "alpha must be"),
    ({"loss": "poisson"}, "these targets need exp with poisson"),
])
def test_save_refuses_parameters_changed_into_what_load_refuses(tmp_path, change, why):
    """set_params after fit changes what the file would say of the network: save refuses what
    load would refuse, and says so, rather than writing a file that cannot be read back."""
    X, y = make_regression(n_samples=40, n_features=3, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=5, random_state=0)
    with pytest.warns(Warning):
        model.fit(X, y)
    model.set_params(**change)
    with pytest.raises(ValueError, match=f"cannot save the model: .*{why}.*set them back"):
        ffnn.save(model, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()
    model.set_params(max_iter=50, **{name: FFNNRegressor(hidden_layer_sizes=(5,)).get_params()[
        name] for name in change})  # a harmless change saves
    ffnn.save(model, tmp_path / "m.ffnn")
    assert ffnn.load(tmp_path / "m.ffnn").max_iter == 50


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_save_follows_a_link_and_refuses_what_is_not_a_regular_file(tmp_path, capsys):
    """A rename over a link replaced the link and left its file as it was; over a named pipe
    it replaced the pipe."""
    from cli_runs import one_error

    net = ffnn.Network([2, 1], ["linear"], "rss", random_state=0)
    real, link = tmp_path / "real.ffnn", tmp_path / "link.ffnn"
    ffnn.save(ffnn.Network([2, 1], ["linear"], "rss"), real)
    link.symlink_to(real.name)
    ffnn.save(net, link)
    assert link.is_symlink() and os.readlink(link) == real.name
    np.testing.assert_array_equal(ffnn.load(real).params, net.params)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target in (pipe, tmp_path):
        with pytest.raises(ValueError, match="cannot save to .*: it is a (named pipe|folder), "
                                             "not a regular file"):
            ffnn.save(net, target)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    (tmp_path / "d.csv").write_text("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(30)))
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "y", "-o", pipe)
    assert line.endswith(f"-o {pipe}: it is a named pipe, not a regular file; a model file is "
                         "written beside it and renamed into place, which would replace it; "
                         "give a file name")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.parametrize("fitted_with", [False, True])
def test_early_stopping_changed_after_fit_saves_the_fit_as_it_was(tmp_path, fitted_with):
    """best_loss_ follows how the fit ran (None after early stopping), not the parameter as
    set_params left it: save refused such a model, load before it."""
    X, y = make_regression(n_samples=60, n_features=3, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=3, early_stopping=fitted_with,
                          random_state=0)
    with pytest.warns(Warning):
        model.fit(X, y)
    model.set_params(early_stopping=not fitted_with)
    ffnn.save(model, tmp_path / "m.ffnn")
    loaded = ffnn.load(tmp_path / "m.ffnn")
    assert loaded.early_stopping is (not fitted_with)
    assert loaded.best_loss_ == model.best_loss_ and (loaded.best_loss_ is None) == fitted_with


def test_saving_an_unfitted_estimator_or_into_no_folder_says_so(tmp_path):
    with pytest.raises(ValueError, match="this FFNNClassifier is not fitted yet; call fit first"):
        ffnn.save(FFNNClassifier(), tmp_path / "m.ffnn")
    net = ffnn.Network([2, 1], ["linear"], "rss")
    target = tmp_path / "missing" / "m.ffnn"
    with pytest.raises(FileNotFoundError, match=f"cannot save to {target}: the folder "
                                                f"{target.parent} does not exist"):
        ffnn.save(net, target)
    assert not (tmp_path / "missing").exists()


def test_a_new_file_gets_the_umask_s_mode_and_a_replaced_one_keeps_its_own(tmp_path,
                                                                          monkeypatch):
    # save read the umask by setting it to 0 and back: a process-wide change, during which a
    # file another thread created was open to everyone
    umask = os.umask(0o027)
    try:
        def refuse(_):
            raise AssertionError("save changed the process's umask")
        monkeypatch.setattr(os, "umask", refuse)
        net = ffnn.Network([2, 1], ["linear"], "rss", random_state=0)
        ffnn.save(net, tmp_path / "new.ffnn")
        assert stat.S_IMODE(os.stat(tmp_path / "new.ffnn").st_mode) == 0o640
        (tmp_path / "old.ffnn").write_bytes(b"")
        os.chmod(tmp_path / "old.ffnn", 0o604)
        ffnn.save(net, tmp_path / "old.ffnn")
        assert stat.S_IMODE(os.stat(tmp_path / "old.ffnn").st_mode) == 0o604
    finally:
        monkeypatch.undo()
        os.umask(umask)


def test_a_file_name_as_long_as_the_system_allows_is_saved(tmp_path):
    # the temporary beside it, named after it, was 27 bytes longer than the longest name a
    # folder holds: saving to a name of over 228 bytes failed with "File name too long"
    nets = [ffnn.Network([2, 1], ["linear"], "rss", random_state=seed) for seed in (0, 1)]
    names = ["m" * 250 + ".ffnn", "m" * 250 + ".ffnx", "é" * 120 + ".ffnn"]
    for name, net in zip(names, nets + nets[:1]):
        ffnn.save(net, tmp_path / name)
    for name, net in zip(names, nets + nets[:1]):
        np.testing.assert_array_equal(ffnn.load(tmp_path / name).params, net.params)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_a_file_name_holding_a_nul_character_is_refused_naming_it(tmp_path):
    # the system's "embedded null byte" escaped, naming no file
    with pytest.raises(ModelFileError, match=r"'m\\x00.ffnn': a file name cannot hold a NUL"):
        ffnn.load("m\0.ffnn")
    net = ffnn.Network([2, 1], ["linear"], "rss")
    with pytest.raises(ValueError, match=r"cannot save to '.*m\\x00.ffnn': a file name cannot "
                                         "hold a NUL"):
        ffnn.save(net, f"{tmp_path}/m\0.ffnn")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs a folder no file can be "
                                                            "created in: Linux's /proc")
def test_a_folder_that_takes_no_new_file_is_said_of_the_target(tmp_path):
    # the error named the temporary beside the target ("No such file or directory:
    # '/proc/.m.ffnn.1ce2….ffnn-tmp'"), a file the caller never asked for
    net = ffnn.Network([2, 1], ["linear"], "rss")
    with pytest.raises(OSError) as info:
        ffnn.save(net, "/proc/m.ffnn")
    assert info.value.filename == "/proc/m.ffnn" and info.value.errno is not None
    assert str(info.value).endswith(": '/proc/m.ffnn'") and "ffnn-tmp" not in str(info.value)


@pytest.mark.skipif(not os.path.isfile("/proc/self/auxv"), reason="needs Linux's /proc")
def test_a_file_whose_size_the_system_gives_as_0_is_refused_in_plain_words():
    # /proc's files have bytes but a size of 0: "the file has -8 (bytes) after the length field"
    with pytest.raises(ModelFileError, match="/proc/self/auxv: header: the file is 0 bytes long, "
                                             "too short to be a model file"):
        ffnn.load("/proc/self/auxv")


@contextlib.contextmanager
def _no_warning_of_a_fresh_state():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert not [w for w in caught if "model file" in str(w.message)]


@pytest.mark.parametrize("solver", ["adam", "sgd", "gd"])
def test_training_a_loaded_model_on_says_it_does_not_go_on_as_the_saved_one(tmp_path, solver):
    """A model file keeps the weights and the history, not the optimizer's state (Adam's
    moments, SGD's velocity), the random stream or the count of epochs without improvement:
    partial_fit after a load takes other steps than the saved model would, and says so once;
    a pickled or deep-copied one goes on exactly."""
    X, y = make_regression(n_samples=80, n_features=4, noise=1.0, random_state=0)
    y = y / y.std()
    model = FFNNRegressor(hidden_layer_sizes=(6,), solver=solver, learning_rate_init=0.01,
                          max_iter=15, random_state=0).fit(X, y)
    loaded = ffnn.load(ffnn.save(model, tmp_path / "m.ffnn"))
    copies = [pickle.loads(pickle.dumps(model)), copy.deepcopy(model)]
    for each in [model, *copies]:
        each.partial_fit(X, y)
        each.partial_fit(X, y)
    for each in copies:
        np.testing.assert_array_equal(each.coefs_[0], model.coefs_[0])
        assert each.loss_curve_ == model.loss_curve_ and each.t_ == model.t_
    with pytest.warns(UserWarning, match="model file.*optimizer.*pickle"):
        loaded.partial_fit(X, y)
    loaded.partial_fit(X, y)
    assert len(loaded.loss_curve_) == len(model.loss_curve_) and loaded.t_ == model.t_
    if solver != "gd":  # (gd's one step needs no state)
        assert not np.array_equal(loaded.coefs_[0], model.coefs_[0])
    with _no_warning_of_a_fresh_state():
        loaded.partial_fit(X, y)  # its own state from now on
        pickle.loads(pickle.dumps(loaded)).partial_fit(X, y)


def test_training_a_loaded_model_warm_or_anew_says_only_what_differs(tmp_path):
    X, y = make_regression(n_samples=80, n_features=4, noise=1.0, random_state=0)
    y = y / y.std()
    model = FFNNRegressor(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=15, random_state=0).fit(X, y)
    loaded = ffnn.load(ffnn.save(model, tmp_path / "m.ffnn"))
    with _no_warning_of_a_fresh_state():  # L-BFGS keeps no state between runs: nothing is lost
        loaded.set_params(warm_start=True, max_iter=3).fit(X, y)
    model.set_params(warm_start=True, max_iter=3).fit(X, y)
    np.testing.assert_array_equal(loaded.coefs_[0], model.coefs_[0])
    adam = FFNNRegressor(hidden_layer_sizes=(6,), max_iter=15, random_state=0).fit(X, y)
    with pytest.warns(UserWarning, match="random stream"):
        ffnn.load(ffnn.save(adam, tmp_path / "a.ffnn")).set_params(warm_start=True).fit(X, y)
    with _no_warning_of_a_fresh_state():  # a new fit loses nothing
        ffnn.load(tmp_path / "a.ffnn").set_params(max_iter=300).fit(X, y)


def test_a_loaded_model_that_has_trained_since_is_not_said_to_start_from_the_file(tmp_path):
    """Once a loaded model has trained (a new fit that diverged, a warm start whose callback
    raised), its state is its own: training it on said it had been loaded, as if the network
    came from the file."""
    X, y = make_regression(n_samples=80, n_features=4, noise=1.0, random_state=0)
    y = y / y.std()
    model = FFNNRegressor(hidden_layer_sizes=(6,), solver="sgd", max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (not converged)
        model.fit(X, y)
    path = ffnn.save(model, tmp_path / "m.ffnn")
    anew = ffnn.load(path).set_params(learning_rate_init=1e6)
    with pytest.raises(ffnn.DivergenceError):
        anew.fit(X * 1e3, y)  # a new network, its last finite weights kept
    warm = ffnn.load(path).set_params(warm_start=True)

    def stop(info):
        raise RuntimeError("stop")

    with pytest.warns(UserWarning, match="model file"), pytest.raises(RuntimeError):
        warm.fit(X, y, callback=stop)
    for each in (anew, warm):
        each.set_params(warm_start=True, learning_rate_init=1e-9, max_iter=1)
        with _no_warning_of_a_fresh_state():
            each.fit(X, y)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_model_saved_from_a_callback_is_the_model_of_that_epoch(tmp_path, solver):
    """A checkpoint written from the callback holds that epoch's weights with the history that
    led to them (as scikit-learn's MLP, whose loss_curve_ and n_iter_ grow during fit), in a
    first fit and in a warm start alike."""
    X, y = make_regression(n_samples=60, n_features=3, noise=1.0, random_state=0)
    y = y / y.std()
    model = FFNNRegressor(hidden_layer_sizes=(4,), solver=solver, max_iter=4, random_state=0)
    saved = {}

    def checkpoint(info):
        path = ffnn.save(model, tmp_path / f"epoch{info.epoch}.ffnn")
        saved[info.epoch] = (ffnn.load(path), model.network_.params.copy(), model.n_iter_)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (not converged in 4 iterations)
        model.fit(X, y, callback=checkpoint)
        first = len(model.loss_curve_)
        model.set_params(warm_start=True).fit(X, y, callback=checkpoint)
    assert len(saved) == len(model.loss_curve_) > first
    for epoch, (loaded, params, n_iter) in saved.items():
        np.testing.assert_array_equal(loaded.network_.params, params)
        assert loaded.loss_curve_ == model.loss_curve_[:epoch]
        assert loaded.n_iter_ == n_iter == (epoch if epoch <= first else epoch - first)


def test_a_warm_start_after_a_load_is_not_said_to_lose_what_every_warm_start_starts_afresh(
        tmp_path):
    """A warm fit builds a fresh optimizer and divergence reference whether or not its model was
    loaded: its warning names what the file lost that a warm fit would have gone on from (the
    count of epochs without improvement, the random stream); partial_fit's names the optimizer's
    state and the divergence reference too."""
    X, y = make_regression(n_samples=80, n_features=4, noise=1.0, random_state=0)
    y = y / y.std()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (not converged)
        model = FFNNRegressor(hidden_layer_sizes=(6,), max_iter=5, random_state=0).fit(X, y)
    path = ffnn.save(model, tmp_path / "m.ffnn")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ffnn.load(path).set_params(warm_start=True).fit(X, y)
    said = [str(w.message) for w in caught if "model file" in str(w.message)]
    assert len(said) == 1 and "without improvement" in said[0] and "random stream" in said[0]
    assert "Adam's moments" not in said[0] and "divergence reference" not in said[0]
    with pytest.warns(UserWarning, match="model file.*Adam's moments.*divergence reference"):
        ffnn.load(path).partial_fit(X, y)


def _interrupted_fit(model, X, y, epoch):
    """model.fit(X, y) stopped by Ctrl-C during `epoch` (counted over the whole loss curve)."""
    def callback(info):
        if info.epoch == epoch - 1:
            raise KeyboardInterrupt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, callback=callback)


def test_a_loaded_model_says_where_its_fit_was_interrupted(tmp_path, classifier):
    """interrupted_ names the epoch Ctrl-C stopped; a model file saved after it (ffnn fit
    --checkpoint, a save from Python) kept the weights but loaded as never interrupted."""
    _, X = classifier
    y = np.arange(len(X)) % 3
    model = _interrupted_fit(FFNNClassifier(hidden_layer_sizes=(4,), solver="sgd", max_iter=9,
                                            random_state=0), X, y, epoch=4)
    assert model.interrupted_ == 4 and len(model.loss_curve_) == 3
    ffnn.save(model, tmp_path / "m.ffnn")
    loaded = ffnn.load(tmp_path / "m.ffnn")
    assert loaded.interrupted_ == 4
    assert ffnn.summary(loaded) == ffnn.summary(model)
    # a fit that ran to its end after the load is not interrupted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert loaded.fit(X, y).interrupted_ is None
    finished = FFNNClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffnn.save(finished.fit(X, y), tmp_path / "f.ffnn")
    assert ffnn.load(tmp_path / "f.ffnn").interrupted_ is None


def test_interrupted_of_a_fitted_state_is_checked_by_value_not_by_python_type(classifier):
    """A NumPy integer within the loss curve's epochs was refused as out of range ("interrupted_
    is np.int64(4), but ... can only have been interrupted during one of 1 to 4")."""
    _, X = classifier
    y = np.arange(len(X)) % 3
    model = _interrupted_fit(FFNNClassifier(hidden_layer_sizes=(4,), solver="sgd", max_iter=9,
                                            random_state=0), X, y, epoch=4)
    state = {**model.fitted_state(), "interrupted_": np.int64(4)}
    rebuilt = FFNNClassifier.from_fitted_state(model.network_, model.get_params(), state)
    assert rebuilt.interrupted_ == 4 and type(rebuilt.interrupted_) is int
    for wrong, said in ((5, r"interrupted_ is 5, but a fit of 3 recorded iterations can only "
                           r"have been interrupted during one of 1 to 4"),
                        (True, r"interrupted_ must be None or a whole number, got True"),
                        (2.0, r"interrupted_ must be None or a whole number, got 2.0")):
        with pytest.raises(ValueError, match=said):
            FFNNClassifier.from_fitted_state(model.network_, model.get_params(),
                                             {**state, "interrupted_": wrong})


def test_the_summary_of_a_loaded_l_bfgs_model_interrupted_at_a_run_s_start_counts_alike(
        tmp_path, monkeypatch):
    """The summary tells an L-BFGS run's recorded starting loss from an interrupted run's
    nothing by interrupted_: lost in the file, the loaded model counted one iteration fewer."""
    import scipy.optimize

    X, y = load_iris(return_X_y=True)
    model = FFNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5, warm_start=True,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(scipy.optimize, "minimize", interrupted)
        model.fit(X, y)
    assert model.n_iter_ == 0 and model.interrupted_ == 6
    ffnn.save(model, tmp_path / "m.ffnn")
    text = ffnn.summary(ffnn.load(tmp_path / "m.ffnn"))
    assert "trained: solver lbfgs, 5 iterations (the last call trained 0), " in text
    assert text == ffnn.summary(model)


@pytest.mark.parametrize("value, accepted", [(None, True), (1, True), (4, True), (5, False),
                                             (0, False), (2.0, False), (True, False),
                                             ("3", False)])
def test_a_file_s_interrupted_epoch_must_be_one_the_fit_could_have_stopped_in(
        tmp_path, classifier, value, accepted):
    _, X = classifier
    model = _interrupted_fit(FFNNClassifier(hidden_layer_sizes=(4,), solver="sgd", max_iter=9,
                                            random_state=0), X, np.arange(len(X)) % 3, epoch=4)
    path = tmp_path / "m.ffnn"
    ffnn.save(model, path)

    def change(description):
        description["estimator"]["fitted"]["interrupted_"] = value

    _rewrite_description(path, change)
    if accepted:
        assert ffnn.load(path).interrupted_ == value
    else:
        with pytest.raises(ModelFileError, match="interrupted_"):
            ffnn.load(path)


def test_a_file_without_an_interrupted_epoch_loads_as_not_interrupted(tmp_path, classifier):
    """Files written before interrupted_ was kept lack it."""
    model, _ = classifier
    path = tmp_path / "m.ffnn"
    ffnn.save(model, path)
    _rewrite_description(path, lambda d: d["estimator"]["fitted"].pop("interrupted_", None))
    assert ffnn.load(path).interrupted_ is None
