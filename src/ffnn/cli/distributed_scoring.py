"""`ffnn predict` and `ffnn evaluate` with `--dask`: a model applied to every partition of a
glob of files on the cluster, the predictions written out or scored with Dask reductions."""

import math
import sys
import warnings

import numpy as np

from ..estimators.scores import r2_from_sums
from ..exceptions import DataError
from ..tabular import UnseenCategoryWarning
from .distributed import column, connect, inputs, read_frame
from .evaluation import format_metrics
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


def _correct(part, model):
    """Whether each row's predicted label is its target, labels compared as in memory."""
    import pandas as pd

    from ..tabular import labels_like

    if not len(part):
        return pd.Series([], dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        predicted = model.predict(part)
    return pd.Series(labels_like(part[model.target], model.classes_) == predicted,
                     index=part.index)


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
        if model.task == "regression":
            predicted = _predictions(model, frame, [model.target])
            y = predicted[model.target].astype(np.float64)
            p = predicted[f"{model.target}_predicted"]
            (s,) = dask.compute(dict(n=y.count(), sum=y.sum(), res=((y - p) ** 2).sum(),
                                     abs=(y - p).abs().sum()))
            # From the file's column alone: the predictions need not be computed again.
            observed = frame[model.target].astype(np.float64)
            ss_tot = ((observed - s["sum"] / s["n"]) ** 2).sum().compute()
            metrics = {"R²": r2_from_sums(s["res"], ss_tot), "RMSE": math.sqrt(s["res"] / s["n"]),
                       "MAE": s["abs"] / s["n"]}
        else:
            right = frame.map_partitions(_correct, model, meta=(None, "bool"))
            correct, n = dask.compute(right.sum(), right.count())
            metrics, s = {"accuracy": correct / n}, {"n": n}
    print(f"{args.data}: {int(s['n'])} rows")
    print(format_metrics({k: float(v) for k, v in metrics.items()}))
    return 0
