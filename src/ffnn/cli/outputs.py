"""The files a command writes, checked before any work: none may be one of its inputs, each
goes into a folder that exists and can be written, and `fit` replaces only ffnn model files
unless forced. Also the one-line report of running out of memory, naming what was allocated."""

import contextlib
import os
import stat
from pathlib import Path

from .parser import UsageError

# Names of formats other than CSV text (a compressed name, such as .csv.gz, is written
# compressed, and is not among them)
NOT_CSV = (".xlsx", ".xlsm", ".xls", ".ods", ".json", ".feather", ".arrow", ".h5", ".hdf5",
           ".pkl", ".pickle", ".npy", ".npz", ".ffnn", ".png", ".jpg", ".jpeg", ".pdf", ".svg")


def check_csv_name(option, path, command):
    """Refuse, before any work, a CSV output under the name of another format (out.xlsx, or
    compressed, out.json.gz): a file that no program for that format opens."""
    if path is not None and format_suffix(path) in NOT_CSV:
        raise UsageError(f"{option} {path}: {command} writes CSV, not {format_suffix(path)} "
                         "files; give a .csv file name")


def format_suffix(path):
    """The suffix, in lower case, that names the format of the file a name holds, beneath
    any compression or archive: .json for out.json, out.json.gz and out.json.tar.gz."""
    name = Path(path)
    if name.suffix.lower() in COMPRESSIONS:
        name = Path(name.stem)
    if name.suffix.lower() == ".tar":  # out.tsv.tar.gz: a compressed archive of out.tsv
        name = Path(name.stem)
    return name.suffix.lower()


def check_compressor(option, path):
    """Refuse, before any work, a .zst name where the zstandard package is missing: pandas
    compresses .zst through it, and imports it only once the rows are written, so the command
    would fail after all its work."""
    if path is not None and compression(path) == "zstd" and not _has_zstandard():
        raise UsageError(f"{option} {path}: writing a .zst file needs the zstandard package "
                         "(pip install zstandard); or give a name ending .gz, .bz2 or .xz")


def _has_zstandard():
    try:
        import zstandard  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def whole_file(path):
    """A binary handle for the output `path`, whose contents appear there only once complete:
    a regular file (new or replaced) is written beside and renamed into place, so that a command
    interrupted or failing half-way leaves the earlier file or none, never a part of one; a
    pipe or a device (/dev/stdout), which cannot be renamed over, is written directly."""
    from ..persistence import atomic_file

    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # none yet
        regular = True
    with atomic_file(path) if regular else open(path, "wb") as handle:
        yield handle


# What pandas compresses a file of each name with, as its compression="infer" does for a path
# (the file is written through a handle, whose temporary name says nothing)
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd",
                ".tar": "tar"}


def with_separator_of(path, layout):
    """to_csv's `layout` (sep, na_rep, decimal) for a file named `path`: a .tsv name (out.tsv,
    out.tsv.gz, or an archive of out.tsv: out.tsv.zip, out.tsv.tar.gz) says tab-separated
    values, whatever the input's separator."""
    return {**layout, "sep": "\t"} if format_suffix(path) == ".tsv" else layout


def compression(path):
    """to_csv's compression for a file named `path` (out.csv.gz: gzip), or None; an archive
    (.zip, .tar) holds one file, named as `path` without the archive's suffix."""
    path = Path(path)
    method = COMPRESSIONS.get(path.suffix.lower())
    if method in ("zip", "tar"):
        return {"method": method, "archive_name": path.stem}
    if method in ("gzip", "bz2", "xz") and Path(path.stem).suffix.lower() == ".tar":
        # out.csv.tar.gz: pandas reads a tar archive compressed by `method`, not a gzip of CSV;
        # its tar writer takes the compression from the name's suffix, as it does for a path
        return {"method": "tar", "name": str(path), "archive_name": Path(path.stem).stem}
    return method


def check_uncompressed_test_rows(option, path):
    """Refuse, before any work, test rows under a compressed name (test.csv.gz): they are
    written for 'ffnn evaluate', which reads CSV text only, so the command fit suggests for
    them would fail."""
    if path is not None and compression(path) is not None:
        raise UsageError(f"{option} {path}: test rows are written for 'ffnn evaluate', which "
                         "reads no compressed file; give a .csv name, or .parquet for a "
                         "smaller file")


class OutOfMemory(Exception):
    """Memory ran out; the message says while doing what, and what to try instead."""


def memory_fix(command, dtype=None):
    """What to try where memory ran out in `command` (training in `dtype`, for fit), in
    options that command takes."""
    if command == "fit":
        return "; use fewer columns (--drop) or rows" + (
            ", or --dtype float32 to halve the network's memory" if dtype != "float32" else "")
    if command in ("predict", "evaluate"):
        return ("; give it fewer rows at a time, or read the file in partitions with --dask"
                + (" (and -o)" if command == "predict" else ""))
    return "; give it fewer rows" if command == "plot" else ""


@contextlib.contextmanager
def allocating(what, command="fit", dtype=None):
    """Turn a MemoryError inside the block into OutOfMemory saying what was being done (and
    what to try: see memory_fix)."""
    try:
        yield
    except MemoryError as error:
        detail = f" ({' '.join(str(error).split())})" if str(error) else ""
        raise OutOfMemory(f"out of memory while {what}{detail}{memory_fix(command, dtype)}") from None


