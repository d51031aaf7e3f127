"""Where a command-line model's rows came from: a fingerprint of its training file (name, rows,
content hash; for a glob of files trained on a cluster, `files_hash`) and how those rows were
split into training, validation and test rows, so that scoring a model on its own training
file can say so, and which rows were held out. A file that is not the training file byte for
byte (another copy of some of its rows, in another order, layout or line ending) is known by
the rows themselves: a model trained in memory keeps the hashes of (a sample of) the rows it
trained or validated on, and `overlap` counts the rows of a table among them."""

import hashlib
import re
from dataclasses import asdict, dataclass, fields

import numpy as np

# The hashes of rows a model keeps: the smallest SKETCH of the distinct hashes of the rows that
# trained or validated it (a bottom-k sample, 16 hex digits each: 38 KB of a model file at
# most). Where the rows were fewer, every one is kept and overlaps are counted exactly; else a
# table's overlap is estimated from the rows whose hash falls in the sample's range.
SKETCH = 2048
# Model files keep these hashes: changing how `row_hashes` hashes makes every kept hash match
# nothing, without a word. Keep it, or record the new hashes under a new field.
_HASH_KEY = "ffnn-row-hashes!"  # pandas' hash key (16 bytes): a model's and a table's agree
_MISSING = "\0missing"  # a missing text value
_SALT = np.uint64(0x9E3779B97F4A7C15)  # keys each column's position apart from 0

# (matched whole: "$" also matches before a final line end, which no hash ends in)
_HEX = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")


