"""Reading a Parquet file into a pandas frame for the command line: its columns as typed, with
one-line errors that name the file."""

import numpy as np

from ..exceptions import DataError
from .values import listed


def read_parquet(path, na_values=(), text=()):
    """The frame in the Parquet file `path`, its named index as columns (see
    `_index_as_columns`), its decimal columns as float64 numbers (as a CSV file's numbers are
    read; pandas gives Python Decimal objects, which would be taken for text); DataError where
    the file is unreadable, or names two columns alike, or holds lists, structs or maps.
    `na_values`: markers of missing values in its text columns; `text`: columns that they never
    make numbers (categories declared so, or a model's)."""
    import pandas as pd

    schema = read_schema(path)
    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise _needs_pyarrow(path) from None
    except Exception as error:
        raise _unreadable(path, error) from None
    if len(frame) == 0:
        raise DataError(f"{path}: has no data rows")
    frame = _index_as_columns(frame)
    frame.columns = [str(c) for c in frame.columns]
    for name in decimal_columns(schema):
        if name in frame.columns:
            frame[name] = pd.to_numeric(frame[name])  # each Decimal rounded as float() does
    for name in binary_columns(schema):
        if name in frame.columns:
            frame[name] = decoded(path, name, frame[name])
    return mark_missing(frame, na_values, text=text) if na_values else frame


def read_schema(path):
    """The schema of the Parquet file `path`, its columns checked (`_check_columns`); DataError
    where the file is unreadable or pyarrow is missing."""
    try:
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
    except ImportError:
        raise _needs_pyarrow(path) from None
    except Exception as error:
        raise _unreadable(path, error) from None
    _check_columns(path, schema)
    return schema


def _needs_pyarrow(path):
    return DataError(f"{path}: reading Parquet needs pyarrow; install it with "
                     "pip install 'ffnn[parquet]'")


def _unreadable(path, error):
    """The DataError of a file that pyarrow could not read: pyarrow raises its own types for
    damaged files, and, out of memory, a MemoryError or C++'s std::bad_alloc, which it passes
    on as an OSError ("Couldn't deserialize thrift: std::bad_alloc")."""
    if isinstance(error, MemoryError) or "bad_alloc" in str(error):
        return DataError(f"{path}: reading this Parquet file needs more memory than is "
                         "available; read fewer rows or columns (e.g. write a smaller file "
                         "with pandas)")
    return DataError(f"{path}: not a readable Parquet file ({type(error).__name__})")


