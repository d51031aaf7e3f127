"""Property-based hostile inputs for the estimators and Network (Hypothesis).

    python benchmarks/hostile_inputs.py [--examples 2000]

Random shapes (one sample, one feature, one class, many outputs), dtypes (float32, float64,
integers, booleans, object, strings) and values (NaN, ±inf, 1e300, denormals, constant columns,
duplicated rows). Every case must end in one of two ways: fit and predict succeed with finite
predictions, or a ValueError (or subclass) whose message names the problem, raised by ffnn or by
scikit-learn's input validation, never from deep inside NumPy or SciPy. Prints how the cases of
each category ended. tests/test_hostile_inputs.py runs a smaller number on every test run.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from hostile_cases import CATEGORIES, cases, run_case  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per category")
    args = parser.parse_args(argv)
    outcomes = Counter()
    failures = []
    for category in CATEGORIES:
        @settings(max_examples=args.examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(cases(category))
        def check(case):
            _, X, y, estimator, params = case
            try:
                outcomes[(category, run_case(X, y, estimator, params))] += 1
            except AssertionError as error:
                outcomes[(category, "FAILURE")] += 1
                failures.append((category, str(error)))

        check()
    print(f"{args.examples} Hypothesis cases per category\n")
    print("| category | fit and predict, finite | ValueError naming the problem | failure |")
    print("|---|---|---|---|")
    for category in CATEGORIES:
        print(f"| {category} | {outcomes[(category, 'fit and predict')]} | "
              f"{outcomes[(category, 'ValueError')]} | {outcomes[(category, 'FAILURE')]} |")
    for category, message in failures[:20]:
        print(f"{category}: {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
