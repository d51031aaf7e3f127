"""Rebuilding estimators and command-line models from a checked description: only the classes
of an allow-list are constructed, with parameters that are plain JSON values."""

import numpy as np

from ._read import _finite, _is_kind


def build_estimator(check, d, net):
    from ..estimators import FFNNClassifier, FFNNRegressor
    from ..estimators._base import SKLEARN_OUTPUT_NAMES
    from ..training import Trainer

    e = check.field(d, "estimator", "", dict)
    check.keys(e, "estimator", ["class", "params", "fitted"])
    cls_name = check.field(e, "class", "estimator", str)
    allowed = {"FFNNRegressor": FFNNRegressor, "FFNNClassifier": FFNNClassifier}
    expected_kind = {"FFNNRegressor": "regressor", "FFNNClassifier": "classifier"}
    if cls_name not in allowed:
        check.fail("estimator.class", f"must be FFNNRegressor or FFNNClassifier, got {cls_name!r}")
    if d["kind"] != "tabular" and expected_kind[cls_name] != d["kind"]:
        check.fail("estimator.class", f"{cls_name} does not match kind {d['kind']!r}")
    cls = allowed[cls_name]
    params = check.field(e, "params", "estimator", dict)
    if cls is FFNNRegressor and params.get("loss") not in ("squared_error", "poisson"):
        check.fail("estimator.params.loss", "must be 'squared_error' or 'poisson'")
    defaults = cls().get_params()
    check.keys(params, "estimator.params", defaults)
    values = {}
    for name, value in params.items():
        where = f"estimator.params.{name}"
        if not _plain_json(value):
            check.fail(where, "must be a number, string, boolean, null or list of those")
        if name == "n_iter_no_change" and value == "inf":
            value = np.inf
        elif name == "hidden_layer_sizes":
            value = tuple(value) if isinstance(value, list) else value
        elif name == "class_weight" and isinstance(value, list):
            if not all(isinstance(p, list) and len(p) == 2 for p in value):
                check.fail(where, "must be null, 'balanced' or a list of [class, weight] pairs")
            value = {k: w for k, w in value}
        elif name == "random_state" and not (value is None or _is_kind(value, int)):
            check.fail(where, "must be an integer or null")
        values[name] = value
    estimator = cls(**values)
    try:
        hidden, hidden_activations = estimator._hidden_layers()
        estimator._settings()
    except (ValueError, TypeError) as error:
        check.fail("estimator.params", str(error))
    if hidden != net.layer_sizes[1:-1] or hidden_activations != [
            f.name for f in net.activations[:-1]]:
        check.fail("estimator.params", "hidden_layer_sizes or activation disagree with network")
    output = (net.activations[-1].name, net.loss_function.name)
    if cls is FFNNRegressor:
        expected_output = ("exp", "poisson") if values.get("loss") == "poisson" else (
            "linear", "squared_error")
    else:
        expected_output = None
    fitted = check.field(e, "fitted", "estimator", dict)
    _restore_fitted(check, estimator, fitted, net, expected_output, output)
    estimator.network_ = net
    estimator.out_activation_ = SKLEARN_OUTPUT_NAMES[net.activations[-1].name]
    estimator.n_outputs_ = net.D_y
    estimator.n_layers_ = len(net.layers) + 1
    estimator.interrupted_ = None
    estimator._architecture = (hidden, hidden_activations)
    # Training on after a load draws from a fresh stream; loading never reads global state.
    seed = estimator.random_state if isinstance(estimator.random_state, int) else None
    estimator._rng = np.random.default_rng(seed)
    estimator._trainer = Trainer(net, estimator._settings(), estimator._rng)
    return estimator


def _plain_json(value):
    if value is None or _is_kind(value, (bool, int, float, str)):
        return _finite(value)
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return False


def _restore_fitted(check, est, f, net, expected_output, output):
    where = "estimator.fitted"
    keys = ["n_features_in_", "feature_names_in_", "n_iter_", "t_", "loss_", "best_loss_",
            "loss_curve_", "validation_scores_", "validation_loss_curve_", "best_validation_score_"]
    is_classifier = type(est).__name__ == "FFNNClassifier"
    check.keys(f, where, keys + (["classes_", "y_type"] if is_classifier else []))
    n_features = check.number(f, "n_features_in_", where, 1, integer=True)
    if n_features != net.D_x:
        check.fail(f"{where}.n_features_in_", f"is {n_features} but the network has {net.D_x} inputs")
    est.n_features_in_ = n_features
    names = check.field(f, "feature_names_in_", where, list, allow_none=True)
    if names is not None:
        if len(names) != n_features or not all(isinstance(n, str) for n in names):
            check.fail(f"{where}.feature_names_in_", f"must be {n_features} strings")
        est.feature_names_in_ = np.array(names, dtype=object)
    est.n_iter_ = check.number(f, "n_iter_", where, 0, integer=True)
    est.t_ = check.number(f, "t_", where, 0, integer=True)
    est.loss_ = check.number(f, "loss_", where, allow_none=True)
    est.best_loss_ = check.number(f, "best_loss_", where, allow_none=True)
    est.best_validation_score_ = check.number(f, "best_validation_score_", where, allow_none=True)
    est.loss_curve_ = check.numbers(f, "loss_curve_", where)
    est.validation_scores_ = check.numbers(f, "validation_scores_", where, allow_none=True)
    est.validation_loss_curve_ = check.numbers(f, "validation_loss_curve_", where, allow_none=True)
    if not is_classifier:
        if output != expected_output:
            check.fail("network", f"a {est.loss} regressor needs output {expected_output}, "
                                  f"the file has {output}")
        return
    _restore_classes(check, est, f, net, output)


