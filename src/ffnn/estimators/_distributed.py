"""The estimators on Dask collections: `fit` on dask arrays or DataFrames trains on the cluster
of the active `distributed.Client` (training.dask_engine), with the data left on the workers;
prediction is in `_dask_prediction`, input handling in `_dask_inputs`, validation scores in
`_dask_scores`. Dask is imported only when such inputs arrive.

What fit learns from the data before training (its size, Σw, the classes, whether the values
are finite) is found on the workers, one task per partition (`_dask_checks`); the rows are
never gathered on the client. The
held-out rows of early stopping are drawn per partition (`held_out_rows`), not stratified by
class as in memory. Which rows a fit trains on (`_validation.split_seed`) is told by their
digest, each partition's taken on the worker holding it once the partitions are computed
(data streamed from files is read once more for it) and added on the client
(`_row_digest.of_parts`): the in-memory digest of the same rows.
"""

import functools
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets

from ..training import STOCHASTIC_SOLVERS
from ..training.batches import held_out_plan, held_out_rows
from ._dask_checks import check_labels, combined, row_checks
from ._dask_inputs import as_numbers, blocks, client, features, is_dask, like_rows, together
from ._dask_scores import scores_on_cluster
from ._row_digest import of_parts, part_row_set
from ._validation import (
    GIVEN,
    TRAINED,
    TRAINED_ON,
    check_fraction,
    check_given,
    check_held_out,
    drawn_seed,
    given,
    in_dtype,
    split_rows,
    trained_on_all,
)
from ._weights import by_class, check_weight_sum, class_factors, class_weight_of


def _assemble(X, y, w, encode, class_weights, dtype, start=0, said=("X", "y", TRAINED)):
    """One partition as training takes it: (X_p, Y_p, w_p) in the network's dtype (the weights
    in float64, as in memory), w_p None without sample or class weights. Numbers beyond that
    dtype's range are refused as in memory (`in_dtype`), by the row number `start` + k and
    `said`: the names of X and y and the advice for each."""
    if class_weights is not None:
        factor = by_class(class_weights, y)
        w = factor if w is None else np.asarray(w, np.float64) * factor
    # sparse blocks stay sparse, CSR or CSC as given (others as CSR), as in memory
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()
    (x_name, y_name, (x_advice, y_advice)) = said
    return (in_dtype(X, dtype, x_name, x_advice, start),
            in_dtype(encode(y), dtype, y_name, y_advice, start),
            None if w is None else np.asarray(w, np.float64))


def _columns(y):
    return y.reshape(-1, 1) if y.ndim == 1 else y


def _binarize(binarizer, y):
    return binarizer.transform(y)


def _rows_of(part, rows):
    X, Y, w = part
    return X[rows], Y[rows], None if w is None else w[rows]


def _split(part, held, seed, held_out):
    train, val = held_out_rows(part[0].shape[0], held, seed)
    return _rows_of(part, val if held_out else train)


