"""Checking a model file's JSON description field by field: each failure is a ModelFileError
that names the file and the field, in a message of bounded length."""

import math

from ..exceptions import ModelFileError
from ._format import MAX_PROBLEM_CHARS

# What code given a wrong value raises (NumPy, scikit-learn, the owners' constructors): inside a
# load, each of these means the file holds a value ffnn does not build, so it becomes a
# ModelFileError naming the part being built. (AttributeError: a list where an object belongs.)
BAD_VALUE_ERRORS = (ValueError, TypeError, LookupError, ArithmeticError, AttributeError,
                    RecursionError)

# How JSON, which has no number for them, holds the infinities of a training history
INFINITIES = {"inf": math.inf, "-inf": -math.inf}


def short(text, limit=MAX_PROBLEM_CHARS):
    """`text` cut to `limit` characters, printable whatever the file held (a lone surrogate in a
    name would otherwise make the message itself unprintable)."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Checker:
    """Raises ModelFileError("<file>: <field>: <problem>") and checks JSON fields' types."""

    def __init__(self, path):
        self.path = path

    def fail(self, field, problem):
        raise ModelFileError(f"{self.path}: {short(field, 120)}: {short(problem)}")

    def build(self, where, constructor, *args):
        """`constructor(*args)`, a ValueError (or the like) from it failing the load at `where`."""
        try:
            return constructor(*args)
        except BAD_VALUE_ERRORS as error:
            self.fail(where, error)

    def field(self, obj, key, where, kinds, allow_none=False):
        where = f"{where}.{key}" if where else key
        if not isinstance(obj, dict):
            self.fail(where.rsplit(".", 1)[0] or "description", "must be a JSON object")
        if key not in obj:
            self.fail(where, "is missing")
        value = obj[key]
        if value is None and allow_none:
            return None
        if not is_kind(value, kinds):
            self.fail(where, f"must be {kind_name(kinds)}, got {type(value).__name__}")
        return value

    def keys(self, obj, where, allowed):
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            self.fail(where or "description",
                      f"unexpected field(s) {', '.join(map(repr, unknown[:5]))}{more}")

    def integers(self, obj, key, where):
        """A list of integers, as save writes them (not 4.0, not true)."""
        values = self.field(obj, key, where, list)
        if not all(is_kind(v, int) for v in values):
            self.fail(f"{where}.{key}", "must list integers")
        return values

    def number(self, obj, key, where, low=None, high=None, integer=False, allow_none=False,
               infinite=None):
        """An integer, or a real number returned as a finite float; with `infinite` ("inf" or
        "-inf"), also that text, returned as that infinity."""
        if infinite and isinstance(obj, dict) and obj.get(key) == infinite:
            return INFINITIES[infinite]
        value = self.field(obj, key, where, int if integer else (int, float), allow_none)
        if value is None:
            return None
        if not integer:
            value = as_float(value)
        if value is None or not finite(value):
            self.fail(f"{where}.{key}", "must be a finite number")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(f"{where}.{key}", f"must lie in [{low}, {high}], got {value}")
        return value

    def numbers(self, obj, key, where, allow_none=False, infinite=None):
        """A list of finite floats or None (null); with `infinite` ("inf" or "-inf"), also
        that infinity, written as that text."""
        values = self.field(obj, key, where, list, allow_none)
        if values is None:
            return None
        floats = []
        for i, v in enumerate(values):
            if infinite and v == infinite:
                floats.append(INFINITIES[infinite])
                continue
            number = as_float(v) if is_kind(v, (int, float)) else None
            if (v is not None and number is None) or (number is not None and not finite(number)):
                self.fail(f"{where}.{key}[{i}]", "must be a finite number"
                          + (f', "{infinite}"' if infinite else "") + " or null")
            floats.append(number)
        return floats


def as_float(value):
    """A JSON number as a float, or None if it is too large for one."""
    try:
        return float(value)
    except OverflowError:
        return None


def finite(value):
    # JSON integers may be huge; only floats can be NaN or infinite.
    return not isinstance(value, float) or math.isfinite(value)


def is_kind(value, kinds):
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def kind_name(kinds):
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false",
             list: "a list", dict: "an object"}
    return " or ".join(names[k] for k in kinds)
