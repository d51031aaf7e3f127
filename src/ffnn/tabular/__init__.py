"""Tables: reading CSV and Parquet files (`files`), turning a table's columns into the float
matrix X (`preprocessing`), and the model that carries both through prediction (`model`). The
command line is built on these; pandas is imported only when a table is read."""

from ..exceptions import DataError
from .files import infer_task, read_table
from .model import TabularModel
from .preprocessing import Preprocessor

__all__ = ["DataError", "TabularModel", "Preprocessor", "read_table", "infer_task"]
