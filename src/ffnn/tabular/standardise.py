"""Numeric columns: each standardised, (x − mean) / scale, with the mean and standard deviation
of its training values; all columns at once, so that a table of 100,000 columns takes one pass,
not 100,000."""

import warnings

import numpy as np

from ..exceptions import DataError
from .files import HEADER_READ
from .values import listed, numbers_of, numeric_mask, row_list


def fit_standardisation(frame, names):
    """([(name, mean, scale, fill)], {name: value} of the constant columns): the mean and
    standard deviation of each column's present values (an empty column: 0 and 1; a constant
    one: its value and scale 1); the fill, for imputation, is the mean."""
    if not names:
        return [], {}
    values = frame[names].to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.isinf(values).any(axis=0)
    if infinite.any():
        bad = [names[k] for k in np.flatnonzero(infinite)]
        raise DataError(f"column(s) {listed(bad)} contain infinite values")
    present = ~np.isnan(values)
    count = np.maximum(present.sum(axis=0), 1)
    with np.errstate(all="ignore"):
        mean = np.where(present, values, 0.0).sum(axis=0) / count
        scale = np.sqrt((np.where(present, values - mean, 0.0) ** 2).sum(axis=0) / count)
    bad = ~(np.isfinite(mean) & np.isfinite(scale))
    if bad.any():
        raise DataError(f"column(s) {listed([names[k] for k in np.flatnonzero(bad)])} "
                        "have values too large to standardise")
    # One value throughout is a constant, whatever the rounding of its mean: 0.1 three times
    # has the mean 0.10000000000000002 and a "spread" of 1.4e-17, which as a scale would blow
    # a new value up by 1e16 (scikit-learn's StandardScaler takes 1 too).
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns: NaN
        low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    single = present.any(axis=0) & (low == high)
    scale[(scale == 0) | single | ~present.any(axis=0)] = 1.0
    # centred on the value itself, not on its rounded mean: every training row is then 0, and
    # a row is told apart from them (see `shift`) only where its value differs
    mean[single] = low[single]
    constant = {names[k]: low[k].item() for k in np.flatnonzero(single)}
    return list(zip(names, mean.tolist(), scale.tolist(), mean.tolist())), constant


def target_scaling(target, values=None, mean=None, std=None):
    """(mean, scale) that standardise a regression target, (y − mean) / scale: the mean and
    standard deviation of its training `values` (or those given, computed elsewhere), scale 1
    for a constant; DataError, before any training, where they overflow float64 (values near
    1e307), as they would leave the network standardised targets of NaN."""
    if values is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # refused below
            mean, std = values.mean(), values.std()
    if not (np.isfinite(mean) and np.isfinite(std)):
        raise DataError(f"the target column {target!r} has values too large to standardise "
                        "(their mean or spread overflows float64); divide them by a power of "
                        "ten")
    return float(mean), float(std) or 1.0


def standardised(frame, numeric, dtype=np.float64):
    """(x − mean) / scale of the columns `numeric` ([(name, mean, scale, fill)]) at once,
    missing values filled, in `dtype`; DataError naming the column where a finite x
    standardises beyond its range."""
    names = [n for n, *_ in numeric]
    mean, scale, fill = (np.array([c[i] for c in numeric]) for i in (1, 2, 3))
    block = frame[names]
    text = ~numeric_mask(block)
    if text.any():  # a column numeric in training but read as text here
        block = block.copy()
        for name in [names[k] for k in np.flatnonzero(text)]:
            block[name] = numbers_of(block[name], name,
                                     headerless=frame.attrs.get(HEADER_READ) is False)
    values = block.to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.where(np.isnan(values), fill, values)
    finite = np.isfinite(values)
    if not finite.all():
        column = int(np.flatnonzero(~finite.all(axis=0))[0])
        rows = frame.index[~finite[:, column]]
        raise DataError(f"column {names[column]!r} has infinite values in row(s) "
                        f"{row_list(rows)}")
    with np.errstate(over="ignore"):  # reported below, by column and row
        block = ((values - mean) / scale).astype(dtype, copy=False)
    finite = np.isfinite(block)
    if not finite.all():
        column = int(np.flatnonzero(~finite.all(axis=0))[0])
        rows = frame.index[~finite[:, column]]
        raise DataError(f"column {names[column]!r} has values in row(s) {row_list(rows)} "
                        f"too large to standardise (mean {mean[column]:g}, scale "
                        f"{scale[column]:g}) in {np.dtype(dtype).name}")
    return block
