"""Training: minimise one objective, whatever the solver or the batch size,

    J(θ) = (1/Σw) [ Σ_n w_n Σ_d L_d(ŷ_n) + (α/2) Σ_ℓ ‖W^(ℓ)‖² ]

(w_n = 1 without sample weights, so Σw = N): the mean loss plus an L2 penalty on the weights, not
the biases. A minibatch B estimates it by

    J_B(θ) = (1/|B|) Σ_{n∈B} w̃_n Σ_d L_d(ŷ_n) + (α/(2Σw)) ‖W‖²,    w̃_n = N w_n / Σw,

whose average over the batches of an epoch is J, so `alpha` and the learning rate mean the same
for every solver and batch size. The loss is checked every epoch; a non-finite loss or weight
stops training with DivergenceError and the last finite weights.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from . import optimizers
from .batches import Batches
from .exceptions import DivergenceError
from .lbfgs import run_lbfgs
from .threads import BlasThreads

STOCHASTIC_SOLVERS = ("sgd", "adam", "gd")
SOLVERS = STOCHASTIC_SOLVERS + ("lbfgs",)


@dataclass
class Settings:
    """The hyperparameters, with scikit-learn's names and defaults."""

    solver: str = "adam"
    alpha: float = 0.0001
    batch_size: object = "auto"
    learning_rate: str = "constant"
    learning_rate_init: float = 0.001
    power_t: float = 0.5
    max_iter: int = 200
    shuffle: bool = True
    tol: float = 1e-4
    momentum: float = 0.9
    nesterovs_momentum: bool = True
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    n_iter_no_change: float = 10
    max_fun: int = 15000


@dataclass
class EpochInfo:
    """What a callback receives at the end of each epoch (each iteration, for L-BFGS)."""

    epoch: int
    loss: float
    validation_score: float = None
    validation_loss: float = None
    learning_rate: float = None
    samples_seen: int = 0
    seconds: float = 0.0


@dataclass
class Validation:
    """Held-out data, scored after every epoch: `score(net)` is higher for better networks. With
    `early_stopping`, training stops when the score stalls and keeps the best-scoring weights;
    without, the score is only recorded."""

    X: object
    Y: np.ndarray
    weights: np.ndarray
    score: object
    early_stopping: bool = True


@dataclass
class History:
    loss_curve: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)
    validation_loss_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    best_validation_score: float = -np.inf
    best_params: np.ndarray = None
    no_improvement_count: int = 0
    n_iter: int = 0
    t: int = 0


