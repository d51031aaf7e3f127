"""The markers of missing values given for a file (--na-values, and a model's): which of a
column's fields each made missing. A marker given may name a category ('yes'), so a refusal of
missing values says which markers made them so, and how often."""

import numpy as np

from .files import column_key, read_csv
from .parquet import read_parquet


def markers_of(fields, markers):
    """The marker among `markers` that each of `fields` (a Series, text or numbers) is, spaces
    around either aside, or, for a marker that is a finite number, the same number ('-999.0'
    and -999.0 for '-999', as pandas reads them); None for the others and for nulls."""
    import pandas as pd

    found = pd.Series(None, index=fields.index, dtype=object)
    present = fields.notna().to_numpy()
    text = fields.astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    for marker in markers:
        hit = (text == marker.strip()).to_numpy()
        number = pd.to_numeric(marker, errors="coerce")
        if np.isfinite(number):
            hit = hit | (numbers == number).to_numpy()
        found[hit & present & found.isna().to_numpy()] = marker
    return found


def ordered(counts, markers):
    """{marker: rows} of `counts` (rows of each marker found, summed over parts), the most
    frequent first, then in the order the markers were given; none of 0 rows."""
    found = [(m, int(counts[m])) for m in dict.fromkeys(markers) if counts.get(m, 0)]
    return dict(sorted(found, key=lambda item: -item[1]))


def given_markers(table, name):
    """{marker: rows} of the markers given for a Table's file (`Table.na_values`) among the
    fields of its column `name` that were read as missing (see `ordered`)."""
    markers = list(table.na_values)
    missing = table.frame[name].isna().to_numpy()
    if not markers or not missing.any():
        return {}
    if table.dialect is None:  # Parquet: the column as typed, before the markers were read
        fields = read_parquet(table.path)[name]
    else:
        used = table.dialect.options
        key = column_key(table.frame, name, used)
        fields = read_csv(table.path, used, dtype=str, na_filter=False, usecols=[key])[key]
    return ordered(markers_of(fields[missing], markers).value_counts().to_dict(), markers)
