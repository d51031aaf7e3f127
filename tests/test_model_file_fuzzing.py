"""Seeded mutations of valid model files, every family of them: each ends in a working model or
in a short ModelFileError naming the file; nothing else escapes, memory stays bounded, no code
runs, no special file is opened, nothing hangs. A few hundred here, on every test run;
benchmarks/fuzz_model_files.py runs tens of thousands (README, Reliability)."""

from collections import Counter

import pytest
from model_file_fuzzer import KINDS, run

MUTATIONS = 300
EVERY_FAMILY = 4


@pytest.mark.slow
def test_seeded_mutations_load_cleanly_or_raise_model_file_error():
    counts, failures = run(MUTATIONS, seed=0, every_family=EVERY_FAMILY, hang_seconds=10)
    assert not failures, failures[:5]
    assert sum(counts.values()) == MUTATIONS + EVERY_FAMILY * len(KINDS)
    by_kind = Counter()
    outcomes = Counter()
    for (kind, outcome), n in counts.items():
        by_kind[kind] += n
        outcomes[outcome] += n
    assert set(by_kind) == set(KINDS)  # every kind of mutation was tried
    assert outcomes["ModelFileError"] > MUTATIONS / 2 and outcomes["loaded"] > 0