class Trainer:
    """Runs a solver on a Network, keeping the optimizer's state and the history between runs
    (warm starts and partial fits continue where the last run stopped)."""

    def __init__(self, net, settings, rng):
        self.net, self.settings, self.rng = net, settings, rng
        self.optimizer = None
        self.history = History()
        self.max_iter_reached = False
        self.interrupted_at = None
        self.stop_message = None
        self.evaluations = 0  # objective and gradient evaluations of the last L-BFGS run
        self._work = self._threads = None  # scratch space and thread choice, during a run only

    def __getstate__(self):
        # A model pickled during a run (from a callback, say) leaves the run's scratch space and
        # BLAS thread choice behind: they are not part of the model, and the latter holds handles
        # to loaded libraries, which cannot be pickled.
        state = self.__dict__.copy()
        state["_work"] = state["_threads"] = None
        return state

    # -- the objective ----------------------------------------------------------------------

    def _add_penalty(self, penalty):
        """Add (penalty/2)‖W‖² to the objective and penalty·W to its gradient; return the former."""
        W, dW = self.net.weights, self.net.weight_grads
        if penalty == 0:
            return 0.0
        dW += np.multiply(W, penalty, out=self._work[: W.size])
        return 0.5 * penalty * float(np.dot(W, W))

    def objective(self, X, Y, w_scaled, ws, penalty):
        """J_B for rows X, Y with per-row weights w_scaled = w̃/|B|; gradient left in net.grad."""
        return self.net.loss_and_gradient(X, Y, ws, w_scaled) + self._add_penalty(penalty)

    def data_loss(self, X, Y, weights):
        """The mean weighted loss without the penalty (for validation data)."""
        Yhat = self.net.predict_rows(X)
        total = self.net.loss_function.total(Y.T, Yhat.T, weights)
        return total / (X.shape[0] if weights is None else weights.sum())

    # -- running ----------------------------------------------------------------------------

    def run(self, X, Y, weights=None, validation=None, incremental=False, callback=None):
        """Train on rows X (N × D_x, dense or sparse), Y (N × D_y), optional weights (N,)."""
        self.max_iter_reached, self.interrupted_at, self.stop_message = False, None, None
        # One scratch vector the size of θ, lent to the penalty and then to the update rule: a
        # step touches less memory than with a buffer for each.
        self._work = np.empty_like(self.net.params)
        n = X.shape[0]
        sum_w = float(n if weights is None else weights.sum())
        w_tilde = None if weights is None else (weights * (n / sum_w)).astype(self.net.dtype)
        penalty = float(self.settings.alpha) / sum_w  # a Python float keeps float32 arithmetic fast
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                if self.settings.solver == "lbfgs":
                    run_lbfgs(self, X, Y, w_tilde / n if w_tilde is not None else None, penalty,
                              callback)
                else:
                    self._run_stochastic(X, Y, w_tilde, penalty, validation, incremental,
                                         callback)
        finally:
            self._work = None  # scratch space: not kept between runs, nor pickled
            if self._threads is not None:
                self._threads.restore()
                self._threads = None
        return self

    def _batch_size(self, n):
        s = self.settings
        if s.solver == "gd":
            return n
        if s.batch_size == "auto":
            return min(200, n)
        return int(np.clip(s.batch_size, 1, n))

    def _run_stochastic(self, X, Y, w_tilde, penalty, validation, incremental, callback):
        s, h, net = self.settings, self.history, self.net
        if self.optimizer is None:
            self.optimizer = optimizers.make(
                s.solver, s.learning_rate_init, s.momentum, s.nesterovs_momentum, s.beta_1,
                s.beta_2, s.epsilon)
        if h.best_params is None:
            h.best_params = net.params.copy()
        last_finite = net.params.copy()
        n = X.shape[0]
        batches = Batches(net, X, Y, w_tilde, self._batch_size(n),
                          s.shuffle and s.solver != "gd", self.rng)
        if batches.B < n:  # minibatches: choose the BLAS thread count by timing steps
            self._threads = BlasThreads()
        max_epochs = 1 if incremental else s.max_iter
        h.n_iter = 0
        try:
            for _ in range(max_epochs):
                started = time.perf_counter()
                last_finite[...] = net.params
                loss = self._epoch(batches, penalty)
                h.n_iter += 1
                h.t += n
                if not (np.isfinite(loss) and np.isfinite(net.params).all()):
                    net.params[...] = last_finite
                    self.optimizer = None  # its moments hold the non-finite values too
                    raise DivergenceError(self._divergence_message(loss), epoch=len(h.loss_curve) + 1)
                h.loss_curve.append(loss)
                info = EpochInfo(len(h.loss_curve), loss, learning_rate=self.optimizer.learning_rate,
                                 samples_seen=h.t, seconds=time.perf_counter() - started)
                self._update_no_improvement(info, validation)
                if callback is not None:
                    callback(info)
                if s.learning_rate == "invscaling" and s.solver != "adam":
                    self.optimizer.learning_rate = s.learning_rate_init / (h.t + 1) ** s.power_t
                if h.no_improvement_count > s.n_iter_no_change and self._trigger_stopping(validation):
                    break
                if incremental:
                    break
            else:
                self.max_iter_reached = not incremental
        except KeyboardInterrupt:
            # Keep the best weights seen so far; the caller says so in a warning.
            self.interrupted_at = len(h.loss_curve) + 1
            net.params[...] = h.best_params
            return
        if validation is not None and validation.early_stopping:
            net.params[...] = h.best_params

    def _epoch(self, batches, penalty):
        """One pass over the data, a minibatch step at a time; the epoch's mean objective."""
        net, accumulated, threads = self.net, 0.0, self._threads
        for X_B, Y_B, w_B, ws in batches:
            if threads is not None:
                threads.start_step()
            accumulated += self.objective(X_B, Y_B, w_B, ws, penalty) * X_B.shape[0]
            self.optimizer.update(net.params, net.grad, self._work)
            if threads is not None:
                threads.end_step()
        return accumulated / batches.n

    def _update_no_improvement(self, info, validation):
        """scikit-learn's rule: count epochs that fail to improve the best by `tol`."""
        s, h = self.settings, self.history
        if validation is not None:
            info.validation_score = float(validation.score(self.net))
            info.validation_loss = float(self.data_loss(validation.X, validation.Y,
                                                        validation.weights))
            h.validation_scores.append(info.validation_score)
            h.validation_loss_curve.append(info.validation_loss)
        if validation is not None and validation.early_stopping:
            score = info.validation_score
            if score < h.best_validation_score + s.tol:
                h.no_improvement_count += 1
            else:
                h.no_improvement_count = 0
            if score > h.best_validation_score:
                h.best_validation_score = score
                h.best_params[...] = self.net.params
        else:
            if validation is not None:
                h.best_validation_score = max(h.best_validation_score, info.validation_score)
            if info.loss > h.best_loss - s.tol:
                h.no_improvement_count += 1
            else:
                h.no_improvement_count = 0
            if info.loss < h.best_loss:
                h.best_loss = info.loss
                h.best_params[...] = self.net.params

    def _trigger_stopping(self, validation):
        """Stop, or (the "adaptive" schedule) divide the learning rate by 5 and go on."""
        s, h = self.settings, self.history
        early = validation is not None and validation.early_stopping
        what = "Validation score" if early else "Training loss"
        self.stop_message = (f"{what} did not improve more than tol={s.tol} for "
                             f"{s.n_iter_no_change} consecutive epochs.")
        if s.learning_rate == "adaptive" and s.solver != "adam" and self.optimizer.learning_rate > 1e-6:
            self.optimizer.learning_rate /= 5
            h.no_improvement_count = 0
            return False
        return True

    def _divergence_message(self, loss):
        s = self.settings
        epoch = len(self.history.loss_curve) + 1
        what = f"the loss became {loss}" if not np.isfinite(loss) else "the weights became non-finite"
        return (f"training diverged at epoch {epoch}: {what}. The weights of epoch {epoch - 1} "
                f"are kept. Lower learning_rate_init (now {s.learning_rate_init}), standardise "
                "the features (e.g. with StandardScaler), or scale the targets")

    @property
    def loss(self):
        return self.history.loss_curve[-1] if self.history.loss_curve else None
