"""The commands besides `fit` and `demo` (see those): predict, evaluate, summary and plot. Each
takes the parsed command line and returns the exit status."""

import sys
import warnings
from pathlib import Path

from ..exceptions import DataError, ModelFileError
from ..network import Network
from ..tabular import FarColumnWarning, UnseenCategoryWarning, class_codes
from ..tabular.files import PARQUET_SUFFIXES
from ..tabular.spelling import as_spelled
from ..tabular.values import counted
from .heldout import PARTS, seen
from .options import comma_names
from .outputs import (
    allocating,
    check_compressor,
    check_csv_name,
    check_keeps_model_data,
    check_outputs,
    compression,
    format_suffix,
    prediction_column,
    whole_file,
    with_separator_of,
)
from .parser import UsageError
from .tables import column, read_for, say_dialect, say_filled, unseen_notes
from .targets import numeric_target, target_column


def predict(args):
    if args.output == "-":  # standard output, as without -o (not a file named '-')
        args.output = None
    check_outputs([("-o", args.output, "predictions.csv")],
                  [("model file", args.model), ("data file", args.data)])
    if args.output is not None and format_suffix(args.output) in PARQUET_SUFFIXES:
        # CSV text under a Parquet name is a file that no Parquet reader opens
        raise UsageError(f"-o {args.output}: predict writes CSV; give a .csv file name (with "
                         "--dask, a folder name writes Parquet files)")
    check_csv_name("-o", args.output, "predict")
    check_compressor("-o", args.output)
    model = load_tabular(args.model, args.data, proba=args.proba)
    check_keeps_model_data("-o", args.output, model)
    with allocating(f"reading {args.data}", args.command):
        table = read_for(model, args.data, args, optional=model.target)
    frame = table.frame
    keep = [column(name, table, "--keep") for name in comma_names(args.keep, frame.columns)]
    # Keeping the target column keeps the observed value beside the prediction.
    name = prediction_column(model.target, keep, model.classes_ if args.proba and
                             model.task == "classification" else ())
    columns = as_spelled(table, keep)  # copied as the file writes them (an id 007 stays 007)
    with allocating(f"predicting {len(frame):,} rows", args.command), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnseenCategoryWarning)
        warnings.simplefilter("always", FarColumnWarning)
        try:
            if args.proba:
                P = model.predict_proba(frame)
                for k, label in enumerate(model.classes_):
                    columns[f"proba_{label}"] = P[:, k]
            prediction = model.predict(frame)
        except DataError as error:
            raise DataError(f"{args.data}: {error}{_gap_hint(table, error)}") from None
    say_dialect(table)
    say_filled(model, table)
    unseen_notes(caught, args.data)
    if prediction.ndim == 1:
        columns[name] = prediction
    else:
        for k in range(prediction.shape[1]):
            columns[f"{name}_{k}"] = prediction[:, k]
    import pandas as pd

    result = pd.DataFrame(columns)
    if args.output:
        with whole_file(args.output) as handle:
            result.to_csv(handle, index=False, compression=compression(args.output),
                          **with_separator_of(args.output, {"sep": ","}))
        print(f"wrote {counted(len(result), 'prediction')} to {args.output}", file=sys.stderr)
    else:
        result.to_csv(sys.stdout, index=False)
    return 0


def _gap_hint(table, error):
    """For text in a numeric column of a file without a header taken to lack the target (one
    column fewer than the model's names): that it may lack another column, every column after
    the gap then out of place."""
    if not table.absent or not getattr(error, "text_in_numbers", False):
        return ""
    return (f" (the file has one column fewer than the model's and was taken as without the "
            f"target {table.absent!r}; if it lacks another column instead, each column after "
            "the gap holds the next one's values)")


