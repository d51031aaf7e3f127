"""The rows of `--dask` files that a model saw in training, recognised on the cluster as
`ffnn evaluate` recognises them in memory (`heldout`)."""

from ..tabular import row_hashes
from .distributed_files import files_of
from .evaluation import printable


def seen_rows(part, model):
    """How many rows of a partition are identical to rows that trained or validated an
    in-memory model (see `heldout`): hashed as fit hashed them, each label as the class it names
    (`heldout.as_classes`, as in memory: the cluster reads a classifier's labels of CSV files as
    text, where '1' names the class 1 of integer classes and True of boolean ones)."""
    from .heldout import as_classes

    if model.data is None or model.data.seen_hashes is None:
        return 0
    if model.task == "classification":
        part = part.assign(**{model.target: as_classes(part[model.target], model)})
    return int(model.data.seen(row_hashes(part, [*model.preprocessor.columns,
                                                 model.target])).sum())


def seen_notice(model, pattern):
    """What to tell a user scoring the model on these files, or None: as in memory
    (`heldout.Seen`), but the rows of each part are not told apart on the cluster."""
    from .heldout import Seen

    d = model.data
    if d is None:
        return None
    files = files_of(pattern)
    role, _ = d.role_of(files)
    if role != "training":
        return Seen(role).notice(model, pattern, None)
    what, whose = ("the file", "its") if len(files) == 1 else ("the files", "their")
    verb = "is" if [str(pattern)] == [str(f) for f in files] else "holds"  # a name, not a glob
    return (f"note: {pattern} {verb} {what} this model was trained on: {d.training_rows} of "
            f"{whose} {d.rows} rows trained the network and {d.validation_rows} validated it, so "
            "scores over all of them are optimistic; "
            + (f"score the {d.test_rows} test rows written to {printable(d.test_name)} instead"
               if d.test_name else f"{d.test_rows} test rows were held out but not written"
               if d.test_rows else "hold out test rows with 'ffnn fit "
               # (a model trained in memory keeps the hashes of its rows; one on a cluster none)
               + ("--dask --test-size 0.2 --test-out FOLDER'" if d.seen_hashes is None else
                  "--test-size 0.2 --test-out FILE'")))
