"""From a checked description to objects again, through their owners' constructors
(`from_fitted_state`, `TabularModel.from_state`): this module checks that each field is the JSON
type `save` writes and turns it into the Python value the owner takes; the owner checks that the
values make a model, and any ValueError (or TypeError, …) it raises becomes a ModelFileError
naming the part."""

import re

import numpy as np

from ._checker import finite, is_kind
from ._format import MAX_LABEL_BYTES, MAX_LABEL_ITEMSIZE

LABEL_TYPES = (bool, int, float, str)
LABEL_DTYPE = re.compile(r"[<>|=][biufU][0-9]{1,4}")

# A parameter given as a NumPy float of these, which a file keeps as {"float32": value}: fit
# computes with it in that precision
NARROW_FLOATS = ("float32", "float16")

ESTIMATORS = ("FFNNRegressor", "FFNNClassifier")
KIND_OF = {"FFNNRegressor": "regressor", "FFNNClassifier": "classifier"}


def build_estimator(check, d, net):
    from .. import estimators

    e = check.field(d, "estimator", "", dict)
    check.keys(e, "estimator", ["class", "params", "fitted"])
    cls_name = check.field(e, "class", "estimator", str)
    if cls_name not in ESTIMATORS:
        check.fail("estimator.class", f"must be {' or '.join(ESTIMATORS)}, got {cls_name!r}")
    if d["kind"] != "tabular" and KIND_OF[cls_name] != d["kind"]:
        check.fail("estimator.class", f"{cls_name} does not match kind {d['kind']!r}")
    cls = getattr(estimators, cls_name)
    params = _params(check, check.field(e, "params", "estimator", dict), cls().get_params())
    state = _fitted(check, check.field(e, "fitted", "estimator", dict),
                    cls_name == "FFNNClassifier")
    return check.build("estimator", cls.from_fitted_state, net, params, state)


def _params(check, params, defaults):
    """The estimator's parameters, each a plain JSON value, converted where save converted."""
    check.keys(params, "estimator.params", defaults)
    # Files written before the compiled engine existed have no backend or precision: the
    # defaults are what trained them.
    missing = sorted(set(defaults) - set(params) - {"backend", "precision"})
    if missing:
        check.fail("estimator.params", f"missing {', '.join(missing)}")
    values = {}
    for name, value in params.items():
        where = f"estimator.params.{name}"
        if isinstance(value, dict):
            value = _narrow_float(check, value, where)
        elif not _plain_json(value):
            check.fail(where, "must be a number, string, boolean, null or list of those")
        if name == "n_iter_no_change" and value == "inf":
            value = np.inf
        elif name == "hidden_layer_sizes":
            value = tuple(value) if isinstance(value, list) else value
        elif name == "class_weight" and isinstance(value, list):
            value = _class_weight(check, value, where)
        elif name == "random_state" and not (value is None or (
                is_kind(value, int) and 0 <= value < 2**32)):
            # The seeds fit takes (NumPy's RandomState), or null for a generator or none.
            check.fail(where, "must be null or an integer in [0, 2**32 - 1]")
        values[name] = value
    return values


def _narrow_float(check, value, where):
    """A NumPy float32 (or float16) parameter from save's {"float32": value}."""
    if len(value) != 1 or next(iter(value)) not in NARROW_FLOATS:
        check.fail(where, f"must be a number, or an object of one number named "
                          f"{' or '.join(NARROW_FLOATS)}")
    (kind, number), = value.items()
    if not (is_kind(number, (int, float)) and finite(number)):
        check.fail(f"{where}.{kind}", "must be a finite number")
    with np.errstate(over="ignore"):  # (beyond the type's range: inf, refused below)
        narrow = np.dtype(kind).type(number)
    if not np.isfinite(narrow) or float(narrow) != number:
        check.fail(f"{where}.{kind}", f"{number!r} is not a {kind} number")
    return narrow


def _plain_json(value, depth=2):
    """A scalar, or (to `depth` levels) a list of plain values: no parameter nests deeper than
    class_weight's [[class, weight], …]."""
    if value is None or is_kind(value, LABEL_TYPES):
        return finite(value)
    if isinstance(value, list) and depth > 0:
        return all(_plain_json(v, depth - 1) for v in value)
    return False


