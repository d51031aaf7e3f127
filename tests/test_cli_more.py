"""The command line as a data scientist meets it: what evaluate prints, what predict writes
and what plot draws, each checked against the library."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

FAST = ("--hidden", "4", "--epochs", "3", "-q")


def _labels_file(path, labels):
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "c": np.where(x > 0, *labels)}).to_csv(path, index=False)
    return path


def test_the_printed_confusion_matrix_escapes_control_characters_in_labels(tmp_path, capsys):
    # A label holding a line end breaks the table's rows; one holding a terminal's escape
    # sequence would be obeyed by the terminal (here: clear the screen).
    data = _labels_file(tmp_path / "d.csv", ("two\nlines", "\x1b[2Jclear"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    status, out, _ = run(capsys, "evaluate", model, data)
    assert status == 0
    table = out[out.index("confusion matrix:"):].splitlines()[1:5]
    assert "\x1b" not in out and "\\x1b[2Jclear" in out
    assert table[2].strip().startswith("\\x1b[2Jclear") and table[3].strip().startswith("two\\nlines")
    assert len({len(line) for line in table[1:]}) == 1  # the columns line up


def test_column_names_listed_in_an_error_escape_control_characters(tmp_path, capsys):
    data = tmp_path / "d.csv"
    pd.DataFrame({"x\x1b[31m": [1.0, 2.0], "y": [0.5, 1.5]}).to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "z", "-o", tmp_path / "m.ffnn")
    assert status == 2 and "\x1b" not in err and "'x\\x1b[31m'" in err, err


def test_plot_to_a_dash_is_refused_rather_than_written_to_a_file_named_dash(tmp_path, capsys,
                                                                             monkeypatch):
    # predict writes standard output for '-o -'; plot, which writes images, would otherwise
    # leave a file named '-' and say "wrote -"
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    monkeypatch.chdir(tmp_path)
    line = one_error(capsys, "plot", model, "--kind", "loss", "-o", "-")
    assert "standard output" in line and "loss.png" in line
    assert not (tmp_path / "-").exists()


def _line_model(tmp_path, capsys, slope=2):
    """A regression model of y = slope · x on 30 rows of x in [-1, 1], and those x."""
    train = tmp_path / "train.csv"
    x = np.linspace(-1, 1, 30)
    pd.DataFrame({"x": x, "y": slope * x}).to_csv(train, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "-o", model, *FAST)[0] == 0
    return model, x


def test_the_legend_of_the_regression_fit_plot_hides_no_point(tmp_path, capsys, figures):
    # A row predicted above its observed value, at the lowest observed value, is drawn in the
    # plot's upper-left corner: a legend placed there hid it, and a file of one row looked empty.
    model, _ = _line_model(tmp_path, capsys, slope=3)
    one = tmp_path / "one.csv"
    pd.DataFrame({"x": [0.0], "y": [-50.0]}).to_csv(one, index=False)
    assert run(capsys, "plot", model, "--kind", "fit", "--data", one, "-o",
               tmp_path / "fit.png")[0] == 0
    (fig, _), = figures
    fig.draw_without_rendering()  # lays the figure out as savefig did
    legends = [fig.legends[0]] if fig.legends else [ax.get_legend() for ax in fig.axes]
    boxes = [legend.get_window_extent() for legend in legends if legend is not None]
    points = [ax.transData.transform(c.get_offsets()) for ax in fig.axes for c in ax.collections]
    (point,), = points
    assert boxes and not any(box.contains(*point) for box in boxes)


def test_plot_names_the_words_read_as_missing_labels_as_evaluate_does(tmp_path, capsys):
    # 'NA' may name a class (North America): both commands say that pandas read it as missing
    data = _labels_file(tmp_path / "d.csv", ("EU", "AS"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    new = tmp_path / "new.csv"
    new.write_text("x,c\n0.5,NA\n-0.5,EU\n")
    said = one_error(capsys, "evaluate", model, new)
    assert "'NA' (1 row)" in said
    drawn = one_error(capsys, "plot", model, "--kind", "fit", "--data", new, "-o",
                      tmp_path / "fit.png")
    assert drawn == said


def _city_model(tmp_path, capsys):
    """A regression model of x and a text column city (Paris or Rome)."""
    train = tmp_path / "train.csv"
    x = np.linspace(-1, 1, 30)
    pd.DataFrame({"x": x, "city": np.where(x > 0, "Paris", "Rome"), "y": 2 * x}).to_csv(
        train, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "-o", model, *FAST)[0] == 0
    return model


def test_a_file_separated_by_pipes_is_pointed_to_sep_even_where_a_value_holds_a_comma(
        tmp_path, capsys):
    # Pipes are not detected: the file is read as one column, and the first row whose value
    # holds a comma splits into two fields. "Quote values that contain the separator" sent
    # the user to edit the data, where --sep '|' reads it.
    model = _city_model(tmp_path, capsys)
    piped = tmp_path / "piped.csv"
    piped.write_text("x|city|y\n0.5|Paris|1\n0.1|Rome, Italy|0.2\n")
    for command in ("evaluate", "predict"):
        line = one_error(capsys, command, model, piped)
        assert "--sep '|'" in line and "quote values" not in line, line
    assert run(capsys, "evaluate", model, piped, "--sep", "|")[0] == 0


def test_the_loss_plot_of_a_short_training_marks_whole_epochs_only(tmp_path, capsys, figures):
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    assert run(capsys, "plot", model, "--kind", "loss", "-o", tmp_path / "loss.png")[0] == 0
    (fig, _), = figures
    low, high = fig.axes[0].get_xlim()
    ticks = [t for t in fig.axes[0].get_xticks() if low <= t <= high]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks  # no epoch 1.5


def test_a_column_far_off_is_said_in_a_short_number_of_standard_deviations(tmp_path, capsys):
    # 1e100 standard deviations were printed with all of their hundred digits
    model, _ = _line_model(tmp_path, capsys)
    far = tmp_path / "far.csv"
    far.write_text("x\n1e100\n")
    status, _, err = run(capsys, "predict", model, far)
    warning, = [line for line in err.splitlines() if "standard deviations off" in line]
    assert status == 0 and len(warning) < 400 and "e+100 standard deviations off" in warning, warning


def test_a_prediction_that_overflows_names_its_row_as_the_file_counts_and_the_far_input(
        tmp_path, capsys):
    # The row was counted from 0 where every other message counts from 1, and the cause was
    # said to be the model's target scaling, though it was an input far beyond training's.
    train = tmp_path / "train.csv"
    x = np.linspace(-3, 3, 30)  # a scale above 1: 1.7e308 standardises to a finite number
    pd.DataFrame({"x": x, "y": 1000 * x}).to_csv(train, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "-o", model, "--hidden", "none",
               *FAST[2:])[0] == 0
    rows = tmp_path / "rows.csv"
    rows.write_text("x\n0.5\n1.7e308\n")
    line = one_error(capsys, "predict", model, rows)
    assert "(first: row 2)" in line and "input 'x' (1.7e+308)" in line, line
    # named with its file, as every other refusal of a file's values is, by each command
    assert line.startswith(f"ffnn: error: {rows}: the prediction overflowed"), line
    rows.write_text("x,y\n0.5,1\n1.7e308,2\n")
    for argv in (["evaluate", model, rows], ["plot", model, "--kind", "fit", "--data", rows,
                                            "-o", tmp_path / "fit.png"]):
        assert one_error(capsys, *argv).startswith(f"ffnn: error: {rows}: the prediction")


def test_a_file_read_without_a_header_for_a_model_of_named_columns_is_pointed_to_names(
        tmp_path, capsys):
    # its columns are then 0, 1, 2: "did you mean '1'?" for the model's 'x1' led nowhere
    train = tmp_path / "train.csv"
    x = np.linspace(-1, 1, 30)
    pd.DataFrame({"x1": x, "x2": -x, "y": 2 * x}).to_csv(train, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "-o", model, *FAST)[0] == 0
    rows = tmp_path / "rows.csv"
    rows.write_text("0.5,-0.5,1\n0.1,-0.1,0.2\n")
    line = one_error(capsys, "predict", model, rows, "--no-header")
    assert "--names" in line and "did you mean" not in line, line
    status, out, _ = run(capsys, "predict", model, rows, "--no-header", "--names", "x1,x2,y")
    assert status == 0 and out.splitlines()[0] == "y"


def test_an_unseen_category_that_differs_from_a_seen_one_by_spaces_or_case_says_which(
        tmp_path, capsys):
    # ' Paris ' and 'PARIS' are encoded as no category at all: the warning says what they
    # nearly are, so the user can fix the file rather than wonder
    model = _city_model(tmp_path, capsys)
    rows = tmp_path / "rows.csv"
    rows.write_text('x,city\n0.5," Paris "\n0.1,PARIS\n0.2,Oslo\n')
    status, _, err = run(capsys, "predict", model, rows)
    warning, = [line for line in err.splitlines() if "not seen in training" in line]
    assert status == 0 and "' Paris ' and 'PARIS' differ from 'Paris' only by spaces or case" \
        in warning, warning
    assert "Oslo" in warning


def test_the_loss_plot_of_one_epoch_shows_its_points_at_epoch_one(tmp_path, capsys, figures):
    # a line through one point draws nothing: the plot of one epoch was empty, and its axis
    # marked epochs 0.96 to 1.04
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model = tmp_path / "m.ffnn"
    status, out, _ = run(capsys, "fit", data, "--target", "c", "-o", model, "--hidden", "4",
                         "--epochs", "1", "-q")
    assert status == 0 and "trained all 1 epoch " in out
    assert run(capsys, "plot", model, "--kind", "loss", "-o", tmp_path / "loss.png")[0] == 0
    (fig, _), = figures
    assert "adam, 1 epoch," in fig.axes[0].get_title()
    curves = [line for ax in fig.axes for line in ax.get_lines() if len(line.get_xdata()) == 1]
    assert len(curves) == 3  # training loss, validation loss, validation accuracy
    assert all(line.get_marker() not in (None, "None", "", " ") for line in curves)
    low, high = fig.axes[0].get_xlim()
    assert [t for t in fig.axes[0].get_xticks() if low <= t <= high] == [1]


def _unescaped_dollars(fig):
    """The texts of a figure that matplotlib would read as mathematics: those holding a dollar
    sign not escaped as \\$ (its rule: an even number of them, here any)."""
    import re

    from matplotlib.text import Text

    fig.draw_without_rendering()  # tick labels exist once the figure is laid out
    return [t.get_text() for t in fig.findobj(Text) if re.search(r"(?<!\\)\$", t.get_text())]


def test_dollar_signs_in_names_and_labels_are_drawn_as_written(tmp_path, capsys, figures):
    # '$\alpha$' was drawn as the Greek letter, '^{x}_$1$' with a subscript, and a category
    # '$$ high' stopped the network drawing with a parser's error
    data = tmp_path / "d.csv"
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"cost ($)": x, "tier": np.where(x > 0, "$$ high", "$5 to $10"),
                  "band": np.where(x > 0.3, "^{x}_$1$", "$\\alpha$")}).to_csv(data, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "band", "-o", model, *FAST)[0] == 0
    for kind, extra in (("network", ()), ("fit", ("--data", data))):
        status, _, err = run(capsys, "plot", model, "--kind", kind, *extra, "-o",
                             tmp_path / f"{kind}.png")
        assert status == 0, err
    assert [_unescaped_dollars(fig) for fig, _ in figures] == [[], []]


def test_evaluate_says_why_a_part_of_the_rows_has_no_r2_as_fit_does(tmp_path, capsys):
    # one row of the file is new: its part's R² is nan, which fit explains and evaluate did not
    model, x = _line_model(tmp_path, capsys)
    rows = tmp_path / "rows.csv"
    pd.DataFrame({"x": [x[0], x[1], 7.5], "y": [2 * x[0], 2 * x[1], 15.0]}).to_csv(
        rows, index=False)
    status, out, err = run(capsys, "evaluate", model, rows)
    unseen, = [line for line in out.splitlines() if line.startswith("unseen rows")]
    assert status == 0 and "R² nan" in unseen
    assert "note: unseen rows: R² is not defined on a single row" in err, err


def test_predict_refuses_a_name_of_a_format_other_than_csv(tmp_path, capsys):
    # CSV text written under an Excel or image name is a file that no program for it opens
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    for name in ("out.xlsx", "out.json", "out.PNG"):
        line = one_error(capsys, "predict", model, data, "-o", tmp_path / name)
        assert "writes CSV" in line and not (tmp_path / name).exists()
    assert run(capsys, "predict", model, data, "-o", tmp_path / "out.tsv")[0] == 0


def test_fit_refuses_test_rows_under_the_name_of_a_format_other_than_csv(tmp_path, capsys):
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    line = one_error(capsys, "fit", data, "--target", "c", "-o", tmp_path / "m.ffnn",
                     "--test-out", tmp_path / "test.xlsx", *FAST)
    assert "fit writes CSV" in line and not (tmp_path / "m.ffnn").exists()


def _interrupted_to_csv(monkeypatch):
    """DataFrame.to_csv that writes a first line, then is interrupted (Ctrl-C)."""
    def to_csv(frame, path_or_buf=None, *args, **kwargs):
        if path_or_buf is None or hasattr(path_or_buf, "write") and path_or_buf in (
                __import__("sys").stdout,):
            return original(frame, path_or_buf, *args, **kwargs)
        handle = path_or_buf if hasattr(path_or_buf, "write") else open(path_or_buf, "w")
        handle.write(b"partial\n" if "b" in getattr(handle, "mode", "") else "partial\n")
        handle.flush()
        raise KeyboardInterrupt
    original = pd.DataFrame.to_csv
    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


def test_an_interrupted_predict_leaves_the_earlier_output_whole(tmp_path, capsys, monkeypatch):
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model, out = tmp_path / "m.ffnn", tmp_path / "p.csv"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    assert run(capsys, "predict", model, data, "-o", out)[0] == 0
    before = out.read_bytes()
    _interrupted_to_csv(monkeypatch)
    assert run(capsys, "predict", model, data, "-o", out)[0] != 0
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "m.ffnn", "p.csv"]


def test_an_interrupted_fit_leaves_no_part_of_its_test_rows(tmp_path, capsys, monkeypatch):
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    test = tmp_path / "test.csv"
    _interrupted_to_csv(monkeypatch)
    status, _, _ = run(capsys, "fit", data, "--target", "c", "-o", tmp_path / "m.ffnn",
                       "--test-size", "0.2", "--test-out", test, *FAST)
    assert status != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


def test_predictions_compressed_by_their_name_and_to_a_device_are_written(tmp_path, capsys):
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    assert run(capsys, "predict", model, data, "-o", tmp_path / "p.csv")[0] == 0
    assert run(capsys, "predict", model, data, "-o", tmp_path / "p.csv.gz")[0] == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "p.csv.gz"),
                                  pd.read_csv(tmp_path / "p.csv"))
    assert run(capsys, "predict", model, data, "-o", "/dev/null")[0] == 0


@pytest.mark.parametrize("name", ["test.csv.gz", "test.csv.zip", "test.csv.xz"])
def test_compressed_test_rows_are_refused_before_training(tmp_path, capsys, name):
    """fit's test rows are written for 'ffnn evaluate', which reads no compressed file: the
    command fit suggests for them would fail, so the name is refused before any work."""
    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    line = one_error(capsys, "fit", data, "--target", "c", "-o", tmp_path / "m.ffnn",
                     "--test-out", tmp_path / name, *FAST)
    assert "'ffnn evaluate', which reads no compressed file" in line and ".parquet" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


def test_an_interrupted_plot_leaves_the_earlier_image_whole(tmp_path, capsys, monkeypatch):
    from matplotlib.figure import Figure

    data = _labels_file(tmp_path / "d.csv", ("a", "b"))
    model, image = tmp_path / "m.ffnn", tmp_path / "loss.png"
    assert run(capsys, "fit", data, "--target", "c", "-o", model, *FAST)[0] == 0
    assert run(capsys, "plot", model, "--kind", "loss", "-o", image)[0] == 0
    before = image.read_bytes()
    assert before.startswith(b"\x89PNG")

    def savefig(figure, handle, **kwargs):
        handle.write(b"\x89PNG partial")
        raise KeyboardInterrupt
    monkeypatch.setattr(Figure, "savefig", savefig)
    assert run(capsys, "plot", model, "--kind", "loss", "-o", image)[0] != 0
    assert image.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "loss.png", "m.ffnn"]


def test_fit_with_impute_says_how_many_values_it_filled(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x, z = rng.normal(size=60), rng.normal(size=60)
    x[[3, 7, 9]] = np.nan
    c = np.array(["a", "b"] * 30, dtype=object)
    c[5] = None
    data = tmp_path / "d.csv"
    pd.DataFrame({"x": x, "z": z, "c": c, "y": 2 * z}).to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "y", "--impute", "--seed", "0",
                         "--validation-fraction", "0", "-o", tmp_path / "m.ffnn", *FAST)
    assert status == 0
    assert "filled 4 missing value(s) (--impute" in err and "'x' (3), 'c' (1)" in err, err


def test_the_summary_of_a_gd_model_names_no_batch_size(tmp_path, capsys):
    """gd takes one step per epoch on every row: the batch_size it was given trained nothing,
    and "batch size 16" among its settings said otherwise."""
    import warnings

    import ffnn

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    model = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), solver="gd", learning_rate_init=0.05,
                               batch_size=16, max_iter=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ffnn.save(model.fit(X, X[:, 0]), tmp_path / "gd.ffnn")
    status, out, _ = run(capsys, "summary", tmp_path / "gd.ffnn")
    settings = next(line for line in out.splitlines() if line.startswith("settings:"))
    assert status == 0 and "solver gd, learning rate 0.05, every row one batch, alpha" in settings
    assert "batch size" not in settings, settings


def test_fit_refuses_a_second_target_rather_than_training_on_the_last_alone(tmp_path, capsys):
    """`--target y --target z`, as one would ask for two outputs, trained a model of z alone,
    with y among its inputs, and said nothing of it."""
    data = tmp_path / "d.csv"
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": 2 * x, "z": x ** 2}).to_csv(data, index=False)
    model = tmp_path / "m.ffnn"
    line = one_error(capsys, "fit", data, "--target", "y", "--target", "z", "-o", model, *FAST)
    assert "--target" in line and "'y'" in line and "'z'" in line and "one target" in line, line
    assert not model.exists()
    # the same column named twice is no contradiction
    assert run(capsys, "fit", data, "--target", "y", "--target", "y", "-o", model, *FAST)[0] == 0


def test_the_note_on_r2_of_a_single_row_says_what_rmse_and_mae_are(tmp_path, capsys):
    # the note ended "RMSE and MAE are", a sentence cut short
    model, x = _line_model(tmp_path, capsys)
    row = tmp_path / "row.csv"
    pd.DataFrame({"x": [7.5], "y": [15.0]}).to_csv(row, index=False)
    status, out, err = run(capsys, "evaluate", model, row)
    note, = [line for line in err.splitlines() if "R² is not defined" in line]
    assert status == 0 and note.endswith("RMSE and MAE are both the row's absolute error"), note
    rmse, mae = (float(out.split(name + " ")[1].split()[0]) for name in ("RMSE", "MAE"))
    assert rmse == mae


@pytest.mark.parametrize("rows", [["1,5"], ["1,5", "2,0"], ["0,75", "1,25"]])
def test_numbers_with_a_decimal_comma_are_not_taken_for_row_numbers_and_values(
        tmp_path, capsys, rows):
    """A file of one column written with decimal commas, `1,5`, read as comma-separated, has
    two fields a row: pandas took the first, 1, for a row number and the second for the value,
    5, and a first field counting 0, 1, … or 1, 2, … was let through as row numbers: the model
    predicted at x = 5 for x = 1.5, without a word."""
    model, _ = _line_model(tmp_path, capsys)
    new = tmp_path / "new.csv"
    new.write_text("x\n" + "\n".join(rows) + "\n")
    line = one_error(capsys, "predict", model, new)
    assert "decimal comma" in line and "row numbers" in line, line
    # row numbers beside numbers that no decimal comma makes (R's write.table) still read
    (tmp_path / "r.csv").write_text('"x"\n"1",0.5\n"2",-0.25\n')
    status, out, _ = run(capsys, "predict", model, tmp_path / "r.csv")
    assert status == 0 and len(out.splitlines()) == 3
    # and so does a column of whole numbers after a blank line, which pandas skips
    (tmp_path / "blank.csv").write_text("\nx\n1\n2\n")
    status, out, _ = run(capsys, "predict", model, tmp_path / "blank.csv")
    assert status == 0 and len(out.splitlines()) == 3


def test_a_decimal_comma_taken_from_the_model_is_not_said_to_be_detected(tmp_path, capsys):
    # a file of whole numbers writes no decimal mark: the comma it is read with is the model's
    train = tmp_path / "train.csv"
    x = np.linspace(0, 3, 30)
    pd.DataFrame({"x": x, "y": 2 * x}).to_csv(train, sep=";", decimal=",", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "-o", model, *FAST)[0] == 0
    (tmp_path / "whole.csv").write_text("x\n15\n2\n")
    status, _, err = run(capsys, "predict", model, tmp_path / "whole.csv")
    assert status == 0 and "decimal commas (as the model's)" in err, err
    assert "(detected)" not in err


@pytest.mark.parametrize("value", [3.5, 0.1])
def test_a_target_of_one_value_is_warned_of(tmp_path, capsys, value):
    """A regression target holding one value in every training row (a column named by mistake,
    or a filtered export) trained without a word, every epoch scoring R² 0; a feature of one
    value is warned of, and a classification target of one class refused."""
    data = tmp_path / "d.csv"
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": value}).to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "y", "-o", tmp_path / "m.ffnn", *FAST)
    assert status == 0
    assert (f"warning: the target column 'y' holds one value ({value}) in every training row: "
            "there is nothing for the network to learn") in err, err
    # a target that varies is not warned of
    _, x = _line_model(tmp_path, capsys)
    status, _, err = run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "-o",
                         tmp_path / "n.ffnn", *FAST)
    assert status == 0 and "target column" not in err


def test_the_fit_plot_of_one_row_says_r2_is_not_defined_there(tmp_path, capsys, figures):
    # its title read "R² nan on 1 rows of one.csv", and its legend "rows (1): R² nan"
    model, _ = _line_model(tmp_path, capsys)
    one = tmp_path / "one.csv"
    pd.DataFrame({"x": [7.5], "y": [15.0]}).to_csv(one, index=False)
    assert run(capsys, "plot", model, "--kind", "fit", "--data", one, "-o",
               tmp_path / "fit.png")[0] == 0
    (fig, _), = figures
    ax, = fig.axes
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert ax.get_title().endswith("R² not defined on 1 row of one.csv"), ax.get_title()
    assert "rows (1): R² not defined" in legend, legend


def test_rows_ending_with_a_separator_are_refused_rather_than_shifted_one_column(tmp_path,
                                                                                 capsys):
    """Rows ending with a separator the header lacks ('1,0.5,3,') have a field more than the
    header: pandas took the first, an id counting 1, 2, …, for row numbers, let through as
    such, and read every value one column on, the last column empty; a model that imputes
    filled it and predicted from shifted values, saying only that it filled them."""
    train = tmp_path / "train.csv"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    frame.assign(y=frame.a - frame.b).to_csv(train, index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", train, "--target", "y", "--impute", "-o", model, *FAST)[0] == 0
    rows = "".join(f"{i + 1},{a!r},{b!r},\n" for i, (a, b) in enumerate(frame.to_numpy()[:5].tolist()))
    (tmp_path / "ids.csv").write_text("id,a,b\n" + rows)
    line = one_error(capsys, "predict", model, tmp_path / "ids.csv")
    assert "the rows end with a separator" in line, line
    # without the id, the first field is no row number: refused before, now saying why
    (tmp_path / "plain.csv").write_text("a,b\n" + "".join(row.split(",", 1)[1] + "\n"
                                                          for row in rows.splitlines()))
    line = one_error(capsys, "predict", model, tmp_path / "plain.csv")
    assert "the rows end with a separator" in line, line


def test_proba_of_a_regression_model_is_refused_as_the_option_it_is(tmp_path, capsys):
    # the refusal named the data file, as if its rows were at fault
    model, x = _line_model(tmp_path, capsys)
    rows = tmp_path / "rows.csv"
    pd.DataFrame({"x": x[:3]}).to_csv(rows, index=False)
    line = one_error(capsys, "predict", model, rows, "--proba")
    assert line.startswith("ffnn: error: --proba: ") and "regression" in line, line
    assert "leave out --proba" in line and "rows.csv" not in line
