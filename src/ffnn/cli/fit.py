"""`ffnn fit`: read a table, hold out validation rows, learn the preprocessing on the training
rows, train with progress, report metrics and save the model (never a partial one)."""

import sys

import numpy as np

from ..exceptions import DataError
from ..persistence import save
from ..tabular import Preprocessor, TabularModel, infer_task, read_table
from ..training import suggested_learning_rate
from .evaluation import classification_metrics, format_metrics, regression_metrics
from .progress import Progress
from .targets import numeric_target, target_column


def fit_table(args):
    path = args.data
    frame = read_table(path)
    if args.target not in frame.columns:
        raise DataError(f"{path}: no column {args.target!r}; the columns are "
                        f"{', '.join(map(str, frame.columns[:20]))}")
    unknown = [c for c in args.drop if c not in frame.columns]
    if unknown:
        raise DataError(f"{path}: --drop names column(s) {', '.join(map(repr, unknown))} that "
                        "are not in the data")
    if args.target in args.drop:
        raise DataError(f"--drop includes the target column {args.target!r}")
    y = target_column(frame, args.target, path)
    features = frame.drop(columns=[args.target, *args.drop])
    if features.shape[1] == 0:
        raise DataError(f"{path}: no feature columns are left besides the target")
    task = args.task if args.task != "auto" else infer_task(y)
    if task == "regression":
        y_values = numeric_target(y, args.target, path)
    else:
        y_values = y.to_numpy()
        if y_values.dtype == object:
            y_values = y_values.astype(str)
        classes = np.unique(y_values)
        if len(classes) < 2:
            raise DataError(f"{path}: the target column {args.target!r} has a single class "
                            f"({classes[0]!r}); classification needs at least two")
    if args.early_stopping and args.validation_fraction == 0:
        raise DataError("--early-stopping needs validation rows; set --validation-fraction > 0")

    train, val = split_rows(len(frame), y_values if task == "classification" else None,
                        args.validation_fraction, args.seed, path)
    try:
        preprocessor = Preprocessor(impute=args.impute).fit(features.iloc[train])
        X_train = preprocessor.transform(features.iloc[train])
        X_val = preprocessor.transform(features.iloc[val]) if len(val) else None
    except DataError as error:
        raise DataError(f"{path}: {error}") from None
    target_mean, target_scale = 0.0, 1.0
    y_train, y_val = y_values[train], y_values[val]
    if task == "regression":
        target_mean = float(y_train.mean())
        target_scale = float(y_train.std()) or 1.0
        y_train = (y_train - target_mean) / target_scale
        y_val = (y_val - target_mean) / target_scale

    estimator = _estimator(task, args)
    progress = Progress(args.epochs, "accuracy" if task == "classification" else "R²",
                        quiet=args.quiet)
    if not args.quiet:
        held_out = f", {len(val)} held out for validation" if len(val) else ""
        print(f"training a {task} network {[X_train.shape[1], *args.hidden]} on {len(train)} "
              f"rows{held_out} ({X_train.shape[1]} features after encoding)", file=sys.stderr)
    try:
        estimator.fit(X_train, y_train, callback=progress,
                      validation_data=(X_val, y_val) if len(val) else None)
    finally:
        progress.close()
    model = TabularModel(estimator, preprocessor, args.target, task, target_mean, target_scale)

    if estimator.interrupted_ is not None:
        if args.checkpoint:
            save(model, args.checkpoint)
            print(f"interrupted during epoch {estimator.interrupted_}; saved the best model so "
                  f"far to {args.checkpoint} ({args.output} was not written)", file=sys.stderr)
        else:
            print(f"interrupted during epoch {estimator.interrupted_}; no model written (with "
                  "--checkpoint PATH the best model so far is saved there)", file=sys.stderr)
        return 130

    parts = {"training": train, "validation": val}
    for part, rows in parts.items():
        if len(rows):
            model.metrics[part] = _metrics(model, features.iloc[rows], y_values[rows])
    save(model, args.output)
    if estimator.n_iter_ == args.epochs and args.solver != "lbfgs" and not args.quiet:
        print(f"note: training used all {args.epochs} epochs; more (--epochs) may fit better",
              file=sys.stderr)
    for part, values in model.metrics.items():
        print(f"{part + ':':<12}{format_metrics(values)}")
    print(f"saved {args.output}")
    return 0


def split_rows(n, labels, fraction, seed, path="data"):
    """Training and validation row indices; stratified by label where every class can be."""
    if fraction == 0:
        return np.arange(n), np.arange(0)
    from sklearn.model_selection import train_test_split

    n_val = int(np.ceil(fraction * n))
    if n_val < 1 or n - n_val < 1:
        raise DataError(f"{path}: {n} rows are too few to hold out {fraction:.0%} for validation;"
                        " lower --validation-fraction or set it to 0")
    stratify = None
    if labels is not None:
        _, counts = np.unique(labels, return_counts=True)
        if counts.min() >= 2 and n_val >= len(counts):
            stratify = labels
    return train_test_split(np.arange(n), test_size=fraction, random_state=seed,
                            stratify=stratify)


def _estimator(task, args):
    from ..estimators import FFNNClassifier, FFNNRegressor

    learning_rate = args.lr if args.lr is not None else suggested_learning_rate(args.solver)
    cls = FFNNClassifier if task == "classification" else FFNNRegressor
    return cls(hidden_layer_sizes=args.hidden, activation=args.activation, solver=args.solver,
               max_iter=args.epochs, batch_size=args.batch_size, learning_rate_init=learning_rate,
               alpha=args.alpha, tol=args.tol, random_state=args.seed,
               early_stopping=args.early_stopping)


def _metrics(model, features, y):
    if model.task == "regression":
        return regression_metrics(y, model.predict(features))
    return classification_metrics(y, model.predict_proba(features), model.classes_)