def _class_weight(check, pairs, where):
    """{class: weight} from save's [[class, weight], …]: each class a label named once, each
    weight a finite number."""
    weights = {}
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, list) and len(pair) == 2 and is_kind(pair[0], LABEL_TYPES)
                and is_kind(pair[1], (int, float)) and finite(pair[1])):
            check.fail(f"{where}[{i}]", "must be a [class, weight] pair: a label and a number")
        if pair[0] in weights:
            check.fail(f"{where}[{i}]", f"names the class {pair[0]!r} a second time")
        weights[pair[0]] = pair[1]
    return weights


def _fitted(check, f, is_classifier):
    """The fitted state in the types `from_fitted_state` takes (a non-finite number as None)."""
    where = "estimator.fitted"
    keys = ["n_features_in_", "feature_names_in_", "n_iter_", "t_", "loss_", "best_loss_",
            "loss_curve_", "validation_scores_", "validation_loss_curve_",
            "best_validation_score_"]
    # (interrupted_ is written only for a fit that Ctrl-C stopped; older files lack it)
    check.keys(f, where, keys + ["interrupted_"]
               + (["classes_", "y_type", "sparse_y"] if is_classifier else []))
    state = {
        "n_features_in_": check.number(f, "n_features_in_", where, 1, integer=True),
        "feature_names_in_": check.field(f, "feature_names_in_", where, list, allow_none=True),
        "n_iter_": check.number(f, "n_iter_", where, 0, integer=True),
        "t_": check.number(f, "t_", where, 0, integer=True),
    }
    # (a number that is not finite: NaN as null, a loss's infinity as "inf", a score's "-inf")
    for name, infinite in (("loss_", "inf"), ("best_loss_", "inf"),
                           ("best_validation_score_", "-inf")):
        state[name] = check.number(f, name, where, allow_none=True, infinite=infinite)
    state["loss_curve_"] = check.numbers(f, "loss_curve_", where, infinite="inf")
    state["interrupted_"] = check.number(f, "interrupted_", where, 1, integer=True,
                                         allow_none=True) if "interrupted_" in f else None
    for name, infinite in (("validation_scores_", "-inf"), ("validation_loss_curve_", "inf")):
        state[name] = check.numbers(f, name, where, allow_none=True, infinite=infinite)
    if is_classifier:
        state["classes_"] = _classes(check, check.field(f, "classes_", where, dict))
        state["y_type"] = check.field(f, "y_type", where, str)
        if "sparse_y" in f:
            state["sparse_y"] = check.field(f, "sparse_y", where, bool)
    return state


def _classes(check, classes):
    """The labels as the array save described: {"dtype": NumPy's name, "values": [...]}."""
    where = "estimator.fitted.classes_"
    check.keys(classes, where, ["dtype", "values"])
    dtype = check.field(classes, "dtype", where, str)
    values = check.field(classes, "values", where, list)
    # save writes NumPy's own name of a plain label dtype ("<i8", "<U5", "|b1") or "object";
    # nothing else reaches np.dtype, whose parser takes far more (shapes, records, …).
    if dtype != "object" and not LABEL_DTYPE.fullmatch(dtype):
        check.fail(f"{where}.dtype", f"labels of dtype {dtype!r} are not supported")
    np_dtype = check.build(f"{where}.dtype", np.dtype, object if dtype == "object" else dtype)
    if not 0 < np_dtype.itemsize <= MAX_LABEL_ITEMSIZE or dtype != (
            "object" if np_dtype.kind == "O" else np_dtype.str):
        check.fail(f"{where}.dtype", f"labels of dtype {dtype!r} are not supported")
    if not values or not all(is_kind(v, LABEL_TYPES) for v in values):
        check.fail(f"{where}.values", "must list at least one label (numbers or strings)")
    problem = label_problem(np_dtype, values)
    if problem:
        check.fail(f"{where}.dtype", problem)
    labels = check.build(f"{where}.values", np.array, values, np_dtype)
    # Each label must come back as the very value written: a dtype that truncates ("<U1" for
    # "ab") or converts (1 into "1", true into 1) is not what save wrote.
    back = labels.tolist()
    if any(type(a) is not type(b) or a != b for a, b in zip(back, values)):
        check.fail(f"{where}.values", f"are not labels of dtype {dtype!r} as written")
    return labels


