"""The estimators' parameters: checked when fitting (scikit-learn's contract: __init__ only
stores them), and turned into the network's hidden layers and the trainer's Settings."""

import math
import numbers
from collections.abc import Iterator
from dataclasses import fields

import numpy as np
from sklearn.utils import check_random_state

from ..activations import ALIASES, HIDDEN_ACTIVATIONS
from ..exceptions import InvalidParameterError
from ..training import Settings
from ..training.setting_checks import check_choices, check_flag, check_number, check_settings

# The names `activation` accepts (scikit-learn's and the chapter's), and what each means.
ACTIVATION_NAMES = {**{name: name for name in HIDDEN_ACTIVATIONS}, **ALIASES}
WEIGHT_INITS = ("glorot", "he")


def random_source(random_state):
    """Where the initial weights come from: scikit-learn's check_random_state(random_state), that
    is NumPy's global RandomState for None, RandomState(seed) for an int, or the RandomState given,
    so that the same random_state starts from scikit-learn's very weights (and None follows
    `np.random.seed`, reading the global state, never reseeding it); or a Generator, as given."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool) and \
            not 0 <= random_state < 2**32:  # NumPy's own refusal does not name the parameter
        raise InvalidParameterError(f"random_state must be an int in [0, 4294967295] (or None, "
                                    f"a numpy RandomState or Generator), got {random_state!r}")
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.RandomState)):
        return check_random_state(random_state)
    raise InvalidParameterError(f"random_state must be None, an int, a numpy RandomState or "
                                f"Generator, got {random_state!r}")


def generator(source):
    """The Generator that draws what comes after the initial weights (the minibatch order, the
    early-stopping split): the source itself if it is one, else seeded by one draw from it."""
    if isinstance(source, np.random.Generator):
        return source
    return np.random.default_rng(source.randint(np.iinfo(np.int32).max))


def glorot_factors(est, hidden_activations):
    """Per layer, the factor of scikit-learn's initial bound sqrt(factor / (fan_in + fan_out)):
    2 where the hidden activation is logistic, 6 otherwise. scikit-learn has one hidden
    activation and uses it for every layer, the output layer included; with one per hidden
    layer, each layer takes its own and the output layer the last hidden layer's."""
    if hidden_activations:
        governing = list(hidden_activations) + [hidden_activations[-1]]
    else:  # no hidden layer: the `activation` parameter still decides, as in scikit-learn
        single = est.activation if isinstance(est.activation, str) else None
        governing = [ACTIVATION_NAMES.get(single)]
    return [2.0 if name == "sigmoid" else 6.0 for name in governing]


def hidden_layers(est):
    sizes = est.hidden_layer_sizes
    if isinstance(sizes, (str, bytes, dict, set)):  # list("") would be no hidden layer at all
        raise InvalidParameterError(f"hidden_layer_sizes must be an integer or a sequence of "
                                    f"positive integers, got {sizes!r}")
    if isinstance(sizes, numbers.Integral):
        sizes = [sizes]
    else:
        # None, a float or any other non-sequence: refused as scikit-learn refuses it, with the
        # error its callers catch, not the TypeError of list() on it
        sizes = _as_list(sizes, f"hidden_layer_sizes must be an integer or a sequence of "
                                f"positive integers, got {sizes!r}")
    if not all(isinstance(D, numbers.Integral) and not isinstance(D, bool) and D > 0
               for D in sizes):
        raise InvalidParameterError(f"hidden_layer_sizes must be positive integers, got "
                                    f"{est.hidden_layer_sizes!r}")
    activation = est.activation
    names = [activation] * len(sizes) if isinstance(activation, str) else _as_list(
        activation, f"activation must be a name or a list of one name per hidden layer, got "
                    f"{activation!r}")
    if len(names) != len(sizes):
        raise InvalidParameterError(f"activation lists {len(names)} activations for "
                                    f"{len(sizes)} hidden layers; give one name, or one per "
                                    "hidden layer")
    for name in names:
        if not isinstance(name, str) or name not in ACTIVATION_NAMES:
            raise InvalidParameterError(f"activation {name!r} is not supported; valid names are "
                                        f"{', '.join(sorted(ACTIVATION_NAMES))}")
    return [int(D) for D in sizes], [ACTIVATION_NAMES[name] for name in names]


