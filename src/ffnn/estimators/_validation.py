"""The rows early stopping scores each epoch on: split off the training rows by
validation_fraction, or held out by the caller and given as validation_data. Both in memory;
on a cluster `_distributed` draws the split per partition, with the same checks."""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import validate_data

from ..exceptions import InvalidParameterError
from ..training import STOCHASTIC_SOLVERS, Validation
from . import _weights
from ._labels import refuse_missing

NO_WEIGHT = "Sample weights must contain at least one non-zero number."  # scikit-learn's words


def check_fraction(est):
    """validation_fraction 0 holds out no row: early stopping has nothing to score (scikit-learn
    leaves the refusal to train_test_split, whose message names its own test_size)."""
    if est.validation_fraction == 0:
        raise InvalidParameterError("validation_fraction must be in (0, 1) with early_stopping="
                                    "True: it is the share of the rows held out to score each "
                                    "epoch; or pass validation_data to fit")


def check_held_out(held, total):
    """The split must hold out at least 2 of the `total` rows (R² has no value on one), and
    leave some to train on."""
    if held < 2:
        raise ValueError("The validation set is too small. Increase 'validation_fraction' or the "
                         f"size of your dataset. ({held} of {total} samples are held out; early "
                         "stopping needs at least 2.)")
    if held >= total:  # scikit-learn's words, where its split refuses this in memory
        raise ValueError(f"With n_samples={total}, of which validation_fraction holds out "
                         f"{held}, the resulting train set will be empty. Lower "
                         "'validation_fraction' or pass validation_data.")


def check_given(est, rows):
    """validation_data, where early stopping uses it, must hold at least 2 rows, as its own
    split must: on one, every score is NaN and training would go back to its first weights."""
    if est.early_stopping and est.solver in STOCHASTIC_SOLVERS and rows < 2:
        raise ValueError("The validation set is too small. Early stopping needs at least 2 rows "
                         f"of validation_data, got {rows}.")


def split_seed(est, layout, stacklevel, digest=None):
    """The seed of early stopping's split, drawn once per network: a warm-started fit holds out
    the rows the fits before it held out, so that the network is never scored on rows it was
    trained on. (scikit-learn redraws the split from random_state at every fit: its warm starts
    hold out the same rows as one another, but not those of its first fit, which drew them
    after the initial weights.) Each fit still draws, so that the minibatch order after it is
    the same either way. `layout` is how the rows are held: ("memory", n), or ("partitions",
    the rows of each) on a cluster, where the seed draws per partition. What there is to say of
    the split (`split_rows`, of the rows' `digest`) is said at once; `stacklevel`: the caller
    of its fit."""
    seed = drawn_seed(est)
    split_rows(est, layout, stacklevel + 1, digest)
    return seed


def drawn_seed(est):
    """`split_seed` without a word: the seed, where the rows' digest is not known yet (on a
    cluster, found as the split is made); `split_rows` then says what there is to say."""
    drawn = int(est._rng.integers(np.iinfo(np.int32).max))
    if getattr(est, "_split_seed", None) is None:
        est._split_seed, est._split_layouts, est._split_held = drawn, (), {}
    return est._split_seed


