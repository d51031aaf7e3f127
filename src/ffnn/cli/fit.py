"""`ffnn fit`: read a table, split its rows (test rows, validation rows, training rows), learn
the preprocessing on the training rows, train with progress, keep the weights of the best
validation epoch, say why training stopped, report metrics and save the model (never a partial
one). Every output is checked before any work."""

import sys
import warnings
from pathlib import Path

import numpy as np

from ..exceptions import DataError
from ..persistence import save
from ..tabular import (
    FarColumnWarning,
    MissingValuesError,
    Preprocessor,
    Provenance,
    ReadOptions,
    TabularModel,
    UnseenCategoryWarning,
    class_codes,
    file_hash,
    infer_task,
    looks_numeric,
    row_hashes,
    target_scaling,
)
from ..tabular.files import PARQUET_SUFFIXES
from ..tabular.parquet import check_writable
from ..tabular.spelling import rows_as_spelled
from ..tabular.values import as_categories, counted
from .evaluation import classification_metrics, regression_metrics, say_metrics
from .features import feature_warnings, warn_filled_words, warn_of_constant_target, words_read_as_missing
from .fit_options import check_options, check_roles, layer_sizes, make_estimator, test_fraction
from .options import comma_names
from .outputs import (
    allocating,
    check_csv_name,
    check_outputs,
    check_replaceable_model,
    check_uncompressed_test_rows,
    compression,
    whole_file,
    with_separator_of,
)
from .splits import split_rows
from .stopping import checkpoint_words, ending, train_keeping_best, unit_of
from .tables import (
    check_text_survives_csv,
    column,
    csv_layout,
    options_to_record,
    read_data,
    say_dialect,
)
from .targets import (
    check_text_target,
    class_labels,
    guessed_classes_note,
    spaced_warning,
    target_column,
    target_values,
)


