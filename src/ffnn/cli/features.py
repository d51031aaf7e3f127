"""Feature columns that `ffnn fit` points out, each with its --drop: a column with one value in
every training row, which cannot inform the network (standardised, it is 0 in every row, so its
weights never learn, and a row with another value at predict time moves the predictions by
weights training never set); and a row number or an identifier, which lets the network memorise
rows rather than learn: pandas' saved index, whole numbers distinct and (nearly) consecutive, text with
nearly one value per row (dates among them, which need turning into numbers). Also the words
of text columns that pandas reads as missing ('NA', 'None'), which data sets also use as
categories."""

import re

import numpy as np

from ..tabular.spelling import missing_words
from ..tabular.unseen import listed_counts
from ..tabular.values import drop_option, numeric_mask, to_numbers
from .tables import missing_counts, say_filled_counts

# A text column with at least this share of distinct values among the training rows (and at
# least ID_LIKE_MIN of them) is most likely an identifier: one-hot encoding it lets the network
# memorise rows (a car-name column in a car table: training R² 0.995 against 0.886 held out).
ID_LIKE_SHARE, ID_LIKE_MIN = 0.5, 10
# Whole numbers distinct and consecutive over at least this many rows are a row number or an
# identifier (1000, 1001, … in any order); over fewer, a small integer feature may well be so
# by chance (the ages of a handful of people).
ROW_NUMBER_MIN = 20
# How pandas names a column without a name, such as the index that to_csv writes by default,
# and how many times the rows such an index may span (the rows of a table filtered to an eighth).
SAVED_INDEX = re.compile(r"Unnamed: \d+")
SAVED_INDEX_GAPS = 8


def feature_warnings(preprocessor, features, n_train, n_rows=None):
    """The warnings (lines) about the feature columns of a table of n_rows rows (len(features)
    unless given): `features` holds its rows less any test rows, as a cluster's statistics
    describe them (None where they are on a cluster: row numbers are then looked for apart),
    `preprocessor` was fitted on n_train of them, the training rows. Columns it encodes as
    categories (integers declared so) are warned of as text identifiers alone, as where a CSV
    file's are read as spelled."""
    if features is not None:
        n_rows = n_rows or len(features)
        features = features.drop(columns=[name for name, *_ in preprocessor.categorical
                                          if name in features.columns])
    return [*_constant(preprocessor.constant),
            *(_row_numbers(features, n_rows) if features is not None else []),
            *_text_identifiers(preprocessor, n_train)]


def _shown(value):
    """A column's value in a message: 1, not 1.0 (a column of whole numbers is read as floats
    where one is missing), and text quoted, so that spaces show."""
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    return repr(value)


