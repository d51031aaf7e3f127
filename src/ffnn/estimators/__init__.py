"""scikit-learn estimators over the core: FFNNRegressor and FFNNClassifier take the parameters of
scikit-learn's MLPRegressor and MLPClassifier, with the same names, meanings and defaults, and
expose the same fitted attributes. The only module of the core that imports scikit-learn.

Beyond scikit-learn's MLP: `activation` may list one activation per hidden layer; solver "gd" is
the chapter's full-batch gradient descent; `class_weight`; `validation_loss_curve_`; every solver
minimises the same objective (see `training`), so `alpha` means the same whatever the solver or
batch size; divergence raises `DivergenceError` instead of leaving NaN weights.
"""

from ._classifier import FFNNClassifier
from ._regressor import FFNNRegressor

__all__ = ["FFNNClassifier", "FFNNRegressor"]
