"""Files a model reads after training that could be scored or predicted wrongly without a word:
labels of another type than the model's classes, text in a column that was numeric, a file
whose separator cannot be detected, rows longer than the header, a file without a header and
with one column fewer, text values that CSV files read back as missing. Each is read right,
refused, or said."""

import io
import sys

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn
from ffnn.tabular import class_codes


@pytest.mark.parametrize("classes, labels, codes", [
    # integer classes: a label names one by value, whatever its type; 0.4 names none
    ([0, 1], [0, 1, "1", " 0 ", 1.0, True, 0.4, 1.7, -0.6, "yes", "unknown", 2],
     [0, 1, 1, 0, 1, 1, -1, -1, -1, -1, -1, -1]),
    # boolean classes: "f", "no" and 2 name neither (astype(bool) made them all True)
    ([False, True], [True, False, "True", "false", 1, 0, 0.0, "f", "no", 2, "t"],
     [1, 0, 1, 0, 1, 0, 0, -1, -1, -1, -1]),
    ([0.5, 1.5], [0.5, "1.5", 1.5, 1, "x"], [0, 1, 1, -1, -1]),
    (["no", "yes"], ["yes", "no", 1, "Yes", "maybe"], [1, 0, -1, -1, -1]),
    (["1", "2"], [1, "2", 2.5], [0, 1, -1]),
    # missing labels name no class (None and NaN together broke the mapping)
    (["a", "b"], [None, "a", float("nan"), "b"], [-1, 0, -1, 1]),
    # integers beyond float64's 53 bits stay apart
    ([2**60, 2**60 + 1], [2**60 + 1, str(2**60), 2**60 + 2], [1, 0, -1]),
])
def test_each_label_names_a_class_by_value_or_none(classes, labels, codes):
    got = class_codes(pd.Series(labels, dtype=object), np.array(classes))
    np.testing.assert_array_equal(got, codes)


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """A file with 0/1 labels, and a model that predicts them all right."""
    folder = tmp_path_factory.mktemp("labels")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    frame = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": (X.sum(axis=1) > 0).astype(int)})
    frame.to_csv(folder / "int.csv", index=False)
    model = folder / "int.ffnn"
    status = ffnn.cli.main(["fit", str(folder / "int.csv"), "--target", "y", "--hidden", "4",
                            "--solver", "lbfgs", "--epochs", "100", "-q", "-o", str(model)])
    assert status == 0
    return folder, frame, model


def test_labels_of_another_type_are_scored_as_the_classes_they_name(labelled, capsys):
    folder, frame, model = labelled
    def metrics(out):
        return next(line for line in out.splitlines() if line.startswith("accuracy"))

    expected = metrics(run(capsys, "evaluate", model, folder / "int.csv")[1])
    assert expected.startswith("accuracy 1.0000")
    for name, y in [("bool", frame["y"].astype(bool)), ("float", frame["y"].astype(float)),
                    ("text", frame["y"].astype(str))]:
        frame.assign(y=y).to_csv(folder / f"{name}.csv", index=False)
        status, out, err = run(capsys, "evaluate", model, folder / f"{name}.csv")
        assert status == 0 and metrics(out) == expected, (name, out, err)


def test_labels_that_name_no_class_are_refused_before_any_number(labelled, capsys):
    folder, frame, model = labelled
    frame.assign(y=frame["y"].map({0: "no", 1: "yes"})).to_csv(folder / "no.csv", index=False)
    line = one_error(capsys, "evaluate", model, folder / "no.csv")
    assert "'no' (" in line and "none is one of the model's classes (0, 1)" in line
    # fractions are not truncated to a class (0.4 was scored as class 0)
    frame.head(10).assign(y=np.linspace(0.05, 0.95, 10)).to_csv(folder / "frac.csv",
                                                                 index=False)
    assert "none is one of the model's classes" in one_error(capsys, "evaluate", model,
                                                             folder / "frac.csv")


