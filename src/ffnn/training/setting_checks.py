"""The checks of a run's Settings, made before training touches a weight: each hyperparameter
must have scikit-learn's type and lie in its range, or an InvalidParameterError names it.

A value out of range would otherwise train silently, and wrongly: a negative `alpha` rewards
large weights (J has no minimum), a negative learning rate climbs J, `max_iter=0` returns the
weights as they were, and a NaN `alpha` was reported as divergence of the data."""

import numbers

import numpy as np

from ..exceptions import InvalidParameterError
from . import optimizers
from .settings import BACKENDS, PRECISIONS, SCHEDULES

SOLVER_NAMES = tuple(optimizers.RULES) + ("lbfgs",)


def check_number(name, value, low, high=np.inf, low_open=False, high_open=False,
                 integer=False):
    """InvalidParameterError unless `value` is a number (an int, with `integer`; never a bool)
    between `low` and `high`, each bound included unless it is open. NaN is in no range."""
    kinds = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kinds) and not isinstance(value, (bool, np.bool_))
    if ok:
        ok = (value > low if low_open else value >= low) and (
            value < high if high_open else value <= high)
    if not ok:
        lo, hi = ("(" if low_open else "[") + str(low), str(high) + (")" if high_open else "]")
        kind = "an int" if integer else "a number"
        raise InvalidParameterError(f"{name} must be {kind} in {lo}, {hi}, got {value!r}")


def check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterError(f"{name} must be True or False, got {value!r}")


def check_choices(s):
    """InvalidParameterError where the engine, precision or schedule of the Settings `s` is
    none of those known: a misspelt backend would otherwise train with the NumPy engine, and a
    misspelt schedule at a constant learning rate."""
    for name, value, known in (("backend", s.backend, BACKENDS),
                               ("precision", s.precision, PRECISIONS),
                               ("learning_rate", s.learning_rate, SCHEDULES)):
        if value not in known:
            raise InvalidParameterError(f"{name} must be one of {', '.join(known)}, got "
                                        f"{value!r}")


def check_settings(s):
    """InvalidParameterError naming the first of the Settings `s` whose type or value scikit-
    learn's MLP estimators would refuse. (The engine's names are `engines.check_engine`'s.)"""
    if s.solver not in SOLVER_NAMES:
        raise InvalidParameterError(f"solver must be one of {', '.join(SOLVER_NAMES)}, got "
                                    f"{s.solver!r}")
    if not (isinstance(s.batch_size, str) and s.batch_size == "auto"):
        check_number("batch_size", s.batch_size, 1, integer=True)
    # Finite intervals, as scikit-learn's: an infinite tol, epsilon or power_t would train
    # nothing (every epoch fails to improve by tol; Adam's step or the invscaling rate is 0).
    check_number("alpha", s.alpha, 0, high_open=True)
    check_number("learning_rate_init", s.learning_rate_init, 0, low_open=True, high_open=True)
    check_number("power_t", s.power_t, 0, high_open=True)
    check_number("max_iter", s.max_iter, 1, integer=True)
    check_number("tol", s.tol, 0, high_open=True)
    check_number("momentum", s.momentum, 0, 1)
    check_number("beta_1", s.beta_1, 0, 1, high_open=True)
    check_number("beta_2", s.beta_2, 0, 1, high_open=True)
    check_number("epsilon", s.epsilon, 0, low_open=True, high_open=True)
    if s.n_iter_no_change != np.inf:
        check_number("n_iter_no_change", s.n_iter_no_change, 1, integer=True)
    check_number("max_fun", s.max_fun, 1, integer=True)
    for name in ("shuffle", "nesterovs_momentum"):
        check_flag(name, getattr(s, name))