def fit(est, X, y, sample_weight, first, incremental, settings, callback, validation_data):
    """_BaseFFNN._fit for Dask inputs."""
    import dask

    from ..training.dask_engine import Partitions

    cluster = client()
    if settings.backend != "numpy":
        warnings.warn(f"backend={settings.backend!r} does not apply to Dask inputs: the workers "
                      "train with the NumPy engine (the same model, on their CPUs)", UserWarning)
    X, y, sample_weight = together(X, y, sample_weight)
    X = features(est, X, first)
    y = like_rows(y, X, "y", warn=True)
    w = None if sample_weight is None else like_rows(sample_weight, X, "sample_weight")
    classifier = isinstance(est, ClassifierMixin)
    if not classifier:
        y = as_numbers(y, "y")
    est._refuse_times(y, "y")
    if classifier and y.ndim != 1:
        raise ValueError("with Dask inputs FFNNClassifier takes one label per row (binary or "
                         f"multiclass); multilabel targets (y of {y.shape[1]} columns) train in "
                         "memory: pass X and y as NumPy arrays (or SciPy sparse matrices), "
                         "computing any Dask collection first; other labels in several columns "
                         "(multiclass-multioutput) train in neither, as in scikit-learn: train "
                         "a model per column")
    held = refused = None
    try:  # what is wrong with the validation data is said after what is wrong with X and y
        held = None if validation_data is None else _validation_inputs(est, validation_data)
    except (TypeError, ValueError) as error:
        refused = error
    # the validation rows are checked in the same pass over the data
    found, found_held = dask.compute(row_checks(X, y, w, classifier),
                                     None if held is None else held[2])
    found = combined(found)
    if not found["X finite"]:
        raise ValueError("Input X contains NaN or infinity; impute or drop those rows first")
    dtype = np.dtype(X.dtype) if first else est.network_.dtype

    class_weights = None
    if classifier:
        check_labels(found)
        classes, counts = found["classes"]
        check_classification_targets(classes)
        est._encode_targets(classes, first, incremental)  # fits or checks the classes
        binarizer = est._label_binarizer
        D_y = 1 if binarizer.y_type_ == "binary" else len(binarizer.classes_)
        encode = functools.partial(_binarize, binarizer)
        class_weight = class_weight_of(est, incremental)
        if class_weight is not None:
            class_weights = class_factors(class_weight, classes, counts)
    else:
        est._check_loss()
        if not found["y finite"]:
            raise ValueError("Input y contains NaN or infinity")
        if est.loss == "poisson" and found["y min"] < 0:
            raise ValueError("the poisson loss needs targets >= 0, but y has negative values; "
                             "use loss='squared_error' or shift the targets")
        D_y = 1 if y.ndim == 1 else y.shape[1]
        if not first and D_y != est.network_.D_y:
            raise ValueError(f"y has {D_y} outputs but the network was trained with "
                             f"{est.network_.D_y}")
        encode = _columns
    if w is not None:  # NaN first, as in memory (the least of the weights may pass a NaN by)
        if not found["w finite"]:
            raise ValueError("Input sample_weight contains NaN or infinity")
        if found["w min"] < 0:
            raise ValueError("Negative values in data passed to `sample_weight`")
    if refused is not None:
        raise refused

    net = est._prepare_network(first, X.shape[1], D_y, dtype, settings)
    assemble = dask.delayed(_assemble, pure=True)
    rows = list(X.chunks[0])
    said = ("X", "y", TRAINED if first else (TRAINED[0], TRAINED_ON))
    parts = [assemble(Xb, yb, wb, encode, class_weights, net.dtype, start, said)
             for (Xb, yb, wb), start in zip(blocks(X, y, w), map(int, np.cumsum([0, *rows[:-1]])))]
    layout, validation, held_out = ("partitions", tuple(rows)), None, None
    if held is not None:
        validation = _given_validation(est, held, combined(found_held), cluster, net, encode,
                                       class_weights)
    elif validation_data is not None:
        validation = given(est, validation_data, class_weights)
    elif est.early_stopping and settings.solver in STOCHASTIC_SOLVERS:
        parts, rows, held_out = _held_out(est, cluster, net, parts, rows)
    split = held_out is not None
    nonempty = [i for i, m in enumerate(rows) if m > 0]
    weighted = w is not None or class_weights is not None
    data = Partitions(cluster, net, [parts[i] for i in nonempty], [rows[i] for i in nonempty],
                      weighted)
    # which rows these are (see split_seed): their digest, found on the workers that hold them
    digest = of_parts(data.map(part_row_set) + (held_out.map(part_row_set) if split else []))
    if split:
        split_rows(est, layout, stacklevel=6, digest=digest)
        validation = scores_on_cluster(est, held_out, True)
    else:
        trained_on_all(est, layout, digest)
    if weighted:
        check_weight_sum(data.sum_weights, data.n, split)
    _warn_of_batches_beyond_partitions(est, settings, data.rows)
    return est._train(data, None, None, validation, incremental, callback, data.n)


