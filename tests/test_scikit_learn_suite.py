"""scikit-learn's own tests of its MLP, run against ffnn's estimators.

The test file is read from the installed scikit-learn at test time (nothing of it is kept in this
repository), its import of MLPClassifier and MLPRegressor is swapped for ffnn's estimators, and it
runs in a child pytest. Tests that read scikit-learn's private attributes are left out, each with
its reason; every other test must pass, except those listed in DIFFERS_ON_PURPOSE (README.md,
"Porting from scikit-learn", says why).
"""

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

sklearn = pytest.importorskip("sklearn")
SOURCE = Path(sklearn.__file__).parent / "neural_network" / "tests" / "test_mlp.py"
IMPORT = "from sklearn.neural_network import MLPClassifier, MLPRegressor"
OURS = "from ffnn import FFNNClassifier as MLPClassifier, FFNNRegressor as MLPRegressor"

READS_PRIVATE_ATTRIBUTES = {
    "test_fit": "sets _coef_grads, _intercept_grads, _coef_velocity and _no_improvement_count",
    "test_gradient": "calls _loss_grad_lbfgs",
    "test_learning_rate_warmstart": "reads _optimizer.learning_rate",
    "test_adaptive_learning_rate": "reads _optimizer.learning_rate",
    "test_n_iter_no_change": "reads _no_improvement_count",
    "test_n_iter_no_change_inf": "reads _no_improvement_count",
}
DIFFERS_ON_PURPOSE = {
    "test_early_stopping_stratified": "the stratified-split error names the label the user gave "
                                      "(1), where scikit-learn names its encoding ('True')",
}
# scikit-learn's conftest.py gives this fixture; its default seed is 42.
CONFTEST = '''
def pytest_generate_tests(metafunc):
    if "global_random_seed" in metafunc.fixturenames:
        metafunc.parametrize("global_random_seed", [42])
'''


@pytest.mark.slow
def test_scikit_learns_mlp_tests_pass_against_ffnn(tmp_path):
    if not SOURCE.exists():
        pytest.skip(f"this scikit-learn install has no tests ({SOURCE} is missing)")
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count(IMPORT) == 1, "scikit-learn's test file imports its MLP differently now"
    (tmp_path / "test_mlp_ffnn.py").write_text(text.replace(IMPORT, OURS), encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    report = tmp_path / "report.xml"
    deselect = [arg for name in READS_PRIVATE_ATTRIBUTES
                for arg in ("--deselect", f"test_mlp_ffnn.py::{name}")]
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--rootdir", str(tmp_path), f"--junitxml={report}", *deselect,
                    "test_mlp_ffnn.py"], cwd=tmp_path, capture_output=True, timeout=600)
    outcomes = {}
    for case in ElementTree.parse(report).iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        outcomes[case.get("name")] = "failed" if failed else (
            "skipped" if case.find("skipped") is not None else "passed")
    failed = {name for name, outcome in outcomes.items() if outcome == "failed"}
    passed = [name for name, outcome in outcomes.items() if outcome == "passed"]
    assert failed == set(DIFFERS_ON_PURPOSE), failed
    assert len(passed) >= 52 and len(outcomes) == len(passed) + len(failed)
    assert not set(READS_PRIVATE_ATTRIBUTES) & set(outcomes)
