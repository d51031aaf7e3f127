"""The command line's model: a fitted estimator with the preprocessing of its table, so that
new rows of the same table can be predicted. A regression target is standardised for training
and predictions are mapped back. It also records how its files are read, where its training
rows came from, and how training ended."""

import numpy as np

from ..exceptions import DataError
from .dialect import ReadOptions
from .labels import class_codes
from .parquet import mark_missing
from .preprocessing import Preprocessor
from .provenance import Provenance
from .values import row_list

# What `ffnn summary` prints of a model's record, as fit writes it: one line each, printable (a
# model file's text is never a terminal's control sequences), of bounded length.
MAX_STOPPED = 1000
MAX_METRIC_NAME = 100


def _overflow_cause(preprocessor, frame, row):
    """Why the prediction for the row at position `row` overflowed: its numeric input farthest
    from the training values, where one is far beyond them; else the target's scaling."""
    farthest, name, value = 0.0, None, None
    for column, mean, scale, _ in preprocessor.numeric:
        x = float(frame[column].iloc[row])
        z = abs(x - mean) / scale if np.isfinite(x) else 0.0
        if z > farthest:
            farthest, name, value = z, column, x
    if farthest > 1e6:  # an output of ±1e308 needs inputs this far at least, or huge weights
        return (f"its input {name!r} ({value:.3g}) lies {farthest:.2g} standard deviations from "
                "its training mean; the network extrapolates beyond what a float can hold")
    return "the model's target scaling is beyond what a float can hold"


