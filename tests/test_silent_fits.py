"""Files that `ffnn fit` could learn wrongly without a word: class labels merged by pandas'
reading ('007' and '7' as one number) or split by spaces around them, a feature column with one
value in every training row, a row number or pandas' saved index taken for a feature. Each is
read right, or said with its fix."""

import io

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn
from ffnn.tabular import Preprocessor


def _blobs(n=150, seed=0):
    """Three classes (0, 1, 2) of rows in two features, easily told apart."""
    rng = np.random.default_rng(seed)
    k = np.arange(n) % 3
    X = rng.normal(scale=0.4, size=(n, 2)) + np.array([[0, 0], [3, 0], [0, 3]])[k]
    return pd.DataFrame({"x1": X[:, 0].round(3), "x2": X[:, 1].round(3)}), k


def _warnings(err):
    return [line for line in err.splitlines() if line.startswith("warning:")]


FIT = ("--solver", "lbfgs", "--epochs", "60", "--seed", "0")


def test_labels_spelled_apart_are_not_merged_into_one_number(tmp_path, capsys):
    """'007', '010' and '7' were read as 7, 10 and 7: three classes became two, and the model
    predicted 7, a label the file never held."""
    features, k = _blobs()
    frame = features.assign(code=np.array(["007", "010", "7"])[k])
    frame.to_csv(tmp_path / "codes.csv", index=False)
    model, test = tmp_path / "codes.ffnn", tmp_path / "test.csv"
    status, out, err = run(capsys, "fit", tmp_path / "codes.csv", "--target", "code", *FIT,
                           "--test-size", "0.2", "--test-out", test, "-o", model)
    assert status == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "spells one number in more than one way ('007' and '7')" in \
        notes[0] and "3 classes where numbers would make 2" in notes[0]
    classes = ffnn.load(model).classes_
    assert classes.tolist() == ["007", "010", "7"] and classes.dtype.kind == "U"
    said = next(line for line in out.splitlines() if line.startswith("test:")).split()[1:]
    assert float(said[1]) > 0.9
    # predict writes the labels as spelled, evaluate and plot read them so
    status, out, err = run(capsys, "predict", model, test)
    assert status == 0, err
    predicted = pd.read_csv(io.StringIO(out), dtype=str)["code"]
    assert set(predicted) == {"007", "010", "7"}
    status, out, err = run(capsys, "evaluate", model, test)
    assert status == 0 and "none of the model's classes" not in err, err
    assert next(line for line in out.splitlines() if line.startswith("accuracy")).split() == \
        said
    status, out, err = run(capsys, "evaluate", model, tmp_path / "codes.csv")
    assert status == 0 and "test rows" in out and "training rows" in out, err  # parts known
    status, _, err = run(capsys, "plot", model, "--kind", "fit", "--data", test, "-o",
                         tmp_path / "fit.png")
    assert status == 0 and "none of the model's classes" not in err, err


