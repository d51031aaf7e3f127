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


def _drop_advice(text):
    """The words of the last '--drop ...' that `text` suggests, as a shell splits them."""
    return shlex.split("--drop" + text.rsplit("--drop", 1)[1].splitlines()[0])


@pytest.mark.parametrize("name", ["-k", " id", "-k x"])
def test_the_drop_suggested_for_a_column_drops_it(tmp_path, capsys, name):
    """'--drop -k' was refused (an option's value read as an option), and '--drop ' id''
    named no column (the name is stripped, and ' id' was then said to be meant)."""
    frame = _table()
    frame[name] = [f"r{k}" for k in range(len(frame))] if name.strip() == "id" else 1
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    argv = ["fit", data, "--target", "y", "--epochs", "2", "-o", tmp_path / "m.ffnn"]
    status, _, err = run(capsys, *argv)
    assert status == 0 and repr(name) in err, err
    status, _, err = run(capsys, *argv, *_drop_advice(err))
    assert status == 0 and "warning" not in err, err


def test_the_drop_suggested_for_an_empty_column_drops_it(tmp_path, capsys):
    frame = _table()
    frame["-e"] = np.nan
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    argv = ["fit", data, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn"]
    line = one_error(capsys, *argv)
    assert "'-e' holds no value at all" in line, line
    assert run(capsys, *argv, *_drop_advice(line))[0] == 0


@pytest.mark.parametrize("command", ["predict", "evaluate", "plot"])
def test_running_out_of_memory_suggests_only_options_the_command_takes(tmp_path, capsys,
                                                                       monkeypatch, command):
    """predict, evaluate and plot were told to use --drop or --dtype float32, which only fit
    takes."""
    data, model = tmp_path / "data.csv", tmp_path / "m.ffnn"
    _table().to_csv(data, index=False)
    assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q", "-o", model)[0] == 0

    def exhausted(*args, **kwargs):
        raise MemoryError("Unable to allocate 3.2 GiB for an array")

    monkeypatch.setattr(pd, "read_csv", exhausted)
    argv = {"predict": ["predict", model, data], "evaluate": ["evaluate", model, data],
            "plot": ["plot", model, "--kind", "fit", "--data", data, "-o", tmp_path / "f.png"]}
    line = one_error(capsys, *argv[command])
    assert "out of memory while reading" in line
    assert "--drop" not in line and "--dtype" not in line, line


def test_files_that_disagree_on_a_type_suggest_categorical_only_to_fit(client, tmp_path,
                                                                       capsys):
    """A column of numbers in the first file that holds a code further on was named with
    --categorical to predict and evaluate as well, which take no such option."""
    rng = np.random.default_rng(0)
    for k in range(2):
        frame = _table(30, seed=k)
        frame["c"] = rng.choice([1, 2, 3], size=30).astype(object)
        if k:
            frame.loc[25:, "c"] = "Q"
        frame.to_csv(tmp_path / f"p{k}.csv", index=False)
    files, address = str(tmp_path / "p*.csv"), client.scheduler.address
    fit = ["fit", files, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn",
           "--dask", address]
    status, _, err = run(capsys, *fit)
    assert status == 2 and "name it with --categorical" in err, err
    assert run(capsys, *fit, "--categorical", "c")[0] == 0
    model = tmp_path / "m0.ffnn"
    assert run(capsys, "fit", tmp_path / "p0.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    for argv in (["predict", model, files, "-o", tmp_path / "out.csv"],
                 ["evaluate", model, files]):
        status, _, err = run(capsys, *argv, "--dask", address)
        assert status == 2 and "files disagree" in err and "--categorical" not in err, err


@pytest.mark.parametrize("change", [{"hidden_layer_sizes": (3,)}, {"loss": "poisson"}])
def test_a_network_changed_between_partial_fits_is_told_how_to_train_anew(change):
    """partial_fit, refused a changed network, was told to set warm_start=False, which
    partial_fit ignores: it always continues the network."""
    from ffnn import FFNNRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    y = np.abs(X.sum(axis=1))
    est = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2).partial_fit(X, y)
    est.set_params(**change)
    with pytest.raises(ValueError, match="changed since the last fit") as refused:
        est.partial_fit(X, y)
    assert "call fit with warm_start=False" in str(refused.value)
    est.set_params(warm_start=False).fit(X, y)  # the advice, followed
    est.partial_fit(X, y)


