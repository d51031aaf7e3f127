"""What a table's columns hold, for preprocessing: which are numeric, and the checks that find
typos (text among numbers) and columns without values, whose messages name rows as a user
counts them in the file. pandas is imported lazily."""

import re
import shlex

import numpy as np

from ..exceptions import DataError
from .decimals import writes_numbers_with


def _pandas():
    import pandas as pd
    return pd


def to_numbers(values):
    """pd.to_numeric(values, errors="coerce") of a Series: NaN where a value is not a number.
    A whole number beyond a float's range (400 digits in a CSV file) is ±inf, as 1e400 is, where
    pandas raises OverflowError converting the integer it read."""
    pd = _pandas()
    try:
        return pd.to_numeric(values, errors="coerce")
    except OverflowError:
        return pd.Series([_number(value) for value in values], index=values.index,
                         dtype=np.float64)


def _number(value):
    try:
        return float(_pandas().to_numeric(value))
    except OverflowError:
        return float(str(value).strip())  # float() takes any length: '9' * 400 is inf
    except (ValueError, TypeError):
        return np.nan


def categories_index(categories):
    """A pandas Index of a column's categories, which finds each value's position at once."""
    return _pandas().Index(categories)


def row_list(index, limit=5):
    # Rows as a user counts them in the file: 1 is the first data row, after the header.
    # `index` holds 0-based positions in the file (a frame's labels, as read_csv numbers them).
    rows = [str(int(i) + 1) for i in index[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(rows) + more


def is_numeric_column(series):
    pd = _pandas()
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def numeric_mask(frame):
    """Which of a frame's columns are numeric (booleans are categories), one test per dtype."""
    pd = _pandas()
    kinds = {d: pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d)
             for d in set(frame.dtypes)}
    return np.array([kinds[d] for d in frame.dtypes], dtype=bool)


def as_categories(series):
    """A column to one-hot encode whatever it holds (a pandas or Dask Series): numbers as text,
    whole numbers spelled alike whether the column holds floats or integers (2139, not the
    2139.0 of a column of integers with a missing value, which pandas reads as floats), others
    as Python spells them (1.5); missing values left missing; text as it is."""
    pd = _pandas()
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
            series.dtype):
        return series
    text = series.astype(str)
    if series.dtype.kind == "f":
        # below 2**63 every whole float is exactly an int64 (from 2**53 on, every float is
        # whole: a column of 64-bit codes read as floats spells those it holds exactly as a
        # column of integers does, not as 1.152921504606847e+18)
        whole = (series % 1 == 0) & (series.abs() < 2.0 ** 63)
        text = text.mask(whole, series.where(whole, 0).astype(np.int64).astype(str))
    return text.mask(series.isna())


def counted(n, noun, grouped=False):
    """n with its noun, singular for one: '1 row', '2 rows' ('1,500 rows' where `grouped`)."""
    number = f"{n:,}" if grouped else str(n)
    return f"{number} {noun}{'' if n == 1 else 's'}"


def listed(names, limit=5):
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


MOSTLY_NUMERIC_FIX = ("fix those values, read such markers as missing with --na-values, "
                       "declare the column's values categories with --categorical (codes such "
                       "as zip codes), or drop the column")
FORMATTED_FIX = ("or, if they are codes (such as (1), (2)), declare the column's values "
                 "categories with --categorical, or drop the column")

# A frame's attrs key (its columns and rows inherit pandas' attrs): False where the file it was
# read from cannot be read with --decimal , (comma-separated, or Parquet), which no hint gives
DECIMAL_COMMA_READABLE = "ffnn_decimal_comma_readable"
# The attribute of a DataFrame read from a CSV file that says whether it was read past a header
HEADER_READ = "ffnn_header_read"

# 1,500: a number grouped in thousands by commas, or one of three decimals after a comma
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")

# A number as people format it, which pandas reads as text: thousands grouped by one of , . '
# or a space (1,500 or 1.250,75), a decimal comma (2,5) where the file's decimal mark is a
# point, a percent sign, a currency symbol, a typographic minus sign (−2 or –2, not the -2 of
# a hyphen), an accountant's negative number in parentheses ((120.50)), a power of ten after a
# decimal comma (2,671E-05, as spreadsheets write small numbers), a minus sign after the
# number (53.57-, as accounting exports write negatives). (No part can match a
# run of digits in two ways, so a long field that fails takes time in proportion to its
# length, not to its square.)
_FORMATTED_NUMBER = re.compile(
    r"^(?P<open>\()?[+\-\u2212\u2013]?[$€£¥]?\s?[+\-\u2212\u2013]?"
    r"(\d{1,3}(?P<group>[,.'\s])\d{3}((?P=group)\d{3})*([.,]\d+)?|\d+(,\d+|\.\d*)?|\.\d+)"
    r"([eE][+\-]?\d+)?\s?[%$€£¥]?[\-\u2212]?(?(open)\))$")


