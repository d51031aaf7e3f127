"""Reading the command line's data files (CSV, Parquet) into pandas frames, with one-line errors
that name the file and the row or column at fault."""

import csv
import re
from pathlib import Path

from ..exceptions import DataError

PARQUET_SUFFIXES = (".parquet", ".pq")


def read_table(path):
    """A DataFrame from a CSV or Parquet file, or DataError saying what is wrong with the file."""
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a data file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _read_parquet(path)
    _check_text(path)
    header = _read_header(path)
    try:
        frame = pd.read_csv(path, encoding="utf-8", low_memory=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; a CSV file needs a header row") from None
    except pd.errors.ParserError as error:
        raise DataError(f"{path}: {_parser_message(str(error), len(header))}") from None
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    if len(frame) == 0:
        raise DataError(f"{path}: has a header but no data rows")
    return frame


def _read_parquet(path):
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise DataError(f"{path}: reading Parquet needs pyarrow; install it with "
                        "pip install 'ffnn[parquet]'") from None
    except Exception as error:  # pyarrow raises its own types for damaged files
        raise DataError(f"{path}: not a readable Parquet file ({type(error).__name__})") from None
    if len(frame) == 0:
        raise DataError(f"{path}: has no data rows")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _check_text(path, chunk=2**20):
    """Refuse binary files early; the size on disk is not trusted (a sparse file may claim a
    gigabyte it does not hold), so the check reads until it finds a NUL byte or the end."""
    offset = 0
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                return
            position = block.find(b"\x00")
            if position >= 0:
                raise DataError(f"{path}: holds binary data (a NUL byte at offset "
                                f"{offset + position}); not a CSV text file")
            offset += len(block)


def _read_header(path):
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    if header is None:
        raise DataError(f"{path}: the file is empty; a CSV file needs a header row")
    seen, repeated = set(), []
    for name in header:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    if repeated:
        raise DataError(f"{path}: column name(s) {', '.join(map(repr, repeated))} appear more "
                        "than once in the header; rename them")
    return header


def _not_utf8(path, chunk=2**20):
    """Find the first byte that is not UTF-8 and say which line holds it."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                position = offset + error.start
                line += block[:error.start].count(b"\n")
                return DataError(f"{path}: line {line} is not UTF-8 text (byte "
                                 f"0x{block[error.start]:02x} at offset {position}); save the "
                                 "file as UTF-8")
            line += block.count(b"\n")
            offset += len(block)
    return DataError(f"{path}: is not UTF-8 text; save it as UTF-8")


def _parser_message(message, n_header):
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if found:
        expected, line, saw = map(int, found.groups())
        # pandas counts lines from 1 with the header as line 1; data row = line − 1.
        return (f"row {line - 1} (line {line}) has {saw} fields but the header has "
                f"{n_header}; fix the row or quote values that contain commas")
    return f"cannot be parsed as CSV ({message.strip().splitlines()[-1]})"


def infer_task(series):
    """'classification' for text, booleans, categories and integers with few distinct values;
    'regression' otherwise."""
    import pandas as pd

    values = series.dropna()
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "classification"
    integral = (values == values.round()).all() if len(values) else False
    if integral and values.nunique() <= 20:
        return "classification"
    return "regression"
