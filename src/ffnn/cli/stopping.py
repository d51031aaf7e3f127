"""Which weights `ffnn fit` keeps, and why training stopped, in one line.

The command line holds out validation rows, so by default it keeps the weights of the epoch
with the best validation score, as Keras' `restore_best_weights` does (`--keep-last` keeps the
last epoch's). `BestEpoch` is the per-epoch callback that copies those weights as they appear.
"""

import numpy as np

from ..exceptions import DataError, DivergenceError
from ..rounding import fixed
from ..tabular.values import counted
from .progress import Progress, better


class BestEpoch:
    """Called after every epoch: keeps a copy of the weights of the best validation score (of
    the lowest validation loss among epochs that tie)."""

    def __init__(self, estimator):
        self.estimator = estimator
        self.epoch, self.score, self.loss, self.params = None, -np.inf, np.inf, None

    def __call__(self, info):
        record = better(info, self.score, self.loss)
        if record is None:
            return
        self.epoch, (self.score, self.loss) = info.epoch, record
        params = self.estimator.network_.params
        if self.params is None:
            self.params = params.copy()
        else:
            self.params[...] = params

    def restore(self):
        """Put the best epoch's weights back into the network; the epoch kept, or None."""
        if self.params is None:
            return None
        self.estimator.network_.params[...] = self.params
        return self.epoch


def unit_of(solver):
    """What a solver's step through the data is called: L-BFGS's iteration, others' epoch."""
    return "iteration" if solver == "lbfgs" else "epoch"


def why_stopped(estimator, reason, epochs, metric, improving=True):
    """Why training ended, in words: `reason` is the estimator's `stop_reason_` ("max_iter",
    "no_improvement", "converged", "loss_converged", "max_fun", "stopped", "diverged"),
    `epochs` the maximum; `improving`: whether the last epoch was the best (then more epochs
    may help)."""
    est = estimator
    unit = unit_of(est.solver)
    ran = est.n_iter_
    # scikit-learn's rule stops once more than n_iter_no_change epochs in a row have not
    # improved: one more than that many
    patience = est.n_iter_no_change + 1
    if reason == "max_iter":
        return f"trained all {counted(epochs, unit)}" + (
            f" (the last {unit} was the best: more --epochs may fit better)"
            if improving else "")
    if reason == "no_improvement":
        what = f"the validation {metric}" if est.early_stopping else "the training loss"
        if est.tol == 0:  # no smaller --tol to suggest: the loss simply stopped improving
            return (f"stopped at {unit} {ran} of {epochs}: {what} did not improve on its best "
                    f"for {patience} {unit}s in a row")
        # scikit-learn's rule: a gain below tol still makes a new best, so say "beat by at
        # least tol", which the best epoch kept (possibly one of these) does not contradict.
        return (f"stopped at {unit} {ran} of {epochs}: {what} did not beat its best by at "
                f"least tol={est.tol:g} in any of the last {patience} {unit}s"
                + ("" if est.early_stopping else " (a smaller --tol trains longer)"))
    if reason == "converged":
        return f"L-BFGS converged at iteration {ran} of {epochs} (the gradient fell below tol)"
    if reason == "loss_converged":
        return (f"L-BFGS stopped at iteration {ran} of {epochs}: its last step lowered the loss "
                "by less than SciPy's relative ftol, with the gradient still above tol")
    if reason == "max_fun":
        return (f"L-BFGS stopped at iteration {ran} of {epochs}: it evaluated the loss "
                f"{est.max_fun} times (its limit)")
    if reason == "stopped":
        return (f"L-BFGS stopped at iteration {ran} of {epochs} before converging (its line "
                "search found no better point)")
    if reason == "diverged":  # early stopping went back to its best epoch
        return f"training diverged at {unit} {len(est.loss_curve_)} of {epochs} (lower --lr)"
    return f"stopped at {unit} {ran} of {epochs}"