def fit_table(args):
    err = sys.stderr
    data = Path(args.data)
    test_size = test_fraction(args)
    check_options(args, test_size)
    check_outputs([("-o", args.output), ("--test-out", args.test_out, "test.csv"),
                   ("--checkpoint", args.checkpoint)], [("data file", data)],
                  models=("-o", "--checkpoint"))
    check_replaceable_model("-o", args.output, args.force)
    check_csv_name("--test-out", args.test_out, "fit")  # a name not of Parquet writes CSV
    check_uncompressed_test_rows("--test-out", args.test_out)
    if args.test_out and _writes_parquet(Path(args.test_out)):
        check_writable(args.test_out)
    if args.checkpoint:
        check_replaceable_model("--checkpoint", args.checkpoint, args.force)

    with allocating(f"reading {data}"):
        table = read_data(data, args, text=args.categorical)
        categorical = [column(name, table, "--categorical")
                       for name in comma_names(args.categorical, table.frame.columns)]
        if not set(categorical) <= set(args.categorical) and (table.dialect is not None
                                                              or args.na_values):
            # named by position: as spelled (as text, where markers make others numbers)
            table = read_data(data, args, text=categorical)
    frame = table.frame
    target = column(args.target, table)
    drop = [column(name, table, "--drop") for name in comma_names(args.drop, frame.columns)]
    check_roles(target, drop, categorical)
    dialect = table.dialect
    if dialect is not None and dialect.header is not None and looks_numeric(
            dialect.header, dialect.options.decimal):
        print(f"warning: the first line of {data} looks like data (numbers), not column names; "
              "if the file has no header, pass --no-header", file=err)
    y = target_column(frame, target, data, table=table)
    features = frame.drop(columns=[target, *drop])
    if features.shape[1] == 0:
        raise DataError(f"{data}: no feature columns are left besides the target")
    if args.task == "auto":
        check_text_target(y, target, data)
    task = args.task if args.task != "auto" else infer_task(y)
    y_values = target_values(y, task, target, data)
    said = []  # notes and warnings, printed once the file has passed fit's checks
    if task == "classification":
        y_values, note = class_labels(table, target, y_values)
        # numbers kept as the file spells them (a note of their own) are codes, not amounts
        numeric = y.dtype.kind in "iuf" and note is None
        said += [note, spaced_warning(np.unique(y_values), target),
                 guessed_classes_note(args.task, numeric, len(np.unique(y_values)), target)]
    if task == "classification" and len(np.unique(y_values)) < 2:
        raise DataError(f"{data}: the target column {target!r} has a single class "
                        f"({np.unique(y_values)[0].item()!r}); classification needs at least two")

    try:
        Preprocessor(impute=args.impute, declared=categorical).check(features)
    except MissingValuesError as error:
        raise DataError(f"{data}: {error}{words_read_as_missing(table, features)}") from None
    except DataError as error:
        raise DataError(f"{data}: {error}") from None
    split = split_rows(len(frame), y_values if task == "classification" else None,
                       args.validation_fraction, test_size, args.seed, data)
    for line in [*filter(None, said), *(f"warning: {note}" for note in split.notes)]:
        print(line, file=err)
    train, val, test = split.train, split.validation, split.test
    if args.early_stopping and len(val) == 0:
        raise DataError(f"{data}: --early-stopping needs validation rows, and none are left")
    dtype = np.dtype(args.dtype)
    with allocating(f"encoding {len(frame):,} rows of {features.shape[1]:,} columns", "fit",
                    args.dtype), \
            warnings.catch_warnings():
        # Validation rows holding a category that the training rows lack, or far from their
        # mean, are the split's doing, not news about the data: they are encoded without a word.
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        warnings.simplefilter("ignore", FarColumnWarning)
        try:
            preprocessor = Preprocessor(impute=args.impute, declared=categorical).fit(
                features.iloc[train])
            # the rows a cluster's statistics would describe: all but the test rows
            kept = np.ones(len(features), dtype=bool)
            kept[test] = False
            kept = features if kept.all() else features.iloc[kept]
            for line in feature_warnings(preprocessor, kept, len(train), len(frame)):
                print(line, file=err)
            if args.impute:  # (the rows that train or validate: the test rows are filled later)
                warn_filled_words(table, preprocessor, err, kept)
            if table.dialect is None:  # Parquet
                to_csv = args.test_out is not None and not _writes_parquet(Path(args.test_out))
                check_text_survives_csv(args.data, preprocessor, args.na_values or [], to_csv,
                                        err)
            X_train = preprocessor.transform(features.iloc[train], dtype)
            X_val = preprocessor.transform(features.iloc[val], dtype) if len(val) else None
        except DataError as error:
            raise DataError(f"{data}: {error}") from None
    with allocating(f"hashing {len(train) + len(val):,} rows"):
        seen_hashes = _seen_hashes(frame, np.concatenate([train, val]), preprocessor.columns,
                                   target, y_values)
    target_mean, target_scale = 0.0, 1.0
    y_train, y_val = y_values[train], y_values[val]
    if task == "regression":
        target_mean, target_scale = target_scaling(target, y_train)
        warn_of_constant_target(target, target_mean, y_train.std(), err)
        y_train = (y_train - target_mean) / target_scale
        y_val = (y_val - target_mean) / target_scale

    estimator = make_estimator(task, args, n_train=len(train))
    metric = "accuracy" if task == "classification" else "R²"
    unit = unit_of(args.solver)
    # how the file was read is said even when quiet where it was not plain comma-separated
    say_dialect(table, always=not args.quiet)
    if not args.quiet:
        held = f", {len(val)} held out for validation" if len(val) else ""
        held += f", {len(test)} for testing" if len(test) else ""
        # a regression network learns the standardised target: its losses are in those units
        units = "; loss in units of the standardised target" if task == "regression" else ""
        classes = len(np.unique(y_train)) if task == "classification" else 0
        print(f"training a {task} network {layer_sizes(X_train.shape[1], args, classes)} on "
              f"{counted(len(train), 'row')}{held} ({counted(X_train.shape[1], 'feature')} "
              f"after encoding{units})", file=err)
    def fit(callback):
        with allocating(f"training on {len(train):,} rows × {X_train.shape[1]:,} features",
                        "fit", args.dtype):
            estimator.fit(X_train, y_train, callback=callback,
                          validation_data=(X_val, y_val) if len(val) else None)

    best, kept = train_keeping_best(estimator, args, metric, unit, fit)
    model = TabularModel(estimator, preprocessor, target, task, target_mean, target_scale)
    model.read_options = _recorded_options(args, table)

    if estimator.interrupted_ is not None:
        return _interrupted(model, estimator, kept, args, unit, err)

    model.kept_epoch, model.stopped = ending(estimator, best, kept, args, metric, unit,
                                             len(val) > 0)
    parts = {"training": train, "validation": val, "test": test}
    for part, rows in parts.items():
        if len(rows):
            model.metrics[part] = _metrics(model, features.iloc[rows], y_values[rows])
    model.data = Provenance(data.name, file_hash(data), len(frame), args.seed,
                            args.validation_fraction, float(test_size), len(train), len(val),
                            len(test))
    # the rows themselves, for files that hold some of them but not these bytes
    model.data.keep_rows(seen_hashes)
    if args.test_out:
        _write_rows(np.sort(test), Path(args.test_out), table, categorical)
        model.data.test_name = Path(args.test_out).name
        model.data.test_sha256 = file_hash(args.test_out)
    save_model(model, args.output)
    say_metrics(model.metrics, model.classes_, err)
    print(model.stopped)
    if args.test_out:
        print(f"wrote {counted(len(test), 'test row')} to {args.test_out} (never used for "
              f"training or to choose the {unit}; score them with: ffnn evaluate "
              f"{args.output} {args.test_out})")
    print(f"saved {args.output}")
    return 0


