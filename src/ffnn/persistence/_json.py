"""The JSON of a model file, read as strictly as `save` writes it: ASCII, escaping only quotes
and backslashes at the header's level, no repeated key, no NaN or Infinity, no lone surrogate
in any string, and few enough items that parsing stays within bounded memory."""

import json

from ._format import MAX_JSON_ITEMS, MAX_OBJECT_KEYS


class _Repeated(ValueError):
    def __init__(self, key):
        super().__init__(key)
        self.key = key


class _TooMany(ValueError):
    pass


def _unique_keys(pairs):
    if len(pairs) > MAX_OBJECT_KEYS:
        raise _TooMany(len(pairs))
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Repeated(key)
            seen.add(key)
    return obj


def _reject_constant(name):
    raise ValueError(f"non-finite number {name}")


def item_count(text):
    """An upper bound on the values a JSON text holds (each follows a comma, colon or opening
    bracket), counted without parsing it."""
    return sum(text.count(c) for c in (",", ":", "[", "{"))


def parse_header(check, handle, length):
    """The header's JSON object, read from `handle` (`length` bytes; its bytes and text are
    let go as soon as they have been used, since the header may be large)."""
    raw = handle.read(length)
    if len(raw) != length:
        check.fail("header", "the file ends inside the header")
    if not raw.isascii():
        check.fail("header", "holds bytes that are not ASCII; not a model file ffnn wrote")
    text = raw.decode("ascii")
    del raw
    items = item_count(text)
    if items > MAX_JSON_ITEMS:
        check.fail("header", f"holds about {items} JSON values, more than the {MAX_JSON_ITEMS} "
                             "a model file may have")
    # save's header escapes only the quotes and backslashes of the description: any other
    # escape (\\u…, which could make the description a string of 4-byte characters) is not its.
    # Each run of backslashes is read in pairs from its start, as JSON reads it; what is left
    # over must escape a quote.
    if "\\" in text.replace("\\\\", "").replace('\\"', ""):
        check.fail("header", "holds an escape sequence that ffnn does not write")
    return _parse(check, text, "header")


def parse_description(check, text):
    """The description's JSON object, from the string in the header's metadata."""
    if not text.isascii():
        check.fail("description", "holds characters that are not ASCII; ffnn writes \\u escapes")
    description = _parse(check, text, "description")
    check_text(check, description)
    return description


def _parse(check, text, where):
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_reject_constant)
    except _Repeated as error:
        check.fail(where, f"repeats the key {error.key!r}; a model file names each field once")
    except _TooMany as error:
        check.fail(where, f"has an object of {error} keys, more than the {MAX_OBJECT_KEYS} a "
                          "model file may have")
    except (ValueError, RecursionError) as error:
        check.fail(where, f"is not valid JSON ({type(error).__name__}); not a model file")
    if not isinstance(value, dict):
        check.fail(where, "must be a JSON object")
    return value


def bad_text(obj):
    """The first string inside `obj` (keys included) that is not valid Unicode (holds a lone
    surrogate, which no file or terminal can encode), or None."""
    stack = [obj]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and not _encodes(value):
                return value
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


def _encodes(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def path_to(obj, target):
    """Where `target` (a string object inside `obj`) is, as 'estimator.fitted.classes_[0]'.
    Walked again only to word an error message: the search for a bad string keeps no paths."""
    stack = [(obj, "")]
    while stack:
        value, name = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key is target:
                    return f"{name}.{key}" if name else key
                stack.append((item, f"{name}.{key}" if name else key))
        elif isinstance(value, list):
            stack.extend((item, f"{name}[{i}]") for i, item in enumerate(value))
        elif value is target:
            return name or "description"
    return "description"


def check_text(check, obj):
    bad = bad_text(obj)
    if bad is not None:
        check.fail(path_to(obj, bad), f"holds {bad!r}, which is not valid Unicode text (a lone "
                                      "surrogate)")
