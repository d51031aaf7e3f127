"""Numeric columns whose values here lie far from what the model's training rows held: a column
out of place (a file without a header that is short of one column is read by position, so each
column after the gap feeds the network the next one's values), a column in other units, or one
that held a single value in every training row and varies now. The network extrapolates on
such values, and nothing else would say so: each column is summed over a table's rows (and over
a cluster's partitions) and said in one warning."""

import numpy as np

# How far a column's mean over the rows given may lie from its training mean, in training
# standard deviations, before it is said: FAR over ROWS rows or more, where rows drawn like the
# training rows keep their mean within a deviation or so, while a column read in place of
# another (a target of mean 152 read as a feature of mean 91 ± 11) lies 5 off. Fewer rows
# swing further (one row of a 0/1 column that is 1 in 3% of the training rows lies 6 off), so
# their mean must lie farther: FAR · √(ROWS / rows), 22 deviations for a single row.
FAR, ROWS = 4.0, 30


class FarColumnWarning(UserWarning):
    """Numeric columns whose values lie far from the training rows' (see `Shifts`)."""


class Shifts:
    """Per numeric column of a model, over the rows seen so far: the sum of its standardised
    values (x − mean) / scale, and the rows that differ from the one value the column held in
    every training row (standardised, 0)."""

    def __init__(self, columns):
        self.rows = 0
        self.sums = np.zeros(columns)
        self.differ = np.zeros(columns, dtype=np.int64)

    def add(self, block, constant, values):
        """Count in the standardised numeric `block` of some rows; `constant` marks its columns
        that held one value in training, which `values` gives (centred on it, scale 1, a row
        of such a column is x − c)."""
        self.rows += block.shape[0]
        self.sums += block.sum(axis=0, dtype=np.float64)
        # A column that held one value c differs where |x − c| is more than the spacing of
        # float32 numbers at c: 0.1 read from a float32 Parquet column is 0.10000000149011612
        # in float64, from its CSV copy 0.1, one value either way.
        c = np.abs(np.asarray(values, dtype=np.float64)[constant])
        with np.errstate(over="ignore"):  # beyond float32's range, float64's spacing
            tolerance = np.where(c <= np.finfo(np.float32).max,
                                 np.spacing(c.astype(np.float32)).astype(np.float64),
                                 np.spacing(c))
        self.differ[constant] += np.count_nonzero(np.abs(block[:, constant]) > tolerance,
                                                  axis=0)
        return self

    def merge(self, other):
        """Add the counts of another part of the same table (a cluster's partition)."""
        self.rows += other.rows
        self.sums += other.sums
        self.differ += other.differ
        return self

    def message(self, numeric, constant, limit=5):
        """What to warn of for the model's numeric columns [(name, mean, scale, fill)] and
        `constant` (a mask of them), or None."""
        if not self.rows:
            return None
        far, varying = [], []
        for j, (name, mean, scale, _) in enumerate(numeric):
            if constant[j]:
                if self.differ[j]:
                    varying.append(f"{name!r} held only {mean:.6g} in training but other values "
                                   f"in {self.differ[j]} of {self.rows} row(s) here")
                continue
            z = self.sums[j] / self.rows
            if abs(z) > FAR * np.sqrt(max(1.0, ROWS / self.rows)):
                far.append(f"{name!r} averages {mean + z * scale:.4g} here against {mean:.4g} "
                           f"± {scale:.3g} in training ({_deviations(abs(z))} standard deviations "
                           "off)")
        said = []
        if far:
            said.append("numeric column(s) far from their training values: "
                        + _first(far, limit) + ". Is each column the one the model was trained "
                        "on, in the same units? The network extrapolates there")
        if varying:
            said.append("column(s) that never varied in training: " + _first(varying, limit)
                        + ". The network never saw them vary, so what it makes of other "
                        "values is arbitrary")
        return "; ".join(said) or None


def _first(parts, limit):
    more = f"; and {len(parts) - limit} more" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def _deviations(z):
    """A count of standard deviations in a few digits: 12.3, or 3.4e+199 (not all 200 digits
    that a fixed-point format writes of a value read as 1e200)."""
    return f"{z:.1f}" if z < 1e4 else f"{z:.2g}"
