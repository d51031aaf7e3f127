"""Numbers grouped in thousands by the decimal mark a CSV file is read with: 761 beside 2.027
(two thousand and twenty-seven, in a file of a country that groups by points, or 2,027 in a
tab-separated file of one that groups by commas) reads as 761 beside 2.027, a thousandth of
the number, without a word from pandas. Such a column is refused unless the mark is given.
Grouped thousands begin where the numbers below 1,000 leave off: a column whose whole numbers
all stay below NEAR_THOUSAND (ratings of 5 beside means of three, 4.333) is taken as written."""

import re

from ..exceptions import DataError
from .values import examples

SAMPLE_ROWS = 1000  # the rows judged first, and read first for the spelling of their numbers
BLOCK_VALUES = 1 << 22  # the values of the columns judged at once
NEAR_THOUSAND = 100  # a whole number at least this large beside the grouped ones is asked for


def check_grouped_thousands(path, frame, used, read_csv, text=(), columns=None):
    """DataError where a numeric column of `frame` (read from the CSV file at `path` with the
    ReadOptions `used`, its decimal mark not given) holds whole numbers below 1,000 beside
    numbers of exactly three decimals led by a digit other than 0 (401 beside 2.007), one of
    the whole numbers at least NEAR_THOUSAND: as a file writes numbers grouped in thousands by
    its decimal mark, and as decimals are not written (software writes 1.25, not 1.250, or
    401.000 beside 2.007). `read_csv`: the reader
    of `files` (passed in, as `files` calls this), which reads the columns' spelling again;
    `text`: columns read as text, which keep their spelling; `columns`: those to check (None:
    all)."""
    mark = used.decimal or "."
    grouped = rf"[1-9]\d{{0,2}}{re.escape(mark)}\d{{3}}"
    spelling = [_lines(kind) for kind in (_PLAIN, grouped, f"{_PLAIN}|{grouped}")]
    text, columns = set(text), None if columns is None else set(columns)
    names = [(k, name) for k, (name, t) in enumerate(frame.dtypes.items())
             if t.kind == "f" and name not in text and (columns is None or name in columns)]
    judged = _judged(frame, names)
    if not judged:
        return
    # the candidates' spelling: of the first rows, where one spelled otherwise (12.0, 1.25, as
    # most files write such columns) clears its column, then of the whole file, in one more
    # pass however many columns are left
    for rows in (SAMPLE_ROWS, None):
        keys = [name if used.header else k for k, name in judged]
        spellings = _first_spellings(path, used, frame, [k for k, _ in judged], rows)
        if spellings is None:
            spellings = read_csv(path, used, dtype=dict.fromkeys(keys, str), usecols=keys,
                                 nrows=rows)[keys].to_numpy(dtype=object)
        kept = [j for j in range(len(judged)) if _all(spelling[2], spellings[:, j])]
        judged, spellings = [judged[j] for j in kept], spellings[:, kept]
        if not judged or len(frame) <= SAMPLE_ROWS:  # (a file of no more rows is read whole)
            break
    for j, (_, name) in enumerate(judged):  # (columns all of one spelling or the other)
        fields = [v.strip() for v in spellings[:, j] if isinstance(v, str)]
        plain = list(dict.fromkeys(v for v in fields if spelling[0].fullmatch(v)))
        grouped = list(dict.fromkeys(v for v in fields if spelling[1].fullmatch(v)))
        if grouped and any(abs(int(v)) >= NEAR_THOUSAND for v in plain):
            first = grouped[0]
            raise DataError(
                f"{path}: column {name!r} holds numbers written such as "
                f"{examples(grouped, 2)} beside whole numbers below 1,000 such as "
                f"{examples(plain, 2)}: thousands grouped by {mark!r}, which is read as the "
                f"decimal mark: {first} is read as {_read(first, mark)}, not "
                f"{first.replace(mark, '')}; write the numbers without separators of "
                f"thousands, or, if {mark!r} is their decimal mark, pass --decimal {mark}")


