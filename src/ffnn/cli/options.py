"""Option values of the command line: each parser turns the typed text into a value or raises
argparse.ArgumentTypeError saying what was expected; a misspelt name gets a suggestion."""

import argparse
import difflib

import numpy as np

from ..activations import ALIASES, HIDDEN_ACTIVATIONS
from ..tabular import parse_separator

ACTIVATION_CHOICES = HIDDEN_ACTIVATIONS + tuple(ALIASES)
LOCAL = "local"  # --dask without an address: a cluster of this machine


def did_you_mean(word, choices, n=3):
    """" (did you mean 'x'?)" for the closest of `choices`, or "" when none is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=0.6)
    if not close:
        lowered = {str(c).lower(): str(c) for c in choices}
        close = [lowered[str(word).lower()]] if str(word).lower() in lowered else []
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)"


def listed_columns(columns, limit=12):
    """The first `limit` column names, comma-separated, with "..." when there are more."""
    # a name holding a comma is quoted: unquoted, it would read as two columns; one holding a
    # line end or a terminal's escape sequence is quoted too, its control characters escaped
    columns = [repr(str(c)) if "," in str(c) or not str(c).isprintable() else str(c)
               for c in columns]
    return ", ".join(columns[:limit]) + (", ..." if len(columns) > limit else "")


class Once(argparse.Action):
    """An option that names one thing: given again with another value, it is refused rather
    than replaced by the last (`--target y --target z` asks for two targets, and would train z
    alone, with y among the inputs)."""

    def __call__(self, parser, namespace, value, option_string=None):
        earlier = getattr(namespace, self.dest, None)
        if earlier is not None and earlier != value:
            raise argparse.ArgumentError(
                self, f"given twice ({earlier!r}, {value!r}): 'ffnn fit' trains one target "
                      "column; fit one model per target, or fit several outputs from Python "
                      "(ffnn.FFNNRegressor)")
        setattr(namespace, self.dest, value)


def choice(*choices):
    """A parser accepting one of `choices`, suggesting the closest when the value is not."""
    def parse(text):
        if text in choices:
            return text
        raise argparse.ArgumentTypeError(
            f"unknown value {text!r}{did_you_mean(text, choices, n=1)}; choose from "
            f"{', '.join(choices)}")
    parse.__name__ = "choice"
    return parse


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# The seeds that NumPy's and scikit-learn's random generators take
MAX_SEED = 2**32 - 1


def seed(text):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected an integer from 0 to {MAX_SEED}, got {text!r}")
    return value


def number(low, high=None, low_open=False):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not np.isfinite(value) or (value <= low if low_open else value < low) or (
                high is not None and value >= high):
            bounds = f"{'(' if low_open else '['}{low}, {high if high is not None else '∞'})"
            raise argparse.ArgumentTypeError(f"expected a number in {bounds}, got {text!r}")
        return value
    return parse


def hidden(text):
    if text.strip() in ("", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers such as 64,32 (or 'none'), got {text!r}")
    return sizes


def activation(text):
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if name not in ACTIVATION_CHOICES:
            raise argparse.ArgumentTypeError(
                f"unknown activation {name!r}{did_you_mean(name, ACTIVATION_CHOICES, n=1)}; choose "
                f"from {', '.join(ACTIVATION_CHOICES)}")
    return names[0] if len(names) == 1 else names


def batch_size(text):
    return "auto" if text == "auto" else positive_int(text)


def columns(text):
    return [name for name in (part.strip() for part in text.split(",")) if name]


def names(text):
    """Column names as typed for a file without a header, every one given: an empty one
    ('a,b,,y') would leave each name after it on the column before its own."""
    parts = [part.strip() for part in text.split(",")]
    empty = [k for k, part in enumerate(parts, start=1) if not part]
    if empty:
        raise argparse.ArgumentTypeError(f"name {empty[0]} of {len(parts)} is empty in "
                                         f"{text!r}: give every column a name")
    return parts


def comma_names(parts, names):
    """The column names that a list option's `parts` (its text split at commas, `columns`)
    give among a table's column `names`: parts that name no column alone are joined again
    where, with the commas between them, they spell a name that holds commas ('income, net',
    spaces after the commas or not); other parts are left as they are (names, or positions)."""
    holding = {",".join(part.strip() for part in str(name).split(",")): name
               for name in names if "," in str(name)}
    known = {str(name) for name in names}
    given, k = [], 0
    while k < len(parts):
        end = next((end for end in range(len(parts), k + 1, -1)
                    if parts[k] not in known and ",".join(parts[k:end]) in holding), None)
        if end is None:
            given.append(parts[k])
            k += 1
        else:
            given.append(holding[",".join(parts[k:end])])
            k = end
    return given


def named_column(ref, names):
    """The column among `names` that `ref` names: that name, the one name that is `ref` with
    spaces around it (`padded`), or a position (0 the first, -1 the last); None for none.
    ValueError where `ref` could be read two ways (see `padded`)."""
    names = list(names)
    if ref in names:
        return ref
    name = padded(ref, names)
    if name is not None:
        return name
    try:
        position = int(ref)
    except ValueError:
        return None
    return names[position] if -len(names) <= position < len(names) else None


def padded(ref, names):
    """The one column name among `names` that is `ref` with spaces around it (' id' for
    'id'), which a list option's name, stripped by `columns`, can only reach so; else None.
    ValueError where `ref` is also the position of another column ('0' for ' 0' that is not
    the first): either reading could be meant."""
    names = list(names)
    found = [name for name in names if str(name) != str(name).strip() == str(ref)]
    if len(found) != 1:
        return None
    try:
        position = int(ref)
    except ValueError:
        return found[0]
    if -len(names) <= position < len(names) and names[position] != found[0]:
        raise ValueError(f"{ref} names both the column {str(found[0])!r} and, by position, "
                         f"the column {str(names[position])!r}; name {str(names[position])!r} "
                         f"by its name, or {str(found[0])!r} by its position "
                         f"{names.index(found[0])}")
    return found[0]


def values(text):
    """Comma-separated values kept as typed (missing-value markers such as '?' or '-'), and
    without the spaces around them where they have some: '?, -' lists '?' and '-' as a list
    is typed (a field a file writes with its spaces, ' -', is still matched)."""
    parts = [part for part in text.split(",") if part != ""]
    return list(dict.fromkeys(v for part in parts for v in (part, part.strip()) if v != ""))


def separator(text):
    try:
        return parse_separator(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def decimal_mark(text):
    """A decimal mark as typed on the command line: '.' (1.5) or ',' (1,5)."""
    if text not in (".", ","):
        raise argparse.ArgumentTypeError(f"expected . (numbers written 1.5) or , (written 1,5), "
                                         f"got {text!r}")
    return text
