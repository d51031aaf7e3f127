"""Reading the command line's data files (CSV, Parquet) into pandas frames, with one-line errors
that name the file and the row or column at fault."""

import dataclasses
from pathlib import Path

import numpy as np

from ..exceptions import DataError
from .decimals import looks_numeric
from .dialect import ReadOptions, detect
from .encoding import check_text, not_utf8
from .grouping import check_grouped_thousands
from .parquet import read_parquet
from .rows import check_fields, check_rows_in_values, expected_fields, parser_message
from .values import DECIMAL_COMMA_READABLE, HEADER_READ, listed, to_numbers

PARQUET_SUFFIXES = (".parquet", ".pq")


class Table:
    """A table read from a file: the frame, and for a CSV file the dialect it was read with."""

    def __init__(self, frame, path, dialect=None, absent=None, na_values=()):
        # absent: the target column that a file without a header was taken to lack, its
        # columns being one fewer than the names given
        self.frame, self.path, self.dialect, self.absent = frame, path, dialect, absent
        self._na_values = list(na_values)

    @property
    def na_values(self):
        """The markers of missing values given for the file (--na-values, or a model's)."""
        return self.dialect.options.na_values if self.dialect is not None else self._na_values


def read_table(path, options=None, optional=None):
    """A DataFrame from a CSV or Parquet file, or DataError saying what is wrong with the file
    (see `read`)."""
    return read(path, options, optional).frame


def read(path, options=None, optional=None, fallback=None, text=(), used_columns=None):
    """The Table in a CSV or Parquet file, read as `options` (ReadOptions) say, detecting what
    they leave open. A file without a header gets `options.names` as column names, or the names
    without `optional` (a target column that new data may lack) if it has one column fewer, or
    else "0", "1", … as pandas numbers them. `fallback`: see `dialect.detect`. Columns named in
    `text` (a model's categories and class labels) are read from a CSV file as it spells them
    where pandas would read numbers: '02139', not 2139, and '30', not the 30.0 of a column with
    a missing value. `used_columns`: the columns that a model reads (None: all), which alone
    are checked for numbers grouped in thousands (see `grouping`)."""
    path = Path(path)
    options = options or ReadOptions()
    if not path.exists():
        globbed = " (globs of files are read by fit, predict and evaluate with --dask)" if any(
            c in str(path) for c in "*?[") else ""
        stdin = " (standard input is not read: save the data to a file)" if str(path) == "-" \
            else ""
        raise DataError(f"{path}: no such file{globbed}{stdin}")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a data file")
    if not path.is_file():
        # A file is read more than once (checked, sampled, parsed, hashed): a pipe's data would
        # be gone after the first read, and the file reported empty.
        raise DataError(f"{path}: is a pipe or a device, not a data file; save the data to a "
                        "file first")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        frame = read_parquet(path, options.na_values, text)
        frame.attrs[DECIMAL_COMMA_READABLE] = False
        return Table(frame, path, na_values=options.na_values)
    import pandas as pd

    check_text(path)
    dialect = detect(path, options, fallback)
    absent = None
    if dialect.options.header and dialect.options.names is not None:
        names, absent = header_names(path, dialect.header, dialect.options, optional)
        dialect.options = dataclasses.replace(dialect.options, names=names)
    used = dialect.options
    try:
        frame = read_csv(path, used)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; a CSV file needs "
                        f"{'a header row' if used.header else 'data rows'}") from None
    except pd.errors.ParserError as error:
        n_fields = len(dialect.header) if dialect.header is not None else None
        # pandas' line number counts a blank line as a row and a quoted line end as none: the
        # row and line are found again, as the file holds them
        if n_fields or expected_fields(str(error)):
            check_fields(path, used, n_fields or expected_fields(str(error)), longer=True,
                         header=dialect.header)
        raise DataError(f"{path}: {parser_message(str(error), n_fields, used.header)}") from None
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    if len(frame) == 0:
        raise DataError(f"{path}: has a header but no data rows")
    longer = _longer_first_row(path, used.sep) if used.header and used.sep != r"\s+" else None
    if longer and not longer[0][-1].strip() and frame.iloc[:, -1:].isna().all().all():
        raise DataError(f"{path}: the rows end with a separator ({used.sep!r}) that the header "
                        "does not: a field more than the header names, which pandas reads by "
                        "taking each row's first field for its number and every value for the "
                        "next column's; remove the separator at the end of the rows")
    if not any(frame.index.equals(pd.RangeIndex(start, start + len(frame))) for start in (0, 1)):
        # pandas takes the first fields of rows longer than the header as an index, silently;
        # row numbers (0, 1, … or R's 1, 2, …) are what such a first field is for, and harmless
        n_fields = frame.shape[1] + frame.index.nlevels
        raise DataError(f"{path}: the header names {frame.shape[1]} column(s) but the rows have "
                        f"{n_fields} fields (read with separator {used.sep!r}); pass --sep if "
                        "the separator is another, or name every field in the header (row "
                        "names too)")
    if longer and used.sep == "," and not longer[1] and _whole_numbers(frame):
        raise DataError(f"{path}: the rows have one field more than the header, the first "
                        "counting rows and the next a whole number: row numbers without a "
                        f"name, or numbers written with a decimal comma ({longer[0][0]},"
                        f"{longer[0][1]}) in a file separated by commas; name the row numbers in "
                        "the header, or write the file separated by semicolons (one of a "
                        "single column: pass --sep ';' --decimal ,)")
    if frame.shape[1] > 1 and frame.iloc[:, -1].isna().any():
        check_fields(path, used, frame.shape[1], header=dialect.header)
    check_rows_in_values(path, frame, used)
    if not used.header:
        frame.columns, absent = header_less_names(path, frame.shape[1], used.names, optional)
    as_numbers = [name for name in text if name in frame.columns and
                  frame[name].dtype.kind in "iuf"]
    if as_numbers:  # read again, those columns as text (keyed by position without a header)
        keys = {name: column_key(frame, name, used) for name in as_numbers}
        again = read_csv(path, used, {key: str for key in keys.values()})
        for name, key in keys.items():
            frame[name] = again[key].to_numpy()
    frame = _defragmented(_huge_integers_as_numbers(frame, set(text)))
    if dialect.decimal_from != "given":
        check_grouped_thousands(path, frame, used, read_csv, set(text), used_columns)
    frame.attrs[HEADER_READ] = bool(used.header)  # for hints that only such a file deserves
    frame.attrs[DECIMAL_COMMA_READABLE] = used.sep != ","
    return Table(frame, path, dialect, absent)


