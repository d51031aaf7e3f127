"""The commands besides `fit` (see `fit`): predict, evaluate, summary, plot and demo. Each takes
the parsed command line and returns the exit status."""

import sys
from pathlib import Path

from ..exceptions import DataError, ModelFileError
from ..tabular import read_table
from .parser import UsageError
from .targets import labels_like, numeric_target, target_column


def predict(args):

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


def evaluate(args):
    from .evaluation import (
        classification_metrics,
        confusion,
        format_confusion,
        format_metrics,
        regression_metrics,
    )

    model = _load_tabular(args.model)
    frame = read_table(args.data)
    y = target_column(frame, model.target, args.data)
    try:
        if model.task == "regression":
            metrics = regression_metrics(numeric_target(y, model.target, args.data),
                                         model.predict(frame))
            print(f"{args.data}: {len(frame)} rows")
            print(format_metrics(metrics))
            return 0
        P = model.predict_proba(frame)
    except DataError as error:
        raise DataError(f"{args.data}: {error}") from None
    classes = model.classes_
    labels = labels_like(y, classes)
    metrics = classification_metrics(labels, P, classes)
    print(f"{args.data}: {len(frame)} rows")
    print(format_metrics(metrics))
    print("confusion matrix:")
    print(format_confusion(confusion(labels, classes[P.argmax(axis=1)], classes), classes))
    return 0


def summary(args):
    from ..persistence import load
    from ..summary import summary as describe

    model = load(args.model)
    print(describe(model))
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


def plot(args):
    from ..persistence import load
    from . import plots

    model = load(args.model)
    output = Path(args.output)
    if args.kind == "loss":
        plots.loss_curve(model, output)
    elif args.kind == "network":
        plots.network(model, output)
    else:
        if args.data is None:
            raise UsageError("--kind fit needs --data DATA (a table with the target column)")
        plots.table_fit(_require_tabular(model, args.model), read_table(args.data), output,
                        args.data)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def demo(args):
    from .demo import run_demo

    return run_demo(Path(args.out), quiet=args.quiet)




def _load_tabular(path):
    from ..persistence import load

    return _require_tabular(load(path), path)


def _require_tabular(model, path):
    if not hasattr(model, "preprocessor"):
        raise ModelFileError(f"{path}: holds a {type(model).__name__}, not a model trained by "
                             "'ffnn fit'; predict from Python with ffnn.load(path).predict(X)")
    return model
