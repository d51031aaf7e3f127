"""What fitting learns besides the weights, as model files keep it, and back."""

import numbers
import warnings

import numpy as np

from ..training import STOCHASTIC_SOLVERS, History, Trainer

# The fitted attributes besides the weights (and, for a classifier, its classes).
FITTED_STATE = ("n_features_in_", "feature_names_in_", "n_iter_", "t_", "loss_", "best_loss_",
                "loss_curve_", "validation_scores_", "validation_loss_curve_",
                "best_validation_score_")


def state_of(est):
    """The fitted state of a fitted estimator, as `restore` takes it."""
    state = {name: getattr(est, name, None) for name in FITTED_STATE}
    names = state["feature_names_in_"]
    state["feature_names_in_"] = None if names is None else [str(n) for n in names]
    # Where Ctrl-C stopped the last fit (None: it ran to its end), which a checkpoint keeps
    state["interrupted_"] = vars(est).get("interrupted_")
    state.update(est._target_state())
    return state


def restore(est, network, state):
    """Makes `est`, unfitted with its parameters set, the estimator fitted to `network` with
    the fitted attributes `state`; ValueError where the three disagree."""
    hidden, hidden_activations = est._hidden_layers()
    settings = est._settings()
    if hidden != network.layer_sizes[1:-1] or hidden_activations != [
            f.name for f in network.activations[:-1]]:
        raise ValueError("hidden_layer_sizes or activation disagree with the network")
    if state["n_features_in_"] != network.D_x:
        raise ValueError(f"n_features_in_ is {state['n_features_in_']} but the network has "
                         f"{network.D_x} inputs")
    est.n_features_in_ = network.D_x
    names = state["feature_names_in_"]
    if names is not None:
        # (fit refuses a table that names a column twice)
        if len(names) != network.D_x or not all(isinstance(n, str) for n in names) or len(
                set(names)) != len(names):
            raise ValueError(f"feature_names_in_ must be {network.D_x} distinct strings")
        est.feature_names_in_ = np.array(names, dtype=object)
    expected = est._restore_targets(state, network)
    if (network.activations[-1].name, network.loss_function.name) != expected:
        raise ValueError(f"the network's output layer is {network.activations[-1].name} with "
                         f"{network.loss_function.name}, but these targets need "
                         f"{expected[0]} with {expected[1]}")
    est.network_ = network
    est._architecture = (hidden, hidden_activations)
    # Training on after a load draws from a fresh stream; loading never reads global state.
    seed = est.random_state if isinstance(est.random_state, numbers.Integral) else None
    est._rng = np.random.default_rng(seed)
    est._trainer = Trainer(network, settings, est._rng)
    est._trainer.history = history(state)
    # What the file does not keep, training on says (see warn_of_fresh_state)
    est._fresh_training_state = True
    # best_loss_ is None after early stopping: the file says whether the fit stopped so
    # (its parameters may have been changed by set_params since)
    est._set_fitted_attributes(early_stopping=state["best_loss_"] is None)
    check_agrees(est, state)
    est.interrupted_ = interrupted_epoch(state.get("interrupted_"), len(state["loss_curve_"]))


def interrupted_epoch(epoch, epochs):
    """The epoch a fit was interrupted during, checked against the `epochs` of the loss curve:
    one recorded (L-BFGS records its starting loss) or the one after them, never recorded."""
    if epoch is None:
        return None
    if isinstance(epoch, (bool, np.bool_)) or not isinstance(epoch, numbers.Integral):
        raise ValueError(f"interrupted_ must be None or a whole number, got {epoch!r}")
    epoch = int(epoch)  # (a NumPy integer too)
    if not 1 <= epoch <= epochs + 1:
        raise ValueError(f"interrupted_ is {epoch!r}, but a fit of {epochs} recorded iterations "
                         f"can only have been interrupted during one of 1 to {epochs + 1}")
    return epoch


