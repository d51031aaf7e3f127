"""The columns a `--dask` command names in the files of a glob (--target, --drop, --keep, a
model's columns), found as in memory and, where they are not there, said as in memory
(`tables.column`, `tables.read_for`) with the hint to the likely fix."""

from ..exceptions import DataError
from .options import named_column


def check_model_columns(frame, pattern, model, dialect):
    """DataError, said as in memory (`tables.read_for`) with its hint to the likely fix, where
    the files lack columns that `model` reads: before any pass over them (a partition found
    them missing, and was named as though the others held them)."""
    from types import SimpleNamespace

    from ..tabular.values import listed
    from .tables import missing_hint

    missing = [name for name in model.preprocessor.columns if name not in set(frame.columns)]
    if missing:
        table = SimpleNamespace(path=pattern, frame=SimpleNamespace(columns=list(frame.columns)),
                                dialect=dialect)
        raise DataError(f"{pattern}: column(s) {listed(missing)} that the model was trained on "
                        f"are missing from the data; {missing_hint(missing, table, model)}")


def column(ref, frame, pattern, what="--target", dialect=None):
    """The name of the column of `frame` that `ref` names, or DataError said as in memory
    (`tables.column`), with the hint that the files seem read in the wrong layout where
    their `dialect` (see `layout`) shows it."""
    from types import SimpleNamespace

    from .tables import column_hint

    columns = list(frame.columns)
    try:
        name = named_column(ref, columns)
    except ValueError as error:
        raise DataError(f"{pattern}: {what} {error}") from None
    if name is not None:
        return name
    table = SimpleNamespace(path=pattern, frame=SimpleNamespace(columns=columns),
                            dialect=dialect)
    raise DataError(f"{pattern}: {what} names no column {ref!r}; {column_hint(ref, table)}")
