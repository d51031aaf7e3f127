"""A table's target column, read for a model: present, complete, and numeric (regression) or
labels of the same type as the model's classes (classification); class labels that pandas'
numbers would merge kept as the file spells them, and labels that differ only by spaces
pointed out."""

import numpy as np

from ..exceptions import DataError
from ..tabular.markers import given_markers
from ..tabular.spelling import missing_words, spelled_column
from ..tabular.unseen import listed_counts
from ..tabular.values import (
    check_counts_not_mostly_numeric,
    check_not_mostly_numeric,
    examples,
    row_list,
    to_numbers,
)
from .features import read_as_missing
from .options import did_you_mean, listed_columns

TYPO_FIX = "fix or drop those rows; if the column holds class labels, pass --task classification"
FORMATTED_FIX = "or, if the column holds class labels, pass --task classification"


def target_column(frame, target, path, features=(), table=None):
    """The column `target` of the table read from `path`, with no missing values. `features`:
    the columns a model reads as its features, which are never its target, so never suggested
    for a target the table lacks. `table`: the Table of `frame`, whose file says which missing
    labels are words that pandas reads as missing ('NA', 'None'), which may name a class."""
    check_target_present(frame.columns, target, path, features)
    y = frame[target]
    if y.isna().all():
        given = _given(table, target)
        raise DataError(f"{path}: the target column {target!r} has no values (all {len(y)} are "
                        f"missing{'; of them, ' + given if given else ''})")
    if y.isna().any():
        rows = np.flatnonzero(y.isna().to_numpy())
        given = _given(table, target)
        raise DataError(f"{path}: the target column {target!r} is missing in {len(rows)} row(s) "
                        f"(first: row {rows[0] + 1}); drop those rows{_empty(frame, rows)}"
                        f"{_words(table, target)}{f' (of them, {given})' if given else ''}")
    return y


def check_target_present(columns, target, path, features=()):
    """DataError where `columns` (a table's, in memory or on a cluster) lack `target`, with the
    closest other names (never the model's `features`, which are no target) and the columns."""
    if target not in columns:
        others = [name for name in columns if name not in set(features)]
        raise DataError(f"{path}: the target column {target!r} is not in the data"
                        f"{did_you_mean(target, others)}; columns are "
                        f"{listed_columns(columns)}")


def _empty(frame, rows):
    """Of the rows missing their target, those missing every value, for the message: rows of
    bare separators, which a spreadsheet may end its export with, are no observations."""
    empty = int(frame.iloc[rows].isna().all(axis=1).sum())
    if not empty:
        return ""
    return (f" ({empty} of them hold no value in any column, such as the rows of bare "
            "separators a spreadsheet may end its export with)")


def _words(table, target):
    """Of a target's missing labels, the words that pandas reads as missing, for the message."""
    return missing_label_words({} if table is None else
                               missing_words(table, [target]).get(target, {}))


def _given(table, target):
    """Of a target's missing labels, the markers given to --na-values, for the message."""
    return given_marker_words({} if table is None else given_markers(table, target))


def given_marker_words(markers):
    """What the refusal of missing targets says of the {marker: rows} given to --na-values
    among them; "" for none."""
    if not markers:
        return ""
    one = len(markers) == 1
    return (f"markers given to --na-values: {listed_counts(markers, 5)}; if "
            f"{'it is a value' if one else 'they are values'} of the target, leave "
            f"{'it' if one else 'them'} out of --na-values")


def missing_label_words(words, among_refused=True):
    """What the refusal of missing labels adds of the {word: rows} among them that pandas reads
    as missing (see `features.missing_words_hint`); "" for none."""
    return read_as_missing(listed_counts(words, 5), among_refused, "classes") if words else ""


def numeric_target(y, target, path):
    """A target column as finite float64 numbers, or DataError naming the first row that is not
    a number, or the rows that are infinite (and the file, where `path` is given)."""
    values = to_numbers(y)
    if values.isna().any():
        rows = np.flatnonzero(values.isna().to_numpy())
        row = int(rows[0])
        more = (f", and {len(rows) - 1} more row{'s' if len(rows) > 2 else ''} holding "
                f"{examples(y.iloc[rows].astype(str).unique())}" if len(rows) > 1 else "")
        raise DataError(f"{f'{path}: ' if path else ''}the target column {target!r} is not "
                        f"numeric (row {row + 1}: {y.iloc[row]!r}{more}); fix or drop those rows")
    values = values.to_numpy(dtype=np.float64)
    infinite = np.flatnonzero(~np.isfinite(values))  # 'inf', or beyond float64 such as 1e400
    if len(infinite):
        raise DataError(f"{f'{path}: ' if path else ''}the target column {target!r} has "
                        f"infinite values in row(s) {row_list(infinite)}; fix or drop those rows")
    return values


def target_values(y, task, target, path):
    """A target column as training takes it: float64 numbers for regression, labels (text as
    str) for classification."""
    if task == "regression":
        return numeric_target(y, target, path)
    values = y.to_numpy()
    if values.dtype.kind == "f" and not np.all(values == np.round(values)):
        row = int(np.flatnonzero(values != np.round(values))[0])
        refuse_fractional_labels(values[row], target, path, f"row {row + 1}: ")
    return values.astype(str) if values.dtype == object else values


