"""How `ffnn fit` splits a table's rows: the test rows first (never trained on, never used to
choose the epoch kept), then validation rows from the rest. Both are stratified by class where
every class can be, and no class is ever left without training rows: a class too small to
hold out stays in training, with a note saying so, whatever the seed."""

from dataclasses import dataclass, field

import numpy as np

from ..exceptions import DataError
from ..tabular.values import counted


@dataclass
class Split:
    """Row positions of the three parts, and notes for the user about classes kept whole."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    notes: list = field(default_factory=list)

    def role_of_rows(self, n):
        """An array of n strings: "training", "validation" or "test" for each row."""
        roles = np.full(n, "training", dtype=object)
        roles[self.validation] = "validation"
        roles[self.test] = "test"
        return roles


def split_rows(n, labels, validation_fraction, test_fraction=0.0, seed=0, path="data"):
    """The Split of n rows (class labels for classification, else None)."""
    notes = []
    rows = np.arange(n)
    rest, test = _hold_out(rows, labels, test_fraction, seed, "test rows", "--test-size",
                           path, notes)
    train, validation = _hold_out(rest, labels, validation_fraction, seed, "validation rows",
                                  "--validation-fraction", path, notes)
    return Split(train, validation, test, notes)


def _hold_out(rows, labels, fraction, seed, what, option, path, notes):
    """(kept, held out) of `rows`, holding out about `fraction` of them."""
    empty = np.arange(0)
    if fraction == 0:
        return rows, empty
    from sklearn.model_selection import train_test_split

    n_held = int(np.ceil(fraction * len(rows)))
    if n_held < 1 or len(rows) - n_held < 1:
        too_few = "is too few" if len(rows) == 1 else "are too few"
        raise DataError(f"{path}: {counted(len(rows), 'row')} {too_few} to hold out "
                        f"{100 * fraction:.15g}% as {what}; lower {option} or set it to 0")
    pool, kept, stratify = rows, empty, None
    if labels is not None:
        values, counts = np.unique(labels[rows], return_counts=True)
        single = values[counts == 1]
        if len(single):
            alone = np.isin(labels[rows], single)
            pool, kept = rows[~alone], rows[alone]
            notes.append(f"{_classes(single)} a single row: kept in training, so the {what} "
                         f"cannot score {'it' if len(single) == 1 else 'them'}")
        pool_values, pool_counts = np.unique(labels[pool], return_counts=True)
        left = len(pool) - int(np.ceil(fraction * len(pool)))
        if 0 < left < len(pool_counts):  # no class can be kept whole in so few rows
            raise DataError(f"{path}: holding out {100 * fraction:.15g}% of "
                            f"{counted(len(rows), 'row')} as {what} leaves {left} to train on, "
                            f"fewer than the {len(pool_counts)} classes; lower {option}")
        if len(pool_counts) and pool_counts.min() >= 2 and \
                np.ceil(fraction * len(pool)) >= len(pool_counts):
            stratify = labels[pool]
    if len(pool) < 2:
        return rows, empty
    train, held = train_test_split(pool, test_size=fraction, random_state=seed,
                                   stratify=stratify)
    train = np.concatenate([train, kept])
    if labels is not None:
        orphans = np.setdiff1d(labels[held], labels[train])
        if len(orphans):  # large fractions can hold out all of a small class
            moved = np.isin(labels[held], orphans)
            train, held = np.concatenate([train, held[moved]]), held[~moved]
            notes.append(f"{_classes(orphans)} too few rows to hold out: kept in training")
    return train, held


def _classes(values):
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in values[:5])
    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    return f"class {shown} has" if len(values) == 1 else f"classes {shown}{more} have"