def check_writable(path):
    """DataError now, before any work, where Parquet cannot be written to `path` for want of
    pyarrow (pandas' own error would come once training is done)."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise DataError(f"{path}: writing Parquet needs pyarrow; install it with "
                        "pip install 'ffnn[parquet]', or write a .csv file") from None


# What a nested column's values are, by pyarrow's test of its type
_NESTED = (("is_list", "lists"), ("is_large_list", "lists"), ("is_fixed_size_list", "lists"),
           ("is_struct", "structs"), ("is_map", "maps"), ("is_union", "unions"))


def _check_columns(path, schema):
    """DataError where the file's schema names a column twice (pandas cannot read it: a column
    is found by its name) or holds nested values, which are no number and no category."""
    import pyarrow.types as types

    names = list(schema.names)
    twice = sorted({name for name in names if names.count(name) > 1}, key=names.index)
    if twice:
        raise DataError(f"{path}: names more than one column {listed(twice)}; give each column "
                        "a name of its own")
    nested = {}
    for field in schema:
        kind = next((said for test, said in _NESTED if getattr(types, test)(field.type)), None)
        if kind:
            nested.setdefault(kind, []).append(field.name)
    if nested:
        held = "; ".join(f"{listed(names)} hold {kind}" for kind, names in nested.items())
        raise DataError(f"{path}: column(s) {held} (nested values, which are neither numbers "
                        "nor categories); write the file without them, or with each item as "
                        "a column of its own")


def binary_columns(schema):
    import pyarrow.types as types

    return [str(field.name) for field in schema if types.is_binary(field.type)
            or types.is_large_binary(field.type) or types.is_fixed_size_binary(field.type)]


def decoded(where, name, column):
    """A column of bytes as the text they encode in UTF-8; DataError naming `where` (the file)
    and the first row whose bytes are not UTF-8."""
    def text(value):
        return value if not isinstance(value, bytes) else value.decode("utf-8")

    try:
        return column.map(text)
    except UnicodeDecodeError:
        bad = next(k for k, v in enumerate(column) if isinstance(v, bytes) and not _utf8(v))
        raise DataError(f"{where}: column {name!r} holds bytes that are not UTF-8 text (row "
                        f"{bad + 1}: {column.iloc[bad]!r}); write it as text, or leave it out "
                        "of the file") from None


def _utf8(value):
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decimal_columns(schema):
    import pyarrow.types as types

    return [str(field.name) for field in schema if types.is_decimal(field.type)]


def _index_as_columns(frame):
    """A frame read from Parquet with its named index as columns: pandas stores a frame's index
    as columns of the file and makes them the index again, so that a column every other reader
    sees (an id, a date, a feature) would be no column at all. An unnamed index is pandas' row
    labels (as left by selecting rows), and dropped, as is a RangeIndex, which pandas stores as
    metadata only, no column (its labels, such as 1000, 1001, … or 119, 118, …, would be said
    as row numbers: rows are counted in the file, from 0)."""
    import pandas as pd

    if isinstance(frame.index, pd.RangeIndex):
        return frame.reset_index(drop=True)
    named = [name for name in frame.index.names if name is not None]
    if named:
        frame = frame.reset_index(level=named)
    return frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index(drop=True)


def mark_missing(frame, na_values, floats=None, text=()):
    """Parquet columns of text with markers such as '?' for missing values: the markers become
    missing, and a column of text that then holds only numbers becomes numeric, as read_csv
    would. Columns without a marker are left as typed (text of digits such as the zip code
    02139 stays text), and so are columns of categories, dates and durations. A marker that
    is a number ('-999') makes that number missing in numeric columns too, as read_csv does
    (a model records the markers, and reads a CSV file of the same rows with them). `floats`:
    the columns to make float64 numbers (`turned_to_floats` of the findings of every part of
    a table read in parts, whose columns are typed as one); None: those of this frame. `text`:
    columns of text that stay text (declared categories: '007' is not the number 7)."""
    import pandas as pd

    if floats is None:
        floats = turned_to_floats([marker_findings(frame, na_values)])
    numbers = _numeric_markers(na_values)
    for name in frame.columns[frame.dtypes.map(_text_or_categories)]:
        marked = frame[name].isin(na_values)
        if name in floats and name not in text:
            frame[name] = pd.to_numeric(frame[name].mask(marked), errors="coerce"
                                        ).astype(np.float64)
        elif marked.any():
            frame[name] = frame[name].mask(marked)
    for name in frame.columns[frame.dtypes.map(_numbers)] if numbers else ():
        if name in floats:  # a float32 column stays float32, with missing values
            column = frame[name].mask(frame[name].isin(numbers))
            frame[name] = column if column.dtype.kind == "f" else column.astype(np.float64)
    return frame


def marker_findings(frame, na_values):
    """{column: (whether a marker of missing values is among its values, whether its other
    values are all numbers)} of a frame's columns of text (never numbers: categories) and,
    for markers that are numbers, its numeric columns: what `turned_to_floats` adds up over
    the parts of a table."""
    import pandas as pd

    found = {}
    for name in frame.columns[frame.dtypes.map(_text_or_categories)]:
        marked = frame[name].isin(na_values)
        column = frame[name].mask(marked)
        numbers = not isinstance(column.dtype, pd.CategoricalDtype) and (
            pd.to_numeric(column, errors="coerce").notna().sum() == column.notna().sum())
        found[name] = (bool(marked.any()), bool(numbers))
    numbers = _numeric_markers(na_values)
    for name in frame.columns[frame.dtypes.map(_numbers)] if numbers else ():
        found[name] = (bool(frame[name].isin(numbers).any()), True)
    return found


def turned_to_floats(findings):
    """The columns that `marker_findings` of every part of a table (an iterable) make float64
    numbers: a marker in some part, and every other value of every part a number."""
    marked, other = set(), set()
    for found in findings:
        for name, (has_marker, all_numbers) in found.items():
            marked.update([name] if has_marker else [])
            other.update([] if all_numbers else [name])
    return marked - other


def _numeric_markers(na_values):
    """The markers of missing values that are finite numbers ('-999'), as floats."""
    import pandas as pd

    numbers = pd.to_numeric(pd.Series(list(na_values), dtype=object), errors="coerce")
    return numbers[np.isfinite(numbers)].tolist()


def _numbers(dtype):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _text_or_categories(dtype):
    import pandas as pd

    return (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype))