def kept_words(kept, best, last, metric, keep_last, has_validation, unit="epoch",
               early_stopping=False):
    """Which weights were saved, in words. With `early_stopping`, which --keep-last cannot
    join, the last epoch is named without pointing to it."""
    if kept is not None:
        hint = "" if early_stopping else "; --keep-last keeps it"
        tail = f" (the last was {unit} {last}{hint})" if kept != last else ""
        return f"kept the weights of {unit} {kept}, the best validation {metric} {fixed(best)}{tail}"
    if keep_last and has_validation:
        return f"kept the last {unit}'s weights (--keep-last)"
    if has_validation:  # no score was a number: R² of a single validation row, say
        return (f"kept the last {unit}'s weights (no {unit} had a validation {metric} to "
                "choose another by)")
    return f"kept the last {unit}'s weights (no validation rows to choose another)"


def train_keeping_best(estimator, args, metric, unit, fit):
    """Run `fit(callback)` with a progress display and BestEpoch as the callback: returns (the
    BestEpoch, the epoch whose weights were put back, or None with --keep-last or without
    validation). A run that diverged (DivergenceError) is not a result, whatever epoch scored
    best before it: DataError, and no model. (With --early-stopping the estimator raises none:
    it goes back to its best-scoring epoch, whose weights are then saved, `why_stopped` saying
    that training diverged.)"""
    progress = Progress(args.epochs, metric, quiet=args.quiet, unit=unit)
    best = BestEpoch(estimator)

    def on_epoch(info):
        best(info)
        progress(info)

    try:
        fit(on_epoch)
    except DivergenceError as error:
        best_so_far = (f"; its best validation {metric} was {fixed(best.score)}, at {unit} "
                       f"{best.epoch}" if best.epoch is not None else "")
        # L-BFGS takes no --lr: its line search chooses each step
        lower_lr = "" if estimator.solver == "lbfgs" else (
            f"lower --lr (now {estimator.learning_rate_init:g}) or ")
        raise DataError(f"training diverged at {unit} {error.epoch} (the loss grew without "
                        f"bound); no model written{best_so_far}: {lower_lr}check the data for "
                        "extreme values") from None
    finally:
        progress.close()
    return best, None if args.keep_last else best.restore()


def ending(estimator, best, kept, args, metric, unit, validated):
    """(the epoch whose weights the model keeps, None for the starting weights, the one line
    saying why training stopped and which weights were kept) after `train_keeping_best`."""
    last = len(estimator.loss_curve_)
    stopped = why_stopped(estimator, estimator.stop_reason_, args.epochs, metric,
                          improving=kept is not None and kept == last)
    if kept is None and args.early_stopping and validated:
        # no score to go back to: the estimator's early stopping went back to where it started
        return None, (f"{stopped}; kept the starting weights, untrained (every validation "
                      f"{metric} was -inf or NaN: the validation rows' outputs overflowed; look "
                      "for extreme values in them)")
    kept_text = kept_words(kept, best.score, last, metric, args.keep_last, validated, unit,
                           args.early_stopping)
    return (kept if kept is not None else last), f"{stopped}; {kept_text}"


def checkpoint_words(estimator, kept, args, unit):
    """(the epoch whose weights an interrupted fit's checkpoint holds, or None, and those weights
    in words), given the epoch `train_keeping_best` put back (or None)."""
    curve = estimator.loss_curve_
    if kept is not None:
        return kept, f"the best model so far (the weights of {unit} {kept}, the best validation score)"
    if not curve:
        return None, f"the starting weights, untrained (no {unit} ended),"
    if args.early_stopping:  # going back to its best-scoring epoch, the estimator found none
        return None, f"the starting weights, untrained (no {unit} had a finite validation score),"
    if args.solver == "lbfgs":  # L-BFGS holds its last accepted iterate
        return len(curve), "the best model so far"
    # without a validation epoch to go back to (no validation rows, or --keep-last), an
    # interrupted minibatch run holds the weights of its lowest training loss
    kept = int(np.argmin(curve)) + 1
    return kept, f"the best model so far (the weights of {unit} {kept}, the lowest training loss)"
