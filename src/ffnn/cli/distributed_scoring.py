"""`ffnn predict` and `ffnn evaluate` with `--dask`: a model applied to every partition of a
glob of files on the cluster, the predictions written out or scored with Dask reductions."""

import contextlib
import sys

import numpy as np

from ..exceptions import DataError
from ..tabular import UnseenCategoryWarning
from ..tabular.unseen import add_unseen
from ..tabular.values import counted
from .distributed_cluster import connect
from .distributed_files import (
    check_files,
    check_rows_held,
    inputs,
    layout,
    read_frame,
    reads_parquet,
    say_read,
)
from .distributed_metrics import (
    classification,
    classification_sums,
    regression,
    regression_sums,
    spread,
)
from .distributed_missing import given_markers
from .distributed_naming import check_model_columns, column
from .distributed_outputs import check_outside, write_parquet, writes_csv
from .distributed_parquet import IN_A_PARTITION
from .distributed_seen import seen_notice, seen_rows
from .evaluation import format_confusion, format_metrics, missing_metrics, unknown_labels
from .options import comma_names
from .outputs import check_keeps_model_data, check_outputs, prediction_column
from .parser import UsageError
from .tables import missing_counts, say_filled_counts
from .targets import check_target_present, given_marker_words


def _predicted(part, model, keep, name, dtype, proba):
    """(a partition's predictions beside its kept columns, and with `proba` the probability of
    each class before them, as in memory; what `_say_found` says of its rows: its text values
    unseen in training as {column: {value: rows}}, the `Shifts` of its numeric columns, and
    the missing values that --impute fills, per column; and its number of rows)."""
    import pandas as pd

    out = part[keep].copy() if keep else pd.DataFrame(index=part.index)
    unseen, shifts = {}, model.preprocessor.shifts()
    if proba:  # the labels from the same probabilities: the rows are read and counted once
        classes = np.asarray(model.classes_)
        P = (model.predict_proba(part, unseen, shifts) if len(part)
             else np.empty((0, len(classes))))
        for k, label in enumerate(classes):
            out[f"proba_{label}"] = P[:, k]
        out[name] = classes[P.argmax(axis=1)] if len(part) else np.empty(0, dtype)
    else:
        out[name] = model.predict(part, unseen, shifts) if len(part) else np.empty(0, dtype)
    # counted once the model has read the partition, which names a column it lacks
    return out, (unseen, shifts, missing_counts(part, model.preprocessor), len(part))


def _predictions(model, frame, keep, proba=False):
    """(a dask DataFrame of the model's predictions (and kept columns), what `_say_found` says
    of each partition, delayed): one pass over the data serves both."""
    import dask
    import dask.dataframe as dd

    if proba and model.task != "classification":
        raise DataError("probabilities exist only for classification models")
    name = prediction_column(model.target, keep, model.classes_ if proba else ())
    dtype = np.asarray(model.classes_).dtype if model.task == "classification" else np.float64
    held = dask.delayed(model, traverse=False)  # sent once, not once a partition
    parts = [dask.delayed(_predicted, nout=2)(part, held, keep, name, dtype, proba)
             for part in frame.to_delayed()]
    # The output's columns and types, from the frame's empty description (left to itself, Dask
    # would predict made-up rows, whose text columns hold missing values, which are refused).
    meta = _predicted(frame._meta, model, keep, name, dtype, proba)[0]
    return (dd.from_delayed([out for out, _ in parts], meta=meta, verify_meta=False),
            [found for _, found in parts])


def _say_found(found, args, model):
    """Print, as in memory, how CSV files were read where not plainly, the missing values
    filled, the values never seen in training and the numeric columns far from their training
    values, counted over every partition's (unseen, shifts, filled)."""
    where = args.data
    say_read(where, args, model.read_options)
    total, shifts = {}, model.preprocessor.shifts()
    filled = dict.fromkeys([*model.preprocessor.columns, None], 0)
    for unseen, part_shifts, part_filled, *_ in found:
        add_unseen(total, unseen)
        shifts.merge(part_shifts)
        for name, count in part_filled.items():
            filled[name] += count
    say_filled_counts(where, filled)
    if total:
        seen = {name: categories for name, categories, _ in model.preprocessor.categorical}
        print(f"warning: {where}: {UnseenCategoryWarning.of(total, seen)}", file=sys.stderr)
    far = model.preprocessor.far_columns(shifts)
    if far:
        print(f"warning: {where}: {far}", file=sys.stderr)


