"""Numbers grouped in thousands by the decimal mark a CSV file is read with: 761 beside 2.027
(two thousand and twenty-seven, in a file of a country that groups by points, or 2,027 in a
tab-separated file of one that groups by commas) reads as 761 beside 2.027, a thousandth of
the number, without a word from pandas. Such a column is refused unless the mark is given."""

import re

from ..exceptions import DataError
from .values import examples

_PLAIN = re.compile(r"^[+-]?\d{1,3}$")
SAMPLE_ROWS = 1000  # the rows read first for the spelling of a column's numbers


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
    # one array of the float columns, each judged at once: a wide file's 100,000 columns one
    # by one took 20 s
    values = frame.iloc[:, [k for k, _ in names]].to_numpy(dtype=float) if names else None
    keys = {(name if used.header else k): name
            for (k, name), keep in zip(names, _candidates(values) if names else ()) if keep}
    if not keys:
        return
    # the candidates' spelling: of the first rows, where one spelled otherwise (12.0, 1.25, as
    # most files write such columns) clears its column, then of the whole file, in one more
    # pass however many columns are left
    for rows in (SAMPLE_ROWS, None):
        spellings = read_csv(path, used, dtype=dict.fromkeys(keys, str), usecols=list(keys),
                             nrows=rows)
        keys = {key: name for key, name in keys.items()
                if _spelled_so(spellings[key], grouped)[3].all()}
        if not keys or len(frame) <= SAMPLE_ROWS:  # (a file of no more rows is read whole)
            break
    for key, name in keys.items():
        spelled, plain, dotted, _ = _spelled_so(spellings[key], grouped)
        if plain.any() and dotted.any():
            first = spelled[dotted].iloc[0]
            raise DataError(
                f"{path}: column {name!r} holds numbers written such as "
                f"{examples(spelled[dotted].unique(), 2)} beside whole numbers below 1,000 such "
                f"as {examples(spelled[plain].unique(), 2)}: thousands grouped by {mark!r}, "
                f"which is read as the decimal mark: {first} is read as {_read(first, mark)}, "
                f"not {first.replace(mark, '')}; write the numbers without separators of "
                f"thousands, or, if {mark!r} is their decimal mark, pass --decimal {mark}")


def _spelled_so(column, grouped):
    """(the spellings of a column's values, whether each is a whole number below 1,000, whether
    each is a number `grouped` in thousands, whether each is either)."""
    spelled = column.dropna().str.strip()
    plain, dotted = spelled.str.match(_PLAIN), spelled.str.match(grouped)
    return spelled, plain, dotted, plain | dotted


def _read(spelled, mark):
    return f"{float(spelled.replace(mark, '.')):g}"


def _candidates(values):
    """For each column of float `values` (NaN for missing), whether it holds whole numbers
    below 1,000 in magnitude and others from 1 to 1,000 of at most three decimals, some of
    each: those of a column that a file writes grouped in thousands (761 and 2.027). A number
    between 0 and 1 (0.512) is spelled neither way, and spares the file a second reading."""
    import numpy as np

    seen = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        small = np.where(seen, (size < 1000) & ((size >= 1) | (size == 0)), True).all(axis=0)
        whole = seen & (values == np.round(values))
        thousandths = values * 1000
        three = np.where(seen, np.abs(thousandths - np.round(thousandths)) < 1e-6, True).all(axis=0)
    all_whole = (whole | ~seen).all(axis=0)
    return small & three & whole.any(axis=0) & ~all_whole