@pytest.mark.parametrize("spellings, classes", [
    (["1", "1.0", "2"], ["1", "1.0", "2"]),      # one float column: 1 and 1.0 are both 1.0
    (["01", "1", "2"], ["01", "1", "2"]),
    (["7", " 7", "10"], [7, 10]),                 # spaces around a number: the same number
    (["007", "010", "020"], [7, 10, 20]),         # one spelling each: numbers, as ever
])
def test_numbers_are_labels_as_spelled_only_where_spellings_would_merge(tmp_path, capsys,
                                                                         spellings, classes):
    features, k = _blobs(60, seed=1)
    text = "x1,x2,y\n" + "".join(f"{a},{b},{spellings[c]}\n" for a, b, c in
                                 zip(features["x1"], features["x2"], k))
    (tmp_path / "y.csv").write_text(text)
    status, _, err = run(capsys, "fit", tmp_path / "y.csv", "--target", "y", "--task",
                         "classification", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert ffnn.load(tmp_path / "m.ffnn").classes_.tolist() == classes
    assert ("spells one number in more than one way" in err) == isinstance(classes[0], str)


def test_labels_that_differ_only_by_spaces_are_said_not_merged(tmp_path, capsys):
    features, k = _blobs()
    labels = np.array(["setosa", "versicolor", "virginica"])[k].astype(object)
    labels[::4] = [f"{label} " for label in labels[::4]]
    features.assign(species=labels).to_csv(tmp_path / "spaces.csv", index=False)
    model = tmp_path / "m.ffnn"
    status, _, err = run(capsys, "fit", tmp_path / "spaces.csv", "--target", "species",
                         "--epochs", "2", "-q", "-o", model)
    assert status == 0, err
    (warning,) = _warnings(err)
    assert "labels that differ only by spaces around them" in warning
    assert "'setosa' and 'setosa '" in warning and "strip the spaces in the file" in warning
    assert len(ffnn.load(model).classes_) == 6  # not stripped without a word
    # labels that differ by case ('Yes', 'yes') are said so
    labels = np.array(["yes", "no"])[k % 2].astype(object)
    labels[::5] = [label.capitalize() for label in labels[::5]]
    features.assign(species=labels).to_csv(tmp_path / "case.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "case.csv", "--target", "species",
                         "--epochs", "2", "-q", "-o", tmp_path / "case.ffnn")
    assert status == 0, err
    (warning,) = _warnings(err)
    assert "labels that differ only by case, each a class of its own: 'No' and 'no'; 'Yes' " \
        "and 'yes'; if they name one class, spell them alike in the file" in warning
    # a file whose labels name none of the classes lists them quoted, spaces showing
    features.assign(species="other").to_csv(tmp_path / "other.csv", index=False)
    line = one_error(capsys, "evaluate", model, tmp_path / "other.csv")
    assert "none is one of the model's classes ('setosa', 'setosa ', 'versicolor', " in line


def test_a_column_with_one_value_in_every_training_row_is_pointed_out(tmp_path, capsys):
    features, k = _blobs()
    frame = features.assign(clinic=1, site="north", y=k)
    frame.to_csv(tmp_path / "c.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "c.csv", "--target", "y", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    (warning,) = _warnings(err)
    assert "columns 'clinic' (1), 'site' ('north') hold one value each in every training " \
        "row: they cannot inform the network; drop them with --drop clinic,site" in warning
    status, _, err = run(capsys, "fit", tmp_path / "c.csv", "--target", "y", "--drop", "site",
                         "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and _warnings(err) == [
        "warning: column 'clinic' holds one value (1) in every training row: it cannot "
        "inform the network; drop it with --drop clinic"]
    status, _, err = run(capsys, "fit", tmp_path / "c.csv", "--target", "y", "--drop",
                         "site,clinic", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and not _warnings(err), err


def test_a_constant_is_no_spread_whatever_the_rounding_of_its_mean():
    # 0.1 three times: a mean of 0.10000000000000002 and a "standard deviation" of 1.4e-17,
    # which as the scale made a new value of 0.2 into an input of 7e15
    pre = Preprocessor().fit(pd.DataFrame({"dose": [0.1, 0.1, 0.1], "x": [1.0, 2.0, 4.0]}))
    (_, _, scale, _), _ = pre.numeric
    assert scale == 1.0 and pre.constant == {"dose": 0.1}
    assert abs(pre.transform(pd.DataFrame({"dose": [0.2], "x": [1.0]}))[0, 0]) < 1


def test_row_numbers_and_pandas_saved_index_are_pointed_out(tmp_path, capsys):
    features, k = _blobs(120)
    frame = features.assign(y=k)

    def warned(name):
        status, _, err = run(capsys, "fit", tmp_path / name, "--target", "y", "--epochs", "2",
                             "-q", "-o", tmp_path / "m.ffnn")
        assert status == 0, err
        return err

    frame.to_csv(tmp_path / "index.csv")  # to_csv's default: the index, in a nameless column
    (warning,) = _warnings(warned("index.csv"))
    assert "column 'Unnamed: 0' holds distinct whole numbers (0 to 119) under the name pandas " \
        "gives a saved index" in warning and "--drop 'Unnamed: 0'" in warning
    # the index of some rows of a frame (with gaps) is pandas' index all the same
    frame.iloc[::2].to_csv(tmp_path / "some.csv")
    assert "(0 to 118) under the name pandas gives" in warned("some.csv")
    # an identifier: distinct consecutive whole numbers, in any order
    ids = np.random.default_rng(0).permutation(np.arange(1000, 1120))
    frame.assign(id=ids).to_csv(tmp_path / "ids.csv", index=False)
    (warning,) = _warnings(warned("ids.csv"))
    assert "column 'id' holds the whole numbers 1000 to 1119, each in one row: a row number " \
        "or an identifier" in warning and "--drop id" in warning


def test_an_identifier_declared_categorical_is_warned_of_once_in_either_form(tmp_path, capsys):
    # integers in Parquet declared --categorical were warned of twice (as row numbers, and as a
    # text identifier), and once as the same rows of a CSV file, which reads them as spelled
    pytest.importorskip("pyarrow")
    features, k = _blobs(120)
    ids = np.random.default_rng(0).permutation(np.arange(1000, 1120))
    frame = features.assign(id=ids, y=k)
    frame.to_csv(tmp_path / "ids.csv", index=False)
    frame.to_parquet(tmp_path / "ids.parquet", index=False)
    said = []
    for name in ("ids.csv", "ids.parquet"):
        status, _, err = run(capsys, "fit", tmp_path / name, "--target", "y", "--epochs", "2",
                             "--categorical", "id", "-q", "-o", tmp_path / "m.ffnn", "--force")
        assert status == 0, err
        said.append(_warnings(err))
    assert said[0] == said[1] and len(said[0]) == 1 and "text column 'id'" in said[0][0]


def test_small_integer_features_are_no_row_numbers(tmp_path, capsys):
    features, k = _blobs(120)
    rng = np.random.default_rng(3)
    frame = features.assign(age=rng.integers(18, 90, 120), rooms=rng.integers(1, 6, 120),
                            rank=np.r_[np.arange(119), 200], y=k)
    frame.to_csv(tmp_path / "ints.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "ints.csv", "--target", "y", "--epochs",
                         "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and not _warnings(err), err
    # distinct and consecutive by chance in a few rows: the ages of 12 people
    small = frame.head(12).assign(age=np.arange(30, 42))
    small.to_csv(tmp_path / "small.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "small.csv", "--target", "y", "--epochs",
                         "2", "--validation-fraction", "0", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and not _warnings(err), err


def test_a_column_of_dates_is_told_apart_from_an_identifier(tmp_path, capsys):
    """Dates read as categories, each a category of its own, are an identifier to the network;
    the warning says they are dates and how to give them as numbers. Codes that pandas would
    also read as years (2139) or as dates (1.2.3, 1a) are not dates; names are an identifier as
    before."""
    features, k = _blobs(120)
    rng = np.random.default_rng(0)
    dates = pd.date_range("2024-01-01", periods=120, freq="D")
    frame = features.assign(when=dates.strftime("%m/%d/%Y"), y=k)
    frames = {"dates.csv": frame, "dates.parquet": frame.assign(when=dates),
              "names.csv": frame.assign(when=[f"car {i}" for i in rng.permutation(120)]),
              # section numbers and room numbers, which pandas' parser would also read as dates
              "sections.csv": frame.assign(when=[f"{i // 25 + 1}.{i % 25 // 5 + 1}.{i % 5 + 1}"
                                                 for i in rng.permutation(120)]),
              "rooms.csv": frame.assign(when=[f"{i % 12 + 1}a" if i < 12 else f"{i}b"
                                              for i in rng.permutation(120)])}
    said = {}
    for name, table in frames.items():
        path = tmp_path / name
        table.to_parquet(path, index=False) if name.endswith("parquet") else table.to_csv(
            path, index=False)
        status, _, err = run(capsys, "fit", path, "--target", "y", "--epochs", "2", "-q", "-o",
                             tmp_path / "m.ffnn")
        assert status == 0, err
        (said[name],) = _warnings(err)
    for name in ("dates.csv", "dates.parquet"):
        assert said[name].startswith("warning: column 'when' holds dates, 96 distinct in 96 "
                                     "training rows") and "--drop when" in said[name]
    for name in ("names.csv", "sections.csv", "rooms.csv"):
        assert "text column 'when' has 96 distinct values" in said[name], said[name]
