"""The rows of `--dask` files that a model saw in training, recognised on the cluster as
`ffnn evaluate` recognises them in memory (`heldout`)."""

import numpy as np

from ..tabular import row_hashes
from .distributed_files import files_of
from .evaluation import printable


def seen_rows(part, model):
    """How many rows of a partition are identical to rows that trained or validated an
    in-memory model (see `heldout`): hashed as fit hashed them, labels that were numbers or
    booleans in training as such (the cluster reads a classifier's labels of CSV files as text,
    Parquet booleans as booleans)."""
    import pandas as pd

    if model.data is None or model.data.seen_hashes is None:
        return 0
    classes = np.asarray(model.classes_) if model.task == "classification" else None
    if classes is not None and classes.dtype.kind in "biuf":
        part = part.copy()
        labels = part[model.target]
        part[model.target] = (pd.to_numeric(labels, errors="coerce") if classes.dtype.kind != "b"
                              else labels if pd.api.types.is_bool_dtype(labels)  # Parquet's
                              # as pandas reads true, True and TRUE in memory
                              else labels.str.strip().str.lower().map({"true": True,
                                                                       "false": False}))
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
               if d.test_rows else "hold out test rows with 'ffnn fit --dask --test-size 0.2 "
               "--test-out FOLDER'"))
