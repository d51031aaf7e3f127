"""The fields of a CSV file as the file spells them, where pandas' values would not do: pandas
reads an identifier 007 as 7 (7.0 in a column with a missing value), and the words 'NA' and
'None' as missing. Copies of a file's columns or rows take them from here."""

from .files import column_key, read_csv
from .markers import markers_of

# The words pandas' CSV reader takes for missing values by default, as its read_csv
# documentation lists them (empty fields aside); pandas has no public name for the set.
PANDAS_MISSING = ("#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                  "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")


def as_spelled(table, names):
    """{name: the column's values} for columns of a Table, as its CSV file spells them (text,
    its missing-value markers too: the code 'NA' of Namibia or the word 'None' is no empty
    field): pandas' reading turns an identifier 007 into 7, and one with a missing value into a
    float (7.0; 12345678901234567 into 1.2345678901234568e+16), which copied to an output would
    no longer match the file's rows. Decimal commas become points, as in the output. Parquet
    columns are typed already, and are given as read, in their own type (to_numpy makes
    integers with a missing value floats)."""
    frame = table.frame
    if table.dialect is None or not names:
        return {name: frame[name].array for name in names}
    used = table.dialect.options
    again = read_csv(table.path, used, dtype=str, na_filter=False)
    spelled = {}
    for name in names:
        text = again[column_key(frame, name, used)]
        if used.decimal == "," and frame[name].dtype.kind == "f":
            # numbers written 1,5, which an output with decimal points writes 1.5
            text = text.str.replace(",", ".", regex=False)
        spelled[name] = text.to_numpy()
    return spelled


def spelled_column(table, name):
    """A column of a CSV Table as its file spells each field (text, or missing where the field
    is empty or a missing-value marker), read alone: the values `files.read` gives a column
    that it is told to read as text, such as a model's class labels."""
    used = table.dialect.options
    key = column_key(table.frame, name, used)
    return read_csv(table.path, used, dtype=str, usecols=[key])[key].to_numpy()


def missing_words(table, names):
    """{name: {text: rows}} of the words that columns of a CSV Table hold where they were read
    as missing: pandas' own markers ('NA', 'None', 'null', …), which may well name a category
    ('NA' for no alley, 'None' for no veneer), not the markers given (`na_values`, numbers
    among them in any spelling: '-999.0' for '-999') or empty fields."""
    frame = table.frame
    names = [name for name in names if frame[name].isna().any()]
    if table.dialect is None or not names:
        return {}
    used = table.dialect.options
    keys = {name: column_key(frame, name, used) for name in names}
    raw = read_csv(table.path, used, dtype=str, na_filter=False, usecols=list(keys.values()))
    found = {}
    for name, key in keys.items():
        text = raw[key][frame[name].isna().to_numpy()].str.strip()
        given = markers_of(text, used.na_values).notna()
        words = text[(text != "") & ~given].value_counts()
        if len(words):
            found[name] = words.to_dict()
    return found


def rows_as_spelled(table, positions, chunk=2**16):
    """The rows at `positions` (increasing) of a CSV Table, every field as its file spells it
    (its missing-value markers too), named as the table's columns: a copy of those rows that
    reads back as they were read, where pandas' values, written out, would turn an identifier
    007 into 7 (or 7.0 in a column with a missing value). Read in chunks of `chunk` rows, so
    that the copy takes memory for the rows kept only."""
    import numpy as np
    import pandas as pd

    positions, kept, start = np.asarray(positions), [], 0
    with read_csv(table.path, table.dialect.options, dtype=str, na_filter=False,
                   chunksize=chunk) as reader:
        for part in reader:
            inside = positions[(positions >= start) & (positions < start + len(part))]
            kept.append(part.iloc[inside - start])
            start += len(part)
    rows = pd.concat(kept) if kept else pd.DataFrame()
    rows.columns = table.frame.columns
    return rows

