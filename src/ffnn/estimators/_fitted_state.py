"""What fitting learns besides the weights, as model files keep it, and back."""

import numpy as np

from ..training import History

# The fitted attributes besides the weights (and, for a classifier, its classes).
FITTED_STATE = ("n_features_in_", "feature_names_in_", "n_iter_", "t_", "loss_", "best_loss_",
                "loss_curve_", "validation_scores_", "validation_loss_curve_",
                "best_validation_score_")


def history(state):
    """The trainer's history from a fitted state, where a number that was not finite is None."""
    return History(
        loss_curve=_floats(state["loss_curve_"]),
        validation_scores=_floats(state["validation_scores_"] or []),
        validation_loss_curve=_floats(state["validation_loss_curve_"] or []),
        best_loss=_float(state["best_loss_"], np.inf),
        best_validation_score=_float(state["best_validation_score_"], -np.inf),
        n_iter=state["n_iter_"], t=state["t_"])


def check_agrees(est, state):
    """ValueError unless the attributes est derived from its curves are those the state gives."""
    for name in ("loss_", "best_loss_", "best_validation_score_"):
        if not _same_number(getattr(est, name), state[name]):
            raise ValueError(f"{name} is {state[name]}, but the curves give "
                             f"{getattr(est, name)}")
    if (state["validation_scores_"] is None) != (est.validation_scores_ is None):
        raise ValueError("validation_scores_ and validation_loss_curve_ disagree")


def _floats(values):
    """A curve from a model file: None, where a number was not finite, becomes NaN."""
    return [np.nan if v is None else float(v) for v in values]


def _float(value, missing):
    return missing if value is None else float(value)


def _same_number(a, b):
    """Equal, or both missing or non-finite (a model file keeps those as null)."""
    a_missing = a is None or not np.isfinite(a)
    b_missing = b is None or not np.isfinite(b)
    return a_missing and b_missing or (not a_missing and not b_missing and a == b)
