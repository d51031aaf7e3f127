"""The Python side of the command line's models and of the README: summaries that print as
tables, Pipelines pointed to their last step, the lazily imported estimators listed, a model
trained on a table refusing bare arrays, unseen categories warned of once; the README's example
runs as printed."""

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ffnn
from ffnn.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def table_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("surface")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"area": rng.uniform(40, 200, 80),
                          "city": rng.choice(["north", "south"], 80)})
    frame["price"] = 3 * frame["area"] + (frame["city"] == "north") * 40 + rng.normal(0, 5, 80)
    frame.to_csv(folder / "h.csv", index=False)
    assert main(["fit", str(folder / "h.csv"), "--target", "price", "--epochs", "5", "-q",
                 "-o", str(folder / "h.ffnn")]) == 0
    return ffnn.load(folder / "h.ffnn"), frame, folder


def _fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, ffnn.FFNNRegressor(hidden_layer_sizes=(4,), max_iter=5).fit(X, X[:, 0])


def test_a_summary_shows_as_its_table_in_a_repl():
    _, model = _fitted()
    summary = ffnn.summary(model)
    assert repr(summary) == str(summary)  # no quotes, no \n escapes
    assert repr(summary).splitlines()[0].startswith("layer")
    assert "total parameters: 21" in repr(summary)


def test_a_pipeline_is_pointed_to_its_last_step(tmp_path):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, _ = _fitted()
    pipe = make_pipeline(StandardScaler(), ffnn.FFNNRegressor(hidden_layer_sizes=(4,),
                                                              max_iter=5))
    pipe.fit(X, X[:, 0])
    with pytest.raises(ValueError, match=re.escape("pipe[-1]")):
        ffnn.summary(pipe)
    assert "total parameters" in ffnn.summary(pipe[-1])
    with pytest.raises(ValueError, match=re.escape("ffnn.save(pipe[-1], path)")):
        ffnn.save(pipe, tmp_path / "pipe.ffnn")
    assert not (tmp_path / "pipe.ffnn").exists()
    ffnn.save(pipe[-1], tmp_path / "last.ffnn")


def test_dir_lists_the_lazily_imported_estimators():
    names = dir(ffnn)
    assert {"FFNNRegressor", "FFNNClassifier", "Network", "summary", "save", "load"} <= set(names)


def test_a_table_model_refuses_a_bare_array(table_model):
    model, frame, _ = table_model
    with pytest.raises(ValueError, match="named columns") as caught:
        model.predict(frame[["area"]].to_numpy())
    assert "'area'" in str(caught.value) and "DataFrame" in str(caught.value)


