"""`--dask [SCHEDULER]`: fit, predict and evaluate on data larger than one machine's memory.

The files (a Parquet or CSV glob) are read with dask.dataframe on a Dask cluster: the one at
SCHEDULER, or a LocalCluster sized to this machine. `fit` computes the standardisation
statistics and the categories of the text columns in one pass, encodes each partition on the
worker holding it, holds out each partition's validation rows there, and trains with the
estimators' Dask engine (training.dask_engine); the model file is the usual one. `--test-size`
holds out test rows from every partition first (written out by `--test-out`); unlike the
in-memory command, the statistics are those of the validation rows too, and neither split is
stratified by class. `predict` and `evaluate` are in `distributed_scoring`; reading the files in
`distributed_files`, writing outputs in `distributed_outputs`, the task and labels in
`distributed_labels`, the metrics of the parts in `distributed_metrics`, connecting to the
cluster in `distributed_cluster`, training on the encoded partitions and saving the model in
`distributed_training`.
"""

import sys

import numpy as np

from ..exceptions import DataError
from ..tabular import MissingValuesError, Preprocessor, TabularModel
from ..tabular.standardise import target_scaling
from ..tabular.values import as_categories, counted
from . import distributed_data as prepared
from .distributed_cluster import connect, warn_of_little_memory
from .distributed_files import (
    check_files,
    inputs,
    layout,
    read_frame,
    reads_parquet,
    recorded_options,
)
from .distributed_labels import check_labels, infer_task, label_dtype
from .distributed_missing import given_markers, missing_words
from .distributed_naming import column
from .distributed_outputs import check_outside, writes_csv
from .distributed_training import train
from .features import (
    feature_warnings,
    missing_words_hint,
    row_number_warning,
    warn_of_constant_target,
    warn_of_filled_words,
)
from .fit_options import check_options, check_roles, make_estimator, test_fraction
from .options import comma_names
from .outputs import check_outputs, check_replaceable_model
from .parser import UsageError
from .tables import check_text_survives_csv, say_filled_counts
from .targets import (
    check_text_target,
    given_marker_words,
    missing_label_words,
    refuse_fractional_labels,
)


def _kept(client, parts, n, width, dtype):
    """The encoded partitions (delayed), computed once and kept on the workers where they take
    at most a quarter of the workers' memory limit: the estimator's checks of the rows, the split of
    the validation rows, training and the scores then read them there rather than the files
    (five more passes over the files). The estimator keeps its own copy of the training rows
    (training.dask_engine keeps up to half the memory): a quarter leaves room for both. Larger
    data is read from the files at every pass."""
    from ..training.dask_engine import RESIDENT_SHARE, memory_limit, workers

    limit = memory_limit(workers(client))
    # the features in the network's dtype, the target as 8 bytes (labels of text: more, so
    # there is room to spare); workers without a limit: not known to have room for two copies
    if limit is None or n * (width * dtype.itemsize + 8) > RESIDENT_SHARE / 2 * limit:
        return parts
    return client.persist(parts)


