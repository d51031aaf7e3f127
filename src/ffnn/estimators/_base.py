"""The parts FFNNRegressor and FFNNClassifier share: parameter checks, the fitting procedure
(validation, network, trainer, early-stopping split), fitted attributes and the forward pass."""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..exceptions import DivergenceError
from ..init import scikit_learn_uniform
from ..network import Network
from ..training import STOCHASTIC_SOLVERS, Trainer, check_engine
from . import _dask_inputs, _distributed, _endings, _fitted_state, _params, _validation, _weights
from ._labels import refuse_missing
from ._layer_arrays import NetworkAttributes
from ._row_digest import row_set

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


class _BaseFFNN(NetworkAttributes, BaseEstimator):
    """The parts shared by the regressor and the classifier."""

    def _store_parameters(self, parameters):
        """What __init__ does, and all it does (scikit-learn's contract): keep its arguments."""
        for name, value in parameters.items():
            if name not in ("self", "__class__"):
                setattr(self, name, value)

    # -- parameters -------------------------------------------------------------------------

    def _hidden_layers(self):
        """([D_1, …], [activation names]) of the hidden layers, checked."""
        return _params.hidden_layers(self)

    def _settings(self):
        """The trainer's Settings from the parameters, checked."""
        return _params.settings(self)

    # -- fitting ----------------------------------------------------------------------------

    def _refuse_times(self, y, name):
        """ValueError where targets y cannot be dates or durations (the regressor's): labels
        may be."""

    def _fit(self, X, y, sample_weight=None, incremental=False, callback=None,
             validation_data=None):
        first = not hasattr(self, "network_") or not (self.warm_start or incremental)
        # A fit that starts a new model replaces the attributes one by one (the features'
        # names, the classes, the network): the state before it is what a failure goes back to.
        before = dict(vars(self)) if first else None
        if not first:
            _fitted_state.warn_of_fresh_state(self, incremental)
        try:
            result = self._fit_data(X, y, sample_weight, incremental, callback,
                                    validation_data, first)
        except DivergenceError:
            raise  # the last finite weights are kept, and the error says so
        except BaseException:
            if first:
                # A failed fit leaves the estimator as it was: no model of initial weights to
                # predict from (the validation set too small, the device's memory too small)
                # where there was none, which predict answers with NotFittedError, and no mix
                # of the last model's weights with this fit's classes or feature names.
                vars(self).clear()
                vars(self).update(before)
            raise
        # Said once the model is fitted, outside the guard above: a warning turned into an
        # error (warnings.simplefilter("error")) leaves the trained model, as in scikit-learn.
        _endings.warn_how_it_ended(self, result)
        return self

    def _fit_data(self, X, y, sample_weight, incremental, callback, validation_data, first):
        self._hidden_layers()  # its parameters checked before anything else
        settings = self._settings()
        _validation.refuse_times(X, "X")
        _validation.refuse_times(sample_weight, "sample_weight")
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True; use fit")
        if _dask_inputs.is_dask(X) or _dask_inputs.is_dask(y):
            return _distributed.fit(self, X, y, sample_weight, first, incremental, settings,
                                    callback, validation_data)
        check_engine(settings)  # before the estimator changes: a failed fit leaves no model
        classifier = isinstance(self, ClassifierMixin)
        try:
            X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
                                 dtype=(np.float64, np.float32), reset=first,
                                 y_numeric=not classifier)
        except TypeError:  # pandas' NA, which NumPy can neither compare nor make a float
            refuse_missing(X, y, labels=classifier)
            raise
        Y, labels = self._encode_targets(y, first, incremental)
        weights, class_weights = _weights.row_weights(self, sample_weight, X, labels, incremental)
        net = self._prepare_network(first, X.shape[1], Y.shape[1], X.dtype, settings)
        # Rows stored apart (a DataFrame's columns come as a Fortran-ordered array) would make
        # every minibatch gather a strided walk through memory: an Adam epoch over 200,000 × 40
        # float32 rows took 2.7 s from Fortran order against 0.3 s from row order. One copy
        # into row order costs less than one epoch.
        X = _validation.in_dtype(X, net.dtype, "X", _validation.TRAINED[0])
        Y = _validation.in_dtype(Y, net.dtype, "y", _validation.TRAINED[1] if first
                                 else _validation.TRAINED_ON)

        validation, held_out, digest = None, False, row_set(X, Y)  # which rows: see split_seed
        if validation_data is not None:
            validation = _validation.given(self, validation_data, class_weights)
        elif self.early_stopping and settings.solver in STOCHASTIC_SOLVERS:
            # scikit-learn ignores early_stopping for L-BFGS, which then trains on every row.
            X, Y, weights, validation = _validation.split(self, X, Y, weights, labels, digest)
            held_out = True
        if not held_out:
            _validation.trained_on_all(self, ("memory", X.shape[0]), digest)
        return self._train(X, Y, weights, validation, incremental, callback, X.shape[0])

    def _prepare_network(self, first, D_x, D_y, dtype, settings):
        """The network to train: a new one (with its trainer) for a first fit, else the fitted
        one, whose architecture must not have changed."""
        hidden, hidden_activations = self._hidden_layers()
        if first:
            self.network_ = self._new_network(D_x, D_y, hidden, hidden_activations, dtype)
            self._trainer = Trainer(self.network_, settings, self._rng)
            self._architecture = (hidden, hidden_activations)
        else:
            net = self.network_
            if (hidden, hidden_activations) != self._architecture:
                then, now = self._architecture, (hidden, hidden_activations)
                changed = " and ".join(
                    f"{name} (from {was} to {now_})" for name, was, now_ in
                    (("hidden_layer_sizes", then[0], now[0]),
                     ("activation", then[1], now[1])) if was != now_)
                raise ValueError(
                    "warm_start and partial_fit continue training the same network, but "
                    f"{changed} changed since the last fit; to train a new network, call fit "
                    "with warm_start=False (partial_fit always continues the network)")
            if self._output_layer() != (net.activations[-1].name, net.loss_function.name):
                raise ValueError(
                    "warm_start and partial_fit continue training the same network, but loss "
                    f"changed since the last fit (the network's output layer is "
                    f"{net.activations[-1].name} with {net.loss_function.name}); to train a "
                    "new network, call fit with warm_start=False (partial_fit always "
                    "continues the network)")
            self._trainer.settings = settings
        return self.network_

    def _train(self, X, Y, weights, validation, incremental, callback, n_train):
        """Run the trainer on the prepared data (n_train rows) and set the fitted attributes;
        returns the run's result, which _fit warns about."""
        settings = self._trainer.settings
        if settings.solver in ("sgd", "adam") and settings.batch_size != "auto" and \
                settings.batch_size > n_train:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is going "
                          f"to be clipped (batch_size={settings.batch_size}, {n_train} "
                          "training samples)", UserWarning)
        # its state is its own once it trains (a failed new fit restores the loaded one)
        vars(self).pop("_fresh_training_state", None)
        try:
            result = self._trainer.run(X, Y, weights, validation, incremental,
                                       self._epoch_callback(callback))
        except BaseException:
            # The attributes of the epochs that ran, which the weights are (and no curve
            # shared with the trainer's history): a new fit that failed is undone by _fit.
            self._set_fitted_attributes()
            raise
        self._set_fitted_attributes(result)
        return result

    def _new_network(self, D_x, D_y, hidden, hidden_activations, dtype):
        """A network of fresh weights: scikit-learn's very initial weights ("glorot"), or He's;
        and the Generator that training draws from afterwards."""
        output, loss = self._output_layer()
        sizes = [D_x, *hidden, D_y]
        activations = hidden_activations + [output]
        source = _params.random_source(self.random_state)
        # a new network draws its own early-stopping split, and has been trained on no rows
        self._split_seed, self._unsplit_rows = None, ()
        if self.weight_init == "he":
            self._rng = _params.generator(source)
            return Network(sizes, activations, loss, random_state=self._rng, dtype=dtype,
                           init="he")
        net = Network(sizes, activations, loss, dtype=dtype, init=None)
        for layer, factor in zip(net.layers, _params.glorot_factors(self, hidden_activations)):
            layer.W, layer.c = scikit_learn_uniform(source, *layer.shape, factor)
        self._rng = _params.generator(source)
        return net

    def _epoch_callback(self, callback):
        if not self.verbose and callback is None:
            return None
        # verbose numbers the iterations of this run, as scikit-learn prints n_iter_ (a warm
        # start and each partial_fit begin at 1); callbacks see the epoch of the whole curve.
        before = len(self._trainer.history.loss_curve)

        def on_epoch(info):
            if self.verbose:
                print(f"Iteration {info.epoch - before}, loss = {info.loss:.8f}")
                if info.validation_score is not None:
                    print(f"Validation score: {info.validation_score:f}")
                if info.note is not None:
                    print(info.note)
            if callback is not None:
                # as scikit-learn's loss_curve_ and n_iter_ grow during fit: the callback sees
                # (and a model file saved from it keeps) the model as this epoch leaves it
                self._set_fitted_attributes(live=True)
                callback(info)

        return on_epoch

    def _set_fitted_attributes(self, result=None, early_stopping=None, live=False):
        """The fitted attributes from the trainer's history; `early_stopping` (whether the fit
        stopped early on held-out rows) is the parameters' unless given, as it is for a model
        file whose parameters set_params changed after the fit. `live` (during a run) shares
        the history's curves rather than copying them, which would cost each epoch as much
        as the curve is long."""
        trainer, history = self._trainer, self._trainer.history
        self.n_iter_ = history.n_iter
        self.t_ = history.t
        self.loss_ = trainer.loss
        self.loss_curve_ = history.loss_curve if live else list(history.loss_curve)
        if history.validation_scores:
            scores, losses = history.validation_scores, history.validation_loss_curve
            # (during a run that scores no epoch after runs that did, its epochs are NaN)
            unscored = [np.nan] * (len(history.loss_curve) - len(scores))
            if unscored or not live:
                scores, losses = list(scores) + unscored, list(losses) + unscored
            self.validation_scores_, self.validation_loss_curve_ = scores, losses
            self.best_validation_score_ = history.best_validation_score
        else:
            self.validation_scores_ = self.validation_loss_curve_ = None
            self.best_validation_score_ = None
        if early_stopping is None:
            early_stopping = self.early_stopping and self.solver in STOCHASTIC_SOLVERS
        self.best_loss_ = None if early_stopping else history.best_loss
        interrupted = result is not None and result.stopped == "interrupted"
        self.interrupted_ = result.epoch if interrupted else None
        # Why the last fit ended (RunResult.stopped: "max_iter", "no_improvement", "converged",
        # "diverged", ...), None when unknown (a loaded model, a fit that raised).
        self.stop_reason_ = None if result is None else result.stopped

    # -- the fitted state, for model files ---------------------------------------------------

    def fitted_state(self):
        """What fitting learned besides the weights, as plain values: the input of
        `from_fitted_state`, and what model files keep."""
        check_is_fitted(self, "network_")
        return _fitted_state.state_of(self)

    @classmethod
    def from_fitted_state(cls, network, params, state):
        """The fitted estimator of parameters `params` (as get_params gives them), weights
        `network` and fitted attributes `state` (as fitted_state gives them, a missing number
        as None): how a model file becomes an estimator again. The parameters are checked as
        fit checks them, and all three must agree; ValueError says where they do not.
        Its optimizer, counts and random stream start afresh, which training it on says."""
        est = cls(**params)
        _fitted_state.restore(est, network, state)
        return est

    # -- prediction -------------------------------------------------------------------------

    def _forward(self, X):
        """The network's output for X, in the network's dtype (N × D_y)."""
        net = getattr(self, "network_", None)
        if net is None:
            check_is_fitted(self, "network_")
        # A plain finite float matrix of the right width needs none of validate_data's
        # conversions; skipping them makes predicting a single row several times faster.
        if not (type(X) is np.ndarray and X.ndim == 2 and X.dtype in _FLOATS
                and X.shape[1] == net.D_x and not hasattr(self, "feature_names_in_")
                and X.shape[0] > 0 and np.isfinite(X).all()):
            _validation.refuse_times(X, "X")
            try:
                X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                                  dtype=(np.float64, np.float32))
            except TypeError:
                refuse_missing(X)
                raise
        # (the reason is a template, formatted only on overflow: a dtype's name costs more than
        # the product of a single row)
        return net.predict_finite(
            X.astype(net.dtype, copy=False), "their features are far larger than this model can "
            "handle in {dtype}; scale the inputs the way the training data was")

    def __sklearn_is_fitted__(self):
        """Fitted when it holds a network: a fit that failed after building one removes it, and
        may leave attributes of its own or of an earlier fit (n_features_in_, loss_curve_)
        that scikit-learn's check_is_fitted would otherwise take for a fitted model."""
        return "network_" in vars(self)

    def _check_solver(self):
        if self.solver not in STOCHASTIC_SOLVERS:
            raise AttributeError("partial_fit is only available for stochastic optimizers. "
                                 f"{self.solver} is not stochastic.")
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