def split_rows(est, layout, stacklevel, digest=None):
    """Record that early stopping splits the rows of `layout` (see `split_seed`) and `digest`,
    and warn where it holds out rows the network was trained on. The same seed holds out other
    rows where the same rows are held otherwise: a warm start whose rows are as many as an
    earlier fit's of this network, held otherwise, is warned of it (`other_split`), and so is
    one that holds out more of them than an earlier split (`larger_split`), or whose rows are
    as many as those an earlier fit or partial_fit trained on, none held out (`trained_on_all`);
    `stacklevel`: the caller of its fit. `digest`, the rows' `_row_digest.row_set` (None: not
    known), tells new rows of the same number from the same rows again: the warnings are given
    for rows of the same digest only, where both are known."""
    earlier = getattr(est, "_split_layouts", ())
    larger = larger_split(est, _rows(layout), digest)
    other = other_split(earlier, layout, digest) or larger
    if other is None and any(rows == _rows(layout) and _alike(known, digest)
                             for rows, known in map(_counted, getattr(est, "_unsplit_rows", ()))):
        other = (f"early stopping may hold out rows this network was trained on: an earlier "
                 f"fit of it (without early stopping, given validation_data or by L-BFGS, or "
                 f"partial_fit) trained it on all of its {_rows(layout)} rows, as many as this "
                 "fit's; if they are these rows, this fit scores the network, and chooses the "
                 "epoch it keeps, on rows it was trained on. Pass rows it never saw as "
                 "validation_data, or fit a new network (warm_start=False)")
    if other is not None:
        warnings.warn(other, UserWarning, stacklevel=stacklevel)
    est._split_layouts = _recorded(tuple(map(_laid_out, earlier)), layout, digest)


def larger_split(est, rows, digest=None):
    """What to say where early stopping holds out more of `rows` rows (of `digest`) than an
    earlier split of them did: the seed holds out the rows it held out then and more, which the
    fits since trained on. None where it holds out as many or fewer (rows never trained on), or
    the earlier rows were other rows of as many (another digest). Of one number of rows, at
    most `_DIGESTS` digests are kept, as in `trained_on_all`."""
    # as train_test_split rounds: ceil(fraction · n), in the fraction's own type
    held = int(np.ceil(est.validation_fraction * rows))
    split_held = getattr(est, "_split_held", {})
    records = {_counted(key): n for key, n in split_held.items()}
    fewest = min([held] + [n for (r, known), n in records.items()
                           if r == rows and _alike(known, digest)])
    kept, least = digest, held  # the record of these rows: their digest, the fewest held out
    if (rows, digest) not in records and sum(r == rows for r, _ in records) >= _DIGESTS:
        # as in trained_on_all: beyond _DIGESTS digests, rows of this number have none
        least = min([held] + [n for (r, _), n in records.items() if r == rows])
        records, kept = {key: n for key, n in records.items() if key[0] != rows}, None
    records[rows, kept] = min(records.get((rows, kept), least), least)
    est._split_held = records
    if held <= fewest:
        return None
    return (f"early stopping holds out other rows than earlier fits of this network held out: "
            f"validation_fraction={est.validation_fraction} holds out {held} of its {rows} rows, "
            f"where an earlier fit of this network held out {fewest}, so some of the rows this "
            "fit scores it on were trained on. Hold out at most as many (a smaller "
            "validation_fraction), pass validation_data, or fit a new network (warm_start=False)")


def trained_on_all(est, layout, digest=None):
    """Record that the network was trained on every row of `layout` (as `split_seed` takes it,
    of `digest`), none held out by early stopping's split: a later split of the same rows holds
    out some that were trained on, which `split_seed` says. At most `_DIGESTS` digests are kept
    of one number of rows (partial_fit over a stream of batches would add one a call): beyond
    them, that number's record holds no digest, which takes every rows of it for those."""
    records = tuple(map(_counted, getattr(est, "_unsplit_rows", ())))
    est._unsplit_rows = _recorded(records, _rows(layout), digest)


def _recorded(records, key, digest):
    """`records`, (key, digest) pairs, with (`key`, `digest`) among them: at most `_DIGESTS`
    digests are kept of one key; beyond them, or for a digest not known (None), the key's one
    record holds none, which `_alike` takes for every digest."""
    if (key, None) in records or (key, digest) in records:
        return records
    if digest is None or sum(known_key == key for known_key, _ in records) >= _DIGESTS:
        records, digest = tuple(entry for entry in records if entry[0] != key), None
    return (*records, (key, digest))


_DIGESTS = 8  # digests of rows kept of one number of rows or one layout (see _recorded)


