"""ffnn: feedforward neural networks, from the chapter's mathematics to scikit-learn estimators."""

__version__ = "0.1.0"

from . import activations, losses, reference
from .network import Network

__all__ = ["Network", "activations", "losses", "reference", "__version__"]
