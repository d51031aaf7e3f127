"""Training gives the same models as when tests/data/reference_models.npz was recorded (by
benchmarks/make_reference_models.py, before the training loop was optimised for speed)."""

from pathlib import Path

import numpy as np
import pytest
from reference_cases import CASES, train

RECORDED = np.load(Path(__file__).parent / "data" / "reference_models.npz")


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_seed_same_model_as_recorded(name):
    tolerance = 1e-4 if "f32" in name else 1e-6
    np.testing.assert_allclose(train(name), RECORDED[name], rtol=tolerance, atol=tolerance)
