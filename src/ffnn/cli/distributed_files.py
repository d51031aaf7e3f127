"""The files of a `--dask` command: reading a glob of Parquet or CSV files as a dask DataFrame
with the options the command line and the model give; the columns a command names are found
in `distributed_naming`, what each CSV partition is made to hold in `distributed_partitions`.
What the commands write is in `distributed_outputs`, the cluster they run on in
`distributed_cluster`."""

from pathlib import Path

import numpy as np

from ..exceptions import DataError
from ..tabular import ReadOptions, file_hash, files_hash, looks_numeric
from ..tabular.dialect import detect
from ..tabular.encoding import check_start
from ..tabular.files import header_less_names, header_names
from ..tabular.rows import check_fields, parser_message
from ..tabular.spelling import PANDAS_MISSING
from .distributed_columns import any_rows, check_headers_read, csv_columns, header_of, with_rows
from .distributed_naming import column
from .distributed_parquet import check_parquet_files, read_parquet_files
from .distributed_partitions import booleans_as_read, in_order
from .parser import UsageError
from .tables import given_options, options_to_record, read_options

PARQUET, CSV = {".parquet", ".pq"}, {".csv", ".txt", ".tsv"}
# The size of the blocks Dask reads a CSV file in (its own default on machines of 6.4 GB or more
# per core): given, so that the check of the files knows which are cut (at line breaks)
CSV_BLOCK = 64_000_000
# what reads a compressed CSV file back, as the in-memory commands name it
_UNPACK = {".gz": "gunzip -k FILE", ".bz2": "bunzip2 -k FILE", ".xz": "unxz -k FILE",
           ".zst": "unzstd FILE"}


def _files(pattern):
    """(the files `pattern` names, their suffixes), all Parquet or all CSV, in the order of
    their names with the numbers in them taken as numbers (p2 before p10): the order in which
    Dask reads Parquet files whatever order it is given, and so the order of the rows of the
    CSV files too (which Dask reads in the order given)."""
    import glob

    from dask.utils import natural_sort_key

    files = sorted(glob.glob(str(pattern)), key=natural_sort_key)
    if not files:
        raise DataError(f"{pattern}: no files match")
    folder = next((Path(f) for f in files if Path(f).is_dir()), None)
    if folder is not None:  # such as the folder of Parquet files that --test-out writes
        raise DataError(f"{pattern}: {folder} is a folder; with --dask give a glob of the files "
                        f"in it, quoted, such as '{folder / '*.parquet'}' or '{folder / '*.csv'}'")
    suffixes = {Path(f).suffix.lower() for f in files}
    if not (suffixes <= PARQUET or suffixes <= CSV):
        tools = [_UNPACK[s] for s in sorted(suffixes) if s in _UNPACK]
        raise DataError(f"{pattern}: with --dask the files must all be Parquet (.parquet) or "
                        "all CSV (.csv), not " + ", ".join(sorted(
                            s or "a name without a suffix" for s in suffixes))
                        + (f": decompress them first ({', '.join(tools)})" if tools else ""))
    return files, suffixes


def check_files(pattern, args, recorded=None):
    """(the files `pattern` names, their suffixes), or the DataError or UsageError of files that
    cannot be read as asked (with the model's ReadOptions `recorded`), such as files naming
    other columns than the first: checked before a cluster is started for them."""
    files, suffixes = _files(pattern)
    if suffixes <= CSV:
        for path in files:  # (Dask's error of such a file names none)
            check_start(path)
        o = _resolved(read_options(args, recorded), files, recorded)
        if o.header:
            try:
                csv_columns(files, o)
            except DataError as error:  # files without a header differ in their first rows
                first = header_of(with_rows(files)[0], o)
                if not first or not looks_numeric(first, o.decimal):
                    raise
                names = (" (columns are then named 0, 1, 2, ...)" if recorded is None else
                         " and --names naming their columns in order")
                raise DataError(f"{error}. The first lines look like data, not column names: "
                                f"if the files have no header, pass --no-header{names}"
                                ) from None
        else:
            model_says = recorded is not None and args.names is None and args.header is None
            check_headers_read(pattern, with_rows(files, False), o, model_says)
    if suffixes <= PARQUET:
        # (their markers of missing values are read as in memory: see `read_parquet_files`)
        typed = [f"--{k.replace('_', '-')}" for k, v in given_options(args).items()
                 if v is not None and k != "na_values"]
        if typed:
            raise UsageError(f"{' and '.join(typed)} appl{'ies' if len(typed) == 1 else 'y'} "
                             f"to CSV files with --dask; {pattern} names Parquet files, whose "
                             "columns are named and typed")
        check_parquet_files(files)
    return files, suffixes


