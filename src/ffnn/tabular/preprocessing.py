"""Tables to matrices: the preprocessing the command line learns from a table's training rows.

Numeric columns are standardised, (x − mean) / scale; other columns (strings, categories,
booleans) are one-hot encoded over the categories seen in training; missing values are an error
unless imputation was asked for (the training mean, or the most frequent category). pandas is
imported lazily. Numeric columns are handled as one block, so that a table of 100,000 columns
takes one pass, not 100,000.
"""

import warnings

import numpy as np

from ..exceptions import DataError
from .files import HEADER_READ
from .shift import FarColumnWarning, Shifts
from .unseen import UnseenCategoryWarning, add_unseen
from .values import (
    categories_index,
    check_counts_not_mostly_numeric,
    check_not_mostly_numeric,
    listed,
    numbers_of,
    numeric_mask,
    refuse_empty,
    row_list,
)

MAX_CATEGORIES = 1000  # distinct values of one text column
MAX_ONE_HOT = 10_000   # one-hot features of all text columns together


class Preprocessor:
    """Learns, from a training table, how to turn its feature columns into a float matrix."""

    def __init__(self, impute=False):
        self.impute = impute
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
            check_not_mostly_numeric(frame[name], name)
        return self

    def fit(self, frame):
        self._check_missing(frame, training=True)
        numeric = numeric_mask(frame)
        self.numeric, self.constant = self._fit_numeric(frame, list(frame.columns[numeric]))
        self.categorical = [self._fit_text(frame[name], name)
                            for name in frame.columns[~numeric]]
        self.constant.update({name: categories[0] for name, categories, _ in self.categorical
                              if len(categories) == 1})
        self._check_one_hot()
        return self

    @classmethod
    def from_statistics(cls, numeric, categorical, missing, impute=False):
        """The preprocessor `fit` would learn from a table too large to hold, from statistics
        computed elsewhere (with Dask, say): `numeric` maps each numeric column to (mean,
        standard deviation (ddof 0), largest |x|) of its present values, `categorical` each
        text column to {value as str: count}, `missing` each column to its count of missing
        values. The same checks as `fit`."""
        p = cls(impute=impute)
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
            check_counts_not_mostly_numeric(values, name)
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
        p._check_one_hot()
        return p

    def _fit_numeric(self, frame, names):
        """([(name, mean, scale, fill)], {name: value} of the constant columns): the mean and
        standard deviation of each column's present values (an empty column: 0 and 1; a
        constant one: its value and scale 1), all columns at once."""
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
        # One value throughout is a constant, whatever the rounding of its mean: 0.1 three
        # times has the mean 0.10000000000000002 and a "spread" of 1.4e-17, which as a scale
        # would blow a new value up by 1e16 (scikit-learn's StandardScaler takes 1 too).
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns: NaN
            low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
        single = present.any(axis=0) & (low == high)
        scale[(scale == 0) | single | ~present.any(axis=0)] = 1.0
        # centred on the value itself, not on its rounded mean: every training row is then 0,
        # and a row is told apart from them (see `shift`) only where its value differs
        mean[single] = low[single]
        constant = {names[k]: low[k].item() for k in np.flatnonzero(single)}
        return list(zip(names, mean.tolist(), scale.tolist(), mean.tolist())), constant

    @staticmethod
    def _fit_text(column, name):
        check_not_mostly_numeric(column, name)
        text = column.dropna().astype(str)
        counts = text.value_counts()
        fill = counts.idxmax() if len(counts) else ""
        return name, sorted(counts.index), fill

    def _check_one_hot(self):
        """Refuse, before any matrix is allocated, text columns that would make too many
        one-hot features: one column over MAX_CATEGORIES, or all over MAX_ONE_HOT."""
        # The largest first; columns of equal size in the table's order.
        sizes = sorted(((len(c), n) for n, c, _ in self.categorical), key=lambda s: -s[0])
        over = [f"{n!r} ({k:,})" for k, n in sizes if k > MAX_CATEGORIES]
        if over:
            raise DataError(f"text column(s) {', '.join(over[:5])} have too many distinct values "
                            f"to one-hot encode (at most {MAX_CATEGORIES:,} each); drop them "
                            "with --drop or convert them to numbers")
        total = sum(k for k, _ in sizes)
        if total > MAX_ONE_HOT:
            listed = ", ".join(f"{n!r} ({k:,})" for k, n in sizes[:5])
            raise DataError(f"one-hot encoding the {len(sizes)} text columns would make "
                            f"{total:,} features, more than {MAX_ONE_HOT:,} ({listed}"
                            f"{', …' if len(sizes) > 5 else ''}); drop some with --drop or "
                            "convert them to numbers")

    def _check_missing(self, frame, training=False):
        """Refuse missing values unless imputing; in `training` rows, also a column without
        any value, which nothing can be learned from or filled with."""
        counts = frame.isna().sum()
        if training:
            refuse_empty(list(counts.index[counts == len(frame)]))
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
                raise DataError(f"missing values in column(s) {listed}{more}; the model was "
                                "trained without --impute and fills none: fill or drop those "
                                "rows, or train it again with --impute")
            raise DataError(f"missing values in column(s) {listed}{more}; pass --impute to fill "
                            "them (mean for numbers, most frequent value for categories) or "
                            "clean the data")

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
            X[:, :k] = self._numeric_block(frame, X.dtype)
            if shifts is None:
                far = self.far_columns(Shifts(k).add(X[:, :k], *self._constants()))
                if far:  # said at the line that called the model's predict, as below
                    warnings.warn(FarColumnWarning(far), stacklevel=4)
            else:
                shifts.add(X[:, :k], *self._constants())
        warn, unseen = unseen is None, {} if unseen is None else unseen
        j = k
        for name, categories, fill in self.categorical:
            column = frame[name]
            text = column.astype(str).where(column.notna(), fill)
            codes = categories_index(categories).get_indexer(text)  # -1: no category
            block = X[:, j:j + len(categories)]
            block[...] = 0
            known = np.flatnonzero(codes >= 0)
            block[known, codes[known]] = 1
            if len(known) < len(codes):
                add_unseen(unseen, {name: text[codes < 0].value_counts().to_dict()})
            j += len(categories)
        if warn and unseen:
            # Said at the line that called the model's predict (transform ← features ← predict).
            warnings.warn(UnseenCategoryWarning.of(unseen), stacklevel=4)
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

    def _numeric_block(self, frame, dtype=np.float64):
        """(x − mean) / scale for every numeric column at once, missing values filled, in
        `dtype`; DataError naming the column where a finite x standardises beyond its range."""
        names = [n for n, *_ in self.numeric]
        mean, scale, fill = (np.array([c[i] for c in self.numeric]) for i in (1, 2, 3))
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
