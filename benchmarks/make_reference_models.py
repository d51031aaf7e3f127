"""Record what training produces today, so that later speed work can prove it changes nothing.

    python benchmarks/make_reference_models.py   # writes tests/data/reference_models.npz

Each case trains an estimator with a fixed seed and stores its predictions on fixed inputs;
tests/test_reference_models.py retrains and compares to float tolerance.
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference_cases import CASES, train  # noqa: E402


def main():
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "reference_models.npz"
    np.savez(path, **{name: train(name) for name in CASES})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
