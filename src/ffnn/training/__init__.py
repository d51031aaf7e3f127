"""Training: the objective J and its minibatch estimates (`objective`), the update rules
(`optimizers`), the order of the minibatches (`batches`), L-BFGS (`lbfgs`) and the epoch loop
that runs them (`trainer`)."""

from .objective import Objective, mean_loss
from .trainer import (
    BACKENDS,
    DIVERGENCE_FACTOR,
    PRECISIONS,
    SCHEDULES,
    SOLVERS,
    STOCHASTIC_SOLVERS,
    EpochInfo,
    History,
    RunResult,
    Settings,
    Trainer,
    Validation,
    suggested_learning_rate,
)

__all__ = ["Objective", "mean_loss", "Trainer", "Settings", "EpochInfo", "Validation", "History",
           "RunResult", "SOLVERS", "STOCHASTIC_SOLVERS", "SCHEDULES", "DIVERGENCE_FACTOR",
           "suggested_learning_rate", "BACKENDS", "PRECISIONS"]
