"""How a model's predictions fit a table's targets, drawn as `plots` draws (same formats):

    fit(y_true, y_pred, path, ...)      predicted against observed (regression), or the
                                        confusion matrix and ROC curves (classification), rows
                                        told apart by their part in training where known
    table_fit(model, frame, path, source, roles)
                                        the same for a command-line model and a table that has
                                        its target column
"""

import sys
from pathlib import Path

import numpy as np

from ..exceptions import DataError
from ..rounding import fixed
from ..tabular import class_codes
from ..tabular.values import counted
from . import drawing
from .evaluation import confusion, regression_metrics, unknown_counts, unknown_labels
from .heldout import PARTS
from .plots import figure, save_figure
from .targets import numeric_target, target_column

# Each part of the rows in its own colour; held-out rows are drawn over the training ones.
PART_STYLE = {"training": ("#9e9e9e", "training rows"), "validation": ("#ff7f0e",
              "validation rows"), "test": ("#2ca02c", "test rows"), None: (drawing.POSITIVE, "rows"),
              "seen": ("#9e9e9e", "rows seen in training"), "unseen": ("#2ca02c", "rows never seen")}
# The parts from the most honest score to the least: rows that chose nothing, then rows that
# chose the epoch kept, then rows that trained the network.
HONEST_FIRST = ("test", "unseen", "validation", "training", "seen")
LINE_STYLES = ["-", "--", "-.", ":"]


def fit(y_true, y_pred, path, probabilities=None, classes=None, target="y", roles=None,
        source=None):
    """Predicted against observed (regression), or the confusion matrix and ROC curves
    (classification). `roles` gives each row's part (`heldout.PARTS`: "training", "validation",
    "test" of the training file; "seen", "unseen" of another), or None when not known. One
    target: the outputs of a multi-output or multilabel model are drawn one at a time."""
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        shape = np.shape(values)
        if len(shape) > 1 and np.prod(shape[1:]) > 1:
            raise ValueError(f"fit draws one target, but {name} has {np.prod(shape[1:])} columns; "
                             "draw each output apart: fit(y_true[:, k], y_pred[:, k], path, ...)")
    if classes is not None and probabilities is None:
        raise ValueError("fit of classes needs their probabilities for the ROC curves: pass "
                         "probabilities=model.predict_proba(X)")
    if classes is None:
        return _regression_fit(np.asarray(y_true, float).ravel(),
                               np.asarray(y_pred, float).ravel(), path, target, roles, source)
    classes = np.asarray(classes)
    return _classification_fit(class_codes(y_true, classes), class_codes(y_pred, classes),
                               probabilities, classes, path, target, roles, source)


def _parts(roles, n):
    """[(part, row mask)] of the rows, training first; [(None, all)] when parts are unknown."""
    if roles is None:
        return [(None, np.ones(n, dtype=bool))]
    return [(part, roles == part) for part in PARTS if (roles == part).any()]


def _regression_fit(y_true, y_pred, path, target, roles, source):
    target = drawing.literal(target)  # names from a file are drawn as written
    fig = figure(6.2, 5.6)
    ax = fig.add_subplot()
    scores = []
    for part, mask in _parts(roles, len(y_true)):
        colour, label = PART_STYLE[part]
        r2 = regression_metrics(y_true[mask], y_pred[mask])["R²"] if mask.sum() > 1 else np.nan
        ax.scatter(y_true[mask], y_pred[mask], s=14,
                   alpha=0.55 if part in ("training", "seen") else 0.8,
                   color=colour, edgecolor="none", label=f"{label} ({mask.sum()}): R² {_r2_shown(r2)}")
        scores.append((part, r2))
    low, high = min(y_true.min(), y_pred.min()), max(y_true.max(), y_pred.max())
    ax.plot([low, high], [low, high], color="black", linewidth=1, label="predicted = observed")
    ax.set_xlabel(f"observed {target}")
    ax.set_ylabel(f"predicted {target}")
    if roles is None:
        headline = f"R² {_r2_shown(scores[0][1])} on {counted(len(y_true), 'row')}" + (
            f" of {drawing.literal(Path(source).name)}" if source else "")
    else:  # the most honest score first: test rows, then validation rows, then training rows
        by_part = dict(scores)
        headline = ", ".join(f"{_r2_shown(by_part[part])} on {PART_STYLE[part][1]}"
                             for part in HONEST_FIRST if part in by_part)
        headline = "R² " + headline
    ax.set_title(f"{target}: predicted against observed\n{headline}", fontsize=11)
    # Below the axes, not inside: a point may lie in any corner (the upper left holds the
    # lowest observed value predicted high), and a legend there would hide it.
    fig.legend(loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)


def _r2_shown(r2):
    """R² to three decimals, or "not defined" for NaN (a single row)."""
    return "not defined" if np.isnan(r2) else fixed(r2, 3)


