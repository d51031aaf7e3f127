"""ffnn: feedforward neural networks, from the chapter's mathematics to scikit-learn estimators."""

from . import activations, losses, reference
from .exceptions import DivergenceError, ModelFileError
from .network import Network
from .persistence import load, save
from .summary import summary
from .version import __version__

__all__ = [
    "Network", "FFNNRegressor", "FFNNClassifier", "DivergenceError", "ModelFileError", "summary",
    "save", "load",
    "activations", "losses", "reference", "__version__",
]


def __dir__():
    # The estimators are imported on first use (below), but belong in the listing.
    return sorted(set(globals()) | set(__all__))


def __getattr__(name):
    # The estimators import scikit-learn; load them on first use so that the core stays light.
    if name in ("FFNNRegressor", "FFNNClassifier"):
        from . import estimators
        return getattr(estimators, name)
    if name == "optimizers":  # its home is ffnn.training.optimizers
        from .training import optimizers
        return optimizers
    raise AttributeError(f"module 'ffnn' has no attribute {name!r}")
