"""The separators of a CSV file's fields: those detected, the names the command line takes for
them, and which characters can be one."""

# The separators detected, in order of preference when two read the sample equally well.
SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon", r"\s+": "whitespace"}
SEPARATOR_NAMES = {"comma": ",", "tab": "\t", "semicolon": ";", "whitespace": r"\s+",
                   "space": r"\s+", "\\t": "\t", "pipe": "|"}


def parse_separator(text):
    """A separator as typed on the command line: a name (comma, tab, semicolon, whitespace,
    pipe) or a single character."""
    if text in SEPARATOR_NAMES:
        return SEPARATOR_NAMES[text]
    if len(text) == 1 and is_separator(text):
        return text
    raise ValueError(f"expected one character or one of {', '.join(SEPARATOR_NAMES)}, got "
                     f"{text!r}")


def is_separator(sep):
    """Whether `sep` can separate fields: one of those detected, or one character that is not
    a quote or a line end (those are CSV's own syntax: pandas reads nothing sensible with them)."""
    return isinstance(sep, str) and (sep in SEPARATORS or len(sep) == 1
                                      and sep not in "\"'\r\n")


def describe_separator(sep):
    return SEPARATORS.get(sep, repr(sep))