def _constant(constant):
    if not constant:
        return []
    names = list(constant)
    if len(names) == 1:
        name = names[0]
        return [f"warning: column {name!r} holds one value ({_shown(constant[name])}) in every "
                "training row: it cannot inform the network; drop it with "
                f"{drop_option(names)}"]
    shown = ", ".join(f"{name!r} ({_shown(constant[name])})" for name in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return [f"warning: columns {shown}{more} hold one value each in every training row: they "
            f"cannot inform the network; drop them with {drop_option(names)}"]


def warn_of_constant_target(target, mean, std, stream):
    """Warn on `stream` of a regression target whose training values (of mean `mean` and
    standard deviation `std`) are one value: a spread within the rounding of their mean."""
    if std <= 64 * np.finfo(np.float64).eps * abs(mean):
        print(f"warning: the target column {target!r} holds one value "
              f"({_shown(float(f'{mean:.15g}'))}) in every training row: there is nothing for "
              "the network to learn, and R² is 0 unless every prediction is exact; is it the "
              "column to predict?", file=stream)


def _row_numbers(features, n):
    """Warnings about numeric columns whose present values in `features` (the rows of a table
    of n rows less its test rows) are distinct whole numbers that `numbers_rows` takes for row
    numbers or an identifier (the training rows alone are a sample of them, with gaps). Whole
    numbers are read as floats where one is missing, so float columns are looked at too."""
    kinds = {dtype: dtype.kind in "iuf" for dtype in set(features.dtypes)}
    numeric = features.columns[np.array([kinds[d] for d in features.dtypes], dtype=bool)]
    if n < 2 or not len(numeric):
        return []
    block = features[numeric]
    count = block.count().to_numpy()
    low, high = block.min().to_numpy(np.float64), block.max().to_numpy(np.float64)
    found = []
    for k in np.flatnonzero(count <= high - low + 1):  # False where NaN: no value
        name, first, last = numeric[k], float(low[k]), float(high[k])
        if not numbers_rows(name, int(count[k]), first, last, n):
            continue
        column = block[name].dropna()
        if column.is_unique and np.all(column.to_numpy(np.float64) % 1 == 0):
            found.append(row_number_warning(name, int(first), int(last), int(count[k])))
    return found


def numbers_rows(name, count, first, last, n_rows):
    """Whether `count` (at least 2) distinct whole numbers from first to last (floats, as the
    statistics hold them), in a table of n_rows rows, number its rows or identify them: under
    the name pandas gives a saved index, spanning up to SAVED_INDEX_GAPS times the rows (the
    index of a table filtered before it was saved), or at least ROW_NUMBER_MIN of them spanning
    no more values than the table has rows (gaps where some are missing)."""
    # beyond 2**53, floats tell few integers apart (and 2**63 has no int64)
    if not (first % 1 == 0 == last % 1 and max(abs(first), abs(last)) < 2.0**53):
        return False
    span = int(last - first) + 1
    if count < 2 or span < count:
        return False
    if SAVED_INDEX.fullmatch(str(name)):
        return span <= SAVED_INDEX_GAPS * n_rows
    return count >= ROW_NUMBER_MIN and span <= n_rows


def row_number_warning(name, first, last, count):
    """The warning about a column of `count` distinct whole numbers from first to last: under
    the name pandas gives a saved index, or (nearly) consecutive, a row number or an
    identifier."""
    if SAVED_INDEX.fullmatch(str(name)):
        return (f"warning: column {name!r} holds distinct whole numbers ({first} to {last}) "
                "under the name pandas gives a saved index (to_csv without index=False): row "
                "numbers, not a feature, which let the network memorise rows; drop it with "
                f"{drop_option([name])}")
    held = ("the whole numbers {} to {}, each in one row" if last - first + 1 == count else
            f"{count} distinct whole numbers from {{}} to {{}}").format(first, last)
    return (f"warning: column {name!r} holds {held}: a row number or an identifier lets the "
            "network memorise rows instead of learning; if it is one, drop it with "
            f"{drop_option([name])}")


def _text_identifiers(preprocessor, n_rows):
    found = []
    for name, categories, _ in preprocessor.categorical:
        if len(categories) < max(ID_LIKE_MIN, ID_LIKE_SHARE * n_rows):
            continue
        if _dates(categories):
            found.append(f"warning: column {name!r} holds dates, {len(categories)} distinct in "
                         f"{n_rows} training rows: as categories each date is one of its own, "
                         "and a date that training never saw means nothing to the network; "
                         "give it numbers instead (days since a start, the year, month or "
                         "weekday, each a column of its own), or drop it with "
                         f"{drop_option([name])}")
        else:
            found.append(f"warning: text column {name!r} has {len(categories)} distinct values "
                         f"in {n_rows} training rows, nearly one per row: an identifier lets "
                         "the network memorise rows instead of learning; drop it with "
                         f"{drop_option([name])}")
    return found


# What a date or a time as people write it holds: a year of four digits, day, month and year
# (31.01.24), a month's name, or hours and minutes. pandas' parser also reads '1a' (1 am),
# '1-2', '1.1.1' or '3 4' as dates: room numbers, ranges and section numbers are identifiers.
_DATE_SHAPED = (r"\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2}|\d{1,2}:\d{2}|"
                r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")


def _dates(categories):
    """Whether nearly all of a text column's values are dates or times as people write them
    (2024-01-31, 01/31/2024, Jan 31 2024; a Parquet file's dates as text): not numbers, which
    pandas would also read as years."""
    import pandas as pd

    values = pd.Series(list(categories), dtype=object)
    numbers = to_numbers(values).notna()
    # in UTC: dates whose offsets differ (+01:00 in winter, +02:00 in summer) are dates too
    dates = pd.to_datetime(values, errors="coerce", format="mixed", utc=True).notna()
    shaped = values.astype(str).str.contains(_DATE_SHAPED, regex=True)
    return bool((dates & shaped & ~numbers).mean() >= 0.9)


def words_read_as_missing(table, features):
    """Where missing values are refused: the words among them that pandas reads as missing but
    that may name a category ('NA' for no alley), or ""."""
    text = list(features.columns[~numeric_mask(features)])
    return missing_words_hint(missing_words(table, text) if text else {})


def missing_words_hint(words, among_refused=True):
    """`words_read_as_missing` of {column: {word: rows}}, the words found: counted over the
    rows whose missing values are refused, or else (`among_refused` False: test rows held out
    before the count of the refused ones) over all the file's rows."""
    if not words:
        return ""
    shown = "; ".join(f"{name!r}: {listed_counts(counts)}" for name, counts in
                      list(words.items())[:3])
    return read_as_missing(shown, among_refused, "categories")


def read_as_missing(shown, among_refused, named):
    """The words of a refusal of missing values that pandas read as missing (`shown`), which
    may name `named` ("categories", "classes"), and how to keep them."""
    among = "of them" if among_refused else "in all the rows, test rows included"
    return (f" ({among}, words that pandas reads as missing: {shown}; if they name {named}, "
            "write them otherwise in the file, such as 'none')")


def warn_filled_words(table, preprocessor, stream, rows):
    """Say how many values of `rows` (the table's frame's) were missing and filled, and which
    words of text columns were read as missing: pandas' markers of missing values include 'NA'
    and 'None', which data sets also use as categories."""
    say_filled_counts(table.path, missing_counts(rows, preprocessor), stream, how="")
    fills = [name for name, *_ in preprocessor.categorical]
    warn_of_filled_words(missing_words(table, fills), preprocessor, stream)


def warn_of_filled_words(found, preprocessor, stream):
    """`warn_filled_words` of {column: {word: rows}}, the words found."""
    fills = {name: fill for name, _, fill in preprocessor.categorical}
    for name, words in found.items():
        print(f"warning: column {name!r}: {listed_counts(words)} read as missing (pandas' "
              f"markers of missing values) and filled with {fills[name]!r}; if "
              f"{'it names a category' if len(words) == 1 else 'they name categories'}, "
              f"write {'it' if len(words) == 1 else 'them'} otherwise in the file (such as "
              "'none')", file=stream)
