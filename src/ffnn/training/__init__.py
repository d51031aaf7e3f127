"""Training: the objective J and its minibatch estimates (`objective`), the update rules
(`optimizers`), the order of the minibatches (`batches`), L-BFGS (`lbfgs`), the epoch loop
that runs them (`trainer`), the engine a run asks for (`engines`), what a run takes and
gives (`settings`) and the checks of those settings (`setting_checks`)."""

from .divergence import DIVERGENCE_FACTOR
from .engines import check_engine
from .objective import Objective, mean_loss
from .settings import (
    BACKENDS,
    PRECISIONS,
    SCHEDULES,
    SOLVERS,
    STOCHASTIC_SOLVERS,
    EpochInfo,
    History,
    RunResult,
    Settings,
    Validation,
    suggested_learning_rate,
)
from .trainer import Trainer

__all__ = ["Objective", "mean_loss", "Trainer", "Settings", "EpochInfo", "Validation", "History",
           "RunResult", "SOLVERS", "STOCHASTIC_SOLVERS", "SCHEDULES", "DIVERGENCE_FACTOR",
           "suggested_learning_rate", "BACKENDS", "PRECISIONS", "check_engine"]