def examples(values, limit=3, width=40):
    """The first `limit` of `values` as a message shows them: each cut to about `width`
    characters, so that a field of thousands of characters does not make a message of them."""
    shown = []
    for v in list(values)[:limit]:
        text = repr(v)
        shown.append(text if len(text) <= width else f"{text[:width - 1]}…")
    return ", ".join(shown)


def check_not_mostly_numeric(series, name, fix=MOSTLY_NUMERIC_FIX, what="column",
                             formatted_fix=FORMATTED_FIX):
    """A text column whose values are numbers except for a few is almost surely a typo in a
    numeric column, and one whose values that are not numbers are all numbers as people format
    them (1,500 or 15%) is a numeric column too; one-hot encoding either would silently make
    every number a category (and a target of them a class). `fix`, `formatted_fix` and `what`
    (the column's role) are for the messages."""
    present = series.dropna()
    if present.empty:
        return
    as_numbers = to_numbers(present)
    bad = as_numbers.isna()
    if bad.any():
        check_not_formatted_numbers(present[bad].unique(), name, what, formatted_fix,
                                    series.attrs.get(DECIMAL_COMMA_READABLE, True))
        bad &= ~_formatted(present)  # '?' among numbers written 2,7 is as much a typo
    if bad.mean() > 0.2:
        rows = f"{bad.sum()} row(s) ({row_list(present.index[bad.to_numpy()])})"
        check_not_marked_numbers(present[bad].astype(str).unique(), as_numbers[~bad].nunique(),
                                 rows, name, fix, what)
    if 0 < bad.sum() and bad.mean() <= 0.2:
        rows = present.index[bad.to_numpy()]
        if series.attrs.get(HEADER_READ) is False and list(rows) == [series.index[0]]:
            # text in the first line alone of a file read without a header: its header
            fix = ("its first line looks like a header: if so, leave out --no-header and "
                   "--names; else " + fix)
        raise DataError(f"{what} {name!r} holds numbers except in row(s) {row_list(rows)} "
                        f"({examples(present[bad].unique())}); {fix}")


# A column of numbers of at least MARKED_NUMBERS values, beside at most MARKERS words in
# more rows than a typo takes, holds markers of missing values: '-' or '?' in a third of them
MARKERS, MARKED_NUMBERS = 3, 10


def check_not_marked_numbers(markers, n_numbers, rows, name, fix, what="column"):
    """DataError where the distinct values of a column that are not numbers (`markers`, in
    `rows`: words that say which) are a few beside `n_numbers` distinct numbers: markers of
    missing values, which read as text make each number a category of its own."""
    markers = [str(m) for m in markers]
    if n_numbers < MARKED_NUMBERS or not 0 < len(markers) <= MARKERS:
        return
    given = ",".join(markers)
    given = shlex.quote(given) if "'" in given else f"'{given}'"  # '-' quoted too, for the eye
    marks = "it marks" if len(markers) == 1 else "they mark"
    raise DataError(f"{what} {name!r} holds numbers except for {examples(markers)} in {rows}: "
                    f"read as text, each of its {n_numbers} numbers would be a category of its "
                    f"own; if {marks} missing values, pass --na-values {given}; else {fix}")


def check_counts_not_mostly_numeric(counts, name, fix=MOSTLY_NUMERIC_FIX, what="column",
                                    formatted_fix=FORMATTED_FIX, commas=True):
    """check_not_mostly_numeric for a column known by its {value: count}; `commas`: see
    check_not_formatted_numbers."""
    pd = _pandas()
    values = pd.Series(list(counts.keys()), dtype=object)
    weights = np.array(list(counts.values()), dtype=np.float64)
    bad = to_numbers(values).isna().to_numpy()
    if bad.any():
        check_not_formatted_numbers(values[bad], name, what, formatted_fix, commas)
        bad = bad & ~_formatted(values).to_numpy()
    if weights[bad].sum() > 0.2 * weights.sum():
        check_not_marked_numbers(values[bad], int((~bad).sum()),
                                 f"{int(weights[bad].sum())} row(s)", name, fix, what)
    if len(values) and 0 < weights[bad].sum() <= 0.2 * weights.sum():
        raise DataError(f"{what} {name!r} holds numbers except in {int(weights[bad].sum())} "
                        f"row(s) ({examples(values[bad])}); {fix}")


def _formatted(values):
    """For each of a Series' values, whether it is a number as people format it (text)."""
    return values.map(lambda v: isinstance(v, str) and bool(_FORMATTED_NUMBER.match(v.strip())))


