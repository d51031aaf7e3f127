"""Data files as they come: no header, other separators, other missing-value markers, and
errors that point to the fix. The model records how its file was read, so that `predict` reads
new files the same way."""

import io

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn


def _table(n=120, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"crim": rng.uniform(0, 10, n).round(3),
                          "rooms": rng.uniform(3, 9, n).round(3)})
    frame["medv"] = (3 * frame["rooms"] - 0.5 * frame["crim"] + rng.normal(0, 0.5, n)).round(3)
    return frame


def test_a_file_without_a_header_by_position_and_by_names(tmp_path, capsys):
    frame = _table()
    frame.to_csv(tmp_path / "boston.csv", header=False, index=False)
    model = tmp_path / "m.ffnn"
    status, out, err = run(capsys, "fit", tmp_path / "boston.csv", "--no-header", "--target",
                            "-1", "--epochs", "20", "-o", model)
    assert status == 0, err
    assert "no header" in err
    loaded = ffnn.load(model)
    assert loaded.target == "2" and loaded.preprocessor.columns == ["0", "1"]
    assert loaded.read_options.header is False
    # New rows without the target column: the model reads them as it read its training file.
    frame.drop(columns="medv").to_csv(tmp_path / "new.csv", header=False, index=False)
    status, out, err = run(capsys, "predict", model, tmp_path / "new.csv")
    assert status == 0, err
    assert list(pd.read_csv(io.StringIO(out)).columns) == ["2"] and len(out.splitlines()) == 121
    # evaluate and plot read the training file as recorded too
    status, out, err = run(capsys, "evaluate", model, tmp_path / "boston.csv")
    assert status == 0 and "120 rows" in out and "R² " in out, err
    status, out, err = run(capsys, "plot", model, "--kind", "fit", "--data",
                            tmp_path / "boston.csv", "-o", tmp_path / "fit.png")
    assert status == 0, err
    status, out, err = run(capsys, "fit", tmp_path / "boston.csv", "--names", "crim,rooms,medv",
                            "--target", "medv", "--epochs", "5", "-q", "-o", model)
    assert status == 0, err
    assert ffnn.load(model).preprocessor.columns == ["crim", "rooms"]
    status, out, err = run(capsys, "predict", model, tmp_path / "new.csv")
    assert status == 0 and out.splitlines()[0] == "medv", err


