"""The command line, end to end through main(argv), on small files the tests write."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn


def _regression_csv(path, n=240, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "area": rng.uniform(40, 200, n),
        "rooms": rng.integers(1, 7, n),
        "city": rng.choice(["north", "south", "east"], n),
        "id": np.arange(n),
    })
    bonus = frame["city"].map({"north": 50.0, "south": 0.0, "east": -30.0})
    frame["price"] = 3.0 * frame["area"] + 20 * frame["rooms"] + bonus + rng.normal(0, 10, n)
    frame.to_csv(path, index=False)
    return frame


def _classification_csv(path, n=300, classes=("cat", "dog"), seed=0):
    rng = np.random.default_rng(seed)
    k = len(classes)
    label = rng.integers(0, k, n)
    frame = pd.DataFrame({
        "x1": rng.normal(size=n) + 2.5 * label,
        "x2": rng.normal(size=n) - 1.5 * label,
        "colour": np.where(rng.uniform(size=n) < 0.8, np.array(["red", "blue", "green"])[label % 3],
                           "blue"),
    })
    frame["animal"] = np.array(classes)[label]
    frame.to_csv(path, index=False)
    return frame


def test_regression_fit_predict_evaluate_summary(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "houses.ffnn"
    _regression_csv(data)
    status, out, err = run(capsys, "fit", data, "--target", "price", "--drop", "id",
                            "--hidden", "32", "--solver", "lbfgs", "--epochs", "300", "-o", model)
    assert status == 0, err
    assert "training:" in out and "validation:" in out and "R²" in out
    assert "regression" in err and "iteration 300/300" in err  # progress lines (not a terminal)
    validation_r2 = float(out.split("validation:")[1].split("R²")[1].split()[0])
    assert validation_r2 > 0.95
    status, out, _ = run(capsys, "predict", model, data, "--keep", "id")
    assert status == 0
    predictions = pd.read_csv(__import__("io").StringIO(out))
    assert list(predictions.columns) == ["id", "price"] and len(predictions) == 240
    status, out, _ = run(capsys, "evaluate", model, data)
    assert status == 0 and "R² " in out and "RMSE" in out and "MAE" in out
    status, out, _ = run(capsys, "summary", model)
    assert status == 0 and "hidden 1" in out and "categorical column 'city'" in out
    # the loss is that of the standardised target, not of prices: a loss of 0.01 is no
    # squared error of 0.01 in the file's units
    loss = ffnn.load(model).estimator.loss_
    assert f"last iteration's loss {loss:.6g} (in units of the standardised target)" in out
    # L-BFGS takes no learning rate and no batches: the settings name neither
    settings = next(line for line in out.splitlines() if line.startswith("settings:"))
    assert "solver lbfgs, alpha" in settings and "max iterations 300" in settings, settings
    assert "learning rate" not in settings and "batch size" not in settings



def test_kept_columns_are_never_overwritten_by_predictions(tmp_path, capsys):
    """A kept column named <target>_predicted was replaced by the predictions."""
    data, model = tmp_path / "pets.csv", tmp_path / "pets.ffnn"
    frame = _classification_csv(data, n=60)
    frame.assign(animal_predicted="kept", proba_cat=0.5).to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "animal", "--drop",
                         "animal_predicted,proba_cat", "--epochs", "2", "-q", "-o", model)
    assert status == 0, err
    status, out, err = run(capsys, "predict", model, data, "--keep",
                           "animal,animal_predicted")
    assert status == 0, err
    predictions = pd.read_csv(__import__("io").StringIO(out))
    assert list(predictions.columns) == ["animal", "animal_predicted",
                                         "animal_predicted_predicted"]
    assert (predictions["animal_predicted"] == "kept").all()
    assert set(predictions["animal_predicted_predicted"]) <= {"cat", "dog"}
    line = one_error(capsys, "predict", model, data, "--keep", "proba_cat", "--proba")
    assert "--keep keeps a column named 'proba_cat', which --proba writes" in line

def test_a_list_option_given_twice_gathers_both(tmp_path, capsys):
    """A second --drop replaced the first: the column it named, an identifier, was trained on."""
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _regression_csv(data, n=60)
    frame.loc[3, "area"] = -1.0
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "price", "--drop", "id", "--drop",
                         "rooms", "--na-values", "-1", "--na-values", "?", "--impute",
                         "--epochs", "2", "-q", "-o", model)
    assert status == 0, err
    loaded = ffnn.load(model)
    assert loaded.preprocessor.columns == ["area", "city"]
    assert loaded.read_options.na_values == ["-1", "?"]
    status, out, err = run(capsys, "predict", model, data, "--keep", "id", "--keep", "rooms")
    assert status == 0, err
    assert out.splitlines()[0] == "id,rooms,price"


def test_list_options_name_columns_whose_names_hold_commas(tmp_path, capsys):
    """--drop 'id, internal' was split at its comma into columns 'id' and 'internal', which the
    file lacks, and the error listed the columns unquoted, as if 'id' were one."""
    data, model = tmp_path / "income.csv", tmp_path / "m.ffnn"
    frame = _regression_csv(data, n=60).rename(columns={"id": "id, internal",
                                                        "city": "city,code"})
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "price", "--drop", "id, internal",
                         "--categorical", "city,code", "--epochs", "2", "-q", "-o", model)
    assert status == 0, err
    assert ffnn.load(model).preprocessor.columns == ["area", "rooms", "city,code"]
    status, out, err = run(capsys, "predict", model, data, "--keep", "id,internal,rooms")
    assert status == 0, err
    assert out.splitlines()[0] == '"id, internal",rooms,price'
    line = one_error(capsys, "predict", model, data, "--keep", "id")
    assert "the columns are area, rooms, 'city,code', 'id, internal', price" in line


def test_missing_value_markers_given_to_predict_add_to_the_model_s(tmp_path, capsys):
    """--na-values '-' given to predict replaced the model's '?', whose rows were then
    refused as text in a numeric column, with the advice to pass --na-values."""
    data, model, new = tmp_path / "cars.csv", tmp_path / "m.ffnn", tmp_path / "new.csv"
    frame = _regression_csv(data, n=60).astype({"area": object})
    frame.loc[3, "area"] = "?"
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "price", "--na-values", "?",
                         "--impute", "--epochs", "2", "-q", "-o", model)
    assert status == 0, err
    new.write_text("area,rooms,city,id\n?,2,north,1\n-,3,south,2\n120,4,east,3\n")
    status, out, err = run(capsys, "predict", model, new, "--na-values", "-")
    assert status == 0, err
    assert len(out.splitlines()) == 4 and "filled 2 missing value(s)" in err


def test_quiet_fit_prints_no_progress(tmp_path, capsys):
    data = tmp_path / "houses.csv"
    _regression_csv(data, n=60)
    status, out, err = run(capsys, "fit", data, "--target", "price", "--epochs", "5", "-q",
                            "-o", tmp_path / "m.ffnn")
    assert status == 0 and "epoch" not in err


def test_binary_classification_with_string_labels_and_categories(tmp_path, capsys):
    data, model = tmp_path / "pets.csv", tmp_path / "pets.ffnn"
    frame = _classification_csv(data)
    status, out, err = run(capsys, "fit", data, "--target", "animal", "--epochs", "60",
                            "--lr", "0.01", "-o", model)
    assert status == 0, err
    assert "classification" in err and "val accuracy" in err
    status, out, _ = run(capsys, "predict", model, data, "--proba")
    table = pd.read_csv(__import__("io").StringIO(out))
    assert list(table.columns) == ["proba_cat", "proba_dog", "animal"]
    np.testing.assert_allclose(table[["proba_cat", "proba_dog"]].sum(axis=1), 1.0)
    assert (table["animal"] == frame["animal"]).mean() > 0.9
    status, out, _ = run(capsys, "evaluate", model, data)
    assert status == 0
    for word in ("accuracy", "log loss", "ROC AUC", "confusion matrix", "cat", "dog"):
        assert word in out


def test_multiclass_with_string_labels(tmp_path, capsys):
    data, model = tmp_path / "three.csv", tmp_path / "three.ffnn"
    _classification_csv(data, classes=("ant", "bee", "cow"))
    status, out, err = run(capsys, "fit", data, "--target", "animal", "--epochs", "80",
                            "--lr", "0.01", "--hidden", "16,8", "--activation", "tanh,relu",
                            "-o", model)
    assert status == 0, err
    loaded = ffnn.load(model)
    assert list(loaded.classes_) == ["ant", "bee", "cow"]
    assert loaded.estimator.out_activation_ == "softmax"
    status, out, _ = run(capsys, "evaluate", model, data)
    assert "ROC AUC" not in out and "accuracy" in out


def test_missing_values_error_then_impute(tmp_path, capsys):
    data = tmp_path / "gaps.csv"
    frame = _regression_csv(data, n=80)
    frame.loc[[3, 7], "area"] = np.nan
    frame.loc[[5], "city"] = np.nan
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "price", "-o", tmp_path / "m.ffnn")
    assert status == 2
    assert "missing values in column(s) 'area' (2), 'city' (1)" in err and "--impute" in err
    assert len(err.strip().splitlines()) == 1
    status, out, err = run(capsys, "fit", data, "--target", "price", "--impute", "--epochs",
                            "20", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    status, out, _ = run(capsys, "predict", tmp_path / "m.ffnn", data)
    assert status == 0 and "nan" not in out.lower()


def test_missing_values_given_to_a_model_that_fills_none_name_a_fix_that_exists(tmp_path,
                                                                                capsys):
    """predict and evaluate take no --impute: their error says what to do instead."""
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _regression_csv(data, n=80)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "5", "-q", "-o", model)[0] == 0
    frame.loc[[2], "area"] = np.nan
    frame.to_csv(tmp_path / "new.csv", index=False)
    for command in ("predict", "evaluate"):
        line = one_error(capsys, command, model, tmp_path / "new.csv")
        assert "missing values in column(s) 'area' (1)" in line
        assert "trained without --impute" in line and "pass --impute" not in line


def test_extra_columns_are_ignored_and_missing_columns_are_named(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "houses.ffnn"
    frame = _regression_csv(data, n=80)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "5", "-q", "-o", model)[0] == 0
    extra = frame.assign(colour="red", note="x").drop(columns=["price"])
    extra.to_csv(tmp_path / "extra.csv", index=False)
    status, out, _ = run(capsys, "predict", model, tmp_path / "extra.csv")
    assert status == 0 and len(out.strip().splitlines()) == 81
    frame.drop(columns=["rooms", "city"]).to_csv(tmp_path / "fewer.csv", index=False)
    status, _, err = run(capsys, "predict", model, tmp_path / "fewer.csv")
    assert status == 2
    assert "fewer.csv" in err and "'rooms', 'city'" in err and "missing" in err


def test_parquet_file(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    frame = _regression_csv(tmp_path / "h.csv", n=100)
    frame.to_parquet(tmp_path / "h.parquet")
    status, out, err = run(capsys, "fit", tmp_path / "h.parquet", "--target", "price",
                            "--epochs", "10", "-q", "-o", tmp_path / "p.ffnn")
    assert status == 0, err
    status, out, _ = run(capsys, "predict", tmp_path / "p.ffnn", tmp_path / "h.parquet")
    assert status == 0 and len(out.strip().splitlines()) == 101


@pytest.mark.parametrize("kind", ["loss", "network", "fit"])
def test_plots_write_png_files(tmp_path, capsys, kind):
    from PIL import Image

    data, model = tmp_path / "pets.csv", tmp_path / "pets.ffnn"
    _classification_csv(data)
    assert run(capsys, "fit", data, "--target", "animal", "--epochs", "10", "-q", "-o",
                model)[0] == 0
    png = tmp_path / f"{kind}.png"
    extra = ["--data", data] if kind == "fit" else []
    status, _, err = run(capsys, "plot", model, "--kind", kind, *extra, "-o", png)
    assert status == 0, err
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size[0] >= 300 and image.size[1] >= 200


def test_regression_fit_plot(tmp_path, capsys):
    from PIL import Image

    data, model = tmp_path / "h.csv", tmp_path / "h.ffnn"
    _regression_csv(data, n=80)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "5", "-q", "-o",
                model)[0] == 0
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
                tmp_path / "fit.png")[0] == 0
    with Image.open(tmp_path / "fit.png") as image:
        assert image.format == "PNG" and image.size[0] >= 500 and image.size[1] >= 500


class TestUserErrors:
    """Every user error: exit status 2 and one line naming the file, column or option."""

    @pytest.fixture()
    def files(self, tmp_path, capsys):
        data, model = tmp_path / "houses.csv", tmp_path / "houses.ffnn"
        _regression_csv(data, n=60)
        assert run(capsys, "fit", data, "--target", "price", "--epochs", "3", "-q", "-o",
                    model)[0] == 0
        return data, model

    def _error(self, capsys, *argv):
        status, out, err = run(capsys, *argv)
        assert status == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ffnn: error: ")
        assert "Traceback" not in err
        return lines[0]

    def test_missing_data_file(self, capsys, tmp_path):
        line = self._error(capsys, "fit", tmp_path / "nope.csv", "--target", "y", "-o", "m")
        assert "nope.csv: no such file" in line

    def test_unknown_target_column(self, capsys, files):
        line = self._error(capsys, "fit", files[0], "--target", "cost", "-o", "m.ffnn")
        assert "houses.csv" in line and "no column 'cost'" in line and "price" in line

    def test_unknown_drop_column(self, capsys, files):
        line = self._error(capsys, "fit", files[0], "--target", "price", "--drop", "zzz",
                           "-o", "m.ffnn")
        assert "'zzz'" in line

    @pytest.mark.parametrize("option, value, expected", [
        ("--hidden", "64,x", "--hidden"), ("--epochs", "0", "--epochs"),
        ("--lr", "-1", "--lr"), ("--solver", "newton", "--solver"),
        ("--activation", "swish", "swish"), ("--validation-fraction", "1.5", "--validation"),
        ("--batch-size", "many", "--batch-size"),
    ])
    def test_bad_option_values(self, capsys, files, option, value, expected):
        line = self._error(capsys, "fit", files[0], "--target", "price", option, value,
                           "-o", "m.ffnn")
        assert expected in line

    @pytest.mark.parametrize("seed", ["-1", "4294967296"])
    def test_a_seed_that_no_random_generator_takes(self, capsys, files, seed):
        line = self._error(capsys, "fit", files[0], "--target", "price", "--seed", seed,
                           "-o", "m.ffnn")
        assert "argument --seed" in line and "4294967295" in line and seed in line
        assert "random_state" not in line

    def test_unreadable_csv(self, capsys, tmp_path):
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n1,2\n3,4,5\n")
        line = self._error(capsys, "fit", bad, "--target", "a", "-o", "m.ffnn")
        assert "bad.csv" in line and "row 2" in line

    def test_corrupt_model_file(self, capsys, files, tmp_path):
        broken = tmp_path / "broken.ffnn"
        broken.write_bytes(files[1].read_bytes()[:100])
        line = self._error(capsys, "predict", broken, files[0])
        assert "broken.ffnn" in line

    def test_model_file_that_is_not_a_model(self, capsys, files):
        line = self._error(capsys, "summary", files[0])
        assert "houses.csv" in line

    @pytest.mark.parametrize("command", ["predict", "evaluate"])
    def test_model_and_data_given_the_other_way_round(self, capsys, files, command):
        data, model = files
        line = self._error(capsys, command, data, model)
        assert f"{model} is a model file: the model comes first" in line

    def test_plot_data_given_as_the_model(self, capsys, files, tmp_path):
        data, model = files
        line = self._error(capsys, "plot", data, "--kind", "fit", "--data", model, "-o",
                           tmp_path / "f.png")
        assert "the model comes first" in line

    def test_target_missing_at_evaluate(self, capsys, files, tmp_path):
        frame = pd.read_csv(files[0]).drop(columns=["price"])
        frame.to_csv(tmp_path / "x.csv", index=False)
        line = self._error(capsys, "evaluate", files[1], tmp_path / "x.csv")
        assert "x.csv" in line and "'price'" in line

    def test_plot_fit_needs_data(self, capsys, files, tmp_path):
        line = self._error(capsys, "plot", files[1], "--kind", "fit", "-o", tmp_path / "f.png")
        assert "--data" in line

    def test_plots_of_the_model_alone_read_no_data(self, capsys, files, tmp_path):
        """--data beside --kind loss was ignored without a word."""
        line = self._error(capsys, "plot", files[1], "--kind", "loss", "--data", files[0],
                           "-o", tmp_path / "f.png")
        assert "--kind loss draws the model alone and reads no --data" in line
        assert not (tmp_path / "f.png").exists()

    def test_debug_shows_a_traceback(self, capsys, tmp_path):
        status, _, err = run(capsys, "--debug", "fit", tmp_path / "nope.csv", "--target", "y",
                              "-o", "m")
        assert status == 2 and "Traceback" in err


def test_version_and_help(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"ffnn {ffnn.__version__}"
    for command in ("fit", "predict", "evaluate", "summary", "plot", "demo"):
        status, out, _ = run(capsys, command, "--help")
        assert status == 0 and "examples:" in out and f"ffnn {command}" in out


def test_demo_out_naming_a_file_is_refused_by_what_it_is(tmp_path, capsys):
    """--out names the folder the demo fills: a file of that name is refused, saying so, and
    left as it was."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    line = one_error(capsys, "demo", "--out", taken, "-q")
    assert line == (f"ffnn: error: --out {taken} is a file, not a folder; give the name of a "
                    "folder for the demo's models, data and plots")
    assert taken.read_text() == "mine\n"


