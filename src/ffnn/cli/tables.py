"""Reading a command's data file: the read options typed on the command line, else those the
model recorded, else detection; which dialect was used, said in one line; and columns named
on the command line (by name or position) found, or an error that points to the fix."""

import shlex
import sys
from pathlib import Path

from ..exceptions import DataError
from ..tabular import ReadOptions, looks_numeric, read
from ..tabular.files import PARQUET_SUFFIXES
from ..tabular.values import counted, listed
from .options import did_you_mean, listed_columns, named_column
from .parser import UsageError


def given_options(args):
    """The read options typed on the command line (None for those not typed)."""
    return {"sep": getattr(args, "sep", None), "header": getattr(args, "header", None),
            "names": getattr(args, "names", None), "na_values": getattr(args, "na_values", None),
            "decimal": getattr(args, "decimal", None)}


def read_options(args, recorded=None):
    """ReadOptions from the command line over those `recorded` in a model (or the defaults),
    the separator and decimal mark detected unless typed."""
    given = given_options(args)
    if given["names"] is not None and given["header"]:
        raise UsageError("--names names the columns of a file without a header; leave out "
                         "--header (or the names)")
    if given["decimal"] is not None and given["decimal"] == given["sep"]:
        raise UsageError(f"--sep and --decimal are both {given['sep']!r}: a file's separator "
                         "and decimal mark differ; give the file's own (e.g. --sep ';' "
                         "--decimal ,)")
    base = recorded or ReadOptions()
    header = given["header"] if given["header"] is not None else (
        False if given["names"] is not None else base.header)
    # A model of a file without a header keeps its columns' names: a file with a header
    # (--header) is read past it, its columns named by position as training named them.
    names = given["names"] if given["names"] is not None else (
        base.names if not header or not base.header else None)
    # The separator and decimal mark are detected in each file; the model's serve where the
    # file gives nothing to go on (see `dialect.detect`'s fallback).
    # Markers typed add to the model's: its training file's markers still mean missing.
    na_values = list(dict.fromkeys([*base.na_values, *(given["na_values"] or [])]))
    return ReadOptions(sep=given["sep"], header=header, names=names, na_values=na_values,
                       decimal=given["decimal"])


def options_to_record(used, columns):
    """What a model should read new files with, its CSV files having been read with the options
    `used` (separator and decimal mark resolved, detected or given) into `columns`: all of them,
    so that a file where detection has nothing to go on (a single column, numbers without a
    decimal part) is read as the training file was."""
    return ReadOptions(sep=used.sep, header=used.header,
                       names=None if used.header else [str(c) for c in columns],
                       na_values=list(used.na_values), decimal=used.decimal)


def text_columns(model):
    """The columns of a model's files that are text to it: its categories and, for a
    classifier of text labels, its target. (Labels that were numbers in training are read as
    numbers: the order of the classes, which stratified the split of the training file, is
    then the same.)"""
    text_labels = model.task == "classification" and model.classes_.dtype.kind in "OSU"
    return ([model.target] if text_labels else []) + [
        name for name, *_ in model.preprocessor.categorical]


def read_for(model, path, args, optional=None):
    """The Table of a data file given to `model`, read as the command line and the model say
    (see `read_data`), with the model's text columns read as text; DataError, with a hint to
    the likely fix, where it lacks columns the model was trained on."""
    table = read_data(path, args, model.read_options, optional, text_columns(model),
                      [*model.preprocessor.columns, model.target])
    present = set(table.frame.columns)
    missing = [name for name in model.preprocessor.columns if name not in present]
    if missing:
        raise DataError(f"{table.path}: column(s) {listed(missing)} that the model was trained "
                        f"on are missing from the data; {missing_hint(missing, table, model)}")
    return table


def missing_hint(missing, table, model):
    """What most likely went wrong where a file lacks some of a model's columns: the file's
    layout (no header, another separator), or names that differ only in case or surrounding
    spaces, or nearly."""
    layout = _layout_hint(table, missing, (model.preprocessor.columns, model.target))
    if layout:
        return layout
    options = table.dialect.options if table.dialect is not None else None
    if options is not None and not options.header and options.names is None:
        # columns named by position (0, 1, 2): no name of the model's can be among them
        return ("the file is read without a header, its columns named 0, 1, 2, ...: name them "
                "in order with --names (the model reads "
                f"{listed_columns(model.preprocessor.columns)}, and the target "
                f"{model.target!r} where the file holds it)")
    columns = [str(c) for c in table.frame.columns]
    alike = {c.strip().casefold(): c for c in columns}
    said = []
    for name in missing[:5]:
        found = alike.get(str(name).strip().casefold())
        if found is not None:
            said.append(f"{found!r} for {name!r}")
    if said:
        return (f"the file names them otherwise ({', '.join(said)}): rename its columns as the "
                "model's, spaces and case included")
    # a column the model reads is no other column's new name: suggest only those it does not
    used = {str(c) for c in (*model.preprocessor.columns, model.target)}
    spare = [c for c in columns if c not in used]
    return f"the columns are {listed_columns(columns)}{did_you_mean(missing[0], spare)}"