def _restore_classes(check, est, f, net, output):
    from sklearn.preprocessing import LabelBinarizer

    where = "estimator.fitted"
    classes = check.field(f, "classes_", where, dict)
    check.keys(classes, f"{where}.classes_", ["dtype", "values"])
    dtype = check.field(classes, "dtype", f"{where}.classes_", str)
    values = check.field(classes, "values", f"{where}.classes_", list)
    try:
        np_dtype = np.dtype(object if dtype == "object" else dtype)
    except TypeError:
        check.fail(f"{where}.classes_.dtype", f"{dtype!r} is not a dtype")
    if np_dtype.kind not in "biufUO" or np_dtype.itemsize > 4096:
        check.fail(f"{where}.classes_.dtype", f"labels of dtype {dtype!r} are not supported")
    if len(values) < 2 or not all(_is_kind(v, (bool, int, float, str)) for v in values):
        check.fail(f"{where}.classes_.values", "must list at least 2 labels (numbers or strings)")
    try:
        labels = np.array(values, dtype=np_dtype)
    except (ValueError, TypeError, OverflowError):
        check.fail(f"{where}.classes_.values", f"cannot be read as {dtype}")
    if len(np.unique(labels)) != len(labels):
        check.fail(f"{where}.classes_.values", "has repeated labels")
    y_type = check.field(f, "y_type", where, str)
    expected = {"binary": (1, "sigmoid", 2), "multiclass": (len(labels), "softmax", None),
                "multilabel-indicator": (len(labels), "sigmoid", None)}
    if y_type not in expected:
        check.fail(f"{where}.y_type", "must be binary, multiclass or multilabel-indicator")
    D_y, activation, n_classes = expected[y_type]
    if net.D_y != D_y or output[0] != activation or (n_classes and len(labels) != n_classes):
        check.fail(f"{where}.classes_", f"{len(labels)} {y_type} classes do not fit a network "
                                        f"with {net.D_y} {output[0]} outputs")
    if y_type == "multiclass" and len(labels) < 3:
        check.fail(f"{where}.y_type", "multiclass needs at least 3 classes")
    if y_type == "multilabel-indicator":
        binarizer = LabelBinarizer().fit(np.eye(len(labels), dtype=int))
        if not np.array_equal(labels, np.arange(len(labels))):
            check.fail(f"{where}.classes_.values", "multilabel classes must be 0 … n_labels − 1")
    else:
        binarizer = LabelBinarizer().fit(labels)
    est._label_binarizer = binarizer
    est.classes_ = binarizer.classes_


def build_tabular(check, d, estimator):
    from ..tabular import Preprocessor, TabularModel

    t = check.field(d, "tabular", "", dict)
    where = "tabular"
    check.keys(t, where, ["target", "task", "target_mean", "target_scale", "impute", "numeric",
                          "categorical", "metrics"])
    target = check.field(t, "target", where, str)
    task = check.field(t, "task", where, str)
    expected_task = ("classification" if type(estimator).__name__ == "FFNNClassifier"
                     else "regression")
    if task != expected_task:
        check.fail(f"{where}.task", f"must be {expected_task!r} for {type(estimator).__name__}")
    mean = check.number(t, "target_mean", where)
    scale = check.number(t, "target_scale", where)
    if not scale > 0:
        check.fail(f"{where}.target_scale", "must be positive")
    p = Preprocessor(impute=check.field(t, "impute", where, bool))
    seen = set()
    for i, column in enumerate(check.field(t, "numeric", where, list)):
        w = f"{where}.numeric[{i}]"
        if not isinstance(column, dict):
            check.fail(w, "must be a JSON object")
        check.keys(column, w, ["name", "mean", "scale", "fill"])
        name = check.field(column, "name", w, str)
        s = check.number(column, "scale", w)
        if not s > 0:
            check.fail(f"{w}.scale", "must be positive")
        p.numeric.append((name, check.number(column, "mean", w), s, check.number(column, "fill", w)))
        seen.add(name)
    for i, column in enumerate(check.field(t, "categorical", where, list)):
        w = f"{where}.categorical[{i}]"
        if not isinstance(column, dict):
            check.fail(w, "must be a JSON object")
        check.keys(column, w, ["name", "categories", "fill"])
        name = check.field(column, "name", w, str)
        categories = check.field(column, "categories", w, list)
        if not categories or not all(isinstance(c, str) for c in categories) or len(
                set(categories)) != len(categories):
            check.fail(f"{w}.categories", "must be a non-empty list of distinct strings")
        p.categorical.append((name, categories, check.field(column, "fill", w, str)))
        seen.add(name)
    if len(seen) != len(p.numeric) + len(p.categorical) or target in seen:
        check.fail(where, "column names must be distinct and differ from the target")
    if len(p.feature_names) != estimator.n_features_in_:
        check.fail(where, f"the columns encode {len(p.feature_names)} features but the network "
                          f"takes {estimator.n_features_in_}")
    model = TabularModel(estimator, p, target, task, mean, scale)
    for part, values in check.field(t, "metrics", where, dict).items():
        if part not in ("training", "validation") or not isinstance(values, dict):
            check.fail(f"{where}.metrics", "must map training/validation to metric values")
        for name in values:
            check.number(values, name, f"{where}.metrics.{part}", allow_none=True)
        model.metrics[part] = values
    return model
