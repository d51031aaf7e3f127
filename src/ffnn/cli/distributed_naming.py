"""The columns a `--dask` command names in the files of a glob (--target, --drop, --keep, a
model's columns), found as in memory and, where they are not there, said as in memory
(`tables.column`, `tables.read_for`) with the hint to the likely fix."""

from ..exceptions import DataError
from .options import named_column


def check_model_columns(frame, pattern, model, dialect):
    """DataError, said as in memory (`tables.read_for`) with its hint to the likely fix, where
    the files lack columns that `model` reads: before any pass over them (a partition found
    them missing, and was named as though the others held them)."""
    from ..tabular.values import listed
    from .tables import missing_hint

    missing = [name for name in model.preprocessor.columns if name not in set(frame.columns)]
    if missing:
        raise DataError(f"{pattern}: column(s) {listed(missing)} that the model was trained on "
                        f"are missing from the data; "
                        f"{missing_hint(missing, _as_table(pattern, frame, dialect), model)}")


def column(ref, frame, pattern, what="--target", dialect=None):
    """The name of the column of `frame` that `ref` names, or DataError said as in memory
    (`tables.column`), with the hint that the files seem read in the wrong layout where
    their `dialect` (see `layout`) shows it."""
    from .tables import column_hint

    try:
        name = named_column(ref, list(frame.columns))
    except ValueError as error:
        raise DataError(f"{pattern}: {what} {error}") from None
    if name is not None:
        return name
    raise DataError(f"{pattern}: {what} names no column {ref!r}; "
                    f"{column_hint(ref, _as_table(pattern, frame, dialect))}")


def _as_table(pattern, frame, dialect):
    """What the in-memory hints read of a Table (its path, its frame's columns, its dialect),
    for the files of a glob: their first rows are all a hint needs."""
    from types import SimpleNamespace

    return SimpleNamespace(path=pattern, frame=SimpleNamespace(columns=list(frame.columns)),
                           dialect=dialect)
