"""predict and evaluate read a file the model is given alike in memory and on a cluster
(`--dask`), CSV or Parquet: the same predictions and scores, or the same refusal."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import run

import ffnn

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

SOLVED = ["--solver", "lbfgs", "--validation-fraction", "0", "--epochs", "20", "--seed", "0",
          "-q"]


def _table(n=120, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n).round(3),
                          "colour": rng.choice(["red", "green", "blue"], n)})
    frame["y"] = frame["a"] + (frame["colour"] == "red") + rng.normal(scale=0.1, size=n)
    return frame


def _fit_table_model(tmp_path, capsys):
    """m.ffnn, fitted on train.csv, a `_table()`."""
    _table().to_csv(tmp_path / "train.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "train.csv", "--target", "y", *SOLVED,
                         "-o", tmp_path / "m.ffnn")
    assert status == 0, err


def test_a_column_the_model_does_not_read_may_change_type_on_a_cluster(client, tmp_path,
                                                                      capsys):
    # a column of the file that the model ignores, numbers in its first rows and text further
    # on, was typed from those rows on a cluster and refused ("the files disagree with their
    # first rows on column types"), where in memory it is ignored
    _fit_table_model(tmp_path, capsys)
    new = _table(60, seed=1).assign(note=[str(k) for k in range(60)])
    new.loc[50, "note"] = "see below"
    new.to_csv(tmp_path / "new.csv", index=False)
    address = client.scheduler.address
    said = {}
    for dask, out in (([], "m.csv"), (["--dask", address], "d.csv")):
        status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.csv",
                             "-o", tmp_path / out, *dask)
        assert status == 0, err
        status, said[out], err = run(capsys, "evaluate", tmp_path / "m.ffnn",
                                     tmp_path / "new.csv", *dask)
        assert status == 0, err
    memory, dask = pd.read_csv(tmp_path / "m.csv"), pd.read_csv(tmp_path / "d.csv")
    np.testing.assert_allclose(dask["y"], memory["y"], rtol=1e-12)
    assert [line for line in said["m.csv"].splitlines() if "RMSE" in line][0] in said["d.csv"]


def test_a_target_of_numbers_then_missing_values_is_no_refusal_on_a_cluster(client, tmp_path,
                                                                          capsys):
    # a file's target column, whole numbers in its first rows and unknown further on (empty),
    # was refused by predict on a cluster as the files disagreeing on its type; in memory the
    # target is not read, but for --keep
    _fit_table_model(tmp_path, capsys)
    new = _table(60, seed=1).astype({"y": object})
    new["y"] = [str(k) for k in range(40)] + [""] * 20
    new.to_csv(tmp_path / "new.csv", index=False)
    for keep in ([], ["--keep", "y"]):
        for dask, out in (([], "m.csv"), (["--dask", client.scheduler.address], "d.csv")):
            status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.csv",
                                 "-o", tmp_path / out, *keep, *dask)
            assert status == 0, err
        memory, dask = pd.read_csv(tmp_path / "m.csv"), pd.read_csv(tmp_path / "d.csv")
        pd.testing.assert_frame_equal(dask, memory, rtol=1e-12)


def test_fit_on_a_cluster_prints_the_r2_of_its_predictions(client, tmp_path, capsys):
    # the spread of the rows' targets, Σ(y − ȳ)², was Σy² − (Σy)²/n of the standardised
    # targets: where one far value makes the others' spread a few millionths of a standard
    # deviation, the difference of those sums kept only its first digits, and the R² printed for
    # the test rows (and the validation rows, against the kept epoch's) was off in its third
    # digit (the standardised targets themselves keep ten digits of it here)
    from sklearn.metrics import r2_score

    frame = _table(300)
    frame.loc[0, "y"] = 1e9
    for k in range(3):
        frame.iloc[100 * k:100 * (k + 1)].to_csv(tmp_path / f"p{k}.csv", index=False)
    test, model = tmp_path / "test.csv", tmp_path / "m.ffnn"
    status, out, err = run(capsys, "fit", str(tmp_path / "p*.csv"), "--target", "y", "--dask",
                           client.scheduler.address, "--epochs", "5", "--test-size", "0.3",
                           "--test-out", test, "-q", "-o", model)
    assert status == 0, err
    rows = pd.read_csv(test)
    r2 = r2_score(rows["y"], ffnn.load(model).predict(rows))
    assert r2 < -1e6  # the far value trained: the other rows' spread is tiny beside its

    def printed(before):
        return float(out.split(before)[1].split()[0])

    assert printed("test:       R² ") == pytest.approx(r2, rel=1e-8), out
    assert printed("validation: R² ") == pytest.approx(printed("the best validation R² "),
                                                       rel=1e-8), out
