"""FFNNClassifier: a drop-in replacement for scikit-learn's MLPClassifier."""

import numpy as np
from scipy import sparse
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d

from ..training import Settings
from . import _dask_prediction
from ._base import _BaseFFNN
from ._dask_inputs import is_dask
from ._dask_prediction import blockwise
from ._labels import (
    incomparable_labels_message,
    indices_text,
    labels_from_outputs,
    missing_labels,
    missing_labels_message,
)
from ._params import COMMON_DOC
from ._weights import class_weight_of


class FFNNClassifier(ClassifierMixin, _BaseFFNN):
    """Feedforward neural network classifier; a drop-in replacement for MLPClassifier.

    Binary targets get one sigmoid output with log loss (the chapter's setting); multiclass
    targets a softmax output with cross-entropy; multilabel targets one sigmoid per label. A
    single class is fitted (as by scikit-learn) and always predicted.
    `class_weight` (None, "balanced" or {class: weight}, each weight a finite number >= 0;
    a class "1" may be keyed 1, as scikit-learn reads such a dict) multiplies the sample
    weights; "balanced" weighs class c by n / (k · n_c), counted over the k classes of the
    training rows, each row counted by its sample weight (as scikit-learn's
    compute_class_weight counts them): weights equal repeated rows, and rows of weight 0 count
    for nothing.
    """

    __doc__ += COMMON_DOC
    # scikit-learn's MLPClassifier has this attribute (not a parameter): the output layer's
    # loss follows from the targets, log loss or its multiclass form, cross-entropy
    loss = "log_loss"

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver=Settings.solver,
                 alpha=Settings.alpha, batch_size=Settings.batch_size,
                 learning_rate=Settings.learning_rate,
                 learning_rate_init=Settings.learning_rate_init, power_t=Settings.power_t,
                 max_iter=Settings.max_iter, shuffle=Settings.shuffle, random_state=None,
                 tol=Settings.tol, verbose=False, warm_start=False, momentum=Settings.momentum,
                 nesterovs_momentum=Settings.nesterovs_momentum, early_stopping=False,
                 validation_fraction=0.1, beta_1=Settings.beta_1, beta_2=Settings.beta_2,
                 epsilon=Settings.epsilon, n_iter_no_change=Settings.n_iter_no_change,
                 max_fun=Settings.max_fun, class_weight=None, weight_init="glorot",
                 backend=Settings.backend, precision=Settings.precision):
        self._store_parameters(locals())

    def fit(self, X, y, sample_weight=None, callback=None, validation_data=None):
        """Fit the network to X (n_samples, n_features) and labels y.

        validation_data, a pair (X_val, y_val), is scored (accuracy) after every epoch; with
        early_stopping and sgd, adam or gd it replaces the split of validation_fraction, and
        like it must hold at least 2 rows; without early_stopping it is only scored, and the
        last epoch's weights are kept, not the best-scoring ones (L-BFGS, which ignores
        early_stopping as in scikit-learn, records the scores and keeps its last weights). With
        class_weight, its rows are weighed by their class as the training rows are, in the score
        and in validation_loss_curve_, as rows split off by early stopping are.
        validation_scores_ and validation_loss_curve_ have an entry for each epoch of
        loss_curve_: NaN for the epochs of a warm start or partial_fit without validation rows.
        X_val is scored as given: a Pipeline does not pass it through its earlier steps.
        """
        return self._fit(X, y, sample_weight, incremental=False, callback=callback,
                         validation_data=validation_data)

    @available_if(_BaseFFNN._check_solver)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over (X, y). `classes` (all labels) is required on the first call, except
        for multilabel targets, whose labels are their columns. (X, y) is this epoch's data set:
        the penalty α/(2Σw) (α/(2n) without sample weights) and the sample weights' sum are
        those of its rows (for chunks of m rows of a larger set of n, alpha·m/n trains as fit
        on all n would)."""
        try:  # (Dask labels are one per row: see _distributed)
            multilabel = not is_dask(y) and type_of_target(y).startswith("multilabel")
        except TypeError:  # labels NumPy cannot sort (None among strings, say)
            _refuse_incomparable(y)
            raise  # labels of one type, refused for it (bytes): scikit-learn's words
        if not hasattr(self, "classes_"):
            if classes is None and not multilabel:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            binarizer = LabelBinarizer().fit(y if multilabel else unique_labels(classes))
            if classes is not None and not np.array_equal(unique_labels(classes),
                                                          binarizer.classes_):
                raise ValueError(f"classes={list(classes)!r} do not match the {len(binarizer.classes_)}"
                                 f" label columns of the multilabel y; pass classes="
                                 f"{list(binarizer.classes_)!r}")
            self._label_binarizer, self.classes_ = binarizer, binarizer.classes_
            try:
                return self._fit(X, y, sample_weight, incremental=True)
            except BaseException:
                # A first call that fails leaves no model (see _fit), and so no classes: the
                # next call is a first call again, to be given its classes, not trained with
                # those of a call that never trained.
                if "network_" not in vars(self):
                    del self._label_binarizer, self.classes_
                raise
        elif classes is not None and not np.array_equal(self.classes_, unique_labels(classes)):
            raise ValueError(f"`classes={classes!r}` is not the same as on last call to "
                             f"partial_fit, was: {self.classes_!r}")
        return self._fit(X, y, sample_weight, incremental=True)

    def _encode_targets(self, y, first, incremental):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        try:
            check_classification_targets(y)
        except TypeError:  # labels NumPy cannot sort (None among strings, say)
            _refuse_incomparable(y)
            raise  # labels of one type, refused for it (bytes): scikit-learn's words
        except ValueError:
            # a label other than a string first among objects (None, a number before strings)
            # makes the type "unknown": named as where it comes later
            if y.dtype == object:
                _refuse_incomparable(y, only_text=True)
            raise
        if first and not incremental:
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        elif not first or incremental:
            _refuse_labels_for_multilabel(self._label_binarizer, y, "y")
            # scikit-learn's rules: a warm start needs the same classes; partial_fit a subset.
            classes = unique_labels(y)
            if self.warm_start and set(classes) != set(self.classes_):
                raise ValueError("warm_start can only be used where `y` has the same classes as "
                                 f"in the previous call to fit. Previously got {self.classes_}, "
                                 f"`y` has {classes}")
            if not self.warm_start and len(np.setdiff1d(classes, self.classes_)):
                raise ValueError(f"`y` has classes not in `self.classes_`. `self.classes_` has "
                                 f"{self.classes_}. 'y' has {classes}.")
        Y = _indicator_checked(self._label_binarizer, y, "y")
        if not first and Y.shape[1] != self.network_.D_y:
            raise ValueError("the targets do not match the classes the network was trained on")
        labels = y if self._label_binarizer.y_type_ in ("binary", "multiclass") else None
        return Y, labels

    def _encode_validation_targets(self, y):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y)
        if y.ndim == 1:
            unseen = np.setdiff1d(np.unique(y), self.classes_)
            if len(unseen):
                raise ValueError(f"validation y has classes {unseen} that are not in the "
                                 f"training classes {self.classes_}")
        return _indicator_checked(self._label_binarizer, y, "validation y")

    def _target_state(self):
        binarizer = self._label_binarizer
        state = {"classes_": self.classes_, "y_type": binarizer.y_type_}
        if binarizer.y_type_ == "multilabel-indicator":  # predict answers in y's own kind
            state["sparse_y"] = bool(binarizer.sparse_input_)
        return state

    def _restore_targets(self, state, network):
        classes, y_type = state["classes_"], state["y_type"]
        sparse_y = state.get("sparse_y")  # absent from files of versions before it: dense
        if sparse_y is not None and y_type != "multilabel-indicator":
            raise ValueError("sparse_y goes with multilabel targets only")
        if y_type == "multilabel-indicator":
            eye = np.eye(len(classes), dtype=int)
            binarizer = LabelBinarizer().fit(sparse.csr_matrix(eye) if sparse_y else eye)
            # the labels fit gives, integers (of the platform's int, which save records: int32
            # on some): others (0.0, 1.0, True) would come back converted
            if len(classes) < 2 or not np.array_equal(classes, binarizer.classes_) or \
                    np.asarray(classes).dtype.kind not in "iu":
                raise ValueError("multilabel classes must be the integers 0 … n_labels − 1, "
                                 "at least two")
        elif y_type in ("binary", "multiclass"):
            try:
                binarizer = LabelBinarizer().fit(classes)
            except TypeError as error:  # labels of types that do not compare, say
                raise ValueError(f"classes_ cannot be told apart ({error})") from None
            if not np.array_equal(binarizer.classes_, classes) or binarizer.y_type_ != y_type:
                count = "1 or 2" if y_type == "binary" else "at least 3"
                raise ValueError(f"classes_ must list {count} distinct labels, sorted, for "
                                 f"y_type {y_type!r}")
        else:
            raise ValueError("y_type must be binary, multiclass or multilabel-indicator")
        outputs = 1 if y_type == "binary" else len(classes)
        if network.D_y != outputs:
            raise ValueError(f"{len(classes)} {y_type} classes need {outputs} output(s), the "
                             f"network has {network.D_y}")
        self._label_binarizer, self.classes_ = binarizer, binarizer.classes_
        class_weight_of(self, False, multilabel=y_type == "multilabel-indicator")
        return self._output_layer()

    def _output_layer(self):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax", "cross_entropy"
        return "sigmoid", "log_loss"

    def _labels_from_outputs(self, P):
        return labels_from_outputs(self._label_binarizer, P)

    def _validation_scorer(self, X_val, Y_val, w_val):
        y_val = self._labels_from_outputs(Y_val)

        def score(net):
            P = net.predict_rows(X_val)
            if not np.isfinite(P).all():  # as scikit-learn: no score for overflowed outputs
                return np.nan
            return accuracy_score(y_val, self._labels_from_outputs(P), sample_weight=w_val)
        return score

    def predict(self, X):
        """Predicted labels, (n_samples,) (or (n_samples, n_labels) for multilabel targets); a
        dask array, computed blockwise, for a Dask X."""
        if is_dask(X):
            return blockwise(self, X, "predict")
        return self._labels_from_outputs(self._forward(X))

    def predict_proba(self, X):
        """Class probabilities, (n_samples, n_classes), columns ordered as `classes_`. Trained on
        a single class, the model gives it probability 1. A dask array for a Dask X."""
        if is_dask(X):
            return blockwise(self, X, "predict_proba")
        P = self._forward(X)
        if len(self.classes_) == 1:
            return np.ones_like(P)
        if P.shape[1] == 1:
            return np.hstack([1 - P, P])
        return P

    def score(self, X, y, sample_weight=None):
        """Accuracy on (X, y), as scikit-learn scores; computed on the cluster for Dask inputs."""
        if is_dask(X) or is_dask(y):
            return _dask_prediction.score(self, X, y, sample_weight)
        return super().score(X, y, sample_weight)

    def predict_log_proba(self, X):
        """log(predict_proba(X)) (-inf for a probability of 0); a dask array, computed
        blockwise, for a Dask X."""
        if is_dask(X):
            return blockwise(self, X, "predict_log_proba")
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # class_weight is refused for multilabel targets (`class_weight_of`)
        tags.classifier_tags.multi_label = self.class_weight is None
        tags.classifier_tags.poor_score = self.solver == "gd"  # as the regressor's
        return tags


def _refuse_incomparable(y, only_text=False):
    """ValueError saying why labels that cannot be sorted into classes are refused: a None among
    them (a missing label, or pandas' NA), or labels of types that do not compare (strings and
    numbers; `only_text`: of several types only where strings are one of them); returns where
    the labels are all of one type."""
    flat = np.asarray(y, dtype=object).ravel()
    missing = np.flatnonzero([v is None for v in flat])
    if missing.size:
        raise ValueError(f"y holds None (a missing label) at index "
                         f"{indices_text(missing, missing.size)}; drop those samples or give "
                         "them a label") from None
    missing = missing_labels(flat)  # pandas' NA, say
    if missing.size:
        raise ValueError(missing_labels_message(missing, missing.size)) from None
    kinds = {type(v).__name__ for v in flat}
    if len(kinds) > 1 and (not only_text or "str" in kinds):
        raise ValueError(incomparable_labels_message(kinds)) from None


def _indicator_checked(binarizer, y, name):
    """binarizer.transform(y), where multilabel y must hold only 0 and 1 (False and True): 1
    where a label applies. scikit-learn takes any two integers for a multilabel y (-1 and 1,
    1 and 2) and trains on them as they are, targets that no probability can reach."""
    _refuse_labels_for_multilabel(binarizer, y, name)
    if binarizer.y_type_ == "multilabel-indicator":
        values = np.unique(y.data if sparse.issparse(y) else np.asarray(y))
        others = values[(values != 0) & (values != 1)]
        if others.size:
            raise ValueError(f"multilabel {name} must hold only 0 and 1 (1 where a label "
                             f"applies), got {', '.join(map(str, others))} as well; map the "
                             "values to 0 and 1, such as (y == 1).astype(int) for -1 and 1")
    return binarizer.transform(y)


def _refuse_labels_for_multilabel(binarizer, y, name):
    """ValueError where a model fitted to multilabel targets is given one label per row.
    scikit-learn one-hot encodes such labels as if they were label columns (a 1-D y of 0 and 1
    sets the columns of labels 0 and 1) and trains on them in silence."""
    if binarizer.y_type_ == "multilabel-indicator" and np.ndim(y) == 1:
        raise ValueError(f"The object was fitted with multilabel input, but {name} holds one "
                         f"label per row ({type_of_target(y)}); pass one column of 0 and 1 per "
                         f"label ({len(binarizer.classes_)} columns), or fit a new model "
                         "(warm_start=False) to these labels")
