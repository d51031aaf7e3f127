"""Tables to matrices: the preprocessing the command line learns from a table's training rows.

Numeric columns are standardised (`standardise`); other columns (strings, categories,
booleans) are one-hot encoded over the categories seen in training (`one_hot`); missing values
are an error unless imputation was asked for (the training mean, or the most frequent category).
pandas is imported lazily.
"""

import warnings

import numpy as np

from ..exceptions import DataError
from .one_hot import check_one_hot, encode, fit_categories
from .shift import FarColumnWarning, Shifts
from .standardise import fit_standardisation, standardised
from .unseen import UnseenCategoryWarning, add_unseen
from .values import (
    HEADER_READ,
    check_counts_not_mostly_numeric,
    check_not_mostly_numeric,
    listed,
    numeric_mask,
    refuse_empty,
)


class MissingValuesError(DataError):
    """Missing values that the preprocessing refuses (without imputation): the one refusal
    where words read as missing ('NA') may be the cause."""


class Preprocessor:
    """Learns, from a training table, how to turn its feature columns into a float matrix."""

    def __init__(self, impute=False, declared=()):
        self.impute = impute
        # the columns the user declared categorical (zip codes, say): encoded as categories
        # even where most values are numbers, which is otherwise taken for a typo
        self.declared = set(declared)
        self.numeric = []      # [(name, mean, scale, fill)]
        self.categorical = []  # [(name, [categories], fill)]
        # {name: its one value} of the columns that held a single value in every training row
        # (a numeric one is standardised to 0 there: a network never learns what other values
        # mean; model files record the numeric ones)
        self.constant = {}

    def state(self):
        """The learned steps as plain values (what model files keep): `from_state`'s input."""
        return {"impute": bool(self.impute),
                "numeric": [{"name": n, "mean": m, "scale": s, "fill": f,
                             **({"constant": True} if n in self.constant else {})}
                            for n, m, s, f in self.numeric],
                "categorical": [{"name": n, "categories": list(c), "fill": f}
                                for n, c, f in self.categorical]}

    @classmethod
    def from_state(cls, state):
        """The preprocessor that `state()` describes; ValueError where it is not one."""
        p = cls(impute=state["impute"])
        for column in state["numeric"]:
            # A standard deviation is a square root: a positive one is at least 1e-162, never a
            # subnormal float, whose reciprocal overflows.
            if not (np.isfinite(column["mean"]) and np.isfinite(column["scale"])
                    and column["scale"] >= np.finfo(np.float64).tiny):
                raise ValueError(f"numeric column {column['name']!r} needs a finite mean and a "
                                 "scale that is a normal positive float")
            if column["fill"] != column["mean"]:
                raise ValueError(f"numeric column {column['name']!r}: fill must be its mean "
                                 f"({column['mean']!r}), the value imputation fills in")
            if "constant" in column:  # written only where true
                if column["constant"] is not True or column["scale"] != 1.0:
                    raise ValueError(f"numeric column {column['name']!r}: constant is written "
                                     "only as true, for a column of scale 1")
                p.constant[column["name"]] = column["mean"]
            p.numeric.append((column["name"], column["mean"], column["scale"], column["fill"]))
        for column in state["categorical"]:
            categories = list(column["categories"])
            if not categories or len(set(categories)) != len(categories):
                raise ValueError(f"categorical column {column['name']!r} needs distinct "
                                 "categories")
            if column["fill"] not in categories:
                raise ValueError(f"categorical column {column['name']!r}: fill "
                                 f"{column['fill']!r} is not one of its categories")
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

    @property
    def n_features(self):
        return len(self.numeric) + sum(len(c) for _, c, _ in self.categorical)

    def check(self, frame):
        """The checks of a table's values that `fit` makes, for a whole table: a file's rows are
        checked all together before they are split, so that a typo or a missing value among the
        validation or test rows is reported with the others (and a numeric column with a typo
        outside the training rows is not one-hot encoded as text)."""
        self._check_missing(frame, training=True)
        for name in frame.columns[~numeric_mask(frame)]:
            if name not in self.declared:
                check_not_mostly_numeric(frame[name], name)
        return self

    def fit(self, frame):
        self._check_missing(frame, training=True)
        numeric = numeric_mask(frame) & ~frame.columns.isin(list(self.declared))
        self.numeric, self.constant = fit_standardisation(frame, list(frame.columns[numeric]))
        self.categorical = [fit_categories(frame[name], name, name not in self.declared)
                            for name in frame.columns[~numeric]]
        self.constant.update({name: categories[0] for name, categories, _ in self.categorical
                              if len(categories) == 1})
        check_one_hot(self.categorical)
        return self

    @classmethod
    def from_statistics(cls, numeric, categorical, missing, impute=False, declared=(),
                        commas=True):
        """The preprocessor `fit` would learn from a table too large to hold, from statistics
        computed elsewhere (with Dask, say): `numeric` maps each numeric column to (mean,
        standard deviation (ddof 0), largest |x|) of its present values, `categorical` each
        text column to {value as str: count}, `missing` each column to its count of missing
        values. The same checks as `fit`; `commas`: whether the files could be read with a
        decimal comma (they are not comma-separated), which a refusal then suggests."""
        p = cls(impute=impute, declared=declared)
        infinite = [name for name, (_, _, top) in numeric.items() if not np.isfinite(top)]
        refuse_empty([name for name, (mean, _, top) in numeric.items()
                       if np.isnan(mean) and np.isfinite(top)] +
                      [name for name, values in categorical.items() if not values])
        counts = {name: n for name, n in missing.items() if n > 0}
        if counts and not impute:
            p._refuse_missing(counts)
        if infinite:
            raise DataError(f"column(s) {listed(infinite)} contain infinite values")
        huge = [name for name, (mean, std, _) in numeric.items() if not np.isfinite(std)]
        if huge:
            raise DataError(f"column(s) {listed(huge)} have values too large to standardise")
        for name, values in categorical.items():
            if name not in p.declared:
                check_counts_not_mostly_numeric(values, name, commas=commas)
        for name, (mean, std, _) in numeric.items():
            if not np.isfinite(mean):  # no present value at all
                mean, std = 0.0, 1.0
            if std == 0:
                p.constant[name] = float(mean)
            p.numeric.append((name, float(mean), float(std) if std > 0 else 1.0, float(mean)))
        for name, values in categorical.items():
            values = {str(v): n for v, n in values.items()}
            fill = max(values, key=values.get) if values else ""
            p.categorical.append((name, sorted(values), fill))
            if len(values) == 1:
                p.constant[name] = fill
        check_one_hot(p.categorical)
        return p

    def _check_missing(self, frame, training=False):
        """Refuse missing values unless imputing; in `training` rows, also a column without
        any value, which nothing can be learned from or filled with."""
        counts = frame.isna().sum()
        if training:
            # (a frame of a CSV file says whether it was read past a header; one of a Parquet
            # file, or given in Python, says nothing of CSV lines)
            refuse_empty(list(counts.index[counts == len(frame)]), HEADER_READ in frame.attrs)
        if self.impute:
            return
        counts = counts[counts > 0]
        if len(counts):
            self._refuse_missing(dict(counts.items()), training)

    @staticmethod
    def _refuse_missing(counts, training=True):
        """DataError naming the columns with missing values ({name: count}): in `training`
        rows, where --impute would fill them, or in rows given to a model that fills none."""
        if counts:
            listed = ", ".join(f"{name!r} ({n})" for name, n in list(counts.items())[:10])
            more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
            if not training:
                # predict and evaluate take no --impute: the model's training decided it.
                raise MissingValuesError(
                    f"missing values in column(s) {listed}{more}; the model was trained "
                    "without --impute and fills none: fill or drop those rows, or train it "
                    "again with --impute")
            raise MissingValuesError(
                f"missing values in column(s) {listed}{more}; pass --impute (from Python: "
                "Preprocessor(impute=True)) to fill them (mean for numbers, most frequent value "
                "for categories) or clean the data")

    def transform(self, frame, dtype=np.float64, unseen=None, shifts=None):
        """The float matrix for a table holding (at least) the training columns. Values of a
        text column that training never saw are encoded as no category, with one
        UnseenCategoryWarning naming them; or, given a dict `unseen`, counted into it as
        {column: {value: rows}} without a warning (for code on other threads, such as a Dask
        worker's, where catching warnings would race: the warning filters are the process's).
        Numeric columns far from their training values (see `shift`) are said in one
        FarColumnWarning, or, given `shifts` (a `Shifts`), counted into it."""
        present = set(frame.columns)
        missing = [name for name in self.columns if name not in present]
        if missing:
            raise DataError(f"column(s) {listed(missing)} that the model was trained on are "
                            "missing from the data")
        frame = frame[self.columns]
        self._check_missing(frame)
        X = np.empty((len(frame), self.n_features), dtype=dtype)
        k = len(self.numeric)
        if k:
            X[:, :k] = standardised(frame, self.numeric, X.dtype)
            if shifts is None:
                far = self.far_columns(Shifts(k).add(X[:, :k], *self._constants()))
                if far:  # said at the line that called the model's predict, as below
                    warnings.warn(FarColumnWarning(far), stacklevel=4)
            else:
                shifts.add(X[:, :k], *self._constants())
        warn, unseen = unseen is None, {} if unseen is None else unseen
        j = k
        for name, categories, fill in self.categorical:
            others = encode(frame[name], categories, fill, X[:, j:j + len(categories)])
            if others:
                add_unseen(unseen, {name: others})
            j += len(categories)
        if warn and unseen:
            # Said at the line that called the model's predict (transform ← features ← predict).
            seen = {name: categories for name, categories, _ in self.categorical}
            warnings.warn(UnseenCategoryWarning.of(unseen, seen), stacklevel=4)
        return X

    def shifts(self):
        """An empty `Shifts` of the numeric columns, for `transform` to count into."""
        return Shifts(len(self.numeric))

    def far_columns(self, shifts):
        """What to warn of the numeric columns after `shifts` counted rows, or None."""
        return shifts.message(self.numeric, self._constants()[0])

    def _constants(self):
        """(which numeric columns held one value in training, the means: those values)."""
        return (np.array([name in self.constant for name, *_ in self.numeric], dtype=bool),
                np.array([mean for _, mean, *_ in self.numeric], dtype=np.float64))