def refuse_fractional_labels(value, target, path, where=""):
    """DataError: a classification target holds `value`, a number that is not whole (`where`:
    its row, where known)."""
    value = value.item() if isinstance(value, np.generic) else value  # 32.1, not np.float64(32.1)
    raise DataError(f"{path}: the target column {target!r} holds numbers that are not whole "
                    f"({where}{value!r}), which are no class labels; for a quantity use --task "
                    "regression")


def check_text_target(y, target, path, counts=None, commas=True):
    """Refuse a text target whose values are numbers but for a few (a typo, or a marker such as
    '?'): its task would be taken for classification, with a class for every number. `y` is
    the column (a pandas or dask Series); `counts`, where given, its {value: count} (a dict);
    `commas`: see Preprocessor.from_statistics."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(y.dtype):  # booleans too
        return
    try:
        if counts is None:
            check_not_mostly_numeric(y.astype(object), target, TYPO_FIX, "the target column",
                                     FORMATTED_FIX)
        else:
            check_counts_not_mostly_numeric(counts, target, TYPO_FIX, "the target column",
                                            FORMATTED_FIX, commas)
    except DataError as error:
        raise DataError(f"{path}: {error}") from None


def class_labels(table, target, values):
    """(labels, note) of a classification target read as `values` (`target_values`): the
    values, unless pandas read as one number labels that the CSV file spells apart ('007' and
    '7', '1' and '1.0'): then the labels as the file spells them, as text, so that no two
    classes merge (predict and evaluate read a model's text labels as spelled too), and a
    note that says so. Numbers spelled one way each stay numbers, as they always were."""
    if table.dialect is None or values.dtype.kind not in "iuf":  # Parquet: typed by its writer
        return values, None
    spelled = spelled_column(table, target)
    merged = merged_spellings(values, spelled)
    if not merged:
        return values, None
    labels = spelled.astype(str)
    shown = "; ".join(" and ".join(map(repr, group)) for group in merged[:3])
    more = f" and {len(merged) - 3} more" if len(merged) > 3 else ""
    return labels, (f"note: the target column {target!r} spells one number in more than one way "
                    f"({shown}{more}): its labels are kept as the file spells them, as text, "
                    f"{len(np.unique(labels))} classes where numbers would make "
                    f"{len(np.unique(values))}; if some name one class, write them alike in the "
                    "file")


def merged_spellings(numbers, spelled):
    """The spellings (sorted lists) of each number that a file spells in more than one way,
    given the values read (`numbers`) and the fields as spelled; spaces around a field make
    no other spelling (they change no number)."""
    import pandas as pd

    pairs = pd.DataFrame({"number": np.asarray(numbers),
                          "text": pd.Series(spelled, dtype=object).str.strip()})
    pairs = pairs.drop_duplicates()
    merged = pairs[pairs["number"].duplicated(keep=False)]
    return [sorted(group["text"]) for _, group in merged.groupby("number", sort=True)]


def label_key(label):
    """What text labels that most likely mean one class share: their text without spaces
    around it, in one case."""
    return label.strip().casefold()


def spaced_labels(labels):
    """The groups (sorted lists) of distinct text labels that differ only by spaces around
    them or by case ('setosa', 'setosa ' and 'Setosa'): classes apart, where the file most
    likely means one."""
    groups = {}
    for label in set(labels):
        if isinstance(label, str):  # numpy's str_ too, said as the str it is
            groups.setdefault(label_key(label), []).append(str(label))
    return [sorted(group) for _, group in sorted(groups.items()) if len(group) > 1]


def guessed_classes_note(asked, numeric, n_classes, target):
    """Where the task was guessed (`asked` "auto") as classification from a target of whole
    numbers, the note that says so, or None: counts and ratings may be amounts, whose distance
    means something that classes ignore."""
    if asked != "auto" or not numeric:
        return None
    return (f"note: the target column {target!r} holds {n_classes} distinct whole numbers, "
            "taken as classes (classification); if they are amounts, pass --task regression")


def spaced_warning(labels, target):
    """The warning about labels that differ only by spaces around them or by case, or None."""
    groups = spaced_labels(labels)
    if not groups:
        return None
    shown = "; ".join(" and ".join(map(repr, group)) for group in groups[:3])
    more = f" and {len(groups) - 3} more" if len(groups) > 3 else ""
    cased = any(len({label.strip() for label in group}) > 1 for group in groups)
    spaced = any(len({label.casefold() for label in group}) > 1 for group in groups)
    how = " or ".join(["spaces around them"] * spaced + ["case"] * cased)
    fix = " or ".join(["strip the spaces"] * spaced + ["spell them alike"] * cased)
    return (f"warning: the target column {target!r} holds labels that differ only by {how}, "
            f"each a class of its own: {shown}{more}; if they name one class, {fix} in the "
            "file")