def _decimal_hint(values, commas):
    """The words that send a user to --decimal , where text `values` are all numbers written
    with a decimal comma (1,5 beside 0,25), which detection missed (codes written 0.5 beside
    them, say), and the file could be read with one (`commas`); else none. 1,500 alone may
    group thousands, and tells nothing."""
    texts = [str(v).strip() for v in values]
    missed = (len(texts) > 0 and all(writes_numbers_with([[v]], ",") for v in texts)
              and not all(_THOUSANDS.match(v) for v in texts))
    return ("if the file writes numbers with a decimal comma, pass --decimal ,; else "
            if commas and missed else "")


# A number followed by a unit of measure (58 kg, 12.5 min, 20°C): a column of them, in one
# unit, is numbers that a file spells with their unit, not categories. Only words that name a
# unit count: a number and a letter or two is as often a code (320i, 12A, 3M, 1950s, 2x).
_WITH_UNIT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)\s?(?P<unit>°?[^\W\d_]{1,8})$")
UNIT_NUMBERS = 5  # distinct numbers at least
UNITS = frozenset(
    "kg mg µg lb lbs oz km cm mm µm mi ft ml cl dl sec secs min mins hr hrs ms kwh kw hp bhp "
    "cc mph kph kmh mpg kcal gb mb kb tb ghz mhz hz mah yrs years months weeks days hours "
    "minutes seconds °c °f".split())


def _check_units(values, name, what, fix):
    """DataError where the text `values` of a column (its distinct values that are not numbers)
    are at least UNIT_NUMBERS numbers followed by one of the UNITS."""
    found = [_WITH_UNIT.match(str(v).strip()) for v in values]
    if len(found) < UNIT_NUMBERS or not all(found):
        return
    units = {m.group("unit").casefold() for m in found}
    if len(units) == 1 and units <= UNITS:
        raise DataError(f"{what} {name!r} holds numbers followed by the unit "
                        f"{found[0].group('unit')!r} ({examples(values)}), which are read as "
                        "text, each number a category of its own; write the numbers alone (the "
                        f"unit in the column's name), {fix}")


def check_not_formatted_numbers(values, name, what="column", fix=FORMATTED_FIX, commas=True):
    """DataError where every one of a text column's `values` that is not a number (its
    distinct values, at least one) is a number as people format it (see _FORMATTED_NUMBER);
    `commas`: whether the file could be read with --decimal , (not comma-separated)."""
    if all(isinstance(v, str) and _FORMATTED_NUMBER.match(v.strip()) for v in values):
        raise DataError(f"{what} {name!r} holds numbers written with thousands separators, a "
                        "decimal comma, a percent or a currency sign, a typographic minus sign, "
                        "a minus sign after them or parentheses for negatives "
                        f"({examples(values)}), "
                        "which are read as text, each number a category of its own; "
                        f"{_decimal_hint(values, commas)}"
                        f"write them as plain numbers (such as 1500.5 or 0.15), {fix}")
    _check_units(values, name, what, fix)


def refuse_empty(names, csv=True):
    """DataError naming the columns that hold no value at all, with their --drop; `csv`: the
    table was read from a CSV file, where lines that end with a separator make one."""
    if names:
        one = len(names) == 1
        cause = " (CSV lines that end with a separator make such a column)" if csv else ""
        raise DataError(f"{'column' if one else 'columns'} {listed(names)} hold"
                        f"{'s' if one else ''} no value at all, to learn from or to fill with"
                        f"{cause}: {drop_option(names)}")


def drop_option(names):
    """`--drop NAMES` as a shell and the command line take it: quoted where need be, and
    joined by '=' where the names start with '-', which would read as an option of its own."""
    text = ",".join(map(str, names))
    return f"--drop{'=' if text.startswith('-') else ' '}{shlex.quote(text)}"


def numbers_of(column, name, headerless=False):
    """A column numeric in training but read as text here, as numbers: DataError naming the
    rows whose values are not numbers, however few or many (filling them with the training
    mean, as a missing value, would predict from a number the file never held). `headerless`:
    the table was read from a file taken to have no header, whose first line may be one."""
    numbers = to_numbers(column)
    bad = numbers.isna().to_numpy() & column.notna().to_numpy()
    if bad.any():
        rows = column.index[bad]
        shown = examples(column[bad].unique())
        header = (" (only the first row: if this file starts with a header line, pass --header)"
                  if headerless and bad[0] and bad.sum() == 1 else "")
        decimal = _decimal_hint(column[bad].unique()[:50],
                                column.attrs.get(DECIMAL_COMMA_READABLE, True))
        error = DataError(f"column {name!r} was numeric in training but holds text in row(s) "
                          f"{row_list(rows)} ({shown}){header}; {decimal}fix those values, or "
                          "read such markers as missing with --na-values")
        error.text_in_numbers = True  # which a column out of place may explain (see the CLI)
        raise error
    return numbers