def test_a_few_unknown_labels_are_said_and_shown_in_the_confusion_matrix(labelled, capsys):
    folder, frame, model = labelled
    part = frame.head(10).astype({"y": object})
    part.loc[3, "y"] = "unknown"  # one stray label no longer turns the other nine into text
    part.to_csv(folder / "stray.csv", index=False)
    status, out, err = run(capsys, "evaluate", model, folder / "stray.csv")
    assert status == 0, err
    assert "1 of 10 rows have labels that are none of the model's classes: 'unknown' (1 row)" \
        in err and "log loss and ROC AUC are over the other 9 rows" in err
    assert "stray.csv: 10 rows\naccuracy 0.9000" in out
    # (its rows trained the model: known as such, whatever type their labels are read as)
    assert out.startswith("note: ") and "rows of" in out.splitlines()[0]
    matrix = out.split("confusion matrix:\n")[1].split("\nseen rows")[0].splitlines()
    assert matrix[-1].split()[0] == "other" and sum(map(int, matrix[-1].split()[1:])) == 1
    assert sum(int(v) for line in matrix[2:] for v in line.split()[1:]) == 10


def test_a_file_without_the_target_is_told_so_without_a_feature_for_a_target(tmp_path,
                                                                               capsys):
    """'charges' was said to be perhaps 'age' (difflib finds them 0.6 alike), a feature column
    of the model, which is never its target."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"age": rng.integers(18, 65, 60), "bmi": rng.normal(28, 4, 60)})
    frame["charges"] = 100 * frame["age"] + rng.normal(0, 50, 60)
    frame.to_csv(tmp_path / "ins.csv", index=False)
    model = tmp_path / "ins.ffnn"
    assert run(capsys, "fit", tmp_path / "ins.csv", "--target", "charges", "--epochs", "2",
               "-q", "-o", model)[0] == 0
    frame.drop(columns="charges").to_csv(tmp_path / "new.csv", index=False)
    for command in (["evaluate", model, tmp_path / "new.csv"],
                    ["plot", model, "--kind", "fit", "--data", tmp_path / "new.csv", "-o",
                     tmp_path / "fit.png"]):
        line = one_error(capsys, *command)
        assert "the target column 'charges' is not in the data; columns are age, bmi" in line
        assert "did you mean" not in line
    # a column named close to the target, and no feature, is suggested
    frame.rename(columns={"charges": "Charges"}).to_csv(tmp_path / "cased.csv", index=False)
    assert "(did you mean 'Charges'?)" in one_error(capsys, "evaluate", model,
                                                    tmp_path / "cased.csv")


def test_one_row_is_one_row_and_values_unseen_are_said_once(tmp_path, labelled, capsys):
    folder, frame, model = labelled
    frame.head(1).to_csv(tmp_path / "one.csv", index=False)
    status, out, err = run(capsys, "evaluate", model, tmp_path / "one.csv")
    lines = [line for line in out.splitlines() if not line.startswith("note: ")]
    assert status == 0 and lines[0].endswith("one.csv: 1 row"), (out, err)
    assert "the one row of" in out and "is identical to a row that trained" in out
    rng = np.random.default_rng(6)
    cats = pd.DataFrame({"x": rng.normal(size=60), "colour": rng.choice(["red", "blue"], 60)})
    cats["y"] = (cats["x"] > 0).astype(int)
    cats.to_csv(tmp_path / "cats.csv", index=False)
    assert run(capsys, "fit", tmp_path / "cats.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", tmp_path / "cats.ffnn")[0] == 0
    cats.assign(colour="green").to_csv(tmp_path / "green.csv", index=False)
    for extra in ([], ["--proba"]):
        status, _, err = run(capsys, "predict", tmp_path / "cats.ffnn", tmp_path / "green.csv",
                             *extra)
        assert status == 0 and err.count("values not seen in training") == 1, (extra, err)


def test_text_in_a_numeric_column_is_refused_however_much_of_it(labelled, capsys):
    folder, frame, model = labelled
    rows = frame.head(6).astype({"x1": object})
    rows.loc[[0, 1], "x1"] = ["unknown", "?"]  # a third of the rows: was filled with the mean
    rows.to_csv(folder / "text.csv", index=False)
    line = one_error(capsys, "predict", model, folder / "text.csv")
    assert "column 'x1' was numeric in training but holds text in row(s) 1, 2 ('unknown', '?')" \
        in line and "--na-values" in line
    assert "was numeric" in one_error(capsys, "evaluate", model, folder / "text.csv")


def test_a_header_given_to_a_model_of_a_file_without_one_is_pointed_out(tmp_path, capsys):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": X[:, 0] - X[:, 1]}).to_csv(
        tmp_path / "train.csv", header=False, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--no-header", "--target", "2", "--epochs",
               "3", "-o", model)[0] == 0
    (tmp_path / "new.csv").write_text("a,b\n1.0,1.0\n-1.0,-1.0\n")
    line = one_error(capsys, "predict", model, tmp_path / "new.csv")
    assert "row(s) 1 ('a')" in line and "if this file starts with a header line, pass --header" \
        in line
    status, out, _ = run(capsys, "predict", model, tmp_path / "new.csv", "--header",
                         "--names", "0,1")
    # (a header and names contradict each other: refused, not guessed)
    assert status == 2
    # one column fewer than the model's: taken as the file without its target, and said
    (tmp_path / "short.csv").write_text("1.0,2.0\n")
    status, out, err = run(capsys, "predict", model, tmp_path / "short.csv")
    assert status == 0 and "taken as 0, 1, without the target '2'" in err


def test_a_detected_separator_and_decimal_mark_are_recorded(tmp_path, capsys):
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 10, 100).round(2)
    text = "x;y\n" + "".join(f"{a:.2f};{2 * a:.2f}\n".replace(".", ",") for a in x)
    (tmp_path / "semi.csv").write_text(text)
    model = tmp_path / "semi.ffnn"
    assert run(capsys, "fit", tmp_path / "semi.csv", "--target", "y", "--hidden", "8",
               "--solver", "lbfgs", "--epochs", "200", "-q", "-o", model)[0] == 0
    options = ffnn.load(model).read_options
    assert (options.sep, options.decimal) == (";", ",")
    # one column: nothing to detect a separator from; read as the training file was
    (tmp_path / "new.csv").write_text("x\n1,5\n2,5\n7,5\n")
    status, out, err = run(capsys, "predict", model, tmp_path / "new.csv")
    assert status == 0, err
    predicted = pd.read_csv(io.StringIO(out))["y"].to_numpy()
    np.testing.assert_allclose(predicted, [3.0, 5.0, 15.0], atol=0.5)


def test_rows_longer_than_the_header_are_refused(tmp_path, capsys):
    (tmp_path / "long.csv").write_text("x,y\n1,2,3\n4,5,6\n")
    model = tmp_path / "m.ffnn"
    line = one_error(capsys, "fit", tmp_path / "long.csv", "--target", "y", "-o", model)
    assert "the header names 2 column(s) but the rows have 3 fields" in line
    assert not model.exists()


def test_text_that_csv_reads_as_missing_is_not_lost_silently(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(3)
    region = rng.choice(["NA", "EU", "AS"], 150)
    x = rng.normal(size=150)
    pd.DataFrame({"x": x, "region": region, "y": x + (region == "NA") * 5.0}).to_parquet(
        tmp_path / "reg.parquet", index=False)
    model = tmp_path / "reg.ffnn"
    line = one_error(capsys, "fit", tmp_path / "reg.parquet", "--target", "y", "--epochs", "3",
                     "--test-out", tmp_path / "test.csv", "-o", model)
    assert "column 'region': 'NA'" in line and "--test-out NAME.parquet" in line
    assert not model.exists() and not (tmp_path / "test.csv").exists()
    status, _, err = run(capsys, "fit", tmp_path / "reg.parquet", "--target", "y", "--epochs",
                         "3", "--test-out", tmp_path / "test.parquet", "-o", model)
    assert status == 0 and "CSV files read as a missing value (column 'region': 'NA')" in err


def test_categories_holding_commas_and_quotes_are_checked_one_by_one_for_csv(tmp_path, capsys):
    # the check above read the categories back as lines of a CSV file: '1,5' was two fields
    # (a parser's error, where CSV files keep '1,5'), and a quote ran into the next lines
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(5)
    code = rng.choice(["1,5", 'a"b', "NA", "007"], 120)
    x = rng.normal(size=120)
    pd.DataFrame({"x": x, "code": code, "y": x + (code == "1,5")}).to_parquet(
        tmp_path / "c.parquet", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "c.parquet", "--target", "y", "--epochs",
                         "2", "--categorical", "code", "-o", tmp_path / "c.ffnn")
    assert status == 0, err
    assert "CSV files read as a missing value (column 'code': 'NA')" in err



def test_categories_that_pandas_reads_as_missing_are_said_when_imputed(tmp_path, capsys):
    # 'NA' (no alley) and 'None' (no veneer) are categories in many data sets, and pandas'
    # markers of missing values: --impute filled them with another category without a word
    rng = np.random.default_rng(4)
    alley = rng.choice(["NA", "NA", "Grvl", "Pave"], 120)
    frame = pd.DataFrame({"area": rng.uniform(50, 200, 120), "alley": alley,
                          "veneer": rng.choice(["None", "Stone", "?"], 120)})
    frame["price"] = frame["area"] + 50 * (alley == "NA")
    frame.loc[3, "alley"] = ""  # an empty field is missing, and not said
    frame.to_csv(tmp_path / "h.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "h.csv", "--target", "price", "--impute",
                         "--na-values", "?", "--epochs", "2", "-q", "-o", tmp_path / "h.ffnn")
    assert status == 0, err
    n_na, n_none = int((alley == "NA").sum()) - (alley[3] == "NA"), int(
        (frame["veneer"] == "None").sum())
    assert f"column 'alley': 'NA' ({n_na} rows) read as missing" in err
    assert f"column 'veneer': 'None' ({n_none} rows) read as missing" in err
    assert "'?'" not in err  # a marker given is missing as the user said


def test_text_that_csv_reads_as_numbers_is_read_as_the_model_knows_it(tmp_path, capsys):
    """Codes such as '02139' (a category) and '007' (a class) trained from Parquet came back
    from fit's own CSV test rows as 2139 and 7, and '30' of a column with a missing value as
    '30.0': evaluate scored the test rows 0.85 where fit had said 0.975. The model's text
    columns are read as the file spells them."""
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(7)
    x = rng.normal(size=200)
    zip_code = rng.choice(["02139", "10001", "94105"], 200)
    frame = pd.DataFrame({"x": x, "zip": zip_code, "size": rng.choice(["10", "20", "30"], 200),
                          "y": np.where(x + (zip_code == "02139") * 1.5 > 0.5, "007", "100")})
    frame.to_parquet(tmp_path / "zips.parquet", index=False)
    model, test = tmp_path / "zips.ffnn", tmp_path / "test.csv"
    status, out, err = run(capsys, "fit", tmp_path / "zips.parquet", "--target", "y",
                           "--solver", "lbfgs", "--epochs", "40", "--impute", "--test-out", test,
                           "-o", model)
    assert status == 0, err
    said = next(line for line in out.splitlines() if line.startswith("test:"))
    status, out, err = run(capsys, "evaluate", model, test)
    assert status == 0 and "not seen in training" not in err, err
    assert said.split(":", 1)[1].split() == next(
        line for line in out.splitlines() if line.startswith("accuracy")).split()
    # a missing value makes pandas read a column of whole numbers as floats: '30.0'
    new = pd.read_csv(test, dtype=str).drop(columns="y")
    new.loc[0, "size"] = None
    new.to_csv(tmp_path / "new.csv", index=False)
    status, out, err = run(capsys, "predict", model, tmp_path / "new.csv", "--proba")
    assert status == 0, err
    assert "not seen in training" not in err
    expected = ffnn.load(model).predict_proba(new)
    np.testing.assert_allclose(pd.read_csv(io.StringIO(out)).iloc[:, :2].to_numpy(), expected,
                               rtol=1e-6)


def test_errors_that_say_the_fix(tmp_path, capsys, monkeypatch):
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=50), "y": rng.normal(size=50)})
    frame.to_csv(tmp_path / "q.csv", index=False)
    model = tmp_path / "m.ffnn"
    # a glob without --dask
    assert "globs of files are read by fit, predict and evaluate with --dask" in one_error(
        capsys, "fit", tmp_path / "*.csv", "--target", "y", "-o", model)
    # classification forced on a quantity
    line = one_error(capsys, "fit", tmp_path / "q.csv", "--target", "y", "--task",
                     "classification", "-o", model)
    assert "numbers that are not whole" in line and "--task regression" in line
    # '?' among numbers points to --na-values
    text = frame.astype({"x": object})
    text.loc[3, "x"] = "?"
    text.to_csv(tmp_path / "marks.csv", index=False)
    assert "--na-values" in one_error(capsys, "fit", tmp_path / "marks.csv", "--target", "y",
                                      "-o", model)
    # --dask without Dask installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    line = one_error(capsys, "fit", tmp_path / "q.csv", "--target", "y", "--dask", "-o", model)
    assert "pip install 'ffnn[dask]'" in line
    assert not model.exists()


def test_each_file_is_detected_and_the_model_s_dialect_serves_where_there_is_nothing_to_go_on(
        tmp_path, capsys):
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["y"] = frame["a"] - frame["b"]
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--solver", "lbfgs",
               "--epochs", "50", "-q", "-o", model)[0] == 0
    expected = next(line for line in run(capsys, "evaluate", model, tmp_path / "train.csv")[1]
                    .splitlines() if line.startswith("R²"))
    # a European file given to a model of a plain one: detected, as before models recorded
    frame.to_csv(tmp_path / "euro.csv", sep=";", decimal=",", index=False)
    status, out, err = run(capsys, "evaluate", model, tmp_path / "euro.csv")
    assert status == 0 and "semicolon-separated (detected), decimal commas (detected)" in err
    assert expected in out
    # R's write.table: row names 1, 2, … without a name in the header
    text = '"a","b","y"\n' + "".join(f'"{i + 1}",{a!r},{b!r},{y!r}\n'
                                     for i, (a, b, y) in enumerate(frame.to_numpy().tolist()))
    (tmp_path / "r.csv").write_text(text)
    status, out, err = run(capsys, "evaluate", model, tmp_path / "r.csv")
    assert status == 0 and expected in out, err


@pytest.mark.parametrize("values, task", [
    (list(range(2, 12)), "regression"),        # ten rows, ten values: no value repeats
    ([0, 1, 2] * 3, "classification"),
    ([2, 3, 5, 5, 7, 7, 7, 9], "regression"),  # 5 values in 8 rows: fewer than twice each
    ([2, 3, 5, 5, 7, 7, 7, 9, 9, 9], "classification"),  # in 10 rows: twice each on average
    (list(range(20)) * 2, "classification"),
    (list(range(21)) * 3, "regression"),       # more than 20 values
    ([0.5, 1.5, 0.5, 1.5], "regression"),
    (["a", "b", "c"], "classification"),
])
def test_the_task_is_guessed_from_how_often_whole_numbers_repeat(values, task):
    from ffnn.cli.distributed_labels import infer_task as infer_from_counts
    from ffnn.tabular import infer_task

    assert infer_task(pd.Series(values)) == task
    # the cluster's rule from the value counts it gathers, the same
    counts = pd.Series(values).value_counts().to_dict()
    integral = all(isinstance(v, (int, np.integer)) for v in values)
    stats = {"integral": integral, "classes": counts}
    dtype = pd.Series(values).dtype
    assert infer_from_counts("auto", stats, dtype) == task
    # whole numbers without their counts yet: a second pass gathers them
    if integral:
        assert infer_from_counts("auto", {"integral": True}, dtype) is None


def test_a_file_lacking_the_model_s_columns_gets_the_likely_fix(tmp_path, capsys):
    """predict said only which columns were missing: the file without its header, another
    separator, or names that differ in case or spaces are pointed out, as fit points them out
    for --target."""
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"age": rng.normal(50, 9, 80), "bmi": rng.normal(26, 4, 80)})
    frame["y"] = frame["age"] + frame["bmi"]
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    frame.to_csv(tmp_path / "bare.csv", header=False, index=False)
    frame.rename(columns={"age": "Age", "bmi": " bmi"}).to_csv(tmp_path / "renamed.csv",
                                                                index=False)
    frame.rename(columns={"age": "ages"}).to_csv(tmp_path / "typo.csv", index=False)
    (tmp_path / "semi.csv").write_text(frame.to_csv(index=False, sep=";"))
    frame.rename(columns={"bmi": "body mass index"}).to_csv(tmp_path / "words.csv", index=False)
    for name, hint in [("bare", "the first line looks like data, not column names (51.7"),
                       ("bare", "if the file has no header, pass --no-header and --names naming "
                                "the file's columns in order (the model reads age, bmi, and "
                                "the target 'y' where the file holds it)"),
                       ("words", "the columns are age, body mass index, y"),
                       ("renamed", "the file names them otherwise ('Age' for 'age', ' bmi' for "
                                   "'bmi'): rename its columns"),
                       ("typo", "the columns are ages, bmi, y (did you mean 'ages'?)"),
                       ("semi", "the column name 'age;bmi;y' holds ';' characters: the file "
                                "seems separated by ';'; pass --sep ';'")]:
        args = ["--sep", ","] if name == "semi" else []
        line = one_error(capsys, "predict", model, tmp_path / f"{name}.csv", *args)
        assert "that the model was trained on are missing from the data; " in line
        assert hint in line, line


def test_a_missing_column_is_not_said_to_be_another_the_model_reads(tmp_path, capsys):
    """Without 'mean radius', the file's 'worst radius' was suggested for it, a column the
    model reads as well: only columns it does not read may be the missing one renamed."""
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"mean radius": rng.normal(size=40), "worst radius": rng.normal(size=40)})
    frame["y"] = frame.sum(axis=1)
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    frame.drop(columns="mean radius").to_csv(tmp_path / "gone.csv", index=False)
    line = one_error(capsys, "predict", model, tmp_path / "gone.csv")
    assert line.endswith("the columns are worst radius, y"), line
    frame.rename(columns={"mean radius": "mean_radius"}).to_csv(tmp_path / "renamed.csv",
                                                                index=False)
    line = one_error(capsys, "predict", model, tmp_path / "renamed.csv")
    assert line.endswith("(did you mean 'mean_radius'?)"), line


def test_values_an_imputing_model_fills_at_prediction_are_counted(tmp_path, capsys):
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=60), "c": rng.choice(["x", "z"], 60)})
    frame["y"] = frame["a"] + (frame["c"] == "x")
    frame.loc[::6, "a"] = np.nan
    frame.loc[::20, "c"] = np.nan
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--impute", "--epochs",
               "2", "-q", "-o", model)[0] == 0
    for command in ("predict", "evaluate"):
        status, _, err = run(capsys, command, model, tmp_path / "train.csv")
        assert status == 0
        assert "filled 13 missing value(s) as in training (--impute: the training mean, or " \
               "most frequent category), in 'a' (10), 'c' (3)" in err
    assert "; 1 row had no value in any column" in err  # row 0 lacks both
    frame.dropna().to_csv(tmp_path / "full.csv", index=False)
    assert "filled" not in run(capsys, "predict", model, tmp_path / "full.csv")[2]
    # rows of bare separators, as a spreadsheet may end its export
    (tmp_path / "ragged.csv").write_text(frame.dropna().head(3).to_csv(index=False) + ",,\n" * 2)
    status, _, err = run(capsys, "predict", model, tmp_path / "ragged.csv")
    assert status == 0 and "filled 4 missing value(s)" in err
    assert "; 2 rows had no value in any column the model reads, and are predicted from " \
           "filled values alone: drop such rows if they are no observations" in err, err


def test_a_file_with_a_header_is_read_past_it_for_a_model_without_one(tmp_path, capsys):
    """The hint said to pass --header, which then named the columns by the file's header, not
    as the model knows them (0, 1, …): --header now passes over the line and keeps the model's
    names. A model of a file with a header is not told of --header for a bad first row."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["y"] = frame["a"] - frame["b"]
    frame.to_csv(tmp_path / "bare.csv", header=False, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "bare.csv", "--no-header", "--target", "2",
               "--epochs", "2", "-q", "-o", model)[0] == 0
    frame[["a", "b"]].to_csv(tmp_path / "named.csv", index=False)
    frame[["a", "b"]].to_csv(tmp_path / "unnamed.csv", header=False, index=False)
    assert "pass --header" in one_error(capsys, "predict", model, tmp_path / "named.csv")
    status, with_header, _ = run(capsys, "predict", model, tmp_path / "named.csv", "--header")
    assert status == 0
    assert with_header == run(capsys, "predict", model, tmp_path / "unnamed.csv")[1]
    # a header that names the model's columns finds them by name, in any order, beside others
    by_name = tmp_path / "by_name.ffnn"
    assert run(capsys, "fit", tmp_path / "bare.csv", "--no-header", "--names", "a,b,y",
               "--target", "y", "--epochs", "2", "-q", "-o", by_name)[0] == 0
    frame[["b", "a"]].assign(id=range(60)).to_csv(tmp_path / "ba.csv", index=False)
    status, swapped, _ = run(capsys, "predict", by_name, tmp_path / "ba.csv", "--header")
    assert status == 0
    assert swapped == run(capsys, "predict", by_name, tmp_path / "unnamed.csv")[1]
    # --header on a file without one would pass over a row of data: refused
    line = one_error(capsys, "predict", model, tmp_path / "unnamed.csv", "--header")
    assert "--header was given, but the first line looks like data" in line
    # a header naming some of the model's columns is not read by position (its 'b' would be
    # read as 'a'): refused, naming what it lacks
    frame[["b", "a"]].to_csv(tmp_path / "partial.csv", index=False, header=["b", "alpha"])
    line = one_error(capsys, "predict", by_name, tmp_path / "partial.csv", "--header")
    assert "the header names some of the model's columns ('b') but not 'a'; name every " \
           "column as the model does (its columns: a, b, y), or none of them" in line
    frame.to_csv(tmp_path / "train.csv", index=False)
    named = tmp_path / "named.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", named)[0] == 0
    rows = frame.head(4).astype({"a": object})
    rows.loc[0, "a"] = "M"
    rows.to_csv(tmp_path / "bad.csv", index=False)
    line = one_error(capsys, "predict", named, tmp_path / "bad.csv")
    assert "holds text in row(s) 1 ('M')" in line and "--header" not in line