def _warn_of_batches_beyond_partitions(est, settings, rows):
    """Say where no batch can hold batch_size rows: a minibatch never spans two partitions,
    so beyond the training rows of the largest one each epoch takes one step per partition,
    where the same rows in memory train in batches of batch_size (as `fit --dask` says)."""
    if settings.solver not in ("sgd", "adam"):
        return
    n, largest = sum(rows), max(rows)
    size = est._trainer.batch_size(n)  # 'auto' and a size beyond n as training takes them
    if size > largest:
        warnings.warn(
            f"batch_size={settings.batch_size!r} ({size} rows) is beyond the {largest} training "
            f"rows of the largest Dask partition: no batch spans two partitions, so each epoch "
            f"takes one step per partition (of its rows) where in memory it takes batches of "
            f"{size}; for batches of {size}, make partitions of at least {size} rows "
            f"(`X.rechunk({{0: {size}}})`, or a DataFrame's `repartition`)", UserWarning,
            stacklevel=6)


def _held_out(est, cluster, net, parts, rows):
    """Early stopping's split, drawn per partition on the workers: (training parts, their rows,
    the held-out rows' Partitions). What there is to say of the split (`split_rows`) waits for
    the rows' digest."""
    from ..training.dask_engine import Partitions, split_partitions

    check_fraction(est)
    seed = drawn_seed(est)  # as in memory
    held_rows, seeds = held_out_plan(rows, est.validation_fraction, seed)
    train, held = split_partitions(parts, held_rows, seeds, _split)
    check_held_out(sum(held_rows), sum(rows))
    keep = [i for i, m in enumerate(held_rows) if m > 0]
    val = Partitions(cluster, net, [held[i] for i in keep], [held_rows[i] for i in keep])
    train_rows = [m - v for m, v in zip(rows, held_rows)]
    return train, train_rows, val


def _validation_inputs(est, validation_data):
    """(X_val, y_val, what to check of them) where the caller's (X_val, y_val) are Dask
    collections; None where they are in memory (validated as without Dask)."""
    try:
        X_val, y_val = validation_data
    except (TypeError, ValueError):
        raise ValueError("validation_data must be a pair (X_val, y_val)") from None
    if not (is_dask(X_val) or is_dask(y_val)):
        return None
    X_val, y_val = together(X_val, y_val, names=("validation X", "validation y"))
    X_val = features(est, X_val, False)
    y_val = like_rows(y_val, X_val, "validation y")
    if not isinstance(est, ClassifierMixin):
        y_val = as_numbers(y_val, "validation y")
    est._refuse_times(y_val, "validation y")
    return X_val, y_val, row_checks(X_val, y_val, None, isinstance(est, ClassifierMixin))


def _given_validation(est, held, found, cluster, net, encode, class_weights):
    """A Validation on the cluster from `_validation_inputs`'s (X_val, y_val, checks), with
    what the checks `found`; its rows weighed by their class as the training rows were."""
    import dask

    from ..training.dask_engine import Partitions

    X_val, y_val, _ = held
    check_given(est, X_val.shape[0])
    if not found["X finite"] or not found.get("y finite", True):
        raise ValueError("validation_data contains NaN or infinity")
    if "classes" in found:
        check_labels(found, "validation y")
        unseen = np.setdiff1d(found["classes"][0], est.classes_)
        if len(unseen):
            raise ValueError(f"validation y has classes {unseen} that are not in the training "
                             f"classes {est.classes_}")
    else:
        outputs = 1 if y_val.ndim == 1 else y_val.shape[1]
        if outputs != net.D_y:
            raise ValueError(f"validation y has {outputs} outputs, the network {net.D_y}")
    assemble = dask.delayed(_assemble, pure=True)
    blocks = [(Xb, yb, m) for Xb, yb, m in zip(X_val.to_delayed().ravel(),
                                                y_val.to_delayed().ravel(), X_val.chunks[0])
              if m > 0]
    starts = np.cumsum([0, *X_val.chunks[0][:-1]])[[m > 0 for m in X_val.chunks[0]]]
    said = ("validation X", "validation y", GIVEN)
    val = Partitions(cluster, net, [assemble(Xb, yb, None, encode, class_weights, net.dtype,
                                             start, said)
                                    for (Xb, yb, _), start in zip(blocks, map(int, starts))],
                     [m for *_, m in blocks])
    return scores_on_cluster(est, val, bool(est.early_stopping))