def read_data(path, args, recorded=None, optional=None, text=(), used_columns=None):
    """The Table of a command's data file, read as the command line and the model say; `text`
    and `used_columns`: see `tabular.files.read`."""
    path = Path(path)
    given = given_options(args)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        typed = [f"--{k.replace('_', '-')}" for k in ("sep", "decimal", "header", "names")
                 if given[k] is not None]
        if typed:
            raise UsageError(f"{' and '.join(typed)} appl{'ies' if len(typed) == 1 else 'y'} to "
                             f"CSV files; {path} is a Parquet file, whose columns are named")
    return read(path, read_options(args, recorded), optional, fallback=recorded, text=text,
                used_columns=used_columns)


def say_dialect(table, always=False, stream=None):
    """Say (on stderr) how a CSV file was read: always, or when it was not the plain
    comma-separated file with a header. Said once the command has done its work, so that an
    error stays the one line printed."""
    d = table.dialect
    if d is None:
        return
    if always or not d.plain:
        frame = table.frame
        # One column fewer than the model's names is taken for a file without the target; a
        # file lacking another column would be misread, so the names are said.
        absent = (f" (taken as {', '.join(map(str, frame.columns[:10]))}"
                  f"{', …' if frame.shape[1] > 10 else ''}, without the target "
                  f"{table.absent!r})" if table.absent else "")
        print(f"read {table.path}: {counted(len(frame), 'row', True)}, "
              f"{counted(frame.shape[1], 'column', True)}{absent}, "
              f"{d.describe()}", file=stream if stream is not None else sys.stderr)


def say_filled(model, table, stream=None):
    """Say (on stderr) how many missing values of a file a model trained with --impute fills,
    column by column: imputation goes on at prediction, and its extent is the user's to know."""
    say_filled_counts(table.path, missing_counts(table.frame, model.preprocessor), stream)


def missing_counts(frame, preprocessor):
    """{column: missing values} of the rows of `frame` (a file's, or a partition's) that a
    preprocessor fitted with impute=True fills, in its column order, and under the key None the
    rows missing every one of them (a spreadsheet's rows of bare separators); {} for one that
    fills nothing."""
    if not preprocessor.impute:
        return {}
    missing = frame[preprocessor.columns].isna()
    return {**missing.sum().to_dict(), None: int(missing.all(axis=1).sum())}


def say_filled_counts(where, counts, stream=None, how=" as in training"):
    """`say_filled` of the data at `where`, given its `missing_counts` (a cluster adds them up
    over the partitions); `how` is said after the count (fit, which learns the fills, says
    nothing there)."""
    empty = counts.get(None, 0)
    counts = {name: int(n) for name, n in counts.items() if n > 0 and name is not None}
    if counts:
        shown = ", ".join(f"{name!r} ({n})" for name, n in list(counts.items())[:5])
        more = f" and {len(counts) - 5} more columns" if len(counts) > 5 else ""
        rows = (f"; {counted(empty, 'row')} had no value in any column the model reads, and "
                f"{'is' if empty == 1 else 'are'} predicted from filled values alone: drop "
                "such rows if they are no observations" if empty else "")
        print(f"note: {where}: filled {sum(counts.values())} missing value(s){how} "
              f"(--impute: the training mean, or most frequent category), in {shown}{more}"
              f"{rows}", file=stream if stream is not None else sys.stderr)


def column(ref, table, what="--target"):
    """The name of the column that `ref` names: a column name, or a position (0 the first, -1
    the last); DataError with a hint to the likely fix when there is none."""
    try:
        name = named_column(ref, table.frame.columns)
    except ValueError as error:
        raise DataError(f"{table.path}: {what} {error}") from None
    if name is not None:
        return name
    raise DataError(f"{table.path}: {what} names no column {ref!r}; {column_hint(ref, table)}")


def column_hint(ref, table):
    """What to say of `ref`, which names no column of `table` (its path, frame and dialect):
    the likely fix where the file seems read in the wrong layout, else its columns."""
    columns = [str(c) for c in table.frame.columns]
    return _layout_hint(table, [ref]) or (
        f"the columns are {listed_columns(columns)}{did_you_mean(ref, columns)}")