def evaluate(args):
    from .evaluation import (
        confusion,
        format_confusion,
        format_metrics,
        missing_metrics,
        unknown_counts,
        unknown_labels,
    )

    model = load_tabular(args.model, args.data, scores=True)
    with allocating(f"reading {args.data}", args.command):
        table = read_for(model, args.data, args)
    frame = table.frame
    y = target_column(frame, model.target, args.data, model.preprocessor.columns,
                      table=table)
    rows = seen(model, args.data, frame)
    notice = rows.notice(model, args.data, "the rows of each part are scored apart below")
    with allocating(f"scoring {len(frame):,} rows", args.command), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnseenCategoryWarning)
        warnings.simplefilter("always", FarColumnWarning)
        metrics, codes, predicted = _score(model, frame, y, args.data)
        # refused here where no label names a class, before anything else is printed
        note = None if codes is None else unknown_labels(
            unknown_counts(y, codes), len(y), model.classes_, args.data, model.target,
            ranked=len(model.classes_) == 2)  # ROC AUC is printed for two classes only
    if notice:  # once the file is scored: a file refused gets its one line of error alone
        print(notice)
    say_dialect(table)
    say_filled(model, table)
    unseen_notes(caught, args.data)
    if note:
        print(note, file=sys.stderr)
    print(f"{args.data}: {counted(len(frame), 'row')}")
    print(format_metrics(metrics))
    undefined = missing_metrics(metrics, model.classes_)
    if undefined:
        print(undefined, file=sys.stderr)
    if model.task == "classification":
        print("confusion matrix:")
        print(format_confusion(confusion(codes, predicted, len(model.classes_)),
                               model.classes_))
    if rows.roles is not None:
        notes = []
        for part in PARTS:
            mask = rows.roles == part
            if mask.any():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UnseenCategoryWarning)
                    warnings.simplefilter("ignore", FarColumnWarning)
                    part_metrics = _score(model, frame[mask], y[mask], args.data)[0]
                print(f"{part + ' rows':<16}{int(mask.sum()):>6}  {format_metrics(part_metrics)}")
                undefined = missing_metrics(part_metrics, model.classes_)
                if undefined:  # said below the table, as fit says it of its parts
                    notes.append(undefined.replace("note: ", f"note: {part} rows: ", 1))
        for line in notes:
            print(line, file=sys.stderr)
    return 0


def _score(model, frame, y, source):
    """(metrics, true classes, predicted classes) of a model on a table with its target column,
    classes as indices into the model's (`class_codes`; None for regression)."""
    from .evaluation import classification_metrics, regression_metrics

    try:
        if model.task == "regression":
            return (regression_metrics(numeric_target(y, model.target, None),
                                       model.predict(frame)), None, None)
        P = model.predict_proba(frame)
    except DataError as error:
        raise DataError(f"{source}: {error}") from None
    codes = class_codes(y, model.classes_)
    return classification_metrics(codes, P, model.classes_), codes, P.argmax(axis=1)


def summary(args):
    from ..persistence import load
    from ..summary import summary as describe
    from .evaluation import format_metrics, labels_shown, printable

    model = load(args.model)
    print(describe(model))
    tabular = getattr(model, "preprocessor", None)
    if tabular is not None:
        print(f"task: {model.task}, target column {model.target!r}")
        numeric = ", ".join(printable(n) for n, *_ in tabular.numeric[:20]) or "none"
        more = f" and {len(tabular.numeric) - 20} more" if len(tabular.numeric) > 20 else ""
        print(f"numeric columns (standardised): {numeric}{more}")
        for name, categories, _ in tabular.categorical:
            print(f"categorical column {name!r}: one-hot over {len(categories)} values")
        if tabular.impute:
            print("missing values: imputed (mean, or most frequent value)")
        if model.task == "classification":
            print(f"classes: {labels_shown(model.classes_, limit=None)}")
        for part, values in model.metrics.items():
            print(f"{part} metrics: " + format_metrics(
                {printable(k): v for k, v in values.items() if v is not None}))
        if model.stopped:
            print(f"training: {printable(model.stopped)}")
        if model.data is not None:
            d = model.data
            print(f"trained on {printable(d.name)} ({d.rows} rows: {d.training_rows} training, "
                  f"{d.validation_rows} validation, {d.test_rows} test"
                  + (f", written to {printable(d.test_name)}" if d.test_name else "") + ")")
    estimator = getattr(model, "estimator", model)
    if hasattr(estimator, "get_params"):
        p = estimator.get_params()
        # L-BFGS takes no learning rate nor batches: its settings line names neither; gd's
        # one batch is every row, whatever batch_size says
        batches = "every row one batch" if p["solver"] == "gd" else f"batch size {p['batch_size']}"
        steps = ("" if p["solver"] == "lbfgs" else
                 f", learning rate {p['learning_rate_init']}, {batches}")
        print(f"settings: hidden {p['hidden_layer_sizes']}, activation {p['activation']}, "
              f"solver {p['solver']}{steps}, alpha {p['alpha']}, max "
              f"{'iterations' if p['solver'] == 'lbfgs' else 'epochs'} {p['max_iter']}, "
              f"seed {p['random_state']}")
    return 0