def _counted(entry):
    """(rows, digest) of a record of rows: a number of rows alone in models pickled before rows
    had a digest, whose digest is then not known."""
    return entry if isinstance(entry, tuple) else (entry, None)


def _laid_out(entry):
    """(layout, digest) of a record of a split: a layout alone in models pickled before rows
    had a digest, whose digest is then not known."""
    return entry if isinstance(entry[0], tuple) else (entry, None)


def _alike(known, digest):
    """Whether rows of as many of the digests `known` and `digest` may be the same rows: where
    both digests are known, they are equal."""
    return known is None or digest is None or known == digest


def _rows(layout):
    """How many rows a `split_seed` layout holds."""
    return layout[1] if layout[0] == "memory" else sum(layout[1])


def other_split(earlier, now, digest=None):
    """What to say where rows as many as those of `earlier` fits (their `split_seed` layouts,
    each with its rows' digest) are held otherwise now (as `now`, of `digest`): the seed then
    holds out other rows, some of them trained on. None where they are held alike, or are other
    rows (of another number, or another digest)."""
    def held(layout):
        if layout[0] == "memory":
            return "in memory"
        sizes = ", ".join(map(str, layout[1][:5])) + (", …" if len(layout[1]) > 5 else "")
        return f"in Dask partitions of {sizes} rows"

    others = list(dict.fromkeys(held(layout) for layout, known in map(_laid_out, earlier)
                                if layout != now and _rows(layout) == _rows(now)
                                and _alike(known, digest)))
    if not others:
        return None
    return (f"early stopping holds out other rows than earlier fits of this network held out: "
            f"they split its {_rows(now)} rows {' and '.join(others)}, this fit {held(now)}, so "
            "some of the rows this fit scores the network on were trained on. Keep a network's "
            "rows in one form across its warm starts (in memory, or in Dask partitions of the "
            "same sizes), pass validation_data, or fit a new network (warm_start=False)")


def split(est, X, Y, weights, labels, digest=None):
    """Early stopping's split of the rows: (X, Y, weights of the training rows, the Validation
    of the others), drawn from the estimator's random state; `digest`: see `split_seed`."""
    check_fraction(est)
    seed = split_seed(est, ("memory", X.shape[0]), stacklevel=6, digest=digest)
    rows = np.arange(X.shape[0])
    # scikit-learn stratifies by the labels only where the network has one output (binary
    # targets); a multiclass split is drawn as a regression's is.
    stratify = labels if Y.shape[1] == 1 else None
    # validation_fraction is checked already; train_test_split's own check of test_size
    # refuses a NumPy float32 (which scikit-learn's fit, skipping it, splits by).
    with config_context(skip_parameter_validation=True):
        train, val = train_test_split(rows, test_size=est.validation_fraction,
                                      random_state=seed, stratify=stratify)
    check_held_out(val.size, X.shape[0])
    w_val = None
    if weights is not None:
        _weights.check_weight_sum(weights[train].sum(), train.size, split=True)
        w_val = weights[val]
        if not w_val.any():  # the scores would be 0/0, refused at the first epoch's end
            raise ValueError(f"{NO_WEIGHT} The {val.size} rows held out by early stopping all "
                             "have weight 0; give weight to more rows, or pass validation_data.")
    validation = Validation(X[val], Y[val], w_val, est._validation_scorer(X[val], Y[val], w_val))
    return X[train], Y[train], None if weights is None else weights[train], validation


