"""Training on the encoded partitions of `ffnn fit --dask`: the estimator's fit on the
cluster, kept at its best validation epoch, said as it goes; then the scores of the training,
validation and test rows, the test rows written out, and the model saved with the provenance of
its files (their fingerprint and split), by which evaluate tells the rows seen in training."""

from ..exceptions import DataError
from ..tabular import Provenance, files_hash
from ..tabular.values import counted
from . import distributed_metrics
from .distributed_files import files_of, fingerprint, say_read
from .distributed_outputs import glob_of, write_rows
from .evaluation import say_metrics
from .fit import save_model
from .fit_options import layer_sizes, test_fraction
from .stopping import ending, train_keeping_best, unit_of


def provenance(args, n_train, n_val, n_test):
    """The record of the files trained on, by their fingerprint, and of their split, so that
    evaluate can tell the training files (optimistic scores) and the test rows apart."""
    # files_hash even of one file: the in-memory commands know a training file by its SHA-256
    # and rebuild its split row by row, which is not the split made here partition by partition
    data = Provenance(args.data, files_hash(files_of(args.data)), n_train + n_val + n_test,
                      args.seed, args.validation_fraction, float(test_fraction(args)), n_train,
                      n_val, n_test)
    if args.test_out:
        data.test_name, data.test_sha256 = args.test_out, fingerprint(glob_of(args.test_out))
    return data


def train(args, model, X, y, validation, test, classes, err):
    """Train the model's estimator on dask arrays X, y (and validation and test rows as (X, y),
    the test rows with their frame first) of `classes` classes (0 for a regression), say how it
    went, write the test rows, and save."""
    estimator, task = model.estimator, model.task
    metric = "accuracy" if task == "classification" else "R²"
    unit = unit_of(args.solver)
    n_val = 0 if validation is None else validation[0].shape[0]
    say_read(args.data, args, always=not args.quiet, stream=err)  # even quiet, where unusual
    if not args.quiet:
        held = f", {n_val:,} held out for validation" if n_val else ""
        held += f", {test[1][0].shape[0]:,} for testing" if test is not None else ""
        units = "; loss in units of the standardised target" if task == "regression" else ""
        print(f"training a {task} network {layer_sizes(X.shape[1], args, classes)} on "
              f"{X.shape[0]:,} rows"
              f"{held} in {X.numblocks[0]} partitions ({counted(X.shape[1], 'feature')} after "
              f"encoding{units})", file=err)
    try:
        best, kept = train_keeping_best(
            estimator, args, metric, unit,
            lambda callback: estimator.fit(X, y, callback=callback, validation_data=validation))
    except ValueError as error:
        # the estimator's classes are the training rows', which a class of few rows may miss
        # (in memory the split keeps every class among them)
        if validation is None or "validation y has classes" not in str(error):
            raise
        raise DataError(f"{args.data}: {error}: with --dask the validation rows are not drawn "
                        "by class, and all the rows of such a class fell to them; give "
                        "another --seed or a smaller --validation-fraction, or drop the rows "
                        "of that class") from None
    if estimator.interrupted_ is not None:
        print(f"interrupted during {unit} {estimator.interrupted_}; no model written", file=err)
        return 130
    model.kept_epoch, model.stopped = ending(estimator, best, kept, args, metric, unit,
                                             n_val > 0)
    n_test = 0 if test is None else test[1][0].shape[0]
    parts = {"training": (X, y), "validation": validation,
             "test": None if test is None else test[1]}
    metrics, unknown = distributed_metrics.of_parts(
        estimator, {name: rows for name, rows in parts.items() if rows is not None},
        model.target_scale)
    model.metrics.update(metrics)
    if test is not None and args.test_out:
        write_rows(test[0], args.test_out, model.read_options)
    model.data = provenance(args, X.shape[0], n_val, n_test)
    save_model(model, args.output)
    unseen = distributed_metrics.unseen_classes_warning(unknown.get("test"), n_test)
    if unseen:
        print(unseen, file=err)
    # (ROC AUC is not computed on a cluster: its absence is no note)
    say_metrics(model.metrics, stream=err)
    print(model.stopped)
    if test is not None and args.test_out:
        print(f"wrote {n_test} test rows to {args.test_out} (never used for "
              f"training or to choose the {unit}; score them with: ffnn evaluate "
              f"{args.output} '{glob_of(args.test_out)}' --dask)")
    print(f"saved {args.output}")
    return 0