def _part_sums(part, model):
    """What one partition adds to the metrics (`distributed_metrics`' sums), and what
    `_say_found` says of its rows."""
    from .targets import numeric_target

    classes = None if model.task == "regression" else np.asarray(model.classes_)
    unseen, shifts = {}, model.preprocessor.shifts()
    if not len(part):
        empty = regression_sums(np.empty(0), np.empty(0)) if classes is None else \
            classification_sums([], None, classes)
        return {**empty, "seen": 0}, (unseen, shifts, {})
    if classes is None:
        y = numeric_target(part[model.target], model.target, None)
        sums = regression_sums(y, model.predict(part, unseen, shifts))
    else:
        sums = classification_sums(part[model.target],
                                   model.predict_proba(part, unseen, shifts), classes)
    sums["seen"] = seen_rows(part, model)
    return sums, (unseen, shifts, missing_counts(part, model.preprocessor))


@contextlib.contextmanager
def _partitions_of(where):
    """What a partition refuses (a missing value, say), said of the files: its counts and row
    numbers are the partition's own."""
    try:
        yield
    except DataError as error:
        if str(error).startswith(f"{where}, {IN_A_PARTITION}"):  # said so where it was read
            raise
        raise DataError(f"{where}, {IN_A_PARTITION}: {error}") from None


def predict(args):
    """`ffnn predict MODEL GLOB --dask [SCHEDULER] -o OUT` (OUT a .csv file or a Parquet folder)."""
    import dask

    from .commands import load_tabular

    if not args.output or args.output == "-":  # '-' made a folder named '-'
        raise UsageError("with --dask, give -o: a .csv file, or a folder for Parquet files "
                         "(predictions on a cluster are not written to standard output)")
    check_outside("-o", args.output, args.data)
    check_outputs([("-o", args.output)], [("model file", args.model), *inputs(args.data)])
    model = load_tabular(args.model, args.data, proba=args.proba)
    check_keeps_model_data("-o", args.output, model)
    check_files(args.data, args, model.read_options)
    check_rows_held(args.data, args, model.read_options)
    with connect(args.dask, where=args.data) as _:
        # (the target, where the files hold it, is read for --keep alone: as text, as the
        # other columns the model does not read)
        frame = read_frame(args.data, args, model.read_options, optional=model.target,
                           **_types(model))
        dialect = layout(args.data, args, model.read_options)
        check_model_columns(frame, args.data, model, dialect)
        keep = [column(name, frame, args.data, "--keep", dialect)
                for name in comma_names(args.keep, frame.columns)]
        # Kept columns that the model does not read are copied as the files spell them (an id
        # 007 stays 007, not 7 or 7.0; NA and None stay, not empty fields), as in memory.
        spelled = [name for name in keep if name not in model.preprocessor.columns]
        if spelled and not reads_parquet(args.data):
            types = _types(model)
            # (columns the model does not read are text in `frame`: their types, as inferred
            # from the first rows, say which are numbers written with a decimal comma)
            inferred = read_frame(args.data, args, model.read_options, optional=model.target,
                                  keep=model.target, check_rows=False, typed=True, **types)
            floats = [name for name in spelled if inferred[name].dtype.kind == "f"]
            frame = read_frame(args.data, args, model.read_options, optional=model.target,
                               text=types["text"], spelled=spelled,
                               numeric=types["numeric"], check_rows=False)
            for name in floats:  # a comma in numbers is a decimal comma: the output's is a point
                frame[name] = frame[name].str.replace(",", ".", regex=False)
        result, found = _predictions(model, frame, keep, args.proba)
        if writes_csv(args.output):
            written = result.to_csv(args.output, single_file=True, index=False, compute=False)
        else:
            written = write_parquet(result, args.output, compute=False)
        with _partitions_of(args.data):
            _, found = dask.compute(written, found)
        _say_found(found, args, model)
        n = sum(rows for *_, rows in found)
        print(f"wrote {counted(n, 'prediction')} to {args.output}", file=sys.stderr)
    return 0