def given(est, validation_data, class_weights=None):
    """The Validation of a (X_val, y_val) pair the caller holds out itself, its rows weighed by
    `class_weights` (`_weights.class_factors`) as the training rows were, so that the score
    means what it means on rows split off by early stopping."""
    try:
        X_val, y_val = validation_data
    except (TypeError, ValueError):
        raise ValueError("validation_data must be a pair (X_val, y_val)") from None
    classifier = isinstance(est, ClassifierMixin)
    refuse_times(X_val, "validation X")
    try:
        X_val, y_val = validate_data(est, X_val, y_val, accept_sparse=["csr", "csc"],
                                     multi_output=True, dtype=(np.float64, np.float32),
                                     reset=False, y_numeric=not classifier)
    except TypeError:  # pandas' NA, which NumPy can neither compare nor make a float
        refuse_missing(X_val, y_val, labels=classifier, names=("validation X", "validation y"))
        raise
    check_given(est, X_val.shape[0])
    # refused as the training rows are where float32 cannot hold them (they scored -inf)
    dtype = est.network_.dtype
    Y_val = in_dtype(est._encode_validation_targets(y_val), dtype, "validation y", GIVEN[1])
    X_val = in_dtype(X_val, dtype, "validation X", GIVEN[0])
    w_val = None if class_weights is None else _weights.by_class(
        class_weights, y_val.ravel() if y_val.ndim == 2 and y_val.shape[1] == 1 else y_val)
    if w_val is not None and not w_val.any():  # the scores would be 0/0
        raise ValueError(f"{NO_WEIGHT} The {len(w_val)} rows of validation_data all have "
                         "weight 0 (their classes' class_weight); give them weight")
    return Validation(X_val, Y_val, w_val, est._validation_scorer(X_val, Y_val, w_val),
                      early_stopping=bool(est.early_stopping))


# What to do with features and targets beyond float32's range (`in_dtype`): of training rows, of
# targets where a float32 network is trained on (its dtype stays, whatever the X now given),
# and of validation rows
TRAINED = ("scale them as its earlier data were", "scale them, or pass X as float64")
TRAINED_ON = ("scale them: this model's network is float32, as the X of its first fit was (fit a "
              "new one to float64 X for a float64 network)")
GIVEN = ("scale them as the training features", "scale them as the training targets")


def in_dtype(A, dtype, name, advice, start=0):
    """A (a dense array, or the values of a sparse one) cast to the network's `dtype`, where it
    must stay finite: NumPy's cast makes a number beyond float32's range infinite, which
    training then refused as NaN or infinity that the caller's data does not hold. `advice`
    says how to avoid it; `start`, the row number of A's first row (of a partition)."""
    values = A.data if sp.issparse(A) else A
    with np.errstate(over="ignore"):  # (in row order: minibatches gather rows)
        cast = np.ascontiguousarray(values, dtype=dtype)
    if cast.dtype != values.dtype and not np.isfinite(cast).all():
        rows = np.unique(np.nonzero(~np.isfinite(cast))[0]) if not sp.issparse(A) else \
            np.unique(A.tocoo().row[~np.isfinite(cast)])
        raise ValueError(f"{name} holds numbers too large for {np.dtype(dtype)} (beyond "
                         f"±{np.finfo(dtype).max:.4g}) in {len(rows)} row(s) (first: row "
                         f"{start + rows[0]}); {advice}")
    if sp.issparse(A):
        return A.astype(dtype, copy=False)
    return cast


def refuse_times(A, name):
    """ValueError where A (features, targets or sample weights: a NumPy, pandas or dask array)
    holds dates or durations: NumPy would turn them into counts of their unit (nanoseconds since
    1970, say), numbers of no scale the network can fit. scikit-learn refuses such targets and
    such features at predict (with a TypeError of NumPy's), though its fit takes the features."""
    kind = getattr(getattr(A, "dtype", None), "kind", "")
    if kind in ("m", "M"):
        what = "dates" if kind == "M" else "durations"
        v = name.split()[-1]
        since = f"({v} - {v}.min())" if kind == "M" else v
        raise ValueError(f"{name} holds {what} ({A.dtype}), not numbers; convert them to numbers "
                         f"in the unit you mean first, such as {since} / np.timedelta64(1, 'D') "
                         "for days")
