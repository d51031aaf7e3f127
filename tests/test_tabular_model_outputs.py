"""The command line's model predicts one target column: a model file whose table model holds an
estimator of several outputs (a multilabel classifier, a regressor of several targets), which
`ffnn fit` never writes, is refused by save and by load; evaluate and plot would otherwise score
its columns of predictions as one column, or fail inside."""

import warnings

import numpy as np
import pandas as pd
import pytest
from model_file_mutations import FAMILIES, resize_output, split

import ffnn
from ffnn.tabular import Preprocessor, TabularModel


def _table():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"size": rng.normal(size=40),
                          "colour": np.where(rng.normal(size=40) > 0, "red", "blue")})
    return frame, Preprocessor().fit(frame)


def _fit(task, X, y):
    """A small estimator of `task` fitted on X, y, its warnings (no convergence) kept quiet."""
    estimator = ffnn.FFNNClassifier if task == "classification" else ffnn.FFNNRegressor
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator(hidden_layer_sizes=(3,), max_iter=3, random_state=0).fit(X, y)


@pytest.mark.parametrize("outputs", ["multilabel", "two targets"])
def test_save_refuses_a_table_model_of_several_outputs(tmp_path, outputs):
    frame, pre = _table()
    X = pre.transform(frame)
    if outputs == "multilabel":
        est = _fit("classification", X, np.c_[X[:, 0] > 0, X[:, 0] <= 0].astype(int))
        model = TabularModel(est, pre, "label", "classification")
    else:
        est = _fit("regression", X, np.c_[X[:, 0], X[:, 1]])
        model = TabularModel(est, pre, "price", "regression")
    with pytest.raises(ValueError, match="one target column"):
        ffnn.save(model, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_load_refuses_a_table_model_of_several_outputs(tmp_path, task):
    frame, pre = _table()
    X = pre.transform(frame)
    est = _fit(task, X, np.where(X[:, 0] > 0, "up", "down") if task == "classification" else
               X[:, 0])
    path = tmp_path / "m.ffnn"
    ffnn.save(TabularModel(est, pre, "target", task), path)
    rng = np.random.default_rng(0)
    _, mutation = FAMILIES["tabular: an estimator of several outputs"]
    path.write_bytes(mutation(path.read_bytes(), rng))
    header, _ = split(path.read_bytes())
    assert header["layers.2.c"]["shape"][0] >= 2  # the mutant is what it claims to be
    with pytest.raises(ffnn.ModelFileError, match=r"m\.ffnn: tabular: .*one target column"):
        ffnn.load(path)


def test_resized_output_loads_as_an_estimator_of_that_many_outputs(tmp_path):
    """The helper the mutation relies on makes a well-formed file: outside a table, a regressor
    of two outputs is a model like any other."""
    X = np.random.default_rng(0).normal(size=(20, 3))
    path = tmp_path / "r.ffnn"
    ffnn.save(_fit("regression", X, X[:, 0]), path)
    header, data = split(path.read_bytes())
    from model_file_mutations import join
    path.write_bytes(join(*resize_output(header, data, 2)))
    assert ffnn.load(path).predict(X).shape == (20, 2)