def _seen_hashes(frame, rows, columns, target, y_values):
    """`row_hashes` of the rows that train or validate the network, taken before training (a
    table too large to hash fails before the work, not after it)."""
    seen = frame[[*columns, target]].iloc[rows]
    if np.asarray(y_values).dtype.kind in "OSU" and frame[target].dtype.kind not in "OSU":
        # labels kept as the file spells them ('007'), as later files are read for this model
        seen = seen.copy()
        seen[target] = np.asarray(y_values)[rows]
    return row_hashes(seen, [*columns, target])


def _recorded_options(args, table):
    """What `predict` should read new files with (see `options_to_record`)."""
    if table.dialect is None:  # Parquet: its markers of missing values only
        return ReadOptions(na_values=list(args.na_values or []))
    return options_to_record(table.dialect.options, table.frame.columns)


def _writes_parquet(path):
    return path.suffix.lower() in PARQUET_SUFFIXES


def _write_rows(rows, path, table, categorical=()):
    """The test rows (positions) as they were read, in the training file's layout (so that the
    model reads them as it reads its training file) but separated by tabs under a .tsv name, as
    predict -o writes one, or as Parquet for a .parquet name. From a CSV file to CSV, each field
    as the file spells it (an identifier 007 stays 007); from a Parquet file, the numbers of
    `categorical` columns as the model's categories spell them (2139, not the 2139.0 of a column
    of floats, which a CSV file's text keeps). The file appears whole, or not at all where fit
    stops while writing it."""
    with whole_file(path) as handle:
        if _writes_parquet(path):
            table.frame.iloc[rows].to_parquet(handle, index=False)
            return
        if table.dialect is None:  # Parquet to CSV
            frame = table.frame.iloc[rows]
            frame = frame.assign(**{name: as_categories(frame[name]) for name in categorical})
            frame.to_csv(handle, index=False, compression=compression(path),
                         **with_separator_of(path, csv_layout(ReadOptions(sep=","))))
            return
        used = table.dialect.options
        rows_as_spelled(table, rows).to_csv(handle, header=used.header, index=False,
                                            compression=compression(path),
                                            **with_separator_of(path, csv_layout(used)))


def save_model(model, path):
    with allocating("saving the model"):
        try:
            save(model, path)
        except OSError as error:  # name the file asked for, not the temporary one beside it
            raise DataError(f"{path}: cannot be written ({error.strerror or error})") from None


def _interrupted(model, estimator, kept, args, unit, err):
    during = f"interrupted during {unit} {estimator.interrupted_}"
    if args.checkpoint:
        model.kept_epoch, saved = checkpoint_words(estimator, kept, args, unit)
        model.stopped = during
        save_model(model, args.checkpoint)
        print(f"{during}; saved {saved} to {args.checkpoint} ({args.output} was not written)", file=err)
    else:
        print(f"{during}; no model written (with --checkpoint PATH the best model so far is "
              "saved there)", file=err)
    return 130


def _metrics(model, features, y):
    if model.task == "regression":
        return regression_metrics(y, model.predict(features))
    return classification_metrics(class_codes(y, model.classes_), model.predict_proba(features),
                                  model.classes_)
