"""The model file format's constants: names, version and the limits a file must keep."""

import numpy as np

FORMAT = "ffnn-model"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 16 * 2**20
MAX_LAYERS = 1000
MAX_LAYER_SIZE = 2**24
DTYPES = {"float32": ("F32", np.dtype("<f4")), "float64": ("F64", np.dtype("<f8"))}
KINDS = ("network", "regressor", "classifier", "tabular")
