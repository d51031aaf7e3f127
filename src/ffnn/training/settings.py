"""What a training run takes and gives: its settings (scikit-learn's hyperparameters), the held-out
data it scores, what a callback sees after each epoch, the history that warm starts continue, and
why the run stopped."""

from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import optimizers
from .epochs import copy_into


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
    backend: str = "numpy"  # or "jax": the compiled engine (training.jax_engine)
    precision: str = "highest"  # the compiled engine's float32 matrix products, or "tf32"
    # Row counts of consecutive partitions, or None: minibatches in memory taken partition by
    # partition as the cluster engine takes them (training.batches.PartitionedBatches).
    partitions: tuple = None


STOCHASTIC_SOLVERS = tuple(optimizers.RULES)
SOLVERS = STOCHASTIC_SOLVERS + ("lbfgs",)
SCHEDULES = ("constant", "invscaling", "adaptive")
BACKENDS = ("numpy", "jax")
PRECISIONS = ("highest", "tf32")


def suggested_learning_rate(solver):
    """A learning rate to start from when none is given: scikit-learn's default, except for the
    chapter's full-batch gradient descent, which takes one step per epoch and needs steps a
    hundred times larger to get anywhere in the default number of epochs."""
    return 0.1 if solver == "gd" else Settings.learning_rate_init


@dataclass
class EpochInfo:
    """What a callback receives at the end of each epoch (each iteration, for L-BFGS). `note` is
    what training decided at its end, in scikit-learn's verbose wording ("... Stopping.",
    "... Setting learning rate to ..."), or None."""

    epoch: int
    loss: float
    validation_score: float = None
    validation_loss: float = None
    learning_rate: float = None
    samples_seen: int = 0
    seconds: float = 0.0
    note: str = None


def with_errstate(callback, state):
    """callback, called with NumPy's floating-point error handling as `state` (the caller's:
    the epochs run with NumPy's warnings off)."""
    def call(info):
        with np.errstate(**state):
            return callback(info)
    return call


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
    # `loss(net)`, the mean loss on the held-out rows, where they are not X, Y and weights in
    # memory (data on a cluster); None: computed from them.
    loss: object = None


@dataclass
class History:
    """What training has seen so far; warm starts and partial fits add to it. `best_params`, the
    weights of the best epoch so far, is brought up to date at the end of each run (the engine
    holds the copy during a run, on the device for the JAX engine)."""

    loss_curve: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)
    validation_loss_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    best_validation_score: float = -np.inf
    best_params: np.ndarray = None
    no_improvement_count: int = 0
    n_iter: int = 0
    t: int = 0
    divergence_reference: float = None  # see divergence.DIVERGENCE_FACTOR

    def keep_if_best(self, loss, params):
        """Where `loss` is the lowest so far, record it, and a copy of `params`, its weights, as
        `best_params` (what an interrupted minibatch run goes back to): L-BFGS's iterations."""
        if loss < self.best_loss:
            self.best_loss, self.best_params = loss, copy_into(params, self.best_params)

    def score_epoch(self, score, loss):
        """Record the validation score and loss of the epoch last added to the loss curve. The
        curves stay aligned, entry i of each being epoch i + 1: epochs of earlier runs without
        validation rows (a warm start that added them) are NaN in the validation curves."""
        self._pad_validation(len(self.loss_curve) - 1)
        self.validation_scores.append(score)
        self.validation_loss_curve.append(loss)

    @contextmanager
    def run(self):
        """The context of a training run. Where earlier runs were scored and this one was not
        (or was cut short before its last epoch's score), its epochs end up NaN in the
        validation curves."""
        try:
            yield self
        finally:
            if self.validation_scores:
                self._pad_validation(len(self.loss_curve))

    def _pad_validation(self, epochs):
        missing = [np.nan] * (epochs - len(self.validation_scores))
        self.validation_scores.extend(missing)
        self.validation_loss_curve.extend(missing)


@dataclass
class RunResult:
    """Why a run stopped: "max_iter" (every epoch ran), "no_improvement" (the `tol` rule),
    "epoch" (partial_fit's single epoch), "interrupted" (Ctrl-C; the best weights so far are
    kept), "diverged" (with early stopping: the best-scoring weights are kept), "converged",
    "loss_converged", "max_fun" or "stopped" (L-BFGS). `epoch` is the epoch it stopped in and
    `message` says why in words, where there is more to say."""

    stopped: str
    epoch: int = None
    message: str = None
    evaluations: int = 0
