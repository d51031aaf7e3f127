"""Tables to matrices: the preprocessing the command line learns from a table's training rows.

Numeric columns are standardised, (x − mean) / scale; other columns (strings, categories,
booleans) are one-hot encoded over the categories seen in training; missing values are an error
unless imputation was asked for (the training mean, or the most frequent category). pandas is
imported lazily.
"""

import numpy as np

from ..exceptions import DataError

MAX_CATEGORIES = 1000


def _pandas():
    import pandas as pd
    return pd


def _row_list(index, limit=5):
    # Rows as a user counts them in the file: 1 is the first data row, after the header.
    # `index` holds 0-based positions in the file (a frame's labels, as read_csv numbers them).
    rows = [str(int(i) + 1) for i in index[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(rows) + more


def is_numeric_column(series):
    pd = _pandas()
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def check_not_mostly_numeric(series, name):
    """A text column whose values are numbers except for a few is almost surely a typo in a
    numeric column; one-hot encoding it would silently make every number a category."""
    pd = _pandas()
    present = series.dropna()
    if present.empty:
        return
    as_numbers = pd.to_numeric(present, errors="coerce")
    bad = as_numbers.isna()
    if 0 < bad.sum() and bad.mean() <= 0.2:
        rows = present.index[bad.to_numpy()]
        examples = ", ".join(repr(v) for v in present[bad].unique()[:3])
        raise DataError(f"column {name!r} holds numbers except in row(s) "
                        f"{_row_list(rows)} ({examples}); fix those values or drop the column")


class Preprocessor:
    """Learns, from a training table, how to turn its feature columns into a float matrix."""

    def __init__(self, impute=False):
        self.impute = impute
        self.numeric = []      # [(name, mean, scale, fill)]
        self.categorical = []  # [(name, [categories], fill)]

    def state(self):
        """The learned steps as plain values (what model files keep): `from_state`'s input."""
        return {"impute": bool(self.impute),
                "numeric": [{"name": n, "mean": m, "scale": s, "fill": f}
                            for n, m, s, f in self.numeric],
                "categorical": [{"name": n, "categories": list(c), "fill": f}
                                for n, c, f in self.categorical]}

    @classmethod
    def from_state(cls, state):
        """The preprocessor that `state()` describes; ValueError where it is not one."""
        p = cls(impute=state["impute"])
        for column in state["numeric"]:
            if not (np.isfinite(column["mean"]) and np.isfinite(column["fill"])
                    and column["scale"] > 0 and np.isfinite(column["scale"])):
                raise ValueError(f"numeric column {column['name']!r} needs a finite mean and "
                                 "fill and a positive scale")
            p.numeric.append((column["name"], column["mean"], column["scale"], column["fill"]))
        for column in state["categorical"]:
            categories = list(column["categories"])
            if not categories or len(set(categories)) != len(categories):
                raise ValueError(f"categorical column {column['name']!r} needs distinct "
                                 "categories")
            p.categorical.append((column["name"], categories, column["fill"]))
        if len(set(p.columns)) != len(p.columns):
            raise ValueError("column names must be distinct")
        return p

    @property
    def columns(self):
        return [n for n, *_ in self.numeric] + [n for n, *_ in self.categorical]

    @property
    def feature_names(self):
        names = [n for n, *_ in self.numeric]
        for name, categories, _ in self.categorical:
            names += [f"{name}={c}" for c in categories]
        return names

    def fit(self, frame):
        self._check_missing(frame)
        for name in frame.columns:
            column = frame[name]
            if is_numeric_column(column):
                values = column.to_numpy(dtype=np.float64, na_value=np.nan)
                if not np.isfinite(values[~np.isnan(values)]).all():
                    raise DataError(f"column {name!r} contains infinite values")
                mean = float(np.nanmean(values)) if np.isfinite(values).any() else 0.0
                scale = float(np.nanstd(values)) if np.isfinite(values).any() else 1.0
                if not np.isfinite(mean) or not np.isfinite(scale):
                    raise DataError(f"column {name!r} has values too large to standardise")
                self.numeric.append((name, mean, scale if scale > 0 else 1.0, mean))
            else:
                check_not_mostly_numeric(column, name)
                text = column.dropna().astype(str)
                categories = sorted(text.unique())
                if len(categories) > MAX_CATEGORIES:
                    raise DataError(f"column {name!r} has {len(categories)} distinct values, too "
                                    f"many to one-hot encode (at most {MAX_CATEGORIES}); drop it "
                                    "with --drop or convert it to numbers")
                fill = text.value_counts().idxmax() if len(text) else ""
                self.categorical.append((name, categories, fill))
        return self

    def _check_missing(self, frame):
        if self.impute:
            return
        counts = frame.isna().sum()
        counts = counts[counts > 0]
        if len(counts):
            listed = ", ".join(f"{name!r} ({n})" for name, n in counts.items())
            raise DataError(f"missing values in column(s) {listed}; pass --impute to fill them "
                            "(mean for numbers, most frequent value for categories) or clean the "
                            "data")

    def transform(self, frame, dtype=np.float64):
        """The float matrix for a table holding (at least) the training columns."""
        missing = [name for name in self.columns if name not in frame.columns]
        if missing:
            raise DataError(f"column(s) {', '.join(map(repr, missing))} that the model was "
                            "trained on are missing from the data")
        self._check_missing(frame[self.columns])
        n = len(frame)
        X = np.empty((n, len(self.feature_names)), dtype=np.float64)
        j = 0
        for name, mean, scale, fill in self.numeric:
            column = frame[name]
            if not is_numeric_column(column):
                check_not_mostly_numeric(column, name)
                column = _pandas().to_numeric(column, errors="coerce")
                if column.isna().all() and frame[name].notna().any():
                    raise DataError(f"column {name!r} was numeric in training but holds text here")
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            values = np.where(np.isnan(values), fill, values)
            if not np.isfinite(values).all():
                rows = frame.index[~np.isfinite(values)]
                raise DataError(f"column {name!r} has infinite values in row(s) {_row_list(rows)}")
            X[:, j] = (values - mean) / scale
            j += 1
        for name, categories, fill in self.categorical:
            column = frame[name]
            text = column.astype(str).where(column.notna(), fill)
            codes = {c: k for k, c in enumerate(categories)}
            block = np.zeros((n, len(categories)))
            positions = text.map(codes)
            known = positions.notna().to_numpy()
            block[np.flatnonzero(known), positions[known].astype(int).to_numpy()] = 1.0
            X[:, j:j + len(categories)] = block
            j += len(categories)
        return X.astype(dtype, copy=False)
