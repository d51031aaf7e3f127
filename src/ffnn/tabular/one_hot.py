"""Text columns (strings, categories, booleans): one-hot encoded over the categories seen in
training, within limits checked before any matrix is allocated."""

import numpy as np

from ..exceptions import DataError
from .values import (
    as_categories,
    categories_index,
    check_not_mostly_numeric,
    drop_option,
    to_numbers,
)

MAX_CATEGORIES = 1000  # distinct values of one text column
MAX_ONE_HOT = 10_000   # one-hot features of all text columns together


def fit_categories(column, name, check=True):
    """(name, [categories], fill): a text column's values, sorted, and the most frequent one,
    which imputation fills in. `check`: refuse a column of numbers but for a few values (a
    typo in a numeric column), unless the user declared it categorical."""
    if check:
        check_not_mostly_numeric(column, name)
    text = as_categories(column).dropna().astype(str)
    counts = text.value_counts()
    fill = counts.idxmax() if len(counts) else ""
    return name, sorted(counts.index), fill


def check_one_hot(categorical):
    """Refuse text columns ([(name, [categories], fill)]) that would make too many one-hot
    features: one column over MAX_CATEGORIES, or all over MAX_ONE_HOT."""
    # The largest first; columns of equal size in the table's order.
    sizes = sorted(((len(c), n) for n, c, _ in categorical), key=lambda s: -s[0])
    over = [(n, k) for k, n in sizes if k > MAX_CATEGORIES]
    if over:
        shown = ", ".join(f"{n!r} ({k:,})" for n, k in over[:5])
        raise DataError(f"text column(s) {shown} have too many distinct values to one-hot "
                        f"encode (at most {MAX_CATEGORIES:,} each); drop them with "
                        f"{drop_option([n for n, _ in over])} (from Python: drop them from the "
                        "table) or convert them to numbers")
    total = sum(k for k, _ in sizes)
    if total > MAX_ONE_HOT:
        largest = ", ".join(f"{n!r} ({k:,})" for k, n in sizes[:5])
        fewest = next(j for j in range(1, len(sizes) + 1)
                      if total - sum(k for k, _ in sizes[:j]) <= MAX_ONE_HOT)
        raise DataError(f"one-hot encoding the {len(sizes)} text columns would make "
                        f"{total:,} features, more than {MAX_ONE_HOT:,} ({largest}"
                        f"{', …' if len(sizes) > 5 else ''}); drop the largest with "
                        f"{drop_option([n for _, n in sizes[:fewest]])} (from Python: drop "
                        "them from the table) or convert them to numbers")


def encode(column, categories, fill, block):
    """Write the one-hot encoding of `column` over `categories` into `block` (rows × categories),
    missing values as `fill`; the values that are no category, {value: rows}, or {}."""
    text = as_categories(column).astype(str).where(column.notna(), fill)
    index = categories_index(categories)
    codes = index.get_indexer(text)  # -1: no category
    if column.dtype.kind == "f" and (codes < 0).any():
        # a whole float that no category spells as an integer ('1') may be one spelled as
        # Python spells a float ('1.0'): a text column of a CSV file (or a model trained before
        # whole floats were spelled as integers) given numbers of a Parquet file
        retry = np.flatnonzero((codes < 0) & column.notna().to_numpy())
        codes[retry] = index.get_indexer(column.iloc[retry].astype(str))
        retry = np.flatnonzero((codes < 0) & column.notna().to_numpy())
        if len(retry):
            codes[retry] = _same_number(column.iloc[retry], categories)
    if column.dtype.kind not in "fmM" and (codes < 0).any():
        # a whole number spelled as Python spells a float ('1.0', as pandas writes a column of
        # floats to a CSV file) that no category spells so may be one spelled as an integer
        # ('1'): a model trained on a Parquet file's floats, given a CSV copy of its rows
        retry = np.flatnonzero(codes < 0)
        whole = text.iloc[retry].str.fullmatch(r"[+-]?\d+\.0+", na=False).to_numpy()
        retry = retry[whole]
        if len(retry):
            integers = [str(int(value.split(".")[0])) for value in text.iloc[retry]]
            codes[retry] = index.get_indexer(integers)
    if column.dtype.kind in "mM" and (codes < 0).any():
        retry = np.flatnonzero((codes < 0) & column.notna().to_numpy())
        codes[retry] = _same_time(column.iloc[retry], categories)
    if column.dtype.kind not in "fmM" and (codes < 0).any():
        # a date or duration of a CSV file spelled with its time of day ('2024-01-02 00:00:00',
        # as pandas writes a column, or a Dask partition, where one has one) or without
        retry = np.flatnonzero((codes < 0) & column.notna().to_numpy())
        if len(retry):
            codes[retry] = _same_spelled_time(text.iloc[retry], categories)
    block[...] = 0
    known = np.flatnonzero(codes >= 0)
    block[known, codes[known]] = 1
    if len(known) == len(codes):
        return {}
    return text[codes < 0].value_counts().to_dict()