def check_rows_held(pattern, args, recorded=None):
    """DataError where none of the files a glob names holds a data row (each CSV file a header
    alone, or empty; each Parquet file without rows), as the in-memory commands refuse such a
    file: said before a cluster is started for them, not after an empty output is written."""
    files, suffixes = _files(pattern)
    if suffixes <= PARQUET:
        import pyarrow.parquet as pq

        held = any(pq.read_metadata(path).num_rows for path in files)
    else:
        held = any_rows(files, read_options(args, recorded).header)
    if not held:
        raise DataError(f"{pattern}: the files hold no data rows")


def read_frame(pattern, args, recorded=None, text=(), optional=None, keep=None,
               numeric=None, check_rows=True, as_spelled=False, spelled=(), typed=False):
    """A dask DataFrame of the files that `pattern` (a glob) names, read as the command line and
    the model (its ReadOptions, `recorded`) say, detecting the separator and decimal mark from
    the first file where neither says, with columns named as in memory: by text, and 0, 1, 2,
    ... in a file without a header or names (without `optional`, a target column that new data
    may lack, where the files have one column fewer than the names). Columns named in `text`
    are read from CSV files as text (class labels, matched to a model's classes one by one);
    other columns of whole numbers (of those in `numeric`, where given) as floats, but `keep`
    (a target), which keeps its type; where `numeric` is given, the columns that are none of
    these as text, unless `typed` (their types then inferred from the first rows). A CSV row
    with fewer fields than the header is refused as in memory (`check_rows`: scan the files for
    one, on the workers). With `as_spelled`, every field of CSV files is read as the files
    spell it, missing-value markers too; with `spelled`, the fields of those columns (read as
    text)."""
    import dask.dataframe as dd

    files, suffixes = check_files(pattern, args, recorded)
    if suffixes <= PARQUET:  # the markers of missing values given and a model's
        frame = read_parquet_files(files, pattern, read_options(args, recorded).na_values,
                                   text)
    else:
        o = _resolved(read_options(args, recorded), files, recorded)
        files = with_rows(files, o.header)
        names = o.names
        if not o.header:  # as in memory, from the first file's width: 0, 1, 2, ... without
            # names, as text, so that the columns named in `text` are found by those names
            names, _ = header_less_names(files[0], _fields(files[0], o), names, optional)
        elif names is not None:  # a header, for a model of files without one: as in memory
            names, _ = header_names(files[0], header_of(files[0], o), o, optional)
        dtype = {name: object for name in [*text, *spelled]}
        markers = {"na_values": list(o.na_values) or None}
        if spelled:  # pandas' missing-value markers and the given ones, in the other columns
            every = ["", *PANDAS_MISSING, *o.na_values]  # "": an empty field
            markers = {"keep_default_na": False, "na_values": {
                name: every for name in (names or header_of(files[0], o)) if name not in spelled}}

        def read():
            try:
                return dd.read_csv(files, sep=o.sep, decimal=o.decimal, blocksize=CSV_BLOCK,
                                   header=0 if o.header else None, names=names,
                                   dtype=str if as_spelled else dtype or None,
                                   na_filter=not as_spelled, **markers)
            except Exception as error:  # Dask wraps pandas' error of the first file's rows
                if "Error tokenizing data" not in str(error):
                    raise
                raise DataError(f"{files[0]}: {parser_message(str(error), None, o.header)}"
                                ) from None

        frame = read()
        # Dask types the columns from the first rows of the first file: a column of whole
        # numbers there may hold missing values further on, which pandas reads as floats (in
        # memory too). Features are numbers either way; the target keeps its type.
        if keep is not None and keep not in frame.columns:  # a position, or not there
            try:
                keep = column(keep, frame.rename(columns=str), pattern)
            except DataError:
                keep = None
        whole = [c for c, t in frame.dtypes.items() if t.kind in "iu" and str(c) != keep
                 and (numeric is None or str(c) in numeric)]
        # Columns a model does not read, typed from the first rows, would refuse a value of
        # another type further on, which in memory is ignored: they are read as text.
        unread = [] if numeric is None or typed else [
            c for c, t in frame.dtypes.items() if str(c) not in {*numeric, *text, *spelled, keep}
            and t.kind != "O"]
        if whole or unread:
            dtype.update({name: np.float64 for name in whole})
            dtype.update({name: object for name in unread})
            frame = read()
        # A column of booleans in the first rows is cast to bool in every partition, where a
        # missing value, and any text ("False" too), became True: read as text, then as pandas
        # reads each file in memory (other text is refused: a nullable boolean would take 1
        # and 0 for True and False, where pandas reads them, beside True, as text).
        flags = [c for c, t in frame.dtypes.items() if str(t) == "bool"]
        if flags:
            meta = frame._meta
            dtype.update({name: object for name in flags})
            frame = read().map_partitions(booleans_as_read, flags, meta=meta)
        if o.header and names is None and len(files) > 1:
            # each file's partitions come with the columns in the order of its own header (a
            # glob's files may order them otherwise), where anything written row by row takes
            # them in the first file's order
            frame = frame.map_partitions(in_order, list(frame.columns), meta=frame._meta)
        # a file of one column has no short rows, but long ones where a value holds the
        # separator: 1,5 (a decimal comma), which pandas reads as row number 1 beside 5
        if check_rows:
            # Dask, as pandas, reads the fields a short row lacks as missing. In memory the scan
            # runs where the last column has a missing value; here that would take a pass over
            # the data of its own, so each file is scanned, on a worker, in parallel, for short
            # rows and long ones (named with their file before training, rather than pandas'
            # error from within an epoch).
            import dask

            check = dask.delayed(check_fields, pure=True)
            # (a path made absolute: a worker's working directory may be another than this
            # command's, where it would read another file of that name, or none)
            dask.compute(*[check(str(Path(path).resolve()), o, len(frame.columns),
                                 longer=True, name=path, block=CSV_BLOCK) for path in files])
    if not all(isinstance(c, str) for c in frame.columns):
        frame = frame.rename(columns=str)
    return frame