class TabularModel:
    """A fitted estimator together with the preprocessing of its table, as the command line
    trains and saves it. `predict(frame)` applies the stored steps, then the estimator. The
    estimator alone takes the encoded, standardised features (`preprocessor.transform`) and,
    for regression, predicts the standardised target: given raw columns it answers wrongly."""

    def __init__(self, estimator, preprocessor, target, task, target_mean=0.0, target_scale=1.0):
        self.estimator = estimator
        self.preprocessor = preprocessor
        self.target = target
        self.task = task
        self.target_mean = target_mean
        self.target_scale = target_scale
        self.metrics = {}  # {"training": {name: value}, "validation": {...}}, for the record
        self.read_options = ReadOptions()  # how its data files are read
        self.data = None                   # a Provenance: the training file and its split
        self.stopped = None                # why training stopped, in words
        self.kept_epoch = None             # the epoch whose weights were kept

    def state(self):
        """The target, its scaling, the preprocessing, the recorded metrics, how files are read,
        the training file and how training ended, as plain values: `from_state`'s input, and
        what model files keep besides the estimator."""
        return {"target": str(self.target), "task": self.task,
                "target_mean": float(self.target_mean), "target_scale": float(self.target_scale),
                **self.preprocessor.state(),
                "metrics": {part: dict(values) for part, values in self.metrics.items()},
                "read": self.read_options.state(),
                "data": None if self.data is None else self.data.state(),
                "training": {"stopped": self.stopped, "kept_epoch": self.kept_epoch}}

    @classmethod
    def from_state(cls, estimator, state):
        """The model that `state()` describes, around a fitted estimator; ValueError where the
        two do not agree."""
        from ..estimators import FFNNClassifier

        task = "classification" if isinstance(estimator, FFNNClassifier) else "regression"
        if state["task"] != task:
            raise ValueError(f"task must be {task!r} for {type(estimator).__name__}")
        net = estimator.network_
        if net.D_y != 1 and net.activations[-1].name != "softmax":
            # fit trains on one target column (a softmax over its classes, or one output):
            # a multilabel classifier's or a regressor's several columns of predictions are
            # none of the table's, and evaluate and plot would score them as one
            raise ValueError(f"the estimator predicts {net.D_y} outputs, but a "
                             "table's model predicts one target column")
        if not (np.isfinite(state["target_mean"]) and state["target_scale"] > 0
                and np.isfinite(state["target_scale"])):
            raise ValueError("the target's mean must be finite and its scale positive")
        preprocessor = Preprocessor.from_state(state)
        if state["target"] in preprocessor.columns:
            raise ValueError(f"the target {state['target']!r} is also a feature column")
        if len(preprocessor.feature_names) != estimator.n_features_in_:
            raise ValueError(f"the columns encode {len(preprocessor.feature_names)} features but "
                             f"the network takes {estimator.n_features_in_}")
        if getattr(estimator, "feature_names_in_", None) is not None:
            # predict hands it the encoded matrix, which has no column names
            raise ValueError("the estimator has feature_names_in_, but it takes the encoded "
                             "matrix, whose columns have no names")
        if not set(state["metrics"]) <= {"training", "validation", "test"}:
            raise ValueError("metrics are recorded for training, validation and test rows only")
        for values in state["metrics"].values():
            if not all(_one_line(name, MAX_METRIC_NAME) for name in values):
                raise ValueError(f"a metric's name must be one line of printable text of at most "
                                 f"{MAX_METRIC_NAME} characters")
        model = cls(estimator, preprocessor, state["target"], task, state["target_mean"],
                    state["target_scale"])
        model.metrics = {part: dict(values) for part, values in state["metrics"].items()}
        # Files written before these were recorded lack them: the defaults then hold.
        if state.get("read") is not None:
            model.read_options = _read_options(state["read"], preprocessor.columns)
        if state.get("data") is not None:
            model.data = Provenance.from_state(state["data"])
        model.stopped, model.kept_epoch = _training(state.get("training"), estimator)
        return model

    def features(self, frame, unseen=None, shifts=None):
        """The encoded float matrix of a table (a pandas DataFrame with the training columns);
        `unseen` and `shifts` as in `predict`. The markers of missing values that the model
        records (fit's --na-values) are missing here too, as where the command line reads a
        file: '?' in a column of numbers as text, -999 in a numeric column."""
        if not hasattr(frame, "columns") or not hasattr(frame, "iloc"):
            columns = self.preprocessor.columns
            shown = ", ".join(map(repr, columns[:5])) + (", …" if len(columns) > 5 else "")
            raise ValueError(
                f"this model was trained by 'ffnn fit' on a table and needs its named columns "
                f"({shown}), got {type(frame).__name__}; pass a pandas DataFrame, e.g. "
                "pd.DataFrame(X, columns=model.preprocessor.columns)")
        if self.read_options.na_values:  # on a copy: the caller's frame is left as it is
            text = [name for name, *_ in self.preprocessor.categorical]  # '007' stays '007'
            frame = mark_missing(frame.copy(deep=False), list(self.read_options.na_values),
                                 text=text)
        return self.preprocessor.transform(frame, self.estimator.network_.dtype, unseen, shifts)

    def predict(self, frame, unseen=None, shifts=None):
        """The predictions for the rows of a table (a pandas DataFrame with the training
        columns; others, the target among them, are ignored): the target's values for
        regression, mapped back to its scale (as float64, whatever the network's dtype), or
        class labels. Text values unseen in training are warned of, or counted into the dict
        `unseen`, and numeric columns far from their training values, or counted into `shifts`
        (see `Preprocessor.transform`)."""
        prediction = self.estimator.predict(self.features(frame, unseen, shifts))
        if self.task == "regression":
            # In float64: a float32 network's output is exact enough in standardised units, but
            # mapped back to a target around 1e8, float32 would round it to steps of 8.
            with np.errstate(all="ignore"):  # overflow is reported below, as an error
                prediction = prediction.astype(np.float64) * self.target_scale + self.target_mean
            if not np.isfinite(prediction).all():
                rows = np.flatnonzero(~np.isfinite(prediction).reshape(len(prediction), -1)
                                      .all(axis=1))
                raise DataError(
                    f"the prediction overflowed for {len(rows)} of {len(prediction)} rows "
                    f"(first: row {row_list(rows[:1])}) when mapped back to the "
                    f"target's scale (mean {self.target_mean:g}, scale {self.target_scale:g}): "
                    f"{_overflow_cause(self.preprocessor, frame, rows[0])}")
        return prediction

    def predict_proba(self, frame, unseen=None, shifts=None):
        """The probability of each class (columns in the order of `classes_`) for each row;
        `unseen` and `shifts` as in `predict`."""
        if self.task != "classification":
            raise DataError("probabilities exist only for classification models")
        return self.estimator.predict_proba(self.features(frame, unseen, shifts))

    @property
    def classes_(self):
        return getattr(self.estimator, "classes_", None)

    def score(self, frame, y=None):
        """R² for regression, accuracy for classification (as scikit-learn's `score`), of the
        predictions for a table against `y`, by default the table's own target column."""
        import pandas as pd
        from sklearn.metrics import r2_score

        if y is None:
            if self.target not in frame.columns:
                raise ValueError(f"the table has no target column {self.target!r}; pass y")
            y = frame[self.target]
        y = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y))
        predicted = self.predict(frame)
        if self.task == "regression":
            return float(r2_score(pd.to_numeric(y).to_numpy(np.float64), predicted))
        # a label that is none of the classes counts as an error, as in accuracy_score
        return float(np.mean(class_codes(y, self.classes_) ==
                             class_codes(predicted, self.classes_)))

    def __repr__(self):
        return (f"TabularModel({self.task} of {self.target!r} from "
                f"{len(self.preprocessor.columns)} columns: {self.estimator!r})")


def _read_options(state, columns):
    """ReadOptions from a model file's record; the names of files without a header must name
    every feature column (fit records all the columns of its file)."""
    options = ReadOptions.from_state(state)
    if not options.header and options.names is not None:
        named = set(options.names)
        missing = [c for c in columns if c not in named]
        if missing:
            raise ValueError(f"read.names leave out the feature column(s) "
                             f"{', '.join(map(repr, missing[:5]))}"
                             f"{', …' if len(missing) > 5 else ''}")
    return options


def _training(record, estimator):
    """(stopped, kept_epoch) from a model file's record, checked against the epochs run."""
    if record is None:
        return None, None
    if not isinstance(record, dict) or set(record) != {"stopped", "kept_epoch"}:
        raise ValueError("the training record must give stopped and kept_epoch")
    stopped, kept = record["stopped"], record["kept_epoch"]
    if stopped is not None and not _one_line(stopped, MAX_STOPPED):
        raise ValueError(f"stopped must be one line of printable text of at most {MAX_STOPPED} "
                         "characters")
    if kept is not None and not (type(kept) is int and 1 <= kept <= len(estimator.loss_curve_)):
        raise ValueError("kept_epoch must be one of the epochs trained")
    return stopped, kept


def _one_line(text, limit):
    """Whether `text` is a string of at most `limit` printable characters (no line end, tab or
    other control character)."""
    return isinstance(text, str) and len(text) <= limit and text.isprintable()
