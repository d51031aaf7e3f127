"""The model file format's constants: names, version and the limits a file must keep."""

import numpy as np

FORMAT = "ffnn-model"
FORMAT_VERSION = 1
# Limits that bound what a load allocates, whatever the file claims. The header (the JSON that
# lists the tensors and holds the description) becomes Python objects of up to some 25 times its
# bytes: the count of its items (commas, colons, brackets: about 60 bytes of objects each, and
# 900,000 for a table of 100,000 columns) and of the keys of any one object (no object save
# writes has more than the header's 2·MAX_LAYERS + 1) bound that. save refuses a model beyond
# these limits, so that load never refuses a model save wrote.
MAX_HEADER_BYTES = 16 * 2**20
MAX_JSON_ITEMS = 2**20
MAX_OBJECT_KEYS = 4096
MAX_LAYERS = 1000
MAX_LAYER_SIZE = 2**24
MAX_PARAMETERS = 2**27  # weights and biases together: 1 GiB in float64
# A classifier's labels as the array classes_: each at most MAX_LABEL_ITEMSIZE bytes (1024
# characters of text), all together at most MAX_LABEL_BYTES (count × itemsize: the dtype, not
# the file's text, sizes the array).
MAX_LABEL_ITEMSIZE = 4096
MAX_LABEL_BYTES = 2**24
MAX_PROBLEM_CHARS = 240  # of an error message's description of the problem
DTYPES = {"float32": ("F32", np.dtype("<f4")), "float64": ("F64", np.dtype("<f8"))}
KINDS = ("network", "regressor", "classifier", "tabular")
