"""How a fit ended, said as scikit-learn says it: the ConvergenceWarning of a solver that stopped
at a limit (in scikit-learn's words, which code filters and matches on), and the warnings of an
interrupted or diverged fit."""

import warnings

from sklearn.exceptions import ConvergenceWarning


def warn_how_it_ended(est, result):
    """Say how an estimator's training ended (`result`, the trainer's RunResult) where
    scikit-learn would, in its words, or where it ended early."""
    stopped, lbfgs = result.stopped, est.solver == "lbfgs"
    if stopped == "interrupted":
        step = "iteration" if lbfgs else "epoch"
        warnings.warn(
            f"Training interrupted by user. It stopped during {step} {result.epoch}; the "
            "estimator keeps the best weights found so far and can be used or trained on.",
            UserWarning)
    elif stopped == "max_iter" and not lbfgs:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({est.max_iter}) reached and the "
            "optimization hasn't converged yet.", ConvergenceWarning)
    elif lbfgs and stopped in ("max_iter", "max_fun", "stopped"):
        # scikit-learn's opening words, which code filters and matches on ("lbfgs failed to
        # converge"), with SciPy's status: 1 at a limit, 2 for any other early stop.
        status = 2 if stopped == "stopped" else 1
        advice = {
            "max_iter": "Increase the number of iterations to improve the convergence "
                        f"(max_iter={est.max_iter}).",
            "max_fun": f"L-BFGS: Maximum function evaluations (max_fun={est.max_fun}) "
                       "reached and the optimization hasn't converged yet; increase "
                       "max_fun.",
            "stopped": "Scaling the features and targets usually helps."}[stopped]
        warnings.warn(f"lbfgs failed to converge after {est.n_iter_} iteration(s) "
                      f"(status={status}):\n{result.message}\n\n{advice}",
                      ConvergenceWarning)
    elif stopped == "diverged":
        warnings.warn(result.message, ConvergenceWarning)
    if est.best_loss_ is None and est.best_validation_score_ == float("-inf") and \
            stopped in ("no_improvement", "max_iter", "epoch"):
        # early stopping goes back to its best-scoring epoch; without one, to where it started
        warnings.warn(
            "no epoch scored a finite validation score (every one was -inf or NaN); the "
            "estimator keeps the weights training started from. The held-out outputs "
            "overflowed: scale the validation features as the training ones", UserWarning)
