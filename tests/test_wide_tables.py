"""Wide tables and text columns that would blow up: preprocessing handles numeric columns as one
block (100,000 columns are not 100,000 passes), identifier-like text columns are pointed out,
and one-hot encodings over a limit are refused before any matrix is allocated."""

import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from cli_runs import run

import ffnn
from ffnn.cli import main
from ffnn.tabular import Preprocessor


def test_preprocessing_does_not_visit_columns_one_at_a_time(monkeypatch):
    """Counted, not timed: fitting and applying the preprocessing of 100,000 numeric columns
    indexes the frame a handful of times (the column-by-column code did it 200,000 times, 2.3 ms
    a column)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(20, 100_000)),
                         columns=[f"c{k}" for k in range(100_000)])
    frame["colour"] = rng.choice(["red", "blue"], 20)
    calls = []
    original = pd.DataFrame.__getitem__

    def counted(self, key):
        calls.append(1)
        if len(calls) > 1000:
            raise AssertionError("the preprocessing indexes the frame once per column")
        return original(self, key)

    monkeypatch.setattr(pd.DataFrame, "__getitem__", counted)
    pre = Preprocessor().fit(frame)
    X = pre.transform(frame)
    assert len(calls) < 50
    monkeypatch.undo()
    assert X.shape == (20, 100_002)
    values = frame.iloc[:, :100_000].to_numpy()
    np.testing.assert_allclose(X[:, :100_000], (values - values.mean(0)) / values.std(0),
                               atol=1e-12)
    assert set(np.unique(X[:, 100_000:])) == {0.0, 1.0}


def test_the_vectorised_preprocessing_matches_column_by_column():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=30), "b": rng.integers(0, 5, 30),
                          "c": np.r_[np.full(29, 2.0), np.nan], "d": np.full(30, 7.0),
                          "t": rng.choice(["x", "y", "z"], 30)})
    frame.loc[[4, 9], "a"] = np.nan
    pre = Preprocessor(impute=True).fit(frame)
    for name, mean, scale, fill in pre.numeric:
        values = frame[name].to_numpy(dtype=float)
        assert mean == pytest.approx(np.nanmean(values), abs=1e-12) and fill == mean
        expected = np.nanstd(values) or 1.0
        assert scale == pytest.approx(expected, abs=1e-12)
    X = pre.transform(frame)
    assert not np.isnan(X).any()
    assert pre.categorical == [("t", ["x", "y", "z"], frame["t"].value_counts().idxmax())]


def _calls(function):
    """The number of Python function calls that `function()` makes."""
    count = [0]

    def profile(frame, event, arg):
        if event == "call":
            count[0] += 1

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count[0]


def test_fit_and_predict_do_not_loop_over_columns(tmp_path, capsys):
    """Counted, not timed: fitting and predicting a file of 1,200 columns makes few Python calls
    more per column than one of 400 (read_csv gives each column a block of its own, and every
    pandas step then looped over them: 470 calls a column, minutes for 100,000 columns; what is
    left is pandas' parser and the model file's own per-column fields, about 110)."""
    counts = {}
    for D in (400, 1200):
        rng = np.random.default_rng(D)
        X = rng.normal(size=(12, D)).round(3)
        frame = pd.DataFrame(X, columns=[f"c{k}" for k in range(D)]).assign(y=X[:, 0] - X[:, 1])
        data, model = tmp_path / f"wide{D}.csv", tmp_path / f"wide{D}.ffnn"
        frame.to_csv(data, index=False)
        fit = ["fit", data, "--target", "y", "--hidden", "2", "--epochs", "1", "-q", "-o", model]
        assert run(capsys, *fit)[0] == 0  # the imports and the first model, outside the count
        statuses = []
        counts[D] = _calls(lambda: statuses.extend([
            main([str(a) for a in [*fit, "--force"]]),
            main([str(a) for a in ["predict", model, data, "-o", tmp_path / "p.csv"]])]))
        assert statuses == [0, 0], capsys.readouterr().err
        assert ffnn.load(model).estimator.n_features_in_ == D
        assert len(pd.read_csv(tmp_path / "p.csv")) == 12
    per_column = (counts[1200] - counts[400]) / 800
    assert per_column < 250, per_column


def test_an_identifier_column_is_pointed_out(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 80
    frame = pd.DataFrame({"weight": rng.uniform(1500, 4000, n),
                          "name": [f"car model {k}" for k in range(n)],
                          "origin": rng.choice(["usa", "europe", "japan"], n)})
    frame["mpg"] = 50 - frame["weight"] / 100 + rng.normal(0, 1, n)
    frame.to_csv(tmp_path / "cars.csv", index=False)
    status, out, err = run(capsys, "fit", tmp_path / "cars.csv", "--target", "mpg", "--epochs",
                            "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "'name'" in warnings[0] and "--drop name" in warnings[0]
    status, out, err = run(capsys, "fit", tmp_path / "cars.csv", "--target", "mpg", "--drop",
                            "name", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and "warning" not in err


def test_too_many_one_hot_features_stop_before_any_matrix(tmp_path, capsys, monkeypatch):
    n = 1200
    # Twelve text columns of 1,000 values each: none over the limit of one column, 12,000
    # one-hot features together.
    frame = pd.DataFrame({f"t{k}": [f"v{(i + 37 * k) % 1000}" for i in range(n)]
                          for k in range(12)})
    frame["y"] = np.arange(n) % 7 * 1.5
    frame.to_csv(tmp_path / "text.csv", index=False)

    def no_matrix(*args, **kwargs):
        raise AssertionError("a matrix was allocated")

    monkeypatch.setattr(Preprocessor, "transform", no_matrix)
    tracemalloc.start()
    try:
        status, _, err = run(capsys, "fit", tmp_path / "text.csv", "--target", "y",
                              "--validation-fraction", "0", "--epochs", "1", "-q", "-o",
                              tmp_path / "m.ffnn")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < n * 12_000 * 8 / 10  # nothing near the 115 MB matrix was allocated
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1, err
    assert "12,000 features" in lines[0] and "'t0' (1,000)" in lines[0] and "--drop" in lines[0]


def test_statistics_of_columns_without_values_are_refused_as_in_memory():
    """What the cluster's one pass gives for a column with no value (no mean, no category) is
    refused as the in-memory fit refuses it, --impute or not ('values too large to
    standardise' said of a numeric one)."""
    from ffnn.exceptions import DataError

    for impute in (False, True):
        with pytest.raises(DataError, match=r"columns 'e', 'none' hold no value at all.*"
                                            r"--drop e,none"):
            Preprocessor.from_statistics({"x": (0.1, 1.0, 2.0), "e": (np.nan, np.nan, 0.0)},
                                         {"none": {}}, {"x": 0, "e": 60, "none": 60},
                                         impute=impute)


def test_statistics_of_formatted_numbers_are_refused_as_in_memory():
    """A text column of numbers with thousands separators, counted on a cluster, is refused as
    the in-memory fit refuses it, not one-hot encoded."""
    from ffnn.exceptions import DataError

    with pytest.raises(DataError, match=r"column 'price' holds numbers written with thousands "
                                        r"separators.*'1,500'"):
        Preprocessor.from_statistics({"x": (0.1, 1.0, 2.0)}, {"price": {"1,500": 3, "950": 2}},
                                     {"x": 0, "price": 0})


def test_a_long_field_is_checked_for_formatted_numbers_in_linear_time():
    """A text field of 30,000 digits and a letter: a pattern that could split the digits in two
    ways took 50 s to find that it is no number; now it takes milliseconds."""
    import time

    from ffnn.tabular.values import check_not_mostly_numeric

    start = time.perf_counter()
    check_not_mostly_numeric(pd.Series(["1" * 30_000 + "x", "2" * 30_000 + "y"]), "code")
    assert time.perf_counter() - start < 1