def spellings(pattern, args, name):
    """The distinct fields of a column of CSV files, as the files spell them (text), or None
    where the column is not read as text. One pass over the files."""
    import pandas as pd

    column = read_frame(pattern, args, text=[name], keep=name, check_rows=False)[name]
    if pd.api.types.is_numeric_dtype(column.dtype):
        return None
    return column.dropna().drop_duplicates().compute().astype(object)


def _resolved(options, files, fallback=None):
    """The options with the separator and decimal mark detected from the first file (as in
    memory, `tabular.dialect.detect`, with the model's options as its `fallback`) where none is
    given."""
    if options.sep is not None and options.decimal is not None:
        return options
    return detect(with_rows(files, options.header)[0], options, fallback).options


def _fields(path, options):
    """How many fields the first line of a CSV file holds."""
    import pandas as pd

    return pd.read_csv(path, sep=options.sep, header=None, nrows=1, decimal=options.decimal,
                       dtype=str).shape[1]


def say_read(pattern, args, recorded=None, always=False, stream=None):
    """Say (on stderr) how the CSV files a glob names were read, as `tables.say_dialect` says it
    of one file: always, or where they are not plain comma-separated files with a header."""
    import sys

    files, suffixes = _files(pattern)
    if suffixes <= PARQUET:
        return
    options = read_options(args, recorded)
    d = detect(with_rows(files, options.header)[0], options, recorded)
    if always or not d.plain:
        print(f"read {pattern}: {len(files)} file{'s' if len(files) > 1 else ''}, "
              f"{d.describe()}", file=stream if stream is not None else sys.stderr)


def reads_parquet(pattern):
    """Whether the files a glob names are Parquet files (else they are CSV files)."""
    return _files(pattern)[1] <= PARQUET


def recorded_options(pattern, args, frame):
    """What predict and evaluate should read new files with (see `options_to_record`); of
    Parquet files, their markers of missing values only, as in memory."""
    if reads_parquet(pattern):
        return ReadOptions(na_values=list(args.na_values or []))
    return options_to_record(_resolved(read_options(args), files_of(pattern)), frame.columns)


def files_of(pattern):
    """The files a glob names (all Parquet or all CSV)."""
    return _files(pattern)[0]


def fingerprint(pattern):
    """The content fingerprint of the files a glob names: one file's SHA-256, as the in-memory
    commands take it, or `files_hash` of several."""
    files = files_of(pattern)
    return file_hash(files[0]) if len(files) == 1 else files_hash(files)


def inputs(pattern):
    import glob

    return [("data file", name) for name in glob.glob(str(pattern))]


def layout(pattern, args, recorded=None):
    """The Dialect of the first CSV file holding rows that a glob names, as `read_frame` reads
    them (with the model's ReadOptions `recorded`), or None for Parquet files: what a column
    named that the files lack is said with (`column`)."""
    files, suffixes = _files(pattern)
    if suffixes <= PARQUET:
        return None
    options = read_options(args, recorded)
    return detect(with_rows(files, options.header)[0], options, recorded)
