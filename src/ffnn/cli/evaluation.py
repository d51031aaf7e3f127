"""The metrics a user expects of a fitted model: R², RMSE and MAE for regression; accuracy, log
loss, ROC AUC (two classes) and the confusion matrix for classification."""

import numpy as np


def regression_metrics(y_true, y_pred):
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    return {"R²": float(r2_score(y_true, y_pred)),
            "RMSE": float(np.sqrt(mean_squared_error(y_true, y_pred))),
            "MAE": float(mean_absolute_error(y_true, y_pred))}


def classification_metrics(y_true, probabilities, classes):
    """Accuracy, log loss and (two classes) ROC AUC, from probabilities whose columns follow
    `classes`; labels in y_true outside `classes` count as errors."""
    from sklearn.metrics import log_loss, roc_auc_score

    y_true = np.asarray(y_true)
    y_pred = classes[np.argmax(probabilities, axis=1)]
    metrics = {"accuracy": float(np.mean(y_pred == y_true))}
    known = np.isin(y_true, classes)
    if known.any():
        metrics["log loss"] = float(log_loss(y_true[known], probabilities[known], labels=classes))
    if len(classes) == 2 and len(np.unique(y_true[known])) == 2:
        metrics["ROC AUC"] = float(roc_auc_score(y_true[known] == classes[1],
                                                 probabilities[known, 1]))
    return metrics


def confusion(y_true, y_pred, classes):
    """The confusion matrix (rows: true class, columns: predicted class) over `classes`."""
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(y_true, y_pred, labels=classes)


def format_metrics(metrics):
    return "  ".join(f"{name} {value:.4f}" for name, value in metrics.items())


def format_confusion(matrix, classes):
    labels = [str(c) for c in classes]
    width = max(max(len(s) for s in labels), max(len(str(v)) for v in matrix.ravel()), 4)
    lines = [" " * (width + 2) + "predicted"]
    lines.append("true".ljust(width + 2) + " ".join(s.rjust(width) for s in labels))
    for label, row in zip(labels, matrix):
        lines.append(label.rjust(width) + "  " + " ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)
