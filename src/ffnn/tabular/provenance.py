"""Where a command-line model's rows came from: a fingerprint of its training file (name, rows,
content hash; for a glob of files trained on a cluster, `files_hash`) and how those rows were
split into training, validation and test rows, so that
scoring a model on its own training file can say so, and which rows were held out."""

import hashlib
import re
from dataclasses import asdict, dataclass, fields

_HEX = re.compile(r"^[0-9a-f]{64}$")


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

    def state(self):
        return asdict(self)

    @classmethod
    def from_state(cls, state):
        """The record that `state()` describes; ValueError where it is not one."""
        names = [f.name for f in fields(cls)]
        if not isinstance(state, dict) or set(state) != set(names):
            raise ValueError(f"the data record must give {', '.join(names)}")
        counts = ("rows", "seed", "training_rows", "validation_rows", "test_rows")
        if not all(type(state[k]) is int and 0 <= state[k] < 2**63 for k in counts):
            raise ValueError("row counts and the seed must be non-negative integers")
        if state["training_rows"] + state["validation_rows"] + state["test_rows"] != \
                state["rows"] or state["training_rows"] < 1:
            raise ValueError("the training, validation and test rows must add up to the rows")
        for key in ("validation_fraction", "test_fraction"):
            if type(state[key]) not in (int, float) or not 0 <= state[key] < 1:
                raise ValueError(f"{key} must be a number in [0, 1)")
        for key in ("name", "test_name"):
            if not (isinstance(state[key], str) or key == "test_name" and state[key] is None):
                raise ValueError(f"{key} must be a file name")
        for key in ("sha256", "test_sha256"):
            value = state[key]
            if not (isinstance(value, str) and _HEX.match(value)
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
        digests = [("files", files_hash(paths))]
        if len(paths) == 1:
            digests.insert(0, ("bytes", file_hash(paths[0])))
        for by, digest in digests:
            if digest == self.sha256:
                return "training", by
            if digest == self.test_sha256:
                return "test", by
        return None, None
