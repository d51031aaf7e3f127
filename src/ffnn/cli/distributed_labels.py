"""The task and class labels of files read with --dask, found and checked as fit does in memory."""

from ..exceptions import DataError
from ..tabular.files import few_classes
from .distributed_data import is_numeric
from .distributed_files import reads_parquet, spellings
from .targets import guessed_classes_note, merged_spellings, spaced_warning


def check_labels(args, dtype, target, classes, stream):
    """Refuse class labels that CSV files spell apart but Dask reads as one number ('007' and
    '7'): in memory they are kept as text, each a class of its own (`targets.class_labels`),
    which the cluster's reading cannot do. Warn of labels that differ only by spaces around
    them, and say a guess of classes from whole numbers, as in memory."""
    spelled = None
    if is_numeric(dtype) and not reads_parquet(args.data):
        spelled = spellings(args.data, args, target)
    if spelled is not None:
        import pandas as pd

        merged = merged_spellings(pd.to_numeric(spelled.str.strip(), errors="coerce"), spelled)
        if merged:
            shown = "; ".join(" and ".join(map(repr, group)) for group in merged[:3])
            raise DataError(f"{args.data}: the target column {target!r} spells one number in "
                            f"more than one way ({shown}), which --dask reads as one class; "
                            "write them alike in the files, or fit without --dask, which keeps "
                            "such labels apart, as text")
    warning = spaced_warning(list(classes), target)
    if warning:
        print(warning, file=stream)
    note = guessed_classes_note(args.task, is_numeric(dtype), len(classes), target)
    if note:
        print(note, file=stream)


def infer_task(asked, stats, dtype):
    """The task `asked`, or the one the target's type and statistics say; None where whole
    numbers need their value counts (stats["classes"]) first, a second pass."""
    if asked != "auto":
        return asked
    if not is_numeric(dtype):
        return "classification"
    if not stats["integral"]:
        return "regression"
    if "classes" not in stats:
        return None
    return "classification" if few_classes(list(stats["classes"].values())) else "regression"


def label_dtype(dtype):
    return dtype if is_numeric(dtype) or str(dtype) == "bool" else object
