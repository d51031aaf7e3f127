"""What a `--dask` command writes: one CSV file, or a new folder of Parquet files, one file per
partition, named so that they sort in the order of the rows (part.00, part.01, ..., part.10:
pandas and pyarrow read a folder's files in the order of their names, in which part.10 comes
before part.2); and the outputs refused because an input glob would read them as data."""

from pathlib import Path

from .parser import UsageError
from .tables import csv_layout


def writes_csv(path):
    """Whether output to `path` is one CSV file (else it is a folder of Parquet files)."""
    return str(path).lower().endswith(".csv")


def glob_of(path):
    """A glob of what `write_rows` writes at `path`."""
    return path if writes_csv(path) else str(Path(path) / "*.parquet")


def write_rows(rows, path, options):
    """The test rows to a .csv file, read back with the model's read `options` (the separator
    given, or a comma; a header, or none as in the input), or to a folder of Parquet files."""
    if writes_csv(path):
        rows.to_csv(path, single_file=True, index=False, header=options.header,
                    **csv_layout(options))
    else:
        write_parquet(rows, path)


def write_parquet(frame, path, compute=True):
    """A dask DataFrame to a new folder of Parquet files, each typed as its own rows are: the
    files read may type a column differently from one another (whole numbers in one, fractions
    in the next), and one schema for all (Dask's, from the first) would refuse the later
    files' values after writing the first's. The files' numbers are padded to one width, so
    that their names sort in the order of the rows."""
    width = len(str(max(frame.npartitions - 1, 0)))
    return frame.to_parquet(path, write_index=False, schema=None, compute=compute,
                            name_function=lambda k: f"part.{k:0{width}d}.parquet")


def check_output_name(option, path):
    """Refuse a name that says another format than the two written (a .csv file, or a folder of
    Parquet files): out.json, out.xlsx or out.csv.gz was made a folder of Parquet files."""
    from .outputs import COMPRESSIONS, NOT_CSV

    suffix = Path(path).suffix.lower()
    if suffix in NOT_CSV or suffix in COMPRESSIONS or suffix in (".tsv", ".txt", ".tab"):
        raise UsageError(f"{option} {path}: with --dask, {option} writes a .csv file (not "
                         "compressed) or else a folder of Parquet files, which a name ending "
                         f"{Path(path).suffix} would not say; give a .csv name or a folder name "
                         f"(such as {'predictions' if option == '-o' else 'test'}/)")


def check_outside(option, path, pattern):
    """Refuse an output that the input glob would read as data the next time it is used, a
    folder for Parquet files that exists already (its old files would mix with the new), and a
    name of another format (`check_output_name`)."""
    if path is None:
        return
    check_output_name(option, path)
    if not writes_csv(path) and Path(path).exists():
        raise UsageError(f"{option} {path} exists; Parquet files are written into a new folder: "
                         "remove it or name another (or give a .csv file name)")
    probe = Path(glob_of(path).replace("*", "part.0"))
    if probe.resolve().match(str(Path(pattern).resolve())):  # '..' and links resolved
        raise UsageError(f"{option} {path} is among the files {pattern} names: the next command "
                         "given them would read it as data; write it elsewhere")
