"""The epoch loop: a solver minimising the objective J (see `objective`) for one network.

Minibatch solvers ("sgd", "adam", and "gd", whose one batch is every row) take a step per batch
and record J's average over the epoch; "lbfgs" hands J to SciPy (see `lbfgs`). Every epoch is
checked for divergence; held-out data, when given, is scored after every epoch and may stop
training early (scikit-learn's rules for `tol` and `n_iter_no_change`).
"""

import time

import numpy as np

from ..checks import check_targets, check_training_rows
from ..exceptions import DivergenceError
from . import divergence, engines, optimizers
from .batches import Batches, PartitionedBatches
from .epochs import NumpyEpochs
from .lbfgs import minimize_lbfgs
from .objective import Objective, mean_loss
from .setting_checks import check_settings
from .settings import EpochInfo, History, RunResult, with_errstate


class Trainer:
    """Runs a solver on a Network. The history carries over between runs, and so does the update
    rule's state (velocity, moments) and its learning-rate schedule from one incremental run to
    the next (partial_fit); any other run starts a fresh update rule from the current settings,
    as scikit-learn does."""

    def __init__(self, net, settings, rng):
        self.net, self.settings, self.rng = net, settings, rng
        self.optimizer = None
        # (learning_rate, learning_rate_init, power_t) of the settings the update rule was made
        # with: the schedule it follows for as long as it lives
        self.schedule = None
        self.history = History()

    # The run's engine, which may keep the update rule's state on its device (see __getstate__)
    _running = None

    def __getstate__(self):
        """For pickle and deepcopy: the trainer as the last epoch left it (the update rule's state,
        the run's best weights so far), so that a copy taken from a callback trains on as it does."""
        if self._running is not None:
            self._running.finish(self.optimizer)
            if self._running.kept is not None:  # (the run's own copy of them is its engine's)
                self.history.best_params[...] = self._running.kept
        return {**vars(self), "_running": None}

    def run(self, X, Y, weights=None, validation=None, incremental=False, callback=None):
        """Train on rows X (N × D_x, dense or sparse), Y (N × D_y, or (N,) for one output) of the
        network's dtype, with optional sample weights (N,); return a RunResult; rows out of
        step, not finite or not plain numbers (masked, complex, text) are a ValueError
        (`checks.check_training_rows`). X may instead be data held on a cluster
        (`dask_engine.Partitions`, which holds its targets and weights: Y and weights None).
        Raises DivergenceError, keeping the last finite weights, when the loss diverges (see
        divergence.DIVERGENCE_FACTOR), unless early stopping has a best-scoring epoch to go back
        to. A setting out of range is an InvalidParameterError, raised before any weight moves."""
        s = self.settings
        distributed = getattr(X, "distributed", False)
        check_settings(s)
        engines.check_engine(s, distributed)
        if callback is not None:  # the epochs run with NumPy's warnings off; the caller's not
            callback = with_errstate(callback, np.geterr())
        if distributed:
            n, sum_weights = X.n, X.sum_weights
        else:  # (a cluster's targets are checked where they are read)
            X, Y, weights = check_training_rows(X, Y, weights, self.net)
            Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y  # the one output's column
            check_targets(Y, self.net.loss_function)
            n, sum_weights = X.shape[0], None if weights is None else float(np.sum(weights))
        objective = Objective(self.net, s.alpha, n, sum_weights)
        with np.errstate(all="ignore"), self.history.run():
            if s.solver == "lbfgs":
                if distributed:
                    objective = X.full_objective(objective)
                elif s.backend == "jax":
                    objective = engines.jax_engine().FullObjective(
                        self.net, objective, X, Y, weights, s.precision)
                return self._run_lbfgs(objective, X, Y, weights, validation, callback)
            epochs = self._epochs(objective, X, Y, weights)
            if distributed:
                at_zero = X.at_zero
            else:
                def at_zero():
                    return objective.at_zero(Y, weights)
            return self._run_stochastic(epochs, n, at_zero, validation, incremental, callback)

    def _epochs(self, objective, X, Y, weights):
        """The engine that runs the epochs of a minibatch solver on this data."""
        s, net = self.settings, self.net
        shuffle = s.shuffle and s.solver != "gd"
        if getattr(X, "distributed", False):
            return X.epochs(objective, self.batch_size(X.n), shuffle, self.rng,
                            full_batch=s.solver == "gd")
        n = X.shape[0]
        if s.partitions is not None and s.solver != "gd":
            batches = PartitionedBatches(X, Y, weights, self.batch_size(n), shuffle, self.rng,
                                         s.partitions)
        else:
            batches = Batches(X, Y, weights, self.batch_size(n), shuffle, self.rng)
        if s.backend == "jax":
            return engines.jax_engine().Epochs(net, objective, X, Y, weights,
                                               self.batch_size(n), batches, s.precision,
                                               full_batch=s.solver == "gd")
        return NumpyEpochs(net, objective, batches)

    @property
    def loss(self):
        return self.history.loss_curve[-1] if self.history.loss_curve else None

    # -- minibatch solvers ------------------------------------------------------------------

    def batch_size(self, n):
        """The batch size for n rows: all of them for "gd", min(200, n) for "auto", and the setting
        clipped to [1, n] otherwise (scikit-learn warns of the clipping; so does the estimator)."""
        s = self.settings
        if s.solver == "gd":
            return n
        if s.batch_size == "auto":
            return min(200, n)
        return int(np.clip(s.batch_size, 1, n))

    def _run_stochastic(self, epochs, n, at_zero, validation, incremental, callback):
        """The epochs of a minibatch solver over n rows; `at_zero()` is J at θ = 0."""
        s, h, net = self.settings, self.history, self.net
        if not (incremental and isinstance(self.optimizer, optimizers.RULES[s.solver])):
            self.optimizer = optimizers.make(
                s.solver, s.learning_rate_init, s.momentum, s.nesterovs_momentum, s.beta_1,
                s.beta_2, s.epsilon)
            self.schedule = (s.learning_rate, s.learning_rate_init, s.power_t)
        schedule, rate_init, power_t = self.schedule
        if h.best_params is None:
            h.best_params = net.params.copy()
        restore_best = validation is not None and validation.early_stopping
        reference = None
        h.n_iter, curve_start, t_start = 0, len(h.loss_curve), h.t
        self._running = epochs
        try:
            for _ in range(1 if incremental else s.max_iter):
                started = time.perf_counter()
                learning_rate = self.optimizer.learning_rate
                loss, first_loss = epochs.epoch(self.optimizer)
                h.n_iter += 1
                h.t += n
                if reference is None:
                    reference = divergence.reference(h, first_loss, at_zero, incremental)
                problem = divergence.problem(loss, reference, epochs.params_finite,
                                             len(h.loss_curve) + 1,
                                             self.optimizer.steps_bounded)
                if problem is not None:
                    result = self._diverged(problem, loss, epochs, validation, n)
                    break
                h.loss_curve.append(loss)
                info = EpochInfo(len(h.loss_curve), loss, learning_rate=learning_rate,
                                 samples_seen=h.t, seconds=time.perf_counter() - started)
                self._score(info, validation)
                if self._update_no_improvement(info, validation):
                    epochs.snapshot()  # this run's best weights so far: epochs.kept
                if schedule == "invscaling" and s.solver != "adam":
                    self.optimizer.learning_rate = rate_init / (h.t + 1) ** power_t
                stop = h.no_improvement_count > s.n_iter_no_change
                if stop:
                    stop, info.note = self._trigger_stopping(validation)
                if callback is not None:
                    callback(info)
                if stop:
                    result = RunResult("no_improvement", info.epoch, info.note)
                    break
            else:
                result = RunResult("epoch" if incremental else "max_iter", len(h.loss_curve))
        except KeyboardInterrupt:
            # Keep the best weights seen so far; the caller says so in a warning. The counts
            # are those of the epochs recorded, wherever in an epoch the interrupt fell.
            result, restore_best = RunResult("interrupted", len(h.loss_curve) + 1), True
            h.n_iter = len(h.loss_curve) - curve_start
            h.t = t_start + h.n_iter * n
        finally:
            try:
                if epochs.kept is not None:
                    h.best_params[...] = epochs.kept
            finally:  # even if a second Ctrl-C cuts the copy short
                self._running = None
                epochs.finish(self.optimizer)
        if restore_best:
            net.params[...] = h.best_params
        return result

    def _score(self, info, validation):
        if validation is None:
            return
        h = self.history
        info.validation_score = float(validation.score(self.net))
        if validation.loss is not None:
            info.validation_loss = float(validation.loss(self.net))
        else:
            info.validation_loss = float(mean_loss(self.net, validation.X, validation.Y,
                                                   validation.weights))
        h.score_epoch(info.validation_score, info.validation_loss)

    def _update_no_improvement(self, info, validation):
        """scikit-learn's rule: count epochs that fail to improve the best by `tol`. Returns
        whether this epoch's weights are the best so far (the caller keeps a copy)."""
        s, h = self.settings, self.history
        if validation is not None and validation.early_stopping:
            score = info.validation_score
            # NaN or -inf (outputs that overflowed; -inf >= -inf + tol): no improvement
            if not (np.isfinite(score) and score >= h.best_validation_score + s.tol):
                h.no_improvement_count += 1
            else:
                h.no_improvement_count = 0
            if score > h.best_validation_score:
                h.best_validation_score = score
                return True
            return False
        if validation is not None:
            h.best_validation_score = max(h.best_validation_score, info.validation_score)
        if info.loss > h.best_loss - s.tol:
            h.no_improvement_count += 1
        else:
            h.no_improvement_count = 0
        if info.loss < h.best_loss:
            h.best_loss = info.loss
            return True
        return False

    def _trigger_stopping(self, validation):
        """(stop?, what to say): stop, or, with the "adaptive" schedule, divide the learning
        rate by 5 and go on until it falls below 1e-6."""
        s, h = self.settings, self.history
        early = validation is not None and validation.early_stopping
        what = "Validation score" if early else "Training loss"
        message = (f"{what} did not improve more than tol={s.tol:f} for {s.n_iter_no_change} "
                   "consecutive epochs.")
        if self.schedule[0] != "adaptive" or s.solver == "adam":
            return True, message + " Stopping."
        if self.optimizer.learning_rate <= 1e-6:
            return True, message + " Learning rate too small. Stopping."
        self.optimizer.learning_rate /= 5
        h.no_improvement_count = 0
        return False, message + f" Setting learning rate to {self.optimizer.learning_rate:f}"

    # -- divergence -------------------------------------------------------------------------

    def _diverged(self, problem, loss, epochs, validation, n):
        """With early stopping and a scored epoch (a score not NaN), a RunResult (the caller goes
        back to the best-scoring weights); or else go back to the weights before the epoch of n
        rows that diverged, and raise DivergenceError."""
        h, s = self.history, self.settings
        epoch = len(h.loss_curve) + 1
        self.optimizer = None  # its velocity or moments hold the diverged values too
        advice = (f"Lower learning_rate_init (now {s.learning_rate_init}), standardise the "
                  "features (e.g. with StandardScaler), or scale the targets")
        if validation is not None and validation.early_stopping and h.best_validation_score > -np.inf:
            h.loss_curve.append(loss)
            h.score_epoch(np.nan, np.nan)
            best = int(np.nanargmax(h.validation_scores)) + 1
            return RunResult("diverged", epoch, f"{problem}. The weights of epoch {best}, the "
                                                f"best validation score, are kept. {advice}")
        epochs.undo()
        h.n_iter -= 1  # the model is as the epochs before this one left it
        h.t -= n
        raise DivergenceError(f"{problem}. The weights of epoch {epoch - 1} are kept. {advice}",
                              epoch=epoch)

    # -- L-BFGS -----------------------------------------------------------------------------

    def _run_lbfgs(self, objective, X, Y, weights, validation, callback):
        s, h = self.settings, self.history
        started, curve_start = time.perf_counter(), len(h.loss_curve)

        def on_iteration(loss):
            nonlocal started
            h.loss_curve.append(loss)
            h.n_iter = len(h.loss_curve) - curve_start  # (the callback may read it)
            h.keep_if_best(loss, self.net.params)
            now = time.perf_counter()
            info = EpochInfo(len(h.loss_curve), loss, samples_seen=h.t, seconds=now - started)
            self._score(info, validation)
            if validation is not None:
                h.best_validation_score = max(h.best_validation_score, info.validation_score)
            if callback is not None:
                callback(info)
            started = now

        run = minimize_lbfgs(objective, X, Y, weights, s.max_iter, s.max_fun, s.tol,
                             on_iteration)
        h.n_iter = run.n_iter  # the iterations completed, an interrupted run's too
        if run.status == "interrupted":
            return RunResult("interrupted", len(h.loss_curve) + 1, evaluations=run.evaluations)
        if run.status == "non_finite":
            raise DivergenceError(
                f"Solver produced non-finite parameter weights. The input data may contain large "
                f"values and need to be preprocessed. L-BFGS diverged at iteration {run.n_iter}: "
                f"the loss became {run.loss}. The last finite weights are kept; standardise the "
                "features (e.g. with StandardScaler) or scale the targets", epoch=run.n_iter)
        if run.n_iter == 0:  # stopped where it started: record that loss too
            h.loss_curve.append(run.loss)
            h.keep_if_best(run.loss, self.net.params)
        return RunResult(run.status, run.n_iter, run.message, run.evaluations)