def test_a_header_is_not_read_as_a_row_of_data_under_names(tmp_path, capsys):
    """--names reads a file as one without a header: a header of the very names given (or a
    model's) would be a row of data, its words a category and, for the target, a class."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"colour": rng.choice(["red", "blue"], 60),
                          "size": rng.choice(["S", "L"], 60)})
    frame["label"] = np.where(frame["colour"] == "red", "yes", "no")
    frame.to_csv(tmp_path / "t.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "t.csv", "--names", "colour,size,label",
                     "--target", "label", "-o", tmp_path / "m.ffnn")
    assert "first line names the columns (colour, size, label)" in line
    assert "leave out --names" in line
    frame.to_csv(tmp_path / "bare.csv", header=False, index=False)
    status, _, err = run(capsys, "fit", tmp_path / "bare.csv", "--names", "colour,size,label",
                         "--target", "label", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert list(ffnn.load(tmp_path / "m.ffnn").classes_) == ["no", "yes"]
    frame.drop(columns="label").to_csv(tmp_path / "new.csv", index=False)
    assert "pass --header" in one_error(capsys, "predict", tmp_path / "m.ffnn",
                                        tmp_path / "new.csv")
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.csv",
                           "--header")
    assert status == 0 and len(out.splitlines()) == 61, err


@pytest.mark.parametrize("first, said", [
    ("sep=;", "'sep=;', is Excel's note of the separator"),
    ("# exported 2024-01-01 by the lab", "reads as a comment"),
])
def test_a_first_line_that_is_neither_names_nor_data_is_named(tmp_path, capsys, first, said):
    frame = _table()
    sep = ";" if first.startswith("sep") else ","
    (tmp_path / "d.csv").write_text(first + "\n" + frame.to_csv(index=False, sep=sep))
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "-o",
                     tmp_path / "m.ffnn")
    assert said in line and "remove" in line and "field" not in line


def test_a_header_whose_first_name_starts_with_a_hash_is_a_header(tmp_path, capsys):
    frame = _table().rename(columns={"crim": "# crimes"})
    frame.to_csv(tmp_path / "d.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert ffnn.load(tmp_path / "m.ffnn").preprocessor.columns == ["# crimes", "rooms"]


def test_a_file_of_one_column_whose_name_starts_with_a_hash_is_read(tmp_path, capsys):
    """Its first line splits as the next does (into one field): a header, not a comment."""
    frame = _table()[["crim", "medv"]].rename(columns={"crim": "#crimes"})
    frame.to_csv(tmp_path / "d.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    frame[["#crimes"]].to_csv(tmp_path / "new.csv", index=False)
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.csv")
    assert status == 0 and len(out.splitlines()) == len(frame) + 1, err


@pytest.mark.parametrize("sep, word, decimal", [("\t", "tab", "."), (";", "semicolon", ","),
                                                 ("   ", "whitespace", ".")])
def test_separators_are_detected_and_said(tmp_path, capsys, sep, word, decimal):
    frame = _table()
    text = sep.join(frame.columns) + "\n" + "\n".join(
        sep.join(f"{v:.3f}".replace(".", decimal) for v in row) for row in frame.to_numpy())
    (tmp_path / "d.txt").write_text(("  " if word == "whitespace" else "") + text + "\n")
    status, out, err = run(capsys, "fit", tmp_path / "d.txt", "--target", "medv", "--epochs",
                            "30", "--lr", "0.01", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert f"{word}-separated (detected)" in err
    if decimal == ",":
        assert "decimal commas (detected)" in err
    model = ffnn.load(tmp_path / "m.ffnn")
    assert model.preprocessor.columns == ["crim", "rooms"]  # numbers, not text categories
    assert not model.preprocessor.categorical


def test_quiet_fit_still_says_how_a_file_that_is_not_plain_csv_was_read(tmp_path, capsys):
    """-q hides progress, not a separator or decimal mark that was guessed: predict and
    evaluate say those too."""
    frame = _table()
    (tmp_path / "d.txt").write_text(";".join(frame.columns) + "\n" + "\n".join(
        ";".join(f"{v:.3f}".replace(".", ",") for v in row) for row in frame.to_numpy()) + "\n")
    status, _, err = run(capsys, "fit", tmp_path / "d.txt", "--target", "medv", "--epochs",
                         "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "semicolon-separated (detected), decimal commas (detected)" in err
    frame.to_csv(tmp_path / "plain.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "plain.csv", "--target", "medv", "--epochs",
                         "2", "-q", "-o", tmp_path / "m2.ffnn")
    assert status == 0 and "read " not in err and "training a" not in err, err



@pytest.mark.parametrize("with_text", [True, False])
def test_decimal_commas_without_a_header_are_not_taken_for_the_separator(tmp_path, capsys,
                                                                           with_text):
    """5,1;3,5;setosa splits into as many fields by commas as by semicolons, and 1,5;2,25 into
    more: the file was read comma-separated, its numbers cut in two and its target a class per
    fraction. Commas that are all decimal marks say the separator is the other one."""
    frame = _table()
    if with_text:
        frame["kind"] = np.where(frame["rooms"] > 6, "large", "small")
    (tmp_path / "d.csv").write_text("\n".join(";".join(
        f"{v:.3f}".replace(".", ",") if isinstance(v, float) else v for v in row)
        for row in frame.astype(object).to_numpy()) + "\n")
    status, out, err = run(capsys, "fit", tmp_path / "d.csv", "--no-header", "--target", "2",
                            "--epochs", "3", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "semicolon-separated (detected), decimal commas (detected), no header" in err
    model = ffnn.load(tmp_path / "m.ffnn")
    assert model.task == "regression"
    assert model.preprocessor.columns == ["0", "1"] + (["3"] if with_text else [])
    assert [c[0] for c in model.preprocessor.categorical] == (["3"] if with_text else [])


def test_a_first_line_of_decimal_comma_numbers_is_seen_as_data(tmp_path, capsys):
    """A semicolon file with decimal commas and no header: its first line, '1,234;5,678;...',
    is data like any other. Taken for names, it once led to the advice to read the file
    comma-separated, and a position for --target trained without a word on the other rows."""
    frame = _table()
    (tmp_path / "d.csv").write_text("\n".join(";".join(f"{v:.3f}".replace(".", ",") for v in row)
                                              for row in frame.to_numpy()) + "\n")
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "-o",
                     tmp_path / "m.ffnn")
    assert "the first line looks like data" in line and "--no-header" in line
    assert "--sep" not in line
    status, out, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "-1", "--epochs", "2",
                            "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "looks like data (numbers), not column names" in err and "--no-header" in err



def test_a_comma_file_with_spaces_in_a_field_stays_comma_separated(tmp_path, capsys):
    """'18,555 1000,58' split by whitespace gives two fields that read as decimal commas: it is
    a comma file whose second field holds a space. New rows without the target are read with
    the model's separator, which splits every line into its columns."""
    rng = np.random.default_rng(1)
    a = rng.integers(1, 99, 60)
    (tmp_path / "t.csv").write_text("".join(f"{v},555 {1000 + i},{3 * v}\n"
                                            for i, v in enumerate(a)))
    (tmp_path / "new.csv").write_text("".join(f"{v},555 {1000 + i}\n"
                                              for i, v in enumerate(a[:5])))
    status, _, err = run(capsys, "fit", tmp_path / "t.csv", "--no-header", "--target", "-1",
                         "--epochs", "2", "-o", tmp_path / "m.ffnn")
    assert status == 0 and "3 columns, comma-separated (detected), no header" in err, err
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.csv")
    assert status == 0 and "2 columns (taken as 0, 1, without the target '2'), " \
        "comma-separated, no header" in err, err

