"""How a CSV file is written: its separator, whether it has a header, extra missing-value markers
and the decimal mark. `ReadOptions` holds what the user said (None: detect); `detect` looks at
the first lines of a file and fills in the rest, as a person would by eye."""

import csv
import io
import re
from dataclasses import dataclass, field, replace

from ..exceptions import DataError
from .decimals import MARKS, check_decimal, decimal_commas, decimal_mark, writes_numbers_with
from .separators import SEPARATORS, describe_separator, is_separator

SAMPLE_BYTES = 4 * 2**20
SAMPLE_RECORDS = 50
# Python's csv module refuses longer fields (csv.field_size_limit, a process-wide setting a
# library must not change); no column name is that long.
FIELD_LIMIT = csv.field_size_limit()


@dataclass
class ReadOptions:
    """How to read a CSV file. `sep` and `decimal` None mean "detect"; `names` names the columns
    of a file without a header (None: 0, 1, 2, … as pandas names them); `na_values` are read as
    missing besides pandas' defaults ("", "NA", "nan", "null", …)."""

    sep: str = None
    header: bool = True
    names: list = None
    na_values: list = field(default_factory=list)
    decimal: str = None

    def state(self):
        return {"sep": self.sep, "header": self.header, "names": self.names,
                "na_values": list(self.na_values), "decimal": self.decimal}

    @classmethod
    def from_state(cls, state):
        """The options that `state()` describes; ValueError where they are not options."""
        if not isinstance(state, dict) or set(state) != {"sep", "header", "names", "na_values",
                                                         "decimal"}:
            raise ValueError("read options must give sep, header, names, na_values and decimal")
        sep, decimal, names = state["sep"], state["decimal"], state["names"]
        if sep is not None and not is_separator(sep):
            raise ValueError(f"read.sep must be whitespace or one character other than a quote "
                             f"or a line end, got {sep!r}")
        if decimal is not None and decimal not in MARKS:
            raise ValueError("the decimal mark must be '.' or ','")
        if not isinstance(state["header"], bool):
            raise ValueError("header must be true or false")
        if names is not None and not (_strings(names) and len(set(names)) == len(names)):
            raise ValueError("names must be distinct strings")
        if names is not None and state["header"]:
            raise ValueError("read.names name the columns of files without a header, but "
                             "read.header is true")
        if not _strings(state["na_values"]):
            raise ValueError("na_values must be strings")
        return cls(sep, state["header"], None if names is None else list(names),
                   list(state["na_values"]), decimal)


def _strings(values):
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


@dataclass
class Dialect:
    """What detection found: the options to read with, and the header's fields if any."""

    options: ReadOptions
    header: list
    sep_detected: bool
    decimal_from: str  # "given", "detected" or "model" (see `_decimal`)

    @property
    def plain(self):
        """Whether this is the usual file: comma-separated, a header, decimal points."""
        return self.options.sep == "," and self.options.header and self.options.decimal != ","

    def describe(self):
        """e.g. "tab-separated (detected), no header"."""
        words = [f"{describe_separator(self.options.sep)}-separated"
                 + (" (detected)" if self.sep_detected else "")]
        if self.options.decimal == ",":
            words.append("decimal commas" + {"given": "", "detected": " (detected)",
                                             "model": " (as the model's)"}[self.decimal_from])
        elif self.decimal_from == "given":
            words.append("decimal points")
        if not self.options.header:
            words.append("no header")
        return ", ".join(words)


def detect(path, options, fallback=None):
    """The Dialect of the CSV file at `path`, given what the user said in `options`. What
    `options` leave open is detected; where the file gives nothing to go on (one column, no
    decimal numbers), `fallback` (the options a model recorded) says it."""
    text = _sample(path)
    _check_preamble(path, text, options)
    sep, sep_detected = options.sep, False
    if sep is None:
        sep = _recorded_separator(path, text, options, fallback)
    if sep is None:
        names = None if options.header else options.names
        sep, sep_detected = _best_separator(path, text, names), True
    if sep is None:
        sep_detected = fallback is None or fallback.sep is None
        sep = "," if sep_detected else fallback.sep
    records = _records(path, text, sep, strict=options.header)
    header = list(records[0]) if records and options.header else None
    if header is not None:
        _check_names(path, header, "header")
    if options.names is not None:
        _check_names(path, options.names, "--names")
        if not options.header and records and _names_the_columns(records[0], options.names):
            raise DataError(
                f"{path}: its first line names the columns ({', '.join(records[0][:5])}"
                f"{', …' if len(records[0]) > 5 else ''}) but is read as data (--names names "
                "the columns of a file without a header, and so does a model trained on "
                "one): leave out --names, or with such a model pass --header")
    check_decimal(path, sep, options.decimal, sep_detected)
    decimal, decimal_from = _decimal(records[1 if options.header else 0:], sep, options, fallback)
    resolved = replace(options, sep=sep, decimal=decimal)
    return Dialect(resolved, header, sep_detected, decimal_from)


def _decimal(records, sep, options, fallback):
    """The decimal mark to read `records` with, and where it comes from: given; the model's
    (`fallback`'s) where some number in them is written with it, as a model trained with
    --decimal , on a file whose codes detection takes for decimal points reads that file again
    untyped; else detected, or the model's (or '.', said detected) where they write no decimal
    number."""
    if options.decimal is not None:
        return options.decimal, "given"
    recorded = fallback.decimal if fallback is not None else None
    if recorded not in (None, sep) and writes_numbers_with(records, recorded):
        return recorded, "model"
    detected = decimal_mark(records, sep)
    return (detected or ".", "detected") if detected or recorded is None else \
        (recorded, "model")


