"""Reading a Parquet file into a pandas frame for the command line: its columns as typed, with
one-line errors that name the file."""

from ..exceptions import DataError


def read_parquet(path, na_values=()):
    """The frame in the Parquet file `path`, its named index as columns (see
    `_index_as_columns`); `na_values`: markers of missing values in its text columns."""
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise DataError(f"{path}: reading Parquet needs pyarrow; install it with "
                        "pip install 'ffnn[parquet]'") from None
    except Exception as error:  # pyarrow raises its own types for damaged files
        # out of memory: a MemoryError, or C++'s std::bad_alloc, which pyarrow passes on as an
        # OSError ("Couldn't deserialize thrift: std::bad_alloc")
        if isinstance(error, MemoryError) or "bad_alloc" in str(error):
            raise DataError(f"{path}: reading this Parquet file needs more memory than is "
                            "available; read fewer rows or columns (e.g. write a smaller file "
                            "with pandas)") from None
        raise DataError(f"{path}: not a readable Parquet file ({type(error).__name__})") from None
    if len(frame) == 0:
        raise DataError(f"{path}: has no data rows")
    frame = _index_as_columns(frame)
    frame.columns = [str(c) for c in frame.columns]
    return _mark_missing(frame, na_values) if na_values else frame


def _index_as_columns(frame):
    """A frame read from Parquet with its named index as columns: pandas stores a frame's index
    as columns of the file and makes them the index again, so that a column every other reader
    sees (an id, a date, a feature) would be no column at all. An unnamed index is pandas' row
    labels (as left by selecting rows), and dropped."""
    import pandas as pd

    if isinstance(frame.index, pd.RangeIndex):
        return frame  # stored as metadata only, not as a column
    named = [name for name in frame.index.names if name is not None]
    if named:
        frame = frame.reset_index(level=named)
    return frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index(drop=True)


def _mark_missing(frame, na_values):
    """Parquet columns of text with markers such as '?' for missing values: the markers become
    missing, and a column that then holds only numbers becomes numeric, as read_csv would."""
    import pandas as pd

    for name in frame.columns[frame.dtypes.map(lambda d: not pd.api.types.is_numeric_dtype(d))]:
        column = frame[name].mask(frame[name].isin(na_values))
        numbers = pd.to_numeric(column, errors="coerce")
        frame[name] = numbers if numbers.notna().sum() == column.notna().sum() else column
    return frame