# How a date is spelled by pandas, or in ISO 8601 ('2024-01-02T05:00Z'), its offset if any
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"


def _same_time(column, categories):
    """For each date or duration of `column` (datetime64 or timedelta64 values), the position
    of the category that names the same instant or span, or -1. pandas spells a column's dates
    alike: '2024-01-02' where every one is at midnight, '2024-01-02 00:00:00' where one has a
    time of day ('1 days', '1 days 00:00:00' of durations), so that the categories of a column
    spell the same date otherwise than other rows, in training or in a later file. Only
    categories spelled as dates in ISO 8601 name dates (not '01/02/2024', which is the 2nd of
    January or the 1st of February, nor a year or other number), and a date with a time zone
    only those with an offset (a date without one names no instant), and one without a time
    zone only those without; numbers name no durations."""
    import pandas as pd

    text = pd.Series(list(categories), dtype=object).astype(str)
    if column.dtype.kind == "M":
        shape = text.str.extract(_ISO_DATE)[0]
        dated = text.str.match(_ISO_DATE) & (shape.notna() == (column.dt.tz is not None))
        # in UTC, which compares dates whose offsets differ (+01:00 in winter, +02:00 in summer)
        named = pd.to_datetime(text.where(dated), errors="coerce", format="ISO8601", utc=True)
        values = column.dt.tz_localize("UTC") if column.dt.tz is None else column
        values = values.dt.tz_convert("UTC")
    else:
        numbers = to_numbers(text).notna()
        named, values = pd.to_timedelta(text.where(~numbers), errors="coerce"), column
    return _positions(named, values)


# How pandas spells a duration: '1 days', '1 days 02:00:00', '-1 days +23:59:59.5'
_DURATION = r"^-?\d+ days?(?: [+-]?\d{2}:\d{2}:\d{2}(?:\.\d+)?)?$"


def _same_spelled_time(text, categories):
    """For each value of `text` (strings) spelled as a date in ISO 8601 or as pandas spells a
    duration, the position of the category that names the same instant or span (see
    `_same_time`), or -1: a CSV file spells a date '2024-01-02' or '2024-01-02 00:00:00', as
    pandas spelled the column (or partition) it wrote, whichever its category spells."""
    import pandas as pd

    found = np.full(len(text), -1)
    zoned = text.str.extract(_ISO_DATE)[0].notna().to_numpy()
    dated = text.str.match(_ISO_DATE).to_numpy()
    for rows, utc in ((dated & ~zoned, False), (dated & zoned, True)):
        if rows.any():
            found[rows] = _same_time(pd.to_datetime(text[rows], errors="coerce", utc=utc,
                                                    format="ISO8601"), categories)
    spans = text.str.match(_DURATION).to_numpy()
    if spans.any():
        found[spans] = _same_time(pd.to_timedelta(text[spans], errors="coerce"), categories)
    return found


def _same_number(column, categories):
    """For each number of `column` (floats), the position of the category that spells it with
    a decimal part, or -1: a model trained before decimal columns of Parquet files were read as
    numbers has them as categories spelled as Python spells a Decimal ('1.50', '2.00'), which
    the number 1.5 of the same file, read now, spells otherwise."""
    import pandas as pd

    text = pd.Series(list(categories), dtype=object).astype(str)
    decimal = text.str.match(r"^[+-]?\d+\.\d+$")
    return _positions(to_numbers(text.where(decimal)), column)


def _positions(named, values):
    """For each of `values`, the position of the first category whose value (`named`, NaN or
    NaT where it names none) is equal, or -1."""
    import pandas as pd

    usable = (named.notna() & ~named.duplicated()).to_numpy()
    if not usable.any():  # no category names a date, a duration or a number
        return np.full(len(values), -1)
    found = pd.Index(named[usable]).get_indexer(values)
    return np.where(found >= 0, np.flatnonzero(usable)[found], -1)
