"""predict and evaluate read a file the model is given alike in memory and on a cluster
(`--dask`), CSV or Parquet: the same predictions and scores, or the same refusal."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import run

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


def test_a_column_the_model_does_not_read_may_change_type_on_a_cluster(client, tmp_path,
                                                                      capsys):
    # a column of the file that the model ignores, numbers in its first rows and text further
    # on, was typed from those rows on a cluster and refused ("the files disagree with their
    # first rows on column types"), where in memory it is ignored
    _table().to_csv(tmp_path / "train.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "train.csv", "--target", "y", *SOLVED,
                         "-o", tmp_path / "m.ffnn")
    assert status == 0, err
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
    _table().to_csv(tmp_path / "train.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "train.csv", "--target", "y", *SOLVED,
                         "-o", tmp_path / "m.ffnn")
    assert status == 0, err
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