def test_a_quantity_with_a_typo_is_not_taken_for_classes(tmp_path, capsys):
    """One 'unknown' among 120 prices made the target text, and every price a class."""
    frame = _table().astype({"medv": object})
    frame.loc[7, "medv"] = "unknown"
    frame.to_csv(tmp_path / "d.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "-o",
                     tmp_path / "m.ffnn")
    assert line == (f"ffnn: error: {tmp_path / 'd.csv'}: the target column 'medv' holds numbers "
                    "except in row(s) 8 ('unknown'); fix or drop those rows; if the column "
                    "holds class labels, pass --task classification")
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "--task",
                         "classification", "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err


def test_a_column_without_any_value_is_named_with_its_drop(tmp_path, capsys):
    """Lines ending with a tab make an empty last column, 'Unnamed: 3' to pandas."""
    frame = _table()
    (tmp_path / "d.tsv").write_text("\t".join(frame.columns) + "\t\n" + "".join(
        "\t".join(map(str, row)) + "\t\n" for row in frame.to_numpy()))
    line = one_error(capsys, "fit", tmp_path / "d.tsv", "--target", "medv", "-o",
                     tmp_path / "m.ffnn")
    assert line.endswith("column 'Unnamed: 3' holds no value at all, to learn from or to "
                         "fill with (CSV lines that end with a separator make such a column): "
                         "--drop 'Unnamed: 3'")
    # with --impute too: there is nothing to fill it with
    assert "'Unnamed: 3' holds no value at all" in one_error(
        capsys, "fit", tmp_path / "d.tsv", "--target", "medv", "--impute", "-o",
        tmp_path / "m.ffnn")
    status, _, err = run(capsys, "fit", tmp_path / "d.tsv", "--target", "medv", "--drop",
                         "Unnamed: 3", "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err

def test_two_empty_columns_at_the_end_are_named_with_their_drop(tmp_path, capsys):
    """Lines ending with two separators (a spreadsheet's export of empty columns) have two
    empty names in the header, which pandas names 'Unnamed: 3' and 'Unnamed: 4'; they were
    refused as a name given twice, '', which no option could drop."""
    frame = _table()
    (tmp_path / "d.csv").write_text(",".join(frame.columns) + ",,\n" + "".join(
        ",".join(map(str, row)) + ",,\n" for row in frame.to_numpy()))
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "-o",
                     tmp_path / "m.ffnn")
    assert "columns 'Unnamed: 3', 'Unnamed: 4' hold no value at all" in line
    assert "--drop 'Unnamed: 3,Unnamed: 4'" in line
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "medv", "--drop",
                         "Unnamed: 3,Unnamed: 4", "--epochs", "1", "-q", "-o",
                         tmp_path / "m.ffnn")
    assert status == 0, err