def _classification_fit(y_true, y_pred, probabilities, classes, path, target, roles, source):
    """y_true and y_pred are class indices (`class_codes`), -1 for a label none of the classes."""
    target = drawing.literal(target)  # names and labels from a file are drawn as written
    from sklearn.metrics import roc_curve

    fig = figure(11.5, 5.2)
    left, right = fig.subplots(1, 2)
    # The matrix counts the most honest rows there are: the test rows (never used in training),
    # or rows never seen, or else the validation rows (which chose the epoch), or else every
    # row, named as the part it is where it is one.
    parts = dict(_parts(roles, len(y_true)))
    shown = next((part for part in HONEST_FIRST[:3] if part in parts), None)
    if shown is None and len(parts) == 1 and None not in parts:  # one part, which trained it
        shown = next(iter(parts))
    rows = parts[shown] if shown else np.ones(len(y_true), dtype=bool)
    which = PART_STYLE[shown][1] if shown else "all rows"
    matrix = confusion(y_true[rows], y_pred[rows], len(classes))
    if not matrix[-1].any():  # the row of labels that are none of the classes
        matrix = matrix[:-1]
    left.imshow(matrix, cmap="Blues")
    # cut in the middle: classes that share a beginning (grade_1, grade_2) differ at the end
    labels = [drawing.literal(drawing.short(str(c))) for c in classes]
    left.set_xticks(range(len(classes)), labels, rotation=45 if len(classes) > 4 else 0)
    left.set_yticks(range(len(matrix)), (labels + ["other"])[:len(matrix)])
    left.set_xlabel(f"predicted {target}")
    left.set_ylabel(f"true {target}")
    accuracy = float(np.mean(y_true[rows] == y_pred[rows]))
    left.set_title(f"Confusion matrix, {which} ({rows.sum()}): accuracy {fixed(accuracy, 3)}",
                   fontsize=10)
    threshold = matrix.max() / 2
    for (i, j), count in np.ndenumerate(matrix):
        left.text(j, i, str(count), ha="center", va="center",
                  color="white" if count > threshold else "black")
    curves = []  # (label, positives, scores): one per class, or per part for two classes
    known = y_true >= 0  # a label that is none of the classes is on no curve
    if len(classes) == 2 and shown:
        for part in HONEST_FIRST:
            if part in parts:
                mask = parts[part] & known
                curves.append((PART_STYLE[part][1], y_true[mask] == 1, probabilities[mask, 1]))
    elif len(classes) == 2:
        curves.append((labels[1], y_true[known] == 1, probabilities[known, 1]))
    else:
        for k in range(min(len(classes), 10)):
            mask = rows & known
            curves.append((labels[k], y_true[mask] == k, probabilities[mask, k]))
    for n, (label, positive, score) in enumerate(curves):
        if positive.all() or not positive.any():
            continue
        fpr, tpr, _ = roc_curve(positive, score)
        area = np.trapezoid(tpr, fpr) if hasattr(np, "trapezoid") else np.trapz(tpr, fpr)
        # Curves near the corner overlap: line styles keep each visible.
        right.plot(fpr, tpr, linestyle=LINE_STYLES[n % 4], linewidth=2.2 - 0.3 * (n % 4),
                   label=f"{label} (AUC {fixed(area, 3)})")
    right.plot([0, 1], [0, 1], color="gray", linestyle=":", linewidth=1)
    right.set_xlabel("false positive rate")
    right.set_ylabel("true positive rate")
    first = f"the first 10 of {len(classes)} classes, " if len(classes) > 10 else ""
    right.set_title((f"ROC curve of {target} = {labels[1]}" if len(classes) == 2 else
                     f"ROC curves, one class against the rest ({first}{which})"), fontsize=10)
    right.legend(loc="lower right", fontsize=8)
    right.grid(alpha=0.3)
    if source:
        fig.suptitle(f"{target} on {drawing.literal(Path(source).name)}", fontsize=11)
    return save_figure(fig, path)


def table_fit(model, frame, path, source, roles=None, table=None):
    """Draw how a command-line model fits a table that has its target column. `source` names the
    table in errors; `roles` gives each row's part in training, where known; `table`, the file
    as read, lets an error name the words read as missing labels."""
    y = target_column(frame, model.target, source, model.preprocessor.columns, table=table)
    read = model.read_options
    # A file without a header (nor --names) names its columns by position: "predicted 10"
    # would read as a number, so the axes say "column 10".
    names = read.names or []
    by_position = not read.header and names == [str(k) for k in range(len(names))]
    target = f"column {model.target}" if by_position else model.target
    try:
        if model.task == "regression":
            return fit(numeric_target(y, model.target, None), model.predict(frame), path,
                       target=target, roles=roles, source=source)
        P = model.predict_proba(frame)
    except DataError as error:
        raise DataError(f"{source}: {error}") from None
    classes = np.asarray(model.classes_)
    codes = class_codes(y, classes)
    note = unknown_labels(unknown_counts(y, codes), len(y), classes, source, model.target)
    if note:
        print(note, file=sys.stderr)
    return _classification_fit(codes, P.argmax(axis=1), P, classes, path, target, roles, source)