def warn_of_fresh_state(est, incremental):
    """Warn, before a loaded model trains on (a warm start, partial_fit), that it does not go on
    as the saved one would have: the file kept no optimizer state, count or random stream. A
    warm start builds a fresh optimizer and divergence reference whatever the model, so only
    partial_fit (`incremental`) loses those. L-BFGS keeps none between runs, so it goes on
    exactly."""
    if not vars(est).get("_fresh_training_state") or est.solver not in STOCHASTIC_SOLVERS:
        return
    lost = ("the optimizer's (Adam's moments and step count, SGD's velocity, a learning rate "
            "the schedule lowered), the count of epochs without improvement, the divergence "
            "reference and the random stream of minibatch order and held-out rows"
            if incremental else
            "the count of epochs without improvement and the random stream of minibatch order "
            "and held-out rows (a warm start builds a fresh optimizer either way)")
    warnings.warn(
        f"this {type(est).__name__} was loaded from a model file, which keeps its weights and "
        f"training history but not the state training goes on from: {lost}. It trains on "
        "from fresh ones, so not as the saved model would have; to go on exactly, keep the "
        "model itself (pickle and copy.deepcopy keep all of it), and the model file for "
        "predicting", UserWarning, stacklevel=4)


def history(state):
    """The trainer's history from a fitted state, where a number that was not finite is None.
    n_iter_ counts the iterations of the last run (fit, a warm start, partial_fit's epoch),
    loss_curve_ those of every run; t_ counts the rows a minibatch solver went through, and
    only an epoch recorded in the curve adds to it."""
    epochs = len(state["loss_curve_"])
    if not (type(state["n_iter_"]) is int and 0 <= state["n_iter_"] <= epochs):
        raise ValueError(f"n_iter_ is {state['n_iter_']}, beyond the {epochs} iterations of "
                         "loss_curve_")
    if not (type(state["t_"]) is int and 0 <= state["t_"] < 2**63) or (
            state["t_"] and not epochs):
        raise ValueError(f"t_ must be a count of rows below 2**63, and 0 without iterations in "
                         f"loss_curve_, got {state['t_']}")
    scores, losses = state["validation_scores_"], state["validation_loss_curve_"]
    # Each scored epoch appends to both curves, and only an epoch of loss_curve_ is scored
    # (a file may list fewer, the scored epochs alone, as older ones did).
    if (scores is None) != (losses is None) or scores is not None and not (
            len(scores) == len(losses) <= epochs):
        raise ValueError(f"validation_scores_ and validation_loss_curve_ must both be null or "
                         f"list the same scored epochs, at most the {epochs} of loss_curve_")
    # A file listing fewer scores than epochs lists the scored epochs one after the other: they
    # are taken as the last ones (a warm start that added validation rows), the others NaN.
    unscored = [None] * (epochs - len(scores)) if scores else []
    return History(
        loss_curve=_floats(state["loss_curve_"]),
        validation_scores=_floats(unscored + (scores or [])),
        validation_loss_curve=_floats(unscored + (losses or [])),
        best_loss=_float(state["best_loss_"], np.inf),
        best_validation_score=_float(state["best_validation_score_"], -np.inf),
        n_iter=state["n_iter_"], t=state["t_"])


def check_agrees(est, state):
    """ValueError unless the attributes est derived from its curves are those the state gives."""
    # None (in a file) or NaN: an epoch not scored, or one that diverged
    scores = [v for v in state["validation_scores_"] or [] if v is not None and v == v]
    if not _same_number(max(scores, default=None), state["best_validation_score_"]):
        raise ValueError(f"best_validation_score_ is {state['best_validation_score_']}, but the "
                         f"best of validation_scores_ is {max(scores, default=None)}")
    for name in ("loss_", "best_loss_", "best_validation_score_"):
        if not _same_number(getattr(est, name), state[name]):
            raise ValueError(f"{name} is {state[name]}, but the curves give "
                             f"{getattr(est, name)}")
    if (state["validation_scores_"] is None) != (est.validation_scores_ is None):
        raise ValueError("validation_scores_ and validation_loss_curve_ disagree")
    if state["best_loss_"] is None and est.validation_scores_ is None and est.loss_curve_:
        raise ValueError("best_loss_ is missing, which only early stopping leaves, but no "
                         "validation score was recorded")


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