def fit(args):
    """`ffnn fit GLOB --dask [SCHEDULER]`."""
    err = sys.stderr
    if args.checkpoint:
        raise UsageError("--checkpoint is not available with --dask")
    test_size = test_fraction(args)
    check_options(args, test_size)
    check_outside("--test-out", args.test_out, args.data)
    check_outputs([("-o", args.output), ("--test-out", args.test_out)], inputs(args.data),
                  models=("-o",))
    check_replaceable_model("-o", args.output, args.force)
    import dask
    import dask.dataframe as dd

    check_files(args.data, args)
    with connect(args.dask, err, fit=True, target=args.target, where=args.data) as client:
        # Dropped columns as text: their values are no feature, and the files may type them
        # otherwise in some rows than in the first (a number, then a code), which in memory
        # goes unnoticed; test rows written to a CSV file then copy them as the files spell
        # them (an id 007, or one of 17 digits, read as a float was written 7.0, or rounded).
        # Test rows written to Parquet keep their types.
        typed = args.test_out is not None and not writes_csv(args.test_out)
        dropped = () if typed else args.drop
        text = [*dropped, *args.categorical]
        # (a regression target's whole numbers are numbers as fractions are: read as floats)
        kept = None if args.task == "regression" else args.target
        frame = read_frame(args.data, args, text=text, keep=kept)
        dialect = layout(args.data, args)
        categorical = [column(name, frame, args.data, "--categorical", dialect)
                       for name in comma_names(args.categorical, frame.columns)]
        # (named in the order of the in-memory command, which says the first it lacks)
        target = column(args.target, frame, args.data, dialect=dialect)
        drop = [column(name, frame, args.data, "--drop", dialect)
                for name in comma_names(args.drop, frame.columns)]
        as_spelled = [*(() if typed else drop), *categorical]
        if not set(as_spelled) <= set(text) and not reads_parquet(args.data):
            # named by position, or by a name that holds commas: read again, as spelled
            frame = read_frame(args.data, args, text=[*text, *as_spelled], keep=kept)
        # numbers too (from Parquet files) are categories: the statistics count them as such;
        # each partition as its own file types the column (numbers in one, text in the next)
        frame = frame.assign(**{name: frame[name].map_partitions(
            as_categories, meta=as_categories(frame[name]._meta)) for name in categorical})
        options = recorded_options(args.data, args, frame)
        check_roles(target, drop, categorical)
        test = None
        if test_size > 0:
            frame, rest, test, no_target = prepared.hold_out_test_rows(frame, test_size,
                                                                      args.seed, target)
        features = frame.drop(columns=[target, *drop])
        if len(features.columns) == 0:
            raise DataError(f"{args.data}: no feature columns are left besides the target")
        stats = prepared.statistics(frame, features, target, args.task)
        if test is not None:  # (as in memory, of every row: a test row's too)
            stats["target missing"] = no_target
        warn_of_little_memory(client, err)
        if not sum(stats["rows"]) and test is not None and sum(test[1]):  # as in memory
            total = sum(test[1])
            raise DataError(f"{args.data}: {counted(total, 'row')} "
                            f"{'is' if total == 1 else 'are'} too few to hold out "
                            f"{100 * test_size:.15g}% as test rows; lower --test-size or set it "
                            "to 0")
        if not sum(stats["rows"]):
            raise DataError(f"{args.data}: no rows are left to train on")
        if args.task == "auto":
            check_text_target(frame[target], target, args.data,
                              stats.get("classes"), commas=options.sep not in (None, ","))
        task = infer_task(args.task, stats, frame[target].dtype)
        if task is None:  # integers: are there few of them? (a second, smaller pass)
            stats["classes"] = frame[target].dropna().value_counts(split_out=1).compute(
                ).to_dict()
            task = infer_task(args.task, stats, frame[target].dtype)
        if task == "classification" and frame[target].dtype.kind == "f":
            fractional = [label for label in stats["classes"] if float(label) % 1 != 0]
            if fractional:  # as in memory; scikit-learn would say "Unknown label type"
                refuse_fractional_labels(min(fractional), target, args.data)
        if stats["target missing"]:
            words = missing_words(args.data, args, [target]).get(target, {})
            given = given_marker_words(given_markers(args.data, args, target))
            raise DataError(f"{args.data}: the target column {target!r} is missing in "
                            f"{int(stats['target missing'])} row(s); drop those rows"
                            f"{missing_label_words(words)}{f' (of them, {given})' if given else ''}")
        if task == "classification":
            check_labels(args, frame[target].dtype, target, stats["classes"], err)
        try:
            preprocessor = Preprocessor.from_statistics(
                {c: (stats["mean"][c], stats["std"][c], stats["top"][c])
                 for c in stats["numeric"]},
                {c: stats[("text", c)] for c in stats["text"]}, stats["missing"],
                impute=args.impute, declared=categorical, commas=options.sep not in (None, ","))
        except MissingValuesError as error:
            words = missing_words(args.data, args, [c for c in stats["text"]
                                                    if stats["missing"].get(c)])
            # (the words are counted over every row; the missing values, without test rows)
            hint = missing_words_hint(words, among_refused=test is None)
            raise DataError(f"{args.data}: {error}{hint}") from None
        except DataError as error:
            raise DataError(f"{args.data}: {error}") from None
        # as in memory, but over all the files' rows (the statistics are theirs; a row
        # number's values are distinct among the rows left after the test rows, and span at
        # most all the rows)
        for line in feature_warnings(preprocessor, None, sum(stats["rows"])):
            print(line, file=err)
        for name, count, first, last in prepared.row_numbers(
                rest if test is not None else frame.to_delayed(), stats["numeric"], stats,
                sum(stats["rows"]) + (sum(test[1]) if test is not None else 0)):
            print(row_number_warning(name, first, last, count), file=err)
        if args.impute:  # said as in memory, of all the rows but the test rows
            say_filled_counts(args.data, {**{name: stats["missing"].get(name, 0) for name in
                                             preprocessor.columns},
                                          None: stats["no value"]}, err, how="")
            filled = [name for name, *_ in preprocessor.categorical if stats["missing"].get(name)]
            warn_of_filled_words(missing_words(args.data, args, filled), preprocessor, err)
        if reads_parquet(args.data):
            check_text_survives_csv(args.data, preprocessor, args.na_values or [],
                                    args.test_out is not None and writes_csv(args.test_out), err)
        target_mean, target_scale = 0.0, 1.0
        if task == "regression":
            target_mean, target_scale = target_scaling(target, mean=stats["y_mean"], std=stats["y_std"])
            warn_of_constant_target(target, stats["y_mean"], stats["y_std"], err)
        elif len(stats["classes"]) < 2:
            raise DataError(f"{args.data}: the target column {target!r} has a single class; "
                            "classification needs at least two")
        dtype = np.dtype(args.dtype)
        encode = dask.delayed(prepared.encode, pure=True)
        # The whole frame's partitions, as counted in `stats`: selecting columns first lets
        # Dask merge small Parquet partitions, and the counts would then name other rows.
        parts = rest if test is not None else frame.to_delayed()
        rows = [int(m) for m in stats["rows"]]
        if len(parts) != len(rows):
            raise RuntimeError(f"{len(parts)} partitions against {len(rows)} counted")
        encoded = _kept(client, [encode(part, preprocessor, target, task, target_mean,
                                        target_scale, dtype, m) for part, m in zip(parts, rows)],
                        sum(rows), preprocessor.n_features, dtype)
        y_dtype = np.float64 if task == "regression" else label_dtype(frame[target].dtype)
        width = preprocessor.n_features
        try:
            X, y, validation = prepared.validation_split(encoded, rows, args.validation_fraction,
                                                         args.seed, width, dtype, y_dtype)
        except DataError as error:
            raise DataError(f"{args.data}: {error}") from None
        if test is not None:
            parts, test_rows = test
            encoded = [encode(part, preprocessor, target, task, target_mean, target_scale,
                              dtype, m) for part, m in zip(parts, test_rows)]
            test = (dd.from_delayed(parts, meta=frame._meta, verify_meta=False),
                    prepared.arrays(encoded, test_rows, width, dtype, y_dtype))
        model = TabularModel(make_estimator(task, args, err, largest=max(X.chunks[0])),
                             preprocessor, target, task, target_mean, target_scale)
        model.read_options = options
        classes = len(stats["classes"]) if task == "classification" else 0
        return train(args, model, X, y, validation, test, classes, err)
