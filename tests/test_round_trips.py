"""Model files give back the model that was saved: every fitted attribute, parameter and
prediction of every kind of model, the numbers of its training history included, and its
summary."""

import warnings
from unittest import mock

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import ffnn
from ffnn import FFNNRegressor
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