def plot(args):
    from . import fit_plots, plots

    output = Path(args.output)
    plots.check_format(output, args.kind)
    check_outputs([("-o", output, f"{args.kind}{output.suffix or '.png'}")],
                  [("model file", args.model), ("data file", args.data)])
    if args.kind == "fit" and args.data is None:
        raise UsageError("--kind fit needs --data DATA (a table with the target column)")
    if args.kind != "fit" and args.data is not None:
        raise UsageError(f"--kind {args.kind} draws the model alone and reads no --data; leave "
                         "it out, or plot the fit to the data with --kind fit")
    model = load_model(args.model, args.data)
    if args.kind == "loss":
        plots.loss_curve(model, output, args.model)
    elif args.kind == "network":
        plots.network(model, output)
    else:
        model = _require_tabular(model, args.model)
        with allocating(f"reading {args.data}", args.command):
            table = read_for(model, args.data, args)
        rows = seen(model, args.data, table.frame)
        notice = rows.notice(model, args.data, "the plot tells the parts apart")
        with allocating(f"plotting {len(table.frame):,} rows", args.command), \
                warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnseenCategoryWarning)
            warnings.simplefilter("always", FarColumnWarning)
            fit_plots.table_fit(model, table.frame, output, args.data, roles=rows.roles,
                            table=table)
        if notice:  # once the plot is drawn: a file refused gets its one line of error alone
            print(notice, file=sys.stderr)
        say_dialect(table)
        say_filled(model, table)
        unseen_notes(caught, args.data)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def load_tabular(path, data=None, scores=False, proba=False):
    model = _require_tabular(load_model(path, data), path, scores)
    if proba and model.task != "classification":
        raise UsageError(f"--proba: {path} holds a {model.task} model, which predicts numbers, "
                         "not the probabilities of classes; leave out --proba")
    return model


def load_model(path, data=None):
    """ffnn.load, with a hint where MODEL and DATA were given the other way round: the data
    argument is then the model file."""
    from ..persistence import load

    try:
        return load(path)
    except ModelFileError as error:
        swapped = data is not None and Path(data).is_file()
        if swapped:
            try:
                load(data)
            except ModelFileError:
                swapped = False
        if swapped:
            raise ModelFileError(f"{error}; {data} is a model file: the model comes first, "
                                 "then the data (ffnn COMMAND MODEL DATA)") from None
        raise


def _require_tabular(model, path, scores=False):
    """The command line's model, or ModelFileError saying how to use from Python the model
    saved from Python (to score it, for `scores`: evaluate)."""
    if not hasattr(model, "preprocessor"):
        if isinstance(model, Network):  # a Network's only pass
            how = "predict from Python with ffnn.load(path).forward(X)"
        else:
            how = ("score it from Python with ffnn.load(path).score(X, y)" if scores else
                   "predict from Python with ffnn.load(path).predict(X)")
        raise ModelFileError(f"{path}: holds {type(model).__name__} (saved from Python), not a "
                             f"model trained by 'ffnn fit'; {how}")
    return model
