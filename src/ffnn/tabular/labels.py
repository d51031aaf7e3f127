"""How the labels of a target column name a model's classes: each label by its value, in the
classes' own terms, or none (`class_codes`)."""

import numpy as np


def class_codes(y, classes):
    """For each label of a target column, the index of the model's class it names, or -1 where
    it names none. Labels are matched one by one, by value and in the classes' own terms: "1",
    1 and 1.0 name the class 1 of integer classes; True, 1 and "true" name True of boolean
    ones; 0.4 names no integer class and "f" no boolean one (converting the whole column, as
    astype would, truncates 0.4 to 0 and makes every non-empty text True); 7 names the text
    class "007", and is refused where "7" is a class too (see `_text_codes`)."""
    import pandas as pd

    y = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y, dtype=object))
    canonical = _CANONICAL.get(classes.dtype.kind, _as_text)
    index = {canonical(c): k for k, c in enumerate(classes.tolist())}
    index.pop(None, None)
    # Each distinct label is matched once; a missing one (None, NaN) names no class. (Python
    # counts 1, 1.0 and True as one value, so in a column mixing their types they match alike.)
    inverse, labels = pd.factorize(y.to_numpy(dtype=object))
    if canonical is _as_text:
        found = _text_codes(labels, index)
    else:
        found = [index.get(canonical(value), -1) for value in labels]
    return np.array(found + [-1], dtype=np.int64)[inverse]  # inverse -1: missing


def _text_codes(labels, index):
    """The codes of `labels` for text classes ({text: code}): text names the class it spells,
    a number (not text) the class that spells its value ("7" or "007" for 7, "10" for 10.0, as
    pandas reads a column of numbers with a missing value). A number that names two classes is
    refused: the training file spelled it in two ways, kept apart as two classes, which the
    labels, read as numbers, no longer tell apart."""
    spelled = {}
    for text, k in index.items():
        key = _number_key(text)
        if key is not None:
            spelled.setdefault(key, []).append(text)
    found = []
    for value in labels:
        key = None if isinstance(value, (str, bool, np.bool_)) else _number_key(value)
        named = spelled.get(key, []) if key is not None else []
        if len(named) > 1:
            raise ValueError(f"the label {value} names the classes "
                             f"{' and '.join(map(repr, sorted(named)))}, which the training file "
                             "spelled apart: read as numbers, their labels are one; read the "
                             "target column as text (pandas: read_csv(..., dtype={column: str}))")
        found.append(index[named[0]] if named else index.get(_as_text(value), -1))
    return found


def _number_key(value):
    """The value of a number or of text that spells one, as an int where it is whole (exactly,
    beyond float64's 53 bits) or a float; None for anything else."""
    whole = _as_integer(value)
    return whole if whole is not None else _as_number(value)


def _as_number(value):
    """A label as a float, or None."""
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN names no class


def _as_integer(value):
    # exactly, where the label is an integer already (a float holds 53 bits: large labels such
    # as identifiers would merge)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    number = _as_number(value)
    return int(number) if number is not None and number.is_integer() else None


def _as_boolean(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    number = _as_number(value)
    return bool(number) if number in (0.0, 1.0) else None


def _as_text(value):
    return value if isinstance(value, str) else None if value is None else str(value)


_CANONICAL = {"i": _as_integer, "u": _as_integer, "b": _as_boolean, "f": _as_number}
