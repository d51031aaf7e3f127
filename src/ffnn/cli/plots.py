"""Pictures of a model, written with matplotlib's Agg renderer (no display needed), in the format
that the file's suffix names (.png, .svg, .pdf, .jpg).

    loss_curve(model, path, source)     training loss per epoch, validation loss and score, and
                                        the epoch whose weights were kept
    network(model, path)                the chapter's drawing of the network (see `drawing`)

and, in `fit_plots`, how a model's predictions fit a table's targets.
"""

from pathlib import Path

import numpy as np

from ..rounding import fixed
from ..summary import inner_estimator, trained_count
from ..tabular.values import counted
from . import drawing
from .outputs import whole_file
from .parser import UsageError
from .stopping import unit_of

POSITIVE, NEGATIVE = drawing.POSITIVE, drawing.NEGATIVE
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", "": "png"}


def check_format(path, kind="fit"):
    """Refuse, before any work, a file name whose suffix names no format we write, and '-',
    which predict reads as standard output but which would here name a file."""
    if str(path) == "-":
        raise UsageError(f"-o -: plot writes an image file, not standard output; give a file "
                         f"name, such as {kind}.png")
    if Path(path).suffix.lower() not in FORMATS:
        raise UsageError(f"-o {path}: cannot write {Path(path).suffix!r} files; use .png, .svg, "
                         ".pdf or .jpg")


def figure(width, height):
    """A matplotlib Figure of `width` × `height` inches, drawn by Agg, on no display."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _check_fitted(model, what):
    """NotFittedError, as scikit-learn raises it, for an estimator not fitted yet."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    est = inner_estimator(model)
    if not hasattr(est, "fit"):  # a Network: nothing to fit
        return
    try:  # (any estimator: scikit-learn's, fitted with adam, keeps a loss curve too)
        check_is_fitted(est)
    except NotFittedError:
        raise NotFittedError(f"this {type(est).__name__} is not fitted yet: it has no {what} to "
                             "plot; call fit first") from None


def save_figure(fig, path):
    """Write the image whole (a plot interrupted half-way leaves the earlier image, or none)."""
    with whole_file(path) as handle:
        fig.savefig(handle, format=FORMATS.get(Path(path).suffix.lower(), "png"))
    return path


def loss_curve(model, path, source=None):  # source: the model file, named where it has no curve
    _check_fitted(model, "loss curve")
    est = inner_estimator(model)
    curve = getattr(est, "loss_curve_", None)
    if not curve and getattr(est, "interrupted_", None) is not None:  # (the curve exists)
        raise ValueError(f"this {type(est).__name__} recorded no loss: its fit was interrupted "
                         f"during {unit_of(est.solver)} {est.interrupted_}, before recording one; "
                         "fit it again to plot its loss curve")
    if not curve:
        held = f"{source} holds a {type(est).__name__}, which" if source else f"a {type(est).__name__}"
        raise ValueError(f"{held} keeps no loss curve: plot that of a fitted FFNNRegressor or "
                         "FFNNClassifier, or of a model 'ffnn fit' wrote (--kind network draws any)")
    unit = unit_of(est.solver)
    metric = "accuracy" if hasattr(est, "classes_") else "R²"
    standardised = getattr(model, "task", None) == "regression"
    fig = figure(7.5, 4.6)
    ax = fig.add_subplot()
    epochs = np.arange(1, len(curve) + 1)
    dot = {"marker": "o"} if len(curve) == 1 else {}  # a line through one point draws nothing
    ax.plot(epochs, curve, color=POSITIVE, label="training loss (with the L2 penalty)", **dot)
    # (scikit-learn's estimators keep validation scores, with early stopping, but no losses)
    validation_losses = getattr(est, "validation_loss_curve_", None)
    validation_scores = getattr(est, "validation_scores_", None)
    if validation_losses:
        ax.plot(epochs[-len(validation_losses):], validation_losses, color=NEGATIVE,
                label="validation loss", **dot)
    ax.set_xlabel(unit)
    # no epoch 1.5 in a short training, nor 0.96 in one of one epoch
    ax.xaxis.get_major_locator().set_params(integer=True, min_n_ticks=1)
    ax.set_ylabel("loss, in units of the standardised target" if standardised else "loss")
    positive = [v for v in curve if v is not None and v > 0]
    if positive and max(positive) / min(positive) > 100:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    lines = ax.get_lines()
    if validation_scores:
        score_axis = ax.twinx()
        score_axis.plot(epochs[-len(validation_scores):], validation_scores,
                        color="#2ca02c", linestyle="--", label=f"validation {metric}", **dot)
        score_axis.set_ylabel(f"validation {metric}")
        lines = lines + score_axis.get_lines()
    kept = getattr(model, "kept_epoch", None)
    if kept is not None:
        lines.append(ax.axvline(kept, color="black", linestyle=":", linewidth=1.2,
                                label=f"weights kept ({unit} {kept})"))
    fig.legend(lines, [line.get_label() for line in lines], loc="outside lower center",
               ncol=min(len(lines), 4), fontsize=8, frameon=False)
    scored = [v for v in validation_scores or [] if np.isfinite(v)]  # NaN: not scored
    # (not len(curve): a warm L-BFGS run that made no iteration records its starting loss)
    ax.set_title(f"Training: {est.solver}, {counted(trained_count(est), unit)}"
                 + (f", best validation {metric} {fixed(max(scored))}" if scored else ""))
    return save_figure(fig, path)


def network(model, path, input_names=None):
    _check_fitted(model, "network")
    return drawing.network(model, path, input_names, figure, save_figure)