def test_names_of_another_count_are_told_a_way_out_that_fit_takes(tmp_path, capsys):
    """'--header if the file has a header' was refused beside the --names that fit was given
    ('--names names the columns of a file without a header')."""
    data = tmp_path / "data.csv"
    _table().assign(c=1.0).to_csv(data, index=False)
    argv = ["fit", data, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn"]
    line = one_error(capsys, *argv, "--no-header", "--names", "a,b,y")
    assert line.endswith("read it with --header and without --names"), line
    assert run(capsys, *argv, "--header")[0] == 0


def test_l_bfgs_that_diverges_is_not_told_to_lower_the_learning_rate(tmp_path, capsys,
                                                                      monkeypatch):
    """--lr has no effect with --solver lbfgs (fit says so), but its divergence said 'lower
    --lr'."""
    from ffnn.training import lbfgs, trainer

    monkeypatch.setattr(trainer, "minimize_lbfgs",
                        lambda *args: lbfgs.LbfgsResult("non_finite", np.inf, 1, 2))
    data = tmp_path / "data.csv"
    _table().to_csv(data, index=False)
    line = one_error(capsys, "fit", data, "--target", "y", "--solver", "lbfgs", "-q", "-o",
                     tmp_path / "m.ffnn")
    assert "training diverged" in line and "--lr" not in line, line


def test_missing_values_refused_from_python_name_the_argument_that_fills_them():
    """The preprocessor is also called from Python, where --impute is the argument impute."""
    from ffnn.tabular import MissingValuesError, Preprocessor

    frame = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", "y", "x"]})
    with pytest.raises(MissingValuesError,
                       match=r"from Python: Preprocessor\(impute=True\)\) to fill"):
        Preprocessor().fit(frame)
    filled = Preprocessor(impute=True).fit(frame).transform(frame)
    assert np.isfinite(filled).all()


@pytest.mark.parametrize("limit", ["MAX_CATEGORIES", "MAX_ONE_HOT"])
def test_the_drop_suggested_for_too_many_categories_drops_them(tmp_path, capsys, monkeypatch,
                                                               limit):
    """'drop them with --drop' named no way to type '-k' (read as an option of its own) and,
    over the limit of all columns together, no column to drop."""
    from ffnn.tabular import one_hot

    monkeypatch.setattr(one_hot, limit, 20)
    frame = _table(60)
    frame["-k"] = [f"k{k % 30}" for k in range(60)]
    frame[" id"] = [f"r{k % 25}" for k in range(60)]
    frame["c"] = [f"c{k % 3}" for k in range(60)]
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    argv = ["fit", data, "--target", "y", "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn"]
    line = one_error(capsys, *argv)
    advice = "--drop='-k, id'"
    assert f"drop them with {advice} " in line or f"largest with {advice} " in line, line
    assert run(capsys, *argv, *shlex.split(advice))[0] == 0


@pytest.mark.parametrize("option", ["--target", "--drop"])
def test_a_position_that_is_also_a_padded_name_is_refused_and_each_way_out_works(
        tmp_path, capsys, option):
    """'--target 0' trained on the column ' 0' (the third), not the first column, and said
    nothing: a name with spaces around it was looked up before positions."""
    from ffnn import load

    frame = _table()
    frame[" 0"] = frame.a * 3
    data, model = tmp_path / "data.csv", tmp_path / "m.ffnn"
    frame[["a", "b", " 0", "y"]].to_csv(data, index=False)
    argv = ["fit", data, "--epochs", "2", "-q", "-o", model]
    given = ["--target", "0"] if option == "--target" else ["--target", "y", "--drop", "0"]
    line = one_error(capsys, *argv, *given)
    assert line.endswith("name 'a' by its name, or ' 0' by its position 2"), line
    for way, target, features in ((["a"], "a", {"b", " 0", "y"}),
                                  (["2"], " 0", {"a", "b", "y"})):
        given = ["--target", *way] if option == "--target" else ["--target", "y", "--drop", *way]
        assert run(capsys, *argv, *given)[0] == 0
        fitted = load(model)
        if option == "--target":
            assert fitted.target == target and set(fitted.preprocessor.columns) == features
        else:
            assert set(fitted.preprocessor.columns) == {"a", "b", " 0"} - {target}


@pytest.mark.parametrize("version, upgrade", [(2, True), (0, False), (-1, False)])
def test_only_a_newer_format_version_suggests_upgrading(tmp_path, version, upgrade):
    """A file of version 0, which no ffnn wrote, was told to upgrade ffnn, which reads only
    version 1."""
    from model_file_mutations import with_description

    from ffnn import FFNNRegressor, ModelFileError, load, save

    rng = np.random.default_rng(0)
    model = tmp_path / "m.ffnn"
    save(FFNNRegressor(hidden_layer_sizes=(2,), max_iter=2).fit(rng.normal(size=(9, 2)),
                                                               rng.normal(size=9)), model)
    model.write_bytes(with_description(model.read_bytes(),
                                       lambda d: d.update(format_version=version)))
    with pytest.raises(ModelFileError, match=f"version {version} is not supported") as refused:
        load(model)
    assert str(refused.value).endswith("; upgrade ffnn") == upgrade, refused.value


def test_parquet_test_rows_without_pyarrow_are_refused_before_training(tmp_path, capsys,
                                                                        monkeypatch):
    """--test-out rows.parquet needs pyarrow: said before any work, with the extra that brings
    it, where pandas' error came as an internal error once training was done."""
    import sys

    frame = pd.DataFrame({"x": np.arange(40.0), "y": np.arange(40.0) % 3})
    frame.to_csv(tmp_path / "d.csv", index=False)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--test-out",
                     tmp_path / "rows.parquet", "-o", tmp_path / "m.ffnn")
    assert "writing Parquet needs pyarrow; install it with pip install 'ffnn[parquet]'" in line
    assert not (tmp_path / "m.ffnn").exists()
    monkeypatch.undo()  # (pandas itself leans on pyarrow once loaded) the other way out works
    assert run(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--epochs", "2", "-q",
               "--test-out", tmp_path / "rows.csv", "-o", tmp_path / "m.ffnn")[0] == 0
