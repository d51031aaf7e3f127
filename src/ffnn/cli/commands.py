"""The commands besides `fit`: predict, evaluate, summary, plot and demo, and the helpers they
share for reading a target column."""

import sys
from pathlib import Path

import numpy as np

from ..exceptions import ModelFileError
from ..tabular import DataError


class UsageError(Exception):
    """A bad command line; reported in one line with exit status 2."""




def command_fit(args):
    from .fit import fit_table

    return fit_table(args)


def command_predict(args):
    from ..datafiles import read_table

    model = _load_tabular(args.model)
    frame = read_table(args.data)
    keep = args.keep or []
    missing = [c for c in keep if c not in frame.columns]
    if missing:
        raise DataError(f"{args.data}: --keep column(s) {', '.join(map(repr, missing))} not found")
    try:
        columns = {name: frame[name].to_numpy() for name in keep}
        if args.proba:
            P = model.predict_proba(frame)
            for k, label in enumerate(model.classes_):
                columns[f"proba_{label}"] = P[:, k]
        prediction = model.predict(frame)
    except DataError as error:
        raise DataError(f"{args.data}: {error}") from None
    if prediction.ndim == 1:
        columns[model.target] = prediction
    else:
        for k in range(prediction.shape[1]):
            columns[f"{model.target}_{k}"] = prediction[:, k]
    import pandas as pd

    table = pd.DataFrame(columns)
    if args.output:
        table.to_csv(args.output, index=False)
        print(f"wrote {len(table)} predictions to {args.output}", file=sys.stderr)
    else:
        table.to_csv(sys.stdout, index=False)
    return 0


def command_evaluate(args):
    from ..datafiles import read_table
    from ..evaluation import (
        classification_metrics,
        confusion,
        format_confusion,
        format_metrics,
        regression_metrics,
    )

    model = _load_tabular(args.model)
    frame = read_table(args.data)
    y = _target(frame, model.target, args.data)
    try:
        if model.task == "regression":
            metrics = regression_metrics(_numeric_target(y, model.target, args.data),
                                         model.predict(frame))
            print(f"{args.data}: {len(frame)} rows")
            print(format_metrics(metrics))
            return 0
        P = model.predict_proba(frame)
    except DataError as error:
        raise DataError(f"{args.data}: {error}") from None
    classes = model.classes_
    labels = _labels_like(y, classes)
    metrics = classification_metrics(labels, P, classes)
    print(f"{args.data}: {len(frame)} rows")
    print(format_metrics(metrics))
    print("confusion matrix:")
    print(format_confusion(confusion(labels, classes[P.argmax(axis=1)], classes), classes))
    return 0


def command_summary(args):
    from ..persistence import load
    from ..summary import summary

    model = load(args.model)
    print(summary(model))
    tabular = getattr(model, "preprocessor", None)
    if tabular is not None:
        print(f"task: {model.task}, target column {model.target!r}")
        numeric = ", ".join(n for n, *_ in tabular.numeric) or "none"
        print(f"numeric columns (standardised): {numeric}")
        for name, categories, _ in tabular.categorical:
            print(f"categorical column {name!r}: one-hot over {len(categories)} values")
        if tabular.impute:
            print("missing values: imputed (mean, or most frequent value)")
        if model.task == "classification":
            print(f"classes: {', '.join(map(str, model.classes_))}")
        for part, values in model.metrics.items():
            print(f"{part} metrics: " + "  ".join(f"{k} {v:.4f}" for k, v in values.items()
                                                   if v is not None))
    estimator = getattr(model, "estimator", model)
    if hasattr(estimator, "get_params"):
        p = estimator.get_params()
        print(f"settings: hidden {p['hidden_layer_sizes']}, activation {p['activation']}, "
              f"solver {p['solver']}, learning rate {p['learning_rate_init']}, alpha {p['alpha']},"
              f" batch size {p['batch_size']}, max epochs {p['max_iter']}, "
              f"seed {p['random_state']}")
    return 0


def command_plot(args):
    from .. import plots
    from ..persistence import load

    model = load(args.model)
    output = Path(args.output)
    if args.kind == "loss":
        plots.loss_curve(model, output)
    elif args.kind == "network":
        plots.network(model, output)
    else:
        if args.data is None:
            raise UsageError("--kind fit needs --data DATA (a table with the target column)")
        from ..datafiles import read_table

        plot_table_fit(_require_tabular(model, args.model), read_table(args.data), output,
                       args.data)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def plot_table_fit(model, frame, output, source):
    """Draw how a command-line model fits a table that has its target column: predicted against
    observed, or the confusion matrix and ROC curves. `source` names the table in errors."""
    from .. import plots

    y = _target(frame, model.target, source)
    try:
        if model.task == "regression":
            plots.fit(model, _numeric_target(y, model.target, source), model.predict(frame),
                      output)
        else:
            P = model.predict_proba(frame)
            plots.fit(model, _labels_like(y, model.classes_), model.classes_[P.argmax(axis=1)],
                      output, probabilities=P, classes=model.classes_)
    except DataError as error:
        raise DataError(f"{source}: {error}") from None


def command_demo(args):
    from ..demo import run_demo

    return run_demo(Path(args.out), quiet=args.quiet)


# -- helpers --------------------------------------------------------------------------------


def _load_tabular(path):
    from ..persistence import load

    return _require_tabular(load(path), path)


def _require_tabular(model, path):
    if not hasattr(model, "preprocessor"):
        raise ModelFileError(f"{path}: holds a {type(model).__name__}, not a model trained by "
                             "'ffnn fit'; predict from Python with ffnn.load(path).predict(X)")
    return model


def _target(frame, target, path):
    if target not in frame.columns:
        raise DataError(f"{path}: the target column {target!r} is not in the data; columns are "
                        f"{', '.join(map(str, frame.columns[:20]))}")
    y = frame[target]
    if y.isna().all():
        raise DataError(f"{path}: the target column {target!r} has no values (all {len(y)} are "
                        "missing)")
    if y.isna().any():
        rows = np.flatnonzero(y.isna().to_numpy())
        raise DataError(f"{path}: the target column {target!r} is missing in {len(rows)} row(s) "
                        f"(first: row {rows[0] + 1}); drop those rows")
    return y


def _numeric_target(y, target, path):
    import pandas as pd

    values = pd.to_numeric(y, errors="coerce")
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise DataError(f"{path}: the target column {target!r} is not numeric (row {row + 1}: "
                        f"{y.iloc[row]!r})")
    return values.to_numpy(dtype=np.float64)


def _labels_like(y, classes):
    """The labels of a target column, converted to the dtype of the model's classes."""
    values = y.to_numpy()
    if classes.dtype.kind in "iub":
        try:
            return values.astype(classes.dtype)
        except (ValueError, TypeError):
            return values.astype(str)
    if classes.dtype.kind == "f":
        try:
            return values.astype(np.float64)
        except (ValueError, TypeError):
            return values.astype(str)
    return values.astype(str).astype(classes.dtype) if classes.dtype.kind == "U" else values
