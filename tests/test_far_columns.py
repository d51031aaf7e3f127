"""Numeric columns far from their training values: a file without a header that is short of one
column (read by position, each column after the gap feeds the next one's values), and a column
that held one value in every training row and varies at prediction. Both predicted without a
word; now each is said, in memory, on a cluster and through the Python API."""

import warnings

import numpy as np
import pandas as pd
import pytest
from cli_runs import run

import ffnn
from ffnn.tabular import FarColumnWarning, Preprocessor
from ffnn.tabular.shift import FAR, ROWS, Shifts


def _table(n=300, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(10, 2, n), "b": rng.normal(-5, 1, n),
                          "c": rng.normal(100, 30, n)})
    frame["y"] = frame["a"] - 2 * frame["b"] + 0.05 * frame["c"] + rng.normal(0, 0.3, n)
    return frame


def test_shifts_say_a_column_whose_mean_lies_far_from_training_s():
    frame = _table()
    p = Preprocessor().fit(frame[["a", "b", "c"]])
    assert p.constant == {}
    quiet, moved = p.shifts(), p.shifts()
    p.transform(frame[["a", "b", "c"]].iloc[:50], shifts=quiet)
    assert p.far_columns(quiet) is None
    shifted = frame[["a", "b", "c"]].iloc[:50].assign(b=frame["c"].iloc[:50])  # c read as b
    half = len(shifted) // 2
    p.transform(shifted.iloc[:half], shifts=moved)  # counted in two parts, then merged
    p.transform(shifted.iloc[half:], shifts=moved.merge(p.shifts()))
    said = p.far_columns(moved)
    assert said.startswith("numeric column(s) far from their training values: 'b' averages")
    assert "'a'" not in said and "'c'" not in said
    assert moved.rows == 50


def test_the_threshold_is_far_standard_deviations_of_the_mean_of_enough_rows():
    numeric, no = [("x", 0.0, 1.0, 0.0)], np.array([False])

    def said(rows, z):
        return Shifts(1).add(np.full((rows, 1), z), no, [0.0]).message(numeric, no)

    assert said(ROWS, FAR * 0.99) is None
    assert "'x' averages 4.04 here against 0 ± 1 in training (4.0 standard deviations off)" in \
        said(ROWS, FAR * 1.01)
    # fewer rows swing further: one row of a 0/1 column that is 1 in 3% of the training rows
    # lies 6 deviations off, and is no misread file
    assert said(1, 6.2) is None and said(10, FAR * 1.01) is None
    assert said(1, FAR * np.sqrt(ROWS) * 1.01) is not None


def test_a_constant_is_the_same_value_to_float32_s_precision():
    """0.1 from a float32 Parquet column is 0.10000000149011612 in float64; from a CSV file 0.1:
    the same value, not a column that varies."""
    mask = np.array([True])
    block = np.array([[0.1 - float(np.float32(0.1))], [0.2 - float(np.float32(0.1))]])
    shifts = Shifts(1).add(block, mask, [float(np.float32(0.1))])
    assert list(shifts.differ) == [1]


def test_a_constant_column_is_recorded_and_its_other_values_said():
    frame = _table().assign(clinic=1.0)
    p = Preprocessor().fit(frame[["a", "clinic"]])
    assert p.constant == {"clinic": 1.0}
    again = Preprocessor.from_state(p.state())
    assert again.constant == {"clinic": 1.0} and again.state() == p.state()
    assert [c.get("constant") for c in p.state()["numeric"]] == [None, True]
    rows = frame[["a", "clinic"]].iloc[:4].assign(clinic=[1.0, 2.0, 1.0, 5.0])
    with pytest.warns(FarColumnWarning, match=r"'clinic' held only 1 in training but other "
                                              r"values in 2 of 4 row\(s\) here"):
        p.transform(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.transform(frame[["a", "clinic"]].iloc[:4])
    for bad in ({"constant": False}, {"constant": "yes"}, {"constant": True, "scale": 2.0}):
        state = p.state()
        state["numeric"][0].update(bad)
        with pytest.raises(ValueError, match="constant is written only as true"):
            Preprocessor.from_state(state)


def test_a_headerless_file_short_of_a_column_is_said(tmp_path, capsys):
    frame = _table()
    frame.to_csv(tmp_path / "train.csv", header=False, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--no-header", "--target", "3",
               "--epochs", "5", "-q", "-o", model)[0] == 0
    frame.drop(columns="y").to_csv(tmp_path / "new.csv", header=False, index=False)
    frame.drop(columns="b").to_csv(tmp_path / "short.csv", header=False, index=False)
    status, _, err = run(capsys, "predict", model, tmp_path / "new.csv")
    assert status == 0 and "far from" not in err
    status, _, err = run(capsys, "predict", model, tmp_path / "short.csv")
    assert status == 0
    # c (100 ± 30) read as the second column (b, -5 ± 1); the target as the third (c) lies
    # 2.5 deviations from c's mean, within what rows drawn like training's could do
    assert "'1' averages 99.19 here against -5.01 ± 0.986 in training" in err
    assert "'0' averages" not in err and "'2' averages" not in err
    status, _, err = run(capsys, "evaluate", model, tmp_path / "train.csv")
    assert status == 0 and "far from" not in err


def test_a_column_constant_in_training_is_said_where_it_varies(tmp_path, capsys):
    frame = _table().assign(clinic=1)
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "5", "-q",
               "-o", model)[0] == 0
    assert ffnn.load(model).preprocessor.constant == {"clinic": 1.0}
    frame.iloc[:4].assign(clinic=[1, 2, 5, 1]).to_csv(tmp_path / "new.csv", index=False)
    for command in ("predict", "evaluate"):
        status, _, err = run(capsys, command, model, tmp_path / "new.csv")
        assert status == 0
        assert err.count("'clinic' held only 1 in training but other values in 2 of 4") == 1


def test_a_float32_parquet_file_s_constant_is_its_csv_copy_s(tmp_path, capsys):
    """Widened to float64, a float32 column's 0.1 is 0.10000000149011612: its constant was said
    to vary in a CSV copy of the file."""
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300).astype("float32"),
                          "k": np.full(300, 0.1, dtype="float32")})
    frame["y"] = (2 * frame["x"]).astype("float32")
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    frame.to_csv(tmp_path / "d.csv", index=False)
    for train, other in (("d.parquet", "d.csv"), ("d.csv", "d.parquet")):
        model = tmp_path / f"{train}.ffnn"
        assert run(capsys, "fit", tmp_path / train, "--target", "y", "--epochs", "2", "-q",
                   "-o", model)[0] == 0
        status, out, err = run(capsys, "evaluate", model, tmp_path / other)
        assert status == 0 and "never varied" not in err
