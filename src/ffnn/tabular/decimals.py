"""The decimal mark of a CSV file's numbers: '.' (1.5) or ',' (1,5), as detected from its first
records or given (`check_decimal`), and whether a header's fields are numbers written with it."""

import re

from ..exceptions import DataError

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d*\.\d+$")
MARKS = (".", ",")


def check_decimal(path, sep, decimal, detected):
    """DataError where the decimal mark given (`decimal`, None: to detect) is also the file's
    separator `sep` (`detected`, or given): numbers and fields could not be told apart."""
    if decimal is not None and decimal == sep:
        raise DataError(f"{path}: the decimal mark {decimal!r} given is also its separator"
                        f"{' (detected)' if detected else ''}; give the file's separator with "
                        f"--sep (e.g. --sep ';'), or the other decimal mark with --decimal "
                        f"{'.' if decimal == ',' else ','}")


def decimal_commas(records):
    """Whether most fields holding a comma are numbers written with a decimal comma (1,5)."""
    with_comma = [f.strip() for record in records for f in record if "," in f]
    return 2 * sum(bool(_DECIMAL_COMMA.match(f)) for f in with_comma) > len(with_comma) > 0


def decimal_mark(records, sep):
    """',' when the separator is not a comma and numbers are written 1,5 (never 1.5) in some
    column and 1.5 in none; a column of both (codes such as '1,5' and '1.0') tells neither."""
    if sep == ",":
        return "."
    commas = points = mixed = 0
    for j in range(max(map(len, records), default=0)):
        fields = [record[j].strip() for record in records if j < len(record)]
        comma = any(_DECIMAL_COMMA.match(f) for f in fields)
        point = any(_DECIMAL_POINT.match(f) for f in fields)
        mixed += comma and point
        commas += comma and not point
        points += point and not comma
    if not (commas or points or mixed):
        return None  # no decimal numbers: nothing to go on
    return "," if commas and not points else "."


def writes_numbers_with(records, mark):
    """Whether some field of `records` is a number written with the decimal `mark` (1,5 or 1.5)."""
    pattern = _DECIMAL_COMMA if mark == "," else _DECIMAL_POINT
    return any(pattern.match(f.strip()) for record in records for f in record)


def looks_numeric(names, decimal="."):
    """Whether most of a header's fields are numbers (written with the `decimal` mark): then the
    first line is likely data."""
    numbers = sum(is_number(name, decimal) for name in names)
    return len(names) > 0 and numbers >= max(1, len(names) // 2 + 1)


def is_number(field, decimal="."):
    """Whether the text `field` is a number written with the `decimal` mark."""
    try:
        float(field.replace(",", ".") if decimal == "," and "." not in field else field)
    except ValueError:
        return False
    return True