def test_a_separator_given(tmp_path, capsys):
    _table().to_csv(tmp_path / "d.psv", sep="|", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.psv", "--sep", "|", "--target", "medv",
                          "--epochs", "3", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert ffnn.load(tmp_path / "m.ffnn").read_options.sep == "|"


def test_question_marks_for_missing_values(tmp_path, capsys):
    frame = _table().astype(object)
    frame.loc[[3, 17, 40], "crim"] = "?"
    frame.to_csv(tmp_path / "cars.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "cars.csv", "--target", "medv", "-o",
                      tmp_path / "m.ffnn")
    assert "'crim'" in line and "'?'" in line  # a numeric column with a few strings
    status, _, err = run(capsys, "fit", tmp_path / "cars.csv", "--target", "medv", "--na-values",
                          "?", "--impute", "--epochs", "5", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    model = ffnn.load(tmp_path / "m.ffnn")
    assert [n for n, *_ in model.preprocessor.numeric] == ["crim", "rooms"]
    assert model.read_options.na_values == ["?"]
    # predict reads '?' as missing too, as recorded
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "cars.csv")
    assert status == 0 and "nan" not in out.lower(), err


def test_question_marks_in_a_parquet_file(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    frame = _table().astype({"crim": str})
    frame.loc[[3, 17], "crim"] = "?"
    frame.to_parquet(tmp_path / "d.parquet")
    status, _, err = run(capsys, "fit", tmp_path / "d.parquet", "--target", "medv", "--na-values",
                          "?", "--impute", "--epochs", "3", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert [n for n, *_ in ffnn.load(tmp_path / "m.ffnn").preprocessor.numeric] == ["crim",
                                                                                    "rooms"]
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "medv", "--sep", ";",
                      "-o", tmp_path / "m.ffnn")
    assert "--sep applies to CSV files" in line


def test_a_parquet_file_s_named_index_is_read_as_columns(tmp_path, capsys):
    # pandas writes a frame's named index as columns of the file, which other readers see, and
    # reads them back as the index: 'crim' trained nothing and '--keep crim' found no column
    pytest.importorskip("pyarrow")
    frame = _table()
    frame.set_index("crim").to_parquet(tmp_path / "d.parquet")
    status, _, err = run(capsys, "fit", tmp_path / "d.parquet", "--target", "medv", "--epochs",
                         "3", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert sorted(ffnn.load(tmp_path / "m.ffnn").preprocessor.columns) == ["crim", "rooms"]
    # an unnamed index (the row labels left by selecting rows) is no column
    frame.iloc[::2].to_parquet(tmp_path / "new.parquet")
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.parquet",
                           "--keep", "crim")
    assert status == 0, err
    written = pd.read_csv(io.StringIO(out))
    assert list(written.columns) == ["crim", "medv"] and len(written) == 60
    np.testing.assert_array_equal(written["crim"], frame["crim"].iloc[::2])


class TestErrorsPointToTheFix:
    def test_a_numeric_header_suggests_no_header(self, tmp_path, capsys):
        _table().to_csv(tmp_path / "boston.csv", header=False, index=False)
        line = one_error(capsys, "fit", tmp_path / "boston.csv", "--target", "MEDV", "-o",
                          tmp_path / "m.ffnn")
        assert "no column 'MEDV'" in line and "--no-header" in line

    def test_a_column_name_holding_separators_suggests_sep(self, tmp_path, capsys):
        _table().to_csv(tmp_path / "d.csv", sep=";", index=False)
        line = one_error(capsys, "fit", tmp_path / "d.csv", "--sep", "tab", "--target", "medv",
                          "-o", tmp_path / "m.ffnn")
        assert "--sep ';'" in line

    def test_a_whitespace_file_read_as_commas_suggests_whitespace(self, tmp_path, capsys):
        frame = _table()
        lines = ["CRIM ZN MEDV"] + [" ".join(map(str, row)) for row in frame.to_numpy()]
        (tmp_path / "d.txt").write_text("\n".join(lines) + "\n")
        line = one_error(capsys, "fit", tmp_path / "d.txt", "--sep", ",", "--target", "MEDV",
                          "-o", tmp_path / "m.ffnn")
        assert "--sep whitespace" in line

    def test_a_misspelt_column_gets_the_closest_names(self, tmp_path, capsys):
        frame = _table().rename(columns={"medv": "species"})
        frame.to_csv(tmp_path / "d.csv", index=False)
        line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "specis", "-o",
                          tmp_path / "m.ffnn")
        assert "did you mean 'species'?" in line
        line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "species", "--drop",
                          "rooms,crin", "-o", tmp_path / "m.ffnn")
        assert "--drop" in line and "did you mean 'crim'?" in line

    @pytest.mark.parametrize("argv, suggestion", [
        (["--solver", "adamm"], "'adam'"), (["--activation", "rleu"], "'relu'"),
        (["--task", "regresion"], "'regression'"), (["--dtype", "float23"], "'float32'")])
    def test_misspelt_choices_get_a_suggestion(self, tmp_path, capsys, argv, suggestion):
        _table().to_csv(tmp_path / "d.csv", index=False)
        line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "medv", *argv, "-o",
                          tmp_path / "m.ffnn")
        assert f"did you mean {suggestion}?" in line

    def test_a_misspelt_plot_kind_gets_a_suggestion(self, tmp_path, capsys):
        line = one_error(capsys, "plot", tmp_path / "m.ffnn", "--kind", "los", "-o",
                          tmp_path / "x.png")
        assert "did you mean 'loss'?" in line


