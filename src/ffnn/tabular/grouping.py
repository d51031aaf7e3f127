"""Numbers grouped in thousands by the decimal mark a CSV file is read with: 761 beside 2.027
(two thousand and twenty-seven, in a file of a country that groups by points, or 2,027 in a
tab-separated file of one that groups by commas) reads as 761 beside 2.027, a thousandth of
the number, without a word from pandas. Such a column is refused unless the mark is given."""

import re

from ..exceptions import DataError
from .values import examples

_PLAIN = re.compile(r"^[+-]?\d{1,3}$")
SAMPLE_ROWS = 1000  # the rows judged first, and read first for the spelling of their numbers
BLOCK_VALUES = 1 << 22  # the values of the columns judged at once


def check_grouped_thousands(path, frame, used, read_csv, text=(), columns=None):
    """DataError where a numeric column of `frame` (read from the CSV file at `path` with the
    ReadOptions `used`, its decimal mark not given) holds whole numbers below 1,000 beside
    numbers of exactly three decimals led by a digit other than 0 (401 beside 2.007): as a
    file writes numbers grouped in thousands by its decimal mark, and as decimals are not
    written (software writes 1.25, not 1.250, or 401.000 beside 2.007). `read_csv`: the reader
    of `files` (passed in, as `files` calls this), which reads the columns' spelling again;
    `text`: columns read as text, which keep their spelling; `columns`: those to check (None:
    all)."""
    mark = used.decimal or "."
    grouped = re.compile(rf"^[+-]?[1-9]\d{{0,2}}{re.escape(mark)}\d{{3}}$")
    text, columns = set(text), None if columns is None else set(columns)
    names = [(k, name) for k, (name, t) in enumerate(frame.dtypes.items())
             if t.kind == "f" and name not in text and (columns is None or name in columns)]
    keys = {(name if used.header else k): name for k, name in _judged(frame, names)}
    if not keys:
        return
    # the candidates' spelling: of the first rows, where one spelled otherwise (12.0, 1.25, as
    # most files write such columns) clears its column, then of the whole file, in one more
    # pass however many columns are left
    for rows in (SAMPLE_ROWS, None):
        spellings = read_csv(path, used, dtype=dict.fromkeys(keys, str), usecols=list(keys),
                             nrows=rows)[list(keys)]
        plain, dotted, either = _spelled_so(spellings, grouped)
        keys = {key: name for key, name, keep in zip(keys, keys.values(), either) if keep}
        if not keys or len(frame) <= SAMPLE_ROWS:  # (a file of no more rows is read whole)
            break
    for key, name in keys.items():  # (columns all of one spelling or the other)
        column = list(spellings.columns).index(key)
        if plain[:, column].any() and dotted[:, column].any():
            spelled = spellings.iloc[:, column].str.strip()
            grouped_ones = spelled[dotted[:, column]].unique()
            first = grouped_ones[0]
            raise DataError(
                f"{path}: column {name!r} holds numbers written such as "
                f"{examples(grouped_ones, 2)} beside whole numbers below 1,000 such "
                f"as {examples(spelled[plain[:, column]].unique(), 2)}: thousands grouped by "
                f"{mark!r}, which is read as the decimal mark: {first} is read as "
                f"{_read(first, mark)}, not {first.replace(mark, '')}; write the numbers "
                f"without separators of thousands, or, if {mark!r} is their decimal mark, pass "
                f"--decimal {mark}")


def _spelled_so(spellings, grouped):
    """(whether each value of the frame of text `spellings` is a whole number below 1,000,
    whether each is a number `grouped` in thousands: arrays of its shape, False where missing;
    whether each column's values are all one or the other), each pattern matched once over
    all the columns."""
    import pandas as pd

    values = pd.Series(spellings.to_numpy(dtype=object).ravel(order="F"), dtype=object)
    present = values.notna().to_numpy()
    spelled = values.str.strip()
    shape = spellings.shape
    plain, dotted = (spelled.str.match(pattern).fillna(False).to_numpy(dtype=bool)
                     .reshape(shape, order="F") for pattern in (_PLAIN, grouped))
    either = (plain | dotted | ~present.reshape(shape, order="F")).all(axis=0)
    return plain, dotted, either


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
    below 1,000 in magnitude and others from 1 to 1,000 of at most three decimals, some of
    each: those of a column that a file writes grouped in thousands (761 and 2.027). A number
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
    return small & three & whole.any(axis=0) & ~all_whole