_PLAIN = r"\d{1,3}"  # a whole number below 1,000


def _lines(kind):
    """A pattern of lines each a field spelled as `kind` says, spaces around it allowed: a
    column's fields joined by line breaks are matched in one call."""
    one = rf"[^\S\n]*[+-]?(?:{kind})[^\S\n]*"
    return re.compile(rf"{one}(?:\n{one})*")


def _all(spelling, column):
    """Whether every field of `column` (an array of text, None or NaN where missing) is
    spelled as `spelling` matches lines: one match over them all, not one call a field (a
    file of 30,000 columns took seconds)."""
    fields = "\n".join(v for v in column if isinstance(v, str))
    return not fields or spelling.fullmatch(fields) is not None


def _first_spellings(path, used, frame, positions, rows):
    """The fields of the first `rows` (None: all) data rows of the CSV file at `path` in the
    columns at `positions` of `frame`, read from it (None where `frame` holds NaN): an array,
    read by Python's csv module, which reads 30,000 columns of text ten times as fast as
    pandas. None where the file's records may not be its rows one to one (a row name before
    them, a blank line of spaces, rows of other lengths), which pandas then reads."""
    import csv

    import numpy as np
    import pandas as pd

    if rows is None or used.sep == r"\s+" or not isinstance(frame.index, pd.RangeIndex):
        return None
    n, fields = min(rows, len(frame)), []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=used.sep)
            if used.header:
                next(reader, None)
            for record in reader:
                if not record:  # a blank line, which pandas skips
                    continue
                if len(record) != frame.shape[1]:
                    return None
                fields.append([record[k] for k in positions])
                if len(fields) == n:
                    break
    except (csv.Error, UnicodeDecodeError):
        return None
    if len(fields) != n:
        return None
    spellings = np.empty((n, len(positions)), dtype=object)
    spellings[...] = fields
    spellings[np.isnan(frame.iloc[:n, positions].to_numpy(dtype=float))] = None
    return spellings


def _read(spelled, mark):
    return f"{float(spelled.replace(mark, '.')):g}"


def _judged(frame, names):
    """The (position, name) of `names` whose columns of `frame` are `_candidates`: judged first
    by their first SAMPLE_ROWS rows, where most columns fail (1.2345), then the others whole,
    in blocks of at most BLOCK_VALUES values. (The float columns at once took as long as
    reading the file, and as much memory again several times; one by one, a wide file's
    100,000 columns took 20 s.)"""
    if not names:
        return []
    head = frame.iloc[:SAMPLE_ROWS, [k for k, _ in names]].to_numpy(dtype=float)
    left = [pair for pair, keep in zip(names, _candidates(head, whole_file=False)) if keep]
    step = max(1, BLOCK_VALUES // max(1, len(frame)))
    judged = []
    for start in range(0, len(left), step):
        block = left[start:start + step]
        values = frame.iloc[:, [k for k, _ in block]].to_numpy(dtype=float)
        judged += [pair for pair, keep in zip(block, _candidates(values)) if keep]
    return judged


def _candidates(values, whole_file=True):
    """For each column of float `values` (NaN for missing), whether it holds whole numbers
    below 1,000 in magnitude, one at least NEAR_THOUSAND, and others from 1 to 1,000 of at most
    three decimals: those of a column that a file writes grouped in thousands (761 and 2.027). A number
    between 0 and 1 (0.512) is spelled neither way, and spares the file a second reading.
    Without `whole_file` (the values of some rows only), whether those rows leave it open."""
    import numpy as np

    seen = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        small = np.where(seen, (size < 1000) & ((size >= 1) | (size == 0)), True).all(axis=0)
        thousandths = values * 1000
        three = np.where(seen, np.abs(thousandths - np.rint(thousandths)) < 1e-6, True).all(axis=0)
        if not whole_file:
            return small & three
        whole = seen & (values == np.rint(values))
    all_whole = (whole | ~seen).all(axis=0)
    near = (whole & (size >= NEAR_THOUSAND)).any(axis=0)
    return small & three & near & ~all_whole
