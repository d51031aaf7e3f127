"""A model as the JSON description stored in a model file's metadata, and its tensors."""

import numbers

import numpy as np

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..network import Network
from ..version import __version__
from ._build import NARROW_FLOATS, label_problem
from ._format import (
    FORMAT,
    FORMAT_VERSION,
    MAX_HEADER_BYTES,
    MAX_JSON_ITEMS,
    MAX_LAYER_SIZE,
    MAX_LAYERS,
    MAX_PARAMETERS,
)
from ._json import bad_text, item_count, path_to


def tensors_of(net):
    """{"layers.<ℓ>.W": W^(ℓ), "layers.<ℓ>.c": c^(ℓ)}, refusing non-finite weights."""
    tensors = {}
    for ell, layer in enumerate(net.layers, start=1):
        tensors[f"layers.{ell}.W"] = np.ascontiguousarray(layer.W)
        tensors[f"layers.{ell}.c"] = np.ascontiguousarray(layer.c)
    if not all(np.isfinite(t).all() for t in tensors.values()):
        raise ValueError("the model has non-finite weights and cannot be saved")
    return tensors


def check_loadable(description, net, header):
    """Refuse, with a ValueError, to save what load would refuse: a name that is not valid
    Unicode, a network or description beyond the format's limits."""
    bad = bad_text(description)
    if bad is not None:
        raise ValueError(f"cannot save the model: {path_to(description, bad)} holds {bad!r}, "
                         "which is not valid Unicode text (a lone surrogate); rename it")
    sizes = net.layer_sizes
    if len(sizes) > MAX_LAYERS + 1 or max(sizes) > MAX_LAYER_SIZE or net.params.size > \
            MAX_PARAMETERS:
        raise ValueError(f"cannot save the model: model files hold at most {MAX_LAYERS} layers "
                         f"of {MAX_LAYER_SIZE} neurons and {MAX_PARAMETERS} parameters")
    if len(header) > MAX_HEADER_BYTES or item_count(header) > MAX_JSON_ITEMS:
        raise ValueError(f"cannot save the model: its description ({len(header)} bytes) is "
                         f"beyond the format's limits ({MAX_HEADER_BYTES} bytes, "
                         f"{MAX_JSON_ITEMS} values)")
    classes = description.get("estimator", {}).get("fitted", {}).get("classes_")
    if classes is not None:
        dtype = np.dtype(object if classes["dtype"] == "object" else classes["dtype"])
        problem = label_problem(dtype, classes["values"])
        if problem:
            raise ValueError(f"cannot save the model: classes_ of dtype {dtype}: {problem}")
    tabular = description.get("tabular", {})
    from ..tabular.one_hot import MAX_CATEGORIES
    for column in tabular.get("categorical", []):
        if len(column["categories"]) > MAX_CATEGORIES:
            raise ValueError(f"cannot save the model: text column {column['name']!r} has "
                             f"{len(column['categories'])} categories, more than "
                             f"{MAX_CATEGORIES}")


def describe(model):
    """(description, network) for any savable model."""
    from ..tabular import TabularModel

    description = {"format": FORMAT, "format_version": FORMAT_VERSION, "ffnn_version": __version__}
    tabular = None
    if isinstance(model, TabularModel):
        tabular, model = model, model.estimator
    if isinstance(model, Network):
        description["kind"] = "network"
        net = model
    else:
        net = getattr(model, "network_", None)
        if hasattr(model, "steps") and hasattr(model, "named_steps"):  # a scikit-learn Pipeline
            raise ValueError(f"save needs the network itself, got a {type(model).__name__}; save "
                             "its last step, ffnn.save(pipe[-1], path), and the steps before it "
                             "with pickle or skops (they are not ffnn's to check)")
        if type(model).__name__ in ("FFNNRegressor", "FFNNClassifier") and net is None:
            raise ValueError(f"save needs a fitted estimator: this {type(model).__name__} is not "
                             "fitted yet; call fit first")
        if not isinstance(net, Network) or type(model).__name__ not in ("FFNNRegressor",
                                                                         "FFNNClassifier"):
            raise ValueError(f"save needs a Network, a fitted ffnn estimator or a command-line "
                             f"model, got {type(model).__name__}")
        is_classifier = type(model).__name__ == "FFNNClassifier"
        description["kind"] = "classifier" if is_classifier else "regressor"
        description["estimator"] = _describe_estimator(model)
    description["network"] = _describe_network(net)
    if tabular is not None:
        description["kind"] = "tabular"
        description["tabular"] = _describe_tabular(tabular)
    return description, net