def test_an_unseen_category_warns_once_naming_column_and_value(table_model):
    from ffnn.tabular import UnseenCategoryWarning

    model, frame, folder = table_model
    new = frame.drop(columns="price").head(6).copy()
    new.loc[[1, 3], "city"] = "east"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.predict(new)
    unseen = [w for w in caught if issubclass(w.category, UnseenCategoryWarning)]
    assert len(unseen) == 1 and len(caught) == 1
    assert "'city'" in str(unseen[0].message) and "'east' (2 rows)" in str(unseen[0].message)
    # the command line says it once too, in its own words
    new.to_csv(folder / "new.csv", index=False)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["predict", str(folder / "h.ffnn"), str(folder / "new.csv")]) == 0
    lines = [line for line in err.getvalue().splitlines() if "'east'" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "'city'" in lines[0]


def test_unseen_categories_can_be_counted_instead_of_warned_of(table_model):
    """Code on other threads (a Dask worker's) cannot catch warnings without racing: it hands a
    dict, which counts the unseen values over several calls, and nothing is warned of."""
    model, frame, _ = table_model
    new = frame.drop(columns="price").head(6).copy()
    new.loc[[1, 3], "city"] = "east"
    new.loc[4, "city"] = "west"
    unseen = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = model.predict(new, unseen)
        model.features(new.iloc[1:2], unseen)
    assert unseen == {"city": {"east": 3, "west": 1}}
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(first, model.predict(new))  # the same encoding


def test_the_readme_python_example_runs_as_printed_without_warnings(tmp_path, monkeypatch,
                                                                    capsys):
    """Every line the example prints is the value its comment shows, and nothing warns."""
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", text, re.S)
                 if "FFNNClassifier" in b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.split()
    expected = [line.split("#")[1].split()[0] for line in block.splitlines()
                if line.startswith("print(") and "#" in line]
    assert printed == expected


def test_a_table_model_scores_and_shows_itself_as_scikit_learn_estimators_do(table_model,
                                                                             capsys):
    from sklearn.metrics import accuracy_score, r2_score

    model, frame, folder = table_model
    expected = r2_score(frame["price"], model.predict(frame))
    assert model.score(frame) == pytest.approx(expected, rel=1e-12)
    assert model.score(frame.drop(columns="price"), frame["price"].to_numpy()) == model.score(frame)
    main(["evaluate", str(folder / "h.ffnn"), str(folder / "h.csv")])
    printed = float(re.search(r"R² (-?[0-9.]+)", capsys.readouterr().out).group(1))
    assert model.score(frame) == pytest.approx(printed, abs=5e-5)
    with pytest.raises(ValueError, match="no target column 'price'; pass y"):
        model.score(frame.drop(columns="price"))
    assert repr(model).startswith("TabularModel(regression of 'price' from 2 columns: "
                                  "FFNNRegressor(")
    assert model.predict.__doc__ and model.predict_proba.__doc__

    labels = pd.DataFrame({"x": np.r_[np.zeros(20), np.ones(20)], "y": [7] * 20 + [9] * 20})
    labels.to_csv(folder / "c.csv", index=False)
    assert main(["fit", str(folder / "c.csv"), "--target", "y", "--epochs", "30", "-q",
                 "-o", str(folder / "c.ffnn")]) == 0
    classifier = ffnn.load(folder / "c.ffnn")
    read_back = pd.read_csv(folder / "c.csv")
    assert classifier.score(read_back) == accuracy_score(read_back["y"],
                                                         classifier.predict(read_back))
    assert classifier.score(read_back, read_back["y"].astype(str)) == classifier.score(read_back)


def test_a_float32_model_maps_its_predictions_back_in_float64(tmp_path):
    """The network's float32 output is exact enough in standardised units; mapped back to a
    target around 1e8, float32 would round each prediction to a multiple of 8."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60)})
    frame["y"] = 1e8 + 3 * frame["x"]
    frame.to_csv(tmp_path / "big.csv", index=False)
    assert main(["fit", str(tmp_path / "big.csv"), "--target", "y", "--epochs", "3", "-q",
                 "--dtype", "float32", "-o", str(tmp_path / "big.ffnn")]) == 0
    model = ffnn.load(tmp_path / "big.ffnn")
    standardised = model.estimator.predict(model.features(frame))
    assert standardised.dtype == np.float32
    predicted = model.predict(frame)
    assert predicted.dtype == np.float64
    np.testing.assert_array_equal(
        predicted, standardised.astype(np.float64) * model.target_scale + model.target_mean)
    assert np.any(predicted % 8 != 0)


def test_a_table_model_reads_its_recorded_markers_as_missing_in_a_frame(tmp_path):
    # fit --na-values '?,-999' records the markers; predict reads a file with them, and so
    # must a frame given from Python (its '?' was an error, its -999 a number far off)
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=60).round(3), "b": rng.normal(size=60),
                          "code": rng.choice(["007", "1.0", "?"], 60)})
    frame["y"] = frame["a"] - frame["b"] + (frame["code"] == "007")
    text = frame.astype(object)
    text.loc[[3, 7], "a"] = "?"
    text.loc[[5, 9], "b"] = -999
    text.to_csv(tmp_path / "t.csv", index=False)
    assert main(["fit", str(tmp_path / "t.csv"), "--target", "y", "--epochs", "3", "-q",
                 "--impute", "--na-values", "?,-999", "--categorical", "code",
                 "-o", str(tmp_path / "m.ffnn")]) == 0
    assert main(["predict", str(tmp_path / "m.ffnn"), str(tmp_path / "t.csv"),
                 "-o", str(tmp_path / "p.csv")]) == 0
    # 'a' text because of its '?'; the declared categories '007' and '1.0' stay text
    read = pd.read_csv(tmp_path / "t.csv", dtype={"code": str})
    kept = read.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        predicted = ffnn.load(tmp_path / "m.ffnn").predict(read)
    np.testing.assert_allclose(predicted, pd.read_csv(tmp_path / "p.csv")["y"], rtol=1e-12)
    pd.testing.assert_frame_equal(read, kept)  # the caller's frame is left as it was