def _layout_hint(table, wanted, model_columns=None):
    """A hint where the file seems read in the wrong layout: its first line holds data (no
    header), or a column name holds another separator, or spaces around a `wanted` name
    among other words; None otherwise. `model_columns`: (the columns a model reads, its
    target), which a file without a header must be given by --names."""
    columns = [str(c) for c in table.frame.columns]
    dialect = table.dialect
    if dialect is not None and dialect.header is not None and looks_numeric(
            dialect.header, dialect.options.decimal):
        give = ("pass --no-header (columns are then named 0, 1, 2, ... and --target also "
                "takes a position, such as -1 for the last)" if model_columns is None else
                "pass --no-header and --names naming the file's columns in order (the model "
                f"reads {listed_columns(model_columns[0])}, and the target "
                f"{model_columns[1]!r} where the file holds it)")
        return (f"the first line looks like data, not column names "
                f"({listed_columns(columns)}): if the file has no header, {give}")
    rows = getattr(table.frame, "iloc", None)  # (a --dask command's stand-in has no rows)
    first = rows[0] if rows is not None and dialect is not None and len(table.frame) else ()
    named = [w for w in wanted if str(w) in {str(v).strip() for v in first}
             and not str(w).lstrip("-").isdigit()]  # (a position that is out of range)
    if named and not dialect.options.header and model_columns is None:
        return (f"the first line holds {_short(str(named[0]))}: it seems to name the columns; "
                "leave out --no-header")
    if dialect is not None:
        used = dialect.options.sep
        for name in columns:
            for sep, word in ((";", "';'"), ("\t", "tab"), (",", "','"), ("|", "'|'")):
                if sep != used and sep in name:  # quoted: a bare ; or | ends a shell command
                    return (f"the column name {_short(name)} holds {word} characters: the file "
                            f"seems separated by {word}; pass --sep "
                            f"{'tab' if sep == chr(9) else shlex.quote(sep)}")
            words = name.split()
            if used != r"\s+" and len(words) > 2 and any(str(w) in words for w in wanted):
                return (f"the column name {_short(name)} holds spaces: the file seems separated "
                        "by whitespace; pass --sep whitespace")
    return None


def _short(name, limit=40):
    return repr(name if len(name) <= limit else name[:limit] + "…")


def unseen_notes(caught, where, stream=None):
    """Print, in the command line's words, the UnseenCategoryWarnings and FarColumnWarnings
    caught while encoding."""
    from ..tabular import FarColumnWarning, UnseenCategoryWarning

    stream = stream if stream is not None else sys.stderr
    said = set()  # a command that encodes a table twice (predict --proba) is told of it once
    for warning in caught:
        if isinstance(warning.message, (UnseenCategoryWarning, FarColumnWarning)) and \
                str(warning.message) not in said:
            said.add(str(warning.message))
            print(f"warning: {where}: {warning.message}", file=stream)


def check_text_survives_csv(source, preprocessor, na_values, test_csv, stream):
    """For a model trained on Parquet files: the text values of its categories that a CSV file
    reads back as missing ('NA', 'null', … and the `na_values` markers). Test rows written to
    CSV (`test_csv`) would lose them, so that is refused before training (UsageError); else a
    warning says that CSV files given to the model later read them as missing."""
    import io

    import pandas as pd

    lost = {}
    for name, categories, _ in preprocessor.categorical:
        # written as to_csv writes them (quoted where they hold a comma, quote or line end:
        # '1,5' is one value) and read back, one row each
        text = pd.DataFrame({"value": [str(c) for c in categories]}).to_csv(index=False)
        read = pd.read_csv(io.StringIO(text), dtype=str, skip_blank_lines=False,
                           na_values=list(na_values) or None)["value"]
        found = [c for c, v in zip(categories, read) if pd.isna(v)]
        if found:
            lost[name] = found
    if not lost:
        return
    said = "; ".join(f"column {name!r}: {', '.join(repr(v) for v in values[:3])}"
                     for name, values in lost.items())
    if test_csv:
        raise UsageError(f"{source} holds text that a CSV file reads back as a missing "
                         f"value ({said}): the test rows would lose it; write them as Parquet "
                         "(--test-out NAME.parquet, or a folder name with --dask)")
    print(f"warning: {source} holds text that CSV files read as a missing value "
          f"({said}): give this model Parquet files, or CSV files that spell it otherwise",
          file=stream)


def csv_layout(options):
    """to_csv's sep, na_rep and decimal for rows that a model reads back with `options`:
    whitespace-separated files cannot hold an empty field, so they are written with tabs (which
    whitespace splits on too) and missing values as a marker that is read as missing."""
    whitespace = options.sep == r"\s+"
    marker = options.na_values[0] if options.na_values else ("NA" if whitespace else "")
    return {"sep": "\t" if whitespace else options.sep or ",", "na_rep": marker,
            "decimal": options.decimal or "."}