def test_a_header_field_over_128_kib_is_one_line(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text("x" * (200 * 1024) + ",y\n1,2\n3,4\n")
    line = one_error(capsys, "fit", path, "--target", "y", "-o", tmp_path / "m.ffnn")
    assert "wide.csv" in line and "128 KiB" in line and "internal" not in line


def test_evaluate_without_the_target_column_suggests_it_and_marks_a_cut_list(tmp_path, capsys):
    frame = _table()
    for k in range(14):
        frame[f"extra{k}"] = float(k)
    frame.to_csv(tmp_path / "t.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "t.csv", "--target", "medv", "--epochs", "2",
               "-o", model)[0] == 0
    frame.rename(columns={"medv": "MEDV"}).to_csv(tmp_path / "renamed.csv", index=False)
    line = one_error(capsys, "evaluate", model, tmp_path / "renamed.csv")
    assert "the target column 'medv' is not in the data (did you mean 'MEDV'?)" in line
    assert line.endswith("extra7, extra8, ...")  # 12 of the 17 columns, and the mark of more


def test_the_names_of_a_file_without_a_header_choose_between_tab_and_whitespace(tmp_path,
                                                                                   capsys):
    """'2024-01-01 12:00:00<tab>0.96' splits as evenly into three fields by whitespace as
    into two by tab: given two names (or a model trained on Parquet predicting such a file
    with --names), the tab is the separator, as the same rows in Parquet are read."""
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 5, 60), unit="D")
    frame = pd.DataFrame({"when": days.strftime("%Y-%m-%d 12:00:00"),
                          "y": rng.normal(size=60)})
    frame.to_csv(tmp_path / "t.csv", sep="\t", header=False, index=False)
    status, _, err = run(capsys, "fit", tmp_path / "t.csv", "--no-header", "--names", "when,y",
                         "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    model = ffnn.load(tmp_path / "m.ffnn")
    assert model.preprocessor.columns == ["when"] and model.read_options.sep == "\t"
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "t.parquet", "--target", "y", "--epochs",
                         "2", "-q", "-o", tmp_path / "p.ffnn")
    assert status == 0, err
    status, out, err = run(capsys, "predict", tmp_path / "p.ffnn", tmp_path / "t.csv",
                           "--no-header", "--names", "when,y")
    assert status == 0, err
    expected = ffnn.load(tmp_path / "p.ffnn").predict(frame)
    np.testing.assert_allclose(pd.read_csv(io.StringIO(out))["y"], expected, rtol=1e-12)


def test_codes_with_points_and_commas_leave_the_decimal_comma_of_numbers(tmp_path, capsys):
    """A semicolon file whose numbers are written 0,25 and whose codes are '1,5' and '1.0': the
    codes were taken for decimal points, and the numbers read as text, each a category."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=80).round(4)
    code = rng.choice(["1,5", "1.0", "12"], 80)
    y = x + (code == "1.0")
    (tmp_path / "d.csv").write_text("x;code;y\n" + "".join(
        f"{str(a).replace('.', ',')};{c};{str(b).replace('.', ',')}\n"
        for a, c, b in zip(x, code, y)))
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--categorical",
                         "code", "--epochs", "2", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "decimal commas (detected)" in err
    model = ffnn.load(tmp_path / "m.ffnn")
    assert [n for n, *_ in model.preprocessor.numeric] == ["x"]
    assert model.preprocessor.categorical[0][:2] == ("code", ["1,5", "1.0", "12"])


def _codes_and_numbers(folder, n=80):
    """(a semicolon file whose numbers are written with decimal commas beside a codes column of
    '0.5', '010' and '2', the same file with decimal points): detection takes the codes' point
    for the file's decimal mark."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=n).round(3)
    code = rng.choice(["0.5", "010", "2"], n)
    y = (x + (code == "010")).round(3)
    commas, points = folder / "commas.csv", folder / "points.csv"
    for path, mark in ((commas, ","), (points, ".")):
        path.write_text("x;code;y\n" + "".join(
            f"{str(a).replace('.', mark)};{c};{str(b).replace('.', mark)}\n"
            for a, c, b in zip(x, code, y)))
    return commas, points


