"""Fuzz the model-file loader: start from valid files of every kind, mutate them, load them.

    python benchmarks/fuzz_model_files.py [--mutations 30000] [--every-family 100] [--seed 0]

Mutations come in families (tests/model_file_mutations.py): generic damage, and one family per
attack of the red team's report (issue 13). `--mutations` of random families are followed by
`--every-family` more of each family. Every mutation must end either in a successful load of a
model that still works (it predicts finite values on a probe input, or refuses the input with a
ValueError that says why: an output that overflows) or in a ModelFileError naming the file in a
short message (at most 600 characters besides the name). Anything
else is a failure, printed with the seed that reproduces it: another exception, a load that
allocates more than 64 MiB beyond the model's own size (its parameters and their gradients,
at most twice the file's size), any attempt to run code or to open a
FIFO, device or socket (watched with an audit hook), a load that hangs for 10 s. The counts of
outcomes per family are printed as a table. tests/test_model_file_fuzzing.py runs a few hundred
of these on every test run.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from model_file_fuzzer import KINDS, OUTCOMES, run, valid_files  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=30_000)
    parser.add_argument("--every-family", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-seconds", type=int, default=10)
    args = parser.parse_args(argv)
    files = valid_files()
    start = time.perf_counter()
    counts, failures = run(args.mutations, args.seed, files, args.every_family,
                           args.hang_seconds)
    seconds = time.perf_counter() - start
    total = sum(counts.values())
    print(f"{total} mutations ({args.mutations} of random families, then {args.every_family} "
          f"of each of the {len(KINDS)} families; seed {args.seed}) of {len(files)} valid "
          f"files, in {seconds:.0f} s\n")
    print("| family | mutations | loaded, predicts finite values | loaded, prediction refused "
          "(ValueError) | ModelFileError | escapes |")
    print("|---|---|---|---|---|---|")
    outcomes = Counter()
    for kind in KINDS:
        row = [counts[(kind, o)] for o in OUTCOMES]
        print(f"| {kind} | {sum(row)} | " + " | ".join(map(str, row)) + " |")
        outcomes.update(dict(zip(OUTCOMES, row)))
    print(f"| all | {total} | " + " | ".join(str(outcomes[o]) for o in OUTCOMES) + " |")
    for i, name, kind, outcome in failures[:20]:
        print(f"mutation {i} of {name} ({kind}): {outcome}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