@pytest.mark.slow
def test_demo_runs_and_leaves_models_and_plots(tmp_path, capsys):
    status, out, err = run(capsys, "demo", "--out", tmp_path, "-q")
    assert status == 0, err
    assert "computes |x| exactly on this grid: True" in out
    accuracy = float(out.split("test accuracy ")[1].split(",")[0])
    assert accuracy >= 0.97
    for name in ("abs_exact.ffnn", "abs_fitted.ffnn", "breast_cancer.ffnn", "breast_cancer.csv",
                 "breast_cancer_loss.png", "breast_cancer_network.png", "breast_cancer_fit.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert "ffnn fit " in out and "ffnn evaluate " in out
    np.testing.assert_array_equal(ffnn.load(tmp_path / "abs_exact.ffnn").forward([[-3.0], [2.0]]),
                                  [[3.0], [2.0]])
    # The commands the demo prints, run exactly as printed, make what it saved, bit for bit.
    import shlex

    redo = out.split("To redo each step from the CSV files:\n")[1].split("To look at")[0]
    commands = [shlex.split(line) for line in redo.strip().splitlines()]
    assert [c[:2] for c in commands] == [["ffnn", "fit"], ["ffnn", "plot"], ["ffnn", "fit"],
                                         ["ffnn", "predict"]] + [["ffnn", "plot"]] * 3
    models = {name: ffnn.load(tmp_path / name) for name in ("abs_fitted.ffnn",
                                                            "breast_cancer.ffnn")}
    saved = {name: (tmp_path / name).read_bytes() for name in ("predictions.csv",
                                                                "breast_cancer_test.csv")}
    for command in commands:
        status, _, err = run(capsys, *command[1:])
        assert status == 0 and "warning" not in err.lower(), (command, err)
    for name, before in models.items():
        after = ffnn.load(tmp_path / name)
        np.testing.assert_array_equal(after.estimator.network_.params,
                                      before.estimator.network_.params)
        assert after.metrics == before.metrics
    for name, before in saved.items():
        assert (tmp_path / name).read_bytes() == before
    # what the demo says about learning rates matches what it ran
    assert "--lr 0.1" in redo and "learning rate differs" in out.replace("\n  ", " ")


def test_a_misspelt_option_is_named_with_the_closest_one(capsys):
    line = one_error(capsys, "fit", "data.csv", "--traget", "y", "-o", "m.ffnn")
    assert line == ("ffnn: error: 'ffnn fit' has no option --traget (did you mean '--target'?) "
                    "(see 'ffnn fit --help')")
    line = one_error(capsys, "predict", "m.ffnn", "new.csv", "--prob")  # abbreviations still work
    assert "--prob" not in line and "no such file" in line
    line = one_error(capsys, "evaluate", "m.ffnn", "new.csv", "--frobnicate=1")
    assert "'ffnn evaluate' has no option --frobnicate (see 'ffnn evaluate --help')" in line
    for argv in (["fti", "data.csv"], ["--debug", "fti", "data.csv"]):  # a misspelt command
        line = one_error(capsys, *argv)
        assert line == ("ffnn: error: unknown command 'fti' (did you mean 'fit'?); choose from "
                        "fit, predict, evaluate, summary, plot, demo (see 'ffnn --help')")
    line = one_error(capsys, "--debug", "fit", "data.csv", "--traget", "y", "-o", "m.ffnn")
    assert "'ffnn fit' has no option --traget (did you mean '--target'?)" in line


def test_a_stop_at_tol_zero_suggests_no_smaller_tol():
    """--tol cannot go below 0: at 0 the message says the loss stopped improving, with no hint to
    lower --tol; above 0 it keeps the hint."""
    from types import SimpleNamespace

    from ffnn.cli.stopping import why_stopped

    def estimator(tol):
        return SimpleNamespace(solver="adam", n_iter_=340, n_iter_no_change=10, tol=tol,
                               early_stopping=False)

    at_zero = why_stopped(estimator(0.0), "no_improvement", 1000, "accuracy")
    assert at_zero == ("stopped at epoch 340 of 1000: the training loss did not improve on its "
                       "best for 11 epochs in a row")
    assert "smaller --tol" in why_stopped(estimator(1e-4), "no_improvement", 1000, "accuracy")


def test_lbfgs_says_which_of_its_rules_stopped_it():
    """L-BFGS stops when the gradient falls below tol, or when a step lowers the loss by less than
    SciPy's relative ftol with the gradient still above tol: the words name the rule that held."""
    from types import SimpleNamespace

    from ffnn.cli.stopping import why_stopped

    lbfgs = SimpleNamespace(solver="lbfgs", n_iter_=74, n_iter_no_change=10, tol=1e-4,
                            early_stopping=False)
    assert why_stopped(lbfgs, "converged", 500, "R²") == (
        "L-BFGS converged at iteration 74 of 500 (the gradient fell below tol)")
    stalled = why_stopped(lbfgs, "loss_converged", 500, "R²")
    assert stalled.startswith("L-BFGS stopped at iteration 74 of 500")
    assert "gradient fell below" not in stalled and "ftol" in stalled


def test_python_dash_m_ffnn_runs_the_command_line(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "ffnn", "--version"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ffnn.__version__ in done.stdout + done.stderr


@pytest.mark.parametrize("options, said", [
    (["--hidden", "none", "--activation", "tanh"], ["--activation has no effect"]),
    (["--solver", "lbfgs", "--batch-size", "16", "--lr", "0.1", "--early-stopping"],
     ["--batch-size has no effect", "--lr has no effect", "--early-stopping has no effect"]),
    (["--solver", "gd", "--batch-size", "16"], ["--batch-size has no effect"]),
    (["--activation", "tanh", "--batch-size", "16", "--lr", "0.01"], []),
    # 60 rows, 12 of them validation rows: a batch of more than 48 is clipped to all of them
    (["--batch-size", "100"], ["--batch-size 100 has no effect beyond the 48 training rows"]),
    (["--batch-size", "48"], []),
    # without validation rows no epoch is chosen: the last one's weights are kept anyway
    (["--validation-fraction", "0", "--keep-last"], ["--keep-last has no effect"]),
    (["--keep-last"], []),
])
def test_options_that_training_ignores_are_said(tmp_path, capsys, options, said):
    """An option the chosen network, solver or split does not use was dropped without a word."""
    data = tmp_path / "houses.csv"
    _regression_csv(data, n=60)
    status, _, err = run(capsys, "fit", data, "--target", "price", "-o", tmp_path / "m.ffnn",
                         "--epochs", "3", "-q", *options)
    assert status == 0, err
    warnings = [line for line in err.splitlines() if "has no effect" in line]
    assert len(warnings) == len(said)
    for line, words in zip(warnings, said):
        assert line.startswith(f"warning: {words}")


def test_a_guess_of_classes_from_whole_numbers_is_said(tmp_path, capsys):
    """A target of a few whole numbers (counts, ratings) is taken for classes: said, with the
    option that makes it amounts; not where the task was asked for or the labels are text."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=120)
    data = tmp_path / "counts.csv"
    pd.DataFrame({"x": x, "y": np.clip(np.round(3 + 2 * x), 0, 6).astype(int)}).to_csv(
        data, index=False)
    common = ["fit", data, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn"]
    status, _, err = run(capsys, *common)
    assert status == 0 and "note: the target column 'y' holds 7 distinct whole numbers, taken " \
        "as classes (classification); if they are amounts, pass --task regression" in err
    for options in (["--task", "classification"], ["--task", "regression"]):
        status, _, err = run(capsys, *common, *options)
        assert status == 0 and "taken as classes" not in err
    text = tmp_path / "animals.csv"
    _classification_csv(text)
    status, _, err = run(capsys, "fit", text, "--target", "animal", "--epochs", "2", "-q", "-o",
                         tmp_path / "m.ffnn")
    assert status == 0 and "taken as classes" not in err


def test_tol_help_counts_the_epochs_that_training_waits(capsys):
    """`fit --help` says how many epochs in a row without a new best loss stop training: as many
    as a fit waits after its best epoch."""
    import re

    _, out, _ = run(capsys, "fit", "--help")
    said = {int(n) for n in re.findall(r"(\d+) epochs in a row", " ".join(out.split()))}
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X[:, 0] + rng.normal(size=100)
    model = ffnn.FFNNRegressor(tol=0, max_iter=5000, solver="sgd", learning_rate_init=0.5,
                               random_state=0).fit(X, y)
    assert model.n_iter_ < 5000
    waited = model.n_iter_ - (int(np.argmin(model.loss_curve_)) + 1)
    assert said == {waited}


def test_a_models_commands_help_gives_the_header_default_they_use(tmp_path, capsys):
    """predict, evaluate and plot read a file's header as the model's training file was read
    (not 'yes' as fit does), and their --help says so."""
    for command in ("predict", "evaluate", "plot"):
        _, out, _ = run(capsys, command, "--help")
        text = " ".join(out.split())
        assert "(default: as in the file the model was trained on)" in text
        assert "(default: yes)" not in text
    _, out, _ = run(capsys, "fit", "--help")
    assert "(default: yes)" in " ".join(out.split())
    frame = _regression_csv(tmp_path / "houses.csv")[["area", "rooms", "price"]]
    frame.to_csv(tmp_path / "headless.csv", index=False, header=False)
    status, _, err = run(capsys, "fit", tmp_path / "headless.csv", "--no-header", "--target",
                         "-1", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "headless.csv")
    assert status == 0, err
    assert len(out.splitlines()) == len(frame) + 1  # every line a row, none taken for a header


def test_force_replaces_a_checkpoint_file_as_its_help_says(tmp_path, capsys):
    _, out, _ = run(capsys, "fit", "--help")
    assert "replace an existing -o (or --checkpoint) file" in " ".join(out.split())
    _regression_csv(tmp_path / "houses.csv")
    (tmp_path / "notes.txt").write_text("not a model\n")
    argv = ("fit", tmp_path / "houses.csv", "--target", "price", "--epochs", "2", "-q",
            "--checkpoint", tmp_path / "notes.txt", "-o", tmp_path / "m.ffnn")
    assert "pass --force to replace it" in one_error(capsys, *argv)
    assert run(capsys, *argv, "--force")[0] == 0


def test_a_model_saved_from_python_is_named_by_its_class_where_a_table_model_is_needed(
        tmp_path, capsys):
    X = np.random.default_rng(0).normal(size=(20, 2))
    model = ffnn.FFNNRegressor(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=3).fit(
        X, X[:, 0])
    ffnn.save(model, tmp_path / "python.ffnn")
    pd.DataFrame(X, columns=["a", "b"]).to_csv(tmp_path / "new.csv", index=False)
    status, _, err = run(capsys, "predict", tmp_path / "python.ffnn", tmp_path / "new.csv")
    assert status == 2
    assert ("python.ffnn: holds FFNNRegressor (saved from Python), not a model trained by "
            "'ffnn fit'; predict from Python with ffnn.load(path).predict(X)") in err


def test_a_network_saved_from_python_is_told_to_predict_with_forward(tmp_path, capsys):
    # A Network has no predict method: the advice must name the method it has, and it must run.
    X = np.random.default_rng(0).normal(size=(5, 2))
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    ffnn.save(net, tmp_path / "net.ffnn")
    pd.DataFrame(X, columns=["a", "b"]).to_csv(tmp_path / "new.csv", index=False)
    status, _, err = run(capsys, "predict", tmp_path / "net.ffnn", tmp_path / "new.csv")
    assert status == 2
    assert "net.ffnn: holds Network (saved from Python)" in err
    assert "ffnn.load(path).forward(X)" in err and ".predict(X)" not in err
    np.testing.assert_array_equal(ffnn.load(tmp_path / "net.ffnn").forward(X), net.forward(X))


def test_evaluate_of_a_model_saved_from_python_points_to_its_score(tmp_path, capsys):
    # evaluate scores: the advice to predict from Python named no way to get the score
    X = np.random.default_rng(0).normal(size=(20, 2))
    model = ffnn.FFNNClassifier(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=3).fit(
        X, X[:, 0] > 0)
    ffnn.save(model, tmp_path / "python.ffnn")
    frame = pd.DataFrame(X, columns=["a", "b"]).assign(y=X[:, 0] > 0)
    frame.to_csv(tmp_path / "new.csv", index=False)
    status, _, err = run(capsys, "evaluate", tmp_path / "python.ffnn", tmp_path / "new.csv")
    assert status == 2
    assert ("python.ffnn: holds FFNNClassifier (saved from Python), not a model trained by "
            "'ffnn fit'; score it from Python with ffnn.load(path).score(X, y)") in err, err
    loaded = ffnn.load(tmp_path / "python.ffnn")
    assert loaded.score(X, X[:, 0] > 0) == model.score(X, X[:, 0] > 0)


def test_the_command_lines_description_names_both_formats_it_reads(capsys):
    """fit, predict and evaluate read Parquet files as well as CSV: `ffnn --help` says so."""
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "train on a CSV or Parquet file, predict, evaluate, plot" in " ".join(out.split())
