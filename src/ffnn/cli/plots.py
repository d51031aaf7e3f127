"""Pictures of a model, written as PNG files (matplotlib's Agg renderer; no display needed).

    loss_curve(model, path)             training loss per epoch, and validation loss and score
    network(model, path)                the chapter's drawing: neurons as circles in columns, edges
                                        coloured by the weight's sign, as thick as it is large
    fit(model, y_true, y_pred, proba, path)
                                        predicted against observed (regression), or the
                                        confusion matrix and ROC curves (classification)
    table_fit(model, frame, path, source)
                                        the same for a command-line model and a table that has
                                        its target column
"""

import numpy as np

from ..exceptions import DataError
from ..summary import network_of
from .targets import labels_like, numeric_target, target_column

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"
MAX_DRAWN = 12  # neurons drawn per layer; larger layers show their ends and an ellipsis


def _figure(width, height):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _estimator(model):
    return getattr(model, "estimator", model)


def _save(fig, path):
    fig.savefig(path, format="png")
    return path


def loss_curve(model, path):
    est = _estimator(model)
    curve = getattr(est, "loss_curve_", None)
    if not curve:
        raise ValueError("the model has no loss curve to plot (it was not trained by ffnn)")
    fig = _figure(7, 4.2)
    ax = fig.add_subplot()
    epochs = np.arange(1, len(curve) + 1)
    ax.plot(epochs, curve, color=POSITIVE, label="training objective")
    if est.validation_loss_curve_:
        ax.plot(epochs[-len(est.validation_loss_curve_):], est.validation_loss_curve_,
                color=NEGATIVE, label="validation loss")
    ax.set_xlabel("iteration" if est.solver == "lbfgs" else "epoch")
    ax.set_ylabel("loss")
    positive = [v for v in curve if v is not None and v > 0]
    if positive and max(positive) / min(positive) > 100:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    if est.validation_scores_:
        score_axis = ax.twinx()
        score_axis.plot(epochs[-len(est.validation_scores_):], est.validation_scores_,
                        color="#2ca02c", linestyle="--", label="validation score")
        score_axis.set_ylabel("validation score (accuracy or R²)")
        lines = ax.get_lines() + score_axis.get_lines()
        ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    else:
        ax.legend(loc="upper right")
    ax.set_title("Training")
    return _save(fig, path)


def _drawn(D):
    """Indices of the neurons drawn for a layer of D neurons, with None marking an ellipsis."""
    if D <= MAX_DRAWN:
        return list(range(D))
    half = (MAX_DRAWN - 1) // 2
    return list(range(half)) + [None] + list(range(D - half, D))


def network(model, path, input_names=None):
    net = network_of(model)
    est = _estimator(model)
    if input_names is None and hasattr(est, "feature_names_in_"):
        input_names = [str(n) for n in est.feature_names_in_]
    columns = [_drawn(D) for D in net.layer_sizes]
    tallest = max(len(c) for c in columns)
    fig = _figure(2.2 * len(columns) + 1.5, max(3.0, 0.45 * tallest + 1.5))
    ax = fig.add_subplot()
    ax.set_axis_off()

    def y_of(column, k):
        return (len(column) - 1) / 2 - k

    weights = [np.abs(layer.W) for layer in net.layers]
    largest = max(float(w.max()) for w in weights) or 1.0
    for ell, layer in enumerate(net.layers):
        left, right = columns[ell], columns[ell + 1]
        for a, i in enumerate(left):
            for b, j in enumerate(right):
                if i is None or j is None:
                    continue
                w = layer.W[j, i]
                ax.plot([ell, ell + 1], [y_of(left, a), y_of(right, b)],
                        color=POSITIVE if w >= 0 else NEGATIVE,
                        linewidth=0.3 + 3.0 * abs(w) / largest,
                        alpha=0.25 + 0.6 * abs(w) / largest, zorder=1)
    names = ["input"] + [f"hidden {k}" for k in range(1, len(net.layers))] + ["output"]
    for ell, column in enumerate(columns):
        activation = "" if ell == 0 else f"\n{net.activations[ell - 1].name}"
        ax.text(ell, (tallest - 1) / 2 + 1.0, f"{names[ell]} ({net.layer_sizes[ell]}){activation}",
                ha="center", va="bottom", fontsize=9)
        for k, index in enumerate(column):
            y = y_of(column, k)
            if index is None:
                ax.text(ell, y, "⋮", ha="center", va="center", fontsize=14)
                continue
            ax.scatter([ell], [y], s=260, facecolor="white", edgecolor="black", zorder=2)
            if ell == 0 and input_names is not None and index < len(input_names):
                ax.text(ell - 0.15, y, input_names[index][:18], ha="right", va="center",
                        fontsize=7)
    ax.plot([], [], color=POSITIVE, label="positive weight")
    ax.plot([], [], color=NEGATIVE, label="negative weight")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False, fontsize=8)
    ax.set_xlim(-1.2, len(columns) - 0.5)
    ax.set_ylim(-(tallest - 1) / 2 - 1.0, (tallest - 1) / 2 + 2.0)
    return _save(fig, path)


