"""Labels from a classifier network's outputs, on the client or on a worker, and what is said of
labels that cannot be classes (missing ones, types that do not compare, or not the type of the
classes a model was fitted on)."""

import numpy as np
import pandas as pd
from scipy import sparse as _sparse


def labels_from_outputs(binarizer, P):
    """The labels of network outputs P (N × D_y) for a fitted LabelBinarizer: the likeliest
    class, or each label whose output is above ½."""
    return binarizer.inverse_transform(P.ravel() if P.shape[1] == 1 else P)


def missing_labels(y):
    """The indices (into y, flattened) of its missing labels: None, NaN or pandas' NA (the NA of
    a text column that Dask read as pandas' string type)."""
    return np.flatnonzero(pd.isna(np.asarray(y).ravel()))


def indices_text(indices, count):
    """'2, 6, 10', or '2, 6, 10, 14, 18 and 3 more' for the first five of `count` indices."""
    return ", ".join(map(str, indices[:5])) + (f" and {count - 5} more" if count > 5 else "")


def missing_labels_message(indices, count, name="y"):
    """Why labels some of which are missing are refused (indices: the first few, of count)."""
    return (f"Input {name} contains NaN: a missing label (None, NaN or pandas' NA) at index "
            f"{indices_text(indices, count)}; drop those samples or give them a label")


def incomparable_labels_message(kinds, name="y"):
    """Why labels of types that do not compare (named in `kinds`) are refused."""
    return (f"{name} mixes labels of types that cannot be compared ({', '.join(sorted(kinds))}); "
            "give every label the same type")


def is_text(label):
    """Whether scikit-learn takes a label for a string (numbers, booleans and bytes are not)."""
    return isinstance(label, str)


def mixed_types_message(y_text, classes, name="y"):
    """scikit-learn's refusal of a score whose true labels are strings where the classes are
    numbers, or numbers where they are strings (`y_text`: whether y's are strings)."""
    kinds = ("strings", "numbers") if y_text else ("numbers", "strings")
    return (f"Mix of label input types (string and number); {name} has labels that are "
            f"{kinds[0]}, the model's classes {classes} are {kinds[1]}; give {name} labels of "
            "the classes' type")


class MissingValuesError(ValueError, TypeError):
    """Missing values (pandas' NA) where scikit-learn lets NumPy's TypeError through: a
    ValueError, as missing values are refused elsewhere, and a TypeError, as before."""


def refuse_missing(X, y=None, labels=False, names=("X", "y")):
    """Where NumPy raised a TypeError on X or y (pandas' NA is neither a number nor
    comparable: "boolean value of NA is ambiguous"), the MissingValuesError naming them,
    if either holds some; returns otherwise. `labels`: y holds a classifier's labels; `names`:
    what the error calls X and y."""
    for name, values in zip(names, (X, y)):
        if values is None or _sparse.issparse(values):
            continue
        try:
            array = np.asarray(values, dtype=object)
            rows = pd.isna(array).reshape(len(array), -1).any(axis=1)
        except (TypeError, ValueError):  # not an array of rows
            continue
        missing = np.flatnonzero(rows)
        if missing.size and values is y and labels:
            raise MissingValuesError(missing_labels_message(missing, missing.size, name))
        if missing.size:
            raise MissingValuesError(
                f"Input {name} contains NaN: a missing value (None, NaN or pandas' NA) in the "
                f"row(s) at index {indices_text(missing, missing.size)}; drop those samples or "
                "fill in their values")
