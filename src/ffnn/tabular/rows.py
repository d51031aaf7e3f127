"""Rows of a CSV file whose number of fields is not the header's, found and named: pandas reads
the fields a short row lacks as missing, silently, and a lost field shifts the row's values into
the wrong columns; a long row it refuses in words of its own."""

import re

import numpy as np

from ..exceptions import DataError

# Characters that separate the fields of files whose separator detection does not try them, or
# read under another: a header of one field holding one names the separator to give.
OTHER_SEPARATORS = {"|": "'|'", ";": "';'", "\t": "tab"}


def check_fields(path, used, n_fields, longer=False, header=None, name=None, block=None):
    """DataError naming the first data row of a CSV file read with options `used` that has
    fewer than n_fields fields (with `longer`, or more). pandas reads the fields a row lacks as
    missing, silently; a lost field shifts the row's values into the wrong columns, so such a
    row is refused as a long one is (by pandas in memory; a file a worker reads, by this).
    `header`, the header's fields, points a header of one field to the separator it holds.
    `name`: the file's name in the message, where `path` spells it otherwise (made absolute for
    a worker, whose working directory may be another). `block`: the size of the blocks a file
    larger than it is read in, cut at line breaks, where a row that a quoted line break spans
    is refused (it would be cut in two)."""
    import os

    split = block is not None and os.path.getsize(path) > block
    short = _odd_row(path, used, n_fields, longer, split)
    if short is not None and short[2] is None:
        row, line, _ = short
        which = "the header" if row == 0 and used.header else f"row {row}"
        raise DataError(
            f"{path if name is None else name}: {which} (line {line}) holds a line break "
            f"inside a quoted value, and the file is read in blocks of {block:,} bytes cut at "
            "line breaks, which would cut it in two; save the data as Parquet files, "
            "or as CSV files smaller than that, or remove the line breaks from the values")
    if short is not None:
        row, line, saw = short
        first = "the header has" if used.header else "the first row has"
        fix = "an empty value still needs its separator" if saw < n_fields else \
            "quote values that contain the separator"
        where = f"line {line}"
        if isinstance(line, tuple):  # a quoted value spans lines: most often a quote left open
            where = f"lines {line[0]} to {line[1]}: a quoted value runs over them"
            fix = (f"{fix}; a quote left open in line {line[0]} takes the rows after it into "
                   "its value: close it, or double a quote that is part of a value")
        fix = separator_fix(header, used.sep) or f"fix the row ({fix})"
        raise DataError(f"{path if name is None else name}: row {row} ({where}) has {saw} "
                        f"field(s) but {first} {n_fields}; {fix}")


def separator_fix(header, sep):
    """Where a header read with separator `sep` is one field holding another separator
    character (a file separated by '|', read as one column, splits where a value holds a
    comma): the option that reads it; else None."""
    if header is None or len(header) != 1:
        return None
    for char, word in OTHER_SEPARATORS.items():
        if char != sep and char in str(header[0]):
            given = "tab" if char == "\t" else repr(char)
            return (f"the header is one field holding {word} characters: the file seems "
                    f"separated by {word}; pass --sep {given}")
    return None


def _odd_row(path, used, n_fields, longer, split=False):
    """(row, line, fields) of the first data row of a CSV file with fewer than n_fields
    fields (with `longer`, or more), rows counted as pandas counts them (blank lines
    skipped), or None; with `split`, (row, line, None) of a first row that spans lines. The
    line of a row that spans lines is (its first, its last)."""
    import csv

    with open(path, "rb") as handle:  # without quotes, each line is a row: counted 4× faster
        quoted = any(b'"' in block for block in iter(lambda: handle.read(2**24), b""))
    with open(path, encoding="utf-8", newline="") as handle:
        if used.sep == r"\s+":
            # (a quote left open: a value going on over lines, which a block may cut)
            records = ((k + 1, None if split and quoted and line.count('"') % 2 else
                        _whitespace_fields(line, quoted)) for k, line in enumerate(handle))
        elif not quoted:
            records = ((k + 1, line.count(used.sep) + 1 if line.strip() else 0)
                       for k, line in enumerate(handle))
        else:
            records = _quoted_records(csv.reader(handle, delimiter=used.sep), split)
        row = 0 if used.header else 1
        try:
            for line, fields in records:
                if fields is None:
                    return row, line, None
                if fields == 0:
                    continue  # a blank line, which pandas skips
                if row >= 1 and (fields < n_fields or longer and fields > n_fields):
                    return row, line, fields
                row += 1
        except csv.Error:  # a field over csv's limit: pandas read the file, so let it be
            return None
    return None


# A field of a whitespace-separated line: a run of characters other than spaces and quotes, and
# of quoted text, spaces and all ("New York" is one field, as pandas reads it).
_WHITESPACE_FIELD = re.compile(r'(?:"(?:[^"]|"")*"|[^\s"])+')


def _quoted_records(reader, split):
    """(line, fields) of each record of a csv reader: its line, or (first, last) of one that
    spans lines, and how many fields it has (0 for a blank line); with `split`, (first line,
    None) of a record that spans lines."""
    start = 1
    for record in reader:
        if split and reader.line_num > start:
            yield start, None
        else:
            yield (reader.line_num if reader.line_num == start else (start, reader.line_num),
                   _field_count(record))
        start = reader.line_num + 1