def _types(model):
    """How a model's columns are read from CSV files: its categories as text (as training
    knew them: '1', not the '1.0' of a column read as floats), its numbers as numbers."""
    return {"text": [name for name, *_ in model.preprocessor.categorical],
            "numeric": [name for name, *_ in model.preprocessor.numeric]}


def evaluate(args):
    """`ffnn evaluate MODEL GLOB --dask [SCHEDULER]`: the metrics, computed on the cluster."""
    import dask

    from .commands import load_tabular
    from .heldout import overlap_notice

    model = load_tabular(args.model, args.data, scores=True)
    check_files(args.data, args, model.read_options)
    with connect(args.dask, target=model.target, where=args.data) as _:
        labels = [model.target] if model.task == "classification" else []
        types = _types(model)
        # a regression target is numbers, its whole ones too: read as floats in every file
        numbers = [] if labels else [model.target]
        frame = read_frame(args.data, args, model.read_options, keep=labels[0] if labels else None,
                           text=labels + types.pop("text"), numeric=types["numeric"] + numbers)
        check_model_columns(frame, args.data, model, layout(args.data, args,
                                                            model.read_options))
        check_target_present(frame.columns, model.target, args.data,
                             model.preprocessor.columns)
        missing = int(frame[model.target].isna().sum().compute())
        if missing:
            given = given_marker_words(given_markers(args.data, args, model.target,
                                                     model.read_options))
            raise DataError(f"{args.data}: the target column {model.target!r} is missing in "
                            f"{missing} row(s); drop those rows"
                            f"{f' (of them, {given})' if given else ''}")
        notice = seen_notice(model, args.data)
        if notice:
            print(notice)
        held = dask.delayed(model, traverse=False)  # sent once, not once a partition
        with _partitions_of(args.data):
            parts = dask.compute(*[dask.delayed(_part_sums)(part, held)
                                   for part in frame.to_delayed()])
        sums, found = [p[0] for p in parts], [p[1] for p in parts]
        n = sum(s["n" if model.task == "regression" else "rows"] for s in sums)
        if not n:
            raise DataError(f"{args.data}: the files hold no data rows to evaluate")
        if notice is None:  # not the training files: some of their rows, perhaps
            overlap = overlap_notice(model, args.data, sum(s["seen"] for s in sums), int(n))
            if overlap:
                print(overlap)
        matrix = note = None
        if model.task == "regression":
            mean = sum(s["sum"] for s in sums) / n
            # Σ(y − ȳ)² in a second pass, from the file's column alone (no predictions)
            observed = frame[model.target].astype(np.float64)
            ss_tot = ((observed - mean) ** 2).sum().compute()
            metrics = regression(n, sum(s["res"] for s in sums), sum(s["abs"] for s in sums),
                                 ss_tot, spread=spread(sums))
        else:
            metrics, matrix, unknown = classification(sums)
            note = unknown_labels(unknown, n, model.classes_, args.data, model.target,
                                  ranked=False)
    _say_found(found, args, model)
    if note:
        print(note, file=sys.stderr)
    print(f"{args.data}: {counted(int(n), 'row')}")
    metrics = {k: float(v) for k, v in metrics.items()}
    print(format_metrics(metrics))
    undefined = missing_metrics(metrics)
    if undefined:
        print(undefined, file=sys.stderr)
    if matrix is not None:
        print("confusion matrix:")
        print(format_confusion(matrix, model.classes_))
        if len(model.classes_) == 2:
            print("(ROC AUC, which ranks all rows together, is not computed with --dask)")
    return 0