def file_hash(path, chunk=2**20):
    """The SHA-256 of a file's bytes, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def files_hash(paths, edge=2**20):
    """A fingerprint of a set of files too large to read once more: SHA-256 over each file's
    name (without its folder), size, and first and last `edge` bytes, in the order of names.
    Copies and moved folders keep it; a changed file keeps it only if its size and both ends
    stay the same."""
    import os

    digest = hashlib.sha256()
    for path in sorted(paths, key=os.path.basename):
        size = os.path.getsize(path)
        digest.update(f"{os.path.basename(path)}\0{size}\0".encode())
        with open(path, "rb") as handle:
            digest.update(handle.read(edge))
            if size > edge:
                handle.seek(max(edge, size - edge))
                digest.update(handle.read(edge))
    return digest.hexdigest()


@dataclass
class Provenance:
    """The training file and its split: `rows` in all, of which `training_rows` trained the
    network, `validation_rows` were scored every epoch (and may have chosen the epoch kept),
    `test_rows` were held out from both (and written to the file hashed `test_sha256`, if any).
    The split is that of `split_rows` with `seed` and the two fractions."""

    name: str
    sha256: str
    rows: int
    seed: int
    validation_fraction: float
    test_fraction: float
    training_rows: int
    validation_rows: int
    test_rows: int
    test_name: str = None
    test_sha256: str = None
    seen_hashes: list = None  # `row_hashes` of the rows that trained or validated the network
    seen_rows: int = None     # how many distinct ones there were (see SKETCH)

    def state(self):
        state = asdict(self)
        if self.seen_hashes is None:  # as files written before rows were hashed
            del state["seen_hashes"], state["seen_rows"]
        return state

    def keep_rows(self, hashes):
        """Keep `SKETCH` of the hashes (`row_hashes`) of the rows that trained or validated the
        network."""
        distinct = np.unique(np.asarray(hashes, dtype=np.uint64))
        self.seen_hashes = [f"{h:016x}" for h in distinct[:SKETCH].tolist()]
        self.seen_rows = len(distinct)
        return self

    def seen(self, hashes):
        """Which of a table's row `hashes` are kept ones: rows identical to rows that trained or
        validated the network (all such rows, where every hash was kept)."""
        kept = np.array([int(h, 16) for h in self.seen_hashes or []], dtype=np.uint64)
        return np.isin(np.asarray(hashes, dtype=np.uint64), kept)

    def overlap(self, hashes):
        """(rows among a table's row `hashes` identical to rows that trained or validated the
        network, whether that count is exact, how many of them are certain): see `estimate`;
        None where no row hash was kept (models trained on a cluster, or before rows were
        hashed)."""
        if not self.seen_hashes:
            return None
        return self.estimate(int(self.seen(hashes).sum()), len(hashes))

    def estimate(self, matched, rows):
        """(rows identical to rows that trained or validated the network, whether exact, how
        many are certain), among `rows` rows of which `matched` have a kept hash: exact where
        every such row's hash was kept, else estimated (the matched rows, a lower bound, are
        certain)."""
        kept = len(self.seen_hashes)
        if self.seen_rows == kept:
            return matched, True, matched
        # each seen row's hash falls in the kept range with probability kept / seen_rows
        return min(rows, round(matched * self.seen_rows / kept)), False, matched

    @classmethod
    def from_state(cls, state):
        """The record that `state()` describes; ValueError where it is not one."""
        names = [f.name for f in fields(cls)]
        optional = {"seen_hashes", "seen_rows"}  # together, or neither (older files)
        if not isinstance(state, dict) or not (
                set(state) == set(names) or set(state) == set(names) - optional):
            raise ValueError(f"the data record must give {', '.join(names)}")
        if "seen_hashes" in state:
            _check_seen(state["seen_hashes"], state["seen_rows"])
        counts = ("rows", "seed", "training_rows", "validation_rows", "test_rows")
        if not all(type(state[k]) is int and 0 <= state[k] < 2**63 for k in counts):
            raise ValueError("row counts and the seed must be non-negative integers")
        if state["training_rows"] + state["validation_rows"] + state["test_rows"] != \
                state["rows"] or state["training_rows"] < 1:
            raise ValueError("the training, validation and test rows must add up to the rows")
        if state.get("seen_rows", 0) > state["training_rows"] + state["validation_rows"]:
            raise ValueError("seen_rows must count at most the training and validation rows, "
                             "whose hashes they are")
        for key in ("validation_fraction", "test_fraction"):
            if type(state[key]) not in (int, float) or not 0 <= state[key] < 1:
                raise ValueError(f"{key} must be a number in [0, 1)")
        for key in ("name", "test_name"):
            if not (isinstance(state[key], str) or key == "test_name" and state[key] is None):
                raise ValueError(f"{key} must be a file name")
        for key in ("sha256", "test_sha256"):
            value = state[key]
            if not (isinstance(value, str) and _HEX.fullmatch(value)
                    or key == "test_sha256" and value is None):
                raise ValueError(f"{key} must be 64 hexadecimal digits")
        if (state["test_name"] is None) != (state["test_sha256"] is None):
            raise ValueError("test_name and test_sha256 go together")
        return cls(**{k: float(v) if k.endswith("fraction") else v for k, v in state.items()})

    def role_of(self, paths):
        """How the data files `paths` (one file, or the files of a glob) stand to this record:
        ("training", by) if they hold the training data, ("test", by) if the test rows written
        by --test-out, else (None, None). `by` names the fingerprint that matched: "bytes", the
        SHA-256 of a single file (what fits in memory record, whose split `split_rows` can
        rebuild), or "files", `files_hash` (what fits on a cluster record, split partition by
        partition)."""
        if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
            paths = [paths]  # one file
        digests = [("files", files_hash(paths))]
        if len(paths) == 1:
            digests.insert(0, ("bytes", file_hash(paths[0])))
        for by, digest in digests:
            if digest == self.sha256:
                return "training", by
            if digest == self.test_sha256:
                return "test", by
        return None, None


def _check_seen(hashes, rows):
    if not (isinstance(hashes, list) and all(isinstance(h, str) and _HEX16.fullmatch(h)
                                             for h in hashes)):
        raise ValueError("seen_hashes must list hashes of 16 hexadecimal digits")
    if hashes != sorted(set(hashes)) or not 0 < len(hashes) <= SKETCH:
        raise ValueError(f"seen_hashes must list 1 to {SKETCH} distinct hashes in order")
    if not (type(rows) is int and (rows == len(hashes) or len(hashes) == SKETCH < rows < 2**63)):
        raise ValueError("seen_rows must count the distinct hashes: all of them kept, or more "
                         f"than the {SKETCH} kept")


def row_hashes(frame, columns, chunk=2**16):
    """A 64-bit hash of each row of a table over its `columns` (taken in the order of their
    names), of the values as read: numbers as float64, other values as text. A copy of the rows
    in another layout (columns in another order, another separator, quoting or line ending)
    hashes alike. Numbers are hashed as one block, not column by column: a table of 100,000
    columns takes a few array operations."""
    import pandas as pd

    if len(frame) > chunk:  # a few arrays of the chunk's size at a time, not of the table's
        return np.concatenate([row_hashes(frame.iloc[start:start + chunk], columns, chunk)
                               for start in range(0, len(frame), chunk)])
    columns = sorted(columns, key=str)
    block = frame[columns]
    numeric = np.array([pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
                        for t in block.dtypes], dtype=bool)
    position = np.arange(len(columns), dtype=np.uint64)
    hashes = np.zeros(len(block), dtype=np.uint64)
    if numeric.any():
        # exact float64 values: a float32 column's 0.1 is 0.10000000149011612, not its CSV
        # copy's 0.1, so such a copy is not known by its rows (its shortest decimals took 60
        # times as long to find as the hashes, and rounding to float32 made rows apart alike)
        values = block.iloc[:, numeric].to_numpy(np.float64, na_value=np.nan) + 0.0  # -0.0: 0
        values[np.isnan(values)] = np.nan  # one NaN, whatever its payload
        keyed = values.view(np.uint64) ^ _mix(position[numeric] + _SALT)
        hashes ^= np.bitwise_xor.reduce(_mix(keyed), axis=1)
    for k in np.flatnonzero(~numeric):
        column = block.iloc[:, k]
        text = column.astype(str).where(column.notna(), _MISSING).to_numpy(object)
        keyed = pd.util.hash_array(text, hash_key=_HASH_KEY) ^ _mix(position[k:k + 1] + _SALT)
        hashes ^= _mix(keyed)
    return _mix(hashes)


def _mix(z):
    """SplitMix64's finaliser, elementwise: every bit of the result depends on every bit of
    z (NumPy's uint64 arithmetic wraps around, as the hash needs)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))