def _field_count(record):
    """How many fields a csv reader's record has, 0 for a blank line (which pandas skips)."""
    return len(record) if len(record) > 1 or record and record[0].strip() else 0


def _whitespace_fields(line, quoted):
    """The fields of a line separated by whitespace, or 0 for a blank line. A line with a quote
    left open (a quoted field going on over lines) is not counted: it reads as blank."""
    if not quoted or '"' not in line:
        return len(line.split())
    if line.count('"') % 2:
        return 0
    return len(_WHITESPACE_FIELD.findall(line))


def expected_fields(message):
    """The fields a row should have, as pandas' message of a row with too many says, or 0."""
    found = re.search(r"Expected (\d+) fields in line", message)
    return int(found.group(1)) if found else 0


def parser_message(message, n_header, header=True):
    """pandas' message of a row with too many fields, in words that name the row and the fix."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if found:
        expected, line, saw = map(int, found.groups())
        # pandas counts lines from 1, the header (if any) being line 1.
        row = line - 1 if header else line
        first = f"the header has {n_header}" if n_header is not None else \
            f"the first row has {expected}"
        return (f"row {row} (line {line}) has {saw} fields but {first}; fix the row or quote "
                "values that contain the separator")
    return f"cannot be parsed as CSV ({message.strip().splitlines()[-1]})"


def check_rows_in_values(path, frame, used):
    """DataError where a text value of `frame` (read from the CSV file at `path` with the
    ReadOptions `used`) runs over lines of which at least two read as rows of the file (as
    many fields as it has columns, numbers where it has numbers, and in a text column of few
    values one of them): a quote left open takes the rows after it into one value, up to the
    next quote, and the file loses them without a word. (In a file of text alone, the lines of
    a review, a comma in each, have as many fields as its rows; its labels tell them apart.)"""
    import csv

    text = np.flatnonzero([d.kind == "O" for d in frame.dtypes])  # object, or str
    if used.sep == r"\s+" or not len(text) or _lines_at_most(path, len(frame) + bool(used.header)):
        return
    n_fields = frame.shape[1]
    numeric = np.flatnonzero([d.kind in "iuf" for d in frame.dtypes])
    labels = None  # {position: the values} of the text columns of few values, when needed

    def reads_as_row(line, k):  # its fields: as many as the file's, numbers where it has them
        nonlocal labels
        fields = next(csv.reader([line], delimiter=used.sep), [])
        if len(fields) != n_fields or not all(_number_or_empty(fields[j]) for j in numeric):
            return False
        labels = _few_values(frame, text) if labels is None else labels
        # (not in the value's own column, where the last line holds the quote that ends it)
        return all(not fields[j].strip() or fields[j] in values
                   for j, values in labels.items() if j != k)

    for k in text:
        column = frame.iloc[:, k]
        try:
            spans = np.flatnonzero(column.str.contains("\n", regex=False, na=False))
        except AttributeError:  # objects other than text (booleans with missing values)
            continue
        for position in spans:
            lines = column.iloc[position].split("\n")
            rows = [line for line in lines[1:] if reads_as_row(line, k)]
            if len(rows) >= 2:
                raise DataError(
                    f"{path}: row {position + 1} (line {_line_of(path, position, used)}) holds in "
                    f"column {frame.columns[k]!r} a quoted value of {len(lines)} lines, "
                    f"{len(rows)} of which read as rows of the file ({rows[0][:40]!r}): a quote "
                    "left open takes the rows after it into its value, up to the next quote; "
                    "close it, or double a quote that is part of a value")


def _lines_at_most(path, records, chunk=1 << 20):
    """Whether the file at `path` has at most `records` lines (line breaks, and a last line
    without one), its lines ending in '\n' (not '\r' alone): then each record is a line, and no
    value holds a line break. Counted in chunks of bytes, far faster than searching each text
    column of a wide file."""
    lines = returns = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            lines, returns, last = lines + block.count(b"\n"), returns + block.count(b"\r"), \
                block[-1:]
            if lines > records:
                return False
    return lines == 0 or lines + (last != b"\n") <= records and returns <= lines


def _few_values(frame, text):
    """{position: the set of its values} of each text column of `frame` (at the positions
    `text`) whose values repeat, as labels and categories do: at most half as many distinct
    values as it has values."""
    few = {}
    for j in text:
        present = frame.iloc[:, j].dropna().astype(str)
        if present.nunique() <= max(2, len(present) // 2):
            few[int(j)] = set(present)
    return few


def _number_or_empty(field):
    try:
        float(field.replace(",", ".") if field.count(",") == 1 else field)
        return True
    except ValueError:
        return not field.strip()


def _line_of(path, position, used):
    """The line of a CSV file on which its data row at `position` (0 the first) starts, blank
    lines skipped as pandas skips them."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=used.sep)
        start, row = 1, -1 if used.header else 0
        for record in reader:
            if _field_count(record):
                if row == position:
                    return start
                row += 1
            start = reader.line_num + 1
    return start