def fit(model, y_true, y_pred, path, probabilities=None, classes=None):
    """Predicted against observed for regression; confusion matrix and ROC for classification."""
    if classes is None:
        fig = _figure(5.5, 5.2)
        ax = fig.add_subplot()
        y_true, y_pred = np.asarray(y_true, float).ravel(), np.asarray(y_pred, float).ravel()
        ax.scatter(y_true, y_pred, s=12, alpha=0.6, color=POSITIVE, edgecolor="none")
        low, high = min(y_true.min(), y_pred.min()), max(y_true.max(), y_pred.max())
        ax.plot([low, high], [low, high], color="black", linewidth=1, label="ŷ = y")
        ax.set_xlabel("observed y")
        ax.set_ylabel("predicted ŷ")
        ax.set_title("Predicted against observed")
        ax.legend(loc="upper left")
        ax.grid(alpha=0.3)
        return _save(fig, path)
    return _classification_fit(y_true, y_pred, probabilities, classes, path)


def _classification_fit(y_true, y_pred, probabilities, classes, path):
    from sklearn.metrics import confusion_matrix, roc_curve

    fig = _figure(11, 4.8)
    left, right = fig.subplots(1, 2)
    matrix = confusion_matrix(y_true, y_pred, labels=classes)
    left.imshow(matrix, cmap="Blues")
    labels = [str(c)[:12] for c in classes]
    left.set_xticks(range(len(classes)), labels, rotation=45 if len(classes) > 4 else 0)
    left.set_yticks(range(len(classes)), labels)
    left.set_xlabel("predicted class")
    left.set_ylabel("true class")
    left.set_title("Confusion matrix")
    threshold = matrix.max() / 2
    for (i, j), count in np.ndenumerate(matrix):
        left.text(j, i, str(count), ha="center", va="center",
                  color="white" if count > threshold else "black")
    y_true = np.asarray(y_true)
    shown = [1] if len(classes) == 2 else range(min(len(classes), 10))
    for k in shown:
        positive = y_true == classes[k]
        if positive.all() or not positive.any():
            continue
        fpr, tpr, _ = roc_curve(positive, probabilities[:, k])
        area = np.trapezoid(tpr, fpr) if hasattr(np, "trapezoid") else np.trapz(tpr, fpr)
        right.plot(fpr, tpr, label=f"{labels[k]} (AUC {area:.3f})")
    right.plot([0, 1], [0, 1], color="gray", linestyle=":", linewidth=1)
    right.set_xlabel("false positive rate")
    right.set_ylabel("true positive rate")
    right.set_title("ROC curve" + ("" if len(classes) == 2 else "s (one class against the rest)"))
    right.legend(loc="lower right", fontsize=8)
    right.grid(alpha=0.3)
    return _save(fig, path)


def table_fit(model, frame, path, source):
    """Draw how a command-line model fits a table that has its target column. `source` names the
    table in errors."""
    y = target_column(frame, model.target, source)
    try:
        if model.task == "regression":
            return fit(model, numeric_target(y, model.target, source), model.predict(frame), path)
        P = model.predict_proba(frame)
        return fit(model, labels_like(y, model.classes_), model.classes_[P.argmax(axis=1)], path,
                   probabilities=P, classes=model.classes_)
    except DataError as error:
        raise DataError(f"{source}: {error}") from None