def test_text_where_a_gap_shifted_the_columns_is_said_as_such(tmp_path, capsys):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["kind"] = np.where(frame["a"] > 0, "up", "down")
    frame.to_csv(tmp_path / "bare.csv", header=False, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "bare.csv", "--no-header", "--target", "2",
               "--epochs", "2", "-q", "-o", model)[0] == 0
    frame[["a", "kind"]].to_csv(tmp_path / "gap.csv", header=False, index=False)
    line = one_error(capsys, "predict", model, tmp_path / "gap.csv")
    assert "column '1' was numeric in training but holds text" in line
    assert "was taken as without the target '2'; if it lacks another column instead, each " \
           "column after the gap holds the next one's values" in line
    # other refusals of such a file (a missing value) are not told of gaps
    (tmp_path / "holes.csv").write_text("0.5,\n1.5,2.0\n")
    line = one_error(capsys, "predict", model, tmp_path / "holes.csv")
    assert "missing values" in line and "column after the gap" not in line


def test_a_refusal_of_missing_values_names_the_words_pandas_read_as_missing(tmp_path, capsys):
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"x": rng.normal(size=40), "alley": rng.choice(["NA", "Pave"], 40)})
    frame["y"] = frame["x"] + (frame["alley"] == "NA")
    frame.to_csv(tmp_path / "alley.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "alley.csv", "--target", "y", "-o",
                     tmp_path / "m.ffnn")
    count = int((frame["alley"] == "NA").sum())
    assert f"missing values in column(s) 'alley' ({count})" in line
    assert f"words that pandas reads as missing: 'alley': 'NA' ({count} rows); if they name " \
           "categories, write them otherwise in the file" in line
    # another refusal (a numeric column written with thousands separators) is not given the
    # words: "of them" would speak of missing values it never mentions
    frame.assign(x=[f"{1000 + k:,}" for k in range(40)]).to_csv(tmp_path / "price.csv",
                                                                 index=False)
    line = one_error(capsys, "fit", tmp_path / "price.csv", "--target", "y", "--impute", "-o",
                     tmp_path / "m.ffnn")
    assert "'x'" in line and "reads as missing" not in line and "of them" not in line


