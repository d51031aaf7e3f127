"""Which rows of a data file a command-line model has seen. A model records its training file's
fingerprint and split (see `Provenance`): scoring it on that same file is optimistic, and is
said so, with the rows of each part told apart; the test rows written by `--test-out` are
recognised as never seen; and another file holding rows identical to rows that trained or
validated the network (a copy of some of them, reordered, in another layout) is said to."""

from dataclasses import dataclass

import numpy as np

from ..exceptions import DataError
from ..tabular import class_codes, row_hashes
from .splits import split_rows
from .stopping import unit_of
from .targets import target_values

# The parts a file's rows are scored in: of the training file, as it was split; of another
# file, its rows identical to rows that trained or validated the network and the others.
PARTS = ("training", "validation", "test", "seen", "unseen")
# Training rows of which fewer than this share are distinct are data of few possible values,
# where a new row is often identical to a training row without having been one.
REPEATED = 0.99


@dataclass
class Seen:
    """`file`: "training" (the model's training file), "test" (its --test-out rows) or None;
    `roles`: for the training file, each row's part ("training", "validation", "test");
    `overlap`: for another file, (its rows identical to rows that trained or validated the
    network, whether counted exactly, how many of them are certain, its rows, (distinct, all)
    rows that trained or validated it), or None."""

    file: str = None
    roles: np.ndarray = None
    overlap: tuple = None

    def notice(self, model, path, apart):
        """What to tell a user scoring the model on this file, or None; `apart` says how the
        command shows the parts when they are known."""
        d = model.data
        if self.file == "test":
            repeated = ""
            if self.overlap is not None:  # the data repeat rows: some test rows are copies
                seen, exact, _, rows, _ = self.overlap
                about = "" if exact else "about "
                repeated = (f"; but {about}{seen} of them {'is' if seen == 1 and exact else 'are'}"
                            " identical to rows that did (the data repeat rows), so scores over "
                            "those may be optimistic")
            return (f"note: {path} holds the {d.test_rows} test rows that 'ffnn fit' held out: "
                    f"none trained the network or chose the {unit_of(model.estimator.solver)} "
                    f"kept{repeated}")
        if self.file is None and self.overlap is not None:
            return _overlap_notice(path, *self.overlap) + (f"; {apart}" if self.roles is not None
                                                          else "")
        if self.file != "training":
            return None
        return (f"note: {path} is the file this model was trained on: {d.training_rows} of its "
                f"{d.rows} rows trained the network and {d.validation_rows} validated it, so "
                "scores over all of them are optimistic"
                + (f"; {apart}" if self.roles is not None
                   else "; hold out test rows with 'ffnn fit --test-size 0.2 --test-out FILE'"))


def seen(model, path, frame):
    """The Seen of a data file for `model` (nothing known for models without a record)."""
    d = model.data
    if d is None:
        return Seen()
    role, by = d.role_of([path])
    if role is None:
        return _overlap(model, frame)
    if role == "training" and by == "files":
        # the one file of an 'ffnn fit --dask': its split, made partition by partition, is not
        # the one split_rows would rebuild
        return Seen(role)
    if role == "test":
        found = _overlap(model, frame).overlap
        return Seen(role, np.full(len(frame), "test", dtype=object), found)
    if role != "training" or len(frame) != d.rows:
        return Seen(role)
    try:
        labels = None
        if model.task == "classification":
            labels = target_values(frame[model.target], model.task, model.target, path)
        split = split_rows(d.rows, labels, d.validation_fraction, d.test_fraction, d.seed, path)
    except (DataError, KeyError, ValueError):
        return Seen(role)
    if (len(split.train), len(split.validation), len(split.test)) != (
            d.training_rows, d.validation_rows, d.test_rows):
        return Seen(role)  # read differently than in training: the parts are not known
    return Seen(role, split.role_of_rows(d.rows))


def _overlap(model, frame):
    """The Seen of a file other than the training file: its rows identical to rows that trained
    or validated the model (told apart from the others where counted exactly), if any."""
    columns = [*model.preprocessor.columns, model.target]
    if model.data.seen_hashes is None or not set(columns) <= set(frame.columns):
        return Seen()
    if model.task == "classification":
        frame = frame.assign(**{model.target: as_classes(frame[model.target], model)})
    seen_here = model.data.seen(row_hashes(frame, columns))
    found = model.data.estimate(int(seen_here.sum()), len(frame))
    if not found[0]:
        return Seen()
    roles = None
    if found[1] and found[0] < len(frame):  # every seen row's hash is kept: each row is known
        roles = np.where(seen_here, "seen", "unseen").astype(object)
    return Seen(roles=roles, overlap=(*found, len(frame), _seen_rows(model)))


def as_classes(labels, model):
    """The labels of a target column as the model's classes they name (missing where they name
    none), hashed as training hashed its labels: integer classes read as text in a file where
    one label is a word ('1', 'unknown'), or written 1.0, are the rows they were."""
    import pandas as pd

    codes = class_codes(labels, model.classes_)
    classes = pd.Series(model.classes_[np.maximum(codes, 0)], index=labels.index)
    return classes.where(codes >= 0)


def _seen_rows(model):
    d = model.data
    return d.seen_rows, d.training_rows + d.validation_rows


def overlap_notice(model, path, matched, rows):
    """The note for a file other than the training file of which `matched` of `rows` rows have
    a hash the model kept (counted on a cluster, where rows are not told apart), or None."""
    if model.data is None or model.data.seen_hashes is None or not matched:
        return None
    return _overlap_notice(path, *model.data.estimate(matched, rows), rows, _seen_rows(model))


def _overlap_notice(path, seen, exact, certain, rows, seen_rows):
    about = "" if exact else "about "
    if seen == rows == 1:
        which = f"the one row of {path} is identical to a row"
    elif seen == rows and exact:
        which = f"all {rows} rows of {path} are identical to rows"
    else:
        verb = "is" if seen == 1 and exact else "are"
        which = f"{about}{seen} of the {rows} rows of {path} {verb} identical to rows"
    how = "" if exact else (f" (estimated from a sample of the training rows' hashes; "
                            f"{certain} certainly)")
    distinct, trained = seen_rows
    if distinct < REPEATED * trained:
        # values from few possibilities: new rows are often identical to old ones by chance
        return (f"note: {which} that trained or validated this model{how}; its rows repeat "
                f"themselves too ({distinct} distinct among {trained}), so rows of new data can "
                "be identical to them by chance, and scores over them may be optimistic")
    return (f"note: {which} that trained or validated this model{how}, so scores over "
            f"{'it are' if rows == 1 else 'them are'} optimistic")
