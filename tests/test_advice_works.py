"""The fix that a message suggests works where it is suggested: the options it names, typed
as it writes them, are taken in that same command and get past what was refused."""

import shlex

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run


def _table(rows=40, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=rows), "b": rng.normal(size=rows)})
    frame["y"] = frame.a + 2 * frame.b
    return frame


@pytest.mark.parametrize("sep", [";", "|"])
def test_the_separator_suggested_is_typed_so_that_a_shell_passes_it(tmp_path, capsys, sep):
    """'pass --sep ;' ended the command in a shell (and '--sep |' piped it): the suggested
    separator is quoted as the shell needs, and the words as a shell splits them work."""
    data = tmp_path / "data.csv"
    data.write_text(_table().to_csv(index=False, sep=sep))
    argv = ["fit", data, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn"]
    line = one_error(capsys, *argv, "--sep", ",")
    advice = line.rsplit("; pass ", 1)[1]
    assert advice == f"--sep '{sep}'", line
    assert run(capsys, *argv, *shlex.split(advice))[0] == 0
