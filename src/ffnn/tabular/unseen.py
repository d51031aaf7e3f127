"""Values of a table's text columns that its model's training rows never held: counted per
column as {column: {value: rows}}, added up over parts of a table (a cluster's partitions), and
said in one warning."""


class UnseenCategoryWarning(UserWarning):
    """Values of text columns that the training rows never held; they are encoded as no
    category (all zeros). `unseen` maps each column to {value: rows}."""

    def __init__(self, message, unseen):
        super().__init__(message)
        self.unseen = unseen

    @classmethod
    def of(cls, unseen, seen=None):
        """The warning for {column: {value: rows}}: the message names up to three values a
        column, the most frequent first, and, given the training categories {column: values}
        `seen`, those that differ from one of them only by spaces or case."""
        unseen = {name: dict(sorted(counts.items(), key=lambda item: -item[1]))
                  for name, counts in unseen.items()}
        return cls(_unseen_message(unseen, seen or {}), unseen)


def add_unseen(total, unseen):
    """Add the counts of {column: {value: rows}} `unseen` into `total`, a dict of the same kind."""
    for name, counts in unseen.items():
        added = total.setdefault(name, {})
        for value, rows in counts.items():
            added[value] = added.get(value, 0) + int(rows)
    return total


def listed_counts(counts, limit=3):
    """{value: rows} as "'a' (2 rows), 'b' (1 row) and 4 more", in the order given."""
    shown = ", ".join(f"{v!r} ({n} row{'s' if n > 1 else ''})"
                      for v, n in list(counts.items())[:limit])
    return shown + (f" and {len(counts) - limit} more" if len(counts) > limit else "")


def _unseen_message(unseen, seen):
    parts = [f"column {name!r}: {listed_counts(counts)}{_alike(counts, seen.get(name, ()))}"
             for name, counts in unseen.items()]
    return ("values not seen in training, encoded as no category (all zeros): "
            + "; ".join(parts))


def _alike(counts, categories, limit=3):
    """"; ' Paris ' and 'PARIS' differ from 'Paris' only by spaces or case" for the values of
    `counts` that a training category spells otherwise (a file's stray spaces, or capitals,
    which one-hot encoding tells apart), or ""."""
    known = {str(c).strip().casefold(): c for c in categories}
    near = {}
    for value in counts:
        category = known.get(str(value).strip().casefold())
        if category is not None:
            near.setdefault(category, []).append(value)
    said = [f"{' and '.join(map(repr, values[:limit]))} differ{'s' if len(values) == 1 else ''} "
            f"from {category!r} only by spaces or case" for category, values in near.items()]
    return "".join(f"; {text}" for text in said[:limit])