# What keeps a network that a model file cannot describe.
PICKLE = ". pickle keeps any network (pickle.dump(net, file)), but runs code when loaded"


def _describe_network(net):
    for f in net.activations:
        if type(f) is not ACTIVATIONS.get(f.name) or f != ACTIVATIONS[f.name]():
            raise ValueError(f"cannot save the custom activation {f!r}; only the built-in ones "
                             f"({', '.join(sorted(ACTIVATIONS))}) with default settings{PICKLE}")
    loss = net.loss_function  # (an attribute set on a built-in one makes it another function)
    if type(loss) is not LOSSES.get(loss.name) or loss != LOSSES[loss.name]():
        raise ValueError(f"cannot save the custom loss {loss!r}; only the built-in ones "
                         f"({', '.join(sorted(LOSSES))}) with default settings{PICKLE}")
    return {"layer_sizes": list(net.layer_sizes), "activations": [f.name for f in net.activations],
            "loss": net.loss_function.name, "dtype": net.dtype.name}


def _finite_or_none(value):
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _describe_estimator(est):
    params = {}
    for name, value in est.get_params().items():
        if name == "random_state" and not (value is None or isinstance(value, (int, np.integer))):
            value = None  # a generator object is not data; the fitted weights are what matter
        elif name == "n_iter_no_change" and value == np.inf:
            value = "inf"
        elif name == "hidden_layer_sizes":  # one layer's size as given, or a list of them
            value = int(value) if isinstance(value, numbers.Integral) else [
                int(v) for v in np.atleast_1d(value)]
        elif name == "activation" and not isinstance(value, str):
            value = list(value)
        elif name == "class_weight" and isinstance(value, dict):
            value = [[_plain(k), int(v) if isinstance(v, numbers.Integral) else float(v)]
                     for k, v in value.items()]
        elif isinstance(value, np.floating) and value.dtype.name in NARROW_FLOATS:
            # fit computes with it in its own precision, as scikit-learn does (a float32
            # validation_fraction of 0.2 holds out 2 of 10 rows, its float64 value 3)
            value = {value.dtype.name: float(value)}
        elif isinstance(value, np.generic):
            value = value.item()
            if isinstance(value, np.generic):  # a longdouble: no JSON number holds it exactly
                raise ValueError(f"cannot save the model: {name} is a NumPy {value.dtype.name} "
                                 f"({value}), which a model file cannot keep; set it as a Python "
                                 f"number: set_params({name}=float(model.{name}))")
        params[name] = value
    state = est.fitted_state()
    try:  # what load will do with this description: refuse here, not when reading it back
        type(est).from_fitted_state(est.network_, est.get_params(), state)
    except ValueError as error:
        raise ValueError(f"cannot save the model: its parameters do not describe the network "
                         f"it fitted ({error}); set_params changed them since fit: set them "
                         "back, or fit again") from None
    # interrupted_ only where set: files of fits that ran to their end read as before
    fitted = {name: _json_value(value) for name, value in state.items() if name != "classes_"
              and not (name == "interrupted_" and value is None)}
    if "classes_" in state:
        classes = state["classes_"]
        if classes.dtype.kind not in "biufUO":  # dates and durations, which fit takes
            raise ValueError(f"cannot save the model: its classes_ are {classes.dtype} "
                             f"({classes[0]}, …), and a model file keeps labels "
                             "that are numbers, text or booleans; fit on labels of those "
                             "kinds (y.astype(str)), or keep the model with pickle")
        fitted["classes_"] = {"dtype": classes.dtype.str if classes.dtype.kind != "O"
                              else "object", "values": [_plain(c) for c in classes]}
    return {"class": type(est).__name__, "params": params, "fitted": fitted}


def _json_value(value):
    """A fitted attribute as JSON: numbers as Python numbers, NaN as null, and an infinity
    (a diverged epoch's loss, the best loss before any epoch) as the text "inf" or "-inf",
    which JSON has no number for."""
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (numbers.Integral,)):
        return int(value)
    value = float(value)
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return _finite_or_none(value)


def _plain(value):
    """A label as a JSON value (numpy scalars become Python ones)."""
    return value.item() if isinstance(value, np.generic) else value


def _describe_tabular(model):
    state = model.state()
    state["metrics"] = {part: {k: _finite_or_none(v) for k, v in values.items()}
                        for part, values in state["metrics"].items()}
    try:  # what load will do with this description, as for the estimator's
        type(model).from_state(model.estimator, state)
    except ValueError as error:
        raise ValueError(f"cannot save the model: {error}") from None
    return state
