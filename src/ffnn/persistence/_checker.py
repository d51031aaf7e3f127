"""Checking a model file's JSON description field by field: each failure is a ModelFileError
that names the file and the field."""

import math

from ..exceptions import ModelFileError


class Checker:
    """Raises ModelFileError("<file>: <field>: <problem>") and checks JSON fields' types."""

    def __init__(self, path):
        self.path = path

    def fail(self, field, problem):
        raise ModelFileError(f"{self.path}: {field}: {problem}")

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
            self.fail(where or "description", f"unexpected field(s) {', '.join(unknown)}")

    def number(self, obj, key, where, low=None, high=None, integer=False, allow_none=False):
        """An integer, or a real number returned as a finite float."""
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

    def numbers(self, obj, key, where, allow_none=False):
        values = self.field(obj, key, where, list, allow_none)
        if values is None:
            return None
        floats = []
        for i, v in enumerate(values):
            number = as_float(v) if is_kind(v, (int, float)) else None
            if (v is not None and number is None) or (number is not None and not finite(number)):
                self.fail(f"{where}.{key}[{i}]", "must be a finite number or null")
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
