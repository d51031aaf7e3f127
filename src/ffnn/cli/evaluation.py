"""The metrics a user expects of a fitted model: R², RMSE and MAE for regression; accuracy, log
loss, ROC AUC (two classes) and the confusion matrix for classification."""

import sys

import numpy as np

from ..exceptions import DataError
from ..rounding import fixed
from ..tabular.unseen import listed_counts
from .targets import label_key


def regression_metrics(y_true, y_pred):
    """R², RMSE and MAE, as scikit-learn's metrics give them (R² NaN on a single row; on rows
    whose observed values are all equal, its convention: 1 for exact predictions, else 0)."""
    from sklearn.metrics import mean_absolute_error, mean_squared_error

    from ..estimators.scores import r2

    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return {"R²": r2(y_true, y_pred),
            "RMSE": float(np.sqrt(mean_squared_error(y_true, y_pred))),
            "MAE": float(mean_absolute_error(y_true, y_pred))}


def classification_metrics(codes, probabilities, classes):
    """Accuracy, log loss and (two classes) ROC AUC of probabilities whose columns follow
    `classes`, against true labels given as class indices (`tabular.class_codes`): a label that
    is none of the classes (-1) counts as an error in the accuracy and is left out of the log
    loss and ROC AUC, which need a class (`unknown_labels` says so)."""
    from sklearn.metrics import log_loss, roc_auc_score

    codes = np.asarray(codes)
    metrics = {"accuracy": float(np.mean(np.argmax(probabilities, axis=1) == codes))}
    known = codes >= 0
    if known.any():
        metrics["log loss"] = float(log_loss(codes[known], probabilities[known],
                                             labels=np.arange(len(classes))))
    if len(classes) == 2 and len(np.unique(codes[known])) == 2:
        metrics["ROC AUC"] = float(roc_auc_score(codes[known] == 1, probabilities[known, 1]))
    return metrics


def missing_metrics(metrics, classes=None):
    """A note on the metrics a table's rows leave undefined, or None: R² on a single row, ROC
    AUC where the rows hold one class of two."""
    if "R²" in metrics and np.isnan(metrics["R²"]):
        return ("note: R² is not defined on a single row: it compares the errors with the "
                "spread of the observed values; RMSE and MAE are both the row's absolute error")
    if classes is not None and len(classes) == 2 and "ROC AUC" not in metrics \
            and "log loss" in metrics:
        return "note: ROC AUC needs rows of both classes; these rows hold one"
    return None


def say_metrics(metrics, classes=None, stream=None):
    """Print fit's line of metrics for each part of the rows ({part: {name: value}}) on standard
    output, and on `stream` (stderr) the notes on those they leave undefined, as evaluate says
    them of a file's rows."""
    for part, values in metrics.items():
        print(f"{part + ':':<12}{format_metrics(values)}")
    for part, values in metrics.items():
        undefined = missing_metrics(values, classes)
        if undefined:
            print(undefined.replace("note: ", f"note: {part} rows: ", 1),
                  file=stream if stream is not None else sys.stderr)


def confusion(codes, predicted, n_classes):
    """The confusion matrix (rows: true class, columns: predicted class, both as class indices)
    with one more row, last, for the rows whose label is none of the classes."""
    codes, predicted = np.asarray(codes), np.asarray(predicted)
    matrix = np.zeros((n_classes + 1, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.where(codes >= 0, codes, n_classes), predicted), 1)
    return matrix


def unknown_counts(y, codes):
    """{label: rows} of the labels in y (a Series) that are none of the classes (codes -1)."""
    unknown = np.asarray(codes) < 0
    return y[unknown].astype(str).value_counts().to_dict() if unknown.any() else {}


def unknown_labels(counts, n_rows, classes, source, target, ranked=True):
    """What to say of the labels that are none of the model's classes, given as {label: rows}
    over n_rows rows: None where there are none; DataError where no label is a class (no number
    would mean anything); else a note naming them and what the metrics make of them (ROC AUC
    among them where `ranked`: not on a cluster, which computes none, nor for evaluate's
    three classes or more, for which it prints none)."""
    if not counts:
        return None
    shown = listed_counts(dict(sorted(counts.items(), key=lambda item: -item[1])))
    unknown = sum(counts.values())
    spaced = _spaced(counts, classes)
    if unknown == n_rows:
        names = labels_shown(classes)
        raise DataError(f"{source}: the target column {target!r} holds labels {shown}; none is "
                        f"one of the model's classes ({names}){spaced}")
    return (f"note: {unknown} of {n_rows} rows have labels that are none of the model's "
            f"classes: {shown}{spaced}; they count as errors in the accuracy, the log loss "
            f"{'and ROC AUC are' if ranked else 'is'} over the other {n_rows - unknown} rows, "
            "and the confusion matrix shows them as 'other'")


def _spaced(counts, classes):
    """" (… differ from classes only by spaces around them or by case …)" where some labels
    do, or ""."""
    by_text = {label_key(str(c)): str(c) for c in classes if isinstance(c, str)}
    pairs = [(str(label), by_text[label_key(str(label))]) for label in counts
             if isinstance(label, str) and label_key(str(label)) in by_text]
    if not pairs:
        return ""
    shown = ", ".join(f"{label!r} for {cls!r}" for label, cls in pairs[:3])
    if any(label.strip() != cls.strip() for label, cls in pairs):
        return (f" ({shown}: they differ from the classes only by case or spaces around them; "
                "spell them as the model's classes are spelled)")
    fix = ("strip them in the file" if any(label != label.strip() for label, _ in pairs) else
           "the model's classes hold them (it was trained on labels with spaces): write the "
           "labels so, or train again on labels without them")
    return f" ({shown}: they differ from the classes only by spaces around them; {fix})"


def labels_shown(classes, limit=10):
    """A model's classes for a message: numbers as they are (0, 1), text quoted ('setosa ',
    so that spaces show), the first `limit` of them (None: all)."""
    shown = [repr(c.item() if isinstance(c, np.generic) else c) for c in
             list(classes)[:limit]]
    return ", ".join(shown) + (", …" if limit is not None and len(classes) > limit else "")


def printable(text):
    """`text` with its control characters (line ends, a terminal's escape sequences) escaped as
    Python writes them ('\\x1b'): names read from a model file or a table are printed with it."""
    text = str(text)
    return text if text.isprintable() else "".join(
        c if c.isprintable() else repr(c)[1:-1] for c in text)


def format_metrics(metrics):
    return "  ".join(f"{name} {format_value(value)}" for name, value in metrics.items())


def format_value(value):
    """A metric in four decimals, as `rounding.fixed` writes them (never 1.0000 for 0.99996,
    nor 0.0000 for an RMSE in millionths)."""
    return fixed(value, 4)


def format_confusion(matrix, classes):
    """The matrix of `confusion` as text; its last row, of labels that are none of the classes,
    only where it counts some. Labels are `printable`: a line end inside one would break the
    table's rows."""
    labels = [printable(c) for c in classes]
    rows = labels + ["other"]  # no column for "other": nothing predicts it
    if len(matrix) > len(classes) and not matrix[-1].any():
        matrix = matrix[:-1]
    width = max(max(len(s) for s in rows), max(len(str(v)) for v in matrix.ravel()), 4)
    lines = [" " * (width + 2) + "predicted"]
    lines.append("true".ljust(width + 2) + " ".join(s.rjust(width) for s in labels))
    for label, row in zip(rows, matrix):
        lines.append(label.rjust(width) + "  " + " ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)
