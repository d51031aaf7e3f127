"""fit --categorical: columns of codes (zip codes, product numbers) one-hot encoded as the file
spells them, rather than standardised as numbers."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

from ffnn import load

ZIPS = {"02139": 3.0, "02140": -3.0, "10001": 0.0, "94103": 6.0}


def _zips(n=160, seed=0):
    rng = np.random.default_rng(seed)
    zips = rng.choice(list(ZIPS), n)
    x = rng.normal(size=n)
    y = x + np.array([ZIPS[z] for z in zips]) + rng.normal(0, 0.1, n)
    return pd.DataFrame({"zip": zips, "x": x, "y": y})


def _fit(data, model, *options):
    return ["fit", data, "--target", "y", "-o", model, "--epochs", "30", "-q", "--hidden", "8",
            *options]


def test_codes_are_categories_as_the_file_spells_them(tmp_path, capsys):
    data, model = tmp_path / "zips.csv", tmp_path / "m.ffnn"
    frame = _zips()
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, *_fit(data, model, "--categorical", "zip"))
    assert status == 0, err
    fitted = load(model)
    assert [name for name, *_ in fitted.preprocessor.numeric] == ["x"]
    assert fitted.preprocessor.categorical[0][:2] == ("zip", sorted(ZIPS))
    # predict reads the column as text again: '02139' is the category '02139', not 2139
    status, out, err = run(capsys, "predict", model, data)
    assert status == 0 and "not seen in training" not in err
    X = fitted.preprocessor.transform(frame.drop(columns="y").astype({"zip": str}))
    assert X[:, 1:].sum(axis=1).tolist() == [1.0] * len(frame)
    # by position as well as by name; the same encoding
    status, _, err = run(capsys, *_fit(data, tmp_path / "p.ffnn", "--categorical", "0"))
    assert status == 0, err
    assert load(tmp_path / "p.ffnn").preprocessor.categorical[0][:2] == ("zip", sorted(ZIPS))


def test_a_declared_column_of_codes_may_hold_some_words(tmp_path, capsys):
    """A column of numbers but for a few words is otherwise taken for a typo and refused; the
    refusal names --categorical among its fixes."""
    data = tmp_path / "zips.csv"
    frame = _zips()
    frame.loc[:2, "zip"] = "unknown"
    frame.to_csv(data, index=False)
    message = one_error(capsys, *_fit(data, tmp_path / "m.ffnn"))
    assert "holds numbers except in row(s) 1, 2, 3" in message and "--categorical" in message
    status, _, err = run(capsys, *_fit(data, tmp_path / "m.ffnn", "--categorical", "zip"))
    assert status == 0, err
    assert "unknown" in load(tmp_path / "m.ffnn").preprocessor.categorical[0][1]


def test_numbers_of_a_parquet_file_are_categories_too(tmp_path, capsys):
    data, model = tmp_path / "zips.parquet", tmp_path / "m.ffnn"
    frame = _zips().astype({"zip": int})
    frame.to_parquet(data, index=False)
    status, _, err = run(capsys, *_fit(data, model, "--categorical", "zip"))
    assert status == 0, err
    fitted = load(model)
    assert fitted.preprocessor.categorical[0][:2] == ("zip", ["10001", "2139", "2140", "94103"])
    np.testing.assert_allclose(fitted.predict(frame), fitted.predict(pd.read_parquet(data)))
    assert run(capsys, "predict", model, data)[0] == 0


def test_whole_numbers_are_one_category_whether_read_as_floats_or_integers(tmp_path, capsys):
    """A Parquet column of integers with a missing value is read as floats: its codes are the
    categories of a file without one ('2139', not '2139.0', which no such file matched)."""
    gappy, whole, model = (tmp_path / "gappy.parquet", tmp_path / "whole.parquet",
                           tmp_path / "m.ffnn")
    frame = _zips().astype({"zip": int})
    frame.to_parquet(whole, index=False)
    frame.assign(zip=frame["zip"].mask(frame.index == 3)).to_parquet(gappy, index=False)
    test = tmp_path / "test.csv"
    status, _, err = run(capsys, *_fit(gappy, model, "--categorical", "zip", "--impute",
                                       "--test-out", test))
    assert status == 0, err
    fitted = load(model)
    assert fitted.preprocessor.categorical[0][:2] == ("zip", ["10001", "2139", "2140", "94103"])
    status, _, err = run(capsys, "predict", model, whole)
    assert status == 0 and "not seen in training" not in err, err
    # the test rows written as CSV spell the codes as the categories do
    assert "2139.0" not in test.read_text()
    status, _, err = run(capsys, "evaluate", model, test)
    assert status == 0 and "not seen in training" not in err, err


def test_text_spelled_as_floats_matches_the_numbers_of_a_parquet_file(tmp_path, capsys):
    """A CSV file's text column holding '1.0', '2.5' and 'a' has the categories '1.0', '2.5'
    and 'a': a Parquet file whose column holds the numbers 1.0 and 2.5 is encoded over them,
    1.0 as '1.0' (spelled as an integer, '1', it was no category)."""
    data, new, model = tmp_path / "train.csv", tmp_path / "new.parquet", tmp_path / "m.ffnn"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"c": rng.choice(["1.0", "2.5", "a"], 60), "x": rng.normal(size=60)})
    frame["y"] = frame["x"] + (frame["c"] == "1.0")
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, *_fit(data, model))
    assert status == 0, err
    fitted = load(model)
    assert fitted.preprocessor.categorical[0][:2] == ("c", ["1.0", "2.5", "a"])
    numbers = frame[frame["c"] != "a"].astype({"c": float})
    numbers.to_parquet(new, index=False)
    status, _, err = run(capsys, "predict", model, new)
    assert status == 0 and "not seen in training" not in err, err
    np.testing.assert_array_equal(fitted.preprocessor.transform(numbers.drop(columns="y")),
                                  fitted.preprocessor.transform(
                                      numbers.drop(columns="y").astype({"c": str})))


def test_a_csv_copy_of_a_parquet_file_s_whole_floats_matches_their_categories(tmp_path,
                                                                             capsys):
    """A Parquet file's column of floats declared categorical has the categories '1' and '2.5'
    (whole numbers spelled as integers); the CSV file pandas writes of the same rows spells 1.0
    '1.0', which is encoded as '1', not as a category never seen (all zeros)."""
    data, copy, model = tmp_path / "train.parquet", tmp_path / "copy.csv", tmp_path / "m.ffnn"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"c": rng.choice([1.0, 2.5, -3.0], 60), "x": rng.normal(size=60)})
    frame["y"] = frame["x"] + (frame["c"] == 1.0)
    frame.to_parquet(data, index=False)
    frame.to_csv(copy, index=False)
    status, _, err = run(capsys, *_fit(data, model), "--categorical", "c")
    assert status == 0, err
    fitted = load(model)
    assert fitted.preprocessor.categorical[0][:2] == ("c", ["-3", "1", "2.5"])
    predictions = {}
    for path in (data, copy):
        status, predictions[path], err = run(capsys, "predict", model, path)
        assert status == 0 and "not seen in training" not in err, err
    assert predictions[copy] == predictions[data]


def test_large_whole_numbers_are_spelled_alike_as_floats_and_as_integers():
    """Codes of 64 bits that floats hold exactly (2**60) are spelled as integers, whether the
    column holds integers or floats (a Parquet column of integers with a missing value), not
    in a float's exponent notation; -0.0 is '0'."""
    from ffnn.tabular.values import as_categories

    codes = pd.Series([2**60, 2**60 + 4096, 2**62, 3], dtype="int64")
    assert list(as_categories(codes.astype(float))) == list(as_categories(codes))
    assert list(as_categories(pd.Series([-0.0, 2.0**63, 1.5, np.nan])))[:3] == [
        "0", "9.223372036854776e+18", "1.5"]


@pytest.mark.parametrize("options, message", [
    (["--categorical", "y"], "--categorical includes the target column 'y'"),
    (["--categorical", "zip", "--drop", "zip"], "--categorical and --drop both name 'zip'; a "
     "dropped column is not read: take it out of one of them"),
    (["--drop", "y"], "--drop includes the target column 'y', which is never a feature: take it "
     "out of --drop"),
    (["--categorical", "zop"], "--categorical names no column 'zop'"),
])
def test_categorical_refuses_what_it_cannot_mean(tmp_path, capsys, options, message):
    data = tmp_path / "zips.csv"
    _zips().to_csv(data, index=False)
    assert message in one_error(capsys, *_fit(data, tmp_path / "m.ffnn", *options))