def _as_list(value, message):
    """list(value), or InvalidParameterError(message) where value is not a sequence. An
    iterator (a generator) is refused too: the parameters are read at every check, and the
    first read would leave the next an empty list (a network with no hidden layer)."""
    if isinstance(value, Iterator):
        raise InvalidParameterError(f"{message}, which can be read only once; pass a list or "
                                    "a tuple")
    try:
        return list(value)
    except TypeError:
        raise InvalidParameterError(message) from None


def settings(est):
    """The trainer's Settings from the estimator's parameters, each checked as scikit-learn
    checks it (a wrong type or value is an InvalidParameterError naming the parameter)."""
    chosen = Settings(**{field.name: getattr(est, field.name) for field in fields(Settings)
                         if field.name != "partitions"})
    check_settings(chosen)  # the solver, batch size and the numbers of the trainer
    check_choices(chosen)  # the schedule, engine and precision
    check_number("validation_fraction", est.validation_fraction, 0, 1, high_open=True)
    for name in ("early_stopping", "warm_start"):
        check_flag(name, getattr(est, name))
    if not isinstance(est.verbose, (bool, np.bool_, numbers.Integral)) or est.verbose < 0:
        raise InvalidParameterError(f"verbose must be True, False or an int >= 0, got "
                                    f"{est.verbose!r}")
    if est.weight_init not in WEIGHT_INITS:
        raise InvalidParameterError(f"weight_init must be one of {', '.join(WEIGHT_INITS)}, got "
                                    f"{est.weight_init!r}")
    class_weight = getattr(est, "class_weight", None)
    # (an array compared with "balanced" would be an array of booleans, of no truth value)
    if not (class_weight is None or isinstance(class_weight, dict) or
            isinstance(class_weight, str) and class_weight == "balanced"):
        raise InvalidParameterError(f"class_weight must be None, 'balanced' or a dict of "
                                    f"weights per class, got {class_weight!r}")
    if isinstance(class_weight, dict):
        _check_class_weights(class_weight)
    return chosen


def _check_class_weights(class_weight):
    """Each class's weight must be a finite number >= 0: the rows' weights are multiplied by
    it, and a NaN or a negative one was refused as a fault of sample weights never given, a
    string or a flag trained on as the number it spells."""
    for label, weight in class_weight.items():
        if not (isinstance(weight, numbers.Real) and not isinstance(weight, (bool, np.bool_))
                and math.isfinite(weight) and weight >= 0):
            raise InvalidParameterError(f"class_weight must give each class a finite number >= "
                                        f"0, got {weight!r} for class {label!r}")


COMMON_DOC = """
    Parameters are those of scikit-learn's MLP estimators, with the same defaults. Additions:
    `activation` may be a list with one name per hidden layer ("relu", "tanh", "logistic" or
    "sigmoid", "identity" or "linear", "leaky_relu"); `solver` may also be "gd" (full-batch
    gradient descent); `weight_init` is "glorot" (scikit-learn's own initial weights) or "he"
    (He for ReLU-family layers, better for deep networks); `backend="jax"` trains with the
    compiled engine (`pip install "ffnn[jax]"`; JAX's default device, a GPU when there is one),
    the same training as the default "numpy" to rounding, with `precision="highest"` (exact
    float32 matrix products) or "tf32" (TensorFloat-32: faster on GPUs, about three significant
    digits per product; the NumPy engine's products are always exact, so it ignores
    `precision`, as scikit-learn's solvers ignore the parameters of the others). `fit` takes
    `sample_weight` and `callback` (called with an `ffnn.training.EpochInfo` after every epoch).
"""