def test_labels_unknown_only_for_spaces_around_them_are_pointed_out(tmp_path, capsys):
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=60)})
    frame["kind"] = np.where(frame["x"] > 0, "up", "down")
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "kind", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    frame.assign(kind=frame["kind"].where(frame.index % 3 > 0, frame["kind"] + " ")).to_csv(
        tmp_path / "spaced.csv", index=False)
    status, _, err = run(capsys, "evaluate", model, tmp_path / "spaced.csv")
    assert status == 0 and "they differ from the classes only by spaces around them; strip " \
                           "them in the file" in err
    assert "'up ' for 'up'" in err or "'down ' for 'down'" in err
    # spaces in the model's classes: the labels are not the ones to strip
    frame.assign(kind=frame["kind"] + " ").to_csv(tmp_path / "spaced_train.csv", index=False)
    assert run(capsys, "fit", tmp_path / "spaced_train.csv", "--target", "kind", "--epochs",
               "2", "-q", "-o", model)[0] == 0
    frame.iloc[:30].to_csv(tmp_path / "clean.csv", index=False)
    line = one_error(capsys, "evaluate", model, tmp_path / "clean.csv")  # no label is a class
    assert "they differ from the classes only by spaces around them; the model's classes hold " \
           "them (it was trained on labels with spaces)" in line
    # labels written in another case than the classes
    frame.assign(kind=frame["kind"].str.upper()).to_csv(tmp_path / "upper.csv", index=False)
    line = one_error(capsys, "evaluate", model, tmp_path / "upper.csv")
    assert "'UP' for 'up '" in line and "they differ from the classes only by case or spaces " \
           "around them; spell them as the model's classes are spelled" in line
