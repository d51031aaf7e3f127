"""The columns of the files a `--dask` glob names: each file's names (a CSV file's header, a
Parquet file's schema), which must be those of the first file, in any order. Dask takes the
columns of the first file for all of them: a column that a later file lacks or names otherwise
failed deep inside a pass, and one that only a later file holds was passed over in silence,
where in memory one file of all their rows holds it (missing in the other rows). Dask types
the columns from the first CSV file's first rows, so files without rows are left out."""

import re

from ..exceptions import DataError
from ..tabular.decimals import is_number
from ..tabular.values import listed

# The name pyarrow gives a pandas index saved without a name, which no reader takes for a column
_UNNAMED_INDEX = re.compile(r"__index_level_\d+__")


def header_of(path, options):
    """The fields of the first line of a CSV file (none of an empty file)."""
    import pandas as pd

    try:
        return list(pd.read_csv(path, sep=options.sep, header=None, nrows=1,
                                decimal=options.decimal, dtype=str).iloc[0])
    except pd.errors.EmptyDataError:
        return None


def with_rows(files, header=True):
    """The CSV files that hold a data row (a line that is not blank, after the header where
    there is one), or all of them where none does. A file of a header alone (or an empty one)
    adds no rows, and, first in the glob, Dask typed every column from its none: as text,
    numbers too, and a regression target as class labels."""
    held = [path for path in files if _holds_rows(path, 2 if header else 1)]
    return held or list(files)


def any_rows(files, header=True):
    """Whether some of the CSV files holds a data row (see `with_rows`)."""
    return any(_holds_rows(path, 2 if header else 1) for path in files)


def _holds_rows(path, lines):
    """Whether a file holds at least `lines` lines that are not blank."""
    with open(path, "rb") as handle:
        for line in handle:
            lines -= bool(line.strip())
            if lines == 0:
                return True
    return False


def check_headers_read(pattern, files, options, recorded=False):
    """DataError where files read without a header (`options`; `recorded`: as a model, not
    the command line, says) have one: the first line of every file (of two or more) names the
    same columns, none of them a number, and the line after it holds a number somewhere. Each
    header would be a row, and with --names each file's columns named by position, whatever
    order its header gives them."""
    import pandas as pd

    firsts, numbers, mark = [], False, options.decimal or "."
    for path in files:
        try:
            lines = pd.read_csv(path, sep=options.sep, header=None, nrows=2, dtype=str,
                                keep_default_na=False)
        except (pd.errors.EmptyDataError, pd.errors.ParserError):
            return
        first = [str(field).strip() for field in lines.iloc[0]] if len(lines) else []
        if len(set(first)) != len(first) or any(is_number(f, mark) for f in first):
            return
        firsts.append(first)
        numbers |= len(lines) > 1 and any(is_number(str(f), mark) for f in lines.iloc[1])
    if len(firsts) < 2 or not numbers or any(set(f) != set(firsts[0]) for f in firsts):
        return
    fix = "pass --header" if recorded else "leave out --no-header and --names"
    raise DataError(f"{pattern}: the first line of every file names the same columns "
                    f"({', '.join(firsts[0])}) but is read as data: the files have a header; "
                    f"{fix}")


def csv_columns(files, options):
    """DataError where a CSV file's header names other columns than the first file's."""
    same_columns([(path, header_of(path, options)) for path in files])


def parquet_columns(path, schema):
    """(path, the columns a Parquet file's schema holds, as pandas reads them)."""
    return path, [name for name in schema.names if not _UNNAMED_INDEX.fullmatch(name)]


def same_columns(named):
    """DataError naming the first file of `named` ((path, its column names or None: no line to
    read)) whose columns are not those of the first file, in any order."""
    named = [(path, [str(name) for name in names]) for path, names in named if names is not None]
    if not named:
        return
    first, columns = named[0]
    for path, names in named[1:]:
        lacks = [name for name in columns if name not in names]
        more = [name for name in names if name not in columns]
        if lacks or more:
            said = [f"lacks {listed(lacks)}" if lacks else "",
                    f"holds {listed(more)}, which {first} does not" if more else ""]
            raise DataError(f"{path}: its columns are not those of {first}: it "
                            f"{' and '.join(s for s in said if s)}; with --dask every file "
                            "must name the same columns (in any order): add the columns, "
                            "rename them, or leave the file out of the glob")