def same_file(a, b):
    a, b = Path(a), Path(b)
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def check_outputs(outputs, inputs, models=()):
    """Refuse, before any work, outputs [(option, path) or (option, path, an example file name
    for what it writes)] that name an input [(what, path)] or each other, or that cannot be
    written where they are; and outputs other than the options `models` (which write model
    files, see `check_replaceable_model`) that would write over an ffnn model file: predictions
    written over a model destroy it as surely as over an input."""
    named = [(option, path, *example) for option, path, *example in outputs
             if path is not None]
    for option, path, *example in named:
        for what, source in inputs:
            if source is not None and same_file(path, source):
                raise UsageError(f"{option} {path} is the {what}: writing it would destroy the "
                                 "input; choose another file name")
        _check_place(option, Path(path), example[0] if example else
                     "model.ffnn" if option in models else "out.csv")
        if option not in models and holds_model(path):
            raise UsageError(f"{option} {path} holds an ffnn model: writing there would destroy "
                             "it; choose another file name")
        if option not in models and _write_protected(Path(path)):
            # an output is renamed into place, which the folder allows over a read-only file
            raise UsageError(f"{option} {path} is read-only: it is not replaced; make it "
                             f"writable (chmod u+w {path}) or choose another file name")
    for k, (option, path, *_) in enumerate(named):
        for other, other_path, *_ in named[k + 1:]:
            if same_file(path, other_path):
                raise UsageError(f"{option} and {other} both name {path}; give each its own file")


def _write_protected(path):
    """Whether `path` is a regular file that no one is allowed to write (no write bit)."""
    try:
        status = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and not status.st_mode & 0o222


def check_keeps_model_data(option, path, model):
    """Refuse an output that would write over the file a model was trained on, or the test
    rows its fit wrote: not inputs of the command, but data the user cannot get back. Known
    by the fingerprints the model records (see `Provenance.role_of`)."""
    path = Path(path) if path is not None else None
    if path is None or not path.is_file() or model.data is None:
        return
    role, _ = model.data.role_of([path])
    if role is not None:
        what = "the file this model was trained on" if role == "training" else \
            "the test rows this model's fit held out"
        raise UsageError(f"{option} {path} holds {what}: writing there would destroy it; "
                         "choose another file name")


def holds_model(path, limit=2**24):
    """Whether `path` is a regular file that ffnn saved: a safetensors container (an 8-byte
    little-endian header length, then the JSON header) whose metadata holds ffnn's description.
    Only the header's first `limit` bytes are read."""
    import struct

    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
            if len(start) < 8:
                return False
            (length,) = struct.unpack("<Q", start)
            header = handle.read(min(length, limit))
    except OSError:
        return False
    return header.startswith(b"{") and b'"__metadata__"' in header and b'"ffnn"' in header


def _check_place(option, path, example):
    if path.is_dir():
        raise UsageError(f"{option} {path} is a folder; give a file name inside it, such as "
                         f"{path / example}")
    if path.exists() and not path.is_file():
        return  # a device or pipe (e.g. /dev/stdout): writing to it is the user's intent
    folder = path.parent
    if not folder.exists():
        raise UsageError(f"{option} {path}: the folder {folder} does not exist; create it first "
                         f"(mkdir -p {folder}) or choose another place")
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: cannot write in the folder {folder} (permission "
                         "denied); choose another place")
    reason = _cannot_create_in(folder)
    if reason is not None:  # os.access answers yes for root, and for /proc or /sys
        raise UsageError(f"{option} {path}: cannot write in the folder {folder} ({reason}); "
                         "choose another place")


def _cannot_create_in(folder):
    """Why a file cannot be created in `folder`, found by creating (and removing) an empty one;
    None when it can."""
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ffnn-write-check-"):
            pass
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


def check_replaceable_model(option, path, force):
    """`fit` may replace an existing file only if it is an ffnn model (or with --force), and
    never a pipe or a device."""
    from ..exceptions import ModelFileError
    from ..persistence import NotReplaceable, load, replaced_file

    try:
        replaced_file(path)  # a model file replaces a regular file only (or follows a link)
    except NotReplaceable as error:
        raise UsageError(f"{option} {path}: {error.reason}") from None
    path = Path(path)
    if force or not path.is_file():
        return
    try:
        load(path)
    except ModelFileError:
        raise UsageError(f"{option} {path} exists and is not an ffnn model file; pass --force "
                         "to replace it, or choose another file name") from None


def prediction_column(target, kept, labels=()):
    """The name of the predictions' column beside the columns that --keep keeps (`kept`): the
    target's, or <target>_predicted where a kept column has that name (with _predicted added
    again while one has that too: a kept column is never overwritten). With class `labels`,
    the probability columns proba_<label> come first, and UsageError says where one would take
    a kept column's name."""
    clash = [f"proba_{label}" for label in labels if f"proba_{label}" in kept]
    if clash:
        raise UsageError(f"--keep keeps a column named {clash[0]!r}, which --proba writes the "
                         "probability of a class to; keep the others, or rename it")
    name = target
    while name in kept:
        name += "_predicted"
    return name