def _check_preamble(path, text, options):
    """Refuse a first line that is neither column names nor data: Excel's 'sep=;' (its note of
    the separator), or a comment ('# exported from ...') whose words do not split as the lines
    after it do. Read as a header, either names columns that the rows do not have, and the
    error then spoke of fields and separators."""
    lines = [line for line in (text or "").lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        return
    first = lines[0].strip()
    if re.fullmatch(r'"?sep=.?"?', first, flags=re.IGNORECASE):
        raise DataError(f"{path}: the first line, {first!r}, is Excel's note of the separator, "
                        "not column names or data; remove that line (the separator is "
                        "detected, or pass --sep)")
    if options.header and first.startswith("#") and len(lines) > 1:
        seps = [options.sep] if options.sep is not None else list(SEPARATORS)
        above, below = ([len(_records(path, line, sep)[0]) for sep in seps]
                        for line in lines[:2])
        # a header of one column (whose name starts with '#') is one field by every separator,
        # as the next line is
        if not any(a == b > 1 for a, b in zip(above, below)) and set(above + below) != {1}:
            raise DataError(f"{path}: the first line, {_clipped(first)}, reads as a comment, "
                            "not column names or data; remove the comment lines at the top "
                            "of the file")


def _clipped(text, limit=60):
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _recorded_separator(path, text, options, fallback):
    """A model's separator (in `fallback`) for a file without a header that it splits into as
    many fields as the model has columns, or one fewer (the target absent), on every line:
    detection could find another that splits the lines as evenly (a space inside a text
    field), and the model knows how its files are written."""
    if fallback is None or fallback.sep is None or options.header or not options.names:
        return None
    counts = {len(record) for record in _records(path, text, fallback.sep)}
    n = len(options.names)
    return fallback.sep if len(counts) == 1 and counts <= {n, n - 1} else None


def _sample(path):
    """The file's first records (up to SAMPLE_RECORDS lines or SAMPLE_BYTES, but at least two
    lines, however long), without a cut-off last line."""
    lines, size = [], 0
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            for line in handle:
                lines.append(line)
                size += len(line)
                if len(lines) >= 2 and (len(lines) >= SAMPLE_RECORDS or size >= SAMPLE_BYTES):
                    break
    except UnicodeDecodeError:
        return None  # read_table names the line that is not UTF-8
    return "".join(lines)


def _records(path, text, sep, strict=False):
    """The sample's non-empty records as lists of fields. A field over csv's limit ends the
    sample there, or, in the header and with `strict`, is an error."""
    if text is None:
        return []
    if sep == r"\s+":
        return [line.split() for line in text.splitlines() if line.strip()]
    records = []
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for record in reader:
            if any(field.strip() for field in record):
                records.append(record)
    except csv.Error as error:
        if "field limit" in str(error) and not records and strict:
            raise DataError(f"{path}: the first line has a field over {FIELD_LIMIT // 1024} KiB "
                            "long, which cannot be a column name; is this a CSV file with a "
                            "header? (pass --no-header if its first line is data)") from None
    return records


def _best_separator(path, text, names=None):
    """The separator that splits the sample into the most consistent records of more than one
    field: first by the share of records with as many fields as the first, then by whether that
    is the number of `names` (of a file without a header: --names or a model's), or one fewer
    (the target absent), then by whether the commas left inside its fields are decimal marks,
    then by that number of fields (of a sample of two lines or more); ties go to the earlier
    of comma, tab, semicolon and whitespace. ("2024-01-01 12:00:00<tab>0.96" is two fields by
    tab and three by whitespace.)

    Without a header the commas of decimal numbers split a line as well as the true separator
    does ("5,1;3,5;setosa" is three fields either way, and "1,5;2,25" more by commas): a
    separator whose fields read as numbers written 1,5 explains every comma, which is how a
    person tells such a file from a comma-separated one. Not whitespace: a comma file's text
    fields hold spaces far more often than whitespace-separated files hold decimal commas
    ("18,555 1000,58" is three fields)."""
    best, best_key = None, None  # None: no separator splits the first line
    for rank, sep in enumerate(SEPARATORS):
        records = _records(path, text, sep)
        counts = [len(r) for r in records]
        if not counts or counts[0] < 2:
            continue
        agreement = sum(c == counts[0] for c in counts) / len(counts)
        named = names is not None and counts[0] in (len(names), len(names) - 1)
        # a single line agrees with itself however it is split: more fields there are no sign
        # (whitespace splits the names "sepal length,petal length" into more than the comma)
        fields = counts[0] if len(counts) > 1 else 0
        key = (agreement, named, sep in (";", "\t") and decimal_commas(records), fields, -rank)
        if best_key is None or key > best_key:
            best, best_key = sep, key
    return best


def _check_names(path, names, where):
    seen, repeated = set(), []
    for name in names:
        if name == "":
            continue  # pandas names an empty one by its position ('Unnamed: 3'): none repeats
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    if repeated:
        raise DataError(f"{path}: column name(s) {', '.join(map(repr, repeated[:5]))} appear "
                        f"more than once in the {where}; rename them")


def _names_the_columns(fields, names):
    """Whether a first line read as data holds the column names `names` (all of them, or all but
    one, a target that new data may lack), none of them a number: it is a header, and as data
    it would be one more row, its words a category or a class of their own."""
    fields = [field.strip() for field in fields]
    if len(set(fields)) != len(fields) or len(fields) < max(1, len(names) - 1) \
            or not set(fields) <= set(names):
        return False
    return not any(_is_number(field) for field in fields)


def _is_number(text):
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