def test_a_decimal_comma_given_reads_a_file_that_detection_takes_for_decimal_points(tmp_path,
                                                                                    capsys):
    commas, points = _codes_and_numbers(tmp_path)
    fit = ["--target", "y", "--categorical", "code", "--epochs", "5", "--seed", "1", "-q"]
    assert run(capsys, "fit", commas, *fit, "-o", tmp_path / "x.ffnn")[0] == 2  # detected '.'
    status, out_c, err = run(capsys, "fit", commas, *fit, "--decimal", ",", "-o",
                             tmp_path / "c.ffnn")
    assert status == 0, err
    assert "semicolon-separated (detected), decimal commas\n" in err  # given, not detected
    status, out_p, err = run(capsys, "fit", points, *fit, "-o", tmp_path / "p.ffnn")
    assert status == 0, err
    assert out_c.splitlines()[:2] == out_p.splitlines()[:2]  # the same scores
    model = ffnn.load(tmp_path / "c.ffnn")
    assert model.read_options.decimal == ","
    assert model.preprocessor.categorical[0][:2] == ("code", ["0.5", "010", "2"])
    # predict reads with the decimal mark typed (the file's detection would say '.')
    status, by_commas, err = run(capsys, "predict", tmp_path / "c.ffnn", commas, "--decimal", ",")
    assert status == 0, err
    status, by_points, err = run(capsys, "predict", tmp_path / "p.ffnn", points)
    assert status == 0, err
    assert by_commas == by_points
    status, out, err = run(capsys, "evaluate", tmp_path / "c.ffnn", commas, "--decimal", ",")
    assert status == 0 and "80 rows" in out, err


def test_fit_of_decimal_comma_numbers_read_as_text_points_to_decimal(tmp_path, capsys):
    """fit refuses numbers that detection read as text for the codes' decimal point (the target
    y's first) and, as predict does, gives --decimal , as the fix; numbers grouped in thousands
    are not sent there."""
    commas, _ = _codes_and_numbers(tmp_path)
    line = one_error(capsys, "fit", commas, "--target", "y", "--categorical", "code", "-q",
                     "-o", tmp_path / "x.ffnn")
    assert "column 'y' holds numbers written with" in line  # the target, read first
    assert "if the file writes numbers with a decimal comma, pass --decimal ,; else" in line
    thousands = tmp_path / "thousands.csv"
    thousands.write_text("x;w;y\n" + "".join(f"{1000 + 7 * i:,};{i / 8};{i % 3}\n"
                                              for i in range(40)))  # w's points: '.' detected
    line = one_error(capsys, "fit", thousands, "--target", "y", "-q", "-o", tmp_path / "t.ffnn")
    assert "thousands separators" in line and "--decimal" not in line


def test_a_model_reads_with_its_decimal_comma_where_the_file_writes_numbers_so(tmp_path,
                                                                              capsys):
    """A model trained with --decimal , on a file whose codes detection takes for decimal
    points reads the same file (and files like it) with its decimal comma, untyped; a file of
    decimal points alone is still read with them."""
    commas, points = _codes_and_numbers(tmp_path)
    fit = ["--target", "y", "--categorical", "code", "--epochs", "3", "--seed", "1", "-q"]
    assert run(capsys, "fit", commas, *fit, "--decimal", ",", "-o", tmp_path / "c.ffnn")[0] == 0
    status, typed, err = run(capsys, "predict", tmp_path / "c.ffnn", commas, "--decimal", ",")
    assert status == 0, err
    status, untyped, err = run(capsys, "predict", tmp_path / "c.ffnn", commas)
    assert status == 0, err
    assert untyped == typed and "decimal commas (as the model's)" in err
    status, by_points, err = run(capsys, "predict", tmp_path / "c.ffnn", points)
    assert status == 0, err
    assert by_points == typed and "decimal commas" not in err


