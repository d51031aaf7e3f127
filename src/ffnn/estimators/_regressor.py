"""FFNNRegressor: a drop-in replacement for scikit-learn's MLPRegressor."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d

from ..exceptions import InvalidParameterError
from ..training import Settings
from . import _dask_prediction
from ._base import _BaseFFNN
from ._dask_inputs import is_dask
from ._dask_prediction import blockwise
from ._params import COMMON_DOC
from ._validation import refuse_times
from .scores import r2

# loss -> (output activation, the network's loss)
LOSSES = {"squared_error": ("linear", "squared_error"), "poisson": ("exp", "poisson")}


class FFNNRegressor(RegressorMixin, _BaseFFNN):
    """Feedforward neural network regressor; a drop-in replacement for MLPRegressor.

    loss "squared_error" minimises half the squared error (a linear output layer), "poisson"
    half the Poisson deviance (an exponential output layer; targets must be >= 0).
    """

    __doc__ += COMMON_DOC

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver=Settings.solver, alpha=Settings.alpha, batch_size=Settings.batch_size,
                 learning_rate=Settings.learning_rate,
                 learning_rate_init=Settings.learning_rate_init, power_t=Settings.power_t,
                 max_iter=Settings.max_iter, shuffle=Settings.shuffle, random_state=None,
                 tol=Settings.tol, verbose=False, warm_start=False, momentum=Settings.momentum,
                 nesterovs_momentum=Settings.nesterovs_momentum, early_stopping=False,
                 validation_fraction=0.1, beta_1=Settings.beta_1, beta_2=Settings.beta_2,
                 epsilon=Settings.epsilon, n_iter_no_change=Settings.n_iter_no_change,
                 max_fun=Settings.max_fun, weight_init="glorot",
                 backend=Settings.backend, precision=Settings.precision):
        self._store_parameters(locals())

    def fit(self, X, y, sample_weight=None, callback=None, validation_data=None):
        """Fit the network to X (n_samples, n_features) and y (n_samples,) or (n_samples, n_outputs).

        validation_data, a pair (X_val, y_val), is scored (R²) after every epoch; with
        early_stopping and sgd, adam or gd it replaces the split of validation_fraction, and
        like it must hold at least 2 rows; without early_stopping it is only scored, and the
        last epoch's weights are kept, not the best-scoring ones (L-BFGS, which ignores
        early_stopping as in scikit-learn, records the scores and keeps its last weights).
        validation_scores_ and validation_loss_curve_ have an entry for each epoch of
        loss_curve_: NaN for the epochs of a warm start or partial_fit without validation rows.
        X_val is scored as given: a Pipeline does not pass it through its earlier steps.
        """
        return self._fit(X, y, sample_weight, incremental=False, callback=callback,
                         validation_data=validation_data)

    @available_if(_BaseFFNN._check_solver)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over (X, y), continuing from the current weights and optimizer state.
        (X, y) is this epoch's data set: the penalty α/(2Σw) (α/(2n) without sample weights)
        and the sample weights' sum are those of its rows (for chunks of m rows of a larger set
        of n, alpha·m/n trains as fit on all n would)."""
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predictions, (n_samples,) for one output or (n_samples, n_outputs); a dask array,
        computed blockwise, for a Dask X."""
        if is_dask(X):
            return blockwise(self, X, "predict")
        Yhat = self._forward(X)
        return Yhat.ravel() if Yhat.shape[1] == 1 else Yhat

    def score(self, X, y, sample_weight=None):
        """R² on (X, y), as scikit-learn scores (but for an output whose targets are all equal:
        1 if predicted exactly, else 0, see `scores.r2`); computed on the cluster for Dask
        inputs."""
        if is_dask(X) or is_dask(y):
            return _dask_prediction.score(self, X, y, sample_weight)
        return r2(y, self.predict(X), sample_weight=sample_weight)

    def _check_loss(self):
        if not isinstance(self.loss, str) or self.loss not in LOSSES:  # a list is unhashable
            raise InvalidParameterError(f"loss must be one of {', '.join(LOSSES)}, got "
                                        f"{self.loss!r}")

    def _refuse_times(self, y, name):
        """ValueError where targets y (a NumPy or dask array) hold dates or durations."""
        refuse_times(y, name)

    def _encode_targets(self, y, first, incremental):
        self._check_loss()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        refuse_times(y, "y")
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError("the poisson loss needs targets >= 0, but y has negative values; "
                             "use loss='squared_error' or shift the targets")
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not first and Y.shape[1] != self.network_.D_y:
            raise ValueError(f"y has {Y.shape[1]} outputs but the network was trained with "
                             f"{self.network_.D_y}")
        return Y, None

    def _encode_validation_targets(self, y):
        refuse_times(y, "validation y")
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if Y.shape[1] != self.network_.D_y:
            raise ValueError(f"validation y has {Y.shape[1]} outputs, the network {self.network_.D_y}")
        return Y

    def _output_layer(self):
        return LOSSES[self.loss]

    def _target_state(self):
        return {}

    def _restore_targets(self, state, network):
        self._check_loss()
        return self._output_layer()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the Poisson loss refuses negative targets (`_encode_targets`)
        tags.target_tags.positive_only = self.loss == "poisson"
        # full-batch gd's default 200 steps of 0.001 barely train
        tags.regressor_tags.poor_score = self.solver == "gd"
        return tags

    def _validation_scorer(self, X_val, Y_val, w_val):
        def score(net):
            Yhat = net.predict_rows(X_val)
            if not np.isfinite(Yhat).all():  # as scikit-learn: no score for overflowed outputs
                return np.nan
            # r2_score's, but for equal targets (as `ffnn fit` prints R²)
            return r2(Y_val, Yhat, sample_weight=w_val)
        return score
