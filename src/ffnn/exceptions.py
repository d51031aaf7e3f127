"""The errors ffnn raises beyond ValueError's plain uses. All are ValueErrors: bad input to
training, bad model files and bad tables are, to a caller, bad values."""


class DivergenceError(ValueError):
    """Training diverged: a non-finite loss or weights, or (for gd and sgd) a finite loss more
    than `training.divergence.DIVERGENCE_FACTOR` times the run's reference, where that module
    says why. The model keeps the weights of the epoch before; `epoch` names the epoch."""

    def __init__(self, message, epoch=None):
        super().__init__(message)
        self.epoch = epoch


class ModelFileError(ValueError):
    """A model file is unreadable, incomplete, or describes something ffnn will not build."""


class DataError(ValueError):
    """A problem with a table (a CSV or Parquet file): names the column (and rows) at fault."""


class InvalidParameterError(ValueError, TypeError):
    """An estimator's parameter has a type or value it does not accept (checked by `fit`, as
    scikit-learn checks them). Both a ValueError and a TypeError, as scikit-learn's own
    InvalidParameterError is, so that code written to catch either catches it."""
