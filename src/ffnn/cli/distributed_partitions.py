"""The partitions of CSV files read by `--dask` commands (`distributed_files.read_frame`),
made to hold what the in-memory commands read from one file of their rows."""

import numpy as np


def in_order(part, columns):
    """A partition with its columns in the order `columns` names them."""
    return part if list(part.columns) == columns else part[columns]


def booleans_as_read(part, flags):
    """A partition's columns of booleans (`flags`, read as text) as pandas reads them in
    memory: bool without missing values, else objects, True, False and NaN. A field that
    pandas reads as no boolean (it takes true and false in any case) raises ValueError."""
    for name in flags:
        column = part[name]
        words = column.str.lower()
        other = column.notna() & ~words.isin(("true", "false"))
        if other.any():
            raise ValueError(f"{column[other].iloc[0]} cannot be cast to bool")
        truth = words == "true"
        part[name] = truth if not column.hasnans else \
            truth.astype(object).where(column.notna(), np.nan)
    return part
