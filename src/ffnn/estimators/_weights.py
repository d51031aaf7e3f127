"""Each row's weight in J: `sample_weight` times the weight `class_weight` gives its class, and
the checks of their sum that training needs (it divides by Σw), in memory and on a cluster."""

import numpy as np
from sklearn.utils.validation import _check_sample_weight

from .. import checks


def class_weight_of(est, incremental, multilabel=False):
    """The estimator's class_weight (None for a regressor or none set), checked against all
    its classes (`classes_`), in training as in a model file, not only those of the rows at
    hand; ValueError for `multilabel` targets, whose labels have no class to weigh, and where
    partial_fit is asked for "balanced", which needs the whole data set."""
    class_weight = getattr(est, "class_weight", None)
    if class_weight is None:
        return None
    if multilabel:
        raise ValueError("class_weight is not supported for multilabel targets; pass "
                         "sample_weight instead")
    if incremental and class_weight == "balanced":
        raise ValueError("class_weight='balanced' needs the whole data set, so partial_fit does "
                         "not support it; pass a dict of weights")
    check_class_weight(class_weight, est.classes_)
    return class_weight


def check_weight_sum(total, n, split=False):
    """ValueError unless Σw, the sum of n rows' weights, is positive and N/Σw a float64
    (`checks.check_weight_sum`): training divides by it. `split`: Σw of the rows left for
    training by early stopping's split."""
    if not total > 0 and split:
        raise ValueError("Sample weights must contain at least one non-zero number in the "
                         "training rows: those left after early stopping's split all have "
                         "weight 0. Give weight to more rows, lower validation_fraction, or "
                         "pass validation_data.")
    if not total > 0:
        raise ValueError("the sample weights sum to zero; at least one sample needs a positive "
                         "weight")
    checks.check_weight_sum(total, n)


def class_factors(class_weight, classes, counts):
    """(classes, the weight `class_weight` gives each) for training rows holding `classes`
    (sorted) `counts` times, each row counted by its sample weight: "balanced" is
    scikit-learn's n / (k · count_c) over the k classes the rows hold (1 for a class whose rows
    all weigh 0); a dict's weights default to 1. ValueError where every class weighs 0."""
    if class_weight == "balanced":
        counts = np.asarray(counts, np.float64)
        values = np.divide(counts.sum(), len(classes) * counts, out=np.ones(len(classes)),
                           where=counts > 0)
    else:
        keys = [key_of(class_weight, c) for c in classes]
        values = np.array([1.0 if k is None else float(class_weight[k]) for k in keys])
    if not values.any():  # else refused later as sample weights that sum to zero
        raise ValueError(f"class_weight gives weight 0 to every class of y "
                         f"({', '.join(map(str, classes))}); give at least one of them a "
                         "positive weight")
    return classes, values


def by_class(factors, labels):
    """Each row's weight from `class_factors`: its class's, or 1 for a class the training rows
    lack (validation rows of a class that a warm start's training rows do not hold)."""
    classes, values = factors
    at = np.searchsorted(classes, labels).clip(max=len(classes) - 1)
    return np.where(classes[at] == labels, values[at], 1.0)


def row_weights(est, sample_weight, X, labels, incremental):
    """(the rows' weights (None: all 1), the `class_factors` that weighed them (None without
    class_weight)) for rows X of class `labels` (None for multilabel targets and regression).
    The factors weigh validation rows given apart as the training rows were weighed."""
    weights = factors = None
    if sample_weight is not None:
        weights = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                       ensure_non_negative=True)
    class_weight = class_weight_of(est, incremental, multilabel=labels is None)
    if class_weight is not None:
        classes, inverse = np.unique(labels, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights, len(classes))  # rows by their weight
        factors = class_factors(class_weight, classes, counts)
        weights = by_class(factors, labels) if weights is None else weights * by_class(
            factors, labels)
    if weights is not None:
        with np.errstate(over="ignore"):  # an overflow is refused
            check_weight_sum(weights.sum(), weights.size)
    return weights, factors


def key_of(class_weight, label):
    """The key of a dict class_weight that weighs class `label`, or None: the label itself,
    else, for a label that spells an integer ("1"), that integer, as scikit-learn's
    compute_class_weight reads a dict (so that {1: 5} weighs class "1" as it does there)."""
    if label in class_weight:
        return label
    if isinstance(label, str):
        try:
            key = int(label)
        except ValueError:
            return None
        return key if key in class_weight else None
    return None


def check_class_weight(class_weight, classes):
    """fit's rule for a dict class_weight (scikit-learn's): a key that is none of the `classes`
    may be given only if every class has a weight; ValueError otherwise, saying which."""
    if not isinstance(class_weight, dict):
        return
    keys = [key_of(class_weight, c) for c in classes]
    unweighted = [c for c, k in zip(classes, keys) if k is None]
    others = [k for k in class_weight if k not in keys]
    if unweighted and others:
        raise ValueError(f"class_weight gives no weight to the classes {_listed(unweighted)} of "
                         f"y, and names {_listed(others)}, which are none of its classes "
                         f"{_listed(classes)}; name only classes of y, or give every class "
                         "a weight")


def _listed(labels):
    """Labels as a list of Python values, printed as the user would write them."""
    return [v.item() if isinstance(v, np.generic) else v for v in labels]