def test_decimal_comma_numbers_read_as_text_point_to_decimal(tmp_path, capsys):
    """A model of decimal points given a file of decimal commas whose codes detection takes
    for decimal points: its numbers are text, and the fix is --decimal ,."""
    commas, points = _codes_and_numbers(tmp_path)
    assert run(capsys, "fit", points, "--target", "y", "--categorical", "code", "--epochs", "2",
               "-q", "-o", tmp_path / "p.ffnn")[0] == 0
    line = one_error(capsys, "predict", tmp_path / "p.ffnn", commas)
    assert "column 'x' was numeric in training but holds text" in line
    assert "if the file writes numbers with a decimal comma, pass --decimal ,; else" in line


def test_a_comma_separated_file_is_not_sent_to_decimal_comma(tmp_path, capsys):
    """Numbers written "0,5" (quoted) in a comma-separated file cannot be read with --decimal ,,
    which the separator refuses, nor in a Parquet file: fit and predict do not give it as the
    fix there."""
    rng = np.random.default_rng(0)
    quoted = "".join(f'"{i % 7},{i % 50 + 10}",{rng.random():.3f},{rng.random():.3f}\n'
                     for i in range(40))
    (tmp_path / "q.csv").write_text("x,z,y\n" + quoted)
    line = one_error(capsys, "fit", tmp_path / "q.csv", "--target", "y", "-q",
                     "-o", tmp_path / "q.ffnn")
    assert "holds numbers written with" in line and "--decimal" not in line
    (tmp_path / "t.csv").write_text("x,z,y\n" + "".join(
        f"{i % 7}.{i % 50 + 10},{rng.random():.3f},{rng.random():.3f}\n" for i in range(40)))
    assert run(capsys, "fit", tmp_path / "t.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", tmp_path / "t.ffnn")[0] == 0
    line = one_error(capsys, "predict", tmp_path / "t.ffnn", tmp_path / "q.csv")
    assert "was numeric in training but holds text" in line and "--decimal" not in line
    pytest.importorskip("pyarrow")
    pd.read_csv(tmp_path / "q.csv").to_parquet(tmp_path / "q.parquet")  # x: '0,10', ...
    line = one_error(capsys, "fit", tmp_path / "q.parquet", "--target", "y", "-q",
                     "-o", tmp_path / "p.ffnn")
    assert "holds numbers written with" in line and "--decimal" not in line


def test_a_decimal_mark_given_to_predict_overrides_the_model_s(tmp_path, capsys):
    commas, points = _codes_and_numbers(tmp_path)
    status, _, err = run(capsys, "fit", points, "--target", "y", "--categorical", "code",
                         "--epochs", "3", "-q", "-o", tmp_path / "p.ffnn")
    assert status == 0, err
    assert ffnn.load(tmp_path / "p.ffnn").read_options.decimal == "."
    status, expected, err = run(capsys, "predict", tmp_path / "p.ffnn", points)
    assert status == 0, err
    status, out, err = run(capsys, "predict", tmp_path / "p.ffnn", commas, "--decimal", ",")
    assert status == 0, err
    assert out == expected and "decimal commas\n" in err


def test_a_decimal_mark_that_cannot_be_is_refused_with_the_fix(tmp_path, capsys):
    commas, _ = _codes_and_numbers(tmp_path)
    _table().to_csv(tmp_path / "plain.csv", index=False)
    fit = ["--target", "y", "-o", tmp_path / "m.ffnn"]
    line = one_error(capsys, "fit", commas, "--decimal", ";", *fit)
    assert "--decimal" in line and "expected . (numbers written 1.5) or ," in line
    line = one_error(capsys, "fit", commas, "--sep", ",", "--decimal", ",", *fit)
    assert "--sep and --decimal are both ','" in line and "--sep ';' --decimal ," in line
    line = one_error(capsys, "fit", tmp_path / "plain.csv", "--decimal", ",", *fit)
    assert "the decimal mark ',' given is also its separator (detected)" in line
    assert "--sep" in line and "--decimal ." in line
    pytest.importorskip("pyarrow")
    _table().to_parquet(tmp_path / "d.parquet")
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "medv", "--decimal", ",",
                     "-o", tmp_path / "m.ffnn")
    assert "--decimal applies to CSV files" in line
