"""Tables: reading CSV and Parquet files (`files`, with `dialect` for separators, headers and
missing-value markers, `decimals` for the decimal mark, `rows` for rows of another length than
the header, and `spelling` for fields as a file spells them), turning a table's columns into
the float matrix X (`preprocessing`, with the values training never saw in `unseen` and numeric
columns far from their training values in `shift`), where a model's rows came from
(`provenance`), and the model that carries all of it through prediction (`model`), whose
classes the labels of a target column name (`labels`). The command line is built on these;
pandas is imported only when a table is read."""

from ..exceptions import DataError
from .decimals import looks_numeric
from .dialect import ReadOptions
from .files import Table, infer_task, read, read_table
from .labels import class_codes
from .model import TabularModel
from .preprocessing import MissingValuesError, Preprocessor
from .provenance import Provenance, file_hash, files_hash, row_hashes
from .separators import parse_separator
from .shift import FarColumnWarning
from .standardise import target_scaling
from .unseen import UnseenCategoryWarning

__all__ = ["DataError", "TabularModel", "Preprocessor", "ReadOptions", "Table", "Provenance",
           "UnseenCategoryWarning", "FarColumnWarning", "read", "read_table", "infer_task",
           "file_hash", "files_hash", "row_hashes", "looks_numeric", "parse_separator",
           "class_codes", "MissingValuesError", "target_scaling"]