def label_problem(np_dtype, values):
    """Why `values` as an array of `np_dtype` is not classes_ as a model file may hold them, or
    None: fit's text labels are exactly as wide as the longest (scikit-learn's unique_labels),
    and the array must stay within the format's limits (a wide dtype would otherwise make a few
    bytes of text a large allocation). save refuses what this refuses."""
    if np_dtype.itemsize > MAX_LABEL_ITEMSIZE:
        return (f"labels of {np_dtype.itemsize} bytes are not supported (at most "
                f"{MAX_LABEL_ITEMSIZE}: {MAX_LABEL_ITEMSIZE // 4} characters of text)")
    if np_dtype.kind == "U" and all(isinstance(v, str) for v in values):
        # (narrower would truncate them, which the check of the values as written says)
        widest = max(len(v) for v in values)
        if np_dtype.itemsize > 4 * widest:
            return f"must be '<U{widest}' for these labels, the longest {widest} characters"
    if len(values) * np_dtype.itemsize > MAX_LABEL_BYTES:
        return (f"{len(values)} labels of {np_dtype.itemsize} bytes are more than the "
                f"{MAX_LABEL_BYTES} bytes of labels a model file may have")
    return None


def check_one_hot_limits(check, d):
    """Fit's limits on a table's text columns (MAX_CATEGORIES each, MAX_ONE_HOT together), checked
    before the network is allocated or a weight read: predicting allocates rows × the one-hot
    width, and the width is the first layer's. Fields of the wrong type are left to
    build_tabular, which says what they must be."""
    from ..tabular.one_hot import MAX_CATEGORIES, MAX_ONE_HOT

    columns = d["tabular"].get("categorical") if isinstance(d.get("tabular"), dict) else None
    if not isinstance(columns, list):
        return
    total = 0
    for i, column in enumerate(columns):
        categories = column.get("categories") if isinstance(column, dict) else None
        if not isinstance(categories, list):
            continue
        if len(categories) > MAX_CATEGORIES:
            check.fail(f"tabular.categorical[{i}].categories", f"lists {len(categories)} "
                       f"categories, more than the {MAX_CATEGORIES} a text column may have")
        total += len(categories)
    if total > MAX_ONE_HOT:
        check.fail("tabular.categorical", f"list {total} categories in all, more than the "
                                          f"{MAX_ONE_HOT} one-hot features a table may have")


def build_tabular(check, d, estimator):
    from ..tabular import TabularModel

    t = check.field(d, "tabular", "", dict)
    where = "tabular"
    check.keys(t, where, ["target", "task", "target_mean", "target_scale", "impute", "numeric",
                          "categorical", "metrics", "read", "data", "training"])
    state = {"target": check.field(t, "target", where, str),
             "task": check.field(t, "task", where, str),
             "target_mean": check.number(t, "target_mean", where),
             "target_scale": check.number(t, "target_scale", where),
             "impute": check.field(t, "impute", where, bool),
             "numeric": [], "categorical": [], "metrics": {},
             # optional (older files lack them); TabularModel.from_state checks them
             **{key: t.get(key) for key in ("read", "data", "training")}}
    for i, column in enumerate(check.field(t, "numeric", where, list)):
        w = f"{where}.numeric[{i}]"
        check.keys(_object(check, column, w), w, ["name", "mean", "scale", "fill", "constant"])
        state["numeric"].append({"name": check.field(column, "name", w, str),
                                 **{key: check.number(column, key, w)
                                    for key in ("mean", "scale", "fill")},
                                 # optional, true only (older files lack it)
                                 **({"constant": check.field(column, "constant", w, bool)}
                                    if "constant" in column else {})})
    for i, column in enumerate(check.field(t, "categorical", where, list)):
        w = f"{where}.categorical[{i}]"
        check.keys(_object(check, column, w), w, ["name", "categories", "fill"])
        categories = check.field(column, "categories", w, list)
        if not all(isinstance(c, str) for c in categories):
            check.fail(f"{w}.categories", "must be a list of strings")
        state["categorical"].append({"name": check.field(column, "name", w, str),
                                     "categories": categories,
                                     "fill": check.field(column, "fill", w, str)})
    for part, values in check.field(t, "metrics", where, dict).items():
        values = _object(check, values, f"{where}.metrics.{part}")
        state["metrics"][part] = {name: check.number(values, name, f"{where}.metrics.{part}",
                                                     allow_none=True) for name in values}
    return check.build(where, TabularModel.from_state, estimator, state)


def _object(check, value, where):
    if not isinstance(value, dict):
        check.fail(where, "must be a JSON object")
    return value
