"""The words of text columns that pandas reads as missing ('NA' for no alley, 'None' for no
veneer), counted over the CSV files of `ffnn fit --dask` on the cluster, so that fit warns of
them as the in-memory command does (`features.warn_of_filled_words`,
`features.missing_words_hint`): imputation would otherwise fill a category without a word."""

from ..tabular.markers import markers_of, ordered
from ..tabular.spelling import PANDAS_MISSING
from .distributed_files import check_files, read_frame, reads_parquet
from .distributed_parquet import read_parquet_files
from .tables import read_options


def missing_words(pattern, args, names):
    """{name: {word: rows}} of the columns `names` of the files a glob names: the fields that
    pandas' own markers of missing values read as missing, not the markers given
    (--na-values) or empty fields; {} for Parquet files, whose nulls are spelled no way. One
    pass over the files, the columns read as spelled."""
    import dask

    if not names or reads_parquet(pattern):
        return {}
    given = set(read_options(args).na_values)
    markers = sorted(marker for marker in PANDAS_MISSING if marker not in given)
    frame = read_frame(pattern, args, check_rows=False, as_spelled=True)
    count = dask.delayed(_words, pure=True)
    parts = dask.compute(*[count(part, names, markers) for part in frame.to_delayed()])
    found = {}
    for name in names:
        words = {}
        for part in parts:  # in the order the words first come, as in memory
            for word, rows in part[name].items():
                words[word] = words.get(word, 0) + rows
        if words:
            found[name] = dict(sorted(words.items(), key=lambda item: -item[1]))
    return found


def _words(part, names, markers):
    """{name: {word: rows}} of one partition's fields that are among `markers`, stripped."""
    found = {}
    for name in names:
        fields = part[name]
        words = fields[fields.isin(markers)].str.strip()
        found[name] = words.value_counts(sort=False).to_dict()
    return found


def given_markers(pattern, args, name, recorded=None):
    """{marker: rows} (`markers.ordered`) of the markers given (--na-values, and those a model
    `recorded`) among the fields of the column `name` of the files a glob names: the fields
    that they made missing, counted in one pass over the files, read as spelled (CSV) or as
    typed (Parquet), the markers not read."""
    import dask

    markers = list(read_options(args, recorded).na_values)
    if not markers:
        return {}
    # the files read twice, as spelled and as read, in the same partitions (the same files and
    # blocks): a field counts where it was read as missing, as in memory
    if reads_parquet(pattern):
        files = check_files(pattern, args, recorded)[0]
        spelled = read_parquet_files(files, pattern)
        read = read_parquet_files(files, pattern, markers)
    else:
        spelled = read_frame(pattern, args, recorded, check_rows=False, as_spelled=True)
        read = read_frame(pattern, args, recorded, check_rows=False, text=(name,))
    count = dask.delayed(_markers, pure=True)
    parts = dask.compute(*[count(fields, fields_read, name, markers) for fields, fields_read
                           in zip(spelled.to_delayed(), read.to_delayed(), strict=True)])
    total = {}
    for part in parts:
        for marker, rows in part.items():
            total[marker] = total.get(marker, 0) + rows
    return ordered(total, markers)


def _markers(spelled, read, name, markers):
    """{marker: rows} of one partition's column `name`, among its fields `read` as missing."""
    missing = read[name].isna().to_numpy()
    if len(missing) != len(spelled):
        raise RuntimeError("a partition read twice gave two numbers of rows")
    return markers_of(spelled[name][missing], markers).value_counts().to_dict()