def _longer_first_row(path, sep):
    """(fields, whether the first is quoted) of the first data row of a CSV file with a header,
    where it has one field more than the header, else None: pandas then takes that field for the
    row's number, as R's write.table writes row names (quoted), and harmless there; but the
    field may as well be the whole part of a number written with a decimal comma (1,5 in a file
    separated by commas), and a separator ending every row makes one too."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            lines = (line for line in handle if line.strip())  # pandas skips blank lines
            header = next(csv.reader(lines, delimiter=sep), None)
            line = next(lines, "")
        fields = next(csv.reader([line], delimiter=sep), [])
    except csv.Error:  # a field over csv's limit: pandas read the file, so let it be
        return None
    if header is None or len(fields) != len(header) + 1:
        return None
    return fields, line.lstrip().startswith('"')


def _whole_numbers(frame):
    """Whether the first column of `frame` holds whole numbers of no sign, as the decimals of a
    number written with a decimal comma, read as two fields, are."""
    first = frame.iloc[:, 0] if frame.shape[1] else None
    return first is not None and first.dtype.kind in "iu" and bool((first >= 0).all())


def _huge_integers_as_numbers(frame, text):
    """The frame with the columns that pandas read as Python ints, for a whole number of 20
    digits or more (beyond 64 bits), as float numbers, as it reads 19 digits as int64: read as
    text, a column of numbers became one of categories, a number each. Beyond a float's range
    a number is ±inf, refused later as infinite. Columns in `text` (a model's text) stay."""
    for name in frame.columns[[d == np.dtype(object) for d in frame.dtypes]]:  # (no frame[name] each)
        column = frame[name]
        first = column.first_valid_index()
        if name in text or first is None or type(column[first]) is not int:
            continue
        present = column.dropna()
        if all(type(v) is int for v in present):
            frame[name] = to_numbers(column).astype(np.float64)  # ±inf beyond 1.8e308
    return frame


def column_key(frame, name, used):
    """What names a column of `frame` in pandas' reading of its CSV file: its name, or in a file
    without a header its position, as pandas numbers the columns (our names are given after)."""
    return name if used.header else frame.columns.get_loc(name)


def read_csv(path, used, dtype=None, **more):
    """pandas' read_csv of a CSV file with the ReadOptions `used` (separator and decimal mark
    resolved); `more`: read_csv's other arguments."""
    import pandas as pd

    if used.header and used.names is not None:
        more = {"names": list(used.names), **more}
    return pd.read_csv(path, sep=used.sep, header=0 if used.header else None,
                       na_values=list(used.na_values) or None, keep_default_na=True,
                       decimal=used.decimal, encoding="utf-8", low_memory=False, dtype=dtype,
                       **more)


def _defragmented(frame, columns=100):
    """The frame with its columns of one dtype in one block. read_csv gives each column a block
    of its own, and every later step (selecting rows, counting missing values) then loops over
    them in Python: 100,000 columns made minutes of a fraction of a second. A copy joins them,
    as pandas advises."""
    return frame.copy() if frame.shape[1] > columns else frame


def header_names(path, header, used, optional):
    """(names, absent) for a file read with a header where a model of files without one names
    its columns (`used.names`): None where the header holds those names (the columns are found
    by name, in any order, and others ignored), else the names given by position
    (`header_less_names`), which pandas puts in place of the header's; DataError where the
    header looks like data (the file has none: --header would pass over a row)."""
    fields = [str(field) for field in header]
    wanted = set(used.names) - {optional}
    if wanted <= set(fields):
        return None, None
    named = sorted(wanted & {field.strip() for field in fields}, key=used.names.index)
    if named:  # by position, a column the header names would be read as another
        missing = [name for name in used.names if name in wanted - set(fields)]
        raise DataError(f"{path}: the header names some of the model's columns "
                        f"({', '.join(map(repr, named[:5]))}) but not {listed(missing)}; name "
                        "every column as the model does (its columns: "
                        f"{', '.join(map(str, used.names))}), or none of them")
    if looks_numeric(header, used.decimal):
        raise DataError(f"{path}: --header was given, but the first line looks like data, not "
                        "column names; leave out --header (a header of numbers: name the "
                        "columns as the model does, or remove the line)")
    return header_less_names(path, len(header), used.names, optional)


def header_less_names(path, n_columns, names, optional):
    """(the names of the n_columns columns of a file without a header, the name of `optional`
    where the file was taken to lack that column): `names`, or without `optional` where the
    file has one column fewer, or "0", "1", … without names; DataError for any other count."""
    if names is None:
        return [str(k) for k in range(n_columns)], None
    if len(names) == n_columns:
        return list(names), None
    if optional in names and len(names) - 1 == n_columns:
        return [name for name in names if name != optional], optional
    raise DataError(f"{path}: has {n_columns} columns but {len(names)} names are given ("
                    f"{', '.join(names[:5])}{', …' if len(names) > 5 else ''}); give one name per "
                    "column with --names, or, if the file has a header, read it with --header "
                    "and without --names")


MAX_AUTO_CLASSES = 20


def few_classes(counts):
    """Whether whole numbers that occur `counts` times (one count per distinct value) look like
    class labels: at most MAX_AUTO_CLASSES values, each seen twice on average. Values seen once
    each (a handful of rows with a count or a year) are measurements: as classes, each would be
    a class of one row, which nothing can learn or score."""
    return len(counts) <= MAX_AUTO_CLASSES and 2 * len(counts) <= sum(counts)


def infer_task(series):
    """'classification' for text, booleans, categories and integers with few distinct values
    (`few_classes`); 'regression' otherwise."""
    import pandas as pd

    values = series.dropna()
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "classification"
    integral = (values == values.round()).all() if len(values) else False
    if integral and few_classes(values.value_counts().to_numpy()):
        return "classification"
    return "regression"
