"""Fuzz the model-file loader: start from valid files of every kind, mutate them, load them.

    python benchmarks/fuzz_model_files.py [--mutations 20000] [--seed 0]

Every mutation must end either in a successful load of a model that still works (it predicts
finite values on a probe input, or refuses it with a ValueError that says why) or in
ModelFileError. Anything else, a load that allocates more than a bounded amount of memory, or
any attempt to run code (watched with an audit hook), is a failure, printed with the seed that
reproduces it. The counts of outcomes per kind of mutation are printed as a table.
tests/test_model_file_fuzzing.py runs a few thousand of these on every test run.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from model_file_fuzzer import run, valid_files  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    counts, failures = run(args.mutations, args.seed)
    kinds = sorted({k for k, _ in counts})
    print(f"{args.mutations} mutations (seed {args.seed}) of {len(valid_files())} valid files\n")
    print("| mutation | loaded and working | ModelFileError | failure |")
    print("|---|---|---|---|")
    for kind in kinds:
        print(f"| {kind} | {counts[(kind, 'loaded')]} | {counts[(kind, 'ModelFileError')]} | "
              f"{counts[(kind, 'FAILURE')]} |")
    total = Counter()
    for (_, outcome), n in counts.items():
        total[outcome] += n
    print(f"| all | {total['loaded']} | {total['ModelFileError']} | {total['FAILURE']} |")
    for i, name, kind, outcome in failures[:20]:
        print(f"mutation {i} of {name} ({kind}): {outcome}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
