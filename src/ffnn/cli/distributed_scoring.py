"""`ffnn predict` and `ffnn evaluate` with `--dask`: a model applied to every partition of a
glob of files on the cluster, the predictions written out or scored with Dask reductions."""

import sys
import warnings

import numpy as np

from ..exceptions import DataError
from ..tabular import UnseenCategoryWarning
from .distributed import column, connect, inputs, read_frame
from .distributed_metrics import classification, classification_sums, regression
from .evaluation import format_confusion, format_metrics
from .outputs import check_outputs
from .parser import UsageError


def _predictions(model, frame, keep):
    """A dask DataFrame of the model's predictions (and kept columns) per partition."""
    import pandas as pd

    name = model.target if model.target not in keep else f"{model.target}_predicted"

    if model.task == "classification":
        dtype = np.asarray(model.classes_).dtype
    else:
        dtype = model.estimator.network_.dtype

    def predict(part):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnseenCategoryWarning)
            out = part[keep].copy() if keep else pd.DataFrame(index=part.index)
            out[name] = model.predict(part) if len(part) else np.empty(0, dtype)
        return out

    # The output's columns and types, from the frame's empty description: left to itself, Dask
    # finds them by predicting made-up rows, whose text columns hold missing values (refused).
    return frame.map_partitions(predict, meta=predict(frame._meta))


def _classification_sums(part, model):
    """`distributed_metrics.classification_sums` of one partition, labels compared as in
    memory."""
    from ..tabular import labels_like

    classes = np.asarray(model.classes_)
    if not len(part):
        return classification_sums([], None, classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        probabilities = model.predict_proba(part)
    return classification_sums(labels_like(part[model.target], classes), probabilities, classes)


def predict(args):
    """`ffnn predict MODEL GLOB --dask [SCHEDULER] -o OUT` (OUT a .csv file or a Parquet folder)."""
    from .commands import load_tabular

    if not args.output:
        raise UsageError("with --dask, give -o: a .csv file, or a folder for Parquet files")
    check_outputs([("-o", args.output)], [("model file", args.model), *inputs(args.data)])
    model = load_tabular(args.model)
    with connect(args.dask) as _:
        frame = read_frame(args.data, args)
        keep = [column(name, frame, args.data, "--keep") for name in args.keep]
        result = _predictions(model, frame, keep)
        if str(args.output).lower().endswith(".csv"):
            result.to_csv(args.output, single_file=True, index=False)
        else:
            result.to_parquet(args.output, write_index=False)
        print(f"wrote the predictions to {args.output}", file=sys.stderr)
    return 0


def evaluate(args):
    """`ffnn evaluate MODEL GLOB --dask [SCHEDULER]`: the metrics, computed on the cluster."""
    import dask

    from .commands import load_tabular

    model = load_tabular(args.model)
    with connect(args.dask) as _:
        frame = read_frame(args.data, args)
        if model.target not in frame.columns:
            raise DataError(f"{args.data}: the target column {model.target!r} is not in the "
                            "data")
        missing = int(frame[model.target].isna().sum().compute())
        if missing:
            raise DataError(f"{args.data}: the target column {model.target!r} is missing in "
                            f"{missing} row(s); drop those rows")
        matrix = None
        if model.task == "regression":
            predicted = _predictions(model, frame, [model.target])
            y = predicted[model.target].astype(np.float64)
            p = predicted[f"{model.target}_predicted"]
            (s,) = dask.compute(dict(n=y.count(), sum=y.sum(), res=((y - p) ** 2).sum(),
                                     abs=(y - p).abs().sum()))
            # From the file's column alone: the predictions need not be computed again.
            observed = frame[model.target].astype(np.float64)
            ss_tot = ((observed - s["sum"] / s["n"]) ** 2).sum().compute()
            metrics = regression(s["n"], s["res"], s["abs"], ss_tot)
            rows = s["n"]
        else:
            held = dask.delayed(model, traverse=False)  # sent once, not once a partition
            sums = dask.compute(*[dask.delayed(_classification_sums)(part, held)
                                  for part in frame.to_delayed()])
            metrics, matrix = classification(sums)
            rows = sum(s["rows"] for s in sums)
    print(f"{args.data}: {int(rows)} rows")
    print(format_metrics({k: float(v) for k, v in metrics.items()}))
    if matrix is not None:
        print("confusion matrix:")
        print(format_confusion(matrix, model.classes_))
        if len(model.classes_) == 2:
            print("(ROC AUC, which ranks all rows together, is not computed with --dask)")
    return 0
